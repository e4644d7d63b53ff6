"""A plan version is rows: what goes in comes back whole, as the core plan and as the plan file."""

from __future__ import annotations

from siaga.core.data.planfile import to_json
from siaga.core.planning.engine import plan_all
from siaga.operations.services import scenario_for
from siaga.plans.store import core_plan, plan_file, save_plan


def test_it_gives_back_the_plan_it_stored_row_for_row(operation):
    scenario = scenario_for(operation)
    planned = plan_all(scenario)
    stored = save_plan(operation, planned, scenario, None)
    assert stored.posts.count() == len(planned.posts)
    assert stored.assignments.count() == len(planned.assignments)
    back = core_plan(stored)
    assert back == planned
    assert plan_file(stored) == to_json(planned)
