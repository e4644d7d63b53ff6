import os
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "siaga.audit"
    verbose_name = "Jejak audit"

    def ready(self) -> None:
        post_migrate.connect(_secure_after_migrate, sender=self)


def _secure_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """`migrate` (run by the owner role) applies the audit role split when SIAGA_AUDIT_APP_ROLE
    names the application's role (PostgreSQL; `manage.py secure_audit`)."""
    from django.db import connections

    from siaga.audit.management.commands.secure_audit import app_role_setting, secure

    role = app_role_setting()
    if role and connections[using].vendor == "postgresql":
        secure(role, os.environ.get("SIAGA_AUDIT_OWNER_ROLE", ""), using)
