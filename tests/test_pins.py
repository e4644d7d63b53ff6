"""Pinned decisions (docs/scenario.md 2.9): a planner's pin survives a plan, a re-plan and an
absentee re-plan; a pin that can no longer hold is reported, never silently dropped."""

from __future__ import annotations

from dataclasses import replace

import pytest

from siaga.core.check import check_plan
from siaga.core.data import demo, planfile
from siaga.core.data.model import Force, Plan, Scenario
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning import plan as planner


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return demo.pasuruan_kota()


@pytest.fixture(scope="module")
def base(scenario: Scenario) -> Plan:
    return planner.plan(scenario)


def _pin(scenario: Scenario, pins: dict[str, tuple[str, str]]) -> Scenario:
    people = tuple(
        replace(p, pinned_post=pins[p.id][0], pin_reason=pins[p.id][1]) if p.id in pins else p
        for p in scenario.personnel
    )
    return replace(scenario, personnel=people)


def _where(plan: Plan) -> dict[str, str]:
    return {a.person: a.post for a in plan.assignments}


def _choose(scenario: Scenario, base: Plan) -> tuple[str, str, str, str]:
    """A Polri on one TPS post, a TPS of another post far from it, and two other Polri on posts."""
    where = _where(base)
    polri = [a for a in base.assignments if a.slot == "POLRI"]
    mover = polri[0]
    far_post = next(
        p for p in base.posts if p.kind == "TPS" and p.kecamatan_code != _post(base, mover.post).kecamatan_code
    )
    staff, away = polri[5].person, polri[9].person
    assert where[mover.person] != far_post.id
    return mover.person, far_post.tps[0], staff, away


def _post(plan: Plan, post_id: str):
    return next(p for p in plan.posts if p.id == post_id)


def test_pins_hold_through_a_plan_a_replan_and_an_absentee_replan(scenario, base):
    mover, tps, staff, away = _choose(scenario, base)
    pinned = _pin(scenario, {mover: (tps, "kenal tokoh desa"), staff: ("STAF", "staf Posko"), away: ("TIDAK", "cuti")})
    first = planner.plan(pinned)
    assert check_plan(pinned, first) == []
    where = _where(first)
    assert tps in _post(first, where[mover]).tps  # on the post of the TPS he was pinned to
    assert staff not in where and away not in where
    lines = {line["person"]: line for line in first.extra["pins"]}
    assert lines[mover]["held"] and lines[mover]["reason"] == "kenal tokoh desa"
    assert lines[staff]["kind"] == "STAFF" and lines[away]["kind"] == "NOT_DEPLOYED"

    # ten absentees among the unpinned: every pin still holds
    others = [a.person for a in first.assignments if a.person not in (mover, staff, away)][:10]
    again = planner.replan(pinned, first, others)
    assert check_plan(planner.with_replan_inputs(pinned, set(others), {}), again) == []
    where = _where(again)
    assert tps in _post(again, where[mover]).tps and staff not in where and away not in where
    assert all(line["held"] for line in again.extra["pins"])
    # and the plan file carries the pins back
    assert planfile.from_json(planfile.to_json(again)).extra["pins"] == again.extra["pins"]


def test_a_pin_that_cannot_hold_is_reported(scenario, base):
    mover, tps, _, _ = _choose(scenario, base)
    commander = next(p for p in scenario.personnel if p.position.lower().startswith("kapolres"))
    pinned = _pin(scenario, {mover: (tps, "permintaan Kapolsek"), commander.id: (tps, "")})
    first = planner.plan(pinned)
    lines = {line["person"]: line for line in first.extra["pins"]}
    assert lines[commander.id] == {**lines[commander.id], "held": False, "problem": "command"}
    assert commander.id not in _where(first)
    # the pinned person drops out: the re-plan says so instead of losing the pin
    after = planner.replan(pinned, first, [mover])
    lines = {line["person"]: line for line in after.extra["pins"]}
    assert lines[mover]["held"] is False and lines[mover]["problem"] == "absent"
    assert mover not in _where(after)


def test_a_linmas_roster_fixes_each_member_to_their_tps(scenario, base):
    linmas = [p for p in scenario.personnel if p.force == Force.LINMAS]
    desa_tps = {}
    for t in scenario.tps:
        desa_tps.setdefault(t.desa_code, []).append(t.id)
    chosen = {}
    for p in linmas:
        tps_list = desa_tps.get(p.desa_code)
        if tps_list and p.desa_code not in {scenario_desa for scenario_desa, _ in chosen.values()}:
            chosen[p.id] = (p.desa_code, tps_list[-1])
        if len(chosen) == 5:
            break
    people = tuple(replace(p, tps_id=chosen[p.id][1]) if p.id in chosen else p for p in scenario.personnel)
    roster = replace(scenario, personnel=people)
    result = planner.plan(roster)
    assert check_plan(roster, result) == []
    where = _where(result)
    for person, (_, tps) in chosen.items():
        assert tps in _post(result, where[person]).tps
    assert {line["kind"] for line in result.extra["pins"]} == {"ROSTER"}


def test_pins_and_a_roster_travel_in_the_workbook(scenario, tmp_path):
    person = next(p for p in scenario.personnel if p.force == Force.POLRI)
    linmas = next(p for p in scenario.personnel if p.force == Force.LINMAS)
    tps = next(t.id for t in scenario.tps if t.desa_code == linmas.desa_code)
    changed = tuple(
        replace(p, pinned_post="STAF", pin_reason="operator radio")
        if p.id == person.id
        else replace(p, tps_id=tps)
        if p.id == linmas.id
        else p
        for p in scenario.personnel
    )
    path = tmp_path / "pins.xlsx"
    write_scenario(replace(scenario, personnel=changed), path)
    back = {p.id: p for p in read_scenario(path).personnel}
    assert (back[person.id].pinned_post, back[person.id].pin_reason) == ("STAF", "operator radio")
    assert back[linmas.id].tps_id == tps


def test_a_pin_to_an_unknown_place_is_refused_naming_the_cell(scenario, tmp_path):
    from siaga.core.data.problems import ScenarioError

    person = scenario.personnel[3]
    changed = tuple(replace(p, pinned_post="TPS-NOWHERE-9") if p.id == person.id else p for p in scenario.personnel)
    bad = tuple(replace(p, pinned_post="Gudang KPU") if p.id == person.id else p for p in changed)
    path = tmp_path / "bad.xlsx"
    write_scenario(replace(scenario, personnel=bad), path)
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    problem = caught.value.problems[0]
    assert problem.code == "unknown_pin" and problem.value == "Gudang KPU" and problem.column == "pos_tetap"
