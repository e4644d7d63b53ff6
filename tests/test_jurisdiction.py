"""Polres jurisdictions (wilayah hukum), BKO and assembly points (issue 11, items 1 and 2).

The scenario is the seed customer's own area: Polres Pasuruan Kota holds Kota Pasuruan
(35.75) and 7 kecamatan of Kabupaten Pasuruan, Polres Pasuruan the other 17 (DOCTRINE.md
section 8). Kecamatan and desa codes of Kabupaten Pasuruan are the real ones
(`siaga/core/data/kab-pasuruan-regions.csv`); the kelurahan of Kota Pasuruan, all points,
TPS and people are made up.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from siaga.core import check
from siaga.core.data import demo, geo, planfile
from siaga.core.data.model import (
    Assignment,
    Force,
    Level,
    Operation,
    Person,
    Plan,
    Region,
    Scenario,
    Tps,
    Unit,
    UnitKind,
)
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning import engine, polres
from siaga.core.planning.plan import plan as make_plan

REGIONS_CSV = Path(__file__).parent.parent / "siaga" / "core" / "data" / "kab-pasuruan-regions.csv"
PASKOT, PASURUAN = "POLRES-PASKOT", "POLRES-PASURUAN"
KRATON = "35.14.16"
# Kabupaten Pasuruan's kecamatan in Polres Pasuruan Kota's jurisdiction.
PASKOT_KABUPATEN = ("35.14.16", "35.14.17", "35.14.18", "35.14.20", "35.14.21", "35.14.22", "35.14.23")
KOTA = {"35.75.01": "Gadingrejo", "35.75.02": "Purworejo", "35.75.03": "Bugul Kidul", "35.75.04": "Panggungrejo"}
MAPOLRES_PASKOT = (-7.645, 112.905)
BRIMOB_HOME = (-7.965, 112.630)  # a Brimob company in Malang, 45 km away


def _kabupaten_rows() -> list[dict[str, str]]:
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _point(k: int) -> tuple[float, float]:
    """A made-up point for the k-th kecamatan, on a grid over the Pasuruan area."""
    return round(-7.60 - 0.03 * (k // 6), 6), round(112.70 + 0.05 * (k % 6), 6)


# Numbers as the importer holds them (docs/scenario.md 1.4.5): an NRP has 8 digits, the
# Brimob platoon's start with 9 (a Polsek's with 1, a Polres's with 2), a Linmas NIK 16.
BRIMOB_NRP = "9"


def nik(desa: str, i: int) -> str:
    return f"{desa.replace('.', '')}{i:06d}"


def pasuruan_two_polres(parent_codes: bool = True) -> Scenario:
    """Two Polres over Kabupaten and Kota Pasuruan, 2 desa and 2 TPS per desa in each
    kecamatan, a Polsek per kecamatan (`parent_code` to its Polres unless `parent_codes` is
    False), and a Brimob platoon from Malang BKO to Polres Pasuruan Kota, mustering at the
    Mapolres."""
    rows = _kabupaten_rows()
    regions = [
        Region("35.14", "KAB. PASURUAN", Level.KABUPATEN, "35"),
        Region("35.75", "KOTA PASURUAN", Level.KOTA, "35"),
    ]
    kecamatan = [(r["code"], r["name"], "35.14") for r in rows if r["level"] == "KECAMATAN"]
    kecamatan += [(code, name, "35.75") for code, name in KOTA.items()]
    desa_of: dict[str, list[tuple[str, str, str]]] = {}
    for r in rows:
        if r["level"] in ("DESA", "KELURAHAN") and len(desa_of.setdefault(r["parent_code"], [])) < 2:
            desa_of[r["parent_code"]].append((r["code"], r["name"], r["level"]))
    for code, name in KOTA.items():
        desa_of[code] = [(f"{code}.100{n}", f"Kelurahan {name} {n}", "KELURAHAN") for n in (1, 2)]
    tps, units, people = [], [Unit(PASKOT, "Polres Pasuruan Kota", UnitKind.POLRES, "", *MAPOLRES_PASKOT)], []
    units.append(Unit(PASURUAN, "Polres Pasuruan", UnitKind.POLRES, "", -7.640, 112.707))
    for k, (code, name, parent) in enumerate(kecamatan):
        lat, lon = _point(k)
        regions.append(Region(code, name, Level.KECAMATAN, parent, lat, lon))
        for d, (desa, desa_name, level) in enumerate(desa_of[code]):
            at = (round(lat + 0.004 * d, 6), round(lon + 0.004 * d, 6))
            regions.append(Region(desa, desa_name, Level(level), code, *at))
            for n in (1, 2):
                tps.append(Tps(f"{desa}-{n:02d}", desa, n, 250, round(at[0] + 0.001 * n, 6), at[1]))
            people += [Person(nik(desa, i), f"Linmas {desa} {i}", desa_code=desa) for i in (1, 2, 3, 4)]
        holder = PASKOT if parent == "35.75" or code in PASKOT_KABUPATEN else PASURUAN
        polsek = f"POLSEK-{code}"
        units.append(Unit(polsek, f"Polsek {name}", UnitKind.POLSEK, code, lat, lon, holder if parent_codes else ""))
        people += [Person(f"1{k:03d}{i:04d}", f"Bripda {code} {i}", "BRIPDA", polsek, Force.POLRI) for i in range(6)]
    for j, unit in enumerate((PASKOT, PASURUAN)):
        people += [Person(f"2{j:03d}{i:04d}", f"Brigpol {unit} {i}", "BRIGPOL", unit, Force.POLRI) for i in range(8)]
    units.append(
        Unit(
            "BRIMOB-MALANG",
            "Kompi Brimob Malang (BKO)",
            UnitKind.BRIMOB,
            "",
            *BRIMOB_HOME,
            "",
            PASKOT,
            *MAPOLRES_PASKOT,
        )
    )
    brimob = "BRIMOB-MALANG"
    people += [Person(f"{BRIMOB_NRP}{i:07d}", f"Brimob {i}", "BRIPTU", brimob, Force.BRIMOB) for i in range(30)]
    operation = Operation("Pam Pilkades Pasuruan (dua Polres)", dt.date(2022, 3, 23), pattern="pilkades-paskot-2022")
    return Scenario(operation, tuple(regions), tuple(tps), tuple(units), tuple(people))


def holder_of_kecamatan(kecamatan: str) -> str:
    """The expected Polres of a kecamatan, written down from DOCTRINE.md section 8."""
    return PASKOT if kecamatan.startswith("35.75.") or kecamatan in PASKOT_KABUPATEN else PASURUAN


def home_polres(person: Person) -> str:
    """The expected Polres a person serves in: their Polsek's, their Polres's, or the host's
    for the BKO platoon; a Linmas member their desa's."""
    if person.unit_code == "BRIMOB-MALANG":
        return PASKOT
    if person.unit_code.startswith("POLSEK-"):
        return holder_of_kecamatan(person.unit_code.removeprefix("POLSEK-"))
    if person.unit_code:
        return person.unit_code
    return holder_of_kecamatan(person.desa_code.rsplit(".", 1)[0])


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return pasuruan_two_polres()


@pytest.fixture(scope="module")
def two_polres_plan(scenario: Scenario) -> Plan:
    return engine.plan_all(scenario, engine="local", workers=1)


def _polres_of_post(scenario: Scenario, plan: Plan) -> dict[str, str]:
    by_unit = scenario.unit_by_code()
    out = {}
    for p in plan.posts:
        if p.kind == "RESERVE":
            unit = by_unit[p.id.removeprefix("RESERVE-").rsplit("-", 1)[0]]  # the unit it stands at
            out[p.id] = unit.bko_to or (holder_of_kecamatan(unit.kecamatan_code) if unit.kecamatan_code else unit.code)
        else:
            out[p.id] = holder_of_kecamatan(p.kecamatan_code)
    return out


# ---------------------------------------------------------------- the split


def test_it_splits_by_jurisdiction_not_by_kabupaten(scenario: Scenario) -> None:
    parts = polres.split(scenario)
    assert list(parts) == [PASURUAN, PASKOT]  # in the order their first TPS appear
    kecamatan_of = {r.code: r.parent_code for r in scenario.regions}
    for code, part in parts.items():
        assert {holder_of_kecamatan(kecamatan_of[t.desa_code]) for t in part.tps} == {code}
        assert {home_polres(p) for p in part.personnel} == {code}
    paskot_kecamatan = {kecamatan_of[t.desa_code] for t in parts[PASKOT].tps}
    assert paskot_kecamatan == set(PASKOT_KABUPATEN) | set(KOTA)
    assert "BRIMOB-MALANG" in {u.code for u in parts[PASKOT].units}
    # Kabupaten Pasuruan is split between the two: its row goes with both parts.
    assert "35.14" in {r.code for r in parts[PASKOT].regions} and "35.14" in {r.code for r in parts[PASURUAN].regions}
    assert sum(len(p.tps) for p in parts.values()) == len(scenario.tps)
    assert sum(len(p.personnel) for p in parts.values()) == len(scenario.personnel)


def test_it_says_the_polres_of_a_kecamatan_by_polres_code_where_no_polsek_does(scenario: Scenario) -> None:
    units = tuple(u for u in scenario.units if u.code != f"POLSEK-{KRATON}")
    regions = tuple(replace(r, polres_code=PASKOT) if r.code == KRATON else r for r in scenario.regions)
    parts = polres.split(replace(scenario, units=units, regions=regions))
    assert KRATON in {r.code for r in parts[PASKOT].regions}
    assert KRATON not in {r.code for r in parts[PASURUAN].regions}


# ---------------------------------------------------------------- the plan and the checker


def test_it_plans_every_polres_inside_its_own_jurisdiction(scenario: Scenario, two_polres_plan: Plan) -> None:
    people = {p.id: p for p in scenario.personnel}
    post_polres = _polres_of_post(scenario, two_polres_plan)
    assert two_polres_plan.assignments
    crossing = [a for a in two_polres_plan.assignments if home_polres(people[a.person]) != post_polres[a.post]]
    assert crossing == []
    assert {post_polres[a.post] for a in two_polres_plan.assignments} == {PASKOT, PASURUAN}


def test_it_sends_the_bko_platoon_to_its_host(scenario: Scenario, two_polres_plan: Plan) -> None:
    reserves = [p for p in two_polres_plan.posts if p.kind == "RESERVE"]
    assert len(reserves) == 1  # 30 Brimob: one team, for the host; Polres Pasuruan has none
    assert _polres_of_post(scenario, two_polres_plan)[reserves[0].id] == PASKOT
    brimob = [a for a in two_polres_plan.assignments if a.person.startswith(BRIMOB_NRP)]
    assert len(brimob) == 30 and {a.post for a in brimob} == {reserves[0].id}


def test_the_checker_finds_no_violation_in_the_two_polres_plan(scenario: Scenario, two_polres_plan: Plan) -> None:
    assert check.check_plan(scenario, two_polres_plan) == []


def test_the_checker_flags_a_polres_pasuruan_member_in_kraton(scenario: Scenario, two_polres_plan: Plan) -> None:
    kraton_post = next(p for p in two_polres_plan.posts if p.kind == "TPS" and p.kecamatan_code == KRATON)
    taken = next(a for a in two_polres_plan.assignments if a.post == kraton_post.id and a.slot == "POLRI")
    outsider = next(
        p
        for p in scenario.personnel
        if p.unit_code == PASURUAN and p.id not in {a.person for a in two_polres_plan.assignments}
    )
    unit = scenario.unit_by_code()[PASURUAN]
    assert unit.lat is not None and unit.lon is not None
    cost = round(
        scenario.operation.road_factor * geo.haversine_km(unit.lat, unit.lon, kraton_post.lat, kraton_post.lon), 6
    )
    moved = tuple(
        Assignment(outsider.id, a.post, a.slot, cost) if a == taken else a for a in two_polres_plan.assignments
    )
    summary = {
        **two_polres_plan.summary,
        "cost_km": round(two_polres_plan.summary["cost_km"] - taken.cost_km + cost, 6),
    }
    summary["objective"] = round(two_polres_plan.summary["objective"] - taken.cost_km + cost, 6)
    bad = replace(two_polres_plan, assignments=moved, summary=summary)
    found = check.check_plan(scenario, bad)
    own = [v for v in found if v.rule == "own_polres"]
    assert len(own) == 1
    assert outsider.id in own[0].message and PASURUAN in own[0].message and PASKOT in own[0].message


def test_the_checker_derives_jurisdictions_on_its_own(scenario: Scenario) -> None:
    derived = check.jurisdiction.derive(scenario)
    assert derived.polres == (PASURUAN, PASKOT)
    assert derived.of_region[KRATON] == PASKOT and derived.of_region["35.14.01"] == PASURUAN
    assert derived.of_region["35.75.01.1001"] == PASKOT
    assert derived.of_unit["BRIMOB-MALANG"] == PASKOT


@pytest.mark.parametrize("host", [PASKOT, PASURUAN])
def test_a_bko_unit_serves_the_polres_it_names(scenario: Scenario, host: str) -> None:
    """The platoon musters at the Mapolres Pasuruan Kota either way: `bko_to` alone decides."""
    units = tuple(replace(u, bko_to=host) if u.code == "BRIMOB-MALANG" else u for u in scenario.units)
    attached = replace(scenario, units=units)
    parts = polres.split(attached)
    assert [k for k, part in parts.items() if "BRIMOB-MALANG" in {u.code for u in part.units}] == [host]
    assert check.jurisdiction.derive(attached).of_unit["BRIMOB-MALANG"] == host
    plan = engine.plan_all(attached, engine="local", workers=1)
    assert check.check_plan(attached, plan) == []
    reserves = [p for p in plan.posts if p.kind == "RESERVE"]
    assert len(reserves) == 1 and _polres_of_post(attached, plan)[reserves[0].id] == host


# ---------------------------------------------------------------- old files keep their meaning


def test_without_parent_code_it_splits_by_kabupaten_as_before(tmp_path: Path) -> None:
    flat = pasuruan_two_polres(parent_codes=False)
    flat = replace(flat, units=tuple(replace(u, bko_to="") for u in flat.units))
    write_scenario(flat, tmp_path / "tanpa-induk.xlsx")
    loaded = read_scenario(tmp_path / "tanpa-induk.xlsx")
    assert loaded == flat
    assert list(polres.split(loaded)) == ["35.14", "35.75"]
    plan = engine.plan_all(loaded, engine="local", workers=1)
    assert check.check_plan(loaded, plan) == []
    kabupaten_of = {r.code: r.parent_code for r in loaded.regions if r.level == Level.KECAMATAN}
    people = {p.id: p for p in loaded.personnel}
    for a in plan.assignments:  # a kabupaten line is not crossed: Kraton's Polsek stays in 35.14
        post = next(p for p in plan.posts if p.id == a.post)
        unit = people[a.person].unit_code
        if unit.startswith("POLSEK-") and post.kind == "TPS":
            assert kabupaten_of[unit.removeprefix("POLSEK-")] == kabupaten_of[post.kecamatan_code]


NEW_COLUMNS = {"units.csv": ("parent_code", "bko_to", "assembly_lat", "assembly_lon"), "regions.csv": ("polres_code",)}


def test_an_old_file_without_the_new_columns_plans_the_demo_byte_for_byte(tmp_path: Path) -> None:
    """The demo written as CSV with the jurisdiction and assembly columns cut out (a file made
    before they existed) reads back as the demo and plans to the same bytes."""
    import csv

    folder = tmp_path / "old"
    write_scenario(demo.pasuruan_kota(), folder)
    for name, cut in NEW_COLUMNS.items():
        with (folder / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        kept = [c for c in rows[0] if c not in cut]
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, kept, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        assert not set(cut) & set((folder / name).read_text(encoding="utf-8").splitlines()[0].split(","))
    old = read_scenario(folder)
    assert old == demo.pasuruan_kota()
    planfile.write_plan(make_plan(old), tmp_path / "old.json")
    planfile.write_plan(make_plan(demo.pasuruan_kota()), tmp_path / "demo.json")
    assert (tmp_path / "old.json").read_bytes() == (tmp_path / "demo.json").read_bytes()


# ---------------------------------------------------------------- the workbook


def test_the_new_columns_read_back_under_both_names(tmp_path: Path, scenario: Scenario) -> None:
    for lang, path in (("id", tmp_path / "operasi.xlsx"), ("en", tmp_path / "csv")):
        write_scenario(scenario, path, lang=lang)
        assert read_scenario(path) == scenario
    header = (tmp_path / "csv" / "units.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith("parent_code,bko_to,assembly_lat,assembly_lon")
    regions = (tmp_path / "csv" / "regions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "polres_code" in regions


def _problems(tmp_path: Path, scenario: Scenario) -> Iterator[tuple[str, str, int | None, str, str]]:
    write_scenario(scenario, tmp_path / "s.xlsx")
    with pytest.raises(ScenarioError) as caught:
        read_scenario(tmp_path / "s.xlsx")
    for p in caught.value.problems:
        yield p.code, p.sheet, p.row, p.column, p.value


def test_a_tps_in_a_kecamatan_no_polres_holds_is_refused_naming_it(tmp_path: Path, scenario: Scenario) -> None:
    orphan = "35.14.01"  # Purwodadi: its Polsek left out
    units = tuple(u for u in scenario.units if u.code != f"POLSEK-{orphan}")
    people = tuple(p for p in scenario.personnel if p.unit_code != f"POLSEK-{orphan}")
    broken = replace(scenario, units=units, personnel=people)
    write_scenario(broken, tmp_path / "s.xlsx")
    with pytest.raises(ScenarioError) as caught:
        read_scenario(tmp_path / "s.xlsx")
    problems = caught.value.problems
    assert [p.code for p in problems] == ["kecamatan_without_polres"]
    first = next(k for k, t in enumerate(broken.tps) if t.desa_code.startswith(orphan + "."))
    p = problems[0]
    assert (p.sheet, p.row, p.column, p.value) == ("tps", first + 2, "kode_desa", broken.tps[first].desa_code)
    assert "35.14.01 (Purwodadi, 4 TPS)" in p.message("id") and "wilayah hukum" in p.message("id")
    assert "35.14.01 (Purwodadi, 4 TPS) is in no Polres's jurisdiction" in p.message("en")
    # Saying it on the kecamatan's row mends it.
    regions = tuple(replace(r, polres_code=PASURUAN) if r.code == orphan else r for r in broken.regions)
    mended = replace(broken, regions=regions)
    write_scenario(mended, tmp_path / "mended.xlsx")
    assert read_scenario(tmp_path / "mended.xlsx") == mended


def test_it_refuses_bko_and_polres_codes_that_name_no_polres(tmp_path: Path, scenario: Scenario) -> None:
    units = tuple(replace(u, bko_to="POLSEK-35.14.16") if u.code == "BRIMOB-MALANG" else u for u in scenario.units)
    regions = tuple(
        replace(r, polres_code="POLRES-BATU")
        if r.code == KRATON
        else replace(r, polres_code=PASKOT)
        if r.code == "35.75.01.1001"
        else r
        for r in scenario.regions
    )
    found = list(_problems(tmp_path, replace(scenario, units=units, regions=regions)))
    codes = {(code, sheet, column, value) for code, sheet, _, column, value in found}
    assert codes == {
        ("not_a_polres", "satuan", "bko_ke", "POLSEK-35.14.16"),
        ("not_a_polres", "wilayah", "kode_polres", "POLRES-BATU"),
        ("polres_code_not_kecamatan", "wilayah", "kode_polres", PASKOT),
    }


def test_an_assembly_point_needs_both_coordinates(tmp_path: Path, scenario: Scenario) -> None:
    units = tuple(replace(u, assembly_lon=None) if u.code == "BRIMOB-MALANG" else u for u in scenario.units)
    found = list(_problems(tmp_path, replace(scenario, units=units)))
    row = 2 + [u.code for u in units].index("BRIMOB-MALANG")
    assert found == [("assembly_needs_both", "satuan", row, "bujur_apel", "")]


# ---------------------------------------------------------------- assembly points


def _far_unit_scenario(assembly: bool) -> Scenario:
    """One desa with one TPS, one Polri member of a unit based in Surabaya (80 km away) that
    musters 2 km from the TPS when `assembly`."""
    op = Operation("Uji titik apel", dt.date(2024, 2, 14), pattern="pilkades-paskot-2022")
    regions = (
        Region("35.14", "KAB. PASURUAN", Level.KABUPATEN, "35"),
        Region(KRATON, "Kraton", Level.KECAMATAN, "35.14", -7.66, 112.86),
        Region("35.14.16.2001", "Desa", Level.DESA, KRATON, -7.66, 112.86),
    )
    tps = (Tps("35.14.16.2001-01", "35.14.16.2001", 1, 200, -7.66, 112.86),)
    point = (-7.66, 112.878) if assembly else (None, None)
    units = (Unit("SAMAPTA-SBY", "Samapta BKO", UnitKind.SAMAPTA, "", -7.25, 112.75, "", "", *point),)
    people = (Person("S-1", "Bripda S", "BRIPDA", "SAMAPTA-SBY", Force.POLRI),)
    return Scenario(op, regions, tps, units, people)


def test_travel_starts_at_the_assembly_point_not_the_home_base() -> None:
    near, far = make_plan(_far_unit_scenario(True)), make_plan(_far_unit_scenario(False))
    road = _far_unit_scenario(True).operation.road_factor
    [a], [b] = near.assignments, far.assignments
    assert a.cost_km == pytest.approx(road * geo.haversine_km(-7.66, 112.878, -7.66, 112.86), abs=1e-6)
    assert a.cost_km < 3 and b.cost_km > 50
    assert check.check_plan(_far_unit_scenario(True), near) == []


def test_the_checker_counts_cost_from_the_assembly_point() -> None:
    scenario = _far_unit_scenario(True)
    from_home = make_plan(_far_unit_scenario(False))  # costed from Surabaya
    violations = check.check_plan(scenario, replace(from_home, operation=scenario.operation.name))
    assert "cost" in {v.rule for v in violations}


def test_the_bko_platoon_is_costed_from_the_mapolres(scenario: Scenario, two_polres_plan: Plan) -> None:
    post = next(p for p in two_polres_plan.posts if p.kind == "RESERVE")
    cost = {a.cost_km for a in two_polres_plan.assignments if a.person.startswith(BRIMOB_NRP)}
    assert cost == {round(scenario.operation.road_factor * geo.haversine_km(*MAPOLRES_PASKOT, post.lat, post.lon), 6)}
    assert json.loads(json.dumps(planfile.to_json(two_polres_plan)))["format"] == "siaga-plan/1"
