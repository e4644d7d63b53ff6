"""Files that are not what they claim: each is refused as a whole, quickly, in bounded memory,
with its own problem code and a message in both languages.

Files that could make a reader allocate a huge grid or unpack a bomb are read in a fresh
interpreter with an address-space cap, so a regression fails the test instead of the run.
"""

from __future__ import annotations

import json
import random
import re
import string
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import Tables, rewrite_zip, write_csv_folder, write_xlsx
from openpyxl import load_workbook

from siaga.core.data.model import Scenario
from siaga.core.data.problems import ScenarioError, UnreadableFile
from siaga.core.data.scenario import read_scenario
from siaga.core.data.workbook import LIMITS, Limits
from tests.hostile_corpus import ACCEPTING_KINDS, KIND_NAMES, build, contract_breaches

TPS_PART = "xl/worksheets/sheet3.xml"  # the valid workbook's sheets: operasi, wilayah, tps, satuan, personel
QUICK_SECONDS = 5


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The valid scenario as a workbook, Indonesian names."""
    return write_xlsx(tmp_path / "valid.xlsx", Tables.valid().localised("id"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The valid scenario as a CSV folder, English names."""
    return write_csv_folder(tmp_path / "valid", Tables.valid().localised("en"))


def refused(path: Path, code: str, limits: Limits = LIMITS, sheet: str = "") -> UnreadableFile:
    """Read `path`: it must be refused quickly with the one problem `code`, named in both
    languages with the file at fault (for a CSV folder: the sheet's file)."""
    start = time.perf_counter()
    with pytest.raises(UnreadableFile) as caught:
        read_scenario(path, limits=limits)
    assert time.perf_counter() - start < QUICK_SECONDS
    [problem] = caught.value.problems
    assert (problem.code, problem.sheet) == (code, sheet)
    indonesian, english = caught.value.messages("id")[0], caught.value.messages("en")[0]
    assert indonesian != english
    for message in (indonesian, english):
        assert (f"{sheet}.csv" if path.is_dir() else path.name) in message
        assert "{" not in message
    return caught.value


def in_fresh_interpreter(path: Path, limits: Limits | None = None) -> dict:
    """Read `path` in a new Python capped at 2 GiB of address space: its problem codes, the
    seconds taken and how far its peak memory grew while reading (KiB)."""
    script = """
import json, resource, sys, time
from pathlib import Path
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario
from siaga.core.data.workbook import LIMITS, Limits
from tests.hostile_corpus import ACCEPTING_KINDS, KIND_NAMES, build, contract_breaches
resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
limits = Limits(**json.loads(sys.argv[2])) if sys.argv[2] != "null" else LIMITS
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    read_scenario(Path(sys.argv[1]), limits=limits)
    codes = []
except ScenarioError as exc:
    codes = [p.code for p in exc.problems]
seconds = time.perf_counter() - start
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"codes": codes, "seconds": seconds, "grown_kib": grown}))
"""
    arg = json.dumps(limits.__dict__) if limits else "null"
    done = subprocess.run([sys.executable, "-c", script, str(path), arg], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def edit_part(book: Path, part: str, old: bytes, new: bytes, name: str = "hostile.xlsx") -> Path:
    def edit(data: bytes) -> bytes:
        assert old in data
        return data.replace(old, new, 1)

    return rewrite_zip(book, book.with_name(name), {part: edit})


def padding(size: int) -> bytes:
    """An XML comment of `size` bytes that does not compress (1 MiB of spaces would be a bomb)."""
    letters = random.Random(size).choices(string.ascii_letters, k=size - 7)
    return b"<!--" + "".join(letters).encode() + b"-->"


def with_sheet_rows(book: Path, rows: bytes, name: str = "hostile.xlsx") -> Path:
    """The workbook with `rows` (XML) added at the end of the tps sheet's data."""
    return edit_part(book, TPS_PART, b"</sheetData>", rows + b"</sheetData>", name)


# ---------------------------------------------------------------- not a workbook at all


def test_it_refuses_a_path_that_does_not_exist(tmp_path):
    refused(tmp_path / "nowhere.xlsx", "file_not_found")
    refused(tmp_path / "no-folder", "file_not_found")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (bytes(range(256)) * 40, "not_xlsx"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "not_xlsx"),
        (b"id,desa_code,number\n35.75.01.1001-01,35.75.01.1001,1\n", "not_xlsx"),
        (b"", "not_xlsx"),
        (b"PK\x03\x04" + b"\x00" * 200, "not_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "old_xls"),
    ],
    ids=["random-bytes", "pdf", "csv", "empty", "zip-magic-only", "old-xls"],
)
def test_it_refuses_a_file_that_is_not_an_xlsx_workbook(content, code, tmp_path):
    path = tmp_path / "scenario.xlsx"
    path.write_bytes(content)
    refused(path, code)


def test_it_refuses_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    refused(path, "not_xlsx")


def test_it_refuses_a_workbook_cut_in_half(book):
    data = book.read_bytes()
    book.write_bytes(data[: len(data) // 2])
    refused(book, "not_xlsx")


def test_it_refuses_a_workbook_with_a_corrupted_part(book):
    with zipfile.ZipFile(book) as zf:
        info = zf.getinfo(TPS_PART)
    data = bytearray(book.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode())
    data[start + 10 : start + 60] = b"\xff" * 50  # garbage inside the deflate stream
    book.write_bytes(bytes(data))
    refused(book, "not_xlsx")


def central_entry(data: bytes, name: str) -> int:
    """Where the zip's central directory describes the part `name`."""
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name.encode():
        at = data.index(b"PK\x01\x02", at + 4)
    return at


@pytest.mark.parametrize(("offset", "value"), [(8, 0x0001), (10, 99)], ids=["encrypted", "unknown-method"])
def test_it_refuses_a_workbook_whose_parts_cannot_be_unpacked(offset, value, book):
    """Central directory entry: general purpose flags at +8 (bit 0: encrypted), method at +10."""
    data = bytearray(book.read_bytes())
    struct.pack_into("<H", data, central_entry(data, TPS_PART) + offset, value)
    book.write_bytes(bytes(data))
    refused(book, "not_xlsx")


def test_it_refuses_a_workbook_with_broken_xml_in_its_sheet_list(book):
    path = edit_part(book, "xl/workbook.xml", b"<sheets>", b"<sheets><sheet")
    refused(path, "not_xlsx")


# ---------------------------------------------------------------- zip bombs


def test_it_refuses_a_workbook_that_declares_more_data_than_the_limit(book):
    refused(book, "zip_bomb", Limits(xlsx_total_bytes=8 * 1024))


def test_it_refuses_a_part_that_unpacks_to_more_than_the_limit(book):
    refused(book, "zip_bomb", Limits(xlsx_part_bytes=4 * 1024))


def test_it_refuses_a_file_larger_than_the_limit(book):
    refused(book, "zip_bomb", Limits(xlsx_file_bytes=1024))


def test_it_refuses_a_part_that_unpacks_to_more_than_it_declares(book):
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as zf:
        info = zf.getinfo(TPS_PART)
    struct.pack_into("<I", data, central_entry(data, TPS_PART) + 24, 100)  # claims 100 bytes unpacked
    struct.pack_into("<I", data, info.header_offset + 22, 100)
    book.write_bytes(bytes(data))
    refused(book, "not_xlsx")


def test_it_refuses_a_real_high_ratio_bomb_quickly_in_bounded_memory(book, tmp_path):
    """300 MB of spaces inside the tps sheet, deflated to a few hundred KB."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != TPS_PART:
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with out.open(TPS_PART, "w", force_zip64=True) as part:
                part.write(head)
                block = b" " * 2**20
                for _ in range(300):
                    part.write(block)
                part.write(b"</sheetData>" + tail)
    assert path.stat().st_size < 2 * 2**20

    result = in_fresh_interpreter(path)

    assert result["codes"] == ["zip_ratio"]
    assert result["seconds"] < QUICK_SECONDS
    assert result["grown_kib"] < 200 * 1024


# ---------------------------------------------------------------- XML entity tricks

BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def test_it_refuses_entity_definitions_in_a_sheet(book):
    path = edit_part(book, TPS_PART, b"<worksheet", BILLION_LAUGHS + b"<worksheet")
    path = edit_part(path, TPS_PART, b"<t>RAWAN</t>", b"<t>&lol3;</t>", "laughs.xlsx")
    refused(path, "xml_entities")


def test_it_refuses_entity_definitions_in_the_shared_strings(book):
    strings = (
        b'<?xml version="1.0"?>' + BILLION_LAUGHS + b'<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol3;</t></si></sst>'
    )
    rel = (
        b'<Relationship Id="rId99" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    path = rewrite_zip(
        book,
        book.with_name("strings.xlsx"),
        {
            "xl/sharedStrings.xml": strings,
            "xl/_rels/workbook.xml.rels": lambda d: d.replace(b"</Relationships>", rel),
        },
    )
    refused(path, "xml_entities")


def test_it_refuses_an_entity_definition_split_across_two_chunks(book):
    with zipfile.ZipFile(book) as zf:
        at = zf.read(TPS_PART).index(b"</sheetData>")
    filler = padding(2**20 - at - 4)  # "<!ENTITY" starts 4 bytes before the 1 MiB boundary
    path = with_sheet_rows(book, filler + b'<!ENTITY x "y">')
    refused(path, "xml_entities")


# ---------------------------------------------------------------- sheets too large to load


def test_it_refuses_a_sheet_with_more_rows_than_the_limit(book):
    refused(book, "too_many_rows", Limits(xlsx_rows=3), sheet="wilayah")


def test_it_refuses_a_csv_file_with_more_rows_than_the_limit(folder):
    refused(folder, "csv_too_many_rows", Limits(csv_rows=3), sheet="personnel")


def test_it_refuses_a_single_csv_file_given_instead_of_the_folder(folder):
    refused(folder / "regions.csv", "not_xlsx")


def test_it_refuses_a_csv_file_larger_than_the_limit(folder):
    refused(folder, "file_too_large", Limits(csv_file_bytes=100), sheet="operation")


def test_it_refuses_a_stray_cell_at_the_far_corner_before_allocating_the_grid(book):
    wb = load_workbook(book)
    wb["tps"]["XFD1048576"] = "x"
    wb.save(book)

    result = in_fresh_interpreter(book)

    assert result["codes"] == ["too_many_rows"]
    assert result["seconds"] < QUICK_SECONDS
    assert result["grown_kib"] < 200 * 1024


FAR_CORNER = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
HOSTILE_AREAS = {
    # name: (rows added to the tps sheet, expected code)
    "r-not-first": (b'<row r="5"><c t="n" r="XFD1048576"><v>1</v></c></row>', "too_many_rows"),
    "lower-case-reference": (b'<row r="5"><c r="xfd1048576" t="n"><v>1</v></c></row>', "too_many_rows"),
    "single-quotes-and-spaces": (b'<row r="5"><c r = \'XFD1048576\' t="n"><v>1</v></c></row>', "too_many_rows"),
    "second-r-wins": (b'<row r="5"><c r="A5" r="XFD1048576" t="n"><v>1</v></c></row>', "too_many_rows"),
    "quoted-angle-bracket": (b'<row r="5"><c x="a>b" r="XFD1048576" t="n"><v>1</v></c></row>', "too_many_rows"),
    "prefixed-tags": (b'<x:row r="5"><x:c r="XFD1048576" t="n"><x:v>1</x:v></x:c></x:row>', "too_many_rows"),
    "row-counted-without-r": (
        b'<row spans="1:1" r="1048575"/><row><c t="n"><v>1</v></c></row>',
        "too_many_rows",
    ),
    "cells-counted-without-r": (b'<row r="5">' + b'<c t="n"><v>1</v></c>' * 300 + b"</row>", "too_many_columns"),
    "far-column-only": (b'<row r="5"><c r="XFD5" t="n"><v>1</v></c></row>', "too_many_columns"),
    "plain-far-corner": (FAR_CORNER, "too_many_rows"),
}


@pytest.mark.parametrize(("rows", "code"), list(HOSTILE_AREAS.values()), ids=list(HOSTILE_AREAS))
def test_it_measures_a_sheet_however_its_cells_are_written(rows, code, book):
    path = with_sheet_rows(book, rows)
    if b"x:" in rows:
        path = edit_part(
            path,
            TPS_PART,
            b"<worksheet ",
            b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
            "prefixed.xlsx",
        )
    result = in_fresh_interpreter(path)
    assert result["codes"] == [code]
    assert result["seconds"] < QUICK_SECONDS
    assert result["grown_kib"] < 200 * 1024


def test_it_measures_a_cell_tag_split_across_two_chunks(book):
    with zipfile.ZipFile(book) as zf:
        at = zf.read(TPS_PART).index(b"</sheetData>")
    tag = b'<row r="5"><c t="n" r="XFD1048576"><v>1</v></c></row>'
    filler = padding(2**20 - at - 20)  # the cell tag straddles the 1 MiB boundary
    result = in_fresh_interpreter(with_sheet_rows(book, filler + tag))
    assert result["codes"] == ["too_many_rows"]


def test_it_refuses_a_cell_tag_too_long_to_measure(book):
    with zipfile.ZipFile(book) as zf:
        at = zf.read(TPS_PART).index(b"</sheetData>")
    filler = padding(2**20 - at - 80 * 1024)  # the tag starts 80 KiB before the 1 MiB boundary
    tag = b'<row r="5"><c x="' + padding(100 * 1024)[4:-3] + b'" r="XFD1048576" t="n"><v>1</v></c></row>'
    result = in_fresh_interpreter(with_sheet_rows(book, filler + tag))
    assert result["codes"] == ["not_xlsx"]


def test_it_still_reads_a_workbook_with_binary_parts_that_look_like_broken_tags(book, tmp_path):
    """Embedded objects are not XML: a "<c " followed by 100 KiB of zeros is no reason to refuse."""
    blob = b"\x89PNG<c " + bytes(100 * 1024) + b"<c x='" + bytes(1024)
    path = rewrite_zip(book, tmp_path / "embedded.xlsx", {"xl/embeddings/oleObject1.bin": blob})
    assert read_scenario(path).tps[0].voters == 250


def test_it_measures_a_sheet_stored_outside_the_worksheets_folder(book, tmp_path):
    with zipfile.ZipFile(book) as zf:
        sheet = zf.read(TPS_PART).replace(b"</sheetData>", FAR_CORNER + b"</sheetData>")
    path = rewrite_zip(
        book,
        tmp_path / "moved.xlsx",
        {
            TPS_PART: None,
            "xl/elsewhere/tps.xml": sheet,
            "xl/_rels/workbook.xml.rels": lambda d: d.replace(b"/xl/worksheets/sheet3.xml", b"elsewhere/tps.xml"),
            "[Content_Types].xml": lambda d: d.replace(b"/xl/worksheets/sheet3.xml", b"/xl/elsewhere/tps.xml"),
        },
    )
    result = in_fresh_interpreter(path)
    assert result["codes"] == ["too_many_rows"]


def test_it_still_reads_a_sheet_with_formatted_empty_rows_far_below(book):
    """Excel writes rows that only carry a height or style; they hold no cells to allocate."""
    path = with_sheet_rows(book, b'<row r="900000" ht="20" customHeight="1"/>')
    assert read_scenario(path).tps[0].voters == 250


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.replace("Gadingrejo", "Désa Gadingrejo").encode("latin-1"),
        lambda text: text.encode("utf-16"),
    ],
    ids=["latin-1", "utf-16"],
)
def test_it_refuses_a_csv_file_that_is_not_utf8_text(encode, folder):
    regions = folder / "regions.csv"
    regions.write_bytes(encode(regions.read_text("utf-8")))
    refused(folder, "csv_encoding", sheet="regions")


@pytest.mark.parametrize(
    ("encode", "row"),
    [
        (lambda text: text.encode("utf-16-le"), 1),  # no BOM: valid UTF-8, with NUL bytes
        (lambda text: text.replace("Gadingrejo", "Gading\0rejo").encode(), 3),
    ],
    ids=["utf-16-without-bom", "nul-byte"],
)
def test_it_refuses_a_csv_file_with_nul_characters_saying_so_not_that_it_is_not_utf8(encode, row, folder):
    regions = folder / "regions.csv"
    regions.write_bytes(encode(regions.read_text("utf-8")))
    problem = refused(folder, "csv_nul", sheet="regions").problems[0]
    assert problem.row == row


@pytest.mark.parametrize(
    ("line", "row"),
    [('35.75.01.1002-02,"35.75.01.1002,2,10\n', 5), ('35.75.01.1002-02,"35.75.01"1002,2,10\n', 5)],
    ids=["unclosed-quote", "text-after-quote"],
)
def test_it_refuses_a_malformed_csv_file_naming_the_row(line, row, folder):
    tps = folder / "tps.csv"
    tps.write_text(tps.read_text("utf-8") + line + "35.75.01.1002-03,35.75.01.1002,3,10\n", "utf-8")
    assert refused(folder, "csv_malformed", sheet="tps").problems[0].row == row


def test_it_refuses_a_malformed_csv_header(folder):
    (folder / "units.csv").write_text('code,"name\n', "utf-8")
    assert refused(folder, "csv_malformed", sheet="units").problems[0].row == 1


def test_it_accepts_a_csv_file_saved_by_excel_with_a_bom_and_crlf(folder):
    tps = folder / "tps.csv"
    tps.write_bytes(b"\xef\xbb\xbf" + tps.read_text("utf-8").replace("\r\n", "\n").replace("\n", "\r\n").encode())
    assert read_scenario(folder).tps[0].id == "35.75.01.1001-01"


def test_it_ignores_a_folder_named_like_a_csv_file(folder):
    (folder / "tps.csv").unlink()
    (folder / "tps.csv").mkdir()
    with pytest.raises(ScenarioError) as caught:
        read_scenario(folder)
    assert [(p.code, p.sheet) for p in caught.value.problems] == [("missing_sheet", "tps")]


# ---------------------------------------------------------------- formulas


def set_cell_xml(book: Path, ref: str, xml: bytes) -> Path:
    def edit(data: bytes) -> bytes:
        cell = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>')
        assert cell.search(data)
        return cell.sub(xml.replace(b"\\", b"\\\\"), data, count=1)

    return rewrite_zip(book, book.with_name(f"{book.stem}-{ref}.xlsx"), {TPS_PART: edit})


def test_it_reads_the_value_excel_cached_and_never_evaluates_the_formula(book):
    path = set_cell_xml(book, "D2", b'<c r="D2"><f>1+1</f><v>250</v></c>')
    path = set_cell_xml(path, "A2", b'<c r="A2" t="str"><f>WEBSERVICE("http://x.invalid/")</f><v>007</v></c>')
    tps = read_scenario(path).tps[0]
    assert (tps.voters, tps.id) == (250, "007")


def test_it_treats_a_formula_without_a_cached_value_as_blank(book):
    path = set_cell_xml(book, "D2", b'<c r="D2"><f>200+50</f></c>')
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    assert [(p.code, p.sheet, p.row, p.column) for p in caught.value.problems] == [("required", "tps", 2, "dpt")]


# ---------------------------------------------------------------- the hostile corpus (issue 15)

# How many files of each kind the corpus holds (tests/hostile_corpus.py): 305 in all.
CORPUS_SIZES = {
    "byte-flip": 27,
    "truncation": 20,
    "part-removed": 14,
    "part-renamed": 14,
    "huge-cell": 10,
    "stray-cell": 9,
    "formula": 7,
    "number": 26,
    "unicode": 73,
    "duplicate-sheet": 4,
    "xml-entity": 6,
    "zip-bomb": 4,
    "not-workbook": 10,
    "csv": 32,
    "xml-fuzz": 42,
    "zip-structure": 7,
}


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


def outcome(path: Path) -> tuple[str, object]:
    """What reading `path` gives: ("accepted", the scenario), ("refused", the error) or
    ("unreadable", the error). Any other exception propagates: a traceback fails the test."""
    try:
        return "accepted", read_scenario(path)
    except UnreadableFile as exc:
        return "unreadable", exc
    except ScenarioError as exc:
        return "refused", exc


def test_the_corpus_holds_305_files_of_every_kind(corpus_folder):
    assert sum(CORPUS_SIZES.values()) == 305
    assert list(CORPUS_SIZES) == KIND_NAMES


@pytest.mark.parametrize("kind", list(CORPUS_SIZES))
def test_no_hostile_file_gives_a_traceback_or_a_hostile_value(kind, corpus_folder):
    """Each file is refused (every problem named in both languages, with nothing a terminal or
    page would interpret) or read into a scenario whose every value passes the contract."""
    files = build(corpus_folder, [kind])
    assert len(files) == CORPUS_SIZES[kind]
    breaches = {}
    for _, path in files:
        result, value = outcome(path)
        if result == "accepted":
            assert isinstance(value, Scenario)
            breaches[path.name] = contract_breaches(value)
            continue
        assert isinstance(value, ScenarioError) and value.problems
        for lang in ("id", "en"):
            for message in value.messages(lang):
                assert not re.search(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", message)
    assert {name: found for name, found in breaches.items() if found} == {}
    if kind not in ACCEPTING_KINDS:  # so the console's import test, which imports those kinds, sees every one
        assert list(breaches) == []


def test_the_corpus_refuses_what_it_must_and_accepts_what_is_harmless(corpus_folder):
    """A few named files: the refusal each must get, or the clean value it reads into."""
    files = build(corpus_folder, ["unicode", "stray-cell", "zip-structure"])
    by_name = {path.name: path for _, path in files}

    def codes(name: str) -> list[str]:
        result, error = outcome(by_name[name])
        return [p.code for p in error.problems] if isinstance(error, ScenarioError) else []

    # The 70 KB workbook with one stray cell at GR200001 per sheet, refused before loading.
    assert codes("stray-cell-008.xlsx") == ["too_many_cells"]
    # The zip directory pointing outside the file (an OSError before): unreadable.
    assert codes("zip-structure-000.xlsx") == ["not_xlsx"]
    # NUL, ANSI and bidi in a person's name; an NRP in Arabic-Indic digits; two NRPs equal once read.
    nrp, name = 0, 12  # unicode files: 12 tricks per target, the NRP first, the name second
    assert codes(f"unicode-{nrp + 9:03d}.xlsx") == ["lookalike_id"]
    assert codes(f"unicode-{name + 0:03d}.xlsx") == ["control_character"]
    assert codes(f"unicode-{name + 2:03d}.xlsx") == ["control_character"]
    assert codes(f"unicode-{name + 5:03d}.xlsx") == ["bidi_character"]
    assert codes("unicode-072.xlsx") == ["lookalike_id"]
    # A zero-width space inside a TPS id is removed; full-width digits are read as digits.
    tps_id = 24
    assert read_scenario(by_name[f"unicode-{tps_id + 7:03d}.xlsx"]).tps[0].id == "35.14.16.2022-01"
    assert read_scenario(by_name[f"unicode-{tps_id + 10:03d}.xlsx"]).tps[0].id == "35.14.16.2022-01"


def test_the_stray_cell_workbook_is_refused_in_bounded_memory(corpus_folder):
    """The issue's 70 KB workbook (1.98 GB before): refused by its measured area, before the
    parser allocates anything; the reader's peak memory stays far under 1 GB."""
    files = {path.name: path for _, path in build(corpus_folder, ["stray-cell"])}
    path = files["stray-cell-008.xlsx"]
    assert path.stat().st_size < 100 * 1024
    result = in_fresh_interpreter(path)
    assert result["codes"] == ["too_many_cells"]
    assert result["grown_kib"] < 200 * 1024


def test_the_largest_sheet_the_limits_let_through_stays_under_a_gigabyte(corpus_folder):
    """A sheet just inside the cell limit (5 million cells: one stray cell at CV50000) is read
    row by row; what the parser allocates for it is bounded by the limit, well under 1 GB."""
    base = build(corpus_folder, ["formula"])[0][1].with_name("demo.xlsx")
    path = with_sheet_rows(base, b'<row r="50000"><c r="CV50000" t="n"><v>1</v></c></row>', "inside.xlsx")
    assert LIMITS.xlsx_cells >= 50_000 * 100
    result = in_fresh_interpreter(path)
    assert result["codes"][0] == "unnamed_column"  # read, and the stray cell named
    assert result["grown_kib"] < 1024 * 1024


# ---------------------------------------------------------------- the command line


def test_the_command_line_prints_a_path_as_written_never_as_markup(tmp_path):
    """A path holding "[/x]" raised Rich's MarkupError (a traceback); "[bold]" was swallowed."""
    from typer.testing import CliRunner

    from siaga.cli import app

    folder = tmp_path / "a[/x]"  # the folder "x]" inside "a["
    folder.mkdir(parents=True)
    path = folder / "[bold]b.xlsx"
    path.write_bytes(b"PK\x03\x04 not a workbook")

    done = CliRunner().invoke(app, ["scenario", "validate", str(path)])

    assert done.exit_code == 2, done.output
    assert str(path) in done.output and "[bold]b.xlsx" in done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)


# ---------------------------------------------------------------- the contract, one value at a time


@pytest.mark.parametrize(
    ("ref", "xml", "code", "column"),
    [
        ("D2", b'<c r="D2" t="n"><v>NaN</v></c>', "not_integer", "dpt"),
        ("D2", b'<c r="D2" t="n"><v>9223372036854775808</v></c>', "too_large", "dpt"),
        ("E2", b'<c r="E2" t="n"><v>1e309</v></c>', "not_finite", "lintang"),
        ("G2", b'<c r="G2" t="inlineStr"><is><t>Dusun\x1b[2J</t></is></c>', "control_character", "alamat"),
        ("G2", b'<c r="G2" t="inlineStr"><is><t>_x0000_Dusun</t></is></c>', "control_character", "alamat"),
        ("G2", '<c r="G2" t="inlineStr"><is><t>Dusun \u202eKulon</t></is></c>'.encode(), "bidi_character", "alamat"),
        ("G2", b'<c r="G2" t="inlineStr"><is><t>' + b"x" * 256 + b"</t></is></c>", "text_too_long", "alamat"),
        ("A2", '<c r="A2" t="inlineStr"><is><t>\u200b\u200d</t></is></c>'.encode(), "only_invisible", "id"),
    ],
    ids=["nan", "2^63", "1e309", "ansi", "escaped-nul", "bidi", "too-long", "invisible-id"],
)
def test_a_hostile_value_is_refused_naming_its_sheet_row_and_column(ref, xml, code, column, book):
    path = set_cell_xml(book, ref, xml)
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    assert [(p.code, p.sheet, p.row, p.column) for p in caught.value.problems] == [(code, "tps", 2, column)]
    for message in caught.value.messages("id") + caught.value.messages("en"):
        assert "tps" in message and column in message and "\x1b" not in message and "\u202e" not in message


def test_identifiers_are_read_in_their_normal_form(book):
    path = set_cell_xml(book, "A2", '<c r="A2" t="inlineStr"><is><t>００７\u200b</t></is></c>'.encode())
    assert read_scenario(path).tps[0].id == "007"


def test_nan_and_infinite_weights_are_refused(folder):
    operation = folder / "operation.csv"
    operation.write_text(operation.read_text("utf-8") + "weights,violence_history=nan\n", "utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_scenario(folder)
    assert [p.code for p in caught.value.problems] == ["not_finite"]


def test_rows_read_one_by_one_keep_the_places_excel_shows(tmp_path):
    """Only filled rows are kept, each at its Excel row number, with the empty columns left of
    the first cell, so a problem names the row and column the user sees."""
    from openpyxl import Workbook

    from siaga.core.data.workbook import read_tables

    wb = Workbook()
    ws = wb.active
    ws.title = "tps"
    ws["C3"], ws["D3"], ws["C5"], ws["E7"] = "id", "dpt", "x", 1
    wb.save(tmp_path / "placed.xlsx")
    [sheet] = read_tables(tmp_path / "placed.xlsx")
    assert sheet.header == ["", "", "id", "dpt"]
    assert sheet.row_numbers == [5, 7]
    assert [list(r) for r in sheet.rows] == [["", "", "x", "", ""], ["", "", "", "", 1.0]]
