"""The audit log: who did what to which record, when, from where, before and after.

Append-only: an entry cannot be changed or deleted through the application (`AuditEntry`),
nor in the database (triggers, migrations 0002 and 0003); on PostgreSQL the application's role
may only INSERT and SELECT it (`manage.py secure_audit`, docs/security.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditEntry(models.Model):
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    # PROTECT: a user with entries is deactivated, never deleted (SET_NULL would be an UPDATE
    # of the entries, which the database refuses).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(_("pengguna"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("alamat"), null=True)
    action = models.CharField(_("tindakan"), max_length=60, db_index=True)
    object_type = models.CharField(_("jenis data"), max_length=60, db_index=True)
    object_id = models.CharField(_("data"), max_length=120, blank=True)
    operation_id = models.IntegerField(_("operasi"), null=True, db_index=True)
    before = models.JSONField(_("sebelum"), null=True)
    after = models.JSONField(_("sesudah"), null=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-at", "-id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")
