"""The admin's account forms (siaga/accounts/views_accounts.py); the checks that need the
database (kecamatan, NRP/NIK, Polda, password rules) are the service's (siaga/accounts/accounts.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.accounts.accounts import known_poldas, polres_choices
from siaga.accounts.models import Role

# the service's field -> the form's
FORM_FIELD = {"password": "password1"}


class AccountForm(forms.Form):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Untuk masuk; huruf, angka dan @ . + - _ saja. Tidak dapat diubah sesudahnya."),
    )
    name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    polres = forms.ChoiceField(
        label=_("Polres"),
        required=False,
        help_text=_("Hanya operasi Polres ini yang terlihat. Kosong: semua operasi (laptop atau server satu Polres)."),
    )
    polda = forms.ChoiceField(
        label=_("Polda"),
        required=False,
        help_text=_("Hanya untuk peran Polda: semua operasi Polres di Polda itu terlihat."),
    )
    kecamatan = forms.CharField(
        label=_("Kecamatan"),
        max_length=40,
        required=False,
        help_text=_(
            "Hanya untuk kepala sektor: kode kecamatan yang boleh dilihat, dari wilayah operasi (mis. 35.14.17)."
        ),
    )
    nrp = forms.CharField(
        label=_("NRP/NIK"),
        max_length=40,
        required=False,
        help_text=_(
            "Hanya untuk kepala pos atau petugas lapangan: NRP/NIK-nya di daftar personel; "
            "ia melihat pos penugasannya saja."
        ),
    )
    password1 = forms.CharField(
        label=_("Kata sandi awal"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Paling sedikit 10 karakter, bukan kata sandi yang umum, tidak mirip nama pengguna."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, new: bool = True, current_polres: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        polres = polres_choices()
        if current_polres and current_polres not in dict(polres):
            polres.append((current_polres, current_polres))
        everything = _("(kosong: semua operasi)")
        polres_field, polda_field = self.fields["polres"], self.fields["polda"]
        assert isinstance(polres_field, forms.ChoiceField) and isinstance(polda_field, forms.ChoiceField)
        polres_field.choices = [("", everything)] + [(c, f"{n} ({c})" if n != c else c) for c, n in polres]
        polda_field.choices = [("", "—")] + [(p, p) for p in known_poldas()]
        self.fields["kecamatan"].widget.attrs["list"] = "kecamatan-options"
        self.fields["nrp"].widget.attrs["inputmode"] = "numeric"
        if not new:
            for name in ("username", "password1", "password2"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, again = cleaned.get("password1"), cleaned.get("password2")
        if "password1" in self.fields and first and again is not None and first != again:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return cleaned

    def refused(self, errors: dict[str, list[str]]) -> None:
        for field, said in errors.items():
            name = FORM_FIELD.get(field, field)
            for message in said:
                self.add_error(name if name in self.fields else None, message)


class PasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Sesi akun ini yang sedang terbuka berakhir; sampaikan kata sandinya kepada pemiliknya langsung."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, again = cleaned.get("password1"), cleaned.get("password2")
        if first and again is not None and first != again:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return cleaned
