"""The planning pipeline: categories -> posts -> reserves -> optimal assignment -> report.

`plan(scenario)` returns a Plan whose assignment is optimal for its posts (docs/scenario.md,
section 2.5): every unfilled slot costs weight(category) x 10,000 km, then travel counts.
`replan(scenario, previous, absent, categories)` keeps posts that are still valid and,
among optimal plans, moves the fewest people.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from siaga.core import geo, reserves, solvers
from siaga.core.solvers import Arc, Stay
from siaga.core.model import (
    SECTOR_UNIT_KINDS,
    Assignment,
    Category,
    Force,
    PatternRow,
    Person,
    Plan,
    Post,
    Scenario,
    Unfilled,
    Unit,
)
from siaga.core.patterns import CUSTOM, PRESETS, rows_by_category
from siaga.core.posts import CATEGORY_ORDER, form_posts, village_posts
from siaga.core.risk import RiskModel, assess

CATEGORY_WEIGHT = {Category.SANGAT_RAWAN: 8, Category.KHUSUS: 8, Category.RAWAN: 4, Category.KURANG_RAWAN: 2}
OTHER_WEIGHT = 1  # VILLAGE and RESERVE slots
UNFILLED_KM = 10_000
SCALE = 1_000_000  # integer cost units per km in the flow (millimetres)
REPLAN_SCALE = 1_000  # metres: leaves room in 64 bits for the "fewest moved" tie-break
SLOT_OF_FORCE = {Force.POLRI: "POLRI", Force.TNI: "TNI", Force.LINMAS: "LINMAS", Force.BRIMOB: "BRIMOB"}
SLOTS = ("POLRI", "TNI", "LINMAS", "BRIMOB")


def slot_weight(post: Post) -> int:
    return CATEGORY_WEIGHT[post.category] if post.kind == "TPS" else OTHER_WEIGHT


def pattern_rows(scenario: Scenario) -> dict[Category, PatternRow]:
    name = scenario.operation.pattern
    rows = scenario.patterns if name == CUSTOM else PRESETS[name].rows
    return rows_by_category(tuple(rows))


def pattern_warnings(rows: Mapping[Category, PatternRow]) -> list[str]:
    """The body system: Polri work in pairs. Fewer is allowed (Pasuruan chose 1), with a warning."""
    few = [c.value for c, r in rows.items() if 0 < r.polri_per_post < 2]
    if not few:
        return []
    return [
        f"Pola memberi kurang dari 2 Polri per pos (sistem berpasangan) untuk {', '.join(few)} / "
        "the pattern puts fewer than 2 Polri on a post (body system)"
    ]


# ---------------------------------------------------------------- the pipeline


def plan(scenario: Scenario, model: RiskModel | None = None, reserve_time_limit_s: float = 10.0) -> Plan:
    clock = _Clock()
    categories = {k: a.category for k, a in assess(scenario, model).items()}
    clock.lap("categories")
    rows = pattern_rows(scenario)
    formation = form_posts(list(scenario.tps), categories, rows, scenario.operation, scenario.region_by_code())
    clock.lap("posts")
    reserve_posts, placement = _reserves(scenario, categories, reserve_time_limit_s)
    clock.lap("reserves")
    posts = formation.posts + tuple(reserve_posts)
    solution = _assign(scenario, posts)
    clock.lap("assignment")
    extra = {
        "warnings": pattern_warnings(rows),
        "post_floor": formation.floor,
        "post_minimum": formation.minimum,
        "tps_posts": sum(1 for p in formation.posts if p.kind == "TPS"),
        "reserve": {
            "teams": len(placement.sites),
            "sites": list(placement.sites),
            "method": placement.method,
            "covered_weight": placement.covered_weight,
            "upper_bound": placement.upper_bound,
        },
    }
    return _finish(scenario, categories, posts, solution, placement, extra, clock)


def _finish(
    scenario: Scenario,
    categories: Mapping[str, Category],
    posts: tuple[Post, ...],
    solution: _Solution,
    placement: reserves.Placement,
    extra: dict[str, object],
    clock: _Clock,
) -> Plan:
    summary = _summary(scenario, posts, solution, placement)
    extra["shortfall"] = shortfall(scenario, posts, solution.unfilled)
    clock.lap("report")
    extra["timings_ms"] = clock.laps
    return Plan(
        operation=scenario.operation.name,
        pattern=scenario.operation.pattern,
        tps_categories=categories,
        posts=posts,
        assignments=solution.assignments,
        unfilled=solution.unfilled,
        summary=summary,
        extra=extra,
    )


@dataclass
class _Clock:
    start: float = field(default_factory=time.perf_counter)
    laps: dict[str, float] = field(default_factory=dict)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round((now - self.start) * 1000, 1)
        self.start = now


# ---------------------------------------------------------------- reserves


def _reserves(
    scenario: Scenario, categories: Mapping[str, Category], time_limit_s: float, teams: int | None = None
) -> tuple[list[Post], reserves.Placement]:
    op = scenario.operation
    brimob = sum(1 for p in scenario.personnel if p.available and p.force == Force.BRIMOB)
    teams = brimob // op.reserve_team_size if teams is None else teams
    units = [u for u in scenario.units if u.lat is not None and u.lon is not None]
    sites = [reserves.Site(u.code, u.lat, u.lon) for u in units]  # type: ignore[arg-type]
    targets = [reserves.Target(t.id, t.lat, t.lon, CATEGORY_WEIGHT[categories[t.id]]) for t in scenario.tps]
    reach_km = op.speed_kmh * op.response_minutes / 60 / op.road_factor
    placement = reserves.place_reserves(sites, targets, teams, reach_km, time_limit_s)
    unit_by_code = {u.code: u for u in units}
    posts = []
    seen: Counter[str] = Counter()
    for site in placement.sites:
        seen[site] += 1
        u = unit_by_code[site]
        posts.append(_reserve_post(u, seen[site], op.reserve_team_size, _reached_category(u, scenario, categories, reach_km)))
    return posts, placement


def _reserve_post(unit: Unit, n: int, size: int, category: Category) -> Post:
    assert unit.lat is not None and unit.lon is not None
    return Post(
        id=f"RESERVE-{unit.code}-{n}",
        kind="RESERVE",
        tps=(),
        desa_code="",
        kecamatan_code=unit.kecamatan_code,
        lat=unit.lat,
        lon=unit.lon,
        category=category,
        required={"BRIMOB": size},
    )


def _reached_category(unit: Unit, scenario: Scenario, categories: Mapping[str, Category], reach_km: float) -> Category:
    """The highest category among the TPS a team at `unit` reaches in time."""
    assert unit.lat is not None and unit.lon is not None
    reached = [
        categories[t.id] for t in scenario.tps if geo.haversine_km(unit.lat, unit.lon, t.lat, t.lon) <= reach_km
    ]
    return max(reached, key=CATEGORY_ORDER.index, default=Category.KURANG_RAWAN)


# ---------------------------------------------------------------- the assignment


@dataclass(frozen=True)
class _Solution:
    assignments: tuple[Assignment, ...]
    unfilled: tuple[Unfilled, ...]
    flow_objective: float  # the exact optimum of the integer flow, in km
    max_rounding_km: float  # how far float costs may be from the flow's integer costs, in all


@dataclass(frozen=True)
class _Group:
    force: Force
    origin: str  # unit code, or desa code for Linmas
    lat: float
    lon: float
    sector: str  # the kecamatan of a Polsek or Koramil, else ""
    persons: tuple[Person, ...]


def _groups(scenario: Scenario) -> list[_Group]:
    """Available people who can fill some slot, grouped by origin: they are interchangeable."""
    unit_by_code = scenario.unit_by_code()
    region_by_code = scenario.region_by_code()
    members: dict[tuple[Force, str], list[Person]] = defaultdict(list)
    for p in scenario.personnel:
        if p.available and p.force in SLOT_OF_FORCE:
            members[(p.force, p.desa_code if p.force == Force.LINMAS else p.unit_code)].append(p)
    groups = []
    for (force, origin), persons in members.items():
        if force == Force.LINMAS:
            desa = region_by_code[origin]
            lat, lon, sector = desa.lat, desa.lon, ""
        else:
            unit = unit_by_code[origin]
            lat, lon = unit.lat, unit.lon
            sector = unit.kecamatan_code if unit.kind in SECTOR_UNIT_KINDS else ""
        assert lat is not None and lon is not None
        groups.append(_Group(force, origin, lat, lon, sector, tuple(sorted(persons, key=lambda p: p.id))))
    return groups


def travel_km(group_lat: float, group_lon: float, sector: str, post: Post, road_factor: float, penalty_km: float) -> float:
    cost = road_factor * geo.haversine_km(group_lat, group_lon, post.lat, post.lon)
    if sector and post.kecamatan_code != sector:
        cost += penalty_km
    return round(cost, 6)


@dataclass(frozen=True)
class _Slot:
    post: Post
    slot: str
    count: int


def _slots(posts: Iterable[Post]) -> list[_Slot]:
    return [_Slot(p, s, p.required.get(s, 0)) for p in posts for s in SLOTS if p.required.get(s, 0) > 0]


def _arcs(groups: list[_Group], slots: list[_Slot], scenario: Scenario, scale: int) -> tuple[list[Arc], list[float]]:
    op = scenario.operation
    by_type: dict[str, list[int]] = defaultdict(list)
    linmas_by_desa: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(slots):
        (linmas_by_desa[s.post.desa_code] if s.slot == "LINMAS" else by_type[s.slot]).append(i)
    arcs, km = [], []
    for g, group in enumerate(groups):
        eligible = linmas_by_desa[group.origin] if group.force == Force.LINMAS else by_type[SLOT_OF_FORCE[group.force]]
        for i in eligible:
            cost = travel_km(group.lat, group.lon, group.sector, slots[i].post, op.road_factor, op.out_of_sector_penalty_km)
            arcs.append(Arc(g, i, round(cost * scale)))
            km.append(cost)
    return arcs, km


def _assign(
    scenario: Scenario, posts: tuple[Post, ...], previous: Mapping[str, tuple[str, str]] | None = None
) -> _Solution:
    """The optimal assignment; with `previous` (person -> (post, slot)), the fewest moved
    among optimal ones."""
    groups = _groups(scenario)
    slots = _slots(posts)
    scale = SCALE if previous is None else REPLAN_SCALE
    arcs, km = _arcs(groups, slots, scenario, scale)
    reward = [slot_weight(s.post) * UNFILLED_KM * scale for s in slots]
    stays: list[Stay] = []
    if previous is not None:
        people = sum(len(g.persons) for g in groups)
        tie = people + 1  # one move costs less than any change of the objective
        arcs = [Arc(a.group, a.slot, a.cost * tie + 1) for a in arcs]
        reward = [r * tie for r in reward]
        stays = _stays(groups, slots, arcs, previous)
    flows, stay_flows = solvers.solve([len(g.persons) for g in groups], [s.count for s in slots], reward, arcs, stays)
    return _disaggregate(groups, slots, arcs, km, flows, stays, stay_flows, previous or {}, scale)


def _stays(
    groups: list[_Group], slots: list[_Slot], arcs: list[Arc], previous: Mapping[str, tuple[str, str]]
) -> list[Stay]:
    slot_index = {(s.post.id, s.slot): i for i, s in enumerate(slots)}
    arc_cost = {(a.group, a.slot): a.cost - 1 for a in arcs}
    out = []
    for g, group in enumerate(groups):
        held = Counter(slot_index.get(previous[p.id]) for p in group.persons if p.id in previous)
        for i, count in held.items():
            if i is not None and (g, i) in arc_cost:
                out.append(Stay(g, i, count, arc_cost[(g, i)]))
    return out


def _disaggregate(
    groups: list[_Group],
    slots: list[_Slot],
    arcs: list[Arc],
    km: list[float],
    flows: list[int],
    stays: list[Stay],
    stay_flows: list[int],
    previous: Mapping[str, tuple[str, str]],
    scale: int,
) -> _Solution:
    """Name the people behind each flow: stayers keep their slot, the rest in id order."""
    km_of = {(a.group, a.slot): k for a, k in zip(arcs, km, strict=True)}
    free: dict[int, list[Person]] = {g: list(group.persons) for g, group in enumerate(groups)}
    assignments: list[Assignment] = []
    filled = Counter[int]()
    for st, n in zip(stays, stay_flows, strict=True):
        if not n:
            continue
        key = (slots[st.slot].post.id, slots[st.slot].slot)
        keep = [p for p in free[st.group] if previous.get(p.id) == key][:n]
        for p in keep:
            free[st.group].remove(p)
            assignments.append(Assignment(p.id, key[0], key[1], km_of[(st.group, st.slot)]))
        filled[st.slot] += n
    for a, n, k in zip(arcs, flows, km, strict=True):
        if not n:
            continue
        slot = slots[a.slot]
        for p in free[a.group][:n]:
            assignments.append(Assignment(p.id, slot.post.id, slot.slot, k))
        del free[a.group][:n]
        filled[a.slot] += n
    unfilled = tuple(
        Unfilled(s.post.id, s.slot, s.count - filled[i]) for i, s in enumerate(slots) if s.count > filled[i]
    )
    order = {s.post.id: i for i, s in enumerate(slots)}
    assignments.sort(key=lambda a: (order[a.post], SLOTS.index(a.slot), a.person))
    penalty = sum(slot_weight(slots[i].post) * UNFILLED_KM * (s.count - filled[i]) for i, s in enumerate(slots))
    travel = sum(a.cost_km for a in assignments)
    people = sum(len(g.persons) for g in groups)
    places = sum(s.count for s in slots)
    # Arc costs were rounded to 1/scale km: the true optimum is at most this far below ours.
    rounding = 0.5 / scale * (len(assignments) + min(people, places))
    return _Solution(tuple(assignments), unfilled, penalty + travel, rounding)


# ---------------------------------------------------------------- reports


def _summary(scenario: Scenario, posts: tuple[Post, ...], solution: _Solution, placement: reserves.Placement) -> dict[str, float]:
    weight = {p.id: slot_weight(p) for p in posts}
    unfilled_penalty = sum(weight[u.post] * UNFILLED_KM * u.count for u in solution.unfilled)
    cost = round(sum(a.cost_km for a in solution.assignments), 6)
    objective = round(unfilled_penalty + cost, 6)
    desa = {t.desa_code for t in scenario.tps}
    region_by_code = scenario.region_by_code()
    return {
        "tps": len(scenario.tps),
        "desa": len(desa),
        "kecamatan": len({region_by_code[d].parent_code for d in desa}),
        "persons": len(scenario.personnel),
        "assigned": len(solution.assignments),
        "idle": len(scenario.personnel) - len(solution.assignments),
        "slots": sum(sum(p.required.values()) for p in posts),
        "unfilled": sum(u.count for u in solution.unfilled),
        "cost_km": cost,
        "objective": objective,
        "lower_bound": round(objective - solution.max_rounding_km, 6),
        "reserve_covered_weight": placement.covered_weight,
        "reserve_total_weight": placement.total_weight,
    }


def shortfall(scenario: Scenario, posts: tuple[Post, ...], unfilled: Iterable[Unfilled]) -> dict[str, object]:
    """Where the force is too small: unfilled places by force, kecamatan, desa and category,
    how many more of each force would cover everything, and the TPS below their pattern."""
    post_by_id = {p.id: p for p in posts}
    by: dict[str, Counter[str]] = {k: Counter() for k in ("force", "kecamatan", "desa", "category")}
    linmas_by_desa: Counter[str] = Counter()
    below: dict[str, dict[str, int]] = {}
    for u in unfilled:
        post = post_by_id[u.post]
        by["force"][u.slot] += u.count
        by["kecamatan"][post.kecamatan_code or "-"] += u.count
        by["desa"][post.desa_code or "-"] += u.count
        by["category"][post.category.value] += u.count
        if u.slot == "LINMAS":
            linmas_by_desa[post.desa_code] += u.count
        for t in post.tps:
            below.setdefault(t, {})[u.slot] = u.count
    return {
        "unfilled_by_force": dict(by["force"]),
        "unfilled_by_kecamatan": dict(by["kecamatan"]),
        "unfilled_by_desa": dict(by["desa"]),
        "unfilled_by_category": dict(by["category"]),
        "more_needed": dict(by["force"]),
        "more_linmas_needed_by_desa": dict(linmas_by_desa),
        "tps_below_pattern": below,
    }


# ---------------------------------------------------------------- re-plan


def replan(
    scenario: Scenario,
    previous: Plan,
    absent: Iterable[str] = (),
    category_changes: Mapping[str, Category] | None = None,
) -> Plan:
    """The plan after people drop out or TPS change category: same objective first, then the
    fewest people moved; posts are kept where still valid."""
    clock = _Clock()
    gone = set(absent)
    changes = dict(category_changes or {})
    people = tuple(replace(p, available=False) if p.id in gone else p for p in scenario.personnel)
    scenario = replace(scenario, personnel=people)
    categories = {**previous.tps_categories, **changes}
    posts = _kept_posts(scenario, previous, categories, changes)
    clock.lap("posts")
    previous_slot = {a.person: (a.post, a.slot) for a in previous.assignments}
    solution = _assign(scenario, posts, previous_slot)
    clock.lap("assignment")
    moved = sum(1 for a in solution.assignments if previous_slot.get(a.person) != (a.post, a.slot))
    prior_reserve = dict(previous.extra.get("reserve", {}))  # type: ignore[call-overload]
    placement = reserves.Placement(
        tuple(p.id for p in posts if p.kind == "RESERVE"),
        float(previous.summary.get("reserve_covered_weight", 0.0)),
        float(previous.summary.get("reserve_total_weight", 0.0)),
        float(prior_reserve.get("upper_bound", 0.0)),
        str(prior_reserve.get("method", "kept")),
    )
    extra: dict[str, object] = {
        **{k: v for k, v in previous.extra.items() if k not in ("shortfall", "timings_ms")},
        "replan": {
            "absent": sorted(gone),
            "category_changes": {k: v.value for k, v in changes.items()},
            "moved": moved,
            "kept": sum(1 for a in solution.assignments if previous_slot.get(a.person) == (a.post, a.slot)),
        },
    }
    return _finish(scenario, categories, posts, solution, placement, extra, clock)


def _kept_posts(
    scenario: Scenario, previous: Plan, categories: Mapping[str, Category], changes: Mapping[str, Category]
) -> tuple[Post, ...]:
    """Previous posts minus changed TPS (regrouped into new posts), village posts re-rated,
    reserve teams kept as long as there are Brimob enough to staff them."""
    op = scenario.operation
    rows = pattern_rows(scenario)
    region_by_code = scenario.region_by_code()
    tps_by_id = {t.id: t for t in scenario.tps}
    kept: list[Post] = []
    moved_tps = [t for t in changes if previous.tps_categories.get(t) != changes[t]]
    for post in previous.posts:
        if post.kind != "TPS":
            continue
        stay = [t for t in post.tps if t not in moved_tps]
        if len(stay) == len(post.tps):
            kept.append(post)
        elif stay:
            centre = tps_by_id[stay[0]]
            row = rows[post.category]
            within = all(
                geo.haversine_km(centre.lat, centre.lon, tps_by_id[t].lat, tps_by_id[t].lon) <= op.max_post_radius_km
                for t in stay
            )
            if not within:
                moved_tps += stay  # regroup them too
                continue
            required = {**post.required, "LINMAS": math.ceil(round(row.linmas_per_tps * len(stay), 9))}
            kept.append(replace(post, tps=tuple(stay), lat=centre.lat, lon=centre.lon, required=required))
    used_numbers: Counter[str] = Counter()
    for post in kept:
        used_numbers[post.desa_code] = max(used_numbers[post.desa_code], int(post.id.rsplit("-", 1)[1]))
    fresh = form_posts([tps_by_id[t] for t in moved_tps], categories, rows, op, region_by_code).posts
    for post in fresh:
        if post.kind == "TPS":
            used_numbers[post.desa_code] += 1
            kept.append(replace(post, id=f"TPS-{post.desa_code}-{used_numbers[post.desa_code]}"))
    if op.village_guard_polri or op.village_guard_tni:
        kept += village_posts(list(scenario.tps), categories, op, region_by_code)
    brimob = sum(1 for p in scenario.personnel if p.available and p.force == Force.BRIMOB)
    teams = brimob // op.reserve_team_size
    kept += [p for p in previous.posts if p.kind == "RESERVE"][:teams]
    return tuple(kept)
