"""The console's refusal page: a change refused because its operation is archived says so and
what to do (`operations.views.ArchivedOperation`); any other refusal, that the role may not."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from siaga.operations.views import ArchivedOperation


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, ArchivedOperation):
        context = {"reason": str(exception), "settings": reverse("versions", args=[exception.operation])}
    else:
        context = {"reason": ""}
    return render(request, "403.html", context, status=403)
