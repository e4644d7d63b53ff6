"""The audit log as a commander reads it: each action in words, each record by the name a
person knows it by ("Rencana v3", "TPS 03 Logowok"), before and after as a list of fields,
and each user by rank and name where their account is linked to a person.

Names are looked up once per page, a query per kind of record, never per entry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from siaga.accounts.models import Role
from siaga.audit.log import SERVER
from siaga.audit.models import AuditEntry
from siaga.operations.labels import CATEGORY_LABELS, FORCE_LABELS, area_name, stage_name
from siaga.operations.models import Operation, Person, Region, Tps, Unit
from siaga.operations.services import operation_stages
from siaga.plans.models import CategorySource, Plan

ACTION_LABELS = {
    "login": gettext_lazy("Masuk"),
    "logout": gettext_lazy("Keluar"),
    "login_failed": gettext_lazy("Gagal masuk"),
    "import": gettext_lazy("Impor data operasi"),
    "reimport": gettext_lazy("Impor ulang data operasi"),
    "import_boundaries": gettext_lazy("Impor batas wilayah"),
    "start_import": gettext_lazy("Mulai impor berkas"),
    "import_done": gettext_lazy("Impor selesai"),
    "start_plan": gettext_lazy("Mulai menyusun rencana"),
    "plan_done": gettext_lazy("Rencana selesai disusun"),
    "start_replan": gettext_lazy("Mulai susun ulang"),
    "replan_done": gettext_lazy("Susun ulang selesai"),
    "start_orders": gettext_lazy("Mulai mencetak surat perintah"),
    "orders_done": gettext_lazy("Surat perintah selesai dicetak"),
    "reassign": gettext_lazy("Ubah penugasan"),
    "approved": gettext_lazy("Setujui rencana"),
    "published": gettext_lazy("Terbitkan rencana"),
    "superseded": gettext_lazy("Rencana diganti versi baru"),
    "withdraw_approval": gettext_lazy("Tarik persetujuan"),
    "withdraw_publication": gettext_lazy("Tarik penerbitan"),
    "republish": gettext_lazy("Rencana berlaku lagi"),
    "add_psu": gettext_lazy("Tambah PSU"),
    "preview_orders": gettext_lazy("Pratinjau Sprin (konsep)"),
    "download_orders": gettext_lazy("Unduh surat perintah"),
    "export": gettext_lazy("Ekspor data"),
    "export_list": gettext_lazy("Ekspor daftar"),
    "export_plan": gettext_lazy("Unduh berkas rencana"),
    "export_audit": gettext_lazy("Ekspor jejak audit"),
    "read_roster": gettext_lazy("Membaca daftar personel"),
    "edit": gettext_lazy("Ubah data"),
    "add": gettext_lazy("Tambah data"),
    "remove": gettext_lazy("Hapus data"),
    "rename": gettext_lazy("Ganti nama operasi"),
    "archive": gettext_lazy("Arsipkan operasi"),
    "unarchive": gettext_lazy("Aktifkan kembali operasi"),
    "bulk_availability": gettext_lazy("Ubah kesiapan sekaligus"),
    "bulk_category": gettext_lazy("Ubah kategori sekaligus"),
    "override_category": gettext_lazy("Tetapkan kategori TPS"),
    "set_category": gettext_lazy("Putuskan kategori TPS"),
    "category_signoff": gettext_lazy("Sahkan kategori rencana"),
    "void_signoff": gettext_lazy("Pengesahan kategori batal"),
    "bawaslu_import": gettext_lazy("Impor daftar TPS rawan Bawaslu"),
    "pin": gettext_lazy("Pin personel"),
    "unpin": gettext_lazy("Lepas pin personel"),
    "check_in": gettext_lazy("Hadir di apel"),
    "check_in_unit": gettext_lazy("Satuan hadir di apel"),
    "check_in_undone": gettext_lazy("Catatan hadir apel dibatalkan"),
    "login_unlocked": gettext_lazy("Buka penahanan masuk"),
    "user_deactivated": gettext_lazy("Nonaktifkan pengguna"),
    "account_set": gettext_lazy("Atur peran akun"),
    "user_reactivated": gettext_lazy("Aktifkan kembali pengguna"),
    "password_set": gettext_lazy("Atur kata sandi baru"),
    "start_polda_orders": gettext_lazy("Cetak surat perintah semua Polres"),
    "download_polda_orders": gettext_lazy("Unduh surat perintah semua Polres"),
    "polda_done": gettext_lazy("Surat perintah semua Polres selesai dicetak"),
    "set_equipment": gettext_lazy("Catat sarpras"),
    "post_status": gettext_lazy("Status pos"),
    "tps_event": gettext_lazy("Peristiwa TPS"),
    "area_status": gettext_lazy("Status wilayah"),
    "report_incident": gettext_lazy("Laporkan kejadian"),
    "dispatch": gettext_lazy("Kirim bantuan"),
    "escalate": gettext_lazy("Naikkan tingkat kejadian"),
    "close": gettext_lazy("Tutup kejadian"),
    "unit": gettext_lazy("Langkah satuan bantuan"),
    "recall": gettext_lazy("Satuan ditarik sebelum tiba"),
    "photo": gettext_lazy("Lampirkan foto kejadian"),
    "refer": gettext_lazy("Teruskan kejadian ke Bawaslu/Gakkumdu"),
    "seize": gettext_lazy("Catat barang sitaan"),
    "custody": gettext_lazy("Serah terima barang sitaan"),
    "entry_log": gettext_lazy("Buku jaga"),
    "escort_event": gettext_lazy("Pengawalan"),
    "escort_manifest": gettext_lazy("Manifes pengawalan"),
    "escort_marks": gettext_lazy("Segel pengawalan"),
    "handover": gettext_lazy("Serah terima"),
}
FIELD_LABELS = {
    "status": gettext_lazy("status"),
    "reason": gettext_lazy("alasan"),
    "category": gettext_lazy("kategori"),
    "available": gettext_lazy("siap"),
    "pinned_post": gettext_lazy("pin"),
    "pin_reason": gettext_lazy("alasan pin"),
    "version": gettext_lazy("versi"),
    "violations": gettext_lazy("pelanggaran"),
    "file": gettext_lazy("berkas"),
    "name": gettext_lazy("nama"),
    "post": gettext_lazy("pos"),
    "slot": gettext_lazy("unsur"),
    "person": gettext_lazy("personel"),
    "absent": gettext_lazy("berhalangan"),
    "categories": gettext_lazy("perubahan kategori"),
    "plan": gettext_lazy("rencana"),
    "kecamatan": gettext_lazy("kecamatan"),
    "assigned": gettext_lazy("personel ditugaskan"),
    "unfilled": gettext_lazy("slot kosong"),
    "cost_km": gettext_lazy("jarak tempuh (km)"),
    "tps": gettext_lazy("TPS"),
    "persons": gettext_lazy("personel"),
    "level": gettext_lazy("tingkat"),
    "note": gettext_lazy("catatan"),
    "method": gettext_lazy("cara"),
    "apel": gettext_lazy("apel"),
    "personnel": gettext_lazy("personel"),
    "regions": gettext_lazy("wilayah"),
    "units": gettext_lazy("satuan"),
    "rows": gettext_lazy("baris"),
    "format": gettext_lazy("format"),
    "effective": gettext_lazy("kategori berlaku"),
    # a plan's summary is its vote's posts: named as the plan page names them (plans.pages.FIGURE_WORDS)
    "objective": gettext_lazy("nilai tujuan pos pemungutan suara"),
    "lower_bound": gettext_lazy("batas bawah terbukti pos pemungutan suara"),
    "newcomers": gettext_lazy("mengisi dari luar apel"),  # the absentee re-plan's setting (replan_newcomers)
    "idle": gettext_lazy("personel tanpa pos"),
    "desa": gettext_lazy("desa"),
    "slots": gettext_lazy("slot"),
    "page": gettext_lazy("halaman"),
    "total": gettext_lazy("jumlah"),
    "filters": gettext_lazy("saringan"),
    "sort": gettext_lazy("urutan"),
    "q": gettext_lazy("kata cari"),
    "unit": pgettext_lazy("one unit", "satuan"),
    "people": gettext_lazy("personel"),
    "rank": gettext_lazy("pangkat"),
    "nrp": gettext_lazy("NRP"),
    "position": gettext_lazy("jabatan"),
    "signed_at": gettext_lazy("disahkan pada"),
    "source": gettext_lazy("sumber"),
    "catalogue": gettext_lazy("katalog"),
    "changed": gettext_lazy("TPS berubah kategori"),
    "moved": gettext_lazy("personel dipindah"),
    "reserve_covered_weight": gettext_lazy("bobot TPS terjangkau cadangan"),
    "reserve_total_weight": gettext_lazy("bobot TPS seluruhnya"),
    "role": gettext_lazy("peran"),
    "command": gettext_lazy("komando"),
    "polres": gettext_lazy("Polres"),
    "polda": gettext_lazy("Polda"),
    "address": gettext_lazy("alamat"),
    "pairs": gettext_lazy("penahanan dihapus"),
    "boundaries": gettext_lazy("batas wilayah"),
    "kind": gettext_lazy("jenis"),
    "konsep": gettext_lazy("konsep"),
    "marks": gettext_lazy("segel"),
    "missing": gettext_lazy("wilayah tanpa batas"),
    "plans": gettext_lazy("rencana"),
    "size": gettext_lazy("ukuran (bita)"),
    "skipped": gettext_lazy("dilewati"),
    "severity": gettext_lazy("tingkat"),
    "eta_minutes": gettext_lazy("perkiraan tiba (menit)"),
    "dispatched_at": gettext_lazy("dikerahkan pukul"),
}
TYPE_LABELS = {
    "plan": gettext_lazy("Rencana"),
    "plan_job": gettext_lazy("Proses"),
    "operation": gettext_lazy("Operasi"),
    "tps": gettext_lazy("TPS"),
    "person": gettext_lazy("Personel"),
    "personnel": gettext_lazy("Daftar personel"),
    "unit": gettext_lazy("Satuan"),
    "region": gettext_lazy("Wilayah"),
    "incident": gettext_lazy("Kejadian"),
    "checkin": gettext_lazy("Kehadiran"),
    "user": gettext_lazy("Pengguna"),
    "post_status": gettext_lazy("Status pos"),
    "escort": gettext_lazy("Pengawalan"),
    "guard": gettext_lazy("Jaga"),
    "audit": gettext_lazy("Jejak audit"),
    "interchange": gettext_lazy("Ekspor ke SOT/EWS"),
    "kejadian": gettext_lazy("Daftar kejadian"),
    "kerawanan": gettext_lazy("Analisa kerawanan"),
    "pos": gettext_lazy("Daftar pos"),
}
PIN_WORDS = {  # a pin that names no post (siaga.core.data.pins)
    "STAF": gettext_lazy("staf operasi (tanpa pos)"),
    "STAFF": gettext_lazy("staf operasi (tanpa pos)"),
    "TIDAK": gettext_lazy("tidak diturunkan"),
    "TIDAK_DITURUNKAN": gettext_lazy("tidak diturunkan"),
}
SORT_WORDS = {  # a list's `?sort=` column, as its header reads
    "code": gettext_lazy("kode"),
    "name": gettext_lazy("nama"),
    "rank": gettext_lazy("pangkat"),
    "kind": gettext_lazy("jenis"),
    "level": gettext_lazy("tingkat"),
    "parent": gettext_lazy("induk"),
    "desa": gettext_lazy("desa"),
    "kecamatan": gettext_lazy("kecamatan"),
    "unit": gettext_lazy("satuan"),
    "force": gettext_lazy("unsur"),
    "voters": gettext_lazy("DPT"),
    "score": gettext_lazy("skor"),
    "category": gettext_lazy("kategori"),
    "model_category": gettext_lazy("kategori model"),
    "severity": gettext_lazy("tingkat"),
    "status": gettext_lazy("status"),
    "reported_at": gettext_lazy("dilaporkan"),
    "closed_at": gettext_lazy("selesai"),
    "tps": gettext_lazy("TPS"),
    "needed": gettext_lazy("dibutuhkan"),
    "placed": gettext_lazy("terisi"),
    "empty": gettext_lazy("kosong"),
    "members": gettext_lazy("anggota"),
}
STATUS_WORDS = {
    "draft": gettext_lazy("konsep"),
    "approved": gettext_lazy("disetujui"),
    "published": gettext_lazy("diterbitkan"),
    "superseded": gettext_lazy("diganti versi baru"),
}
SHOWN_ITEMS = 8  # items of a list value shown before "and N more"


def action_label(code: str) -> str:
    """The action in words; an action without a label reads as its code's words."""
    return str(ACTION_LABELS.get(code, code.replace("_", " ")))


def action_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """The actions for the filter, by their words."""
    return sorted(((c, action_label(c)) for c in set(codes)), key=lambda pair: pair[1].lower())


@dataclass(frozen=True)
class Line:
    """One entry as the page and the export show it."""

    entry: AuditEntry
    who: str
    action: str
    record: str
    operation: str
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]


def who_of(username: str) -> str:
    """A recorded user name in words: a command run on the server names the server's account."""
    if username.startswith(SERVER):
        return _("perintah di server (akun %(name)s)") % {"name": username[len(SERVER) :]}
    return username


def lines(entries: Sequence[AuditEntry]) -> list[Line]:
    """The entries of one page in words (a few queries for the whole page)."""
    users = _user_names(entries)
    records = _record_names(entries)
    operations = dict(
        Operation.objects.filter(pk__in={e.operation_id for e in entries if e.operation_id}).values_list("pk", "name")
    )
    posts = _post_names(entries)
    versions = _job_plans(entries)
    return [
        Line(
            entry=e,
            who=users.get(e.user_id or 0) or who_of(e.username) or (_("(belum masuk)") if e.ip else _("sistem")),
            action=action_label(e.action),
            record=_group_of(e, posts.get(e.operation_id or 0, {}))
            or records.get((e.object_type, e.object_id))
            or _record_fallback(e.object_type, e.object_id),
            operation=operations.get(e.operation_id or 0, "") if e.object_type != "operation" else "",
            before=fields(e.before, posts.get(e.operation_id or 0, {})),
            after=_incident_state(e.after, posts.get(e.operation_id or 0, {}))
            if e.object_type == "incident"
            else fields(_job_plan(e.after, versions), posts.get(e.operation_id or 0, {})),
        )
        for e in entries
    ]


def _job_plans(entries: Sequence[AuditEntry]) -> dict[int, int]:
    """Plan id -> version, for the plans a started job names by id (a re-plan's `plan`)."""
    ids = {e.after.get("plan") for e in entries if e.object_type == "plan_job" and isinstance(e.after, dict)}
    return dict(Plan.objects.filter(pk__in={i for i in ids if isinstance(i, int)}).values_list("pk", "version"))


def _job_plan(after: Any, versions: dict[int, int]) -> Any:
    """A started job's `plan` (an id, which no reader knows) as the version it names: "v1"."""
    if isinstance(after, dict) and isinstance(after.get("plan"), int) and after["plan"] in versions:
        return {**after, "plan": f"v{versions[after['plan']]}"}
    return after


# The words of an incident's status and command level, by code: the field app, which stands on
# this one, gives them when it starts (siaga.field.apps); the audit reads but never imports it.
INCIDENT_WORDS: dict[str, Mapping[Any, Any]] = {"status": {}, "command": {}, "severity": {}, "kind": {}}


def _incident_state(value: Any, names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """An incident's step is logged as "status/level" ("ditangani/polres"): the status and
    who commands it, in words (`INCIDENT_WORDS`); anything else as `fields` (`names`: its posts'
    and regions' names)."""
    if not isinstance(value, str) or value.count("/") != 1:
        return fields(value, names)
    status, level = value.split("/")
    return [
        (str(FIELD_LABELS["status"]), str(INCIDENT_WORDS["status"].get(status, status))),
        (str(FIELD_LABELS["command"]), str(INCIDENT_WORDS["command"].get(level, level))),
    ]


POST_KEYS = ("post", "post_id", "pinned_post", "from_post", "to_post")
REGION_KEYS = ("kecamatan", "kecamatan_code", "desa", "desa_code")  # a region by its code: shown by name
UNIT_KEYS = ("unit", "unit_code")  # a unit, or an apel's roll-call group, by its code: shown by name
APEL_KEY = "apel"  # an apel by its key: shown by its stage's name
NAMED_KEYS = (*POST_KEYS, *REGION_KEYS, *UNIT_KEYS, APEL_KEY)
# The apel's roll call of one desa's Linmas (they have no unit) is recorded as this prefix and the
# desa's code (siaga.field.services.apel.DESA_GROUP; the audit reads but never imports the field).
DESA_GROUP = "desa:"


def _group_of(entry: AuditEntry, names: dict[str, str]) -> str:
    """The record of a roll call of a desa's Linmas (logged on the desa) by the group's name,
    "Linmas Desa Wonojati", rather than the desa's; "" for any other entry."""
    group = entry.after.get("unit") if isinstance(entry.after, dict) else None
    return names.get(group, "") if isinstance(group, str) and group.startswith(DESA_GROUP) else ""


def _post_names(entries: Sequence[AuditEntry]) -> dict[int, dict[str, str]]:
    """Operation -> post id, region code, unit or roll-call group code or apel key -> name, for
    the posts (plan edits), the regions (an incident's kecamatan), the units and desa Linmas
    (an apel's roll call) and the apels the page's entries name: a query per kind."""
    from siaga.plans.names import operation_post_labels

    wanted: dict[str, dict[int, set[str]]] = {kind: defaultdict(set) for kind in ("post", "region", "unit", "apel")}
    for e in entries:
        for side in (e.before, e.after):
            if isinstance(side, dict) and e.operation_id:
                for kind, keys in (("post", POST_KEYS), ("region", REGION_KEYS), ("unit", UNIT_KEYS)):
                    wanted[kind][e.operation_id].update(str(side[k]) for k in keys if _code(side.get(k)))
                if _code(side.get(APEL_KEY)):
                    wanted["apel"][e.operation_id].add(str(side[APEL_KEY]))
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for op, codes in wanted["post"].items():
        names[op].update(operation_post_labels(op, codes))
    for op, codes in wanted["unit"].items():
        desa = {c[len(DESA_GROUP) :]: c for c in codes if c.startswith(DESA_GROUP)}
        units = Unit.objects.filter(operation_id=op, code__in=codes - set(desa.values())).values_list("code", "name")
        names[op].update(units)
        for code, name in Region.objects.filter(operation_id=op, code__in=desa).values_list("code", "name"):
            names[op][desa[code]] = _("Linmas Desa %(name)s") % {"name": name}
    for op, codes in wanted["region"].items():
        found = Region.objects.filter(operation_id=op, code__in=codes).values_list("code", "level", "name")
        names[op].update({code: area_name(level, name) for code, level, name in found})
    for op, apel_keys in wanted["apel"].items():
        names[op].update(_apel_names(op, apel_keys))
    return names


def _code(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _apel_names(operation_id: int, keys: set[str]) -> dict[str, str]:
    """An apel other than the one before the pergeseran is recorded by its stage's kind and
    start ("APEL_GELAR-202402101400", siaga.field.services.apel.apels): by the stage's name."""
    operation = Operation.objects.filter(pk=operation_id).first()
    if operation is None:
        return {}
    stages = {f"{s.kind.value}-{s.start:%Y%m%d%H%M}": stage_name(s.name) for s in operation_stages(operation)[0]}
    return {key: stages[key] for key in keys if key in stages}


def _label(key: str) -> str:
    """A field's name in words: ours, else the data model's (a TPS's, person's, unit's or
    region's column edited by hand), else its code's words."""
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    if not _MODEL_LABELS:
        for model in (Region, Unit, Person, Tps):  # the TPS's words win where they share a name
            _MODEL_LABELS.update(
                {f.name: f.verbose_name for f in model._meta.concrete_fields if f.name not in ("id", "operation")}
            )
    return str(_MODEL_LABELS.get(key, key.replace("_", " ")))


_MODEL_LABELS: dict[str, Any] = {}


def fields(value: Any, posts: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Before/after as (field, value) pairs in words; a nested dict is flattened with its
    field's name ("summary" -> "slot kosong: 3"), a list shortened; a post by its name
    (`posts`), a slot or force by its word."""
    if value is None or value == {} or value == []:
        return []
    if not isinstance(value, dict):
        return [("", _value(value))]
    found: list[tuple[str, str]] = []
    for key, item in value.items():
        if isinstance(item, dict):
            found += fields(item, posts)
        elif key in NAMED_KEYS and posts and str(item) in posts:
            found.append((_label(key), posts[str(item)]))
        else:
            found.append((_label(key), _value(item, key)))
    return found


def _value(value: Any, key: str = "") -> str:
    if key in ("slot", "force") and isinstance(value, str):
        return str(FORCE_LABELS.get(value, value))
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if value is None or value == "":
        return "–"
    if key == "status" and str(value) in STATUS_WORDS:
        return str(STATUS_WORDS[str(value)])
    if key in ("category", "effective"):
        return str(CATEGORY_LABELS.get(str(value), value))
    if key in ("severity", "kind") and isinstance(value, int | str) and value in INCIDENT_WORDS[key]:
        return str(INCIDENT_WORDS[key][value])  # an incident's: berat, bentrok
    if key == "source" and str(value) in CategorySource.Source.values:
        return str(CategorySource.Source(str(value)).label)
    if key == "pinned_post" and str(value).upper() in PIN_WORDS:
        return str(PIN_WORDS[str(value).upper()])
    if key.endswith("_at") and isinstance(value, str) and (moment := parse_datetime(value)) is not None:
        return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "j M Y H:i")
    if key == "role" and str(value) in Role.values:
        return str(Role(str(value)).label)
    if key == "sort" and isinstance(value, str) and value.lstrip("-") in SORT_WORDS:
        words = str(SORT_WORDS[value.lstrip("-")])
        return _("%(column)s, menurun") % {"column": words} if value.startswith("-") else words
    if isinstance(value, list):
        shown = ", ".join(_value(v) for v in value[:SHOWN_ITEMS])
        more = len(value) - SHOWN_ITEMS
        return shown + (" " + _("dan %(n)s lainnya") % {"n": more} if more > 0 else "")
    if isinstance(value, float):
        return number_format(value, 1, force_grouping=True)  # 1.746,0 / 1,746.0
    return str(value)


def _record_fallback(object_type: str, object_id: str) -> str:
    kind = str(TYPE_LABELS.get(object_type, object_type.replace("_", " ")))
    return f"{kind} {object_id}".strip()


def _user_names(entries: Sequence[AuditEntry]) -> dict[int, str]:
    """Account id -> rank and name of the person it is linked to, else its full name."""
    ids = {e.user_id for e in entries if e.user_id}
    accounts = get_user_model().objects.filter(pk__in=ids).select_related("profile")
    codes: dict[int, str] = {}
    names: dict[int, str] = {}
    for user in accounts:
        names[user.pk] = user.get_full_name() or user.get_username()
        profile = getattr(user, "profile", None)
        if profile is not None and profile.person_code:
            codes[user.pk] = profile.person_code
    people = {
        code: f"{rank} {name}".strip()
        for code, rank, name in Person.objects.filter(code__in=set(codes.values())).values_list("code", "rank", "name")
    }
    return {pk: people.get(codes.get(pk, ""), name) for pk, name in names.items()}


def _record_names(entries: Sequence[AuditEntry]) -> dict[tuple[str, str], str]:
    """(object type, id) -> the name a person reads, for plans, operations, TPS, people, units
    and regions; one query per kind."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        wanted[e.object_type].add(e.object_id)
    names: dict[tuple[str, str], str] = {}
    plan_ids = [int(i) for i in wanted.get("plan", ()) if i.isdigit()]
    for pk, version in Plan.objects.filter(pk__in=plan_ids).values_list("pk", "version"):
        names[("plan", str(pk))] = _("Rencana v%(v)s") % {"v": version}
    apel_ids = [int(i) for i in wanted.get("apel", ()) if i.isdigit()]
    for pk, version in Plan.objects.filter(pk__in=apel_ids).values_list("pk", "version"):
        names[("apel", str(pk))] = _("Apel · rencana v%(v)s") % {"v": version}
    op_ids = [int(i) for i in wanted.get("operation", ()) if i.isdigit()]
    for pk, name in Operation.objects.filter(pk__in=op_ids).values_list("pk", "name"):
        names[("operation", str(pk))] = name
    ops = {e.operation_id for e in entries if e.operation_id}
    desa = dict(Region.objects.filter(operation_id__in=ops).values_list("code", "name"))
    tps = Tps.objects.filter(operation_id__in=ops, code__in=wanted.get("tps", ())).values_list(
        "code", "number", "desa_code"
    )
    for code, number, desa_code in tps:
        names[("tps", code)] = _("TPS %(n)02d %(desa)s") % {"n": number, "desa": desa.get(desa_code, desa_code)}
    people = Person.objects.filter(operation_id__in=ops, code__in=wanted.get("person", ())).values_list(
        "code", "rank", "name"
    )
    for code, rank, name in people:
        names[("person", code)] = f"{rank} {name}".strip()
    for code, name in Unit.objects.filter(operation_id__in=ops, code__in=wanted.get("unit", ())).values_list(
        "code", "name"
    ):
        names[("unit", code)] = name
    for code in wanted.get("region", ()):
        if code in desa:
            names[("region", code)] = desa[code]
    for key in ("incident", "plan_job"):
        for i in wanted.get(key, ()):
            names[(key, i)] = f"{TYPE_LABELS[key]} #{i}"
    for i in wanted.get("user", ()):
        names[("user", i)] = i
    return names
