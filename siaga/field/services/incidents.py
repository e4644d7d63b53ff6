"""Election day: the TPS timeline, incidents, escalation, closing, reserve teams and their dispatch."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from siaga.accounts.models import Role
from siaga.accounts.roles import role_of
from siaga.accounts.scope import Scope
from siaga.audit.log import record
from siaga.core.data import geo
from siaga.core.data.model import Operation as CoreOperation
from siaga.field.models import (
    Dispatch,
    Incident,
    IncidentAction,
    TpsEvent,
)
from siaga.field.services.common import (
    FieldError,
    KeyConflict,
    NotVisible,
    once,
    own_posts,
    post_of,
    posts_of,
    require_field_writer,
    require_writer,
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


def tps_event(plan: Plan, tps_code: str, kind: str, user: Any, key: str, request: Any = None) -> tuple[TpsEvent, bool]:
    require_field_writer(user)
    tps = _tps_of(plan, tps_code, user)

    def create() -> TpsEvent:
        row = TpsEvent.objects.create(
            operation_id=plan.operation_id,
            tps_code=tps_code,
            kecamatan_code=tps.kecamatan_code,
            kind=kind,
            by=user,
            key=key,
        )
        record(request, "tps_event", "tps", tps_code, operation_id=plan.operation_id, after={"kind": kind})
        return row

    return once(TpsEvent, key, user, "by", create)


def report_incident(
    plan: Plan, user: Any, key: str, fields: dict[str, Any], request: Any = None
) -> tuple[Incident, bool]:
    """A new incident at a post or a TPS (its place defaults to theirs)."""
    require_field_writer(user)
    post_id, tps_code = fields.get("post_id") or "", fields.get("tps_code") or ""
    lat, lon = fields.get("lat"), fields.get("lon")
    if post_id:
        post = post_of(plan, post_id, user)
        kecamatan, place = str(post.get("kecamatan_code", "")), (float(post["lat"]), float(post["lon"]))
        if tps_code:
            _tps_of(plan, tps_code, user)
    elif tps_code:
        tps = _tps_of(plan, tps_code, user)
        kecamatan, place = tps.kecamatan_code, (tps.lat, tps.lon)
    else:
        raise FieldError("post_id or tps_code required")
    if lat is None or lon is None:
        lat, lon = place

    def create() -> Incident:
        row = Incident.objects.create(
            operation_id=plan.operation_id,
            kind=fields["kind"],
            severity=fields["severity"],
            lat=lat,
            lon=lon,
            post_id=post_id,
            tps_code=tps_code,
            kecamatan_code=kecamatan,
            description=fields.get("description") or "",
            reported_by=user,
            key=key,
        )
        after = {"kind": row.kind, "severity": row.severity, "kecamatan": kecamatan}
        record(request, "report_incident", "incident", row.pk, operation_id=plan.operation_id, after=after)
        return row

    return once(Incident, key, user, "reported_by", create)


def incident_for(pk: int, user: Any) -> Incident:
    """An incident the user may see, else 404."""
    incident = Incident.objects.select_related("operation").filter(pk=pk).first()
    if incident is None or not role_of(user):
        raise NotVisible
    if role_of(user) == Role.FIELD_OFFICER:
        plan = current_plan(incident.operation_id)
        mine = own_posts(plan, user) if plan is not None else set()
        if not _at_own_post(incident, mine or set(), (own_tps(plan, user) if plan else None) or set()):
            raise NotVisible
    elif not Scope.of(user).sees_kecamatan(incident.kecamatan_code):
        raise NotVisible
    return incident


def act_on(incident: Incident, user: Any, key: str, action: str, change: Callable[[], str], request: Any) -> bool:
    def create() -> IncidentAction:
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        incident.refresh_from_db()
        before = f"{locked.status}/{locked.level}"
        after = change()
        row = IncidentAction.objects.create(
            incident=incident, action=action, before=before, after=after, by=user, key=key
        )
        record(request, action, "incident", incident.pk, operation_id=incident.operation_id, after=after)
        return row

    row, created = once(IncidentAction, key, user, "by", create)
    if row.incident_id != incident.pk:
        raise KeyConflict(key)
    incident.refresh_from_db()
    return created


def _open(incident: Incident) -> None:
    if incident.status == Incident.Status.SELESAI:
        raise FieldError("kejadian sudah selesai / incident already closed")


def escalate(incident: Incident, user: Any, key: str, request: Any = None) -> bool:
    """One step up the ladder Polsek -> Polres -> Brimob -> TNI."""
    require_writer(user)

    def change() -> str:
        _open(incident)
        ladder = list(Incident.LADDER)
        step = ladder.index(Incident.Level(incident.level))
        if step + 1 >= len(ladder):
            raise FieldError("sudah di tingkat tertinggi / already at the top of the ladder")
        incident.level = ladder[step + 1]
        incident.status = Incident.Status.DITANGANI
        incident.save(update_fields=["level", "status"])
        return f"{incident.status}/{incident.level}"

    return act_on(incident, user, key, "escalate", change, request)


def close(incident: Incident, user: Any, key: str, request: Any = None) -> bool:
    """Closed, with the closer named."""
    require_writer(user)

    def change() -> str:
        _open(incident)
        incident.status, incident.closed_by, incident.closed_at = Incident.Status.SELESAI, user, timezone.now()
        incident.save(update_fields=["status", "closed_by", "closed_at"])
        return f"{incident.status}/{incident.level}"

    return act_on(incident, user, key, "close", change, request)


def _travel(operation_config: dict[str, Any]) -> tuple[float, float]:
    defaults = {f.name: f.default for f in dataclasses.fields(CoreOperation)}
    return (
        float(operation_config.get("road_factor", defaults["road_factor"])),
        float(operation_config.get("speed_kmh", defaults["speed_kmh"])),
    )


def reserves(incident: Incident) -> list[dict[str, Any]]:
    """The plan's reserve posts by travel time to the incident, free teams first
    (a team is busy while dispatched to an incident that is not closed)."""
    plan = current_plan(incident.operation_id)
    if plan is None:
        return []
    road, speed = _travel(incident.operation.config)
    busy = set(
        Dispatch.objects.filter(incident__operation_id=incident.operation_id)
        .exclude(incident__status=Incident.Status.SELESAI)
        .exclude(incident=incident)
        .values_list("post_id", flat=True)
    )
    rows = []
    for post in posts_of(plan).values():
        if post.get("kind") != "RESERVE" or incident.lat is None or incident.lon is None:
            continue
        km = geo.road_km(incident.lat, incident.lon, float(post["lat"]), float(post["lon"]), road)
        rows.append(
            {
                "post_id": str(post["id"]),
                "road_km": round(km, 2),
                "eta_minutes": round(geo.travel_minutes(km, speed), 1),
                "busy": str(post["id"]) in busy,
            }
        )
    return sorted(rows, key=lambda r: (r["busy"], r["eta_minutes"], r["post_id"]))


def dispatch(
    incident: Incident, user: Any, key: str, post_id: str | None = None, request: Any = None
) -> tuple[Dispatch, bool]:
    """Send a reserve team: the named one, or the one that can arrive first."""
    require_writer(user)

    def create() -> Dispatch:
        _open(incident)
        ranked = reserves(incident)
        chosen = next((r for r in ranked if r["post_id"] == post_id), None) if post_id else next(iter(ranked), None)
        if chosen is None:
            raise FieldError("tidak ada pos cadangan / no such reserve post")
        row = Dispatch.objects.create(
            incident=incident, post_id=chosen["post_id"], eta_minutes=chosen["eta_minutes"], by=user, key=key
        )
        if incident.status == Incident.Status.DILAPORKAN:
            incident.status = Incident.Status.DITANGANI
            incident.save(update_fields=["status"])
        after = {"reserve": row.post_id, "eta_minutes": row.eta_minutes}
        record(request, "dispatch", "incident", incident.pk, operation_id=incident.operation_id, after=after)
        return row

    row, created = once(Dispatch, key, user, "by", create)
    if row.incident_id != incident.pk:
        raise KeyConflict(key)
    return row, created


def _at_own_post(incident: Incident, posts: set[str], tps: set[str]) -> bool:
    return incident.post_id in posts if incident.post_id else incident.tps_code in tps
