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
  (road distance at the operation's speed);
- `duty_rest`: after that travel, `min_rest_hours` of rest; no duty longer than
  `max_duty_hours` except the standing TPS guards (the vote's posts, a PSU's); nobody above
  `max_total_hours` over the operation;
- `roster_summary`: the roster's objective is the plan's plus its own travel and empty places
  (UNFILLED_KM each), and its gap is that objective minus its lower bound, never negative.

A plan made before rosters (no `roster` key) has nothing here to check.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from siaga.core.check.facts import Facts
from siaga.core.check.rules import UNFILLED_KM, rule
from siaga.core.data import geo, pins
from siaga.core.data import stages as stage_data
from siaga.core.data.duties import STANDING_KINDS
from siaga.core.data.model import Force, StageKind
from siaga.core.data.positions import is_command

TOLERANCE = dt.timedelta(seconds=1)
KM_TOLERANCE = 1e-3
FORCE_OF_SLOT = {"POLRI": Force.POLRI, "TNI": Force.TNI, "LINMAS": Force.LINMAS, "BRIMOB": Force.BRIMOB}


class _Duty:
    __slots__ = (
        "end",
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
        self.start, self.end = dt.datetime.fromisoformat(d["start"]), dt.datetime.fromisoformat(d["end"])
        self.lat, self.lon = float(d["lat"]), float(d["lon"])
        self.kecamatan, self.desa = d.get("kecamatan_code", ""), d.get("desa_code", "")
        self.required: dict[str, int] = dict(d.get("required", {}))
        self.shift = int(d.get("shift", 0))
        self.standing = d.get("kind") in STANDING_KINDS if standing is None else standing


def _roster(f: Facts) -> dict[str, Any] | None:
    data = f.plan.extra.get("roster")
    return data if isinstance(data, dict) else None


def _duties(f: Facts) -> tuple[dict[str, _Duty], dict[str, list[tuple[_Duty, str]]]]:
    """Every duty by id (the vote's posts with the roster's vote window) and each person's
    duties with their slots."""
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
def _duty_windows(f: Facts) -> Iterator[str]:
    data = _roster(f)
    if data is None:
        return
    start, end = _vote_window(f)
    vote = data["vote"]
    if (dt.datetime.fromisoformat(vote["start"]), dt.datetime.fromisoformat(vote["end"])) != (start, end):
        yield f"the vote's posts are held {vote['start']} to {vote['end']}; the stages say {start} to {end}"
    stages = {s.name: s for s in stage_data.of(f.scenario)}
    events = {(e.start, e.end) for e in f.scenario.events}
    for d in map(_Duty, data.get("duties", [])):
        s = stages.get(d.stage)
        if not d.stage and (d.start, d.end) in events:
            continue  # a campaign event outside any campaign stage: its own window
        if s is None:
            yield f"duty {d.id}: no stage named {d.stage!r}"
        elif not (s.start <= d.start < d.end <= s.end):
            yield f"duty {d.id} ({d.start} to {d.end}) lies outside its stage {d.stage} ({s.start} to {s.end})"


@rule("shift_coverage")
def _shift_coverage(f: Facts) -> Iterator[str]:
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
            yield f"{place} in {stage}: shifts numbered {[d.shift for d in run]}, expected 1 to {len(run)}"
        for a, b in zip(run, run[1:], strict=False):
            if b.start != a.end:
                yield f"{place} in {stage}: shift {a.shift} ends {a.end}, shift {b.shift} starts {b.start}"
    filled: Counter[tuple[str, str]] = Counter((a["duty"], a["slot"]) for a in data.get("assignments", []))
    empty: Counter[tuple[str, str]] = Counter()
    for u in data.get("unfilled", []):
        empty[(u["duty"], u["slot"])] += int(u["count"])
    known = {d["id"]: d for d in data.get("duties", [])}
    for key in (filled.keys() | empty.keys()) - {(k, s) for k, d in known.items() for s in d.get("required", {})}:
        yield f"duty {key[0]} slot {key[1]}: filled or reported empty, but the duty asks for none"
    for k, d in known.items():
        for slot, n in dict(d.get("required", {})).items():
            if filled[(k, slot)] + empty[(k, slot)] != n:
                yield f"duty {k}: {slot} {filled[(k, slot)]} on duty + {empty[(k, slot)]} empty, required {n}"


@rule("duty_eligibility")
def _duty_eligibility(f: Facts) -> Iterator[str]:
    data = _roster(f)
    if data is None:
        return
    people = {p.id: p for p in f.scenario.personnel}
    known = {d["id"]: d for d in data.get("duties", [])}
    for a in data.get("assignments", []):
        p, d = people.get(a["person"]), known.get(a["duty"])
        if p is None or d is None:
            yield f"{a['person']} on {a['duty']}: unknown person or duty"
            continue
        pin = pins.parse(p.pinned_post)
        if not p.available or is_command(p.position) or (pin is not None and pin.kind != pins.POST):
            yield f"{p.id} on {d['id']}: not free to serve (absent, command or staff position, or pinned off posts)"
        if FORCE_OF_SLOT.get(a["slot"]) != p.force:
            yield f"{p.id} ({p.force.value}) on a {a['slot']} place of {d['id']}"
        if p.force == Force.LINMAS:
            region = f.regions.get(p.desa_code)
            own_kec = region.parent_code if region else ""
            desa, kec = d.get("desa_code", ""), d.get("kecamatan_code", "")
            if not (desa == p.desa_code or (not desa and kec and kec == own_kec)):
                yield f"Linmas {p.id} of desa {p.desa_code} on {d['id']} outside his desa and kecamatan"


@rule("duty_overlap")
def _duty_overlap(f: Facts) -> Iterator[str]:
    if _roster(f) is None:
        return
    _, held = _duties(f)
    for person, duties in sorted(held.items()):
        for (a, _), (b, _) in zip(duties, duties[1:], strict=False):
            if b.start < a.end:
                yield f"{person} holds {a.id} ({a.start} to {a.end}) and {b.id} ({b.start} to {b.end}) at once"


def _travel_hours(f: Facts, a: _Duty, b: _Duty) -> float:
    if a.place == b.place:
        return 0.0
    return geo.road_km(a.lat, a.lon, b.lat, b.lon, f.op.road_factor) / f.op.speed_kmh


@rule("duty_travel")
def _duty_travel(f: Facts) -> Iterator[str]:
    if _roster(f) is None:
        return
    _, held = _duties(f)
    for person, duties in sorted(held.items()):
        for (a, _), (b, _) in zip(duties, duties[1:], strict=False):
            gap = (b.start - a.end).total_seconds() / 3600
            need = _travel_hours(f, a, b)
            if gap >= 0 and gap + 1e-9 < need:
                yield f"{person}: {gap:.2f} h from {a.id} to {b.id}, the road needs {need:.2f} h"


@rule("duty_rest")
def _duty_rest(f: Facts) -> Iterator[str]:
    if _roster(f) is None:
        return
    op = f.op
    by_id, held = _duties(f)
    for d in by_id.values():
        hours = (d.end - d.start).total_seconds() / 3600
        if not d.standing and hours > op.max_duty_hours + 1e-9:
            yield f"duty {d.id} runs {hours:.2f} h, above the {op.max_duty_hours:g} h without relief"
    for person, duties in sorted(held.items()):
        for (a, _), (b, _) in zip(duties, duties[1:], strict=False):
            rest = (b.start - a.end).total_seconds() / 3600 - _travel_hours(f, a, b)
            if b.start >= a.end and rest + 1e-9 < op.min_rest_hours:
                yield f"{person}: {rest:.2f} h of rest between {a.id} and {b.id}, below {op.min_rest_hours:g} h"
        total = sum((d.end - d.start).total_seconds() / 3600 for d, _ in duties)
        if total > op.max_total_hours + 1e-9:
            yield f"{person}: {total:.2f} duty hours over the operation, above {op.max_total_hours:g} h"


@rule("roster_summary")
def _roster_summary(f: Facts) -> Iterator[str]:
    data = _roster(f)
    if data is None:
        return
    travel = sum(float(a.get("cost_km", 0.0)) for a in data.get("assignments", []))
    empty = sum(int(u["count"]) for u in data.get("unfilled", []))
    expected = float(f.plan.summary.get("objective", 0.0)) + travel + UNFILLED_KM * empty
    objective, bound = float(data.get("objective", 0.0)), float(data.get("lower_bound", 0.0))
    if abs(objective - expected) > KM_TOLERANCE * max(1, len(data.get("assignments", []))):
        yield f"roster objective {objective}, expected {expected:.6f} (the plan's, travel and empty places)"
    if bound > objective + KM_TOLERANCE:
        yield f"roster lower bound {bound} above its objective {objective}"
    if abs(float(data.get("gap", 0.0)) - (objective - bound)) > KM_TOLERANCE:
        yield f"roster gap {data.get('gap')}, expected {objective - bound:.6f}"
