"""What the map asks for: the part of the ground in its view (`?bbox=west,south,east,north`) at
its zoom (`?zoom=`), so that 100,000 TPS never travel to the browser at once.

A view with few TPS gets them one by one (at most `TPS_CAP`); a zoomed-out view with more than
`CLUSTER_ABOVE` gets them counted by region instead, by the database (one GROUP BY): per
kecamatan below `DESA_ZOOM`, per desa from there, each at the mean point of its TPS in view
with its count by category. No bbox: the whole ground the user sees."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import QueryDict

from siaga.operations.labels import CATEGORY_LABELS

CLUSTER_ABOVE = 3000  # TPS in a zoomed-out view beyond which it gets regions, not points
DETAIL_ZOOM = 14  # from this zoom on, TPS one by one whatever their number (up to the cap)
DESA_ZOOM = 11  # clusters per desa from this zoom on, per kecamatan below it
TPS_CAP = 5000  # the most TPS in one answer
POST_CAP = 3000  # the most posts in one answer; more: none, and the map asks to zoom in
MAX_ZOOM = 22


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float

    def lookups(self, lat: str = "lat", lon: str = "lon") -> Q:
        """The rows whose point lies in the box (edges included)."""
        return Q(
            **{f"{lat}__gte": self.south, f"{lat}__lte": self.north, f"{lon}__gte": self.west, f"{lon}__lte": self.east}
        )

    def holds(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


class BadView(ValueError):
    """A bbox or zoom the map would never send."""


def box_of(params: QueryDict) -> Box | None:
    """The `bbox` asked for (None: the whole ground); BadView when it is not four numbers
    west,south,east,north with west <= east, south <= north, on Earth."""
    text = params.get("bbox", "").strip()
    if not text:
        return None
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise BadView(text) from None
    values = (west, south, east, north)
    if not all(math.isfinite(v) for v in values) or west > east or south > north:
        raise BadView(text)
    # Leaflet gives longitudes beyond ±180 when the world wraps: clamp them, the TPS are on Earth
    return Box(max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0))


def zoom_of(params: QueryDict) -> int:
    """The map's zoom (0 when not given: the whole ground, as zoomed out as it gets)."""
    text = params.get("zoom", "").strip()
    if not text:
        return 0
    try:
        zoom = float(text)
    except ValueError:
        raise BadView(text) from None
    if not math.isfinite(zoom):
        raise BadView(text)
    return int(min(max(zoom, 0), MAX_ZOOM))


def cluster_level(count: int, zoom: int) -> str:
    """ "kecamatan" or "desa" when `count` TPS at `zoom` are drawn as regions, "" when one by one."""
    if count <= CLUSTER_ABOVE or zoom >= DETAIL_ZOOM:
        return ""
    return "kecamatan" if zoom < DESA_ZOOM else "desa"


def clusters(tps: QuerySet[Any, Any], level: str) -> list[dict[str, Any]]:
    """The TPS counted per region (`level`: "kecamatan" or "desa") by the database: its code,
    the mean point of its TPS, their number and their number by category."""
    key = f"{level}_code"
    by_category = {f"n_{c}": Count("id", filter=Q(effective_category=c)) for c in CATEGORY_LABELS}
    rows = (
        tps.order_by()
        .values(key)
        .annotate(count=Count("id"), lat=Avg("lat"), lon=Avg("lon"), **by_category)
        .order_by(key)
    )
    return [
        {
            "code": r[key],
            "lat": r["lat"],
            "lon": r["lon"],
            "count": r["count"],
            "categories": {c: r[f"n_{c}"] for c in CATEGORY_LABELS},
        }
        for r in rows
    ]
