"""A planner's pinned decision (`personnel.pinned_post` [`pos_tetap`], docs/scenario.md 2.9).

A pin keeps one person where the planner decided, through every plan and re-plan:

- `STAF` (or STAFF): held for a staff duty in the operation, on no post;
- `TIDAK` (or "tidak diturunkan", "not deployed", "-"): not deployed, with a reason;
- a TPS id: on the post that holds that TPS;
- a desa code: on that desa's balai desa post;
- a post id of the plan (how the plan page pins): on that post.

The reason (`pin_reason` [`alasan_pin`]) travels with it to the plan and its report.
"""

from __future__ import annotations

from dataclasses import dataclass

STAFF, NOT_DEPLOYED, POST = "STAFF", "NOT_DEPLOYED", "POST"
_WORDS = {
    "STAF": STAFF,
    "STAFF": STAFF,
    "TIDAK": NOT_DEPLOYED,
    "TIDAK_DITURUNKAN": NOT_DEPLOYED,
    "NOT_DEPLOYED": NOT_DEPLOYED,
    "-": NOT_DEPLOYED,
}
POST_PREFIXES = ("TPS-", "VILLAGE-", "RESERVE-", "STANDBY-")


@dataclass(frozen=True, slots=True)
class Pin:
    kind: str  # STAFF, NOT_DEPLOYED or POST
    target: str = ""  # for POST: the TPS id, desa code or post id as written


def parse(value: str) -> Pin | None:
    """The pin a `pinned_post` cell holds; None for a blank cell."""
    text = value.strip()
    if not text:
        return None
    word = "_".join(text.upper().split())
    if word in _WORDS:
        return Pin(_WORDS[word])
    return Pin(POST, text)


def is_post_id(target: str) -> bool:
    return target.startswith(POST_PREFIXES)
