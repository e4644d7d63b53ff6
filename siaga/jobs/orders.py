"""The orders of a plan version, rendered once and kept as files under MEDIA_ROOT.

`orders/plan-<id>/<kecamatan or semua>/` holds sprin.pdf, ploting.xlsx, kartu.pdf, peta.pdf and
paket-briefing.pdf (the maps over the operation's boundaries); each is one `OrdersFile` row.
The files are written (each atomically) before any row is stored, and the rows go in one
transaction: a render that dies midway stores nothing, and the next attempt renders again.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from siaga.core.data.boundaries import Boundary
from siaga.core.documents import orders, tokens
from siaga.jobs.models import OrdersFile
from siaga.operations.services import scenario_for
from siaga.plans.models import Plan
from siaga.plans.store import core_plan

NAMES = ("sprin.pdf", "ploting.xlsx", "kartu.pdf", orders.MAPS, orders.BRIEFING)


def stored(plan: Plan, kecamatan_code: str) -> dict[str, OrdersFile]:
    """The stored orders of the plan for the kecamatan ("" for the whole Polres), by name."""
    rows = OrdersFile.objects.filter(plan=plan, kecamatan_code=kecamatan_code)
    return {row.name: row for row in rows}


def complete(plan: Plan, kecamatan_code: str) -> bool:
    return len(stored(plan, kecamatan_code)) == len(NAMES)


def folder_of(plan: Plan, kecamatan_code: str) -> str:
    """The folder of the plan's orders, relative to MEDIA_ROOT."""
    return f"orders/plan-{plan.pk}/{kecamatan_code or 'semua'}"


def render(plan: Plan, kecamatan_code: str) -> None:
    """Write the files and store their rows. Raises orders.InvalidPlan when the plan
    fails the checker, ploting.PlotingError for an unknown kecamatan."""
    relative = folder_of(plan, kecamatan_code)
    folder = Path(settings.MEDIA_ROOT) / relative
    key = tokens.key_file(Path(settings.SIAGA_CARD_KEY_FILE))
    outlines = [
        Boundary(b.code, b.name, b.level, b.geometry, b.lat, b.lon, 0)
        for b in plan.operation.boundaries.filter(level__in=("KECAMATAN", "DESA", "KELURAHAN"))
    ]
    orders.write(scenario_for(plan.operation), core_plan(plan), folder, key, kecamatan_code, boundaries=outlines)
    with transaction.atomic():
        for name in NAMES:
            OrdersFile.objects.update_or_create(
                plan=plan,
                kecamatan_code=kecamatan_code,
                name=name,
                defaults={"file": f"{relative}/{name}", "size": (folder / name).stat().st_size},
            )
