"""Region boundaries: kecamatan, desa and kelurahan polygons from a GeoJSON file, matched to a
scenario's regions by their Kemendagri code and checked.

A boundary file is a GeoJSON FeatureCollection in WGS84 ([lon, lat]) whose features are Polygons
or MultiPolygons with the region's code in a property (`code`, `kode`, `kode_wilayah`,
`kd_wilayah`, `kdepum` or `id`; dotted `35.14.17.2001` or undotted `3514172001`, read as the
dotted form the scenario uses). Every problem is a `Problem` naming the feature (its place in
the file, counting from 1, and its code): a broken polygon (a ring not closed, fewer than 4
points, a coordinate that is no number or lies outside Indonesia, no area), a feature without a
code, a code given twice, a file that is no FeatureCollection. A code the scenario does not
have is a warning (the feature is skipped); a region without a boundary is listed.

Points against outlines: `contains` (point in polygon), `km_outside`, `point_inside` (a
seeded point inside an outline, for the demo's TPS) and `tps_outside`, the TPS lying outside
their desa's outline by more than OUTSIDE_M metres (a warning on import, a list on the data page).

`siaga/core/data/pasuruan-boundaries.geojson` is shipped: Kabupaten and Kota Pasuruan, from
cahyadsn/wilayah_boundaries (MIT licence, LICENSE-wilayah-boundaries.txt beside it).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from siaga.core.data.geo import EARTH_RADIUS_KM
from siaga.core.data.problems import Problem, ScenarioError
from siaga.core.data.text import gettext_noop, number

SHIPPED = "data/pasuruan-boundaries.geojson"
CODE_KEYS = ("code", "kode", "kode_wilayah", "kd_wilayah", "kdepum", "id")
NAME_KEYS = ("name", "nama", "nama_wilayah")
MAX_BYTES = 50 * 2**20
MAX_POINTS = 5_000_000
LAT_RANGE = (-11.0, 6.0)  # Indonesia, as the scenario's coordinates (problems.outside_indonesia)
LON_RANGE = (95.0, 141.0)
LEVELS_BY_SEGMENTS = {2: "KABUPATEN", 3: "KECAMATAN"}
SLIVER = 0.02  # a dissolved kecamatan's rings smaller than this share of its largest are slivers
MAX_PROBLEMS = 200  # a file broken everywhere: the first ones are enough to act on


@dataclass(frozen=True, slots=True)
class Boundary:
    """One region's outline: `geometry` is a GeoJSON MultiPolygon ([lon, lat] rings); `lat`/`lon`
    a point inside it to put its name on."""

    code: str
    name: str
    level: str
    geometry: Mapping[str, Any]
    lat: float
    lon: float
    feature: int  # its place in the file, from 1


@dataclass(frozen=True, slots=True)
class Boundaries:
    """The boundaries of a scenario's regions, what was skipped and what is missing."""

    boundaries: tuple[Boundary, ...]
    warnings: tuple[Problem, ...] = ()
    missing: tuple[str, ...] = ()  # region codes with no boundary in the file
    skipped: int = 0  # features whose code the scenario does not have
    counts: Mapping[str, int] = field(default_factory=dict)  # boundaries by level


def normalise_code(value: object) -> str:
    """A Kemendagri code in the dotted form (35.14.17.2001); "" when it is not one."""
    text = str(value if value is not None else "").strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    digits = text.replace(".", "")
    if not digits.isdigit() or not digits.isascii():
        return ""
    if "." in text:
        parts = text.split(".")
        ok = len(parts) in (1, 2, 3, 4) and all(p.isdigit() for p in parts)
        return text if ok else ""
    cuts = {2: (2,), 4: (2, 4), 6: (2, 4, 6), 10: (2, 4, 6, 10)}.get(len(digits))
    if cuts is None:
        return ""
    parts, start = [], 0
    for end in cuts:
        parts.append(digits[start:end])
        start = end
    return ".".join(parts)


def level_of(code: str) -> str:
    """The level a code's form gives: a 4th segment starting with 1 is a kelurahan."""
    parts = code.split(".")
    if len(parts) == 4:
        return "KELURAHAN" if parts[3].startswith("1") else "DESA"
    return LEVELS_BY_SEGMENTS.get(len(parts), "PROVINSI")


def shipped_path() -> Path:
    return Path(str(resources.files("siaga.core").joinpath(SHIPPED)))


def read_boundaries(
    source: Path | str | bytes | Mapping[str, Any], regions: Mapping[str, str], kecamatan_from_desa: bool = False
) -> Boundaries:
    """The boundaries in `source` (a path, the file's bytes or the parsed JSON) of the regions in
    `regions` (code -> level). Raises ScenarioError with every problem found.

    `kecamatan_from_desa`: a kecamatan's outline is the outer edge of the desa and kelurahan
    under it in the file (all of them, in the scenario or not), for a file whose kecamatan
    polygons are simplified more coarsely than its desa (the shipped one); the rings are
    closed walks of that edge, enough to draw (not to measure an area)."""
    data = _load(source)
    villages: dict[str, list[list[list[list[float]]]]] = {}
    if (
        not isinstance(data, Mapping)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ScenarioError([Problem("boundary_not_collection")])
    problems: list[Problem] = []
    warnings: list[Problem] = []
    found: list[Boundary] = []
    first_of: dict[str, int] = {}
    points = 0
    skipped = 0
    for index, item in enumerate(data["features"], start=1):
        if len(problems) >= MAX_PROBLEMS:
            break
        if not isinstance(item, Mapping) or item.get("type") != "Feature":
            problems.append(Problem("boundary_not_feature", params={"feature": index}))
            continue
        given = item.get("properties")
        props: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
        raw = _first(props, CODE_KEYS)
        code = normalise_code(raw)
        if not code:
            problems.append(Problem("boundary_no_code", params={"feature": index}))
            continue
        where = {"feature": index, "region": code}
        if code in first_of:
            problems.append(Problem("boundary_duplicate", params={**where, "other": first_of[code]}))
            continue
        first_of[code] = index
        geometry = item.get("geometry")
        polygons, wrong = _polygons(geometry, where)
        if wrong:
            problems.extend(wrong)
            continue
        points += sum(len(ring) for polygon in polygons for ring in polygon)
        if code.count(".") == 3:
            villages.setdefault(code.rsplit(".", 1)[0], []).extend(polygons)
        if points > MAX_POINTS:
            problems.append(Problem("boundary_too_many_points", params={"limit": f"{MAX_POINTS:,}".replace(",", ".")}))
            break
        if code not in regions:
            warnings.append(Problem("boundary_unknown_code", params=where))
            skipped += 1
            continue
        lat, lon = _label_point(props, polygons)
        name = str(_first(props, NAME_KEYS) or code)[:120]
        geo = {"type": "MultiPolygon", "coordinates": polygons}
        level = regions[code] or level_of(code)
        found.append(Boundary(code, name, level, geo, lat, lon, index))
    if problems:
        raise ScenarioError(problems)
    if kecamatan_from_desa:
        found = [_dissolved(b, villages[b.code]) if b.code in villages else b for b in found]
    if not found:
        raise ScenarioError([Problem("boundary_none_matched", params={"features": len(data["features"])})])
    have = {b.code for b in found}
    missing = tuple(sorted(c for c, level in regions.items() if level != "PROVINSI" and c not in have))
    counts = dict(Counter(b.level for b in found))
    return Boundaries(tuple(found), tuple(warnings), missing, skipped, counts)


def read_shipped(regions: Mapping[str, str]) -> Boundaries:
    """The Pasuruan boundaries shipped with Siaga, of `regions`; a kecamatan is outlined by its
    desa and kelurahan (the file's own kecamatan polygons are coarser)."""
    return read_boundaries(shipped_path(), regions, kecamatan_from_desa=True)


def _dissolved(kecamatan: Boundary, polygons: list[list[list[list[float]]]]) -> Boundary:
    if kecamatan.level != "KECAMATAN":
        return kecamatan
    rings = outer_rings([{"coordinates": polygons}])
    if not rings:
        return kecamatan
    geometry = {"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]}
    return Boundary(
        kecamatan.code, kecamatan.name, kecamatan.level, geometry, kecamatan.lat, kecamatan.lon, kecamatan.feature
    )


def _load(source: Path | str | bytes | Mapping[str, Any]) -> Any:
    if isinstance(source, Mapping):
        return source
    if isinstance(source, Path | str):
        try:
            path = Path(source)
            if path.stat().st_size > MAX_BYTES:
                raise ScenarioError([Problem("boundary_too_large", params=_sizes(path.stat().st_size))])
            source = path.read_bytes()
        except OSError:
            raise ScenarioError([Problem("file_not_found", value=str(source))]) from None
    if len(source) > MAX_BYTES:
        raise ScenarioError([Problem("boundary_too_large", params=_sizes(len(source)))])
    try:
        return json.loads(source.decode("utf-8-sig"), parse_constant=_no_constant)
    except json.JSONDecodeError as exc:  # where it breaks, in the reader's words (never the parser's)
        raise ScenarioError(
            [Problem("boundary_not_json_at", params={"line": exc.lineno, "column": exc.colno})]
        ) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ScenarioError([Problem("boundary_not_json")]) from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is no JSON number")


def _sizes(size: int) -> dict[str, str]:
    return {"size": f"{size / 2**20:.1f} MB", "limit": f"{MAX_BYTES / 2**20:.0f} MB"}


def _first(props: Mapping[str, Any], keys: Iterable[str]) -> Any:
    lowered = {str(k).lower(): v for k, v in props.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return value
    return None


def _polygons(geometry: Any, where: dict[str, object]) -> tuple[list[list[list[list[float]]]], list[Problem]]:
    """The geometry's polygons as MultiPolygon coordinates, or the problems in it."""
    kind = geometry.get("type") if isinstance(geometry, Mapping) else None
    coords = geometry.get("coordinates") if isinstance(geometry, Mapping) else None
    if kind not in ("Polygon", "MultiPolygon") or not isinstance(coords, list):
        return [], [Problem("boundary_bad_geometry", params={**where, "kind": str(kind or "-")[:40]})]
    polygons = [coords] if kind == "Polygon" else coords
    problems: list[Problem] = []
    clean: list[list[list[list[float]]]] = []
    if not polygons:
        return [], [Problem("boundary_ring_short", params={**where, "polygon": 1, "ring": 1, "points": 0})]
    for p, polygon in enumerate(polygons, start=1):
        if not isinstance(polygon, list) or not polygon:
            problems.append(Problem("boundary_ring_short", params={**where, "polygon": p, "ring": 1, "points": 0}))
            continue
        rings: list[list[list[float]]] = []
        for r, ring in enumerate(polygon, start=1):
            at = {**where, "polygon": p, "ring": r}
            checked, problem = _ring(ring, at)
            if problem is not None:
                problems.append(problem)
                break
            rings.append(checked)
        else:
            if abs(_area(rings[0])) == 0:
                problems.append(Problem("boundary_no_area", params={**where, "polygon": p}))
            clean.append(rings)
        if len(problems) >= 5:  # enough to say this feature is broken
            break
    return clean, problems


def _ring(ring: Any, at: dict[str, object]) -> tuple[list[list[float]], Problem | None]:
    if not isinstance(ring, list) or len(ring) < 4:
        count = len(ring) if isinstance(ring, list) else 0
        return [], Problem("boundary_ring_short", params={**at, "points": count})
    out: list[list[float]] = []
    for i, point in enumerate(ring, start=1):
        ok = (
            isinstance(point, list)
            and len(point) >= 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
            and all(math.isfinite(v) for v in point[:2])
        )
        if not ok:
            return [], Problem("boundary_bad_point", params={**at, "point": i})
        lon, lat = float(point[0]), float(point[1])
        if not _inside(lat, lon):
            return [], Problem("boundary_outside", params={**at, "point": i, "lon": lon, "lat": lat})
        out.append([lon, lat])
    if out[0] != out[-1]:
        return [], Problem("boundary_ring_open", params=at)
    return out, None


def _area(ring: list[list[float]]) -> float:
    """Twice the signed area of a ring in square degrees (the shoelace formula)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))


def _label_point(props: Mapping[str, Any], polygons: list[list[list[list[float]]]]) -> tuple[float, float]:
    """Where the name goes: the file's own centroid (`lat`/`lon`) when it lies in Indonesia, else
    the centroid of the largest polygon's outer ring."""
    lat, lon = _number(props.get("lat")), _number(props.get("lon"))
    if lat is not None and lon is not None and _inside(lat, lon):
        return lat, lon
    ring = max((p[0] for p in polygons), key=lambda r: abs(_area(r)))
    a = _area(ring)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    return round(cy / (3 * a), 6), round(cx / (3 * a), 6)


def _inside(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def _number(value: object) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None  # type: ignore[arg-type]


def outline(geometries: Iterable[Mapping[str, Any]], places: int = 5) -> list[list[list[float]]]:
    """The outer edge of the union of `geometries` (MultiPolygons) as line strings: the edges
    that belong to one polygon only (an edge two neighbours share is inside the union).
    Coordinates are compared rounded to `places` decimals; neighbours must share their
    vertices (as the desa of one source do)."""

    def key(point: list[float]) -> tuple[float, float]:
        return round(point[0], places), round(point[1], places)

    seen: Counter[tuple[tuple[float, float], tuple[float, float]]] = Counter()
    for geometry in geometries:
        for polygon in geometry.get("coordinates", []):
            for ring in polygon:
                for a, b in zip(ring, ring[1:], strict=False):
                    ka, kb = key(a), key(b)
                    if ka != kb:
                        seen[(ka, kb) if ka < kb else (kb, ka)] += 1
    edges = [edge for edge, n in seen.items() if n == 1]
    # chain the edges into lines, so a map draws a few long lines rather than many short ones
    ends: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for a, b in edges:
        ends.setdefault(a, []).append(b)
        ends.setdefault(b, []).append(a)
    used: set[tuple[tuple[float, float], tuple[float, float]]] = set()
    lines: list[list[list[float]]] = []
    for a, b in edges:
        if (a, b) in used:
            continue
        used.add((a, b))
        line = [a, b]
        while True:
            tip = line[-1]
            step = next((n for n in ends.get(tip, []) if _edge(tip, n) not in used), None)
            if step is None:
                break
            used.add(_edge(tip, step))
            line.append(step)
        lines.append([[x, y] for x, y in line])
    return lines


def outer_rings(geometries: Iterable[Mapping[str, Any]]) -> list[list[list[float]]]:
    """The outer edge of the union of `geometries` as closed rings (`outline`), without the
    slivers left where neighbours do not share their vertices exactly: rings far smaller than
    the largest one are dropped."""
    rings = [line for line in outline(geometries) if len(line) >= 4 and line[0] == line[-1]]
    if not rings:
        return []
    largest = max(abs(_area(r)) for r in rings)
    return [r for r in rings if abs(_area(r)) >= SLIVER * largest]


def _edge(a: tuple[float, float], b: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]]:
    return (a, b) if a < b else (b, a)


# ---------------------------------------------------------------- points and outlines

OUTSIDE_M = 100  # a TPS further outside its desa's outline than this is warned about (simplified outlines)
SAMPLE_TRIES = 10_000  # points drawn in a polygon's box before giving up on finding one inside


def contains(geometry: Mapping[str, Any], lat: float, lon: float) -> bool:
    """Whether the point lies inside the (Multi)Polygon: even-odd over each polygon's rings, so
    a hole is outside; a point exactly on an edge may fall either way."""
    coords = geometry.get("coordinates") or []
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    for polygon in polygons:
        inside = False
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
        if inside:
            return True
    return False


def km_outside(geometry: Mapping[str, Any], lat: float, lon: float) -> float:
    """How far the point lies outside the (Multi)Polygon in km: 0 inside, else the distance to
    its nearest edge (a local flat projection: exact enough over a desa or kecamatan)."""
    if contains(geometry, lat, lon):
        return 0.0
    coords = geometry.get("coordinates") or []
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    ky = math.pi * EARTH_RADIUS_KM / 180  # km per degree of latitude
    kx = ky * math.cos(math.radians(lat))
    best = math.inf
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                ax, ay = (x1 - lon) * kx, (y1 - lat) * ky
                bx, by = (x2 - lon) * kx, (y2 - lat) * ky
                dx, dy = bx - ax, by - ay
                t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
                best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def point_inside(
    geometry: Mapping[str, Any], rng: Any, around: tuple[float, float, float] | None = None, decimals: int = 6
) -> tuple[float, float]:
    """A point (lat, lon) drawn uniformly inside the (Multi)Polygon from `rng` (a
    random.Random): drawn in its bounding box until one falls inside (rejection sampling), so
    the same seed gives the same point. `around` (lat, lon, degrees): draw in that square
    around a point instead (where a desa's houses cluster), the whole box when nothing inside
    the outline is found there. Raises ValueError when no point is found at all."""
    coords = geometry.get("coordinates") or []
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    lons = [x for polygon in polygons for x, _ in polygon[0]]
    lats = [y for polygon in polygons for _, y in polygon[0]]
    boxes = [(min(lats), max(lats), min(lons), max(lons))]
    if around is not None:
        lat, lon, half = around
        boxes.insert(0, (max(lat - half, boxes[0][0]), min(lat + half, boxes[0][1]),
                         max(lon - half, boxes[0][2]), min(lon + half, boxes[0][3])))  # fmt: skip
    for south, north, west, east in boxes:
        if south > north or west > east:
            continue
        for _ in range(SAMPLE_TRIES):
            lat, lon = round(rng.uniform(south, north), decimals), round(rng.uniform(west, east), decimals)
            if contains(geometry, lat, lon):
                return lat, lon
    raise ValueError("no point found inside the polygon")


@cache
def shipped() -> Mapping[str, Boundary]:
    """Every feature of the shipped Pasuruan file by code, as filed (kecamatan not dissolved):
    its outline and its centroid (the file's `lat`/`lon`)."""
    data = json.loads(shipped_path().read_bytes())
    codes = {normalise_code(f["properties"]["code"]): "" for f in data["features"]}
    return MappingProxyType({b.code: b for b in read_boundaries(data, codes).boundaries})


# ---------------------------------------------------------------- TPS against their desa


class PlaceProblem(Problem):
    """A warning about where a TPS lies against its desa's outline (its words are here)."""

    def words(self) -> Mapping[str, str]:
        return PLACE_MESSAGES


PLACE_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "tps_outside_desa": gettext_noop(
            "TPS %(tps)s terletak %(km)s km di luar batas desa %(desa)s; periksa lintang dan bujurnya"
        ),
    }
)


@dataclass(frozen=True, slots=True)
class Outside:
    """A TPS that lies outside its desa's outline by more than the allowed distance."""

    tps: str
    desa: str  # the desa's code
    km: float  # how far outside the outline


def tps_outside(
    tps: Iterable[tuple[str, str, float | None, float | None]],
    outlines: Mapping[str, Mapping[str, Any]],
    outside_m: float = OUTSIDE_M,
) -> list[Outside]:
    """The TPS of `tps` ((id, desa code, lat, lon) each) that lie more than `outside_m` metres
    outside their desa's outline in `outlines` (desa code -> GeoJSON geometry), in the order
    given. A TPS without a point, or whose desa has no outline, is not judged."""
    rows = [t for t in tps if t[1] in outlines and t[2] is not None and t[3] is not None]
    by_desa: dict[str, list[int]] = {}
    for n, t in enumerate(rows):
        by_desa.setdefault(t[1], []).append(n)
    out: dict[int, Outside] = {}
    for desa, at in by_desa.items():  # one vectorised test per desa: a national list in seconds
        lat = np.array([rows[n][2] for n in at], dtype=float)
        lon = np.array([rows[n][3] for n in at], dtype=float)
        for k in np.flatnonzero(~contains_many(outlines[desa], lat, lon)).tolist():
            tps_id, _, y, x = rows[at[k]]
            km = km_outside(outlines[desa], y, x)  # type: ignore[arg-type]
            if km * 1000 > outside_m:
                out[at[k]] = Outside(tps_id, desa, round(km, 2))
    return [out[n] for n in sorted(out)]


def contains_many(geometry: Mapping[str, Any], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """`contains` for many points at once (arrays of lat and lon): a boolean array."""
    coords = geometry.get("coordinates") or []
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    inside = np.zeros(len(lat), dtype=bool)
    for polygon in polygons:
        odd = np.zeros(len(lat), dtype=bool)
        for ring in polygon:
            x1, y1 = np.array(ring[:-1], dtype=float).T
            x2, y2 = np.array(ring[1:], dtype=float).T
            crosses = (y1[None, :] > lat[:, None]) != (y2[None, :] > lat[:, None])
            with np.errstate(divide="ignore", invalid="ignore"):
                at_x = x1[None, :] + (lat[:, None] - y1[None, :]) * (x2 - x1)[None, :] / (y2 - y1)[None, :]
            odd ^= (crosses & (lon[:, None] < at_x)).sum(axis=1) % 2 == 1
        inside |= odd
    return inside


def outside_warnings(found: Iterable[Outside], desa_names: Mapping[str, str], lang: str = "id") -> list[PlaceProblem]:
    """A warning for each TPS of `found`, naming it and its desa."""
    return [
        PlaceProblem(
            "tps_outside_desa",
            sheet="tps",
            params={"tps": o.tps, "desa": f"{desa_names.get(o.desa, o.desa)} ({o.desa})", "km": number(o.km, lang, 2)},
        )
        for o in found
    ]
