"""Nothing a user saved is lost or half-written, and the later of two users is told in words
(found walking the console in Chromium as two planners and a commander): a decision sent
twice at once is taken once; a re-plan or a PSU sent from a version someone has since
replaced gets the conflict page, not a version that silently leaves their change out; a
second re-plan while one runs is not started; a pin that replaces another says so; a reason
too long is refused whole, never cut; the login page says a form sent without a session was
not saved."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import translation

from siaga.audit.models import AuditEntry
from siaga.jobs.models import PlanJob
from siaga.operations.models import Person
from siaga.plans import services
from siaga.plans.models import Plan
from siaga.plans.store import plan_file


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.SIAGA_JOBS_INLINE = True


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def shown(client: Any, response: Any) -> str:
    """The page a redirect leads to, with its messages."""
    assert response.status_code == 302, response.status_code
    return text(client.get(response.headers["Location"]))


def audited(action: str, plan: Plan) -> int:
    return AuditEntry.objects.filter(action=action, object_type="plan", object_id=str(plan.pk)).count()


def one_polri(plan: Plan) -> str:
    kinds = {p["id"]: p["kind"] for p in plan_file(plan)["posts"]}
    return next(
        a["person"] for a in plan_file(plan)["assignments"] if a["slot"] == "POLRI" and kinds[a["post"]] == "TPS"
    )


def newest(plan: Plan) -> Plan:
    return Plan.objects.filter(operation_id=plan.operation_id).order_by("-version").first()


# ---------------------------------------------------------------- a decision sent twice at once


def test_an_approval_sent_twice_at_once_is_taken_once_and_the_second_is_told(db, plan):
    from django.contrib.auth import get_user_model

    commander = get_user_model().objects.get(username="commander")
    first, second = Plan.objects.get(pk=plan.pk), Plan.objects.get(pk=plan.pk)  # both read as drafts
    services.approve(first, commander)
    with (
        translation.override("id"),
        pytest.raises(services.PlanError, match=f"Rencana versi {plan.version} sudah disetujui"),
    ):
        services.approve(second, commander)
    assert audited("approved", plan) == 1


def test_a_publication_sent_twice_at_once_never_supersedes_itself(db, plan):
    from django.contrib.auth import get_user_model

    commander = get_user_model().objects.get(username="commander")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    first, second = Plan.objects.get(pk=plan.pk), Plan.objects.get(pk=plan.pk)
    services.publish(first, commander)
    with translation.override("id"), pytest.raises(services.PlanError, match="sudah diterbitkan"):
        services.publish(second, commander)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.PUBLISHED
    assert audited("published", plan) == 1 and audited("superseded", plan) == 0


def test_the_second_click_on_approve_says_it_is_already_approved(as_commander, plan):
    url = f"/plans/{plan.pk}/approve/"
    assert "disetujui." in shown(as_commander, as_commander.post(url, {"confirm": "yes"}))
    again = shown(as_commander, as_commander.post(url, {"confirm": "yes"}))
    assert f"Rencana versi {plan.version} sudah disetujui; tidak ada yang diubah." in again
    assert audited("approved", plan) == 1


def test_a_withdrawal_of_publication_sent_twice_does_not_take_back_the_approval_too(as_commander, plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PUBLISHED)
    page = text(as_commander.get(f"/plans/{plan.pk}/"))
    assert 'name="status" value="published"' in page  # the form says what it takes back
    data = {"confirm": "yes", "reason": "salah terbit", "status": "published"}
    url = f"/plans/{plan.pk}/withdraw/"
    assert "Penerbitan rencana versi" in shown(as_commander, as_commander.post(url, data))
    again = shown(as_commander, as_commander.post(url, data))
    assert f"Rencana versi {plan.version} kini berstatus disetujui; tidak ada yang ditarik." in again
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED
    assert audited("withdraw_approval", plan) == 0


# ---------------------------------------------------------------- a re-plan from a replaced version


def test_a_replan_sent_from_a_replaced_version_gets_the_conflict_page_and_starts_nothing(
    as_planner, as_admin, operation, plan
):
    moved = one_polri(plan)
    as_admin.post(f"/plans/{plan.pk}/reassign/", {"person": moved, "idle": "on"})  # the admin's hand edit
    edited = newest(plan)
    assert edited.version == plan.version + 1
    absent = next(p for p in plan.assignments.values_list("person_code", flat=True) if p != moved)
    jobs = PlanJob.objects.count()

    refused = as_planner.post(f"/plans/{plan.pk}/replan/", {"absent": absent})  # from the page of the older one
    assert refused.status_code == 409
    page = text(refused)
    assert f"versi {edited.version} dibuat oleh Admin (admin)" in page and "Perubahan Anda belum disimpan" in page
    assert "Susun ulang: 1 tidak hadir, 0 kategori berubah" in page
    assert PlanJob.objects.count() == jobs and newest(plan) == edited

    form = re.search(r'<form method="post" action="([^"]+)"[^>]*id="reapply-newest">(.*?)</form>', page, re.S)
    assert form and form.group(1) == f"/plans/{edited.pk}/replan/"
    carried = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(2)))
    assert carried["absent"] == absent
    as_planner.post(form.group(1), carried)
    made = newest(plan)
    assert made.parent_id == edited.pk  # made from the admin's version, with the absence
    assert absent not in set(made.assignments.values_list("person_code", flat=True))


def test_a_replan_from_an_older_version_may_be_made_knowingly(as_planner, as_admin, plan):
    moved = one_polri(plan)
    as_admin.post(f"/plans/{plan.pk}/reassign/", {"person": moved, "idle": "on"})
    edited = newest(plan)
    absent = next(p for p in plan.assignments.values_list("person_code", flat=True) if p != moved)
    done = as_planner.post(f"/plans/{plan.pk}/replan/", {"absent": absent, "seen": edited.version})
    assert done.status_code == 302
    assert newest(plan).version == edited.version + 1 and newest(plan).parent_id == plan.pk


def test_a_psu_sent_from_a_replaced_version_adds_no_stage(as_planner, as_admin, plan):
    as_admin.post(f"/plans/{plan.pk}/reassign/", {"person": one_polri(plan), "idle": "on"})
    tps = list(plan.operation.tps_set.order_by("code").values_list("code", flat=True)[:2])
    data = {"name": "PSU Kraton", "date": "2022-03-30", "start": "07:00", "end": "17:00", "tps": "\n".join(tps)}
    stages_before = dict(plan.operation.config).get("stages")
    refused = as_planner.post(f"/plans/{plan.pk}/psu/", data)
    assert refused.status_code == 409 and "PSU PSU Kraton (2 TPS)" in text(refused)
    plan.operation.refresh_from_db()
    assert dict(plan.operation.config).get("stages") == stages_before


def test_a_second_replan_while_one_runs_is_not_started_and_says_so(as_planner, operation, plan):
    running = PlanJob.objects.create(operation=operation, kind="replan", status=PlanJob.Status.RUNNING)
    response = as_planner.post(f"/plans/{plan.pk}/replan/", {"absent": one_polri(plan)})
    assert response.headers["Location"] == f"/plans/jobs/{running.pk}/"
    assert "Susun ulang Anda belum dijalankan" in text(as_planner.get(f"/plans/jobs/{running.pk}/"))
    assert PlanJob.objects.filter(operation=operation).count() == 1 and operation.plans.count() == 1


# ---------------------------------------------------------------- a pin replacing another


def test_a_pin_that_replaces_another_says_what_it_replaced(as_planner, operation, plan):
    person = Person.objects.get(operation=operation, code=one_polri(plan))
    Person.objects.filter(pk=person.pk).update(pinned_post="STAF", pin_reason="piket markas")  # the other planner's
    data = {"pin-person": person.code, "pin-choice": "TIDAK", "pin-reason": "sakit"}
    page = shown(as_planner, as_planner.post(f"/plans/{plan.pk}/pin/", data))
    assert f"Pin {person} sebelumnya diganti:" in page
    fresh = as_planner.post(f"/plans/{plan.pk}/pin/", data | {"pin-reason": "sakit keras"})
    assert "sebelumnya diganti" not in shown(as_planner, fresh)  # the same decision again: nothing replaced


# ---------------------------------------------------------------- a reason too long


def test_a_bulk_category_reason_too_long_is_refused_whole_and_changes_nothing(as_planner, operation):
    tps = operation.tps_set.order_by("code").first()
    url = f"/ops/{operation.pk}/tps/bulk/"
    page = shown(as_planner, as_planner.post(url, {"ids": [tps.pk], "category": "RAWAN", "reason": "x" * 1001}))
    assert "Alasan terlalu panjang: 1001 huruf, paling banyak 1000. Tidak ada yang berubah." in page
    tps.refresh_from_db()
    assert tps.category == "" and tps.category_reason == ""
    long = "Ricuh 😀 عربى <b>" * 62  # 1000 characters, emoji and right-to-left script: saved whole
    assert len(long) <= 1000
    as_planner.post(url, {"ids": [tps.pk], "category": "RAWAN", "reason": long})
    tps.refresh_from_db()
    assert tps.category == "RAWAN" and tps.category_reason == long.strip()


# ---------------------------------------------------------------- a session ended midway


def test_a_form_sent_after_the_session_ended_leads_to_a_login_page_that_says_it_was_not_saved(as_planner, operation):
    person = operation.personnel.first()
    as_planner.logout()
    response = as_planner.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", {"phone": "0812"})
    page = shown(as_planner, response)
    assert "Isian formulir yang dikirim tanpa sesi belum tersimpan" in page
    as_planner.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(as_planner.get(response.headers["Location"]))
    assert "A form sent without a session was not saved" in page


def test_the_plain_login_page_and_the_front_page_have_no_such_notice(client, db):
    assert "belum tersimpan" not in text(client.get("/login/"))
    assert "belum tersimpan" not in shown(client, client.get("/"))  # the first visit of the day


def test_a_form_sent_without_a_session_returns_to_its_page_after_signing_in(plan):
    """A POST-only address answers only a button: signed in again, the planner goes back to the
    page the form was on (and is told the form was not saved), not to a 405 page."""
    from django.test import Client

    page = f"/plans/{plan.pk}/?tab=pins"
    sent = Client().post(f"/plans/{plan.pk}/pin/", {"person": "x"}, HTTP_REFERER=f"http://testserver{page}")
    assert sent.status_code == 302 and sent["Location"] == "/login/?next=" + quote(page, safe="/") + "&sent=1"
    foreign = Client().post(f"/plans/{plan.pk}/pin/", {"person": "x"}, HTTP_REFERER="http://elsewhere.example/x")
    assert foreign["Location"] == "/login/?next=/&sent=1"
    assert Client().get(page)["Location"] == "/login/?next=" + quote(page, safe="/")  # a page asked for: itself
