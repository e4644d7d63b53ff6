"""The pergeseran pasukan: post statuses with the phone's location; the board of posts not yet in place."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from siaga.audit.log import record
from siaga.core.data import geo
from siaga.field.models import (
    PostStatus,
)
from siaga.field.services import clock
from siaga.field.services.common import once, post_of, require_field_writer, visible_posts
from siaga.plans.models import Plan

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
    at: str = "",
) -> tuple[PostStatus, bool]:
    """A post's next status, at the time the phone made it (`clock.reported`); a location more
    than 1 km from the post is flagged."""
    require_field_writer(user)
    post = post_of(plan, post_id, user)
    distance = None
    if lat is not None and lon is not None:
        distance = round(geo.haversine_km(lat, lon, float(post["lat"]), float(post["lon"])), 3)

    def create() -> PostStatus:
        row = PostStatus.objects.create(
            operation_id=plan.operation_id,
            post_id=post_id,
            kecamatan_code=str(post.get("kecamatan_code", "")),
            status=status,
            lat=lat,
            lon=lon,
            distance_km=distance,
            flagged=distance is not None and distance > PostStatus.FLAG_KM,
            by=user,
            at=clock.reported(at),
            key=key,
        )
        after = {"post": post_id, "status": status, "distance_km": distance}
        record(request, "post_status", "post_status", row.pk, operation_id=plan.operation_id, after=after)
        return row

    return once(PostStatus, key, user, "by", create)


def latest_statuses(operation: Any) -> dict[str, PostStatus]:
    """The newest status of every post of the operation that has one (one query, newest last)."""
    latest: dict[str, PostStatus] = {}
    rows = PostStatus.objects.filter(operation_id=operation.pk).only(
        "post_id", "kecamatan_code", "status", "at", "flagged", "distance_km"
    )
    for row in rows.order_by("at", "id"):
        latest[row.post_id] = row
    return latest


def board(plan: Plan, user: Any) -> dict[str, list[dict[str, Any]]]:
    """Posts not yet in place (tiba, koordinasi or siaga), by kecamatan."""
    latest = latest_statuses(plan.operation)
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
