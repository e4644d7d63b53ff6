"""Security patterns (pola pengamanan): how many Polri, TNI and Linmas secure how many TPS.

Each preset is the published pattern of one operation (docs/doctrine.md, section 3), kept as
data with its source. A preset without a KHUSUS row uses its SANGAT_RAWAN row for KHUSUS.

Each preset also says where the TNI and the Linmas serve (DOCTRINE.md section 9): in a Pemilu
or Pilkada the TNI keep 50-100 m from the TPS in standby groups that move on Polri's request
(`SIAGA`), and the Linmas at a TPS are the KPU's petugas ketertiban named by the PPS decree
(`KPU`); some Pilkades place TNI at the TPS (`TPS`, Demak and Magelang 2022) and the village
committee arranges its Linmas (`DESA`). The planner acts on both (docs/scenario.md 2.10):
under `SIAGA` it forms one TNI standby post per kecamatan instead of TNI at the TPS; under
`KPU`, when the PPS decrees are given (`personnel.tps_id`), the Linmas at each TPS are the
ones named, and a TPS with fewer than its pattern asks goes on the KPU/PPS coordination list.

A row with `patrol` is a patrol post (2 Polri per 16 TPS cannot stand at one place): its TPS
are covered on foot or motorbike within the operation's `patrol_radius_km`. A custom pattern
(the `patterns` sheet) keeps today's meaning: TNI where its rows put them, Linmas optimised.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from siaga.core.data.model import Category, PatternRow
from siaga.core.data.text import _, gettext_noop

C = Category


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    source: str
    rows: tuple[PatternRow, ...]
    election: str = "PEMILU"  # PEMILU, PILKADA or PILKADES
    tni: str = "SIAGA"  # TPS: TNI fill TPS posts; SIAGA: standby groups per kecamatan
    linmas: str = "KPU"  # KPU: named per TPS by the PPS decree; DESA: optimised within the desa


TNI_AT_TPS, TNI_STANDBY = "TPS", "SIAGA"
LINMAS_KPU, LINMAS_DESA = "KPU", "DESA"


def _pemilu_2024(kurang_rawan: PatternRow) -> tuple[PatternRow, ...]:
    """A 2024 Polres pattern: its own kurang rawan row, then the sourced 2 Polri per 2 TPS
    (rawan) and per TPS (sangat rawan, khusus), 2 Linmas per TPS."""
    return (
        kurang_rawan,
        PatternRow(C.RAWAN, 2, 2, 0, 2),
        PatternRow(C.SANGAT_RAWAN, 1, 2, 0, 2),
        PatternRow(C.KHUSUS, 1, 2, 0, 2),
    )


def _same_for_all(tps: int, polri: int, tni: int, linmas: float, patrol: bool = False) -> tuple[PatternRow, ...]:
    return tuple(PatternRow(c, tps, polri, tni, linmas, patrol) for c in Category)


SOURCED_2024 = (
    "Pemilu 2024, as the press reported Polres orders (DOCTRINE.md section 9): rawan 2 Polri per 2 TPS "
    "with 4 Linmas, sangat rawan 2 Polri per TPS with 2 Linmas (Polres Prabumulih)"
)

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
            "Several Polres, Pemilu 2024. No source was found for the kurang rawan ratio of 2 Polri per 8 TPS "
            "(reports give 2 per 10 to 16: use pemilu-2024-jakbar or pemilu-2024-siantar)",
            _pemilu_2024(PatternRow(C.KURANG_RAWAN, 8, 2, 0, 2)),
        ),
        Preset(
            "pemilu-2024-jakbar",
            "Polres Metro Jakarta Barat and Polres Demak, Pemilu 2024: kurang rawan 2 Polri per 16 TPS with "
            f"32 Linmas, on patrol; {SOURCED_2024}",
            _pemilu_2024(PatternRow(C.KURANG_RAWAN, 16, 2, 0, 2, patrol=True)),
        ),
        Preset(
            "pemilu-2024-siantar",
            "Polres Pematangsiantar, Pemilu 2024: kurang rawan 2 Polri per 10 TPS on patrol (the strongest of "
            f"its ratios, 2 per 10 to 14); {SOURCED_2024}",
            _pemilu_2024(PatternRow(C.KURANG_RAWAN, 10, 2, 0, 2, patrol=True)),
        ),
        Preset(
            "pilkada-2024-banyuwangi",
            "Polres Banyuwangi, Pilkada 2024: 1 Polri per 4-5 TPS (taken as 5, on patrol), the same for every "
            "category as reported; 2 Linmas per TPS (KPU)",
            _same_for_all(5, 1, 0, 2, patrol=True),
            "PILKADA",
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


def tni_mode(pattern: str) -> str:
    """Where the TNI serve under this pattern: TNI_STANDBY or TNI_AT_TPS (custom patterns)."""
    preset = PRESETS.get(pattern)
    return preset.tni if preset else TNI_AT_TPS


def linmas_mode(pattern: str) -> str:
    """Who names the Linmas at a TPS under this pattern: LINMAS_KPU or LINMAS_DESA (custom)."""
    preset = PRESETS.get(pattern)
    return preset.linmas if preset else LINMAS_DESA


def default_catalogue(pattern: str) -> str:
    """The indicator catalogue (siaga.core.data.indicators) of an operation that names none:
    its preset's election kind's (a Pilkades: the desa catalogue; a Pilkada: Bawaslu's Pilkada
    2024; a Pemilu or a custom pattern: Bawaslu's Pemilu 2024, the catalogue of old files)."""
    preset = PRESETS.get(pattern)
    election = preset.election if preset else "PEMILU"
    return {"PILKADES": "pilkades", "PILKADA": "pilkada-2024"}.get(election, "pemilu-2024")


def rows_by_category(rows: tuple[PatternRow, ...]) -> dict[Category, PatternRow]:
    """The row for every category; KHUSUS falls back to SANGAT_RAWAN when it has none."""
    by_category = {r.category: r for r in rows}
    if C.KHUSUS not in by_category and C.SANGAT_RAWAN in by_category:
        sr = by_category[C.SANGAT_RAWAN]
        by_category[C.KHUSUS] = replace(sr, category=C.KHUSUS)
    return by_category


# What a person reads for a pattern: the election, its year and whose order it was (names, the
# same in every language); the code stays what the workbook's operation sheet names.
TITLES = {
    "pilkades-paskot-2022": "Pilkades 2022 Polres Pasuruan Kota",
    "pemilu-2024": "Pemilu 2024",
    "pemilu-2024-jakbar": "Pemilu 2024 Polres Metro Jakarta Barat",
    "pemilu-2024-siantar": "Pemilu 2024 Polres Pematangsiantar",
    "pilkada-2024-banyuwangi": "Pilkada 2024 Polres Banyuwangi",
    "pilkada-2015": "Pilkada 2015 Mabes Polri",
    "pemilu-2019": "Pemilu 2019 Mabes Polri",
    "pilkades-demak-2022": "Pilkades 2022 Polres Demak",
    "pilkades-pamekasan-2022": "Pilkades 2022 Polres Pamekasan",
}
assert TITLES.keys() == PRESETS.keys(), "every preset has a title"


def title(pattern: str, lang: str = "id") -> str:
    """A pattern as a person reads it: a preset's title, the workbook's own pattern in words."""
    if pattern == CUSTOM:
        return _(gettext_noop("pola sendiri (lembar pola)"), lang)
    return TITLES.get(pattern, pattern)
