"""Field figures shown on other apps' pages (the operation dashboard), so that those apps need
not import the field: the dependency runs field -> operations only."""

from __future__ import annotations

from typing import Any

from django import template

from siaga.field.services import sarpras
from siaga.plans.store import current_plan

register = template.Library()


@register.inclusion_tag("field/_sarpras_card.html", takes_context=True)
def sarpras_card(context: dict[str, Any], operation: Any) -> dict[str, Any]:
    """The operation's equipment readiness, linked to the sarpras page of its current plan."""
    plan = current_plan(operation)
    if plan is None:
        return {"plan": None}
    return {"plan": plan, "sarpras": sarpras(plan, context["request"].user)}
