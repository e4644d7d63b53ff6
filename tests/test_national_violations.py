"""The 422 checker violations of the 200,000-TPS benchmark (docs/scale.md, issue 18).

At 200,000 TPS the generated country places kabupaten close enough together that the Polres
headquarters of one (unit POLRES-51.01) lies nearer the TPS of its neighbour (51.06), so by
the nearest-centre rule of docs/scenario.md 2.6 it serves there, and Polres 51.01 and 74.10
have no POLRES unit of their own. Each such part planned its Polres-level duties (KPU
warehouse, Posko, KPU and Bawaslu offices) at a stand-in headquarters whose duty ids were the
same in every part ("GUDANG_KPU-POLRES-..."), so the merged plan held two duties under one id:
the checker saw their shifts twice (shift_coverage) and people travelling between the two
parts' warehouses (duty_travel, duty_rest). Reproduced here on two small kabupaten without
POLRES units. The same collision, found on the way: every part kept the whole `events` sheet,
so each Polres secured every campaign event under the same duty ids.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from siaga.core.check import check_plan
from siaga.core.data import generator, planfile
from siaga.core.data.model import Event, Level, Scenario, UnitKind
from siaga.core.planning import engine, polres


@pytest.fixture(scope="module")
def headless() -> Scenario:
    """Two generated kabupaten whose POLRES units (and their people) are gone: both parts
    plan their Polres-level duties at a stand-in headquarters."""
    scenario = generator.generate(tps=2400, seed=1)
    gone = {u.code for u in scenario.units if u.kind == UnitKind.POLRES}
    return replace(
        scenario,
        units=tuple(u for u in scenario.units if u.code not in gone),
        personnel=tuple(p for p in scenario.personnel if p.unit_code not in gone),
    )


@pytest.fixture(scope="module")
def merged(headless: Scenario) -> engine.Plan:
    return engine.plan_all(headless, workers=1)


def test_it_plans_two_polres_without_headquarters_units(headless: Scenario) -> None:
    assert len(polres.split(headless)) == 2


def test_it_gives_each_polres_its_own_headquarters_duties(merged: engine.Plan) -> None:
    ids = Counter(d["id"] for d in merged.extra["roster"]["duties"])
    assert [i for i, n in ids.items() if n > 1] == []
    assert any("POLRES" in i for i in ids)  # the stand-in headquarters' duties are there


def test_it_merges_a_plan_the_checker_accepts(headless: Scenario, merged: engine.Plan) -> None:
    assert [str(v) for v in check_plan(headless, merged)] == []


def test_it_secures_a_campaign_event_once_in_a_national_run(headless: Scenario) -> None:
    """An event is secured by the Polres of its kecamatan, not once by every Polres."""
    kecamatan = next(r for r in headless.regions if r.level == Level.KECAMATAN)
    assert kecamatan.lat is not None and kecamatan.lon is not None
    start = dt.datetime.combine(headless.operation.election_date - dt.timedelta(days=5), dt.time(9))
    rally = Event("Kampanye akbar", start, start + dt.timedelta(hours=4), kecamatan.lat, kecamatan.lon, kecamatan.code)
    scenario = replace(headless, events=(rally,))
    plan = engine.plan_all(scenario, workers=1)
    ids = [d["id"] for d in plan.extra["roster"]["duties"] if d["kind"] == "ACARA"]
    assert len(ids) == 3 and len(set(ids)) == 3  # three rings, once
    assert [str(v) for v in check_plan(scenario, plan)] == []


def test_it_plans_a_headless_polres_the_same_byte_for_byte(
    headless: Scenario, merged: engine.Plan, tmp_path: Path
) -> None:
    again = engine.plan_all(headless, workers=1)
    planfile.write_plan(merged, tmp_path / "one.json")
    planfile.write_plan(again, tmp_path / "two.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
