"""The PPS Linmas decree and the KPU/PPS coordination list (issue 17 item 2).

A planner uploads the decree (CSV or .xlsx) on the coordination page; siaga.core.data.linmas
reads it against the operation and the preview says what it names, whom it replaces and what
stays open; the confirm stores it as the next data version (coordination.import_decree). The
page lists, by desa, the TPS short of Linmas and the decree's rows that could not be taken, for
the planner and the commander and, narrowed to his kecamatan, the Kapolsek; printable and as a
workbook. A NIK is shown masked only; reading the list (names) is audited as a roster read.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from siaga.accounts.models import Role
from siaga.accounts.roles import require, role_of, scoped
from siaga.accounts.scope import Scope, require_export, roster_read
from siaga.core.data import linmas
from siaga.core.data.model import Force
from siaga.core.data.problems import ScenarioError
from siaga.core.data.workbook import write_tables
from siaga.core.planning import risk
from siaga.field.services import coordination
from siaga.operations import services, uploads
from siaga.operations.models import Operation
from siaga.operations.views import operation_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOKEN = re.compile(r"[0-9a-f]{32}")
SESSION_KEY = "siaga_linmas_uploads"  # token -> [the file's name, its suffix]
SHOWN_LINES = 2000  # lines of the list on the page; the workbook holds them all
# Who reads the list: the planner and the commander, and a Kapolsek for his kecamatan.
READERS = frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER, Role.SECTOR_CHIEF})
GAP_LABELS = {
    linmas.SHORT: gettext_lazy("TPS kurang Linmas"),
    linmas.NONE: gettext_lazy("TPS tanpa Linmas"),
    linmas.UNKNOWN_TPS: gettext_lazy("TPS tidak dikenal"),
    linmas.DUPLICATE: gettext_lazy("NIK ganda"),
}


class DecreeForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("SK PPS Linmas (.csv atau .xlsx)"))


def _reader(request: HttpRequest, op_id: int) -> Operation:
    operation = operation_for(request, op_id)
    if role_of(request.user) not in READERS:
        raise PermissionDenied("coordination")
    return operation


def linmas_coordination(request: HttpRequest, op_id: int) -> HttpResponse:
    """The KPU/PPS coordination list of the user's scope; `?export=xlsx` as a workbook."""
    operation = _reader(request, op_id)
    scope = Scope.of(request.user)
    groups = coordination.coordination_list(operation, request.user) if coordination.has_decree(operation) else []
    lines = [(g, _line(gap)) for g in groups for gap in g.gaps]
    read = {"lines": len(lines), "export": request.GET.get("export", "")}
    roster_read(request, "linmas_coordination", "", operation_id=operation.pk, after=read)
    if request.GET.get("export") == "xlsx":
        require_export(request.user, scope.kecamatan)
        return _workbook(operation, lines, scope)
    counts = Counter(gap.kind for g in groups for gap in g.gaps)
    shown: list[tuple[coordination.DesaGaps, list[dict[str, Any]]]] = []
    room = SHOWN_LINES
    for g in groups:
        if room <= 0:
            break
        shown.append((g, [_line(gap) for gap in g.gaps[:room]]))
        room -= len(g.gaps)
    narrowed = scope.narrowed_to
    context = {
        "operation": operation,
        "decree": coordination.has_decree(operation),
        "groups": shown,
        "more": sum(len(g.gaps) for g in groups) - sum(len(lines) for _g, lines in shown),
        "counts": {str(GAP_LABELS[k]): counts[k] for k in GAP_LABELS if counts[k]},
        "narrowed": operation.regions.filter(code=narrowed).values_list("name", flat=True).first() or narrowed,
        "form": DecreeForm(),
        "linmas": scoped(operation.personnel.filter(force=Force.LINMAS), request.user).exclude(tps_code="").count(),
    }
    return render(request, "field/linmas_coordination.html", context)


def _line(gap: linmas.Gap) -> dict[str, Any]:
    """One line as a page or a file shows it: the NIK masked."""
    return {
        "kind": str(GAP_LABELS[gap.kind]),
        "tps": gap.tps,
        "name": gap.name,
        "nik": linmas.masked(gap.nik) if gap.nik else "",
        "row": gap.row or "",
        "text": _(linmas.GAP_WORDS[gap.kind]) % gap.params(),
    }


def _workbook(operation: Operation, lines: list[tuple[coordination.DesaGaps, dict[str, Any]]], scope: Scope) -> Any:
    header = [_("Kecamatan"), _("Kode desa"), _("Desa/kelurahan"), _("Jenis"), _("TPS"), _("Keterangan")]
    header += [_("Nama"), _("NIK (tersamar)"), _("Baris di SK")]
    rows = [
        [g.kecamatan, g.code, g.name, line["kind"], line["tps"], line["text"], line["name"], line["nik"], line["row"]]
        for g, line in lines
    ]
    stem = slugify(f"koordinasi-linmas-{operation.name}-{scope.label}".strip("-")) or "koordinasi-linmas"
    folder = Path(tempfile.mkdtemp(prefix="siaga-linmas-"))
    try:
        path = folder / f"{stem}.xlsx"
        write_tables(path, [(_("koordinasi")[:31], header, rows)])
        handle = path.open("rb")  # stays readable once its folder is removed
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(handle, as_attachment=True, filename=f"{stem}.xlsx", content_type=XLSX)


# ---------------------------------------------------------------- the decree in


@require_POST
def linmas_preview(request: HttpRequest, op_id: int) -> HttpResponse:
    """Read an uploaded decree against the operation: what it names and replaces, what stays
    open; or every problem and nothing kept."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    back = redirect("linmas_coordination", operation.pk)
    sent = uploads.list_upload(
        request,
        operation,
        DecreeForm(request.POST, request.FILES),
        choose=_("Pilih berkas SK PPS Linmas (.csv atau .xlsx)."),
        kind=_("SK PPS Linmas harus berkas .csv atau .xlsx."),
    )
    if sent is None:
        return back
    name, suffix = sent.name, sent.suffix
    token = secrets.token_hex(16)
    path = _path(token, suffix)
    sent.save_as(path)
    try:
        result, decree, gone = _read(operation, path, name)
    except ScenarioError as exc:
        path.unlink(missing_ok=True)
        return _refused(request, operation, exc, name)
    for old, (_name, old_suffix) in request.session.get(SESSION_KEY, {}).items():
        if TOKEN.fullmatch(old) and old_suffix in uploads.LIST_SUFFIXES:
            _path(old, old_suffix).unlink(missing_ok=True)  # one decree waits at a time
    request.session[SESSION_KEY] = {token: [name, suffix]}
    categories = {t: a.category for t, a in risk.assess(result).items()}
    named = Counter(p.tps_id for p in result.personnel if p.force == Force.LINMAS and p.tps_id)
    gaps = linmas.coordination(
        {t.id: t.desa_code for t in result.tps}, linmas.needed(result, categories), named, decree.gaps
    )
    kinds = Counter(g.kind for g in gaps)
    context = {
        "operation": operation,
        "name": name,
        "token": token,
        "linmas": len(decree.linmas),
        "tps": len(decree.tps),
        "desa": len(decree.desa),
        "replaced_tied": sum(1 for p in gone if p.tps_id),
        "replaced_desa": sum(1 for p in gone if not p.tps_id),
        "counts": {str(GAP_LABELS[k]): kinds[k] for k in GAP_LABELS if kinds[k]},
        "leftovers": [_line(g) for g in decree.gaps],
        "moved": _moved(operation, gone, decree),
    }
    return render(request, "field/linmas_preview.html", context)


def _moved(operation: Operation, gone: list[Any], decree: linmas.Decree) -> list[str]:
    """A line for each Linmas the decree places in a desa other than the one the data had."""
    pairs = linmas.moved(gone, decree)
    codes = {p.desa_code for pair in pairs for p in pair}
    names = dict(operation.regions.filter(code__in=codes).values_list("code", "name"))
    return [
        _("%(name)s (NIK %(nik)s) tercatat Linmas desa %(before)s; SK ini menetapkannya di TPS %(tps)s desa %(after)s")
        % {
            "name": after.name,
            "nik": linmas.masked(after.id),
            "before": names.get(before.desa_code, before.desa_code),
            "tps": after.tps_id.rpartition("-")[2].lstrip("0") or after.tps_id,  # its number, as the PPS writes it
            "after": names.get(after.desa_code, after.desa_code),
        }
        for before, after in pairs
    ]


@require_POST
def linmas_confirm(request: HttpRequest, op_id: int) -> HttpResponse:
    """Store the previewed decree of this session as the operation's next data version."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    back = redirect("linmas_coordination", operation.pk)
    token = request.POST.get("token", "")
    waiting: dict[str, list[str]] = request.session.get(SESSION_KEY, {})
    if not TOKEN.fullmatch(token) or token not in waiting or operation.archived:
        messages.error(request, _("Unggahan tidak ditemukan atau sudah diimpor. Unggah berkasnya lagi."))
        return back
    name, suffix = waiting.pop(token)
    request.session[SESSION_KEY] = waiting
    path = _path(token, suffix)
    try:
        result, decree, gone = _read(operation, path, name)
    except (ScenarioError, FileNotFoundError):
        messages.error(request, _("Unggahan tidak ditemukan atau sudah diimpor. Unggah berkasnya lagi."))
        return back
    finally:
        path.unlink(missing_ok=True)
    coordination.import_decree(operation, result, decree, name, request=request)
    messages.success(
        request,
        _(
            "SK PPS Linmas %(name)s diimpor: %(linmas)s Linmas untuk %(tps)s TPS, menggantikan %(replaced)s Linmas"
            " sebelumnya; versi data baru."
        )
        % {"name": name, "linmas": len(decree.linmas), "tps": len(decree.tps), "replaced": len(gone)},
    )
    return back


def _read(operation: Operation, path: Path, name: str) -> Any:
    """The decree at `path` read against the operation, under its own name (the messages name it)."""
    with tempfile.TemporaryDirectory(prefix="siaga-linmas-") as folder:
        plain = uploads.PLAIN_NAME.fullmatch(name) and not name.startswith(".")
        named = Path(folder) / (name if plain else f"sk-linmas{path.suffix}")
        shutil.copyfile(path, named)
        return linmas.decree_scenario(services.scenario_for(operation), named)


def _refused(request: HttpRequest, operation: Operation, exc: ScenarioError, name: str) -> HttpResponse:
    headline = ngettext(
        "SK PPS Linmas %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
        "SK PPS Linmas %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
        len(exc.problems),
    )
    uploads.tell_refusal(request, exc, headline, name)
    return redirect("linmas_coordination", operation.pk)


def _path(token: str, suffix: str) -> Path:
    if not TOKEN.fullmatch(token) or suffix not in uploads.LIST_SUFFIXES:  # the only way a name reaches the file system
        raise ValueError("bad upload token")
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"linmas-{token}{suffix}"
