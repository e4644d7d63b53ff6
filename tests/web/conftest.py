"""Fixtures for the console's tests: the demo operation loaded once per test database, and
one persona per role (plus people who must be refused)."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings

from siaga.accounts.models import Profile, Role
from siaga.core.data import demo
from siaga.core.planning.engine import plan_all
from siaga.operations.management.commands.demo import post_leader
from siaga.operations.services import import_scenario, scenario_for
from siaga.plans.services import save_plan, sign_off, signers

PASSWORD = "uji-siaga-2022"
PERSONAS = {
    # name: (role, kecamatan)
    "admin": (Role.ADMIN, ""),
    "planner": (Role.PLANNER, ""),
    "planner2": (Role.PLANNER, ""),
    "commander": (Role.COMMANDER, ""),
    "sector": (Role.SECTOR_CHIEF, "35.14.17"),  # Pohjentrek
    "other_sector": (Role.SECTOR_CHIEF, "35.14.22"),  # Lekok
    "viewer": (Role.VIEWER, ""),
    "field_officer": (Role.FIELD_OFFICER, ""),  # bound to a post leader of the plan in SECTOR
}
SECTOR = "35.14.17"
OTHER_SECTOR = "35.14.22"
PASSWORD_HASHERS = tuple(settings.PASSWORD_HASHERS)


@pytest.fixture(scope="session", autouse=True)
def fast_logins() -> Iterator[None]:
    """The console's tests log in hundreds of times, and PBKDF2's million rounds cost a quarter
    of a second each: here passwords are hashed with MD5 (a PBKDF2 hash still checks). The
    settings' own hashers are those of the consoles the browser's tests log in to."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS])
    fast.enable()
    yield
    fast.disable()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The demo operation with one plan (by the planner), and the personas, once."""
    with django_db_blocker.unblock():
        users = {}
        for name, (role, kecamatan) in PERSONAS.items():
            user = get_user_model().objects.create_user(name, password=PASSWORD, first_name=name.title())
            Profile.objects.create(user=user, role=role, kecamatan_code=kecamatan)
            users[name] = user
        disabled = get_user_model().objects.create_user("disabled", password=PASSWORD, is_active=False)
        Profile.objects.create(user=disabled, role=Role.PLANNER)
        operation = import_scenario(demo.pasuruan_kota(), "demo.xlsx")
        scenario = scenario_for(operation)
        plan = save_plan(operation, plan_all(scenario), scenario, users["planner"], note="demo")
        sign_off(plan, signers(operation)[0].code, users["commander"])  # the Kapolres signed its categories
        leader = post_leader(plan, SECTOR)
        assert leader is not None
        Profile.objects.filter(user=users["field_officer"]).update(person_code=leader.code)


@pytest.fixture
def operation(db: Any) -> Any:
    from siaga.operations.models import Operation

    return Operation.objects.get(name=demo.pasuruan_kota().operation.name)


@pytest.fixture
def plan(operation: Any) -> Any:
    return operation.plans.order_by("version").first()


def client_for(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD), name
    return client


@pytest.fixture
def as_planner(db: Any) -> Client:
    return client_for("planner")


@pytest.fixture
def as_commander(db: Any) -> Client:
    return client_for("commander")


@pytest.fixture
def as_sector(db: Any) -> Client:
    return client_for("sector")


@pytest.fixture
def as_viewer(db: Any) -> Client:
    return client_for("viewer")


@pytest.fixture
def as_admin(db: Any) -> Client:
    return client_for("admin")


@pytest.fixture
def as_field_officer(db: Any) -> Client:
    return client_for("field_officer")


def own_post(plan: Any) -> str:
    """The field officer persona's (first) post in `plan`."""
    from siaga.field.services import own_posts

    user = get_user_model().objects.get(username="field_officer")
    return sorted(own_posts(plan, user) or [""])[0]


def copy_plan(plan: Any, operation: Any) -> Any:
    """The rows of `plan` saved as a version of another operation (for cross-operation refusals)."""
    from siaga.plans.store import core_plan, save_plan

    return save_plan(operation, core_plan(plan), scenario_for(plan.operation), None)


def publish(plan: Any) -> Any:
    """Make `plan` its operation's current plan (inside the test's transaction)."""
    from siaga.plans.models import Plan

    Plan.objects.filter(operation_id=plan.operation_id, status=Plan.Status.PUBLISHED).update(
        status=Plan.Status.SUPERSEDED
    )
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PUBLISHED)
    plan.refresh_from_db()
    return plan


# -- threads on their own connections (tests/web/test_concurrency.py, test_plan_start_once.py)


def _file_copy_of_memory_db(folder: Path) -> Path | None:
    """SQLite's in-memory test database (shared cache) refuses a second writer at once
    ("database table is locked", no busy wait), unlike the WAL file a console runs on: the
    threads get a file copy, opened with the production options (IMMEDIATE, busy timeout)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return None
    connection.ensure_connection()
    path = folder / "threads.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path


@pytest.fixture
def threads_copy(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The file copy of SQLite's in-memory database, made before the test's transaction opens."""
    folder = Path(tempfile.mkdtemp())
    with django_db_blocker.unblock():
        yield _file_copy_of_memory_db(folder)
    shutil.rmtree(folder, ignore_errors=True)
