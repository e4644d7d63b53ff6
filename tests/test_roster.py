"""The roster across the stages (docs/scenario.md 2.13): duties in time, shifts, rest and travel,
the checker's rules that guard them, and a brute force that holds the planner's bound to the
optimum on tiny multi-stage scenarios."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import Counter, defaultdict
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_helpers import cost_km, eligible, haversine_km, rows, tiny_scenario, weight

from siaga.core.check import check_plan
from siaga.core.data import demo
from siaga.core.data import duties as duty_data
from siaga.core.data.model import Category, Force, Stage, StageKind
from siaga.core.planning import roster
from siaga.core.planning.plan import joint_bound, replan
from siaga.core.planning.plan import plan as make_plan

K = StageKind
DAY = dt.date(2024, 2, 14)


def at(hours: float) -> dt.datetime:
    """A moment `hours` after midnight on the voting day."""
    return dt.datetime.combine(DAY, dt.time(0)) + dt.timedelta(hours=hours)


@pytest.fixture(scope="module")
def pilkades():
    scenario = demo.pasuruan_kota()
    return scenario, make_plan(scenario)


@pytest.fixture(scope="module")
def pemilu():
    scenario = demo.pasuruan_kota_pemilu()
    return scenario, make_plan(scenario)


def _by_kind(r: roster.Roster) -> dict[str, list]:
    out = defaultdict(list)
    for d in r.duties:
        out[d.kind].append(d)
    return out


# ---------------------------------------------------------------- the demo operations


def test_the_pilkades_demo_guards_every_balai_desa_through_the_night_in_two_shifts(pilkades):
    scenario, plan = pilkades
    r = roster.of_plan(plan)
    assert r is not None
    guards = _by_kind(r)[duty_data.BALAI_DESA]
    by_desa = defaultdict(list)
    for d in guards:
        by_desa[d.desa_code].append(d)
    assert len(by_desa) == 21  # every desa of the Pilkades
    night = [s for s in scenario.stages if s.kind == K.PENGAWALAN][0]
    for shifts in by_desa.values():
        shifts.sort(key=lambda d: d.start)
        assert [d.shift for d in shifts] == [1, 2]
        assert shifts[0].end == shifts[1].start and shifts[1].end == night.end
        assert shifts[0].start.hour >= 17 and shifts[1].end.date() > shifts[0].start.date()  # over midnight
    held = Counter(a.post for a in r.assignments)
    assert sum(held[d.id] for d in guards) > 0
    assert check_plan(scenario, plan) == []


def test_the_pemilu_demo_holds_escorts_tps_duty_ppk_recapitulation_and_warehouse_shifts(pemilu):
    scenario, plan = pemilu
    r = roster.of_plan(plan)
    assert r is not None
    kinds = _by_kind(r)
    h = scenario.operation.election_date
    escorts = [d for d in kinds[duty_data.KAWAL] if d.stage.startswith("Distribusi")]
    assert escorts and min(d.start.date() for d in escorts) == h - dt.timedelta(days=5)
    assert (r.vote_start.date(), r.vote_end) == (
        h - dt.timedelta(days=1),
        dt.datetime.combine(h, dt.time(12)) + dt.timedelta(days=1),
    )
    ppk = kinds[duty_data.PPK]
    assert (max(d.end for d in ppk) - min(d.start for d in ppk)) == dt.timedelta(days=3)
    warehouse = kinds[duty_data.GUDANG_KPU]
    assert len(warehouse) >= 2 and all(d.hours <= 12 for d in warehouse)
    assert check_plan(scenario, plan) == []


def test_nobody_is_rostered_above_the_fatigue_limits(pemilu):
    scenario, plan = pemilu
    op = scenario.operation
    r = roster.of_plan(plan)
    hours = roster.duty_hours(r, [a.person for a in plan.assignments])
    assert hours and max(hours.values()) <= op.max_total_hours
    vote = {d.id: d for d in duty_data.vote_duties(scenario, plan.posts)}
    by_id = {d.id: d for d in r.duties}
    held = defaultdict(list)
    for a in plan.assignments:
        held[a.person].append(vote[a.post])
    for a in r.assignments:
        held[a.person].append(by_id[a.post])
    for person, duties in held.items():
        duties.sort(key=lambda d: d.start)
        assert sum(d.hours for d in duties) == pytest.approx(hours[person])
        for a, b in itertools.pairwise(duties):
            assert (b.start - a.end).total_seconds() / 3600 >= op.min_rest_hours


def test_a_replan_keeps_the_roster_of_everyone_still_present(pemilu):
    scenario, plan = pemilu
    before = roster.of_plan(plan)
    gone = sorted({a.person for a in before.assignments})[:5]
    after_plan = replan(scenario, plan, absent=gone)
    after = roster.of_plan(after_plan)
    assert not {a.person for a in after.assignments} & set(gone)
    kept = {(a.person, a.post) for a in before.assignments} & {(a.person, a.post) for a in after.assignments}
    assert len(kept) >= len(before.assignments) - 5 * 20  # at most each absentee's duties move
    assert after.kept == len(kept) and after.moved == len(after.assignments) - len(kept)
    empty_before = sum(u.count for u in before.unfilled)
    assert sum(u.count for u in after.unfilled) <= empty_before + sum(1 for a in before.assignments if a.person in gone)


# ---------------------------------------------------------------- the checker's rules, each broken


def _with_roster(plan, **changes):
    data = {**plan.extra["roster"], **changes}
    return replace(plan, extra={**plan.extra, "roster": data})


def _rules(violations):
    return {v.rule for v in violations}


def test_the_checker_finds_one_person_on_two_duties_at_once(pilkades):
    scenario, plan = pilkades
    data = plan.extra["roster"]
    start = {d["id"]: d["start"] for d in data["duties"]}
    first = data["assignments"][0]
    other = next(
        a for a in data["assignments"] if a["duty"] != first["duty"] and start[a["duty"]] == start[first["duty"]]
    )
    moved = [dict(a, person=first["person"]) if a is other else a for a in data["assignments"]]
    found = _rules(check_plan(scenario, _with_roster(plan, assignments=moved)))
    assert "duty_overlap" in found


def test_the_checker_finds_too_little_time_to_travel_between_duties(pilkades):
    scenario, plan = pilkades
    data = plan.extra["roster"]
    guard = next(d for d in data["duties"] if d["kind"] == duty_data.BALAI_DESA and d["shift"] == 1)
    person = next(a["person"] for a in data["assignments"] if a["duty"] == guard["id"] and a["slot"] == "POLRI")
    far = dict(
        guard,
        id="FAR-1",
        place="FAR",
        lat=guard["lat"] + 0.5,
        start=guard["end"],
        end=(dt.datetime.fromisoformat(guard["end"]) + dt.timedelta(hours=2)).isoformat(),
        shift=0,
        required={"POLRI": 1},
    )
    duties = [*data["duties"], far]
    assignments = [*data["assignments"], {"person": person, "duty": "FAR-1", "slot": "POLRI", "cost_km": 0.0}]
    found = _rules(check_plan(scenario, _with_roster(plan, duties=duties, assignments=assignments)))
    assert {"duty_travel", "duty_rest"} <= found
    assert "duty_overlap" not in found


def test_the_checker_finds_too_little_rest_between_duties_at_one_place(pilkades):
    scenario, plan = pilkades
    data = plan.extra["roster"]
    first = next(d for d in data["duties"] if d["kind"] == duty_data.BALAI_DESA and d["shift"] == 1)
    second = next(d for d in data["duties"] if d["place"] == first["place"] and d["shift"] == 2)
    person = next(a["person"] for a in data["assignments"] if a["duty"] == first["id"] and a["slot"] == "POLRI")
    taken = next(a for a in data["assignments"] if a["duty"] == second["id"] and a["slot"] == "POLRI")
    assignments = [dict(a, person=person) if a is taken else a for a in data["assignments"]]
    found = check_plan(scenario, _with_roster(plan, assignments=assignments))
    assert "duty_rest" in _rules(found) and "duty_travel" not in _rules(found)
    assert any("jam antara" in v.message and v.message.startswith(f"{person}: istirahat ") for v in found)


def test_the_checker_finds_a_night_with_no_guard_between_two_shifts(pilkades):
    scenario, plan = pilkades
    data = plan.extra["roster"]
    second = next(d for d in data["duties"] if d["kind"] == duty_data.BALAI_DESA and d["shift"] == 2)
    late = (dt.datetime.fromisoformat(second["start"]) + dt.timedelta(hours=1)).isoformat()
    duties = [dict(d, start=late) if d is second else d for d in data["duties"]]
    found = check_plan(scenario, _with_roster(plan, duties=duties))
    assert any(v.rule == "shift_coverage" and "sif 2 mulai" in v.message for v in found)


def test_the_checker_finds_a_duty_whose_places_are_neither_filled_nor_reported_empty(pilkades):
    scenario, plan = pilkades
    data = plan.extra["roster"]
    dropped = data["assignments"][1:]
    found = check_plan(scenario, _with_roster(plan, assignments=dropped))
    assert "shift_coverage" in _rules(found) and "roster_summary" in _rules(found)


def test_the_checker_finds_a_duty_longer_than_any_relief_allows_and_hours_above_the_limit(pilkades):
    scenario, plan = pilkades
    data = plan.extra["roster"]
    guard = next(d for d in data["duties"] if d["kind"] == duty_data.BALAI_DESA and d["shift"] == 1)
    tight = replace(scenario, operation=replace(scenario.operation, max_duty_hours=3, max_total_hours=20))
    found = check_plan(tight, plan)
    assert any(v.rule == "duty_rest" and guard["id"] in v.message and "tanpa pergantian" in v.message for v in found)
    assert any(v.rule == "duty_rest" and "jam tugas selama operasi" in v.message for v in found)
    assert any("duty hours over the operation" in v.render("en") for v in found)
    assert _rules(check_plan(scenario, plan)) == set()


def test_the_checker_finds_a_linmas_guarding_another_desa(pilkades):
    scenario, plan = pilkades
    data = plan.extra["roster"]
    a = next(a for a in data["assignments"] if a["slot"] == "LINMAS")
    duty = next(d for d in data["duties"] if d["id"] == a["duty"])
    stranger = next(
        p.id for p in scenario.personnel if p.force == Force.LINMAS and p.desa_code not in (duty["desa_code"], "")
    )
    assignments = [dict(x, person=stranger) if x is a else x for x in data["assignments"]]
    found = check_plan(scenario, _with_roster(plan, assignments=assignments))
    assert any(v.rule == "duty_eligibility" and stranger in v.message for v in found)


# ---------------------------------------------------------------- brute force on tiny multi-stage scenarios

TINY_RULES = (
    duty_data.Rule(K.PENGAWALAN, duty_data.KAWAL, duty_data.DESA, {"POLRI": 1}, "FIRST", 2, route=("TPS", "PPS")),
    duty_data.Rule(K.REKAP_PPK, duty_data.PPK, duty_data.KECAMATAN, {"POLRI": 1, "LINMAS": 1}, shifts=2),
)
ONE_POLRI = rows((Category.KURANG_RAWAN, 1, 1, 0, 0), (Category.RAWAN, 1, 1, 0, 0), (Category.SANGAT_RAWAN, 1, 1, 0, 0))


@st.composite
def multi_stage(draw):
    """One or two desa with a TPS each, 2-4 Polri and a Linmas; voting, an escort and a PPK
    guard in two shifts at drawn times, with drawn rest, fatigue and speed settings."""
    n_desa = draw(st.integers(1, 2))
    desa = [(0, 0.0, 0.0), (0, draw(st.integers(-200, 200)) * 1e-4, 0.01)][:n_desa]
    tps = [(d, draw(st.sampled_from(list(Category)[:3])), 0.0, 0.0) for d in range(n_desa)]
    persons = [(draw(st.sampled_from(("POLRES", "POLSEK-0"))), True) for _ in range(draw(st.integers(2, 4)))]
    persons.append(("LINMAS-0", True))
    scenario = tiny_scenario(
        tps,
        persons,
        desa,
        pattern=ONE_POLRI,
        speed_kmh=draw(st.sampled_from((0.5, 2.0, 30.0))),
        min_rest_hours=draw(st.sampled_from((0.0, 2.0, 8.0))),
        max_total_hours=draw(st.sampled_from((10.0, 16.0, 100.0))),
        max_duty_hours=draw(st.sampled_from((4.0, 12.0))),
    )
    escort = draw(st.integers(0, 12))
    recap = draw(st.integers(0, 20))
    stages = (
        Stage("Pemungutan", K.PEMUNGUTAN, at(7), at(13)),
        Stage("Pengawalan", K.PENGAWALAN, at(13 + escort), at(13 + escort + 4)),
        Stage("Rekap", K.REKAP_PPK, at(13 + recap), at(13 + recap + draw(st.sampled_from((6, 12, 16))))),
    )
    return replace(scenario, stages=stages)


def _brute_force(scenario, plan, r):
    """The least objective over every roster: each person takes any set of places (the vote's
    posts and the duties) that fit together, written again from docs/scenario.md 2.13."""
    op = scenario.operation
    vote = duty_data.vote_duties(scenario, plan.posts)
    posts = {p.id: p for p in plan.posts}
    places = [(d, s, n, weight(posts[d.id])) for d in vote for s, n in d.required.items() if n > 0]
    places += [(d, s, n, 1) for d in r.duties for s, n in d.required.items() if n > 0]
    regions = {x.code: x for x in scenario.regions}
    units = {u.code: u for u in scenario.units}

    def origin(p):
        if p.force == Force.LINMAS:
            x = regions[p.desa_code]
            return x.lat, x.lon, "", x.parent_code
        u = units[p.unit_code]
        return u.lat, u.lon, u.kecamatan_code if u.code.startswith("POLSEK") else "", ""

    def fits(p, d, slot):
        if d.id in posts:
            return eligible(p, posts[d.id], slot)
        if {"POLRI": Force.POLRI, "LINMAS": Force.LINMAS}[slot] != p.force or d.hours > op.max_duty_hours:
            return False
        return (
            p.force != Force.LINMAS
            or d.desa_code == p.desa_code
            or (not d.desa_code and d.kecamatan_code == origin(p)[3])
        )

    def cost(p, d):
        if d.id in posts:
            return cost_km(scenario, p, posts[d.id])
        lat, lon, sector, _ = origin(p)
        km = op.road_factor * haversine_km(lat, lon, d.lat, d.lon)
        return km + (op.out_of_sector_penalty_km if sector and d.kecamatan_code != sector else 0)

    def apart(a, b):
        a, b = sorted((a, b), key=lambda d: d.start)
        travel = 0 if a.place == b.place else op.road_factor * haversine_km(a.lat, a.lon, b.lat, b.lon) / op.speed_kmh
        return (b.start - a.end).total_seconds() / 3600 >= travel + op.min_rest_hours - 1e-9

    options = []
    for p in scenario.personnel:
        mine = [i for i, (d, s, _, _) in enumerate(places) if fits(p, d, s)]
        sets = []
        for k in range(len(mine) + 1):
            for chosen in itertools.combinations(mine, k):
                ds = [places[i][0] for i in chosen]
                if (
                    sum(d.hours for d in ds if d.id not in posts) + sum(d.hours for d in ds if d.id in posts)
                    > op.max_total_hours + 1e-9
                ):
                    continue
                if all(apart(a, b) for a, b in itertools.combinations(ds, 2)):
                    sets.append((chosen, sum(cost(p, places[i][0]) for i in chosen)))
        options.append(sets)

    @functools.cache
    def best(k, left):
        if k == len(options):
            return sum(places[i][3] * 10_000 * n for i, n in enumerate(left))
        out = float("inf")
        for chosen, c in options[k]:
            if all(left[i] for i in chosen):
                rest = list(left)
                for i in chosen:
                    rest[i] -= 1
                out = min(out, c + best(k + 1, tuple(rest)))
        return out

    return best(0, tuple(n for _, _, n, _ in places))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multi_stage())
def test_the_roster_bound_holds_the_brute_force_optimum_and_the_checker_accepts_it(scenario):
    plan = make_plan(scenario)
    r = roster.build(scenario, plan, rules=TINY_RULES, joint=lambda duties: joint_bound(scenario, plan.posts, duties))
    plan = replace(plan, extra={**plan.extra, "roster": roster.to_json(r)})
    assert check_plan(scenario, plan) == []
    optimum = _brute_force(scenario, plan, r)
    assert r.lower_bound <= optimum + 1e-3  # the bound is a bound
    assert optimum <= r.objective + 1e-3  # and the roster is a roster
    assert r.objective - optimum <= r.gap + 1e-3  # so the gap bounds the distance to the optimum


# ---------------------------------------------------------------- PSU


def test_a_psu_is_guarded_by_people_free_then_with_the_strongest_pattern(pilkades):
    scenario, plan = pilkades
    first = replan(scenario, plan)  # the roster before the PSU, as a re-plan would keep it
    chosen = [t.id for t in scenario.tps[:3]]
    psu = Stage("PSU Desa Jeruk", K.PSU, dt.datetime(2022, 3, 30, 7), dt.datetime(2022, 3, 30, 17), tuple(chosen))
    with_psu = replace(scenario, stages=(*scenario.stages, psu))
    after = replan(with_psu, first)
    r = roster.of_plan(after)
    guards = [d for d in r.duties if d.kind == duty_data.PSU]
    assert [d.place for d in guards] == [f"PSU-{t}" for t in chosen]
    strongest = duty_data.psu_required(with_psu)
    assert all(d.required == strongest for d in guards) and strongest["POLRI"] >= 1
    held = Counter((a.post, a.slot) for a in r.assignments)
    assert sum(held[(d.id, s)] for d in guards for s in d.required) == sum(sum(d.required.values()) for d in guards)
    before = {(a.person, a.post) for a in roster.of_plan(first).assignments}
    assert before <= {(a.person, a.post) for a in r.assignments}  # nobody moved for the PSU
    assert after.assignments == first.assignments  # the vote is untouched
    for d in guards:
        linmas = [a.person for a in r.assignments if a.post == d.id and a.slot == "LINMAS"]
        desa = {p.id: p.desa_code for p in scenario.personnel}
        assert all(desa[x] == d.desa_code for x in linmas)
    assert check_plan(with_psu, after) == []


# ---------------------------------------------------------------- the rules as data: duty_rules and events


def test_the_duty_rules_sheet_changes_removes_and_adds_rules_and_survives_the_workbook(tmp_path):
    from siaga.core.data.model import DutyKind, DutyLevel, DutyRuleRow, DutyWhen
    from siaga.core.data.scenario import read_scenario, write_scenario

    base = demo.pasuruan_kota_pemilu()
    rows = (
        DutyRuleRow(K.REKAP_PPK, DutyKind.PPK, DutyLevel.KECAMATAN, polri=6, ring=1),  # ring 1 stronger
        DutyRuleRow(K.REKAP_KPU, DutyKind.BAWASLU, DutyLevel.POLRES),  # all zero: no Bawaslu guard
        DutyRuleRow(K.PENGAWALAN, DutyKind.PATROLI, DutyLevel.KECAMATAN, polri=2, when=DutyWhen.NIGHTLY, hours=6),
    )
    scenario = replace(base, duty_rules=rows)
    write_scenario(scenario, tmp_path / "rules.xlsx")
    read = read_scenario(tmp_path / "rules.xlsx")
    assert read.duty_rules == rows
    duties = duty_data.stage_duties(read)
    ring1 = [d for d in duties if d.kind == duty_data.PPK and d.place.endswith("-R1")]
    assert ring1 and all(d.required == {"POLRI": 6} for d in ring1)
    assert not any(d.kind == duty_data.BAWASLU for d in duties)
    patrols = [d for d in duties if d.kind == duty_data.PATROLI and d.stage.startswith("Pengawalan")]
    assert patrols and all(d.start.hour == 0 and d.hours == 6 for d in patrols)
    made = make_plan(read)
    assert check_plan(read, made) == []


def test_a_campaign_event_is_guarded_in_three_rings_and_on_its_route():
    from siaga.core.data.model import Event

    base = demo.pasuruan_kota_pemilu()
    kampanye = next(s for s in base.stages if s.kind == K.KAMPANYE)
    start = kampanye.start + dt.timedelta(days=10, hours=9)
    rally = Event(
        "Kampanye akbar Lapangan Grati",
        start,
        start + dt.timedelta(hours=5),
        -7.70,
        113.0,
        "35.14.20",
        crowd=3000,
        route="Alun-alun > Lapangan Grati",
    )
    scenario = replace(base, events=(rally,))
    guards = [d for d in duty_data.stage_duties(scenario) if d.start == start]
    rings = [d for d in guards if d.kind == duty_data.ACARA]
    assert [d.required["POLRI"] for d in rings] == [12, 12, 6]  # 30 Polri for 3,000 people, 40/40/20
    assert all(d.stage == kampanye.name and "ring" in d.name for d in rings)
    route = [d for d in guards if d.kind == duty_data.KAWAL]
    assert len(route) == 1 and route[0].route == ("Alun-alun", "Lapangan Grati")
    made = make_plan(scenario)
    held = Counter(a.post for a in roster.of_plan(made).assignments)
    assert sum(held[d.id] for d in rings) == 30  # a campaign day: the Polres is free
    assert check_plan(scenario, made) == []


def test_an_event_outside_any_campaign_stage_keeps_its_own_window():
    from siaga.core.data.model import Event

    base = demo.pasuruan_kota()  # a Pilkades: no campaign stage in its preset
    start = dt.datetime(2022, 3, 15, 19)
    debate = Event("Debat calon kepala desa Semare", start, start + dt.timedelta(hours=3), -7.65, 112.95, polri=8)
    scenario = replace(base, events=(debate,))
    rings = [d for d in duty_data.stage_duties(scenario) if d.kind == duty_data.ACARA]
    assert [d.required["POLRI"] for d in rings] == [4, 3, 1] and {d.stage for d in rings} == {""}
    made = make_plan(scenario)
    assert check_plan(scenario, made) == []
    moved = {**made.extra["roster"]}
    moved["duties"] = [
        dict(d, end=d["end"].replace("22:00", "23:00")) if d["kind"] == "ACARA" else d for d in moved["duties"]
    ]
    found = check_plan(scenario, replace(made, extra={**made.extra, "roster": moved}))
    assert any(v.rule == "duty_windows" for v in found)


def test_a_plan_of_two_polres_keeps_both_rosters_and_passes_the_checker():
    from plan_helpers import twin_kabupaten

    from siaga.core.planning import engine

    people = [("POLRES", True), ("POLSEK-0", True), ("POLRES", True)]
    single = tiny_scenario([(0, Category.RAWAN, 0.0, 0.0)], people, pattern="pemilu-2024")
    stages = (
        Stage("Pemungutan", K.PEMUNGUTAN, at(7), at(13)),
        Stage("Rekap", K.REKAP_PPK, at(30), at(42)),
    )
    twins = replace(twin_kabupaten(replace(single, stages=stages)), stages=stages)
    merged = engine.plan_all(twins, workers=1)
    r = roster.of_plan(merged)
    assert r is not None and merged.extra["polres"] == 2
    assert {d.kecamatan_code[:5] for d in r.duties if d.kind == duty_data.PPK} == {"35.01", "35.02"}
    assert check_plan(twins, merged) == []
