"""The Sprin (surat perintah) and its lampiran, the ploting, as one A4 PDF in Indonesian.

The letter (letterhead, number, Pertimbangan, Dasar, Kepada, Untuk, place, date and the
Kapolres's signature block) is HTML laid out by WeasyPrint; the lampiran (headline, recap of
force by kecamatan, unfilled slots, then every person by kecamatan > desa > post with
subtotals) is drawn as long landscape tables (see pdf.py for why). Every text that comes from
the scenario or the settings is escaped.

`OrderSettings` holds what a Kabag Ops edits; each blank field gets a default derived from
the scenario: the Polres from its POLRES unit, the Polda from the province code, the number
from the election date, the legal basis from the kind of election, the signer from the person
in the Kapolres position (`positions`), or, when no one holds it, the highest-ranked member
of the Polres. When positions are given, the organisation annex (susunan organisasi: the
Penanggung jawab, Wakil, Kaops, a Padal per kecamatan and the staff) comes before the ploting.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, replace

from siaga.core.data import positions
from siaga.core.data.model import Force, Level, Person, Scenario, UnitKind
from siaga.core.data.ranks import leader
from siaga.core.documents import pdf
from siaga.core.documents.ploting import FORCE_LABEL, FORCES, Ploting

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
BLANK = "\u00a0" * 8  # room to write the number or the day by hand (no-break spaces survive layout)
PDP_LAW_IN_FORCE = dt.date(2022, 10, 17)  # UU 27/2022 tentang Pelindungan Data Pribadi

# Polda by province code (Kemendagri); Jakarta's is Polda Metro Jaya.
POLDA = {
    "11": "ACEH",
    "12": "SUMATERA UTARA",
    "13": "SUMATERA BARAT",
    "14": "RIAU",
    "15": "JAMBI",
    "16": "SUMATERA SELATAN",
    "17": "BENGKULU",
    "18": "LAMPUNG",
    "19": "KEPULAUAN BANGKA BELITUNG",
    "21": "KEPULAUAN RIAU",
    "31": "METRO JAYA",
    "32": "JAWA BARAT",
    "33": "JAWA TENGAH",
    "34": "DAERAH ISTIMEWA YOGYAKARTA",
    "35": "JAWA TIMUR",
    "36": "BANTEN",
    "51": "BALI",
    "52": "NUSA TENGGARA BARAT",
    "53": "NUSA TENGGARA TIMUR",
    "61": "KALIMANTAN BARAT",
    "62": "KALIMANTAN TENGAH",
    "63": "KALIMANTAN SELATAN",
    "64": "KALIMANTAN TIMUR",
    "65": "KALIMANTAN UTARA",
    "71": "SULAWESI UTARA",
    "72": "SULAWESI TENGAH",
    "73": "SULAWESI SELATAN",
    "74": "SULAWESI TENGGARA",
    "75": "GORONTALO",
    "76": "SULAWESI BARAT",
    "81": "MALUKU",
    "82": "MALUKU UTARA",
    "91": "PAPUA",
    "92": "PAPUA BARAT",
}


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_and_date(day: dt.date) -> str:
    return f"{DAYS[day.weekday()]}, tanggal {long_date(day)}"


@dataclass(frozen=True)
class OrderSettings:
    """What the Sprin says beyond the plan. Blank fields take the defaults described above."""

    polres: str = ""  # "Polres Pasuruan Kota"
    polda: str = ""  # "JAWA TIMUR" (the letterhead adds "DAERAH")
    city: str = ""  # where it is issued: "Pasuruan"
    number: str = ""  # "Sprin/   /III/OPS.1.3./2022"
    issued: dt.date | None = None  # None: the day is left blank to fill in by hand, like the number
    pertimbangan: tuple[str, ...] = ()
    dasar: tuple[str, ...] = ()
    untuk: tuple[str, ...] = ()
    tembusan: tuple[str, ...] = ()
    signer_name: str = ""
    signer_rank: str = ""
    signer_nrp: str = ""
    signer_title: str = ""  # "KEPALA KEPOLISIAN RESOR PASURUAN KOTA"


def election_kind(scenario: Scenario) -> str:
    words = f"{scenario.operation.name} {scenario.operation.pattern}".lower()
    if "pilkades" in words:
        return "PILKADES"
    return "PILKADA" if "pilkada" in words else "PEMILU"


KIND_TEXT = {
    "PILKADES": "Pemilihan Kepala Desa (Pilkades) serentak",
    "PILKADA": "Pemilihan Kepala Daerah (Pilkada) serentak",
    "PEMILU": "Pemilihan Umum (Pemilu)",
}


def resolve(settings: OrderSettings, scenario: Scenario) -> OrderSettings:
    """The settings with every blank field filled from the scenario."""
    op = scenario.operation
    day = op.election_date
    polres_units = [u for u in scenario.units if u.kind == UnitKind.POLRES]
    polres = settings.polres or (polres_units[0].name if len(polres_units) == 1 else op.name)
    place = re.sub(r"(?i)^polres(ta|tabes)?\s+|\s+kota$|^kab(upaten)?\.?\s+", "", polres).strip() or polres
    province = next((r.code[:2] for r in scenario.regions if r.level in (Level.KABUPATEN, Level.KOTA)), "")
    polres_codes = {u.code for u in polres_units}
    signer = (
        positions.holder(scenario, positions.PENANGGUNG_JAWAB, polres_codes)
        or positions.holder(scenario, positions.PENANGGUNG_JAWAB)
        or leader(p for p in scenario.personnel if p.unit_code in polres_codes)
        or leader(p for p in scenario.personnel if p.force == Force.POLRI)
    )
    kind = election_kind(scenario)
    text = KIND_TEXT[kind]
    when = day_and_date(day)
    apel = day_and_date(day - dt.timedelta(days=1))
    pdp = day >= PDP_LAW_IN_FORCE
    committee = "panitia pemilihan" if kind == "PILKADES" else "KPPS"
    defaults = OrderSettings(
        polres=polres,
        polda=POLDA.get(province, ""),
        city=place.title() if place.isupper() else place,
        number=f"Sprin/{BLANK}/{ROMAN[day.month - 1]}/OPS.1.3./{day.year}",
        pertimbangan=(
            f"bahwa dalam rangka pengamanan {text} di wilayah hukum {polres} pada hari {when}, "
            "berdasarkan analisa kerawanan kamtibmas tiap TPS, perlu dikeluarkan Surat Perintah "
            "penempatan personel gabungan.",
        ),
        dasar=_dasar(kind, scenario, pdp),
        untuk=(
            f"melaksanakan pengamanan {text} di wilayah hukum {polres} pada hari {when}, dalam {op.name};",
            "menempati pos sebagaimana tersebut dalam lampiran Surat Perintah ini (pos TPS, jaga balai desa "
            f"dan cadangan); mengikuti apel gelar pasukan pada hari {apel} (H-1), kemudian bergeser ke pos "
            f"masing-masing dan berkoordinasi dengan {committee}, KPPS, Linmas, unsur TNI dan kepala desa;",
            "personel Polri berada di luar TPS dan baru masuk apabila diminta oleh KPPS;",
            "melaporkan setiap perkembangan situasi dan kejadian menonjol kepada ketua pos dan Padal "
            "(perwira pengendali) kecamatan masing-masing, untuk diteruskan secara berjenjang kepada Kapolres;",
            "menggunakan data pribadi personel dalam lampiran hanya untuk keperluan operasi ini dan tidak "
            "menyebarluaskannya" + (" (UU Nomor 27 Tahun 2022);" if pdp else ";"),
            "melaksanakan perintah ini dengan saksama dan penuh rasa tanggung jawab.",
        ),
        tembusan=(f"Kapolda {(POLDA.get(province) or '').title()}".strip(),),
        signer_name=signer.name if signer else "",
        signer_rank=signer.rank if signer else "",
        signer_nrp=signer.id if signer else "",
        signer_title=f"KEPALA KEPOLISIAN RESOR {_resort(polres)}",
    )
    filled = {name: getattr(settings, name) or getattr(defaults, name) for name in settings.__dataclass_fields__}
    return replace(settings, **filled)


def _resort(polres: str) -> str:
    return re.sub(r"(?i)^polres(ta|tabes)?\s+", "", polres).upper()


def _regency_rule(scenario: Scenario) -> str:
    regencies = [r for r in scenario.regions if r.level in (Level.KABUPATEN, Level.KOTA)]
    if len(regencies) != 1:
        return "Peraturan Daerah dan Peraturan Bupati/Wali Kota setempat tentang Pemilihan Kepala Desa;"
    r = regencies[0]
    name = re.sub(r"(?i)^(kab(upaten)?\.?|kota)\s+", "", r.name).strip()
    name = name.title() if name.isupper() else name
    head = "Bupati" if r.level == Level.KABUPATEN else "Wali Kota"
    return f"Peraturan Daerah dan Peraturan {head} {name} tentang Pemilihan Kepala Desa;"


def _dasar(kind: str, scenario: Scenario, pdp: bool) -> tuple[str, ...]:
    op = scenario.operation.name
    laws = ["Undang-Undang Nomor 2 Tahun 2002 tentang Kepolisian Negara Republik Indonesia;"]
    if kind == "PILKADES":
        laws += [
            "Peraturan Menteri Dalam Negeri Nomor 112 Tahun 2014 tentang Pemilihan Kepala Desa sebagaimana "
            "telah diubah dengan Peraturan Menteri Dalam Negeri Nomor 65 Tahun 2017 dan Peraturan Menteri "
            "Dalam Negeri Nomor 72 Tahun 2020;",
            _regency_rule(scenario),
        ]
    elif kind == "PILKADA":
        laws.append(
            "Undang-Undang Nomor 10 Tahun 2016 tentang Perubahan Kedua atas Undang-Undang Nomor 1 Tahun 2015 "
            "tentang Pemilihan Gubernur, Bupati, dan Wali Kota;"
        )
    else:
        laws.append("Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum;")
    if pdp:
        laws.append("Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi;")
    laws += [f"Rencana Operasi (Renops) {op};", f"Perintah Pelaksanaan Operasi (Prinlak Ops) {op}."]
    return tuple(laws)


def issued_text(s: OrderSettings, election: dt.date) -> str:
    if s.issued:
        return long_date(s.issued)
    return f"{BLANK}{MONTHS[election.month - 1]} {election.year}"


# ---------------------------------------------------------------- the letter (HTML)

LETTER_CSS = """
.kop { display: inline-block; text-align: center; font-weight: bold; font-size: 10.5pt; line-height: 1.25; }
.kop .rule { border-top: 1.2pt solid #000; margin-top: 2pt; }
.title { text-align: center; margin: 12pt 0 8pt; }
.title h1 { font-size: 12pt; margin: 0; text-decoration: underline; letter-spacing: 1pt; }
.title p { margin: 2pt 0 0; }
table.parts { width: 100%; margin-top: 6pt; }
table.parts td { vertical-align: top; padding: 0 0 4pt; text-align: justify; }
table.parts td.label { width: 28mm; text-align: left; }
table.parts td.colon { width: 5mm; }
ol { margin: 0; padding-left: 6mm; }
ol li { margin-bottom: 2pt; }
.order { text-align: center; font-weight: bold; letter-spacing: 2pt; margin: 6pt 0 8pt; }
.sign { margin-left: 46%; margin-top: 8pt; break-inside: avoid; }
.sign table td { padding: 0 4pt 0 0; }
.sign .who { margin-top: 2pt; font-weight: bold; }
.sign .name { margin-top: 17mm; font-weight: bold; text-decoration: underline; }
.copies { margin-top: 14pt; font-size: 9.5pt; break-inside: avoid; }
.copies p { margin: 0; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _ol(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return _e(items[0])
    return "<ol>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ol>"


def letter_html(s: OrderSettings, scenario: Scenario) -> str:
    """The letter: HTML for pdf.compose."""
    polda = f"DAERAH {s.polda.upper()}" if s.polda else "DAERAH"
    parts = "".join(
        f'<tr><td class="label">{label}</td><td class="colon">:</td><td>{body}</td></tr>'
        for label, body in (("Pertimbangan", _ol(s.pertimbangan)), ("Dasar", _ol(s.dasar)))
    )
    orders = "".join(
        f'<tr><td class="label">{label}</td><td class="colon">:</td><td>{body}</td></tr>'
        for label, body in (
            ("Kepada", "Personel sebagaimana tersebut dalam lampiran Surat Perintah ini."),
            ("Untuk", _ol(s.untuk)),
        )
    )
    copies = "".join(f"<p>{n}. {_e(c)}</p>" for n, c in enumerate(s.tembusan, start=1))
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Surat Perintah {_e(scenario.operation.name)}</title>
<style>{LETTER_CSS}</style></head><body>
<div class="kop">KEPOLISIAN NEGARA REPUBLIK INDONESIA<br>{_e(polda)}<br>RESOR {_e(_resort(s.polres))}
<div class="rule"></div></div>
<div class="title"><h1>SURAT PERINTAH</h1><p>Nomor: {_e(s.number)}</p></div>
<table class="parts">{parts}</table>
<div class="order">DIPERINTAHKAN</div>
<table class="parts">{orders}</table>
<div class="sign">
<table><tr><td>Dikeluarkan di</td><td>:</td><td>{_e(s.city)}</td></tr>
<tr><td>pada tanggal</td><td>:</td><td>{_e(issued_text(s, scenario.operation.election_date))}</td></tr></table>
<div class="who">{_e(s.signer_title)}</div>
<div class="name">{_e(s.signer_name) or "&nbsp;"}</div>
<div>{_e(s.signer_rank)} NRP {_e(s.signer_nrp)}</div>
</div>
{f'<div class="copies"><p>Tembusan:</p>{copies}</div>' if copies else ""}
</body></html>"""


# ---------------------------------------------------------------- the lampiran (drawn tables)

PLOTING_COLUMNS = (  # points; the widest usual values fit on one line at 6.5 pt
    pdf.Column("No", 20, "right"),
    pdf.Column("Nama", 88),
    pdf.Column("Pangkat", 36),
    pdf.Column("NRP/NIK", 70),
    pdf.Column("Satuan asal", 92),
    pdf.Column("Tugas", 62),
    pdf.Column("Kecamatan", 52),
    pdf.Column("Desa", 52),
    pdf.Column("TPS", 22),
    pdf.Column("Kategori", 48),
    pdf.Column("Pola", 112),
    pdf.Column("Ketua pos", 82),
    pdf.Column("No. HP", 48),
)
PLOTING_SIZE = 6.5
GAP_SHADE = 0.9


def _n(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _forces(counts: dict[Force, int]) -> str:
    return ", ".join(f"{FORCE_LABEL[f]} {_n(n)}" for f, n in counts.items() if n) or "-"


def annex_blocks(ploting: Ploting, s: OrderSettings, election: dt.date) -> list[pdf.Block]:
    """Headline, recap, unfilled slots, then the ploting itself."""
    scope = f" KECAMATAN {ploting.scope_name.upper()}" if ploting.scope_code else ""
    blocks: list[pdf.Block] = [
        pdf.Paragraph(f"LAMPIRAN SURAT PERINTAH KAPOLRES {_resort(s.polres)}", 8, align="right", space_before=0),
        pdf.Paragraph(f"NOMOR: {s.number}", 8, align="right", space_before=0),
        pdf.Paragraph(f"TANGGAL: {issued_text(s, election).upper()}", 8, align="right", space_before=0),
        pdf.Paragraph(f"DAFTAR PLOTING PERSONEL{scope}", 11, bold=True, align="center", space_before=8),
        pdf.Paragraph(ploting.operation.upper(), 9, bold=True, align="center", space_before=1),
        pdf.Paragraph(ploting.headline(), 10, bold=True, space_before=10),
        pdf.Paragraph(ploting.assigned_line() + f". Pola pengamanan: {ploting.pattern}.", 8.5),
    ]
    if ploting.unfilled:
        blocks.append(
            pdf.Paragraph(
                f"PERHATIAN: {_n(ploting.unfilled)} slot belum terisi (lihat daftar slot kosong di bawah). "
                "Pos dengan slot kosong tidak sesuai pola.",
                8.5,
                bold=True,
            )
        )
    else:
        blocks.append(pdf.Paragraph("Semua slot pos terisi.", 8.5))
    blocks.append(pdf.Paragraph("Rekapitulasi kekuatan per kecamatan", 9, bold=True, space_before=8))
    blocks.append(_recap_table(ploting))
    if ploting.gaps:
        blocks.append(pdf.Paragraph("Slot kosong (belum ada personel)", 9, bold=True, space_before=8))
        blocks.append(_gap_table(ploting))
    blocks += [pdf.PageBreak(), _ploting_table(ploting)]
    blocks += [
        pdf.Paragraph(s.signer_title, 8.5, bold=True, align="right", space_before=14),
        pdf.Paragraph(s.signer_name or " ", 8.5, bold=True, align="right", space_before=34),
        pdf.Paragraph(f"{s.signer_rank} NRP {s.signer_nrp}", 8.5, align="right", space_before=0),
    ]
    return blocks


def _recap_table(ploting: Ploting) -> pdf.Table:
    columns = (
        pdf.Column("No", 22, "right"),
        pdf.Column("Kecamatan", 110),
        pdf.Column("Desa", 40, "right"),
        pdf.Column("TPS", 40, "right"),
        *(pdf.Column(FORCE_LABEL[f], 50, "right") for f in FORCES),
        pdf.Column("Jumlah", 55, "right"),
        pdf.Column("Slot kosong", 55, "right"),
    )
    lines = ploting.recap()
    rows = [
        pdf.Cells(
            (
                str(i) if i < len(lines) else "",
                name,
                _n(desa),
                _n(tps),
                *(_n(counts[f]) for f in FORCES),
                _n(total),
                _n(gaps),
            ),
            bold=i == len(lines),
            shade=0.93 if i == len(lines) else None,
        )
        for i, (name, desa, tps, counts, total, gaps) in enumerate(lines, start=1)
    ]
    return pdf.Table(columns, tuple(rows), size=8)


def _gap_table(ploting: Ploting) -> pdf.Table:
    columns = (
        pdf.Column("No", 22, "right"),
        pdf.Column("Kecamatan", 90),
        pdf.Column("Desa", 90),
        pdf.Column("Pos", 150),
        pdf.Column("Tugas", 80),
        pdf.Column("Unsur", 60),
        pdf.Column("Kosong", 50, "right"),
    )
    rows = [
        pdf.Cells((str(i), g.kecamatan, g.desa, g.post_id, g.task, g.slot, _n(g.count)))
        for i, g in enumerate(ploting.gaps, start=1)
    ]
    rows.append(pdf.Cells(("", "Jumlah", "", "", "", "", _n(ploting.unfilled)), bold=True, shade=0.93))
    return pdf.Table(columns, tuple(rows), size=8)


def _ploting_table(ploting: Ploting) -> pdf.Table:
    rows: list[pdf.Row] = []
    for k in ploting.kecamatan:
        counts = k.force_counts()
        title = f"KECAMATAN {k.name.upper()}" if k.code else k.name.upper()
        padal = f" | Padal: {_who(k.padal)}" if k.code else ""
        rows.append(pdf.Band(f"{title}: {_n(k.persons)} personel, {_n(k.tps)} TPS{padal}", 0))
        for d in k.desa:
            label = f"Desa {d.name}: {_n(d.tps)} TPS, {_n(d.persons)} personel" if d.code else f"{d.name} (Brimob)"
            rows.append(pdf.Band(label, 1))
            for p in d.posts:
                tps = f" | TPS {', '.join(p.tps_ids)}" if p.tps_ids else ""
                rows.append(pdf.Band(f"{p.task} {p.post.id}{tps} | {p.category} | Ketua pos: {_who(p.ketua)}", 2))
                rows += [
                    pdf.Cells(
                        (
                            str(r.no),
                            r.name,
                            r.rank or "-",
                            r.nrp,
                            r.unit,
                            r.task,
                            r.kecamatan,
                            r.desa,
                            _tps_cell(r.tps_short, len(r.tps_numbers)),
                            r.category,
                            r.pola,
                            r.ketua,
                            r.phone or "-",
                        ),
                    )
                    for r in p.rows
                ]
                rows += [
                    pdf.Span(f"BELUM TERISI: {g.count} {g.slot} (slot kosong, belum ada personel)", shade=GAP_SHADE)
                    for g in p.gaps
                ]
            if d.code:
                desa_counts = {f: sum(1 for p in d.posts for r in p.rows if r.force == f) for f in FORCES}
                rows.append(
                    pdf.Span(f"Jumlah Desa {d.name}: {_n(d.persons)} personel ({_forces(desa_counts)})", bold=True)
                )
        rows.append(
            pdf.Span(
                f"Jumlah {title.title() if k.code else k.name}: {_n(k.persons)} personel "
                f"({_forces({f: counts[f] for f in FORCES})}), {_n(k.tps)} TPS",
                shade=0.93,
            )
        )
    rows.append(pdf.Span(f"JUMLAH SELURUHNYA: {ploting.headline()}. {ploting.assigned_line()}.", shade=0.85))
    return pdf.Table(PLOTING_COLUMNS, tuple(rows), size=PLOTING_SIZE)


def _who(person: Person | None) -> str:
    return f"{person.rank} {person.name} ({person.phone or '-'})".strip() if person else "-"


ORGANISATION_COLUMNS = (
    pdf.Column("No", 22, "right"),
    pdf.Column("Jabatan dalam operasi", 150),
    pdf.Column("Nama", 130),
    pdf.Column("Pangkat", 60),
    pdf.Column("NRP", 70),
    pdf.Column("Jabatan", 150),
    pdf.Column("No. HP", 80),
)


def organisation_blocks(scenario: Scenario, s: OrderSettings, election: dt.date) -> list[pdf.Block]:
    """The organisation annex (susunan organisasi), or nothing when no one has a position."""
    offices = positions.organisation(scenario)
    if not offices:
        return []
    regions = scenario.region_by_code()
    rows = []
    for i, o in enumerate(offices, start=1):
        role = positions.ROLE_LABEL[o.role]
        if o.kecamatan_code:
            place = regions.get(o.kecamatan_code)
            role += f" Kecamatan {place.name if place else o.kecamatan_code}"
        p = o.person
        rows.append(pdf.Cells((str(i), role, p.name, p.rank or "-", p.id, p.position, p.phone or "-")))
    return [
        pdf.Paragraph(f"LAMPIRAN I SURAT PERINTAH KAPOLRES {_resort(s.polres)}", 8, align="right", space_before=0),
        pdf.Paragraph(f"NOMOR: {s.number}", 8, align="right", space_before=0),
        pdf.Paragraph(f"TANGGAL: {issued_text(s, election).upper()}", 8, align="right", space_before=0),
        pdf.Paragraph("SUSUNAN ORGANISASI OPERASI", 11, bold=True, align="center", space_before=8),
        pdf.Paragraph(scenario.operation.name.upper(), 9, bold=True, align="center", space_before=1),
        pdf.Paragraph(
            "Komando dan staf operasi tidak ditempatkan pada pos TPS, jaga balai desa maupun tim cadangan.",
            8.5,
            space_before=10,
        ),
        pdf.Table(ORGANISATION_COLUMNS, tuple(rows), size=8),
        pdf.Paragraph(s.signer_title, 8.5, bold=True, align="right", space_before=14),
        pdf.Paragraph(s.signer_name or " ", 8.5, bold=True, align="right", space_before=34),
        pdf.Paragraph(f"{s.signer_rank} NRP {s.signer_nrp}", 8.5, align="right", space_before=0),
        pdf.PageBreak(),
    ]


def _tps_cell(numbers: str, count: int) -> str:
    """The TPS numbers when they fit the column, else their count (the post's band lists them)."""
    room = PLOTING_COLUMNS[8].width - 2 * pdf.PAD
    return numbers if pdf.text_width(numbers, PLOTING_SIZE) <= room else f"{count} TPS"


def sprin_pdf(scenario: Scenario, ploting: Ploting, settings: OrderSettings | None = None) -> pdf.Rendered:
    """The Sprin with its lampiran, as PDF bytes."""
    s = resolve(settings or OrderSettings(), scenario)
    head = f"Lampiran Sprin {s.number} | {ploting.operation}"
    election = scenario.operation.election_date
    pages = pdf.flow(organisation_blocks(scenario, s, election) + annex_blocks(ploting, s, election), head=head)
    return pdf.compose(letter_html(s, scenario), pages)
