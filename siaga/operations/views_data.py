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
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError
from django.db.models import Count, Max, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from siaga.accounts.names import known_as
from siaga.accounts.roles import can, require, scoped
from siaga.accounts.scope import Scope, roster_read
from siaga.audit.log import record
from siaga.audit.models import AuditEntry
from siaga.audit.reading import lines as audit_lines
from siaga.core.data import template
from siaga.core.data.boundaries import outside_warnings
from siaga.core.data.indicators import ValueType, catalog
from siaga.core.data.model import VILLAGE_LEVELS, Category, Force, Level, Scenario
from siaga.core.data.positions import is_command
from siaga.core.data.problems import ScenarioError, UnreadableFile
from siaga.core.data.scenario import read_scenario
from siaga.operations import diff_words, services
from siaga.operations.boundaries import outside_m, outside_their_desa
from siaga.operations.forms import (
    PersonAddForm,
    PersonForm,
    TpsAddForm,
    TpsForm,
    UnitForm,
    UploadForm,
    lang,
    max_upload_bytes,
    read_operation_name,
    too_large,
)
from siaga.operations.labels import CATEGORY_LABELS, FORCE_LABELS, KIND_LABELS, LEVEL_LABELS, label
from siaga.operations.models import Operation, Person, Tps, Unit
from siaga.operations.row_links import row_of_link
from siaga.operations.views import operation_for
from siaga.plans.names import post_labels
from siaga.plans.pages import pin_words
from siaga.plans.store import current_plan
from siaga.web.listing import Column, Filter, Listing, View

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOKEN = re.compile(r"[0-9a-f]{32}")
SESSION_UPLOADS = "siaga_uploads"  # token -> original file name, for this session only
UPLOAD_MAX_AGE_SECONDS = 24 * 3600
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
        return _problems(request, exc, name, stored=_upload_path(token).name)
    refusal = services.another_polres(scenario, request.user)
    if refusal:  # a Polda database: a Polres imports its own workbooks only
        _upload_path(token).unlink(missing_ok=True)
        return render(request, "operations/import.html", {"form": UploadForm(), "refused": refusal}, status=400)
    uploads = {t: n for t, n in request.session.get(SESSION_UPLOADS, {}).items() if _upload_path(t).exists()}
    uploads[token] = name
    request.session[SESSION_UPLOADS] = uploads
    context = {"name": name, "token": token, "summary": _summary(scenario)}
    if scenario.travel_times:  # stored with the data: a console plan measures by road
        messages.info(
            request,
            _(
                "Lembar waktu tempuh (%(n)s baris) sah dan ikut disimpan: rencana yang disusun di konsol memakai "
                "waktu tempuh jalan ini untuk jangkauan tim cadangan dan perjalanan personel antartugas."
            )
            % {"n": len(scenario.travel_times)},
        )
    existing = services.existing_operation(scenario)
    if existing is not None:  # the import updates it: say so, and what it changes
        tps = ((t.id, t.desa_code, t.lat, t.lon) for t in scenario.tps)
        _warn_outside(request, existing, tps, {r.code: r.name for r in scenario.regions})
        diff = services.data_diff(existing, scenario, values=True)
        changes = diff_words.describe(existing, diff, others=services.other_changes(existing, scenario))
        context |= {"existing": existing, "changes": changes}
        context["next_version"] = (existing.data_versions.aggregate(n=Max("number"))["n"] or 1) + 1
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


def _problems(request: HttpRequest, exc: ScenarioError, name: str, stored: str = "") -> HttpResponse:
    """Every problem of the upload `name`; a message naming the file as stored (its random
    name, which the planner never saw) names it as the planner sent it."""
    found = [m.replace(stored, name) if stored else m for m in exc.messages(lang())]
    context = {"name": name, "problems": found, "unreadable": isinstance(exc, UnreadableFile)}
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
        "forces": [(label(FORCE_LABELS, f.value), forces[f]) for f in Force],  # the words, never the codes
        "units": len(scenario.units),
        "kinds": sorted((label(KIND_LABELS, k.value), n) for k, n in kinds.items()),
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


def _one_of(allowed: list[str]) -> Callable[[str], str | None]:
    return lambda value: value if value in allowed else None


def _yes_no(key: str) -> Callable[[dict[str, Any]], str]:
    return lambda row: str(_("ya") if row[key] else _("tidak"))


KECAMATAN_ORDER = ("kecamatan_code", "desa_code", "number", "code")
FORCE_ORDER = ("force", "unit_code", "name", "code")


REGIONS = Listing(
    "wilayah",
    (
        Column("code", gettext_lazy("Kode"), ("code",)),
        Column("name", gettext_lazy("Nama"), ("name",)),
        Column("level", gettext_lazy("Tingkat"), ("level",), cell=lambda r: label(LEVEL_LABELS, r["level"])),
        Column("parent", gettext_lazy("Induk"), ("parent_code",), cell=lambda r: r["parent_name"] or r["parent_code"]),
        Column("lat", gettext_lazy("Lintang"), ("lat",)),
        Column("lon", gettext_lazy("Bujur"), ("lon",)),
        Column(
            "indicators", gettext_lazy("Indikator kerawanan desa"), cell=lambda r: _indicator_text(r["indicator_list"])
        ),
    ),
    ("id", "code", "name", "level", "parent_code", "lat", "lon", "indicators"),
    search=("name", "code"),
    filters=(Filter("level", "level", _one_of(LEVELS)), Filter("kecamatan", "kecamatan_code")),
    default_sort="code",
)


def regions_list(request: HttpRequest, op_id: int) -> HttpResponseBase:
    operation = operation_for(request, op_id)
    view = REGIONS.view(request, scoped(operation.regions.all(), request.user))
    labels = {k: (ind.label(lang()), ind.type == ValueType.BOOL) for k, ind in catalog().items()}

    def enrich(rows: list[dict[str, Any]]) -> None:
        parents = _region_names(operation, (r["parent_code"] for r in rows))
        for r in rows:
            r["parent_name"] = parents.get(r["parent_code"], "")
            r["is_desa"] = r["level"] in VILLAGE_LEVELS
            r["level_label"] = label(LEVEL_LABELS, r["level"])
            shown = [(k, v, *labels.get(k, (k, False))) for k, v in r["indicators"].items()]
            r["indicator_list"] = [(name, _indicator_value(v, boolean)) for _k, v, name, boolean in shown]

    if view.export_format:
        return _export(request, operation, view, enrich, _("wilayah"))
    context = {"operation": operation, **view.context(enrich), "levels": _options(LEVEL_LABELS, LEVELS)}
    context["kecamatan_options"] = _kecamatan_options(operation, request)
    return render(request, "operations/data_regions.html", context)


TPS_LIST = Listing(
    "tps",
    (
        Column("code", gettext_lazy("Kode TPS"), ("code",)),
        Column("desa", gettext_lazy("Desa/kelurahan"), ("desa_code", "number"), cell=lambda t: t["desa_name"]),
        Column("kecamatan", gettext_lazy("Kecamatan"), KECAMATAN_ORDER, cell=lambda t: t["kecamatan_name"]),
        Column("number", gettext_lazy("No."), ("number",)),
        Column("voters", gettext_lazy("DPT"), ("voters",)),
        Column("address", gettext_lazy("Alamat"), ("address",)),
        Column("category", gettext_lazy("Kategori"), ("effective_category",), cell=lambda t: t["category_label"]),
        Column("score", gettext_lazy("Skor"), ("score",)),
        Column("reason", gettext_lazy("Alasan penetapan manual"), cell=lambda t: t["category_reason"], show=False),
        Column("lat", gettext_lazy("Lintang"), cell=lambda t: t["lat"], show=False),
        Column("lon", gettext_lazy("Bujur"), cell=lambda t: t["lon"], show=False),
    ),
    (
        "id", "code", "desa_code", "kecamatan_code", "number", "voters", "address", "lat", "lon",
        "effective_category", "score", "category", "category_reason",
    ),
    search=("code", "address"),
    filters=(
        Filter("kecamatan", "kecamatan_code"),
        Filter("desa", "desa_code"),
        Filter("category", "effective_category", _one_of(CATEGORIES)),
    ),
    default_sort="kecamatan",
)  # fmt: skip


def tps_list(request: HttpRequest, op_id: int) -> HttpResponseBase:
    operation = operation_for(request, op_id)
    view = TPS_LIST.view(request, scoped(operation.tps_set.all(), request.user))

    def enrich(rows: list[dict[str, Any]]) -> None:
        codes = {code for t in rows for code in (t["desa_code"], t["kecamatan_code"])}
        regions = {
            code: (pk, name)
            for pk, code, name in operation.regions.filter(code__in=codes).values_list("pk", "code", "name")
        }
        for t in rows:
            t["desa_id"], t["desa_name"] = regions.get(t["desa_code"], (None, t["desa_code"]))
            t["kecamatan_name"] = regions.get(t["kecamatan_code"], (None, t["kecamatan_code"]))[1]
            t["category_label"] = label(CATEGORY_LABELS, t["effective_category"])

    if view.export_format:
        return _export(request, operation, view, enrich, _("tps"))
    chosen = view.chosen
    context = {
        "operation": operation,
        **view.context(enrich),
        "kecamatan_options": _kecamatan_options(operation, request),
        "desa_options": _desa_options(operation, request, chosen["kecamatan"]),
        "categories": _options(CATEGORY_LABELS, CATEGORIES),
        "outside": _tps_outside(operation, view.rows),
        "outside_m": outside_m(),
    }
    return render(request, "operations/data_tps.html", context)


# ---------------------------------------------------------------- TPS against their desa's outline

OUTSIDE_SHOWN = 200  # rows of the list on the data page; the count says how many in all
OUTSIDE_MAX_TPS = 20_000  # TPS judged in one page view (about a second, bench/bench_boundaries.py)


def _tps_outside(operation: Operation, rows: QuerySet[Any]) -> dict[str, Any] | None:
    """The TPS of `rows` (the list as filtered) lying outside their desa's outline (None when
    the operation has no outlines): id, code, desa name and km outside of the first
    OUTSIDE_SHOWN, and the count; past OUTSIDE_MAX_TPS rows only how many there are (the
    user narrows the list to a kecamatan)."""
    if not operation.boundaries.exists():
        return None
    total = rows.count()
    if total > OUTSIDE_MAX_TPS:
        return {"rows": [], "count": 0, "too_many": total}
    values = list(rows.values_list("id", "code", "desa_code", "lat", "lon"))
    found = outside_their_desa(operation, ((str(pk), desa, lat, lon) for pk, _code, desa, lat, lon in values))
    code_of = {str(pk): code for pk, code, *_ in values}
    names = _region_names(operation, {o.desa for o in found[:OUTSIDE_SHOWN]})
    shown = [
        {"id": o.tps, "code": code_of[o.tps], "desa": names.get(o.desa, o.desa), "km": o.km}
        for o in found[:OUTSIDE_SHOWN]
    ]
    return {"rows": shown, "count": len(found)}


def _warn_outside(
    request: HttpRequest, operation: Operation, tps: Iterable[tuple[str, str, float | None, float | None]], names: Any
) -> None:
    """A warning (the import goes on) for each TPS of an import lying outside its desa's
    outline stored with `operation`, naming it; the first ten, then how many more."""
    found = outside_their_desa(operation, tps)
    for problem in outside_warnings(found[:10], names, lang()):
        messages.warning(request, problem.message(lang()))
    if len(found) > 10:
        more = len(found) - 10
        messages.warning(request, _("... dan %(n)s TPS lain di luar batas desanya (lihat daftar TPS).") % {"n": more})


UNITS = Listing(
    "satuan",
    (
        Column("code", gettext_lazy("Kode"), ("code",)),
        Column("name", gettext_lazy("Nama"), ("name",)),
        Column("kind", gettext_lazy("Jenis"), ("kind",), cell=lambda u: label(KIND_LABELS, u["kind"])),
        Column("kecamatan", gettext_lazy("Kecamatan"), ("kecamatan_code",), cell=lambda u: u["kecamatan_name"]),
        Column("members", gettext_lazy("Anggota")),
    ),
    ("id", "code", "name", "kind", "kecamatan_code"),
    search=("name", "code"),
    filters=(Filter("kind", "kind"), Filter("kecamatan", "kecamatan_code")),
    default_sort="code",
)


def units_list(request: HttpRequest, op_id: int) -> HttpResponseBase:
    operation = operation_for(request, op_id)
    view = UNITS.view(request, scoped(operation.units.all(), request.user))

    def enrich(rows: list[dict[str, Any]]) -> None:
        codes = [u["code"] for u in rows]
        members = scoped(operation.personnel.filter(unit_code__in=codes), request.user)
        count = dict(members.order_by().values_list("unit_code").annotate(n=Count("id")).values_list("unit_code", "n"))
        names = _region_names(operation, (u["kecamatan_code"] for u in rows))
        for u in rows:
            u["kecamatan_name"], u["members"] = names.get(u["kecamatan_code"], ""), count.get(u["code"], 0)
            u["kind_label"] = label(KIND_LABELS, u["kind"])

    if view.export_format:
        return _export(request, operation, view, enrich, _("satuan"))
    kinds = scoped(operation.units.all(), request.user).order_by("kind").values_list("kind", flat=True).distinct()
    context = {"operation": operation, **view.context(enrich), "kinds": _options(KIND_LABELS, list(kinds))}
    context["kecamatan_options"] = _kecamatan_options(operation, request)
    return render(request, "operations/data_units.html", context)


LINMAS_DESA = "desa:"  # the unit filter's value for the Linmas of one desa (no unit), as the apel groups them


def _unit_code(value: str) -> str | None:
    """The unit filter's value as a unit code; None for a desa's Linmas (`LINMAS_DESA`), whom
    `personnel_list` narrows to itself."""
    return None if value.startswith(LINMAS_DESA) else value


PERSONNEL = Listing(
    "personel",
    (
        Column("code", gettext_lazy("NRP/NIK"), ("code",)),
        Column("name", gettext_lazy("Nama"), ("name",)),
        Column("rank", gettext_lazy("Pangkat"), ("rank",)),
        Column(
            "unit", pgettext_lazy("column header", "Satuan"), ("unit_code", "name"),
            cell=lambda p: p["unit_name"] or p["unit_code"],
        ),
        Column("force", gettext_lazy("Unsur"), FORCE_ORDER, cell=lambda p: p["force_label"]),
        Column("desa", gettext_lazy("Desa"), ("desa_code", "name"), cell=lambda p: p["desa_name"] or p["desa_code"]),
        Column("phone", gettext_lazy("No. HP")),
        Column("available", gettext_lazy("Siap"), ("available", "name"), cell=_yes_no("available")),
        Column("position", gettext_lazy("Jabatan"), ("position", "name")),
        Column("post", gettext_lazy("Pos (rencana berlaku)"), cell=lambda p: p["post_name"]),
    ),
    (
        "id", "code", "name", "rank", "unit_code", "force", "desa_code", "phone", "available",
        "position", "pinned_post", "pin_reason",
    ),
    search=("name", "code", "rank", "phone", "position"),
    filters=(
        Filter("force", "force", _one_of(FORCES)),
        Filter("unit", "unit_code", _unit_code),
        Filter("kecamatan", "kecamatan_code"),
        Filter("desa", "desa_code"),
        Filter("available", "available", lambda v: {"1": True, "0": False}.get(v)),
    ),
    default_sort="force",
)  # fmt: skip


def personnel_list(request: HttpRequest, op_id: int) -> HttpResponseBase:
    """The roster, with each person's post in the current plan. Reading it without owning it
    (anyone but admin and planner) is audited (UU PDP), and so is every export of it."""
    operation = operation_for(request, op_id)
    people = scoped(operation.personnel.all(), request.user)
    group, listed = request.GET.get("unit", "").strip()[:100], people
    if _unit_code(group) is None:  # a desa's Linmas: of no unit, of that desa
        listed = people.filter(unit_code="", desa_code=group.removeprefix(LINMAS_DESA))
    view = PERSONNEL.view(request, listed)
    plan = current_plan(operation) or operation.plans.first()

    def enrich(rows: list[dict[str, Any]]) -> None:
        units = dict(operation.units.filter(code__in={p["unit_code"] for p in rows}).values_list("code", "name"))
        desa = _region_names(operation, (p["desa_code"] for p in rows))
        posts = services.post_names(plan, [p["code"] for p in rows]) if plan else {}
        pinned = {p["pinned_post"] for p in rows if p["pinned_post"]}
        pin_names = post_labels(plan, pinned) if plan else {}
        desa_pins = _region_names(operation, pinned)  # a desa code pins to its balai desa post
        for p in rows:
            p["unit_name"], p["desa_name"] = units.get(p["unit_code"], ""), desa.get(p["desa_code"], "")
            p["force_label"] = label(FORCE_LABELS, p["force"])
            p["post_name"] = posts.get(p["code"], "") or _no_post(p)
            p["pin_label"] = _pin_label(p["pinned_post"], pin_names, desa_pins)

    if view.export_format:
        return _export(request, operation, view, enrich, _("personel"))
    page = view.page(enrich)
    shown = {"filters": view.filters_in_use(), "page": page.number}
    shown |= {"total": page.paginator.count, "persons": [p["code"] for p in page]}
    roster_read(request, "personnel", "", operation_id=operation.pk, after=shown)  # not the keepers
    context = {
        "operation": operation,
        **view.context(enrich),
        "plan": plan,
        "forces": _options(FORCE_LABELS, FORCES),
        "unit_options": _unit_options(operation, people),
        "kecamatan_options": _kecamatan_options(operation, request),
    }
    return render(request, "operations/data_personnel.html", context)


def _unit_options(operation: Operation, people: QuerySet[Person]) -> list[tuple[str, str]]:
    """The unit filter's choices: every unit of the people listed, by name, then the Linmas of
    each of their desa (who have no unit) as "Linmas Desa Semare", as the apel's readiness names
    them."""
    codes = set(people.exclude(unit_code="").order_by().values_list("unit_code", flat=True).distinct())
    names = dict(operation.units.filter(code__in=codes).values_list("code", "name"))
    units = sorted(((code, names.get(code) or code) for code in codes), key=lambda o: (o[1], o[0]))
    linmas = people.filter(unit_code="").exclude(desa_code="").order_by().values_list("desa_code", flat=True)
    desa_codes = set(linmas.distinct())
    desa = _region_names(operation, desa_codes)
    groups = [(LINMAS_DESA + c, _("Linmas Desa %(name)s") % {"name": desa.get(c) or c}) for c in desa_codes]
    return units + sorted(groups, key=lambda o: (o[1], o[0]))


def _pin_label(value: str, post_names: dict[str, str], desa_names: dict[str, str]) -> str:
    """A person's pin in the reader's words ("" for none), as the plan page says it."""
    if not value:
        return ""
    if value in desa_names:
        return _("balai desa %(desa)s") % {"desa": desa_names[value]}
    return pin_words(value, "", post_names)


def _no_post(person: dict[str, Any]) -> str:
    """Why a person has no post, in words, when the roster says why: command and staff are
    never put on a post (DOCTRINE.md section 9), a person not ready is not deployed."""
    if is_command(person["position"]):
        return str(_("komando/staf: tidak ditempatkan di pos TPS"))
    if not person["available"]:
        return str(_("tidak siap: tidak diturunkan"))
    return ""


def _export(request: HttpRequest, operation: Operation, view: View, enrich: Any, title: str) -> HttpResponseBase:
    """The filtered view as a file, audited (an export of the roster is a read of it)."""
    response = view.export(enrich, f"{title}-{operation.name}")
    shown = {"format": view.export_format, "filters": view.filters_in_use()}
    record(request, "export_list", view.listing.name, "", operation_id=operation.pk, after=shown)
    return response


def _options(labels: dict[str, Any], codes: Iterable[str]) -> list[tuple[str, str]]:
    return [(code, label(labels, code)) for code in codes]


def _indicator_text(items: list[tuple[str, str]]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in items)


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
    tps = row_of_link(request, operation, Tps, pk, "tps_edit")
    if not isinstance(tps, Tps):
        return tps
    form = TpsForm(request.POST if request.method == "POST" else None, initial=TpsForm.initial_for(tps))
    if form.is_valid():
        try:
            changed = _edit(services.edit_tps, tps, form.cleaned_data, request)
        except services.EditConflict as conflict:
            again = TpsForm(_reapplied(request, conflict), initial=TpsForm.initial_for(conflict.current))
            back = reverse("tps_list", args=[operation.pk]) + f"?desa={tps.desa_code}"
            return _conflict(request, operation, conflict, form, again, f"TPS {tps.code}", back)
        if changed is not None:
            _saved(request, tps.code, changed)
            return redirect(reverse("tps_list", args=[operation.pk]) + f"?desa={tps.desa_code}")
    names = _region_names(operation, [tps.desa_code, tps.kecamatan_code])
    context = {"operation": operation, "tps": tps, "form": form, "desa": names.get(tps.desa_code, tps.desa_code)}
    context["kecamatan"] = names.get(tps.kecamatan_code, tps.kecamatan_code)
    return render(request, "operations/data_tps_edit.html", context, status=_unsaved(form))


def person_edit(request: HttpRequest, op_id: int, pk: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    require(request.user, "edit")
    person = row_of_link(request, operation, Person, pk, "person_edit")
    if not isinstance(person, Person):
        return person
    form = PersonForm(request.POST if request.method == "POST" else None, person=person)
    if form.is_valid():
        try:
            changed = _edit(services.edit_person, person, form.cleaned_data, request)
        except services.EditConflict as conflict:
            again = PersonForm(_reapplied(request, conflict), person=conflict.current)
            back = reverse("personnel_list", args=[operation.pk]) + f"?q={person.code}"
            return _conflict(request, operation, conflict, form, again, str(person), back)
        if changed is not None:
            _saved(request, person.name, changed)
            return redirect(reverse("personnel_list", args=[operation.pk]) + f"?q={person.code}")
    context = {"operation": operation, "person": person, "form": form}
    return render(request, "operations/data_person_edit.html", context, status=_unsaved(form))


BUSY = 503  # the form's page again, its values kept, when the database stayed busy


def _edit(save: Callable[..., list[str]], row: Any, values: dict[str, Any], request: HttpRequest) -> list[str] | None:
    """Save an edit form's values: the fields changed (EditConflict when another save came
    first). A row removed since the form was opened is a 404; a database still busy with
    another write after its wait (SQLite's busy timeout) is None, with a message: nothing
    saved, the form shown again with what was typed."""
    try:
        return save(row, values, request)
    except ObjectDoesNotExist:
        raise Http404 from None
    except OperationalError as exc:
        if not services.database_busy(exc):
            raise
        messages.error(request, services.busy_message())
        return None


def _unsaved(form: Any) -> int:
    """The status of an edit page shown again: 503 when the database was busy, 400 for a form
    with mistakes, 200 when it is first opened."""
    if form.is_bound and not form.errors:
        return BUSY
    return 400 if form.is_bound else 200


def _reapplied(request: HttpRequest, conflict: services.EditConflict) -> Any:
    """The refused form's values again, now naming the version saved meanwhile: saving them
    from the conflict page puts them over the other planner's change, knowingly."""
    data = request.POST.copy()
    data[services.VERSION_FIELD] = str(conflict.current.edit_version)
    return data


def _shown(value: Any, field: Any) -> str:
    """A value as the form shows it: a choice by its label, yes/no in words, a blank as a dash."""
    value = getattr(value, "value", value)
    if isinstance(value, bool):
        return str(_("ya") if value else _("tidak"))
    choices = dict(getattr(field.widget, "choices", []) or [])
    if value is None or value == "":
        return "–"
    return str(choices.get(value, choices.get(str(value), value)))


def _conflict(
    request: HttpRequest,
    operation: Operation,
    conflict: services.EditConflict,
    form: Any,
    again: Any,
    what: str,
    back: str,
) -> HttpResponse:
    """The second writer's page (409): who changed the row and when since the form was opened,
    the values saved now beside the ones sent, nothing saved; the form again with the sent
    values, to save them over the new ones or to leave."""
    current = conflict.current
    rows = []
    for name, field in form.fields.items():
        if name == services.VERSION_FIELD:
            continue
        theirs, yours = getattr(current, name, ""), form.cleaned_data.get(name)
        if name == "available":
            theirs = bool(theirs)
        plain = getattr(yours, "value", yours)
        rows.append(
            {
                "label": field.label,
                "theirs": _shown(theirs, field),
                "yours": _shown(yours, field),
                "differs": theirs != plain,
            }
        )
    context = {
        "operation": operation,
        "what": what,
        "by": _user_name(current.edited_by),
        "at": current.edited_at,
        "rows": rows,
        "form": again,
        "back": back,
    }
    return render(request, "operations/conflict.html", context, status=409)


def _user_name(username: str) -> str:
    """The name a planner knows a colleague by: "Full Name (username)"; "" when unknown."""
    if not username:
        return ""
    user = get_user_model().objects.filter(username=username).first()
    return known_as(user) if user is not None else username


def _saved(request: HttpRequest, what: str, changed: list[str]) -> None:
    if changed:
        messages.success(request, _("%(what)s disimpan.") % {"what": what})
    else:
        messages.info(request, _("%(what)s: tidak ada perubahan.") % {"what": what})


# ---------------------------------------------------------------- add and remove rows, bulk actions

NEW_ROWS: dict[str, tuple[type[Any], Any, str, str]] = {
    # kind: (model, form, list url name, page title)
    "person": (Person, PersonAddForm, "personnel_list", "Tambah personel"),
    "tps": (Tps, TpsAddForm, "tps_list", "Tambah TPS"),
    "unit": (Unit, UnitForm, "units_list", "Tambah satuan"),
}


def _row_form_page(
    request: HttpRequest, operation: Operation, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    context = {"operation": operation, "form": form, "title": title, "back": back, **extra}
    return render(request, "operations/data_row_form.html", context, status=400 if form.is_bound else 200)


def row_add(request: HttpRequest, op_id: int, kind: str) -> HttpResponse:
    """A new person, TPS or unit, validated as the importer validates its sheet, audited."""
    operation = operation_for(request, op_id)
    require(request.user, "edit")
    model, form_class, back, title = NEW_ROWS[kind]
    form = form_class(request.POST if request.method == "POST" else None, operation_id=operation.pk)
    if form.is_valid():
        values = form.values()
        if not Scope.of(request.user).sees_kecamatan(values.get("kecamatan_code", "")):
            raise PermissionDenied("scope")
        row = services.add_row(model, operation, values, request)
        messages.success(request, _("%(what)s ditambahkan.") % {"what": getattr(row, "name", row.code)})
        return redirect(reverse(back, args=[operation.pk]) + f"?q={row.code}")
    return _row_form_page(request, operation, form, _(title), reverse(back, args=[operation.pk]))


def unit_edit(request: HttpRequest, op_id: int, pk: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    require(request.user, "edit")
    unit = row_of_link(request, operation, Unit, pk, "unit_edit")
    if not isinstance(unit, Unit):
        return unit
    form = UnitForm(request.POST if request.method == "POST" else None, operation_id=operation.pk, unit=unit)
    if form.is_valid():
        try:
            changed = _edit(services.edit_unit, unit, form.values(), request)
        except services.EditConflict as conflict:
            again = UnitForm(_reapplied(request, conflict), operation_id=operation.pk, unit=conflict.current)
            back = reverse("units_list", args=[operation.pk]) + f"?q={unit.code}"
            return _conflict(request, operation, conflict, form, again, unit.name, back)
        if changed is not None:
            _saved(request, unit.name, changed)
            return redirect(reverse("units_list", args=[operation.pk]) + f"?q={unit.code}")
    back = reverse("units_list", args=[operation.pk])
    title = _("Ubah satuan %(unit)s") % {"unit": unit.name}
    response = _row_form_page(request, operation, form, title, back, removable=("unit", unit.pk))
    response.status_code = _unsaved(form)
    return response


REMOVABLE: dict[str, tuple[type[Person | Tps | Unit], str]] = {
    "person": (Person, "personnel_list"),
    "tps": (Tps, "tps_list"),
    "unit": (Unit, "units_list"),
}


@require_POST
def row_remove(request: HttpRequest, op_id: int, kind: str, pk: int) -> HttpResponse:
    """Remove a person, TPS or unit, unless something depends on it (then say what, in words)."""
    operation = operation_for(request, op_id)
    require(request.user, "edit")
    if kind not in REMOVABLE:
        raise Http404
    model, back = REMOVABLE[kind]
    row = row_of_link(request, operation, model, pk, f"{kind}_edit")  # a row gone: nothing removed
    if isinstance(row, HttpResponse):
        return row
    refusal = services.remove_row(row, request)
    if refusal:
        messages.error(request, refusal)
        return redirect(request.META.get("HTTP_REFERER") or reverse(back, args=[operation.pk]))
    messages.success(request, _("%(what)s dihapus.") % {"what": getattr(row, "name", row.code)})
    return redirect(back, operation.pk)


def _selected(request: HttpRequest, rows: QuerySet[Any]) -> QuerySet[Any]:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:5000]
    return scoped(rows, request.user).filter(pk__in=ids)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(
        target if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/") else fallback
    )


@require_POST
def personnel_bulk(request: HttpRequest, op_id: int) -> HttpResponse:
    """Mark the checked people ready or not ready, at once, audited."""
    operation = operation_for(request, op_id)
    require(request.user, "edit")
    people = _selected(request, operation.personnel.all())
    choice = request.POST.get("available", "")
    fallback = reverse("personnel_list", args=[operation.pk])
    if choice not in ("ya", "tidak") or not people.exists():
        messages.error(request, _("Centang dulu personel yang akan diubah, lalu pilih siap atau tidak siap."))
        return _back(request, fallback)
    n = services.set_availability(people, choice == "ya", request)
    text = _("%(n)s personel ditandai siap.") if choice == "ya" else _("%(n)s personel ditandai tidak siap.")
    messages.success(request, text % {"n": n})
    return _back(request, fallback)


REASON_LENGTH = 1000  # as the form of one TPS's category takes (views_risk)


@require_POST
def tps_bulk(request: HttpRequest, op_id: int) -> HttpResponse:
    """Set the category of the checked TPS at once, with one reason, audited."""
    operation = operation_for(request, op_id)
    require(request.user, "override")
    tps = _selected(request, operation.tps_set.all())
    category, reason = request.POST.get("category", ""), request.POST.get("reason", "").strip()
    fallback = reverse("tps_list", args=[operation.pk])
    if len(reason) > REASON_LENGTH:  # refused whole, never saved cut short
        messages.error(
            request,
            _("Alasan terlalu panjang: %(n)s huruf, paling banyak %(max)s. Tidak ada yang berubah.")
            % {"n": len(reason), "max": REASON_LENGTH},
        )
        return _back(request, fallback)
    if category and category not in CATEGORIES or not tps.exists():
        messages.error(request, _("Centang dulu TPS yang akan diubah, lalu pilih kategorinya."))
        return _back(request, fallback)
    if category and not reason:
        messages.error(request, _("Alasan wajib diisi bila kategori ditetapkan secara manual. Tidak ada yang berubah."))
        return _back(request, fallback)
    n = services.set_categories(operation, tps, category, reason, request)
    messages.success(request, _("Kategori %(n)s TPS diubah.") % {"n": n})
    messages.info(request, _("Rencana yang sudah ada tidak berubah; susun ulang rencana untuk memakai kategori ini."))
    return _back(request, fallback)


# ---------------------------------------------------------------- data versions, rename and archive


def versions(request: HttpRequest, op_id: int) -> HttpResponse:
    """The operation's data versions, newest first, each with what it changed."""
    return _versions_page(request, operation_for(request, op_id))


def _versions_page(request: HttpRequest, operation: Operation, status: int = 200, **extra: Any) -> HttpResponse:
    """The versions page; `extra`: a refused rename (the name as typed, and why)."""
    kecamatan = Scope.of(request.user).narrowed_to  # a sector chief reads his kecamatan's changes only
    rows = [
        {
            "v": v,
            "changes": _diff_view(operation, _narrowed(operation, v.diff, kecamatan), kecamatan is not None)
            if v.diff
            else None,
        }
        for v in operation.data_versions.select_related("imported_by")[:50]
    ]
    context = {"operation": operation, "versions": rows, "hand_changes": _hand_changes(operation, request)}
    return render(request, "operations/versions.html", context | extra, status=status)


HAND_ACTIONS = ("add", "edit", "remove", "bulk_availability", "bulk_category", "override_category")
HAND_SHOWN = 30


def _hand_changes(operation: Operation, request: HttpRequest) -> list[Any]:
    """The latest rows added, corrected or removed by hand on the data pages (the versions list
    names imports only), in words; for those who may import, as the settings below."""
    if not Scope.of(request.user).whole or not can(request.user, "import"):
        return []
    entries = AuditEntry.objects.filter(operation_id=operation.pk, action__in=HAND_ACTIONS).order_by("-at", "-pk")
    return audit_lines(list(entries[:HAND_SHOWN]))


def _narrowed(operation: Operation, diff: dict[str, Any], kecamatan: str | None) -> dict[str, Any]:
    """A version's diff as one kecamatan sees it (None: the whole diff). A TPS or a person is
    placed by its row; a TPS no longer there by its code (desa code first); a person no longer
    there cannot be placed, so a narrowed diff leaves the removed people out."""
    if kecamatan is None:
        return diff
    tps, people = diff.get("tps", {}), diff.get("personnel", {})

    def codes(part: dict[str, Any]) -> set[str]:
        return {
            c if isinstance(c, str) else c["code"]
            for kind in ("added", "removed", "changed")
            for c in part.get(kind, [])
        }

    def placed(model: type[Any], part: dict[str, Any]) -> dict[str, str]:
        rows = model.objects.filter(operation=operation, code__in=codes(part))
        return dict(rows.values_list("code", "kecamatan_code"))

    tps_at, people_at = placed(Tps, tps), placed(Person, people)

    def mine(code: str, at: dict[str, str], by_code: bool) -> bool:
        if code in at:
            return at[code] == kecamatan
        return by_code and code.startswith(f"{kecamatan}.")

    def keep(part: dict[str, Any], at: dict[str, str], by_code: bool) -> dict[str, Any]:
        return {
            "added": [c for c in part.get("added", []) if mine(c, at, by_code)],
            "removed": [c for c in part.get("removed", []) if mine(c, at, by_code)],
            "changed": [c for c in part.get("changed", []) if mine(c["code"], at, by_code)],
        }

    return {"tps": keep(tps, tps_at, True), "personnel": keep(people, people_at, False)}


def _diff_view(operation: Operation, diff: dict[str, Any], narrowed: bool = False) -> dict[str, Any]:
    """A data version's diff in words (`diff_words`); `narrowed`: one kecamatan's part of it
    (`_narrowed`), which counts no removed people."""
    return diff_words.describe(operation, diff, narrowed)


@require_POST
def operation_rename(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id, archived_changes=True)  # a name clash may block its return
    require(request.user, "import")
    typed = request.POST.get("name", "")
    try:
        name = read_operation_name(typed)
    except ValidationError as bad:  # the page again, the name as typed kept to correct
        return _rename_refused(request, operation, typed, " ".join(bad.messages))
    if (
        Operation.objects.filter(name=name, polres_code=operation.polres_code, archived=False)
        .exclude(pk=operation.pk)
        .exists()
    ):
        refusal = _("Nama operasi ini sudah dipakai operasi lain. Tidak ada yang berubah.")
        return _rename_refused(request, operation, typed, refusal)
    if name != operation.name:
        services.rename_operation(operation, name, request)
        messages.success(request, _("Operasi diganti nama menjadi %(name)s.") % {"name": name})
    return redirect("versions", operation.pk)


def _rename_refused(request: HttpRequest, operation: Operation, typed: str, refusal: str) -> HttpResponse:
    messages.error(request, _("Nama operasi belum diganti. Tidak ada yang berubah."))
    return _versions_page(request, operation, 400, rename_typed=typed, rename_error=refusal)


@require_POST
def operation_archive(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id, archived_changes=True)
    require(request.user, "import")
    archived = request.POST.get("archived") == "1"
    if (
        not archived
        and Operation.objects.filter(name=operation.name, polres_code=operation.polres_code, archived=False).exists()
    ):
        messages.error(request, _("Ada operasi aktif dengan nama yang sama; ganti nama salah satunya dulu."))
        return redirect("versions", operation.pk)
    services.archive_operation(operation, archived, request)
    if archived:
        messages.success(request, _("Operasi %(name)s diarsipkan.") % {"name": operation.name})
    else:
        messages.success(request, _("Operasi %(name)s diaktifkan kembali.") % {"name": operation.name})
    return redirect("versions", operation.pk)
