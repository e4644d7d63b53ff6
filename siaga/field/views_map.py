"""The map's post layer: the posts of a plan (the current one unless ?plan= names another)
with their name, staffing, leader, status in the pergeseran and open incidents, and the plan's
escort runs (pengawalan) where they start, as GeoJSON.

The leader's name and phone are roster data (UU PDP): the user sees them only for the posts of
their scope (`plan_rows` narrows a Kapolsek to his kecamatan), and a reader who does not keep
the roster is audited (`roster_read`, once per quarter hour: the map polls)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from siaga.accounts.scope import Scope, roster_read
from siaga.core.data import duties as duty_data
from siaga.core.data import ranks
from siaga.field import services
from siaga.field.models import Incident, PostStatus
from siaga.field.services import taxonomy
from siaga.operations import services as operations_services
from siaga.operations import viewport
from siaga.operations.models import Person
from siaga.operations.views import operation_for
from siaga.operations.views_risk import category_param, feature, plan_of, view_params
from siaga.plans.models import Plan, PlanPost
from siaga.plans.names import post_labels, reader_lang
from siaga.plans.store import plan_rows

ESCORT_KINDS = ("KAWAL",)  # duties of the roster drawn as escort runs


def geo_posts(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    plan = plan_of(request, operation)
    category, error = category_param(request.GET)
    if error:
        return error
    if plan is None:
        return JsonResponse({"type": "FeatureCollection", "features": [], "plan": None})
    box, _zoom, error = view_params(request.GET)
    if error:
        return error
    kecamatan = request.GET.get("kecamatan", "")
    scope = Scope.of(request.user)
    data, in_view = plan_rows(plan, scope), None
    if box is not None:
        data, in_view = posts_in_view(plan, scope, box, kecamatan, category)
    staffing, reach = operations_services.post_staffing(data), round(operations_services.reserve_reach_km(operation), 3)
    unfilled: dict[str, int] = {}
    for u in data["unfilled"]:
        unfilled[u["post"]] = unfilled.get(u["post"], 0) + int(u["count"])
    latest = services.latest_statuses(plan.operation)
    open_incidents = services.open_incident_counts(plan, data["posts"])
    shown = [
        p
        for p in data["posts"]
        if (not kecamatan or p["kecamatan_code"] == kecamatan) and (not category or p["category"] == category)
    ]
    names = post_labels(plan, (p["id"] for p in shown))
    leaders = post_leaders(plan, data["assignments"], {p["id"] for p in shown})
    page = reverse("plan_detail", args=[plan.pk])
    features = []
    for p in shown:
        props = {
            "id": p["id"],
            "name": names.get(p["id"], p["id"]),
            "kind": p["kind"],
            "category": p["category"],
            "kecamatan_code": p["kecamatan_code"],
            "required": p["required"],
            "assigned": staffing.get(p["id"], {}),
            "unfilled": unfilled.get(p["id"], 0),
            "tps": p["tps"],
            "leader": leaders.get(p["id"]),
            "url": f"{page}?post={quote(p['id'])}#{p['id']}",  # the plan page's page that holds it
            "status": latest[str(p["id"])].status
            if str(p["id"]) in latest
            else PostStatus.Status.BELUM_BERANGKAT.value,
            "in_place": str(p["id"]) in latest and latest[str(p["id"])].status in PostStatus.IN_PLACE,
            "open_incidents": open_incidents.get(str(p["id"]), 0),
        }
        if p["kind"] == "RESERVE":
            props["reach_km"] = reach
        features.append(feature(p["lat"], p["lon"], props))
    if leaders:
        roster_read(request, "map", plan.pk, operation_id=operation.pk, once_per=timedelta(minutes=15))
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "plan": {"id": plan.pk, "version": plan.version},
            "statuses": {k: str(v) for k, v in PostStatus.Status.choices},
            "escorts": [e for e in escort_features(plan, scope, kecamatan) if box is None or box.holds(*_lat_lon(e))],
            "total": len(features) if in_view is None else in_view,
            "too_many": in_view is not None and in_view > len(features),
            "incidents_url": reverse("field_incidents", args=[plan.pk]),
            "incident_words": {  # the field's own words for an incident's kind, severity, status
                "kinds": {k: str(v) for k, v in {**taxonomy.KINDS, **_old_kinds()}.items()},
                "severities": {str(k): str(v) for k, v in taxonomy.SEVERITIES.items()},
                "statuses": {k: str(v) for k, v in Incident.Status.choices},
            },
        }
    )


def posts_in_view(
    plan: Plan, scope: Scope, box: viewport.Box, kecamatan: str, category: str
) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """The posts of `plan` the user sees inside `box` (and the filters), with their TPS,
    assignments and unfilled places, shaped as `plan_rows` gives them, all narrowed by the
    database; none when more than `POST_CAP` are in view (the map asks to zoom in). Also how
    many posts are in view."""
    posts_qs = PlanPost.objects.filter(plan=plan).in_scope(scope).filter(box.lookups())
    if kecamatan:
        posts_qs = posts_qs.filter(kecamatan_code=kecamatan)
    if category:
        posts_qs = posts_qs.filter(category=category)
    count = posts_qs.count()
    if count > viewport.POST_CAP:
        return {"posts": [], "assignments": [], "unfilled": []}, count
    return plan_rows(plan, chosen=posts_qs), count


def _lat_lon(feature: dict[str, Any]) -> tuple[float, float]:
    lon, lat = feature["geometry"]["coordinates"]
    return lat, lon


def _old_kinds() -> dict[str, Any]:
    """Kinds of older incidents, named as the kind they became."""
    return {old: taxonomy.KINDS[new] for old, new in taxonomy.OLD_KINDS.items()}


def post_leaders(plan: Plan, assignments: list[dict[str, Any]], posts: set[str]) -> dict[str, dict[str, str]]:
    """Post id -> its ketua pos (`ranks.ketua_pos`, the Sprin's rule): name and phone, for the
    posts asked only (`assignments` are already the user's scope)."""
    crew: dict[str, list[str]] = defaultdict(list)
    for a in assignments:
        if a["post"] in posts:
            crew[a["post"]].append(a["person"])
    people = {
        p.code: p
        for p in Person.objects.filter(operation_id=plan.operation_id, code__in={c for v in crew.values() for c in v})
    }
    out: dict[str, dict[str, str]] = {}
    for post_id, codes in crew.items():
        head = ranks.ketua_pos(people[c] for c in codes if c in people)
        if head is not None:
            out[post_id] = {"name": str(head), "phone": head.phone}
    return out


def escort_features(plan: Plan, scope: Scope, kecamatan: str) -> list[dict[str, Any]]:
    """The plan's escort runs the user may see (a Kapolsek: those of his kecamatan), each where
    it starts, with its route by name, window and strength; no names of people."""
    roster = (plan.extra or {}).get("roster") or {}
    placed: dict[str, int] = defaultdict(int)
    for a in roster.get("assignments", []):
        placed[a.get("duty", "")] += 1
    short: dict[str, int] = defaultdict(int)
    for u in roster.get("unfilled", []):
        short[u.get("duty", "")] += int(u.get("count", 0))
    page = reverse("field_escorts", args=[plan.pk])
    out = []
    for d in roster.get("duties", []):
        if d.get("kind") not in ESCORT_KINDS or d.get("lat") is None or d.get("lon") is None:
            continue
        code = str(d.get("kecamatan_code", ""))
        if not (scope.whole or (code and scope.sees_kecamatan(code))) or (kecamatan and code != kecamatan):
            continue
        props = {
            "id": d["id"],
            "name": duty_data.duty_name(str(d.get("name", "")), reader_lang()),
            "route": [duty_data.route_leg(str(r), reader_lang()) for r in d.get("route", [])],
            "start": d.get("start", ""),
            "end": d.get("end", ""),
            "kecamatan_code": code,
            "needed": sum(int(n) for n in (d.get("required") or {}).values()),
            "placed": placed[d["id"]],
            "unfilled": short[d["id"]],
            "url": page,
        }
        out.append(feature(float(d["lat"]), float(d["lon"]), props))
    return out
