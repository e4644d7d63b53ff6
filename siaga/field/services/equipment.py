"""Sarpras: equipment required and present per unit; readiness."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from siaga.accounts.scope import Scope
from siaga.audit.log import record
from siaga.field.services.common import FieldError, NotVisible, require_writer
from siaga.operations.models import Unit
from siaga.plans.models import Plan

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
        if Scope.of(user).sees_kecamatan(u.kecamatan_code)
    ]
    items: dict[tuple[str, str], EquipmentItem] = {
        (e.unit_code, e.kind): e
        for e in EquipmentItem.objects.filter(operation_id=plan.operation_id, unit_code__in=[u.code for u in units])
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
    if unit is None or not Scope.of(user).sees_kecamatan(unit.kecamatan_code):
        raise NotVisible
    kinds = set(EquipmentItem.Kind.values)
    for kind, (required, present) in counts.items():
        if kind not in kinds:
            raise FieldError(_("jenis sarpras tidak dikenal: %(kind)s") % {"kind": kind})
        if required < 0 or present < 0:
            raise FieldError(_("jumlah sarpras tidak boleh negatif"))
    with transaction.atomic():
        for kind, (required, present) in counts.items():
            EquipmentItem.objects.update_or_create(
                operation_id=plan.operation_id,
                unit_code=unit_code,
                kind=kind,
                defaults={"required": required, "present": present, "updated_by": user},
            )
        after = {k: list(v) for k, v in counts.items()}
        record(request, "set_equipment", "unit", unit_code, operation_id=plan.operation_id, after=after)
