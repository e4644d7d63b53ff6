"""A console plan job plans its Polres on the engine the settings name (SIAGA_PLAN_ENGINE,
SIAGA_PLAN_WORKERS): a pool of processes, or a Dask cluster made for the run; the plan stored
is the same whichever engine made it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from siaga.core.data import generator
from siaga.core.planning import polres
from siaga.operations.services import import_scenario
from siaga.plans.models import Plan, PlanJob
from siaga.plans.services import start_job


def _plan_with(engine: str, operation: Any, settings: Any) -> Plan:
    settings.SIAGA_JOBS_INLINE = True
    settings.SIAGA_PLAN_ENGINE = engine
    settings.SIAGA_PLAN_WORKERS = 2
    planner = get_user_model().objects.get(username="planner")
    job = start_job(operation, planner)
    job.refresh_from_db()
    assert job.status == PlanJob.Status.DONE, job.message
    assert job.plan is not None
    return job.plan


@pytest.mark.django_db
@pytest.mark.same_on_every_database  # what is compared is the engines' work, not the database's
def test_the_console_plans_on_the_pool_and_on_dask_alike(settings):
    scenario = generator.generate(3000, seed=3, indicators=True)
    assert len(polres.split(scenario)) == 2  # two Polres: the engine runs two parts
    operation = import_scenario(scenario, "dua-polres.xlsx")
    on_pool = _plan_with("local", operation, settings)
    on_dask = _plan_with("dask", operation, settings)

    def placed(plan: Plan) -> list[tuple[str, str, str]]:
        rows = plan.assignments.values_list("person_code", "post__code", "slot")
        return sorted(rows)

    assert on_pool.summary == on_dask.summary
    assert placed(on_pool) == placed(on_dask)
    assert len(placed(on_pool)) == on_pool.summary["assigned"] > 0
