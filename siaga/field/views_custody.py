"""The escorts page: every escort run the user may see (its legs and their marks, team,
manifest and handover records) and every guarded place's buku mutasi; a planner or admin marks
a leg as a hard road segment or an island leg (Polairud) here. The writers (planner, admin, the
Kapolsek for his kecamatan) record a run's departures and arrivals and a place's buku mutasi
here too, as the Posko records a radio report (`escort_step`, `guard_entry`), and record or
correct a run's manifest (`escort_manifest`: what the phone's "Muatan" records, through the same
service; a refused manifest comes back with what was typed and the refusal beside it); a
Kapolsek passes on his Polsek's padlock key only. The handover records are signed by the escort
on the phone.

Writes go through `siaga.field.services` (each audited there) or the phone's API."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from html import escape as quoted  # what Django's escape does, on plain text, without its wrapping
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from siaga.accounts.models import Role
from siaga.accounts.roles import role_of
from siaga.field import services
from siaga.field.models import EntryLog, EscortEvent, EscortRun
from siaga.field.services.custody import COUNTS, ENTRY_KINDS, MARKS, PADLOCKS
from siaga.field.views_common import on_current_plan
from siaga.plans.models import Plan


@on_current_plan
def escorts(request: HttpRequest, plan: Plan) -> HttpResponse:
    """GET: the page; POST: one run's leg marks (`duty`, `mark_0`, `mark_1`, ...)."""
    may_mark = role_of(request.user) in (Role.ADMIN, Role.PLANNER)
    if request.method == "POST":
        if not may_mark:
            raise PermissionDenied("mark legs")
        duty = request.POST.get("duty", "")
        marks = [request.POST.get(f"mark_{i}", "") for i in range(sum(k.startswith("mark_") for k in request.POST))]
        try:
            services.mark_legs(plan, duty, marks, request.user, request)
        except services.FieldError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Tanda ruas disimpan."))
        return redirect("field_escorts", plan.pk)
    return _page(request, plan)


# the manifest's boxes on the escorts page, as the phone names them (custody.COUNTS, then plates)
MANIFEST_FIELDS: dict[str, Any] = {
    "ballot_boxes": gettext_lazy("Kotak suara"),
    "booths": gettext_lazy("Bilik suara"),
    "seals": gettext_lazy("Segel"),
    "envelopes": gettext_lazy("Sampul formulir"),
}


def _page(
    request: HttpRequest, plan: Plan, refused: str = "", duty: str = "", typed: Mapping[str, str] | None = None
) -> HttpResponse:
    """The escorts page; after a refused manifest (`refused`) the run `duty`'s form is open with
    what was `typed` in its boxes and the refusal beside them (400)."""
    may_mark = role_of(request.user) in (Role.ADMIN, Role.PLANNER)
    escorts = services.escort_rows(plan, request.user)
    for row in escorts:
        run = row["manifest"]
        if refused and row["id"] == duty and typed is not None:
            row["manifest_refused"] = refused
            values = {name: typed.get(name, "") for name in (*COUNTS, "plates")}
        else:
            values = {name: str(getattr(run, name)) if run else "" for name in (*COUNTS, "plates")}
        row["manifest_fields"] = [(name, label, values[name]) for name, label in MANIFEST_FIELDS.items()]
        row["manifest_plates"] = values["plates"]
    context = {
        "operation": plan.operation,
        "plan": plan,
        "escorts": escorts,
        "guards": _with_entry_rows(services.guard_rows(plan, request.user)),
        "may_mark": may_mark,
        "marks": [(value, MARKS[value]) for value in EscortRun.Mark.values],
        "may_record": role_of(request.user) in services.WRITERS,
        "event_kinds": [(EscortEvent.Kind.BERANGKAT, _("berangkat")), (EscortEvent.Kind.TIBA, _("tiba"))],
        "visit_kinds": [(k, ENTRY_KINDS[k]) for k in (EntryLog.Kind.MASUK, EntryLog.Kind.KELUAR)],
        "padlocks": _padlocks_for(request),
        "form_key": uuid.uuid4().hex,
    }
    return render(request, "field/escorts.html", context, status=400 if refused else 200)


def _padlocks_for(request: HttpRequest) -> list[tuple[str, Any]]:
    """The padlocks whose key the reader may record passing on: a Kapolsek his Polsek's only."""
    if role_of(request.user) == Role.SECTOR_CHIEF:
        return [(EntryLog.Padlock.POLSEK, PADLOCKS[EntryLog.Padlock.POLSEK])]
    return [(str(k), v) for k, v in PADLOCKS.items()]


def _writer(request: HttpRequest) -> None:
    """The console's custody records: planner, admin and sector chief (a field officer uses the
    phone, the others read); refused before the plan is looked up."""
    if role_of(request.user) not in services.WRITERS:
        raise PermissionDenied("custody")


def _key(request: HttpRequest, what: str) -> str:
    """The form's idempotency key (a second press of the same form records nothing more)."""
    return f"{what}-{request.POST.get('key', '').strip()[:40] or uuid.uuid4().hex}"


@require_POST
def escort_step(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's departure or arrival on one leg (`duty`, `kind`, `leg`, `at`), as radioed in."""
    _writer(request)
    return _escort_step(request, pk)


@on_current_plan
def _escort_step(request: HttpRequest, plan: Plan) -> HttpResponse:
    duty = request.POST.get("duty", "")[:200]
    data = {name: request.POST.get(name, "") for name in ("kind", "leg", "at")}
    try:
        services.escort_event(plan, duty, data, request.user, _key(request, "escort"), request)
    except services.FieldError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Keberangkatan/kedatangan pengawalan dicatat."))
    return redirect(reverse("field_escorts", args=[plan.pk]) + "#escorts")


@require_http_methods(["GET", "HEAD", "POST"])
def escort_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's manifest recorded or corrected (`duty`, `ballot_boxes`, `booths`, `seals`,
    `envelopes`, `plates`): the counts and plates it carries from now on, audited as from the
    phone; refused, the page again with what was typed (at this address: opened again, e.g.
    after switching the language there, it is the escorts page)."""
    if request.method != "POST":
        return redirect("field_escorts", pk)
    _writer(request)
    return _escort_manifest(request, pk)


@on_current_plan
def _escort_manifest(request: HttpRequest, plan: Plan) -> HttpResponse:
    duty = request.POST.get("duty", "")[:200]
    typed = {name: request.POST.get(name, "") for name in (*COUNTS, "plates")}
    try:
        services.set_manifest(plan, duty, typed, request.user, request)
    except services.FieldError as exc:
        return _page(request, plan, refused=str(exc), duty=duty, typed=typed)
    messages.success(request, _("Muatan pengawalan disimpan."))
    return redirect(reverse("field_escorts", args=[plan.pk]) + "#run-" + quote(duty, safe=""))


@require_POST
def guard_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One line of a guarded place's buku mutasi (`place`, `kind`, `name`, `code`, `purpose`,
    `padlock`, `key_to`, `at`): someone in or out, or a padlock's key passed on."""
    _writer(request)
    return _guard_entry(request, pk)


@on_current_plan
def _guard_entry(request: HttpRequest, plan: Plan) -> HttpResponse:
    place = request.POST.get("place", "")[:200]
    fields = ("kind", "name", "code", "purpose", "padlock", "key_to", "at")
    data = {name: request.POST.get(name, "") for name in fields}
    try:
        services.log_entry(plan, place, data, request.user, _key(request, "entry"), request)
    except services.FieldError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Buku mutasi dicatat."))
    return redirect(reverse("field_escorts", args=[plan.pk]) + "#guards")


def _with_entry_rows(guards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each guarded place with its buku mutasi as table rows made here once: on the day the
    places of a Polres hold thousands of entries (issue 18: no template node per cell)."""
    months = {n: str(name).title() for n, name in MONTHS_3.items()}
    words = {str(k): quoted(str(v)) for k, v in (ENTRY_KINDS | PADLOCKS).items()}
    for guard in guards:
        rows = (_entry_row(e, months, words) for e in guard["entries"])
        guard["entry_rows"] = mark_safe("".join(rows))  # noqa: S308  (every value escaped in _entry_row)
    return guards


def _entry_row(entry: dict[str, Any], months: dict[int, str], words: dict[str, str]) -> str:
    """One entry of a buku mutasi: when (as the template's `date:"j M H.i"`), what, who, why."""
    at = timezone.localtime(entry["at"]) if timezone.is_aware(entry["at"]) else entry["at"]
    who = quoted(entry["name"])
    if entry["code"]:
        who += f" ({quoted(entry['code'])})"
    if entry["key_to"]:
        who += f" → {quoted(entry['key_to'])}"
    why = words.get(entry["padlock"], "") if entry["padlock"] else quoted(entry["purpose"] or "—")
    kind = words.get(entry["kind"]) or quoted(entry["kind"])
    return f"<tr><td>{at.day} {months[at.month]} {at:%H.%M}</td><td>{kind}</td><td>{who}</td><td>{why}</td></tr>"
