"""Splitting a scenario by Polres: one part per kabupaten/kota, planned independently.

A region belongs to the kabupaten/kota above it; a TPS to its desa's; a unit to the kabupaten
of its kecamatan_code, or (Polres, Kodim, Brimob and others without a sector) to the
kabupaten whose TPS centre lies nearest (great-circle distance, `geo.haversine_km`); a
person to their unit's, a Linmas member to their desa's. A scenario with one kabupaten is one
part. `split` is the one place that decides the parts: the engines plan whatever it returns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from siaga.core.data.geo import haversine_km
from siaga.core.data.model import REGENCY_LEVELS, Region, Scenario


def kabupaten_of(regions: tuple[Region, ...]) -> dict[str, str]:
    """Region code -> the code of the kabupaten/kota above it ("" when there is none)."""
    parent = {r.code: r.parent_code for r in regions}
    top = {r.code for r in regions if r.level in REGENCY_LEVELS}
    out: dict[str, str] = {}
    for r in regions:
        code, steps = r.code, 0
        while code and code not in top and steps < 10:
            code, steps = parent.get(code, ""), steps + 1
        out[r.code] = code if code in top else ""
    return out


def split(scenario: Scenario) -> dict[str, Scenario]:
    """The scenario's parts by kabupaten code, in the order the kabupaten first appear."""
    kab = kabupaten_of(scenario.regions)
    codes = list(dict.fromkeys(kab[t.desa_code] for t in scenario.tps))
    if len(codes) <= 1:
        return {codes[0] if codes else "": scenario}
    centre = _centres(scenario, kab)
    unit_kab = {}
    for u in scenario.units:
        if u.kecamatan_code and kab.get(u.kecamatan_code):
            unit_kab[u.code] = kab[u.kecamatan_code]
        elif u.lat is not None and u.lon is not None:
            unit_kab[u.code] = min(centre, key=lambda k: haversine_km(u.lat, u.lon, *centre[k]))  # type: ignore[arg-type]
    regions, tps, units, people = (defaultdict(list) for _ in range(4))
    for r in scenario.regions:
        regions[kab[r.code]].append(r)
    for t in scenario.tps:
        tps[kab[t.desa_code]].append(t)
    for u in scenario.units:
        units[unit_kab.get(u.code, "")].append(u)
    for p in scenario.personnel:
        people[kab.get(p.desa_code, "") if not p.unit_code else unit_kab.get(p.unit_code, "")].append(p)
    return {
        k: replace(
            scenario, regions=tuple(regions[k]), tps=tuple(tps[k]), units=tuple(units[k]), personnel=tuple(people[k])
        )
        for k in codes
    }


def _centres(scenario: Scenario, kab: dict[str, str]) -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for t in scenario.tps:
        s = sums[kab[t.desa_code]]
        s[0] += t.lat
        s[1] += t.lon
        s[2] += 1
    return {k: (s[0] / s[2], s[1] / s[2]) for k, s in sums.items()}
