"""The one module that uses OR-Tools: the assignment flow and two small CP-SAT models.

- `solve`: the assignment as a min-cost flow. Groups of interchangeable people (same origin,
  same force) supply units of flow; slots of posts demand them. Filling a slot earns its
  reward (large enough that coverage comes before travel); an arc costs the travel. The flow
  minimising cost minus rewards is the exact optimum. People may stay idle.
- `max_covering`: choose sites to maximise the weight of covered targets (reserve teams).
- `min_groups`: the fewest groups of bounded size, each within reach of a centre (posts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model


@dataclass(frozen=True, slots=True)
class Arc:
    group: int
    slot: int
    cost: int  # travel, in integer units


@dataclass(frozen=True, slots=True)
class Stay:
    """`count` people of `group` who held `slot` before and may keep it at `cost` (a re-plan
    charges every other arc one unit more, so keeping people where they were wins ties)."""

    group: int
    slot: int
    count: int
    cost: int


class FlowError(RuntimeError):
    pass


def solve(
    supply: Sequence[int],
    capacity: Sequence[int],
    reward: Sequence[int],
    arcs: Sequence[Arc],
    stays: Sequence[Stay] = (),
) -> tuple[list[int], list[int]]:
    """Flow on each arc and on each stay (same orders as given) of the optimal assignment.

    supply[g]: people in group g (stayers included); capacity[s]: people slot s takes;
    reward[s]: what filling one place of slot s is worth, in the units of the arc costs.
    """
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    group_node, slot_node = 2, 2 + len(supply)
    stay_node = slot_node + len(capacity)
    total = int(sum(supply))
    free = [int(n) for n in supply]
    for st in stays:
        free[st.group] -= st.count
    for g, n in enumerate(free):
        flow.add_arc_with_capacity_and_unit_cost(source, group_node + g, n, 0)
    arc_ids = [
        flow.add_arc_with_capacity_and_unit_cost(
            group_node + a.group, slot_node + a.slot, min(int(supply[a.group]), int(capacity[a.slot])), a.cost - reward[a.slot]
        )
        for a in arcs
    ]
    stay_ids = []
    for i, st in enumerate(stays):
        flow.add_arc_with_capacity_and_unit_cost(source, stay_node + i, st.count, 0)
        flow.add_arc_with_capacity_and_unit_cost(stay_node + i, group_node + st.group, st.count, 0)
        stay_ids.append(
            flow.add_arc_with_capacity_and_unit_cost(stay_node + i, slot_node + st.slot, st.count, st.cost - reward[st.slot])
        )
    for s, c in enumerate(capacity):
        flow.add_arc_with_capacity_and_unit_cost(slot_node + s, sink, int(c), 0)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, total, 0)  # idle people
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise FlowError(f"min-cost flow did not solve (status {status})")
    return [flow.flow(i) for i in arc_ids], [flow.flow(i) for i in stay_ids]


def max_covering(
    n_sites: int, coverage: dict[frozenset[int], int], open_sites: int, time_limit_s: float
) -> tuple[frozenset[int] | None, float, bool]:
    """Open at most `open_sites` sites to maximise the weight of covered target sets.

    `coverage` maps a set of sites to the weight of the targets any of them covers. Returns
    the chosen sites (None when nothing was found in time), the proven upper bound and
    whether the choice is proven optimal.
    """
    model = cp_model.CpModel()
    y = [model.new_bool_var(f"y{j}") for j in range(n_sites)]
    terms = []
    for k, (sites, weight) in enumerate(coverage.items()):
        z = model.new_bool_var(f"z{k}")
        model.add_bool_or([y[j] for j in sites]).only_enforce_if(z)
        terms.append(weight * z)
    model.add(sum(y) <= open_sites)
    model.maximize(sum(terms))
    status, solver = _solve(model, time_limit_s)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, 0.0, False
    chosen = frozenset(j for j in range(n_sites) if solver.value(y[j]))
    return chosen, float(solver.best_objective_bound), status == cp_model.OPTIMAL


def min_groups(
    reach: Sequence[frozenset[int]], capacity: int, time_limit_s: float
) -> tuple[list[tuple[int, list[int]]] | None, int]:
    """Partition items 0..n-1 into the fewest groups of at most `capacity` items, each group
    led by a centre item that reaches (`reach[c]`) every member.

    Returns (centre, members) groups (None when nothing was found in time) and the proven
    lower bound on the number of groups.
    """
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
    status, solver = _solve(model, time_limit_s)
    bound = int(-(-solver.best_objective_bound // 1)) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else 0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, bound
    groups = [
        (c, [i for i in sorted(reach[c]) if solver.value(member[(i, c)])]) for c in range(n) if solver.value(centre[c])
    ]
    return groups, bound


def _solve(model: cp_model.CpModel, time_limit_s: float) -> tuple[int, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    return solver.solve(model), solver
