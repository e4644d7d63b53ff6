"""Who may act on the day, and why not (DOCTRINE.md 12). Each check answers None (allowed) or
the refusal, in the user's language, that the API sends (403) and the page uses to hide the
button.

- The Kapolres (commander) and the admin command: escalate, dispatch any unit, close, set an
  area's status.
- The Kabag Ops (planner) works the Posko for the Kapolres: escalates to the Kapolres, sends
  the Polres's and the Polsek's teams, closes; Brimob and the BKO reserves only when the
  Kapolres has delegated it to him (`Delegation`).
- A Kapolsek (sector chief) works the incidents of his kecamatan while he commands them: sends
  his own Polsek's Dalmas Awal and patrol, hands command up to the Kapolres, closes. Once he has
  handed command up, the Kapolres (or the Kapolda) decides: escalating further, closing,
  referring and every other unit. DOCTRINE.md 12 keeps command apart from the force sent and
  says nothing on whether a Polsek's own first response stays with its Kapolsek after the
  handover, so that is the operation's setting `sector_units_after_handover` (default yes: his
  Dalmas Awal and patrol are the first on the scene of his sector and he still sends them and
  moves their clocks). He still records seized goods and their custody (DOCTRINE.md 12: every
  seizure needs its record, whoever commands).
- The Polda (Karoops/Kapolda) commands an incident once the Kapolres has handed its command up
  to the Kapolda, as the Kapolres does his: sends any unit (Brimob, the BKO reserves, TNI help:
  DOCTRINE.md 12 is silent on who sends them once the Kapolda commands, so the Kapolda
  commanding may), moves the units' clocks, refers, seizes, closes. Every other incident he
  reads. Closing follows who commands (`to_close`): once the Kapolda commands, only the Polda
  (and the admin) closes; the Kapolres still sends his units to it.
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


SECTOR_UNITS_SETTING = "sector_units_after_handover"


def sector_keeps_units(operation: Any) -> bool:
    """Whether a Kapolsek still sends (and moves the clocks of) his own Polsek's Dalmas Awal and
    patrol once he has handed an incident's command up: the operation's setting (the workbook's
    `sector_units_after_handover`, docs/scenario.md), default yes."""
    value = (getattr(operation, "config", None) or {}).get(SECTOR_UNITS_SETTING, True)
    return value not in (False, 0, "0", "false", "False", "tidak", "no")


def handed_up(user: Any, incident: Incident) -> bool:
    """Whether `user` is a Kapolsek whose incident is now commanded above him."""
    return role_of(user) == Role.SECTOR_CHIEF and incident.level != Incident.Level.POLSEK


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


def to_close(user: Any, incident: Incident) -> str | None:
    """Closing follows who commands (DOCTRINE.md 12): as `to_work`, but an incident whose
    command was handed up to the Kapolda is closed at the Kapolda's level only (the Polda, and
    the admin, who commands at every level); the Kapolres and his Kabag Ops are told why."""
    reason = to_work(user, incident)
    if reason is not None or incident.level != Incident.Level.POLDA:
        return reason
    if at_polda(user, incident) or role_of(user) == Role.ADMIN:
        return None
    return _("Komando kejadian ini sudah di tangan Kapolda; kejadian ini hanya dapat ditutup oleh Kapolda (Polda).")


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
        if handed_up(user, incident) and not sector_keeps_units(incident.operation):
            return _("Komando kejadian ini sudah di tangan Kapolres; Kapolsek tidak dapat mengubahnya lagi.")
        if not team.kecamatan_code or team.kecamatan_code != Scope.of(user).kecamatan:
            return _("Kapolsek hanya mengerahkan Dalmas Awal dan patroli Polseknya sendiri.")
    return None


def to_seize(user: Any, incident: Incident) -> str | None:
    """Recording seized goods and their custody: who works the incident, the Kapolres, and a
    Kapolsek on an incident of his sector he has handed up (the record is of what happened)."""
    if handed_up(user, incident) and can(user, "posko"):
        return None
    if to_work(user, incident) is None or can(user, "command"):
        return None
    return to_work(user, incident)


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
