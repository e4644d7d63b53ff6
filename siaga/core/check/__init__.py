"""The independent plan checker: every rule of docs/scenario.md section 2, from scratch.

`check_plan(scenario, plan)` returns every violation, each naming its rule; `siaga check`,
`siaga plan`, `siaga replan`, the orders and the console's approval all refuse a plan with any.
A violation's message is an Indonesian msgid of the one catalogue with JSON parameters
(`messages.py`), rendered in the reader's language only when read (`Violation.render`, and
`render` for a plan file's stored `violation_messages`).

Independent of the planner: the checker imports only the data layer (`siaga.core.data`: the
model, the pattern presets, the indicator catalogue, `geo` for distance), never
`siaga.core.planning`. What the planner decides, the checker derives again on its own:

- **categories** (`vulnerability.py`): a TPS's override if given, else the score of its and
  its desa's indicators against the catalogue's weights (or the weights given), written again
  from docs/indicators.md, not the planner's `risk.assess`;
- **jurisdiction** (`jurisdiction.py`): the Polres of each region, TPS, unit, person and post,
  derived from the regions and units by the rule of section 2.6, not the planner's
  `polres.split`; it decides `own_polres`, the teams each Polres must field and which teams
  cover which TPS;
- **posts, slots, costs and the summary** (`rules.py`): recounted from the plan and the
  scenario; distances from `geo.haversine_km_array`.

The rules (`RULES`, run in this order): `unique_post_ids`; `category`; `tps_in_one_post`;
`post_desa_and_category`; `post_size` and `post_required` (the pattern's row for the post's
category); `post_radius` (at one of its TPS, all within `max_post_radius_km`);
`village_posts`; `reserve_posts` (floor(available Brimob / team size) teams per Polres, at
unit locations); `eligibility` (force, own desa for Linmas, availability); `own_polres`;
`one_slot_per_person`; `capacity`; `cost` (section 2.4); `unfilled`; `summary` (counts, cost,
objective, lower bound, and the reserve coverage of section 2.7: a TPS counts when a team of
its own Polres reaches it, found with the grid of `geo.pairs_within_km`, so linear in TPS);
then `command_off_posts` (`command.py`: nobody in a command or staff position on a post);
then `tni_standby` and `linmas_roster` (`forces.py`: under a Pemilu or Pilkada preset the
TNI wait in one standby post per kecamatan, never at a TPS, and the Linmas at a TPS are the
ones its PPS decree names); then the roster's rules across the stages (`roster.py`:
`duty_windows`, `shift_coverage`, `duty_eligibility`, `duty_overlap`, `duty_travel`,
`duty_rest`, `roster_summary`). `post_radius` takes the patrol radius for a patrol row's posts,
and `post_required` the operation's reinforcement of SANGAT_RAWAN and KHUSUS posts.

A re-plan is checked against the scenario as it assumed it (its absentees unavailable, its
category changes applied).
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from siaga.core.check import command as _command  # noqa: F401  (registers command_off_posts)
from siaga.core.check import forces as _forces  # noqa: F401  (registers tni_standby, linmas_roster)
from siaga.core.check import messages
from siaga.core.check import roster as _roster  # noqa: F401  (registers the duty rules)
from siaga.core.check.facts import Facts
from siaga.core.check.rules import RULES, Rule, rule
from siaga.core.check.vulnerability import Weights
from siaga.core.data.model import Plan, Scenario
from siaga.core.data.text import Message, _, gettext_noop


@dataclass(frozen=True)
class Violation:
    """One broken rule: `text` is the message as its msgid and JSON parameters (`messages.py`),
    rendered when read: `message` in Indonesian, `render(lang)` in the reader's language,
    `record()` as the plan file keeps it (`violation_messages`)."""

    rule: str
    text: Message

    @property
    def message(self) -> str:
        return self.text.render("id")

    def render(self, lang: str = "id") -> str:
        return self.text.render(lang)

    def line(self, lang: str = "id") -> str:
        """The rule by its name, then the message: "Jarak tempuh: ..." (`heading`)."""
        return f"{heading(self.rule, lang)}: {self.render(lang)}"

    def record(self) -> dict[str, object]:
        return {"rule": self.rule, "msgid": self.text.msgid, "params": dict(self.text.params)}

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


# Each rule as the reader names it: what a refused plan's list heads each line with.
RULE_WORDS = {
    "unique_post_ids": gettext_noop("Kode pos"),
    "category": gettext_noop("Kategori TPS"),
    "tps_in_one_post": gettext_noop("TPS pada satu pos"),
    "post_desa_and_category": gettext_noop("Desa dan kategori pos"),
    "post_size": gettext_noop("Besar pos"),
    "post_radius": gettext_noop("Jangkauan pos"),
    "post_required": gettext_noop("Kebutuhan pos"),
    "village_posts": gettext_noop("Pos balai desa"),
    "reserve_posts": gettext_noop("Pos cadangan"),
    "eligibility": gettext_noop("Penempatan personel"),
    "own_polres": gettext_noop("Polres sendiri"),
    "one_slot_per_person": gettext_noop("Satu tempat per personel"),
    "capacity": gettext_noop("Isi pos"),
    "cost": gettext_noop("Jarak tempuh"),
    "unfilled": gettext_noop("Slot kosong"),
    "summary": gettext_noop("Ringkasan rencana"),
    "command_off_posts": gettext_noop("Komando dan staf"),
    "tni_standby": gettext_noop("Siaga TNI"),
    "linmas_roster": gettext_noop("SK Linmas"),
    "duty_windows": gettext_noop("Waktu tugas"),
    "shift_coverage": gettext_noop("Giliran jaga"),
    "duty_eligibility": gettext_noop("Penugasan jadwal"),
    "duty_overlap": gettext_noop("Tugas bertumpuk"),
    "duty_travel": gettext_noop("Perjalanan antartugas"),
    "duty_rest": gettext_noop("Waktu istirahat"),
    "roster_summary": gettext_noop("Ringkasan jadwal"),
}


def heading(rule: str, lang: str = "id") -> str:
    """A rule as the reader names it ("Jarak tempuh"); an unknown one (a newer plan file's) by its id."""
    return _(RULE_WORDS[rule], lang) if rule in RULE_WORDS else rule


def render(record: Mapping[str, Any], lang: str = "id") -> str:
    """A stored violation (`Violation.record()`, a plan file's `violation_messages`) as
    "Rule: message" in `lang` (the rule by its name, `heading`)."""
    message = messages.render(record["msgid"], record.get("params") or {}, lang)
    return f"{heading(str(record.get('rule', '')), lang)}: {message}"


def records(violations: list[Violation]) -> list[dict[str, object]]:
    """The violations as the plan file keeps them, key `violation_messages`."""
    return [v.record() for v in violations]


def check_plan(scenario: Scenario, plan: Plan, model: Weights | None = None) -> list[Violation]:
    """Every violation of every rule, in rule order. `model`: the indicator weights and
    thresholds the plan was made with (the operation sheet's when None)."""
    # The rules make millions of short-lived objects and no reference cycles; the cyclic
    # collector would rescan the scenario's millions of objects over and over (half the time
    # of a national check), so it pauses while they run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        facts = Facts(scenario, plan, model)
        return [Violation(name, message) for name, fn in RULES.items() for message in fn(facts)]
    finally:
        if collecting:
            gc.enable()


__all__ = ["RULES", "RULE_WORDS", "Rule", "Violation", "Weights", "check_plan", "heading", "records", "render", "rule"]
