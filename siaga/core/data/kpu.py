"""A KPU TPS list (CSV or `.xlsx`) read into the scenario's TPS rows (docs/scenario.md, "KPU TPS list").

The KPU publishes a Polres's TPS: a 13-digit TPS code (the 10-digit desa code without dots
and a 3-digit TPS number; special-location TPS, prisons and hospitals, numbered 901 and up),
the desa code dotted or not, the DPT split by sex where given, the address and coordinates
where given (DOCTRINE.md section 13). `read_kpu_tps(path, regions)` returns the TPS rows, the
warnings (coordinates missing or implausible, filled from the desa's point) and the problems
(a row that cannot be taken: an unknown desa, a code that does not add up). A file with a
problem changes nothing: `kpu_scenario` raises `ScenarioError` with every problem.

The file is read by the scenario reader (workbook.py, the column matching, the cell readers
and the messages of scenario.py and problems.py): the same limits, the same refusals.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from siaga.core.data import cells
from siaga.core.data import scenario as scenario_io
from siaga.core.data.geo import haversine_km
from siaga.core.data.listfile import desa_code, kpu_code, one_table
from siaga.core.data.model import VILLAGE_LEVELS, Category, Region, Scenario, Tps
from siaga.core.data.problems import MESSAGES, Problem, ScenarioError
from siaga.core.data.text import gettext_noop, number
from siaga.core.data.workbook import LIMITS, Limits, RawSheet

SPECIAL_FROM = 901  # TPS lokasi khusus: prisons, hospitals (DOCTRINE.md section 13)
SPECIAL_REASON = gettext_noop("TPS lokasi khusus")
FAR_KM = 20.0  # a TPS farther than this from its desa's point is implausible
# Indonesia's bounding box, as the scenario's coordinates (cells.latitude, cells.longitude).
LAT_RANGE, LON_RANGE = (-11.0, 6.0), (95.0, 141.0)

KPU_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "kpu_bad_tps_code": gettext_noop(
            "kode TPS KPU harus 13 angka: 10 angka kode desa tanpa titik lalu 3 angka nomor TPS (3514172001005)"
        ),
        "kpu_bad_desa_code": gettext_noop(
            "kode desa harus kode Kemendagri 10 angka, bertitik atau tidak (35.14.17.2001 atau 3514172001)"
        ),
        "kpu_code_mismatch": gettext_noop(
            "kode TPS tidak cocok dengan kode desa dan nomor TPS di baris yang sama (seharusnya %(expected)s)"
        ),
        "kpu_needs_place": gettext_noop("isi kode TPS (13 angka), atau kode desa dan nomor TPS"),
        "kpu_unknown_desa": gettext_noop(
            "desa %(desa)s tidak ada di wilayah operasi ini; perbaiki kodenya, atau tambahkan desanya ke wilayah"
            " operasi (lembar wilayah, atau impor daftar wilayah Kemendagri di halaman Wilayah)"
        ),
        "kpu_needs_voters": gettext_noop("isi DPT (dpt), atau DPT laki-laki dan perempuan (dpt_l dan dpt_p)"),
        "kpu_voters_sum": gettext_noop("DPT %(voters)s tidak sama dengan DPT laki-laki + perempuan (%(sum)s)"),
        "kpu_no_point": gettext_noop(
            "koordinat TPS tidak dapat diisi: desa %(desa)s tidak memiliki titik di lembar wilayah"
        ),
        "kpu_no_rows": gettext_noop("daftar TPS KPU tidak berisi satu baris TPS pun"),
        # warnings: the row is taken, its point is the desa's
        "kpu_no_coordinates": gettext_noop("TPS %(tps)s tanpa koordinat; diisi titik desa %(desa)s"),
        "kpu_outside_indonesia": gettext_noop(
            "koordinat TPS %(tps)s (%(lat)s, %(lon)s) di luar Indonesia; diisi titik desa %(desa)s"
        ),
        "kpu_far_from_desa": gettext_noop(
            "koordinat TPS %(tps)s (%(lat)s, %(lon)s) berjarak %(km)s km dari titik desa %(desa)s"
            " (batas %(limit)s km); diisi titik desa"
        ),
    }
)


KPU_WORDS: Mapping[str, str] = MappingProxyType({**MESSAGES, **KPU_MESSAGES})


@dataclass(frozen=True, slots=True)
class KpuProblem(Problem):
    """A problem or warning of a KPU list: its place as `Problem` gives it, its words from
    `KPU_MESSAGES` (or the scenario's `MESSAGES` for the reader's own codes)."""

    def words(self) -> Mapping[str, str]:
        return KPU_WORDS


_count = cells.in_range(cells.integer, 0, scenario_io.COUNT_MAX)
KPU_SHEET = scenario_io.Sheet(
    "kpu_tps",
    "tps_kpu",
    (
        scenario_io.Column("tps_code", "kode_tps", cells.Text(40, identifier=True), default=""),
        scenario_io.Column("desa_code", "kode_desa", cells.Text(40, identifier=True), default=""),
        scenario_io.Column("number", "no_tps", cells.in_range(cells.integer, 1, 999)),
        scenario_io.Column("voters_male", "dpt_l", _count),
        scenario_io.Column("voters_female", "dpt_p", _count),
        scenario_io.Column("voters", "dpt", _count),
        scenario_io.Column("address", "alamat", cells.Text(255), default=""),
        scenario_io.Column("lat", "lintang", cells.number),
        scenario_io.Column("lon", "bujur", cells.number),
    ),
)
# More names the KPU's own exports and people use for the same columns (normalised).
ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "kode_kelurahan": "desa_code",
        "kode_desa_kelurahan": "desa_code",
        "kode_wilayah": "desa_code",
        "nomor_tps": "number",
        "nomor": "number",
        "tps": "number",
        "laki_laki": "voters_male",
        "dpt_laki_laki": "voters_male",
        "perempuan": "voters_female",
        "dpt_perempuan": "voters_female",
        "jumlah_dpt": "voters",
        "total_dpt": "voters",
        "latitude": "lat",
        "longitude": "lon",
    }
)
# Columns a KPU export carries that Siaga takes from the operation's regions instead: names of
# the province, regency, kecamatan and desa, a running number. Read past, never refused.
IGNORED_COLUMNS = frozenset(
    {
        "no",
        "no_urut",
        "nomor_urut",
        "provinsi",
        "nama_provinsi",
        "kabupaten",
        "kota",
        "kabupaten_kota",
        "kab_kota",
        "kabupaten/kota",
        "kab/kota",
        "nama_kabupaten",
        "nama_kabupaten_kota",
        "kecamatan",
        "nama_kecamatan",
        "desa",
        "kelurahan",
        "desa_kelurahan",
        "desa/kelurahan",
        "nama_desa",
        "nama_kelurahan",
        "nama_desa_kelurahan",
        "nama_tps",
    }
)
_NOT_DIGIT = re.compile(r"[.\s-]")


def read_kpu_tps(
    path: str | Path, regions: Iterable[Region], limits: Limits = LIMITS
) -> tuple[list[Tps], list[Problem], list[Problem]]:
    """The TPS of a KPU list (CSV or `.xlsx`) against the operation's `regions`: (rows,
    warnings, problems). Each row's id is its 13-digit KPU code; a TPS numbered 901 or up is
    KHUSUS with the reason "TPS lokasi khusus"; a point missing, outside Indonesia or farther
    than FAR_KM from its desa's is the desa's point, with a warning. Raises `UnreadableFile`
    when the file cannot be read at all."""
    path = Path(path)
    sheet = _sheet(path, limits)
    region_by_code = {r.code: r for r in regions}
    reader: Any = scenario_io._Validator([])  # the scenario's column matching and cell reading
    reader.problems.clear()
    reader.sheets = {KPU_SHEET.name: sheet}
    table = reader._table(KPU_SHEET)
    problems: list[Problem] = [_kpu(p) for p in reader.problems]
    warnings: list[Problem] = []
    if table is None or any(p.row == 1 for p in problems):  # the columns first: rows read wrong otherwise
        return [], warnings, problems
    if not sheet.rows:
        problems.append(KpuProblem("kpu_no_rows", sheet=sheet.name))
    v, heads, numbers = table.values, table.heads, sheet.row_numbers
    bad_rows = {p.row for p in problems if p.row not in (None, 1)}
    rows: list[Tps] = []
    first: dict[str, int] = {}
    row = 0

    def refuse(code: str, column: str, value: object = "", **params: object) -> None:
        """The row being read (`row`) is refused: a problem naming the file, the row and the column."""
        problems.append(KpuProblem(code, sheet=sheet.name, row=row, column=column, value=str(value), params=params))

    for i, row in enumerate(numbers):
        if row in bad_rows:
            continue
        code, desa_raw, tps_number = v["tps_code"][i], v["desa_code"][i], v["number"][i]
        desa = desa_code(desa_raw) if desa_raw else None
        if desa_raw and desa is None:
            refuse("kpu_bad_desa_code", heads["desa_code"], desa_raw)
            continue
        if code:
            digits = _NOT_DIGIT.sub("", code)
            if len(digits) != 13 or not digits.isdigit():
                refuse("kpu_bad_tps_code", heads["tps_code"], code)
                continue
            from_code = desa_code(digits[:10])
            assert from_code is not None
            if (desa or from_code) != from_code or (tps_number or int(digits[10:])) != int(digits[10:]):
                expected = kpu_code(desa or from_code, tps_number or int(digits[10:]))
                refuse("kpu_code_mismatch", heads["tps_code"], code, expected=expected)
                continue
            desa, tps_number = from_code, int(digits[10:])
            if tps_number == 0:
                refuse("kpu_bad_tps_code", heads["tps_code"], code)
                continue
        if desa is None or tps_number is None:
            refuse("kpu_needs_place", heads["tps_code"] if not desa else heads["number"])
            continue
        region = region_by_code.get(desa)
        if region is None or region.level not in VILLAGE_LEVELS:
            refuse(
                "kpu_unknown_desa", heads["desa_code"] if desa_raw else heads["tps_code"], desa_raw or code, desa=desa
            )
            continue
        tps_id = kpu_code(desa, tps_number)
        if tps_id in first:
            refuse("duplicate", heads["tps_code"] if code else heads["number"], tps_id, other_row=first[tps_id])
            continue
        first[tps_id] = row
        male, female, voters = v["voters_male"][i], v["voters_female"][i], v["voters"][i]
        split = male + female if male is not None and female is not None else None
        if voters is None and split is None:
            refuse("kpu_needs_voters", heads["voters"])
            continue
        if voters is not None and split is not None and voters != split:
            refuse("kpu_voters_sum", heads["voters"], voters, voters=voters, sum=split)
            continue
        if voters is None:
            voters = split
        point = _point(v["lat"][i], v["lon"][i], region, tps_id, sheet.name, row, heads, warnings)
        if point is None:
            refuse("kpu_no_point", heads["lat"], desa=desa)
            continue
        special = tps_number >= SPECIAL_FROM
        rows.append(
            Tps(
                id=tps_id,
                desa_code=desa,
                number=tps_number,
                voters=voters,
                lat=point[0],
                lon=point[1],
                address=v["address"][i],
                category=Category.KHUSUS if special else None,
                category_reason=SPECIAL_REASON if special else "",
            )
        )
    return rows, warnings, scenario_io._in_order(problems)


def _point(
    lat: float | None,
    lon: float | None,
    region: Region,
    tps_id: str,
    sheet: str,
    row: int,
    heads: Mapping[str, str],
    warnings: list[Problem],
) -> tuple[float, float] | None:
    """The TPS's point, or its desa's with a warning when the list's is missing or implausible;
    None when there is neither."""
    centroid = (region.lat, region.lon) if region.lat is not None and region.lon is not None else None
    params: dict[str, object] = {"tps": tps_id, "desa": f"{region.code} {region.name}"}
    if lat is None or lon is None:
        code, column = "kpu_no_coordinates", heads["lat"] if lat is None else heads["lon"]
    elif not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        code, column = "kpu_outside_indonesia", heads["lon"] if LAT_RANGE[0] <= lat <= LAT_RANGE[1] else heads["lat"]
        params |= {"lat": lat, "lon": lon}
    elif centroid is not None and (km := haversine_km(lat, lon, *centroid)) > FAR_KM:
        code, column = "kpu_far_from_desa", heads["lat"]
        params |= {"lat": lat, "lon": lon, "km": number(km, decimals=1), "limit": number(FAR_KM)}
    else:
        return lat, lon
    if centroid is None:
        return None
    warnings.append(KpuProblem(code, sheet=sheet, row=row, column=column, params=params))
    return centroid


def _kpu(problem: Problem) -> Problem:
    return KpuProblem(problem.code, problem.sheet, problem.row, problem.column, problem.value, problem.params)


def _sheet(path: Path, limits: Limits) -> RawSheet:
    """The list's one table (listfile.one_table), the KPU's own column names read as the contract's."""
    return one_table(path, limits, ALIASES, IGNORED_COLUMNS)


# ---------------------------------------------------------------- into a scenario


def with_kpu_tps(scenario: Scenario, rows: Sequence[Tps]) -> Scenario:
    """`scenario` with its TPS replaced by the KPU's `rows`. A row that is a TPS of the
    scenario (the same id, or the same desa and number) keeps that TPS's id (the Linmas
    decree, pins and PSU stages name it), its indicators, and its category and reason where a
    planner set one."""
    by_id = {t.id: t for t in scenario.tps}
    by_place = {(t.desa_code, t.number): t for t in scenario.tps}
    out = []
    for row in rows:
        old = by_id.get(row.id) or by_place.get((row.desa_code, row.number))
        if old is not None:
            row = replace(row, id=old.id, indicators=old.indicators)
            if old.category is not None:
                row = replace(row, category=old.category, category_reason=old.category_reason)
        out.append(row)
    return replace(scenario, tps=tuple(out))


def kpu_scenario(scenario: Scenario, path: str | Path, limits: Limits = LIMITS) -> tuple[Scenario, list[Problem]]:
    """`scenario` with the KPU list at `path` as its TPS, validated whole as any scenario
    file is (a Linmas or a pin naming a TPS the list drops is a problem), and the warnings.
    Raises `ScenarioError` with every problem: nothing is half-taken."""
    rows, warnings, problems = read_kpu_tps(path, scenario.regions, limits)
    if problems:
        raise ScenarioError(problems)
    result = with_kpu_tps(scenario, rows)
    with tempfile.TemporaryDirectory(prefix="siaga-kpu-") as folder:
        scenario_io.write_scenario(result, Path(folder) / "scenario")
        return scenario_io.read_scenario(Path(folder) / "scenario"), warnings
