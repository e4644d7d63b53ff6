"""`manage.py secure_audit --app-role siaga_app`: on PostgreSQL, the role split that keeps the
audit log append-only for the application itself (docs/security.md, "Jejak audit").

Run it as the role that owns the tables (the one that runs `migrate`), or as a superuser. The
audit table stays with its owner (or moves to `--owner-role`); the application's role gets
INSERT and SELECT on it (and USAGE of its id sequence) and nothing else, so it can neither
UPDATE, DELETE nor TRUNCATE an entry, nor DROP or DISABLE the triggers (only an owner may);
on every other table it keeps SELECT, INSERT, UPDATE and DELETE, also for the tables later
migrations create. `migrate` applies the same grants by itself when SIAGA_AUDIT_APP_ROLE names
the role. SQLite has no roles: there the triggers alone refuse UPDATE and DELETE.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction

TABLE = "audit_auditentry"


def app_role_setting() -> str:
    """The application's role named by the settings or the environment ("" for none)."""
    return str(getattr(settings, "SIAGA_AUDIT_APP_ROLE", "") or os.environ.get("SIAGA_AUDIT_APP_ROLE", "")).strip()


def grant_statements(app: str, owner: str, sequence: str, quote: Any) -> list[str]:
    """The SQL of the role split, in order (names quoted by `quote`)."""
    a, o, t = quote(app), quote(owner), quote(TABLE)
    return [
        f"GRANT USAGE ON SCHEMA public TO {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {a}",
        # the audit log: append and read, nothing else
        f"REVOKE ALL ON TABLE {t} FROM PUBLIC",
        f"REVOKE ALL ON TABLE {t} FROM {a}",
        f"GRANT SELECT, INSERT ON TABLE {t} TO {a}",
        f"REVOKE ALL ON SEQUENCE {sequence} FROM {a}",
        f"GRANT USAGE ON SEQUENCE {sequence} TO {a}",
    ]


def secure(app: str, owner: str = "", using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Apply the role split on the PostgreSQL database `using`; the statements run. Raises
    CommandError when it cannot hold (an unknown or superuser role, an app role that is, or
    is a member of, the owner)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise CommandError("secure_audit: PostgreSQL only (on SQLite the triggers refuse UPDATE and DELETE)")
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [app])
        found = cursor.fetchone()
        if found is None:
            raise CommandError(f"secure_audit: no role {app!r} (create it first: CREATE ROLE {app} LOGIN PASSWORD ...)")
        if found[0]:
            raise CommandError(f"secure_audit: {app!r} is a superuser: no grant can hold it")
        cursor.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = %s", [TABLE])
        row = cursor.fetchone()
        if row is None:
            raise CommandError("secure_audit: no audit table: run migrate first")
        current = row[0]
        owner = owner or current
        if owner == app:
            raise CommandError(
                f"secure_audit: {app!r} owns the audit table: name another owner with --owner-role "
                "(the role that runs migrate)"
            )
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app, owner])
        if cursor.fetchone()[0]:
            raise CommandError(f"secure_audit: {app!r} is a member of the owner {owner!r}: it would own the table too")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        sequence = cursor.fetchone()[0]
        done = []
        if owner != current:
            done.append(f"ALTER TABLE {quote(TABLE)} OWNER TO {quote(owner)}")
        done += grant_statements(app, owner, sequence, quote)
        for sql in done:
            cursor.execute(sql)
    return done


class Command(BaseCommand):
    help = "PostgreSQL: the application's role may only INSERT and SELECT the audit log (docs/security.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", default="", help="the application's role (SIAGA_AUDIT_APP_ROLE)")
        parser.add_argument("--owner-role", default="", help="the role to own the audit table (default: its owner)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        app = options["app_role"] or app_role_setting()
        if not app:
            raise CommandError("secure_audit: name the application's role (--app-role or SIAGA_AUDIT_APP_ROLE)")
        for sql in secure(app, options["owner_role"], options["database"]):
            self.stdout.write(sql + ";")
        self.stdout.write(self.style.SUCCESS(f"{app}: INSERT and SELECT only on {TABLE}"))
