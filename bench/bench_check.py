"""The independent checker on a national plan, as `siaga check` runs it.

Target (issue 10): the checker on a national plan (820,000 TPS) under 10 s; before, its
reserve-coverage rule compared every TPS with every team (279 CPU-s). The suite writes the
national scenario with `siaga scenario generate --tps N --indicators`, plans it with
`siaga plan --workers 2`, then times `siaga check` as a whole command (read the scenario and
the plan, check) and, in a child process, each of its parts. Nothing is committed: the files
live in the suite's work folder under bench/out.

SIAGA_BENCH_TPS scales the size down (e.g. 200000). SIAGA_BENCH_CHECK_FROM=DIR reuses a folder
holding `national/` and `plan.json` from an earlier run instead of generating and planning.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import Result
from siaga.core.data import generator

NATIONAL_TPS = int(os.environ.get("SIAGA_BENCH_TPS", generator.NATIONAL_TPS))
ROOT = Path(__file__).resolve().parent.parent
SIAGA = [str(Path(sys.executable).parent / "siaga")]  # the installed command, as a user runs it


def run(work: Path) -> list[Result]:
    results = []
    reuse = os.environ.get("SIAGA_BENCH_CHECK_FROM")
    folder = Path(reuse) if reuse else work
    scenario, plan = folder / "national", folder / "plan.json"
    if not reuse:
        seconds, _ = command(*SIAGA, "scenario", "generate", "--out", scenario, "--tps", NATIONAL_TPS, "--indicators")
        results.append(Result("siaga scenario generate", seconds, "s", None, f"{NATIONAL_TPS:,} TPS"))
        seconds, _ = command(*SIAGA, "plan", scenario, "--out", plan, "--workers", 2)
        results.append(Result("siaga plan (2 workers)", seconds, "s", None, "checker included"))
    seconds, peak = command(*SIAGA, "check", scenario, plan)
    results.append(Result("siaga check, whole command", seconds, "s", None, f"peak {peak:.1f} GB"))
    parts = in_child(scenario, plan)
    note = f"{parts['tps']:,} TPS, {parts['persons']:,} persons, {parts['assignments']:,} assignments"
    results.append(Result("  read the scenario", parts["read_scenario_s"], "s", None, ""))
    results.append(Result("  read the plan", parts["read_plan_s"], "s", None, ""))
    results.append(Result("  the checker (check_plan)", parts["check_s"], "s", 10.0, note))
    results.append(Result("  the checker, CPU", parts["check_cpu_s"], "s", None, "process time"))
    results.append(Result("  the reserve-coverage rule", parts["coverage_s"], "s", None, "grid index"))
    results.append(Result("checker violations", parts["violations"], "", 0.0, ""))
    return results


def command(*args: object) -> tuple[float, float]:
    """Wall seconds of one command (exit 0 required) and its peak memory in GB."""
    start = time.perf_counter()
    child = subprocess.Popen([str(a) for a in args], cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed")
    return seconds, usage.ru_maxrss * 1024 / 1e9


def in_child(scenario: Path, plan: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_check", str(scenario), str(plan)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def _parts(scenario_path: str, plan_path: str) -> None:
    from siaga.core.check import check_plan
    from siaga.core.check.facts import Facts
    from siaga.core.data.planfile import read_plan
    from siaga.core.data.scenario import read_scenario

    start = time.perf_counter()
    scenario = read_scenario(scenario_path)
    read_scenario_s = time.perf_counter() - start
    start = time.perf_counter()
    plan = read_plan(Path(plan_path))
    read_plan_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    violations = check_plan(scenario, plan)
    check_s, check_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    facts = Facts(scenario, plan, None)
    facts.jurisdiction, facts.post_polres  # noqa: B018 (what the coverage rule needs first)
    start = time.perf_counter()
    facts.reserve_coverage  # noqa: B018
    coverage_s = time.perf_counter() - start
    print(
        json.dumps(
            {
                "read_scenario_s": read_scenario_s,
                "read_plan_s": read_plan_s,
                "check_s": check_s,
                "check_cpu_s": check_cpu_s,
                "coverage_s": coverage_s,
                "violations": len(violations),
                "tps": len(scenario.tps),
                "persons": len(scenario.personnel),
                "assignments": len(plan.assignments),
            }
        )
    )


if __name__ == "__main__":
    _parts(sys.argv[1], sys.argv[2])
