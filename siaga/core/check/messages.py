"""The checker's messages: an Indonesian msgid of the one catalogue and JSON parameters, kept
as they are and rendered in the reader's language only when someone reads them.

A parameter is a str, an int, a float (numbers written as the reader does, `text.number`) or a
list of msgids (category and force words, `labels.py`, each rendered and joined). A plan file
keeps a violation as `{"rule", "msgid", "params"}` (`record`), and `render` words such a record
again in any language.
"""

from __future__ import annotations

from collections.abc import Mapping

from siaga.core.data.labels import CATEGORY, FORCE
from siaga.core.data.text import Message, _, number

JSON = str | int | float | list[str]


def _json(value: object) -> JSON:
    kind = type(value)
    if kind is str or kind is int or kind is float:
        return value  # type: ignore[return-value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, bool) or value is None:
        return str(value)
    if hasattr(value, "item"):  # a numpy scalar
        return _json(value.item())  # type: ignore[attr-defined]
    if isinstance(value, int | float):
        return _json(int(value) if isinstance(value, int) else float(value))
    return str(value)


def _reader(value: object, lang: str) -> object:
    if type(value) is int:
        return number(value, lang)  # type: ignore[arg-type]
    if type(value) is float:
        return number(value, lang, None)  # type: ignore[arg-type]
    return value


def render(msgid: str, params: Mapping[str, object], lang: str = "id") -> str:
    """A checker message (a plan file's record) in `lang`."""
    return _(msgid, lang, **{k: _reader(v, lang) for k, v in params.items()})


class CheckMessage(Message):
    """A Message whose parameters are JSON and whose numbers are written as the reader does."""

    __slots__ = ()

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params = {k: _json(v) for k, v in params.items()}

    def render(self, lang: str = "id") -> str:
        return render(self.msgid, self.params, lang)


M = CheckMessage


def category(code: object) -> list[str]:
    """A category code as its word (a one-msgid list); "-" for none."""
    value = getattr(code, "value", code)
    if value is None:
        return ["-"]
    return [CATEGORY.get(str(value), str(value))]


def force(code: object) -> list[str]:
    """A force or slot code as its word (a one-msgid list)."""
    value = str(getattr(code, "value", code))
    return [FORCE.get(value, value)]


def slots(required: Mapping[str, int]) -> str:
    """What a post requires, e.g. "Polri 2, TNI 1, Linmas 3" (the force words are the same in
    every language of the catalogue)."""
    return ", ".join(f"{FORCE.get(s, s)} {n}" for s, n in required.items()) or "-"


__all__ = ["CheckMessage", "M", "category", "force", "render", "slots"]
