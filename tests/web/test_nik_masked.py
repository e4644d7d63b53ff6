"""A Linmas member's NIK is personal data: the pages that list or show people give it masked
(`linmas.masked`, docs/security.md), to every role; an NRP is shown as it is. The whole NIK
still finds the person."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from siaga.core.data import linmas
from siaga.operations.models import Person
from tests.web.conftest import client_for


def _cells(html: str) -> str:
    """The page's visible text (tags dropped): a link's address is not read on the page."""
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("role", ["viewer", "planner", "commander"])
def test_the_personnel_list_masks_a_linmas_nik(operation, plan, role):
    member = Person.objects.filter(operation=operation, force="LINMAS").order_by("code").first()
    officer = Person.objects.filter(operation=operation, force="POLRI").order_by("code").first()
    assert member is not None and officer is not None and len(member.code) >= 12
    url = reverse("personnel_list", args=[operation.pk])
    page = client_for(role).get(url, {"q": member.name}).content.decode()
    shown = _cells(page)
    assert member.name in shown
    assert linmas.masked(member.code) in shown
    assert member.code not in shown
    found = _cells(client_for(role).get(url, {"q": member.code}).content.decode())
    assert member.name in found  # the whole number still finds him
    polri = _cells(client_for(role).get(url, {"q": officer.name}).content.decode())
    assert officer.code in polri


def test_a_linmas_person_page_masks_his_nik(operation, plan):
    from tests.web.conftest import publish

    publish(plan)
    member = Person.objects.filter(operation=operation, force="LINMAS").order_by("code").first()
    assert member is not None
    page = client_for("viewer").get(reverse("plan_person", args=[plan.pk, member.code]))
    assert page.status_code == 200
    facts = page.content.decode().split('id="person-facts"')[1].split("</dl>")[0]
    assert linmas.masked(member.code) in facts and member.code not in facts


def test_the_plan_page_masks_a_linmas_nik_and_keeps_it_for_the_click_that_fills_a_form(operation, plan):
    from siaga.plans.models import PlanAssignment

    code = PlanAssignment.objects.filter(plan=plan, slot="LINMAS").order_by("person_code").first().person_code
    page = client_for("planner").get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert f'<code data-code="{code}">{linmas.masked(code)}</code>' in page
    assert code not in _cells(page)
    officer = PlanAssignment.objects.filter(plan=plan, slot="POLRI").order_by("person_code").first().person_code
    assert f"<code>{officer}</code>" in page


def test_the_apel_roll_call_masks_a_linmas_nik(operation, plan):
    from siaga.plans.models import PlanAssignment
    from tests.web.conftest import publish

    publish(plan)
    code = PlanAssignment.objects.filter(plan=plan, slot="LINMAS").order_by("person_code").first().person_code
    member = Person.objects.get(operation=operation, code=code)
    page = client_for("planner").get(reverse("apel", args=[plan.pk]), {"q": member.name}).content.decode()
    roster = page.split('id="roster"')[1].split("</table>")[0]
    assert member.name in roster and linmas.masked(code) in _cells(roster)
    assert code not in _cells(roster)
    assert f'data-code="{code}"' in roster  # the tick sends the whole number


def test_the_apel_absentee_lists_and_the_check_in_message_mask_a_linmas_nik(operation, plan):
    from siaga.field.models import CheckIn
    from siaga.plans.models import PlanAssignment
    from tests.web.conftest import publish

    publish(plan)
    codes = list(PlanAssignment.objects.filter(plan=plan, slot="LINMAS").values_list("person_code", flat=True))
    others = PlanAssignment.objects.filter(plan=plan).exclude(slot="LINMAS").values_list("person_code", flat=True)
    CheckIn.objects.bulk_create(  # everyone else is at the apel: the Linmas head the lists of the absent
        CheckIn(operation_id=operation.pk, person_code=code, method="list", key=f"nik-{code}") for code in set(others)
    )
    page = client_for("planner").get(reverse("apel", args=[plan.pk])).content.decode()
    folded = page.split('id="absentees"')[1].split("</details>")[0]
    panel = page.split('id="absent-panel"')[1].split("</section>")[0]
    listed = [c for c in codes if f'data-absent="{c}"' in folded or f'data-absentee="{c}"' in panel]
    assert listed, "some Linmas are listed as not yet present"
    for code in listed:
        assert linmas.masked(code) in _cells(folded + panel) and code not in _cells(folded + panel)
    answer = client_for("planner").post(
        reverse("apel_checkin", args=[plan.pk]),
        {"nrp": listed[0], "method": "nrp"},
        headers={"Idempotency-Key": "nik-masked-checkin", "Accept": "application/json"},
    )
    said = answer.json()["message"]
    assert linmas.masked(listed[0]) in said and listed[0] not in said


def test_the_replan_forms_chosen_people_mask_a_linmas_nik(operation, plan):
    from siaga.plans.models import PlanAssignment
    from siaga.plans.views import _chosen_people

    code = PlanAssignment.objects.filter(plan=plan, slot="LINMAS").order_by("person_code").first().person_code
    officer = PlanAssignment.objects.filter(plan=plan, slot="POLRI").order_by("person_code").first().person_code
    (linmas_value, linmas_label), (officer_value, officer_label) = _chosen_people(plan, [code, officer])
    assert linmas_value == code and f"({linmas.masked(code)})" in linmas_label and code not in linmas_label
    assert officer_value == officer and f"({officer})" in officer_label
