"""Assignment cards: one per assigned person, eight to an A4 page (2 x 4), cut along the lines.

A person with more than one duty across the operation's stages (escorts, warehouse shifts,
the vote, the PPK recapitulation...) gets, right after his card, a roster card ("JADWAL
TUGAS"; two or more when he has more than `ROSTER_PER_CARD` duties) of the same size: every
duty in time order with its window (H-5 Jum 09/02 06:00 - 14:00), stage, name, place and
leader (the ketua pos over the people on that duty). A roster card repeats the name and NRP,
so it stays his even when cut apart from the first; next to it on the sheet, the pair folds
into one two-sided card. Squeezing four or ten duties onto the front would have meant text
below 6 pt, unreadable at night at a TPS; the front card keeps its layout and says the
window of the vote's post and how many duties the roster card lists.

A card names the person (name, rank, NRP, unit), where they stand (task, post, TPS, desa),
whom they answer to (the post's ketua pos, its senior member, and the kecamatan's Padal, the
controlling officer, each with phone) and whom to call for help (the leader of
the nearest reserve team, or the reserve unit's commander when the team is empty). Its QR code
carries a signed token (tokens.py) of the person's NRP, the plan version (planfile.digest)
and the post, which the apel scanner verifies.

The QR mask is fixed: a token is base64 text, close to random, so searching the eight masks
(80% of segno's time) buys nothing, and the regency's 4,600 cards must print in seconds: the
codes come from qr.py (segno's symbol, a hundred times faster), drawn as vectors.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from siaga.core.data import geo
from siaga.core.data.model import Force, Person, Plan, Post, Scenario, StageKind
from siaga.core.data.planfile import digest
from siaga.core.data.ranks import leader
from siaga.core.documents import pdf, qr, schedule, tokens
from siaga.core.documents.ploting import Ploting, person_label

PER_PAGE = 8
COLUMNS, ROWS = 2, 4
MARGIN = 10 * pdf.MM  # left and right
TOP, BOTTOM = 8 * pdf.MM, 12 * pdf.MM  # the page number sits below the cards
PAD = 8.0
QR_SIZE = 100.0
QR_BORDER = 4  # modules of quiet zone
QR_MASK = qr.MASK
ID_LABEL = {Force.LINMAS: "NIK", Force.SATPOL_PP: "NIP"}
UNPRINTED_LABELS = frozenset({"NIK"})  # a Linmas member's KTP number is never printed (ploting.printed_id)
ROSTER_PER_CARD = 4  # duties on one roster card, three lines each at 7 pt


@dataclass(frozen=True)
class RosterLine:
    """One duty of a person's roster, as the roster card prints it."""

    window: str  # "H-5 Jum 09/02 06:00 - 14:00"
    stage: str
    name: str
    place: str
    leader: str  # the duty's ketua pos, "RANK Name"
    leader_phone: str
    stage_short: str = ""  # the stage's kind in a word or two, printed when its name does not fit


# A stage's kind as a card prints it when the stage's own name is too long for the line.
STAGE_SHORT = {
    StageKind.APEL_GELAR: "Apel gelar",
    StageKind.APEL_KESIAPAN: "Apel kesiapan",
    StageKind.APEL_PERGESERAN: "Apel",
    StageKind.KAMPANYE: "Kampanye",
    StageKind.MASA_TENANG: "Masa tenang",
    StageKind.DISTRIBUSI_LOGISTIK: "Distribusi",
    StageKind.PERGESERAN: "Pergeseran",
    StageKind.PEMUNGUTAN: "Pemungutan",
    StageKind.PENGAWALAN: "Pengawalan",
    StageKind.REKAP_PPK: "Rekap PPK",
    StageKind.REKAP_KPU: "Rekap KPU",
    StageKind.PENETAPAN: "Penetapan",
    StageKind.PSU: "PSU",
}


@dataclass(frozen=True)
class Card:
    name: str
    rank: str
    nrp: str
    id_label: str  # NRP (Polri, TNI), NIP (Satpol PP) or NIK (Linmas)
    unit: str
    task: str
    post_id: str  # internal, in the token only
    post_name: str  # what the card prints (ploting.post_names)
    tps: str  # "TPS 3" or "TPS 1, 2"
    desa: str
    kecamatan: str
    leader: str  # the ketua pos: the post's senior member
    leader_phone: str
    padal: str  # the kecamatan's controlling officer (its Kapolsek), "-" when none is known
    padal_phone: str
    reserve: str
    reserve_phone: str
    token: str
    window: str = ""  # the vote post's window, "H-1 Sel 13/02 07:00 s.d. H+1 Kam 15/02 12:00"
    roster: tuple[RosterLine, ...] = field(default=())  # every duty, the vote's post among them
    roster_only: bool = False  # no post at the vote: only his roster card(s), without a QR

    @property
    def printed_id(self) -> str:
        """The identifier as the card prints it ("NRP 78040123"); none for a Linmas member:
        the NIK (their KTP number) is never printed (UU PDP 27/2022, ploting.printed_id), it
        stays in the QR."""
        return "" if self.id_label in UNPRINTED_LABELS else f"{self.id_label} {self.nrp}"


def token_payload(nrp: str, plan_version: str, post_id: str) -> dict[str, str]:
    return {"nrp": nrp, "plan": plan_version, "post": post_id}


def build(
    scenario: Scenario,
    plan: Plan,
    ploting: Ploting,
    key: bytes,
    stages: Sequence[schedule.StageBlock] = (),
) -> list[Card]:
    """A card for every person on `ploting` (which may be one kecamatan), in ploting order,
    with his roster over `stages` (schedule.build of the whole operation; built when not given)."""
    version = digest(plan)
    election = scenario.operation.election_date
    duties_of = schedule.of_person(stages or schedule.build(scenario, plan))
    persons = {p.id: p for p in scenario.personnel}
    members: dict[str, list[Person]] = defaultdict(list)
    for a in plan.assignments:
        members[a.post].append(persons[a.person])
    reserve_posts = [p for p in plan.posts if p.kind == "RESERVE"]
    commander = leader(p for p in scenario.personnel if p.force == Force.BRIMOB)
    reserve_leaders = {p.id: leader(members[p.id]) or commander for p in reserve_posts}
    posts = {p.id: p for p in plan.posts}
    ketua = {b.post.id: b.ketua for k in ploting.kecamatan for d in k.desa for b in d.posts}
    padal = {b.post.id: b.padal for k in ploting.kecamatan for d in k.desa for b in d.posts}
    nearest: dict[str, Person | None] = {}
    cards = []
    for row in ploting.rows():
        if row.post_id not in nearest:
            nearest[row.post_id] = _nearest_reserve(posts[row.post_id], reserve_posts, reserve_leaders, commander)
        head, reserve, control = ketua.get(row.post_id), nearest[row.post_id], padal.get(row.post_id)
        cards.append(
            Card(
                name=row.name,
                rank=row.rank,
                nrp=row.nrp,
                id_label=ID_LABEL.get(row.force, "NRP"),
                unit=row.unit,
                task=row.task,
                post_id=row.post_id,
                post_name=row.post_name,
                tps=f"TPS {row.tps_short}" if row.tps_numbers else "-",
                desa=row.desa,
                kecamatan=row.kecamatan,
                leader=person_label(head),
                leader_phone=head.phone if head and head.phone else "-",
                padal=person_label(control),
                padal_phone=control.phone if control and control.phone else "-",
                reserve=person_label(reserve),
                reserve_phone=reserve.phone if reserve and reserve.phone else "-",
                token=tokens.sign(token_payload(row.nrp, version, row.post_id), key),
                window=next(
                    (
                        schedule.window(election, line.duty.start, line.duty.end)
                        for _, line in duties_of.get(row.nrp, [])
                        if line.duty.id == row.post_id
                    ),
                    "",
                ),
                roster=tuple(_roster_line(b, line, election) for b, line in duties_of.get(row.nrp, [])),
            )
        )
    on_cards = {c.nrp for c in cards} | {a.person for a in plan.assignments}
    units = {u.code: u.name for u in scenario.units}
    for nrp, duties in duties_of.items():  # duties beyond the vote only: a roster card, no QR
        if nrp in on_cards or nrp not in persons:
            continue
        if ploting.scope_code and not any(line.duty.kecamatan_code == ploting.scope_code for _, line in duties):
            continue
        p = persons[nrp]
        cards.append(
            Card(
                name=p.name,
                rank=p.rank,
                nrp=p.id,
                id_label=ID_LABEL.get(p.force, "NRP"),
                unit=units.get(p.unit_code, p.unit_code),
                task="",
                post_id="",
                post_name="",
                tps="-",
                desa="",
                kecamatan="",
                leader="-",
                leader_phone="-",
                padal="-",
                padal_phone="-",
                reserve="-",
                reserve_phone="-",
                token="",
                roster=tuple(_roster_line(b, line, election) for b, line in duties),
                roster_only=True,
            )
        )
    return cards


def _roster_line(block: schedule.StageBlock, line: schedule.DutyLine, election: dt.date) -> RosterLine:
    return RosterLine(
        schedule.window(election, line.duty.start, line.duty.end),
        schedule.stage_of(block, line),
        line.name,
        line.place,
        person_label(line.ketua),
        line.ketua.phone if line.ketua and line.ketua.phone else "-",
        "Pam TPS" if line.vote else STAGE_SHORT.get(block.stage.kind, ""),
    )


def _nearest_reserve(
    post: Post, reserve_posts: Sequence[Post], leaders: dict[str, Person | None], commander: Person | None
) -> Person | None:
    if post.kind == "RESERVE":
        return leaders.get(post.id)
    if not reserve_posts:
        return commander
    nearest = min(reserve_posts, key=lambda r: (geo.haversine_km(post.lat, post.lon, r.lat, r.lon), r.id))
    return leaders[nearest.id]


# ---------------------------------------------------------------- drawing


def qr_modules(text: str) -> np.ndarray:
    """The QR code of `text` (error correction M, mask QR_MASK) with its quiet zone, 1 = dark
    (qr.py: segno's symbol, made fast)."""
    return qr.matrix(text, QR_BORDER)


def _lines(text: str, width: float, size: float, bold: bool = False, most: int = 2) -> list[str]:
    """At most `most` lines; a longer text ends with an ellipsis on the last line."""
    lines = pdf.wrap(text, width, size, bold)
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and pdf.text_width(last + "\u2026", size, bold) > width:
        last = last[:-1]
    return [*lines[: most - 1], last.rstrip() + "\u2026"]


CARD, ROSTER = "kartu", "jadwal"  # the templates: what every card, every roster card has
# the foot of each, printed whole on one line of the card
CARD_NOTE = "Bawa kartu ini saat apel; kode QR bertanda tangan, kartu yang diubah tidak berlaku."
ROSTER_NOTE = "Jadwal menurut rencana; perubahan diberitahukan Padal. Bukan untuk absensi apel."
NOTE_SIZE = 5.5


def templates(title: str) -> dict[str, pdf.Page]:
    """What every assignment card and every roster card of the document has (the header bar,
    the kind of card, the operation, the note at the foot), drawn once in the file."""
    w, h = _cell()
    card, roster = pdf.Page(w, h, numbered=False), pdf.Page(w, h, numbered=False)
    for face, kind in ((card, "KARTU PENUGASAN"), (roster, "JADWAL TUGAS")):
        face.rect(3, 3, w - 6, 17, fill=0.88, stroke=False)
        face.text(PAD, 11, kind, 8, bold=True)
        face.text(PAD, 18, _lines(title, w - 2 * PAD, 5.8, most=1)[0], 5.8)
    card.text(PAD, h - PAD - 1, _lines(CARD_NOTE, w - 2 * PAD, NOTE_SIZE, most=1)[0], NOTE_SIZE)
    roster.text(PAD, h - PAD - 1, _lines(ROSTER_NOTE, w - 2 * PAD, NOTE_SIZE, most=1)[0], NOTE_SIZE)
    return {CARD: card, ROSTER: roster}


def _cell() -> tuple[float, float]:
    return (pdf.A4[0] - 2 * MARGIN) / COLUMNS, (pdf.A4[1] - TOP - BOTTOM) / ROWS


def draw_card(
    page: pdf.Page, x: float, y: float, w: float, h: float, card: Card, title: str, code: pdf.Code | None = None
) -> None:
    """The card's own text and QR code (`code`, pdf.codes of its token's; made when not given)
    over the CARD template (`templates(title)`)."""
    page.place(CARD, x, y, h)
    room = w - 2 * PAD - pdf.text_width("KARTU PENUGASAN", 8, True) - 8
    page.text(x + w - PAD, y + 11, _lines(card.post_name, room, 7, bold=True, most=1)[0], 7, bold=True, align="right")
    qr_x, qr_y = x + w - PAD - QR_SIZE + 4, y + 24
    page.qr(qr_x, qr_y, QR_SIZE, code or qr_modules(card.token))
    left = qr_x - x - PAD - 4
    cy = y + 36
    for line in _lines(card.name, left, 11, bold=True):
        page.text(x + PAD, cy, line, 11, bold=True)
        cy += 12.5
    rank = f"{card.rank}  |  " if card.rank else ""
    cy = _field(page, x + PAD, cy, left, "", f"{rank}{card.printed_id}".strip(" |") or "-", 8, most=1)
    cy = _field(page, x + PAD, cy, left, "", card.unit, 8)
    cy += 4
    cy = _field(page, x + PAD, cy, left, "Tugas", card.task)
    cy = _field(page, x + PAD, cy, left, "TPS", card.tps)
    cy = _field(page, x + PAD, cy, left, "Desa", card.desa)
    cy = _field(page, x + PAD, cy, left, "Kec.", card.kecamatan)
    cy = max(cy, qr_y + QR_SIZE + 5)
    page.line(x + PAD, cy - 3, x + w - PAD, cy - 3, 0.3)
    cy = _field(page, x + PAD, cy + 6, w - 2 * PAD, "Waktu", card.window or "-", most=1)
    cy = _field(page, x + PAD, cy + 1, w - 2 * PAD, "Ketua pos", f"{card.leader}  |  HP {card.leader_phone}", most=1)
    cy = _field(page, x + PAD, cy + 1, w - 2 * PAD, "Padal", f"{card.padal}  |  HP {card.padal_phone}", most=1)
    _field(page, x + PAD, cy + 1, w - 2 * PAD, "Cadangan", f"{card.reserve}  |  HP {card.reserve_phone}", most=1)
    if len(card.roster) > 1:
        hint = f"Jadwal: {len(card.roster)} tugas selama operasi, lihat kartu jadwal tugas."
        page.text(x + PAD, y + h - PAD - 8.5, _lines(hint, w - 2 * PAD, 6.5, bold=True, most=1)[0], 6.5, bold=True)


def draw_roster(page: pdf.Page, x: float, y: float, w: float, h: float, card: Card, part: int, title: str) -> None:
    """The roster card `part` (1, 2, ...) of `card` over the ROSTER template: up to
    ROSTER_PER_CARD duties, each in three lines: window (and stage), name, place and leader."""
    parts = roster_parts(card)
    page.place(ROSTER, x, y, h)
    count = f"kartu {part} dari {len(parts)}" if len(parts) > 1 else f"{len(card.roster)} tugas"
    page.text(x + w - PAD, y + 11, count, 7, bold=True, align="right")
    ident = f"{card.rank}  {card.printed_id}".strip()
    room = w - 2 * PAD - pdf.text_width(ident, 7) - 6
    page.text(x + PAD, y + 31, _lines(card.name, room, 9, bold=True, most=1)[0], 9, bold=True)
    page.text(x + w - PAD, y + 31, ident, 7, align="right")
    page.line(x + PAD, y + 35, x + w - PAD, y + 35, 0.3)
    first = (part - 1) * ROSTER_PER_CARD
    cy = y + 45
    inner = w - 2 * PAD
    for n, duty in enumerate(parts[part - 1], start=first + 1):
        head = f"{n}. {duty.window}"
        page.text(x + PAD, cy, head, 7, bold=True)
        room = inner - pdf.text_width(head, 7, True) - 6
        if room > 30:
            fits = pdf.text_width(duty.stage, 6.3) <= room or not duty.stage_short
            stage = _lines(duty.stage if fits else duty.stage_short, room, 6.3, most=1)[0]
            page.text(x + w - PAD, cy, stage, 6.3, align="right")
        page.text(x + PAD + 8, cy + 8.4, _lines(duty.name, inner - 8, 7, most=1)[0], 7)
        where = f"{duty.place}  |  Ketua pos: {duty.leader} ({duty.leader_phone})"
        page.text(x + PAD + 8, cy + 16.4, _lines(where, inner - 8, 6.3, most=1)[0], 6.3)
        cy += 30
        if n < first + len(parts[part - 1]):
            page.line(x + PAD, cy - 9, x + w - PAD, cy - 9, 0.2, dash=1)


def roster_parts(card: Card) -> list[tuple[RosterLine, ...]]:
    """The duties of each roster card of `card`: none for a person with one duty at the vote."""
    if len(card.roster) <= 1 and not card.roster_only:
        return []
    return [card.roster[i : i + ROSTER_PER_CARD] for i in range(0, len(card.roster), ROSTER_PER_CARD)]


def _field(
    page: pdf.Page, x: float, y: float, width: float, label: str, value: str, size: float = 8, most: int = 2
) -> float:
    """A labelled value (label in bold); returns the next baseline."""
    indent = max(38.0, pdf.text_width(label, size, True) + 5) if label else 0.0
    if label:
        page.text(x, y, label, size, bold=True)
    for line in _lines(value or "-", width - indent, size, most=most):
        page.text(x + indent, y, line, size)
        y += size * 1.3
    return y


def pages(cards: Iterable[Card], title: str) -> list[pdf.Page]:
    """A4 pages of eight cards each, with dashed cut lines; each card followed by its roster
    cards; a person with duties beyond the vote only gets his roster cards alone."""
    out: list[pdf.Page] = []
    w, h = _cell()
    cells = [
        (card, part) for card in cards for part in range(1 if card.roster_only else 0, len(roster_parts(card)) + 1)
    ]
    drawn = [card.token for card, part in cells if not part]
    codes = dict(zip(drawn, pdf.codes([qr_modules(t) for t in drawn]), strict=True))  # at once: numpy's pace
    for i, (card, part) in enumerate(cells):
        if i % PER_PAGE == 0:
            page = pdf.Page(*pdf.A4, footer_y=pdf.A4[1] - 5 * pdf.MM)
            for c in range(COLUMNS + 1):
                page.line(MARGIN + c * w, TOP, MARGIN + c * w, TOP + ROWS * h, 0.4, dash=3)
            for r in range(ROWS + 1):
                page.line(MARGIN, TOP + r * h, MARGIN + COLUMNS * w, TOP + r * h, 0.4, dash=3)
            out.append(page)
        slot = i % PER_PAGE
        cx, cy = MARGIN + (slot % COLUMNS) * w, TOP + (slot // COLUMNS) * h
        if part:
            draw_roster(out[-1], cx, cy, w, h, card, part, title)
        else:
            draw_card(out[-1], cx, cy, w, h, card, title, codes[card.token])
    return out


def cards_pdf(cards: Sequence[Card], title: str) -> pdf.Rendered:
    return pdf.pages_pdf(pages(cards, title), title=f"Kartu penugasan {title}", templates=templates(title))
