"""The apel gelar pasukan and sarpras pages: a roll call per plan (card QR scanned by the
phone's camera, NRP typed, or a tick on the list), readiness per unit and force refreshed by
htmx, the absentees turned into a re-plan with one action, and the equipment checklist.

Writes go through `siaga.field.services` (who may write, a sector chief's kecamatan, the
idempotency key of every check-in); the views only turn requests into calls and answers.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from pydantic import ValidationError as PydanticError

from siaga.accounts.roles import can, role_of
from siaga.accounts.scope import Scope, roster_read
from siaga.core.data import linmas
from siaga.field import idempotency, services
from siaga.field.models import KEY_LENGTH, AbsenteeReplan, EquipmentItem
from siaga.field.schemas import CheckInIn
from siaga.field.services import apel as apel_rules
from siaga.field.views_common import on_current_plan, polled
from siaga.operations.labels import FORCE_LABELS, label
from siaga.operations.models import Person, Unit
from siaga.plans.lines import line_of
from siaga.plans.models import Plan, PlanJob
from siaga.plans.names import post_labels
from siaga.plans.pages import diff_page


def _scope_name(plan: Plan, user: Any) -> str:
    """A sector chief's kecamatan by its name ("Kecamatan Pohjentrek"); "" for the whole Polres."""
    code = Scope.of(user).narrowed_to
    if not code:
        return ""
    name = plan.operation.regions.filter(code=code).values_list("name", flat=True).first()
    return _("Kecamatan %(name)s") % {"name": name} if name else code


def _may_write(request: HttpRequest) -> bool:
    return role_of(request.user) in services.WRITERS


def _apel(request: HttpRequest, plan: Plan) -> services.Apel:
    """The apel the request is about (`?apel=`; none: the apel before the pergeseran); 404
    for a key the operation does not have."""
    try:
        return services.apel_of(plan.operation, request.GET.get("apel", ""))
    except services.FieldError:
        raise Http404 from None


ROLL_PAGE = 100  # people on a page of the roll call
ABSENT_SHOWN = 50  # absentees the readiness panel names; the others it counts
ABSENT_LISTED = 10  # absentees the "Yang tidak hadir" card lists plainly; the others it counts and links to
PRESENT_FILTER = {"no": False, "yes": True}  # `?present=`: only the absent, only the present
NO_UNIT = "-"  # `?unit=-`: the people of no unit (the Linmas)


def _roll_call(plan: Plan, request: HttpRequest, apel: str, units: list[dict[str, Any]]) -> dict[str, Any]:
    """One page of the roll call (`services.apel.roll_call`, paged in the database) with the
    filters it was asked for: `unit` (`NO_UNIT`: none), `q` (name or NRP/NIK), `present`
    (yes/no), `page`; the units to choose from with their counts (`units`: the readiness's)."""
    unit = request.GET.get("unit", "").strip()[:60]
    query = request.GET.get("q", "").strip()[:100]
    present = request.GET.get("present", "")
    code = None if not unit else "" if unit == NO_UNIT else unit
    rows = apel_rules.roll_call(plan, request.user, apel, unit=code, query=query, present=PRESENT_FILTER.get(present))
    page = Paginator(rows, ROLL_PAGE).get_page(request.GET.get("page"))
    people = list(page.object_list)
    posts = dict(
        plan.assignments.filter(person_code__in=[p["code"] for p in people])
        .order_by()
        .values_list("person_code", "post__code")
    )
    names = post_labels(plan, posts.values())
    for person in people:
        post = posts.get(person["code"], "")
        person["post"] = names.get(post, post)
        person["shown_code"] = linmas.shown(person["code"], person["force"])  # a Linmas's NIK masked
        person["force"] = label(FORCE_LABELS, person["force"])
    return {
        "page": page,
        "people": people,
        "unit": unit,
        "q": query,
        "present": present if present in PRESENT_FILTER else "",
        "units": [{**u, "value": u["code"] or NO_UNIT} for u in units],
        "filtered": bool(unit or query or present in PRESENT_FILTER),
    }


def _readiness_context(plan: Plan, request: HttpRequest) -> dict[str, Any]:
    apel = _apel(request, plan)
    ready = services.readiness(plan, request.user, apel.key)
    for row in ready["units"] + ready["forces"]:
        row["pct"] = round(100 * row["present"] / row["expected"]) if row["expected"] else 0
    ready["pct"] = round(100 * ready["present"] / ready["expected"]) if ready["expected"] else 0
    absent = apel_rules.absent_codes(plan, request.user, apel.key)
    first = list(absent[:ABSENT_SHOWN])
    count = absent.count() if len(first) == ABSENT_SHOWN else len(first)
    people = _absent_people(plan, first)
    query = f"?apel={apel.key}&present=no" if apel.key else "?present=no"
    named = [
        people.get(code) or {"code": code, "shown": linmas.shown(code, ""), "name": code, "rank": "", "unit": ""}
        for code in first
    ]
    return {
        "plan": plan,
        "apel": apel,
        "apel_query": f"?apel={apel.key}" if apel.key else "",
        "ready": ready,
        "absent": named,
        "absent_count": count,
        "absent_more": count - len(first),
        "absent_listed": named[:ABSENT_LISTED],
        "absent_listed_more": count - len(named[:ABSENT_LISTED]),
        "absent_url": reverse("apel", args=[plan.pk]) + query + "#roll-call",
        "sarpras": services.sarpras(plan, request.user),
        "may_write": _may_write(request),
        "unit_key": uuid.uuid4().hex,
    }


def _absent_people(plan: Plan, codes: list[str]) -> dict[str, dict[str, str]]:
    """The absentees named on the page by NRP/NIK: name, rank and unit (its name, else its code)."""
    op = plan.operation_id
    rows = list(
        Person.objects.filter(operation_id=op, code__in=codes).values("code", "name", "rank", "unit_code", "force")
    )
    wanted = {r["unit_code"] for r in rows}
    units = dict(Unit.objects.filter(operation_id=op, code__in=wanted).values_list("code", "name"))
    out = {}
    for r in rows:
        unit = units.get(r["unit_code"], r["unit_code"])
        shown = linmas.shown(r["code"], r["force"])  # a Linmas's NIK masked
        out[r["code"]] = {"code": r["code"], "shown": shown, "name": r["name"], "rank": r["rank"], "unit": unit}
    return out


@on_current_plan
def apel(request: HttpRequest, plan: Plan) -> HttpResponse:
    context = _readiness_context(plan, request)
    roster_read(request, "apel", plan.pk, operation_id=plan.operation_id, after={"apel": context["apel"].key})
    context.update(
        {
            "operation": plan.operation,
            "scope": _scope_name(plan, request.user),
            "apels": services.apels(plan.operation),
            "roll": _roll_call(plan, request, context["apel"].key, context["ready"]["units"]),
            "may_write": _may_write(request),
            "may_replan": can(request.user, "plan"),
            "replan_refused": apel_rules.replan_refusal(
                plan, request.user, ready=context["ready"] if context["apel"].before_pergeseran else None
            )
            if can(request.user, "plan")
            else None,
            "replan_share": apel_rules.replan_min_present(plan.operation),
            "replan_newcomers": apel_rules.replan_newcomers(plan.operation),
            "replan_key": uuid.uuid4().hex,
            "nrp_key": uuid.uuid4().hex,
            "apel_text": {
                "present": _("hadir"),
                "camera_off": _("Kamera tidak tersedia: ketik NRP."),
                "failed": _("Gagal mengirim; coba lagi."),
                "scanning": _("Arahkan kamera ke kode QR kartu…"),
            },
            "last_replan": AbsenteeReplan.objects.filter(plan__operation_id=plan.operation_id)
            .select_related("job")
            .order_by("-at")
            .first(),
        }
    )
    return render(request, "field/apel.html", context)


@on_current_plan
@polled
def readiness(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The readiness panel, polled by htmx every two seconds (the absentees by name: audited
    once per reader and quarter of an hour)."""
    roster_read(request, "apel", plan.pk, operation_id=plan.operation_id, once_per=timedelta(minutes=15))
    # with the "Yang tidak hadir" card out of band: after a check-in it counts and lists what the cards do
    return render(request, "field/_apel_readiness.html", {**_readiness_context(plan, request), "oob": True})


def _replans(plan: Plan) -> Any:
    """The operation's absentee re-plans, newest first."""
    rows = AbsenteeReplan.objects.filter(plan__operation_id=plan.operation_id)
    return rows.select_related("job", "job__plan").order_by("-at")


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or bool(request.headers.get("Idempotency-Key"))


@require_POST
@on_current_plan
def checkin(request: HttpRequest, plan: Plan) -> HttpResponse:
    """One check-in from the page: the scanner's token, the NRP box or a tick on the list.
    The idempotency key comes in the `Idempotency-Key` header (script) or the form (no script);
    a role that may not write the roll call is refused before the key or the input is read."""
    as_json = _wants_json(request)
    apel = _apel(request, plan)
    key = (request.headers.get("Idempotency-Key") or request.POST.get("key") or "").strip()
    status, answer = 200, dict[str, Any]()
    try:  # the phone API's input schema
        given = CheckInIn.model_validate(
            {
                "token": request.POST.get("token", "").strip(),
                "nrp": request.POST.get("nrp", "").strip(),
                "method": request.POST.get("method", ""),
            }
        )
    except PydanticError:
        given = None
    token, nrp, method = (given.token, given.nrp, given.method) if given else ("", "", "")
    if not _may_write(request):
        status, answer = 403, {"error": _("Peran Anda hanya dapat melihat apel.")}
    elif not key or len(key) > KEY_LENGTH or not key.isascii() or not key.isprintable() or " " in key:
        status, answer = 400, {"error": _("Kunci idempotensi tidak ada atau tidak sah.")}
    elif given is None:
        status, answer = 422, {"error": _("Isian tidak sah.")}
    else:
        try:
            with transaction.atomic():  # the key bound to this request, or nothing (a refusal frees it)
                clash = idempotency.conflict(key, request.user, request)
                if clash:
                    raise services.KeyConflict(clash)
                row, created = services.check_in(
                    plan, request.user, key, token=token, nrp=nrp, method=method, apel=apel.key, request=request
                )
        except PermissionDenied:
            status, answer = 403, {"error": _("Peran Anda hanya dapat melihat apel.")}
        except services.NotVisible:
            status, answer = 404, {"error": _("Personel ini di luar wilayah Anda.")}
        except services.KeyConflict as clash:
            status, answer = 409, {"error": str(clash) or _("Kunci idempotensi sudah dipakai orang lain.")}
        except services.FieldError as exc:
            refused = _("Kartu ditolak") if token else _("Personel tidak ditemukan")
            status, answer = 422, {"error": f"{refused}: {exc}"}
        else:
            name, force = (
                Person.objects.filter(operation_id=plan.operation_id, code=row.person_code)
                .values_list("name", "force")
                .first()
            ) or (None, "")
            answer = {
                "ok": True,
                "person_code": row.person_code,
                "name": name or row.person_code,
                "method": row.method,
                "created": created,
                "message": (_("Hadir: %(name)s (%(code)s)") if created else _("Sudah tercatat: %(name)s (%(code)s)"))
                % {"name": name or row.person_code, "code": linmas.shown(row.person_code, force)},
                "note": services.card_note(plan, token) if token else "",
                "version": plan.version,
            }
            if answer["note"]:
                answer["message"] = f"{answer['message']}. {answer['note']}"
    if as_json:
        return JsonResponse(answer, status=status)
    if answer.get("ok"):
        messages.success(request, answer["message"])
    else:
        messages.error(request, answer["error"])
    return redirect(reverse("apel", args=[plan.pk]) + (f"?apel={apel.key}" if apel.key else ""))


@require_POST
@on_current_plan
def checkin_unit(request: HttpRequest, plan: Plan) -> HttpResponse:
    """A whole unit present at once: its commander reports it formed up, the clerk records
    everyone of it on the plan (within the user's sector) who has not checked in yet."""
    apel = _apel(request, plan)
    unit = request.POST.get("unit", "").strip()
    key = request.POST.get("key", "").strip()[:KEY_LENGTH] or uuid.uuid4().hex
    back = reverse("apel", args=[plan.pk]) + (f"?apel={apel.key}" if apel.key else "")
    if not _may_write(request):  # the role first: a viewer reads nothing of confirmations or units
        messages.error(request, _("Peran Anda hanya dapat melihat apel."))
        return redirect(back)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tidak dicatat: konfirmasi dulu pada kotak yang muncul."))
        return redirect(back)
    name = apel_rules.group_name(plan.operation_id, unit) if unit else ""
    if not name:
        messages.error(request, _("Satuan tidak ditemukan di operasi ini."))
        return redirect(back)
    try:
        n = services.check_in_unit(plan, request.user, unit, key, apel=apel.key, request=request)
    except PermissionDenied:
        messages.error(request, _("Peran Anda hanya dapat melihat apel."))
        return redirect(back)
    except services.FieldError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if n:
        messages.success(
            request,
            ngettext("%(unit)s: %(n)s personel dicatat hadir.", "%(unit)s: %(n)s personel dicatat hadir.", n)
            % {"unit": name, "n": n},
        )
    else:
        messages.info(request, _("%(unit)s: semua personelnya sudah tercatat hadir.") % {"unit": name})
    return redirect(back)


@require_POST
def checkin_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """A check-in recorded by mistake taken back (the roll call's "Batal"), after a confirmation;
    a role that may not write the roll call gets the 403 page (the button is not offered to it)."""
    if not _may_write(request):
        raise PermissionDenied("apel")
    return _checkin_undo(request, pk)


@on_current_plan
def _checkin_undo(request: HttpRequest, plan: Plan) -> HttpResponse:
    apel = _apel(request, plan)
    code = request.POST.get("nrp", "").strip()[:40]
    back = reverse("apel", args=[plan.pk]) + (f"?apel={apel.key}" if apel.key else "") + "#roll-call"
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tidak diubah: konfirmasi dulu pada kotak yang muncul."))
        return redirect(back)
    try:
        undone = services.undo_check_in(plan, request.user, code, apel=apel.key, request=request)
    except services.FieldError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    name = Person.objects.filter(operation_id=plan.operation_id, code=code).values_list("name", flat=True).first()
    if undone:
        messages.success(request, _("%(name)s kembali tercatat belum hadir.") % {"name": name or code})
    else:
        messages.info(request, _("%(name)s memang belum tercatat hadir.") % {"name": name or code})
    return redirect(back)


def _replan_refused(request: HttpRequest, plan: Plan) -> str | None:
    """Why this POST may not start the absentee re-plan: not confirmed, or too early
    (`services.replan_refusal`). A repeated key (the same confirmed click) passes as before."""
    if not can(request.user, "plan"):
        return None  # the service refuses it with 403
    key = request.POST.get("key", "").strip()[:KEY_LENGTH]
    if key and AbsenteeReplan.objects.filter(key=key, plan__operation_id=plan.operation_id).exists():
        return None
    if request.POST.get("confirm") != "yes":
        return _("Susun ulang tidak dijalankan: konfirmasi dulu pada kotak yang muncul.")
    return apel_rules.replan_refusal(plan, request.user)


@on_current_plan
def absentee_replan(request: HttpRequest, plan: Plan) -> HttpResponse:
    """POST: a minimal-change re-plan without everyone not yet checked in (the planner's
    `replan` job). GET: that job's progress and, once done, who moves where."""
    if request.method == "POST":
        key = request.POST.get("key", "").strip()[:KEY_LENGTH] or uuid.uuid4().hex
        refused = _replan_refused(request, plan)
        if refused:
            messages.error(request, refused)
            return redirect(reverse("apel", args=[plan.pk]) + "#replan")
        try:
            started, _created = services.replan_absentees(plan, request.user, key, request=request)
        except services.FieldError as exc:
            messages.error(request, str(exc))
            return redirect("apel", plan.pk)
        except services.KeyConflict:
            messages.error(request, _("Kunci idempotensi sudah dipakai orang lain."))
            return redirect("apel", plan.pk)
        return redirect(f"{request.path}?r={started.pk}")
    rows = (
        AbsenteeReplan.objects.filter(plan__operation_id=plan.operation_id)
        .select_related("job", "job__plan")
        .order_by("-at")
    )
    found = rows.filter(pk=int(request.GET["r"])) if request.GET.get("r", "").isdigit() else rows
    row = found.first()
    if row is None:
        raise Http404
    job: PlanJob | None = row.job
    new = job.plan if job is not None and job.status == PlanJob.Status.DONE else None
    context: dict[str, Any] = {
        "operation": plan.operation,
        "plan": plan,
        "row": row,
        "job": job,
        "new": new,
        "finished": job is None or job.status in (PlanJob.Status.DONE, PlanJob.Status.FAILED),
        "absent_count": len(row.absent),
        "moves": diff_page(plan, new, Scope.of(request.user))["moved"] if new is not None else [],
        "line": line_of(job),
    }
    context["summary"] = _replan_summary(context["moves"])
    template = "field/_apel_replan.html" if request.headers.get("HX-Request") else "field/apel_replan.html"
    return render(request, template, context)


def _replan_summary(moves: list[dict[str, Any]]) -> list[str]:
    """What the re-plan changed, in words: who left their post, who came in from outside the
    plan (nobody checked them in: they were not on it), who present moved to another post."""
    out = sum(1 for m in moves if m["before"] and not m["after"])
    came = sum(1 for m in moves if m["after"] and not m["before"])
    moved = sum(1 for m in moves if m["before"] and m["after"])
    return [
        ngettext("%(n)s personel dikeluarkan dari posnya.", "%(n)s personel dikeluarkan dari posnya.", out)
        % {"n": out},
        ngettext(
            "%(n)s personel yang sebelumnya tidak ditugaskan masuk menggantikan; mereka tidak ada di daftar apel ini.",
            "%(n)s personel yang sebelumnya tidak ditugaskan masuk menggantikan; mereka tidak ada di daftar apel ini.",
            came,
        )
        % {"n": came},
        ngettext(
            "%(n)s personel yang tetap ditugaskan pindah ke pos lain; yang lain tetap di posnya.",
            "%(n)s personel yang tetap ditugaskan pindah ke pos lain; yang lain tetap di posnya.",
            moved,
        )
        % {"n": moved},
    ]


@on_current_plan
def sarpras(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The equipment checklist per unit; POST saves one unit's counts."""
    data = services.sarpras(plan, request.user)
    refused = ""
    if request.method == "POST":
        unit = request.POST.get("unit", "")
        name = plan.operation.units.filter(code=unit).values_list("name", flat=True).first() or unit
        counts, refused = _equipment_counts(request, name)
        if not refused:
            try:
                services.set_equipment(plan, request.user, unit, counts, request=request)
            except services.FieldError as exc:
                refused = str(exc)
        if not refused:
            messages.success(request, _("Sarpras %(unit)s disimpan.") % {"unit": name})  # the unit as people name it
            return redirect(f"{request.path}#unit-{unit}")
        for row in data["units"]:  # what was typed stays in its boxes, beside the refusal
            if row["code"] == unit:
                row["refused"] = refused
                for k in row["kinds"]:
                    k["required"] = request.POST.get(f"required_{k['kind']}", "")[:20]
                    k["present"] = request.POST.get(f"present_{k['kind']}", "")[:20]
    context = {
        "operation": plan.operation,
        "apel_name": services.apel_of(plan.operation, "").name,
        "plan": plan,
        "scope": _scope_name(plan, request.user),
        "data": data,
        "may_write": _may_write(request),
        "kinds": EquipmentItem.Kind.choices,
    }
    return render(request, "field/sarpras.html", context, status=400 if refused else 200)


EQUIPMENT_MOST = 100_000  # the most of one kind a unit may count (the boxes' max)


def _equipment_counts(request: HttpRequest, unit: str) -> tuple[dict[str, tuple[int, int]], str]:
    """A unit's posted counts (kind -> (required, present)), or the first one refused, in words
    that name the unit, the equipment and the box (an empty box counts 0)."""
    counts: dict[str, tuple[int, int]] = {}
    labels = dict(EquipmentItem.Kind.choices)
    for kind in EquipmentItem.Kind.values:
        pair = []
        for box, box_label in (("required", _("dibutuhkan")), ("present", _("tersedia"))):
            raw = request.POST.get(f"{box}_{kind}", "").strip() or "0"
            value = int(raw) if raw.isdigit() else -1
            if not 0 <= value <= EQUIPMENT_MOST:
                most = number_format(EQUIPMENT_MOST, force_grouping=True)
                words = {"unit": unit, "kind": labels[kind], "box": box_label, "value": raw[:20], "most": most}
                return {}, _(
                    "Sarpras %(unit)s, %(kind)s %(box)s: '%(value)s' bukan jumlah; isi bilangan bulat 0 sampai"
                    " %(most)s. Tidak ada yang disimpan."
                ) % words
            pair.append(value)
        counts[kind] = (pair[0], pair[1])
    return counts, ""
