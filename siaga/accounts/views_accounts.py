"""The admin's account pages: the list of accounts (role in words, what each sees, active, last
login), make an account, change its role, what it sees and its name, a new password, deactivate
or reactivate. Every change goes through siaga/accounts/accounts.py, as `manage.py akun` does;
a refused change keeps what was typed (not the passwords) and changes nothing. Every other role
gets the 403 page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siaga.accounts import accounts
from siaga.accounts.forms import AccountForm, PasswordForm
from siaga.accounts.models import Profile, Role
from siaga.accounts.roles import require


def _role_label(user: Any) -> str:
    if user.is_superuser:
        return str(Role.ADMIN.label)
    profile = getattr(user, "profile", None)
    code = profile.role if profile is not None else Role.VIEWER
    return str(Role(code).label) if code in Role.values else code


def _profile(user: Any) -> Profile | None:
    try:
        return user.profile  # type: ignore[no-any-return]
    except Profile.DoesNotExist:
        return None


def _row(user: Any, polres_names: dict[str, str], kecamatan: dict[str, str], people: dict[str, str]) -> dict[str, Any]:
    profile = _profile(user)
    role = Role.ADMIN if user.is_superuser else (profile.role if profile else Role.VIEWER)
    polres = profile.polres_code if profile else ""
    row: dict[str, Any] = {
        "user": user,
        "role": role,
        "role_label": _role_label(user),
        "polres": polres,
        "polres_name": polres_names.get(polres, ""),
        "polda": profile.polda if profile and role == Role.POLDA else "",
        "kecamatan": "",
        "kecamatan_name": "",
        "nrp": "",
        "person_name": "",
        "missing": "",
    }
    if role == Role.SECTOR_CHIEF:
        code = profile.kecamatan_code if profile else ""
        row |= {"kecamatan": code, "kecamatan_name": kecamatan.get(code, "")}
        if not code:
            row["missing"] = _("kecamatan belum diisi: tidak melihat apa pun")
        elif code not in kecamatan:
            row["missing"] = _("kecamatan ini tidak ada di wilayah operasi mana pun: tidak melihat apa pun")
    elif role == Role.FIELD_OFFICER:
        code = profile.person_code if profile else ""
        row |= {"nrp": code, "person_name": people.get(code, "")}
        if not code:
            row["missing"] = _("NRP/NIK belum diisi: tidak melihat pos apa pun")
        elif code not in people:
            row["missing"] = _("NRP/NIK ini tidak ada di personel operasi mana pun: tidak melihat pos apa pun")
    elif role == Role.POLDA and not row["polda"]:
        row["missing"] = _("Polda belum diisi: tidak melihat apa pun")
    return row


def _rows(users: list[Any]) -> list[dict[str, Any]]:
    from siaga.operations.models import Person

    codes = {p.person_code for u in users if (p := _profile(u)) is not None and p.person_code}
    people: dict[str, str] = {}
    for code, name in Person.objects.filter(code__in=codes).order_by("operation_id").values_list("code", "name"):
        people[code] = name
    polres = dict(accounts.polres_choices())
    kecamatan = dict(accounts.kecamatan_choices())
    return [_row(u, polres, kecamatan, people) for u in users]


def account_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "accounts")
    users = list(get_user_model().objects.select_related("profile").order_by("-is_active", "username"))
    return render(request, "accounts/account_list.html", {"rows": _rows(users)})


def _form_page(request: HttpRequest, form: AccountForm, account: Any = None, **extra: Any) -> HttpResponse:
    context = {
        "form": form,
        "account": account,
        "row": _rows([account])[0] if account is not None else None,
        "kecamatan_options": accounts.kecamatan_choices(),
        "password_form": extra.pop("password_form", None) or PasswordForm(),
        "is_self": account is not None and account.pk == request.user.pk,
        **extra,
    }
    bound = form.is_bound or context["password_form"].is_bound or extra.get("active_error")
    return render(request, "accounts/account_form.html", context, status=400 if bound else 200)


def account_add(request: HttpRequest) -> HttpResponse:
    require(request.user, "accounts")
    form = AccountForm(request.POST if request.method == "POST" else None, new=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = accounts.save_account(
                data["username"],
                role=data["role"],
                name=data["name"],
                polres=data["polres"],
                polda=data["polda"],
                kecamatan=data["kecamatan"],
                nrp=data["nrp"],
                password=data["password1"],
                new=True,
                by=request.user,
                request=request,
            )
        except accounts.AccountRefused as refused:
            form.refused(refused.errors)
        else:
            messages.success(
                request,
                _("Akun %(username)s dibuat: %(role)s.")
                % {"username": saved.user.get_username(), "role": _role_label(saved.user)},
            )
            return redirect(reverse("account_list") + f"#account-{saved.user.pk}")
    return _form_page(request, form)


def _initial(account: Any) -> dict[str, str]:
    profile = _profile(account)
    return {
        "name": account.get_full_name(),
        "role": Role.ADMIN if account.is_superuser else (profile.role if profile else Role.VIEWER),
        "polres": profile.polres_code if profile else "",
        "polda": profile.polda if profile else "",
        "kecamatan": profile.kecamatan_code if profile else "",
        "nrp": profile.person_code if profile else "",
    }


def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "accounts")
    account = get_object_or_404(get_user_model(), pk=pk)
    initial = _initial(account)
    data = request.POST if request.method == "POST" else None
    form = AccountForm(data, initial=initial, new=False, current_polres=initial["polres"])
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            accounts.save_account(
                account.get_username(),
                role=cleaned["role"],
                name=cleaned["name"],
                polres=cleaned["polres"],
                polda=cleaned["polda"],
                kecamatan=cleaned["kecamatan"],
                nrp=cleaned["nrp"],
                new=False,
                by=request.user,
                request=request,
            )
        except accounts.AccountRefused as refused:
            form.refused(refused.errors)
        else:
            messages.success(request, _("Akun %(username)s disimpan.") % {"username": account.get_username()})
            return redirect(reverse("account_list") + f"#account-{account.pk}")
    return _form_page(request, form, account)


@require_POST
def account_password(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "accounts")
    account = get_object_or_404(get_user_model(), pk=pk)
    password_form = PasswordForm(request.POST)
    if password_form.is_valid():
        try:
            accounts.set_password(
                account,
                password_form.cleaned_data["password1"],
                password_form.cleaned_data["password2"],
                by=request.user,
                request=request,
            )
        except accounts.AccountRefused as refused:
            for message in refused.errors.get("password", []):
                password_form.add_error("password1", message)
        else:
            if account.pk == request.user.pk:
                update_session_auth_hash(request, account)  # his own: this session stays, the others end
            messages.success(
                request, _("Kata sandi baru untuk %(username)s disimpan.") % {"username": account.get_username()}
            )
            return redirect(reverse("account_edit", args=[account.pk]))
    form = AccountForm(initial=_initial(account), new=False, current_polres=_initial(account)["polres"])
    return _form_page(request, form, account, password_form=password_form)


@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "accounts")
    account = get_object_or_404(get_user_model(), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        changed = accounts.set_active(account, active, by=request.user, request=request)
    except accounts.AccountRefused as refused:
        form = AccountForm(initial=_initial(account), new=False, current_polres=_initial(account)["polres"])
        return _form_page(request, form, account, active_error=" ".join(refused.errors.get("active", [])))
    if changed:
        said = _("Akun %(username)s diaktifkan kembali.") if active else _("Akun %(username)s dinonaktifkan.")
        messages.success(request, said % {"username": account.get_username()})
    return redirect(reverse("account_list") + f"#account-{account.pk}")
