"""The operation dashboard, and the helper every operation page uses to fetch its operation."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.roles import can, require, role_of, scoped
from siaga.accounts.scope import Scope, operations_for, polda_database
from siaga.core.data.model import Category, Force
from siaga.core.data.stages import h_day
from siaga.operations.models import Operation, Region
from siaga.operations.services import operation_stages
from siaga.plans.models import Plan
from siaga.plans.pages import seen_figures
from siaga.plans.services import replan_drift
from siaga.plans.store import published_plan_of


def operation_for(request: HttpRequest, op_id: int, archived_changes: bool = False) -> Operation:
    """The operation of the URL, if the user may view it at all (another Polres's: 404); a
    change to it only while it is not archived (`writable`), but for `archived_changes` (its
    archive and its name, on its settings page)."""
    require(request.user, "view")
    operation = get_object_or_404(operations_for(request.user), pk=op_id)
    if not archived_changes:
        writable(request, operation)
    return operation


READS = ("GET", "HEAD", "OPTIONS")


class ArchivedOperation(PermissionDenied):
    """A change asked of an archived operation; the message says what to do (the 403 page,
    which links to its settings page: `operation`)."""

    def __init__(self, message: str, operation: int) -> None:
        super().__init__(message)
        self.operation = operation


def writable(request: HttpRequest, operation: Operation) -> None:
    """An archived operation is kept to be read: any change to it (a request other than a read)
    is refused until it is brought back on its settings page."""
    if request.method not in READS and operation.archived:
        raise ArchivedOperation(
            _(
                "Operasi ini diarsipkan dan hanya dapat dibaca. Aktifkan kembali di halaman Versi data dan "
                "pengaturan operasi untuk mengubahnya. Tidak ada yang berubah."
            ),
            operation.pk,
        )


def home(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) == Role.FIELD_OFFICER:  # straight to the phone page of their post
        code = str(getattr(getattr(request.user, "profile", None), "person_code", "") or "").strip()
        plan_id = published_plan_of(code, operations_for(request.user)) if code else None
        if plan_id is not None:
            return redirect("field_phone", plan_id)
        raise PermissionDenied("no assignment")
    require(request.user, "view")
    if role_of(request.user) == Role.POLDA:  # the Polda's own page: every Polres of it
        return redirect("polda_dashboard")
    mine = operations_for(request.user)
    latest = mine.filter(archived=False).first() or mine.first()
    if latest is None:
        return render(request, "operations/empty.html", {"unassigned": polda_database()})
    return redirect("dashboard_for", latest.pk)


AWAITING = (Plan.Status.DRAFT, Plan.Status.APPROVED)  # what the Kapolres still has to do with a version


def dashboard(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    tps = scoped(operation.tps_set.all(), request.user)
    people = scoped(operation.personnel.all(), request.user)
    desa_codes = set(tps.values_list("desa_code", flat=True))
    kecamatan_codes = set(tps.values_list("kecamatan_code", flat=True))
    by_category = Counter(
        dict(tps.values_list("effective_category").annotate(n=Count("id")).values_list("effective_category", "n"))
    )
    by_force = Counter(dict(people.values_list("force").annotate(n=Count("id")).values_list("force", "n")))
    plans = operation.plans.all()[:5]
    latest = plans[0] if plans else None
    stages, preset = operation_stages(operation)
    context = {
        "operation": operation,
        "scope": Scope.of(request.user).narrowed_to,
        "scope_name": Region.objects.filter(operation=operation, code=Scope.of(request.user).label)
        .values_list("name", flat=True)
        .first(),
        "counts": {
            "personnel": people.count(),
            "kecamatan": len(kecamatan_codes),
            "desa": len(desa_codes),
            "tps": tps.count(),
            "voters": tps.aggregate(n=Sum("voters"))["n"] or 0,
            "available": people.filter(available=True).count(),
        },
        "categories": [(c.value, by_category[c.value]) for c in Category],
        "forces": [(f.value, by_force[f.value]) for f in Force],
        "plans": seen_figures(plans, Scope.of(request.user)),  # a sector chief: his kecamatan's figures
        "latest_plan": latest,
        "stages": [(s, h_day(operation.election_date, s.start), h_day(operation.election_date, s.end)) for s in stages],
        "stages_preset": preset,
        "operations": operations_for(request.user).filter(archived=False)[:10],
        # archived ones leave that list; who may bring one back finds it here, on its settings page
        "archived": operations_for(request.user).filter(archived=True).exclude(pk=operation.pk)[:10]
        if can(request.user, "import")
        else [],
        "drift": replan_drift(operation) if Scope.of(request.user).whole else None,  # the Polres's, as the plan list
        # the newest version while it waits on the Kapolres (a draft, or approved and not published)
        "awaiting": latest if latest is not None and latest.status in AWAITING else None,
        "may_approve": can(request.user, "approve"),
    }
    return render(request, "operations/dashboard.html", context)
