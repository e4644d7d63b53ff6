"""Counts that must agree from page to page: the dashboard's empty places are the plan page's
(the posts' slots and the other stages' duties, each named as the plan page names it); a
desa's Linmas are one group, "Linmas Desa Logowok", on the apel's roll call as in its
readiness table, and the personnel list's unit filter offers them beside every unit."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from siaga.core.data import linmas
from siaga.core.planning import roster
from siaga.field.services.apel import roll_call
from siaga.operations.models import Person, Region, Unit
from siaga.plans.store import core_plan
from siaga.web.listing import PAGE_SIZE
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish


def cells(row: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    ]


def found(pattern: str, text: str) -> str:
    """The first group of `pattern` in `text`; fails the test when it is not there."""
    match = re.search(pattern, text, re.S)
    assert match, pattern
    return match.group(1)


def dashboard_row(client: Any, plan: Any) -> dict[str, str]:
    """The dashboard's row of `plan` in its table of versions, by column header."""
    page = client.get(reverse("dashboard_for", args=[plan.operation_id])).content.decode()
    table = re.search(r'<table id="dashboard-plans">(.*?)</table>', page, re.S)
    assert table, "no table of versions on the dashboard"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    head = cells(rows[0])
    mine = [cells(r) for r in rows[1:] if f">v{plan.version}<" in r]
    assert len(mine) == 1, rows
    return dict(zip(head, mine[0], strict=True))


def plan_page_counts(client: Any, plan: Any) -> tuple[int, int]:
    """The plan page's "slot kosong di pos" and its "N tempat kosong di luar TPS" (0 when it
    names none)."""
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    card = re.search(r'id="unfilled">(\d+)</div><div class="label">(.*?)</div>', page, re.S)
    assert card, "no empty-slots card on the plan page"
    beyond = re.search(r'id="duty-short-link" href="#duty-short">(\d+) tempat kosong di luar TPS</a>', card.group(2))
    return int(card.group(1)), int(beyond.group(1)) if beyond else 0


def set_duty_shortfall(plan: Any, counts: dict[str, int]) -> None:
    """The plan's roster kept with these empty places (kecamatan code -> places): one duty of
    each kecamatan short of Polri."""
    data = plan.extra["roster"]
    duties: dict[str, str] = {}
    for d in data["duties"]:
        duties.setdefault(d.get("kecamatan_code", ""), d["id"])
    data["unfilled"] = [{"duty": duties[k], "slot": "POLRI", "count": n} for k, n in counts.items()]
    plan.save(update_fields=["extra"])


def test_the_dashboard_counts_the_empty_places_beyond_the_tps_as_the_plan_page(as_planner, plan):
    """The tester's dashboard said "Slot kosong 0" while the plan page said "4 tempat kosong
    di luar TPS": both counts stand on the dashboard, under the plan page's names."""
    row = dashboard_row(as_planner, plan)
    slots, beyond = plan_page_counts(as_planner, plan)
    kept = roster.of_plan(core_plan(plan))
    assert kept is not None
    assert beyond == sum(u.count for u in kept.unfilled) > 0
    assert row["Slot kosong di pos"] == str(slots)
    assert row["Tempat kosong di luar TPS"] == str(beyond)


def test_a_sector_chief_reads_his_kecamatan_places_on_both_pages(as_planner, as_sector, plan):
    set_duty_shortfall(plan, {SECTOR: 3, OTHER_SECTOR: 5})
    assert (
        dashboard_row(as_planner, plan)["Tempat kosong di luar TPS"]
        == "8"
        == str(plan_page_counts(as_planner, plan)[1])
    )
    row = dashboard_row(as_sector, plan)
    slots, beyond = plan_page_counts(as_sector, plan)
    assert beyond == 3
    assert row["Tempat kosong di luar TPS"] == "3"
    assert row["Slot kosong di pos"] == str(slots)


def test_a_version_without_duties_says_so_rather_than_zero(as_planner, plan):
    plan.extra.pop("roster")
    plan.save(update_fields=["extra"])
    assert dashboard_row(as_planner, plan)["Tempat kosong di luar TPS"] == "–"


# ---------------------------------------------------------------- a desa's Linmas, one group


@pytest.fixture
def current(plan: Any) -> Any:
    return publish(plan)


def linmas_desa(plan: Any) -> dict[str, str]:
    """The desa (code -> name) of the Linmas on the plan in SECTOR."""
    on_plan = plan.assignments.values("person_code")
    codes = set(
        Person.objects.filter(
            operation_id=plan.operation_id, code__in=on_plan, unit_code="", kecamatan_code=SECTOR
        ).values_list("desa_code", flat=True)
    )
    return dict(Region.objects.filter(operation_id=plan.operation_id, code__in=codes).values_list("code", "name"))


def test_the_roll_call_names_a_linmas_group_as_the_readiness_table(current, as_sector):
    plan = current
    desa = linmas_desa(plan)
    assert desa
    page = as_sector.get(reverse("apel", args=[plan.pk])).content.decode()
    ready = found(r'<table id="ready-units">(.*?)</table>', page)
    groups = {cells(r)[0] for r in re.findall(r"<tr data-unit[^>]*>(.*?)</tr>", ready, re.S)}
    for code, name in desa.items():
        assert f"Linmas Desa {name}" in groups
        listed = as_sector.get(reverse("apel", args=[plan.pk]) + f"?unit=desa:{code}").content.decode()
        roster_rows = re.findall(r'<tr data-code="[^"]*"[^>]*>(.*?)</tr>', listed, re.S)
        assert roster_rows
        assert {cells(r)[2] for r in roster_rows} == {f"Linmas Desa {name}"}  # the Satuan column, never "–"


def test_the_roll_calls_group_names_follow_the_language_and_units_keep_theirs(current, as_sector):
    from django.contrib.auth import get_user_model

    plan = current
    user = get_user_model().objects.get(username="sector")
    units = dict(Unit.objects.filter(operation_id=plan.operation_id).values_list("code", "name"))
    with translation.override("en"):
        rows = list(roll_call(plan, user))
    people = dict(Person.objects.filter(operation_id=plan.operation_id).values_list("code", "unit_code"))
    desa = linmas_desa(plan)
    for row in rows:
        unit = people[row["code"]]
        if unit:
            assert row["unit_name"] == units.get(unit, unit)
        else:
            assert row["unit_name"] in {f"Linmas of Desa {name}" for name in desa.values()}


def unit_options(client: Any, plan: Any, query: str = "") -> dict[str, str]:
    page = client.get(reverse("personnel_list", args=[plan.operation_id]) + query).content.decode()
    select = found(r'<select name="unit">(.*?)</select>', page)
    return {v: html.unescape(t) for v, t in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select) if v}


def test_the_personnel_filter_offers_every_unit_of_the_list_and_each_desa_linmas(as_sector, plan):
    options = unit_options(as_sector, plan)
    people = Person.objects.filter(operation_id=plan.operation_id, kecamatan_code=SECTOR)
    units = set(people.exclude(unit_code="").values_list("unit_code", flat=True))
    desa = set(people.filter(unit_code="").exclude(desa_code="").values_list("desa_code", flat=True))
    names = dict(Region.objects.filter(operation_id=plan.operation_id, code__in=desa).values_list("code", "name"))
    assert desa, "the sector has Linmas"
    assert units <= set(options)
    assert {f"desa:{c}": f"Linmas Desa {names[c]}" for c in desa}.items() <= options.items()
    assert len(options) == len(units) + len(desa)  # nothing of another sector


def test_choosing_a_desa_linmas_lists_exactly_them_and_keeps_the_choice(as_sector, plan):
    people = Person.objects.filter(operation_id=plan.operation_id, kecamatan_code=SECTOR, unit_code="")
    code = people.exclude(desa_code="").values_list("desa_code", flat=True).first()
    page = as_sector.get(reverse("personnel_list", args=[plan.operation_id]) + f"?unit=desa:{code}").content.decode()
    table = found(r'<table id="personnel">.*?<tbody>(.*?)</tbody>', page)
    listed = {cells(r)[0] for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)} - {""}
    shown = {c for c in listed if c.startswith("••••")}  # a Linmas's NIK is shown masked
    expected = {linmas.masked(c) for c in people.filter(desa_code=code).values_list("code", flat=True)}
    assert shown == expected or (len(shown) == PAGE_SIZE and shown <= expected)  # one page of them
    assert f'<option value="desa:{code}" selected>' in page


def test_the_planner_is_offered_every_unit_of_the_operation(as_planner, plan):
    options = unit_options(as_planner, plan)
    codes = set(
        Person.objects.filter(operation_id=plan.operation_id).exclude(unit_code="").values_list("unit_code", flat=True)
    )
    assert codes and codes <= set(options)
    assert any(v.startswith("desa:") for v in options)


def test_the_plan_list_counts_them_as_the_dashboard(as_planner, as_sector, plan):
    set_duty_shortfall(plan, {SECTOR: 3, OTHER_SECTOR: 5})
    for client, beyond in ((as_planner, "8"), (as_sector, "3")):
        page = client.get(reverse("plan_list", args=[plan.operation_id])).content.decode()
        row = found(rf'<tr id="plan-{plan.version}">(.*?)</tr>', page)
        head = cells(found(r'<table id="versions">\s*<thead>(.*?)</thead>', page))
        shown = dict(zip(head, cells(row), strict=False))
        assert shown["Tempat kosong di luar TPS"] == beyond == dashboard_row(client, plan)["Tempat kosong di luar TPS"]
        assert shown["Slot kosong di pos"] == dashboard_row(client, plan)["Slot kosong di pos"]
