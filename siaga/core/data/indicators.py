"""The indicator catalog: the named facts about a TPS or a desa that make it vulnerable.

The catalog is data (`data/indicators.csv`, shipped in the package). Its keys are the
indicator columns a scenario's `tps` and `regions` sheets accept.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources


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

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id


@cache
def catalog() -> dict[str, Indicator]:
    """Every indicator by key, in catalog order."""
    text = resources.files("siaga.core").joinpath("data/indicators.csv").read_text("utf-8")
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
        )
        for row in csv.DictReader(text.splitlines())
    }


def keys_for(scope: Scope) -> list[str]:
    return [k for k, ind in catalog().items() if ind.scope == scope]
