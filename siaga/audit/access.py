"""The per-person access report (UU PDP 27/2022): for one person (NRP, NIP or NIK), every
audit entry that read or exported a roster holding them, with why it held them.

A roster holds a person when the page or file showed the operation's personnel (the personnel
list's page named them; the data export and list exports carried the operation's people)
or a plan version they are assigned to (the plan page, the apel, the diff, the plan file,
the orders of the whole Polres or of their post's kecamatan). `manage.py roster_access NRP`
prints it; docs/security.md tells how to answer a data subject with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from siaga.audit.models import AuditEntry

READS = ("read_roster",)
EXPORTS = ("export", "export_list", "export_plan", "download_orders", "preview_orders")
PLAN_OBJECTS = ("plan", "apel")


@dataclass(frozen=True)
class Access:
    at: datetime
    username: str
    ip: str | None
    action: str
    object_type: str
    object_id: str
    operation_id: int | None
    why: str


def person_access(code: str, operation_id: int | None = None) -> Iterator[Access]:
    """The entries that read or exported a roster holding the person `code`, oldest first."""
    from siaga.operations.models import Person
    from siaga.plans.models import PlanAssignment

    code = code.strip()
    people = Person.objects.filter(code=code)
    if operation_id is not None:
        people = people.filter(operation_id=operation_id)
    operations = set(people.values_list("operation_id", flat=True))
    kecamatan_by_plan: dict[int, set[str]] = {}
    for plan_id, kecamatan in PlanAssignment.objects.filter(
        person_code=code, plan__operation_id__in=operations
    ).values_list("plan_id", "post__kecamatan_code"):
        kecamatan_by_plan.setdefault(plan_id, set()).add(kecamatan)
    entries = AuditEntry.objects.filter(action__in=READS + EXPORTS, operation_id__in=operations).order_by("at", "id")
    for e in entries.iterator():
        why = _why(e, code, kecamatan_by_plan)
        if why:
            yield Access(e.at, e.username, e.ip, e.action, e.object_type, e.object_id, e.operation_id, why)


def _why(e: AuditEntry, code: str, kecamatan_by_plan: dict[int, set[str]]) -> str:
    after = e.after if isinstance(e.after, dict) else {}
    if e.object_type in PLAN_OBJECTS or e.action in ("export_plan", "download_orders", "preview_orders"):
        plan_id = int(e.object_id) if e.object_id.isdigit() else None
        if plan_id not in kecamatan_by_plan:
            return ""
        narrowed = str(after.get("kecamatan", "semua") or "semua")
        if narrowed != "semua" and narrowed not in kecamatan_by_plan[plan_id]:
            return ""
        what = f"{after['file']} " if after.get("file") else ""
        return f"{what}plan {plan_id} (assigned, kecamatan {', '.join(sorted(kecamatan_by_plan[plan_id]))})"
    if e.action == "read_roster":  # the personnel list: the page's people are recorded
        return "personnel list page" if code in (after.get("persons") or []) else ""
    return f"{e.action} of the operation's data ({e.object_type})"  # a file of the whole roster
