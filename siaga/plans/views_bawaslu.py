"""The Bawaslu TPS-rawan list lands (H-3, issue 17 item 3): a planner uploads it on the
vulnerability page; the preview shows the TPS whose category changes and the people the
re-plan would move; confirmed, it goes in as the next data version, every TPS is scored again
and the re-plan from the current plan (the fewest people moved) starts. A problem refuses the
whole list and changes nothing."""

from __future__ import annotations

import json
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from siaga.accounts.roles import require
from siaga.core.data.indicators import VERSIONS, catalogue
from siaga.core.data.problems import ScenarioError
from siaga.core.data.text import _ as core_text
from siaga.operations import uploads
from siaga.operations.forms import lang
from siaga.operations.labels import CATEGORY_LABELS
from siaga.operations.views import operation_for
from siaga.plans import services

TOKEN = re.compile(r"[0-9a-f]{32}")
SESSION_KEY = "siaga_bawaslu"  # token -> operation id, for this session only
MAX_AGE_SECONDS = 24 * 3600


class BawasluForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Daftar TPS rawan Bawaslu (.csv atau .xlsx)"))


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _kept_path(token: str) -> Path:
    if not TOKEN.fullmatch(token):  # the only way a name reaches the file system
        raise ValueError("bad token")
    return _folder() / f"bawaslu-{token}.json"


@require_POST
def bawaslu_import(request: HttpRequest, op_id: int) -> HttpResponse:
    """Read the uploaded list and show what it changes; nothing is stored but the read list."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    back = redirect("vulnerability", operation.pk)
    sent = uploads.list_upload(
        request,
        operation,
        BawasluForm(request.POST, request.FILES),
        choose=_("Pilih berkas daftar TPS rawan Bawaslu (.csv atau .xlsx)."),
        kind=_("Daftar TPS rawan Bawaslu harus berkas .csv atau .xlsx."),
    )
    if sent is None:
        return back
    with tempfile.TemporaryDirectory(prefix="siaga-bawaslu-") as folder:
        path = sent.save(Path(folder), "bawaslu")
        try:
            preview = services.bawaslu_preview(operation, path, sent.name)
        except ScenarioError as exc:
            headline = ngettext(
                "Daftar TPS rawan Bawaslu %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
                "Daftar TPS rawan Bawaslu %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
                len(exc.messages(lang())),
            )
            uploads.tell_refusal(request, exc, headline, sent.name)
            return back
    cutoff = time.time() - MAX_AGE_SECONDS
    for old in _folder().glob("bawaslu-*.json"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    _kept_path(token).write_text(json.dumps(services.bawaslu_record(preview)), encoding="utf-8")
    request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), token: operation.pk}
    return render(request, "plans/bawaslu_preview.html", _context(operation, preview, token))


def _context(operation: Any, preview: services.BawasluPreview, token: str) -> dict[str, Any]:
    names = services.tps_names(operation, preview.changes)
    language = lang()
    indicators = catalogue(preview.tps_rawan.catalogue)
    return {
        "operation": operation,
        "token": token,
        "name": preview.name,
        "catalogue": core_text(VERSIONS[preview.tps_rawan.catalogue], language),
        "columns": [indicators[k].label(language) for k in preview.tps_rawan.keys],
        "named": len(preview.tps_rawan.flags),
        "changes": [
            {
                "name": names.get(code, code),
                "before": CATEGORY_LABELS.get(preview.before[code], ""),
                "after": CATEGORY_LABELS[after],
            }
            for code, after in sorted(preview.changes.items())
        ],
        "moved": preview.moved,
        "plan": preview.plan,
    }


@require_POST
def bawaslu_confirm(request: HttpRequest, op_id: int) -> HttpResponse:
    """The previewed list lands: a new data version, the TPS scored again, the re-plan started."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    token = request.POST.get("token", "")
    kept_tokens: dict[str, int] = request.session.get(SESSION_KEY, {})
    if not TOKEN.fullmatch(token) or kept_tokens.get(token) != operation.pk or not _kept_path(token).exists():
        messages.error(
            request, _("Pratinjau daftar Bawaslu tidak ditemukan atau sudah dipakai; unggah ulang berkasnya.")
        )
        return redirect("vulnerability", operation.pk)
    kept_tokens.pop(token)
    request.session[SESSION_KEY] = kept_tokens
    path = _kept_path(token)
    kept = json.loads(path.read_text(encoding="utf-8"))
    path.unlink(missing_ok=True)
    try:
        job = services.bawaslu_apply(operation, kept, request.user, request)
    except services.PlanError as exc:
        messages.error(request, str(exc))
        return redirect("vulnerability", operation.pk)
    changed = len(kept.get("flags", {}))
    messages.success(
        request,
        _("Daftar TPS rawan Bawaslu %(name)s diimpor (%(n)s TPS), versi data baru; skor dihitung ulang.")
        % {"name": kept["name"], "n": changed},
    )
    if job is None:
        messages.info(request, _("Operasi ini belum punya rencana: susun rencana untuk memakai kategori baru."))
        return redirect("vulnerability", operation.pk)
    return redirect("job_status", job.pk)
