"""The dashboard says when the newest plan version waits on the Kapolres: to him, that it
waits for his approval (or his publishing); to the others, that it waits for the Kapolres."""

from __future__ import annotations

import html

from django.urls import reverse

from siaga.plans.models import Plan
from tests.web.conftest import client_for, publish


def _line(role: str, plan: Plan) -> str:
    page = html.unescape(client_for(role).get(reverse("dashboard_for", args=[plan.operation_id])).content.decode())
    start = page.find('id="plan-awaiting"')
    return page[start : page.find("</p>", start)] if start >= 0 else ""


def test_a_draft_waits_for_the_kapolres_and_he_is_told_so(plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    assert f"Rencana versi {plan.version} menunggu persetujuan Anda" in _line("commander", plan)
    assert f'href="/plans/{plan.pk}/"' in _line("commander", plan)
    assert f"Rencana versi {plan.version} menunggu persetujuan Kapolres" in _line("planner", plan)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    assert "sudah disetujui dan menunggu Anda terbitkan" in _line("commander", plan)
    assert "sudah disetujui, belum diterbitkan" in _line("sector", plan)
    publish(plan)
    assert _line("commander", plan) == "" and _line("planner", plan) == ""
