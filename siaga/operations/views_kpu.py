"""A KPU TPS list into an operation (issue 17 item 1): a planner uploads the KPU's list (CSV or
.xlsx) on the TPS list page; siaga.core.data.kpu reads it against the operation's regions, and
the operation with the KPU's TPS goes in as its next data version (import_scenario keeps the
diff). A problem refuses the whole list, nothing changes; warnings show after the import."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from siaga.accounts.roles import require
from siaga.core.data.kpu import kpu_scenario
from siaga.core.data.problems import ScenarioError
from siaga.operations import services, uploads
from siaga.operations.views import operation_for


class KpuUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Daftar TPS KPU (.csv atau .xlsx)"))


@require_POST
def kpu_tps_import(request: HttpRequest, op_id: int) -> HttpResponse:
    """Replace the operation's TPS with a KPU list: a new data version, or every problem and
    nothing changed."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    back = redirect("tps_list", operation.pk)
    sent = uploads.list_upload(
        request,
        operation,
        KpuUploadForm(request.POST, request.FILES),
        choose=_("Pilih berkas daftar TPS KPU (.csv atau .xlsx)."),
        kind=_("Daftar TPS KPU harus berkas .csv atau .xlsx."),
    )
    if sent is None:
        return back
    name = sent.name
    with tempfile.TemporaryDirectory(prefix="siaga-kpu-") as folder:
        path = sent.save(Path(folder), "kpu")
        try:
            scenario, warnings = kpu_scenario(services.scenario_for(operation), path)
        except ScenarioError as exc:
            headline = ngettext(
                "Daftar TPS KPU %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
                "Daftar TPS KPU %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
                len(exc.problems),
            )
            uploads.tell_refusal(request, exc, headline, name)
            return back
    services.import_scenario(scenario, name, request=request)
    specials = sum(t.number >= 901 for t in scenario.tps)
    messages.success(
        request,
        _("Daftar TPS KPU %(name)s diimpor: %(n)s TPS (%(special)s TPS lokasi khusus), versi data baru.")
        % {"name": name, "n": len(scenario.tps), "special": specials},
    )
    uploads.tell_warnings(request, warnings)
    return back
