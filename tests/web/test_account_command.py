"""`manage.py akun`: an admin makes the accounts of a Polda database, each seeing what it should."""

from __future__ import annotations

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from siaga.accounts.models import Profile, Role
from siaga.audit.models import AuditEntry


def _akun(*args: str, password: str = "") -> str:
    out = io.StringIO()
    stdin = io.StringIO(password + "\n")
    saved, sys.stdin = sys.stdin, stdin
    try:
        call_command("akun", *args, stdout=out)
    finally:
        sys.stdin = saved
    return out.getvalue()


def test_an_admin_makes_a_polda_account_that_opens_the_polda_dashboard(operation):
    said = _akun(
        "karoops", "--peran", "polda", "--polda", "jawa  timur", "--password-stdin", password="tenang-2024-ops"
    )
    assert "Polda JAWA TIMUR" in said
    profile = Profile.objects.get(user__username="karoops")
    assert (profile.role, profile.polda) == (Role.POLDA, "JAWA TIMUR")
    assert AuditEntry.objects.filter(action="account_set", object_id="karoops").exists()
    client = Client()
    assert client.login(username="karoops", password="tenang-2024-ops")
    assert client.get("/")["Location"] == reverse("polda_dashboard")
    assert operation.name in client.get(reverse("polda_dashboard")).content.decode()


def test_it_changes_an_accounts_polres_without_touching_its_password(operation):
    _akun("kabagops", "--peran", "planner", "--password-stdin", password="tenang-2024-ops")
    _akun("kabagops", "--peran", "planner", "--polres", "POLRES-LAIN")
    user = get_user_model().objects.get(username="kabagops")
    assert user.check_password("tenang-2024-ops")
    assert user.profile.polres_code == "POLRES-LAIN"
    client = Client()
    assert client.login(username="kabagops", password="tenang-2024-ops")
    assert client.get(reverse("dashboard_for", args=[operation.pk])).status_code == 404  # not his Polres


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("x1", "--peran", "polda"), "--polda"),
        (("x2", "--peran", "polda", "--polda", "ATLANTIS"), "Polda tidak dikenal"),
        (("x3", "--peran", "sector_chief"), "--kecamatan"),
        (("x4", "--peran", "field_officer"), "--nrp"),
    ],
)
def test_it_refuses_an_account_that_would_see_nothing_or_the_wrong_thing(db, args, says):
    with pytest.raises(CommandError, match=says):
        _akun(*args, "--password-stdin", password="tenang-2024-ops")
    assert not get_user_model().objects.filter(username=args[0]).exists()


def test_a_weak_password_makes_no_account(db):
    with pytest.raises(CommandError):
        _akun("lemah", "--peran", "viewer", "--password-stdin", password="lemah")
    assert not get_user_model().objects.filter(username="lemah").exists()


def test_the_audit_names_the_server_account_that_ran_the_command(operation, as_commander):
    import getpass

    _akun("karoops", "--peran", "polda", "--polda", "jawa timur", "--password-stdin", password="tenang-2024-ops")
    call_command("deactivate", "karoops", stdout=io.StringIO())
    page = as_commander.get("/audit/?user=server:" + getpass.getuser()).content.decode()
    assert f"perintah di server (akun {getpass.getuser()})" in page
    assert ">sistem<" not in page and "server:" + getpass.getuser() + "<" not in page
    assert page.count("karoops") >= 2  # both commands' lines, found by the user filter
