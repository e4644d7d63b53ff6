"""The field officer (post leader): only the phone page of a plan, only their own post(s) by
their NRP/NIK, writes for their post through the API, everything else refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from siaga.accounts.models import Profile
from siaga.field.models import Incident
from siaga.operations.models import Tps
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, client_for, own_post, publish
from tests.web.test_field_api import post


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    """The field works on the operation's published plan."""
    return publish(plan)


def other_post(plan: Any, mine: str, kecamatan: str = SECTOR) -> dict[str, Any]:
    return next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == kecamatan and p["id"] != mine)


def posts_by_id(plan: Any) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in plan_file(plan)["posts"]}


def test_the_persona_leads_a_tps_post_in_the_sector(plan):
    mine = posts_by_id(plan)[own_post(plan)]
    assert mine["kind"] == "TPS" and mine["kecamatan_code"] == SECTOR


def test_the_phone_page_shows_only_their_post_and_their_assignment(as_field_officer, plan):
    mine = own_post(plan)
    body = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert 'id="assignment"' in body and mine in body
    code = Profile.objects.get(user__username="field_officer").person_code
    assert code in body  # themselves
    options = [p["id"] for p in plan_file(plan)["posts"] if f'<option value="{p["id"]}"' in body]
    assert options == [mine]
    assert "Cadangan terdekat" in body or "nearest" in body.lower()


def test_home_takes_them_to_the_phone_page(as_field_officer, plan):
    response = as_field_officer.get("/")
    assert response.status_code == 302 and response.headers["Location"] == f"/plans/{plan.pk}/phone/"


def test_they_move_only_their_own_post(as_field_officer, plan):
    mine = own_post(plan)
    url = f"/api/plans/{plan.pk}/posts/{{}}/status"
    assert post(as_field_officer, url.format(mine), {"status": "berangkat"}).status_code == 201
    for other in (other_post(plan, mine)["id"], other_post(plan, mine, OTHER_SECTOR)["id"]):
        assert post(as_field_officer, url.format(other), {"status": "berangkat"}).status_code == 404
    board = as_field_officer.get(f"/api/plans/{plan.pk}/board").json()
    assert [p["post_id"] for rows in board.values() for p in rows] in ([mine], [])


def test_they_record_only_their_posts_tps_events(as_field_officer, plan, operation):
    mine = posts_by_id(plan)[own_post(plan)]
    tps = mine["tps"][0]
    url = f"/api/plans/{plan.pk}/tps/{{}}/events"
    assert post(as_field_officer, url.format(tps), {"kind": "dibuka"}).status_code == 201
    other = Tps.objects.filter(operation=operation, kecamatan_code=SECTOR).exclude(code__in=mine["tps"]).first()
    assert post(as_field_officer, url.format(other.code), {"kind": "dibuka"}).status_code == 404


def test_they_report_incidents_at_their_post_only(as_field_officer, as_sector, plan):
    mine = own_post(plan)
    url = f"/api/plans/{plan.pk}/incidents"
    made = post(as_field_officer, url, {"kind": "keributan", "severity": 2, "post_id": mine})
    assert made.status_code == 201, made.content
    incident = Incident.objects.get(pk=made.json()["id"])
    assert incident.post_id == mine and incident.reported_by.username == "field_officer"
    other = other_post(plan, mine)["id"]
    assert post(as_field_officer, url, {"kind": "keributan", "severity": 2, "post_id": other}).status_code == 404
    foreign_tps = posts_by_id(plan)[other]["tps"][0]
    body = {"kind": "keributan", "severity": 2, "tps_code": foreign_tps}
    assert post(as_field_officer, url, body).status_code == 404
    # the workflow stays with the sector: a field officer neither escalates nor sees others' incidents
    assert post(as_field_officer, f"/api/incidents/{incident.pk}/escalate").status_code == 403
    theirs = post(as_sector, url, {"kind": "keributan", "severity": 1, "post_id": other}).json()
    assert post(as_field_officer, f"/api/incidents/{theirs['id']}/escalate").status_code == 404
    assert as_field_officer.get(f"/api/incidents/{theirs['id']}/reserves").status_code == 404


def test_they_do_not_check_in_people_or_read_the_roster(as_field_officer, plan, operation):
    code = Profile.objects.get(user__username="field_officer").person_code
    assert post(as_field_officer, f"/api/plans/{plan.pk}/checkins", {"nrp": code}).status_code == 403
    for url in (
        f"/ops/{operation.pk}/personnel/",
        f"/ops/{operation.pk}/",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/board/",
        f"/plans/{plan.pk}/apel/",  # (not in the access matrix: jsQR.js names a foreign host)
    ):
        assert as_field_officer.get(url).status_code in (403, 404), url
    readiness = as_field_officer.get(f"/api/plans/{plan.pk}/readiness").json()
    crew = [a for a in plan_file(plan)["assignments"] if a["post"] == own_post(plan)]
    assert readiness["expected"] == len(crew)


def test_without_an_assignment_they_see_no_post(db, plan):
    user = get_user_model().objects.create_user("stray", password="uji-siaga-2022")
    Profile.objects.create(user=user, role="field_officer", person_code="0000-none")
    client = client_for("stray")
    body = client.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert 'id="assignment-none"' in body and "<option value=" not in body.split('id="post"')[1].split("</select>")[0]
    target = plan_file(plan)["posts"][0]["id"]
    assert post(client, f"/api/plans/{plan.pk}/posts/{target}/status", {"status": "tiba"}).status_code == 404
