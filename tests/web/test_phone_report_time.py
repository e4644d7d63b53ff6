"""A report the phone queued during an outage keeps the time it was made: a post status, a TPS
step and an incident are stamped with the phone's `at`, not the time they arrived (an
unreadable stamp, or one ahead of the server's clock, is taken as now, never refused)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from siaga.field.models import Incident, PostStatus, TpsEvent
from tests.web.conftest import SECTOR, publish
from tests.web.test_field_api import post, post_in


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")  # as the phone's toISOString


def test_a_status_sent_after_an_outage_keeps_the_time_it_was_made(as_sector, plan):
    made = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2, minutes=7)
    target = post_in(plan, SECTOR)
    url = f"/api/plans/{plan.pk}/posts/{target['id']}/status"
    assert post(as_sector, url, {"status": "tiba", "at": _iso(made)}).status_code == 201
    assert post(as_sector, url, {"status": "siaga"}).status_code == 201  # no stamp: now
    rows = list(PostStatus.objects.filter(post_id=target["id"]).order_by("at"))
    assert rows[0].status == "tiba" and rows[0].at == made
    assert rows[1].status == "siaga" and abs(rows[1].at - timezone.now()) < dt.timedelta(minutes=1)
    # a late "tiba" made before the "siaga" the board already has does not undo it
    late = made - dt.timedelta(minutes=30)
    assert post(as_sector, url, {"status": "berangkat", "at": _iso(late)}).status_code == 201
    board = as_sector.get(f"/api/plans/{plan.pk}/board").json()
    assert target["id"] not in {p["post_id"] for p in board.get(SECTOR, [])}  # still in place (siaga)


def test_a_tps_step_and_an_incident_keep_the_phones_time(as_sector, plan, operation):
    made = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=95)
    tps = operation.tps_set.filter(kecamatan_code=SECTOR).first()
    answer = post(as_sector, f"/api/plans/{plan.pk}/tps/{tps.code}/events", {"kind": "dibuka", "at": _iso(made)})
    assert answer.status_code == 201 and TpsEvent.objects.get(tps_code=tps.code).at == made
    body = {"kind": "kericuhan", "severity": 2, "post_id": post_in(plan, SECTOR)["id"], "at": _iso(made)}
    answer = post(as_sector, f"/api/plans/{plan.pk}/incidents", body)
    assert answer.status_code == 201 and Incident.objects.get(pk=answer.json()["id"]).reported_at == made


@pytest.mark.parametrize("stamp", ["kemarin", "2999-01-01T00:00:00Z", ""])
def test_a_stamp_that_cannot_be_the_time_is_taken_as_now_not_refused(as_sector, plan, stamp):
    target = post_in(plan, SECTOR)
    url = f"/api/plans/{plan.pk}/posts/{target['id']}/status"
    assert post(as_sector, url, {"status": "berangkat", "at": stamp}).status_code == 201
    assert abs(PostStatus.objects.get(post_id=target["id"]).at - timezone.now()) < dt.timedelta(minutes=1)
