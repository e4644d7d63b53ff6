"""What every field page shares: it works on the operation's current (published) plan.

A field URL names a plan version; the page always shows the current one. An older or draft
version's URL is sent on to the current version's (a GET) or acts on the current version (a
write: field records belong to the operation, so a phone queued offline before a new version
was published still lands). Before any version is published the page says so."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from siaga.accounts.roles import require
from siaga.accounts.scope import operations_for
from siaga.field.services import NotVisible, change_stamp
from siaga.operations.views import READS, writable
from siaga.plans.models import Plan
from siaga.plans.store import current_plan

View = Callable[..., HttpResponse]


def on_current_plan(view: View, action: str = "view") -> View:
    """The view is called with the current plan instead of the URL's plan id; the user must be
    allowed `action` (the console's pages: view; the phone page: field)."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        require(request.user, action)
        # The URL's plan only names the operation (and the version to publish when none is):
        # its row is read without the JSON reports, the current plan's row is read once, whole.
        visible = Plan.objects.filter(operation__in=operations_for(request.user)).only("pk", "operation_id", "version")
        named = get_object_or_404(visible, pk=pk)
        if request.method not in READS:  # a read asks nothing of the operation's row
            writable(request, named.operation)
        plan = current_plan(named.operation_id)
        if plan is None:
            context = {"operation": named.operation, "plan": named}
            return render(request, "field/no_current_plan.html", context, status=409)
        if plan.pk != named.pk and request.method in ("GET", "HEAD"):
            match = request.resolver_match
            name = match.url_name if match and match.url_name else "field_phone"
            target = redirect(name, plan.pk, *args, **kwargs)
            if request.GET:
                target["Location"] += "?" + request.GET.urlencode()
            return target
        try:
            return view(request, plan, *args, **kwargs)
        except NotVisible:  # another sector's object looks like no object at all
            raise Http404 from None

    return wrapper


def on_current_plan_in_the_field(view: View) -> View:
    return on_current_plan(view, "field")


def polled(view: View) -> View:
    """A live part the page polls every few seconds, answered by a conditional GET: its ETag
    is the operation's change stamp (with the reader, their session and their language), so an
    unchanged part is a 304 that renders and reads nothing more; the browser shows its copy. The
    session is in it because a page carries its CSRF token: after signing in again (a new token)
    the browser's copy would have every write of the page refused."""

    @wraps(view)
    def wrapper(request: HttpRequest, plan: Plan, *args: Any, **kwargs: Any) -> HttpResponse:
        where = hashlib.sha1(request.get_full_path().encode()).hexdigest()[:8]
        session = hashlib.sha1((request.session.session_key or "").encode()).hexdigest()[:8]
        tag = f'"{change_stamp(plan)}-{request.user.pk}-{session}-{get_language()}-{where}"'
        if tag in request.headers.get("If-None-Match", ""):
            response: HttpResponse = HttpResponseNotModified()
        else:
            response = view(request, plan, *args, **kwargs)
        response["ETag"] = tag
        response["Cache-Control"] = "private, no-cache"
        return response

    return wrapper
