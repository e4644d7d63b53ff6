"""What a re-plan knows and the operation's data does not (`services.replan_drift`): people it
took off as absent stay "ready" in the data, and TPS whose category it changed keep their old
one, so a new plan made from the data would place those people again and take the old
categories. The plan list says so, names them, and lets the planner set the data in one step:
the people not ready (as the personnel list's bulk action), the categories as the plan's (as
the TPS list's, with the version as the reason), both audited."""

from __future__ import annotations

import re
from typing import Any

import pytest

from siaga.audit.models import AuditEntry
from siaga.operations.models import Person, Tps
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import client_for, publish


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.SIAGA_JOBS_INLINE = True


def replanned(client: Any, plan: Plan, absent: list[str], categories: str = "") -> Plan:
    client.post(f"/plans/{plan.pk}/replan/", {"absent": "\n".join(absent), "categories": categories})
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
    notice = re.search(r'<div id="absent-still-ready">(.*?)</div>', html, re.S).group(1)
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
    assert "records 1 person as absent" in shown and "Mark 1 person not ready" in shown
    assert 'id="absent-still-ready"' not in client_for("sector").get(list_url).content.decode()


def test_the_plan_list_sets_the_datas_categories_to_the_replans(as_planner, operation, plan):
    publish(plan)
    list_url = f"/plans/ops/{operation.pk}/"
    categories = plan_file(plan)["tps_categories"]
    changed = sorted(t for t, c in categories.items() if c == "KURANG_RAWAN")[:2]
    new = replanned(as_planner, plan, [], "\n".join(f"{t} = sangat rawan" for t in changed))
    html = as_planner.get(list_url).content.decode()
    notice = re.search(r'<div id="categories-not-in-data">(.*?)</div>', html, re.S).group(1)
    assert f"Versi {new.version} mengubah kategori 2 TPS" in notice
    for code in changed:
        assert f"{code}</a>: di data Kurang rawan, di rencana Sangat rawan" in notice
    assert 'id="absent-still-ready"' not in html

    answer = as_planner.post(f"/plans/ops/{operation.pk}/categories-to-data/")
    assert answer.status_code == 302 and answer.headers["Location"] == list_url
    for t in Tps.objects.filter(operation=operation, code__in=changed):
        assert (t.effective_category, t.category) == ("SANGAT_RAWAN", "SANGAT_RAWAN")
        assert t.category_reason == f"Ditetapkan pada susun ulang rencana versi {new.version}"
    entry = AuditEntry.objects.filter(operation_id=operation.pk, action="bulk_category").latest("pk")
    assert sorted(entry.before) == changed
    html = as_planner.get(list_url).content.decode()
    assert 'id="replan-drift"' not in html
    # a second click changes nothing
    again = as_planner.post(f"/plans/ops/{operation.pk}/categories-to-data/", follow=True).content.decode()
    assert "Tidak ada yang berubah" in again
    assert AuditEntry.objects.filter(operation_id=operation.pk, action="bulk_category").count() == 1


def test_the_dashboard_says_the_plan_differs_from_the_data(as_planner, operation, plan):
    publish(plan)
    dashboard = f"/ops/{operation.pk}/"
    assert 'id="replan-drift"' not in as_planner.get(dashboard).content.decode()
    absent = list(plan.assignments.filter(slot="POLRI").values_list("person_code", flat=True)[:2])
    tps = sorted(t for t, c in plan_file(plan)["tps_categories"].items() if c == "KURANG_RAWAN")[0]
    new = replanned(as_planner, plan, absent, f"{tps} = rawan")
    line = re.search(r'<p class="warning" id="replan-drift">(.*?)</p>', as_planner.get(dashboard).content.decode())
    assert line is not None
    text = re.sub(r"<[^>]+>", "", line.group(1))
    assert f"Versi {new.version} berbeda dari data operasi: 2 personel berhalangan masih tertanda siap, 1 TPS" in text
    assert f'href="/plans/ops/{operation.pk}/#replan-drift"' in line.group(1)
    assert 'id="replan-drift"' not in client_for("sector").get(dashboard).content.decode()
