"""Orders: what a plan becomes on paper, written together into one folder.

- `sprin.pdf`: the Sprin and its lampiran: the organisation, the Polri ploting and the
  coordinated TNI, Linmas and Satpol PP (sprin.py); "KONSEP" on every page when `draft`;
- `ploting.xlsx`: the same ploting as a workbook: a summary sheet and one sheet per kecamatan;
- `kartu.pdf`: one assignment card per person with a signed QR code, and a roster card for
  whoever holds more than one duty across the stages (cards.py);
- with a stage (`stage`, a number or name as schedule.find takes it): `sprin.pdf` is that
  stage's Sprin and `renpam.pdf` its Renpam (renpam.py); without one, the Sprin covers the whole
  operation with the time-phased annex;
- `peta.pdf`: the map pages (the Polres, then each kecamatan: its TPS by category and post
  numbers as in the annex) and `paket-briefing.pdf`, the same maps on A3 after a cover, for the
  Tactical Floor Game (maps.py); drawn over the operation's boundaries when given.

Orders are never printed from a plan that fails the independent checker: `write` refuses it
with `InvalidPlan` before anything is written. A scope (`kecamatan_code`) gives a sector
chief's orders: the posts of their kecamatan only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from siaga.core.check import Violation, check_plan
from siaga.core.data.boundaries import Boundary
from siaga.core.data.files import write_bytes
from siaga.core.data.model import Plan, Scenario
from siaga.core.data.workbook import ReportTable, write_report
from siaga.core.documents import cards, maps, ploting, renpam, schedule, sprin
from siaga.core.documents.ploting import COLUMNS, FORCE_LABEL, FORCES, Ploting
from siaga.core.planning.risk import RiskModel

SPRIN, WORKBOOK, CARDS, RENPAM = "sprin.pdf", "ploting.xlsx", "kartu.pdf", "renpam.pdf"
MAPS, BRIEFING = maps.MAPS, maps.BRIEFING
SIGNOFF = "category_signoff"  # the plan's extra naming who signed off the TPS categories (sprin.signoff_line)
SHEET_COLUMNS = (*COLUMNS, "Pos", "Unsur", "Keterangan")


class InvalidPlan(ValueError):
    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(f"{len(violations)} violation(s)")
        self.violations = violations


@dataclass(frozen=True)
class Written:
    directory: Path
    ploting: Ploting
    sprin_pages: int
    cards: int
    card_pages: int
    seconds: dict[str, float] = field(default_factory=dict)  # check, sprin, workbook, cards
    stage: schedule.StageBlock | None = None  # the stage of the Sprin and the Renpam
    renpam_pages: int = 0
    map_pages: int = 0  # peta.pdf; the briefing pack holds a cover more


def write(
    scenario: Scenario,
    plan: Plan,
    out: Path,
    key: bytes,
    kecamatan_code: str = "",
    settings: sprin.OrderSettings | None = None,
    model: RiskModel | None = None,
    draft: bool = False,
    stage: str = "",
    boundaries: Sequence[Boundary] = (),
) -> Written:
    """Check the plan, then write the five files into `out` (six with `stage`: its Renpam); the
    maps are drawn over `boundaries` (points only without them). `draft` marks every page of
    the Sprin and the maps "KONSEP" (a plan not yet approved). Raises
    InvalidPlan, ploting.PlotingError for an unknown kecamatan, schedule.StageError for an
    unknown stage. The files are made in a folder of their own beside `out`, then moved in: a
    failure halfway leaves `out` as it was, never a new Sprin beside the last run's cards."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))  # beside `out`: one disk, one move
    try:
        written = _write(scenario, plan, staging, key, kecamatan_code, settings, model, draft, stage, boundaries)
        out.mkdir(exist_ok=True)
        for made in sorted(staging.iterdir()):
            os.replace(made, out / made.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return replace(written, directory=out)


def _write(
    scenario: Scenario,
    plan: Plan,
    out: Path,
    key: bytes,
    kecamatan_code: str = "",
    settings: sprin.OrderSettings | None = None,
    model: RiskModel | None = None,
    draft: bool = False,
    stage: str = "",
    boundaries: Sequence[Boundary] = (),
) -> Written:
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    violations = check_plan(scenario, plan, model)
    if violations:
        raise InvalidPlan(violations)
    plot = ploting.build(scenario, plan, kecamatan_code)
    everything = schedule.build(scenario, plan)
    stages = schedule.scoped(everything, kecamatan_code)
    chosen = schedule.find(stages, stage) if stage else None
    seconds["check"] = _lap(start)
    out.mkdir(parents=True, exist_ok=True)

    start = time.perf_counter()
    signoff = plan.extra.get(SIGNOFF)
    order = sprin.sprin_pdf(scenario, plot, settings, draft=draft, stages=stages, stage=chosen, signoff=signoff)
    write_bytes(out / SPRIN, order.data)
    seconds["sprin"] = _lap(start)
    renpam_pages = 0
    if chosen is not None:
        start = time.perf_counter()
        plan_of_stage = renpam.renpam_pdf(scenario, plan, chosen, settings, stages)
        write_bytes(out / RENPAM, plan_of_stage.data)
        renpam_pages = plan_of_stage.pages
        seconds["renpam"] = _lap(start)

    start = time.perf_counter()
    write_report(out / WORKBOOK, workbook_sheets(plot))
    seconds["workbook"] = _lap(start)

    start = time.perf_counter()
    deck = cards.build(scenario, plan, plot, key, everything)  # a card lists every duty
    rendered = cards.cards_pdf(deck, plan.operation)
    write_bytes(out / CARDS, rendered.data)
    seconds["cards"] = _lap(start)

    start = time.perf_counter()
    drawn = maps.write(scenario, plan, out, boundaries, kecamatan_code, draft=draft, plot=plot)
    seconds["maps"] = _lap(start)
    return Written(out, plot, order.pages, len(deck), rendered.pages, seconds, chosen, renpam_pages, drawn.map_pages)


def konsep_pdf(
    scenario: Scenario,
    plan: Plan,
    kecamatan_code: str = "",
    settings: sprin.OrderSettings | None = None,
    model: RiskModel | None = None,
) -> bytes:
    """The Sprin of a plan not yet approved, "KONSEP" across every page, for the commander to
    read before he signs: checked like the orders (raises InvalidPlan), a petikan for a
    kecamatan. Nothing is written."""
    violations = check_plan(scenario, plan, model)
    if violations:
        raise InvalidPlan(violations)
    stages = schedule.scoped(schedule.build(scenario, plan), kecamatan_code)
    plot = ploting.build(scenario, plan, kecamatan_code)
    return sprin.sprin_pdf(scenario, plot, settings, draft=True, stages=stages, signoff=plan.extra.get(SIGNOFF)).data


def _lap(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def workbook_sheets(plot: Ploting) -> list[tuple[str, list[ReportTable]]]:
    """ "Ringkasan" (totals, recap by kecamatan, persons per desa, unfilled slots), then one
    data sheet per kecamatan with a row per person."""
    forces = [FORCE_LABEL[f] for f in FORCES]
    totals = ReportTable(
        f"Ploting personel: {plot.operation}" + (f", Kecamatan {plot.scope_name}" if plot.scope_code else ""),
        ("Keterangan", "Nilai"),
        [
            ("Jumlah", plot.headline()),
            ("Ditugaskan pada pos", plot.assigned),
            *([] if plot.scope_code else [("Tidak pada pos (staf, siaga di markas, berhalangan)", plot.not_on_post)]),
            ("Pola pengamanan", plot.pattern_title),
            ("Slot kosong", plot.unfilled),
        ],
    )
    recap = ReportTable(
        "Rekapitulasi kekuatan per kecamatan",
        ("Kecamatan", "Desa", "TPS", *forces, "Jumlah", "Slot kosong"),
        [
            (name, desa, tps, *(counts[f] for f in FORCES), total, gaps)
            for name, desa, tps, counts, total, gaps in plot.recap()
        ],
    )
    per_desa = ReportTable(
        "Jumlah per desa",
        ("Kecamatan", "Desa", "TPS", *forces, "Jumlah"),
        [
            (
                k.name,
                d.name,
                d.tps,
                *(sum(1 for p in d.posts for r in p.rows if r.force == f) for f in FORCES),
                d.persons,
            )
            for k in plot.kecamatan
            for d in k.desa
        ],
    )
    gaps = ReportTable(
        "Slot kosong (belum ada personel)",
        ("Kecamatan", "Desa", "Pos", "Tugas", "Unsur", "Kosong"),
        [(g.kecamatan, g.desa, g.post_name, g.task, g.slot, g.count) for g in plot.gaps],
    )
    sheets: list[tuple[str, list[ReportTable]]] = [("Ringkasan", [totals, recap, per_desa, gaps])]
    for k in plot.kecamatan:
        rows = [
            (
                *r.cells()[:10],
                f"{plot.pattern_title}: {r.pola}",
                *r.cells()[11:],
                r.post_name,
                r.slot,
                "Ketua pos" if r.is_ketua else "",
            )
            for r in k.rows()
        ]
        sheets.append((k.name, [ReportTable("", SHEET_COLUMNS, rows)]))
    return sheets
