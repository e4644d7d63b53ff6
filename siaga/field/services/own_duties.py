"""A field officer's duties of the roster beyond the vote's posts (escort runs, warehouse and
PPK guards, KPU and Bawaslu offices, patrols) as his phone offers them: what each is, where and
when, and what he reports for it. An escort records its legs' departures and arrivals and its
handover (`custody`, the escorts page and the board read them); a guarded warehouse, PPK or
balai desa keeps its buku mutasi (`custody`); any other duty reports incidents only, at its
place (`incidents.report_incident` with `duty_id`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from siaga.accounts.scope import Scope
from siaga.core.data import duties as duty_data
from siaga.core.data.model import Duty
from siaga.core.planning import roster as roster_data
from siaga.field.services import clock
from siaga.field.services.common import NotVisible
from siaga.field.services.custody import GUARD_KINDS
from siaga.operations.forms import lang as reader_lang
from siaga.plans.models import Plan

VOTE_KINDS = ("TPS", "VILLAGE", "RESERVE", "STANDBY", "PATROL")  # the vote's posts: reported as posts


def _roster(plan: Plan) -> tuple[dict[str, Duty], dict[str, list[str]]]:
    """Every duty of the plan's roster by id, and the people (NRP/NIK) on each."""
    cached = getattr(plan, "_roster_duties", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    data = plan.extra.get("roster") if isinstance(plan.extra, dict) else None
    roster = roster_data.from_json(data) if data else None
    found: dict[str, Duty] = {}
    team: dict[str, list[str]] = {}
    if roster is not None:
        found = {d.id: d for d in roster.duties}
        for a in roster.assignments:
            team.setdefault(a.post, []).append(a.person)
    plan._roster_duties = (found, team)  # type: ignore[attr-defined]
    return found, team


def _held_by(plan: Plan, code: str) -> list[Duty]:
    """The roster duties `code` holds, read from the plan's roster without making every duty
    and place of it (a 2,000-TPS Polres's roster has tens of thousands)."""
    data = plan.extra.get("roster") if isinstance(plan.extra, dict) else None
    if not data:
        return []
    ids = {a.get("duty") for a in data.get("assignments", []) if a.get("person") == code}
    duties = [d for d in data.get("duties", []) if d.get("id") in ids]
    return list(roster_data.from_json({"vote": data["vote"], "duties": duties}).duties)


def _me(user: Any) -> str:
    return str(getattr(getattr(user, "profile", None), "person_code", "") or "").strip()


def group_of(duty: Duty) -> str:
    """escort (departures, arrivals, handover), guard (buku mutasi) or other (incidents only)."""
    if duty.kind == duty_data.KAWAL:
        return "escort"
    return "guard" if duty.kind in GUARD_KINDS else "other"


def legs(duty: Duty) -> list[tuple[str, str]]:
    """An escort's legs (from, to) as its route names them; one leg for any other duty."""
    route = list(duty.route)
    return list(zip(route[:-1], route[1:], strict=True)) if len(route) >= 2 else []


def duty_of(plan: Plan, duty_id: str, user: Any) -> Duty:
    """A roster duty the user is on, or one of a kecamatan they see (the Posko taking a report
    by radio); else NotVisible."""
    duties, team = _roster(plan)
    duty = duties.get(duty_id)
    if duty is None or duty.kind in VOTE_KINDS:
        raise NotVisible
    me = _me(user)
    if not ((me and me in team.get(duty_id, [])) or Scope.of(user).sees_kecamatan(duty.kecamatan_code)):
        raise NotVisible
    return duty


def own_duties(plan: Plan, user: Any, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The user's own roster duties beyond the vote's posts, in order of time, each with its
    name, window, place names, legs, group (`group_of`) and state (done, now or empty); the
    first not over is `next` when none is under way."""
    me = _me(user)
    if not me:
        return []
    mine = sorted((d for d in _held_by(plan, me) if d.kind not in VOTE_KINDS), key=lambda d: (d.start, d.name, d.id))
    if not mine:
        return []
    now = now or clock.now()
    codes = {c for d in mine for c in (d.desa_code, d.kecamatan_code) if c}
    names = dict(plan.operation.regions.filter(code__in=codes).order_by().values_list("code", "name"))
    lang = reader_lang()
    rows = []
    for duty in mine:
        start, end = clock.local(duty.start), clock.local(duty.end)
        state = "done" if end <= now else "now" if start <= now else ""
        rows.append(
            {
                "id": duty.id,
                "group": group_of(duty),
                "kind": duty.kind,
                "name": duty_data.duty_name(duty.name, lang),
                "place": duty.place,
                "start": start,
                "end": end,
                "kecamatan": names.get(duty.kecamatan_code, ""),
                "desa": names.get(duty.desa_code, ""),
                "legs": [{"index": i, "from": a, "to": b} for i, (a, b) in enumerate(legs(duty))],
                "state": state,
            }
        )
    if not any(r["state"] == "now" for r in rows):
        coming = next((r for r in rows if r["state"] != "done"), None)
        if coming:
            coming["state"] = "next"
    return rows


def on_leg(duty: Duty, leg: Any, description: str) -> str:
    """An escort's report names the leg it happened on ("Ruas 1 (PPS Kraton → PPK Kraton): ..."):
    the route names no coordinates of its own, so the leg is said in words before the text."""
    route = legs(duty)
    text = "" if leg is None else str(leg).strip()
    if not route or not text.isdigit() or int(text) >= len(route):
        return description
    start, end = route[int(text)]
    said = _("Ruas %(n)s (%(a)s → %(b)s)") % {"n": int(text) + 1, "a": start, "b": end}
    return f"{said}: {description}" if description else said


def roster_duties(plan: Plan) -> dict[str, Duty]:
    """Every duty of the plan's roster by id (read once per plan)."""
    return _roster(plan)[0]


def duty_names(plan: Plan, ids: list[str]) -> dict[str, str]:
    """Duty id -> its name in the reader's language, for the roster duties among `ids` (an
    incident reported at a duty keeps the duty's id as its place)."""
    duties, _team = _roster(plan) if ids else ({}, {})
    lang = reader_lang()
    return {i: duty_data.duty_name(duties[i].name, lang) for i in ids if i in duties}
