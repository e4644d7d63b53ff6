"""The independent plan checker: every rule of docs/scenario.md section 2, from scratch.

It shares no code with the planner (plan.py, posts.py, solvers.py, reserves.py, geo.py): only
the scenario model and what defines a plan's inputs: the pattern presets, the vulnerability
model and the split of a scenario by Polres. Each rule is a small named function in `RULES`;
`check_plan` runs them all and returns every violation, each naming its rule.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from siaga.core.data.model import Category, Force, Plan, Post, Scenario, UnitKind
from siaga.core.data.patterns import CUSTOM, PRESETS, rows_by_category
from siaga.core.planning import polres
from siaga.core.planning.risk import RiskModel, assess

WEIGHT = {"SANGAT_RAWAN": 8, "KHUSUS": 8, "RAWAN": 4, "KURANG_RAWAN": 2}
UNFILLED_KM = 10_000
SLOT_FORCE = {"POLRI": Force.POLRI, "TNI": Force.TNI, "LINMAS": Force.LINMAS, "BRIMOB": Force.BRIMOB}
RANK = {c: i for i, c in enumerate(("KURANG_RAWAN", "RAWAN", "SANGAT_RAWAN", "KHUSUS"))}
COST_TOLERANCE_KM = 1e-5
POINT_TOLERANCE_DEG = 1e-9


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (written again on purpose: the checker trusts nothing of the planner)."""
    r = 6371.0088
    a = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


class _Facts:
    """What the rules look up, computed once."""

    def __init__(self, scenario: Scenario, plan: Plan, model: RiskModel | None):
        scenario = _as_replanned(scenario, plan)
        self.scenario, self.plan, self.model = scenario, plan, model
        self.op = scenario.operation
        self.tps = {t.id: t for t in scenario.tps}
        self.regions = scenario.region_by_code()
        self.units = scenario.unit_by_code()
        self.persons = {p.id: p for p in scenario.personnel}
        self.posts = {p.id: p for p in plan.posts}

    @cached_property
    def categories(self) -> dict[str, str]:
        return {k: a.category.value for k, a in assess(self.scenario, self.model).items()}

    @cached_property
    def rows(self) -> dict[str, tuple[int, int, int, float]]:
        source = self.scenario.patterns if self.op.pattern == CUSTOM else PRESETS[self.op.pattern].rows
        return {
            c.value: (r.tps_per_post, r.polri_per_post, r.tni_per_post, r.linmas_per_tps)
            for c, r in rows_by_category(tuple(source)).items()
        }

    @cached_property
    def assigned(self) -> Counter[tuple[str, str]]:
        return Counter((a.post, a.slot) for a in self.plan.assignments)

    def posts_of(self, kind: str) -> list[Post]:
        return [p for p in self.plan.posts if p.kind == kind]

    def weight(self, post: Post) -> int:
        return WEIGHT[post.category.value] if post.kind == "TPS" else 1


def _as_replanned(scenario: Scenario, plan: Plan) -> Scenario:
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


Rule = Callable[[_Facts], Iterator[str]]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn

    return register


def check_plan(scenario: Scenario, plan: Plan, model: RiskModel | None = None) -> list[Violation]:
    facts = _Facts(scenario, plan, model)
    return [Violation(name, message) for name, fn in RULES.items() for message in fn(facts)]


@rule("unique_post_ids")
def _unique_post_ids(f: _Facts) -> Iterator[str]:
    for post_id, n in Counter(p.id for p in f.plan.posts).items():
        if n > 1:
            yield f"post {post_id} appears {n} times"


@rule("category")
def _category(f: _Facts) -> Iterator[str]:
    """Each TPS's category is its override if given, else the model's."""
    if set(f.plan.tps_categories) != set(f.tps):
        yield "tps_categories must name every TPS of the scenario exactly once"
    for tps_id, expected in f.categories.items():
        got = f.plan.tps_categories.get(tps_id)
        if got is not None and got.value != expected:
            yield f"TPS {tps_id}: category {got.value}, expected {expected}"


@rule("tps_in_one_post")
def _tps_in_one_post(f: _Facts) -> Iterator[str]:
    seen = Counter(t for p in f.posts_of("TPS") for t in p.tps)
    for tps_id in f.tps:
        if seen[tps_id] != 1:
            yield f"TPS {tps_id} is in {seen[tps_id]} TPS posts, expected exactly 1"
    for tps_id in seen.keys() - f.tps.keys():
        yield f"post holds unknown TPS {tps_id}"


@rule("post_desa_and_category")
def _post_desa_and_category(f: _Facts) -> Iterator[str]:
    """A TPS post holds TPS of one desa and one category, and says which."""
    for p in f.posts_of("TPS"):
        for t in p.tps:
            tps = f.tps.get(t)
            if tps is None:
                continue
            if tps.desa_code != p.desa_code:
                yield f"post {p.id}: TPS {t} is in desa {tps.desa_code}, not {p.desa_code}"
            if f.plan.tps_categories.get(t) != p.category:
                yield f"post {p.id} ({p.category.value}): TPS {t} has category {f.plan.tps_categories.get(t)}"
        region = f.regions.get(p.desa_code)
        if region is None or region.parent_code != p.kecamatan_code:
            yield f"post {p.id}: kecamatan {p.kecamatan_code} is not the kecamatan of desa {p.desa_code}"


@rule("post_size")
def _post_size(f: _Facts) -> Iterator[str]:
    for p in f.posts_of("TPS"):
        limit = f.rows[p.category.value][0]
        if not 1 <= len(p.tps) <= limit:
            yield f"post {p.id} holds {len(p.tps)} TPS; the pattern allows 1 to {limit}"


@rule("post_radius")
def _post_radius(f: _Facts) -> Iterator[str]:
    """The post stands at one of its TPS, and every TPS is within the radius of it."""
    for p in f.posts_of("TPS"):
        members = [f.tps[t] for t in p.tps if t in f.tps]
        if not any(
            abs(t.lat - p.lat) < POINT_TOLERANCE_DEG and abs(t.lon - p.lon) < POINT_TOLERANCE_DEG for t in members
        ):
            yield f"post {p.id} is not at the location of one of its TPS"
        for t in members:
            d = _km(p.lat, p.lon, t.lat, t.lon)
            if d > f.op.max_post_radius_km + 1e-9:
                yield f"post {p.id}: TPS {t.id} is {d:.3f} km away, more than {f.op.max_post_radius_km} km"


@rule("post_required")
def _post_required(f: _Facts) -> Iterator[str]:
    for p in f.posts_of("TPS"):
        _, polri, tni, linmas = f.rows[p.category.value]
        expected = {"POLRI": polri, "TNI": tni, "LINMAS": math.ceil(round(linmas * len(p.tps), 9))}
        got = {s: p.required.get(s, 0) for s in ("POLRI", "TNI", "LINMAS", "BRIMOB")}
        if got != {**expected, "BRIMOB": 0}:
            yield f"post {p.id} requires {got}, the pattern says {expected}"


@rule("village_posts")
def _village_posts(f: _Facts) -> Iterator[str]:
    """With a balai desa guard, one VILLAGE post per desa with a TPS, at the desa point."""
    guard = {"POLRI": f.op.village_guard_polri, "TNI": f.op.village_guard_tni}
    posts = f.posts_of("VILLAGE")
    if not (guard["POLRI"] or guard["TNI"]):
        if posts:
            yield f"{len(posts)} VILLAGE posts, but the operation asks for no balai desa guard"
        return
    highest: dict[str, str] = {}
    for t in f.scenario.tps:
        c = f.plan.tps_categories.get(t.id, Category.KURANG_RAWAN).value
        if t.desa_code not in highest or RANK[c] > RANK[highest[t.desa_code]]:
            highest[t.desa_code] = c
    by_desa = Counter(p.desa_code for p in posts)
    for desa in highest:
        if by_desa[desa] != 1:
            yield f"desa {desa} has {by_desa[desa]} VILLAGE posts, expected 1"
    for p in posts:
        region = f.regions.get(p.desa_code)
        if region is None or p.desa_code not in highest:
            yield f"VILLAGE post {p.id} is for desa {p.desa_code}, which has no TPS"
            continue
        if abs((region.lat or 0) - p.lat) > POINT_TOLERANCE_DEG or abs((region.lon or 0) - p.lon) > POINT_TOLERANCE_DEG:
            yield f"VILLAGE post {p.id} is not at the desa point"
        if p.kecamatan_code != region.parent_code:
            yield f"VILLAGE post {p.id}: kecamatan {p.kecamatan_code} is not the kecamatan of desa {p.desa_code}"
        if p.category.value != highest[p.desa_code]:
            yield f"VILLAGE post {p.id} has category {p.category.value}, the desa's highest is {highest[p.desa_code]}"
        got = {s: p.required.get(s, 0) for s in ("POLRI", "TNI", "LINMAS", "BRIMOB")}
        if got != {**guard, "LINMAS": 0, "BRIMOB": 0}:
            yield f"VILLAGE post {p.id} requires {got}, the operation says {guard}"


@rule("reserve_posts")
def _reserve_posts(f: _Facts) -> Iterator[str]:
    """floor(available Brimob / team size) reserve teams per Polres, at unit locations."""
    size = f.op.reserve_team_size
    teams = sum(
        sum(1 for p in part.personnel if p.available and p.force == Force.BRIMOB) // size
        for part in polres.split(f.scenario).values()
    )
    posts = f.posts_of("RESERVE")
    if len(posts) != teams:
        yield f"{len(posts)} reserve teams, expected {teams} (available Brimob of each Polres // {size})"
    sites = {(u.lat, u.lon) for u in f.scenario.units}
    for p in posts:
        if not any(
            abs(p.lat - la) < POINT_TOLERANCE_DEG and abs(p.lon - lo) < POINT_TOLERANCE_DEG
            for la, lo in sites
            if la is not None and lo is not None
        ):
            yield f"reserve post {p.id} is not at a unit location"
        if {s: n for s, n in p.required.items() if n} != {"BRIMOB": f.op.reserve_team_size}:
            yield f"reserve post {p.id} requires {dict(p.required)}, expected {f.op.reserve_team_size} BRIMOB"


@rule("eligibility")
def _eligibility(f: _Facts) -> Iterator[str]:
    """The right force in each slot, Linmas only in their own desa, nobody unavailable."""
    for a in f.plan.assignments:
        person, post = f.persons.get(a.person), f.posts.get(a.post)
        if person is None or post is None:
            yield f"assignment of {a.person} to {a.post}: unknown person or post"
            continue
        if not person.available:
            yield f"{a.person} is not available but is assigned to {a.post}"
        if SLOT_FORCE.get(a.slot) != person.force:
            yield f"{a.person} ({person.force.value}) fills a {a.slot} slot at {a.post}"
        if a.slot == "LINMAS" and person.desa_code != post.desa_code:
            yield f"Linmas {a.person} of desa {person.desa_code} serves outside it, at {a.post}"


@rule("own_polres")
def _own_polres(f: _Facts) -> Iterator[str]:
    """Each Polres plans its own operation: people serve at posts of their own Polres."""
    parts = polres.split(f.scenario)
    if len(parts) < 2:
        return
    home = {p.id: code for code, part in parts.items() for p in part.personnel}
    post_home: dict[str, str] = {}
    for code, part in parts.items():
        desa = {r.code for r in part.regions}
        units = {(u.lat, u.lon) for u in part.units}
        for post in f.plan.posts:
            if post.desa_code in desa or (post.kind == "RESERVE" and (post.lat, post.lon) in units):
                post_home.setdefault(post.id, code)
    for a in f.plan.assignments:
        if a.person in home and a.post in post_home and home[a.person] != post_home[a.post]:
            yield f"{a.person} of Polres {home[a.person]} serves at {a.post} of Polres {post_home[a.post]}"


@rule("one_slot_per_person")
def _one_slot_per_person(f: _Facts) -> Iterator[str]:
    for person, n in Counter(a.person for a in f.plan.assignments).items():
        if n > 1:
            yield f"{person} fills {n} slots"


@rule("capacity")
def _capacity(f: _Facts) -> Iterator[str]:
    for (post_id, slot), n in f.assigned.items():
        post = f.posts.get(post_id)
        limit = post.required.get(slot, 0) if post else 0
        if n > limit:
            yield f"post {post_id} has {n} in {slot} slots, it requires {limit}"


@rule("cost")
def _cost(f: _Facts) -> Iterator[str]:
    """road_factor x distance from the person's origin, plus the out-of-sector penalty."""
    for a in f.plan.assignments:
        person, post = f.persons.get(a.person), f.posts.get(a.post)
        if person is None or post is None:
            continue
        if person.force == Force.LINMAS:
            desa = f.regions[person.desa_code]
            lat, lon, sector = desa.lat, desa.lon, ""
        else:
            unit = f.units[person.unit_code]
            lat, lon = unit.lat, unit.lon
            sector = unit.kecamatan_code if unit.kind in (UnitKind.POLSEK, UnitKind.KORAMIL) else ""
        expected = f.op.road_factor * _km(lat or 0, lon or 0, post.lat, post.lon)
        if sector and post.kecamatan_code != sector:
            expected += f.op.out_of_sector_penalty_km
        if abs(expected - a.cost_km) > COST_TOLERANCE_KM:
            yield f"{a.person} at {a.post}: cost {a.cost_km} km, expected {expected:.6f} km"


@rule("unfilled")
def _unfilled(f: _Facts) -> Iterator[str]:
    """Every place left empty is listed, with the right count, and nothing else is."""
    listed: dict[tuple[str, str], int] = defaultdict(int)
    for u in f.plan.unfilled:
        listed[(u.post, u.slot)] += u.count
    for p in f.plan.posts:
        for slot, need in p.required.items():
            missing = max(0, need - f.assigned[(p.id, slot)])
            if listed.pop((p.id, slot), 0) != missing:
                yield f"post {p.id} {slot}: {missing} unfilled, the plan lists another count"
    for (post_id, slot), n in listed.items():
        if n:
            yield f"plan lists {n} unfilled {slot} at {post_id}, which needs none"


@rule("summary")
def _summary(f: _Facts) -> Iterator[str]:
    s = f.plan.summary
    penalty = sum(
        f.weight(p) * UNFILLED_KM * max(0, need - f.assigned[(p.id, slot)])
        for p in f.plan.posts
        for slot, need in p.required.items()
    )
    cost = sum(a.cost_km for a in f.plan.assignments)
    village = {t.desa_code for t in f.scenario.tps}
    expected = {
        "tps": len(f.scenario.tps),
        "desa": len(village),
        "kecamatan": len({f.regions[d].parent_code for d in village if d in f.regions}),
        "persons": len(f.scenario.personnel),
        "assigned": len(f.plan.assignments),
        "idle": len(f.scenario.personnel) - len(f.plan.assignments),
        "slots": sum(sum(p.required.values()) for p in f.plan.posts),
        "unfilled": sum(max(0, n - f.assigned[(p.id, s)]) for p in f.plan.posts for s, n in p.required.items()),
    }
    for key, count in expected.items():
        if s.get(key) != count:
            yield f"summary.{key} is {s.get(key)}, expected {count}"
    for key, km in (("cost_km", cost), ("objective", penalty + cost)):
        if not math.isclose(float(s.get(key, math.nan)), km, rel_tol=1e-9, abs_tol=1e-4):
            yield f"summary.{key} is {s.get(key)}, expected {km:.6f}"
    if not float(s.get("lower_bound", math.inf)) <= float(s.get("objective", -math.inf)) + 1e-9:
        yield "summary.lower_bound is above the objective"
    covered, total = _reserve_coverage(f)
    for key, weight in (("reserve_covered_weight", covered), ("reserve_total_weight", total)):
        if not math.isclose(float(s.get(key, math.nan)), weight, abs_tol=1e-6):
            yield f"summary.{key} is {s.get(key)}, expected {weight:g}"


def _reserve_coverage(f: _Facts) -> tuple[float, float]:
    """Category weight of the TPS some reserve team reaches within the response time, and of all."""
    reach_km = f.op.speed_kmh * f.op.response_minutes / 60
    teams = f.posts_of("RESERVE")
    covered = total = 0.0
    for t in f.scenario.tps:
        weight = WEIGHT[f.plan.tps_categories[t.id].value] if t.id in f.plan.tps_categories else 0
        total += weight
        if any(f.op.road_factor * _km(p.lat, p.lon, t.lat, t.lon) <= reach_km + 1e-9 for p in teams):
            covered += weight
    return covered, total
