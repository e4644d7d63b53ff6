"""The map loads by view: the TPS and posts inside its bounding box only, counted per region by
the database when a zoomed-out view holds too many, and a sector chief's view over another
sector holds nothing of it (siaga/operations/viewport.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db.models import Max, Min

from siaga.operations import viewport
from siaga.operations.models import Region, Tps
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR


def get(client: Any, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def extent(operation: Any, **where: Any) -> tuple[float, float, float, float]:
    """west, south, east, north of the operation's TPS matching `where`."""
    e = Tps.objects.filter(operation=operation, **where).aggregate(
        w=Min("lon"), s=Min("lat"), e=Max("lon"), n=Max("lat")
    )
    return e["w"], e["s"], e["e"], e["n"]


def bbox(box: tuple[float, float, float, float]) -> str:
    return ",".join(f"{x:.6f}" for x in box)


def inside(box: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    west, south, east, north = (round(x, 6) for x in box)
    return south <= lat <= north and west <= lon <= east


def western_half(operation: Any) -> tuple[float, float, float, float]:
    west, south, east, north = extent(operation)
    return west, south, (west + east) / 2, north


# ---------------------------------------------------------------- only what is in view


def test_a_bbox_gives_only_the_tps_inside_it(as_planner, operation):
    box = western_half(operation)
    data = get(as_planner, f"/ops/{operation.pk}/geo/tps.geojson?bbox={bbox(box)}&zoom=14")
    expected = {c for c, lat, lon in operation.tps_set.values_list("code", "lat", "lon") if inside(box, lat, lon)}
    assert 0 < len(expected) < 152
    assert {f["properties"]["code"] for f in data["features"]} == expected
    assert data["total"] == len(expected) and data["clusters"] == "" and data["truncated"] is False


def test_a_bbox_gives_only_the_posts_inside_it_with_their_staffing(as_planner, operation, plan):
    box = western_half(operation)
    data = get(as_planner, f"/ops/{operation.pk}/geo/posts.geojson?plan={plan.pk}&bbox={bbox(box)}&zoom=14")
    whole = plan_file(plan)
    expected = {p["id"] for p in whole["posts"] if inside(box, p["lat"], p["lon"])}
    assert 0 < len(expected) < len(whole["posts"])
    assert {f["properties"]["id"] for f in data["features"]} == expected
    assigned = {f["properties"]["id"]: sum(f["properties"]["assigned"].values()) for f in data["features"]}
    for post in expected:
        assert assigned[post] == sum(1 for a in whole["assignments"] if a["post"] == post)
    assert data["too_many"] is False
    assert all(inside(box, *e["geometry"]["coordinates"][::-1]) for e in data["escorts"])


def test_a_view_with_nothing_in_it_gives_nothing(as_planner, operation):
    data = get(as_planner, f"/ops/{operation.pk}/geo/tps.geojson?bbox=100,-1,100.1,-0.9&zoom=5")
    assert data["features"] == [] and data["total"] == 0


@pytest.mark.parametrize("view", ["bbox=1,2,3", "bbox=a,b,c,d", "bbox=10,0,5,1", "bbox=0,0,1,1&zoom=jauh"])
def test_it_refuses_a_view_the_map_would_never_send(as_planner, operation, view):
    for endpoint in ("tps", "posts"):
        response = as_planner.get(f"/ops/{operation.pk}/geo/{endpoint}.geojson?{view}")
        assert response.status_code == 400 and json.loads(response.content)["error"]


# ---------------------------------------------------------------- many TPS: counted per region


@pytest.fixture
def many_tps(operation):
    """3,000 more TPS in the sector's desa, beside its own: more than a zoomed-out view draws."""
    model = Tps.objects.filter(operation=operation, kecamatan_code=SECTOR).order_by("pk")
    first = list(model[:3])
    extra = []
    for i in range(viewport.CLUSTER_ABOVE):
        t = first[i % 3]
        extra.append(
            Tps(
                operation=operation,
                code=f"X{i:05d}",
                number=900 + i,
                desa_code=t.desa_code,
                kecamatan_code=t.kecamatan_code,
                lat=t.lat + 0.0001 * (i % 50),
                lon=t.lon + 0.0001 * (i // 50 % 50),
                voters=200,
                effective_category="RAWAN" if i % 2 else "KURANG_RAWAN",
                model_category="KURANG_RAWAN",
                score=1.0,
            )
        )
    Tps.objects.bulk_create(extra, batch_size=1000)
    return operation.tps_set.count()


def counts(operation: Any, key: str, **where: Any) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for code, category in Tps.objects.filter(operation=operation, **where).values_list(key, "effective_category"):
        out.setdefault(code, {}).setdefault(category, 0)
        out[code][category] += 1
    return out


def test_a_zoomed_out_view_of_many_tps_gets_them_counted_per_kecamatan(as_planner, operation, many_tps):
    data = get(as_planner, f"/ops/{operation.pk}/geo/tps.geojson?zoom=9")
    assert data["clusters"] == "kecamatan" and data["total"] == many_tps
    features = [f["properties"] for f in data["features"]]
    assert all(p["cluster"] for p in features) and sum(p["count"] for p in features) == many_tps
    expected = counts(operation, "kecamatan_code")
    assert {p["code"]: {c: n for c, n in p["categories"].items() if n} for p in features} == expected
    sector = next(p for p in features if p["code"] == SECTOR)
    assert sector["name"] == "Pohjentrek"
    tps = Tps.objects.filter(operation=operation, kecamatan_code=SECTOR)
    lats = tps.values_list("lat", flat=True)
    assert min(lats) <= sector["lat"] <= max(lats)  # at the mean point of its TPS


def test_zooming_in_gives_desa_then_each_tps(as_planner, operation, many_tps):
    box = bbox(extent(operation, kecamatan_code=SECTOR))
    desa = get(as_planner, f"/ops/{operation.pk}/geo/tps.geojson?bbox={box}&zoom=12")
    assert desa["clusters"] == "desa"
    in_box = Tps.objects.filter(operation=operation, kecamatan_code=SECTOR)
    assert {f["properties"]["code"] for f in desa["features"]} >= set(in_box.values_list("desa_code", flat=True))
    names = dict(Region.objects.filter(operation=operation).values_list("code", "name"))
    assert all(f["properties"]["name"] == names[f["properties"]["code"]] for f in desa["features"])
    each = get(as_planner, f"/ops/{operation.pk}/geo/tps.geojson?bbox={box}&zoom=16")
    assert each["clusters"] == "" and not any(f["properties"].get("cluster") for f in each["features"])
    assert len(each["features"]) == each["total"] >= viewport.CLUSTER_ABOVE


def test_a_view_beyond_the_cap_is_cut_and_says_so(as_planner, operation, monkeypatch):
    monkeypatch.setattr(viewport, "TPS_CAP", 40)
    monkeypatch.setattr(viewport, "POST_CAP", 30)
    tps = get(as_planner, f"/ops/{operation.pk}/geo/tps.geojson?bbox=-180,-90,180,90&zoom=16")
    assert len(tps["features"]) == 40 and tps["total"] == 152 and tps["truncated"] is True
    posts = get(as_planner, f"/ops/{operation.pk}/geo/posts.geojson?bbox=-180,-90,180,90&zoom=16")
    assert posts["features"] == [] and posts["too_many"] is True and posts["total"] > 30


def test_the_whole_ground_without_a_bbox_is_as_before_for_a_polres(as_planner, operation):
    data = get(as_planner, f"/ops/{operation.pk}/geo/tps.geojson")
    assert len(data["features"]) == data["total"] == 152 and data["clusters"] == ""


# ---------------------------------------------------------------- the sector chief


def test_a_sector_chiefs_view_over_another_sector_holds_nothing_of_it(as_sector, as_planner, operation, plan):
    other = bbox(extent(operation, kecamatan_code=OTHER_SECTOR))
    seen_by_planner = get(as_planner, f"/ops/{operation.pk}/geo/tps.geojson?bbox={other}&zoom=14")["features"]
    assert any(f["properties"]["kecamatan"] == "Lekok" for f in seen_by_planner)
    tps = get(as_sector, f"/ops/{operation.pk}/geo/tps.geojson?bbox={other}&zoom=14")
    assert all(f["properties"]["kecamatan"] == "Pohjentrek" for f in tps["features"])
    posts = get(as_sector, f"/ops/{operation.pk}/geo/posts.geojson?plan={plan.pk}&bbox={other}&zoom=14")
    assert all(f["properties"]["kecamatan_code"] == SECTOR for f in posts["features"])
    assert all(e["properties"]["kecamatan_code"] == SECTOR for e in posts["escorts"])
    own = bbox(extent(operation, kecamatan_code=SECTOR))
    mine = get(as_sector, f"/ops/{operation.pk}/geo/tps.geojson?bbox={own}&zoom=14")
    assert len(mine["features"]) == 22


def test_a_sector_chiefs_clusters_count_only_his_kecamatan(as_sector, operation, many_tps):
    data = get(as_sector, f"/ops/{operation.pk}/geo/tps.geojson?bbox=-180,-90,180,90&zoom=8")
    assert data["clusters"] == "kecamatan"
    assert [f["properties"]["code"] for f in data["features"]] == [SECTOR]
    assert data["total"] == Tps.objects.filter(operation=operation, kecamatan_code=SECTOR).count()
