"""Post formation: turning the pattern (pola) into the posts people are sent to.

A TPS post holds TPS of one desa and one category, at most `tps_per_post` of them, each within
`max_post_radius_km` of the post's location (the location of one of its TPS). Each desa's TPS
of one category are grouped into as few posts as the pattern and the radius allow: greedily
(the TPS that reaches the most ungrouped TPS becomes a centre and takes its nearest ones),
and where that leaves more posts than ceil(TPS / tps_per_post), by a small exact model that
also proves how few are possible. Reported: the count, the floor (sum of ceil(TPS /
tps_per_post), ignoring the radius) and the proven minimum (with the radius).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from siaga.core.data.geo import distance_matrix_km
from siaga.core.data.model import Category, Operation, PatternRow, Post, Region, Tps
from siaga.core.planning import solvers

CATEGORY_ORDER = list(Category)


EXACT_GROUP_LIMIT = 40  # TPS in one desa and category; larger groups stay greedy
# CP-SAT work (deterministic seconds, not the clock: the same posts on any load) for one
# desa's exact grouping; ~0.25 s here, and 1 group in ~70 of a 20,000-TPS scenario uses it all.
EXACT_WORK = 0.2


@dataclass(frozen=True)
class PostFormation:
    posts: tuple[Post, ...]
    floor: int  # the fewest TPS posts the pattern allows, ignoring the radius
    minimum: int  # a proven lower bound on the TPS posts, with the radius


def form_posts(
    tps_list: list[Tps],
    categories: Mapping[str, Category],
    rows: Mapping[Category, PatternRow],
    operation: Operation,
    region_by_code: Mapping[str, Region],
) -> PostFormation:
    """TPS posts for every TPS, then one VILLAGE post per desa when the operation asks for it."""
    groups: dict[tuple[str, Category], list[Tps]] = {}
    for t in tps_list:
        groups.setdefault((t.desa_code, categories[t.id]), []).append(t)
    posts: list[Post] = []
    floor = minimum = 0
    counter: dict[str, int] = {}
    for (desa, category), members in groups.items():
        row = rows[category]
        floor += math.ceil(len(members) / row.tps_per_post)
        kecamatan = region_by_code[desa].parent_code
        grouping, bound = _group(members, row.tps_per_post, operation.max_post_radius_km)
        minimum += bound
        for centre, grouped in grouping:
            counter[desa] = counter.get(desa, 0) + 1
            posts.append(
                Post(
                    id=f"TPS-{desa}-{counter[desa]}",
                    kind="TPS",
                    tps=tuple(t.id for t in grouped),
                    desa_code=desa,
                    kecamatan_code=kecamatan,
                    lat=centre.lat,
                    lon=centre.lon,
                    category=category,
                    required={
                        "POLRI": row.polri_per_post,
                        "TNI": row.tni_per_post,
                        "LINMAS": math.ceil(round(row.linmas_per_tps * len(grouped), 9)),
                    },
                )
            )
    if operation.village_guard_polri or operation.village_guard_tni:
        posts += village_posts(tps_list, categories, operation, region_by_code)
    return PostFormation(tuple(posts), floor, minimum)


def village_posts(
    tps_list: list[Tps], categories: Mapping[str, Category], operation: Operation, region_by_code: Mapping[str, Region]
) -> list[Post]:
    """The balai desa guard: one post per desa with a TPS, at the desa point, of the desa's
    highest TPS category."""
    highest: dict[str, Category] = {}
    for t in tps_list:
        c = categories[t.id]
        if t.desa_code not in highest or CATEGORY_ORDER.index(c) > CATEGORY_ORDER.index(highest[t.desa_code]):
            highest[t.desa_code] = c
    posts = []
    for desa, category in highest.items():
        region = region_by_code[desa]
        assert region.lat is not None and region.lon is not None  # the validator requires them
        posts.append(
            Post(
                id=f"VILLAGE-{desa}",
                kind="VILLAGE",
                tps=(),
                desa_code=desa,
                kecamatan_code=region.parent_code,
                lat=region.lat,
                lon=region.lon,
                category=category,
                required={"POLRI": operation.village_guard_polri, "TNI": operation.village_guard_tni, "LINMAS": 0},
            )
        )
    return posts


def _group(members: list[Tps], capacity: int, radius_km: float) -> tuple[list[tuple[Tps, list[Tps]]], int]:
    """(centre, its TPS) pairs covering every member exactly once, and a proven lower bound
    on how many groups any valid grouping needs."""
    floor = math.ceil(len(members) / capacity)
    if capacity == 1:
        return [(t, [t]) for t in members], len(members)
    lats, lons = [t.lat for t in members], [t.lon for t in members]
    km = distance_matrix_km(lats, lons, lats, lons)
    within = km <= radius_km
    reach = [frozenset(np.flatnonzero(row).tolist()) for row in within]
    if len(members) <= capacity and within.all(axis=1).any():  # one centre reaches them all
        centre = int(np.flatnonzero(within.all(axis=1))[0])
        return [(members[centre], members)], 1
    greedy = _greedy(members, reach, km.tolist(), capacity)
    bound = max(floor, _apart(within))
    if len(greedy) == bound or len(members) > EXACT_GROUP_LIMIT:
        return greedy, bound
    exact, proven = solvers.min_groups(reach, capacity, EXACT_WORK)
    bound = max(bound, proven)
    if exact is not None and len(exact) < len(greedy):
        return [(members[c], [members[i] for i in group]) for c, group in exact], bound
    return greedy, bound


def _apart(within: np.ndarray) -> int:
    """A lower bound on the posts: TPS no single centre reaches together need posts of their
    own, so a set of pairwise such TPS (found greedily) counts one post each."""
    together = (within.astype(np.int32).T @ within.astype(np.int32)) > 0  # some centre reaches both
    chosen: list[int] = []
    for i in np.argsort(together.sum(axis=1), kind="stable").tolist():
        if not together[i, chosen].any():
            chosen.append(i)
    return len(chosen)


def _greedy(
    members: list[Tps], reach: list[frozenset[int]], km: list[list[float]], capacity: int
) -> list[tuple[Tps, list[Tps]]]:
    """Centres that reach the most ungrouped TPS first; then posts emptied into others."""
    left = set(range(len(members)))
    groups: list[tuple[int, list[int]]] = []
    while left:
        best, best_take = -1, list[int]()
        for c in sorted(left):
            row = km[c]
            take = sorted(reach[c] & left, key=lambda i: (row[i], i))[:capacity]
            if len(take) > len(best_take):
                best, best_take = c, take
        groups.append((best, best_take))
        left.difference_update(best_take)
    groups = _empty_into_others(groups, reach, capacity)
    return [(members[c], [members[i] for i in group]) for c, group in groups]


def _empty_into_others(
    groups: list[tuple[int, list[int]]], reach: list[frozenset[int]], capacity: int
) -> list[tuple[int, list[int]]]:
    """Drop a post whenever all its TPS fit into other posts whose centres reach them."""
    improved = True
    while improved and len(groups) > 1:
        improved = False
        for g in sorted(range(len(groups)), key=lambda k: len(groups[k][1])):
            others = [k for k in range(len(groups)) if k != g]
            room = {k: capacity - len(groups[k][1]) for k in others}
            moves: dict[int, int] = {}
            for i in groups[g][1]:
                into = max(
                    (k for k in others if room[k] > 0 and i in reach[groups[k][0]]), key=lambda k: room[k], default=None
                )
                if into is None:
                    break
                moves[i] = into
                room[into] -= 1
            else:
                for i, k in moves.items():
                    groups[k][1].append(i)
                groups = [grp for k, grp in enumerate(groups) if k != g]
                improved = True
                break
    return groups
