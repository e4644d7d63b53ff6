"""Orders (issues 6 and 18): the Sprin with its lampiran, the ploting workbook and the
assignment cards, in one PDF engine (ReportLab, pdf.py).

Targets (issue 18): the three files of the regency case (2,000 TPS, about 4,800 persons)
in under 5 s, the independent check included (median of 3), and the PDF pages at 200 pages/s
or better (5 ms a page or less: the Sprin's and the cards' pages over their seconds). Before
this engine (WeasyPrint for the letter, a hand-written pydyf layer and segno for the cards) the
same run took a median of 34.6 s, 30.3 s of it in the cards, on this 2-core machine under
load. The demo is timed too, and every part of the regency run (the maps, written by the same
call, are reported apart), with the CPU seconds of the whole call and the machine's load
average: wall times on a shared machine grow with its load, CPU seconds much less. Also: one
QR code, our encoder (qr.py) against segno's own.
"""

from __future__ import annotations

import os
import secrets
import statistics
import time
from pathlib import Path

import segno

from bench import Result, timed
from siaga.core.data import demo, generator
from siaga.core.documents import orders, qr, tokens
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
    folder = written.directory
    results.append(Result("regency sprin.pdf pages", written.sprin_pages, "pages", None, _mib(folder / orders.SPRIN)))
    results.append(Result("regency kartu.pdf pages", written.card_pages, "pages", None, _mib(folder / orders.CARDS)))
    results.append(Result("regency ploting.xlsx size", (folder / orders.WORKBOOK).stat().st_size / 2**20, "MiB"))
    results += _qr(key)
    return results


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
