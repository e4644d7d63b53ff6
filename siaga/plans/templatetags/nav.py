"""The operation the menu points at, so the menu is the same on every page: the page's own
operation (remembered in the session), else the one the user last looked at, else the
newest."""

from __future__ import annotations

from typing import Any

from django import template

from siaga.accounts.scope import operations_for
from siaga.operations.models import Operation

register = template.Library()
SESSION_KEY = "siaga_nav_operation"


@register.simple_tag(takes_context=True)
def nav_operation(context: Any) -> Operation | None:
    request = context.get("request")
    shown = context.get("operation")
    session = getattr(request, "session", None)
    if isinstance(shown, Operation):
        if session is not None and session.get(SESSION_KEY) != shown.pk:
            session[SESSION_KEY] = shown.pk
        return shown
    remembered = session.get(SESSION_KEY) if session is not None else None
    mine = operations_for(getattr(request, "user", None))
    found = mine.filter(pk=remembered).first() if remembered else None
    return found or mine.order_by("-pk").first()
