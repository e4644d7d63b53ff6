"""Placeholder views, replaced as the pages are written."""

from django.http import HttpResponse


def import_upload(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def import_confirm(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def template_download(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def export(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def regions_list(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def tps_list(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def tps_edit(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def units_list(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def personnel_list(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


def person_edit(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")
