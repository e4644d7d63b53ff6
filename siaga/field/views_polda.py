"""The Polda dashboard: every Polres of the Polda in one table, one election at a time, with a
way into each one's console (the Polda role reads; what a Polres decides stays with the Polres;
an incident handed up to the Kapolda the Polda commands in that Polres's Posko)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from siaga.accounts.roles import can, require
from siaga.accounts.scope import Scope, operations_for
from siaga.audit.log import record
from siaga.field import polda
from siaga.operations.models import Operation
from siaga.plans import services
from siaga.plans.models import PlanJob

PAGE_SIZE = 50


def polda_dashboard(request: HttpRequest) -> HttpResponse:
    """Every Polres the reader sees, a row each with the Polda's figures, of one election (the
    `election` asked for, else the current or coming one: `polda.chosen`): the figures of
    different elections are never added together. The Polda's officers, and a Polres's staff
    for their own Polres. Not a sector chief's: its figures are the whole Polres's (his
    dashboard is his kecamatan's)."""
    require(request.user, "view")
    if not Scope.of(request.user).whole:
        raise PermissionDenied
    every_operation = operations_for(request.user).filter(archived=False)
    found = polda.elections(every_operation)
    election = polda.chosen(found, request.GET.get("election", ""), timezone.localdate())
    mine = every_operation.filter(election_date=election.date) if election else every_operation
    wanted = request.GET.get("q", "").strip()[:100]
    shown = mine.filter(polres_name__icontains=wanted) if wanted else mine
    page = Paginator(shown.order_by("polres_name", "name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    every = {row.operation.pk: row for row in polda.rows(mine.order_by("pk"))}  # the totals are their sums
    profile = getattr(request.user, "profile", None)
    context = {
        "polda": str(getattr(profile, "polda", "") or ""),
        "polres": _own_polres(every_operation) if getattr(profile, "polres_code", "") else "",
        "elections": found,
        "election": election,
        "page": page,
        "rows": [every[o.pk] for o in page.object_list],
        "totals": polda.totals(list(every.values())),
        "q": wanted,
        "last_pack": _last_pack(request.user, election) if can(request.user, "polda_orders") else None,
    }
    return render(request, "field/polda.html", context)


def _last_pack(user: object, election: polda.Election | None) -> PlanJob | None:
    """The user's latest orders pack of this election (an older one, made before packs were of
    one election, has no election: shown with any)."""
    day = election.key if election else ""
    packs = PlanJob.objects.filter(kind="polda", created_by_id=getattr(user, "pk", None)).order_by("-pk")
    return next((j for j in packs[:50] if str(j.params.get("election", "")) in (day, "")), None)


def _own_polres(mine: QuerySet[Operation]) -> str:
    """The name of the one Polres a Polres's account sees (its page is titled by it, not "all")."""
    names = list(mine.exclude(polres_name="").order_by().values_list("polres_name", flat=True).distinct()[:2])
    return names[0] if len(names) == 1 else ""


@require_POST
def polda_orders_start(request: HttpRequest) -> HttpResponse:
    """Start the job that prints the orders of every Polres the user sees, of the election the
    dashboard shows (`polda.chosen`, as the page chose it), in one ZIP."""
    require(request.user, "polda_orders")
    found = polda.elections(operations_for(request.user).filter(archived=False))
    election = polda.chosen(found, request.POST.get("election", ""), timezone.localdate())
    job = services.start_polda_orders(request.user, request, election.date if election else None)
    return redirect("job_status", job.pk)


def polda_orders_file(request: HttpRequest, pk: int) -> FileResponse:
    """The ZIP of a finished Polda orders job, for the one who started it (audited)."""
    require(request.user, "polda_orders")
    job = get_object_or_404(PlanJob, pk=pk, kind="polda", created_by_id=request.user.pk, status=PlanJob.Status.DONE)
    relative = str(job.params.get("file", ""))
    path = Path(settings.MEDIA_ROOT) / relative
    if not relative or not path.is_file():
        raise Http404
    record(request, "download_polda_orders", "plan_job", str(job.pk), after={"size": path.stat().st_size})
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")  # the time the page shows
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"surat-perintah-polda-{stamp}.zip")
