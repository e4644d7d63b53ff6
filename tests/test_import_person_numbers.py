"""A workbook's NRP/NIK, rank and phone are held to what the console's person forms hold them
to (siaga.core.data.numbers, siaga.core.data.ranks): a bad one refuses the import whole,
named by sheet, row, column and value; a rank or a "no phone" dash the ladder reads is stored
as the form stores it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import numbers
from siaga.core.data.cells import Bad
from siaga.core.data.model import Force
from siaga.core.data.problems import ScenarioError
from siaga.core.data.ranks import read_rank
from siaga.core.data.scenario import read_scenario

LINMAS_ROW = 5  # tests/conftest.py VALID: row 2 Polri, 3 Polri (force from the unit), 4 TNI, 5 and 6 Linmas


@pytest.mark.parametrize(
    ("force", "code", "problem"),
    [
        (Force.POLRI, "78040123", None),
        (Force.POLRI, "1234567", "nrp_lost_zero"),  # a number cell dropped its leading zero
        (Force.POLRI, "123456", "nrp_digits"),
        (Force.BRIMOB, "123456789", "nrp_digits"),
        (Force.POLRI, "7804O123", "nrp_digits"),
        (Force.POLRI, "７８０４０１２３", "nrp_digits"),
        (Force.LINMAS, "3575010101900001", None),
        (Force.LINMAS, "357501010190001", "nik_digits"),
        (Force.LINMAS, "35.75.01.1001-01/2", None),  # named without a NIK by the PPS decree
        (Force.TNI, "21950123", None),  # no written TNI NRP shape: not checked
        (Force.TNI, "31-AB", None),
        (Force.SATPOL_PP, "197001012000011001", None),
    ],
)
def test_check_code_holds_polri_brimob_and_linmas_to_their_number(force, code, problem):
    if problem is None:
        numbers.check_code(force, code)
    else:
        with pytest.raises(Bad) as refused:
            numbers.check_code(force, code)
        assert refused.value.code == problem and refused.value.params == {"written": code}


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("081234567890", "081234567890"),
        ("0812-3456-7890", "0812-3456-7890"),
        ("+62 812 3456 7890", "+62 812 3456 7890"),
        ("(0343) 421234", "(0343) 421234"),
        ("", ""),
        ("-", ""),
        ("–", ""),
        ("08-abc", None),
        ("0812", None),
        ("0812345678901234", None),
        ("0812 3456 / 0813 1234", None),
        ("62+81234567", None),
    ],
)
def test_read_phone_keeps_a_number_and_refuses_what_is_not_one(phone, stored):
    if stored is None:
        with pytest.raises(Bad) as refused:
            numbers.read_phone(phone)
        assert refused.value.code == "not_phone"
    else:
        assert numbers.read_phone(phone) == stored


@pytest.mark.parametrize(
    ("force", "rank", "stored"),
    [
        (Force.POLRI, "BRIPKA", "BRIPKA"),
        (Force.POLRI, "Bripka.", "BRIPKA"),
        (Force.POLRI, "aiptu", "AIPTU"),
        (Force.POLRI, "Kombes Pol.", "KOMBES POL"),
        (Force.TNI, "Serka Inf", "SERKA INF"),
        (Force.TNI, "Kapten Czi TNI AD", "KAPTEN CZI TNI AD"),
        (Force.BRIMOB, "XYZ", None),
        (Force.POLRI, "Jenderal Besar", None),
        (Force.SATPOL_PP, "II/a", "II/a"),  # a civil-service grade, no ladder rank
        (Force.LINMAS, "", ""),
        (Force.POLRI, "", ""),
    ],
)
def test_read_rank_writes_a_ladder_rank_in_capitals_and_refuses_an_unknown_one(force, rank, stored):
    if stored is None:
        with pytest.raises(Bad) as refused:
            read_rank(force, rank)
        assert refused.value.code == "unknown_rank"
    else:
        assert read_rank(force, rank) == stored


@pytest.mark.parametrize(
    ("forces", "codes"),
    [
        ([Force.POLRI, Force.LINMAS, Force.TNI], ["78040123", "3575010101900001", "3123"]),
        ([Force.POLRI, Force.LINMAS], ["7804012", "3575010101900001"]),
        ([Force.BRIMOB, Force.LINMAS], ["78040123", "357501010190000"]),
        ([Force.LINMAS, Force.POLRI], ["35.75.01.1001-01/1", "78040123"]),
        ([Force.LINMAS, Force.POLRI], ["35.75.01.1001-01/1", "7804012A"]),
        ([None, Force.POLRI], ["1", "78040123"]),
        ([Force.POLRI, Force.POLRI], [None, "78040123"]),
    ],
)
def test_the_column_checks_agree_with_the_cell_checks(forces, codes):
    def passes(force, code):
        try:
            numbers.check_code(force, code)
        except Bad:
            return False
        return True

    every = all(passes(f, c) for f, c in zip(forces, codes, strict=True) if c is not None)
    at_once = numbers.codes_valid(forces, codes)
    assert not (at_once and not every)  # never passes a column holding a bad code
    assert at_once or not every or None in codes or "/" in "".join(c or "" for c in codes)  # only to look closer


def test_a_column_of_plain_phones_passes_at_once_and_a_formatted_one_is_read_cell_by_cell():
    assert numbers.phones_valid(["081234567890", "", "6281234567890"])
    assert not numbers.phones_valid(["081234567890", "0812-3456-7890"])  # valid, but read cell by cell
    assert not numbers.phones_valid(["0812"])
    assert not numbers.phones_valid(["081234567890", None])


# ---------------------------------------------------------------- the workbook


def broken(tables):
    tables.set("personnel", 2, "id", "1234567")
    tables.set("personnel", LINMAS_ROW, "id", "357501010190001")
    tables.set("personnel", 3, "phone", "08-abc")
    tables.set("personnel", 4, "rank", "Jendral")
    return tables


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_workbook_with_a_bad_nrp_nik_phone_or_rank_is_refused_naming_each_cell(tables, write_files, fmt):
    with pytest.raises(ScenarioError) as refused:
        read_scenario(write_files(broken(tables), fmt))
    assert [(p.code, p.row, p.value) for p in refused.value.problems] == [
        ("nrp_lost_zero", 2, "1234567"),
        ("not_phone", 3, "08-abc"),
        ("unknown_rank", 4, "Jendral"),
        ("nik_digits", LINMAS_ROW, "357501010190001"),
    ]
    sheet = "personel" if fmt == "xlsx" else "personnel"
    assert {p.sheet for p in refused.value.problems} == {sheet}


def test_the_refusal_speaks_the_readers_language(tables, write_files):
    with pytest.raises(ScenarioError) as refused:
        read_scenario(write_files(broken(tables), "xlsx"))
    indonesian, english = refused.value.messages("id"), refused.value.messages("en")
    assert indonesian[0] == "Lembar 'personel', baris 2, kolom 'nrp', nilai '1234567': " + (
        "NRP Polri harus 8 angka; tertulis 1234567 (7 angka): sel berformat angka menghapus nol di depan. "
        "Format kolom sebagai teks, lalu tulis NRP lengkap (mis. 01234567)."
    )
    assert "kolom 'no_hp', nilai '08-abc': No. HP hanya angka" in indonesian[1]
    assert "8 sampai 15 angka" in indonesian[1]
    assert "Pangkat JENDRAL tidak dikenal" in indonesian[2]
    assert "NIK Linmas harus 16 angka (seperti pada KTP); tertulis 357501010190001." in indonesian[3]
    assert english[0].endswith("Format the column as text, then write the whole NRP (e.g. 01234567).")
    assert "A mobile number is digits only" in english[1]
    assert "A Linmas NIK has 16 digits" in english[3]


def test_a_7_digit_nrp_written_as_a_number_is_refused_too(tables, write_files):
    tables.set("personnel", 2, "id", 1234567)  # a number cell: Excel kept no leading zero
    with pytest.raises(ScenarioError) as refused:
        read_scenario(write_files(tables, "xlsx"))
    assert [(p.code, p.value) for p in refused.value.problems] == [("nrp_lost_zero", "1234567")]


def test_ranks_the_ladder_reads_and_a_dash_for_no_phone_are_stored_as_the_form_stores_them(tables, write_files):
    tables.set("personnel", 2, "rank", "Bripka.").set("personnel", 3, "rank", "aiptu")
    tables.set("personnel", 4, "rank", "Serda Inf").set("personnel", 2, "phone", "-")
    tables.set("personnel", 3, "phone", "+62 812-3456-7890")
    people = {p.id: p for p in read_scenario(write_files(tables, "xlsx")).personnel}
    assert (people["78040123"].rank, people["80050011"].rank, people["21950123"].rank) == (
        "BRIPKA",
        "AIPTU",
        "SERDA INF",
    )
    assert (people["78040123"].phone, people["80050011"].phone) == ("", "+62 812-3456-7890")


def test_a_satpol_pp_grade_and_a_tni_number_of_any_shape_go_in(tables, write_files):
    tables.add_row("units", code="SATPOL", name="Satpol PP", kind="SATPOL_PP", lat=-7.64, lon=112.9)
    tables.add_row("personnel", id="SPP-01", name="Rina", rank="II/a", unit_code="SATPOL", force="SATPOL_PP")
    tables.set("personnel", 4, "id", "31-AB-2009")
    people = {p.id: p for p in read_scenario(write_files(tables, "csv")).personnel}
    assert people["SPP-01"].rank == "II/a" and "31-AB-2009" in people


def test_a_large_folder_read_by_columns_is_refused_with_the_same_messages(tables, write_files):
    folder = write_files(tables, "csv")
    with (folder / "personnel.csv").open("a", encoding="utf-8", newline="") as f:
        rows = csv.writer(f)
        for i in range(3000):  # enough for the columnar reader's fast paths
            rows.writerow([f"7{i:07d}", f"Anggota {i}", "BRIPDA", "POLRES", "POLRI", "", f"0812{i:08d}", "ya"])
        rows.writerow(["7123456", "Pendek", "BRIPDA", "POLRES", "POLRI", "", "", "ya"])
    with pytest.raises(ScenarioError) as refused:
        read_scenario(folder)
    assert [(p.code, p.row, p.value) for p in refused.value.problems] == [("nrp_lost_zero", 3007, "7123456")]


def test_the_cli_plan_refuses_the_workbook_with_the_message_and_writes_nothing(tables, write_files, tmp_path):
    book = write_files(broken(tables), "xlsx")
    out = tmp_path / "plan-out"
    result = CliRunner().invoke(app, ["plan", str(book), "--out", str(out)])
    assert result.exit_code == 1
    assert "Lembar 'personel', baris 2, kolom 'nrp', nilai '1234567': NRP Polri harus 8 angka" in result.output
    assert "nilai '08-abc': No. HP hanya angka" in result.output
    assert not Path(out).exists()
