"""A link to one TPS page, by the row's id, as it was printed: a bookmark, a page opened
before a new data version, a form sent after it.

Every import writes the TPS rows anew (new ids), so an id may be an earlier version's: it
leads to the TPS of the same code now (a redirect), or to a page that says the TPS is no
longer in the operation's data. A TPS outside the user's scope reads as no TPS at all: no
redirect and no code names it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from siaga.accounts.roles import scoped
from siaga.accounts.scope import Scope
from siaga.operations import services
from siaga.operations.models import Operation, Tps


def tps_of_link(request: HttpRequest, operation: Operation, pk: int, page: str) -> Tps | HttpResponse:
    """The TPS the user may see with this id; else the answer to send: a redirect to `page`
    (a URL name taking the operation and the TPS id) of the TPS of the same code now, or the
    "TPS not found" page (404)."""
    rows = scoped(operation.tps_set.all(), request.user)
    tps = rows.filter(pk=pk).first()
    if tps is not None:
        return tps
    former = services.former_tps(operation, pk)
    now = rows.filter(code=former.code).first() if former is not None else None
    if now is not None:
        if request.method == "POST":  # a form opened on the earlier version: not saved blind
            messages.warning(
                request,
                _("Data TPS %(tps)s sudah diperbarui sejak halaman ini dibuka. Periksa lagi, lalu simpan.")
                % {"tps": now.code},
            )
        return redirect(page, operation.pk, now.pk)
    shown = former if former is not None and Scope.of(request.user).sees_kecamatan(former.kecamatan_code) else None
    context = {"operation": operation, "former": shown}
    return render(request, "operations/tps_gone.html", context, status=404)
