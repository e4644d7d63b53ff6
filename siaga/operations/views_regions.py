"""The Kemendagri region list into an operation (issue 17 item 6): a planner uploads the list
(code, name; CSV or .xlsx) for a province or the whole country on the regions page;
siaga.core.data.kemendagri reads it, and the operation with those regions goes in as its next
data version. A problem (a malformed code, a missing parent, a duplicate, a region in use the
list lacks) refuses the whole list and changes nothing."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from siaga.accounts.roles import require
from siaga.core.data.kemendagri import regions_scenario
from siaga.core.data.model import Level
from siaga.core.data.problems import ScenarioError
from siaga.operations import services, uploads
from siaga.operations.views import operation_for


class RegionListForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Daftar wilayah Kemendagri (.csv atau .xlsx)"))


@require_POST
def kemendagri_import(request: HttpRequest, op_id: int) -> HttpResponse:
    """Replace the operation's regions with a Kemendagri list: a new data version, or every
    problem and nothing changed."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    back = redirect("regions_list", operation.pk)
    sent = uploads.list_upload(
        request,
        operation,
        RegionListForm(request.POST, request.FILES),
        choose=_("Pilih berkas daftar wilayah Kemendagri (.csv atau .xlsx)."),
        kind=_("Daftar wilayah Kemendagri harus berkas .csv atau .xlsx."),
    )
    if sent is None:
        return back
    name = sent.name
    with tempfile.TemporaryDirectory(prefix="siaga-kemendagri-") as folder:
        path = sent.save(Path(folder), "wilayah")
        try:
            scenario, read, dropped = regions_scenario(services.scenario_for(operation), path)
        except ScenarioError as exc:
            headline = ngettext(
                "Daftar wilayah %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
                "Daftar wilayah %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.",
                len(exc.problems),
            )
            uploads.tell_refusal(request, exc, headline, name)
            return back
    services.import_scenario(scenario, name, request=request)
    levels = Counter(r.level for r in scenario.regions)
    messages.success(
        request,
        _(
            "Daftar wilayah Kemendagri %(name)s diimpor: %(regencies)s kabupaten/kota, %(kecamatan)s kecamatan,"
            " %(desa)s desa/kelurahan (%(provinces)s provinsi dibaca; %(dropped)s wilayah lama dilepas), versi data"
            " baru."
        )
        % {
            "name": name,
            "regencies": levels[Level.KABUPATEN] + levels[Level.KOTA],
            "kecamatan": levels[Level.KECAMATAN],
            "desa": levels[Level.DESA] + levels[Level.KELURAHAN],
            "provinces": len(read.provinces),
            "dropped": len(dropped),
        },
    )
    return back
