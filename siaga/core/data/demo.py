"""The reference operation: Pam Pilkades serentak, Polres Pasuruan Kota, 23 March 2022.

Published (docs/doctrine.md, section 1): 7 kecamatan, 21 desa, 152 TPS, 950 joint personnel
(about 300 Polres/Polsek, 100 Brimob BKO, 100 TNI, the rest Linmas and others), pattern
1 Polri + 2 Linmas per TPS. The kecamatan and desa codes and names are real (Kemendagri, via
`data/kab-pasuruan-regions.csv`), and so are their points: each kecamatan and desa lies at its
centroid in the shipped boundary file (`boundaries.shipped`), and each TPS at a point drawn
inside its desa's outline. Everything else (TPS points within the desa, voters, TPS per desa,
names, NRP, phones, indicator values) is synthetic, deterministic from `seed`.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import replace
from importlib import resources

from siaga.core.data import boundaries, indicators, stages
from siaga.core.data.geo import haversine_km
from siaga.core.data.model import (
    Category,
    Force,
    Level,
    Operation,
    Person,
    Region,
    Scenario,
    Tps,
    Unit,
    UnitKind,
)

SEED = 2022
KABUPATEN = "35.14"
POLRES_POINT = (-7.645, 112.905)  # Mapolres Pasuruan Kota

# The kecamatan and whether they lie on the coast (docs/doctrine.md, section 1); their points are
# their centroids in the shipped boundary file (`point`).
KECAMATAN = {
    "35.14.16": True,  # Kraton
    "35.14.17": False,  # Pohjentrek
    "35.14.18": False,  # Gondangwetan
    "35.14.20": False,  # Grati
    "35.14.21": True,  # Nguling
    "35.14.22": True,  # Lekok
    "35.14.23": True,  # Rejoso
}

# Three real desa per kecamatan; the five named in the press are among them.
DESA = (
    "35.14.16.2022",  # Kraton
    "35.14.16.2021",  # Semare (coast)
    "35.14.16.2007",  # Jeruk
    "35.14.17.2001",  # Susukan Rejo
    "35.14.17.2005",  # Logowok
    "35.14.17.2006",  # Tidu
    "35.14.18.2011",  # Lajuk
    "35.14.18.2006",  # Wonojati
    "35.14.18.2003",  # Bayeman
    "35.14.20.2004",  # Plososari
    "35.14.20.2006",  # Kalipang
    "35.14.20.2003",  # Rebalas
    "35.14.21.2005",  # Nguling (coast)
    "35.14.21.2001",  # Sanganom
    "35.14.21.2004",  # Watestani
    "35.14.22.2008",  # Jatirejo (coast)
    "35.14.22.2010",  # Wates (coast)
    "35.14.22.2005",  # Branang
    "35.14.23.2004",  # Toyaning
    "35.14.23.2005",  # Arjosari
    "35.14.23.2001",  # Sadengrejo (coast)
)
COASTAL_DESA = frozenset({"35.14.16.2021", "35.14.21.2005", "35.14.22.2008", "35.14.22.2010", "35.14.23.2001"})

# Desa-level Pilkades facts a Kabag Ops would recognise (synthetic, see module docstring):
# a head-to-head race with the incumbent in Logowok, an earlier riot and militant supporters
# in Plososari, kinship rivalry and vote-buying talk on the coast, a feud in Tidu.
DESA_FACTS: dict[str, dict[str, float]] = {
    "35.14.17.2005": {"candidates": 2, "head_to_head": 1, "incumbent_running": 1, "team_feud": 1},
    "35.14.20.2004": {"candidates": 3, "riot_history": 1, "conflict_history": 2, "militant_supporters": 1},
    "35.14.22.2008": {"candidates": 2, "head_to_head": 1, "kinship_rivalry": 1, "vote_buying": 1},
    "35.14.21.2005": {"candidates": 4, "gambling": 1, "conflict_history": 1},
    "35.14.18.2011": {"candidates": 3, "incumbent_running": 1, "disqualification_protest": 1},
    "35.14.23.2001": {"candidates": 2, "head_to_head": 1},
    "35.14.17.2006": {"candidates": 3, "team_feud": 1, "vote_buying": 1},
}

TPS_COUNT = 152
TPS_SPREAD = 0.006  # degrees (about 650 m) around the desa's point where its TPS lie, inside its outline
POLRI, BRIMOB, TNI, SATPOL_PP, TOTAL = 300, 100, 100, 30, 950
LINMAS = TOTAL - POLRI - BRIMOB - TNI - SATPOL_PP

GIVEN = [
    "Agus",
    "Bambang",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hadi",
    "Hendra",
    "Imam",
    "Joko",
    "Moch.",
    "Nur",
    "Rudi",
    "Slamet",
    "Sugeng",
    "Teguh",
    "Wahyu",
    "Yudi",
    "Arief",
    "Dimas",
    "Rizky",
    "Andik",
    "Wawan",
    "Heri",
    "Abdul",
    "Ahmad",
    "Mustofa",
    "Syaiful",
    "Khoirul",
    "Anwar",
    "Zainal",
    "Sutrisno",
]
GIVEN_WOMEN = [
    "Siti",
    "Dewi",
    "Sri",
    "Lilik",
    "Yuliana",
    "Fitri",
    "Anik",
    "Endang",
    "Rina",
    "Nurul",
    "Umi",
    "Mega",
    "Ayu",
]
FAMILY = [
    "Santoso",
    "Wijaya",
    "Prasetyo",
    "Hidayat",
    "Saputra",
    "Susanto",
    "Setiawan",
    "Kurniawan",
    "Purnomo",
    "Wibowo",
    "Nugroho",
    "Hartono",
    "Rahman",
    "Hasan",
    "Maulana",
    "Firmansyah",
    "Effendi",
    "Utomo",
    "Suryadi",
    "Hariyanto",
    "Wahyudi",
    "Sholeh",
]
VILLAGER = [
    "Sumarno",
    "Ponirin",
    "Suparno",
    "Misnadi",
    "Rasimin",
    "Samsul",
    "Sukardi",
    "Mat",
    "Rawi",
    "Jumali",
    "Saniman",
    "Poniyem",
    "Sumiati",
]

# Rank pyramids: (rank, how many). Totals match the published force.
POLRES_RANKS = (
    ("AKBP", 1),
    ("KOMPOL", 3),
    ("AKP", 6),
    ("IPTU", 8),
    ("IPDA", 10),
    ("AIPTU", 12),
    ("AIPDA", 14),
    ("BRIPKA", 22),
    ("BRIGPOL", 30),
    ("BRIPTU", 24),
    ("BRIPDA", 20),
)  # 150
POLSEK_RANKS = (
    ("AKP", 1),
    ("IPTU", 1),
    ("IPDA", 1),
    ("AIPTU", 2),
    ("AIPDA", 2),
    ("BRIPKA", 4),
    ("BRIGPOL", 5),
    ("BRIPTU", 3),
    ("BRIPDA", 2),
)  # 21 per Polsek, 147 for 7
BRIMOB_RANKS = (
    ("AKP", 1),
    ("IPDA", 3),
    ("AIPDA", 3),
    ("BRIPKA", 6),
    ("BRIGPOL", 12),
    ("BRIPTU", 15),
    ("BRIPDA", 20),
    ("BHARAKA", 10),
    ("BHARATU", 15),
    ("BHARADA", 15),
)  # 100
KODIM_RANKS = (
    ("MAYOR", 1),
    ("KAPTEN", 2),
    ("LETTU", 2),
    ("PELTU", 2),
    ("SERKA", 4),
    ("SERTU", 5),
    ("SERDA", 5),
    ("KOPDA", 4),
    ("PRAKA", 3),
    ("PRATU", 2),
)  # 30
KORAMIL_RANKS = (
    ("KAPTEN", 1),
    ("PELDA", 1),
    ("SERKA", 2),
    ("SERTU", 2),
    ("SERDA", 2),
    ("KOPDA", 1),
    ("PRAKA", 1),
)  # 10 per Koramil, 70 for 7


NO_SIGNAL_TPS = frozenset({"35.14.16.2021-06", "35.14.16.2021-07", "35.14.22.2010-06", "35.14.22.2010-07"})


def pasuruan_kota(seed: int = SEED) -> Scenario:
    """The demo scenario: 7 kecamatan, 21 desa, 152 TPS, 950 persons."""
    rng = random.Random(seed)
    names = _region_names()
    regions = [Region(KABUPATEN, names[KABUPATEN], Level.KABUPATEN, "35")]
    for code in KECAMATAN:
        regions.append(Region(code, names[code], Level.KECAMATAN, KABUPATEN, *point(code)))
    for desa in DESA:
        kecamatan = desa.rsplit(".", 1)[0]
        rng.uniform(0, 1), rng.uniform(0, 1)  # the draws of the old synthetic points: the rest stays as it was
        facts = {"candidates": rng.choice((2, 3, 3, 4)), **DESA_FACTS.get(desa, {})}
        if desa in COASTAL_DESA:
            facts["coastal"] = 1
        facts["polsek_distance_km"] = round(haversine_km(*point(desa), *point(kecamatan)))
        regions.append(Region(desa, names[desa], Level.DESA, kecamatan, *point(desa), facts))
    tps = _tps(rng, random.Random(f"{seed}-tps-points"))
    units = _units()
    personnel = _personnel(rng, units, tps)
    operation = Operation(
        name="Pam Pilkades Serentak 2022 Polres Pasuruan Kota",
        election_date=dt.date(2022, 3, 23),
        pattern="pilkades-paskot-2022",
        reserve_team_size=30,
        village_guard_polri=2,
        village_guard_tni=2,
        note=(
            "Data contoh. Kode dan nama kecamatan/desa asli (Kemendagri), titik kecamatan dan desa di titik "
            "tengah batas wilayahnya yang asli; titik TPS (di dalam desanya), "
            "DPT, jumlah TPS per desa, nama, NRP, nomor HP dan nilai indikator SINTETIS "
            f"(seed {seed}). Angka operasi dari rilis Polres Pasuruan Kota, Maret 2022: "
            "950 personel gabungan, 7 kecamatan, 21 desa, 152 TPS."
        ),
    )
    # The 2022 Pilkades in time: apel and pergeseran on H-1, voting and counting, the escort of
    # the boxes to the balai desa, the penetapan (the Pilkades preset, written out to be edited).
    return Scenario(
        operation, tuple(regions), tuple(tps), tuple(units), tuple(personnel), stages=stages.preset(operation)
    )


def pasuruan_kota_pemilu(seed: int = SEED) -> Scenario:
    """The second demo operation: a Pemilu for the same Polres, its stages from the Pemilu
    preset (logistics escorts from H-5, TPS duty H-1 to H+1 12:00, PPK recapitulation for three
    days, the KPU warehouse in shifts). Same wilayah, TPS and people as the Pilkades demo;
    the date is the 2024 Pemilu's. Its vulnerability speaks the Pemilu 2024 catalogue (TPS
    facts only): the Pilkades demo's desa facts are read as the TPS facts they would be in a
    Pemilu (`PEMILU_FACTS`), at every TPS of the desa. Synthetic like the rest of the demo."""
    base = pasuruan_kota(seed)
    operation = replace(
        base.operation,
        name="Pam Pemilu 2024 Polres Pasuruan Kota",
        election_date=dt.date(2024, 2, 14),
        pattern="pemilu-2024",
        village_guard_polri=0,
        village_guard_tni=0,
    )
    catalogue = set(indicators.catalogue(indicators.version_of(operation.catalogue, operation.pattern)))
    desa = {r.code: r.indicators for r in base.regions}

    def as_pemilu(t: Tps) -> Tps:
        facts = {k: v for k, v in t.indicators.items() if k in catalogue}
        facts |= {PEMILU_FACTS[k]: 1 for k, v in desa.get(t.desa_code, {}).items() if v and k in PEMILU_FACTS}
        if desa.get(t.desa_code, {}).get("polsek_distance_km", 0) >= FAR_KM:
            facts["hard_to_reach"] = 1
        return replace(t, indicators=facts)

    return replace(
        base,
        operation=operation,
        stages=stages.preset(operation),
        tps=tuple(as_pemilu(t) for t in base.tps),
        regions=tuple(replace(r, indicators={}) for r in base.regions),
    )


# The Pilkades demo's desa facts as the Pemilu 2024 catalogue's TPS facts (synthetic, for the demo
# only): what a Pilkades's rivalry, money and violence would show at the TPS of a Pemilu.
PEMILU_FACTS = {
    "coastal": "disaster_prone",
    "vote_buying": "money_politics",
    "gambling": "money_politics",
    "riot_history": "intimidation_history",
    "conflict_history": "intimidation_history",
    "militant_supporters": "intimidation_history",
    "disqualification_protest": "intimidation_history",
    "incumbent_running": "official_not_neutral",
    "kinship_rivalry": "official_not_neutral",
    "team_feud": "near_campaign_post",
    "head_to_head": "near_campaign_post",
}
FAR_KM = 6  # a desa this far from its Polsek: its TPS hard to reach (the demo's own rule)


def point(code: str) -> tuple[float, float]:
    """A region's point: its centroid in the shipped boundary file."""
    found = boundaries.shipped()[code]
    return found.lat, found.lon


def _region_names() -> dict[str, str]:
    text = resources.files("siaga.core").joinpath("data/kab-pasuruan-regions.csv").read_text("utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def _tps(rng: random.Random, places: random.Random) -> list[Tps]:
    """The TPS, each at a point drawn from `places` inside its desa's outline."""
    per_desa = dict.fromkeys(DESA, TPS_COUNT // len(DESA))
    for desa in rng.sample(DESA, TPS_COUNT - sum(per_desa.values())):
        per_desa[desa] += 1
    riot_desa = "35.14.20.2004"
    out = []
    for desa, count in per_desa.items():
        outline = boundaries.shipped()[desa].geometry
        for n in range(1, count + 1):
            indicators: dict[str, float] = {}
            if desa == riot_desa and n <= 2:
                indicators["violence_history"] = 1
            if desa in DESA_FACTS and rng.random() < 0.3:
                indicators["near_campaign_post"] = 1
            if rng.random() < 0.08:
                indicators["dptb_voters"] = 1
            voters = rng.randint(230, 495)
            rng.uniform(0, 1), rng.uniform(0, 1)  # the draws of the old synthetic points: the rest stays as it was
            lat, lon = boundaries.point_inside(outline, places, around=(*point(desa), TPS_SPREAD))
            out.append(
                Tps(
                    id=f"{desa}-{n:02d}",
                    desa_code=desa,
                    number=n,
                    voters=voters,
                    lat=lat,
                    lon=lon,
                    address=f"Dusun {rng.choice(('Krajan', 'Kidul', 'Lor', 'Wetan', 'Kulon', 'Tengah'))}, "
                    f"RT {rng.randint(1, 12):02d} RW {rng.randint(1, 6):02d}",
                    indicators=indicators,
                )
            )
    # TPS at the far end of two coastal desa without phone signal (synthetic): the comms plan
    # links them by relay or runner.
    for i, t in enumerate(out):
        if t.id in NO_SIGNAL_TPS:
            out[i] = replace(t, indicators={**t.indicators, "no_internet": 1})
    # The intelligence section's own call, kept with its reason (an override).
    first = out[0]
    out[0] = Tps(
        first.id,
        first.desa_code,
        first.number,
        first.voters,
        first.lat,
        first.lon,
        first.address,
        Category.SANGAT_RAWAN,
        "Info intelijen: kedua tim sukses berencana mengerahkan massa ke TPS",
        first.indicators,
    )
    return out


def _units() -> list[Unit]:
    units = [
        Unit("POLRES-PASKOT", "Polres Pasuruan Kota", UnitKind.POLRES, "", *POLRES_POINT),
        Unit("BRIMOB-JATIM", "Sat Brimob Polda Jatim (BKO)", UnitKind.BRIMOB, "", -7.652, 112.897),
        Unit("KODIM-0819", "Kodim 0819/Pasuruan", UnitKind.KODIM, "", -7.641, 112.911),
        Unit("SATPOLPP-PAS", "Satpol PP Kab. Pasuruan", UnitKind.SATPOL_PP, "", -7.611, 112.844),
    ]
    names = _region_names()
    for code in KECAMATAN:
        lat, lon = point(code)
        suffix = code.rsplit(".", 1)[1]
        units.append(Unit(f"POLSEK-{suffix}", f"Polsek {names[code]}", UnitKind.POLSEK, code, lat + 0.002, lon))
        units.append(Unit(f"KORAMIL-{suffix}", f"Koramil {names[code]}", UnitKind.KORAMIL, code, lat, lon + 0.003))
    return units


def _personnel(rng: random.Random, units: list[Unit], tps: list[Tps]) -> list[Person]:
    used: set[str] = set()
    people: list[Person] = []

    def person(unit: str, rank: str, force: Force, desa: str = "") -> None:
        number = _number(rng, force, desa, used)
        name = _name(rng, force)
        people.append(
            Person(number, name, rank, unit, force, desa, f"08{rng.choice('1235')}{rng.randint(10**8, 10**9 - 1)}")
        )

    def staff(unit: str, ranks: tuple[tuple[str, int], ...], force: Force) -> None:
        for rank, count in ranks:
            for _ in range(count):
                person(unit, rank, force)

    staff("POLRES-PASKOT", POLRES_RANKS, Force.POLRI)
    staff("BRIMOB-JATIM", BRIMOB_RANKS, Force.BRIMOB)
    staff("KODIM-0819", KODIM_RANKS, Force.TNI)
    for unit in units:
        if unit.kind == UnitKind.POLSEK:
            staff(unit.code, POLSEK_RANKS, Force.POLRI)
        elif unit.kind == UnitKind.KORAMIL:
            staff(unit.code, KORAMIL_RANKS, Force.TNI)
    polri = sum(1 for p in people if p.force == Force.POLRI)
    staff("POLRES-PASKOT", (("BRIPDA", POLRI - polri),), Force.POLRI)
    staff("SATPOLPP-PAS", (("", SATPOL_PP),), Force.SATPOL_PP)
    tps_per_desa = {d: sum(1 for t in tps if t.desa_code == d) for d in DESA}
    linmas_per_desa = {d: 2 * n for d, n in tps_per_desa.items()}
    for desa in rng.choices(DESA, k=LINMAS - sum(linmas_per_desa.values())):
        linmas_per_desa[desa] += 1
    for desa, count in linmas_per_desa.items():
        for _ in range(count):
            person("", "", Force.LINMAS, desa)
    return _with_positions(people, units)


# Positions by unit kind, given in rank order to the unit's senior members (the first member of
# each rank in the lists above): the Polres's command and staff (DOCTRINE.md section 9, with a
# head for each satgas by positions.SATGAS), each Polsek's AKP its Kapolsek, each Koramil's
# captain its Danramil. Everyone else is field strength.
POLRES_POSITIONS = (
    ("AKBP", "Kapolres"),
    ("KOMPOL", "Wakapolres"),
    ("KOMPOL", "Kabag Ops"),
    ("KOMPOL", "Kabag Log"),
    ("AKP", "Kasat Samapta"),
    ("AKP", "Kasat Reskrim"),
    ("AKP", "Kasat Intelkam"),
    ("AKP", "Kasat Lantas"),
    ("AKP", "Kasat Binmas"),
    ("AKP", "Kasat Narkoba"),
    ("IPTU", "Kasi Humas"),
    ("IPDA", "Staf Posko"),
    ("IPDA", "Staf Posko"),
)
KODIM_POSITIONS = (("MAYOR", "Kasdim 0819/Pasuruan"),)


def _with_positions(people: list[Person], units: list[Unit]) -> list[Person]:
    """The demo's people with their positions; no random draw, so the rest stays as it was."""
    wanted: dict[str, list[tuple[str, str]]] = {
        "POLRES-PASKOT": list(POLRES_POSITIONS),
        "KODIM-0819": list(KODIM_POSITIONS),
    }
    for unit in units:
        place = unit.name.split(" ", 1)[1]
        if unit.kind == UnitKind.POLSEK:
            wanted[unit.code] = [("AKP", f"Kapolsek {place}")]
        elif unit.kind == UnitKind.KORAMIL:
            wanted[unit.code] = [("KAPTEN", f"Danramil {place}")]
    out = []
    for p in people:
        todo = wanted.get(p.unit_code, [])
        match = next((i for i, (rank, _) in enumerate(todo) if rank == p.rank), None)
        out.append(p if match is None else replace(p, position=todo.pop(match)[1]))
    return out


def _number(rng: random.Random, force: Force, desa: str, used: set[str]) -> str:
    """NRP (8 digits: birth year and month, then a serial), a TNI NRP, a Satpol PP NIP (18
    digits) or a Linmas member's NIK (16 digits starting with the desa's region code)."""
    while True:
        if force == Force.LINMAS:
            number = desa.replace(".", "")[:6] + f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}"
            number += f"{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"
        elif force == Force.TNI:
            number = f"3{rng.randint(10, 20)}{rng.randint(10**7, 10**8 - 1)}"
        elif force == Force.SATPOL_PP:
            born = f"19{rng.randint(70, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            number = (
                f"{born}20{rng.randint(0, 19):02d}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{rng.randint(1, 999):03d}"
            )
        else:
            number = f"{rng.randint(70, 99)}{rng.randint(1, 12):02d}{rng.randint(0, 9999):04d}"
        if number not in used:
            used.add(number)
            return number


def _name(rng: random.Random, force: Force) -> str:
    if force == Force.LINMAS and rng.random() < 0.4:
        return rng.choice(VILLAGER)
    given = rng.choice(GIVEN_WOMEN if rng.random() < 0.12 else GIVEN)
    return f"{given} {rng.choice(FAMILY)}"
