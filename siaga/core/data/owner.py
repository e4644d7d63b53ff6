"""Whom an operation belongs to: its Polres (the one POLRES unit of the scenario that is not
BKO from elsewhere) and its Polda (by the province code of its kabupaten/kota, Kemendagri).

A Polda database holds many Polres operations; these two values decide who sees which
(`siaga.accounts.scope.operations_for`). The Sprin's letterhead reads the same Polda.
"""

from __future__ import annotations

from dataclasses import dataclass

from siaga.core.data.model import Level, Scenario, UnitKind

# Polda by province code (Kemendagri); Jakarta's is Polda Metro Jaya.
POLDA = {
    "11": "ACEH",
    "12": "SUMATERA UTARA",
    "13": "SUMATERA BARAT",
    "14": "RIAU",
    "15": "JAMBI",
    "16": "SUMATERA SELATAN",
    "17": "BENGKULU",
    "18": "LAMPUNG",
    "19": "KEPULAUAN BANGKA BELITUNG",
    "21": "KEPULAUAN RIAU",
    "31": "METRO JAYA",
    "32": "JAWA BARAT",
    "33": "JAWA TENGAH",
    "34": "DAERAH ISTIMEWA YOGYAKARTA",
    "35": "JAWA TIMUR",
    "36": "BANTEN",
    "51": "BALI",
    "52": "NUSA TENGGARA BARAT",
    "53": "NUSA TENGGARA TIMUR",
    "61": "KALIMANTAN BARAT",
    "62": "KALIMANTAN TENGAH",
    "63": "KALIMANTAN SELATAN",
    "64": "KALIMANTAN TIMUR",
    "65": "KALIMANTAN UTARA",
    "71": "SULAWESI UTARA",
    "72": "SULAWESI TENGAH",
    "73": "SULAWESI SELATAN",
    "74": "SULAWESI TENGGARA",
    "75": "GORONTALO",
    "76": "SULAWESI BARAT",
    "81": "MALUKU",
    "82": "MALUKU UTARA",
    "91": "PAPUA",
    "92": "PAPUA BARAT",
}


@dataclass(frozen=True, slots=True)
class Owner:
    polres_code: str  # the POLRES unit's code; "" when the scenario has none or several (a national run)
    polres_name: str
    polda: str  # "JAWA TIMUR"; "" for an unknown province


def province(scenario: Scenario) -> str:
    """The 2-digit province code of the scenario's first kabupaten/kota ("" when none)."""
    return next((r.code[:2] for r in scenario.regions if r.level in (Level.KABUPATEN, Level.KOTA)), "")


def of(scenario: Scenario) -> Owner:
    own = [u for u in scenario.units if u.kind == UnitKind.POLRES and not u.bko_to]
    one = own[0] if len(own) == 1 else None
    return Owner(one.code if one else "", one.name if one else "", POLDA.get(province(scenario), ""))
