"""Road travel times (docs/scenario.md 2.14): the `travel_times` sheet or a CSV file beside the
workbook, checked row by row; where they name a pair, reserve reach and a person's travel
between two duties (an escort run and the next) are judged by the road time in the planner and
in the checker alike, and the plan says which measure it used."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.check import check_plan
from siaga.core.data import demo, travel
from siaga.core.data.geo import Travel, distance_matrix_km
from siaga.core.data.model import Scenario, TravelTime
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning import reserves
from siaga.core.planning.plan import plan
from siaga.core.planning.posts import CATEGORY_WEIGHT

runner = CliRunner()
NGULING = "35.14.21"  # the far east of the Polres


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return demo.pasuruan_kota()


def slow_roads(scenario: Scenario, minutes: float = 90.0) -> tuple[TravelTime, ...]:
    """Every unit to every TPS of Nguling: `minutes` by road (a bridge is down, say)."""
    far = [t.id for t in scenario.tps if t.desa_code.startswith(NGULING)]
    return tuple(TravelTime(u.code, t, minutes) for u in scenario.units for t in far)


def write_csv(path: Path, rows: list[list[object]], header: str = "dari,ke,menit") -> Path:
    path.write_text(header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_road_time_replaces_the_estimate_for_its_pair_both_ways_unless_the_way_back_has_its_own():
    rows = [TravelTime("A", "B", 12.0), TravelTime("C", "A", 40.0), TravelTime("A", "C", 50.0)]
    t = Travel.of(1.3, 30.0, rows)
    assert (t.minutes("A", "B", 99.0), t.minutes("B", "A", 99.0)) == (12.0, 12.0)
    assert (t.minutes("A", "C", 1.0), t.minutes("C", "A", 1.0)) == (50.0, 40.0)
    assert t.minutes("B", "C", 10.0) == pytest.approx(60 * 10 * 1.3 / 30)  # no row: the estimate
    km = np.array([[1.0, 2.0], [3.0, 4.0]])
    reach = t.reach_km(["A", "X"], ["B", "C"], km)
    assert reach.tolist() == [[t.as_km(12.0), t.as_km(50.0)], [3.0, 4.0]] and km[0, 0] == 1.0
    assert not Travel.of(1.3, 30.0).by_road and t.by_road


def test_pairs_within_drops_a_pair_the_road_makes_long_and_adds_one_it_brings_near():
    lat1, lon1 = [-7.66, -7.70], [112.86, 113.05]  # P near S, Q some 20 km east
    lat2, lon2 = [-7.661], [112.861]
    plain = Travel.of(1.3, 30.0)
    assert plain.pairs_within(["P", "Q"], lat1, lon1, ["S"], lat2, lon2, 5.0)[0].tolist() == [0]
    roads = Travel.of(1.3, 30.0, [TravelTime("S", "P", 45.0), TravelTime("Q", "S", 8.0)])
    i, j, d = roads.pairs_within(["P", "Q"], lat1, lon1, ["S"], lat2, lon2, 5.0)
    assert (i.tolist(), j.tolist()) == ([1], [0]) and d[0] == pytest.approx(roads.as_km(8.0))


def test_slow_roads_leave_tps_unreached_and_the_checker_agrees(scenario):
    straight = plan(scenario)
    slow = dataclasses.replace(scenario, travel_times=slow_roads(scenario))
    by_road = plan(slow)
    assert straight.extra["travel"] == {"by_road": False, "road_times": 0}
    assert by_road.extra["travel"] == {"by_road": True, "road_times": len(slow.travel_times)}
    far = {t.id for t in scenario.tps if t.desa_code.startswith(NGULING)}
    lost = sum(CATEGORY_WEIGHT[by_road.tps_categories[t]] for t in far)
    assert straight.summary["reserve_covered_weight"] == straight.summary["reserve_total_weight"]
    assert by_road.summary["reserve_covered_weight"] == straight.summary["reserve_covered_weight"] - lost
    assert check_plan(slow, by_road) == []
    # measured without the road times, the same plan's coverage is wrong: the checker used them
    assert any("reserve_covered_weight" in str(v) for v in check_plan(scenario, by_road))


def test_a_road_time_brings_a_far_site_within_reach(scenario):
    """The Kodim in the west reaches no TPS of Nguling in a straight line; a fast road of 10
    minutes to each makes its team reach them all, in the placement and in its coverage."""
    far = [t for t in scenario.tps if t.desa_code.startswith(NGULING)]
    kodim = next(u for u in scenario.units if u.code == "KODIM-0819")
    op = scenario.operation
    reach = op.speed_kmh * op.response_minutes / 60 / op.road_factor
    assert distance_matrix_km([kodim.lat], [kodim.lon], [t.lat for t in far], [t.lon for t in far]).min() > reach
    sites = [reserves.Site(kodim.code, kodim.lat, kodim.lon)]
    targets = [reserves.Target(t.id, t.lat, t.lon, 1) for t in far]
    fast = Travel.of(op.road_factor, op.speed_kmh, [TravelTime(kodim.code, t.id, 10.0) for t in far])
    assert reserves.place_reserves(sites, targets, 1, reach).covered_weight == 0
    assert reserves.place_reserves(sites, targets, 1, reach, travel=fast).covered_weight == len(far)
    assert reserves.coverage(sites, [kodim.code], targets, reach) == (0.0, 0.0)
    assert reserves.coverage(sites, [kodim.code], targets, reach, fast) == (len(far), len(far))


def test_the_sheet_travels_with_the_workbook_and_the_csv_folder(scenario, tmp_path):
    rows = (TravelTime("POLSEK-21", f"{NGULING}.2005-01", 14.5), TravelTime("POLSEK-21", f"{NGULING}.2005", 12.0))
    with_sheet = dataclasses.replace(scenario, travel_times=rows)
    for path in (tmp_path / "demo.xlsx", tmp_path / "folder"):
        write_scenario(with_sheet, path)
        assert read_scenario(path).travel_times == rows
    assert (tmp_path / "folder" / "travel_times.csv").read_text(encoding="utf-8-sig").splitlines()[
        0
    ] == "from,to,minutes"


def test_bad_rows_are_refused_each_row_named(scenario, tmp_path):
    path = write_csv(
        tmp_path / "waktu-tempuh.csv",
        [
            ["POLSEK-21", f"{NGULING}.2005-01", 14],  # row 2: good
            ["POLSEK-99", f"{NGULING}.2005-01", 10],  # row 3: unknown unit
            ["POLSEK-21", "35.14.21.2005-99", 10],  # row 4: unknown TPS
            ["POLSEK-21", f"{NGULING}.2005-02", -5],  # row 5: negative
            ["POLSEK-21", f"{NGULING}.2005-03", "lama"],  # row 6: no number
            ["POLSEK-21", f"{NGULING}.2005-01", 20],  # row 7: the pair of row 2 again
        ],
    )
    with pytest.raises(ScenarioError) as caught:
        travel.with_travel_times(scenario, path)
    messages = caught.value.messages()
    assert len(messages) == 5
    for row, words in zip((3, 4, 5, 6, 7), ("tidak ditemukan", "tidak ditemukan", "kurang dari 0", "angka",
                                             "baris 2"), strict=True):  # fmt: skip
        assert any(f"baris {row}," in m and words in m and "waktu-tempuh" in m for m in messages), (row, messages)
    english = caught.value.messages("en")
    assert any("row 3" in m and "POLSEK-99" in m for m in english)


def test_the_command_line_plans_and_checks_with_a_travel_file(scenario, tmp_path):
    workbook = tmp_path / "demo.xlsx"
    write_scenario(scenario, workbook)
    csv = write_csv(tmp_path / "jalan.csv", [[r.origin, r.destination, r.minutes] for r in slow_roads(scenario)],
                    header="from,to,minutes")  # fmt: skip
    out = tmp_path / "plan.json"
    result = runner.invoke(app, ["plan", str(workbook), "--out", str(out), "--travel", str(csv)])
    assert result.exit_code == 0, result.output
    assert "waktu tempuh jalan" in result.output and f"{len(slow_roads(scenario))} baris" in result.output
    assert json.loads(out.read_text())["travel"]["by_road"] is True
    assert runner.invoke(app, ["check", str(workbook), str(out), "--travel", str(csv)]).exit_code == 0
    assert runner.invoke(app, ["check", str(workbook), str(out)]).exit_code == 1  # not the plan's measure
    bad = write_csv(tmp_path / "salah.csv", [["POLSEK-21", "NOWHERE", 5]])
    refused = runner.invoke(app, ["plan", str(workbook), "--out", str(tmp_path / "x.json"), "--travel", str(bad)])
    assert refused.exit_code == 1 and "NOWHERE" in refused.output and not (tmp_path / "x.json").exists()


# ---------------------------------------------------------------- travel between duties (escorts)


def test_travel_between_two_points_takes_the_road_time_of_the_places_there():
    places = {(-7.66, 112.86): "A", (-7.70, 113.05): "B"}
    roads = Travel.of(1.3, 30.0, [TravelTime("A", "B", 150.0)], places)
    plain = Travel.of(1.3, 30.0, (), places)
    assert roads.hours(-7.66, 112.86, -7.70, 113.05) == pytest.approx(2.5)
    straight = plain.hours(-7.66, 112.86, -7.70, 113.05)
    assert straight == pytest.approx(geo_hours(-7.66, 112.86, -7.70, 113.05)) and straight < 1.5
    lats, lons = np.array([-7.70, -7.66, -7.80]), np.array([113.05, 112.86, 113.0])
    got = roads.hours_from(-7.66, 112.86, lats, lons)  # to B by road, to itself and an unnamed point estimated
    assert got.tolist() == pytest.approx([2.5, 0.0, geo_hours(-7.66, 112.86, -7.80, 113.0)])
    assert plain.hours_from(-7.66, 112.86, lats, lons)[0] == pytest.approx(straight)


def geo_hours(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return distance_matrix_km([lat1], [lon1], [lat2], [lon2])[0, 0] * 1.3 / 30.0


def escort_then_other_duty(scenario: Scenario, data: dict) -> tuple[str, dict, dict, float, str, str]:
    """A person's escort run and his next duty at another named place, the hours between them
    and the two places' codes (the first such pair, fewest hours first)."""
    duties = {d["id"]: d for d in data["duties"]}
    points = travel.points(scenario)
    held: dict[str, list[dict]] = {}
    for a in data["assignments"]:
        if a["duty"] in duties:
            held.setdefault(a["person"], []).append(duties[a["duty"]])
    found = []
    for person, ds in held.items():
        ds.sort(key=lambda d: d["start"])
        for a, b in zip(ds, ds[1:], strict=False):
            pa, pb = points.get((a["lat"], a["lon"])), points.get((b["lat"], b["lon"]))
            if a["kind"] == "KAWAL" and pa and pb and pa != pb:
                gap = (dt.datetime.fromisoformat(b["start"]) - dt.datetime.fromisoformat(a["end"])).total_seconds()
                found.append((gap / 3600, person, a["id"], b["id"], pa, pb))
    assert found, "the Pemilu demo has escorts followed by another duty elsewhere"
    gap, person, a_id, b_id, pa, pb = min(found)
    return person, duties[a_id], duties[b_id], gap, pa, pb


def test_an_escorts_travel_to_the_next_duty_follows_a_given_road_time():
    scenario = demo.pasuruan_kota_pemilu()
    straight = plan(scenario)
    person, escort, after, gap, here, there = escort_then_other_duty(scenario, straight.extra["roster"])
    rest = scenario.operation.min_rest_hours
    assert gap >= rest + geo_hours(escort["lat"], escort["lon"], after["lat"], after["lon"])  # fine by the estimate
    # the road from the escort's desa to the next duty takes an hour more than the person's spare time
    minutes = (gap - rest + 1.0) * 60
    slow = dataclasses.replace(scenario, travel_times=(TravelTime(here, there, minutes),))
    found = [str(v) for v in check_plan(slow, straight)]
    assert any(person in v and escort["id"] in v and after["id"] in v for v in found), found
    assert check_plan(scenario, straight) == []

    by_road = plan(slow)
    assert by_road.extra["travel"] == {"by_road": True, "road_times": 1}
    assert check_plan(slow, by_road) == []  # the roster kept the road time: nobody lacks it
    duties = {d["id"]: d for d in by_road.extra["roster"]["duties"]}
    points = travel.points(slow)
    held: dict[str, list[dict]] = {}
    for a in by_road.extra["roster"]["assignments"]:
        if a["duty"] in duties:
            held.setdefault(a["person"], []).append(duties[a["duty"]])
    for ds in held.values():
        ds.sort(key=lambda d: d["start"])
        for a, b in zip(ds, ds[1:], strict=False):
            if {points.get((a["lat"], a["lon"])), points.get((b["lat"], b["lon"]))} == {here, there}:
                spare = (dt.datetime.fromisoformat(b["start"]) - dt.datetime.fromisoformat(a["end"])).total_seconds()
                assert spare / 3600 + 1e-6 >= rest + minutes / 60, (a["id"], b["id"])
