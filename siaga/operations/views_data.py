"""The data pages: import a scenario workbook (upload, preview, confirm), download the
template, export an operation, browse regions, TPS, units and personnel, and correct a TPS
or a person by hand.

Lists are scoped (a sector chief sees their kecamatan) and use a fixed number of queries
whatever the number of rows: a page of `values()` rows, then one query per lookup (names of
the regions and units on that page).
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siaga.accounts.models import Role
from siaga.accounts.roles import get_scoped, require, role_of, scoped
from siaga.audit.log import record
from siaga.core.data import template
from siaga.core.data.indicators import ValueType, catalog
from siaga.core.data.model import VILLAGE_LEVELS, Category, Force, Level, Scenario
from siaga.core.data.problems import ScenarioError, UnreadableFile
from siaga.core.data.scenario import read_scenario
from siaga.operations import services
from siaga.operations.forms import PersonForm, TpsForm, UploadForm, lang, max_upload_bytes, too_large
from siaga.operations.models import Operation
from siaga.operations.views import operation_for

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOKEN = re.compile(r"[0-9a-f]{32}")
SESSION_UPLOADS = "siaga_uploads"  # token -> original file name, for this session only
UPLOAD_MAX_AGE_SECONDS = 24 * 3600
ROSTER_OWNERS = frozenset({Role.ADMIN, Role.PLANNER})
LEVELS = [lv.value for lv in Level]
CATEGORIES = [c.value for c in Category]
FORCES = [f.value for f in Force]


# ---------------------------------------------------------------- import


def import_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: validate the workbook and show a preview, or every problem."""
    require(request.user, "import")
    if request.method != "POST":
        return render(request, "operations/import.html", {"form": UploadForm()})
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > max_upload_bytes() + 64 * 1024:  # refused before the body is read
        context = {"form": UploadForm(), "refused": too_large(declared)}
        return render(request, "operations/import.html", context, status=413)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "operations/import.html", {"form": form}, status=400)
    upload: UploadedFile = form.cleaned_data["file"]
    name = Path(upload.name or "").name[:200]
    token = _save_upload(upload)
    try:
        scenario = read_scenario(_upload_path(token))
    except ScenarioError as exc:
        _upload_path(token).unlink(missing_ok=True)
        return _problems(request, exc, name)
    uploads = {t: n for t, n in request.session.get(SESSION_UPLOADS, {}).items() if _upload_path(t).exists()}
    uploads[token] = name
    request.session[SESSION_UPLOADS] = uploads
    context = {"name": name, "token": token, "summary": _summary(scenario)}
    return render(request, "operations/import_preview.html", context)


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed upload of this session (by its token) as a new operation."""
    require(request.user, "import")
    token = request.POST.get("token", "")
    uploads: dict[str, str] = request.session.get(SESSION_UPLOADS, {})
    if not TOKEN.fullmatch(token) or token not in uploads:
        messages.error(request, _("Unggahan tidak ditemukan atau sudah diimpor. Unggah berkasnya lagi."))
        return redirect("import")
    name = uploads.pop(token)
    request.session[SESSION_UPLOADS] = uploads
    claimed = _upload_path(token).with_suffix(".importing.xlsx")
    try:
        _upload_path(token).rename(claimed)  # one confirm wins, a second click finds nothing
    except FileNotFoundError:
        messages.error(request, _("Unggahan tidak ditemukan atau sudah diimpor. Unggah berkasnya lagi."))
        return redirect("import")
    from siaga.plans.services import start_import

    job = start_import(claimed, name, request.user, request)  # the worker reads and stores it
    return redirect("job_status", job.pk)


def _problems(request: HttpRequest, exc: ScenarioError, name: str) -> HttpResponse:
    context = {"name": name, "problems": exc.messages(lang()), "unreadable": isinstance(exc, UnreadableFile)}
    return render(request, "operations/import_preview.html", context, status=400)


def _uploads_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _upload_path(token: str) -> Path:
    if not TOKEN.fullmatch(token):  # the only way a name reaches the file system
        raise ValueError("bad upload token")
    return _uploads_dir() / f"{token}.xlsx"


def _save_upload(upload: UploadedFile) -> str:
    """Store the upload under a fresh random name; forget uploads nobody confirmed in a day."""
    cutoff = time.time() - UPLOAD_MAX_AGE_SECONDS
    for old in _uploads_dir().glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    with _upload_path(token).open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


def _summary(scenario: Scenario) -> dict[str, Any]:
    """What the preview shows, as the CLI's `siaga scenario validate` summary does."""
    levels = Counter(r.level for r in scenario.regions)
    forces = Counter(p.force for p in scenario.personnel)
    kinds = Counter(u.kind for u in scenario.units)
    return {
        "operation": scenario.operation,
        "kecamatan": levels[Level.KECAMATAN],
        "desa": sum(levels[lv] for lv in VILLAGE_LEVELS),
        "tps": len(scenario.tps),
        "voters": sum(t.voters for t in scenario.tps),
        "persons": len(scenario.personnel),
        "forces": [(f.value, forces[f]) for f in Force],
        "units": len(scenario.units),
        "kinds": sorted((k.value, n) for k, n in kinds.items()),
    }


# ---------------------------------------------------------------- files out


def template_download(request: HttpRequest) -> FileResponse:
    require(request.user, "view")
    return _attachment(template.write, "templat-skenario-siaga.xlsx")


def export(request: HttpRequest, op_id: int) -> FileResponse:
    """The operation as a scenario workbook that imports back unchanged (audited: it holds the roster)."""
    operation = operation_for(request, op_id)
    require(request.user, "export")
    response = _attachment(
        lambda path: services.export_scenario(operation, path),
        f"skenario-{slugify(operation.name) or operation.pk}.xlsx",
    )
    record(request, "export", "operation", str(operation.pk), operation_id=operation.pk)
    return response


def _attachment(write: Callable[[Path], None], filename: str) -> FileResponse:
    folder = Path(tempfile.mkdtemp(prefix="siaga-"))
    try:
        path = folder / filename
        write(path)
        handle = path.open("rb")  # stays readable once its folder is removed
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


# ---------------------------------------------------------------- lists


def regions_list(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    chosen = _chosen(request, "level", "q")
    rows = scoped(operation.regions.all(), request.user)
    if chosen["level"] in LEVELS:
        rows = rows.filter(level=chosen["level"])
    if chosen["q"]:
        rows = rows.filter(Q(name__icontains=chosen["q"]) | Q(code__icontains=chosen["q"]))
    fields = ("id", "code", "name", "level", "parent_code", "lat", "lon", "indicators")
    page = _page(request, rows.order_by("code").values(*fields))
    parents = _region_names(operation, (r["parent_code"] for r in page))
    labels = {k: (ind.label(lang()), ind.type == ValueType.BOOL) for k, ind in catalog().items()}
    for r in page:
        r["parent_name"] = parents.get(r["parent_code"], "")
        r["is_desa"] = r["level"] in VILLAGE_LEVELS
        shown = [(k, v, *labels.get(k, (k, False))) for k, v in r["indicators"].items()]
        r["indicator_list"] = [(label, _indicator_value(v, boolean)) for _k, v, label, boolean in shown]
    context = {"operation": operation, "page": page, "chosen": chosen, "levels": LEVELS}
    return render(request, "operations/data_regions.html", context)


def tps_list(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    chosen = _chosen(request, "kecamatan", "desa", "category", "q")
    rows = scoped(operation.tps_set.all(), request.user)
    if chosen["kecamatan"]:
        rows = rows.filter(kecamatan_code=chosen["kecamatan"])
    if chosen["desa"]:
        rows = rows.filter(desa_code=chosen["desa"])
    if chosen["category"] in CATEGORIES:
        rows = rows.filter(effective_category=chosen["category"])
    if chosen["q"]:
        rows = rows.filter(Q(code__icontains=chosen["q"]) | Q(address__icontains=chosen["q"]))
    fields = ["id", "code", "desa_code", "kecamatan_code", "number", "voters", "address"]
    fields += ["effective_category", "score", "category", "category_reason"]
    page = _page(request, rows.order_by("kecamatan_code", "desa_code", "number", "code").values(*fields))
    codes = {code for t in page for code in (t["desa_code"], t["kecamatan_code"])}
    regions = {
        code: (pk, name)
        for pk, code, name in operation.regions.filter(code__in=codes).values_list("pk", "code", "name")
    }
    for t in page:
        t["desa_id"], t["desa_name"] = regions.get(t["desa_code"], (None, ""))
        t["kecamatan_name"] = regions.get(t["kecamatan_code"], (None, ""))[1]
    context = {
        "operation": operation,
        "page": page,
        "chosen": chosen,
        "kecamatan_options": _kecamatan_options(operation, request),
        "desa_options": _desa_options(operation, request, chosen["kecamatan"]),
        "categories": CATEGORIES,
    }
    return render(request, "operations/data_tps.html", context)


def units_list(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    chosen = _chosen(request, "kind", "q")
    rows = scoped(operation.units.all(), request.user)
    if chosen["kind"]:
        rows = rows.filter(kind=chosen["kind"])
    if chosen["q"]:
        rows = rows.filter(Q(name__icontains=chosen["q"]) | Q(code__icontains=chosen["q"]))
    page = _page(request, rows.order_by("code").values("id", "code", "name", "kind", "kecamatan_code"))
    codes = [u["code"] for u in page]
    members = scoped(operation.personnel.filter(unit_code__in=codes), request.user)
    count = dict(members.order_by().values_list("unit_code").annotate(n=Count("id")).values_list("unit_code", "n"))
    names = _region_names(operation, (u["kecamatan_code"] for u in page))
    for u in page:
        u["kecamatan_name"], u["members"] = names.get(u["kecamatan_code"], ""), count.get(u["code"], 0)
    kinds = scoped(operation.units.all(), request.user).order_by("kind").values_list("kind", flat=True).distinct()
    context = {"operation": operation, "page": page, "chosen": chosen, "kinds": list(kinds)}
    return render(request, "operations/data_units.html", context)


def personnel_list(request: HttpRequest, op_id: int) -> HttpResponse:
    """The roster. Reading it without owning it (anyone but admin and planner) is audited (UU PDP)."""
    operation = operation_for(request, op_id)
    chosen = _chosen(request, "force", "unit", "kecamatan", "available", "q")
    rows = scoped(operation.personnel.all(), request.user)
    if chosen["force"] in FORCES:
        rows = rows.filter(force=chosen["force"])
    if chosen["unit"]:
        rows = rows.filter(unit_code=chosen["unit"])
    if chosen["kecamatan"]:
        rows = rows.filter(kecamatan_code=chosen["kecamatan"])
    if chosen["available"] in ("1", "0"):
        rows = rows.filter(available=chosen["available"] == "1")
    if chosen["q"]:
        rows = rows.filter(Q(name__icontains=chosen["q"]) | Q(code__icontains=chosen["q"]))
    fields = ["id", "code", "name", "rank", "unit_code", "force", "desa_code", "phone", "available"]
    fields += ["position", "pinned_post", "pin_reason"]
    page = _page(request, rows.order_by("force", "unit_code", "name", "code").values(*fields))
    units = dict(operation.units.filter(code__in={p["unit_code"] for p in page}).values_list("code", "name"))
    desa = _region_names(operation, (p["desa_code"] for p in page))
    for p in page:
        p["unit_name"], p["desa_name"] = units.get(p["unit_code"], ""), desa.get(p["desa_code"], "")
    if role_of(request.user) not in ROSTER_OWNERS:
        shown = {"filters": {k: v for k, v in chosen.items() if v}, "page": page.number}
        shown |= {"total": page.paginator.count, "persons": [p["code"] for p in page]}
        record(request, "read_roster", "personnel", "", operation_id=operation.pk, after=shown)
    context = {
        "operation": operation,
        "page": page,
        "chosen": chosen,
        "forces": FORCES,
        "unit_options": list(scoped(operation.units.all(), request.user).order_by("name").values_list("code", "name")),
        "kecamatan_options": _kecamatan_options(operation, request),
    }
    return render(request, "operations/data_personnel.html", context)


def _chosen(request: HttpRequest, *names: str) -> dict[str, str]:
    return {n: request.GET.get(n, "").strip()[:100] for n in names}


def _page(request: HttpRequest, rows: QuerySet[Any, Any]) -> Page[Any]:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _region_names(operation: Operation, codes: Iterable[str]) -> dict[str, str]:
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return dict(operation.regions.filter(code__in=wanted).values_list("code", "name"))


def _kecamatan_options(operation: Operation, request: HttpRequest) -> list[tuple[str, str]]:
    rows = scoped(operation.regions.filter(level=Level.KECAMATAN), request.user)
    return list(rows.order_by("name").values_list("code", "name"))


DESA_OPTIONS_LIMIT = 1000  # beyond this, pick a kecamatan first


def _desa_options(operation: Operation, request: HttpRequest, kecamatan: str) -> list[tuple[str, str]]:
    rows = scoped(operation.regions.filter(level__in=list(VILLAGE_LEVELS)), request.user)
    if kecamatan:
        rows = rows.filter(kecamatan_code=kecamatan)
    options = list(rows.order_by("name").values_list("code", "name")[: DESA_OPTIONS_LIMIT + 1])
    return options if len(options) <= DESA_OPTIONS_LIMIT else []


def _indicator_value(value: float, boolean: bool) -> str:
    if boolean:
        return _("ya") if value else _("tidak")
    return str(int(value)) if float(value).is_integer() else str(value)


# ---------------------------------------------------------------- edits


def tps_edit(request: HttpRequest, op_id: int, pk: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    require(request.user, "edit")
    tps = get_scoped(operation.tps_set.all(), request.user, pk=pk)
    form = TpsForm(request.POST if request.method == "POST" else None, initial=TpsForm.initial_for(tps))
    if form.is_valid():
        changed = services.edit_tps(tps, form.cleaned_data, request)
        _saved(request, tps.code, changed)
        return redirect(reverse("tps_list", args=[operation.pk]) + f"?desa={tps.desa_code}")
    names = _region_names(operation, [tps.desa_code, tps.kecamatan_code])
    context = {"operation": operation, "tps": tps, "form": form, "desa": names.get(tps.desa_code, tps.desa_code)}
    context["kecamatan"] = names.get(tps.kecamatan_code, tps.kecamatan_code)
    return render(request, "operations/data_tps_edit.html", context, status=400 if form.is_bound else 200)


def person_edit(request: HttpRequest, op_id: int, pk: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    require(request.user, "edit")
    person = get_scoped(operation.personnel.all(), request.user, pk=pk)
    form = PersonForm(request.POST if request.method == "POST" else None, person=person)
    if form.is_valid():
        changed = services.edit_person(person, form.cleaned_data, request)
        _saved(request, person.name, changed)
        return redirect(reverse("personnel_list", args=[operation.pk]) + f"?q={person.code}")
    context = {"operation": operation, "person": person, "form": form}
    return render(request, "operations/data_person_edit.html", context, status=400 if form.is_bound else 200)


def _saved(request: HttpRequest, what: str, changed: list[str]) -> None:
    if changed:
        messages.success(request, _("%(what)s disimpan.") % {"what": what})
    else:
        messages.info(request, _("%(what)s: tidak ada perubahan.") % {"what": what})
