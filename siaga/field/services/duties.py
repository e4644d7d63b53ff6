"""What the phone page reads beyond the board: posts and TPS by the names people read (the
Sprin's names, `ploting.post_names`; never a post id or a TPS code), and the person's roster
with his next duty (the roster card's lines: `schedule.of_person`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from siaga.core.data.model import Category, Level, Post, UnitKind
from siaga.core.data.model import Region as CoreRegion
from siaga.core.data.model import Unit as CoreUnit
from siaga.core.documents import schedule
from siaga.core.documents.ploting import names_of_posts, post_names
from siaga.operations.models import Region, Tps, Unit
from siaga.operations.services import scenario_for
from siaga.plans.models import Plan, PlanPost, PlanTps
from siaga.plans.store import core_plan


@dataclass(frozen=True)
class DutyRow:
    """One duty of a person's roster as the phone lists it; `state` is done, now or next (the
    first duty not over yet) or empty (a later one)."""

    name: str
    place: str
    window: str  # "H-1 Sel 22/03 07:00 s.d. H Rab 23/03 17:00"
    stage: str
    state: str


@dataclass(frozen=True)
class PhoneNames:
    posts: dict[str, str]  # post id -> "Pos TPS 1-3 Desa Semare"
    duties: list[DutyRow]  # the person's roster, in order of time

    @property
    def next(self) -> DutyRow | None:
        return next((d for d in self.duties if d.state in ("now", "next")), None)


def phone_names(plan: Plan, person_code: str, now: dt.datetime) -> PhoneNames:
    """The plan's post names and the roster of `person_code` (none when blank) at `now` (the
    operation's local time without a zone, as the roster is written)."""
    scenario = scenario_for(plan.operation)
    core = core_plan(plan)
    names = post_names(scenario, core.posts)
    election = scenario.operation.election_date
    rows: list[DutyRow] = []
    coming = True
    lines = schedule.of_person(schedule.build(scenario, core)).get(person_code, []) if person_code else []
    for block, line in lines:
        state = "done" if line.duty.end <= now else "now" if line.duty.start <= now else ""
        if state != "done" and coming:
            state, coming = state or "next", False
        window = schedule.window(election, line.duty.start, line.duty.end)
        rows.append(DutyRow(line.name, line.place, window, block.stage.name, state))
    return PhoneNames(names, rows)


def tps_places(plan: Plan, codes: list[str]) -> dict[str, dict[str, Any]]:
    """TPS code -> its name as people read it ("TPS 3 Semare") and a geo: link to it, which the
    phone's own map app opens without a network call of ours."""
    desa = dict(plan.operation.regions.order_by().values_list("code", "name"))
    rows = Tps.objects.filter(operation_id=plan.operation_id, code__in=codes).order_by()
    return {
        t.code: {
            "name": f"TPS {t.number} {desa.get(t.desa_code, '')}".strip(),
            "geo": f"geo:{t.lat:.6f},{t.lon:.6f}?q={t.lat:.6f},{t.lon:.6f}",
        }
        for t in rows
    }


def post_labels(plan: Plan, codes: Iterable[str]) -> dict[str, str]:
    """Post id -> the name people read (the Sprin's, `ploting.names_of_posts`), for the posts
    asked only: read from the plan's rows, without loading the whole scenario (pages that poll
    call this every few seconds)."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    rows = list(PlanPost.objects.filter(plan=plan, code__in=wanted).order_by())
    tps_of: dict[int, list[str]] = defaultdict(list)
    for post_id, code in PlanTps.objects.filter(post_id__in=[r.pk for r in rows]).values_list("post_id", "tps_code"):
        tps_of[post_id].append(code)
    number = dict(
        Tps.objects.filter(
            operation_id=plan.operation_id, code__in=[c for v in tps_of.values() for c in v]
        ).values_list("code", "number")
    )
    regions = {
        r.code: CoreRegion(r.code, r.name, Level(r.level), r.parent_code)
        for r in Region.objects.filter(operation_id=plan.operation_id).order_by()
    }
    units = {
        u.code: CoreUnit(u.code, u.name, UnitKind(u.kind), u.kecamatan_code, u.lat, u.lon)
        for u in Unit.objects.filter(operation_id=plan.operation_id).order_by()
    }
    posts = [
        Post(
            r.code,
            r.kind,
            tuple(sorted(tps_of[r.pk])),
            r.desa_code,
            r.kecamatan_code,
            r.lat,
            r.lon,
            Category(r.category),
            dict(r.required),
        )
        for r in rows
    ]
    return names_of_posts(regions, units, number, posts)


def operation_post_labels(operation_id: int, codes: Iterable[str]) -> dict[str, str]:
    """Post id -> name for posts of any version of the operation (a post a re-plan dropped, a
    post named in an old audit entry), each named by the newest version that has it."""
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
        names.update(post_labels(plan, by_plan[plan.pk]))
    return names
