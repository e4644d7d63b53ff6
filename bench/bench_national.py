"""`siaga plan` stage by stage at growing sizes (issue 18 item 1): where a national run's time goes.

For each size (SIAGA_BENCH_SIZES, TPS, comma-separated; default 2,000, 10,000, 50,000 and 200,000;
add 820000 for the country, which takes minutes) the suite writes the generated scenario as a
folder of CSV files, then runs the stages of `siaga plan` in a child process, as the command runs
them, each timed on its own:

- the floor: pyarrow parses the same CSV files (the least any reader must spend);
- read: `read_scenario` (parse and validate every row);
- plan: `plan_all` with 2 workers (split into Polres, plan each in the pool, merge);
- check: the independent checker on the merged plan (0 violations required);
- write: the plan file.

Beside each stage's wall time, its CPU seconds: this process's and its finished children's (the
pool's workers end with the stage), the figure that holds on a machine others share.

Total memory is the sum of PSS (proportional set size: shared pages counted once) over the child
and every process it starts, sampled while it runs; the peak is reported. Each time is shown with
its ratio to the floor, and per 1,000 TPS, so linear growth reads as a constant column.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import Result
from siaga.core.data import generator

SIZES = [int(n) for n in os.environ.get("SIAGA_BENCH_SIZES", "2000,10000,50000,200000").split(",") if n]
ROOT = Path(__file__).resolve().parent.parent
STAGES = ("floor", "read", "plan", "check", "write")


def run(work: Path) -> list[Result]:
    results = []
    for tps in SIZES:
        folder = work / f"tps-{tps}"
        generator.write(folder, tps=tps, seed=1, indicators=True)
        stages, peak_gb = in_child(folder, work / f"plan-{tps}.json")
        floor = stages["floor"]
        note = f"CPU {stages['floor_cpu']:,.2f} s; {len(list(folder.glob('*.csv')))} CSV files"
        results.append(Result(f"{tps:,} TPS: the floor, pyarrow parses the CSV files", floor, "s", None, note))
        for name in STAGES[1:]:
            note = (
                f"{stages[name] / floor:,.1f}x the floor, {1000 * stages[name] / tps:,.3f} s per 1,000 TPS,"
                f" CPU {stages[name + '_cpu']:,.2f} s"
            )
            results.append(Result(f"{tps:,} TPS: {name}", stages[name], "s", None, note))
        total = sum(stages[name] for name in STAGES[1:])
        cpu = sum(stages[f"{name}_cpu"] for name in STAGES[1:])
        note = f"{total / floor:,.1f}x the floor; CPU {cpu:,.2f} s, {cpu / stages['floor_cpu']:,.0f}x the floor's CPU"
        target = 60.0 if tps >= generator.NATIONAL_TPS else None
        results.append(Result(f"{tps:,} TPS: read + plan + check + write", total, "s", target, note))
        memory_target = 6.0 if tps >= generator.NATIONAL_TPS else None
        results.append(Result(f"{tps:,} TPS: peak memory, PSS of all processes", peak_gb, "GB", memory_target))
        rules = ", ".join(f"{rule} {n}" for rule, n in stages["violation_rules"].items())
        results.append(Result(f"{tps:,} TPS: checker violations", stages["violations"], "", 0.0, rules))
    return results


def in_child(folder: Path, out: Path) -> tuple[dict[str, Any], float]:
    """The stages' seconds (and the violations) from a child process, and its peak total PSS."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_national", str(folder), str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], tree_pss_kb(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert child.stdout is not None
    output = child.stdout.read()
    code = child.wait()
    done.set()
    sampler.join()
    if code != 0:
        raise RuntimeError(f"the stages on {folder} failed")
    return json.loads(output), peak[0] * 1024 / 1e9


def tree_pss_kb(root: int) -> int:
    """The summed PSS, in kB, of `root` and its descendants (0 for those already gone)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _stages(folder: str, out: str) -> None:
    import pyarrow.csv

    from siaga.core.check import check_plan
    from siaga.core.data import planfile
    from siaga.core.data.scenario import read_scenario
    from siaga.core.planning import engine

    seconds: dict[str, float] = {}

    def stage(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        start, cpu = time.perf_counter(), _cpu()
        value = fn(*args, **kwargs)
        seconds[name], seconds[f"{name}_cpu"] = time.perf_counter() - start, _cpu() - cpu
        return value

    pyarrow.csv.read_csv(Path(folder) / "operation.csv")  # loads pyarrow's parser: not part of a parse
    stage("floor", lambda: [pyarrow.csv.read_csv(path) for path in sorted(Path(folder).glob("*.csv"))])
    scenario = stage("read", read_scenario, folder)
    plan = stage("plan", engine.plan_all, scenario, workers=2)
    violations = stage("check", check_plan, scenario, plan)
    stage("write", planfile.write_plan, plan, Path(out))
    rules = Counter(v.rule for v in violations)
    print(json.dumps(seconds | {"violations": len(violations), "violation_rules": dict(rules.most_common())}))


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    _stages(sys.argv[1], sys.argv[2])
