"""Run the benchmarks: `python -m bench` runs every suite, `python -m bench scenario` one.

SIAGA_BENCH_TPS scales the national size down for a quick run (e.g. SIAGA_BENCH_TPS=50000).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from bench import OUT, Result

SUITES = {
    "scenario": "bench.bench_scenario",
    "plan": "bench.bench_plan",
    "console": "bench.bench_console",
    "orders": "bench.bench_orders",
    "maps": "bench.bench_maps",
    "checkins": "bench.bench_checkins",
    "check": "bench.bench_check",
    "import": "bench.bench_import",
    "simulate": "bench.bench_simulate",
    "hostile": "bench.bench_hostile",
    "startup": "bench.bench_startup",
    "regions": "bench.bench_regions",
    "national": "bench.bench_national",
    "boundaries": "bench.bench_boundaries",
    "polda": "bench.bench_polda",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("suites", nargs="*", metavar="suite", help=f"one of: {', '.join(SUITES)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.suites if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    OUT.mkdir(parents=True, exist_ok=True)
    failed = False
    for name in args.suites or list(SUITES):
        print(f"== {name}", flush=True)
        suite = importlib.import_module(SUITES[name])
        with tempfile.TemporaryDirectory(dir=OUT, prefix=f"{name}-") as work:
            results = suite.run(Path(work))
        print(table(results))
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(report(name, results), indent=2) + "\n", encoding="utf-8")
        print(f"written to {path}")
        failed |= any(r.ok is False for r in results)
    return 1 if failed else 0


def table(results: list[Result]) -> str:
    rows = [("benchmark", "result", "target", "ok")]
    for r in results:
        target = "" if r.target is None else f"<= {r.target:,.6g} {r.unit}"
        ok = {True: "yes", False: "NO", None: ""}[r.ok]
        rows.append((r.name + (f" ({r.note})" if r.note else ""), f"{r.value:,.2f} {r.unit}", target, ok))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(suite: str, results: list[Result]) -> dict[str, object]:
    return {
        "suite": suite,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "results": [asdict(r) | {"ok": r.ok} for r in results],
    }


def _commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return done.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
