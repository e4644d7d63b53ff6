from __future__ import annotations

from collections.abc import Callable

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
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
