"""`manage.py demo`: each command login is the person in that position: the Kapolres (who
signs the Sprin), the Kabag Ops (the planner) and the Kapolsek of Pohjentrek (its Padal)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from siaga.accounts.models import Profile
from siaga.core.data import demo
from siaga.operations.models import Operation, Person

PILKADES = demo.pasuruan_kota().operation.name


@pytest.mark.django_db
def test_it_links_the_kapolres_login_to_the_kapolres_person():
    call_command("demo", stdout=io.StringIO())
    kapolres = Person.objects.get(position="Kapolres", operation__name=PILKADES)
    user = get_user_model().objects.get(username="kapolres")
    assert Profile.objects.get(user=user).person_code == kapolres.code
    assert f"{user.first_name} {user.last_name}" == f"{kapolres.rank} {kapolres.name} (Kapolres)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("login", "position", "label"),
    [("perencana", "Kabag Ops", "Kabag Ops"), ("kapolsek", "Kapolsek Pohjentrek", "Kapolsek Pohjentrek")],
)
def test_it_links_the_planner_and_the_kapolsek_to_their_persons(login, position, label):
    call_command("demo", stdout=io.StringIO())
    person = Person.objects.get(position=position, operation__name=PILKADES)
    user = get_user_model().objects.get(username=login)
    assert Profile.objects.get(user=user).person_code == person.code
    assert f"{user.first_name} {user.last_name}" == f"{person.rank} {person.name} ({label})"


@pytest.mark.django_db
def test_it_loads_the_pilkades_and_a_pemilu_for_the_same_polres_each_with_a_published_plan():
    call_command("demo", stdout=io.StringIO())
    from siaga.plans.models import Plan

    names = list(Operation.objects.order_by("pk").values_list("name", flat=True))
    assert names == [PILKADES, demo.pasuruan_kota_pemilu().operation.name]
    plan = Plan.objects.get(operation__name=names[1])  # the Pilkades here is the test database's own
    assert plan.status == Plan.Status.PUBLISHED and plan.violations == []
    pemilu = Plan.objects.get(operation__name=names[1]).extra["roster"]
    kinds = {d["kind"] for d in pemilu["duties"]}
    assert {"KAWAL", "GUDANG_KPU", "GUDANG_PPK", "PPK"} <= kinds
    call_command("demo", stdout=io.StringIO())  # run twice: nothing doubles
    assert Operation.objects.count() == 2 and Plan.objects.filter(operation__name=names[1]).count() == 1
