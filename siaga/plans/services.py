"""Plans in the database: computing them in the background, versions, hand edits, approval.

The only place where stored plans become core plans and back. Every change is audited.
"""

from __future__ import annotations

import threading
import traceback
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Max
from django.utils import timezone

from siaga.audit.log import record
from siaga.core import engine
from siaga.core.check import check_plan
from siaga.core.model import Category, Scenario
from siaga.core.model import Plan as CorePlan
from siaga.core.plan import EditError
from siaga.core.plan import reassign as core_reassign
from siaga.core.planfile import from_json, to_json
from siaga.operations.models import Operation
from siaga.operations.services import scenario_for
from siaga.plans.models import Plan, PlanJob


class PlanError(ValueError):
    """A request the plan's state does not allow; the message says why (in Indonesian)."""


def core_plan(plan: Plan) -> CorePlan:
    return from_json(plan.data)


@transaction.atomic
def save_plan(
    operation: Operation, result: CorePlan, scenario: Scenario, author: Any, parent: Plan | None = None, note: str = ""
) -> Plan:
    """Store a core plan as the operation's next version, with the checker's verdict."""
    version = (operation.plans.select_for_update().aggregate(v=Max("version"))["v"] or 0) + 1
    violations = [str(v) for v in check_plan(scenario, result)]
    return Plan.objects.create(
        operation=operation,
        version=version,
        parent=parent,
        note=note,
        data=to_json(result),
        violations=violations,
        author=author if getattr(author, "is_authenticated", False) else None,
    )


def start_job(
    operation: Operation, user: Any, kind: str = "plan", params: dict[str, Any] | None = None, request: Any = None
) -> PlanJob:
    """Queue a planning job and run it in the background (inline when settings say so)."""
    job = PlanJob.objects.create(operation=operation, kind=kind, params=params or {}, created_by=user)
    record(request, f"start_{kind}", "plan_job", job.pk, operation_id=operation.pk, after=params or {})
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
            saved.pk,
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
    before = next((a for a in plan.data["assignments"] if a["person"] == person), None)
    try:
        result = core_reassign(scenario, core_plan(plan), person, post, slot)
    except EditError as exc:
        raise PlanError(str(exc)) from None
    new = save_plan(plan.operation, result, scenario, user, plan, f"Ubah manual: {person}")
    after = next((a for a in new.data["assignments"] if a["person"] == person), None)
    record(request, "reassign", "plan", new.pk, operation_id=plan.operation_id, before=before, after=after)
    return new


def approve(plan: Plan, user: Any, request: Any = None) -> Plan:
    """A commander approves a draft that passes the checker and that they did not make."""
    if plan.status != Plan.Status.DRAFT:
        raise PlanError("Hanya rencana berstatus konsep yang dapat disetujui.")
    if plan.author_id is not None and plan.author_id == user.pk:
        raise PlanError("Rencana tidak dapat disetujui oleh pembuatnya sendiri.")
    if plan.violations:
        raise PlanError("Rencana masih melanggar aturan; perbaiki dulu.")
    return _set_status(plan, Plan.Status.APPROVED, user, request, approved_by=user, approved_at=timezone.now())


def publish(plan: Plan, user: Any, request: Any = None) -> Plan:
    if plan.status != Plan.Status.APPROVED:
        raise PlanError("Hanya rencana yang sudah disetujui yang dapat diterbitkan.")
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
        plan.pk,
        operation_id=plan.operation_id,
        before={"status": before},
        after={"status": status},
    )
    return plan


def diff(old: Plan, new: Plan) -> dict[str, Any]:
    """What changed between two versions: people moved, posts added or removed, figures."""
    before = {a["person"]: (a["post"], a["slot"]) for a in old.data["assignments"]}
    after = {a["person"]: (a["post"], a["slot"]) for a in new.data["assignments"]}
    changed = [p for p in before.keys() | after.keys() if before.get(p) != after.get(p)]
    moved = [(person, before.get(person), after.get(person)) for person in sorted(changed)]
    old_posts = {p["id"] for p in old.data["posts"]}
    new_posts = {p["id"] for p in new.data["posts"]}
    figures = ("assigned", "unfilled", "cost_km", "objective", "lower_bound")
    return {
        "moved": moved,
        "posts_added": sorted(new_posts - old_posts),
        "posts_removed": sorted(old_posts - new_posts),
        "summary": [(k, old.summary.get(k), new.summary.get(k)) for k in figures],
    }
