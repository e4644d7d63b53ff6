"""The fast writers of the orders (issue 18) write what the slow ones wrote: the ploting
workbook reads back through openpyxl and calamine with its values, styles, widths, frozen
header, filter and print settings; a QR code's vector path draws exactly its dark modules,
whatever the mix of sizes and however many codes are made at once."""

from __future__ import annotations

import re

import numpy as np
import pytest
from openpyxl import load_workbook

from siaga.core.data.workbook import ReportTable, read_tables, write_report
from siaga.core.documents import pdf, qr

HOSTILE = ['=HYPERLINK("x")', "+62812", "-", "@SUM(A1)", "\tcmd", "\rcr", "=1+1"]


@pytest.fixture
def book(tmp_path):
    summary = [
        ReportTable(
            "Ploting personel: <Operasi> & 'Mantap'", ("Keterangan", "Nilai"), [("Jumlah", 42), ("Bobot", 0.1)]
        ),
        ReportTable("Slot kosong", ("Kecamatan", "Kosong", "Aktif"), [("Kraton", 3, True), ("Bangil", None, False)]),
    ]
    rows = [
        (1, "Rizki Santoso", "BRIPTU", "00040001", "a" * 80),
        *((n, name, "", "_x0041_", "") for n, name in enumerate(HOSTILE, start=2)),
        (9, "Ṣāliḥ Nguyễn\x07", "AKP", "78040123", "  spasi  "),
    ]
    data = ReportTable("", ("No", "Nama", "Pangkat", "NRP", "Keterangan"), rows)
    path = tmp_path / "ploting.xlsx"
    write_report(path, [("Ringkasan", summary), ("Kec. O'Brien [1]", [data])])
    return path


def test_it_reads_back_every_value_as_written(book):
    wb = load_workbook(book)
    assert wb.sheetnames == ["Ringkasan", "Kec. O'Brien  1"]
    summary = [tuple(r) for r in wb["Ringkasan"].iter_rows(values_only=True)]
    assert summary == [
        ("Ploting personel: <Operasi> & 'Mantap'", None, None),
        ("Keterangan", "Nilai", None),
        ("Jumlah", 42, None),
        ("Bobot", 0.1, None),
        (None, None, None),
        ("Slot kosong", None, None),
        ("Kecamatan", "Kosong", "Aktif"),
        ("Kraton", 3, True),
        ("Bangil", None, False),
    ]
    data = [tuple(r) for r in wb["Kec. O'Brien  1"].iter_rows(values_only=True)]
    assert data[0] == ("No", "Nama", "Pangkat", "NRP", "Keterangan")
    assert data[1] == (1, "Rizki Santoso", "BRIPTU", "00040001", "a" * 80)
    assert [r[1] for r in data[2:9]] == HOSTILE  # a carriage return and a tab kept, never a formula
    assert {r[3] for r in data[2:9]} == {"_x005F_x0041_"}  # escaped: Excel shows it as typed
    assert data[9] == (9, "Ṣāliḥ Nguyễn", "AKP", "78040123", "  spasi  ")  # control characters dropped


def test_another_reader_opens_it_with_the_same_values(book):
    sheets = {s.name: s for s in read_tables(book)}
    data = sheets["Kec. O'Brien  1"]
    assert data.header == ["No", "Nama", "Pangkat", "NRP", "Keterangan"]
    assert [r[1] for r in data.rows[1:8]] == HOSTILE
    assert {r[3] for r in data.rows[1:8]} == {"_x0041_"}  # an Excel escape look-alike, as typed


def test_it_keeps_formula_like_text_as_quoted_text(book):
    sheet = load_workbook(book)["Kec. O'Brien  1"]
    for row in sheet.iter_rows(min_row=2):
        name = row[1]
        assert name.data_type == "s"
        assert name.quotePrefix == (name.value in HOSTILE), name.value


def test_it_styles_titles_and_headers_and_sizes_the_columns(book):
    wb = load_workbook(book)
    summary = wb["Ringkasan"]
    assert summary["A1"].font.b and summary["A1"].font.sz == 12
    for cell in (summary["A2"], summary["B2"], summary["C7"]):
        assert cell.font.b and cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("DDDDDD")
    assert not summary["A3"].font.b and summary["A3"].fill.fill_type is None
    assert summary.freeze_panes is None and not summary.auto_filter.ref
    widths = {k: v.width for k, v in wb["Kec. O'Brien  1"].column_dimensions.items()}
    assert widths == {"A": 6, "B": 17, "C": 9, "D": 10, "E": 50}  # longest text + 2, from 6 to 50


def test_a_data_sheet_freezes_filters_and_repeats_its_header(book):
    wb = load_workbook(book)
    sheet = wb["Kec. O'Brien  1"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E10"
    assert sheet.print_title_rows == "$1:$1"
    for s in wb.worksheets:
        assert s.page_setup.orientation == "landscape"
        assert str(s.page_setup.paperSize) == s.PAPERSIZE_A4
        assert int(s.page_setup.fitToWidth) == 1 and int(s.page_setup.fitToHeight) == 0
        assert s.sheet_properties.pageSetUpPr.fitToPage
        assert s.oddFooter.center.text == "Halaman &P dari &N"
        assert s.oddHeader.left.text == "&A"


def _drawn(code: pdf.Code) -> np.ndarray:
    """The modules a code's path fills, as a 0/1 matrix (row 0 at the top)."""
    out = np.zeros((code.count, code.count), dtype=np.uint8)
    for x, y, w in re.findall(r"(\d+) +(\d+) +(\d+) 1 re", code.path):
        out[code.count - 1 - int(y), int(x) : int(x) + int(w)] = 1
    return out


def test_a_codes_path_fills_exactly_its_dark_modules():
    rng = np.random.default_rng(7)
    texts = ["x" * int(n) for n in rng.integers(1, 200, size=pdf.CODES_AT_ONCE + 40)]  # several sizes, two passes
    matrices = [qr.matrix(t) for t in texts]
    matrices += [np.ones((5, 5), dtype=np.uint8), np.zeros((3, 3), dtype=np.uint8)]
    made = pdf.codes(matrices)
    assert len({c.count for c in made}) > 3
    for m, code in zip(matrices, made, strict=True):
        assert code.count == len(m)
        assert (_drawn(code) == m).all()
    assert pdf.codes([]) == []


def test_a_page_draws_a_code_from_its_matrix_as_from_its_path():
    m = qr.matrix("token")
    by_matrix, by_code = pdf.Page(), pdf.Page()
    by_matrix.qr(10, 20, 100, m)
    by_code.qr(10, 20, 100, pdf.codes([m])[0])
    assert by_matrix.ops == by_code.ops and " re" in str(by_code.ops[0])
