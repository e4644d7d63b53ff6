"""The plan page's "personel tanpa pos" (no post at the vote) says how many of them hold a duty
of another stage (an escort, a guard, the Posko): they are not idle."""

from __future__ import annotations

import html

from siaga.core.planning import roster
from siaga.plans.store import core_plan


def test_the_idle_card_counts_those_on_duties_of_other_stages(as_planner, plan):
    made = core_plan(plan)
    r = roster.of_plan(made)
    assert r is not None
    beyond = len({a.person for a in r.assignments} - {a.person for a in made.assignments})
    assert beyond > 0  # the demo's Posko watch and escorts are held by people off the vote's posts
    page = html.unescape(as_planner.get(f"/plans/{plan.pk}/").content.decode())
    assert f'<span id="idle-with-duties">{beyond} di antaranya bertugas pada tahapan lain</span>' in page
