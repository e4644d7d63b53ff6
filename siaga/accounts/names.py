"""How a colleague is named on a page: one home for it."""

from __future__ import annotations

from typing import Any


def known_as(user: Any) -> str:
    """How a planner knows a colleague: "Full Name (username)", the username alone when no
    name is on the account; "" for no one (a system job)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else str(user.get_username())
