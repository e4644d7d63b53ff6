"""Ranks of Polri and TNI on one ladder, and who leads a group of people.

DOCTRINE.md section 5 lists the Polri ranks, low to high; TNI ranks sit at their usual
equivalents (Bripda = Serda, Ipda = Letda, AKP = Kapten, AKBP = Letkol ...). Ranks are matched
case-insensitively, without dots and without a trailing "Pol" or "TNI" or a TNI corps
("Kombes Pol." is KOMBES, "Serka Inf" is SERKA). A rank not on the ladder (a Satpol PP
civil-service grade, a blank) is level 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol, TypeVar

from siaga.core.data.cells import Bad
from siaga.core.data.model import Force

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
# "Pol", "TNI" (with AD/AL/AU), "(K)", and a TNI corps as lists write it after the rank.
_SUFFIX = re.compile(
    r"\s+(POL|POLRI|TNI|AD|AL|AU|\(K\)|INF|KAV|ARM|ARH|CZI|CHB|CPM|CKM|CPL|CTP|CAJ|CKU|CHK|CPN|KES|MAR|PSK"
    r"|TEK|ELK|LEK|NAV|PAS|SUS|ADM|KOM|POM)$"
)
RANKED_FORCES = frozenset({Force.POLRI, Force.BRIMOB, Force.TNI})  # Satpol PP and Linmas hold no ladder rank

# At equal rank the police lead: a Pilkades or Pemilu security operation is a Polri operation.
_FORCE_PRECEDENCE = {Force.POLRI: 0, Force.BRIMOB: 0, Force.TNI: 1}


def rank_level(rank: str) -> int:
    """The rank's level on the joint ladder (1 = Bharada/Prada), 0 when unknown."""
    text = " ".join(rank.replace(".", " ").upper().split())
    while (shorter := _SUFFIX.sub("", text)) != text:
        text = shorter
    return LEVEL.get(text, 0)


def read_rank(force: Force | None, rank: str) -> str:
    """The rank as stored. A Polri, Brimob or TNI rank the ladder reads is written in capitals
    without dots ("Bripka." -> BRIPKA, "Kombes Pol." -> KOMBES POL, "Serka Inf" -> SERKA INF);
    Bad (`unknown_rank`) when the ladder does not read it. Another force's rank (a Satpol PP
    grade), or a blank, as written."""
    if force not in RANKED_FORCES or not rank:
        return rank
    if rank_level(rank) == 0:
        raise Bad("unknown_rank", rank=" ".join(rank.upper().split()))
    return " ".join(rank.replace(".", " ").upper().split())


class Ranked(Protocol):
    """A person as the ladder reads one: the core's `Person`, or the console's row of it."""

    @property
    def rank(self) -> str: ...
    @property
    def force(self) -> str: ...
    @property
    def name(self) -> str: ...


R = TypeVar("R", bound=Ranked)


def seniority(person: Ranked) -> tuple[int, int, str, str]:
    """Sort key, most senior first: highest rank, Polri before TNI, then name and NRP/NIK."""
    code = str(getattr(person, "code", "") or getattr(person, "id", ""))  # the console's row: `code`
    return (-rank_level(person.rank), _FORCE_PRECEDENCE.get(Force(person.force), 2), person.name.casefold(), code)


def leader(persons: Iterable[R]) -> R | None:
    """The most senior person holding a known rank, or None (only Linmas, or nobody)."""
    ranked = [p for p in persons if rank_level(p.rank) > 0]
    return min(ranked, key=seniority) if ranked else None


def ketua_pos(persons: Iterable[R]) -> R | None:
    """A post's ketua pos: its senior Polri or Brimob member (the Sprin commands them), else its
    senior member; the one rule of the Sprin, the cards and the phone page."""
    crew = list(persons)
    return leader(p for p in crew if p.force in (Force.POLRI, Force.BRIMOB)) or leader(crew)
