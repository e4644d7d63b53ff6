"""What the plan pages show: a version's posts kecamatan > desa > post with who fills each
slot, its figures, its shortfall, its pins, the strength advice and the Linmas roster gaps
for the KPU/PPS, and the difference between two versions, each narrowed to what the reader's
`Scope` sees. Reads the plan's rows (`siaga.plans.store.plan_rows`) and its report keys."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import timedelta
from html import escape as quoted  # what Django's escape does, on plain text, without its wrapping
from typing import Any
from urllib.parse import quote

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.accounts.scope import Scope
from siaga.core.data import duties as duty_data
from siaga.core.data import linmas, pins
from siaga.core.data import stages as stage_data
from siaga.core.data.positions import is_command
from siaga.core.documents.ploting import post_names
from siaga.core.planning import plan as core_planning
from siaga.core.planning import roster as duty_roster
from siaga.core.planning import simulate as simulation
from siaga.core.planning import vacancy
from siaga.core.planning.posts import UNFILLED_KM
from siaga.operations.labels import CATEGORY_LABELS, FORCE_LABELS, label
from siaga.operations.models import Operation
from siaga.operations.services import operation_stages, scenario_for
from siaga.plans import compare
from siaga.plans.models import Plan, PlanAssignment, PlanPost, PlanTps, PlanUnfilled
from siaga.plans.names import operation_post_labels, post_labels, reader_lang, row_labels
from siaga.plans.services import REINFORCE, diff
from siaga.plans.store import core_plan, plan_rows

SLOTS = ("POLRI", "TNI", "LINMAS", "BRIMOB")
KIND_ORDER = {"VILLAGE": 0, "TPS": 1, "STANDBY": 2, "RESERVE": 3}
OPEN_ALL_BELOW = 60  # posts: a page this small shows every desa opened
ROSTER = "ROSTER"  # a pin line that is a Linmas's TPS in the PPS decree, not a planner's pin
ROSTER_SHOWN = 200  # roster lines listed (those not held first); a Pemilu has two per TPS
PIN_PROBLEMS = {
    "post_gone": gettext_lazy("pos tidak ada lagi"),
    "absent": gettext_lazy("berhalangan/absen"),
    "command": gettext_lazy("jabatan komando/staf tidak diturunkan ke pos"),
    "other_desa": gettext_lazy("Linmas di luar desanya"),
    "no_place": gettext_lazy("pos sudah penuh"),
}


def roster(operation: Operation, codes: Iterable[str] | None = None, pinned: bool = False) -> dict[str, dict[str, str]]:
    """NRP/NIK -> code, name, rank, force, unit name, kecamatan and pin (as the row holds it
    now), in two queries: of everyone (`codes` None), or of `codes` and (`pinned`) whoever is
    pinned now."""
    people = operation.personnel.order_by()
    units = operation.units.order_by()
    fields = ("code", "name", "rank", "force", "unit_code", "kecamatan_code", "pinned_post", "pin_reason")
    if codes is not None:
        wanted = Q(code__in=sorted(set(codes)))
        rows = list(people.filter(wanted | ~Q(pinned_post="") if pinned else wanted).values(*fields))
        units = units.filter(code__in=sorted({row["unit_code"] for row in rows}))
    else:
        rows = list(people.values(*fields))
    unit_names = dict(units.values_list("code", "name"))
    return {
        row["code"]: {
            "code": row["code"],
            "name": row["name"],
            "rank": row["rank"],
            "force": row["force"],
            "unit": unit_names.get(row["unit_code"], row["unit_code"]),
            "kecamatan": row["kecamatan_code"],
            "pinned_post": row["pinned_post"],
            "pin_reason": row["pin_reason"],
        }
        for row in rows
    }


def _someone(code: str) -> dict[str, str]:
    """A person a version names whom the operation's data no longer has (a Linmas a PPS decree
    replaced after the plan was made, a row removed): by his code, and said so."""
    gone = _("(tidak ada lagi di data operasi)")
    return {"code": code, "name": gone, "rank": "", "force": "", "unit": "", "kecamatan": "", "pinned_post": ""}


def _label(person: dict[str, str]) -> str:
    """One person in a cell of the post tree, escaped: thousands on a page, so a plain
    format string rather than `format_html` each (issue 18). A Linmas's NIK is shown masked."""
    rank, name, code, unit = (quoted(person[k]) for k in ("rank", "name", "code", "unit"))
    shown = linmas.shown(person["code"], person["force"])
    if shown == person["code"]:
        return f"<li>{rank} {name} <code>{code}</code> <small>{unit}</small></li>"
    # a Linmas's NIK masked on the page; whole in data-code, which a click copies into a form
    return f'<li>{rank} {name} <code data-code="{code}">{quoted(shown)}</code> <small>{unit}</small></li>'


TREE_PAGE = 300  # posts of the tree on one page of the plan page: a Polres's kecamatan or two


def plan_page(
    plan: Plan, scope: Scope, page_number: str | None = None, post: str = "", fill_url: str | None = None
) -> dict[str, Any]:
    """Everything the plan page shows, for a user who sees `scope`: one page (`TREE_PAGE`
    posts, paged by the database) of the posts grouped kecamatan > desa > post with who fills
    each slot; the figures of all they see and where places stay empty, counted by the
    database; the pins, the strength advice and the Linmas roster gaps. A sector chief sees
    the posts whose kecamatan is theirs, reserve teams stationed there included. Only the
    page's posts, people and regions are read row by row. `post` (no page asked): the page
    that holds this post, for a link to one post. `fill_url`: where an empty place asks who
    could fill it (None: the reader may not plan)."""
    posts_qs = scoped_posts(plan, scope)
    ordered = _tree_order(posts_qs)
    if post and not page_number:
        codes = list(ordered.values_list("code", flat=True))
        page_number = str(codes.index(post) // TREE_PAGE + 1) if post in codes else None
    tree_page = Paginator(ordered.values_list("pk", flat=True), TREE_PAGE).get_page(page_number)
    data = plan_rows(plan, chosen=posts_qs.filter(pk__in=list(tree_page.object_list)))
    posts = data["posts"]
    post_name = row_labels(plan, posts)
    for p in posts:
        p["name"] = post_name.get(p["id"], "")
    pin_codes = {str(line.get("person", "")) for line in plan.extra.get("pins", [])}
    people = roster(plan.operation, pin_codes | {a["person"] for a in data["assignments"]}, pinned=True)
    kpu_linmas = "linmas_coordination" in plan.extra
    totals = plan_totals(plan, scope, kpu_linmas, posts=tree_page.paginator.count)
    region_codes = {c for p in posts for c in (p["kecamatan_code"], p["desa_code"])} | totals["codes"]
    region_codes |= {str(line.get("desa_code", "")) for line in plan.extra.get("linmas_coordination", [])}
    region_codes |= {str(v).removeprefix("VILLAGE-") for v in _pin_values(plan, people)}
    regions = plan.operation.regions.filter(code__in=region_codes).order_by()
    names, kecamatan_of = {}, {}
    for code, name, kecamatan in regions.values_list("code", "name", "kecamatan_code"):
        names[code], kecamatan_of[code] = name, kecamatan
    filled: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in data["assignments"]:
        filled[(a["post"], a["slot"])].append(_label(people.get(a["person"]) or _someone(a["person"])))
    missing = {(u["post"], u["slot"]): u["count"] for u in data["unfilled"]}
    visible = set() if scope.whole else set(posts_qs.values_list("code", flat=True))
    return {
        "tree": _tree(posts, filled, missing, names, fill_url),
        "tree_page": tree_page,
        "figures": totals["figures"],
        "headline": totals["headline"],
        "quality": quality(plan.summary),
        "shortfall": _named_shortfall(totals["shortfall"], names),
        "open_all": tree_page.paginator.count < OPEN_ALL_BELOW,
        "pins": pin_list(plan, people, scope, visible, names | _pin_post_names(plan, people)),
        "strength": strength_advice(plan) if scope.whole else None,
        "linmas": _linmas_coordination(plan, scope, names, kecamatan_of),
        "duties": duties_page(plan, scope, totals["figures"]),
    }


def scoped_posts(plan: Plan, scope: Scope | None = None) -> QuerySet[PlanPost]:
    """The posts of a version a scope sees (None: all of them)."""
    posts = PlanPost.objects.filter(plan=plan)
    return posts if scope is None else posts.in_scope(scope)


def _tree_order(posts: QuerySet[PlanPost]) -> QuerySet[PlanPost]:
    """The tree's order, by the database: kecamatan, its desa (posts of no desa last), the
    post's kind (balai desa, TPS, standby, reserve), its first TPS (a post a re-plan made anew
    for a category change stands among its desa's posts, not after them), then as planned.
    `_post_place` orders a page's posts the same way."""
    no_desa = Case(When(desa_code="", then=Value(1)), default=Value(0), output_field=IntegerField())
    kind = Case(
        *(When(kind=k, then=Value(n)) for k, n in KIND_ORDER.items()), default=Value(9), output_field=IntegerField()
    )
    first_tps = Coalesce(Min("tps_rows__tps_code"), Value(""))
    return posts.annotate(no_desa=no_desa, kind_rank=kind, first_tps=first_tps).order_by(
        "kecamatan_code", "no_desa", "desa_code", "kind_rank", "first_tps", "id"
    )


def _post_place(post: dict[str, Any]) -> tuple[int, str]:
    """A post's place among its desa's (`_tree_order`; a stable sort keeps the planned order)."""
    return KIND_ORDER.get(post["kind"], 9), min(post["tps"], default="")


def plan_totals(plan: Plan, scope: Scope | None, kpu_linmas: bool = False, posts: int | None = None) -> dict[str, Any]:
    """The figures, the headline and the shortfall of the posts a scope sees, counted
    by the database: a few GROUP BY queries whatever the size of the plan. Every place of a
    post is filled or left empty, so what a force needs is what is placed plus what is empty.
    With `kpu_linmas` the Linmas' empty places are the KPU's coordination list, not the
    shortfall. `codes`: the regions the shortfall names. `posts`: their number, when the
    caller counted them already."""
    posts_qs = scoped_posts(plan, scope)
    within = {} if scope is None or scope.whole else {"post__in": posts_qs.values("pk")}
    placed: Counter[str] = Counter()
    cost_km = 0.0
    for slot, n, km in (
        PlanAssignment.objects.filter(plan=plan, **within)
        .order_by()
        .values("slot")
        .annotate(n=Count("id"), km=Sum("cost_km"))
        .values_list("slot", "n", "km")
    ):
        placed[slot], cost_km = n, cost_km + (km or 0.0)
    empty_rows = list(
        PlanUnfilled.objects.filter(plan=plan, **within)
        .order_by()
        .values("slot", "post__category", "post__kecamatan_code", "post__desa_code")
        .annotate(n=Sum("count"))
        .values_list("slot", "post__category", "post__kecamatan_code", "post__desa_code", "n")
    )
    empty_by_slot: Counter[str] = Counter()
    empty_by_category: Counter[str] = Counter()
    by: dict[str, Counter[str]] = {k: Counter() for k in ("force", "kecamatan", "desa", "category")}
    for slot, category, kecamatan, desa, n in empty_rows:
        empty_by_slot[slot] += n
        empty_by_category[category] += n
        if kpu_linmas and slot == "LINMAS":
            continue
        by["force"][slot] += n
        by["kecamatan"][kecamatan] += n
        by["desa"][desa] += n
        by["category"][category] += n
    short = PlanUnfilled.objects.filter(plan=plan, count__gt=0, **within).values("post_id")
    tps_rows = PlanTps.objects.filter(plan=plan, post__isnull=False, **within).order_by()
    tps_counts = tps_rows.aggregate(
        all=Count("id"),
        at_tps_posts=Count("id", filter=Q(post__kind="TPS")),
        covered=Count("id", filter=Q(post__kind="TPS") & ~Q(post_id__in=short)),
    )
    below: dict[str, dict[str, int]] = defaultdict(dict)
    below_slots: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for post_id, slot, n in (
        PlanUnfilled.objects.filter(plan=plan, **within)
        .exclude(slot="LINMAS" if kpu_linmas else "")
        .order_by("id")
        .values_list("post_id", "slot", "count")
    ):
        below_slots[post_id].append((slot, n))
    for post_id, tps_code in (
        tps_rows.filter(post_id__in=list(below_slots)).order_by("id").values_list("post_id", "tps_code")
    ):
        for slot, n in below_slots[post_id]:
            below[tps_code][slot] = n
    assigned, unfilled = sum(placed.values()), sum(empty_by_slot.values())
    figures = {
        "posts": posts_qs.count() if posts is None else posts,
        "tps": tps_counts["all"],
        "slots": assigned + unfilled,
        "assigned": assigned,
        "unfilled": unfilled,
        "cost_km": round(cost_km, 6),
    }
    needed = placed + empty_by_slot
    return {
        "figures": figures,
        "headline": {
            "tps": tps_counts["at_tps_posts"],
            "tps_covered": tps_counts["covered"],
            "forces": [{"slot": s, "placed": placed[s], "needed": needed[s]} for s in SLOTS if needed[s]],
            "empty": [(c, empty_by_category[c]) for c in CATEGORY_ORDER if empty_by_category[c]],
            "empty_total": sum(empty_by_category.values()),
            "cost_km": round(cost_km, 1),
        },
        "shortfall": {
            "total": sum(by["force"].values()),
            "by_force": sorted(by["force"].items(), key=lambda kv: SLOTS.index(kv[0]) if kv[0] in SLOTS else 9),
            "by_kecamatan": sorted(by["kecamatan"].items()),
            "by_desa": sorted(by["desa"].items()),
            "by_category": sorted(by["category"].items()),
            "tps_below_pattern": sorted((t, sorted(slots.items())) for t, slots in below.items()),
        },
        "codes": set(by["kecamatan"]) | set(by["desa"]),
    }


def _named_shortfall(shortfall: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    def named(pairs: list[tuple[str, int]]) -> list[tuple[str, str, int]]:
        return [(code, names.get(code, code or "-"), n) for code, n in pairs]

    below = shortfall["tps_below_pattern"]
    # a Polres may hold a thousand TPS below the pattern: their rows joined here, escaped,
    # rather than template nodes for each TPS and force (issue 18)
    rows = "".join(
        f'<tr><td class="tps-list">{quoted(tps)}</td><td>{quoted(", ".join(f"{s} −{n}" for s, n in slots))}</td></tr>'
        for tps, slots in below
    )
    return shortfall | {
        "by_kecamatan": named(shortfall["by_kecamatan"]),
        "by_desa": named(shortfall["by_desa"]),
        "below_count": len(below),
        "below_rows": mark_safe(rows),  # noqa: S308  (every value escaped above)
    }


def _pin_values(plan: Plan, people: dict[str, dict[str, str]]) -> set[str]:
    lines = {str(line.get("pin", "")) for line in plan.extra.get("pins", []) if line.get("kind") != ROSTER}
    return lines | {p["pinned_post"] for p in people.values() if p["pinned_post"]}


def _pin_post_names(plan: Plan, people: dict[str, dict[str, str]]) -> dict[str, str]:
    """The posts the pins name (pinned, or where a pin held), by the name a person reads."""
    held = {str(line.get("post", "")) for line in plan.extra.get("pins", [])}
    return post_labels(plan, _pin_values(plan, people) | held)


SHORT_SHOWN = 100  # shortfall lines listed on the page; the plan file holds them all


def duties_page(
    plan: Plan, scope: Scope, vote: dict[str, float] | None = None, at_vote: list[str] | None = None
) -> dict[str, Any] | None:
    """The duties beyond the vote, by stage, for what the reader sees (a sector chief: his
    kecamatan's PPK, PPS, escorts and patrols; the Polres's offices and warehouse only for the
    whole Polres): their places, who fills them, what stays empty where and when and in which
    hours, and the duty hours per person against the fatigue limit. None for a plan without
    a roster (made before rosters)."""
    data = plan.extra.get("roster")
    if not data or scope.nothing or scope.person is not None:
        return None
    r = duty_roster.from_json(data)
    mine = [d for d in r.duties if scope.whole or d.kecamatan_code == scope.kecamatan]
    ids = {d.id for d in mine}
    filled = Counter(a.post for a in r.assignments if a.post in ids)
    empty = Counter[str]()
    for u in r.unfilled:
        if u.post in ids:
            empty[u.post] += u.count
    stages: dict[tuple[str, bool], dict[str, Any]] = {}  # (stage, the vote's posts)
    for d in mine:
        blank = {"name": d.stage, "start": d.start, "end": d.end, "duties": 0, "places": 0, "filled": 0, "empty": 0}
        row = stages.setdefault((d.stage, False), blank)
        row["start"], row["end"] = min(row["start"], d.start), max(row["end"], d.end)
        row["duties"] += 1
        row["places"] += sum(d.required.values())
        row["filled"] += filled[d.id]
        row["empty"] += empty[d.id]
    if vote is not None:  # the vote's posts: their own row and name, from the apel pergeseran to the end of the count
        stages[(duty_data.VOTE_POSTS, True)] = {
            "name": duty_data.VOTE_POSTS,
            "start": r.vote_start,
            "end": r.vote_end,
            "duties": vote["posts"],
            "places": vote["slots"],
            "filled": vote["assigned"],
            "empty": vote["unfilled"],
            "vote": True,
        }
    _stage_windows(plan, stages.values())
    shorts = duty_roster.shortfall(r, None if scope.whole else [scope.kecamatan or ""])
    hours = _short_hours(duty_roster.short_by_hour(shorts))
    return {
        "stages": sorted(stages.values(), key=lambda x: (x["start"], not x.get("vote"), x["name"])),
        "short": [
            {
                "duty": duty_data.duty_name(s.duty.name, reader_lang()),
                "stage": s.duty.stage,
                "window": stage_data.window_text(s.duty.start, s.duty.end),
                "count": s.count,
                "slot": label(FORCE_LABELS, s.slot),
            }
            for s in shorts[:SHORT_SHOWN]
        ],
        "short_total": sum(s.count for s in shorts),
        "short_more": max(0, len(shorts) - SHORT_SHOWN),
        "hours": hours,
        "fatigue": _fatigue(plan, r, at_vote) if scope.whole else None,
    }


def _stage_windows(plan: Plan, rows: Iterable[dict[str, Any]]) -> None:
    """Each row's `window`: its stage's own, as the dashboard and the Sprin write it (the
    operation's stages, `operation_stages`), and `duty_window`, when its duties run in a part of
    it only (the escorts after the count); the vote's posts' row has the window of its duty."""
    known = {s.name: s for s in operation_stages(plan.operation)[0]}
    for row in rows:
        stage = None if row.get("vote") else known.get(row["name"])
        duties = stage_data.window_text(row["start"], row["end"])
        if stage is not None:
            row["start"], row["end"] = stage.start, stage.end
        row["window"] = stage_data.window_text(row["start"], row["end"])
        row["duty_window"] = "" if duties == row["window"] else duties


def why_empty(plan: Plan, scope: Scope, vote: bool = False) -> list[dict[str, str]]:
    """Each group of the roster's empty places the reader sees (one force, one window), or with
    `vote` of the vote's posts (one force; a Linmas's by desa), why and what the planner can
    do, in the reader's language: counted from the plan and the operation's people as they are
    now (`vacancy.explain`, `vacancy.explain_vote`). It reads the whole operation and takes
    about a second for a 2,000-TPS Polres, so the plan page loads it after itself."""
    if scope.nothing or scope.person is not None:
        return []
    kecamatan = None if scope.whole else [scope.kecamatan or ""]
    if vote:
        if not plan.summary.get("unfilled"):
            return []
        groups = vacancy.explain_vote(scenario_for(plan.operation), core_plan(plan), kecamatan)
        lang = reader_lang()
        return [dict(zip(("why", "todo"), vacancy.text(g, lang), strict=True)) for g in groups[:SHORT_SHOWN]]
    data = plan.extra.get("roster")
    if not data:
        return []
    r = duty_roster.from_json(data)
    if not r.unfilled:
        return []
    groups = vacancy.explain(scenario_for(plan.operation), core_plan(plan), r, kecamatan)
    lang = reader_lang()
    return [dict(zip(("why", "todo"), vacancy.text(g, lang), strict=True)) for g in groups[:SHORT_SHOWN]]


def _short_hours(by_hour: list[tuple[Any, dict[str, int]]]) -> list[dict[str, Any]]:
    """Consecutive hours with the same empty places, as one line: "15 Feb 08.00-20.00: TNI 14"."""
    lines: list[dict[str, Any]] = []
    for hour, slots in by_hour:
        what = ", ".join(f"{label(FORCE_LABELS, s)} {slots[s]}" for s in SLOTS if slots.get(s))
        last = lines[-1] if lines else None
        if last and last["what"] == what and last["end"] == hour:
            last["end"] = hour + timedelta(hours=1)
        else:
            lines.append({"start": hour, "end": hour + timedelta(hours=1), "what": what})
    for line in lines:
        line["window"] = stage_data.window_text(line["start"], line["end"])
    return lines


def _fatigue(plan: Plan, r: duty_roster.Roster, at_vote: list[str] | None = None) -> dict[str, Any]:
    """Duty hours per person over the operation against the limit the roster was made with
    (`at_vote`: who holds a post of the vote, when the caller has them)."""
    if at_vote is None:
        at_vote = list(plan.assignments.order_by().values_list("person_code", flat=True))
    hours = duty_roster.duty_hours(r, at_vote)
    limit = float(r.settings.get("max_total_hours", 0) or 0)
    return {
        # on no post at the vote, and on a duty of another stage: not idle, as "tanpa pos" might read
        "beyond_vote": len({a.person for a in r.assignments} - set(at_vote)),
        "people": len(hours),
        "most": max(hours.values(), default=0.0),
        "limit": limit,
        "above": sum(1 for h in hours.values() if limit and h > limit + 1e-9),
        "rest": r.settings.get("min_rest_hours"),
        "longest": r.settings.get("max_duty_hours"),
    }


def figures(plan: Plan, scope: Scope) -> dict[str, float]:
    """The counts of the part of a version a user sees (by the database)."""
    figures: dict[str, float] = plan_totals(plan, scope)["figures"]
    return figures


def seen_figures(plans: Iterable[Plan], scope: Scope) -> list[tuple[Plan, dict[str, Any]]]:
    """Each version with the empty slots and km of the part its reader sees, as his plan page
    counts them (a sector chief: his kecamatan's posts; the Polres: the version's summary): a
    version list never shows a sector chief the Polres's totals. `duty_short`: the empty places
    of the other stages' duties (`duty_short_total`)."""
    rows = []
    for plan in plans:
        summary = plan.summary if scope.whole else figures(plan, scope)
        seen = {"unfilled": summary.get("unfilled", 0), "cost_km": summary.get("cost_km", 0.0)}
        rows.append((plan, seen | {"duty_short": duty_short_total(plan, scope)}))
    return rows


def duty_short_total(plan: Plan, scope: Scope) -> int | None:
    """The places of the duties beyond the vote's posts (escorts, guards, PPK) left empty in the
    part the reader sees: the plan page's "tempat kosong di luar TPS" (`duties_page`'s
    `short_total`), counted on the roster as kept, without building it. None where the plan
    page shows no duties (a version made before rosters)."""
    data = plan.extra.get("roster")
    if not data or scope.nothing or scope.person is not None:
        return None
    kecamatan = {str(d["id"]): d.get("kecamatan_code", "") for d in data.get("duties", [])}
    return sum(
        int(u["count"])
        for u in data.get("unfilled", [])
        if u["duty"] in kecamatan and (scope.whole or kecamatan[u["duty"]] == scope.kecamatan)
    )


CATEGORY_ORDER = ("KHUSUS", "SANGAT_RAWAN", "RAWAN", "KURANG_RAWAN")
OPTIMAL_KM = 0.5  # a gap below half a kilometre is rounding in the flow's integer costs: optimal
MOSTLY_EMPTY = 0.9  # a gap whose empty places (UNFILLED_KM each) make this share of it is "almost all" places


def optimality(summary: dict[str, Any], roster: dict[str, Any] | None = None) -> dict[str, Any]:
    """The optimiser's proof in words, for each part it is about. `vote`: the vote's posts
    (TPS posts and the other posts of the vote day; the plan's summary). `whole`, with a
    roster: the whole operation, the vote's posts and the other stages' duties together (the
    roster's objective and bound include the vote's). Each part "optimal" when its objective
    meets its proven lower bound (within rounding), else how far at most a better plan could
    be; `empty_places` (whole only): how many empty places, counted `UNFILLED_KM` each, make
    almost all of the gap beyond the vote's own (0: they do not), since the whole's bound
    treats every person as free for the other stages' waves."""
    vote = _proof(summary.get("objective"), summary.get("lower_bound"))
    if vote is None:
        return {"known": False}
    whole = _proof(roster.get("objective"), roster.get("lower_bound")) if roster else None
    if whole is not None:
        whole["empty_places"] = _empty_places(max(whole["gap_km"] - vote["gap_km"], 0.0), whole["gap_km"])
    # at the vote an empty place counts its category's weight x UNFILLED_KM: whether, not how many
    vote["mostly_empty"] = bool(_empty_places(vote["gap_km"], vote["gap_km"]))
    return {"known": True, "vote": vote, "whole": whole}


def _empty_places(part: float, gap: float) -> int:
    """How many places at `UNFILLED_KM` each `part` of a gap is, when they make almost all of
    the gap (`MOSTLY_EMPTY`); else 0."""
    places = round(part / UNFILLED_KM)
    return places if places and places * UNFILLED_KM >= MOSTLY_EMPTY * gap else 0


def _proof(objective: float | None, bound: float | None) -> dict[str, Any] | None:
    if objective is None or bound is None:
        return None
    gap = max(float(objective) - float(bound), 0.0)
    return {"objective": float(objective), "bound": float(bound), "gap_km": gap, "optimal": gap < OPTIMAL_KM}


# The optimiser's figures by what they are about, in the words of the plan page, the version
# comparison and the audit alike: the plan's summary is the vote's posts; its roster the whole.
FIGURE_WORDS = {
    "objective": gettext_lazy("nilai tujuan pos pemungutan suara"),
    "lower_bound": gettext_lazy("batas bawah terbukti pos pemungutan suara"),
    "whole_objective": gettext_lazy("nilai tujuan seluruh operasi"),
    "whole_lower_bound": gettext_lazy("batas bawah terbukti seluruh operasi"),
}


def whole_figures(plan: Plan) -> dict[str, float | None]:
    """The whole operation's objective and proven lower bound (the roster's; None without one)."""
    roster = plan.extra.get("roster") or {}
    return {"whole_objective": roster.get("objective"), "whole_lower_bound": roster.get("lower_bound")}


def slot_candidates(plan: Plan, post: str, slot: str, limit: int = 8) -> dict[str, Any]:
    """Who could fill one empty place of a post (`core_planning.candidates`): rank, name, unit
    and the distance, nearest first; and the post by the name a person reads."""
    scenario = scenario_for(plan.operation)
    core = core_plan(plan)
    found = core_planning.candidates(scenario, core, [(post, slot)], limit)[(post, slot)]
    people = roster(plan.operation)
    names = post_names(scenario, core.posts, reader_lang())
    return {
        "post": post,
        "post_name": names.get(post, ""),
        "slot": slot,
        "people": [{**(people.get(code) or _someone(code)), "km": km} for code, km in found],
    }


POST_NAMES_KEPT = 3600  # seconds; a version's posts never change, its region names rarely


def post_name_list(plan: Plan) -> dict[str, str]:
    """Every post of the version by the name a person reads (in the page's language), post id
    -> name; worked out once an hour per version and language (it reads the whole operation)."""
    lang = reader_lang()
    key = f"siaga:post-names:{plan.pk}:{plan.digest}:{lang}"
    names = cache.get(key)
    if names is None:
        names = post_names(scenario_for(plan.operation), core_plan(plan).posts, lang)
        cache.set(key, names, POST_NAMES_KEPT)
    return dict(names)


def people_matching(plan: Plan, typed: str, limit: int, placed_only: bool = False) -> list[dict[str, str]]:
    """The operation's people whose name or NRP/NIK holds `typed` (two letters at least), with
    what a planner reads to tell them apart: rank, name, unit and where the version puts them.
    With `placed_only`, only the people this version places (the re-plan's absentees)."""
    typed = typed.strip()
    if len(typed) < 2:
        return []
    people = plan.operation.personnel.filter(Q(name__icontains=typed) | Q(code__startswith=typed))
    if placed_only:
        people = people.filter(code__in=plan.assignments.values("person_code"))
    found = people.order_by("name", "code").values_list("code", "name", "rank", "force", "unit_code", "position")
    found = found[:limit]
    rows = list(found)
    units = dict(plan.operation.units.filter(code__in={r[4] for r in rows}).values_list("code", "name"))
    posts = dict(plan.assignments.filter(person_code__in=[r[0] for r in rows]).values_list("person_code", "post__code"))
    names = post_name_list(plan) if posts else {}
    away = core_planning.absentees(plan)  # the version's apel absentees: never placed by hand
    return [
        {
            "value": code,
            "label": " · ".join(
                part
                for part in (
                    f"{rank} {name}".strip(),
                    str(FORCE_LABELS.get(force, force)),
                    units.get(unit, ""),
                    names.get(posts[code], "")
                    if code in posts
                    else _("tidak hadir di apel")
                    if code in away
                    else _unplaced(position),
                )
                if part
            ),
        }
        for code, name, rank, force, unit, position in rows
    ]


def _unplaced(position: str) -> str:
    """Why a person has no post in the version: command and staff are never put on one."""
    if is_command(position):
        return _("%(position)s: komando/staf, tidak ditempatkan di pos") % {"position": position}
    return _("tanpa pos")


def replan_choices(plan: Plan) -> dict[str, Any]:
    """What the re-plan form picks from: one datalist of the operation's TPS (value the TPS
    code, label its number and desa) shared by the category-change fields, and the categories'
    words. The absentees are not listed: the form searches the people this version places
    (`people_matching` with `placed_only`), so a 2,000-TPS plan page stays light (issue 18)."""
    desa = dict(plan.operation.regions.values_list("code", "name"))
    tps = plan.operation.tps_set.order_by("desa_code", "number").values_list("code", "number", "desa_code")
    called = _("TPS %(n)02d %(desa)s")
    named = ((code, called % {"n": n, "desa": desa.get(d, d)}) for code, n, d in tps)
    # Thousands of options joined here, escaped, rather than one template node each.
    tps_options = "".join(f'<option value="{quoted(code)}">{quoted(name)}</option>' for code, name in named)
    return {
        "tps_options": mark_safe(tps_options),  # noqa: S308  (every value escaped above)
        "category_choices": [(c, str(CATEGORY_LABELS.get(c, c))) for c in reversed(CATEGORY_ORDER)],
    }


def name_options(names: list[str]) -> str:
    """A datalist's options for these names, escaped, as one string (see `replan_choices`)."""
    return mark_safe("".join(f'<option value="{quoted(name)}">' for name in names))  # noqa: S308


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
    filled: dict[tuple[str, str], list[str]],
    missing: dict[tuple[str, str], int],
    names: dict[str, str],
    fill_url: str | None,
) -> list[dict[str, Any]]:
    """Kecamatan > desa > the rows of their posts. A page of 300 posts holds thousands of
    cells and people: each desa's rows are one piece of escaped HTML made here, not a
    template node per cell (issue 18: the plan page of a 2,000-TPS Polres under 300 ms)."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for p in posts:
        groups[p["kecamatan_code"]][p["desa_code"]].append(p)
    words = _tree_words(fill_url)
    tree = []
    for kec_code in sorted(groups):
        desa_list: list[dict[str, Any]] = []
        for desa_code in sorted(groups[kec_code], key=lambda c: (c == "", c)):
            members = sorted(groups[kec_code][desa_code], key=_post_place)
            slots = [s for s in SLOTS if any(p["required"].get(s) for p in members)]
            html, tps, required, short = [], 0, 0, 0
            for p in members:
                row, counts = _post_row(p, slots, filled, missing, words)
                html.append(row)
                tps, required, short = tps + counts[0], required + counts[1], short + counts[2]
            kinds = {p["kind"] for p in members}
            desa_list.append(
                {
                    "code": desa_code,
                    "name": names.get(desa_code, desa_code),
                    "kinds": "".join(sorted(kinds)) if len(kinds) == 1 else "MIXED",
                    "slots": slots,
                    "count": len(members),
                    "rows": mark_safe("\n".join(html)),  # noqa: S308  (every value escaped in _post_row)
                    "tps": tps,
                    "required": required,
                    "missing": short,
                }
            )
        tree.append(
            {
                "code": kec_code,
                "name": names.get(kec_code, kec_code),
                "desa": desa_list,
                "posts": sum(d["count"] for d in desa_list),
                "missing": sum(d["missing"] for d in desa_list),
            }
        )
    return tree


def _tree_words(fill_url: str | None) -> dict[str, str]:
    """The tree's fixed words, translated and escaped once for a page."""
    kinds = {
        "TPS": _("pos TPS"),
        "PATROL": _("pos patroli"),
        "VILLAGE": _("pos desa"),
        "STANDBY": _("pos siaga TNI"),
        "RESERVE": _("tim cadangan"),
    }
    words = {f"kind:{k}": quoted(v) for k, v in kinds.items()}
    words |= {f"category:{c}": quoted(str(CATEGORY_LABELS.get(c, c))) for c in CATEGORY_ORDER}
    if fill_url is not None:
        ask, loading = quoted(_("siapa bisa mengisi slot ini")), quoted(_("memuat…"))
        words["fill_url"] = quoted(fill_url)
        words["fill_rest"] = (
            'hx-trigger="toggle once" hx-target="find .candidates">'
            f'<summary>{ask}</summary><div class="candidates"><span class="muted">{loading}</span></div></details>'
        )
    return words


def _post_row(
    post: dict[str, Any],
    slots: list[str],
    filled: dict[tuple[str, str], list[str]],
    missing: dict[tuple[str, str], int],
    words: dict[str, str],
) -> tuple[str, tuple[int, int, int]]:
    """One post as the page prints it (its table row), and its TPS, places and empty places."""
    code = post["id"]
    cells = []
    empty = 0
    for s in slots:
        required = post["required"].get(s, 0)
        if not required:
            cells.append('<td><span class="muted">–</span></td>')
            continue
        people = filled.get((code, s), [])
        short = missing.get((code, s), 0)
        empty += short
        fill = f'<span class="fill">{len(people)}/{required}</span>'
        if not short:
            cells.append(f"<td>{fill}<ul>{''.join(people)}</ul></td>")
            continue
        ask = ""
        if "fill_url" in words:
            where = f"{words['fill_url']}?post={quoted(quote(code))}&amp;slot={quoted(quote(s))}"
            ask = f'<details class="fill-slot" hx-get="{where}" {words["fill_rest"]}'
        held = "".join(people)
        cells.append(f'<td class="short">{fill} <span class="missing">−{short}</span><ul>{held}</ul>{ask}</td>')
    kind = "PATROL" if post["kind"] == "TPS" and code.startswith("PATROL-") else post["kind"]
    category = post["category"]
    row = (
        f'<tr id="{quoted(code)}"><td><strong class="post-name">{quoted(post.get("name") or code)}</strong><br>'
        f'<span class="kind">{words.get(f"kind:{kind}", words["kind:RESERVE"])}</span></td>'
        f'<td><span class="badge {quoted(category)}">{words.get(f"category:{category}", quoted(category))}</span></td>'
        f'<td class="tps-list">{quoted(", ".join(post["tps"]))}</td>{"".join(cells)}</tr>'
    )
    return row, (len(post["tps"]), sum(post["required"].values()), empty)


# ---------------------------------------------------------------- pins, strength, Linmas roster


def pin_words(value: str, kind: str = "", names: dict[str, str] | None = None) -> str:
    """What a pin decides, in the reader's words: from the plan's pin line (`kind`) or from a
    `pinned_post` value alone; a balai desa post by its desa's name when `names` has it."""
    if kind == ROSTER:
        return _("SK PPS: TPS %(tps)s") % {"tps": value}
    parsed = pins.parse(value)
    kind = kind or (parsed.kind if parsed is not None else "")
    if kind == pins.STAFF:
        return _("staf (tidak di pos)")
    if kind == pins.NOT_DEPLOYED:
        return _("tidak diturunkan")
    desa = value.removeprefix("VILLAGE-")
    if names and value in names and desa == value:  # a post by the name a person reads
        return names[value]
    if names and desa in names:
        return _("balai desa %(desa)s") % {"desa": names[desa]}
    if pins.is_post_id(value) or value.startswith("PATROL-"):
        return _("pos %(post)s") % {"post": value}
    return _("TPS %(tps)s") % {"tps": value}


def pin_state(line: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """Whether a plan's pin line held (where: by the post's name in `names`), and if not why."""
    if line.get("held"):
        post = line.get("post")
        return _("berlaku di %(post)s") % {"post": (names or {}).get(post, post)} if post else _("berlaku")
    problem = str(line.get("problem", ""))
    return _("tidak berlaku: %(why)s") % {"why": PIN_PROBLEMS.get(problem, problem or "?")}


def pin_list(
    plan: Plan, people: dict[str, dict[str, str]], scope: Scope, visible: set[str], names: dict[str, str]
) -> dict[str, Any]:
    """The planner's pins of this version (plan key "pins"), each with whether it held, beside
    the pins set or lifted on the personnel rows since (they take effect at the next plan or
    re-plan); and apart, the Linmas of the PPS decree (kind ROSTER). A sector chief sees the
    pins of the people of their kecamatan and of the posts they see."""
    lines = plan.extra.get("pins", [])
    version = {line["person"]: line for line in lines if line.get("kind") != ROSTER}
    now = {code: p for code, p in people.items() if p["pinned_post"]}

    def seen(code: str, line: dict[str, Any] | None) -> bool:
        """Whole scope; a person of the sector; or a pin whose post (held, or pinned since) it sees."""
        person = people.get(code)
        mine = person is not None and scope.sees_kecamatan(person["kecamatan"])
        posts = {line.get("post")} if line is not None else set()
        if code in now:
            posts.add(now[code]["pinned_post"])
        return scope.whole or mine or bool(posts & visible)

    rows = []
    for code in sorted(version.keys() | now.keys()):
        line, person = version.get(code), people.get(code) or _someone(code)
        if not seen(code, line):
            continue
        row: dict[str, Any] = {"person": person, "pinned": code in now}
        if line is not None and code in now and now[code]["pinned_post"] == line["pin"]:
            held = bool(line.get("held"))
            row |= {
                "what": pin_words(str(line["pin"]), str(line.get("kind", "")), names),
                "reason": line.get("reason") or "",
            }
            row |= {"state": "held" if held else "not_held", "note": pin_state(line, names)}
        elif code in now:
            row |= {"what": pin_words(person["pinned_post"], "", names), "reason": person["pin_reason"]}
            row["state"] = "pending"
            row["note"] = _("baru: berlaku pada perencanaan atau susun ulang berikutnya")
        else:
            assert line is not None
            row |= {
                "what": pin_words(str(line["pin"]), str(line.get("kind", "")), names),
                "reason": line.get("reason") or "",
            }
            row |= {"state": "lifted", "note": _("dilepas: tidak berlaku lagi mulai perencanaan berikutnya")}
        rows.append(row)
    roster_lines: list[dict[str, Any]] = [
        {
            "person": people.get(line["person"]) or _someone(line["person"]),
            "what": pin_words(str(line["pin"]), ROSTER),
            "held": bool(line.get("held")),
            "note": pin_state(line),
        }
        for line in lines
        if line.get("kind") == ROSTER and seen(line["person"], line)
    ]
    roster_lines.sort(key=lambda r: (r["held"], r["person"]["code"]))
    return {
        "rows": rows,
        "roster": roster_lines[:ROSTER_SHOWN],
        "roster_more": max(len(roster_lines) - ROSTER_SHOWN, 0),
        "roster_held": sum(1 for r in roster_lines if r["held"]),
        "roster_not_held": sum(1 for r in roster_lines if not r["held"]),
    }


def strength_advice(plan: Plan) -> dict[str, Any] | None:
    """The plan's strength report (plan key "strength") when it has advice to give: the pattern
    gives every category the same strength while Polri stay idle. What the advice offers: the
    idle Polri as `per_post` more on each sangat rawan and khusus TPS post, and the stronger
    preset by name when there is one."""
    strength = plan.extra.get("strength")
    if not strength:
        return None
    idle = {force: int(n) for force, n in dict(strength.get("idle", {})).items()}
    if not (strength.get("uniform") and idle.get("POLRI")):
        return None
    per_post, posts = int(strength.get(REINFORCE) or 0), int(strength.get("sangat_rawan_posts") or 0)
    return {
        "idle_polri": idle["POLRI"],
        "idle_total": sum(idle.values()),
        "per_post": per_post,
        "posts": posts,
        "total": per_post * posts,
        "preset": str(strength.get("stronger_pattern") or ""),
        "current": int(plan.operation.config.get(REINFORCE) or 0),
    }


def _linmas_coordination(
    plan: Plan, scope: Scope, names: dict[str, str], kecamatan_of: dict[str, str]
) -> list[dict[str, Any]]:
    """The TPS whose Linmas roster in the PPS decree is short of the pattern (plan key
    "linmas_coordination"): a list for the KPU/PPS, by desa; not the Polres's shortfall."""
    rows = []
    for line in plan.extra.get("linmas_coordination", []):
        desa = str(line.get("desa_code", ""))
        if not scope.sees_kecamatan(kecamatan_of.get(desa, "")):
            continue
        needed, named = int(line.get("needed", 0)), int(line.get("named", 0))
        rows.append(
            {
                "desa": names.get(desa, desa),
                "desa_code": desa,
                "post": line.get("post", ""),
                "tps": ", ".join(line.get("tps", [])),
                "needed": needed,
                "named": named,
                "missing": max(needed - named, 0),
            }
        )
    rows.sort(key=lambda r: (r["desa"], r["tps"]))
    return rows


def diff_page(old: Plan, new: Plan, scope: Scope) -> dict[str, Any]:
    """`diff` with names: who moved from which post and slot to which, as the user may see it."""
    changes = diff(old, new)
    kecamatan = dict(old.posts.values_list("code", "kecamatan_code"))
    kecamatan.update(new.posts.values_list("code", "kecamatan_code"))

    def seen(post: str | None) -> bool:
        return post is not None and scope.sees_kecamatan(kecamatan.get(post, ""))

    people = roster(new.operation)
    names = dict(new.operation.regions.order_by().values_list("code", "name"))
    posts = operation_post_labels(new.operation_id, kecamatan)

    # A re-plan that changes a TPS's category makes its post anew under the same name: a post
    # "removed" and one "added" with one name are one post whose category changed.
    old_category = dict(old.posts.values_list("code", "category"))
    new_category = dict(new.posts.values_list("code", "category"))
    same = compare.same_posts(
        {p: posts.get(p, p) for p in changes["posts_removed"] if seen(p)},
        {p: posts.get(p, p) for p in changes["posts_added"] if seen(p)},
    )
    was = {gone: p for p, gone in same.items()}
    stayed = compare.kept_in_place(changes["moved"], same)  # the same place, its post renamed: no move

    def place(line: Any, category: dict[str, str]) -> tuple[str, str] | None:
        """(post, slot) as a person reads them: the post's name (with its category where a
        post of that name changed category) and the force."""
        if not line:
            return None
        name = posts.get(line[0], line[0])
        if line[0] in same or line[0] in was:
            name = f"{name} ({label(CATEGORY_LABELS, category.get(line[0], ''))})"
        return (name, label(FORCE_LABELS, line[1]))

    def shown(code: str) -> dict[str, str]:
        person = people.get(code) or _someone(code)
        number = linmas.shown(str(person.get("code", "")), str(person.get("force", "")))  # a Linmas NIK masked
        return person | {"shown_code": number}

    moved = [
        {"person": shown(code), "before": place(before, old_category), "after": place(after, new_category)}
        for code, before, after in changes["moved"]
        if code not in stayed and (seen(before and before[0]) or seen(after and after[0]))
    ]
    relabelled = sum(1 for code, before, _after in changes["moved"] if code in stayed and seen(before and before[0]))

    def pin_row(change: dict[str, Any]) -> dict[str, Any] | None:
        person = shown(change["person"])
        lines = [line for line in (change["before"], change["after"]) if line is not None]
        if not (scope.sees_kecamatan(person["kecamatan"]) or any(seen(line.get("post")) for line in lines)):
            return None

        def told(line: dict[str, Any] | None) -> dict[str, str] | None:
            if line is None:
                return None
            return {"what": pin_words(str(line["pin"]), str(line.get("kind", "")), names), "state": pin_state(line)}

        return {"person": person, "before": told(change["before"]), "after": told(change["after"])}

    pin_changes = {key: [row for row in map(pin_row, rows) if row is not None] for key, rows in changes["pins"].items()}
    summary = changes["summary"] if scope.whole else _sector_summary(old, new, scope)
    if scope.whole:  # the whole operation's figures too, as the plan page names them (FIGURE_WORDS)
        before, after = whole_figures(old), whole_figures(new)
        summary += [(k, before[k], after[k]) for k in before if before[k] is not None or after[k] is not None]
    return {
        "moved": moved,
        "relabelled": relabelled,  # people on a post renamed by its category only: not in `moved`
        "posts_added": [posts.get(p, p) for p in changes["posts_added"] if seen(p) and p not in same],
        "posts_removed": [posts.get(p, p) for p in changes["posts_removed"] if seen(p) and p not in was],
        "posts_recategorised": [
            {
                "name": posts.get(p, p),
                "before": label(CATEGORY_LABELS, old_category.get(gone, "")),
                "after": label(CATEGORY_LABELS, new_category.get(p, "")),
            }
            for p, gone in same.items()
            if old_category.get(gone) != new_category.get(p)
        ],
        "summary": summary,
        "pins": pin_changes,
    }


def _sector_summary(old: Plan, new: Plan, scope: Scope) -> list[tuple[str, float, float]]:
    before, after = figures(old, scope), figures(new, scope)
    return [(k, before[k], after[k]) for k in ("assigned", "unfilled", "cost_km")]


SIMULATION_RUNS = (100, 1_000, 5_000)  # the days a reader may ask for


def simulation_page(plans: list[Plan], runs: int, seed: int, scope: Scope) -> dict[str, Any]:
    """The stress test of one version, or two on the same days (`siaga.core.planning.simulate`):
    response minutes overall, by category (the whole Polres) and by kecamatan (a sector chief:
    his own), waits, saturation, the TPS with the longest worst case."""
    operation = plans[0].operation
    scenario = scenario_for(operation)
    reports = simulation.compare(scenario, [core_plan(p) for p in plans], runs, seed)
    names = dict(operation.regions.order_by().values_list("code", "name"))
    first = reports[0]
    rows: list[dict[str, Any]] = []
    if scope.whole:
        rows.append({"label": _("Semua kejadian"), "cells": [r.overall for r in reports]})
        rows += [
            {"label": label(CATEGORY_LABELS, c), "cells": [r.by_category[c] for r in reports]}
            for c in first.by_category
            if any(r.by_category[c].count for r in reports)
        ]
        rows += [
            {
                "label": _("Berat (Brimob PHH)") if k == "berat" else _("Sedang (Dalmas)"),
                "cells": [r.by_severity[k] for r in reports],
            }
            for k in first.by_severity
        ]
    empty = simulation.Stats(0, 0.0, 0.0, 0.0)
    for code in first.by_kecamatan:
        if scope.sees_kecamatan(code):
            rows.append(
                {"label": f"Kec. {names.get(code, code)}", "cells": [r.by_kecamatan.get(code, empty) for r in reports]}
            )
    return {
        "versions": [p.version for p in plans],
        "runs": first.runs,
        "seed": first.seed,
        "incidents": first.incidents,
        "dispatched": first.dispatched,
        "rows": rows,
        "reports": reports,
        "worst": [(p.version, r.worst_tps) for p, r in zip(plans, reports, strict=True)],
        "whole": scope.whole,
    }


def categories_to_sign(plan: Plan) -> dict[str, Any]:
    """What the commander signs: the version's TPS by category, how many of them were set by
    hand, and how many differ from the category in the data (the vulnerability page's)."""
    in_plan = dict(plan.tps_rows.values_list("tps_code", "category"))
    data = dict(plan.operation.tps_set.values_list("code", "effective_category"))
    by_hand = dict(plan.operation.tps_set.exclude(category="").values_list("code", "category"))
    counts = Counter(in_plan.values())
    return {
        "counts": [(word, counts.get(code, 0)) for code, word in CATEGORY_LABELS.items()],
        "by_hand": sum(by_hand.get(code) == category for code, category in in_plan.items()),
        "differ": sum(data.get(code) != category for code, category in in_plan.items()),
    }
