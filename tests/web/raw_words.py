"""What a page may not show its reader: the code's words.

`findings(html, lang)` reads the text a person sees on a page (the text between tags, outside
scripts and styles, and the attributes a screen shows or reads aloud: title, placeholder,
aria-label, alt, button values) and names every raw enum value (`KURANG_RAWAN`, `SATPOL_PP`,
`KABUPATEN`), every plan post code (`VILLAGE-35.14.16.2007`, `RESERVE-KORAMIL-18-1`), every
Python leftover (`None`, `True`, `{'a': 1}`) and, by language, every word of the other language
from a list. Codes a person needs (NRP, Kemendagri codes, TPS codes in data pages) are not
enums and pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser

from siaga.core.data import indicators, model

# Values a person reads as a word of their own (an acronym written in capitals in any order).
# Plan post kinds (codes of the plan file, not an enum).
POST_KINDS = {"VILLAGE", "STANDBY", "RESERVE"}
WORDS_IN_CAPITALS = {"TPS", "TNI", "PPK", "PPS", "KPU", "POLRES", "POLSEK", "KODIM", "KORAMIL", "KPPS", "PSU"}


def _enum_values() -> set[str]:
    from siaga.accounts.models import Role
    from siaga.field import models as field_models
    from siaga.plans import models as plan_models

    enums: list[type] = [
        model.Level,
        model.Category,
        model.UnitKind,
        model.StageKind,
        model.DutyKind,
        model.DutyLevel,
        model.DutyWhen,
        model.Force,
        indicators.Scope,
        indicators.ValueType,
    ]
    values = {str(member.value) for enum in enums for member in enum}  # type: ignore[attr-defined]
    choices: list[type] = [Role, plan_models.Plan.Status]
    for module in (field_models, plan_models):
        for item in vars(module).values():
            if isinstance(item, type) and hasattr(item, "_meta"):
                choices += [c for c in vars(item).values() if isinstance(c, type) and hasattr(c, "choices")]
    for choice in choices:
        values |= {str(v) for v in choice.values}  # type: ignore[attr-defined]
    # A raw value is one a person would not write: upper case with an underscore, or a
    # single upper-case word that is not an acronym people write.
    return {v for v in values if v.isupper() and v not in WORDS_IN_CAPITALS and len(v) > 2}


POST_CODE = re.compile(r"\b(?:TPS|VILLAGE|RESERVE|STANDBY|PATROL\w*|POSKO|ESCORT|GUARD)-[A-Z0-9][\w.\-]*")
PYTHON_LEFTOVERS = re.compile(r"(?<![\w-])(?:None|True|False|nan|NaN|undefined|null)(?![\w-])|\{'[a-z_]+':|\[\]")
ENGLISH_ON_INDONESIAN = [
    "forbidden",
    "Forbidden",
    "not found",
    "Not Found",
    "reserve",
    "village",
    "objective",
    "bound",
    "gap",
    "draft",
    "approved",
    "published",
    "pending",
    "running",
    "done",
    "failed",
    "Submit",
    "Save",
    "Cancel",
    "Delete",
    "Loading",
    "Error",
    "error",
    "unknown",
    "standby",
    "escort",
    "incident",
    "warning",
    "duty",
    "duties",
    "shortfall",
    "assigned",
    "unfilled",
    "slots",
    "team",
    "person",
    "persons",
    "people",
    "Username",
    "Password",
    "login",
    "Log in",
    "body system",
    "pattern",
    "the ",
    " and ",
    " of ",
]
INDONESIAN_ON_ENGLISH = [
    "Simpan",
    "Batal",
    "Hapus",
    "Setujui",
    "Terbitkan",
    "Kerahkan",
    "Laporkan",
    "Kejadian",
    "Belum ada",
    "Tidak ada",
    "Cadangan",
    "Pengawalan",
    "Kerawanan",
    "kerawanan",
    "Rencana",
    "rencana",
    "Personel",
    "Kurang rawan",
    "Sangat rawan",
    "kurang",
    "orang",
    "Jaga ",
    "Pos TPS",
    "Tim cadangan",
    "Tugas",
    "tugas",
    "Masuk",
    "Keluar",
    "Unduh",
    "Cari",
    "Urutkan",
    "Semua",
    "dan ",
    " yang ",
    " dari ",
    " untuk ",
]


class _Text(HTMLParser):
    SHOWN = {"title", "placeholder", "aria-label", "alt"}
    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        values = dict(attrs)
        self.parts += [v for k, v in attrs if k in self.SHOWN and v]
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data)


def shown_text(html: str) -> list[str]:
    """The pieces of text a reader sees or hears on the page."""
    parser = _Text()
    parser.feed(html)
    return [" ".join(p.split()) for p in parser.parts]


@cache
def _patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = sorted(_enum_values() | POST_KINDS, key=len, reverse=True)
    raw_word = re.compile(r"(?<![\w.\-])(" + "|".join(map(re.escape, raw)) + r")(?![\w\-])")
    words = ENGLISH_ON_INDONESIAN if lang == "id" else INDONESIAN_ON_ENGLISH
    other = re.compile("|".join(r"(?<!\w)" + re.escape(w.strip()) + r"(?!\w)" for w in words))
    return raw_word, other


def findings(html: str, lang: str, names: Iterable[str] = ()) -> list[str]:
    """What the page shows that a person should not read: one line per finding, with its text.
    `names` are proper names from the data and the orders (a desa, a post as the Sprin names
    it), taken out of the text before the other language's words are looked for."""
    raw_word, other = _patterns(lang)
    found: list[str] = []
    known = sorted({n for n in names if n}, key=len, reverse=True)
    for text in shown_text(html):
        for match in raw_word.finditer(text):
            found.append(f"raw enum {match.group(0)!r} in {text!r}")
        for match in POST_CODE.finditer(text):
            found.append(f"post code {match.group(0)!r} in {text!r}")
        for match in PYTHON_LEFTOVERS.finditer(text):
            found.append(f"code leftover {match.group(0)!r} in {text!r}")
        plain = text
        for name in known:
            plain = plain.replace(name, " ")
        for match in other.finditer(plain):
            found.append(f"{'English' if lang == 'id' else 'Indonesian'} word {match.group(0)!r} in {text!r}")
    return found
