"""Signing in, with failed attempts slowed down per (user name, address) pair, never locked
(siaga/accounts/throttle.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import auth
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.accounts import throttle
from siaga.accounts.addresses import client_ip
from siaga.audit.log import record

OBJECT_ID_LENGTH = 120  # AuditEntry.object_id: a longer user name is cut there and kept whole in `after`


class ThrottledAuthenticationForm(AuthenticationForm):
    wait = 0  # seconds the pair must still wait, when refused
    # Django's own words name the field in them ("Masukkan nama pengguna %(username)s ..."),
    # which reads "nama pengguna nama pengguna" in Indonesian
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("Nama pengguna atau kata sandi salah. Huruf besar dan kecil dibedakan."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()  # nothing is guessed: the fields' own errors answer
        address = client_ip(self.request) or ""
        wait = self.wait = throttle.admit(username, address)
        if wait:
            raise ValidationError(
                _(
                    "Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini dari alamat ini. "
                    "Coba lagi dalam %(seconds)d detik."
                )
                % {"seconds": wait},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.failed(username, address)
            whole = {"username": username} if len(username) > OBJECT_ID_LENGTH else None
            record(self.request, "login_failed", "user", username[:OBJECT_ID_LENGTH], after=whole)
            raise
        throttle.forgive(username, address)
        return cleaned


class SiagaLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        """The page asked for before signing in, when it is one (safe, as Django checks, and an
        address of the console); else "" and the dashboard. Any address a signed-out user opens
        leads here, a mistyped or stale one too (/accounts/login/, an old bookmark): after
        signing in he lands on his dashboard, not on "page not found"."""
        url = super().get_redirect_url(*args, **kwargs)
        if not url:
            return ""
        try:
            resolve(urlsplit(url).path)
        except Resolver404:
            return ""
        return url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """`returning`: sent here from a page of the console other than its front page (a
        session ended midway, or not yet signed in): the page says so, and that a form sent
        then was not saved."""
        returning = self.get_redirect_url() not in ("", "/") or self.request.GET.get("sent") == "1"
        kept = self.request.GET.get("kept") == "1"  # from the phone, whose queue keeps what was not sent
        return super().get_context_data(**kwargs) | {"returning": returning and not kept, "kept": kept}

    def form_valid(self, form: AuthenticationForm) -> Any:
        response = super().form_valid(form)
        record(self.request, "login", "user", form.get_user().get_username())
        return response

    def form_invalid(self, form: AuthenticationForm) -> Any:
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
            response["Retry-After"] = str(getattr(form, "wait", 0) or 1)
        return response


def logout_view(request: HttpRequest) -> Any:
    from django.shortcuts import redirect

    if request.method == "POST":
        record(request, "logout", "user", request.user.get_username())
        auth.logout(request)
    return redirect("login")
