"""`manage.py demo`: the Kapolres login is the person in the Kapolres position, who signs the Sprin."""

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
