"""The plan file `siaga-plan/1` (docs/scenario.md, section 3): JSON in and out."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from siaga.core.data.files import atomic_write_text
from siaga.core.data.model import Assignment, Category, Plan, Post, Unfilled
from siaga.core.data.text import TranslatedError, gettext_noop

FORMAT = "siaga-plan/1"


class PlanFileError(TranslatedError, ValueError):
    """A plan file that cannot be used; `message(lang)` says why."""


def to_json(plan: Plan) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "operation": plan.operation,
        "pattern": plan.pattern,
        "tps_categories": {k: c.value for k, c in plan.tps_categories.items()},
        "posts": [
            {
                "id": p.id,
                "kind": p.kind,
                "tps": list(p.tps),
                "desa_code": p.desa_code,
                "kecamatan_code": p.kecamatan_code,
                "lat": p.lat,
                "lon": p.lon,
                "category": p.category.value,
                "required": dict(p.required),
            }
            for p in plan.posts
        ],
        "assignments": [
            {"person": a.person, "post": a.post, "slot": a.slot, "cost_km": a.cost_km} for a in plan.assignments
        ],
        "unfilled": [{"post": u.post, "slot": u.slot, "count": u.count} for u in plan.unfilled],
        "summary": dict(plan.summary),
        **plan.extra,
    }


def digest(plan: Plan) -> str:
    """The plan's version as printed on cards: sha256 of its assignments as the plan file
    writes them, first 16 hex digits. Moving one person changes it."""
    assignments = to_json(replace(plan, posts=(), unfilled=()))["assignments"]
    text = json.dumps(assignments, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def from_json(data: dict[str, Any]) -> Plan:
    if data.get("format") != FORMAT:
        raise PlanFileError(gettext_noop("bukan berkas rencana %(format)s"), format=FORMAT)
    try:
        posts = tuple(
            Post(
                id=str(p["id"]),
                kind=str(p["kind"]),
                tps=tuple(str(t) for t in p["tps"]),
                desa_code=str(p["desa_code"]),
                kecamatan_code=str(p["kecamatan_code"]),
                lat=float(p["lat"]),
                lon=float(p["lon"]),
                category=Category(p["category"]),
                required={str(k): int(v) for k, v in p["required"].items()},
            )
            for p in data["posts"]
        )
        assignments = tuple(
            Assignment(str(a["person"]), str(a["post"]), str(a["slot"]), float(a["cost_km"]))
            for a in data["assignments"]
        )
        unfilled = tuple(Unfilled(str(u["post"]), str(u["slot"]), int(u["count"])) for u in data["unfilled"])
        categories = {str(k): Category(v) for k, v in data["tps_categories"].items()}
        known = {"format", "operation", "pattern", "tps_categories", "posts", "assignments", "unfilled", "summary"}
        return Plan(
            operation=str(data["operation"]),
            pattern=str(data["pattern"]),
            tps_categories=categories,
            posts=posts,
            assignments=assignments,
            unfilled=unfilled,
            summary=dict(data["summary"]),
            extra={k: v for k, v in data.items() if k not in known},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFileError(gettext_noop("berkas rencana rusak: %(detail)s"), detail=repr(exc)) from None


def write_plan(plan: Plan, path: Path) -> None:
    """Written beside the target and renamed: never half a file."""
    with atomic_write_text(path) as f:
        json.dump(to_json(plan), f, ensure_ascii=False, indent=1)


def read_plan(path: Path) -> Plan:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlanFileError(gettext_noop("%(path)s: tidak dapat dibaca (%(detail)s)"), path=path, detail=exc) from None
    if not isinstance(data, dict):
        raise PlanFileError(gettext_noop("%(path)s: bukan berkas rencana"), path=path)
    return from_json(data)
