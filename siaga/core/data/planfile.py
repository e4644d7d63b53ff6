"""The plan file `siaga-plan/1` (docs/scenario.md, section 3): JSON in and out."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import replace
from itertools import chain, repeat
from json.encoder import c_make_encoder  # type: ignore[attr-defined]  # None without json's C speed-ups
from json.encoder import encode_basestring as _encode_string  # json's own (C where built)
from pathlib import Path
from typing import Any

from siaga.core.data.files import atomic_write_text, reason
from siaga.core.data.model import Assignment, Category, Plan, Post, Unfilled
from siaga.core.data.text import TranslatedError, gettext_noop

FORMAT = "siaga-plan/1"


class PlanFileError(TranslatedError, ValueError):
    """A plan file that cannot be used; `message(lang)` says why."""


def to_json(plan: Plan) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "operation": plan.operation,
        "pattern": plan.pattern,
        "tps_categories": {k: c.value for k, c in plan.tps_categories.items()},
        "posts": [
            {
                "id": p.id,
                "kind": p.kind,
                "tps": list(p.tps),
                "desa_code": p.desa_code,
                "kecamatan_code": p.kecamatan_code,
                "lat": p.lat,
                "lon": p.lon,
                "category": p.category.value,
                "required": dict(p.required),
            }
            for p in plan.posts
        ],
        "assignments": [
            {"person": a.person, "post": a.post, "slot": a.slot, "cost_km": a.cost_km} for a in plan.assignments
        ],
        "unfilled": [{"post": u.post, "slot": u.slot, "count": u.count} for u in plan.unfilled],
        "summary": dict(plan.summary),
        **plan.extra,
    }


def digest(plan: Plan) -> str:
    """The plan's version as printed on cards: sha256 of its assignments as the plan file
    writes them, first 16 hex digits. Moving one person changes it."""
    assignments = to_json(replace(plan, posts=(), unfilled=()))["assignments"]
    text = json.dumps(assignments, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def from_json(data: dict[str, Any]) -> Plan:
    if data.get("format") != FORMAT:
        raise PlanFileError(gettext_noop("bukan berkas rencana %(format)s"), format=FORMAT)
    try:
        posts = tuple(
            Post(
                id=str(p["id"]),
                kind=str(p["kind"]),
                tps=tuple(str(t) for t in p["tps"]),
                desa_code=str(p["desa_code"]),
                kecamatan_code=str(p["kecamatan_code"]),
                lat=float(p["lat"]),
                lon=float(p["lon"]),
                category=Category(p["category"]),
                required={str(k): int(v) for k, v in p["required"].items()},
            )
            for p in data["posts"]
        )
        assignments = tuple(
            Assignment(str(a["person"]), str(a["post"]), str(a["slot"]), float(a["cost_km"]))
            for a in data["assignments"]
        )
        unfilled = tuple(Unfilled(str(u["post"]), str(u["slot"]), int(u["count"])) for u in data["unfilled"])
        categories = {str(k): Category(v) for k, v in data["tps_categories"].items()}
        known = {"format", "operation", "pattern", "tps_categories", "posts", "assignments", "unfilled", "summary"}
        return Plan(
            operation=str(data["operation"]),
            pattern=str(data["pattern"]),
            tps_categories=categories,
            posts=posts,
            assignments=assignments,
            unfilled=unfilled,
            summary=dict(data["summary"]),
            extra={k: v for k, v in data.items() if k not in known},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFileError(gettext_noop("berkas rencana rusak: %(detail)s"), detail=repr(exc)) from None


def write_plan(plan: Plan, path: Path) -> None:
    """Written beside the target and renamed: never half a file. The text is
    `json.dump(to_json(plan), f, ensure_ascii=False, indent=1)`'s, byte for byte (`_Indented`)."""
    with atomic_write_text(path) as f:
        _Indented(f.write).dump(to_json(plan))


# ---------------------------------------------------------------- json.dump(indent=1), faster

_SCALAR = (str, int, float, type(None))  # bool is an int
_BATCH = 2000  # dicts of a list encoded in one call: bounds the text held at once


class _Indented:
    """Writes a value as `json.dump(value, f, ensure_ascii=False, indent=1)` does, byte for
    byte, at about twice its speed: json's indenting encoder is Python, its C encoder (used for
    any separators, but no indent) writes every container whose items are all scalars in one
    call, and every run of such dicts in a list (a plan's assignments) with NUL between items
    (raw in no JSON text; a string's control characters are escaped) and the NULs then
    replaced by the newlines and indents. Keys and scalars come out as json writes them
    (`_scalar`); circular values are not looked for."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write
        self.out: list[str] = []
        self._encoders: dict[int, Callable[[object], str]] = {}

    def dump(self, value: object) -> None:
        self._value(value, 0)
        self.write("".join(self.out))
        self.out.clear()

    def _flat(self, level: int) -> Callable[[object], str]:
        """json's encoder of a container of scalars at `level` (items at `level` + 1); at -1,
        items apart by NUL."""
        found = self._encoders.get(level)
        if found is None:
            separator = ",\n" + " " * (level + 1) if level >= 0 else "\0"
            found = self._encoders[level] = _flat_encoder(separator)
        return found

    def _value(self, value: object, level: int) -> None:
        out = self.out
        if len(out) > 4096:
            self.write("".join(out))
            out.clear()
        if isinstance(value, dict):
            self._dict(value, level)
        elif isinstance(value, list | tuple):
            self._list(value, level)
        else:
            out.append(_scalar(value))

    def _dict(self, value: dict[Any, Any], level: int) -> None:
        if not value:
            self.out.append("{}")
            return
        inner = "\n" + " " * (level + 1)
        if all(map(isinstance, value.values(), repeat(_SCALAR))):
            self.out.append("{" + inner + self._flat(level)(value)[1:-1] + "\n" + " " * level + "}")
            return
        separator = "{" + inner
        for k, v in value.items():
            if isinstance(v, _SCALAR):
                self.out.append(separator + _key(k) + ": " + _scalar(v))
            else:
                self.out.append(separator + _key(k) + ": ")
                self._value(v, level + 1)
            separator = "," + inner
        self.out.append("\n" + " " * level + "}")

    def _list(self, value: list[Any] | tuple[Any, ...], level: int) -> None:
        if not value:
            self.out.append("[]")
            return
        inner = "\n" + " " * (level + 1)
        if all(map(isinstance, value, repeat(_SCALAR))):
            self.out.append("[" + inner + self._flat(level)(value)[1:-1] + "\n" + " " * level + "]")
            return
        if _flat_dicts(value):
            self.out.append("[")
            for start in range(0, len(value), _BATCH):
                self.out.append(("" if start == 0 else ",") + self._dicts(value[start : start + _BATCH], level + 1))
                self.write("".join(self.out))
                self.out.clear()
            self.out.append("\n" + " " * level + "]")
            return
        separator = "[" + inner
        for v in value:
            self.out.append(separator)
            separator = "," + inner
            self._value(v, level + 1)
        self.out.append("\n" + " " * level + "]")

    def _dicts(self, dicts: list[Any] | tuple[Any, ...], level: int) -> str:
        """Non-empty dicts of scalars at `level`, each on its lines, apart by commas."""
        outer, inner = "\n" + " " * level, "\n" + " " * (level + 1)
        text = self._flat(-1)(list(dicts))[2:-2]  # [{...}NUL{...}]: NUL also between each dict's items
        text = text.replace("}\0{", outer + "}," + outer + "{" + inner).replace("\0", "," + inner)
        return outer + "{" + inner + text + outer + "}"


def _flat_encoder(separator: str) -> Callable[[object], str]:
    """json's C encoder with these item separators (as `JSONEncoder(...).encode` without its
    per-call set-up), or the Python one where json has no C speed-ups."""
    if c_make_encoder is None:
        return json.JSONEncoder(ensure_ascii=False, separators=(separator, ": ")).encode
    encoder = c_make_encoder(None, _unknown, _encode_string, None, ": ", separator, False, False, True)
    return lambda value: "".join(encoder(value, 0))


def _unknown(value: object) -> object:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _flat_dicts(items: list[Any] | tuple[Any, ...]) -> bool:
    """Whether `items` are all non-empty dicts of scalars."""
    return (
        all(map(isinstance, items, repeat(dict)))
        and all(items)
        and all(map(isinstance, chain.from_iterable(map(dict.values, items)), repeat(_SCALAR)))
    )


def _scalar(value: object) -> str:
    """A scalar as json writes it (ensure_ascii=False, NaN and infinities allowed)."""
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (math.inf, -math.inf):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False)  # raises the TypeError json.dump would


def _key(key: object) -> str:
    """A dict key as json writes it (a number, bool or None as a string)."""
    if isinstance(key, str):
        return _encode_string(key)
    return json.dumps({key: 0}, ensure_ascii=False)[1:-4]


def read_plan(path: Path) -> Plan:
    """The plan file at `path`; PlanFileError naming the file and what is wrong, in the
    reader's words, when it is missing, unreadable, not a plan or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(
            gettext_noop("%(path)s: tidak dapat dibaca (%(detail)s)"), path=path, detail=reason(exc)
        ) from None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise PlanFileError(gettext_noop("%(path)s: bukan berkas rencana"), path=path)
    if data.get("format") != FORMAT:
        raise PlanFileError(gettext_noop("%(path)s: bukan berkas rencana %(format)s"), path=path, format=FORMAT)
    try:
        return from_json(data)
    except PlanFileError:
        damaged = gettext_noop("%(path)s: berkas rencana rusak atau tidak lengkap; susun ulang dengan siaga plan")
        raise PlanFileError(damaged, path=path) from None
