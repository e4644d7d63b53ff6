"""The map: TPS and posts as GeoJSON (scoped to the sector, filterable, a plan only of this
operation), and pages that load nothing from another host unless a tile URL is configured."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.test import override_settings
from django.urls import resolve

import siaga
from siaga.audit.models import AuditEntry
from siaga.operations.models import Operation, Person, RegionBoundary, Tps
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, copy_plan

MAP_JS = Path(siaga.__file__).parent / "static" / "siaga" / "map.js"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


def geojson(client: Any, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert_feature_collection(data)
    return data


def assert_feature_collection(data: dict[str, Any]) -> None:
    """The parts of RFC 7946 a map relies on: points as [lon, lat] on Earth, properties."""
    assert data["type"] == "FeatureCollection" and isinstance(data["features"], list)
    for f in data["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        assert f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def foreign_hosts(text: str) -> list[str]:
    return [u for u in re.findall(r"https?://[^\s\"'<>)]+", text) if not u.startswith(SVG_NAMESPACE)]


def map_config(html: str) -> dict[str, Any]:
    return json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S)[1])


# ---------------------------------------------------------------- TPS


def test_it_gives_every_tps_as_a_feature_to_the_planner(as_planner, operation):
    data = geojson(as_planner, f"/ops/{operation.pk}/geo/tps.geojson")
    assert len(data["features"]) == 152
    first = Tps.objects.filter(operation=operation).first()
    feature = next(f for f in data["features"] if f["properties"]["code"] == first.code)
    assert feature["geometry"]["coordinates"] == [first.lon, first.lat]
    props = feature["properties"]
    assert props["desa"] == "Jeruk" and props["kecamatan"] == "Kraton"
    assert (props["category"], props["score"], props["voters"]) == (
        first.effective_category,
        first.score,
        first.voters,
    )
    assert resolve(props["url"]).url_name == "tps_detail"


def test_it_gives_a_sector_chief_only_their_kecamatan(as_sector, operation):
    features = geojson(as_sector, f"/ops/{operation.pk}/geo/tps.geojson")["features"]
    assert len(features) == 22
    assert {f["properties"]["kecamatan"] for f in features} == {"Pohjentrek"}
    # asking for another kecamatan gives nothing rather than that kecamatan
    assert geojson(as_sector, f"/ops/{operation.pk}/geo/tps.geojson?kecamatan={OTHER_SECTOR}")["features"] == []


@pytest.mark.parametrize(
    ("query", "lookup"),
    [
        (f"kecamatan={OTHER_SECTOR}", {"kecamatan_code": OTHER_SECTOR}),
        ("category=SANGAT_RAWAN", {"effective_category": "SANGAT_RAWAN"}),
        (
            "category=KURANG_RAWAN&kecamatan=35.14.16",
            {"effective_category": "KURANG_RAWAN", "kecamatan_code": "35.14.16"},
        ),
        ("source=override", {"category": "SANGAT_RAWAN"}),
    ],
)
def test_it_filters_the_tps(as_planner, operation, query, lookup):
    features = geojson(as_planner, f"/ops/{operation.pk}/geo/tps.geojson?{query}")["features"]
    expected = set(Tps.objects.filter(operation=operation, **lookup).values_list("code", flat=True))
    assert expected and {f["properties"]["code"] for f in features} == expected


def test_it_refuses_an_unknown_category(as_planner, operation):
    for endpoint in ("tps", "posts"):
        response = as_planner.get(f"/ops/{operation.pk}/geo/{endpoint}.geojson?category=SEDANG")
        assert response.status_code == 400 and "SEDANG" in json.loads(response.content)["error"]


# ---------------------------------------------------------------- posts


def test_it_gives_the_posts_of_the_latest_plan_with_their_staffing(as_planner, operation, plan):
    data = geojson(as_planner, f"/ops/{operation.pk}/geo/posts.geojson")
    features = data["features"]
    assert data["plan"] == {"id": plan.pk, "version": plan.version}
    assert len(features) == len(plan_file(plan)["posts"]) == 152 + 21 + 3
    kinds = [f["properties"]["kind"] for f in features]
    assert (kinds.count("TPS"), kinds.count("VILLAGE"), kinds.count("RESERVE")) == (152, 21, 3)
    assigned = sum(sum(f["properties"]["assigned"].values()) for f in features)
    assert assigned == len(plan_file(plan)["assignments"]) == 630
    required = sum(sum(f["properties"]["required"].values()) for f in features)
    assert required == assigned + sum(f["properties"]["unfilled"] for f in features)
    tps_post = next(f["properties"] for f in features if f["properties"]["kind"] == "TPS")
    assert tps_post["tps"] and set(tps_post) >= {"id", "category", "required", "assigned"}


def test_it_draws_the_reach_of_each_reserve_team(as_planner, operation):
    features = geojson(as_planner, f"/ops/{operation.pk}/geo/posts.geojson")["features"]
    reserves = [f["properties"] for f in features if f["properties"]["kind"] == "RESERVE"]
    # 30 km/h for 30 minutes, straight line with a road factor of 1.3
    assert reserves and all(r["reach_km"] == pytest.approx(30 * 30 / 60 / 1.3, abs=1e-3) for r in reserves)
    assert all("reach_km" not in f["properties"] for f in features if f["properties"]["kind"] != "RESERVE")


def test_it_gives_a_sector_chief_only_the_posts_of_their_kecamatan(as_sector, operation, plan):
    features = geojson(as_sector, f"/ops/{operation.pk}/geo/posts.geojson?plan={plan.pk}")["features"]
    expected = [p["id"] for p in plan_file(plan)["posts"] if p["kecamatan_code"] == SECTOR]
    assert expected and [f["properties"]["id"] for f in features] == expected


def test_it_filters_the_posts(as_planner, operation, plan):
    url = f"/ops/{operation.pk}/geo/posts.geojson?plan={plan.pk}"
    by_category = geojson(as_planner, url + "&category=SANGAT_RAWAN")["features"]
    assert by_category and {f["properties"]["category"] for f in by_category} == {"SANGAT_RAWAN"}
    by_kecamatan = geojson(as_planner, url + f"&kecamatan={OTHER_SECTOR}")["features"]
    assert by_kecamatan and {f["properties"]["kecamatan_code"] for f in by_kecamatan} == {OTHER_SECTOR}


def test_it_refuses_a_plan_of_another_operation(as_planner, operation, plan):
    other = Operation.objects.create(name="Operasi lain", election_date=dt.date(2024, 2, 14), pattern="pemilu-2024")
    foreign = copy_plan(plan, other)
    url = f"/ops/{operation.pk}/geo/posts.geojson?plan="
    assert as_planner.get(url + str(foreign.pk)).status_code == 404
    assert as_planner.get(url + "banyak").status_code == 404
    assert as_planner.get(f"/ops/{operation.pk}/map/?plan={foreign.pk}").status_code == 404
    assert as_planner.get(f"/ops/{other.pk}/geo/posts.geojson?plan={foreign.pk}").status_code == 200


def test_it_gives_no_posts_before_any_plan(as_planner):
    other = Operation.objects.create(name="Belum direncanakan", election_date=dt.date(2024, 2, 14), pattern="x")
    data = geojson(as_planner, f"/ops/{other.pk}/geo/posts.geojson")
    assert data["features"] == [] and data["plan"] is None


# ---------------------------------------------------------------- the pages


@override_settings(SIAGA_TILE_URL="", SIAGA_TILE_ATTRIBUTION="")
def test_it_loads_nothing_from_another_host_without_a_tile_url(as_planner, operation):
    for page in ("map", "vulnerability"):
        html = as_planner.get(f"/ops/{operation.pk}/{page}/").content.decode()
        assert 'id="map"' in html and "/static/siaga/map.js" in html
        assert "/static/vendor/leaflet-1.9.4/leaflet.js" in html
        assert foreign_hosts(html) == [], page
        assert map_config(html)["tile_url"] == ""
    assert foreign_hosts(MAP_JS.read_text(encoding="utf-8")) == []


@override_settings(SIAGA_TILE_URL=TILES, SIAGA_TILE_ATTRIBUTION="© Contoh Peta")
def test_it_passes_the_configured_tile_url_to_the_map(as_planner, operation):
    html = as_planner.get(f"/ops/{operation.pk}/map/").content.decode()
    config = map_config(html)
    assert config["tile_url"] == TILES and config["tile_attribution"] == "© Contoh Peta"
    assert TILES in html
    assert "Tanpa peta dasar" not in html


def test_it_sets_up_the_map_for_the_sectors_own_ground(as_sector, operation, plan):
    html = as_sector.get(f"/ops/{operation.pk}/map/").content.decode()
    config = map_config(html)
    assert config["plan"] == plan.pk
    assert config["tps_url"] == f"/ops/{operation.pk}/geo/tps.geojson"
    assert {p["name"] for p in config["places"] if p["kecamatan"]} == {"Pohjentrek"}
    assert len([p for p in config["places"] if not p["kecamatan"]]) == 3
    options = re.search(r'<select name="kecamatan">(.*?)</select>', html, re.S)[1]
    assert SECTOR in options and OTHER_SECTOR not in options


# ---------------------------------------------------------------- what the popups name


def _leaders(plan: Any) -> dict[str, set[str]]:
    """Post id -> the people assigned to it (by NRP/NIK), from the plan file."""
    crew: dict[str, set[str]] = {}
    for a in plan_file(plan)["assignments"]:
        crew.setdefault(a["post"], set()).add(a["person"])
    return crew


def test_each_post_names_its_leader_with_his_phone_and_its_page(as_planner, operation, plan):
    features = geojson(as_planner, f"/ops/{operation.pk}/geo/posts.geojson")["features"]
    people = {p.code: p for p in Person.objects.filter(operation=operation)}
    crew = _leaders(plan)
    led = [f["properties"] for f in features if f["properties"]["leader"]]
    assert len(led) == len([f for f in features if crew.get(f["properties"]["id"])])
    for p in led:
        leader = next(people[c] for c in crew[p["id"]] if str(people[c]) == p["leader"]["name"])
        assert p["leader"]["phone"] == leader.phone
        assert leader.force in ("POLRI", "BRIMOB") or all(
            people[c].force not in ("POLRI", "BRIMOB") for c in crew[p["id"]]
        )
        assert p["url"] == f"/plans/{plan.pk}/?post={quote(p['id'])}#{p['id']}" and p["name"]
    # the post's name is the Sprin's, not its code
    assert all(f["properties"]["name"] != f["properties"]["id"] for f in features if f["properties"]["kind"] == "TPS")


def test_a_sector_chief_gets_the_leaders_of_his_kecamatan_only_and_the_read_is_audited(as_sector, operation, plan):
    features = geojson(as_sector, f"/ops/{operation.pk}/geo/posts.geojson")["features"]
    own = {p.code for p in Person.objects.filter(operation=operation)}
    crew = _leaders(plan)
    assert features and all(f["properties"]["kecamatan_code"] == SECTOR for f in features)
    names = {f["properties"]["leader"]["name"] for f in features if f["properties"]["leader"]}
    in_sector = {c for f in features for c in crew.get(f["properties"]["id"], ())}
    assert names and names <= {str(p) for p in Person.objects.filter(operation=operation, code__in=in_sector & own)}
    # his map polls every few seconds: one audit entry of the roster read, not one per poll
    geojson(as_sector, f"/ops/{operation.pk}/geo/posts.geojson")
    reads = AuditEntry.objects.filter(action="read_roster", object_type="map", object_id=str(plan.pk))
    assert reads.count() == 1 and reads.get().username == "sector"


def test_the_planner_who_keeps_the_roster_is_not_audited_for_the_map(as_planner, operation, plan):
    geojson(as_planner, f"/ops/{operation.pk}/geo/posts.geojson")
    assert not AuditEntry.objects.filter(action="read_roster", object_type="map").exists()


def test_a_field_officer_gets_no_map_and_no_leaders(as_field_officer, operation):
    for url in (f"/ops/{operation.pk}/geo/posts.geojson", f"/ops/{operation.pk}/map/"):
        assert as_field_officer.get(url).status_code == 403


def test_the_escort_runs_are_drawn_where_they_start_scoped_to_the_sector(as_planner, as_sector, operation, plan):
    duties = [d for d in plan.extra["roster"]["duties"] if d["kind"] == "KAWAL"]
    assert duties
    everyone = geojson(as_planner, f"/ops/{operation.pk}/geo/posts.geojson")["escorts"]
    assert {e["properties"]["id"] for e in everyone} == {d["id"] for d in duties}
    first = next(e for e in everyone if e["properties"]["id"] == duties[0]["id"])
    assert first["geometry"]["coordinates"] == [duties[0]["lon"], duties[0]["lat"]]
    assert first["properties"]["url"] == f"/plans/{plan.pk}/escorts/"
    assert first["properties"]["needed"] == sum(duties[0]["required"].values())
    own = geojson(as_sector, f"/ops/{operation.pk}/geo/posts.geojson")["escorts"]
    expected = {d["id"] for d in duties if d["kecamatan_code"] == SECTOR}
    assert expected and {e["properties"]["id"] for e in own} == expected
    assert all("person" not in json.dumps(e) for e in own)  # no names of people on an escort


def test_the_incidents_are_named_in_the_users_words(as_planner, operation):
    data = geojson(as_planner, f"/ops/{operation.pk}/geo/posts.geojson")
    words = data["incident_words"]
    assert words["severities"]["3"] == "berat" and words["kinds"]["bentrok"] == "bentrok"
    assert words["kinds"]["kericuhan"] == "gangguan kamtibmas"  # an older kind, by its new name
    assert data["incidents_url"] == f"/plans/{data['plan']['id']}/incidents/"


@override_settings(SIAGA_TILE_URL="", SIAGA_TILE_ATTRIBUTION="")
def test_the_legend_says_there_is_no_base_map_only_when_there_is_none(as_planner, operation):
    assert "Tanpa peta dasar" in as_planner.get(f"/ops/{operation.pk}/map/").content.decode()
    RegionBoundary.objects.create(
        operation=operation,
        code=SECTOR,
        name="Pohjentrek",
        level="KECAMATAN",
        kecamatan_code=SECTOR,
        lat=-7.68,
        lon=112.87,
        geometry={
            "type": "MultiPolygon",
            "coordinates": [[[[112.86, -7.69], [112.88, -7.69], [112.88, -7.67], [112.86, -7.69]]]],
        },
    )
    html = as_planner.get(f"/ops/{operation.pk}/map/").content.decode()
    assert "Tanpa peta dasar" not in html
    assert 'id="map-panel-toggle"' in html and 'aria-expanded="true"' in html
    assert "Batas wilayah hukum Polres" in html
