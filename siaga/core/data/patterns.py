"""Security patterns (pola pengamanan): how many Polri, TNI and Linmas secure how many TPS.

Each preset is the published pattern of one operation (docs/doctrine.md, section 3), kept as
data with its source. A preset without a KHUSUS row uses its SANGAT_RAWAN row for KHUSUS.
"""

from __future__ import annotations

from dataclasses import dataclass

from siaga.core.data.model import Category, PatternRow

C = Category


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    source: str
    rows: tuple[PatternRow, ...]


def _same_for_all(tps: int, polri: int, tni: int, linmas: float) -> tuple[PatternRow, ...]:
    return tuple(PatternRow(c, tps, polri, tni, linmas) for c in Category)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "pilkades-paskot-2022",
            "Polres Pasuruan Kota, Pilkades 23 March 2022: 1 Polri + 2 Linmas per TPS",
            _same_for_all(1, 1, 0, 2),
        ),
        Preset(
            "pemilu-2024",
            "Several Polres, Pemilu 2024",
            (
                PatternRow(C.KURANG_RAWAN, 8, 2, 0, 2),
                PatternRow(C.RAWAN, 2, 2, 0, 2),
                PatternRow(C.SANGAT_RAWAN, 1, 2, 0, 2),
                PatternRow(C.KHUSUS, 1, 2, 0, 2),
            ),
        ),
        Preset(
            "pilkada-2015",
            "Mabes Polri, Pilkada 2015",
            (
                PatternRow(C.KURANG_RAWAN, 5, 2, 0, 2),
                PatternRow(C.RAWAN, 2, 2, 0, 2),
                PatternRow(C.SANGAT_RAWAN, 1, 2, 0, 2),
            ),
        ),
        Preset(
            "pemilu-2019",
            "Mabes Polri, Pemilu 2019 (sources conflict)",
            (
                PatternRow(C.KURANG_RAWAN, 4, 2, 0, 1.5),
                PatternRow(C.RAWAN, 2, 4, 0, 4),
                PatternRow(C.SANGAT_RAWAN, 2, 6, 0, 4),
            ),
        ),
        Preset(
            "pilkades-demak-2022",
            "Polres Demak, Pilkades 2022 (per TPS)",
            (
                PatternRow(C.KURANG_RAWAN, 1, 2, 1, 30),
                PatternRow(C.RAWAN, 1, 3, 1, 30),
                PatternRow(C.SANGAT_RAWAN, 1, 5, 2, 40),
            ),
        ),
        Preset(
            "pilkades-pamekasan-2022",
            "Polres Pamekasan, Pilkades 2022 (per TPS)",
            _same_for_all(1, 3, 1, 2),
        ),
    )
}

CUSTOM = "custom"


def rows_by_category(rows: tuple[PatternRow, ...]) -> dict[Category, PatternRow]:
    """The row for every category; KHUSUS falls back to SANGAT_RAWAN when it has none."""
    by_category = {r.category: r for r in rows}
    if C.KHUSUS not in by_category and C.SANGAT_RAWAN in by_category:
        sr = by_category[C.SANGAT_RAWAN]
        by_category[C.KHUSUS] = PatternRow(
            C.KHUSUS, sr.tps_per_post, sr.polri_per_post, sr.tni_per_post, sr.linmas_per_tps
        )
    return by_category
