"""A version against the one it replaces, in the words a commander and a planner read: who
moved (a post that only changed category is no move), where places stay empty before a
decision (approval, the categories' sign-off), and what the optimiser's objective is made of
(distance and empty places), so that a jump in it is explained. Used by the plan page's
confirmation boxes, the version list and the version comparison (`pages.diff_page`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from siaga.core.planning.posts import UNFILLED_KM
from siaga.plans.models import Plan, PlanAssignment, PlanPost, PlanUnfilled
from siaga.plans.names import post_labels

NAMED_CATEGORIES = ("KHUSUS", "SANGAT_RAWAN", "RAWAN")  # the empty places a confirmation names
NAMED_SHOWN = 5  # posts named, then "dan N lainnya"

Place = tuple[str, str] | None  # (post code, slot) of a person in a version, None: no post


def same_posts(removed: Mapping[str, str], added: Mapping[str, str]) -> dict[str, str]:
    """A re-plan that changes a TPS's category makes its post anew under the same name: each
    added post (code -> name) that a removed post (code -> name) had the name of, as
    new code -> old code."""
    by_name = {name: code for code, name in removed.items()}
    return {code: by_name[name] for code, name in added.items() if name in by_name}


def kept_in_place(moved: Iterable[tuple[str, Place, Place]], same: Mapping[str, str]) -> set[str]:
    """The people of `moved` (person, before, after) who hold the same slot of the same post,
    only renamed by its category (`same_posts`): not a move."""
    return {
        person
        for person, before, after in moved
        if before and after and before[1] == after[1] and same.get(after[0]) == before[0]
    }


def _relabelled(old: Plan, new: Plan) -> int:
    """How many people `new` places on a post of `old` made anew only for its category: read on
    those posts only (a re-plan changes a few)."""
    in_new = PlanPost.objects.filter(plan=new).values("code")
    in_old = PlanPost.objects.filter(plan=old).values("code")
    removed = list(PlanPost.objects.filter(plan=old).exclude(code__in=in_new).values_list("code", flat=True))
    added = list(PlanPost.objects.filter(plan=new).exclude(code__in=in_old).values_list("code", flat=True))
    if not removed or not added:
        return 0
    same = same_posts(post_labels(old, removed), post_labels(new, added))
    if not same:
        return 0

    def places(plan: Plan, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
        rows = PlanAssignment.objects.filter(plan=plan, post__code__in=list(codes)).order_by()
        return {p: (post, slot) for p, post, slot in rows.values_list("person_code", "post__code", "slot")}

    before, after = places(old, same.values()), places(new, same)
    return len(kept_in_place(((p, before.get(p), a) for p, a in after.items()), same))


def moves(plan: Plan) -> dict[str, int] | None:
    """The people of `plan` against the version it replaces: `moved` (on another post or slot,
    or newly placed), `left` (off every post now), `kept` (the same place). A post made anew
    only because its TPS changed category is the same place (the planner's own count, the
    plan file's `replan.moved`, counts it as moved: `relabelled` says how many). None without
    a version it replaces. Counted by the database."""
    parent = plan.parent
    if parent is None:
        return None
    held = PlanAssignment.objects.filter(
        plan=parent, person_code=OuterRef("person_code"), post__code=OuterRef("post__code"), slot=OuterRef("slot")
    )
    now = PlanAssignment.objects.filter(plan=plan).order_by()
    total = now.count()
    changed = now.exclude(Exists(held)).count()
    on_post = PlanAssignment.objects.filter(plan=plan).values("person_code")
    left = PlanAssignment.objects.filter(plan=parent).exclude(person_code__in=on_post).count()
    relabelled = _relabelled(parent, plan) if changed else 0
    return {"moved": changed - relabelled, "left": left, "kept": total - changed + relabelled, "relabelled": relabelled}


def shown_replan(plan: Plan, counted: dict[str, int] | None) -> dict[str, Any] | None:
    """The plan file's re-plan record as the plan page says it: moved and kept as `moves`
    counts them (a post renamed by its category is no move), when this version is the re-plan
    (a hand edit of a re-plan carries its record: its figures stay the re-plan's)."""
    replanned: dict[str, Any] | None = plan.extra.get("replan")
    if not replanned or counted is None or "left" not in replanned:
        return replanned
    if plan.parent is None or plan.parent.extra.get("replan") == replanned:
        return replanned
    return {**replanned, "moved": counted["moved"], "kept": counted["kept"], "left": counted["left"]}


def empty_posts(plan: Plan, categories: Iterable[str] = NAMED_CATEGORIES, shown: int = NAMED_SHOWN) -> dict[str, Any]:
    """The vote's posts of these categories with places left empty, the most vulnerable first:
    the first `shown` by name with each force's filled / needed places, and how many more."""
    rows = (
        PlanUnfilled.objects.filter(plan=plan, count__gt=0, post__category__in=list(categories))
        .order_by()
        .values_list("post__code", "post__category", "post__required", "slot", "count")
    )
    posts: dict[str, dict[str, Any]] = {}
    empty: dict[tuple[str, str], int] = {}
    for code, category, required, slot, n in rows:
        posts.setdefault(code, {"code": code, "category": category, "slots": [], "required": required or {}})
        empty[(code, slot)] = empty.get((code, slot), 0) + n
    for (code, slot), n in empty.items():
        need = int(posts[code]["required"].get(slot, n))
        posts[code]["slots"].append({"slot": slot, "filled": max(need - n, 0), "needed": need})
    order = {c: i for i, c in enumerate(categories)}
    chosen = sorted(posts.values(), key=lambda p: (order.get(p["category"], 9), p["code"]))
    names = post_labels(plan, [p["code"] for p in chosen[:shown]])
    for p in chosen[:shown]:
        p["name"] = names.get(p["code"], p["code"])
        p["slots"].sort(key=lambda s: s["slot"])
    return {"posts": chosen[:shown], "more": max(len(chosen) - shown, 0), "total": len(chosen)}


def decision(plan: Plan, page: dict[str, Any], counted: dict[str, int] | None) -> dict[str, Any]:
    """What a commander must know before approving the version or signing its categories, from
    what the plan page counted already (`pages.plan_page`: the empty places at the vote's posts
    by category, the duties' empty places beyond the TPS) and the moves against the version it
    replaces (`moves`)."""
    headline, duties = page["headline"], page.get("duties") or {}
    return {
        "empty": headline["empty"],
        "empty_total": headline["empty_total"],
        "named": empty_posts(plan) if headline["empty_total"] else None,
        "duties": bool(duties),  # a version made before rosters has none
        "duty_short": duties.get("short_total") or 0,
        "moves": counted,
        "parent": plan.parent,
    }


# ---------------------------------------------------------------- the objective, in parts


PART_WORDS = {
    "vote_km": gettext_lazy("jarak tempuh pos pemungutan suara (km)"),
    "vote_empty": gettext_lazy("slot kosong di pos pemungutan suara"),
    "vote_penalty": gettext_lazy("nilai slot kosong di pos (10.000 × bobot kerawanan per slot)"),
    "duty_empty": gettext_lazy("tempat kosong di luar TPS"),
    "duty_penalty": gettext_lazy("nilai tempat kosong di luar TPS (10.000 per tempat)"),
    "duty_km": gettext_lazy("jarak tempuh tugas tahapan lain (km)"),
    "whole_objective": gettext_lazy("nilai tujuan seluruh operasi"),
}


def objective_parts(plan: Plan) -> dict[str, float | None]:
    """The whole operation's objective (the roster's) as it is made: the vote's posts' distance
    and their empty slots' cost (10,000 km each times the TPS's vulnerability weight), the
    other stages' empty places (10,000 km each) and their distance. The vote's parts without a
    roster; None for what a version does not hold."""
    summary, roster = plan.summary, plan.extra.get("roster") or {}
    vote_km = summary.get("cost_km")
    objective = summary.get("objective")
    parts: dict[str, float | None] = {
        "vote_km": vote_km,
        "vote_empty": summary.get("unfilled"),
        "vote_penalty": round(objective - vote_km, 6) if objective is not None and vote_km is not None else None,
        "vote_objective": objective,
        "duty_empty": None,
        "duty_penalty": None,
        "duty_km": None,
        "whole_objective": roster.get("objective"),
    }
    if roster:
        empty = sum(int(u.get("count", 0)) for u in roster.get("unfilled", []))
        parts |= {
            "duty_empty": empty,
            "duty_penalty": float(empty * UNFILLED_KM),
            "duty_km": round(sum(float(a.get("cost_km", 0.0)) for a in roster.get("assignments", [])), 6),
        }
    return parts


def objective_changes(old: Plan, new: Plan) -> dict[str, Any]:
    """Two versions' objectives in parts (`objective_parts`), each with its change, and the
    part that made most of the whole's change (`cause`: "vote_penalty", "duty_penalty", or a
    distance)."""
    before, after = objective_parts(old), objective_parts(new)

    def delta(key: str) -> float | None:
        a, b = before[key], after[key]
        return None if a is None or b is None else round(b - a, 6)

    def signed(value: float | None, places: int) -> str:
        """A change as the sentence says it, in the reader's number format: "+10.000", "-27,8"."""
        if value is None:
            return ""
        text = number_format(abs(value), places, force_grouping=True)
        return ("+" if value > 0 else "-" if value < 0 else "") + text

    rows: dict[str, dict[str, Any]] = {
        k: {
            "old": before[k],
            "new": after[k],
            "delta": delta(k),
            "signed": signed(delta(k), 0 if k.endswith(("_empty", "_penalty")) else 1),
        }
        for k in before
    }
    costs = ("vote_km", "vote_penalty", "duty_penalty", "duty_km")
    moved = {k: abs(delta(k) or 0.0) for k in costs}
    cause = max(moved, key=lambda k: moved[k]) if any(moved.values()) else None
    lines = [
        {"key": k, "label": PART_WORDS[k], "digits": "0g" if k.endswith(("_empty", "_penalty")) else "1g", **rows[k]}
        for k in PART_WORDS
        if rows[k]["old"] is not None or rows[k]["new"] is not None
    ]
    return {"rows": rows, "lines": lines, "cause": cause, "whole": rows["whole_objective"]["delta"] is not None}
