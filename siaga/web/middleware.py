"""Bahasa Indonesia unless the user chose English with the switch (a cookie): the browser's
own language preference is not followed, so a console set up in English still opens in
Indonesian for the next officer. A request whose Content-Length is not a count of bytes is
refused before anything reads its body. A button's address opened by typing it gets a page
that says so."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import translation


class ContentLengthMiddleware:
    """A Content-Length that is not a whole number of bytes answers 400, not a server error
    from whichever code first reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH")
        if declared and not str(declared).strip().isdigit():
            return HttpResponseBadRequest("Panjang isi permintaan (Content-Length) tidak sah.")
        return self.get_response(request)


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class MethodNotAllowedPageMiddleware:
    """An address of a form's button opened by typing it (a GET where only a POST is taken)
    answers with a page in the reader's language, not Django's empty 405; the API's answers
    are left as they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith("/api/"):
            return response
        page = render(request, "405.html", status=405)
        if "Allow" in response.headers:
            page.headers["Allow"] = response.headers["Allow"]
        return page
