"""The planning pipeline: categories -> posts -> reserves -> optimal assignment -> report.

`plan(scenario)` returns a Plan whose assignment is optimal for its posts (docs/scenario.md,
section 2.5): every unfilled slot costs weight(category) x 10,000 km, then travel counts.
`replan(scenario, previous, absent, categories)` keeps posts that are still valid and,
among optimal plans, moves the fewest people.
"""

from __future__ import annotations

import functools
import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ParamSpec, Protocol, TypeVar

import numpy as np

from siaga.core.data import geo, pins, positions
from siaga.core.data import travel as travel_io
from siaga.core.data.labels import CATEGORY
from siaga.core.data.model import (
    SECTOR_UNIT_KINDS,
    Assignment,
    Category,
    Duty,
    Force,
    Operation,
    PatternRow,
    Person,
    Plan,
    Post,
    Scenario,
    Unfilled,
    Unit,
)
from siaga.core.data.patterns import CUSTOM, LINMAS_KPU, PRESETS, linmas_mode, rows_by_category
from siaga.core.data.text import Message, TranslatedError, gettext_noop
from siaga.core.planning import polres, reserves, roster, solvers, strength
from siaga.core.planning.posts import (
    CATEGORY_ORDER,
    CATEGORY_WEIGHT,
    REPLAN_SCALE,
    SCALE,
    SLOT_OF_FORCE,
    SLOTS,
    UNFILLED_KM,
    form_posts,
    post_id,
    radius_km,
    required,
    standby_posts,
    village_posts,
)
from siaga.core.planning.risk import RiskModel, assess

OTHER_WEIGHT = 1  # VILLAGE, STANDBY and RESERVE slots
# CP-SAT work for one Polres's reserve placement, in deterministic seconds (solvers.py):
# a limit of work, not of time, so the placement is the same on any load.
RESERVE_WORK = 5.0


def slot_weight(post: Post) -> int:
    return CATEGORY_WEIGHT[post.category] if post.kind == "TPS" else OTHER_WEIGHT


def pattern_rows(scenario: Scenario) -> dict[Category, PatternRow]:
    name = scenario.operation.pattern
    rows = scenario.patterns if name == CUSTOM else PRESETS[name].rows
    return rows_by_category(tuple(rows))


FEWER_THAN_PAIRS = gettext_noop("Pola memberi kurang dari 2 Polri per pos (sistem berpasangan) untuk %(categories)s")


def pattern_warnings(rows: Mapping[Category, PatternRow], operation: Operation) -> list[Message]:
    """The body system: Polri work in pairs. Fewer is allowed (Pasuruan chose 1), with a warning;
    a category the operation reinforces to 2 or more is not named."""
    few = [CATEGORY[c] for c, r in rows.items() if 0 < required(r, operation, r.tps_per_post)["POLRI"] < 2]
    return [Message(FEWER_THAN_PAIRS, categories=few)] if few else []


def warning_records(messages: list[Message]) -> dict[str, object]:
    """The plan file's `warnings` (the Indonesian text, as ever) and `warning_messages` (msgid
    and parameters, for a reader in another language)."""
    return {
        "warnings": [m.render("id") for m in messages],
        "warning_messages": [{"msgid": m.msgid, "params": dict(m.params)} for m in messages],
    }


# ---------------------------------------------------------------- the pipeline

_Args = ParamSpec("_Args")
_Result = TypeVar("_Result")


def _without_cyclic_collection(fn: Callable[_Args, _Result]) -> Callable[_Args, _Result]:
    """`fn` with Python's cyclic collector paused while it runs: a plan makes hundreds of
    thousands of short-lived objects and no reference cycles to speak of, and each collection
    would rescan the scenario's objects (a tenth of a re-plan's time, issue 18). Whatever cycles
    it leaves are collected after, as usual."""

    @functools.wraps(fn)
    def paused(*args: _Args.args, **kwargs: _Args.kwargs) -> _Result:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if collecting:
                gc.enable()

    return paused


@_without_cyclic_collection
def plan(scenario: Scenario, model: RiskModel | None = None, reserve_work: float = RESERVE_WORK) -> Plan:
    """The plan of one Polres. A function of its arguments alone: the same scenario gives the
    same plan, byte for byte in its plan file, on any machine load (no clock in it)."""
    scenario = at_assembly(scenario)
    categories = {k: a.category for k, a in assess(scenario, model).items()}
    rows = pattern_rows(scenario)
    formation = form_posts(list(scenario.tps), categories, rows, scenario.operation, scenario.region_by_code())
    reserve_posts, placement = _reserves(scenario, categories, reserve_work)
    posts = formation.posts + tuple(standby_posts(scenario, categories)) + tuple(reserve_posts)
    solution = _assign(scenario, posts)
    extra = {
        **warning_records(pattern_warnings(rows, scenario.operation)),
        "post_floor": formation.floor,
        "post_minimum": formation.minimum,
        "tps_posts": sum(1 for p in formation.posts if p.kind == "TPS"),
        "reserve": reserve_report(placement),
        "travel": travel_report(scenario),
    }
    made = _finish(scenario, categories, posts, solution, placement, extra)
    return with_roster(scenario, made, network=solution.network)


def with_roster(
    scenario: Scenario, made: Plan, previous: roster.Roster | None = None, network: _Network | None = None
) -> Plan:
    """The plan with its roster across the stages (roster.py) in `extra["roster"]`; `network`:
    the one the vote's flow ran on, if at hand (`joint_bound`)."""

    def joint(duties: list[Duty]) -> float | None:
        return joint_bound(scenario, made.posts, duties, network)

    built = roster.build(scenario, made, previous, joint=joint)
    return replace(made, extra={**made.extra, "roster": roster.to_json(built)})


def joint_bound(
    scenario: Scenario, posts: tuple[Post, ...], duties: list[Duty], network: _Network | None = None
) -> float | None:
    """A lower bound on the vote and `duties` together, when nobody can hold both a post of the
    vote and one of `duties` (roster.py): the optimum of one flow over the vote's posts and the
    duties, each person at most once, as 2.5 scores it (a duty's empty place weighs 1). A Linmas
    place of a kecamatan's duty (which the vote's flow cannot give a Linmas of another desa) is
    left out: dropping a place only lowers the bound. None under PPS decrees, where the vote's
    Linmas are not the flow's. `network`: one built on `scenario` and `posts` (the vote's flow's),
    whose groups and arcs are reused; only the arcs to the duties are worked out."""
    if kpu_roster(scenario):
        return None
    extra = tuple(
        Post(
            d.id,
            "DUTY",
            (),
            d.desa_code,
            d.kecamatan_code,
            d.lat,
            d.lon,
            Category.KURANG_RAWAN,
            {s: n for s, n in d.required.items() if n and (s != "LINMAS" or d.desa_code)},
        )
        for d in duties
    )
    together = posts + extra
    weight = {p.id: slot_weight(p) for p in together}
    if any(_pinned(scenario, together)):  # pins decide some places: the whole assignment, named
        solution = _assign(scenario, together)
        travel = sum(a.cost_km for a in solution.assignments)
        empty = sum(weight[u.post] * UNFILLED_KM * u.count for u in solution.unfilled)
        return travel + empty - solution.max_rounding_km
    known = network if network is not None and network.posts is posts else None
    flow = _flow(scenario, together, None, _network(scenario, together, known))
    travel, unfilled, rounding = _optimum(flow)
    empty = sum(weight[flow.network.slots[i].post.id] * UNFILLED_KM * n for i, n in unfilled)
    return travel + empty - rounding


def at_assembly(scenario: Scenario) -> Scenario:
    """The scenario as the operation sees its units: each at its assembly point where one is
    given (`polres.point_of`), so travel, reserve sites and reach start there, not at the
    home base of a BKO platoon from another city (docs/scenario.md 2.4)."""
    if all(u.assembly_lat is None or u.assembly_lon is None for u in scenario.units):
        return scenario
    units = []
    for u in scenario.units:
        point = polres.point_of(u)
        units.append(u if point is None else replace(u, lat=point[0], lon=point[1]))
    return replace(scenario, units=tuple(units))


def _finish(
    scenario: Scenario,
    categories: Mapping[str, Category],
    posts: tuple[Post, ...],
    solution: _Solution,
    placement: reserves.Placement,
    extra: dict[str, object],
) -> Plan:
    summary = _summary(scenario, posts, solution, placement)
    kpu = kpu_roster(scenario)
    extra["shortfall"] = shortfall(scenario, posts, solution.unfilled, kpu)
    if kpu:  # the PPS decrees name the Linmas: what they lack is the KPU's to fill
        extra["linmas_coordination"] = linmas_coordination(posts, solution.unfilled)
    if solution.pins:  # a scenario without pins or roster keeps its plan file as it was
        extra["pins"] = list(solution.pins)
    advice = strength.advice(scenario, pattern_rows(scenario), posts, solution.assignments)
    if advice:
        extra["strength"] = advice
    organisation = positions.report(scenario)
    if organisation:  # a scenario without positions keeps its plan file as it was
        extra["organisation"] = organisation
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


def reserve_report(placement: reserves.Placement) -> dict[str, object]:
    """The plan file's `reserve` key."""
    return {
        "teams": len(placement.sites),
        "sites": list(placement.sites),
        "method": placement.method,
        "covered_weight": placement.covered_weight,
        "upper_bound": placement.upper_bound,
    }


# ---------------------------------------------------------------- reserves


def travel_of(scenario: Scenario) -> geo.Travel:
    """The scenario's travel: its road times where given, else the straight-line estimate."""
    return travel_io.measure(scenario)


def travel_report(scenario: Scenario) -> dict[str, object]:
    """The plan file's `travel` key: how reserve reach and travel between duties were measured
    (road times or the estimate)."""
    return {"by_road": bool(scenario.travel_times), "road_times": len(scenario.travel_times)}


def _reserve_inputs(
    scenario: Scenario, categories: Mapping[str, Category]
) -> tuple[list[reserves.Site], list[reserves.Target], float]:
    """Candidate sites (every unit), TPS weighted by category, and the straight-line reach."""
    op = scenario.operation
    sites = [reserves.Site(u.code, u.lat, u.lon) for u in scenario.units if u.lat is not None and u.lon is not None]
    targets = [reserves.Target(t.id, t.lat, t.lon, CATEGORY_WEIGHT[categories[t.id]]) for t in scenario.tps]
    return sites, targets, op.speed_kmh * op.response_minutes / 60 / op.road_factor


def _reserves(
    scenario: Scenario, categories: Mapping[str, Category], work: float
) -> tuple[list[Post], reserves.Placement]:
    op = scenario.operation
    teams = sum(1 for p in scenario.personnel if p.available and p.force == Force.BRIMOB) // op.reserve_team_size
    sites, targets, reach_km = _reserve_inputs(scenario, categories)
    placement = reserves.place_reserves(sites, targets, teams, reach_km, work, travel_of(scenario))
    unit_by_code = scenario.unit_by_code()
    posts = []
    seen: Counter[str] = Counter()
    highest = _reached_category([unit_by_code[s] for s in placement.sites], scenario, categories, reach_km)
    for site, category in zip(placement.sites, highest, strict=True):
        seen[site] += 1
        posts.append(_reserve_post(unit_by_code[site], seen[site], op.reserve_team_size, category))
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


def _reached_category(
    units: list[Unit], scenario: Scenario, categories: Mapping[str, Category], reach_km: float
) -> list[Category]:
    """For each unit, the highest category among the TPS a team there reaches in time."""
    if not units or not scenario.tps:
        return [Category.KURANG_RAWAN] * len(units)
    rank = np.array([CATEGORY_ORDER.index(categories[t.id]) for t in scenario.tps])
    km = geo.distance_matrix_km(
        [u.lat for u in units],
        [u.lon for u in units],
        [t.lat for t in scenario.tps],
        [t.lon for t in scenario.tps],
    )
    km = travel_of(scenario).reach_km([u.code for u in units], [t.id for t in scenario.tps], km)
    reached = np.where(km <= reach_km, rank[None, :], 0).max(axis=1)
    return [CATEGORY_ORDER[int(r)] for r in reached]


# ---------------------------------------------------------------- the assignment


@dataclass(frozen=True)
class _Solution:
    assignments: tuple[Assignment, ...]
    unfilled: tuple[Unfilled, ...]
    max_rounding_km: float  # how far float costs may be from the flow's integer costs, in all
    pins: tuple[dict[str, object], ...] = ()  # every pin and Linmas roster entry: held or why not
    network: _Network | None = field(default=None, compare=False, repr=False)  # what the flow ran on


@dataclass(frozen=True)
class _Group:
    force: Force
    origin: str  # unit code, or desa code for Linmas
    lat: float
    lon: float
    sector: str  # the kecamatan of a Polsek or Koramil, else ""
    persons: tuple[Person, ...]


def _groups(scenario: Scenario) -> list[_Group]:
    """Available people who can fill some slot, grouped by origin: they are interchangeable.
    Command and staff positions run the operation and fill no slot (`positions.is_command`)."""
    unit_by_code = scenario.unit_by_code()
    region_by_code = scenario.region_by_code()
    members: dict[tuple[Force, str], list[Person]] = defaultdict(list)
    for p in scenario.personnel:
        if p.available and p.force in SLOT_OF_FORCE and not positions.is_command(p.position):
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


def travel_km(
    group_lat: float, group_lon: float, sector: str, post: Post, road_factor: float, penalty_km: float
) -> float:
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


def _arcs(groups: list[_Group], slots: list[_Slot], scenario: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every eligible (group, slot) pair and its travel cost in km (rounded to the metre's
    thousandth): same force, and Linmas only to slots in their own desa."""
    op = scenario.operation
    lat = np.array([s.post.lat for s in slots])
    lon = np.array([s.post.lon for s in slots])
    kecamatan = np.array([s.post.kecamatan_code for s in slots], dtype=object)
    by_type: dict[str, list[int]] = defaultdict(list)
    linmas_by_desa: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(slots):
        (linmas_by_desa[s.post.desa_code] if s.slot == "LINMAS" else by_type[s.slot]).append(i)
    index = {k: np.array(v, dtype=np.int64) for k, v in (by_type | linmas_by_desa).items()}
    empty = np.zeros(0, dtype=np.int64)
    parts_g, parts_s, parts_km = [], [], []
    for g, group in enumerate(groups):
        key = group.origin if group.force == Force.LINMAS else SLOT_OF_FORCE[group.force]
        eligible = index.get(key, empty) if group.force != Force.LINMAS or key in linmas_by_desa else empty
        if not len(eligible):
            continue
        km = op.road_factor * geo.distance_matrix_km([group.lat], [group.lon], lat[eligible], lon[eligible])[0]
        if group.sector:
            km = km + np.where(kecamatan[eligible] != group.sector, op.out_of_sector_penalty_km, 0.0)
        parts_g.append(np.full(len(eligible), g))
        parts_s.append(eligible)
        parts_km.append(np.round(km, 6))
    if not parts_g:
        return empty, empty, np.zeros(0)
    return np.concatenate(parts_g), np.concatenate(parts_s), np.concatenate(parts_km)


@dataclass(frozen=True)
class _Network:
    """The groups of `scenario`'s people and their arcs to the slots of `posts`: what the vote's
    flow and the joint bound's (the same posts and some duties) share."""

    scenario: Scenario
    posts: tuple[Post, ...]
    groups: list[_Group]
    slots: list[_Slot]
    arcs: tuple[np.ndarray, np.ndarray, np.ndarray]  # group, slot, km, by group then slot


def _network(scenario: Scenario, posts: tuple[Post, ...], known: _Network | None = None) -> _Network:
    """The network of `scenario` and `posts`. With `known` (of the same scenario, and posts that
    begin `posts`), its groups and arcs are kept and only the arcs to the further slots are
    worked out: each arc's km is computed element by element, so the arrays are the ones
    `_arcs` gives on all the slots at once."""
    if known is None or known.scenario is not scenario or posts[: len(known.posts)] != known.posts:
        groups = _groups(scenario)
        slots = _slots(posts)
        return _Network(scenario, posts, groups, slots, _arcs(groups, slots, scenario))
    more = _slots(posts[len(known.posts) :])
    offset = len(known.slots)
    extra_group, extra_slot, extra_km = _arcs(known.groups, more, scenario)
    arc_group = np.concatenate([known.arcs[0], extra_group])
    order = np.argsort(arc_group, kind="stable")  # each group's arcs to the known slots, then the others
    arc_slot = np.concatenate([known.arcs[1], extra_slot + offset])[order]
    km = np.concatenate([known.arcs[2], extra_km])[order]
    return _Network(scenario, posts, known.groups, known.slots + more, (arc_group[order], arc_slot, km))


def _assign(
    scenario: Scenario, posts: tuple[Post, ...], previous: Mapping[str, tuple[str, str]] | None = None
) -> _Solution:
    """The optimal assignment; with `previous` (person -> (post, slot)), the fewest moved
    among optimal ones. Pinned people and the Linmas of a PPS roster are placed first, as
    decided (`_pinned`); the optimisation fills what is left (under a KPU roster, no Linmas)."""
    fixed, excluded, report = _pinned(scenario, posts)
    if kpu_roster(scenario):  # only the Linmas the PPS decrees name serve, where they name them
        excluded |= {p.id for p in scenario.personnel if p.force == Force.LINMAS}
    if excluded:
        scenario = replace(scenario, personnel=tuple(p for p in scenario.personnel if p.id not in excluded))
    taken = Counter((a.post, a.slot) for a in fixed)
    all_posts = posts
    if taken:
        posts = tuple(
            replace(p, required={s: n - taken[(p.id, s)] for s, n in p.required.items()})
            if any(k[0] == p.id for k in taken)
            else p
            for p in posts
        )
    solution = _optimal(scenario, posts, previous)
    if not (fixed or report):
        return solution
    order = {p.id: i for i, p in enumerate(all_posts)}
    assignments = sorted((*solution.assignments, *fixed), key=lambda a: (order[a.post], SLOTS.index(a.slot), a.person))
    return replace(solution, assignments=tuple(assignments), pins=tuple(report))


def _pinned(scenario: Scenario, posts: tuple[Post, ...]) -> tuple[list[Assignment], set[str], list[dict[str, object]]]:
    """The places pins decide (data/pins.py) and a Linmas roster fixes (`tps_id`): who is
    placed where, who is kept off every post, and a report line for each pin, held or not
    with the reason. A pin that cannot hold leaves its person to the optimisation."""
    pinned = [p for p in scenario.personnel if p.pinned_post or (p.tps_id and p.force == Force.LINMAS)]
    if not pinned:
        return [], set(), []
    by_id = {p.id: p for p in posts}
    post_of_tps = {t: p for p in posts if p.kind == "TPS" for t in p.tps}
    op = scenario.operation
    units = scenario.unit_by_code()
    regions = scenario.region_by_code()
    fixed: list[Assignment] = []
    excluded: set[str] = set()
    report: list[dict[str, object]] = []
    used = Counter[tuple[str, str]]()
    for person in pinned:
        pin = pins.parse(person.pinned_post) or pins.Pin(pins.POST, person.tps_id)
        line: dict[str, object] = {
            "person": person.id,
            "pin": person.pinned_post or person.tps_id,
            "kind": pin.kind if person.pinned_post else "ROSTER",
            "reason": person.pin_reason,
        }
        report.append(line)
        if pin.kind != pins.POST:
            excluded.add(person.id)
            line["held"] = True
            continue
        target = pin.target
        post = by_id.get(target) or post_of_tps.get(target) or by_id.get(f"VILLAGE-{target}")
        slot = SLOT_OF_FORCE.get(person.force, "")
        problem = ""
        if post is None:
            problem = "post_gone"
        elif not person.available:
            problem = "absent"
        elif positions.is_command(person.position):
            problem = "command"
        elif person.force == Force.LINMAS and person.desa_code != post.desa_code:
            problem = "other_desa"
        elif used[(post.id, slot)] >= post.required.get(slot, 0):
            problem = "no_place"
        line["held"] = not problem
        if problem:
            line["problem"] = problem
            continue
        assert post is not None
        line["post"] = post.id
        used[(post.id, slot)] += 1
        excluded.add(person.id)
        if person.force == Force.LINMAS:
            desa = regions[person.desa_code]
            lat, lon, sector = desa.lat, desa.lon, ""
        else:
            unit = units[person.unit_code]
            lat, lon = unit.lat, unit.lon
            sector = unit.kecamatan_code if unit.kind in SECTOR_UNIT_KINDS else ""
        assert lat is not None and lon is not None
        cost = travel_km(lat, lon, sector, post, op.road_factor, op.out_of_sector_penalty_km)
        fixed.append(Assignment(person.id, post.id, slot, cost))
    return fixed, excluded, report


@dataclass(frozen=True)
class _Flow:
    """The assignment's optimal flow, by (group, slot) arc, and what it was solved on."""

    network: _Network
    flows: np.ndarray
    kept: tuple[solvers.Stays | None, np.ndarray, np.ndarray]  # stays, their km, their flows
    scale: int


def _flow(
    scenario: Scenario,
    posts: tuple[Post, ...],
    previous: Mapping[str, tuple[str, str]] | None,
    network: _Network | None = None,
) -> _Flow:
    """The optimal flow (`_assign` without pins), on `network` where it is of these scenario and
    posts."""
    if network is None or network.scenario is not scenario or network.posts is not posts:
        network = _network(scenario, posts)
    groups, slots = network.groups, network.slots
    scale = SCALE if previous is None else REPLAN_SCALE
    arc_group, arc_slot, km = network.arcs
    cost = np.round(km * scale).astype(np.int64)
    reward = np.array([slot_weight(s.post) * UNFILLED_KM * scale for s in slots], dtype=np.int64)
    supply = np.array([len(g.persons) for g in groups], dtype=np.int64)
    capacity = np.array([s.count for s in slots], dtype=np.int64)
    stays, stay_km = None, np.zeros(0)
    if previous is not None:
        tie = int(supply.sum()) + 1  # one move costs less than any change of the objective
        stays, stay_km = _stays(groups, slots, arc_group, arc_slot, cost * tie, km, previous)
        cost = cost * tie + 1
        reward = reward * tie
    flows, stay_flows = solvers.solve(supply, capacity, reward, solvers.Arcs(arc_group, arc_slot, cost), stays)
    return _Flow(network, flows, (stays, stay_km, stay_flows), scale)


def _optimal(scenario: Scenario, posts: tuple[Post, ...], previous: Mapping[str, tuple[str, str]] | None) -> _Solution:
    flow = _flow(scenario, posts, previous)
    net = flow.network
    solution = _disaggregate(net.groups, net.slots, net.arcs, flow.flows, flow.kept, previous or {}, flow.scale)
    return replace(solution, network=net)


def _optimum(flow: _Flow) -> tuple[float, list[tuple[int, int]], float]:
    """What `_disaggregate` would sum from a flow without stays, without naming anyone as an
    Assignment: the travel (added up in the order of its assignments, so the float is the
    same), the empty places as (slot index, count), and its `max_rounding_km`."""
    groups, slots = flow.network.groups, flow.network.slots
    arc_group, arc_slot, km = flow.network.arcs
    used = np.flatnonzero(flow.flows)
    taken = Counter[int]()  # how many of each group's people earlier arcs took
    filled = Counter[int]()
    rows: list[tuple[tuple[int, int], str, int, float]] = []  # sorted as `_disaggregate` sorts
    key = _slot_keys(slots)
    for g, i, n, k in zip(
        arc_group[used].tolist(), arc_slot[used].tolist(), flow.flows[used].tolist(), km[used].tolist(), strict=True
    ):
        start = taken[g]
        rows += [(key[i], p.id, len(rows) + m, k) for m, p in enumerate(groups[g].persons[start : start + n])]
        taken[g] = start + n
        filled[i] += n
    rows.sort()
    travel = sum(row[3] for row in rows)
    unfilled = [(i, s.count - filled[i]) for i, s in enumerate(slots) if s.count > filled[i]]
    people = sum(len(g.persons) for g in groups)
    places = sum(s.count for s in slots)
    return travel, unfilled, 0.5 / flow.scale * (len(rows) + min(people, places))


def _slot_keys(slots: list[_Slot]) -> list[tuple[int, int]]:
    """Each slot's place in the order of a solution's assignments (by post, then slot)."""
    order = {s.post.id: i for i, s in enumerate(slots)}
    return [(order[s.post.id], SLOTS.index(s.slot)) for s in slots]


def _stays(
    groups: list[_Group],
    slots: list[_Slot],
    arc_group: np.ndarray,
    arc_slot: np.ndarray,
    cost: np.ndarray,
    km: np.ndarray,
    previous: Mapping[str, tuple[str, str]],
) -> tuple[solvers.Stays, np.ndarray]:
    """People who may keep the slot they held, by (group, slot), with their costs."""
    slot_index = {(s.post.id, s.slot): i for i, s in enumerate(slots)}
    rows = []
    for g, group in enumerate(groups):
        held = Counter(slot_index.get(previous[p.id]) for p in group.persons if p.id in previous)
        rows += [(g, i, count) for i, count in held.items() if i is not None]
    wanted = np.array([g * len(slots) + i for g, i, _ in rows], dtype=np.int64)
    keys = arc_group * len(slots) + arc_slot
    order = np.argsort(keys, kind="stable")
    found = np.minimum(np.searchsorted(keys[order], wanted), max(len(keys) - 1, 0))
    at = order[found] if len(keys) else np.zeros(0, np.int64)
    ok = keys[at] == wanted if len(keys) else np.zeros(len(rows), bool)  # an eligible arc still exists
    counts = np.array([n for _, _, n in rows], dtype=np.int64)
    stays = solvers.Stays(arc_group[at][ok], arc_slot[at][ok], counts[ok], cost[at][ok])
    return stays, km[at][ok]


def _disaggregate(
    groups: list[_Group],
    slots: list[_Slot],
    arcs: tuple[np.ndarray, np.ndarray, np.ndarray],
    flows: np.ndarray,
    kept: tuple[solvers.Stays | None, np.ndarray, np.ndarray],
    previous: Mapping[str, tuple[str, str]],
    scale: int,
) -> _Solution:
    """Name the people behind each flow: stayers keep their slot, the rest in id order."""
    arc_group, arc_slot, km = arcs
    stays, stay_km, stay_flows = kept
    free: dict[int, list[Person]] = {g: list(group.persons) for g, group in enumerate(groups)}
    assignments: list[Assignment] = []
    filled = Counter[int]()
    used = np.flatnonzero(flows)
    km_of = dict(
        zip(zip(arc_group[used].tolist(), arc_slot[used].tolist(), strict=True), km[used].tolist(), strict=True)
    )
    if stays is not None:
        kept_ids: set[str] = set()
        by_place: dict[int, dict[tuple[str, str], list[Person]]] = {}  # a group's people by the place they held
        for k in np.flatnonzero(stay_flows).tolist():
            g, i, n = int(stays.group[k]), int(stays.slot[k]), int(stay_flows[k])
            key = (slots[i].post.id, slots[i].slot)
            if g not in by_place:
                by_place[g] = defaultdict(list)
                for p in free[g]:
                    if p.id in previous:
                        by_place[g][previous[p.id]].append(p)
            cost = float(stay_km[k])
            for p in by_place[g][key][:n]:
                kept_ids.add(p.id)
                assignments.append(Assignment(p.id, key[0], key[1], cost))
            filled[i] += n
        for g in by_place:  # the stayers leave their group's free people, the others keep their order
            free[g] = [p for p in free[g] if p.id not in kept_ids]
    for k in used.tolist():
        g, i, n = int(arc_group[k]), int(arc_slot[k]), int(flows[k])
        slot = slots[i]
        for p in free[g][:n]:
            assignments.append(Assignment(p.id, slot.post.id, slot.slot, km_of[(g, i)]))
        del free[g][:n]
        filled[i] += n
    unfilled = tuple(
        Unfilled(s.post.id, s.slot, s.count - filled[i]) for i, s in enumerate(slots) if s.count > filled[i]
    )
    order = {s.post.id: i for i, s in enumerate(slots)}
    assignments.sort(key=lambda a: (order[a.post], SLOTS.index(a.slot), a.person))
    people = sum(len(g.persons) for g in groups)
    places = sum(s.count for s in slots)
    # Arc costs were rounded to 1/scale km: the true optimum is at most this far below ours.
    rounding = 0.5 / scale * (len(assignments) + min(people, places))
    return _Solution(tuple(assignments), unfilled, rounding)


# ---------------------------------------------------------------- reports


def _summary(
    scenario: Scenario, posts: tuple[Post, ...], solution: _Solution, placement: reserves.Placement
) -> dict[str, float]:
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


def kpu_roster(scenario: Scenario) -> bool:
    """Whether the Linmas at the TPS are the PPS decrees' (docs/scenario.md 2.10): the pattern
    says the KPU names them and the scenario gives the decrees (some Linmas has a `tps_id`)."""
    # Most people have no `tps_id`: asked first, it spares comparing the force of each.
    return linmas_mode(scenario.operation.pattern) == LINMAS_KPU and any(
        p.tps_id and p.force == Force.LINMAS for p in scenario.personnel
    )


def linmas_coordination(posts: tuple[Post, ...], unfilled: Iterable[Unfilled]) -> list[dict[str, object]]:
    """The plan file's `linmas_coordination` key: each TPS post whose PPS decrees name fewer
    Linmas than its pattern asks, for the Polres to take up with the KPU and the PPS."""
    short = {u.post: u.count for u in unfilled if u.slot == "LINMAS"}
    return [
        {
            "post": p.id,
            "desa_code": p.desa_code,
            "tps": list(p.tps),
            "needed": p.required.get("LINMAS", 0),
            "named": p.required.get("LINMAS", 0) - short[p.id],
        }
        for p in posts
        if p.id in short
    ]


def shortfall(
    scenario: Scenario, posts: tuple[Post, ...], unfilled: Iterable[Unfilled], roster: bool = False
) -> dict[str, object]:
    """Where the force is too small: unfilled places by force, kecamatan, desa and category,
    how many more of each force would cover everything, and the TPS below their pattern.
    With a KPU roster (`kpu_roster`) missing Linmas are the KPU's coordination list, not the
    Polres's shortfall, and are left out."""
    post_by_id = {p.id: p for p in posts}
    by: dict[str, Counter[str]] = {k: Counter() for k in ("force", "kecamatan", "desa", "category")}
    linmas_by_desa: Counter[str] = Counter()
    below: dict[str, dict[str, int]] = {}
    for u in unfilled:
        if roster and u.slot == "LINMAS":
            continue
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


@_without_cyclic_collection
def replan(
    scenario: Scenario,
    previous: Plan,
    absent: Iterable[str] = (),
    category_changes: Mapping[str, Category] | None = None,
    newcomers: bool = True,
) -> Plan:
    """The plan after people drop out or TPS change category: same objective first, then the
    fewest people moved; posts are kept where still valid. `newcomers=False` (a re-plan after
    the apel pergeseran): the vote's posts take only people who held one of them in `previous`
    (those the apel gathered), not anyone else the data holds ready; the other stages' duties
    still may (they start later)."""
    earlier = dict(previous.extra.get("replan", {}))
    gone = set(absent) | set(earlier.get("absent", []))
    changes = {k: Category(v) for k, v in dict(earlier.get("category_changes", {})).items()}
    changes.update(category_changes or {})
    scenario = with_replan_inputs(at_assembly(scenario), gone, changes)
    categories = {**previous.tps_categories, **changes}
    posts = _kept_posts(scenario, previous, categories, changes)
    previous_slot = {a.person: (a.post, a.slot) for a in previous.assignments}
    at_vote = scenario if newcomers else _only_on_the_vote(scenario, previous_slot.keys())
    solution = _assign(at_vote, posts, previous_slot)
    kept = sum(1 for a in solution.assignments if previous_slot.get(a.person) == (a.post, a.slot))
    moved = len(solution.assignments) - kept
    placement = _kept_reserves(at_vote, categories, posts)
    extra: dict[str, object] = {
        **{k: v for k, v in previous.extra.items() if k not in REPLAN_DROPS},
        "reserve": reserve_report(placement),
        "travel": travel_report(scenario),
        "replan": {
            "absent": sorted(gone),
            "category_changes": {k: v.value for k, v in changes.items()},
            "moved": moved,  # on a post now and not the place they held: moved or newly placed
            "kept": kept,
            "left": len(previous_slot.keys() - {a.person for a in solution.assignments}),  # off every post now
            "absent_new": sorted(set(absent) - set(earlier.get("absent", []))),  # this re-plan's own absentees
            **({} if newcomers else {"newcomers": False}),  # the vote's posts took only those who held one
        },
    }
    made = _finish(at_vote, categories, posts, solution, placement, extra)
    return _with_roster_again(scenario, made, previous, solution.network)


def _only_on_the_vote(scenario: Scenario, held: Iterable[str]) -> Scenario:
    """The scenario as the vote's posts see it after the apel: only those who held a post."""
    on = set(held)
    people = tuple(p if p.id in on or not p.available else replace(p, available=False) for p in scenario.personnel)
    return replace(scenario, personnel=people)


def _with_roster_again(scenario: Scenario, made: Plan, previous: Plan, network: _Network | None = None) -> Plan:
    """`with_roster` for a re-plan: the roster of `previous` re-planned, its waves that no
    change reaches kept without a new flow (roster.build's `before`: where each person stood at
    the vote in `previous`). Only for the same people as `previous` (a person added since
    could take an empty place there); otherwise every wave is filled again."""
    point = {p.id: (p.lat, p.lon) for p in previous.posts}
    same_people = previous.summary.get("persons") == len(scenario.personnel)
    before = {a.person: point[a.post] for a in previous.assignments if a.post in point} if same_people else None

    def joint(duties: list[Duty]) -> float | None:
        return joint_bound(scenario, made.posts, duties, network)

    built = roster.build(scenario, made, roster.of_plan(previous), joint=joint, before=before)
    return replace(made, extra={**made.extra, "roster": roster.to_json(built)})


# What a re-plan works out anew rather than carrying over from the plan it starts from
# (plan files of earlier versions carry "timings_ms"; a plan holds no clock readings now).
REPLAN_DROPS = (
    "shortfall",
    "timings_ms",
    "reserve",
    "edited_by_hand",
    "pins",  # these three `_finish` works out again, or leaves out when they no longer apply
    "linmas_coordination",
    "strength",
)


def with_replan_inputs(scenario: Scenario, absent: set[str], changes: Mapping[str, Category]) -> Scenario:
    """The scenario as a re-plan sees it: absentees unavailable, changed TPS overridden."""
    people = tuple(replace(p, available=False) if p.id in absent else p for p in scenario.personnel)
    tps = tuple(
        replace(t, category=changes[t.id], category_reason=t.category_reason or "re-plan") if t.id in changes else t
        for t in scenario.tps
    )
    return replace(scenario, personnel=people, tps=tps)


def _kept_reserves(
    scenario: Scenario, categories: Mapping[str, Category], posts: tuple[Post, ...]
) -> reserves.Placement:
    """The coverage of the reserve teams a re-plan keeps, under the new categories."""
    sites, targets, reach_km = _reserve_inputs(scenario, categories)
    kept = [p.id.removeprefix("RESERVE-").rsplit("-", 1)[0] for p in posts if p.kind == "RESERVE"]
    covered, reachable = reserves.coverage(sites, kept, targets, reach_km, travel_of(scenario))
    total = float(sum(t.weight for t in targets))
    return reserves.Placement(tuple(kept), covered, total, reachable, "kept from the previous plan")


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
                geo.haversine_km(centre.lat, centre.lon, tps_by_id[t].lat, tps_by_id[t].lon) <= radius_km(row, op)
                for t in stay
            )
            if not within:
                moved_tps += stay  # regroup them too
                continue
            places = {**post.required, "LINMAS": required(row, op, len(stay))["LINMAS"]}
            kept.append(replace(post, tps=tuple(stay), lat=centre.lat, lon=centre.lon, required=places))
    used_numbers: Counter[str] = Counter()  # new posts take numbers no earlier post had
    for post in previous.posts:
        if post.kind == "TPS":
            used_numbers[post.desa_code] = max(used_numbers[post.desa_code], int(post.id.rsplit("-", 1)[1]))
    fresh = form_posts([tps_by_id[t] for t in moved_tps], categories, rows, op, region_by_code).posts
    for post in fresh:
        if post.kind == "TPS":
            used_numbers[post.desa_code] += 1
            kept.append(replace(post, id=post_id(rows[post.category], post.desa_code, used_numbers[post.desa_code])))
    if op.village_guard_polri or op.village_guard_tni:
        kept += village_posts(list(scenario.tps), categories, op, region_by_code)
    kept += standby_posts(scenario, categories)  # their strength follows who is still available
    reserve = [p for p in previous.posts if p.kind == "RESERVE"]
    for part in polres.split(scenario).values():  # reserve teams belong to their Polres
        teams = sum(1 for p in part.personnel if p.available and p.force == Force.BRIMOB) // op.reserve_team_size
        units = {u.code for u in part.units}
        kept += [p for p in reserve if p.id.removeprefix("RESERVE-").rsplit("-", 1)[0] in units][:teams]
    return tuple(kept)


# ---------------------------------------------------------------- editing by hand


class EditError(TranslatedError, ValueError):
    """A hand edit the rules do not allow; the message says why, in the reader's language."""


class WithExtra(Protocol):
    """A plan as its file or its stored version keeps it: what `absentees` reads."""

    @property
    def extra(self) -> Mapping[str, Any]: ...


def absentees(plan: WithExtra) -> frozenset[str]:
    """Whom `plan` took as absent: the apel's absentees its re-plans recorded, carried on by
    every version edited by hand from it (a fresh `plan` takes everyone the data holds ready).
    A plan here or a stored version alike."""
    replanned = plan.extra.get("replan")
    return frozenset(replanned.get("absent", ())) if isinstance(replanned, dict) else frozenset()


def as_planned(scenario: Scenario, plan: Plan) -> Scenario:
    """The scenario as `plan` assumed it, whatever the data says now: its absentees unavailable,
    its re-plans' category changes made. Hand edits and their candidates start from it."""
    replanned = plan.extra.get("replan")
    if not isinstance(replanned, dict):
        return scenario
    changes = {str(k): Category(v) for k, v in dict(replanned.get("category_changes", {})).items()}
    return with_replan_inputs(scenario, set(absentees(plan)), changes)


def reassign(scenario: Scenario, previous: Plan, person: str, post_id: str | None, slot: str | None) -> Plan:
    """The plan with one person moved by hand to (post, slot), or made idle when `post_id` is
    None. Costs, unfilled places and the summary are worked out again; the lower bound stays
    that of the optimum for these posts, so the gap shows what the hand edit costs. Whom
    `previous` took as absent (`as_planned`) stays off every post."""
    scenario = as_planned(scenario, previous)
    people = {p.id: p for p in scenario.personnel}
    who = people.get(person)
    if who is None:
        raise EditError(gettext_noop("personel %(person)s tidak ada"), person=person)
    kept = [a for a in previous.assignments if a.person != person]
    if post_id is not None:
        post = next((p for p in previous.posts if p.id == post_id), None)
        if post is None:
            raise EditError(gettext_noop("pos %(post)s tidak ada"), post=post_id)
        if slot is None or slot not in post.required or SLOT_OF_FORCE.get(who.force) != slot:
            raise EditError(
                gettext_noop("%(force)s tidak dapat mengisi slot %(slot)s"), force=who.force.value, slot=slot
            )
        if slot == "LINMAS" and who.desa_code != post.desa_code:
            raise EditError(gettext_noop("Linmas hanya bertugas di desanya sendiri"))
        if slot == "LINMAS" and kpu_roster(scenario) and who.tps_id not in post.tps:
            raise EditError(gettext_noop("Linmas hanya bertugas di TPS yang ditetapkan SK PPS"))
        if person in absentees(previous):
            raise EditError(gettext_noop("%(person)s tidak hadir di apel (berhalangan pada versi ini)"), person=person)
        if not who.available:
            raise EditError(gettext_noop("%(person)s tidak siap"), person=person)
        if positions.is_command(who.position):
            raise EditError(
                gettext_noop("%(person)s (%(position)s) adalah komando/staf operasi, bukan penjaga pos"),
                person=person,
                position=who.position,
            )
        if sum(1 for a in kept if a.post == post_id and a.slot == slot) >= post.required[slot]:
            raise EditError(gettext_noop("slot %(slot)s di %(post)s sudah penuh"), slot=slot, post=post_id)
        group = _groups(replace(at_assembly(scenario), personnel=(who,)))[0]
        cost = travel_km(
            group.lat,
            group.lon,
            group.sector,
            post,
            scenario.operation.road_factor,
            scenario.operation.out_of_sector_penalty_km,
        )
        kept.append(Assignment(person, post_id, slot, cost))
    filled = Counter((a.post, a.slot) for a in kept)
    unfilled = tuple(
        Unfilled(p.id, s, p.required[s] - filled[(p.id, s)])
        for p in previous.posts
        for s in SLOTS
        if p.required.get(s, 0) > filled[(p.id, s)]
    )
    order = {p.id: i for i, p in enumerate(previous.posts)}
    kept.sort(key=lambda a: (order[a.post], SLOTS.index(a.slot), a.person))
    weight = {p.id: slot_weight(p) for p in previous.posts}
    cost_km = round(sum(a.cost_km for a in kept), 6)
    objective = round(sum(weight[u.post] * UNFILLED_KM * u.count for u in unfilled) + cost_km, 6)
    summary = {
        **previous.summary,
        "assigned": len(kept),
        "idle": len(scenario.personnel) - len(kept),
        "unfilled": sum(u.count for u in unfilled),
        "cost_km": cost_km,
        "objective": objective,
    }
    missing = shortfall(scenario, previous.posts, unfilled, kpu_roster(scenario))
    extra = {**previous.extra, "shortfall": missing, "edited_by_hand": True}
    if kpu_roster(scenario):
        extra["linmas_coordination"] = linmas_coordination(previous.posts, unfilled)
    edited = replace(previous, assignments=tuple(kept), unfilled=unfilled, summary=summary, extra=extra)
    return with_roster(at_assembly(scenario), edited, roster.of_plan(previous))


def candidates(
    scenario: Scenario, previous: Plan, wanted: Iterable[tuple[str, str]], limit: int = 5
) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """Who could fill each empty (post id, slot) of `previous` through `reassign` without
    leaving another post: available people of the slot's force who hold no post in it, not
    command or staff, a Linmas only in their own desa (and at the TPS the PPS decree names,
    where it names them), nobody `previous` took as absent (`as_planned`), as (person id,
    travel km) nearest first, at most `limit` each. Unknown posts give an empty list."""
    posts = {p.id: p for p in previous.posts}
    busy = {a.person for a in previous.assignments}
    decree = kpu_roster(scenario)
    op = scenario.operation
    groups = _groups(at_assembly(as_planned(scenario, previous)))
    found: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for where, slot in wanted:
        post = posts.get(where)
        rows: list[tuple[str, float]] = []
        for group in groups if post is not None and slot in post.required else []:
            assert post is not None
            if SLOT_OF_FORCE.get(group.force) != slot or (slot == "LINMAS" and group.origin != post.desa_code):
                continue
            km = travel_km(group.lat, group.lon, group.sector, post, op.road_factor, op.out_of_sector_penalty_km)
            rows += [
                (p.id, km)
                for p in group.persons
                if p.id not in busy and not (slot == "LINMAS" and decree and p.tps_id not in post.tps)
            ]
        found[(where, slot)] = sorted(rows, key=lambda row: (row[1], row[0]))[:limit]
    return found
