"""Assignment cards: one per assigned person, eight to an A4 page (2 x 4), cut along the lines.

A card names the person (name, rank, NRP, unit), where they stand (task, post, TPS, desa),
whom they answer to (the post's ketua pos, its senior member, and the kecamatan's Padal, the
controlling officer, each with phone) and whom to call for help (the leader of
the nearest reserve team, or the reserve unit's commander when the team is empty). Its QR code
carries a signed token (tokens.py) of the person's NRP, the plan version (planfile.digest)
and the post, which the apel scanner verifies.

The QR mask is fixed: a token is base64 text, close to random, so searching the eight masks
(80% of segno's time) buys nothing, and the regency's 4,600 cards must print in seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import segno

from siaga.core.data import geo
from siaga.core.data.model import Force, Person, Plan, Post, Scenario
from siaga.core.data.planfile import digest
from siaga.core.data.ranks import leader
from siaga.core.documents import pdf, tokens
from siaga.core.documents.ploting import Ploting, person_label

PER_PAGE = 8
COLUMNS, ROWS = 2, 4
MARGIN = 10 * pdf.MM  # left and right
TOP, BOTTOM = 8 * pdf.MM, 12 * pdf.MM  # the page number sits below the cards
PAD = 8.0
QR_SIZE = 100.0
QR_BORDER = 4  # modules of quiet zone
QR_MASK = 0
ID_LABEL = {Force.LINMAS: "NIK", Force.SATPOL_PP: "NIP"}


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


def token_payload(nrp: str, plan_version: str, post_id: str) -> dict[str, str]:
    return {"nrp": nrp, "plan": plan_version, "post": post_id}


def build(scenario: Scenario, plan: Plan, ploting: Ploting, key: bytes) -> list[Card]:
    """A card for every person on `ploting` (which may be one kecamatan), in ploting order."""
    version = digest(plan)
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
            )
        )
    return cards


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


def qr_modules(text: str) -> list[list[int]]:
    """The QR code of `text` (error correction M) with its quiet zone, 1 = dark."""
    code = segno.make(text, error="m", micro=False, boost_error=False, mask=QR_MASK)
    size = len(code.matrix) + 2 * QR_BORDER
    blank = [0] * size
    pad = [0] * QR_BORDER
    return [
        *([blank] * QR_BORDER),
        *([*pad, *(1 if m else 0 for m in row), *pad] for row in code.matrix),
        *([blank] * QR_BORDER),
    ]


def _lines(text: str, width: float, size: float, bold: bool = False, most: int = 2) -> list[str]:
    """At most `most` lines; a longer text ends with an ellipsis on the last line."""
    lines = pdf.wrap(text, width, size, bold)
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and pdf.text_width(last + "\u2026", size, bold) > width:
        last = last[:-1]
    return [*lines[: most - 1], last.rstrip() + "\u2026"]


def draw_card(page: pdf.Page, x: float, y: float, w: float, h: float, card: Card, title: str) -> None:
    page.rect(x + 3, y + 3, w - 6, 17, fill=0.88, stroke=False)
    page.text(x + PAD, y + 11, "KARTU PENUGASAN", 8, bold=True)
    room = w - 2 * PAD - pdf.text_width("KARTU PENUGASAN", 8, True) - 8
    page.text(x + w - PAD, y + 11, _lines(card.post_name, room, 7, bold=True, most=1)[0], 7, bold=True, align="right")
    for n, line in enumerate(_lines(title, w - 2 * PAD, 5.8, most=1)):
        page.text(x + PAD, y + 18 + 7 * n, line, 5.8)
    qr_x, qr_y = x + w - PAD - QR_SIZE + 4, y + 24
    page.bitmap(qr_x, qr_y, QR_SIZE, qr_modules(card.token))
    left = qr_x - x - PAD - 4
    cy = y + 36
    for line in _lines(card.name, left, 11, bold=True):
        page.text(x + PAD, cy, line, 11, bold=True)
        cy += 12.5
    rank = f"{card.rank}  |  " if card.rank else ""
    cy = _field(page, x + PAD, cy, left, "", f"{rank}{card.id_label} {card.nrp}", 8, most=1)
    cy = _field(page, x + PAD, cy, left, "", card.unit, 8)
    cy += 4
    cy = _field(page, x + PAD, cy, left, "Tugas", card.task)
    cy = _field(page, x + PAD, cy, left, "TPS", card.tps)
    cy = _field(page, x + PAD, cy, left, "Desa", card.desa)
    cy = _field(page, x + PAD, cy, left, "Kec.", card.kecamatan)
    cy = max(cy, qr_y + QR_SIZE + 8)
    page.line(x + PAD, cy - 4, x + w - PAD, cy - 4, 0.3)
    cy = _field(page, x + PAD, cy + 6, w - 2 * PAD, "Ketua pos", f"{card.leader}  |  HP {card.leader_phone}", most=1)
    cy = _field(page, x + PAD, cy + 1, w - 2 * PAD, "Padal", f"{card.padal}  |  HP {card.padal_phone}", most=1)
    _field(page, x + PAD, cy + 1, w - 2 * PAD, "Cadangan", f"{card.reserve}  |  HP {card.reserve_phone}")
    note = "Bawa kartu ini saat apel; kode QR bertanda tangan, kartu yang diubah tidak berlaku."
    for line in _lines(note, w - 2 * PAD, 5.5):
        page.text(x + PAD, y + h - PAD - 1, line, 5.5)


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
    """A4 pages of eight cards each, with dashed cut lines."""
    out: list[pdf.Page] = []
    w = (pdf.A4[0] - 2 * MARGIN) / COLUMNS
    h = (pdf.A4[1] - TOP - BOTTOM) / ROWS
    for i, card in enumerate(cards):
        if i % PER_PAGE == 0:
            page = pdf.Page(*pdf.A4, footer_y=pdf.A4[1] - 5 * pdf.MM)
            for c in range(COLUMNS + 1):
                page.line(MARGIN + c * w, TOP, MARGIN + c * w, TOP + ROWS * h, 0.4, dash=3)
            for r in range(ROWS + 1):
                page.line(MARGIN, TOP + r * h, MARGIN + COLUMNS * w, TOP + r * h, 0.4, dash=3)
            out.append(page)
        slot = i % PER_PAGE
        draw_card(out[-1], MARGIN + (slot % COLUMNS) * w, TOP + (slot // COLUMNS) * h, w, h, card, title)
    return out


def cards_pdf(cards: Sequence[Card], title: str) -> pdf.Rendered:
    return pdf.pages_pdf(pages(cards, title), title=f"Kartu penugasan {title}")
