"""The synthetic scenario generator: valid at every size, deterministic, shaped like the country."""

import filecmp
import re
from collections import Counter

import pytest

from siaga.core.data import generator
from siaga.core.data.model import Force, Level, UnitKind
from siaga.core.data.scenario import read_scenario, write_scenario


@pytest.fixture(scope="module")
def medium():
    return generator.generate(3000, seed=7, indicators=True)


def test_it_is_the_same_for_the_same_seed():
    assert generator.generate(300, seed=5, indicators=True) == generator.generate(300, seed=5, indicators=True)


def test_it_differs_between_seeds():
    one, two = generator.generate(300, seed=1), generator.generate(300, seed=2)
    assert [t.lat for t in one.tps] != [t.lat for t in two.tps]
    assert [p.id for p in one.personnel] != [p.id for p in two.personnel]


@pytest.mark.parametrize("tps", [1, 2, 10, 99, 500, 1601, 4321])
def test_it_makes_exactly_the_requested_tps_with_at_least_one_of_each_region(tps):
    scenario = generator.generate(tps, seed=3)
    levels = Counter(r.level for r in scenario.regions)
    assert len(scenario.tps) == tps
    assert levels[Level.KABUPATEN] + levels[Level.KOTA] >= 1
    assert levels[Level.KECAMATAN] >= 1
    assert levels[Level.DESA] + levels[Level.KELURAHAN] >= 1


@pytest.mark.parametrize(
    ("tps", "suffix", "indicators"),
    [(1, "", False), (10, ".xlsx", False), (10, "", True), (500, ".xlsx", True), (500, "", False)],
)
def test_it_reads_back_valid_and_equal(tmp_path, tps, suffix, indicators):
    path = tmp_path / f"scenario{suffix}"
    generator.write(path, tps=tps, seed=11, indicators=indicators)
    assert read_scenario(path) == generator.generate(tps, seed=11, indicators=indicators)


@pytest.mark.parametrize("indicators", [False, True])
def test_it_streams_the_same_csv_as_write_scenario(tmp_path, indicators):
    generator.write(tmp_path / "streamed", tps=700, seed=4, indicators=indicators)
    write_scenario(generator.generate(700, seed=4, indicators=indicators), tmp_path / "built")
    files = sorted(p.name for p in (tmp_path / "built").iterdir())
    assert files == ["operation.csv", "personnel.csv", "regions.csv", "tps.csv", "units.csv"]
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "streamed", tmp_path / "built", files, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_it_has_about_two_and_a_half_persons_per_tps(medium):
    forces = Counter(p.force for p in medium.personnel)
    per_tps = {force: n / len(medium.tps) for force, n in forces.items()}
    assert 2.4 <= len(medium.personnel) / len(medium.tps) <= 2.5
    assert per_tps[Force.LINMAS] == 2
    assert 0.3 <= per_tps[Force.POLRI] <= 0.35
    assert 0.03 <= per_tps[Force.BRIMOB] <= 0.05
    assert 0.06 <= per_tps[Force.TNI] <= 0.08
    assert 0.01 <= per_tps[Force.SATPOL_PP] <= 0.03
    assert 0.005 <= sum(not p.available for p in medium.personnel) / len(medium.personnel) <= 0.04


def test_it_gives_each_desa_two_linmas_per_tps_of_their_own(medium):
    tps_per_desa = Counter(t.desa_code for t in medium.tps)
    linmas_per_desa = Counter(p.desa_code for p in medium.personnel if p.force == Force.LINMAS)
    assert linmas_per_desa == Counter({desa: 2 * n for desa, n in tps_per_desa.items()})


def test_it_gives_each_kabupaten_and_kecamatan_its_units(medium):
    regions = Counter(r.level for r in medium.regions)
    kinds = Counter(u.kind for u in medium.units)
    kabupaten = regions[Level.KABUPATEN] + regions[Level.KOTA]
    for kind in (UnitKind.POLRES, UnitKind.KODIM, UnitKind.BRIMOB, UnitKind.SATPOL_PP):
        assert kinds[kind] == kabupaten
    assert kinds[UnitKind.POLSEK] == kinds[UnitKind.KORAMIL] == regions[Level.KECAMATAN]


def test_it_shapes_codes_and_numbers_like_the_real_ones(medium):
    region = re.compile(r"\d\d\.\d\d(\.\d\d(\.[12]\d\d\d)?)?")
    assert all(region.fullmatch(r.code) for r in medium.regions)
    assert all(r.code.startswith(r.parent_code + ".") for r in medium.regions)
    assert all(re.fullmatch(re.escape(t.desa_code) + r"-\d\d", t.id) for t in medium.tps)
    assert all(t.id.endswith(f"-{t.number:02d}") for t in medium.tps)
    for p in medium.personnel:
        assert re.fullmatch(r"08\d{10}", p.phone)
        if p.force in (Force.POLRI, Force.BRIMOB):
            assert re.fullmatch(r"\d{8}", p.id)
        elif p.force == Force.LINMAS:
            assert re.fullmatch(r"\d{16}", p.id) and p.id.startswith(p.desa_code.replace(".", "")[:6])
        else:
            assert re.fullmatch(r"\d{10}|\d{18}", p.id)


def test_it_ranks_polri_as_a_pyramid(medium):
    ranks = Counter(p.rank for p in medium.personnel if p.force == Force.POLRI)
    bintara = sum(ranks[r] for r in ("BRIPDA", "BRIPTU", "BRIGPOL", "BRIPKA"))
    assert bintara > 0.6 * ranks.total()
    assert ranks["IPTU"] + ranks["AKP"] < 0.1 * ranks.total()
    assert ranks["KOMPOL"] + ranks["AKBP"] < 0.03 * ranks.total()


def test_it_places_everything_near_its_region_inside_indonesia(medium):
    by_code = medium.region_by_code()
    points = [(r.lat, r.lon) for r in medium.regions] + [(t.lat, t.lon) for t in medium.tps]
    points += [(u.lat, u.lon) for u in medium.units]
    assert all(-11 < lat < 6 and 95 < lon < 141 for lat, lon in points)
    assert all(round(x, 6) == x for point in points for x in point)
    for t in medium.tps:
        desa = by_code[t.desa_code]
        assert abs(t.lat - desa.lat) < 0.01 and abs(t.lon - desa.lon) < 0.01


def test_it_clusters_violence_where_the_desa_has_a_history(medium):
    riot = {r.code for r in medium.regions if r.indicators.get("riot_history")}
    with_riot = [t.indicators["violence_history"] for t in medium.tps if t.desa_code in riot]
    without = [t.indicators["violence_history"] for t in medium.tps if t.desa_code not in riot]
    assert with_riot and sum(with_riot) / len(with_riot) > 5 * sum(without) / len(without)


def test_it_keeps_the_same_places_when_indicators_are_added():
    plain, rich = generator.generate(400, seed=9), generator.generate(400, seed=9, indicators=True)
    assert [(t.id, t.lat, t.lon, t.voters) for t in plain.tps] == [(t.id, t.lat, t.lon, t.voters) for t in rich.tps]
    assert plain.personnel == rich.personnel


def test_it_names_the_operation_as_synthetic():
    operation = generator.generate(1234).operation
    assert operation.name == "Operasi Mantap Brata (sintetis, 1.234 TPS)"
    assert operation.pattern == "pemilu-2024" and "sintetis" in operation.note


@pytest.mark.parametrize("tps", [0, -5])
def test_it_refuses_no_tps(tps):
    with pytest.raises(ValueError):
        generator.generate(tps)


def test_it_refuses_a_workbook_too_large_for_excel(tmp_path):
    with pytest.raises(ValueError, match="CSV"):
        generator.write(tmp_path / "national.xlsx", tps=820_000)
    assert not (tmp_path / "national.xlsx").exists()
