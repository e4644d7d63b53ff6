"""Problems found in a user's file, and their messages in the reader's language.

A problem names the place to fix (sheet, the row number as Excel shows it, the column), the
value found and what was expected. `code` picks the message; `params` fill it in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from siaga.core.data.text import _, gettext_noop

# code -> the message's msgid (Indonesian; English in siaga/locale). Placeholders come from
# Problem.params; a parameter that is a Message is rendered in the reader's language too.
MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "required": gettext_noop("wajib diisi"),
        "not_number": gettext_noop("harus berupa angka"),
        "not_integer": gettext_noop("harus berupa bilangan bulat"),
        "too_small": gettext_noop("tidak boleh kurang dari %(min)s"),
        "too_large": gettext_noop("tidak boleh lebih dari %(max)s"),
        "outside_indonesia": gettext_noop("koordinat di luar Indonesia (lintang -11 s.d. 6, bujur 95 s.d. 141)"),
        "boundary_not_collection": gettext_noop(
            'berkas batas wilayah harus GeoJSON FeatureCollection ("type": "FeatureCollection" dengan daftar'
            ' "features")'
        ),
        "boundary_not_json": gettext_noop("berkas batas wilayah bukan JSON yang sah"),
        "boundary_not_json_at": gettext_noop(
            "berkas batas wilayah bukan JSON yang sah (rusak di baris %(line)s, kolom %(column)s)"
        ),
        "boundary_too_large": gettext_noop("berkas batas wilayah terlalu besar (%(size)s); batas %(limit)s"),
        "boundary_too_many_points": gettext_noop(
            "berkas batas wilayah memiliki lebih dari %(limit)s titik; sederhanakan poligonnya"
        ),
        "boundary_not_feature": gettext_noop("fitur ke-%(feature)s bukan GeoJSON Feature"),
        "boundary_no_code": gettext_noop(
            "fitur ke-%(feature)s tidak memiliki kode wilayah Kemendagri yang sah (properti code atau kode,"
            " mis. 35.14.17.2001)"
        ),
        "boundary_duplicate": gettext_noop(
            "fitur ke-%(feature)s (kode %(region)s): kode ini sudah dipakai fitur ke-%(other)s"
        ),
        "boundary_bad_geometry": gettext_noop(
            "fitur ke-%(feature)s (kode %(region)s): geometri harus Polygon atau MultiPolygon, bukan %(kind)s"
        ),
        "boundary_ring_short": gettext_noop(
            "fitur ke-%(feature)s (kode %(region)s): poligon %(polygon)s, cincin %(ring)s hanya %(points)s titik;"
            " paling sedikit 4 (titik pertama diulang di akhir)"
        ),
        "boundary_ring_open": gettext_noop(
            "fitur ke-%(feature)s (kode %(region)s): poligon %(polygon)s, cincin %(ring)s tidak tertutup"
            " (titik terakhir harus sama dengan titik pertama)"
        ),
        "boundary_bad_point": gettext_noop(
            "fitur ke-%(feature)s (kode %(region)s): poligon %(polygon)s, cincin %(ring)s, titik ke-%(point)s"
            " bukan koordinat [bujur, lintang] berupa angka"
        ),
        "boundary_outside": gettext_noop(
            "fitur ke-%(feature)s (kode %(region)s): poligon %(polygon)s, cincin %(ring)s, titik ke-%(point)s"
            " [%(lon)s, %(lat)s] di luar Indonesia; GeoJSON menulis [bujur, lintang]"
        ),
        "boundary_no_area": gettext_noop(
            "fitur ke-%(feature)s (kode %(region)s): poligon %(polygon)s tidak memiliki luas (titiknya segaris)"
        ),
        "boundary_unknown_code": gettext_noop(
            "fitur ke-%(feature)s (kode %(region)s): kode ini tidak ada di wilayah operasi; fitur dilewati"
        ),
        "boundary_none_matched": gettext_noop(
            "tidak satu pun dari %(features)s fitur berkas batas wilayah cocok dengan kode wilayah operasi"
        ),
        "not_in_list": gettext_noop("harus salah satu dari: %(allowed)s"),
        "not_date": gettext_noop("harus tanggal dengan format TTTT-BB-HH (contoh 2022-03-23)"),
        "not_bool": gettext_noop("harus ya atau tidak"),
        "not_datetime": gettext_noop("harus tanggal dan jam dengan format TTTT-BB-HH JJ:MM (contoh 2022-03-23 07:00)"),
        "stage_ends_before_start": gettext_noop("tahapan harus selesai sesudah mulai (%(start)s)"),
        "duplicate": gettext_noop("sudah dipakai di baris %(other_row)s; kode/id harus unik"),
        "unknown_region": gettext_noop("tidak ditemukan di lembar wilayah"),
        "unknown_unit": gettext_noop("tidak ditemukan di lembar satuan"),
        "unknown_place": gettext_noop(
            "tidak ditemukan: harus kode satuan (lembar satuan), id TPS (lembar tps) atau kode wilayah (lembar wilayah)"
        ),
        "wrong_level": gettext_noop("wilayah ini bertingkat %(level)s, seharusnya %(expected)s"),
        "reason_required": gettext_noop(
            "kategori diisi tetapi alasan (kolom alasan) kosong; tulis alasan penetapan kategori"
        ),
        "tps_id_not_linmas": gettext_noop("id_tps hanya untuk anggota LINMAS (petugas ketertiban TPS dari SK PPS)"),
        "unknown_tps": gettext_noop("tidak ditemukan di lembar tps"),
        "event_ends_before_start": gettext_noop("kegiatan harus selesai sesudah mulai (%(start)s)"),
        "duplicate_rule": gettext_noop("aturan tugas ini sudah ada untuk tahapan, tugas, tingkat dan waktu yang sama"),
        "tps_outside_psu": gettext_noop(
            "hanya tahapan PSU yang menyebut TPS; kosongkan sel ini atau ubah jenis menjadi PSU"
        ),
        "psu_without_tps": gettext_noop(
            "tahapan PSU harus menyebut TPS yang memilih ulang (id TPS, dipisah titik koma)"
        ),
        "tps_not_in_desa": gettext_noop(
            "TPS ini bukan di desa anggota (%(desa)s); Linmas bertugas di TPS desanya sendiri"
        ),
        "unknown_pin": gettext_noop("pos tetap tidak dikenal: isi id TPS, kode desa (pos balai desa), STAF atau TIDAK"),
        "linmas_needs_desa": gettext_noop("anggota LINMAS wajib memiliki kode desa (desanya sendiri)"),
        # A person's NRP/NIK, rank and phone (numbers.py, ranks.py): the console's forms say the same.
        "nrp_digits": gettext_noop("NRP Polri harus 8 angka; tertulis %(written)s."),
        "nrp_lost_zero": gettext_noop(
            "NRP Polri harus 8 angka; tertulis %(written)s (7 angka): sel berformat angka menghapus nol di depan. "
            "Format kolom sebagai teks, lalu tulis NRP lengkap (mis. 0%(written)s)."
        ),
        "nik_digits": gettext_noop("NIK Linmas harus 16 angka (seperti pada KTP); tertulis %(written)s."),
        "not_phone": gettext_noop(
            "No. HP hanya angka (boleh +, spasi, tanda hubung), %(low)s sampai %(high)s angka; tertulis %(phone)s."
        ),
        "unknown_rank": gettext_noop(
            "Pangkat %(rank)s tidak dikenal: pilih pangkat Polri/TNI dari daftar (mis. BRIPKA, IPTU, SERDA)."
        ),
        "needs_unit": gettext_noop("personel %(force)s wajib memiliki kode satuan (asal berangkat)"),
        "force_unknown": gettext_noop("unsur kosong dan tidak ada satuan untuk menentukannya; isi %(allowed)s"),
        "not_a_polres": gettext_noop("bukan kode satuan berjenis POLRES di lembar satuan"),
        "polres_code_not_kecamatan": gettext_noop("kode_polres hanya diisi pada baris KECAMATAN"),
        "kecamatan_without_polres": gettext_noop(
            "kecamatan %(kecamatan)s (%(name)s, %(count)s TPS) tidak masuk wilayah hukum Polres mana pun;"
            " beri POLSEK-nya kode_induk ke Polres, atau isi kode_polres pada baris kecamatan di lembar wilayah"
        ),
        "assembly_needs_both": gettext_noop("titik apel perlu lintang_apel dan bujur_apel sekaligus"),
        "sector_needs_kecamatan": gettext_noop("satuan %(kind)s wajib memiliki kode kecamatan (wilayah tugasnya)"),
        "unknown_pattern": gettext_noop("pola tidak dikenal; pilih salah satu: %(allowed)s"),
        "bad_weights": gettext_noop(
            "bobot harus ditulis indikator=angka dipisah titik koma; '%(part)s' tidak dikenal%(hint)s"
        ),
        "thresholds_out_of_order": gettext_noop("ambang_rawan harus lebih kecil dari ambang_sangat_rawan"),
        "pattern_missing_category": gettext_noop("lembar pola tidak mengatur kategori: %(missing)s"),
        "unnamed_column": gettext_noop(
            "kolom tanpa nama berisi data (mis. baris %(row)s); beri nama kolom atau hapus isinya"
        ),
        "patterns_needed": gettext_noop("pola 'custom' dipilih tetapi lembar pola kosong atau tidak ada"),
        "unknown_sheet": gettext_noop("lembar tidak dikenal%(hint)s"),
        "unknown_column": gettext_noop("kolom tidak dikenal%(hint)s"),
        "duplicate_column": gettext_noop("kolom ini muncul dua kali"),
        "duplicate_sheet": gettext_noop("lembar ini ada dua kali (nama Indonesia dan Inggris): %(other)s"),
        "unknown_key": gettext_noop("kunci tidak dikenal%(hint)s"),
        "missing_sheet": gettext_noop("lembar wajib tidak ada"),
        "missing_column": gettext_noop("kolom wajib tidak ada"),
        "indicator_scope": gettext_noop("indikator ini berlaku untuk %(scope)s, bukan untuk lembar ini"),
        "file_not_found": gettext_noop("berkas atau folder tidak ditemukan"),
        "not_xlsx": gettext_noop("bukan berkas Excel .xlsx yang sah; simpan ulang dari Excel sebagai .xlsx"),
        "old_xls": gettext_noop("format Excel lama (.xls); buka di Excel lalu simpan sebagai .xlsx"),
        "zip_bomb": gettext_noop("isi berkas terlalu besar setelah dibuka (%(size)s); batas %(limit)s"),
        "zip_ratio": gettext_noop(
            "isi berkas memampat tidak wajar (%(size)s dari bagian yang %(ratio)s kali lebih kecil);"
            " batas %(limit)s kali"
        ),
        "too_many_cells": gettext_noop(
            "lembar ini terlalu luas: %(rows)s baris x %(columns)s kolom = %(cells)s sel; batas %(limit)s sel"
            " (ada isian jauh di bawah atau di kanan? hapus baris dan kolom kosong di ujung lembar)"
        ),
        "not_readable": gettext_noop("berkas tidak dapat dibaca dari disk"),
        "csv_nul": gettext_noop(
            "berkas CSV berisi karakter NUL (teks UTF-16 atau berkas biner?); di Excel simpan sebagai 'CSV UTF-8'"
        ),
        "control_character": gettext_noop(
            "berisi karakter kendali tak terlihat (%(char)s); ketik ulang isinya tanpa menyalin dari sumber lain"
        ),
        "bidi_character": gettext_noop(
            "berisi karakter pembalik arah teks tak terlihat (%(char)s) yang dapat menyamarkan isi; hapus karakter itu"
        ),
        "only_invisible": gettext_noop("hanya berisi karakter tak terlihat"),
        "text_too_long": gettext_noop("terlalu panjang (%(length)s karakter); paling banyak %(max)s karakter"),
        "not_finite": gettext_noop("harus angka biasa (bukan NaN atau tak hingga)"),
        "lookalike_id": gettext_noop(
            "berisi karakter yang hanya mirip angka atau huruf biasa (%(char)s); terbaca '%(normalised)s',"
            " tulis ulang dengan angka dan huruf biasa"
        ),
        "xml_entities": gettext_noop("berkas berisi definisi entitas XML (DOCTYPE/ENTITY) yang tidak diizinkan"),
        "too_many_rows": gettext_noop(
            "lembar ini memiliki lebih dari %(limit)s baris; untuk data sebesar ini pakai folder CSV"
        ),
        "file_too_large": gettext_noop("berkas terlalu besar (%(size)s); batas %(limit)s"),
        "too_many_columns": gettext_noop("lembar ini memiliki lebih dari %(limit)s kolom (ada isian jauh di kanan?)"),
        "csv_too_many_rows": gettext_noop("berkas CSV ini memiliki lebih dari %(limit)s baris"),
        "csv_encoding": gettext_noop("berkas CSV bukan UTF-8; di Excel simpan sebagai 'CSV UTF-8'"),
        "csv_malformed": gettext_noop("berkas CSV rusak: %(detail)s"),
        "empty_sheet": gettext_noop("lembar kosong: baris 1 harus berisi nama kolom"),
        "no_sheets": gettext_noop("tidak ada lembar skenario (operasi, wilayah, tps, satuan, personel)"),
    }
)

WHERE = {
    "sheet": gettext_noop("Lembar '%(place)s'"),
    "file": gettext_noop("Berkas '%(place)s'"),  # a list read from one file: the file is the place
    "row": gettext_noop("baris %(place)s"),
    "column": gettext_noop("kolom '%(place)s'"),
    "value": gettext_noop("nilai '%(place)s'"),
}
# A refusal of the whole file (`workbook._refuse`, its name in params["file"]): the file is the
# place ("Berkas 'x.xlsx': ..."), never a value; these say it in one sentence, naming what is accepted.
FILE_SENTENCES = {
    "not_xlsx": gettext_noop(
        "Berkas '%(file)s' bukan berkas Excel .xlsx yang sah. Yang diterima: buku kerja Excel .xlsx"
        " (simpan ulang dari Excel sebagai .xlsx)"
    ),
    "old_xls": gettext_noop(
        "Berkas '%(file)s' berformat Excel lama (.xls). Yang diterima: .xlsx; buka di Excel lalu simpan sebagai .xlsx"
    ),
    "file_not_found": gettext_noop("Berkas atau folder '%(file)s' tidak ditemukan"),
    "not_readable": gettext_noop("Berkas '%(file)s' tidak dapat dibaca dari disk"),
    "xml_entities": gettext_noop(
        "Berkas '%(file)s' berisi definisi entitas XML (DOCTYPE/ENTITY) yang tidak diizinkan;"
        " simpan ulang dari Excel sebagai .xlsx"
    ),
}
HINT = gettext_noop("; maksud Anda '%(suggestion)s'?")
# A place named after a file (a list read from one CSV or workbook, `listfile.one_table`): the
# reader looks for that file, not for a sheet of that name.
_FILE_NAME = re.compile(r"\.(csv|xlsx|xlsm|xls|ods)( \(.*\))?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a scenario, with the place to fix it."""

    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    params: Mapping[str, object] = field(default_factory=dict)

    def words(self) -> Mapping[str, str]:
        """The msgids of this kind of problem by code (a reader of another file kind adds its own)."""
        return MESSAGES

    def message(self, lang: str = "id") -> str:
        """The problem in `lang`: its place, then what is wrong."""
        where = "file" if _FILE_NAME.search(self.sheet) else "sheet"
        whole_file = bool(self.value) and self.params.get("file") == self.value
        if whole_file and self.code in FILE_SENTENCES and not (self.sheet or self.row or self.column):
            return _(FILE_SENTENCES[self.code], lang, **{**self.params, "file": _clip(self.value)})
        place = [
            _(WHERE[part], lang, place=shown(text) if isinstance(text, str) else text)
            for part, text in (
                ("file", _clip(self.value) if whole_file and self.value != self.sheet else ""),
                (where, self.sheet),
                ("row", self.row),
                ("column", self.column),
                ("value", "" if whole_file else _clip(self.value)),
            )
            if text not in ("", None)
        ]
        if whole_file:  # "Berkas 'x.xlsx', lembar 'tps': ..."
            place = place[:1] + [p[:1].lower() + p[1:] for p in place[1:]]
        suggestion = self.params.get("suggestion")
        hint = _(HINT, lang, suggestion=suggestion) if suggestion else ""
        what = _(self.words()[self.code], lang, **{"hint": hint, **self.params})
        return f"{', '.join(place)}: {what}" if place else what[:1].upper() + what[1:]


# Characters a file may hold that must not reach a terminal or a page as they are: controls
# (ANSI escapes), bidi controls and invisible characters; a message shows their code point.
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def shown(value: object) -> str:
    """`value` as text safe to print: every control, bidi or invisible character as <U+XXXX>."""
    return _UNSHOWABLE.sub(lambda m: f"<U+{ord(m[0]):04X}>", str(value))


def _clip(value: str, limit: int = 60) -> str:
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return shown(value)


class ScenarioError(Exception):
    """The scenario is invalid: every problem found, in sheet and row order."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the scenario")
        self.problems = problems

    def messages(self, lang: str = "id") -> list[str]:
        return [p.message(lang) for p in self.problems]


class UnreadableFile(ScenarioError):
    """The file cannot be read at all (not a workbook, hostile, too large)."""
