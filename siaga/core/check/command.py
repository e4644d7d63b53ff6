"""The checker's rule about the operation's organisation: command and staff are not post guards.

DOCTRINE.md section 9: the Kapolres, Wakapolres, Kabag Ops, Kasat and Posko staff run the
operation; the Kapolsek and Danramil control their sector. Which positions count is the data
layer's preset (`siaga.core.data.positions`), not the planner's.
"""

from __future__ import annotations

from collections.abc import Iterator

from siaga.core.check.facts import Facts
from siaga.core.check.messages import M
from siaga.core.check.rules import rule
from siaga.core.data.positions import is_command
from siaga.core.data.text import Message, gettext_noop


@rule("command_off_posts")
def _command_off_posts(f: Facts) -> Iterator[Message]:
    """No person in a command or staff position fills a TPS, village or reserve post."""
    command = {p.id: p.position for p in f.scenario.personnel if p.position and is_command(p.position)}
    if not command:
        return
    for a in f.plan.assignments:
        if a.person in command:
            yield M(
                gettext_noop("%(person)s (%(position)s) termasuk pimpinan atau staf tetapi berjaga di %(post)s"),
                person=a.person,
                position=command[a.person],
                post=a.post,
            )
