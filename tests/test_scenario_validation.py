"""Every validation rule of the scenario contract (SCENARIO.md section 1), broken one at a time.

The corpus is a table: each case breaks the valid scenario of conftest.py in one place and
names the one problem it must yield (code, sheet, Excel row, column, value). Each case is
written both as a workbook with Indonesian names and as a CSV folder with English names, so
the places reported are checked in the words the user's file uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ALIASES, FORMATS, Tables, alias, small_scenario, write_csv_folder, write_xlsx

from siaga.core.data.model import Category, Force
from siaga.core.data.problems import ScenarioError, UnreadableFile
from siaga.core.data.scenario import read_scenario


@dataclass(frozen=True)
class Case:
    """One broken file: how to break the valid tables, and the problem that must be reported.

    `sheet` and `column` are English canonical names, localised when the file is Indonesian;
    names that are not in the contract (typos, "alias / name" pairs) are taken literally.
    """

    id: str
    mutate: Callable[[Tables], object]
    code: str
    sheet: str
    row: int | None
    column: str = ""
    value: str = ""
    formats: tuple[str, ...] = ("xlsx", "csv")
    also: list[tuple[str, str, int | None, str]] = field(default_factory=list)


def extra_sheet(name: str) -> Callable[[Tables], object]:
    def mutate(t: Tables) -> None:
        t.sheets[name] = [["id", "name"], ["1", "x"]]

    return mutate


def drop_row(sheet: str, row: int) -> Callable[[Tables], object]:
    def mutate(t: Tables) -> None:
        del t.sheets[sheet][row - 1]

    return mutate


def custom_patterns(t: Tables, *rows: list[object]) -> None:
    """A custom pattern: the given rows, then a sound row for every category they leave out."""
    t.set("operation", 4, "value", "custom")
    named = {str(r[0]).upper() for r in rows}
    filler = [[c, 1, 1, 0, 2] for c in ("KURANG_RAWAN", "RAWAN", "SANGAT_RAWAN") if c not in named]
    t.sheets["patterns"] = [
        ["category", "tps_per_post", "polri_per_post", "tni_per_post", "linmas_per_tps"],
        *rows,
        *filler,
    ]


def set_cells(*edits: tuple[str, int, str, object]) -> Callable[[Tables], object]:
    def mutate(t: Tables) -> None:
        for sheet, row, column, value in edits:
            t.set(sheet, row, column, value)

    return mutate


# fmt: off
CORPUS = [
    # -- operation
    Case("operation-unknown-key", lambda t: t.add_row("operation", key="tanggal_pemungutn", value="2022-03-23"),
         "unknown_key", "operation", 5, "key", "tanggal_pemungutn"),
    Case("operation-name-blank", set_cells(("operation", 2, "value", "")), "required", "operation", 2, "name"),
    Case("operation-date-missing", drop_row("operation", 3), "required", "operation", None,
         "tanggal_pemungutan / election_date"),
    Case("operation-bad-date", set_cells(("operation", 3, "value", "23/03/2022")),
         "not_date", "operation", 3, "election_date", "23/03/2022"),
    Case("operation-impossible-date", set_cells(("operation", 3, "value", "2022-02-30")),
         "not_date", "operation", 3, "election_date", "2022-02-30"),
    Case("operation-unknown-pattern", set_cells(("operation", 4, "value", "pemilu-2099")),
         "unknown_pattern", "operation", 4, "pattern", "pemilu-2099"),
    Case("operation-custom-without-patterns", set_cells(("operation", 4, "value", "custom")),
         "patterns_needed", "pola / patterns", None),
    Case("operation-setting-not-number", lambda t: t.add_row("operation", key="road_factor", value="cepat"),
         "not_number", "operation", 5, "road_factor", "cepat"),
    Case("operation-duplicate-key", lambda t: t.add_row("operation", key="Name", value="Pam lain"),
         "duplicate", "operation", 5, "key", "Name"),
    Case("operation-unknown-column", lambda t: t.add_column("operation", "keterangan"),
         "unknown_column", "operation", 1, "keterangan"),
    Case("operation-missing-key-column", lambda t: t.rename_column("operation", "key", "setting"),
         "missing_column", "operation", 1, "kunci / key", also=[("unknown_column", "operation", 1, "setting")]),
    Case("operation-team-size-zero", lambda t: t.add_row("operation", key="reserve_team_size", value=0),
         "too_small", "operation", 5, "reserve_team_size", "0"),
    # -- regions
    Case("regions-duplicate-code", lambda t: t.copy_row("regions", 4, name="Krapyak lagi"),
         "duplicate", "regions", 6, "code", "35.75.01.1001"),
    Case("regions-level-outside-list", set_cells(("regions", 3, "level", "PROVINSI")),
         "not_in_list", "regions", 3, "level", "PROVINSI"),
    Case("regions-desa-without-lat", set_cells(("regions", 4, "lat", "")), "required", "regions", 4, "lat"),
    Case("regions-desa-without-lon", set_cells(("regions", 5, "lon", "")), "required", "regions", 5, "lon"),
    Case("regions-kecamatan-parent-unknown", set_cells(("regions", 3, "parent_code", "35.99")),
         "unknown_region", "regions", 3, "parent_code", "35.99"),
    Case("regions-desa-parent-is-kota", set_cells(("regions", 4, "parent_code", "35.75")),
         "wrong_level", "regions", 4, "parent_code", "35.75"),
    Case("regions-desa-parent-is-a-desa", set_cells(("regions", 5, "parent_code", "35.75.01.1001")),
         "wrong_level", "regions", 5, "parent_code", "35.75.01.1001"),
    Case("regions-kecamatan-without-parent", set_cells(("regions", 3, "parent_code", "")),
         "required", "regions", 3, "parent_code"),
    Case("regions-lat-outside-indonesia", set_cells(("regions", 4, "lat", 12.5)),
         "outside_indonesia", "regions", 4, "lat", "12.5"),
    Case("regions-lon-outside-indonesia", set_cells(("regions", 5, "lon", 150)),
         "outside_indonesia", "regions", 5, "lon", "150"),
    Case("regions-lat-not-number", set_cells(("regions", 4, "lat", "tujuh")),
         "not_number", "regions", 4, "lat", "tujuh"),
    Case("regions-indicator-out-of-range", set_cells(("regions", 4, "candidates", 9)),
         "too_large", "regions", 4, "candidates", "9"),
    Case("regions-tps-indicator", lambda t: t.add_column("regions", "violence_history", {4: "ya"}),
         "indicator_scope", "regions", 1, "violence_history"),
    # -- tps
    Case("tps-duplicate-id", set_cells(("tps", 3, "id", "35.75.01.1001-01")),
         "duplicate", "tps", 3, "id", "35.75.01.1001-01"),
    Case("tps-unknown-desa", set_cells(("tps", 4, "desa_code", "35.75.01.1099")),
         "unknown_region", "tps", 4, "desa_code", "35.75.01.1099"),
    Case("tps-desa-is-a-kecamatan", set_cells(("tps", 4, "desa_code", "35.75.01")),
         "wrong_level", "tps", 4, "desa_code", "35.75.01"),
    Case("tps-negative-voters", set_cells(("tps", 3, "voters", -5)), "too_small", "tps", 3, "voters", "-5"),
    Case("tps-voters-not-whole", set_cells(("tps", 3, "voters", 240.5)),
         "not_integer", "tps", 3, "voters", "240.5"),
    Case("tps-voters-blank", set_cells(("tps", 4, "voters", "")), "required", "tps", 4, "voters"),
    Case("tps-id-blank", set_cells(("tps", 3, "id", "  ")), "required", "tps", 3, "id"),
    Case("tps-number-zero", set_cells(("tps", 2, "number", 0)), "too_small", "tps", 2, "number", "0"),
    Case("tps-lat-outside-indonesia", set_cells(("tps", 2, "lat", -12)),
         "outside_indonesia", "tps", 2, "lat", "-12"),
    Case("tps-lon-outside-indonesia", set_cells(("tps", 4, "lon", 94.5)),
         "outside_indonesia", "tps", 4, "lon", "94.5"),
    Case("tps-lat-not-number", set_cells(("tps", 3, "lat", "-7.6 LS")), "not_number", "tps", 3, "lat", "-7.6 LS"),
    Case("tps-category-outside-list", set_cells(("tps", 3, "category", "GAWAT"), ("tps", 3, "category_reason", "x")),
         "not_in_list", "tps", 3, "category", "GAWAT"),
    Case("tps-category-without-reason", set_cells(("tps", 3, "category", "KHUSUS")),
         "reason_required", "tps", 3, "category_reason"),
    Case("tps-indicator-not-yes-no", set_cells(("tps", 3, "violence_history", "mungkin")),
         "not_bool", "tps", 3, "violence_history", "mungkin"),
    Case("tps-indicator-out-of-range", set_cells(("tps", 4, "violence_history", 2)),
         "not_bool", "tps", 4, "violence_history", "2"),
    Case("tps-indicator-typo", lambda t: t.add_column("tps", "violance_history", {2: "ya"}),
         "unknown_column", "tps", 1, "violance_history"),
    Case("tps-desa-indicator", lambda t: t.add_column("tps", "candidates", {2: 2}),
         "indicator_scope", "tps", 1, "candidates"),
    Case("tps-missing-column", lambda t: t.drop_column("tps", "voters"),
         "missing_column", "tps", 1, "dpt / voters"),
    Case("tps-duplicate-column", lambda t: t.add_column("tps", "voters", {2: 250}),
         "duplicate_column", "tps", 1, "voters"),
    # -- units
    Case("units-duplicate-code", lambda t: t.copy_row("units", 2), "duplicate", "units", 5, "code", "POLRES"),
    Case("units-kind-outside-list", set_cells(("units", 4, "kind", "KOREM")),
         "not_in_list", "units", 4, "kind", "KOREM"),
    Case("units-polsek-without-kecamatan", set_cells(("units", 3, "kecamatan_code", "")),
         "sector_needs_kecamatan", "units", 3, "kecamatan_code"),
    Case("units-koramil-without-kecamatan", set_cells(("units", 4, "kind", "Koramil")),
         "sector_needs_kecamatan", "units", 4, "kecamatan_code"),
    Case("units-sector-is-a-desa", set_cells(("units", 3, "kecamatan_code", "35.75.01.1001")),
         "wrong_level", "units", 3, "kecamatan_code", "35.75.01.1001"),
    Case("units-kecamatan-unknown", set_cells(("units", 3, "kecamatan_code", "35.75.09")),
         "unknown_region", "units", 3, "kecamatan_code", "35.75.09"),
    Case("units-lon-outside-indonesia", set_cells(("units", 2, "lon", 160.2)),
         "outside_indonesia", "units", 2, "lon", "160.2"),
    Case("units-unknown-column", lambda t: t.add_column("units", "komandan"),
         "unknown_column", "units", 1, "komandan"),
    # -- personnel
    Case("personnel-duplicate-id", lambda t: t.copy_row("personnel", 2, name="Budi Lain"),
         "duplicate", "personnel", 7, "id", "78040123"),
    Case("personnel-linmas-without-desa", set_cells(("personnel", 5, "desa_code", "")),
         "linmas_needs_desa", "personnel", 5, "desa_code"),
    Case("personnel-linmas-unknown-desa", set_cells(("personnel", 6, "desa_code", "35.75.01.1999")),
         "unknown_region", "personnel", 6, "desa_code", "35.75.01.1999"),
    Case("personnel-linmas-desa-is-a-kecamatan", set_cells(("personnel", 6, "desa_code", "35.75.01")),
         "wrong_level", "personnel", 6, "desa_code", "35.75.01"),
    Case("personnel-polri-without-unit", set_cells(("personnel", 2, "unit_code", "")),
         "needs_unit", "personnel", 2, "unit_code"),
    Case("personnel-unknown-unit", set_cells(("personnel", 2, "unit_code", "POLRESTA")),
         "unknown_unit", "personnel", 2, "unit_code", "POLRESTA"),
    Case("personnel-force-blank-no-unit", set_cells(("personnel", 3, "unit_code", "")),
         "force_unknown", "personnel", 3, "force"),
    Case("personnel-force-outside-list", set_cells(("personnel", 4, "force", "ARMY")),
         "not_in_list", "personnel", 4, "force", "ARMY"),
    Case("personnel-available-not-yes-no", set_cells(("personnel", 2, "available", "mungkin")),
         "not_bool", "personnel", 2, "available", "mungkin"),
    Case("personnel-polri-unknown-desa", set_cells(("personnel", 2, "desa_code", "35.75.01.1999")),
         "unknown_region", "personnel", 2, "desa_code", "35.75.01.1999"),
    Case("personnel-force-blank-unit-of-no-force", lambda t: (
        t.add_row("units", code="PAM", name="Satgas Pam", kind="OTHER", lat=-7.6, lon=112.9),
        t.set("personnel", 3, "unit_code", "PAM")), "force_unknown", "personnel", 3, "force"),
    # -- patterns (for operation.pattern = custom)
    Case("patterns-duplicate-category", lambda t: custom_patterns(t, ["RAWAN", 2, 1, 0, 2], ["Rawan", 1, 1, 0, 2]),
         "duplicate", "patterns", 3, "category", "RAWAN"),
    Case("patterns-no-tps-per-post", lambda t: custom_patterns(t, ["RAWAN", 0, 1, 0, 2]),
         "too_small", "patterns", 2, "tps_per_post", "0"),
    Case("patterns-linmas-not-number", lambda t: custom_patterns(t, ["KHUSUS", 1, 1, 0, "dua"]),
         "not_number", "patterns", 2, "linmas_per_tps", "dua"),
    # -- sheets
    Case("sheet-unknown-with-hint", extra_sheet("personil"), "unknown_sheet", "personil", None),
    Case("sheet-unknown", extra_sheet("catatan"), "unknown_sheet", "catatan", None),
    Case("sheet-missing", lambda t: t.drop_sheet("tps"), "missing_sheet", "tps", None),
    Case("sheet-empty", lambda t: t.sheets.update(tps=[]), "empty_sheet", "tps", 1),
    Case("sheet-twice-in-two-languages", extra_sheet("Personnel"), "duplicate_sheet", "Personnel", None,
         formats=("xlsx",)),
]
# fmt: on

CASES = [pytest.param(case, fmt, id=f"{case.id}-{fmt}") for case in CORPUS for fmt in case.formats]


def localised(code: str, sheet: str, row: int | None, column: str, fmt: str) -> tuple[str, str, int | None, str]:
    """A problem's place as the file of format `fmt` names it."""
    if FORMATS[fmt] == "id" and sheet in ALIASES:
        return code, alias(sheet), row, alias(sheet, column) if column else ""
    return code, sheet, row, column


def expected_problems(case: Case, fmt: str) -> list[tuple[str, str, int | None, str]]:
    first = localised(case.code, case.sheet, case.row, case.column, fmt)
    return sorted([first, *(localised(*p, fmt) for p in case.also)], key=str)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_it_reads_the_valid_scenario_in_both_formats(tables, write_files):
    for fmt in FORMATS:
        assert read_scenario(write_files(tables, fmt)) == small_scenario()


def test_the_corpus_holds_at_least_30_broken_files():
    assert len(CORPUS) >= 30
    assert len({c.id for c in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("case", "fmt"), CASES)
def test_it_reports_the_one_specific_problem_and_loads_nothing(case, fmt, tables, write_files, tmp_path):
    case.mutate(tables)
    path = write_files(tables, fmt)
    before = snapshot(tmp_path)

    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)

    assert not isinstance(caught.value, UnreadableFile)
    found = [(p.code, p.sheet, p.row, p.column) for p in caught.value.problems]
    assert sorted(found, key=str) == expected_problems(case, fmt)
    [problem] = [p for p in caught.value.problems if p.code == case.code]
    assert problem.value == case.value
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(("case", "fmt"), CASES)
def test_it_names_sheet_row_column_and_value_in_both_languages(case, fmt, tables, write_files):
    case.mutate(tables)
    with pytest.raises(ScenarioError) as caught:
        read_scenario(write_files(tables, fmt))
    at = next(i for i, p in enumerate(caught.value.problems) if p.code == case.code)
    problem = caught.value.problems[at]
    indonesian, english = caught.value.messages()[at], caught.value.messages("en")[at]

    assert indonesian.startswith(f"Lembar '{problem.sheet}'")
    assert english.startswith(f"Sheet '{problem.sheet}'")
    assert problem.row is None or (f"baris {problem.row}" in indonesian and f"row {problem.row}" in english)
    assert "lembar" not in english.lower() and "baris" not in english and "kolom" not in english
    assert indonesian.split(": ", 1)[1] != english.split(": ", 1)[1]  # what was expected, in each language
    for message in (indonesian, english):
        assert f"'{problem.column}'" in message or not problem.column
        assert f"'{problem.value}'" in message or not problem.value
        assert "{" not in message


@pytest.mark.parametrize(
    ("mutate", "suggestion"),
    [
        (extra_sheet("personil"), "personel"),
        (lambda t: t.add_column("tps", "violance_history"), "violence_history"),
        (lambda t: t.add_row("operation", key="tanggal_pemungutn", value="2022-03-23"), "tanggal_pemungutan"),
    ],
    ids=["sheet", "indicator-column", "operation-key"],
)
def test_it_suggests_the_name_a_typo_was_meant_to_be(mutate, suggestion, tables, write_files):
    mutate(tables)
    with pytest.raises(ScenarioError) as caught:
        read_scenario(write_files(tables, "csv"))
    assert f"did you mean '{suggestion}'?" in caught.value.messages("en")[0]
    assert f"maksud Anda '{suggestion}'?" in caught.value.messages("id")[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_reports_every_problem_in_sheet_and_row_order(fmt, tables, write_files):
    tables.set("operation", 3, "value", "kemarin")
    tables.set("regions", 5, "lat", 40)
    tables.set("regions", 3, "level", "PROVINSI")
    tables.set("tps", 4, "voters", -1)
    tables.set("tps", 2, "desa_code", "35.75.01.1099")
    tables.set("tps", 3, "lat", "x")
    tables.set("personnel", 6, "force", "ARMY")
    tables.set("personnel", 2, "unit_code", "POLRESTA")

    with pytest.raises(ScenarioError) as caught:
        read_scenario(write_files(tables, fmt))

    assert [(p.code, p.sheet, p.row, p.column) for p in caught.value.problems] == [
        localised(*problem, fmt)
        for problem in [
            ("not_date", "operation", 3, "election_date"),
            ("not_in_list", "regions", 3, "level"),
            ("outside_indonesia", "regions", 5, "lat"),
            ("unknown_region", "tps", 2, "desa_code"),
            ("not_number", "tps", 3, "lat"),
            ("too_small", "tps", 4, "voters"),
            ("unknown_unit", "personnel", 2, "unit_code"),
            ("not_in_list", "personnel", 6, "force"),
        ]
    ]


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("AMAN", Category.KURANG_RAWAN),
        ("Rawan Ringan", Category.KURANG_RAWAN),
        ("Rawan 1", Category.RAWAN),
        ("rawan_sedang", Category.RAWAN),
        ("RAWAN_2", Category.SANGAT_RAWAN),
        ("rawan-berat", Category.SANGAT_RAWAN),
        ("sangat rawan", Category.SANGAT_RAWAN),
        ("Khusus", Category.KHUSUS),
    ],
)
def test_it_maps_legacy_and_loosely_written_categories(written, category, tables, write_files):
    tables.set("tps", 3, "category", written).set("tps", 3, "category_reason", "Mabes 2015")
    for fmt in FORMATS:
        assert read_scenario(write_files(tables, fmt)).tps[1].category == category


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_accepts_indonesian_and_english_names(fmt, lang, tables, write_files):
    assert read_scenario(write_files(tables, fmt, lang)) == small_scenario()


def test_it_accepts_names_in_any_case_with_spaces_and_hyphens(tables, tmp_path):
    sheets = tables.localised("id")
    sheets["Wilayah"] = sheets.pop("wilayah")
    sheets["tps"][0] = [
        "ID",
        "Kode Desa",
        "Nomor",
        "DPT",
        "Lintang",
        "Bujur",
        "Alamat",
        "Kategori",
        "Alasan",
        "Violence-History",
    ]
    assert read_scenario(write_xlsx(tmp_path / "s.xlsx", sheets)) == small_scenario()


def test_it_reads_the_literal_indonesian_contract_names(tables, tmp_path):
    sheets = tables.localised("id")
    assert set(sheets) == {"operasi", "wilayah", "tps", "satuan", "personel"}
    assert sheets["operasi"][0] == ["kunci", "nilai"]
    assert [r[0] for r in sheets["operasi"][1:]] == ["nama", "tanggal_pemungutan", "pola"]
    assert sheets["tps"][0][:4] == ["id", "kode_desa", "nomor", "dpt"]
    assert sheets["personel"][0][:5] == ["nrp", "nama", "pangkat", "satuan", "unsur"]
    assert read_scenario(write_csv_folder(tmp_path / "id", sheets)) == small_scenario()


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_keeps_leading_zeros_of_codes_written_as_text(fmt, tables, write_files):
    tables.set("tps", 2, "id", "007").set("personnel", 2, "id", "00120123").set("personnel", 2, "phone", "08123456")
    scenario = read_scenario(write_files(tables, fmt))
    assert scenario.tps[0].id == "007"
    assert (scenario.personnel[0].id, scenario.personnel[0].phone) == ("00120123", "08123456")


@pytest.mark.parametrize("number", [78040123, 78040123.0, 3575010101900003])
def test_it_reads_whole_numbers_typed_into_id_cells_as_text_without_a_decimal_point(number, tables, write_files):
    row = 5 if number > 10**8 else 2  # a 16-digit NIK is a Linmas member's (row 5), an 8-digit NRP Polri's
    tables.set("personnel", row, "id", number).set("units", 2, "code", 1.0).set("personnel", 2, "unit_code", 1)
    scenario = read_scenario(write_files(tables, "xlsx"))
    assert scenario.personnel[row - 2].id == str(int(number))
    assert scenario.units[0].code == "1"
    assert scenario.personnel[0].unit_code == "1"


def test_it_derives_a_blank_force_from_the_unit(tables, write_files):
    tables.set("personnel", 2, "force", "").set("personnel", 4, "force", "")
    personnel = read_scenario(write_files(tables, "csv")).personnel
    assert (personnel[0].force, personnel[2].force) == (Force.POLRI, Force.TNI)


def test_it_reads_decimal_commas_and_yes_no_words(tables, write_files):
    tables.set("tps", 2, "lat", "-7,651").set("personnel", 2, "available", "Tidak")
    scenario = read_scenario(write_files(tables, "csv"))
    assert scenario.tps[0].lat == -7.651
    assert scenario.personnel[0].available is False


def test_it_takes_excel_dates_and_skips_blank_rows_keeping_row_numbers(tables, tmp_path):
    sheets = tables.localised("id")
    sheets["operasi"][2][1] = dt.date(2022, 3, 23)
    sheets["tps"].insert(2, [""] * len(sheets["tps"][0]))  # a blank row 3 pushes the rest down
    sheets["tps"][4][3] = -1  # the TPS that was on row 4 is now on row 5
    with pytest.raises(ScenarioError) as caught:
        read_scenario(write_xlsx(tmp_path / "s.xlsx", sheets))
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [("tps", 5, "dpt")]


def test_it_ignores_the_instructions_sheet(tables, write_files):
    tables.sheets["petunjuk"] = [["Isi lembar-lembar berikut"], ["baris bebas"]]
    assert read_scenario(write_files(tables, "xlsx")) == small_scenario()


def test_it_accepts_a_custom_pattern_with_its_patterns_sheet(tables, write_files):
    tables.set("operation", 4, "value", "custom")
    tables.sheets["patterns"] = [
        ["category", "tps_per_post", "polri_per_post", "tni_per_post", "linmas_per_tps"],
        ["KURANG_RAWAN", 4, 1, 0, 1.5],
        ["RAWAN", 2, 1, 1, 2],
        ["sangat rawan", 1, 2, 1, 2],
    ]
    for fmt in FORMATS:
        scenario = read_scenario(write_files(tables, fmt))
        assert [(p.category, p.linmas_per_tps) for p in scenario.patterns] == [
            (Category.KURANG_RAWAN, 1.5),
            (Category.RAWAN, 2.0),
            (Category.SANGAT_RAWAN, 2.0),
        ]


def test_it_refuses_a_custom_pattern_that_leaves_a_category_unsecured(tables, write_files):
    tables.set("operation", 4, "value", "custom")
    tables.sheets["patterns"] = [
        ["category", "tps_per_post", "polri_per_post", "tni_per_post", "linmas_per_tps"],
        ["KURANG_RAWAN", 4, 1, 0, 1.5],
    ]
    for fmt in FORMATS:
        with pytest.raises(ScenarioError) as caught:
            read_scenario(write_files(tables, fmt))
        [problem] = caught.value.problems
        assert problem.code == "pattern_missing_category"
        assert "RAWAN, SANGAT_RAWAN" in problem.message("en")


def test_it_refuses_data_in_a_column_without_a_name(tables, write_files):
    tables.sheets["tps"][0].append("")
    for row in tables.sheets["tps"][1:]:
        row.append("catatan penting")
    with pytest.raises(ScenarioError) as caught:
        read_scenario(write_files(tables, "csv"))
    [problem] = caught.value.problems
    assert (problem.code, problem.sheet, problem.row, problem.column) == ("unnamed_column", "tps", 1, "K")
    assert "baris 2" in problem.message()


def test_it_reads_pattern_names_in_any_case(tables, write_files):
    tables.set("operation", 4, "value", "Pemilu-2024")
    assert read_scenario(write_files(tables, "csv")).operation.pattern == "pemilu-2024"
