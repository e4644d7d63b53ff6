"""An operation's region boundaries in the database: stored from a checked GeoJSON file
(siaga.core.data.boundaries) and given back as GeoJSON for the map, with the outer edge of its
kecamatan (the Polres jurisdiction, or a sector chief's kecamatan)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from siaga.audit.log import record
from siaga.core.data.boundaries import OUTSIDE_M, Boundaries, Outside, outer_rings, tps_outside
from siaga.operations.models import Operation, RegionBoundary

VILLAGE = ("DESA", "KELURAHAN")
DRAWN = ("KECAMATAN", *VILLAGE)


def store_boundaries(
    operation: Operation,
    found: Boundaries,
    source_name: str,
    request: HttpRequest | None = None,
    user: Any = None,
) -> int:
    """Replace the operation's boundaries with `found` (audited); the number stored."""
    kecamatan_of = dict(operation.regions.values_list("code", "kecamatan_code"))
    rows = [
        RegionBoundary(
            operation=operation,
            code=b.code,
            name=b.name,
            level=b.level,
            kecamatan_code=b.code if b.level == "KECAMATAN" else (kecamatan_of.get(b.code) or ""),
            lat=b.lat,
            lon=b.lon,
            geometry=dict(b.geometry),
        )
        for b in found.boundaries
    ]
    with transaction.atomic():
        before = operation.boundaries.count()
        operation.boundaries.all().delete()
        RegionBoundary.objects.bulk_create(rows)
        record(
            request,
            "import_boundaries",
            "operation",
            operation.pk,
            operation_id=operation.pk,
            before={"boundaries": before},
            after={
                "boundaries": len(rows),
                "source": source_name[:200],
                "skipped": found.skipped,
                "missing": len(found.missing),
            },
            user=user,
        )
    return len(rows)


def boundaries_geojson(operation: Operation, rows: Any) -> dict[str, Any]:
    """The kecamatan and desa/kelurahan of `rows` (already scoped) as a FeatureCollection, each
    named as the operation names it, and one feature `OUTLINE` (a MultiLineString): the outer
    edge of the kecamatan shown."""
    names = dict(operation.regions.values_list("code", "name"))
    features: list[dict[str, Any]] = []
    kecamatan = []
    for code, name, level, kec, lat, lon, geometry in rows.filter(level__in=DRAWN).values_list(
        "code", "name", "level", "kecamatan_code", "lat", "lon", "geometry"
    ):
        if level == "KECAMATAN":
            kecamatan.append(geometry)
        properties = {"code": code, "name": names.get(code, name), "level": level, "kecamatan": kec, "lat": lat}
        features.append({"type": "Feature", "properties": {**properties, "lon": lon}, "geometry": geometry})
    if kecamatan:
        edge = {"type": "MultiLineString", "coordinates": outer_rings(kecamatan)}
        features.append({"type": "Feature", "properties": {"level": "OUTLINE"}, "geometry": edge})
    return {"type": "FeatureCollection", "features": features}


def outside_m() -> int:
    """How far outside its desa's outline a TPS may lie before it is named (a setting)."""
    return int(getattr(settings, "SIAGA_TPS_OUTSIDE_M", OUTSIDE_M))


def village_outlines(operation: Operation, desa: Iterable[str]) -> dict[str, Any]:
    """The stored outlines of these desa/kelurahan, by code (GeoJSON geometry)."""
    rows = operation.boundaries.filter(code__in=set(desa), level__in=VILLAGE)
    return dict(rows.values_list("code", "geometry"))


def outside_their_desa(
    operation: Operation, tps: Iterable[tuple[str, str, float | None, float | None]]
) -> list[Outside]:
    """The TPS of `tps` ((id, desa code, lat, lon) each) lying outside their desa's outline
    stored with `operation` by more than the setting allows, in the order given."""
    tps = list(tps)
    return tps_outside(tps, village_outlines(operation, {t[1] for t in tps}), outside_m())
