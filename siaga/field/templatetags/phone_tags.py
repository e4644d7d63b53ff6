"""The phone page's filters: a name looked up by id, the TPS names for its script, a slot as
the orders write it. The names and the roster it shows are read by the view
(`services.phone.phone_reads`)."""

from __future__ import annotations

from typing import Any

from django import template

from siaga.core.documents.ploting import SLOT_LABEL

register = template.Library()


@register.filter
def lookup(mapping: dict[str, Any], key: Any) -> Any:
    """`mapping[key]`, or "" when it has none."""
    return mapping.get(str(key), "") if mapping else ""


@register.filter
def tps_names(places: dict[str, dict[str, Any]]) -> dict[str, str]:
    """TPS code -> name, for the page's script."""
    return {code: place["name"] for code, place in places.items()}


@register.filter
def slot_label(slot: str) -> str:
    """POLRI -> Polri: a slot as the orders write it."""
    return SLOT_LABEL.get(slot, slot)
