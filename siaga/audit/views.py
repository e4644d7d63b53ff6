"""The audit log page: admin and commander only, filterable, newest first."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from siaga.accounts.roles import require
from siaga.audit.models import AuditEntry

FILTERS = ("username", "action", "object_type", "object_id")


def audit_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit")
    entries = AuditEntry.objects.all()
    chosen = {f: request.GET.get(f, "").strip() for f in FILTERS}
    for field, value in chosen.items():
        if value:
            entries = entries.filter(**{f"{field}__icontains": value})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return render(request, "audit/list.html", {"page": page, "chosen": chosen, "actions": sorted(set(actions))})
