"""Incident photos and the live map's incident layer."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from siaga.field.models import (
    Incident,
)
from siaga.field.services import authority
from siaga.field.services.common import FieldError, NotVisible
from siaga.field.services.day import visible_incidents
from siaga.field.services.incidents import act_on
from siaga.plans.models import Plan

# -- incident photos and the live map ----------------------------------------------------------

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": ("jpg", "image/jpeg"), b"\x89PNG\r\n\x1a\n": ("png", "image/png")}


def photo_kind(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of a JPEG or PNG recognised by its first bytes, else None."""
    return next((kind for magic, kind in PHOTO_TYPES.items() if head.startswith(magic)), None)


def attach_photo(incident: Incident, user: Any, key: str, upload: Any, request: Any = None) -> bool:
    """The incident's photo (JPEG or PNG, at most 5 MB), stored once per key as
    MEDIA_ROOT/incidents/<uuid>.<ext>; a later photo under a new key replaces the link (the
    earlier file is kept). By the Posko, or by a post leader on his own report."""
    import uuid

    from django.core.files.base import ContentFile

    authority.check(authority.to_attach_photo(user, incident))
    if upload is None or upload.size is None or upload.size > PHOTO_MAX_BYTES:
        raise FieldError(_("Foto paling besar 5 MB."))
    upload.seek(0)
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise FieldError(_("Foto paling besar 5 MB."))
    kind = photo_kind(data[:8])
    if kind is None:
        raise FieldError(_("Foto harus JPEG atau PNG."))
    saved: list[str] = []

    def change() -> str:
        incident.photo.save(f"{uuid.uuid4()}.{kind[0]}", ContentFile(data), save=False)
        saved.append(str(incident.photo.name or ""))
        incident.save(update_fields=["photo"])
        return f"foto/{kind[0]}"

    try:
        created = act_on(incident, user, key, "photo", change, request)
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
        raise NotVisible
    with storage.open(name) as head:
        kind = photo_kind(head.read(8))
    if kind is None:
        raise NotVisible
    return storage.open(name), kind[1]


def open_incident_counts(plan: Plan, posts: list[dict[str, Any]]) -> dict[str, int]:
    """Open incidents per post: at the post itself or at one of its TPS."""
    post_of_tps = {code: str(p["id"]) for p in posts if p.get("kind") == "TPS" for code in p.get("tps", [])}
    counts: Counter[str] = Counter()
    rows = (
        Incident.objects.filter(operation_id=plan.operation_id)
        .exclude(status=Incident.Status.SELESAI)
        .values_list("post_id", "tps_code")
    )
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
                "duty_id": i.duty_id,  # a roster duty's (then no post), and the escort's leg
                "leg": i.leg,
                "kecamatan_code": i.kecamatan_code,
                "reported_at": i.reported_at.isoformat(),
                "photo": bool(i.photo),
            },
        }
        for i in visible_incidents(plan, user).exclude(status=Incident.Status.SELESAI)
        if i.lat is not None and i.lon is not None
    ]
    return {"type": "FeatureCollection", "features": features, "plan": plan.pk}
