"""An import writes the same rows whichever way they go in: COPY with scores computed first
(PostgreSQL) or a prepared INSERT (SQLite), against the ORM path it replaced (every row
through the ORM, then a second pass storing the scores). The suite runs on both databases."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.db import IntegrityError

from siaga.core.data import demo, generator
from siaga.core.data.model import VILLAGE_LEVELS, Category, Force, Level, Scenario
from siaga.core.data.model import PatternRow as CorePatternRow
from siaga.operations.models import Operation, PatternRow, Person, Region, Tps, Unit
from siaga.operations.services import import_scenario, refresh_vulnerability

TABLES: tuple[type[Any], ...] = (Region, Tps, Unit, Person, PatternRow)


def orm_import(scenario: Scenario) -> Operation:
    """The reference: every row through the ORM, scores stored afterwards by a second pass."""
    operation = Operation.objects.create(
        name="reference", election_date=scenario.operation.election_date, pattern=scenario.operation.pattern
    )
    kec = {r.code: r.code for r in scenario.regions if r.level == Level.KECAMATAN}
    kec |= {r.code: r.parent_code for r in scenario.regions if r.level in VILLAGE_LEVELS}
    unit_kec = {u.code: u.kecamatan_code for u in scenario.units}
    Region.objects.bulk_create(
        Region(
            operation=operation,
            code=r.code,
            name=r.name,
            level=r.level.value,
            parent_code=r.parent_code,
            kecamatan_code=kec.get(r.code, ""),
            lat=r.lat,
            lon=r.lon,
            indicators=dict(r.indicators),
        )
        for r in scenario.regions
    )
    Tps.objects.bulk_create(
        Tps(
            operation=operation,
            code=t.id,
            desa_code=t.desa_code,
            kecamatan_code=kec.get(t.desa_code, ""),
            number=t.number,
            voters=t.voters,
            lat=t.lat,
            lon=t.lon,
            address=t.address,
            category=t.category.value if t.category else "",
            category_reason=t.category_reason,
            indicators=dict(t.indicators),
        )
        for t in scenario.tps
    )
    Unit.objects.bulk_create(
        Unit(
            operation=operation,
            code=u.code,
            name=u.name,
            kind=u.kind.value,
            kecamatan_code=u.kecamatan_code,
            lat=u.lat or 0.0,
            lon=u.lon or 0.0,
        )
        for u in scenario.units
    )
    Person.objects.bulk_create(
        Person(
            operation=operation,
            code=p.id,
            name=p.name,
            rank=p.rank,
            unit_code=p.unit_code,
            force=p.force.value,
            desa_code=p.desa_code,
            kecamatan_code=kec.get(p.desa_code, "") if p.force == Force.LINMAS else unit_kec.get(p.unit_code, ""),
            phone=p.phone,
            available=p.available,
            position=p.position,
        )
        for p in scenario.personnel
    )
    PatternRow.objects.bulk_create(
        PatternRow(
            operation=operation,
            category=r.category.value,
            tps_per_post=r.tps_per_post,
            polri_per_post=r.polri_per_post,
            tni_per_post=r.tni_per_post,
            linmas_per_tps=r.linmas_per_tps,
        )
        for r in scenario.patterns
    )
    refresh_vulnerability(operation, scenario)
    return operation


def rows(model: type[Any], operation: Operation) -> list[dict[str, Any]]:
    """Every column but the ids, in id order (the scenario's order)."""
    return [
        {k: v for k, v in row.items() if k not in ("id", "operation_id")}
        for row in model.objects.filter(operation=operation).order_by("id").values()
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("make", [demo.pasuruan_kota, lambda: generator.generate(300, seed=4, indicators=True)])
def test_it_writes_the_rows_the_orm_path_writes(make: Any) -> None:
    # The generated scenarios use a preset pola; one row of their own puts PatternRow to the test.
    scenario = dataclasses.replace(make(), patterns=(CorePatternRow(Category.RAWAN, 2, 2, 1, 1.5),))
    imported = import_scenario(scenario, "scenario.xlsx")
    reference = orm_import(scenario)
    for model in TABLES:
        got, want = rows(model, imported), rows(model, reference)
        assert len(got) == len(want) > 0, model.__name__
        assert got == want, model.__name__


@pytest.mark.django_db
def test_the_demo_keeps_its_figures_and_scores() -> None:
    operation = import_scenario(demo.pasuruan_kota(), "demo.xlsx")
    tps = Tps.objects.filter(operation=operation)
    assert tps.count() == 152
    assert {c: tps.filter(effective_category=c).count() for c in ("KURANG_RAWAN", "RAWAN", "SANGAT_RAWAN")} == {
        "KURANG_RAWAN": 112,
        "RAWAN": 30,
        "SANGAT_RAWAN": 10,
    }
    assert not tps.filter(model_category="").exists()
    assert tps.filter(score__gt=0).exists()


@pytest.mark.django_db
def test_an_import_that_fails_midway_leaves_nothing() -> None:
    # Inside the test's transaction the import's atomic block is a savepoint: rolled back on
    # error exactly as its own transaction would be. (A transactional test would flush the
    # session's demo data that the other console tests share.)
    scenario = demo.pasuruan_kota()
    # A TPS code twice: the TPS table refuses it after the regions have gone in.
    broken = dataclasses.replace(scenario, tps=(*scenario.tps, scenario.tps[0]))
    every: tuple[type[Any], ...] = (Operation, *TABLES)
    before = {model: model.objects.count() for model in every}
    with pytest.raises(IntegrityError):
        import_scenario(broken, "broken.xlsx")
    assert {model: model.objects.count() for model in every} == before
    # The connection is usable afterwards: the transaction was rolled back, not left broken.
    assert import_scenario(scenario, "demo.xlsx").tps_set.count() == 152
