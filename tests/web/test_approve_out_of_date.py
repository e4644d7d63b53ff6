"""A draft is approved only on the data it was made of: when people on its posts are no longer
ready (or a TPS changed), the Kapolres is told in words what changed and what to do, and the
version stays a draft; once the data is as it was, it is approved."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from siaga.operations.models import Person
from siaga.plans import services
from siaga.plans.models import Plan


def commander() -> Any:
    return get_user_model().objects.get(username="commander")


def test_a_draft_whose_people_are_no_longer_ready_is_not_approved(plan: Plan) -> None:
    on_post = plan.assignments.order_by("person_code").values_list("person_code", flat=True).first()
    people = Person.objects.filter(operation_id=plan.operation_id, code=on_post)
    people.update(available=False)
    with pytest.raises(services.PlanError) as refused:
        services.approve(plan, commander())
    said = str(refused.value)
    assert "Versi ini tidak dapat disetujui: data operasi berubah sejak versi ini disusun" in said
    assert "1 personel yang bertugas kini tertanda tidak siap" in said and "Susun ulang rencana" in said
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    people.update(available=True)
    assert services.approve(plan, commander()).status == Plan.Status.APPROVED


def test_the_kapolres_pressing_approve_reads_why(plan: Plan, as_commander: Any) -> None:
    on_post = plan.assignments.order_by("person_code").values_list("person_code", flat=True).first()
    Person.objects.filter(operation_id=plan.operation_id, code=on_post).update(available=False)
    answer = as_commander.post(f"/plans/{plan.pk}/approve/", {"confirm": "yes"}, follow=True)
    assert "data operasi berubah sejak versi ini disusun" in answer.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
