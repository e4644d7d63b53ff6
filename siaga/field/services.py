"""The field's writes and reads: apel check-ins, readiness, post statuses, the TPS timeline,
incidents, escalation and reserve dispatch.

Every write takes the client's idempotency key and goes through `once`: inside one
transaction it stores the row (and its audit entry) unless a row with that key exists, in
which case that row is returned unchanged; a concurrent retry that loses the race on the
UNIQUE key reads the winner's row. A key belongs to the user who first used it.

Who writes: planner, admin and sector chief write (`WRITERS`); a sector chief only for posts,
people and incidents of their kecamatan (another kecamatan's object is a 404). A field officer
(post leader) sets their own post's status, records its TPS events and reports incidents at it
(`FIELD_WRITERS`); they see only the post(s) their NRP/NIK (`Profile.person_code`) is assigned to
in the plan, any other post, TPS or incident is a 404. Commander and viewer read.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.roles import kecamatan_scope, require, role_of
from siaga.audit.log import record
from siaga.core.data import geo, ranks
from siaga.core.data.model import Operation as CoreOperation
from siaga.core.documents import tokens
from siaga.field.models import (
    AbsenteeReplan,
    CheckIn,
    Dispatch,
    Incident,
    IncidentAction,
    PostStatus,
    TpsEvent,
)
from siaga.operations.models import Person, Tps, Unit
from siaga.plans.models import Plan
from siaga.plans.services import start_job

WRITERS = frozenset({Role.ADMIN, Role.PLANNER, Role.SECTOR_CHIEF})
FIELD_WRITERS = WRITERS | {Role.FIELD_OFFICER}
M = TypeVar("M", bound=models.Model)


class FieldError(ValueError):
    """A request the data does not allow; the message says why."""


class KeyConflict(ValueError):
    """The idempotency key was already used by someone else."""


# -- helpers ---------------------------------------------------------------------------------


def require_writer(user: Any) -> None:
    if role_of(user) not in WRITERS:
        raise PermissionDenied("field write")


def require_field_writer(user: Any) -> None:
    """Post status, TPS events and incident reports: the writers and the field officer."""
    if role_of(user) not in FIELD_WRITERS:
        raise PermissionDenied("field write")


def in_scope(user: Any, kecamatan_code: str) -> bool:
    scope = kecamatan_scope(user)
    return scope is None or (bool(scope) and scope == kecamatan_code)


def once(model: type[M], key: str, user: Any, owner: str, create: Callable[[], M]) -> tuple[M, bool]:
    """The row stored under `key` (created by `create` when there is none) and whether it is new."""
    manager: Any = model._default_manager
    found = manager.filter(key=key).first()
    if found is None:
        try:
            with transaction.atomic():
                return create(), True
        except IntegrityError:
            found = manager.filter(key=key).first()
            if found is None:
                raise
    if getattr(found, f"{owner}_id") != getattr(user, "pk", None):
        raise KeyConflict(key)
    return found, False


def posts_of(plan: Plan) -> dict[str, dict[str, Any]]:
    return {str(p["id"]): p for p in plan.data.get("posts", [])}


def own_posts(plan: Plan, user: Any) -> set[str] | None:
    """A field officer's post ids in the plan (by their NRP/NIK; none when it is blank or not in
    the plan); None for every other role (their posts are those of their kecamatan scope)."""
    if role_of(user) != Role.FIELD_OFFICER:
        return None
    code = str(getattr(getattr(user, "profile", None), "person_code", "") or "").strip()
    if not code:
        return set()
    return {str(a["post"]) for a in plan.data.get("assignments", []) if str(a["person"]) == code}


def visible_posts(plan: Plan, user: Any) -> dict[str, dict[str, Any]]:
    """The posts of the plan the user may see: a field officer's own, else their kecamatan's."""
    mine = own_posts(plan, user)
    return {
        post_id: post
        for post_id, post in posts_of(plan).items()
        if (post_id in mine if mine is not None else in_scope(user, str(post.get("kecamatan_code", ""))))
    }


def post_of(plan: Plan, post_id: str, user: Any) -> dict[str, Any]:
    """A post of the plan the user may see, else 404."""
    post = visible_posts(plan, user).get(post_id)
    if post is None:
        raise Http404
    return post


def _assigned(plan: Plan) -> dict[str, str]:
    """person code -> post id."""
    return {str(a["person"]): str(a["post"]) for a in plan.data.get("assignments", [])}


def _visible_people(plan: Plan, user: Any) -> dict[str, str]:
    posts = visible_posts(plan, user)
    return {person: post for person, post in _assigned(plan).items() if post in posts}


def card_key() -> bytes:
    return tokens.key_file(Path(settings.SIAGA_CARD_KEY_FILE))


# -- apel gelar pasukan ----------------------------------------------------------------------


def check_in(
    plan: Plan, user: Any, key: str, *, token: str = "", nrp: str = "", method: str = "", request: Any = None
) -> tuple[CheckIn, bool]:
    """One person present: by the card's QR token (its signature verified) or by NRP."""
    require_writer(user)
    if token:
        try:
            payload = tokens.verify(token, card_key())
        except tokens.BadToken as exc:
            raise FieldError(str(exc)) from None
        code, method = str(payload.get("nrp", "")), CheckIn.Method.QR
    elif nrp:
        code, method = nrp.strip(), method or CheckIn.Method.NRP
        if method not in (CheckIn.Method.NRP, CheckIn.Method.LIST):
            raise FieldError("method must be nrp or list")
    else:
        raise FieldError("token or nrp required")
    post = _assigned(plan).get(code)
    if post is None:
        raise FieldError("personel tidak ada dalam rencana ini / person not in this plan")
    post_of(plan, post, user)

    def create() -> CheckIn:
        row = CheckIn.objects.create(plan=plan, person_code=code, method=method, by=user, key=key)
        record(request, "check_in", "checkin", row.pk, operation_id=plan.operation_id, after={"person": code})
        return row

    return once(CheckIn, key, user, "by", create)


def readiness(plan: Plan, user: Any) -> dict[str, Any]:
    """Present and expected per unit and per force (people on the plan the user may see)."""
    expected = _visible_people(plan, user)
    present = set(plan.checkins.filter(person_code__in=expected).values_list("person_code", flat=True))
    people = Person.objects.filter(operation_id=plan.operation_id, code__in=expected).values_list(
        "code", "unit_code", "force"
    )
    names = dict(Unit.objects.filter(operation_id=plan.operation_id).values_list("code", "name"))
    by_unit: dict[str, Counter[str]] = defaultdict(Counter)
    by_force: dict[str, Counter[str]] = defaultdict(Counter)
    for code, unit, force in people:
        for table, name in ((by_unit, unit), (by_force, force)):
            table[name]["expected"] += 1
            table[name]["present"] += code in present

    def rows(table: dict[str, Counter[str]], label: Callable[[str], str]) -> list[dict[str, Any]]:
        return [
            {"code": k, "name": label(k), "present": c["present"], "expected": c["expected"]}
            for k, c in sorted(table.items())
        ]

    return {
        "present": len(present),
        "expected": len(expected),
        "units": rows(by_unit, lambda k: names.get(k, k) or _("(tanpa satuan)")),
        "forces": rows(by_force, lambda k: k),
    }


def absentees(plan: Plan, user: Any) -> list[str]:
    expected = _visible_people(plan, user)
    present = set(plan.checkins.values_list("person_code", flat=True))
    return sorted(set(expected) - present)


def replan_absentees(
    plan: Plan, user: Any, key: str, absent: list[str] | None = None, request: Any = None
) -> tuple[AbsenteeReplan, bool]:
    """A minimal-change re-plan without the absentees (all not checked in, unless named)."""
    require(user, "plan")
    names = sorted(set(absent)) if absent is not None else absentees(plan, user)
    unknown = set(names) - set(_assigned(plan))
    if unknown:
        raise FieldError(f"not in this plan: {', '.join(sorted(unknown)[:5])}")

    def create() -> AbsenteeReplan:
        return AbsenteeReplan.objects.create(plan=plan, absent=names, by=user, key=key)

    row, created = once(AbsenteeReplan, key, user, "by", create)
    if row.job_id is None:  # started after the row is committed, so the job's thread sees it
        row.job = start_job(plan.operation, user, "replan", {"plan": plan.pk, "absent": row.absent}, request)
        row.save(update_fields=["job"])
    return row, created


# -- pergeseran pasukan ----------------------------------------------------------------------


def set_post_status(
    plan: Plan,
    post_id: str,
    status: str,
    user: Any,
    key: str,
    lat: float | None = None,
    lon: float | None = None,
    request: Any = None,
) -> tuple[PostStatus, bool]:
    """A post's next status; a location more than 1 km from the post is flagged."""
    require_field_writer(user)
    post = post_of(plan, post_id, user)
    distance = None
    if lat is not None and lon is not None:
        distance = round(geo.haversine_km(lat, lon, float(post["lat"]), float(post["lon"])), 3)

    def create() -> PostStatus:
        row = PostStatus.objects.create(
            plan=plan,
            post_id=post_id,
            kecamatan_code=str(post.get("kecamatan_code", "")),
            status=status,
            lat=lat,
            lon=lon,
            distance_km=distance,
            flagged=distance is not None and distance > PostStatus.FLAG_KM,
            by=user,
            key=key,
        )
        after = {"post": post_id, "status": status, "distance_km": distance}
        record(request, "post_status", "post_status", row.pk, operation_id=plan.operation_id, after=after)
        return row

    return once(PostStatus, key, user, "by", create)


def latest_statuses(plan: Plan) -> dict[str, PostStatus]:
    latest: dict[str, PostStatus] = {}
    for row in plan.post_statuses.order_by("at", "id"):
        latest[row.post_id] = row
    return latest


def board(plan: Plan, user: Any) -> dict[str, list[dict[str, Any]]]:
    """Posts not yet in place (tiba, koordinasi or siaga), by kecamatan."""
    latest = latest_statuses(plan)
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for post_id, post in visible_posts(plan, user).items():
        kecamatan = str(post.get("kecamatan_code", ""))
        row = latest.get(post_id)
        if row is not None and row.status in PostStatus.IN_PLACE:
            continue
        out[kecamatan].append(
            {
                "post_id": post_id,
                "kind": str(post.get("kind", "")),
                "status": row.status if row else PostStatus.Status.BELUM_BERANGKAT,
                "at": row.at if row else None,
            }
        )
    return dict(sorted(out.items()))


# -- election day ----------------------------------------------------------------------------


def _own_tps(plan: Plan, user: Any) -> set[str] | None:
    """The TPS of a field officer's own post(s); None for every other role."""
    mine = own_posts(plan, user)
    if mine is None:
        return None
    posts = posts_of(plan)
    return {str(t) for post_id in mine for t in posts.get(post_id, {}).get("tps", [])}


def _tps_of(plan: Plan, tps_code: str, user: Any) -> Tps:
    tps = Tps.objects.filter(operation_id=plan.operation_id, code=tps_code).first()
    mine = _own_tps(plan, user)
    if tps is None or (tps_code not in mine if mine is not None else not in_scope(user, tps.kecamatan_code)):
        raise Http404
    return tps


def tps_event(plan: Plan, tps_code: str, kind: str, user: Any, key: str, request: Any = None) -> tuple[TpsEvent, bool]:
    require_field_writer(user)
    tps = _tps_of(plan, tps_code, user)

    def create() -> TpsEvent:
        row = TpsEvent.objects.create(
            plan=plan, tps_code=tps_code, kecamatan_code=tps.kecamatan_code, kind=kind, by=user, key=key
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
            plan=plan,
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
    incident = Incident.objects.select_related("plan").filter(pk=pk).first()
    if incident is None or not role_of(user):
        raise Http404
    mine = own_posts(incident.plan, user)
    if mine is not None:
        if not _at_own_post(incident, mine, _own_tps(incident.plan, user) or set()):
            raise Http404
    elif not in_scope(user, incident.kecamatan_code):
        raise Http404
    return incident


def _act(incident: Incident, user: Any, key: str, action: str, change: Callable[[], str], request: Any) -> bool:
    def create() -> IncidentAction:
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        incident.refresh_from_db()
        before = f"{locked.status}/{locked.level}"
        after = change()
        row = IncidentAction.objects.create(
            incident=incident, action=action, before=before, after=after, by=user, key=key
        )
        record(request, action, "incident", incident.pk, operation_id=incident.plan.operation_id, after=after)
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

    return _act(incident, user, key, "escalate", change, request)


def close(incident: Incident, user: Any, key: str, request: Any = None) -> bool:
    """Closed, with the closer named."""
    require_writer(user)

    def change() -> str:
        _open(incident)
        incident.status, incident.closed_by, incident.closed_at = Incident.Status.SELESAI, user, timezone.now()
        incident.save(update_fields=["status", "closed_by", "closed_at"])
        return f"{incident.status}/{incident.level}"

    return _act(incident, user, key, "close", change, request)


def _travel(operation_config: dict[str, Any]) -> tuple[float, float]:
    defaults = {f.name: f.default for f in dataclasses.fields(CoreOperation)}
    return (
        float(operation_config.get("road_factor", defaults["road_factor"])),
        float(operation_config.get("speed_kmh", defaults["speed_kmh"])),
    )


def reserves(incident: Incident) -> list[dict[str, Any]]:
    """The plan's reserve posts by travel time to the incident, free teams first
    (a team is busy while dispatched to an incident that is not closed)."""
    plan = incident.plan
    road, speed = _travel(plan.operation.config)
    busy = set(
        Dispatch.objects.filter(incident__plan=plan)
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
        record(request, "dispatch", "incident", incident.pk, operation_id=incident.plan.operation_id, after=after)
        return row

    row, created = once(Dispatch, key, user, "by", create)
    if row.incident_id != incident.pk:
        raise KeyConflict(key)
    return row, created


# -- sarpras (equipment readiness) -----------------------------------------------------------


def _pct(present: int, required: int) -> float | None:
    return None if required <= 0 else round(100.0 * min(present, required) / required, 1)


def sarpras(plan: Plan, user: Any) -> dict[str, Any]:
    """Per unit the user may see: required and present per kind of equipment and the unit's
    readiness (present counted up to what is required); the overall readiness."""
    from siaga.field.models import EquipmentItem

    units = [
        u
        for u in Unit.objects.filter(operation_id=plan.operation_id).order_by("code")
        if in_scope(user, u.kecamatan_code)
    ]
    items: dict[tuple[str, str], EquipmentItem] = {
        (e.unit_code, e.kind): e for e in EquipmentItem.objects.filter(plan=plan, unit_code__in=[u.code for u in units])
    }
    rows, total_required, total_present = [], 0, 0
    for unit in units:
        kinds: list[dict[str, Any]] = []
        for kind, label in EquipmentItem.Kind.choices:
            item = items.get((unit.code, kind))
            required, present = (item.required, item.present) if item else (0, 0)
            kinds.append(
                {
                    "kind": kind,
                    "label": label,
                    "required": required,
                    "present": present,
                    "short": max(required - present, 0),
                }
            )
        required = sum(k["required"] for k in kinds)
        present = sum(min(k["present"], k["required"]) for k in kinds)
        total_required += required
        total_present += present
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "kecamatan_code": unit.kecamatan_code,
                "kinds": kinds,
                "required": required,
                "present": present,
                "pct": _pct(present, required),
            }
        )
    return {
        "units": rows,
        "required": total_required,
        "present": total_present,
        "pct": _pct(total_present, total_required),
    }


def set_equipment(
    plan: Plan, user: Any, unit_code: str, counts: dict[str, tuple[int, int]], request: Any = None
) -> None:
    """A unit's equipment counts (kind -> (required, present)): planner and admin, a sector
    chief for the units of their kecamatan (another kecamatan's unit is a 404)."""
    from siaga.field.models import EquipmentItem

    require_writer(user)
    unit = Unit.objects.filter(operation_id=plan.operation_id, code=unit_code).first()
    if unit is None or not in_scope(user, unit.kecamatan_code):
        raise Http404
    kinds = set(EquipmentItem.Kind.values)
    for kind, (required, present) in counts.items():
        if kind not in kinds:
            raise FieldError(f"jenis sarpras tidak dikenal / unknown kind: {kind}")
        if required < 0 or present < 0:
            raise FieldError("jumlah tidak boleh negatif / counts cannot be negative")
    with transaction.atomic():
        for kind, (required, present) in counts.items():
            EquipmentItem.objects.update_or_create(
                plan=plan,
                unit_code=unit_code,
                kind=kind,
                defaults={"required": required, "present": present, "updated_by": user},
            )
        after = {k: list(v) for k, v in counts.items()}
        record(request, "set_equipment", "unit", unit_code, operation_id=plan.operation_id, after=after)


# -- the day's pages: board, live figures, incident list, report (views_day) -------------------


def _leader(people: list[Person]) -> Person | None:
    """The most senior person with a known rank (`siaga.core.data.ranks`: Polri before TNI)."""
    ranked = [p for p in people if ranks.rank_level(p.rank) > 0]
    return min(
        ranked, key=lambda p: (-ranks.rank_level(p.rank), p.force == "TNI", p.name.casefold(), p.code), default=None
    )


def _label(person: Person | None) -> dict[str, str] | None:
    if person is None:
        return None
    return {"name": str(person), "code": person.code, "phone": person.phone}


def assignment(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """A field officer's own assignment, per post: the post, its TPS, its leader, its people,
    and the nearest reserve team (its leader and distance). Empty for every other role."""
    mine = own_posts(plan, user)
    if not mine:
        return []
    posts = posts_of(plan)
    members: dict[str, list[str]] = defaultdict(list)
    for a in plan.data.get("assignments", []):
        members[str(a["post"])].append(str(a["person"]))
    reserve_ids = [k for k, p in posts.items() if p.get("kind") == "RESERVE"]
    wanted = {code for post_id in [*mine, *reserve_ids] for code in members[post_id]}
    people = {p.code: p for p in Person.objects.filter(operation_id=plan.operation_id, code__in=wanted)}
    names = _names(plan)
    tps_names = dict(
        Tps.objects.filter(operation_id=plan.operation_id, code__in=[t for k in mine for t in posts[k].get("tps", [])])
        .order_by()
        .values_list("code", "number")
    )
    code = str(user.profile.person_code).strip()
    out = []
    for post_id in sorted(mine):
        post = posts[post_id]
        crew = [people[c] for c in members[post_id] if c in people]
        reserve = None
        if reserve_ids and post.get("kind") != "RESERVE":
            near = min(
                reserve_ids,
                key=lambda r: geo.haversine_km(
                    float(post["lat"]), float(post["lon"]), float(posts[r]["lat"]), float(posts[r]["lon"])
                ),
            )
            km = geo.haversine_km(
                float(post["lat"]), float(post["lon"]), float(posts[near]["lat"]), float(posts[near]["lon"])
            )
            head = _leader([people[c] for c in members[near] if c in people])
            reserve = {"post_id": near, "km": round(km, 1), "leader": _label(head)}
        out.append(
            {
                "post_id": post_id,
                "kind": str(post.get("kind", "")),
                "desa": names.get(str(post.get("desa_code", "")), str(post.get("desa_code", ""))),
                "kecamatan": names.get(str(post.get("kecamatan_code", "")), str(post.get("kecamatan_code", ""))),
                "tps": [(str(t), tps_names.get(str(t))) for t in post.get("tps", [])],
                "me": _label(people.get(code)),
                "slot": next(
                    (
                        str(a.get("slot", ""))
                        for a in plan.data.get("assignments", [])
                        if str(a["person"]) == code and str(a["post"]) == post_id
                    ),
                    "",
                ),
                "leader": _label(_leader(crew)),
                "crew": [_label(p) for p in crew],
                "reserve": reserve,
            }
        )
    return out


def _names(plan: Plan) -> dict[str, str]:
    return dict(plan.operation.regions.order_by().values_list("code", "name"))


def day_board(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """Every post the user may see, by kecamatan, with its current status, when each status
    was reached, and whether it is in place yet; the posts not in place first."""
    reached: dict[str, dict[str, Any]] = defaultdict(dict)
    latest: dict[str, PostStatus] = {}
    for row in plan.post_statuses.order_by("at", "id"):
        reached[row.post_id].setdefault(row.status, row.at)
        latest[row.post_id] = row
    names = _names(plan)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for post_id, post in visible_posts(plan, user).items():
        kecamatan = str(post.get("kecamatan_code", ""))
        now = latest.get(post_id)
        status = now.status if now else PostStatus.Status.BELUM_BERANGKAT
        groups[kecamatan].append(
            {
                "post_id": post_id,
                "kind": str(post.get("kind", "")),
                "desa": names.get(str(post.get("desa_code", "")), str(post.get("desa_code", ""))),
                "status": status,
                "status_label": PostStatus.Status(status).label,
                "at": now.at if now else None,
                "reached": [(s.label, reached[post_id].get(s.value)) for s in PostStatus.Status],
                "in_place": status in PostStatus.IN_PLACE,
                "flagged": bool(now and now.flagged),
                "distance_km": now.distance_km if now else None,
            }
        )
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "posts": sorted(rows, key=lambda r: (r["in_place"], r["post_id"])),
            "waiting": sum(not r["in_place"] for r in rows),
        }
        for code, rows in sorted(groups.items())
    ]


def _at_own_post(incident: Incident, posts: set[str], tps: set[str]) -> bool:
    return incident.post_id in posts if incident.post_id else incident.tps_code in tps


def visible_incidents(plan: Plan, user: Any) -> models.QuerySet[Incident]:
    scope = kecamatan_scope(user)
    rows = plan.incidents.select_related("closed_by", "reported_by").prefetch_related("dispatches", "actions")
    if not role_of(user):
        return rows.none()
    mine = own_posts(plan, user)
    if mine is not None:  # a field officer: the incidents reported at their post or its TPS
        at_post = models.Q(post_id__in=mine) & ~models.Q(post_id="")
        at_tps = models.Q(post_id="", tps_code__in=_own_tps(plan, user) or set())
        return rows.filter(at_post | at_tps)
    return rows if scope is None else rows.filter(kecamatan_code=scope) if scope else rows.none()


def _minutes(start: Any, end: Any) -> float | None:
    return None if start is None or end is None else round((end - start).total_seconds() / 60, 1)


def incident_rows(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """The incidents the user may see, open first, each with its dispatches, the next rung of
    the ladder and, for a serious open one, the reserve team that can arrive first."""
    out = []
    for incident in visible_incidents(plan, user):
        dispatches = list(incident.dispatches.all())
        ladder = list(Incident.LADDER)
        step = ladder.index(Incident.Level(incident.level))
        is_open = incident.status != Incident.Status.SELESAI
        suggested = None
        if is_open and incident.severity >= 2:
            suggested = next(iter(reserves(incident)), None)
        out.append(
            {
                "incident": incident,
                "open": is_open,
                "dispatches": dispatches,
                "next_level": ladder[step + 1].label if step + 1 < len(ladder) else None,
                "suggested": suggested,
                "dispatch_minutes": _minutes(incident.reported_at, dispatches[0].at if dispatches else None),
                "close_minutes": _minutes(incident.reported_at, incident.closed_at),
            }
        )
    return sorted(out, key=lambda r: (not r["open"], -r["incident"].severity, -r["incident"].pk))


def live_figures(plan: Plan, user: Any) -> dict[str, Any]:
    """The live dashboard's counts: posts in place, open incidents by severity, check-ins."""
    groups = day_board(plan, user)
    posts = [p for g in groups for p in g["posts"]]
    by_status = Counter(p["status"] for p in posts)
    incidents = list(visible_incidents(plan, user))
    open_by = Counter(i.severity for i in incidents if i.status != Incident.Status.SELESAI)
    ready = readiness(plan, user)
    return {
        "posts": len(posts),
        "in_place": sum(p["in_place"] for p in posts),
        "flagged": sum(p["flagged"] for p in posts),
        "statuses": [(s.label, by_status.get(s.value, 0)) for s in PostStatus.Status],
        "open": sum(open_by.values()),
        "open_by_severity": [(n, open_by.get(n, 0)) for n in (3, 2, 1)],
        "closed": sum(i.status == Incident.Status.SELESAI for i in incidents),
        "present": ready["present"],
        "expected": ready["expected"],
        "groups": groups,
    }


def report_data(plan: Plan, user: Any) -> dict[str, Any]:
    """The post-operation report: attendance, the pergeseran timeline, incidents with their
    response times, and the TPS covered by a post that reached siaga."""
    posts = visible_posts(plan, user)
    timeline = [r for r in plan.post_statuses.select_related("by").order_by("at", "id") if r.post_id in posts]
    siaga = {r.post_id for r in timeline if r.status == PostStatus.Status.SIAGA}
    all_tps = {str(t) for p in posts.values() for t in p.get("tps", [])}
    covered = {str(t) for k in siaga for t in posts[k].get("tps", [])}
    events = [
        e
        for e in plan.tps_events.order_by("at", "id")
        if e.tps_code in all_tps and (own_posts(plan, user) is not None or in_scope(user, e.kecamatan_code))
    ]
    return {
        "attendance": readiness(plan, user),
        "timeline": timeline,
        "tps_events": events,
        "incidents": incident_rows(plan, user),
        "posts": len(posts),
        "posts_siaga": len(siaga),
        "tps_total": len(all_tps),
        "tps_covered": len(covered),
        "coverage_pct": round(100 * len(covered) / len(all_tps), 1) if all_tps else 0.0,
    }


# -- incident photos and the live map ----------------------------------------------------------

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": ("jpg", "image/jpeg"), b"\x89PNG\r\n\x1a\n": ("png", "image/png")}


def photo_kind(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of a JPEG or PNG recognised by its first bytes, else None."""
    return next((kind for magic, kind in PHOTO_TYPES.items() if head.startswith(magic)), None)


def attach_photo(incident: Incident, user: Any, key: str, upload: Any, request: Any = None) -> bool:
    """The incident's photo (JPEG or PNG, at most 5 MB), stored once per key as
    MEDIA_ROOT/incidents/<uuid>.<ext>; a later photo under a new key replaces the link (the
    earlier file is kept)."""
    import uuid

    from django.core.files.base import ContentFile

    require_writer(user)
    if upload is None or upload.size is None or upload.size > PHOTO_MAX_BYTES:
        raise FieldError("foto paling besar 5 MB / photo larger than 5 MB")
    upload.seek(0)
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise FieldError("foto paling besar 5 MB / photo larger than 5 MB")
    kind = photo_kind(data[:8])
    if kind is None:
        raise FieldError("foto harus JPEG atau PNG / photo must be JPEG or PNG")
    saved: list[str] = []

    def change() -> str:
        incident.photo.save(f"{uuid.uuid4()}.{kind[0]}", ContentFile(data), save=False)
        saved.append(str(incident.photo.name or ""))
        incident.save(update_fields=["photo"])
        return f"foto/{kind[0]}"

    try:
        created = _act(incident, user, key, "photo", change, request)
    except BaseException:
        created = False
        raise
    finally:
        if not created:  # rolled back, or a concurrent retry won: no orphan file
            for name in saved:
                incident.photo.storage.delete(name)
    return created


def photo_of(incident: Incident) -> tuple[Any, str]:
    """The open photo file and its content type, else 404."""
    name, storage = incident.photo.name or "", incident.photo.storage
    if not name or not storage.exists(name):
        raise Http404
    with storage.open(name) as head:
        kind = photo_kind(head.read(8))
    if kind is None:
        raise Http404
    return storage.open(name), kind[1]


def open_incident_counts(plan: Plan, posts: list[dict[str, Any]]) -> dict[str, int]:
    """Open incidents per post: at the post itself or at one of its TPS."""
    post_of_tps = {code: str(p["id"]) for p in posts if p.get("kind") == "TPS" for code in p.get("tps", [])}
    counts: Counter[str] = Counter()
    rows = plan.incidents.exclude(status=Incident.Status.SELESAI).values_list("post_id", "tps_code")
    for post_id, tps_code in rows:
        owner = post_id or post_of_tps.get(tps_code, "")
        if owner:
            counts[owner] += 1
    return dict(counts)


def incidents_geojson(plan: Plan, user: Any) -> dict[str, Any]:
    """The open incidents the user may see, as GeoJSON points."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [i.lon, i.lat]},
            "properties": {
                "id": i.pk,
                "kind": i.kind,
                "severity": i.severity,
                "status": i.status,
                "level": i.level,
                "post_id": i.post_id,
                "tps_code": i.tps_code,
                "kecamatan_code": i.kecamatan_code,
                "reported_at": i.reported_at.isoformat(),
                "photo": bool(i.photo),
            },
        }
        for i in visible_incidents(plan, user).exclude(status=Incident.Status.SELESAI)
        if i.lat is not None and i.lon is not None
    ]
    return {"type": "FeatureCollection", "features": features, "plan": plan.pk}
