"""What a job says is shown in the reader's language (siaga.plans.lines): the worker stores the
line as a message id with its values, the pages translate it when they show it; a job stored
before lines were kept shows its message as it was written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone, translation

from siaga.jobs.models import Lease
from siaga.jobs.sweep import sweep
from siaga.plans.lines import line_of, reason_of, said, tell
from siaga.plans.models import PlanJob
from siaga.plans.services import FAILED, ORDERS_REFUSED, start_job
from tests.web.test_i18n import in_english

REPLAN_NOTE = "Susun ulang: %(absent)s tidak hadir, %(changed)s kategori berubah"


def job_line(client: Any, job: PlanJob) -> str:
    html = client.get(f"/plans/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    return html.split('id="job-message">', 1)[1].split("</p>", 1)[0]


def test_a_finished_plan_says_so_in_the_readers_language(as_planner, operation, settings):
    settings.SIAGA_JOBS_INLINE = True
    job = start_job(operation, None)
    job.refresh_from_db()
    assert job.status == PlanJob.Status.DONE and job.plan is not None, job.message
    version = job.plan.version
    assert job.message == f"Rencana versi {version} selesai"  # the stored line, in Indonesian
    page = as_planner.get(f"/plans/jobs/{job.pk}/").content.decode()
    assert f"Rencana versi {version} selesai" in page
    page = in_english(as_planner).get(f"/plans/jobs/{job.pk}/").content.decode()
    assert f"Plan version {version} done" in page and "selesai" not in page.split('id="job-message"')[1][:200]
    assert (
        job.plan.note == "Perencanaan"
        and "<td>Planning</td>" in in_english(as_planner).get(f"/plans/ops/{operation.pk}/").content.decode()
    )


def test_a_progress_line_with_values_is_translated_with_them(as_planner, operation):
    job = PlanJob.objects.create(operation=operation, kind="plan")
    tell(job, PlanJob.Status.RUNNING, 40, "Menyusun pos dan penugasan")
    assert "Menyusun pos dan penugasan" in job_line(as_planner, job)
    assert "Forming the posts and assignments" in job_line(in_english(as_planner), job)
    job.refresh_from_db()
    assert job.message == "Menyusun pos dan penugasan" and job.progress == 40


def test_a_failure_shows_its_reason_translated_and_keeps_the_detail_for_the_technical_view(as_planner, operation):
    job = PlanJob.objects.create(operation=operation, kind="plan")
    tell(job, PlanJob.Status.FAILED, 100, FAILED, "Traceback (most recent call last): ...", reason=ORDERS_REFUSED)
    job.refresh_from_db()
    assert job.message.startswith("Gagal: Surat perintah tidak dicetak") and "\nTraceback" in job.message
    english = in_english(as_planner)
    line = job_line(english, job)
    assert "Failed: " in line and "Gagal" not in line and "Surat perintah tidak dicetak" not in line
    assert reason_of(job) != line_of(job)  # the reason alone, for the orders panel's own "Gagal"


def test_a_reason_that_is_not_a_message_id_is_shown_as_it_was_written(operation):
    job = PlanJob.objects.create(operation=operation, kind="plan")
    tell(job, PlanJob.Status.FAILED, 100, FAILED, reason="Polres 35.14: rencana gagal / planning failed")
    with translation.override("id"):
        assert line_of(job) == "Gagal: Polres 35.14: rencana gagal / planning failed"
        assert reason_of(job) == "Polres 35.14: rencana gagal / planning failed"
    with translation.override("en"):
        assert line_of(job) == "Failed: Polres 35.14: rencana gagal / planning failed"


def test_a_job_stored_before_lines_shows_its_message(as_planner, operation):
    job = PlanJob.objects.create(
        operation=operation, kind="plan", status=PlanJob.Status.FAILED, message="Gagal: sesuatu\nTraceback ..."
    )
    with translation.override("en"):
        assert line_of(job) == "Gagal: sesuatu" and reason_of(job) == "sesuatu"
    assert "Gagal: sesuatu" in job_line(in_english(as_planner), job)


def test_the_sweeps_lines_are_translated(as_planner, operation, settings, django_capture_on_commit_callbacks):
    settings.SIAGA_JOB_STALE_SECONDS, settings.SIAGA_JOB_ATTEMPTS = 60, 3
    job = PlanJob.objects.create(operation=operation, status=PlanJob.Status.RUNNING, progress=40)
    Lease.objects.create(job=job, attempts=1, beat_at=timezone.now() - timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=False):
        assert sweep() == {"resumed": [job.pk], "failed": []}
    job.refresh_from_db()
    assert job.status == PlanJob.Status.QUEUED and job.progress == 40
    assert "Resumed: the previous worker stopped; attempt 2 of 3" in job_line(in_english(as_planner), job)
    assert "percobaan 2 dari 3" in job.message


def test_a_versions_note_is_shown_in_the_readers_language_and_hidden_below_the_polres(
    as_planner, as_sector, operation, plan
):
    plan.note, plan.note_line = "Susun ulang: 3 tidak hadir, 0 kategori berubah", said(REPLAN_NOTE, absent=3, changed=0)
    plan.save(update_fields=["note", "note_line"])
    listing = f"/plans/ops/{operation.pk}/"
    assert "Susun ulang: 3 tidak hadir, 0 kategori berubah" in as_planner.get(listing).content.decode()
    for url in (listing, f"/plans/{plan.pk}/"):
        html = in_english(as_planner).get(url).content.decode()
        assert "Re-plan: absent 3, TPS category changes 0" in html and "tidak hadir" not in html, url
    assert "3 tidak hadir" not in as_sector.get(listing).content.decode()  # a note may name people
    assert "absent 3" not in in_english(as_sector).get(listing).content.decode()


def test_a_note_stored_before_lines_is_shown_as_written(as_planner, operation, plan):
    plan.note, plan.note_line = "Catatan lama", {}
    plan.save(update_fields=["note", "note_line"])
    assert "Catatan lama" in in_english(as_planner).get(f"/plans/ops/{operation.pk}/").content.decode()
