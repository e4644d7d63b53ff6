"""A link to one row's page (a TPS, a person, a unit, a desa), by the row's id, as it was
printed: a bookmark, a page opened before a new data version, a form sent after it.

Every import writes the operation's rows anew (new ids), so an id may be an earlier version's:
it leads to the row of the same code now (a redirect), or to a page that says the row is no
longer in the operation's data. A row outside the user's scope reads as no row at all: no
redirect and no code names it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from siaga.accounts.roles import scoped
from siaga.accounts.scope import Scope
from siaga.core.data.model import VILLAGE_LEVELS
from siaga.operations import services
from siaga.operations.models import Operation, Person, Region, Tps, Unit

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Linked:
    """The list that is the way back from one kind of row's link, its words, and which rows of
    that kind have a page."""

    list_page: str  # a URL name taking the operation
    list_label: Promise
    title: Promise
    gone: Promise  # names the row by %(code)s
    unknown: Promise
    updated: Promise  # names the row by %(row)s
    only: dict[str, Any] = field(default_factory=dict)


LINKED: dict[type[Model], Linked] = {
    Tps: Linked(
        "tps_list",
        _("Daftar TPS"),
        _("TPS tidak ditemukan"),
        _(
            "TPS %(code)s tidak ada lagi dalam data operasi ini: versi data yang lebih baru tidak memuatnya, "
            "atau TPS itu dihapus."
        ),
        _(
            "Tautan ini menunjuk TPS yang tidak ada dalam data operasi ini, atau berada di luar wilayah yang "
            "boleh Anda lihat."
        ),
        _("Data TPS %(row)s sudah diperbarui sejak halaman ini dibuka. Tidak ada yang diubah: periksa lagi."),
    ),
    Person: Linked(
        "personnel_list",
        _("Daftar personel"),
        _("Personel tidak ditemukan"),
        _(
            "Personel dengan NRP/NIK %(code)s tidak ada lagi dalam data operasi ini: versi data yang lebih baru "
            "tidak memuatnya, atau personel itu dihapus."
        ),
        _(
            "Tautan ini menunjuk personel yang tidak ada dalam data operasi ini, atau berada di luar wilayah yang "
            "boleh Anda lihat."
        ),
        _("Data personel %(row)s sudah diperbarui sejak halaman ini dibuka. Tidak ada yang diubah: periksa lagi."),
    ),
    Unit: Linked(
        "units_list",
        _("Satuan"),
        _("Satuan tidak ditemukan"),
        _(
            "Satuan %(code)s tidak ada lagi dalam data operasi ini: versi data yang lebih baru tidak memuatnya, "
            "atau satuan itu dihapus."
        ),
        _(
            "Tautan ini menunjuk satuan yang tidak ada dalam data operasi ini, atau berada di luar wilayah yang "
            "boleh Anda lihat."
        ),
        _("Data satuan %(row)s sudah diperbarui sejak halaman ini dibuka. Tidak ada yang diubah: periksa lagi."),
    ),
    Region: Linked(
        "regions_list",
        _("Wilayah"),
        _("Desa tidak ditemukan"),
        _("Desa %(code)s tidak ada lagi dalam data operasi ini: versi data yang lebih baru tidak memuatnya."),
        _(
            "Tautan ini menunjuk desa yang tidak ada dalam data operasi ini, atau berada di luar wilayah yang "
            "boleh Anda lihat."
        ),
        _("Data desa %(row)s sudah diperbarui sejak halaman ini dibuka. Tidak ada yang diubah: periksa lagi."),
        only={"level__in": [lv.value for lv in VILLAGE_LEVELS]},  # only a desa or kelurahan has a page
    ),
}


def row_of_link(request: HttpRequest, operation: Operation, model: type[M], pk: int, page: str) -> M | HttpResponse:
    """The row of this model (a TPS, person, unit or desa) the user may see with this id; else
    the answer to send: a redirect to `page` (a URL name taking the operation and the row's id)
    of the row of the same code now, with a warning when a form was sent (it is not saved
    blind), or the "not found" page (404) with the way back to the kind's list."""
    linked = LINKED[model]
    rows = scoped(model._default_manager.filter(operation=operation, **linked.only), request.user)
    row = rows.filter(pk=pk).first()
    if row is not None:
        return row
    former = services.former_row(operation, services.FORMER_KIND[model], pk)
    now = rows.filter(code=former.code).first() if former is not None else None
    if now is not None:
        if request.method == "POST":  # a form opened on the earlier version
            messages.warning(request, str(linked.updated) % {"row": now})
        return redirect(page, operation.pk, now.pk)
    said = str(linked.unknown)
    if former is not None and Scope.of(request.user).sees_kecamatan(former.kecamatan_code):
        said = str(linked.gone) % {"code": former.code}
    context = {"operation": operation, "title": linked.title, "said": said}
    context |= {"list_page": linked.list_page, "list_label": linked.list_label}
    return render(request, "operations/row_gone.html", context, status=404)
