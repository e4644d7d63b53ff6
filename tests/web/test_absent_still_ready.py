"""People a re-plan took off as absent stay "ready" in the operation's data, so a new plan made
from the data would place them again: the plan list says so, names them, and lets the planner
mark them not ready in one step (audited, as the personnel list's bulk action)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from siaga.audit.models import AuditEntry
from siaga.operations.models import Person
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import client_for, publish


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.SIAGA_JOBS_INLINE = True


def replanned(client: Any, plan: Plan, absent: list[str]) -> Plan:
    client.post(f"/plans/{plan.pk}/replan/", {"absent": "\n".join(absent), "categories": ""})
    new = Plan.objects.filter(operation_id=plan.operation_id).order_by("-version").first()
    assert new is not None and plan_file(new)["replan"]["absent"] == sorted(absent)
    return publish(new)


def test_the_plan_list_names_absentees_the_data_still_marks_ready(as_planner, operation, plan):
    publish(plan)
    list_url = f"/plans/ops/{operation.pk}/"
    assert 'id="absent-still-ready"' not in as_planner.get(list_url).content.decode()
    absent = sorted(plan.assignments.filter(slot="POLRI").values_list("person_code", flat=True)[:2])
    new = replanned(as_planner, plan, absent)

    html = as_planner.get(list_url).content.decode()
    notice = re.search(r'<div class="warning" id="absent-still-ready">(.*?)</div>', html, re.S).group(1)
    assert f"Versi {new.version} mencatat 2 personel berhalangan" in notice
    for code in absent:
        assert code in notice and str(Person.objects.get(operation=operation, code=code).name) in notice

    # one step marks them not ready; the notice is gone and a new plan leaves them out
    ids = re.findall(r'name="ids" value="(\d+)"', notice)
    answer = as_planner.post(
        f"/ops/{operation.pk}/personnel/bulk/", {"ids": ids, "available": "tidak", "next": list_url}
    )
    assert answer.status_code == 302 and answer.headers["Location"] == list_url
    assert not Person.objects.filter(operation=operation, code__in=absent, available=True).exists()
    assert AuditEntry.objects.filter(operation_id=operation.pk).exists()
    assert 'id="absent-still-ready"' not in as_planner.get(list_url).content.decode()
    as_planner.post(f"/plans/ops/{operation.pk}/start/")
    fresh = Plan.objects.filter(operation=operation).order_by("-version").first()
    assert fresh.version == new.version + 1 and "replan" not in plan_file(fresh)
    assert not set(absent) & {a["person"] for a in plan_file(fresh)["assignments"]}


def test_only_the_polres_staff_see_it_and_only_editors_get_the_button(operation, plan):
    publish(plan)
    absent = list(plan.assignments.filter(slot="POLRI").values_list("person_code", flat=True)[:1])
    replanned(client_for("planner"), plan, absent)
    list_url = f"/plans/ops/{operation.pk}/"
    commander = client_for("commander").get(list_url).content.decode()
    assert 'id="absent-still-ready"' in commander and 'id="mark-absent"' not in commander
    english = client_for("planner")
    english.cookies["django_language"] = "en"
    shown = english.get(list_url).content.decode()
    assert "records 1 person as absent" in shown and "Mark this person not ready" in shown
    assert 'id="absent-still-ready"' not in client_for("sector").get(list_url).content.decode()
