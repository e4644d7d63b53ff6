"""Signing in: failed logins slow down one (user name, address) pair and never lock out anyone
else; the password validators refuse a password like the user name; an admin unlocks with
`manage.py unlock`; a user is deactivated, never deleted (issue 15 items 2, 6 and 7)."""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from siaga.accounts import throttle
from siaga.accounts.addresses import client_ip
from siaga.accounts.models import LoginThrottle
from siaga.audit.models import AuditEntry
from siaga.operations.management.commands.demo import DEMO_USERS, POST_LEADER
from tests.web.conftest import PASSWORD, PERSONAS

ATTACKER = "203.0.113.66"
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Clock:
    """A stopped clock for the throttle (the test moves it)."""

    def __init__(self) -> None:
        self.at = timezone.now()

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    stopped = Clock()
    monkeypatch.setattr(throttle, "now", stopped)
    return stopped


@pytest.fixture
def fast_passwords(db: Any, settings: Any) -> None:
    """MD5 for this test's logins (the personas' passwords rehashed inside the test's transaction)."""
    settings.PASSWORD_HASHERS = FAST
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def attempt(username: str, password: str, address: str) -> Any:
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def signed_in(response: Any) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


ACTIVE = [name for name in PERSONAS]


def test_it_leaves_every_other_user_able_to_sign_in_after_100_failed_logins_from_one_address(
    fast_passwords, settings, clock
):
    settings.LOGIN_FAILURE_LIMIT = 5
    targets = ["commander", "admin", "kapolres", "root", "planner"]  # named accounts and guessed ones
    answers = [attempt(targets[i % len(targets)], f"tebakan-{i}", ATTACKER).status_code for i in range(100)]
    assert answers.count(429) > 50  # the attacker is slowed down ...
    assert AuditEntry.objects.filter(action="login_failed").count() == 5 * len(targets)  # ... 5 per pair
    for i, name in enumerate(ACTIVE):
        # ... and nobody is locked out: every user from their own address, the attacked ones included,
        assert signed_in(attempt(name, PASSWORD, f"198.51.100.{i + 1}")), name
        # and, from the attacker's very address, every user the attacker did not guess at.
        if name not in targets:
            assert signed_in(attempt(name, PASSWORD, ATTACKER)), name


def test_it_waits_longer_after_each_failure_without_evaluating_inside_the_wait(fast_passwords, settings, clock):
    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_MAX_DELAY_SECONDS = 3, 10
    evaluated = lambda: AuditEntry.objects.filter(action="login_failed", object_id="commander").count()  # noqa: E731
    for _ in range(3):
        assert attempt("commander", "salah", ATTACKER).status_code == 200
    assert evaluated() == 3
    refused = attempt("commander", PASSWORD, ATTACKER)  # even the right password is not evaluated now
    assert refused.status_code == 429 and refused["Retry-After"] == "2" and not signed_in(refused)
    assert "Coba lagi dalam 2 detik" in refused.content.decode()
    assert evaluated() == 3
    waits = []
    for _ in range(4):
        clock.advance(LoginThrottle.objects.get(username="commander").wait_until.timestamp() - clock.at.timestamp())
        assert attempt("commander", "salah", ATTACKER).status_code == 200
        waits.append(int(attempt("commander", "salah", ATTACKER)["Retry-After"]))
    assert waits == [4, 8, 10, 10]  # 2^k seconds, capped
    clock.advance(10)
    assert signed_in(attempt("commander", PASSWORD, ATTACKER))  # the wait is over: the user is in,
    assert not LoginThrottle.objects.filter(username="commander").exists()  # and the pair forgotten


def test_it_does_not_slow_down_the_same_user_from_another_address(fast_passwords, clock):
    for _ in range(30):
        attempt("commander", "salah", ATTACKER)
    assert attempt("commander", "salah", ATTACKER).status_code == 429
    assert signed_in(attempt("commander", PASSWORD, "198.51.100.7"))


def test_an_admin_unlocks_a_user_from_every_address(fast_passwords, clock):
    for address in (ATTACKER, "198.51.100.9"):
        for _ in range(8):
            attempt("commander", "salah", address)
    out = io.StringIO()
    call_command("unlock", "commander", stdout=out)
    assert "2" in out.getvalue() and not LoginThrottle.objects.filter(username="commander").exists()
    assert signed_in(attempt("commander", PASSWORD, ATTACKER))
    assert AuditEntry.objects.filter(action="login_unlocked", object_id="commander").exists()


@pytest.mark.parametrize("length", [120, 121, 150])
def test_a_long_user_name_writes_a_login_failed_entry_and_no_500(fast_passwords, length):
    name = "u" * length
    response = attempt(name, "salah-sekali", ATTACKER)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.object_id == name[:120] and entry.ip == ATTACKER
    assert (entry.after or {}).get("username", name[:120]) == name


def test_it_refuses_a_password_like_the_user_name_and_accepts_the_demo_passwords(db):
    user_model = get_user_model()
    with pytest.raises(ValidationError):
        validate_password("perencana123", user_model(username="perencana"))
    with pytest.raises(ValidationError):
        validate_password("kapolres2022", user_model(username="kapolres", first_name="AKBP", last_name="Kapolres"))
    with pytest.raises(ValidationError):
        validate_password("password123", user_model(username="pengamat"))  # a common password
    with pytest.raises(ValidationError):
        validate_password("siaga-22", user_model(username="pengamat"))  # too short
    logins = [(name, password, full) for name, password, _role, _kec, full in DEMO_USERS]
    logins.append((POST_LEADER[0], POST_LEADER[1], "Kepala Pos"))
    for name, password, full in logins:
        first, _, last = full.partition(" ")
        validate_password(password, user_model(username=name, first_name=first, last_name=last))
    validate_password(PASSWORD, user_model(username="planner"))


def test_it_takes_x_forwarded_for_only_from_a_configured_trusted_proxy(rf, settings):
    forwarded = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.20"}
    settings.SIAGA_TRUSTED_PROXIES = []
    assert client_ip(rf.get("/", **forwarded)) == "10.0.0.2"  # nobody is trusted: the connection
    settings.SIAGA_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(rf.get("/", **forwarded)) == "198.51.100.20"  # the nearest untrusted hop, not the spoofable first
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "192.0.2.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="bukan-alamat")) == "10.0.0.2"
    settings.SIAGA_TRUSTED_PROXIES = ["10.0.0.2", "10.0.0.3"]
    chain = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 10.0.0.3"}
    assert client_ip(rf.get("/", **chain)) == "192.0.2.1"


def test_the_audit_and_the_throttle_see_the_client_behind_a_trusted_proxy(fast_passwords, settings):
    settings.SIAGA_TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    proxy.post("/login/", {"username": "commander", "password": "salah"}, HTTP_X_FORWARDED_FOR="198.51.100.44")
    assert AuditEntry.objects.get(action="login_failed").ip == "198.51.100.44"
    assert LoginThrottle.objects.get(username="commander").address == "198.51.100.44"
    proxy.post("/login/", {"username": "commander", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.45")
    assert AuditEntry.objects.filter(action="login").latest("pk").ip == "198.51.100.45"


def test_a_user_is_never_deleted_only_deactivated(fast_passwords):
    user = get_user_model().objects.get(username="viewer")
    client = Client()
    assert client.login(username="viewer", password=PASSWORD)
    AuditEntry.objects.create(user=user, username="viewer", action="login", object_type="user")
    with pytest.raises((PermissionDenied, ProtectedError)), transaction.atomic():
        user.delete()
    with pytest.raises((PermissionDenied, ProtectedError)), transaction.atomic():
        get_user_model().objects.filter(username="viewer").delete()
    fresh = get_user_model().objects.create_user("baru", password=PASSWORD)  # no audit entry at all
    with pytest.raises(PermissionDenied, match="nonaktifkan"), transaction.atomic():
        fresh.delete()
    assert get_user_model().objects.filter(username__in=["viewer", "baru"]).count() == 2
    call_command("deactivate", "viewer", stdout=io.StringIO())
    user.refresh_from_db()
    assert not user.is_active
    assert client.get("/").status_code == 302  # their session ended
    assert AuditEntry.objects.filter(action="user_deactivated", object_id="viewer").exists()


def test_admission_is_counted_before_the_password_is_checked(db, settings, clock):
    """The unit of atomicity: N admissions in a row, then a wait, whatever the answers were."""
    settings.LOGIN_FAILURE_LIMIT = 5
    assert [throttle.admit("x", "192.0.2.1") for _ in range(7)] == [0, 0, 0, 0, 0, 2, 2]
    throttle.forgive("x", "192.0.2.1")
    assert throttle.admit("x", "192.0.2.1") == 0


# A test of the PostgreSQL run only (it does not exist in the SQLite run, rather than being
# skipped there): SQLite's in-memory test database cannot take writers on other connections
# while the test holds its transaction; test_login_burst.py bursts a real server on both.
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _threads_on_their_own_postgresql_connections_admit_no_more_than_the_limit(db, settings, clock):
    """30 threads, each on its own connection (committing outside the test's transaction), ask
    at once: 5 are admitted."""
    from django.db import connections

    settings.LOGIN_FAILURE_LIMIT = 5
    start = threading.Barrier(30)
    answers: list[int] = []
    lock = threading.Lock()

    def guess() -> None:
        try:
            start.wait()
            answer = throttle.admit("kapolres-threads", ATTACKER)
            with lock:
                answers.append(answer)
        finally:
            connections.close_all()

    def cleanup() -> None:
        try:
            throttle.unlock("kapolres-threads")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(30)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        done = threading.Thread(target=cleanup)
        done.start()
        done.join()
    assert len(answers) == 30 and answers.count(0) == 5


if ON_POSTGRESQL:
    test_threads_on_their_own_postgresql_connections_admit_no_more_than_the_limit = (
        _threads_on_their_own_postgresql_connections_admit_no_more_than_the_limit
    )
