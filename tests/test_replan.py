"""Re-planning: after absences and category changes, still optimal, and nobody moved who
did not have to be."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from plan_helpers import (
    BASE,
    available_count,
    brute_force,
    person_id,
    reserve_coverage,
    slot_count,
    tiny_scenario,
    tiny_scenarios,
    twin_kabupaten,
    weight,
)
from typer.testing import CliRunner

from siaga.core.check import check_plan
from siaga.core.data import demo, generator, planfile
from siaga.core.data import duties as duty_data
from siaga.core.data.model import Assignment, Category, Force, Plan, Post, Scenario, Unfilled
from siaga.core.planning import engine
from siaga.core.planning import plan as planner

TINY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
KR, R = Category.KURANG_RAWAN, Category.RAWAN
REASON = "perubahan kategori saat re-plan / changed at re-plan"


def without(scenario: Scenario, absent: Iterable[str]) -> Scenario:
    """The scenario as the re-plan sees it: absentees unavailable."""
    gone = set(absent)
    return replace(
        scenario, personnel=tuple(replace(p, available=False) if p.id in gone else p for p in scenario.personnel)
    )


def with_categories(scenario: Scenario, changes: Mapping[str, Category]) -> Scenario:
    """The scenario with the changed categories as overrides, which is what a change means."""
    return replace(
        scenario,
        tps=tuple(
            replace(t, category=changes[t.id], category_reason=REASON) if t.id in changes else t for t in scenario.tps
        ),
    )


def places(plan: Plan) -> dict[str, tuple[str, str]]:
    return {a.person: (a.post, a.slot) for a in plan.assignments}


def moved(previous: Plan, new: Plan) -> int:
    before = places(previous)
    return sum(1 for a in new.assignments if before.get(a.person) != (a.post, a.slot))


# ---------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo_scenario() -> Scenario:
    return demo.pasuruan_kota()


@pytest.fixture(scope="module")
def demo_plan(demo_scenario: Scenario) -> Plan:
    return planner.plan(demo_scenario)


def ten_absent(scenario: Scenario, plan: Plan) -> list[str]:
    """Ten people who had a place: Polri, Linmas, TNI and one Brimob."""
    force = {p.id: p.force.value for p in scenario.personnel}
    wanted = {"POLRI": 4, "LINMAS": 3, "TNI": 2, "BRIMOB": 1}
    out = []
    for a in plan.assignments:
        if wanted.get(force[a.person], 0):
            wanted[force[a.person]] -= 1
            out.append(a.person)
    assert len(out) == 10
    return out


@pytest.fixture(scope="module")
def demo_absent(demo_scenario: Scenario, demo_plan: Plan) -> tuple[list[str], Plan]:
    absent = ten_absent(demo_scenario, demo_plan)
    return absent, planner.replan(demo_scenario, demo_plan, absent)


def test_it_replans_the_demo_without_ten_absentees_into_a_plan_the_checker_accepts(demo_scenario, demo_absent):
    absent, new = demo_absent
    assert check_plan(without(demo_scenario, absent), new) == []
    assert not set(absent) & {a.person for a in new.assignments}
    assert new.extra["replan"]["absent"] == sorted(absent)


def objective(posts: tuple[Post, ...], assignments: Iterable[Assignment], unfilled: Iterable[Unfilled]) -> float:
    """Section 2.5, from what an assignment fills and leaves empty."""
    weight_of = {p.id: weight(p) for p in posts}
    return sum(weight_of[u.post] * 10_000 * u.count for u in unfilled) + sum(a.cost_km for a in assignments)


def test_it_replans_the_demo_as_well_as_planning_afresh_with_the_same_posts(demo_scenario, demo_absent):
    absent, new = demo_absent
    fresh = planner._assign(without(demo_scenario, absent), new.posts)
    assert new.summary["objective"] == pytest.approx(objective(new.posts, fresh.assignments, fresh.unfilled), abs=1e-2)
    assert new.summary["objective"] == pytest.approx(objective(new.posts, new.assignments, new.unfilled), abs=1e-6)
    assert new.summary["unfilled"] == sum(u.count for u in fresh.unfilled)


def test_it_moves_few_people_on_the_demo_and_counts_them_right(demo_scenario, demo_plan, demo_absent):
    absent, new = demo_absent
    info = new.extra["replan"]
    assert info["moved"] == moved(demo_plan, new)
    assert info["moved"] + info["kept"] == len(new.assignments)
    fresh = planner._assign(without(demo_scenario, absent), new.posts)
    from_scratch = sum(1 for a in fresh.assignments if places(demo_plan).get(a.person) != (a.post, a.slot))
    # The exact fewest moves are checked on tiny scenarios; here: a few chains, not a reshuffle.
    assert info["moved"] <= 2 * len(absent) < from_scratch


def test_it_counts_who_left_and_whose_absence_is_new_so_the_figures_add_up(demo_scenario, demo_plan, demo_absent):
    absent, new = demo_absent
    info = new.extra["replan"]
    before, after = places(demo_plan), places(new)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert info["moved"] + info["left"] == len(changed)  # the diff page's count
    assert info["left"] == len(before.keys() - after.keys()) >= len(absent)
    again = planner.replan(demo_scenario, new, absent[:1] + [a.person for a in new.assignments[:1]])
    assert again.extra["replan"]["absent_new"] == [new.assignments[0].person]  # the first absentees carry over
    assert set(absent) < set(again.extra["replan"]["absent"])


def kurang_rawan_tps(plan: Plan, size: int) -> str:
    """The last TPS of the first KURANG_RAWAN post of `size` TPS."""
    for post in plan.posts:
        if post.kind == "TPS" and post.category == Category.KURANG_RAWAN and len(post.tps) == size:
            return post.tps[-1]
    raise AssertionError(f"no KURANG_RAWAN post of {size} TPS")


@pytest.mark.parametrize(("pattern", "size"), [("pilkades-paskot-2022", 1), ("pemilu-2024", 6)])
def test_it_keeps_the_posts_a_category_change_does_not_touch(demo_scenario, pattern, size):
    scenario = replace(demo_scenario, operation=replace(demo_scenario.operation, pattern=pattern))
    previous = planner.plan(scenario)
    tps = kurang_rawan_tps(previous, size)
    changes = {tps: Category.SANGAT_RAWAN}
    new = planner.replan(scenario, previous, category_changes=changes)
    assert check_plan(with_categories(scenario, changes), new) == []
    now = {p.id: p.tps for p in new.posts}
    for post in previous.posts:
        if post.kind == "TPS" and tps not in post.tps:
            assert now.get(post.id) == post.tps, post.id
    (home,) = [p for p in new.posts if tps in p.tps]
    assert home.category == Category.SANGAT_RAWAN and home.tps == (tps,)
    assert new.tps_categories[tps] == Category.SANGAT_RAWAN


def test_it_never_gives_a_kept_post_id_to_other_tps(demo_scenario, demo_plan):
    """A post id names the same TPS after a re-plan (or fewer of them): a person told to stay at
    post X must not find X moved to another TPS. Here the last two posts of a desa, one TPS
    each, both become SANGAT_RAWAN, the changes listed last post first."""
    desa = demo_plan.posts[0].desa_code
    *_, second_last, last = [p for p in demo_plan.posts if p.kind == "TPS" and p.desa_code == desa]
    changes = {last.tps[0]: Category.SANGAT_RAWAN, second_last.tps[0]: Category.SANGAT_RAWAN}
    new = planner.replan(demo_scenario, demo_plan, category_changes=changes)
    before = {p.id: set(p.tps) for p in demo_plan.posts if p.kind == "TPS"}
    for post in new.posts:
        if post.id in before:
            assert set(post.tps) <= before[post.id], f"{post.id}: {sorted(before[post.id])} -> {list(post.tps)}"


def test_it_reports_the_reserve_coverage_of_the_teams_it_keeps(demo_scenario, demo_plan):
    brimob = [a.person for a in demo_plan.assignments if a.slot == "BRIMOB"][:15]  # 85 left: 2 teams of 30
    new = planner.replan(demo_scenario, demo_plan, brimob)
    teams = [p for p in new.posts if p.kind == "RESERVE"]
    assert len(teams) == 2
    assert new.extra["reserve"]["teams"] == len(teams)
    covered, total = reserve_coverage(demo_scenario, new)
    assert (new.summary["reserve_covered_weight"], new.summary["reserve_total_weight"]) == (covered, total)


def test_it_reweighs_reserve_coverage_after_a_category_change(demo_scenario, demo_plan):
    tps = kurang_rawan_tps(demo_plan, 1)
    changes = {tps: Category.SANGAT_RAWAN}
    new = planner.replan(demo_scenario, demo_plan, category_changes=changes)
    covered, total = reserve_coverage(with_categories(demo_scenario, changes), new)
    assert new.summary["reserve_total_weight"] == total == demo_plan.summary["reserve_total_weight"] + 6
    assert new.summary["reserve_covered_weight"] == covered


def test_it_remembers_earlier_absences_and_changes_when_replanning_again(demo_scenario, demo_plan):
    first_absent = ten_absent(demo_scenario, demo_plan)[:5]
    tps = kurang_rawan_tps(demo_plan, 1)
    first = planner.replan(demo_scenario, demo_plan, first_absent, {tps: Category.RAWAN})
    second_absent = [a.person for a in first.assignments if a.slot == "POLRI"][:3]
    second = planner.replan(demo_scenario, first, second_absent)
    gone = first_absent + second_absent
    assert check_plan(with_categories(without(demo_scenario, gone), {tps: Category.RAWAN}), second) == []
    assert not set(gone) & {a.person for a in second.assignments}
    assert second.tps_categories[tps] == Category.RAWAN
    assert second.extra["replan"]["absent"] == sorted(gone)


def test_it_replans_a_plan_read_back_from_its_file_as_the_plan_itself(demo_scenario, demo_plan):
    absent = ten_absent(demo_scenario, demo_plan)
    direct = planner.replan(demo_scenario, demo_plan, absent)
    via_file = planner.replan(
        demo_scenario, planfile.from_json(json.loads(json.dumps(planfile.to_json(demo_plan)))), absent
    )
    assert via_file.assignments == direct.assignments and via_file.posts == direct.posts


def test_it_keeps_reserve_teams_per_polres_when_brimob_are_absent():
    """Two Polres with 3 Brimob each, teams of 2: one team each. Two Brimob of the first
    Polres drop out: it has no team left; the other keeps its own (4 Brimob in all would
    staff 2 teams, but not across Polres)."""
    one = tiny_scenario(
        [(0, R, 0.0, 0.0), (0, KR, 0.001, 0.0)],
        [
            ("POLRES", True),
            ("POLSEK-0", True),
            ("BRIMOB", True),
            ("BRIMOB", True),
            ("BRIMOB", True),
            ("LINMAS-0", True),
        ],
        reserve_team_size=2,
    )
    scenario = twin_kabupaten(one)
    previous = engine.plan_all(scenario, workers=1)
    assert check_plan(scenario, previous) == []
    assert sum(1 for p in previous.posts if p.kind == "RESERVE") == 2
    absent = [person_id(2, Force.BRIMOB), person_id(3, Force.BRIMOB)]
    new = planner.replan(scenario, previous, absent)
    assert check_plan(without(scenario, absent), new) == []
    (team,) = [p for p in new.posts if p.kind == "RESERVE"]
    assert team.lat > BASE[0] + 0.15  # at a unit of the second Polres, 0.3 degrees north


def test_it_keeps_everyone_in_place_when_nothing_changes(demo_scenario, demo_plan):
    new = planner.replan(demo_scenario, demo_plan)
    assert new.extra["replan"]["moved"] == 0
    assert places(new) == places(demo_plan)


# ---------------------------------------------------------------- tiny scenarios against brute force


def small_enough(scenario: Scenario, plan: Plan) -> None:
    assume(slot_count(plan.posts) <= 10 and available_count(scenario) <= 10)


@TINY
@given(tiny_scenarios(min_persons=3), st.data())
def test_it_moves_only_whom_it_must_after_absences(scenario, data):
    previous = planner.plan(scenario)
    placed = sorted(a.person for a in previous.assignments)  # absences that matter
    assume(placed)
    absent = data.draw(st.lists(st.sampled_from(placed), unique=True, min_size=1, max_size=3))
    new = planner.replan(scenario, previous, absent)
    after = without(scenario, absent)
    assert check_plan(after, new) == []
    assert not set(absent) & {a.person for a in new.assignments}
    small_enough(after, new)
    best = brute_force(after, new.posts, places(previous))
    assert new.summary["objective"] == pytest.approx(best.optimum, abs=1e-2)
    assert new.extra["replan"]["moved"] == moved(previous, new) == best.fewest_moved


@TINY
@given(tiny_scenarios(min_persons=3), st.data())
def test_it_moves_only_whom_it_must_after_a_category_change(scenario, data):
    previous = planner.plan(scenario)
    changed = data.draw(st.lists(st.sampled_from([t.id for t in scenario.tps]), min_size=1, max_size=3, unique=True))
    changes = {tps: data.draw(st.sampled_from(list(Category))) for tps in changed}
    new = planner.replan(scenario, previous, category_changes=changes)
    after = with_categories(scenario, changes)
    assert check_plan(after, new) == []
    small_enough(after, new)
    best = brute_force(after, new.posts, places(previous))
    assert new.summary["objective"] == pytest.approx(best.optimum, abs=1e-2)
    assert new.extra["replan"]["moved"] == best.fewest_moved


# ---------------------------------------------------------------- the command line

runner = CliRunner()


def siaga(*args: object):
    from siaga.cli import app

    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("replan")
    scenario_path, plan_path = folder / "demo.xlsx", folder / "plan.json"
    assert siaga("scenario", "demo", "--out", scenario_path).exit_code == 0
    assert siaga("plan", scenario_path, "--out", plan_path).exit_code == 0
    return scenario_path, plan_path


def test_it_replans_absentees_from_the_command_line_and_its_own_check_accepts_the_plan(demo_files, tmp_path):
    scenario_path, plan_path = demo_files
    data = json.loads(plan_path.read_text(encoding="utf-8"))
    brimob = [a["person"] for a in data["assignments"] if a["slot"] == "BRIMOB"][:15]  # one reserve team fewer
    absent = tmp_path / "absent.csv"
    absent.write_text("id\n" + "\n".join(brimob) + "\n", encoding="utf-8")
    new_path = tmp_path / "new.json"
    result = siaga("replan", scenario_path, "--from", plan_path, "--out", new_path, "--absent", absent)
    assert result.exit_code == 0, result.output
    assert "tidak hadir: 15" in result.output
    assert "rencana sah" in result.output and "pelanggaran" not in result.output, result.output
    new = json.loads(new_path.read_text(encoding="utf-8"))
    assert not set(brimob) & {a["person"] for a in new["assignments"]}


def test_it_replans_a_category_change_from_the_command_line_and_its_own_check_accepts_the_plan(demo_files, tmp_path):
    scenario_path, plan_path = demo_files
    data = json.loads(plan_path.read_text(encoding="utf-8"))
    tps = next(k for k, v in data["tps_categories"].items() if v == "KURANG_RAWAN")
    new_path = tmp_path / "new.json"
    result = siaga("replan", scenario_path, "--from", plan_path, "--out", new_path, "--category", f"{tps}=SANGAT_RAWAN")
    assert result.exit_code == 0, result.output
    assert json.loads(new_path.read_text(encoding="utf-8"))["tps_categories"][tps] == "SANGAT_RAWAN"
    assert "rencana sah" in result.output and "pelanggaran" not in result.output, result.output


def test_it_refuses_unknown_absentees_from_the_command_line(demo_files, tmp_path):
    scenario_path, plan_path = demo_files
    absent = tmp_path / "absent.txt"
    absent.write_text("99999999\n", encoding="utf-8")
    result = siaga("replan", scenario_path, "--from", plan_path, "--out", tmp_path / "new.json", "--absent", absent)
    assert result.exit_code == 1
    assert "99999999" in result.output
    assert not (tmp_path / "new.json").exists()


# ---------------------------------------------------------------- the vote's network, shared


@pytest.fixture(scope="module")
def generated() -> tuple[Scenario, Plan]:
    scenario = planner.at_assembly(generator.generate(300, seed=3, indicators=True))
    return scenario, planner.plan(scenario)


@pytest.mark.parametrize("known", [0, 1, 40, 200, -1])
def test_a_network_grown_from_a_known_one_is_the_one_built_afresh(generated, known):
    scenario, made = generated
    posts = made.posts
    start = planner._network(scenario, posts[: known if known >= 0 else len(posts)])
    grown, fresh = planner._network(scenario, posts, start), planner._network(scenario, posts)
    assert grown.groups is start.groups  # kept, not worked out again
    assert [(s.post.id, s.slot, s.count) for s in grown.slots] == [(s.post.id, s.slot, s.count) for s in fresh.slots]
    for mine, theirs in zip(grown.arcs, fresh.arcs, strict=True):
        assert mine.dtype == theirs.dtype
        assert mine.tolist() == theirs.tolist()


@pytest.mark.parametrize("count", [0, 10, 60])
def test_the_joint_bound_on_the_votes_network_is_the_named_assignments(generated, count):
    scenario, made = generated
    extra = duty_data.stage_duties(scenario)[:count]
    network = planner._network(scenario, made.posts)
    fast = planner.joint_bound(scenario, made.posts, extra, network)
    alone = planner.joint_bound(scenario, made.posts, extra)
    places = {d.id: {s: n for s, n in d.required.items() if n and (s != "LINMAS" or d.desa_code)} for d in extra}
    together = made.posts + tuple(
        Post(d.id, "DUTY", (), d.desa_code, d.kecamatan_code, d.lat, d.lon, KR, places[d.id]) for d in extra
    )
    named = planner._assign(scenario, together)  # every person named, summed in the plan's order
    weights = {p.id: planner.slot_weight(p) for p in together}
    empty = sum(weights[u.post] * planner.UNFILLED_KM * u.count for u in named.unfilled)
    assert fast == alone == sum(a.cost_km for a in named.assignments) + empty - named.max_rounding_km
