"""Who may do what: one role per user, a sector chief's kecamatan, a field officer's NRP/NIK."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    PLANNER = "planner", _("Perencana (Bag Ops)")
    COMMANDER = "commander", _("Pimpinan (Kapolres/Wakapolres)")
    SECTOR_CHIEF = "sector_chief", _("Kepala sektor (Kapolsek/Danramil)")
    VIEWER = "viewer", _("Pengamat")
    FIELD_OFFICER = "field_officer", _("Kepala pos / petugas lapangan")
    POLDA = "polda", _("Polda (Karoops/Kapolda)")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    kecamatan_code = models.CharField(
        _("kecamatan"), max_length=40, blank=True, help_text=_("Wajib untuk kepala sektor: wilayah yang boleh dilihat.")
    )
    person_code = models.CharField(
        _("NRP/NIK"),
        max_length=40,
        blank=True,
        help_text=_("Wajib untuk kepala pos / petugas lapangan: pos yang boleh dilihat adalah pos penugasannya."),
    )
    polres_code = models.CharField(
        _("Polres"),
        max_length=60,
        blank=True,
        default="",
        help_text=_(
            "Kode satuan Polres akun ini (mis. POLRES-PASKOT): hanya operasi Polres itu yang terlihat. "
            "Kosong: semua operasi, bila basis data hanya memuat satu Polres."
        ),
    )
    polda = models.CharField(
        _("Polda"),
        max_length=60,
        blank=True,
        default="",
        help_text=_("Wajib untuk peran Polda (mis. JAWA TIMUR): semua operasi Polres di Polda itu terlihat."),
    )

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profil")

    def __str__(self) -> str:
        return f"{self.user.username} ({self.role})"


class LoginThrottle(models.Model):
    """Failed logins of one user name from one address (siaga/accounts/throttle.py): after
    `LOGIN_FAILURE_LIMIT` of them the pair waits 2, 4, 8 ... seconds before its next attempt is
    evaluated. Never a lock: another address, or another user name, is untouched; a success, a
    quiet day or `manage.py unlock` clears it."""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45, blank=True)  # "" when unknown
    failures = models.PositiveIntegerField(default=0)
    wait_until = models.DateTimeField(null=True)
    last_attempt = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("gagal masuk")
        verbose_name_plural = _("gagal masuk")
        constraints = [models.UniqueConstraint(fields=["username", "address"], name="login_throttle_pair")]

    def __str__(self) -> str:
        return f"{self.username} @ {self.address or '?'}: {self.failures}"
