"""The audit log is append-only in the database itself: the triggers refuse UPDATE and DELETE
on both databases; on PostgreSQL the application's role (`manage.py secure_audit`) may only
INSERT and SELECT, so it can neither change, delete nor truncate an entry, nor drop a trigger.

Each test runs on both databases: on SQLite (no roles) it asserts what SQLite can hold, the
triggers; on PostgreSQL the role split too. Nothing is skipped."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from siaga.audit.management.commands.secure_audit import TABLE
from siaga.audit.models import AuditEntry


def entry(**extra: object) -> AuditEntry:
    return AuditEntry.objects.create(username="uji", action="test", object_type="tps", object_id="1", **extra)


def refused(sql: str, params: list[Any] | None = None) -> str:
    """Run `sql` in a savepoint; the database's refusal, lower case ("" when it ran)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    except DatabaseError as exc:
        return str(exc).lower()
    return ""


def test_the_database_refuses_to_change_or_delete_an_entry(db):
    e = entry()
    assert "append-only" in refused(f"UPDATE {TABLE} SET action = 'forged' WHERE id = %s", [e.pk])
    assert "append-only" in refused(f"DELETE FROM {TABLE} WHERE id = %s", [e.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=e.pk).delete()  # a bulk delete skips AuditEntry.delete
    assert AuditEntry.objects.get(pk=e.pk).action == "test"


def test_a_user_with_entries_is_protected_not_a_server_error(db):
    user = get_user_model().objects.create_user("akan-dihapus", password="x-uji-siaga-2022")
    entry(user=user)
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()  # the admin shows "cannot delete" and the user is deactivated instead
    assert AuditEntry.objects.filter(user=user).count() == 1


def app_role() -> str:
    """A role name per xdist worker (roles are cluster-wide)."""
    return f"siaga_app_uji_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def test_the_application_role_may_only_insert_and_select_the_audit_log(db):
    e = entry()
    if connection.vendor == "sqlite":
        # No roles: the command says so, and the triggers hold even a raw connection.
        with pytest.raises(CommandError, match="PostgreSQL only"):
            call_command("secure_audit", app_role="siaga_app")
        assert "append-only" in refused(f"UPDATE {TABLE} SET object_id = '2'")
        assert "append-only" in refused(f"DELETE FROM {TABLE}")
        return
    assert connection.vendor == "postgresql"
    role = app_role()
    with connection.cursor() as cursor:
        # Inside the test's transaction: the role and its grants are rolled back with it.
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        )
    with pytest.raises(CommandError, match="superuser"):
        call_command("secure_audit", app_role="postgres")
    call_command("secure_audit", app_role=role)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
        try:
            assert "permission denied" in refused(f"UPDATE {TABLE} SET action = 'forged' WHERE id = %s", [e.pk])
            assert "permission denied" in refused(f"DELETE FROM {TABLE} WHERE id = %s", [e.pk])
            assert "permission denied" in refused(f"TRUNCATE {TABLE}")
            assert "must be owner" in refused(f"DROP TRIGGER audit_entry_no_update ON {TABLE}")
            assert "must be owner" in refused(f"DROP TRIGGER audit_entry_no_delete ON {TABLE}")
            assert "must be owner" in refused(f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL")
            assert "must be owner" in refused(f"ALTER TABLE {TABLE} OWNER TO {role}")
            # what the application needs: append and read, and its other tables as before
            inserted = AuditEntry.objects.create(username="app", action="test", object_type="tps", object_id="2")
            assert AuditEntry.objects.filter(pk__in=[e.pk, inserted.pk]).count() == 2
            assert refused("UPDATE operations_tps SET address = address WHERE id = -1") == ""
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.get(pk=e.pk).action == "test"
    # An installation whose application role ran migrate (and so owns the table): the command
    # refuses until another owner is named, then moves the table to it.
    owner = f"{role}_pemilik"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {owner} NOLOGIN")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred key checks pending on the table
        cursor.execute(f"ALTER TABLE {TABLE} OWNER TO {role}")
    with pytest.raises(CommandError, match="owns the audit table"):
        call_command("secure_audit", app_role=role)
    call_command("secure_audit", app_role=role, owner_role=owner)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [TABLE])
        assert cursor.fetchone()[0] == owner
        cursor.execute(f"SET ROLE {role}")
        try:
            assert "must be owner" in refused(f"DROP TRIGGER audit_entry_no_delete ON {TABLE}")
            assert "permission denied" in refused(f"DELETE FROM {TABLE} WHERE id = %s", [e.pk])
        finally:
            cursor.execute("RESET ROLE")
