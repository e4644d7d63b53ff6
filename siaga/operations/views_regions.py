"""The Kemendagri region list into an operation (issue 17 item 6): a planner uploads the list
(code, name; CSV or .xlsx) for a province or the whole country on the regions page;
siaga.core.data.kemendagri reads it, and the operation with those regions goes in as its next
data version. A problem (a malformed code, a missing parent, a duplicate, a region in use the
list lacks) refuses the whole list and changes nothing."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from siaga.accounts.roles import require
from siaga.core.data.kemendagri import regions_scenario
from siaga.core.data.model import Level
from siaga.core.data.problems import ScenarioError
from siaga.operations import services
from siaga.operations.forms import lang, max_upload_bytes, too_large
from siaga.operations.views import operation_for

SUFFIXES = (".csv", ".xlsx")
SAFE_NAME = re.compile(r"[\w .,()+-]{1,200}")
SHOWN = 50


class RegionListForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Daftar wilayah Kemendagri (.csv atau .xlsx)"))


@require_POST
def kemendagri_import(request: HttpRequest, op_id: int) -> HttpResponse:
    """Replace the operation's regions with a Kemendagri list: a new data version, or every
    problem and nothing changed."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    back = redirect("regions_list", operation.pk)
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > max_upload_bytes() + 64 * 1024:
        messages.error(request, too_large(declared))
        return back
    form = RegionListForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas daftar wilayah Kemendagri (.csv atau .xlsx)."))
        return back
    upload = form.cleaned_data["file"]
    name = Path(upload.name or "").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES or operation.archived:
        messages.error(
            request,
            _("Operasi yang diarsipkan tidak dapat diubah.")
            if operation.archived
            else _("Daftar wilayah Kemendagri harus berkas .csv atau .xlsx."),
        )
        return back
    with tempfile.TemporaryDirectory(prefix="siaga-kemendagri-") as folder:
        plain = SAFE_NAME.fullmatch(name) and not name.startswith(".")
        path = Path(folder) / (name if plain else f"wilayah{suffix}")  # the messages name the file
        with path.open("xb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            scenario, read, dropped = regions_scenario(services.scenario_for(operation), path)
        except ScenarioError as exc:
            found = exc.messages(lang())
            messages.error(
                request,
                _("Daftar wilayah %(name)s ditolak (%(n)s masalah); tidak ada yang diubah.")
                % {"name": name, "n": len(found)},
            )
            for message in found[:SHOWN]:
                messages.error(request, message)
            if len(found) > SHOWN:
                messages.error(request, _("... dan %(n)s masalah lain.") % {"n": len(found) - SHOWN})
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
