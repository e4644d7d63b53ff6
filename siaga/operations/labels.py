"""The words people read for the operation's codes (categories, forces, levels, unit kinds and
plan post kinds) in the console's active language: the core's tables (siaga/core/data/labels.py,
the one home of these words), translated lazily."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext, gettext_lazy

from siaga.core.data import labels as words


def _lazy(table: Mapping[str, str]) -> dict[str, object]:
    return {code: gettext_lazy(msgid) for code, msgid in table.items()}


CATEGORY_LABELS = _lazy(words.CATEGORY)
FORCE_LABELS = _lazy(words.FORCE)
LEVEL_LABELS = _lazy(words.LEVEL)
KIND_LABELS = _lazy(words.UNIT_KIND)
POST_KIND_LABELS = _lazy(words.POST_KIND)


def label(labels: Mapping[str, object], code: str) -> str:
    """The label of a code, or the code itself when it has none (never an empty cell)."""
    return str(labels.get(code, code))


def area_name(level: str, name: str) -> str:
    """A kecamatan or desa as people name it: "Kecamatan Kraton", "Desa Jeruk"."""
    return f"{gettext('Kecamatan') if level == 'KECAMATAN' else gettext('Desa')} {name}"


def stage_name(name: str) -> str:
    """A stage's name in the reader's language when it is one of Siaga's preset stages
    (siaga/core/data/stages.py marks them for the catalogue); a name the workbook gave stays
    as written."""
    return gettext(name) if name else name
