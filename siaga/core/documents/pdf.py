"""PDF out: the only module that touches ReportLab, the one PDF engine of the orders.

Everything is drawn directly, in one font (DejaVu Sans, vendored under fonts/ with its
licence, embedded as a subset), so any name prints as written, "Ṣāliḥ Nguyễn" and "Gülşen"
alike:

- `Page`: text, rectangles, lines and QR codes (as vectors) at coordinates from the top-left
  corner, kept as PDF operators until the document is written;
- `Flow` and `flow`: paragraphs (with a hanging label, indented, justified) and long tables
  with repeated headers and group bands, laid out on pages of one size;
- `pages_pdf`: the document, every page numbered "Halaman X dari Y" (in a report's language)
  and, with `watermark` (a draft's "KONSEP"), that word large, light and diagonal over it;
- `compose`: a small, plain HTML report (headings, paragraphs, tables) laid out by `Flow`.

Measured (issue 18): ReportLab's own `drawString` costs about 100 us a string, so a page's
operators are written here, the text encoded to the font's subsets through a table built
once per document (`_Encoder`); ReportLab keeps the subsets, the resources and the file.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html.parser import HTMLParser
from importlib import resources
from typing import Any, NamedTuple

import numpy as np
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from siaga.core.data.text import _ as in_lang

MM = 72 / 25.4
A4 = (595.28, 841.89)
A4_LANDSCAPE = (A4[1], A4[0])
FOOTER_SIZE = 7.0
WATERMARK_GRAY, WATERMARK_ALPHA = 0.45, 0.28  # over the content: light grey, the text below stays legible
REGULAR, BOLD = "SiagaSans", "SiagaSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", "SiagaSans-Oblique": "DejaVuSans-Oblique.ttf"}
CAP_HEIGHT = 0.73  # DejaVu Sans, of the size

rl_config.useA85 = 0  # binary streams: ASCII85 costs time and a quarter more bytes
FLATE_LEVEL = 3  # zlib's level for every stream


class _Flate(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]
    """ReportLab's Flate filter at FLATE_LEVEL, not zlib's default 6: the regency's card file
    holds 35 MB of QR paths; level 6 took half a second more than 3 on them for a file a
    quarter smaller (6.3 MB, not 8.2; level 1 is no faster; measured, issue 18)."""

    def encode(self, text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, FLATE_LEVEL)


pdfdoc.PDFZCompress = _Flate()  # ReportLab looks the filter up in its module on every stream


def _register() -> dict[bool, TTFont]:
    fonts = resources.files("siaga.core.documents").joinpath("fonts")
    for name, filename in FONT_FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            with resources.as_file(fonts.joinpath(filename)) as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))
    return {False: pdfmetrics.getFont(REGULAR), True: pdfmetrics.getFont(BOLD)}  # type: ignore[dict-item]


_FONTS = _register()


# ---------------------------------------------------------------- text metrics


class _Widths(dict[int, float]):
    """Advance widths by code point, in thousandths of the size; control characters as spaces."""

    def __init__(self, font: TTFont) -> None:
        super().__init__(font.face.charWidths)
        self.default = float(font.face.defaultWidth)
        self.space = self[32]

    def __missing__(self, code: int) -> float:
        return self.space if code < 32 or code == 127 else self.default


_WIDTHS = {bold: _Widths(font) for bold, font in _FONTS.items()}


def text_width(text: str, size: float, bold: bool = False) -> float:
    return _advance(text, bold) * size / 1000


@lru_cache(maxsize=1 << 16)
def _advance(text: str, bold: bool) -> float:
    """The width of `text` in thousandths of the size."""
    widths = _WIDTHS[bold]
    return sum(map(widths.__getitem__, map(ord, text)))


_WORDS = re.compile(r"[^\s\xa0]+(?:\xa0+[^\s\xa0]*)*|\xa0+[^\s\xa0]*")  # no-break spaces hold words together


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width` points; a word longer than a line is cut by characters."""
    return list(_wrap(text, width, size, bold))


@lru_cache(maxsize=1 << 16)  # cards and tables wrap the same names, places and notes again and again
def _wrap(text: str, width: float, size: float, bold: bool) -> tuple[str, ...]:
    room = width * 1000 / size
    widths = _WIDTHS[bold]
    space = widths.space
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in _WORDS.findall(paragraph):
            w = sum(map(widths.__getitem__, map(ord, word)))
            if line and used + space + w <= room:
                line.append(word)
                used += space + w
                continue
            if not line and w <= room:
                line, used = [word], w
                continue
            if line:
                lines.append(" ".join(line))
            while w > room and len(word) > 1:
                cut, taken = 0, 0.0
                while cut < len(word) - 1 and taken + widths[ord(word[cut])] <= room:
                    taken += widths[ord(word[cut])]
                    cut += 1
                cut = max(cut, 1)
                lines.append(word[:cut])
                word = word[cut:]
                w = sum(map(widths.__getitem__, map(ord, word)))
            line, used = [word], w
        lines.append(" ".join(line))
    return tuple(lines) or ("",)


# ---------------------------------------------------------------- direct drawing


class _Text(NamedTuple):  # a tuple: a card page makes hundreds of them
    x: float
    y: float  # from the bottom, PDF's way
    text: str
    size: float
    bold: bool
    spacing: float = 0.0
    word_space: float = 0.0


class _Place(NamedTuple):
    name: str  # a template of the document (pages_pdf)
    x: float
    y: float  # the template's bottom-left corner, from the bottom


Op = str | _Text | _Place


@dataclass
class Page:
    """One page drawn directly. Coordinates in points from the top-left corner."""

    width: float = A4[0]
    height: float = A4[1]
    numbered: bool = True
    footer_y: float | None = None  # the page number's baseline from the top; None: 12 mm above the bottom
    ops: list[Op] = field(default_factory=list)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        bold: bool = False,
        align: str = "left",
        spacing: float = 0.0,
        justify: float = 0.0,
    ) -> None:
        """`y` is the baseline. `align` left, right (x is the right edge) or center; `spacing`
        points between letters; `justify` a width to stretch the spaces of the line to."""
        if not text:
            return
        word_space = 0.0
        if justify and text.count(" "):
            word_space = max(0.0, (justify - text_width(text, size, bold)) / text.count(" "))
        elif align != "left":
            w = text_width(text, size, bold) + spacing * (len(text) - 1)
            x -= w if align == "right" else w / 2
        self.ops.append(_Text(x, self.height - y, text, size, bold, spacing, word_space))

    def place(self, template: str, x: float, y: float, height: float) -> None:
        """The document's template `template` (a Page `height` high, drawn once in the file
        and reused) with its top-left corner at (x, y)."""
        self.ops.append(_Place(template, x, self.height - y - height))

    def rect(self, x: float, y: float, w: float, h: float, fill: float | None = None, stroke: bool = True) -> None:
        """A rectangle with its top-left corner at (x, y); `fill` a gray level (1 white)."""
        shape = f"{x:.2f} {self.height - y - h:.2f} {w:.2f} {h:.2f} re"
        if fill is not None:
            self.ops.append(f"{fill:.3f} g {shape} {'B' if stroke else 'f'} 0 g")
        elif stroke:
            self.ops.append(shape + " S")

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5, dash: float = 0) -> None:
        pattern = f"[{dash:.1f} {dash:.1f}] 0 d " if dash else ""
        end = " [] 0 d" if dash else ""
        self.ops.append(
            f"{pattern}{width:.2f} w {x1:.2f} {self.height - y1:.2f} m {x2:.2f} {self.height - y2:.2f} l S{end} 0.5 w"
        )

    def qr(self, x: float, y: float, size: float, code: Code | np.ndarray) -> None:
        """A square code (a QR code: `codes` of its 0/1 matrix, or the matrix, 1 = dark) as one
        filled vector path, sharp at any scale, with its top-left corner at (x, y)."""
        if isinstance(code, np.ndarray):
            code = codes([code])[0]
        if not code.count:
            return
        scale = size / code.count
        self.ops.append(f"q {scale:.4f} 0 0 {scale:.4f} {x:.2f} {self.height - y - size:.2f} cm 0 g\n{code.path}f Q")


@dataclass(frozen=True)
class Code:
    """A square code as a path in its own units (a module is 1 x 1, the origin bottom-left)."""

    count: int  # modules a side
    path: str  # "x y w 1 re" for each run of dark modules in a row


def codes(matrices: Sequence[np.ndarray]) -> list[Code]:
    """The paths of square 0/1 matrices (1 = dark), made a few hundred at a time: numpy's work
    for a document's thousands of QR codes in a few passes, not a pass for each code."""
    sizes: dict[int, list[int]] = {}
    for i, m in enumerate(matrices):
        sizes.setdefault(len(m), []).append(i)
    out: dict[int, Code] = {}
    for count, indexes in sizes.items():
        for first in range(0, len(indexes), CODES_AT_ONCE):
            chunk = indexes[first : first + CODES_AT_ONCE]
            out.update(zip(chunk, _paths(count, [matrices[i] for i in chunk]), strict=True))
    return [out[i] for i in range(len(matrices))]


CODES_AT_ONCE = 128  # fewer: numpy's overhead a call; more: arrays beyond the cache (measured)


def _paths(count: int, matrices: Sequence[np.ndarray]) -> list[Code]:
    framed = np.zeros((len(matrices), count, count + 1), dtype=np.int8)  # a light module closes every row
    if count:
        framed[:, :, 1:] = np.stack(matrices)
    edges = np.diff(framed.ravel(), append=0)
    starts = np.flatnonzero(edges == 1) + 1  # the first dark module of a run
    ends = np.flatnonzero(edges == -1) + 1  # the light module after it
    which, at = np.divmod(starts, count * (count + 1))
    rows, columns = np.divmod(at, count + 1)
    text = _rectangles(np.stack([columns - 1, count - 1 - rows, ends - starts], axis=1), len(str(count)))
    each = len(text) // max(len(starts), 1)  # characters a rectangle
    bounds = np.concatenate([[0], np.cumsum(np.bincount(which, minlength=len(matrices)))]) * each
    return [Code(count, text[bounds[k] : bounds[k + 1]]) for k in range(len(matrices))]


_RE = np.frombuffer(b"1 re\n", dtype=np.uint8)


@cache
def _numbers(digits: int) -> np.ndarray:
    """The numbers from 0 to 10**digits - 1 as text, right-aligned, each with a space after."""
    return np.array([list(f"{n:>{digits}d} ".encode()) for n in range(10**digits)], dtype=np.uint8)


def _rectangles(runs: np.ndarray, digits: int) -> str:
    """The path operators "x y w 1 re" of the rows of `runs` (x, y, w: integers of at most
    `digits` digits), written by numpy in columns of one width (a PDF reader skips the spaces)."""
    n = len(runs)
    numbers = _numbers(digits)[runs].reshape(n, 3 * (digits + 1))
    return np.concatenate([numbers, np.broadcast_to(_RE, (n, len(_RE)))], axis=1).tobytes().decode("ascii")


class _Codes(dict[int, str]):
    """A `str.translate` table of one font in one document: each character to its code in the
    font's subsets (chr(subset * 256 + byte); in the first subset, the byte as a PDF string
    writes it: `_escape`), control characters as spaces. A character seen for the first time
    is given its code by ReportLab."""

    def __init__(self, font: TTFont, doc: Any) -> None:
        super().__init__()
        self.font, self.doc = font, doc

    def __missing__(self, code: int) -> str:
        char = " " if code < 32 or code == 127 or code == 0xA0 else chr(code)
        self.font.splitString(char, self.doc)
        n = self.font.state[self.doc].assignments.get(ord(char), 0)
        value = _escape(chr(n)) if n < 256 else chr(n)
        self[code] = value
        return value


class _Encoder:
    """Text to content-stream operators in the document's font subsets."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.codes = {bold: _Codes(font, doc) for bold, font in _FONTS.items()}
        self.names: dict[tuple[bool, int], str] = {}
        self.fonts: dict[tuple[bool, int, float], str] = {}  # "/F1+0 8.00 Tf" by font, subset and size

    def _name(self, bold: bool, subset: int) -> str:
        key = (bold, subset)
        if key not in self.names:
            self.names[key] = _FONTS[bold].getSubsetInternalName(subset, self.doc)
        return self.names[key]

    def show(self, t: _Text, font: str) -> tuple[str, str]:
        """The operators of `t` inside a text object whose font is `font` ("/F1+0 8.00 Tf", ""
        when none is set yet), and the font after them: the font is set only when it changes."""
        coded = t.text.translate(self.codes[t.bold])
        if coded.isascii() and not t.spacing and not t.word_space:  # the first subset, plain: most texts
            wanted = self.fonts.get((t.bold, 0, t.size)) or self._font(t, 0)
            if wanted == font:
                return f"1 0 0 1 {t.x:.2f} {t.y:.2f} Tm ({coded}) Tj", font
            return f"1 0 0 1 {t.x:.2f} {t.y:.2f} Tm {wanted} ({coded}) Tj", wanted
        parts = [f"1 0 0 1 {t.x:.2f} {t.y:.2f} Tm"]
        if t.spacing:
            parts.append(f"{t.spacing:.2f} Tc")
        if t.word_space:
            parts.append(f"{t.word_space:.3f} Tw")
        if coded.isascii():  # the first subset (its bytes from 128 escaped), as most texts
            font = self._set(parts, font, t, 0)
            parts.append(f"({coded}) Tj")
        else:
            run: list[str] = []
            subset = -1
            for char in coded:
                n = ord(char)
                if n >> 8 != subset and run:
                    font = self._set(parts, font, t, subset)
                    parts.append(f"({''.join(run)}) Tj")
                    run = []
                subset = n >> 8
                run.append(char if subset == 0 else _escape(chr(n & 0xFF)))
            font = self._set(parts, font, t, subset)
            parts.append(f"({''.join(run)}) Tj")
        if t.spacing or t.word_space:
            parts.append("0 Tc 0 Tw")  # both stay in the graphics state after ET
        return " ".join(parts), font

    def _set(self, parts: list[str], font: str, t: _Text, subset: int) -> str:
        wanted = self.fonts.get((t.bold, subset, t.size)) or self._font(t, subset)
        if wanted != font:
            parts.append(wanted)
        return wanted

    def _font(self, t: _Text, subset: int) -> str:
        found = self.fonts[t.bold, subset, t.size] = f"{self._name(t.bold, subset)} {t.size:.2f} Tf"
        return found


def _escape(char: str) -> str:
    """One byte of a PDF string: ReportLab writes the content stream as UTF-8, and a reader
    takes a carriage return in a string for a line feed, so a byte below 32 or from 128 up is
    written as an octal escape."""
    if char in "()\\":
        return "\\" + char
    return f"\\{ord(char):03o}" if char < " " or char >= "\x80" else char


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int


def pages_pdf(
    pages: Sequence[Page],
    title: str = "",
    watermark: str = "",
    templates: Mapping[str, Page] | None = None,
    lang: str = "id",
) -> Rendered:
    """A PDF of directly drawn pages, each numbered "Halaman X dari Y" (in `lang`: a report
    is in its reader's language, an order in Indonesian), each marked with `watermark` when
    given. `templates` are drawn once each (PDF form XObjects) and placed on the pages by
    `Page.place`: what every card has, written once for thousands of cards."""
    numbering = in_lang("Halaman %(n)s dari %(total)s", lang)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1, invariant=1, initialFontName=REGULAR)
    pdf.setTitle(title)
    pdf.setCreator("Siaga")
    pdf.setProducer("Siaga")
    encoder = _Encoder(pdf._doc)
    for name, template in (templates or {}).items():
        pdf.beginForm(name, 0, 0, template.width, template.height)
        pdf.addLiteral("q 0.5 w 0 G 0 g")
        pdf.addLiteral("\n".join([*_operators(template.ops, encoder, pdf), "Q"]))
        pdf.endForm()
    total = len(pages)
    for n, page in enumerate(pages, start=1):
        pdf.setPageSize((page.width, page.height))
        pdf.addLiteral("q 0.5 w 0 G 0 g")
        ops = _operators(page.ops, encoder, pdf)
        if page.numbered:
            y = page.footer_y if page.footer_y is not None else page.height - 12 * MM
            footer = Page(page.width, page.height)
            footer.text(page.width / 2, y, numbering % {"n": n, "total": total}, FOOTER_SIZE, align="center")
            ops += ["0.267 g", *_operators(footer.ops, encoder, pdf), "0 g"]
        ops.append("Q")
        pdf.addLiteral("\n".join(ops))
        if watermark:
            _watermark(pdf, page, watermark)
        pdf.showPage()
    pdf.save()
    return Rendered(out.getvalue(), total)


def _operators(ops: Sequence[Op], encoder: _Encoder, pdf: canvas.Canvas) -> list[str]:
    """The content-stream operators of `ops`; a placed template is drawn through the canvas
    (it names the form in the page's resources), the operators before it written first."""
    out: list[str] = []
    shown: list[str] = []  # the texts of the open text object: consecutive texts share one
    font = ""
    for op in ops:
        if isinstance(op, _Text):
            text, font = encoder.show(op, font)
            shown.append(text)
            continue
        if shown:
            out.append(f"BT {' '.join(shown)} ET")
            shown, font = [], ""
        if isinstance(op, str):
            out.append(op)
        else:
            if not pdf.hasForm(op.name):
                raise ValueError(f"template {op.name!r} is not among the document's templates")
            pdf.addLiteral("\n".join(out))
            out = []
            pdf.saveState()
            pdf.translate(op.x, op.y)
            pdf.doForm(op.name)
            pdf.restoreState()
    if shown:
        out.append(f"BT {' '.join(shown)} ET")
    return out


def _watermark(pdf: canvas.Canvas, page: Page, text: str) -> None:
    """`text` in bold along the page's rising diagonal, centred, over 70% of its length."""
    size = 0.7 * math.hypot(page.width, page.height) / max(text_width(text, 1, True), 1)
    pdf.saveState()
    pdf.setFillAlpha(WATERMARK_ALPHA)
    pdf.setFillGray(WATERMARK_GRAY)
    pdf.translate(page.width / 2, page.height / 2)
    pdf.rotate(math.degrees(math.atan2(page.height, page.width)))
    pdf.setFont(BOLD, size)
    pdf.drawCentredString(0, -CAP_HEIGHT * size / 2, text)
    pdf.restoreState()


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
    go over to the next page with it (a signature never stands alone on a page).

    `indent` and `width` (0: to the right margin) place the text in a column; `labels` are
    short texts on the first line at offsets from the left margin (a letter's "Dasar", ":",
    "1."); `justify` spreads every line but the last to the column's width; `spacing` puts
    points between letters and `underline` rules the text."""

    text: str
    size: float = 9.0
    bold: bool = False
    space_before: float = 4.0
    align: str = "left"
    keep: bool = False
    indent: float = 0.0
    width: float = 0.0
    labels: tuple[tuple[float, str, bool], ...] = ()
    justify: bool = False
    spacing: float = 0.0
    underline: bool = False
    leading: float = 1.3
    rule: float = 0.0  # a line of this width under the paragraph, across its column


@dataclass(frozen=True)
class PageBreak:
    size: tuple[float, float] | None = None  # the next pages' size; None: the same


Block = Paragraph | Table | PageBreak
BAND_SHADE = (0.78, 0.87, 0.94)
PAD = 1.6
CONTINUED = " (lanjutan)"
KEPT_ROWS = 3  # a table's last rows that go over with the kept paragraphs after it


class Flow:
    """Lays out paragraphs and long tables on pages, a running head on each. `margins` (top,
    right, bottom, left) default to `margin` all round."""

    def __init__(
        self,
        size: tuple[float, float] = A4_LANDSCAPE,
        margin: float = 10 * MM,
        head: str = "",
        margins: tuple[float, float, float, float] | None = None,
    ) -> None:
        self.width, self.height = size
        self.top, self.right, self.low, self.left = margins or (margin, margin, margin, margin)
        self.head = head
        self.pages: list[Page] = []
        self.y = 0.0
        self._new_page()

    @property
    def margin(self) -> float:
        return self.left

    @property
    def inner(self) -> float:
        return self.width - self.left - self.right

    @property
    def bottom(self) -> float:
        return self.height - self.low - 6 * MM  # room for the footer

    def _new_page(self, size: tuple[float, float] | None = None) -> None:
        if size is not None:
            self.width, self.height = size
        page = Page(self.width, self.height)
        self.pages.append(page)
        self.y = self.top
        if self.head:
            page.text(self.left, self.y + 7, self.head, 7)
            page.line(self.left, self.y + 10, self.width - self.right, self.y + 10, 0.4)
            self.y += 14

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def add(self, block: Block, tail: float = 0.0) -> None:
        """Lay out `block`; `tail` is the height of the kept paragraphs that follow it."""
        if isinstance(block, PageBreak):
            self._new_page(block.size)
        elif isinstance(block, Paragraph):
            self._paragraph(block, tail)
        else:
            self._table(block, tail)

    def _column(self, p: Paragraph) -> float:
        return (p.width or self.inner - p.indent) - p.spacing * 2

    def paragraph_height(self, p: Paragraph) -> float:
        return p.space_before + len(wrap(p.text, self._column(p), p.size, p.bold)) * p.size * p.leading

    def _paragraph(self, p: Paragraph, tail: float = 0.0) -> None:
        leading = p.size * p.leading
        column = self._column(p)
        lines = wrap(p.text, column, p.size, p.bold)
        if tail and self.y + self.paragraph_height(p) + tail > self.bottom and self.y > self.top + 14:
            self._new_page()
        self.y += p.space_before
        left = self.left + p.indent
        for n, line in enumerate(lines):
            if self.y + leading > self.bottom:
                self._new_page()
            self.y += leading
            baseline = self.y - p.size * 0.25
            if n == 0:
                for offset, label, bold in p.labels:
                    self.page.text(self.left + offset, baseline, label, p.size, bold)
            x = {"left": left, "center": left + column / 2}.get(p.align, left + column)
            stretch = column if p.justify and n < len(lines) - 1 else 0.0
            self.page.text(x, baseline, line, p.size, p.bold, p.align, p.spacing, stretch)
            if p.underline:
                w = text_width(line, p.size, p.bold) + p.spacing * (len(line) - 1)
                start = {"left": x, "center": x - w / 2}.get(p.align, x - w)
                self.page.line(start, baseline + 1.2, start + w, baseline + 1.2, 0.6)
        if p.rule:
            self.page.line(left, self.y, left + column, self.y, p.rule)

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
        page, x0, y = self.page, self.left, self.y
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


def flow(
    blocks: Sequence[Block],
    size: tuple[float, float] = A4_LANDSCAPE,
    head: str = "",
    margins: tuple[float, float, float, float] | None = None,
) -> list[Page]:
    """The pages of `blocks` laid out one after the other."""
    layout = Flow(size, head=head, margins=margins)
    for i, block in enumerate(blocks):
        tail = 0.0
        for after in blocks[i + 1 :]:
            if not isinstance(after, Paragraph) or not after.keep:
                break
            tail += layout.paragraph_height(after)
        layout.add(block, tail)
    return layout.pages


# ---------------------------------------------------------------- a plain HTML report


class _Html(HTMLParser):
    """Headings, paragraphs and tables of a plain HTML report as blocks; anything else
    (style, script, images) is left out, its text kept where it is text."""

    SIZES = {"h1": 15.0, "h2": 12.0, "h3": 10.5}

    def __init__(self, width: float) -> None:
        super().__init__(convert_charrefs=True)
        self.width = width  # of the page's column, in points
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.kind = "p"
        self.skip = 0
        self.rows: list[tuple[list[tuple[str, bool]], bool]] | None = None
        self.row: list[tuple[str, bool]] = []
        self.cell_right = False
        self.header_row = False
        self.muted = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("style", "script", "title"):
            self.skip += 1
        elif tag in ("h1", "h2", "h3", "p"):
            self._close()
            self.kind, self.muted = tag, "muted" in classes
        elif tag == "table":
            self._close()
            self.rows = []
        elif tag == "tr":
            self.row, self.header_row = [], False
        elif tag in ("td", "th"):
            self.text, self.cell_right = [], "num" in classes
            self.header_row = self.header_row or tag == "th"
        elif tag == "br":
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self.skip -= 1
        elif tag in ("h1", "h2", "h3", "p"):
            self._close()
        elif tag in ("td", "th"):
            self.row.append(("".join(self.text).strip(), self.cell_right))
            self.text = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append((self.row, self.header_row))
        elif tag == "table" and self.rows is not None:
            self._table(self.rows)
            self.rows = None

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)

    def _close(self) -> None:
        text = " ".join("".join(self.text).split())
        if text and self.rows is None:
            size = self.SIZES.get(self.kind, 9.0)
            bold = self.kind in self.SIZES
            self.blocks.append(Paragraph(text, size, bold, space_before=8 if bold else 4))
        self.text, self.kind = [], "p"

    def _table(self, rows: list[tuple[list[tuple[str, bool]], bool]]) -> None:
        head = [r for r, is_head in rows if is_head][:1]
        body = [r for r, is_head in rows if not is_head]
        count = max((len(r) for r, _ in rows), default=0)
        if not count:
            return
        titles = [c[0] for c in head[0]] + [""] * (count - len(head[0])) if head else [""] * count
        sample = [*([head[0]] if head else []), *body[:500]]
        size = next((s for s in (8.0, 7.0, 6.0) if _fits(sample, count, self.width, s)), 6.0)
        columns = tuple(
            Column(title, width, "right" if any(r[i][1] for r in sample if i < len(r)) else "left")
            for i, (title, width) in enumerate(zip(titles, _widths(sample, count, self.width, size), strict=True))
        )
        out: list[Row] = []
        for r in body:
            cells = [c[0] for c in r]
            if len(cells) == 1 and count > 1:
                out.append(Span(cells[0], bold=False))
            else:
                out.append(Cells(tuple(cells + [""] * (count - len(cells)))))
        if out:
            self.blocks.append(Table(columns, tuple(out), size=size))


def _needs(rows: list[list[tuple[str, bool]]], count: int, room: float, size: float) -> tuple[list[float], list[float]]:
    """Each column's longest word and longest text, in points at `size` (bold: the head)."""
    least, most = [2 * PAD + 8.0] * count, [2 * PAD + 8.0] * count
    for r in rows:
        if len(r) == 1 and count > 1:
            continue  # a row across the table
        for i, (text, _) in enumerate(r[:count]):
            words = [text_width(w, size, True) for w in text.split()] or [0.0]
            least[i] = max(least[i], max(words) + 2 * PAD + 1)  # a point to spare: no word cut by rounding
            most[i] = max(most[i], min(text_width(text, size, True), room) + 2 * PAD)
    return least, most


def _fits(rows: list[list[tuple[str, bool]]], count: int, room: float, size: float) -> bool:
    return sum(_needs(rows, count, room, size)[0]) <= room


def _widths(rows: list[list[tuple[str, bool]]], count: int, room: float, size: float) -> list[float]:
    """Column widths over `room`: each at least its longest word, the rest of the room shared
    in proportion to what each column's longest text would still need to stand on one line."""
    least, most = _needs(rows, count, room, size)
    spare = room - sum(least)
    if spare <= 0:  # even the longest words do not fit: shrink them alike (Flow cuts the words)
        return [room * w / sum(least) for w in least]
    if sum(most) <= room:  # every text on one line: the rest of the room in proportion
        return [room * m / sum(most) for m in most]
    wish = [m - w for m, w in zip(most, least, strict=True)]
    return [w + spare * x / sum(wish) for w, x in zip(least, wish, strict=True)]


def compose(html: str, watermark: str = "", title: str = "", lang: str = "id") -> Rendered:
    """A plain HTML report (headings, paragraphs, tables with a head row; a cell of class
    "num" aligned right) laid out on portrait A4 pages, numbered in `lang`."""
    margins = (12 * MM, 15 * MM, 12 * MM, 18 * MM)
    parser = _Html(A4[0] - margins[1] - margins[3])
    parser.feed(html)
    parser.close()
    parser._close()
    return pages_pdf(flow(parser.blocks, size=A4, margins=margins), title=title, watermark=watermark, lang=lang)
