"""The plan page's duties by stage (docs/scenario.md 2.13): the Kabag Ops sees every stage's
duties, what stays empty where, when and in which hours, and the duty hours against the
fatigue limit; a Kapolsek sees only his kecamatan's duties."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from siaga.audit.models import AuditEntry
from siaga.core.data.labels import FORCE, word
from siaga.core.planning import roster
from siaga.plans.store import core_plan
from tests.web.conftest import OTHER_SECTOR, SECTOR


def section(html: str) -> str:
    found = re.search(r'<section class="panel" id="duties">(.*?)</section>', html, re.S)
    assert found, "no duties section"
    return found.group(1)


def stage_rows(html: str) -> list[list[str]]:
    table = re.search(r'<table id="duty-stages">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table)
    ]


def test_the_planner_sees_every_stage_its_empty_places_and_the_fatigue_limit(as_planner, plan):
    html = section(as_planner.get(f"/plans/{plan.pk}/").content.decode())
    r = roster.of_plan(core_plan(plan))
    rows = stage_rows(html)
    assert [row[0] for row in rows] == [
        "Pergeseran dan pengamanan TPS (semua pos di atas, dari apel pergeseran sampai penghitungan selesai)",
        "Pemungutan dan penghitungan suara",  # the Posko's watch
        "Pengawalan kotak suara dan penjagaan balai desa",
    ]
    assert rows[0][1] == "22 Mar 07.00 - 23 Mar 17.00" and rows[0][2] == str(plan.posts.count())
    assert rows[1][1] == "23 Mar 07.00-17.00" and rows[1][2] == "1"
    assert rows[2][2] == str(len(r.duties) - 1)  # 21 escorts and 42 balai desa shifts
    vote_empty = sum(u.count for u in core_plan(plan).unfilled)
    assert sum(int(row[5]) for row in rows) == sum(u.count for u in r.unfilled) + vote_empty
    for s in roster.shortfall(r):
        assert f"{s.duty.name}, " in html and f"kurang {s.count} {word(FORCE, s.slot)}" in html
    assert 'id="duty-short-hours"' in html
    assert re.search(
        r"Jam tugas: \d+ personel, paling lama \d+ jam sepanjang operasi \(batas 120 jam; 0 di atas batas\)", html
    )
    assert 'id="duty-gap"' in html
    assert "KAWAL-" not in html and "BALAI_DESA-" not in html  # names a person reads, not codes


def test_the_empty_slots_card_points_to_the_places_left_empty_beyond_the_tps(as_planner, plan):
    """The card "slot kosong di pos" counts the posts' slots only; beside it, the duties' empty
    places, linked to their list (one card reading 0 and a list of empty places read as a
    contradiction)."""
    html = as_planner.get(f"/plans/{plan.pk}/").content.decode()
    card = re.search(r'id="unfilled">(\d+)</div><div class="label">(.*?)</div>', html, re.S)
    assert card and card.group(1) == str(sum(u.count for u in core_plan(plan).unfilled))
    beyond = sum(u.count for u in roster.of_plan(core_plan(plan)).unfilled)
    assert beyond > 0
    assert f'href="#duty-short">{beyond} tempat kosong di luar TPS</a>' in card.group(2)
    assert 'id="duty-short"' in html


def test_a_sector_chief_sees_only_his_kecamatan_duties(as_sector, plan):
    html = section(as_sector.get(f"/plans/{plan.pk}/").content.decode())
    r = roster.of_plan(core_plan(plan))
    mine = [d for d in r.duties if d.kecamatan_code == SECTOR]
    theirs = [d for d in r.duties if d.kecamatan_code == OTHER_SECTOR]
    assert mine and theirs
    assert stage_rows(html)[-1][2] == str(len(mine))  # no Posko row: it is the Polres's
    for d in mine:
        assert d.name in html or not any(u.post == d.id for u in r.unfilled)
    names_mine = {d.name for d in mine}
    for d in theirs:
        if d.name not in names_mine:
            assert d.name not in html
    assert 'id="duty-fatigue"' not in html and 'id="duty-gap"' not in html  # the Polres's figures


def test_the_duties_count_each_shift_place_once(plan):
    r = roster.of_plan(core_plan(plan))
    held = Counter((a.post, a.slot) for a in r.assignments)
    for d in r.duties:
        for slot, n in d.required.items():
            empty = sum(u.count for u in r.unfilled if u.post == d.id and u.slot == slot)
            assert held[(d.id, slot)] + empty == n


# ---------------------------------------------------------------- PSU in a few clicks


@pytest.fixture
def inline_jobs(settings):
    settings.SIAGA_JOBS_INLINE = True


def psu_form(plan, **fields):
    tps = list(plan.operation.tps_set.order_by("code").values_list("code", flat=True)[:2])
    data = {"name": "PSU Kraton", "date": "2022-03-30", "start": "07:00", "end": "17:00", "tps": "\n".join(tps)}
    return {**data, **fields}, tps


def test_the_planner_adds_a_psu_and_gets_a_new_plan_with_its_guards(inline_jobs, as_planner, plan):
    data, tps = psu_form(plan)
    response = as_planner.post(f"/plans/{plan.pk}/psu/", data, follow=True)
    assert response.status_code == 200
    new = plan.operation.plans.order_by("-version").first()
    assert new.version == plan.version + 1 and new.parent_id == plan.pk and new.violations == []
    r = roster.of_plan(core_plan(new))
    guards = [d for d in r.duties if d.kind == "PSU"]
    assert sorted(d.place for d in guards) == sorted(f"PSU-{t}" for t in tps)
    assert all(d.start.isoformat() == "2022-03-30T07:00:00" for d in guards)
    empty = sum(u.count for u in r.unfilled if u.post in {d.id for d in guards})
    filled = sum(1 for a in r.assignments if a.post in {d.id for d in guards})
    assert filled + empty == sum(sum(d.required.values()) for d in guards) and filled > 0
    assert [(a.post_id and a.person_code) for a in new.assignments.order_by("person_code")] == [
        (a.post_id and a.person_code) for a in plan.assignments.order_by("person_code")
    ]  # the vote is untouched
    assert AuditEntry.objects.filter(action="add_psu", username="planner").exists()
    page = as_planner.get(f"/plans/{new.pk}/").content.decode()
    assert "PSU Kraton" in section(page)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tps": "99.99.99.9999-01"}, "99.99.99.9999-01 tidak ada dalam operasi ini"),
        ({"date": "2022-03-20"}, "PSU diadakan sesudah hari pemungutan"),
        ({"end": "06:00"}, "Selesai harus sesudah mulai"),
        ({"name": "Pengawalan kotak suara dan penjagaan balai desa"}, "sudah ada"),
    ],
)
def test_a_bad_psu_is_refused_with_a_message_and_changes_nothing(inline_jobs, as_planner, plan, fields, message):
    data, _ = psu_form(plan, **fields)
    stages_before = dict(plan.operation.config).get("stages")
    response = as_planner.post(f"/plans/{plan.pk}/psu/", data, follow=True)
    html = response.content.decode()
    assert message in html
    assert plan.operation.plans.count() == 1
    plan.operation.refresh_from_db()
    assert dict(plan.operation.config).get("stages") == stages_before


def test_only_planners_add_a_psu(as_commander, as_sector, as_viewer, plan):
    data, _ = psu_form(plan)
    for client in (as_commander, as_sector, as_viewer):
        assert client.post(f"/plans/{plan.pk}/psu/", data).status_code == 403
    assert plan.operation.plans.count() == 1


# ---------------------------------------------------------------- the stress test page


def test_the_commander_compares_two_versions_on_the_same_simulated_days(inline_jobs, as_commander, as_planner, plan):
    data, _ = psu_form(plan)
    as_planner.post(f"/plans/{plan.pk}/psu/", data)
    other = plan.operation.plans.order_by("-version").first()
    html = as_commander.get(f"/plans/{plan.pk}/simulate/?runs=100&seed=3&other={other.pk}").content.decode()
    assert "100 hari, benih 3:" in html
    header = re.search(r'<table id="sim-table"><thead>(.*?)</thead>', html, re.S).group(1)
    assert f"v{plan.version}:" in header and f"v{other.version}:" in header
    rows = re.findall(r"<tr><td>(.*?)</td>", html)
    assert "Semua kejadian" in rows and "Kec. Pohjentrek" in rows and "Sangat rawan" in rows
    assert html.count('class="worst-tps"') == 2


def test_a_sector_chief_sees_only_his_kecamatan_in_the_stress_test(as_sector, plan):
    html = as_sector.get(f"/plans/{plan.pk}/simulate/?runs=100").content.decode()
    rows = re.findall(r"<tr><td>(.*?)</td>", html)
    assert rows == ["Kec. Pohjentrek"]
    assert 'class="worst-tps"' not in html


def test_a_bad_comparison_is_named_and_the_page_still_answers(as_planner, plan):
    response = as_planner.get(f"/plans/{plan.pk}/simulate/?runs=7&seed=x&other=999999", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Versi pembanding tidak ada dalam operasi ini" in html and "benih harus bilangan bulat" in html
    assert "1.000 hari" in html or "1,000 hari" in html


# ---------------------------------------------------------------- the rules and events kept by the console


def test_an_imported_operation_keeps_its_duty_rules_and_events(db):
    import datetime as dt
    from dataclasses import replace

    from siaga.core.data import demo
    from siaga.core.data.model import DutyKind, DutyLevel, DutyRuleRow, Event, StageKind
    from siaga.operations.services import import_scenario, scenario_for

    base = demo.pasuruan_kota_pemilu()
    rules = (DutyRuleRow(StageKind.REKAP_PPK, DutyKind.PPK, DutyLevel.KECAMATAN, polri=6, ring=1),)
    start = dt.datetime(2024, 1, 20, 9)
    events = (
        Event("Kampanye akbar", start, start + dt.timedelta(hours=4), -7.7, 113.0, "35.14.20", 2500, route="A > B"),
    )
    operation = import_scenario(replace(base, duty_rules=rules, events=events), "x.xlsx")
    back = scenario_for(operation)
    assert back.duty_rules == rules and back.events == events
