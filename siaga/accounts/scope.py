"""Which part of the operation a user sees: one value, asked by every app and the API alike.

A `Scope` is the whole Polres (planner, commander, viewer, admin), one kecamatan (a sector
chief), the posts one person is assigned to (a field officer, by their NRP/NIK), or nothing (a
sector chief with no kecamatan set, an inactive user). QuerySets of scoped rows mix in
`ScopedQuerySet` and answer `.in_scope(scope)`; rows that belong to a post (plan posts, and
the post statuses and incidents of the field) narrow a person's scope to their own posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self, TypeVar

from django.db import models

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
