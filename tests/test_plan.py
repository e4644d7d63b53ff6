"""The planner: plans the checker accepts, optimal for their posts, most vulnerable first."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from plan_helpers import (
    available_count,
    brute_force,
    is_twin,
    rows,
    slot_count,
    tiny_scenario,
    tiny_scenarios,
    twin_kabupaten,
)
from typer.testing import CliRunner

from siaga.core.check import check_plan
from siaga.core.data import demo
from siaga.core.data.model import Assignment, Category, Plan, Scenario
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning import engine, polres
from siaga.core.planning.plan import plan as make_plan

KR, R, SR, KH = Category.KURANG_RAWAN, Category.RAWAN, Category.SANGAT_RAWAN, Category.KHUSUS
TINY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
ONE_POLRI_EACH = rows((KR, 1, 1, 0, 0), (R, 1, 1, 0, 0), (SR, 1, 1, 0, 0))
MAX_SLOTS, MAX_PERSONS = 10, 10  # what the brute force goes through quickly


@pytest.fixture(scope="module")
def demo_scenario() -> Scenario:
    return demo.pasuruan_kota()


@pytest.fixture(scope="module")
def demo_plan(demo_scenario: Scenario) -> Plan:
    return make_plan(demo_scenario)


def small_enough(scenario: Scenario, plan: Plan) -> None:
    assume(slot_count(plan.posts) <= MAX_SLOTS and available_count(scenario) <= MAX_PERSONS)


# ---------------------------------------------------------------- the demo


def test_it_plans_the_demo_so_the_checker_accepts_it_and_every_tps_is_covered(demo_scenario, demo_plan):
    assert check_plan(demo_scenario, demo_plan) == []
    in_posts = Counter(t for p in demo_plan.posts if p.kind == "TPS" for t in p.tps)
    assert set(in_posts) == {t.id for t in demo_scenario.tps} and set(in_posts.values()) == {1}
    filled = Counter((a.post, a.slot) for a in demo_plan.assignments)
    for post in demo_plan.posts:
        for slot, n in post.required.items():
            assert filled[(post.id, slot)] == n, (post.id, slot)
    assert demo_plan.unfilled == () and demo_plan.summary["unfilled"] == 0
    assert demo_plan.summary["lower_bound"] <= demo_plan.summary["objective"]


def test_it_plans_village_guards_and_reserve_teams_on_the_demo(demo_scenario, demo_plan):
    kinds = Counter(p.kind for p in demo_plan.posts)
    assert kinds["VILLAGE"] == 21  # one balai desa guard per desa
    assert kinds["RESERVE"] == 100 // 30  # floor(Brimob / team size)
    assert demo_plan.extra["reserve"]["covered_weight"] <= demo_plan.extra["reserve"]["upper_bound"]


def test_it_groups_tps_into_few_posts_with_the_pemilu_2024_pattern(demo_scenario):
    scenario = replace(demo_scenario, operation=replace(demo_scenario.operation, pattern="pemilu-2024"))
    result = make_plan(scenario)
    assert check_plan(scenario, result) == []  # every post within its radius, sizes within the pattern
    tps_posts = [p for p in result.posts if p.kind == "TPS"]
    assert len(tps_posts) == result.extra["tps_posts"]
    assert len(tps_posts) < len(scenario.tps) / 3
    assert len(tps_posts) <= 1.05 * result.extra["post_floor"]


def second_polres(scenario: Scenario) -> Scenario:
    """The copy `twin_kabupaten` added, alone."""
    return replace(
        scenario,
        regions=tuple(r for r in scenario.regions if r.code.startswith("35.02")),
        tps=tuple(t for t in scenario.tps if t.id.startswith("35.02")),
        units=tuple(u for u in scenario.units if u.code.endswith("-B")),
        personnel=tuple(p for p in scenario.personnel if is_twin(p.id)),
    )


def test_it_plans_two_polres_apart_into_one_plan_the_checker_accepts():
    one = tiny_scenario(
        [(0, SR, 0.0, 0.0), (0, KR, 0.002, 0.0), (1, R, 0.0, 0.0)],
        [("POLRES", True), ("POLSEK-0", True), ("KODIM", True), ("LINMAS-0", True), ("BRIMOB", True)],
        desa=[(0, 0.0, 0.0), (1, 0.0, 0.0)],
        village_guard_polri=1,
        reserve_team_size=1,
    )
    scenario = twin_kabupaten(one)
    result = engine.plan_all(scenario, workers=1)
    assert check_plan(scenario, result) == []
    parts = [make_plan(one), make_plan(second_polres(scenario))]
    assert result.summary["objective"] == pytest.approx(sum(p.summary["objective"] for p in parts), abs=1e-3)
    assert len(result.posts) == sum(len(p.posts) for p in parts)


def test_it_keeps_each_polres_to_its_own_people_and_bounds_that_optimum():
    """Polres A has a post and no Polri; Polres B, 33 km away, has a Polri to spare. Each
    Polres plans its own operation, so A's post stays empty (the checker's own_polres rule
    refuses B's Polri there), and the lower bound holds for the optimum of each Polres."""
    one = tiny_scenario([(0, SR, 0.0, 0.0)], [("POLRES", True), ("POLRES", True)], pattern=ONE_POLRI_EACH)
    both = twin_kabupaten(one)
    scenario = replace(both, personnel=tuple(p for p in both.personnel if is_twin(p.id)))
    result = engine.plan_all(scenario, workers=1)
    assert check_plan(scenario, result) == []
    parts = polres.split(scenario).values()
    optimum = sum(brute_force(part, engine._part_of(result, part).posts).optimum for part in parts)
    assert result.summary["lower_bound"] <= optimum + 1e-6 <= result.summary["objective"] + 2e-6
    [empty] = result.unfilled
    spare = next(p.id for p in scenario.personnel if not any(a.person == p.id for a in result.assignments))
    moved = replace(result, assignments=(*result.assignments, Assignment(spare, empty.post, "POLRI", 0.0)))
    assert "own_polres" in {v.rule for v in check_plan(scenario, moved)}


# ---------------------------------------------------------------- the command line

runner = CliRunner()


def siaga(*args: object):
    from siaga.cli import app  # imported here so the API tests run even if the CLI cannot import

    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cli")
    scenario_path, plan_path = folder / "demo.xlsx", folder / "plan.json"
    assert siaga("scenario", "demo", "--out", scenario_path).exit_code == 0
    result = siaga("plan", scenario_path, "--out", plan_path)
    assert result.exit_code == 0, result.output
    return scenario_path, plan_path


def test_it_plans_the_demo_from_the_command_line_and_the_check_command_accepts_it(demo_files):
    scenario_path, plan_path = demo_files
    data = json.loads(plan_path.read_text(encoding="utf-8"))
    assert data["format"] == "siaga-plan/1" and data["summary"]["unfilled"] == 0
    covered = Counter(t for p in data["posts"] if p["kind"] == "TPS" for t in p["tps"])
    assert len(covered) == 152 and set(covered.values()) == {1}
    result = siaga("check", scenario_path, plan_path)
    assert result.exit_code == 0, result.output
    assert "rencana sah" in result.output


def test_it_exits_1_and_lists_the_violations_of_a_tampered_plan_file(demo_files, tmp_path):
    scenario_path, plan_path = demo_files
    data = json.loads(plan_path.read_text(encoding="utf-8"))
    data["assignments"][0]["cost_km"] += 3.0
    data["assignments"].append(dict(data["assignments"][1]))  # the same person twice
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data), encoding="utf-8")
    result = siaga("check", scenario_path, tampered)
    assert result.exit_code == 1
    assert "pelanggaran" in result.output
    for rule in ("Jarak tempuh:", "Satu tempat per personel:", "Isi pos:", "Ringkasan rencana:"):
        assert rule in result.output


def test_it_exits_2_for_a_json_file_that_is_not_a_plan(demo_files, tmp_path):
    scenario_path, _ = demo_files
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "siaga-weights/1", "weights": {}}), encoding="utf-8")
    result = siaga("check", scenario_path, other)
    assert result.exit_code == 2
    assert "siaga-plan/1" in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- properties on tiny scenarios


@settings(max_examples=20, deadline=None)
@given(tiny_scenarios())
def test_it_builds_tiny_scenarios_the_reader_accepts_as_they_are(scenario):
    """The helper's scenarios are valid workbooks: the properties below test real inputs."""
    with tempfile.TemporaryDirectory() as folder:
        write_scenario(scenario, Path(folder) / "scenario")
        loaded = read_scenario(Path(folder) / "scenario")
    assert loaded.tps == scenario.tps and loaded.personnel == scenario.personnel
    assert loaded.patterns == scenario.patterns and loaded.operation == scenario.operation


@TINY
@given(tiny_scenarios())
def test_it_makes_plans_the_checker_accepts(scenario):
    result = make_plan(scenario)
    assert check_plan(scenario, result) == []


@TINY
@given(tiny_scenarios())
def test_it_reaches_the_brute_force_optimum_for_its_posts(scenario):
    result = make_plan(scenario)
    small_enough(scenario, result)
    best = brute_force(scenario, result.posts)
    assert result.summary["objective"] == pytest.approx(best.optimum, abs=1e-3)
    assert result.summary["lower_bound"] <= result.summary["objective"]
    assert result.summary["lower_bound"] <= best.optimum + 1e-6


@TINY
@given(tiny_scenarios())
def test_it_keeps_linmas_in_their_own_desa(scenario):
    result = make_plan(scenario)
    person = {p.id: p for p in scenario.personnel}
    post = {p.id: p for p in result.posts}
    for a in result.assignments:
        if person[a.person].force == "LINMAS":
            assert a.slot == "LINMAS" and post[a.post].desa_code == person[a.person].desa_code


@TINY
@given(tiny_scenarios())
def test_it_leaves_unavailable_people_out(scenario):
    result = make_plan(scenario)
    away = {p.id for p in scenario.personnel if not p.available}
    assert not away & {a.person for a in result.assignments}


# ---------------------------------------------------------------- who comes first when people are short


def short_of_polri(near: Category, far: Category) -> Scenario:
    """Two one-TPS posts 9 km apart, each needing 1 Polri, and one Polri at 100 m from the `near` one."""
    return tiny_scenario(
        [(0, far, 0.0, 0.0), (1, near, 0.0, 0.0)],
        [("POLRES", True)],
        desa=[(0, 0.0, 0.0), (0, 0.0, 0.08)],
        pattern=ONE_POLRI_EACH,
        unit_points={"POLRES": (-7.65 + 0.0009, 112.98)},
    )


@pytest.mark.parametrize(("near", "far"), [(KR, SR), (KR, R), (R, SR), (KR, KH)])
def test_it_fills_the_more_vulnerable_post_first_even_when_it_is_far(near, far):
    scenario = short_of_polri(near, far)
    result = make_plan(scenario)
    assert check_plan(scenario, result) == []
    (a,) = result.assignments
    assert next(p for p in result.posts if p.id == a.post).category == far
    (gap,) = result.unfilled
    assert next(p for p in result.posts if p.id == gap.post).category == near


def test_it_sends_the_nearer_person_when_categories_are_equal():
    scenario = short_of_polri(KR, KR)
    (a,) = make_plan(scenario).assignments
    assert a.cost_km < 1.0


def test_it_plans_any_custom_pattern_the_reader_accepts(tmp_path):
    """A custom pattern with no RAWAN row, and a RAWAN TPS: refuse it when reading, or plan it."""
    scenario = tiny_scenario([(0, R, 0.0, 0.0)], [("POLRES", True)], pattern=rows((KR, 1, 1, 0, 1)))
    write_scenario(scenario, tmp_path / "scenario")
    try:
        loaded = read_scenario(tmp_path / "scenario")
    except ScenarioError:
        return  # refused, with the problem named: fine
    result = make_plan(loaded)
    assert check_plan(loaded, result) == []


# ---------------------------------------------------------------- shortfall


def short_scenario() -> Scenario:
    """Two kecamatan, three desa, categories of every kind, far too few people."""
    tps = [(0, SR, 0.0, 0.0), (0, R, 0.004, 0.0), (1, KR, 0.0, 0.0), (1, KR, 0.001, 0.0), (2, R, 0.0, 0.0)]
    persons = [("POLRES", True), ("POLSEK-1", True), ("LINMAS-0", True), ("LINMAS-2", True), ("KODIM", False)]
    pattern = rows((KR, 2, 1, 1, 1.5), (R, 1, 2, 1, 2), (SR, 1, 2, 1, 2))
    desa = [(0, 0.0, 0.0), (0, 0.01, 0.0), (1, 0.0, 0.0)]
    return tiny_scenario(tps, persons, desa, pattern, village_guard_polri=1)


def test_it_reports_the_shortfall_by_force_kecamatan_desa_and_category():
    scenario = short_scenario()
    result = make_plan(scenario)
    assert check_plan(scenario, result) == []
    short = result.extra["shortfall"]
    post = {p.id: p for p in result.posts}
    expected: dict[str, Counter[str]] = {k: Counter() for k in ("force", "kecamatan", "desa", "category")}
    for u in result.unfilled:
        p = post[u.post]
        expected["force"][u.slot] += u.count
        expected["kecamatan"][p.kecamatan_code] += u.count
        expected["desa"][p.desa_code] += u.count
        expected["category"][p.category.value] += u.count
    assert sum(expected["force"].values()) == result.summary["unfilled"] > 0
    assert short["unfilled_by_force"] == dict(expected["force"])
    assert short["unfilled_by_kecamatan"] == dict(expected["kecamatan"])
    assert short["unfilled_by_desa"] == dict(expected["desa"])
    assert short["unfilled_by_category"] == dict(expected["category"])
    assert set(short["unfilled_by_force"]) == {"POLRI", "TNI", "LINMAS"}


def test_it_says_how_many_more_of_each_force_are_needed():
    result = make_plan(short_scenario())
    short = result.extra["shortfall"]
    unfilled = Counter()
    for u in result.unfilled:
        unfilled[u.slot] += u.count
    assert short["more_needed"] == dict(unfilled)
    linmas = Counter()
    for u in result.unfilled:
        if u.slot == "LINMAS":
            linmas[next(p.desa_code for p in result.posts if p.id == u.post)] += u.count
    assert short["more_linmas_needed_by_desa"] == dict(linmas)


def test_it_names_exactly_the_tps_below_their_pattern():
    result = make_plan(short_scenario())
    short_posts = {u.post for u in result.unfilled}
    expected = {t for p in result.posts if p.id in short_posts for t in p.tps}
    assert expected  # some TPS posts are short
    assert set(result.extra["shortfall"]["tps_below_pattern"]) == expected


def test_it_reports_no_shortfall_when_everyone_is_there(demo_plan):
    short = demo_plan.extra["shortfall"]
    assert short["unfilled_by_force"] == {} and short["tps_below_pattern"] == {}


def test_it_plans_an_old_file_without_positions_as_before(tmp_path):
    import csv

    from siaga.core.data import generator
    from siaga.core.data.planfile import to_json

    scenario = generator.generate(60, seed=3)
    assert not any(p.position for p in scenario.personnel)  # the generator gives no positions
    write_scenario(scenario, tmp_path / "new")
    rows = list(csv.DictReader((tmp_path / "new" / "personnel.csv").open(encoding="utf-8")))
    (tmp_path / "new").rename(tmp_path / "old")
    with (tmp_path / "old" / "personnel.csv").open("w", encoding="utf-8", newline="") as out:
        fields = [f for f in rows[0] if f != "position"]  # a file from before the column existed
        writer = csv.DictWriter(out, fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    old = read_scenario(tmp_path / "old")
    assert old == scenario
    made = to_json(make_plan(old))
    assert "organisation" not in made
    assert json.dumps(made, sort_keys=True) == json.dumps(to_json(make_plan(scenario)), sort_keys=True)


def test_the_planner_loads_without_pandas_and_pandas_still_loads_after() -> None:
    """OR-Tools' CP-SAT imports pandas only for helpers the planner never calls (solvers.py): a
    fresh `siaga plan` process plans the demo with no pandas loaded, and a later `import pandas`
    still gets the real library."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from siaga.core.data import demo\n"
        "from siaga.core.planning.plan import plan\n"
        "made = plan(demo.pasuruan_kota())\n"
        "assert made.assignments\n"
        "assert 'pandas' not in sys.modules, 'pandas loaded'\n"
        "import pandas\n"
        "assert pandas.DataFrame({'a': [1, 2]})['a'].sum() == 3\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
