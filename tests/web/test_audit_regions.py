"""The audit names a region by its name where an entry kept its code (an incident's kecamatan)."""

from __future__ import annotations

import html

from siaga.audit.models import AuditEntry
from siaga.operations.models import Region
from tests.web.conftest import SECTOR


def test_an_incidents_kecamatan_reads_by_name(as_commander, operation):
    after = {"kind": "gangguan kamtibmas", "severity": 2, "kecamatan": SECTOR}
    AuditEntry.objects.create(
        username="sector",
        action="report_incident",
        object_type="incident",
        object_id="1",
        operation_id=operation.pk,
        after=after,
    )
    name = Region.objects.get(operation=operation, code=SECTOR).name
    page = html.unescape(as_commander.get("/audit/").content.decode())
    assert f"Kecamatan {name}" in page and f": {SECTOR}" not in page
