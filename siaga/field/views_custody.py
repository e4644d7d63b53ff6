"""The escorts page: every escort run the user may see (its legs and their marks, team,
manifest and handover records) and every guarded place's buku mutasi; a planner or admin marks
a leg as a hard road segment or an island leg (Polairud) here.

Writes go through `siaga.field.services` (the marks) or the phone's API (the rest)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.roles import role_of
from siaga.field import services
from siaga.field.models import EscortRun
from siaga.field.services.custody import MARKS
from siaga.field.views_common import on_current_plan
from siaga.plans.models import Plan


@on_current_plan
def escorts(request: HttpRequest, plan: Plan) -> HttpResponse:
    """GET: the page; POST: one run's leg marks (`duty`, `mark_0`, `mark_1`, ...)."""
    may_mark = role_of(request.user) in (Role.ADMIN, Role.PLANNER)
    if request.method == "POST":
        if not may_mark:
            raise PermissionDenied("mark legs")
        duty = request.POST.get("duty", "")
        marks = [request.POST.get(f"mark_{i}", "") for i in range(sum(k.startswith("mark_") for k in request.POST))]
        try:
            services.mark_legs(plan, duty, marks, request.user, request)
        except services.FieldError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Tanda ruas disimpan."))
        return redirect("field_escorts", plan.pk)
    context = {
        "operation": plan.operation,
        "plan": plan,
        "escorts": services.escort_rows(plan, request.user),
        "guards": services.guard_rows(plan, request.user),
        "may_mark": may_mark,
        "marks": [(value, MARKS[value]) for value in EscortRun.Mark.values],
    }
    return render(request, "field/escorts.html", context)
