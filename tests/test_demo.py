"""The Pasuruan Kota 2022 demo reproduces the published figures of the reference operation."""

import re
from collections import Counter

import pytest

from siaga.core.data import demo
from siaga.core.data.model import Force, Level
from siaga.core.data.scenario import read_scenario, write_scenario

NAMED_DESA = {
    "35.14.17.2001": "Susukan Rejo",
    "35.14.17.2005": "Logowok",
    "35.14.18.2011": "Lajuk",
    "35.14.20.2004": "Plososari",
    "35.14.21.2005": "Nguling",
}
KECAMATAN = {
    "35.14.16": "Kraton",
    "35.14.17": "Pohjentrek",
    "35.14.18": "Gondangwetan",
    "35.14.20": "Grati",
    "35.14.21": "Nguling",
    "35.14.22": "Lekok",
    "35.14.23": "Rejoso",
}
POLRI_RANKS = ["BRIPDA", "BRIPTU", "BRIGPOL", "BRIPKA", "AIPDA", "AIPTU", "IPDA", "IPTU", "AKP", "KOMPOL", "AKBP"]


@pytest.fixture(scope="module")
def scenario():
    return demo.pasuruan_kota()


def test_it_has_the_seven_real_kecamatan_and_three_real_desa_each(scenario):
    by_level = {lv: [r for r in scenario.regions if r.level == lv] for lv in Level}
    assert {r.code: r.name for r in by_level[Level.KECAMATAN]} == KECAMATAN
    desa = by_level[Level.DESA]
    assert len(desa) == 21
    assert Counter(r.parent_code for r in desa) == dict.fromkeys(KECAMATAN, 3)
    names = {r.code: r.name for r in desa}
    assert {code: names[code] for code in NAMED_DESA} == NAMED_DESA


def test_it_has_152_tps_none_over_500_voters(scenario):
    assert len(scenario.tps) == 152
    assert max(t.voters for t in scenario.tps) <= 500
    assert min(t.voters for t in scenario.tps) > 0


def test_it_has_950_persons_in_the_published_mix(scenario):
    forces = Counter(p.force for p in scenario.personnel)
    assert len(scenario.personnel) == 950
    assert (forces[Force.POLRI], forces[Force.BRIMOB], forces[Force.TNI]) == (300, 100, 100)
    assert forces[Force.LINMAS] + forces[Force.SATPOL_PP] == 450


def test_it_gives_every_desa_at_least_two_linmas_per_tps(scenario):
    tps = Counter(t.desa_code for t in scenario.tps)
    linmas = Counter(p.desa_code for p in scenario.personnel if p.force == Force.LINMAS)
    assert all(linmas[desa] >= 2 * n for desa, n in tps.items())


def test_it_spreads_polri_ranks_from_bripda_to_akbp(scenario):
    ranks = Counter(p.rank for p in scenario.personnel if p.force == Force.POLRI)
    assert set(ranks) <= set(POLRI_RANKS)
    assert ranks["AKBP"] == 1 and ranks["BRIPDA"] > ranks["AKP"] > 0
    assert set(POLRI_RANKS) <= set(ranks)


def test_it_uses_nrp_shaped_ids_that_are_unique(scenario):
    ids = [p.id for p in scenario.personnel]
    assert len(set(ids)) == len(ids)
    police = [p.id for p in scenario.personnel if p.force in (Force.POLRI, Force.BRIMOB)]
    assert all(re.fullmatch(r"\d{8}", nrp) for nrp in police)
    nik = [p.id for p in scenario.personnel if p.force == Force.LINMAS]
    assert all(re.fullmatch(r"\d{16}", n) for n in nik)


def test_it_reproduces_the_reference_settings_and_says_what_is_synthetic(scenario):
    op = scenario.operation
    assert op.pattern == "pilkades-paskot-2022"
    assert op.election_date.isoformat() == "2022-03-23"
    assert op.village_guard_polri > 0 and op.village_guard_tni > 0
    assert op.reserve_team_size == 30
    assert "SINTETIS" in op.note


def test_it_is_deterministic_from_its_seed(scenario):
    assert demo.pasuruan_kota() == scenario
    assert demo.pasuruan_kota(seed=7) != scenario


@pytest.mark.parametrize("name", ["demo.xlsx", "demo-csv"])
def test_it_reads_back_equal_from_xlsx_and_csv(scenario, tmp_path, name):
    write_scenario(scenario, tmp_path / name)
    assert read_scenario(tmp_path / name) == scenario


def test_it_keeps_command_and_staff_off_every_post():
    from siaga.core.data import positions
    from siaga.core.planning.plan import plan

    scenario = demo.pasuruan_kota()
    command = {p.id for p in scenario.personnel if positions.is_command(p.position)}
    by_position = {p.position: p for p in scenario.personnel if p.position}
    assert by_position["Kapolres"].rank == "AKBP"
    assert {by_position["Wakapolres"].rank, by_position["Kabag Ops"].rank} == {"KOMPOL"}
    kapolsek = [p for p in scenario.personnel if p.position.startswith("Kapolsek")]
    danramil = [p for p in scenario.personnel if p.position.startswith("Danramil")]
    assert len(kapolsek) == len(danramil) == 7
    assert {p.rank for p in kapolsek} == {"AKP"} and {p.rank for p in danramil} == {"KAPTEN"}
    made = plan(scenario)
    assert command and not command & {a.person for a in made.assignments}  # TPS, village and reserve posts
    assert {o["person"] for o in made.extra["organisation"]} == command
