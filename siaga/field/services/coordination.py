"""The PPS Linmas decree in an operation and its KPU/PPS coordination list (issue 17 item 2).

`import_decree` stores a decree read by siaga.core.data.linmas as the operation's next data
version (its Linmas replace those it names, `services.import_scenario` keeps the diff) and its
rows that could not be taken (`LinmasLeftover`), in one transaction. `coordination_list` is
the list a planner or a Kapolsek reads: the TPS of the user's scope with fewer decreed Linmas
than the pattern asks, and the decree's leftover rows, by desa.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from siaga.accounts.roles import scoped
from siaga.core.data import linmas
from siaga.core.data.model import Category, Force, Scenario
from siaga.core.data.model import PatternRow as CorePatternRow
from siaga.field.models import LinmasLeftover
from siaga.operations import services
from siaga.operations.models import Operation


@dataclass
class DesaGaps:
    """The coordination lines of one desa, for a page or a file."""

    code: str
    name: str
    kecamatan: str
    gaps: list[linmas.Gap] = field(default_factory=list)


@transaction.atomic
def import_decree(
    operation: Operation, scenario: Scenario, decree: linmas.Decree, source_name: str, request: Any = None
) -> Operation:
    """Store `scenario` (the operation with the decree's Linmas, `linmas.decree_scenario`) as
    the operation's next data version and the decree's leftover rows in place of the last's."""
    stored = services.import_scenario(scenario, source_name, request=request)
    LinmasLeftover.objects.filter(operation=stored).delete()
    LinmasLeftover.objects.bulk_create(
        LinmasLeftover(
            operation=stored,
            kind=g.kind,
            desa_code=g.desa_code,
            kecamatan_code=g.desa_code.rpartition(".")[0],
            tps=g.tps,
            name=g.name,
            nik_masked=linmas.masked(g.nik),
            row=g.row or 0,
            other_row=g.other_row,
            source_name=source_name,
        )
        for g in decree.gaps
    )
    return stored


def has_decree(operation: Operation) -> bool:
    """Whether a decree is in: some Linmas is tied to a TPS, or a decree left rows over."""
    tied = operation.personnel.filter(force=Force.LINMAS).exclude(tps_code="").exists()
    return tied or LinmasLeftover.objects.filter(operation=operation).exists()


def coordination_list(operation: Operation, user: Any) -> list[DesaGaps]:
    """The coordination lines the user may see (their kecamatan for a Kapolsek), by desa."""
    per_category = _needed_per_category(operation)
    tps_rows = scoped(operation.tps_set.all(), user).values_list("code", "desa_code", "effective_category")
    tps_desa, needed = {}, {}
    for code, desa, category in tps_rows.iterator(chunk_size=5000):
        tps_desa[code] = desa
        needed[code] = per_category.get(category, per_category.get(Category.KURANG_RAWAN, 0))
    tied = operation.personnel.filter(force=Force.LINMAS, tps_code__in=list(tps_desa)) if tps_desa else None
    named = Counter(tied.values_list("tps_code", flat=True)) if tied is not None else Counter[str]()
    leftovers = [
        linmas.Gap(r.kind, r.desa_code, r.tps, name=r.name, nik=r.nik_masked, row=r.row, other_row=r.other_row)
        for r in scoped(LinmasLeftover.objects.filter(operation=operation), user)
    ]
    gaps = linmas.coordination(tps_desa, needed, named, leftovers)
    codes = {g.desa_code for g in gaps} | {g.desa_code.rpartition(".")[0] for g in gaps}
    names = dict(operation.regions.filter(code__in=codes).values_list("code", "name"))
    by_desa: dict[str, DesaGaps] = {}
    for g in gaps:
        kecamatan = g.desa_code.rpartition(".")[0]
        group = by_desa.get(g.desa_code)
        if group is None:
            group = by_desa[g.desa_code] = DesaGaps(g.desa_code, names.get(g.desa_code, ""), names.get(kecamatan, ""))
        group.gaps.append(g)
    return list(by_desa.values())


def _needed_per_category(operation: Operation) -> dict[str, int]:
    """Linmas per TPS the operation's pattern asks, by category (rounded up)."""
    rows = tuple(
        CorePatternRow(Category(r.category), r.tps_per_post, r.polri_per_post, r.tni_per_post, r.linmas_per_tps)
        for r in operation.pattern_rows.all()
    )
    return {c.value: n for c, n in linmas.per_category(operation.pattern, rows).items()}
