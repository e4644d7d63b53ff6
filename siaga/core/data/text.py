"""Words people read, in the reader's language, from the one gettext catalogue of Siaga.

Indonesian is the source language: a msgid is the Indonesian text, and
siaga/locale/<lang>/LC_MESSAGES/django.mo (the console's catalogue, read here with the
standard library, never Django) gives the other languages. The caller picks the language: the
CLI's --lang, the console's active language. Placeholders are Python's `%(name)s`; numbers are
passed already formatted by `number`.

`makemessages` (xgettext) collects the msgids from the names it knows: `_` and `ngettext`
translate, `gettext_noop` only marks a msgid that is translated later (a table, an error).
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGS = ("id", "en")
SEPARATORS = {"id": (".", ","), "en": (",", ".")}  # thousands, decimal


@cache
def catalogue(lang: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalogue of `lang`; Indonesian (the msgids themselves) when there is none."""
    return stdlib_gettext.translation("django", LOCALE, languages=[lang], fallback=True)


def _(msgid: str, lang: str = "id", **params: object) -> str:
    """`msgid` in `lang`, its `%(name)s` placeholders filled from `params` (a Message among
    them is rendered in `lang` too, and a list is a list of msgids, each rendered and joined
    with commas: words such as categories, kept as msgids in a plan file's JSON)."""
    return _fill(catalogue(lang).gettext(msgid), lang, params)


def ngettext(singular: str, plural: str, n: int, lang: str = "id", **params: object) -> str:
    """The form of `singular`/`plural` for `n` in `lang`; `n` is also a parameter."""
    return _fill(catalogue(lang).ngettext(singular, plural, n), lang, {"n": number(n, lang), **params})


def _fill(text: str, lang: str, params: Mapping[str, object]) -> str:
    if not params:
        return text
    return text % {k: _param(v, lang) for k, v in params.items()}


def _param(value: object, lang: str) -> object:
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, list | tuple):
        return ", ".join(catalogue(lang).gettext(str(v)) for v in value)
    return value


def gettext_noop(msgid: str) -> str:
    """Marks `msgid` for the catalogue without translating it (it is rendered later)."""
    return msgid


def number(value: float, lang: str = "id", decimals: int | None = 0, sign: bool = False) -> str:
    """`value` as a reader of `lang` writes it: 1.234,5 in Indonesian, 1,234.5 in English.
    `decimals=None` keeps up to six decimals and drops trailing zeros; `sign` writes a +."""
    thousands, decimal = SEPARATORS["en" if lang == "en" else "id"]
    plus = "+" if sign else ""
    text = f"{value:{plus},.{6 if decimals is None else decimals}f}"
    if decimals is None:
        text = text.rstrip("0").rstrip(".")
    return text.translate(str.maketrans(",.", thousands + decimal))


def percent(value: float, lang: str = "id", decimals: int = 1) -> str:
    """A share in percent, e.g. 80,4% / 80.4%."""
    return number(value, lang, decimals) + "%"


class Message:
    """A message kept as its msgid and parameters, rendered in the reader's language at the edge."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params: Mapping[str, object] = params

    def render(self, lang: str = "id") -> str:
        return _(self.msgid, lang, **self.params)

    def __str__(self) -> str:
        return self.render("id")

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{dict(self.params)!r})"


class TranslatedError(Exception):
    """An error worded by a msgid and parameters: `message(lang)` renders it, `str()` in
    Indonesian. Raise it as `SomeError(gettext_noop("..."), name=value)`."""

    def __init__(self, msgid: str, **params: object) -> None:
        self.text = Message(msgid, **params)
        super().__init__(msgid)

    def message(self, lang: str = "id") -> str:
        return self.text.render(lang)

    def __str__(self) -> str:
        return self.text.render("id")
