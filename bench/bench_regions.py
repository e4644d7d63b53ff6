"""The Kemendagri region list of the whole country into an operation, file to committed rows:
a generated list of 91,600 rows in Kemendagri's shape (38 provinsi, 514 kabupaten/kota, 7,277
kecamatan, the rest desa and kelurahan, desa adat among them; the Pasuruan Kota demo's own
regions inside it) read with `kemendagri.regions_scenario` against the demo operation, then
stored with `operations.services.import_scenario` as its next data version, on SQLite and on
PostgreSQL when it answers at postgres://postgres@127.0.0.1:5432 (a fresh database, dropped
afterwards). Reported only (no target): read seconds, store seconds, and their sum.

Each database is measured in a child process (its own Django settings); the list is written
once, before any clock starts.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import Result
from bench.bench_checkins import _drop_postgres, _fresh_postgres

ROOT = Path(__file__).resolve().parent.parent
ROWS = 91_600
PROVINCES, REGENCIES, KECAMATAN = 38, 514, 7_277


def write_list(path: Path, rows: int = ROWS) -> int:
    """A Kemendagri-shaped list of `rows` rows holding the demo's regions; the rows written."""
    from siaga.core.data import demo

    own = [("35", "JAWA TIMUR")] + [(r.code, r.name) for r in demo.pasuruan_kota().regions]
    taken = {code for code, _name in own}
    out = list(own)
    provinces = [f"{11 + p:02d}" for p in range(PROVINCES)]
    regencies = [(provinces[i % PROVINCES], 1 + i // PROVINCES) for i in range(REGENCIES)]
    regency_codes = [f"{p}.{(n if n <= 10 else 60 + n):02d}" for p, n in regencies]  # 71 and up: kota
    kecamatan = [f"{regency_codes[i % REGENCIES]}.{1 + i // REGENCIES:02d}" for i in range(KECAMATAN)]
    parents = [c for c in provinces + regency_codes + kecamatan if c not in taken]
    out += [(code, f"Wilayah {code}") for code in parents]
    taken.update(parents)
    desa = rows - len(out)
    for i in range(desa):
        parent = kecamatan[i % KECAMATAN]
        n = 1 + i // KECAMATAN
        kind = "1" if parent.split(".")[1] >= "71" else ("3" if n % 50 == 0 else "2")
        code = f"{parent}.{kind}{n:03d}"
        if code not in taken:
            out.append((code, f"Desa {n} ({parent})" if kind != "1" else f"Kel. Ma'{n}"))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["kode", "nama"])
        writer.writerows(out)
    return len(out)


def run(work: Path) -> list[Result]:
    path = work / "wilayah-kemendagri.csv"
    rows = write_list(path)
    results = _measure_in_child(work, "SQLite", {"SIAGA_SQLITE": str(work / "regions.sqlite3")}, path, rows)
    name = f"siaga_bench_regions_{os.getpid()}"
    url = _fresh_postgres(name)
    if url is not None:
        try:
            results += _measure_in_child(work, "PostgreSQL", {"DATABASE_URL": url}, path, rows)
        finally:
            _drop_postgres(name)
    return results


def _measure_in_child(work: Path, label: str, db_env: dict[str, str], path: Path, rows: int) -> list[Result]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("SIAGA_")}
    env |= db_env | {"DJANGO_SETTINGS_MODULE": "siaga.web.settings", "SIAGA_MEDIA_ROOT": str(work / "media")}
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_regions", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    t = json.loads(done.stdout.strip().splitlines()[-1])
    note = f"{rows:,} rows, {t['stored']:,} regions stored"
    return [
        Result(f"{label}: read and check the Kemendagri list", t["read"], "s", None, note),
        Result(f"{label}: store the regions (new data version)", t["store"], "s"),
        Result(f"{label}: file to committed rows, {rows:,} rows", t["read"] + t["store"], "s"),
    ]


def _measure(path: str) -> dict[str, float]:
    """In the child: migrate, import the demo, then read and store the list; seconds."""
    import django

    django.setup()
    from django.core.management import call_command

    from siaga.core.data import demo
    from siaga.core.data.kemendagri import regions_scenario
    from siaga.operations.models import Region
    from siaga.operations.services import import_scenario, scenario_for

    call_command("migrate", verbosity=0)
    operation = import_scenario(demo.pasuruan_kota(), "demo.xlsx")
    start = time.perf_counter()
    scenario, _read, _dropped = regions_scenario(scenario_for(operation), path)
    read = time.perf_counter() - start
    start = time.perf_counter()
    operation = import_scenario(scenario, Path(path).name)  # commits on return
    store = time.perf_counter() - start
    return {"read": read, "store": store, "stored": Region.objects.filter(operation=operation).count()}


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1])))
