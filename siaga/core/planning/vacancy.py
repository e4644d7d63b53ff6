"""Why places of the roster stay empty, and what the planner can change.

For each group of empty places (one force, one window: the same shift of a duty in several
kecamatan), every person of that force in the scenario is counted once, by what keeps him off
it, as the roster's rules (roster.py) decide: on a post of the vote or another duty at that
time, resting between one of those and this (the rest plus the road), the operation's limit
of duty hours, a Linmas of another desa, a shift longer than any may stand, or not one the
roster places (absent, a command post, a pin). Worked out from the plan and its roster as
they are, not recorded by the planner: the plan file does not change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from siaga.core.data import duties as duty_data
from siaga.core.data import pins, positions
from siaga.core.data import stages as stage_data
from siaga.core.data import travel as travel_io
from siaga.core.data.geo import Travel
from siaga.core.data.labels import FORCE, word
from siaga.core.data.model import Duty, Person, Plan, Region, Scenario, StageKind, Unit
from siaga.core.data.text import _, gettext_noop, number
from siaga.core.planning.plan import absentees, kpu_roster
from siaga.core.planning.posts import SLOT_OF_FORCE, SLOTS
from siaga.core.planning.roster import EPS, Roster, shortfall

# What keeps a person off a group of empty places, in the order one is named for him when
# several do (the first that applies).
FILLING = "filling"  # he holds one of the group's own places
VOTE = "vote"  # on a post of the vote during the window
DUTY = "duty"  # on another duty during the window
VOTE_REST = "vote_rest"  # the vote's post ends too close before (rest and road)
VOTE_AHEAD = "vote_ahead"  # the vote's post starts too soon after (rest and road before it)
DUTY_REST = "duty_rest"  # another duty too close before or after
HOURS = "hours"  # the operation's limit of duty hours
LONG = "long"  # the shift is longer than any but a TPS guard may stand
HOME = "home"  # a Linmas of another desa and kecamatan
ABSENT = "absent"
ON_POST = "on_post"  # the vote's places: on another post of the vote
NOT_CALLED = "not_called"  # the vote's places after the apel: not among those the apel gathered
COMMAND = "command"  # a command or staff position
HELD_OFF = "held_off"  # a pin off every post, or a unit with no place
FREE = "free"
ORDER = (
    FILLING,
    ON_POST,
    VOTE,
    DUTY,
    VOTE_REST,
    VOTE_AHEAD,
    DUTY_REST,
    HOURS,
    LONG,
    HOME,
    ABSENT,
    NOT_CALLED,
    COMMAND,
    HELD_OFF,
    FREE,
)


@dataclass(frozen=True, slots=True)
class Cause:
    """How many of the force one thing keeps off; `until`: when the duty that keeps most of
    them ends (for VOTE_AHEAD: when the vote's post starts), `what` its name (the vote's stage
    for the vote)."""

    kind: str
    count: int
    until: dt.datetime | None = None
    what: str = ""


@dataclass(frozen=True, slots=True)
class EmptyPlaces:
    """Empty places of one force in one window, and why."""

    slot: str
    start: dt.datetime
    end: dt.datetime
    duties: tuple[Duty, ...]
    count: int  # empty places
    force: int  # people of the force in the scenario
    causes: tuple[Cause, ...]  # in ORDER, none empty
    earliest: dt.datetime | None  # the first hour enough of those on the vote or duty before are free
    rest_hours: float
    max_duty_hours: float
    max_total_hours: float
    vote: bool = False  # places on the vote's posts (`explain_vote`), not the roster's

    @property
    def main(self) -> Cause | None:
        """The cause that keeps the most people off (not those filling the group itself)."""
        off = [c for c in self.causes if c.kind not in (FILLING, FREE, HOME)]  # HOME: never his
        return max(off, key=lambda c: c.count) if off else None


@dataclass
class _Held:
    start: dt.datetime
    end: dt.datetime
    lat: float
    lon: float
    duty: str  # a roster duty's id, "" for the vote's post
    name: str


def explain(
    scenario: Scenario, plan: Plan, roster: Roster, kecamatan: Iterable[str] | None = None
) -> list[EmptyPlaces]:
    """The roster's empty places (`kecamatan`: only theirs) by force and window, in order of
    time, each with who of that force there is and what keeps each of them off. Whom a re-plan
    took as absent (the plan's) counts as absent, whatever the data says of him now."""
    shorts = shortfall(roster, kecamatan)
    if not shorts:
        return []
    groups: dict[tuple[str, dt.datetime, dt.datetime], list[tuple[Duty, int]]] = defaultdict(list)
    for s in shorts:
        groups[(s.slot, s.duty.start, s.duty.end)].append((s.duty, s.count))
    held = _held(scenario, plan, roster)
    hours = _hours(held)
    away = absentees(plan)
    road = travel_io.measure(scenario)
    out = []
    for (slot, start, end), rows in groups.items():
        duties = tuple({d.id: d for d, _n in rows}.values())
        count = sum(n for _d, n in rows)
        out.append(_group(scenario, roster, slot, start, end, duties, count, held, hours, road, away))
    return sorted(out, key=lambda g: (g.start, g.end, SLOTS.index(g.slot)))


def explain_vote(scenario: Scenario, plan: Plan, kecamatan: Iterable[str] | None = None) -> list[EmptyPlaces]:
    """The empty places on the vote's posts (`kecamatan`: only theirs), by force (a Linmas's
    by desa: only his desa's Linmas may fill them), each with who of that force there is and
    what keeps each of them off: on another post, of another desa, absent (in the data, or
    taken as absent by the re-plan that made the plan), not among those the apel gathered (a
    re-plan after the apel that calls nobody in), a command post, pinned off. The places a
    KPU roster leaves to the PPS (its Linmas) are the KPU's, not counted here."""
    posts = {p.id: p for p in plan.posts}
    within = None if kecamatan is None else set(kecamatan)
    roster_linmas = kpu_roster(scenario)
    empty: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)  # (slot, desa) -> (post, count)
    for u in plan.unfilled:
        post = posts.get(u.post)
        if post is None or (within is not None and post.kecamatan_code not in within):
            continue
        if u.slot == "LINMAS" and roster_linmas:
            continue
        empty[(u.slot, post.desa_code if u.slot == "LINMAS" else "")].append((u.post, u.count))
    if not empty:
        return []
    start, end = duty_data.vote_window(scenario)
    on_post = {a.person for a in plan.assignments}
    away = absentees(plan)
    replanned = plan.extra.get("replan")
    apel_only = isinstance(replanned, dict) and replanned.get("newcomers") is False
    regions, units = scenario.region_by_code(), scenario.unit_by_code()
    op = scenario.operation
    out = []
    for (slot, desa), rows in empty.items():
        duties = tuple(duty_data.vote_duties(scenario, [posts[post] for post, _n in rows]))
        kinds: Counter[str] = Counter()
        for p in scenario.personnel:
            if SLOT_OF_FORCE.get(p.force) != slot:
                continue
            if slot == "LINMAS" and p.desa_code != desa:  # whatever he does, never here
                kind = HOME
            elif p.id in on_post:
                kind = ON_POST
            elif p.id in away:
                kind = ABSENT
            else:
                kind = _off(p, slot, duties, False, False, regions, units)
                kind = NOT_CALLED if kind == FREE and apel_only else kind
            kinds[kind] += 1
        causes = tuple(Cause(kind, kinds[kind]) for kind in ORDER if kinds[kind])
        count = sum(n for _post, n in rows)
        out.append(
            EmptyPlaces(
                slot,
                start,
                end,
                duties,
                count,
                sum(kinds.values()),
                causes,
                None,
                op.min_rest_hours,
                op.max_duty_hours,
                op.max_total_hours,
                vote=True,
            )
        )
    return sorted(out, key=lambda g: (SLOTS.index(g.slot), -g.count, g.duties[0].desa_code))


def _held(scenario: Scenario, plan: Plan, roster: Roster) -> dict[str, list[_Held]]:
    """Each person's duties in the plan: his post of the vote, then the roster's."""
    vote_name = next((s.name for s in stage_data.of(scenario) if s.kind == StageKind.PEMUNGUTAN), roster.vote_stage)
    posts = {p.id: p for p in plan.posts}
    out: dict[str, list[_Held]] = defaultdict(list)
    for a in plan.assignments:
        post = posts.get(a.post)
        if post is not None:
            out[a.person].append(_Held(roster.vote_start, roster.vote_end, post.lat, post.lon, "", vote_name))
    by_id = {d.id: d for d in roster.duties}
    for a in roster.assignments:
        d = by_id.get(a.post)
        if d is not None:
            out[a.person].append(_Held(d.start, d.end, d.lat, d.lon, d.id, d.name))
    return out


def _hours(held: dict[str, list[_Held]]) -> dict[str, float]:
    return {pid: sum((h.end - h.start).total_seconds() / 3600 for h in duties) for pid, duties in held.items()}


def _group(
    scenario: Scenario,
    roster: Roster,
    slot: str,
    start: dt.datetime,
    end: dt.datetime,
    duties: tuple[Duty, ...],
    count: int,
    held: dict[str, list[_Held]],
    hours: dict[str, float],
    road: Travel,
    away: frozenset[str] = frozenset(),
) -> EmptyPlaces:
    """`away`: the people a re-plan took as absent (the plan's), whatever the data says now."""
    settings = roster.settings
    rest = float(settings.get("min_rest_hours", scenario.operation.min_rest_hours))
    longest = float(settings.get("max_duty_hours", scenario.operation.max_duty_hours))
    limit = float(settings.get("max_total_hours", scenario.operation.max_total_hours))
    ids = {d.id for d in duties}
    length = (end - start).total_seconds() / 3600
    too_long = not any(d.standing or d.hours <= longest + EPS for d in duties)
    lats = np.array([d.lat for d in duties], dtype=float)
    lons = np.array([d.lon for d in duties], dtype=float)
    travel: dict[tuple[float, float], float] = {}  # a point -> hours to the nearest of the group's places

    def road_hours(lat: float, lon: float) -> float:
        if (lat, lon) not in travel:
            travel[(lat, lon)] = float(road.hours_from(lat, lon, lats, lons).min())
        return travel[(lat, lon)]

    regions = scenario.region_by_code()
    units = scenario.unit_by_code()
    kinds: dict[str, list[str]] = defaultdict(list)  # cause -> people
    blocking: dict[str, Counter[tuple[dt.datetime, str]]] = defaultdict(Counter)  # cause -> (end, name)
    free_at: list[dt.datetime] = []  # when each of those kept off by what comes before is free
    for p in scenario.personnel:
        if SLOT_OF_FORCE.get(p.force) != slot:
            continue
        mine = held.get(p.id, [])
        if any(h.duty in ids for h in mine):
            kinds[FILLING].append(p.id)
            continue
        if slot == "LINMAS" and not _at_home(p, duties, regions):  # he could never serve here
            kinds[HOME].append(p.id)
            continue
        found: dict[str, _Held] = {}
        ready = start  # the earliest this person could start, given what he holds before
        for h in mine:
            vote = not h.duty
            if h.start < end and start < h.end:
                found.setdefault(VOTE if vote else DUTY, h)
            else:
                gap = dt.timedelta(hours=rest + road_hours(h.lat, h.lon))
                if h.end + gap <= start + dt.timedelta(seconds=EPS) or end + gap <= h.start + dt.timedelta(seconds=EPS):
                    continue
                found.setdefault((VOTE_AHEAD if h.start >= end else VOTE_REST) if vote else DUTY_REST, h)
            if h.start < start:
                gap = dt.timedelta(hours=rest + road_hours(h.lat, h.lon))
                ready = max(ready, h.end + gap)
        if found:
            kind = next(k for k in ORDER if k in found)
            kinds[kind].append(p.id)
            h = found[kind]
            blocking[kind][(h.start if kind == VOTE_AHEAD else h.end, h.name)] += 1  # the vote's start ahead
            if all(x.start < start for x in found.values()):
                free_at.append(ready)
            continue
        over = hours.get(p.id, 0.0) + length > limit + EPS
        kinds[ABSENT if p.id in away else _off(p, slot, duties, too_long, over, regions, units)].append(p.id)
    causes = []
    for kind in ORDER:
        if kinds.get(kind):
            top = blocking[kind].most_common(1)
            until, what = top[0][0] if top else (None, "")
            causes.append(Cause(kind, len(kinds[kind]), until, what))
    need = count - len(kinds.get(FREE, []))
    earliest = None
    if need > 0 and len(free_at) >= need:
        moment = sorted(free_at)[need - 1]
        earliest = moment.replace(minute=0, second=0, microsecond=0)
        if earliest < moment:
            earliest += dt.timedelta(hours=1)
    return EmptyPlaces(
        slot,
        start,
        end,
        duties,
        count,
        sum(c.count for c in causes),
        tuple(causes),
        earliest,
        rest,
        longest,
        limit,
    )


def _off(
    p: Person,
    slot: str,
    duties: tuple[Duty, ...],
    too_long: bool,
    over_hours: bool,
    regions: Mapping[str, Region],
    units: Mapping[str, Unit],
) -> str:
    """What keeps off a person with no duty near the window (as roster._people and _Wave.fits
    decide who may hold a duty)."""
    if not p.available:
        return ABSENT
    if positions.is_command(p.position):
        return COMMAND
    pin = pins.parse(p.pinned_post)
    if pin is not None and pin.kind != pins.POST:
        return HELD_OFF
    if slot == "LINMAS":
        desa = regions.get(p.desa_code)
        if desa is None or desa.lat is None or desa.lon is None:
            return HELD_OFF
    else:
        unit = units.get(p.unit_code)
        if unit is None or unit.lat is None or unit.lon is None:
            return HELD_OFF
    if too_long:
        return LONG
    if over_hours:
        return HOURS
    return FREE


def _at_home(p: Person, duties: tuple[Duty, ...], regions: Mapping[str, Region]) -> bool:
    """Whether a Linmas may serve at one of `duties`: his desa's, or his kecamatan's PPK."""
    desa = regions.get(p.desa_code)
    kecamatan = desa.parent_code if desa is not None else ""
    return any(d.desa_code == p.desa_code or (not d.desa_code and d.kecamatan_code == kecamatan) for d in duties)


# ---------------------------------------------------------------- in the planner's words


def text(g: EmptyPlaces, lang: str = "id") -> tuple[str, str]:
    """What the group is and why (one sentence), and what the planner can do."""
    force = word(FORCE, g.slot, lang)
    window = stage_data.window_text(g.start, g.end)
    name = duty_data.duty_name(g.duties[0].name, lang)
    many = (
        gettext_noop("%(n)s pos (%(name)s, dan %(more)s lainnya)")
        if g.vote
        else gettext_noop("%(n)s tugas (%(name)s, dan %(more)s lainnya)")
    )
    what = name if len(g.duties) == 1 else _(many, lang, n=len(g.duties), name=name, more=len(g.duties) - 1)
    head = (
        _(
            "%(count)s tempat %(force)s kosong di pos pemungutan suara, %(what)s",
            lang,
            count=number(g.count, lang),
            force=force,
            what=what,
        )
        if g.vote
        else _(
            "%(count)s tempat %(force)s kosong %(window)s pada %(what)s",
            lang,
            count=number(g.count, lang),
            force=force,
            what=what,
            window=window,
        )
    )
    parts = [_cause_text(c, g, lang) for c in g.causes]
    why = _(
        "%(head)s: dari %(total)s %(force)s, %(causes)s.",
        lang,
        head=head,
        total=number(g.force, lang),
        force=force,
        causes="; ".join(parts),
    )
    return why, _todo(g, force, lang)


def _when(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{stage_data.day_text(moment)} {moment:%H.%M}"


def _cause_text(c: Cause, g: EmptyPlaces, lang: str) -> str:
    n, rest = number(c.count, lang), f"{g.rest_hours:g}"
    what = duty_data.duty_name(c.what, lang)
    if c.kind == FILLING:
        return _("%(n)s mengisi tempat lain pada tugas ini", lang, n=n)
    if c.kind == VOTE:
        return _(
            "%(n)s masih bertugas di pos pemungutan suara sampai penghitungan selesai %(until)s",
            lang,
            n=n,
            until=_when(c.until),
        )
    if c.kind == DUTY:
        return _(
            "%(n)s sedang bertugas di tugas lain (paling banyak: %(what)s, sampai %(until)s)",
            lang,
            n=n,
            what=what,
            until=_when(c.until),
        )
    if c.kind == VOTE_REST:
        return _(
            "%(n)s beristirahat setelah pos pemungutan suara selesai %(until)s (istirahat %(rest)s jam dan perjalanan)",
            lang,
            n=n,
            until=_when(c.until),
            rest=rest,
        )
    if c.kind == VOTE_AHEAD:
        return _(
            "%(n)s harus beristirahat sebelum pos pemungutan suara mulai %(start)s (istirahat %(rest)s jam dan "
            "perjalanan)",
            lang,
            n=n,
            start=_when(c.until),
            rest=rest,
        )
    if c.kind == DUTY_REST:
        return _(
            "%(n)s beristirahat sebelum atau sesudah tugas lain (%(what)s; istirahat %(rest)s jam dan perjalanan)",
            lang,
            n=n,
            what=what,
            rest=rest,
        )
    if c.kind == HOURS:
        return _(
            "%(n)s akan melewati batas %(limit)s jam tugas sepanjang operasi", lang, n=n, limit=f"{g.max_total_hours:g}"
        )
    if c.kind == LONG:
        return _(
            "%(n)s tidak boleh memegang giliran lebih dari %(longest)s jam", lang, n=n, longest=f"{g.max_duty_hours:g}"
        )
    if c.kind == HOME:
        return _("%(n)s dari desa atau kecamatan lain", lang, n=n)
    if c.kind == ABSENT:
        return _("%(n)s berhalangan/absen", lang, n=n)
    if c.kind == ON_POST:
        return _("%(n)s sudah ditempatkan di pos lain", lang, n=n)
    if c.kind == NOT_CALLED:
        return _("%(n)s tidak ikut apel pergeseran (susun ulang hanya dari yang hadir)", lang, n=n)
    if c.kind == COMMAND:
        return _("%(n)s jabatan komando/staf, tidak diturunkan ke pos", lang, n=n)
    if c.kind == HELD_OFF:
        return _("%(n)s dipin di luar pos atau satuannya tanpa lokasi", lang, n=n)
    return _("%(n)s bebas tetapi tidak ditempatkan", lang, n=n)


def _todo(g: EmptyPlaces, force: str, lang: str) -> str:
    if g.vote:
        return _todo_vote(g, force, lang)
    free = sum(c.count for c in g.causes if c.kind == FREE)
    main = g.main
    kind = FREE if free >= g.count or main is None else main.kind  # free enough: a re-plan fills them
    if g.slot == "LINMAS" and kind != LONG:
        if kind in (VOTE, VOTE_REST, DUTY, DUTY_REST) and g.earliest is not None:
            return _(
                "Minta Linmas tambahan dari desa ini melalui PPS atau kepala desa, atau geser awal tugas ini "
                "ke %(earliest)s atau sesudahnya.",
                lang,
                earliest=_when(g.earliest),
            )
        return _("Minta Linmas tambahan dari desa ini melalui PPS atau kepala desa.", lang)
    if kind in (VOTE, VOTE_REST) and g.earliest is not None:
        return _(
            "Tambah %(force)s (BKO) atau geser awal tugas ini ke %(earliest)s atau sesudahnya.",
            lang,
            force=force,
            earliest=_when(g.earliest),
        )
    if kind in (VOTE, VOTE_REST, VOTE_AHEAD, DUTY, DUTY_REST):
        return _("Tambah %(force)s (BKO) atau geser waktu tugas ini agar tidak berbenturan.", lang, force=force)
    if kind == HOURS:
        return _(
            "Tambah %(force)s (BKO) atau naikkan batas jam tugas operasi (sekarang %(limit)s jam).",
            lang,
            force=force,
            limit=f"{g.max_total_hours:g}",
        )
    if kind == LONG:
        return _(
            "Pecah tugas ini menjadi giliran paling lama %(longest)s jam, atau naikkan batas giliran.",
            lang,
            longest=f"{g.max_duty_hours:g}",
        )
    if kind in (ABSENT, COMMAND, HELD_OFF):
        return _("Tambah %(force)s (BKO), atau periksa data personel yang berhalangan dan pin.", lang, force=force)
    return _("Susun ulang rencana.", lang)


def _todo_vote(g: EmptyPlaces, force: str, lang: str) -> str:
    if g.slot == "LINMAS":
        return _("Minta Linmas tambahan dari desa ini melalui PPS atau kepala desa.", lang)
    if any(c.kind == NOT_CALLED for c in g.causes):
        return _(
            "Tambah %(force)s (BKO), atau izinkan susun ulang memanggil personel yang tidak ikut apel: kunci operasi "
            "susun_ulang_dari_luar_apel = ya.",
            lang,
            force=force,
        )
    if any(c.kind == FREE for c in g.causes):
        return _("Susun ulang rencana.", lang)
    return _("Tambah %(force)s (BKO) dari satuan atas.", lang, force=force)
