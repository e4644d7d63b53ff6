"""Tiny planner scenarios and a brute-force optimum to hold the planner to.

`tiny_scenario` builds a valid Scenario from a few numbers: desa and TPS as offsets (degrees)
from fixed points, people by where they come from. `brute_force` solves the assignment of
docs/scenario.md section 2.3-2.5 by trying every choice of every person, with its own
distance and cost rules: it shares no code with the planner.

Geography: kecamatan k (0-based) is centred at BASE + (0, 0.03 k); its Polsek stands 0.001
north of that centre and its Koramil 0.002 east; the Polres, Kodim, Brimob and Satpol PP
units stand near BASE. Desa points are offsets from their kecamatan centre, TPS points
offsets from their desa point.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from hypothesis import strategies as st

from siaga.core.data.model import (
    Category,
    Force,
    Level,
    Operation,
    PatternRow,
    Person,
    Plan,
    Post,
    Region,
    Scenario,
    Tps,
    Unit,
    UnitKind,
)

BASE = (-7.65, 112.90)
KABUPATEN = "35.01"
KECAMATAN_STEP_DEG = 0.03
# Unit code -> (kind, offset from BASE) for the units that are not tied to a kecamatan.
REGENCY_UNITS = {
    "POLRES": (UnitKind.POLRES, (0.010, 0.000)),
    "KODIM": (UnitKind.KODIM, (0.008, 0.004)),
    "BRIMOB": (UnitKind.BRIMOB, (-0.010, 0.010)),
    "SATPOLPP": (UnitKind.SATPOL_PP, (0.012, -0.004)),
}
FORCE_OF_KIND = {
    UnitKind.POLRES: Force.POLRI,
    UnitKind.POLSEK: Force.POLRI,
    UnitKind.KODIM: Force.TNI,
    UnitKind.KORAMIL: Force.TNI,
    UnitKind.BRIMOB: Force.BRIMOB,
    UnitKind.SATPOL_PP: Force.SATPOL_PP,
}
WEIGHT = {Category.KURANG_RAWAN: 2, Category.RAWAN: 4, Category.SANGAT_RAWAN: 8, Category.KHUSUS: 8}
SLOT_FORCE = {"POLRI": Force.POLRI, "TNI": Force.TNI, "LINMAS": Force.LINMAS, "BRIMOB": Force.BRIMOB}


def kecamatan_code(k: int) -> str:
    return f"{KABUPATEN}.{k + 1:02d}"


def desa_code(d: int, desa: Sequence[tuple[int, float, float]]) -> str:
    """The code of desa number d (its index in `desa`)."""
    return f"{kecamatan_code(desa[d][0])}.{2001 + d}"


def kecamatan_point(k: int) -> tuple[float, float]:
    return BASE[0], BASE[1] + KECAMATAN_STEP_DEG * k


def person_id(i: int, force: Force) -> str:
    """The `i`th person's NRP (8 digits) or Linmas NIK (16), as the reader holds them; ids
    sort by `i` as "P00", "P01" ... did."""
    return f"{i:02d}".ljust(16 if force == Force.LINMAS else 8, "0")


def twin_id(person_id: str) -> str:
    """A twin's NRP/NIK (`twin_kabupaten`): as long as the first's, ending in 9 where
    `person_id`'s end in 0; any other id gets a "B"."""
    return person_id[:-1] + "9" if person_id.isdigit() and person_id.endswith("0") else f"{person_id}B"


def is_twin(person_id: str) -> bool:
    return person_id.endswith(("9", "B"))


def tiny_scenario(
    tps: Sequence[tuple[int, Category, float, float]],
    persons: Sequence[tuple[str, bool]] = (),
    desa: Sequence[tuple[int, float, float]] = ((0, 0.0, 0.0),),
    pattern: str | Sequence[PatternRow] = "pilkades-paskot-2022",
    unit_points: Mapping[str, tuple[float, float]] | None = None,
    **operation: object,
) -> Scenario:
    """A valid scenario.

    tps: (desa index, category, dlat, dlon from the desa point), each with a category override.
    persons: (origin, available); origin is a unit code (POLRES, KODIM, BRIMOB, SATPOLPP,
    POLSEK-<k>, KORAMIL-<k>, k the 0-based kecamatan) or LINMAS-<desa index>. Ids P00, P01, ...
    desa: (kecamatan index, dlat, dlon from the kecamatan centre).
    pattern: a preset name, or the rows of a custom pattern.
    unit_points: absolute (lat, lon) of some units, to place them by hand.
    operation: any Operation field (road_factor, reserve_team_size, village_guard_polri, ...).
    """
    kecamatan = sorted({k for k, _, _ in desa})
    regions = [Region(KABUPATEN, "Kabupaten Uji", Level.KABUPATEN, "35")]
    for k in kecamatan:
        lat, lon = kecamatan_point(k)
        regions.append(Region(kecamatan_code(k), f"Kecamatan {k}", Level.KECAMATAN, KABUPATEN, lat, lon))
    desa_points = []
    for d, (k, dlat, dlon) in enumerate(desa):
        lat, lon = kecamatan_point(k)
        desa_points.append((round(lat + dlat, 6), round(lon + dlon, 6)))
        regions.append(Region(desa_code(d, desa), f"Desa {d}", Level.DESA, kecamatan_code(k), *desa_points[-1]))
    tps_list = []
    numbers: dict[int, int] = {}
    for d, category, dlat, dlon in tps:
        numbers[d] = numbers.get(d, 0) + 1
        lat, lon = desa_points[d]
        tps_list.append(
            Tps(
                id=f"{desa_code(d, desa)}-{numbers[d]:02d}",
                desa_code=desa_code(d, desa),
                number=numbers[d],
                voters=300,
                lat=round(lat + dlat, 6),
                lon=round(lon + dlon, 6),
                category=category,
                category_reason="ditetapkan untuk uji / set by the test",
            )
        )
    units = _units(kecamatan, unit_points or {})
    kind_of = {u.code: u.kind for u in units}
    people = []
    for i, (origin, available) in enumerate(persons):
        if origin.startswith("LINMAS-"):
            d = int(origin.split("-")[1])
            people.append(
                Person(
                    person_id(i, Force.LINMAS),
                    f"Linmas {i}",
                    force=Force.LINMAS,
                    desa_code=desa_code(d, desa),
                    available=available,
                )
            )
        else:
            people.append(
                Person(
                    person_id(i, FORCE_OF_KIND[kind_of[origin]]),
                    f"Anggota {i}",
                    "BRIPDA",
                    origin,
                    FORCE_OF_KIND[kind_of[origin]],
                    available=available,
                )
            )
    if isinstance(pattern, str):
        name, rows = pattern, ()
    else:
        name, rows = "custom", tuple(pattern)
    op = Operation("Operasi Uji", dt.date(2024, 2, 14), pattern=name, **operation)  # type: ignore[arg-type]
    return Scenario(op, tuple(regions), tuple(tps_list), tuple(units), tuple(people), rows)


def _units(kecamatan: list[int], points: Mapping[str, tuple[float, float]]) -> list[Unit]:
    units = []
    for code, (kind, (dlat, dlon)) in REGENCY_UNITS.items():
        lat, lon = points.get(code, (BASE[0] + dlat, BASE[1] + dlon))
        units.append(Unit(code, code.title(), kind, "", lat, lon))
    for k in kecamatan:
        clat, clon = kecamatan_point(k)
        for code, kind, spot in (
            (f"POLSEK-{k}", UnitKind.POLSEK, (clat + 0.001, clon)),
            (f"KORAMIL-{k}", UnitKind.KORAMIL, (clat, clon + 0.002)),
        ):
            lat, lon = points.get(code, spot)
            units.append(Unit(code, code.title(), kind, kecamatan_code(k), lat, lon))
    return units


def twin_kabupaten(scenario: Scenario, north_deg: float = 0.3) -> Scenario:
    """The scenario and a copy of it as a second kabupaten (35.02, `north_deg` further north):
    codes, ids and units renamed (unit codes get a "B", ids `twin_id`), so two Polres plan apart."""

    def code(c: str) -> str:
        return c.replace(KABUPATEN, "35.02", 1) if c.startswith(KABUPATEN) else c

    def north(lat: float | None) -> float | None:
        return None if lat is None else round(lat + north_deg, 6)

    regions = tuple(
        replace(r, code=code(r.code), parent_code=code(r.parent_code), lat=north(r.lat)) for r in scenario.regions
    )
    tps = tuple(replace(t, id=code(t.id), desa_code=code(t.desa_code), lat=north(t.lat)) for t in scenario.tps)
    units = tuple(
        replace(u, code=f"{u.code}-B", kecamatan_code=code(u.kecamatan_code), lat=north(u.lat)) for u in scenario.units
    )
    people = tuple(
        replace(p, id=twin_id(p.id), unit_code=f"{p.unit_code}-B" if p.unit_code else "", desa_code=code(p.desa_code))
        for p in scenario.personnel
    )
    return replace(
        scenario,
        regions=scenario.regions + regions,
        tps=scenario.tps + tps,
        units=scenario.units + units,
        personnel=scenario.personnel + people,
    )


def rows(*values: tuple[Category, int, int, int, float]) -> tuple[PatternRow, ...]:
    return tuple(PatternRow(*v) for v in values)


# ---------------------------------------------------------------- the rules, written again


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the mean earth radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def eligible(person: Person, post: Post, slot: str) -> bool:
    """Section 2.3: the slot's own force, Linmas only in their own desa, available people only."""
    if not person.available or SLOT_FORCE[slot] != person.force:
        return False
    return slot != "LINMAS" or person.desa_code == post.desa_code


def cost_km(scenario: Scenario, person: Person, post: Post) -> float:
    """Section 2.4: road factor x distance from the person's origin, plus the out-of-sector penalty."""
    op = scenario.operation
    if person.force == Force.LINMAS:
        origin = next(r for r in scenario.regions if r.code == person.desa_code)
        lat, lon, sector = origin.lat, origin.lon, ""
    else:
        unit = next(u for u in scenario.units if u.code == person.unit_code)
        lat, lon = unit.lat, unit.lon
        sector = unit.kecamatan_code if unit.kind in (UnitKind.POLSEK, UnitKind.KORAMIL) else ""
    assert lat is not None and lon is not None
    cost = op.road_factor * haversine_km(lat, lon, post.lat, post.lon)
    if sector and post.kecamatan_code != sector:
        cost += op.out_of_sector_penalty_km
    return cost


def weight(post: Post) -> int:
    return WEIGHT[post.category] if post.kind == "TPS" else 1


def reserve_coverage(scenario: Scenario, plan: Plan) -> tuple[int, int]:
    """(covered, total) category weight of the TPS: covered when some reserve team reaches it
    within `response_minutes` at `speed_kmh` over road distance (section 1, `operation`)."""
    op = scenario.operation
    reach_km = op.speed_kmh * op.response_minutes / 60
    teams = [p for p in plan.posts if p.kind == "RESERVE"]
    covered = total = 0
    for t in scenario.tps:
        w = WEIGHT[plan.tps_categories[t.id]]
        total += w
        if any(op.road_factor * haversine_km(q.lat, q.lon, t.lat, t.lon) <= reach_km for q in teams):
            covered += w
    return covered, total


@dataclass(frozen=True)
class BruteForce:
    optimum: float  # the least objective, in km (section 2.5)
    fewest_moved: int  # among assignments with the least metre-rounded objective, fewest moved
    best_moved_objective: float  # the objective of that fewest-moved assignment


def brute_force(
    scenario: Scenario, posts: Sequence[Post], previous: Mapping[str, tuple[str, str]] | None = None
) -> BruteForce:
    """Every way to send each available person to one eligible place or nowhere, searched
    person by person (remembering the best completion for each set of places still open).

    A person moves when they fill a place other than the (post, slot) they held in `previous`.
    Moves are compared among the assignments whose objective, with every travel cost rounded
    to the metre, is least (a re-plan works in metres).
    """
    places = [(post, slot) for post in posts for slot, n in post.required.items() if n > 0]
    previous = previous or {}
    options = []
    for person in scenario.personnel:
        choices = [
            (i, cost_km(scenario, person, post), (post.id, slot) != previous.get(person.id))
            for i, (post, slot) in enumerate(places)
            if eligible(person, post, slot)
        ]
        if choices:
            options.append([(i, c, round(c * 1000), m) for i, c, m in choices])
    penalty = [weight(post) * 10_000 for post, _ in places]

    @functools.cache
    def best(k: int, left: tuple[int, ...]) -> tuple[float, tuple[int, int], float]:
        """For persons k, ... and the places still open: the least objective, the least
        (metre-rounded objective, moves), and the objective of the latter."""
        if k == len(options):
            unfilled = sum(p * n for p, n in zip(penalty, left, strict=True))
            return unfilled, (unfilled * 1000, 0), unfilled
        optimum, key, key_objective = best(k + 1, left)  # person k stays idle
        for i, c, m, is_move in options[k]:
            if left[i]:
                tail = best(k + 1, (*left[:i], left[i] - 1, *left[i + 1 :]))
                optimum = min(optimum, c + tail[0])
                candidate = (m + tail[1][0], is_move + tail[1][1])
                if candidate < key:
                    key, key_objective = candidate, c + tail[2]
        return optimum, key, key_objective

    optimum, (_, moved), objective = best(0, tuple(post.required[slot] for post, slot in places))
    return BruteForce(optimum, moved, objective)


# ---------------------------------------------------------------- random tiny scenarios

CATEGORIES = list(Category)
SMALL_PRESETS = ("pilkades-paskot-2022", "pemilu-2024", "pilkada-2015", "pemilu-2019")
offset = st.integers(-90, 90).map(lambda n: n * 1e-4)  # up to 1 km in each direction


@st.composite
def pattern_rows(draw: st.DrawFn) -> tuple[PatternRow, ...]:
    """A custom pattern: a row for every category but KHUSUS, which may take SANGAT_RAWAN's."""
    chosen = CATEGORIES if draw(st.booleans()) else CATEGORIES[:3]
    return tuple(
        PatternRow(
            c,
            draw(st.integers(1, 3)),
            draw(st.integers(0, 2)),
            draw(st.integers(0, 1)),
            draw(st.sampled_from((0, 0.5, 1, 1.5, 2))),
        )
        for c in chosen
    )


@st.composite
def tiny_scenarios(draw: st.DrawFn, min_persons: int = 0, max_persons: int = 11) -> Scenario:
    """1 kabupaten, 1-2 kecamatan, 1-3 desa, 1-6 TPS, a few units and people, small patterns."""
    n_kecamatan = draw(st.integers(1, 2))
    desa = [(draw(st.integers(0, n_kecamatan - 1)), draw(offset), draw(offset)) for _ in range(draw(st.integers(1, 3)))]
    categories = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True))
    tps = [
        (draw(st.integers(0, len(desa) - 1)), draw(st.sampled_from(categories)), draw(offset), draw(offset))
        for _ in range(draw(st.integers(1, 6)))
    ]
    # Repeated origins are drawn more often: enough Polri, Brimob and Linmas to fill something.
    # Half the time people come from a few origins, so several share one (and are interchangeable).
    origins = ["POLRES", "POLRES", "KODIM", "BRIMOB", "BRIMOB", "SATPOLPP"]
    origins += [f"{u}-{k}" for k in sorted({k for k, _, _ in desa}) for u in ("POLSEK", "POLSEK", "KORAMIL")]
    origins += [f"LINMAS-{d}" for d in range(len(desa)) for _ in range(2)]
    if draw(st.booleans()):
        origins = draw(st.lists(st.sampled_from(origins), min_size=1, max_size=3))
    persons = draw(
        st.lists(
            st.tuples(st.sampled_from(origins), st.sampled_from((True, True, True, False))),
            min_size=min_persons,
            max_size=max_persons,
        )
    )
    pattern = draw(st.one_of(st.sampled_from(SMALL_PRESETS), pattern_rows()))
    return tiny_scenario(
        tps,
        persons,
        desa,
        pattern,
        village_guard_polri=draw(st.integers(0, 1)),
        village_guard_tni=draw(st.integers(0, 1)),
        reserve_team_size=draw(st.integers(1, 3)),
        max_post_radius_km=draw(st.sampled_from((0.5, 1.0, 2.0))),
    )


def available_count(scenario: Scenario) -> int:
    return sum(1 for p in scenario.personnel if p.available and p.force in SLOT_FORCE.values())


def slot_count(posts: Sequence[Post]) -> int:
    return sum(n for p in posts for n in p.required.values())


def without_roster(plan: Plan) -> Plan:
    """The plan as it was before rosters: its vote alone, for tests that break the vote's rules."""
    return replace(plan, extra={k: v for k, v in plan.extra.items() if k != "roster"})
