"""Plans (versions of the deployment of one operation) and the jobs that compute them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from siaga.operations.models import Operation


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("konsep")
        APPROVED = "approved", _("disetujui")
        PUBLISHED = "published", _("diterbitkan")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    data = models.JSONField(_("rencana (siaga-plan/1)"))
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

    @property
    def summary(self) -> dict[str, float]:
        return dict(self.data.get("summary", {}))


class PlanJob(models.Model):
    """Planning runs in the background; the page polls this row for progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("antre")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="plan_jobs")
    kind = models.CharField(max_length=10, default="plan")  # plan or replan
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proses perencanaan")
        verbose_name_plural = _("proses perencanaan")
        ordering = ["-created_at"]
