"""An operation and its scenario data, as imported from the staff's workbook.

Importing a workbook whose operation name matches a (not archived) operation updates that
operation: its rows are replaced, and a `DataVersion` keeps what changed. Codes and ids are the
scenario's (text). `kecamatan_code` is kept on TPS, people and regions so a sector chief's
view is one indexed filter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from siaga.core.data.model import Category, Force, Level, UnitKind

CATEGORY_CHOICES = [(c.value, c.value) for c in Category]


class Edited(models.Model):
    """A row planners edit in the console: `edit_version` grows by one with every save through
    the console (optimistic concurrency: an edit form carries the version it was opened on, and
    a save made on an older one is refused as a conflict), with who saved last and when."""

    edit_version = models.PositiveIntegerField(_("versi ubahan"), default=0)
    edited_by = models.CharField(_("diubah oleh"), max_length=150, blank=True, default="")
    edited_at = models.DateTimeField(_("diubah pada"), null=True, blank=True)

    class Meta:
        abstract = True


class Operation(models.Model):
    name = models.CharField(_("nama operasi"), max_length=200)
    election_date = models.DateField(_("tanggal pemungutan"))
    pattern = models.CharField(_("pola"), max_length=40)
    config = models.JSONField(_("pengaturan"), default=dict)
    source_name = models.CharField(_("berkas asal"), max_length=255, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(_("diimpor"), auto_now_add=True)
    archived = models.BooleanField(_("diarsipkan"), default=False, db_index=True)
    # Whose operation it is (siaga.core.data.owner, set on every import): a Polda database holds
    # many Polres, and these decide who sees which (siaga.accounts.scope.operations_for).
    polres_code = models.CharField(_("kode Polres"), max_length=60, blank=True, default="", db_index=True)
    polres_name = models.CharField(_("Polres"), max_length=120, blank=True, default="")
    polda = models.CharField(_("Polda"), max_length=60, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = _("operasi")
        verbose_name_plural = _("operasi")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.name


class DataVersion(models.Model):
    """One import of an operation's workbook: the first, or a re-import with what it changed
    (`diff`: TPS and people added, removed and changed, by code)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="data_versions")
    number = models.PositiveIntegerField(_("versi data"))
    source_name = models.CharField(_("berkas asal"), max_length=255, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(_("diimpor"), auto_now_add=True)
    counts = models.JSONField(_("jumlah"), default=dict)
    diff = models.JSONField(_("perubahan"), default=dict)

    class Meta:
        verbose_name = _("versi data")
        verbose_name_plural = _("versi data")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["operation", "number"], name="data_version_unique")]

    def __str__(self) -> str:
        return f"{self.operation} v{self.number}"


class Region(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="regions")
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=12, choices=[(lv.value, lv.value) for lv in Level])
    parent_code = models.CharField(_("kode induk"), max_length=40, blank=True)
    kecamatan_code = models.CharField(max_length=40, blank=True, db_index=True)
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    indicators = models.JSONField(_("indikator"), default=dict, blank=True)
    polres_code = models.CharField(_("kode Polres"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [models.UniqueConstraint(fields=["operation", "code"], name="region_code_unique")]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Tps(Edited):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="tps_set")
    code = models.CharField(_("kode TPS"), max_length=60)
    desa_code = models.CharField(_("kode desa"), max_length=40, db_index=True)
    kecamatan_code = models.CharField(_("kode kecamatan"), max_length=40, db_index=True)
    number = models.PositiveIntegerField(_("nomor"))
    voters = models.PositiveIntegerField(_("DPT"))
    lat = models.FloatField(_("lintang"))
    lon = models.FloatField(_("bujur"))
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    category = models.CharField(_("kategori ditetapkan"), max_length=20, choices=CATEGORY_CHOICES, blank=True)
    category_reason = models.TextField(_("alasan"), blank=True)
    indicators = models.JSONField(_("indikator"), default=dict, blank=True)
    # The vulnerability as last computed (services.refresh_vulnerability).
    score = models.FloatField(_("skor"), default=0)
    model_category = models.CharField(_("kategori model"), max_length=20, choices=CATEGORY_CHOICES, blank=True)
    effective_category = models.CharField(
        _("kategori"), max_length=20, choices=CATEGORY_CHOICES, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("TPS")
        verbose_name_plural = _("TPS")
        constraints = [models.UniqueConstraint(fields=["operation", "code"], name="tps_code_unique")]
        # the map's viewport query (siaga/operations/viewport.py): the TPS of a bounding box
        indexes = [models.Index(fields=["operation", "lat", "lon"], name="tps_viewport")]
        ordering = ["kecamatan_code", "desa_code", "number"]

    def __str__(self) -> str:
        return self.code


class FormerRow(models.Model):
    """The id a TPS, person, unit or region row had before a new data version wrote its rows
    anew (or before it was removed): a link saved with that id (a bookmark, a page opened
    before the import) still finds the row of the same code, or says that row is gone
    (operations.row_links). Ids are counted per table, so an id names a row of one kind."""

    class Kind(models.TextChoices):
        TPS = "tps", _("TPS")
        PERSON = "person", _("personel")
        UNIT = "unit", _("satuan")
        REGION = "region", _("wilayah")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="former_rows")
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    former_id = models.BigIntegerField(_("id lama"))
    code = models.CharField(_("kode"), max_length=60)
    kecamatan_code = models.CharField(_("kode kecamatan"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("id lama")
        verbose_name_plural = _("id lama")
        constraints = [models.UniqueConstraint(fields=["operation", "kind", "former_id"], name="former_row_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.former_id} → {self.code}"


class Unit(Edited):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("kode"), max_length=60)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=12, choices=[(k.value, k.value) for k in UnitKind])
    kecamatan_code = models.CharField(_("kode kecamatan"), max_length=40, blank=True, db_index=True)
    lat = models.FloatField(_("lintang"))
    lon = models.FloatField(_("bujur"))
    parent_code = models.CharField(_("kode induk"), max_length=60, blank=True, default="")
    bko_to = models.CharField(_("BKO ke"), max_length=60, blank=True, default="")
    assembly_lat = models.FloatField(_("lintang apel"), null=True, blank=True)
    assembly_lon = models.FloatField(_("bujur apel"), null=True, blank=True)

    class Meta:
        verbose_name = _("satuan")
        verbose_name_plural = _("satuan")
        constraints = [models.UniqueConstraint(fields=["operation", "code"], name="unit_code_unique")]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Person(Edited):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="personnel")
    code = models.CharField(_("NRP/NIK"), max_length=40)
    name = models.CharField(_("nama"), max_length=120)
    rank = models.CharField(_("pangkat"), max_length=30, blank=True)
    unit_code = models.CharField(_("satuan"), max_length=60, blank=True)
    force = models.CharField(_("unsur"), max_length=12, choices=[(f.value, f.value) for f in Force])
    desa_code = models.CharField(_("kode desa"), max_length=40, blank=True)
    kecamatan_code = models.CharField(_("kode kecamatan"), max_length=40, blank=True, db_index=True)
    phone = models.CharField(_("no. HP"), max_length=30, blank=True)
    available = models.BooleanField(_("siap"), default=True)
    position = models.CharField(_("jabatan"), max_length=120, blank=True, default="")
    tps_code = models.CharField(_("TPS (SK PPS)"), max_length=60, blank=True, default="")
    pinned_post = models.CharField(_("pos tetap"), max_length=80, blank=True, default="")
    pin_reason = models.CharField(_("alasan pin"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("personel")
        verbose_name_plural = _("personel")
        constraints = [models.UniqueConstraint(fields=["operation", "code"], name="person_code_unique")]
        ordering = ["force", "unit_code", "name"]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}".strip()


class PatternRow(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="pattern_rows")
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES)
    tps_per_post = models.PositiveIntegerField()
    polri_per_post = models.PositiveIntegerField()
    tni_per_post = models.PositiveIntegerField()
    linmas_per_tps = models.FloatField()
    patrol = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("baris pola")
        verbose_name_plural = _("baris pola")
        ordering = ["id"]


class RegionBoundary(models.Model):
    """A region's outline (siaga.core.data.boundaries), imported from a GeoJSON file: `geometry`
    is a GeoJSON MultiPolygon in WGS84 ([lon, lat]); `lat`/`lon` where its name is drawn.
    `kecamatan_code` (the kecamatan's own code on a kecamatan) scopes a sector chief's map."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="boundaries")
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=12)
    kecamatan_code = models.CharField(max_length=40, blank=True, db_index=True)
    lat = models.FloatField(_("lintang"))
    lon = models.FloatField(_("bujur"))
    geometry = models.JSONField(_("batas wilayah"))

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")
        constraints = [models.UniqueConstraint(fields=["operation", "code"], name="region_boundary_code_unique")]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TravelTime(models.Model):
    """A road time of the operation's data (the workbook's `travel_times` sheet, docs/scenario.md
    2.14): the minutes by road from one place to the other, each a unit code, a TPS id or a
    region code. Replaced with the other rows on a re-import; a plan made in the console reads
    them (services.scenario_for), so its reserve reach is measured by road where given."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="travel_times")
    origin = models.CharField(_("tempat asal"), max_length=60)
    destination = models.CharField(_("tempat tujuan"), max_length=60)
    minutes = models.FloatField(_("menit"))

    class Meta:
        verbose_name = _("waktu tempuh")
        verbose_name_plural = _("waktu tempuh")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.origin} - {self.destination}"
