"""Placeholder views, replaced as the pages are written."""

from django.http import HttpResponse


def apel(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')


def readiness(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')


def checkin(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')


def absentee_replan(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')


def sarpras(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')
