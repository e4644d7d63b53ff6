"""The Polda dashboard shows one election at a time: the operations of one vote day across the
Polres (the Pemilu of every Polres, say), never a Polres's Pilkades of 2022 added to its Pemilu
of 2024. The current or coming election first; every other one a link away."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from siaga.accounts.models import Profile, Role
from siaga.field import polda
from siaga.field.models import CheckIn
from siaga.operations.models import Operation
from siaga.plans.models import Plan
from tests.web.conftest import PASSWORD, client_for, copy_plan, publish

PEMILU = dt.date(2024, 2, 14)


@pytest.fixture
def two_elections(operation: Any, plan: Any) -> dict[str, Any]:
    """The demo's Pilkades of one Polres and, of the same Polres, a Pemilu on another day (its
    plan a copy, its apel its own: one person present), both published."""
    publish(plan)
    Operation.objects.filter(pk=operation.pk).update(polda="JAWA TIMUR")
    pemilu = Operation.objects.get(pk=operation.pk)
    pemilu.pk, pemilu.name, pemilu.election_date = None, f"Pam Pemilu 2024 {operation.polres_name}", PEMILU
    pemilu.save()
    pemilu_plan = copy_plan(plan, pemilu)
    Plan.objects.filter(pk=pemilu_plan.pk).update(status=Plan.Status.PUBLISHED)
    someone = pemilu_plan.assignments.values_list("person_code", flat=True).first()
    CheckIn.objects.create(operation=pemilu, person_code=someone, method="nrp", key="pemilu-apel")
    for code in plan.assignments.values_list("person_code", flat=True)[:3]:
        CheckIn.objects.create(operation=operation, person_code=code, method="nrp", key=f"pilkades-{code}")
    user = get_user_model().objects.create_user("karoops", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.POLDA, polda="JAWA TIMUR")
    return {"pilkades": (Operation.objects.get(pk=operation.pk), plan), "pemilu": (pemilu, pemilu_plan)}


def figure(page: str, card: str) -> tuple[int, int]:
    found = re.search(rf'id="{card}"><div class="big">([\d.,]+) <span class="of">/ ([\d.,]+)<', page)
    assert found is not None, card
    return int(re.sub(r"\D", "", found.group(1))), int(re.sub(r"\D", "", found.group(2)))


def headline(page: str) -> str:
    found = re.search(r'id="polda-headline">([^<]*)<', page)
    assert found is not None
    return found.group(1)


def test_it_never_adds_two_elections_of_one_polres_together(two_elections, settings):
    settings.LANGUAGE_CODE = "id"
    (pilkades, pilkades_plan), (pemilu, _) = two_elections["pilkades"], two_elections["pemilu"]
    karoops = client_for("karoops")
    page = karoops.get(reverse("polda_dashboard")).content.decode()  # today: both votes past, the latest shown
    placed = pilkades_plan.summary["assigned"]
    assert "1 Polres, 1 operasi" in headline(page)
    assert figure(page, "polda-present") == (1, placed)  # the Pemilu's apel alone, not 1 + 3
    assert pemilu.name in page and f">{pilkades.name}<" not in page
    other = karoops.get(reverse("polda_dashboard"), {"election": pilkades.election_date.isoformat()}).content.decode()
    assert "1 Polres, 1 operasi" in headline(other)
    assert figure(other, "polda-present") == (3, placed)
    assert f">{pilkades.name}<" in other and f">{pemilu.name}<" not in other


def test_it_offers_every_election_by_its_day_and_name_the_shown_one_marked(two_elections):
    pilkades, _plan = two_elections["pilkades"]
    page = client_for("karoops").get(reverse("polda_dashboard")).content.decode()
    start = page.index('id="polda-elections"')
    nav = page[start : page.index("</nav>", start)]
    links = re.findall(r'<a href="\?election=([\d-]+)"( aria-current="page")?', nav)
    assert links == [(pilkades.election_date.isoformat(), ""), (PEMILU.isoformat(), ' aria-current="page"')]
    assert "Pam Pemilu 2024 (1 operasi)" in nav  # named without its Polres: the election across Polres
    assert 'name="election" value="2024-02-14"' in page  # the search stays in the election shown


def test_a_polres_account_sees_its_own_elections_one_at_a_time_too(two_elections):
    (pilkades, _), _pemilu = two_elections["pilkades"], two_elections["pemilu"]
    user = get_user_model().objects.create_user("paskot_kabagops", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.PLANNER, polres_code=pilkades.polres_code)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("polda_dashboard")).content.decode()
    assert f"<h1>{pilkades.polres_name}</h1>" in page
    assert "1 Polres, 1 operasi" in headline(page) and 'id="polda-elections"' in page


@pytest.mark.parametrize(
    ("today", "wanted", "shown"),
    [
        (dt.date(2024, 1, 1), "", dt.date(2024, 2, 14)),  # the coming one
        (dt.date(2024, 2, 20), "", dt.date(2024, 2, 14)),  # a week after its vote: still the current one
        (dt.date(2024, 2, 22), "", dt.date(2024, 11, 27)),  # then the next
        (dt.date(2025, 6, 1), "", dt.date(2024, 11, 27)),  # none to come: the latest
        (dt.date(2021, 1, 1), "", dt.date(2022, 3, 23)),
        (dt.date(2025, 6, 1), "2022-03-23", dt.date(2022, 3, 23)),  # the one asked for
        (dt.date(2025, 6, 1), "2023-01-01", dt.date(2024, 11, 27)),  # no election that day
        (dt.date(2025, 6, 1), "<script>", dt.date(2024, 11, 27)),
    ],
)
def test_it_shows_the_election_asked_for_else_the_current_or_coming_one(today, wanted, shown):
    found = [polda.Election(day, ("x",), 1) for day in (dt.date(2022, 3, 23), PEMILU, dt.date(2024, 11, 27))]
    election = polda.chosen(found, wanted, today)
    assert election is not None and election.date == shown


def test_it_names_an_election_by_its_operations_without_their_polres(operation):
    assert polda.without_polres("Pam Pemilu 2024 Polres Pasuruan Kota", "Polres Pasuruan Kota") == "Pam Pemilu 2024"
    assert polda.without_polres("Pam Pilkades POLRES MALANG 2022", "Polres Malang") == "Pam Pilkades 2022"
    assert polda.without_polres("Pam Pemilu 2024", "") == "Pam Pemilu 2024"
    assert polda.chosen([], "", dt.date(2024, 1, 1)) is None
    found = polda.elections(Operation.objects.filter(pk=operation.pk))
    assert [(e.date, e.operations) for e in found] == [(operation.election_date, 1)]
