"""The files for SOT/EWS and the TPS coordinates back in (siaga/core/data/interchange.py, issue
17 item 5): the files open (csv, json) and hold every assignment of the demo plan, a Linmas NIK
is never written, bad coordinates are refused by row, the coordinates round-trip, and
docs/interchange.md describes every column the code writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zoneinfo
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo
from siaga.core.data import interchange as ic
from siaga.core.data.model import Force, Plan, Scenario
from siaga.core.data.planfile import write_plan
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import write_scenario
from siaga.core.documents import interchange as dc
from siaga.core.planning import roster
from siaga.core.planning.plan import plan as make_plan

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
DOC = Path(__file__).resolve().parents[1] / "docs" / "interchange.md"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return demo.pasuruan_kota()


@pytest.fixture(scope="module")
def made(scenario: Scenario) -> Plan:
    return make_plan(scenario)


def every_assignment(plan: Plan) -> Counter[tuple[str, str]]:
    """(person, post or duty) of the vote's posts and of the roster's duties."""
    duties = roster.of_plan(plan)
    found = Counter((a.person, a.post) for a in plan.assignments)
    found.update((a.person, a.post) for a in (duties.assignments if duties else ()))
    return found


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_personnel_file_holds_every_assignment_of_the_plan(scenario, made):
    rows = dc.personnel_rows(scenario, made, WIB)
    expected = every_assignment(made)
    assert len(rows) == sum(expected.values()) > len(made.assignments)
    people = {p.id: p for p in scenario.personnel}
    written = Counter(r["nama"] for r in rows)
    assert written == Counter(people[person].name for person, _ in expected.elements())
    from_csv = read_csv(ic.to_csv("personel", rows))
    assert len(from_csv) == len(rows) and list(from_csv[0]) == list(ic.PERSONNEL_COLUMNS)
    data = json.loads(ic.to_json("personel", rows, {"operation": scenario.operation.name}))
    assert data["format"] == ic.FORMAT and data["columns"] == list(ic.PERSONNEL_COLUMNS)
    assert len(data["rows"]) == len(rows) and isinstance(data["rows"][0]["ketua_pos"], bool)


def test_it_names_posts_tps_and_times_as_the_orders_do(scenario, made):
    rows = dc.personnel_rows(scenario, made, WIB)
    on_tps = [r for r in rows if r["kode_tps"]]
    assert on_tps and all(r["pos"].startswith(("Pos TPS", "Patroli")) for r in on_tps)
    assert all(len(k) == 13 and k.isdigit() for r in on_tps for k in r["kode_tps_kpu"])
    assert all(dt.datetime.fromisoformat(r["mulai"]).utcoffset() == dt.timedelta(hours=7) for r in rows)
    assert {r["shift"] for r in rows} >= {0, 1, 2}
    leaders = Counter((r["pos"], r["mulai"]) for r in rows if r["ketua_pos"])
    assert leaders and max(leaders.values()) == 1  # one ketua per duty


def test_a_linmas_nik_is_never_written_and_phones_only_when_asked(scenario, made):
    rows = dc.personnel_rows(scenario, made, WIB, phones=False)
    linmas = {p.id for p in scenario.personnel if p.force == Force.LINMAS}
    assert any(r["unsur"] == "LINMAS" for r in rows)
    assert all(r["nrp"] == "" for r in rows if r["unsur"] == "LINMAS")
    text = ic.to_csv("personel", rows).decode("utf-8-sig")
    assert not any(nik in text for nik in linmas)
    assert all(r["no_hp"] == "" for r in rows)


def test_a_sector_file_holds_only_its_kecamatan(scenario, made):
    rows = dc.personnel_rows(scenario, made, WIB, kecamatan="35.14.17")
    assert rows and {r["kode_kecamatan"] for r in rows} == {"35.14.17"}
    tps = dc.tps_rows(scenario, made, kecamatan="35.14.17")
    assert len(tps) == sum(1 for t in scenario.tps if t.desa_code.startswith("35.14.17."))


def test_text_a_spreadsheet_would_run_is_quoted():
    record = ic.IncidentRecord(
        1, "=HYPERLINK(1)", 1, "dilaporkan", "Kapolsek", dt.datetime(2022, 3, 23, tzinfo=dt.UTC),
        None, None, "", "", "", None, None, "@x", "", "+62 812", "",
    )  # fmt: skip
    rows = ic.incident_rows([record], demo.pasuruan_kota(), WIB)
    line = read_csv(ic.to_csv("kejadian", rows))[0]
    assert line["jenis"] == "'=HYPERLINK(1)" and line["pelapor"] == "'@x" and line["uraian"] == "'+62 812"
    assert line["waktu_lapor"] == "2022-03-23T07:00:00+07:00" and line["waktu_selesai"] == "" and line["lintang"] == ""


# ---------------------------------------------------------------- coordinates back in


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_the_tps_file_round_trips_as_coordinates(scenario, made, tmp_path):
    rows = dc.tps_rows(scenario, made)
    assert len(rows) == len(scenario.tps)
    rows[0]["lintang"] = round(rows[0]["lintang"] + 0.002, 6)
    path = tmp_path / "tps.csv"
    path.write_bytes(ic.to_csv("tps", rows))
    result, moved = ic.coordinates_scenario(scenario, path)
    assert [m.tps for m in moved] == [rows[0]["kode_tps"]] and 0.2 < moved[0].km < 0.25
    again = {r["kode_tps"]: (r["lintang"], r["bujur"]) for r in dc.tps_rows(result, made)}
    assert again == {r["kode_tps"]: (r["lintang"], r["bujur"]) for r in rows}


def test_a_kpu_code_finds_its_tps(scenario, tmp_path):
    t = scenario.tps[3]
    path = write(tmp_path / "sot.csv", ["Kode TPS,Latitude,Longitude", f"{ic.kpu_tps_code(t)},{t.lat + 0.001},{t.lon}"])
    points, problems = ic.read_coordinates(path, scenario.tps, scenario.regions)
    assert problems == [] and points == {t.id: (t.lat + 0.001, t.lon)}


def test_bad_coordinates_are_refused_naming_the_row(scenario, tmp_path):
    a, b, c = scenario.tps[:3]
    path = write(
        tmp_path / "sot.csv",
        [
            "kode_tps,lintang,bujur",
            f"{a.id},{a.lon},{a.lat}",  # swapped
            f"{b.id},{b.lat},1.07",  # outside Indonesia
            f"{c.id},{c.lat + 0.5},{c.lon}",  # 55 km from its desa
            "35.14.99.9999-01,-7.6,112.9",  # no such TPS
            f"{a.id},{a.lat},{a.lon}",  # valid, but...
            f"{ic.kpu_tps_code(a)},{a.lat},{a.lon}",  # ... the same TPS again
            f"{b.id},,{b.lon}",  # blank
        ],
    )
    with pytest.raises(ScenarioError) as refused:
        ic.coordinates_scenario(scenario, path)
    text = refused.value.messages()
    assert len(text) == 6
    assert text[0].startswith("Berkas 'sot.csv', baris 2, kolom 'lintang'") and "tertukar" in text[0]
    assert "baris 3, kolom 'bujur'" in text[1] and "di luar Indonesia" in text[1]
    assert "baris 4" in text[2] and "km dari titik desanya" in text[2]
    assert "baris 5, kolom 'kode_tps'" in text[3] and "35.14.99.9999-01" in text[3]
    assert "baris 7" in text[4] and "baris 6" in text[4]
    assert "baris 8, kolom 'lintang'" in text[5] and "wajib diisi" in text[5]


def test_a_file_without_the_columns_is_refused(scenario, tmp_path):
    path = write(tmp_path / "sot.csv", ["tps,lat", "x,1"])
    points, problems = ic.read_coordinates(path, scenario.tps, scenario.regions)
    assert points == {} and any("bujur" in p.message() for p in problems)


def test_the_cli_writes_the_files_and_refuses_bad_coordinates(scenario, made, tmp_path):
    workbook, plan_path = tmp_path / "demo.xlsx", tmp_path / "plan.json"
    write_scenario(scenario, workbook)
    write_plan(made, plan_path)
    runner = CliRunner()
    done = runner.invoke(app, ["export", "personel", str(workbook), str(plan_path), "--out", str(tmp_path / "p.csv")])
    assert done.exit_code == 0, done.output
    assert len(read_csv((tmp_path / "p.csv").read_bytes())) == sum(every_assignment(made).values())
    done = runner.invoke(app, ["export", "tps", str(workbook), "--out", str(tmp_path / "t.json")])
    assert done.exit_code == 0 and len(json.loads((tmp_path / "t.json").read_text())["rows"]) == len(scenario.tps)
    t = scenario.tps[0]
    bad = write(tmp_path / "k.csv", ["kode_tps,lintang,bujur", f"{t.id},{t.lon},{t.lat}"])
    refused = runner.invoke(
        app, ["scenario", "coordinates", str(workbook), str(bad), "--out", str(tmp_path / "n.xlsx")]
    )
    assert refused.exit_code == 1 and "tertukar" in refused.output and not (tmp_path / "n.xlsx").exists()


# ---------------------------------------------------------------- the document


@pytest.mark.parametrize("kind", sorted(ic.COLUMNS))
def test_the_document_describes_every_column_the_code_writes(kind):
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"## `{kind}`", 1)[1].split("\n## ", 1)[0]
    described = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)
    assert described == list(ic.COLUMNS[kind])
    header = re.search(r"```csv\n(.*)\n", section)
    assert header is not None and header[1].split(",") == list(ic.COLUMNS[kind])
