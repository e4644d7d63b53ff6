"""The live map's data: each post's pergeseran status and open incidents in the posts GeoJSON,
and a plan's open incidents as GeoJSON, scoped to the caller's kecamatan."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.test import Client

from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    """The field works on the operation's published plan."""
    return publish(plan)


_keys = itertools.count()


CLOSE = {"disposition": "selesai_di_tempat", "note": "selesai", "confirmed": True}


def post(client: Client, url: str, body: Any = None) -> Any:
    headers = {"Idempotency-Key": f"map-{next(_keys)}"}
    return client.post(url, "" if body is None else body, content_type="application/json", headers=headers)


def post_in(plan: Plan, kecamatan: str) -> dict[str, Any]:
    return next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == kecamatan and p["kind"] == "TPS")


def posts_geojson(client: Client, plan: Plan) -> dict[str, dict[str, Any]]:
    response = client.get(f"/ops/{plan.operation_id}/geo/posts.geojson?plan={plan.pk}")
    assert response.status_code == 200
    return {f["properties"]["id"]: f["properties"] for f in json.loads(response.content)["features"]}


def test_the_posts_carry_their_status_and_open_incidents(as_planner, plan):
    mine, other = post_in(plan, SECTOR), post_in(plan, OTHER_SECTOR)
    before = posts_geojson(as_planner, plan)
    assert before[other["id"]]["status"] == "belum_berangkat" and before[other["id"]]["in_place"] is False
    assert post(as_planner, f"/api/plans/{plan.pk}/posts/{mine['id']}/status", {"status": "tiba"}).status_code == 201
    body = {"kind": "kericuhan", "severity": 2, "tps_code": mine["tps"][0]}
    incident = post(as_planner, f"/api/plans/{plan.pk}/incidents", body)
    assert incident.status_code == 201
    after = posts_geojson(as_planner, plan)
    assert after[mine["id"]]["status"] == "tiba" and after[mine["id"]]["in_place"] is True
    assert after[mine["id"]]["open_incidents"] == before[mine["id"]]["open_incidents"] + 1
    url = f"/api/incidents/{incident.json()['id']}/close"
    assert post(as_planner, url, CLOSE).status_code == 200
    assert posts_geojson(as_planner, plan)[mine["id"]]["open_incidents"] == before[mine["id"]]["open_incidents"]


def test_the_map_page_knows_where_to_refresh_from(as_planner, plan):
    page = as_planner.get(f"/ops/{plan.operation_id}/map/?plan={plan.pk}").content.decode()
    assert '"api_url": "/api/"' in page and '"refresh_seconds": 10' in page


def test_the_incidents_geojson_is_open_incidents_in_scope(as_planner, as_sector, plan):
    mine, other = post_in(plan, SECTOR), post_in(plan, OTHER_SECTOR)
    ids = {}
    for name, p in (("mine", mine), ("other", other), ("closed", mine)):
        response = post(
            as_planner, f"/api/plans/{plan.pk}/incidents", {"kind": name, "severity": 1, "post_id": p["id"]}
        )
        ids[name] = response.json()["id"]
    assert post(as_planner, f"/api/incidents/{ids['closed']}/close", CLOSE).status_code == 200
    url = f"/api/plans/{plan.pk}/incidents.geojson"
    everything = as_planner.get(url).json()
    assert everything["type"] == "FeatureCollection"
    seen = {f["properties"]["id"] for f in everything["features"]}
    assert {ids["mine"], ids["other"]} <= seen and ids["closed"] not in seen
    feature = next(f for f in everything["features"] if f["properties"]["id"] == ids["mine"])
    assert feature["geometry"]["coordinates"] == [mine["lon"], mine["lat"]]
    sector = {f["properties"]["id"] for f in as_sector.get(url).json()["features"]}
    assert ids["mine"] in sector and ids["other"] not in sector
    assert Client().get(url).status_code == 401
    assert as_planner.get("/api/plans/999999/incidents.geojson").status_code == 404
