"""The columnar CSV reader (columnar.py) and the column-at-once cell readers give exactly what
the row-by-row reader of record gives: the same Scenario for valid folders, the same problems
for invalid ones, and no change for workbooks."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from siaga.core.data import cells, columnar, demo, generator
from siaga.core.data import scenario as scenario_io
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.data.workbook import LIMITS, read_tables


@pytest.fixture
def every_file_columnar(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small test files through pyarrow too (large ones only, otherwise)."""
    monkeypatch.setattr(columnar, "SMALL_FILE_BYTES", 0)


def slow_read(path: Path) -> Any:
    """The reader of record: csv module rows, then every cell read one by one."""
    mp = pytest.MonkeyPatch()
    mp.setattr(columnar, "read_folder", lambda *a: None)
    mp.setattr(scenario_io, "_read_fast", lambda *a: None)
    mp.setattr(scenario_io, "_transpose", lambda sheet: None)
    try:
        return read_scenario(path)
    finally:
        mp.undo()


def assert_same(fast: Any, slow: Any) -> None:
    assert fast == slow
    for kind in ("regions", "tps", "units", "personnel"):
        for a, b in zip(getattr(fast, kind), getattr(slow, kind), strict=True):
            for name in a.__dataclass_fields__:
                x, y = getattr(a, name), getattr(b, name)
                assert type(x) is type(y), (kind, name, x, y)
                if isinstance(x, dict):
                    assert list(x.items()) == list(y.items())


@pytest.mark.parametrize(("tps", "seed", "indicators"), [(200, 1, True), (800, 2, False), (1500, 3, True)])
def test_it_reads_a_generated_folder_as_the_slow_path_does(
    tmp_path: Path, every_file_columnar: None, tps: int, seed: int, indicators: bool
) -> None:
    generator.write(tmp_path, tps=tps, seed=seed, indicators=indicators)
    sheets = columnar.read_folder(tmp_path, LIMITS)
    assert sheets is not None and all(isinstance(s, columnar.ColumnSheet) for s in sheets)
    assert_same(read_scenario(tmp_path), slow_read(tmp_path))


def test_it_reads_the_demo_written_as_csv_as_the_slow_path_does(tmp_path: Path, every_file_columnar: None) -> None:
    scenario = demo.pasuruan_kota()
    for lang in ("en", "id"):
        folder = tmp_path / lang
        write_scenario(scenario, folder, lang=lang)
        fast = read_scenario(folder)
        assert_same(fast, slow_read(folder))
        assert fast == scenario


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.mark.parametrize(
    ("sheet", "column", "value"),
    [
        ("tps", "lat", " -7,5 "),  # an Indonesian decimal comma
        ("tps", "voters", "\u0663\u0661\u0660"),  # Arabic-Indic digits
        ("tps", "violence_history", "1 "),
        ("tps", "violence_history", ""),
        ("tps", "near_school", "ya"),
        ("personnel", "available", "tidak"),
        ("personnel", "force", ""),  # taken from the unit's kind
        ("units", "lat", "1e0"),
    ],
)
def test_an_odd_valid_cell_reads_as_the_slow_path_reads_it(
    tmp_path: Path, every_file_columnar: None, sheet: str, column: str, value: str
) -> None:
    generator.write(tmp_path, tps=300, seed=5, indicators=True)
    set_cell(tmp_path / f"{sheet}.csv", 7, column, value)
    assert_same(read_scenario(tmp_path), slow_read(tmp_path))


def problems_of(sheets: list[Any]) -> list[Any]:
    with pytest.raises(ScenarioError) as caught:
        scenario_io._Validator(sheets).scenario()
    return caught.value.problems


@pytest.mark.parametrize(
    ("sheet", "column", "value"),
    [
        ("tps", "lat", "abc"),
        ("tps", "lat", "nan"),
        ("tps", "voters", "1,5"),
        ("tps", "number", ""),
        ("tps", "id", "ABC\u202e"),
        ("personnel", "name", "Budi\x07"),
        ("personnel", "force", "TENTARA"),
        ("units", "lat", "99"),
        ("tps", "violence_history", "x"),
        ("tps", "violence_history", "5"),
    ],
)
def test_an_invalid_cell_gives_the_slow_paths_problems(
    tmp_path: Path, every_file_columnar: None, sheet: str, column: str, value: str
) -> None:
    generator.write(tmp_path, tps=300, seed=4, indicators=True)
    set_cell(tmp_path / f"{sheet}.csv", 5, column, value)

    fast_sheets = columnar.read_folder(tmp_path, LIMITS)
    assert fast_sheets is not None
    fast = problems_of(fast_sheets)
    assert fast == problems_of(read_tables(tmp_path))
    assert any(p.sheet == sheet and p.row == 6 for p in fast)
    with pytest.raises(ScenarioError) as caught:
        read_scenario(tmp_path)
    assert caught.value.problems == fast
    with pytest.raises(ScenarioError) as slow:
        slow_read(tmp_path)
    assert slow.value.problems == fast


HEADER = "id,name,lat\n"
# (file body after the header, whether the columnar reader must refuse it)
CSV_CASES = [
    ("a,Budi,1.5\nb,Siti,2\n", False),
    ('a,"Budi, S.H.",1.5\r\nb,"Siti\nrumah",2\r\n', False),
    ('a,"Budi ""Bo""",1\n', True),  # a quote inside a quoted field
    ('a,Bu"di,1\n', True),  # a quote inside a plain field
    ('a,"Budi"x,1\n', True),  # text after the closing quote: malformed to csv.reader
    ('a,"Budi,1\n', True),  # a quote left open
    ("a,Budi,1\n\nb,Siti,2\n", True),  # a blank line: a row number skipped
    ("a,Budi,1\n,,\nb,Siti,2\n", True),  # a row of blank cells, skipped by workbook.py
    ("a,Budi\n", True),  # a short row, padded by scenario.py
    ("a,Budi,1,extra\n", True),  # a long row
    ("a,Bu\x00di,1\n", True),
    ("a,Budi,1\rb,Siti,2\r", False),
    ("a, Budi ,  1.5 \n", False),
    ("a,Budi,1", False),  # no final line break
]


@pytest.mark.parametrize(("body", "refused"), CSV_CASES)
def test_a_file_is_read_as_workbook_py_reads_it_or_refused(
    tmp_path: Path, every_file_columnar: None, body: str, refused: bool
) -> None:
    (tmp_path / "tps.csv").write_bytes((HEADER + body).encode("utf-8"))
    sheets = columnar.read_folder(tmp_path, LIMITS)
    assert (sheets is None) == refused
    if sheets is not None:
        (fast,) = sheets
        (slow,) = read_tables(tmp_path)
        assert (fast.name, fast.header, fast.row_numbers) == (slow.name, slow.header, slow.row_numbers)
        assert [list(r) for r in fast.rows] == [list(r) for r in slow.rows]


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfid,name\na,b\n",  # a byte-order mark, as Excel writes
        b"id,name\na,Bud\xffi\n",  # not UTF-8
        b'"id",name\na,b\n',  # a quoted header
        b"id,id\na,b\n",  # a name twice
        b"id,name,\na,b,\n",  # a trailing blank name
        b"",
    ],
)
def test_odd_files_read_alike_or_are_refused(tmp_path: Path, every_file_columnar: None, data: bytes) -> None:
    (tmp_path / "tps.csv").write_bytes(data)
    sheets = columnar.read_folder(tmp_path, LIMITS)
    try:
        slow = read_tables(tmp_path)
    except Exception:
        assert sheets is None
        return
    if sheets is not None:
        assert [(s.name, s.header, [list(r) for r in s.rows], s.row_numbers) for s in sheets] == [
            (s.name, s.header, [list(r) for r in s.rows], s.row_numbers) for s in slow
        ]


def test_a_long_cell_is_left_to_workbook_py(tmp_path: Path, every_file_columnar: None) -> None:
    (tmp_path / "tps.csv").write_text(HEADER + "a," + "x" * csv.field_size_limit() + ",1\n", encoding="utf-8")
    assert columnar.read_folder(tmp_path, LIMITS) is None


def test_small_files_are_read_by_workbook_py(tmp_path: Path) -> None:
    generator.write(tmp_path, tps=50, seed=1)
    sheets = columnar.read_folder(tmp_path, LIMITS)
    assert sheets is not None and not any(isinstance(s, columnar.ColumnSheet) for s in sheets)


def test_a_workbook_is_read_without_the_columnar_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.xlsx"
    generator.write(path, tps=150, seed=2, indicators=True)
    slow = slow_read(path)

    def refuse(*args: object) -> None:
        raise AssertionError("a workbook is not a folder")

    monkeypatch.setattr(columnar, "read_folder", refuse)
    assert_same(read_scenario(path), slow)


class FakeColumns:
    def __init__(self, values: list[str]) -> None:
        import pyarrow as pa

        self.arrays = [pa.chunked_array([pa.array(values, pa.string())], pa.string())]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (["0", "1", "1"], [0, 1, 1]),
        (["0", "0"], [0, 0]),
        (["0", "2"], None),
        (["1", "00"], None),
        (["1", ""], None),
        (["1", " 1"], None),
        (["1", "\u0661"], None),  # an Arabic-Indic one: read as 1 by integer(), left to it
        (["1", "x"], None),
        ([], []),
    ],
)
def test_an_indicator_column_is_read_as_zero_and_one_only_when_it_is(column: list[str], expected: Any) -> None:
    sheet = columnar.ColumnSheet("tps", ["x"], FakeColumns(column), list(range(2, len(column) + 2)))  # type: ignore[arg-type]
    assert sheet.zero_one(0) == expected


@pytest.mark.parametrize(
    ("reader", "column", "expected"),
    [
        (cells.in_range(cells.number, 0, 10), ["1", " 2.5 ", "1e1"], [1.0, 2.5, 10.0]),
        (cells.in_range(cells.number, 0, 10), ["1", "nan"], None),
        (cells.in_range(cells.number, 0, 10), ["1", "inf"], None),
        (cells.in_range(cells.number, 0, 10), ["1", "1,5"], None),
        (cells.in_range(cells.number, 0, 10), ["1", ""], None),
        (cells.in_range(cells.number, 0, 10), ["11"], None),
        (cells.in_range(cells.number, 0, 10), [True], None),
        (cells.in_range(cells.integer, 0, 10), ["3", "0"], [3, 0]),
        (cells.in_range(cells.integer, 0, 10), ["3.0"], None),
        (cells.in_range(cells.integer, 0, 10), ["-1"], None),
    ],
)
def test_a_range_reads_a_column_at_once_only_when_every_cell_reads_alike(
    reader: Any, column: list[Any], expected: list[Any] | None
) -> None:
    out = reader.read_all(column)
    assert out == expected
    if out is not None:
        assert out == [reader(v) for v in column]
        assert [type(v) for v in out] == [type(reader(v)) for v in column]


def test_records_are_made_as_their_class_makes_them() -> None:
    from siaga.core.data.model import Force, Person

    columns: list[list[Any]] = [
        ["1", "2"],
        ["Budi", "Siti"],
        ["AKP", ""],
        ["POLRES-1", ""],
        [Force.POLRI, Force.LINMAS],
        ["", "35.14.17.2001"],
        ["", ""],
        [True, False],
        ["", ""],
        ["", "35.14.17.2001-01"],
        ["", ""],
        ["", ""],
    ]
    made = scenario_io._records(Person, *columns)
    expected = list(map(Person, *columns))
    assert made == expected
    assert [hash(p) for p in made] == [hash(p) for p in expected]
    assert all(type(p) is Person for p in made)
    with pytest.raises(AttributeError):
        made[0].name = "x"  # type: ignore[misc]
