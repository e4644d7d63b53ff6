"""Ranks of Polri and TNI on one ladder, and who leads a group of people.

DOCTRINE.md section 5 lists the Polri ranks, low to high; TNI ranks sit at their usual
equivalents (Bripda = Serda, Ipda = Letda, AKP = Kapten, AKBP = Letkol ...). Ranks are matched
case-insensitively, without dots and without a trailing "Pol" or "TNI" ("Kombes Pol." is
KOMBES). A rank not on the ladder (a Satpol PP civil-service grade, a blank) is level 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from siaga.core.data.model import Force, Person

# One row per level, lowest first: the Polri name(s), then the TNI name(s) of that level.
_LADDER: tuple[tuple[str, ...], ...] = (
    ("BHARADA", "PRADA"),
    ("BHARATU", "PRATU"),
    ("BHARAKA", "PRAKA"),
    ("ABRIP", "KOPDA"),
    ("ABRIPTU", "KOPTU"),
    ("ABRIPKA", "KOPKA"),
    ("BRIPDA", "SERDA"),
    ("BRIPTU", "SERTU"),
    ("BRIGPOL", "BRIGADIR", "SERKA"),
    ("BRIPKA", "SERMA"),
    ("AIPDA", "PELDA"),
    ("AIPTU", "PELTU"),
    ("IPDA", "LETDA"),
    ("IPTU", "LETTU"),
    ("AKP", "KAPTEN"),
    ("KOMPOL", "MAYOR"),
    ("AKBP", "LETKOL"),
    ("KOMBES", "KOLONEL"),
    ("BRIGJEN", "LAKSMA", "MARSMA"),
    ("IRJEN", "MAYJEN", "LAKSDA", "MARSDA"),
    ("KOMJEN", "LETJEN", "LAKSDYA", "MARSDYA"),
    ("JENDERAL", "LAKSAMANA", "MARSEKAL"),
)
LEVEL: dict[str, int] = {name: level for level, names in enumerate(_LADDER, start=1) for name in names}
_SUFFIX = re.compile(r"\s+(POL|POLRI|TNI|\(K\))$")

# At equal rank the police lead: a Pilkades or Pemilu security operation is a Polri operation.
_FORCE_PRECEDENCE = {Force.POLRI: 0, Force.BRIMOB: 0, Force.TNI: 1}


def rank_level(rank: str) -> int:
    """The rank's level on the joint ladder (1 = Bharada/Prada), 0 when unknown."""
    text = " ".join(rank.replace(".", " ").upper().split())
    while (shorter := _SUFFIX.sub("", text)) != text:
        text = shorter
    return LEVEL.get(text, 0)


def seniority(person: Person) -> tuple[int, int, str, str]:
    """Sort key, most senior first: highest rank, Polri before TNI, then name and id."""
    return (-rank_level(person.rank), _FORCE_PRECEDENCE.get(person.force, 2), person.name.casefold(), person.id)


def leader(persons: Iterable[Person]) -> Person | None:
    """The most senior person holding a known rank, or None (only Linmas, or nobody)."""
    ranked = [p for p in persons if rank_level(p.rank) > 0]
    return min(ranked, key=seniority) if ranked else None
