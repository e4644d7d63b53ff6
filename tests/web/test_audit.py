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


# ---------------------------------------------------------------- the page a commander reads


def test_it_shows_the_commander_actions_records_and_changes_in_words(as_planner, as_commander, operation, plan):
    person = plan.assignments.filter(slot="POLRI").first().person_code
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": person, "idle": "on"})
    tps = operation.tps_set.get(code="35.14.17.2005-01")
    as_planner.post(f"/ops/{operation.pk}/tps/{tps.pk}/override/", {"category": "SANGAT_RAWAN", "reason": "intel"})
    html = as_commander.get("/audit/").content.decode()
    assert "Ubah penugasan" in html and "Tetapkan kategori TPS" in html
    new = operation.plans.order_by("-version").first()
    assert f"Rencana v{new.version}" in html and "TPS 01 " in html
    assert "<dt>kategori</dt><dd>Sangat rawan</dd>" in html and "<dt>alasan</dt><dd>intel</dd>" in html
    assert ">override_category<" not in html and ">reassign<" not in html  # codes only in attributes
    assert "{&#x27;" not in html and "{'" not in html  # no dict dumps


def test_it_names_a_user_linked_to_a_person_by_rank_and_name(as_commander, operation):
    from siaga.accounts.models import Profile
    from siaga.operations.models import Person

    profile = Profile.objects.select_related("user").get(user__username="field_officer")
    person = Person.objects.filter(operation=operation, code=profile.person_code).first()
    AuditEntry.objects.create(user=profile.user, username="field_officer", action="login", object_type="user")
    html = as_commander.get("/audit/?user=field_officer&action=login").content.decode()
    assert f"{person.rank} {person.name}".strip() in html


def test_it_filters_by_date_operation_user_and_action(as_planner, as_commander, operation, plan):
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": "00000000", "idle": "on"})  # refused: no entry
    AuditEntry.objects.create(username="planner", action="export", object_type="operation", operation_id=operation.pk)
    AuditEntry.objects.create(username="other", action="export", object_type="operation", operation_id=None)
    rows = lambda q: as_commander.get(f"/audit/?{q}").content.decode().count('data-action="export"')  # noqa: E731
    assert rows("action=export") == 2
    assert rows(f"action=export&operation={operation.pk}") == 1
    assert rows("action=export&user=other") == 1
    assert rows("action=export&from=2000-01-01&to=2000-01-02") == 0
    assert rows("action=export&to=2000-13-45") == 2  # a bad date is ignored


def test_it_exports_the_filtered_view_as_csv_and_xlsx(as_commander, operation):
    import io

    from openpyxl import load_workbook

    AuditEntry.objects.create(username="planner", action="export", object_type="operation", object_id=str(operation.pk))
    AuditEntry.objects.create(username="planner", action="logout", object_type="user", object_id="planner")
    csv = as_commander.get("/audit/?action=export&format=csv")
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Disposition"].endswith('.csv"') and "Ekspor data" in text and "Keluar" not in text
    assert operation.name in text
    xlsx = as_commander.get("/audit/?action=export&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:4] == ["Waktu (WIB)", "Pengguna", "Alamat", "Tindakan"] and len(cells) == 2
    assert text.splitlines()[0].startswith("Waktu (WIB),Pengguna")  # the times' zone, as the page shows it
    assert AuditEntry.objects.filter(action="export_audit").count() == 2


def test_it_pages_the_log(as_commander):
    AuditEntry.objects.bulk_create(
        [AuditEntry(username="uji", action="login", object_type="user", object_id="uji") for _ in range(120)]
    )
    html = as_commander.get("/audit/?action=login").content.decode()
    assert html.count('data-action="login"') == 50 and 'rel="next"' in html
    last = as_commander.get("/audit/?action=login&page=3").content.decode()
    assert 'rel="next"' not in last and last.count('data-action="login"') >= 20


def test_it_refuses_the_log_and_its_export_to_a_planner(as_planner):
    assert as_planner.get("/audit/").status_code == 403
    assert as_planner.get("/audit/?format=csv").status_code == 403
