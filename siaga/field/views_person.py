"""The person page: one person in one plan version, for the planner on the phone ("where is
Bripka Agus on the 15th, and can he swap?"). Reads only (`services.person_page`); another
sector's person, or anyone but himself for a post leader, is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from siaga.accounts.roles import can, require
from siaga.accounts.scope import Scope, operations_for, roster_read
from siaga.field import services
from siaga.field.services import clock
from siaga.operations.models import Person
from siaga.plans.models import Plan


@require_safe
def person(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    require(request.user, "field")
    visible = Plan.objects.filter(operation__in=operations_for(request.user)).select_related("operation", "parent")
    plan = get_object_or_404(visible, pk=pk)
    typed = request.GET.get("nrp", "").strip()[:120]
    if typed:
        return _found(request, plan, code, typed)
    now = timezone.localtime(clock.now()).replace(tzinfo=None)
    try:
        page = services.person_page(plan, code, request.user, now)
    except services.NotVisible:
        raise Http404 from None
    roster_read(request, "person", code, operation_id=plan.operation_id)  # its NRP and phone
    context = {
        "operation": plan.operation,
        "plan": plan,
        "page": page,
        "p": page.person,
        "console": not Scope.of(request.user).person,  # a post leader reads the phone page
        "may_edit": can(request.user, "edit"),
        "may_search": can(request.user, "plan"),  # the people search is the planner's
        "sector": Scope.of(request.user).kecamatan is not None,
    }
    return render(request, "field/person.html", context)


def _found(request: HttpRequest, plan: Plan, code: str, typed: str) -> HttpResponse:
    """The "Cari personel" box: the person of this NRP/NIK (a suggestion of the people search),
    else the one whose name or NRP holds the typed text when only one does."""
    if can(request.user, "plan"):
        people = Person.objects.filter(operation_id=plan.operation_id)
        codes = people.values_list("code", flat=True)
        found = list(codes.filter(code=typed))
        found = found or list(codes.filter(Q(name__icontains=typed) | Q(code__startswith=typed))[:2])
        if len(found) == 1:
            return redirect("plan_person", plan.pk, found[0])
        wrong = _("Tidak ada satu personel yang cocok dengan “%(typed)s”; pilih dari saran.")
        messages.error(request, wrong % {"typed": typed})
    return redirect("plan_person", plan.pk, code)
