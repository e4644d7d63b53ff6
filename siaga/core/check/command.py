"""The checker's rule about the operation's organisation: command and staff are not post guards.

DOCTRINE.md section 9: the Kapolres, Wakapolres, Kabag Ops, Kasat and Posko staff run the
operation; the Kapolsek and Danramil control their sector. Which positions count is the data
layer's preset (`siaga.core.data.positions`), not the planner's.
"""

from __future__ import annotations

from collections.abc import Iterator

from siaga.core.check.facts import Facts
from siaga.core.check.rules import rule
from siaga.core.data.positions import is_command


@rule("command_off_posts")
def _command_off_posts(f: Facts) -> Iterator[str]:
    """No person in a command or staff position fills a TPS, village or reserve post."""
    command = {p.id: p.position for p in f.scenario.personnel if p.position and is_command(p.position)}
    if not command:
        return
    for a in f.plan.assignments:
        if a.person in command:
            yield f"{a.person} ({command[a.person]}) is command or staff but stands at {a.post}"
