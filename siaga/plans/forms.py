"""The hand inputs of a plan: moving one person, re-planning after changes in the field,
pinning a person's place for every later plan, and accepting the strength advice.

Each checks what it names against the operation (an unknown NRP, post, TPS or category is
refused with a message naming it) before anything is written or started.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from siaga.core.data import labels
from siaga.core.data.model import Category, Force
from siaga.core.data.positions import is_command
from siaga.operations.labels import CATEGORY_LABELS
from siaga.operations.models import Operation, Person
from siaga.plans.models import Plan

SLOT_OF_FORCE = {"POLRI": "POLRI", "TNI": "TNI", "LINMAS": "LINMAS", "BRIMOB": "BRIMOB"}
SLOT_CHOICES = [("", _("sesuai unsur")), *[(s, s) for s in SLOT_OF_FORCE.values()]]
MAX_LINES = 5000


class ReassignForm(forms.Form):
    """A person, found by NRP/NIK or by a name only one person holds, to a post named by its
    id or by the name a person reads (`post_names`: id -> name), or made idle."""

    person = forms.CharField(label=_("Nama atau NRP/NIK personel"), max_length=120)
    idle = forms.BooleanField(label=_("Jadikan cadangan (tanpa pos)"), required=False)
    post = forms.CharField(label=_("Pos tujuan"), max_length=160, required=False)
    slot = forms.ChoiceField(label=_("Slot"), choices=SLOT_CHOICES, required=False)

    def __init__(self, *args: Any, operation: Operation, post_names: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.operation = operation
        self.post_names = post_names or {}
        self.person_name = self.post_name = ""

    def clean_person(self) -> str:
        typed = self.cleaned_data["person"].strip()
        people = self.operation.personnel
        found = list(people.filter(code=typed).values_list("code", "name", "rank", "force")[:1])
        if not found:
            found = list(people.filter(name__iexact=typed).values_list("code", "name", "rank", "force")[:2])
        if len(found) > 1:
            raise forms.ValidationError(
                _("Lebih dari satu personel bernama %(name)s: pilih dari daftar saran (NRP/NIK)."),
                params={"name": typed},
            )
        if not found:
            raise forms.ValidationError(_("Personel %(code)s tidak ada dalam operasi ini."), params={"code": typed})
        code, name, rank, self.force = found[0]
        self.person_name = f"{rank} {name}".strip()
        return str(code)

    def clean_post(self) -> str:
        typed = (self.cleaned_data.get("post") or "").strip()
        by_name = {name: code for code, name in self.post_names.items()}
        code = by_name.get(typed, typed)
        if code and self.post_names and code not in self.post_names:  # a post of another version or plan
            raise forms.ValidationError(_("Pos %(post)s tidak ada dalam versi ini."), params={"post": typed})
        self.post_name = self.post_names.get(code, code)
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "person" not in data:
            return data
        if data.get("idle"):
            data["post"], data["slot"] = None, None
            return data
        if not data.get("post"):
            if "post" in self.errors:  # a post not in this version: said beside the field
                return data
            raise forms.ValidationError(_("Isi pos tujuan, atau pilih 'jadikan cadangan'."))
        data["slot"] = data.get("slot") or SLOT_OF_FORCE.get(self.force)
        if not data["slot"]:
            raise forms.ValidationError(
                _("Unsur %(force)s tidak mengisi slot pos mana pun."), params={"force": self.force}
            )
        return data


def with_picks(post: Any) -> dict[str, Any]:
    """The re-plan's POST with what was picked beside the typed fallback: each `absent_pick`
    (an NRP/NIK, picked or typed) a line of `absent_picks`; each `change_tps`/`change_category` pair
    (a TPS code, picked or typed, and a category) a line TPS=CATEGORY of `tps_picks`, checked
    apart from the pasted `categories` so that its errors name the picker, and the pasted
    lines' errors their line (a pair with either half empty is skipped)."""
    pairs = zip(post.getlist("change_tps"), post.getlist("change_category"), strict=False)
    picks = [f"{t.strip()}={c}" for t, c in pairs if t.strip() and c]
    return {
        "absent": post.get("absent", ""),
        "absent_picks": "\n".join(c.strip() for c in post.getlist("absent_pick") if c.strip()),
        "categories": post.get("categories", ""),
        "tps_picks": "\n".join(picks),
    }


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

    absent_picks = forms.CharField(label=_("Personel berhalangan"), widget=forms.HiddenInput, required=False)
    tps_picks = forms.CharField(label=_("Perubahan kategori TPS"), widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.operation = operation

    def clean_absent(self) -> list[str]:
        codes = sorted({c for c in re.split(r"[\s,;]+", self.cleaned_data["absent"]) if c})
        if len(codes) > MAX_LINES:
            raise forms.ValidationError(_("Terlalu banyak baris (paling banyak %(n)s)."), params={"n": MAX_LINES})
        known = set(self.operation.personnel.filter(code__in=codes).values_list("code", flat=True))
        errors = []  # each line to fix by its number, as the reader counts the lines typed
        for number, line in enumerate(self.cleaned_data["absent"].splitlines(), 1):
            unknown = [c for c in dict.fromkeys(re.split(r"[\s,;]+", line)) if c and c not in known]
            if unknown:
                errors.append(
                    _("baris %(n)s: NRP/NIK tidak dikenal: %(codes)s") % {"n": number, "codes": ", ".join(unknown)}
                )
        if errors:
            raise forms.ValidationError(errors[:20])
        return codes

    def clean_categories(self) -> dict[str, str]:
        lines = [line.strip() for line in self.cleaned_data["categories"].splitlines() if line.strip()]
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(_("Terlalu banyak baris (paling banyak %(n)s)."), params={"n": MAX_LINES})
        changes: dict[str, str] = {}
        errors = []
        # A category by its word in the reader's language or in Indonesian, or by its code.
        words = {str(CATEGORY_LABELS[c]).casefold(): c.value for c in Category}
        words |= {labels.CATEGORY[c].casefold(): c.value for c in Category}
        for number, line in enumerate(lines, 1):
            code, sep, value = (part.strip() for part in line.partition("="))
            category = words.get(" ".join(value.split()).casefold(), value.upper().replace(" ", "_"))
            if not sep or not code:
                errors.append(_("baris %(n)s: tulis KODE_TPS=KATEGORI") % {"n": number})
            elif category not in Category.__members__:
                errors.append(
                    _("baris %(n)s: kategori %(value)s tidak dikenal (%(known)s)")
                    % {"n": number, "value": value, "known": ", ".join(str(CATEGORY_LABELS[c]) for c in Category)}
                )
            else:
                changes[code] = category
        known = set(self.operation.tps_set.filter(code__in=list(changes)).values_list("code", flat=True))
        errors += [_("TPS %(code)s tidak ada dalam operasi ini") % {"code": c} for c in changes if c not in known]
        if errors:
            raise forms.ValidationError(errors[:20])
        return changes

    def clean_absent_picks(self) -> list[str]:
        """The people picked or typed in the name search, each by their NRP/NIK."""
        codes = sorted({line.strip() for line in self.cleaned_data["absent_picks"].splitlines() if line.strip()})
        if len(codes) > MAX_LINES:
            raise forms.ValidationError(_("Terlalu banyak baris (paling banyak %(n)s)."), params={"n": MAX_LINES})
        known = set(self.operation.personnel.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(
                _("Tidak dikenal: %(codes)s. Ketik nama atau NRP, lalu pilih dari saran.")
                % {"codes": ", ".join(unknown[:20])}
            )
        return codes

    def clean_tps_picks(self) -> dict[str, str]:
        """The TPS picked or typed in the category-change fields, each by its code."""
        pairs = dict(line.split("=", 1) for line in self.cleaned_data["tps_picks"].splitlines() if "=" in line)
        known = set(self.operation.tps_set.filter(code__in=list(pairs)).values_list("code", flat=True))
        errors = [
            _("TPS %(code)s tidak ada dalam operasi ini: ketik kode TPS atau pilih dari saran.") % {"code": code}
            for code in pairs
            if code not in known
        ]
        errors += [
            _("kategori %(value)s tidak dikenal") % {"value": value}
            for value in pairs.values()
            if value not in Category.__members__
        ]
        if errors:
            raise forms.ValidationError(errors[:20])
        return pairs

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "categories" in data and "tps_picks" in data:
            data["categories"] = {**data["categories"], **data.pop("tps_picks")}
        if "absent" in data and "absent_picks" in data:
            data["absent"] = sorted({*data["absent"], *data.pop("absent_picks")})
        if not self.errors and not data.get("absent") and not data.get("categories"):
            raise forms.ValidationError(_("Tidak ada perubahan: isi personel berhalangan atau perubahan kategori."))
        return data


STAFF, NOT_DEPLOYED, AT_POST = "STAF", "TIDAK", "POS"  # the pinned_post values the page writes
PIN_CHOICES = [
    (AT_POST, _("Tetap di pos ini")),
    (STAFF, _("Staf (tidak di pos)")),
    (NOT_DEPLOYED, _("Tidak diturunkan")),
]


class PinForm(forms.Form):
    """A pin from the plan page: the person stays on their post of this version (or the post
    named), is held for staff duty, or is not deployed; always with a reason. `value` in the
    cleaned data is what `Person.pinned_post` takes."""

    person = forms.CharField(label=_("NRP/NIK personel"), max_length=40)
    choice = forms.ChoiceField(label=_("Keputusan"), choices=PIN_CHOICES, widget=forms.RadioSelect, initial=AT_POST)
    post = forms.CharField(label=_("Pos (kosongkan: pos saat ini)"), max_length=80, required=False)
    reason = forms.CharField(label=_("Alasan"), max_length=200)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_person(self) -> Person:
        return _person_of(self.plan.operation, self.cleaned_data["person"])

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Tulis alasan pin."))
        return reason

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person = data.get("person")
        if person is None or "choice" not in data:
            return data
        if data["choice"] != AT_POST:
            data["value"] = data["choice"]
            return data
        if is_command(person.position):  # the planner would keep it; say so now, not after the next plan
            raise forms.ValidationError(
                _(
                    "%(who)s (%(position)s) adalah komando/staf operasi dan tidak ditempatkan di pos: "
                    "pilih staf atau tidak diturunkan."
                ),
                params={"who": person, "position": person.position},
                code="command",
            )
        post = (data.get("post") or "").strip()
        if post:
            found = self.plan.posts.filter(code=post).values_list("desa_code", flat=True).first()
            if found is None:  # said beside the post field, as the desa rule below
                wrong = forms.ValidationError(
                    _("Pos %(post)s tidak ada dalam versi ini."), params={"post": post}, code="post"
                )
                self.add_error("post", wrong)
                return data
            if person.force == Force.LINMAS and found != person.desa_code:
                self.add_error(
                    "post", forms.ValidationError(_("Linmas hanya bertugas di desanya sendiri."), code="desa")
                )
                return data
        else:
            row = self.plan.assignments.filter(person_code=person.code).values_list("post__code", flat=True).first()
            if row is None:
                raise forms.ValidationError(
                    _(
                        "%(who)s tidak bertugas di pos mana pun pada versi ini: isi pos, atau pilih "
                        "staf atau tidak diturunkan."
                    ),
                    params={"who": person},
                    code="no_post",
                )
            post = row
        data["value"] = post
        return data


class UnpinForm(forms.Form):
    person = forms.CharField(max_length=40)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_person(self) -> Person:
        person = _person_of(self.plan.operation, self.cleaned_data["person"])
        if not person.pinned_post:
            raise forms.ValidationError(_("%(who)s tidak dipin."), params={"who": person})
        return person


def _person_of(operation: Operation, code: str) -> Person:
    code = code.strip()
    person = operation.personnel.filter(code=code).first()
    if person is None:
        raise forms.ValidationError(_("Personel %(code)s tidak ada dalam operasi ini."), params={"code": code})
    return person


MAX_REINFORCEMENT = 20


class ReinforceForm(forms.Form):
    """The strength advice accepted: this many more Polri on every sangat rawan and khusus TPS
    post (the operation setting `reinforce_sangat_rawan`)."""

    per_post = forms.IntegerField(label=_("Tambahan Polri per pos"), min_value=1, max_value=MAX_REINFORCEMENT)


class PsuForm(forms.Form):
    """A re-vote (PSU) at a few TPS on a new date: a stage added to the operation, guarded by
    the people not on duty then (docs/scenario.md 2.13)."""

    name = forms.CharField(label=_("Nama tahapan"), max_length=120, initial="PSU")
    date = forms.DateField(label=_("Tanggal PSU"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Mulai"), initial="07:00", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(
        label=pgettext_lazy("PSU", "Selesai"), initial="17:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    tps = forms.CharField(
        label=_("Kode TPS yang memilih ulang (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "35.14.17.2005-01"}),
    )

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.operation = operation

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day <= self.operation.election_date:
            raise forms.ValidationError(
                _("PSU diadakan sesudah hari pemungutan (%(day)s)."),
                params={"day": date_format(self.operation.election_date, "j F Y")},
            )
        return day

    def clean_tps(self) -> list[str]:
        codes = list(dict.fromkeys(c for c in re.split(r"[\s,;]+", self.cleaned_data["tps"]) if c))
        if not codes:
            raise forms.ValidationError(_("Tulis paling sedikit satu kode TPS."))
        if len(codes) > MAX_LINES:
            raise forms.ValidationError(_("Terlalu banyak baris (paling banyak %(n)s)."), params={"n": MAX_LINES})
        known = set(self.operation.tps_set.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(
                _("TPS %(codes)s tidak ada dalam operasi ini (lihat daftar TPS)."),
                params={"codes": ", ".join(unknown[:20])},
            )
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("Selesai harus sesudah mulai."))
        name = (data.get("name") or "").strip()
        taken = {str(s.get("name", "")) for s in self.operation.config.get("stages", [])}
        if name and name in taken:
            self.add_error("name", _("Tahapan bernama %(name)s sudah ada; beri nama lain.") % {"name": name})
        return data
