"""Signing in, with failed attempts slowed down per username and per address."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.models import LoginFailure
from siaga.audit.log import client_ip, record


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username", "")
        ip = client_ip(self.request)
        since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
        recent = LoginFailure.objects.filter(at__gte=since)
        if recent.filter(username=username).count() >= settings.LOGIN_FAILURE_LIMIT or (
            ip and recent.filter(ip=ip).count() >= settings.LOGIN_FAILURE_LIMIT * 4
        ):
            minutes = settings.LOGIN_LOCK_SECONDS // 60
            raise ValidationError(
                _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.")
                % {"minutes": minutes},
                code="locked",
            )
        try:
            return super().clean()
        except ValidationError:
            LoginFailure.objects.create(username=username, ip=ip)
            record(self.request, "login_failed", "user", username)
            raise


class SiagaLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> Any:
        response = super().form_valid(form)
        LoginFailure.objects.filter(username=form.get_user().get_username()).delete()
        record(self.request, "login", "user", form.get_user().get_username())
        return response


def logout_view(request: HttpRequest) -> Any:
    from django.shortcuts import redirect

    if request.method == "POST":
        record(request, "logout", "user", request.user.get_username())
        auth.logout(request)
    return redirect("login")
