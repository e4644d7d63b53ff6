"""Distances on the earth: the one home of distance for the planner, the checker and the console.

Travel is straight-line (great-circle) distance times a road factor; a road network function
can replace `road_km` later without the planner changing. Where the scenario gives road
travel times (the `travel_times` sheet, docs/scenario.md 2.14), `Travel` puts them in place of
the estimate for the pairs it names: reserve reach and escort times ask `Travel`, never the
sheet. Points are WGS84 degrees on a
sphere of the mean earth radius. `pairs_within_km` finds every pair of points closer than a
distance in time linear in the points (a grid of cells as wide as the distance), so a rule
such as reserve coverage never compares every TPS with every team. numpy loads with the first
array function called, not with this module: most importers need only `haversine_km`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

    Points = Sequence[float] | Sequence[float | None] | np.ndarray

EARTH_RADIUS_KM = 6371.0088
# Cells a little wider than the distance asked for, so rounding never drops a pair at the edge.
CELL_MARGIN = 1.0 + 1e-9
MAX_CELLS = 10_000  # cells per axis of the grid, at most


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def road_km(lat1: float, lon1: float, lat2: float, lon2: float, road_factor: float) -> float:
    return road_factor * haversine_km(lat1, lon1, lat2, lon2)


def travel_minutes(km: float, speed_kmh: float) -> float:
    return 60.0 * km / speed_kmh


def haversine_km_array(lat1: Points, lon1: Points, lat2: Points, lon2: Points) -> np.ndarray:
    """Great-circle distances in km, element by element (numpy broadcasting rules apply)."""
    import numpy as np

    p1 = np.radians(np.asarray(lat1, dtype=float))
    p2 = np.radians(np.asarray(lat2, dtype=float))
    dl = np.radians(np.asarray(lon2, dtype=float)) - np.radians(np.asarray(lon1, dtype=float))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def distance_matrix_km(lat1: Points, lon1: Points, lat2: Points, lon2: Points) -> np.ndarray:
    """Great-circle distances in km between every point of the first list (rows) and every
    point of the second (columns)."""
    import numpy as np

    lat1_, lon1_ = np.asarray(lat1, dtype=float)[:, None], np.asarray(lon1, dtype=float)[:, None]
    lat2_, lon2_ = np.asarray(lat2, dtype=float)[None, :], np.asarray(lon2, dtype=float)[None, :]
    return haversine_km_array(lat1_, lon1_, lat2_, lon2_)


def nearest_km(lat1: Points, lon1: Points, lat2: Points, lon2: Points) -> np.ndarray:
    """For each point of the first list, the km to the nearest of the second (not empty): what
    `distance_matrix_km(...).min(axis=1)` gives, without the whole matrix. Points further apart
    in latitude than a distance are further apart than it (a meridian is the shortest way
    across latitudes), so each point is measured only against the band of latitudes within
    its distance to the nearest of its neighbours in latitude."""
    import numpy as np

    lat1_, lon1_ = np.asarray(lat1, dtype=float), np.asarray(lon1, dtype=float)
    order = np.argsort(np.asarray(lat2, dtype=float), kind="stable")
    lat2_, lon2_ = np.asarray(lat2, dtype=float)[order], np.asarray(lon2, dtype=float)[order]
    if len(lat2_) <= NEAREST_GUESS:
        return distance_matrix_km(lat1_, lon1_, lat2_, lon2_).min(axis=1)
    start = np.clip(np.searchsorted(lat2_, lat1_) - NEAREST_GUESS // 2, 0, len(lat2_) - NEAREST_GUESS)
    window = start[:, None] + np.arange(NEAREST_GUESS)[None, :]
    guess = haversine_km_array(lat1_[:, None], lon1_[:, None], lat2_[window], lon2_[window]).min(axis=1)
    reach = np.degrees(guess / EARTH_RADIUS_KM) * (1 + 1e-9) + 1e-9  # a little more: float error
    low = np.searchsorted(lat2_, lat1_ - reach, side="left")
    high = np.searchsorted(lat2_, lat1_ + reach, side="right")
    out = np.empty(len(lat1_))
    for i, (la, lo, a, b) in enumerate(zip(lat1_.tolist(), lon1_.tolist(), low.tolist(), high.tolist(), strict=True)):
        out[i] = haversine_km_array(la, lo, lat2_[a:b], lon2_[a:b]).min()
    return out


# How many neighbours in latitude `nearest_km` measures first, for its first guess.
NEAREST_GUESS = 32


def pairs_within_km(
    lat1: Points,
    lon1: Points,
    lat2: Points,
    lon2: Points,
    km: float,
    labels: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (i, j) with haversine(first[i], second[j]) <= `km`, as three arrays: the
    indices i, the indices j and the distances, ordered by i then j.

    The second points go into a grid of cells at least as wide, in latitude and in longitude,
    as any pair within `km` can be apart; each first point is compared only with the second
    points of its own and the 8 neighbouring cells. The work is linear in the points and in
    the pairs found (not their product). With `labels` (one integer per first point, one per
    second), only pairs with equal labels are kept, before any distance is computed. Points
    must have coordinates (no NaN). Longitudes are not wrapped at +-180 degrees (no
    scenario spans the antimeridian: Indonesia lies between 95 and 141 degrees east)."""
    import numpy as np

    lat_a, lon_a = np.asarray(lat1, dtype=float), np.asarray(lon1, dtype=float)
    lat_b, lon_b = np.asarray(lat2, dtype=float), np.asarray(lon2, dtype=float)
    empty = np.zeros(0, dtype=np.int64)
    if not len(lat_a) or not len(lat_b) or km < 0:
        return empty, empty, np.zeros(0)
    dlat, dlon = _cell_degrees(km, max(np.abs(lat_a).max(), np.abs(lat_b).max()))
    near_lat, near_lon = dlat, dlon  # no pair within km is further apart, in either direction
    # Wider cells stay correct (only more candidates); at most MAX_CELLS per axis keeps the cell
    # numbers small when the distance is tiny against the area the points spread over.
    lats, lons = np.concatenate((lat_a, lat_b)), np.concatenate((lon_a, lon_b))
    dlat = max(dlat, float(np.ptp(lats)) / MAX_CELLS)
    dlon = max(dlon, float(np.ptp(lons)) / MAX_CELLS)
    row_a, col_a = np.floor(lat_a / dlat).astype(np.int64), np.floor(lon_a / dlon).astype(np.int64)
    row_b, col_b = np.floor(lat_b / dlat).astype(np.int64), np.floor(lon_b / dlon).astype(np.int64)
    row0, col0 = min(row_a.min(), row_b.min()) - 1, min(col_a.min(), col_b.min()) - 1
    width = max(col_a.max(), col_b.max()) - col0 + 2
    cell_b = (row_b - row0) * width + (col_b - col0)
    order = np.argsort(cell_b, kind="stable")
    runs = _Runs(cell_b[order], int((max(row_a.max(), row_b.max()) - row0 + 2) * width))
    found_i, found_j = [], []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            start, counts = runs.of((row_a - row0 + dr) * width + (col_a - col0 + dc))
            total = int(counts.sum())
            if not total:
                continue
            i = np.repeat(np.arange(len(lat_a)), counts)
            # position k of the run of point i is start[i] + (k - first position of that run)
            offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            found_i.append(i)
            found_j.append(order[np.repeat(start, counts) + offsets])
    if not found_i:
        return empty, empty, np.zeros(0)
    i, j = np.concatenate(found_i), np.concatenate(found_j)
    # Cheap tests first: the same label, and the box of the distance; trigonometry for the rest.
    keep = (np.abs(lat_a[i] - lat_b[j]) <= near_lat) & (np.abs(lon_a[i] - lon_b[j]) <= near_lon)
    if labels is not None:
        keep &= np.asarray(labels[0])[i] == np.asarray(labels[1])[j]
    i, j = i[keep], j[keep]
    d = haversine_km_array(lat_a[i], lon_a[i], lat_b[j], lon_b[j])
    keep = d <= km
    i, j, d = i[keep], j[keep], d[keep]
    by = np.lexsort((j, i))
    return i[by], j[by], d[by]


class _Runs:
    """Where each cell's points start in the cell-sorted order, and how many there are: a
    dense table when the grid is small enough (the usual case), else a binary search."""

    DENSE_CELLS = 20_000_000

    def __init__(self, sorted_cells: np.ndarray, n_cells: int):
        import numpy as np

        self.sorted_cells = sorted_cells
        self.dense = n_cells <= max(self.DENSE_CELLS, 4 * len(sorted_cells))
        if self.dense:
            self.count = np.bincount(sorted_cells, minlength=n_cells)
            self.start = np.cumsum(self.count) - self.count

    def of(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.dense:
            return self.start[cells], self.count[cells]
        import numpy as np

        start = np.searchsorted(self.sorted_cells, cells, side="left")
        return start, np.searchsorted(self.sorted_cells, cells, side="right") - start


def _cell_degrees(km: float, max_abs_lat: float) -> tuple[float, float]:
    """Cell size in degrees (latitude, longitude) such that two points within `km` of each
    other, both at latitudes of at most `max_abs_lat`, lie in the same or adjacent cells.

    From hav(d) = hav(dlat) + cos(lat1) cos(lat2) hav(dlon): dlat <= d / R, and
    sin(dlon / 2) <= sin(d / 2R) / cos(max_abs_lat)."""
    angle = max(km, 1e-9) / EARTH_RADIUS_KM
    dlat = math.degrees(angle)
    c = math.cos(math.radians(min(float(max_abs_lat), 89.0)))
    dlon = math.degrees(2 * math.asin(min(1.0, math.sin(angle / 2) / c)))
    return dlat * CELL_MARGIN, max(dlon, dlat) * CELL_MARGIN


# ---------------------------------------------------------------- travel times by road


class _TimeRow(Protocol):
    """A row of road time (model.TravelTime), without geo depending on the model."""

    @property
    def origin(self) -> str: ...
    @property
    def destination(self) -> str: ...
    @property
    def minutes(self) -> float: ...


@dataclass(frozen=True)
class Travel:
    """How long the trip between two places takes: the road minutes of the scenario's travel
    times where they name the pair (a row counts both ways unless the way back has its own
    row), else the straight-line estimate: km x `road_factor` at `speed_kmh`. Places are named
    by the codes the sheet uses (unit code, TPS id, region code). `places` names the points
    of those places (WGS84, as the scenario gives them), so travel between two points (a
    person's duties: an escort, a warehouse shift) takes the road time of the places there."""

    road_factor: float
    speed_kmh: float
    road_minutes: Mapping[tuple[str, str], float] = field(default_factory=dict)
    places: Mapping[tuple[float, float], str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        road_factor: float,
        speed_kmh: float,
        rows: Iterable[_TimeRow] = (),
        places: Mapping[tuple[float, float], str] | None = None,
    ) -> Travel:
        minutes: dict[tuple[str, str], float] = {}
        given = list(rows)
        for r in given:  # the way back first, so a row of its own wins
            minutes[(r.destination, r.origin)] = float(r.minutes)
        for r in given:
            minutes[(r.origin, r.destination)] = float(r.minutes)
        return cls(road_factor, speed_kmh, minutes, dict(places or {}) if minutes else {})

    @property
    def by_road(self) -> bool:
        return bool(self.road_minutes)

    def minutes(self, origin: str, destination: str, km: float) -> float:
        """Minutes from `origin` to `destination`, `km` apart in a straight line."""
        road = self.road_minutes.get((origin, destination))
        return road if road is not None else travel_minutes(self.road_factor * km, self.speed_kmh)

    def hours(self, lat1: float, lon1: float, lat2: float, lon2: float) -> float:
        """Hours from one point to the other: the road time of the places there where given."""
        a, b = self.places.get((lat1, lon1)), self.places.get((lat2, lon2))
        road = self.road_minutes.get((a, b)) if a is not None and b is not None else None
        if road is not None:
            return road / 60.0
        return road_km(lat1, lon1, lat2, lon2, self.road_factor) / self.speed_kmh

    def hours_from(self, lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        """Hours from a point to each of the points `lats`, `lons`, as `hours`."""
        import numpy as np

        n = len(lats)
        out = haversine_km_array(np.full(n, lat), np.full(n, lon), lats, lons) * self.road_factor / self.speed_kmh
        origin = self.places.get((lat, lon))
        if origin is None:
            return out
        for j, point in enumerate(zip(lats.tolist(), lons.tolist(), strict=True)):
            road = self.road_minutes.get((origin, self.places.get(point, "")))
            if road is not None:
                out[j] = road / 60.0
        return out

    def as_km(self, minutes: float) -> float:
        """The straight-line km the estimate covers in `minutes`: a road time as a distance, so
        one reach in straight-line km holds for both."""
        return minutes * self.speed_kmh / 60.0 / self.road_factor

    def reach_km(self, keys1: Sequence[str], keys2: Sequence[str], km: np.ndarray) -> np.ndarray:
        """`km` (straight-line, rows `keys1`, columns `keys2`) with each pair that has a road
        time replaced by that time `as_km`; the others as they are."""
        if not self.road_minutes:
            return km
        import numpy as np

        rows = {k: i for i, k in enumerate(keys1)}
        cols = {k: j for j, k in enumerate(keys2)}
        out = np.array(km, dtype=float, copy=True)
        for (a, b), minutes in self.road_minutes.items():
            if a in rows and b in cols:
                out[rows[a], cols[b]] = self.as_km(minutes)
        return out

    def pairs_within(
        self,
        keys1: Sequence[str],
        lat1: Points,
        lon1: Points,
        keys2: Sequence[str],
        lat2: Points,
        lon2: Points,
        km: float,
        labels: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`pairs_within_km` where a pair with a road time is judged by that time `as_km`: a
        pair the road makes too long is dropped, one it brings within reach is added."""
        i, j, d = pairs_within_km(lat1, lon1, lat2, lon2, km, labels)
        if not self.road_minutes:
            return i, j, d
        rows = {k: n for n, k in enumerate(keys1)}
        cols = {k: n for n, k in enumerate(keys2)}
        road = {(rows[a], cols[b]): self.as_km(m) for (a, b), m in self.road_minutes.items() if a in rows and b in cols}
        if labels is not None:
            road = {(r, c): v for (r, c), v in road.items() if labels[0][r] == labels[1][c]}
        found = {(int(r), int(c)): float(v) for r, c, v in zip(i, j, d, strict=True)} | road
        kept = sorted((r, c, v) for (r, c), v in found.items() if v <= km)
        import numpy as np

        if not kept:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        r_, c_, v_ = zip(*kept, strict=True)
        return np.array(r_, dtype=np.int64), np.array(c_, dtype=np.int64), np.array(v_, dtype=float)
