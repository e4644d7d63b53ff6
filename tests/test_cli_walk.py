"""The `siaga` command walked as a planner on his laptop: a wrong file, a folder the disk
refuses or a plan of another scenario gets one sentence in his words, naming the place to fix,
a non-zero exit and no file half-written; never a traceback or the system's own English."""

import errno
import tempfile

import pytest
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import files

runner = CliRunner()
CODE_WORDS = ("Traceback", "Errno", "Error", "KeyError", "codec", "tps_categories")


def siaga(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def in_words(result) -> str:
    """The output, asserted free of the system's words."""
    for word in CODE_WORDS:
        assert word not in result.output, result.output
    return result.output


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """Two small scenarios with no TPS in common, each with its plan (and a name with a space
    and a non-ASCII letter)."""
    root = tmp_path_factory.mktemp("operasi ñ é")
    made = []
    for seed in (3, 4):
        scenario, plan = root / f"skenario {seed}", root / f"rencana {seed}.json"
        assert siaga("scenario", "generate", "--tps", 12, "--seed", seed, "--out", scenario).exit_code == 0
        assert siaga("plan", scenario, "--out", plan).exit_code == 0
        made.append((scenario, plan))
    return made


def test_it_puts_every_refusal_of_the_disk_in_words():
    for number, words in files.REASONS.items():
        assert files.reason(OSError(number, "English")).render("id") == words
    assert files.reason(OSError(errno.EIO, "x")).render("en") == "the disk refused to read or write this file"
    not_text = files.reason(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"))
    assert not_text.render("id") == "bukan berkas teks UTF-8 (berkas Excel atau berkas lain?)"


def test_it_says_a_read_only_folder_in_words_and_leaves_no_file(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".t.xlsx.x.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    for lang, words in (("id", "Tidak dapat menulis"), ("en", "Cannot write")):
        result = siaga("scenario", "template", "--out", tmp_path / "templat.xlsx", "--lang", lang)
        assert result.exit_code == 2
        assert words in in_words(result) and "templat.xlsx" in result.output and ".tmp" not in result.output
    assert "only be read" in result.output
    assert list(tmp_path.iterdir()) == []


def test_it_refuses_a_plan_path_through_a_file_and_writes_nothing(two, tmp_path):
    scenario, _plan = two[0]
    (tmp_path / "catatan.txt").write_text("x")
    result = siaga("plan", scenario, "--out", tmp_path / "catatan.txt" / "sub" / "rencana.json")
    assert result.exit_code == 2
    assert "bagian jalurnya berkas, bukan folder" in in_words(result)
    assert [p.name for p in tmp_path.iterdir()] == ["catatan.txt"]


def test_it_says_a_missing_plan_or_a_workbook_given_as_a_plan_in_words(two, tmp_path):
    scenario, _plan = two[0]
    missing = siaga("check", scenario, tmp_path / "tidak ada.json")
    assert missing.exit_code == 2
    assert "tidak ada.json: tidak dapat dibaca (berkas atau folder tidak ditemukan)" in in_words(missing)
    workbook = tmp_path / "rencana.json"
    workbook.write_bytes(b"PK\x03\x04\x14\x00\x8f\xff")
    english = siaga("check", scenario, workbook, "--lang", "en")
    assert english.exit_code == 2
    assert "cannot be read (not a UTF-8 text file" in in_words(english)
    (tmp_path / "kosong.json").write_text("{}")
    empty = siaga("check", scenario, tmp_path / "kosong.json")
    assert empty.exit_code == 2 and "kosong.json: bukan berkas rencana siaga-plan/1" in empty.output


@pytest.mark.parametrize("command", ["check", "simulate", "replan", "orders", "export"])
def test_it_refuses_a_plan_of_another_scenario_in_one_sentence(two, tmp_path, command):
    (scenario, _mine), (_other, plan) = two
    args = {
        "check": ("check", scenario, plan),
        "simulate": ("simulate", scenario, plan, "--runs", 5),
        "replan": ("replan", scenario, "--from", plan, "--out", tmp_path / "baru.json"),
        "orders": ("orders", scenario, plan, "--out", tmp_path / "perintah", "--key-file", tmp_path / "kunci"),
        "export": ("export", "personel", scenario, plan, "--out", tmp_path / "sot.csv"),
    }[command]
    result = siaga(*args)
    assert result.exit_code == 1
    assert "tidak satu pun TPS-nya ada di skenario ini" in in_words(result)
    assert "[category]" not in result.output and "pelanggaran" not in result.output
    assert not [p for p in tmp_path.iterdir() if p.name != "kunci"]
    english = siaga(*args, "--lang", "en")
    assert "none of its TPS is in this scenario" in in_words(english)


def test_it_refuses_to_replan_a_plan_that_lacks_the_scenarios_new_tps(two, tmp_path):
    scenario, plan = two[0]
    grown = tmp_path / "skenario"
    grown.mkdir()
    for part in scenario.iterdir():
        (grown / part.name).write_bytes(part.read_bytes())
    rows = (grown / "tps.csv").read_text(encoding="utf-8").splitlines()
    first = rows[1].split(",")
    rows.append(",".join([first[0] + "9", *first[1:]]))
    (grown / "tps.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = siaga("replan", grown, "--from", plan, "--out", tmp_path / "baru.json")
    assert result.exit_code == 1
    assert "1 TPS belum ada di rencana itu" in in_words(result) and first[0] + "9" in result.output
    assert not (tmp_path / "baru.json").exists()


def test_it_names_a_missing_absentee_list_in_words(two, tmp_path):
    scenario, plan = two[0]
    for lang, words in (("id", "Tidak dapat membaca"), ("en", "Cannot read")):
        result = siaga(
            "replan",
            scenario,
            "--from",
            plan,
            "--absent",
            tmp_path / "absen.txt",
            "--out",
            tmp_path / "b.json",
            "--lang",
            lang,
        )
        assert result.exit_code == 2
        assert words in in_words(result) and "absen.txt" in result.output
    assert not (tmp_path / "b.json").exists()


def test_it_refuses_a_missing_weights_file_before_planning(two, tmp_path):
    scenario, _plan = two[0]
    result = siaga("plan", scenario, "--out", tmp_path / "r.json", "--weights", tmp_path / "bobot.json")
    assert result.exit_code == 2
    assert "bobot.json: berkas atau folder tidak ditemukan" in in_words(result)
    assert "Menyusun rencana" not in result.output


def test_it_names_missing_road_times_and_boundaries_as_unreadable(two, tmp_path):
    scenario, plan = two[0]
    travel = siaga("plan", scenario, "--out", tmp_path / "r.json", "--travel", tmp_path / "jalan.csv")
    assert travel.exit_code == 2 and "Tidak dapat membaca" in in_words(travel) and "Lembar" not in travel.output
    outlines = siaga("scenario", "validate", scenario, "--boundaries", tmp_path / "batas.geojson")
    assert outlines.exit_code == 2 and "batas.geojson: berkas atau folder tidak ditemukan" in outlines.output
    assert not (tmp_path / "r.json").exists()
