"""Plan pages: the versions of an operation's plan, computing one in the background, a plan
with its checker verdict and who stands where, hand edits, pins, re-planning, the strength
advice, approval, publication, the difference between two versions and the plan file.

Views are thin: permissions through `siaga.accounts.roles`, work in `siaga.plans.services`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siaga.accounts.names import known_as
from siaga.accounts.roles import can, require
from siaga.accounts.scope import Scope, operations_for, require_export, roster_read
from siaga.audit.log import record
from siaga.core import check
from siaga.core.data import linmas, travel
from siaga.core.data.text import _ as core_text
from siaga.jobs import orders as stored_orders
from siaga.operations.labels import FORCE_LABELS
from siaga.operations.services import busy_message, database_busy, pergeseran_apel_name, pin_person
from siaga.operations.views import operation_for, writable
from siaga.plans import changes, compare, pages, services, store
from siaga.plans.forms import PinForm, PsuForm, ReassignForm, ReinforceForm, ReplanForm, UnpinForm, with_picks
from siaga.plans.lines import line_of
from siaga.plans.models import Plan, PlanJob
from siaga.plans.names import post_labels

FIGURE_LABELS = {
    "assigned": gettext_lazy("personel ditugaskan"),
    "unfilled": gettext_lazy("slot kosong"),
    "cost_km": gettext_lazy("jarak tempuh (km)"),
    **pages.FIGURE_WORDS,  # the optimiser's figures by what they are about, as the plan page names them
}
PLANS = Plan.objects.select_related("operation", "author", "approved_by", "parent")


def plan_for(request: HttpRequest, pk: int) -> Plan:
    """The plan of the URL, if the user may view plans at all (a sector chief's page is
    narrowed to their kecamatan by `services.plan_page`)."""
    require(request.user, "view")
    plan = get_object_or_404(PLANS.filter(operation__in=operations_for(request.user)), pk=pk)
    writable(request, plan.operation)
    return plan


def plan_list(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    if "old" in request.GET and "new" in request.GET:
        return _to_diff(request, operation.pk)
    plans = services.versions(operation)
    context = {
        "operation": operation,
        "plans": plans,
        "rows": [  # a sector chief: his kecamatan's figures; the Polres: what the objective holds for empty slots
            (p, seen | {"empty_cost": compare.objective_parts(p)["vote_penalty"]})
            for p, seen in pages.seen_figures(plans, Scope.of(request.user))
        ],
        "drift": services.replan_drift(operation) if Scope.of(request.user).whole else None,  # the Polres's
        "job": services.active_job(operation),
        "scope": Scope.of(request.user).narrowed_to,  # a plan's note may name anyone: not for a sector chief
        "default_old": plans[1].pk if len(plans) > 1 else None,
    }
    return render(request, "plans/list.html", context)


@require_POST
def categories_to_data(request: HttpRequest, op_id: int) -> HttpResponse:
    """The TPS categories the re-planned version holds and the data does not, set in the data
    (`services.categories_to_data`), so that a new plan and the vulnerability pages agree."""
    operation = operation_for(request, op_id)
    require(request.user, "override")
    drift = services.replan_drift(operation)
    if not drift.categories:
        messages.info(request, _("Kategori TPS di data sudah sama dengan rencana. Tidak ada yang berubah."))
    else:
        n = services.categories_to_data(operation, drift, request)
        messages.success(
            request,
            _("Kategori %(n)s TPS di data disamakan dengan rencana versi %(v)s.")
            % {"n": n, "v": drift.base.version if drift.base else ""},
        )
    return redirect("plan_list", operation.pk)


def _to_diff(request: HttpRequest, op_id: int) -> HttpResponse:
    try:
        old, new = int(request.GET["old"]), int(request.GET["new"])
    except ValueError:
        raise Http404 from None
    found = Plan.objects.filter(operation_id=op_id, pk__in=(old, new)).count()
    if found != len({old, new}):
        raise Http404
    return redirect("plan_diff", old, new)


def plan_konsep(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The draft's Sprin marked KONSEP, to read before approval; a sector chief gets the
    petikan of their kecamatan."""
    plan = plan_for(request, pk)
    where = Scope.of(request.user)
    if where.nothing or where.person is not None:
        raise PermissionDenied("no kecamatan")
    require_export(request.user, where.label)  # the whole roster: not for a viewer
    try:
        data = services.konsep_sprin(plan, where.label, request)
    except services.PlanError as exc:
        messages.error(request, str(exc))
        return redirect("plan_detail", plan.pk)
    suffix = f"-{where.label}" if where.label else ""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sprin-konsep-v{plan.version}{suffix}.pdf"'
    return response


@require_POST
def plan_start(request: HttpRequest, op_id: int) -> HttpResponse:
    """Start a plan of the operation, once: a second press while one is queued or running
    (a double click, another tab, another planner) starts nothing and is taken to that one."""
    operation = operation_for(request, op_id)
    require(request.user, "plan")
    try:
        job = services.start_planning(operation, request.user, request=request)
    except services.PlanRunning as running:
        return _already_planning(request, running, _("Rencana kedua tidak dimulai; ini kemajuannya."))
    return redirect("job_status", job.pk)


def _already_planning(request: HttpRequest, running: services.PlanRunning, outcome: str) -> HttpResponse:
    """The planner's press found a plan of the operation being made: who started it and since
    when, what became of the press (`outcome`), and on to that job's progress."""
    messages.warning(request, f"{running} {outcome}")
    return redirect("job_status", running.job.pk)


def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx polls it every second. A plan job sends the page to its plan
    when done; an orders job turns into the download links."""
    require(request.user, "view")
    jobs = PlanJob.objects.select_related("operation", "plan", "created_by")
    # an import before it has its operation, and a Polda's orders, belong to whoever started them
    yours = Q(operation__isnull=True, created_by_id=request.user.pk)
    job = get_object_or_404(jobs.filter(Q(operation__in=operations_for(request.user)) | yours), pk=pk)
    polled = bool(request.headers.get("HX-Request"))
    if job.kind == "import":
        return _import_progress(request, job, polled)
    if job.kind == "polda":
        require(request.user, "polda_orders")
        context = {"job": job, "finished": job.status in (PlanJob.Status.DONE, PlanJob.Status.FAILED)}
        context["line"] = line_of(job)
        context["printed"] = int(job.params.get("plans", 0) or 0) - len(job.params.get("left_out", []) or [])
        return render(request, "field/_polda_job.html" if polled else "field/polda_job.html", context)
    if job.kind == "orders" and job.plan is not None:
        return _orders_panel(request, job.plan, str(job.params.get("kecamatan", "")), job, polled)
    if polled and job.status == PlanJob.Status.DONE and job.plan is not None:
        response = HttpResponse()
        response["HX-Redirect"] = reverse("plan_detail", args=[job.plan.pk])
        return response
    context = {
        "operation": job.operation,
        "job": job,
        "finished": job.status in (PlanJob.Status.DONE, PlanJob.Status.FAILED),
        "line": line_of(job),
    }
    return render(request, "plans/_job.html" if polled else "plans/job.html", context)


def _import_progress(request: HttpRequest, job: PlanJob, polled: bool) -> HttpResponse:
    """An import's progress for the planner who may import; done: on to the new operation."""
    require(request.user, "import")
    if job.status == PlanJob.Status.DONE and job.operation_id is not None:
        if job.params.get("unchanged"):  # the very file again: the job says so, nothing was imported
            messages.info(request, line_of(job))
        else:
            messages.success(
                request,
                _('Operasi "%(name)s" diimpor: %(tps)d TPS, %(persons)d personel.')
                % {"name": job.operation, "tps": job.params.get("tps", 0), "persons": job.params.get("persons", 0)},
            )
        target = reverse("dashboard_for", args=[job.operation_id])
        if polled:
            response = HttpResponse()
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    context = {"job": job, "finished": job.status == PlanJob.Status.FAILED, "line": line_of(job)}
    return render(request, "operations/_import_job.html" if polled else "operations/import_job.html", context)


def _orders_panel(request: HttpRequest, plan: Plan, kecamatan: str, job: PlanJob, polled: bool) -> HttpResponse:
    """The orders buttons of the plan (progress, then links), alone for htmx or on the job page."""
    if not Scope.of(request.user).sees_kecamatan(kecamatan):
        raise Http404  # a sector chief polls only their kecamatan's orders
    context = {"operation": plan.operation, **services.orders_state(plan, kecamatan, job)}
    return render(request, "plans/_orders.html" if polled else "plans/orders_job.html", context)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    scope = Scope.of(request.user)
    _log_roster_read(request, plan)
    fill_url = reverse("plan_candidates", args=[plan.pk]) if can(request.user, "plan") else None
    page = pages.plan_page(plan, scope, request.GET.get("page"), request.GET.get("post", "")[:120], fill_url)
    strength = page["strength"]
    drift = services.replan_drift(plan.operation) if scope.whole else None
    changed = changes.since(plan)  # what the orders' check would refuse it for (plans/changes.py)
    counted = compare.moves(plan) if plan.extra.get("replan") or _deciding(request, plan) else None
    # a newer published version replaced it: the current plan, the drift's base when it is published
    if plan.status == Plan.Status.PUBLISHED:
        current = None
    elif drift is not None:
        current = drift.base if drift.base is not None and drift.base.status == Plan.Status.PUBLISHED else None
    else:
        current = store.current_plan(plan.operation)
    replaced_by = current if current is not None and current.version > plan.version else None
    context = {
        "operation": plan.operation,
        "plan": plan,
        "scope": scope.narrowed_to,
        "summary": plan.summary,
        # this version differs from the data in what the plan list shows and aligns (replan_drift)
        "drift": drift if drift is not None and drift.base == plan else None,
        "warnings": [
            core_text(w["msgid"], get_language() or "id", **w.get("params", {}))
            for w in plan.extra.get("warning_messages", [])
        ]
        or plan.extra.get("warnings", []),
        "violations": [check.render(v, get_language() or "id") for v in plan.extra.get("violation_messages", [])]
        or plan.violations,
        "reserve": plan.extra.get("reserve", {}),
        "travel": travel.sentence(plan.extra.get("travel"), get_language() or "id") if "travel" in plan.extra else "",
        "replanned": compare.shown_replan(plan, counted),  # a post renamed by category: no move
        "page": page,
        "replan_form": ReplanForm(operation=plan.operation),
        **_replan_fill(plan, changed, replaced_by),
        "replaced_by": replaced_by,  # a newer published version: the page points to it, not to a re-plan
        "data_changes": changed,
        "data_changes_tps": _named(plan, changed.categories[: changes.SHOWN]),
        "orders_kept": bool(changed) and plan.status != Plan.Status.DRAFT and stored_orders.complete(plan, scope.label),
        **_tool_forms(request, plan, strength),
        "optimality": pages.optimality(plan.summary, plan.extra.get("roster")),
        "withdraw_restores": services.replaced_by_withdrawal(plan),
        "apel_name": pergeseran_apel_name(plan.operation),  # the apel the button opens, as the page names it
        **_signoff_context(request, plan),
        # what the approval's and the sign-off's confirmation boxes name before the decision
        "decision": compare.decision(plan, page, counted) if _deciding(request, plan) else None,
    }
    if can(request.user, "plan"):
        names = pages.name_options(sorted(pages.post_name_list(plan).values()))
        context |= {"post_names": names, **pages.replan_choices(plan)}
    return render(request, "plans/detail.html", context)


REPLAN_ROWS = changes.SHOWN  # category changes the re-plan form fills as rows; more go to its paste box
REPLAN_PICKS = 100  # people it fills as chosen; more go to its paste box


def _replan_fill(plan: Plan, changed: changes.DataChanges, replaced_by: Plan | None) -> dict[str, Any]:
    """The re-plan form filled with the data's changes since the version, as its reader reads
    them: each person not ready among the chosen absentees (name and NRP/NIK), each category
    change a row of the TPS table (its category in words); beyond what the page lists, the
    paste box, in words too. Empty when the re-plan does not take them or a newer published
    version replaced this one (a re-plan keeps the version's categories unless told)."""
    if replaced_by is not None or not changed.replan_takes:
        return _replan_shown(plan, [], [], "", "")
    rows = [(c.code, c.after) for c in changed.categories] if len(changed.categories) <= REPLAN_ROWS else []
    return _replan_shown(
        plan,
        changed.not_ready[:REPLAN_PICKS],
        rows,
        "\n".join(changed.not_ready[REPLAN_PICKS:]),
        "" if rows else changed.replan_categories,
    )


def _replan_shown(
    plan: Plan, picked: list[str], rows: list[tuple[str, str]], absent: str, categories: str
) -> dict[str, Any]:
    """What the re-plan form shows: the chosen people, the rows of the TPS table (three empty
    ones, or one after those filled) and the paste boxes' text."""
    return {
        "replan_picked": _chosen_people(plan, picked),
        "replan_rows": rows + [("", "")] * (1 if rows else 3),
        "replan_paste": {"absent": absent, "categories": categories},
    }


def _chosen_people(plan: Plan, codes: list[str]) -> list[tuple[str, str]]:
    """Each person as the re-plan's name search shows one chosen (rank and name, force, unit,
    post), with the NRP/NIK after the name; a code the data does not hold, as it was typed."""
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not codes:
        return []
    people = plan.operation.personnel.filter(code__in=codes)
    found = {r[0]: r for r in people.values_list("code", "name", "rank", "force", "unit_code")}
    units = dict(plan.operation.units.filter(code__in={r[4] for r in found.values()}).values_list("code", "name"))
    posts = dict(plan.assignments.filter(person_code__in=list(found)).values_list("person_code", "post__code"))
    names = pages.post_name_list(plan) if posts else {}
    shown = []
    for code in codes:
        if code not in found:
            shown.append((code, code))
            continue
        _code, name, rank, force, unit = found[code]
        number = linmas.shown(code, force)  # a Linmas's NIK masked
        parts = (f"{rank} {name} ({number})".strip(), str(FORCE_LABELS.get(force, force)), units.get(unit, ""))
        shown.append((code, " · ".join(p for p in (*parts, names.get(posts.get(code, ""), "")) if p)))
    return shown


def _named(plan: Plan, changed: list[changes.CategoryChange]) -> list[tuple[changes.CategoryChange, str]]:
    names = services.tps_names(plan.operation, [c.code for c in changed])
    return [(c, names.get(c.code, c.code)) for c in changed]


KEPT_FORM = "siaga_plan_tool"  # a refused tool's input and messages, for the plan page once
KEPT_VALUES = REPLAN_PICKS  # the values of one field kept (the re-plan's chosen people, its rows)


def _tool_forms(request: HttpRequest, plan: Plan, strength: dict[str, Any] | None) -> dict[str, Any]:
    """The plan page's tools; the one just refused (`_refused`) bound to what was typed, each
    message beside its field (a refusal by the planner's rules, that no field holds, on top)."""
    kept = request.session.pop(KEPT_FORM, None)
    if not kept or kept.get("plan") != plan.pk or not can(request.user, "plan"):
        kept = {}
    data = QueryDict(mutable=True)
    for key, values in kept.get("data", {}).items():
        data.setlist(key, values)
    bound = {kept.get("form"): data}
    found: dict[str, Any] = {
        "pin_form": PinForm(bound.get("pin"), prefix="pin", plan=plan),
        "psu_form": PsuForm(bound.get("psu"), operation=plan.operation),
        "reinforce_form": ReinforceForm(bound.get("reinforce"), initial={"per_post": strength["per_post"]})
        if strength
        else None,
        "reassign_form": ReassignForm(
            bound.get("reassign"),
            operation=plan.operation,
            post_names=pages.post_name_list(plan) if "reassign" in bound else None,
        ),
    }
    if kept.get("form") == "replan":  # what was picked, chosen and pasted, as it was sent
        found["replan_form"] = ReplanForm(with_picks(data), operation=plan.operation)
        rows = [(t, c) for t, c in zip(data.getlist("change_tps"), data.getlist("change_category"), strict=False)]
        found |= _replan_shown(
            plan,
            data.getlist("absent_pick"),
            [(t.strip(), c) for t, c in rows if t.strip() or c],
            data.get("absent", ""),
            data.get("categories", ""),
        )
    if kept.get("form") == "unpin":  # a pin already lifted (another tab): said above the pin list
        found["unpin_errors"] = kept.get("errors", [])
    form = found.get(f"{kept.get('form')}_form")
    if form is not None:
        form.is_valid()  # the same input on the same data: the same messages, beside their fields
        for message in kept.get("errors", []):
            form.add_error(None, message)
    return found


def _refused(request: HttpRequest, plan: Plan, form: forms.Form, name: str, *why: str) -> None:
    """A plan tool refused (nothing changed): the messages on top as before, and what was typed
    kept for the plan page, which shows the form again with each message beside its field."""
    for message in why:
        messages.error(request, message)
    if form.errors and name != "unpin":  # the unpin form's one field has no label: its message is `why`
        _refuse(request, form)
    typed = {key: request.POST.getlist(key)[:KEPT_VALUES] for key in request.POST if key != "csrfmiddlewaretoken"}
    request.session[KEPT_FORM] = {"plan": plan.pk, "form": name, "data": typed, "errors": list(why)}


def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Who could fill one empty place ("siapa bisa mengisi slot ini"), nearest first, each
    with a button that makes the new version; htmx loads it when the planner opens the slot."""
    plan = plan_for(request, pk)
    require(request.user, "plan")
    found = pages.slot_candidates(plan, request.GET.get("post", ""), request.GET.get("slot", ""))
    return render(request, "plans/_candidates.html", {"plan": plan, "found": found})


SEARCH_SHOWN = 20


def people_search(request: HttpRequest, pk: int) -> JsonResponse:
    """The operation's people whose name or NRP/NIK holds the typed text, for the reassign
    field's suggestion list: value (NRP/NIK) and what a person reads (rank, name, unit, post).
    With `placed=1`, only the people this version places (the re-plan's absentee field)."""
    plan = plan_for(request, pk)
    require(request.user, "plan")
    placed = request.GET.get("placed") == "1"
    return JsonResponse({"people": pages.people_matching(plan, request.GET.get("q", ""), SEARCH_SHOWN, placed)})


def empty_why(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan page's part saying why the roster's empty places stay empty (`?which=vote`:
    the vote's posts') and what the planner can do (loaded after the page: it reads the whole
    operation)."""
    plan = plan_for(request, pk)
    vote = request.GET.get("which") == "vote"
    why = pages.why_empty(plan, Scope.of(request.user), vote=vote)
    part = "vote-short-why" if vote else "duty-short-why"
    return render(request, "plans/_empty_why.html", {"why": why, "part": part})


def simulate(request: HttpRequest, pk: int) -> HttpResponse:
    """The election-day stress test of this version, or of it and another on the same days."""
    plan = plan_for(request, pk)
    scope = Scope.of(request.user)
    if scope.nothing or scope.person is not None:
        raise PermissionDenied(_("Uji tekanan hanya untuk staf operasi dan pimpinan."))
    try:
        runs = int(request.GET.get("runs", pages.SIMULATION_RUNS[1]))
        seed = int(request.GET.get("seed", 1))
    except ValueError:
        runs, seed = pages.SIMULATION_RUNS[1], 1
        messages.error(request, _("Jumlah hari dan benih harus bilangan bulat; dipakai 1.000 hari, benih 1."))
    runs = runs if runs in pages.SIMULATION_RUNS else pages.SIMULATION_RUNS[1]
    plans = [plan]
    other_pk = request.GET.get("other", "")
    if other_pk:
        other = PLANS.filter(pk=other_pk, operation_id=plan.operation_id).first() if other_pk.isdigit() else None
        if other is None:
            messages.error(request, _("Versi pembanding tidak ada dalam operasi ini."))
        elif other.pk != plan.pk:
            plans.append(other)
    context = {
        "operation": plan.operation,
        "plan": plan,
        "sim": pages.simulation_page(plans, runs, seed, scope),
        "choices": pages.SIMULATION_RUNS,
        "versions": services.versions(plan.operation).exclude(pk=plan.pk),
        "other": plans[1].pk if len(plans) > 1 else None,
    }
    return render(request, "plans/simulate.html", context)


def plan_json(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(request.user, "export")
    record(request, "export_plan", "plan", str(plan.pk), operation_id=plan.operation_id)
    response = HttpResponse(
        json.dumps(store.plan_file(plan), ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="plan-v{plan.version}.json"'
    return response


def plan_orders(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    """The Sprin, the ploting workbook or the cards of an approved plan, as a stored file; a
    sector chief gets their kecamatan's. Orders not stored yet are made by a job: htmx gets
    the buttons with its progress, a plain request the job's page."""
    plan = plan_for(request, pk)
    if name not in services.ORDER_FILES:
        raise Http404
    where = Scope.of(request.user)
    if where.nothing or where.person is not None:
        raise PermissionDenied("no kecamatan")
    require_export(request.user, where.label)  # the whole roster: not for a viewer
    scope = where.label
    htmx = bool(request.headers.get("HX-Request"))
    if htmx and name in stored_orders.stored(plan, scope):
        return _hx_redirect(request.get_full_path())  # stored since the page was drawn
    try:
        found = services.orders_file(plan, name, scope, request)
    except services.PlanError as exc:
        messages.error(request, str(exc))
        return _hx_redirect(reverse("plan_detail", args=[plan.pk])) if htmx else redirect("plan_detail", plan.pk)
    if isinstance(found, PlanJob):
        if htmx:
            return _orders_panel(request, plan, scope, found, polled=True)
        return redirect("job_status", found.pk)
    if htmx:  # made at once (inline jobs): the browser fetches the file itself
        return _hx_redirect(request.get_full_path())
    suffix = f"-{scope}" if scope else ""
    stem, _, ext = name.partition(".")
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{stem}-v{plan.version}{suffix}.{ext}",
        content_type=services.ORDER_FILES[name],
    )


def _hx_redirect(url: str) -> HttpResponse:
    """Send an htmx request's page to the URL: htmx would paste a file or a whole page into
    the orders buttons."""
    response = HttpResponse()
    response["HX-Redirect"] = url
    return response


@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(request.user, "plan")
    form = ReassignForm(request.POST, operation=plan.operation, post_names=pages.post_name_list(plan))
    if not form.is_valid():
        _refused(request, plan, form, "reassign")
        return redirect("plan_detail", plan.pk)
    data = form.cleaned_data
    seen_text = request.POST.get("seen", "")  # the newest version seen when editing an older one
    seen = int(seen_text) if seen_text.isdigit() else None
    try:
        new = services.reassign(plan, data["person"], data["post"], data["slot"], request.user, request, seen)
    except services.PlanConflict as conflict:
        return _plan_conflict(request, conflict, f"{form.person_name or form.cleaned_data['person']} → {_target(form)}")
    except OperationalError as exc:  # the database stayed busy with another write: nothing saved
        if not database_busy(exc):
            raise
        messages.error(request, busy_message())
        return redirect("plan_detail", plan.pk)
    except services.PlanError as exc:
        _refused(request, plan, form, "reassign", _("Perubahan ditolak: %(why)s") % {"why": exc})
        return redirect("plan_detail", plan.pk)
    where = _target(form)
    messages.success(
        request,
        _("Versi %(v)s dibuat: %(who)s ke %(where)s.") % {"v": new.version, "who": form.person_name, "where": where},
    )
    return redirect("plan_detail", new.pk)


def _target(form: ReassignForm) -> str:
    """Where a hand edit puts the person: the post by its name and the slot by its force, or the reserve."""
    data = form.cleaned_data
    if not data["post"]:
        return _("cadangan (tanpa pos)")
    return f"{form.post_name} ({FORCE_LABELS.get(data['slot'], data['slot'])})"


def _plan_conflict(
    request: HttpRequest, conflict: services.PlanConflict, change: str, action: str = "plan_reassign"
) -> HttpResponse:
    """A hand edit or a re-plan (`action`, the URL it was sent to) refused because a newer
    version exists (409): who made it and when, the versions made since, the `change` asked;
    nothing saved or started. The planner may send it again on the newest version, or knowingly
    on the version they chose (its later changes left out)."""
    plan, newest = conflict.plan, conflict.newest
    since = services.versions(plan.operation).filter(version__gt=plan.version)
    carried = [(k, v) for k, values in request.POST.lists() if k not in ("csrfmiddlewaretoken", "seen") for v in values]
    context = {
        "operation": plan.operation,
        "plan": plan,
        "newest": newest,
        "since": since,
        "change": change,
        "action": action,
        "author": known_as(newest.author),
        "carried": carried,
    }
    return render(request, "plans/conflict.html", context, status=409)


def _stale(request: HttpRequest, plan: Plan, change: str, action: str) -> HttpResponse | None:
    """The conflict page when a re-plan is sent from a version that is no longer the newest
    (and newer than the one the planner saw, `seen`): made from it, the new version would
    silently leave out what the versions since changed. None when it is the newest."""
    seen = request.POST.get("seen", "")
    newest = services.newer_version(plan, int(seen) if seen.isdigit() else None)
    if newest is None:
        return None
    return _plan_conflict(request, services.PlanConflict(plan, newest), change, action)


@require_POST
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    """Pin a person from the plan page: written on their personnel row, kept by every later
    plan and re-plan (this version stays as it is)."""
    plan = plan_for(request, pk)
    require(request.user, "plan")
    form = PinForm(request.POST, prefix="pin", plan=plan)
    if form.is_valid():
        person, value = form.cleaned_data["person"], form.cleaned_data["value"]
        replaced = person.pinned_post if person.pinned_post not in ("", value) else ""
        pin_person(person, value, form.cleaned_data["reason"], request)
        messages.success(
            request,
            _("Pin disimpan: %(who)s, %(what)s. Perencanaan berikutnya dan setiap susun ulang mempertahankannya.")
            % {"who": person, "what": pages.pin_words(value, "", _place_names(plan, value))},
        )
        if replaced:  # set by someone else since the page was opened, perhaps: say what was replaced
            messages.warning(
                request,
                _("Pin %(who)s sebelumnya diganti: %(what)s.")
                % {"who": person, "what": pages.pin_words(replaced, "", _place_names(plan, replaced))},
            )
    else:
        _refused(request, plan, form, "pin")
    return redirect(reverse("plan_detail", args=[plan.pk]) + "#pins")


def _place_names(plan: Plan, value: str) -> dict[str, str]:
    """The desa and the post a pin value may name, by the names a person reads."""
    return services.desa_names(plan.operation, value) | post_labels(plan, [value])


@require_POST
def unpin(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(request.user, "plan")
    form = UnpinForm(request.POST, plan=plan)
    if form.is_valid():
        person = form.cleaned_data["person"]
        pin_person(person, "", "", request)
        messages.success(
            request, _("Pin %(who)s dilepas mulai perencanaan atau susun ulang berikutnya.") % {"who": person}
        )
    else:
        _refused(request, plan, form, "unpin", *(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("plan_detail", args=[plan.pk]) + "#pins")


@require_POST
def reinforce(request: HttpRequest, pk: int) -> HttpResponse:
    """The strength advice accepted: the operation's sangat rawan TPS posts get more Polri,
    and a new plan is started with it."""
    plan = plan_for(request, pk)
    require(request.user, "plan")
    form = ReinforceForm(request.POST)
    if not form.is_valid():
        _refused(request, plan, form, "reinforce")
        return redirect(reverse("plan_detail", args=[plan.pk]) + "#strength")
    per_post = form.cleaned_data["per_post"]
    try:
        job = services.reinforce(plan.operation, per_post, request.user, request)
    except services.PlanRunning as running:
        return _already_planning(request, running, _("Pengaturan kekuatan belum disimpan; setelah selesai, ulangi."))
    messages.success(
        request,
        _("Disimpan: +%(n)s Polri per pos TPS sangat rawan dan khusus. Rencana baru disusun dengan pengaturan ini.")
        % {"n": per_post},
    )
    return redirect("job_status", job.pk)


@require_POST
def replan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(request.user, "plan")
    form = ReplanForm(with_picks(request.POST), operation=plan.operation)
    if not form.is_valid():  # the form shown again as it was sent, each message beside its field
        _refused(request, plan, form, "replan")
        return redirect(reverse("plan_detail", args=[plan.pk]) + "#replan-form")
    params = {"plan": plan.pk, "absent": form.cleaned_data["absent"], "categories": form.cleaned_data["categories"]}
    change = _("Susun ulang: %(absent)s tidak hadir, %(changed)s kategori berubah") % {
        "absent": len(params["absent"]),
        "changed": len(params["categories"]),
    }
    stale = _stale(request, plan, change, "plan_replan")
    if stale is not None:
        return stale
    try:  # a second re-plan now would fork the plan: it would not see the first's result
        job = services.start_planning(plan.operation, request.user, kind="replan", params=params, request=request)
    except services.PlanRunning as running:
        words = _("Susun ulang Anda belum dijalankan. Setelah selesai, buka versi terbaru dan jalankan lagi.")
        return _already_planning(request, running, words)
    return redirect("job_status", job.pk)


@require_POST
def psu(request: HttpRequest, pk: int) -> HttpResponse:
    """A re-vote at a few TPS on a new date: the stage is added and a re-plan started."""
    plan = plan_for(request, pk)
    require(request.user, "plan")
    form = PsuForm(request.POST, operation=plan.operation)
    if not form.is_valid():
        _refused(request, plan, form, "psu")
        return redirect(reverse("plan_detail", args=[plan.pk]) + "#psu")
    data = form.cleaned_data
    stale = _stale(
        request, plan, _("PSU %(name)s (%(n)s TPS)") % {"name": data["name"].strip(), "n": len(data["tps"])}, "plan_psu"
    )
    if stale is not None:
        return stale
    start = datetime.combine(data["date"], data["start"])
    end = datetime.combine(data["date"], data["end"])
    try:
        job = services.add_psu(plan, data["name"].strip(), start, end, data["tps"], request.user, request)
    except services.PlanRunning as running:
        words = _("PSU belum ditambahkan. Setelah selesai, buka versi terbaru dan tambahkan lagi.")
        return _already_planning(request, running, words)
    messages.success(
        request,
        _("PSU %(name)s ditambahkan (%(n)s TPS). Rencana baru disusun: penugasan lain tetap.")
        % {"name": data["name"].strip(), "n": len(data["tps"])},
    )
    return redirect("job_status", job.pk)


def _confirmed(request: HttpRequest, plan: Plan) -> bool:
    """A decision is taken only with the confirmation box's field: a stray POST (a double
    click, a replayed form) is refused with a message."""
    if request.POST.get("confirm") == "yes":
        return True
    messages.error(request, _("Tindakan tidak dijalankan: konfirmasi dulu pada kotak yang muncul."))
    return False


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(request.user, "approve")
    if not _confirmed(request, plan):
        return redirect("plan_detail", plan.pk)
    try:
        services.approve(plan, request.user, request)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Rencana versi %(v)s disetujui.") % {"v": plan.version})
    return redirect("plan_detail", plan.pk)


def _deciding(request: HttpRequest, plan: Plan) -> bool:
    """The page offers its reader the approval or the categories' sign-off of this draft."""
    return plan.status == Plan.Status.DRAFT and can(request.user, "approve")


def _signoff_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    """The sign-off of the plan's categories: in force, voided, or who may give it."""
    signoff = services.valid_signoff(plan)
    voided = None if signoff else plan.signoffs.exclude(voided_at=None).first()
    may_sign = signoff is None and plan.status == Plan.Status.DRAFT and can(request.user, "approve")
    return {
        "signoff": signoff,
        "signoff_voided": voided,
        "signers": services.signers(plan.operation) if may_sign else [],
        "may_sign": may_sign,
        "unsigned_reason": services.unsigned_reason(),
        "to_sign": pages.categories_to_sign(plan) if may_sign else None,
    }


@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """The commander records the named officer's sign-off of the plan's TPS categories."""
    plan = plan_for(request, pk)
    require(request.user, "approve")
    if not _confirmed(request, plan):
        return redirect("plan_detail", plan.pk)
    try:
        signoff = services.sign_off(plan, request.POST.get("officer", "")[:40], request.user, request)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Kategori rencana versi %(v)s disahkan oleh %(position)s %(name)s.")
            % {"v": plan.version, "position": signoff.position, "name": signoff.name},
        )
    return redirect("plan_detail", plan.pk)


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(request.user, "publish")
    if not _confirmed(request, plan):
        return redirect("plan_detail", plan.pk)
    try:
        services.publish(plan, request.user, request)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Rencana versi %(v)s diterbitkan.") % {"v": plan.version})
    return redirect("plan_detail", plan.pk)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The commander takes back an approval or a publication, with a reason."""
    plan = plan_for(request, pk)
    require(request.user, "publish" if plan.status == Plan.Status.PUBLISHED else "approve")
    if not _confirmed(request, plan):
        return redirect("plan_detail", plan.pk)
    was = plan.status
    try:
        seen = request.POST.get("status", "")[:12]  # the status the page showed
        services.withdraw(plan, request.POST.get("reason", "")[:200], request.user, request, seen)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        done = _("Persetujuan rencana versi %(v)s ditarik: kembali menjadi konsep.")
        if was == Plan.Status.PUBLISHED:
            done = _("Penerbitan rencana versi %(v)s ditarik: kembali berstatus disetujui.")
        messages.success(request, done % {"v": plan.version})
    return redirect("plan_detail", plan.pk)


def diff(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    old = plan_for(request, pk)
    new = plan_for(request, other)
    if old.operation_id != new.operation_id:
        raise Http404
    _log_roster_read(request, new)
    scope = Scope.of(request.user)
    changes = pages.diff_page(old, new, scope)
    figures = [
        {
            "label": FIGURE_LABELS.get(k, k),
            "old": a,
            "new": b,
            "delta": round((b or 0) - (a or 0), 6),
            "digits": "1g" if k in pages.FIGURE_WORDS else "-2g",  # as the plan page shows them
        }
        for k, a, b in changes["summary"]
    ]
    context = {
        "operation": old.operation,
        "old": old,
        "new": new,
        "scope": scope.narrowed_to,
        "changes": changes,
        "figures": figures,
        "categories": services.category_changes(old, new, scope if scope.narrowed_to is not None else None),
        "signoffs": (services.valid_signoff(old), services.valid_signoff(new)),
        # the objectives in parts, so that a jump says why (the whole Polres's figures only)
        "objective": compare.objective_changes(old, new) if scope.whole else None,
    }
    return render(request, "plans/diff.html", context)


def _log_roster_read(request: HttpRequest, plan: Plan) -> None:
    """Names and NRP on a page read by a role that does not keep the roster (UU PDP)."""
    roster_read(request, "plan", plan.pk, operation_id=plan.operation_id)


def _refuse(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))
