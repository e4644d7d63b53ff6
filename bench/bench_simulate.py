"""The election-day stress test (issue 13): `siaga simulate` for 1,000 days of a 2,000-TPS
regency in under 10 s, the whole command (read the workbook and the plan, draw, dispatch,
print); and the demo."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from bench import Result, command_seconds
from siaga.core.data import demo, generator, planfile
from siaga.core.data.scenario import write_scenario
from siaga.core.planning.plan import plan

ROOT = Path(__file__).resolve().parent.parent
DAYS = 1_000


def run(work: Path) -> list[Result]:
    results = []
    for name, scenario in (
        ("demo", demo.pasuruan_kota()),
        ("regency 2,000 TPS", generator.generate(2000, seed=1, indicators=True)),
    ):
        book, plan_file, report = (
            work / f"{len(scenario.tps)}.xlsx",
            work / f"{len(scenario.tps)}.json",
            work / "report.json",
        )
        write_scenario(scenario, book)
        planfile.write_plan(plan(scenario), plan_file)
        command = [
            str(Path(sys.executable).parent / "siaga"),
            "simulate",
            str(book),
            str(plan_file),
            "--runs",
            str(DAYS),
            "--out",
            str(report),
        ]
        runs = command_seconds(command, ROOT)
        data = json.loads(report.read_text(encoding="utf-8"))
        note = f"median of 3; {data['dispatched']:,} dispatches, p90 {data['response_minutes']['p90']} min"
        results.append(Result(f"siaga simulate {DAYS:,} days, {name}", statistics.median(runs), "s", 10.0, note))
    return results
