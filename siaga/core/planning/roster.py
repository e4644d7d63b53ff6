"""The roster: every person's duties across the operation's stages (docs/scenario.md 2.13).

The vote's posts are the plan's, filled by its optimal assignment (plan.py); they are held from
the apel pergeseran to the end of the count. The other stages' duties (data/duties.py) are
filled in waves, in order of time. A wave is a run of duties that pairwise conflict (each
starts before every other has ended plus the rest between duties), so nobody can hold two of
them; within a wave the assignment is an exact min-cost flow, as for the vote, over the people
still free for each duty:

- no two duties of one person overlap;
- between two duties the gap holds the travel from one place to the other and then the rest
  (`min_rest_hours`);
- a duty longer than `max_duty_hours` is held only by standing guards (the TPS);
- a person's duty hours over the operation stay within `max_total_hours`;
- a Linmas serves in his own desa, or at his kecamatan's PPK.

Across waves the result is not proven optimal: the lower bound is the sum, over the vote and
each wave alone, of the optimum with every person free (a relaxation of the whole), and the
gap between the roster's objective and that bound is reported (`gap`). A re-plan keeps every
duty's people where they still may serve: among each wave's optimal assignments, the fewest
moved; a wave that no absence or move reaches keeps its people without a new flow
(`_Unchanged`), which is most of them after a few absences (issue 18).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from siaga.core.data import duties as duty_data
from siaga.core.data import geo, pins, positions
from siaga.core.data import stages as stage_data
from siaga.core.data import travel as travel_io
from siaga.core.data.labels import FORCE, word
from siaga.core.data.model import (
    SECTOR_UNIT_KINDS,
    Assignment,
    Duty,
    Force,
    Person,
    Plan,
    Scenario,
    Unfilled,
)
from siaga.core.data.text import _
from siaga.core.planning import solvers
from siaga.core.planning.posts import REPLAN_SCALE, SCALE, SLOT_OF_FORCE, SLOTS, UNFILLED_KM

EPS = 1e-9


@dataclass(frozen=True)
class Roster:
    """The stages' duties beyond the vote, who holds them and what stays empty; the vote's
    posts are the plan's (`vote_duties`). Objective and bound in km, as the plan's."""

    vote_start: dt.datetime
    vote_end: dt.datetime
    vote_stage: str
    duties: tuple[Duty, ...]
    assignments: tuple[Assignment, ...]  # post = the duty's id
    unfilled: tuple[Unfilled, ...]
    objective: float
    lower_bound: float
    waves: int
    settings: Mapping[str, float]
    moved: int = 0
    kept: int = 0

    @property
    def gap(self) -> float:
        return max(0.0, self.objective - self.lower_bound)


@dataclass
class _Person:
    person: Person
    slot: str
    origin: str
    lat: float
    lon: float
    sector: str
    kecamatan: str  # a Linmas's kecamatan
    intervals: list[tuple[float, float, float, float]]  # start and end (POSIX seconds), lat, lon
    hours: float
    state: int = 0  # equal for people of one slot and origin with the same duties (`_States`)
    at: int = 0  # his place among the roster's people (`_States.start`)


class _States:
    """Numbers for what decides a person's place in a wave (`_Wave.key`): his slot, origin and
    duties so far, in order (his hours follow from them). People alike in these share a number,
    so a wave works out each key once, and for all numbers at once as arrays (`_Wave.groups`):
    each number's first state (its slot and origin), its duties as numbers of their intervals,
    and its hours; and each person's number, by his place (`start`)."""

    def __init__(self, eager: bool = True) -> None:
        """`eager`: each `_Person`'s state, intervals and hours kept up to date too (a re-plan
        reads them, `_Unchanged`); else only the arrays by person and by state record duties."""
        self.eager = eager
        self.ids: dict[tuple[Any, ...], int] = {}
        self.spans: dict[int, tuple[tuple[float, float, float, float], float]] = {}  # id(duty) -> interval, hours
        self.places: dict[tuple[float, float, float, float], int] = {}  # interval -> its number
        self.windows: dict[tuple[float, float], int] = {}  # (start, end) -> its number
        self.window_of: list[int] = []  # an interval's number -> its window's
        self.place_at: list[tuple[float, float, float, float]] = []  # an interval's number -> the interval
        self._window_at: tuple[np.ndarray, np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0), np.zeros(0, np.int64))
        self.parent: list[int] = []  # state -> the state before its last duty (-1 for none)
        self.last: list[int] = []  # state -> the number of its last duty's interval (-1 for none)
        self.depths: list[int] = []  # state -> how many duties
        self.roots: list[int] = []  # state -> the state of its slot and origin
        # The same as arrays (`arrays`), and each state's intervals' numbers in order (-1 after).
        self.root = np.zeros(0, np.int64)
        self.depth = np.zeros(0, np.int64)
        self.seq = np.full((0, 4), -1, np.int64)
        self._done = 0  # the states the arrays hold
        self.hours = np.zeros(0)  # state -> the hours of whoever holds it
        self.people: list[_Person] = []
        self.person_ids: list[str] = []  # a person's place -> his id
        self.state_of = np.zeros(0, np.int64)  # a person's place -> his state
        self.id_rank = np.zeros(0, np.int64)  # a person's place -> his place in order of id
        self.by_slot: dict[str, np.ndarray] = {}  # slot -> the places of its people, in order
        self.linmas = np.zeros(0, dtype=bool)  # a person's place -> whether a Linmas
        self.home_of = np.zeros(0, np.int64)  # a Linmas's place -> the number of his desa and kecamatan
        self.home_at: list[tuple[str, str]] = []  # that number -> his desa and kecamatan

    def start(self, people: Iterable[_Person]) -> None:
        """Number the people (`_Person.at`, in the order given) and give each his first state."""
        self.people = list(people)
        for at, p in enumerate(self.people):
            p.at = at
            p.state = self.first(p)
        self.state_of = np.array([p.state for p in self.people], dtype=np.int64)
        ids = self.person_ids = [p.person.id for p in self.people]
        self.id_rank = np.empty(len(ids), dtype=np.int64)
        self.id_rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
        slots: dict[str, list[int]] = defaultdict(list)
        for p in self.people:
            slots[p.slot].append(p.at)
        self.by_slot = {s: np.array(at, dtype=np.int64) for s, at in slots.items()}
        self.linmas = np.array([p.slot == "LINMAS" for p in self.people], dtype=bool)
        homes: dict[tuple[str, str], int] = {}
        self.home_of = np.array(
            [homes.setdefault((p.origin, p.kecamatan), len(homes)) if p.slot == "LINMAS" else -1 for p in self.people],
            dtype=np.int64,
        )
        self.home_at = list(homes)

    def first(self, p: _Person) -> int:
        """The number of `p`'s slot and origin, before any duty."""
        found = self.ids.get((p.slot, p.origin))
        return self._new((p.slot, p.origin), -1, -1) if found is None else found

    def after(self, state: int, interval: tuple[float, float, float, float]) -> int:
        """The number of a state and then one more duty."""
        found = self.ids.get((state, interval))
        return self._new((state, interval), state, self._place(interval)) if found is None else found

    def _place(self, interval: tuple[float, float, float, float]) -> int:
        found = self.places.get(interval)
        if found is None:
            found = self.places[interval] = len(self.places)
            self.place_at.append(interval)
            self.window_of.append(self.windows.setdefault(interval[:2], len(self.windows)))
        return found

    def window_at(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each window's start and end (by its number), and each interval's window."""
        ts, te, window = self._window_at
        if len(ts) != len(self.windows) or len(window) != len(self.window_of):
            ts = np.array([w[0] for w in self.windows], dtype=float)
            te = np.array([w[1] for w in self.windows], dtype=float)
            self._window_at = ts, te, np.array(self.window_of, dtype=np.int64)
        return self._window_at

    def _new(self, key: tuple[Any, ...], parent: int, place: int) -> int:
        n = self.ids[key] = len(self.ids)
        self.parent.append(parent)
        self.last.append(place)
        self.depths.append(0 if parent < 0 else self.depths[parent] + 1)
        self.roots.append(n if parent < 0 else self.roots[parent])
        return n

    def _room(self) -> None:
        """Room in the arrays by state for every state numbered (twice as many when short)."""
        if len(self.ids) > len(self.root):
            more = max(64, len(self.ids))
            self.root = np.r_[self.root, np.zeros(more, np.int64)]
            self.depth = np.r_[self.depth, np.zeros(more, np.int64)]
            self.seq = np.r_[self.seq, np.full((more, self.seq.shape[1]), -1, np.int64)]
            self.hours = np.r_[self.hours, np.zeros(more)]

    def arrays(self) -> None:
        """`root`, `depth` and `seq` catch up with the states numbered since, a duty at a time."""
        done, n = self._done, len(self.ids)
        if done == n:
            return
        self._room()
        new = np.arange(done, n)
        parent = np.array(self.parent[done:n], dtype=np.int64)
        last = np.array(self.last[done:n], dtype=np.int64)
        depth = np.array(self.depths[done:n], dtype=np.int64)
        self.root[done:n] = self.roots[done:n]
        self.depth[done:n] = depth
        deepest = int(depth.max())
        if deepest > self.seq.shape[1]:
            self.seq = np.c_[self.seq, np.full((len(self.seq), deepest), -1, np.int64)]
        for d in range(1, deepest + 1):  # a state's parent is one duty shorter: done before it
            at = depth == d
            self.seq[new[at]] = self.seq[parent[at]]
            self.seq[new[at], d - 1] = last[at]
        self._done = n

    def _span(self, duty: Duty) -> tuple[tuple[float, float, float, float], float]:
        span = self.spans.get(id(duty))
        if span is None:
            span = self.spans[id(duty)] = (_interval(duty), duty.hours)
        return span

    def hold(self, p: _Person, duty: Duty) -> None:
        """`p` takes `duty`; `note` him after."""
        span = self._span(duty)
        p.intervals.append(span[0])
        p.hours += span[1]
        p.state = self.after(p.state, span[0])

    def hold_many(self, at: np.ndarray, which: np.ndarray, duties: list[Duty]) -> None:
        """The people at places `at` take `duties[which]`, one each, in this order (each person
        at most once): states numbered as `hold` would number them in turn, the arrays by
        person and by state caught up together, and each `_Person` too when `eager`."""
        if not len(at):
            return
        old = self.state_of[at]
        _, first, pair = np.unique(old * len(duties) + which, return_index=True, return_inverse=True)
        order = np.argsort(first)  # each (state, duty) in order of its first holder
        olds = old[first[order]].tolist()
        span_of = {w: self._span(duties[w]) for w in np.unique(which).tolist()}
        spans = [span_of[w] for w in which[first[order]].tolist()]
        new = np.empty(len(first), dtype=np.int64)
        new[order] = [self.after(s, span[0]) for s, span in zip(olds, spans, strict=True)]
        self._room()
        # as `note`: a person's hours plus the duty's, each state's once (equal for its people)
        self.hours[new[order]] = self.hours[olds] + np.array([span[1] for span in spans])
        state = new[pair.reshape(-1)]
        self.state_of[at] = state
        if self.eager:
            step = np.empty(len(first), dtype=np.int64)
            step[order] = np.arange(len(first))
            for a, s, k in zip(at.tolist(), state.tolist(), step[pair.reshape(-1)].tolist(), strict=True):
                p = self.people[a]
                p.intervals.append(spans[k][0])
                p.hours += spans[k][1]
                p.state = s

    def note(self, people: list[_Person]) -> None:
        """The arrays by person and by state catch up with `people`'s duties (`hold`)."""
        if people:
            self._room()
            state = [p.state for p in people]
            self.state_of[[p.at for p in people]] = state
            self.hours[state] = [p.hours for p in people]


def _interval(d: Duty) -> tuple[float, float, float, float]:
    return (d.start.timestamp(), d.end.timestamp(), d.lat, d.lon)


def settings_of(scenario: Scenario) -> dict[str, float]:
    op = scenario.operation
    return {
        "shift_hours": op.shift_hours,
        "min_rest_hours": op.min_rest_hours,
        "max_duty_hours": op.max_duty_hours,
        "max_total_hours": op.max_total_hours,
    }


def build(
    scenario: Scenario,
    plan: Plan,
    previous: Roster | None = None,
    rules: Iterable[duty_data.Rule] | None = None,
    joint: Callable[[list[Duty]], float | None] | None = None,
    before: Mapping[str, tuple[float, float]] | None = None,
) -> Roster:
    """The roster of `plan` (its vote assignment fixed); with `previous`, the fewest moved.
    `joint(duties)`: a lower bound on the vote and `duties` together (plan.joint_bound), used
    for the wave that conflicts with the vote for everyone and is the least filled.
    `before` (with `previous`, a re-plan): where each person stood at the vote in the plan
    `previous` belongs to (the post's point); a wave whose people could not be placed better
    than before keeps them without a new flow (`_Unchanged`)."""
    op = scenario.operation
    start, end = duty_data.vote_window(scenario)
    vote = duty_data.vote_duties(scenario, plan.posts)
    stage_name = vote[0].stage if vote else ""
    people = _people(scenario)
    states = _States(eager=previous is not None)
    states.start(people.values())
    post_at = {d.id: i for i, d in enumerate(vote)}
    holding = [
        (people[a.person].at, post_at[a.post]) for a in plan.assignments if a.person in people and a.post in post_at
    ]
    at = np.array([a for a, _ in holding], dtype=np.int64)
    which = np.array([i for _, i in holding], dtype=np.int64)
    if len(np.unique(at)) == len(at):
        states.hold_many(at, which, vote)
    else:  # someone on two posts: his second after his first
        for r in range(len(at)):
            states.hold_many(at[r : r + 1], which[r : r + 1], vote)
    others = duty_data.stage_duties(scenario, rules)
    held: dict[tuple[str, str], str] = {}
    if previous is not None:
        held = {(a.person, a.post): a.slot for a in previous.assignments}
    held_at: dict[str, list[tuple[str, str]]] = defaultdict(list)  # duty -> the (person, slot) it had
    for (person, duty), slot in held.items():
        held_at[duty].append((person, slot))
    scale = SCALE if previous is None else REPLAN_SCALE
    assignments: list[Assignment] = []
    unfilled: list[Unfilled] = []
    objective = float(plan.summary.get("objective", 0.0))
    bound = float(plan.summary.get("lower_bound", objective))
    waves = _waves(others, op.min_rest_hours)
    horizon = _horizon(scenario, others, people)
    relaxed, short = [], []
    origins = _origins(people)
    same: _Unchanged | None = None
    if previous is not None and before is not None and previous.duties == tuple(others):
        same = _Unchanged(people, before, (start, end), held_at, states)
    relaxed_of: dict[tuple[Any, ...], float] = {}  # waves alike in place, hours and places, in order
    shared: dict[Any, Any] = {}
    for wave in waves:
        arrays = _Wave(wave, scenario, horizon, shared)
        if same is not None and same.clean(arrays, people):
            got, empty, cost = same.keep(arrays, people, states)
        else:
            got, empty, cost = _fill(arrays, people, held_at, scale, states)
        if same is not None:
            same.advance(arrays, got)
        assignments += got
        unfilled += empty
        objective += cost
        alike = _alike(wave)
        if alike not in relaxed_of:
            relaxed_of[alike] = _relaxed(arrays, origins)
        relaxed.append(relaxed_of[alike])
        short.append(Counter({u.post: u.count for u in empty}))
    bound += sum(relaxed)
    if joint is not None:
        near = _VoteNear(plan, start, end, scenario)
        base = bound  # each set's bound replaces parts of this one: never of another set's
        for chosen in _with_the_vote(waves, short, near, op.min_rest_hours):
            spent = _spent_on(chosen, assignments, unfilled)
            bound = max(
                bound,
                _joint_bound(waves, relaxed, chosen, base, plan, origins, scenario, joint, (bound, spent), shared),
            )
    kept = sum(1 for a in assignments if held.get((a.person, a.post)) == a.slot)
    return Roster(
        start,
        end,
        stage_name,
        tuple(others),
        tuple(assignments),
        tuple(unfilled),
        round(objective, 6),
        round(min(bound, objective), 6),
        len(waves),
        settings_of(scenario),
        moved=len(assignments) - kept if previous is not None else 0,
        kept=kept if previous is not None else 0,
    )


def _with_the_vote(
    waves: list[list[Duty]], empty: list[Counter[str]], near: _VoteNear, rest_hours: float
) -> list[list[Duty]]:
    """Sets of duties to take together with the vote's posts: each duty conflicts with the vote
    for everyone and with every other one of its set (so nobody holds two of them, or one and a
    post). Two sets are tried: the conflicting duties of the wave that leaves most of their
    places empty, and a set taken greedily across waves, most empty places first. None when no
    such place is empty."""
    rest = dt.timedelta(hours=rest_hours)
    subs = [near.conflicting(wave) for wave in waves]
    short = [sum(empty[i].get(d.id, 0) for d in sub) for i, sub in enumerate(subs)]
    if not any(short):
        return []
    best = subs[max(range(len(subs)), key=lambda i: (short[i], -i))]
    candidates = sorted((-empty[i].get(d.id, 0), d.start, d.id, d) for i, sub in enumerate(subs) for d in sub)
    greedy: list[Duty] = []
    for *_key, d in candidates:
        if all(d.start < c.end + rest and c.start < d.end + rest for c in greedy):
            greedy.append(d)
    return [best] if [d.id for d in greedy] == [d.id for d in best] else [best, greedy]


class _VoteNear:
    """Which duties nobody on a post of the vote can also hold: a duty that starts before the
    vote ends plus the rest and the road from the nearest post, or ends after the vote starts
    less the same."""

    def __init__(self, plan: Plan, start: dt.datetime, end: dt.datetime, scenario: Scenario) -> None:
        self.start, self.end, self.op = start, end, scenario.operation
        self.lat = np.array([p.lat for p in plan.posts], dtype=float)
        self.lon = np.array([p.lon for p in plan.posts], dtype=float)
        self._gap: dict[tuple[float, float], dt.timedelta] = {}  # by a duty's place

    def conflicting(self, wave: list[Duty]) -> list[Duty]:
        if not len(self.lat) or not wave:
            return []
        new = list(dict.fromkeys((d.lat, d.lon) for d in wave if (d.lat, d.lon) not in self._gap))
        if new:  # places no earlier wave had (a place's km do not depend on the others with it)
            lat = np.array([la for la, _ in new], dtype=float)
            lon = np.array([lo for _, lo in new], dtype=float)
            km = geo.nearest_km(lat, lon, self.lat, self.lon) * self.op.road_factor
            for place, k in zip(new, km.tolist(), strict=True):
                self._gap[place] = dt.timedelta(hours=self.op.min_rest_hours + k / self.op.speed_kmh)
        gap = [self._gap[(d.lat, d.lon)] for d in wave]
        return [d for d, g in zip(wave, gap, strict=True) if d.start < self.end + g and d.end + g > self.start]


def _joint_bound(
    waves: list[list[Duty]],
    relaxed: list[float],
    chosen: list[Duty],
    bound: float,
    plan: Plan,
    origins: list[tuple[str, _Person, int]],
    scenario: Scenario,
    joint: Callable[[list[Duty]], float | None],
    beat: tuple[float, float] = (-np.inf, 0.0),
    shared: dict[Any, Any] | None = None,
) -> float:
    """The bound with the vote and the `chosen` duties taken together (`joint`, one flow:
    nobody holds two of them) instead of apart; the other duties of their waves, and the Linmas
    places of chosen kecamatan duties, keep their own relaxation. Each part bounds what any
    roster spends on it, so the sum is a bound. `origins`: the people by slot and origin
    (`_origins`); `shared`: as `_Wave`'s.

    `beat` = (a bound found already, what the plan and its roster spend on `chosen` as
    `_spent_on` counts it): the vote's posts and these duties as the plan fills them are one
    way through `joint`'s flow, so its optimum is no more than the plan's objective plus that;
    when even so this bound could not exceed the one found, it is not worked out and `bound`
    is returned (a set's bound only counts where it is the higher)."""
    ids = {d.id for d in chosen}
    touched = [i for i, wave in enumerate(waves) if any(d.id in ids for d in wave)]
    alone = 0.0
    for i in touched:
        rest = [d for d in waves[i] if d.id not in ids]
        rest += [
            replace(d, required={"LINMAS": d.required["LINMAS"]})
            for d in waves[i]
            if d.id in ids and d.required.get("LINMAS") and not d.desa_code
        ]
        alone += _relaxed(_Wave(rest, scenario, shared=shared), origins) if rest else 0.0
    vote = float(plan.summary.get("lower_bound", 0.0))
    found, spent = beat
    ceiling = float(plan.summary.get("objective", np.inf)) + spent
    if bound - vote - sum(relaxed[i] for i in touched) + ceiling + alone < found - JOINT_MARGIN_KM:
        return bound
    together = joint(chosen)
    if together is None:
        return bound
    return bound - vote - sum(relaxed[i] for i in touched) + together + alone  # in this order: the sum is rounded


# How far below a bound found already a joint bound's ceiling must be to leave it unworked:
# far above the float error of sums of this size, far below a metre.
JOINT_MARGIN_KM = 1e-3


def _spent_on(chosen: list[Duty], assignments: list[Assignment], unfilled: list[Unfilled]) -> float:
    """What the roster spends on the `chosen` duties as `joint` counts them (plan.joint_bound):
    travel, and each empty place at one weight, without the Linmas places of kecamatan duties."""
    counted = {d.id: bool(d.desa_code) for d in chosen}

    def counts(post: str, slot: str) -> bool:
        return post in counted and (slot != "LINMAS" or counted[post])

    travel = sum(a.cost_km for a in assignments if counts(a.post, a.slot))
    return travel + UNFILLED_KM * sum(u.count for u in unfilled if counts(u.post, u.slot))


def _people(scenario: Scenario) -> dict[str, _Person]:
    """Who may hold a duty: available, of a force with a slot, not a command position, not held
    off every post by a pin."""
    units = scenario.unit_by_code()
    regions = scenario.region_by_code()
    out: dict[str, _Person] = {}
    for p in scenario.personnel:
        if not p.available or p.force not in SLOT_OF_FORCE or positions.is_command(p.position):
            continue
        pin = pins.parse(p.pinned_post)
        if pin is not None and pin.kind != pins.POST:
            continue
        if p.force == Force.LINMAS:
            desa = regions.get(p.desa_code)
            if desa is None or desa.lat is None or desa.lon is None:
                continue
            out[p.id] = _Person(p, "LINMAS", p.desa_code, desa.lat, desa.lon, "", desa.parent_code, [], 0.0)
            continue
        unit = units.get(p.unit_code)
        if unit is None or unit.lat is None or unit.lon is None:
            continue
        sector = unit.kecamatan_code if unit.kind in SECTOR_UNIT_KINDS else ""
        out[p.id] = _Person(p, SLOT_OF_FORCE[p.force], p.unit_code, unit.lat, unit.lon, sector, "", [], 0.0)
    return out


def _waves(duties: list[Duty], rest_hours: float) -> list[list[Duty]]:
    """Duties (in order of start) cut into runs that pairwise conflict."""
    rest = dt.timedelta(hours=rest_hours)
    waves: list[list[Duty]] = []
    bound: dt.datetime | None = None
    for d in duties:
        if waves and bound is not None and d.start < bound:
            waves[-1].append(d)
            bound = min(bound, d.end + rest)
        else:
            waves.append([d])
            bound = d.end + rest
    return waves


def _horizon(scenario: Scenario, duties: list[Duty], people: Mapping[str, _Person]) -> float:
    """The longest travel, in hours, between any two points of the roster."""
    lats = [d.lat for d in duties] + [p.lat for p in people.values()]
    lons = [d.lon for d in duties] + [p.lon for p in people.values()]
    if not lats:
        return 0.0
    km = geo.road_km(min(lats), min(lons), max(lats), max(lons), scenario.operation.road_factor)
    road = max((t.minutes / 60 for t in scenario.travel_times), default=0.0)  # a road may take longer
    return max(km / scenario.operation.speed_kmh, road) + 1.0


@dataclass(frozen=True)
class _Groups:
    """A wave's people by key and the place they held (`_Wave.groups`), in order of their first
    person: each group's first person's place (`first`), the number of the place it held
    (`stay`, 0 for none) and its size; `members`: the people's places, group after group, each
    group's in order of id, group g's from `offset[g]`; `near`: the duties of its key's near, a
    row each, as `_Wave.codes` numbers them (-1 after them)."""

    first: np.ndarray
    stay: np.ndarray
    size: np.ndarray
    members: np.ndarray
    offset: np.ndarray
    near: np.ndarray


class _Wave:
    """A wave's duties as arrays, and who may hold which of them."""

    def __init__(
        self, duties: list[Duty], scenario: Scenario, horizon: float = 0.0, shared: dict[Any, Any] | None = None
    ) -> None:
        """`shared`: what waves at the same places may share (travel and km from each origin),
        kept across the waves of one roster."""
        op = scenario.operation
        self.duties = duties
        self.op = op
        self.index = {d.id: i for i, d in enumerate(duties)}
        self.lat = np.array([d.lat for d in duties])
        self.lon = np.array([d.lon for d in duties])
        self.start = np.array([d.start.timestamp() for d in duties])
        self.end = np.array([d.end.timestamp() for d in duties])
        self.first, self.last = float(self.start.min()), float(self.end.max())
        self.hours = np.array([d.hours for d in duties])
        self.kec = np.array([d.kecamatan_code for d in duties], dtype=object)
        self.desa = np.array([d.desa_code for d in duties], dtype=object)
        self.long_ok = np.array([d.standing or d.hours <= op.max_duty_hours + EPS for d in duties])
        self.slots = [(i, s, d.required[s]) for i, d in enumerate(duties) for s in SLOTS if d.required.get(s, 0) > 0]
        self.slot_at = {(i, s): k for k, (i, s, _) in enumerate(self.slots)}
        self.needs = {s for _, s, _ in self.slots}
        self.slot_of = {}  # slot -> for each duty, the index of its place for that slot, or -1
        for slot in self.needs:
            self.slot_of[slot] = np.array([self.slot_at.get((i, slot), -1) for i in range(len(duties))], dtype=np.int64)
        self.rest = op.min_rest_hours * 3600
        self.reach = self.rest + horizon * 3600
        shared = {} if shared is None else shared
        if "road" not in shared:
            shared["road"] = travel_io.measure(scenario)
        self.road = shared["road"]
        at = (self.lat.tobytes(), self.lon.tobytes())
        self._travel: dict[tuple[float, float], np.ndarray] = shared.setdefault(("travel", at), {})
        self._decided: dict[tuple[float, float], bool] = {}
        places = (*at, tuple(self.kec))
        # cost_km by origin and sector; where a Linmas may serve, by desa
        self._km: dict[tuple[float, float, str], np.ndarray] = shared.setdefault(("km", places), {})
        linmas = ("linmas", places, self.long_ok.tobytes(), tuple(self.desa))
        self._linmas: dict[tuple[str, str], np.ndarray] = shared.setdefault(linmas, {})
        self._home_index: dict[tuple[str, str], np.ndarray] | None = None  # `_home_at`'s, once asked

    def key(self, p: _Person) -> tuple[Any, ...]:
        """What decides a person's place in this wave: his slot, origin and hours, and his
        duties near it in time, with their place only where the travel could decide."""
        near = []
        for ts, te, la, lo in p.intervals:
            if te + self.reach <= self.first or self.last + self.reach <= ts:
                continue  # far enough in time: no duty of the wave conflicts with it
            decided = self._decided.get((ts, te))
            if decided is None:
                gap = np.where(self.start >= te, self.start - te, np.where(self.end <= ts, ts - self.end, -1.0))
                decided = not ((gap >= self.rest) & (gap < self.reach)).any()
                self._decided[(ts, te)] = decided
            near.append((ts, te, None, None) if decided else (ts, te, la, lo))
        return (p.slot, p.origin, tuple(near), round(p.hours, 6))

    def groups(self, states: _States, stay_at: np.ndarray) -> _Groups:
        """The people of the wave's slots by `key` and the place they held (`stay_at`: a
        person's place -> the number of his, 0 for none), as arrays (`_Groups`); each state's
        key worked out once, all of them together."""
        found = [states.by_slot[s] for s in self.needs if s in states.by_slot]
        at = np.concatenate(found) if found else np.zeros(0, np.int64)
        if not len(at):
            none = np.zeros(0, np.int64)
            return _Groups(none, none, none, none, np.zeros(1, np.int64), np.zeros((0, 0), np.int64))
        state, person_state = np.unique(states.state_of[at], return_inverse=True)
        stay = stay_at[at]
        person_state = person_state.reshape(-1)
        key, near = self._keys(states, state)
        code = key[person_state] * (int(stay.max()) + 1) + stay
        _, first, group = np.unique(code, return_index=True, return_inverse=True)
        order = np.argsort(at[first])  # groups in order of their first person (a slot's, the least place)
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        group = rank[group.reshape(-1)]
        members = at[np.lexsort((states.id_rank[at], group))]
        size = np.bincount(group, minlength=len(order)).astype(np.int64)
        first_at = at[first[order]]
        offset = np.r_[0, np.cumsum(size)].astype(np.int64)
        return _Groups(first_at, stay_at[first_at], size, members, offset, near[person_state[first[order]]])

    def _keys(self, states: _States, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of `state` (numbers of `states`), the number of its `key` among theirs
        (equal keys, equal numbers), and its key's near as `codes` numbers them."""
        codes = self.codes(states)
        states.arrays()
        depth = int(states.depth[state].max())
        rows = codes[states.seq[state, :depth]]  # the place -1 after a state's duties reads -1
        rows = np.take_along_axis(rows, np.argsort(rows < 0, axis=1, kind="stable"), axis=1)  # the near, in order
        hours, which = np.unique(states.hours[state], return_inverse=True)
        rounded: dict[float, int] = {}
        hours_no = np.array([rounded.setdefault(round(h, 6), len(rounded)) for h in hours.tolist()], dtype=np.int64)
        table = np.column_stack([states.root[state], hours_no[which.reshape(-1)], rows])
        order = np.lexsort(table.T[::-1])
        ranked = table[order]
        number = np.empty(len(order), dtype=np.int64)
        number[order] = np.cumsum(np.r_[True, (ranked[1:] != ranked[:-1]).any(axis=1)]) - 1
        return number, rows

    def codes(self, states: _States) -> np.ndarray:
        """What `key` keeps of each interval `states` numbers, as a number: -1 where far in
        time, its window's (`states.window_at`) where the travel cannot decide, else the number
        of windows plus its own; and -1 at the end."""
        ts, te, window = states.window_at()
        far = (te + self.reach <= self.first) | (self.last + self.reach <= ts)
        ts_, te_ = ts[:, None], te[:, None]
        gap = np.where(self.start >= te_, self.start - te_, np.where(self.end <= ts_, ts_ - self.end, -1.0))
        decided = np.logical_not(((gap >= self.rest) & (gap < self.reach)).any(axis=1))
        code = np.where(far[window], -1, np.where(decided[window], window, len(ts) + np.arange(len(window))))
        return np.r_[code, -1].astype(np.int64)

    def travel_s(self, lat: float, lon: float) -> np.ndarray:
        """Seconds of road from a point to each duty of the wave."""
        found = self._travel.get((lat, lon))
        if found is None:
            found = self.road.hours_from(lat, lon, self.lat, self.lon) * 3600  # by road where given
            self._travel[(lat, lon)] = found
        return found

    def fits(self, p: _Person, near: tuple[Any, ...] | None) -> np.ndarray:
        """Which of the wave's duties `p` may hold, given his duties `near` in time (his key's:
        a place of None where the travel cannot decide); None: ignoring his other duties and
        hours, for the relaxation."""
        ok = self._home(p).copy()
        if near is None:
            return ok
        ok &= p.hours + self.hours <= self.op.max_total_hours + EPS
        for ts, te, la, lo in near:
            gap = self.rest + (0.0 if la is None else self.travel_s(la, lo))
            ok &= (te + gap <= self.start + EPS) | (self.end + gap <= ts + EPS)
        return ok

    def cost_km(self, p: _Person) -> np.ndarray:
        return self.costs([p])[0]

    def costs(self, reps: list[_Person]) -> np.ndarray:
        """The km from each of `reps` to each duty, as rows of a matrix; each origin's worked
        out once, the new ones together (element by element as one at a time would)."""
        keys = [(p.lat, p.lon, p.sector) for p in reps]
        new = list(dict.fromkeys(k for k in keys if k not in self._km))
        if new:
            lat = np.array([k[0] for k in new])[:, None]
            lon = np.array([k[1] for k in new])[:, None]
            km = geo.haversine_km_array(lat, lon, self.lat[None, :], self.lon[None, :]) * self.op.road_factor
            # as the vote's posts (plan.travel_km): a duty of the Polres is outside a sector too
            sector = np.array([k[2] for k in new], dtype=object)[:, None]
            km += np.where((sector != "") & (self.kec[None, :] != sector), self.op.out_of_sector_penalty_km, 0.0)
            for k, row in zip(new, np.round(km, 6), strict=True):
                self._km[k] = row
        return np.stack([self._km[k] for k in keys])

    def arcs(
        self, reps: list[_Person], nears: list[tuple[Any, ...]] | None, ok: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Arcs from each group (its representative) to the places it may fill, with the km, in
        order of group then duty; `ok`: `free(reps, nears)` if worked out already."""
        if not reps:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, float)
        ok = self.free(reps, nears) if ok is None else ok
        where = np.stack([self.slot_of[rep.slot] for rep in reps])
        group, duty = np.nonzero(ok & (where >= 0))
        km = self.costs(reps)
        return group.astype(np.int64), where[group, duty], km[group, duty]

    def free(self, reps: list[_Person], nears: list[tuple[Any, ...]] | None) -> np.ndarray:
        """`fits` of each of `reps` (with his `nears`, or None for all), as rows of a matrix."""
        ok = np.stack([self._home(rep) for rep in reps])
        if nears is not None:
            hours = np.array([rep.hours for rep in reps])
            ok &= hours[:, None] + self.hours[None, :] <= self.op.max_total_hours + EPS
            rows = [(g, ts, te, la, lo) for g, near in enumerate(nears) for ts, te, la, lo in near]
            if rows:
                zero = np.zeros(len(self.duties))
                gap = self.rest + np.stack([zero if la is None else self.travel_s(la, lo) for _, _, _, la, lo in rows])
                ts_, te_ = np.array([[r[1]] for r in rows]), np.array([[r[2]] for r in rows])
                each = (te_ + gap <= self.start + EPS) | (self.end + gap <= ts_ + EPS)
                owner = np.array([r[0] for r in rows], dtype=np.int64)
                first = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
                ok[owner[first]] &= np.logical_and.reduceat(each, first, axis=0)
        return ok

    def allowed(self, states: _States, first: np.ndarray, near: np.ndarray) -> np.ndarray:
        """`free` of the people at places `first` (`_Groups.first`) with their key's near as
        rows of codes (`_Groups.near`)."""
        ok = np.empty((len(first), len(self.duties)), dtype=bool)
        ok[:] = self.long_ok
        rows = np.flatnonzero(states.linmas[first])
        if len(rows):  # each home worked out once
            home, which = np.unique(states.home_of[first[rows]], return_inverse=True)
            ok[rows] = np.stack([self._home_at(*states.home_at[h]) for h in home.tolist()])[which.reshape(-1)]
        hours = states.hours[states.state_of[first]]
        ok &= hours[:, None] + self.hours[None, :] <= self.op.max_total_hours + EPS
        group, col = np.nonzero(near >= 0)
        if not len(group):
            return ok
        code = near[group, col]
        ts, te, window = states.window_at()
        place = code - len(ts)
        own = place >= 0  # else the travel cannot decide
        at = np.where(own, window[np.maximum(place, 0)], code)
        travel = np.zeros((len(code), len(self.duties)))
        if own.any():
            where, which = np.unique(place[own], return_inverse=True)
            points = [states.place_at[i] for i in where.tolist()]
            travel[own] = np.stack([self.travel_s(p[2], p[3]) for p in points])[which.reshape(-1)]
        gap = self.rest + travel
        each = (te[at][:, None] + gap <= self.start + EPS) | (self.end + gap <= ts[at][:, None] + EPS)
        first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        ok[group[first]] &= np.logical_and.reduceat(each, first, axis=0)
        return ok

    def _home(self, p: _Person) -> np.ndarray:
        """The duties `p` may hold whatever his other duties: all but the long ones for a
        standing guard's force, his desa's and his kecamatan's for a Linmas."""
        return self.long_ok if p.slot != "LINMAS" else self._home_at(p.origin, p.kecamatan)

    def _home_at(self, desa: str, kecamatan: str) -> np.ndarray:
        """The duties a Linmas of `desa` in `kecamatan` may hold whatever his other duties."""
        home = self._linmas.get((desa, kecamatan))
        if home is None:
            if self._home_index is None:  # the duties of each desa, and each kecamatan's own
                by: dict[tuple[str, str], list[int]] = defaultdict(list)
                for i, (d, k) in enumerate(zip(self.desa.tolist(), self.kec.tolist(), strict=True)):
                    by[("kecamatan", k) if d == "" else ("desa", d)].append(i)
                self._home_index = {key: np.array(at, dtype=np.int64) for key, at in by.items()}
            home = np.zeros(len(self.duties), dtype=bool)
            for key in (("desa", desa), ("kecamatan", kecamatan)):
                if key in self._home_index:
                    home[self._home_index[key]] = True
            home &= self.long_ok
            self._linmas[(desa, kecamatan)] = home
        return home


def _fill(
    wave: _Wave,
    people: dict[str, _Person],
    held: Mapping[str, list[tuple[str, str]]],
    scale: int,
    states: _States,
) -> tuple[list[Assignment], list[Unfilled], float]:
    """The wave's optimal assignment over the people free for it (with `held`, duty -> the
    (person, slot) it had before, the fewest moved among optimal ones); the people's duties are
    recorded (`states`, which numbered `people`)."""
    duties = wave.duties
    stay_of: dict[str, tuple[str, str]] = {}  # person -> the first of the wave's duties he held
    for d in duties if held else ():
        for person, slot in held.get(d.id, ()):
            stay_of.setdefault(person, (d.id, slot))
    stay_at = np.zeros(len(states.people), dtype=np.int64)  # a person's place -> his stay's number, 0 for none
    stay_no: dict[tuple[str, str] | None, int] = {None: 0}
    for person, stay in stay_of.items():
        p = people.get(person)
        if p is not None:
            stay_at[p.at] = stay_no.setdefault(stay, len(stay_no))
    stay_list = list(stay_no)
    groups = wave.groups(states, stay_at)
    reps = [states.people[at] for at in groups.first.tolist()]
    g_arr, s_arr, km_arr = wave.arcs(reps, None, wave.allowed(states, groups.first, groups.near) if reps else None)
    supply = groups.size
    capacity = np.array([n for _, _, n in wave.slots], dtype=np.int64)
    cost = np.round(km_arr * scale).astype(np.int64)
    reward = np.full(len(wave.slots), UNFILLED_KM * scale, dtype=np.int64)
    stays = None
    arc_of: dict[tuple[int, int], int] = {}
    if held:
        tie = int(supply.sum()) + 1
        wanted = []
        for g, s in enumerate(groups.stay.tolist()):
            stay = stay_list[s]
            k = None if stay is None else wave.slot_at.get((wave.index[stay[0]], stay[1]))
            if k is not None:
                wanted.append((g, k))
        arc_of = _arcs_at(g_arr, s_arr, len(wave.slots), wanted)
        rows = [(g, k, arc_of[(g, k)]) for g, k in wanted if (g, k) in arc_of]
        stays = solvers.Stays(
            np.array([g for g, _, _ in rows], dtype=np.int64),
            np.array([k for _, k, _ in rows], dtype=np.int64),
            np.array([supply[g] for g, _, _ in rows], dtype=np.int64),
            np.array([cost[j] * tie for _, _, j in rows], dtype=np.int64),
        )
        cost = cost * tie + 1
        reward = reward * tie
    flows, stay_flows = solvers.solve(supply, capacity, reward, solvers.Arcs(g_arr, s_arr, cost), stays)
    taken = groups.offset[:-1].copy()  # each group's people in id order (`_Groups`), taken from the front
    filled = np.zeros(len(wave.slots), dtype=np.int64)
    got: list[Assignment] = []
    holders: list[np.ndarray] = []  # the places of the people taken, in turn, and their duty's
    held_duty: list[int] = []
    ids = states.person_ids

    def take(g: int, k: int, n: int, km: float) -> None:
        i, slot, _ = wave.slots[k]
        duty_id = duties[i].id
        begin = int(taken[g])
        end = min(begin + n, int(groups.offset[g + 1]))
        taking = groups.members[begin:end]
        got.extend(Assignment(ids[at], duty_id, slot, km) for at in taking.tolist())
        holders.append(taking)
        held_duty.append(i)
        taken[g] = end
        filled[k] += n

    if stays is not None:
        for j in np.flatnonzero(stay_flows).tolist():
            g, k = int(stays.group[j]), int(stays.slot[j])
            take(g, k, int(stay_flows[j]), float(km_arr[arc_of[(g, k)]]))
    for j in np.flatnonzero(flows).tolist():
        take(int(g_arr[j]), int(s_arr[j]), int(flows[j]), float(km_arr[j]))
    if holders:  # nobody takes two duties of a wave: all recorded at once
        which = np.repeat(np.array(held_duty, dtype=np.int64), [len(at) for at in holders])
        states.hold_many(np.concatenate(holders), which, duties)
    empty = [Unfilled(duties[i].id, s, int(n - filled[k])) for k, (i, s, n) in enumerate(wave.slots) if n > filled[k]]
    got.sort(key=lambda a: (a.post, SLOTS.index(a.slot), a.person))
    travel = sum(a.cost_km for a in got)
    return got, empty, travel + UNFILLED_KM * sum(u.count for u in empty)


def _arcs_at(
    group: np.ndarray, slot: np.ndarray, slots: int, wanted: list[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """The index of the arc from group g to place k, for each (g, k) `wanted` that has one;
    the arcs in order of group and place (`_Wave.arcs`)."""
    if not wanted or not len(group):
        return {}
    keys = group * slots + slot
    asked = np.array([g * slots + k for g, k in wanted], dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, asked), len(keys) - 1)
    return {pair: int(j) for pair, j, hit in zip(wanted, at.tolist(), (keys[at] == asked).tolist(), strict=True) if hit}


def _alike(duties: list[Duty]) -> tuple[Any, ...]:
    """What `_relaxed` sees of a wave's duties, in order: waves alike in it have the same
    relaxation (the shifts of one guard on other days)."""
    return tuple(
        (d.lat, d.lon, d.kecamatan_code, d.desa_code, d.standing, d.hours, tuple(d.required.items())) for d in duties
    )


class _Unchanged:
    """A re-plan's waves that keep their people without a new flow.

    The previous roster filled each wave with the optimum over its people as they stood then.
    A wave whose problem has only lost options since keeps that optimum, with nobody moved,
    which is what a new flow finds (where the optimum is the only one): every holder still
    available and still free for his duty, and nobody whose duties changed (an absentee, his
    stand-ins, anyone moved on the vote or in an earlier wave: `diverged`) now free for a duty
    he was not free for before; everyone else sees the wave as before. Any other wave is
    filled as ever (`_fill`). A previous roster made by `plan` was filled at its finer scale:
    where only the re-plan's rounding to the metre would prefer other people, the kept ones
    are the better by the true distances."""

    def __init__(
        self,
        people: Mapping[str, _Person],
        before: Mapping[str, tuple[float, float]],
        vote: tuple[dt.datetime, dt.datetime],
        held_at: Mapping[str, list[tuple[str, str]]],
        states: _States,
    ) -> None:
        """`before`: where each person stood at the vote before (`build`); `vote`: its window;
        `held_at`: duty -> the (person, slot) it had before; `states`: the people's (`_States`),
        which number the previous duties too."""
        self.window = (vote[0].timestamp(), vote[1].timestamp())
        self.vote_hours = (vote[1] - vote[0]).total_seconds() / 3600  # as Duty.hours
        self.before = before
        self.held_at = held_at
        self.states = states
        self.earlier: dict[str, list[Duty]] = defaultdict(list)  # person -> his previous duties of waves done
        self.was: dict[str, int] = {}  # person -> the number of his previous duties so far, once asked
        # Before the first wave a person's duties are his post of the vote, if any: the same
        # window for every post, so the same duties where the same point.
        self.diverged = {
            pid for pid, p in people.items() if (p.intervals[0][2:] if p.intervals else None) != before.get(pid)
        }
        self.diverged |= {pid for pid in before if pid not in people}

    def _was(self, p: _Person) -> int:
        """The state number of `p`'s previous duties up to this wave (`_States`)."""
        pid = p.person.id
        found = self.was.get(pid)
        if found is None:
            found = self.states.first(p)
            if pid in self.before:
                found = self.states.after(found, (*self.window, *self.before[pid]))
            for d in self.earlier.get(pid, ()):
                found = self.states.after(found, _interval(d))
            self.was[pid] = found
        return found

    def _as_before(self, p: _Person) -> _Person:
        """`p` with the duties he held in the previous plan, up to this wave."""
        pid = p.person.id
        intervals = [(*self.window, *self.before[pid])] if pid in self.before else []
        hours = self.vote_hours if pid in self.before else 0.0
        for d in self.earlier.get(pid, ()):
            intervals.append(_interval(d))
            hours += d.hours
        return replace(p, intervals=intervals, hours=hours)

    def clean(self, wave: _Wave, people: Mapping[str, _Person]) -> bool:
        """Whether the wave may keep its previous people (the class's contract)."""
        asked: dict[int, _Person] = {}  # state number -> someone in that state
        holders: list[tuple[_Person, int]] = []  # diverged holders and their duty
        changed: list[tuple[_Person, int]] = []  # diverged people of the wave's slots, and their previous state
        for d in wave.duties:
            for pid, slot in self.held_at.get(d.id, ()):
                p = people.get(pid)
                if p is None or p.slot != slot:
                    return False
                if pid in self.diverged:
                    holders.append((p, wave.index[d.id]))
                    asked.setdefault(p.state, p)
        for pid in self.diverged:
            p = people.get(pid)
            if p is None or p.slot not in wave.needs:
                continue
            was = self._was(p)
            if was != p.state:  # else his duties so far are the previous ones again
                changed.append((p, was))
                asked.setdefault(p.state, p)
                if was not in asked:
                    asked[was] = self._as_before(p)
        if not asked:
            return True
        reps = list(asked.values())
        row = {state: r for r, state in enumerate(asked)}
        free = wave.free(reps, [wave.key(rep)[2] for rep in reps])
        if any(not free[row[p.state], i] for p, i in holders):
            return False
        return not any((free[row[p.state]] & ~free[row[was]] & (wave.slot_of[p.slot] >= 0)).any() for p, was in changed)

    def keep(
        self, wave: _Wave, people: Mapping[str, _Person], states: _States
    ) -> tuple[list[Assignment], list[Unfilled], float]:
        """The wave as before, recorded on its people as `_fill` records them."""
        places = [(people[pid], d, slot) for d in wave.duties for pid, slot in self.held_at.get(d.id, ())]
        km = wave.costs([p for p, _, _ in places]) if places else np.zeros((0, len(wave.duties)))
        got: list[Assignment] = []
        filled: Counter[tuple[int, str]] = Counter()
        for row, (p, d, slot) in enumerate(places):
            i = wave.index[d.id]
            got.append(Assignment(p.person.id, d.id, slot, float(km[row, i])))
            states.hold(p, d)
            filled[(i, slot)] += 1
        states.note([p for p, _, _ in places])
        empty = [Unfilled(wave.duties[i].id, s, n - filled[(i, s)]) for i, s, n in wave.slots if n > filled[(i, s)]]
        got.sort(key=lambda a: (a.post, SLOTS.index(a.slot), a.person))
        travel = sum(a.cost_km for a in got)
        return got, empty, travel + UNFILLED_KM * sum(u.count for u in empty)

    def advance(self, wave: _Wave, got: list[Assignment]) -> None:
        """After the wave: its previous holders' duties join their past; whoever holds another
        duty of it than before (or none, or one for none) has diverged."""
        now = {a.person: a.post for a in got}
        was: dict[str, str] = {}
        for d in wave.duties:
            for pid, _slot in self.held_at.get(d.id, ()):
                was[pid] = d.id
                self.earlier[pid].append(d)
                if pid in self.was:
                    self.was[pid] = self.states.after(self.was[pid], _interval(d))
        self.diverged |= {pid for pid in now.keys() | was.keys() if now.get(pid) != was.get(pid)}


def _origins(people: dict[str, _Person]) -> list[tuple[str, _Person, int]]:
    """The people by slot and origin, in order of first appearance: (slot, the first of them,
    how many). Who is free of what changes from wave to wave; these do not."""
    reps: dict[tuple[str, str], _Person] = {}
    sizes: dict[tuple[str, str], int] = defaultdict(int)
    for p in people.values():
        reps.setdefault((p.slot, p.origin), p)
        sizes[(p.slot, p.origin)] += 1
    return [(key[0], rep, sizes[key]) for key, rep in reps.items()]


def _relaxed(wave: _Wave, origins: list[tuple[str, _Person, int]]) -> float:
    """The wave's optimum with every person free of his other duties: a lower bound on what
    any roster spends on this wave. `origins`: the people by slot and origin (`_origins`)."""
    needed = [(rep, size) for slot, rep, size in origins if slot in wave.needs]
    g_arr, s_arr, km_arr = wave.arcs([rep for rep, _ in needed], None)
    supply = np.array([size for _, size in needed], dtype=np.int64)
    capacity = np.array([n for _, _, n in wave.slots], dtype=np.int64)
    cost = np.round(km_arr * SCALE).astype(np.int64)
    reward = np.full(len(wave.slots), UNFILLED_KM * SCALE, dtype=np.int64)
    flows, _ = solvers.solve(supply, capacity, reward, solvers.Arcs(g_arr, s_arr, cost))
    travel = float((flows * km_arr).sum()) if len(flows) else 0.0
    return travel + UNFILLED_KM * int(capacity.sum() - flows.sum())


# ---------------------------------------------------------------- the plan file


def to_json(roster: Roster) -> dict[str, Any]:
    return {
        "vote": {
            "stage": roster.vote_stage,
            "start": roster.vote_start.isoformat(),
            "end": roster.vote_end.isoformat(),
        },
        "settings": dict(roster.settings),
        "duties": [
            {
                "id": d.id,
                "kind": d.kind,
                "name": d.name,
                "stage": d.stage,
                "start": d.start.isoformat(),
                "end": d.end.isoformat(),
                "place": d.place,
                "desa_code": d.desa_code,
                "kecamatan_code": d.kecamatan_code,
                "lat": d.lat,
                "lon": d.lon,
                "required": dict(d.required),
                "shift": d.shift,
                "route": list(d.route),
            }
            for d in roster.duties
        ],
        "assignments": [
            {"person": a.person, "duty": a.post, "slot": a.slot, "cost_km": a.cost_km} for a in roster.assignments
        ],
        "unfilled": [{"duty": u.post, "slot": u.slot, "count": u.count} for u in roster.unfilled],
        "objective": roster.objective,
        "lower_bound": roster.lower_bound,
        "gap": round(roster.gap, 6),
        "waves": roster.waves,
        **({"moved": roster.moved, "kept": roster.kept} if roster.moved or roster.kept else {}),
    }


def from_json(data: Mapping[str, Any]) -> Roster:
    vote = data["vote"]
    return Roster(
        dt.datetime.fromisoformat(vote["start"]),
        dt.datetime.fromisoformat(vote["end"]),
        vote.get("stage", ""),
        tuple(
            Duty(
                d["id"],
                d["kind"],
                d["name"],
                d["stage"],
                dt.datetime.fromisoformat(d["start"]),
                dt.datetime.fromisoformat(d["end"]),
                d["place"],
                d.get("desa_code", ""),
                d.get("kecamatan_code", ""),
                float(d["lat"]),
                float(d["lon"]),
                dict(d.get("required", {})),
                int(d.get("shift", 0)),
                d["kind"] in duty_data.STANDING_KINDS,
                tuple(d.get("route", ())),
            )
            for d in data.get("duties", [])
        ),
        tuple(
            Assignment(a["person"], a["duty"], a["slot"], float(a.get("cost_km", 0.0)))
            for a in data.get("assignments", [])
        ),
        tuple(Unfilled(u["duty"], u["slot"], int(u["count"])) for u in data.get("unfilled", [])),
        float(data.get("objective", 0.0)),
        float(data.get("lower_bound", 0.0)),
        int(data.get("waves", 0)),
        dict(data.get("settings", {})),
        int(data.get("moved", 0)),
        int(data.get("kept", 0)),
    )


def of_plan(plan: Plan) -> Roster | None:
    """The plan's roster, None for a plan made before rosters (or without stages)."""
    data = plan.extra.get("roster")
    return from_json(data) if data else None


# ---------------------------------------------------------------- what the roster lacks, and fatigue


@dataclass(frozen=True, slots=True)
class Short:
    """Places of one duty left empty: where, when and how many of a slot."""

    duty: Duty
    slot: str
    count: int


def shortfall(r: Roster, kecamatan: Iterable[str] | None = None) -> list[Short]:
    """Every duty with empty places, in order of time; with `kecamatan`, only theirs."""
    by_id = {d.id: d for d in r.duties}
    within = None if kecamatan is None else set(kecamatan)
    out = [
        Short(by_id[u.post], u.slot, u.count)
        for u in r.unfilled
        if u.post in by_id and (within is None or by_id[u.post].kecamatan_code in within)
    ]
    return sorted(out, key=lambda s: (s.duty.start, s.duty.name, SLOTS.index(s.slot)))


def short_text(s: Short, lang: str = "id") -> str:
    """ "Pengamanan rekapitulasi PPK Grati, 15 Feb 20.00-08.00: kurang 4 Polri"."""
    window = stage_data.window_text(s.duty.start, s.duty.end)
    short = _("kurang %(count)s %(slot)s", lang, count=s.count, slot=word(FORCE, s.slot, lang))
    return f"{s.duty.name}, {window}: {short}"


def short_by_hour(shorts: Iterable[Short]) -> list[tuple[dt.datetime, dict[str, int]]]:
    """For each hour some place is empty: the empty places by slot during that hour."""
    hours: dict[dt.datetime, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s in shorts:
        hour = s.duty.start.replace(minute=0, second=0, microsecond=0)
        while hour < s.duty.end:
            hours[hour][s.slot] += s.count
            hour += dt.timedelta(hours=1)
    return [(h, dict(v)) for h, v in sorted(hours.items())]


def duty_hours(r: Roster, at_vote: Iterable[str]) -> dict[str, float]:
    """Each person's duty hours over the operation: the vote's post (`at_vote`: who holds one)
    and the roster's duties."""
    hours: dict[str, float] = defaultdict(float)
    vote = (r.vote_end - r.vote_start).total_seconds() / 3600
    for person in at_vote:
        hours[person] += vote
    by_id = {d.id: d.hours for d in r.duties}
    for a in r.assignments:
        hours[a.person] += by_id.get(a.post, 0.0)
    return dict(hours)
