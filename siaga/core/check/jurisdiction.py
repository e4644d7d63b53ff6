"""Which Polres each region, TPS, unit, person and post belongs to, derived by the checker.

Written from docs/scenario.md section 2.6, not taken from the planner's split
(`siaga.core.planning.polres`), so an error in the planner's decomposition is caught here
instead of being made twice:

- a region belongs to the KABUPATEN or KOTA above it (following `parent_code`), "" when none;
- a TPS to its desa's;
- a unit to the kabupaten of its `kecamatan_code` or, without one, to the kabupaten whose TPS
  centre (the mean latitude and longitude of its TPS) lies nearest by great-circle distance,
  the first kabupaten (in the order its first TPS appears) on a tie; a unit with neither
  belongs to no Polres ("");
- a person to their unit's, a Linmas member (no unit) to their desa's;
- a TPS or VILLAGE post to its desa's; a RESERVE post to the unit it stands at.

A scenario whose TPS lie in one kabupaten (or in none) is one Polres: everything is in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from siaga.core.data import geo
from siaga.core.data.model import REGENCY_LEVELS, Person, Post, Scenario, Unit

POINT_TOLERANCE_DEG = 1e-9


@dataclass(frozen=True)
class Jurisdiction:
    """Polres codes (kabupaten codes) by region and unit, and of a person; `single` when the
    scenario is one Polres."""

    single: bool
    polres: tuple[str, ...]  # the kabupaten that have TPS, in the order they first appear; ("",) for none
    of_region: dict[str, str]
    of_unit: dict[str, str]

    def of_tps_desa(self, desa_code: str) -> str:
        return self.of_region.get(desa_code, "")

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
            return self.of_region.get(post.desa_code, "")
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
    at: dict[tuple[float, float], list[Unit]] = {}
    for u in scenario.units:
        if u.lat is not None and u.lon is not None:
            at.setdefault((u.lat, u.lon), []).append(u)
    return at


def derive(scenario: Scenario) -> Jurisdiction:
    of_region = _kabupaten_above(scenario)
    polres = tuple(dict.fromkeys(of_region.get(t.desa_code, "") for t in scenario.tps)) or ("",)
    if len(polres) == 1:
        code = polres[0]
        return Jurisdiction(
            True, polres, {r.code: code for r in scenario.regions}, {u.code: code for u in scenario.units}
        )
    return Jurisdiction(False, polres, of_region, _units(scenario, of_region, polres))


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


def _units(scenario: Scenario, of_region: dict[str, str], polres: tuple[str, ...]) -> dict[str, str]:
    index = {code: k for k, code in enumerate(polres)}
    n_tps = len(scenario.tps)
    label = np.fromiter((index[of_region.get(t.desa_code, "")] for t in scenario.tps), dtype=np.int64, count=n_tps)
    lat = np.fromiter(map(attrgetter("lat"), scenario.tps), dtype=float, count=n_tps)
    lon = np.fromiter(map(attrgetter("lon"), scenario.tps), dtype=float, count=n_tps)
    n = np.bincount(label, minlength=len(polres))
    centre_lat = np.bincount(label, weights=lat, minlength=len(polres)) / n
    centre_lon = np.bincount(label, weights=lon, minlength=len(polres)) / n
    out = {u.code: of_region[u.kecamatan_code] for u in scenario.units if of_region.get(u.kecamatan_code)}
    located = [u for u in scenario.units if u.code not in out and u.lat is not None and u.lon is not None]
    if located:
        km = geo.distance_matrix_km([u.lat for u in located], [u.lon for u in located], centre_lat, centre_lon)
        for u, k in zip(located, np.argmin(km, axis=1).tolist(), strict=True):  # argmin: the first on a tie
            out[u.code] = polres[k]
    return out


def _near(lat1: float, lon1: float, lat2: float, lon2: float) -> bool:
    return abs(lat1 - lat2) < POINT_TOLERANCE_DEG and abs(lon1 - lon2) < POINT_TOLERANCE_DEG
