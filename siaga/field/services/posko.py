"""What the Posko and the reporter see of an incident: its card (kind, severity, who commands
it, the force sent with each unit's status clock, the units the reader may send, the action
log, the referral's 7-day clock, the seized goods), the reporter's view of their own reports
(state and the ETA of help), and the newest severe incident (for the pages' alert)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from siaga.accounts.roles import can
from siaga.field.models import Dispatch, Incident
from siaga.field.services import authority, clock, own_duties, units
from siaga.field.services import taxonomy as words
from siaga.field.services.day import visible_incidents
from siaga.field.services.duties import post_labels, tps_places
from siaga.field.services.incidents import dispatched_words, duty_places, recalled, reserves
from siaga.operations.models import Person
from siaga.plans.models import Plan

PER_KIND = 2  # the units offered on a card: the nearest free ones of each kind the reader may send


def _minutes(start: Any, end: Any) -> float | None:
    return None if start is None or end is None else round((end - start).total_seconds() / 60, 1)


def commanders(plan: Plan) -> dict[str, str]:
    """Who holds each command level, by name: "Kapolres" and, per kecamatan, its Kapolsek."""
    op = plan.operation
    polsek_of = dict(op.units.filter(kind="POLSEK").order_by().values_list("code", "kecamatan_code"))
    out: dict[str, str] = {}
    for person in Person.objects.filter(operation=op, position__in=["Kapolres"]).order_by("code"):
        out["polres"] = f"{person.rank} {person.name} (Kapolres)".strip()
    for person in Person.objects.filter(operation=op, position__startswith="Kapolsek").order_by("code"):
        kecamatan = polsek_of.get(person.unit_code, "")
        if kecamatan:
            out[f"polsek:{kecamatan}"] = f"{person.rank} {person.name} ({person.position})".strip()
    return out


def command_of(incident: Incident, holders: dict[str, str]) -> str:
    if incident.level == Incident.Level.POLSEK:
        return holders.get(f"polsek:{incident.kecamatan_code}", str(words.COMMAND[incident.level]))
    if incident.level == Incident.Level.POLRES:
        return holders.get("polres", str(words.COMMAND[incident.level]))
    return str(words.COMMAND.get(incident.level, incident.level))


def _unit_row(row: Dispatch, user: Any, incident: Incident, teams: dict[str, units.Team]) -> dict[str, Any]:
    order = list(words.STEPS)
    step = order.index(row.status) if row.status in order else 0
    team = teams.get(row.post_id)
    if team is not None:
        may = authority.to_dispatch(user, team, incident) is None
    else:  # a unit no longer in the operation: whoever commands the incident
        may = can(user, "command") or authority.at_polda(user, incident)
    back = recalled(row, incident)  # closed before it arrived: "ditarik sebelum tiba", not "selesai"
    said = {**words.STEPS, Dispatch.Step.SELESAI: words.RECALLED_LABEL} if back else words.STEPS
    times = [(said[s], getattr(row, words.STEP_TIME[s])) for s in order]
    return {
        "dispatch": row,
        "name": team.shown() if team else row.unit_name or _("satuan"),  # the reader's words; else as kept
        "kind": words.UNIT_KINDS.get(row.unit_kind, ""),
        "step": row.status,
        "step_label": said.get(row.status, row.status),
        "recalled": back,
        "times": [(label, at) for label, at in times if at is not None],
        "next": order[step + 1] if step + 1 < len(order) else None,
        "next_label": words.STEPS[order[step + 1]] if step + 1 < len(order) else None,
        "may_advance": may,
        "arrives": row.at + dt.timedelta(minutes=row.eta_minutes),
    }


def _detail(action: Any, incident: Incident, sent: Dispatch | None, shown: dict[str, str]) -> str:
    """An action's detail in the reader's language, from what the action changed: the stored
    `detail` is in the language of whoever acted, so it is shown only for what has no code."""
    if action.action == "escalate":
        return str(words.COMMAND.get(action.after.partition("/")[2], action.detail))
    if action.action == "close" and incident.disposition:
        return str(words.DISPOSITIONS.get(incident.disposition, action.detail))
    if action.action == "dispatch" and sent is not None:
        unit = shown.get(sent.unit_name, sent.unit_name) or sent.post_id
        return dispatched_words(unit, sent.eta_minutes)
    if action.action == "unit":  # "<unit>: <step>", the step as its code (or, before, its Indonesian label)
        unit, colon, step = action.detail.rpartition(": ")
        code = step.replace(" ", "_")
        if colon and code == words.RECALLED:
            return f"{shown.get(unit, unit)}: {words.RECALLED_LABEL}"
        if colon and code in words.STEPS:
            return f"{shown.get(unit, unit)}: {words.STEPS[code]}"
    return str(action.detail)


def _log(incident: Incident, dispatches: list[Dispatch], shown: dict[str, str]) -> list[dict[str, Any]]:
    """The incident's history; `shown`: a team's kept (Indonesian) name -> its name for the reader."""
    rows = [
        {
            "at": incident.reported_at,
            "who": incident.reported_by,
            "what": _("dilaporkan"),
            "detail": "",
            "note": incident.description,
        }
    ]
    actions = list(incident.actions.all())  # by time (the model's order)
    # each dispatch wrote one "dispatch" entry in the same transaction: the n-th entry is the n-th dispatch
    logged = sorted((a for a in actions if a.action == "dispatch"), key=lambda a: a.pk)
    sent_by = dict(zip((a.pk for a in logged), sorted(dispatches, key=lambda d: d.pk), strict=False))
    for action in actions:
        rows.append(
            {
                "at": action.at,
                "who": action.by,
                "what": words.ACTIONS.get(action.action, action.action),
                "detail": _detail(action, incident, sent_by.get(action.pk), shown),
                "note": action.note,
            }
        )
    return rows


def _referral(incident: Incident, now: dt.datetime, route: str) -> dict[str, Any] | None:
    if not words.needs_referral(incident, route):
        return None
    due = words.referral_due(incident)
    left = due - now
    return {
        "due": due,
        "done": incident.referred_at,
        "note": incident.referral_note,
        "days_left": max(0, math.ceil(left.total_seconds() / 86400)),
        "overdue": incident.referred_at is None and left.total_seconds() < 0,
    }


def incident_cards(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """The incidents the user may see, open first (then graver, newer), each as its card."""
    holders = commanders(plan)
    teams = units.teams(plan.operation)
    shown = {t.name: t.shown() for t in teams.values()}
    now = clock.now()
    route = words.offence_route(plan.operation)
    out = []
    rows = list(visible_incidents(plan, user).prefetch_related("actions__by", "seized__custody"))
    names = post_labels(plan, [i.post_id for i in rows if not i.tps_code])
    tps_names = {c: p["name"] for c, p in tps_places(plan, [i.tps_code for i in rows if i.tps_code]).items()}
    duties = duty_places(plan, rows)  # a roster duty's: by its name and the escort's leg
    wheres = _wheres(plan, rows)  # and where it is: its place and kecamatan
    for incident in rows:
        dispatches = list(incident.dispatches.all())
        is_open = incident.status != Incident.Status.SELESAI
        offer: list[dict[str, Any]] = []
        held: list[dict[str, Any]] = []
        if is_open and authority.in_posko(user, incident):
            for row in reserves(incident, user):
                if row["busy"]:
                    continue
                (offer if row["refusal"] is None else held).append(row)
        next_level = words.COMMAND.get(_next(incident) or "")
        arrivals = [d.arrived_at for d in dispatches if d.arrived_at is not None]
        out.append(
            {
                "incident": incident,
                "place": duties.get(incident.pk, "")
                or tps_names.get(incident.tps_code, "")
                or names.get(incident.post_id, "")
                or incident.post_id,
                "where": wheres.get(incident.pk, {}),
                "open": is_open,
                "kind_label": words.kind_label(incident.kind),
                "severity_label": words.SEVERITIES.get(incident.severity, ""),
                "status_label": words.STATUS.get(incident.status, incident.status),
                "command_label": words.COMMAND.get(incident.level, incident.level),
                "commander": command_of(incident, holders),
                "dispatches": dispatches,
                "units": [_unit_row(d, user, incident, teams) for d in dispatches],
                "forces": sorted({str(words.UNIT_KINDS.get(d.unit_kind, "")) for d in dispatches} - {""}),
                "offer": _nearest_of_each_kind(offer),
                "suggested": offer[0] if offer and incident.severity >= 2 else None,
                "held": _nearest_of_each_kind([r for r in held if r["team"].reserved]),  # the Kapolres's
                "next_level": next_level,
                "may_escalate": is_open and next_level is not None and authority.to_escalate(user, incident) is None,
                # the Kapolres escalating a Kapolsek's incident takes its command over himself
                "takes_over": incident.level == Incident.Level.POLSEK and can(user, "command"),
                "may_work": is_open and authority.to_work(user, incident) is None,
                # closing follows who commands: on a Kapolda's incident, the Polda (`authority.to_close`)
                "may_close": is_open and authority.to_close(user, incident) is None,
                "close_refusal": _close_refusal(user, incident) if is_open else None,
                # seized goods and their custody (`authority.to_seize`): who works it, the
                # Kapolres (closed or not), the Kapolsek who handed it up
                "may_seize": is_open and authority.to_seize(user, incident) is None,
                "may_hand_over": authority.to_seize(user, incident) is None,
                "handed_up": _handed_up(incident, user, command_of(incident, holders)) if is_open else [],
                "log": _log(incident, dispatches, shown),
                "referral": _referral(incident, now, route),
                # a Pilkades offence: Polri's own crime case (Reskrim) or the village committee's
                "criminal": route == words.POLRI and words.is_offence(incident),
                "closings": [(d, words.DISPOSITIONS[d]) for d in words.closings(incident, route)],
                "seized": list(incident.seized.all()),
                "disposition_label": words.DISPOSITIONS.get(incident.disposition, ""),
                "dispatch_minutes": _minutes(incident.reported_at, dispatches[0].at if dispatches else None),
                "response_minutes": _minutes(incident.reported_at, min(arrivals) if arrivals else None),
                "close_minutes": _minutes(incident.reported_at, incident.closed_at),
            }
        )
    return sorted(out, key=lambda r: (not r["open"], -r["incident"].severity, -r["incident"].pk))


def _close_refusal(user: Any, incident: Incident) -> str | None:
    """Why one who works the incident may not close it (its command is the Kapolda's), in words."""
    if authority.to_work(user, incident) is not None:
        return None
    return authority.to_close(user, incident)


def _wheres(plan: Plan, rows: list[Incident]) -> dict[int, dict[str, str]]:
    """Incident pk -> where it is, beside its TPS's, post's or duty's name: its kecamatan
    ("kecamatan"); for a roster duty, its place too ("place": the desa of a desa's duty, the
    Polres of one held at the Polres's point, whose kecamatan is none, with the point as a
    geo: link, "geo") as the TPS's name says its desa."""
    duties = own_duties.roster_duties(plan) if any(i.duty_id for i in rows) else {}
    codes = {i.kecamatan_code for i in rows} | {d.desa_code for i in rows if (d := duties.get(i.duty_id))}
    names = dict(plan.operation.regions.filter(code__in=codes - {""}).order_by().values_list("code", "name"))
    units = dict(plan.operation.units.order_by().values_list("code", "name")) if duties else {}
    out: dict[int, dict[str, str]] = {}
    for incident in rows:
        where = {"kecamatan": names.get(incident.kecamatan_code, "")}
        duty = duties.get(incident.duty_id) if incident.duty_id else None
        if duty is not None:
            if duty.desa_code:
                where["place"] = names.get(duty.desa_code, "")
            elif not duty.kecamatan_code:  # a Polres's duty (the KPU's warehouse, office): at its point
                code = duty.place.removeprefix(f"{duty.kind}-")  # then its ring or part of the stage, if any
                longest = sorted(units.items(), key=lambda u: -len(u[0]))
                where["place"] = next((n for c, n in longest if code.startswith(c)), "")
                where["geo"] = f"geo:{duty.lat:.6f},{duty.lon:.6f}?q={duty.lat:.6f},{duty.lon:.6f}"
                where["point"] = f"{duty.lat:.5f}, {duty.lon:.5f}"
        out[incident.pk] = where
    return out


def _handed_up(incident: Incident, user: Any, commander: str) -> list[str]:
    """What a Kapolsek may still do on an incident of his sector whose command he handed up
    (`authority`), and who decides the rest, in words; [] for anyone else."""
    if not authority.handed_up(user, incident):
        return []
    level = str(words.COMMAND.get(incident.level, incident.level))
    if authority.sector_keeps_units(incident.operation):
        still = _(
            "Anda masih dapat mengerahkan Dalmas Awal dan Patroli Polsek Anda, menandai langkah satuan itu, "
            "dan mencatat barang sitaan serta serah terimanya."
        )
    else:
        still = _("Anda masih dapat mencatat barang sitaan serta serah terimanya.")
    return [
        _("Komando kejadian ini kini di tangan %(commander)s.") % {"commander": commander},
        still,
        _("Satuan lain, eskalasi berikutnya, penerusan dan penutupan kejadian diputuskan oleh %(level)s.")
        % {"level": level},
    ]


def _nearest_of_each_kind(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The nearest few of each kind (Dalmas Awal, Dalmas Lanjut, Brimob PHH, patrol, TNI), by ETA."""
    count: dict[str, int] = {}
    out = []
    for row in rows:  # already by ETA
        kind = row["team"].kind
        if count.get(kind, 0) < PER_KIND:
            count[kind] = count.get(kind, 0) + 1
            out.append(row)
    return out


def _next(incident: Incident) -> str | None:
    ladder = list(Incident.LADDER)
    step = ladder.index(Incident.Level(incident.level))
    return ladder[step + 1] if step + 1 < len(ladder) else None


def latest_severe(plan: Plan, user: Any) -> int:
    """The id of the newest open severe incident the user may see (0: none), for the alert."""
    rows = visible_incidents(plan, user).filter(severity__gte=words.SEVERE).exclude(status=Incident.Status.SELESAI)
    return max(rows.values_list("pk", flat=True), default=0)


def reporter_status(plan: Plan, user: Any, limit: int = 10) -> list[dict[str, Any]]:
    """The user's own reports, newest first, each with its state in words: received, being
    handled, help on its way and about when it arrives (its ETA from the road distance and the
    operation's speed, counted from the dispatch), help arrived, or closed (and how)."""
    now = clock.now()
    rows = (
        Incident.objects.filter(operation_id=plan.operation_id, reported_by_id=getattr(user, "pk", None))
        .prefetch_related("dispatches")
        .order_by("-reported_at", "-id")[:limit]
    )
    out = []
    for incident in rows:
        dispatches = [d for d in incident.dispatches.all() if d.status != Dispatch.Step.KEMBALI]
        coming = [d for d in dispatches if d.status in (Dispatch.Step.DIKERAHKAN, Dispatch.Step.DALAM_PERJALANAN)]
        arrived = [d for d in dispatches if d.status in (Dispatch.Step.TIBA, Dispatch.Step.SELESAI)]
        state, text = "received", _("laporan diterima Posko")
        if incident.status == Incident.Status.SELESAI:
            label = words.DISPOSITIONS.get(incident.disposition, "")
            state, text = "closed", _("selesai") + (f": {label}" if label else "")
        elif arrived:
            state, text = "arrived", _("bantuan sudah tiba")
        elif coming:
            first = min(d.at + dt.timedelta(minutes=d.eta_minutes) for d in coming)
            minutes = max(1, math.ceil((first - now).total_seconds() / 60))
            state = "coming"
            text = npgettext(
                "minutes",
                "bantuan dalam perjalanan, tiba sekitar %(n)s menit",
                "bantuan dalam perjalanan, tiba sekitar %(n)s menit",
                minutes,
            ) % {"n": minutes}
        elif incident.status == Incident.Status.DITANGANI:
            state, text = "handled", _("sedang ditangani")
        out.append(
            {
                "incident": incident,
                "kind_label": words.kind_label(incident.kind),
                "state": state,
                "text": text,
                "at": timezone.localtime(incident.reported_at),
            }
        )
    return out
