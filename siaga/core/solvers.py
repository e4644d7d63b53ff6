"""The assignment as a min-cost flow: the one module that uses OR-Tools' flow solver.

Groups of interchangeable people (same origin, same force) supply units of flow; slots of
posts demand them. Filling a slot earns its reward (a large number that makes coverage come
before travel); an arc costs the travel. The flow that minimises cost minus rewards is the
exact optimum of "unfilled slots first, travel second". People may stay idle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow


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
