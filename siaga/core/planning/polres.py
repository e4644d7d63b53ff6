"""Splitting a scenario by Polres: one part per Polres jurisdiction, planned independently.

Two ways to say which Polres holds a place (docs/scenario.md 2.6):

- **By jurisdiction** (wilayah hukum), when some unit has a `parent_code` or some region a
  `polres_code`. A kecamatan belongs to the POLRES above its POLSEK (following `parent_code`),
  else to its `polres_code`; a desa to its kecamatan's Polres; a kabupaten/kota row to every
  part holding one of its kecamatan. Parts are named by the Polres unit code.
- **By kabupaten/kota** otherwise (files without those columns keep their meaning): a region
  belongs to the kabupaten/kota above it. Parts are named by the kabupaten code.

Either way a TPS belongs to its desa's part; a unit to the host Polres's when it is BKO
(`bko_to`), else (by jurisdiction) to itself when it is a POLRES or to the POLRES above it,
else to the part of its kecamatan_code, else (Polres, Kodim, Brimob and others without a
sector) to the part whose TPS centre lies nearest its point for the operation (assembly
point or base; great-circle distance, `geo.haversine_km`); a person to their unit's, a Linmas
member to their desa's; a campaign event to its kecamatan's part, else to the part whose TPS
centre lies nearest it (one Polres secures it, not each of them). A scenario whose TPS lie in
one part is one part. `split` is the one place that decides the parts: the engines plan
whatever it returns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from siaga.core.data.geo import haversine_km
from siaga.core.data.model import REGENCY_LEVELS, Level, Region, Scenario, Unit, UnitKind


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


def by_jurisdiction(scenario: Scenario) -> bool:
    """Whether the scenario says its Polres jurisdictions (else: one Polres per kabupaten)."""
    return any(u.parent_code for u in scenario.units) or any(r.polres_code for r in scenario.regions)


def jurisdiction_of(scenario: Scenario) -> dict[str, str]:
    """Region code -> the code of the Polres holding it ("" for none, and for kabupaten/kota)."""
    unit_by_code = scenario.unit_by_code()
    holder: dict[str, str] = {}
    for u in scenario.units:
        if u.kind == UnitKind.POLSEK and u.kecamatan_code and u.kecamatan_code not in holder:
            above = polres_above(u, unit_by_code)
            if above:
                holder[u.kecamatan_code] = above
    for r in scenario.regions:
        if r.level == Level.KECAMATAN and r.polres_code and r.code not in holder:
            holder[r.code] = r.polres_code
    return {r.code: holder.get(r.code) or holder.get(r.parent_code, "") for r in scenario.regions}


def polres_above(unit: Unit, unit_by_code: dict[str, Unit]) -> str:
    """The code of the POLRES the unit is or is under (following `parent_code`), "" for none."""
    code, seen = unit.code, set()
    while code in unit_by_code and unit_by_code[code].kind != UnitKind.POLRES and code not in seen:
        seen.add(code)
        code = unit_by_code[code].parent_code
    return code if code in unit_by_code and unit_by_code[code].kind == UnitKind.POLRES else ""


def point_of(unit: Unit) -> tuple[float, float] | None:
    """Where the unit is for the operation: its assembly point, else its base (None: neither)."""
    if unit.assembly_lat is not None and unit.assembly_lon is not None:
        return unit.assembly_lat, unit.assembly_lon
    if unit.lat is not None and unit.lon is not None:
        return unit.lat, unit.lon
    return None


def split(scenario: Scenario) -> dict[str, Scenario]:
    """The scenario's parts by Polres (or kabupaten) code, in the order they first appear in
    the TPS; a TPS of no Polres falls in the part "" (the reader refuses such files)."""
    jurisdiction = by_jurisdiction(scenario)
    kab = jurisdiction_of(scenario) if jurisdiction else kabupaten_of(scenario.regions)
    codes = list(dict.fromkeys(kab[t.desa_code] for t in scenario.tps))
    if len(codes) <= 1:
        return {codes[0] if codes else "": scenario}
    centre = _centres(scenario, kab)
    unit_by_code = scenario.unit_by_code()
    unit_kab = {}
    for u in scenario.units:
        point = point_of(u)
        above = polres_above(u, unit_by_code) if jurisdiction else ""
        if above:
            unit_kab[u.code] = above
        elif u.kecamatan_code and kab.get(u.kecamatan_code):
            unit_kab[u.code] = kab[u.kecamatan_code]
        elif point is not None:
            unit_kab[u.code] = min(centre, key=lambda k: haversine_km(*point, *centre[k]))
    for u in scenario.units:  # BKO: the host's part, once every host's part is known
        if u.bko_to in unit_kab:
            unit_kab[u.code] = unit_kab[u.bko_to]
    regions, tps, units, people, events = (defaultdict(list) for _ in range(5))
    held: dict[str, dict[str, None]] = defaultdict(dict)  # kabupaten -> the parts holding some of it
    if jurisdiction:
        for r in scenario.regions:
            if r.level == Level.KECAMATAN and kab[r.code]:
                held[r.parent_code][kab[r.code]] = None
    for r in scenario.regions:  # by jurisdiction, a kabupaten/kota row goes with each part holding some of it
        for code in held[r.code] if jurisdiction and r.level in REGENCY_LEVELS else (kab[r.code],):
            regions[code].append(r)
    for t in scenario.tps:
        tps[kab[t.desa_code]].append(t)
    for u in scenario.units:
        units[unit_kab.get(u.code, "")].append(u)
    for p in scenario.personnel:
        people[kab.get(p.desa_code, "") if not p.unit_code else unit_kab.get(p.unit_code, "")].append(p)
    for e in scenario.events:  # one Polres secures it: its kecamatan's, else the nearest
        held_by = kab.get(e.kecamatan_code, "")
        events[
            held_by if held_by in centre else min(centre, key=lambda k: haversine_km(e.lat, e.lon, *centre[k]))
        ].append(e)
    return {
        k: replace(
            scenario,
            regions=tuple(regions[k]),
            tps=tuple(tps[k]),
            units=tuple(units[k]),
            personnel=tuple(people[k]),
            events=tuple(events[k]),
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
