"""The Polda in the Posko: once the Kapolres hands an incident's command up to the Kapolda, the
Polda's account commands it as the Kapolres commands his (sends any unit, Brimob and TNI help
included, moves the units' clocks, seizes, closes), each act in the incident's log and
the audit; an incident still at the Kapolsek's or the Kapolres's level it only reads, and a
Polres's people and another Polda see nothing of another's incidents."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from siaga.accounts.models import Profile, Role
from siaga.audit.models import AuditEntry
from siaga.field.models import Incident, IncidentAction
from siaga.plans.store import plan_file
from tests.web.conftest import PASSWORD, SECTOR, client_for, publish

CLOSE = {"disposition": "selesai_di_tempat", "note": "massa dibubarkan Brimob", "confirmed": True}
SEIZED = {"item": "amplop berisi uang", "quantity": "12 amplop", "from_whom": "tim sukses", "kept_at": "Polres"}
_keys = itertools.count()


@pytest.fixture(autouse=True)
def _current(plan: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return publish(plan)


@pytest.fixture
def as_polda(operation: Any) -> Client:
    if not operation.polda:
        type(operation).objects.filter(pk=operation.pk).update(polda="JAWA TIMUR")
        operation.refresh_from_db()
    for name, polda in (("karoops", operation.polda), ("karoops_bali", "BALI")):
        user = get_user_model().objects.create_user(name, password=PASSWORD, first_name=name.title())
        Profile.objects.create(user=user, role=Role.POLDA, polda=polda)
    return client_for("karoops")


def post(client: Client, url: str, body: Any = None) -> Any:
    headers = {"Idempotency-Key": f"polda-{next(_keys)}"}
    return client.post(url, "" if body is None else body, content_type="application/json", headers=headers)


def report(client: Client, plan: Any, kind: str = "unjuk rasa") -> int:
    tps = next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == SECTOR and p["kind"] == "TPS")
    response = post(client, f"/api/plans/{plan.pk}/incidents", {"kind": kind, "severity": 3, "post_id": tps["id"]})
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def handed_up(commander: Client, plan: Any, to: str = "polda", kind: str = "unjuk rasa") -> int:
    """An incident the Kapolres took over from the Kapolsek and, to the Kapolda, handed up."""
    incident = report(commander, plan, kind)
    for level in ("polres", "polda")[: 2 if to == "polda" else 1]:
        assert post(commander, f"/api/incidents/{incident}/escalate").json()["level"] == level
    return incident


def card(client: Client, plan: Any, incident: int) -> str:
    page = client.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    start = page.index(f'id="incident-{incident}"')
    return page[start : page.index("</article>", start)]


def brimob(client: Client, incident: int) -> dict[str, Any]:
    units = client.get(f"/api/incidents/{incident}/reserves").json()
    return next(u for u in units if u["kind"] == "Brimob PHH" and not u["busy"])


def test_the_polda_is_offered_the_kapolres_commands_on_an_incident_handed_up_to_the_kapolda(
    as_commander, as_polda, plan
):
    incident = handed_up(as_commander, plan)
    team = brimob(as_polda, incident)
    assert team["may_dispatch"] and team["refusal"] is None
    mine = card(as_polda, plan, incident)
    assert f"Kerahkan {team['name']}" in mine  # Brimob: the Kapolres's, and the Kapolda's
    assert "Minta bantuan Siaga TNI" in mine
    assert "close-form" in mine and "seize-form" in mine
    assert "dikerahkan oleh Kapolres" not in mine  # nothing held back from him
    assert "Eskalasi ke" not in mine  # the Kapolda is the top of the ladder
    assert "belum diserahkan kepada Kapolda" not in mine
    kapolres = card(as_commander, plan, incident)
    for form in ("seize-form", f"Kerahkan {team['name']}"):  # the Kapolres keeps his
        assert form in kapolres
    assert "close-form" not in kapolres and "close-refusal" in kapolres  # closing follows who commands


def test_what_the_polda_does_is_in_the_incidents_log_and_the_audit(as_commander, as_polda, plan):
    incident = handed_up(as_commander, plan)
    team = brimob(as_polda, incident)
    sent = post(as_polda, f"/api/incidents/{incident}/dispatch", {"post_id": team["post_id"]})
    assert sent.status_code == 201, sent.content
    step = post(as_polda, f"/api/dispatches/{sent.json()['id']}/status", {"status": "dalam_perjalanan"})
    assert step.status_code == 200, step.content
    item = post(as_polda, f"/api/incidents/{incident}/seized", SEIZED)
    assert item.status_code == 201, item.content
    custody = {"holder": "Sentra Gakkumdu", "kept_at": "Bawaslu", "note": "berita acara"}
    assert post(as_polda, f"/api/seized/{item.json()['id']}/custody", custody).status_code == 201
    closed = post(as_polda, f"/api/incidents/{incident}/close", CLOSE)
    assert closed.status_code == 200 and closed.json()["status"] == "selesai", closed.content
    acts = ["dispatch", "unit", "seize", "custody", "close"]
    logged = IncidentAction.objects.filter(incident_id=incident, by__username="karoops")
    # Brimob, still on its way when the incident closed, was recalled: a step of its own
    assert sorted(logged.values_list("action", flat=True)) == sorted([*acts, "unit"])
    audited = AuditEntry.objects.filter(username="karoops", object_type="incident", object_id=str(incident))
    assert sorted(audited.values_list("action", flat=True)) == sorted([*acts, "recall"])
    assert set(audited.values_list("operation_id", flat=True)) == {plan.operation_id}
    assert Incident.objects.get(pk=incident).closed_by.username == "karoops"
    log = card(as_commander, plan, incident)  # the Kapolres reads what the Kapolda did
    assert log.count("Karoops ·") == len(acts) + 1 and "massa dibubarkan Brimob" in log


@pytest.mark.parametrize("level", ["polsek", "polres"])
def test_the_polda_only_reads_an_incident_not_handed_up_to_the_kapolda(level, as_commander, as_sector, as_polda, plan):
    incident = report(as_sector, plan) if level == "polsek" else handed_up(as_commander, plan, to="polres")
    assert Incident.objects.get(pk=incident).level == level
    team = brimob(as_commander, incident)
    units = as_polda.get(f"/api/incidents/{incident}/reserves").json()
    assert units and not any(u["may_dispatch"] for u in units)
    writes = [
        ("dispatch", {"post_id": team["post_id"]}),
        ("dispatch", None),
        ("escalate", None),
        ("seized", SEIZED),
        ("close", CLOSE),
    ]
    for action, body in writes:
        refused = post(as_polda, f"/api/incidents/{incident}/{action}", body)
        assert refused.status_code == 403, (action, refused.status_code)
        assert "belum diserahkan kepada Kapolda" in refused.json()["detail"], action
    sent = post(as_commander, f"/api/incidents/{incident}/dispatch", {"post_id": team["post_id"]}).json()
    assert post(as_polda, f"/api/dispatches/{sent['id']}/status", {"status": "tiba"}).status_code == 403
    item = post(as_commander, f"/api/incidents/{incident}/seized", SEIZED).json()
    custody = {"holder": "Kasat Reskrim", "kept_at": "Polres"}
    assert post(as_polda, f"/api/seized/{item['id']}/custody", custody).status_code == 403
    mine = card(as_polda, plan, incident)
    for offered in ("<button", "<form", "Kerahkan", "close-form", "custody-form"):
        assert offered not in mine, offered
    assert "belum diserahkan kepada Kapolda" in mine  # why he is offered nothing
    assert "belum diserahkan kepada Kapolda" not in card(as_commander, plan, incident)
    assert not IncidentAction.objects.filter(incident_id=incident, by__username="karoops").exists()


def test_no_one_else_sees_an_incident_at_the_kapolda_of_another_polda_or_polres(as_commander, as_polda, plan):
    incident = handed_up(as_commander, plan)
    other = get_user_model().objects.create_user("kapolres_lain", password=PASSWORD)
    Profile.objects.create(user=other, role=Role.COMMANDER, polres_code="POLRES-LAIN")
    for name in ("karoops_bali", "kapolres_lain"):
        client = client_for(name)
        assert client.get(f"/api/incidents/{incident}/reserves").status_code == 404, name
        assert post(client, f"/api/incidents/{incident}/close", CLOSE).status_code == 404, name
        assert f'id="incident-{incident}"' not in client.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert Incident.objects.get(pk=incident).status != Incident.Status.SELESAI


def test_the_polda_cannot_hand_command_higher_than_the_kapolda(as_commander, as_polda, plan):
    incident = handed_up(as_commander, plan)
    refused = post(as_polda, f"/api/incidents/{incident}/escalate")
    assert refused.status_code == 422 and "tertinggi" in refused.json()["detail"]
    assert Incident.objects.get(pk=incident).level == "polda"


def test_the_polda_sets_no_area_status_and_grants_no_delegation(as_polda, plan, operation):
    desa = operation.regions.filter(level="DESA").values_list("code", flat=True).first()
    assert post(as_polda, f"/api/plans/{plan.pk}/areas/{desa}", {"status": "merah"}).status_code == 403
    planner = get_user_model().objects.get(username="planner")
    body = {"user": planner.pk, "granted": True}
    assert post(as_polda, f"/api/plans/{plan.pk}/delegations", body).status_code == 403
