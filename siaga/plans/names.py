"""Posts by the names people read (the Sprin's, `ploting.names_of_posts`), read from a plan
version's rows without loading the whole scenario: for the pages that show posts (the apel,
the board, the diff, the lists, the audit) and poll them every few seconds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from siaga.core.data.model import Category, Level, Post, UnitKind
from siaga.core.data.model import Region as CoreRegion
from siaga.core.data.model import Unit as CoreUnit
from siaga.core.documents.ploting import names_of_posts
from siaga.operations.forms import lang as reader_lang
from siaga.operations.models import Region, Tps, Unit
from siaga.plans.models import Plan, PlanPost
from siaga.plans.store import post_rows


def post_labels(plan: Plan, codes: Iterable[str], lang: str | None = None) -> dict[str, str]:
    """Post id -> the name people read (the Sprin's, `ploting.names_of_posts`), for the posts
    asked only: read from the plan's rows, without loading the whole scenario (pages that poll
    call this every few seconds). In `lang`, by default the page's (`reader_lang`)."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    chosen = PlanPost.objects.filter(plan=plan, code__in=wanted)
    return row_labels(plan, post_rows(plan, chosen=chosen).values(), lang)


def row_labels(plan: Plan, rows: Iterable[dict[str, Any]], lang: str | None = None) -> dict[str, str]:
    """`post_labels` of posts read already, shaped as `store.post_rows` gives them."""
    posts = [
        Post(
            r["id"],
            r["kind"],
            tuple(sorted(r["tps"])),
            r["desa_code"],
            r["kecamatan_code"],
            r["lat"],
            r["lon"],
            Category(r["category"]),
            dict(r["required"]),
        )
        for r in rows
    ]
    return _named(plan.operation_id, posts, lang or reader_lang())


def _named(operation_id: int, posts: list[Post], lang: str) -> dict[str, str]:
    """The names of these posts, reading only the TPS numbers, regions and units they name."""
    number = dict(
        Tps.objects.filter(operation_id=operation_id, code__in=[c for p in posts for c in p.tps]).values_list(
            "code", "number"
        )
    )
    codes = {c for p in posts for c in (p.desa_code, p.kecamatan_code) if c}
    regions = {
        code: CoreRegion(code, name, Level(level), parent)
        for code, name, level, parent in Region.objects.filter(operation_id=operation_id, code__in=sorted(codes))
        .order_by()
        .values_list("code", "name", "level", "parent_code")
    }
    units = {
        u.code: CoreUnit(u.code, u.name, UnitKind(u.kind), u.kecamatan_code, u.lat, u.lon)
        for u in Unit.objects.filter(operation_id=operation_id).order_by()
    }
    return names_of_posts(regions, units, number, posts, lang)


def operation_post_labels(operation_id: int, codes: Iterable[str], lang: str | None = None) -> dict[str, str]:
    """Post id -> name for posts of any version of the operation (a post a re-plan dropped, a
    post named in an old audit entry), each named by the newest version that has it; in `lang`
    as `post_labels`."""
    wanted = sorted({c for c in codes if c})
    newest: dict[str, int] = {}
    rows = PlanPost.objects.filter(plan__operation_id=operation_id, code__in=wanted)
    for code, plan_id in rows.order_by("plan__version").values_list("code", "plan_id"):
        newest[code] = plan_id
    by_plan: dict[int, list[str]] = defaultdict(list)
    for code, plan_id in newest.items():
        by_plan[plan_id].append(code)
    names: dict[str, str] = {}
    for plan in Plan.objects.filter(pk__in=by_plan):
        names.update(post_labels(plan, by_plan[plan.pk], lang))
    return names
