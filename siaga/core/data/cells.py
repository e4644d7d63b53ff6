"""Reading one cell: text, numbers, yes/no, dates and the enumerated words of the contract.

Each reader takes what a workbook or CSV file holds (text, a float, an int, a bool, a date)
and returns the value, or raises `Bad` with the problem code and its parameters.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from siaga.core.data.model import Category


class Bad(ValueError):
    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


def text(value: object) -> str:
    """Cell as text. Whole numbers lose the `.0` a spreadsheet gives them (ids stay text)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def number(value: object) -> float:
    if isinstance(value, bool):
        raise Bad("not_number")
    if isinstance(value, int | float):
        try:
            result = float(value)
        except OverflowError:  # an int beyond any float
            raise Bad("not_finite") from None
    else:
        raw = text(value)
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")  # Indonesian decimal comma: -7,67
        try:
            result = float(raw)
        except ValueError:
            raise Bad("not_number") from None
    if not math.isfinite(result):
        raise Bad("not_finite")
    return result


def integer(value: object) -> int:
    try:
        result = number(value)
    except Bad:
        raise Bad("not_integer") from None
    if not result.is_integer():
        raise Bad("not_integer")
    return int(result)


TRUE_WORDS = frozenset({"true", "ya", "y", "yes", "1", "benar", "siap"})
FALSE_WORDS = frozenset({"false", "tidak", "t", "no", "n", "0", "salah"})


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Bad("not_bool")


def date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise Bad("not_date") from None


def datetime(value: object) -> dt.datetime:
    """A date and time: a spreadsheet's date-time, or text `YYYY-MM-DD HH:MM` (a `T` or a
    dot in the time, 07.00, as Indonesians write it, is read too); a date alone is 00:00."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    raw = text(value).replace("T", " ")
    day, _, time = raw.partition(" ")
    try:
        clock = dt.time.fromisoformat(time.strip().replace(".", ":")) if time.strip() else dt.time()
        return dt.datetime.combine(dt.date.fromisoformat(day), clock.replace(second=0, microsecond=0))
    except ValueError:
        raise Bad("not_datetime") from None


def word(value: object) -> str:
    """An enumerated word, normalised: upper case, spaces and hyphens read as underscores."""
    return "_".join(text(value).upper().replace("-", " ").split())


def enum_reader(kind: type[StrEnum], aliases: Mapping[str, str] | None = None) -> Callable[[object], Any]:
    allowed = ", ".join(m.value for m in kind)
    mapping = {m.value: m for m in kind}
    for old, new in (aliases or {}).items():
        mapping[old] = kind(new)

    def read(value: object) -> StrEnum:
        try:
            return mapping[word(value)]
        except KeyError:
            raise Bad("not_in_list", allowed=allowed) from None

    return read


LEGACY_CATEGORIES = {
    "AMAN": "KURANG_RAWAN",
    "RAWAN_RINGAN": "KURANG_RAWAN",
    "RAWAN_1": "RAWAN",
    "RAWAN_SEDANG": "RAWAN",
    "RAWAN_2": "SANGAT_RAWAN",
    "RAWAN_BERAT": "SANGAT_RAWAN",
}

category = enum_reader(Category, LEGACY_CATEGORIES)


def in_range(
    read: Callable[[object], float], low: float | None, high: float | None, code: str = ""
) -> Callable[[object], Any]:
    """`read`, then refuse values below `low` or above `high` (with `code` when given)."""
    return Range(read, low, high, code)


class Range:
    """A number or integer reader with bounds (`in_range`); `read_all` reads a whole column."""

    __slots__ = ("code", "high", "low", "read")

    def __init__(self, read: Callable[[object], float], low: float | None, high: float | None, code: str) -> None:
        self.read, self.low, self.high, self.code = read, low, high, code

    def __call__(self, value: object) -> Any:
        result = self.read(value)
        if self.low is not None and result < self.low:
            raise Bad(self.code or "too_small", min=_plain(self.low))
        if self.high is not None and result > self.high:
            raise Bad(self.code or "too_large", max=_plain(self.high))
        return result

    def read_all(self, values: list[Any]) -> list[Any] | None:
        """Every value of a column of text cells (a CSV file's) read at once when each one is
        plain and in range, else None (read them one by one for the problems). `float` and
        `int` on the text give what `number` and `integer` give whenever they succeed, within
        bounds an int keeps exactly as a float (a comma, a blank cell or a bad word fails)."""
        low, high = self.low, self.high
        if not values or low is None or high is None or max(abs(low), abs(high)) > 2**52:
            return None
        try:
            "".join(values)  # TypeError unless all are text: float(True) would pass a yes/no cell
            if self.read is number:
                out: list[Any] = list(map(float, values))
            elif self.read is integer:
                out = list(map(int, values))
            else:
                return None
        except (TypeError, ValueError):  # not all text, or a cell the readers must look at
            return None
        total = sum(out)  # NaN ("nan" is a float) makes the sum NaN; min and max would miss it
        if total != total or not low <= min(out) or not max(out) <= high:
            return None
        return out


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


latitude = in_range(number, -11.0, 6.0, "outside_indonesia")
longitude = in_range(number, 95.0, 141.0, "outside_indonesia")


def weights(value: object) -> dict[str, float]:
    """Indicator weights written in one cell: `violence_history=30; head_to_head=25`."""
    from siaga.core.data.indicators import catalog

    out: dict[str, float] = {}
    for part in text(value).replace(",", ";").split(";"):
        if not part.strip():
            continue
        key, sep, raw = part.partition("=")
        key = "_".join(key.strip().lower().replace("-", " ").split())
        if not sep or key not in catalog():
            close = difflib.get_close_matches(key, list(catalog()), n=1)
            raise Bad("bad_weights", part=part.strip(), hint=f" ({close[0]}?)" if close else "")
        try:
            weight = float(raw.strip())
        except ValueError:
            raise Bad("bad_weights", part=part.strip(), hint="") from None
        if not math.isfinite(weight):
            raise Bad("not_finite")
        if not -WEIGHT_MAX <= weight <= WEIGHT_MAX:
            raise Bad("too_large", max=_plain(WEIGHT_MAX))
        out[key] = weight
    return out


WEIGHT_MAX = 1000.0


def id_list(value: object) -> tuple[str, ...]:
    """Ids written in one cell, `;`, `,` or a new line between them: `35.14.17.2005-01; 35.14.17.2005-02`."""
    raw = text(value).replace(",", ";").replace("\n", ";")
    ids = (ID_IN_LIST(part) for part in raw.split(";") if part.strip())
    return tuple(dict.fromkeys(i for i in ids if i))


# ---------------------------------------------------------------- clean text

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls (ANSI escapes
# start with ESC or CSI).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAK = re.compile(r"[\t\n\r\x85\u2028\u2029]")
# Characters that reorder what is shown (Trojan-source tricks): marks, embeddings, overrides, isolates.
BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Characters that show nothing: zero-width spaces and joiners, word joiner, invisible operators,
# the BOM, soft hyphen, Hangul fillers. Removed from identifiers.
INVISIBLE = re.compile(
    r"[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2064\u3164\ufeff\uffa0]"
)


def _shown(char: str) -> str:
    return f"U+{ord(char):04X}"


def identifier_form(raw: str) -> str:
    """An identifier as compared: NFKC (full-width and compatibility forms to plain ones), the
    invisible characters removed, and digits of any script written as 0-9."""
    if raw.isascii():
        return raw
    value = INVISIBLE.sub("", unicodedata.normalize("NFKC", raw))
    if not value.isascii():
        value = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in value)
    return value.strip()


class Text:
    """A text cell held to the contract: at most `max_length` characters (the database
    column's), no control characters, no bidi controls. An `identifier` (a code, an id, an
    NRP) is also put in `identifier_form` and may not hold a tab or line break."""

    __slots__ = ("identifier", "lookalikes", "max_length")

    def __init__(self, max_length: int, identifier: bool = False, lookalikes: bool = True) -> None:
        self.max_length = max_length
        self.identifier = identifier
        self.lookalikes = lookalikes  # False: a character that only looks like a plain one is refused

    def __call__(self, value: object) -> str:
        return self.clean(text(value))

    def clean(self, value: str) -> str:
        if self.identifier and not value.isascii():
            normal = identifier_form(value)
            if not normal:
                raise Bad("only_invisible")
            visible = INVISIBLE.sub("", value).strip()
            if not self.lookalikes and visible != normal:
                char = next((c for c in visible if not c.isascii()), visible[0])
                raise Bad("lookalike_id", char=f"{char} {_shown(char)}", normalised=normal)
            value = normal
        bad = CONTROL.search(value) or (LINE_BREAK.search(value) if self.identifier else None)
        if bad:
            raise Bad("control_character", char=_shown(bad[0]))
        bidi = BIDI.search(value)
        if bidi:
            raise Bad("bidi_character", char=_shown(bidi[0]))
        if len(value) > self.max_length:
            raise Bad("text_too_long", length=f"{len(value):,}", max=f"{self.max_length:,}")
        return value

    def clean_all(self, values: list[str]) -> list[str]:
        """`clean` on a whole column, with one pass over the joined column when nothing needs
        a change (a national CSV column of two million values)."""
        if not values:
            return values
        joined = "".join(values)
        if joined.isascii() and joined.isprintable() and max(map(len, values)) <= self.max_length:
            return values  # printable ASCII: no control, bidi, invisible or line-break character
        clean = max(map(len, values)) <= self.max_length and not CONTROL.search(joined) and not BIDI.search(joined)
        if clean and (not self.identifier or (joined.isascii() and not LINE_BREAK.search(joined))):
            return values
        return [self.clean(v) for v in values]

    def __repr__(self) -> str:
        return f"Text({self.max_length}, identifier={self.identifier})"


def clean_text(value: str, identifier: bool = False) -> bool:
    """Whether `value` passes the contract's character rules (the length aside)."""
    try:
        return Text(len(value) or 1, identifier).clean(value) == value
    except Bad:
        return False


ID_IN_LIST = Text(60, identifier=True)


def weights_text(mapping: dict[str, float]) -> str:
    return "; ".join(f"{k}={v!r}" for k, v in mapping.items())
