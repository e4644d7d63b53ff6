"""Issue 17 item 1: a KPU TPS list (CSV or .xlsx) read into an operation's TPS (siaga/core/data/kpu.py
and `siaga scenario kpu-tps`). The lists are written here, in the KPU's shape, for the demo's desa."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo
from siaga.core.data.kpu import FAR_KM, desa_code, kpu_scenario, read_kpu_tps
from siaga.core.data.model import Category, Force
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning import engine

HEADER = ["kode_tps", "kode_desa", "no_tps", "dpt_l", "dpt_p", "dpt", "alamat", "lintang", "bujur"]
FAR_DESA = "35.14.16.2022"  # Kraton: the TPS whose longitude is 1.07
BARE_DESA = "35.14.17.2001"  # Susukan Rejo: a TPS without coordinates
SPECIAL_DESA = "35.14.17.2005"  # Logowok: TPS 901-903 (a prison, a hospital, a pesantren)
UNKNOWN_DESA = "3514992001"  # no such desa in the operation


def kpu_rows(unknown: bool = True) -> list[list[object]]:
    """The demo's TPS as the KPU lists them (undotted codes, DPT split by sex), plus TPS 901-903,
    one longitude of 1.07, one TPS without coordinates and (`unknown`) a desa the operation lacks."""
    scenario = demo.pasuruan_kota()
    rows: list[list[object]] = []
    for t in scenario.tps:
        undotted = t.desa_code.replace(".", "")
        male = t.voters // 2
        lat, lon = t.lat, t.lon
        if t.desa_code == FAR_DESA and t.number == 2:
            lon = 1.07  # as in Kota Tangerang's published list
        if t.desa_code == BARE_DESA and t.number == 3:
            lat = lon = ""
        rows.append(
            [f"{undotted}{t.number:03d}", undotted, t.number, male, t.voters - male, t.voters, t.address, lat, lon]
        )
    logowok = next(r for r in scenario.regions if r.code == SPECIAL_DESA)
    for n, place in ((901, "Lapas Pasuruan"), (902, "RSUD dr. R. Soedarsono"), (903, "Pondok Pesantren")):
        rows.append(["3514172005" + str(n), "3514172005", n, 150, 120, 270, place, logowok.lat, logowok.lon])
    if unknown:
        rows.append([UNKNOWN_DESA + "001", UNKNOWN_DESA, 1, 100, 100, 200, "Dusun Krajan", -7.65, 112.9])
    return rows


def write_kpu_csv(path: Path, unknown: bool = True) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(kpu_rows(unknown))
    return path


def write_kpu_xlsx(path: Path, unknown: bool = True) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "DPT per TPS"
    sheet.append(["Kode TPS", "Kode Desa", "No TPS", "DPT L", "DPT P", "DPT", "Alamat", "Lintang", "Bujur"])
    for row in kpu_rows(unknown):
        sheet.append([None if v == "" else v for v in row])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def scenario():
    return demo.pasuruan_kota()


def test_undotted_codes_are_dotted():
    assert desa_code("3514172001") == "35.14.17.2001"
    assert desa_code("35.14.17.2001") == "35.14.17.2001"
    assert desa_code("35.14.172001") is None
    assert desa_code("351417200") is None


def test_a_kpu_csv_reads_with_exactly_the_expected_messages(tmp_path, scenario):
    rows, warnings, problems = read_kpu_tps(write_kpu_csv(tmp_path / "kpu.csv"), scenario.regions)
    assert [p.message() for p in problems] == [
        f"Berkas 'kpu.csv', baris 157, kolom 'kode_desa', nilai '{UNKNOWN_DESA}': desa 35.14.99.2001 tidak ada"
        " di wilayah operasi ini; perbaiki kodenya, atau tambahkan desanya ke wilayah operasi (lembar wilayah,"
        " atau impor daftar wilayah Kemendagri di halaman Wilayah)"
    ]
    far = next(t for t in scenario.tps if t.desa_code == FAR_DESA and t.number == 2)
    bare_row = 2 + next(i for i, t in enumerate(scenario.tps) if t.desa_code == BARE_DESA and t.number == 3)
    assert [w.message() for w in warnings] == [
        f"Berkas 'kpu.csv', baris 3, kolom 'bujur': koordinat TPS 3514162022002 ({far.lat}, 1.07) di luar"
        " Indonesia; diisi titik desa 35.14.16.2022 Kraton",
        f"Berkas 'kpu.csv', baris {bare_row}, kolom 'lintang': TPS 3514172001003 tanpa koordinat; diisi titik desa"
        " 35.14.17.2001 Susukan Rejo",
    ]
    en = [w.message("en") for w in warnings]
    assert "outside Indonesia" in en[0] and "without coordinates" in en[1], en
    by_id = {t.id: t for t in rows}
    assert len(rows) == 155
    kraton = next(r for r in scenario.regions if r.code == FAR_DESA)
    assert (by_id["3514162022002"].lat, by_id["3514162022002"].lon) == (kraton.lat, kraton.lon)
    for n in (901, 902, 903):
        special = by_id[f"3514172005{n}"]
        assert special.desa_code == SPECIAL_DESA and special.number == n
        assert special.category == Category.KHUSUS and special.category_reason == "TPS lokasi khusus"
        assert special.voters == 270
    assert all(t.category is None for t in rows if t.number < 901)


def test_an_xlsx_reads_the_same_as_the_csv(tmp_path, scenario):
    from_csv = read_kpu_tps(write_kpu_csv(tmp_path / "kpu.csv", unknown=False), scenario.regions)
    from_xlsx = read_kpu_tps(write_kpu_xlsx(tmp_path / "kpu.xlsx", unknown=False), scenario.regions)
    assert from_xlsx[0] == from_csv[0]
    assert from_xlsx[2] == from_csv[2] == []
    assert [w.message() for w in from_xlsx[1]] == [
        w.message().replace("kpu.csv", "kpu.xlsx").replace("'lintang'", "'Lintang'").replace("'bujur'", "'Bujur'")
        for w in from_csv[1]
    ]


def test_a_refused_list_changes_nothing(tmp_path, scenario):
    with pytest.raises(ScenarioError) as refused:
        kpu_scenario(scenario, write_kpu_csv(tmp_path / "kpu.csv"))
    assert len(refused.value.problems) == 1 and "35.14.99.2001" in refused.value.messages()[0]


def test_the_rest_loads_keeps_indicators_and_plans(tmp_path, scenario):
    result, warnings = kpu_scenario(scenario, write_kpu_csv(tmp_path / "kpu.csv", unknown=False))
    assert len(warnings) == 2
    assert len(result.tps) == 155
    old = {t.id: t for t in scenario.tps}
    kept = [t for t in result.tps if t.id in old]
    assert len(kept) == 152  # matched by desa and number: the ids (and what names them) stay
    assert all(t.indicators == old[t.id].indicators for t in kept)
    first = scenario.tps[0]
    assert result.tps[0].category == first.category and result.tps[0].category_reason == first.category_reason
    assert sum(t.voters for t in result.tps) == sum(t.voters for t in scenario.tps) + 3 * 270
    plan = engine.plan_all(result)
    assert set(plan.tps_categories) == {t.id for t in result.tps}
    assert all(plan.tps_categories[f"3514172005{n}"] == Category.KHUSUS for n in (901, 902, 903))
    assert plan.posts and plan.assignments


def test_a_second_import_of_the_same_list_changes_nothing(tmp_path, scenario):
    path = write_kpu_csv(tmp_path / "kpu.csv", unknown=False)
    once, _warnings = kpu_scenario(scenario, path)
    twice, _warnings = kpu_scenario(once, path)
    assert twice.tps == once.tps


def test_a_list_that_drops_a_linmas_s_tps_is_refused_on_the_personnel_sheet(tmp_path, scenario):
    linmas = next(p for p in scenario.personnel if p.force == Force.LINMAS and p.desa_code == FAR_DESA)
    dropped = next(t for t in scenario.tps if t.desa_code == FAR_DESA)
    named = dataclasses.replace(
        scenario,
        personnel=tuple(dataclasses.replace(p, tps_id=dropped.id) if p == linmas else p for p in scenario.personnel),
    )
    path = tmp_path / "kpu.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(r for r in kpu_rows(unknown=False) if r[0] != dropped.id.replace(".", "").replace("-", "0"))
    with pytest.raises(ScenarioError) as refused:
        kpu_scenario(named, path)
    assert [(p.sheet, p.code) for p in refused.value.problems] == [("personnel", "unknown_tps")]


def test_refusals_name_file_row_and_column(tmp_path, scenario):
    path = tmp_path / "salah.csv"
    path.write_text(
        "kode_tps,kode_desa,no_tps,dpt_l,dpt_p,dpt,lintang,bujur\n"
        "3514172001001,3514172001,2,100,100,200,-7.66,112.88\n"  # code and number disagree
        "35141720010,,,,,200,,\n"  # 11 digits
        "3514172001004,3514172001,4,100,90,200,-7.66,112.88\n"  # L + P is not the DPT
        ",3514172001,5,,,,-7.66,112.88\n"  # no DPT
        ",35.14.17.200,6,,,100,-7.66,112.88\n"  # a short desa code
        "3514172001007,3514172001,7,50,50,abc,-7.66,112.88\n",  # not a number
        encoding="utf-8",
    )
    rows, warnings, problems = read_kpu_tps(path, scenario.regions)
    assert [p.message() for p in problems] == [
        "Berkas 'salah.csv', baris 2, kolom 'kode_tps', nilai '3514172001001': kode TPS tidak cocok dengan kode"
        " desa dan nomor TPS di baris yang sama (seharusnya 3514172001002)",
        "Berkas 'salah.csv', baris 3, kolom 'kode_tps', nilai '35141720010': kode TPS KPU harus 13 angka: 10 angka"
        " kode desa tanpa titik lalu 3 angka nomor TPS (3514172001005)",
        "Berkas 'salah.csv', baris 4, kolom 'dpt', nilai '200': DPT 200 tidak sama dengan DPT laki-laki +"
        " perempuan (190)",
        "Berkas 'salah.csv', baris 5, kolom 'dpt': isi DPT (dpt), atau DPT laki-laki dan perempuan (dpt_l dan dpt_p)",
        "Berkas 'salah.csv', baris 6, kolom 'kode_desa', nilai '35.14.17.200': kode desa harus kode Kemendagri 10"
        " angka, bertitik atau tidak (35.14.17.2001 atau 3514172001)",
        "Berkas 'salah.csv', baris 7, kolom 'dpt', nilai 'abc': harus berupa bilangan bulat",
    ]
    assert rows == [] and warnings == []


def test_the_kpu_export_s_name_columns_and_other_headers_are_read(tmp_path, scenario):
    path = tmp_path / "ekspor.csv"
    path.write_text(
        "No,Provinsi,Kabupaten/Kota,Kecamatan,Kelurahan,Kode Kelurahan,Nomor TPS,Laki-laki,Perempuan,"
        "Latitude,Longitude\n"
        "1,JAWA TIMUR,PASURUAN,POHJENTREK,SUSUKAN REJO,3514172001,1,120,130,-7.662,112.880\n",
        encoding="utf-8",
    )
    rows, warnings, problems = read_kpu_tps(path, scenario.regions)
    assert problems == [] and warnings == []
    assert [(t.id, t.desa_code, t.number, t.voters, t.lat, t.lon) for t in rows] == [
        ("3514172001001", "35.14.17.2001", 1, 250, -7.662, 112.88)
    ]


def test_an_unknown_column_is_refused_with_a_hint(tmp_path, scenario):
    path = tmp_path / "typo.csv"
    path.write_text("kode_tps,dtp,lintang,bujur\n3514172001001,200,-7.66,112.88\n", encoding="utf-8")
    _rows, _warnings, problems = read_kpu_tps(path, scenario.regions)
    assert [p.message() for p in problems] == [
        "Berkas 'typo.csv', baris 1, kolom 'dtp': kolom tidak dikenal; maksud Anda 'dpt'?"
    ]


def test_far_from_the_desa_is_filled_with_a_warning(tmp_path, scenario):
    path = tmp_path / "jauh.csv"
    path.write_text("tps_code,voters,lat,lon\n3514172001001,200,-7.20,112.88\n", encoding="utf-8")
    rows, warnings, problems = read_kpu_tps(path, scenario.regions)
    assert problems == [] and len(rows) == 1
    assert f"(batas {FAR_KM:.0f} km); diisi titik desa" in warnings[0].message()
    assert "TPS 3514172001001" in warnings[0].message()


runner = CliRunner()


def test_the_cli_replaces_the_tps_sheet(tmp_path, scenario):
    base = tmp_path / "demo.xlsx"
    write_scenario(scenario, base)
    out = tmp_path / "baru.xlsx"
    result = runner.invoke(
        app,
        ["scenario", "kpu-tps", str(base), str(write_kpu_csv(tmp_path / "kpu.csv", unknown=False)), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "3514162022002" in result.output and "155" in result.output
    assert len(read_scenario(out).tps) == 155


def test_the_cli_refuses_in_english_and_writes_nothing(tmp_path, scenario):
    base = tmp_path / "demo.xlsx"
    write_scenario(scenario, base)
    out = tmp_path / "baru.xlsx"
    result = runner.invoke(
        app,
        ["scenario", "kpu-tps", str(base), str(write_kpu_csv(tmp_path / "kpu.csv")), "--out", str(out), "--lang", "en"],
    )
    assert result.exit_code == 1
    assert "35.14.99.2001" in result.output and "row 157" in result.output
    assert not out.exists()
