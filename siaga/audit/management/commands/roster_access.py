"""`manage.py roster_access NRP [--operation ID] [--json]`: who read or exported a roster holding
one person, when and from where (UU PDP 27/2022: a data subject's right to know; see
siaga/audit/access.py and docs/security.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from siaga.audit.access import person_access


class Command(BaseCommand):
    help = "Every audit entry that read or exported a roster holding one person (NRP/NIP/NIK)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the person's NRP, NIP or NIK")
        parser.add_argument("--operation", type=int, default=None, help="one operation only (its id)")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args: Any, **options: Any) -> None:
        found = 0
        for a in person_access(options["code"], options["operation"]):
            found += 1
            if options["json"]:
                row = {**a.__dict__, "at": a.at.isoformat()}
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                where = f" {a.ip}" if a.ip else ""
                self.stdout.write(
                    f"{a.at:%Y-%m-%d %H:%M:%S} {a.username}{where} {a.action} {a.object_type} "
                    f"{a.object_id} (op {a.operation_id}): {a.why}"
                )
        if not options["json"]:
            self.stdout.write(f"{found} entries")
