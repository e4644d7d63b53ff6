"""A KPU TPS list into an operation (issue 17 item 1): a planner uploads the KPU's list (CSV or
.xlsx) on the TPS list page; siaga.core.data.kpu reads it against the operation's regions, and
the operation with the KPU's TPS goes in as its next data version (import_scenario keeps the
diff). A problem refuses the whole list, nothing changes; warnings show after the import."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from siaga.accounts.roles import require
from siaga.core.data.kpu import kpu_scenario
from siaga.core.data.problems import ScenarioError
from siaga.operations import services
from siaga.operations.forms import lang, max_upload_bytes, too_large
from siaga.operations.views import operation_for

SUFFIXES = (".csv", ".xlsx")
SAFE_NAME = re.compile(r"[\w .,()+-]{1,200}")  # an upload's name used as it is; any other: kpu.csv
SHOWN = 50  # problems or warnings listed one by one; the rest counted


class KpuUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Daftar TPS KPU (.csv atau .xlsx)"))


@require_POST
def kpu_tps_import(request: HttpRequest, op_id: int) -> HttpResponse:
    """Replace the operation's TPS with a KPU list: a new data version, or every problem and
    nothing changed."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    back = redirect("tps_list", operation.pk)
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > max_upload_bytes() + 64 * 1024:
        messages.error(request, too_large(declared))
        return back
    form = KpuUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas daftar TPS KPU (.csv atau .xlsx)."))
        return back
    upload = form.cleaned_data["file"]
    name = Path(upload.name or "").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES or operation.archived:
        messages.error(
            request,
            _("Operasi yang diarsipkan tidak dapat diubah.")
            if operation.archived
            else _("Daftar TPS KPU harus berkas .csv atau .xlsx."),
        )
        return back
    with tempfile.TemporaryDirectory(prefix="siaga-kpu-") as folder:
        plain = SAFE_NAME.fullmatch(name) and not name.startswith(".")
        path = Path(folder) / (name if plain else f"kpu{suffix}")  # the messages name the file
        with path.open("xb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            scenario, warnings = kpu_scenario(services.scenario_for(operation), path)
        except ScenarioError as exc:
            found = exc.messages(lang())
            messages.error(
                request,
                _("Daftar TPS KPU %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.")
                % {"name": name, "n": len(found)},
            )
            for message in found[:SHOWN]:
                messages.error(request, message)
            return back
    services.import_scenario(scenario, name, request=request)
    specials = sum(t.number >= 901 for t in scenario.tps)
    messages.success(
        request,
        _("Daftar TPS KPU %(name)s diimpor: %(n)s TPS (%(special)s TPS lokasi khusus), versi data baru.")
        % {"name": name, "n": len(scenario.tps), "special": specials},
    )
    for warning in warnings[:SHOWN]:
        messages.warning(request, warning.message(lang()))
    if len(warnings) > SHOWN:
        messages.warning(request, _("... dan %(n)s peringatan lain.") % {"n": len(warnings) - SHOWN})
    return back
