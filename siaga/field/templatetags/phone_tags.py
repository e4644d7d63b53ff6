"""The phone page's names and roster (`services.duties`), read by its templates so the phone
view stays as it is: posts and TPS by name, the person's next duty."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from siaga.core.documents.ploting import SLOT_LABEL
from siaga.field.services import clock
from siaga.field.services.duties import PhoneNames, phone_names, tps_places

register = template.Library()


@register.simple_tag(takes_context=True)
def phone_names_of(context: template.Context, plan: Any) -> PhoneNames:
    """The plan's post names and the roster of the person signed in, read once per page."""
    found = getattr(plan, "_phone_names", None)
    if found is None:
        user = context["request"].user
        person = str(getattr(getattr(user, "profile", None), "person_code", "") or "").strip()
        now = timezone.localtime(clock.now()).replace(tzinfo=None)
        found = plan._phone_names = phone_names(plan, person, now)
    return found  # type: ignore[no-any-return]


@register.simple_tag
def tps_places_of(plan: Any, tps_by_post: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Every TPS of the page's posts: its name and location."""
    return tps_places(plan, [code for codes in tps_by_post.values() for code in codes])


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
