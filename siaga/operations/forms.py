"""Forms of the data pages: the scenario upload and the hand edits of a TPS or a person.

Each edited value is read by the scenario contract's own reader for that column
(siaga.core.data.scenario's sheet specs, built on siaga.core.data.cells), so the page refuses exactly
what the importer refuses, in the importer's words, naming the field by its label on the form
(the importer names sheet, row and column; a form has none of those).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language, gettext_lazy, gettext_noop, pgettext_lazy
from django.utils.translation import gettext as _

from siaga.core.data import numbers, ranks
from siaga.core.data import scenario as contract
from siaga.core.data.cells import Bad
from siaga.core.data.model import VILLAGE_LEVELS, Force, Level
from siaga.core.data.positions import is_command
from siaga.core.data.problems import MESSAGES, WHERE, shown
from siaga.core.data.ranks import LEVEL as RANK_LEVEL
from siaga.core.data.ranks import RANKED_FORCES
from siaga.core.data.text import _ as core_text
from siaga.operations.models import Person, Region, Tps, Unit

UPLOAD_SUFFIXES = (".xlsx", ".xls")  # an .xls is let through so the reader can say what it is


def max_upload_bytes() -> int:
    """Uploads above this are refused (a Polres workbook is a few MB; the core's own
    .xlsx limit is 100 MiB). SIAGA_MAX_UPLOAD_BYTES may lower or raise it."""
    return int(getattr(settings, "SIAGA_MAX_UPLOAD_BYTES", 50 * 2**20))


def lang() -> str:
    """The language of problem messages: the page's."""
    return "en" if get_language() == "en" else "id"


# Messages of a person's number, phone and rank name the field and quote what was typed
# themselves ("No. HP hanya angka ...; tertulis 08x"), as the forms label them.
SELF_NAMED = frozenset({"nrp_digits", "nrp_lost_zero", "nik_digits", "not_phone", "unknown_rank"})
# Messages that name a sheet or a column of the workbook, as a form says them (a form has no sheet).
FORM_WORDS = {
    "needs_unit": gettext_noop("personel %(force)s wajib memiliki satuan (asal berangkat)"),
    "linmas_needs_desa": gettext_noop("anggota LINMAS wajib memiliki desa (desanya sendiri)"),
    "unknown_unit": gettext_noop("tidak ada di antara satuan operasi ini"),
    "unknown_region": gettext_noop("tidak ada di antara wilayah operasi ini"),
}
VALUE_SHOWN = 60  # characters of a refused value quoted in a message, as the importer quotes a cell


def problem_text(code: str, label: object, value: object = "", **params: object) -> str:
    """The importer's message for one field of a form (the words of siaga.core.data.problems),
    naming the field by its form `label` ("Kode TPS: wajib diisi", "Lintang, nilai '99': ..."),
    in the page's language."""
    if code in FORM_WORDS:
        what = _(FORM_WORDS[code]) % params if params else _(FORM_WORDS[code])
    else:
        what = core_text(MESSAGES[code], lang(), **{"hint": "", **params})
    if code in SELF_NAMED:
        return what
    text = str(value)
    if not text or code == "text_too_long":  # a long value is not quoted back
        return f"{label}: {what}"
    text = text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 1] + "…"
    return f"{label}, {core_text(WHERE['value'], lang(), place=shown(text))}: {what}"


def column(sheet: contract.Sheet, name: str) -> contract.Column:
    return next(c for c in sheet.columns if c.name == name)


def read_cell(col: contract.Column, label: object, raw: str) -> Any:
    """`raw` (stripped) read as the importer reads a cell of `col`; ValidationError naming `label`."""
    if raw == "":
        if col.required:
            raise ValidationError(problem_text("required", label))
        return col.default
    try:
        return col.read(raw)
    except Bad as bad:
        raise ValidationError(problem_text(bad.code, label, raw, **bad.params)) from None


class CellField(forms.CharField):
    """A text box read like one cell of a scenario sheet. Its `max_length` (no more than the
    column's) is checked here, in the importer's words naming the field, not Django's; the box
    takes any length, so a text too long is kept to shorten, never cut off as it is typed."""

    def __init__(self, sheet: contract.Sheet, name: str, max_length: int | None = None, **kwargs: Any):
        self.column = column(sheet, name)
        self.limit = max_length
        super().__init__(required=False, strip=True, **kwargs)

    def clean(self, value: Any) -> Any:
        raw = self.to_python(value) or ""  # no Django validators: their messages name no field
        if self.limit is not None and len(raw) > self.limit:
            params = {"length": f"{len(raw):,}", "max": f"{self.limit:,}"}
            raise ValidationError(problem_text("text_too_long", self.label, raw, **params))
        return read_cell(self.column, self.label, raw)


def too_large(size: int) -> str:
    limit = max_upload_bytes()
    return _("Berkas terlalu besar (%(size)s); batas unggah %(limit)s. Tidak ada yang diimpor.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas skenario (.xlsx)"))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > max_upload_bytes():
            raise ValidationError(too_large(upload.size or 0))
        if not (upload.name or "").lower().endswith(UPLOAD_SUFFIXES):
            raise ValidationError(_("Pilih berkas Excel .xlsx (templat skenario Siaga)."))
        return upload


def version_field() -> forms.IntegerField:
    """The row's `edit_version` when the form was opened, sent back hidden: a save made on an
    older version is refused as a conflict (siaga.operations.services.EditConflict). A post
    without it (a script's) names no version and is not checked."""
    return forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class TpsForm(forms.Form):
    edit_version = version_field()
    number = CellField(contract.TPS, "number", label=gettext_lazy("Nomor TPS"))
    voters = CellField(contract.TPS, "voters", label=gettext_lazy("DPT (pemilih)"))
    lat = CellField(contract.TPS, "lat", label=gettext_lazy("Lintang"))
    lon = CellField(contract.TPS, "lon", label=gettext_lazy("Bujur"))
    address = CellField(
        contract.TPS, "address", label=gettext_lazy("Alamat"), max_length=255, widget=forms.TextInput({"size": 60})
    )

    @staticmethod
    def initial_for(tps: Tps) -> dict[str, Any]:
        return {f: getattr(tps, f) for f in ("number", "voters", "lat", "lon", "address", "edit_version")}


YES_NO = [("ya", gettext_lazy("ya")), ("tidak", gettext_lazy("tidak"))]


# What a person typed by hand must look like is what the importer holds a workbook to: an
# NRP/NIK of its force's shape (siaga.core.data.numbers), a Polri/TNI rank of the ladder
# (siaga.core.data.ranks), a phone number; the words are the importer's.
def code_problem(force: Force, code: str, label: object) -> str:
    """Why `code` cannot be this force's NRP/NIK ("" when it can)."""
    try:
        numbers.check_code(force, code)
    except Bad as bad:
        return problem_text(bad.code, label, code, **bad.params)
    return ""


def read_phone(phone: str, label: object) -> str:
    """The phone as stored; ValidationError when it is not a phone number."""
    try:
        return numbers.read_phone(phone)
    except Bad as bad:
        raise ValidationError(problem_text(bad.code, label, phone, **bad.params)) from None


def read_rank(force: Force, rank: str, label: object) -> str:
    """The rank as stored; ValidationError when a Polri, Brimob or TNI rank is not on the ladder."""
    try:
        return ranks.read_rank(force, rank)
    except Bad as bad:
        raise ValidationError(problem_text(bad.code, label, rank, **bad.params)) from None


def read_operation_name(typed: str) -> str:
    """An operation's new name, held to what the import holds the operation sheet's `nama` to
    (required, at most 200 characters, no invisible characters), and to one letter or digit at
    least (a name of dashes or signs names nothing); ValidationError naming the field."""
    label = _("Nama operasi")
    name = read_cell(column(contract.OPERATION, "name"), label, typed.strip())
    if not any(ch.isalnum() for ch in name):
        raise ValidationError(_("%(field)s: harus memuat paling sedikit satu huruf atau angka.") % {"field": label})
    return str(name)


COMMAND_HELP = gettext_lazy(
    "Kosong: kekuatan lapangan. Jabatan komando/staf (Kapolres, Wakapolres, Kabag, Kasat, Kasi, "
    "Kapolsek, Staf Posko, Dandim, Kasdim, Danramil) tidak pernah ditempatkan di pos TPS oleh rencana."
)


class RankInput(forms.TextInput):
    """A rank box that offers the ladder's ranks (Polri then TNI names, lowest first)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        from django.utils.html import format_html, format_html_join

        attrs = {**(attrs or {}), "list": f"ranks-{name}", "autocomplete": "off"}
        box = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">', ((r,) for r in RANK_LEVEL))
        return format_html('{}<datalist id="ranks-{}">{}</datalist>', box, name, options)


def named(rows: Any) -> list[tuple[str, str]]:
    """Units as a choice reads them: by name; by name and code only where two share a name."""
    rows = list(rows)
    shared = {n for n, count in Counter(n for _c, n in rows).items() if count > 1}
    return [(c, f"{n} ({c})" if n in shared else n) for c, n in rows]


CONFIRM_LOSS = "confirm_loss"  # ticked: take away the command position or the rank all the same


class PersonForm(forms.Form):
    """rank, phone and siap for everyone; the unit for POLRI, TNI, BRIMOB and SATPOL_PP; the
    desa for LINMAS (who guard the TPS of their own desa and belong to no unit)."""

    rank = CellField(contract.PERSONNEL, "rank", label=gettext_lazy("Pangkat"), max_length=30, widget=RankInput)
    position = CellField(
        contract.PERSONNEL,
        "position",
        label=gettext_lazy("Jabatan"),
        max_length=120,
        help_text=COMMAND_HELP,
    )
    phone = CellField(contract.PERSONNEL, "phone", label=gettext_lazy("No. HP"), max_length=30)
    available = CellField(
        contract.PERSONNEL, "available", label=gettext_lazy("Siap"), widget=forms.Select(choices=YES_NO)
    )
    unit_code = CellField(contract.PERSONNEL, "unit_code", label=pgettext_lazy("column header", "Satuan"))
    desa_code = CellField(contract.PERSONNEL, "desa_code", label=gettext_lazy("Desa/kelurahan"))
    edit_version = version_field()

    def __init__(self, data: Any = None, *, person: Person):
        self.person = person
        self.losses: list[tuple[str, str]] = []
        initial: dict[str, Any] = {"rank": person.rank, "position": person.position, "phone": person.phone}
        initial["available"] = "ya" if person.available else "tidak"
        initial |= {"unit_code": person.unit_code, "desa_code": person.desa_code, "edit_version": person.edit_version}
        super().__init__(data, initial=initial)
        if person.force == Force.LINMAS:
            del self.fields["unit_code"]
            villages = Region.objects.filter(operation_id=person.operation_id, level__in=list(VILLAGE_LEVELS))
            choices = villages.order_by("kecamatan_code", "name").values_list("code", "name")
            self.fields["desa_code"].widget = forms.Select(choices=[(c, f"{n} ({c})") for c, n in choices])
        else:
            del self.fields["desa_code"]
            units = Unit.objects.filter(operation_id=person.operation_id).values_list("code", "name")
            self.fields["unit_code"].widget = forms.Select(choices=named(units))

    def clean_rank(self) -> str:
        rank: str = self.cleaned_data["rank"]
        return rank if rank == self.person.rank else read_rank(Force(self.person.force), rank, self["rank"].label)

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"]
        return phone if phone == self.person.phone else read_phone(phone, self["phone"].label)

    def clean_unit_code(self) -> str:
        code: str = self.cleaned_data["unit_code"]
        label = self["unit_code"].label
        if not code:
            raise ValidationError(problem_text("needs_unit", label, force=self.person.force))
        if not Unit.objects.filter(operation_id=self.person.operation_id, code=code).exists():
            raise ValidationError(problem_text("unknown_unit", label, code))
        return code

    def clean_desa_code(self) -> str:
        code: str = self.cleaned_data["desa_code"]
        label = self["desa_code"].label
        if not code:
            raise ValidationError(problem_text("linmas_needs_desa", label))
        level = Region.objects.filter(operation_id=self.person.operation_id, code=code).values_list("level", flat=True)
        found = level.first()
        if found is None:
            raise ValidationError(problem_text("unknown_region", label, code))
        if Level(found) not in VILLAGE_LEVELS:
            raise ValidationError(problem_text("wrong_level", label, code, level=found, expected="DESA/KELURAHAN"))
        return code

    def clean(self) -> dict[str, Any]:
        """A command or staff position taken away, or a Polri/TNI rank cleared, is saved only
        when confirmed (`CONFIRM_LOSS` ticked): without the position the plan counts the person
        as field strength and may put a Kapolres on a TPS post; without a rank they lead no one."""
        data = super().clean() or {}
        self.losses = self.what_is_lost(data)
        if self.losses and self.data.get(CONFIRM_LOSS) != "1":
            for name, text in self.losses:
                self.add_error(name, text)
        return data

    def what_is_lost(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        """(field, warning) for each thing the edit takes away that the plan depends on."""
        person, lost = self.person, []
        position = data.get("position", person.position)
        if is_command(person.position) and not is_command(position):
            text = _(
                "%(field)s: %(name)s kehilangan jabatan komando/staf %(position)s; tanpanya rencana berikutnya "
                "menghitungnya sebagai kekuatan lapangan dan dapat menempatkannya di pos TPS."
            )
            lost.append(
                ("position", text % {"field": self["position"].label, "name": person.name, "position": person.position})
            )
        if person.rank and not data.get("rank", person.rank) and person.force in RANKED_FORCES:
            text = _(
                "%(field)s: pangkat %(rank)s dihapus; tanpa pangkat %(name)s tidak pernah dipilih sebagai ketua pos "
                "atau pemimpin regu."
            )
            lost.append(("rank", text % {"field": self["rank"].label, "rank": person.rank, "name": person.name}))
        return lost


def _taken(label: str) -> str:
    """A new row's code already taken, naming the field as the form labels it ("Kode TPS")."""
    return _("%(field)s: kode ini sudah dipakai dalam operasi ini; kode harus unik.") % {"field": label}


class NewCodeField(CellField):
    """The code (NRP/NIK, TPS id, unit code) of a new row: required and unique in the operation."""

    def __init__(self, sheet: contract.Sheet, name: str, model: type[Any], **kwargs: Any):
        self.model = model
        super().__init__(sheet, name, **kwargs)


class _NewRowForm(forms.Form):
    """A form for a new row of one operation; its NewCodeField must not be taken."""

    def __init__(self, data: Any = None, *, operation_id: int, **kwargs: Any):
        self.operation_id = operation_id
        super().__init__(data, **kwargs)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        field = self.fields["code"]
        assert isinstance(field, NewCodeField)
        if field.model.objects.filter(operation_id=self.operation_id, code=code).exists():
            raise ValidationError(_taken(str(field.label)))
        return code

    def villages(self) -> list[tuple[str, str]]:
        rows = Region.objects.filter(operation_id=self.operation_id, level__in=list(VILLAGE_LEVELS))
        return [(c, f"{n} ({c})") for c, n in rows.order_by("kecamatan_code", "name").values_list("code", "name")]

    def region_code(self, name: str, sheet: contract.Sheet, levels: frozenset[Level], expected: str) -> str:
        code: str = self.cleaned_data[name]
        label = self[name].label
        if not code:
            return code
        found = Region.objects.filter(operation_id=self.operation_id, code=code).values_list("level", flat=True).first()
        if found is None:
            raise ValidationError(problem_text("unknown_region", label, code))
        if Level(found) not in levels:
            raise ValidationError(problem_text("wrong_level", label, code, level=found, expected=expected))
        return code


class PersonAddForm(_NewRowForm):
    code = NewCodeField(contract.PERSONNEL, "id", Person, label=gettext_lazy("NRP/NIK"), max_length=40)
    name = CellField(contract.PERSONNEL, "name", label=gettext_lazy("Nama"), max_length=120)
    rank = CellField(contract.PERSONNEL, "rank", label=gettext_lazy("Pangkat"), max_length=30, widget=RankInput)
    force = CellField(contract.PERSONNEL, "force", label=gettext_lazy("Unsur"))
    unit_code = CellField(contract.PERSONNEL, "unit_code", label=gettext_lazy("Satuan (selain Linmas)"))
    desa_code = CellField(contract.PERSONNEL, "desa_code", label=gettext_lazy("Desa/kelurahan (Linmas)"))
    phone = CellField(contract.PERSONNEL, "phone", label=gettext_lazy("No. HP"), max_length=30)
    position = CellField(
        contract.PERSONNEL, "position", label=gettext_lazy("Jabatan"), max_length=120, help_text=COMMAND_HELP
    )

    def __init__(self, data: Any = None, *, operation_id: int):
        super().__init__(data, operation_id=operation_id)
        from siaga.operations.labels import FORCE_LABELS

        self.fields["force"].widget = forms.Select(choices=[(k, str(v)) for k, v in FORCE_LABELS.items()])
        units = Unit.objects.filter(operation_id=operation_id).order_by("name").values_list("code", "name")
        self.fields["unit_code"].widget = forms.Select(choices=[("", "–"), *named(units)])
        self.fields["desa_code"].widget = forms.Select(choices=[("", "–"), *self.villages()])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        force = data.get("force")
        if force is None:
            if "force" not in self.errors:
                self.add_error("force", problem_text("required", self["force"].label))
            return data
        self._check_person(force, data)
        if force == Force.LINMAS:
            if not data.get("desa_code") and "desa_code" not in self.errors:
                self.add_error("desa_code", problem_text("linmas_needs_desa", self["desa_code"].label))
            data["unit_code"] = ""
        else:
            code = data.get("unit_code", "")
            label = self["unit_code"].label
            if not code:
                self.add_error("unit_code", problem_text("needs_unit", label, force=force.value))
            elif not Unit.objects.filter(operation_id=self.operation_id, code=code).exists():
                self.add_error("unit_code", problem_text("unknown_unit", label, code))
        return data

    def _check_person(self, force: Force, data: dict[str, Any]) -> None:
        """The NRP/NIK's shape for this force, the rank on the ladder, the phone a number."""
        if data.get("code") and (problem := code_problem(force, data["code"], self["code"].label)):
            self.add_error("code", problem)
        if "rank" in data:
            try:
                data["rank"] = read_rank(force, data["rank"], self["rank"].label)
            except ValidationError as bad:
                self.add_error("rank", bad)
        if "phone" in data:
            try:
                data["phone"] = read_phone(data["phone"], self["phone"].label)
            except ValidationError as bad:
                self.add_error("phone", bad)

    def clean_desa_code(self) -> str:
        return self.region_code("desa_code", contract.PERSONNEL, VILLAGE_LEVELS, "DESA/KELURAHAN")

    def values(self) -> dict[str, Any]:
        """The new row's fields, with the kecamatan that decides which sector chief sees them."""
        data = dict(self.cleaned_data)
        force = data["force"]
        if force == Force.LINMAS:
            desa = Region.objects.filter(operation_id=self.operation_id, code=data["desa_code"])
            kecamatan = desa.values_list("kecamatan_code", flat=True).first()
        else:
            unit = Unit.objects.filter(operation_id=self.operation_id, code=data["unit_code"])
            kecamatan = unit.values_list("kecamatan_code", flat=True).first()
        data["force"] = force.value
        data["kecamatan_code"] = kecamatan or ""
        return data


class TpsAddForm(_NewRowForm):
    code = NewCodeField(contract.TPS, "id", Tps, label=gettext_lazy("Kode TPS"), max_length=60)
    desa_code = CellField(contract.TPS, "desa_code", label=gettext_lazy("Desa/kelurahan"))
    number = CellField(contract.TPS, "number", label=gettext_lazy("Nomor TPS"))
    voters = CellField(contract.TPS, "voters", label=gettext_lazy("DPT (pemilih)"))
    lat = CellField(contract.TPS, "lat", label=gettext_lazy("Lintang"))
    lon = CellField(contract.TPS, "lon", label=gettext_lazy("Bujur"))
    address = CellField(contract.TPS, "address", label=gettext_lazy("Alamat"), max_length=255)

    def __init__(self, data: Any = None, *, operation_id: int):
        super().__init__(data, operation_id=operation_id)
        self.fields["desa_code"].widget = forms.Select(choices=[("", "–"), *self.villages()])

    def clean_desa_code(self) -> str:
        return self.region_code("desa_code", contract.TPS, VILLAGE_LEVELS, "DESA/KELURAHAN")

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        desa = Region.objects.filter(operation_id=self.operation_id, code=data["desa_code"])
        data["kecamatan_code"] = desa.values_list("kecamatan_code", flat=True).first() or ""
        return data


class UnitForm(_NewRowForm):
    """A new unit (with its code) or an edit of one (`unit`: the code stays)."""

    code = NewCodeField(contract.UNITS, "code", Unit, label=gettext_lazy("Kode satuan"), max_length=60)
    name = CellField(contract.UNITS, "name", label=gettext_lazy("Nama"), max_length=120)
    kind = CellField(contract.UNITS, "kind", label=gettext_lazy("Jenis"))
    kecamatan_code = CellField(contract.UNITS, "kecamatan_code", label=gettext_lazy("Kecamatan"))
    lat = CellField(contract.UNITS, "lat", label=gettext_lazy("Lintang"))
    lon = CellField(contract.UNITS, "lon", label=gettext_lazy("Bujur"))
    edit_version = version_field()

    def __init__(self, data: Any = None, *, operation_id: int, unit: Unit | None = None):
        initial = None
        if unit is not None:
            initial = {f: getattr(unit, f) for f in ("name", "kind", "kecamatan_code", "lat", "lon", "edit_version")}
        super().__init__(data, operation_id=operation_id, initial=initial)
        from siaga.operations.labels import KIND_LABELS

        if unit is not None:
            del self.fields["code"]
        else:
            del self.fields["edit_version"]
        self.fields["kind"].widget = forms.Select(choices=[(k, str(v)) for k, v in KIND_LABELS.items()])
        kecamatan = Region.objects.filter(operation_id=operation_id, level=Level.KECAMATAN)
        options = kecamatan.order_by("name").values_list("code", "name")
        self.fields["kecamatan_code"].widget = forms.Select(choices=[("", "–"), *options])

    def clean_kecamatan_code(self) -> str:
        return self.region_code("kecamatan_code", contract.UNITS, frozenset({Level.KECAMATAN}), "KECAMATAN")

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["kind"] = data["kind"].value
        return data
