"""A Polda database on PostgreSQL (issue 18 item 5): 40 Polres operations of 2,000 TPS each in
one database, every operation planned and published with field records, then the server time
of the pages its people read (target < 300 ms each, median of 5 after one warm-up):

- the Polda dashboard, read by the Polda account (every Polres of the Polda, aggregated);
- every list page of one Polres (the 20th), read by that Polres's planner: its dashboard,
  TPS, personnel, units, regions, vulnerability, plans, the plan page, the plan's posts, the
  incident register, the field pages of the apel and the day (the apel's roll call, its
  readiness panel, the board, the escorts, the live dashboard, the incidents, the sarpras),
  the Linmas coordination, and the audit log read by its commander;
- the phone page of the day (plans/<pk>/phone/) as the post leader of one post opens it, and
  as the planner, who sees every post of the Polres in its list;
- the map's TPS data for the Polres's whole area.

And the import of a 100,000-TPS scenario into the same database (COPY; target < 30 s): the
store only, the scenario already read (reading is the national bench's `read` stage).

Runs in a child process on a fresh PostgreSQL database (dropped after), analysed after the
setup as autovacuum analyses a database in service (right after bulk inserts the planner has
no statistics yet); skipped when no PostgreSQL answers at postgres://postgres@127.0.0.1:5432.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import Result
from bench.bench_checkins import _drop_postgres, _fresh_postgres
from bench.bench_console import _median

ROOT = Path(__file__).resolve().parent.parent
POLRES = int(os.environ.get("SIAGA_BENCH_POLRES", "40"))
TPS = 2_000
BIG_IMPORT = int(os.environ.get("SIAGA_BENCH_IMPORT_TPS", "100000"))
TARGET_MS = 300.0
DB = "siaga_bench_polda"


# Parts no list target holds: the plan page's reasons for its empty places, which it loads after
# itself (they read the whole operation: every person of the force, once for each group).
NO_TARGET = frozenset({"plan page: why places are empty (loaded after the page)"})


def run(work: Path) -> list[Result]:
    url = _fresh_postgres(DB)
    if url is None:
        return [Result("Polda database: PostgreSQL not available, skipped", 0.0, "", None)]
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="siaga.web.settings", SIAGA_POLDA_DATABASE="1")
    env["SIAGA_MEDIA_ROOT"] = str(work / "media")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.bench_polda"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
    finally:
        _drop_postgres(DB)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    found = json.loads(done.stdout.strip().splitlines()[-1])
    setup = found.pop("_setup")
    imported = found.pop("_import")
    note = f"{POLRES} Polres x {TPS:,} TPS = {POLRES * TPS:,} TPS, median of 5"
    results = [
        Result(f"{page}", seconds * 1000, "ms", None if page in NO_TARGET else TARGET_MS, note)
        for page, seconds in found.items()
    ]
    results.append(
        Result(
            f"import {BIG_IMPORT:,} TPS (COPY)",
            imported["seconds"],
            "s",
            30.0,
            f"{imported['rows']:,} rows; the Polda database set up in {setup:,.0f} s",
        )
    )
    return results


def _measure() -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from siaga.accounts.models import Profile, Role
    from siaga.core.data import generator
    from siaga.core.planning.engine import plan_all
    from siaga.field.models import CheckIn, Incident
    from siaga.operations.management.commands.demo import post_leader
    from siaga.operations.models import Operation
    from siaga.operations.services import import_scenario, scenario_for
    from siaga.plans.models import Plan
    from siaga.plans.services import save_plan

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    names = ("a", "b", "c", "d")
    users = {name: get_user_model().objects.create_user(name, password="bench-siaga-2024") for name in names}
    scenario = generator.generate(TPS, seed=1, indicators=True)
    core_plan = plan_all(scenario)
    chosen: Any = None
    from dataclasses import replace

    for number in range(1, POLRES + 1):
        own = replace(scenario.operation, name=f"Pam Pemilu 2024 Polres Uji {number:02d}")
        operation = import_scenario(replace(scenario, operation=own), f"polres-{number}.xlsx")
        Operation.objects.filter(pk=operation.pk).update(
            polres_code=f"POLRES-UJI-{number:02d}", polres_name=f"Polres Uji {number:02d}", polda="JAWA TIMUR"
        )
        plan = save_plan(operation, core_plan, scenario_for(operation), users["a"])
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PUBLISHED)
        people = list(plan.assignments.values_list("person_code", flat=True)[:: 2 + number % 3])
        CheckIn.objects.bulk_create(
            CheckIn(operation_id=operation.pk, person_code=code, method="list", key=f"b-{number}-{code}")
            for code in people
        )
        kecamatan = plan.posts.values_list("kecamatan_code", flat=True).first() or ""
        Incident.objects.bulk_create(
            Incident(
                operation_id=operation.pk, kind="bentrok", severity=2, kecamatan_code=kecamatan, key=f"i-{number}-{n}"
            )
            for n in range(number % 4)
        )
        if number == min(20, POLRES):
            chosen = (operation, plan)
    setup = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:  # the statistics autovacuum keeps on a database in service
        cursor.execute("ANALYZE")
    operation, plan = chosen
    Profile.objects.create(user=users["a"], role=Role.PLANNER, polres_code=f"POLRES-UJI-{min(20, POLRES):02d}")
    Profile.objects.create(user=users["b"], role=Role.COMMANDER, polres_code=f"POLRES-UJI-{min(20, POLRES):02d}")
    Profile.objects.create(user=users["c"], role=Role.POLDA, polda="JAWA TIMUR")
    leader = post_leader(plan, plan.posts.order_by("code").values_list("kecamatan_code", flat=True).first() or "")
    assert leader is not None
    chosen_polres = f"POLRES-UJI-{min(20, POLRES):02d}"
    Profile.objects.create(user=users["d"], role=Role.FIELD_OFFICER, polres_code=chosen_polres, person_code=leader.code)
    planner, commander, polda, field = Client(), Client(), Client(), Client()
    for client, name in ((planner, "a"), (commander, "b"), (polda, "c"), (field, "d")):
        assert client.login(username=name, password="bench-siaga-2024")
    op, pl = operation.pk, plan.pk
    someone = plan.assignments.order_by("person_code").values_list("person_code", flat=True).first()
    pages = {
        "Polda dashboard (Polda)": (polda, "/polda/"),
        "Polres dashboard": (planner, f"/ops/{op}/"),
        "TPS list": (planner, f"/ops/{op}/tps/"),
        "personnel list": (planner, f"/ops/{op}/personnel/"),
        "units list": (planner, f"/ops/{op}/units/"),
        "regions list": (planner, f"/ops/{op}/regions/"),
        "vulnerability": (planner, f"/ops/{op}/vulnerability/"),
        "plan list": (planner, f"/plans/ops/{op}/"),
        "plan page": (planner, f"/plans/{pl}/"),
        "plan posts": (planner, f"/plans/{pl}/posts/"),
        "plan page: why places are empty (loaded after the page)": (planner, f"/plans/{pl}/empty-why/"),
        "person page (a person on a post)": (planner, f"/plans/{pl}/person/{someone}/"),
        "incident register": (planner, f"/plans/{pl}/incidents/register/"),
        "apel roll call": (planner, f"/plans/{pl}/apel/"),
        "apel readiness (polled)": (planner, f"/plans/{pl}/apel/readiness/"),
        "field board": (planner, f"/plans/{pl}/board/"),
        "escorts": (planner, f"/plans/{pl}/escorts/"),
        "live dashboard": (planner, f"/plans/{pl}/live/"),
        "incidents": (planner, f"/plans/{pl}/incidents/"),
        "sarpras": (planner, f"/plans/{pl}/sarpras/"),
        "Linmas coordination": (planner, f"/ops/{op}/linmas/"),
        "audit log (commander)": (commander, "/audit/"),
        "map TPS data": (planner, f"/ops/{op}/geo/tps.geojson"),
        "phone page (post leader of one post)": (field, f"/plans/{pl}/phone/"),
        "phone page (planner: every post)": (planner, f"/plans/{pl}/phone/"),
    }
    out: dict[str, Any] = {page: _median(client, url, 5) for page, (client, url) in pages.items()}
    out["_setup"] = setup
    big = generator.generate(BIG_IMPORT, seed=7, indicators=True)
    start = time.perf_counter()
    import_scenario(big, "nasional.xlsx")
    rows = len(big.tps) + len(big.personnel) + len(big.regions)
    out["_import"] = {"seconds": time.perf_counter() - start, "rows": rows}
    return out


if __name__ == "__main__":
    print(json.dumps(_measure()))
