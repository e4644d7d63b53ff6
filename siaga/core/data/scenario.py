"""The scenario workbook (docs/scenario.md): read, validate and write it.

`read_scenario(path)` returns a `Scenario` or raises `ScenarioError` with every problem found,
each naming the sheet, the Excel row, the column, the value and what was expected. Nothing is
returned half-loaded. `write_scenario` writes a scenario that reads back equal.

Sheets are read column by column: a column of a national CSV file (two million persons) is
checked in one pass with fast paths for the all-valid case, and the slow path that names
each bad cell runs only when something is wrong. Large CSV files are parsed into columns by
columnar.py; when a folder so read has any problem, it is read again the usual way
(`read_tables`), so that every message is that reader's.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import compress, repeat
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from siaga.core.data import cells, columnar, numbers, pins
from siaga.core.data.cells import Bad
from siaga.core.data.indicators import VERSIONS as INDICATOR_VERSIONS
from siaga.core.data.indicators import Scope, ValueType, catalog
from siaga.core.data.model import (
    EMPTY,
    FORCE_OF_UNIT_KIND,
    REGENCY_LEVELS,
    SECTOR_UNIT_KINDS,
    VILLAGE_LEVELS,
    Category,
    DutyKind,
    DutyLevel,
    DutyRuleRow,
    DutyWhen,
    Event,
    Force,
    Level,
    Operation,
    PatternRow,
    Person,
    Region,
    Scenario,
    Stage,
    StageKind,
    Tps,
    TravelTime,
    Unit,
    UnitKind,
)
from siaga.core.data.patterns import CUSTOM, PRESETS
from siaga.core.data.problems import Problem, ScenarioError
from siaga.core.data.ranks import read_rank
from siaga.core.data.text import Message, gettext_noop
from siaga.core.data.workbook import LIMITS, Limits, RawSheet, read_tables, write_tables

Reader = Callable[[object], Any]
_R = TypeVar("_R")


@dataclass(frozen=True)
class Column:
    """One column of the contract: English name, Indonesian alias, how a cell is read."""

    name: str
    alias: str
    read: Reader
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class Sheet:
    name: str
    alias: str
    columns: tuple[Column, ...]
    required: bool = True
    scope: Scope | None = None  # which indicator columns the sheet accepts


@dataclass
class Table:
    """A sheet read column by column: parsed values and the raw cells they came from."""

    sheet: RawSheet
    values: dict[str, list[Any]]
    raw: dict[str, list[Any]]
    indicators: list[dict[str, float]] | None
    heads: dict[str, str] = field(default_factory=dict)  # column name -> its header in the file


def _col(name: str, alias: str, read: Reader, required: bool = False, default: Any = None) -> Column:
    return Column(name, alias, read, required, default)


_text, _number, _integer = cells.text, cells.number, cells.integer


def _id(max_length: int) -> cells.Text:
    """A code or id: NFKC, no invisible or control characters, at most `max_length` (the
    database column's, tests/web/test_hostile_import.py)."""
    return cells.Text(max_length, identifier=True)


def _words(max_length: int) -> cells.Text:
    """Free text (names, addresses, reasons): no control or bidi characters, at most `max_length`."""
    return cells.Text(max_length)


def _indicator_catalogue(value: object) -> str:
    """An indicator catalogue's version (siaga.core.data.indicators.VERSIONS), any case."""
    name = cells.text(value).strip().lower()
    if name not in INDICATOR_VERSIONS:
        raise Bad("not_in_list", allowed=", ".join(INDICATOR_VERSIONS))
    return name


OFFENCE_ROUTES = ("gakkumdu", "polri")


def _offence_route(value: object) -> str:
    """How election offences go (`Operation.offence_route`), any case; blank: by election kind."""
    name = cells.text(value).strip().lower()
    if name not in OFFENCE_ROUTES:
        raise Bad("not_in_list", allowed=", ".join(OFFENCE_ROUTES))
    return name


# Upper bounds: far above any real election, far below what a database column or the planner
# could take (a PostgreSQL integer stops at 2,147,483,647).
COUNT_MAX = 1_000_000
NOTE_MAX = 4_000  # free text kept in the operation's settings (JSON), no column of its own
_positive = cells.in_range(cells.number, 0.0001, 24 * 60.0)
_count = cells.in_range(cells.integer, 0, COUNT_MAX)
_at_least_one = cells.in_range(cells.integer, 1, COUNT_MAX)
_km = cells.in_range(cells.number, 0, 10_000.0)

OPERATION = Sheet(
    "operation",
    "operasi",
    (
        _col("name", "nama", _words(200), required=True),
        _col("election_date", "tanggal_pemungutan", cells.date, required=True),
        _col("pattern", "pola", _id(40), default="pemilu-2024"),
        _col("road_factor", "faktor_jalan", cells.in_range(cells.number, 1.0, 5.0), default=1.3),
        _col("speed_kmh", "kecepatan_kmj", cells.in_range(cells.number, 1.0, 200.0), default=30.0),
        _col("response_minutes", "waktu_respons_menit", _positive, default=30.0),
        _col("reserve_team_size", "ukuran_tim_cadangan", _at_least_one, default=30),
        _col("village_guard_polri", "jaga_balai_desa_polri", _count, default=0),
        _col("village_guard_tni", "jaga_balai_desa_tni", _count, default=0),
        _col("out_of_sector_penalty_km", "penalti_luar_sektor_km", _km, default=20.0),
        _col("max_post_radius_km", "radius_pos_maks_km", _km, default=1.0),
        _col("note", "catatan", _words(NOTE_MAX), default=""),
        _col("weights", "bobot", cells.weights, default={}),
        _col("threshold_rawan", "ambang_rawan", cells.in_range(cells.number, 0.01, 100.0), default=20.0),
        _col("threshold_sangat_rawan", "ambang_sangat_rawan", cells.in_range(cells.number, 0.01, 100.0), default=45.0),
        _col("tni_standby_size", "ukuran_siaga_tni", _count, default=0),
        _col("patrol_radius_km", "radius_patroli_km", _km, default=3.0),
        _col("reinforce_sangat_rawan", "tambahan_polri_sangat_rawan", _count, default=0),
        _col("sprin_on_behalf", "sprin_atas_nama", _words(NOTE_MAX), default=""),
        _col("tembusan", "tembusan", _words(NOTE_MAX), default=""),
        _col("renops_number", "nomor_renops", _words(200), default=""),
        _col("prinlak_number", "nomor_prinlak", _words(200), default=""),
        _col("pergeseran_day", "hari_pergeseran", cells.in_range(cells.integer, 0, 30), default=1),
        _col("shift_hours", "jam_giliran", cells.in_range(cells.number, 1.0, 24.0), default=12.0),
        _col("min_rest_hours", "jam_istirahat_min", cells.in_range(cells.number, 0, 48.0), default=8.0),
        _col("max_duty_hours", "jam_tugas_maks", cells.in_range(cells.number, 1.0, 72.0), default=12.0),
        _col("max_total_hours", "jam_tugas_total_maks", cells.in_range(cells.number, 1.0, 24 * 366.0), default=120.0),
        _col(
            "replan_min_present_pct",
            "persen_hadir_min_susun_ulang",
            cells.in_range(cells.integer, 0, 100),
            default=50,
        ),
        _col("catalogue", "katalog_kerawanan", _indicator_catalogue, default=""),
        _col("replan_newcomers", "susun_ulang_dari_luar_apel", cells.boolean, default=False),
        _col("offence_route", "penanganan_pelanggaran", _offence_route, default=""),
        _col("sector_units_after_handover", "polsek_kerahkan_setelah_eskalasi", cells.boolean, default=True),
    ),
)
OPERATION_KEY = _col("key", "kunci", _text, required=True)
OPERATION_VALUE = _col("value", "nilai", lambda v: v)

REGIONS = Sheet(
    "regions",
    "wilayah",
    (
        _col("code", "kode", _id(40), required=True),
        _col("name", "nama", _words(120), required=True),
        _col("level", "tingkat", cells.enum_reader(Level), required=True),
        _col("parent_code", "kode_induk", _id(40), default=""),
        _col("lat", "lintang", cells.latitude),
        _col("lon", "bujur", cells.longitude),
        _col("polres_code", "kode_polres", _id(60), default=""),
    ),
    scope=Scope.DESA,
)

TPS = Sheet(
    "tps",
    "tps",
    (
        _col("id", "id", _id(60), required=True),
        _col("desa_code", "kode_desa", _id(40), required=True),
        _col("number", "nomor", _at_least_one, required=True),
        _col("voters", "dpt", _count, required=True),
        _col("lat", "lintang", cells.latitude, required=True),
        _col("lon", "bujur", cells.longitude, required=True),
        _col("address", "alamat", _words(255), default=""),
        _col("category", "kategori", cells.category),
        _col("category_reason", "alasan", _words(NOTE_MAX), default=""),
    ),
    scope=Scope.TPS,
)

UNITS = Sheet(
    "units",
    "satuan",
    (
        _col("code", "kode", _id(60), required=True),
        _col("name", "nama", _words(120), required=True),
        _col("kind", "jenis", cells.enum_reader(UnitKind), required=True),
        _col("kecamatan_code", "kode_kecamatan", _id(40), default=""),
        _col("lat", "lintang", cells.latitude, required=True),
        _col("lon", "bujur", cells.longitude, required=True),
        _col("parent_code", "kode_induk", _id(60), default=""),
        _col("bko_to", "bko_ke", _id(60), default=""),
        _col("assembly_lat", "lintang_apel", cells.latitude),
        _col("assembly_lon", "bujur_apel", cells.longitude),
    ),
)

PERSONNEL = Sheet(
    "personnel",
    "personel",
    (
        # An NRP is compared with Polri's records: one written in look-alike digits (another
        # script's, full-width) is refused, naming what it reads as.
        _col("id", "nrp", cells.Text(40, identifier=True, lookalikes=False), required=True),
        _col("name", "nama", _words(120), required=True),
        _col("rank", "pangkat", _words(30), default=""),
        _col("unit_code", "satuan", _id(60), default=""),
        _col("force", "unsur", cells.enum_reader(Force)),
        _col("desa_code", "kode_desa", _id(40), default=""),
        _col("phone", "no_hp", _id(30), default=""),
        _col("available", "siap", cells.boolean, default=True),
        _col("position", "jabatan", _words(120), default=""),
        _col("tps_id", "id_tps", _id(60), default=""),
        _col("pinned_post", "pos_tetap", _id(80), default=""),
        _col("pin_reason", "alasan_pin", _words(200), default=""),
    ),
)

PATTERNS = Sheet(
    "patterns",
    "pola",
    (
        _col("category", "kategori", cells.category, required=True),
        _col("tps_per_post", "tps_per_pos", _at_least_one, required=True),
        _col("polri_per_post", "polri_per_pos", _count, required=True),
        _col("tni_per_post", "tni_per_pos", _count, required=True),
        _col("linmas_per_tps", "linmas_per_tps", cells.in_range(cells.number, 0, 1000.0), required=True),
        _col("patrol", "patroli", cells.boolean, default=False),
    ),
    required=False,
)

KECAMATAN = frozenset({Level.KECAMATAN})
# A custom pattern must say how each of these is secured (KHUSUS falls back to SANGAT_RAWAN).
PATTERN_CATEGORIES = (Category.KURANG_RAWAN, Category.RAWAN, Category.SANGAT_RAWAN)
STAGES = Sheet(
    "stages",
    "tahapan",
    (
        _col("name", "nama", _words(200), required=True),
        _col("kind", "jenis", cells.enum_reader(StageKind), required=True),
        _col("start", "mulai", cells.datetime, required=True),
        _col("end", "selesai", cells.datetime, required=True),
        _col("tps", "tps", cells.id_list, default=()),
    ),
    required=False,
)

DUTY_RULES = Sheet(
    "duty_rules",
    "aturan_tugas",
    (
        _col("stage", "tahapan", cells.enum_reader(StageKind), required=True),
        _col("duty", "tugas", cells.enum_reader(DutyKind), required=True),
        _col("per", "per", cells.enum_reader(DutyLevel), required=True),
        _col("polri", "polri", _count, default=0),
        _col("tni", "tni", _count, default=0),
        _col("linmas", "linmas", _count, default=0),
        _col("brimob", "brimob", _count, default=0),
        _col("when", "waktu", cells.enum_reader(DutyWhen), default=DutyWhen.WHOLE),
        _col("hours", "jam", cells.in_range(cells.number, 0, 24 * 60), default=0.0),
        _col("shifts", "giliran", cells.in_range(cells.integer, 0, 48), default=0),
        _col("name", "nama", _words(200), default=""),
        _col("route", "rute", _words(NOTE_MAX), default=""),
        _col("ring", "ring", cells.in_range(cells.integer, 0, 3), default=0),
    ),
    required=False,
)

EVENTS = Sheet(
    "events",
    "kegiatan",
    (
        _col("name", "nama", _words(200), required=True),
        _col("start", "mulai", cells.datetime, required=True),
        _col("end", "selesai", cells.datetime, required=True),
        _col("lat", "lat", cells.latitude, required=True),
        _col("lon", "lon", cells.longitude, required=True),
        _col("kecamatan_code", "kode_kecamatan", _id(40), default=""),
        _col("crowd", "massa", cells.in_range(cells.integer, 0, 100 * COUNT_MAX), default=0),
        _col("polri", "polri", _count, default=0),
        _col("tni", "tni", _count, default=0),
        _col("route", "rute", _words(NOTE_MAX), default=""),
    ),
    required=False,
)

# Road travel times (docs/scenario.md 2.14): where given, reserve reach and escort times use them
# instead of the straight-line estimate (geo.Travel). `from`/`to`: a unit code, TPS id or region code.
TRAVEL_TIMES = Sheet(
    "travel_times",
    "waktu_tempuh",
    (
        _col("from", "dari", _id(60), required=True),
        _col("to", "ke", _id(60), required=True),
        _col("minutes", "menit", cells.in_range(cells.number, 0, 7 * 24 * 60), required=True),
    ),
    required=False,
)

SHEETS = (OPERATION, REGIONS, TPS, UNITS, PERSONNEL, PATTERNS, STAGES, DUTY_RULES, EVENTS, TRAVEL_TIMES)
IGNORED_SHEETS = frozenset({"petunjuk", "instructions"})


def label(spec: Sheet | Column) -> str:
    """How a problem names a sheet or column the file does not have: both names."""
    return spec.alias if spec.alias == spec.name else f"{spec.alias} / {spec.name}"


def normalise(name: str) -> str:
    """Column and sheet names match case-insensitively, spaces and hyphens as underscores."""
    return "_".join(name.strip().lower().replace("-", " ").split())


# ---------------------------------------------------------------- reading


def read_scenario(path: str | Path, limits: Limits = LIMITS) -> Scenario:
    """Read and validate a scenario workbook (`.xlsx`) or folder of CSV files."""
    # Millions of small objects are made and none is garbage: the cyclic collector would
    # walk them again and again (it doubled the national read time).
    collecting = gc.isenabled()
    gc.disable()
    path = Path(path)
    try:
        columns = columnar.read_folder(path, limits) if path.is_dir() else None
        if columns is not None:
            try:
                return _Validator(columns).scenario()
            except ScenarioError:
                pass  # the problems as the reader of record finds and words them, below
        return _Validator(read_tables(path, limits)).scenario()
    finally:
        if collecting:
            gc.enable()


def read_travel_times(raw: RawSheet, places: set[str]) -> tuple[TravelTime, ...]:
    """The `travel_times` sheet on its own (`travel.py`: a CSV file given beside a scenario)
    against the `places` of its scenario; ScenarioError with every problem, each row named."""
    validator = _Validator([])
    validator.problems.clear()  # no other sheet is expected here
    validator.sheets = {TRAVEL_TIMES.name: raw}
    rows = validator._travel_times(places)
    if validator.problems:
        raise ScenarioError(_in_order(validator.problems))
    return tuple(rows)


class _Validator:
    """Turns raw sheets into a Scenario, collecting every problem on the way."""

    def __init__(self, raw: list[RawSheet]):
        self.problems: list[Problem] = []
        self.sheets = self._match_sheets(raw)
        self.tables: dict[str, Table] = {}  # sheet name -> the table read from it
        self.pointless: dict[str, list[tuple[RawSheet, int, str]]] = {}  # desa without lat/lon -> its cells

    # -- sheets and columns

    def _match_sheets(self, raw: list[RawSheet]) -> dict[str, RawSheet]:
        by_name = {normalise(s.name): s for s in SHEETS} | {normalise(s.alias): s for s in SHEETS}
        found: dict[str, RawSheet] = {}
        for sheet in raw:
            key = normalise(sheet.name)
            spec = by_name.get(key)
            if key in IGNORED_SHEETS:
                continue
            if spec is None:
                hint = _suggest(key, list(by_name))
                self.problems.append(Problem("unknown_sheet", sheet=sheet.name, params=hint))
            elif spec.name in found:
                other = found[spec.name].name
                self.problems.append(Problem("duplicate_sheet", sheet=sheet.name, params={"other": other}))
            else:
                found[spec.name] = sheet
        for spec in SHEETS:
            if spec.required and spec.name not in found:
                self.problems.append(Problem("missing_sheet", sheet=label(spec)))
        return found

    def _columns(self, spec: Sheet, sheet: RawSheet) -> tuple[dict[str, int], dict[str, int]]:
        """Index of each contract column and each indicator column in the sheet's header."""
        names = {normalise(c.name): c for c in spec.columns} | {normalise(c.alias): c for c in spec.columns}
        indicators = {k: ind for k, ind in catalog().items()}
        at: dict[str, int] = {}
        indicator_at: dict[str, int] = {}
        width = len(sheet.columns) if isinstance(sheet, columnar.ColumnSheet) else max(map(len, sheet.rows), default=0)
        for i, head in enumerate(sheet.header + [""] * (width - len(sheet.header))):
            key = normalise(head)
            if not key:
                filled = next(
                    (
                        n
                        for row, n in zip(sheet.rows, sheet.row_numbers, strict=True)
                        if i < len(row) and not _blank(row[i])
                    ),
                    None,
                )
                if filled is not None:  # data under no name would be dropped silently
                    self.problems.append(
                        Problem("unnamed_column", sheet=sheet.name, row=1, column=_letter(i), params={"row": filled})
                    )
                continue
            column = names.get(key)
            target, name = (at, column.name) if column else (indicator_at, key)
            if column is None and (key not in indicators or spec.scope is None):
                hint = _suggest(key, list(names) + ([k for k in indicators] if spec.scope else []))
                self.problems.append(Problem("unknown_column", sheet=sheet.name, row=1, column=head, params=hint))
                continue
            if column is None and indicators[key].scope != spec.scope:
                on_tps = indicators[key].scope == Scope.TPS
                where = gettext_noop("TPS (lembar tps)") if on_tps else gettext_noop("desa (lembar wilayah)")
                scope = {"scope": Message(where)}
                self.problems.append(Problem("indicator_scope", sheet=sheet.name, row=1, column=head, params=scope))
                continue
            if name in target:
                self.problems.append(Problem("duplicate_column", sheet=sheet.name, row=1, column=head))
                continue
            target[name] = i
        for c in spec.columns:
            if c.required and c.name not in at:
                self.problems.append(Problem("missing_column", sheet=sheet.name, row=1, column=label(c)))
        return at, indicator_at

    def _table(self, spec: Sheet) -> Table | None:
        """The sheet's columns read into values (None where a cell was blank or bad)."""
        sheet = self.sheets.get(spec.name)
        if sheet is None:
            return None
        if not sheet.header:
            self.problems.append(Problem("empty_sheet", sheet=sheet.name, row=1))
            return None
        at, indicator_at = self._columns(spec, sheet)
        columns = _transpose(sheet)
        table = Table(sheet, {}, {}, self._indicators(sheet, columns, indicator_at))
        self.tables[spec.name] = table
        for c in spec.columns:
            raw = _column_values(sheet, columns, at[c.name]) if c.name in at else [""] * len(sheet.row_numbers)
            head = sheet.header[at[c.name]] if c.name in at else label(c)
            table.raw[c.name] = raw
            table.heads[c.name] = head
            if c.name not in at and c.required:  # reported once as missing_column, not once per row
                table.values[c.name] = [None] * len(sheet.row_numbers)
                continue
            table.values[c.name] = self._read_column(sheet, head, raw, c.read, c.required, c.default)
        return table

    def _indicators(
        self, sheet: RawSheet, columns: Sequence[Sequence[Any]] | None, indicator_at: dict[str, int]
    ) -> list[dict[str, float]] | None:
        """Each row's indicator values by key, in the file's column order; blank cells left out."""
        if not indicator_at:
            return None
        keys, read_columns, gaps = [], [], False
        for key, i in indicator_at.items():
            ind = catalog()[key]
            read = cells.boolean if ind.type == ValueType.BOOL else cells.in_range(cells.integer, 0, ind.maximum)
            # The text 0 and 1 read as 0 and 1, as yes/no and as a count up to 1 or more.
            zero_one = isinstance(sheet, columnar.ColumnSheet) and (ind.type == ValueType.BOOL or ind.maximum >= 1)
            ints = sheet.zero_one(i) if zero_one and isinstance(sheet, columnar.ColumnSheet) else None
            if ints is not None:
                keys.append(key)
                read_columns.append(ints)
                continue
            column = self._read_column(sheet, sheet.header[i], _column_values(sheet, columns, i), read, False, None)
            if column.count(None) < len(column):  # a column left blank adds nothing
                keys.append(key)
                gap = None in column
                gaps = gaps or gap
                read_columns.append(column if gap else list(map(int, column)))
        if not read_columns:
            return [{} for _ in sheet.row_numbers]
        if not gaps:  # every cell filled: row by row at once
            return list(map(dict, map(zip, repeat(keys), zip(*read_columns, strict=True))))
        per_row: list[dict[str, float]] = [{} for _ in sheet.row_numbers]
        for key, column in zip(keys, read_columns, strict=True):
            for values, v in zip(per_row, column, strict=True):
                if v is not None:
                    values[key] = int(v)
        return per_row

    def _read_column(
        self, sheet: RawSheet, head: str, raw: list[Any], read: Reader, required: bool, default: Any
    ) -> list[Any]:
        fast = _read_fast(raw, read, required, default)
        if fast is not None:
            return fast
        out = []
        for value, number in zip(raw, sheet.row_numbers, strict=True):
            if _blank(value):
                if required:
                    self._add("required", sheet, number, head, "")
                out.append(None if required else default)
                continue
            try:
                out.append(read(value))
            except Bad as bad:
                self._add(bad.code, sheet, number, head, cells.text(value), **bad.params)
                out.append(None)
        return out

    def _add(self, code: str, sheet: RawSheet, row: int | None, column: str, value: str, **params: object) -> None:
        self.problems.append(Problem(code, sheet=sheet.name, row=row, column=column, value=value, params=params))

    # -- the scenario

    def scenario(self) -> Scenario:
        operation = self._operation()
        regions = self._regions()
        region_by_code = {r.code: r for r in regions}
        tps = self._tps(region_by_code)
        units = self._units(region_by_code)
        personnel = self._personnel(region_by_code, {u.code: u for u in units})
        self._roster_and_pins(personnel, tps, region_by_code)
        self._points(tps, personnel)
        self._jurisdiction(regions, tps, units)
        patterns = self._patterns(operation)
        stages = self._stages({t.id for t in tps})
        duty_rules = self._duty_rules()
        events = self._events(region_by_code)
        travel_times = self._travel_times({*region_by_code, *(t.id for t in tps), *(u.code for u in units)})
        if not self.sheets and not self.problems:
            self.problems.append(Problem("no_sheets"))
        if self.problems or operation is None:
            raise ScenarioError(_in_order(self.problems))
        return Scenario(
            operation,
            tuple(regions),
            tuple(tps),
            tuple(units),
            tuple(personnel),
            tuple(patterns),
            tuple(stages),
            tuple(duty_rules),
            tuple(events),
            tuple(travel_times),
        )

    def _travel_times(self, places: set[str]) -> list[TravelTime]:
        """Road minutes between places the scenario has, each pair (one way) once."""
        table = self._table(TRAVEL_TIMES)
        if table is None:
            return []
        sheet, v = table.sheet, table.values
        rows: list[TravelTime] = []
        first: dict[tuple[str, str], int] = {}  # a pair -> the row it was first given on
        for i, (origin, destination, minutes) in enumerate(zip(v["from"], v["to"], v["minutes"], strict=True)):
            number = sheet.row_numbers[i]
            unknown = next((k for k in ("from", "to") if v[k][i] is not None and v[k][i] not in places), None)
            if unknown is not None:
                self._add("unknown_place", sheet, number, table.heads[unknown], v[unknown][i])
            elif None not in (origin, destination, minutes):
                if (origin, destination) in first:
                    other = first[(origin, destination)]
                    self._add("duplicate", sheet, number, table.heads["to"], destination, other_row=other)
                    continue
                first[(origin, destination)] = number
                rows.append(TravelTime(origin, destination, minutes))
        return rows

    def _operation(self) -> Operation | None:
        sheet = self.sheets.get("operation")
        if sheet is None:
            return None
        heads = {normalise(h): i for i, h in enumerate(sheet.header)}
        for head in sheet.header:
            if normalise(head) not in ("key", "kunci", "value", "nilai", ""):
                self._add(
                    "unknown_column",
                    sheet,
                    1,
                    head,
                    "",
                    **_suggest(normalise(head), ["kunci", "nilai", "key", "value"]),
                )
        key_at = heads.get("key", heads.get("kunci"))
        value_at = heads.get("value", heads.get("nilai"))
        if key_at is None or value_at is None:
            self._add("missing_column", sheet, 1, label(OPERATION_KEY if key_at is None else OPERATION_VALUE), "")
            return None
        by_key = {normalise(c.name): c for c in OPERATION.columns} | {normalise(c.alias): c for c in OPERATION.columns}
        settings: dict[str, Any] = {}
        seen: dict[str, int] = {}
        key_of: dict[str, str] = {}  # setting -> its key as the file writes it
        for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
            key_text = cells.text(row[key_at]) if key_at < len(row) else ""
            value = row[value_at] if value_at < len(row) else ""
            column = by_key.get(normalise(key_text))
            if column is None:
                self._add(
                    "unknown_key",
                    sheet,
                    number,
                    sheet.header[key_at],
                    key_text,
                    **_suggest(normalise(key_text), list(by_key)),
                )
                continue
            if column.name in seen:
                self._add("duplicate", sheet, number, sheet.header[key_at], key_text, other_row=seen[column.name])
                continue
            seen[column.name] = number
            key_of[column.name] = key_text
            if cells.text(value) == "":
                continue
            try:
                settings[column.name] = column.read(value)
            except Bad as bad:
                self._add(bad.code, sheet, number, key_text, cells.text(value), **bad.params)
                seen[column.name] = -1
        for c in OPERATION.columns:
            if c.required and c.name not in settings and seen.get(c.name) != -1:
                self._add("required", sheet, seen.get(c.name), key_of.get(c.name, label(c)), "")
        pattern = settings["pattern"] = str(settings.get("pattern", "pemilu-2024")).lower()
        if pattern != CUSTOM and pattern not in PRESETS:
            allowed = ", ".join([*PRESETS, CUSTOM])
            self._add("unknown_pattern", sheet, seen.get("pattern"), key_of["pattern"], pattern, allowed=allowed)
        if settings.get("threshold_rawan", 20.0) >= settings.get("threshold_sangat_rawan", 45.0):
            self._add("thresholds_out_of_order", sheet, seen.get("threshold_rawan"), "ambang_rawan", "")
        if any(c.required and c.name not in settings for c in OPERATION.columns):
            return None
        return Operation(**settings)

    def _regions(self) -> list[Region]:
        table = self._table(REGIONS)
        if table is None:
            return []
        sheet, v, indicators, head = table.sheet, table.values, table.indicators, table.heads
        n = len(sheet.row_numbers)
        self._unique(sheet, v["code"], head["code"])
        level_of = {c: lv for c, lv in zip(v["code"], v["level"], strict=True) if c}
        for i in range(n):
            level, parent, number = v["level"][i], v["parent_code"][i], sheet.row_numbers[i]
            if level is None:
                continue
            if level in VILLAGE_LEVELS:  # a point is needed where a TPS or a Linmas member is (_points)
                for axis in ("lat", "lon"):
                    if _blank(table.raw[axis][i]):
                        self.pointless.setdefault(v["code"][i], []).append((sheet, number, head[axis]))
            if level in REGENCY_LEVELS:
                continue
            expected = KECAMATAN if level in VILLAGE_LEVELS else REGENCY_LEVELS
            self._check_ref(sheet, number, head["parent_code"], parent, level_of, expected)
        return _records(
            Region,
            v["code"],
            v["name"],
            v["level"],
            v["parent_code"],
            v["lat"],
            v["lon"],
            indicators or repeat(EMPTY, n),
            v["polres_code"],
        )

    def _points(self, tps: list[Tps], personnel: list[Person]) -> None:
        """A desa or kelurahan needs its point (`lat`, `lon`) when a TPS or a Linmas member is
        in it: a Linmas member starts from it, a balai desa post stands on it. A region list
        of the whole country (kemendagri.py) has none for the other desa."""
        if not self.pointless:
            return
        needed = {t.desa_code for t in tps} | {p.desa_code for p in personnel if p.force == Force.LINMAS}
        for code in needed & self.pointless.keys():
            for cell in self.pointless[code]:
                self._add("required", *cell, "")

    def _check_ref(
        self,
        sheet: RawSheet,
        number: int,
        column: str,
        code: str,
        level_of: Mapping[str, Level | None],
        expected: frozenset[Level],
    ) -> None:
        """`code` must be a region of one of the `expected` levels (None: the region's own
        level is unreadable, which is reported on the region's row)."""
        level = level_of.get(code)
        if not code:
            self._add("required", sheet, number, column, "")
        elif code not in level_of:
            self._add("unknown_region", sheet, number, column, code)
        elif level is not None and level not in expected:
            wanted = "/".join(sorted(lv.value for lv in expected))
            self._add("wrong_level", sheet, number, column, code, level=level.value, expected=wanted)

    def _unique(self, sheet: RawSheet, ids: list[Any], column: str) -> None:
        if len(set(ids)) == len(ids):
            return
        first: dict[Any, int] = {}
        for value, number in zip(ids, sheet.row_numbers, strict=True):
            if value is None:
                continue
            if value in first:
                self._add("duplicate", sheet, number, column, value, other_row=first[value])
            else:
                first[value] = number

    def _tps(self, region_by_code: dict[str, Region]) -> list[Tps]:
        table = self._table(TPS)
        if table is None:
            return []
        sheet, v, indicators, head = table.sheet, table.values, table.indicators, table.heads
        self._unique(sheet, v["id"], head["id"])
        level_of = {c: r.level for c, r in region_by_code.items()}
        village = {c for c, lv in level_of.items() if lv in VILLAGE_LEVELS}
        for i, desa in enumerate(v["desa_code"]):
            if desa is not None and desa not in village:
                self._check_ref(sheet, sheet.row_numbers[i], head["desa_code"], desa, level_of, VILLAGE_LEVELS)
        for i, (category, reason) in enumerate(zip(v["category"], v["category_reason"], strict=True)):
            if category is not None and not reason:
                self._add("reason_required", sheet, sheet.row_numbers[i], head["category_reason"], "")
        return _records(
            Tps,
            v["id"],
            v["desa_code"],
            v["number"],
            v["voters"],
            v["lat"],
            v["lon"],
            v["address"],
            v["category"],
            v["category_reason"],
            indicators or repeat(EMPTY, len(sheet.row_numbers)),
        )

    def _units(self, region_by_code: dict[str, Region]) -> list[Unit]:
        table = self._table(UNITS)
        if table is None:
            return []
        sheet, v, head = table.sheet, table.values, table.heads
        self._unique(sheet, v["code"], head["code"])
        level_of = {c: r.level for c, r in region_by_code.items()}
        for i, (kind, kecamatan) in enumerate(zip(v["kind"], v["kecamatan_code"], strict=True)):
            number = sheet.row_numbers[i]
            if kind in SECTOR_UNIT_KINDS and not kecamatan:
                self._add("sector_needs_kecamatan", sheet, number, head["kecamatan_code"], "", kind=kind.value)
            elif kecamatan:
                self._check_ref(sheet, number, head["kecamatan_code"], kecamatan, level_of, KECAMATAN)
        for i, (lat, lon) in enumerate(zip(table.raw["assembly_lat"], table.raw["assembly_lon"], strict=True)):
            if _blank(lat) != _blank(lon):  # one without the other is no point
                column = head["assembly_lon"] if _blank(lon) else head["assembly_lat"]
                self._add("assembly_needs_both", sheet, sheet.row_numbers[i], column, "")
        return _records(
            Unit,
            v["code"],
            v["name"],
            v["kind"],
            v["kecamatan_code"],
            v["lat"],
            v["lon"],
            v["parent_code"],
            v["bko_to"],
            v["assembly_lat"],
            v["assembly_lon"],
        )

    def _jurisdiction(self, regions: list[Region], tps: list[Tps], units: list[Unit]) -> None:
        """`bko_to` and `polres_code` name a POLRES of the units sheet (`polres_code` on a
        KECAMATAN row only); when Polres hold kecamatan (a unit has `parent_code`, or a region
        `polres_code`), every TPS's kecamatan is held by one (docs/scenario.md 1.6)."""
        polres = {u.code for u in units if u.kind == UnitKind.POLRES}
        unit_table, region_table, tps_table = (self.tables.get(n) for n in ("units", "regions", "tps"))
        if unit_table is not None:
            for u, number in zip(units, unit_table.sheet.row_numbers, strict=True):
                if u.bko_to and u.bko_to not in polres:
                    self._add("not_a_polres", unit_table.sheet, number, unit_table.heads["bko_to"], u.bko_to)
        if region_table is not None:
            for r, number in zip(regions, region_table.sheet.row_numbers, strict=True):
                if not r.polres_code:
                    continue
                head = region_table.heads["polres_code"]
                if r.level != Level.KECAMATAN:
                    self._add("polres_code_not_kecamatan", region_table.sheet, number, head, r.polres_code)
                elif r.polres_code not in polres:
                    self._add("not_a_polres", region_table.sheet, number, head, r.polres_code)
        if tps_table is None or not (any(u.parent_code for u in units) or any(r.polres_code for r in regions)):
            return
        held = held_kecamatan(regions, units)
        region_by_code = {r.code: r for r in regions}
        unheld: dict[str, list[int]] = {}  # kecamatan -> the indexes of its TPS
        for i, t in enumerate(tps):
            desa = region_by_code.get(t.desa_code)
            if desa is not None and desa.level in VILLAGE_LEVELS and desa.parent_code not in held:
                unheld.setdefault(desa.parent_code, []).append(i)
        for kecamatan, rows in unheld.items():
            name = region_by_code[kecamatan].name if kecamatan in region_by_code else ""
            first = rows[0]
            self._add(
                "kecamatan_without_polres",
                tps_table.sheet,
                tps_table.sheet.row_numbers[first],
                tps_table.heads["desa_code"],
                tps[first].desa_code,
                kecamatan=kecamatan,
                name=name,
                count=len(rows),
            )

    def _roster_and_pins(self, personnel: list[Person], tps: list[Tps], region_by_code: dict[str, Region]) -> None:
        """`tps_id` names a TPS of the Linmas member's own desa; `pinned_post` is a word of
        pins.py, a TPS id, a desa code or a plan's post id (docs/scenario.md 2.9)."""
        table = self.tables.get("personnel")
        if table is None or not personnel:
            return
        sheet, head = table.sheet, table.heads
        tps_desa = {t.id: t.desa_code for t in tps}
        numbers = sheet.row_numbers
        # Only a member with a TPS or a pin has anything to check (a blank pin parses to None).
        named = [i for i, p in enumerate(personnel) if p.tps_id or p.pinned_post != ""]
        for p, number in zip([personnel[i] for i in named], [numbers[i] for i in named], strict=True):
            if p.tps_id:
                if p.force != Force.LINMAS:
                    self._add("tps_id_not_linmas", sheet, number, head["tps_id"], p.tps_id)
                elif p.tps_id not in tps_desa:
                    self._add("unknown_tps", sheet, number, head["tps_id"], p.tps_id)
                elif tps_desa[p.tps_id] != p.desa_code:
                    self._add("tps_not_in_desa", sheet, number, head["tps_id"], p.tps_id, desa=p.desa_code)
            pin = pins.parse(p.pinned_post)
            if pin is None or pin.kind != pins.POST or pins.is_post_id(pin.target):
                continue
            region = region_by_code.get(pin.target)
            if pin.target not in tps_desa and (region is None or region.level not in VILLAGE_LEVELS):
                self._add("unknown_pin", sheet, number, head["pinned_post"], pin.target)

    def _personnel(self, region_by_code: dict[str, Region], unit_by_code: dict[str, Unit]) -> list[Person]:
        table = self._table(PERSONNEL)
        if table is None:
            return []
        sheet, v, head = table.sheet, table.values, table.heads
        self._unique(sheet, v["id"], head["id"])
        level_of = {c: r.level for c, r in region_by_code.items()}
        village = {c for c, lv in level_of.items() if lv in VILLAGE_LEVELS}
        forces = v["force"]
        allowed = ", ".join(f.value for f in Force)
        unit_codes, desa_codes, linmas = v["unit_code"], v["desa_code"], Force.LINMAS
        unknown_units = set(unit_codes) - unit_by_code.keys()
        # The rows the checks below could report or change; the others pass them untouched.
        doubtful = [
            i
            for i, (unit_code, force, desa) in enumerate(zip(unit_codes, forces, desa_codes, strict=True))
            if force is None
            or (unit_code and unit_code in unknown_units)
            or (desa not in village if force == linmas else (not unit_code or (desa and desa not in level_of)))
        ]
        for i in doubtful:
            unit_code, force, desa, number = unit_codes[i], forces[i], desa_codes[i], sheet.row_numbers[i]
            unit = unit_by_code.get(unit_code) if unit_code else None
            if unit_code and unit is None:
                self._add("unknown_unit", sheet, number, head["unit_code"], unit_code)
            if force is None and _blank(table.raw["force"][i]):
                force = FORCE_OF_UNIT_KIND.get(unit.kind) if unit else None
                if force is None and not (unit_code and unit is None):
                    self._add("force_unknown", sheet, number, head["force"], "", allowed=allowed)
                forces[i] = force
            if force == Force.LINMAS:
                if not desa:
                    self._add("linmas_needs_desa", sheet, number, head["desa_code"], "")
                elif desa not in village:
                    self._check_ref(sheet, number, head["desa_code"], desa, level_of, VILLAGE_LEVELS)
            elif force is not None and not unit_code:
                self._add("needs_unit", sheet, number, head["unit_code"], "", force=force.value)
            elif desa and desa not in level_of:
                self._add("unknown_region", sheet, number, head["desa_code"], desa)
        self._person_numbers(table, forces)
        return _records(
            Person,
            v["id"],
            v["name"],
            v["rank"],
            v["unit_code"],
            forces,
            v["desa_code"],
            v["phone"],
            v["available"],
            v["position"],
            v["tps_id"],
            v["pinned_post"],
            v["pin_reason"],
        )

    def _person_numbers(self, table: Table, forces: list[Force | None]) -> None:
        """The NRP/NIK of Polri, Brimob and Linmas, the rank of Polri, Brimob and TNI and the
        phone, held to what the console's person forms hold them to (numbers.py, ranks.py);
        a rank the ladder reads and a lone dash for no phone are stored as those read them.
        Whole columns are checked at once; a cell is named only when its column fails."""
        sheet, v, head, rows = table.sheet, table.values, table.heads, table.sheet.row_numbers
        codes, ranks, phones = v["id"], v["rank"], v["phone"]
        if not numbers.codes_valid(forces, codes):
            for i, (force, code) in enumerate(zip(forces, codes, strict=True)):
                try:
                    if code is not None:
                        numbers.check_code(force, code)
                except Bad as bad:
                    self._add(bad.code, sheet, rows[i], head["id"], code, **bad.params)
        if not numbers.phones_valid(phones):
            for i, phone in enumerate(phones):
                try:
                    phones[i] = phone if phone is None else numbers.read_phone(phone)
                except Bad as bad:
                    self._add(bad.code, sheet, rows[i], head["phone"], phone, **bad.params)
        # Each distinct rank read once; only the rows of a rank the ladder would refuse or
        # rewrite (a Satpol PP grade, "Bripka.") are read again with their force.
        doubtful = {rank for rank in set(ranks) - {None, ""} if _as_ladder_reads(rank) != rank}
        if not doubtful:
            return
        read: dict[tuple[Force | None, str], str | Bad] = {}
        for i in compress(range(len(ranks)), map(doubtful.__contains__, ranks)):
            key = (forces[i], ranks[i])
            if key not in read:
                try:
                    read[key] = read_rank(*key)
                except Bad as bad:
                    read[key] = bad
            was = read[key]
            if isinstance(was, Bad):
                self._add(was.code, sheet, rows[i], head["rank"], key[1], **was.params)
            else:
                ranks[i] = was

    def _stages(self, tps_ids: set[str]) -> list[Stage]:
        """The stages as written; a PSU stage names the TPS that vote again, each one of the
        tps sheet's (docs/scenario.md 2.12)."""
        table = self._table(STAGES)
        if table is None:
            return []
        sheet, v = table.sheet, table.values
        stages = []
        rows = zip(v["name"], v["kind"], v["start"], v["end"], v["tps"], strict=True)
        for i, (name, kind, start, end, tps) in enumerate(rows):
            unknown = [t for t in tps or () if t not in tps_ids]
            if unknown:
                self._add("unknown_tps", sheet, sheet.row_numbers[i], table.heads["tps"], ", ".join(unknown[:5]))
            elif tps and kind != StageKind.PSU:
                self._add("tps_outside_psu", sheet, sheet.row_numbers[i], table.heads["tps"], "; ".join(tps[:5]))
            elif kind == StageKind.PSU and not tps:
                self._add("psu_without_tps", sheet, sheet.row_numbers[i], table.heads["tps"], "")
            if start is not None and end is not None and end <= start:
                self._add(
                    "stage_ends_before_start",
                    sheet,
                    sheet.row_numbers[i],
                    table.heads["end"],
                    cells.text(table.raw["end"][i]),
                    start=f"{start:%Y-%m-%d %H:%M}",
                )
            elif None not in (name, kind, start, end):
                stages.append(Stage(name, kind, start, end, tuple(tps or ())))
        return stages

    def _duty_rules(self) -> list[DutyRuleRow]:
        """Changes to the preset's duty rules, one per stage, duty, level and part of the stage."""
        table = self._table(DUTY_RULES)
        if table is None:
            return []
        v = table.values
        names = [c.name for c in DUTY_RULES.columns]
        rows = [DutyRuleRow(*values) for values in zip(*(v[n] for n in names), strict=True)]
        rows = [r for r in rows if None not in (r.stage, r.duty, r.per)]
        seen: set[tuple[str, str, str, str, int]] = set()
        for r, number in zip(rows, table.sheet.row_numbers, strict=False):
            key = (r.stage, r.duty, r.per, r.when, r.ring)
            if key in seen:
                self._add("duplicate_rule", table.sheet, number, table.heads["duty"], f"{r.stage} {r.duty} {r.per}")
            seen.add(key)
        return rows

    def _events(self, region_by_code: dict[str, Region]) -> list[Event]:
        """Campaign events: a window that ends after it starts, a kecamatan that exists."""
        table = self._table(EVENTS)
        if table is None:
            return []
        sheet, v = table.sheet, table.values
        names = [c.name for c in EVENTS.columns]
        events = []
        for i, values in enumerate(zip(*(v[n] for n in names), strict=True)):
            e = Event(*values)
            number = sheet.row_numbers[i]
            if e.kecamatan_code and region_by_code.get(e.kecamatan_code) is None:
                self._add("unknown_region", sheet, number, table.heads["kecamatan_code"], e.kecamatan_code)
            elif e.start is not None and e.end is not None and e.end <= e.start:
                self._add(
                    "event_ends_before_start",
                    sheet,
                    number,
                    table.heads["end"],
                    cells.text(table.raw["end"][i]),
                    start=f"{e.start:%Y-%m-%d %H:%M}",
                )
            elif None not in (e.name, e.start, e.end, e.lat, e.lon):
                events.append(e)
        return events

    def _patterns(self, operation: Operation | None) -> list[PatternRow]:
        table = self._table(PATTERNS)
        rows: list[PatternRow] = []
        if table is not None:
            sheet, v = table.sheet, table.values
            self._unique(sheet, v["category"], table.heads["category"])
            rows = list(
                map(
                    PatternRow,
                    v["category"],
                    v["tps_per_post"],
                    v["polri_per_post"],
                    v["tni_per_post"],
                    v["linmas_per_tps"],
                    v["patrol"],
                )
            )
        if operation is not None and operation.pattern == CUSTOM:
            if not rows:
                self.problems.append(Problem("patterns_needed", sheet="pola / patterns"))
            else:
                have = {r.category for r in rows}
                missing = [c.value for c in PATTERN_CATEGORIES if c not in have]
                if missing and table is not None:
                    self.problems.append(
                        Problem(
                            "pattern_missing_category", sheet=table.sheet.name, params={"missing": ", ".join(missing)}
                        )
                    )
        return rows


def held_kecamatan(regions: Iterable[Region], units: Iterable[Unit]) -> set[str]:
    """The kecamatan some Polres holds: a POLSEK's sector when a POLRES is above the Polsek
    (following `parent_code` through the units sheet), and a KECAMATAN row's `polres_code`."""
    units = list(units)
    by_code = {u.code: u for u in units}
    held = {r.code for r in regions if r.level == Level.KECAMATAN and r.polres_code}
    for u in units:
        if u.kind != UnitKind.POLSEK or not u.kecamatan_code:
            continue
        code, seen = u.parent_code, set()
        while code in by_code and by_code[code].kind != UnitKind.POLRES and code not in seen:
            seen.add(code)
            code = by_code[code].parent_code
        if code in by_code and by_code[code].kind == UnitKind.POLRES:
            held.add(u.kecamatan_code)
    return held


def _in_order(problems: list[Problem]) -> list[Problem]:
    """Sheet by sheet (in the order first met), then by row; whole-sheet problems first."""
    sheet_order: dict[str, int] = {}
    for p in problems:
        sheet_order.setdefault(p.sheet, len(sheet_order))
    return sorted(problems, key=lambda p: (sheet_order[p.sheet], p.row or 0))


def _transpose(sheet: RawSheet) -> Sequence[Sequence[Any]] | None:
    """The sheet's columns at once when every row has the same width (as a CSV file's rows
    do), else None (`_column_values` reads a column row by row, padding short rows)."""
    if isinstance(sheet, columnar.ColumnSheet):
        return sheet.columns
    widths = set(map(len, sheet.rows))
    if len(widths) != 1:
        return None
    return list(zip(*sheet.rows, strict=True))


def _records(kind: type[_R], first: Sequence[Any], *rest: Iterable[Any]) -> list[_R]:
    """`list(map(kind, first, *rest))` for a slotted dataclass given every field in order, with
    each column set straight into its slot: no Python call per record (two million persons).
    A class with a `__post_init__` is made the usual way (nothing is checked on the way in)."""
    names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
    if len(names) != 1 + len(rest) or hasattr(kind, "__post_init__") or "__slots__" not in vars(kind):
        return list(map(kind, first, *rest))
    records = list(map(object.__new__, repeat(kind, len(first))))
    for name, column in zip(names, (first, *rest), strict=True):
        deque(map(getattr(kind, name).__set__, records, column), maxlen=0)
    return records


def _as_ladder_reads(rank: str) -> str | None:
    """A Polri rank as the ladder stores it (ranks.read_rank), None when it is none of the ladder's."""
    try:
        return read_rank(Force.POLRI, rank)
    except Bad:
        return None


def _column_values(sheet: RawSheet, columns: Sequence[Sequence[Any]] | None, i: int) -> list[Any]:
    if columns is not None and i < len(columns):
        return list(columns[i])
    return [row[i] if i < len(row) else "" for row in sheet.rows]


def _letter(i: int) -> str:
    """Spreadsheet column letters of the 0-based column `i` (0 -> A, 26 -> AA)."""
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_fast(raw: list[Any], read: Reader, required: bool, default: Any) -> list[Any] | None:
    """Every value of a column read at once when all are valid, else None (read cell by cell).

    Columns with few distinct values (kinds, categories, yes/no) read each distinct value once.
    """
    if read is cells.text or isinstance(read, cells.Text):
        try:
            out = list(map(str.strip, raw))  # a CSV file's cells: all text
        except TypeError:
            out = [v.strip() if type(v) is str else cells.text(v) for v in raw]
        if isinstance(read, cells.Text):
            try:
                out = read.clean_all(out)
            except Bad:
                return None
        return None if required and "" in out else out
    if isinstance(read, cells.Range):
        numbers = read.read_all(raw)
        if numbers is not None:
            return numbers
    try:
        if len(raw) > 1000 and len(set(raw[:1000])) <= 100:
            distinct = set(raw)
            if not any(type(d) is bool for d in distinct):  # True == 1 would share a memo entry
                memo = {d: _read_or_default(d, read, required, default) for d in distinct}
                return list(map(memo.__getitem__, raw))
        return [_read_or_default(d, read, required, default) for d in raw]
    except Bad:
        return None


def _read_or_default(value: Any, read: Reader, required: bool, default: Any) -> Any:
    if _blank(value):
        if required:
            raise Bad("required")
        return default
    return read(value)


def _suggest(word: str, names: Sequence[str]) -> dict[str, str]:
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return {"suggestion": close[0]} if close else {}


# ---------------------------------------------------------------- writing


def write_scenario(scenario: Scenario, path: str | Path, lang: str | None = None) -> None:
    """Write a scenario as `.xlsx` (by suffix) or a folder of CSV files; it reads back equal.

    Headers are Indonesian (`lang="id"`, the default for workbooks people open) or English
    canonical names (`lang="en"`, the default for CSV folders scripts read).
    """
    path = Path(path)
    is_xlsx = path.suffix.lower() == ".xlsx"
    write_tables(path, scenario_tables(scenario, lang or ("id" if is_xlsx else "en")))


def scenario_tables(scenario: Scenario, lang: str = "id") -> list[tuple[str, list[str], Iterable[list[Any]]]]:
    """The scenario as (sheet name, header, rows) tables, in contract order."""

    def name(spec: Sheet | Column) -> str:
        return spec.alias if lang == "id" else spec.name

    op = scenario.operation
    op_rows = [[name(c), _cell(getattr(op, c.name))] for c in OPERATION.columns]
    tables: list[tuple[str, list[str], Iterable[list[Any]]]] = [
        (name(OPERATION), [name(OPERATION_KEY), name(OPERATION_VALUE)], op_rows)
    ]
    for spec, records in (
        (REGIONS, scenario.regions),
        (TPS, scenario.tps),
        (UNITS, scenario.units),
        (PERSONNEL, scenario.personnel),
        (PATTERNS, scenario.patterns),
        (STAGES, scenario.stages),
        (DUTY_RULES, scenario.duty_rules),
        (EVENTS, scenario.events),
        (TRAVEL_TIMES, [SimpleNamespace(**{"from": t.origin, "to": t.destination, "minutes": t.minutes})
                        for t in scenario.travel_times]),
    ):  # fmt: skip
        if spec in (PATTERNS, STAGES, DUTY_RULES, EVENTS, TRAVEL_TIMES) and not records:
            continue
        keys = _indicator_keys(records) if spec.scope else []
        header = [name(c) for c in spec.columns] + keys
        tables.append((name(spec), header, _rows(spec, records, keys)))
    return tables


def _rows(spec: Sheet, records: Sequence[Any], keys: list[str]) -> Iterable[list[Any]]:
    names = [c.name for c in spec.columns]
    for r in records:
        row = [_cell(getattr(r, n)) for n in names]
        if keys:
            row += [r.indicators.get(k, "") for k in keys]
        yield row


def _indicator_keys(records: Sequence[Any]) -> list[str]:
    used = set().union(*(r.indicators.keys() for r in records)) if records else set()
    return [k for k in catalog() if k in used]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict):  # operation weights
        return cells.weights_text(value)
    if isinstance(value, tuple):  # a PSU stage's TPS
        return "; ".join(value)
    if isinstance(value, dt.datetime):  # a stage's start or end, as people type it
        return f"{value:%Y-%m-%d %H:%M}"
    if hasattr(value, "value") and not isinstance(value, bool | int | float):
        return value.value  # an enum
    return value
