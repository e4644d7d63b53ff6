"""Plans in the database: computing them in the background, versions, hand edits, approval.

The only place where stored plans become core plans and back. Every change is audited.
"""

from __future__ import annotations

import tempfile
import threading
import traceback
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.audit.log import record
from siaga.core.data.model import Category
from siaga.core.documents import orders, tokens
from siaga.core.planning import engine
from siaga.core.planning.plan import EditError
from siaga.core.planning.plan import reassign as core_reassign
from siaga.operations.models import Operation
from siaga.operations.services import scenario_for
from siaga.plans.models import Plan, PlanJob
from siaga.plans.store import core_plan, save_plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanError(ValueError):
    """A request the plan's state does not allow; the message says why (in the user's language)."""


def start_job(
    operation: Operation, user: Any, kind: str = "plan", params: dict[str, Any] | None = None, request: Any = None
) -> PlanJob:
    """Queue a planning job and run it in the background (inline when settings say so)."""
    job = PlanJob.objects.create(operation=operation, kind=kind, params=params or {}, created_by=user)
    record(request, f"start_{kind}", "plan_job", str(job.pk), operation_id=operation.pk, after=params or {})
    if settings.SIAGA_JOBS_INLINE:
        run_job(job.pk)
    else:
        threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True, name=f"plan-job-{job.pk}").start()
    return job


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run_job(job_id)
    finally:
        close_old_connections()


def run_job(job_id: int) -> None:
    """Compute the plan (or re-plan) of a job, store it, and mark the job done or failed."""
    job = PlanJob.objects.select_related("operation").get(pk=job_id)
    _progress(job, PlanJob.Status.RUNNING, 5, "Membaca data operasi")
    try:
        scenario = scenario_for(job.operation)
        _progress(job, PlanJob.Status.RUNNING, 20, "Menyusun pos dan penugasan")

        def step(done: int, total: int) -> None:
            _progress(job, PlanJob.Status.RUNNING, 20 + int(70 * done / max(total, 1)), f"Polres {done}/{total}")

        parent = None
        if job.kind == "replan":
            parent = Plan.objects.get(pk=job.params["plan"], operation=job.operation)
            changes = {k: Category(v) for k, v in job.params.get("categories", {}).items()}
            result = engine.replan_all(scenario, core_plan(parent), job.params.get("absent", []), changes)
        else:
            result = engine.plan_all(scenario, workers=1, progress=step)
        _progress(job, PlanJob.Status.RUNNING, 95, "Memeriksa rencana")
        saved = save_plan(job.operation, result, scenario, job.created_by, parent, _note(job))
        job.plan = saved
        job.finished_at = timezone.now()
        job.save(update_fields=["plan", "finished_at"])
        record(
            None,
            f"{job.kind}_done",
            "plan",
            str(saved.pk),
            operation_id=job.operation_id,
            user=job.created_by,
            after={"version": saved.version, "summary": saved.summary, "violations": len(saved.violations)},
        )
        _progress(job, PlanJob.Status.DONE, 100, f"Rencana versi {saved.version} selesai")
    except Exception as exc:  # the job must end, whatever went wrong; the message says what
        job.finished_at = timezone.now()
        job.save(update_fields=["finished_at"])
        _progress(job, PlanJob.Status.FAILED, 100, f"Gagal: {exc}\n{traceback.format_exc(limit=3)}")


def _note(job: PlanJob) -> str:
    if job.kind != "replan":
        return "Perencanaan"
    absent = len(job.params.get("absent", []))
    changed = len(job.params.get("categories", {}))
    return f"Susun ulang: {absent} tidak hadir, {changed} kategori berubah"


def _progress(job: PlanJob, status: str, percent: int, message: str) -> None:
    job.status, job.progress, job.message = status, percent, message
    job.save(update_fields=["status", "progress", "message"])


def reassign(plan: Plan, person: str, post: str | None, slot: str | None, user: Any, request: Any = None) -> Plan:
    """A new version with one person moved by hand; the checker runs on it."""
    scenario = scenario_for(plan.operation)
    before = _assignment_of(plan, person)
    try:
        result = core_reassign(scenario, core_plan(plan), person, post, slot)
    except EditError as exc:
        raise PlanError(str(exc)) from None
    new = save_plan(plan.operation, result, scenario, user, plan, f"Ubah manual: {person}")
    after = _assignment_of(new, person)
    record(request, "reassign", "plan", str(new.pk), operation_id=plan.operation_id, before=before, after=after)
    return new


def _assignment_of(plan: Plan, person: str) -> dict[str, Any] | None:
    row = plan.assignments.filter(person_code=person).values("post__code", "slot", "cost_km").first()
    return (
        None
        if row is None
        else {"person": person, "post": row["post__code"], "slot": row["slot"], "cost_km": row["cost_km"]}
    )


def approve(plan: Plan, user: Any, request: Any = None) -> Plan:
    """A commander approves a draft that passes the checker and that they did not make."""
    if plan.status != Plan.Status.DRAFT:
        raise PlanError(_("Hanya rencana berstatus konsep yang dapat disetujui."))
    if plan.author_id is not None and plan.author_id == user.pk:
        raise PlanError(_("Rencana tidak dapat disetujui oleh pembuatnya sendiri."))
    if plan.violations:
        raise PlanError(_("Rencana masih melanggar aturan; perbaiki dulu."))
    return _set_status(plan, Plan.Status.APPROVED, user, request, approved_by=user, approved_at=timezone.now())


@transaction.atomic
def publish(plan: Plan, user: Any, request: Any = None) -> Plan:
    """The approved version becomes the operation's current plan; the one it replaces is marked
    superseded. Field records (check-ins, statuses, incidents) belong to the operation and stay."""
    if plan.status != Plan.Status.APPROVED:
        raise PlanError(_("Hanya rencana yang sudah disetujui yang dapat diterbitkan."))
    for older in Plan.objects.select_for_update().filter(operation_id=plan.operation_id, status=Plan.Status.PUBLISHED):
        _set_status(older, Plan.Status.SUPERSEDED, user, request)
    return _set_status(plan, Plan.Status.PUBLISHED, user, request, published_at=timezone.now())


def _set_status(plan: Plan, status: str, user: Any, request: Any, **fields: Any) -> Plan:
    before = plan.status
    plan.status = status
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save(update_fields=["status", *fields])
    record(
        request,
        status,
        "plan",
        str(plan.pk),
        operation_id=plan.operation_id,
        before={"status": before},
        after={"status": status},
    )
    return plan


def diff(old: Plan, new: Plan) -> dict[str, Any]:
    """What changed between two versions: people moved, posts added or removed, figures."""

    def places(plan: Plan) -> dict[str, tuple[str, str]]:
        rows = plan.assignments.order_by().values_list("person_code", "post__code", "slot")
        return {person: (post, slot) for person, post, slot in rows}

    before, after = places(old), places(new)
    changed = [p for p in before.keys() | after.keys() if before.get(p) != after.get(p)]
    moved = [(person, before.get(person), after.get(person)) for person in sorted(changed)]
    old_posts = set(old.posts.values_list("code", flat=True))
    new_posts = set(new.posts.values_list("code", flat=True))
    figures = ("assigned", "unfilled", "cost_km", "objective", "lower_bound")
    return {
        "moved": moved,
        "posts_added": sorted(new_posts - old_posts),
        "posts_removed": sorted(old_posts - new_posts),
        "summary": [(k, old.summary.get(k), new.summary.get(k)) for k in figures],
    }


def versions(operation: Operation) -> QuerySet[Plan]:
    """The operation's plans, newest first, with their summary but without the (large) plan file."""
    return operation.plans.select_related("author", "approved_by")


def active_job(operation: Operation, within_minutes: int = 30) -> PlanJob | None:
    """A job of the operation still queued or running (a job older than this is presumed dead)."""
    since = timezone.now() - timedelta(minutes=within_minutes)
    running = (PlanJob.Status.QUEUED, PlanJob.Status.RUNNING)
    return operation.plan_jobs.filter(status__in=running, created_at__gte=since).first()


ORDER_FILES = {"sprin.pdf": "application/pdf", "ploting.xlsx": XLSX, "kartu.pdf": "application/pdf"}


def orders_file(plan: Plan, name: str, kecamatan_code: str, request: Any = None) -> bytes:
    """One of the orders of an approved plan (the Sprin, the ploting workbook, the cards),
    for the whole Polres or one kecamatan. Orders are never printed from a draft."""
    if plan.status not in (Plan.Status.APPROVED, Plan.Status.PUBLISHED):
        raise PlanError(_("Surat perintah hanya dicetak dari rencana yang sudah disetujui."))
    key = tokens.key_file(Path(settings.SIAGA_CARD_KEY_FILE))
    with tempfile.TemporaryDirectory() as work:
        try:
            orders.write(scenario_for(plan.operation), core_plan(plan), Path(work), key, kecamatan_code)
        except orders.InvalidPlan as exc:
            raise PlanError(_("Rencana melanggar aturan; surat perintah tidak dicetak.")) from exc
        data = (Path(work) / name).read_bytes()
    record(
        request,
        "download_orders",
        "plan",
        str(plan.pk),
        operation_id=plan.operation_id,
        after={"file": name, "kecamatan": kecamatan_code or "semua"},
    )
    return data
