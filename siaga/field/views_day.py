"""Placeholder views, replaced as the pages are written."""

from django.http import HttpResponse


def board(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')


def phone(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')


def incidents(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')


def live(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')


def report(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse('')
