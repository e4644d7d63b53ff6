"""The Polda's picture of its Polres: one row per operation, each figure one aggregate query
over every operation of the page (never a Polres's rows loaded into Python).

A row holds the Polres and its operation, TPS by category, the strength the published plan
places against the places it needs (slots) and what is left empty, the apel's readiness
(people checked in at the apel before the pergeseran, of those the plan places), and the
incidents still open, with those commanded at the Kapolda's level apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from siaga.core.data.model import Category
from siaga.field.models import CheckIn, Incident
from siaga.operations.models import Operation, Tps
from siaga.plans.models import Plan


@dataclass
class Row:
    operation: Operation
    categories: dict[str, int] = field(default_factory=dict)
    tps: int = 0
    plan: int | None = None  # the published plan's id
    plan_version: int | None = None
    placed: int = 0
    needed: int = 0
    empty: int = 0
    present: int = 0
    open_incidents: int = 0
    at_polda: int = 0  # open incidents the Kapolda commands

    @property
    def category_counts(self) -> list[int]:
        """TPS of each category, in the order of `Category`."""
        return [self.categories.get(c.value, 0) for c in Category]

    @property
    def readiness(self) -> int | None:
        """Percent of the placed people checked in at the apel (None before any plan)."""
        return round(100 * self.present / self.placed) if self.placed else None


def rows(operations: Iterable[Operation]) -> list[Row]:
    """The rows of these operations (a page of them), in their order."""
    found = {o.pk: Row(o) for o in operations}
    ids = list(found)
    if not ids:
        return []
    by_category = Tps.objects.filter(operation_id__in=ids).values_list("operation_id", "effective_category")
    for op_id, category, n in by_category.annotate(n=Count("id")).order_by():
        found[op_id].categories[category] = n
        found[op_id].tps += n
    published = Plan.objects.filter(operation_id__in=ids, status=Plan.Status.PUBLISHED)
    for op_id, pk, version, summary in published.values_list("operation_id", "pk", "version", "summary"):
        row = found[op_id]
        row.plan, row.plan_version = pk, version
        row.placed = int(summary.get("assigned", 0))
        row.empty = int(summary.get("unfilled", 0))
        row.needed = int(summary.get("slots", row.placed + row.empty))
    present = CheckIn.objects.filter(operation_id__in=ids, apel="").values_list("operation_id")
    for op_id, n in present.annotate(n=Count("id")).order_by():
        found[op_id].present = n
    still_open = Incident.objects.filter(operation_id__in=ids).exclude(status=Incident.Status.SELESAI)
    counted = still_open.values_list("operation_id").annotate(
        n=Count("id"), polda=Count("id", filter=Q(level=Incident.Level.POLDA))
    )
    for op_id, n, polda in counted.order_by():
        found[op_id].open_incidents, found[op_id].at_polda = n, polda
    return list(found.values())


def totals(operations: QuerySet[Operation]) -> dict[str, Any]:
    """The Polda's totals over all these operations: a few aggregate queries."""
    ids = operations.values("pk")
    categories: dict[str, int] = defaultdict(int)
    tps = Tps.objects.filter(operation_id__in=ids).values_list("effective_category").annotate(n=Count("id"))
    for category, n in tps.order_by():
        categories[category] += n
    placed = needed = empty = 0
    for summary in Plan.objects.filter(operation_id__in=ids, status=Plan.Status.PUBLISHED).values_list(
        "summary", flat=True
    ):
        placed += int(summary.get("assigned", 0))
        empty += int(summary.get("unfilled", 0))
        needed += int(summary.get("slots", 0))
    still_open = Incident.objects.filter(operation_id__in=ids).exclude(status=Incident.Status.SELESAI)
    counts = still_open.aggregate(n=Count("id"), polda=Count("id", filter=Q(level=Incident.Level.POLDA)))
    return {
        "polres": operations.exclude(polres_code="").values("polres_code").distinct().count(),
        "operations": operations.count(),
        "categories": [(c.value, categories.get(c.value, 0)) for c in Category],
        "tps": sum(categories.values()),
        "placed": placed,
        "needed": needed,
        "empty": empty,
        "present": CheckIn.objects.filter(operation_id__in=ids, apel="").count(),
        "open_incidents": counts["n"] or 0,
        "at_polda": counts["polda"] or 0,
    }
