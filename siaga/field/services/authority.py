"""Who may act on the day, and why not (DOCTRINE.md 12). Each check answers None (allowed) or
the refusal, in the user's language, that the API sends (403) and the page uses to hide the
button.

- The Kapolres (commander) and the admin command: escalate, dispatch any unit, close, set an
  area's status.
- The Kabag Ops (planner) works the Posko for the Kapolres: escalates to the Kapolres, sends
  the Polres's and the Polsek's teams, closes; Brimob and the BKO reserves only when the
  Kapolres has delegated it to him (`Delegation`).
- A Kapolsek (sector chief) works the incidents of his kecamatan while he commands them: sends
  his own Polsek's Dalmas Awal and patrol, hands command up to the Kapolres, closes.
- The Polda (Karoops/Kapolda) commands an incident once the Kapolres has handed its command up
  to the Kapolda, as the Kapolres does his: sends any unit (Brimob, the BKO reserves, TNI help),
  moves the units' clocks, refers, seizes, closes. Every other incident he reads.
- A post leader (field officer) reports incidents at his post and attaches photos to his own
  reports. A viewer reads.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.roles import can, role_of
from siaga.accounts.scope import Scope
from siaga.field.models import Delegation, Incident
from siaga.field.services.units import Team


class Refused(PermissionDenied):
    """A refusal whose message says why, in the user's language."""


def check(reason: str | None) -> None:
    if reason is not None:
        raise Refused(reason)


def _reader(user: Any) -> str:
    if role_of(user) == Role.FIELD_OFFICER:
        return _("Kepala pos melaporkan kejadian; penanganannya oleh Posko (Kapolsek atau Kapolres).")
    return _("Peran Anda hanya dapat melihat; penanganan kejadian oleh Kapolres, Kabag Ops atau Kapolsek.")


def delegated(user: Any, operation_id: int) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and Delegation.objects.filter(operation_id=operation_id, user_id=pk).exists()


def at_polda(user: Any, incident: Incident) -> bool:
    """Whether `user` is the Polda and `incident` is commanded at the Kapolda's level."""
    return role_of(user) == Role.POLDA and incident.level == Incident.Level.POLDA


def in_posko(user: Any, incident: Incident) -> bool:
    """Whether `user` works `incident` in the Posko at all: the Posko roles, and the Polda on
    the incidents whose command was handed up to the Kapolda."""
    return can(user, "posko") or at_polda(user, incident)


def _polda_reads(user: Any) -> str | None:
    if role_of(user) == Role.POLDA:
        return _("Kejadian ini belum diserahkan kepada Kapolda; Polda hanya dapat melihatnya.")
    return None


def to_work(user: Any, incident: Incident) -> str | None:
    """Escalating to the Kapolres, closing, recording: the Posko roles; a Kapolsek only while
    the incident is still his (commanded at Polsek level); the Polda once it is the Kapolda's."""
    if at_polda(user, incident):
        return None
    if not can(user, "posko"):
        return _polda_reads(user) or _reader(user)
    if role_of(user) == Role.SECTOR_CHIEF and incident.level != Incident.Level.POLSEK:
        return _("Komando kejadian ini sudah di tangan Kapolres; Kapolsek tidak dapat mengubahnya lagi.")
    return None


def to_escalate(user: Any, incident: Incident) -> str | None:
    reason = to_work(user, incident)
    if reason is None and incident.level == Incident.Level.POLRES and not can(user, "command"):
        return _("Hanya Kapolres yang menyerahkan komando kepada Kapolda.")
    return reason


def to_dispatch(user: Any, team: Team, incident: Incident) -> str | None:
    """Whether the user may send `team` to `incident`."""
    if at_polda(user, incident):
        return None  # the Kapolda commands: any unit, Brimob and TNI help included
    if not can(user, "posko"):
        return _polda_reads(user) or _reader(user)
    if can(user, "command"):
        return None
    if team.reserved:
        if role_of(user) == Role.PLANNER and delegated(user, incident.operation_id):
            return None
        return _(
            "Brimob, cadangan BKO dan bantuan TNI hanya dikerahkan oleh Kapolres "
            "atau pejabat yang diberi limpahan wewenang olehnya."
        )
    if role_of(user) == Role.SECTOR_CHIEF:
        if incident.level != Incident.Level.POLSEK:
            return _("Komando kejadian ini sudah di tangan Kapolres; Kapolsek tidak dapat mengubahnya lagi.")
        if not team.kecamatan_code or team.kecamatan_code != Scope.of(user).kecamatan:
            return _("Kapolsek hanya mengerahkan Dalmas Awal dan patroli Polseknya sendiri.")
    return None


def to_set_area(user: Any) -> str | None:
    if not can(user, "command"):
        return _("Status wilayah (hijau, kuning, merah) ditetapkan oleh Kapolres.")
    return None


def to_delegate(user: Any) -> str | None:
    if not can(user, "command"):
        return _("Hanya Kapolres yang melimpahkan wewenang pengerahan Brimob dan cadangan BKO.")
    return None


def to_attach_photo(user: Any, incident: Incident) -> str | None:
    """The Posko roles (the Polda on an incident the Kapolda commands), and a post leader on
    his own report."""
    if in_posko(user, incident):
        return None
    if role_of(user) == Role.FIELD_OFFICER and incident.reported_by_id == getattr(user, "pk", None):
        return None
    if role_of(user) == Role.FIELD_OFFICER:
        return _("Kepala pos hanya melampirkan foto pada laporannya sendiri.")
    return _polda_reads(user) or _reader(user)


def delegate(operation_id: int, user: Any, delegate_pk: int, granted: bool) -> None:
    """The Kapolres grants (or takes back) the dispatch of Brimob and the BKO reserves to a
    Kabag Ops (a planner account)."""
    from django.contrib.auth import get_user_model

    check(to_delegate(user))
    target = get_user_model().objects.filter(pk=delegate_pk, is_active=True).first()
    if target is None or role_of(target) != Role.PLANNER:
        from siaga.field.services.common import FieldError

        raise FieldError(_("Wewenang hanya dapat dilimpahkan kepada Kabag Ops (perencana)."))
    if granted:
        Delegation.objects.get_or_create(operation_id=operation_id, user=target, defaults={"by": user})
    else:
        Delegation.objects.filter(operation_id=operation_id, user=target).delete()
