"""Why the roster's places stay empty, where a planner without the console reads it: `siaga
plan` and `siaga replan` print the reasons the plan page gives (vacancy.explain), in the
language asked; and a re-plan's absentees count as absent even though the data still has them
ready (the apel records them, the personnel rows do not change)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from siaga import cli
from siaga.core.data import demo
from siaga.core.data.model import Plan, Scenario
from siaga.core.data.planfile import read_plan
from siaga.core.data.scenario import write_scenario
from siaga.core.planning import roster, vacancy
from siaga.core.planning.plan import plan, replan
from siaga.core.planning.posts import SLOT_OF_FORCE

runner = CliRunner()


@pytest.fixture(scope="module")
def pilkades() -> tuple[Scenario, Plan]:
    scenario = demo.pasuruan_kota()
    return scenario, plan(scenario)


def roster_of(made: Plan) -> roster.Roster:
    found = roster.of_plan(made)
    assert found is not None
    return found


def test_siaga_plan_prints_why_places_stay_empty_and_what_to_do(tmp_path: Path) -> None:
    book = tmp_path / "demo.xlsx"
    write_scenario(demo.pasuruan_kota(), book)
    out = tmp_path / "rencana.json"
    result = runner.invoke(cli.app, ["plan", str(book), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    made = read_plan(out)
    groups = vacancy.explain(demo.pasuruan_kota(), made, roster_of(made))
    assert groups, "the demo's roster leaves places empty"
    text = " ".join(result.output.split())  # the console wraps long lines
    assert "Mengapa tempat kosong, dan yang dapat dilakukan:" in text
    for g in groups:
        why, todo = vacancy.text(g, "id")
        assert " ".join(why.split()) in text and " ".join(todo.split()) in text


def test_siaga_plan_prints_them_in_english_when_asked(tmp_path: Path) -> None:
    book = tmp_path / "demo.xlsx"
    write_scenario(demo.pasuruan_kota(), book)
    result = runner.invoke(cli.app, ["plan", str(book), "--out", str(tmp_path / "p.json"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Why places stay empty, and what can be done:" in text
    assert "tempat kosong" not in text and "dari desa atau kecamatan lain" not in text


def test_a_replans_absentees_count_as_absent_though_the_data_has_them_ready(
    pilkades: tuple[Scenario, Plan],
) -> None:
    scenario, base = pilkades
    before = vacancy.explain(scenario, base, roster_of(base))
    group = before[0]
    kept_off = {c.kind: c.count for c in group.causes}
    # absentees of the group's force who held nothing in this window's group: on the vote's posts
    on_vote = {a.person for a in base.assignments if a.slot == group.slot}
    force_of = {p.id: SLOT_OF_FORCE.get(p.force) for p in scenario.personnel}
    absent = sorted(pid for pid in on_vote if force_of[pid] == group.slot)[:3]
    after = replan(scenario, base, absent)
    again = [g for g in vacancy.explain(scenario, after, roster_of(after)) if g.slot == group.slot]
    assert again, "the group's force still has empty places after the re-plan"
    counted = {c.kind: c.count for c in again[0].causes}
    assert counted.get(vacancy.ABSENT, 0) == kept_off.get(vacancy.ABSENT, 0) + len(absent)
    assert again[0].force == group.force  # each person of the force still counted once
