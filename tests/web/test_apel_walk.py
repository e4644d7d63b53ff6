"""What a walk of the apel pages as the planner and the Kapolsek found: the absentees named in
the marshal's order, the unit filter kept in step with the readiness panel, singular English
column headers, and the field pages reading the plan's big JSON once."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from siaga.field.models import CheckIn
from siaga.field.services.apel import absentees
from siaga.operations.models import Person, Unit
from siaga.plans.models import Plan
from tests.web.conftest import SECTOR, publish
from tests.web.test_field_apel import people_in, present
from tests.web.test_i18n import in_english

FORCES = ("POLRI", "BRIMOB", "TNI", "LINMAS")  # the marshal's order (services.apel.ABSENT_FORCE_ORDER)


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def marshal_order(plan: Plan, codes: list[str]) -> list[str]:
    """`codes` by force (Polri, Brimob, TNI, Linmas, others), unit name, name, NRP/NIK."""
    units = dict(Unit.objects.filter(operation_id=plan.operation_id).values_list("code", "name"))
    people = Person.objects.filter(operation_id=plan.operation_id, code__in=codes)

    def key(p: Person) -> tuple[int, str, str, str]:
        force = FORCES.index(p.force) if p.force in FORCES else len(FORCES)
        return force, units.get(p.unit_code) or p.unit_code, p.name, p.code

    return [p.code for p in sorted(people, key=key)]


def shown_absent(client: Client, plan: Plan) -> list[str]:
    html = client.get(f"/plans/{plan.pk}/apel/readiness/").content.decode()
    return re.findall(r'data-absent="([^"]+)"', html)


def a_few_of_each_force(plan: Plan, codes: list[str]) -> list[str]:
    """Up to three people of each force among `codes`, picked from the end of NRP/NIK order (so
    the order the panel shows is not the order they were picked in)."""
    force = dict(Person.objects.filter(operation_id=plan.operation_id, code__in=codes).values_list("code", "force"))
    chosen: list[str] = []
    for name in FORCES:
        chosen += sorted((c for c in codes if force[c] == name), reverse=True)[:3]
    return chosen


# -- the absentees in the marshal's order (Polri first, then unit and name) --------------------


def test_the_readiness_panel_names_polri_absentees_first_not_the_linmas_niks(as_planner, plan):
    people = people_in(plan)
    shown = shown_absent(as_planner, plan)
    forces = dict(Person.objects.filter(code__in=shown, operation_id=plan.operation_id).values_list("code", "force"))
    assert forces[shown[0]] == "POLRI"
    assert shown == marshal_order(plan, people)[: len(shown)]


@pytest.mark.parametrize("persona, kecamatan", [("as_planner", None), ("as_sector", SECTOR)])
def test_the_absentees_are_named_by_force_then_unit_then_name(request, persona, kecamatan, plan):
    client = request.getfixturevalue(persona)
    visible = people_in(plan, kecamatan)
    absent = a_few_of_each_force(plan, visible)
    assert len({p for p in Person.objects.filter(code__in=absent).values_list("force", flat=True)}) >= 3
    present(plan, sorted(set(people_in(plan)) - set(absent)))
    assert shown_absent(client, plan) == marshal_order(plan, absent)


def test_the_absentee_replan_still_takes_everyone_absent(as_planner, plan):
    people = people_in(plan)
    present(plan, people[5:])
    planner = get_user_model().objects.get(username="planner")
    assert absentees(plan, planner) == sorted(people[:5])


# -- the unit filter follows the readiness panel ----------------------------------------------


@pytest.mark.parametrize("persona", ["as_planner", "as_sector", "as_commander"])
def test_the_unit_filter_and_the_readiness_table_name_the_same_units(request, persona, plan):
    """apel.js copies the counts of the panel's unit rows into the filter's options: every
    option is a row of the panel (the unit's code, "-" for none), and every reader, a viewer
    too, loads the script (the panel is polled for them as well)."""
    client = request.getfixturevalue(persona)
    CheckIn.objects.create(operation_id=plan.operation_id, person_code=people_in(plan)[0], method="list", key="k")
    html = client.get(f"/plans/{plan.pk}/apel/").content.decode()
    assert "siaga/apel.js" in html
    options = re.findall(r'<option value="([^"]+)"(?: selected)?>([^<]*) · (\d+)/(\d+)</option>', html)
    table = html[html.index('id="ready-units"') :]
    rows = re.findall(
        r'<tr data-unit="([^"]*)"><td>([^<]*)</td><td class="num present">(\d+)</td><td class="num">(\d+)</td>', table
    )
    assert options and sorted(options) == sorted((code or "-", name, p, e) for code, name, p, e in rows)


# -- singular English column headers ----------------------------------------------------------


def test_the_english_column_headers_over_one_unit_or_post_a_row_are_singular(as_planner, plan):
    client = in_english(as_planner)
    apel = client.get(f"/plans/{plan.pk}/apel/").content.decode()
    roster = apel[apel.index('id="roster"') :]
    assert "<th>Unit</th>" in roster and "<th>Post</th>" in roster and "<th>Units</th>" not in roster
    ready = client.get(f"/plans/{plan.pk}/apel/readiness/").content.decode()
    assert "<thead><tr><th>Unit</th>" in ready and ">Units<" not in ready
    assert "<thead><tr><th>Unit</th>" in client.get(f"/plans/{plan.pk}/sarpras/").content.decode()
    board = client.get(f"/plans/{plan.pk}/board/").content.decode()
    assert "<thead><tr><th>Post</th>" in board and "<th>Posts</th>" not in board
    assert '">Units</a>' in apel  # the menu's list of units stays plural


# -- the plan row with its big JSON read once --------------------------------------------------


def plan_reads(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    table = connection.ops.quote_name("plans_plan")
    column = f"{table}.{connection.ops.quote_name('extra')}"
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and column in q["sql"]]


@pytest.mark.parametrize("page", ["apel/", "apel/readiness/", "sarpras/", "board/"])
def test_a_field_page_reads_the_plan_with_its_big_json_once(as_planner, plan, page):
    assert len(plan_reads(as_planner, f"/plans/{plan.pk}/{page}")) == 1


def test_an_older_versions_url_still_goes_to_the_current_one(as_planner, plan, operation):
    from tests.web.conftest import copy_plan

    newer = copy_plan(plan, operation)
    publish(newer)
    response = as_planner.get(f"/plans/{plan.pk}/apel/?present=no")
    assert response.status_code == 302 and response["Location"] == f"/plans/{newer.pk}/apel/?present=no"


def test_before_any_version_is_published_the_page_names_the_version_to_publish(as_planner, plan):
    Plan.objects.filter(operation_id=plan.operation_id).update(status=Plan.Status.DRAFT)
    response = as_planner.get(f"/plans/{plan.pk}/apel/")
    assert response.status_code == 409
    html = response.content.decode()
    assert f'href="/plans/{plan.pk}/"' in html and f"Ke rencana versi {plan.version}" in html
    assert plan.operation.name in html


# -- a 390 px phone: the unit's "Hadir semua" and the tick stay in sight ------------------------


def test_on_a_phone_the_meters_give_way_to_the_unit_checkin_and_the_tick(as_sector, plan):
    """At 390 px the readiness table's meter column went past the screen's edge with the
    "Hadir semua" button behind it, and the roll call's tick was cut: the phone rules put each
    meter's figure in its place (the % column stays, tests/browser/test_layout_phone_width.py
    measures it) and narrow the roll call's cells."""
    html = as_sector.get(f"/plans/{plan.pk}/apel/").content.decode()
    phone = html[html.index("@media (max-width: 600px)") :]
    phone = phone[: phone.index("</style>")]
    assert "#ready-units .meter, #ready-forces .meter { display:none; }" in phone
    assert '<span class="pct-figure">' in html
    assert "#roster th, #roster td { padding-left:.3rem; padding-right:.3rem; }" in phone
    assert 'class="unit-checkin"' in html  # the button is there to be seen


# -- the absentee re-plan says what changed in words -------------------------------------------


def _move(before: bool, after: bool) -> dict[str, Any]:
    post = ("Pos TPS 1 Desa Jeruk", "Polri")
    return {
        "person": {"code": "1", "name": "A", "rank": ""},
        "before": post if before else None,
        "after": post if after else None,
    }


@pytest.mark.parametrize(
    ("moves", "lines"),
    [
        (
            [_move(True, False)] * 2 + [_move(False, True)] * 3 + [_move(True, True)],
            [
                "2 personel dikeluarkan dari posnya.",
                "3 personel yang sebelumnya tidak ditugaskan masuk menggantikan; mereka tidak ada di daftar apel ini.",
                "1 personel yang tetap ditugaskan pindah ke pos lain; yang lain tetap di posnya.",
            ],
        ),
        ([], ["0 personel dikeluarkan dari posnya."]),
    ],
)
def test_the_replan_summary_counts_who_left_who_came_in_and_who_moved(moves, lines):
    from siaga.field.views_apel import _replan_summary

    summary = _replan_summary(moves)
    assert summary[: len(lines)] == lines


def test_the_replan_result_says_in_english_what_changed_and_that_the_new_version_is_not_yet_in_use(plan):
    from django.template.loader import render_to_string
    from django.utils import translation

    from siaga.field.views_apel import _replan_summary

    moves = [_move(True, False), _move(False, True), _move(False, True)]
    with translation.override("en"):
        context = {"plan": plan, "new": plan, "finished": True, "moves": [], "summary": _replan_summary(moves)}
        draft = render_to_string("field/_apel_replan.html", {**context, "new": copy_for(plan, "draft")})
        published = render_to_string("field/_apel_replan.html", context)
    draft = html.unescape(draft)
    assert "1 person taken off their post." in draft
    assert "2 people not assigned before come in as replacements; they are not on this apel's roll." in draft
    assert "0 people still assigned move to another post" in draft
    assert 'id="replan-draft"' in draft and "is not published yet" in draft
    assert 'id="replan-draft"' not in published


def copy_for(plan: Plan, status: str) -> Plan:
    """`plan` as an unsaved object with another status (a template reads only its fields)."""
    other = Plan.objects.get(pk=plan.pk)
    other.status = status
    return other


# -- an escort leg departs before it arrives ---------------------------------------------------


def test_an_arrival_before_the_legs_departure_and_a_departure_after_its_arrival_are_refused(plan):
    from siaga.field import services
    from siaga.field.models import EscortEvent
    from tests.web.test_field_custody import duty_in

    planner = get_user_model().objects.get(username="planner")
    duty = duty_in(plan, SECTOR)["id"]
    day = "2024-02-14"  # a past day (a time in the future is refused for its own reason)
    services.escort_event(plan, duty, {"kind": "berangkat", "leg": 0, "at": f"{day}T13:30"}, planner, "dep")
    with pytest.raises(services.FieldError, match="Tiba .* ditolak: lebih awal dari keberangkatan ruas ini"):
        services.escort_event(plan, duty, {"kind": "tiba", "leg": 0, "at": f"{day}T12:30"}, planner, "early")
    services.escort_event(plan, duty, {"kind": "tiba", "leg": 0, "at": f"{day}T14:30"}, planner, "arr")
    with pytest.raises(services.FieldError, match="Berangkat .* ditolak: ruas ini sudah tercatat tiba"):
        services.escort_event(plan, duty, {"kind": "berangkat", "leg": 0, "at": f"{day}T15:00"}, planner, "late")
    assert sorted(EscortEvent.objects.filter(duty_id=duty).values_list("key", flat=True)) == ["arr", "dep"]
    # a retry of an accepted key still answers with its record
    assert (
        services.escort_event(plan, duty, {"kind": "berangkat", "leg": 0, "at": f"{day}T13:30"}, planner, "dep")[1]
        is False
    )


def test_an_arrival_with_no_departure_recorded_is_taken(plan):
    from siaga.field import services
    from tests.web.test_field_custody import duty_in

    planner = get_user_model().objects.get(username="planner")
    row, created = services.escort_event(plan, duty_in(plan, SECTOR)["id"], {"kind": "tiba", "leg": 0}, planner, "k")
    assert created and row.kind == "tiba"
