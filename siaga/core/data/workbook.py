"""Raw tables in and out of `.xlsx` workbooks and folders of CSV files.

The only module that touches python-calamine (fast reads) and openpyxl (writes). It knows
nothing of what the sheets mean; it guards against hostile files before any parser sees them:

- an `.xlsx` is a zip: the declared and the actual unpacked size of every part are checked
  against `Limits`, and so is the compression ratio (a zip bomb is refused, in bounded memory);
- any DOCTYPE or ENTITY declaration in a part is refused (entity expansion tricks);
- the cell area of every sheet is measured before it is loaded: its rows, its columns and the
  cells the parser will really allocate (rows x columns: a stray cell at GR200001 would
  otherwise cost gigabytes), each against `Limits`;
- every error a zip, XML or workbook library can raise on a broken file is the one
  "unreadable file" refusal, never a traceback;
- formulas are never evaluated: the value Excel cached is read;
- CSV files must be UTF-8 and are read with a row limit.
"""

from __future__ import annotations

import csv
import math
import numbers
import re
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import python_calamine
from defusedxml import ElementTree as SafeET

from siaga.core.data.files import atomic_write
from siaga.core.data.problems import Problem, UnreadableFile

Cell = object


@dataclass(frozen=True)
class Limits:
    """What a scenario file may hold. Larger data belongs in a folder of CSV files."""

    xlsx_file_bytes: int = 100 * 2**20
    xlsx_part_bytes: int = 256 * 2**20
    xlsx_total_bytes: int = 512 * 2**20
    xlsx_ratio: int = 200  # unpacked / packed, for parts over 1 MiB
    xlsx_rows: int = 200_000
    xlsx_columns: int = 200
    xlsx_cells: int = 5_000_000  # rows x columns of one sheet: what the parser allocates
    xlsx_total_cells: int = 10_000_000  # the same, summed over the sheets
    csv_file_bytes: int = 2**30
    csv_rows: int = 5_000_000


LIMITS = Limits()


@dataclass
class RawSheet:
    """One sheet as text and numbers: its header row and data rows with Excel row numbers."""

    name: str
    header: list[str]
    rows: list[Sequence[Cell]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)


def read_tables(path: Path, limits: Limits = LIMITS) -> list[RawSheet]:
    """Every sheet of an `.xlsx` workbook, or every `*.csv` file of a folder."""
    if not path.exists():
        raise _refuse("file_not_found", path)
    if path.is_dir():
        try:
            files = [p for p in sorted(path.glob("*.csv")) if p.is_file()]
        except OSError as exc:  # a folder that cannot be listed
            raise _refuse("not_readable", path) from exc
        return [_read_csv(p, limits) for p in files]
    return _read_xlsx(path, limits)


def _refuse(code: str, path: Path, sheet: str = "", row: int | None = None, **params: object) -> UnreadableFile:
    whole = {**params, "file": path.name}  # the file is the place (`Problem.message`)
    return UnreadableFile([Problem(code, sheet=sheet, row=row, value=path.name, params=whole)])


# ---------------------------------------------------------------- xlsx


# What zip, XML and workbook libraries raise on a broken file: a bad or truncated zip, a
# directory pointing outside the file (OSError), a missing part (KeyError), a truncated or
# corrupt deflate stream (EOFError, zlib.error), bad XML (ParseError is a SyntaxError), an
# encrypted or unknown member (RuntimeError, NotImplementedError), calamine's own errors, and
# the ValueError, OverflowError, IndexError or struct.error of a field out of range.
BROKEN_FILE_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    KeyError,
    EOFError,
    zlib.error,
    SyntaxError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    OverflowError,
    IndexError,
    struct.error,
    python_calamine.CalamineError,
)


def _read_xlsx(path: Path, limits: Limits) -> list[RawSheet]:
    try:
        with path.open("rb") as f:
            magic = f.read(8)
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            raise _refuse("old_xls", path)
        if not magic.startswith(b"PK") or not zipfile.is_zipfile(path):
            raise _refuse("not_xlsx", path)
        if path.stat().st_size > limits.xlsx_file_bytes:
            raise _refuse("zip_bomb", path, size=_mib(path.stat().st_size), limit=_mib(limits.xlsx_file_bytes))
        areas = _inspect_zip(path, limits)
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        _check_areas(path, book.sheet_names, areas, limits)
        sheets = []
        for name in book.sheet_names:
            sheets.append(_read_sheet(book, name))
        return sheets
    except UnreadableFile:
        raise
    except BROKEN_FILE_ERRORS as exc:
        raise _refuse("not_xlsx", path) from exc


def _check_areas(path: Path, names: Sequence[str], areas: dict[str, tuple[int, int]], limits: Limits) -> None:
    """Every sheet is measured before any is loaded: its rows, its columns, and the cells the
    parser allocates for it (the whole rectangle up to its farthest cell, empty or not)."""
    # A sheet calamine names otherwise than workbook.xml is held to the largest area.
    largest = max([0, *(rows for rows, _ in areas.values())]), max([0, *(cols for _, cols in areas.values())])
    total = 0
    for name in names:
        rows_needed, cols_needed = areas.get(name, largest)
        if rows_needed - 1 > limits.xlsx_rows:
            raise _refuse("too_many_rows", path, sheet=name, limit=f"{limits.xlsx_rows:,}")
        if cols_needed > limits.xlsx_columns:
            raise _refuse("too_many_columns", path, sheet=name, limit=f"{limits.xlsx_columns:,}")
        cells = rows_needed * cols_needed
        total += cells
        if cells > limits.xlsx_cells or total > limits.xlsx_total_cells:
            limit = limits.xlsx_cells if cells > limits.xlsx_cells else limits.xlsx_total_cells
            raise _refuse(
                "too_many_cells",
                path,
                sheet=name,
                rows=f"{rows_needed:,}",
                columns=f"{cols_needed:,}",
                cells=f"{cells:,}",
                limit=f"{limit:,}",
            )


def _read_sheet(book: python_calamine.CalamineWorkbook, name: str) -> RawSheet:
    """One sheet, row by row: only the rows that hold something are kept, placed as Excel
    places them (the empty columns left of the sheet's first cell included)."""
    data = book.get_sheet_by_name(name)
    start, end = data.start, data.end
    if start is None or end is None:
        return RawSheet(name, [])
    lead: list[Cell] = [""] * start[1]  # rows are yielded from the first column that holds a cell
    kept: list[tuple[int, Sequence[Cell]]] = []
    count = 0
    for i, row in enumerate(data.iter_rows()):
        count = i + 1
        if any(_filled(c) for c in row):
            kept.append((i, lead + row if lead and len(row) <= end[1] - start[1] + 1 else row))
    offset = end[0] + 1 - count  # 0 when the rows are yielded from row 1, else the first row's index
    if not kept:
        return RawSheet(name, [])
    (_, head), body = kept[0], kept[1:]
    header = [_text(c) for c in head]
    while header and not header[-1]:
        header.pop()
    sheet = RawSheet(name, header)
    sheet.rows = [row for _, row in body]
    sheet.row_numbers = [i + 1 + offset for i, _ in body]
    return sheet


def _filled(cell: Cell) -> bool:
    return cell is not None and cell != ""


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


_ENTITY = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])")  # a row or cell start tag
_ATTRS = re.compile(rb"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+>""")  # up to the tag's end, quotes kept
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)(\d*)""")
# Row and cell tags as Excel, LibreOffice and openpyxl write them: `r` first, once, plain.
_PLAIN_ROW = re.compile(rb'<(?:[\w.-]+:)?row r="(\d+)"(?: (?!r=)[\w:.-]+="[^"<>]*")*\s*/?>')
_PLAIN_CELL = re.compile(rb'<(?:[\w.-]+:)?c r="([A-Z]+)(\d+)"(?: (?!r=)[\w:.-]+="[^"<>]*")*\s*/?>')
_LONGEST_TAG = 2**16


class _Area:
    """The cell area a sheet part spans, as calamine places its cells: at their `r` reference
    (the last one, when a tag has several), else one after the previous row or cell. Its
    grid is allocated from this area, so the area must never be measured smaller than it is,
    whatever the order, quoting or case of the attributes, and wherever the chunks split.
    Every part is measured (a sheet may be stored anywhere); a part that cannot be measured
    (a tag that never ends: binary data, or a trick) is `broken`, refused if it is a sheet."""

    def __init__(self) -> None:
        self.rows = self.columns = 0  # the area
        self.row = self.column = 0  # where the last row and cell tags were
        self.broken = False

    @classmethod
    def union(cls, areas: Iterable[_Area]) -> _Area:
        whole = cls()
        for a in areas:
            whole.rows, whole.columns = max(whole.rows, a.rows), max(whole.columns, a.columns)
            whole.broken |= a.broken
        return whole

    def feed(self, data: bytes) -> bytes:
        """Measure the tags in `data`; return the unfinished tag at its end, for the next chunk."""
        if self.broken:
            return b""
        cut = data.rfind(b"<")
        if cut == -1 or _ATTRS.match(data, cut + 1):
            cut = len(data)
        tags = _TAG.findall(data, 0, cut)
        rows, cells = _PLAIN_ROW.findall(data, 0, cut), _PLAIN_CELL.findall(data, 0, cut)
        if len(rows) + len(cells) == len(tags) and len(rows) == tags.count(b"row"):
            self._plain(rows, cells, tags[-1:] == [b"row"])
        else:
            self._tags(data, cut)
        self.broken |= len(data) - cut > _LONGEST_TAG
        return b"" if self.broken else data[cut:]

    def _plain(self, rows: list[bytes], cells: list[tuple[bytes, bytes]], row_last: bool) -> None:
        """Fast path: every row and cell tag has its place, once and plainly written."""
        if cells:
            self.rows = max(self.rows, *map(int, {row for _, row in cells}))
            self.columns = max(self.columns, *map(_column_number, {col for col, _ in cells}))
            self.column = _column_number(cells[-1][0])
        if rows:
            self.row = int(rows[-1])
        if row_last:
            self.column = 0

    def _tags(self, data: bytes, cut: int) -> None:
        for m in _TAG.finditer(data, 0, cut):
            end = _ATTRS.match(data, m.end())
            if end is None:
                self.broken = True
                return
            refs = _REF.findall(data, m.end(), end.end())
            rows = [int(row) for _, row in refs if row]
            if m[1] == b"row":
                self.row, self.column = (max(rows) if rows else self.row + 1), 0
                self.rows = max(self.rows, self.row)
                continue
            columns = [_column_number(col) for col, _ in refs if col]
            self.column = max(columns) if columns else self.column + 1
            self.rows = max(self.rows, self.row, *rows)
            self.columns = max(self.columns, self.column)


def _inspect_zip(path: Path, limits: Limits) -> dict[str, tuple[int, int]]:
    """Check sizes and entities of every part; return each sheet's (last row, last column)."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            if len(members) > 10_000:
                raise _refuse("not_xlsx", path)
            declared = sum(m.file_size for m in members)
            if declared > limits.xlsx_total_bytes:
                raise _refuse("zip_bomb", path, size=_mib(declared), limit=_mib(limits.xlsx_total_bytes))
            areas_by_part = {m.filename: _scan_part(zf, m, path, limits) for m in members}
            sheet_parts = _sheet_parts(zf)
    except zipfile.BadZipFile as exc:
        raise _refuse("not_xlsx", path) from exc
    # Broken parts: bad XML, a missing part, an encrypted or truncated member, an unknown method.
    except (KeyError, SafeET.ParseError, ValueError, RuntimeError, NotImplementedError, EOFError, zlib.error) as exc:
        raise _refuse("not_xlsx", path) from exc
    largest = _Area.union(areas_by_part.values())  # for a sheet whose part is not found
    areas = {name: areas_by_part.get(part, largest) for name, part in sheet_parts.items()}
    if any(a.broken for a in areas.values()):
        raise _refuse("not_xlsx", path)
    return {name: (a.rows, a.columns) for name, a in areas.items()}


def _scan_part(zf: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, limits: Limits) -> _Area:
    """Unpack one part in chunks, never holding more than one chunk; measure its cell area."""
    size, tail, unfinished, area = 0, b"", b"", _Area()
    with zf.open(member) as f:
        while chunk := f.read(1 << 20):
            size += len(chunk)
            packed = max(member.compress_size, 1)
            if size > limits.xlsx_part_bytes:
                raise _refuse("zip_bomb", path, size=f"> {_mib(size)}", limit=_mib(limits.xlsx_part_bytes))
            if size > 2**20 and size / packed > limits.xlsx_ratio:  # the ratio's own limit, not the size's
                ratio = f"{size // packed:,}"
                raise _refuse("zip_ratio", path, ratio=ratio, size=_mib(size), limit=f"{limits.xlsx_ratio:,}")
            window = tail + chunk
            if _ENTITY.search(window):
                raise _refuse("xml_entities", path)
            unfinished = area.feed(unfinished + chunk)
            tail = window[-64:]
    return area


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part's path inside the zip."""
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    book = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target_by_id = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        target = target_by_id.get(sheet.get(f"{{{ns['r']}}}id"), "")
        target = target.lstrip("/")
        parts[sheet.get("name", "")] = target if target.startswith("xl/") else "xl/" + target
    return parts


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


# ---------------------------------------------------------------- csv


def _read_csv(path: Path, limits: Limits) -> RawSheet:
    name = path.stem
    try:
        file_bytes = path.stat().st_size
    except OSError as exc:
        raise _refuse("not_readable", path, sheet=name) from exc
    if file_bytes > limits.csv_file_bytes:
        size, limit = _mib(file_bytes), _mib(limits.csv_file_bytes)
        raise _refuse("file_too_large", path, sheet=name, size=size, limit=limit)
    number = 0  # rows read so far: a broken record is on row number + 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            records = csv.reader(_without_nul(f), strict=True)  # an unclosed quote is an error
            header = [h.strip() for h in next(records, [])]
            while header and not header[-1]:
                header.pop()
            sheet = RawSheet(name, header)
            rows, numbers = sheet.rows, sheet.row_numbers
            number = 1
            for record in records:
                number += 1
                if number > limits.csv_rows + 1:
                    raise _refuse("csv_too_many_rows", path, sheet=name, limit=f"{limits.csv_rows:,}")
                if record and any(record):
                    rows.append(record)
                    numbers.append(number)
    except UnicodeDecodeError as exc:
        raise _refuse("csv_encoding", path, sheet=name) from exc
    except _NulByte as exc:  # valid UTF-8, but with NUL characters: UTF-16 text or a binary file
        raise _refuse("csv_nul", path, sheet=name, row=exc.row) from exc
    except OSError as exc:
        raise _refuse("not_readable", path, sheet=name) from exc
    except csv.Error as exc:
        raise _refuse("csv_malformed", path, sheet=name, row=number + 1, detail=str(exc)) from exc
    return sheet


class _NulByte(ValueError):
    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


def _without_nul(lines: Iterable[str]) -> Iterable[str]:
    """The lines, refusing NUL: UTF-16 text (Excel's "Unicode Text") or a binary file."""
    for number, line in enumerate(lines, start=1):
        if "\0" in line:
            raise _NulByte(number)
        yield line


# ---------------------------------------------------------------- writing


def write_tables(path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]) -> None:
    """Write (name, header, rows) tables as an `.xlsx` (by suffix) or a folder of CSV files.

    The file appears whole or not at all: it is written beside the target, then renamed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        with atomic_write(path) as f:
            _write_xlsx(f, sheets)
        return
    tmp_dir = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
    try:
        for name, header, rows in sheets:
            with (tmp_dir / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(header)
                writer.writerows(["" if c is None else c for c in row] for row in rows)
        if path.exists():
            shutil.rmtree(path)
        tmp_dir.rename(path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


def _write_xlsx(out: BinaryIO, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]) -> None:
    from openpyxl import Workbook  # here: reading (calamine) and planning never load openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, header, rows in sheets:
        ws = book.create_sheet(name)
        ws.freeze_panes = "A2"
        heads = []
        for h in header:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            heads.append(c)
        ws.append(heads)
        for row in rows:
            ws.append([_safe_cell(ws, v) for v in row])
    book.save(out)


_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def _safe_cell(ws: object, value: Cell) -> Cell:
    """Text that looks like a formula (starting with = + - @, a tab or a carriage return) is
    stored as text marked with a quote prefix, never as a formula, and stays text when the
    cell is edited in a spreadsheet; the value read back is unchanged. Text that looks like an
    Excel escape (`_x0041_` reads as "A") has its underscore escaped; a float keeps all its
    digits (openpyxl writes 16 significant digits, a float may need 17)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) and "_x" in value:
        value = _ESCAPE_LIKE.sub("_x005F_", value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    if isinstance(value, float) and math.isfinite(value) and float(f"{value:.16g}") != value:
        cell = WriteOnlyCell(ws, value=repr(value))
        cell.data_type = "n"
        return cell
    return value


def write_template(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Cell]]]],
    instructions: Sequence[Sequence[str]],
    dropdowns: dict[tuple[str, int], list[str]],
) -> None:
    """An empty workbook to fill in: bold frozen headers, an instructions sheet (`petunjuk`)
    first, and a drop-down list on the columns named in `dropdowns` ((sheet, column index))."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    guide = book.active
    guide.title = "petunjuk"
    for line in instructions:
        guide.append(list(line))
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (22, 26, 26, 8, 40, 70), strict=True):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = "A2"
    for name, header, rows in sheets:
        ws = book.create_sheet(name)
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(list(row))
        ws.freeze_panes = "A2"
        for i in range(len(header)):
            ws.column_dimensions[get_column_letter(i + 1)].width = max(14, len(header[i]) + 4)
            choices = dropdowns.get((name, i))
            if choices:
                letter = get_column_letter(i + 1)
                rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
                rule.error = "Pilih salah satu: " + ", ".join(choices)
                rule.errorTitle = "Nilai tidak sah"
                ws.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}{LIMITS.xlsx_rows + 1}")
    with atomic_write(path) as f:
        book.save(f)


# ---------------------------------------------------------------- reports to read and print

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


@dataclass(frozen=True)
class ReportTable:
    """A titled table; a sheet of one untitled table is a data sheet (see `write_report`)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def sheet_names(names: Iterable[str]) -> list[str]:
    """Names Excel accepts: no []:*?/\\, at most 31 characters, unique ignoring case."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        base = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'") or "Lembar"
        candidate, n = base[:SHEET_NAME_MAX], 1
        while candidate.casefold() in seen:
            n += 1
            suffix = f" ({n})"
            candidate = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def write_report(path: Path, sheets: Sequence[tuple[str, Sequence[ReportTable]]]) -> None:
    """An `.xlsx` to read, filter and print, written whole or not at all.

    A sheet holding one untitled table is a data sheet: header on row 1, frozen, with a
    filter, repeated on every printed page. Otherwise the tables stand one below the other,
    each under its bold title. Every sheet prints landscape on A4, fitted to the page width,
    numbered "Halaman X dari Y". Text that a spreadsheet could take for a formula (starting
    with = + - @, a tab or a carriage return) is stored as text, marked with a quote prefix.
    Cells hold text, numbers and booleans; any other value is written as its text.

    The sheets' XML is written here, row by row as strings (the parts openpyxl would write,
    with the same styles): openpyxl built an object per cell, a second for the regency's
    83,000 cells (issue 18). Tested to read back through openpyxl as written.
    """
    names = sheet_names(n for n, _ in sheets)
    parts = [_report_sheet(name, tables) for name, (_, tables) in zip(names, sheets, strict=True)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as book:
        book.writestr("[Content_Types].xml", _content_types(len(parts)))
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("docProps/app.xml", _APP)
        book.writestr("xl/workbook.xml", _workbook_xml(names, [filtered for _, filtered in parts]))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(parts)))
        book.writestr("xl/styles.xml", _STYLES)
        for n, (xml, _) in enumerate(parts, start=1):
            book.writestr(f"xl/worksheets/sheet{n}.xml", xml)


# The cell styles of a report (styles.xml's cellXfs, in this order), then each with a quote
# prefix: text a spreadsheet could take for a formula stays text when edited.
_PLAIN, _TITLE, _HEAD = 0, 1, 2
_QUOTED = 3  # added to a style
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b val="1"/><sz val="12"/></font><font><b val="1"/></font></fonts>'
    '<fills count="3"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="00DDDDDD"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_ROOT_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC_RELS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    f"{_XML_HEAD}<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Siaga</Application></Properties>"
)
_SHEET_TAIL = (
    '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    "<headerFooter><oddHeader>&amp;L&amp;A</oddHeader><oddFooter>&amp;CHalaman &amp;P dari &amp;N</oddFooter>"
    "</headerFooter></worksheet>"
)
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _content_types(count: int) -> str:
    kind = "application/vnd.openxmlformats-officedocument"
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{kind}.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{kind}.spreadsheetml.styles+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{kind}.extended-properties+xml"/>'
        f"{sheets}</Types>"
    )


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_XML_HEAD}<Relationships xmlns="{_RELS}">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{_DOC_RELS}/styles" Target="styles.xml"/></Relationships>'
    )


def _workbook_xml(names: Sequence[str], filtered: Sequence[tuple[int, int] | None]) -> str:
    """The sheets, and each data sheet's filter range and printed title row (defined names)."""
    sheets = "".join(
        f'<sheet name="{_attribute(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, start=1)
    )
    defined = []
    for n, (name, area) in enumerate(zip(names, filtered, strict=True)):
        if area is None:
            continue
        columns, rows = area
        quoted = _attribute("'" + name.replace("'", "''") + "'")
        last = _column_letter(columns)
        defined.append(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            f"{quoted}!$A$1:${last}${rows}</definedName>"
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">{quoted}!$1:$1</definedName>'
        )
    names_xml = f"<definedNames>{''.join(defined)}</definedNames>" if defined else ""
    return (
        f'{_XML_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><bookViews><workbookView/></bookViews>'
        f'<sheets>{sheets}</sheets>{names_xml}<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _report_sheet(name: str, tables: Sequence[ReportTable]) -> tuple[str, tuple[int, int] | None]:
    """A sheet's XML, and for a data sheet its filtered area (columns, last row)."""
    widths: dict[int, int] = {}
    data_sheet = len(tables) == 1 and not tables[0].title
    rows: list[str] = []
    row, last_column, filtered = 1, 1, None
    for table in tables:
        if table.title:
            rows.append(_report_row(row, [table.title], _TITLE, widths, measure=False))
            row += 1
        rows.append(_report_row(row, table.header, _HEAD, widths))
        last_column = max(last_column, len(table.header))
        for values in table.rows:
            row += 1
            rows.append(_report_row(row, values, _PLAIN, widths))
            last_column = max(last_column, len(values))
        if data_sheet:
            filtered = (max(len(table.header), 1), max(row, 1))
        row += 2
    dimension = f"A1:{_column_letter(last_column)}{max(row - 2, 1)}"
    pane = (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if data_sheet
        else '<selection activeCell="A1" sqref="A1"/>'
    )
    columns = "".join(
        f'<col min="{c}" max="{c}" width="{min(max(w + 2, 6), 50)}" customWidth="1"/>'
        for c, w in sorted(widths.items())
    )
    head = (
        f'{_XML_HEAD}<worksheet xmlns="{_MAIN}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="{dimension}"/><sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{columns}</cols>" if columns else ""}<sheetData>'
    )
    filter_xml = f'<autoFilter ref="A1:{_column_letter(filtered[0])}{filtered[1]}"/>' if filtered else ""
    return head + "".join(rows) + "</sheetData>" + filter_xml + _SHEET_TAIL, filtered


def _report_row(row: int, values: Sequence[Cell], style: int, widths: dict[int, int], measure: bool = True) -> str:
    """One row of cells; `widths` keeps each column's longest text."""
    cells = []
    for col, value in enumerate(values, start=1):
        if value is None:
            continue
        if measure:
            widths[col] = max(widths.get(col, 0), len(str(value)))
        cells.append(_report_cell(f"{_column_letter(col)}{row}", value, style))
    return f'<row r="{row}">{"".join(cells)}</row>'


def _report_cell(ref: str, value: Cell, style: int) -> str:
    """One cell; text never becomes a formula (see `write_report`)."""
    styled = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Integral):
        return f'<c r="{ref}"{styled} t="n"><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Real) and math.isfinite(value):
        return f'<c r="{ref}"{styled} t="n"><v>{float(value)!r}</v></c>'  # every digit: it reads back equal
    text = _CONTROL.sub("", value if isinstance(value, str) else str(value))
    if "_x" in text:
        text = _ESCAPE_LIKE.sub("_x005F_", text)
    if not text:
        return f'<c r="{ref}"{styled} t="inlineStr"/>'
    if text.startswith(FORMULA_START):
        styled = f' s="{style + _QUOTED}"'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t{space}>{text.translate(_XML_TEXT)}</t></is></c>'


def _attribute(text: str) -> str:
    return text.translate(_XML_TEXT).replace('"', "&quot;")


_LETTERS: dict[int, str] = {}


def _column_letter(column: int) -> str:
    """1 -> A, 27 -> AA."""
    if column not in _LETTERS:
        letters, n = "", column
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        _LETTERS[column] = letters
    return _LETTERS[column]
