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


def area_statuses(plan: Plan, user: Any) -> dict[str, AreaStatus]:
    """The latest status of each area the user may see, by region code."""
    scope = Scope.of(user)
    latest: dict[str, AreaStatus] = {}
    for row in AreaStatus.objects.filter(operation_id=plan.operation_id).select_related("by").order_by("at", "id"):
        if scope.whole or scope.sees_kecamatan(row.kecamatan_code) or scope.person is not None:
            latest[row.region_code] = row
    return latest


def area_history(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """Every status the areas the user may see were given, by time (`at`, `area`: its name as
    people read it, "Kecamatan Kraton", `status`, `note`, `by`), for the post-operation report."""
    scope = Scope.of(user)
    regions = {r.code: r for r in plan.operation.regions.order_by()}
    rows = []
    for row in AreaStatus.objects.filter(operation_id=plan.operation_id).select_related("by").order_by("at", "id"):
        if scope.whole or scope.sees_kecamatan(row.kecamatan_code) or scope.person is not None:
            region = regions.get(row.region_code)
            word = _("Kecamatan") if region is not None and region.level == "KECAMATAN" else _("Desa")
            area = f"{word} {region.name}" if region is not None else row.region_code
            rows.append(
                {"at": row.at, "area": area, "status": row.get_status_display(), "note": row.note, "by": row.by}
            )
    return rows
