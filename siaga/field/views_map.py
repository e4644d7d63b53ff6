"""The map's post layer: the posts of a plan (the current one unless ?plan= names another)
with their staffing, their status in the pergeseran and their open incidents, as GeoJSON."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from siaga.accounts.scope import Scope
from siaga.field import services
from siaga.field.models import PostStatus
from siaga.operations import services as operations_services
from siaga.operations.views import operation_for
from siaga.operations.views_risk import category_param, feature, plan_of
from siaga.plans.store import plan_rows


def geo_posts(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    plan = plan_of(request, operation)
    category, error = category_param(request.GET)
    if error:
        return error
    if plan is None:
        return JsonResponse({"type": "FeatureCollection", "features": [], "plan": None})
    kecamatan = request.GET.get("kecamatan", "")
    data = plan_rows(plan, Scope.of(request.user))
    staffing, reach = operations_services.post_staffing(data), round(operations_services.reserve_reach_km(operation), 3)
    unfilled: dict[str, int] = {}
    for u in data["unfilled"]:
        unfilled[u["post"]] = unfilled.get(u["post"], 0) + int(u["count"])
    latest = services.latest_statuses(plan.operation)
    open_incidents = services.open_incident_counts(plan, data["posts"])
    features = []
    for p in data["posts"]:
        if kecamatan and p["kecamatan_code"] != kecamatan:
            continue
        if category and p["category"] != category:
            continue
        props = {
            "id": p["id"],
            "kind": p["kind"],
            "category": p["category"],
            "kecamatan_code": p["kecamatan_code"],
            "required": p["required"],
            "assigned": staffing.get(p["id"], {}),
            "unfilled": unfilled.get(p["id"], 0),
            "tps": p["tps"],
            "status": latest[str(p["id"])].status
            if str(p["id"]) in latest
            else PostStatus.Status.BELUM_BERANGKAT.value,
            "in_place": str(p["id"]) in latest and latest[str(p["id"])].status in PostStatus.IN_PLACE,
            "open_incidents": open_incidents.get(str(p["id"]), 0),
        }
        if p["kind"] == "RESERVE":
            props["reach_km"] = reach
        features.append(feature(p["lat"], p["lon"], props))
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "plan": {"id": plan.pk, "version": plan.version},
            "statuses": {k: str(v) for k, v in PostStatus.Status.choices},
        }
    )
