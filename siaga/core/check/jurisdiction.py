"""Which Polres each region, TPS, unit, person and post belongs to, derived by the checker.

Written from docs/scenario.md section 2.6, not taken from the planner's split
(`siaga.core.planning.polres`), so an error in the planner's decomposition is caught here
instead of being made twice:

- when some unit has a `parent_code` or some region a `polres_code` (jurisdictions given), a
  KECAMATAN belongs to the POLRES above its first POLSEK (walking `parent_code` up the units),
  else to its own `polres_code`, and a desa to its kecamatan's; the Polres are named by their
  unit code;
- otherwise a region belongs to the KABUPATEN or KOTA above it (following `parent_code`), ""
  when none;
- a TPS to its desa's;
- a unit BKO to a Polres (`bko_to`) to that Polres's; otherwise (jurisdictions given) a POLRES
  to itself and a unit under a POLRES to that one; otherwise to the Polres of its
  `kecamatan_code` or, without one, to the Polres whose TPS centre (the mean latitude and
  longitude of its TPS) lies nearest its point by great-circle distance, the first (in the
  order its first TPS appears) on a tie; a unit with neither belongs to no Polres ("");
- a unit's point is its assembly point (`assembly_lat`, `assembly_lon`) when both are given,
  else its base;
- a person to their unit's, a Linmas member (no unit) to their desa's;
- a TPS or VILLAGE post to its desa's; a RESERVE post to the unit it stands at.

A scenario whose TPS lie in one kabupaten (or in none) is one Polres: everything is in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

import numpy as np

from siaga.core.data import geo
from siaga.core.data.model import REGENCY_LEVELS, Level, Person, Post, Scenario, Unit, UnitKind

POINT_TOLERANCE_DEG = 1e-9


@dataclass(frozen=True)
class Jurisdiction:
    """Polres codes (kabupaten codes) by region and unit, and of a person; `single` when the
    scenario is one Polres."""

    single: bool
    polres: tuple[str, ...]  # the kabupaten that have TPS, in the order they first appear; ("",) for none
    of_region: dict[str, str]
    of_unit: dict[str, str]

    def of_person(self, person: Person) -> str:
        if self.single:
            return self.polres[0]
        if person.unit_code:
            return self.of_unit.get(person.unit_code, "")
        return self.of_region.get(person.desa_code, "")

    def of_post(self, post: Post, units_at: dict[tuple[float, float], list[Unit]]) -> str:
        """A post's Polres: its desa's, or for a RESERVE post the unit it stands at (the one
        its id names, `RESERVE-<unit code>-<n>`, when several units share the point)."""
        if self.single:
            return self.polres[0]
        if post.kind != "RESERVE":
            return self.of_region.get(post.desa_code or post.kecamatan_code, "")
        return self.of_unit.get(reserve_unit(post, units_at), "")


def reserve_unit(post: Post, units_at: dict[tuple[float, float], list[Unit]]) -> str:
    """The code of the unit a reserve post stands at ("" when it stands at none)."""
    here = units_at.get((post.lat, post.lon)) or [
        u for (lat, lon), us in units_at.items() for u in us if _near(lat, lon, post.lat, post.lon)
    ]
    if not here:
        return ""
    named = post.id.removeprefix("RESERVE-").rsplit("-", 1)[0]
    return next((u.code for u in here if u.code == named), here[0].code)


def units_by_point(scenario: Scenario) -> dict[tuple[float, float], list[Unit]]:
    """Units by their point for the operation (`point`)."""
    at: dict[tuple[float, float], list[Unit]] = {}
    for u in scenario.units:
        where = point(u)
        if where is not None:
            at.setdefault(where, []).append(u)
    return at


def point(unit: Unit) -> tuple[float, float] | None:
    """Where a unit's people start from: the assembly point when given whole, else the base."""
    if unit.assembly_lat is not None and unit.assembly_lon is not None:
        return unit.assembly_lat, unit.assembly_lon
    return None if unit.lat is None or unit.lon is None else (unit.lat, unit.lon)


def derive(scenario: Scenario) -> Jurisdiction:
    given = any(u.parent_code for u in scenario.units) or any(r.polres_code for r in scenario.regions)
    of_region = _held(scenario) if given else _kabupaten_above(scenario)
    polres = tuple(dict.fromkeys(of_region.get(t.desa_code, "") for t in scenario.tps)) or ("",)
    if len(polres) == 1:
        code = polres[0]
        return Jurisdiction(
            True, polres, {r.code: code for r in scenario.regions}, {u.code: code for u in scenario.units}
        )
    return Jurisdiction(False, polres, of_region, _units(scenario, of_region, polres, given))


def _held(scenario: Scenario) -> dict[str, str]:
    """Region -> the Polres unit holding it, by the Polsek of each kecamatan or its polres_code."""
    units = {u.code: u for u in scenario.units}
    kecamatan_polres: dict[str, str] = {}
    for u in scenario.units:
        if u.kind == UnitKind.POLSEK and u.kecamatan_code:
            kecamatan_polres.setdefault(u.kecamatan_code, _polres_over(u, units))
    kecamatan_polres = {k: v for k, v in kecamatan_polres.items() if v}
    for r in scenario.regions:
        if r.level == Level.KECAMATAN and r.polres_code:
            kecamatan_polres.setdefault(r.code, r.polres_code)
    return {r.code: kecamatan_polres.get(r.code) or kecamatan_polres.get(r.parent_code, "") for r in scenario.regions}


def _polres_over(unit: Unit, units: dict[str, Unit]) -> str:
    """The POLRES the unit is, or the first one up its parent_code chain ("" for none)."""
    seen: set[str] = set()
    while unit.kind != UnitKind.POLRES:
        if unit.parent_code not in units or unit.parent_code in seen:
            return ""
        seen.add(unit.code)
        unit = units[unit.parent_code]
    return unit.code


def _kabupaten_above(scenario: Scenario) -> dict[str, str]:
    parent = {r.code: r.parent_code for r in scenario.regions}
    regency = {r.code for r in scenario.regions if r.level in REGENCY_LEVELS}
    out: dict[str, str] = {}
    for r in scenario.regions:
        code, seen = r.code, set()
        while code and code not in regency and code not in seen:  # `seen`: a cycle ends the walk
            seen.add(code)
            code = parent.get(code, "")
        out[r.code] = code if code in regency else ""
    return out


def _units(scenario: Scenario, of_region: dict[str, str], polres: tuple[str, ...], given: bool) -> dict[str, str]:
    index = {code: k for k, code in enumerate(polres)}
    n_tps = len(scenario.tps)
    of_tps = map(of_region.get, map(attrgetter("desa_code"), scenario.tps), repeat(""))
    label = np.fromiter(map(index.__getitem__, of_tps), dtype=np.int64, count=n_tps)
    lat = np.fromiter(map(attrgetter("lat"), scenario.tps), dtype=float, count=n_tps)
    lon = np.fromiter(map(attrgetter("lon"), scenario.tps), dtype=float, count=n_tps)
    n = np.bincount(label, minlength=len(polres))
    centre_lat = np.bincount(label, weights=lat, minlength=len(polres)) / n
    centre_lon = np.bincount(label, weights=lon, minlength=len(polres)) / n
    units = {u.code: u for u in scenario.units}
    out = {u.code: _polres_over(u, units) for u in scenario.units} if given else {}
    out = {code: p for code, p in out.items() if p}
    out |= {
        u.code: of_region[u.kecamatan_code]
        for u in scenario.units
        if u.code not in out and of_region.get(u.kecamatan_code)
    }
    located = [(u, where) for u in scenario.units if u.code not in out and (where := point(u)) is not None]
    if located:
        lats, lons = [w[0] for _, w in located], [w[1] for _, w in located]
        km = geo.distance_matrix_km(lats, lons, centre_lat, centre_lon)
        for (u, _), k in zip(located, np.argmin(km, axis=1).tolist(), strict=True):  # argmin: the first on a tie
            out[u.code] = polres[k]
    for u in scenario.units:  # BKO: serves the host Polres, wherever it comes from
        if u.bko_to and u.bko_to in out:
            out[u.code] = out[u.bko_to]
    return out


def _near(lat1: float, lon1: float, lat2: float, lon2: float) -> bool:
    return abs(lat1 - lat2) < POINT_TOLERANCE_DEG and abs(lon1 - lon2) < POINT_TOLERANCE_DEG
