"""Out to Polri's systems and back (issue 17 item 5): the page that lists the files for SOT and
EWS (personnel on their posts, TPS with coordinates, incidents; CSV and JSON), each download
gated by the export right and audited, and the TPS coordinates import with its preview.

Views are thin: the rows in `siaga.field.services.interchange`, the files in the core."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from siaga.accounts.roles import can, require
from siaga.accounts.scope import Scope, may_export, require_export
from siaga.audit.log import record
from siaga.core.data.boundaries import outside_warnings
from siaga.core.data.problems import ScenarioError
from siaga.field.services import interchange as service
from siaga.operations.boundaries import outside_their_desa
from siaga.operations.forms import lang, max_upload_bytes, too_large
from siaga.operations.models import Operation
from siaga.operations.views import operation_for
from siaga.plans.store import current_plan

SUFFIXES = (".csv", ".xlsx")
SAFE_NAME = re.compile(r"[\w .,()+-]{1,200}")
TOKEN = re.compile(r"[0-9a-f]{32}")
SESSION_KEY = "siaga_coordinates"  # token -> (operation id, file name), this session only
SHOWN = 50  # refused rows or moved TPS listed one by one; the rest counted


class CoordinatesForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas koordinat TPS (.csv atau .xlsx)"))


def interchange(request: HttpRequest, op_id: int) -> HttpResponse:
    """The files for SOT/EWS the reader may take, and (for a planner) the coordinates import."""
    operation = operation_for(request, op_id)
    return render(request, "field/interchange.html", _context(request, operation))


def _context(request: HttpRequest, operation: Operation) -> dict[str, object]:
    where = Scope.of(request.user)
    allowed = not where.nothing and where.person is None and may_export(request.user, where.label)
    plan = current_plan(operation)
    return {
        "operation": operation,
        "plan": plan,
        "may_download": allowed,
        "may_import": can(request.user, "import") and not operation.archived,
        "narrowed": _kecamatan_name(operation, where.narrowed_to),
        "form": CoordinatesForm(),
    }


def _kecamatan_name(operation: Operation, code: str | None) -> str | None:
    """What the page prints for a sector chief's kecamatan: its name (the code if unknown)."""
    if code is None:
        return None
    return operation.regions.filter(code=code).values_list("name", flat=True).first() or code


def interchange_file(request: HttpRequest, op_id: int, name: str) -> HttpResponse:
    """One file for SOT/EWS, of the reader's scope; audited (it may hold the roster)."""
    operation = operation_for(request, op_id)
    if name not in service.FILES:
        raise Http404
    where = Scope.of(request.user)
    if where.nothing or where.person is not None:
        raise PermissionDenied("no kecamatan")
    require_export(request.user, where.label)
    try:
        data, count, plan = service.file_bytes(operation, name, where)
    except service.NoPlan:
        messages.error(request, _("Belum ada rencana yang diterbitkan: belum ada personel yang ditugaskan."))
        return redirect("interchange", operation.pk)
    after = {"file": name, "kecamatan": where.label or "semua", "rows": count}
    kind = service.FILES[name][0]
    if kind == "personel" and plan is not None:  # the roster of a plan version (siaga/audit/access.py)
        record(request, "export_plan", "plan", plan.pk, operation_id=operation.pk, after=after)
    else:
        record(request, "export", "interchange", operation.pk, operation_id=operation.pk, after=after)
    suffix = f"-{where.label}" if where.label else ""
    version = f"-v{plan.version}" if kind == "personel" and plan is not None else ""
    stem, _dot, ext = name.partition(".")
    response = HttpResponse(data, content_type=service.CONTENT_TYPES[ext])
    response["Content-Disposition"] = f'attachment; filename="sot-{stem}{version}{suffix}.{ext}"'
    return response


# ---------------------------------------------------------------- coordinates back in


@require_POST
def coordinates_preview(request: HttpRequest, op_id: int) -> HttpResponse:
    """Read the uploaded points: every refused row (nothing changes), or the TPS they move and
    a button that takes them as a new data version."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    context = _context(request, operation)
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > max_upload_bytes() + 64 * 1024:
        return render(request, "field/interchange.html", context | {"refused": [too_large(declared)]}, status=413)
    form = CoordinatesForm(request.POST, request.FILES)
    name = Path(getattr(request.FILES.get("file"), "name", "") or "").name[:200]
    suffix = Path(name).suffix.lower()
    if operation.archived:
        return render(
            request, "field/interchange.html", context | {"refused": [_("Operasi yang diarsipkan tidak dapat diubah.")]}
        )
    if not form.is_valid() or suffix not in SUFFIXES:
        refused = [_("Pilih berkas koordinat TPS (.csv atau .xlsx).")]
        return render(request, "field/interchange.html", context | {"refused": refused}, status=400)
    token = secrets.token_hex(16)
    path = _saved(token, name, suffix)
    with path.open("xb") as out:
        for chunk in form.cleaned_data["file"].chunks():
            out.write(chunk)
    try:
        scenario, moved = service.coordinates_preview(operation, path)
    except ScenarioError as exc:
        path.unlink(missing_ok=True)
        path.parent.rmdir()
        found = exc.messages(lang())
        head = ngettext(
            "Berkas koordinat %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
            "Berkas koordinat %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
            len(found),
        ) % {
            "name": name,
            "n": len(found),
        }
        more = len(found) - SHOWN
        return render(
            request,
            "field/interchange.html",
            context | {"refused": [head, *found[:SHOWN]], "refused_more": max(more, 0)},
            status=400,
        )
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = [operation.pk, path.name]
    request.session[SESSION_KEY] = pending
    # a moved point outside its desa's outline: warned before saving (the save goes on)
    moved_ids = {m.tps for m in moved}
    outside = outside_their_desa(
        operation, ((t.id, t.desa_code, t.lat, t.lon) for t in scenario.tps if t.id in moved_ids)
    )
    names = {r.code: r.name for r in scenario.regions}
    context |= {
        "outside": [p.message(lang()) for p in outside_warnings(outside[:SHOWN], names, lang())],
        "token": token,
        "file_name": path.name,
        "moved": moved[:SHOWN],
        "moved_count": len(moved),
        "moved_more": max(len(moved) - SHOWN, 0),
        "tps_count": len(scenario.tps),
    }
    return render(request, "field/interchange.html", context)


@require_POST
def coordinates_confirm(request: HttpRequest, op_id: int) -> HttpResponse:
    """Take the previewed points (read again against the operation as it is now) as the
    operation's next data version."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    token = request.POST.get("token", "")
    pending: dict[str, list[object]] = request.session.get(SESSION_KEY, {})
    found = pending.pop(token, None) if TOKEN.fullmatch(token) else None
    request.session[SESSION_KEY] = pending
    if found is None or found[0] != operation.pk or operation.archived:
        messages.error(request, _("Unggahan tidak ditemukan atau sudah diimpor. Unggah berkasnya lagi."))
        return redirect("interchange", operation.pk)
    name = str(found[1])
    path = _saved(token, name, Path(name).suffix.lower())
    if not path.is_file():
        messages.error(request, _("Unggahan tidak ditemukan atau sudah diimpor. Unggah berkasnya lagi."))
        return redirect("interchange", operation.pk)
    try:
        moved = service.import_coordinates(operation, path, name, request)
    except ScenarioError as exc:
        messages.error(request, _("Berkas koordinat %(name)s ditolak; tidak ada yang diubah.") % {"name": name})
        for message in exc.messages(lang())[:SHOWN]:
            messages.error(request, message)
        return redirect("interchange", operation.pk)
    finally:
        path.unlink(missing_ok=True)
        if path.parent.is_dir():
            path.parent.rmdir()
    messages.success(
        request,
        _("Koordinat %(n)s TPS dari %(name)s diimpor sebagai versi data baru.") % {"n": len(moved), "name": name},
    )
    return redirect("tps_list", operation.pk)


def _saved(token: str, name: str, suffix: str) -> Path:
    """Where an upload waits for its confirmation: a folder of its random token (the only part
    of the path that comes from the request, checked), the file under its own name when plain
    (the messages name it), else `koordinat.csv`."""
    if not TOKEN.fullmatch(token):
        raise ValueError("bad upload token")
    folder = Path(settings.MEDIA_ROOT) / "uploads" / "coordinates" / token
    folder.mkdir(parents=True, exist_ok=True)
    plain = SAFE_NAME.fullmatch(name) and not name.startswith(".") and suffix in SUFFIXES
    return folder / (name if plain else f"koordinat{suffix if suffix in SUFFIXES else '.csv'}")
