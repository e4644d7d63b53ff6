"""The checker's rules for the roster across the stages (docs/scenario.md 2.13), from the
scenario's stages and settings alone, never from the planner:

- `duty_windows`: the vote's posts are held from the apel pergeseran (else the move, else
  voting) to the end of voting and counting; every other duty lies inside its stage's window
  (a campaign event's, outside any stage, is the event's own window);
- `shift_coverage`: the shifts of one guard in one stage follow each other without gap or
  overlap; every duty's places are filled or reported empty, never more;
- `duty_eligibility`: the people on duties are available, not in command or staff positions,
  of the slot's force, a Linmas in his own desa or at his kecamatan's PPK;
- `duty_overlap`: nobody holds two duties at once;
- `duty_travel`: between two duties at different places a person has the time to travel
  (road distance at the operation's speed, or the road time where the scenario gives one);
- `duty_rest`: after that travel, `min_rest_hours` of rest; no duty longer than
  `max_duty_hours` except the standing TPS guards (the vote's posts, a PSU's); nobody above
  `max_total_hours` over the operation;
- `roster_summary`: the roster's objective is the plan's plus its own travel and empty places
  (UNFILLED_KM each), and its gap is that objective minus its lower bound, never negative.

A plan made before rosters (no `roster` key) has nothing here to check.

A national roster holds hundreds of thousands of people: `duty_overlap`, `duty_travel`,
`duty_rest` and `duty_eligibility` first find in bulk (numpy, with a margin) everyone who might
break them, then look at those one by one; the one-by-one code alone writes each message.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

import numpy as np

from siaga.core.check.facts import LINMAS, SLOT_CODE, Facts
from siaga.core.check.messages import M, force
from siaga.core.check.rules import UNFILLED_KM, rule
from siaga.core.data import geo, pins
from siaga.core.data import stages as stage_data
from siaga.core.data import travel as travel_io
from siaga.core.data.duties import STANDING_KINDS
from siaga.core.data.model import Force, Person, Post, StageKind
from siaga.core.data.positions import is_command
from siaga.core.data.text import Message, gettext_noop

TOLERANCE = dt.timedelta(seconds=1)
KM_TOLERANCE = 1e-3
_T = TypeVar("_T")
_EPOCH, _MICROSECOND = dt.datetime(1970, 1, 1), dt.timedelta(microseconds=1)
FORCE_OF_SLOT = {"POLRI": Force.POLRI, "TNI": Force.TNI, "LINMAS": Force.LINMAS, "BRIMOB": Force.BRIMOB}


class _Duty:
    __slots__ = (
        "end",
        "hours",
        "id",
        "kecamatan",
        "desa",
        "lat",
        "lon",
        "place",
        "required",
        "shift",
        "stage",
        "standing",
        "start",
    )

    def __init__(self, d: dict[str, Any], standing: bool | None = None) -> None:
        self.id, self.stage, self.place = d["id"], d["stage"], d["place"]
        self.start, self.end = _when(d["start"]), _when(d["end"])
        self.hours = (self.end - self.start).total_seconds() / 3600
        self.lat, self.lon = float(d["lat"]), float(d["lon"])
        self.kecamatan, self.desa = d.get("kecamatan_code", ""), d.get("desa_code", "")
        self.required: dict[str, int] = dict(d.get("required", {}))
        self.shift = int(d.get("shift", 0))
        self.standing = d.get("kind") in STANDING_KINDS if standing is None else standing

    @classmethod
    def of_post(cls, post: Post, stage: str, start: dt.datetime, end: dt.datetime, hours: float) -> _Duty:
        """A post of the vote as a duty: what `_Duty` makes of its record, without the record
        (a national plan has tens of thousands of posts)."""
        d = cls.__new__(cls)
        d.id = d.place = post.id
        d.stage, d.start, d.end, d.hours = stage, start, end, hours
        d.lat, d.lon = float(post.lat), float(post.lon)
        d.kecamatan, d.desa = post.kecamatan_code, ""
        d.required, d.shift, d.standing = {}, 0, True
        return d


@functools.lru_cache(maxsize=4096)
def _when(text: str) -> dt.datetime:
    """A duty's start or end (the vote's window is every post's: read once)."""
    return dt.datetime.fromisoformat(text)


def _roster(f: Facts) -> dict[str, Any] | None:
    data = f.plan.extra.get("roster")
    return data if isinstance(data, dict) else None


def _once(f: Facts, key: str, make: Callable[[Facts], _T]) -> _T:
    """`make(f)`, worked out once per check (the rules only read it)."""
    found = vars(f).get(key)
    if found is None:
        found = vars(f).setdefault(key, make(f))
    return found  # type: ignore[no-any-return]


def _roster_duties(f: Facts) -> list[_Duty]:
    """The roster's duties in its order, read once per check."""
    return _once(f, "_roster_duties", _read_duties)


def _duty_records(f: Facts) -> dict[str, dict[str, Any]]:
    """The roster's duty records by id (the last of an id wins), read once per check."""
    return _once(f, "_duty_records", _index_records)


def _index_records(f: Facts) -> dict[str, dict[str, Any]]:
    data = _roster(f)
    return {d["id"]: d for d in data.get("duties", [])} if data is not None else {}


def _read_duties(f: Facts) -> list[_Duty]:
    data = _roster(f)
    return list(map(_Duty, data.get("duties", []))) if data is not None else []


def _by_id(f: Facts) -> dict[str, _Duty]:
    """Every duty by id: the vote's posts with the roster's vote window, then the roster's
    duties (the last of an id wins); read once per check."""
    return _once(f, "_by_id", _read_by_id)


def _read_by_id(f: Facts) -> dict[str, _Duty]:
    data = _roster(f)
    assert data is not None
    vote = data["vote"]
    start, end = _when(vote["start"]), _when(vote["end"])
    stage, hours = vote.get("stage", ""), (end - start).total_seconds() / 3600
    by_id = {p.id: _Duty.of_post(p, stage, start, end, hours) for p in f.plan.posts}
    for d in _roster_duties(f):
        by_id[d.id] = d
    return by_id


def _holders(f: Facts) -> tuple[list[str], list[str]]:
    """Who holds which duty id: the plan's assignments, then the roster's, in their order."""
    data, assignments = _roster(f), f.plan.assignments
    assert data is not None
    others = data.get("assignments", [])
    persons = list(map(attrgetter("person"), assignments)) + list(map(itemgetter("person"), others))
    duties = list(map(attrgetter("post"), assignments)) + list(map(itemgetter("duty"), others))
    return persons, duties


def _held(f: Facts) -> list[tuple[str, list[_Duty]]]:
    """Each person's duties in time order (as held), the people in the order of their ids."""
    by_id = _by_id(f)
    held: dict[str, list[_Duty]] = defaultdict(list)
    find = by_id.get
    for person, duty_id in zip(*_holders(f), strict=True):
        duty = find(duty_id)
        if duty is not None:
            held[person].append(duty)
    in_time = attrgetter("start", "end")
    for duties in held.values():
        if len(duties) > 1:
            duties.sort(key=in_time)
    return sorted(held.items())  # ids are unique: the lists are never compared


class _Steps:
    """What `duty_overlap`, `duty_travel` and `duty_rest` find between a person's duties,
    from one walk over every person's consecutive duties (each rule's messages in its order)."""

    def __init__(self, f: Facts) -> None:
        self.overlap: list[Message] = []
        self.travel: list[Message] = []
        self.rest: list[Message] = []
        op = f.op
        min_rest, max_total = op.min_rest_hours, op.max_total_hours + 1e-9
        hours = attrgetter("hours")
        for person, duties in _suspects(f):
            if len(duties) > 1:
                self._walk(f, person, duties, min_rest)
                total = sum(map(hours, duties))
            else:
                total = duties[0].hours  # what the sum of one is
            if total > max_total:
                self.rest.append(
                    M(
                        gettext_noop("%(person)s: %(hours)s jam tugas selama operasi, di atas %(limit)s jam"),
                        person=person,
                        hours=round(total, 2),
                        limit=float(op.max_total_hours),
                    )
                )

    def _walk(self, f: Facts, person: str, duties: list[_Duty], min_rest: float) -> None:
        known: dict[tuple[float, float, float, float], float] = vars(f).setdefault("_travel_hours", {})
        for a, b in zip(duties, duties[1:], strict=False):
            if b.start < a.end:
                self.overlap.append(
                    M(
                        gettext_noop(
                            "%(person)s memegang %(a)s (%(a_start)s sampai %(a_end)s) dan %(b)s"
                            " (%(b_start)s sampai %(b_end)s) sekaligus"
                        ),
                        person=person,
                        a=a.id,
                        a_start=str(a.start),
                        a_end=str(a.end),
                        b=b.id,
                        b_start=str(b.start),
                        b_end=str(b.end),
                    )
                )
            gap = (b.start - a.end).total_seconds() / 3600
            if a.place == b.place:
                need = 0.0
            else:  # most pairs repeat: the known hours without a call
                found = known.get((a.lat, a.lon, b.lat, b.lon))
                need = _travel_hours(f, a, b) if found is None else found
            if gap >= 0 and gap + 1e-9 < need:
                self.travel.append(
                    M(
                        gettext_noop("%(person)s: %(gap)s jam dari %(a)s ke %(b)s, perjalanan butuh %(need)s jam"),
                        person=person,
                        gap=round(gap, 2),
                        a=a.id,
                        b=b.id,
                        need=round(need, 2),
                    )
                )
            rest = gap - need
            if b.start >= a.end and rest + 1e-9 < min_rest:
                self.rest.append(
                    M(
                        gettext_noop(
                            "%(person)s: istirahat %(rest)s jam antara %(a)s dan %(b)s, di bawah %(limit)s jam"
                        ),
                        person=person,
                        rest=round(rest, 2),
                        a=a.id,
                        b=b.id,
                        limit=float(f.op.min_rest_hours),
                    )
                )


def _suspects(f: Facts) -> list[tuple[str, list[_Duty]]]:
    """The people with their duties, as `_held` gives them, whom `_Steps` must walk: a
    superset, found in bulk, of those with an overlap, too little travel time or rest, or too
    many hours; the walk alone decides, so a margin here changes no message. Everyone where a
    duty's time has a zone or the scenario gives road times (the bulk estimate would not bound
    them)."""
    by_id = _by_id(f)
    duties = list(by_id.values())
    if f.scenario.travel_times or any(d.start.tzinfo is not None or d.end.tzinfo is not None for d in duties):
        return _held(f)
    op, n = f.op, len(duties)
    moments = {d.start for d in duties} | {d.end for d in duties}
    ticks = {t: (t - _EPOCH) // _MICROSECOND for t in moments}  # exact: microseconds since 1970
    start = np.fromiter(map(ticks.__getitem__, map(attrgetter("start"), duties)), dtype=np.int64, count=n)
    end = np.fromiter(map(ticks.__getitem__, map(attrgetter("end"), duties)), dtype=np.int64, count=n)
    hours = np.fromiter(map(attrgetter("hours"), duties), dtype=float, count=n)
    lat = np.fromiter(map(attrgetter("lat"), duties), dtype=float, count=n)
    lon = np.fromiter(map(attrgetter("lon"), duties), dtype=float, count=n)
    person, duty, names = _holder_numbers(f, by_id)
    held = duty >= 0
    person, duty = person[held], duty[held]
    order = np.lexsort((end[duty], start[duty], person))  # stable: as held, each person's in time order
    person, duty = person[order], duty[order]
    margin = 1e-6  # hours: far above any rounding of the sums and distances here
    found = np.bincount(person, hours[duty], minlength=len(names)) > op.max_total_hours - margin
    found &= np.bincount(person, minlength=len(names)) > 0
    a, b = duty[:-1], duty[1:]
    km = geo.haversine_km_array(lat[a], lon[a], lat[b], lon[b])
    need = op.road_factor * km / op.speed_kmh  # at one place 0, less than this: no one is missed
    gap = (start[b] - end[a]) / 3.6e9
    close = (start[b] < end[a]) | ~(gap - need >= max(op.min_rest_hours, 0.0) + margin)  # ~: a nan is close
    found[person[:-1][close & (person[:-1] == person[1:])]] = True
    first = np.searchsorted(person, np.arange(len(names) + 1))
    return sorted(
        (names[k], [duties[j] for j in duty[first[k] : first[k + 1]].tolist()]) for k in np.flatnonzero(found).tolist()
    )


def _holder_numbers(f: Facts, by_id: dict[str, _Duty]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """`_holders` as numbers: each holder's person (a number for each person id) and duty
    (index into `by_id`, -1 for none), and each person number's id. The plan's part from
    `f.duties`, which numbers the people and the posts already."""
    data, assignments = _roster(f), f.plan.assignments
    assert data is not None
    others = data.get("assignments", [])
    people, d = f.people.index, f.duties
    number = dict(zip(by_id, range(len(by_id)), strict=True))
    if len(f.places.index) == len(f.plan.posts):  # no post id twice: the posts are by_id's first
        plan_duty = d.post.copy()
        for k in np.flatnonzero(plan_duty < 0).tolist():  # not a post: perhaps a roster duty's id
            plan_duty[k] = number.get(assignments[k].post, -1)
    else:
        plan_duty = np.fromiter(map(number.get, map(attrgetter("post"), assignments), repeat(-1)), dtype=np.int64)
    other_persons = list(map(itemgetter("person"), others))
    person = np.concatenate(
        [d.person, np.fromiter(map(people.get, other_persons, repeat(-1)), dtype=np.int64, count=len(others))]
    )
    duty = np.concatenate(
        [plan_duty, np.fromiter(map(number.get, map(itemgetter("duty"), others), repeat(-1)), dtype=np.int64)]
    )
    names = list(map(attrgetter("id"), f.scenario.personnel))
    unknown = np.flatnonzero(person < 0).tolist()
    if unknown:  # people the scenario does not have: numbered after its own
        extra: dict[str, int] = {}
        for k in unknown:
            name = assignments[k].person if k < len(assignments) else other_persons[k - len(assignments)]
            person[k] = extra.setdefault(name, len(names) + len(extra))
        names += list(extra)
    return person, duty, names


def _steps(f: Facts) -> _Steps:
    return _once(f, "_steps", _Steps)


def _vote_window(f: Facts) -> tuple[dt.datetime, dt.datetime]:
    found = stage_data.of(f.scenario)
    starts = [
        s.start
        for kind in (StageKind.APEL_PERGESERAN, StageKind.PERGESERAN, StageKind.PEMUNGUTAN)
        for s in found
        if s.kind == kind
    ]
    votes = [s for s in found if s.kind == StageKind.PEMUNGUTAN]
    day = f.op.election_date
    start = starts[0] if starts else dt.datetime.combine(day, dt.time(7))
    end = votes[0].end if votes else dt.datetime.combine(day + dt.timedelta(days=1), dt.time(12))
    return start, end


@rule("duty_windows")
def _duty_windows(f: Facts) -> Iterator[Message]:
    data = _roster(f)
    if data is None:
        return
    start, end = _vote_window(f)
    vote = data["vote"]
    if (dt.datetime.fromisoformat(vote["start"]), dt.datetime.fromisoformat(vote["end"])) != (start, end):
        yield M(
            gettext_noop(
                "pos pemungutan suara dijaga %(start)s sampai %(end)s;"
                " menurut tahapan %(stage_start)s sampai %(stage_end)s"
            ),
            start=vote["start"],
            end=vote["end"],
            stage_start=str(start),
            stage_end=str(end),
        )
    stages = {s.name: s for s in stage_data.of(f.scenario)}
    events = {(e.start, e.end) for e in f.scenario.events}
    for d in _roster_duties(f):
        s = stages.get(d.stage)
        if not d.stage and (d.start, d.end) in events:
            continue  # a campaign event outside any campaign stage: its own window
        if s is None:
            yield M(gettext_noop("tugas %(duty)s: tidak ada tahapan bernama '%(stage)s'"), duty=d.id, stage=d.stage)
        elif not (s.start <= d.start < d.end <= s.end):
            yield M(
                gettext_noop(
                    "tugas %(duty)s (%(start)s sampai %(end)s) di luar tahapannya %(stage)s"
                    " (%(stage_start)s sampai %(stage_end)s)"
                ),
                duty=d.id,
                start=str(d.start),
                end=str(d.end),
                stage=d.stage,
                stage_start=str(s.start),
                stage_end=str(s.end),
            )


@rule("shift_coverage")
def _shift_coverage(f: Facts) -> Iterator[Message]:
    data = _roster(f)
    if data is None:
        return
    shifts: dict[tuple[str, str], list[_Duty]] = defaultdict(list)
    for d in _roster_duties(f):
        if d.shift:
            shifts[(d.place, d.stage)].append(d)
    for (place, stage), run in shifts.items():
        run.sort(key=lambda d: d.start)
        if [d.shift for d in run] != list(range(1, len(run) + 1)):
            yield M(
                gettext_noop("%(place)s pada %(stage)s: sif bernomor %(shifts)s, seharusnya 1 sampai %(n)s"),
                place=place,
                stage=stage,
                shifts=" ".join(str(d.shift) for d in run),
                n=len(run),
            )
        for a, b in zip(run, run[1:], strict=False):
            if b.start != a.end:
                yield M(
                    gettext_noop("%(place)s pada %(stage)s: sif %(a)s selesai %(end)s, sif %(b)s mulai %(start)s"),
                    place=place,
                    stage=stage,
                    a=a.shift,
                    end=str(a.end),
                    b=b.shift,
                    start=str(b.start),
                )
    assignments = data.get("assignments", [])
    filled: Counter[tuple[str, str]] = Counter(
        zip(map(itemgetter("duty"), assignments), map(itemgetter("slot"), assignments), strict=True)
    )
    empty: Counter[tuple[str, str]] = Counter()
    for u in data.get("unfilled", []):
        empty[(u["duty"], u["slot"])] += int(u["count"])
    known = _duty_records(f)
    for key in (filled.keys() | empty.keys()) - {(k, s) for k, d in known.items() for s in d.get("required", {})}:
        yield M(
            gettext_noop("tugas %(duty)s slot %(slot)s: diisi atau dilaporkan kosong, padahal tugas tidak memintanya"),
            duty=key[0],
            slot=force(key[1]),
        )
    for k, record in known.items():
        for slot, n in dict(record.get("required", {})).items():
            if filled.get((k, slot), 0) + empty.get((k, slot), 0) != n:  # get: no __missing__ call
                yield M(
                    gettext_noop("tugas %(duty)s: %(slot)s %(filled)s bertugas + %(empty)s kosong, diminta %(n)s"),
                    duty=k,
                    slot=force(slot),
                    filled=filled[(k, slot)],
                    empty=empty[(k, slot)],
                    n=n,
                )


@rule("duty_eligibility")
def _duty_eligibility(f: Facts) -> Iterator[Message]:
    data = _roster(f)
    if data is None:
        return
    index, persons, known = f.people.index, f.scenario.personnel, _duty_records(f)
    assignments = data.get("assignments", [])
    for a in map(assignments.__getitem__, _doubtful(f, assignments)):
        k, d = index.get(a["person"]), known.get(a["duty"])
        p = persons[k] if k is not None else None
        if p is None or d is None:
            yield M(
                gettext_noop("%(person)s pada %(duty)s: personel atau tugas tidak dikenal"),
                person=a["person"],
                duty=a["duty"],
            )
            continue
        pin = pins.parse(p.pinned_post)
        if not p.available or is_command(p.position) or (pin is not None and pin.kind != pins.POST):
            yield M(
                gettext_noop(
                    "%(person)s pada %(duty)s: tidak bebas bertugas (tidak hadir, jabatan pimpinan atau staf,"
                    " atau dipin di luar pos)"
                ),
                person=p.id,
                duty=d["id"],
            )
        if FORCE_OF_SLOT.get(a["slot"]) != p.force:
            yield M(
                gettext_noop("%(person)s (%(force)s) di tempat %(slot)s pada %(duty)s"),
                person=p.id,
                force=force(p.force),
                slot=force(a["slot"]),
                duty=d["id"],
            )
        if p.force == Force.LINMAS:
            region = f.regions.get(p.desa_code)
            own_kec = region.parent_code if region else ""
            desa, kec = d.get("desa_code", ""), d.get("kecamatan_code", "")
            if not (desa == p.desa_code or (not desa and kec and kec == own_kec)):
                yield M(
                    gettext_noop("Linmas %(person)s dari desa %(desa)s pada %(duty)s di luar desa dan kecamatannya"),
                    person=p.id,
                    desa=p.desa_code,
                    duty=d["id"],
                )


def _doubtful(f: Facts, assignments: list[dict[str, Any]]) -> list[int]:
    """The roster's assignments `duty_eligibility` must look at, found in bulk: a superset of
    those it refuses (an unknown person or duty, someone not free, of another force, a
    Linmas); the rule alone decides."""
    people, persons, known, n = f.people, f.scenario.personnel, _duty_records(f), len(assignments)
    person = np.fromiter(map(people.index.get, map(itemgetter("person"), assignments), repeat(-1)), np.int64, n)
    duty = np.fromiter(map(known.__contains__, map(itemgetter("duty"), assignments)), bool, n)
    slot = np.fromiter(map(SLOT_CODE.get, map(itemgetter("slot"), assignments), repeat(-1)), np.int64, n)
    k = np.where(person >= 0, person, 0)
    free = np.zeros(len(persons), dtype=bool)
    mine = np.unique(person[person >= 0])
    free[mine] = [_free(persons[i]) for i in mine.tolist()]
    force = people.slot[k]
    doubt = (person < 0) | ~duty | ~free[k] | (slot < 0) | (force != slot) | (force == LINMAS)
    return np.flatnonzero(doubt).tolist()  # type: ignore[no-any-return]


def _free(p: Person) -> bool:
    """Available, not in a command or staff position, not pinned outside the posts."""
    pin = pins.parse(p.pinned_post)
    return bool(p.available) and not is_command(p.position) and (pin is None or pin.kind == pins.POST)


@rule("duty_overlap")
def _duty_overlap(f: Facts) -> Iterator[Message]:
    if _roster(f) is None:
        return
    yield from _steps(f).overlap


def _travel_hours(f: Facts, a: _Duty, b: _Duty) -> float:
    if a.place == b.place:
        return 0.0
    known: dict[tuple[float, float, float, float], float] = vars(f).setdefault("_travel_hours", {})  # per check
    points = (a.lat, a.lon, b.lat, b.lon)
    hours = known.get(points)
    if hours is None:
        road = vars(f).get("_road") or vars(f).setdefault("_road", travel_io.measure(f.scenario))  # once per check
        hours = known[points] = road.hours(*points)  # the road time where both places are named, else the estimate
    return hours


@rule("duty_travel")
def _duty_travel(f: Facts) -> Iterator[Message]:
    if _roster(f) is None:
        return
    yield from _steps(f).travel


@rule("duty_rest")
def _duty_rest(f: Facts) -> Iterator[Message]:
    if _roster(f) is None:
        return
    op = f.op
    for d in _by_id(f).values():
        hours = d.hours
        if not d.standing and hours > op.max_duty_hours + 1e-9:
            yield M(
                gettext_noop("tugas %(duty)s berlangsung %(hours)s jam, di atas %(limit)s jam tanpa pergantian"),
                duty=d.id,
                hours=round(hours, 2),
                limit=float(op.max_duty_hours),
            )
    yield from _steps(f).rest


@rule("roster_summary")
def _roster_summary(f: Facts) -> Iterator[Message]:
    data = _roster(f)
    if data is None:
        return
    travel = sum(float(a.get("cost_km", 0.0)) for a in data.get("assignments", []))
    empty = sum(int(u["count"]) for u in data.get("unfilled", []))
    expected = float(f.plan.summary.get("objective", 0.0)) + travel + UNFILLED_KM * empty
    objective, bound = float(data.get("objective", 0.0)), float(data.get("lower_bound", 0.0))
    if abs(objective - expected) > KM_TOLERANCE * max(1, len(data.get("assignments", []))):
        yield M(
            gettext_noop(
                "objective roster %(got)s, seharusnya %(expected)s (objective rencana, perjalanan dan tempat kosong)"
            ),
            got=objective,
            expected=round(expected, 6),
        )
    if bound > objective + KM_TOLERANCE:
        yield M(
            gettext_noop("lower bound roster %(bound)s di atas objective-nya %(objective)s"),
            bound=bound,
            objective=objective,
        )
    if abs(float(data.get("gap", 0.0)) - (objective - bound)) > KM_TOLERANCE:
        yield M(
            gettext_noop("gap roster %(got)s, seharusnya %(expected)s"),
            got=data.get("gap"),
            expected=round(objective - bound, 6),
        )
