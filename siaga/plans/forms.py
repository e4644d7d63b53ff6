"""The two hand inputs of a plan: moving one person, and re-planning after changes in the field.

Both check what they name against the operation (an unknown NRP, TPS or category is refused
with a message naming it) before anything is started.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.core.data.model import Category
from siaga.operations.models import Operation

SLOT_OF_FORCE = {"POLRI": "POLRI", "TNI": "TNI", "LINMAS": "LINMAS", "BRIMOB": "BRIMOB"}
SLOT_CHOICES = [("", _("sesuai unsur")), *[(s, s) for s in SLOT_OF_FORCE.values()]]
MAX_LINES = 5000


class ReassignForm(forms.Form):
    person = forms.CharField(label=_("NRP/NIK personel"), max_length=40)
    idle = forms.BooleanField(label=_("Jadikan cadangan (tanpa pos)"), required=False)
    post = forms.CharField(label=_("Pos tujuan"), max_length=80, required=False)
    slot = forms.ChoiceField(label=_("Slot"), choices=SLOT_CHOICES, required=False)

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.operation = operation

    def clean_person(self) -> str:
        code = self.cleaned_data["person"].strip()
        force = self.operation.personnel.filter(code=code).values_list("force", flat=True).first()
        if force is None:
            raise forms.ValidationError(_("Personel %(code)s tidak ada dalam operasi ini."), params={"code": code})
        self.force = force
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "person" not in data:
            return data
        if data.get("idle"):
            data["post"], data["slot"] = None, None
            return data
        data["post"] = (data.get("post") or "").strip()
        if not data["post"]:
            raise forms.ValidationError(_("Isi pos tujuan, atau pilih 'jadikan cadangan'."))
        data["slot"] = data.get("slot") or SLOT_OF_FORCE.get(self.force)
        if not data["slot"]:
            raise forms.ValidationError(
                _("Unsur %(force)s tidak mengisi slot pos mana pun."), params={"force": self.force}
            )
        return data


class ReplanForm(forms.Form):
    absent = forms.CharField(
        label=_("Personel berhalangan (NRP/NIK, satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    categories = forms.CharField(
        label=_("Perubahan kategori TPS (satu per baris: KODE_TPS=KATEGORI)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.operation = operation

    def clean_absent(self) -> list[str]:
        codes = sorted({c for c in re.split(r"[\s,;]+", self.cleaned_data["absent"]) if c})
        if len(codes) > MAX_LINES:
            raise forms.ValidationError(_("Terlalu banyak baris (paling banyak %(n)s)."), params={"n": MAX_LINES})
        known = set(self.operation.personnel.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(
                _("NRP/NIK tidak dikenal: %(codes)s"), params={"codes": ", ".join(unknown[:20])}
            )
        return codes

    def clean_categories(self) -> dict[str, str]:
        lines = [line.strip() for line in self.cleaned_data["categories"].splitlines() if line.strip()]
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(_("Terlalu banyak baris (paling banyak %(n)s)."), params={"n": MAX_LINES})
        changes: dict[str, str] = {}
        errors = []
        for number, line in enumerate(lines, 1):
            code, sep, value = (part.strip() for part in line.partition("="))
            category = value.upper().replace(" ", "_")
            if not sep or not code:
                errors.append(_("baris %(n)s: tulis KODE_TPS=KATEGORI") % {"n": number})
            elif category not in Category.__members__:
                errors.append(
                    _("baris %(n)s: kategori %(value)s tidak dikenal (%(known)s)")
                    % {"n": number, "value": value, "known": ", ".join(c.value for c in Category)}
                )
            else:
                changes[code] = category
        known = set(self.operation.tps_set.filter(code__in=list(changes)).values_list("code", flat=True))
        errors += [_("TPS %(code)s tidak ada dalam operasi ini") % {"code": c} for c in changes if c not in known]
        if errors:
            raise forms.ValidationError(errors[:20])
        return changes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("absent") and not data.get("categories"):
            raise forms.ValidationError(_("Tidak ada perubahan: isi personel berhalangan atau perubahan kategori."))
        return data
