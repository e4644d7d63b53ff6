"""The plan page's duties by stage (docs/scenario.md 2.13): the Kabag Ops sees every stage's
duties, what stays empty where, when and in which hours, and the duty hours against the
fatigue limit; a Kapolsek sees only his kecamatan's duties."""

from __future__ import annotations

import re
from collections import Counter

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
        "Pemungutan dan penghitungan suara (pos TPS dan pos lain di atas)",
        "Pengawalan kotak suara dan penjagaan balai desa",
    ]
    assert rows[0][1] == "22 Mar 07.00 - 23 Mar 17.00" and rows[0][2] == str(plan.posts.count())
    assert rows[1][2] == str(len(r.duties))  # 21 escorts and 42 balai desa shifts
    empty = sum(u.count for u in r.unfilled)
    assert rows[1][5] == str(empty)
    for s in roster.shortfall(r):
        assert f"{s.duty.name}, " in html and f"kurang {s.count} {s.slot}" in html
    assert 'id="duty-short-hours"' in html
    assert re.search(
        r"Jam tugas: \d+ personel, paling lama \d+ jam sepanjang operasi \(batas 120 jam; 0 di atas batas\)", html
    )
    assert 'id="duty-gap"' in html
    assert "KAWAL-" not in html and "BALAI_DESA-" not in html  # names a person reads, not codes


def test_a_sector_chief_sees_only_his_kecamatan_duties(as_sector, plan):
    html = section(as_sector.get(f"/plans/{plan.pk}/").content.decode())
    r = roster.of_plan(core_plan(plan))
    mine = [d for d in r.duties if d.kecamatan_code == SECTOR]
    theirs = [d for d in r.duties if d.kecamatan_code == OTHER_SECTOR]
    assert mine and theirs
    assert stage_rows(html)[1][2] == str(len(mine))
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
