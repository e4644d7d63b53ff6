"""Scenario files at national size: generate, read and validate; and a Polres-size workbook.

Targets: the national CSV folder (820,000 TPS, two million persons) is generated in under
2 minutes and read and validated in under 30 s and 4 GB; a 2,000-TPS workbook reads in
under 2 s. Each read runs in a child process so its peak memory is its own.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import Result, timed
from siaga.core.data import generator
from siaga.core.data.scenario import read_scenario, write_scenario

NATIONAL_TPS = int(os.environ.get("SIAGA_BENCH_TPS", generator.NATIONAL_TPS))
POLRES_TPS = 2_000
ROOT = Path(__file__).resolve().parent.parent


def run(work: Path) -> list[Result]:
    size = f"{NATIONAL_TPS:,} TPS"
    results = []
    for indicators in (False, True):
        label = "national CSV" + (" with indicators" if indicators else "")
        folder = work / ("national-indicators" if indicators else "national")
        seconds, _ = timed(generator.write, folder, tps=NATIONAL_TPS, seed=1, indicators=indicators)
        results.append(Result(f"generate {label}", seconds, "s", 120.0, size))
        read = read_in_child(folder)
        persons = f"{read['persons']:,} persons"
        results.append(Result(f"read + validate {label}", read["seconds"], "s", 30.0, persons))
        results.append(Result(f"peak memory of that read ({label})", read["peak_gb"], "GB", 4.0))
    workbook = work / "polres.xlsx"
    write_scenario(generator.generate(POLRES_TPS, seed=1), workbook)
    runs = [timed(read_scenario, workbook)[0] for _ in range(5)]
    results.append(Result(f"read {POLRES_TPS:,}-TPS xlsx", statistics.median(runs), "s", 2.0, "median of 5"))
    return results


def read_in_child(path: Path) -> dict[str, float]:
    """Read a scenario in a fresh interpreter: its wall time, counts and peak RSS (GB)."""
    command = [sys.executable, "-m", "bench.bench_scenario", str(path)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"reading {path} failed with exit code {child.returncode}")
    return json.loads(output) | {"peak_gb": usage.ru_maxrss * 1024 / 1e9}  # Linux reports KiB


def _read(path: str) -> None:
    start = time.perf_counter()
    scenario = read_scenario(path)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "tps": len(scenario.tps), "persons": len(scenario.personnel)}))


if __name__ == "__main__":
    _read(sys.argv[1])
