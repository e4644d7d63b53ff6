"""Orders (issues 6 and 18): the Sprin with its lampiran, the ploting workbook and the
assignment cards, in one PDF engine (ReportLab, pdf.py).

Targets (issue 18): the three files of the regency case (2,000 TPS, about 4,800 persons)
in under 5 s, the independent check included (median of 3), and the PDF pages at 200 pages/s
or better (5 ms a page or less: the Sprin's and the cards' pages over their seconds). Before
this engine (WeasyPrint for the letter, a hand-written pydyf layer and segno for the cards) the
same run took a median of 34.6 s, 30.3 s of it in the cards, on this 2-core machine under
load. The demo is timed too, and every part of the regency run (the maps, written by the same
call, are reported apart), with the CPU seconds of the whole call and the machine's load
average: wall times on a shared machine grow with its load, CPU seconds much less; so the
three files are also timed in CPU seconds by part. Also: one QR code, our encoder (qr.py)
against segno's own.
"""

from __future__ import annotations

import os
import secrets
import statistics
import time
from pathlib import Path

import segno

from bench import Result, timed
from siaga.core.check import check_plan
from siaga.core.data import demo, generator
from siaga.core.data.files import write_bytes
from siaga.core.data.model import Plan, Scenario
from siaga.core.data.workbook import write_report
from siaga.core.documents import cards, orders, ploting, qr, schedule, sprin, tokens
from siaga.core.planning.plan import plan

REGENCY_TPS = 2_000
THREE = ("check", "sprin", "workbook", "cards")


def run(work: Path) -> list[Result]:
    key = secrets.token_bytes(32)
    results = []
    scenario = demo.pasuruan_kota()
    seconds, written = timed(orders.write, scenario, plan(scenario), work / "demo", key)
    results.append(Result("demo orders, all files", seconds, "s", None, f"{written.cards} persons"))

    regency = generator.generate(REGENCY_TPS, seed=1, indicators=True)
    base = plan(regency)
    runs, cpu = [], []
    for i in range(3):
        start = time.process_time()
        runs.append(timed(orders.write, regency, base, work / f"regency-{i}", key))
        cpu.append(time.process_time() - start)
    written = runs[-1][1]
    three = statistics.median(sum(w.seconds[p] for p in THREE) for _, w in runs)
    note = f"{REGENCY_TPS:,} TPS, {written.cards:,} persons on posts, check included, median of 3 (before: 34.6 s)"
    results.append(Result("regency orders, the three files", three, "s", 5.0, note))
    everything = statistics.median(s for s, _ in runs)
    results.append(Result("regency orders, all files (maps too)", everything, "s", None, "median of 3"))
    load = os.getloadavg()[0]
    note = f"maps too, median of 3; the machine's load average meanwhile: {load:.1f} on {os.cpu_count()} cores"
    results.append(Result("regency orders, all files: CPU seconds", statistics.median(cpu), "s", None, note))
    for part in (*THREE, "maps"):
        share = statistics.median(w.seconds.get(part, 0.0) for _, w in runs)
        results.append(Result(f"regency orders: {part}", share, "s", None, "median of 3"))
    pages = written.sprin_pages + written.card_pages
    pdf_seconds = statistics.median(w.seconds["sprin"] + w.seconds["cards"] for _, w in runs)
    rate = pages / pdf_seconds
    results.append(
        Result("regency PDF: ms per page", 1000 / rate, "ms", 5.0, f"{rate:.0f} pages/s over {pages:,} pages")
    )
    results += _three_cpu(regency, base, work / "regency-cpu", key)
    folder = written.directory
    results.append(Result("regency sprin.pdf pages", written.sprin_pages, "pages", None, _mib(folder / orders.SPRIN)))
    results.append(Result("regency kartu.pdf pages", written.card_pages, "pages", None, _mib(folder / orders.CARDS)))
    results.append(Result("regency ploting.xlsx size", (folder / orders.WORKBOOK).stat().st_size / 2**20, "MiB"))
    results += _qr(key)
    return results


def _three_cpu(scenario: Scenario, base: Plan, out: Path, key: bytes, runs: int = 3) -> list[Result]:
    """The CPU seconds of the three files, by part, as orders.write makes them (median of
    `runs`): on a loaded machine wall times grow several-fold, CPU seconds much less."""
    out.mkdir(parents=True, exist_ok=True)
    parts: dict[str, list[float]] = {part: [] for part in THREE}
    pages = 0
    for _ in range(runs):
        start = time.process_time()
        violations = check_plan(scenario, base)
        if violations:
            raise orders.InvalidPlan(violations)
        plot = ploting.build(scenario, base)
        everything = schedule.build(scenario, base)
        parts["check"].append(time.process_time() - start)
        start = time.process_time()
        order = sprin.sprin_pdf(scenario, plot, stages=everything, signoff=base.extra.get(orders.SIGNOFF))
        write_bytes(out / orders.SPRIN, order.data)
        parts["sprin"].append(time.process_time() - start)
        start = time.process_time()
        write_report(out / orders.WORKBOOK, orders.workbook_sheets(plot))
        parts["workbook"].append(time.process_time() - start)
        start = time.process_time()
        rendered = cards.cards_pdf(cards.build(scenario, base, plot, key, everything), base.operation)
        write_bytes(out / orders.CARDS, rendered.data)
        parts["cards"].append(time.process_time() - start)
        pages = order.pages + rendered.pages
    cpu = {part: statistics.median(seconds) for part, seconds in parts.items()}
    rate = pages / (cpu["sprin"] + cpu["cards"])
    by_part = ", ".join(f"{part} {seconds:.2f}" for part, seconds in cpu.items())
    return [
        Result(
            "regency orders, the three files: CPU seconds", sum(cpu.values()), "s", 5.0, f"median of {runs}: {by_part}"
        ),
        Result(
            "regency PDF: pages per CPU second",
            rate,
            "pages/s",
            None,
            f"{pages:,} pages (sprin and cards); target: 200 or more",
        ),
    ]


def _qr(key: bytes, count: int = 200) -> list[Result]:
    """One card's QR code: qr.py against segno (the same symbol, tested)."""
    token = tokens.sign({"nrp": "76019905", "plan": "0" * 16, "post": "35.14.17.2001-p01"}, key)
    start = time.perf_counter()
    for _ in range(count):
        qr.matrix(token)
    ours = (time.perf_counter() - start) / count
    start = time.perf_counter()
    for _ in range(count // 10):
        segno.make(token, error="m", micro=False, boost_error=False, mask=qr.MASK)
    theirs = (time.perf_counter() - start) / (count // 10)
    return [
        Result("one card's QR code (qr.py)", ours * 1000, "ms", None, f"segno: {theirs * 1000:.2f} ms"),
    ]


def _mib(path: Path) -> str:
    return f"{path.stat().st_size / 2**20:.1f} MiB"
