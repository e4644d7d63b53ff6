"""Plans in the database: computing them in the background, versions, hand edits, approval.

The only place where stored plans become core plans and back. Every change is audited.
"""

from __future__ import annotations

import tempfile
import threading
import traceback
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from siaga.audit.log import record
from siaga.core.check import check_plan
from siaga.core.data.model import Category, Scenario
from siaga.core.data.model import Plan as CorePlan
from siaga.core.data.planfile import from_json, to_json
from siaga.core.documents import orders, tokens
from siaga.core.planning import engine
from siaga.core.planning.plan import EditError
from siaga.core.planning.plan import reassign as core_reassign
from siaga.operations.models import Operation
from siaga.operations.services import scenario_for
from siaga.plans.models import Plan, PlanJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanError(ValueError):
    """A request the plan's state does not allow; the message says why (in the user's language)."""


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
    before = next((a for a in plan.data["assignments"] if a["person"] == person), None)
    try:
        result = core_reassign(scenario, core_plan(plan), person, post, slot)
    except EditError as exc:
        raise PlanError(str(exc)) from None
    new = save_plan(plan.operation, result, scenario, user, plan, f"Ubah manual: {person}")
    after = next((a for a in new.data["assignments"] if a["person"] == person), None)
    record(request, "reassign", "plan", str(new.pk), operation_id=plan.operation_id, before=before, after=after)
    return new


def approve(plan: Plan, user: Any, request: Any = None) -> Plan:
    """A commander approves a draft that passes the checker and that they did not make."""
    if plan.status != Plan.Status.DRAFT:
        raise PlanError(_("Hanya rencana berstatus konsep yang dapat disetujui."))
    if plan.author_id is not None and plan.author_id == user.pk:
        raise PlanError(_("Rencana tidak dapat disetujui oleh pembuatnya sendiri."))
    if plan.violations:
        raise PlanError(_("Rencana masih melanggar aturan; perbaiki dulu."))
    return _set_status(plan, Plan.Status.APPROVED, user, request, approved_by=user, approved_at=timezone.now())


def publish(plan: Plan, user: Any, request: Any = None) -> Plan:
    if plan.status != Plan.Status.APPROVED:
        raise PlanError(_("Hanya rencana yang sudah disetujui yang dapat diterbitkan."))
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


# ---------------------------------------------------------------- what the pages show

SLOTS = ("POLRI", "TNI", "LINMAS", "BRIMOB")
KIND_ORDER = {"VILLAGE": 0, "TPS": 1, "RESERVE": 2}
OPEN_ALL_BELOW = 60  # posts: a page this small shows every desa opened


def versions(operation: Operation) -> QuerySet[Plan]:
    """The operation's plans, newest first, with their summary but without the (large) plan file."""
    return operation.plans.select_related("author", "approved_by").defer("data").annotate(figures=F("data__summary"))


def active_job(operation: Operation, within_minutes: int = 30) -> PlanJob | None:
    """A job of the operation still queued or running (a job older than this is presumed dead)."""
    since = timezone.now() - timedelta(minutes=within_minutes)
    running = (PlanJob.Status.QUEUED, PlanJob.Status.RUNNING)
    return operation.plan_jobs.filter(status__in=running, created_at__gte=since).first()


def in_scope(kecamatan_code: str, scope: str | None) -> bool:
    """Whether a post of this kecamatan is visible to a user of this scope (`kecamatan_scope`:
    None sees all, "" sees nothing)."""
    return scope is None or (bool(scope) and kecamatan_code == scope)


def roster(operation: Operation) -> dict[str, dict[str, str]]:
    """NRP/NIK -> code, name, rank, force and unit name: the whole roster in two queries."""
    units = dict(operation.units.order_by().values_list("code", "name"))
    rows = operation.personnel.order_by().values_list("code", "name", "rank", "force", "unit_code")
    return {
        code: {"code": code, "name": name, "rank": rank, "force": force, "unit": units.get(unit, unit)}
        for code, name, rank, force, unit in rows
    }


def _someone(code: str) -> dict[str, str]:
    return {"code": code, "name": "?", "rank": "", "force": "", "unit": ""}


def _label(person: dict[str, str]) -> SafeString:
    return format_html(
        "<li>{} {} <code>{}</code> <small>{}</small></li>",
        person["rank"],
        person["name"],
        person["code"],
        person["unit"],
    )


def plan_page(plan: Plan, scope: str | None) -> dict[str, Any]:
    """Everything the plan page shows, for a user who sees `scope` (a kecamatan code; None:
    all): posts grouped kecamatan > desa > post with who fills each slot, the figures of
    what they see and where places stay empty. A sector chief sees the posts whose
    kecamatan is theirs, reserve teams stationed there included. Lookups are built once."""
    data = plan.data
    posts = [p for p in data["posts"] if in_scope(p["kecamatan_code"], scope)]
    visible = {p["id"] for p in posts}
    people = roster(plan.operation)
    names = dict(plan.operation.regions.order_by().values_list("code", "name"))
    filled: dict[tuple[str, str], list[SafeString]] = defaultdict(list)
    for a in data["assignments"]:
        if a["post"] in visible:
            filled[(a["post"], a["slot"])].append(_label(people.get(a["person"]) or _someone(a["person"])))
    missing = {(u["post"], u["slot"]): u["count"] for u in data["unfilled"] if u["post"] in visible}
    return {
        "tree": _tree(posts, filled, missing, names),
        "figures": figures(data, scope),
        "quality": quality(plan.summary),
        "shortfall": _shortfall(posts, data["unfilled"], visible, names),
        "open_all": len(posts) < OPEN_ALL_BELOW,
    }


def figures(data: dict[str, Any], scope: str | None) -> dict[str, float]:
    """The counts of the part of a plan file a user sees (all of it when `scope` is None)."""
    posts = [p for p in data["posts"] if in_scope(p["kecamatan_code"], scope)]
    visible = {p["id"] for p in posts}
    mine = [a for a in data["assignments"] if a["post"] in visible]
    return {
        "posts": len(posts),
        "tps": sum(len(p["tps"]) for p in posts),
        "slots": sum(sum(p["required"].values()) for p in posts),
        "assigned": len(mine),
        "unfilled": sum(u["count"] for u in data["unfilled"] if u["post"] in visible),
        "cost_km": round(sum(a["cost_km"] for a in mine), 6),
    }


def quality(summary: dict[str, float]) -> dict[str, float | None]:
    """How far the plan may be from the optimum (objective minus its proven lower bound), and
    the share of the category-weighted TPS a reserve team reaches in time."""
    objective, bound = summary.get("objective"), summary.get("lower_bound")
    gap = None if objective is None or bound is None else max(objective - bound, 0.0)
    total = summary.get("reserve_total_weight") or 0
    return {
        "gap_km": gap,
        "gap_pct": 100 * gap / objective if gap is not None and objective else None,
        "reserve_pct": 100 * summary.get("reserve_covered_weight", 0) / total if total else None,
    }


def _tree(
    posts: list[dict[str, Any]],
    filled: dict[tuple[str, str], list[SafeString]],
    missing: dict[tuple[str, str], int],
    names: dict[str, str],
) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for p in posts:
        groups[p["kecamatan_code"]][p["desa_code"]].append(p)
    tree = []
    for kec_code in sorted(groups):
        desa_list = []
        for desa_code in sorted(groups[kec_code], key=lambda c: (c == "", c)):
            members = sorted(groups[kec_code][desa_code], key=lambda p: KIND_ORDER.get(p["kind"], 9))
            slots = [s for s in SLOTS if any(p["required"].get(s) for p in members)]
            rows = [_post_row(p, slots, filled, missing) for p in members]
            desa_list.append(
                {
                    "code": desa_code,
                    "name": names.get(desa_code, desa_code),
                    "slots": slots,
                    "posts": rows,
                    "tps": sum(r["tps_count"] for r in rows),
                    "required": sum(r["required"] for r in rows),
                    "missing": sum(r["missing"] for r in rows),
                }
            )
        tree.append(
            {
                "code": kec_code,
                "name": names.get(kec_code, kec_code),
                "desa": desa_list,
                "posts": sum(len(d["posts"]) for d in desa_list),
                "missing": sum(d["missing"] for d in desa_list),
            }
        )
    return tree


def _post_row(
    post: dict[str, Any],
    slots: list[str],
    filled: dict[tuple[str, str], list[SafeString]],
    missing: dict[tuple[str, str], int],
) -> dict[str, Any]:
    """One post as the page prints it. Numbers are text already: a 2,000-TPS page prints
    tens of thousands of them, and the template's number formatting would cost most of it."""
    cells = []
    for s in slots:
        required = post["required"].get(s, 0)
        people = filled.get((post["id"], s), [])
        short = missing.get((post["id"], s), 0)
        cells.append(
            {
                "required": required,
                "fill": f"{len(people)}/{required}",
                "people": SafeString("".join(people)),
                "missing": short,
                "short": f"−{short}" if short else "",
            }
        )
    return {
        "id": post["id"],
        "kind": post["kind"],
        "category": post["category"],
        "tps": ", ".join(post["tps"]),
        "tps_count": len(post["tps"]),
        "cells": cells,
        "required": sum(post["required"].values()),
        "missing": sum(c["missing"] for c in cells),
    }


def _shortfall(
    posts: list[dict[str, Any]], unfilled: list[dict[str, Any]], visible: set[str], names: dict[str, str]
) -> dict[str, Any]:
    """Empty places by force, kecamatan, desa and category; how many more of each force would
    fill them; the TPS whose post is below its pattern."""
    post_by_id = {p["id"]: p for p in posts}
    by: dict[str, Counter[str]] = {k: Counter() for k in ("force", "kecamatan", "desa", "category")}
    below: dict[str, dict[str, int]] = defaultdict(dict)
    for u in unfilled:
        if u["post"] not in visible:
            continue
        post = post_by_id[u["post"]]
        by["force"][u["slot"]] += u["count"]
        by["kecamatan"][post["kecamatan_code"]] += u["count"]
        by["desa"][post["desa_code"]] += u["count"]
        by["category"][post["category"]] += u["count"]
        for t in post["tps"]:
            below[t][u["slot"]] = u["count"]

    def named(counter: Counter[str]) -> list[tuple[str, str, int]]:
        return [(code, names.get(code, code or "-"), n) for code, n in sorted(counter.items())]

    return {
        "total": sum(by["force"].values()),
        "by_force": sorted(by["force"].items(), key=lambda kv: SLOTS.index(kv[0]) if kv[0] in SLOTS else 9),
        "by_kecamatan": named(by["kecamatan"]),
        "by_desa": named(by["desa"]),
        "by_category": sorted(by["category"].items()),
        "tps_below_pattern": sorted((t, sorted(slots.items())) for t, slots in below.items()),
    }


def diff_page(old: Plan, new: Plan, scope: str | None) -> dict[str, Any]:
    """`diff` with names: who moved from which post and slot to which, as the user may see it."""
    changes = diff(old, new)
    kecamatan = {p["id"]: p["kecamatan_code"] for p in old.data["posts"]}
    kecamatan.update({p["id"]: p["kecamatan_code"] for p in new.data["posts"]})

    def seen(post: str | None) -> bool:
        return post is not None and in_scope(kecamatan.get(post, ""), scope)

    people = roster(new.operation)
    moved = [
        {"person": people.get(code) or _someone(code), "before": before, "after": after}
        for code, before, after in changes["moved"]
        if seen(before and before[0]) or seen(after and after[0])
    ]
    return {
        "moved": moved,
        "posts_added": [p for p in changes["posts_added"] if seen(p)],
        "posts_removed": [p for p in changes["posts_removed"] if seen(p)],
        "summary": changes["summary"] if scope is None else _sector_summary(old, new, scope),
    }


def _sector_summary(old: Plan, new: Plan, scope: str) -> list[tuple[str, float, float]]:
    before, after = figures(old.data, scope), figures(new.data, scope)
    return [(k, before[k], after[k]) for k in ("assigned", "unfilled", "cost_km")]


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
