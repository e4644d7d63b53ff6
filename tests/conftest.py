"""Shared fixtures: a small valid scenario, as a `Scenario` and as editable tables, and the
helpers that write it (intact or broken) as an `.xlsx` workbook or a folder of CSV files.

Rows are addressed as Excel shows them (row 1 is the header) and columns by their English
canonical names; `Tables.localised("id")` renames sheets, columns and operation keys to the
Indonesian aliases, as a planner's workbook has them.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from siaga.core.data.model import Category, Force, Level, Operation, Person, Region, Scenario, Tps, Unit, UnitKind
from siaga.core.data.scenario import OPERATION, SHEETS

Row = list[object]

# fmt: off
VALID: dict[str, list[Row]] = {
    "operation": [
        ["key", "value"],
        ["name", "Pam Pilkades Serentak 2022 Polres Pasuruan Kota"],
        ["election_date", "2022-03-23"],
        ["pattern", "pilkades-paskot-2022"],
    ],
    "regions": [
        ["code", "name", "level", "parent_code", "lat", "lon", "candidates"],
        ["35.75", "Kota Pasuruan", "KOTA", "", "", "", ""],
        ["35.75.01", "Gadingrejo", "KECAMATAN", "35.75", "", "", ""],
        ["35.75.01.1001", "Krapyakrejo", "KELURAHAN", "35.75.01", -7.65, 112.9, 3],
        ["35.75.01.1002", "Petahunan", "KELURAHAN", "35.75.01", -7.66, 112.91, 2],
    ],
    "tps": [
        ["id", "desa_code", "number", "voters", "lat", "lon", "address", "category", "category_reason",
         "violence_history"],
        ["35.75.01.1001-01", "35.75.01.1001", 1, 250, -7.651, 112.901, "Jl. Hasanudin 1", "RAWAN",
         "bentrok pendukung 2019", "ya"],
        ["35.75.01.1001-02", "35.75.01.1001", 2, 240, -7.652, 112.902, "", "", "", "tidak"],
        ["35.75.01.1002-01", "35.75.01.1002", 1, 260, -7.661, 112.911, "", "", "", ""],
    ],
    "units": [
        ["code", "name", "kind", "kecamatan_code", "lat", "lon"],
        ["POLRES", "Polres Pasuruan Kota", "POLRES", "", -7.64, 112.9],
        ["PS-GDR", "Polsek Gadingrejo", "POLSEK", "35.75.01", -7.65, 112.91],
        ["KODIM", "Kodim 0819 Pasuruan", "KODIM", "", -7.645, 112.905],
    ],
    "personnel": [
        ["id", "name", "rank", "unit_code", "force", "desa_code", "phone", "available"],
        ["78040123", "Budi Santoso", "BRIPKA", "POLRES", "POLRI", "", "081234567890", "ya"],
        ["80050011", "Agus Salim", "AIPDA", "PS-GDR", "", "", "", "ya"],
        ["21950123", "Slamet Riyadi", "SERDA", "KODIM", "TNI", "", "", ""],
        ["3575010101900001", "Siti Aminah", "", "", "LINMAS", "35.75.01.1001", "", "ya"],
        ["3575010101900002", "Joko Susilo", "", "", "LINMAS", "35.75.01.1002", "", "tidak"],
    ],
}
# fmt: on

ALIASES: dict[str, tuple[str, dict[str, str]]] = {
    spec.name: (spec.alias, {c.name: c.alias for c in spec.columns}) for spec in SHEETS
}
OPERATION_KEY_ALIASES = {c.name: c.alias for c in OPERATION.columns}


def alias(sheet: str, column: str = "") -> str:
    """The Indonesian name of a sheet, or of one of its columns (indicators keep their key)."""
    sheet_alias, columns = ALIASES[sheet]
    if not column:
        return sheet_alias
    if sheet == "operation":
        return {"key": "kunci", "value": "nilai"}.get(column) or OPERATION_KEY_ALIASES.get(column, column)
    return columns.get(column, column)


class Tables:
    """A scenario as editable tables: {sheet: [header, row 2, row 3, ...]}, English names."""

    def __init__(self, sheets: dict[str, list[Row]]):
        self.sheets = sheets

    @classmethod
    def valid(cls) -> Tables:
        return cls(copy.deepcopy(VALID))

    def _at(self, sheet: str, column: str) -> int:
        return self.sheets[sheet][0].index(column)

    def set(self, sheet: str, row: int, column: str, value: object) -> Tables:
        """Put `value` in the cell at Excel row `row` (2 is the first data row)."""
        rows = self.sheets[sheet]
        while len(rows) < row:
            rows.append([""] * len(rows[0]))
        rows[row - 1][self._at(sheet, column)] = value
        return self

    def get(self, sheet: str, row: int, column: str) -> object:
        return self.sheets[sheet][row - 1][self._at(sheet, column)]

    def add_row(self, sheet: str, **values: object) -> int:
        """Append a row (columns by name, the rest blank); return its Excel row number."""
        header = self.sheets[sheet][0]
        self.sheets[sheet].append([values.get(h, "") for h in header])
        return len(self.sheets[sheet])

    def copy_row(self, sheet: str, row: int, **changes: object) -> int:
        header = self.sheets[sheet][0]
        return self.add_row(sheet, **(dict(zip(header, self.sheets[sheet][row - 1], strict=True)) | changes))

    def add_column(self, sheet: str, header: str, values: dict[int, object] | None = None) -> Tables:
        for i, row in enumerate(self.sheets[sheet]):
            row.append(header if i == 0 else (values or {}).get(i + 1, ""))
        return self

    def drop_column(self, sheet: str, column: str) -> Tables:
        at = self._at(sheet, column)
        for row in self.sheets[sheet]:
            del row[at]
        return self

    def rename_column(self, sheet: str, column: str, new: str) -> Tables:
        self.sheets[sheet][0][self._at(sheet, column)] = new
        return self

    def rename_sheet(self, sheet: str, new: str) -> Tables:
        self.sheets = {(new if k == sheet else k): v for k, v in self.sheets.items()}
        return self

    def drop_sheet(self, sheet: str) -> Tables:
        del self.sheets[sheet]
        return self

    def localised(self, lang: str) -> dict[str, list[Row]]:
        """The sheets with Indonesian (`id`) or English (`en`) sheet, column and key names."""
        if lang == "en":
            return copy.deepcopy(self.sheets)
        out = {}
        for name, rows in self.sheets.items():
            if name not in ALIASES or not rows:
                out[ALIASES[name][0] if name in ALIASES else name] = copy.deepcopy(rows)
                continue
            header = [alias(name, h) if isinstance(h, str) else h for h in rows[0]]
            body = copy.deepcopy(rows[1:])
            if name == "operation":
                body = [[alias(name, str(r[0])), *r[1:]] if r else r for r in body]
            out[alias(name)] = [header, *body]
        return out


def write_xlsx(path: Path, sheets: dict[str, list[Row]]) -> Path:
    """Each value as a cell of its own type: text stays text, numbers stay numbers."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append([None if v == "" else v for v in row])
    book.save(path)
    return path


def write_csv_folder(path: Path, sheets: dict[str, list[Row]]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        with (path / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
    return path


FORMATS = {"xlsx": "id", "csv": "en"}  # the header language each format is written with


@pytest.fixture
def tables() -> Tables:
    return Tables.valid()


@pytest.fixture
def write_files(tmp_path: Path) -> Callable[..., Path]:
    """write_files(tables, fmt, lang=None): the scenario as `.xlsx` or CSV folder under tmp_path.

    By default a workbook gets Indonesian names and a CSV folder English ones.
    """
    counter = iter(range(10**6))

    def write(tables: Tables, fmt: str, lang: str | None = None) -> Path:
        sheets = tables.localised(lang or FORMATS[fmt])
        target = tmp_path / f"scenario-{next(counter)}"
        if fmt == "xlsx":
            return write_xlsx(target.with_suffix(".xlsx"), sheets)
        return write_csv_folder(target, sheets)

    return write


def rewrite_zip(src: Path, dst: Path, edits: dict[str, Callable[[bytes], bytes] | bytes | None]) -> Path:
    """Copy a zip, changing parts: a function edits a part, bytes replace or add it, None drops it."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        names = [m.filename for m in zin.infolist()]
        for name in names:
            edit = edits.get(name, lambda data: data)
            if edit is None:
                continue
            data = zin.read(name)
            zout.writestr(name, edit(data) if callable(edit) else edit)
        for name, edit in edits.items():
            if name not in names and isinstance(edit, bytes):
                zout.writestr(name, edit)
    return dst


def small_scenario() -> Scenario:
    """The valid tables above as the Scenario they must read into."""
    return Scenario(
        operation=Operation(
            "Pam Pilkades Serentak 2022 Polres Pasuruan Kota", dt.date(2022, 3, 23), pattern="pilkades-paskot-2022"
        ),
        regions=(
            Region("35.75", "Kota Pasuruan", Level.KOTA),
            Region("35.75.01", "Gadingrejo", Level.KECAMATAN, "35.75"),
            Region("35.75.01.1001", "Krapyakrejo", Level.KELURAHAN, "35.75.01", -7.65, 112.9, {"candidates": 3}),
            Region("35.75.01.1002", "Petahunan", Level.KELURAHAN, "35.75.01", -7.66, 112.91, {"candidates": 2}),
        ),
        tps=(
            Tps(
                "35.75.01.1001-01",
                "35.75.01.1001",
                1,
                250,
                -7.651,
                112.901,
                "Jl. Hasanudin 1",
                Category.RAWAN,
                "bentrok pendukung 2019",
                {"violence_history": 1},
            ),
            Tps("35.75.01.1001-02", "35.75.01.1001", 2, 240, -7.652, 112.902, indicators={"violence_history": 0}),
            Tps("35.75.01.1002-01", "35.75.01.1002", 1, 260, -7.661, 112.911),
        ),
        units=(
            Unit("POLRES", "Polres Pasuruan Kota", UnitKind.POLRES, "", -7.64, 112.9),
            Unit("PS-GDR", "Polsek Gadingrejo", UnitKind.POLSEK, "35.75.01", -7.65, 112.91),
            Unit("KODIM", "Kodim 0819 Pasuruan", UnitKind.KODIM, "", -7.645, 112.905),
        ),
        personnel=(
            Person("78040123", "Budi Santoso", "BRIPKA", "POLRES", Force.POLRI, phone="081234567890"),
            Person("80050011", "Agus Salim", "AIPDA", "PS-GDR", Force.POLRI),
            Person("21950123", "Slamet Riyadi", "SERDA", "KODIM", Force.TNI),
            Person("3575010101900001", "Siti Aminah", force=Force.LINMAS, desa_code="35.75.01.1001"),
            Person("3575010101900002", "Joko Susilo", force=Force.LINMAS, desa_code="35.75.01.1002", available=False),
        ),
    )


@pytest.fixture
def valid_scenario() -> Scenario:
    return small_scenario()


# The database-only run. `make test` runs the suite twice: on SQLite (everything) and on
# PostgreSQL. The core's own tests (tests/test_*.py at the top, which use no database fixture:
# the core imports no Django, tests/test_core_is_pure.py) give the same answer whatever the
# database, so the PostgreSQL run, started with SIAGA_TEST_DATABASE_ONLY=1, leaves them out and
# says how many it left out ("deselected"). The console's tests (tests/web and any test with a
# database fixture) run on both, but a console test marked `same_on_every_database`, whose
# answer is the core's (the planning engines behind a job). The browser's tests (tests/browser)
# walk what a person sees and does on a page; the server's answers behind those pages are the
# console's, which tests/web asks on both databases. So they run on SQLite, and on PostgreSQL
# only those marked `on_both_databases`: the ones whose point is what the database keeps (two
# tabs editing one version, field records carried to a new version, a phone's queued writes
# sent twice).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_reset_sequences"})
TESTS = Path(__file__).resolve().parent


def touches_a_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("same_on_every_database") is not None:
        return False
    path = Path(str(item.path)).resolve()
    if path.parent == TESTS / "browser":
        return item.get_closest_marker("on_both_databases") is not None
    if path.parent != TESTS:  # tests/web: the console on the database
        return True
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import os

    if os.environ.get("SIAGA_TEST_DATABASE_ONLY") != "1":
        return
    kept = [item for item in items if touches_a_database(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if not touches_a_database(item)])
        items[:] = kept
