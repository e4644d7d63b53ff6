"""The checker's violations of a stored plan: Indonesian strings in `violations` (as ever), and
msgid and parameters in the plan's `violation_messages`, which the plan page renders in the
reader's language."""

from __future__ import annotations

from dataclasses import replace

from siaga.operations.services import scenario_for
from siaga.plans.store import core_plan, plan_file, save_plan


def _broken(operation, plan):
    result = core_plan(plan)
    first = result.assignments[0]
    moved = replace(first, cost_km=first.cost_km + 1)
    return save_plan(
        operation, replace(result, assignments=(moved, *result.assignments[1:])), scenario_for(operation), None
    )


def test_it_keeps_the_violations_as_indonesian_strings_and_as_messages(operation, plan):
    saved = _broken(operation, plan)
    assert saved.violations and saved.violations[0].startswith("[cost] ") and " biaya " in saved.violations[0]
    records = saved.extra["violation_messages"]
    assert len(records) == len(saved.violations)
    assert records[0]["rule"] == "cost" and records[0]["msgid"].endswith("seharusnya %(expected)s km")
    assert all(isinstance(v, str | int | float | list) for r in records for v in r["params"].values())
    assert "violation_messages" in plan_file(saved)
    fixed = save_plan(operation, core_plan(plan), scenario_for(operation), None)
    assert fixed.violations == [] and "violation_messages" not in fixed.extra  # none carried over


def test_the_plan_page_renders_the_violations_in_the_readers_language(as_planner, operation, plan):
    saved = _broken(operation, plan)
    as_planner.cookies["django_language"] = "en"
    english = as_planner.get(f"/plans/{saved.pk}/").content.decode()
    as_planner.cookies["django_language"] = "id"
    indonesian = as_planner.get(f"/plans/{saved.pk}/").content.decode()
    person = core_plan(saved).assignments[0].person
    assert f"Travel distance: {person} at " in english and f" {person} di " not in english
    assert f"Jarak tempuh: {person} di " in indonesian and ": biaya " in indonesian
    assert "[cost]" not in english + indonesian  # the rule by its name, never its code
