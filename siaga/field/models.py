"""Running the operation: the apel roll call, the pergeseran to the posts, the TPS timeline on
election day, incidents and the reserve teams sent to them.

Every field record belongs to the operation (and to the person, post or TPS it concerns), never
to a plan version: a new published version keeps them. A post status names its post by code;
a post that the current version dropped is shown as such on the board.

Every row written from a phone carries the client's idempotency key (UNIQUE): a retry of the
same write finds the stored row instead of adding a second one.

Choice labels are in the catalogue (the reader's language); verbose names are plain
Indonesian (the admin's, not a page's).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        QR = "qr", _("kartu (QR)")
        NRP = "nrp", _("NRP")
        LIST = "list", _("daftar")

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
        BELUM_BERANGKAT = "belum_berangkat", _("belum berangkat")
        BERANGKAT = "berangkat", _("berangkat")
        TIBA = "tiba", _("tiba")
        KOORDINASI = "koordinasi", _("koordinasi dengan panitia")
        SIAGA = "siaga", _("siaga")

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
    at = models.DateTimeField("waktu", default=timezone.now)  # the phone's time (clock.reported)
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
        DIBUKA = "dibuka", _("dibuka")
        PEMUNGUTAN = "pemungutan", _("pemungutan")
        PENGHITUNGAN = "penghitungan", _("penghitungan")
        SELESAI = "selesai", _("selesai")
        KOTAK_SUARA_DIKAWAL = "kotak_suara_dikawal", _("kotak suara dikawal")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="tps_events")
    tps_code = models.CharField("kode TPS", max_length=60, db_index=True)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    kind = models.CharField("tahap", max_length=20, choices=Kind.choices)
    by = _by()
    at = models.DateTimeField("waktu", default=timezone.now)  # the phone's time (clock.reported)
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
        DILAPORKAN = "dilaporkan", _("dilaporkan")
        DITANGANI = "ditangani", _("ditangani")
        SELESAI = "selesai", _("selesai")

    class Level(models.TextChoices):
        """Who commands the incident (Perkap 16/2006): command passes Kapolsek -> Kapolres ->
        Kapolda. The force sent (Dalmas, Brimob, TNI) is the incident's dispatches, apart."""

        POLSEK = "polsek", _("Kapolsek")
        POLRES = "polres", _("Kapolres")
        POLDA = "polda", _("Kapolda")

    class Disposition(models.TextChoices):
        SELESAI_DI_TEMPAT = "selesai_di_tempat", _("selesai di tempat")
        GAKKUMDU = "gakkumdu", _("diserahkan ke Gakkumdu/Bawaslu")
        RESKRIM = "reskrim", _("diserahkan ke Reskrim")
        PANITIA = "panitia", _("diserahkan ke panitia pemilihan")  # a Pilkades's village committee
        LAINNYA = "lainnya", _("lainnya")

    LADDER = (Level.POLSEK, Level.POLRES, Level.POLDA)

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField("jenis", max_length=60)
    severity = models.PositiveSmallIntegerField("tingkat")  # 1 light, 2 serious, 3 grave
    lat = models.FloatField("lintang", null=True, blank=True)
    lon = models.FloatField("bujur", null=True, blank=True)
    post_id = models.CharField("pos", max_length=80, blank=True)
    tps_code = models.CharField("kode TPS", max_length=60, blank=True)
    # A report from a roster duty beyond the vote's posts (an escort run, a warehouse guard):
    # the duty's id (then no post) and, for an escort, the leg's index in its route ("0": the
    # first leg, "Ruas 1"), as the phone sent them (`incidents.report_incident`).
    duty_id = models.CharField("tugas", max_length=120, blank=True)
    leg = models.CharField("ruas", max_length=4, blank=True)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    description = models.TextField("uraian", blank=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.DILAPORKAN)
    level = models.CharField("tingkat penanganan", max_length=8, choices=Level.choices, default=Level.POLSEK)
    reported_by = _by()
    reported_at = models.DateTimeField("dilaporkan", default=timezone.now)  # the phone's time (clock.reported)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("selesai", null=True, blank=True)
    # Under MEDIA_ROOT/incidents/<uuid>.<ext>; served only through the scoped API, never as /media/.
    photo = models.FileField("foto", upload_to="incidents/", max_length=120, blank=True)
    disposition = models.CharField("penanganan akhir", max_length=20, choices=Disposition.choices, blank=True)
    closing_note = models.TextField("catatan penutupan", blank=True)
    # An election offence (politik uang, intimidasi) goes to Bawaslu and the Gakkumdu within 7
    # days of being known (the report), in a Pemilu or Pilkada (services.taxonomy.offence_route);
    # when it was passed on, and the letter or note.
    referred_at = models.DateTimeField("diteruskan ke Bawaslu/Gakkumdu", null=True, blank=True)
    referral_note = models.TextField("catatan penerusan", blank=True)
    key = _key()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = "kejadian"
        verbose_name_plural = "kejadian"
        ordering = ["-reported_at", "-id"]


class IncidentAction(models.Model):
    """One change of an incident (escalation, closing), kept under the key that asked for it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField("tindakan", max_length=12)  # escalate, close, dispatch, unit, ...
    before = models.CharField("sebelum", max_length=32)  # status/level, e.g. ditangani/polres
    after = models.CharField("sesudah", max_length=32)
    detail = models.CharField("rincian", max_length=200, blank=True)  # e.g. the unit and its step
    note = models.TextField("catatan", blank=True)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "tindakan kejadian"
        verbose_name_plural = "tindakan kejadian"
        ordering = ["at", "id"]


class Dispatch(models.Model):
    """A unit sent to an incident (`post_id`: the unit's code, a reserve post's id for the
    plan's reserves), with its status clock. A unit is out from its dispatch until it is back
    (`kembali`): the database refuses a second dispatch of a unit that is out."""

    class Step(models.TextChoices):
        DIKERAHKAN = "dikerahkan", _("dikerahkan")
        DALAM_PERJALANAN = "dalam_perjalanan", _("dalam perjalanan")
        TIBA = "tiba", _("tiba")
        SELESAI = "selesai", _("selesai")
        KEMBALI = "kembali", _("kembali")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="dispatches")
    operation = models.ForeignKey(Operation, null=True, on_delete=models.CASCADE, related_name="+")
    post_id = models.CharField("satuan", max_length=80)
    unit_kind = models.CharField("jenis satuan", max_length=20, blank=True)
    unit_name = models.CharField("nama satuan", max_length=160, blank=True)
    eta_minutes = models.FloatField("perkiraan tiba (menit)")
    status = models.CharField("status", max_length=20, choices=Step.choices, default=Step.DIKERAHKAN)
    departed_at = models.DateTimeField("berangkat", null=True, blank=True)
    arrived_at = models.DateTimeField("tiba", null=True, blank=True)
    done_at = models.DateTimeField("selesai", null=True, blank=True)
    returned_at = models.DateTimeField("kembali", null=True, blank=True)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "pengerahan satuan"
        verbose_name_plural = "pengerahan satuan"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "post_id"],
                condition=~models.Q(status="kembali"),
                name="dispatch_unit_out_once",
            )
        ]


class AreaStatus(models.Model):
    """The status of a desa or kecamatan set by the commander (Perkap 16/2006: hijau, kuning,
    merah); the latest row of an area is its status."""

    class Color(models.TextChoices):
        HIJAU = "hijau", _("hijau")
        KUNING = "kuning", _("kuning")
        MERAH = "merah", _("merah")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="area_statuses")
    region_code = models.CharField("kode wilayah", max_length=40, db_index=True)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    status = models.CharField("status", max_length=8, choices=Color.choices)
    note = models.TextField("catatan", blank=True)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "status wilayah"
        verbose_name_plural = "status wilayah"
        ordering = ["at", "id"]


class SeizedItem(models.Model):
    """A seized good of an incident (cash, envelopes, ...): what, how much, from whom and
    where it is kept; its custody entries follow it from hand to hand."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="seized")
    item = models.CharField("barang", max_length=200)
    quantity = models.CharField("jumlah", max_length=80)
    from_whom = models.CharField("disita dari", max_length=200)
    kept_at = models.CharField("disimpan di", max_length=200)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "barang sitaan"
        verbose_name_plural = "barang sitaan"
        ordering = ["at", "id"]


class CustodyEntry(models.Model):
    """One hand-over of a seized good (chain of custody): to whom, kept where, why."""

    item = models.ForeignKey(SeizedItem, on_delete=models.CASCADE, related_name="custody")
    holder = models.CharField("diserahkan kepada", max_length=200)
    kept_at = models.CharField("disimpan di", max_length=200)
    note = models.TextField("catatan", blank=True)
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "rantai penguasaan barang sitaan"
        verbose_name_plural = "rantai penguasaan barang sitaan"
        ordering = ["at", "id"]


class Delegation(models.Model):
    """The Kapolres lets a user (his Kabag Ops, say) dispatch Brimob and the BKO reserves."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    by = _by()
    at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "limpahan wewenang pengerahan"
        verbose_name_plural = "limpahan wewenang pengerahan"
        constraints = [models.UniqueConstraint(fields=["operation", "user"], name="delegation_once")]


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
        KENDARAAN = "kendaraan", _("kendaraan")
        HT = "ht", _("HT (radio)")
        TENDA = "tenda", _("tenda")
        PENERANGAN = "penerangan", _("penerangan")
        P3K = "p3k", _("P3K")
        LAINNYA = "lainnya", _("lainnya")

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


# -- escorts and chain of custody (issue 12, item 4) ------------------------------------------
#
# An escort run is a KAWAL duty of the current plan's roster, named by the duty's id (never
# shown). Its legs are the duty's route; its team the roster's people on it. What the field
# adds is kept here: the manifest and the leg marks (EscortRun, one row per run, updated in
# place), the departures and arrivals (EscortEvent) and the handover records (Handover). A
# guard of a warehouse, a PPK or a balai desa keeps its buku mutasi (EntryLog) by place,
# across its shifts.


class EscortRun(models.Model):
    """What is carried (the manifest) and how each leg runs (its marks)."""

    class Mark(models.TextChoices):
        BIASA = "", _("biasa")
        SULIT = "sulit", _("jalan sulit")
        PERAIRAN = "perairan", _("jalur perairan (Polairud)")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="escort_runs")
    duty_id = models.CharField("tugas pengawalan", max_length=120)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    ballot_boxes = models.PositiveIntegerField("kotak suara", default=0)
    booths = models.PositiveIntegerField("bilik suara", default=0)
    seals = models.PositiveIntegerField("segel", default=0)
    envelopes = models.PositiveIntegerField("sampul formulir", default=0)
    plates = models.CharField("nomor polisi kendaraan", max_length=200, blank=True)
    leg_marks = models.JSONField("tanda ruas", default=list)  # one Mark value per leg
    updated_by = _by()
    updated_at = models.DateTimeField("diperbarui", auto_now=True)

    class Meta:
        verbose_name = "pengawalan"
        verbose_name_plural = "pengawalan"
        constraints = [models.UniqueConstraint(fields=["operation", "duty_id"], name="escort_run_unique")]


class EscortEvent(models.Model):
    """A departure from a leg's start or an arrival at its end, at the time the phone says."""

    class Kind(models.TextChoices):
        BERANGKAT = "berangkat", _("berangkat")
        TIBA = "tiba", _("tiba")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="escort_events")
    duty_id = models.CharField("tugas pengawalan", max_length=120, db_index=True)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    leg = models.PositiveSmallIntegerField("ruas")
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    at = models.DateTimeField("waktu")
    by = _by()
    recorded_at = models.DateTimeField("dicatat", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "berangkat/tiba pengawalan"
        verbose_name_plural = "berangkat/tiba pengawalan"
        ordering = ["at", "id"]


class Handover(models.Model):
    """A berita acara serah terima at one end of one leg: at its start the other party hands
    over to the escort, at its end the escort hands over. Signed by typing: both parties' names
    and numbers (NRP, NIP or NIK), confirmed by the escort member who records it."""

    class End(models.TextChoices):
        ASAL = "asal", _("awal ruas")
        TUJUAN = "tujuan", _("akhir ruas")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="handovers")
    duty_id = models.CharField("tugas pengawalan", max_length=120, db_index=True)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    leg = models.PositiveSmallIntegerField("ruas")
    end = models.CharField("ujung ruas", max_length=6, choices=End.choices)
    place = models.CharField("tempat", max_length=120)
    handed_by_name = models.CharField("yang menyerahkan", max_length=120)
    handed_by_code = models.CharField("NRP/NIP/NIK yang menyerahkan", max_length=40)
    received_by_name = models.CharField("yang menerima", max_length=120)
    received_by_code = models.CharField("NRP/NIP/NIK yang menerima", max_length=40)
    other_office = models.CharField("jabatan pihak lain", max_length=120, blank=True)
    ballot_boxes = models.PositiveIntegerField("kotak suara", default=0)
    booths = models.PositiveIntegerField("bilik suara", default=0)
    seals = models.PositiveIntegerField("segel", default=0)
    envelopes = models.PositiveIntegerField("sampul formulir", default=0)
    note = models.TextField("catatan", blank=True)
    at = models.DateTimeField("waktu")
    by = _by()
    recorded_at = models.DateTimeField("dicatat", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "berita acara serah terima"
        verbose_name_plural = "berita acara serah terima"
        ordering = ["at", "id"]


class EntryLog(models.Model):
    """One line of a guarded place's buku mutasi: who entered or left and why, or a padlock's
    key passing to another holder (a PPK warehouse has three: Polsek, PPK, Panwascam)."""

    class Kind(models.TextChoices):
        MASUK = "masuk", _("masuk")
        KELUAR = "keluar", _("keluar")
        KUNCI = "kunci", _("serah terima kunci")

    class Padlock(models.TextChoices):
        NONE = "", _("-")
        POLSEK = "polsek", _("gembok Polsek")
        PPK = "ppk", _("gembok PPK")
        PANWASCAM = "panwascam", _("gembok Panwascam")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="entry_logs")
    place = models.CharField("tempat jaga", max_length=120, db_index=True)
    duty_id = models.CharField("tugas jaga", max_length=120)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, blank=True, db_index=True)
    kind = models.CharField("jenis", max_length=6, choices=Kind.choices)
    name = models.CharField("nama", max_length=120)
    code = models.CharField("NRP/NIP/NIK", max_length=40, blank=True)
    purpose = models.CharField("keperluan", max_length=300, blank=True)
    padlock = models.CharField("gembok", max_length=10, choices=Padlock.choices, blank=True, default="")
    key_to = models.CharField("pemegang kunci baru", max_length=120, blank=True)
    at = models.DateTimeField("waktu")
    by = _by()
    recorded_at = models.DateTimeField("dicatat", auto_now_add=True)
    key = _key()

    class Meta:
        verbose_name = "buku mutasi"
        verbose_name_plural = "buku mutasi"
        ordering = ["at", "id"]


class IdempotencyKey(models.Model):
    """A write's Idempotency-Key bound to who sent it and to a digest of what it asked
    (method, path and body: siaga/field/idempotency.py). A retry with the same request finds the
    stored record; the same key with another request is refused (409), never answered with the
    first request's record. Written in the write's own transaction: a refused write binds nothing."""

    key = models.CharField("kunci idempotensi", max_length=KEY_LENGTH, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fingerprint = models.CharField("sidik permintaan", max_length=64)
    path = models.CharField("alamat", max_length=300)
    at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "kunci idempotensi"
        verbose_name_plural = "kunci idempotensi"


class LinmasLeftover(models.Model):
    """A row of the operation's last PPS Linmas decree that could not be taken (siaga.core.data.linmas):
    named for a TPS the operation lacks, or a NIK written twice. With the TPS short of Linmas it
    makes the KPU/PPS coordination list; the next decree replaces these rows. The NIK is kept
    masked only (minimisation, docs/security.md): the PPS finds the row by its number and name."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="linmas_leftovers")
    kind = models.CharField("jenis", max_length=20)  # linmas.UNKNOWN_TPS or linmas.DUPLICATE
    desa_code = models.CharField("kode desa", max_length=40)
    kecamatan_code = models.CharField("kode kecamatan", max_length=40, db_index=True)
    tps = models.CharField("TPS", max_length=60)
    name = models.CharField("nama", max_length=120)
    nik_masked = models.CharField("NIK (tersamar)", max_length=12)
    row = models.PositiveIntegerField("baris")
    other_row = models.PositiveIntegerField("baris lain", null=True, blank=True)
    source_name = models.CharField("berkas", max_length=255)

    class Meta:
        verbose_name = "baris SK Linmas yang tidak diambil"
        verbose_name_plural = "baris SK Linmas yang tidak diambil"
        ordering = ["desa_code", "row"]
