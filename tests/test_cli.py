"""The `siaga` command as a user runs it: exit codes and what it prints."""

import pytest
from typer.testing import CliRunner

from siaga.cli import app

runner = CliRunner()


def siaga(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo_xlsx(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    assert siaga("scenario", "demo", "--out", path).exit_code == 0
    return path


def test_it_validates_the_demo_and_prints_its_counts(demo_xlsx):
    result = siaga("scenario", "validate", demo_xlsx)
    assert result.exit_code == 0, result.output
    for figure in ("kecamatan", "│ 7 ", "21", "152", "950", "POLRI", "300", "BRIMOB", "100", "LINMAS", "420"):
        assert figure in result.output


def test_it_writes_the_demo_as_a_csv_folder_when_not_xlsx(tmp_path):
    folder = tmp_path / "demo"
    assert siaga("scenario", "demo", "--out", folder).exit_code == 0
    assert {p.name for p in folder.iterdir()} == {
        "operation.csv",
        "regions.csv",
        "tps.csv",
        "units.csv",
        "personnel.csv",
        "stages.csv",
    }
    assert siaga("scenario", "validate", folder).exit_code == 0


def test_it_exits_1_and_lists_every_problem_of_an_invalid_scenario(tmp_path):
    folder = tmp_path / "bad"
    siaga("scenario", "demo", "--out", folder)
    tps = (folder / "tps.csv").read_text().splitlines()
    tps[1] = tps[1].replace(",-7.", ",-17.", 1)  # outside Indonesia
    tps[2] = ",".join(["35.14.16.2022-01"] + tps[2].split(",")[1:])  # duplicate id
    (folder / "tps.csv").write_text("\n".join(tps) + "\n")
    result = siaga("scenario", "validate", folder)
    assert result.exit_code == 1
    assert "Ditemukan 2 masalah" in result.output
    assert "Lembar 'tps', baris 2, kolom 'lat'" in result.output
    assert "Lembar 'tps', baris 3, kolom 'id'" in result.output and "baris 2" in result.output
    english = siaga("scenario", "validate", folder, "--lang", "en")
    assert "Sheet 'tps', row 2, column 'lat'" in english.output and "outside Indonesia" in english.output


def test_it_exits_2_without_a_traceback_for_a_file_that_is_not_a_workbook(tmp_path):
    fake = tmp_path / "skenario.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    result = siaga("scenario", "validate", fake)
    assert result.exit_code == 2
    assert "bukan berkas Excel" in result.output
    assert "Traceback" not in result.output


def test_it_exits_2_for_a_missing_file(tmp_path):
    result = siaga("scenario", "validate", tmp_path / "nope.xlsx")
    assert result.exit_code == 2
    assert "tidak ditemukan" in result.output
