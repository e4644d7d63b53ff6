"""Security patterns (pola pengamanan): how many Polri, TNI and Linmas secure how many TPS.

Each preset is the published pattern of one operation (docs/doctrine.md, section 3), kept as
data with its source. A preset without a KHUSUS row uses its SANGAT_RAWAN row for KHUSUS.

Each preset also says where the TNI and the Linmas serve (DOCTRINE.md section 9): in a Pemilu
or Pilkada the TNI keep 50-100 m from the TPS in standby groups that move on Polri's request
(`SIAGA`), and the Linmas at a TPS are the KPU's petugas ketertiban named by the PPS decree
(`KPU`); some Pilkades place TNI at the TPS (`TPS`, Demak and Magelang 2022) and the village
committee arranges its Linmas (`DESA`). The planner does not act on these yet (issue 11,
item 5): they are the presets' data, kept with their sources.
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
    election: str = "PEMILU"  # PEMILU, PILKADA or PILKADES
    tni: str = "SIAGA"  # TPS: TNI fill TPS posts; SIAGA: standby groups per kecamatan
    linmas: str = "KPU"  # KPU: named per TPS by the PPS decree; DESA: optimised within the desa


def _same_for_all(tps: int, polri: int, tni: int, linmas: float) -> tuple[PatternRow, ...]:
    return tuple(PatternRow(c, tps, polri, tni, linmas) for c in Category)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "pilkades-paskot-2022",
            "Polres Pasuruan Kota, Pilkades 23 March 2022: 1 Polri + 2 Linmas per TPS",
            _same_for_all(1, 1, 0, 2),
            "PILKADES",
            "TPS",
            "DESA",
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
            "PILKADA",
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
            "PILKADES",
            "TPS",
            "DESA",
        ),
        Preset(
            "pilkades-pamekasan-2022",
            "Polres Pamekasan, Pilkades 2022 (per TPS)",
            _same_for_all(1, 3, 1, 2),
            "PILKADES",
            "TPS",
            "DESA",
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
