"""Election offences (politik uang, intimidasi) follow the operation's election kind: in a Pemilu
or a Pilkada they go to Bawaslu and the Gakkumdu within 7 days (DOCTRINE.md 12); a Pilkades has
neither, so Polri takes the crime (Reskrim) or the village committee the dispute, with no
Bawaslu deadline. The operation's setting `offence_route` overrides the kind (Siaga's default).

The demo operation is the Pasuruan Kota Pilkades 2022."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.test import Client

from siaga.core.data.cells import Bad
from siaga.core.data.scenario import OPERATION
from siaga.field.models import Incident
from siaga.field.services import taxonomy
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import SECTOR, publish

_keys = itertools.count()
PILKADES_CLOSINGS = ["", "reskrim", "panitia"]


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def post(client: Client, url: str, body: Any = None) -> Any:
    headers = {"Idempotency-Key": f"offence-{next(_keys)}"}
    return client.post(url, "" if body is None else body, content_type="application/json", headers=headers)


def report(client: Client, plan: Plan, kind: str = "politik uang") -> int:
    post_id = next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == SECTOR and p["kind"] == "TPS")["id"]
    response = post(client, f"/api/plans/{plan.pk}/incidents", {"kind": kind, "severity": 2, "post_id": post_id})
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def card(client: Client, plan: Plan, incident: int) -> str:
    page = client.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    found = page[page.index(f'id="incident-{incident}"') :]
    return found[: found.index("</article>")]


def offered(card_html: str) -> list[str]:
    select = card_html[card_html.index('name="disposition"') : card_html.index("</select>")]
    return re.findall(r'<option value="([^"]*)"', select)


def close(client: Client, incident: int, disposition: str) -> Any:
    body = {"disposition": disposition, "note": "amplop disita, pelaku diperiksa", "confirmed": True}
    return post(client, f"/api/incidents/{incident}/close", body)


def as_pemilu(operation: Any) -> None:
    """The operation renamed to a Pemilu (its name and pattern are what say the election kind)."""
    operation.name, operation.pattern = "Operasi Mantap Brata Pemilu 2024", "pemilu-2024"
    operation.save(update_fields=["name", "pattern"])


def test_it_gives_a_pilkades_money_politics_report_no_bawaslu_deadline(as_sector, plan):
    incident = report(as_sector, plan)
    shown = card(as_sector, plan, incident)
    assert "Tindak pidana Pilkades" in shown and "Reskrim" in shown and "panitia pemilihan" in shown
    assert "paling lambat" not in shown and "sisa 7 hari" not in shown
    assert "refer-form" not in shown and "Gakkumdu/Bawaslu" not in shown
    assert offered(shown) == PILKADES_CLOSINGS


def test_it_closes_a_pilkades_offence_only_to_reskrim_or_the_committee(as_sector, plan):
    incident = report(as_sector, plan)
    for refused in ("gakkumdu", "selesai_di_tempat", "lainnya"):
        response = close(as_sector, incident, refused)
        assert response.status_code == 422, refused
    assert "Reskrim" in close(as_sector, incident, "selesai_di_tempat").json()["detail"]
    referral = post(as_sector, f"/api/incidents/{incident}/refer", {"note": "Surat ke Bawaslu"})
    assert referral.status_code == 422 and "Pemilu atau Pilkada" in referral.json()["detail"]
    assert close(as_sector, incident, "panitia").status_code == 200
    row = Incident.objects.get(pk=incident)
    assert row.disposition == "panitia" and row.referred_at is None
    assert "diserahkan ke panitia pemilihan" in card(as_sector, plan, incident)


def test_it_offers_a_pilkades_incident_that_is_no_offence_every_pilkades_closing(as_sector, plan):
    incident = report(as_sector, plan, kind="bentrok")
    assert offered(card(as_sector, plan, incident)) == ["", "selesai_di_tempat", "reskrim", "panitia", "lainnya"]
    assert close(as_sector, incident, "gakkumdu").status_code == 422
    assert close(as_sector, incident, "selesai_di_tempat").status_code == 200


def test_it_keeps_the_gakkumdu_way_for_a_pemilu(as_sector, operation, plan):
    as_pemilu(operation)
    incident = report(as_sector, plan)
    shown = card(as_sector, plan, incident)
    assert "teruskan ke Bawaslu/Gakkumdu paling lambat" in shown and "Tindak pidana Pilkades" not in shown
    assert offered(shown) == ["gakkumdu"]
    assert close(as_sector, incident, "panitia").status_code == 422
    assert close(as_sector, incident, "reskrim").status_code == 422
    assert close(as_sector, incident, "gakkumdu").status_code == 200
    assert Incident.objects.get(pk=incident).referred_at is not None


@pytest.mark.parametrize(
    ("pemilu", "setting", "route"),
    [
        (False, None, "polri"),
        (True, None, "gakkumdu"),
        (False, "gakkumdu", "gakkumdu"),
        (True, "POLRI", "polri"),
        (False, "bawaslu", "polri"),  # a word it does not know: the election kind's way
    ],
)
def test_the_setting_overrides_the_election_kind(operation, pemilu, setting, route):
    if pemilu:
        as_pemilu(operation)
    if setting is not None:
        operation.config = {**operation.config, "offence_route": setting}
    assert taxonomy.offence_route(operation) == route


def test_the_workbook_reads_the_setting_and_refuses_another_word():
    column = next(c for c in OPERATION.columns if c.name == "offence_route")
    assert column.alias == "penanganan_pelanggaran" and column.default == ""
    assert column.read(" Polri ") == "polri" and column.read("GAKKUMDU") == "gakkumdu"
    with pytest.raises(Bad):
        column.read("bawaslu")
