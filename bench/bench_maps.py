"""Map pages of the orders (issue 16 item 4): `peta.pdf` and the briefing pack of a Tactical
Floor Game, drawn on the server with no network.

The demo is timed with its shipped boundaries (kecamatan and desa polygons) and without; the
regency case (2,000 TPS, points only: the generator draws no boundaries) with its pages and
file sizes. Target: the regency's maps and pack in under 5 s (median of 3), a small share
beside the Sprin and the cards.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from bench import Result, timed
from siaga.core.data import demo, generator
from siaga.core.data.boundaries import read_shipped
from siaga.core.documents import maps
from siaga.core.planning.plan import plan

REGENCY_TPS = 2_000


def run(work: Path) -> list[Result]:
    results = []
    scenario = demo.pasuruan_kota()
    base = plan(scenario)
    outlines = read_shipped({r.code: r.level for r in scenario.regions}).boundaries
    seconds, written = timed(maps.write, scenario, base, work / "demo", outlines)
    note = f"{written.map_pages} map pages + cover, {len(outlines)} boundaries"
    results.append(Result("demo maps and briefing pack", seconds, "s", None, note))
    seconds, data = timed(maps.map_pages_pdf, scenario, base, outlines)
    results.append(Result("demo peta.pdf alone", seconds, "s", None, f"{len(data) / 2**10:.0f} KiB"))
    seconds, _data = timed(maps.map_pages_pdf, scenario, base)
    results.append(Result("demo peta.pdf without boundaries", seconds, "s", None, "points only"))

    regency = generator.generate(REGENCY_TPS, seed=1, indicators=True)
    regency_plan = plan(regency)
    runs = [timed(maps.write, regency, regency_plan, work / f"regency-{i}") for i in range(3)]
    seconds = statistics.median(s for s, _ in runs)
    written = runs[-1][1]
    note = f"{REGENCY_TPS:,} TPS, {written.map_pages} map pages + cover, median of 3"
    results.append(Result("regency maps and briefing pack", seconds, "s", 5.0, note))
    folder = work / "regency-2"
    for name in (maps.MAPS, maps.BRIEFING):
        results.append(Result(f"regency {name} size", (folder / name).stat().st_size / 2**20, "MiB"))
    return results
