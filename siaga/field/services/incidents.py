"""Election day: the TPS timeline, incidents and how the Posko works them: command passed up
the ladder (Kapolsek > Kapolres > Kapolda), units sent with their status clock (never one unit
twice while it is out), election offences passed to Bawaslu/Gakkumdu, and closing with a
disposition, a note and a confirmation. Every step is in the incident's action log (who, when,
what, note). Who may do what: `authority`."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from siaga.accounts.models import Role
from siaga.accounts.roles import can, role_of
from siaga.accounts.scope import Scope, operations_for
from siaga.audit.log import record
from siaga.core.data.model import Duty
from siaga.field.models import (
    Dispatch,
    Incident,
    IncidentAction,
    TpsEvent,
)
from siaga.field.services import authority, clock, own_duties, units
from siaga.field.services import taxonomy as words
from siaga.field.services.common import (
    FieldError,
    KeyConflict,
    NotVisible,
    once,
    own_posts,
    post_of,
    posts_of,
    require_field_writer,
)
from siaga.operations.models import Tps
from siaga.plans.models import Plan
from siaga.plans.store import current_plan

# -- election day ----------------------------------------------------------------------------


def own_tps(plan: Plan, user: Any) -> set[str] | None:
    """The TPS of a field officer's own post(s); None for every other role."""
    mine = own_posts(plan, user)
    if mine is None:
        return None
    posts = posts_of(plan)
    return {str(t) for post_id in mine for t in posts.get(post_id, {}).get("tps", [])}


def _tps_of(plan: Plan, tps_code: str, user: Any) -> Tps:
    tps = Tps.objects.filter(operation_id=plan.operation_id, code=tps_code).first()
    mine = own_tps(plan, user)
    if tps is None or (
        tps_code not in mine if mine is not None else not Scope.of(user).sees_kecamatan(tps.kecamatan_code)
    ):
        raise NotVisible
    return tps


def tps_event(
    plan: Plan, tps_code: str, kind: str, user: Any, key: str, request: Any = None, at: str = ""
) -> tuple[TpsEvent, bool]:
    """One step of a TPS's day, at the time the phone made it (`clock.reported`)."""
    require_field_writer(user)
    tps = _tps_of(plan, tps_code, user)

    def create() -> TpsEvent:
        row = TpsEvent.objects.create(
            operation_id=plan.operation_id,
            tps_code=tps_code,
            kecamatan_code=tps.kecamatan_code,
            kind=kind,
            by=user,
            at=clock.reported(at),
            key=key,
        )
        record(request, "tps_event", "tps", tps_code, operation_id=plan.operation_id, after={"kind": kind})
        return row

    return once(TpsEvent, key, user, "by", create)


def report_incident(
    plan: Plan, user: Any, key: str, fields: dict[str, Any], request: Any = None
) -> tuple[Incident, bool]:
    """A new incident at a post or a TPS (its place defaults to theirs); its kind mapped onto
    the taxonomy (`taxonomy.kind_of`). By the field's writers, and by any Posko role (a report
    taken by radio)."""
    if not can(user, "posko"):
        require_field_writer(user)
    post_id, tps_code = fields.get("post_id") or "", fields.get("tps_code") or ""
    lat, lon = fields.get("lat"), fields.get("lon")
    description = fields.get("description") or ""
    duty_id, leg = "", ""
    if fields.get("duty_id") and not post_id and not tps_code:  # a roster duty's place (own_duties)
        duty = own_duties.duty_of(plan, str(fields["duty_id"]), user)
        kecamatan, place = duty.kecamatan_code, (duty.lat, duty.lon)
        duty_id, leg = duty.id, leg_of(duty, fields.get("leg"))
    elif post_id:
        post = post_of(plan, post_id, user)
        kecamatan, place = str(post.get("kecamatan_code", "")), (float(post["lat"]), float(post["lon"]))
        if tps_code:
            _tps_of(plan, tps_code, user)
    elif tps_code:
        tps = _tps_of(plan, tps_code, user)
        kecamatan, place = tps.kecamatan_code, (tps.lat, tps.lon)
    else:
        raise FieldError(_("Sebutkan pos atau TPS tempat kejadian."))
    if lat is None or lon is None:
        lat, lon = place

    def create() -> Incident:
        row = Incident.objects.create(
            operation_id=plan.operation_id,
            kind=words.kind_of(str(fields["kind"])),
            severity=fields["severity"],
            lat=lat,
            lon=lon,
            post_id=post_id,
            tps_code=tps_code,
            duty_id=duty_id,
            leg=leg,
            kecamatan_code=kecamatan,
            # a place in no kecamatan (the KPU warehouse at the Polres's point) has no Kapolsek:
            # the Kapolres commands it from the start
            level=Incident.Level.POLSEK if kecamatan else Incident.Level.POLRES,
            description=description,
            reported_by=user,
            reported_at=clock.reported(fields.get("at")),  # when the phone made the report
            key=key,
        )
        after = {"kind": row.kind, "severity": row.severity, "kecamatan": kecamatan}
        record(request, "report_incident", "incident", row.pk, operation_id=plan.operation_id, after=after)
        return row

    return once(Incident, key, user, "reported_by", create)


def leg_of(duty: Duty, leg: Any) -> str:
    """The escort's leg as an incident keeps it: its index in the duty's route ("0": Ruas 1), or
    "" when the duty has no such leg."""
    text = "" if leg is None else str(leg).strip()
    return text if text.isdigit() and int(text) < len(own_duties.legs(duty)) else ""


def duty_places(plan: Plan, incidents: Iterable[Incident]) -> dict[int, str]:
    """Incident pk -> where it happened, for those reported from a roster duty (`duty_labels`)."""
    rows = [i for i in incidents if i.duty_id]
    labels = duty_labels(plan, [(i.duty_id, i.leg) for i in rows])
    return {i.pk: labels[i.duty_id, i.leg] for i in rows}


def duty_labels(plan: Plan, places: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(duty id, leg) -> the duty's name in the reader's language and, for an escort, its leg
    ("Pengawalan ... · Ruas 2 (PPK Kraton → Gudang KPU)"; of a run of one leg, whose name says
    where from and to already, its number alone: "· Ruas 1"); a duty no longer in the plan's
    roster by its id (and its leg's number)."""
    wanted = {(d, leg) for d, leg in places if d}
    if not wanted:
        return {}
    names = own_duties.duty_names(plan, sorted({d for d, _leg in wanted}))
    duties = own_duties.roster_duties(plan)
    out = {}
    for duty_id, leg in wanted:
        duty = duties.get(duty_id)
        said = ""
        if leg.isdigit():
            said = own_duties.on_leg(duty, leg, "") if duty is not None and len(own_duties.legs(duty)) > 1 else ""
            said = said or _("Ruas %(n)s") % {"n": int(leg) + 1}
        name = names.get(duty_id) or duty_id
        out[duty_id, leg] = f"{name} · {said}" if said else name
    return out


def incident_for(pk: int, user: Any) -> Incident:
    """An incident the user may see, else 404."""
    incident = Incident.objects.select_related("operation").filter(pk=pk, operation__in=operations_for(user)).first()
    if incident is None or not role_of(user):
        raise NotVisible
    if role_of(user) == Role.FIELD_OFFICER and incident.reported_by_id == getattr(user, "pk", None):
        return incident  # his own report (at a roster duty's place too): he may add its photo
    if role_of(user) == Role.FIELD_OFFICER:
        plan = current_plan(incident.operation_id)
        mine = own_posts(plan, user) if plan is not None else set()
        if not _at_own_post(incident, mine or set(), (own_tps(plan, user) if plan else None) or set()):
            raise NotVisible
    elif not Scope.of(user).sees_kecamatan(incident.kecamatan_code):
        raise NotVisible
    return incident


class Busy(FieldError):
    """The unit is out on another dispatch (the API answers 409)."""


def act_on(
    incident: Incident,
    user: Any,
    key: str,
    action: str,
    change: Callable[[], str],
    request: Any,
    detail: str = "",
    note: str = "",
) -> bool:
    """Run `change` on the locked incident once per key, and log it (who, when, what, note)."""

    def create() -> IncidentAction:
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        incident.refresh_from_db()
        before = f"{locked.status}/{locked.level}"
        after = change()
        row = IncidentAction.objects.create(
            incident=incident, action=action, before=before, after=after, detail=detail, note=note, by=user, key=key
        )
        record(request, action, "incident", incident.pk, operation_id=incident.operation_id, after=after)
        return row

    row, created = once(IncidentAction, key, user, "by", create)
    if row.incident_id != incident.pk:
        raise KeyConflict(key)
    incident.refresh_from_db()
    return created


def _log(incident: Incident, user: Any, action: str, detail: str = "", note: str = "") -> None:
    """A log entry of a write kept under its own key (a dispatch, a unit's step, a seizure)."""
    state = f"{incident.status}/{incident.level}"
    IncidentAction.objects.create(
        incident=incident,
        action=action,
        before=state,
        after=state,
        detail=detail[:200],
        note=note,
        by=user,
        key=f"log-{uuid.uuid4()}",
    )


def _open(incident: Incident) -> None:
    if incident.status == Incident.Status.SELESAI:
        raise FieldError(_("Kejadian ini sudah ditutup."))


def escalate(incident: Incident, user: Any, key: str, request: Any = None, note: str = "") -> bool:
    """Command one step up: Kapolsek -> Kapolres -> Kapolda. The force sent is apart (DOCTRINE.md
    12), and so is the status: an incident no unit was sent to stays "dilaporkan" under its new
    commander; it is "ditangani" from its first dispatch."""

    def change() -> str:  # checked on the locked row: a retry of a stored key is not refused
        authority.check(authority.to_escalate(user, incident))
        _open(incident)
        ladder = list(Incident.LADDER)
        step = ladder.index(Incident.Level(incident.level))
        if step + 1 >= len(ladder):
            raise FieldError(_("Komando sudah di tingkat tertinggi (Kapolda)."))
        incident.level = ladder[step + 1]  # the status stays: it follows the force sent (`dispatch`), not who commands
        incident.save(update_fields=["level"])
        return f"{incident.status}/{incident.level}"

    detail = str(words.COMMAND.get(_next_level(incident) or "", ""))
    return act_on(incident, user, key, "escalate", change, request, detail=detail, note=note)


def _next_level(incident: Incident) -> str | None:
    ladder = list(Incident.LADDER)
    step = ladder.index(Incident.Level(incident.level))
    return ladder[step + 1] if step + 1 < len(ladder) else None


def close(
    incident: Incident,
    user: Any,
    key: str,
    request: Any = None,
    disposition: str = "",
    note: str = "",
    confirmed: bool = False,
) -> bool:
    """Closed with a disposition, a note and the closer's confirmation. An election offence
    closes only once passed to Bawaslu/Gakkumdu (closing it as handed to them records that);
    in a Pilkades (`words.offence_route`) only as handed to Reskrim or the village committee."""
    authority.check(authority.to_close(user, incident))  # before the form's checks: who commands closes
    route = words.offence_route(incident.operation)
    if disposition not in words.ROUTE_DISPOSITIONS[route]:
        raise FieldError(_("Pilih penanganan akhir kejadian sebelum menutupnya."))
    if not note.strip():
        raise FieldError(_("Tulis catatan penutupan: apa yang terjadi dan bagaimana diselesaikan."))
    if not confirmed:
        raise FieldError(_("Penutupan kejadian perlu dikonfirmasi."))
    offence = words.needs_referral(incident, route)

    def change() -> str:
        authority.check(authority.to_close(user, incident))
        _open(incident)
        now = timezone.now()
        if offence and incident.referred_at is None:
            if disposition != Incident.Disposition.GAKKUMDU:
                raise FieldError(
                    _(
                        "Pelanggaran pemilu tidak diselesaikan Polri sendiri: teruskan ke Bawaslu/Gakkumdu "
                        "(paling lambat 7 hari) sebelum menutupnya."
                    )
                )
            incident.referred_at, incident.referral_note = now, note
        elif disposition not in words.closings(incident, route):  # a Pilkades offence
            raise FieldError(
                _(
                    "Tindak pidana Pilkades bukan wewenang Bawaslu/Gakkumdu: tutup sebagai diserahkan ke "
                    "Reskrim atau ke panitia pemilihan."
                )
            )
        incident.status, incident.closed_by, incident.closed_at = Incident.Status.SELESAI, user, now
        incident.disposition, incident.closing_note = disposition, note
        fields = ["status", "closed_by", "closed_at", "disposition", "closing_note", "referred_at", "referral_note"]
        incident.save(update_fields=fields)
        on_the_way = list(incident.dispatches.filter(status__in=_NOT_ARRIVED))
        incident.dispatches.filter(status__in=_BEFORE_DONE).update(status=Dispatch.Step.SELESAI, done_at=now)
        for row in on_the_way:  # called back before it arrived: not "selesai" (`recalled`)
            name = row.unit_name or row.post_id
            _log(incident, user, "unit", f"{name}: {words.RECALLED}")
            after = {"unit": name, "dispatched_at": row.at.isoformat()}
            record(request, "recall", "incident", incident.pk, operation_id=incident.operation_id, after=after)
        return f"{incident.status}/{incident.level}"

    detail = str(words.DISPOSITIONS[disposition])
    return act_on(incident, user, key, "close", change, request, detail=detail, note=note)


_BEFORE_DONE = (Dispatch.Step.DIKERAHKAN, Dispatch.Step.DALAM_PERJALANAN, Dispatch.Step.TIBA)
_NOT_ARRIVED = (Dispatch.Step.DIKERAHKAN, Dispatch.Step.DALAM_PERJALANAN)


def recalled(row: Dispatch, incident: Incident) -> bool:
    """Whether the unit was called back when its incident closed before it arrived: its clock
    ends at `selesai` at the closing time with no `tiba` (`close`)."""
    return (
        row.arrived_at is None
        and row.done_at is not None
        and incident.closed_at is not None
        and row.done_at >= incident.closed_at
    )


def refer(incident: Incident, user: Any, key: str, note: str, request: Any = None) -> bool:
    """The election offence passed to Bawaslu and the Gakkumdu (the letter's number, whom)."""
    authority.check(authority.to_work(user, incident))
    if not words.needs_referral(incident, words.offence_route(incident.operation)):
        raise FieldError(_("Hanya pelanggaran Pemilu atau Pilkada yang diteruskan ke Bawaslu/Gakkumdu."))
    if not note.strip():
        raise FieldError(_("Tulis nomor surat atau kepada siapa diteruskan."))

    def change() -> str:
        if incident.referred_at is None:
            incident.referred_at, incident.referral_note = timezone.now(), note
            incident.save(update_fields=["referred_at", "referral_note"])
        return f"{incident.status}/{incident.level}"

    return act_on(incident, user, key, "refer", change, request, note=note)


def reserves(incident: Incident, user: Any = None) -> list[dict[str, Any]]:
    """Every unit by travel time to the incident, free ones first, each with its name and kind
    (shown), whether it is out, and whether `user` (when given) may send it (`refusal`)."""
    rows = units.ranked(incident)
    for row in rows:
        team: units.Team = row["team"]
        row["name"], row["kind"] = team.shown(), str(words.UNIT_KINDS[team.kind])
        row["eta_whole"] = max(1, math.floor(row["eta_minutes"] + 0.5))  # shown whole, never "~0"; counts the words
        row["here"] = round(row["road_km"], 1) == 0  # at the place (0,0 km): said "di tempat", not "0,0 km, 1 menit"
        row["refusal"] = authority.to_dispatch(user, team, incident) if user is not None else None
    return rows


def dispatch(
    incident: Incident, user: Any, key: str, post_id: str | None = None, request: Any = None
) -> tuple[Dispatch, bool]:
    """Send a unit: the named one, or the free one the user may send that can arrive first. A
    unit that is out (on this or another incident) is refused (`Busy`)."""
    if not can(user, "posko"):
        authority.check(authority.to_work(user, incident))

    def create() -> Dispatch:
        _open(incident)
        ranked = reserves(incident, user)
        if post_id:
            chosen = next((r for r in ranked if r["post_id"] == post_id), None)
            if chosen is None:
                raise FieldError(_("Satuan itu tidak ada dalam operasi ini."))
        else:
            chosen = next((r for r in ranked if not r["busy"] and r["refusal"] is None), None)
            if chosen is None:
                raise Busy(_("Tidak ada satuan bebas yang dapat Anda kerahkan."))
        authority.check(chosen["refusal"])
        team: units.Team = chosen["team"]
        out = units.busy(incident.operation_id).get(team.code)
        if out is not None:
            raise Busy(_busy_text(team, out))
        try:
            with transaction.atomic():
                row = Dispatch.objects.create(
                    incident=incident,
                    operation_id=incident.operation_id,
                    post_id=team.code,
                    unit_kind=team.kind,
                    unit_name=team.name[:160],
                    eta_minutes=chosen["eta_minutes"],
                    by=user,
                    key=key,
                )
        except IntegrityError:
            out = units.busy(incident.operation_id).get(team.code)
            if out is None:  # the key's row: `once` reads it
                raise
            raise Busy(_busy_text(team, out)) from None
        if incident.status == Incident.Status.DILAPORKAN:
            incident.status = Incident.Status.DITANGANI
            incident.save(update_fields=["status"])
        _log(incident, user, "dispatch", dispatched_words(team.name, row.eta_minutes))
        after = {"unit": row.unit_name or row.post_id, "eta_minutes": row.eta_minutes}  # as the Posko names it
        record(request, "dispatch", "incident", incident.pk, operation_id=incident.operation_id, after=after)
        return row

    row, created = once(Dispatch, key, user, "by", create)
    if row.incident_id != incident.pk:
        raise KeyConflict(key)
    return row, created


def dispatched_words(unit: str, eta_minutes: float) -> str:
    """A dispatch as the log says it: "<unit>, perkiraan tiba 12 menit", or, for a unit at the
    place (under half a minute away), "<unit>, sudah di tempat"."""
    eta = round(eta_minutes)
    if eta == 0:
        return _("%(unit)s, sudah di tempat") % {"unit": unit}
    said = npgettext("minutes", "%(unit)s, perkiraan tiba %(eta)s menit", "%(unit)s, perkiraan tiba %(eta)s menit", eta)
    return said % {"unit": unit, "eta": eta}


def _busy_text(team: units.Team, out: Dispatch) -> str:
    return _("%(unit)s sedang bertugas di kejadian #%(n)s (%(step)s) dan belum kembali; pilih satuan lain.") % {
        "unit": team.shown(),
        "n": out.incident_id,
        "step": words.STEPS.get(out.status, out.status),
    }


def dispatch_for(pk: int, user: Any) -> Dispatch:
    """A dispatch of an incident the user may see, else 404."""
    row = Dispatch.objects.select_related("incident").filter(pk=pk).first()
    if row is None:
        raise NotVisible
    incident_for(row.incident_id, user)
    return row


def advance(row: Dispatch, user: Any, key: str, step: str, request: Any = None, note: str = "") -> bool:
    """The unit's status clock one or more steps on (dikerahkan > dalam perjalanan > tiba >
    selesai > kembali), each step's time kept; by whoever may send that unit."""
    incident = row.incident
    team = units.teams(incident.operation).get(row.post_id)
    if team is not None:
        authority.check(authority.to_dispatch(user, team, incident))
    elif not can(user, "command"):
        authority.check(authority.to_work(user, incident))
    order = list(words.STEPS)
    if step not in order:
        raise FieldError(_("Status satuan tidak dikenal."))

    def change() -> str:
        locked = Dispatch.objects.select_for_update().get(pk=row.pk)
        if order.index(step) <= order.index(locked.status):
            raise FieldError(
                _("%(unit)s sudah berstatus %(step)s.") % {"unit": locked.unit_name, "step": words.STEPS[locked.status]}
            )
        now = timezone.now()
        locked.status = step
        setattr(locked, words.STEP_TIME[step], now)
        locked.save(update_fields=["status", words.STEP_TIME[step]])
        row.refresh_from_db()
        return f"{incident.status}/{incident.level}"

    detail = f"{row.unit_name or row.post_id}: {step}"  # the step's code: shown in the reader's language (posko)
    return act_on(incident, user, key, "unit", change, request, detail=detail, note=note)


def _at_own_post(incident: Incident, posts: set[str], tps: set[str]) -> bool:
    if incident.duty_id:  # a roster duty's: as when its id was kept as the post's (before 0014)
        return incident.duty_id in posts
    return incident.post_id in posts if incident.post_id else incident.tps_code in tps
