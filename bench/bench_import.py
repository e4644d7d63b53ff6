"""A whole scenario import, file to committed rows: generated 2,000-TPS and 20,000-TPS workbooks
read with `read_scenario`, then stored with `operations.services.import_scenario` (regions,
TPS with their vulnerability, units, personnel, pattern rows, the audit record), on SQLite and
on PostgreSQL when it answers at postgres://postgres@127.0.0.1:5432 (a fresh database, dropped
afterwards). Reported only (no target): read seconds, import seconds, and their sum.

Each database is measured in a child process, so the Django settings are its own; the
workbooks are written once, before any clock starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import Result
from bench.bench_checkins import _drop_postgres, _fresh_postgres

ROOT = Path(__file__).resolve().parent.parent
SIZES = (2_000, 20_000)


def run(work: Path) -> list[Result]:
    from siaga.core.data import generator

    files = {}
    for tps in SIZES:
        files[tps] = work / f"scenario-{tps}.xlsx"
        generator.write(files[tps], tps, seed=1, indicators=True)
    results = _measure_in_child(work, "SQLite", {"SIAGA_SQLITE": str(work / "import.sqlite3")}, files)
    name = f"siaga_bench_import_{os.getpid()}"
    url = _fresh_postgres(name)
    if url is not None:
        try:
            results += _measure_in_child(work, "PostgreSQL", {"DATABASE_URL": url}, files)
        finally:
            _drop_postgres(name)
    return results


def _measure_in_child(work: Path, label: str, db_env: dict[str, str], files: dict[int, Path]) -> list[Result]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("SIAGA_")}
    env |= db_env | {"DJANGO_SETTINGS_MODULE": "siaga.web.settings", "SIAGA_MEDIA_ROOT": str(work / "media")}
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_import", *(str(files[tps]) for tps in SIZES)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    timings = json.loads(done.stdout.strip().splitlines()[-1])
    results = []
    for tps, t in zip(SIZES, timings, strict=True):
        rows = f"{t['rows']:,} rows"
        results.append(Result(f"{label}: read {tps:,}-TPS workbook", t["read"], "s"))
        results.append(Result(f"{label}: import {tps:,} TPS", t["import"], "s", None, rows))
        results.append(Result(f"{label}: file to committed rows, {tps:,} TPS", t["read"] + t["import"], "s"))
    return results


def _measure(paths: list[str]) -> list[dict[str, float]]:
    """In the child: migrate, then read and import each file; seconds and rows stored."""
    import django

    django.setup()
    from django.core.management import call_command

    from siaga.core.data.scenario import read_scenario
    from siaga.operations.models import PatternRow, Person, Region, Tps, Unit
    from siaga.operations.services import import_scenario

    call_command("migrate", verbosity=0)
    out = []
    for path in paths:
        start = time.perf_counter()
        scenario = read_scenario(path)
        read = time.perf_counter() - start
        start = time.perf_counter()
        operation = import_scenario(scenario, Path(path).name)  # commits on return
        imported = time.perf_counter() - start
        rows = sum(m.objects.filter(operation=operation).count() for m in (Region, Tps, Unit, Person, PatternRow))
        out.append({"read": read, "import": imported, "rows": rows})
    return out


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1:])))
