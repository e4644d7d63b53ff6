"""Post formation: turning the pattern (pola) into the posts people are sent to.

A TPS post holds TPS of one desa and one category, at most `tps_per_post` of them, each within
`max_post_radius_km` of the post's location (the location of one of its TPS). Each desa's TPS
of one category are grouped into as few posts as the pattern and the radius allow: greedily
(the TPS that reaches the most ungrouped TPS becomes a centre and takes its nearest ones),
and where that leaves more posts than ceil(TPS / tps_per_post), by a small exact model that
also proves how few are possible. Reported: the count, the floor (sum of ceil(TPS /
tps_per_post), ignoring the radius) and the proven minimum (with the radius).

A patrol row (`PatternRow.patrol`, e.g. 2 Polri per 16 TPS) forms PATROL posts the same way
with the operation's `patrol_radius_km`; they are TPS posts whose id starts `PATROL-`. The
operation's `reinforce_sangat_rawan` adds Polri to every SANGAT_RAWAN and KHUSUS TPS post.

Where the pattern keeps the TNI off the TPS (`patterns.tni_mode`), `standby_posts` forms one
STANDBY post per kecamatan with TPS (docs/scenario.md 2.10): the soldiers wait there in a
group and move on Polri's request.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from siaga.core.data import pins, positions
from siaga.core.data.geo import distance_matrix_km
from siaga.core.data.model import Category, Force, Operation, PatternRow, Post, Region, Scenario, Tps, UnitKind
from siaga.core.data.patterns import TNI_STANDBY, tni_mode
from siaga.core.planning import solvers

CATEGORY_ORDER = list(Category)
CATEGORY_WEIGHT = {Category.SANGAT_RAWAN: 8, Category.KHUSUS: 8, Category.RAWAN: 4, Category.KURANG_RAWAN: 2}
# The assignment's units (plan.py and roster.py): every unfilled place costs its weight x
# UNFILLED_KM, then travel counts; flows count in integer millimetres (metres in a re-plan).
UNFILLED_KM = 10_000
SCALE = 1_000_000
REPLAN_SCALE = 1_000
SLOT_OF_FORCE = {Force.POLRI: "POLRI", Force.TNI: "TNI", Force.LINMAS: "LINMAS", Force.BRIMOB: "BRIMOB"}
SLOTS = ("POLRI", "TNI", "LINMAS", "BRIMOB")
REINFORCED = frozenset({Category.SANGAT_RAWAN, Category.KHUSUS})


def radius_km(row: PatternRow, operation: Operation) -> float:
    """How far a post's TPS may lie from its point: the patrol radius for a patrol row."""
    return operation.patrol_radius_km if row.patrol else operation.max_post_radius_km


def required(row: PatternRow, operation: Operation, tps_count: int) -> dict[str, int]:
    """The places of a TPS post of `tps_count` TPS under `row`."""
    extra = operation.reinforce_sangat_rawan if row.category in REINFORCED else 0
    return {
        "POLRI": row.polri_per_post + extra,
        "TNI": row.tni_per_post,
        "LINMAS": math.ceil(round(row.linmas_per_tps * tps_count, 9)),
    }


def post_id(row: PatternRow, desa: str, number: int) -> str:
    return f"{'PATROL' if row.patrol else 'TPS'}-{desa}-{number}"


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
        grouping, bound = _group(members, row.tps_per_post, radius_km(row, operation))
        minimum += bound
        for centre, grouped in grouping:
            counter[desa] = counter.get(desa, 0) + 1
            posts.append(
                Post(
                    id=post_id(row, desa, counter[desa]),
                    kind="TPS",
                    tps=tuple(t.id for t in grouped),
                    desa_code=desa,
                    kecamatan_code=kecamatan,
                    lat=centre.lat,
                    lon=centre.lon,
                    category=category,
                    required=required(row, operation, len(grouped)),
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


def standby_posts(scenario: Scenario, categories: Mapping[str, Category]) -> list[Post]:
    """The TNI standby posts (pos siaga TNI) of one Polres: one per kecamatan with TPS, in the
    order of the kecamatan's first TPS, when the pattern keeps the TNI off the TPS.

    Where: the kecamatan's Koramil (its point for the operation), else the kecamatan's point,
    else the middle of its TPS. How many: `tni_standby_size` soldiers each; when that is 0,
    every soldier who can serve (available, not command or staff, not pinned to STAF or
    TIDAK) and is not needed at a balai desa guard is shared among the kecamatan by the
    weight of their TPS categories (`apportion`); a kecamatan whose share is 0 gets no post.
    Category: the kecamatan's highest."""
    if tni_mode(scenario.operation.pattern) != TNI_STANDBY or not scenario.tps:
        return []
    region_by_code = scenario.region_by_code()
    weight: dict[str, int] = {}
    highest: dict[str, Category] = {}
    points: dict[str, list[Tps]] = {}
    for t in scenario.tps:
        kecamatan = region_by_code[t.desa_code].parent_code
        c = categories[t.id]
        weight[kecamatan] = weight.get(kecamatan, 0) + CATEGORY_WEIGHT[c]
        if kecamatan not in highest or CATEGORY_ORDER.index(c) > CATEGORY_ORDER.index(highest[kecamatan]):
            highest[kecamatan] = c
        points.setdefault(kecamatan, []).append(t)
    size = scenario.operation.tni_standby_size
    guards = scenario.operation.village_guard_tni * len({t.desa_code for t in scenario.tps})  # balai desa first
    sizes = {k: size for k in weight} if size else apportion(max(0, tni_strength(scenario) - guards), weight)
    koramil: dict[str, tuple[float, float]] = {}
    for u in scenario.units:
        if u.kind == UnitKind.KORAMIL and u.lat is not None and u.lon is not None:
            koramil.setdefault(u.kecamatan_code, (u.lat, u.lon))
    posts = []
    for kecamatan in weight:
        region = region_by_code.get(kecamatan)
        if kecamatan in koramil:
            lat, lon = koramil[kecamatan]
        elif region is not None and region.lat is not None and region.lon is not None:
            lat, lon = region.lat, region.lon
        else:
            members = points[kecamatan]
            lat = round(sum(t.lat for t in members) / len(members), 6)
            lon = round(sum(t.lon for t in members) / len(members), 6)
        posts.append(
            Post(
                id=f"STANDBY-{kecamatan}",
                kind="STANDBY",
                tps=(),
                desa_code="",
                kecamatan_code=kecamatan,
                lat=lat,
                lon=lon,
                category=highest[kecamatan],
                required={"TNI": sizes[kecamatan]},
            )
        )
    return [p for p in posts if p.required["TNI"] > 0]


def tni_strength(scenario: Scenario) -> int:
    """The soldiers who can fill a post: available, not command or staff, not pinned off posts."""
    off = (pins.STAFF, pins.NOT_DEPLOYED)
    return sum(
        1
        for p in scenario.personnel
        if p.force == Force.TNI
        and p.available
        and not positions.is_command(p.position)
        and not ((pin := pins.parse(p.pinned_post)) and pin.kind in off)
    )


def apportion(total: int, weight: Mapping[str, int]) -> dict[str, int]:
    """`total` shared in proportion to `weight` (largest remainders; ties: the smaller key)."""
    whole = sum(weight.values())
    if not whole:
        return {k: 0 for k in weight}
    share = {k: total * w // whole for k, w in weight.items()}
    left = total - sum(share.values())
    order = sorted(weight, key=lambda k: (-(total * weight[k] % whole), k))
    for k in order[:left]:
        share[k] += 1
    return share


def _group(members: list[Tps], capacity: int, radius_km: float) -> tuple[list[tuple[Tps, list[Tps]]], int]:
    """(centre, its TPS) pairs covering every member exactly once, and a proven lower bound
    on how many groups any valid grouping needs."""
    floor = math.ceil(len(members) / capacity)
    if capacity == 1:
        return [(t, [t]) for t in members], len(members)
    lats, lons = [t.lat for t in members], [t.lon for t in members]
    km = distance_matrix_km(lats, lons, lats, lons)
    within = km <= radius_km
    if len(members) <= capacity and within.all(axis=1).any():  # one centre reaches them all
        centre = int(np.flatnonzero(within.all(axis=1))[0])
        return [(members[centre], members)], 1
    greedy = _greedy(members, within, km, capacity)
    bound = max(floor, _apart(within))
    if len(greedy) == bound or len(members) > EXACT_GROUP_LIMIT:
        return greedy, bound
    reach = [frozenset(np.flatnonzero(row).tolist()) for row in within]
    exact, proven = solvers.min_groups(reach, capacity, EXACT_WORK)
    bound = max(bound, proven)
    if exact is not None and len(exact) < len(greedy):
        return [(members[c], [members[i] for i in group]) for c, group in exact], bound
    return greedy, bound


def _apart(within: np.ndarray) -> int:
    """A lower bound on the posts: TPS no single centre reaches together need posts of their
    own, so a set of pairwise such TPS (found greedily) counts one post each."""
    together = (within.astype(np.int32).T @ within.astype(np.int32)) > 0  # some centre reaches both
    chosen = 0
    blocked = np.zeros(len(within), dtype=bool)  # reached together with one chosen (`together` is symmetric)
    for i in np.argsort(together.sum(axis=1), kind="stable").tolist():
        if not blocked[i]:
            chosen += 1
            blocked |= together[i]
    return chosen


def _greedy(members: list[Tps], within: np.ndarray, km: np.ndarray, capacity: int) -> list[tuple[Tps, list[Tps]]]:
    """Centres that reach the most ungrouped TPS first (of those alike, the first), each
    taking its nearest (of those alike, the first); then posts emptied into others.
    `within[c, i]`: centre c reaches TPS i; `km`: their distances."""
    left = np.ones(len(members), dtype=bool)
    reaches = within.sum(axis=1)  # each centre's ungrouped TPS
    groups: list[tuple[int, list[int]]] = []
    while left.any():
        takes = np.where(left, np.minimum(reaches, capacity), -1)
        best = int(np.argmax(takes))
        reached = np.flatnonzero(within[best] & left)
        take = reached[np.lexsort((reached, km[best, reached]))[:capacity]]
        groups.append((best, take.tolist()))
        left[take] = False
        reaches -= within[:, take].sum(axis=1)
    groups = _empty_into_others(groups, within.tolist(), capacity)
    return [(members[c], [members[i] for i in group]) for c, group in groups]


def _empty_into_others(
    groups: list[tuple[int, list[int]]], reach: list[list[bool]], capacity: int
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
                    (k for k in others if room[k] > 0 and reach[groups[k][0]][i]), key=lambda k: room[k], default=None
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
