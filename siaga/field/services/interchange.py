"""Files for Polri's own systems (SOT, EWS), read from the console's rows through the core's
one writer (`siaga.core.data.interchange`; the columns in docs/interchange.md), and the TPS
coordinates taken back as a new data version of the operation.

A file holds what the reader's scope sees: the whole Polres, or a sector chief's kecamatan.
Who may download is the views' business (`require_export`); phones are written because only
a reader with the export right gets the file at all (docs/security.md: the ploting's rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db.models import Max
from django.utils import timezone, translation

from siaga.accounts.scope import Scope
from siaga.core.data import interchange as ic
from siaga.core.data.model import Scenario
from siaga.core.documents import interchange as dc
from siaga.field.models import Incident, IncidentAction
from siaga.field.services import taxonomy as words
from siaga.field.services.incidents import duty_places
from siaga.operations import services as data
from siaga.operations.models import Operation
from siaga.plans.models import Plan
from siaga.plans.names import operation_post_labels
from siaga.plans.store import core_plan, current_plan

FILES = {
    f"{kind}.{ext}": (kind, ext) for kind in ("personel", "tps", "kejadian") for ext in ("csv", "json")
}  # file name -> (kind, format)
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


class NoPlan(Exception):
    """The operation has no published plan: nobody is assigned yet."""


def rows_of(operation: Operation, kind: str, scope: Scope) -> tuple[list[dict[str, Any]], Plan | None]:
    """The rows of file `kind` the scope sees, and the plan they come from (the current one)."""
    scenario = data.scenario_for(operation)
    plan = current_plan(operation)
    kecamatan = scope.kecamatan or ""
    if kind == "personel":
        if plan is None:
            raise NoPlan
        return dc.personnel_rows(scenario, core_plan(plan), tz(), kecamatan), plan
    if kind == "tps":
        core = core_plan(plan) if plan is not None else None
        categories = dict(operation.tps_set.values_list("code", "effective_category"))
        return dc.tps_rows(scenario, core, categories, kecamatan), plan
    return ic.incident_rows(incident_records(operation, scope), scenario, tz()), plan


def file_bytes(operation: Operation, name: str, scope: Scope) -> tuple[bytes, int, Plan | None]:
    """The file `name` (of FILES) for the scope: its bytes, its row count and its plan."""
    kind, ext = FILES[name]
    rows, plan = rows_of(operation, kind, scope)
    if ext == "csv":
        return ic.to_csv(kind, rows), len(rows), plan
    head = {
        "operation": operation.name,
        "plan_version": plan.version if plan is not None else None,
        "kecamatan": scope.kecamatan or "",
        "time_zone": timezone.get_default_timezone_name(),
        "made_at": timezone.localtime().isoformat(timespec="seconds"),
    }
    return ic.to_json(kind, rows, head), len(rows), plan


def tz() -> dt.tzinfo:
    """The operation's local time zone: the console's (SIAGA_TIME_ZONE, WIB by default)."""
    return timezone.get_default_timezone()


def incident_records(operation: Operation, scope: Scope) -> list[ic.IncidentRecord]:
    """The operation's incidents the scope sees, their reporter and last escalation read in
    three queries; the words in Indonesian, as the files are written."""
    incidents = list(
        Incident.objects.filter(operation=operation)
        .in_scope(scope)
        .select_related("reported_by", "reported_by__profile")
        .order_by("reported_at", "id")
    )
    escalated = dict(
        IncidentAction.objects.filter(incident__in=incidents, action="escalate")
        .values("incident_id")
        .annotate(last=Max("at"))
        .values_list("incident_id", "last")
    )
    posts = operation_post_labels(operation.pk, [i.post_id for i in incidents], "id")  # a file: as the Sprin
    plan = current_plan(operation.pk) if any(i.duty_id for i in incidents) else None
    with translation.override("id"):
        duties = duty_places(plan, incidents) if plan is not None else {}  # a roster duty's: its name, leg
        return [
            ic.IncidentRecord(
                number=i.pk,
                kind=i.kind,
                severity=i.severity,
                status=str(words.STATUS.get(i.status, i.status)),
                command=str(words.COMMAND.get(i.level, i.level)),
                reported_at=i.reported_at,
                escalated_at=escalated.get(i.pk),
                closed_at=i.closed_at,
                kecamatan_code=i.kecamatan_code,
                tps_code=i.tps_code,
                post_name=duties.get(i.pk) or posts.get(i.post_id, "") or i.duty_id,
                lat=i.lat,
                lon=i.lon,
                reporter=_who(i.reported_by),
                reporter_code=str(getattr(getattr(i.reported_by, "profile", None), "person_code", "") or ""),
                description=i.description,
                disposition=str(words.DISPOSITIONS.get(i.disposition, "")) if i.disposition else "",
            )
            for i in incidents
        ]


def _who(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


# ---------------------------------------------------------------- coordinates back in


def coordinates_preview(operation: Operation, path: Path) -> tuple[Scenario, Sequence[ic.Moved]]:
    """The operation with the file's points, and the TPS they move; raises `ScenarioError`
    with every refused row (nothing changes)."""
    return ic.coordinates_scenario(data.scenario_for(operation), path)


def import_coordinates(operation: Operation, path: Path, name: str, request: Any) -> Sequence[ic.Moved]:
    """Read the file again against the operation as it is now and store the result as its
    next data version (`import_scenario`: the diff kept, the import audited)."""
    scenario, moved = coordinates_preview(operation, path)
    data.import_scenario(scenario, name, request=request)
    return moved
