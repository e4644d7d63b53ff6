"""Vulnerability scoring: points per indicator, explanations, overrides, weights files."""

import dataclasses
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siaga.core.data import demo
from siaga.core.data.indicators import Scope, ValueType, catalog
from siaga.core.data.model import Category, Level
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.core.planning import risk

DEMO = demo.pasuruan_kota()
TPS = DEMO.tps[1]  # a TPS without an override
DESA = next(r for r in DEMO.regions if r.code == TPS.desa_code)
MODEL = risk.default_model()


def with_indicator(key, value):
    """The demo with one TPS (or its desa) carrying only the indicator `key` = value."""
    tps = [dataclasses.replace(t, indicators={}) for t in DEMO.tps]
    regions = [dataclasses.replace(r, indicators={}) if r.level == Level.DESA else r for r in DEMO.regions]
    if catalog()[key].scope == Scope.TPS:
        tps[1] = dataclasses.replace(tps[1], indicators={key: value})
    else:
        at = next(i for i, r in enumerate(regions) if r.code == TPS.desa_code)
        regions[at] = dataclasses.replace(regions[at], indicators={key: value})
    return dataclasses.replace(DEMO, tps=tuple(tps), regions=tuple(regions))


@pytest.mark.parametrize("key", list(catalog()))
def test_it_gives_each_indicator_its_weight_at_maximum_and_a_share_below(key):
    ind = catalog()[key]
    top = risk.assess(with_indicator(key, ind.maximum))[TPS.id]
    assert math.isclose(top.score, min(ind.weight, 100), abs_tol=0.01)
    if ind.weight:
        assert [c.indicator for c in top.contributions] == [key]
    if ind.type != ValueType.BOOL:
        part = risk.assess(with_indicator(key, 1))[TPS.id]
        assert math.isclose(part.score, ind.weight / ind.maximum, abs_tol=0.01)


@pytest.mark.parametrize("key", list(catalog()))
def test_it_reads_each_indicator_from_the_workbook_and_refuses_values_out_of_range(key, tmp_path):
    ind = catalog()[key]
    write_scenario(with_indicator(key, ind.maximum), tmp_path / "ok")
    loaded = read_scenario(tmp_path / "ok")
    holder = loaded.tps[1] if ind.scope == Scope.TPS else loaded.region_by_code()[TPS.desa_code]
    assert holder.indicators == {key: ind.maximum}
    write_scenario(with_indicator(key, ind.maximum + 1), tmp_path / "bad")
    with pytest.raises(ScenarioError) as caught:
        read_scenario(tmp_path / "bad")
    [problem] = caught.value.problems
    assert problem.column == key
    assert problem.code == ("not_bool" if ind.type == ValueType.BOOL else "too_large")
    assert problem.sheet == ("tps" if ind.scope == Scope.TPS else "regions")


def test_it_reads_yes_and_no_words_for_yes_no_indicators(tmp_path):
    write_scenario(with_indicator("violence_history", 1), tmp_path / "s")
    tps_csv = tmp_path / "s" / "tps.csv"
    tps_csv.write_text(tps_csv.read_text().replace(",1\n", ",ya\n", 1))
    assert read_scenario(tmp_path / "s").tps[1].indicators == {"violence_history": 1}


def test_it_sets_khusus_from_the_special_location_indicator():
    a = risk.assess(with_indicator("special_location", 1))[TPS.id]
    assert (a.model_category, a.category, a.source) == (Category.KHUSUS, Category.KHUSUS, "model")


def test_it_caps_the_score_at_100_with_an_explaining_line():
    keys = ["riot_history", "sensitive_issue", "head_to_head", "militant_supporters", "team_feud"]
    regions = [
        dataclasses.replace(r, indicators=dict.fromkeys(keys, 1)) if r.code == TPS.desa_code else r
        for r in DEMO.regions
    ]
    tps = [dataclasses.replace(t, indicators={"violence_history": 1}) if t.id == TPS.id else t for t in DEMO.tps]
    a = risk.assess(dataclasses.replace(DEMO, regions=tuple(regions), tps=tuple(tps)))[TPS.id]
    assert a.score == 100
    assert a.contributions[-1].indicator == risk.CAP and a.contributions[-1].points < 0
    assert math.isclose(sum(c.points for c in a.contributions), 100, abs_tol=1e-6)
    assert "Batas skor" in a.contributions[-1].text()


def test_it_explains_in_the_users_language_largest_first():
    a = risk.assess(DEMO)["35.14.20.2004-01"]
    texts = [c.text() for c in a.contributions]
    assert texts[0] in ("Riwayat kekerasan di TPS: +25", "Riwayat kerusuhan atau Pilkades gagal/diulang: +25")
    assert "Riwayat kekerasan di TPS: +25" in texts
    assert "History of violence at the TPS: +25" in [c.text("en") for c in a.contributions]
    points = [abs(c.points) for c in a.contributions]
    assert points == sorted(points, reverse=True)


def test_it_lists_overrides_with_the_models_opinion():
    assessments = risk.assess(DEMO)
    [manual] = risk.overrides(DEMO, assessments)
    assert manual.tps == DEMO.tps[0].id and manual.category == Category.SANGAT_RAWAN
    assert manual.model_category == Category.KURANG_RAWAN and manual.reason.startswith("Info intelijen")


def test_it_gives_the_demo_a_realistic_mix_of_categories():
    counts = {c: 0 for c in Category}
    for a in risk.assess(DEMO).values():
        counts[a.category] += 1
    assert counts[Category.KURANG_RAWAN] > counts[Category.RAWAN] > counts[Category.SANGAT_RAWAN] > 0
    assert risk.assess(DEMO)["35.14.20.2004-03"].category == Category.SANGAT_RAWAN  # the desa with a riot
    assert risk.assess(DEMO)["35.14.17.2005-01"].category == Category.RAWAN  # head-to-head with the incumbent


def test_it_shows_a_desa_as_one_contest():
    assessments = risk.assess(DEMO)
    view = risk.desa_view(DEMO, "35.14.20.2004", assessments)
    assert view.desa.name == "Plososari" and view.category == Category.SANGAT_RAWAN
    assert [c.indicator for c in view.factors][:1] == ["riot_history"]
    assert {a.tps for a in view.tps} == {t.id for t in DEMO.tps if t.desa_code == "35.14.20.2004"}


# ---------------------------------------------------------------- properties

keys = st.sampled_from(list(catalog()))


@st.composite
def indicator_values(draw):
    chosen = draw(st.lists(keys, unique=True, max_size=12))
    return {k: draw(st.integers(0, catalog()[k].maximum)) for k in chosen}


def assess_one(tps_values, desa_values, model=MODEL, category=None, reason=""):
    tps = dataclasses.replace(TPS, indicators=tps_values, category=category, category_reason=reason)
    desa_points = risk._points(desa_values, risk._per_unit(model))
    return risk.assess_tps(tps, desa_points, model)


def split(values):
    own = {k: v for k, v in values.items() if catalog()[k].scope == Scope.TPS}
    return own, {k: v for k, v in values.items() if k not in own}


@settings(deadline=None, max_examples=200)
@given(indicator_values(), keys, st.dictionaries(keys, st.floats(0, 60), max_size=10))
def test_property_raising_an_indicator_never_lowers_the_score(values, key, weights):
    model = risk.model_from_mapping({"weights": weights})
    raised = {**values, key: min(values.get(key, 0) + 1, catalog()[key].maximum)}
    assert assess_one(*split(raised), model=model).score >= assess_one(*split(values), model=model).score


@settings(deadline=None, max_examples=200)
@given(indicator_values(), st.dictionaries(keys, st.floats(-50, 80), max_size=10))
def test_property_points_add_up_to_the_score(values, weights):
    a = assess_one(*split(values), model=risk.model_from_mapping({"weights": weights}))
    assert 0 <= a.score <= 100
    assert math.isclose(sum(c.points for c in a.contributions), a.score, abs_tol=1e-6)


@settings(deadline=None, max_examples=100)
@given(indicator_values(), st.sampled_from(list(Category)))
def test_property_an_override_always_wins(values, category):
    a = assess_one(*split(values), category=category, reason="perintah Kapolres")
    assert a.category == category and a.source == "override"
    assert a.model_category == assess_one(*split(values)).category


@settings(deadline=None, max_examples=50)
@given(indicator_values())
def test_property_the_same_input_gives_the_same_output(values):
    assert assess_one(*split(values)) == assess_one(*split(dict(reversed(list(values.items())))))


# ---------------------------------------------------------------- weights files


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_it_applies_a_weights_file(tmp_path, suffix):
    path = tmp_path / f"w{suffix}"
    data = {"weights": {"coastal": 30}, "thresholds": {"RAWAN": 25, "SANGAT_RAWAN": 60}}
    path.write_text(json.dumps(data))  # JSON is also YAML
    model = risk.load_model(path)
    assert model.weights["coastal"] == 30 and model.weights["violence_history"] == MODEL.weights["violence_history"]
    assert (model.rawan, model.sangat_rawan) == (25, 60)
    semare = risk.assess(DEMO, model)["35.14.16.2021-01"]
    assert semare.score >= 30 and semare.category == Category.RAWAN


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"weights": {"violance_history": 3}}, "did you mean 'violence_history'"),
        ({"weights": {"coastal": "tinggi"}}, "must be a number"),
        ({"thresholds": {"RAWAN": 50, "SANGAT_RAWAN": 40}}, "thresholds must be 0 < RAWAN"),
    ],
)
def test_it_refuses_a_bad_weights_file_naming_what_to_fix(tmp_path, data, words):
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data))
    with pytest.raises(risk.WeightsError) as caught:
        risk.load_model(path)
    assert words in caught.value.message("en")


# ---------------------------------------------------------------- the command line and the operation sheet


def test_it_prints_every_demo_tps_with_a_category_and_reasons(tmp_path):
    from typer.testing import CliRunner

    from siaga.cli import app

    write_scenario(DEMO, tmp_path / "demo.xlsx")
    runner = CliRunner()
    shown = runner.invoke(app, ["risk", str(tmp_path / "demo.xlsx")], env={"COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    for t in DEMO.tps:
        assert t.id in shown.output
    assert "Riwayat kerusuhan atau Pilkades gagal/diulang: +25" in shown.output
    assert "Penetapan kategori manual" in shown.output and "Info intelijen" in shown.output
    data = json.loads(runner.invoke(app, ["risk", str(tmp_path / "demo.xlsx"), "--json"]).stdout)
    assert set(data) == {t.id for t in DEMO.tps}
    for item in data.values():
        assert {"score", "category", "source", "contributions"} <= set(item)
        assert item["source"] in ("model", "override")
        assert all(set(c) == {"indicator", "value", "points"} for c in item["contributions"])
        assert math.isclose(sum(c["points"] for c in item["contributions"]), item["score"], abs_tol=1e-6)
    desa = runner.invoke(app, ["risk", str(tmp_path / "demo.xlsx"), "--desa", "35.14.20.2004"])
    assert "Plososari" in desa.output and "SANGAT_RAWAN" in desa.output


def test_it_takes_weights_and_thresholds_from_the_operation_sheet(tmp_path):
    op = dataclasses.replace(DEMO.operation, weights={"coastal": 30.0}, threshold_rawan=25.0)
    scenario = dataclasses.replace(DEMO, operation=op)
    write_scenario(scenario, tmp_path / "s.xlsx")
    loaded = read_scenario(tmp_path / "s.xlsx")
    assert loaded.operation.weights == {"coastal": 30.0} and loaded.operation.threshold_rawan == 25.0
    semare = risk.assess(loaded)["35.14.16.2021-01"]
    assert semare.score >= 30 and semare.category == Category.RAWAN


@pytest.mark.parametrize(
    ("text", "code"),
    [("violance_history=3", "bad_weights"), ("coastal=tinggi", "bad_weights"), ("coastal", "bad_weights")],
)
def test_it_refuses_operation_weights_it_cannot_read(tmp_path, text, code):
    write_scenario(DEMO, tmp_path / "s")
    operation = tmp_path / "s" / "operation.csv"
    lines = [
        f'weights,"{text}"' if line.startswith("weights,") else line for line in operation.read_text().splitlines()
    ]
    operation.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError) as caught:
        read_scenario(tmp_path / "s")
    [problem] = caught.value.problems
    assert problem.code == code and problem.sheet == "operation"
