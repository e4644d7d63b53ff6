from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from siaga.accounts.models import Role
from siaga.accounts.roles import ALLOWED, role_of


def role(request: HttpRequest) -> dict[str, Any]:
    """The user's role and what they may do, for menus and buttons."""
    current = role_of(request.user)
    return {
        "role": current,
        "role_label": Role(current).label if current else "",
        "may": {action: current in roles for action, roles in ALLOWED.items()},
    }
