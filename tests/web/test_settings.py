"""Settings come from the environment, fail loudly on bad values, and production is hardened."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from siaga.web.settings import database, env_bool, env_int


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SIAGA_") and k != "DATABASE_URL"} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, env=environment, check=False
    )


def test_it_passes_the_deployment_checks_with_production_settings():
    done = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SIAGA_PRODUCTION="1",
        SIAGA_SECRET_KEY=secrets.token_urlsafe(50),
        SIAGA_ALLOWED_HOSTS="siaga.polri.example",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key():
    done = manage("check", SIAGA_PRODUCTION="1")
    assert done.returncode != 0 and "SIAGA_SECRET_KEY must be set" in done.stderr


def test_it_uses_sqlite_with_wal_and_immediate_transactions_by_default():
    db = database(None)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


def test_it_reads_postgresql_from_database_url():
    db = database("postgres://siaga:rahasia%21@db.local:5433/siaga")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "siaga",
        "siaga",
        "rahasia!",
        "db.local",
        "5433",
    )
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        database("mysql://x@y/z")


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("yes", True), ("0", False), ("off", False)])
def test_it_reads_yes_and_no_settings(monkeypatch, value, expected):
    monkeypatch.setenv("SIAGA_X", value)
    assert env_bool("SIAGA_X", not expected) is expected


def test_it_fails_loudly_on_a_bad_setting(monkeypatch):
    monkeypatch.setenv("SIAGA_X", "mungkin")
    with pytest.raises(ImproperlyConfigured, match="SIAGA_X"):
        env_bool("SIAGA_X", False)
    monkeypatch.setenv("SIAGA_N", "delapan")
    with pytest.raises(ImproperlyConfigured, match="SIAGA_N"):
        env_int("SIAGA_N", 8)


def test_it_is_on_wal_in_the_running_database(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] in ("wal", "memory")  # the test database may live in memory
