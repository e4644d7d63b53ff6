"""`manage.py deactivate USER`: disable a user (never delete one: docs/security.md), through the
service the console's account pages use too (siaga/accounts/accounts.py: `set_active`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from siaga.accounts.accounts import find_user, set_active


class Command(BaseCommand):
    help = "Nonaktifkan seorang pengguna: ia tidak dapat masuk lagi dan sesinya berakhir; jejak auditnya tetap."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = find_user(options["username"])
        if user is None:
            raise CommandError(f"{options['username']}: pengguna tidak ada / no such user")
        if set_active(user, False):
            self.stdout.write(f"{user.get_username()}: dinonaktifkan / deactivated")
        else:
            self.stdout.write(f"{user.get_username()}: sudah nonaktif / already deactivated")
