"""The election-day stress test (issue 13 item 6): incidents drawn from the vulnerability model,
dispatched to the plan's responders; deterministic by seed; a worse plan scores worse on the
same draws."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo, generator
from siaga.core.data.model import Category
from siaga.core.data.planfile import write_plan
from siaga.core.data.scenario import write_scenario
from siaga.core.planning import simulate
from siaga.core.planning.plan import plan as make_plan
from siaga.core.planning.risk import assess


@pytest.fixture(scope="module")
def paskot():
    scenario = demo.pasuruan_kota()
    return scenario, make_plan(scenario)


def far_reserves(plan, km_north: float = 30.0):
    """The plan with every reserve team moved about `km_north` km north, away from every TPS."""
    deg = km_north / 111.0
    return replace(plan, posts=tuple(replace(p, lat=p.lat + deg) if p.kind == "RESERVE" else p for p in plan.posts))


def test_the_same_seed_gives_the_same_days_and_another_seed_others(paskot):
    scenario, plan = paskot
    a = simulate.simulate(scenario, plan, runs=200, seed=5)
    b = simulate.simulate(scenario, plan, runs=200, seed=5)
    c = simulate.simulate(scenario, plan, runs=200, seed=6)
    assert a == b and a.to_json() == b.to_json()
    assert a.incidents != c.incidents or a.overall != c.overall


def test_incidents_come_more_often_where_the_tps_is_more_vulnerable(paskot):
    scenario, _ = paskot
    draws = simulate.draw(scenario, runs=2000, seed=1)
    found = assess(scenario)
    category = np.array([found[t.id].category for t in scenario.tps])
    per_tps = np.bincount(draws.tps, minlength=len(scenario.tps)) / 2000
    low = per_tps[category == Category.KURANG_RAWAN].mean()
    high = per_tps[category == Category.SANGAT_RAWAN].mean()
    assert high > 3 * low  # rates 0.04 vs 0.004 per day, scaled by score
    berat = draws.severity == simulate.BERAT
    assert (
        berat[np.isin(draws.tps, np.flatnonzero(category == Category.SANGAT_RAWAN))].mean()
        > berat[np.isin(draws.tps, np.flatnonzero(category == Category.KURANG_RAWAN))].mean()
    )


def test_reserves_moved_far_from_the_sangat_rawan_tps_score_worse_on_the_same_seed(paskot):
    scenario, plan = paskot
    near, far = simulate.compare(scenario, [plan, far_reserves(plan)], runs=300, seed=11)
    assert near.dispatched == far.dispatched and near.incidents == far.incidents  # the same draws
    assert far.by_category["SANGAT_RAWAN"].p90 > near.by_category["SANGAT_RAWAN"].p90 + 30
    assert far.overall.worst > near.overall.worst
    assert far.by_severity["berat"].median > near.by_severity["berat"].median


def test_a_busy_team_is_not_sent_twice_at_once(paskot):
    scenario, plan = paskot
    one = replace(
        plan,
        posts=tuple(p for p in plan.posts if p.kind != "RESERVE")[:-1]
        + tuple(p for p in plan.posts if p.kind == "RESERVE")[:1],
    )
    many = simulate.Settings(rate={c: 0.5 for c in Category})  # a riot every other TPS: the team is always busy
    report = simulate.simulate(scenario, one, runs=3, seed=2, settings=many)
    assert report.teams["reserve"] == 1 and report.waited > 0 and report.saturated_share > 0


def test_siaga_simulate_on_the_demo_writes_the_distributions(tmp_path, paskot):
    scenario, plan = paskot
    write_scenario(scenario, tmp_path / "demo.xlsx")
    write_plan(plan, tmp_path / "plan.json")
    write_plan(far_reserves(plan), tmp_path / "far.json")
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(tmp_path / "demo.xlsx"),
            str(tmp_path / "plan.json"),
            "--runs",
            "300",
            "--seed",
            "4",
            "--compare",
            str(tmp_path / "far.json"),
            "--out",
            str(tmp_path / "report.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Uji tekanan: 300 hari, benih 4" in result.output and "Kec. Pohjentrek" in result.output
    reports = json.loads((tmp_path / "report.json").read_text())
    assert [r["format"] for r in reports] == ["siaga-simulation/1"] * 2
    near, far = reports
    assert set(near["response_minutes"]) == {"count", "median", "p90", "worst"}
    assert near["response_minutes"]["p90"] < far["response_minutes"]["p90"]
    assert near["worst_tps"] and near["by_kecamatan"]


def test_a_2000_tps_regency_is_simulated_with_every_kecamatan_reported():
    regency = generator.generate(2000, seed=1, indicators=True)
    plan = make_plan(regency)
    report = simulate.simulate(regency, plan, runs=100, seed=1)
    kecamatan = {r.parent_code for r in regency.regions if r.code in {t.desa_code for t in regency.tps}}
    assert report.dispatched > 100 and set(report.by_kecamatan) <= kecamatan
    assert report.overall.median <= report.overall.p90 <= report.overall.worst
