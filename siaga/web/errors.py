"""The console's refusal page: a change refused because its operation is archived says so and
what to do (`operations.views.ArchivedOperation`); any other refusal, that the role may not."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from siaga.operations.views import ArchivedOperation


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if isinstance(exception, ArchivedOperation) else ""
    return render(request, "403.html", {"reason": reason}, status=403)
