"""Region boundaries in the console: a planner imports a GeoJSON file on the regions page (checked
by the core, stored, audited), nothing is stored when it is refused, a viewer may not import,
and the map's endpoint gives a sector chief his own kecamatan only."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from siaga.audit.models import AuditEntry
from siaga.operations.models import RegionBoundary
from tests.web.conftest import OTHER_SECTOR, SECTOR


def square(lon: float, lat: float, size: float = 0.01) -> list[list[list[float]]]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return [ring]


def boundary_file(operation: Any, broken: bool = False) -> SimpleUploadedFile:
    """A small file written here: the kecamatan of two sectors and one desa of each, with an
    undotted code, a code the operation does not have, and (`broken`) an open ring."""
    desa = {
        k: operation.regions.filter(level="DESA", kecamatan_code=k).order_by("code").first()
        for k in (SECTOR, OTHER_SECTOR)
    }
    features = []
    for i, k in enumerate((SECTOR, OTHER_SECTOR)):
        lon = 112.8 + i * 0.1
        features.append({"code": k, "geometry": square(lon, -7.7, 0.05)})
        features.append({"code": desa[k].code.replace(".", ""), "geometry": square(lon, -7.7)})
    features.append({"code": "35.99.01.2001", "geometry": square(112.9, -7.6)})
    if broken:
        features[1]["geometry"] = [features[1]["geometry"][0][:-1] + [[112.805, -7.695]]]
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": f["code"]},
                "geometry": {"type": "Polygon", "coordinates": f["geometry"]},
            }
            for f in features
        ],
    }
    return SimpleUploadedFile("batas.geojson", json.dumps(data).encode(), content_type="application/geo+json")


def upload(client: Any, operation: Any, file: SimpleUploadedFile) -> Any:
    return client.post(reverse("boundaries_import", args=[operation.pk]), {"file": file})


def test_a_planner_imports_boundaries_from_the_regions_page(as_planner, operation):
    page = as_planner.get(reverse("regions_list", args=[operation.pk]))
    assert reverse("boundaries_import", args=[operation.pk]).encode() in page.content
    assert b"Impor batas wilayah" in page.content
    response = upload(as_planner, operation, boundary_file(operation))
    assert response.status_code == 302 and response["Location"] == reverse("regions_list", args=[operation.pk])
    stored = {b.code: b for b in RegionBoundary.objects.filter(operation=operation)}
    assert set(stored) == {SECTOR, OTHER_SECTOR} | {c for c in stored if c.count(".") == 3}
    assert len(stored) == 4
    assert all(b.geometry["type"] == "MultiPolygon" for b in stored.values())
    desa = next(b for b in stored.values() if b.level == "DESA" and b.kecamatan_code == SECTOR)
    assert desa.code.startswith(SECTOR + ".")
    entry = AuditEntry.objects.filter(action="import_boundaries", operation_id=operation.pk).get()
    assert entry.after["boundaries"] == 4 and entry.after["skipped"] == 1
    shown = as_planner.get(response["Location"]).content.decode()
    assert "Batas wilayah disimpan: 4 wilayah dari batas.geojson." in shown
    assert "kode 35.99.01.2001" in shown  # the skipped feature named
    assert "wilayah operasi belum memiliki batas" in shown


def test_a_refused_file_stores_nothing_and_names_the_feature(as_planner, operation):
    response = upload(as_planner, operation, boundary_file(operation, broken=True))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Fitur ke-2 (kode " in text and "tidak tertutup" in text
    assert "Tidak ada yang disimpan" in text
    assert not RegionBoundary.objects.filter(operation=operation).exists()
    assert not AuditEntry.objects.filter(action="import_boundaries").exists()
    not_geojson = SimpleUploadedFile("batas.geojson", b'{"type": "Feature"}')
    response = upload(as_planner, operation, not_geojson)
    assert response.status_code == 400 and "FeatureCollection" in response.content.decode()
    assert not RegionBoundary.objects.filter(operation=operation).exists()


def test_a_viewer_may_not_import_boundaries(as_viewer, as_sector, operation):
    for client in (as_viewer, as_sector):
        assert client.get(reverse("boundaries_import", args=[operation.pk])).status_code == 403
        assert upload(client, operation, boundary_file(operation)).status_code == 403
        page = client.get(reverse("regions_list", args=[operation.pk]))
        assert reverse("boundaries_import", args=[operation.pk]).encode() not in page.content
    assert not RegionBoundary.objects.filter(operation=operation).exists()


def test_the_map_gets_the_boundaries_a_user_may_see(as_planner, as_sector, as_field_officer, operation):
    assert upload(as_planner, operation, boundary_file(operation)).status_code == 302
    url = reverse("geo_boundaries", args=[operation.pk])

    def features(client: Any) -> dict[str, Any]:
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
        return json.loads(response.content)

    whole = features(as_planner)
    levels = sorted(f["properties"]["level"] for f in whole["features"])
    assert levels == ["DESA", "DESA", "KECAMATAN", "KECAMATAN", "OUTLINE"] and whole["fit"] is False
    names = dict(operation.regions.values_list("code", "name"))
    for f in whole["features"]:
        p = f["properties"]
        if p["level"] != "OUTLINE":
            assert p["name"] == names[p["code"]]  # named as the operation names it
            assert f["geometry"]["type"] == "MultiPolygon"
    (edge,) = [f for f in whole["features"] if f["properties"]["level"] == "OUTLINE"]
    assert edge["geometry"]["type"] == "MultiLineString" and len(edge["geometry"]["coordinates"]) == 2

    own = features(as_sector)
    assert {f["properties"].get("kecamatan") for f in own["features"]} == {SECTOR, None}
    assert {f["properties"].get("code") for f in own["features"]} >= {SECTOR}
    assert len(own["features"]) == 3 and own["fit"] is True  # his kecamatan, its desa, its outline
    assert as_field_officer.get(url).status_code == 403


def test_the_map_page_names_the_boundary_endpoint(as_sector, operation):
    page = as_sector.get(reverse("map", args=[operation.pk])).content.decode()
    assert f'data-boundaries="{reverse("geo_boundaries", args=[operation.pk])}"' in page
