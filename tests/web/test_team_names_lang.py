"""The units the Posko sends read in the reader's language ("Patrol, Polsek Kraton" on an
English page, "Patroli Polsek Kraton" on an Indonesian one), and a dispatch keeps the
Indonesian name (the audit's and the log's record) whatever the language of who sent it."""

from __future__ import annotations

import html
from typing import Any

import pytest

from siaga.field.models import Dispatch
from siaga.field.services import units
from siaga.operations.models import Region, Unit
from tests.web.conftest import SECTOR, client_for, publish
from tests.web.test_field_api import post, post_in
from tests.web.test_i18n import in_english


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def test_a_patrol_reads_in_each_readers_language_and_is_kept_in_indonesian(plan):
    polsek = Unit.objects.get(operation_id=plan.operation_id, kind="POLSEK", kecamatan_code=SECTOR)
    where = Region.objects.get(operation_id=plan.operation_id, code=SECTOR).name
    english = in_english(client_for("planner"))
    body = {"kind": "kericuhan", "severity": 2, "post_id": post_in(plan, SECTOR)["id"]}
    pk = post(english, f"/api/plans/{plan.pk}/incidents", body).json()["id"]
    sent = post(english, f"/api/incidents/{pk}/dispatch", {"post_id": f"PATROLI:{polsek.code}"})
    assert sent.status_code == 201
    assert Dispatch.objects.get(incident_id=pk).unit_name == f"Patroli Polsek {where}"  # kept in Indonesian
    page = html.unescape(english.get(f"/plans/{plan.pk}/incidents/").content.decode())
    assert f'data-unit="Patrol, Polsek {where}"' in page and f"Patroli Polsek {where}" not in page
    assert f"Patrol, Polsek {where}, expected to arrive in" in page  # the incident's log, in his words too
    page = html.unescape(client_for("planner").get(f"/plans/{plan.pk}/incidents/").content.decode())
    assert f'data-unit="Patroli Polsek {where}"' in page and f"Patrol, Polsek {where}" not in page


def test_every_team_name_has_an_english_form():
    from django.utils import translation

    for key, msgid in units.NAMES.items():
        with translation.override("en"):
            english = translation.gettext(msgid)
        assert english != msgid, key
