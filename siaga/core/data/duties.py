"""Duties in time: what each stage asks for, where, when and from which force (docs/scenario.md 2.13).

The vote's posts (the plan's TPS, balai desa, standby, patrol and reserve posts) are held from
the apel pergeseran to the end of voting and counting: one standing duty each, its people
sleeping at the post with the logistics (DOCTRINE.md 10). Every other stage asks for the duties
of its rules (`RULES`): a warehouse or a PPK guarded round the clock in shifts, escort runs,
masa tenang patrols from 00:00, the KPU and Bawaslu offices during the recapitulation. What
DOCTRINE.md sources is said beside each rule; the rest is Siaga's default.

Places: a PPK sits at its kecamatan's point, a PPS and its balai desa at its desa's point; the
KPU, its warehouse and the Bawaslu office at the Polres headquarters' point, the nearest the
scenario knows (docs/scenario.md 2.13 says so).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from siaga.core.data import stages as stage_data
from siaga.core.data.model import (
    Category,
    Duty,
    DutyKind,
    DutyLevel,
    DutyRuleRow,
    DutyWhen,
    Event,
    Level,
    Post,
    Scenario,
    Stage,
    StageKind,
    UnitKind,
)
from siaga.core.data.patterns import CUSTOM, PRESETS, TNI_AT_TPS, rows_by_category, tni_mode
from siaga.core.data.text import _, gettext_noop

K = StageKind

# Duty kinds beyond the vote's posts, with the name a person reads.
GUDANG_KPU, GUDANG_PPK, KAWAL, PATROLI = DutyKind.GUDANG_KPU, DutyKind.GUDANG_PPK, DutyKind.KAWAL, DutyKind.PATROLI
BALAI_DESA, PPK, KPU, BAWASLU = DutyKind.BALAI_DESA, DutyKind.PPK, DutyKind.KPU, DutyKind.BAWASLU
ACARA, PSU, POSKO = DutyKind.ACARA, DutyKind.PSU, DutyKind.POSKO
STANDING_KINDS = frozenset({PSU})  # TPS guards beyond the vote: they sleep at the post too

POLRES, KECAMATAN, DESA = DutyLevel.POLRES, DutyLevel.KECAMATAN, DutyLevel.DESA
ALL = frozenset({"PEMILU", "PILKADA", "PILKADES"})
REGIONAL = frozenset({"PEMILU", "PILKADA"})


@dataclass(frozen=True, slots=True)
class Rule:
    """A stage's duty: `kind` at every `per` place, `required` people by slot at a time.

    `when`: WHOLE (the stage's window), FIRST or LAST `hours` of it, AFTER_FIRST (what is left
    after the first `hours`), NIGHTLY (each night from 00:00 for `hours`). A guard's window is
    cut into `shifts` equal shifts, or (None) into shifts of the operation's `shift_hours`.
    `route`: an escort's legs, with {kec} and {desa} for the place names."""

    stage: StageKind
    kind: DutyKind
    per: DutyLevel
    required: Mapping[str, int]
    when: str = DutyWhen.WHOLE
    hours: float = 0.0
    shifts: int | None = None
    elections: frozenset[str] = ALL
    route: tuple[str, ...] = ()
    source: str = "Siaga's default"
    name: str = ""
    ring: int = 0  # 1, 2, 3: the ring of a guarded place (ring 1 innermost); 0: none


RING_NAMES = {1: "ring 1 tertutup", 2: "ring 2 pintu masuk", 3: "ring 3 luar"}


RULES: tuple[Rule, ...] = (
    Rule(
        K.DISTRIBUSI_LOGISTIK,
        GUDANG_KPU,
        POLRES,
        {"POLRI": 25},
        elections=REGIONAL,
        source="DOCTRINE.md 11: KPU warehouse, 50 armed in two shifts",
    ),
    Rule(
        K.DISTRIBUSI_LOGISTIK,
        KAWAL,
        KECAMATAN,
        {"POLRI": 2},
        "FIRST",
        8,
        elections=REGIONAL,
        route=("Gudang KPU", "PPK {kec}"),
        source="DOCTRINE.md 11: every movement of ballots is escorted by armed police",
        name="Pengawalan logistik Gudang KPU ke PPK {kec}",
    ),
    Rule(
        K.DISTRIBUSI_LOGISTIK,
        GUDANG_PPK,
        KECAMATAN,
        {"POLRI": 5},
        "AFTER_FIRST",
        8,
        elections=REGIONAL,
        source="DOCTRINE.md 11: PPK warehouse, 5 personnel for 24 hours",
    ),
    Rule(
        K.DISTRIBUSI_LOGISTIK,
        KAWAL,
        DESA,
        {"POLRI": 2},
        "LAST",
        8,
        elections=REGIONAL,
        route=("PPK {kec}", "PPS {desa}"),
        source="DOCTRINE.md 11: KPU warehouse -> PPK -> PPS about H-5",
        name="Pengawalan logistik PPK {kec} ke PPS {desa}",
    ),
    # DOCTRINE.md 10: 24-hour patrols against serangan fajar, strongest from subuh, and
    # catch-in-the-act teams from 00:00. The patrol round the clock and the team each night from
    # 00:00 to 06:00 (the subuh hours) make the night and the dawn the strongest; the numbers
    # and the team's 6 hours are Siaga's defaults.
    Rule(
        K.MASA_TENANG,
        PATROLI,
        KECAMATAN,
        {"POLRI": 2},
        elections=REGIONAL,
        source="DOCTRINE.md 10: 24-hour patrols against serangan fajar; 2 Polri at a time is Siaga's default",
    ),
    Rule(
        K.MASA_TENANG,
        PATROLI,
        KECAMATAN,
        {"POLRI": 4},
        "NIGHTLY",
        6,
        elections=REGIONAL,
        source="DOCTRINE.md 10: catch-in-the-act teams (vote buying, betting) from 00:00; 6 hours is Siaga's default",
        name="Tim tangkap tangan politik uang dan perjudian Kec. {kec}",
    ),
    Rule(
        K.PENGAWALAN,
        KAWAL,
        DESA,
        {"POLRI": 2},
        "LAST",
        6,
        elections=REGIONAL,
        route=("PPS {desa}", "PPK {kec}"),
        source="DOCTRINE.md 11: the boxes go back with a handover record",
        name="Pengawalan kotak suara PPS {desa} ke PPK {kec}",
    ),
    Rule(
        K.PENGAWALAN,
        KAWAL,
        DESA,
        {"POLRI": 2},
        "FIRST",
        2,
        elections=frozenset({"PILKADES"}),
        route=("TPS", "Balai desa {desa}"),
        name="Pengawalan kotak suara TPS ke balai desa {desa}",
    ),
    Rule(
        K.PENGAWALAN,
        BALAI_DESA,
        DESA,
        {"POLRI": 2, "LINMAS": 2},
        "AFTER_FIRST",
        2,
        shifts=2,
        elections=frozenset({"PILKADES"}),
        source="Siaga's default: the boxes sleep at the balai desa, guarded through the night in two shifts",
    ),
    # DOCTRINE.md 11: 10 armed Polri + 4 Linmas + 2 TNI at every PPK until it ends (Malang 2019), in
    # rings: ring 1 closed, ring 2 a searched entrance, ring 3 ID checks. How they share the
    # strength between the rings is Siaga's default.
    *(
        Rule(
            K.REKAP_PPK,
            PPK,
            KECAMATAN,
            need,
            elections=REGIONAL,
            source="DOCTRINE.md 11 (Malang 2019); the split between rings is Siaga's default",
            ring=ring,
        )
        for ring, need in ((1, {"POLRI": 4}), (2, {"POLRI": 4, "TNI": 2}), (3, {"POLRI": 2, "LINMAS": 4}))
    ),
    Rule(
        K.PEMUNGUTAN,
        POSKO,
        POLRES,
        {"POLRI": 4},
        source="DOCTRINE.md 12: the Posko commands on the day; its watch (4 operators at a time) is Siaga's default",
    ),
    Rule(
        K.REKAP_KPU,
        KAWAL,
        KECAMATAN,
        {"POLRI": 2},
        "FIRST",
        8,
        elections=REGIONAL,
        route=("PPK {kec}", "Gudang KPU"),
        source="DOCTRINE.md 11: the boxes go back after the count with a handover record (PPK to KPU)",
        name="Pengawalan kotak suara PPK {kec} ke Gudang KPU",
    ),
    Rule(K.REKAP_KPU, KPU, POLRES, {"POLRI": 10}, elections=REGIONAL, source="DOCTRINE.md 11: priority objects"),
    Rule(K.REKAP_KPU, BAWASLU, POLRES, {"POLRI": 4}, elections=REGIONAL, source="DOCTRINE.md 11: priority objects"),
)

NAMES: dict[str, str] = {
    GUDANG_KPU: "Jaga gudang logistik KPU",
    GUDANG_PPK: "Jaga gudang PPK {kec}",
    KAWAL: "Pengawalan",
    PATROLI: "Patroli masa tenang Kec. {kec}",
    BALAI_DESA: "Jaga balai desa {desa}",
    PPK: "Pengamanan rekapitulasi PPK {kec}",
    KPU: "Pengamanan kantor KPU",
    BAWASLU: "Pengamanan kantor Bawaslu",
    PSU: "Pengamanan PSU TPS {tps} {desa}",
    ACARA: "Pengamanan {event}",
    POSKO: "Piket Posko Polres (operator dan radio)",
}
# A campaign event's rings (DOCTRINE.md 11 describes the rings of a PPK; Siaga applies them to
# rallies and debates): the share of its Polri in each, by default.
RINGS = (
    ("ring 1, panggung dan area tertutup", 0.4),
    ("ring 2, pintu masuk dan pemeriksaan badan", 0.4),
    ("ring 3, luar area dan pemeriksaan identitas", 0.2),
)
CROWD_PER_POLRI = 100  # Siaga's default: one Polri for every 100 expected people, at least 10
ROUTE_POLRI = 4  # on the route of an event, when it has one
VOTE_NAMES: dict[str, str] = {
    "TPS": "Pengamanan TPS",
    "VILLAGE": "Jaga balai desa",
    "STANDBY": "Siaga",
    "PATROL": "Patroli TPS",
    "RESERVE": "Cadangan",
}


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    lat: float
    lon: float
    kecamatan_code: str = ""
    desa_code: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


# The vote's posts as one duty, by the name every page and document gives it: held from the apel
# pergeseran on H-n to the end of the count (`vote_window`), so it is not the voting stage, which
# opens on H at 07.00 (DOCTRINE.md 5 and 10). The stages' own windows are `stages.of`'s.
VOTE_POSTS = gettext_noop("Pergeseran dan pengamanan TPS")


def vote_window(scenario: Scenario) -> tuple[dt.datetime, dt.datetime]:
    """The window of the vote's posts (`VOTE_POSTS`): from the apel pergeseran (else the move,
    else voting) to the end of voting and counting."""
    found = stage_data.of(scenario)
    begin = next((s.start for k in (K.APEL_PERGESERAN, K.PERGESERAN, K.PEMUNGUTAN) for s in found if s.kind == k), None)
    vote = next((s for s in found if s.kind == K.PEMUNGUTAN), None)
    day = scenario.operation.election_date
    start = begin or dt.datetime.combine(day, dt.time(7))
    end = vote.end if vote else dt.datetime.combine(day + dt.timedelta(days=1), dt.time(12))
    return start, end


def vote_duties(scenario: Scenario, posts: Iterable[Post]) -> list[Duty]:
    """The vote's posts as duties: one standing duty each, id the post's id."""
    start, end = vote_window(scenario)
    vote = next((s.name for s in stage_data.of(scenario) if s.kind == K.PEMUNGUTAN), "Pemungutan")
    regions = scenario.region_by_code()
    duties = []
    for p in posts:
        where = regions.get(p.desa_code) or regions.get(p.kecamatan_code)
        name = VOTE_NAMES.get(p.kind, p.kind)
        if p.kind == "TPS":
            name = f"{name} {', '.join(t.rsplit('-', 1)[-1] for t in p.tps)} {where.name if where else ''}".strip()
        elif where is not None:
            name = f"{name} {where.name}"
        duties.append(
            Duty(
                p.id,
                p.kind,
                name,
                vote,
                start,
                end,
                p.id,
                p.desa_code,
                p.kecamatan_code,
                p.lat,
                p.lon,
                dict(p.required),
                standing=True,
            )
        )
    return duties


def rules_of(scenario: Scenario) -> tuple[Rule, ...]:
    """The preset's rules with the scenario's `duty_rules` rows applied: a row replaces the rule
    of the same stage, duty, level, part of the stage and ring; a row of zeros removes it; any
    other row is added, for whatever election."""
    rows: dict[tuple[str, str, str, str, int], DutyRuleRow] = {
        (r.stage, r.duty, r.per, r.when, r.ring): r for r in scenario.duty_rules
    }
    out = []
    for rule in RULES:
        row = rows.pop((rule.stage, rule.kind, rule.per, rule.when, rule.ring), None)
        out.append(rule if row is None else _from_row(row))
    out += [_from_row(row) for row in rows.values()]
    return tuple(r for r in out if any(r.required.values()))


def _from_row(row: DutyRuleRow) -> Rule:
    required = {"POLRI": row.polri, "TNI": row.tni, "LINMAS": row.linmas, "BRIMOB": row.brimob}
    return Rule(
        row.stage,
        row.duty,
        row.per,
        {k: v for k, v in required.items() if v},
        row.when,
        row.hours,
        row.shifts or None,
        route=tuple(leg.strip() for leg in row.route.split(">") if leg.strip()),
        source="the scenario's duty_rules sheet",
        name=row.name,
        ring=row.ring,
    )


def stage_duties(scenario: Scenario, rules: Iterable[Rule] | None = None) -> list[Duty]:
    """Every duty the stages ask for beyond the vote's posts, in order of start: the rules' (the
    scenario's when not given), each PSU's TPS and each campaign event's rings and route."""
    election = stage_data.election_of(scenario.operation)
    places = _places(scenario)
    duties: list[Duty] = [d for e in scenario.events for d in event_duties(scenario, e)]
    seen = {d.id for d in duties}
    for stage in stage_data.of(scenario):
        if stage.kind == K.PSU:
            duties += psu_duties(scenario, stage)
        for rule in rules_of(scenario) if rules is None else rules:
            if rule.stage != stage.kind or election not in rule.elections:
                continue
            for place in places[rule.per]:
                made = _duties(rule, stage, place, scenario)
                if any(d.id in seen for d in made):  # a workbook's rule on another's place and start
                    made = _duties(rule, stage, place, scenario, told_apart=True)
                seen.update(d.id for d in made)
                duties += made
    return sorted(duties, key=lambda d: (d.start, d.end, d.id))


def event_duties(scenario: Scenario, event: Event) -> list[Duty]:
    """A campaign event secured in three rings over its window (in the KAMPANYE stage that holds
    it, else in no stage: its own window) (the event's Polri, else one per
    CROWD_PER_POLRI expected people and at least 10, shared by RINGS; its TNI in ring 3), and
    ROUTE_POLRI on its route when it has one."""
    polri = event.polri or max(10, math.ceil(event.crowd / CROWD_PER_POLRI))
    shares = [math.floor(polri * share) for _ring, share in RINGS]
    shares[0] += polri - sum(shares)
    regions = scenario.region_by_code()
    kec = regions.get(event.kecamatan_code)
    stage = next(
        (s.name for s in stage_data.of(scenario) if s.kind == K.KAMPANYE and s.start <= event.start < s.end), ""
    )
    base = f"{ACARA}-{event.start:%Y%m%d%H%M}-{_slug(event.name)}"
    out = []
    for n, ((ring, _share), count) in enumerate(zip(RINGS, shares, strict=True), 1):
        need = {"POLRI": count} | ({"TNI": event.tni} if n == 3 and event.tni else {})
        out.append(
            Duty(
                f"{base}-R{n}",
                ACARA,
                f"Pengamanan {event.name}, {ring}",
                stage,
                event.start,
                event.end,
                base,
                "",
                event.kecamatan_code,
                event.lat,
                event.lon,
                {k: v for k, v in need.items() if v},
            )
        )
    legs = tuple(leg.strip() for leg in event.route.split(">") if leg.strip())
    if legs:
        out.append(
            Duty(
                f"{base}-RUTE",
                KAWAL,
                f"Pengamanan rute {event.name}" + (f" (Kec. {kec.name})" if kec else ""),
                stage,
                event.start,
                event.end,
                f"{base}-RUTE",
                "",
                event.kecamatan_code,
                event.lat,
                event.lon,
                {"POLRI": ROUTE_POLRI},
                route=legs,
            )
        )
    return out


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.upper()).strip("-")[:40] or "ACARA"


def psu_required(scenario: Scenario) -> dict[str, int]:
    """A re-vote's guard, per TPS: the pattern's strongest row (SANGAT_RAWAN, else the highest
    it has), one TPS to the post, with the operation's reinforcement of sangat rawan posts.
    Siaga's default: a PSU follows a disputed vote (DOCTRINE.md 10), so it is guarded as the
    most vulnerable TPS are."""
    rows = scenario.patterns if scenario.operation.pattern == CUSTOM else PRESETS[scenario.operation.pattern].rows
    by_category = rows_by_category(tuple(rows))
    row = next(
        (by_category[c] for c in (Category.SANGAT_RAWAN, Category.RAWAN, Category.KURANG_RAWAN) if c in by_category),
        None,
    )
    if row is None:
        return {"POLRI": 2}
    need = {
        "POLRI": row.polri_per_post + scenario.operation.reinforce_sangat_rawan,
        "TNI": row.tni_per_post if tni_mode(scenario.operation.pattern) == TNI_AT_TPS else 0,
        "LINMAS": math.ceil(row.linmas_per_tps - 1e-9),
    }
    return {k: v for k, v in need.items() if v > 0}


def psu_duties(scenario: Scenario, stage: Stage) -> list[Duty]:
    """One standing guard per TPS that votes again, over the PSU stage's window."""
    regions = scenario.region_by_code()
    tps = {t.id: t for t in scenario.tps}
    need = psu_required(scenario)
    out = []
    for tps_id in stage.tps:
        t = tps.get(tps_id)
        if t is None:
            continue
        desa = regions.get(t.desa_code)
        name = NAMES[PSU].format(tps=f"{t.number:02d}", desa=desa.name if desa else t.desa_code)
        out.append(
            Duty(
                f"{PSU}-{t.id}-{stage.start:%Y%m%d%H%M}",
                PSU,
                name,
                stage.name,
                stage.start,
                stage.end,
                f"{PSU}-{t.id}",
                t.desa_code,
                desa.parent_code if desa else "",
                t.lat,
                t.lon,
                dict(need),
                standing=True,
            )
        )
    return out


def _duties(rule: Rule, stage: Stage, place: Place, scenario: Scenario, told_apart: bool = False) -> list[Duty]:
    """The rule's duties at one place. Their ids are the kind, place and start (and ring); a rule
    each night, and one `told_apart` from another rule's duty of the same id, adds its part of
    the stage (the masa tenang team each night starts at 00:00 with the first shift of the
    patrol round the clock)."""
    windows = _windows(rule, stage)
    if not windows:
        return []
    words = {"kec": place.extra.get("kec", ""), "desa": place.extra.get("desa", "")}
    name = (rule.name or NAMES[rule.kind]).format(**words) + (f", {RING_NAMES[rule.ring]}" if rule.ring else "")
    route = tuple(leg.format(**words) for leg in rule.route)
    out: list[Duty] = []
    tag = (f"-R{rule.ring}" if rule.ring else "") + (f"-{rule.when}" if told_apart or rule.when == "NIGHTLY" else "")
    for w_start, w_end in windows:
        guard = rule.when in ("WHOLE", "AFTER_FIRST") and rule.kind != KAWAL  # a guard is relieved by shifts
        pieces = _shifts(w_start, w_end, rule, scenario) if guard else [(w_start, w_end)]
        split = len(pieces) > 1
        for n, (start, end) in enumerate(pieces, 1):
            out.append(
                Duty(
                    f"{rule.kind}-{place.code}-{start:%Y%m%d%H%M}{tag}",
                    rule.kind,
                    name,
                    stage.name,
                    start,
                    end,
                    f"{rule.kind}-{place.code}{tag}",
                    place.desa_code,
                    place.kecamatan_code,
                    place.lat,
                    place.lon,
                    dict(rule.required),
                    shift=n if split else 0,
                    route=route,
                )
            )
    return out


def _windows(rule: Rule, stage: Stage) -> list[tuple[dt.datetime, dt.datetime]]:
    hours = dt.timedelta(hours=rule.hours)
    start, end = stage.start, stage.end
    if rule.when == "FIRST":
        return [(start, min(end, start + hours))]
    if rule.when == "LAST":
        return [(max(start, end - hours), end)]
    if rule.when == "AFTER_FIRST":
        return [(start + hours, end)] if start + hours < end else []
    if rule.when == "NIGHTLY":
        nights = []
        day = dt.datetime.combine(start.date(), dt.time(0))
        day = day if day >= start else day + dt.timedelta(days=1)
        while day < end:
            nights.append((day, min(end, day + hours)))
            day += dt.timedelta(days=1)
        return nights
    return [(start, end)]


def _shifts(
    start: dt.datetime, end: dt.datetime, rule: Rule, scenario: Scenario
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The window cut into `rule.shifts` equal shifts (more when one would run past
    `max_duty_hours`), or into shifts of `shift_hours` (the last one shorter); every minute of
    the window in exactly one shift."""
    op = scenario.operation
    longest = dt.timedelta(hours=min(op.shift_hours, op.max_duty_hours))
    if rule.shifts is None:
        step = longest
        count = max(1, math.ceil((end - start) / step - 1e-9))
    else:
        count = max(1, rule.shifts, math.ceil((end - start) / dt.timedelta(hours=op.max_duty_hours) - 1e-9))
        step = (end - start) / count
    cuts = [(start + i * step).replace(second=0, microsecond=0) for i in range(count)] + [end]
    return [(cuts[i], min(end, cuts[i + 1])) for i in range(count)]


def _places(scenario: Scenario) -> dict[str, list[Place]]:
    """The Polres, its kecamatan and desa with TPS, each with a point."""
    regions = scenario.region_by_code()
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for t in scenario.tps:
        points[t.desa_code].append((t.lat, t.lon))
        desa = regions.get(t.desa_code)
        if desa is not None:
            points[desa.parent_code].append((t.lat, t.lon))

    def point(code: str) -> tuple[float, float]:
        r = regions.get(code)
        if r is not None and r.lat is not None and r.lon is not None:
            return r.lat, r.lon
        pts = points[code]
        return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)

    desas = sorted({t.desa_code for t in scenario.tps})
    kecs = sorted({regions[d].parent_code for d in desas if d in regions})
    hq = _headquarters(scenario)
    kec_places = [
        Place(k, regions[k].name, *point(k), kecamatan_code=k, extra={"kec": regions[k].name})
        for k in kecs
        if k in regions
    ]
    desa_places = []
    for d in desas:
        r = regions.get(d)
        if r is None or r.level != Level.DESA:
            continue
        kec = regions.get(r.parent_code)
        desa_places.append(
            Place(
                d,
                r.name,
                *point(d),
                kecamatan_code=r.parent_code,
                desa_code=d,
                extra={"kec": kec.name if kec else "", "desa": r.name},
            )
        )
    return {POLRES: [hq] if hq else [], KECAMATAN: kec_places, DESA: desa_places}


def _headquarters(scenario: Scenario) -> Place | None:
    own = sorted(
        (u for u in scenario.units if u.kind == UnitKind.POLRES and not u.bko_to and u.lat is not None),
        key=lambda u: u.code,
    )
    if own:
        u = own[0]
        assert u.lat is not None and u.lon is not None
        return Place(u.code, u.name, u.lat, u.lon)
    if not scenario.tps:
        return None
    lat = sum(t.lat for t in scenario.tps) / len(scenario.tps)
    lon = sum(t.lon for t in scenario.tps) / len(scenario.tps)
    # No POLRES unit of its own (docs/scenario.md 2.6 may seat it in a neighbour's part): the
    # middle of its TPS, named after its first kecamatan (a kecamatan lies in one Polres), so
    # that the Polres of a national run never share a duty id when their plans are merged.
    regions = scenario.region_by_code()
    kecamatan = min((regions[t.desa_code].parent_code for t in scenario.tps if t.desa_code in regions), default="")
    return Place(f"POLRES-{kecamatan}" if kecamatan else "POLRES", "Polres", lat, lon)


# ---------------------------------------------------------------- as JSON records (the console's operation)


def as_records(scenario: Scenario) -> dict[str, list[dict[str, object]]]:
    """The scenario's duty rules and events as JSON-ready records."""
    return {
        "duty_rules": [
            {f: str(getattr(r, f)) if isinstance(getattr(r, f), str) else getattr(r, f) for f in DutyRuleRow.__slots__}
            for r in scenario.duty_rules
        ],
        "events": [
            {
                f: getattr(e, f).isoformat() if isinstance(getattr(e, f), dt.datetime) else getattr(e, f)
                for f in Event.__slots__
            }
            for e in scenario.events
        ],
    }


def from_records(data: Mapping[str, Any]) -> tuple[tuple[DutyRuleRow, ...], tuple[Event, ...]]:
    """The duty rules and events `as_records` wrote."""
    rules = tuple(
        DutyRuleRow(
            StageKind(r["stage"]),
            DutyKind(r["duty"]),
            DutyLevel(r["per"]),
            int(r.get("polri", 0)),
            int(r.get("tni", 0)),
            int(r.get("linmas", 0)),
            int(r.get("brimob", 0)),
            DutyWhen(r.get("when", DutyWhen.WHOLE)),
            float(r.get("hours", 0.0)),
            int(r.get("shifts", 0)),
            str(r.get("name", "")),
            str(r.get("route", "")),
            int(r.get("ring", 0)),
        )
        for r in data.get("duty_rules") or []
    )
    events = tuple(
        Event(
            str(e["name"]),
            dt.datetime.fromisoformat(e["start"]),
            dt.datetime.fromisoformat(e["end"]),
            float(e["lat"]),
            float(e["lon"]),
            str(e.get("kecamatan_code", "")),
            int(e.get("crowd", 0)),
            int(e.get("polri", 0)),
            int(e.get("tni", 0)),
            str(e.get("route", "")),
        )
        for e in data.get("events") or []
    )
    return rules, events


# ---------------------------------------------------------------- a duty's name in the reader's language

# Siaga's own duty names (the rules' and NAMES's, the rings', a campaign event's) and their
# message ids: a plan file keeps a duty's name as made, in Indonesian (the orders print it so);
# a page shows it in its reader's language (`duty_name`). A name the workbook gave stays as it is.
_NAME_IDS: dict[str, str] = {
    "Jaga gudang logistik KPU": gettext_noop("Jaga gudang logistik KPU"),
    "Jaga gudang PPK {kec}": gettext_noop("Jaga gudang PPK %(kec)s"),
    "Pengawalan": gettext_noop("Pengawalan"),
    "Patroli masa tenang Kec. {kec}": gettext_noop("Patroli masa tenang Kec. %(kec)s"),
    "Tim tangkap tangan politik uang dan perjudian Kec. {kec}": gettext_noop(
        "Tim tangkap tangan politik uang dan perjudian Kec. %(kec)s"
    ),
    "Jaga balai desa {desa}": gettext_noop("Jaga balai desa %(desa)s"),
    "Pengamanan rekapitulasi PPK {kec}": gettext_noop("Pengamanan rekapitulasi PPK %(kec)s"),
    "Pengamanan kantor KPU": gettext_noop("Pengamanan kantor KPU"),
    "Pengamanan kantor Bawaslu": gettext_noop("Pengamanan kantor Bawaslu"),
    "Pengamanan PSU TPS {tps} {desa}": gettext_noop("Pengamanan PSU TPS %(tps)s %(desa)s"),
    "Piket Posko Polres (operator dan radio)": gettext_noop("Piket Posko Polres (operator dan radio)"),
    "Pengawalan logistik Gudang KPU ke PPK {kec}": gettext_noop("Pengawalan logistik Gudang KPU ke PPK %(kec)s"),
    "Pengawalan logistik PPK {kec} ke PPS {desa}": gettext_noop("Pengawalan logistik PPK %(kec)s ke PPS %(desa)s"),
    "Pengawalan kotak suara PPK {kec} ke Gudang KPU": gettext_noop("Pengawalan kotak suara PPK %(kec)s ke Gudang KPU"),
    "Pengawalan kotak suara PPS {desa} ke PPK {kec}": gettext_noop(
        "Pengawalan kotak suara PPS %(desa)s ke PPK %(kec)s"
    ),
    "Pengawalan kotak suara TPS ke balai desa {desa}": gettext_noop(
        "Pengawalan kotak suara TPS ke balai desa %(desa)s"
    ),
    "Pengamanan rute {event} (Kec. {kec})": gettext_noop("Pengamanan rute %(event)s (Kec. %(kec)s)"),
    "Pengamanan rute {event}": gettext_noop("Pengamanan rute %(event)s"),
}
_EVENT = "Pengamanan {event}"  # a campaign event's ring: only with one of RINGS after it
_EVENT_ID = gettext_noop("Pengamanan %(event)s")
_RING_IDS: dict[str, str] = {
    RING_NAMES[1]: gettext_noop("ring 1 tertutup"),
    RING_NAMES[2]: gettext_noop("ring 2 pintu masuk"),
    RING_NAMES[3]: gettext_noop("ring 3 luar"),
    RINGS[0][0]: gettext_noop("ring 1, panggung dan area tertutup"),
    RINGS[1][0]: gettext_noop("ring 2, pintu masuk dan pemeriksaan badan"),
    RINGS[2][0]: gettext_noop("ring 3, luar area dan pemeriksaan identitas"),
}


@cache
def _name_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each name template as a pattern over a whole name (its words caught by name), most
    specific first; every template of the rules and NAMES must have a message id."""
    templates = {r.name for r in RULES if r.name} | set(NAMES.values())
    missing = templates - _NAME_IDS.keys() - {_EVENT}
    assert not missing, f"duty names without a message id: {sorted(missing)}"
    out = []
    for template in sorted(_NAME_IDS, key=lambda t: (-len(re.sub(r"\{\w+\}", "", t)), t)):
        pattern = re.escape(template)
        for word in re.findall(r"\{(\w+)\}", template):
            pattern = pattern.replace(re.escape("{" + word + "}"), f"(?P<{word}>.+?)", 1)
        out.append((re.compile(pattern + r"\Z"), _NAME_IDS[template]))
    return tuple(out)


# The places of Siaga's own escort routes (the rules' `route`) that are words, not names.
_LEG_IDS: dict[str, str] = {
    "Gudang KPU": gettext_noop("Gudang KPU"),
    "Balai desa {desa}": gettext_noop("Balai desa %(desa)s"),
}


def route_leg(leg: str, lang: str = "id") -> str:
    """One place of an escort's route in `lang`: Siaga's own words translated, the places'
    names (PPK, PPS, a desa) as they are; any other leg as it was written."""
    if lang == "id":
        return leg
    if leg in _LEG_IDS:
        return _(_LEG_IDS[leg], lang)
    if leg.startswith("Balai desa "):
        return _(_LEG_IDS["Balai desa {desa}"], lang, desa=leg.removeprefix("Balai desa "))
    return leg


def duty_name(name: str, lang: str = "id") -> str:
    """A duty's name (as a plan keeps it, with its ring and shift) in `lang`: Siaga's own words
    translated, the places' and events' names as they are; a name the workbook gave, as it is."""
    if lang == "id" or not name:
        return name
    base, shift = name, ""
    found = re.fullmatch(r"(.*), shift (\d+)", base, re.S)
    if found:
        base, shift = found.group(1), found.group(2)
    ring = next((r for r in _RING_IDS if base.endswith(f", {r}")), "")
    if ring:
        base = base[: -len(ring) - 2]
    event = ring in {r for r, _share in RINGS} and base.startswith(_EVENT.removesuffix("{event}"))
    for pattern, msgid in _name_patterns():
        match = pattern.match(base)
        if match:
            base = _(msgid, lang, **match.groupdict())
            break
    else:
        if event:
            base = _(_EVENT_ID, lang, event=base.removeprefix(_EVENT.removesuffix("{event}")))
        elif not ring:
            return name  # not one of Siaga's: as the workbook wrote it
    out = f"{base}, {_(_RING_IDS[ring], lang)}" if ring else base
    return f"{out}, shift {shift}" if shift else out
