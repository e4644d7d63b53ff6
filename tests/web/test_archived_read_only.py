"""An archived operation is kept to be read: every page still opens, every change (plan, edit,
import, pin, field write from the console) is refused with a page that says why and what to
do, and nothing changes; its archive and its name stay open on its settings page, so it can
be brought back."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.operations.models import Operation, Person
from siaga.plans.models import Plan, PlanJob
from tests.web.conftest import client_for, publish


@pytest.fixture
def archived(operation: Any, plan: Any) -> Operation:
    publish(plan)
    Operation.objects.filter(pk=operation.pk).update(archived=True)
    operation.refresh_from_db()
    return operation


def test_its_pages_open_and_its_changes_are_refused_with_the_reason(archived: Operation, plan: Any) -> None:
    planner = client_for("planner")
    for url in (f"/ops/{archived.pk}/", f"/ops/{archived.pk}/tps/", f"/plans/ops/{archived.pk}/", f"/plans/{plan.pk}/"):
        page = planner.get(url)
        assert page.status_code == 200 and 'id="archived-banner"' in page.content.decode(), url
    person = Person.objects.filter(operation=archived).order_by("pk").first()
    before = (Plan.objects.count(), PlanJob.objects.count(), person.available)
    writes = [
        (f"/plans/ops/{archived.pk}/start/", {}),
        (f"/ops/{archived.pk}/personnel/bulk/", {"ids": [person.pk], "available": "tidak"}),
        (f"/plans/{plan.pk}/pin/", {"person": person.code, "kind": "STAF", "reason": "uji"}),
        (f"/plans/{plan.pk}/apel/checkin/", {"code": person.code}),
    ]
    for url, data in writes:
        answer = planner.post(url, data)
        assert answer.status_code == 403, url
        assert "Operasi ini diarsipkan dan hanya dapat dibaca" in answer.content.decode(), url
        assert f'href="/ops/{archived.pk}/versions/" id="settings-link"' in answer.content.decode(), url
    person.refresh_from_db()
    assert (Plan.objects.count(), PlanJob.objects.count(), person.available) == before
    planner.cookies["django_language"] = "en"
    assert "This operation is archived and can only be read" in planner.post(writes[0][0]).content.decode()


def test_it_can_be_renamed_and_brought_back(archived: Operation) -> None:
    admin = client_for("planner")
    assert admin.post(f"/ops/{archived.pk}/rename/", {"name": f"{archived.name} (arsip)"}).status_code == 302
    assert admin.post(f"/ops/{archived.pk}/archive/", {"archived": "0"}).status_code == 302
    archived.refresh_from_db()
    assert not archived.archived and archived.name.endswith("(arsip)")
    assert admin.post(f"/plans/ops/{archived.pk}/start/").status_code == 302  # changes again


def test_another_refusal_keeps_its_own_words(plan: Any) -> None:
    answer = client_for("viewer").post(f"/plans/ops/{plan.operation_id}/start/")
    assert answer.status_code == 403 and "Peran Anda tidak mengizinkan" in answer.content.decode()


def test_an_active_operations_pages_carry_no_banner(operation: Any, plan: Any) -> None:
    planner = client_for("planner")
    for url in (f"/ops/{operation.pk}/", f"/plans/{plan.pk}/"):
        assert 'id="archived-banner"' not in planner.get(url).content.decode(), url
