"""A version whose posts hold people the data no longer has (a PPS decree replaced a Linmas, a
new import dropped someone) says so on the plan list and the dashboard: those posts count as
filled until the plan is made again."""

from __future__ import annotations

import html

from django.urls import reverse

from siaga.operations.models import Person
from tests.web.conftest import client_for, publish
from tests.web.test_field_api import people_in


def test_the_plan_list_and_dashboard_name_the_people_the_data_lost(plan):
    publish(plan)
    lists, dashboard = (
        reverse("plan_list", args=[plan.operation_id]),
        reverse("dashboard_for", args=[plan.operation_id]),
    )
    planner = client_for("planner")
    assert 'id="plan-gone-people"' not in planner.get(lists).content.decode()
    gone = people_in(plan)[:2]
    Person.objects.filter(operation_id=plan.operation_id, code__in=gone).delete()
    page = html.unescape(planner.get(lists).content.decode())
    assert f"Versi {plan.version} masih menempatkan 2 personel yang tidak ada lagi di data operasi" in page
    assert f'href="/plans/{plan.pk}/"' in page
    board = html.unescape(client_for("commander").get(dashboard).content.decode())
    assert 'id="plan-gone-people"' in board and "2 personel yang tidak ada lagi" in board
    assert 'id="plan-gone-people"' not in client_for("sector").get(dashboard).content.decode()  # the Polres's


def test_the_version_itself_says_it_differs_from_the_data(plan):
    publish(plan)
    page = f"/plans/{plan.pk}/"
    assert 'id="plan-drift"' not in client_for("planner").get(page).content.decode()
    Person.objects.filter(operation_id=plan.operation_id, code__in=people_in(plan)[:3]).delete()
    shown = html.unescape(client_for("commander").get(page).content.decode())
    assert 'id="plan-drift"' in shown
    assert "Versi ini berbeda dari data operasi: 3 personel tidak ada lagi di data;" in shown
    assert 'id="plan-drift"' not in client_for("sector").get(page).content.decode()  # the Polres's, as the plan list
