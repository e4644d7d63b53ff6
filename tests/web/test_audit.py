"""The audit log is append-only, in the application and in the database."""

import pytest
from django.db import DatabaseError, transaction

from siaga.audit.models import AppendOnlyError, AuditEntry


def entry() -> AuditEntry:
    return AuditEntry.objects.create(username="uji", action="test", object_type="tps", object_id="1")


def test_it_refuses_to_change_or_delete_an_entry_through_the_application(db):
    e = entry()
    e.action = "forged"
    with pytest.raises(AppendOnlyError):
        e.save()
    with pytest.raises(AppendOnlyError):
        e.delete()


def test_it_refuses_to_change_an_entry_in_the_database_itself(db):
    e = entry()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=e.pk).update(action="forged")
    assert AuditEntry.objects.get(pk=e.pk).action == "test"


def test_it_records_who_overrode_a_category_with_before_and_after(as_planner, operation):
    tps = operation.tps_set.get(code="35.14.17.2005-01")
    as_planner.post(
        f"/ops/{operation.pk}/tps/{tps.pk}/override/", {"category": "SANGAT_RAWAN", "reason": "laporan intel"}
    )
    e = AuditEntry.objects.filter(action="override_category", object_id=tps.code).latest("at")
    assert e.username == "planner" and e.ip == "127.0.0.1"
    assert e.before["effective"] == "RAWAN" and e.after == {
        "category": "SANGAT_RAWAN",
        "reason": "laporan intel",
        "effective": "SANGAT_RAWAN",
    }
