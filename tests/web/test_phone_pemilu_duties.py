"""A post leader whose duties are on the roster (escort runs, warehouse guards, office guards)
works them on his phone: they are his "posts" there with what he reports for each, an
incident from one takes its place, he may add a photo to his own report afterwards, and signing
in lands on the operation whose duty is under way or next (with a link to his other one)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest

from siaga.accounts.models import Profile
from siaga.field.models import EscortEvent, Incident
from siaga.operations.models import Operation, Person
from siaga.plans.models import Plan
from siaga.plans.serving import serving
from tests.web.conftest import client_for, publish
from tests.web.test_field_api import post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def code() -> str:
    return str(Profile.objects.get(user__username="field_officer").person_code)


def give_duties(plan: Any, person: str) -> dict[str, dict[str, Any]]:
    """Put `person` on the roster's first escort run, first warehouse or balai desa shift and
    first duty of any other kind; those duties by group."""
    roster = plan.extra["roster"]
    chosen: dict[str, dict[str, Any]] = {}
    for duty in roster["duties"]:
        group = (
            "escort"
            if duty["kind"] == "KAWAL"
            else "guard"
            if duty["kind"] in ("GUDANG_KPU", "GUDANG_PPK", "PPK", "BALAI_DESA")
            else "other"
        )
        if group not in chosen:
            chosen[group] = duty
            roster["assignments"].append({"person": person, "duty": duty["id"], "slot": "POLRI", "cost_km": 0.0})
    Plan.objects.filter(pk=plan.pk).update(extra=plan.extra)
    plan.refresh_from_db()
    return chosen


@pytest.fixture
def duties(plan: Any) -> dict[str, dict[str, Any]]:
    return give_duties(publish(plan), code())


def duty_options(html: str) -> dict[str, str]:
    """Duty id -> its group, as "Pos saya" offers it."""
    return dict(re.findall(r'<option value="duty:[^"]+" data-duty="([^"]+)" data-group="(\w+)"', html))


def test_it_offers_his_roster_duties_beside_his_post_with_what_each_reports(plan, duties, as_field_officer):
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    offered = duty_options(html)
    assert {duties[g]["id"]: g for g in duties} == offered
    escort = duties["escort"]["id"]
    block = re.search(
        rf'<fieldset class="plain duty-actions" data-for="duty:{re.escape(escort)}".*?</fieldset>', html, re.S
    )
    assert block is not None
    assert f"/api/plans/{plan.pk}/escorts/{escort}/events" in block.group(0)
    assert "Berangkat dari" in block.group(0) and "Tiba di" in block.group(0) and "serah terima" in block.group(0)
    if "guard" in duties:
        guard = re.search(rf'data-for="duty:{re.escape(duties["guard"]["id"])}".*?</fieldset>', html, re.S)
        assert guard is not None and 'href="#guard-' in guard.group(0)


def test_a_departure_pressed_on_the_phone_is_what_the_board_and_escorts_page_read(plan, duties, as_field_officer):
    escort = duties["escort"]["id"]
    response = post(as_field_officer, f"/api/plans/{plan.pk}/escorts/{escort}/events", {"kind": "berangkat", "leg": 0})
    assert response.status_code == 201
    assert EscortEvent.objects.filter(duty_id=escort, kind="berangkat").count() == 1
    escorts = client_for("planner").get(f"/plans/{plan.pk}/escorts/").content.decode()
    card = re.search(rf'data-duty="{re.escape(escort)}" data-state="(\w+)"', escorts)
    assert card and card.group(1) == "berangkat"


def test_an_incident_at_a_duty_takes_the_duty_and_its_leg_as_its_place(plan, duties, as_field_officer):
    escort = duties["escort"]
    body = {"kind": "gangguan kamtibmas", "severity": 2, "duty_id": escort["id"], "leg": 0, "description": "ban pecah"}
    response = post(as_field_officer, f"/api/plans/{plan.pk}/incidents", body)
    assert response.status_code == 201, response.content
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.duty_id == escort["id"] and incident.kecamatan_code == escort["kecamatan_code"]
    assert incident.post_id == "" and incident.description == "ban pecah"  # the leg in its own field
    assert (incident.lat, incident.lon) == (escort["lat"], escort["lon"])
    assert incident.leg == ("0" if len(escort["route"]) >= 2 else "")
    cards = client_for("planner").get(f"/plans/{plan.pk}/incidents/").content.decode()
    assert escort["id"] not in re.sub(r'data-[a-z-]+="[^"]*"', "", cards)  # named by the duty, not its id
    mine = as_field_officer.get(f"/plans/{plan.pk}/phone/reports/").content.decode()
    assert f'data-incident="{incident.pk}"' in mine and "Lampirkan foto" in mine


def test_an_incident_at_a_duty_he_is_not_on_is_refused(plan, duties, as_field_officer):
    roster = plan.extra["roster"]
    taken = {d["id"] for d in duties.values()}
    other = next(d for d in roster["duties"] if d["id"] not in taken and d["kecamatan_code"])
    body = {"kind": "gangguan kamtibmas", "severity": 1, "duty_id": other["id"]}
    assert post(as_field_officer, f"/api/plans/{plan.pk}/incidents", body).status_code == 404


def test_he_adds_a_photo_to_his_own_report_afterwards_and_a_non_image_is_refused_in_his_language(
    plan, duties, as_field_officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    body = {"kind": "gangguan kamtibmas", "severity": 1, "duty_id": duties["escort"]["id"]}
    incident = post(as_field_officer, f"/api/plans/{plan.pk}/incidents", body).json()["id"]
    url = f"/api/incidents/{incident}/photo"
    refused = as_field_officer.post(
        url, {"photo": _upload(b"not a picture", "x.txt")}, headers={"Idempotency-Key": "ph-1"}
    )
    assert refused.status_code == 422 and refused.json()["detail"] == "Foto harus JPEG atau PNG."
    as_field_officer.cookies["django_language"] = "en"
    english = as_field_officer.post(
        url, {"photo": _upload(b"not a picture", "x.txt")}, headers={"Idempotency-Key": "ph-2"}
    )
    assert english.json()["detail"] == "Photo must be JPEG or PNG."
    taken = as_field_officer.post(url, {"photo": _upload(PNG, "foto.png")}, headers={"Idempotency-Key": "ph-3"})
    assert taken.status_code == 201 and Incident.objects.get(pk=incident).photo


def _upload(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# -- where he lands ---------------------------------------------------------------------------


def other_operation(person: str, start: dt.datetime) -> Plan:
    """A second published operation where `person` holds one roster duty from `start`."""
    other = Operation.objects.create(name="Pam Pemilu uji", election_date=start.date(), pattern="x")
    Person.objects.create(operation=other, code=person, name="Petugas uji", force="POLRI")
    duty = {"id": "KPU-UJI-1", "kind": "KPU", "name": "Pengamanan kantor KPU", "start": start.isoformat()}
    duty["end"] = (start + dt.timedelta(hours=12)).isoformat()
    roster = {"duties": [duty], "assignments": [{"person": person, "duty": "KPU-UJI-1"}]}
    return Plan.objects.create(operation=other, version=1, status=Plan.Status.PUBLISHED, extra={"roster": roster})


def test_signing_in_lands_on_the_operation_whose_duty_comes_next(plan, as_field_officer, monkeypatch):
    plan = publish(plan)
    vote = dt.datetime.combine(plan.operation.election_date, dt.time(7))
    later = other_operation(code(), vote + dt.timedelta(days=30))
    monkeypatch.setattr("siaga.plans.serving.local_now", lambda: vote - dt.timedelta(days=1))
    assert as_field_officer.get("/").headers["Location"] == f"/plans/{plan.pk}/phone/"
    monkeypatch.setattr("siaga.plans.serving.local_now", lambda: vote + dt.timedelta(days=3))
    assert as_field_officer.get("/").headers["Location"] == f"/plans/{later.pk}/phone/"


def test_his_phone_links_to_his_other_operation(plan, as_field_officer):
    plan = publish(plan)
    later = other_operation(code(), dt.datetime.combine(plan.operation.election_date, dt.time(7)))
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    link = re.search(r'<p id="elsewhere"><a class="nav[^"]*" href="([^"]+)">([^<]*)</a>', html)
    assert link and link.group(1) == f"/plans/{later.pk}/phone/" and "Pam Pemilu uji" in unescape(link.group(2))


def test_serving_puts_a_duty_under_way_before_one_to_come_and_one_over_last(plan):
    plan = publish(plan)
    vote = dt.datetime.combine(plan.operation.election_date, dt.time(7))
    other_operation(code(), vote + dt.timedelta(days=10))
    during = serving(code(), vote + dt.timedelta(hours=2))
    assert [s.plan_id for s in during][0] == plan.pk and during[0].current(vote + dt.timedelta(hours=2))
    assert not during[1].current(vote + dt.timedelta(hours=2))
    after = serving(code(), vote + dt.timedelta(days=30))
    assert after[0].next_start is None and after[0].operation_name == "Pam Pemilu uji"


def test_he_is_never_led_to_nor_told_of_another_polres_operation(plan, as_field_officer, monkeypatch):
    """The same NRP in another Polres's operation (a Polda's database): not his to open."""
    plan = publish(plan)
    own = plan.operation.polres_code
    assert own
    Profile.objects.filter(user__username="field_officer").update(polres_code=own)
    vote = dt.datetime.combine(plan.operation.election_date, dt.time(7))
    elsewhere = other_operation(code(), vote + dt.timedelta(days=30))
    Operation.objects.filter(pk=elsewhere.operation_id).update(polres_code="POLRES-LAIN")
    monkeypatch.setattr("siaga.plans.serving.local_now", lambda: vote + dt.timedelta(days=3))
    assert as_field_officer.get("/").headers["Location"] == f"/plans/{plan.pk}/phone/"
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert 'id="elsewhere"' not in html and "Pam Pemilu uji" not in html
