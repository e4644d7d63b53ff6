"""An incident reported from a roster duty (an escort run, a warehouse guard) keeps the duty's
id and the escort's leg in fields of their own. Before, the duty's id was kept in `post_id`, cut
to its 80 characters, and the leg written before the description by `own_duties.on_leg`, in the
reporter's language: "Ruas 1 (Gudang KPU → PPK Kraton): <text>" ("Leg 1 (...)" in English),
the leg's words alone when there was no text. Those rows are moved: `duty_id` set and `post_id`
cleared, and the leg's words taken off the description into `leg` (its index in the route, "0"
for "Ruas 1"). Rows are read and written through the ORM (no SQL of one database), in batches.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations, models

POST_ID_LENGTH = 80  # Incident.post_id's max_length, where a duty's id was cut
VOTE_KINDS = frozenset({"TPS", "VILLAGE", "RESERVE", "STANDBY", "PATROL"})  # the vote's posts: not duties
# DutyKind's values: a duty's id starts with its kind (siaga.core.data.duties), a vote post's never does
DUTY_ID = re.compile(r"^(GUDANG_KPU|GUDANG_PPK|KAWAL|PATROLI|BALAI_DESA|PPK|KPU|BAWASLU|ACARA|POSKO|PSU)-")
LEG_WORDS = ("Ruas", "Leg")  # on_leg's "Ruas %(n)s (%(a)s → %(b)s)" in Indonesian and in English
SAID = re.compile(r"^(?:Ruas|Leg) (\d{1,2}) \(.+? → .+?\)(?:: |$)", re.DOTALL)  # when the route is not known
BATCH = 500


def _duties(plan_model: Any, operation_id: int) -> tuple[dict[str, str], dict[str, set[tuple[str, ...]]]]:
    """The roster duties of every plan of the operation: the text an incident kept for each (its
    id cut to POST_ID_LENGTH) -> its id (the cut text itself when two ids share it), and each
    id's routes (a duty can have another route in another version)."""
    by_kept: dict[str, str] = {}
    routes: dict[str, set[tuple[str, ...]]] = {}
    exact: set[str] = set()
    for extra in plan_model.objects.filter(operation_id=operation_id).values_list("extra", flat=True).iterator():
        roster = extra.get("roster") if isinstance(extra, dict) else None
        for duty in (roster or {}).get("duties", []) if isinstance(roster, dict) else []:
            full = str(duty.get("id") or "")
            if not full or duty.get("kind") in VOTE_KINDS:
                continue
            routes.setdefault(full, set()).add(tuple(str(p) for p in duty.get("route") or ()))
            kept = full[:POST_ID_LENGTH]
            if kept == full:
                exact.add(full)
                by_kept[kept] = full
            elif kept not in exact:
                by_kept[kept] = full if by_kept.get(kept, full) == full else kept  # two ids cut alike: unknown
    return by_kept, routes


def _said(n: int, start: str, end: str) -> list[str]:
    return [f"{word} {n} ({start} → {end})" for word in LEG_WORDS]


def _leg_off(description: str, duty_routes: set[tuple[str, ...]]) -> tuple[str, str]:
    """(leg, description without the leg's words); ("", description) when it names no leg."""
    for route in sorted(duty_routes):
        for index, (start, end) in enumerate(zip(route[:-1], route[1:], strict=True)):
            for said in _said(index + 1, start, end):
                if description == said:
                    return str(index), ""
                if description.startswith(f"{said}: "):
                    return str(index), description[len(said) + 2 :]
    found = SAID.match(description)  # the duty in no plan left, or its route since renamed
    if found and int(found.group(1)) >= 1:
        return str(int(found.group(1)) - 1), description[found.end() :]
    return "", description


def to_fields(apps: Any, schema_editor: Any) -> None:
    incident_model = apps.get_model("field", "Incident")
    plan_model = apps.get_model("plans", "Plan")
    post_model = apps.get_model("plans", "PlanPost")
    rows = incident_model.objects.exclude(post_id="").filter(duty_id="").order_by("operation_id", "pk")
    candidates = rows.only("pk", "operation_id", "post_id", "description")
    operation: int | None = None
    by_kept: dict[str, str] = {}
    routes: dict[str, set[tuple[str, ...]]] = {}
    changed: list[Any] = []
    for row in candidates.iterator(chunk_size=BATCH):
        if row.operation_id != operation:
            operation = row.operation_id
            by_kept, routes = _duties(plan_model, row.operation_id)
        duty_id = by_kept.get(row.post_id)
        if duty_id is None:
            vote_post = post_model.objects.filter(plan__operation_id=row.operation_id, code=row.post_id).exists()
            if not DUTY_ID.match(row.post_id) or vote_post:
                continue  # a post of the vote
            duty_id = row.post_id
        duty_routes = routes.get(duty_id, set())
        if duty_id.startswith("KAWAL-"):
            row.leg, row.description = _leg_off(row.description, duty_routes)
        row.duty_id, row.post_id = duty_id, ""
        changed.append(row)
        if len(changed) >= BATCH:
            incident_model.objects.bulk_update(changed, ["post_id", "duty_id", "leg", "description"])
            changed = []
    if changed:
        incident_model.objects.bulk_update(changed, ["post_id", "duty_id", "leg", "description"])


def to_text(apps: Any, schema_editor: Any) -> None:
    """Back: the duty's id cut into `post_id`, the leg's words (in Indonesian) before the text."""
    incident_model = apps.get_model("field", "Incident")
    plan_model = apps.get_model("plans", "Plan")
    rows = incident_model.objects.exclude(duty_id="").order_by("operation_id", "pk")
    operation: int | None = None
    routes: dict[str, set[tuple[str, ...]]] = {}
    changed: list[Any] = []
    for row in rows.only("pk", "operation_id", "post_id", "duty_id", "leg", "description").iterator(chunk_size=BATCH):
        if row.operation_id != operation:
            operation = row.operation_id
            _kept, routes = _duties(plan_model, row.operation_id)
        route = max(routes.get(row.duty_id, set()) or {()}, key=len)
        if row.leg.isdigit() and int(row.leg) + 1 < len(route):
            said = _said(int(row.leg) + 1, route[int(row.leg)], route[int(row.leg) + 1])[0]
            row.description = f"{said}: {row.description}" if row.description else said
        row.post_id, row.duty_id, row.leg = row.post_id or row.duty_id[:POST_ID_LENGTH], "", ""
        changed.append(row)
    for start in range(0, len(changed), BATCH):
        incident_model.objects.bulk_update(changed[start : start + BATCH], ["post_id", "duty_id", "leg", "description"])


class Migration(migrations.Migration):
    dependencies = [
        ("field", "0013_incident_panitia"),
        ("plans", "0006_lines"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="duty_id",
            field=models.CharField(blank=True, max_length=120, verbose_name="tugas"),
        ),
        migrations.AddField(
            model_name="incident",
            name="leg",
            field=models.CharField(blank=True, max_length=4, verbose_name="ruas"),
        ),
        migrations.RunPython(to_fields, to_text),
    ]
