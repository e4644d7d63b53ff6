"""`manage.py unlock USER [--address IP]`: clear a user's failed-login delays (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from siaga.accounts import throttle
from siaga.audit.log import record


class Command(BaseCommand):
    help = "Hapus penundaan masuk seorang pengguna (dari semua alamat, atau dari --address saja)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--address", default=None, help="hanya pasangan dengan alamat ini")

    def handle(self, *args: Any, **options: Any) -> None:
        username, address = options["username"], options["address"]
        cleared = throttle.unlock(username, address)
        record(None, "login_unlocked", "user", username[:120], after={"address": address, "pairs": cleared})
        self.stdout.write(f"{username}: {cleared} penundaan dihapus / {cleared} delay(s) cleared")
