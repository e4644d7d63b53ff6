"""The PPS Linmas decree (SK PPS, CSV or `.xlsx`) read into the scenario's Linmas (docs/scenario.md,
"PPS Linmas decree").

The PPS names the Linmas of each TPS of its desa by decree: the KPU's petugas ketertiban TPS,
usually two (DOCTRINE.md sections 9 and 13). `read_decree(path, scenario)` reads one row per
Linmas (name, NIK or a number, the TPS: its 13-digit KPU code, the operation's TPS id, or its
number with the desa code) into LINMAS persons tied to their TPS (`Person.tps_id`: the planner
places them there, pins.py), the gaps and the problems:

- a problem is the file's to fix (a column missing, a blank name, a TPS that cannot be read):
  the decree is refused whole;
- a gap is the PPS's to fix, listed for the KPU/PPS coordination (`coordination`): a Linmas
  named for a TPS the operation lacks, the same NIK twice (the later row is not taken), and,
  against the operation's pattern, a TPS with fewer Linmas than it asks or none.

`with_decree` puts the decree's Linmas into a scenario: they replace the Linmas earlier tied to
a TPS it names, the Linmas of the desa it names who had no TPS, and anyone with the same NIK.
A NIK is personal data: `masked` is the only form a page or a printout shows (docs/security.md).
"""

from __future__ import annotations

import math
import re
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from siaga.core.data import cells
from siaga.core.data import scenario as scenario_io
from siaga.core.data.listfile import desa_code, from_kpu_code, kpu_code, one_table, read_columns
from siaga.core.data.model import Category, Force, PatternRow, Person, Scenario
from siaga.core.data.patterns import CUSTOM, PRESETS, rows_by_category
from siaga.core.data.problems import MESSAGES, Problem, ScenarioError
from siaga.core.data.text import gettext_noop
from siaga.core.data.workbook import LIMITS, Limits

NIK_DIGITS = 16
ID_MAX = 40  # the personnel id's length in the contract

LINMAS_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "linmas_bad_tps": gettext_noop(
            "TPS harus kode TPS KPU 13 angka (3514172001005), id TPS operasi ini (35.14.17.2001-05), atau nomor"
            " TPS bersama kode desa"
        ),
        "linmas_needs_desa": gettext_noop("nomor TPS saja tidak cukup: isi juga kode desa (kode_desa)"),
        "linmas_bad_desa": gettext_noop(
            "kode desa harus kode Kemendagri 10 angka, bertitik atau tidak (35.14.17.2001 atau 3514172001)"
        ),
        "linmas_desa_mismatch": gettext_noop("TPS ini di desa %(tps_desa)s, bukan di desa %(desa)s di baris yang sama"),
        "linmas_id_too_long": gettext_noop(
            "NIK atau nomor terlalu panjang untuk TPS ini (id personel paling banyak %(max)s tanda)"
        ),
        "linmas_no_rows": gettext_noop("SK Linmas tidak berisi satu baris Linmas pun"),
        "linmas_bad_nik": gettext_noop(
            "NIK harus 16 angka, tertulis %(digits)s angka; periksa NIK di KTP (nomor urut di TPS cukup 1 sampai"
            " 3 angka)"
        ),
    }
)
LINMAS_WORDS: Mapping[str, str] = MappingProxyType({**MESSAGES, **LINMAS_MESSAGES})

# The kinds of gap, with what the coordination list says of each.
SHORT, NONE, UNKNOWN_TPS, DUPLICATE = "SHORT", "NONE", "UNKNOWN_TPS", "DUPLICATE"
GAP_WORDS: Mapping[str, str] = MappingProxyType(
    {
        SHORT: gettext_noop("SK menyebut %(named)s Linmas; pola meminta %(needed)s"),
        NONE: gettext_noop("SK belum menyebut Linmas; pola meminta %(needed)s"),
        UNKNOWN_TPS: gettext_noop(
            "Linmas %(name)s (NIK %(nik)s) ditetapkan untuk TPS %(tps)s yang tidak ada di operasi"
        ),
        DUPLICATE: gettext_noop(
            "baris %(row)s (%(name)s) memakai NIK %(nik)s yang sudah ada di baris %(other_row)s;"
            " baris ini tidak diambil"
        ),
    }
)


@dataclass(frozen=True, slots=True)
class LinmasProblem(Problem):
    """A problem of a Linmas decree file: its words from `LINMAS_MESSAGES` (or the scenario's)."""

    def words(self) -> Mapping[str, str]:
        return LINMAS_WORDS


@dataclass(frozen=True, slots=True)
class Gap:
    """One line of the KPU/PPS coordination list. `tps` is the operation's TPS id (SHORT, NONE)
    or the TPS as the decree wrote it; `nik` is kept whole for the PPS and shown only masked."""

    kind: str
    desa_code: str
    tps: str = ""
    needed: int = 0
    named: int = 0
    name: str = ""
    nik: str = ""
    row: int | None = None
    other_row: int | None = None

    def params(self) -> dict[str, object]:
        """The words' parameters, the NIK masked."""
        return {
            "named": self.named,
            "needed": self.needed,
            "name": self.name,
            "nik": masked(self.nik),
            "tps": self.tps,
            "row": self.row,
            "other_row": self.other_row,
        }


@dataclass(frozen=True, slots=True)
class Decree:
    """A decree read: its Linmas (in the file's order), the TPS and desa it names, and its gaps
    (a TPS unknown, a NIK twice: the short TPS come from `coordination`)."""

    linmas: list[Person]
    tps: set[str]
    desa: set[str]
    gaps: list[Gap]
    problems: list[Problem]


def masked(nik: str) -> str:
    """A NIK as a page may show it: its last 4 characters, the rest hidden."""
    return "••••" + nik[-4:] if len(nik) > 4 else "••••"


def shown(code: str, force: str) -> str:
    """A person's number as a page shows it: an NRP/NIP as it is, a Linmas's (his NIK) masked;
    a number whose force is not known (a person the data no longer holds) masked when it has a
    NIK's 16 digits."""
    if force == "LINMAS" or (not force and len(code) == 16 and code.isdigit()):
        return masked(code)
    return code


SHEET = scenario_io.Sheet(
    "linmas",
    "linmas",
    (
        scenario_io.Column("name", "nama", cells.Text(120), required=True),
        scenario_io.Column("id", "nik", cells.Text(ID_MAX, identifier=True, lookalikes=False), required=True),
        scenario_io.Column("tps", "tps", cells.Text(60, identifier=True), required=True),
        scenario_io.Column("desa_code", "kode_desa", cells.Text(40, identifier=True), default=""),
        scenario_io.Column("phone", "no_hp", cells.Text(30, identifier=True), default=""),
    ),
)
ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "nama_linmas": "name",
        "nama_anggota": "name",
        "nama_lengkap": "name",
        "nomor": "id",
        "nomor_induk": "id",
        "no_induk": "id",
        "nik_nomor": "id",
        "nik/nomor": "id",
        "kode_tps": "tps",
        "id_tps": "tps",
        "no_tps": "tps",
        "nomor_tps": "tps",
        "kode_desa_kelurahan": "desa_code",
        "kode_wilayah": "desa_code",
        "hp": "phone",
        "no_telp": "phone",
        "telepon": "phone",
    }
)
IGNORED_COLUMNS = frozenset(
    {
        "no",
        "no_urut",
        "nomor_urut",
        "jabatan",
        "keterangan",
        "alamat",
        "jenis_kelamin",
        "desa",
        "kelurahan",
        "desa/kelurahan",
        "nama_desa",
        "kecamatan",
        "nama_kecamatan",
    }
)
_TPS_NUMBER = re.compile(r"(?:tps\s*)?0*(\d{1,3})", re.IGNORECASE)
# a TPS written as the operation writes its ids (35.14.17.2001-05), of a desa and number it may lack
_TPS_ID = re.compile(r"(\d{2}\.\d{2}\.\d{2}\.\d{4})\s*-\s*0*(\d{1,3})")
NUMBER_MAX = 3  # digits of a Linmas's number within its TPS; a longer run of digits is a NIK mistyped


def read_decree(path: str | Path, scenario: Scenario, limits: Limits = LIMITS) -> Decree:
    """The Linmas of a decree file against the operation's TPS. A row's person id is its NIK
    (16 digits); any other value is a number within its TPS, and the id is `<TPS id>/<number>`.
    Raises `UnreadableFile` when the file cannot be read at all."""
    path = Path(path)
    sheet = one_table(path, limits, ALIASES, IGNORED_COLUMNS)
    table, found = read_columns(SHEET, sheet)
    problems: list[Problem] = [_ours(p) for p in found]
    decree = Decree([], set(), set(), [], problems)
    if table is None or any(p.row == 1 for p in problems):
        return decree
    if not sheet.rows:
        problems.append(LinmasProblem("linmas_no_rows", sheet=sheet.name))
    v, head = table.values, table.heads
    by_id = {t.id: t for t in scenario.tps}
    by_place = {(t.desa_code, t.number): t for t in scenario.tps}
    desa_names = {r.code: r.name for r in scenario.regions}
    first: dict[str, int] = {}
    bad = {p.row for p in problems}
    for i, row in enumerate(sheet.row_numbers):
        name, raw_id, raw_tps, raw_desa = v["name"][i], v["id"][i], v["tps"][i], v["desa_code"][i]
        if row in bad or name is None or raw_id is None or raw_tps is None:
            continue

        def refuse(code: str, column: str, value: str, **params: object) -> None:
            problems.append(LinmasProblem(code, sheet.name, row, head[column], value, params))  # noqa: B023

        desa = desa_code(raw_desa) if raw_desa else None
        if raw_desa and desa is None:
            refuse("linmas_bad_desa", "desa_code", raw_desa)
            continue
        place: tuple[str, int] | None = None
        tps = by_id.get(raw_tps)
        if tps is not None:
            place = (tps.desa_code, tps.number)
        elif (kpu := from_kpu_code(raw_tps)) is not None:
            place = kpu
        elif (as_id := _TPS_ID.fullmatch(raw_tps.strip())) is not None and int(as_id[2]) > 0:
            place = (as_id[1], int(as_id[2]))
        elif (number := _TPS_NUMBER.fullmatch(raw_tps.strip())) is not None and int(number[1]) > 0:
            if desa is None:
                refuse("linmas_needs_desa", "desa_code", "")
                continue
            place = (desa, int(number[1]))
        else:
            refuse("linmas_bad_tps", "tps", raw_tps)
            continue
        if desa is not None and place[0] != desa:
            named = {"tps_desa": _desa(place[0], desa_names), "desa": _desa(desa, desa_names)}
            refuse("linmas_desa_mismatch", "tps", raw_tps, **named)
            continue
        tps = tps or by_place.get(place)
        if tps is None:
            written = kpu_code(*place)
            decree.gaps.append(Gap(UNKNOWN_TPS, place[0], written, name=name, nik=raw_id, row=row))
            continue
        if raw_id.isdigit() and len(raw_id) > NUMBER_MAX and not _is_nik(raw_id):
            refuse("linmas_bad_nik", "id", raw_id, digits=len(raw_id))
            continue
        person_id = raw_id if _is_nik(raw_id) else f"{tps.id}/{raw_id}"
        if len(person_id) > ID_MAX:
            refuse("linmas_id_too_long", "id", raw_id, max=ID_MAX)
            continue
        if person_id in first:
            gap = Gap(DUPLICATE, tps.desa_code, tps.id, name=name, nik=raw_id, row=row, other_row=first[person_id])
            decree.gaps.append(gap)
            continue
        first[person_id] = row
        decree.linmas.append(
            Person(person_id, name, force=Force.LINMAS, desa_code=tps.desa_code, phone=v["phone"][i], tps_id=tps.id)
        )
        decree.tps.add(tps.id)
        decree.desa.add(tps.desa_code)
    decree.problems[:] = scenario_io._in_order(problems)
    return decree


def _desa(code: str, names: Mapping[str, str]) -> str:
    """A desa as a message names it: its name and code, or the code alone when the operation lacks it."""
    return f"{names[code]} ({code})" if names.get(code) else code


def _is_nik(value: str) -> bool:
    return len(value) == NIK_DIGITS and value.isdigit()


def _ours(problem: Problem) -> Problem:
    return LinmasProblem(problem.code, problem.sheet, problem.row, problem.column, problem.value, problem.params)


# ---------------------------------------------------------------- into a scenario


def replaced(scenario: Scenario, decree: Decree) -> list[Person]:
    """The scenario's persons the decree replaces: Linmas tied to a TPS it names, Linmas of a
    desa it names who have no TPS, and anyone with a NIK (id) it names."""
    ids = {p.id for p in decree.linmas}
    return [
        p
        for p in scenario.personnel
        if p.id in ids
        or (p.force == Force.LINMAS and (p.tps_id in decree.tps or (not p.tps_id and p.desa_code in decree.desa)))
    ]


def moved(gone: list[Person], decree: Decree) -> list[tuple[Person, Person]]:
    """The decree's Linmas whom the operation had (by NIK, among `gone`: `replaced`) as someone of
    another desa, each (before, after). Linmas serve in their own desa (DOCTRINE.md section 3):
    a preview names them, for the planner to check with the PPS before the import."""
    before = {p.id: p for p in gone}
    return [
        (before[p.id], p)
        for p in decree.linmas
        if p.id in before and before[p.id].desa_code and before[p.id].desa_code != p.desa_code
    ]


def with_decree(scenario: Scenario, decree: Decree) -> Scenario:
    """`scenario` with the decree's Linmas in place of those it replaces (`replaced`)."""
    gone = {p.id for p in replaced(scenario, decree)}
    kept = tuple(p for p in scenario.personnel if p.id not in gone)
    return replace(scenario, personnel=kept + tuple(decree.linmas))


def decree_scenario(
    scenario: Scenario, path: str | Path, limits: Limits = LIMITS
) -> tuple[Scenario, Decree, list[Person]]:
    """`scenario` with the decree at `path`, validated whole as any scenario file is; the
    decree read; the persons it replaced. Raises `ScenarioError` with every problem."""
    decree = read_decree(path, scenario, limits)
    if decree.problems:
        raise ScenarioError(decree.problems)
    gone = replaced(scenario, decree)
    result = with_decree(scenario, decree)
    with tempfile.TemporaryDirectory(prefix="siaga-linmas-") as folder:
        scenario_io.write_scenario(result, Path(folder) / "scenario")
        return scenario_io.read_scenario(Path(folder) / "scenario"), decree, gone


# ---------------------------------------------------------------- the coordination list


def per_category(pattern: str, custom: tuple[PatternRow, ...] = ()) -> dict[Category, int]:
    """Linmas per TPS the pattern asks, by category (its `linmas_per_tps`, rounded up); `custom`
    holds the operation's own rows when the pattern is `custom`."""
    rows = rows_by_category(custom if pattern == CUSTOM else PRESETS[pattern].rows)
    return {c: math.ceil(r.linmas_per_tps) for c, r in rows.items()}


def needed(scenario: Scenario, categories: Mapping[str, Category]) -> dict[str, int]:
    """Linmas the operation's pattern asks at each TPS, by TPS id (`categories`: each TPS's)."""
    asked = per_category(scenario.operation.pattern, scenario.patterns)
    return {t.id: asked.get(categories.get(t.id, Category.KURANG_RAWAN), 0) for t in scenario.tps}


def coordination(
    tps_desa: Mapping[str, str], needed_by_tps: Mapping[str, int], named: Counter[str], leftovers: list[Gap]
) -> list[Gap]:
    """The KPU/PPS coordination list: each TPS (`tps_desa`: id -> desa) with fewer decreed
    Linmas (`named`, by TPS id) than the pattern asks, then the decree's rows that could not
    be taken (`leftovers`); by desa, its TPS first (by id), then its rows (in the file's order)."""
    gaps = list(leftovers)
    for tps, desa in tps_desa.items():
        want, have = needed_by_tps.get(tps, 0), named.get(tps, 0)
        if have < want:
            gaps.append(Gap(NONE if have == 0 else SHORT, desa, tps, needed=want, named=have))
    return sorted(gaps, key=lambda g: (g.desa_code, g.row is not None, "" if g.row else g.tps, g.row or 0))
