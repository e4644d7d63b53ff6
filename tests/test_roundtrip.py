"""What `write_scenario` writes, `read_scenario` reads back equal: as a workbook and as a CSV
folder, with Indonesian or English names, for any small valid scenario."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siaga.core.data.indicators import Scope, ValueType, catalog
from siaga.core.data.model import (
    SECTOR_UNIT_KINDS,
    Category,
    Force,
    Level,
    Operation,
    PatternRow,
    Person,
    Region,
    Scenario,
    Tps,
    Unit,
    UnitKind,
)
from siaga.core.data.patterns import CUSTOM, PRESETS
from siaga.core.data.ranks import LEVEL, RANKED_FORCES
from siaga.core.data.scenario import read_scenario, write_scenario

# Printable text as people type it: no control characters, no line or paragraph separators,
# nothing Excel cannot store; cells are read stripped, so none is generated with outer spaces.
# Bidi controls are refused by the contract (they disguise text), so none is generated.
PRINTABLE = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
    exclude_characters="\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)
# Text a spreadsheet could take for something else: a formula, an escape, a number, a boolean.
TRICKY_TEXT = ['=HYPERLINK("http://x.invalid/")', "_x0041_", "a_x005F_b", "007", "78040123", "1e5", "TRUE", "-7,65"]
names = st.one_of(
    st.text(PRINTABLE, min_size=1, max_size=24).map(str.strip).filter(bool),
    st.sampled_from(TRICKY_TEXT),
)
optional_text = st.one_of(st.just(""), names)
# Codes are text: leading zeros, dotted Kemendagri codes, and digits that look like numbers.
codes = st.one_of(
    st.from_regex(r"\A0[0-9]{1,4}\Z"),
    st.from_regex(r"\A[1-9][0-9]{7}\Z"),
    st.from_regex(r"\A[1-9][0-9]{15}\Z"),
    st.from_regex(r"\A[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}(-[0-9]{2})?\Z"),
    st.from_regex(r"\A[A-Z][A-Z0-9-]{0,8}\Z"),
)
# An NRP of Polri and Brimob has 8 digits, a Linmas NIK 16 (or a decree's `<TPS id>/<number>`).
PERSON_CODES = {
    Force.POLRI: st.from_regex(r"\A[0-9]{8}\Z"),
    Force.BRIMOB: st.from_regex(r"\A[0-9]{8}\Z"),
    Force.LINMAS: st.one_of(
        st.from_regex(r"\A[0-9]{16}\Z"),
        st.from_regex(r"\A[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}-[0-9]{2}/[0-9]{1,3}\Z"),
    ),
}
ladder_ranks = st.one_of(st.just(""), st.sampled_from(sorted(LEVEL)))
lats = st.floats(-11, 6, allow_nan=False)
lons = st.floats(95, 141, allow_nan=False)


def unique_codes(n: int) -> st.SearchStrategy[list[str]]:
    return st.lists(codes, min_size=n, max_size=n, unique=True)


def indicator_values(scope: Scope) -> st.SearchStrategy[dict[str, int]]:
    """Some indicators of `scope`, each within its range."""
    keys = [k for k, ind in catalog().items() if ind.scope == scope]
    ranges = {k: 1 if catalog()[k].type == ValueType.BOOL else catalog()[k].maximum for k in keys}
    return st.dictionaries(st.sampled_from(keys), st.integers(0, 1), max_size=3).flatmap(
        lambda chosen: st.fixed_dictionaries({k: st.integers(0, ranges[k]) for k in chosen})
    )


@st.composite
def operations(draw: st.DrawFn) -> Operation:
    return Operation(
        name=draw(names),
        election_date=draw(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))),
        pattern=draw(st.sampled_from([*PRESETS, CUSTOM])),
        road_factor=draw(st.floats(1, 5)),
        speed_kmh=draw(st.floats(1, 200)),
        response_minutes=draw(st.floats(0.5, 240)),
        reserve_team_size=draw(st.integers(1, 100)),
        village_guard_polri=draw(st.integers(0, 5)),
        village_guard_tni=draw(st.integers(0, 5)),
        out_of_sector_penalty_km=draw(st.floats(0, 100)),
        max_post_radius_km=draw(st.floats(0, 10)),
        note=draw(optional_text),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A small valid scenario: one kabupaten or kota, 1-3 kecamatan of 1-3 desa each, their
    TPS, units, and personnel including Linmas of their own desa."""
    operation = draw(operations())
    kecamatan_count = draw(st.integers(1, 3))
    desa_counts = draw(st.lists(st.integers(1, 3), min_size=kecamatan_count, max_size=kecamatan_count))
    region_codes = draw(unique_codes(1 + kecamatan_count + sum(desa_counts)))
    top = Region(region_codes[0], draw(names), draw(st.sampled_from([Level.KABUPATEN, Level.KOTA])))
    regions, desa_list, kecamatan_list = [top], [], []
    next_code = iter(region_codes[1:])
    for desa_count in desa_counts:
        kecamatan = Region(next(next_code), draw(names), Level.KECAMATAN, top.code)
        regions.append(kecamatan)
        kecamatan_list.append(kecamatan.code)
        for _ in range(desa_count):
            desa = Region(
                next(next_code),
                draw(names),
                draw(st.sampled_from([Level.DESA, Level.KELURAHAN])),
                kecamatan.code,
                draw(lats),
                draw(lons),
                draw(indicator_values(Scope.DESA)),
            )
            regions.append(desa)
            desa_list.append(desa.code)

    tps_count = draw(st.integers(1, 6))
    tps = []
    for tps_id in draw(unique_codes(tps_count)):
        category = draw(st.one_of(st.none(), st.sampled_from(Category)))
        tps.append(
            Tps(
                tps_id,
                draw(st.sampled_from(desa_list)),
                draw(st.integers(1, 99)),
                draw(st.integers(0, 1000)),
                draw(lats),
                draw(lons),
                draw(optional_text),
                category,
                draw(names) if category else "",
                draw(indicator_values(Scope.TPS)),
            )
        )

    units = []
    for code in draw(unique_codes(draw(st.integers(1, 4)))):
        kind = draw(st.sampled_from(UnitKind))
        sector = draw(st.sampled_from(kecamatan_list)) if kind in SECTOR_UNIT_KINDS else ""
        units.append(Unit(code, draw(names), kind, sector, draw(lats), draw(lons)))

    personnel = []
    used: set[str] = set()
    for _ in range(draw(st.integers(1, 8))):
        force = draw(st.sampled_from(Force))
        linmas = force == Force.LINMAS
        person_id = draw(PERSON_CODES.get(force, codes).filter(lambda code: code not in used))
        used.add(person_id)
        ranked = force in RANKED_FORCES  # a ladder rank as the reader stores it (docs/scenario.md 1.4.5)
        personnel.append(
            Person(
                person_id,
                draw(names),
                draw(ladder_ranks if ranked else optional_text.filter(lambda rank: len(rank) <= 30)),
                "" if linmas else draw(st.sampled_from([u.code for u in units])),
                force,
                draw(st.sampled_from(desa_list)) if linmas else "",
                draw(st.one_of(st.just(""), st.from_regex(r"\A08[0-9]{8,11}\Z"))),
                draw(st.booleans()),
            )
        )

    patterns: tuple[PatternRow, ...] = ()
    if operation.pattern == CUSTOM:
        extra = draw(st.lists(st.just(Category.KHUSUS), max_size=1))  # KHUSUS may borrow SANGAT_RAWAN's row
        categories = draw(st.permutations([Category.KURANG_RAWAN, Category.RAWAN, Category.SANGAT_RAWAN, *extra]))
        patterns = tuple(
            PatternRow(
                c,
                draw(st.integers(1, 10)),
                draw(st.integers(0, 5)),
                draw(st.integers(0, 5)),
                draw(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 2.25])),
            )
            for c in categories
        )
    return Scenario(operation, tuple(regions), tuple(tps), tuple(units), tuple(personnel), patterns)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario=scenarios(), lang=st.sampled_from(["id", "en"]))
def test_it_reads_back_every_scenario_it_writes(scenario, lang, tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    for target in (folder / "scenario.xlsx", folder / "scenario-csv"):
        write_scenario(scenario, target, lang)
        assert read_scenario(target) == scenario


def test_it_round_trips_the_valid_fixture_in_its_default_languages(valid_scenario, tmp_path):
    for target in (tmp_path / "s.xlsx", tmp_path / "s"):
        write_scenario(valid_scenario, target)
        assert read_scenario(target) == valid_scenario


@pytest.mark.parametrize(
    "looks_like_a_formula", ['=HYPERLINK("http://x.invalid/","klik")', "=1+1", "=cmd|'/c calc'!A0"]
)
def test_it_stores_text_that_looks_like_a_formula_as_text(looks_like_a_formula, valid_scenario, tmp_path):
    person = valid_scenario.personnel[0]
    changed = Scenario(
        valid_scenario.operation,
        valid_scenario.regions,
        valid_scenario.tps,
        valid_scenario.units,
        (Person(person.id, looks_like_a_formula, person.rank, person.unit_code, person.force),)
        + valid_scenario.personnel[1:],
    )
    path = tmp_path / "s.xlsx"
    write_scenario(changed, path)

    assert read_scenario(path).personnel[0].name == looks_like_a_formula
    with zipfile.ZipFile(path) as zf:
        parts = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in part or b"<f " in part for part in parts)


@pytest.mark.parametrize("text", ["_x0041_", "a_x000D_b", "_x005F_x0041_"])
def test_it_keeps_text_that_looks_like_an_excel_escape(text, valid_scenario, tmp_path):
    tps = valid_scenario.tps[0]
    changed = Scenario(
        valid_scenario.operation,
        valid_scenario.regions,
        (Tps(tps.id, tps.desa_code, tps.number, tps.voters, tps.lat, tps.lon, text), *valid_scenario.tps[1:]),
        valid_scenario.units,
        valid_scenario.personnel,
    )
    write_scenario(changed, tmp_path / "s.xlsx")
    assert read_scenario(tmp_path / "s.xlsx").tps[0].address == text


@pytest.mark.parametrize("lat", [0.1 + 0.2 - 7, -7.6543210987654321, -1.0635779759750647e-35])
def test_it_keeps_every_digit_of_a_coordinate(lat, valid_scenario, tmp_path):
    unit = valid_scenario.units[0]
    moved = Unit(unit.code, unit.name, unit.kind, unit.kecamatan_code, lat, unit.lon)
    changed = Scenario(
        valid_scenario.operation,
        valid_scenario.regions,
        valid_scenario.tps,
        (moved, *valid_scenario.units[1:]),
        valid_scenario.personnel,
    )
    write_scenario(changed, tmp_path / "s.xlsx")
    assert read_scenario(tmp_path / "s.xlsx").units[0].lat == lat


def test_it_leaves_no_temporary_file_beside_what_it_writes(valid_scenario, tmp_path):
    write_scenario(valid_scenario, tmp_path / "s.xlsx")
    write_scenario(valid_scenario, tmp_path / "s")
    write_scenario(valid_scenario, tmp_path / "s")  # over an existing folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s", "s.xlsx"]
    assert sorted(p.name for p in Path(tmp_path / "s").iterdir()) == [
        "operation.csv",
        "personnel.csv",
        "regions.csv",
        "tps.csv",
        "units.csv",
    ]
