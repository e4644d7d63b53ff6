"""What a walk through the console as the viewer (pengamat) and the admin found: the viewer is
offered nothing that changes data and every change he tries is refused in his language; the
audit trail reads in words for a Kabag Ops, whatever was recorded."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from siaga.accounts.roles import ALLOWED
from siaga.audit import reading
from siaga.audit.models import AuditEntry
from siaga.field.services.common import FIELD_WRITERS
from siaga.field.services.taxonomy import ACTIONS as INCIDENT_ACTIONS
from siaga.operations.models import Operation
from siaga.plans.models import Plan
from tests.web.conftest import client_for, publish

SIAGA = Path(__file__).resolve().parents[2] / "siaga"
# actions recorded under a computed name (siaga.plans.services start_job and its `{kind}_done`,
# the re-import, the archive's undo, the incident steps)
COMPUTED_ACTIONS = {"reimport", "unarchive", "polda_done", *INCIDENT_ACTIONS}
NAMED_ELSEWHERE = {"apel"}  # a record kind named by `reading._record_names` itself


def recorded() -> tuple[set[str], set[str]]:
    """The action codes and record kinds written as literals in every `record(...)` call."""
    actions: set[str] = set()
    kinds: set[str] = set()
    for path in SIAGA.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 3:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name != "record":
                continue
            action, kind = node.args[1], node.args[2]
            if isinstance(action, ast.Constant) and isinstance(action.value, str):
                actions.add(action.value)
            if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                kinds.add(kind.value)
    return actions, kinds


def row_of(html: str, action: str) -> str:
    start = html.index(f'data-action="{action}"')
    return html[start : html.index("</tr>", start)]


def test_it_reads_every_recorded_action_in_words():
    actions, _ = recorded()
    assert "rename" in actions and "login" in actions  # the scan finds the calls
    assert sorted((actions | COMPUTED_ACTIONS) - set(reading.ACTION_LABELS)) == []


def test_it_names_every_kind_of_record_in_words():
    _, kinds = recorded()
    assert "user" in kinds
    assert sorted(kinds - set(reading.TYPE_LABELS) - NAMED_ELSEWHERE) == []


def test_it_shows_an_account_change_with_the_role_in_words(as_admin):
    AuditEntry.objects.create(
        username="", action="account_set", object_type="user", object_id="budi", after={"role": "sector_chief"}
    )
    AuditEntry.objects.create(username="", action="unarchive", object_type="operation", object_id="1")
    html = as_admin.get("/audit/").content.decode()
    row = row_of(html, "account_set")
    assert "Kepala sektor (Kapolsek/Danramil)" in row and "sector_chief" not in row.split(">", 1)[1]
    assert "Aktifkan kembali operasi" in row_of(html, "unarchive")


def test_it_shows_a_list_sort_and_an_incident_step_in_words(as_admin, operation):
    AuditEntry.objects.create(
        username="viewer",
        action="read_roster",
        object_type="personnel",
        operation_id=operation.pk,
        after={"filters": {"sort": "-rank"}, "page": 1},
    )
    AuditEntry.objects.create(
        username="sector",
        action="escalate",
        object_type="incident",
        object_id="7",
        operation_id=operation.pk,
        after="ditangani/polres",
    )
    html = as_admin.get("/audit/").content.decode()
    assert "pangkat, menurun" in row_of(html, "read_roster")
    step = row_of(html, "escalate")
    assert "Kapolres" in step and "ditangani" in step and "ditangani/polres" not in step


def test_it_offers_the_users_by_name_in_the_filter(as_admin):
    AuditEntry.objects.create(username="viewer", action="login", object_type="user", object_id="viewer")
    html = as_admin.get("/audit/").content.decode()
    choices = html[html.index('name="user"') : html.index("</select>", html.index('name="user"'))]
    assert '<option value="viewer">' in choices and "(viewer)</option>" in choices


def test_the_phone_page_is_offered_only_to_those_who_report_from_it(as_viewer, as_sector, plan):
    assert ALLOWED["field_report"] == FIELD_WRITERS
    phone = f"/plans/{plan.pk}/phone/"
    for page in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/board/"):
        assert phone not in as_viewer.get(page).content.decode(), page
    assert phone in as_sector.get(f"/plans/{plan.pk}/").content.decode()


CHANGES = [
    "/ops/{op}/rename/",
    "/ops/{op}/archive/",
    "/ops/{op}/tps/bulk/",
    "/ops/{op}/personnel/bulk/",
    "/plans/{plan}/approve/",
    "/plans/{plan}/publish/",
    "/plans/{plan}/withdraw/",
    "/plans/{plan}/pin/",
    "/plans/ops/{op}/start/",
]


@pytest.mark.parametrize(("language", "words"), [("id", "Anda tidak berwenang"), ("en", "You are not authorised")])
def test_it_refuses_the_viewer_every_change_in_his_language(as_viewer, operation, plan, language, words):
    as_viewer.post("/i18n/setlang/", {"language": language, "next": "/"})
    before = (operation.name, operation.archived, plan.status, AuditEntry.objects.exclude(action="login").count())
    for url in CHANGES:
        response = as_viewer.post(url.format(op=operation.pk, plan=plan.pk), {"name": "x", "archived": "1"})
        assert response.status_code == 403 and words in response.content.decode(), url
    operation = Operation.objects.get(pk=operation.pk)
    after = (operation.name, operation.archived, Plan.objects.get(pk=plan.pk).status)
    assert after == before[:3] and AuditEntry.objects.exclude(action="login").count() == before[3]


def test_it_names_the_time_zone_of_the_audit_times(as_admin):
    AuditEntry.objects.create(username="viewer", action="login", object_type="user", object_id="viewer")
    assert "Waktu (WIB)" in as_admin.get("/audit/").content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [("id", "Nama pengguna atau kata sandi salah."), ("en", "Wrong username or password.")],
)
def test_a_wrong_password_is_told_once_in_the_readers_language(client, db, language, words):
    client.post("/i18n/setlang/", {"language": language, "next": "/login/"})
    html = client.post("/login/", {"username": "viewer", "password": "salah-sekali"}).content.decode()
    assert words in html and "nama pengguna nama pengguna" not in html.lower()


def test_it_names_hand_edited_columns_pins_and_numbers_in_words(as_admin, operation):
    tps = operation.tps_set.first()
    AuditEntry.objects.create(
        username="planner",
        action="edit",
        object_type="tps",
        object_id=tps.code,
        operation_id=operation.pk,
        before={"voters": 274},
        after={"voters": 333},
    )
    AuditEntry.objects.create(
        username="planner",
        action="pin",
        object_type="person",
        object_id="1",
        operation_id=operation.pk,
        after={"pinned_post": "STAF", "pin_reason": "ajudan"},
    )
    AuditEntry.objects.create(
        username="planner",
        action="plan_done",
        object_type="plan",
        object_id="1",
        operation_id=operation.pk,
        after={"summary": {"cost_km": 1746.04, "reserve_covered_weight": 424.0}},
    )
    html = as_admin.get("/audit/").content.decode()
    edit = row_of(html, "edit")
    assert "<dt>DPT</dt>" in edit and "voters" not in edit
    assert "staf operasi (tanpa pos)" in row_of(html, "pin")
    done = row_of(html, "plan_done")
    assert "1.746,0" in done and "bobot TPS terjangkau cadangan" in done and "reserve" not in done


def test_a_failed_login_is_not_put_on_the_system(as_admin, client, db):
    client.post("/login/", {"username": "viewer", "password": "salah-sekali"})
    AuditEntry.objects.create(username="", action="user_deactivated", object_type="user", object_id="budi")
    html = as_admin.get("/audit/").content.decode()
    assert "(belum masuk)" in row_of(html, "login_failed") and "sistem" in row_of(html, "user_deactivated")


def test_a_started_replan_names_its_plan_by_version_not_by_id(as_admin, operation, plan):
    AuditEntry.objects.create(
        username="planner",
        action="start_replan",
        object_type="plan_job",
        object_id="1",
        operation_id=operation.pk,
        after={"plan": plan.pk + 1000, "absent": ["1"]},
    )
    AuditEntry.objects.create(
        username="planner",
        action="start_replan",
        object_type="plan_job",
        object_id="2",
        operation_id=operation.pk,
        after={"plan": plan.pk, "absent": ["1"]},
    )
    html = as_admin.get("/audit/").content.decode()
    assert f"<dd>v{plan.version}</dd>" in html and f"<dd>{plan.pk + 1000}</dd>" in html  # an unknown id stays


def test_a_draft_offers_its_konsep_sprin_only_to_those_who_may_open_it(as_viewer, as_planner, as_sector, plan):
    assert plan.status == Plan.Status.DRAFT
    konsep = f"/plans/{plan.pk}/konsep/sprin.pdf"
    assert konsep not in as_viewer.get(f"/plans/{plan.pk}/").content.decode()
    assert as_viewer.get(konsep).status_code == 403
    assert konsep in as_planner.get(f"/plans/{plan.pk}/").content.decode()
    assert konsep in as_sector.get(f"/plans/{plan.pk}/").content.decode()


def test_an_archived_operation_is_marked_and_found_again_by_who_may_bring_it_back(as_planner, as_viewer, operation):
    from siaga.core.data import demo
    from siaga.operations.services import import_scenario

    as_planner.post(f"/ops/{operation.pk}/archive/", {"archived": "1"})
    fresh = import_scenario(demo.pasuruan_kota(), "baru.xlsx")
    assert 'class="badge"' in as_planner.get(f"/ops/{operation.pk}/").content.decode()
    found = as_planner.get(f"/ops/{fresh.pk}/").content.decode()
    assert f'href="/ops/{operation.pk}/versions/"' in found and f'href="/ops/{operation.pk}/"' not in found
    assert f"/ops/{operation.pk}/versions/" not in as_viewer.get(f"/ops/{fresh.pk}/").content.decode()


def test_archiving_asks_first_and_says_what_it_does(as_planner, operation):
    html = as_planner.get(f"/ops/{operation.pk}/versions/").content.decode()
    form = html[html.index('id="archive-form"') : html.index(">", html.index('id="archive-form"'))]
    assert "Arsipkan operasi ini?" in form and "diaktifkan kembali" in form


def test_the_sot_ews_page_is_offered_only_to_who_may_take_a_file_or_import(operation, plan):
    """A viewer opening it would read only that he may not download: he is not offered it."""
    publish(plan)
    for name, offered in (("viewer", False), ("planner", True), ("commander", True), ("sector", True)):
        client = client_for(name)
        for url in (f"/plans/{plan.pk}/", f"/ops/{operation.pk}/tps/"):
            page = client.get(url).content.decode()
            assert ('id="interchange-link"' in page) is offered, (name, url)


def test_the_phone_page_opened_by_address_is_read_only_for_who_may_not_report(plan):
    publish(plan)
    for name, reports in (("viewer", False), ("commander", False), ("field_officer", True), ("planner", True)):
        page = client_for(name).get(f"/plans/{plan.pk}/phone/").content.decode()
        assert ('id="read-only"' in page) is not reports, name
        assert page.count('<fieldset class="plain" disabled>') == (0 if reports else 3), name
