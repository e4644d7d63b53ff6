"""A re-plan after the apel pergeseran (`newcomers=False`) fills the places of the absent from
those the apel gathered: nobody who held no vote post before is put on one, while the later
stages' duties still take anyone ready; the plan stays valid. The default re-plan may call in
anyone ready, as before."""

from __future__ import annotations

import random

import pytest

from siaga.core.check import check_plan
from siaga.core.data import demo
from siaga.core.planning import roster
from siaga.core.planning.engine import replan_all
from siaga.core.planning.plan import plan, replan


@pytest.fixture(scope="module")
def regency():  # type: ignore[no-untyped-def]
    scenario = demo.pasuruan_kota()  # 950 people, some 300 ready with no post: the apel does not gather them
    base = plan(scenario)
    on_tps = sorted({a.person for a in base.assignments if a.post.startswith("TPS")})
    absent = random.Random(5).sample(on_tps, 12)
    return scenario, base, absent


def test_after_the_apel_only_those_who_stood_there_take_the_vote_posts(regency) -> None:  # type: ignore[no-untyped-def]
    scenario, base, absent = regency
    gathered = {a.person for a in base.assignments}
    anyone = replan(scenario, base, absent)
    assert {a.person for a in anyone.assignments} - gathered  # by default the idle are called in
    after = replan(scenario, base, absent, newcomers=False)
    placed = {a.person for a in after.assignments}
    assert placed <= gathered - set(absent)
    assert check_plan(scenario, after) == []
    assert sum(u.count for u in after.unfilled) >= sum(u.count for u in anyone.unfilled)  # a place may stay empty
    later = roster.of_plan(after)
    assert later is not None and {a.person for a in later.assignments} - gathered  # later stages: anyone ready


def test_the_engine_passes_it_on(regency) -> None:  # type: ignore[no-untyped-def]
    scenario, base, absent = regency
    after = replan_all(scenario, base, absent, newcomers=False)
    assert {a.person for a in after.assignments} <= {a.person for a in base.assignments} - set(absent)
