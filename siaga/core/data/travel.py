"""Road travel times between places: the `travel_times` sheet of a scenario (docs/scenario.md
2.14), or the same table as a CSV file given beside the workbook (`siaga plan --travel FILE`).
They decide which TPS a reserve team reaches within the response time (the planner's placement
and the checker's coverage rule alike), and the travel of a person between two of his duties
(an escort run, a warehouse shift, the PPK guard: the roster and the checker's `duty_travel` and
`duty_rest`) where both duties stand at named places (`measure`: a duty at a desa's or a
kecamatan's point, a TPS, a unit's base).

A row: `from` (`dari`), `to` (`ke`), `minutes` (`menit`), the minutes by road from one place
to the other. A place is named by a code the scenario has: a unit code (the `units` sheet: a
Polsek, a Brimob platoon's base), a TPS id (`tps`) or a region code (`regions`: a desa's point,
a kecamatan's). A row counts both ways unless the way back has a row of its own. Where a pair
has no row, the straight-line estimate stands (km x road_factor at speed_kmh): `geo.Travel`
is the one place that chooses. A row with an unknown code, minutes that are no number or
below 0, or a pair given twice is refused, the file, row and column named; nothing is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from siaga.core.data import geo
from siaga.core.data.model import Scenario
from siaga.core.data.scenario import read_travel_times
from siaga.core.data.text import _, gettext_noop, number
from siaga.core.data.workbook import LIMITS, Limits, _read_csv


def places(scenario: Scenario) -> set[str]:
    """Every code a travel time may name."""
    return {*(r.code for r in scenario.regions), *(t.id for t in scenario.tps), *(u.code for u in scenario.units)}


def points(scenario: Scenario) -> dict[tuple[float, float], str]:
    """Each named place's point -> its code (a region's first, then a TPS's, then a unit's where
    two share a point): a duty held at a point is held at that place."""
    out: dict[tuple[float, float], str] = {}
    for code, lat, lon in (
        *((r.code, r.lat, r.lon) for r in scenario.regions),
        *((t.id, t.lat, t.lon) for t in scenario.tps),
        *((u.code, u.lat, u.lon) for u in scenario.units),
    ):
        if lat is not None and lon is not None:
            out.setdefault((float(lat), float(lon)), code)
    return out


def measure(scenario: Scenario) -> geo.Travel:
    """The scenario's travel: its road times where given (with the points of its places), else
    the straight-line estimate."""
    op = scenario.operation
    if not scenario.travel_times:
        return geo.Travel.of(op.road_factor, op.speed_kmh)
    return geo.Travel.of(op.road_factor, op.speed_kmh, scenario.travel_times, points(scenario))


def with_travel_times(scenario: Scenario, path: Path | str, limits: Limits = LIMITS) -> Scenario:
    """The scenario with the road times of the CSV file at `path` in place of its own sheet's.
    Raises ScenarioError (each problem naming the file as its sheet, the row and column)."""
    raw = _read_csv(Path(path), limits)
    return replace(scenario, travel_times=read_travel_times(raw, places(scenario)))


def sentence(travel: Mapping[str, object] | None, lang: str = "id") -> str:
    """What a plan says of how it measured its reserve teams' reach and its people's travel
    between duties (its `travel` key, docs/scenario.md 2.14)."""
    if not travel or not travel.get("by_road"):
        return _(STRAIGHT, lang)
    return _(ROAD, lang, n=number(float(str(travel.get("road_times", 0))), lang))


STRAIGHT = gettext_noop(
    "Jangkauan tim cadangan dan perjalanan personel antartugas (pengawalan, jaga gudang) diperkirakan dari jarak "
    "garis lurus dikali faktor jalan (tidak ada waktu tempuh jalan)."
)
ROAD = gettext_noop(
    "Jangkauan tim cadangan dan perjalanan personel antartugas (pengawalan, jaga gudang) memakai waktu tempuh "
    "jalan (lembar waktu tempuh, %(n)s baris) di antara tempat yang disebutnya; pasangan tempat lain "
    "diperkirakan dari jarak garis lurus dikali faktor jalan."
)
