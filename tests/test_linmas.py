"""Issue 17 item 2: the PPS Linmas decree (CSV or .xlsx) read into an operation's Linmas, tied to
their TPS, and its gaps against the pattern: the KPU/PPS coordination list
(siaga/core/data/linmas.py and `siaga scenario linmas`). The decrees are written here in the
PPS's shape for the Pemilu demo's desa (never downloaded)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo
from siaga.core.data.linmas import (
    DUPLICATE,
    NONE,
    SHORT,
    UNKNOWN_TPS,
    coordination,
    decree_scenario,
    masked,
    needed,
    read_decree,
)
from siaga.core.data.model import Force, Scenario
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning import engine, risk

HEADER = ["No", "Nama", "NIK", "TPS", "Kode Desa", "No HP"]
LOGOWOK = "35.14.17.2005"  # 8 TPS: TPS 01-07 two Linmas each, TPS 08 one
SUSUKAN = "35.14.17.2001"  # TPS 01 one Linmas, named by the operation's TPS id
DUPLICATE_NIK = "3514174101900001"


def nik(n: int) -> str:
    return f"35141741019{n:05d}"


def decree_rows() -> list[list[object]]:
    """A PPS decree as a Polres receives it: KPU codes for TPS 01-06 of Logowok, "TPS 07" with
    the undotted desa code, one Linmas at TPS 08, one at Susukan Rejo's TPS 01 by its id, a
    Linmas for a TPS the operation lacks (TPS 009) and a NIK written twice."""
    rows: list[list[object]] = []
    n = 0
    for number in range(1, 9):
        for _ in range(1 if number == 8 else 2):
            n += 1
            tps = f"TPS {number:02d}" if number == 7 else f"3514172005{number:03d}"
            rows.append([n, f"Linmas Logowok {n}", DUPLICATE_NIK if n == 1 else nik(n), tps, "3514172005", ""])
    rows.append([n + 1, "Siti Aminah", nik(90), f"{SUSUKAN}-01", "", "081234567890"])
    rows.append([n + 2, "Abdul Rohman", nik(91), "3514172005009", "", ""])
    rows.append([n + 3, "Bambang (kembar)", DUPLICATE_NIK, "3514172005002", "", ""])
    return rows


def write_decree(path: Path, rows: list[list[object]] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(decree_rows() if rows is None else rows)
    return path


def gaps_of(result: Scenario, decree_gaps: list) -> list:
    categories = {t: a.category for t, a in risk.assess(result).items()}
    named = Counter(p.tps_id for p in result.personnel if p.force == Force.LINMAS and p.tps_id)
    return coordination({t.id: t.desa_code for t in result.tps}, needed(result, categories), named, decree_gaps)


def test_the_decree_ties_each_linmas_to_their_tps_and_replaces_the_desas_earlier_linmas(tmp_path: Path) -> None:
    scenario = demo.pasuruan_kota_pemilu()
    result, decree, gone = decree_scenario(scenario, write_decree(tmp_path / "sk-pps.csv"))
    assert len(decree.linmas) == 16
    assert Counter(p.tps_id for p in decree.linmas)[f"{LOGOWOK}-07"] == 2  # "TPS 07" with the desa code
    assert decree.tps == {f"{LOGOWOK}-{n:02d}" for n in range(1, 9)} | {f"{SUSUKAN}-01"}
    earlier = [p for p in scenario.personnel if p.force == Force.LINMAS and p.desa_code in (LOGOWOK, SUSUKAN)]
    assert {p.id for p in gone} == {p.id for p in earlier}  # the desa's Linmas without a TPS
    linmas = {p.id: p for p in result.personnel if p.force == Force.LINMAS}
    assert not any(p.id in linmas for p in earlier)
    assert linmas[nik(90)].tps_id == f"{SUSUKAN}-01" and linmas[nik(90)].desa_code == SUSUKAN
    assert linmas[DUPLICATE_NIK].name == "Linmas Logowok 1"  # the first row keeps the NIK
    assert len(result.personnel) == len(scenario.personnel) - len(earlier) + 16
    plan = engine.plan(result)
    post_tps = {p.id: p.tps for p in plan.posts}
    for a in plan.assignments:
        if a.person in {p.id for p in decree.linmas}:
            assert linmas[a.person].tps_id in post_tps[a.post]
    assert sum(a.person in {p.id for p in decree.linmas} for a in plan.assignments) == 16


def test_its_gaps_are_the_coordination_list(tmp_path: Path) -> None:
    scenario = demo.pasuruan_kota_pemilu()
    result, decree, _gone = decree_scenario(scenario, write_decree(tmp_path / "sk-pps.csv"))
    gaps = gaps_of(result, decree.gaps)
    kinds = Counter(g.kind for g in gaps)
    assert kinds == {SHORT: 2, NONE: len(scenario.tps) - 9, UNKNOWN_TPS: 1, DUPLICATE: 1}
    short = {g.tps: (g.named, g.needed) for g in gaps if g.kind == SHORT}
    assert short == {f"{LOGOWOK}-08": (1, 2), f"{SUSUKAN}-01": (1, 2)}
    unknown = next(g for g in gaps if g.kind == UNKNOWN_TPS)
    assert (unknown.tps, unknown.desa_code, unknown.name, unknown.row) == ("3514172005009", LOGOWOK, "Abdul Rohman", 18)
    twice = next(g for g in gaps if g.kind == DUPLICATE)
    assert (twice.row, twice.other_row, twice.name) == (19, 2, "Bambang (kembar)")
    assert twice.params()["nik"] == "••••0001" and DUPLICATE_NIK not in str(twice.params())
    assert [g.desa_code for g in gaps] == sorted(g.desa_code for g in gaps)  # by desa


def test_a_workbook_reads_as_the_csv_does(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in decree_rows():
        sheet.append([str(v) if i == 2 else v for i, v in enumerate(row)])
    book.save(tmp_path / "sk-pps.xlsx")
    scenario = demo.pasuruan_kota_pemilu()
    from_xlsx = read_decree(tmp_path / "sk-pps.xlsx", scenario)
    from_csv = read_decree(write_decree(tmp_path / "sk-pps.csv"), scenario)
    assert from_xlsx.problems == [] and from_xlsx.linmas == from_csv.linmas


def test_a_file_that_cannot_be_taken_names_each_row_and_changes_nothing(tmp_path: Path) -> None:
    rows = decree_rows()[:2] + [
        [30, "Tanpa desa", nik(30), "TPS 03", "", ""],
        [31, "TPS tak terbaca", nik(31), "balai desa", "", ""],
        [32, "Desa lain", nik(32), "3514172005003", "3514172001", ""],
        [33, "", nik(33), "3514172005003", "", ""],
    ]
    with pytest.raises(ScenarioError) as caught:
        decree_scenario(demo.pasuruan_kota_pemilu(), write_decree(tmp_path / "sk.csv", rows))
    assert caught.value.messages() == [
        "Berkas 'sk.csv', baris 4, kolom 'Kode Desa': nomor TPS saja tidak cukup: isi juga kode desa (kode_desa)",
        "Berkas 'sk.csv', baris 5, kolom 'TPS', nilai 'balai desa': TPS harus kode TPS KPU 13 angka"
        " (3514172001005), id TPS operasi ini (35.14.17.2001-05), atau nomor TPS bersama kode desa",
        "Berkas 'sk.csv', baris 6, kolom 'TPS', nilai '3514172005003': TPS ini di desa Logowok (35.14.17.2005),"
        " bukan di desa Susukan Rejo (35.14.17.2001) di baris yang sama",
        "Berkas 'sk.csv', baris 7, kolom 'Nama': wajib diisi",
    ]
    missing = tmp_path / "tanpa-tps.csv"
    missing.write_text("nama,nik\nA,3514174101900001\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        decree_scenario(demo.pasuruan_kota_pemilu(), missing)
    assert [p.code for p in caught.value.problems] == ["missing_column"]


def test_a_number_instead_of_a_nik_is_a_number_within_its_tps(tmp_path: Path) -> None:
    rows = [[1, "Ahmad", "1", f"{LOGOWOK}-01", "", ""], [2, "Budi", "1", f"{LOGOWOK}-02", "", ""]]
    decree = read_decree(write_decree(tmp_path / "sk.csv", rows), demo.pasuruan_kota_pemilu())
    assert [p.id for p in decree.linmas] == [f"{LOGOWOK}-01/1", f"{LOGOWOK}-02/1"] and decree.gaps == []


def test_a_nik_is_shown_masked() -> None:
    assert masked("3514174101900001") == "••••0001"
    assert masked("123") == "••••"


def test_the_cli_writes_the_roster_and_prints_the_coordination_list_masked(tmp_path: Path) -> None:
    source = tmp_path / "demo"
    write_scenario(demo.pasuruan_kota_pemilu(), source)
    decree = write_decree(tmp_path / "sk-pps.csv")
    done = CliRunner().invoke(app, ["scenario", "linmas", str(source), str(decree), "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert "16 Linmas dari SK PPS untuk 9 TPS" in done.output
    assert "3514172005009" in done.output and "••••0001" in done.output and DUPLICATE_NIK not in done.output
    out = read_scenario(tmp_path / "out")
    assert sum(p.tps_id != "" for p in out.personnel) == 16
