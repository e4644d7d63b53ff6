"""What the checker's rules look up, computed once per check from the scenario and the plan."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain, repeat
from operator import attrgetter, methodcaller
from typing import Any

import numpy as np

from siaga.core.check import jurisdiction, vulnerability
from siaga.core.data import geo
from siaga.core.data.model import Category, Force, Plan, Post, Scenario, Unit, UnitKind
from siaga.core.data.patterns import CUSTOM, PRESETS, rows_by_category

WEIGHT = {"SANGAT_RAWAN": 8, "KHUSUS": 8, "RAWAN": 4, "KURANG_RAWAN": 2}
WEIGHT_OF: dict[Category | None, int] = {Category(c): w for c, w in WEIGHT.items()}
# Two computations of one distance may differ in their last bits; a TPS this close to the edge
# of a team's reach counts as covered or not, as the plan says.
REACH_TOLERANCE_KM = 1e-9


class Facts:
    """The scenario (as a re-plan assumed it), the plan, and lookups the rules share."""

    def __init__(self, scenario: Scenario, plan: Plan, model: vulnerability.Weights | None):
        scenario = as_replanned(scenario, plan)
        self.scenario, self.plan, self.model = scenario, plan, model
        self.op = scenario.operation
        self.tps_ids = list(map(attrgetter("id"), scenario.tps))
        self.tps_index = dict(zip(self.tps_ids, range(len(self.tps_ids)), strict=True))
        self.tps_lat = column(scenario.tps, "lat", float)
        self.tps_lon = column(scenario.tps, "lon", float)
        self.regions = scenario.region_by_code()
        self.units = scenario.unit_by_code()

    @cached_property
    def categories(self) -> list[Category]:
        """The category each TPS must have, in the scenario's order."""
        return vulnerability.in_order(self.scenario, self.model)

    @cached_property
    def rows(self) -> dict[str, tuple[int, int, int, float, bool]]:
        """(TPS per post, Polri, TNI, Linmas per TPS, patrol) by category: the pattern's rows,
        with the operation's reinforcement of SANGAT_RAWAN and KHUSUS posts in the Polri."""
        source = self.scenario.patterns if self.op.pattern == CUSTOM else PRESETS[self.op.pattern].rows
        extra = {Category.SANGAT_RAWAN: self.op.reinforce_sangat_rawan, Category.KHUSUS: self.op.reinforce_sangat_rawan}
        return {
            c.value: (r.tps_per_post, r.polri_per_post + extra.get(c, 0), r.tni_per_post, r.linmas_per_tps, r.patrol)
            for c, r in rows_by_category(tuple(source)).items()
        }

    @cached_property
    def codes(self) -> Codes:
        """Numbers for codes; region k of the scenario is number k."""
        codes = Codes()
        for r in self.scenario.regions:
            codes[r.code]  # noqa: B018 (numbers the regions first, in order)
        return codes

    @cached_property
    def members(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """The TPS posts' memberships: (post index into `posts_of("TPS")`, TPS index into the
        scenario or -1 for a TPS it does not have), one row per TPS a post holds."""
        posts = self.posts_of("TPS")
        ids = list(chain.from_iterable(map(attrgetter("tps"), posts)))
        tps_k = np.fromiter(map(self.tps_index.get, ids, repeat(-1)), dtype=np.int64, count=len(ids))
        post_k = np.repeat(np.arange(len(posts)), [len(p.tps) for p in posts])
        return post_k, tps_k, ids

    @cached_property
    def tps_desa(self) -> np.ndarray:
        """The number (`codes`) of each TPS's desa."""
        return column(self.scenario.tps, "desa_code", np.int64, self.codes)

    @cached_property
    def people(self) -> People:
        """Built column by column: a national scenario has two million people."""
        persons, codes = self.scenario.personnel, self.codes
        polres = {code: k for k, code in enumerate(self.jurisdiction.polres)}
        units = self.scenario.units
        unit_index: dict[str, int] = {u.code: k for k, u in enumerate(units)} | {"": -2}  # -2: no unit
        points = [jurisdiction.point(u) or (math.nan, math.nan) for u in units]  # the assembly point first
        unit_lat = np.array([p[0] for p in points] + [math.nan, math.nan])
        unit_lon = np.array([p[1] for p in points] + [math.nan, math.nan])
        sector_kinds = (UnitKind.POLSEK, UnitKind.KORAMIL)
        unit_sector = np.array([codes[u.kecamatan_code] if u.kind in sector_kinds else -1 for u in units] + [-1, -1])
        unit_polres = np.array([polres.get(self.jurisdiction.of_unit.get(u.code, ""), -1) for u in units] + [-1, -1])
        regions = self.scenario.regions
        n_regions = len(regions)
        region_lat = np.array([r.lat or 0.0 for r in regions] + [math.nan])
        region_lon = np.array([r.lon or 0.0 for r in regions] + [math.nan])
        of_region = self.jurisdiction.of_region
        region_polres = np.array([polres.get(of_region.get(r.code, ""), -1) for r in regions] + [-1])
        n = len(persons)
        slot = column(persons, "force", np.int64, FORCE_CODE)
        unit = column(persons, "unit_code", np.int64, unit_index)
        desa_code = column(persons, "desa_code", np.int64, codes)
        desa = np.where(desa_code < n_regions, desa_code, -1)  # regions come first in `codes`
        linmas = slot == LINMAS
        lat = np.where(linmas, region_lat[desa], unit_lat[unit])  # index -1 and -2: the nan rows
        lon = np.where(linmas, region_lon[desa], unit_lon[unit])
        if self.jurisdiction.single:
            person_polres = np.zeros(n, dtype=np.int64)
        else:
            person_polres = np.where(unit == -2, region_polres[desa], unit_polres[unit])
        return People(
            index=dict(zip(map(attrgetter("id"), persons), range(n), strict=True)),
            slot=slot,
            available=column(persons, "available", bool),
            desa=desa_code,
            polres=person_polres,
            lat=lat,
            lon=lon,
            sector=np.where(linmas, -1, unit_sector[unit]),
        )

    @cached_property
    def places(self) -> Places:
        posts, codes = self.plan.posts, self.codes
        polres = {code: k for k, code in enumerate(self.jurisdiction.polres)}
        needs = list(map(attrgetter("required"), posts))
        n = len(posts)
        required = np.column_stack(
            [np.fromiter(map(methodcaller("get", slot, 0), needs), dtype=np.int64, count=n) for slot in SLOTS]
        ).reshape(n, len(SLOTS))
        other_slots = [k for k, need in enumerate(needs) if not need.keys() <= SLOT_CODE.keys()]
        is_tps = np.fromiter(map("TPS".__eq__, map(attrgetter("kind"), posts)), dtype=bool, count=n)
        category_weight = np.fromiter(map(WEIGHT_OF.get, map(attrgetter("category"), posts)), dtype=np.int64, count=n)
        post_polres = map(self.post_polres.__getitem__, map(attrgetter("id"), posts))
        return Places(
            index=dict(zip(map(attrgetter("id"), posts), range(n), strict=True)),
            desa=column(posts, "desa_code", np.int64, codes),
            kecamatan=column(posts, "kecamatan_code", np.int64, codes),
            lat=column(posts, "lat", float),
            lon=column(posts, "lon", float),
            polres=np.fromiter(map(polres.get, post_polres, repeat(-1)), dtype=np.int64, count=n),
            required=required,
            other_slots=tuple(other_slots),
            weight=np.where(is_tps, category_weight, 1),  # section 2.5: VILLAGE and RESERVE places weigh 1
        )

    @cached_property
    def duties(self) -> Duties:
        assignments, people, places = self.plan.assignments, self.people.index, self.places.index
        return Duties(
            person=column(assignments, "person", np.int64, people),
            post=column(assignments, "post", np.int64, places),
            slot=column(assignments, "slot", np.int64, SLOT_CODE),
            cost=column(assignments, "cost_km", float),
        )

    @cached_property
    def filled(self) -> np.ndarray:
        """Posts x SLOTS: how many assignments fill each post's slots."""
        d = self.duties
        ok = (d.post >= 0) & (d.slot >= 0)
        size = len(self.plan.posts) * len(SLOTS)
        return np.bincount(d.post[ok] * len(SLOTS) + d.slot[ok], minlength=size).reshape(-1, len(SLOTS))

    @cached_property
    def stray(self) -> Counter[tuple[str, str]]:
        """Assignments to a post the plan does not have, or to a slot that does not exist."""
        d = self.duties
        return Counter(
            (self.plan.assignments[k].post, self.plan.assignments[k].slot)
            for k in np.flatnonzero((d.post < 0) | (d.slot < 0)).tolist()
        )

    @cached_property
    def by_kind(self) -> dict[str, list[Post]]:
        out: dict[str, list[Post]] = {"TPS": [], "VILLAGE": [], "RESERVE": []}
        for p in self.plan.posts:
            out.setdefault(p.kind, []).append(p)
        return out

    def posts_of(self, kind: str) -> list[Post]:
        return self.by_kind.get(kind, [])

    @cached_property
    def jurisdiction(self) -> jurisdiction.Jurisdiction:
        return jurisdiction.derive(self.scenario)

    @cached_property
    def units_at(self) -> dict[tuple[float, float], list[Unit]]:
        return jurisdiction.units_by_point(self.scenario)

    @cached_property
    def post_polres(self) -> dict[str, str]:
        """Post id -> the Polres it belongs to ("" when it belongs to none)."""
        posts, where = self.plan.posts, self.jurisdiction
        if where.single:
            return dict.fromkeys(map(attrgetter("id"), posts), where.polres[0])
        out = dict(
            zip(
                map(attrgetter("id"), posts),
                # a STANDBY post serves its kecamatan: it has no desa
                map(where.of_region.get, (p.desa_code or p.kecamatan_code for p in posts), repeat("")),
                strict=True,
            )
        )
        for p in self.posts_of("RESERVE"):
            out[p.id] = where.of_post(p, self.units_at)
        return out

    @cached_property
    def posts(self) -> dict[str, Post]:
        return {p.id: p for p in self.plan.posts}

    @cached_property
    def reserve_coverage(self) -> tuple[float, float, float]:
        """(least, most, total): the category weight of the TPS a reserve team of their own
        Polres reaches within the response time (least: clearly within; most: within or on
        the edge, REACH_TOLERANCE_KM), and the weight of every TPS (docs/scenario.md 2.7)."""
        tps = self.scenario.tps
        categories = map(self.plan.tps_categories.get, self.tps_ids)
        weight = np.fromiter(map(WEIGHT_OF.get, categories, repeat(0)), dtype=np.float64, count=len(tps))
        total = float(weight.sum())
        teams = self.posts_of("RESERVE")
        if not tps or not teams:
            return 0.0, 0.0, total
        polres = {code: k for k, code in enumerate(self.jurisdiction.polres)}
        # a site is named by its unit (RESERVE-<unit>-<n>), as the travel_times sheet names it
        sites = sorted(
            {
                (p.lat, p.lon, polres.get(self.post_polres[p.id], -1), p.id.removeprefix("RESERVE-").rsplit("-", 1)[0])
                for p in teams
            }
        )
        of_desa = map(self.jurisdiction.of_region.get, map(attrgetter("desa_code"), tps), repeat(""))
        tps_polres = np.fromiter(map(polres.get, of_desa, repeat(-2)), dtype=np.int64, count=len(tps))
        site_lat, site_lon, site_polres, site_unit = (np.array(column) for column in zip(*sites, strict=True))
        reach = self.op.speed_kmh * self.op.response_minutes / 60  # road km
        travel = geo.Travel.of(self.op.road_factor, self.op.speed_kmh, self.scenario.travel_times)
        i, j, km = travel.pairs_within(
            self.tps_ids,
            self.tps_lat,
            self.tps_lon,
            list(site_unit),
            site_lat,
            site_lon,
            (reach + REACH_TOLERANCE_KM) / self.op.road_factor,
            labels=(tps_polres, site_polres),  # a team answers for its own Polres's TPS only
        )
        road = self.op.road_factor * km
        most = np.zeros(len(tps), dtype=bool)
        most[i[road <= reach + REACH_TOLERANCE_KM]] = True
        least = np.zeros(len(tps), dtype=bool)
        least[i[road <= reach - REACH_TOLERANCE_KM]] = True
        return float(weight[least].sum()), float(weight[most].sum()), total


def column(
    items: Sequence[object], attr: str, dtype: type, lookup: Mapping[str, int] | Mapping[Force, int] | None = None
) -> np.ndarray:
    """One attribute of every item as an array, through `lookup` when given (-1 for what it
    lacks; a `Codes` numbers what it lacks). map and attrgetter keep the loop in C: a
    national scenario has millions of rows."""
    values: Iterator[Any] = map(attrgetter(attr), items)
    if isinstance(lookup, Codes):
        values = map(lookup.__getitem__, values)
    elif lookup is not None:
        values = map(lookup.get, values, repeat(-1))
    return np.fromiter(values, dtype=dtype, count=len(items))


def as_replanned(scenario: Scenario, plan: Plan) -> Scenario:
    """A re-plan states what it assumed (people absent at the apel, categories changed by
    intelligence); the plan is checked against the scenario with those changes."""
    replan = plan.extra.get("replan")
    if not isinstance(replan, dict):
        return scenario
    absent = set(replan.get("absent", []))
    changes = {str(k): Category(v) for k, v in dict(replan.get("category_changes", {})).items()}
    people = tuple(replace(p, available=False) if p.id in absent else p for p in scenario.personnel)
    tps = tuple(
        replace(t, category=changes[t.id], category_reason="re-plan") if t.id in changes else t for t in scenario.tps
    )
    return replace(scenario, personnel=people, tps=tps)


SLOTS = ("POLRI", "TNI", "LINMAS", "BRIMOB")
SLOT_CODE = {s: k for k, s in enumerate(SLOTS)}
FORCE_CODE = {Force.POLRI: 0, Force.TNI: 1, Force.LINMAS: 2, Force.BRIMOB: 3}  # the slot each force fills
LINMAS, BRIMOB = SLOT_CODE["LINMAS"], SLOT_CODE["BRIMOB"]


class Codes(dict[str, int]):
    """Small integers for codes (desa, kecamatan), so that arrays can compare them."""

    def __missing__(self, code: str) -> int:
        self[code] = len(self)
        return self[code]


@dataclass(frozen=True)
class People:
    """One row per person of the scenario, by index: what the rules compare in bulk."""

    index: dict[str, int]
    slot: np.ndarray  # the slot code the person's force fills, -1 for SATPOL_PP and the like
    available: np.ndarray
    desa: np.ndarray  # code of the person's desa
    polres: np.ndarray  # index into Jurisdiction.polres, -1 for none
    lat: np.ndarray  # the origin: the unit's assembly point or base, a Linmas member's desa point
    lon: np.ndarray
    sector: np.ndarray  # code of the kecamatan of a POLSEK or KORAMIL member, -1 otherwise


@dataclass(frozen=True)
class Places:
    """One row per post of the plan, by index."""

    index: dict[str, int]
    desa: np.ndarray
    kecamatan: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    polres: np.ndarray  # -1 when the post belongs to no Polres
    required: np.ndarray  # posts x SLOTS
    other_slots: tuple[int, ...]  # posts that require a slot outside SLOTS (no force fills it)
    weight: np.ndarray  # of an unfilled place (section 2.5)


@dataclass(frozen=True)
class Duties:
    """One row per assignment of the plan, in plan order; -1 for an unknown person, post or slot."""

    person: np.ndarray
    post: np.ndarray
    slot: np.ndarray
    cost: np.ndarray

    @property
    def known(self) -> np.ndarray:
        return (self.person >= 0) & (self.post >= 0)
