"""Running the operation: the apel roll call, the pergeseran to the posts, the TPS timeline on
election day, incidents and the reserve teams sent to them.

Every field record belongs to the operation (and to the person, post or TPS it concerns), never
to a plan version: a new published version keeps them. A post status names its post by code;
a post that the current version dropped is shown as such on the board.

Every row written from a phone carries the client's idempotency key (UNIQUE): a retry of the
same write finds the stored row instead of adding a second one.

Verbose names are plain Indonesian for now: adding them to the translation catalogue
(siaga/locale, `make messages`) is left to the pages that show them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from siaga.accounts.scope import ScopedQuerySet
from siaga.operations.models import Operation
from siaga.plans.models import Plan

KEY_LENGTH = 100


def _key() -> models.CharField:  # type: ignore[type-arg]
    return models.CharField("kunci idempotensi", max_length=KEY_LENGTH, unique=True)


def _by() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")


class CheckIn(models.Model):
    """One person present at one apel of the operation: `apel` is "" for the apel before the
    pergeseran (whose absentees a re-plan takes out), else the key of another apel stage
    (`services.apels`: apel gelar opening the operation, apel kesiapan, ...)."""

    class Method(models.TextChoices):
        QR = "qr", "kartu (QR)"
        NRP = "nrp", "NRP"
        LIST = "list", "daftar"

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="checkins")
    person_code = models.CharField("NRP/NIK", max_length=40, db_index=True)
    apel = models.CharField("apel", max_length=40, blank=True, default="")
    method = models.CharField("cara", max_length=4, choices=Method.choices)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "kehadiran apel"
        verbose_name_plural = "kehadiran apel"
        ordering = ["at"]
        # A person checks in once per apel of the operation, whatever key a retry carries.
        constraints = [
            models.UniqueConstraint(fields=["operation", "apel", "person_code"], name="checkin_once_per_apel")
        ]


class PostStatusQuerySet(ScopedQuerySet["PostStatus"]):
    """PostStatus rows by the reader's kecamatan (`Scope`)."""


class PostStatus(models.Model):
    """One step of a post in the pergeseran pasukan; the latest event is the post's status."""

    class Status(models.TextChoices):
        BELUM_BERANGKAT = "belum_berangkat", "belum berangkat"
        BERANGKAT = "berangkat", "berangkat"
        TIBA = "tiba", "tiba"
        KOORDINASI = "koordinasi", "koordinasi dengan panitia"
        SIAGA = "siaga", "siaga"

    IN_PLACE = frozenset({Status.TIBA, Status.KOORDINASI, Status.SIAGA})
    FLAG_KM = 1.0

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="post_statuses")
    post_id = models.CharField("pos", max_length=80, db_index=True)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    status = models.CharField("status", max_length=16, choices=Status.choices)
    lat = models.FloatField("lintang", null=True, blank=True)
    lon = models.FloatField("bujur", null=True, blank=True)
    distance_km = models.FloatField("jarak dari pos (km)", null=True, blank=True)
    flagged = models.BooleanField("lebih dari 1 km dari pos", default=False)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    objects = PostStatusQuerySet.as_manager()

    class Meta:
        verbose_name = "status pos"
        verbose_name_plural = "status pos"
        ordering = ["at", "id"]


class TpsEventQuerySet(ScopedQuerySet["TpsEvent"]):
    """TpsEvent rows by the reader's kecamatan (`Scope`)."""


class TpsEvent(models.Model):
    """One step of a TPS's election day."""

    class Kind(models.TextChoices):
        DIBUKA = "dibuka", "dibuka"
        PEMUNGUTAN = "pemungutan", "pemungutan"
        PENGHITUNGAN = "penghitungan", "penghitungan"
        SELESAI = "selesai", "selesai"
        KOTAK_SUARA_DIKAWAL = "kotak_suara_dikawal", "kotak suara dikawal"

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="tps_events")
    tps_code = models.CharField("kode TPS", max_length=60, db_index=True)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    kind = models.CharField("tahap", max_length=20, choices=Kind.choices)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    objects = TpsEventQuerySet.as_manager()

    class Meta:
        verbose_name = "tahap TPS"
        verbose_name_plural = "tahap TPS"
        ordering = ["at", "id"]


class IncidentQuerySet(ScopedQuerySet["Incident"]):
    """Incident rows by the reader's kecamatan (`Scope`)."""


class Incident(models.Model):
    """An incident reported from the field, its workflow and its escalation level."""

    class Status(models.TextChoices):
        DILAPORKAN = "dilaporkan", "dilaporkan"
        DITANGANI = "ditangani", "ditangani"
        SELESAI = "selesai", "selesai"

    class Level(models.TextChoices):
        POLSEK = "polsek", "Polsek"
        POLRES = "polres", "Polres"
        BRIMOB = "brimob", "Brimob"
        TNI = "tni", "TNI"

    LADDER = (Level.POLSEK, Level.POLRES, Level.BRIMOB, Level.TNI)

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField("jenis", max_length=60)
    severity = models.PositiveSmallIntegerField("tingkat")  # 1 light, 2 serious, 3 grave
    lat = models.FloatField("lintang", null=True, blank=True)
    lon = models.FloatField("bujur", null=True, blank=True)
    post_id = models.CharField("pos", max_length=80, blank=True)
    tps_code = models.CharField("kode TPS", max_length=60, blank=True)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    description = models.TextField("uraian", blank=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.DILAPORKAN)
    level = models.CharField("tingkat penanganan", max_length=8, choices=Level.choices, default=Level.POLSEK)
    reported_by = _by()
    reported_at = models.DateTimeField("dilaporkan", auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("selesai", null=True, blank=True)
    # Under MEDIA_ROOT/incidents/<uuid>.<ext>; served only through the scoped API, never as /media/.
    photo = models.FileField("foto", upload_to="incidents/", max_length=120, blank=True)
    key = _key()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = "kejadian"
        verbose_name_plural = "kejadian"
        ordering = ["-reported_at", "-id"]


class IncidentAction(models.Model):
    """One change of an incident (escalation, closing), kept under the key that asked for it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField("tindakan", max_length=12)  # escalate, close
    before = models.CharField("sebelum", max_length=32)  # status/level, e.g. ditangani/brimob
    after = models.CharField("sesudah", max_length=32)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "tindakan kejadian"
        verbose_name_plural = "tindakan kejadian"
        ordering = ["at", "id"]


class Dispatch(models.Model):
    """A reserve team sent to an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="dispatches")
    post_id = models.CharField("pos cadangan", max_length=80)
    eta_minutes = models.FloatField("perkiraan tiba (menit)")
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "pengerahan cadangan"
        verbose_name_plural = "pengerahan cadangan"
        ordering = ["at", "id"]


class AbsenteeReplan(models.Model):
    """Absentees of the apel turned into a re-plan job (kept so a retry starts no second job)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey("plans.PlanJob", null=True, on_delete=models.SET_NULL, related_name="+")
    absent = models.JSONField("tidak hadir", default=list)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "susun ulang karena tidak hadir"
        verbose_name_plural = "susun ulang karena tidak hadir"


class EquipmentItem(models.Model):
    """Sarpras: how many of one kind of equipment a unit needs for the operation and has at the apel."""

    class Kind(models.TextChoices):
        KENDARAAN = "kendaraan", "kendaraan"
        HT = "ht", "HT (radio)"
        TENDA = "tenda", "tenda"
        PENERANGAN = "penerangan", "penerangan"
        P3K = "p3k", "P3K"
        LAINNYA = "lainnya", "lainnya"

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="equipment")
    unit_code = models.CharField("satuan", max_length=60, db_index=True)
    kind = models.CharField("jenis", max_length=12, choices=Kind.choices)
    required = models.PositiveIntegerField("dibutuhkan", default=0)
    present = models.PositiveIntegerField("tersedia", default=0)
    updated_by = _by()
    updated_at = models.DateTimeField("diperbarui", auto_now=True)

    class Meta:
        verbose_name = "sarpras"
        verbose_name_plural = "sarpras"
        ordering = ["unit_code", "kind"]
        constraints = [models.UniqueConstraint(fields=["operation", "unit_code", "kind"], name="equipment_unique")]
