"""The permission helpers every view goes through: what a role may do (`require`, `can`), and
the rows a user may see (`scoped`, `get_scoped`, both asking the one `siaga.accounts.scope.Scope`:
a sector chief their kecamatan only; a field officer only the post(s) they are assigned to)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from siaga.accounts.models import Role
from siaga.accounts.scope import Scope

R = Role
ALLOWED: dict[str, frozenset[str]] = {
    # the Polda reads every Polres of its Polda (siaga.accounts.scope.operations_for), as a viewer
    "view": frozenset({R.ADMIN, R.PLANNER, R.COMMANDER, R.SECTOR_CHIEF, R.VIEWER, R.POLDA}),
    "field": frozenset({R.ADMIN, R.PLANNER, R.COMMANDER, R.SECTOR_CHIEF, R.VIEWER, R.FIELD_OFFICER, R.POLDA}),
    "import": frozenset({R.ADMIN, R.PLANNER}),
    "edit": frozenset({R.ADMIN, R.PLANNER}),
    "override": frozenset({R.ADMIN, R.PLANNER}),
    "plan": frozenset({R.ADMIN, R.PLANNER}),
    "approve": frozenset({R.ADMIN, R.COMMANDER}),
    "publish": frozenset({R.ADMIN, R.COMMANDER}),
    "export": frozenset({R.ADMIN, R.PLANNER, R.COMMANDER}),
    "audit": frozenset({R.ADMIN, R.COMMANDER}),
    # the orders of every Polres in one pack (Sprin, ploting, cards, maps): they hold the
    # roster, so only the Polda's admin and the Polda role, and every download is audited
    "polda_orders": frozenset({R.ADMIN, R.POLDA}),
    # election day (siaga.field.services.authority): who works incidents in the Posko (a
    # sector chief in his kecamatan, the Kabag Ops for the Kapolres), and who commands (the
    # Kapolres: escalate to the Kapolda, area status, Brimob and the BKO reserves).
    "posko": frozenset({R.ADMIN, R.PLANNER, R.COMMANDER, R.SECTOR_CHIEF}),
    "command": frozenset({R.ADMIN, R.COMMANDER}),
    # the phone page's writes: post status, TPS events and incident reports (the same roles as
    # siaga.field.services.common.FIELD_WRITERS); the others are not offered the phone page
    "field_report": frozenset({R.ADMIN, R.PLANNER, R.SECTOR_CHIEF, R.FIELD_OFFICER}),
    # the SOT/EWS files and the TPS coordinates' import (siaga.field.views_interchange): those
    # who may take a file of the roster (a sector chief, his kecamatan's) and who import; the
    # others are not offered the page
    "interchange": frozenset({R.ADMIN, R.PLANNER, R.COMMANDER, R.SECTOR_CHIEF}),
    # the accounts: make them, set their role and what they see, passwords, deactivate
    # (siaga.accounts.accounts, the same service as `manage.py akun`)
    "accounts": frozenset({R.ADMIN}),
}

M = TypeVar("M", bound=Model)


def role_of(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else Role.VIEWER


def can(user: Any, action: str) -> bool:
    return role_of(user) in ALLOWED[action]


def require(user: Any, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(action)


def scoped(queryset: QuerySet[M], user: Any, field: str = "kecamatan_code") -> QuerySet[M]:
    """Only the rows of this kecamatan-level queryset the user may see (`Scope`)."""
    scope = Scope.of(user)
    if scope.whole:
        return queryset
    if scope.nothing or scope.person is not None:
        return queryset.none()
    return queryset.filter(**{field: scope.kecamatan})


def get_scoped(queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    """One row the user may see, else 404 (another sector's row looks like no row at all)."""
    try:
        return scoped(queryset, user).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None
