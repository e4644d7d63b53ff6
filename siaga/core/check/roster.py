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
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from siaga.core.check.facts import Facts
from siaga.core.check.messages import M, force
from siaga.core.check.rules import UNFILLED_KM, rule
from siaga.core.data import pins
from siaga.core.data import stages as stage_data
from siaga.core.data import travel as travel_io
from siaga.core.data.duties import STANDING_KINDS
from siaga.core.data.model import Force, StageKind
from siaga.core.data.positions import is_command
from siaga.core.data.text import Message, gettext_noop

TOLERANCE = dt.timedelta(seconds=1)
KM_TOLERANCE = 1e-3
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


@functools.lru_cache(maxsize=4096)
def _when(text: str) -> dt.datetime:
    """A duty's start or end (the vote's window is every post's: read once)."""
    return dt.datetime.fromisoformat(text)


def _roster(f: Facts) -> dict[str, Any] | None:
    data = f.plan.extra.get("roster")
    return data if isinstance(data, dict) else None


def _duties(f: Facts) -> tuple[dict[str, _Duty], dict[str, list[tuple[_Duty, str]]]]:
    """Every duty by id (the vote's posts with the roster's vote window) and each person's
    duties with their slots; worked out once per check (the rules only read them)."""
    found = vars(f).get("_duties")
    if found is None:
        found = vars(f).setdefault("_duties", _duties_of(f))
    return found


def _duties_of(f: Facts) -> tuple[dict[str, _Duty], dict[str, list[tuple[_Duty, str]]]]:
    data = _roster(f)
    assert data is not None
    vote = data["vote"]
    by_id: dict[str, _Duty] = {}
    for p in f.plan.posts:
        record = {"id": p.id, "stage": vote.get("stage", ""), "place": p.id, "start": vote["start"], "end": vote["end"]}
        by_id[p.id] = _Duty({**record, "lat": p.lat, "lon": p.lon, "kecamatan_code": p.kecamatan_code}, True)
    for d in data.get("duties", []):
        by_id[d["id"]] = _Duty(d)
    held: dict[str, list[tuple[_Duty, str]]] = defaultdict(list)
    for a in f.plan.assignments:
        if a.post in by_id:
            held[a.person].append((by_id[a.post], a.slot))
    for a in data.get("assignments", []):
        if a["duty"] in by_id:
            held[a["person"]].append((by_id[a["duty"]], a["slot"]))
    for duties in held.values():
        duties.sort(key=lambda x: (x[0].start, x[0].end))
    return by_id, held


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
    for d in map(_Duty, data.get("duties", [])):
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
    for d in map(_Duty, data.get("duties", [])):
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
    filled: Counter[tuple[str, str]] = Counter((a["duty"], a["slot"]) for a in data.get("assignments", []))
    empty: Counter[tuple[str, str]] = Counter()
    for u in data.get("unfilled", []):
        empty[(u["duty"], u["slot"])] += int(u["count"])
    known = {d["id"]: d for d in data.get("duties", [])}
    for key in (filled.keys() | empty.keys()) - {(k, s) for k, d in known.items() for s in d.get("required", {})}:
        yield M(
            gettext_noop("tugas %(duty)s slot %(slot)s: diisi atau dilaporkan kosong, padahal tugas tidak memintanya"),
            duty=key[0],
            slot=force(key[1]),
        )
    for k, d in known.items():
        for slot, n in dict(d.get("required", {})).items():
            if filled[(k, slot)] + empty[(k, slot)] != n:
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
    people = {p.id: p for p in f.scenario.personnel}
    known = {d["id"]: d for d in data.get("duties", [])}
    for a in data.get("assignments", []):
        p, d = people.get(a["person"]), known.get(a["duty"])
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


@rule("duty_overlap")
def _duty_overlap(f: Facts) -> Iterator[Message]:
    if _roster(f) is None:
        return
    _, held = _duties(f)
    for person, duties in sorted(held.items()):
        for (a, _), (b, _) in zip(duties, duties[1:], strict=False):
            if b.start < a.end:
                yield M(
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
    _, held = _duties(f)
    for person, duties in sorted(held.items()):
        for (a, _), (b, _) in zip(duties, duties[1:], strict=False):
            gap = (b.start - a.end).total_seconds() / 3600
            need = _travel_hours(f, a, b)
            if gap >= 0 and gap + 1e-9 < need:
                yield M(
                    gettext_noop("%(person)s: %(gap)s jam dari %(a)s ke %(b)s, perjalanan butuh %(need)s jam"),
                    person=person,
                    gap=round(gap, 2),
                    a=a.id,
                    b=b.id,
                    need=round(need, 2),
                )


@rule("duty_rest")
def _duty_rest(f: Facts) -> Iterator[Message]:
    if _roster(f) is None:
        return
    op = f.op
    by_id, held = _duties(f)
    for d in by_id.values():
        hours = d.hours
        if not d.standing and hours > op.max_duty_hours + 1e-9:
            yield M(
                gettext_noop("tugas %(duty)s berlangsung %(hours)s jam, di atas %(limit)s jam tanpa pergantian"),
                duty=d.id,
                hours=round(hours, 2),
                limit=float(op.max_duty_hours),
            )
    for person, duties in sorted(held.items()):
        for (a, _), (b, _) in zip(duties, duties[1:], strict=False):
            rest = (b.start - a.end).total_seconds() / 3600 - _travel_hours(f, a, b)
            if b.start >= a.end and rest + 1e-9 < op.min_rest_hours:
                yield M(
                    gettext_noop("%(person)s: istirahat %(rest)s jam antara %(a)s dan %(b)s, di bawah %(limit)s jam"),
                    person=person,
                    rest=round(rest, 2),
                    a=a.id,
                    b=b.id,
                    limit=float(op.min_rest_hours),
                )
        total = sum(d.hours for d, _ in duties)
        if total > op.max_total_hours + 1e-9:
            yield M(
                gettext_noop("%(person)s: %(hours)s jam tugas selama operasi, di atas %(limit)s jam"),
                person=person,
                hours=round(total, 2),
                limit=float(op.max_total_hours),
            )


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
