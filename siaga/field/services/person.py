"""One person in one plan version, as the planner asks about him on the phone: who he is, every
duty the version gives him (the phone's roster, `duties.phone_names`), his hours and shortest
rest against the operation's minimum, the apels he stood at, and, when he holds no duty, why.

Who sees whom (`person_of`): the whole Polres anyone of the operation; a sector chief a person
who holds a post or duty in his kecamatan or belongs to his Polsek (by the person's or his
unit's kecamatan), and of him only the duties in that kecamatan; a post leader himself. Anyone
else is `NotVisible` (the page answers 404: another sector's person looks like no person).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from siaga.accounts.scope import Scope
from siaga.core.data import pins
from siaga.core.data.positions import is_command
from siaga.field.models import CheckIn
from siaga.field.services.apel import DESA_GROUP, apels, group_name
from siaga.field.services.common import NotVisible
from siaga.field.services.duties import DutyRow, phone_names
from siaga.operations.labels import FORCE_LABELS, label, stage_name
from siaga.operations.models import Person, Unit
from siaga.operations.services import core_operation
from siaga.plans.models import Plan
from siaga.plans.names import post_labels
from siaga.plans.pages import pin_words


@dataclass(frozen=True)
class ApelMark:
    """One apel of the operation and what its roll call says of the person."""

    name: str
    start: dt.datetime | None
    present: bool
    at: dt.datetime | None  # when he was checked in
    how: str  # "kartu (QR)", "NRP", "daftar"; "" when absent
    held: bool  # the apel has started (absent means absent), else it is still to come


@dataclass(frozen=True)
class PersonPage:
    person: Person
    unit: str  # the unit by its name, or "Linmas Desa Semare"; "" for none
    force: str
    ready_reason: str  # why he is not ready, when the data says
    pin: str  # the pinned post in words; "" for none
    post: str  # his post in this version, by name; "" for none
    duties: list[DutyRow]  # those the reader may see, in order of time
    elsewhere: int  # duties he holds outside the reader's kecamatan (a sector chief's page)
    hours: float  # on duty over the whole version
    shortest_rest: float | None  # hours between two duties in a row; None for fewer than two
    min_rest: float  # the operation's minimum rest (min_rest_hours)
    apels: list[ApelMark]
    no_duty: str  # why he holds no duty in this version; "" when he holds one

    @property
    def rest_short(self) -> bool:
        return self.shortest_rest is not None and self.shortest_rest < self.min_rest


def person_of(plan: Plan, code: str, user: object, roster: list[DutyRow] | None = None) -> Person:
    """The person of the operation with this NRP/NIK whom `user` may see, else NotVisible
    (`roster`: his duties in `plan` when the caller has read them already)."""
    scope = Scope.of(user)
    person = Person.objects.filter(operation_id=plan.operation_id, code=code).first()
    if person is None or scope.nothing:
        raise NotVisible
    if scope.person is not None:
        if scope.person != person.code:
            raise NotVisible
    elif scope.kecamatan is not None and not _of_sector(plan, person, scope.kecamatan, roster):
        raise NotVisible
    return person


def _of_sector(plan: Plan, person: Person, kecamatan: str, roster: list[DutyRow] | None) -> bool:
    """Whether the person belongs to this Polsek or holds a post or duty in its kecamatan."""
    if person.kecamatan_code == kecamatan:
        return True
    unit = Unit.objects.filter(operation_id=plan.operation_id, code=person.unit_code).first()
    if unit is not None and person.unit_code and unit.kecamatan_code == kecamatan:
        return True
    if plan.assignments.filter(person_code=person.code, post__kecamatan_code=kecamatan).exists():
        return True
    if roster is None:
        roster = phone_names(plan, person.code, dt.datetime.min).duties
    return any(d.kecamatan_code == kecamatan for d in roster)


def person_page(plan: Plan, code: str, user: object, now: dt.datetime) -> PersonPage:
    """Everything about one person in `plan` that `user` may see, at `now` (the operation's
    local time without a zone, as the roster is written)."""
    scope = Scope.of(user)
    if scope.nothing or (scope.person is not None and scope.person != code):
        raise NotVisible
    roster = phone_names(plan, code, now).duties
    person = person_of(plan, code, user, roster)
    mine = [d for d in roster if scope.kecamatan is None or d.kecamatan_code == scope.kecamatan]
    shown = [replace(d, stage=stage_name(d.stage)) for d in mine]  # the stage in the reader's language
    post = plan.assignments.filter(person_code=person.code).values_list("post__code", flat=True).first() or ""
    return PersonPage(
        person=person,
        unit=_unit(plan, person),
        force=str(label(FORCE_LABELS, person.force)),
        ready_reason=person.pin_reason if not person.available else "",
        pin=_pin(plan, person.pinned_post),
        post=post_labels(plan, [post]).get(post, post) if post else "",
        duties=shown,
        elsewhere=len(roster) - len(shown),
        hours=sum(_hours(d.start, d.end) for d in roster),
        shortest_rest=shortest_rest(roster),
        min_rest=float(core_operation(plan.operation).min_rest_hours),
        apels=_apels(plan, person.code, now),
        no_duty="" if roster else why_no_duty(plan, person),
    )


def _hours(start: dt.datetime | None, end: dt.datetime | None) -> float:
    return (end - start).total_seconds() / 3600 if start and end else 0.0


def shortest_rest(duties: list[DutyRow]) -> float | None:
    """The fewest hours between the end of one duty and the start of the next (in order of
    start); None when there are fewer than two duties."""
    timed = sorted((d.start, d.end) for d in duties if d.start and d.end)
    gaps = [_hours(a_end, b_start) for (_a, a_end), (b_start, _b) in zip(timed, timed[1:], strict=False)]
    return min(gaps) if gaps else None


def _unit(plan: Plan, person: Person) -> str:
    if person.unit_code:
        return group_name(plan.operation_id, person.unit_code)
    if person.desa_code:
        return group_name(plan.operation_id, DESA_GROUP + person.desa_code)
    return ""


def _pin(plan: Plan, value: str) -> str:
    """The pinned post as the plan page says it: a post by its name, a desa by its balai desa."""
    if not value:
        return ""
    desa = plan.operation.regions.filter(code=value.removeprefix("VILLAGE-")).values_list("name", flat=True).first()
    if desa:
        return _("balai desa %(desa)s") % {"desa": desa}
    return str(pin_words(value, "", post_labels(plan, [value])))


def _apels(plan: Plan, code: str, now: dt.datetime) -> list[ApelMark]:
    """Each apel of the operation with his check-in, or absent once it has started."""
    found = {c.apel: c for c in CheckIn.objects.filter(operation_id=plan.operation_id, person_code=code)}
    marks = []
    for apel in apels(plan.operation):
        row = found.get(apel.key)
        start = apel.start.replace(tzinfo=None) if apel.start else None
        held = row is not None or (start is not None and start <= now)
        how = str(row.get_method_display()) if row else ""
        marks.append(ApelMark(apel.name, apel.start, row is not None, row.at if row else None, how, held))
    return marks


def replanned_out(plan: Plan, code: str) -> bool:
    """Whether a re-plan for the absentees of the apel took him out on the way to this version
    (this version or one it was made from)."""
    seen: set[int] = set()
    version: Plan | None = plan
    while version is not None and version.pk not in seen:
        seen.add(version.pk)
        if code in ((version.extra or {}).get("replan") or {}).get("absent", []):
            return True
        version = version.parent
    return False


def why_no_duty(plan: Plan, person: Person) -> str:
    """Why a person holds no duty in the version, in words: not ready, command or staff, not
    deployed by a pin, absent at the apel and re-planned out, or simply not needed."""
    pin = pins.parse(person.pinned_post)
    reason = f" ({person.pin_reason})" if person.pin_reason else ""
    if not person.available:
        return _("Tidak siap: tidak diturunkan.") + reason
    if is_command(person.position):
        return _("%(position)s adalah jabatan komando/staf: tidak ditempatkan di pos.") % {"position": person.position}
    if pin is not None and pin.kind == pins.STAFF:
        return _("Dipin sebagai staf: tidak ditempatkan di pos.") + reason
    if pin is not None and pin.kind == pins.NOT_DEPLOYED:
        return _("Dipin tidak diturunkan.") + reason
    if replanned_out(plan, person.code):
        return _("Tidak hadir saat apel dan dikeluarkan oleh susun ulang rencana.")
    return _("Tidak dibutuhkan: pos dan tugas versi ini sudah terisi personel lain.")
