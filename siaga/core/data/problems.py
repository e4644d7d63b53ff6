"""Problems found in a user's file, and their messages in Bahasa Indonesia and English.

A problem names the place to fix (sheet, the row number as Excel shows it, the column), the
value found and what was expected. `code` picks the message; `params` fill it in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

LANGS = ("id", "en")

# code -> (Indonesian, English). Placeholders come from Problem.params.
MESSAGES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "required": ("wajib diisi", "is required"),
        "not_number": ("harus berupa angka", "must be a number"),
        "not_integer": ("harus berupa bilangan bulat", "must be a whole number"),
        "too_small": ("tidak boleh kurang dari {min}", "must be at least {min}"),
        "too_large": ("tidak boleh lebih dari {max}", "must be at most {max}"),
        "outside_indonesia": (
            "koordinat di luar Indonesia (lintang -11 s.d. 6, bujur 95 s.d. 141)",
            "coordinate outside Indonesia (lat -11 to 6, lon 95 to 141)",
        ),
        "not_in_list": ("harus salah satu dari: {allowed}", "must be one of: {allowed}"),
        "not_date": (
            "harus tanggal dengan format TTTT-BB-HH (contoh 2022-03-23)",
            "must be a date as YYYY-MM-DD (e.g. 2022-03-23)",
        ),
        "not_bool": ("harus ya atau tidak", "must be yes or no"),
        "not_datetime": (
            "harus tanggal dan jam dengan format TTTT-BB-HH JJ:MM (contoh 2022-03-23 07:00)",
            "must be a date and time as YYYY-MM-DD HH:MM (e.g. 2022-03-23 07:00)",
        ),
        "stage_ends_before_start": (
            "tahapan harus selesai sesudah mulai ({start})",
            "a stage must end after it starts ({start})",
        ),
        "duplicate": (
            "sudah dipakai di baris {other_row}; kode/id harus unik",
            "already used in row {other_row}; codes and ids must be unique",
        ),
        "unknown_region": (
            "tidak ditemukan di lembar wilayah",
            "not found in the regions sheet",
        ),
        "unknown_unit": ("tidak ditemukan di lembar satuan", "not found in the units sheet"),
        "wrong_level": (
            "wilayah ini bertingkat {level}, seharusnya {expected}",
            "this region is a {level}, expected {expected}",
        ),
        "reason_required": (
            "kategori diisi tetapi alasan (kolom alasan) kosong; tulis alasan penetapan kategori",
            "a category is given without a reason; fill the category_reason column",
        ),
        "tps_id_not_linmas": (
            "id_tps hanya untuk anggota LINMAS (petugas ketertiban TPS dari SK PPS)",
            "tps_id is for LINMAS members only (the PPS decree's TPS order officers)",
        ),
        "unknown_tps": ("tidak ditemukan di lembar tps", "not found in the tps sheet"),
        "event_ends_before_start": (
            "kegiatan harus selesai sesudah mulai ({start})",
            "an event must end after it starts ({start})",
        ),
        "duplicate_rule": (
            "aturan tugas ini sudah ada untuk tahapan, tugas, tingkat dan waktu yang sama",
            "a duty rule for the same stage, duty, level and part of the stage is already given",
        ),
        "tps_outside_psu": (
            "hanya tahapan PSU yang menyebut TPS; kosongkan sel ini atau ubah jenis menjadi PSU",
            "only a PSU stage names TPS; empty this cell or set the kind to PSU",
        ),
        "psu_without_tps": (
            "tahapan PSU harus menyebut TPS yang memilih ulang (id TPS, dipisah titik koma)",
            "a PSU stage must name the TPS that vote again (TPS ids, separated by semicolons)",
        ),
        "tps_not_in_desa": (
            "TPS ini bukan di desa anggota ({desa}); Linmas bertugas di TPS desanya sendiri",
            "this TPS is not in the member's desa ({desa}); Linmas serve at a TPS of their own desa",
        ),
        "unknown_pin": (
            "pos tetap tidak dikenal: isi id TPS, kode desa (pos balai desa), STAF atau TIDAK",
            "unknown pin: write a TPS id, a desa code (its balai desa post), STAF or TIDAK",
        ),
        "linmas_needs_desa": (
            "anggota LINMAS wajib memiliki kode desa (desanya sendiri)",
            "a LINMAS member needs a desa_code (their own desa)",
        ),
        "needs_unit": (
            "personel {force} wajib memiliki kode satuan (asal berangkat)",
            "{force} personnel need a unit_code (where they start from)",
        ),
        "force_unknown": (
            "unsur kosong dan tidak ada satuan untuk menentukannya; isi {allowed}",
            "force is blank and there is no unit to derive it from; fill one of {allowed}",
        ),
        "not_a_polres": (
            "bukan kode satuan berjenis POLRES di lembar satuan",
            "not the code of a POLRES unit in the units sheet",
        ),
        "polres_code_not_kecamatan": (
            "kode_polres hanya diisi pada baris KECAMATAN",
            "polres_code belongs on KECAMATAN rows only",
        ),
        "kecamatan_without_polres": (
            "kecamatan {kecamatan} ({name}, {count} TPS) tidak masuk wilayah hukum Polres mana pun;"
            " beri POLSEK-nya kode_induk ke Polres, atau isi kode_polres pada baris kecamatan di lembar wilayah",
            "kecamatan {kecamatan} ({name}, {count} TPS) is in no Polres's jurisdiction;"
            " give its POLSEK a parent_code naming the Polres, or fill polres_code on the kecamatan's regions row",
        ),
        "assembly_needs_both": (
            "titik apel perlu lintang_apel dan bujur_apel sekaligus",
            "an assembly point needs both assembly_lat and assembly_lon",
        ),
        "sector_needs_kecamatan": (
            "satuan {kind} wajib memiliki kode kecamatan (wilayah tugasnya)",
            "a {kind} unit needs a kecamatan_code (its sector)",
        ),
        "unknown_pattern": (
            "pola tidak dikenal; pilih salah satu: {allowed}",
            "unknown pattern; choose one of: {allowed}",
        ),
        "bad_weights": (
            "bobot harus ditulis indikator=angka dipisah titik koma; '{part}' tidak dikenal{hint}",
            "weights must read indicator=number separated by semicolons; '{part}' is not understood{hint}",
        ),
        "thresholds_out_of_order": (
            "ambang_rawan harus lebih kecil dari ambang_sangat_rawan",
            "threshold_rawan must be below threshold_sangat_rawan",
        ),
        "pattern_missing_category": (
            "lembar pola tidak mengatur kategori: {missing}",
            "the patterns sheet has no row for: {missing}",
        ),
        "unnamed_column": (
            "kolom tanpa nama berisi data (mis. baris {row}); beri nama kolom atau hapus isinya",
            "a column with no name holds data (e.g. row {row}); name the column or clear it",
        ),
        "patterns_needed": (
            "pola 'custom' dipilih tetapi lembar pola kosong atau tidak ada",
            "pattern 'custom' is chosen but the patterns sheet is missing or empty",
        ),
        "unknown_sheet": ("lembar tidak dikenal{hint}", "unknown sheet{hint}"),
        "unknown_column": ("kolom tidak dikenal{hint}", "unknown column{hint}"),
        "duplicate_column": ("kolom ini muncul dua kali", "this column appears twice"),
        "duplicate_sheet": (
            "lembar ini ada dua kali (nama Indonesia dan Inggris): {other}",
            "this sheet is there twice (Indonesian and English names): {other}",
        ),
        "unknown_key": ("kunci tidak dikenal{hint}", "unknown key{hint}"),
        "missing_sheet": ("lembar wajib tidak ada", "required sheet is missing"),
        "missing_column": ("kolom wajib tidak ada", "required column is missing"),
        "indicator_scope": (
            "indikator ini berlaku untuk {scope_id}, bukan untuk lembar ini",
            "this indicator belongs to {scope_en}, not to this sheet",
        ),
        # Whole-file problems: the file cannot be read at all.
        "file_not_found": ("berkas atau folder tidak ditemukan", "file or folder not found"),
        "not_xlsx": (
            "bukan berkas Excel .xlsx yang sah; simpan ulang dari Excel sebagai .xlsx",
            "not a valid Excel .xlsx file; save it again from Excel as .xlsx",
        ),
        "old_xls": (
            "format Excel lama (.xls); buka di Excel lalu simpan sebagai .xlsx",
            "old Excel format (.xls); open it in Excel and save as .xlsx",
        ),
        "zip_bomb": (
            "isi berkas terlalu besar setelah dibuka ({size}); batas {limit}",
            "the file unpacks to too much data ({size}); the limit is {limit}",
        ),
        "xml_entities": (
            "berkas berisi definisi entitas XML (DOCTYPE/ENTITY) yang tidak diizinkan",
            "the file contains XML entity definitions (DOCTYPE/ENTITY), which are refused",
        ),
        "too_many_rows": (
            "lembar ini memiliki lebih dari {limit} baris; untuk data sebesar ini pakai folder CSV",
            "this sheet has more than {limit} rows; use a folder of CSV files for data this large",
        ),
        "file_too_large": (
            "berkas terlalu besar ({size}); batas {limit}",
            "the file is too large ({size}); the limit is {limit}",
        ),
        "too_many_columns": (
            "lembar ini memiliki lebih dari {limit} kolom (ada isian jauh di kanan?)",
            "this sheet has more than {limit} columns (something typed far to the right?)",
        ),
        "csv_too_many_rows": (
            "berkas CSV ini memiliki lebih dari {limit} baris",
            "this CSV file has more than {limit} rows",
        ),
        "csv_encoding": (
            "berkas CSV bukan UTF-8; di Excel simpan sebagai 'CSV UTF-8'",
            "the CSV file is not UTF-8; in Excel save as 'CSV UTF-8'",
        ),
        "csv_malformed": ("berkas CSV rusak: {detail}", "the CSV file is malformed: {detail}"),
        "empty_sheet": (
            "lembar kosong: baris 1 harus berisi nama kolom",
            "empty sheet: row 1 must hold the column names",
        ),
        "no_sheets": (
            "tidak ada lembar skenario (operasi, wilayah, tps, satuan, personel)",
            "no scenario sheets found (operation, regions, tps, units, personnel)",
        ),
    }
)

WHERE = {
    "id": {"sheet": "Lembar '{}'", "row": "baris {}", "column": "kolom '{}'", "value": "nilai '{}'"},
    "en": {"sheet": "Sheet '{}'", "row": "row {}", "column": "column '{}'", "value": "value '{}'"},
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a scenario, with the place to fix it."""

    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    params: Mapping[str, object] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        words = WHERE["en" if lang == "en" else "id"]
        place = [
            words[part].format(text)
            for part, text in (
                ("sheet", self.sheet),
                ("row", self.row),
                ("column", self.column),
                ("value", _clip(self.value)),
            )
            if text not in ("", None)
        ]
        template = MESSAGES[self.code][1 if lang == "en" else 0]
        what = template.format(hint=self._hint(lang), **self.params)
        return f"{', '.join(place)}: {what}" if place else what[:1].upper() + what[1:]

    def _hint(self, lang: str) -> str:
        suggestion = self.params.get("suggestion")
        if not suggestion:
            return ""
        return f"; did you mean '{suggestion}'?" if lang == "en" else f"; maksud Anda '{suggestion}'?"


def _clip(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class ScenarioError(Exception):
    """The scenario is invalid: every problem found, in sheet and row order."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the scenario")
        self.problems = problems

    def messages(self, lang: str = "id") -> list[str]:
        return [p.message(lang) for p in self.problems]


class UnreadableFile(ScenarioError):
    """The file cannot be read at all (not a workbook, hostile, too large)."""
