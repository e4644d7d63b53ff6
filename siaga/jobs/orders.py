"""The orders of a plan version, rendered once and kept as files under MEDIA_ROOT.

`orders/plan-<id>/<kecamatan or semua>/` holds sprin.pdf, ploting.xlsx, kartu.pdf, peta.pdf and
paket-briefing.pdf (the maps over the operation's boundaries); each is one `OrdersFile` row.
The files are written (each atomically) before any row is stored, and the rows go in one
transaction: a render that dies midway stores nothing, and the next attempt renders again.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any

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
    folder = Path(settings.MEDIA_ROOT) / folder_of(plan, kecamatan_code)
    _write(*_inputs(plan, kecamatan_code, folder))
    _store(plan, kecamatan_code)


def _inputs(plan: Plan, kecamatan_code: str, folder: Path) -> tuple[Any, ...]:
    """What `orders.write` needs, read from the database (a worker process gets them whole)."""
    key = tokens.key_file(Path(settings.SIAGA_CARD_KEY_FILE))
    outlines = [
        Boundary(b.code, b.name, b.level, b.geometry, b.lat, b.lon, 0)
        for b in plan.operation.boundaries.filter(level__in=("KECAMATAN", "DESA", "KELURAHAN"))
    ]
    return scenario_for(plan.operation), core_plan(plan), folder, key, kecamatan_code, tuple(outlines)


def _write(
    scenario: Any, plan: Any, folder: Path, key: bytes, kecamatan_code: str, outlines: tuple[Boundary, ...]
) -> None:
    orders.write(scenario, plan, folder, key, kecamatan_code, boundaries=outlines)


def _store(plan: Plan, kecamatan_code: str) -> None:
    relative = folder_of(plan, kecamatan_code)
    folder = Path(settings.MEDIA_ROOT) / relative
    with transaction.atomic():
        for name in NAMES:
            OrdersFile.objects.update_or_create(
                plan=plan,
                kecamatan_code=kecamatan_code,
                name=name,
                defaults={"file": f"{relative}/{name}", "size": (folder / name).stat().st_size},
            )


# ---------------------------------------------------------------- a Polda's orders, every Polres


def polda_pack(
    plans: Sequence[Plan], relative: str, workers: int, progress: Callable[[int, int, str], None]
) -> list[tuple[Plan, str]]:
    """The whole-Polres orders of every plan (each Polres's published version), rendered where
    not yet stored, on `workers` processes, then packed into one ZIP at `relative` (under
    MEDIA_ROOT), a folder per Polres. Gives the plans left out and why (a plan the checker
    refuses is not printed; the Polres re-plans it). `progress(done, total, polres)`."""
    left_out: list[tuple[Plan, str]] = []
    todo = [p for p in plans if not complete(p, "")]
    done = len(plans) - len(todo)
    progress(done, len(plans), "")
    if todo:
        inputs = {p.pk: _inputs(p, "", Path(settings.MEDIA_ROOT) / folder_of(p, "")) for p in todo}
        by_pk = {p.pk: p for p in todo}
        if workers > 1 and len(todo) > 1:
            with ProcessPoolExecutor(min(workers, len(todo)), mp_context=get_context("spawn")) as pool:
                # the task is the core's own writer: a spawned process imports no Django
                running = {}
                for pk, (scenario, plan, folder, key, kecamatan, outlines) in inputs.items():
                    task = pool.submit(orders.write, scenario, plan, folder, key, kecamatan, boundaries=outlines)
                    running[task] = pk
                for future in as_completed(running):
                    done += 1
                    _finish(by_pk[running[future]], future.exception(), left_out)
                    progress(done, len(plans), _polres(by_pk[running[future]]))
        else:
            for pk in inputs:
                done += 1
                try:
                    _write(*inputs[pk])
                    error: BaseException | None = None
                except orders.InvalidPlan as exc:
                    error = exc
                _finish(by_pk[pk], error, left_out)
                progress(done, len(plans), _polres(by_pk[pk]))
    out = Path(settings.MEDIA_ROOT) / relative
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    skipped = {p.pk for p, _why in left_out}
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as pack:  # PDFs and XLSX are compressed already
        for plan in plans:
            if plan.pk in skipped:
                continue
            for name, row in sorted(stored(plan, "").items()):
                pack.write(Path(settings.MEDIA_ROOT) / str(row.file.name), f"{_folder_name(plan)}/{name}")
    partial.replace(out)
    return left_out


def _finish(plan: Plan, error: BaseException | None, left_out: list[tuple[Plan, str]]) -> None:
    if error is None:
        _store(plan, "")
    elif isinstance(error, orders.InvalidPlan):
        left_out.append((plan, str(error)))
    else:
        raise error


def _polres(plan: Plan) -> str:
    return plan.operation.polres_name or plan.operation.name


def _folder_name(plan: Plan) -> str:
    """The ZIP folder of a Polres's operation: its Polres, operation and version (a Polres may
    run two operations), safe as a path on any system."""
    operation = plan.operation
    shown = f"{operation.polres_name} - {operation.name}" if operation.polres_name else operation.name
    name = "".join(c if c.isalnum() or c in " -." else "_" for c in shown).strip() or "Polres"
    return f"{name} v{plan.version}"
