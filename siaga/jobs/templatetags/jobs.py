"""`{% orders_panel plan %}`: the plan page's orders buttons: the links when the orders of the
user's scope are stored, the progress of the job making them, or the buttons that start it."""

from __future__ import annotations

from typing import Any

from django import template

from siaga.accounts.scope import Scope, may_export
from siaga.plans.models import Plan

register = template.Library()


@register.inclusion_tag("plans/_orders.html", takes_context=True)
def orders_panel(context: dict[str, Any], plan: Plan) -> dict[str, Any]:
    from siaga.plans.services import orders_state

    user = context["request"].user
    scope = Scope.of(user)
    if plan.status == Plan.Status.DRAFT or scope.nothing or scope.person is not None:
        return {"hidden": True}
    if not may_export(user, scope.label):  # a viewer reads the plan, never downloads the roster
        return {"hidden": True}
    state = orders_state(plan, scope.label)
    # a version whose data changed since (the plan page's `data_changes`): what is not stored is refused
    return {**state, "refused": bool(context.get("data_changes")) and not state["ready"]}
