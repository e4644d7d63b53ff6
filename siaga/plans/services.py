"""Plans in the database: computing them in the background, versions, hand edits, approval.

The only place where stored plans become core plans and back. Every change is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from siaga.accounts.names import known_as
from siaga.audit.log import record
from siaga.core.data import stages
from siaga.core.data.bawaslu import BawasluList, read_bawaslu, with_bawaslu
from siaga.core.data.model import Category, Stage, StageKind
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario
from siaga.core.data.text import Message
from siaga.core.documents import orders
from siaga.core.planning import engine, risk
from siaga.core.planning.plan import EditError
from siaga.core.planning.plan import reassign as core_reassign
from siaga.jobs import orders as stored_orders
from siaga.jobs import queue, runner
from siaga.jobs.models import Lease, OrdersFile
from siaga.operations.labels import FORCE_LABELS
from siaga.operations.models import Operation, Person, Tps
from siaga.operations.services import (
    data_diff,
    existing_operation,
    import_scenario,
    operation_stages,
    override_category,
    refresh_vulnerability,
    scenario_for,
    set_categories,
)
from siaga.plans import changes
from siaga.plans.lines import line_of, reason_of, said, tell
from siaga.plans.models import CategorySignoff, CategorySource, Plan, PlanJob
from siaga.plans.names import post_labels
from siaga.plans.store import core_plan, current_plan, lock_operation, save_plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REINFORCE = "reinforce_sangat_rawan"  # the operation setting the strength advice sets


class PlanError(ValueError):
    """A request the plan's state does not allow; the message says why (in the user's language)."""


def start_job(
    operation: Operation,
    user: Any,
    kind: str = "plan",
    params: dict[str, Any] | None = None,
    request: Any = None,
    plan: Plan | None = None,
) -> PlanJob:
    """Queue a job (a plan, a re-plan, or with `plan` the orders of that version) for the
    worker, in the caller's transaction; inline when `SIAGA_JOBS_INLINE` says so."""
    job = PlanJob.objects.create(operation=operation, kind=kind, params=params or {}, created_by=user, plan=plan)
    record(request, f"start_{kind}", "plan_job", str(job.pk), operation_id=operation.pk, after=params or {})
    queue.submit(job.pk)
    return job


class PlanRunning(PlanError):
    """A plan or re-plan of the operation is already queued or running (`job`): a second one
    is not started. The message names who started it and since when."""

    def __init__(self, job: PlanJob, user: Any = None) -> None:
        self.job = job
        if user is not None and job.created_by_id is not None and job.created_by_id == user.pk:
            who = _("Anda")
        else:
            who = known_as(job.created_by) or _("perencana lain")
        since = date_format(timezone.localtime(job.created_at), "j F Y H.i")
        super().__init__(
            _("Rencana untuk operasi ini sedang disusun oleh %(who)s sejak %(since)s.") % {"who": who, "since": since}
        )


@transaction.atomic
def start_planning(
    operation: Operation, user: Any, kind: str = "plan", params: dict[str, Any] | None = None, request: Any = None
) -> PlanJob:
    """Start a plan or re-plan of the operation, once: the operation's row is locked before the
    running one is looked for, so two presses at the same moment (a double click, two tabs, two
    planners) start one job; the other raises `PlanRunning` with the job it found (and, inside
    a caller's transaction, rolls back what the caller changed for it)."""
    lock_operation(operation.pk)
    running = active_job(operation)
    if running is not None:
        raise PlanRunning(running, user)
    return start_job(operation, user, kind, params, request)


def run_job(job_id: int) -> None:
    """Run a claimed job (siaga.jobs.runner claims it and keeps its heartbeat): compute the plan
    or re-plan, or render the orders, and end the job done or failed with a message.

    The result is stored in one transaction with the job's end, and only while this attempt
    still holds the job: a worker that dies midway leaves nothing, and the sweep runs it again."""
    job = PlanJob.objects.select_related("operation", "plan").get(pk=job_id)
    attempt = Lease.objects.get(job_id=job_id).attempts
    try:
        if job.kind == "orders":
            _render_orders(job, attempt)
            return
        if job.kind == "import":
            _run_import(job, attempt)
            return
        if job.kind == "polda":
            _render_polda_orders(job, attempt)
            return
        operation = job.operation
        if operation is None:  # only an import job starts without one
            raise ValueError(f"proses {job.kind} tanpa operasi")
        tell(job, PlanJob.Status.RUNNING, 5, gettext_noop("Membaca data operasi"))
        scenario = scenario_for(operation)
        tell(job, PlanJob.Status.RUNNING, 20, gettext_noop("Menyusun pos dan penugasan"))

        def step(done: int, total: int) -> None:
            tell(job, PlanJob.Status.RUNNING, 20 + int(70 * done / max(total, 1)), POLRES_DONE, done=done, total=total)

        parent = None
        if job.kind == "replan":
            parent = Plan.objects.get(pk=job.params["plan"], operation=job.operation)
            changes = {k: Category(v) for k, v in job.params.get("categories", {}).items()}
            newcomers = bool(job.params.get("newcomers", True))  # False: the apel's absentees (its setting)
            result = engine.replan_all(
                scenario, core_plan(parent), job.params.get("absent", []), changes, newcomers=newcomers
            )
        else:
            result = engine.plan_all(scenario, progress=step, **planning_engine())
        tell(job, PlanJob.Status.RUNNING, 95, gettext_noop("Memeriksa dan menyimpan rencana"))
        with transaction.atomic():
            if not runner.holds(job.pk, attempt):
                return  # the sweep gave the job to another attempt: that one stores the plan
            saved = save_plan(operation, result, scenario, job.created_by, parent, _note(job))
            carry_signoff(saved, parent)
            job.plan, job.finished_at = saved, timezone.now()
            tell(
                job, PlanJob.Status.DONE, 100, gettext_noop("Rencana versi %(version)s selesai"), version=saved.version
            )
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
    except Exception as exc:  # the job must end, whatever went wrong; the message says what
        job.finished_at = timezone.now()
        job.save(update_fields=["finished_at"])
        tell(job, PlanJob.Status.FAILED, 100, FAILED, traceback.format_exc(limit=3), reason=str(exc))


def planning_engine() -> dict[str, Any]:
    """The engine the console plans on (settings SIAGA_PLAN_ENGINE, SIAGA_PLAN_WORKERS,
    SIAGA_DASK_SCHEDULER): every core of this machine by default; the plan is the same on any."""
    from django.conf import settings

    scheduler = settings.SIAGA_DASK_SCHEDULER or None
    return {"engine": settings.SIAGA_PLAN_ENGINE, "workers": settings.SIAGA_PLAN_WORKERS, "scheduler": scheduler}


def _note(job: PlanJob) -> dict[str, Any]:
    """The note of the version the job makes, as a line shown in the reader's language."""
    if job.kind != "replan":
        per_post = job.params.get(REINFORCE)
        if per_post:
            return said(gettext_noop("Perencanaan: +%(n)s Polri per pos TPS sangat rawan"), n=per_post)
        return said(gettext_noop("Perencanaan"))
    if job.params.get("psu"):
        return said(gettext_noop("Susun ulang: PSU %(tps)s"), tps=job.params["psu"])
    if job.params.get("bawaslu"):
        return said(gettext_noop("Susun ulang: daftar TPS rawan Bawaslu %(file)s"), file=job.params["bawaslu"])
    absent = len(job.params.get("absent", []))
    changed = len(job.params.get("categories", {}))
    return said(
        gettext_noop("Susun ulang: %(absent)s tidak hadir, %(changed)s kategori berubah"),
        absent=absent,
        changed=changed,
    )


# Job lines (siaga.plans.lines): Indonesian message ids, translated when a page shows them.
FAILED = gettext_noop("Gagal: %(reason)s")
POLRES_DONE = gettext_noop("Polres %(done)s/%(total)s")


class PlanConflict(PlanError):
    """A hand edit made on a version that is no longer the operation's newest: another planner
    (or a planning job) made `newest` since. Nothing was saved: applied on the old version, the
    new version would leave out what `newest` changed (two edits of one version fork the plan)."""

    def __init__(self, plan: Plan, newest: Plan):
        super().__init__(f"v{plan.version} -> v{newest.version}")
        self.plan, self.newest = plan, newest


def newer_version(plan: Plan, seen: int | None = None) -> Plan | None:
    """The operation's newest version if it is newer than `plan` and than the version `seen`
    (the newest one the planner had seen when choosing to edit an older version), else None."""
    newest = Plan.objects.filter(operation_id=plan.operation_id).order_by("-version").first()
    if newest is None or newest.version <= max(plan.version, seen or 0):
        return None
    return newest


def reassign(
    plan: Plan, person: str, post: str | None, slot: str | None, user: Any, request: Any = None, seen: int | None = None
) -> Plan:
    """A new version with one person moved by hand; the checker runs on it.

    An edit names the version it was made on (`plan`): when a newer version exists (and is
    newer than `seen`), it is refused with `PlanConflict` and nothing is saved, checked again
    under the operation's lock just before the new version is numbered."""
    newest = newer_version(plan, seen)
    if newest is not None:
        raise PlanConflict(plan, newest)
    scenario = scenario_for(plan.operation)
    before = _assignment_of(plan, person)
    try:
        result = core_reassign(scenario, core_plan(plan), person, post, slot)
    except EditError as exc:
        raise PlanError(_edit_words(plan, exc, post, slot)) from None
    with transaction.atomic():
        lock_operation(plan.operation_id)
        newest = newer_version(plan, seen)
        if newest is not None:
            raise PlanConflict(plan, newest)
        new = save_plan(
            plan.operation,
            result,
            scenario,
            user,
            plan,
            said(gettext_noop("Ubah manual: %(person)s"), person=_person_name(plan, person)),
        )
        carry_signoff(new, plan, request)
        after = _assignment_of(new, person)
        record(request, "reassign", "plan", str(new.pk), operation_id=plan.operation_id, before=before, after=after)
    return new


def _edit_words(plan: Plan, error: EditError, post_code: str | None = None, slot: str | None = None) -> str:
    """A refused hand edit in the reader's words: the post by its name, a slot or force by its
    label, the person by rank and name (the planner's message names them by their codes); a
    post without the asked slot says so rather than that the force cannot fill it."""
    if post_code and slot and error.text.msgid == "%(force)s tidak dapat mengisi slot %(slot)s":
        places = (plan.assignments, plan.unfilled)
        if not any(rows.filter(post__code=post_code, slot=slot).exists() for rows in places):
            name = post_labels(plan, [post_code]).get(post_code, post_code)
            return _("%(post)s tidak memiliki slot %(slot)s: pilih pos atau slot lain.") % {
                "post": name,
                "slot": FORCE_LABELS.get(slot, slot),
            }
    params = dict(error.text.params)
    post = str(params.get("post") or "")
    if post:
        params["post"] = post_labels(plan, [post]).get(post, post)
    for key in ("slot", "force"):
        if params.get(key):
            params[key] = str(FORCE_LABELS.get(str(params[key]), params[key]))
    if params.get("person"):
        params["person"] = _person_name(plan, str(params["person"]))
    return Message(error.text.msgid, **params).render(get_language() or "id")


def _person_name(plan: Plan, code: str) -> str:
    """A person of the operation by rank and name (their NRP/NIK when the operation has no such person)."""
    person = plan.operation.personnel.filter(code=code).first()
    return str(person) if person is not None else code


@transaction.atomic
def reinforce(operation: Operation, per_post: int, user: Any, request: Any = None) -> PlanJob:
    """Accept the strength advice: every sangat rawan and khusus TPS post gets `per_post` more
    Polri from now on (the operation setting, audited), and a new plan is started with it."""
    lock_operation(operation.pk)
    operation.refresh_from_db(fields=["config"])
    before = operation.config.get(REINFORCE, 0)
    operation.config = {**operation.config, REINFORCE: per_post}
    operation.save(update_fields=["config"])
    record(
        request,
        "edit",
        "operation",
        str(operation.pk),
        operation_id=operation.pk,
        before={REINFORCE: before},
        after={REINFORCE: per_post},
    )
    return start_planning(operation, user, params={REINFORCE: per_post}, request=request)


@transaction.atomic
def add_psu(plan: Plan, name: str, start: Any, end: Any, tps: list[str], user: Any, request: Any = None) -> PlanJob:
    """A re-vote at `tps` from `start` to `end`: a PSU stage added to the operation (its stages
    written out when they were the preset's), audited, and a re-plan from `plan` started: the
    vote and every duty stay where they are, the PSU's guards come from the people free then."""
    lock_operation(plan.operation_id)
    operation = plan.operation
    operation.refresh_from_db(fields=["config"])
    before, _preset = operation_stages(operation)
    psu = Stage(name, StageKind.PSU, start, end, tuple(tps))
    operation.config = {**operation.config, "stages": stages.as_records((*before, psu))}
    operation.save(update_fields=["config"])
    record(
        request,
        "add_psu",
        "operation",
        str(operation.pk),
        operation_id=operation.pk,
        after=stages.as_records((psu,))[0],
    )
    params = {"plan": plan.pk, "absent": [], "categories": {}, "psu": name}
    return start_planning(operation, user, kind="replan", params=params, request=request)


def _assignment_of(plan: Plan, person: str) -> dict[str, Any] | None:
    row = plan.assignments.filter(person_code=person).values("post__code", "slot", "cost_km").first()
    return (
        None
        if row is None
        else {"person": person, "post": row["post__code"], "slot": row["slot"], "cost_km": row["cost_km"]}
    )


@transaction.atomic
def approve(plan: Plan, user: Any, request: Any = None) -> Plan:
    """A commander approves a draft that passes the checker and that they did not make, on the
    data it was made of (`changes.since`: nothing the checker would refuse it for has changed)."""
    _decided_once(plan, Plan.Status.APPROVED)
    if plan.status != Plan.Status.DRAFT:
        raise PlanError(_("Hanya rencana berstatus konsep yang dapat disetujui."))
    if plan.author_id is not None and plan.author_id == user.pk:
        raise PlanError(_("Rencana tidak dapat disetujui oleh pembuatnya sendiri."))
    if plan.violations:
        raise PlanError(_("Rencana masih melanggar aturan; perbaiki dulu."))
    if valid_signoff(plan) is None:
        raise PlanError(unsigned_reason())
    changed = changes.since(plan)  # the checker passed it on the data as it was, not as it is
    if changed:
        raise PlanError(
            _("Versi ini tidak dapat disetujui: data operasi berubah sejak versi ini disusun (%(what)s). %(todo)s")
            % {"what": changed.what(), "todo": changed.todo()}
        )
    return _set_status(plan, Plan.Status.APPROVED, user, request, approved_by=user, approved_at=timezone.now())


@transaction.atomic
def publish(plan: Plan, user: Any, request: Any = None) -> Plan:
    """The approved version becomes the operation's current plan; the one it replaces is marked
    superseded. Field records (check-ins, statuses, incidents) belong to the operation and stay."""
    _decided_once(plan, Plan.Status.PUBLISHED)
    if plan.status != Plan.Status.APPROVED:
        raise PlanError(_("Hanya rencana yang sudah disetujui yang dapat diterbitkan."))
    for older in Plan.objects.select_for_update().filter(operation_id=plan.operation_id, status=Plan.Status.PUBLISHED):
        _set_status(older, Plan.Status.SUPERSEDED, user, request)
    return _set_status(plan, Plan.Status.PUBLISHED, user, request, published_at=timezone.now())


@transaction.atomic
def withdraw(plan: Plan, reason: str, user: Any, request: Any = None, seen: str = "") -> Plan:
    """The commander takes a decision back, with a reason: an approved plan becomes a draft
    again; a published plan becomes approved, and the version it replaced (the superseded
    version published last) is the operation's current plan again. Field records stay.
    `seen`: the status the commander's page showed; when it has changed since (the same
    withdrawal sent twice), nothing more is taken back."""
    reason = reason.strip()
    if not reason:
        raise PlanError(_("Tulis alasan penarikan."))
    _decided_once(plan, "")
    if seen and plan.status != seen:
        raise PlanError(
            _("Rencana versi %(v)s kini berstatus %(status)s; tidak ada yang ditarik.")
            % {"v": plan.version, "status": plan.get_status_display()}
        )
    if plan.status == Plan.Status.APPROVED:
        return _set_status(
            plan, Plan.Status.DRAFT, user, request, reason, "withdraw_approval", approved_by=None, approved_at=None
        )
    if plan.status != Plan.Status.PUBLISHED:
        raise PlanError(_("Hanya rencana yang disetujui atau diterbitkan yang dapat ditarik."))
    replaced = replaced_by_withdrawal(plan)
    _set_status(plan, Plan.Status.APPROVED, user, request, reason, "withdraw_publication", published_at=None)
    if replaced is not None:
        _set_status(replaced, Plan.Status.PUBLISHED, user, request, reason, "republish")
    return plan


ALREADY: dict[str, str] = {
    Plan.Status.APPROVED: gettext_noop("Rencana versi %(v)s sudah disetujui; tidak ada yang diubah."),
    Plan.Status.PUBLISHED: gettext_noop("Rencana versi %(v)s sudah diterbitkan; tidak ada yang diubah."),
}


def _decided_once(plan: Plan, status: str) -> None:
    """Read the plan's status again under the operation's lock, in the caller's transaction: a
    decision sent twice at once (a double click, two commanders) is taken once; the second
    finds it taken (`status`: the one it would set) and is told so, nothing recorded twice."""
    lock_operation(plan.operation_id)
    plan.refresh_from_db()
    if status and plan.status == status:
        raise PlanError(_(ALREADY[status]) % {"v": plan.version})


def replaced_by_withdrawal(plan: Plan) -> Plan | None:
    """The version that becomes current again if this published plan is withdrawn."""
    if plan.status != Plan.Status.PUBLISHED:
        return None
    return (
        Plan.objects.filter(operation_id=plan.operation_id, status=Plan.Status.SUPERSEDED, published_at__isnull=False)
        .exclude(pk=plan.pk)
        .order_by("-published_at", "-version")
        .first()
    )


def _set_status(
    plan: Plan, status: str, user: Any, request: Any, reason: str = "", action: str = "", **fields: Any
) -> Plan:
    """The plan's new status, audited as `action` (default: the status's own code)."""
    before = plan.status
    plan.status = status
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save(update_fields=["status", *fields])
    record(
        request,
        action or status,
        "plan",
        str(plan.pk),
        operation_id=plan.operation_id,
        before={"status": before},
        after={"status": status, "reason": reason} if reason else {"status": status},
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
        "categories": diff_categories(old, new),
        "moved": moved,
        "posts_added": sorted(new_posts - old_posts),
        "posts_removed": sorted(old_posts - new_posts),
        "summary": [(k, old.summary.get(k), new.summary.get(k)) for k in figures],
        "pins": pin_changes(old.extra.get("pins", []), new.extra.get("pins", [])),
    }


def desa_names(operation: Operation, *codes: str) -> dict[str, str]:
    """Desa code -> name for these codes (a balai desa post id names its desa)."""
    wanted = [c.removeprefix("VILLAGE-") for c in codes]
    return dict(operation.regions.filter(code__in=wanted).values_list("code", "name"))


def pin_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The pins (plan file key "pins") of two versions compared, by person: `added` (a pin the
    old version did not have, or had with another value: `before` is that line), `removed`, and
    `stopped` (the same pin, held before and not held now)."""
    before = {line["person"]: line for line in old}
    after = {line["person"]: line for line in new}
    added, stopped = [], []
    for person in sorted(after):
        line, was = after[person], before.get(person)
        if was is None or (was["pin"], was["kind"]) != (line["pin"], line["kind"]):
            added.append({"person": person, "before": was, "after": line})
        elif was.get("held") and not line.get("held"):
            stopped.append({"person": person, "before": was, "after": line})
    removed = [{"person": p, "before": before[p], "after": None} for p in sorted(before.keys() - after.keys())]
    return {"added": added, "removed": removed, "stopped": stopped}


def versions(operation: Operation) -> QuerySet[Plan]:
    """The operation's plans, newest first, with their summary but without the (large) plan file."""
    return operation.plans.select_related("author", "approved_by")


def active_job(operation: Operation, within_minutes: int = 30) -> PlanJob | None:
    """A planning job (plan or re-plan) of the operation still queued or running; the worker's
    sweep ends the jobs of a dead worker, and a job older than this is presumed dead anyway."""
    since = timezone.now() - timedelta(minutes=within_minutes)
    running = (PlanJob.Status.QUEUED, PlanJob.Status.RUNNING)
    jobs = operation.plan_jobs.filter(kind__in=("plan", "replan"), status__in=running, created_at__gte=since)
    return jobs.first()


ORDER_FILES = {
    "sprin.pdf": "application/pdf",
    "ploting.xlsx": XLSX,
    "kartu.pdf": "application/pdf",
    "peta.pdf": "application/pdf",
    "paket-briefing.pdf": "application/pdf",
}


def konsep_sprin(plan: Plan, kecamatan_code: str, request: Any = None) -> bytes:
    """The draft's Sprin marked KONSEP on every page (a petikan for a kecamatan), made on
    request and never stored: what the commander reads before approving. Audited."""
    if plan.status != Plan.Status.DRAFT:
        raise PlanError(_("Konsep hanya untuk rencana yang belum disetujui; unduh Sprin yang sudah disetujui."))
    try:
        data = orders.konsep_pdf(scenario_for(plan.operation), core_plan(plan), kecamatan_code)
    except orders.InvalidPlan as exc:
        first = exc.violations[0]
        why = f"[{first.rule}] {first.render(get_language() or 'id')}"
        raise PlanError(_("Rencana ini ditolak pemeriksa: %(why)s") % {"why": why}) from exc
    record(
        request,
        "preview_orders",
        "plan",
        str(plan.pk),
        operation_id=plan.operation_id,
        after={"file": "sprin.pdf", "konsep": True, "kecamatan": kecamatan_code or "semua"},
    )
    return data


def orders_file(plan: Plan, name: str, kecamatan_code: str, request: Any = None) -> OrdersFile | PlanJob:
    """One of the orders of an approved plan (the Sprin, the ploting workbook, the cards), for
    the whole Polres or one kecamatan: the stored file (each download audited), or the job that
    is making the three files when they are not stored yet. Orders are never printed from a
    draft; they are rendered once per plan version and kecamatan, and not at all from a version
    whose data changed since (`changes.since`: refused at once, no job). Stored ones stay."""
    if plan.status not in (Plan.Status.APPROVED, Plan.Status.PUBLISHED):
        raise PlanError(_("Surat perintah hanya dicetak dari rencana yang sudah disetujui."))
    found = stored_orders.stored(plan, kecamatan_code).get(name)
    if found is None:
        changed = changes.since(plan)  # the checker would refuse it: said now, no job to fail
        if changed:
            raise PlanError(changed.refusal())
        job = orders_job(plan, getattr(request, "user", None), kecamatan_code, request)
        if job.status == PlanJob.Status.FAILED:
            raise PlanError(reason_of(job))
        found = stored_orders.stored(plan, kecamatan_code).get(name)
        if found is None:
            return job
    record(
        request,
        "download_orders",
        "plan",
        str(plan.pk),
        operation_id=plan.operation_id,
        after={"file": name, "kecamatan": kecamatan_code or "semua"},
    )
    return found


# ---------------------------------------------------------------- orders as jobs (siaga.jobs)


@transaction.atomic
def orders_job(plan: Plan, user: Any, kecamatan_code: str, request: Any = None) -> PlanJob:
    """The job making the orders of the plan for the kecamatan: the one queued or running, or
    a new one (done at once in inline mode). Looked for under the operation's row lock, as a
    plan start is (`start_planning`): two downloads at once start one job."""
    lock_operation(plan.operation_id)
    active = orders_jobs(plan, kecamatan_code).filter(status__in=(PlanJob.Status.QUEUED, PlanJob.Status.RUNNING))
    job = active.first()
    if job is not None:
        return job
    params = {"plan": plan.pk, "kecamatan": kecamatan_code}
    user = user if getattr(user, "is_authenticated", False) else None
    return start_job(plan.operation, user, "orders", params, request, plan=plan)


def orders_jobs(plan: Plan, kecamatan_code: str) -> QuerySet[PlanJob]:
    """The orders jobs of the plan for the kecamatan, newest first."""
    return PlanJob.objects.filter(kind="orders", plan=plan, params__kecamatan=kecamatan_code)


def orders_state(plan: Plan, kecamatan_code: str, job: PlanJob | None = None) -> dict[str, Any]:
    """What the orders buttons of a plan page show: the stored files, else the latest job."""
    files = stored_orders.stored(plan, kecamatan_code)
    ready = len(files) == len(ORDER_FILES)
    if job is None and not ready:
        job = orders_jobs(plan, kecamatan_code).first()
    running = job is not None and job.status in (PlanJob.Status.QUEUED, PlanJob.Status.RUNNING)
    return {
        "plan": plan,
        "ready": ready,
        "job": job,
        "running": running and not ready,
        "failed": not ready and job is not None and job.status == PlanJob.Status.FAILED,
        # a failed job's line is "Gagal: <why>": the panel shows the why after its own "Gagal"
        "line": reason_of(job) if job is not None and job.status == PlanJob.Status.FAILED else line_of(job),
    }


# Stored as the job's message in Indonesian, shown translated (the orders panel translates it).
# A plan passed the checker when it was made: refused now, the operation's data changed since.
ORDERS_REFUSED = gettext_noop(
    "Surat perintah tidak dicetak: rencana ini tidak lagi sesuai dengan data operasi saat ini (data diubah"
    " sesudah rencana disusun). Susun ulang rencana dari data terbaru, setujui, lalu cetak."
)


def _render_orders(job: PlanJob, attempt: int) -> None:
    """Render and store the orders of the job's plan and kecamatan (once: a job that finds them
    stored ends at once)."""
    plan, kecamatan_code = job.plan, str(job.params.get("kecamatan", ""))
    if plan is None:
        raise PlanError("Rencana tidak ditemukan")
    if not stored_orders.complete(plan, kecamatan_code):
        tell(job, PlanJob.Status.RUNNING, 10, gettext_noop("Memeriksa rencana dan menulis Sprin, ploting, kartu"))
        try:
            stored_orders.render(plan, kecamatan_code)
        except orders.InvalidPlan as exc:
            raise PlanError(ORDERS_REFUSED) from exc
    with transaction.atomic():
        if runner.holds(job.pk, attempt):
            job.finished_at = timezone.now()
            job.save(update_fields=["finished_at"])
            tell(job, PlanJob.Status.DONE, 100, gettext_noop("Surat perintah siap diunduh"))


# ---------------------------------------------------------------- a Polda's orders


@transaction.atomic
def start_polda_orders(user: Any, request: Any = None, election: dt.date | None = None) -> PlanJob:
    """Queue the orders of every Polres the user sees (each one's published plan) as one pack,
    of one election (`election`, its vote day: the Polda dashboard's; None: every operation);
    while the user's pack of that election is queued or being made, that one (a double click,
    another tab). The user's row is locked before it is looked for, as a plan start locks its
    operation's: two presses at once start one job."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    day = election.isoformat() if election else ""
    running = PlanJob.objects.filter(
        kind="polda", created_by_id=user.pk, status__in=(PlanJob.Status.QUEUED, PlanJob.Status.RUNNING)
    )
    found = next((j for j in running.order_by("-pk") if str(j.params.get("election", "")) == day), None)
    if found is not None:
        return found
    count = len(polda_plans(user, election))
    job = PlanJob.objects.create(
        operation=None, kind="polda", params={"plans": count, "election": day}, created_by=user
    )
    record(request, "start_polda_orders", "plan_job", str(job.pk), after={"plans": count, "election": day})
    queue.submit(job.pk)
    return job


def polda_plans(user: Any, election: dt.date | None = None) -> list[Plan]:
    """The published plan of every operation the user sees (of the election held on
    `election`, when given), by Polres and operation name."""
    from siaga.accounts.scope import operations_for

    operations = operations_for(user).filter(archived=False)
    if election is not None:
        operations = operations.filter(election_date=election)
    published = Plan.objects.select_related("operation").filter(operation__in=operations, status=Plan.Status.PUBLISHED)
    return list(published.order_by("operation__polres_name", "operation__name", "pk"))


def _render_polda_orders(job: PlanJob, attempt: int) -> None:
    """Every Polres's orders (sprin, ploting, cards, maps) in one ZIP for the job's starter."""
    day = str(job.params.get("election", ""))
    plans = polda_plans(job.created_by, dt.date.fromisoformat(day) if day else None)

    def step(done: int, total: int, polres: str) -> None:
        percent = 5 + int(90 * done / max(total, 1))
        if polres:
            tell(
                job,
                PlanJob.Status.RUNNING,
                percent,
                gettext_noop("Polres %(done)s/%(total)s: %(polres)s"),
                done=done,
                total=total,
                polres=polres,
            )
        else:
            tell(job, PlanJob.Status.RUNNING, percent, POLRES_DONE, done=done, total=total)

    relative = f"orders/polda-job-{job.pk}.zip"
    left_out = stored_orders.polda_pack(plans, relative, planning_engine()["workers"], step)
    with transaction.atomic():
        if not runner.holds(job.pk, attempt):
            return
        skipped = [_polda_row(p) for p, _why in left_out]
        job.params = {**job.params, "file": relative, "left_out": skipped}
        job.finished_at = timezone.now()
        job.save(update_fields=["params", "finished_at"])
        skipped_pks = {p.pk for p, _why in left_out}
        printed = [p for p in plans if p.pk not in skipped_pks]
        polres = len({p.operation.polres_code or p.operation.polres_name or p.operation_id for p in printed})
        ready = gettext_noop("Surat perintah %(n)s operasi dari %(polres)s Polres siap diunduh")
        tell(job, PlanJob.Status.DONE, 100, ready, n=len(printed), polres=polres)


def _polda_row(plan: Plan) -> dict[str, Any]:
    operation = plan.operation
    return {"polres": operation.polres_name, "operation": operation.name, "version": plan.version, "plan": plan.pk}


# ---------------------------------------------------------------- imports as jobs


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (an import remembers the file it stored)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def start_import(path: Path, name: str, user: Any, request: Any = None) -> PlanJob:
    """Queue the import of a previewed workbook (already claimed at `path`) as a new operation."""
    params = {"file": str(path), "name": name, "sha256": file_digest(path)}
    job = PlanJob.objects.create(operation=None, kind="import", params=params, created_by=user)
    record(request, "start_import", "plan_job", str(job.pk), after={"file": name})
    queue.submit(job.pk)
    return job


def _already_imported(job: PlanJob, scenario: Any) -> Operation | None:
    """The operation this very file was last imported into, when importing it again would change
    nothing: the same bytes (SHA-256) as that operation's latest finished import, and its TPS,
    people and units as the file has them (no hand edit since to take back). Then a re-upload
    (after an import killed right after its commit looked lost, or a second click) points to it
    instead of adding a data version, or, before data versions, a second operation."""
    digest = str(job.params.get("sha256") or "")
    if not digest:
        return None
    operation = existing_operation(scenario)
    if operation is None:
        return None
    latest = (
        PlanJob.objects.filter(kind="import", status=PlanJob.Status.DONE, operation=operation)
        .exclude(pk=job.pk)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if latest is None or latest.params.get("sha256") != digest:
        return None
    diff = data_diff(operation, scenario)
    if any(diff["tps"].values()) or any(diff["personnel"].values()) or any(diff["units"].values()):
        return None
    return operation


def _run_import(job: PlanJob, attempt: int) -> None:
    """Read the claimed workbook and store it as a new operation, whole, in the same transaction
    that ends the job; the file is removed once the import is stored (or refused)."""
    path = Path(str(job.params.get("file", "")))
    tell(job, PlanJob.Status.RUNNING, 10, gettext_noop("Membaca berkas"))
    try:
        scenario = read_scenario(path)
    except ScenarioError as exc:
        first = "; ".join(str(p) for p in exc.problems[:5])
        path.unlink(missing_ok=True)
        job.finished_at = timezone.now()
        job.save(update_fields=["finished_at"])
        tell(job, PlanJob.Status.FAILED, 100, gettext_noop("Berkas tidak dapat diimpor: %(problems)s"), problems=first)
        return
    same = _already_imported(job, scenario)
    if same is not None:  # the very file again (a re-upload after an import that seemed lost)
        with transaction.atomic():
            if not runner.holds(job.pk, attempt):
                return
            job.operation, job.finished_at = same, timezone.now()
            job.params = {**job.params, "unchanged": True}
            job.save(update_fields=["operation", "finished_at", "params"])
            said = gettext_noop("Berkas yang sama sudah diimpor ke %(name)s; tidak ada yang diubah")
            tell(job, PlanJob.Status.DONE, 100, said, name=same.name)
        path.unlink(missing_ok=True)
        return
    tell(job, PlanJob.Status.RUNNING, 40, gettext_noop("Menyimpan wilayah, TPS, satuan dan personel"))
    with transaction.atomic():
        if not runner.holds(job.pk, attempt):
            return
        operation = import_scenario(scenario, str(job.params.get("name", "")), user=job.created_by)
        job.operation, job.finished_at = operation, timezone.now()
        job.params = {**job.params, "tps": len(scenario.tps), "persons": len(scenario.personnel)}
        job.save(update_fields=["operation", "finished_at", "params"])
        said = gettext_noop("Diimpor: %(tps)s TPS, %(persons)s personel")
        tell(job, PlanJob.Status.DONE, 100, said, tps=len(scenario.tps), persons=len(scenario.personnel))
    path.unlink(missing_ok=True)


# ---------------------------------------------------------------- category provenance and sign-off

SIGNOFF_POSITIONS = ("kapolres", "kasat intelkam")  # who may sign off the categories (DOCTRINE.md 13)
SIGNOFF_KEY = "category_signoff"  # the plan's extra: the line the Sprin's annex prints


def unsigned_reason() -> str:
    return _(
        "Kategori kerawanan TPS rencana ini belum disahkan oleh Kasat Intelkam atau Kapolres; "
        "Sprin baru dapat disetujui setelah kategori disahkan."
    )


def categories_digest(plan: Plan) -> str:
    """The plan's TPS categories as one fingerprint (sha256 of sorted `TPS=KATEGORI` lines)."""
    lines = sorted(f"{code}={category}" for code, category in plan.tps_rows.values_list("tps_code", "category"))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def valid_signoff(plan: Plan) -> CategorySignoff | None:
    """The sign-off in force for this version's categories: one of the operation's, not voided,
    made on these very categories (on this version or on another with the same ones)."""
    return (
        CategorySignoff.objects.filter(
            operation_id=plan.operation_id, digest=categories_digest(plan), voided_at__isnull=True
        )
        .select_related("signed_by")
        .first()
    )


def signers(operation: Operation) -> list[Any]:
    """The operation's people who may sign off categories: the Kapolres and the Kasat Intelkam."""
    people = operation.personnel.exclude(position="").order_by("id")
    return [p for p in people if " ".join(p.position.lower().split()) in SIGNOFF_POSITIONS]


def signoff_record(signoff: CategorySignoff) -> dict[str, str]:
    """The sign-off as the plan's extra keeps it (and the annex prints it)."""
    return {
        "name": signoff.name,
        "rank": signoff.rank,
        "nrp": signoff.nrp,
        "position": signoff.position,
        "signed_at": signoff.signed_at.isoformat(),
    }


@transaction.atomic
def sign_off(plan: Plan, person_code: str, user: Any, request: Any = None) -> CategorySignoff:
    """The named officer (`person_code`: the operation's Kapolres or Kasat Intelkam) signs off
    the plan's TPS categories; written into the plan's extra as `category_signoff`, audited."""
    lock_operation(plan.operation_id)
    plan.refresh_from_db()
    if plan.status != Plan.Status.DRAFT:
        raise PlanError(_("Hanya kategori rencana berstatus konsep yang dapat disahkan."))
    if valid_signoff(plan) is not None:
        raise PlanError(_("Kategori rencana ini sudah disahkan."))
    officer = next((p for p in signers(plan.operation) if p.code == person_code), None)
    if officer is None:
        raise PlanError(
            _("Pilih Kapolres atau Kasat Intelkam dari daftar personel operasi (kolom jabatan di lembar personel).")
        )
    signoff = CategorySignoff.objects.create(
        operation_id=plan.operation_id,
        plan=plan,
        digest=categories_digest(plan),
        name=officer.name,
        rank=officer.rank,
        nrp=officer.code,
        position=officer.position,
        signed_by=user if getattr(user, "is_authenticated", False) else None,
        signed_at=timezone.now(),
    )
    plan.extra = {**plan.extra, SIGNOFF_KEY: signoff_record(signoff)}
    plan.save(update_fields=["extra"])
    record(
        request,
        "category_signoff",
        "plan",
        str(plan.pk),
        operation_id=plan.operation_id,
        user=user,
        after=signoff_record(signoff) | {"tps": plan.tps_rows.count()},
    )
    return signoff


def carry_signoff(saved: Plan, parent: Plan | None, request: Any = None) -> None:
    """A new version keeps the sign-off of its categories when they are unchanged (in its extra
    for the orders); when its categories differ from its parent's, it needs a new sign-off, and
    a draft parent's sign-off is voided."""
    signoff = valid_signoff(saved)
    extra = {k: v for k, v in saved.extra.items() if k != SIGNOFF_KEY}
    if signoff is not None:
        extra[SIGNOFF_KEY] = signoff_record(signoff)
    if extra != saved.extra:
        saved.extra = extra
        saved.save(update_fields=["extra"])
    # a draft's sign-off goes with a change of its categories; an approved or published version
    # keeps its own (its orders were approved on it): the new version needs a sign-off of its own
    if parent is not None and signoff is None and parent.status == Plan.Status.DRAFT:
        void_signoffs(parent, _("Kategori berubah di versi %(v)s") % {"v": saved.version}, request)


def void_signoffs(plan: Plan, reason: str, request: Any = None) -> int:
    """Void the sign-off in force on `plan`'s categories (audited); the number voided."""
    signoff = valid_signoff(plan)
    if signoff is None:
        return 0
    signoff.voided_at, signoff.void_reason = timezone.now(), reason[:255]
    signoff.save(update_fields=["voided_at", "void_reason"])
    record(
        request,
        "void_signoff",
        "plan",
        str(signoff.plan_id),
        operation_id=plan.operation_id,
        before=signoff_record(signoff),
        after={"reason": reason},
    )
    for signed in Plan.objects.filter(operation_id=plan.operation_id, status=Plan.Status.DRAFT):
        if SIGNOFF_KEY in signed.extra and valid_signoff(signed) is None:
            signed.extra = {k: v for k, v in signed.extra.items() if k != SIGNOFF_KEY}
            signed.save(update_fields=["extra"])
    return 1


SOURCE_OF_DECISION = {
    CategorySource.Source.INTEL.value: CategorySource.Source.INTEL,
    CategorySource.Source.DECISION.value: CategorySource.Source.DECISION,
}


@transaction.atomic
def set_category(tps: Tps, category: str, reason: str, source: str, user: Any, request: Any = None) -> Tps:
    """A TPS's category set by a decision (`source`: an intelligence estimate or the Kapolres's
    decision) with its reason, or cleared back to the model's score (category ""): the category
    stored on the TPS (operations.services.override_category, which audits the change), its
    provenance recorded, audited as `set_category`; a draft whose signed-off categories give
    the TPS another category loses its sign-off."""
    if category and source not in SOURCE_OF_DECISION:
        raise PlanError(_("Pilih dasar penetapan: perkiraan intelijen atau keputusan Kapolres."))
    tps = override_category(tps, category, reason, request)
    kind = SOURCE_OF_DECISION[source] if category else CategorySource.Source.MODEL
    by = known_as(user)
    CategorySource.objects.create(
        operation_id=tps.operation_id,
        tps_code=tps.code,
        category=tps.effective_category,
        source=kind,
        reason=reason if category else "",
        set_by=user if by else None,
        set_by_name=by,
        set_at=timezone.now(),
    )
    record(
        request,
        "set_category",
        "tps",
        tps.code,
        operation_id=tps.operation_id,
        user=user,
        after={"category": tps.effective_category, "source": kind.value, "reason": reason if category else ""},
    )
    for plan in Plan.objects.filter(operation_id=tps.operation_id, status=Plan.Status.DRAFT):
        in_plan = plan.tps_rows.filter(tps_code=tps.code).values_list("category", flat=True).first()
        if in_plan is not None and in_plan != tps.effective_category:
            void_signoffs(plan, _("Kategori TPS %(tps)s diubah") % {"tps": tps.code}, request)
    return tps


def provenance(operation: Operation, codes: Any) -> dict[str, dict[str, Any]]:
    """Each of these TPS's category source, who set it and when (the newest record of each);
    a TPS with no record is absent: its category is the model's, or the one its data file gave."""
    out: dict[str, dict[str, Any]] = {}
    rows = CategorySource.objects.filter(operation=operation, tps_code__in=list(codes)).values_list(
        "tps_code", "source", "category", "reason", "set_by_name", "set_at", "set_by_id"
    )
    labels = dict(CategorySource.Source.choices)
    for code, source, category, reason, by, at, by_id in rows:  # newest first
        out.setdefault(
            code,
            {"source": source, "label": labels[source], "category": category, "reason": reason, "by": by, "at": at}
            | {"by_id": by_id},
        )
    return out


# ---------------------------------------------------------------- the Bawaslu TPS-rawan list


@dataclass(frozen=True)
class BawasluPreview:
    """What a Bawaslu TPS-rawan list changes, worked out before anything is stored: the TPS
    whose category changes (code, before, after), the re-plan's people moved, its plan."""

    name: str
    tps_rawan: BawasluList
    changes: dict[str, str]  # TPS code -> the category it takes
    before: dict[str, str]  # TPS code -> its category in the plan re-planned
    moved: int
    plan: Plan | None
    data_version: int


def _data_version(operation: Operation) -> int:
    return operation.data_versions.aggregate(n=Max("number"))["n"] or 0


def replan_base(operation: Operation) -> Plan | None:
    """The plan a re-plan starts from: the current (published) plan, else the newest version."""
    return current_plan(operation) or Plan.objects.filter(operation=operation).order_by("-version").first()


@dataclass(frozen=True)
class Drift:
    """What the version a re-plan starts from (`base`) knows and the operation's data does not:
    absentees its re-plans took off whom the data still marks ready (`absent`), and TPS whose
    category its re-plans changed (`categories`: the TPS and the plan's category) while the
    data keeps another. A new plan from the data would place the absentees again and take the
    data's categories. Also the people its posts hold whom the data no longer has (`gone`: a
    PPS decree replaced them, or a new import dropped them): the version in force still counts
    them on their posts until a re-plan fills those places."""

    base: Plan | None
    absent: list[Person]
    categories: list[tuple[Tps, str]]
    gone: int = 0


def replan_drift(operation: Operation) -> Drift:
    base = replan_base(operation)
    replanned = dict((base.extra or {}).get("replan") or {}) if base is not None else {}
    codes = list(replanned.get("absent", []))
    changes = {str(k): str(v) for k, v in dict(replanned.get("category_changes", {})).items()}
    absent = list(operation.personnel.filter(code__in=codes, available=True).order_by("name", "code")) if codes else []
    tps = operation.tps_set.filter(code__in=changes).order_by("code") if changes else Tps.objects.none()
    gone = base.assignments.exclude(person_code__in=operation.personnel.values("code")).count() if base else 0
    return Drift(base, absent, [(t, changes[t.code]) for t in tps if t.effective_category != changes[t.code]], gone)


@transaction.atomic
def categories_to_data(operation: Operation, drift: Drift, request: Any = None) -> int:
    """Set the data's category of the drifted TPS to the plan's (by hand, with the version as
    the reason; audited and scored again as the TPS list's bulk action), all or none."""
    assert drift.base is not None
    reason = f"Ditetapkan pada susun ulang rencana versi {drift.base.version}"  # stored with the data, as typed ones
    by_category: dict[str, list[str]] = defaultdict(list)
    for t, category in drift.categories:
        by_category[category].append(t.code)
    return sum(
        set_categories(operation, operation.tps_set.filter(code__in=codes), category, reason, request)
        for category, codes in sorted(by_category.items())
    )


def bawaslu_preview(operation: Operation, path: Path, name: str) -> BawasluPreview:
    """Read a Bawaslu TPS-rawan list against the operation's catalogue and work out, without
    storing anything, what it changes: the TPS re-scored into another category and the people
    the re-plan (the fewest moved, from the current plan) would move. Raises ScenarioError."""
    scenario = scenario_for(operation)
    tps_rawan = read_bawaslu(path, scenario)
    return _preview(operation, scenario, tps_rawan, name)


def _preview(operation: Operation, scenario: Any, tps_rawan: BawasluList, name: str) -> BawasluPreview:
    rescored = with_bawaslu(scenario, tps_rawan)
    base = replan_base(operation)
    assessed = risk.assess(rescored)
    if base is None:
        before = {t.id: t.category.value for t in scenario.tps if t.category is not None}
        before |= {k: a.category.value for k, a in risk.assess(scenario).items() if k not in before}
    else:
        before = dict(base.tps_rows.values_list("tps_code", "category"))
    changes = {k: a.category.value for k, a in assessed.items() if k in before and before[k] != a.category.value}
    moved = 0
    if base is not None:
        result = engine.replan_all(rescored, core_plan(base), [], {k: Category(v) for k, v in changes.items()})
        moved = int(result.extra["replan"]["moved"])
    return BawasluPreview(name, tps_rawan, changes, before, moved, base, _data_version(operation))


def bawaslu_record(preview: BawasluPreview) -> dict[str, Any]:
    """The list as the confirm step keeps it (JSON)."""
    t = preview.tps_rawan
    return {
        "name": preview.name,
        "catalogue": t.catalogue,
        "keys": list(t.keys),
        "flags": {k: dict(v) for k, v in t.flags.items()},
        "data_version": preview.data_version,
        "plan": preview.plan.pk if preview.plan else None,
    }


@transaction.atomic
def bawaslu_apply(operation: Operation, kept: dict[str, Any], user: Any, request: Any = None) -> PlanJob | None:
    """The previewed list lands (H-3): the flags on the TPS it names as the operation's next
    data version (import_scenario keeps the diff), every TPS re-scored, the provenance of the
    TPS it names recorded, audited, and the re-plan from the current plan (the fewest people
    moved) started with the categories that changed. Refused when the data or the plan
    changed since the preview (the preview would not be what lands)."""
    lock_operation(operation.pk)
    base = replan_base(operation)
    if _data_version(operation) != kept["data_version"] or (base.pk if base else None) != kept["plan"]:
        raise PlanError(_("Data operasi atau rencana berubah sejak pratinjau; unggah ulang daftar Bawaslu."))
    tps_rawan = BawasluList(kept["catalogue"], tuple(kept["keys"]), kept["flags"])
    scenario = scenario_for(operation)
    preview = _preview(operation, scenario, tps_rawan, kept["name"])
    import_scenario(with_bawaslu(scenario, tps_rawan), f"Bawaslu: {kept['name']}"[:255], request=request, user=user)
    assessed = refresh_vulnerability(operation)
    by = known_as(user)
    now = timezone.now()
    CategorySource.objects.bulk_create(
        CategorySource(
            operation=operation,
            tps_code=code,
            category=assessed[code].category.value,
            source=CategorySource.Source.BAWASLU,
            reason=kept["name"][:200],
            set_by=user if by else None,
            set_by_name=by,
            set_at=now,
        )
        for code in tps_rawan.flags
        if code in assessed and assessed[code].source == "model"
    )
    record(
        request,
        "bawaslu_import",
        "operation",
        str(operation.pk),
        operation_id=operation.pk,
        user=user,
        after={
            "file": kept["name"],
            "catalogue": tps_rawan.catalogue,
            "tps": len(tps_rawan.flags),
            "changed": len(preview.changes),
            "moved": preview.moved,
        },
    )
    if base is None:
        return None
    params = {"plan": base.pk, "absent": [], "categories": preview.changes, "bawaslu": kept["name"]}
    return start_job(operation, user, kind="replan", params=params, request=request)


def tps_names(operation: Operation, codes: Any) -> dict[str, str]:
    """TPS code -> the name people say ("TPS 3 Semare")."""
    rows = list(operation.tps_set.filter(code__in=list(codes)).values_list("code", "number", "desa_code"))
    desa = dict(operation.regions.filter(code__in={d for _c, _n, d in rows}).values_list("code", "name"))
    return {code: _("TPS %(n)s %(desa)s") % {"n": n, "desa": desa.get(d, d)} for code, n, d in rows}


def category_changes(old: Plan, new: Plan, scope: Any = None) -> list[dict[str, str]]:
    """The TPS whose category differs between two versions, as people read them (the TPS a
    sector chief sees, with `scope`), each with its category before and after (codes)."""
    changed = diff_categories(old, new)
    kecamatan = dict(
        old.operation.tps_set.filter(code__in=[c for c, _b, _a in changed]).values_list("code", "kecamatan_code")
    )
    names = tps_names(old.operation, kecamatan)
    return [
        {"code": code, "name": names.get(code, code), "before": before, "after": after}
        for code, before, after in changed
        if scope is None or scope.sees_kecamatan(kecamatan.get(code, ""))
    ]


def diff_categories(old: Plan, new: Plan) -> list[tuple[str, str, str]]:
    """(TPS code, category in `old`, category in `new`) of each TPS in both whose category differs."""
    before = dict(old.tps_rows.values_list("tps_code", "category"))
    after = dict(new.tps_rows.values_list("tps_code", "category"))
    return [(c, before[c], after[c]) for c in sorted(before.keys() & after.keys()) if before[c] != after[c]]
