"""Bookkeeping of the job runner: who runs a job and when they last said so, and the stored
orders of each plan version. The job itself is `plans.PlanJob`, the row the pages poll."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from siaga.plans.models import Plan, PlanJob


class Lease(models.Model):
    """A job's current run: which attempt, which worker, its last heartbeat.

    A worker claims a queued job by raising `attempts`; while it runs, a thread beats every
    few seconds. A running job whose beat is older than `SIAGA_JOB_STALE_SECONDS` has lost
    its worker: the sweep queues it again or, after `SIAGA_JOB_ATTEMPTS` runs, fails it."""

    job = models.OneToOneField(PlanJob, on_delete=models.CASCADE, primary_key=True, related_name="lease")
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    worker = models.CharField(_("pekerja"), max_length=120, blank=True)
    beat_at = models.DateTimeField(_("detak terakhir"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("sewa proses")
        verbose_name_plural = _("sewa proses")

    def __str__(self) -> str:
        return f"job {self.job_id} #{self.attempts} @ {self.worker}"


class OrdersFile(models.Model):
    """One rendered order (sprin.pdf, ploting.xlsx or kartu.pdf) of one plan version, for the
    whole Polres (kecamatan "") or one kecamatan. Rendered once, then served as a file."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="orders_files")
    kecamatan_code = models.CharField(_("kode kecamatan"), max_length=40, blank=True)
    name = models.CharField(_("berkas"), max_length=20)
    file = models.FileField(_("berkas"), upload_to="orders/", max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("berkas surat perintah")
        verbose_name_plural = _("berkas surat perintah")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kecamatan_code", "name"], name="orders_file_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.kecamatan_code or 'semua'}/{self.name}"
