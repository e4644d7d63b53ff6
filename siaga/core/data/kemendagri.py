"""The Kemendagri region list (kode dan nama wilayah, CSV or `.xlsx`) read into the scenario's
regions (docs/scenario.md, "Kemendagri region list").

Kemendagri publishes every region of the country with its code (about 91,600 rows): the
code's segments give the level (2 digits a provinsi, 2.2 a kabupaten or kota, 2.2.2 a
kecamatan, 2.2.2.4 a desa or kelurahan), and its parent is the code without its last segment.
A kabupaten/kota's second segment is 71 or more for a kota; a desa's fourth segment starts
with 1 for a kelurahan, 2 for a desa and 3 for a desa adat. Names are kept as Kemendagri
writes them (apostrophes, parentheses, "KAB." and "KOTA" prefixes).

`read_regions(path)` returns the regions (kabupaten/kota, kecamatan and desa/kelurahan: the
scenario's levels), the provinces read (named in messages, not kept: the operation's regions
start at the kabupaten/kota) and the problems. `regions_scenario` puts them into a scenario as
its regions, keeping what the operation knew of each code (its point, indicators, Polres);
a problem changes nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from siaga.core.data import cells
from siaga.core.data import scenario as scenario_io
from siaga.core.data.listfile import one_table, read_columns, region_code
from siaga.core.data.model import Level, Region, Scenario
from siaga.core.data.problems import MESSAGES, Problem, ScenarioError
from siaga.core.data.text import Message, gettext_noop
from siaga.core.data.workbook import LIMITS, Limits

KOTA_FROM = 71  # a kabupaten/kota code's second segment: 01-69 kabupaten, 71 and up kota
VILLAGE_KIND = {"1": Level.KELURAHAN, "2": Level.DESA, "3": Level.DESA}  # 3: desa adat

KEMENDAGRI_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "kemendagri_bad_code": gettext_noop(
            "kode wilayah Kemendagri harus 2, 2.2, 2.2.2 atau 2.2.2.4 angka bertitik (35, 35.14, 35.14.17,"
            " 35.14.17.2001), atau angka yang sama tanpa titik"
        ),
        "kemendagri_bad_village": gettext_noop(
            "kode desa/kelurahan: bagian keempat harus diawali 1 (kelurahan), 2 (desa) atau 3 (desa adat)"
        ),
        "kemendagri_no_parent": gettext_noop(
            "induknya, %(level)s %(parent)s, tidak ada di daftar; tambahkan baris %(parent)s atau perbaiki kodenya"
        ),
        "kemendagri_no_rows": gettext_noop("daftar wilayah Kemendagri tidak berisi satu baris wilayah pun"),
        "kemendagri_region_in_use": gettext_noop(
            "wilayah %(region)s tidak ada di daftar wilayah Kemendagri %(file)s, padahal dipakai oleh %(what)s"
            " operasi ini; tambahkan barisnya ke daftar atau perbaiki data operasinya dahulu"
        ),
    }
)
KEMENDAGRI_WORDS: Mapping[str, str] = MappingProxyType({**MESSAGES, **KEMENDAGRI_MESSAGES})
LEVEL_WORDS: Mapping[int, str] = MappingProxyType(
    {
        1: gettext_noop("provinsi"),
        2: gettext_noop("kabupaten/kota"),
        3: gettext_noop("kecamatan"),
    }
)
USE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "tps": gettext_noop("TPS"),
        "personnel": gettext_noop("personel"),
        "units": gettext_noop("satuan"),
        "events": gettext_noop("kegiatan"),
    }
)


@dataclass(frozen=True, slots=True)
class KemendagriProblem(Problem):
    """A problem of a Kemendagri region list: its words from `KEMENDAGRI_MESSAGES` (or the
    scenario's `MESSAGES` for the reader's own codes)."""

    def words(self) -> Mapping[str, str]:
        return KEMENDAGRI_WORDS


SHEET = scenario_io.Sheet(
    "kemendagri",
    "wilayah_kemendagri",
    (
        scenario_io.Column("code", "kode", cells.Text(40, identifier=True), required=True),
        scenario_io.Column("name", "nama", cells.Text(120), required=True),
        scenario_io.Column("lat", "lintang", cells.latitude),
        scenario_io.Column("lon", "bujur", cells.longitude),
    ),
)
ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "kode_wilayah": "code",
        "kode_kemendagri": "code",
        "kode_bps": "code",
        "nama_wilayah": "name",
        "latitude": "lat",
        "longitude": "lon",
    }
)
# Columns a region list may carry that the code already says: read past, never refused.
IGNORED_COLUMNS = frozenset({"no", "no_urut", "level", "tingkat", "parent_code", "kode_induk", "keterangan"})


@dataclass(frozen=True, slots=True)
class RegionList:
    """A Kemendagri list read: the regions in the file's order, the provinces by code."""

    regions: list[Region]
    provinces: dict[str, str]
    problems: list[Problem]


def level_of(code: str) -> Level | None:
    """The scenario level of a dotted Kemendagri code; None for a provinsi (and a desa code
    whose fourth segment starts with neither 1, 2 nor 3)."""
    parts = code.split(".")
    if len(parts) == 2:
        return Level.KOTA if int(parts[1]) >= KOTA_FROM else Level.KABUPATEN
    if len(parts) == 3:
        return Level.KECAMATAN
    if len(parts) == 4:
        return VILLAGE_KIND.get(parts[3][0])
    return None


def read_regions(path: str | Path, limits: Limits = LIMITS) -> RegionList:
    """The regions of a Kemendagri list (CSV or `.xlsx`, columns `code` [`kode`] and `name`
    [`nama`], optional `lat`/`lon`): each code normalised to its dotted form, its level and
    parent from the code. Problems: a malformed code, a duplicate, a kecamatan or desa whose
    parent is not in the list (a kabupaten's provinsi may be left out). Raises `UnreadableFile`
    when the file cannot be read at all."""
    path = Path(path)
    sheet = one_table(path, limits, ALIASES, IGNORED_COLUMNS)
    table, found = read_columns(SHEET, sheet)
    problems: list[Problem] = [_ours(p) for p in found]
    if table is None or any(p.row == 1 for p in problems):
        return RegionList([], {}, problems)
    if not sheet.rows:
        problems.append(KemendagriProblem("kemendagri_no_rows", sheet=sheet.name))
    v, head = table.values, table.heads
    codes: list[str | None] = []
    first: dict[str, int] = {}
    for raw, row in zip(v["code"], sheet.row_numbers, strict=True):
        code = region_code(raw) if raw else None
        if raw and code is None:
            problems.append(KemendagriProblem("kemendagri_bad_code", sheet.name, row, head["code"], raw))
        elif code is not None and code.count(".") == 3 and code[-4] not in VILLAGE_KIND:
            problems.append(KemendagriProblem("kemendagri_bad_village", sheet.name, row, head["code"], raw))
            code = None
        elif code is not None and code in first:
            twice: dict[str, object] = {"other_row": first[code]}
            problems.append(KemendagriProblem("duplicate", sheet.name, row, head["code"], raw, twice))
            code = None
        elif code is not None:
            first[code] = row
        codes.append(code)
    regions: list[Region] = []
    provinces: dict[str, str] = {}
    for i, code in enumerate(codes):
        name, row = v["name"][i], sheet.row_numbers[i]
        if code is None or name is None:
            continue
        depth = code.count(".") + 1
        parent = code.rpartition(".")[0]
        if depth == 1:
            provinces[code] = name
            continue
        if depth > 2 and parent not in first:
            params: dict[str, object] = {"parent": parent, "level": Message(LEVEL_WORDS[depth - 1])}
            problems.append(KemendagriProblem("kemendagri_no_parent", sheet.name, row, head["code"], code, params))
            continue
        level = level_of(code)
        assert level is not None
        regions.append(Region(code, name, level, parent if depth > 2 else code[:2], v["lat"][i], v["lon"][i]))
    return RegionList(regions, provinces, scenario_io._in_order(problems))


def _ours(problem: Problem) -> Problem:
    return KemendagriProblem(problem.code, problem.sheet, problem.row, problem.column, problem.value, problem.params)


# ---------------------------------------------------------------- into a scenario


def with_regions(scenario: Scenario, regions: list[Region]) -> Scenario:
    """`scenario` with `regions` as its regions. A code the scenario had keeps its point
    (where the list gives none), its indicators and its Polres."""
    old = scenario.region_by_code()
    out = []
    for r in regions:
        before = old.get(r.code)
        if before is not None:
            point = (r.lat, r.lon) if r.lat is not None and r.lon is not None else (before.lat, before.lon)
            r = replace(r, lat=point[0], lon=point[1], indicators=before.indicators, polres_code=before.polres_code)
        out.append(r)
    return replace(scenario, regions=tuple(out))


def in_use(scenario: Scenario) -> dict[str, str]:
    """Region codes the scenario's rows name (a TPS's desa, a person's desa, a unit's
    kecamatan, an event's kecamatan), each with the first kind of row naming it."""
    used: dict[str, str] = {}
    for kind, codes in (
        ("tps", (t.desa_code for t in scenario.tps)),
        ("personnel", (p.desa_code for p in scenario.personnel)),
        ("units", (u.kecamatan_code for u in scenario.units)),
        ("events", (e.kecamatan_code for e in scenario.events)),
    ):
        for code in codes:
            if code:
                used.setdefault(code, kind)
    return used


def regions_scenario(
    scenario: Scenario, path: str | Path, limits: Limits = LIMITS
) -> tuple[Scenario, RegionList, list[str]]:
    """`scenario` with the Kemendagri list at `path` as its regions, validated whole as any
    scenario file is; the list read; the codes of the scenario's regions the list drops
    (none of them in use). Raises `ScenarioError` with every problem (a region in use that
    the list lacks is one): nothing is half-taken."""
    path = Path(path)
    read = read_regions(path, limits)
    problems = list(read.problems)
    listed = {r.code for r in read.regions}
    if not problems:
        names = scenario.region_by_code()
        for code, kind in in_use(scenario).items():
            if code not in listed:
                region = f"{code} {names[code].name}" if code in names else code
                params = {"region": region, "file": path.name, "what": Message(USE_WORDS[kind])}
                problems.append(KemendagriProblem("kemendagri_region_in_use", params=params))
    if problems:
        raise ScenarioError(problems)
    dropped = [r.code for r in scenario.regions if r.code not in listed]
    result = with_regions(scenario, read.regions)
    with tempfile.TemporaryDirectory(prefix="siaga-kemendagri-") as folder:
        scenario_io.write_scenario(result, Path(folder) / "scenario")
        return scenario_io.read_scenario(Path(folder) / "scenario"), read, dropped
