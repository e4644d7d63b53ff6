"""Region boundaries: a planner imports a GeoJSON file of kecamatan and desa/kelurahan polygons
(checked by siaga.core.data.boundaries, stored by siaga.operations.boundaries), and the map
reads them back as its base layer (scoped: a sector chief gets his kecamatan only)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from siaga.accounts.roles import require, scoped
from siaga.accounts.scope import Scope
from siaga.core.data.boundaries import MAX_BYTES, read_boundaries
from siaga.core.data.problems import ScenarioError
from siaga.operations.boundaries import boundaries_geojson, store_boundaries
from siaga.operations.forms import lang
from siaga.operations.views import operation_for

SHOWN_MISSING = 30  # region codes listed by name after an import; the rest counted


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas batas wilayah (.geojson)"))


def boundaries_import(request: HttpRequest, op_id: int) -> HttpResponse:
    """GET: the upload form. POST: check the file against the operation's regions and, when it
    is sound, replace the operation's boundaries; else every problem, nothing stored."""
    operation = operation_for(request, op_id)
    require(request.user, "import")
    context = {"operation": operation, "form": BoundaryUploadForm(), "stored": operation.boundaries.count()}
    if request.method != "POST":
        return render(request, "operations/boundaries_import.html", context)
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > MAX_BYTES + 64 * 1024:
        context["problems"] = [_("Berkas terlalu besar; batas 50 MB. Tidak ada yang disimpan.")]
        return render(request, "operations/boundaries_import.html", context, status=413)
    form = BoundaryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "operations/boundaries_import.html", {**context, "form": form}, status=400)
    upload = form.cleaned_data["file"]
    name = Path(upload.name or "").name[:200]
    regions = dict(operation.regions.values_list("code", "level"))
    try:
        found = read_boundaries(upload.read(MAX_BYTES + 1), regions)
    except ScenarioError as exc:
        context |= {"name": name, "problems": exc.messages(lang())}
        return render(request, "operations/boundaries_import.html", context, status=400)
    stored = store_boundaries(operation, found, name, request)
    messages.success(
        request,
        ngettext(
            "Batas wilayah disimpan: %(n)s wilayah dari %(name)s.",
            "Batas wilayah disimpan: %(n)s wilayah dari %(name)s.",
            stored,
        )
        % {"n": stored, "name": name},
    )
    if found.skipped:
        messages.warning(
            request,
            _("%(n)s fitur dilewati karena kodenya tidak ada di wilayah operasi (mis. %(first)s).")
            % {"n": found.skipped, "first": found.warnings[0].message(lang())},
        )
    if found.missing:
        shown = ", ".join(found.missing[:SHOWN_MISSING]) + (" …" if len(found.missing) > SHOWN_MISSING else "")
        messages.warning(
            request,
            _("%(n)s wilayah operasi belum memiliki batas: %(codes)s") % {"n": len(found.missing), "codes": shown},
        )
    return redirect("regions_list", operation.pk)


def geo_boundaries(request: HttpRequest, op_id: int) -> HttpResponse:
    """The boundaries the user may see as GeoJSON (the map's base layer)."""
    operation = operation_for(request, op_id)
    rows = scoped(operation.boundaries.all(), request.user)
    data = boundaries_geojson(operation, rows)
    data["fit"] = not Scope.of(request.user).whole  # a sector chief's map opens on his kecamatan
    return JsonResponse(data)
