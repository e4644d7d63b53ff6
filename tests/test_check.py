"""The independent checker: each rule refuses a plan that breaks it and only it.

Every case takes a valid plan of a small hand-made scenario, breaks one rule (keeping the
unfilled list and the summary consistent where the rule is not about them) and expects a
violation of that rule and no other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_helpers import (
    cost_km,
    desa_code,
    reserve_coverage,
    rows,
    tiny_scenario,
    twin_kabupaten,
    weight,
    without_roster,
)

from siaga.core import check
from siaga.core.check import jurisdiction, vulnerability
from siaga.core.data import demo, generator, geo
from siaga.core.data.model import Assignment, Category, Plan, Post, Scenario, Unfilled
from siaga.core.planning import engine, polres, risk
from siaga.core.planning.plan import plan as make_plan

KR, R, SR, KH = Category.KURANG_RAWAN, Category.RAWAN, Category.SANGAT_RAWAN, Category.KHUSUS


DESA = [(0, 0.0, 0.0), (0, 0.010, 0.005), (1, 0.0, 0.0)]


def rich_scenario() -> Scenario:
    """Two kecamatan, three desa; posts of every kind; one Linmas place left empty; spare
    Polri, Linmas and Brimob; unavailable people; a Satpol PP member no slot takes.

    KURANG_RAWAN posts require nobody (pattern row 2/0/0/0), so they can be edited freely.
    """
    tps = [
        (0, SR, 0.001, 0.001),
        (0, KR, 0.002, -0.001),
        (0, KR, 0.0025, -0.0012),
        (0, KR, 0.003, -0.0015),
        (1, R, 0.0, 0.0),
        (1, R, 0.001, 0.001),
        (1, KR, -0.001, 0.0),
        (2, KR, 0.0, 0.0),
        (2, R, 0.002, 0.0),
    ]
    persons = (
        [("POLRES", True)] * 4
        + [("POLSEK-0", True)] * 2
        + [("POLSEK-1", True)] * 3
        + [("POLRES", False)]
        + [("KODIM", True), ("KORAMIL-0", True)]
        + [("LINMAS-0", True)] * 3
        + [("LINMAS-1", True)] * 2
        + [("LINMAS-2", True)] * 2
        + [("LINMAS-2", False)]
        + [("BRIMOB", True)] * 5
        + [("BRIMOB", False)]
        + [("SATPOLPP", True)]
    )
    pattern = rows((KR, 2, 0, 0, 0), (R, 2, 1, 1, 1.5), (SR, 1, 2, 0, 2))
    return tiny_scenario(
        tps, persons, DESA, pattern, village_guard_polri=1, reserve_team_size=2, max_post_radius_km=1.0
    )


RICH = rich_scenario()
# The vote's rules are broken on the plan without its roster: a broken vote also breaks the
# roster built on it (tests/test_roster.py breaks each of the roster's rules on its own).
RICH_PLAN = without_roster(make_plan(RICH))


# ---------------------------------------------------------------- editing a plan


def rebuilt(plan: Plan, **changes: object) -> Plan:
    """`plan` with `changes`, its unfilled list and summary recomputed to match."""
    p = replace(plan, **changes)  # type: ignore[arg-type]
    assigned = Counter((a.post, a.slot) for a in p.assignments)
    unfilled = tuple(
        Unfilled(post.id, slot, n - assigned[(post.id, slot)])
        for post in p.posts
        for slot, n in post.required.items()
        if n > assigned[(post.id, slot)]
    )
    weight_of = {post.id: weight(post) for post in p.posts}
    penalty = sum(weight_of[u.post] * 10_000 * u.count for u in unfilled)
    cost = sum(a.cost_km for a in p.assignments)
    summary = {
        **p.summary,
        "assigned": len(p.assignments),
        "idle": p.summary["persons"] - len(p.assignments),
        "slots": sum(sum(post.required.values()) for post in p.posts),
        "unfilled": sum(u.count for u in unfilled),
        "cost_km": cost,
        "objective": penalty + cost,
        "lower_bound": penalty + cost,
    }
    return replace(p, unfilled=unfilled, summary=summary)


def post_of(plan: Plan, test: Callable[[Post], bool]) -> Post:
    return next(p for p in plan.posts if test(p))


def with_post(plan: Plan, old: Post, new: Post | None) -> tuple[Post, ...]:
    """The posts with `old` replaced by `new` (or dropped)."""
    return tuple(q for p in plan.posts for q in ([p] if p is not old else [new] if new else []))


def at(scenario: Scenario, person_id: str, post: Post, slot: str) -> Assignment:
    """An assignment with its true cost."""
    person = next(p for p in scenario.personnel if p.id == person_id)
    return Assignment(person_id, post.id, slot, cost_km(scenario, person, post))


def idle(scenario: Scenario, plan: Plan, origin: str, available: bool = True) -> str:
    """An idle person of a unit code (or Linmas desa code)."""
    busy = {a.person for a in plan.assignments}
    return next(
        p.id
        for p in scenario.personnel
        if origin in (p.unit_code, p.desa_code) and p.available == available and p.id not in busy
    )


def kurang_rawan(plan: Plan) -> list[Post]:
    """KURANG_RAWAN TPS posts: they require nobody here, so nobody is assigned to them."""
    return [p for p in plan.posts if p.kind == "TPS" and p.category == KR]


def desa(d: int) -> str:
    return desa_code(d, DESA)


# ---------------------------------------------------------------- one breaker per rule


def duplicate_post_id(s: Scenario, p: Plan) -> Plan:
    first, second = kurang_rawan(p)[:2]
    return replace(p, posts=with_post(p, second, replace(second, id=first.id)))


def unknown_tps_category(s: Scenario, p: Plan) -> Plan:
    return replace(p, tps_categories={**p.tps_categories, f"{desa(0)}-99": KR})


def category_other_than_the_override(s: Scenario, p: Plan) -> Plan:
    """SANGAT_RAWAN -> KHUSUS everywhere it shows: same pattern row, same weight."""
    tps_post = post_of(p, lambda q: q.category == SR and q.kind == "TPS")
    village = post_of(p, lambda q: q.kind == "VILLAGE" and q.desa_code == tps_post.desa_code)
    posts = with_post(p, tps_post, replace(tps_post, category=KH))
    posts = tuple(replace(q, category=KH) if q is village else q for q in posts)
    return replace(p, posts=posts, tps_categories={**p.tps_categories, tps_post.tps[0]: KH})


def tps_left_out(s: Scenario, p: Plan) -> Plan:
    pair = post_of(p, lambda q: q.category == KR and len(q.tps) == 2)
    tps_by_id = {t.id: t for t in s.tps}
    far = next(t for t in pair.tps if (tps_by_id[t].lat, tps_by_id[t].lon) != (pair.lat, pair.lon))
    return replace(p, posts=with_post(p, pair, replace(pair, tps=tuple(t for t in pair.tps if t != far))))


def post_in_wrong_kecamatan(s: Scenario, p: Plan) -> Plan:
    post = kurang_rawan(p)[0]
    other = next(r.code for r in s.regions if r.level == "KECAMATAN" and r.code != post.kecamatan_code)
    return replace(p, posts=with_post(p, post, replace(post, kecamatan_code=other)))


def post_too_big(s: Scenario, p: Plan) -> Plan:
    pair = post_of(p, lambda q: q.category == KR and len(q.tps) == 2)
    single = post_of(p, lambda q: q.category == KR and len(q.tps) == 1 and q.desa_code == pair.desa_code)
    posts = with_post(p, pair, replace(pair, tps=pair.tps + single.tps))
    return replace(p, posts=tuple(q for q in posts if q is not single))


def post_off_its_tps(s: Scenario, p: Plan) -> Plan:
    pair = post_of(p, lambda q: q.category == KR and len(q.tps) == 2)
    return replace(p, posts=with_post(p, pair, replace(pair, lat=pair.lat + 0.05)))


def post_requires_more_than_pattern(s: Scenario, p: Plan) -> Plan:
    post = post_of(p, lambda q: q.category == R and len(q.tps) == 1)
    return rebuilt(p, posts=with_post(p, post, replace(post, required={**post.required, "LINMAS": 3})))


def village_post_missing(s: Scenario, p: Plan) -> Plan:
    village = post_of(p, lambda q: q.kind == "VILLAGE")
    return rebuilt(
        p,
        posts=with_post(p, village, None),
        assignments=tuple(a for a in p.assignments if a.post != village.id),
    )


def village_post_away_from_desa_point(s: Scenario, p: Plan) -> Plan:
    village = post_of(p, lambda q: q.kind == "VILLAGE")
    moved = replace(village, lat=village.lat + 0.01)
    assignments = tuple(at(s, a.person, moved, a.slot) if a.post == village.id else a for a in p.assignments)
    return rebuilt(p, posts=with_post(p, village, moved), assignments=assignments)


def village_post_in_wrong_kecamatan(s: Scenario, p: Plan) -> Plan:
    """Costs follow the stated kecamatan, so only the kecamatan itself is wrong."""
    village = post_of(p, lambda q: q.kind == "VILLAGE")
    other = next(r.code for r in s.regions if r.level == "KECAMATAN" and r.code != village.kecamatan_code)
    moved = replace(village, kecamatan_code=other)
    assignments = tuple(at(s, a.person, moved, a.slot) if a.post == village.id else a for a in p.assignments)
    return rebuilt(p, posts=with_post(p, village, moved), assignments=assignments)


def reserve_team_missing(s: Scenario, p: Plan) -> Plan:
    team = post_of(p, lambda q: q.kind == "RESERVE")
    return rebuilt(p, posts=with_post(p, team, None), assignments=tuple(a for a in p.assignments if a.post != team.id))


def reserve_team_away_from_units(s: Scenario, p: Plan) -> Plan:
    team = post_of(p, lambda q: q.kind == "RESERVE")
    moved = replace(team, lat=team.lat + 0.01)
    assignments = tuple(at(s, a.person, moved, a.slot) if a.post == team.id else a for a in p.assignments)
    return rebuilt(p, posts=with_post(p, team, moved), assignments=assignments)


def linmas_outside_their_desa(s: Scenario, p: Plan) -> Plan:
    gap = next(u for u in p.unfilled if u.slot == "LINMAS")
    post = post_of(p, lambda q: q.id == gap.post)
    stranger = idle(s, p, next(d for d in (desa(0), desa(1), desa(2)) if d != post.desa_code))
    return rebuilt(p, assignments=(*p.assignments, at(s, stranger, post, "LINMAS")))


def unavailable_person_assigned(s: Scenario, p: Plan) -> Plan:
    old = next(a for a in p.assignments if a.slot == "POLRI" and a.person in unit_members(s, "POLRES"))
    post = post_of(p, lambda q: q.id == old.post)
    new = at(s, idle(s, p, "POLRES", available=False), post, "POLRI")
    return rebuilt(p, assignments=tuple(new if a is old else a for a in p.assignments))


def wrong_force_in_slot(s: Scenario, p: Plan) -> Plan:
    old = next(a for a in p.assignments if a.slot == "POLRI")
    post = post_of(p, lambda q: q.id == old.post)
    new = at(s, idle(s, p, "SATPOLPP"), post, "POLRI")
    return rebuilt(p, assignments=tuple(new if a is old else a for a in p.assignments))


def person_in_two_slots(s: Scenario, p: Plan) -> Plan:
    first, second = [a for a in p.assignments if a.slot == "POLRI" and a.post != p.assignments[0].post][:2]
    post = post_of(p, lambda q: q.id == second.post)
    new = at(s, first.person, post, "POLRI")
    return rebuilt(p, assignments=tuple(new if a is second else a for a in p.assignments))


def slot_over_capacity(s: Scenario, p: Plan) -> Plan:
    post = post_of(p, lambda q: q.category == SR and q.kind == "TPS")
    return rebuilt(p, assignments=(*p.assignments, at(s, idle(s, p, "POLRES"), post, "POLRI")))


def cost_misstated(s: Scenario, p: Plan) -> Plan:
    first = p.assignments[0]
    return rebuilt(p, assignments=(replace(first, cost_km=first.cost_km + 0.5), *p.assignments[1:]))


def unfilled_not_listed(s: Scenario, p: Plan) -> Plan:
    assert p.unfilled
    return replace(p, unfilled=p.unfilled[1:])


def unfilled_listed_for_a_full_slot(s: Scenario, p: Plan) -> Plan:
    full = p.assignments[0]
    return replace(p, unfilled=(*p.unfilled, Unfilled(full.post, full.slot, 1)))


def objective_misstated(s: Scenario, p: Plan) -> Plan:
    return replace(p, summary={**p.summary, "objective": p.summary["objective"] + 1.0})


def lower_bound_above_objective(s: Scenario, p: Plan) -> Plan:
    return replace(p, summary={**p.summary, "lower_bound": p.summary["objective"] + 1.0})


def reserve_coverage_misstated(s: Scenario, p: Plan) -> Plan:
    assert p.summary["reserve_covered_weight"] >= 2
    return replace(p, summary={**p.summary, "reserve_covered_weight": p.summary["reserve_covered_weight"] - 2})


def reserve_total_misstated(s: Scenario, p: Plan) -> Plan:
    return replace(p, summary={**p.summary, "reserve_total_weight": p.summary["reserve_total_weight"] + 2})


def idle_count_misstated(s: Scenario, p: Plan) -> Plan:
    return replace(p, summary={**p.summary, "idle": p.summary["idle"] + 1})


def unit_members(s: Scenario, unit: str) -> set[str]:
    return {p.id for p in s.personnel if p.unit_code == unit}


CASES: list[tuple[str, Callable[[Scenario, Plan], Plan]]] = [
    ("unique_post_ids", duplicate_post_id),
    ("category", unknown_tps_category),
    ("category", category_other_than_the_override),
    ("tps_in_one_post", tps_left_out),
    ("post_desa_and_category", post_in_wrong_kecamatan),
    ("post_size", post_too_big),
    ("post_radius", post_off_its_tps),
    ("post_required", post_requires_more_than_pattern),
    ("village_posts", village_post_missing),
    ("village_posts", village_post_away_from_desa_point),
    ("village_posts", village_post_in_wrong_kecamatan),
    ("reserve_posts", reserve_team_missing),
    ("reserve_posts", reserve_team_away_from_units),
    ("eligibility", linmas_outside_their_desa),
    ("eligibility", unavailable_person_assigned),
    ("eligibility", wrong_force_in_slot),
    ("one_slot_per_person", person_in_two_slots),
    ("capacity", slot_over_capacity),
    ("cost", cost_misstated),
    ("unfilled", unfilled_not_listed),
    ("unfilled", unfilled_listed_for_a_full_slot),
    ("summary", objective_misstated),
    ("summary", lower_bound_above_objective),
    ("summary", idle_count_misstated),
    ("summary", reserve_coverage_misstated),
    ("summary", reserve_total_misstated),
]


def test_it_accepts_the_valid_plans_the_cases_start_from():
    assert check.check_plan(RICH, RICH_PLAN) == []
    kinds = Counter(p.kind for p in RICH_PLAN.posts)
    assert kinds["VILLAGE"] == 3 and kinds["RESERVE"] == 2  # every kind of post is there to break
    assert [(u.slot, u.count) for u in RICH_PLAN.unfilled] == [("LINMAS", 1)]
    covered, total = reserve_coverage(RICH, RICH_PLAN)
    assert (RICH_PLAN.summary["reserve_covered_weight"], RICH_PLAN.summary["reserve_total_weight"]) == (covered, total)


def test_it_accepts_the_demo_plan():
    scenario = demo.pasuruan_kota()
    assert check.check_plan(scenario, make_plan(scenario)) == []


@pytest.mark.parametrize(("rule", "breaker"), CASES, ids=[f"{r}-{b.__name__}" for r, b in CASES])
def test_it_refuses_a_plan_that_breaks_one_rule_naming_only_that_rule(rule, breaker):
    broken = breaker(RICH, RICH_PLAN)
    violations = check.check_plan(RICH, broken)
    assert {v.rule for v in violations} == {rule}, violations


def test_it_has_a_case_for_every_rule_of_the_checker():
    # own_polres needs two Polres: tests/test_plan.py breaks it on its own scenario, and the
    # two-Polres cases below break it, reserve_posts and the reserve coverage again.
    # command_off_posts needs a scenario with positions: its own two tests below.
    # tni_standby and linmas_roster: tests/test_forces.py breaks each on the demo.
    # The roster's rules: tests/test_roster.py breaks each on the demo.
    roster_rules = {"duty_windows", "shift_coverage", "duty_eligibility", "duty_overlap", "duty_travel", "duty_rest"}
    elsewhere = {"own_polres", "command_off_posts", "tni_standby", "linmas_roster", "roster_summary", *roster_rules}
    assert {rule for rule, _ in CASES} | elsewhere == set(check.RULES)


def with_position(s: Scenario, person: str, position: str) -> Scenario:
    return replace(s, personnel=tuple(replace(p, position=position) if p.id == person else p for p in s.personnel))


def test_it_refuses_a_plan_that_puts_a_command_position_on_a_post():
    guard = next(a.person for a in RICH_PLAN.assignments if a.slot == "POLRI")
    violations = check.check_plan(with_position(RICH, guard, "Kapolsek Satu"), RICH_PLAN)
    assert {v.rule for v in violations} == {"command_off_posts"}, violations


def test_it_accepts_a_plan_that_keeps_command_off_the_posts():
    guard = next(a.person for a in RICH_PLAN.assignments if a.slot == "POLRI")
    scenario = with_position(RICH, guard, "KAPOLSEK SATU")
    planned = make_plan(scenario)
    assert guard not in {a.person for a in planned.assignments}
    assert check.check_plan(scenario, planned) == []


def test_it_names_the_rule_in_each_violation_message():
    violation = check.check_plan(RICH, cost_misstated(RICH, RICH_PLAN))[0]
    assert str(violation).startswith("[cost] ")


# ---------------------------------------------------------------- two Polres at a border


def border_scenario(brimob_b: int) -> Scenario:
    """Two kabupaten 0.05 degrees (5.6 km) apart, well within a reserve team's reach (15 km
    of road at the defaults): Polres A has two Brimob (two teams of one), Polres B
    `brimob_b`. With none in B, only A's teams reach B's TPS."""
    one = tiny_scenario(
        [(0, SR, 0.0, 0.0), (0, KR, 0.002, 0.0), (1, R, 0.0, 0.0)],
        [("POLRES", True), ("POLSEK-0", True), ("KODIM", True), ("LINMAS-0", True)] + [("BRIMOB", True)] * 2,
        desa=[(0, 0.0, 0.0), (1, 0.0, 0.0)],
        reserve_team_size=1,
    )
    both = twin_kabupaten(one, north_deg=0.05)
    b_brimob = [p for p in both.personnel if p.unit_code == "BRIMOB-B"]
    drop = {p.id for p in b_brimob[brimob_b:]}
    return replace(both, personnel=tuple(p for p in both.personnel if p.id not in drop))


def any_team_coverage(scenario: Scenario, plan: Plan) -> float:
    """The rule the checker used to apply: a TPS counts when any team reaches it."""
    op = scenario.operation
    teams = [p for p in plan.posts if p.kind == "RESERVE"]
    return float(
        sum(
            weight_of[plan.tps_categories[t.id]]
            for t in scenario.tps
            if any(op.road_factor * geo.haversine_km(q.lat, q.lon, t.lat, t.lon) <= 15.0 for q in teams)
        )
    )


weight_of = {KR: 2, R: 4, SR: 8, KH: 8}


@pytest.mark.parametrize("brimob_b", [0, 2])
def test_it_accepts_a_plan_of_two_polres_whose_reserve_teams_reach_across_the_border(brimob_b):
    scenario = border_scenario(brimob_b)
    result = engine.plan_all(scenario, workers=1)
    assert result.extra["polres"] == 2
    assert check.check_plan(scenario, result) == []
    covered, total = result.summary["reserve_covered_weight"], result.summary["reserve_total_weight"]
    if brimob_b == 0:  # B's TPS are reached by A's teams only, and count for nobody
        assert covered == total / 2 < any_team_coverage(scenario, result) == total
    else:
        assert covered == total == any_team_coverage(scenario, result)


def test_it_refuses_a_plan_that_counts_a_neighbouring_polres_team_as_cover():
    scenario = border_scenario(0)
    result = engine.plan_all(scenario, workers=1)
    claimed = replace(result, summary={**result.summary, "reserve_covered_weight": any_team_coverage(scenario, result)})
    assert {v.rule for v in check.check_plan(scenario, claimed)} == {"summary"}


def test_it_refuses_a_reserve_team_moved_to_the_other_polres():
    """The same number of teams in all, but Polres B fields one and A none: reserve_posts
    (per Polres), and A's Brimob now serve in B (own_polres)."""
    scenario = border_scenario(0)
    result = engine.plan_all(scenario, workers=1)
    team = next(p for p in result.posts if p.kind == "RESERVE")
    b_unit = next(u for u in scenario.units if u.code == "BRIMOB-B")
    moved = replace(team, id="RESERVE-BRIMOB-B-1", lat=b_unit.lat or 0.0, lon=b_unit.lon or 0.0)
    assignments = tuple(
        replace(a, post=moved.id, cost_km=cost_km(scenario, person_of(scenario, a.person), moved))
        if a.post == team.id
        else a
        for a in result.assignments
    )
    broken = rebuilt(result, posts=with_post(result, team, moved), assignments=assignments)
    rules = {v.rule for v in check.check_plan(scenario, broken)}
    assert {"reserve_posts", "own_polres"} <= rules


def person_of(scenario: Scenario, person_id: str):  # type: ignore[no-untyped-def]
    return next(p for p in scenario.personnel if p.id == person_id)


# ---------------------------------------------------------------- derived on its own, and agreeing


def test_it_derives_the_same_polres_as_the_planner_on_a_generated_country():
    scenario = generator.generate(6_000, seed=3)
    parts = polres.split(scenario)
    derived = jurisdiction.derive(scenario)
    assert len(parts) > 2 and set(derived.polres) == set(parts)
    for code, part in parts.items():
        assert {derived.of_unit[u.code] for u in part.units} == {code}
        assert {derived.of_person(p) for p in part.personnel} == {code}


def test_it_catches_a_unit_the_planner_would_put_in_the_wrong_polres(monkeypatch):
    """An error in the planner's split (here: every sectorless unit sent to the first
    kabupaten) is the planner's alone: the checker derives the Polres itself and refuses."""
    scenario = border_scenario(2)
    right = polres.split

    def wrong(s: Scenario) -> dict[str, Scenario]:
        parts = right(s)
        first, second = list(parts)
        strays = tuple(u for u in parts[second].units if not u.kecamatan_code)
        moved = {u.code for u in strays}
        return {
            first: replace(
                parts[first],
                units=parts[first].units + strays,
                personnel=parts[first].personnel + tuple(p for p in parts[second].personnel if p.unit_code in moved),
            ),
            second: replace(
                parts[second],
                units=tuple(u for u in parts[second].units if u.code not in moved),
                personnel=tuple(p for p in parts[second].personnel if p.unit_code not in moved),
            ),
        }

    monkeypatch.setattr(polres, "split", wrong)
    result = engine.plan_all(scenario, workers=1)
    assert check.check_plan(scenario, result) != []


def test_it_scores_categories_as_the_vulnerability_model_does():
    scenario = generator.generate(3_000, seed=5, indicators=True)
    mine = vulnerability.categories(scenario)
    model = {k: a.category for k, a in risk.assess(scenario).items()}
    assert mine == model and len(set(mine.values())) >= 3
    heavy = risk.RiskModel({**risk.default_model().weights, "violence_history": 90.0}, 10.0, 30.0)
    assert vulnerability.categories(scenario, heavy) == {k: a.category for k, a in risk.assess(scenario, heavy).items()}


def test_it_refuses_a_computed_category_the_indicators_do_not_give():
    scenario = generator.generate(3_000, seed=5, indicators=True)
    result = engine.plan_all(scenario, workers=1)
    assert check.check_plan(scenario, result) == []
    tps = next(t for t in scenario.tps if t.category is None and result.tps_categories[t.id] == KR)
    bumped = replace(result, tps_categories={**result.tps_categories, tps.id: R})
    found = [v for v in check.check_plan(scenario, bumped) if v.rule == "category"]
    assert [v.message for v in found] == [f"TPS {tps.id}: kategori Rawan, seharusnya Kurang rawan"]
    assert [v.render("en") for v in found] == [f"TPS {tps.id}: category Vulnerable, expected Less vulnerable"]
    assert found[0].record() == {
        "rule": "category",
        "msgid": "TPS %(tps)s: kategori %(got)s, seharusnya %(expected)s",
        "params": {"tps": tps.id, "got": ["Rawan"], "expected": ["Kurang rawan"]},
    }
    assert check.render(found[0].record(), "en") == f"TPS category: {found[0].render('en')}"  # the rule by its name
    assert str(found[0]) == f"[category] {found[0].message}"  # as the plan file keeps it


# ---------------------------------------------------------------- the grid index


points = st.lists(st.tuples(st.floats(-8.0, -7.0), st.floats(112.0, 113.0)), min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(points, points, st.floats(0.0, 40.0), st.integers(0, 2))
def test_it_finds_exactly_the_pairs_a_full_distance_matrix_finds(first, second, km, n_labels):
    """Every pair within km and none other; with labels, only pairs whose labels match."""
    lat1, lon1 = [p[0] for p in first], [p[1] for p in first]
    lat2, lon2 = [p[0] for p in second], [p[1] for p in second]
    labels = (np.arange(len(first)) % n_labels, np.arange(len(second)) % n_labels) if n_labels else None
    i, j, d = geo.pairs_within_km(lat1, lon1, lat2, lon2, km, labels=labels)
    expected = []
    if first and second:
        within = geo.distance_matrix_km(lat1, lon1, lat2, lon2) <= km
        if labels is not None:
            within &= labels[0][:, None] == labels[1][None, :]
        expected = sorted(zip(*(m.tolist() for m in within.nonzero()), strict=True))
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == expected
    for a, b, x in zip(i, j, d, strict=True):
        assert abs(x - geo.haversine_km(lat1[a], lon1[a], lat2[b], lon2[b])) < 1e-9


def test_it_keeps_a_pair_at_the_very_edge_of_its_cell():
    """Two points just within the distance across a cell boundary, far from the equator
    (where a degree of longitude is shortest): the neighbouring cell is searched."""
    km = 10.0
    lon_step = km / geo.haversine_km(-11.0, 0.0, -11.0, 1.0) * 0.999
    i, _, _ = geo.pairs_within_km([-11.0], [120.0], [-11.0], [120.0 + lon_step], km)
    assert i.tolist() == [0]
    i, _, _ = geo.pairs_within_km([-11.0], [120.0], [-11.0], [120.0 + lon_step * 1.002], km)
    assert i.tolist() == []


@pytest.fixture(scope="module")
def rostered() -> tuple[Scenario, Plan]:
    scenario = demo.pasuruan_kota_pemilu()
    return scenario, make_plan(scenario)


def broken_roster(plan: Plan) -> Plan:
    """People moved onto other duties, a duty at no point, slots swapped, unknown names, posts
    of the plan naming a duty of the roster."""
    data = plan.extra["roster"]
    ids = [d["id"] for d in data["duties"]]
    held = [replace(a, post=ids[k % len(ids)]) if k % 17 == 0 else a for k, a in enumerate(plan.assignments)]
    people = [a["person"] for a in data["assignments"]]
    assignments = [
        dict(a, person=people[(k * 7) % len(people)], slot="TNI" if k % 5 == 0 else a["slot"])
        if k % 3 == 0
        else dict(a, person="NOBODY", duty="NO-DUTY")
        if k % 11 == 0
        else a
        for k, a in enumerate(data["assignments"])
    ]
    duties = [dict(d, lat=float("nan")) if k % 13 == 0 else d for k, d in enumerate(data["duties"])]
    roster = {**data, "assignments": assignments, "duties": duties}
    return replace(plan, assignments=type(plan.assignments)(held), extra={**plan.extra, "roster": roster})


@pytest.mark.parametrize(
    ("changes", "broken"),
    [
        ({}, False),
        ({}, True),
        ({"min_rest_hours": 14.0}, False),
        ({"max_total_hours": 10.0, "max_duty_hours": 2.0}, False),
        ({"speed_kmh": 1.0, "min_rest_hours": -1.0}, True),
    ],
)
def test_it_finds_the_same_roster_violations_as_when_it_looks_at_everyone(rostered, monkeypatch, changes, broken):
    """The roster rules look in bulk for whom to walk one by one (`_suspects`, `_doubtful`):
    a superset, so walking everyone finds not one message more or less, nor in another order."""
    from siaga.core.check import roster as rules

    scenario, plan = rostered
    scenario = replace(scenario, operation=replace(scenario.operation, **changes))
    plan = broken_roster(plan) if broken else plan
    found = [v.record() for v in check.check_plan(scenario, plan)]
    monkeypatch.setattr(rules, "_suspects", rules._held)
    monkeypatch.setattr(rules, "_doubtful", lambda f, assignments: list(range(len(assignments))))
    assert [v.record() for v in check.check_plan(scenario, plan)] == found
    assert bool(found) == (bool(changes) or broken)
