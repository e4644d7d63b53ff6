"""The indicator catalogues: the named facts about a TPS or a desa that make it vulnerable, one
catalogue per election as Bawaslu (or the Polres) published it.

Each catalogue is data (`data/indicators-<version>.csv`, shipped in the package):

- `pemilu-2024`: Bawaslu's TPS-rawan map of Pemilu 2024, 7 variables and 22 indicators;
- `pilkada-2024`: Bawaslu's TPS-rawan map of Pilkada 2024, 8 variables (SARA a variable of
  its own) and 27 indicators: the five DOCTRINE.md section 13 names, and the Pemilu 2024 ones
  carried over, each marked `listed = 0` because the sources in the repository do not list it
  for Pilkada 2024 (docs/indicators.md);
- `pilkades`: the desa-level catalogue of a Pilkades (DOCTRINE.md section 2), 18 indicators.

An operation chooses its catalogue (`Operation.catalogue`; blank: its pattern's, see
`patterns.default_catalogue`). A key means one thing wherever it appears: the same scope,
type, maximum, labels and weight in every catalogue (only its variable may differ: SARA is a
variable of its own in Pilkada 2024). `catalog()` is every indicator of every catalogue, so a
scenario's `tps` and `regions` sheets accept any of them and a score does not depend on the
catalogue chosen: the catalogue says which indicators an election's list (the Bawaslu TPS-rawan
list, siaga.core.data.bawaslu) may name and how the page groups them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from siaga.core.data.text import gettext_noop


class Scope(StrEnum):
    TPS = "TPS"
    DESA = "DESA"


class ValueType(StrEnum):
    BOOL = "bool"  # ya/tidak, stored as 0 or 1
    COUNT = "count"  # a whole number from 0 up to `maximum`
    SCALE = "scale"  # 0 (none) to 3 (severe)


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    scope: Scope
    type: ValueType
    maximum: int
    variable: str
    label_id: str
    label_en: str
    weight: float
    source: str
    listed: bool = True  # False: the catalogue's sources do not name it (carried over, see docs/indicators.md)

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id


PEMILU_2024, PILKADA_2024, PILKADES = "pemilu-2024", "pilkada-2024", "pilkades"
VERSIONS: dict[str, str] = {  # version -> its name for people (a msgid)
    PEMILU_2024: gettext_noop("Bawaslu Pemilu 2024 (7 variabel, 22 indikator)"),
    PILKADA_2024: gettext_noop("Bawaslu Pilkada 2024 (8 variabel, 27 indikator)"),
    PILKADES: gettext_noop("Pilkades (indikator desa)"),
}
VARIABLES: dict[str, str] = {  # variable -> its name for people (a msgid)
    "voting_rights": gettext_noop("Hak pilih"),
    "security": gettext_noop("Keamanan"),
    "campaign": gettext_noop("Kampanye dan politik uang"),
    "sara": gettext_noop("Politisasi SARA"),
    "neutrality": gettext_noop("Netralitas"),
    "logistics": gettext_noop("Logistik"),
    "location": gettext_noop("Lokasi TPS"),
    "infrastructure": gettext_noop("Listrik dan internet"),
    "pilkades": gettext_noop("Pilkades"),
    "geography": gettext_noop("Geografi"),
}


class CatalogueError(ValueError):
    """The shipped catalogues disagree (a key defined two ways): a fault of the package."""


def _read(version: str) -> dict[str, Indicator]:
    text = resources.files("siaga.core").joinpath(f"data/indicators-{version}.csv").read_text("utf-8")
    return {
        row["key"]: Indicator(
            key=row["key"],
            scope=Scope(row["scope"]),
            type=ValueType(row["type"]),
            maximum=int(row["maximum"]),
            variable=row["variable"],
            label_id=row["label_id"],
            label_en=row["label_en"],
            weight=float(row["weight"]),
            source=row["source"],
            listed=row["listed"] == "1",
        )
        for row in csv.DictReader(text.splitlines())
    }


@cache
def catalogue(version: str) -> dict[str, Indicator]:
    """The indicators of one catalogue by key, in its order. Raises KeyError for an unknown version."""
    if version not in VERSIONS:
        raise KeyError(version)
    return _read(version)


@cache
def catalog() -> dict[str, Indicator]:
    """Every indicator of every catalogue by key: the TPS indicators of Pemilu 2024, then the
    desa indicators, then those only Pilkada 2024 has. A key defined two ways is a fault."""
    out: dict[str, Indicator] = {}
    for version in (PEMILU_2024, PILKADES, PILKADA_2024):
        for key, ind in catalogue(version).items():
            known = out.setdefault(key, ind)
            same = (known.scope, known.type, known.maximum, known.weight, known.label_id, known.label_en)
            if same != (ind.scope, ind.type, ind.maximum, ind.weight, ind.label_id, ind.label_en):
                raise CatalogueError(f"{key}: defined differently in {version}")
    return out


def keys_for(scope: Scope) -> list[str]:
    """The keys of one scope in the Pemilu 2024 and Pilkades catalogues (the synthetic
    generator's indicators: what Pilkada 2024 adds is left out, so a seed gives the scenario
    it always gave)."""
    base = catalogue(PEMILU_2024) | catalogue(PILKADES)
    return [k for k, ind in base.items() if ind.scope == scope]


def version_of(catalogue_setting: str, pattern: str) -> str:
    """The catalogue an operation uses: its own setting, else its pattern's default."""
    from siaga.core.data.patterns import default_catalogue

    return catalogue_setting or default_catalogue(pattern)
