"""`manage.py demo`: each command login is the person in that position: the Kapolres (who
signs the Sprin), the Kabag Ops (the planner) and the Kapolsek of Pohjentrek (its Padal)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from siaga.accounts.models import Profile
from siaga.operations.models import Person


@pytest.mark.django_db
def test_it_links_the_kapolres_login_to_the_kapolres_person():
    call_command("demo", stdout=io.StringIO())
    kapolres = Person.objects.get(position="Kapolres")
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
    person = Person.objects.get(position=position)
    user = get_user_model().objects.get(username=login)
    assert Profile.objects.get(user=user).person_code == person.code
    assert f"{user.first_name} {user.last_name}" == f"{person.rank} {person.name} ({label})"
