"""The Polda dashboard: every Polres of the Polda in one table, with a way into each one's
console (the Polda role reads; what a Polres decides stays with the Polres)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from siaga.accounts.roles import require
from siaga.accounts.scope import operations_for
from siaga.field import polda

PAGE_SIZE = 50


def polda_dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, "view")
    mine = operations_for(request.user).filter(archived=False)
    wanted = request.GET.get("q", "").strip()[:100]
    shown = mine.filter(polres_name__icontains=wanted) if wanted else mine
    page = Paginator(shown.order_by("polres_name", "name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    profile = getattr(request.user, "profile", None)
    context = {
        "polda": str(getattr(profile, "polda", "") or ""),
        "page": page,
        "rows": polda.rows(page.object_list),
        "totals": polda.totals(mine),
        "q": wanted,
    }
    return render(request, "field/polda.html", context)
