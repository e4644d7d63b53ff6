"""What the plan pages show: a version's posts kecamatan > desa > post with who fills each
slot, its figures, its shortfall, and the difference between two versions, each narrowed to
what the reader's `Scope` sees. Reads the plan's rows (`siaga.plans.store.plan_rows`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from siaga.accounts.scope import Scope
from siaga.operations.models import Operation
from siaga.plans.models import Plan
from siaga.plans.services import diff
from siaga.plans.store import plan_rows

SLOTS = ("POLRI", "TNI", "LINMAS", "BRIMOB")
KIND_ORDER = {"VILLAGE": 0, "TPS": 1, "RESERVE": 2}
OPEN_ALL_BELOW = 60  # posts: a page this small shows every desa opened


def roster(operation: Operation) -> dict[str, dict[str, str]]:
    """NRP/NIK -> code, name, rank, force and unit name: the whole roster in two queries."""
    units = dict(operation.units.order_by().values_list("code", "name"))
    rows = operation.personnel.order_by().values_list("code", "name", "rank", "force", "unit_code")
    return {
        code: {"code": code, "name": name, "rank": rank, "force": force, "unit": units.get(unit, unit)}
        for code, name, rank, force, unit in rows
    }


def _someone(code: str) -> dict[str, str]:
    return {"code": code, "name": "?", "rank": "", "force": "", "unit": ""}


def _label(person: dict[str, str]) -> SafeString:
    return format_html(
        "<li>{} {} <code>{}</code> <small>{}</small></li>",
        person["rank"],
        person["name"],
        person["code"],
        person["unit"],
    )


def plan_page(plan: Plan, scope: Scope) -> dict[str, Any]:
    """Everything the plan page shows, for a user who sees `scope`: posts grouped kecamatan >
    desa > post with who fills each slot, the figures of what they see and where places stay
    empty. A sector chief sees the posts whose kecamatan is theirs, reserve teams stationed
    there included. Lookups are built once."""
    data = plan_rows(plan, scope)
    posts = data["posts"]
    visible = {p["id"] for p in posts}
    people = roster(plan.operation)
    names = dict(plan.operation.regions.order_by().values_list("code", "name"))
    filled: dict[tuple[str, str], list[SafeString]] = defaultdict(list)
    for a in data["assignments"]:
        if a["post"] in visible:
            filled[(a["post"], a["slot"])].append(_label(people.get(a["person"]) or _someone(a["person"])))
    missing = {(u["post"], u["slot"]): u["count"] for u in data["unfilled"] if u["post"] in visible}
    return {
        "tree": _tree(posts, filled, missing, names),
        "figures": _figures(data),
        "quality": quality(plan.summary),
        "shortfall": _shortfall(posts, data["unfilled"], visible, names),
        "open_all": len(posts) < OPEN_ALL_BELOW,
    }


def figures(plan: Plan, scope: Scope) -> dict[str, float]:
    """The counts of the part of a version a user sees."""
    return _figures(plan_rows(plan, scope))


def _figures(data: dict[str, Any]) -> dict[str, float]:
    posts = data["posts"]
    visible = {p["id"] for p in posts}
    mine = [a for a in data["assignments"] if a["post"] in visible]
    return {
        "posts": len(posts),
        "tps": sum(len(p["tps"]) for p in posts),
        "slots": sum(sum(p["required"].values()) for p in posts),
        "assigned": len(mine),
        "unfilled": sum(u["count"] for u in data["unfilled"] if u["post"] in visible),
        "cost_km": round(sum(a["cost_km"] for a in mine), 6),
    }


def quality(summary: dict[str, float]) -> dict[str, float | None]:
    """How far the plan may be from the optimum (objective minus its proven lower bound), and
    the share of the category-weighted TPS a reserve team reaches in time."""
    objective, bound = summary.get("objective"), summary.get("lower_bound")
    gap = None if objective is None or bound is None else max(objective - bound, 0.0)
    total = summary.get("reserve_total_weight") or 0
    return {
        "gap_km": gap,
        "gap_pct": 100 * gap / objective if gap is not None and objective else None,
        "reserve_pct": 100 * summary.get("reserve_covered_weight", 0) / total if total else None,
    }


def _tree(
    posts: list[dict[str, Any]],
    filled: dict[tuple[str, str], list[SafeString]],
    missing: dict[tuple[str, str], int],
    names: dict[str, str],
) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for p in posts:
        groups[p["kecamatan_code"]][p["desa_code"]].append(p)
    tree = []
    for kec_code in sorted(groups):
        desa_list = []
        for desa_code in sorted(groups[kec_code], key=lambda c: (c == "", c)):
            members = sorted(groups[kec_code][desa_code], key=lambda p: KIND_ORDER.get(p["kind"], 9))
            slots = [s for s in SLOTS if any(p["required"].get(s) for p in members)]
            rows = [_post_row(p, slots, filled, missing) for p in members]
            desa_list.append(
                {
                    "code": desa_code,
                    "name": names.get(desa_code, desa_code),
                    "slots": slots,
                    "posts": rows,
                    "tps": sum(r["tps_count"] for r in rows),
                    "required": sum(r["required"] for r in rows),
                    "missing": sum(r["missing"] for r in rows),
                }
            )
        tree.append(
            {
                "code": kec_code,
                "name": names.get(kec_code, kec_code),
                "desa": desa_list,
                "posts": sum(len(d["posts"]) for d in desa_list),
                "missing": sum(d["missing"] for d in desa_list),
            }
        )
    return tree


def _post_row(
    post: dict[str, Any],
    slots: list[str],
    filled: dict[tuple[str, str], list[SafeString]],
    missing: dict[tuple[str, str], int],
) -> dict[str, Any]:
    """One post as the page prints it. Numbers are text already: a 2,000-TPS page prints
    tens of thousands of them, and the template's number formatting would cost most of it."""
    cells = []
    for s in slots:
        required = post["required"].get(s, 0)
        people = filled.get((post["id"], s), [])
        short = missing.get((post["id"], s), 0)
        cells.append(
            {
                "required": required,
                "fill": f"{len(people)}/{required}",
                "people": SafeString("".join(people)),
                "missing": short,
                "short": f"−{short}" if short else "",
            }
        )
    return {
        "id": post["id"],
        "kind": post["kind"],
        "category": post["category"],
        "tps": ", ".join(post["tps"]),
        "tps_count": len(post["tps"]),
        "cells": cells,
        "required": sum(post["required"].values()),
        "missing": sum(c["missing"] for c in cells),
    }


def _shortfall(
    posts: list[dict[str, Any]], unfilled: list[dict[str, Any]], visible: set[str], names: dict[str, str]
) -> dict[str, Any]:
    """Empty places by force, kecamatan, desa and category; how many more of each force would
    fill them; the TPS whose post is below its pattern."""
    post_by_id = {p["id"]: p for p in posts}
    by: dict[str, Counter[str]] = {k: Counter() for k in ("force", "kecamatan", "desa", "category")}
    below: dict[str, dict[str, int]] = defaultdict(dict)
    for u in unfilled:
        if u["post"] not in visible:
            continue
        post = post_by_id[u["post"]]
        by["force"][u["slot"]] += u["count"]
        by["kecamatan"][post["kecamatan_code"]] += u["count"]
        by["desa"][post["desa_code"]] += u["count"]
        by["category"][post["category"]] += u["count"]
        for t in post["tps"]:
            below[t][u["slot"]] = u["count"]

    def named(counter: Counter[str]) -> list[tuple[str, str, int]]:
        return [(code, names.get(code, code or "-"), n) for code, n in sorted(counter.items())]

    return {
        "total": sum(by["force"].values()),
        "by_force": sorted(by["force"].items(), key=lambda kv: SLOTS.index(kv[0]) if kv[0] in SLOTS else 9),
        "by_kecamatan": named(by["kecamatan"]),
        "by_desa": named(by["desa"]),
        "by_category": sorted(by["category"].items()),
        "tps_below_pattern": sorted((t, sorted(slots.items())) for t, slots in below.items()),
    }


def diff_page(old: Plan, new: Plan, scope: Scope) -> dict[str, Any]:
    """`diff` with names: who moved from which post and slot to which, as the user may see it."""
    changes = diff(old, new)
    kecamatan = dict(old.posts.values_list("code", "kecamatan_code"))
    kecamatan.update(new.posts.values_list("code", "kecamatan_code"))

    def seen(post: str | None) -> bool:
        return post is not None and scope.sees_kecamatan(kecamatan.get(post, ""))

    people = roster(new.operation)
    moved = [
        {"person": people.get(code) or _someone(code), "before": before, "after": after}
        for code, before, after in changes["moved"]
        if seen(before and before[0]) or seen(after and after[0])
    ]
    return {
        "moved": moved,
        "posts_added": [p for p in changes["posts_added"] if seen(p)],
        "posts_removed": [p for p in changes["posts_removed"] if seen(p)],
        "summary": changes["summary"] if scope.whole else _sector_summary(old, new, scope),
    }


def _sector_summary(old: Plan, new: Plan, scope: Scope) -> list[tuple[str, float, float]]:
    before, after = figures(old, scope), figures(new, scope)
    return [(k, before[k], after[k]) for k in ("assigned", "unfilled", "cost_km")]
