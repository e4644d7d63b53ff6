"""The Renpam (rencana pengamanan) of one stage, as an A4 PDF in Indonesian.

In the chain of documents (DOCTRINE.md 5) the Renpam is the security plan of a stage, between
the Prinlak Ops and the Sprin. Siaga writes it from the plan and its roster, in seven parts:

I. Situasi: the stage, its window, the TPS and places it concerns (TPS by kerawanan);
II. Tujuan; III. Kekuatan: the people on the stage's duties by unit and force, against what the
duties ask for; IV. Daftar pos: every duty with its place, window and ketua pos; V. Cara
bertindak; VI. Kodal: the Kapolres, Wakapolres, Kaops and the Padal of each kecamatan concerned,
as the organisation annex names them; VII. Logistik: what the duties need.

The texts of II, V and the defaults of VII (`TUJUAN`, `CARA_BERTINDAK`, one vehicle per escort
run, one radio per post or shift, one meal per person per `MEAL_HOURS` on duty) are Siaga's
default texts, drawn from DOCTRINE.md sections 5, 10 and 11 where those say something; a
Polres writes its own Renpam over them. Drawn directly (pdf.py), like the annexes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from siaga.core.data import duties as duty_data
from siaga.core.data import positions
from siaga.core.data.model import Category, Person, Plan, Scenario, StageKind, UnitKind
from siaga.core.documents import pdf, schedule
from siaga.core.documents.ploting import CATEGORY_LABEL, SLOT_LABEL, person_label, unit_label
from siaga.core.documents.sprin import BLANK, ROMAN, OrderSettings, day_and_date, issued_text, resolve

K = StageKind
MEAL_HOURS = 8.0  # Siaga's default: one meal (nasi kotak) per person per 8 hours on duty
SIZE = 8.0

TUJUAN: dict[StageKind, str] = {
    K.KAMPANYE: "kampanye berlangsung aman dan tertib, tanpa bentrokan antarpendukung maupun gangguan lalu lintas",
    K.MASA_TENANG: "tidak terjadi politik uang (serangan fajar), perjudian dan pelanggaran masa tenang",
    K.DISTRIBUSI_LOGISTIK: "logistik pemilihan sampai di tujuan lengkap, utuh dan tepat waktu, "
    "dan aman selama disimpan di gudang",
    K.APEL_GELAR: "kesiapan personel dan sarana prasarana operasi terukur sebelum operasi dimulai",
    K.APEL_KESIAPAN: "kesiapan personel dan sarana prasarana terukur sebelum tahap berikutnya",
    K.APEL_PERGESERAN: "setiap personel menerima surat perintah dan kartu penugasan, "
    "lalu bergeser ke posnya tepat waktu",
    K.PERGESERAN: "setiap pos terisi sebelum logistik tiba dan logistik di TPS aman sampai pemungutan suara",
    K.PEMUNGUTAN: "pemungutan dan penghitungan suara di setiap TPS berlangsung aman, tertib dan lancar "
    "sampai penghitungan selesai",
    K.PENGAWALAN: "kotak suara dan berita acara hasil penghitungan sampai di tujuan lengkap dan utuh, "
    "dengan berita acara serah terima",
    K.REKAP_PPK: "rekapitulasi di PPK berlangsung aman sampai selesai, dan kotak suara aman selama disimpan",
    K.REKAP_KPU: "rekapitulasi dan penetapan hasil di KPU berlangsung aman; kantor KPU dan Bawaslu aman",
    K.PENETAPAN: "penetapan hasil pemilihan berlangsung aman dan diterima masyarakat",
    K.PSU: "pemungutan suara ulang di TPS yang ditetapkan berlangsung aman dengan pengamanan yang lebih kuat",
    K.LAINNYA: "tahap ini berlangsung aman dan tertib",
}

CARA_BERTINDAK: dict[StageKind, tuple[str, ...]] = {
    K.KAMPANYE: (
        "Pengamanan kampanye terbuka dan debat dalam ring: ring 1 tertutup, ring 2 pemeriksaan, ring 3 penjagaan.",
        "Pengawalan rute pawai; koordinasi jadwal dengan KPU, Bawaslu dan tim kampanye.",
    ),
    K.MASA_TENANG: (
        "Patroli 24 jam, terkuat sejak subuh, di desa rawan politik uang (serangan fajar).",
        "Tim tangkap tangan politik uang dan perjudian mulai pukul 00.00; setiap temuan dilaporkan ke Padal "
        "dan diteruskan ke Gakkumdu.",
    ),
    K.DISTRIBUSI_LOGISTIK: (
        "Setiap perpindahan logistik dikawal polisi bersenjata: gudang KPU - PPK - PPS - TPS.",
        "Manifes memuat jumlah kotak, bilik, segel dan nomor polisi kendaraan; serah terima dengan berita acara di "
        "setiap ujung perjalanan.",
        "Gudang dijaga 24 jam dalam shift, dengan tiga gembok (Polsek, PPK, Panwascam) dan buku mutasi.",
    ),
    K.APEL_GELAR: ("Apel gelar pasukan: pemeriksaan personel, kendaraan dan perlengkapan; pembagian tugas.",),
    K.APEL_KESIAPAN: ("Apel kesiapan: pengecekan personel dan sarana prasarana; koreksi kekurangan.",),
    K.APEL_PERGESERAN: (
        "Apel pergeseran: absensi dengan kartu penugasan (kode QR), pembagian surat perintah.",
        "Senjata api personel pengamanan TPS dititipkan kepada bagian logistik; tim Brimob dan TNI tetap bersenjata.",
    ),
    K.PERGESERAN: (
        "Pergeseran pasukan ke pos masing-masing; ketua pos melapor kepada Padal setelah tiba.",
        "Personel menginap di pos bersama logistik sampai pemungutan suara.",
    ),
    K.PEMUNGUTAN: (
        "Tiba di TPS sebelum pukul 07.00; berkoordinasi dengan KPPS, Linmas, TNI dan kepala desa.",
        "Personel Polri berada di luar TPS dan baru masuk apabila diminta KPPS; pemungutan suara 07.00-13.00, "
        "lalu penghitungan sampai selesai.",
        "Setiap kejadian dilaporkan kepada ketua pos dan Padal, diteruskan berjenjang ke Posko dan Kapolres; "
        "tim cadangan bergerak atas perintah Kaops.",
    ),
    K.PENGAWALAN: (
        "Kotak suara dikawal dari TPS/PPS ke tujuan tanpa singgah; serah terima dengan berita acara, nama dan NRP "
        "yang menyerahkan dan yang menerima.",
        "Keterlambatan atau kotak yang tidak tiba segera dilaporkan ke Posko.",
    ),
    K.REKAP_PPK: (
        "Pengamanan PPK dalam ring: ring 1 tertutup, ring 2 pintu masuk dengan pemeriksaan, ring 3 pemeriksaan "
        "identitas.",
        "Penjagaan 24 jam dalam shift sampai rekapitulasi selesai; Kapolsek bermalam di kecamatan selama kotak suara "
        "berada di sana.",
    ),
    K.REKAP_KPU: (
        "Pengamanan kantor KPU dan Bawaslu 24 jam dalam shift sampai penetapan hasil.",
        "Pengamanan unjuk rasa dengan pasukan Samapta dan cadangan Brimob.",
    ),
    K.PENETAPAN: ("Pengamanan rapat penetapan; patroli di desa yang hasilnya diperselisihkan.",),
    K.PSU: (
        "Pemungutan suara ulang dengan pola pengamanan yang lebih kuat, dari personel yang tidak sedang bertugas.",
    ),
    K.LAINNYA: ("Sesuai perintah Kaops.",),
}


def renpam_pdf(
    scenario: Scenario,
    plan: Plan,
    block: schedule.StageBlock,
    settings: OrderSettings | None = None,
    blocks: Sequence[schedule.StageBlock] = (),
) -> pdf.Rendered:
    """The Renpam of the stage `block` (schedule.build) as PDF bytes. `blocks`, the whole
    operation's, lets a stage without duties of its own say which duties run during it."""
    s = resolve(settings or OrderSettings(), scenario)
    election = scenario.operation.election_date
    stage = block.stage
    polda = f"DAERAH {s.polda.upper()}" if s.polda else "DAERAH"
    resort = s.polres.upper().replace("POLRES ", "")
    out: list[pdf.Block] = [
        pdf.Paragraph("KEPOLISIAN NEGARA REPUBLIK INDONESIA", 9, bold=True, space_before=0),
        pdf.Paragraph(polda, 9, bold=True, space_before=0),
        pdf.Paragraph(f"RESOR {resort}", 9, bold=True, space_before=0),
        pdf.Paragraph("RENCANA PENGAMANAN (RENPAM)", 12, bold=True, align="center", space_before=14),
        pdf.Paragraph(
            f"Nomor: Renpam/{BLANK}/{ROMAN[election.month - 1]}/OPS.1.3./{election.year}",
            9,
            align="center",
            space_before=2,
        ),
        pdf.Paragraph(f"TAHAP {block.number}: {stage.name.upper()}", 10, bold=True, align="center", space_before=6),
        pdf.Paragraph(scenario.operation.name.upper(), 9, bold=True, align="center", space_before=1),
    ]
    out += _situasi(scenario, plan, block, blocks)
    out += _section("II. TUJUAN")
    out.append(
        _text(f"Terwujudnya situasi kamtibmas yang aman dan kondusif pada tahap {stage.name}: {TUJUAN[stage.kind]}.")
    )
    out += _kekuatan(scenario, block)
    out += _daftar_pos(block, election)
    out += _section("V. CARA BERTINDAK")
    out += [_text(f"{n}. {line}") for n, line in enumerate(CARA_BERTINDAK[stage.kind], start=1)]
    out += _kodal(scenario, block)
    out += _logistik(scenario, block)
    out += [
        pdf.Paragraph(f"{s.city}, {issued_text(s, election)}", 9, align="right", space_before=16, keep=True),
        *([pdf.Paragraph(s.on_behalf, 9, bold=True, align="right", space_before=4, keep=True)] if s.on_behalf else []),
        pdf.Paragraph(s.signer_title, 9, bold=True, align="right", space_before=2, keep=True),
        pdf.Paragraph(s.signer_name or " ", 9, bold=True, align="right", space_before=34, keep=True),
        pdf.Paragraph(f"{s.signer_rank} NRP {s.signer_nrp}", 9, align="right", space_before=0, keep=True),
    ]
    head = f"Renpam tahap {block.number}: {stage.name} | {scenario.operation.name}"
    return pdf.pages_pdf(pdf.flow(out, size=pdf.A4, head=head), title=f"Renpam {stage.name} {scenario.operation.name}")


def _section(title: str) -> list[pdf.Block]:
    return [pdf.Paragraph(title, 10, bold=True, space_before=12)]


def _text(text: str) -> pdf.Paragraph:
    return pdf.Paragraph(text, 9, space_before=3)


def _situasi(
    scenario: Scenario, plan: Plan, block: schedule.StageBlock, blocks: Sequence[schedule.StageBlock]
) -> list[pdf.Block]:
    stage, election = block.stage, scenario.operation.election_date
    when = schedule.window(election, stage.start, stage.end, year=True)
    regions = scenario.region_by_code()
    kec = sorted({x.duty.kecamatan_code for x in block.lines if x.duty.kecamatan_code})
    desa = {x.duty.desa_code for x in block.lines if x.duty.desa_code}
    posts = {p.id: p for p in plan.posts}
    if any(x.vote for x in block.lines):
        tps = {t for x in block.lines if x.duty.id in posts for t in posts[x.duty.id].tps}
    else:  # the TPS of the desa (else kecamatan) the stage's duties serve
        tps = {
            t.id
            for t in scenario.tps
            if t.desa_code in desa
            or (not desa and regions.get(t.desa_code) and regions[t.desa_code].parent_code in kec)
        }
    categories = Counter(plan.tps_categories.get(t) for t in tps)
    by_category = ", ".join(f"{CATEGORY_LABEL.get(c, c.value)} {categories[c]}" for c in Category if categories[c])
    kinds = Counter(x.duty.kind for x in block.lines)
    places = len({x.duty.place for x in block.lines})
    out = [
        *_section("I. SITUASI"),
        _text(
            f"1. Tahap {stage.name} berlangsung {when} ({schedule.hours(stage.start, stage.end)}); H adalah hari "
            f"pemungutan suara, {day_and_date(election)}."
        ),
    ]
    if block.lines:
        where = ", ".join(regions[k].name for k in kec if k in regions) or "tingkat Polres"
        out.append(
            _text(
                f"2. Tahap ini memuat {len(block.lines)} tugas pada {places} tempat "
                f"({', '.join(f'{_kind(k)} {n}' for k, n in kinds.items())}), di kecamatan: {where}."
            )
        )
        if tps:
            villages = len({t.desa_code for t in scenario.tps if t.id in tps})
            out.append(
                _text(
                    f"3. TPS yang terkait: {len(tps)} TPS di {villages} desa; menurut kerawanan: {by_category or '-'}."
                )
            )
    else:
        text = schedule.overlapping(blocks, block)
        out.append(
            _text(
                "2. Tahap ini tidak memuat tugas pos tersendiri"
                + (f"; berlangsung bersamaan: {text}." if text else ".")
            )
        )
    return out


KIND_LABEL = {
    "TPS": "pos TPS",
    "VILLAGE": "jaga balai desa",
    "STANDBY": "siaga TNI",
    "PATROL": "patroli",
    "RESERVE": "cadangan",
    duty_data.GUDANG_KPU: "jaga gudang KPU",
    duty_data.GUDANG_PPK: "jaga gudang PPK",
    duty_data.KAWAL: "pengawalan",
    duty_data.PATROLI: "patroli masa tenang",
    duty_data.BALAI_DESA: "jaga balai desa",
    duty_data.PPK: "pengamanan PPK",
    duty_data.KPU: "pengamanan KPU",
    duty_data.BAWASLU: "pengamanan Bawaslu",
}


def _kind(kind: str) -> str:
    return KIND_LABEL.get(kind, kind.lower())


KEKUATAN_COLUMNS = (
    pdf.Column("No", 22, "right"),
    pdf.Column("Satuan asal", 200),
    *(pdf.Column(SLOT_LABEL[s], 55, "right") for s in schedule.SLOT_ORDER),
    pdf.Column("Jumlah", 55, "right"),
)


def _kekuatan(scenario: Scenario, block: schedule.StageBlock) -> list[pdf.Block]:
    """People (each counted once) by unit and force; then what the duties ask for, per slot,
    summed over the duties and their shifts."""
    units = scenario.unit_by_code()
    regions = scenario.region_by_code()
    seen: dict[str, tuple[str, str]] = {}
    for line in block.lines:
        for person, slot in line.people:
            desa = regions.get(person.desa_code)
            seen.setdefault(
                person.id, (unit_label(units.get(person.unit_code), person, desa.name if desa else ""), slot)
            )
    by_unit: dict[str, Counter[str]] = defaultdict(Counter)
    for unit, slot in seen.values():
        by_unit[unit][slot] += 1
    linmas = [u for u in by_unit if set(by_unit[u]) == {"LINMAS"}]
    rows: list[pdf.Row] = [
        _slot_row(str(n), unit, by_unit[unit])
        for n, unit in enumerate(sorted(u for u in by_unit if u not in linmas), start=1)
    ]
    if linmas:  # one line for the Linmas of every desa: a regency has hundreds
        count = Counter({"LINMAS": sum(by_unit[u]["LINMAS"] for u in linmas)})
        rows.append(_slot_row(str(len(rows) + 1), f"Linmas ({len(linmas)} desa)", count))
    rows.append(_slot_row("", "Jumlah personel", Counter(slot for _, slot in seen.values()), bold=True))
    for label, which in (("Kebutuhan (tugas x shift)", "required"), ("Terisi", "filled"), ("Kurang", "short")):
        sums: Counter[str] = Counter()
        for line in block.lines:
            sums.update(getattr(line, which))
        rows.append(_slot_row("", label, sums, bold=which == "short"))
    out = _section("III. KEKUATAN")
    if not block.lines:
        return [*out, _text("Tidak ada kekuatan yang ditugaskan khusus untuk tahap ini.")]
    return [
        *out,
        _text(
            f"Kekuatan tahap ini {len(seen)} personel; seorang yang bertugas dalam beberapa shift dihitung sekali. "
            "Kebutuhan, terisi dan kurang dihitung per tugas dan shift."
        ),
        pdf.Table(KEKUATAN_COLUMNS, tuple(rows), size=SIZE),
    ]


def _slot_row(no: str, label: str, counts: Counter[str], bold: bool = False) -> pdf.Cells:
    cells = (no, label, *(_count(counts[s]) for s in schedule.SLOT_ORDER), str(sum(counts.values())))
    return pdf.Cells(cells, bold=bold, shade=0.93 if bold else None)


def _count(n: int) -> str:
    return str(n) if n else "-"


POS_COLUMNS = (
    pdf.Column("No", 22, "right"),
    pdf.Column("Tugas / pos", 150),
    pdf.Column("Tempat", 110),
    pdf.Column("Waktu", 105),
    pdf.Column("Kebutuhan", 70),
    pdf.Column("Kurang", 50),
    pdf.Column("Ketua pos", 100),
)


def _daftar_pos(block: schedule.StageBlock, election: dt.date) -> list[pdf.Block]:
    out = _section("IV. DAFTAR POS DAN TUGAS")
    if not block.lines:
        return [*out, _text("Tidak ada pos tersendiri pada tahap ini.")]
    rows = tuple(
        pdf.Cells(
            (
                str(n),
                line.name,
                line.place,
                schedule.window(election, line.duty.start, line.duty.end),
                schedule.by_slot(line.required),
                schedule.by_slot(line.short),
                f"{person_label(line.ketua)} ({line.ketua.phone or '-'})" if line.ketua else "-",
            ),
            shade=0.9 if line.short else None,
        )
        for n, line in enumerate(block.lines, start=1)
    )
    return [*out, pdf.Table(POS_COLUMNS, rows, size=7)]


KODAL_COLUMNS = (
    pdf.Column("No", 22, "right"),
    pdf.Column("Jabatan dalam operasi", 190),
    pdf.Column("Nama", 140),
    pdf.Column("Pangkat / NRP", 95),
    pdf.Column("No. HP", 80),
)


def _kodal(scenario: Scenario, block: schedule.StageBlock) -> list[pdf.Block]:
    polres = {u.code for u in scenario.units if u.kind == UnitKind.POLRES}
    regions = scenario.region_by_code()
    rows: list[pdf.Row] = []
    for role in (positions.PENANGGUNG_JAWAB, positions.WAKIL, positions.KAOPS):
        p = positions.holder(scenario, role, polres) or positions.holder(scenario, role)
        rows.append(_office(str(len(rows) + 1), positions.ROLE_LABEL[role], p))
    padal = positions.padal_by_kecamatan(scenario)
    kec = sorted({x.duty.kecamatan_code for x in block.lines if x.duty.kecamatan_code})
    for code in kec:
        region = regions.get(code)
        label = f"{positions.ROLE_LABEL[positions.PADAL]} Kecamatan {region.name if region else code}"
        rows.append(_office(str(len(rows) + 1), label, padal.get(code)))
    return [
        *_section("VI. KENDALI OPERASI (KODAL)"),
        _text(
            "Ketua pos melapor kepada Padal kecamatannya; Padal melapor kepada Kaops di Posko; Kaops kepada "
            "Kapolres. Ketua pos setiap tugas tercantum dalam bagian IV."
        ),
        pdf.Table(KODAL_COLUMNS, tuple(rows), size=SIZE),
    ]


def _office(no: str, role: str, p: Person | None) -> pdf.Cells:
    if p is None:
        return pdf.Cells((no, role, "belum ditunjuk", "-", "-"))
    return pdf.Cells((no, role, p.name, f"{p.rank} {p.id}".strip(), p.phone or "-"))


def _logistik(scenario: Scenario, block: schedule.StageBlock) -> list[pdf.Block]:
    out = _section("VII. LOGISTIK")
    if not block.lines:
        return [*out, _text("Tidak ada kebutuhan logistik khusus untuk tahap ini.")]
    runs = [x for x in block.lines if x.duty.kind == duty_data.KAWAL]
    shifts = [x for x in block.lines if x.duty.shift]
    guarded = {x.duty.place for x in shifts}
    stores = {x.duty.place for x in block.lines if x.duty.kind in (duty_data.GUDANG_KPU, duty_data.GUDANG_PPK)}
    person_hours = sum(x.duty.hours * sum(x.filled.values()) for x in block.lines)
    meals = sum(math.ceil(x.duty.hours / MEAL_HOURS) * sum(x.required.values()) for x in block.lines)
    items = [
        f"Radio (HT): {len({x.duty.place for x in block.lines if not x.duty.route}) + len(runs)} unit, satu untuk "
        "setiap tempat jaga dan setiap perjalanan pengawalan; shift berikutnya memakai radio yang sama.",
        f"Konsumsi: {meals} porsi, satu porsi per personel per {MEAL_HOURS:g} jam tugas; "
        f"jumlah jam tugas personel yang terisi {round(person_hours):,} jam.".replace(",", "."),
    ]
    if runs:
        items.append(
            f"Kendaraan pengawalan: {len(runs)} unit, satu untuk setiap perjalanan pengawalan (bawaan Siaga); "
            "manifes memuat jumlah kotak, bilik, segel dan nomor polisi kendaraan; "
            "berita acara serah terima di setiap ujung."
        )
    if shifts:
        items.append(
            f"Shift: {len(shifts)} shift jaga pada {len(guarded)} tempat; "
            "pergantian shift di tempat, dicatat dalam buku mutasi."
        )
    if stores:
        items.append(
            f"Gudang: {len(stores)} gudang, masing-masing tiga gembok (Polsek, PPK, Panwascam) dan buku mutasi."
        )
    if any(x.vote for x in block.lines):
        items.append(
            "Personel pos TPS menginap di pos bersama logistik; senjata api dititipkan kepada bagian logistik "
            "pada apel pergeseran (tim Brimob dan TNI tetap bersenjata)."
        )
    return [*out, *(_text(f"{n}. {t}") for n, t in enumerate(items, start=1))]
