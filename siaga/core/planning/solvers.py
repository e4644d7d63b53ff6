"""The one module that uses OR-Tools: the assignment flow and two small CP-SAT models.

- `solve`: the assignment as a min-cost flow. Groups of interchangeable people (same origin,
  same force) supply units of flow; slots of posts demand them. Filling a slot earns its
  reward (large enough that coverage comes before travel); an arc costs the travel. The flow
  minimising cost minus rewards is the exact optimum. People may stay idle.
- `max_covering`: choose sites to maximise the weight of covered targets (reserve teams).
- `min_groups`: the fewest groups of bounded size, each within reach of a centre (posts).

The CP-SAT models stop on a work limit, never on the clock: `work_limit` is CP-SAT's
deterministic time (about a second of work on a quiet machine per unit), searched by one
worker with a fixed seed. So the same model gives the same answer however busy the machine
is, and a plan made twice is the same plan.

OR-Tools and numpy load when a solver first runs, not when this module is imported: CP-SAT
(`max_covering`, `min_groups`) and the flow (`solve`) each load only their own part.
"""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from ortools.sat.python import cp_model


@functools.cache
def _cp_model() -> types.ModuleType:
    """OR-Tools' CP-SAT module, imported without pandas when nothing has loaded pandas yet.

    `cp_model` imports pandas only for its DataFrame helpers (`new_int_var_series` and the
    like), which the planner never calls; pandas costs about a third of a second of every
    `siaga plan` start (issue 18). While `cp_model` loads, `pandas` names a stand-in with the
    two classes its annotations name; the stand-in is removed afterwards, so a later `import
    pandas` anywhere loads the real one."""
    if "pandas" in sys.modules:
        from ortools.sat.python import cp_model as loaded

        return loaded
    stand_in = types.ModuleType("pandas")
    absent = type("_NotPandas", (), {})
    stand_in.Index = stand_in.Series = stand_in.DataFrame = absent  # type: ignore[attr-defined]
    sys.modules["pandas"] = stand_in
    try:
        from ortools.sat.python import cp_model as loaded
    finally:
        if sys.modules.get("pandas") is stand_in:
            del sys.modules["pandas"]
    return loaded


@dataclass(frozen=True)
class Arcs:
    """Arcs from groups to slots as parallel arrays: group index, slot index, travel cost."""

    group: np.ndarray
    slot: np.ndarray
    cost: np.ndarray


@dataclass(frozen=True)
class Stays:
    """`count[i]` people of `group[i]` who held `slot[i]` before and may keep it at
    `cost[i]` (a re-plan charges every other arc one unit more, so staying wins ties)."""

    group: np.ndarray
    slot: np.ndarray
    count: np.ndarray
    cost: np.ndarray


class FlowError(RuntimeError):
    pass


def solve(
    supply: np.ndarray, capacity: np.ndarray, reward: np.ndarray, arcs: Arcs, stays: Stays | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Flow on each arc and on each stay of the optimal assignment.

    supply[g]: people in group g (stayers included); capacity[s]: people slot s takes;
    reward[s]: what filling one place of slot s is worth, in the units of the arc costs.
    """
    import numpy as np
    from ortools.graph.python import min_cost_flow

    n_groups, n_slots = len(supply), len(capacity)
    n_stays = 0 if stays is None else len(stays.group)
    source, sink, group_node, slot_node = 0, 1, 2, 2 + n_groups
    stay_node = slot_node + n_slots
    total = int(supply.sum())
    free = supply.astype(np.int64).copy()
    if stays is not None:
        np.subtract.at(free, stays.group, stays.count)
    tails: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    caps: list[np.ndarray] = []
    costs: list[np.ndarray] = []

    def add(t: np.ndarray, h: np.ndarray, c: np.ndarray, u: np.ndarray) -> slice:
        start = sum(len(x) for x in tails)
        tails.append(t)
        heads.append(h)
        caps.append(c)
        costs.append(u)
        return slice(start, start + len(t))

    groups = np.arange(n_groups)
    slots = np.arange(n_slots)
    add(np.full(n_groups, source), group_node + groups, free, np.zeros(n_groups, np.int64))
    arc_ids = add(
        group_node + arcs.group,
        slot_node + arcs.slot,
        np.minimum(supply[arcs.group], capacity[arcs.slot]),
        arcs.cost - reward[arcs.slot],
    )
    stay_ids = slice(0, 0)
    if stays is not None and n_stays:
        nodes = stay_node + np.arange(n_stays)
        add(np.full(n_stays, source), nodes, stays.count, np.zeros(n_stays, np.int64))
        add(nodes, group_node + stays.group, stays.count, np.zeros(n_stays, np.int64))
        stay_ids = add(nodes, slot_node + stays.slot, stays.count, stays.cost - reward[stays.slot])
    add(slot_node + slots, np.full(n_slots, sink), capacity, np.zeros(n_slots, np.int64))
    add(np.array([source]), np.array([sink]), np.array([total]), np.array([0]))  # idle people
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise FlowError(f"min-cost flow did not solve (status {status})")
    all_flows = flow.flows(np.arange(flow.num_arcs(), dtype=np.int32))
    return all_flows[arc_ids], all_flows[stay_ids]


def max_covering(
    n_sites: int, coverage: dict[frozenset[int], int], open_sites: int, work_limit: float
) -> tuple[frozenset[int] | None, float, bool]:
    """Open at most `open_sites` sites to maximise the weight of covered target sets.

    `coverage` maps a set of sites to the weight of the targets any of them covers. Returns
    the chosen sites (None when nothing was found within `work_limit`), the proven upper
    bound and whether the choice is proven optimal.
    """
    cp_model = _cp_model()
    model = cp_model.CpModel()
    y = [model.new_bool_var(f"y{j}") for j in range(n_sites)]
    terms = []
    for k, (sites, weight) in enumerate(coverage.items()):
        z = model.new_bool_var(f"z{k}")
        model.add_bool_or([y[j] for j in sites]).only_enforce_if(z)
        terms.append(weight * z)
    model.add(sum(y) <= open_sites)
    model.maximize(sum(terms))
    status, solver = _solve(model, work_limit)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, 0.0, False
    chosen = frozenset(j for j in range(n_sites) if solver.value(y[j]))
    return chosen, float(solver.best_objective_bound), status == cp_model.OPTIMAL


def min_groups(
    reach: Sequence[frozenset[int]], capacity: int, work_limit: float
) -> tuple[list[tuple[int, list[int]]] | None, int]:
    """Partition items 0..n-1 into the fewest groups of at most `capacity` items, each group
    led by a centre item that reaches (`reach[c]`) every member.

    Returns (centre, members) groups (None when nothing was found within `work_limit`) and
    the proven lower bound on the number of groups.
    """
    cp_model = _cp_model()
    n = len(reach)
    model = cp_model.CpModel()
    centre = [model.new_bool_var(f"c{c}") for c in range(n)]
    member = {(i, c): model.new_bool_var(f"m{i}_{c}") for c in range(n) for i in reach[c]}
    for i in range(n):
        model.add_exactly_one(member[(i, c)] for c in range(n) if (i, c) in member)
    for c in range(n):
        inside = [member[(i, c)] for i in reach[c]]
        model.add(sum(inside) <= capacity * centre[c])
        model.add_implication(centre[c], member[(c, c)])
    model.minimize(sum(centre))
    status, solver = _solve(model, work_limit)
    bound = int(-(-solver.best_objective_bound // 1)) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else 0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, bound
    groups = [
        (c, [i for i in sorted(reach[c]) if solver.value(member[(i, c)])]) for c in range(n) if solver.value(centre[c])
    ]
    return groups, bound


def _solve(model: cp_model.CpModel, work_limit: float) -> tuple[Any, cp_model.CpSolver]:
    """Solve within `work_limit` deterministic seconds: one search worker (several would race,
    and the winner depends on the machine's load), a fixed seed, no wall-clock limit."""
    solver = _cp_model().CpSolver()
    solver.parameters.max_deterministic_time = work_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    return solver.solve(model), solver
