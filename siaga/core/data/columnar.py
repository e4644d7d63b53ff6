"""A folder of CSV files parsed column by column with pyarrow, for `read_scenario`.

`read_folder` gives the sheets `workbook.read_tables` gives (the same header, cells and row
numbers), each large file held as columns of text, about four times cheaper than Python's
csv module and a transpose. It vouches only for plain files: UTF-8 without NUL, a header of
distinct names with no quotes, every row as wide as the header and none blank, each quoted
field a whole field without a quote inside. Anything else (or a file pyarrow refuses) gives
None, and the caller reads the folder with `read_tables`, which names the problem.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from siaga.core.data.problems import UnreadableFile
from siaga.core.data.workbook import Cell, Limits, RawSheet, _read_csv

if TYPE_CHECKING:
    import pyarrow as pa

SMALL_FILE_BYTES = 1 << 20  # smaller files are read by workbook.py: there is nothing to gain
BOM = b"\xef\xbb\xbf"
FIELD_ENDS = (b",", b"\r", b"\n")


class Columns(Sequence[list[str]]):
    """A file's columns of text, each made a Python list when first asked for."""

    def __init__(self, arrays: list[pa.ChunkedArray]) -> None:
        self.arrays = arrays
        self.made: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self.arrays)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        if i not in self.made:
            self.made[i] = self.arrays[i].to_pylist()
        return self.made[i]


class ColumnSheet(RawSheet):
    """A sheet held as columns; `rows` are made from them only if something asks for rows."""

    def __init__(self, name: str, header: list[str], columns: Columns, row_numbers: list[int]) -> None:
        self.name, self.header, self.columns, self.row_numbers = name, header, columns, row_numbers
        self._rows: list[Sequence[Cell]] | None = None

    def zero_one(self, i: int) -> list[int] | None:
        """Column `i` as 0 and 1 when every cell is the text 0 or 1 (an indicator's), else None.

        One character each that pyarrow reads as a digit from 0 to 1. (No pyarrow scalar is
        made here: making one loads pandas.)"""
        import pyarrow as pa
        import pyarrow.compute as pc

        array = self.columns.arrays[i]
        if len(array) == 0:
            return []
        lengths = pc.binary_length(array)
        if pc.min(lengths).as_py() != 1 or pc.max(lengths).as_py() != 1:
            return None
        try:
            digits = pc.cast(array, pa.int8())
        except pa.ArrowInvalid:
            return None
        if not 0 <= pc.min(digits).as_py() <= pc.max(digits).as_py() <= 1:
            return None
        return list(digits.to_pylist())

    @property  # type: ignore[override]
    def rows(self) -> list[Sequence[Cell]]:
        if self._rows is None:
            columns = [self.columns[i] for i in range(len(self.columns))]
            self._rows = list(zip(*columns, strict=True)) if columns else [[] for _ in self.row_numbers]
        return self._rows

    @rows.setter
    def rows(self, rows: list[Sequence[Cell]]) -> None:
        self._rows = rows


def read_folder(path: Path, limits: Limits) -> list[RawSheet] | None:
    """Every `*.csv` file of the folder `path` as `read_tables` reads it, or None when one of
    them holds something this reader does not vouch for."""
    try:
        files = [p for p in sorted(path.glob("*.csv")) if p.is_file()]
    except OSError:
        return None
    sheets = []
    for file in files:
        sheet = _read(file, limits)
        if sheet is None:
            return None
        sheets.append(sheet)
    return sheets


def _read(path: Path, limits: Limits) -> RawSheet | None:
    try:
        size = path.stat().st_size
        if size > limits.csv_file_bytes:
            return None
        if size < SMALL_FILE_BYTES:
            return _read_csv(path, limits)
        data = path.read_bytes()
    except (OSError, UnreadableFile):
        return None
    if data.startswith(BOM):  # utf-8-sig, as workbook.py reads
        data = data[len(BOM) :]
    if b"\0" in data or not _utf8(data):
        return None
    if b'"' in data and not _whole_quoted_fields(data):
        return None
    import pyarrow as pa  # loaded by the first large file: it takes a while to load
    import pyarrow.csv as pa_csv

    names = _header(data)
    if names is None:
        return None
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(use_threads=False),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None
    if table.column_names != names or table.num_rows > limits.csv_rows or not _plain_cells(table):
        return None
    return ColumnSheet(
        path.stem, [n.strip() for n in names], Columns(table.columns), list(range(2, table.num_rows + 2))
    )


def _utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _whole_quoted_fields(data: bytes) -> bool:
    """Every quote opens a field or closes it, with no quote inside (`"a, b"`): both parsers
    read such fields alike. Between quotes the parts alternate: outside, inside, outside..."""
    parts = data.split(b'"')
    if len(parts) % 2 == 0:  # a quote left open
        return False
    first, last, between = parts[0], parts[-1], parts[2:-1:2]
    return (
        (not first or first[-1:] in FIELD_ENDS)
        and (not last or last[:1] in FIELD_ENDS)
        and all(p[:1] in FIELD_ENDS and p[-1:] in FIELD_ENDS for p in between)
    )


def _header(data: bytes) -> list[str] | None:
    """The first line's names as the file writes them, when plain: no quote, none blank
    (workbook.py drops trailing blank names), no two alike."""
    line = data.split(b"\n", 1)[0]
    if line.endswith(b"\r"):
        line = line[:-1]
    if not line or b'"' in line or b"\r" in line:
        return None
    names = line.decode("utf-8").split(",")
    if any(not n.strip() for n in names) or len(set(names)) != len(names):
        return None
    return names


def _plain_cells(table: pa.Table) -> bool:
    import pyarrow.compute as pc

    """No row blank in every cell (csv.reader's rows that workbook.py skips) and no cell longer
    than csv.reader takes (`csv.field_size_limit`, a malformed file to workbook.py)."""
    if table.num_rows == 0:
        return True
    lengths = [pc.binary_length(column) for column in table.columns]
    if any(pc.max(length).as_py() >= csv.field_size_limit() for length in lengths):
        return False
    total = lengths[0]
    for length in lengths[1:]:
        total = pc.add(total, length)
    return bool(pc.min(total).as_py() > 0)
