"""What the post leader's phone page reads (`views_day.phone`), for its reader only: the posts
they see with their statuses (`day.day_board`: a post leader's own, a planner's every post),
the TPS of those posts, their assignment with the nearest reserve (`day.assignment`), the names
of the posts the page shows and their own roster.

The page once read the whole operation on every load (every person, TPS, post and roster line
of the Polres: 280 ms on 2,000 TPS) to name a post leader's one post and list his six duties.
Here the names and the roster come from the rows they need, read in a fixed number of queries
whatever the size of the Polres; they are the same as `duties.phone_names` gives."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.db.models import Q
from django.utils import timezone

from siaga.accounts.scope import Scope
from siaga.core.data.model import Assignment, Category, Level, Post
from siaga.core.data.model import Person as CorePerson
from siaga.core.data.model import Plan as CorePlan
from siaga.core.data.model import Region as CoreRegion
from siaga.core.data.model import Scenario as CoreScenario
from siaga.core.documents import schedule
from siaga.field.services import clock
from siaga.field.services.common import visible_posts
from siaga.field.services.day import assignment, day_board
from siaga.field.services.duties import DutyRow, PhoneNames, duty_rows, tps_places
from siaga.operations.models import Person, Region
from siaga.operations.services import core_operation, operation_stages
from siaga.plans.models import Plan, PlanPost
from siaga.plans.names import reader_lang, row_labels
from siaga.plans.store import post_rows


def phone_reads(plan: Plan, user: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """The phone page's data for `user` at `now` (the operation's local time without a zone, as
    the roster is written; by default the field's clock): `groups` (`day_board`), `tps_by_post`,
    `assignment`, `named` (the shown posts' names and the user's roster, as
    `duties.phone_names`) and `tps_places` (each shown TPS's name and location)."""
    now = now or timezone.localtime(clock.now()).replace(tzinfo=None)
    posts = visible_posts(plan, user)
    groups = day_board(plan, user, posts)
    mine = assignment(plan, user)
    code = str(getattr(getattr(user, "profile", None), "person_code", "") or "").strip()
    held = set(plan.assignments.filter(person_code=code).values_list("post__code", flat=True)) if code else set()
    if Scope.of(user).whole:  # every post is shown: the board named them among them all already
        names = {p["post_id"]: p["name"] for group in groups for p in group["posts"]}
    else:
        shown = {*posts, *held, *(a["post_id"] for a in mine), *(a["reserve"]["post_id"] for a in mine if a["reserve"])}
        names = names_in_version(plan, shown)
    tps = {post_id: [str(t) for t in post.get("tps", [])] for post_id, post in posts.items()}
    return {
        "groups": groups,
        "tps_by_post": tps,
        "assignment": mine,
        "named": PhoneNames(names, roster(plan, code, held, names, now, posts)),
        "tps_places": tps_places(plan, [t for codes in tps.values() for t in codes]),
    }


def names_in_version(plan: Plan, codes: set[str]) -> dict[str, str]:
    """Post id -> the name the version gives it (`ploting.post_names` over all its posts, where
    two posts of one name are told apart by a number), for these posts only. Read with the only
    posts that could share a name with them: those of their desa or of a desa of the same name
    (two kecamatan often have a Sumberejo), those of no desa, and the reserves (named by unit)."""
    if not codes:
        return {}
    wanted = PlanPost.objects.filter(plan=plan, code__in=codes)
    alike = Region.objects.filter(
        operation_id=plan.operation_id,
        name__in=Region.objects.filter(operation_id=plan.operation_id, code__in=wanted.values("desa_code")).values(
            "name"
        ),
    )
    chosen = PlanPost.objects.filter(plan=plan).filter(
        Q(code__in=codes)
        | Q(desa_code__in=wanted.values("desa_code"))
        | Q(desa_code__in=alike.values("code"))
        | Q(desa_code="")
        | Q(kind="RESERVE")
    )
    labels = row_labels(plan, post_rows(plan, chosen=chosen).values())
    return {code: labels[code] for code in codes if code in labels}


def roster(
    plan: Plan,
    code: str,
    held: set[str],
    names: dict[str, str],
    now: dt.datetime,
    read: dict[str, dict[str, Any]] | None = None,
) -> list[DutyRow]:
    """The duties of the person `code` (`held`: the vote's posts he is on; `read`: posts read
    already, as `store.post_rows` gives them) at `now`, as `duties.phone_names` lists them:
    `schedule.build` over his posts and his duties of the roster only, his posts by the
    version's `names`; none when he is not of the operation."""
    if not code:
        return []
    name = Person.objects.filter(operation_id=plan.operation_id, code=code).values_list("name", flat=True).first()
    if name is None:
        return []
    read = read or {}
    if held <= set(read):  # a post leader's posts are those the page shows
        rows = [read[post] for post in sorted(held)]
    else:
        rows = list(post_rows(plan, chosen=PlanPost.objects.filter(plan=plan, code__in=held)).values())
    posts = [_core_post(row) for row in rows]
    on = plan.assignments.filter(person_code=code).order_by("id").values_list("post__code", "slot", "cost_km")
    data = (plan.extra or {}).get("roster")
    own = _own_roster(data, code) if data else None
    duties = own["duties"] if own else []
    places = {c for p in posts for c in (p.desa_code, p.kecamatan_code)}
    places |= {str(d.get(f, "")) for d in duties for f in ("desa_code", "kecamatan_code")}
    regions = tuple(
        CoreRegion(c, n, Level(level), parent)
        for c, n, level, parent in Region.objects.filter(operation_id=plan.operation_id, code__in=places - {""})
        .order_by("id")
        .values_list("code", "name", "level", "parent_code")
    )
    operation = core_operation(plan.operation)
    stages = operation_stages(plan.operation)[0]
    scenario = CoreScenario(operation, regions, (), (), (CorePerson(code, name),), stages=stages)
    assignments = tuple(Assignment(code, post, slot, cost) for post, slot, cost in on)
    core = CorePlan(
        plan.operation.name, plan.pattern, {}, tuple(posts), assignments, (), {}, {"roster": own} if own else {}
    )
    lang = reader_lang()
    lines = schedule.of_person(schedule.build(scenario, core, lang)).get(code, [])
    # His posts named as the version names them (the build above names them among his alone).
    lines = [(block, _named(line, names)) for block, line in lines]
    return duty_rows(lines, operation.election_date, now, lang)


def _own_roster(data: dict[str, Any], code: str) -> dict[str, Any]:
    """The roster (as the plan keeps it) cut to the duties `code` holds and his places on them."""
    mine = [a for a in data.get("assignments", []) if a.get("person") == code]
    ids = {a.get("duty") for a in mine}
    duties = [d for d in data.get("duties", []) if d.get("id") in ids]
    return {"vote": data["vote"], "duties": duties, "assignments": mine}


def _core_post(row: dict[str, Any]) -> Post:
    """A post as `store.post_rows` gives it, as the core's."""
    return Post(
        row["id"],
        row["kind"],
        tuple(row["tps"]),
        row["desa_code"],
        row["kecamatan_code"],
        row["lat"],
        row["lon"],
        Category(row["category"]),
        dict(row["required"]),
    )


def _named(line: schedule.DutyLine, names: dict[str, str]) -> schedule.DutyLine:
    return replace(line, name=names.get(line.duty.id, line.name)) if line.vote else line
