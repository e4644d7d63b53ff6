"""The operation in time: stages from the `stages` [`tahapan`] sheet or the election kind's
preset, and the pergeseran day (issue 12, item 1; docs/scenario.md 1.4.7 and 2.12)."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from siaga.core.data import demo, stages
from siaga.core.data.model import Scenario, Stage, StageKind
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, scenario_tables, write_scenario
from siaga.core.data.workbook import write_tables
from siaga.core.documents import orders
from siaga.core.planning import plan as planner

K = StageKind
VOTE = dt.date(2022, 3, 23)


def at(day: int, time: str) -> dt.datetime:
    return dt.datetime.combine(VOTE + dt.timedelta(days=day), dt.time.fromisoformat(time))


@pytest.fixture(scope="module")
def paskot() -> Scenario:
    return demo.pasuruan_kota()


def test_the_demo_carries_the_2022_pilkades_in_time(paskot: Scenario) -> None:
    assert [s.kind for s in stages.of(paskot)] == [
        K.APEL_PERGESERAN,
        K.PERGESERAN,
        K.PEMUNGUTAN,
        K.PENGAWALAN,
        K.PENETAPAN,
    ]
    vote = stages.first(paskot, K.PEMUNGUTAN)
    assert vote is not None and (vote.start, vote.end) == (at(0, "07:00"), at(0, "17:00"))  # one ballot
    move = stages.first(paskot, K.PERGESERAN)
    assert move is not None and stages.h_day(VOTE, move.start) == "H-1"


@pytest.mark.parametrize("days", [1, 2, 3])
def test_the_pergeseran_day_is_a_setting(paskot: Scenario, days: int) -> None:
    operation = replace(paskot.operation, pergeseran_day=days)
    preset = {s.kind: s for s in stages.preset(operation)}
    assert preset[K.APEL_PERGESERAN].start == at(-days, "07:00")
    assert preset[K.PERGESERAN].start == at(-days, "09:00") and preset[K.PERGESERAN].end == at(0, "07:00")


def test_a_pemilu_has_its_logistics_escort_and_three_days_of_ppk_recapitulation(paskot: Scenario) -> None:
    pemilu = replace(paskot.operation, name="Pam Pemilu 2024", pattern="pemilu-2024", election_date=VOTE)
    preset = {s.kind: s for s in stages.preset(pemilu)}
    assert stages.h_day(VOTE, preset[K.DISTRIBUSI_LOGISTIK].start) == "H-5"
    assert preset[K.REKAP_PPK].end - preset[K.REKAP_PPK].start == dt.timedelta(days=3)
    assert preset[K.MASA_TENANG].end == at(0, "00:00") and K.KAMPANYE in preset and K.REKAP_KPU in preset
    assert stages.election_of(replace(pemilu, name="Pam Pilkada", pattern="custom")) == "PILKADA"


def test_written_stages_travel_in_the_workbook_under_both_names(paskot: Scenario, tmp_path: Path) -> None:
    own = (
        Stage("Apel kesiapan", K.APEL_KESIAPAN, at(-7, "08:00"), at(-7, "10:00")),
        Stage(
            "Pemungutan suara ulang TPS 03 Semare",
            K.PSU,
            at(10, "07:00"),
            at(10, "18:00"),
            tuple(t.id for t in paskot.tps if t.desa_code == "35.14.16.2021")[2:3],
        ),
    )
    scenario = replace(paskot, stages=own)
    for name, lang in (("id.xlsx", "id"), ("en", "en")):
        write_scenario(scenario, tmp_path / name, lang=lang)
        assert read_scenario(tmp_path / name).stages == own
    sheet = {name: rows for name, _, rows in scenario_tables(scenario, "id")}
    rows = list(sheet["tahapan"])
    assert rows[0][2:4] == ["2022-03-16 08:00", "2022-03-16 10:00"] and rows[1][4] == "35.14.16.2021-03"


def test_an_old_file_without_the_sheet_gets_the_preset(paskot: Scenario, tmp_path: Path) -> None:
    tables = [t for t in scenario_tables(replace(paskot, stages=()), "id") if t[0] != "tahapan"]
    write_tables(tmp_path / "old.xlsx", tables)
    old = read_scenario(tmp_path / "old.xlsx")
    assert old.stages == () and stages.of(old) == stages.preset(old.operation)


def _problems(paskot: Scenario, tmp_path: Path, rows: list[list[str]]) -> list[tuple[str, int | None, str, str]]:
    tables = [t for t in scenario_tables(replace(paskot, stages=()), "id") if t[0] != "tahapan"]
    tables.append(("tahapan", ["nama", "jenis", "mulai", "selesai"], rows))
    write_tables(tmp_path / "bad.xlsx", tables)
    with pytest.raises(ScenarioError) as caught:
        read_scenario(tmp_path / "bad.xlsx")
    return [(p.code, p.row, p.column, p.value) for p in caught.value.problems]


def test_a_stage_that_ends_before_it_starts_is_refused_naming_the_cell(paskot: Scenario, tmp_path: Path) -> None:
    rows = [
        ["Apel", "APEL_PERGESERAN", "2022-03-22 07.00", "2022-03-22 09:00"],  # 07.00: as Indonesians write it
        ["Rekap", "REKAP_PPK", "2022-03-24 08:00", "2022-03-23 08:00"],
    ]
    assert _problems(paskot, tmp_path, rows) == [("stage_ends_before_start", 3, "selesai", "2022-03-23 08:00")]


def test_a_bad_time_or_kind_is_refused(paskot: Scenario, tmp_path: Path) -> None:
    rows = [["Apel", "UPACARA", "2022-03-22 07:00", "besok pagi"]]
    found = {(code, column) for code, _, column, _ in _problems(paskot, tmp_path, rows)}
    assert found == {("not_in_list", "jenis"), ("not_datetime", "selesai")}


def test_the_sprin_calls_the_apel_on_the_pergeseran_day(paskot: Scenario, tmp_path: Path) -> None:
    two = replace(paskot, operation=replace(paskot.operation, pergeseran_day=2), stages=())
    written = orders.write(two, planner.plan(two), tmp_path / "o", b"k" * 32)
    text = subprocess.run(
        ["pdftotext", str(written.directory / orders.SPRIN), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Senin, tanggal 21 Maret 2022 (H-2)" in " ".join(text.split())


def test_a_spreadsheet_date_time_cell_is_read_and_named_as_people_write_it(paskot: Scenario, tmp_path: Path) -> None:
    rows = [["Rekap", "REKAP_PPK", dt.datetime(2022, 3, 24, 8, 0), dt.datetime(2022, 3, 23, 7, 0)]]
    assert _problems(paskot, tmp_path, rows) == [("stage_ends_before_start", 2, "selesai", "2022-03-23 07:00")]


def _sheet_problems(paskot: Scenario, tmp_path: Path, sheet: str, header: list[str], rows: list[list[str]]):
    tables = [*scenario_tables(paskot, "id"), (sheet, header, rows)]
    write_tables(tmp_path / f"{sheet}.xlsx", tables)
    with pytest.raises(ScenarioError) as caught:
        read_scenario(tmp_path / f"{sheet}.xlsx")
    return [(p.code, p.row, p.column, p.value) for p in caught.value.problems]


def test_a_psu_must_name_known_tps_and_only_a_psu_names_tps(paskot: Scenario, tmp_path: Path) -> None:
    rows = [
        ["PSU", "PSU", "2022-03-30 07:00", "2022-03-30 17:00", ""],
        ["PSU Jeruk", "PSU", "2022-03-30 07:00", "2022-03-30 17:00", "35.14.16.2007-01; 35.14.16.9999-01"],
        ["Rekap", "REKAP_PPK", "2022-03-24 08:00", "2022-03-25 08:00", "35.14.16.2007-01"],
    ]
    found = _sheet_problems(
        replace(paskot, stages=()), tmp_path, "tahapan", ["nama", "jenis", "mulai", "selesai", "tps"], rows
    )
    assert [c for c, *_ in found] == ["psu_without_tps", "unknown_tps", "tps_outside_psu"]
    assert found[1][1:] == (3, "tps", "35.14.16.9999-01")


def test_duty_rules_and_events_are_refused_with_the_cell_named(paskot: Scenario, tmp_path: Path) -> None:
    header = ["tahapan", "tugas", "per", "polri", "waktu"]
    rows = [
        ["REKAP_PPK", "PPK", "KECAMATAN", "5", "WHOLE"],
        ["REKAP_PPK", "PPK", "KECAMATAN", "6", "WHOLE"],
        ["REKAP_PPK", "GUDANG", "DESA", "1", "WHOLE"],
    ]
    found = _sheet_problems(paskot, tmp_path, "aturan_tugas", header, rows)
    assert sorted((c, r, col) for c, r, col, _ in found) == [
        ("duplicate_rule", 3, "tugas"),
        ("not_in_list", 4, "tugas"),
    ]
    header = ["nama", "mulai", "selesai", "lat", "lon", "kode_kecamatan"]
    rows = [
        ["Debat", "2022-03-15 19:00", "2022-03-15 18:00", "-7.65", "112.95", ""],
        ["Kampanye", "2022-03-15 09:00", "2022-03-15 12:00", "-7.65", "112.95", "35.14.99"],
    ]
    found = _sheet_problems(paskot, tmp_path, "kegiatan", header, rows)
    assert [(c, r, col) for c, r, col, _ in found] == [
        ("event_ends_before_start", 2, "selesai"),
        ("unknown_region", 3, "kode_kecamatan"),
    ]
