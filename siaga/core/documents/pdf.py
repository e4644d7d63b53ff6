"""PDF out: the only module that touches WeasyPrint and its PDF layer, pydyf.

Two ways to draw, chosen by measurement (issue 6): WeasyPrint lays out HTML beautifully but
needs about 10 ms per table row and 9 ms per card, so the regency's 4,600-person annex and
cards would take minutes. So:

- `compose(html, pages)`: a letter in HTML, laid out by WeasyPrint, then `pages` drawn
  directly (the long annex tables) appended to the same PDF;
- `Page`, `Flow` and `pages_pdf`: direct drawing with the standard PDF fonts (Helvetica, no
  font file needed), measured text, wrapping, long tables with repeated headers, bitmaps.

Every page of a document carries "Halaman X dari Y"; with `watermark` (a draft's "KONSEP")
every page, HTML or drawn, carries that word large, light and diagonal over its content. The
standard fonts speak WinAnsi (cp1252): a character outside it is written without its accents,
or as "?".
"""

from __future__ import annotations

import json
import math
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import pydyf

MM = 72 / 25.4
A4 = (595.28, 841.89)
A4_LANDSCAPE = (A4[1], A4[0])
TOTAL_PAGES = "{{TOTAL_PAGES}}"  # in `compose` HTML: replaced by the page count of the whole document
FOOTER_SIZE = 7.0
WATERMARK_GRAY, WATERMARK_ALPHA = 0.45, 0.28  # over the content: light grey, the text below stays legible

BASE_CSS = """
@page {
  size: A4;
  margin: 12mm 18mm 16mm 25mm;
  @bottom-center { content: "Halaman " counter(page) " dari {{TOTAL_PAGES}}"; font-size: 7pt; color: #444; }
}
html { font-family: Arial, "Liberation Sans", Helvetica, "DejaVu Sans", sans-serif;
       font-size: 10pt; line-height: 1.28; }
table { border-collapse: collapse; }
thead { display: table-header-group; }
tr, img { break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
"""


# ---------------------------------------------------------------- text metrics


def _load_widths() -> tuple[list[int], list[int]]:
    data = json.loads(resources.files("siaga.core").joinpath("data/helvetica-widths.json").read_text("utf-8"))
    pad = [0] * data["first"]
    return pad + data["regular"], pad + data["bold"]


_WIDTHS = _load_widths()


def encode(text: str) -> bytes:
    """The text in WinAnsi (cp1252); other characters lose their accents, or become "?"."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", text)
        return "".join(c for c in folded if not unicodedata.combining(c)).encode("cp1252", errors="replace")


_CONTROLS_AS_SPACE = bytes(32 if b < 32 or b == 127 else b for b in range(256))


def _clean(text: str) -> bytes:
    """One line of text: control characters (tab, CR, newline ...) as spaces."""
    return encode(text).translate(_CONTROLS_AS_SPACE)


def text_width(text: str | bytes, size: float, bold: bool = False) -> float:
    widths = _WIDTHS[bold]
    data = text if isinstance(text, bytes) else _clean(text)
    return sum(widths[b] for b in data) * size / 1000


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width` points; a word longer than a line is cut by characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while text_width(line, size, bold) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and text_width(line[:cut], size, bold) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines or [""]


def _literal(data: bytes) -> bytes:
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


# ---------------------------------------------------------------- direct drawing


@dataclass
class Page:
    """One page drawn directly. Coordinates in points from the top-left corner."""

    width: float = A4[0]
    height: float = A4[1]
    numbered: bool = True
    footer_y: float | None = None  # the page number's baseline from the top; None: 12 mm above the bottom
    ops: list[bytes] = field(default_factory=list)
    images: list[tuple[int, int, bytes]] = field(default_factory=list)  # (width, height, 1-bit rows)

    def text(self, x: float, y: float, text: str, size: float, bold: bool = False, align: str = "left") -> None:
        """`y` is the baseline. `align` left, right (x is the right edge) or center."""
        data = _clean(text)
        if align != "left":
            w = text_width(data, size, bold)
            x -= w if align == "right" else w / 2
        font = b"/F2" if bold else b"/F1"
        self.ops.append(b"BT %s %.2f Tf %.2f %.2f Td %s Tj ET" % (font, size, x, self.height - y, _literal(data)))

    def rect(self, x: float, y: float, w: float, h: float, fill: float | None = None, stroke: bool = True) -> None:
        """A rectangle with its top-left corner at (x, y); `fill` a gray level (1 white)."""
        shape = b"%.2f %.2f %.2f %.2f re" % (x, self.height - y - h, w, h)
        if fill is not None:
            self.ops.append(b"%.3f g %s %s" % (fill, shape, b"B" if stroke else b"f"))
            self.ops.append(b"0 g")
        elif stroke:
            self.ops.append(shape + b" S")

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5, dash: float = 0) -> None:
        pattern = b"[%.1f %.1f] 0 d" % (dash, dash) if dash else b"[] 0 d"
        self.ops.append(
            b"%s %.2f w %.2f %.2f m %.2f %.2f l S [] 0 d 0.5 w"
            % (pattern, width, x1, self.height - y1, x2, self.height - y2)
        )

    def bitmap(self, x: float, y: float, size: float, modules: Sequence[Sequence[int]]) -> None:
        """A square black-and-white bitmap (a QR code: 1 = dark), scaled without smoothing."""
        rows = len(modules)
        cols = len(modules[0]) if rows else 0
        data = bytearray()
        pad = (-cols) % 8
        for row in modules:
            bits = int("".join("0" if dark else "1" for dark in row) + "0" * pad, 2)
            data += bits.to_bytes((cols + pad) // 8, "big")
        self.images.append((cols, rows, bytes(data)))
        name = b"/Im%d" % (len(self.images) - 1)
        self.ops.append(b"q %.2f 0 0 %.2f %.2f %.2f cm %s Do Q" % (size, size, x, self.height - y - size, name))


def _fonts(pdf: pydyf.PDF) -> pydyf.Dictionary:
    fonts = {}
    for key, base in (("F1", "/Helvetica"), ("F2", "/Helvetica-Bold")):
        font = pydyf.Dictionary(
            {"Type": "/Font", "Subtype": "/Type1", "BaseFont": base, "Encoding": "/WinAnsiEncoding"}
        )
        pdf.add_object(font)
        fonts[key] = font.reference
    return pydyf.Dictionary(fonts)


def _stream(data: bytes, extra: dict[str, object] | None = None) -> pydyf.Stream:
    return pydyf.Stream([zlib.compress(data, 6)], {**(extra or {}), "Filter": "/FlateDecode"})


def _watermark_ops(width: float, height: float, text: str) -> bytes:
    """`text` in bold along the page's rising diagonal, centred, over 70% of its length."""
    data = _clean(text)
    angle = math.atan2(height, width)
    size = 0.7 * math.hypot(width, height) / max(text_width(data, 1, True), 1)
    cos, sin = math.cos(angle), math.sin(angle)
    half_w, half_h = text_width(data, size, True) / 2, 0.72 * size / 2  # Helvetica's cap height
    x = width / 2 - half_w * cos + half_h * sin
    y = height / 2 - half_w * sin - half_h * cos
    return b"q /GSW gs %.3f g BT /F2 %.2f Tf %.5f %.5f %.5f %.5f %.2f %.2f Tm %s Tj ET Q" % (
        WATERMARK_GRAY,
        size,
        cos,
        sin,
        -sin,
        cos,
        x,
        y,
        _literal(data),
    )


def _add_pages(pdf: pydyf.PDF, pages: Sequence[Page], first_number: int, total: int, watermark: str = "") -> None:
    fonts = _fonts(pdf)
    state = None
    if watermark:
        state = pydyf.Dictionary({"Type": "/ExtGState", "ca": WATERMARK_ALPHA, "CA": WATERMARK_ALPHA})
        pdf.add_object(state)
    for n, page in enumerate(pages, start=first_number):
        ops = [b"0.5 w 0 G 0 g", *page.ops]
        if watermark:
            ops.append(_watermark_ops(page.width, page.height, watermark))
        if page.numbered:
            footer = Page(page.width, page.height)
            y = page.footer_y if page.footer_y is not None else page.height - 12 * MM
            footer.text(page.width / 2, y, f"Halaman {n} dari {total}", FOOTER_SIZE, align="center")
            ops += footer.ops
        contents = _stream(b"\n".join(ops))
        pdf.add_object(contents)
        xobjects = {}
        for i, (w, h, bits) in enumerate(page.images):
            image = _stream(
                bits,
                {
                    "Type": "/XObject",
                    "Subtype": "/Image",
                    "Width": w,
                    "Height": h,
                    "ColorSpace": "/DeviceGray",
                    "BitsPerComponent": 1,
                    "Interpolate": "false",
                },
            )
            pdf.add_object(image)
            xobjects[f"Im{i}"] = image.reference
        resources_ = pydyf.Dictionary({"Font": fonts, "ProcSet": pydyf.Array(["/PDF", "/Text", "/ImageB"])})
        if state is not None:
            resources_["ExtGState"] = pydyf.Dictionary({"GSW": state.reference})
        if xobjects:
            resources_["XObject"] = pydyf.Dictionary(xobjects)
        pdf.add_page(
            pydyf.Dictionary(
                {
                    "Type": "/Page",
                    "Parent": pdf.pages.reference,
                    "MediaBox": pydyf.Array([0, 0, page.width, page.height]),
                    "Contents": contents.reference,
                    "Resources": resources_,
                }
            )
        )


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int


def pages_pdf(pages: Sequence[Page], title: str = "", watermark: str = "") -> Rendered:
    """A PDF of directly drawn pages, each marked with `watermark` when given."""
    pdf = pydyf.PDF()
    if title:
        pdf.info["Title"] = pydyf.String(title)
    pdf.info["Producer"] = pydyf.String("Siaga")
    _add_pages(pdf, pages, 1, len(pages), watermark)
    out = _Buffer()
    pdf.write(out, version=b"1.7", compress=True)
    return Rendered(out.getvalue(), len(pages))


class _Buffer:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _watermark_html(html: str, text: str) -> str:
    """`html` with `text` as a fixed element: WeasyPrint repeats it on every page."""
    if not text:
        return html
    if html.count("<body>") != 1:
        raise ValueError("a watermark needs the HTML to have one plain <body> tag")
    word = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A4 portrait: the diagonal rises at 54.7 degrees; the word spans about 70% of it.
    css = (
        "position: fixed; top: 44%; left: -20%; width: 140%; text-align: center; z-index: 10;"
        f" transform: rotate(-54.7deg); font: bold {int(720 / max(len(text), 1))}pt Helvetica, Arial, sans-serif;"
        f" color: rgba(115, 115, 115, {WATERMARK_ALPHA}); line-height: 1;"
    )
    return html.replace("<body>", f'<body><div style="{css}">{word}</div>', 1)


def compose(html: str, pages: Sequence[Page] = (), watermark: str = "") -> Rendered:
    """`html` laid out by WeasyPrint (with BASE_CSS first), then `pages` appended to the same
    document. TOTAL_PAGES in the HTML becomes the page count of the whole document. With
    `watermark`, every page carries it (the HTML must then have one plain `<body>` tag)."""
    import weasyprint  # here: it loads Pango, which nothing else needs

    html = _watermark_html(html, watermark)
    stylesheet = weasyprint.CSS(string=BASE_CSS.replace(TOTAL_PAGES, "?"))
    own = len(weasyprint.HTML(string=html).render(stylesheets=[stylesheet]).pages)
    total = own + len(pages)
    final = weasyprint.CSS(string=BASE_CSS.replace(TOTAL_PAGES, str(total)))
    document = weasyprint.HTML(string=html.replace(TOTAL_PAGES, str(total))).render(stylesheets=[final])

    def append(_document: object, pdf: pydyf.PDF) -> None:
        _add_pages(pdf, pages, len(document.pages) + 1, total, watermark)

    data = document.write_pdf(finisher=append)
    assert data is not None
    return Rendered(data, len(document.pages) + len(pages))


# ---------------------------------------------------------------- flowing text and long tables


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # points
    align: str = "left"


@dataclass(frozen=True)
class Cells:
    """A table row. `shade` a gray level for the background; `bold` for totals."""

    cells: tuple[str, ...]
    bold: bool = False
    shade: float | None = None


@dataclass(frozen=True)
class Band:
    """A full-width row naming a group (level 0 the outermost). After a page break the open
    bands are repeated, marked "(lanjutan)"; a band is never the last row of a page."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class Span:
    """A full-width row of text that is not a group: a subtotal, a warning."""

    text: str
    bold: bool = True
    shade: float | None = None


Row = Cells | Band | Span


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    size: float = 6.5


@dataclass(frozen=True)
class Paragraph:
    """`keep` ties the paragraph to the block before it: after a table, the table's last rows
    go over to the next page with it (a signature never stands alone on a page)."""

    text: str
    size: float = 9.0
    bold: bool = False
    space_before: float = 4.0
    align: str = "left"
    keep: bool = False


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Paragraph | Table | PageBreak
BAND_SHADE = (0.78, 0.87, 0.94)
PAD = 1.6
CONTINUED = " (lanjutan)"
KEPT_ROWS = 3  # a table's last rows that go over with the kept paragraphs after it


class Flow:
    """Lays out paragraphs and long tables on pages of one size, a running head on each."""

    def __init__(self, size: tuple[float, float] = A4_LANDSCAPE, margin: float = 10 * MM, head: str = "") -> None:
        self.width, self.height = size
        self.margin = margin
        self.head = head
        self.pages: list[Page] = []
        self.y = 0.0
        self._new_page()

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin

    @property
    def bottom(self) -> float:
        return self.height - self.margin - 6 * MM  # room for the footer

    def _new_page(self) -> None:
        page = Page(self.width, self.height)
        self.pages.append(page)
        self.y = self.margin
        if self.head:
            page.text(self.margin, self.y + 7, self.head, 7)
            page.line(self.margin, self.y + 10, self.width - self.margin, self.y + 10, 0.4)
            self.y += 14

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def add(self, block: Block, tail: float = 0.0) -> None:
        """Lay out `block`; `tail` is the height of the kept paragraphs that follow it."""
        if isinstance(block, PageBreak):
            self._new_page()
        elif isinstance(block, Paragraph):
            self._paragraph(block, tail)
        else:
            self._table(block, tail)

    def paragraph_height(self, p: Paragraph) -> float:
        return p.space_before + len(wrap(p.text, self.inner, p.size, p.bold)) * p.size * 1.3

    def _paragraph(self, p: Paragraph, tail: float = 0.0) -> None:
        leading = p.size * 1.3
        lines = wrap(p.text, self.inner, p.size, p.bold)
        if tail and self.y + self.paragraph_height(p) + tail > self.bottom and self.y > self.margin + 14:
            self._new_page()
        self.y += p.space_before
        for line in lines:
            if self.y + leading > self.bottom:
                self._new_page()
            self.y += leading
            x = {"left": self.margin, "center": self.width / 2}.get(p.align, self.width - self.margin)
            self.page.text(x, self.y - p.size * 0.25, line, p.size, p.bold, p.align)

    def _table(self, t: Table, tail: float = 0.0) -> None:
        leading = t.size * 1.22
        total = sum(c.width for c in t.columns)
        scale = min(1.0, self.inner / total)
        columns = [Column(c.title, c.width * scale, c.align) for c in t.columns]
        header = [wrap(c.title, c.width - 2 * PAD, t.size, True) for c in columns]
        header_h = max(len(h) for h in header) * leading + 2 * PAD
        laid = [self._lay(r, columns, t.size, leading) for r in t.rows]
        open_bands: dict[int, Band] = {}
        self.y += 3
        if self.y + header_h + (laid[0][1] if laid else 0) > self.bottom:
            self._new_page()
        self._header(columns, header, header_h, t.size, leading)
        for i, (row, height, lines) in enumerate(laid):
            need = height
            if isinstance(row, Band):  # the bands that follow, and the first row under them
                j = i + 1
                while j < len(laid) and isinstance(laid[j][0], Band):
                    need, j = need + laid[j][1], j + 1
                need += laid[j][1] if j < len(laid) else 0
            if tail and i == max(len(laid) - KEPT_ROWS, 0):  # the last rows and what is kept after them
                need = max(need, sum(h for _, h, _ in laid[i:]) + tail)
            if self.y + need > self.bottom:
                self._new_page()
                self._header(columns, header, header_h, t.size, leading)
                if not isinstance(row, Band) or row.level > 0:
                    level = row.level if isinstance(row, Band) else len(BAND_SHADE)
                    for band in [b for k, b in sorted(open_bands.items()) if k < level]:
                        again = Band(band.text + CONTINUED, band.level)
                        self._draw(*self._lay(again, columns, t.size, leading), columns, t.size, leading)
            if isinstance(row, Band):
                open_bands = {k: b for k, b in open_bands.items() if k < row.level}
                open_bands[row.level] = row
            self._draw(row, height, lines, columns, t.size, leading)

    def _lay(self, row: Row, columns: list[Column], size: float, leading: float) -> tuple[Row, float, list[list[str]]]:
        if isinstance(row, Band | Span):
            bold = row.bold if isinstance(row, Span) else True
            lines = [wrap(row.text, sum(c.width for c in columns) - 2 * PAD, size, bold)]
        else:
            lines = [wrap(text, c.width - 2 * PAD, size, row.bold) for text, c in zip(row.cells, columns, strict=True)]
        return row, max(len(cell) for cell in lines) * leading + 2 * PAD, lines

    def _header(
        self, columns: list[Column], header: list[list[str]], height: float, size: float, leading: float
    ) -> None:
        self._draw(
            Cells(tuple(c.title for c in columns), bold=True, shade=0.85), height, header, columns, size, leading
        )

    def _draw(
        self,
        row: Row,
        height: float,
        lines: list[list[str]],
        columns: list[Column],
        size: float,
        leading: float,
    ) -> None:
        page, x0, y = self.page, self.margin, self.y
        width = sum(c.width for c in columns)
        if isinstance(row, Band | Span):
            if isinstance(row, Band):
                shade: float | None = BAND_SHADE[min(row.level, len(BAND_SHADE) - 1)]
                bold = True
            else:
                shade, bold = row.shade, row.bold
            page.rect(x0, y, width, height, fill=shade)
            for n, line in enumerate(lines[0]):
                page.text(x0 + PAD, y + PAD + (n + 1) * leading - leading * 0.25, line, size, bold)
        else:
            page.rect(x0, y, width, height, fill=row.shade)
            x = x0
            for c, cell in zip(columns, lines, strict=True):
                if x > x0:
                    page.line(x, y, x, y + height, 0.3)
                for n, line in enumerate(cell):
                    baseline = y + PAD + (n + 1) * leading - leading * 0.25
                    if c.align == "right":
                        page.text(x + c.width - PAD, baseline, line, size, row.bold, "right")
                    elif c.align == "center":
                        page.text(x + c.width / 2, baseline, line, size, row.bold, "center")
                    else:
                        page.text(x + PAD, baseline, line, size, row.bold)
                x += c.width
        self.y += height


def flow(blocks: Sequence[Block], size: tuple[float, float] = A4_LANDSCAPE, head: str = "") -> list[Page]:
    """The pages of `blocks` laid out one after the other."""
    layout = Flow(size, head=head)
    for i, block in enumerate(blocks):
        tail = 0.0
        for after in blocks[i + 1 :]:
            if not isinstance(after, Paragraph) or not after.keep:
                break
            tail += layout.paragraph_height(after)
        layout.add(block, tail)
    return layout.pages
