"""The words people read for the scenario's codes, as msgids of the one catalogue: a category,
a force (a slot of a post), a region level, a unit kind, a plan post kind.

Render one with `word(table, code, lang)`; the console's siaga/operations/labels.py reads the
same tables in its active language. A code without a word is shown as itself (never empty).
"""

from __future__ import annotations

from collections.abc import Mapping

from siaga.core.data.text import _, gettext_noop

CATEGORY: Mapping[str, str] = {
    "KURANG_RAWAN": gettext_noop("Kurang rawan"),
    "RAWAN": gettext_noop("Rawan"),
    "SANGAT_RAWAN": gettext_noop("Sangat rawan"),
    "KHUSUS": gettext_noop("Khusus"),
}
FORCE: Mapping[str, str] = {
    "POLRI": gettext_noop("Polri"),
    "BRIMOB": gettext_noop("Brimob"),
    "TNI": gettext_noop("TNI"),
    "LINMAS": gettext_noop("Linmas"),
    "SATPOL_PP": gettext_noop("Satpol PP"),
}
LEVEL: Mapping[str, str] = {
    "KABUPATEN": gettext_noop("Kabupaten"),
    "KOTA": gettext_noop("Kota"),
    "KECAMATAN": gettext_noop("Kecamatan"),
    "DESA": gettext_noop("Desa"),
    "KELURAHAN": gettext_noop("Kelurahan"),
}
UNIT_KIND: Mapping[str, str] = {
    "POLRES": gettext_noop("Polres"),
    "POLSEK": gettext_noop("Polsek"),
    "BRIMOB": gettext_noop("Brimob"),
    "SAMAPTA": gettext_noop("Samapta"),
    "KODIM": gettext_noop("Kodim"),
    "KORAMIL": gettext_noop("Koramil"),
    "SATPOL_PP": gettext_noop("Satpol PP"),
    "OTHER": gettext_noop("Lainnya"),
}
POST_KIND: Mapping[str, str] = {
    "TPS": gettext_noop("Pos TPS"),
    "VILLAGE": gettext_noop("Pos desa"),
    "STANDBY": gettext_noop("Pos siaga TNI"),
    "RESERVE": gettext_noop("Tim cadangan"),
}


def word(table: Mapping[str, str], code: str, lang: str = "id") -> str:
    """The word for `code` in `lang`, or the code itself when the table has none."""
    msgid = table.get(code)
    return _(msgid, lang) if msgid else code
