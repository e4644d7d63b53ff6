"""TNI and Linmas in their real roles, patrol posts, reinforcement and the strength advice
(issue 11, items 5, 6 and 8; docs/scenario.md 2.10-2.11)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from siaga.core.check import check_plan
from siaga.core.data import demo, geo
from siaga.core.data.model import Assignment, Category, Force, Person, Plan, Scenario, Unit, UnitKind
from siaga.core.data.patterns import PRESETS, TNI_AT_TPS, TNI_STANDBY
from siaga.core.planning import engine
from siaga.core.planning import plan as planner
from tests.test_jurisdiction import pasuruan_two_polres

STANDBY_PRESETS = [name for name, p in PRESETS.items() if p.election in ("PEMILU", "PILKADA")]


def with_pattern(scenario: Scenario, pattern: str, **settings: object) -> Scenario:
    return replace(scenario, operation=replace(scenario.operation, pattern=pattern, **settings))


@pytest.fixture(scope="module")
def paskot() -> Scenario:
    return demo.pasuruan_kota()


def rules(violations: list) -> set[str]:
    return {v.rule for v in violations}


# ---------------------------------------------------------------- TNI on standby


def test_every_pemilu_and_pilkada_preset_keeps_the_tni_on_standby() -> None:
    assert STANDBY_PRESETS and all(PRESETS[name].tni == TNI_STANDBY for name in STANDBY_PRESETS)
    assert {p.tni for p in PRESETS.values() if p.election == "PILKADES"} == {TNI_AT_TPS}


@pytest.mark.parametrize("pattern", STANDBY_PRESETS)
def test_a_pemilu_or_pilkada_plan_puts_no_tni_at_a_tps_post(paskot: Scenario, pattern: str) -> None:
    scenario = with_pattern(paskot, pattern)
    plan = planner.plan(scenario)
    assert check_plan(scenario, plan) == []
    kind = {p.id: p.kind for p in plan.posts}
    tni = [a for a in plan.assignments if a.slot == "TNI"]
    assert tni and not [a for a in tni if kind[a.post] == "TPS"]
    standby = [p for p in plan.posts if p.kind == "STANDBY"]
    kecamatan = {r.parent_code for r in paskot.regions if r.code in {t.desa_code for t in paskot.tps}}
    assert {p.kecamatan_code for p in standby} == kecamatan  # one per kecamatan with TPS
    # every soldier not at a balai desa guard waits in a standby group
    soldiers = sum(1 for p in paskot.personnel if p.force == Force.TNI and p.available and not p.position)
    at_villages = sum(1 for a in tni if kind[a.post] == "VILLAGE")
    assert sum(p.required["TNI"] for p in standby) == soldiers - at_villages


def test_the_standby_post_stands_at_the_kecamatan_koramil(paskot: Scenario) -> None:
    scenario = with_pattern(paskot, "pemilu-2024")
    plan = planner.plan(scenario)
    koramil = {u.kecamatan_code: (u.lat, u.lon) for u in paskot.units if u.kind == UnitKind.KORAMIL}
    for post in (p for p in plan.posts if p.kind == "STANDBY"):
        assert (post.lat, post.lon) == koramil[post.kecamatan_code]


def test_a_set_standby_size_gives_each_kecamatan_that_many(paskot: Scenario) -> None:
    scenario = with_pattern(paskot, "pilkada-2015", tni_standby_size=4)
    plan = planner.plan(scenario)
    assert check_plan(scenario, plan) == []
    assert {p.required["TNI"] for p in plan.posts if p.kind == "STANDBY"} == {4}


def test_a_pilkades_pattern_that_places_tni_at_the_tps_still_does(paskot: Scenario) -> None:
    scenario = with_pattern(paskot, "pilkades-demak-2022")
    plan = planner.plan(scenario)
    assert check_plan(scenario, plan) == []
    assert not [p for p in plan.posts if p.kind == "STANDBY"]
    assert any(a.slot == "TNI" and a.post.startswith("TPS-") for a in plan.assignments)


def test_the_checker_refuses_a_soldier_at_a_tps_under_a_standby_pattern(paskot: Scenario) -> None:
    scenario = with_pattern(paskot, "pemilu-2024")
    plan = planner.plan(scenario)
    soldier = next(a for a in plan.assignments if a.slot == "TNI" and a.post.startswith("STANDBY-"))
    tps_post = next(p for p in plan.posts if p.kind == "TPS")
    moved = [a if a is not soldier else Assignment(a.person, tps_post.id, "TNI", a.cost_km) for a in plan.assignments]
    assert "tni_standby" in rules(check_plan(scenario, replace(plan, assignments=tuple(moved))))


def test_the_checker_refuses_a_standby_post_of_the_wrong_size_or_under_a_tps_pattern(paskot: Scenario) -> None:
    scenario = with_pattern(paskot, "pemilu-2024")
    plan = planner.plan(scenario)
    post = next(p for p in plan.posts if p.kind == "STANDBY")
    bigger = replace(post, required={"TNI": post.required["TNI"] + 1})
    wrong = replace(plan, posts=tuple(bigger if p is post else p for p in plan.posts))
    found = [v for v in check_plan(scenario, wrong) if v.rule == "tni_standby"]
    assert found and post.id in found[0].message
    # the same plan under a pattern that puts the TNI at the TPS: no standby post may exist
    pilkades = with_pattern(paskot, "pilkades-paskot-2022")
    assert any("bukan siaga" in v.message for v in check_plan(pilkades, plan) if v.rule == "tni_standby")


def test_two_polres_each_form_their_own_standby_posts() -> None:
    base = pasuruan_two_polres()
    units, people = list(base.units), list(base.personnel)
    for u in base.units:
        if u.kind == UnitKind.POLSEK:
            koramil = Unit(
                f"KORAMIL-{u.kecamatan_code}", f"Koramil {u.name}", UnitKind.KORAMIL, u.kecamatan_code, u.lat, u.lon
            )
            units.append(koramil)
            people += [
                Person(f"T-{u.kecamatan_code}-{i}", "Serda", "SERDA", koramil.code, Force.TNI) for i in (1, 2, 3)
            ]
    scenario = with_pattern(replace(base, units=tuple(units), personnel=tuple(people)), "pemilu-2024")
    plan = engine.plan_all(scenario, engine="local", workers=1)
    assert check_plan(scenario, plan) == []
    standby = [p for p in plan.posts if p.kind == "STANDBY"]
    assert len(standby) == len({t.desa_code[:8] for t in scenario.tps})
    # 3 soldiers per Koramil, shared inside each Polres: no soldier crosses to the other Polres
    polres_of_kecamatan = {u.kecamatan_code: u.parent_code for u in base.units if u.kind == UnitKind.POLSEK}
    post_of = {p.id: p for p in standby}
    for a in plan.assignments:
        if a.slot == "TNI":
            home = a.person.split("-", 1)[1].rsplit("-", 1)[0]
            assert polres_of_kecamatan[home] == polres_of_kecamatan[post_of[a.post].kecamatan_code]


# ---------------------------------------------------------------- the Linmas of the PPS decree


def _roster(scenario: Scenario, short: set[str]) -> Scenario:
    """Two Linmas of each TPS's desa named to it by decree; one only for the TPS in `short`."""
    free: dict[str, list[Person]] = {}
    for p in scenario.personnel:
        if p.force == Force.LINMAS:
            free.setdefault(p.desa_code, []).append(p)
    named: dict[str, str] = {}
    for t in scenario.tps:
        for p in free.get(t.desa_code, [])[: 1 if t.id in short else 2]:
            named[p.id] = t.id
            free[t.desa_code].remove(p)
    people = tuple(replace(p, tps_id=named[p.id]) if p.id in named else p for p in scenario.personnel)
    return replace(scenario, personnel=people)


def test_a_pps_roster_is_kept_as_decreed_and_its_gaps_go_to_the_kpu_not_the_shortfall(paskot: Scenario) -> None:
    short = {paskot.tps[0].id, paskot.tps[40].id}
    scenario = _roster(with_pattern(paskot, "pemilu-2024"), short)
    plan = planner.plan(scenario)
    assert check_plan(scenario, plan) == []
    post_of = {p.id: p for p in plan.posts}
    person = {p.id: p for p in scenario.personnel}
    linmas = [a for a in plan.assignments if a.slot == "LINMAS"]
    assert linmas and all(person[a.person].tps_id in post_of[a.post].tps for a in linmas)
    # the Linmas no decree names are not optimised onto a TPS
    assert not [a for a in linmas if not person[a.person].tps_id]
    gaps = plan.extra["linmas_coordination"]
    assert {t for g in gaps for t in g["tps"]} >= short
    assert all(g["named"] < g["needed"] for g in gaps)
    assert "LINMAS" not in plan.extra["shortfall"]["unfilled_by_force"]


def test_without_a_decree_the_linmas_are_optimised_within_their_desa(paskot: Scenario) -> None:
    plan = planner.plan(with_pattern(paskot, "pemilu-2024"))
    assert "linmas_coordination" not in plan.extra
    assert any(a.slot == "LINMAS" for a in plan.assignments)


def test_the_checker_refuses_a_linmas_the_decree_does_not_name(paskot: Scenario) -> None:
    scenario = _roster(with_pattern(paskot, "pemilu-2024"), set())
    plan = planner.plan(scenario)
    person = {p.id: p for p in scenario.personnel}
    unnamed = {p.desa_code: p for p in scenario.personnel if p.force == Force.LINMAS and not p.tps_id}
    named = next(a for a in plan.assignments if a.slot == "LINMAS" and person[a.person].desa_code in unnamed)
    stranger = unnamed[person[named.person].desa_code]
    swapped = [Assignment(stranger.id, a.post, a.slot, a.cost_km) if a is named else a for a in plan.assignments]
    found = [
        v.message for v in check_plan(scenario, replace(plan, assignments=tuple(swapped))) if v.rule == "linmas_roster"
    ]
    assert found == [f"Linmas {stranger.id} berjaga di {named.post} tetapi tidak disebut SK PPS mana pun"]


def test_under_a_pilkades_pattern_the_decree_is_a_pin_and_the_rest_are_optimised(paskot: Scenario) -> None:
    scenario = _roster(paskot, set())
    plan = planner.plan(scenario)
    assert check_plan(scenario, plan) == []
    assert "linmas_coordination" not in plan.extra


# ---------------------------------------------------------------- patrol posts


def test_a_patrol_row_groups_dispersed_tps_within_the_patrol_radius(paskot: Scenario) -> None:
    scenario = with_pattern(paskot, "pemilu-2024-jakbar")
    plan = planner.plan(scenario)
    assert check_plan(scenario, plan) == []
    tps = {t.id: t for t in paskot.tps}
    patrols = [p for p in plan.posts if p.id.startswith("PATROL-")]
    assert patrols and all(p.category == Category.KURANG_RAWAN for p in patrols)
    far = max(geo.haversine_km(p.lat, p.lon, tps[t].lat, tps[t].lon) for p in patrols for t in p.tps)
    assert 1.0 < far <= scenario.operation.patrol_radius_km  # beyond the 1 km of a standing post
    # fewer, bigger posts than the 2-per-8 pattern forms for the same kurang rawan TPS
    eight = planner.plan(with_pattern(paskot, "pemilu-2024"))
    assert len(patrols) < sum(1 for p in eight.posts if p.kind == "TPS" and p.category == Category.KURANG_RAWAN)
    # the checker holds a patrol post to the patrol radius, not to the standing post's
    tight = with_pattern(paskot, "pemilu-2024-jakbar", patrol_radius_km=1.0)
    assert "post_radius" in rules(check_plan(tight, plan))


def test_a_replan_keeps_patrol_posts_patrol_posts(paskot: Scenario) -> None:
    scenario = with_pattern(paskot, "pemilu-2024-jakbar")
    plan = planner.plan(scenario)
    patrol = next(p for p in plan.posts if p.id.startswith("PATROL-") and len(p.tps) > 1)
    again = planner.replan(scenario, plan, category_changes={patrol.tps[0]: Category.RAWAN})
    assert check_plan(planner.with_replan_inputs(scenario, set(), {patrol.tps[0]: Category.RAWAN}), again) == []
    assert all(
        p.id.startswith("PATROL-") for p in again.posts if p.kind == "TPS" and p.category == Category.KURANG_RAWAN
    )


# ---------------------------------------------------------------- strength advice and reinforcement


def test_the_demo_plan_says_its_uniform_pattern_leaves_polri_idle(paskot: Scenario) -> None:
    plan = planner.plan(paskot)
    advice = plan.extra["strength"]
    idle = sum(1 for p in paskot.personnel if p.force == Force.POLRI and not p.position) - sum(
        1 for a in plan.assignments if a.slot == "POLRI"
    )
    assert advice["uniform"] and advice["idle"]["POLRI"] == idle > 0
    assert advice["stronger_pattern"] == "pilkades-demak-2022"
    sangat = [p for p in plan.posts if p.kind == "TPS" and p.category in (Category.SANGAT_RAWAN, Category.KHUSUS)]
    assert advice["sangat_rawan_posts"] == len(sangat)
    assert 0 < advice["reinforce_sangat_rawan"] * len(sangat) <= idle
    assert 1 + advice["reinforce_sangat_rawan"] <= 5  # never past Demak's 5 Polri per sangat rawan TPS


def test_accepting_the_advice_reinforces_every_sangat_rawan_post(paskot: Scenario) -> None:
    offer = planner.plan(paskot).extra["strength"]["reinforce_sangat_rawan"]
    scenario = with_pattern(paskot, paskot.operation.pattern, reinforce_sangat_rawan=offer)
    plan = planner.plan(scenario)
    assert check_plan(scenario, plan) == []
    polri = Counter(a.post for a in plan.assignments if a.slot == "POLRI")
    for p in plan.posts:
        if p.kind == "TPS":
            expected = 1 + offer if p.category in (Category.SANGAT_RAWAN, Category.KHUSUS) else 1
            assert p.required["POLRI"] == polri[p.id] == expected
    assert "strength" not in plan.extra  # the categories now differ
    # and the checker holds the plan to the reinforcement
    assert "post_required" in rules(check_plan(paskot, plan))


def test_a_pattern_that_tells_categories_apart_gives_no_advice(paskot: Scenario) -> None:
    assert "strength" not in planner.plan(with_pattern(paskot, "pilkades-demak-2022")).extra


def test_merged_plans_carry_pins_coordination_and_advice() -> None:
    scenario = pasuruan_two_polres()
    person = next(p for p in scenario.personnel if p.force == Force.POLRI)
    pinned = replace(
        scenario,
        personnel=tuple(
            replace(p, pinned_post="STAF", pin_reason="Posko") if p is person else p for p in scenario.personnel
        ),
    )
    plan: Plan = engine.plan_all(pinned, engine="local", workers=1)
    assert check_plan(pinned, plan) == []
    assert [line["person"] for line in plan.extra["pins"]] == [person.id]
    assert plan.extra["strength"]["idle"]["POLRI"] > 0 and plan.extra["polres"] == 2


# ---------------------------------------------------------------- at the command line


def test_siaga_plan_tells_the_planner_the_advice_in_both_languages(paskot: Scenario, tmp_path) -> None:
    from typer.testing import CliRunner

    from siaga.cli import app
    from siaga.core.data.scenario import write_scenario

    write_scenario(paskot, tmp_path / "demo.xlsx")
    advice = planner.plan(paskot).extra["strength"]
    run = CliRunner().invoke(app, ["plan", str(tmp_path / "demo.xlsx"), "--out", str(tmp_path / "p.json")])
    assert run.exit_code == 0, run.output
    assert f"sementara {advice['idle']['POLRI']} Polri tidak ditempatkan di pos pemungutan suara" in run.output
    assert f"tambahan_polri_sangat_rawan = {advice['reinforce_sangat_rawan']}" in run.output
    assert "pilkades-demak-2022" in run.output
    english = ["plan", str(tmp_path / "demo.xlsx"), "--out", str(tmp_path / "e.json"), "--lang", "en"]
    run = CliRunner().invoke(app, english)
    assert f"reinforce_sangat_rawan = {advice['reinforce_sangat_rawan']}" in run.output and "Advice:" in run.output


def test_a_custom_patrol_row_travels_in_the_workbook_under_both_names(paskot: Scenario, tmp_path) -> None:
    from siaga.core.data.model import PatternRow
    from siaga.core.data.scenario import read_scenario, write_scenario

    rows = tuple(
        PatternRow(c, 12 if c == Category.KURANG_RAWAN else 1, 2, 0, 2, c == Category.KURANG_RAWAN) for c in Category
    )
    custom = replace(with_pattern(paskot, "custom"), patterns=rows)
    for name, lang in (("id.xlsx", "id"), ("en", "en")):
        write_scenario(custom, tmp_path / name, lang=lang)
        back = read_scenario(tmp_path / name)
        assert back.patterns == rows
    plan = planner.plan(back)
    assert check_plan(back, plan) == [] and any(p.id.startswith("PATROL-") for p in plan.posts)


def test_the_body_system_warning_leaves_out_the_categories_the_reinforcement_pairs(paskot: Scenario) -> None:
    before = " ".join(planner.plan(paskot).extra["warnings"])
    after = " ".join(
        planner.plan(with_pattern(paskot, paskot.operation.pattern, reinforce_sangat_rawan=1)).extra["warnings"]
    )
    assert "Sangat rawan" in before and "Khusus" in before  # the categories in words
    assert "Sangat rawan" not in after and "Khusus" not in after and "Kurang rawan" in after


def test_a_hand_edit_keeps_a_decree_linmas_at_the_tps_the_decree_names(paskot: Scenario) -> None:
    scenario = _roster(with_pattern(paskot, "pemilu-2024"), set())
    plan = planner.plan(scenario)
    person = {p.id: p for p in scenario.personnel}
    named = next(a for a in plan.assignments if a.slot == "LINMAS")
    desa = person[named.person].desa_code
    other = next(
        p for p in plan.posts if p.kind == "TPS" and p.desa_code == desa and person[named.person].tps_id not in p.tps
    )
    with pytest.raises(planner.EditError, match="SK PPS"):
        planner.reassign(scenario, plan, named.person, other.id, "LINMAS")
    idle = planner.reassign(scenario, plan, named.person, None, None)  # taken off: the gap is the KPU's
    assert "LINMAS" not in idle.extra["shortfall"]["unfilled_by_force"]
    assert any(named.post == g["post"] for g in idle.extra["linmas_coordination"])
