"""Shared by every field capability: who writes, the current plan, the posts and people a user sees, the card key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.roles import role_of
from siaga.accounts.scope import Scope
from siaga.core.documents import tokens
from siaga.field.models import (
    AreaStatus,
    CheckIn,
    Delegation,
    Dispatch,
    EquipmentItem,
    Incident,
    IncidentAction,
    PostStatus,
    TpsEvent,
)
from siaga.plans.models import Plan
from siaga.plans.store import current_plan, post_rows

WRITERS = frozenset({Role.ADMIN, Role.PLANNER, Role.SECTOR_CHIEF})
FIELD_WRITERS = WRITERS | {Role.FIELD_OFFICER}
M = TypeVar("M", bound=models.Model)


class FieldError(ValueError):
    """A request the data does not allow; the message says why."""


class NotVisible(LookupError):
    """No such post, TPS, unit or incident for this user: another sector's object looks like no
    object at all (the views and the API answer 404)."""


class NoCurrentPlan(FieldError):
    """The operation has no published plan yet: the field has nothing to work on."""


class KeyConflict(ValueError):
    """The idempotency key was already used by someone else."""


# -- helpers ---------------------------------------------------------------------------------


def require_writer(user: Any) -> None:
    if role_of(user) not in WRITERS:
        raise PermissionDenied("field write")


def require_field_writer(user: Any) -> None:
    """Post status, TPS events and incident reports: the writers and the field officer."""
    if role_of(user) not in FIELD_WRITERS:
        raise PermissionDenied("field write")


def once(model: type[M], key: str, user: Any, owner: str, create: Callable[[], M]) -> tuple[M, bool]:
    """The row stored under `key` (created by `create` when there is none) and whether it is new."""
    manager: Any = model._default_manager
    found = manager.filter(key=key).first()
    if found is None:
        try:
            with transaction.atomic():
                return create(), True
        except IntegrityError:
            found = manager.filter(key=key).first()
            if found is None:
                raise
    if getattr(found, f"{owner}_id") != getattr(user, "pk", None):
        raise KeyConflict(key)
    return found, False


def current(plan: Plan) -> Plan:
    """The current (published) plan of the plan's operation: where every field record is checked
    against. A draft, approved or superseded version is never where field reports go."""
    found = current_plan(plan.operation_id)
    if found is None:
        raise NoCurrentPlan(_("Belum ada rencana yang diterbitkan untuk operasi ini."))
    return found


def posts_of(plan: Plan) -> dict[str, dict[str, Any]]:
    return {str(p["id"]): p for p in post_rows(plan).values()}


def own_posts(plan: Plan, user: Any) -> set[str] | None:
    """A field officer's post ids in the plan (by their NRP/NIK; none when it is blank or not in
    the plan); None for every other role (their posts are those of their kecamatan scope)."""
    if role_of(user) != Role.FIELD_OFFICER:
        return None
    person = Scope.of(user).person
    if not person:
        return set()
    return set(plan.assignments.filter(person_code=person).values_list("post__code", flat=True))


def visible_posts(plan: Plan, user: Any) -> dict[str, dict[str, Any]]:
    """The posts of the plan the user may see: a field officer's own, else their kecamatan's."""
    return {str(p["id"]): p for p in post_rows(plan, Scope.of(user)).values()}


def post_of(plan: Plan, post_id: str, user: Any) -> dict[str, Any]:
    """A post of the plan the user may see, else NotVisible."""
    post = visible_posts(plan, user).get(post_id)
    if post is None:
        raise NotVisible
    return post


def assigned_posts(plan: Plan) -> dict[str, str]:
    """person code -> post id."""
    return dict(plan.assignments.order_by().values_list("person_code", "post__code"))


def visible_people(plan: Plan, user: Any) -> dict[str, str]:
    rows = plan.assignments.in_scope(Scope.of(user)).order_by().values_list("person_code", "post__code")
    return dict(rows)


def card_key() -> bytes:
    return tokens.key_file(Path(settings.SIAGA_CARD_KEY_FILE))


def change_stamp(plan: Plan) -> str:
    """What the field's live pages show changes only when this does: the current version and
    the newest row (and count) of every field record of the operation. A few index lookups."""
    parts = [str(plan.pk)]
    op = plan.operation_id
    for model in (CheckIn, PostStatus, TpsEvent, Incident):
        figures = model.objects.filter(operation_id=op).aggregate(n=Count("id"), last=Max("id"))
        parts.append(f"{figures['n']}.{figures['last']}")
    parts.append(str(IncidentAction.objects.filter(incident__operation_id=op).aggregate(m=Max("id"))["m"]))
    parts.append(str(Dispatch.objects.filter(incident__operation_id=op).aggregate(m=Max("id"))["m"]))
    for posko in (AreaStatus, Delegation):  # the Kapolres's area statuses and delegations
        figures = posko.objects.filter(operation_id=op).aggregate(n=Count("id"), last=Max("id"))
        parts.append(f"{figures['n']}.{figures['last']}")
    equipment = EquipmentItem.objects.filter(operation_id=op).aggregate(m=Max("updated_at"))["m"]
    parts.append(equipment.isoformat() if equipment else "-")
    from siaga.field.services import custody  # it builds on this module

    parts.append(custody.stamp(plan))
    return "-".join(parts)
