"""Issue 17 item 6: the Kemendagri region list (code, name; CSV or .xlsx) for a province or the
whole country read as an operation's regions (siaga/core/data/kemendagri.py and
`siaga scenario regions`). The lists are written here in Kemendagri's shape (never downloaded):
a few provinces' worth, with the demo's own kabupaten, apostrophes, parentheses, KAB./KOTA
prefixes, a desa adat and undotted codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo
from siaga.core.data.kemendagri import read_regions, regions_scenario
from siaga.core.data.model import Level
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning import engine

OTHER_PROVINCES = [
    ("11", "ACEH"),
    ("11.71", "KOTA BANDA ACEH"),
    ("11.71.01", "Meuraxa"),
    ("11.71.01.1001", "Ulee Lheue"),
    ("11.71.01.1002", "Gampong Pie"),
    ("31", "DKI JAKARTA"),
    ("31.01", "KAB. ADM. KEP. SERIBU"),
    ("31.01.01", "Kepulauan Seribu Selatan"),
    ("31.01.01.1001", "Pulau Tidung"),
    ("31.71", "KOTA ADM. JAKARTA PUSAT"),
    ("31.71.01", "Gambir"),
    ("31.71.01.1001", "Gambir"),
    ("51", "BALI"),
    ("51.01", "KAB. JEMBRANA"),
    ("51.01.01", "Negara"),
    ("51.01.01.2001", "Baler Bale Agung"),
    ("51.01.01.3001", "Desa Adat Lelateng"),
    ("73", "SULAWESI SELATAN"),
    ("73.10", "KAB. PANGKAJENE DAN KEPULAUAN"),
    ("73.10.08", "Ma'rang"),
    ("73.10.08.2005", "Pitusunggu (Pulau)"),
    ("73.10.08.1001", "Ma'rang"),
]


def pasuruan_rows() -> list[tuple[str, str]]:
    """The demo's own regions as Kemendagri lists them (Jawa Timur and KAB. PASURUAN first)."""
    rows = [("35", "JAWA TIMUR")]
    rows += [(r.code, r.name) for r in demo.pasuruan_kota().regions]
    rows += [("35.75", "KOTA PASURUAN"), ("35.75.01", "Gadingrejo"), ("35.75.01.1001", "Gadingrejo")]
    return rows


def write_csv(path: Path, rows: list[tuple[str, str]], header: tuple[str, str] = ("kode", "nama")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


def test_it_reads_levels_parents_and_names_as_kemendagri_writes_them(tmp_path: Path) -> None:
    read = read_regions(write_csv(tmp_path / "wilayah.csv", pasuruan_rows() + OTHER_PROVINCES))
    assert read.problems == []
    by_code = {r.code: r for r in read.regions}
    assert read.provinces == {
        "35": "JAWA TIMUR",
        "11": "ACEH",
        "31": "DKI JAKARTA",
        "51": "BALI",
        "73": "SULAWESI SELATAN",
    }
    assert by_code["35.14"].level == Level.KABUPATEN and by_code["35.14"].parent_code == "35"
    assert by_code["35.75"].level == Level.KOTA and by_code["31.71"].level == Level.KOTA
    assert by_code["31.01"].level == Level.KABUPATEN and by_code["31.01"].name == "KAB. ADM. KEP. SERIBU"
    assert by_code["35.14.17"].level == Level.KECAMATAN and by_code["35.14.17"].parent_code == "35.14"
    assert by_code["35.14.17.2005"].level == Level.DESA and by_code["35.14.17.2005"].parent_code == "35.14.17"
    assert by_code["11.71.01.1001"].level == Level.KELURAHAN
    assert by_code["51.01.01.3001"].level == Level.DESA  # a desa adat
    assert by_code["73.10.08"].name == "Ma'rang" and by_code["73.10.08.2005"].name == "Pitusunggu (Pulau)"
    assert len(read.regions) == len(pasuruan_rows()) + len(OTHER_PROVINCES) - 5  # the provinces are not kept


def test_it_reads_undotted_codes_and_a_workbook_alike(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "wilayah"
    sheet.append(["No", "Kode Wilayah", "Nama Wilayah"])
    for i, (code, name) in enumerate(OTHER_PROVINCES, 1):
        sheet.append([i, code.replace(".", ""), name])
    book.save(tmp_path / "wilayah.xlsx")
    read = read_regions(tmp_path / "wilayah.xlsx")
    assert read.problems == []
    assert [r.code for r in read.regions] == [c for c, _ in OTHER_PROVINCES if "." in c]


def test_it_names_each_malformed_code_missing_parent_and_duplicate(tmp_path: Path) -> None:
    rows = OTHER_PROVINCES + [
        ("51.1", "Kode pendek"),  # a segment of the wrong length
        ("35.14.17.20O1", "Huruf O"),  # a letter
        ("51.01.01.5001", "Bagian keempat 5"),  # neither kelurahan, desa nor desa adat
        ("73.10.09.2001", "Tanpa kecamatan"),  # its kecamatan is not listed
        ("51.02.01", "Tanpa kabupaten"),  # its kabupaten is not listed
        ("51.01.01.2001", "Ganda"),  # listed above
        ("", "Tanpa kode"),
    ]
    path = write_csv(tmp_path / "wilayah.csv", rows)
    messages = [p.message() for p in read_regions(path).problems]
    first = len(OTHER_PROVINCES) + 2  # Excel row of the first added row
    assert messages == [
        f"Berkas 'wilayah.csv', baris {first}, kolom 'kode', nilai '51.1': kode wilayah Kemendagri harus 2, 2.2,"
        " 2.2.2 atau 2.2.2.4 angka bertitik (35, 35.14, 35.14.17, 35.14.17.2001), atau angka yang sama tanpa titik",
        f"Berkas 'wilayah.csv', baris {first + 1}, kolom 'kode', nilai '35.14.17.20O1': kode wilayah Kemendagri"
        " harus 2, 2.2, 2.2.2 atau 2.2.2.4 angka bertitik (35, 35.14, 35.14.17, 35.14.17.2001), atau angka yang"
        " sama tanpa titik",
        f"Berkas 'wilayah.csv', baris {first + 2}, kolom 'kode', nilai '51.01.01.5001': kode desa/kelurahan:"
        " bagian keempat harus diawali 1 (kelurahan), 2 (desa) atau 3 (desa adat)",
        f"Berkas 'wilayah.csv', baris {first + 3}, kolom 'kode', nilai '73.10.09.2001': induknya, kecamatan"
        " 73.10.09, tidak ada di daftar; tambahkan baris 73.10.09 atau perbaiki kodenya",
        f"Berkas 'wilayah.csv', baris {first + 4}, kolom 'kode', nilai '51.02.01': induknya, kabupaten/kota"
        " 51.02, tidak ada di daftar; tambahkan baris 51.02 atau perbaiki kodenya",
        f"Berkas 'wilayah.csv', baris {first + 5}, kolom 'kode', nilai '51.01.01.2001': sudah dipakai di baris"
        " 17; kode/id harus unik",
        f"Berkas 'wilayah.csv', baris {first + 6}, kolom 'kode': wajib diisi",
    ]


def test_a_list_becomes_the_operations_regions_and_the_rest_still_plans(tmp_path: Path) -> None:
    scenario = demo.pasuruan_kota()
    path = write_csv(tmp_path / "wilayah.csv", pasuruan_rows() + OTHER_PROVINCES)
    result, read, dropped = regions_scenario(scenario, path)
    assert dropped == []
    by_code = result.region_by_code()
    assert len(result.regions) == len(read.regions)
    old = scenario.region_by_code()["35.14.17.2005"]
    kept = by_code["35.14.17.2005"]
    assert (kept.lat, kept.lon, dict(kept.indicators)) == (old.lat, old.lon, dict(old.indicators))
    assert by_code["51.01.01.3001"].lat is None  # no TPS there: no point needed
    plan = engine.plan(result)
    assert plan.summary["tps"] == len(scenario.tps)


def test_a_region_in_use_that_the_list_lacks_refuses_the_list(tmp_path: Path) -> None:
    rows = [r for r in pasuruan_rows() if r[0] != "35.14.17.2005"]
    path = write_csv(tmp_path / "wilayah.csv", rows)
    with pytest.raises(ScenarioError) as caught:
        regions_scenario(demo.pasuruan_kota(), path)
    assert caught.value.messages() == [
        "Wilayah 35.14.17.2005 Logowok tidak ada di daftar wilayah Kemendagri wilayah.csv, padahal dipakai oleh"
        " TPS operasi ini; tambahkan barisnya ke daftar atau perbaiki data operasinya dahulu"
    ]


def test_the_cli_writes_the_scenario_with_the_list_as_its_regions(tmp_path: Path) -> None:
    source = tmp_path / "demo"
    write_scenario(demo.pasuruan_kota(), source)
    path = write_csv(tmp_path / "wilayah.csv", pasuruan_rows() + OTHER_PROVINCES)
    done = CliRunner().invoke(app, ["scenario", "regions", str(source), str(path), "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert "desa/kelurahan" in done.output
    assert any(r.code == "73.10.08.2005" for r in read_scenario(tmp_path / "out").regions)
    bad = write_csv(tmp_path / "bad.csv", [("35.1", "x")])
    refused = CliRunner().invoke(app, ["scenario", "regions", str(source), str(bad), "--out", str(tmp_path / "x")])
    assert refused.exit_code == 1 and "35.1" in refused.output
    assert not (tmp_path / "x").exists()
