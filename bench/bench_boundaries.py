"""TPS against their desa's outline at national size: `boundaries.tps_outside` over 820,000 TPS
in 83,000 desa, each desa a 64-point ring (the shipped desa outlines have 40 to 300 points),
one TPS in a hundred placed outside. This is what the TPS list of the console computes for the
TPS a user may see (`views_data._tps_outside`). Also the shipped Pasuruan file's 21 demo desa:
the demo's 152 TPS. Reported only (no target): seconds and TPS per second.

SIAGA_BENCH_TPS scales the national size down for a quick run.
"""

from __future__ import annotations

import math
import os
import random
from pathlib import Path

from bench import Result, timed

TPS = int(os.environ.get("SIAGA_BENCH_TPS", "820000"))
PER_DESA = 10
POINTS = 64


def ring(lat: float, lon: float, radius: float) -> dict[str, object]:
    pts = [
        [lon + radius * math.cos(2 * math.pi * k / POINTS), lat + radius * math.sin(2 * math.pi * k / POINTS)]
        for k in range(POINTS)
    ]
    return {"type": "Polygon", "coordinates": [[*pts, pts[0]]]}


def run(work: Path) -> list[Result]:
    from siaga.core.data import boundaries, demo

    rng = random.Random(1)
    desa = TPS // PER_DESA
    outlines, tps = {}, []
    for d in range(desa):
        lat, lon = -8.0 + (d // 300) * 0.03, 100.0 + (d % 300) * 0.03
        outlines[f"D{d}"] = ring(lat, lon, 0.01)
        for n in range(PER_DESA):
            far = rng.random() < 0.01
            r = 0.015 if far else 0.008 * math.sqrt(rng.random())
            a = rng.uniform(0, 2 * math.pi)
            tps.append((f"D{d}-{n}", f"D{d}", lat + r * math.sin(a), lon + r * math.cos(a)))
    seconds, found = timed(boundaries.tps_outside, tps, outlines)
    scenario = demo.pasuruan_kota()
    shipped = {code: b.geometry for code, b in boundaries.shipped().items()}
    demo_rows = [(t.id, t.desa_code, t.lat, t.lon) for t in scenario.tps]
    demo_seconds, demo_found = timed(boundaries.tps_outside, demo_rows, shipped)
    return [
        Result("tps_outside, national (s)", seconds, "s", note=f"{len(tps):,} TPS, {desa:,} desa, {len(found):,} out"),
        Result("tps_outside, national (TPS/s)", len(tps) / seconds, "TPS/s"),
        Result("tps_outside, demo (s)", demo_seconds, "s", note=f"152 TPS, {len(demo_found)} outside"),
    ]
