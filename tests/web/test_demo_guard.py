"""`manage.py demo` creates logins with published passwords (and `admin`): it refuses a
production server and a database holding a real operation, unless `--force` or
SIAGA_ALLOW_DEMO=1 (issue 15 item 7). `make demo` and a fresh database still load it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from siaga.operations.management.commands.demo import Command
from siaga.operations.models import Operation


@pytest.fixture(autouse=True)
def _no_override(monkeypatch):
    monkeypatch.delenv("SIAGA_ALLOW_DEMO", raising=False)


def accounts() -> list[tuple[str, str]]:
    return list(get_user_model().objects.order_by("pk").values_list("username", "password"))


def test_it_refuses_a_production_server_and_changes_nothing(db, settings):
    settings.PRODUCTION = True
    before = accounts()
    with pytest.raises(CommandError, match="produksi"):
        call_command("demo", stdout=io.StringIO())
    assert accounts() == before


def test_it_refuses_a_database_with_a_real_operation(db):
    Operation.objects.create(
        name="Ops Mantap Praja 2024 Polres Malang", election_date=dt.date(2024, 11, 27), pattern="x"
    )
    before = accounts()
    with pytest.raises(CommandError, match="operasi sungguhan"):
        call_command("demo", stdout=io.StringIO())
    assert accounts() == before


def test_force_or_the_environment_lets_it_run(db, settings, monkeypatch):
    settings.PRODUCTION = True
    Command()._guard(True, set())  # --force
    monkeypatch.setenv("SIAGA_ALLOW_DEMO", "1")
    Command()._guard(False, set())


def test_it_runs_on_the_demos_own_database(db):
    """The test database holds the demo operation only (as `make demo` leaves var/siaga.sqlite3)."""
    Command()._guard(False, {o.name for o in Operation.objects.all()})
