"""The Polda's picture of its Polres: one row per operation, each figure one aggregate query
over all its operations (never a Polres's rows loaded into Python); the totals are their sums.

A row holds the Polres and its operation, TPS by category, the strength the published plan
places against the places it needs (slots) and what is left empty, at the TPS and in the duties
beyond them (escorts, guards, PPK: the "tempat kosong" of the plan page), the apel's readiness
(people checked in at the apel before the pergeseran, of those the plan places), and the
incidents still open, with those commanded at the Kapolda's level apart.

The page shows one election at a time (`Election`: the operations of one vote day across the
Polres): a Pemilu's figures and a Pilkades's of the same Polres are never added together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from siaga.core.data.model import Category
from siaga.field.models import CheckIn, Incident
from siaga.operations.models import Operation, Tps
from siaga.plans.models import Plan, PlanAssignment


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
    duty_empty: int = 0  # places left empty in the duties beyond the TPS
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
    """The rows of these operations, in their order: a few aggregate queries over them all."""
    found = {o.pk: Row(o) for o in operations}
    ids = list(found)
    if not ids:
        return []
    by_category = Tps.objects.filter(operation_id__in=ids).values_list("operation_id", "effective_category")
    for op_id, category, n in by_category.annotate(n=Count("id")).order_by():
        found[op_id].categories[category] = n
        found[op_id].tps += n
    published = Plan.objects.filter(operation_id__in=ids, status=Plan.Status.PUBLISHED)
    fields = ("operation_id", "pk", "version", "summary", "extra__roster__unfilled")
    for op_id, pk, version, summary, unfilled in published.values_list(*fields):
        row = found[op_id]
        row.plan, row.plan_version = pk, version
        row.placed = int(summary.get("assigned", 0))
        row.empty = int(summary.get("unfilled", 0))
        row.needed = int(summary.get("slots", row.placed + row.empty))
        row.duty_empty = duty_empty(unfilled)
    for op_id, n in present(ids).values_list("operation_id").annotate(n=Count("id")).order_by():
        found[op_id].present = n
    still_open = Incident.objects.filter(operation_id__in=ids).exclude(status=Incident.Status.SELESAI)
    counted = still_open.values_list("operation_id").annotate(
        n=Count("id"), polda=Count("id", filter=Q(level=Incident.Level.POLDA))
    )
    for op_id, n, polda in counted.order_by():
        found[op_id].open_incidents, found[op_id].at_polda = n, polda
    return list(found.values())


def present(ids: Any) -> QuerySet[CheckIn]:
    """The check-ins at the apel before the pergeseran of people on their operation's published
    plan, as the apel page counts them (not one taken off the plan since, nor a superseded plan's)."""
    on_plan = PlanAssignment.objects.filter(
        plan__operation_id=OuterRef("operation_id"),
        plan__status=Plan.Status.PUBLISHED,
        person_code=OuterRef("person_code"),
    )
    return CheckIn.objects.filter(operation_id__in=ids, apel="").filter(Exists(on_plan))


def duty_empty(unfilled: Any) -> int:
    """The places a plan's roster leaves empty beyond the TPS, from its stored `unfilled` list
    (None for a plan made before rosters)."""
    return sum(int(u.get("count", 0)) for u in unfilled or [])


def totals(every: list[Row]) -> dict[str, Any]:
    """The Polda's totals: the sums of the rows of all its operations (`rows` of them all, so the
    page's rows and the totals come from one set of aggregate queries)."""
    categories: dict[str, int] = defaultdict(int)
    for row in every:
        for category, n in row.categories.items():
            categories[category] += n
    return {
        "polres": len({r.operation.polres_code for r in every if r.operation.polres_code}),
        "operations": len(every),
        "categories": [(c.value, categories.get(c.value, 0)) for c in Category],
        "tps": sum(categories.values()),
        **{
            name: sum(getattr(r, name) for r in every)
            for name in ("placed", "needed", "empty", "duty_empty", "present", "open_incidents", "at_polda")
        },
    }


# ---------------------------------------------------------------- one election at a time

# An election stays the one shown for a week after its vote: the counting, the ballot boxes'
# way back and the 7 days to refer an offence (DOCTRINE.md 12) are still its work.
AFTER_THE_VOTE = dt.timedelta(days=7)


@dataclass(frozen=True)
class Election:
    """The operations of one vote day across the Polres of the Polda: one election (the Pemilu,
    a Pilkada, a round of Pilkades held together), whose figures add up. Two operations of one
    Polres on different days are two elections: their people, apel and TPS are not the same."""

    date: dt.date
    names: tuple[str, ...]  # its operations' names without their Polres, each once
    operations: int

    @property
    def key(self) -> str:
        return self.date.isoformat()


def elections(operations: QuerySet[Operation]) -> list[Election]:
    """The elections of these operations, by vote day (one query of three columns)."""
    names: dict[dt.date, list[str]] = defaultdict(list)
    counts: dict[dt.date, int] = defaultdict(int)
    found = operations.order_by("election_date", "name", "pk").values_list("election_date", "name", "polres_name")
    for day, name, polres in found:
        counts[day] += 1
        short = without_polres(name, polres)
        if short not in names[day]:
            names[day].append(short)
    return [Election(day, tuple(names[day]), counts[day]) for day in sorted(counts)]


def without_polres(name: str, polres: str) -> str:
    """An operation's name without its Polres ("Pam Pemilu 2024 Polres Pasuruan Kota" -> "Pam
    Pemilu 2024"), the name its election has across the Polres."""
    if not polres.strip():
        return name
    short = re.sub(re.escape(polres.strip()), " ", name, flags=re.IGNORECASE)
    return " ".join(short.split()) or name


def chosen(found: list[Election], wanted: str, today: dt.date) -> Election | None:
    """The election asked for (its day, `Election.key`), else the current or coming one (the
    first whose vote is at most a week past), else the latest."""
    by_key = {e.key: e for e in found}
    if wanted in by_key:
        return by_key[wanted]
    coming = [e for e in found if e.date >= today - AFTER_THE_VOTE]
    return coming[0] if coming else (found[-1] if found else None)
