"""Plans (versions of the deployment of one operation) and the jobs that compute them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from siaga.accounts.scope import Scope, ScopedQuerySet
from siaga.operations.models import Operation


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("konsep")
        APPROVED = "approved", _("disetujui")
        PUBLISHED = "published", _("diterbitkan")
        SUPERSEDED = "superseded", _("diganti versi baru")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    # The note as a line shown in the reader's language (siaga.plans.lines); `note` in Indonesian.
    note_line = models.JSONField(default=dict, blank=True)
    # The plan file's head; its posts, TPS, assignments and unfilled slots are the rows below.
    pattern = models.CharField(_("pola"), max_length=60, blank=True)
    summary = models.JSONField(_("ringkasan"), default=dict)
    extra = models.JSONField(_("laporan tambahan"), default=dict)  # warnings, reserve, shortfall, replan
    digest = models.CharField(_("sidik kartu"), max_length=16, blank=True, db_index=True)
    violations = models.JSONField(_("pelanggaran"), default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("rencana")
        verbose_name_plural = _("rencana")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["operation", "version"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.operation} v{self.version}"


class PlanPostQuerySet(ScopedQuerySet["PlanPost"]):
    def in_scope(self, scope: Scope) -> PlanPostQuerySet:
        """A field officer sees the posts they are assigned to; the others by kecamatan."""
        if scope.person is not None and not scope.nothing:
            return self.filter(pk__in=PlanAssignment.objects.filter(person_code=scope.person).values("post_id"))
        return super().in_scope(scope)


class PlanAssignmentQuerySet(ScopedQuerySet["PlanAssignment"]):
    kecamatan_field = "post__kecamatan_code"

    def in_scope(self, scope: Scope) -> PlanAssignmentQuerySet:
        """A field officer sees the people of their own posts; the others by the post's kecamatan."""
        if scope.person is not None and not scope.nothing:
            mine = PlanAssignment.objects.filter(person_code=scope.person).values("post_id")
            return self.filter(post_id__in=mine)
        return super().in_scope(scope)


class PlanPost(models.Model):
    """A post of one plan version: a TPS post, a balai desa guard, a reserve team."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="posts")
    code = models.CharField(_("kode pos"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=20)
    desa_code = models.CharField(_("kode desa"), max_length=40, blank=True)
    kecamatan_code = models.CharField(_("kode kecamatan"), max_length=40, blank=True)
    lat = models.FloatField(_("lintang"))
    lon = models.FloatField(_("bujur"))
    category = models.CharField(_("kategori"), max_length=20)
    required = models.JSONField(_("kebutuhan"), default=dict)  # slot -> count

    objects = PlanPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("pos rencana")
        verbose_name_plural = _("pos rencana")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plan_post_unique")]
        indexes = [models.Index(fields=["plan", "kecamatan_code"], name="plan_post_kecamatan")]

    def __str__(self) -> str:
        return self.code


class PlanTps(models.Model):
    """A TPS of one plan version: its category and the post that secures it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tps_rows")
    post = models.ForeignKey(PlanPost, null=True, on_delete=models.CASCADE, related_name="tps_rows")
    tps_code = models.CharField(_("kode TPS"), max_length=60)
    category = models.CharField(_("kategori"), max_length=20)

    class Meta:
        verbose_name = _("TPS rencana")
        verbose_name_plural = _("TPS rencana")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["plan", "tps_code"], name="plan_tps_unique")]

    def __str__(self) -> str:
        return self.tps_code


class PlanAssignment(models.Model):
    """One person on one post of a plan version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments")
    post = models.ForeignKey(PlanPost, on_delete=models.CASCADE, related_name="assignments")
    person_code = models.CharField(_("NRP/NIK"), max_length=40)
    slot = models.CharField(_("unsur"), max_length=20)
    cost_km = models.FloatField(_("jarak (km)"))

    objects = PlanAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["id"]
        indexes = [models.Index(fields=["plan", "person_code"], name="plan_assignment_person")]

    def __str__(self) -> str:
        return f"{self.person_code} @ {self.post_id}"


class PlanUnfilled(models.Model):
    """Places of a post that stay empty in a plan version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="unfilled")
    post = models.ForeignKey(PlanPost, on_delete=models.CASCADE, related_name="unfilled")
    slot = models.CharField(_("unsur"), max_length=20)
    count = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        verbose_name = _("slot kosong")
        verbose_name_plural = _("slot kosong")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.post_id} {self.slot} -{self.count}"


class PlanJob(models.Model):
    """Planning runs in the background; the page polls this row for progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("antre")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    # An import job has no operation until it has made one.
    operation = models.ForeignKey(Operation, null=True, blank=True, on_delete=models.CASCADE, related_name="plan_jobs")
    kind = models.CharField(max_length=10, default="plan")  # plan, replan, orders or import
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    # The line the pages show: {"text": Indonesian message id, "values": {...}}, translated
    # when read (siaga.plans.lines); `message` keeps it in Indonesian with any technical detail.
    line = models.JSONField(default=dict, blank=True)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proses perencanaan")
        verbose_name_plural = _("proses perencanaan")
        ordering = ["-created_at"]


class CategorySource(models.Model):
    """Where a TPS's category came from, who set it and when: one row each time it is set
    (the newest row of a TPS is its provenance; a TPS without a row has the model's category,
    or the one its data file gave). Kept by TPS code, so a new data version keeps it."""

    class Source(models.TextChoices):
        MODEL = "model", _("Skor model")
        INTEL = "intel", _("Perkiraan intelijen (Satintelkam)")
        BAWASLU = "bawaslu", _("Daftar TPS rawan Bawaslu")
        DECISION = "decision", _("Keputusan Kapolres")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="category_sources")
    tps_code = models.CharField(_("kode TPS"), max_length=60)
    category = models.CharField(_("kategori"), max_length=20)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    reason = models.TextField(_("alasan"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_by_name = models.CharField(_("ditetapkan oleh"), max_length=150, blank=True)
    set_at = models.DateTimeField(_("ditetapkan pada"))

    class Meta:
        verbose_name = _("sumber kategori")
        verbose_name_plural = _("sumber kategori")
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["operation", "tps_code"], name="category_source_tps")]

    def __str__(self) -> str:
        return f"{self.tps_code} {self.category} ({self.source})"


class CategorySignoff(models.Model):
    """A named officer (Kasat Intelkam or Kapolres) signs off the TPS categories of a plan
    version: valid for every version with the same categories (`digest`) until voided by a
    category change. The Sprin of a version is approved only with a valid sign-off."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="category_signoffs")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signoffs")  # the version signed
    digest = models.CharField(max_length=64, db_index=True)  # the categories signed (sha256 of TPS=category)
    name = models.CharField(_("nama"), max_length=120)
    rank = models.CharField(_("pangkat"), max_length=30, blank=True)
    nrp = models.CharField(_("NRP"), max_length=40, blank=True)
    position = models.CharField(_("jabatan"), max_length=120)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(_("disahkan pada"))
    voided_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    void_reason = models.CharField(_("alasan pembatalan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("pengesahan kategori")
        verbose_name_plural = _("pengesahan kategori")
        ordering = ["-signed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.position} {self.name}"
