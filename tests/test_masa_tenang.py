"""The masa tenang as DOCTRINE.md 10 has it: patrols round the clock against serangan fajar,
strongest from subuh, and catch-in-the-act teams from 00:00; and two rules that would give a
duty the same id (a workbook's rule on a preset's place and start) are told apart, so the plan
holds both and the checker finds nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

import pytest

from siaga.core.check import check_plan
from siaga.core.data import demo, duties, stages
from siaga.core.data.model import DutyKind, DutyLevel, DutyRuleRow, DutyWhen, StageKind
from siaga.core.planning import roster
from siaga.core.planning.plan import plan


@pytest.fixture(scope="module")
def pemilu():  # type: ignore[no-untyped-def]
    return demo.pasuruan_kota_pemilu()


def quiet(scenario):  # type: ignore[no-untyped-def]
    found = next(s for s in stages.of(scenario) if s.kind == StageKind.MASA_TENANG)
    return found, [d for d in duties.stage_duties(scenario) if d.kind == DutyKind.PATROLI]


def test_every_kecamatan_is_patrolled_every_hour_of_the_masa_tenang_strongest_at_subuh(pemilu) -> None:  # type: ignore[no-untyped-def]
    stage, patrols = quiet(pemilu)
    by_kec: dict[str, list[Any]] = defaultdict(list)
    for d in patrols:
        by_kec[d.kecamatan_code].append(d)
    kecamatan = {t.desa_code.rsplit(".", 1)[0] for t in pemilu.tps}
    assert set(by_kec) == kecamatan
    for kec, found in by_kec.items():
        hour, strength = stage.start, {}
        while hour < stage.end:
            strength[hour] = sum(d.required.get("POLRI", 0) for d in found if d.start <= hour < d.end)
            hour += dt.timedelta(hours=1)
        assert min(strength.values()) >= 2, kec  # round the clock, never unwatched
        subuh = [n for at, n in strength.items() if at.time() == dt.time(4)]
        assert subuh and min(subuh) == max(strength.values()) > min(strength.values())
        teams = [d for d in found if d.start.time() == dt.time(0) and d.end.time() == dt.time(6) and not d.shift]
        assert len(teams) == (stage.end - stage.start).days
        assert all(d.name.startswith("Tim tangkap tangan politik uang dan perjudian") for d in teams)
    assert len({d.id for d in patrols}) == len(patrols)


def test_the_team_and_the_patrol_are_both_staffed_and_the_plan_is_clean(pemilu) -> None:  # type: ignore[no-untyped-def]
    made = plan(pemilu)
    assert check_plan(pemilu, made) == []
    r = roster.of_plan(made)
    assert r is not None
    _stage, patrols = quiet(pemilu)
    held: dict[str, int] = defaultdict(int)
    for a in r.assignments:
        held[a.post] += 1
    empty = {u.post for u in r.unfilled}
    for d in patrols:
        assert held[d.id] == d.required["POLRI"] or d.id in empty, d.id


def test_a_workbook_rule_on_a_preset_rules_place_and_start_is_told_apart(pemilu) -> None:  # type: ignore[no-untyped-def]
    row = DutyRuleRow(
        StageKind.MASA_TENANG, DutyKind.PATROLI, DutyLevel.KECAMATAN, polri=3, when=DutyWhen.FIRST, hours=6
    )
    scenario = replace(pemilu, duty_rules=(*pemilu.duty_rules, row))
    found = duties.stage_duties(scenario)
    assert len({d.id for d in found}) == len(found)
    first = [d for d in found if d.id.endswith("-FIRST")]
    assert first and all(d.required == {"POLRI": 3} and d.end - d.start == dt.timedelta(hours=6) for d in first)
    assert check_plan(scenario, plan(scenario)) == []


def test_a_workbook_rule_replaces_only_its_own_ring(pemilu) -> None:  # type: ignore[no-untyped-def]
    row = DutyRuleRow(StageKind.REKAP_PPK, DutyKind.PPK, DutyLevel.KECAMATAN, polri=7, ring=2)
    scenario = replace(pemilu, duty_rules=(*pemilu.duty_rules, row))
    found = duties.stage_duties(scenario)
    rings: dict[str, set[Any]] = defaultdict(set)
    for d in found:
        if d.kind == DutyKind.PPK:
            rings[d.id.rsplit("-", 1)[-1]].add(tuple(sorted(d.required.items())))
    assert rings == {"R1": {(("POLRI", 4),)}, "R2": {(("POLRI", 7),)}, "R3": {(("LINMAS", 4), ("POLRI", 2))}}
    assert len({d.id for d in found}) == len(found)
