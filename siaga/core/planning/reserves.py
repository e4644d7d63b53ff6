"""Placing reserve teams (Brimob platoons) where they reach the most vulnerable TPS fast.

Maximal covering location: choose `teams` of the candidate sites so that the category-weighted
number of TPS within the response time of some team is largest. Solved exactly with CP-SAT
under a work limit (`solvers.py`; TPS with the same set of reaching sites are merged first,
which shrinks the model a lot); if CP-SAT finds nothing, every choice of sites is tried when
there are few, else greedy placement improved by swaps. The result carries the coverage
reached and a proven upper bound.

The coverage rule is docs/scenario.md section 2.7, the one the checker applies too: a target
is covered when a chosen site lies within `reach_km` of it (great-circle, `geo`), and a
Polres's teams answer for its own TPS only. The planner keeps to the second half by calling
these functions once per Polres with that Polres's units as `sites` and its TPS as `targets`
(`plan.py`, `engine.py`); the covered weight of a merged plan is then the sum over the Polres.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from siaga.core.data.geo import Travel, distance_matrix_km, pairs_within_km
from siaga.core.planning import solvers

ENUMERATE_LIMIT = 20_000  # site subsets worth trying one by one when CP-SAT finds nothing


@dataclass(frozen=True)
class Site:
    key: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Target:
    key: str
    lat: float
    lon: float
    weight: int


@dataclass(frozen=True)
class Placement:
    sites: tuple[str, ...]  # one entry per team; a site repeats when teams outnumber sites
    covered_weight: float
    total_weight: float
    upper_bound: float
    method: str  # "cp-sat optimal", "cp-sat feasible", "greedy+swap"


def place_reserves(
    sites: Sequence[Site],
    targets: Sequence[Target],
    teams: int,
    reach_km: float,
    time_limit_s: float = 10.0,
    travel: Travel | None = None,
) -> Placement:
    """`reach_km` is the straight-line distance a team covers within the response time; a pair
    with a road time in `travel` is judged by that time (`Travel.reach_km`)."""
    total = float(sum(t.weight for t in targets))
    if teams <= 0 or not sites:
        return Placement((), 0.0, total, 0.0, "none")
    km = distance_matrix_km(
        [t.lat for t in targets], [t.lon for t in targets], [s.lat for s in sites], [s.lon for s in sites]
    )
    if travel is not None:
        km = travel.reach_km([t.key for t in targets], [s.key for s in sites], km)
    within = km <= reach_km
    # Targets reached by the same set of sites are one target of their summed weight.
    patterns, which = np.unique(np.packbits(within, axis=1), axis=0, return_inverse=True)
    weights = np.bincount(which.ravel(), weights=[t.weight for t in targets], minlength=len(patterns))
    merged: dict[frozenset[int], int] = {}
    for bits, weight in zip(patterns, weights.tolist(), strict=True):
        sites_reaching = frozenset(np.flatnonzero(np.unpackbits(bits)[: len(sites)]).tolist())
        if sites_reaching:
            merged[sites_reaching] = int(weight)
    reachable = float(sum(merged.values()))
    open_sites = min(teams, len(sites))
    chosen, bound, optimal = solvers.max_covering(len(sites), merged, open_sites, time_limit_s)
    method = "cp-sat optimal" if optimal else "cp-sat feasible"
    if chosen is None and math.comb(len(sites), open_sites) <= ENUMERATE_LIMIT:
        chosen = _best_subset(len(sites), merged, open_sites)
        bound, method = float(sum(w for r, w in merged.items() if r & chosen)), "enumeration"
    if chosen is None:
        chosen = _greedy_swap(len(sites), merged, open_sites)
        bound, method = reachable, "greedy+swap"
    spare = sorted(set(range(len(sites))) - chosen, key=lambda j: (-_weight_of(j, merged), sites[j].key))
    chosen = chosen | frozenset(spare[: open_sites - len(chosen)])  # full coverage early: spread the rest
    covered = float(sum(w for r, w in merged.items() if r & chosen))  # after the spread: what the teams reach
    order = sorted(chosen, key=lambda j: (-_weight_of(j, merged), sites[j].key))
    placed = [sites[j].key for j in order]
    while len(placed) < teams:  # more teams than sites: extra teams go to the busiest sites
        placed.append(sites[order[(len(placed) - len(order)) % len(order)]].key)
    return Placement(tuple(placed), covered, total, min(bound, reachable), method)


def coverage(
    sites: Sequence[Site],
    chosen: Sequence[str],
    targets: Sequence[Target],
    reach_km: float,
    travel: Travel | None = None,
) -> tuple[float, float]:
    """(weight of the targets the `chosen` sites reach, weight any site could reach): the
    coverage of a placement kept as it was, and an upper bound on any placement's. Linear in
    the targets (`geo.pairs_within_km`), not targets x sites."""
    located = [s for s in sites if s.lat is not None and s.lon is not None]
    if not located or not targets:
        return 0.0, 0.0
    lat1, lon1 = [t.lat for t in targets], [t.lon for t in targets]
    lat2, lon2 = [s.lat for s in located], [s.lon for s in located]
    if travel is None:
        i, j, _ = pairs_within_km(lat1, lon1, lat2, lon2, reach_km)
    else:
        i, j, _ = travel.pairs_within(
            [t.key for t in targets], lat1, lon1, [s.key for s in located], lat2, lon2, reach_km
        )
    weight = np.array([t.weight for t in targets], dtype=float)
    keys = set(chosen)
    picked = np.array([s.key in keys for s in located], dtype=bool)
    reached, any_site = np.zeros(len(targets), dtype=bool), np.zeros(len(targets), dtype=bool)
    reached[i[picked[j]]] = True
    any_site[i] = True
    return float(weight[reached].sum()), float(weight[any_site].sum())


def _weight_of(j: int, merged: dict[frozenset[int], int]) -> int:
    return sum(w for r, w in merged.items() if j in r)


def _best_subset(n_sites: int, merged: dict[frozenset[int], int], open_sites: int) -> frozenset[int]:
    """The best choice of sites by trying every one (few sites and teams: a Polres's)."""
    best = max(
        itertools.combinations(range(n_sites), open_sites),
        key=lambda pick: sum(w for r, w in merged.items() if not r.isdisjoint(pick)),
    )
    return frozenset(best)


def _greedy_swap(n_sites: int, merged: dict[frozenset[int], int], open_sites: int) -> frozenset[int]:
    def covered(chosen: set[int]) -> int:
        return sum(w for r, w in merged.items() if not r.isdisjoint(chosen))

    chosen: set[int] = set()
    for _ in range(open_sites):
        best = max((j for j in range(n_sites) if j not in chosen), key=lambda j: (covered(chosen | {j}), -j))
        chosen.add(best)
    improved = True
    while improved:
        improved = False
        for out in sorted(chosen):
            for into in range(n_sites):
                if into in chosen:
                    continue
                trial = (chosen - {out}) | {into}
                if covered(trial) > covered(chosen):
                    chosen, improved = trial, True
                    break
            if improved:
                break
    return frozenset(chosen)
