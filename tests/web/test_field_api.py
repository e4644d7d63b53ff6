"""The phone API of the field: check-ins, readiness, re-plan of absentees, post statuses, the
board, incidents, escalation, dispatch and closing; idempotency keys and scoping."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from siaga.core.documents import tokens
from siaga.field.models import CheckIn, Dispatch, Incident, PostStatus
from siaga.plans.models import Plan, PlanJob
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    """The field works on the operation's published plan."""
    return publish(plan)


_keys = itertools.count()


def post(client: Client, url: str, body: Any = None, key: str | None = "auto") -> Any:
    headers = {}
    if key is not None:
        headers["Idempotency-Key"] = f"k-{next(_keys)}" if key == "auto" else key
    data = "" if body is None else body
    return client.post(url, data, content_type="application/json", headers=headers)


def people_in(plan: Plan, kecamatan: str | None = None) -> list[str]:
    posts = {p["id"]: p for p in plan_file(plan)["posts"]}
    return [
        a["person"]
        for a in plan_file(plan)["assignments"]
        if kecamatan is None or posts[a["post"]]["kecamatan_code"] == kecamatan
    ]


def post_in(plan: Plan, kecamatan: str, kind: str = "TPS") -> dict[str, Any]:
    return next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == kecamatan and p["kind"] == kind)


@pytest.fixture
def card_key(settings: Any, tmp_path: Path) -> bytes:
    settings.SIAGA_CARD_KEY_FILE = str(tmp_path / "card-key")
    return tokens.key_file(tmp_path / "card-key")


# -- check-ins ----------------------------------------------------------------------------------


def test_it_checks_in_by_nrp(as_planner, plan):
    nrp = people_in(plan)[0]
    response = post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp})
    assert response.status_code == 201, response.content
    assert response.json()["person_code"] == nrp
    assert CheckIn.objects.get(person_code=nrp).method == "nrp"


def test_it_stores_one_record_for_a_retried_key(as_planner, plan):
    nrp = people_in(plan)[0]
    first = post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp}, key="same")
    again = post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp}, key="same")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert CheckIn.objects.filter(key="same").count() == 1


def test_it_refuses_a_key_someone_else_used(as_planner, as_admin, plan):
    nrp = people_in(plan)[0]
    assert post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp}, key="mine").status_code == 201
    assert post(as_admin, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp}, key="mine").status_code == 409


def test_it_requires_an_idempotency_key(as_planner, plan):
    response = post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": people_in(plan)[0]}, key=None)
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def card(plan, nrp, key, version=None, post_code=None):
    mine = post_code or plan.assignments.get(person_code=nrp).post.code
    return tokens.sign({"nrp": nrp, "plan": version or plan.digest, "post": mine}, key)


def test_it_checks_in_by_a_genuine_card_token(as_planner, plan, card_key):
    nrp = people_in(plan)[0]
    response = post(as_planner, f"/api/plans/{plan.pk}/checkins", {"token": card(plan, nrp, card_key)})
    assert response.status_code == 201, response.content
    assert CheckIn.objects.get().method == "qr"
    assert response.json()["version"] == plan.version and response.json()["note"] == ""


@pytest.mark.parametrize("wrong", ["plan", "post"])
def test_it_refuses_a_card_token_naming_another_plan_or_post(as_planner, plan, card_key, wrong):
    nrp = people_in(plan)[0]
    other_post = plan.posts.exclude(assignments__person_code=nrp).first().code
    token = card(
        plan, nrp, card_key, version="x" if wrong == "plan" else None, post_code=other_post if wrong == "post" else None
    )
    response = post(as_planner, f"/api/plans/{plan.pk}/checkins", {"token": token})
    assert response.status_code == 422
    reason = response.json()["detail"]
    assert ("bukan kartu rencana operasi ini" in reason) if wrong == "plan" else ("pos pada kartu" in reason)
    assert not CheckIn.objects.exists()


def test_it_answers_a_card_of_an_older_version_with_the_current_post(as_planner, plan, card_key):
    from siaga.operations.services import scenario_for
    from siaga.plans.store import core_plan, save_plan

    nrp = people_in(plan)[0]
    old_card = card(plan, nrp, card_key)
    newer = save_plan(plan.operation, core_plan(plan), scenario_for(plan.operation), None, parent=plan)
    newer.digest = "0123456789abcdef"  # the same roster under a new version stamp
    newer.save(update_fields=["digest"])
    publish(newer)
    response = post(as_planner, f"/api/plans/{newer.pk}/checkins", {"token": old_card})
    assert response.status_code == 201, response.content
    note = response.json()["note"]
    assert f"Kartu dari versi {plan.version}" in note and f"versi {newer.version}" in note
    assert plan.assignments.get(person_code=nrp).post.code in note


def test_it_refuses_a_tampered_card_token(as_planner, plan, card_key):
    people = people_in(plan)
    token = tokens.sign({"nrp": people[0], "plan": "x", "post": "p"}, card_key)
    forged = tokens.sign({"nrp": people[1], "plan": "x", "post": "p"}, b"another key of 32 bytes........")
    body, _, signature = token.partition(".")
    tampered = forged.partition(".")[0] + "." + signature
    for bad in (tampered, forged, token[:-1] + ("A" if token[-1] != "A" else "B"), "not-a-token"):
        assert post(as_planner, f"/api/plans/{plan.pk}/checkins", {"token": bad}).status_code == 422
    assert not CheckIn.objects.exists()


def test_it_refuses_a_card_of_someone_not_in_the_plan(as_planner, plan, card_key):
    token = tokens.sign({"nrp": "00000000", "plan": "x", "post": "p"}, card_key)
    assert post(as_planner, f"/api/plans/{plan.pk}/checkins", {"token": token}).status_code == 422


def test_it_lets_a_sector_chief_check_in_only_their_people(as_sector, plan):
    mine, theirs = people_in(plan, SECTOR)[0], people_in(plan, OTHER_SECTOR)[0]
    assert post(as_sector, f"/api/plans/{plan.pk}/checkins", {"nrp": mine}).status_code == 201
    assert post(as_sector, f"/api/plans/{plan.pk}/checkins", {"nrp": theirs}).status_code == 404


@pytest.mark.parametrize("persona", ["as_viewer", "as_commander"])
def test_it_refuses_writes_by_readers(request, persona, plan):
    client = request.getfixturevalue(persona)
    assert post(client, f"/api/plans/{plan.pk}/checkins", {"nrp": people_in(plan)[0]}).status_code == 403


def test_it_refuses_anonymous_callers(plan):
    assert post(Client(), f"/api/plans/{plan.pk}/checkins", {"nrp": "1"}).status_code in (302, 401)


def test_it_counts_readiness_per_unit_and_force(as_planner, as_sector, plan):
    people = people_in(plan)
    for nrp in people[:5]:
        post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp})
    post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": people[0]})  # twice: still one person
    readiness = as_planner.get(f"/api/plans/{plan.pk}/readiness").json()
    assert readiness["present"] == 5
    assert readiness["expected"] == len(set(people))
    assert sum(u["present"] for u in readiness["units"]) == 5
    assert sum(f["expected"] for f in readiness["forces"]) == len(set(people))
    sector = as_sector.get(f"/api/plans/{plan.pk}/readiness").json()
    assert sector["expected"] == len(set(people_in(plan, SECTOR)))


def test_it_turns_absentees_into_a_replan(as_planner, plan, settings):
    settings.SIAGA_JOBS_INLINE = True
    people = people_in(plan)
    for nrp in people[1:]:
        CheckIn.objects.create(operation=plan.operation, person_code=nrp, method="list", key=f"list-{nrp}")
    response = post(as_planner, f"/api/plans/{plan.pk}/absentees/replan", {}, key="replan-1")
    assert response.status_code == 201, response.content
    assert response.json()["absent"] == [people[0]]
    job = PlanJob.objects.get(pk=response.json()["job"])
    assert job.status == PlanJob.Status.DONE, job.message
    assert job.kind == "replan" and job.params["absent"] == [people[0]]
    assert people[0] not in {a["person"] for a in plan_file(job.plan)["assignments"]}
    again = post(as_planner, f"/api/plans/{plan.pk}/absentees/replan", {}, key="replan-1")
    assert again.json()["job"] == job.pk
    assert PlanJob.objects.filter(kind="replan").count() == 1


def test_it_lets_only_planners_replan(as_sector, plan):
    assert post(as_sector, f"/api/plans/{plan.pk}/absentees/replan", {}).status_code == 403


# -- pergeseran ---------------------------------------------------------------------------------


def test_it_moves_a_post_through_the_statuses_and_the_board_follows(as_sector, plan):
    target = post_in(plan, SECTOR)
    url = f"/api/plans/{plan.pk}/posts/{target['id']}/status"
    board = as_sector.get(f"/api/plans/{plan.pk}/board").json()
    assert set(board) == {SECTOR}
    assert target["id"] in {p["post_id"] for p in board[SECTOR]}
    for status in ("berangkat", "tiba", "koordinasi", "siaga"):
        assert post(as_sector, url, {"status": status}).status_code == 201
    board = as_sector.get(f"/api/plans/{plan.pk}/board").json()
    assert target["id"] not in {p["post_id"] for p in board.get(SECTOR, [])}
    assert PostStatus.objects.filter(post_id=target["id"]).count() == 4


def test_it_flags_an_arrival_far_from_the_post(as_planner, plan):
    target = post_in(plan, SECTOR)
    url = f"/api/plans/{plan.pk}/posts/{target['id']}/status"
    near = post(as_planner, url, {"status": "tiba", "lat": target["lat"] + 0.001, "lon": target["lon"]}).json()
    far = post(as_planner, url, {"status": "tiba", "lat": target["lat"] + 0.05, "lon": target["lon"]}).json()
    assert near["flagged"] is False and near["distance_km"] < 1
    assert far["flagged"] is True and far["distance_km"] > 1


def test_it_hides_another_sectors_post(as_sector, plan):
    target = post_in(plan, OTHER_SECTOR)
    url = f"/api/plans/{plan.pk}/posts/{target['id']}/status"
    assert post(as_sector, url, {"status": "tiba"}).status_code == 404


def test_it_refuses_an_unknown_status(as_planner, plan):
    target = post_in(plan, SECTOR)
    url = f"/api/plans/{plan.pk}/posts/{target['id']}/status"
    assert post(as_planner, url, {"status": "pulang"}).status_code == 422


def test_it_records_a_tps_timeline(as_sector, plan, operation):
    tps = operation.tps_set.filter(kecamatan_code=SECTOR).first()
    for kind in ("dibuka", "pemungutan", "penghitungan", "selesai", "kotak_suara_dikawal"):
        assert post(as_sector, f"/api/plans/{plan.pk}/tps/{tps.code}/events", {"kind": kind}).status_code == 201
    other = operation.tps_set.filter(kecamatan_code=OTHER_SECTOR).first()
    assert post(as_sector, f"/api/plans/{plan.pk}/tps/{other.code}/events", {"kind": "dibuka"}).status_code == 404


# -- incidents ----------------------------------------------------------------------------------


def report(client: Client, plan: Plan, kecamatan: str = SECTOR, **fields: Any) -> Any:
    body = {"kind": "kericuhan", "severity": 3, "post_id": post_in(plan, kecamatan)["id"], **fields}
    return post(client, f"/api/plans/{plan.pk}/incidents", body)


CLOSE = {"disposition": "selesai_di_tempat", "note": "massa bubar", "confirmed": True}


def test_it_runs_an_incident_from_report_to_close(as_sector, as_commander, plan):
    incident = report(as_sector, plan, description="massa berkumpul").json()
    assert incident["status"] == "dilaporkan" and incident["level"] == "polsek"
    sent = post(as_sector, f"/api/incidents/{incident['id']}/dispatch")  # his own Polsek's team
    assert sent.status_code == 201, sent.content
    assert sent.json()["post_id"].endswith(":POLSEK-17")
    escalated = post(as_sector, f"/api/incidents/{incident['id']}/escalate").json()
    assert escalated["level"] == "polres" and escalated["command"] == "Kapolres"
    refused = post(as_sector, f"/api/incidents/{incident['id']}/close", CLOSE)  # command passed up
    assert refused.status_code == 403 and "Kapolres" in refused.json()["detail"]
    closed = post(as_commander, f"/api/incidents/{incident['id']}/close", CLOSE).json()
    assert closed["status"] == "selesai" and closed["closed_by"] == "commander"
    assert closed["disposition"] == "selesai_di_tempat"
    assert post(as_commander, f"/api/incidents/{incident['id']}/escalate").status_code == 422


def test_command_climbs_kapolsek_kapolres_kapolda_and_no_further(as_planner, as_commander, plan):
    incident = report(as_planner, plan).json()
    assert post(as_planner, f"/api/incidents/{incident['id']}/escalate").json()["level"] == "polres"
    refused = post(as_planner, f"/api/incidents/{incident['id']}/escalate")  # the Kapolres hands over
    assert refused.status_code == 403 and "Kapolda" in refused.json()["detail"]
    assert post(as_commander, f"/api/incidents/{incident['id']}/escalate").json()["level"] == "polda"
    assert post(as_commander, f"/api/incidents/{incident['id']}/escalate").status_code == 422


def test_it_escalates_once_for_a_retried_key(as_planner, plan):
    incident = report(as_planner, plan).json()
    url = f"/api/incidents/{incident['id']}/escalate"
    first, again = post(as_planner, url, key="esc"), post(as_planner, url, key="esc")
    assert first.json()["level"] == again.json()["level"] == "polres"


def test_it_stores_one_incident_for_a_retried_key(as_planner, plan):
    body = {"kind": "kericuhan", "severity": 2, "post_id": post_in(plan, SECTOR)["id"]}
    url = f"/api/plans/{plan.pk}/incidents"
    first, again = post(as_planner, url, body, key="inc"), post(as_planner, url, body, key="inc")
    assert first.json() == again.json()
    assert Incident.objects.count() == 1


def test_it_suggests_the_reserve_that_arrives_first(as_commander, as_planner, plan):
    reserves = [p for p in plan_file(plan)["posts"] if p["kind"] == "RESERVE"]
    target = next(r for r in reserves if "KORAMIL" in r["id"])  # not at a Polsek (whose teams are units too)
    body = {"kind": "kericuhan", "severity": 3, "post_id": post_in(plan, SECTOR)["id"]}
    body.update(lat=target["lat"] + 0.001, lon=target["lon"])
    incident = post(as_planner, f"/api/plans/{plan.pk}/incidents", body).json()
    ranked = as_commander.get(f"/api/incidents/{incident['id']}/reserves").json()
    assert ranked[0]["post_id"] == target["id"] and ranked[0]["may_dispatch"]
    assert [r["eta_minutes"] for r in ranked] == sorted(r["eta_minutes"] for r in ranked)
    sent = post(as_commander, f"/api/incidents/{incident['id']}/dispatch", key="d1").json()
    assert sent["post_id"] == target["id"] and sent["eta_minutes"] == ranked[0]["eta_minutes"]
    assert post(as_commander, f"/api/incidents/{incident['id']}/dispatch", key="d1").json() == sent
    assert Dispatch.objects.count() == 1
    # the Kabag Ops sends no Brimob without the Kapolres's delegation
    mine = as_planner.get(f"/api/incidents/{incident['id']}/reserves").json()
    assert not next(r for r in mine if r["post_id"] == target["id"])["may_dispatch"]


def test_it_hides_another_sectors_incident(as_sector, as_planner, plan):
    theirs = report(as_planner, plan, kecamatan=OTHER_SECTOR).json()
    assert post(as_sector, f"/api/incidents/{theirs['id']}/close").status_code == 404
    assert report(as_sector, plan, kecamatan=OTHER_SECTOR).status_code == 404


def test_it_refuses_incident_writes_by_a_viewer(as_viewer, as_planner, plan):
    assert report(as_viewer, plan).status_code == 403
    incident = report(as_planner, plan).json()
    assert post(as_viewer, f"/api/incidents/{incident['id']}/escalate").status_code == 403


@pytest.mark.parametrize(
    "body",
    [{"kind": "x", "severity": 4, "post_id": "p"}, {"kind": "x", "severity": 1}, {"severity": 1}, "[]", "{"],
)
def test_it_answers_bad_input_without_a_500(as_planner, plan, body):
    response = post(as_planner, f"/api/plans/{plan.pk}/incidents", body)
    assert 400 <= response.status_code < 500


def test_it_serves_the_openapi_schema(as_viewer):
    schema = as_viewer.get("/api/openapi.json").json()
    assert "/api/plans/{plan_id}/checkins" in schema["paths"]
    assert as_viewer.get("/api/docs").status_code == 404  # Swagger UI loads from a CDN: off unless SIAGA_DEBUG


@pytest.mark.parametrize("field,size", [("kind", 61), ("kind", 80), ("tps_code", 61), ("post_id", 81)])
def test_it_refuses_a_value_longer_than_its_column_with_a_422(as_planner, plan, field, size):
    post_code = plan.posts.filter(kind="TPS").first().code
    body = {"kind": "keributan", "severity": 2, "post_id": post_code, field: "x" * size}
    response = post(as_planner, f"/api/plans/{plan.pk}/incidents", body)
    assert response.status_code == 422
    assert not Incident.objects.exists()


def test_it_refuses_a_post_code_longer_than_its_column_in_the_path(as_planner, plan):
    response = post(as_planner, f"/api/plans/{plan.pk}/posts/{'p' * 81}/status", {"status": "berangkat"})
    assert response.status_code == 422


def test_a_person_checks_in_once_whatever_key_the_retry_carries(as_planner, as_sector, plan):
    nrp = people_in(plan, SECTOR)[0]
    first = post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp}, key="first-key")
    again = post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp}, key="second-key")
    other = post(as_sector, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp}, key="third-key")
    assert first.status_code == again.status_code == other.status_code == 201
    assert first.json()["id"] == again.json()["id"] == other.json()["id"]
    assert CheckIn.objects.filter(person_code=nrp).count() == 1


def test_a_check_in_stays_when_a_new_version_is_published(as_planner, plan):
    from siaga.operations.services import scenario_for
    from siaga.plans.store import core_plan, save_plan

    nrp = people_in(plan)[0]
    post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp})
    newer = publish(save_plan(plan.operation, core_plan(plan), scenario_for(plan.operation), None, parent=plan))
    ready = as_planner.get(f"/api/plans/{newer.pk}/readiness").json()
    assert ready["present"] == 1
    old_address = as_planner.get(f"/api/plans/{plan.pk}/readiness").json()  # a phone still on v1
    assert old_address == ready


def test_the_phone_api_checks_in_at_a_named_apel_and_counts_it_apart(as_planner, plan):
    operation = plan.operation
    operation.config = {
        **operation.config,
        "stages": [
            {"name": "Apel gelar", "kind": "APEL_GELAR", "start": "2022-02-01T08:00", "end": "2022-02-01T10:00"}
        ],
    }
    operation.save(update_fields=["config"])
    nrp = people_in(plan)[0]
    assert (
        post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp, "apel": "APEL_GELAR-202202010800"}).status_code
        == 201
    )
    opening = as_planner.get(f"/api/plans/{plan.pk}/readiness?apel=APEL_GELAR-202202010800").json()
    before_move = as_planner.get(f"/api/plans/{plan.pk}/readiness").json()
    assert (opening["present"], before_move["present"]) == (1, 0)
    unknown = post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp, "apel": "APEL_KESIAPAN-202201010800"})
    assert unknown.status_code == 422 and "Apel tidak dikenal" in unknown.json()["detail"]
