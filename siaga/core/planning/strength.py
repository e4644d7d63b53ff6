"""Does vulnerability drive strength? The plan's advice when it does not (docs/scenario.md 2.11).

A pattern that gives every category the same Polri per TPS (Pasuruan's 1 per TPS) sends no
more police to a sangat rawan TPS than to a quiet one. When such a plan leaves Polri without
a duty, the plan says so and offers two ways out: a stronger preset of the same kind of
election, or the idle Polri as a reinforcement of every SANGAT_RAWAN and KHUSUS TPS post by a
number the planner can accept (the operation's `reinforce_sangat_rawan`).

The number offered is what the idle Polri can fill on every such post, but never more than
brings a post to the strongest sourced sangat rawan strength, 5 Polri per TPS (Polres Demak,
Pilkades 2022, DOCTRINE.md section 3): Siaga's bound, not doctrine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction

from siaga.core.data import pins, positions
from siaga.core.data.model import Assignment, Category, Operation, PatternRow, Post, Scenario
from siaga.core.data.patterns import PRESETS, rows_by_category
from siaga.core.planning.posts import REINFORCED

STRONGEST_POLRI_PER_TPS = 5  # Polres Demak, Pilkades 2022, sangat rawan
FORCES = ("POLRI", "TNI", "LINMAS", "BRIMOB")


def polri_per_tps(row: PatternRow, operation: Operation | None = None) -> Fraction:
    extra = operation.reinforce_sangat_rawan if operation and row.category in REINFORCED else 0
    return Fraction(row.polri_per_post + extra, row.tps_per_post)


def is_uniform(rows: Mapping[Category, PatternRow], operation: Operation | None = None) -> bool:
    """Whether every category gets the same Polri per TPS."""
    return len({polri_per_tps(r, operation) for r in rows.values()}) == 1


def idle(scenario: Scenario, assignments: Iterable[Assignment]) -> dict[str, int]:
    """People who could fill a post and have none, by force: available, not command or staff,
    not pinned to a staff duty or to "not deployed"."""
    placed = {a.person for a in assignments}
    off = (pins.STAFF, pins.NOT_DEPLOYED)
    count: Counter[str] = Counter()
    for p in scenario.personnel:
        if p.id in placed or not p.available or p.force.value not in FORCES or positions.is_command(p.position):
            continue
        pin = pins.parse(p.pinned_post)
        if pin is None or pin.kind not in off:
            count[p.force.value] += 1
    return {force: count[force] for force in FORCES}


def stronger_pattern(pattern: str, rows: Mapping[Category, PatternRow]) -> str:
    """The first preset of the same kind of election whose categories differ and that puts
    more Polri on a sangat rawan TPS; "" when none does."""
    kind = PRESETS[pattern].election if pattern in PRESETS else ""
    now = polri_per_tps(rows[Category.SANGAT_RAWAN])
    for name, preset in PRESETS.items():
        theirs = rows_by_category(preset.rows)
        if (kind and preset.election != kind) or name == pattern or is_uniform(theirs):
            continue
        if polri_per_tps(theirs[Category.SANGAT_RAWAN]) > now:
            return name
    return ""


def advice(
    scenario: Scenario, rows: Mapping[Category, PatternRow], posts: Iterable[Post], assignments: Iterable[Assignment]
) -> dict[str, object] | None:
    """The plan file's `strength` key, or None when the pattern tells categories apart or
    no Polri is idle."""
    op = scenario.operation
    if not is_uniform(rows, op):
        return None
    spare = idle(scenario, assignments)
    if not spare["POLRI"]:
        return None
    targets = [p for p in posts if p.kind == "TPS" and p.category in REINFORCED]
    offer = 0
    if targets:
        room = min(
            STRONGEST_POLRI_PER_TPS * len(p.tps) - p.required.get("POLRI", 0) for p in targets
        )  # the tightest post bounds the offer
        offer = max(0, min(spare["POLRI"] // len(targets), room))
    return {
        "uniform": True,
        "idle": spare,
        "reinforce_sangat_rawan": offer,
        "sangat_rawan_posts": len(targets),
        "stronger_pattern": stronger_pattern(op.pattern, rows),
    }
