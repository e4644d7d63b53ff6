"""The one home of account changes: make an account, change its role and what it sees, set its
password, deactivate or reactivate it. Used by `manage.py akun`, `manage.py deactivate` and the
admin's account pages of the console alike, so that every way in checks the same things and
writes the same audit entries (`account_set`, `password_set`, `user_deactivated`,
`user_reactivated`).

What is checked before anything is written (every problem at once, each named by its field):
- the role exists; a superuser's role stays Admin; the admin never removes his own admin role;
- a sector chief's kecamatan is a kecamatan of some operation's regions in this database (of
  his Polres's operations when the account has a Polres): a code that is in no operation would
  give him an empty console that looks like a quiet one (every count 0, "Semua hadir" at 0/0);
- a field officer's NRP/NIK is among some operation's personnel (his Polres's, when set);
- a Polda account names a Polda as the letters do (JAWA TIMUR), one of those Siaga knows;
- a new account's password passes the password rules.

A field that does not belong to the role is emptied (a planner keeps no kecamatan), so the
account list shows what the account really sees. An account is never deleted: deactivated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from siaga.accounts.models import Profile, Role
from siaga.audit.log import record
from siaga.core.data.owner import POLDA

FIELDS = ("username", "name", "role", "polres", "polda", "kecamatan", "nrp", "password")


class AccountRefused(Exception):
    """Nothing was changed: `errors` names each field refused and why."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(said)}" for field, said in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Saved:
    user: Any
    profile: Profile
    created: bool


def known_poldas() -> list[str]:
    return sorted(set(POLDA.values()))


def normal_polda(polda: str) -> str:
    return " ".join(polda.split()).upper()


def kecamatan_name(code: str) -> str:
    """The name of a kecamatan as the operations' regions give it, "" when none has it."""
    from siaga.operations.models import Region

    if not code:
        return ""
    return Region.objects.filter(level="KECAMATAN", code=code).values_list("name", flat=True).first() or ""


def person_name(code: str) -> str:
    """The name of a person of some operation's personnel by NRP/NIK, "" when none has it."""
    from siaga.operations.models import Person

    if not code:
        return ""
    return Person.objects.filter(code=code).order_by("-operation_id").values_list("name", flat=True).first() or ""


def polres_choices() -> list[tuple[str, str]]:
    """The Polres of the operations in this database: (code, name)."""
    from siaga.operations.models import Operation

    rows = Operation.objects.exclude(polres_code="").values_list("polres_code", "polres_name").distinct()
    found: dict[str, str] = {}
    for code, name in rows.order_by("polres_code"):
        found.setdefault(code, name or code)
    return sorted(found.items())


def kecamatan_choices() -> list[tuple[str, str]]:
    """Every kecamatan of the operations' regions: (code, name), once each."""
    from siaga.operations.models import Region

    found: dict[str, str] = {}
    for code, name in Region.objects.filter(level="KECAMATAN").values_list("code", "name").order_by("code"):
        found.setdefault(code, name)
    return sorted(found.items())


def _check_kecamatan(code: str, polres: str) -> str | None:
    from siaga.operations.models import Region

    regions = Region.objects.filter(level="KECAMATAN", code=code)
    if not regions.exists():
        return _(
            "Kecamatan %(code)s tidak ada di wilayah operasi mana pun di basis data ini: kepala sektor ini "
            "tidak akan melihat apa pun. Periksa kodenya (mis. 35.14.17) atau impor dulu operasinya."
        ) % {"code": code}
    if polres and not regions.filter(Q(operation__polres_code=polres) | Q(polres_code=polres)).exists():
        return _("Kecamatan %(code)s (%(name)s) bukan wilayah operasi Polres %(polres)s.") % {
            "code": code,
            "name": regions.values_list("name", flat=True).first(),
            "polres": polres,
        }
    return None


def _check_person(code: str, polres: str) -> str | None:
    from siaga.operations.models import Person

    people = Person.objects.filter(code=code)
    if not people.exists():
        return _(
            "NRP/NIK %(code)s tidak ada di personel operasi mana pun di basis data ini: akun ini tidak akan "
            "melihat pos apa pun. Periksa nomornya atau impor dulu personelnya."
        ) % {"code": code}
    if polres and not people.filter(operation__polres_code=polres).exists():
        return _("NRP/NIK %(code)s (%(name)s) bukan personel operasi Polres %(polres)s.") % {
            "code": code,
            "name": people.values_list("name", flat=True).first(),
            "polres": polres,
        }
    return None


def _state(user: Any, profile: Profile | None) -> dict[str, str]:
    """What an account is, as the audit writes it."""
    role = Role.ADMIN if user.is_superuser else (profile.role if profile else Role.VIEWER)
    return {
        "role": str(role),
        "polres": profile.polres_code if profile else "",
        "polda": profile.polda if profile else "",
        "kecamatan": profile.kecamatan_code if profile else "",
        "nrp": profile.person_code if profile else "",
        "name": user.get_full_name(),
    }


def save_account(
    username: str,
    *,
    role: str,
    name: str | None = None,
    polres: str | None = None,
    polda: str | None = None,
    kecamatan: str | None = None,
    nrp: str | None = None,
    password: str | None = None,
    new: bool | None = None,
    by: Any = None,
    request: HttpRequest | None = None,
) -> Saved:
    """Make the account `username` or change it: its role and what it sees. A value given as
    None keeps the account's own (a new account: empty). `new`: True refuses an existing user
    name, False a missing one, None takes either (the command). `by`: who does it (the
    console's admin; None for a command on the server). Raises `AccountRefused`, nothing
    written, when anything is wrong."""
    users = get_user_model()
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    username = (username or "").strip()
    user = users.objects.filter(username=username).first() if username else None
    profile = Profile.objects.filter(user=user).first() if user is not None else None
    if not username:
        refuse("username", _("Wajib diisi."))
    elif user is None:
        if new is False:
            refuse("username", _("Pengguna %(username)s tidak ada.") % {"username": username})
        else:
            try:
                UnicodeUsernameValidator()(username)
            except ValidationError as exc:
                refuse("username", " ".join(exc.messages))
            if len(username) > 150:
                refuse("username", _("Paling banyak 150 karakter."))
    elif new:
        refuse("username", _("Nama pengguna %(username)s sudah dipakai.") % {"username": username})

    if role not in Role.values:
        refuse("role", _("Peran tidak dikenal: %(role)s.") % {"role": role})
        chosen: Role | None = None
    else:
        chosen = Role(role)
    if user is not None and chosen is not None and chosen != Role.ADMIN:
        if user.is_superuser:
            refuse("role", _("Akun ini superuser: perannya selalu Admin."))
        elif by is not None and user.pk == by.pk:
            refuse("role", _("Anda tidak dapat melepas peran admin Anda sendiri: minta admin lain."))

    def value(given: str | None, field: str) -> str:
        if given is not None:
            return given.strip()
        return str(getattr(profile, field, "") or "") if profile is not None else ""

    the_polres = value(polres, "polres_code")
    the_polda = normal_polda(value(polda, "polda"))
    the_kecamatan = value(kecamatan, "kecamatan_code")
    the_nrp = value(nrp, "person_code")
    if chosen != Role.POLDA:
        the_polda = ""
    if chosen != Role.SECTOR_CHIEF:
        the_kecamatan = ""
    if chosen != Role.FIELD_OFFICER:
        the_nrp = ""

    if chosen == Role.POLDA:
        if not the_polda:
            refuse("polda", _("Wajib diisi untuk peran Polda: Polda yang operasinya boleh dilihat."))
        elif the_polda not in set(POLDA.values()):
            refuse(
                "polda",
                _("Polda tidak dikenal: %(polda)s. Pilih salah satu: %(known)s.")
                % {"polda": the_polda, "known": ", ".join(known_poldas())},
            )
    if chosen == Role.SECTOR_CHIEF:
        if not the_kecamatan:
            refuse("kecamatan", _("Wajib diisi untuk kepala sektor: kecamatan yang boleh dilihatnya."))
        elif problem := _check_kecamatan(the_kecamatan, the_polres):
            refuse("kecamatan", problem)
    if chosen == Role.FIELD_OFFICER:
        if not the_nrp:
            refuse("nrp", _("Wajib diisi untuk kepala pos atau petugas lapangan: NRP/NIK-nya di daftar personel."))
        elif problem := _check_person(the_nrp, the_polres):
            refuse("nrp", problem)
    if name is not None and len(name.strip()) > 150:
        refuse("name", _("Paling banyak 150 karakter."))

    created = user is None
    if created and not errors:
        user = users(username=username)
        if not password:
            refuse("password", _("Wajib diisi untuk akun baru."))
        else:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                refuse("password", " ".join(exc.messages))
    if errors:
        raise AccountRefused(errors)
    assert user is not None and chosen is not None
    before = None if created else _state(user, profile)
    with transaction.atomic():
        if created:
            user.set_password(password)
        if name is not None and name.strip():
            user.first_name, _sep, user.last_name = " ".join(name.split()).partition(" ")
        user.save()
        profile, _made = Profile.objects.get_or_create(user=user)
        profile.role = chosen
        profile.polres_code = the_polres
        profile.polda = the_polda
        profile.kecamatan_code = the_kecamatan
        profile.person_code = the_nrp
        profile.save()
        record(request, "account_set", "user", user.get_username(), before=before, after=_state(user, profile), user=by)
    return Saved(user, profile, created)


def set_password(user: Any, password: str, again: str, *, by: Any = None, request: HttpRequest | None = None) -> None:
    """A new password for the account (its other sessions end: Django checks the password's
    hash in every session). Refused, nothing changed, when the two differ or the rules refuse."""
    if not password:
        raise AccountRefused({"password": [_("Wajib diisi.")]})
    if password != again:
        raise AccountRefused({"password": [_("Kedua kata sandi tidak sama.")]})
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise AccountRefused({"password": list(exc.messages)}) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(request, "password_set", "user", user.get_username(), user=by)


def set_active(user: Any, active: bool, *, by: Any = None, request: HttpRequest | None = None) -> bool:
    """Deactivate (he cannot sign in, his sessions end at once, his audit trail stays) or
    reactivate the account; True when it changed. The admin never deactivates himself."""
    if not active and by is not None and user.pk == by.pk:
        raise AccountRefused({"active": [_("Anda tidak dapat menonaktifkan akun Anda sendiri.")]})
    if user.is_active == active:
        return False
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])  # the post_save receiver ends a deactivated user's sessions
        record(request, "user_reactivated" if active else "user_deactivated", "user", user.get_username(), user=by)
    return True


def find_user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()
