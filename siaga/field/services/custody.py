"""Escorts and the chain of custody (DOCTRINE.md 11): escort runs with their legs, manifest,
departures and arrivals and handover records (berita acara serah terima); the buku mutasi of a
guarded warehouse, PPK or balai desa.

An escort run is a KAWAL duty of the current plan's roster (`plan.extra["roster"]`); a guarded
place is the `place` of its GUDANG_KPU, GUDANG_PPK, PPK or BALAI_DESA duties (one per shift;
the balai desa keeps the boxes overnight after a Pilkades count, so it keeps the book too).

Who writes: a run's departures, arrivals and manifest, its team (any field role whose
NRP/NIK is on it) and the writers (planner, admin, the sector chief of its kecamatan, as the
Posko records a radio report); its handover records, its team only (they sign them); its
leg marks, planner and admin. A place's book: its guards (any shift) and the writers; of the
three padlocks of a PPK warehouse (Polsek, PPK, Panwascam: DOCTRINE.md 11) a sector chief who
does not guard the place passes on the key of his Polsek's only (the other two are the PPK's
and the Panwascam's, their handover witnessed by the guards). A field
officer sees only their own runs and places (any other is a 404); commander and viewer read.
Times are the phone's (an entry queued offline keeps the time it was made), never in the
future; the board's flags compare the duty window with `clock.now()`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.accounts.models import Role
from siaga.accounts.roles import role_of
from siaga.accounts.scope import Scope
from siaga.audit.log import record
from siaga.core.data import duties as duty_data
from siaga.core.data import ranks
from siaga.core.data.model import Duty
from siaga.core.planning import roster as roster_data
from siaga.field.models import EntryLog, EscortEvent, EscortRun, Handover
from siaga.field.services import clock
from siaga.field.services.common import WRITERS, FieldError, NotVisible, once, require_field_writer
from siaga.operations.forms import lang as reader_lang
from siaga.operations.models import Person
from siaga.plans.models import Plan

GUARD_KINDS = (duty_data.GUDANG_KPU, duty_data.GUDANG_PPK, duty_data.PPK, duty_data.BALAI_DESA)
COUNTS = ("ballot_boxes", "booths", "seals", "envelopes")
COUNT_LABELS: dict[str, Any] = {
    "ballot_boxes": gettext_lazy("Jumlah kotak suara"),
    "booths": gettext_lazy("Jumlah bilik suara"),
    "seals": gettext_lazy("Jumlah segel"),
    "envelopes": gettext_lazy("Jumlah sampul formulir"),
}
MAX_COUNT = 100_000
STATES: dict[str, Any] = {
    "belum_berangkat": gettext_lazy("belum berangkat"),
    "berangkat": gettext_lazy("berangkat"),
    "tiba": gettext_lazy("tiba"),
    "serah_terima": gettext_lazy("serah terima selesai"),
}
MARKS: dict[str, Any] = {
    EscortRun.Mark.BIASA: gettext_lazy("biasa"),
    EscortRun.Mark.SULIT: gettext_lazy("jalan sulit"),
    EscortRun.Mark.PERAIRAN: gettext_lazy("jalur perairan (Polairud)"),
}
ENTRY_KINDS: dict[str, Any] = {
    EntryLog.Kind.MASUK: gettext_lazy("masuk"),
    EntryLog.Kind.KELUAR: gettext_lazy("keluar"),
    EntryLog.Kind.KUNCI: gettext_lazy("serah terima kunci"),
}
PADLOCKS: dict[str, Any] = {
    EntryLog.Padlock.POLSEK: gettext_lazy("gembok Polsek"),
    EntryLog.Padlock.PPK: gettext_lazy("gembok PPK"),
    EntryLog.Padlock.PANWASCAM: gettext_lazy("gembok Panwascam"),
}
FUTURE_SLACK = dt.timedelta(minutes=5)  # a phone's clock a little ahead is not refused


# -- the roster's custody duties ---------------------------------------------------------------


def _duties(plan: Plan) -> tuple[dict[str, Duty], dict[str, list[str]]]:
    """The plan's escort and guard duties by id, and the people (NRP/NIK) on each."""
    cached = getattr(plan, "_custody_duties", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    data = plan.extra.get("roster") if isinstance(plan.extra, dict) else None
    roster = roster_data.from_json(data) if data else None
    found: dict[str, Duty] = {}
    team: dict[str, list[str]] = defaultdict(list)
    if roster is not None:
        found = {d.id: d for d in roster.duties if d.kind == duty_data.KAWAL or d.kind in GUARD_KINDS}
        for a in roster.assignments:
            if a.post in found:
                team[a.post].append(a.person)
    plan._custody_duties = (found, team)  # type: ignore[attr-defined]
    return found, team


def _me(user: Any) -> str:
    return str(getattr(getattr(user, "profile", None), "person_code", "") or "").strip()


def _sees(user: Any, kecamatan: str, people: list[str]) -> bool:
    """One's own duty, else what one's scope covers (a field officer: nothing more)."""
    me = _me(user)
    return bool(me and me in people) or Scope.of(user).sees_kecamatan(kecamatan)


def _legs(duty: Duty) -> list[tuple[str, str]]:
    route = list(duty.route)
    if len(route) < 2:
        return [(route[0] if route else _("titik berangkat"), _("titik tujuan"))]
    return list(zip(route[:-1], route[1:], strict=True))


def _run(plan: Plan, duty_id: str, user: Any) -> tuple[Duty, list[str]]:
    duties, team = _duties(plan)
    duty = duties.get(duty_id)
    if duty is None or duty.kind != duty_data.KAWAL or not _sees(user, duty.kecamatan_code, team[duty_id]):
        raise NotVisible
    return duty, team[duty_id]


def _writable_run(plan: Plan, duty_id: str, user: Any, team_only: bool = False) -> tuple[Duty, list[str]]:
    require_field_writer(user)
    duty, people = _run(plan, duty_id, user)
    if _me(user) in people:
        return duty, people
    if team_only or role_of(user) not in WRITERS:
        raise PermissionDenied("not on the escort's team")
    return duty, people


def _place(plan: Plan, place: str, user: Any) -> tuple[list[Duty], list[str]]:
    """A guarded place's duties (its shifts, in order) and everyone on them, if visible."""
    duties, team = _duties(plan)
    shifts = sorted((d for d in duties.values() if d.place == place and d.kind in GUARD_KINDS), key=lambda d: d.start)
    people = [p for d in shifts for p in team[d.id]]
    if not shifts or not _sees(user, shifts[0].kecamatan_code, people):
        raise NotVisible
    return shifts, people


# -- what a request carries: checked here, each refusal naming its field in Indonesian -----------


def _text(data: Mapping[str, Any], name: str, label: Any, longest: int, required: bool = True) -> str:
    raw = data.get(name)
    value = "" if raw is None else str(raw).strip()
    if "\x00" in value:
        raise FieldError(_("%(field)s berisi karakter yang tidak sah.") % {"field": label})
    if required and not value:
        raise FieldError(_("%(field)s wajib diisi.") % {"field": label})
    if len(value) > longest:
        raise FieldError(
            _("%(field)s terlalu panjang (paling banyak %(n)d karakter).") % {"field": label, "n": longest}
        )
    return value


def _count(data: Mapping[str, Any], name: str) -> int:
    raw = data.get(name)
    if raw is None or raw == "":
        return 0
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or int(text) > MAX_COUNT:
        raise FieldError(
            _("%(field)s harus bilangan bulat 0 sampai %(n)d.") % {"field": COUNT_LABELS[name], "n": MAX_COUNT}
        )
    return int(text)


def _leg(data: Mapping[str, Any], legs: list[tuple[str, str]]) -> int:
    raw = data.get("leg", 0)
    text = "0" if raw is None or raw == "" else str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or int(text) >= len(legs):
        raise FieldError(_("Ruas tidak dikenal: pilih salah satu ruas pengawalan ini."))
    return int(text)


def _at(data: Mapping[str, Any]) -> dt.datetime:
    """The time the phone gives (when the entry was made), else now; never in the future."""
    raw = data.get("at")
    now = clock.now()
    if raw is None or raw == "":
        return now
    try:
        at = dt.datetime.fromisoformat(str(raw).strip())
    except ValueError:
        raise FieldError(_("Waktu tidak dapat dibaca (contoh: 2024-02-14T07:30).")) from None
    at = clock.local(at)
    if at > now + FUTURE_SLACK:
        raise FieldError(_("Waktu tidak boleh di masa depan."))
    return at


def _choice(data: Mapping[str, Any], name: str, choices: Mapping[Any, Any], label: Any) -> str:
    value = str(data.get(name) or "").strip()
    if value not in {str(k) for k in choices}:
        raise FieldError(_("%(field)s tidak dikenal.") % {"field": label})
    return value


# -- writes ------------------------------------------------------------------------------------


def escort_event(
    plan: Plan, duty_id: str, data: Mapping[str, Any], user: Any, key: str, request: Any = None
) -> tuple[EscortEvent, bool]:
    """A departure from a leg's start or an arrival at its end."""
    duty, _people = _writable_run(plan, duty_id, user)
    kind = _choice(data, "kind", {k: k for k in EscortEvent.Kind.values}, _("Jenis (berangkat/tiba)"))
    leg = _leg(data, _legs(duty))
    at = _at(data)

    def create() -> EscortEvent:
        _in_order(plan, duty.id, leg, kind, at)
        row = EscortEvent.objects.create(
            operation_id=plan.operation_id,
            duty_id=duty.id,
            kecamatan_code=duty.kecamatan_code,
            leg=leg,
            kind=kind,
            at=at,
            by=user,
            key=key,
        )
        after = {"duty": duty.id, "leg": leg, "kind": kind, "at": at.isoformat()}
        record(request, "escort_event", "escort", duty.id, operation_id=plan.operation_id, after=after)
        return row

    return once(EscortEvent, key, user, "by", create)


def _in_order(plan: Plan, duty_id: str, leg: int, kind: str, at: dt.datetime) -> None:
    """A leg departs before it arrives: an arrival earlier than the leg's first recorded
    departure, or a departure later than its first recorded arrival, is refused with both times
    (an arrival with no departure recorded is taken: the departure may have been forgotten)."""
    events = EscortEvent.objects.filter(operation_id=plan.operation_id, duty_id=duty_id, leg=leg)
    other = EscortEvent.Kind.BERANGKAT if kind == EscortEvent.Kind.TIBA else EscortEvent.Kind.TIBA
    first = events.filter(kind=other).order_by("at").values_list("at", flat=True).first()
    if first is None:
        return
    times = {
        "at": date_format(timezone.localtime(at), "j M H.i"),
        "other": date_format(timezone.localtime(first), "j M H.i"),
    }
    if kind == EscortEvent.Kind.TIBA and at < first:
        raise FieldError(_("Tiba %(at)s ditolak: lebih awal dari keberangkatan ruas ini (%(other)s).") % times)
    if kind == EscortEvent.Kind.BERANGKAT and at > first:
        raise FieldError(_("Berangkat %(at)s ditolak: ruas ini sudah tercatat tiba %(other)s.") % times)


def set_manifest(plan: Plan, duty_id: str, data: Mapping[str, Any], user: Any, request: Any = None) -> EscortRun:
    """What the run carries: counts and the vehicles' plates (setting it twice is harmless)."""
    duty, _people = _writable_run(plan, duty_id, user)
    values: dict[str, Any] = {name: _count(data, name) for name in COUNTS}
    values["plates"] = _text(data, "plates", _("Nomor polisi kendaraan"), 200, required=False)
    run, _created = EscortRun.objects.update_or_create(
        operation_id=plan.operation_id,
        duty_id=duty.id,
        defaults={**values, "kecamatan_code": duty.kecamatan_code, "updated_by": user},
    )
    record(request, "escort_manifest", "escort", duty.id, operation_id=plan.operation_id, after=values)
    return run


def mark_legs(plan: Plan, duty_id: str, marks: list[str], user: Any, request: Any = None) -> EscortRun:
    """Each leg's mark (biasa, jalan sulit, jalur perairan): planner and admin."""
    if role_of(user) not in (Role.ADMIN, Role.PLANNER):
        raise PermissionDenied("mark legs")
    duty, _people = _run(plan, duty_id, user)
    legs = _legs(duty)
    if len(marks) != len(legs):
        raise FieldError(_("Tanda ruas harus satu untuk setiap ruas."))
    for mark in marks:
        if mark not in EscortRun.Mark.values:
            raise FieldError(_("%(field)s tidak dikenal.") % {"field": _("Tanda ruas")})
    run, _created = EscortRun.objects.update_or_create(
        operation_id=plan.operation_id,
        duty_id=duty.id,
        defaults={"leg_marks": list(marks), "kecamatan_code": duty.kecamatan_code, "updated_by": user},
    )
    record(request, "escort_marks", "escort", duty.id, operation_id=plan.operation_id, after={"marks": marks})
    return run


def record_handover(
    plan: Plan, duty_id: str, data: Mapping[str, Any], user: Any, key: str, request: Any = None
) -> tuple[Handover, bool]:
    """A berita acara serah terima at one end of one leg, by a member of the escort's team: at
    the leg's start the other party (KPU, PPK, PPS, KPPS) hands over to the escort member named
    by `escort_code`, at its end the escort member hands over to the other party. Both are
    signed by name and number; the recorder confirms (`confirmed`) both have agreed."""
    duty, people = _writable_run(plan, duty_id, user, team_only=True)
    legs = _legs(duty)
    leg = _leg(data, legs)
    end = _choice(data, "end", {k: k for k in Handover.End.values}, _("Ujung ruas (awal/akhir)"))
    escort_code = _text(data, "escort_code", _("Anggota pengawal"), 40)
    if escort_code not in people:
        raise FieldError(_("Anggota pengawal harus anggota tim pengawalan ini."))
    member = Person.objects.filter(operation_id=plan.operation_id, code=escort_code).first()
    escort_name = str(member) if member else escort_code
    other_name = _text(data, "other_name", _("Nama pihak lain"), 120)
    other_code = _text(data, "other_code", _("NRP/NIP/NIK pihak lain"), 40)
    office = _text(data, "other_office", _("Jabatan pihak lain"), 120, required=False)
    counts = {name: _count(data, name) for name in COUNTS}
    if not any(counts.values()):
        raise FieldError(_("Jumlah barang: isi sedikitnya satu jumlah yang diserahterimakan."))
    note = _text(data, "note", _("Catatan"), 2000, required=False)
    if data.get("confirmed") is not True:
        raise FieldError(_("Persetujuan: centang bahwa kedua pihak telah menyetujui berita acara ini."))
    at = _at(data)
    place = legs[leg][0] if end == Handover.End.ASAL else legs[leg][1]
    if end == Handover.End.ASAL:
        handed, received = (other_name, other_code), (escort_name, escort_code)
    else:
        handed, received = (escort_name, escort_code), (other_name, other_code)

    def create() -> Handover:
        row = Handover.objects.create(
            operation_id=plan.operation_id,
            duty_id=duty.id,
            kecamatan_code=duty.kecamatan_code,
            leg=leg,
            end=end,
            place=place[:120],
            handed_by_name=handed[0],
            handed_by_code=handed[1],
            received_by_name=received[0],
            received_by_code=received[1],
            other_office=office,
            note=note,
            at=at,
            by=user,
            key=key,
            **counts,
        )
        after = {"duty": duty.id, "leg": leg, "end": end, **counts, "handed_by": handed[1], "received_by": received[1]}
        record(request, "handover", "escort", duty.id, operation_id=plan.operation_id, after=after)
        return row

    return once(Handover, key, user, "by", create)


def log_entry(
    plan: Plan, place: str, data: Mapping[str, Any], user: Any, key: str, request: Any = None
) -> tuple[EntryLog, bool]:
    """One line of a guarded place's buku mutasi: entered or left (name, purpose), or a
    padlock's key passed to a new holder."""
    require_field_writer(user)
    shifts, people = _place(plan, place, user)
    if _me(user) not in people and role_of(user) not in WRITERS:
        raise PermissionDenied("not a guard of this place")
    kind = _choice(data, "kind", ENTRY_KINDS, _("Jenis catatan"))
    is_key = kind == EntryLog.Kind.KUNCI
    name = _text(data, "name", _("Pemegang kunci lama") if is_key else _("Nama"), 120)
    code = _text(data, "code", _("NRP/NIP/NIK"), 40, required=False)
    purpose = _text(data, "purpose", _("Keperluan"), 300, required=kind == EntryLog.Kind.MASUK)
    padlock, key_to = "", ""
    if is_key:
        padlock = _choice(data, "padlock", PADLOCKS, _("Gembok"))
        if padlock != EntryLog.Padlock.POLSEK and _me(user) not in people and role_of(user) == Role.SECTOR_CHIEF:
            raise FieldError(
                _(
                    "Kapolsek mencatat serah terima kunci gembok Polsek saja; kunci gembok PPK dan Panwascam "
                    "dicatat oleh penjaga tempat ini."
                )
            )
        key_to = _text(data, "key_to", _("Pemegang kunci baru"), 120)
    at = _at(data)
    shift = next((d for d in shifts if clock.local(d.start) <= at < clock.local(d.end)), shifts[0])

    def create() -> EntryLog:
        row = EntryLog.objects.create(
            operation_id=plan.operation_id,
            place=place,
            duty_id=shift.id,
            kecamatan_code=shift.kecamatan_code,
            kind=kind,
            name=name,
            code=code,
            purpose=purpose,
            padlock=padlock,
            key_to=key_to,
            at=at,
            by=user,
            key=key,
        )
        after = {"place": place, "kind": kind, "name": name, "padlock": padlock, "key_to": key_to}
        record(request, "entry_log", "guard", place, operation_id=plan.operation_id, after=after)
        return row

    return once(EntryLog, key, user, "by", create)


# -- reads: the phone, the board, the escorts page and the report --------------------------------


def _names(plan: Plan) -> dict[str, str]:
    return dict(plan.operation.regions.order_by().values_list("code", "name"))


def _people(plan: Plan, codes: set[str]) -> dict[str, Person]:
    return {p.code: p for p in Person.objects.filter(operation_id=plan.operation_id, code__in=codes)}


def _state(departed: Any, arrived: Any, done: bool) -> str:
    if done:
        return "serah_terima"
    if arrived:
        return "tiba"
    return "berangkat" if departed else "belum_berangkat"


def escort_rows(plan: Plan, user: Any, mine: bool = False, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Every escort run the user may see (`mine`: only those they are on), in order of time:
    its window, legs with their marks and times, team and leader, manifest, handover records,
    state, and its flag: `missing` when the planned arrival has passed with no arrival
    recorded, `late` when the arrival came after it."""
    now = now or clock.now()
    duties, team = _duties(plan)
    me = _me(user)
    shown = [
        d
        for d in duties.values()
        if d.kind == duty_data.KAWAL
        and ((me and me in team[d.id]) if mine else _sees(user, d.kecamatan_code, team[d.id]))
    ]
    if not shown:
        return []
    ids = [d.id for d in shown]
    op = plan.operation_id
    runs = {r.duty_id: r for r in EscortRun.objects.filter(operation_id=op, duty_id__in=ids)}
    events: dict[str, list[EscortEvent]] = defaultdict(list)
    for e in EscortEvent.objects.filter(operation_id=op, duty_id__in=ids).order_by("at", "id"):
        events[e.duty_id].append(e)
    handovers: dict[str, list[Handover]] = defaultdict(list)
    for h in Handover.objects.filter(operation_id=op, duty_id__in=ids).order_by("at", "id"):
        h.end_label = _("awal ruas") if h.end == Handover.End.ASAL else _("akhir ruas")  # type: ignore[attr-defined]
        handovers[h.duty_id].append(h)
    people = _people(plan, {c for i in ids for c in team[i]})
    names = _names(plan)
    out = []
    for duty in sorted(shown, key=lambda d: (d.start, d.name, d.id)):
        legs = _legs(duty)
        run = runs.get(duty.id)
        marks = list(run.leg_marks) if run else []
        marks += [""] * (len(legs) - len(marks))
        mine_events = events[duty.id]
        last = len(legs) - 1

        def first(kind: str, leg: int, found: list[EscortEvent] = mine_events) -> dt.datetime | None:
            return next((e.at for e in found if e.kind == kind and e.leg == leg), None)

        departed = next((e.at for e in mine_events if e.kind == EscortEvent.Kind.BERANGKAT), None)
        arrived = first(EscortEvent.Kind.TIBA, last)
        done = any(h.leg == last and h.end == Handover.End.TUJUAN for h in handovers[duty.id])
        state = _state(departed, arrived, done)
        end = clock.local(duty.end)
        flag, late = "", 0
        if arrived is None and now > end:
            flag, late = "missing", int((now - end).total_seconds() // 60)
        elif arrived is not None and arrived > end:
            flag, late = "late", int((arrived - end).total_seconds() // 60)
        crew = [people[c] for c in team[duty.id] if c in people]
        head = ranks.ketua_pos(crew)
        out.append(
            {
                "id": duty.id,
                "name": duty_data.duty_name(duty.name, reader_lang()),
                "stage": duty.stage,
                "start": clock.local(duty.start),
                "end": end,
                "desa": names.get(duty.desa_code, ""),
                "kecamatan": names.get(duty.kecamatan_code, ""),
                "legs": [
                    {
                        "index": i,
                        "number": i + 1,
                        "from": a,
                        "to": b,
                        "mark": marks[i],
                        "mark_label": MARKS.get(marks[i], marks[i]),
                        "departed": first(EscortEvent.Kind.BERANGKAT, i),
                        "arrived": first(EscortEvent.Kind.TIBA, i),
                    }
                    for i, (a, b) in enumerate(legs)
                ],
                "marked": any(marks),
                "ends": [
                    (f"{i}:{e}", _("Ruas %(n)s · %(place)s") % {"n": i + 1, "place": a if e == "asal" else b})
                    for i, (a, b) in enumerate(legs)
                    for e in ("asal", "tujuan")
                ],
                "team": [{"name": str(p), "code": p.code} for p in crew],
                "leader": {"name": str(head), "code": head.code} if head else None,
                "manifest": run,
                "handovers": handovers[duty.id],
                "departed": departed,
                "arrived": arrived,
                "state": state,
                "state_label": STATES[state],
                "flag": flag,
                "late_minutes": late,
            }
        )
    return out


def guard_rows(plan: Plan, user: Any, mine: bool = False) -> list[dict[str, Any]]:
    """Every guarded place the user may see (`mine`: only those they guard on some shift),
    with its shifts, its buku mutasi and the current holder of each padlock's key."""
    duties, team = _duties(plan)
    me = _me(user)
    places: dict[str, list[Duty]] = defaultdict(list)
    for d in duties.values():
        if d.kind in GUARD_KINDS:
            places[d.place].append(d)
    shown = {}
    for place, shifts in places.items():
        people = [p for d in shifts for p in team[d.id]]
        if (me and me in people) if mine else _sees(user, shifts[0].kecamatan_code, people):
            shown[place] = sorted(shifts, key=lambda d: d.start)
    if not shown:
        return []
    entries: dict[str, list[dict[str, Any]]] = defaultdict(list)
    logged = EntryLog.objects.filter(operation_id=plan.operation_id, place__in=list(shown)).order_by("at", "id")
    for row in logged.values("place", "kind", "name", "code", "purpose", "padlock", "key_to", "at"):
        e: dict[str, Any] = dict(row)
        e["kind_label"] = ENTRY_KINDS.get(e["kind"], e["kind"])
        e["padlock_label"] = PADLOCKS.get(e["padlock"], "")
        entries[e["place"]].append(e)
    names = _names(plan)
    out = []
    for place, shifts in sorted(shown.items(), key=lambda kv: (kv[1][0].start, kv[1][0].name)):
        holders = {}
        for e in entries[place]:
            if e["kind"] == EntryLog.Kind.KUNCI:
                holders[e["padlock"]] = e["key_to"]
        out.append(
            {
                "place": place,
                "name": duty_data.duty_name(shifts[0].name, reader_lang()),
                "kecamatan": names.get(shifts[0].kecamatan_code, ""),
                "start": clock.local(shifts[0].start),
                "end": clock.local(shifts[-1].end),
                "shifts": [
                    {"start": clock.local(d.start), "end": clock.local(d.end), "mine": bool(me and me in team[d.id])}
                    for d in shifts
                ],
                "entries": entries[place],
                "holders": [(PADLOCKS[k], holders.get(str(k), "")) for k in PADLOCKS],
            }
        )
    return out


def stamp(plan: Plan) -> str:
    """What changes the board's escort rows: their records, and how many planned arrivals have
    passed by now (a flag can appear with no new record)."""
    op = plan.operation_id
    parts = []
    for model in (EscortEvent, Handover, EntryLog):
        figures = model.objects.filter(operation_id=op).aggregate(n=Count("id"), last=Max("id"))
        parts.append(f"{figures['n']}.{figures['last']}")
    marked = EscortRun.objects.filter(operation_id=op).aggregate(m=Max("updated_at"))["m"]
    parts.append(marked.isoformat() if marked else "-")
    now = clock.now()
    duties = (plan.extra.get("roster") or {}).get("duties", []) if isinstance(plan.extra, dict) else []
    ends = (clock.local(dt.datetime.fromisoformat(d["end"])) for d in duties if d.get("kind") == duty_data.KAWAL)
    parts.append(str(sum(end < now for end in ends)))  # read from the JSON: polled every few seconds
    return ".".join(parts)
