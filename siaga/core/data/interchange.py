"""Out to Polri's own systems (SOT, EWS) and TPS coordinates back in (issue 17 item 5).

Officers already report through Polri's apps; Siaga hands them what it knows instead of being
a second app to feed. Three plain files, each as CSV and JSON, described column by column in
docs/interchange.md: `personel` (one row per assignment of a plan) and `tps` (one row per TPS
with its point) are built from a plan by `siaga.core.documents.interchange`; `kejadian` (one
row per incident, `IncidentRecord` gathered by the console from the field) here. This module
holds the formats of all three and reads the coordinates back.

CSV: UTF-8 with a byte order mark (so Excel reads it as UTF-8), comma between fields, a dot in
decimals, quotes as RFC 4180, text that a spreadsheet would run as a formula prefixed with `'`.
JSON: an object with the file's `format`, its head and `rows` (the same keys as the CSV columns,
values typed). Times: ISO 8601 with the offset of the operation's time zone (WIB: +07:00).

The coordinates come back as a CSV or `.xlsx` (TPS code in either form, latitude, longitude):
`read_coordinates` refuses every implausible row, naming it (outside Indonesia, latitude and
longitude swapped, far from its desa, an unknown or repeated TPS); `coordinates_scenario` gives
the scenario with the new points, validated whole, for a new data version.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from siaga.core.data import cells, kpu, listfile
from siaga.core.data import scenario as scenario_io
from siaga.core.data.geo import haversine_km
from siaga.core.data.model import Region, Scenario, Tps
from siaga.core.data.problems import MESSAGES, Problem, ScenarioError
from siaga.core.data.text import gettext_noop, number
from siaga.core.data.workbook import LIMITS, Limits

FORMAT = "siaga-interchange/1"
PERSONNEL_COLUMNS = (
    "nrp",
    "nama",
    "pangkat",
    "unsur",
    "satuan",
    "pos",
    "tahap",
    "mulai",
    "selesai",
    "shift",
    "ketua_pos",
    "kode_kecamatan",
    "kecamatan",
    "kode_desa",
    "desa",
    "kode_tps",
    "kode_tps_kpu",
    "no_tps",
    "lintang",
    "bujur",
    "no_hp",
)
TPS_COLUMNS = (
    "kode_tps",
    "kode_tps_kpu",
    "no_tps",
    "kode_kecamatan",
    "kecamatan",
    "kode_desa",
    "desa",
    "alamat",
    "dpt",
    "kategori",
    "pos",
    "lintang",
    "bujur",
)
INCIDENT_COLUMNS = (
    "no_kejadian",
    "jenis",
    "tingkat",
    "tingkat_uraian",
    "status",
    "komando",
    "waktu_lapor",
    "waktu_eskalasi",
    "waktu_selesai",
    "kode_kecamatan",
    "kecamatan",
    "kode_desa",
    "desa",
    "kode_tps",
    "kode_tps_kpu",
    "pos",
    "lintang",
    "bujur",
    "pelapor",
    "pelapor_nrp",
    "uraian",
    "penanganan_akhir",
)
COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"personel": PERSONNEL_COLUMNS, "tps": TPS_COLUMNS, "kejadian": INCIDENT_COLUMNS}
)
LIST_SEPARATOR = ";"  # between the TPS codes of one post in a CSV cell (JSON: a list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DECIMALS = 6  # coordinates: about 10 cm
SEVERITY = MappingProxyType({1: "ringan", 2: "serius", 3: "berat"})
FAR_KM = kpu.FAR_KM
LAT_RANGE, LON_RANGE = kpu.LAT_RANGE, kpu.LON_RANGE


# ---------------------------------------------------------------- rows out


def kpu_tps_code(tps: Tps) -> str:
    """The KPU's 13-digit code of a TPS (10-digit desa code without dots, 3-digit number)."""
    return listfile.kpu_code(tps.desa_code, tps.number)


@dataclass(frozen=True)
class IncidentRecord:
    """An incident as the field keeps it, its place and people already resolved to names."""

    number: int
    kind: str
    severity: int
    status: str  # dilaporkan, ditangani, selesai
    command: str  # Kapolsek, Kapolres, Kapolda
    reported_at: dt.datetime
    escalated_at: dt.datetime | None
    closed_at: dt.datetime | None
    kecamatan_code: str
    tps_code: str
    post_name: str
    lat: float | None
    lon: float | None
    reporter: str
    reporter_code: str
    description: str
    disposition: str


def incident_rows(records: Iterable[IncidentRecord], scenario: Scenario, tz: dt.tzinfo) -> list[dict[str, Any]]:
    """One row per incident, oldest report first; its desa from its TPS, its kecamatan named."""
    regions = scenario.region_by_code()
    tps_by_id = {t.id: t for t in scenario.tps}
    rows = []
    for r in sorted(records, key=lambda r: (r.reported_at, r.number)):
        tps = tps_by_id.get(r.tps_code)
        desa = tps.desa_code if tps is not None else ""
        rows.append(
            {
                "no_kejadian": r.number,
                "jenis": r.kind,
                "tingkat": r.severity,
                "tingkat_uraian": SEVERITY.get(r.severity, ""),
                "status": r.status,
                "komando": r.command,
                "waktu_lapor": local_time(r.reported_at, tz),
                "waktu_eskalasi": local_time(r.escalated_at, tz),
                "waktu_selesai": local_time(r.closed_at, tz),
                "kode_kecamatan": r.kecamatan_code,
                "kecamatan": name_of(regions, r.kecamatan_code),
                "kode_desa": desa,
                "desa": name_of(regions, desa),
                "kode_tps": r.tps_code,
                "kode_tps_kpu": kpu_tps_code(tps) if tps is not None else "",
                "pos": r.post_name,
                "lintang": None if r.lat is None else round(r.lat, DECIMALS),
                "bujur": None if r.lon is None else round(r.lon, DECIMALS),
                "pelapor": r.reporter,
                "pelapor_nrp": r.reporter_code,
                "uraian": r.description,
                "penanganan_akhir": r.disposition,
            }
        )
    return rows


def local_time(at: dt.datetime | None, tz: dt.tzinfo) -> str:
    """ISO 8601 with the zone's offset; a naive time (the roster's) is already local."""
    if at is None:
        return ""
    local = at.replace(tzinfo=tz) if at.tzinfo is None else at.astimezone(tz)
    return local.isoformat(timespec="seconds")


def tps_order(t: Tps) -> tuple[str, int, str]:
    return (t.desa_code, t.number, t.id)


def parent_of(regions: Mapping[str, Region], code: str) -> str:
    region = regions.get(code)
    return region.parent_code if region is not None else ""


def name_of(regions: Mapping[str, Region], code: str) -> str:
    region = regions.get(code)
    return region.name if region is not None else ""


# ---------------------------------------------------------------- files


def to_csv(kind: str, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The rows as CSV of `COLUMNS[kind]` (see the module docstring), UTF-8 with its BOM."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS[kind])
    for row in rows:
        writer.writerow([_cell(row[c]) for c in COLUMNS[kind]])
    return buffer.getvalue().encode("utf-8")


def to_json(kind: str, rows: Sequence[Mapping[str, Any]], head: Mapping[str, Any]) -> bytes:
    """The rows as one JSON object: `format`, `kind`, the `head` (operation, plan version,
    time zone, made at), `columns` and `rows` (typed values)."""
    data = {"format": FORMAT, "kind": kind, **head, "columns": list(COLUMNS[kind]), "rows": list(rows)}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


# ---------------------------------------------------------------- coordinates back in

COORDINATE_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "coord_unknown_tps": gettext_noop(
            "TPS %(tps)s tidak ada di operasi ini; tulis kode TPS Siaga (35.14.17.2001-01) atau kode KPU 13 angka"
        ),
        "coord_swapped": gettext_noop(
            "lintang %(lat)s dan bujur %(lon)s tertukar: lintang Indonesia -11 s.d. 6, bujur 95 s.d. 141"
        ),
        "coord_outside": gettext_noop(
            "koordinat (%(lat)s, %(lon)s) di luar Indonesia (lintang -11 s.d. 6, bujur 95 s.d. 141)"
        ),
        "coord_far": gettext_noop(
            "koordinat TPS %(tps)s (%(lat)s, %(lon)s) berjarak %(km)s km dari titik desanya (batas %(limit)s km)"
        ),
        "coord_no_rows": gettext_noop("berkas koordinat tidak berisi satu baris TPS pun"),
    }
)
COORDINATE_WORDS: Mapping[str, str] = MappingProxyType({**MESSAGES, **COORDINATE_MESSAGES})


@dataclass(frozen=True, slots=True)
class CoordinateProblem(Problem):
    """A refused row of a coordinates file (its words from `COORDINATE_MESSAGES`)."""

    def words(self) -> Mapping[str, str]:
        return COORDINATE_WORDS


@dataclass(frozen=True, slots=True)
class Moved:
    """A TPS whose point the file changes: from, to, and how far."""

    tps: str
    old: tuple[float, float]
    new: tuple[float, float]
    km: float


COORDINATE_SHEET = scenario_io.Sheet(
    "coordinates",
    "koordinat",
    (
        scenario_io.Column("tps_code", "kode_tps", cells.Text(40, identifier=True), required=True),
        scenario_io.Column("lat", "lintang", cells.number, required=True),
        scenario_io.Column("lon", "bujur", cells.number, required=True),
    ),
)
_TAKEN = {  # normalised header -> column; any other column (names, the post, DPT) is read past
    "kode_tps": "tps_code",
    "tps_code": "tps_code",
    "tps_id": "tps_code",
    "id_tps": "tps_code",
    "kode_tps_kpu": "tps_code",
    "lintang": "lat",
    "lat": "lat",
    "latitude": "lat",
    "bujur": "lon",
    "lon": "lon",
    "longitude": "lon",
}


def read_coordinates(
    path: str | Path, tps: Iterable[Tps], regions: Iterable[Region], limits: Limits = LIMITS
) -> tuple[dict[str, tuple[float, float]], list[Problem]]:
    """The points of a coordinates file (CSV or `.xlsx`: a TPS code in either form, latitude,
    longitude) by TPS id, and every refused row. When the file has both `kode_tps` and
    `kode_tps_kpu` (as Siaga's own `tps` file has), `kode_tps` is read. Raises `UnreadableFile`
    when the file cannot be read at all."""
    sheet = listfile.one_table(Path(path), limits)
    heads = [scenario_io.normalise(h) for h in sheet.header]
    keep = _kept_columns(heads)
    sheet.rows = [[row[i] if i < len(row) else "" for i in keep] for row in sheet.rows]
    written = {_TAKEN[heads[i]]: sheet.header[i] for i in keep}  # a message names the file's own header
    sheet.header = [_TAKEN[heads[i]] for i in keep]
    table, read_problems = listfile.read_columns(COORDINATE_SHEET, sheet)
    problems: list[Problem] = [_ours(p, written) for p in read_problems]
    if table is None or any(p.row == 1 for p in problems):
        return {}, problems
    if not sheet.rows:
        problems.append(CoordinateProblem("coord_no_rows", sheet=sheet.name))
    by_id = {t.id: t for t in tps}
    by_kpu = {kpu_tps_code(t): t for t in by_id.values()}
    centroid = {r.code: (r.lat, r.lon) for r in regions if r.lat is not None and r.lon is not None}
    bad_rows = {p.row for p in problems}
    v, named = table.values, {c: written.get(c, h) for c, h in table.heads.items()}
    points: dict[str, tuple[float, float]] = {}
    first: dict[str, int] = {}

    def refuse(row: int, what: str, column: str, value: object, **params: object) -> None:
        problems.append(
            CoordinateProblem(what, sheet=sheet.name, row=row, column=column, value=str(value), params=params)
        )

    for i, row in enumerate(sheet.row_numbers):
        if row in bad_rows:
            continue
        code, lat, lon = v["tps_code"][i], v["lat"][i], v["lon"][i]
        found = by_id.get(code) or by_kpu.get(_undotted(code))
        if found is None:
            refuse(row, "coord_unknown_tps", named["tps_code"], code, tps=code)
            continue
        if not _inside(lat, lon):
            swapped = _inside(lon, lat)
            what = "coord_swapped" if swapped else "coord_outside"
            column = named["lat"] if swapped or not LAT_RANGE[0] <= lat <= LAT_RANGE[1] else named["lon"]
            refuse(row, what, column, f"{lat}, {lon}", lat=lat, lon=lon)
            continue
        home = centroid.get(found.desa_code)
        if home is not None and (km := haversine_km(lat, lon, *home)) > FAR_KM:
            params = {"tps": found.id, "lat": lat, "lon": lon, "km": number(km, decimals=1), "limit": number(FAR_KM)}
            refuse(row, "coord_far", named["lat"], f"{lat}, {lon}", **params)
            continue
        if found.id in first:
            refuse(row, "duplicate", named["tps_code"], code, other_row=first[found.id])
            continue
        first[found.id] = row
        points[found.id] = (lat, lon)
    return points, scenario_io._in_order(problems)


def _kept_columns(heads: Sequence[str]) -> list[int]:
    """The columns read: the first of each kind, `kode_tps` before `kode_tps_kpu`."""
    chosen: dict[str, int] = {}
    for i in sorted(range(len(heads)), key=lambda i: (heads[i] == "kode_tps_kpu", i)):
        column = _TAKEN.get(heads[i])
        if column is not None and column not in chosen:
            chosen[column] = i
    return sorted(chosen.values())


def _undotted(code: str) -> str:
    """A KPU code as 13 digits, whatever dots or spaces it was written with ("" otherwise)."""
    found = listfile.from_kpu_code(code)
    return listfile.kpu_code(*found) if found else ""


def _inside(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def _ours(problem: Problem, written: Mapping[str, str]) -> Problem:
    column = written.get(problem.column, problem.column)
    return CoordinateProblem(problem.code, problem.sheet, problem.row, column, problem.value, problem.params)


def moved(scenario: Scenario, points: Mapping[str, tuple[float, float]]) -> list[Moved]:
    """The TPS whose point `points` changes (more than a rounding), by TPS order."""
    out = []
    for t in sorted(scenario.tps, key=tps_order):
        new = points.get(t.id)
        if new is not None and (round(new[0], DECIMALS), round(new[1], DECIMALS)) != (
            round(t.lat, DECIMALS),
            round(t.lon, DECIMALS),
        ):
            out.append(Moved(t.id, (t.lat, t.lon), new, haversine_km(t.lat, t.lon, *new)))
    return out


def with_coordinates(scenario: Scenario, points: Mapping[str, tuple[float, float]]) -> Scenario:
    """`scenario` with the TPS of `points` at their new point; every other TPS as it was."""
    tps = tuple(replace(t, lat=points[t.id][0], lon=points[t.id][1]) if t.id in points else t for t in scenario.tps)
    return replace(scenario, tps=tps)


def coordinates_scenario(scenario: Scenario, path: str | Path, limits: Limits = LIMITS) -> tuple[Scenario, list[Moved]]:
    """`scenario` with the points of the file at `path`, validated whole as any scenario, and
    the TPS it moves. Raises `ScenarioError` with every refused row: nothing is half-taken."""
    points, problems = read_coordinates(path, scenario.tps, scenario.regions, limits)
    if problems:
        raise ScenarioError(problems)
    changes = moved(scenario, points)
    result = with_coordinates(scenario, points)
    with tempfile.TemporaryDirectory(prefix="siaga-coordinates-") as folder:
        scenario_io.write_scenario(result, Path(folder) / "scenario")
        return scenario_io.read_scenario(Path(folder) / "scenario"), changes
