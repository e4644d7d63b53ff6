"""The Posko role walks' findings: an incident at a warehouse duty says where it is (its place
and kecamatan, as a TPS's says its TPS, desa and kecamatan); a unit at the place is "di tempat",
never "0,0 km, 1 menit"; a unit still on its way when the incident closes is recalled ("ditarik
sebelum tiba"), not "selesai", on the card, the field report's rows and the audit; closing
follows who commands (a Kapolda's incident: the Polda, not the Kapolres, on the page and the
API alike); and the page says who sends Brimob once the Kapolda commands."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from siaga.accounts.models import Profile, Role
from siaga.audit.models import AuditEntry
from siaga.field.models import Dispatch, Incident, IncidentAction
from siaga.field.services import incidents, own_duties, posko
from siaga.plans.models import Plan
from tests.web.conftest import PASSWORD, SECTOR, client_for, publish
from tests.web.test_polda_command import CLOSE, brimob, card, handed_up, post, report


@pytest.fixture(autouse=True)
def _current(plan: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return publish(plan)


@pytest.fixture
def as_polda(operation: Any) -> Any:
    """The Polda of the operation's province (as `test_polda_command` makes it)."""
    if not operation.polda:
        type(operation).objects.filter(pk=operation.pk).update(polda="JAWA TIMUR")
        operation.refresh_from_db()
    user = get_user_model().objects.create_user("karoops", password=PASSWORD, first_name="Karoops")
    Profile.objects.create(user=user, role=Role.POLDA, polda=operation.polda)
    return client_for("karoops")


def _user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def test_a_kapolda_incident_is_closed_by_the_polda_only_on_the_page_and_the_api(
    as_commander, as_planner, as_polda, plan
):
    incident = handed_up(as_commander, plan)
    for client in (as_commander, as_planner):
        mine = card(client, plan, incident)
        assert "close-form" not in mine
        assert "hanya dapat ditutup oleh Kapolda" in mine  # why, in words
        refused = post(client, f"/api/incidents/{incident}/close", CLOSE)
        assert refused.status_code == 403, refused.content
        assert "hanya dapat ditutup oleh Kapolda" in refused.json()["detail"]
        refused = post(client, f"/api/incidents/{incident}/close", {})  # refused before the form's checks
        assert refused.status_code == 403
    assert Incident.objects.get(pk=incident).status != Incident.Status.SELESAI
    polda = card(as_polda, plan, incident)
    assert "close-form" in polda and "close-refusal" not in polda
    closed = post(as_polda, f"/api/incidents/{incident}/close", CLOSE)
    assert closed.status_code == 200 and closed.json()["status"] == "selesai", closed.content


def test_a_kapolres_incident_is_still_closed_by_the_kapolres(as_commander, plan):
    incident = handed_up(as_commander, plan, to="polres")
    assert "close-form" in card(as_commander, plan, incident)
    assert post(as_commander, f"/api/incidents/{incident}/close", CLOSE).status_code == 200


def test_the_admin_commands_at_the_kapolda_level_too(as_commander, as_admin, plan):
    incident = handed_up(as_commander, plan)
    assert "close-form" in card(as_admin, plan, incident)
    assert post(as_admin, f"/api/incidents/{incident}/close", CLOSE).status_code == 200


def test_a_unit_not_arrived_when_the_incident_closes_is_recalled_not_done(as_commander, as_polda, plan):
    incident = handed_up(as_commander, plan)
    team = brimob(as_polda, incident)
    sent = post(as_polda, f"/api/incidents/{incident}/dispatch", {"post_id": team["post_id"]}).json()
    near = next(
        u for u in as_polda.get(f"/api/incidents/{incident}/reserves").json() if not u["busy"] and u["may_dispatch"]
    )
    there = post(as_polda, f"/api/incidents/{incident}/dispatch", {"post_id": near["post_id"]}).json()
    assert post(as_polda, f"/api/dispatches/{there['id']}/status", {"status": "tiba"}).status_code == 200
    assert post(as_polda, f"/api/incidents/{incident}/close", CLOSE).status_code == 200
    row = Incident.objects.get(pk=incident)
    away, arrived = Dispatch.objects.get(pk=sent["id"]), Dispatch.objects.get(pk=there["id"])
    assert incidents.recalled(away, row) and not incidents.recalled(arrived, row)
    mine = card(as_commander, plan, incident)
    unit = mine[mine.index(f'data-unit="{team["name"]}"') :]
    unit = unit[: unit.index("</li>")]
    assert "ditarik sebelum tiba" in unit and "selesai" not in unit.split("Tandai")[0]
    assert "ditarik sebelum tiba" in mine  # the log too
    other = mine[mine.index(f'data-unit="{near["name"]}"') :]
    assert "selesai" in other[: other.index("</li>")]
    with translation.override("en"):
        cards = posko.incident_cards(Plan.objects.get(pk=plan.pk), _user("commander"))
        (shown,) = [c for c in cards if c["incident"].pk == incident]
        labels = {u["dispatch"].pk: str(u["step_label"]) for u in shown["units"]}  # the field report's words
    assert labels == {away.pk: "recalled before arriving", arrived.pk: "done"}
    recalls = AuditEntry.objects.filter(action="recall", object_id=str(incident))
    assert recalls.count() == 1 and recalls.get().after["unit"] == away.unit_name
    assert IncidentAction.objects.filter(incident_id=incident, action="unit", detail__endswith=": ditarik").count() == 1


def test_a_unit_at_the_place_is_said_to_be_there(as_commander, plan):
    incident = Incident.objects.get(pk=report(as_commander, plan))
    team = next(r for r in incidents.reserves(incident, _user("commander")) if not r["team"].reserved)["team"]
    Incident.objects.filter(pk=incident.pk).update(lat=team.lat, lon=team.lon, severity=3)
    page = card(as_commander, plan, incident.pk)
    assert "0,0 km" not in page and "0.0 km" not in page
    assert "(sudah di tempat)" in page and f"Kerahkan {team.shown()} (di tempat)" in page
    sent = post(as_commander, f"/api/incidents/{incident.pk}/dispatch", {"post_id": team.code})
    assert sent.status_code == 201
    assert "sudah di tempat" in card(as_commander, plan, incident.pk)  # the log, not "tiba 0 menit"
    assert "perkiraan tiba 0 menit" not in card(as_commander, plan, incident.pk)


def _warehouses(plan: Plan) -> tuple[Any, Any]:
    """A PPK's warehouse in the sector and the KPU's, held at the Polres's point (its place the
    Polres's, no kecamatan), added to the published plan's roster as a Pemilu's are."""
    roster = plan.extra["roster"]
    model = next(d for d in roster["duties"] if d["kecamatan_code"] == SECTOR and d["kind"] not in ("TPS", "VILLAGE"))
    polres = plan.operation.units.filter(kind="POLRES", bko_to="").order_by("code").first()
    ppk = model | {"id": "GUDANG_PPK-W-1", "kind": "GUDANG_PPK", "name": "Jaga gudang PPK {kec}", "route": []}
    ppk |= {"place": f"GUDANG_PPK-{SECTOR}", "desa_code": ""}
    kpu = model | {"id": "GUDANG_KPU-W-1", "kind": "GUDANG_KPU", "name": "Jaga gudang logistik KPU", "route": []}
    kpu |= {"place": f"GUDANG_KPU-{polres.code}", "kecamatan_code": "", "desa_code": ""}
    kpu |= {"lat": polres.lat, "lon": polres.lon}
    roster["duties"] += [ppk, kpu]
    Plan.objects.filter(pk=plan.pk).update(extra=plan.extra)
    fresh = Plan.objects.get(pk=plan.pk)
    duties = own_duties.roster_duties(fresh)
    return duties["GUDANG_PPK-W-1"], duties["GUDANG_KPU-W-1"]


def test_a_warehouse_incident_says_its_place_and_kecamatan(as_commander, plan):
    plan = Plan.objects.get(pk=plan.pk)
    guard, polres = _warehouses(plan)
    names = dict(plan.operation.regions.values_list("code", "name"))
    unit = plan.operation.units.filter(kind="POLRES", bko_to="").order_by("code").first()
    for duty in (guard, polres):
        body = {"kind": "gangguan kamtibmas", "severity": 1, "duty_id": duty.id}
        made = post(as_commander, f"/api/plans/{plan.pk}/incidents", body)
        assert made.status_code == 201, made.content
        place = card(as_commander, plan, made.json()["id"])
        place = place[place.index('class="place"') : place.index("</span>", place.index('class="place"'))]
        if duty.kecamatan_code:
            assert f"Kec. {names[SECTOR]}" in place
            assert Incident.objects.get(pk=made.json()["id"]).level == Incident.Level.POLSEK
        else:  # the KPU's warehouse, at the Polres's point: the Polres and the point
            assert unit.name in place and "geo:" in place and f"{duty.lat:.5f}" in place
            # in no kecamatan, so no Kapolsek's: the Kapolres commands it from the start
            assert Incident.objects.get(pk=made.json()["id"]).level == Incident.Level.POLRES
    tps_incident = report(as_commander, plan)
    assert f"Kec. {names[SECTOR]}" in card(as_commander, plan, tps_incident)


def test_the_page_says_the_kapolda_commanding_sends_brimob(as_commander, as_polda, plan):
    incident = handed_up(as_commander, plan)
    page = as_polda.get(f"/plans/{plan.pk}/incidents/").content.decode()
    assert "setelah komando diserahkan kepada Kapolda, juga oleh Kapolda" in page
    assert "dikerahkan oleh Kapolres." not in page
    team = brimob(as_polda, incident)
    assert f"Kerahkan {team['name']}" in card(as_polda, plan, incident)  # the text and the buttons agree
    as_polda.cookies["django_language"] = "en"
    page = as_polda.get(f"/plans/{plan.pk}/incidents/").content.decode()
    assert "once command is handed up to the Kapolda, by the Kapolda too" in page
    planner = card(client_for("planner"), plan, incident)  # who may not send Brimob there is told who may
    assert "dikerahkan oleh Kapolda atau Kapolres" in planner
