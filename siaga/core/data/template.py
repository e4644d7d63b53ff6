"""The empty scenario workbook staff fill in: Indonesian headers, a `petunjuk` sheet that
explains every column, and drop-down lists for the enumerated columns."""

from __future__ import annotations

from pathlib import Path

from siaga.core.data import cells, workbook
from siaga.core.data.indicators import Scope, ValueType, catalog
from siaga.core.data.model import Category, DutyKind, DutyLevel, DutyWhen, Force, Level, StageKind, UnitKind
from siaga.core.data.patterns import CUSTOM, PRESETS
from siaga.core.data.scenario import OPERATION, OPERATION_KEY, OPERATION_VALUE, SHEETS, Sheet

_CATEGORIES = ", ".join(c.value for c in Category)
_LEGACY = ", ".join(cells.LEGACY_CATEGORIES)

# (sheet, column) -> (what to write, allowed values). Columns not listed have no notes.
NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("operation", "name"): ("Nama operasi, mis. 'Pam Pilkades Serentak 2022 Polres Pasuruan Kota'", "teks"),
    ("operation", "election_date"): ("Tanggal pemungutan suara", "TTTT-BB-HH, mis. 2022-03-23"),
    ("operation", "pattern"): ("Pola pengamanan", ", ".join([*PRESETS, CUSTOM]) + " (custom: isi lembar pola)"),
    ("operation", "road_factor"): ("Jarak jalan = jarak garis lurus x faktor ini", "angka 1-5, bawaan 1,3"),
    ("operation", "speed_kmh"): ("Kecepatan perjalanan untuk waktu respons", "km/jam, bawaan 30"),
    ("operation", "response_minutes"): ("Cadangan dianggap menjangkau TPS dalam waktu ini", "menit, bawaan 30"),
    ("operation", "reserve_team_size"): ("Personel per tim cadangan (satu SST)", "bilangan bulat, bawaan 30"),
    ("operation", "village_guard_polri"): ("Polri per desa untuk jaga balai desa", "bilangan bulat, bawaan 0"),
    ("operation", "village_guard_tni"): ("TNI per desa untuk jaga balai desa", "bilangan bulat, bawaan 0"),
    ("operation", "out_of_sector_penalty_km"): (
        "Tambahan biaya bila anggota Polsek/Koramil bertugas di luar kecamatannya",
        "km, bawaan 20",
    ),
    ("operation", "max_post_radius_km"): ("TPS dalam satu pos paling jauh sejauh ini dari titik pos", "km, bawaan 1"),
    ("operation", "note"): ("Catatan bebas (sumber data, keterangan)", "teks"),
    ("operation", "weights"): (
        "Bobot indikator kerawanan yang diubah, mis. violence_history=30; head_to_head=25 (lihat indikator di bawah)",
        "indikator=angka; ...",
    ),
    ("operation", "threshold_rawan"): ("Skor terendah untuk kategori RAWAN", "angka 0-100, bawaan 20"),
    ("operation", "threshold_sangat_rawan"): ("Skor terendah untuk kategori SANGAT_RAWAN", "angka 0-100, bawaan 45"),
    ("operation", "tni_standby_size"): (
        "Pemilu/Pilkada: TNI per pos siaga kecamatan (0 = semua TNI dibagi menurut kerawanan kecamatan)",
        "bilangan bulat, bawaan 0",
    ),
    ("operation", "patrol_radius_km"): ("TPS pos patroli paling jauh sejauh ini dari titik pos", "km, bawaan 3"),
    ("operation", "reinforce_sangat_rawan"): ("Tambahan Polri per pos TPS sangat rawan dan khusus", "bawaan 0"),
    ("operation", "sprin_on_behalf"): ("Jabatan yang menandatangani Sprin a.n. Kapolres, mis. Wakapolres", "teks"),
    ("operation", "tembusan"): (
        "Tembusan Sprin, dipisah ';' (kosong: Kapolda, Irwasda, Karoops, Bupati, Dandim)",
        "teks",
    ),
    ("operation", "renops_number"): ("Nomor Rencana Operasi (Renops) untuk Dasar Sprin", "teks"),
    ("operation", "prinlak_number"): ("Nomor Perintah Pelaksanaan (Prinlak Ops) untuk Dasar Sprin", "teks"),
    ("regions", "code"): ("Kode wilayah Kemendagri, mis. 35.14.17.2005; ditulis sebagai teks", "unik"),
    ("regions", "name"): ("Nama wilayah", "teks"),
    ("regions", "level"): ("Tingkat wilayah", ", ".join(lv.value for lv in Level)),
    ("regions", "parent_code"): ("Kode wilayah induk (desa -> kecamatan -> kabupaten/kota)", "kode di lembar ini"),
    ("regions", "lat"): ("Lintang titik desa/balai desa (wajib untuk DESA dan KELURAHAN)", "-11 s.d. 6"),
    ("regions", "lon"): ("Bujur titik desa/balai desa (wajib untuk DESA dan KELURAHAN)", "95 s.d. 141"),
    ("regions", "polres_code"): (
        "Pada baris KECAMATAN: Polres yang memegang wilayah hukumnya bila tidak ada POLSEK yang menyatakannya",
        "kode POLRES di lembar satuan",
    ),
    ("tps", "id"): ("Kode TPS, mis. 35.14.17.2005-03", "unik"),
    ("tps", "desa_code"): ("Kode desa/kelurahan tempat TPS", "kode DESA/KELURAHAN di lembar wilayah"),
    ("tps", "number"): ("Nomor TPS di desa", "bilangan bulat >= 1"),
    ("tps", "voters"): ("Jumlah pemilih (DPT)", "bilangan bulat >= 0"),
    ("tps", "lat"): ("Lintang lokasi TPS", "-11 s.d. 6"),
    ("tps", "lon"): ("Bujur lokasi TPS", "95 s.d. 141"),
    ("tps", "address"): ("Alamat TPS", "teks, boleh kosong"),
    ("tps", "category"): (
        "Kategori kerawanan yang ditetapkan (mengganti hasil hitung). Nama lama diterima: " + _LEGACY,
        _CATEGORIES + ", boleh kosong",
    ),
    ("tps", "category_reason"): ("Alasan penetapan kategori (wajib bila kategori diisi)", "teks"),
    ("units", "code"): ("Kode satuan, mis. POLSEK-17", "unik"),
    ("units", "name"): ("Nama satuan", "teks"),
    ("units", "kind"): ("Jenis satuan", ", ".join(k.value for k in UnitKind)),
    ("units", "kecamatan_code"): ("Kecamatan wilayah tugas (wajib untuk POLSEK dan KORAMIL)", "kode KECAMATAN"),
    ("units", "lat"): ("Lintang markas satuan (titik berangkat personel)", "-11 s.d. 6"),
    ("units", "lon"): ("Bujur markas satuan", "95 s.d. 141"),
    ("units", "parent_code"): (
        "Satuan induk (POLSEK -> POLRES, KORAMIL -> KODIM, POLRES -> Polda); bila diisi, wilayah hukum"
        " Polres = kecamatan POLSEK-nya, bukan kabupaten",
        "kode satuan",
    ),
    ("units", "bko_to"): (
        "Polres tempat satuan di-BKO-kan untuk operasi ini (mis. Brimob, peleton Polres lain); bertugas"
        " di wilayah hukum Polres itu",
        "kode POLRES di lembar satuan",
    ),
    ("units", "assembly_lat"): (
        "Lintang titik apel/kumpul untuk operasi (Mapolres, posko induk Polsek); jarak tempuh dihitung dari sini",
        "-11 s.d. 6; isi bersama bujur_apel",
    ),
    ("units", "assembly_lon"): ("Bujur titik apel/kumpul untuk operasi", "95 s.d. 141; isi bersama lintang_apel"),
    ("personnel", "id"): ("NRP (Polri/TNI) atau NIK (Linmas); ditulis sebagai teks", "unik"),
    ("personnel", "name"): ("Nama lengkap", "teks"),
    ("personnel", "rank"): ("Pangkat, mis. BRIPKA, IPTU, SERDA", "teks, kosong untuk Linmas"),
    ("personnel", "unit_code"): ("Kode satuan asal (kosong untuk Linmas)", "kode di lembar satuan"),
    ("personnel", "force"): ("Unsur; bila kosong mengikuti jenis satuan", ", ".join(f.value for f in Force)),
    ("personnel", "desa_code"): ("Desa asal (wajib untuk LINMAS: bertugas di desanya sendiri)", "kode DESA/KELURAHAN"),
    ("personnel", "phone"): ("Nomor HP", "teks"),
    ("personnel", "available"): ("Siap ditugaskan?", "ya / tidak, bawaan ya"),
    ("personnel", "position"): (
        "Jabatan, mis. Kapolres, Wakapolres, Kabag Ops, Kasat Samapta, Kapolsek, Danramil; jabatan komando/staf"
        " tidak ditempatkan di pos TPS atau desa; kosong = kekuatan lapangan",
        "teks",
    ),
    ("patterns", "category"): ("Kategori kerawanan", _CATEGORIES),
    ("patterns", "tps_per_post"): ("Jumlah TPS paling banyak per pos", "bilangan bulat >= 1"),
    ("patterns", "polri_per_post"): ("Polri per pos", "bilangan bulat >= 0"),
    ("patterns", "tni_per_post"): ("TNI per pos", "bilangan bulat >= 0"),
    ("patterns", "linmas_per_tps"): ("Linmas per TPS (boleh pecahan: 6 per 4 TPS = 1,5)", "angka >= 0"),
    ("patterns", "patrol"): (
        "Pos patroli: TPS dijangkau jalan kaki/motor dalam radius patroli",
        "ya/tidak, bawaan tidak",
    ),
    ("operation", "pergeseran_day"): (
        "Pergeseran ke pos pada H dikurangi hari ini (1 = H-1, 2 = H-2); dipakai bila lembar tahapan kosong",
        "bilangan bulat 0-30, bawaan 1",
    ),
    ("operation", "shift_hours"): (
        "Lama satu giliran jaga (gudang, PPK): jaga 24 jam dibagi giliran sepanjang ini",
        "angka 1-24, bawaan 12 (dua giliran sehari)",
    ),
    ("operation", "min_rest_hours"): (
        "Istirahat paling sedikit antara dua tugas seorang personel, sesudah perjalanan",
        "angka 0-48, bawaan 8 (bawaan Siaga)",
    ),
    ("operation", "max_duty_hours"): (
        "Tugas terpanjang tanpa pergantian; penjaga TPS yang menginap di TPS dikecualikan",
        "angka 1-72, bawaan 12 (bawaan Siaga)",
    ),
    ("operation", "max_total_hours"): (
        "Jumlah jam tugas seorang personel sepanjang operasi (batas kelelahan)",
        "angka >= 1, bawaan 120 (bawaan Siaga)",
    ),
    ("operation", "replan_min_present_pct"): (
        "Susun ulang dengan yang tidak hadir di apel pergeseran hanya berjalan bila sekian persen personel sudah hadir",
        "bilangan bulat 0-100, bawaan 50 (bawaan Siaga)",
    ),
    ("operation", "replan_newcomers"): (
        "Susun ulang dengan yang tidak hadir di apel pergeseran boleh memanggil personel siap yang tidak ikut apel "
        "(bukan hanya yang hadir)",
        "ya/tidak, bawaan tidak (bawaan Siaga)",
    ),
    ("operation", "offence_route"): (
        "Penanganan pelanggaran (politik uang, intimidasi): gakkumdu = diteruskan ke Bawaslu/Gakkumdu dalam 7 hari"
        " (Pemilu, Pilkada); polri = proses pidana oleh Polri (Reskrim) atau ke panitia pemilihan (Pilkades)",
        "gakkumdu atau polri; kosong = menurut jenis pemilihan (bawaan Siaga)",
    ),
    ("operation", "sector_units_after_handover"): (
        "Kapolsek tetap mengerahkan Dalmas Awal dan patroli Polseknya pada kejadian di sektornya setelah "
        "komandonya diserahkan ke Kapolres",
        "ya/tidak, bawaan ya (bawaan Siaga)",
    ),
    ("stages", "name"): ("Nama tahapan, mis. 'Rekapitulasi di PPK'", "teks"),
    ("stages", "kind"): ("Jenis tahapan", ", ".join(k.value for k in StageKind)),
    ("stages", "start"): ("Mulai (kosongkan seluruh lembar: tahapan bawaan jenis pemilihan)", "TTTT-BB-HH JJ:MM"),
    ("stages", "end"): ("Selesai, sesudah mulai", "TTTT-BB-HH JJ:MM"),
    ("stages", "tps"): ("Hanya tahapan PSU: id TPS yang memilih ulang, dipisah titik koma", "id TPS; id TPS"),
    ("duty_rules", "stage"): ("Tahapan yang aturannya diubah atau ditambah", ", ".join(k.value for k in StageKind)),
    ("duty_rules", "duty"): ("Jenis tugas", ", ".join(k.value for k in DutyKind)),
    ("duty_rules", "per"): (
        "Satu tugas untuk Polres, setiap kecamatan atau setiap desa ber-TPS",
        "POLRES, KECAMATAN, DESA",
    ),
    ("duty_rules", "polri"): (
        "Polri yang bertugas bersamaan (semua nol: aturan bawaan dihapus)",
        "bilangan bulat >= 0",
    ),
    ("duty_rules", "tni"): ("TNI yang bertugas bersamaan", "bilangan bulat >= 0"),
    ("duty_rules", "linmas"): ("Linmas yang bertugas bersamaan (dari desa/kecamatan itu)", "bilangan bulat >= 0"),
    ("duty_rules", "brimob"): ("Brimob yang bertugas bersamaan", "bilangan bulat >= 0"),
    ("duty_rules", "when"): (
        "Bagian tahapan: seluruhnya, jam pertama, jam terakhir, sesudah jam pertama, atau tiap malam dari 00:00",
        "WHOLE, FIRST, LAST, AFTER_FIRST, NIGHTLY; bawaan WHOLE",
    ),
    ("duty_rules", "hours"): ("Jumlah jam untuk FIRST, LAST, AFTER_FIRST dan NIGHTLY", "angka >= 0"),
    ("duty_rules", "shifts"): ("Jumlah giliran; kosong: giliran sepanjang jam_giliran operasi", "bilangan bulat >= 0"),
    ("duty_rules", "name"): ("Nama tugas yang dibaca personel; {kec} dan {desa} diganti nama tempat", "teks"),
    ("duty_rules", "route"): ("Ruas pengawalan, dipisah >, mis. 'Gudang KPU > PPK {kec}'", "teks"),
    ("duty_rules", "ring"): ("Ring pengamanan tempat (1 tertutup, 2 pintu masuk, 3 luar); 0 tanpa ring", "0-3"),
    ("events", "name"): ("Nama kegiatan, mis. 'Kampanye akbar Lapangan Grati'", "teks"),
    ("events", "start"): ("Mulai", "TTTT-BB-HH JJ:MM"),
    ("events", "end"): ("Selesai, sesudah mulai", "TTTT-BB-HH JJ:MM"),
    ("events", "lat"): ("Lintang lokasi", "-11 s.d. 6"),
    ("events", "lon"): ("Bujur lokasi", "95 s.d. 141"),
    ("events", "kecamatan_code"): ("Kode kecamatan lokasi", "kode wilayah"),
    ("events", "crowd"): ("Perkiraan massa; 1 Polri per 100 orang bila kolom polri kosong", "bilangan bulat >= 0"),
    ("events", "polri"): ("Polri pengamanan (dibagi ring 1, 2, 3: 40%, 40%, 20%)", "bilangan bulat >= 0"),
    ("events", "tni"): ("TNI di ring 3", "bilangan bulat >= 0"),
    ("events", "route"): ("Rute pawai atau iring-iringan, dipisah >; kosong: tanpa rute", "teks"),
    ("travel_times", "from"): ("Tempat asal: kode satuan, id TPS atau kode wilayah", "teks"),
    ("travel_times", "to"): ("Tempat tujuan, seperti 'dari'; satu baris berlaku dua arah", "teks"),
    ("travel_times", "minutes"): ("Waktu tempuh lewat jalan", "menit, 0 ke atas"),
}

DROPDOWNS: dict[tuple[str, str], list[str]] = {
    ("regions", "level"): [lv.value for lv in Level],
    ("tps", "category"): [c.value for c in Category],
    ("units", "kind"): [k.value for k in UnitKind],
    ("personnel", "force"): [f.value for f in Force],
    ("personnel", "available"): ["ya", "tidak"],
    ("patterns", "category"): [c.value for c in Category],
    ("stages", "kind"): [k.value for k in StageKind],
    ("duty_rules", "stage"): [k.value for k in StageKind],
    ("duty_rules", "duty"): [k.value for k in DutyKind],
    ("duty_rules", "per"): [k.value for k in DutyLevel],
    ("duty_rules", "when"): [k.value for k in DutyWhen],
}


def write(path: Path) -> None:
    """Write the empty template workbook."""
    sheets = []
    dropdowns = {}
    for spec in SHEETS:
        if spec is OPERATION:
            rows = [[c.alias, _default(c.default)] for c in OPERATION.columns]
            sheets.append((spec.alias, [OPERATION_KEY.alias, OPERATION_VALUE.alias], rows))
            continue
        header = [c.alias for c in spec.columns]
        for i, c in enumerate(spec.columns):
            if (spec.name, c.name) in DROPDOWNS:
                dropdowns[(spec.alias, i)] = DROPDOWNS[(spec.name, c.name)]
        sheets.append((spec.alias, header, []))
    workbook.write_template(path, sheets, _instructions(), dropdowns)


def _default(value: object) -> object:
    return "" if value is None or value == {} else value


def _instructions() -> list[list[str]]:
    rows = [["Lembar", "Kolom", "Nama Inggris", "Wajib", "Nilai yang boleh", "Keterangan"]]
    for spec in SHEETS:
        for c in spec.columns:
            what, allowed = NOTES.get((spec.name, c.name), ("", ""))
            rows.append([_sheet_label(spec), c.alias, c.name, "ya" if c.required else "", allowed, what])
    for ind in catalog().values():
        sheet = "tps" if ind.scope == Scope.TPS else "wilayah (baris DESA)"
        allowed = {ValueType.BOOL: "ya / tidak", ValueType.SCALE: "0-3"}.get(ind.type, f"0-{ind.maximum}")
        rows.append([sheet, ind.key, ind.key, "", allowed, f"Indikator kerawanan (opsional): {ind.label_id}"])
    return rows


def _sheet_label(spec: Sheet) -> str:
    return spec.alias if spec.alias == spec.name else f"{spec.alias} ({spec.name})"
