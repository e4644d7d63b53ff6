from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

OPEN_PATHS = ("/login/", "/i18n/", "/" + settings.STATIC_URL.lstrip("/"))


class LoginRequiredMiddleware:
    """Every page needs a signed-in, active user, except the login page and static files."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PATHS):
            if request.path.startswith("/api/"):  # the phone and the Posko show `detail` to the person
                return JsonResponse(
                    {"detail": _("Sesi Anda sudah berakhir: masuk lagi. Tidak ada yang berubah.")}, status=401
                )
            if request.headers.get("HX-Request"):
                return HttpResponse(status=401)
            response = redirect_to_login(_back_to(request))
            if request.method not in ("GET", "HEAD"):  # a form was sent: the login page says it was not saved
                response["Location"] += "&sent=1"
            return response
        return self.get_response(request)


def _back_to(request: HttpRequest) -> str:
    """Where to return after signing in: the page asked for; for a form sent without a session
    (a POST, whose address answers only a button), the page the form was on, when it is ours."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = urlsplit(request.headers.get("Referer", ""))
    ours = referer.netloc == request.get_host() and referer.path.startswith("/")
    return (referer.path + (f"?{referer.query}" if referer.query else "")) if ours else "/"
