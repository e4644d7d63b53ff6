"""The console imports a workbook with Polres jurisdictions, BKO and assembly points, gives
the core back the same scenario, and plans it: each Polres inside its own jurisdiction
(issue 11, items 1 and 2). Runs on SQLite and, with DATABASE_URL, on PostgreSQL (COPY)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from siaga.core import check
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning.engine import plan_all
from siaga.operations.models import Region, Unit
from siaga.operations.services import import_scenario, scenario_for
from siaga.plans.services import save_plan
from tests.test_jurisdiction import KRATON, MAPOLRES_PASKOT, PASKOT, PASURUAN, holder_of_kecamatan, pasuruan_two_polres


def test_it_imports_jurisdictions_and_plans_each_polres_inside_its_own(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "dua-polres.xlsx"
    write_scenario(pasuruan_two_polres(), path)
    scenario = read_scenario(path)
    operation = import_scenario(scenario, path.name)

    brimob = Unit.objects.get(operation=operation, code="BRIMOB-MALANG")
    assert (brimob.bko_to, brimob.assembly_lat, brimob.assembly_lon) == (PASKOT, *MAPOLRES_PASKOT)
    assert Unit.objects.get(operation=operation, code=f"POLSEK-{KRATON}").parent_code == PASKOT
    assert scenario_for(operation) == scenario

    plan = plan_all(scenario_for(operation))
    assert check.check_plan(scenario, plan) == []
    assert plan.extra["polres"] == 2
    people = {p.id: p for p in scenario.personnel}
    posts = {p.id: p for p in plan.posts}
    for a in plan.assignments:
        post, person = posts[a.post], people[a.person]
        if post.kind == "TPS" and person.unit_code.startswith("POLSEK-"):
            home = holder_of_kecamatan(person.unit_code.removeprefix("POLSEK-"))
            assert home == holder_of_kecamatan(post.kecamatan_code), a
    assert {holder_of_kecamatan(p.kecamatan_code) for p in plan.posts if p.kind == "TPS"} == {PASKOT, PASURUAN}
    planner = get_user_model().objects.get(username="planner")
    saved = save_plan(operation, plan, scenario, planner, note="dua Polres")
    assert saved.pk is not None


def test_a_polres_code_survives_the_import(db: Any) -> None:
    scenario = pasuruan_two_polres()
    units = tuple(u for u in scenario.units if u.code != f"POLSEK-{KRATON}")
    regions = tuple(
        type(r)(r.code, r.name, r.level, r.parent_code, r.lat, r.lon, r.indicators, PASKOT) if r.code == KRATON else r
        for r in scenario.regions
    )
    people = tuple(p for p in scenario.personnel if p.unit_code != f"POLSEK-{KRATON}")
    moved = type(scenario)(scenario.operation, regions, scenario.tps, units, people)
    operation = import_scenario(moved, "kode-polres.xlsx")
    assert Region.objects.get(operation=operation, code=KRATON).polres_code == PASKOT
    assert scenario_for(operation) == moved
