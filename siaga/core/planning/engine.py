"""Planning many Polres at once: each kabupaten independently, then one merged plan.

`--engine local` runs the parts in a process pool (the parts are handed to forked workers,
not pickled); `--engine dask` sends them to a Dask cluster (a LocalCluster when no scheduler
address is given; needs the `siaga[dask]` extra). Both give the same plan as planning each
part in turn.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from siaga.core.data.model import Category, Plan, Scenario
from siaga.core.planning import polres
from siaga.core.planning.plan import plan, replan
from siaga.core.planning.risk import RiskModel

_PARTS: dict[str, Scenario] = {}
_MODEL: RiskModel | None = None


def plan_all(
    scenario: Scenario,
    model: RiskModel | None = None,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Plan every Polres of the scenario and merge; one Polres is planned directly."""
    parts = polres.split(scenario)
    if len(parts) == 1:
        return plan(scenario, model)
    # The scenario's millions of objects live until the end: keep the cyclic collector off
    # them (in forked workers too, where scanning them would also copy their pages).
    gc.collect()
    gc.freeze()
    codes = list(parts)
    if engine == "dask":
        plans = _dask(parts, model, scheduler, workers)
    elif engine == "local":
        plans = _local(parts, model, workers or os.cpu_count() or 1, progress)
    else:
        raise ValueError(f"unknown engine {engine!r}: use local or dask")
    return merge(scenario, [plans[k] for k in codes])


def _plan_part(code: str) -> tuple[str, Plan]:
    return code, plan(_PARTS[code], _MODEL, reserve_time_limit_s=5.0)


def _local(
    parts: dict[str, Scenario], model: RiskModel | None, workers: int, progress: Callable[[int, int], None] | None
) -> dict[str, Plan]:
    global _MODEL
    _PARTS.clear()
    _PARTS.update(parts)
    _MODEL = model
    done: dict[str, Plan] = {}
    try:
        if workers <= 1:
            results: Iterable[tuple[str, Plan]] = map(_plan_part, parts)
            for code, p in results:
                done[code] = p
                if progress:
                    progress(len(done), len(parts))
            return done
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for code, p in pool.map(_plan_part, parts, chunksize=2):
                done[code] = p
                if progress:
                    progress(len(done), len(parts))
    finally:
        _PARTS.clear()
    return done


def _dask(
    parts: dict[str, Scenario], model: RiskModel | None, scheduler: str | None, workers: int | None
) -> dict[str, Plan]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # the optional extra is not installed
        raise RuntimeError("Dask tidak terpasang: pasang 'siaga[dask]' / install the siaga[dask] extra") from exc
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        futures = {code: client.submit(plan, part, model, 5.0, key=f"plan-{code}") for code, part in parts.items()}
        return {code: f.result() for code, f in futures.items()}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def replan_all(
    scenario: Scenario,
    previous: Plan,
    absent: Iterable[str] = (),
    category_changes: Mapping[str, Category] | None = None,
) -> Plan:
    """Re-plan every Polres against its part of the previous plan, and merge."""
    parts = polres.split(scenario)
    if len(parts) == 1:
        return replan(scenario, previous, absent, category_changes)
    gone = list(absent)
    plans = [replan(part, _part_of(previous, part), gone, category_changes) for part in parts.values()]
    merged = merge(scenario, plans)
    steps = [p.extra["replan"] for p in plans]
    combined = {
        "absent": sorted({a for s in steps for a in s["absent"]}),
        "category_changes": {k: v for s in steps for k, v in s["category_changes"].items()},
        "moved": sum(s["moved"] for s in steps),
        "kept": sum(s["kept"] for s in steps),
    }
    return replace(merged, extra={**merged.extra, "replan": combined})


def _part_of(plan_: Plan, part: Scenario) -> Plan:
    """The posts, assignments and categories of one Polres in a merged plan."""
    desa = {r.code for r in part.regions}
    units = {u.code for u in part.units}
    posts = tuple(
        p
        for p in plan_.posts
        if (p.desa_code in desa if p.kind != "RESERVE" else p.id.removeprefix("RESERVE-").rsplit("-", 1)[0] in units)
    )
    ids = {p.id for p in posts}
    tps = {t.id for t in part.tps}
    return replace(
        plan_,
        posts=posts,
        assignments=tuple(a for a in plan_.assignments if a.post in ids),
        unfilled=tuple(u for u in plan_.unfilled if u.post in ids),
        tps_categories={k: v for k, v in plan_.tps_categories.items() if k in tps},
    )


def merge(scenario: Scenario, plans: list[Plan]) -> Plan:
    """One plan from the plans of disjoint parts: lists joined, figures added up."""
    summary: Counter[str] = Counter()
    for p in plans:
        summary.update({k: v for k, v in p.summary.items()})
    summary["persons"] = len(scenario.personnel)
    summary["idle"] = len(scenario.personnel) - summary["assigned"]
    shortfall: dict[str, Counter[str]] = {}
    below: dict[str, object] = {}
    timings: Counter[str] = Counter()
    warnings: list[str] = []
    for p in plans:
        for key, value in dict(p.extra.get("shortfall", {})).items():
            if key == "tps_below_pattern":
                below.update(value)
            else:
                shortfall.setdefault(key, Counter()).update(value)
        timings.update(dict(p.extra.get("timings_ms", {})))
        warnings += [w for w in p.extra.get("warnings", []) if w not in warnings]
    return Plan(
        operation=scenario.operation.name,
        pattern=scenario.operation.pattern,
        tps_categories={k: v for p in plans for k, v in p.tps_categories.items()},
        posts=tuple(post for p in plans for post in p.posts),
        assignments=tuple(a for p in plans for a in p.assignments),
        unfilled=tuple(u for p in plans for u in p.unfilled),
        summary={k: round(v, 6) if isinstance(v, float) else v for k, v in summary.items()},
        extra={
            "warnings": warnings,
            "polres": len(plans),
            "post_floor": sum(int(p.extra.get("post_floor", 0)) for p in plans),
            "post_minimum": sum(int(p.extra.get("post_minimum", 0)) for p in plans),
            "tps_posts": sum(int(p.extra.get("tps_posts", 0)) for p in plans),
            "reserve": {
                "teams": sum(dict(p.extra.get("reserve", {})).get("teams", 0) for p in plans),
                "upper_bound": sum(dict(p.extra.get("reserve", {})).get("upper_bound", 0) for p in plans),
                "method": "per polres",
            },
            "shortfall": {**{k: dict(v) for k, v in shortfall.items()}, "tps_below_pattern": below},
            "timings_ms_summed_over_polres": dict(timings),
        },
    )
