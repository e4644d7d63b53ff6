"""Area status (Perkap 16/2006): the Kapolres sets a desa or a kecamatan hijau, kuning or merah;
the latest status of an area is shown on the board."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from siaga.accounts.scope import Scope
from siaga.audit.log import record
from siaga.field.models import AreaStatus
from siaga.field.services import authority
from siaga.field.services.common import FieldError, NotVisible, once
from siaga.operations.labels import area_name
from siaga.plans.models import Plan


def set_area(
    plan: Plan, code: str, status: str, user: Any, key: str, note: str = "", request: Any = None
) -> tuple[AreaStatus, bool]:
    """A new status of the desa or kecamatan `code` of the plan's operation."""
    authority.check(authority.to_set_area(user))
    region = plan.operation.regions.filter(code=code).first()
    if region is None or region.level not in ("KECAMATAN", "DESA", "KELURAHAN"):
        raise NotVisible
    if status not in AreaStatus.Color.values:
        raise FieldError(_("Status wilayah adalah hijau, kuning atau merah."))
    kecamatan = region.code if region.level == "KECAMATAN" else region.kecamatan_code or region.parent_code

    def create() -> AreaStatus:
        row = AreaStatus.objects.create(
            operation_id=plan.operation_id,
            region_code=code,
            kecamatan_code=kecamatan,
            status=status,
            note=note,
            by=user,
            key=key,
        )
        record(request, "area_status", "region", code, operation_id=plan.operation_id, after={"status": status})
        return row

    return once(AreaStatus, key, user, "by", create)


def _visible(plan: Plan, user: Any) -> list[AreaStatus]:
    """Every status set on an area the user may see, by time."""
    scope = Scope.of(user)
    rows = AreaStatus.objects.filter(operation_id=plan.operation_id).select_related("by").order_by("at", "id")
    return [r for r in rows if scope.whole or scope.sees_kecamatan(r.kecamatan_code) or scope.person is not None]


def area_statuses(plan: Plan, user: Any) -> dict[str, AreaStatus]:
    """The latest status of each area the user may see, by region code."""
    return {row.region_code: row for row in _visible(plan, user)}  # by time: the last one stays


def area_history(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """Every status the areas the user may see were given, by time (`at`, `area`: its name as
    people read it, "Kecamatan Kraton", `status`, `note`, `by`), for the post-operation report."""
    regions = {r.code: r for r in plan.operation.regions.order_by()}
    return [
        {
            "at": row.at,
            "area": area_name(r.level, r.name) if (r := regions.get(row.region_code)) else row.region_code,
            "status": row.get_status_display(),
            "note": row.note,
            "by": row.by,
        }
        for row in _visible(plan, user)
    ]
