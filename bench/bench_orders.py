"""Orders (issue 6): the Sprin with its lampiran, the ploting workbook and the assignment cards.

Target: the regency case (2,000 TPS, about 4,900 persons) written in under 30 s, all three
files together, the independent check included (median of 3). The demo is timed too, and the
pages and sizes of what was written are reported.
"""

from __future__ import annotations

import secrets
import statistics
from pathlib import Path

from bench import Result, timed
from siaga.core.data import demo, generator
from siaga.core.documents import orders
from siaga.core.planning.plan import plan

REGENCY_TPS = 2_000


def run(work: Path) -> list[Result]:
    key = secrets.token_bytes(32)
    results = []
    scenario = demo.pasuruan_kota()
    seconds, written = timed(orders.write, scenario, plan(scenario), work / "demo", key)
    results.append(Result("demo orders, all three files", seconds, "s", None, f"{written.cards} persons"))

    regency = generator.generate(REGENCY_TPS, seed=1, indicators=True)
    base = plan(regency)
    runs = [timed(orders.write, regency, base, work / f"regency-{i}", key) for i in range(3)]
    seconds = statistics.median(s for s, _ in runs)
    written = runs[-1][1]
    note = f"{REGENCY_TPS:,} TPS, {written.cards:,} persons on posts, median of 3"
    results.append(Result("regency orders, all three files", seconds, "s", 30.0, note))
    for part in ("check", "sprin", "workbook", "cards"):
        share = statistics.median(w.seconds[part] for _, w in runs)
        results.append(Result(f"regency orders: {part}", share, "s", None, "median of 3"))
    folder = written.directory
    results.append(Result("regency sprin.pdf pages", written.sprin_pages, "pages", None, _mib(folder / orders.SPRIN)))
    results.append(Result("regency kartu.pdf pages", written.card_pages, "pages", None, _mib(folder / orders.CARDS)))
    results.append(Result("regency ploting.xlsx size", (folder / orders.WORKBOOK).stat().st_size / 2**20, "MiB"))
    return results


def _mib(path: Path) -> str:
    return f"{path.stat().st_size / 2**20:.1f} MiB"
