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
