"""The day's pages: the pergeseran board by kecamatan (and the escort runs' states and flags),
the post leader's phone page (with the forms of their escort runs and guarded places), the
incident list with its workflow, the live dashboard and the post-operation report (PDF).

Reads only here: every write goes through the JSON API (`siaga.field.api`) with an
idempotency key, from the phone page's queue or the incident page's buttons.
"""

from __future__ import annotations

import datetime as dt
from html import escape as quoted  # what Django's escape does, on plain text, without its wrapping
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from siaga.accounts.models import Role
from siaga.accounts.roles import role_of
from siaga.accounts.scope import Scope, operations_for, require_export
from siaga.core.documents import pdf
from siaga.field import services
from siaga.field.models import Delegation, Incident, PostStatus, TpsEvent
from siaga.field.services import clock
from siaga.field.services import taxonomy as words
from siaga.field.services.custody import ENTRY_KINDS, PADLOCKS
from siaga.field.services.duties import post_labels, tps_places
from siaga.field.services.own_duties import own_duties
from siaga.field.views_common import on_current_plan, on_current_plan_in_the_field, polled
from siaga.plans.models import Plan
from siaga.plans.serving import serving

INCIDENT_KINDS = list(words.KINDS.items())
SEVERITIES = words.SEVERITIES
RESPONSE_SEVERITY = {"sedang": 2, "berat": 3}  # the report's response levels (services.day) as severities
STATUS_LABELS = {
    PostStatus.Status.BELUM_BERANGKAT: _("belum berangkat"),
    PostStatus.Status.BERANGKAT: _("berangkat"),
    PostStatus.Status.TIBA: _("tiba"),
    PostStatus.Status.KOORDINASI: _("koordinasi dengan panitia"),
    PostStatus.Status.SIAGA: _("siaga"),
}
TPS_LABELS = {
    TpsEvent.Kind.DIBUKA: _("dibuka"),
    TpsEvent.Kind.PEMUNGUTAN: _("pemungutan"),
    TpsEvent.Kind.PENGHITUNGAN: _("penghitungan"),
    TpsEvent.Kind.SELESAI: _("selesai"),
    TpsEvent.Kind.KOTAK_SUARA_DIKAWAL: _("kotak suara dikawal"),
}


def _labelled(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The board's labels in the user's language (the posts of no kecamatan, the Polres's
    reserves, under the name the board gives them)."""
    for group in groups:
        if not group["code"]:
            group["name"] = _("Tingkat Polres (tanpa kecamatan)")
        for post in group["posts"]:
            post["status_label"] = STATUS_LABELS[post["status"]]
            post["reached"] = [
                (STATUS_LABELS[s], at) for s, (_label, at) in zip(STATUS_LABELS, post["reached"], strict=True)
            ]
    return groups


def _partial(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" or "part" in request.GET


def _base(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    return {
        "operation": plan.operation,
        "plan": plan,
        "may_write": role_of(request.user) in services.FIELD_WRITERS,
        "ladder": list(words.COMMAND.items()),
    }


@on_current_plan
@polled
def board(request: HttpRequest, plan: Plan) -> HttpResponse:
    posts = services.visible_posts(plan, request.user)
    escorts = _flagged_first(services.escort_rows(plan, request.user))
    areas = _areas(plan, request.user, posts)
    groups = services.day_board(plan, request.user, posts)
    fixed = _board_words()
    for group in groups:
        group["area"] = areas.get(group["code"])
        html = (_board_row(post, areas.get(post["desa_code"]), fixed) for post in group["posts"])
        group["rows"] = mark_safe("\n".join(html))  # noqa: S308  (every value escaped in _board_row)
    context = {
        **_base(request, plan),
        "groups": groups,
        "dropped": services.dropped_posts(plan, request.user),
        "escorts": escorts,
        "escorts_missing": sum(r["flag"] == "missing" for r in escorts),
        "areas": areas,
        "area_colors": list(words.AREA.items()),
        "may_set_area": services.authority.to_set_area(request.user) is None,
        "now": timezone.now(),
    }
    return render(request, "field/day_board_part.html" if _partial(request) else "field/day_board.html", context)


def _board_words() -> dict[str, str]:
    """The board's fixed words, translated and escaped once for a page."""
    fixed = {f"status:{k}": quoted(str(v)) for k, v in STATUS_LABELS.items()}
    return fixed | {"far": quoted(str(_("lebih dari 1 km dari pos")))}


def _clock(at: dt.datetime, seconds: bool = False) -> str:
    """A moment's time of day as the template's `date:"H:i"` (or `"H:i:s"`) prints it: in the
    current time zone."""
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    return f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"


def _board_row(post: dict[str, Any], area: dict[str, Any] | None, fixed: dict[str, str]) -> str:
    """One post of the board as its table row (issue 18: a Polres's board holds hundreds of
    posts, polled every 3 seconds: one piece of escaped HTML, not a template node per cell)."""
    status = post["status"]
    place = ""
    if area and area["status"]:
        place = (
            f' <span class="area area-{quoted(area["status"])}" title="{quoted(area["note"] or "")}">'
            f"{quoted(str(area['label']))}</span>"
        )
    far = ""
    if post["flagged"]:
        km = "" if post["distance_km"] is None else quoted(str(formats.localize(post["distance_km"])))
        far = f' <span class="flag" title="{fixed["far"]}">⚠ {km} km</span>'
    reached = zip(STATUS_LABELS, post["reached"], strict=True)
    times = " · ".join(f"{fixed[f'status:{s}']} {_clock(at)}" for s, (_label, at) in reached if at)
    return (
        f'<tr id="post-{quoted(slugify(post["post_id"]))}" data-post="{quoted(post["post_id"])}" '
        f'data-status="{quoted(status)}" class="{"in-place" if post["in_place"] else "waiting"}">'
        f"<td>{quoted(post['name'])}</td><td>{quoted(post['kind_label'])}</td>"
        f"<td>{quoted(post['desa'])}{place}</td>"
        f'<td><span class="st st-{quoted(status)}">{fixed[f"status:{status}"]}</span>{far}</td>'
        f"<td>{_clock(post['at'], seconds=True) if post['at'] else '—'}</td>"
        f'<td class="times">{times}</td></tr>'
    )


def _areas(plan: Plan, user: Any, seen: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The kecamatan and desa the user sees (of the posts `seen`), each with its latest status
    (hijau, kuning, merah)."""
    latest = services.area_statuses(plan, user)
    names = dict(plan.operation.regions.order_by().values_list("code", "name"))
    posts = seen.values()
    codes = sorted({str(p.get("kecamatan_code", "")) for p in posts} | {str(p.get("desa_code", "")) for p in posts})
    rows = {}
    for code in filter(None, codes):
        row = latest.get(code)
        rows[code] = {
            "code": code,
            "name": names.get(code, code),
            "kecamatan": code.count(".") == 2,
            "status": row.status if row else "",
            "label": words.AREA.get(row.status, "") if row else "",
            "note": row.note if row else "",
            "at": row.at if row else None,
        }
    return rows


def _flagged_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Escort runs with a missing or late arrival first, each group in order of time."""
    return sorted(rows, key=lambda r: (r["flag"] != "missing", r["flag"] != "late"))


@on_current_plan
@polled
def live(request: HttpRequest, plan: Plan) -> HttpResponse:
    figures = services.live_figures(plan, request.user)
    figures["statuses"] = [
        (STATUS_LABELS[s], n) for s, (_label, n) in zip(STATUS_LABELS, figures["statuses"], strict=True)
    ]
    figures["open_by_severity"] = [(s, SEVERITIES[s], n) for s, n in figures["open_by_severity"]]
    figures["tps_stages"] = [(kind, TPS_LABELS[kind], n) for kind, n in figures["tps_stages"]]
    _labelled(figures["groups"])
    context = {**_base(request, plan), "live": figures, "now": timezone.now()}
    return render(request, "field/day_live_part.html" if _partial(request) else "field/day_live.html", context)


@on_current_plan
@polled
def incidents(request: HttpRequest, plan: Plan) -> HttpResponse:
    context = {
        **_base(request, plan),
        "rows": services.incident_rows(plan, request.user),
        "latest_severe": services.latest_severe(plan, request.user),
        "delegates": _delegates(plan, request.user),
        "now": timezone.now(),
    }
    template = "field/incidents_part.html" if _partial(request) else "field/incidents.html"
    return render(request, template, context)


def _delegates(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """For the Kapolres: the Kabag Ops accounts, and whether each may send Brimob/BKO."""
    if services.authority.to_delegate(user) is not None:
        return []
    granted = set(Delegation.objects.filter(operation_id=plan.operation_id).values_list("user_id", flat=True))
    planners = get_user_model().objects.filter(is_active=True, profile__role=Role.PLANNER).order_by("username")
    return [{"user": u, "granted": u.pk in granted} for u in planners]


@on_current_plan_in_the_field
def report_status(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The reporter's own reports with their state and the ETA of help (the phone polls it)."""
    context = {"plan": plan, "my_reports": services.reporter_status(plan, request.user), "now": timezone.now()}
    response = render(request, "field/_report_status.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@on_current_plan_in_the_field
def phone(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The post leader's phone page, always of the current (published) plan and naming its
    version: every role that views plans, and a field officer (only their own post(s), with
    their assignment on top, their roster duties offered beside them in "Pos saya", and links to
    the other operations where they serve)."""
    reads = services.phone_reads(plan, request.user)  # what this reader's page shows, and no more
    escorts = services.escort_rows(plan, request.user, mine=True)
    guards = services.guard_rows(plan, request.user, mine=True)
    context = {
        **_base(request, plan),
        **reads,
        "groups": _labelled(reads["groups"]),
        "timetable": services.timetable(plan, timezone.localtime().replace(tzinfo=None)),
        "statuses": list(STATUS_LABELS.items()),
        "tps_kinds": list(TPS_LABELS.items()),
        "incident_kinds": INCIDENT_KINDS,
        "severities": list(SEVERITIES.items()),
        "escorts": escorts,
        "guards": guards,
        "duties": _duty_options(plan, request.user, escorts, guards),
        "elsewhere": _elsewhere(plan, request.user),
        "entry_kinds": list(ENTRY_KINDS.items()),
        "padlocks": list(PADLOCKS.items()),
        "my_reports": services.reporter_status(plan, request.user),
    }
    return render(request, "field/phone_assignment.html", context)


def _duty_options(
    plan: Plan, user: Any, escorts: list[dict[str, Any]], guards: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The user's roster duties as "Pos saya" offers them, each with the section of the page
    where it is worked (its escort run's or its place's buku mutasi) and its escort's state."""
    runs = {r["id"]: (i, r) for i, r in enumerate(escorts, 1)}
    places = {g["place"]: i for i, g in enumerate(guards, 1)}
    rows = own_duties(plan, user)
    for row in rows:
        index, run = runs.get(row["id"], (0, None))
        if row["group"] == "escort" and run:
            row["section"] = f"escort-{index}"
            row["state_label"] = run["state_label"]
            row["run"] = run
        elif row["group"] == "guard" and row["place"] in places:
            row["section"] = f"guard-{places[row['place']]}"
        else:  # not worked on this page: its incidents only
            row["group"] = "other"
    return rows


def _elsewhere(plan: Plan, user: Any) -> list[Any]:
    """The other operations where a field officer serves (the link between his phone pages),
    those with a duty under way first."""
    if role_of(user) != Role.FIELD_OFFICER:
        return []
    code = str(getattr(getattr(user, "profile", None), "person_code", "") or "").strip()
    now = timezone.localtime(clock.now()).replace(tzinfo=None)
    return [(s, s.current(now)) for s in serving(code, now, plan.operation_id, operations_for(user))]


@on_current_plan
def report(request: HttpRequest, plan: Plan) -> HttpResponse:
    require_export(request.user, Scope.of(request.user).kecamatan)  # names and NRP of handovers: a file
    data = services.report_data(plan, request.user)
    data["referrals"] = [r for r in data["incidents"] if r["referral"]]
    data["offence_route"] = words.offence_route(plan.operation)  # no Bawaslu/Gakkumdu in a Pilkades
    data["seized"] = [(r["incident"], item) for r in data["incidents"] for item in r["seized"]]
    posts = post_labels(plan, {row.post_id for row in data["timeline"]})  # as the Sprin names them
    tps = tps_places(plan, sorted({event.tps_code for event in data["tps_events"]}))
    for row in data["timeline"]:
        row.label = STATUS_LABELS[row.status]
        row.post_name = posts.get(row.post_id) or row.post_id
    for event in data["tps_events"]:
        event.label = TPS_LABELS[event.kind]
        event.tps_name = tps.get(event.tps_code, {}).get("name") or event.tps_code
    for level in data["response"]:  # the stress test's levels (sedang, berat) are severities 2 and 3
        level["severity_label"] = SEVERITIES[RESPONSE_SEVERITY[level["severity"]]]
    data["areas"] = services.area_history(plan, request.user)
    data["escorts"] = services.escort_rows(plan, request.user)
    data["entries"] = [(g, e) for g in services.guard_rows(plan, request.user) for e in g["entries"]]
    context = {**_base(request, plan), "data": data, "now": timezone.now()}
    html = render_to_string("field/report.html", context, request=request)
    rendered = pdf.compose(html, lang=get_language() or "id")
    response = HttpResponse(rendered.data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-operasi-v{plan.version}.pdf"'
    return response


__all__ = ["Incident", "board", "incidents", "live", "phone", "report", "report_status"]
