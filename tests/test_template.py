"""The empty template: Indonesian headers, instructions and drop-down lists."""

import openpyxl
import pytest

from siaga.core.data import template
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("t") / "template.xlsx"
    template.write(path)
    return path


def test_it_has_every_sheet_with_indonesian_headers_and_instructions_first(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [
        "petunjuk",
        "operasi",
        "wilayah",
        "tps",
        "satuan",
        "personel",
        "pola",
        "tahapan",
        "aturan_tugas",
        "kegiatan",
        "waktu_tempuh",
    ]
    assert [c.value for c in wb["tps"][1]][:4] == ["id", "kode_desa", "nomor", "dpt"]
    assert [c.value for c in wb["personel"][1]][:3] == ["nrp", "nama", "pangkat"]
    guide = [[c.value for c in row] for row in wb["petunjuk"].iter_rows()]
    assert guide[[r[1] for r in guide].index("dpt")][:4] == ["tps", "dpt", "voters", "ya"]
    assert any(r[1] == "violence_history" for r in guide)


@pytest.mark.parametrize(
    ("sheet", "column", "word"),
    [
        ("wilayah", "C", "KELURAHAN"),
        ("tps", "H", "SANGAT_RAWAN"),
        ("satuan", "C", "KORAMIL"),
        ("personel", "E", "LINMAS"),
    ],
)
def test_it_offers_drop_down_lists_for_enumerated_columns(book, sheet, column, word):
    ws = openpyxl.load_workbook(book)[sheet]
    rules = [dv for dv in ws.data_validations.dataValidation if f"{column}2" in str(dv.sqref).split(":")[0]]
    assert rules and word in rules[0].formula1


def test_it_reads_back_asking_only_for_the_operation_name_and_date(book):
    with pytest.raises(ScenarioError) as caught:
        read_scenario(book)
    assert sorted(p.column for p in caught.value.problems) == ["nama", "tanggal_pemungutan"]
