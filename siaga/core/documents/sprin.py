"""The Sprin (surat perintah) and its lampiran, as one A4 PDF in Indonesian.

The letter (letterhead, number, Pertimbangan, Dasar, Kepada, Untuk, place, date, the signature
block and the Tembusan, the last two kept together on one page) is laid out on portrait A4
(`letter_blocks`); the lampiran follow as long landscape tables (pdf.py), numbered in order:

- the organisation (susunan organisasi), when someone has a position: Penanggung jawab
  (Kapolres), Wakil (Wakapolres), Kaops (Kabag Ops), each satgas with its Kasatgas
  (positions.kasatgas, "belum ditunjuk" when nobody leads it), Pam TPS under Preventif with a
  Padal per kecamatan, then the staff;
- the ploting of the Polri and Brimob, whom the Sprin commands: headline, recap of the joint
  force by kecamatan, unfilled slots, then every person by kecamatan > desa > post;
- the coordinated forces (unsur yang dikoordinasikan): TNI, Linmas and Satpol PP are not
  commanded by the Kapolres's Sprin, so they are listed apart, by kecamatan > desa > post,
  with their strength, names (a count when very many) and unit.

- the time-phased annex (with the stages, schedule.py): every stage with its window, then its
  duties with their place, window, what they ask for by force, filled and short.

A Sprin for one stage carries the stage's name under its number; for the vote it keeps the
ploting and the coordinated forces, for another stage it lists that stage's duties and the
people on each instead, and its Untuk orders that stage (unless the Kabag Ops wrote his own).

A sector chief's extract (a ploting scoped to one kecamatan) is a *petikan*: its title and
every annex heading say so. A draft (`sprin_pdf(..., draft=True)`) carries "KONSEP" across
every page. Posts are named as people read them (ploting.post_names), never by id. Every text
that comes from the scenario or the settings is printed as written (pdf.py draws text, it
interprets no markup), in any script the font has.

`OrderSettings` holds what a Kabag Ops edits; each blank field gets a default derived from
the scenario: the Polres from its POLRES unit, the Polda from the province code, the number
from the election date, the legal basis from the kind of election and the operation's Renops
and Prinlak numbers, the copies from `operation.tembusan` or the usual list (Kapolda,
Irwasda, Karoops, Bupati/Wali Kota, Dandim), the signer from the person in the Kapolres
position (`positions`), or, when no one holds it, the highest-ranked member of the Polres.
When `operation.sprin_on_behalf` names a position (Wakapolres), its holder signs "a.n." the
Kapolres, above his own title.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from siaga.core.data import owner, positions, stages
from siaga.core.data.duties import VOTE_POSTS
from siaga.core.data.model import Force, Level, Person, Scenario, StageKind, UnitKind
from siaga.core.data.ranks import leader
from siaga.core.data.text import _
from siaga.core.documents import pdf, schedule
from siaga.core.documents.ploting import (
    COMMANDED,
    COORDINATED,
    FORCE_LABEL,
    FORCES,
    SLOT_LABEL,
    DesaBlock,
    KecamatanBlock,
    Ploting,
    PostBlock,
    group_name,
    printed_id,
    unit_label,
)
from siaga.core.planning import comms

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
KONSEP = "KONSEP"  # the draft's watermark
NAMES_UP_TO = 20  # the coordination annex names a post's members of one force up to this many, else counts
BLANK = "\u00a0" * 8  # room to write the number or the day by hand (no-break spaces survive layout)
PDP_LAW_IN_FORCE = dt.date(2022, 10, 17)  # UU 27/2022 tentang Pelindungan Data Pribadi


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
    signer_title: str = ""  # "KEPALA KEPOLISIAN RESOR PASURUAN KOTA", or the signer's own ("WAKAPOLRES")
    on_behalf: str = ""  # "a.n. KEPALA KEPOLISIAN RESOR PASURUAN KOTA" above the title, or blank


def election_kind(scenario: Scenario) -> str:
    return stages.election_of(scenario.operation)


KIND_TEXT = {
    "PILKADES": "Pemilihan Kepala Desa (Pilkades) serentak",
    "PILKADA": "Pemilihan Kepala Daerah (Pilkada) serentak",
    "PEMILU": "Pemilihan Umum (Pemilu)",
}


def post_kinds(kind: str, joiner: str) -> str:
    """The posts the orders place people on: a balai desa guard only where the desa counts its
    own votes (a Pilkades); "pos TPS, jaga balai desa dan cadangan"."""
    if kind == "PILKADES":
        return f"pos TPS, jaga balai desa {joiner} cadangan"
    return f"pos TPS {joiner} cadangan"


def resolve(settings: OrderSettings, scenario: Scenario) -> OrderSettings:
    """The settings with every blank field filled from the scenario."""
    op = scenario.operation
    day = op.election_date
    polres_units = [u for u in scenario.units if u.kind == UnitKind.POLRES]
    polres = settings.polres or (polres_units[0].name if len(polres_units) == 1 else op.name)
    place = re.sub(r"(?i)^polres(ta|tabes)?\s+|\s+kota$|^kab(upaten)?\.?\s+", "", polres).strip() or polres
    province = owner.province(scenario)
    polres_codes = {u.code for u in polres_units}
    kapolres = f"KEPALA KEPOLISIAN RESOR {_resort(polres)}"
    if op.sprin_on_behalf.strip():  # a.n.: the holder of that position signs, or the name is written by hand
        signer = positions.holding(scenario, op.sprin_on_behalf, polres_codes)
        title, on_behalf = " ".join(op.sprin_on_behalf.split()).upper(), f"a.n. {kapolres}"
    else:
        signer = (
            positions.holder(scenario, positions.PENANGGUNG_JAWAB, polres_codes)
            or positions.holder(scenario, positions.PENANGGUNG_JAWAB)
            or leader(p for p in scenario.personnel if p.unit_code in polres_codes)
            or leader(p for p in scenario.personnel if p.force == Force.POLRI)
        )
        title, on_behalf = kapolres, ""
    kind = election_kind(scenario)
    text = KIND_TEXT[kind]
    when = day_and_date(day)
    parade = stages.first(scenario, StageKind.APEL_PERGESERAN) or stages.first(scenario, StageKind.PERGESERAN)
    apel_day = parade.start.date() if parade else day - dt.timedelta(days=1)
    apel = f"{day_and_date(apel_day)} ({stages.h_day(day, apel_day)})"
    pdp = day >= PDP_LAW_IN_FORCE
    committee = "panitia pemilihan" if kind == "PILKADES" else "PPS"  # the KPPS is named after it
    defaults = OrderSettings(
        polres=polres,
        polda=owner.POLDA.get(province, ""),
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
            "menempati pos sebagaimana tersebut dalam lampiran Surat Perintah ini "
            f"({post_kinds(kind, 'dan')}); mengikuti apel gelar pasukan pada hari {apel}, kemudian bergeser ke pos "
            f"masing-masing dan berkoordinasi dengan {committee}, KPPS, kepala desa serta unsur TNI, Linmas dan "
            "Satpol PP sebagaimana tersebut dalam lampiran unsur yang dikoordinasikan;",
            "personel Polri berada di luar TPS dan baru masuk apabila diminta oleh KPPS;",
            "melaporkan setiap perkembangan situasi dan kejadian menonjol kepada ketua pos dan Padal "
            "(perwira pengendali) kecamatan masing-masing, untuk diteruskan secara berjenjang kepada Kapolres;",
            "menggunakan data pribadi personel dalam lampiran hanya untuk keperluan operasi ini dan tidak "
            "menyebarluaskannya" + (" (UU Nomor 27 Tahun 2022);" if pdp else ";"),
            "melaksanakan perintah ini dengan saksama dan penuh rasa tanggung jawab.",
        ),
        tembusan=_tembusan(scenario, owner.POLDA.get(province, "")),
        signer_name=signer.name if signer else "",
        signer_rank=signer.rank if signer else "",
        signer_nrp=signer.id if signer else "",
        signer_title=title,
        on_behalf=on_behalf,
    )
    filled = {name: getattr(settings, name) or getattr(defaults, name) for name in settings.__dataclass_fields__}
    return replace(settings, **filled)


def _tembusan(scenario: Scenario, polda: str) -> tuple[str, ...]:
    """`operation.tembusan` ("; " between copies) when given, else the usual list: the Kapolda,
    his Irwasda and Karoops, the Bupati or Wali Kota of each regency, the Dandim."""
    given = tuple(c.strip() for c in scenario.operation.tembusan.split(";") if c.strip())
    if given:
        return given
    of_polda = f" Polda {polda.title()}" if polda else " Polda"
    heads = [
        f"{'Bupati' if r.level == Level.KABUPATEN else 'Wali Kota'} {_regency_name(r.name)}"
        for r in scenario.regions
        if r.level in (Level.KABUPATEN, Level.KOTA)
    ]
    dandim = ["Dandim " + re.sub(r"(?i)^kodim\s*", "", u.name) for u in scenario.units if u.kind == UnitKind.KODIM]
    return (
        f"Kapolda {polda.title()}".strip(),
        f"Irwasda{of_polda}",
        f"Karoops{of_polda}",
        *(heads or ["Bupati/Wali Kota setempat"]),
        *(dandim or ["Dandim setempat"]),
    )


def _regency_name(name: str) -> str:
    short = re.sub(r"(?i)^(kab(upaten)?\.?|kota)\s+", "", name).strip()
    return short.title() if short.isupper() else short


def _resort(polres: str) -> str:
    return re.sub(r"(?i)^polres(ta|tabes)?\s+", "", polres).upper()


def _regency_rule(scenario: Scenario) -> str:
    regencies = [r for r in scenario.regions if r.level in (Level.KABUPATEN, Level.KOTA)]
    if len(regencies) != 1:
        return "Peraturan Daerah dan Peraturan Bupati/Wali Kota setempat tentang Pemilihan Kepala Desa;"
    r = regencies[0]
    name = _regency_name(r.name)
    head = "Bupati" if r.level == Level.KABUPATEN else "Wali Kota"
    return f"Peraturan Daerah dan Peraturan {head} {name} tentang Pemilihan Kepala Desa;"


def _dasar(kind: str, scenario: Scenario, pdp: bool) -> tuple[str, ...]:
    operation = scenario.operation
    op = operation.name
    laws = ["Undang-Undang Nomor 2 Tahun 2002 tentang Kepolisian Negara Republik Indonesia;"]
    if kind == "PILKADES":
        laws += [
            "Undang-Undang Nomor 6 Tahun 2014 tentang Desa;",
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
    renops = f" Nomor: {operation.renops_number.strip()}" if operation.renops_number.strip() else ""
    prinlak = f" Nomor: {operation.prinlak_number.strip()}" if operation.prinlak_number.strip() else ""
    laws += [f"Rencana Operasi (Renops) {op}{renops};", f"Perintah Pelaksanaan Operasi (Prinlak Ops) {op}{prinlak}."]
    return tuple(laws)


def issued_text(s: OrderSettings, election: dt.date) -> str:
    if s.issued:
        return long_date(s.issued)
    return f"{BLANK}{MONTHS[election.month - 1]} {election.year}"


# ---------------------------------------------------------------- the letter

LETTER_MARGINS = (12 * pdf.MM, 18 * pdf.MM, 16 * pdf.MM, 25 * pdf.MM)  # top, right, bottom, left
LETTER_SIZE = 10.0
LABEL_W, COLON_W, NUMBER_W = 28 * pdf.MM, 5 * pdf.MM, 6 * pdf.MM
KOP_SIZE = 10.5


def _items(label: str, items: tuple[str, ...], first: bool) -> list[pdf.Block]:
    """One paragraph per item, the label and colon on the first, numbered when more than one
    (a lone item is not): a page can break between items, so the last ones go over with the
    signature instead of leaving it alone."""
    out: list[pdf.Block] = []
    for n, item in enumerate(items, start=1):
        labels = ((0.0, label, False), (LABEL_W, ":", False)) if n == 1 else ()
        indent = LABEL_W + COLON_W
        if len(items) > 1:
            labels = (*labels, (indent, f"{n}.", False))
            indent += NUMBER_W
        space = (0.0 if first else 6.0) if n == 1 else 2.0
        out.append(pdf.Paragraph(item, LETTER_SIZE, space_before=space, indent=indent, labels=labels, justify=True))
    return out


def letter_blocks(s: OrderSettings, scenario: Scenario, petikan: bool = False, stage_line: str = "") -> list[pdf.Block]:
    """The letter, for a portrait page within LETTER_MARGINS: the kop, the title and number
    (and `stage_line`, the stage of a Sprin for one stage), Pertimbangan, Dasar,
    DIPERINTAHKAN, Kepada, Untuk, then the place and date, the signature block and the
    Tembusan, all kept together with the last item of Untuk, so that neither the copies nor
    the signature ever stand alone on a page."""
    inner = pdf.A4[0] - LETTER_MARGINS[1] - LETTER_MARGINS[3]
    polda = f"DAERAH {s.polda.upper()}" if s.polda else "DAERAH"
    kop = ("KEPOLISIAN NEGARA REPUBLIK INDONESIA", polda, f"RESOR {_resort(s.polres)}")
    kop_w = max(pdf.text_width(line, KOP_SIZE, True) for line in kop)
    blocks: list[pdf.Block] = [
        pdf.Paragraph(line, KOP_SIZE, True, space_before=0, align="center", width=kop_w, leading=1.25) for line in kop
    ]
    blocks.append(pdf.Paragraph("", 1, space_before=1, width=kop_w, rule=1.2))
    title = f"{'PETIKAN ' if petikan else ''}SURAT PERINTAH"
    blocks += [
        pdf.Paragraph(title, 12, True, space_before=14, align="center", spacing=1, underline=True),
        pdf.Paragraph(f"Nomor: {s.number}", LETTER_SIZE, space_before=2, align="center"),
    ]
    if stage_line:
        blocks.append(pdf.Paragraph(stage_line, LETTER_SIZE, True, space_before=2, align="center"))
    blocks += _items("Pertimbangan", s.pertimbangan, first=False)
    blocks += _items("Dasar", s.dasar, first=False)
    blocks.append(pdf.Paragraph("DIPERINTAHKAN", LETTER_SIZE, True, space_before=8, align="center", spacing=2))
    kepada = ("Personel sebagaimana tersebut dalam lampiran Surat Perintah ini.",)
    blocks += _items("Kepada", kepada, first=False)
    blocks += _items("Untuk", s.untuk, first=False)
    sign_x = 0.34 * inner
    place_x = sign_x + 0.18 * (inner - sign_x)
    label_w = pdf.text_width("Dikeluarkan di", LETTER_SIZE) + 4
    issued = issued_text(s, scenario.operation.election_date)
    closing: list[pdf.Paragraph] = [
        pdf.Paragraph(
            value,
            LETTER_SIZE,
            space_before=space,
            indent=place_x + label_w + 8,
            labels=((place_x, label, False), (place_x + label_w, ":", False)),
        )
        for label, value, space in (("Dikeluarkan di", s.city, 12.0), ("pada tanggal", issued, 0.0))
    ]

    def centred(text: str, bold: bool = True, space: float = 0.0, underline: bool = False) -> pdf.Paragraph:
        width = inner - sign_x
        return pdf.Paragraph(text, LETTER_SIZE, bold, space, "center", indent=sign_x, width=width, underline=underline)

    if s.on_behalf:
        closing.append(centred(s.on_behalf, space=4))
    closing += [
        centred(s.signer_title, space=0 if s.on_behalf else 4),
        centred(s.signer_name or BLANK, space=17 * pdf.MM, underline=bool(s.signer_name)),
        centred(f"{s.signer_rank} NRP {s.signer_nrp}".strip(), bold=False),
    ]
    if s.tembusan:
        closing.append(pdf.Paragraph("Tembusan:", 9.5, space_before=12))
        closing += [
            pdf.Paragraph(f"{n}. {c}", 9.5, space_before=0, indent=0) for n, c in enumerate(s.tembusan, start=1)
        ]
    return [*blocks, *(replace(p, keep=True) for p in closing)]


def letter_pages(s: OrderSettings, scenario: Scenario, petikan: bool = False, stage_line: str = "") -> list[pdf.Page]:
    return pdf.flow(letter_blocks(s, scenario, petikan, stage_line), size=pdf.A4, margins=LETTER_MARGINS)


# ---------------------------------------------------------------- the lampiran (drawn tables)

PLOTING_COLUMNS = (  # points; the widest usual values fit on one line at 6.5 pt in DejaVu Sans
    pdf.Column("No", 20, "right"),
    pdf.Column("Nama", 88),
    pdf.Column("Pangkat", 36),
    pdf.Column("NRP", 70),
    pdf.Column("Satuan asal", 92),
    pdf.Column("Tugas", 62),
    pdf.Column("Kecamatan", 52),
    pdf.Column("Desa", 52),
    pdf.Column("TPS", 22),
    pdf.Column("Kategori", 52),
    pdf.Column("Pola", 100),
    pdf.Column("Ketua pos", 82),
    pdf.Column("No. HP", 56),
)
PLOTING_SIZE = 6.5
# Columns whose values are one word a reader must not see cut (a kecamatan, a desa: Gondangwetan
# is wider than the usual 52 points), and the column that gives them the room they need (the
# pattern's words wrap at their spaces, so it loses no word).
WHOLE_WORDS = ("Kecamatan", "Desa")
ROOM_FROM = "Pola"
GAP_SHADE = 0.9
COMMANDED_ORDER = tuple(f for f in FORCES if f in COMMANDED)  # Polri, Brimob


@dataclass(frozen=True)
class Annex:
    """What every annex heading says: its number, the Sprin's number and date, and whether it
    belongs to a petikan."""

    number: str  # "I", "II", ...
    s: OrderSettings
    election: dt.date
    petikan: bool

    @property
    def following(self) -> str:
        """The number of the annex after this one."""
        return ROMAN[ROMAN.index(self.number) + 1]

    def head(self, title: str, subtitle: str) -> list[pdf.Block]:
        extract = "PETIKAN " if self.petikan else ""
        return [
            pdf.Paragraph(
                f"{extract}LAMPIRAN {self.number} SURAT PERINTAH KAPOLRES {_resort(self.s.polres)}",
                8,
                align="right",
                space_before=0,
            ),
            pdf.Paragraph(f"NOMOR: {self.s.number}", 8, align="right", space_before=0),
            pdf.Paragraph(f"TANGGAL: {issued_text(self.s, self.election).upper()}", 8, align="right", space_before=0),
            pdf.Paragraph(f"{extract}{title}", 11, bold=True, align="center", space_before=8),
            pdf.Paragraph(subtitle.upper(), 9, bold=True, align="center", space_before=1),
        ]

    def signature(self) -> list[pdf.Block]:
        """The signature block, kept with what comes before it."""
        s = self.s
        lines = [
            *([pdf.Paragraph(s.on_behalf, 8.5, bold=True, align="right", space_before=14)] if s.on_behalf else []),
            pdf.Paragraph(s.signer_title, 8.5, bold=True, align="right", space_before=0 if s.on_behalf else 14),
            pdf.Paragraph(s.signer_name or " ", 8.5, bold=True, align="right", space_before=34),
            pdf.Paragraph(f"{s.signer_rank} NRP {s.signer_nrp}", 8.5, align="right", space_before=0),
        ]
        return [replace(p, keep=True) for p in lines]


def _n(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _forces(counts: dict[Force, int]) -> str:
    return ", ".join(f"{FORCE_LABEL[f]} {_n(n)}" for f, n in counts.items() if n) or "-"


def _commanded(post: PostBlock) -> bool:
    return any(r.force in COMMANDED for r in post.rows) or any(g.commanded for g in post.gaps)


def _coordinated(post: PostBlock) -> bool:
    return any(r.force not in COMMANDED for r in post.rows) or any(not g.commanded for g in post.gaps)


WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def signoff_line(signoff: Mapping[str, Any] | None) -> str:
    """The line that says who signed off the TPS categories (a plan's `category_signoff`:
    name, rank, nrp, position, signed_at in ISO 8601), or "" when nobody did. A time with an
    offset is printed in WIB, the console's time zone."""
    if not isinstance(signoff, Mapping) or not signoff.get("name"):
        return ""
    when = str(signoff.get("signed_at") or "")
    try:
        at = dt.datetime.fromisoformat(when)
    except ValueError:
        pass
    else:
        local = at.astimezone(WIB) if at.tzinfo else at
        zone = " WIB" if at.tzinfo else ""
        when = f"{long_date(local.date())} pukul {local:%H.%M}{zone}"
    return _(
        "Kategori kerawanan TPS disahkan oleh %(jabatan)s %(nama)s, %(pangkat)s NRP %(nrp)s, %(tanggal)s",
        jabatan=str(signoff.get("position") or ""),
        nama=str(signoff.get("name") or ""),
        pangkat=str(signoff.get("rank") or ""),
        nrp=str(signoff.get("nrp") or ""),
        tanggal=when,
    ).replace("  ", " ")


def annex_blocks(ploting: Ploting, annex: Annex, signoff: Mapping[str, Any] | None = None) -> list[pdf.Block]:
    """The Polri ploting: headline, recap of the joint force, unfilled slots, then every Polri
    and Brimob member by kecamatan > desa > post. Under the title, who signed off the TPS
    categories, when someone did (`signoff_line`)."""
    scope = f" KECAMATAN {ploting.scope_name.upper()}" if ploting.scope_code else ""
    polri = sum(1 for r in ploting.rows() if r.force in COMMANDED)
    signed = signoff_line(signoff)
    blocks: list[pdf.Block] = [
        *annex.head(f"DAFTAR PLOTING PERSONEL POLRI{scope}", ploting.operation),
        *([pdf.Paragraph(signed, 8.5, align="center", space_before=2)] if signed else []),
        pdf.Paragraph(ploting.headline(), 10, bold=True, space_before=10),
        pdf.Paragraph(ploting.assigned_line() + f". Pola pengamanan: {ploting.pattern_title}.", 8.5),
        pdf.Paragraph(
            f"Lampiran ini memuat {_n(polri)} personel Polri dan Brimob pada pos. Unsur TNI, Linmas dan Satpol PP "
            f"tidak berada di bawah komando Surat Perintah ini: mereka tercantum dalam Lampiran {annex.following} "
            "(unsur yang dikoordinasikan).",
            8.5,
        ),
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
    blocks.append(pdf.Paragraph("Rekapitulasi kekuatan gabungan per kecamatan", 9, bold=True, space_before=8))
    blocks.append(_recap_table(ploting))
    if ploting.gaps:
        blocks.append(pdf.Paragraph("Slot kosong (belum ada personel)", 9, bold=True, space_before=8))
        blocks.append(_gap_table(ploting))
    blocks += [pdf.PageBreak(), _ploting_table(ploting), *annex.signature()]
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
        pdf.Column("Pos", 190),
        pdf.Column("Tugas", 80),
        pdf.Column("Unsur", 60),
        pdf.Column("Kosong", 50, "right"),
    )
    rows = [
        pdf.Cells((str(i), g.kecamatan, g.desa, g.post_name, g.task, g.slot, _n(g.count)))
        for i, g in enumerate(ploting.gaps, start=1)
    ]
    rows.append(pdf.Cells(("", "Jumlah", "", "", "", "", _n(ploting.unfilled)), bold=True, shade=0.93))
    return pdf.Table(columns, tuple(rows), size=8)


def _kecamatan_title(k: KecamatanBlock) -> str:
    return f"KECAMATAN {k.name.upper()}" if k.code else k.name.upper()


def _desa_title(d: DesaBlock, posts: list[PostBlock]) -> str:
    """ "Desa Semare", or for a kecamatan's own posts the name of those shown ("Cadangan")."""
    return f"Desa {d.name}" if d.code else group_name(p.post for p in posts)


def _alongside(p: PostBlock) -> str:
    """ "didampingi 2 Linmas, 1 TNI" for a Polri post's band: the coordinated members there."""
    counts = {f: sum(1 for r in p.rows if r.force == f) for f in COORDINATED}
    text = ", ".join(f"{_n(n)} {FORCE_LABEL[f]}" for f, n in counts.items() if n)
    return f" | didampingi {text}" if text else ""


def _ploting_table(ploting: Ploting) -> pdf.Table:
    rows: list[pdf.Row] = []
    number = 0
    for k in ploting.kecamatan:
        posts_of = {d.code: [p for p in d.posts if _commanded(p)] for d in k.desa}
        if not any(posts_of.values()):
            continue
        counts = {f: sum(1 for r in k.rows() if r.force == f) for f in COMMANDED_ORDER}
        title = _kecamatan_title(k)
        padal = f" | Padal: {_who(k.padal)}" if k.code else ""
        rows.append(pdf.Band(f"{title}: {_n(sum(counts.values()))} personel Polri, {_n(k.tps)} TPS{padal}", 0))
        for d in k.desa:
            if not posts_of[d.code]:
                continue
            desa_counts = {f: sum(1 for p in d.posts for r in p.rows if r.force == f) for f in COMMANDED_ORDER}
            persons = sum(desa_counts.values())
            place = _desa_title(d, posts_of[d.code])
            label = f"{place}: {_n(d.tps)} TPS, {_n(persons)} personel Polri" if d.code else place
            rows.append(pdf.Band(label, 1))
            for p in posts_of[d.code]:
                rows.append(pdf.Band(f"{p.name} | {p.category} | Ketua pos: {_who(p.ketua)}{_alongside(p)}", 2))
                for r in p.rows:
                    if r.force not in COMMANDED:
                        continue
                    number += 1
                    rows.append(
                        pdf.Cells(
                            (
                                str(number),
                                r.name,
                                r.rank or "-",
                                r.printed_id,
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
                    )
                rows += [
                    pdf.Span(f"BELUM TERISI: {g.count} {g.slot} (slot kosong, belum ada personel)", shade=GAP_SHADE)
                    for g in p.gaps
                    if g.commanded
                ]
            if d.code:
                rows.append(pdf.Span(f"Jumlah {place}: {_n(persons)} personel ({_forces(desa_counts)})", bold=True))
        rows.append(
            pdf.Span(
                f"Jumlah {title.title() if k.code else k.name}: {_n(sum(counts.values()))} personel "
                f"({_forces(counts)}), {_n(k.tps)} TPS",
                shade=0.93,
            )
        )
    total = {f: sum(1 for r in ploting.rows() if r.force == f) for f in COMMANDED_ORDER}
    rows.append(
        pdf.Span(
            f"JUMLAH PERSONEL POLRI PADA POS: {_n(sum(total.values()))} ({_forces(total)}). "
            f"Kekuatan gabungan: {ploting.headline()}.",
            shade=0.85,
        )
    )
    return pdf.Table(_fitted(PLOTING_COLUMNS, rows), tuple(rows), size=PLOTING_SIZE)


def _fitted(columns: Sequence[pdf.Column], rows: Sequence[Any]) -> tuple[pdf.Column, ...]:
    """`columns` with the `WHOLE_WORDS` columns widened to their longest word in `rows`, as far
    as `ROOM_FROM` can give without cutting a word of its own; the table's width is unchanged
    (and so is every column where the words fit)."""
    at = {c.title: i for i, c in enumerate(columns)}
    cells = [r.cells for r in rows if isinstance(r, pdf.Cells)]

    def need(i: int) -> float:
        words = (w for cell in cells for w in cell[i].split())
        return max((pdf.text_width(w, PLOTING_SIZE) for w in words), default=0.0) + 2 * pdf.PAD + 1

    widths = [c.width for c in columns]
    donor = at[ROOM_FROM]
    for title in WHOLE_WORDS:
        i = at[title]
        give = min(need(i) - widths[i], widths[donor] - need(donor))
        if give > 0:
            widths[i] += give
            widths[donor] -= give
    return tuple(replace(c, width=w) for c, w in zip(columns, widths, strict=True))


def _who(person: Person | None) -> str:
    return f"{person.rank} {person.name} ({person.phone or '-'})".strip() if person else "-"


def _tps_cell(numbers: str, count: int) -> str:
    """The TPS numbers when they fit the column, else their count (the post's band lists them)."""
    room = PLOTING_COLUMNS[8].width - 2 * pdf.PAD
    return numbers if pdf.text_width(numbers, PLOTING_SIZE) <= room else f"{count} TPS"


# ---------------------------------------------------------------- the coordinated forces

COORDINATION_COLUMNS = (
    pdf.Column("No", 22, "right"),
    pdf.Column("Pos", 170),
    pdf.Column("Kategori", 55),
    pdf.Column("Unsur", 45),
    pdf.Column("Jumlah", 35, "right"),
    pdf.Column("Nama", 340),
    pdf.Column("Satuan", 115),
)


def coordination_blocks(ploting: Ploting, annex: Annex) -> list[pdf.Block]:
    """The TNI, Linmas and Satpol PP by kecamatan > desa > post: the Sprin does not command
    them; this annex says where they stand, for the Padal and the ketua pos to coordinate."""
    scope = f" KECAMATAN {ploting.scope_name.upper()}" if ploting.scope_code else ""
    totals = {f: sum(1 for r in ploting.rows() if r.force == f) for f in COORDINATED}
    blocks: list[pdf.Block] = [
        *annex.head(f"DAFTAR UNSUR YANG DIKOORDINASIKAN (TNI, LINMAS DAN SATPOL PP){scope}", ploting.operation),
        pdf.Paragraph(
            "Unsur TNI, Linmas dan Satpol PP tidak berada di bawah komando Surat Perintah ini. Daftar ini memuat "
            "tempat dan kekuatan mereka menurut rencana pengamanan, sebagai bahan koordinasi Padal dan ketua pos "
            "dengan Dandim/Danramil, Satpol PP, PPS/panitia pemilihan dan kepala desa.",
            8.5,
            space_before=10,
        ),
        pdf.Paragraph(f"Jumlah: {_forces(totals)}; seluruhnya {_n(sum(totals.values()))} orang.", 8.5, bold=True),
    ]
    rows: list[pdf.Row] = []
    number = 0
    for k in ploting.kecamatan:
        posts_of = {d.code: [p for p in d.posts if _coordinated(p)] for d in k.desa}
        if not any(posts_of.values()):
            continue
        counts = {f: sum(1 for r in k.rows() if r.force == f) for f in COORDINATED}
        title = _kecamatan_title(k)
        rows.append(pdf.Band(f"{title}: {_forces(counts)}", 0))
        for d in k.desa:
            if not posts_of[d.code]:
                continue
            desa_counts = {f: sum(1 for p in d.posts for r in p.rows if r.force == f) for f in COORDINATED}
            rows.append(pdf.Band(f"{_desa_title(d, posts_of[d.code])}: {_forces(desa_counts)}", 1))
            for p in posts_of[d.code]:
                for force in COORDINATED:
                    members = [r for r in p.rows if r.force == force]
                    if not members:
                        continue
                    number += 1
                    names = (
                        "; ".join(f"{r.rank} {r.name}".strip() for r in members)
                        if len(members) <= NAMES_UP_TO
                        else f"{_n(len(members))} orang (daftar nama pada satuan)"
                    )
                    units = ", ".join(dict.fromkeys(r.unit for r in members))
                    rows.append(
                        pdf.Cells((str(number), p.name, p.category, FORCE_LABEL[force], _n(len(members)), names, units))
                    )
                rows += [
                    pdf.Span(f"BELUM TERISI: {g.count} {g.slot} pada {p.name} (slot kosong)", shade=GAP_SHADE)
                    for g in p.gaps
                    if not g.commanded
                ]
    if rows:
        blocks.append(pdf.Table(COORDINATION_COLUMNS, tuple(rows), size=PLOTING_SIZE))
    else:
        blocks.append(pdf.Paragraph("Tidak ada unsur TNI, Linmas maupun Satpol PP pada pos.", 8.5))
    return [*blocks, *annex.signature()]


# ---------------------------------------------------------------- the comms plan

COMMS_COLUMNS = (
    pdf.Column("No", 22, "right"),
    pdf.Column("Pos / satuan", 250),
    pdf.Column("Kanal HT", 48, "right"),
    pdf.Column("Callsign", 110),
    pdf.Column("Sinyal HP", 52),
    pdf.Column("Penghubung bila tanpa sinyal", 170),
    pdf.Column("Lapor (jam)", 130),
)


def comms_blocks(scenario: Scenario, ploting: Ploting, annex: Annex) -> list[pdf.Block]:
    """The comms plan (`siaga.core.planning.comms`): each post's and Polsek's HT channel and
    callsign; a post without signal, its relay or runner and its check-in hours."""
    posts = {p.post.id: p for k in ploting.kecamatan for d in k.desa for p in d.posts}
    lines = comms.plan(scenario, [p.post for p in posts.values()])
    scope = f" KECAMATAN {ploting.scope_name.upper()}" if ploting.scope_code else ""
    dark = sum(1 for x in lines if not x.signal)
    blocks: list[pdf.Block] = [
        *annex.head(f"RENCANA KOMUNIKASI{scope}", ploting.operation),
        pdf.Paragraph(
            f"Kanal {comms.COMMAND_CHANNEL}: Posko dan jaring komando (Kapolres, Kabag Ops, Padal, tim cadangan). "
            "Setiap kecamatan memakai kanal sendiri untuk pos, Polsek dan Padal-nya. Pos tanpa sinyal HP "
            f"({_n(dark)} pos) melapor lewat pos terdekat yang bersinyal di kecamatannya (relay) atau dengan kurir "
            "ke Polsek, pada jam yang ditentukan; laporan yang tidak terkirim dibawa ke Posko.",
            8.5,
            space_before=10,
        ),
    ]
    rows: list[pdf.Row] = []
    names = {k.code: k.name for k in ploting.kecamatan}
    current = None
    for number, line in enumerate(lines, 1):
        if line.kecamatan_code != current and line.kind != "POSKO":
            current = line.kecamatan_code
            rows.append(pdf.Band(f"Kecamatan {names.get(current, current)}" if current else "Tingkat Polres", 0))
        block = posts.get(line.post)
        what = (
            "Posko" if line.kind == "POSKO" else block.name if block else f"Polsek {names.get(line.kecamatan_code, '')}"
        )
        row = (
            str(number),
            what,
            str(line.channel),
            line.callsign,
            "ada" if line.signal else "TIDAK",
            line.link or "-",
            ", ".join(line.check_in) or "setiap ada kejadian",
        )
        rows.append(pdf.Cells(row) if line.signal else pdf.Cells(row, shade=GAP_SHADE))
    blocks.append(pdf.Table(COMMS_COLUMNS, tuple(rows), size=PLOTING_SIZE))
    return [*blocks, *annex.signature()]


# ---------------------------------------------------------------- the organisation

ORGANISATION_COLUMNS = (
    pdf.Column("No", 26, "right"),
    pdf.Column("Jabatan dalam operasi", 215),
    pdf.Column("Nama", 130),
    pdf.Column("Pangkat", 55),
    pdf.Column("NRP", 70),
    pdf.Column("Jabatan", 150),
    pdf.Column("No. HP", 80),
)
NOT_APPOINTED = "belum ditunjuk"


def _office(no: str, role: str, p: Person | None) -> pdf.Cells:
    if p is None:
        return pdf.Cells((no, role, NOT_APPOINTED, "-", "-", "-", "-"))
    return pdf.Cells((no, role, p.name, p.rank or "-", p.id, p.position, p.phone or "-"))


def organisation_blocks(scenario: Scenario, annex: Annex, polres_codes: set[str] | None = None) -> list[pdf.Block]:
    """The organisation annex (susunan organisasi) by satgas, or nothing when no one has a
    position."""
    offices = positions.organisation(scenario)
    if not offices:
        return []
    regions = scenario.region_by_code()
    chiefs = positions.kasatgas(scenario, polres_codes)
    leading = {p.id for _, p in chiefs if p is not None}
    first = {role: next((o.person for o in offices if o.role == role), None) for role in positions.ROLE_ORDER}
    rows: list[pdf.Row] = [
        _office("1", positions.ROLE_LABEL[positions.PENANGGUNG_JAWAB], first[positions.PENANGGUNG_JAWAB]),
        _office("2", positions.ROLE_LABEL[positions.WAKIL], first[positions.WAKIL]),
        _office("3", positions.ROLE_LABEL[positions.KAOPS], first[positions.KAOPS]),
    ]
    shown = {p.id for p in first.values() if p is not None}
    padal = [o for o in offices if o.role == positions.PADAL]
    for i, (satgas, person) in enumerate(chiefs, start=4):
        rows.append(_office(str(i), f"Kasatgas {satgas.name}", person))
        if satgas.note and padal:
            rows.append(pdf.Span(f"{satgas.note} (Satgas {satgas.name}): Padal per kecamatan; personel pos "
                                 f"sebagaimana tersebut dalam Lampiran {annex.following}", bold=False))  # fmt: skip
            for j, o in enumerate(padal, start=1):
                place = regions.get(o.kecamatan_code)
                where = f" Kecamatan {place.name if place else o.kecamatan_code}" if o.kecamatan_code else ""
                rows.append(_office(f"{i}.{j}", positions.ROLE_LABEL[positions.PADAL] + where, o.person))
                shown.add(o.person.id)
    staff = [o.person for o in offices if o.person.id not in shown | leading]
    if staff:
        rows.append(pdf.Span("Staf operasi dan Posko", bold=False))
        start = len(chiefs) + 4
        rows += [_office(str(n), positions.ROLE_LABEL[positions.STAF], p) for n, p in enumerate(staff, start=start)]
    return [
        *annex.head("SUSUNAN ORGANISASI OPERASI", scenario.operation.name),
        pdf.Paragraph(
            f"Komando dan staf operasi tidak ditempatkan pada {post_kinds(election_kind(scenario), 'maupun tim')}.",
            8.5,
            space_before=10,
        ),
        pdf.Table(ORGANISATION_COLUMNS, tuple(rows), size=8),
        *annex.signature(),
        pdf.PageBreak(),
    ]


# ---------------------------------------------------------------- the stages


TIMELINE_RECAP_COLUMNS = (
    pdf.Column("No", 24, "right"),
    pdf.Column("Tahap", 200),
    pdf.Column("Waktu", 230),
    pdf.Column("Lama", 60),
    pdf.Column("Tugas", 45, "right"),
    pdf.Column("Kebutuhan", 60, "right"),
    pdf.Column("Terisi", 50, "right"),
    pdf.Column("Kurang", 50, "right"),
)
TIMELINE_COLUMNS = (
    pdf.Column("No", 24, "right"),
    pdf.Column("Tugas / pos", 200),
    pdf.Column("Tempat", 165),
    pdf.Column("Waktu", 165),
    pdf.Column("Kebutuhan", 95),
    pdf.Column("Terisi", 40, "right"),
    pdf.Column("Kurang", 90),
)
STAGE_PEOPLE_COLUMNS = (
    pdf.Column("No", 24, "right"),
    pdf.Column("Nama", 130),
    pdf.Column("Pangkat", 50),
    pdf.Column("NRP / NIK", 80),
    pdf.Column("Satuan asal", 140),
    pdf.Column("Unsur", 45),
    pdf.Column("Waktu", 160),
    pdf.Column("No. HP", 70),
    pdf.Column("Ket.", 50),
)


def stage_title(block: schedule.StageBlock, election: dt.date) -> str:
    """ "Tahap 8: Rekapitulasi di PPK, H+1 Kam 15/02/2024 08:00 s.d. H+4 Min 18/02/2024 08:00"."""
    when = schedule.window(election, block.stage.start, block.stage.end, year=True)
    return f"Tahap {block.number}: {block.stage.name}, {when}"


def timeline_blocks(
    blocks: Sequence[schedule.StageBlock], annex: Annex, operation: str, whole: bool = True
) -> list[pdf.Block]:
    """The time-phased annex: every stage in order of time with its window, then each stage's
    duties with their place, window, what they ask for by force, how many are filled and what
    is short. `whole`: the whole operation (with a recap by stage), else the stages given."""
    election = annex.election
    title = "RENCANA WAKTU PENGAMANAN PER TAHAP" if whole else "DAFTAR TUGAS TAHAP"
    out: list[pdf.Block] = [
        *annex.head(title, operation),
        pdf.Paragraph(
            f"H adalah hari pemungutan suara, {day_and_date(election)}; H-1 sehari sebelumnya, H+1 sehari "
            "sesudahnya. Kebutuhan per unsur menurut aturan tahap (pola pengamanan untuk pos pemungutan); "
            "tugas jaga yang panjang dibagi dalam shift. Nama personel pos pemungutan suara tercantum dalam "
            "lampiran ploting; nama personel tugas tahap lain tercantum dalam Surat Perintah tahap tersebut.",
            8.5,
            space_before=10,
        ),
    ]
    if whole:
        out.append(pdf.Paragraph("Ringkasan per tahap", 9, bold=True, space_before=8))
        out.append(_timeline_recap(blocks, election))
        out.append(pdf.Paragraph("Rincian tugas per tahap", 9, bold=True, space_before=10))
    rows: list[pdf.Row] = []
    for block in blocks:
        rows.append(pdf.Band(f"{stage_title(block, election)} ({schedule.hours(block.stage.start, block.stage.end)})"))
        if not block.lines:
            rows.append(pdf.Span(_no_duties(blocks, block), bold=False))
            continue
        for n, line in enumerate(block.lines, start=1):
            if line.vote and (n == 1 or not block.lines[n - 2].vote):
                rows.append(pdf.Span(_vote_posts(line, election), bold=False))
            rows.append(
                pdf.Cells(
                    (
                        str(n),
                        line.name,
                        line.place,
                        schedule.window(election, line.duty.start, line.duty.end),
                        schedule.by_slot(line.required),
                        _n(sum(line.filled.values())),
                        schedule.by_slot(line.short),
                    ),
                    shade=GAP_SHADE if line.short else None,
                )
            )
        rows.append(
            pdf.Span(
                f"Jumlah tahap {block.number}: {_n(len(block.lines))} tugas, kebutuhan {_n(block.total('required'))}, "
                f"terisi {_n(block.total('filled'))}, kurang {_n(block.total('short'))}",
                shade=0.93,
            )
        )
    out += [pdf.Table(TIMELINE_COLUMNS, tuple(rows), size=7), *annex.signature()]
    return out


def _vote_posts(line: schedule.DutyLine, election: dt.date) -> str:
    """The line over the vote's posts: their own name and window, which opens at the apel
    pergeseran, before the voting stage that holds them (`duties.VOTE_POSTS`)."""
    when = schedule.window(election, line.duty.start, line.duty.end, year=True)
    return f"{VOTE_POSTS}: pos pemungutan suara dari apel pergeseran sampai penghitungan selesai, {when}"


def _no_duties(blocks: Sequence[schedule.StageBlock], block: schedule.StageBlock) -> str:
    text = schedule.overlapping(blocks, block)
    if not text:
        return "Tidak ada tugas pos tersendiri pada tahap ini."
    return f"Tidak ada tugas pos tersendiri pada tahap ini; berlangsung bersamaan: {text}."


def _timeline_recap(blocks: Sequence[schedule.StageBlock], election: dt.date) -> pdf.Table:
    rows: list[pdf.Row] = [
        pdf.Cells(
            (
                str(b.number),
                b.stage.name,
                schedule.window(election, b.stage.start, b.stage.end, year=True),
                schedule.hours(b.stage.start, b.stage.end),
                _n(len(b.lines)),
                _n(b.total("required")),
                _n(b.total("filled")),
                _n(b.total("short")),
            ),
            shade=GAP_SHADE if b.total("short") else None,
        )
        for b in blocks
    ]
    for n, b in enumerate(blocks):  # the vote's posts under their own name and window, after their stage
        posts = schedule.StageBlock(b.number, b.stage, tuple(x for x in b.lines if x.vote))
        if posts.lines:
            start, end = posts.lines[0].duty.start, posts.lines[0].duty.end
            counts = (_n(posts.total(k)) for k in ("required", "filled", "short"))
            window = schedule.window(election, start, end, year=True)
            cells = ("", f"termasuk {VOTE_POSTS}", window, schedule.hours(start, end), _n(len(posts.lines)), *counts)
            rows.insert(n + 1, pdf.Cells(cells))
            break
    total = [sum(b.total(k) for b in blocks) for k in ("required", "filled", "short")]
    lines = sum(len(b.lines) for b in blocks)
    rows.append(pdf.Cells(("", "Jumlah", "", "", _n(lines), *(_n(t) for t in total)), bold=True, shade=0.93))
    return pdf.Table(TIMELINE_RECAP_COLUMNS, tuple(rows), size=8)


def stage_people_blocks(
    scenario: Scenario, block: schedule.StageBlock, annex: Annex, operation: str
) -> list[pdf.Block]:
    """The people of one stage's duties, by duty, with the duty's ketua pos: who is ordered to
    which escort run, warehouse shift or recapitulation guard."""
    units = scenario.unit_by_code()
    regions = scenario.region_by_code()
    election = annex.election
    rows: list[pdf.Row] = []
    number = 0
    for line in block.lines:
        when = schedule.window(election, line.duty.start, line.duty.end)
        rows.append(pdf.Band(f"{line.name} | {line.place} | {when} | Ketua pos: {_who(line.ketua)}"))
        for person, slot in line.people:
            number += 1
            desa = regions.get(person.desa_code)
            rows.append(
                pdf.Cells(
                    (
                        str(number),
                        person.name,
                        person.rank or "-",
                        printed_id(person.force, person.id),
                        unit_label(units.get(person.unit_code), person, desa.name if desa else ""),
                        SLOT_LABEL.get(slot, slot),
                        when,
                        person.phone or "-",
                        "Ketua pos" if line.ketua is not None and person.id == line.ketua.id else "",
                    )
                )
            )
        if line.short:
            rows.append(
                pdf.Span(
                    f"BELUM TERISI: {schedule.by_slot(line.short)} (slot kosong, belum ada personel)", shade=GAP_SHADE
                )
            )
    people = len({p.id for line in block.lines for p, _ in line.people})
    out: list[pdf.Block] = [
        *annex.head(f"DAFTAR PERSONEL TAHAP {block.stage.name.upper()}", operation),
        pdf.Paragraph(
            f"{_n(people)} personel pada {_n(len(block.lines))} tugas; kebutuhan {_n(block.total('required'))}, "
            f"terisi {_n(block.total('filled'))}, kurang {_n(block.total('short'))}. Unsur TNI dan Linmas "
            "dicantumkan sebagai bahan koordinasi: mereka tidak berada di bawah komando Surat Perintah ini.",
            8.5,
            space_before=10,
        ),
    ]
    if rows:
        out.append(pdf.Table(STAGE_PEOPLE_COLUMNS, tuple(rows), size=PLOTING_SIZE))
    else:
        out.append(pdf.Paragraph("Tidak ada tugas pos pada tahap ini.", 8.5))
    return [*out, *annex.signature()]


def stage_settings(s: OrderSettings, scenario: Scenario, block: schedule.StageBlock) -> OrderSettings:
    """The settings of a Sprin for one stage beyond the vote: unless the Kabag Ops wrote his own
    Untuk, it orders that stage's duties in their windows."""
    if s.untuk:
        return s
    when = schedule.window(scenario.operation.election_date, block.stage.start, block.stage.end, year=True)
    text = KIND_TEXT[election_kind(scenario)]
    pdp = scenario.operation.election_date >= PDP_LAW_IN_FORCE
    return replace(
        s,
        untuk=(
            f"melaksanakan pengamanan tahap {block.stage.name} dalam rangka {text} di wilayah hukum {s.polres}, "
            f"{when}, dalam {scenario.operation.name};",
            "melaksanakan tugas sebagaimana tersebut dalam lampiran Surat Perintah ini, pada tempat dan waktu "
            "yang tertera untuk tiap tugas, di bawah ketua pos masing-masing, dan tidak meninggalkan tugas "
            "sebelum diganti oleh shift berikutnya;",
            "melaporkan setiap perkembangan situasi dan kejadian menonjol kepada ketua pos dan Padal "
            "(perwira pengendali) kecamatan masing-masing, untuk diteruskan secara berjenjang kepada Kapolres;",
            "menggunakan data pribadi personel dalam lampiran hanya untuk keperluan operasi ini dan tidak "
            "menyebarluaskannya" + (" (UU Nomor 27 Tahun 2022);" if pdp else ";"),
            "melaksanakan perintah ini dengan saksama dan penuh rasa tanggung jawab.",
        ),
    )


def sprin_pdf(
    scenario: Scenario,
    ploting: Ploting,
    settings: OrderSettings | None = None,
    draft: bool = False,
    stages: Sequence[schedule.StageBlock] = (),
    stage: schedule.StageBlock | None = None,
    signoff: Mapping[str, Any] | None = None,
) -> pdf.Rendered:
    """The Sprin with its lampiran, as PDF bytes; a petikan when `ploting` is scoped to one
    kecamatan; "KONSEP" across every page when `draft`; `signoff` (the plan's
    `category_signoff`) printed under the ploting annex's title.

    With `stages` (schedule.build) and no `stage`: the whole operation, the time-phased annex
    after the others. With `stage`: the Sprin of that stage alone, its name under the number;
    for the vote, the ploting, the coordinated forces and the stage's duties; for another
    stage, its duties and the people on each, instead of the ploting."""
    given = settings or OrderSettings()
    s = resolve(given, scenario)
    election = scenario.operation.election_date
    vote = stage is None or stage.stage.kind == StageKind.PEMUNGUTAN
    if not vote and stage is not None and not given.untuk:
        s = stage_settings(replace(s, untuk=()), scenario, stage)
    petikan = bool(ploting.scope_code)
    polres_codes = {u.code for u in scenario.units if u.kind == UnitKind.POLRES}
    numbers = iter(ROMAN)
    blocks = organisation_blocks(scenario, Annex("I", s, election, petikan), polres_codes)
    if blocks:
        next(numbers)
    if vote:
        blocks += annex_blocks(ploting, Annex(next(numbers), s, election, petikan), signoff)
        blocks += [pdf.PageBreak(), *coordination_blocks(ploting, Annex(next(numbers), s, election, petikan))]
        blocks += [pdf.PageBreak(), *comms_blocks(scenario, ploting, Annex(next(numbers), s, election, petikan))]
    if stage is not None:
        if vote:
            blocks.append(pdf.PageBreak())
        annex = Annex(next(numbers), s, election, petikan)
        blocks += timeline_blocks([stage], annex, ploting.operation, whole=False)
        if not vote:
            blocks += [
                pdf.PageBreak(),
                *stage_people_blocks(scenario, stage, Annex(next(numbers), s, election, petikan), ploting.operation),
            ]
    elif stages:
        blocks += [
            pdf.PageBreak(),
            *timeline_blocks(stages, Annex(next(numbers), s, election, petikan), ploting.operation),
        ]
    extract = "Petikan lampiran" if petikan else "Lampiran"
    number = s.number if s.number.casefold().startswith("sprin") else f"Sprin {s.number}"  # never "Sprin Sprin/"
    head = f"{extract} {number} | {ploting.operation}" + (f" | Tahap {stage.stage.name}" if stage else "")
    stage_line = stage_title(stage, election) if stage else ""
    pages = [*letter_pages(s, scenario, petikan, stage_line), *pdf.flow(blocks, head=head)]
    title = f"{'Petikan ' if petikan else ''}Surat Perintah {scenario.operation.name}"
    return pdf.pages_pdf(pages, title=title, watermark=KONSEP if draft else "")
