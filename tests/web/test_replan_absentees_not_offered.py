"""Whom the apel's absentee re-plan took as absent stays off every post of the version it made
and of the versions edited by hand from it: not offered under "siapa bisa mengisi slot ini",
and refused, in words, when the reassign form is sent by hand. The data still holds them ready
(`Person.available`): the version's own absentees count (core `plan.as_planned`)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from siaga.core.planning import plan as core_planning
from siaga.field.models import AbsenteeReplan
from siaga.operations.models import Person
from siaga.operations.services import scenario_for
from siaga.plans.models import Plan
from siaga.plans.store import core_plan
from tests.web.conftest import publish
from tests.web.test_field_apel import people_in, present
from tests.web.test_i18n import in_english


@pytest.fixture
def replanned(plan: Plan, settings: Any) -> tuple[Plan, list[str]]:
    """The version the absentee re-plan made with the Polri of the first posts absent (their
    places stay empty: the re-plan fills only from those at the apel), and those absentees."""
    settings.SIAGA_JOBS_INLINE = True
    publish(plan)
    people = people_in(plan)
    polri = set(Person.objects.filter(operation_id=plan.operation_id, force="POLRI").values_list("code", flat=True))
    absent = [code for code in people if code in polri][:4]
    present(plan, [code for code in people if code not in absent])
    planner = get_user_model().objects.get(username="planner")
    from siaga.field.services import replan_absentees

    row, _ = replan_absentees(plan, planner, "absent-offered")
    row = AbsenteeReplan.objects.select_related("job__plan").get(pk=row.pk)
    assert row.job is not None and row.job.plan is not None, row.job and row.job.message
    assert sorted(row.absent) == sorted(absent)
    return row.job.plan, absent


def empty_polri(plan: Plan) -> list[str]:
    return list(plan.unfilled.filter(slot="POLRI").values_list("post__code", flat=True))


def offered(client: Any, plan: Plan, post: str) -> list[str]:
    fragment = client.get(f"/plans/{plan.pk}/candidates/?post={post}&slot=POLRI").content.decode()
    return re.findall(r'data-person="([^"]+)"', fragment)


def test_the_data_still_holds_the_absentees_ready_and_the_core_would_offer_them_without_the_version(replanned):
    """The setup is the one the tester met: without the version's absentees, they are offered."""
    new, absent = replanned
    assert set(Person.objects.filter(code__in=absent).values_list("available", flat=True)) == {True}
    scenario, core = scenario_for(new.operation), core_plan(new)
    wanted = [(post, "POLRI") for post in empty_polri(new)]
    assert wanted
    bare = core_planning.candidates(scenario, replace(core, extra={}), wanted, 50)
    assert {code for rows in bare.values() for code, _km in rows} & set(absent)


def test_the_absentees_are_never_offered_for_an_empty_post(as_planner, replanned):
    new, absent = replanned
    posts = empty_polri(new)
    assert posts
    for post in posts:
        assert not set(offered(as_planner, new, post)) & set(absent), post
    assert core_planning.absentees(core_plan(new)) == frozenset(absent)


def test_placing_an_absentee_by_hand_is_refused_in_words(as_planner, replanned):
    new, absent = replanned
    versions = Plan.objects.filter(operation_id=new.operation_id).count()
    sent = {"person": absent[0], "post": empty_polri(new)[0], "slot": "POLRI"}
    response = as_planner.post(f"/plans/{new.pk}/reassign/", sent, follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    name = str(Person.objects.get(operation_id=new.operation_id, code=absent[0]))
    assert f"{name} tidak hadir di apel (berhalangan pada versi ini)" in said
    assert Plan.objects.filter(operation_id=new.operation_id).count() == versions
    response = in_english(as_planner).post(f"/plans/{new.pk}/reassign/", sent, follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    assert "was absent from the apel" in said and "tidak hadir" not in said


def test_a_version_edited_by_hand_from_it_still_keeps_the_absentees_off(as_planner, replanned):
    new, absent = replanned
    someone = new.assignments.filter(slot="POLRI").exclude(person_code__in=absent).first()
    assert someone is not None
    as_planner.post(f"/plans/{new.pk}/reassign/", {"person": someone.person_code, "idle": "on"})
    edited = Plan.objects.filter(operation_id=new.operation_id).order_by("-version").first()
    assert edited is not None and edited.version == new.version + 1
    post = someone.post.code
    assert someone.person_code in offered(as_planner, edited, post)  # the one made idle is offered back
    assert not set(offered(as_planner, edited, post)) & set(absent)
    refused = as_planner.post(f"/plans/{edited.pk}/reassign/", {"person": absent[0], "post": post, "slot": "POLRI"})
    assert refused.status_code == 302
    assert Plan.objects.filter(operation_id=new.operation_id).order_by("-version").first() == edited


def test_the_name_search_says_an_absentee_was_absent_from_the_apel(as_planner, replanned):
    new, absent = replanned
    name = Person.objects.get(operation_id=new.operation_id, code=absent[0]).name
    found = as_planner.get(f"/plans/{new.pk}/people/", {"q": absent[0]}).json()["people"]
    (row,) = [p for p in found if p["value"] == absent[0]]
    assert name in row["label"] and row["label"].endswith("tidak hadir di apel")
    assert "tanpa pos" not in row["label"]
