"""Synthetic scenarios of any size, from one TPS to the whole country, deterministic from a seed.

`generate(tps, seed)` returns a `Scenario`; `write(path, tps, seed)` writes one as `.xlsx` or
as a folder of CSV files, streaming the rows so the national size (820,000 TPS, two million
persons) never exists as objects. Both draw the same rows, so `write` gives exactly the files
`write_scenario(generate(...))` gives.

The shape follows the country (DOCTRINE section 6): 514 kabupaten/kota placed in their real
provinces, each with a Polres, a Kodim, a Brimob BKO company and a Satpol PP unit; a Polsek
and a Koramil per kecamatan; Linmas per desa, two per TPS. A smaller request keeps the
ratios: about 1,600 TPS per kabupaten, ~113 per kecamatan, ~10 per desa, 2.45 persons per
TPS. Codes are shaped like Kemendagri's (`35.14.17.2005`), names like Indonesian ones, and
every coordinate lies inside Indonesia. Nothing here is real data.

Each sheet draws from its own random stream, so sheets can be written one after another
from the same skeleton (the regions, about 1/10 of the TPS count), and asking for indicators
changes no other value (but the address of a TPS at a special location: a prison, a hospital).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from siaga.core.data.geo import haversine_km
from siaga.core.data.indicators import Scope, keys_for
from siaga.core.data.model import (
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
from siaga.core.data.scenario import scenario_tables, write_scenario
from siaga.core.data.workbook import LIMITS, write_tables

NATIONAL_TPS = 820_000
NATIONAL_KABUPATEN = 514
TPS_PER_KABUPATEN = NATIONAL_TPS / NATIONAL_KABUPATEN
# An .xlsx sheet holds at most LIMITS.xlsx_rows rows; personnel is the longest, ~2.5 per TPS.
XLSX_MAX_TPS = LIMITS.xlsx_rows // 3

# Persons per TPS by force: 820,000 TPS give ~262,000 Polri, 33,000 Brimob, 57,000 TNI,
# 16,000 Satpol PP and 1.64 million Linmas (Pemilu 2019: 271,880 Polri, 68,854 TNI, 1.6 M Linmas).
POLRI_PER_TPS = 0.32
POLRES_SHARE = 0.4  # the rest of the Polri serve at the Polsek, by kecamatan size
BRIMOB_PER_TPS = 0.04
TNI_PER_TPS = 0.07
KODIM_SHARE = 0.3
SATPOL_PP_PER_TPS = 0.02
LINMAS_PER_TPS = 2
UNAVAILABLE = 0.02

COLUMNS = {
    "regions": ("code", "name", "level", "parent_code", "lat", "lon", "polres_code"),
    "tps": ("id", "desa_code", "number", "voters", "lat", "lon", "address", "category", "category_reason"),
    "units": (
        "code",
        "name",
        "kind",
        "kecamatan_code",
        "lat",
        "lon",
        "parent_code",
        "bko_to",
        "assembly_lat",
        "assembly_lon",
    ),
    "personnel": (
        "id",
        "name",
        "rank",
        "unit_code",
        "force",
        "desa_code",
        "phone",
        "available",
        "position",
        "tps_id",
        "pinned_post",
        "pin_reason",
    ),
}

Row = tuple[Any, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# ---------------------------------------------------------------- reference data

# code, name, kabupaten, kota, centre lat, centre lon, radius (degrees), place style, name style
PROVINCES: tuple[tuple[str, str, int, int, float, float, float, str, str], ...] = (
    ("11", "Aceh", 18, 5, 4.4, 96.9, 0.9, "sumatra", "umum"),
    ("12", "Sumatera Utara", 25, 8, 2.2, 99.2, 1.1, "sumatra", "batak"),
    ("13", "Sumatera Barat", 12, 7, -0.8, 100.6, 0.8, "sumatra", "umum"),
    ("14", "Riau", 10, 2, 0.5, 101.8, 1.0, "sumatra", "umum"),
    ("15", "Jambi", 9, 2, -1.6, 103.0, 0.8, "sumatra", "umum"),
    ("16", "Sumatera Selatan", 13, 4, -3.3, 104.2, 1.0, "sumatra", "umum"),
    ("17", "Bengkulu", 9, 1, -3.6, 102.3, 0.5, "sumatra", "umum"),
    ("18", "Lampung", 13, 2, -5.0, 105.0, 0.6, "sumatra", "umum"),
    ("19", "Kepulauan Bangka Belitung", 6, 1, -2.4, 106.5, 0.6, "sumatra", "umum"),
    ("21", "Kepulauan Riau", 5, 2, 1.0, 104.3, 0.6, "sumatra", "umum"),
    ("31", "DKI Jakarta", 1, 5, -6.2, 106.85, 0.08, "jawa", "umum"),
    ("32", "Jawa Barat", 18, 9, -6.9, 107.6, 0.6, "sunda", "umum"),
    ("33", "Jawa Tengah", 29, 6, -7.2, 110.2, 0.6, "jawa", "umum"),
    ("34", "DI Yogyakarta", 4, 1, -7.85, 110.4, 0.15, "jawa", "umum"),
    ("35", "Jawa Timur", 29, 9, -7.6, 112.5, 0.7, "jawa", "umum"),
    ("36", "Banten", 4, 4, -6.4, 106.1, 0.3, "sunda", "umum"),
    ("51", "Bali", 8, 1, -8.4, 115.2, 0.2, "nusa", "bali"),
    ("52", "Nusa Tenggara Barat", 8, 2, -8.6, 117.4, 0.7, "nusa", "umum"),
    ("53", "Nusa Tenggara Timur", 21, 1, -9.0, 122.0, 1.0, "nusa", "timur"),
    ("61", "Kalimantan Barat", 12, 2, 0.0, 110.5, 1.1, "kalimantan", "umum"),
    ("62", "Kalimantan Tengah", 13, 1, -1.7, 113.4, 1.1, "kalimantan", "umum"),
    ("63", "Kalimantan Selatan", 11, 2, -3.0, 115.3, 0.5, "kalimantan", "umum"),
    ("64", "Kalimantan Timur", 7, 3, 0.5, 116.5, 1.1, "kalimantan", "umum"),
    ("65", "Kalimantan Utara", 4, 1, 3.0, 116.5, 0.6, "kalimantan", "umum"),
    ("71", "Sulawesi Utara", 11, 4, 1.2, 124.6, 0.4, "sulawesi", "timur"),
    ("72", "Sulawesi Tengah", 12, 1, -1.2, 121.0, 0.9, "sulawesi", "umum"),
    ("73", "Sulawesi Selatan", 21, 3, -4.0, 120.0, 0.8, "sulawesi", "umum"),
    ("74", "Sulawesi Tenggara", 15, 2, -4.1, 122.3, 0.5, "sulawesi", "umum"),
    ("75", "Gorontalo", 5, 1, 0.6, 122.5, 0.3, "sulawesi", "umum"),
    ("76", "Sulawesi Barat", 6, 0, -2.5, 119.3, 0.4, "sulawesi", "umum"),
    ("81", "Maluku", 9, 2, -3.3, 129.5, 1.2, "timur", "timur"),
    ("82", "Maluku Utara", 8, 2, 0.8, 127.8, 0.7, "timur", "umum"),
    ("91", "Papua", 8, 1, -2.5, 139.4, 0.5, "timur", "timur"),
    ("92", "Papua Barat", 7, 0, -1.5, 133.5, 0.6, "timur", "timur"),
    ("93", "Papua Selatan", 4, 0, -7.0, 139.5, 0.7, "timur", "timur"),
    ("94", "Papua Tengah", 8, 0, -3.8, 136.5, 0.9, "timur", "timur"),
    ("95", "Papua Pegunungan", 8, 0, -4.0, 138.9, 0.5, "timur", "timur"),
    ("96", "Papua Barat Daya", 5, 1, -1.0, 131.8, 0.5, "timur", "timur"),
)
ISLAND_PROVINCES = frozenset({"19", "21", "52", "53", "81", "82", "96"})

# Place names: prefix and suffix, joined with a space or not, by region.
PLACES: dict[str, tuple[str, Sequence[str], Sequence[str]]] = {
    "sumatra": (
        " ",
        _words("Muara Lubuk Sungai Padang Air Bukit Tanjung Teluk Kuala Pasar Koto Simpang Talang Batu Tebing"),
        _words("Jaya Baru Indah Makmur Raya Tinggi Panjang Gadang Putih Dalam Mulia Tengah Alam Sakti Harapan"),
    ),
    "jawa": (
        "",
        _words("Suka Karang Sumber Sido Wono Tegal Kali Jati Mekar Pager Banyu Pandan Gondang Kedung Ngadi Wates"),
        _words("rejo mulyo harjo sari makmur jaya asri agung anyar wangi kerto mukti rahayu lor kidul wetan kulon"),
    ),
    "sunda": (
        "",
        _words("Ci Suka Pasir Sindang Karang Mekar Sukma Bojong Cikal Jati Tanjung Pamoyanan"),
        _words("jaya mulya asih sari wangi raharja mekar galih laya bodas hurip manah"),
    ),
    "nusa": (
        "",
        _words("Tegal Banjar Kuta Sanga Oe Wae Labuan Sape Pena Lembar Bata Nai"),
        _words("sari tuan bale kasa lolo mese nusa rana lasi kolo leu mbawa"),
    ),
    "kalimantan": (
        " ",
        _words("Sungai Muara Tanjung Long Nanga Batu Teluk Pulau Handil Anjir Tumbang Kuala"),
        _words("Ampah Baru Jaya Raya Putih Kecil Besar Tengah Laut Hulu Hilir Pinang Durian Rambutan"),
    ),
    "sulawesi": (
        "",
        _words("Bonto Tana Lipu Bulu Watan Pa Ma Tombo Lembang Sidenre Kam Lala"),
        _words("lempangan riaja lau batu kelapa sari bone jaya mase walu tiro tonda"),
    ),
    "timur": (
        "",
        _words("Yo Wa Ke Mo Tu Ari Ha Su Bo Na Wai Hila"),
        _words("boi mena wa kon pai kari tobo nggi ye rip sela tuhaha"),
    ),
}

# Person names: given names (male, female) and family or second names (male, female).
NAMES: dict[str, tuple[Sequence[str], Sequence[str], Sequence[str], Sequence[str]]] = {
    "umum": (
        _words(
            "Budi Agus Andi Ahmad Muhammad Eko Dedi Rudi Hendra Joko Bambang Slamet Wahyu Arif Rizki Fajar "
            "Dimas Yusuf Hadi Imam Teguh Iwan Dwi Adi Bayu Rahmat Sutrisno Supriyadi Heru Taufik Irfan Ilham "
            "Aditya Yoga Galih Anton Ari Hasan Ridwan Syahrul Firman Hendri Zainal Rian"
        ),
        _words("Siti Dewi Sri Ani Rina Nur Fitri Wulan Indah Ratna Yuliana Putri Ayu Nurul Rani Dian Mega Novi Eka"),
        _words(
            "Santoso Wijaya Hidayat Saputra Pratama Setiawan Nugroho Kurniawan Gunawan Wibowo Susanto Purnomo "
            "Hartono Prasetyo Ramadhan Firmansyah Hakim Rahman Maulana Syahputra Kusuma Permana Hermawan "
            "Sutanto Suryadi Haryanto Effendi Hidayatullah Siswanto Irawan"
        ),
        _words(
            "Lestari Rahmawati Wulandari Handayani Permatasari Utami Anggraini Puspitasari Safitri Kurniasih "
            "Susanti Maharani Rahayu Novitasari"
        ),
    ),
    "batak": (
        _words("Roy Jhon Parlindungan Hotman Maruli Togar Bonar Ferdinand Sahat Rinaldi Daniel Samuel Rudi Hendra"),
        _words("Rosmawati Lenny Maria Rina Tiurma Nurhayati Dameria Sarah Ruth Lisbet"),
        _words(
            "Siregar Nasution Harahap Lubis Simanjuntak Sitompul Pangaribuan Tambunan Hutapea Sinaga Manurung "
            "Ginting Sembiring Tarigan Hasibuan Situmorang Panjaitan Simatupang Purba Damanik"
        ),
        (),  # a Batak woman carries her marga too
    ),
    "bali": (
        _words("Wayan Made Nyoman Ketut Putu Kadek Komang Gede"),
        _words("Wayan Made Nyoman Ketut Putu Kadek Komang Luh"),
        _words("Suarta Sudarma Artawan Wirawan Adnyana Suastika Sukadana Mahendra Budiarta Darmawan Sutama"),
        _words("Sari Kartini Suartini Ariani Sukerti Wahyuni Damayanti Sumiati Purnami"),
    ),
    "timur": (
        _words(
            "Yohanes Marthen Yulius Petrus Agustinus Fransiskus Stefanus Markus Yakobus Paulus Kornelis Simon "
            "Benny Aleks Frans Yosef Ismail Abdul"
        ),
        _words("Maria Yuliana Martha Agustina Fransiska Elisabeth Ruth Debora Natalia Siti"),
        _words(
            "Manek Bere Tanaem Lado Wenda Kogoya Wonda Tabuni Rumbiak Mandacan Kambu Sumual Rondonuwu Lumenta "
            "Latuconsina Tuhuteru Wattimena Pattiasina Siahaya Ndun Kase Nubatonis"
        ),
        (),
    ),
}

# Ranks: (rank, weight, birth years from, to). The first of each unit is its commander.
Rank = tuple[str, float, int, int]
POLRI_RANKS: tuple[Rank, ...] = (
    ("BRIPDA", 14, 1999, 2005),
    ("BRIPTU", 18, 1995, 2002),
    ("BRIGPOL", 22, 1990, 1999),
    ("BRIPKA", 20, 1984, 1995),
    ("AIPDA", 10, 1978, 1990),
    ("AIPTU", 8, 1970, 1985),
    ("IPDA", 4, 1975, 1996),
    ("IPTU", 2.5, 1975, 1993),
    ("AKP", 1.2, 1972, 1990),
    ("KOMPOL", 0.3, 1970, 1985),
    ("AKBP", 0.05, 1968, 1982),
)
BRIMOB_RANKS: tuple[Rank, ...] = (
    ("BHARADA", 25, 2000, 2005),
    ("BHARATU", 15, 1997, 2003),
    ("BHARAKA", 5, 1993, 2000),
    ("BRIPDA", 20, 1999, 2005),
    ("BRIPTU", 15, 1995, 2002),
    ("BRIGPOL", 10, 1990, 1999),
    ("BRIPKA", 5, 1984, 1995),
    ("AIPDA", 2, 1978, 1990),
    ("IPDA", 1.5, 1975, 1996),
    ("IPTU", 1, 1975, 1993),
    ("AKP", 0.5, 1972, 1990),
)
TNI_RANKS: tuple[Rank, ...] = (
    ("PRADA", 8, 2000, 2005),
    ("PRATU", 10, 1997, 2003),
    ("PRAKA", 10, 1992, 2000),
    ("KOPDA", 8, 1985, 1995),
    ("SERDA", 15, 1995, 2003),
    ("SERTU", 14, 1990, 2000),
    ("SERKA", 12, 1985, 1995),
    ("SERMA", 8, 1980, 1990),
    ("PELDA", 7, 1975, 1987),
    ("PELTU", 5, 1970, 1984),
    ("LETDA", 1.5, 1975, 1998),
    ("LETTU", 1, 1975, 1996),
    ("KAPTEN", 0.5, 1972, 1990),
)
SATPOL_PP_RANKS: tuple[Rank, ...] = (
    ("II/a", 20, 1990, 2002),
    ("II/b", 15, 1985, 2000),
    ("II/c", 15, 1982, 1995),
    ("II/d", 10, 1978, 1992),
    ("III/a", 10, 1975, 1995),
    ("III/b", 5, 1972, 1990),
    ("III/c", 3, 1970, 1988),
)
COMMANDER = {
    UnitKind.POLRES: ("AKBP", 1970, 1982),
    UnitKind.POLSEK: ("AKP", 1972, 1988),
    UnitKind.BRIMOB: ("AKP", 1975, 1990),
    UnitKind.KODIM: ("LETKOL", 1972, 1982),
    UnitKind.KORAMIL: ("KAPTEN", 1972, 1988),
    UnitKind.SATPOL_PP: ("III/d", 1970, 1985),
}
# Mobile prefixes after 08 (Telkomsel, Indosat, XL, Axis, Tri, Smartfren).
PHONE_PREFIXES = _words(
    "11 12 13 21 22 23 51 52 53 14 15 16 55 56 57 58 17 18 19 59 77 78 31 32 33 38 95 96 97 98 99 81 82 83 85 87 88"
)
TPS_PLACES = (
    "SDN {desa} {n}",
    "Balai {village} {desa}",
    "Halaman Masjid {desa}",
    "Gedung Serbaguna {desa}",
    "Lapangan {desa}",
    "Halaman Rumah Warga",
    "Poskamling",
    "Halaman Rumah Warga",
)
SPECIAL_PLACES = ("Lapas Kelas IIB {kab}", "RSUD {kab}", "Rutan {kab}")


# ---------------------------------------------------------------- the skeleton


@dataclass(slots=True)
class _Desa:
    code: str
    name: str
    level: Level
    lat: float
    lon: float
    tps: int
    risk: float = 0.0
    indicators: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Kecamatan:
    code: str
    name: str
    lat: float
    lon: float
    desa: list[_Desa]

    @property
    def tps(self) -> int:
        return sum(d.tps for d in self.desa)


@dataclass(slots=True)
class _Kabupaten:
    code: str
    name: str
    level: Level
    lat: float
    lon: float
    province: str
    place_style: str
    name_style: str
    kecamatan: list[_Kecamatan]

    @property
    def tps(self) -> int:
        return sum(k.tps for k in self.kecamatan)

    @property
    def is_kota(self) -> bool:
        return self.level == Level.KOTA

    @property
    def title(self) -> str:
        return ("KOTA " if self.is_kota else "KAB. ") + self.name.upper()


def _skeleton(tps: int, seed: int, indicators: bool) -> list[_Kabupaten]:
    """Every kabupaten, kecamatan and desa with its TPS count; the same for a seed and size."""
    if tps < 1:
        raise ValueError("tps must be at least 1")
    rng = random.Random(f"{seed}:regions")
    n_kab = min(NATIONAL_KABUPATEN, max(1, round(tps / TPS_PER_KABUPATEN)))
    slots = [(p, i) for p in PROVINCES for i in range(p[2] + p[3])]
    chosen = sorted(rng.sample(range(len(slots)), n_kab))
    tps_by_kab = _split(rng, tps, n_kab, 0.6)
    kabupaten = []
    for slot, kab_tps in zip(chosen, tps_by_kab, strict=True):
        province, i = slots[slot]
        code, _, n_kabupaten, _, lat, lon, radius, place_style, name_style = province
        kota = i >= n_kabupaten
        kab_code = f"{code}.{71 + i - n_kabupaten if kota else i + 1:02d}"
        lat, lon = _in_disc(rng, lat, lon, radius * 111.0)
        lat, lon = min(max(lat, -9.5), 5.0), min(max(lon, 96.0), 140.0)
        kab = _Kabupaten(
            kab_code,
            _place(rng, place_style),
            Level.KOTA if kota else Level.KABUPATEN,
            round(lat, 6),
            round(lon, 6),
            code,
            place_style,
            name_style,
            [],
        )
        kab.kecamatan = _kecamatan_of(rng, kab, kab_tps)
        kabupaten.append(kab)
    if indicators:
        _desa_indicators(random.Random(f"{seed}:desa-indicators"), kabupaten)
    return kabupaten


def _kecamatan_of(rng: random.Random, kab: _Kabupaten, tps: int) -> list[_Kecamatan]:
    base, spread_km = (9, 5.0) if kab.is_kota else (16, 15.0)
    wanted = round(base * math.sqrt(tps / TPS_PER_KABUPATEN) * rng.uniform(0.75, 1.25))
    n = min(tps, 99, max(1, wanted, math.ceil(tps / 2500)))
    out = []
    for c, kec_tps in enumerate(_split(rng, tps, n, 0.5, cap=max(4000, math.ceil(tps / n))), start=1):
        lat, lon = _in_disc(rng, kab.lat, kab.lon, spread_km)
        kec = _Kecamatan(f"{kab.code}.{c:02d}", _place(rng, kab.place_style), round(lat, 6), round(lon, 6), [])
        kec.desa = _desa_of(rng, kab, kec, kec_tps)
        out.append(kec)
    return out


def _desa_of(rng: random.Random, kab: _Kabupaten, kec: _Kecamatan, tps: int) -> list[_Desa]:
    # A kelurahan of a kota is larger than a desa (Jakarta's hold ~30 TPS), and there are fewer.
    spread_km, kelurahan_share, size = (1.5, 0.9, (12.0, 30.0)) if kab.is_kota else (4.0, 0.04, (6.5, 11.0))
    n = min(tps, max(1, round(tps / rng.uniform(*size)), math.ceil(tps / 60)))
    counts = _split(rng, tps, n, 0.5, cap=99)
    draws = [Level.KELURAHAN if rng.random() < kelurahan_share else Level.DESA for _ in counts]
    levels = sorted(draws, key=lambda level: level == Level.DESA)  # kelurahan (1xxx) come first
    out = []
    serial = {Level.KELURAHAN: 1000, Level.DESA: 2000}
    for level, desa_tps in zip(levels, counts, strict=True):
        serial[level] += 1
        lat, lon = _in_disc(rng, kec.lat, kec.lon, spread_km)
        code = f"{kec.code}.{serial[level]}"
        out.append(_Desa(code, _place(rng, kab.place_style), level, round(lat, 6), round(lon, 6), desa_tps))
    return out


def _split(rng: random.Random, total: int, parts: int, spread: float, cap: int | None = None) -> list[int]:
    """`total` split into `parts` counts of at least 1 (at most `cap`), sizes varying lognormally."""
    weights = [rng.lognormvariate(0.0, spread) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    shares = [w * scale for w in weights]
    counts = [1 + int(s) for s in shares]
    by_remainder = sorted(range(parts), key=lambda i: int(shares[i]) - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    if cap is not None:
        excess = sum(max(0, c - cap) for c in counts)
        counts = [min(c, cap) for c in counts]
        for i in itertools.cycle(range(parts)):
            if not excess:
                break
            if counts[i] < cap:
                counts[i] += 1
                excess -= 1
    return counts


def _in_disc(rng: random.Random, lat: float, lon: float, radius_km: float) -> tuple[float, float]:
    """A uniform random point within `radius_km` of (lat, lon)."""
    r = radius_km * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    dlat = r * math.cos(angle) / 111.32
    dlon = r * math.sin(angle) / (111.32 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def _place(rng: random.Random, style: str) -> str:
    join, prefixes, suffixes = PLACES[style]
    return rng.choice(prefixes) + join + rng.choice(suffixes)


# ---------------------------------------------------------------- indicators


def _desa_indicators(rng: random.Random, kabupaten: list[_Kabupaten]) -> None:
    """Desa indicators, mostly zero: tension clusters by kabupaten and kecamatan into hot spots."""
    r = rng.random
    for kab in kabupaten:
        tension = rng.betavariate(0.5, 5.0)
        islands = kab.province in ISLAND_PROVINCES
        mountain = r() ** 2 * 0.7
        coast = r() * (0.7 if islands else 0.3)
        island = 0.25 if islands else 0.01
        for kec in kab.kecamatan:
            kec_tension = tension * rng.uniform(0.3, 1.7)
            polsek = _polsek_point(kec)
            for desa in kec.desa:
                risk = desa.risk = min(1.0, kec_tension * rng.expovariate(1.0))
                pilkades = desa.level == Level.DESA
                candidates = rng.choices((2, 3, 4, 5), (35, 35, 20, 10))[0] if pilkades else 0
                conflict = 0
                if r() < 0.01 + 0.5 * risk:
                    conflict = min(3, 1 + int(3 * risk * r() + r()))
                v = {
                    "candidates": candidates,
                    "head_to_head": pilkades and candidates == 2 and r() < 0.05 + 0.5 * risk,
                    "incumbent_running": pilkades and r() < 0.4,
                    "disqualification_protest": pilkades and r() < 0.01 + 0.2 * risk,
                    "team_feud": pilkades and r() < 0.01 + 0.4 * risk,
                    "kinship_rivalry": pilkades and r() < 0.03 + 0.2 * risk,
                    "vote_buying": pilkades and r() < 0.03 + 0.3 * risk,
                    "gambling": pilkades and r() < 0.02 + 0.2 * risk,
                    "riot_history": r() < 0.003 + 0.3 * risk,
                    "conflict_history": conflict,
                    "militant_supporters": r() < 0.01 + 0.3 * risk,
                    "sensitive_issue": r() < 0.01 + 0.25 * risk,
                    "mountainous": not kab.is_kota and r() < mountain,
                    "coastal": r() < coast,
                    "island": r() < island,
                    "dense_settlement": r() < (0.6 if desa.level == Level.KELURAHAN else 0.05),
                    "polsek_distance_km": min(100, round(haversine_km(desa.lat, desa.lon, *polsek))),
                }
                v["landslide_flood_prone"] = r() < 0.08 + 0.3 * v["mountainous"] + 0.1 * v["coastal"]
                desa.indicators = {key: int(v.get(key, 0)) for key in keys_for(Scope.DESA)}


def _tps_odds(kab: _Kabupaten, desa: _Desa) -> list[float]:
    """The chance of each TPS indicator (in catalog order) for a TPS of this desa."""
    d, risk = desa.indicators, desa.risk
    hot = bool(d["riot_history"] or d["conflict_history"] >= 2 or d["militant_supporters"])
    remote = bool(d["mountainous"] or d["island"])
    kota = kab.is_kota
    odds = {
        "ineligible_voters": 0.15,
        "dptb_voters": 0.08 + 0.1 * kota,
        "dpk_voters": 0.06,
        "kpps_outside_area": 0.03,
        "violence_history": 0.002 + 0.2 * hot + 0.05 * risk,
        "intimidation_history": 0.002 + 0.12 * hot + 0.05 * risk,
        "money_politics": 0.01 + 0.15 * d["vote_buying"] + 0.1 * risk,
        "sara_hate_speech": 0.005 + 0.1 * d["sensitive_issue"] + 0.05 * risk,
        "organiser_not_neutral": 0.01 + 0.05 * risk,
        "official_not_neutral": 0.015 + 0.05 * risk,
        "logistics_damaged": 0.02,
        "logistics_shortage": 0.03,
        "ballots_swapped": 0.005,
        "logistics_late": 0.02 + 0.15 * remote,
        "hard_to_reach": 0.005 + 0.3 * remote,
        "disaster_prone": 0.01 + 0.4 * d["landslide_flood_prone"],
        "near_school": 0.08,
        "near_worksite": 0.03 + 0.05 * kota,
        "near_campaign_post": 0.04 + 0.05 * risk,
        "special_location": 0.006 if kota else 0.002,
        "power_outage": 0.02 + 0.1 * remote + 0.1 * (kab.name_style == "timur"),
        "no_internet": 0.03 + 0.25 * remote,
    }
    return [odds.get(key, 0.0) for key in keys_for(Scope.TPS)]


def _polsek_point(kec: _Kecamatan) -> tuple[float, float]:
    return kec.lat, kec.lon


# ---------------------------------------------------------------- rows


def _region_rows(kabupaten: list[_Kabupaten], indicators: bool) -> Iterator[Row]:
    blank = ("",) * len(keys_for(Scope.DESA)) if indicators else ()
    for kab in kabupaten:
        yield (kab.code, kab.title, kab.level.value, kab.province, kab.lat, kab.lon, "", *blank)
        for kec in kab.kecamatan:
            yield (kec.code, kec.name, Level.KECAMATAN.value, kab.code, kec.lat, kec.lon, "", *blank)
            for d in kec.desa:
                values = tuple(d.indicators.values()) if indicators else ()
                yield (d.code, d.name, d.level.value, kec.code, d.lat, d.lon, "", *values)


def _tps_rows(kabupaten: list[_Kabupaten], seed: int, indicators: bool) -> Iterator[Row]:
    rng = random.Random(f"{seed}:tps")
    odds_rng = random.Random(f"{seed}:tps-indicators")
    r, odds_r = rng.random, odds_rng.random
    triangular = rng.triangular
    special_at = keys_for(Scope.TPS).index("special_location") if indicators else -1
    for kab in kabupaten:
        spread = 0.4 if kab.is_kota else 0.8
        kab_name = kab.name
        for kec in kab.kecamatan:
            for d in kec.desa:
                odds = _tps_odds(kab, d) if indicators else []
                village = "Kelurahan" if d.level == Level.KELURAHAN else "Desa"
                cos_lat = 111.32 * math.cos(math.radians(d.lat))
                for n in range(1, d.tps + 1):
                    radius = spread * math.sqrt(r())
                    angle = r() * 2 * math.pi
                    lat = round(d.lat + radius * math.cos(angle) / 111.32, 6)
                    lon = round(d.lon + radius * math.sin(angle) / cos_lat, 6)
                    voters = int(triangular(150, 500, 200))
                    place = TPS_PLACES[int(r() * len(TPS_PLACES))]
                    address = f"{place}, RT {1 + int(r() * 12):03d}/RW {1 + int(r() * 6):03d}"
                    values = [1 if odds_r() < p else 0 for p in odds]
                    if indicators and values[special_at]:
                        address = SPECIAL_PLACES[int(odds_r() * len(SPECIAL_PLACES))]
                    address = address.format(desa=d.name, village=village, n=1 + (n - 1) // 4, kab=kab_name)
                    yield (f"{d.code}-{n:02d}", d.code, n, voters, lat, lon, address, "", "", *values)


def _unit_list(kab: _Kabupaten) -> list[tuple[str, str, UnitKind, str, float, float]]:
    """The units of one kabupaten: code, name, kind, kecamatan, lat, lon."""
    name = kab.name + (" Kota" if kab.is_kota else "")
    kodim = kab.code.replace(".", "")
    at = (kab.lat, kab.lon)
    units = [(f"POLRES-{kab.code}", f"Polres {name}", UnitKind.POLRES, "", *at)]
    units += [
        (f"POLSEK-{k.code}", f"Polsek {k.name}", UnitKind.POLSEK, k.code, *_polsek_point(k)) for k in kab.kecamatan
    ]
    units.append((f"BRIMOB-{kab.code}", f"Brimob BKO Polres {name}", UnitKind.BRIMOB, "", *_near(at, 0.012)))
    units.append((f"KODIM-{kab.code}", f"Kodim {kodim}/{kab.name}", UnitKind.KODIM, "", *_near(at, 0.008)))
    units += [
        (f"KORAMIL-{k.code}", f"Koramil {kodim}-{i:02d}/{k.name}", UnitKind.KORAMIL, k.code, *_near((k.lat, k.lon)))
        for i, k in enumerate(kab.kecamatan, start=1)
    ]
    units.append((f"SATPOLPP-{kab.code}", f"Satpol PP {kab.title.title()}", UnitKind.SATPOL_PP, "", *_near(at, -0.004)))
    return units


def _near(at: tuple[float, float], offset: float = 0.003) -> tuple[float, float]:
    """A point a few hundred metres north-east of `at`: units of one town are not in one building."""
    return round(at[0] + offset, 6), round(at[1] + offset, 6)


def _unit_rows(kabupaten: list[_Kabupaten]) -> Iterator[Row]:
    for kab in kabupaten:
        for code, name, kind, kecamatan, lat, lon in _unit_list(kab):
            yield (code, name, kind.value, kecamatan, lat, lon, "", "", "", "")


class _People:
    """Draws persons: names, ranks, NRP/NIP/NIK numbers and phones, all unique where they must be."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"{seed}:personnel")
        self.nrp_serial: dict[str, int] = {}
        self.tni_serial = 0
        self.nip_serial: dict[str, int] = {}
        self.nik_serial: dict[str, int] = {}
        self.cum_weights = {
            id(table): list(itertools.accumulate(w for _, w, _, _ in table))
            for table in (POLRI_RANKS, BRIMOB_RANKS, TNI_RANKS, SATPOL_PP_RANKS)
        }

    def name(self, style: str, female: bool) -> str:
        r = self.rng.random
        male_given, female_given, family, female_family = NAMES[style]
        if style == "bali":
            given_list = female_given if female else male_given
            given = given_list[int(r() * len(given_list))]
            last = female_family if female else family
            return f"{'Ni' if female else 'I'} {given} {last[int(r() * len(last))]}"
        given_list = female_given if female else male_given
        last = (female_family or family) if female else family
        given = given_list[int(r() * len(given_list))]
        if style == "umum" and r() < 0.3:
            return given
        return f"{given} {last[int(r() * len(last))]}"

    def phone(self) -> str:
        r = self.rng.random
        return f"08{PHONE_PREFIXES[int(r() * len(PHONE_PREFIXES))]}{int(r() * 100_000_000):08d}"

    def rank(self, ranks: tuple[Rank, ...]) -> tuple[str, int]:
        """A rank from the pyramid and a birth year that fits it."""
        rank, _, born_from, born_to = self.rng.choices(ranks, cum_weights=self.cum_weights[id(ranks)])[0]
        return rank, self.rng.randint(born_from, born_to)

    def nrp(self, born: int) -> str:
        """Polri NRP: birth year and month, then a serial (8 digits)."""
        month = self.rng.randint(1, 12)
        while True:
            key = f"{born % 100:02d}{month:02d}"
            serial = self.nrp_serial.get(key, 0) + 1
            if serial < 10_000:
                self.nrp_serial[key] = serial
                return f"{key}{serial:04d}"
            month, born = (1, born + 1) if month == 12 else (month + 1, born)

    def tni_nrp(self, born: int, officer: bool) -> str:
        """TNI AD style NRP: 1 for officers, 3 for NCOs and privates, birth year, serial (10 digits)."""
        self.tni_serial += 1
        return f"{1 if officer else 3}{1 + self.tni_serial % 9}{born % 100:02d}{self.tni_serial:06d}"

    def nip(self, born: int, female: bool) -> str:
        """Civil servant NIP: birth date, appointment month, sex, serial (18 digits)."""
        rng = self.rng
        appointed = min(2023, born + rng.randint(20, 30))
        birth = f"{born}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        key = f"{birth}{appointed}{rng.randint(1, 12):02d}{2 if female else 1}"
        serial = self.nip_serial.get(key, 0) + 1
        self.nip_serial[key] = serial
        return f"{key}{serial:03d}"

    def nik(self, kecamatan_code: str, female: bool) -> str:
        """NIK: the kecamatan's 6 digits, birth date (day + 40 for women), a serial (16 digits)."""
        r = self.rng.random
        prefix = kecamatan_code.replace(".", "")
        serial = self.nik_serial.get(prefix, 0) + 1
        self.nik_serial[prefix] = serial
        day, month, year = 1 + int(r() * 28), 1 + int(r() * 12), 1964 + int(r() * 42)
        return f"{prefix}{day + 40 * female:02d}{month:02d}{year % 100:02d}{serial:04d}"

    def available(self) -> bool:
        return self.rng.random() >= UNAVAILABLE


def _personnel_rows(kabupaten: list[_Kabupaten], seed: int) -> Iterator[Row]:
    people = _People(seed)
    r = people.rng.random
    for kab in kabupaten:
        units = {code: kind for code, _, kind, *_ in _unit_list(kab)}
        for code, size in _unit_sizes(kab):
            kind = units[code]
            for i in range(size):
                yield _member(people, kab, code, kind, commander=i == 0)
        style = kab.name_style
        for kec in kab.kecamatan:
            for d in kec.desa:
                for _ in range(LINMAS_PER_TPS * d.tps):
                    female = r() < 0.12
                    pid = people.nik(kec.code, female)
                    name = people.name(style, female)
                    yield (
                        pid,
                        name,
                        "",
                        "",
                        Force.LINMAS.value,
                        d.code,
                        people.phone(),
                        people.available(),
                        "",
                        "",
                        "",
                        "",
                    )


def _unit_sizes(kab: _Kabupaten) -> list[tuple[str, int]]:
    """How many members each unit of the kabupaten has, from its TPS counts."""
    tps = kab.tps
    polri, tni = POLRI_PER_TPS * tps, TNI_PER_TPS * tps
    sizes = [(f"POLRES-{kab.code}", max(1, round(polri * POLRES_SHARE)))]
    sizes += [(f"POLSEK-{k.code}", max(1, round(polri * (1 - POLRES_SHARE) * k.tps / tps))) for k in kab.kecamatan]
    sizes.append((f"BRIMOB-{kab.code}", round(BRIMOB_PER_TPS * tps)))
    sizes.append((f"KODIM-{kab.code}", max(1, round(tni * KODIM_SHARE))))
    sizes += [(f"KORAMIL-{k.code}", max(1, round(tni * (1 - KODIM_SHARE) * k.tps / tps))) for k in kab.kecamatan]
    sizes.append((f"SATPOLPP-{kab.code}", max(1, round(SATPOL_PP_PER_TPS * tps))))
    return sizes


def _member(people: _People, kab: _Kabupaten, unit_code: str, kind: UnitKind, commander: bool) -> Row:
    if kind == UnitKind.BRIMOB:
        force, ranks = Force.BRIMOB, BRIMOB_RANKS
    elif kind in (UnitKind.KODIM, UnitKind.KORAMIL):
        force, ranks = Force.TNI, TNI_RANKS
    elif kind == UnitKind.SATPOL_PP:
        force, ranks = Force.SATPOL_PP, SATPOL_PP_RANKS
    else:
        force, ranks = Force.POLRI, POLRI_RANKS
    if commander:
        rank, born_from, born_to = COMMANDER[kind]
        born = people.rng.randint(born_from, born_to)
    else:
        rank, born = people.rank(ranks)
    female = people.rng.random() < (0.3 if force == Force.SATPOL_PP else 0.08)
    if force == Force.TNI:
        pid = people.tni_nrp(born, officer=rank in ("LETDA", "LETTU", "KAPTEN", "LETKOL"))
    elif force == Force.SATPOL_PP:
        pid = people.nip(born, female)
    else:
        pid = people.nrp(born)
    name = people.name(kab.name_style, female)
    return (
        pid,
        name,
        rank,
        unit_code,
        force.value,
        "",
        people.phone(),
        people.available(),
        "",
        "",
        "",
        "",
    )  # no positions, roster or pins


# ---------------------------------------------------------------- the scenario


def operation(tps: int, seed: int) -> Operation:
    size = f"{tps:,}".replace(",", ".")
    return Operation(
        name=f"Operasi Mantap Brata (sintetis, {size} TPS)",
        election_date=dt.date(2024, 2, 14),
        pattern="pemilu-2024",
        note=(
            f"Data sintetis (siaga scenario generate, seed {seed}): wilayah, TPS dan personel rekaan, "
            "bukan data sebenarnya."
        ),
    )


def tables(tps: int, seed: int = 1, indicators: bool = False) -> list[tuple[str, list[str], Iterable[Row]]]:
    """The scenario as CSV tables (English names) whose rows are drawn as they are read."""
    kabupaten = _skeleton(tps, seed, indicators)
    stub = Scenario(operation(tps, seed), (), (), (), ())
    name, header, op_rows = scenario_tables(stub, lang="en")[0]
    rows: dict[str, Iterator[Row]] = {
        "regions": _region_rows(kabupaten, indicators),
        "tps": _tps_rows(kabupaten, seed, indicators),
        "units": _unit_rows(kabupaten),
        "personnel": _personnel_rows(kabupaten, seed),
    }
    extra = {
        "regions": keys_for(Scope.DESA) if indicators else [],
        "tps": keys_for(Scope.TPS) if indicators else [],
    }
    out: list[tuple[str, list[str], Iterable[Row]]] = [(name, header, [tuple(row) for row in op_rows])]
    for sheet, contract_header, _ in scenario_tables(stub, lang="en")[1:]:
        if list(COLUMNS.get(sheet, ())) != contract_header:
            raise RuntimeError(f"generator columns for {sheet} are out of date: {contract_header}")
        out.append((sheet, [*contract_header, *extra.get(sheet, [])], rows[sheet]))
    return out


def generate(tps: int, seed: int = 1, indicators: bool = False) -> Scenario:
    """A synthetic scenario of `tps` TPS, the same for the same arguments."""
    by_name = {name: rows for name, _, rows in tables(tps, seed, indicators)}
    desa_keys, tps_keys = keys_for(Scope.DESA), keys_for(Scope.TPS)

    def region(row: Row) -> Region:
        level = Level(row[2])
        values = dict(zip(desa_keys, row[7:], strict=True)) if indicators and level in _VILLAGE else {}
        return Region(row[0], row[1], level, row[3], row[4], row[5], values)

    def tps_of(row: Row) -> Tps:
        values = dict(zip(tps_keys, row[9:], strict=True)) if indicators else {}
        return Tps(row[0], row[1], row[2], row[3], row[4], row[5], row[6], None, "", values)

    def unit(row: Row) -> Unit:
        return Unit(row[0], row[1], UnitKind(row[2]), row[3], row[4], row[5])

    def person(row: Row) -> Person:
        return Person(row[0], row[1], row[2], row[3], _FORCES[row[4]], row[5], row[6], row[7])

    return Scenario(
        operation(tps, seed),
        _build(by_name["regions"], region),
        _build(by_name["tps"], tps_of),
        _build(by_name["units"], unit),
        _build(by_name["personnel"], person),
    )


_VILLAGE = frozenset({Level.DESA, Level.KELURAHAN})
_FORCES = {f.value: f for f in Force}


def _build(rows: Iterable[Row], make: Callable[[Row], Any]) -> tuple[Any, ...]:
    return tuple(map(make, rows))


def write(path: Path, tps: int, seed: int = 1, indicators: bool = False) -> None:
    """Write a synthetic scenario: an `.xlsx` workbook by suffix, else a folder of CSV files.

    CSV rows are streamed: the national size takes a few hundred MB, not the whole scenario.
    A workbook is refused above `XLSX_MAX_TPS` (its personnel would not fit an `.xlsx` sheet).
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        if tps > XLSX_MAX_TPS:
            raise ValueError(f"{tps:,} TPS is too many for an .xlsx workbook (at most {XLSX_MAX_TPS:,}); write CSV")
        write_scenario(generate(tps, seed, indicators), path)
        return
    write_tables(path, tables(tps, seed, indicators))
