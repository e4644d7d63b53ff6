"""The day's pages: the post leader's assignment, the board by kecamatan, incident rows, live figures, the report."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import numpy as np
from django.db import models

from siaga.accounts.roles import role_of
from siaga.accounts.scope import Scope
from siaga.core.data import geo, ranks
from siaga.core.data.stages import h_day
from siaga.core.planning import simulate as simulation
from siaga.field.models import (
    Incident,
    PostStatus,
    TpsEvent,
)
from siaga.field.services.apel import readiness
from siaga.field.services.common import own_posts, visible_posts
from siaga.field.services.incidents import own_tps
from siaga.operations import labels
from siaga.operations.models import Person, Tps
from siaga.operations.services import operation_stages, scenario_for
from siaga.plans.models import Plan, PlanPost
from siaga.plans.names import operation_post_labels, row_labels
from siaga.plans.store import core_plan, post_rows

# -- the day's pages: board, live figures, incident list, report (views_day) -------------------


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
    # Their posts and the reserves only, with the people on them: not the whole plan.
    chosen = PlanPost.objects.filter(plan=plan).filter(models.Q(code__in=mine) | models.Q(kind="RESERVE"))
    posts = {str(p["id"]): p for p in post_rows(plan, chosen=chosen).values()}
    members: dict[str, list[str]] = defaultdict(list)
    slot_of: dict[tuple[str, str], str] = {}
    crews = plan.assignments.filter(post__in=chosen).order_by("id")
    for person, post_code, slot in crews.values_list("person_code", "post__code", "slot"):
        members[post_code].append(person)
        slot_of[(person, post_code)] = slot
    reserve_ids = [k for k, p in posts.items() if p.get("kind") == "RESERVE"]
    wanted = {code for post_id in [*mine, *reserve_ids] for code in members[post_id]}
    people = {p.code: p for p in Person.objects.filter(operation_id=plan.operation_id, code__in=wanted)}
    places = {str(posts[k].get(f, "")) for k in mine for f in ("desa_code", "kecamatan_code")}
    names = dict(plan.operation.regions.filter(code__in=places).order_by().values_list("code", "name"))
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
            head = ranks.ketua_pos(people[c] for c in members[near] if c in people)
            reserve = {"post_id": near, "km": round(km, 1), "leader": _label(head)}
        out.append(
            {
                "post_id": post_id,
                "kind": str(post.get("kind", "")),
                "desa": names.get(str(post.get("desa_code", "")), str(post.get("desa_code", ""))),
                "kecamatan": names.get(str(post.get("kecamatan_code", "")), str(post.get("kecamatan_code", ""))),
                "tps": [(str(t), tps_names.get(str(t))) for t in post.get("tps", [])],
                "me": _label(people.get(code)),
                "slot": slot_of.get((code, post_id), ""),
                "leader": _label(ranks.ketua_pos(crew)),
                "crew": [_label(p) for p in crew],
                "reserve": reserve,
            }
        )
    return out


def timetable(plan: Plan, now: dt.datetime) -> list[dict[str, Any]]:
    """The operation's stages for the phone: each with its H-day and whether it is over, under
    way or the next to come at `now` (the operation's local time, without a zone, as stages
    are written)."""
    election = plan.operation.election_date
    rows, coming = [], True
    for stage in operation_stages(plan.operation)[0]:
        state = "done" if stage.end <= now else "now" if stage.start <= now else ""
        if not state and coming:
            state, coming = "next", False
        rows.append({"stage": stage, "h": h_day(election, stage.start), "state": state})
    return rows


def _names(plan: Plan) -> dict[str, str]:
    return dict(plan.operation.regions.order_by().values_list("code", "name"))


def day_board(plan: Plan, user: Any, posts: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every post the user may see (`posts`: `visible_posts` when the caller has read them),
    by kecamatan, with its current status, when each status was reached, and whether it is in
    place yet; the posts not in place first."""
    reached: dict[str, dict[str, Any]] = defaultdict(dict)
    latest: dict[str, tuple[str, Any, bool, float | None]] = {}
    posts = visible_posts(plan, user) if posts is None else posts
    statuses = PostStatus.objects.filter(operation_id=plan.operation_id).order_by("at", "id")
    if Scope.of(user).person is not None:  # a field officer: their post(s)' statuses, not the Polres's
        statuses = statuses.filter(post_id__in=list(posts))
    fields = ("post_id", "status", "at", "flagged", "distance_km")
    for post_id, status, at, flagged, distance in statuses.values_list(*fields):
        reached[post_id].setdefault(status, at)
        latest[post_id] = (status, at, flagged, distance)
    names = _names(plan)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    post_names = row_labels(plan, posts.values())
    kinds: dict[str, str] = {}
    for post_id, post in posts.items():
        kecamatan = str(post.get("kecamatan_code", ""))
        status, at, flagged, distance = latest.get(post_id, (PostStatus.Status.BELUM_BERANGKAT, None, False, None))
        kind = str(post.get("kind", ""))
        if kind not in kinds:
            kinds[kind] = labels.label(labels.POST_KIND_LABELS, kind)
        times = reached.get(post_id, {})
        groups[kecamatan].append(
            {
                "post_id": post_id,
                "name": post_names.get(post_id, post_id),
                "kind": kind,
                "kind_label": kinds[kind],
                "desa": names.get(str(post.get("desa_code", "")), str(post.get("desa_code", ""))),
                "desa_code": str(post.get("desa_code", "")),
                "status": status,
                "status_label": PostStatus.Status(status).label,
                "at": at,
                "reached": [(s.label, times.get(s.value)) for s in PostStatus.Status],
                "in_place": status in PostStatus.IN_PLACE,
                "flagged": bool(flagged),
                "distance_km": distance,
            }
        )
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "posts": sorted(rows, key=lambda r: (r["in_place"], r["name"], r["post_id"])),
            "waiting": sum(not r["in_place"] for r in rows),
        }
        for code, rows in sorted(groups.items())
    ]


def visible_incidents(plan: Plan, user: Any) -> models.QuerySet[Incident]:
    rows = (
        Incident.objects.filter(operation_id=plan.operation_id)
        .select_related("closed_by", "reported_by", "operation")
        .prefetch_related("dispatches", "actions")
    )
    if not role_of(user):
        return rows.none()
    mine = own_posts(plan, user)
    if mine is not None:  # a field officer: the incidents reported at their post or its TPS
        at_post = models.Q(post_id__in=mine) & ~models.Q(post_id="")
        at_tps = models.Q(post_id="", tps_code__in=own_tps(plan, user) or set())
        return rows.filter(at_post | at_tps | models.Q(reported_by_id=user.pk))  # and his own, at a duty too
    return rows.in_scope(Scope.of(user))


def incident_rows(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """The incidents the user may see as the Posko's cards (`posko.incident_cards`)."""
    from siaga.field.services.posko import incident_cards  # it builds on this module

    return incident_cards(plan, user)


def live_figures(plan: Plan, user: Any) -> dict[str, Any]:
    """The live dashboard's counts: posts in place, open incidents by severity, check-ins."""
    seen = visible_posts(plan, user)
    groups = day_board(plan, user, seen)
    posts = [p for g in groups for p in g["posts"]]
    all_tps = {str(t) for p in seen.values() for t in p.get("tps", [])}
    reached = {(e.kind, e.tps_code) for e in _tps_events(plan, user, all_tps)}
    by_status = Counter(p["status"] for p in posts)
    incidents = list(visible_incidents(plan, user))
    open_by = Counter(i.severity for i in incidents if i.status != Incident.Status.SELESAI)
    severe = [i.pk for i in incidents if i.status != Incident.Status.SELESAI and i.severity >= 3]
    ready = readiness(plan, user)
    return {
        "posts": len(posts),
        "in_place": sum(p["in_place"] for p in posts),
        "flagged": sum(p["flagged"] for p in posts),
        "statuses": [(s.label, by_status.get(s.value, 0)) for s in PostStatus.Status],
        "open": sum(open_by.values()),
        "open_by_severity": [(n, open_by.get(n, 0)) for n in (3, 2, 1)],
        "closed": sum(i.status == Incident.Status.SELESAI for i in incidents),
        "latest_severe": max(severe, default=0),
        "present": ready["present"],
        "expected": ready["expected"],
        "groups": groups,
        "tps_total": len(all_tps),
        "tps_stages": [(k.value, sum(kind == k for kind, _tps in reached)) for k in TpsEvent.Kind],
    }


def _tps_events(plan: Plan, user: Any, all_tps: set[str]) -> list[TpsEvent]:
    """The TPS events of the TPS in `all_tps` (those of the posts the user sees) in their scope, by time."""
    scope = Scope.of(user)  # a field officer's TPS are those of their posts, already in all_tps
    return [
        e
        for e in TpsEvent.objects.filter(operation_id=plan.operation_id).order_by("at", "id")
        if e.tps_code in all_tps and (scope.person is not None or scope.sees_kecamatan(e.kecamatan_code))
    ]


def report_data(plan: Plan, user: Any) -> dict[str, Any]:
    """The post-operation report: attendance, the pergeseran timeline, incidents with their
    response times, and the TPS covered by a post that reached siaga."""
    posts = visible_posts(plan, user)
    timeline = [
        r
        for r in PostStatus.objects.filter(operation_id=plan.operation_id).select_related("by").order_by("at", "id")
        if r.post_id in posts
    ]
    siaga = {r.post_id for r in timeline if r.status == PostStatus.Status.SIAGA}
    all_tps = {str(t) for p in posts.values() for t in p.get("tps", [])}
    covered = {str(t) for k in siaga for t in posts[k].get("tps", [])}
    scope = Scope.of(user)
    events = _tps_events(plan, user, all_tps)
    incidents = incident_rows(plan, user)
    return {
        "attendance": readiness(plan, user),
        "timeline": timeline,
        "tps_events": events,
        "incidents": incidents,
        "response": predicted_and_actual(plan, incidents, scope),
        "posts": len(posts),
        "posts_siaga": len(siaga),
        "tps_total": len(all_tps),
        "tps_covered": len(covered),
        "coverage_pct": round(100 * len(covered) / len(all_tps), 1) if all_tps else 0.0,
    }


PREDICTION_DAYS = 1_000  # the stress test's days behind the report's predicted response times


def predicted_and_actual(plan: Plan, incidents: list[dict[str, Any]], scope: Scope) -> list[dict[str, Any]]:
    """Response minutes (report to first arrival) as the stress test predicted them for this
    plan (siaga.core.planning.simulate, PREDICTION_DAYS days, seed 1) and as they were, by
    severity; for a sector chief, his kecamatan's incidents against its prediction."""
    if scope.nothing or scope.person is not None:
        return []
    report = simulation.simulate(scenario_for(plan.operation), core_plan(plan), runs=PREDICTION_DAYS, seed=1)
    rows = []
    for severity, label in ((2, "sedang"), (3, "berat")):
        actual = [r["response_minutes"] for r in incidents if r["incident"].severity == severity]
        arrived = np.array([m for m in actual if m is not None], dtype=float)
        predicted = report.by_severity[label] if scope.whole else report.by_kecamatan.get(scope.kecamatan or "")
        rows.append(
            {
                "severity": label,
                "predicted": predicted,
                "actual": simulation.Stats.of(arrived),
                "waiting": sum(1 for m in actual if m is None),
            }
        )
    return rows


def dropped_posts(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """Posts with field records (a status) that the current version no longer has: a re-plan
    dropped them. Their records stay with the operation; the board lists them apart."""
    scope = Scope.of(user)
    if scope.person is not None or scope.nothing:
        return []
    gone = PostStatus.objects.filter(operation_id=plan.operation_id).exclude(post_id__in=plan.posts.values("code"))
    latest: dict[str, PostStatus] = {}
    for row in gone.only("post_id", "kecamatan_code", "status", "at").order_by("at", "id"):  # the dropped posts' only
        latest[row.post_id] = row
    dropped = {code: row for code, row in sorted(latest.items()) if scope.sees_kecamatan(row.kecamatan_code)}
    names = operation_post_labels(plan.operation_id, dropped)
    return [
        {
            "post_id": code,
            "name": names.get(code, code),
            "status": row.status,
            "status_label": PostStatus.Status(row.status).label,
            "at": row.at,
        }
        for code, row in dropped.items()
    ]
