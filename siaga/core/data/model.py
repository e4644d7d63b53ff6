"""The planning core's data model: frozen dataclasses, no behaviour beyond small lookups.

The names and meanings follow the scenario contract (docs/scenario.md). Codes and ids are
always text. Coordinates are WGS84 decimal degrees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Level(StrEnum):
    KABUPATEN = "KABUPATEN"
    KOTA = "KOTA"
    KECAMATAN = "KECAMATAN"
    DESA = "DESA"
    KELURAHAN = "KELURAHAN"


VILLAGE_LEVELS = frozenset({Level.DESA, Level.KELURAHAN})
REGENCY_LEVELS = frozenset({Level.KABUPATEN, Level.KOTA})


class Category(StrEnum):
    """Tingkat kerawanan of a TPS, least to most vulnerable (KHUSUS is special locations)."""

    KURANG_RAWAN = "KURANG_RAWAN"
    RAWAN = "RAWAN"
    SANGAT_RAWAN = "SANGAT_RAWAN"
    KHUSUS = "KHUSUS"


class UnitKind(StrEnum):
    POLRES = "POLRES"
    POLSEK = "POLSEK"
    BRIMOB = "BRIMOB"
    SAMAPTA = "SAMAPTA"
    KODIM = "KODIM"
    KORAMIL = "KORAMIL"
    SATPOL_PP = "SATPOL_PP"
    OTHER = "OTHER"


SECTOR_UNIT_KINDS = frozenset({UnitKind.POLSEK, UnitKind.KORAMIL})


class StageKind(StrEnum):
    """What happens in a stage (tahapan) of the operation (DOCTRINE.md section 10)."""

    APEL_GELAR = "APEL_GELAR"  # apel gelar pasukan opening the operation
    APEL_KESIAPAN = "APEL_KESIAPAN"
    APEL_PERGESERAN = "APEL_PERGESERAN"
    KAMPANYE = "KAMPANYE"
    MASA_TENANG = "MASA_TENANG"
    DISTRIBUSI_LOGISTIK = "DISTRIBUSI_LOGISTIK"
    PERGESERAN = "PERGESERAN"
    PEMUNGUTAN = "PEMUNGUTAN"  # pemungutan dan penghitungan suara
    PENGAWALAN = "PENGAWALAN"  # pengawalan kotak suara
    REKAP_PPK = "REKAP_PPK"
    REKAP_KPU = "REKAP_KPU"
    PENETAPAN = "PENETAPAN"
    PSU = "PSU"  # pemungutan suara ulang
    LAINNYA = "LAINNYA"


class DutyKind(StrEnum):
    """A duty beyond the vote's posts (docs/scenario.md 2.13)."""

    GUDANG_KPU = "GUDANG_KPU"  # the KPU warehouse
    GUDANG_PPK = "GUDANG_PPK"  # a PPK's warehouse
    KAWAL = "KAWAL"  # an escort run
    PATROLI = "PATROLI"  # a patrol sector
    BALAI_DESA = "BALAI_DESA"  # the boxes at the balai desa
    PPK = "PPK"  # the PPK recapitulation
    KPU = "KPU"  # the KPU office
    BAWASLU = "BAWASLU"  # the Bawaslu office
    ACARA = "ACARA"  # a campaign event: a rally or a debate, in rings
    POSKO = "POSKO"  # the Posko's watch: operators and radio, round the clock
    PSU = "PSU"  # a re-vote's TPS


class DutyLevel(StrEnum):
    """Where a duty rule puts one duty: the Polres, each kecamatan or each desa with TPS."""

    POLRES = "POLRES"
    KECAMATAN = "KECAMATAN"
    DESA = "DESA"


class DutyWhen(StrEnum):
    """Which part of its stage a duty rule covers (data/duties.py)."""

    WHOLE = "WHOLE"
    FIRST = "FIRST"
    LAST = "LAST"
    AFTER_FIRST = "AFTER_FIRST"
    NIGHTLY = "NIGHTLY"


class Force(StrEnum):
    POLRI = "POLRI"
    BRIMOB = "BRIMOB"
    TNI = "TNI"
    LINMAS = "LINMAS"
    SATPOL_PP = "SATPOL_PP"


FORCE_OF_UNIT_KIND: Mapping[UnitKind, Force] = MappingProxyType(
    {
        UnitKind.POLRES: Force.POLRI,
        UnitKind.POLSEK: Force.POLRI,
        UnitKind.SAMAPTA: Force.POLRI,
        UnitKind.BRIMOB: Force.BRIMOB,
        UnitKind.KODIM: Force.TNI,
        UnitKind.KORAMIL: Force.TNI,
        UnitKind.SATPOL_PP: Force.SATPOL_PP,
    }
)


class _Empty(Mapping[str, float]):
    """No indicators: one read-only empty mapping shared by every row without them. Unlike a
    mappingproxy it pickles (back to the same object), so scenario parts reach worker processes."""

    def __getitem__(self, key: str) -> float:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "EMPTY"  # pickled by reference: this module's EMPTY


EMPTY: Mapping[str, float] = _Empty()


@dataclass(frozen=True, slots=True)
class Operation:
    """The `operation` sheet: one election operation and its planning settings."""

    name: str
    election_date: dt.date
    pattern: str = "pemilu-2024"
    road_factor: float = 1.3
    speed_kmh: float = 30.0
    response_minutes: float = 30.0
    reserve_team_size: int = 30
    village_guard_polri: int = 0
    village_guard_tni: int = 0
    out_of_sector_penalty_km: float = 20.0
    max_post_radius_km: float = 1.0
    note: str = ""
    weights: Mapping[str, float] = field(default_factory=dict)  # indicator points, over the catalog's
    threshold_rawan: float = 20.0
    threshold_sangat_rawan: float = 45.0
    # Where the preset keeps the TNI off the TPS (patterns.Preset.tni == "SIAGA"): soldiers per
    # kecamatan standby post; 0 shares every available soldier by the kecamatan's vulnerability.
    tni_standby_size: int = 0
    patrol_radius_km: float = 3.0  # a patrol post's TPS lie at most this far from its point
    reinforce_sangat_rawan: int = 0  # extra Polri on each SANGAT_RAWAN and KHUSUS TPS post
    sprin_on_behalf: str = ""  # the position that signs "a.n. Kapolres" (e.g. Wakapolres); blank: the Kapolres
    tembusan: str = ""  # the Sprin's copies, "; " between them; blank: Kapolda, Irwasda, Karoops, Bupati, Dandim
    renops_number: str = ""  # the Renops' number, cited in the Sprin's Dasar
    prinlak_number: str = ""  # the Prinlak Ops' number, cited in the Sprin's Dasar
    pergeseran_day: int = 1  # the move to the posts on H minus this many days (H-1, H-2, H-3 ...)
    # Duties in time (docs/scenario.md 2.13), Siaga's defaults where DOCTRINE.md gives no number:
    shift_hours: float = 12.0  # a guard round the clock is split into shifts this long (two a day)
    min_rest_hours: float = 8.0  # between two duties of one person, after travel
    max_duty_hours: float = 12.0  # the longest duty without relief; a TPS guard who sleeps at the post is exempt
    max_total_hours: float = 120.0  # a person's duty hours over the whole operation (fatigue)
    # The absentee re-plan at the apel before the pergeseran runs only once this share (percent)
    # of the expected people are checked in (Siaga's default: the roll call is at least half done).
    replan_min_present_pct: int = 50
    # The indicator catalogue (siaga.core.data.indicators: pemilu-2024, pilkada-2024, pilkades);
    # blank: the pattern's (patterns.default_catalogue).
    catalogue: str = ""
    # The absentee re-plan at the apel fills the places of the absent from those the apel
    # gathered (the vote's people: reserve, standby and others moved), not from anyone the data
    # holds ready who was not called to it; True lets it call them in. Siaga's default:
    # DOCTRINE.md says nothing.
    replan_newcomers: bool = False
    # How election offences (politik uang, intimidasi) go: "gakkumdu" (to Bawaslu and the
    # Gakkumdu within 7 days, DOCTRINE.md 12: Pemilu, Pilkada) or "polri" (Polri's own crime
    # case or the village committee: a Pilkades has no Bawaslu); blank: by the election kind.
    offence_route: str = ""
    # Whether a Kapolsek still sends (and moves the clocks of) his own Polsek's Dalmas Awal and
    # patrol on an incident of his sector once he has handed its command up to the Kapolres.
    # DOCTRINE.md 12 keeps command apart from the force sent and is silent on this: Siaga's
    # default is yes (they are the first on the scene of his sector).
    sector_units_after_handover: bool = True


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    level: Level
    parent_code: str = ""
    lat: float | None = None
    lon: float | None = None
    indicators: Mapping[str, float] = field(default_factory=dict)
    polres_code: str = ""  # on a KECAMATAN: the Polres holding it where no Polsek says so


@dataclass(frozen=True, slots=True)
class Tps:
    id: str
    desa_code: str
    number: int
    voters: int
    lat: float
    lon: float
    address: str = ""
    category: Category | None = None
    category_reason: str = ""
    indicators: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit personnel start from. Its point for the operation is the assembly point when
    both `assembly_lat` and `assembly_lon` are given, else its base (`lat`, `lon`)."""

    code: str
    name: str
    kind: UnitKind
    kecamatan_code: str = ""
    lat: float | None = None
    lon: float | None = None
    parent_code: str = ""  # the unit above: Polsek -> Polres, Koramil -> Kodim, Polres -> Polda
    bko_to: str = ""  # the Polres this unit is attached to (BKO) for the operation
    assembly_lat: float | None = None  # where the unit musters for the operation (apel);
    assembly_lon: float | None = None  # travel starts there (docs/scenario.md 2.4)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    rank: str = ""
    unit_code: str = ""
    force: Force = Force.LINMAS
    desa_code: str = ""
    phone: str = ""
    available: bool = True
    position: str = ""  # jabatan; command and staff positions fill no post (positions.py)
    tps_id: str = ""  # a Linmas named to this TPS by the PPS decree (petugas ketertiban TPS)
    pinned_post: str = ""  # a planner's pin: a TPS, a desa's balai desa, STAF or TIDAK (pins.py)
    pin_reason: str = ""


@dataclass(frozen=True, slots=True)
class PatternRow:
    """How one category of TPS is secured: per post of up to `tps_per_post` TPS."""

    category: Category
    tps_per_post: int
    polri_per_post: int
    tni_per_post: int
    linmas_per_tps: float
    patrol: bool = False  # a patrol post: its TPS covered on foot or motorbike within patrol_radius_km


@dataclass(frozen=True, slots=True)
class Stage:
    """A stage (tahapan) of the operation: a date-time window; stages may overlap. A PSU stage
    names the TPS that vote again (`tps`)."""

    name: str
    kind: StageKind
    start: dt.datetime
    end: dt.datetime
    tps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DutyRuleRow:
    """A row of the `duty_rules` sheet: it replaces the preset's rule of the same stage, duty,
    level and part of the stage (all zero: removes it), or adds one (docs/scenario.md 2.13)."""

    stage: StageKind
    duty: DutyKind
    per: DutyLevel
    polri: int = 0
    tni: int = 0
    linmas: int = 0
    brimob: int = 0
    when: DutyWhen = DutyWhen.WHOLE
    hours: float = 0.0
    shifts: int = 0  # 0: shifts of the operation's shift_hours
    name: str = ""
    route: str = ""  # an escort's legs, "Gudang KPU > PPK {kec}"
    ring: int = 0  # 1, 2, 3: a ring of a guarded place; 0: none


@dataclass(frozen=True, slots=True)
class Event:
    """A row of the `events` sheet: a campaign event (rally, debate) secured in three rings and
    along its route (docs/scenario.md 2.13)."""

    name: str
    start: dt.datetime
    end: dt.datetime
    lat: float
    lon: float
    kecamatan_code: str = ""
    crowd: int = 0
    polri: int = 0  # 0: from the crowd
    tni: int = 0
    route: str = ""


@dataclass(frozen=True, slots=True)
class TravelTime:
    """A row of the `travel_times` sheet (docs/scenario.md 2.14): the minutes by road between two
    places, each a unit code, a TPS id or a region code (`geo.Travel` reads them)."""

    origin: str
    destination: str
    minutes: float


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole scenario workbook, validated. Tuples keep the order of the source rows."""

    operation: Operation
    regions: tuple[Region, ...]
    tps: tuple[Tps, ...]
    units: tuple[Unit, ...]
    personnel: tuple[Person, ...]
    patterns: tuple[PatternRow, ...] = ()
    stages: tuple[Stage, ...] = ()  # as written in the `stages` sheet; none: the preset's (stages.py)
    duty_rules: tuple[DutyRuleRow, ...] = ()  # the `duty_rules` sheet: changes to the preset's rules
    events: tuple[Event, ...] = ()  # the `events` sheet: campaign events
    travel_times: tuple[TravelTime, ...] = ()  # the `travel_times` sheet: road minutes between places

    def region_by_code(self) -> dict[str, Region]:
        return {r.code: r for r in self.regions}

    def unit_by_code(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units}


@dataclass(frozen=True, slots=True)
class Post:
    """A place people are sent to: a TPS post, a balai desa guard or a reserve team."""

    id: str
    kind: str  # TPS, VILLAGE, RESERVE
    tps: tuple[str, ...]
    desa_code: str
    kecamatan_code: str
    lat: float
    lon: float
    category: Category
    required: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Duty:
    """A post held over a time window in one stage (docs/scenario.md 2.13): a TPS guard from
    the move to the end of the count, one shift of a warehouse or PPK guard, an escort run.

    `standing`: guards who sleep at the post with the logistics (the TPS, DOCTRINE.md 10); the
    longest-duty rule does not cut them. `shift` is 1, 2, ... for the shifts of one guard
    (`place`), 0 for a duty not split. `route` names an escort's legs in order."""

    id: str
    kind: str  # TPS, VILLAGE, RESERVE, STANDBY, PATROL (the vote's posts) or a DutyKind
    name: str
    stage: str
    start: dt.datetime
    end: dt.datetime
    place: str
    desa_code: str
    kecamatan_code: str
    lat: float
    lon: float
    required: Mapping[str, int] = field(default_factory=dict)
    shift: int = 0
    standing: bool = False
    route: tuple[str, ...] = ()

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class Assignment:
    person: str
    post: str
    slot: str  # POLRI, TNI, LINMAS, BRIMOB
    cost_km: float


@dataclass(frozen=True, slots=True)
class Unfilled:
    post: str
    slot: str
    count: int


@dataclass(frozen=True)
class Plan:
    """A deployment plan (the `siaga-plan/1` file): posts, who fills them, what stays empty.

    `extra` holds the report keys a plan file may add (shortfall, timings, warnings, reserve).
    """

    operation: str
    pattern: str
    tps_categories: Mapping[str, Category]
    posts: tuple[Post, ...]
    assignments: tuple[Assignment, ...]
    unfilled: tuple[Unfilled, ...]
    summary: Mapping[str, float]
    extra: Mapping[str, Any] = field(default_factory=dict)
