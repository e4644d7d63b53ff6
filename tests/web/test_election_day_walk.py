"""Election day walked as its users walk it: the post leader's phone reports (status, TPS stages,
an incident), the Posko works the incident (a Kapolsek dispatches, escalates and closes in
Indonesian) and the Kapolres and the report read it in English. Each test is a defect seen on
that walk: the action log in the reader's language, the API's refusals in words (never "not
found" or a raw validation list), the TPS stages on the live dashboard, the phone's description
bounded as the API bounds it."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from siaga.field.services.day import report_data
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, own_post, publish

_keys = itertools.count()


@pytest.fixture(autouse=True)
def _current(plan: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return publish(plan)


def post(client: Client, url: str, body: Any = None) -> Any:
    headers = {"Idempotency-Key": f"walk-{next(_keys)}"}
    return client.post(url, "" if body is None else body, content_type="application/json", headers=headers)


def tps_post(plan: Plan, kecamatan: str = SECTOR) -> dict[str, Any]:
    return next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == kecamatan and p["kind"] == "TPS")


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def worked_incident(as_sector: Client, plan: Plan) -> int:
    """An incident in the sector, worked in Indonesian by its Kapolsek: his Polsek's unit sent
    and moved on, the command escalated to the Kapolres, then closed by the Kapolres."""
    body = {"kind": "bentrok", "severity": 2, "post_id": tps_post(plan)["id"]}
    pk = int(post(as_sector, f"/api/plans/{plan.pk}/incidents", body).json()["id"])
    own = next(u for u in as_sector.get(f"/api/incidents/{pk}/reserves").json() if u["may_dispatch"])
    sent = post(as_sector, f"/api/incidents/{pk}/dispatch", {"post_id": own["post_id"]})
    assert sent.status_code == 201, sent.content
    step = post(as_sector, f"/api/dispatches/{sent.json()['id']}/status", {"status": "dalam_perjalanan"})
    assert step.status_code == 200, step.content
    assert post(as_sector, f"/api/incidents/{pk}/escalate").status_code == 200
    return pk


def log_of(client: Client, plan: Plan, pk: int) -> str:
    page = client.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    card = re.search(rf'<article[^>]*id="incident-{pk}".*?</article>', page, re.S)
    assert card, page[:500]
    log = re.search(r'<ol class="log".*?</ol>', card.group(0), re.S)
    assert log
    return log.group(0)


def test_it_shows_the_action_log_in_the_readers_language_whoever_acted(as_sector, as_commander, plan):
    pk = worked_incident(as_sector, plan)
    close = {"disposition": "selesai_di_tempat", "note": "massa bubar", "confirmed": True}
    assert post(as_commander, f"/api/incidents/{pk}/close", close).status_code == 200
    log = log_of(english(as_commander), plan, pk)
    assert "expected to arrive in" in log and "perkiraan tiba" not in log
    assert ": en route" in log and "dalam perjalanan" not in log
    assert "settled on the spot" in log and "selesai di tempat" not in log
    assert "Kapolres" in log
    indonesian = log_of(as_sector, plan, pk)
    assert "perkiraan tiba" in indonesian and ": dalam perjalanan" in indonesian
    assert "selesai di tempat" in indonesian and "settled" not in indonesian


def test_the_report_pdf_action_log_is_in_the_readers_language(as_sector, as_commander, plan):
    pk = worked_incident(as_sector, plan)
    commander = get_user_model().objects.get(username="commander")
    with translation.override("en"):
        rows = next(r for r in report_data(plan, commander)["incidents"] if r["incident"].pk == pk)["log"]
        details = " | ".join(str(e["detail"]) for e in rows)
    assert "expected to arrive in" in details and "en route" in details and "Kapolres" in details
    assert "perkiraan" not in details and "dalam perjalanan" not in details


def test_an_old_log_entry_written_with_the_step_label_still_reads_in_english(as_sector, as_commander, plan):
    from siaga.field.models import IncidentAction

    pk = worked_incident(as_sector, plan)
    entry = IncidentAction.objects.filter(incident_id=pk, action="unit").get()
    unit = entry.detail.rpartition(": ")[0]
    entry.detail = f"{unit}: dalam perjalanan"  # as stored before the step's code
    entry.save(update_fields=["detail"])
    shown = unit.replace("Dalmas Awal Polsek", "Dalmas Awal, Polsek")  # the team, in English too
    assert unit != shown and f"{shown}: en route" in log_of(english(as_commander), plan, pk)


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_refusal_for_something_out_of_reach_says_so_in_words(as_sector, plan, language):
    if language == "en":
        english(as_sector)
    other = {"kind": "bentrok", "severity": 1, "post_id": tps_post(plan, OTHER_SECTOR)["id"]}
    response = post(as_sector, f"/api/plans/{plan.pk}/incidents", other)
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail != "not found"
    assert ("outside your area" in detail) if language == "en" else ("di luar wilayah Anda" in detail)


def test_an_invalid_report_is_refused_in_words_with_the_errors_apart(as_field_officer, plan):
    body = {"kind": "bentrok", "severity": 1, "post_id": own_post(plan), "description": "x" * 4001}
    response = post(as_field_officer, f"/api/plans/{plan.pk}/incidents", body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["detail"] == "Isian tidak sah."  # what the phone's log shows
    assert any("description" in [str(p) for p in e["loc"]] for e in answer["errors"])


def test_the_phone_bounds_the_description_as_the_api_does(as_field_officer, plan):
    page = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert re.search(r'<textarea id="incident-description"[^>]*maxlength="4000"', page)


def test_the_live_dashboard_counts_the_tps_stages_reported_in_the_readers_scope(
    as_field_officer, as_planner, as_sector, plan
):
    posts = plan_file(plan)["posts"]
    own = next(p for p in posts if p["id"] == own_post(plan))
    mine = own["tps"][0]
    for kind in ("dibuka", "pemungutan", "dibuka"):  # the same stage twice counts one TPS
        assert post(as_field_officer, f"/api/plans/{plan.pk}/tps/{mine}/events", {"kind": kind}).status_code == 201
    other = tps_post(plan, OTHER_SECTOR)["tps"][0]
    assert post(as_planner, f"/api/plans/{plan.pk}/tps/{other}/events", {"kind": "dibuka"}).status_code == 201

    def stages(client: Client) -> dict[str, str]:
        page = client.get(f"/plans/{plan.pk}/live/?part=1").content.decode()
        table = re.search(r'<table id="live-tps-stages">.*?</table>', page, re.S)
        assert table, page[:300]
        rows = re.findall(r'data-kind="(\w+)"><td>([^<]*)</td><td class="num">([^<]*)</td>', table.group(0))
        return {kind: f"{label}: {n}" for kind, label, n in rows}

    every_tps = len({t for p in posts for t in p.get("tps", [])})
    sector_tps = len({t for p in posts if p["kecamatan_code"] == SECTOR for t in p.get("tps", [])})
    assert stages(as_planner)["dibuka"] == f"dibuka: 2 / {every_tps}"
    assert stages(as_planner)["pemungutan"] == f"pemungutan: 1 / {every_tps}"
    assert stages(as_sector)["dibuka"] == f"dibuka: 1 / {sector_tps}"  # his kecamatan only
    assert stages(english(as_sector))["penghitungan"] == f"counting: 0 / {sector_tps}"


def test_the_register_numbers_each_incident_and_names_its_tps_as_the_cards_do(as_field_officer, as_sector, plan):
    own = next(p for p in plan_file(plan)["posts"] if p["id"] == own_post(plan))
    body = {"kind": "politik uang", "severity": 1, "tps_code": own["tps"][0], "description": "amplop"}
    pk = post(as_field_officer, f"/api/plans/{plan.pk}/incidents", body).json()["id"]
    card = re.search(
        rf'id="incident-{pk}".*?</div>', as_sector.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode(), re.S
    )
    assert card
    page = as_sector.get(f"/plans/{plan.pk}/incidents/register/").content.decode()
    row = re.search(rf'<tr data-incident="{pk}">(.*?)</tr>', page, re.S)
    assert row, page[-800:]
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert cells[0] == str(pk)  # the number the cards, the phone and the report use
    name = cells[8]
    assert own["tps"][0] not in row.group(1) and name.startswith("TPS ")
    assert f" · {name} · " in " ".join(card.group(0).split())  # the same name as on the incident's card
    export = as_sector.get(f"/plans/{plan.pk}/incidents/register/?format=csv").content.decode()
    assert name in export and own["tps"][0] not in export


def test_the_registers_post_column_is_one_post_in_english(as_sector, plan):
    page = english(as_sector).get(f"/plans/{plan.pk}/incidents/register/").content.decode()
    assert re.search(r'<th class="col-post">Post</th>', page), re.findall(r'<th class="col-post">.*?</th>', page)
