"""Versioned indicator catalogues (issue 17 item 3): one per election, chosen by the operation
(a setting, else its pattern's), a key meaning the same in each, and old files reading and
scoring as they did."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from siaga.core.data import demo
from siaga.core.data.indicators import (
    PEMILU_2024,
    PILKADA_2024,
    PILKADES,
    VERSIONS,
    Scope,
    catalog,
    catalogue,
    version_of,
)
from siaga.core.data.patterns import PRESETS, default_catalogue
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning import risk


def test_each_catalogue_as_published() -> None:
    pemilu, pilkada, pilkades = catalogue(PEMILU_2024), catalogue(PILKADA_2024), catalogue(PILKADES)
    assert len(pemilu) == 22 and len({i.variable for i in pemilu.values()}) == 7
    assert all(i.scope == Scope.TPS and i.listed for i in pemilu.values())
    assert 24 <= len(pilkada) <= 27 and len({i.variable for i in pilkada.values()}) == 8
    assert len(pilkades) == 18 and all(i.scope == Scope.DESA for i in pilkades.values())
    assert set(VERSIONS) == {PEMILU_2024, PILKADA_2024, PILKADES}
    with pytest.raises(KeyError):
        catalogue("pemilu-2029")


def test_a_key_means_the_same_in_every_catalogue() -> None:
    every = catalog()
    assert len(every) == 45  # 22 + 18 + the 5 Pilkada 2024 adds
    for version in VERSIONS:
        for key, ind in catalogue(version).items():
            known = every[key]
            assert (ind.scope, ind.type, ind.maximum, ind.weight, ind.label_id) == (
                known.scope,
                known.type,
                known.maximum,
                known.weight,
                known.label_id,
            )
    # today's order first: Pemilu 2024's TPS indicators, then the desa's, then what Pilkada adds
    assert list(every)[:40] == [*catalogue(PEMILU_2024), *catalogue(PILKADES)]


def test_the_pattern_chooses_when_the_operation_does_not() -> None:
    assert default_catalogue("pilkades-paskot-2022") == PILKADES
    assert default_catalogue("pilkada-2024-banyuwangi") == PILKADA_2024
    assert default_catalogue("pemilu-2024-jakbar") == PEMILU_2024
    assert default_catalogue("custom") == PEMILU_2024
    assert all(default_catalogue(p) in VERSIONS for p in PRESETS)
    assert version_of("", "pilkades-demak-2022") == PILKADES
    assert version_of(PILKADA_2024, "pilkades-demak-2022") == PILKADA_2024


def test_an_old_file_reads_and_scores_as_before(tmp_path: Path) -> None:
    scenario = demo.pasuruan_kota()
    write_scenario(scenario, tmp_path / "old")
    operation_csv = tmp_path / "old" / "operation.csv"
    lines = operation_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    old = [line for line in lines if not line.startswith("catalogue,")]  # as files were written before
    assert len(old) == len(lines) - 1
    operation_csv.write_text("".join(old), encoding="utf-8")
    again = read_scenario(tmp_path / "old")
    assert again.operation.catalogue == ""
    assert version_of(again.operation.catalogue, again.operation.pattern) == PILKADES
    before = {k: (a.score, a.category) for k, a in risk.assess(scenario).items()}
    assert {k: (a.score, a.category) for k, a in risk.assess(again).items()} == before


def test_the_operation_sheet_names_its_catalogue(tmp_path: Path) -> None:
    scenario = demo.pasuruan_kota()
    chosen = replace(scenario, operation=replace(scenario.operation, catalogue=PILKADA_2024))
    write_scenario(chosen, tmp_path / "chosen.xlsx")
    assert read_scenario(tmp_path / "chosen.xlsx").operation.catalogue == PILKADA_2024
    write_scenario(chosen, tmp_path / "csv")
    path = tmp_path / "csv" / "operation.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("pilkada-2024", "Pilkada-2029"), encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        read_scenario(tmp_path / "csv")
    assert [m for m in refused.value.messages() if "catalogue" in m] == [
        "Lembar 'operation', baris 30, kolom 'catalogue', nilai 'Pilkada-2029': harus salah satu dari: "
        "pemilu-2024, pilkada-2024, pilkades"
    ]


def test_a_pilkada_indicator_scores_in_a_scenario_file(tmp_path: Path) -> None:
    scenario = demo.pasuruan_kota_pemilu()
    first = scenario.tps[0]
    flagged = replace(first, indicators={**first.indicators, "vote_refusal_history": 1})
    changed = replace(scenario, tps=(flagged, *scenario.tps[1:]))
    write_scenario(changed, tmp_path / "pilkada")
    again = read_scenario(tmp_path / "pilkada")
    assert again.tps[0].indicators["vote_refusal_history"] == 1
    before, after = risk.assess(scenario)[first.id], risk.assess(again)[first.id]
    assert after.score == before.score + 15
