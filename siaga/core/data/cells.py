"""Reading one cell: text, numbers, yes/no, dates and the enumerated words of the contract.

Each reader takes what a workbook or CSV file holds (text, a float, an int, a bool, a date)
and returns the value, or raises `Bad` with the problem code and its parameters.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
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
        result = float(value)
    else:
        raw = text(value)
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")  # Indonesian decimal comma: -7,67
        try:
            result = float(raw)
        except ValueError:
            raise Bad("not_number") from None
    if not math.isfinite(result):
        raise Bad("not_number")
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

    def read_checked(value: object) -> float:
        result = read(value)
        if low is not None and result < low:
            raise Bad(code or "too_small", min=_plain(low))
        if high is not None and result > high:
            raise Bad(code or "too_large", max=_plain(high))
        return result

    return read_checked


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
            out[key] = float(raw.strip())
        except ValueError:
            raise Bad("bad_weights", part=part.strip(), hint="") from None
    return out


def id_list(value: object) -> tuple[str, ...]:
    """Ids written in one cell, `;`, `,` or a new line between them: `35.14.17.2005-01; 35.14.17.2005-02`."""
    raw = text(value).replace(",", ";").replace("\n", ";")
    return tuple(dict.fromkeys(part.strip() for part in raw.split(";") if part.strip()))


def weights_text(mapping: dict[str, float]) -> str:
    return "; ".join(f"{k}={v!r}" for k, v in mapping.items())
