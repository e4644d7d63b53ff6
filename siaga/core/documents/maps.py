"""Map pages of the orders, drawn on the server with ReportLab: no browser, no network, no tiles.

- the Polres page: the kecamatan and desa boundaries of the jurisdiction, its outer edge, the
  TPS posts by category, the reserve teams, the TNI standby groups, the Polres and Polsek
  headquarters, the kecamatan names, a north arrow, a scale bar, a legend and the force by
  kecamatan;
- one page per kecamatan: its desa boundaries with their names, every TPS by category, each
  post labelled with its TPS numbers as the annex names it (`ploting.numbers_text`: the "1-3"
  of "Pos TPS 1-3 Desa Semare"), the other posts of the kecamatan, and beside the map the list
  of its posts by desa in the annex's order and words (`ploting.build`); a list too long for
  the page continues on the next.

A category is told by its shape first (circle, triangle, square, diamond, filled or not) and
by its colour second, so a black-and-white copy reads the same. Labels never overlap one
another nor a marker: each takes the first free place around its point, then further out
with a leader line; a label with no free place is left off the map (its post stays in the
list, and the page says how many). The projection is equirectangular about the page's middle
latitude, scaled to the frame; the scale bar is measured with `geo.haversine_km`.

Boundaries come as plain data (`siaga.core.data.boundaries.Boundary`); a scenario without
them gets the same pages with its points only and a note saying so. `map_pages_pdf` gives
the pages on A4 landscape (a file of the orders); `briefing_pdf` the same pages on A3
landscape after a cover: the pack a Tactical Floor Game is held over. The words are
Indonesian msgids (`text._`), as the orders speak.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from siaga.core.data import labels
from siaga.core.data.boundaries import Boundary, outer_rings
from siaga.core.data.files import write_bytes
from siaga.core.data.geo import haversine_km
from siaga.core.data.model import Category, Level, Plan, Post, Scenario, Tps, UnitKind
from siaga.core.data.text import _, gettext_noop, number
from siaga.core.documents import ploting
from siaga.core.documents.ploting import Ploting

rl_config.useA85 = 0  # binary streams, as pdf.py writes them: ASCII85 costs time and bytes
MAPS, BRIEFING = "peta.pdf", "paket-briefing.pdf"
PAGE = landscape(A4)  # the pages are laid out on A4 landscape; the briefing pack scales them to A3
BRIEFING_PAGE = landscape(A3)
MARGIN = 24.0
FRAME = (MARGIN, 34.0, 560.0, PAGE[1] - 34.0 - 62.0)  # x, y, width, height of the map
PANEL_X = FRAME[0] + FRAME[2] + 14.0
PANEL_W = PAGE[0] - MARGIN - PANEL_X
FONTS = Path(__file__).parent / "fonts"
SANS, BOLD, OBLIQUE = "SiagaSans", "SiagaSans-Bold", "SiagaSans-Oblique"
VILLAGE_LEVELS = (Level.DESA, Level.KELURAHAN)

# Category: shape first, colour second (black and white reads the same).
SHAPE = {
    Category.KURANG_RAWAN: "circle",
    Category.RAWAN: "triangle",
    Category.SANGAT_RAWAN: "square",
    Category.KHUSUS: "diamond",
}
FILL: dict[Category, tuple[float, float, float] | None] = {
    Category.KURANG_RAWAN: None,  # hollow
    Category.RAWAN: (0.96, 0.76, 0.20),
    Category.SANGAT_RAWAN: (0.75, 0.15, 0.12),
    Category.KHUSUS: (0.0, 0.0, 0.0),
}
WORDS = {
    "title_polres": gettext_noop("PETA PENGAMANAN WILAYAH HUKUM %(polres)s"),
    "title_kecamatan": gettext_noop("PETA PENGAMANAN KECAMATAN %(kecamatan)s"),
    "page": gettext_noop("Peta %(n)s dari %(total)s"),
    "legend": gettext_noop("Keterangan"),
    "document": gettext_noop("Peta pengamanan"),  # the map file's title, as a PDF reader shows it
    "tps": gettext_noop("TPS %(category)s"),
    "post_label": gettext_noop("angka: nomor TPS pada pos, seperti di lampiran"),
    "post_group": gettext_noop("garis: TPS satu pos"),
    "polres_hq": gettext_noop("Mapolres"),
    "polsek_hq": gettext_noop("Mapolsek"),
    "reserve": gettext_noop("Tim cadangan"),
    "standby": gettext_noop("Siaga TNI"),
    "village": gettext_noop("Jaga balai desa atau kantor kelurahan"),
    "kecamatan_edge": gettext_noop("Batas kecamatan"),
    "desa_edge": gettext_noop("Batas desa atau kelurahan"),
    "jurisdiction": gettext_noop("Batas wilayah hukum"),
    "no_boundaries": gettext_noop(
        "Tanpa batas wilayah: operasi ini belum memiliki berkas batas kecamatan dan desa, peta hanya "
        "menampilkan titik. Impor batas wilayah (GeoJSON) pada halaman wilayah operasi."
    ),
    "unplaced": gettext_noop("%(n)s label tidak muat di peta; lihat daftar pos."),
    "posts": gettext_noop("Pos per desa (urutan dan nama seperti lampiran)"),
    "recap": gettext_noop("Kekuatan per kecamatan"),
    "recap_line": gettext_noop("%(kecamatan)s: %(tps)s TPS, %(persons)s personel"),
    "reserves": gettext_noop("Tim cadangan dan siaga"),
    "ketua": gettext_noop("ketua pos %(who)s"),
    "north": gettext_noop("U"),
    "footer": gettext_noop("Proyeksi equirectangular, digambar tanpa jaringan. %(source)s"),
    "source": gettext_noop("Batas wilayah: data batas wilayah operasi."),
    "konsep": gettext_noop("KONSEP"),
    "cover_title": gettext_noop("PAKET BRIEFING TACTICAL FLOOR GAME (TFG)"),
    "cover_maps": gettext_noop("Daftar peta"),
    "cover_election": gettext_noop("Hari pemungutan suara: %(date)s"),
    "cover_notes": gettext_noop("Catatan TFG (diisi saat briefing)"),
    "cover_led": gettext_noop(
        "Dipimpin oleh: ............................................   Tanggal: ..................."
    ),
    "cover_page": gettext_noop("%(n)s. %(title)s"),
}


def _fonts() -> None:
    """Register the vendored DejaVu Sans under this module's own names (once per process)."""
    known = set(pdfmetrics.getRegisteredFontNames())
    for name, file in ((SANS, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf"), (OBLIQUE, "DejaVuSans-Oblique.ttf")):
        if name not in known:
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def width(text: str, size: float, font: str = SANS) -> float:
    return pdfmetrics.stringWidth(text, font, size)


# ---------------------------------------------------------------- what a page shows


@dataclass(frozen=True)
class Mark:
    """One symbol on a map: `kind` a category or a place kind, `label` written beside it."""

    lat: float
    lon: float
    kind: str
    label: str = ""
    size: float = 3.2
    bold: bool = False
    group: tuple[tuple[float, float], ...] = ()  # the other TPS of its post: a line to each


@dataclass(frozen=True)
class Line:
    """A line of the list beside a map: a heading, a post with its symbol, or plain text."""

    text: str
    kind: str = ""  # a symbol's kind, "" for none
    heading: bool = False


@dataclass(frozen=True)
class MapPage:
    title: str
    subtitle: str
    rings: tuple[tuple[str, tuple[tuple[float, float], ...]], ...]  # (style, [(lon, lat)...])
    names: tuple[tuple[float, float, str, bool], ...]  # lat, lon, region name, bold
    marks: tuple[Mark, ...]
    lines: tuple[Line, ...]
    legend: tuple[str, ...]  # the kinds shown in the legend
    focus: tuple[tuple[float, float], ...]  # (lat, lon) the frame must hold
    note: str = ""  # no boundaries
    overview: bool = False  # the Polres page: larger region names


def _category_kinds() -> tuple[str, ...]:
    return tuple(str(c) for c in Category)


def pages(
    scenario: Scenario,
    plan: Plan,
    boundaries: Sequence[Boundary] = (),
    kecamatan_code: str = "",
    plot: Ploting | None = None,
    lang: str = "id",
) -> list[MapPage]:
    """The pages to draw: the Polres page (not for one kecamatan's orders), then a page per
    kecamatan with TPS in scope, in the annex's order."""
    plot = plot if plot is not None else ploting.build(scenario, plan, kecamatan_code)
    regions = scenario.region_by_code()
    tps_by_id = {t.id: t for t in scenario.tps}
    categories = plan.tps_categories
    note = "" if boundaries else _(WORDS["no_boundaries"], lang)
    kecamatan_of = {t.id: regions[t.desa_code].parent_code for t in scenario.tps if t.desa_code in regions}
    by_level: dict[str, list[Boundary]] = defaultdict(list)
    for b in boundaries:
        by_level["KECAMATAN" if b.level == Level.KECAMATAN else "DESA" if b.code.count(".") == 3 else "OTHER"].append(b)
    kecamatan_shapes = {b.code: b for b in by_level["KECAMATAN"]}
    polres = next((u for u in scenario.units if u.kind == UnitKind.POLRES), None)
    polres_name = polres.name if polres else scenario.operation.name
    hq = _headquarters(scenario)
    post_blocks = {p.post.id: p for k in plot.kecamatan for d in k.desa for p in d.posts}
    in_scope = [p for p in plan.posts if p.id in post_blocks]
    out: list[MapPage] = []
    if not kecamatan_code:
        out.append(_polres_page(scenario, plot, in_scope, by_level, hq, polres_name, note, lang))
    for block in plot.kecamatan:
        if not block.code:
            continue
        posts = [p for p in in_scope if p.kecamatan_code == block.code]
        tps = [t for t in scenario.tps if kecamatan_of.get(t.id) == block.code]
        shape = kecamatan_shapes.get(block.code)
        desa = [b for b in by_level["DESA"] if b.code.rsplit(".", 1)[0] == block.code]
        rings: list[tuple[str, tuple[tuple[float, float], ...]]] = []
        for other in kecamatan_shapes.values():
            if other.code != block.code:
                rings += [("neighbour", r) for r in _rings(other)]
        rings += [("desa", r) for b in desa for r in _rings(b)]
        if shape is not None:
            rings += [("kecamatan", r) for r in _rings(shape)]
        names = []
        named = {b.code: b for b in desa}
        for region in scenario.regions:
            if region.parent_code != block.code or region.level not in VILLAGE_LEVELS:
                continue
            where = named.get(region.code)
            lat, lon = (where.lat, where.lon) if where else (region.lat, region.lon)
            inside = [t for t in tps if t.desa_code == region.code]
            if (lat is None or lon is None) and inside:  # no point of its own: amid its TPS
                lat, lon = sum(t.lat for t in inside) / len(inside), sum(t.lon for t in inside) / len(inside)
            if lat is not None and lon is not None:
                names.append((lat, lon, region.name, True))
        for other in kecamatan_shapes.values():
            if other.code != block.code and other.code in regions:
                names.append((other.lat, other.lon, regions[other.code].name.upper(), False))
        marks = [
            Mark(t.lat, t.lon, str(categories.get(t.id, t.category or Category.KURANG_RAWAN)), size=3.6) for t in tps
        ]
        marks += _post_marks(posts, tps_by_id)
        marks += [m for code, m in hq if code == block.code]
        focus = [(t.lat, t.lon) for t in tps] + [(p.lat, p.lon) for p in posts if p.kind != "RESERVE"]
        focus += _ring_points(rings, "kecamatan")
        lines = _post_lines(block, lang)
        title = _(WORDS["title_kecamatan"], lang, kecamatan=block.name.upper())
        kinds = [*_category_kinds(), *sorted({m.kind for m in marks if m.kind not in _category_kinds()})]
        out.append(
            MapPage(
                title,
                f"{plot.operation} · {polres_name}",
                tuple(rings),
                tuple(names),
                tuple(marks),
                tuple(lines),
                tuple(kinds),
                tuple(focus),
                note,
            )
        )
    return out


def _rings(b: Boundary) -> list[tuple[tuple[float, float], ...]]:
    return [
        tuple((float(x), float(y)) for x, y, *_ in ring) for polygon in b.geometry["coordinates"] for ring in polygon
    ]


def _ring_points(rings: Iterable[tuple[str, tuple[tuple[float, float], ...]]], style: str) -> list[tuple[float, float]]:
    return [(lat, lon) for s, ring in rings if s == style for lon, lat in ring]


def _headquarters(scenario: Scenario) -> list[tuple[str, Mark]]:
    """(kecamatan code, mark) of the Polres ("" for its code) and every Polsek with a place."""
    out = []
    for u in scenario.units:
        if u.lat is None or u.lon is None or u.kind not in (UnitKind.POLRES, UnitKind.POLSEK):
            continue
        kind = "polres_hq" if u.kind == UnitKind.POLRES else "polsek_hq"
        out.append((u.kecamatan_code, Mark(u.lat, u.lon, kind, u.name, 5.0 if kind == "polres_hq" else 4.0, True)))
    return out


def _post_marks(posts: Iterable[Post], tps_by_id: Mapping[str, Tps]) -> list[Mark]:
    """A TPS post: its TPS numbers as the annex writes them, at the post's point, with a line
    to each other TPS of the post; another post: its symbol."""
    marks = []
    for post in posts:
        if post.kind == "TPS":
            tps = [tps_by_id[t] for t in post.tps if t in tps_by_id]
            text = ploting.numbers_text(t.number for t in tps)
            others = tuple((t.lat, t.lon) for t in tps if (t.lat, t.lon) != (post.lat, post.lon))
            marks.append(Mark(post.lat, post.lon, "post", text, 0.0, False, others))
        elif post.kind in ("RESERVE", "STANDBY", "VILLAGE"):
            marks.append(Mark(post.lat, post.lon, post.kind.lower(), "", 4.0 if post.kind != "VILLAGE" else 3.4))
    return marks


def _short_names(posts: Sequence[Post]) -> dict[str, str]:
    """A reserve team's or standby group's short mark on the overview ("C1", "S2"): its full
    name stands in the list beside the map."""
    out: dict[str, str] = {}
    for letter, kind in (("C", "RESERVE"), ("S", "STANDBY")):
        for i, post in enumerate((p for p in posts if p.kind == kind), start=1):
            out[post.id] = f"{letter}{i}"
    return out


def _post_lines(block: ploting.KecamatanBlock, lang: str) -> list[Line]:
    """The kecamatan's posts by desa, as the annex names and orders them."""
    lines = [Line(_(WORDS["posts"], lang), heading=True)]
    for d in block.desa:
        lines.append(Line(f"{'Desa ' + d.name if d.code else d.name}", heading=True))
        for p in d.posts:
            kind = str(p.post.category) if p.post.kind == "TPS" else p.post.kind.lower()
            who = f" · {_(WORDS['ketua'], lang, who=ploting.person_label(p.ketua))}" if p.ketua else ""
            lines.append(Line(f"{p.name}{who}", kind))
    return lines


def _polres_page(
    scenario: Scenario,
    plot: Ploting,
    posts: Sequence[Post],
    by_level: Mapping[str, list[Boundary]],
    hq: Sequence[tuple[str, Mark]],
    polres_name: str,
    note: str,
    lang: str,
) -> MapPage:
    regions = scenario.region_by_code()
    drawn = {k.code for k in plot.kecamatan if k.code}
    kecamatan = [b for b in by_level["KECAMATAN"] if b.code in drawn]
    rings: list[tuple[str, tuple[tuple[float, float], ...]]] = []
    rings += [("desa", r) for b in by_level["DESA"] if b.code.rsplit(".", 1)[0] in drawn for r in _rings(b)]
    rings += [("kecamatan", r) for b in kecamatan for r in _rings(b)]
    edge = outer_rings([b.geometry for b in kecamatan]) if kecamatan else []
    rings += [("jurisdiction", tuple((float(x), float(y)) for x, y, *_ in ring)) for ring in edge]
    names = []
    for code in sorted(drawn):
        shape = next((b for b in kecamatan if b.code == code), None)
        region = regions.get(code)
        lat, lon = (shape.lat, shape.lon) if shape else (region.lat, region.lon) if region else (None, None)
        if region is not None and lat is not None and lon is not None:
            names.append((lat, lon, region.name.upper(), True))
    categories = {p.id: p.category for p in posts}
    marks = [Mark(p.lat, p.lon, str(categories[p.id]), size=2.4) for p in posts if p.kind == "TPS"]
    named = {p.post.id: p.name for k in plot.kecamatan for d in k.desa for p in d.posts}
    extra = [p for p in posts if p.kind in ("RESERVE", "STANDBY")]
    short = _short_names(extra)
    marks += [Mark(p.lat, p.lon, p.kind.lower(), short[p.id], 4.5) for p in extra]
    marks += [m for _code, m in hq]
    lines = [Line(_(WORDS["recap"], lang), heading=True)]
    for name, _desa, tps, _counts, persons, _gaps in plot.recap():
        lines.append(
            Line(_(WORDS["recap_line"], lang, kecamatan=name, tps=number(tps, lang), persons=number(persons, lang)))
        )
    if extra:
        lines.append(Line(_(WORDS["reserves"], lang), heading=True))
        lines += [Line(f"{short[p.id]}: {named[p.id]}", p.kind.lower()) for p in extra]
    focus = [(p.lat, p.lon) for p in posts if p.kind == "TPS"] + _ring_points(rings, "kecamatan")
    focus += [(m.lat, m.lon) for code, m in hq if code in drawn or m.kind == "polres_hq"]
    focus += [(p.lat, p.lon) for p in extra]
    kinds = [*_category_kinds(), *sorted({m.kind for m in marks if m.kind not in _category_kinds()})]
    title = _(WORDS["title_polres"], lang, polres=polres_name.upper())
    return MapPage(
        title,
        plot.operation,
        tuple(rings),
        tuple(names),
        tuple(marks),
        tuple(lines),
        tuple(kinds),
        tuple(focus),
        note,
        overview=True,
    )


# ---------------------------------------------------------------- drawing


class Projection:
    """Equirectangular about the middle latitude, fitted to `frame` with a margin."""

    def __init__(self, points: Sequence[tuple[float, float]], frame: tuple[float, float, float, float]) -> None:
        x, y, w, h = frame
        lats = [p[0] for p in points] or [0.0]
        lons = [p[1] for p in points] or [0.0]
        lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
        span = max(lat1 - lat0, (lon1 - lon0), 0.01)
        pad = span * 0.06
        lat0, lat1, lon0, lon1 = lat0 - pad, lat1 + pad, lon0 - pad, lon1 + pad
        self.k = math.cos(math.radians((lat0 + lat1) / 2))
        self.scale = min(w / ((lon1 - lon0) * self.k), h / (lat1 - lat0))
        self.x0 = x + (w - (lon1 - lon0) * self.k * self.scale) / 2
        self.y0 = y + (h - (lat1 - lat0) * self.scale) / 2
        self.lat0, self.lon0 = lat0, lon0
        self.mid = (lat0 + lat1) / 2

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        return self.x0 + (lon - self.lon0) * self.k * self.scale, self.y0 + (lat - self.lat0) * self.scale

    def km_per_point(self) -> float:
        return haversine_km(self.mid, self.lon0, self.mid + 1.0, self.lon0) / self.scale


class Placer:
    """Boxes taken on the page (labels, markers), kept in a grid of cells for quick look-ups."""

    CELL = 24.0

    def __init__(self, frame: tuple[float, float, float, float]) -> None:
        self.frame = frame
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = defaultdict(list)

    def _keys(self, box: tuple[float, float, float, float]) -> Iterable[tuple[int, int]]:
        for i in range(int(box[0] // self.CELL), int(box[2] // self.CELL) + 1):
            for j in range(int(box[1] // self.CELL), int(box[3] // self.CELL) + 1):
                yield i, j

    def free(self, box: tuple[float, float, float, float]) -> bool:
        x, y, w, h = self.frame
        if box[0] < x + 1 or box[1] < y + 1 or box[2] > x + w - 1 or box[3] > y + h - 1:
            return False
        for key in self._keys(box):
            for o in self.cells.get(key, ()):
                if box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3]:
                    return False
        return True

    def take(self, box: tuple[float, float, float, float]) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)

    def place(self, x: float, y: float, w: float, h: float, gap: float) -> tuple[float, float, bool] | None:
        """Where a w x h label of the point (x, y) goes: its lower-left corner and whether it
        needs a leader line; None when no place around the point is free."""
        for ring, leader in ((gap, False), (gap + 9.0, True), (gap + 20.0, True)):
            for dx, dy in ((1, 0), (1, 1), (-1, 0), (-1, 1), (1, -1), (-1, -1), (0, 1), (0, -1)):
                lx = x + ring if dx > 0 else x - ring - w if dx < 0 else x - w / 2
                ly = y - h / 2 + dy * (ring + h / 2 - (2 if dx else 0))
                box = (lx - 0.8, ly - 0.8, lx + w + 0.8, ly + h + 0.8)
                if self.free(box):
                    self.take(box)
                    return lx, ly, leader
        return None


def _symbol(c: Canvas, kind: str, x: float, y: float, s: float) -> None:
    """Draw the symbol of `kind` centred on (x, y), `s` its half size."""
    c.setLineWidth(0.6)
    c.setStrokeColorRGB(0, 0, 0)
    category = Category(kind) if kind in _category_kinds() else None
    if category is not None:
        fill = FILL[category]
        if fill is not None:
            c.setFillColorRGB(*fill)
        else:
            c.setFillColorRGB(1, 1, 1)
        shape = SHAPE[category]
        if shape == "circle":
            c.setLineWidth(0.9)
            c.circle(x, y, s, stroke=1, fill=1)
        elif shape == "triangle":
            _polygon(c, [(x - s * 1.15, y - s * 0.85), (x + s * 1.15, y - s * 0.85), (x, y + s * 1.15)])
        elif shape == "square":
            c.rect(x - s * 0.9, y - s * 0.9, s * 1.8, s * 1.8, stroke=1, fill=1)
        else:
            _polygon(c, [(x, y + s * 1.25), (x + s * 1.1, y), (x, y - s * 1.25), (x - s * 1.1, y)])
        return
    if kind == "polres_hq":
        c.setFillColorRGB(0, 0, 0)
        points = []
        for i in range(10):
            r = s * 1.5 if i % 2 == 0 else s * 0.62
            a = math.pi / 2 + i * math.pi / 5
            points.append((x + r * math.cos(a), y + r * math.sin(a)))
        _polygon(c, points)
    elif kind == "polsek_hq":
        c.setFillColorRGB(1, 1, 1)
        c.setLineWidth(1.2)
        _polygon(c, [(x - s, y - s), (x + s, y - s), (x + s, y + s * 0.3), (x, y + s * 1.2), (x - s, y + s * 0.3)])
        c.setFillColorRGB(0, 0, 0)
        c.rect(x - s * 0.3, y - s, s * 0.6, s * 0.9, stroke=0, fill=1)
    elif kind == "reserve":
        c.setFillColorRGB(0.55, 0.75, 0.95)
        c.setLineWidth(1.4)
        _polygon(
            c, [(x + s * 1.2 * math.cos(a), y + s * 1.2 * math.sin(a)) for a in (i * math.pi / 3 for i in range(6))]
        )
        c.setFillColorRGB(0, 0, 0)
        c.circle(x, y, s * 0.35, stroke=0, fill=1)
    elif kind == "standby":
        c.setFillColorRGB(0.85, 0.92, 0.8)
        c.setLineWidth(1.0)
        c.rect(x - s, y - s, 2 * s, 2 * s, stroke=1, fill=1)
        c.line(x - s, y - s, x + s, y + s)
        c.line(x - s, y + s, x + s, y - s)
    elif kind == "village":
        c.setLineWidth(1.0)
        c.line(x - s * 0.6, y - s, x - s * 0.6, y + s)
        c.setFillColorRGB(0.3, 0.3, 0.3)
        _polygon(c, [(x - s * 0.6, y + s), (x + s, y + s * 0.5), (x - s * 0.6, y)])


def _polygon(c: Canvas, points: Sequence[tuple[float, float]], fill: bool = True) -> None:
    path = c.beginPath()
    path.moveTo(*points[0])
    for p in points[1:]:
        path.lineTo(*p)
    path.close()
    c.drawPath(path, stroke=1, fill=1 if fill else 0)


def _legend_label(kind: str, lang: str) -> str:
    if kind in _category_kinds():
        return _(WORDS["tps"], lang, category=_(labels.CATEGORY[kind], lang))
    return _(WORDS.get(kind, kind), lang)


RING_STYLE = {  # stroke grey, width, dash
    "neighbour": (0.6, 0.6, (2, 2)),
    "desa": (0.45, 0.5, None),
    "kecamatan": (0.0, 1.4, None),
    "jurisdiction": (0.0, 2.4, None),
}


def _draw_map(c: Canvas, page: MapPage, lang: str) -> int:
    """The map in its frame; the number of labels left off."""
    x, y, w, h = FRAME
    c.setFillColorRGB(0.95, 0.95, 0.95)
    c.rect(x, y, w, h, stroke=0, fill=1)
    top = 44.0 if page.note else 30.0  # room for the note and the north arrow, and the scale bar below
    project = Projection(page.focus or [(m.lat, m.lon) for m in page.marks], (x, y + 24.0, w, h - 24.0 - top))
    c.saveState()
    clip = c.beginPath()
    clip.rect(x, y, w, h)
    c.clipPath(clip, stroke=0, fill=0)
    for style in ("kecamatan",):  # the area shown in white, the rest light grey
        for s, ring in page.rings:
            if s == style:
                c.setFillColorRGB(1, 1, 1)
                _ring_path(c, project, ring, stroke=False, fill=True)
    for style in ("neighbour", "desa", "kecamatan", "jurisdiction"):
        grey, line, dash = RING_STYLE[style]
        c.setStrokeColorRGB(grey, grey, grey)
        c.setLineWidth(line)
        c.setDash(list(dash) if dash else [])
        for s, ring in page.rings:
            if s == style:
                _ring_path(c, project, ring, stroke=True, fill=False)
    c.setDash([])
    placer = Placer(FRAME)
    marks = [(m, *project(m.lat, m.lon)) for m in page.marks]
    # the lines from a post to its other TPS, under the symbols
    c.setStrokeColorRGB(0.35, 0.35, 0.35)
    c.setLineWidth(0.4)
    for m, px, py in marks:
        for lat, lon in m.group:
            qx, qy = project(lat, lon)
            c.line(px, py, qx, qy)
    for m, px, py in marks:
        if m.size:
            r = m.size * 1.3
            placer.take((px - r, py - r, px + r, py + r))
            _symbol(c, m.kind, px, py, m.size)
    unplaced = 0
    # region names first (they matter most), then the headquarters, then the post numbers
    for lat, lon, name, bold in page.names:
        px, py = project(lat, lon)
        size = (8.5 if bold else 7.0) if page.overview else (7.5 if bold else 6.5)
        font = BOLD if bold else OBLIQUE
        tw = width(name, size, font)
        spot = _free_near(placer, px - tw / 2, py - size / 2, tw, size)
        if spot is None:
            continue
        c.setFillColorRGB(1, 1, 1)
        c.setFillAlpha(0.7)
        c.rect(spot[0] - 1, spot[1], tw + 2, size + 0.5, stroke=0, fill=1)
        c.setFillAlpha(1)
        grey = 0.1 if bold else 0.4
        c.setFillColorRGB(grey, grey, grey)
        c.setFont(font, size)
        c.drawString(spot[0], spot[1] + 1.2, name)
    for m, px, py in sorted(marks, key=lambda item: (not item[0].bold, item[1], item[2])):
        if not m.label:
            continue
        size = 6.8
        font = BOLD
        tw = width(m.label, size, font)
        gap = max(m.size, 3.6) * 1.3 + 1.0  # clear of the TPS symbol under a post's point
        placed = placer.place(px, py, tw + 2, size + 1, gap)
        if placed is None:
            unplaced += 1
            continue
        lx, ly, leader = placed
        if leader:
            c.setStrokeColorRGB(0.2, 0.2, 0.2)
            c.setLineWidth(0.4)
            c.line(px, py, min(max(px, lx), lx + tw + 2), min(max(py, ly), ly + size + 1))
        c.setFillColorRGB(1, 1, 1)
        c.setFillAlpha(0.85)
        c.rect(lx, ly, tw + 2, size + 1, stroke=0, fill=1)
        c.setFillAlpha(1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(font, size)
        c.drawString(lx + 1, ly + 1.4, m.label)
    c.restoreState()
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.8)
    c.rect(x, y, w, h, stroke=1, fill=0)
    _north(c, x + w - 22, y + h - 40, lang)
    _scale_bar(c, project, x + 10, y + 10)
    if page.note:
        _note(c, page.note, x + 10, y + h - 12, w - 60)
    return unplaced


def _free_near(placer: Placer, lx: float, ly: float, w: float, h: float) -> tuple[float, float] | None:
    for step in range(0, 48, 4):  # outward in a square spiral: the name stays near its place
        for dx, dy in (
            (0, 0),
            (0, step),
            (0, -step),
            (step, 0),
            (-step, 0),
            (step, step),
            (-step, -step),
            (step, -step),
            (-step, step),
        ):
            if step == 0 and (dx, dy) != (0, 0):
                continue
            box = (lx + dx, ly + dy, lx + dx + w, ly + dy + h)
            if placer.free(box):
                placer.take(box)
                return lx + dx, ly + dy
    return None


def _ring_path(
    c: Canvas,
    project: Callable[[float, float], tuple[float, float]],
    ring: Sequence[tuple[float, float]],
    stroke: bool,
    fill: bool,
) -> None:
    """The ring as PDF path operators written at once (ReportLab's path object formats each
    number in Python: ten times slower for a boundary of thousands of points); points closer
    than half a point to the last drawn are skipped: the eye cannot see them."""
    ops: list[str] = []
    last = (math.inf, math.inf)
    for lon, lat in ring:
        px, py = project(lat, lon)
        if abs(px - last[0]) + abs(py - last[1]) > 0.5:
            ops.append(f"{px:.1f} {py:.1f} {'l' if ops else 'm'}")
            last = (px, py)
    if len(ops) > 1:
        c.addLiteral("\n".join(ops) + (" f" if fill and not stroke else " S" if stroke and not fill else " B"))


def _north(c: Canvas, x: float, y: float, lang: str) -> None:
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.8)
    c.setFillColorRGB(0, 0, 0)
    _polygon(c, [(x, y + 22), (x + 7, y), (x, y + 6)])
    c.setFillColorRGB(1, 1, 1)
    _polygon(c, [(x, y + 22), (x - 7, y), (x, y + 6)])
    c.setFillColorRGB(0, 0, 0)
    c.setFont(BOLD, 10)
    c.drawCentredString(x, y + 25, _(WORDS["north"], lang))


def _scale_bar(c: Canvas, project: Projection, x: float, y: float) -> None:
    per_point = project.km_per_point()
    target = per_point * 110
    step = 10 ** math.floor(math.log10(target))
    km = max((m * step for m in (1, 2, 5) if m * step <= target), default=step)
    length = km / per_point
    c.setFillColorRGB(1, 1, 1)
    c.setFillAlpha(0.85)
    c.rect(x - 4, y - 4, length + 38, 22, stroke=0, fill=1)
    c.setFillAlpha(1)
    c.setLineWidth(0.6)
    c.setStrokeColorRGB(0, 0, 0)
    for i in range(4):
        c.setFillColorRGB(*((0, 0, 0) if i % 2 == 0 else (1, 1, 1)))
        c.rect(x + i * length / 4, y, length / 4, 4, stroke=1, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(SANS, 6.5)
    c.drawCentredString(x, y + 7, "0")
    text = f"{km:g} km".replace(".", ",")
    c.drawString(x + length + 3, y + 7, text)


def _note(c: Canvas, text: str, x: float, y: float, w: float) -> None:
    lines = simpleSplit(text, OBLIQUE, 7, w - 8)
    height = 9 * len(lines) + 4
    c.setFillColorRGB(1, 1, 1)
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.6)
    c.rect(x, y - height + 6, w, height, stroke=1, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(OBLIQUE, 7)
    for i, line in enumerate(lines):
        c.drawString(x + 4, y - 3 - 9 * i, line)


RING_WORD = {"desa": "desa_edge", "kecamatan": "kecamatan_edge", "jurisdiction": "jurisdiction"}


def _legend(c: Canvas | None, page: MapPage, y: float, lang: str) -> float:
    """The legend at the top of the panel (measured only, without a canvas); the y below it."""
    if c is not None:
        c.setFillColorRGB(0, 0, 0)
        c.setFont(BOLD, 8)
        c.drawString(PANEL_X, y, _(WORDS["legend"], lang))
    y -= 11
    entries: list[tuple[str, str]] = [(k, _legend_label(k, lang)) for k in page.legend if k != "post"]
    if any(m.kind == "post" for m in page.marks):
        entries.append(("number", _(WORDS["post_label"], lang)))
        if any(m.group for m in page.marks):
            entries.append(("group", _(WORDS["post_group"], lang)))
    styles = sorted({s for s, _r in page.rings if s in RING_WORD}, key=list(RING_STYLE).index)
    entries += [(f"ring:{s}", _(WORDS[RING_WORD[s]], lang)) for s in styles]
    if c is None:
        return y - sum(8.5 * len(simpleSplit(label, SANS, 6.5, PANEL_W - 18)) + 1.5 for _k, label in entries) - 6
    for kind, label in entries:
        if kind == "number":
            c.setFont(BOLD, 6.5)
            c.setFillColorRGB(0, 0, 0)
            c.drawCentredString(PANEL_X + 5, y - 1, "1-3")
        elif kind == "group":
            c.setLineWidth(0.4)
            c.setStrokeColorRGB(0.35, 0.35, 0.35)
            c.line(PANEL_X, y + 1, PANEL_X + 10, y + 1)
        elif kind.startswith("ring:"):
            grey, line, dash = RING_STYLE[kind[5:]]
            c.setStrokeColorRGB(grey, grey, grey)
            c.setLineWidth(line)
            c.setDash(list(dash) if dash else [])
            c.line(PANEL_X, y + 1, PANEL_X + 10, y + 1)
            c.setDash([])
        else:
            _symbol(c, kind, PANEL_X + 5, y + 1.5, 3.2)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(SANS, 6.5)
        for part in simpleSplit(label, SANS, 6.5, PANEL_W - 18):
            c.drawString(PANEL_X + 15, y, part)
            y -= 8.5
        y -= 1.5
    return y - 6


LIST_SIZE, LIST_LEAD = 6.4, 8.0


def _fill_column(c: Canvas | None, lines: list[Line], x: float, top: float, bottom: float, w: float) -> list[Line]:
    """Write `lines` down a column from `top` (measure only, without a canvas); the lines that
    did not fit."""
    y = top
    for i, line in enumerate(lines):
        font = BOLD if line.heading else SANS
        parts = simpleSplit(line.text, font, LIST_SIZE, w - (12 if line.kind else 0))
        need = LIST_LEAD * len(parts) + (2 if line.heading else 0)
        if y - need < bottom:
            return lines[i:]
        if line.heading:
            y -= 2
        if c is None:
            y -= LIST_LEAD * len(parts)
            continue
        if line.kind:
            _symbol(c, line.kind, x + 4, y + 2, 2.4)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(font, LIST_SIZE)
        for part in parts:
            c.drawString(x + (12 if line.kind else 0), y, part)
            y -= LIST_LEAD
    return []


def _konsep(c: Canvas, lang: str) -> None:
    """ "KONSEP" large, light and diagonal over the page (a plan not yet approved)."""
    c.saveState()
    c.setFillColorRGB(0.45, 0.45, 0.45)
    c.setFillAlpha(0.25)
    c.setFont(BOLD, 110)
    c.translate(PAGE[0] / 2, PAGE[1] / 2)
    c.rotate(30)
    c.drawCentredString(0, -35, _(WORDS["konsep"], lang))
    c.restoreState()


def _frame_text(c: Canvas, title: str, subtitle: str, n: int, total: int, operation: str, lang: str) -> None:
    c.setFillColorRGB(0, 0, 0)
    c.setFont(BOLD, 12)
    c.drawString(MARGIN, PAGE[1] - 32, title)
    c.setFont(SANS, 8.5)
    c.drawString(MARGIN, PAGE[1] - 45, subtitle)
    c.setFont(SANS, 6.5)
    c.drawString(MARGIN, 16, _(WORDS["footer"], lang, source=_(WORDS["source"], lang)))
    c.drawRightString(PAGE[0] - MARGIN, 16, f"{operation} · {_(WORDS['page'], lang, n=n, total=total)}")


def _sheet(
    c: Canvas | None, page: MapPage, operation: str, lang: str, draft: bool, n: int, total: int, scale: float
) -> int:
    """One map page and the continuation pages of its list; how many pages (only counted,
    nothing drawn, without a canvas)."""
    columns = 4
    col_w = (PAGE[0] - 2 * MARGIN - (columns - 1) * 12) / columns
    if c is None:
        top = _legend(None, page, FRAME[1] + FRAME[3] - 4, lang)
        rest = _fill_column(None, list(page.lines), PANEL_X, top, FRAME[1] + 12, PANEL_W)
        used = 1
        while rest:
            used += 1
            before = len(rest)
            for i in range(columns):
                rest = _fill_column(None, rest, MARGIN + i * (col_w + 12), PAGE[1] - 64, 30, col_w)
            rest = rest[1:] if len(rest) == before else rest  # a line taller than a page: left out
        return used
    _start(c, scale)
    _frame_text(c, page.title, page.subtitle, n, total, operation, lang)
    unplaced = _draw_map(c, page, lang)
    top = _legend(c, page, FRAME[1] + FRAME[3] - 4, lang)
    rest = _fill_column(c, list(page.lines), PANEL_X, top, FRAME[1] + 12, PANEL_W)  # room for the note below
    if unplaced:
        c.setFont(OBLIQUE, 6.5)
        c.drawString(PANEL_X, FRAME[1], _(WORDS["unplaced"], lang, n=number(unplaced, lang)))
    if draft:
        _konsep(c, lang)
    c.showPage()
    used = 1
    while rest:
        used += 1
        _start(c, scale)
        title = page.title + " · " + _("lanjutan", lang)
        _frame_text(c, title, page.subtitle, n + used - 1, total, operation, lang)
        before = len(rest)
        for i in range(columns):
            rest = _fill_column(c, rest, MARGIN + i * (col_w + 12), PAGE[1] - 64, 30, col_w)
        rest = rest[1:] if len(rest) == before else rest
        if draft:
            _konsep(c, lang)
        c.showPage()
    return used


def _start(c: Canvas, scale: float) -> None:
    if scale != 1.0:
        c.scale(scale, scale)


def _render(
    drawn: Sequence[MapPage],
    operation: str,
    lang: str,
    draft: bool,
    pagesize: tuple[float, float],
    cover: Callable[[Canvas, int], None] | None = None,
) -> tuple[bytes, int]:
    """The PDF of the pages (after `cover`), and its number of map pages (counted first: a
    long list of posts continues on further pages, and every page says "Peta n dari N")."""
    _fonts()
    scale = pagesize[0] / PAGE[0]
    total = sum(_sheet(None, page, operation, lang, draft, 0, 0, scale) for page in drawn)
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=pagesize, invariant=True, pageCompression=1)
    c.setTitle(f"{_(WORDS['cover_title'] if cover else WORDS['document'], lang)}: {operation}")
    c.setAuthor("Siaga")
    if cover is not None:
        _start(c, scale)
        cover(c, total)
        c.showPage()
    n = 0
    for page in drawn:
        n += _sheet(c, page, operation, lang, draft, n + 1, total, scale)
    c.save()
    return buffer.getvalue(), n


def map_pages_pdf(
    scenario: Scenario,
    plan: Plan,
    boundaries: Sequence[Boundary] = (),
    kecamatan_code: str = "",
    draft: bool = False,
    plot: Ploting | None = None,
    lang: str = "id",
) -> bytes:
    """The map pages on A4 landscape: the Polres, then each kecamatan (one kecamatan's alone
    for a sector's orders). `draft` writes KONSEP across every page."""
    drawn = pages(scenario, plan, boundaries, kecamatan_code, plot, lang)
    return _render(drawn, plan.operation, lang, draft, PAGE)[0]


def briefing_pdf(
    scenario: Scenario,
    plan: Plan,
    boundaries: Sequence[Boundary] = (),
    kecamatan_code: str = "",
    draft: bool = False,
    plot: Ploting | None = None,
    lang: str = "id",
) -> bytes:
    """The briefing pack of a Tactical Floor Game: a cover (the operation, its strength, the
    legend, the list of maps, room for notes), then the map pages on A3 landscape."""
    plot = plot if plot is not None else ploting.build(scenario, plan, kecamatan_code)
    drawn = pages(scenario, plan, boundaries, kecamatan_code, plot, lang)

    def cover(c: Canvas, total: int) -> None:
        _cover(c, scenario, plot, drawn, draft, lang)

    return _render(drawn, plan.operation, lang, draft, BRIEFING_PAGE, cover)[0]


@dataclass(frozen=True)
class Written:
    map_pages: int
    briefing_pages: int


def write(
    scenario: Scenario,
    plan: Plan,
    out: Path,
    boundaries: Sequence[Boundary] = (),
    kecamatan_code: str = "",
    draft: bool = False,
    plot: Ploting | None = None,
    lang: str = "id",
) -> Written:
    """Write `peta.pdf` (the map pages) and `paket-briefing.pdf` (the TFG pack) into `out`."""
    plot = plot if plot is not None else ploting.build(scenario, plan, kecamatan_code)
    drawn = pages(scenario, plan, boundaries, kecamatan_code, plot, lang)
    data, count = _render(drawn, plan.operation, lang, draft, PAGE)
    write_bytes(out / MAPS, data)

    def cover(c: Canvas, total: int) -> None:
        _cover(c, scenario, plot, drawn, draft, lang)

    pack, _count = _render(drawn, plan.operation, lang, draft, BRIEFING_PAGE, cover)
    write_bytes(out / BRIEFING, pack)
    return Written(count, count + 1)


def _cover(c: Canvas, scenario: Scenario, plot: Ploting, drawn: Sequence[MapPage], draft: bool, lang: str) -> None:
    polres = next((u.name for u in scenario.units if u.kind == UnitKind.POLRES), "")
    c.setFillColorRGB(0, 0, 0)
    c.setFont(BOLD, 20)
    c.drawCentredString(PAGE[0] / 2, PAGE[1] - 90, _(WORDS["cover_title"], lang))
    c.setFont(BOLD, 14)
    c.drawCentredString(PAGE[0] / 2, PAGE[1] - 118, plot.operation)
    c.setFont(SANS, 11)
    y = PAGE[1] - 140
    for line in (polres, _(WORDS["cover_election"], lang, date=_date(scenario)), plot.headline()):
        if line:
            c.drawCentredString(PAGE[0] / 2, y, line)
            y -= 16
    c.setLineWidth(1)
    c.line(MARGIN * 3, y - 4, PAGE[0] - MARGIN * 3, y - 4)
    y -= 28
    left, right = MARGIN * 3, PAGE[0] / 2 + 10
    c.setFont(BOLD, 10)
    c.drawString(left, y, _(WORDS["cover_maps"], lang))
    c.setFont(SANS, 9)
    titles = [p.title for p in drawn]
    rows = max(1, min(len(titles), 24))
    for i, title in enumerate(titles[:rows]):
        c.drawString(left, y - 14 * (i + 1), _(WORDS["cover_page"], lang, n=i + 1, title=title))
    if len(titles) > rows:
        c.drawString(left, y - 14 * (rows + 1), "...")
    c.setFont(BOLD, 10)
    c.drawString(right, y, _(WORDS["legend"], lang))
    ly = y - 14
    shown = {k for page in drawn for k in page.legend}  # what the maps hold: a Pemilu has no balai desa guard
    for kind in (*_category_kinds(), "polres_hq", "polsek_hq", "reserve", "standby", "village"):
        if kind not in shown and kind not in _category_kinds():
            continue
        _symbol(c, kind, right + 6, ly + 3, 3.6)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(SANS, 9)
        c.drawString(right + 18, ly, _legend_label(kind, lang))
        ly -= 14
    c.setFont(BOLD, 10)
    c.drawString(right, ly - 10, _(WORDS["cover_notes"], lang))
    c.setLineWidth(0.4)
    c.setStrokeColorRGB(0.5, 0.5, 0.5)
    for i in range(6):
        yy = ly - 30 - i * 18
        if yy < 70:
            break
        c.line(right, yy, PAGE[0] - MARGIN * 3, yy)
    c.setFont(SANS, 9)
    c.setFillColorRGB(0, 0, 0)
    c.drawString(left, 50, _(WORDS["cover_led"], lang))
    if draft:
        _konsep(c, lang)


def _date(scenario: Scenario) -> str:
    day = scenario.operation.election_date
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
