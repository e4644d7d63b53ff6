"""Placeholder views, replaced as the pages are written."""

from django.http import HttpResponse


def plan_list(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def plan_start(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def job_status(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def plan_detail(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def plan_json(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def reassign(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def approve(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def publish(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def replan(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def diff(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")
