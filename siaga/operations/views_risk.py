"""Placeholder views, replaced as the pages are written."""

from django.http import HttpResponse


def vulnerability(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def tps_detail(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def tps_override(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def desa_detail(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def map_view(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def geo_tps(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def geo_posts(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")
