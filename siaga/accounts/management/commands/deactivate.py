"""`manage.py deactivate USER`: disable a user (never delete one: docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from siaga.audit.log import record


class Command(BaseCommand):
    help = "Nonaktifkan seorang pengguna: ia tidak dapat masuk lagi dan sesinya berakhir; jejak auditnya tetap."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"{options['username']}: pengguna tidak ada / no such user")
        user.is_active = False
        user.save(update_fields=["is_active"])  # the post_save receiver ends their sessions
        record(None, "user_deactivated", "user", user.get_username())
        self.stdout.write(f"{user.get_username()}: dinonaktifkan / deactivated")
