"""Planning many Polres at once: each part planned independently, then one merged plan.

An engine runs one task over the parts of a run (`Engine.run`): `LocalEngine` in a process
pool on this machine, `DaskEngine` on a Dask cluster (`siaga[dask]`). Every engine keeps the
same contract, and the merged plan is the same, byte for byte, whichever engine made it:

- each part (a Polres's scenario and the task's other arguments) is sent to a worker; the
  worker needs nothing from the parent's memory;
- progress is reported as parts complete, in whatever order they complete;
- a part that fails is tried once more (`RETRIES`); when it fails again the run stops with an
  `EngineError` naming the Polres;
- a run's tasks are its own (Dask keys carry a fresh run id), so runs sharing a scheduler
  never get each other's plans;
- every process a run starts ends with the run.

Scenarios and plans cross between processes with their long tuples of records (people, TPS,
assignments, posts) as columns (`_pack`): a slotted frozen dataclass unpickles one field at a
time in Python, several times slower than building it from its values.

`plan_all` and `replan_all` are the front functions; `engine` picks the backend by name
("local", "dask") or takes an `Engine`.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass, replace
from multiprocessing import resource_tracker
from operator import attrgetter
from typing import Any, Protocol

from siaga.core.data.model import Category, Plan, Scenario
from siaga.core.data.text import TranslatedError, gettext_noop
from siaga.core.planning import polres
from siaga.core.planning.plan import plan, replan, travel_report
from siaga.core.planning.risk import RiskModel

RETRIES = 1  # a failed part is tried this many more times before the run fails

Progress = Callable[[int, int], None]  # (parts done, parts in all)
Task = Callable[..., Plan]  # a module-level function, so workers can import it by name
Parts = Mapping[str, tuple[Any, ...]]  # Polres code -> the task's arguments for that Polres


class EngineError(TranslatedError, RuntimeError):
    """A run that could not finish; the message names the Polres whose part failed."""


class UnknownEngine(TranslatedError, ValueError):
    """An engine name other than local or dask."""


def failure(code: str, attempts: int, exc: BaseException) -> EngineError:
    return EngineError(
        gettext_noop("Polres %(code)s: rencana gagal setelah %(attempts)s percobaan: %(error)s"),
        code=code,
        attempts=attempts,
        error=f"{type(exc).__name__}: {exc}",
    )


class Engine(Protocol):
    """Runs `task(*parts[code])` for every code and returns the plans by code.

    Contract: progress(done, total) after each part; a failing part is retried `RETRIES`
    times, then `EngineError` naming the Polres; no process started by the run outlives it;
    concurrent runs (threads, or clients of one scheduler) never mix their results.
    """

    def run(self, task: Task, parts: Parts, progress: Progress | None = None) -> dict[str, Plan]: ...


# ---------------------------------------------------------------- the front functions


def plan_all(
    scenario: Scenario,
    model: RiskModel | None = None,
    engine: str | Engine = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Plan every Polres of the scenario on the engine and merge, in the order of the split.

    One Polres is planned as it is (the plan `plan(scenario, model)` gives).
    """
    parts = polres.split(scenario)
    backend = make_engine(engine, workers, scheduler)
    with _frozen_heap():
        plans = backend.run(plan_part, {code: (part, model) for code, part in parts.items()}, progress)
    if len(parts) == 1:
        return plans[next(iter(parts))]
    return merge(scenario, [plans[code] for code in parts])


def replan_all(
    scenario: Scenario,
    previous: Plan,
    absent: Iterable[str] = (),
    category_changes: Mapping[str, Category] | None = None,
    engine: str | Engine = "local",
    workers: int | None = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    newcomers: bool = True,
) -> Plan:
    """Re-plan every Polres against its part of the previous plan on the engine, and merge.

    A re-plan takes milliseconds per Polres, so by default it runs in this process
    (`workers=1`); pass `workers` or an engine to spread a national re-plan. `newcomers`:
    as `plan.replan`'s.
    """
    parts = polres.split(scenario)
    gone = sorted(set(absent))
    changes = dict(category_changes or {})
    if len(parts) == 1:
        args = {code: (part, previous, gone, changes, newcomers) for code, part in parts.items()}
    else:  # each Polres gets its part of the previous plan and the changes of its own TPS
        args = {
            code: (
                part,
                _part_of(previous, part),
                gone,
                {t.id: changes[t.id] for t in part.tps if t.id in changes},
                newcomers,
            )
            for code, part in parts.items()
        }
    backend = make_engine(engine, workers, scheduler)
    with _frozen_heap():
        done = backend.run(replan_part, args, progress)
    if len(parts) == 1:
        return done[next(iter(parts))]
    plans = [done[code] for code in parts]
    merged = merge(scenario, plans)
    steps = [p.extra["replan"] for p in plans]
    combined = {
        "absent": sorted({a for s in steps for a in s["absent"]}),
        "category_changes": {k: v for s in steps for k, v in s["category_changes"].items()},
        "moved": sum(s["moved"] for s in steps),
        "kept": sum(s["kept"] for s in steps),
    }
    return replace(merged, extra={**merged.extra, "replan": combined})


def plan_part(part: Scenario, model: RiskModel | None) -> Plan:
    """The task of `plan_all`: one Polres's plan."""
    return plan(part, model)


def replan_part(
    part: Scenario,
    previous: Plan,
    absent: list[str],
    category_changes: Mapping[str, Category],
    newcomers: bool = True,
) -> Plan:
    """The task of `replan_all`: one Polres's re-plan against its part of the previous plan."""
    return replan(part, previous, absent, category_changes, newcomers)


def make_engine(engine: str | Engine, workers: int | None = None, scheduler: str | None = None) -> Engine:
    """The engine by name ("local", "dask"), or the engine given."""
    if not isinstance(engine, str):
        return engine
    if engine == "local":
        return LocalEngine(workers)
    if engine == "dask":
        return DaskEngine(scheduler, workers)
    raise UnknownEngine(gettext_noop("mesin %(engine)s tidak dikenal: local atau dask"), engine=repr(engine))


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """The scenario's millions of objects live through the run: keep the cyclic collector off
    them while the plans come back (a national run allocates millions more). No collection
    first: freezing is instant, a full collection is not (tens of milliseconds of a demo's
    `siaga plan`), and whatever garbage is frozen is collected after `unfreeze`."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# ---------------------------------------------------------------- the local engine


@dataclass(frozen=True)
class LocalEngine:
    """A process pool on this machine: `workers` processes (the CPU count when None).

    Workers are spawned, not forked, so a run is safe from a threaded parent (a web job, a
    Dask client) and workers hold only the parts sent to them. One worker, or one part,
    runs in this process. A worker that dies breaks the pool: a new pool takes the parts
    left, and each of them counts the break as one failed attempt.
    """

    workers: int | None = None

    def run(self, task: Task, parts: Parts, progress: Progress | None = None) -> dict[str, Plan]:
        workers = min(self.workers or os.cpu_count() or 1, len(parts))
        if workers <= 1:
            return _in_process(task, parts, progress)
        with _owned_processes():
            return _in_pool(task, parts, workers, progress)


def _in_process(task: Task, parts: Parts, progress: Progress | None) -> dict[str, Plan]:
    done: dict[str, Plan] = {}
    for code, args in parts.items():
        for attempt in range(RETRIES + 1):
            try:
                done[code] = task(*args)
                break
            except Exception as exc:
                if attempt == RETRIES:
                    raise failure(code, attempt + 1, exc) from exc
        if progress:
            progress(len(done), len(parts))
    return done


def _in_pool(task: Task, parts: Parts, workers: int, progress: Progress | None) -> dict[str, Plan]:
    done: dict[str, Plan] = {}
    failed: Counter[str] = Counter()
    while len(done) < len(parts):
        left = [code for code in parts if code not in done]
        pool = ProcessPoolExecutor(min(workers, len(left)), mp_context=multiprocessing.get_context("spawn"))
        try:
            sent = {code: _packed_args(parts[code]) for code in left}
            running: dict[Future[Any], str] = {pool.submit(_call_packed, task, *sent[code]): code for code in left}
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    code = running.pop(future)
                    exc = future.exception()
                    if exc is None:
                        done[code] = _unpack(future.result())
                        if progress:
                            progress(len(done), len(parts))
                        continue
                    failed[code] += 1
                    if failed[code] > RETRIES:
                        raise failure(code, failed[code], exc) from exc
                    if isinstance(exc, BrokenProcessPool):
                        continue  # the pool is gone: the next pool takes this part
                    try:
                        running[pool.submit(_call_packed, task, *sent[code])] = code
                    except BrokenProcessPool:
                        continue  # broken meanwhile: the next pool takes it
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return done


# The resource tracker: Python starts one helper process per interpreter the first time a
# spawned pool or cluster needs named semaphores, and leaves it running. A run that started
# it stops it when the last run of this process that may use it ends.
_owners_lock = threading.Lock()
_owners = 0
_tracker_was_ours = False


@contextmanager
def _owned_processes() -> Iterator[None]:
    """Every process started inside ends with it (the run's own pool or cluster ends itself)."""
    global _owners, _tracker_was_ours
    with _owners_lock:
        if _owners == 0:
            _tracker_was_ours = getattr(resource_tracker._resource_tracker, "_pid", None) is None
        _owners += 1
    try:
        yield
    finally:
        with _owners_lock:
            _owners -= 1
            if _owners == 0 and _tracker_was_ours:
                gc.collect()  # the pool's semaphores are unregistered as they are collected
                stop = getattr(resource_tracker._resource_tracker, "_stop", None)  # private, in 3.11 and since
                if stop is not None:
                    stop()


# ---------------------------------------------------------------- the Dask engine


@dataclass(frozen=True)
class DaskEngine:
    """A Dask cluster: the scheduler at `scheduler`, or a LocalCluster of `workers` processes
    (the CPU count when None) made for the run and closed after it.

    Each part is one task keyed `siaga-<task>-<polres>-<run id>`, sent with its part and
    `retries=RETRIES`; a worker that dies has its tasks rescheduled by the scheduler too.
    Workers need the same `siaga[dask]` install as the client (docs/scale.md).
    """

    scheduler: str | None = None
    workers: int | None = None

    def run(self, task: Task, parts: Parts, progress: Progress | None = None) -> dict[str, Plan]:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # the optional extra is not installed
            raise EngineError(gettext_noop("Dask tidak terpasang: pasang 'siaga[dask]'")) from exc
        if self.scheduler:
            with Client(self.scheduler, set_as_default=False) as client:
                return _on_dask(client, task, parts, progress)
        with (
            _owned_processes(),
            LocalCluster(
                n_workers=self.workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address="127.0.0.1:0",  # its HTTP server on a free port, on this machine only
            ) as cluster,
            Client(cluster, set_as_default=False) as client,
        ):
            return _on_dask(client, task, parts, progress)


def _on_dask(client: Any, task: Task, parts: Parts, progress: Progress | None) -> dict[str, Plan]:
    from dask.distributed import as_completed

    run = uuid.uuid4().hex
    name = getattr(task, "__name__", "task").replace("_", "-")
    futures = {
        client.submit(
            _call_packed, task, *_packed_args(args), key=f"siaga-{name}-{code}-{run}", retries=RETRIES, pure=False
        ): code
        for code, args in parts.items()
    }
    done: dict[str, Plan] = {}
    try:
        for future in as_completed(futures, loop=client.loop):
            code = futures[future]
            try:
                done[code] = _unpack(future.result())
            except Exception as exc:
                raise failure(code, RETRIES + 1, exc) from exc
            if progress:
                progress(len(done), len(parts))
    finally:
        client.cancel(list(futures))
    return done


# ---------------------------------------------------------------- records as columns


@dataclass(frozen=True)
class _Rows:
    """A tuple of records of one dataclass, as a column per field (in the order of the fields)."""

    kind: type[Any]
    columns: tuple[tuple[Any, ...], ...]

    def records(self) -> tuple[Any, ...]:
        return tuple(map(self.kind, *self.columns))


@dataclass(frozen=True)
class _Packed:
    """A dataclass instance whose tuples of records are `_Rows` (`_pack`)."""

    kind: type[Any]
    values: tuple[Any, ...]


def _pack(value: Any) -> Any:
    """A dataclass instance (a scenario, a plan) with each of its tuples of records of one
    dataclass as columns; anything else as it is. `_unpack` gives back an equal value."""
    if not _plain(value):
        return value
    return _Packed(type(value), tuple(_rows(getattr(value, f.name)) for f in fields(value)))


def _unpack(value: Any) -> Any:
    if not isinstance(value, _Packed):
        return value
    return value.kind(*(v.records() if isinstance(v, _Rows) else v for v in value.values))


def _rows(value: Any) -> Any:
    if not isinstance(value, tuple) or not value or not _plain(value[0]):
        return value
    kind = type(value[0])
    names = [f.name for f in fields(kind)]
    if len(names) < 2 or any(type(v) is not kind for v in value):
        return value
    return _Rows(kind, tuple(zip(*map(attrgetter(*names), value), strict=True)))


def _plain(value: Any) -> bool:
    """A dataclass instance its class rebuilds from its fields' values, in order."""
    return is_dataclass(value) and not isinstance(value, type) and all(f.init for f in fields(value))


def _packed_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(_pack(a) for a in args)


def _call_packed(task: Task, *args: Any) -> Any:
    """In a worker: `task` on the arguments as sent (`_pack`), its result packed to go back."""
    return _pack(task(*(_unpack(a) for a in args)))


# ---------------------------------------------------------------- parts and the merge


def _part_of(plan_: Plan, part: Scenario) -> Plan:
    """The posts, assignments and categories of one Polres in a merged plan."""
    desa = {r.code for r in part.regions}
    units = {u.code for u in part.units}
    posts = tuple(
        p
        for p in plan_.posts
        if (
            (p.desa_code or p.kecamatan_code) in desa  # a STANDBY post serves a kecamatan, not a desa
            if p.kind != "RESERVE"
            else p.id.removeprefix("RESERVE-").rsplit("-", 1)[0] in units
        )
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
    warnings: list[str] = []
    warning_messages: list[dict[str, object]] = []
    for p in plans:
        for key, value in dict(p.extra.get("shortfall", {})).items():
            if key == "tps_below_pattern":
                below.update(value)
            else:
                shortfall.setdefault(key, Counter()).update(value)
        warnings += [w for w in p.extra.get("warnings", []) if w not in warnings]
        warning_messages += [w for w in p.extra.get("warning_messages", []) if w not in warning_messages]
    organisation = [o for p in plans for o in p.extra.get("organisation", [])]
    listed = {key: [x for p in plans for x in p.extra.get(key, [])] for key in ("pins", "linmas_coordination")}
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
            **({"warning_messages": warning_messages} if warning_messages else {}),
            **_merged_roster([p.extra["roster"] for p in plans if "roster" in p.extra]),
            "polres": len(plans),
            "post_floor": sum(int(p.extra.get("post_floor", 0)) for p in plans),
            "post_minimum": sum(int(p.extra.get("post_minimum", 0)) for p in plans),
            "tps_posts": sum(int(p.extra.get("tps_posts", 0)) for p in plans),
            "reserve": {
                "teams": sum(dict(p.extra.get("reserve", {})).get("teams", 0) for p in plans),
                "upper_bound": sum(dict(p.extra.get("reserve", {})).get("upper_bound", 0) for p in plans),
                "method": "per polres",
            },
            "travel": travel_report(scenario),
            "shortfall": {**{k: dict(v) for k, v in shortfall.items()}, "tps_below_pattern": below},
            **({"organisation": organisation} if organisation else {}),
            **{key: rows for key, rows in listed.items() if rows},
            **_merged_strength([p.extra["strength"] for p in plans if "strength" in p.extra]),
        },
    )


def _merged_roster(rosters: list[Any]) -> dict[str, Any]:
    """The Polres's rosters as one: their duties, people and empty places side by side (duty
    ids name their kecamatan, desa or Polres, so they never meet: a Polres without a POLRES
    unit of its own names its headquarters after its first kecamatan, `duties._headquarters`,
    and each campaign event is in one part, `polres.split`), objectives and bounds summed."""
    if not rosters:
        return {}
    first = rosters[0]
    objective = round(sum(float(r["objective"]) for r in rosters), 6)
    bound = round(sum(float(r["lower_bound"]) for r in rosters), 6)
    return {
        "roster": {
            "vote": first["vote"],
            "settings": first["settings"],
            "duties": [d for r in rosters for d in r["duties"]],
            "assignments": [a for r in rosters for a in r["assignments"]],
            "unfilled": [u for r in rosters for u in r["unfilled"]],
            "objective": objective,
            "lower_bound": bound,
            "gap": round(objective - bound, 6),
            "waves": sum(int(r["waves"]) for r in rosters),
        }
    }


def _merged_strength(parts: list[dict[str, Any]]) -> dict[str, object]:
    """The parts' strength advice as one: idle people and posts added up, the smallest offer
    (one number for the whole operation that every Polres can fill)."""
    if not parts:
        return {}
    idle: Counter[str] = Counter()
    for part in parts:
        idle.update(part["idle"])
    return {
        "strength": {
            "uniform": True,
            "idle": dict(idle),
            "reinforce_sangat_rawan": min(int(part["reinforce_sangat_rawan"]) for part in parts),
            "sangat_rawan_posts": sum(int(part["sangat_rawan_posts"]) for part in parts),
            "stronger_pattern": parts[0]["stronger_pattern"],
        }
    }
