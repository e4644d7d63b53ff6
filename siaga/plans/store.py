"""Plan versions as rows: the only place where a core plan becomes table rows and back.

A version's posts, the TPS they secure, its assignments and its unfilled places are rows
(`PlanPost`, `PlanTps`, `PlanAssignment`, `PlanUnfilled`), queried by the pages and the field
through indexes; the plan file `siaga-plan/1` is an export of them (`plan_file`), written
through the one typed schema of the core (`siaga.core.data.planfile`).

The operation has one *current* plan: its published version (older published versions are
marked superseded when a newer one is published). Phones and the apel work on it, never on a
draft.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Max, QuerySet

from siaga.accounts.scope import Scope
from siaga.core.check import check_plan, records
from siaga.core.data.model import Plan as CorePlan
from siaga.core.data.model import Scenario
from siaga.core.data.planfile import FORMAT, digest, from_json, to_json
from siaga.operations.bulk import insert_rows
from siaga.operations.models import Operation, Person
from siaga.plans import lines
from siaga.plans.models import Plan, PlanAssignment, PlanPost, PlanTps, PlanUnfilled
from siaga.plans.serving import serving


@transaction.atomic
def save_plan(
    operation: Operation,
    result: CorePlan,
    scenario: Scenario,
    author: Any,
    parent: Plan | None = None,
    note: str | dict[str, Any] = "",
) -> Plan:
    """Store a core plan as the operation's next version, with the checker's verdict; `note`:
    the version's note, plain or as a line shown in the reader's language (`lines.said`).

    The operation row is locked first (`lock_operation`), so two versions saved at once get
    two numbers: the second waits for the first to commit, then reads its number."""
    lock_operation(operation.pk)
    version = (Plan.objects.filter(operation=operation).aggregate(v=Max("version"))["v"] or 0) + 1
    found = check_plan(scenario, result)
    violations = [str(v) for v in found]  # Indonesian, as ever; `violation_messages` for other readers
    extra = {k: v for k, v in result.extra.items() if k != "violation_messages"}
    if found:
        extra["violation_messages"] = records(found)
    plan = Plan.objects.create(
        operation=operation,
        version=version,
        parent=parent,
        note=(note if isinstance(note, str) else lines.written(note))[:255],
        note_line={} if isinstance(note, str) else note,
        pattern=result.pattern,
        summary=dict(result.summary),
        extra=extra,
        digest=digest(result),
        violations=violations,
        author=author if getattr(author, "is_authenticated", False) else None,
    )
    rows = (
        {
            "plan_id": plan.pk,
            "code": p.id,
            "kind": p.kind,
            "desa_code": p.desa_code,
            "kecamatan_code": p.kecamatan_code,
            "lat": p.lat,
            "lon": p.lon,
            "category": p.category.value,
            "required": dict(p.required),
        }
        for p in result.posts
    )
    insert_rows(PlanPost, rows)
    post_pk = dict(PlanPost.objects.filter(plan=plan).values_list("code", "pk"))
    post_of_tps = {t: post_pk[p.id] for p in result.posts for t in p.tps}
    insert_rows(
        PlanTps,
        (
            {"plan_id": plan.pk, "post_id": post_of_tps.get(code), "tps_code": code, "category": category.value}
            for code, category in result.tps_categories.items()
        ),
    )
    insert_rows(
        PlanAssignment,
        (
            {
                "plan_id": plan.pk,
                "post_id": post_pk[a.post],
                "person_code": a.person,
                "slot": a.slot,
                "cost_km": a.cost_km,
            }
            for a in result.assignments
        ),
    )
    insert_rows(
        PlanUnfilled,
        ({"plan_id": plan.pk, "post_id": post_pk[u.post], "slot": u.slot, "count": u.count} for u in result.unfilled),
    )
    _refresh_statistics()
    return plan


def lock_operation(operation_id: int) -> None:
    """Hold the operation's row lock until the caller's transaction ends: what numbers plan
    versions and orders hand edits. On PostgreSQL a `SELECT ... FOR UPDATE` that is really
    run (a queryset is lazy: one never evaluated, or an aggregate over it, takes no lock); on
    SQLite the transaction itself holds the database's write lock from its start (IMMEDIATE)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_operation outside a transaction holds nothing")
    locked = list(Operation.objects.select_for_update().filter(pk=operation_id).values_list("pk", flat=True))
    if not locked:
        raise Operation.DoesNotExist(f"operation {operation_id}")


def _refresh_statistics() -> None:
    """PostgreSQL plans the field's polls by its table statistics; a version's thousands of new
    rows would otherwise be planned as a handful until autovacuum comes by (a nested loop:
    1 s instead of milliseconds for the apel's readiness at 2,000 TPS)."""
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (PlanPost, PlanTps, PlanAssignment, PlanUnfilled, Person)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def core_plan(plan: Plan) -> CorePlan:
    """The stored version as the core's plan (for the checker, re-plans, hand edits, orders),
    read through the plan file's one typed schema (`planfile.from_json`)."""
    categories = PlanTps.objects.filter(plan=plan).order_by("id").values_list("tps_code", "category")
    head = {"format": FORMAT, "operation": plan.operation.name, "pattern": plan.pattern}
    return from_json(
        {**plan.extra, **head, "tps_categories": dict(categories), **plan_rows(plan), "summary": plan.summary}
    )


def plan_file(plan: Plan) -> dict[str, Any]:
    """The version as the plan file `siaga-plan/1` (a dict ready for JSON)."""
    return to_json(core_plan(plan))


def current_plan(operation: Operation | int) -> Plan | None:
    """The operation's current plan: its newest published version (None before the first)."""
    op_id = operation if isinstance(operation, int) else operation.pk
    return (
        Plan.objects.select_related("operation")
        .filter(operation_id=op_id, status=Plan.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )


def post_rows(
    plan: Plan, scope: Scope | None = None, chosen: QuerySet[PlanPost] | None = None
) -> dict[int, dict[str, Any]]:
    """The posts of a version a scope sees, or the `chosen` ones (a page of them, already
    scoped by the caller): row id -> the post as the plan file has it, with its `tps`. Two
    indexed queries."""
    if chosen is not None:  # read as they are: the caller chose and scoped them
        posts_qs = chosen
    elif scope is not None:
        posts_qs = PlanPost.objects.filter(plan=plan).in_scope(scope)
    else:
        posts_qs = PlanPost.objects.filter(plan=plan)
    posts: dict[int, dict[str, Any]] = {}
    for pk, code, kind, desa, kecamatan, lat, lon, category, required in posts_qs.order_by("id").values_list(
        "pk", "code", "kind", "desa_code", "kecamatan_code", "lat", "lon", "category", "required"
    ):
        posts[pk] = {
            "id": code,
            "kind": kind,
            "tps": [],
            "desa_code": desa,
            "kecamatan_code": kecamatan,
            "lat": lat,
            "lon": lon,
            "category": category,
            "required": required,
        }
    tps = PlanTps.objects.filter(plan=plan, post__isnull=False)
    if chosen is not None or (scope is not None and not scope.whole):
        tps = tps.filter(post_id__in=list(posts))
    for post_pk, code in tps.order_by("id").values_list("post_id", "tps_code"):
        if post_pk in posts:
            posts[post_pk]["tps"].append(code)
    return posts


def plan_rows(
    plan: Plan, scope: Scope | None = None, chosen: QuerySet[PlanPost] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The part of a version a scope sees (or of the `chosen` posts), shaped as in the plan
    file: `posts` (with their `tps`), `assignments` and `unfilled` of those posts. Four
    indexed queries."""
    posts = post_rows(plan, scope, chosen)
    assignments = PlanAssignment.objects.filter(plan=plan)
    unfilled = PlanUnfilled.objects.filter(plan=plan)
    if chosen is not None or (scope is not None and not scope.whole):
        assignments = assignments.filter(post_id__in=list(posts))
        unfilled = unfilled.filter(post_id__in=list(posts))
    return {
        "posts": list(posts.values()),
        "assignments": [
            {"person": person, "post": posts[post_pk]["id"], "slot": slot, "cost_km": cost}
            for person, post_pk, slot, cost in assignments.order_by("id").values_list(
                "person_code", "post_id", "slot", "cost_km"
            )
            if post_pk in posts
        ],
        "unfilled": [
            {"post": posts[post_pk]["id"], "slot": slot, "count": count}
            for post_pk, slot, count in unfilled.order_by("id").values_list("post_id", "slot", "count")
            if post_pk in posts
        ],
    }


def published_plan_of(code: str, within: QuerySet[Operation] | None = None) -> int | None:
    """The published plan a person (NRP/NIK) serves in, the newest operation first: on a post
    at the vote, else on a duty of its roster beyond the vote (escort, warehouse, PPK). Of
    several, the one whose duty is under way or comes next (`serving`), else the newest."""
    where = serving(code, within=within)
    if where:
        return where[0].plan_id
    newest = ("-plan__operation__imported_at", "-plan__operation_id", "-plan__version")
    on_post = PlanAssignment.objects.filter(person_code=code, plan__status=Plan.Status.PUBLISHED)
    if within is not None:
        on_post = on_post.filter(plan__operation__in=within)
    plan_id = on_post.order_by(*newest).values_list("plan_id", flat=True).first()
    if plan_id is not None:
        return plan_id
    published = Plan.objects.filter(status=Plan.Status.PUBLISHED).order_by("-operation__imported_at", "-operation_id")
    if within is not None:
        published = published.filter(operation__in=within)
    for plan in published.only("pk", "extra"):
        if any(a.get("person") == code for a in (plan.extra.get("roster") or {}).get("assignments", [])):
            return plan.pk
    return None
