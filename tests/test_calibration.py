"""Calibration: weights learned from incident history beat the defaults and find the rule."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import generator
from siaga.core.planning import calibration, risk
from siaga.core.planning.calibration import HIDDEN_RULE, IncidentsError

runner = CliRunner()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A generated scenario with indicators and an incident history drawn from the hidden rule."""
    folder = tmp_path_factory.mktemp("cal")
    generator.write(folder / "scenario", tps=6000, seed=11, indicators=True)
    scenario = __import__("siaga.core.data.scenario", fromlist=["read_scenario"]).read_scenario(folder / "scenario")
    rows = calibration.synthetic_incidents(scenario, seed=5)
    calibration.write_incidents(rows, folder / "incidents.csv")
    return folder, scenario


def test_it_beats_the_default_weights_on_held_out_desa_and_recovers_the_rule(history):
    folder, scenario = history
    positive = calibration.read_incidents(folder / "incidents.csv", scenario)
    result = calibration.calibrate(scenario, positive, seed=1)
    assert result.auc_fitted > result.auc_default
    assert result.auc_fitted > 0.7
    assert result.brier_fitted < result.brier_default
    top = sorted(result.model.weights, key=lambda k: -result.model.weights[k])[:3]
    strongest = sorted(HIDDEN_RULE, key=lambda k: -HIDDEN_RULE[k])[:3]
    assert set(top) == set(strongest)
    assert all(w >= 0 for w in result.model.weights.values())


def test_it_writes_a_weights_file_the_risk_command_uses(history, tmp_path):
    folder, _ = history
    out = tmp_path / "weights.json"
    done = runner.invoke(
        app,
        [
            "risk",
            "calibrate",
            str(folder / "scenario"),
            "--incidents",
            str(folder / "incidents.csv"),
            "--out",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "AUC" in done.output and "Brier" in done.output
    model = risk.load_model(out)
    assert model.weights["violence_history"] > 0
    shown = runner.invoke(app, ["risk", str(folder / "scenario"), "--weights", str(out), "--json"])
    assert shown.exit_code == 0
    assert len(json.loads(shown.stdout)) == 6000


def test_it_names_the_row_of_an_incident_for_an_unknown_tps(history, tmp_path):
    _, scenario = history
    bad = tmp_path / "incidents.csv"
    bad.write_text("tps_id,year\n" + scenario.tps[0].id + ",2019\nTPS-TIDAK-ADA,2020\n")
    with pytest.raises(IncidentsError) as caught:
        calibration.read_incidents(bad, scenario)
    assert caught.value.texts() == [
        "incidents.csv, baris 3, kolom 'tps_id', nilai 'TPS-TIDAK-ADA': TPS tidak ada di skenario"
    ]
    assert caught.value.texts("en") == [
        "incidents.csv, row 3, column 'tps_id', value 'TPS-TIDAK-ADA': the TPS is not in the scenario"
    ]


def test_it_counts_a_desa_incident_for_every_tps_of_the_desa(history, tmp_path):
    _, scenario = history
    desa = scenario.tps[0].desa_code
    path = tmp_path / "incidents.csv"
    path.write_text(f"tps_id,desa_code\n,{desa}\n")
    assert calibration.read_incidents(path, scenario) == {t.id for t in scenario.tps if t.desa_code == desa}


@pytest.mark.parametrize(
    ("y", "score", "expected"),
    [([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 1.0), ([0, 1], [0.5, 0.5], 0.5), ([1, 0, 1, 0], [0.9, 0.8, 0.1, 0.2], 0.5)],
)
def test_it_computes_the_area_under_the_curve(y, score, expected):
    assert calibration.auc(np.array(y, float), np.array(score, float)) == pytest.approx(expected)
