"""Which part of the operation a user sees: one value, asked by every app and the API alike.

The roster (names, NRP/NIK, phone numbers: personal data under UU PDP 27/2022) has one gate
here too: `require_export` before any file that holds it leaves the server, `roster_read` on
every page that shows it (audited unless the reader keeps the roster), `hide_notes` for plan
notes (they may name anyone) shown below the whole Polres.

A `Scope` is the whole Polres (planner, commander, viewer, admin), one kecamatan (a sector
chief), the posts one person is assigned to (a field officer, by their NRP/NIK), or nothing (a
sector chief with no kecamatan set, an inactive user). QuerySets of scoped rows mix in
`ScopedQuerySet` and answer `.in_scope(scope)`; rows that belong to a post (plan posts, and
the post statuses and incidents of the field) narrow a person's scope to their own posts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Self, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from siaga.accounts.models import Role

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True, slots=True)
class Scope:
    kecamatan: str | None = None  # None: every kecamatan
    person: str | None = None  # a field officer: only the posts this NRP/NIK is assigned to
    nothing: bool = False

    @classmethod
    def of(cls, user: Any) -> Scope:
        from siaga.accounts.roles import role_of

        role = role_of(user)
        if not role:
            return cls(nothing=True)
        if role == Role.FIELD_OFFICER:
            code = str(getattr(getattr(user, "profile", None), "person_code", "") or "").strip()
            return cls(person=code) if code else cls(nothing=True)
        if role == Role.SECTOR_CHIEF:
            kecamatan = str(getattr(getattr(user, "profile", None), "kecamatan_code", "") or "")
            return cls(kecamatan=kecamatan) if kecamatan else cls(nothing=True)
        return cls()

    @property
    def whole(self) -> bool:
        """The whole Polres."""
        return not self.nothing and self.kecamatan is None and self.person is None

    def sees_kecamatan(self, code: str) -> bool:
        """Whether a row of this kecamatan is visible (a person sees no kecamatan as a whole)."""
        if self.nothing or self.person is not None:
            return False
        return self.kecamatan is None or self.kecamatan == code

    @property
    def label(self) -> str:
        """The kecamatan code a page is narrowed to, "" for the whole Polres (file names, audit)."""
        return self.kecamatan or ""

    @property
    def narrowed_to(self) -> str | None:
        """What a page template prints: None for the whole Polres, else the kecamatan ("" for none)."""
        return None if self.whole else self.label


class ScopedQuerySet(models.QuerySet[M]):
    """Rows with a kecamatan: a sector chief's kecamatan, everything, or nothing."""

    kecamatan_field = "kecamatan_code"

    def in_scope(self, scope: Scope) -> Self:
        if scope.whole:
            return self
        if scope.nothing or scope.person is not None:
            return self.none()
        return self.filter(**{self.kecamatan_field: scope.kecamatan})


# ---------------------------------------------------------------- which operations (a Polda database)


def operations_for(user: Any) -> models.QuerySet[Any]:
    """The operations the user may open at all; every other operation answers 404.

    Every operation knows its Polres (`Operation.polres_code`, set on import from the
    scenario's POLRES unit). An account with a Polres set sees that Polres's operations only,
    whatever its role; a Polda account (role Polda) sees the operations of its Polda; an admin
    with no Polres set sees all. Any other account with no Polres set sees every operation on a
    laptop or a Polres's server, and none on a Polda's server (setting SIAGA_POLDA_DATABASE), so
    that there a forgotten field never opens another Polres's roster."""
    from siaga.accounts.roles import role_of
    from siaga.operations.models import Operation

    role = role_of(user)
    profile = getattr(user, "profile", None)
    polres = str(getattr(profile, "polres_code", "") or "").strip()
    if not role:
        return Operation.objects.none()
    if role == Role.POLDA:
        polda = str(getattr(profile, "polda", "") or "").strip()
        return Operation.objects.filter(polda=polda) if polda else Operation.objects.none()
    if polres:
        return Operation.objects.filter(polres_code=polres)
    if role == Role.ADMIN or not polda_database():
        return Operation.objects.all()
    return Operation.objects.none()


def polda_database() -> bool:
    """Whether this server is a Polda's, holding many Polres (setting SIAGA_POLDA_DATABASE)."""
    from django.conf import settings

    return bool(getattr(settings, "SIAGA_POLDA_DATABASE", False))


# ---------------------------------------------------------------- the roster (UU PDP 27/2022)

# Who keeps the roster: their reads of it are their own work, not audited one by one.
ROSTER_KEEPERS = frozenset({Role.ADMIN, Role.PLANNER})
# Who may take the roster away in a file for the whole Polres (the export right).
EXPORTERS = frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER})


def may_export(user: Any, kecamatan: str | None = None) -> bool:
    """Whether the user may download a file holding the roster: admin, planner and commander
    any; a sector chief only a file narrowed to their own kecamatan (`kecamatan`, e.g. the
    petikan of the orders); a viewer (pengamat) or a field officer never."""
    from siaga.accounts.roles import role_of

    role = role_of(user)
    if role in EXPORTERS:
        return True
    if role == Role.SECTOR_CHIEF and kecamatan:
        return Scope.of(user).kecamatan == kecamatan
    return False


def require_export(user: Any, kecamatan: str | None = None) -> None:
    """`may_export`, or 403."""
    if not may_export(user, kecamatan):
        raise PermissionDenied("export")


def roster_read(
    request: Any,
    object_type: str,
    object_id: object = "",
    *,
    operation_id: int | None = None,
    after: Any = None,
    once_per: timedelta | None = None,
) -> None:
    """A page showing names and NRP/NIK was read: an audit entry `read_roster`, unless the
    reader keeps the roster (admin, planner) or sees only their own post (a field officer).
    `once_per`: a part the page polls writes one entry per reader and object in that time."""
    from siaga.accounts.roles import role_of
    from siaga.audit.log import record
    from siaga.audit.models import AuditEntry

    user = getattr(request, "user", None)
    role = role_of(user)
    if not role or role in ROSTER_KEEPERS or Scope.of(user).person is not None:
        return
    if once_per is not None and user is not None:
        recent = AuditEntry.objects.filter(
            user_id=user.pk, action="read_roster", object_type=object_type, object_id=str(object_id)
        )
        if recent.filter(at__gte=timezone.now() - once_per).exists():
            return
    record(request, "read_roster", object_type, object_id, operation_id=operation_id, after=after)


def hide_notes(plans: Iterable[M], user: Any) -> list[M]:
    """The plans, their notes blanked (in memory, never saved) for a reader below the whole
    Polres: a note may name anyone of the operation by name and NRP."""
    rows = list(plans)
    if not Scope.of(user).whole:
        for plan in rows:
            plan.note = ""  # type: ignore[attr-defined]
    return rows
