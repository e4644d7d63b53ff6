"""`siaga plan`, `siaga replan` and `siaga check` as a user runs them: a plan the independent
checker refuses is never written where it was asked for (docs/scenario.md section 2.8)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from plan_helpers import person_id, tiny_scenario, twin_kabupaten
from typer.testing import CliRunner

from siaga import cli
from siaga.core.data.model import Category, Force, Plan, Scenario
from siaga.core.data.planfile import read_plan
from siaga.core.data.scenario import write_scenario

runner = CliRunner()
KR, R, SR = Category.KURANG_RAWAN, Category.RAWAN, Category.SANGAT_RAWAN
P01 = person_id(1, Force.POLRI)  # the Polsek member


def siaga(*args: object):  # type: ignore[no-untyped-def]
    return runner.invoke(cli.app, [str(a) for a in args])


def border_scenario() -> Scenario:
    """Two kabupaten 5.6 km apart (a reserve team reaches 15 km of road): Polres A has two
    Brimob (two teams of one) near the border, Polres B none, so A's teams reach B's TPS."""
    one = tiny_scenario(
        [(0, SR, 0.0, 0.0), (0, KR, 0.002, 0.0), (1, R, 0.0, 0.0)],
        [("POLRES", True), ("POLSEK-0", True), ("KODIM", True), ("LINMAS-0", True)] + [("BRIMOB", True)] * 2,
        desa=[(0, 0.0, 0.0), (1, 0.0, 0.0)],
        reserve_team_size=1,
    )
    both = twin_kabupaten(one, north_deg=0.05)
    return replace(both, personnel=tuple(p for p in both.personnel if p.unit_code != "BRIMOB-B"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("border") / "skenario"
    write_scenario(border_scenario(), path)
    return path


def broken(plan: Plan) -> Plan:
    """The plan with one assignment's travel cost misstated (the checker's `cost` rule)."""
    first = plan.assignments[0]
    return replace(plan, assignments=(replace(first, cost_km=first.cost_km + 5.0), *plan.assignments[1:]))


def test_it_plans_two_polres_at_a_border_into_a_plan_the_checker_accepts(folder: Path, tmp_path: Path):
    out = tmp_path / "rencana.json"
    result = siaga("plan", folder, "--out", out, "--workers", 1)
    assert result.exit_code == 0, result.output
    assert "rencana sah" in result.output and out.exists()
    assert not (tmp_path / "rencana.invalid.json").exists()
    plan = read_plan(out)
    assert plan.extra["polres"] == 2 and sum(p.kind == "RESERVE" for p in plan.posts) == 2
    assert plan.summary["reserve_covered_weight"] < plan.summary["reserve_total_weight"]  # B's TPS: nobody's
    assert siaga("check", folder, out).exit_code == 0


def test_it_exits_1_and_writes_only_an_invalid_file_when_the_plan_fails_the_checker(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    planner = cli.engine_module.plan_all
    monkeypatch.setattr(cli.engine_module, "plan_all", lambda *a, **k: broken(planner(*a, **k)))
    out = tmp_path / "rencana.json"
    result = siaga("plan", folder, "--out", out, "--workers", 1)
    assert result.exit_code == 1
    assert not out.exists()
    rejected = tmp_path / "rencana.invalid.json"
    assert f"Rencana TIDAK ditulis ke {out}" in result.output and str(rejected) in result.output
    assert f"Jarak tempuh: {P01} di " in result.output  # the rule by its name
    violations = json.loads(rejected.read_text(encoding="utf-8"))["violations"]
    assert violations[0].startswith(f"[cost] {P01} di ")  # and the summary's cost, which it changes
    records = json.loads(rejected.read_text(encoding="utf-8"))["violation_messages"]
    assert [r["rule"] for r in records] == [v[1 : v.index("]")] for v in violations]
    assert records[0]["msgid"] == "%(person)s di %(post)s: biaya %(cost)s km, seharusnya %(expected)s km"
    check = siaga("check", folder, rejected)
    assert check.exit_code == 1 and f"{len(violations)} pelanggaran" in check.output


def test_it_leaves_a_file_already_at_the_out_path_as_it_was(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "plan"  # a name without .json
    out.write_text("rencana lama", encoding="utf-8")
    planner = cli.engine_module.plan_all
    monkeypatch.setattr(cli.engine_module, "plan_all", lambda *a, **k: broken(planner(*a, **k)))
    result = siaga("plan", folder, "--out", out, "--workers", 1, "--lang", "en")
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "rencana lama"
    assert (tmp_path / "plan.invalid.json").exists()
    assert f"Plan NOT written to {out}" in result.output
    assert f"Travel distance: {P01} at " in result.output and "biaya" not in result.output  # in English too


def test_it_exits_1_without_writing_a_replan_that_fails_the_checker(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    first = tmp_path / "v1.json"
    assert siaga("plan", folder, "--out", first, "--workers", 1).exit_code == 0
    absent = tmp_path / "tidak-hadir.txt"
    absent.write_text(read_plan(first).assignments[0].person + "\n", encoding="utf-8")
    good = tmp_path / "v2.json"
    result = siaga("replan", folder, "--from", first, "--out", good, "--absent", absent)
    assert result.exit_code == 0, result.output
    assert siaga("check", folder, good).exit_code == 0

    replanner = cli.engine_module.replan_all
    monkeypatch.setattr(cli.engine_module, "replan_all", lambda *a, **k: broken(replanner(*a, **k)))
    bad = tmp_path / "v3.json"
    result = siaga("replan", folder, "--from", first, "--out", bad, "--absent", absent)
    assert result.exit_code == 1
    assert not bad.exists() and (tmp_path / "v3.invalid.json").exists()
    assert "TIDAK ditulis" in result.output


def test_it_exits_1_when_checking_a_plan_file_someone_broke(folder: Path, tmp_path: Path):
    out = tmp_path / "rencana.json"
    assert siaga("plan", folder, "--out", out, "--workers", 1).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    data["summary"]["reserve_covered_weight"] = data["summary"]["reserve_total_weight"]  # any team counted
    out.write_text(json.dumps(data), encoding="utf-8")
    result = siaga("check", folder, out)
    assert result.exit_code == 1
    assert "Ringkasan rencana: summary.reserve_covered_weight" in result.output
