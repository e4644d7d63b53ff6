"""The words people read for the operation's codes: categories, forces, levels, unit kinds
and plan post kinds, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

CATEGORY_LABELS = {
    "KURANG_RAWAN": _("Kurang rawan"),
    "RAWAN": _("Rawan"),
    "SANGAT_RAWAN": _("Sangat rawan"),
    "KHUSUS": _("Khusus"),
}
FORCE_LABELS = {
    "POLRI": _("Polri"),
    "BRIMOB": _("Brimob"),
    "TNI": _("TNI"),
    "LINMAS": _("Linmas"),
    "SATPOL_PP": _("Satpol PP"),
}
LEVEL_LABELS = {
    "KABUPATEN": _("Kabupaten"),
    "KOTA": _("Kota"),
    "KECAMATAN": _("Kecamatan"),
    "DESA": _("Desa"),
    "KELURAHAN": _("Kelurahan"),
}
KIND_LABELS = {
    "POLRES": _("Polres"),
    "POLSEK": _("Polsek"),
    "BRIMOB": _("Brimob"),
    "SAMAPTA": _("Samapta"),
    "KODIM": _("Kodim"),
    "KORAMIL": _("Koramil"),
    "SATPOL_PP": _("Satpol PP"),
    "OTHER": _("Lainnya"),
}
POST_KIND_LABELS = {
    "TPS": _("Pos TPS"),
    "VILLAGE": _("Pos desa"),
    "STANDBY": _("Pos siaga TNI"),
    "RESERVE": _("Tim cadangan"),
}


def label(labels: Mapping[str, object], code: str) -> str:
    """The label of a code, or the code itself when it has none (never an empty cell)."""
    return str(labels.get(code, code))
