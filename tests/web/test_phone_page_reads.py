"""The post leader's phone page reads what its reader needs (services.phone): it shows what the
whole-plan reader (`duties.phone_names`: every person, TPS, post and roster line of the Polres)
gives, reads no person or TPS of the operation it does not show, and asks the database the same
number of questions for a small Polres as for one ten times its size."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from html import unescape
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from siaga.accounts.models import Profile, Role
from siaga.core.data import generator
from siaga.core.documents.ploting import PATROL_PREFIX
from siaga.core.planning.engine import plan_all
from siaga.field.services.custody import GUARD_KINDS
from siaga.field.services.duties import phone_names
from siaga.operations.models import Region, Tps
from siaga.operations.services import import_scenario, scenario_for
from siaga.plans.models import PlanPost
from siaga.plans.services import save_plan
from tests.web.conftest import PASSWORD, client_for, own_post, publish

VOTING = dt.datetime(2022, 3, 23, 10, 0)  # the demo's voting day: some duties done, one under way


@pytest.fixture(autouse=True)
def at_voting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("siaga.field.services.clock.now", lambda: timezone.make_aware(VOTING))


def page(client: Any, plan: Any) -> str:
    response = client.get(f"/plans/{plan.pk}/phone/")
    assert response.status_code == 200
    return str(response.content.decode())


def option_names(html: str) -> dict[str, str]:
    """Post id -> the name its option in "Pos saya" shows."""
    found = re.findall(r'<option value="([^"]+)" data-status="[^"]*" data-label="[^"]*" data-name="([^"]*)"', html)
    return {post: unescape(name) for post, name in found}


def roster_lines(html: str) -> list[tuple[str, str]]:
    """The roster's lines as (state, text before the stage) in order."""
    section = re.search(r'id="roster">(.*?)</section>', html, re.S)
    if section is None:
        return []
    lines = re.findall(r'<li class="duty-(\w+)">(.*?)</li>', section.group(1), re.S)
    return [
        (state, unescape(re.sub(r"<[^>]+>", "", text.split(' <span class="muted">(')[0])).strip())
        for state, text in lines
    ]


def expected_lines(plan: Any, code: str) -> list[tuple[str, str]]:
    """The roster as the whole-plan reader lists it (the page's words before each line)."""
    words = {"now": "Sedang berjalan: ", "next": "Berikutnya: "}
    rows = phone_names(plan, code, VOTING).duties
    return [(d.state or "later", f"{words.get(d.state, '')}{d.name} · {d.window} · {d.place}") for d in rows]


def leader_code() -> str:
    return str(Profile.objects.get(user__username="field_officer").person_code)


# -- the same page ----------------------------------------------------------------------------------


def test_it_shows_the_post_leader_what_the_whole_plan_reader_gives(plan):
    plan = publish(plan)
    html = page(client_for("field_officer"), plan)
    whole = phone_names(plan, leader_code(), VOTING)
    mine = own_post(plan)
    assert option_names(html) == {mine: whole.posts[mine]}
    post = re.search(r'<dd class="assignment-post">([^<]*) · ', html)
    assert post and unescape(post.group(1)) == whole.posts[mine]
    reserve = re.search(r'<dd class="assignment-reserve">([^<]*) \([\d,.]+ km\)', html)
    assert reserve and unescape(reserve.group(1)) in whole.posts.values()
    lines = roster_lines(html)
    assert lines and lines == expected_lines(plan, leader_code())
    assert any(state == "now" for state, _text in lines)  # the vote's post, under way


def test_it_shows_the_planner_every_post_by_the_whole_plans_names(plan, as_planner):
    plan = publish(plan)
    shown = option_names(page(as_planner, plan))
    assert shown == phone_names(plan, "", VOTING).posts
    assert len(shown) == plan.posts.count()


def test_a_post_sharing_its_name_with_a_post_it_cannot_see_keeps_the_number_the_plan_gives(plan):
    """Two desa of one name in two kecamatan, each with a post of TPS 1: the Sprin numbers them
    over the whole plan; the post leader's page, which names only the posts that could share
    his post's name (not the whole plan), gives his post that same number."""
    plan = publish(plan)
    mine = PlanPost.objects.get(plan=plan, code=own_post(plan))
    numbers = set(
        Tps.objects.filter(operation=plan.operation, code__in=mine.tps_rows.values("tps_code")).values_list(
            "number", flat=True
        )
    )
    other = next(
        p
        for p in PlanPost.objects.filter(plan=plan, kind="TPS")
        .exclude(kecamatan_code=mine.kecamatan_code)
        .order_by("code")
        if p.tps_rows.count() == len(numbers) and not p.code.startswith(PATROL_PREFIX)
    )
    desa = Region.objects.get(operation=plan.operation, code=mine.desa_code)
    Region.objects.filter(operation=plan.operation, code=other.desa_code).update(name=desa.name, level=desa.level)
    for tps, number in zip(
        other.tps_rows.order_by("tps_code").values_list("tps_code", flat=True), sorted(numbers), strict=True
    ):
        Tps.objects.filter(operation=plan.operation, code=tps).update(number=number)
    whole = phone_names(plan, leader_code(), VOTING).posts
    assert whole[mine.code].endswith(")") and whole[mine.code][:-4] == whole[other.code][:-4]  # "... (1)", "... (2)"
    html = page(client_for("field_officer"), plan)
    assert option_names(html) == {mine.code: whole[mine.code]}
    assert roster_lines(html) == expected_lines(plan, leader_code())


# -- what it reads ----------------------------------------------------------------------------------


def where_of(sql: str, table: str) -> list[str]:
    """The WHERE clause of each query that reads `table`."""
    return [s.split(" WHERE ", 1)[-1] if " WHERE " in s else "" for s in [sql] if f'FROM "{table}"' in s]


def test_the_post_leader_reads_no_person_or_tps_of_the_operation_it_does_not_show(plan):
    plan = publish(plan)
    client = client_for("field_officer")
    with CaptureQueriesContext(connection) as done:
        page(client, plan)
    for query in done.captured_queries:
        for where in where_of(query["sql"], "operations_person"):
            assert '"operations_person"."code"' in where, query["sql"]  # never every person of the Polres
        for where in where_of(query["sql"], "operations_tps"):
            assert '"operations_tps"."code"' in where, query["sql"]
        for where in where_of(query["sql"], "plans_planassignment"):
            assert "person_code" in where or '"post_id" IN' in where, query["sql"]


def polres(tps: int) -> tuple[Any, Any, str]:
    """A generated Polres of `tps` TPS, planned and published, and a post leader of it bound to
    someone who holds a TPS post, an escort run and a guarded place (the page's every part)."""
    scenario = generator.generate(tps, seed=3)
    scenario = replace(scenario, operation=replace(scenario.operation, name=f"Pam Uji {tps} TPS"))
    operation = import_scenario(scenario, f"uji-{tps}.xlsx")
    found = scenario_for(operation)
    plan = publish(save_plan(operation, plan_all(found), found, None))
    kinds: dict[str, set[str]] = {}
    roster = plan.extra["roster"]
    kind_of = {d["id"]: str(d["kind"]) for d in roster["duties"]}
    for a in roster["assignments"]:
        kinds.setdefault(a["person"], set()).add(kind_of[a["duty"]])
    guards = {str(k) for k in GUARD_KINDS}
    on_posts = plan.assignments.filter(post__kind="TPS").order_by("person_code").values_list("person_code", flat=True)
    code = next(c for c in on_posts if "KAWAL" in kinds.get(c, set()) and kinds[c] & guards)
    user = get_user_model().objects.create_user(f"pos-{tps}", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.FIELD_OFFICER, person_code=code)
    return plan, client_for(user.username), code


def queries(client: Any, plan: Any) -> int:
    page(client, plan)  # the session and caches warm
    with CaptureQueriesContext(connection) as done:
        page(client, plan)
    return len(done.captured_queries)


def test_the_queries_do_not_grow_with_the_number_of_tps_and_posts(as_planner):
    small, small_leader, small_code = polres(60)
    big, big_leader, big_code = polres(600)
    assert big.posts.count() > 5 * small.posts.count()
    assert queries(big_leader, big) == queries(small_leader, small)
    assert queries(as_planner, big) == queries(as_planner, small)
    for plan, client, code in ((small, small_leader, small_code), (big, big_leader, big_code)):
        html = page(client, plan)  # and each page shows what the whole plan says
        whole = phone_names(plan, code, VOTING)
        assert 'id="assignment"' in html and 'class="phone custody escort"' in html
        assert roster_lines(html) == expected_lines(plan, code) != []
        assert option_names(html) == {k: whole.posts[k] for k in option_names(html)} != {}
