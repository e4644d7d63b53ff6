"""Why places on the vote's posts stay empty (vacancy.explain_vote): every person of the force
counted once, by what keeps him off (on another post, of another desa, absent in the data or
taken as absent by the re-plan, not among those the apel gathered, in command); a Linmas's
places by desa. The plan page says so above its shortfall tables (loaded after the page), a
Kapolsek reading only his kecamatan's, and `siaga plan` prints it."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from siaga import cli
from siaga.core.data import demo, positions
from siaga.core.data.model import Force, Scenario
from siaga.core.data.scenario import write_scenario
from siaga.core.planning import vacancy
from siaga.core.planning.plan import plan, replan
from siaga.operations.services import import_scenario, scenario_for
from siaga.plans.services import save_plan
from tests.web.conftest import SECTOR, client_for

AWAY = 150  # Polri of the Pilkades demo made unavailable: fewer than its posts need


def short_of_polri() -> Scenario:
    scenario = demo.pasuruan_kota()
    polri = [p.id for p in scenario.personnel if p.force == Force.POLRI and not positions.is_command(p.position)]
    away = set(polri[:AWAY])
    people = tuple(replace(p, available=False) if p.id in away else p for p in scenario.personnel)
    return replace(scenario, personnel=people)


def counts(g: vacancy.EmptyPlaces) -> dict[str, int]:
    return {c.kind: c.count for c in g.causes}


@pytest.fixture(scope="module")
def short() -> tuple[Scenario, Any]:
    scenario = short_of_polri()
    return scenario, plan(scenario)


def test_it_counts_every_polri_once_by_what_keeps_him_off_the_posts(short):
    scenario, made = short
    groups = [g for g in vacancy.explain_vote(scenario, made) if g.slot == "POLRI"]
    assert len(groups) == 1
    g = groups[0]
    polri = [p for p in scenario.personnel if p.force == Force.POLRI]
    placed = {a.person for a in made.assignments if a.slot == "POLRI"}
    command = [p for p in polri if positions.is_command(p.position)]
    assert g.count == sum(u.count for u in made.unfilled if u.slot == "POLRI") > 0
    assert g.force == len(polri) == sum(counts(g).values())
    assert counts(g) == {vacancy.ON_POST: len(placed), vacancy.ABSENT: AWAY, vacancy.COMMAND: len(command)}
    why, todo = vacancy.text(g, "id")
    assert why.startswith(f"{g.count} tempat Polri kosong di pos pemungutan suara, ")
    assert f"{AWAY} berhalangan/absen" in why and todo == "Tambah Polri (BKO) dari satuan atas."
    why_en, todo_en = vacancy.text(g, "en")
    assert "Polri places empty on the vote's posts" in why_en and "already placed on other posts" in why_en
    assert todo_en == "Add Polri (BKO) from the higher command."


def test_after_the_apel_those_not_gathered_are_named_and_the_setting_that_calls_them():
    scenario = demo.pasuruan_kota()
    base = plan(scenario)
    absent = sorted(a.person for a in base.assignments if a.slot == "POLRI")[:40]
    only_present = replan(scenario, base, absent, newcomers=False)
    assert only_present.extra["replan"]["newcomers"] is False
    g = next(g for g in vacancy.explain_vote(scenario, only_present) if g.slot == "POLRI")
    idle = [
        p
        for p in scenario.personnel
        if p.force == Force.POLRI
        and p.available
        and not positions.is_command(p.position)
        and p.id not in {a.person for a in base.assignments}
    ]
    assert idle and counts(g)[vacancy.NOT_CALLED] == len(idle)
    assert counts(g)[vacancy.ABSENT] == len(absent)  # the data still has them ready
    assert "susun_ulang_dari_luar_apel = ya" in vacancy.text(g, "id")[1]
    anyone = replan(scenario, base, absent)  # calling in is allowed: the idle fill the places
    assert "newcomers" not in anyone.extra["replan"]
    assert not [g for g in vacancy.explain_vote(scenario, anyone) if g.slot == "POLRI"]


def test_a_desas_linmas_places_are_counted_among_that_desas_linmas():
    scenario = demo.pasuruan_kota()
    desa = next(p.desa_code for p in scenario.personnel if p.force == Force.LINMAS)
    gone = replace(
        scenario,
        personnel=tuple(
            replace(p, available=False) if p.force == Force.LINMAS and p.desa_code == desa else p
            for p in scenario.personnel
        ),
    )
    made = plan(gone)
    groups = [g for g in vacancy.explain_vote(gone, made) if g.slot == "LINMAS"]
    assert len(groups) == 1 and {d.desa_code for d in groups[0].duties} == {desa}
    linmas = [p for p in gone.personnel if p.force == Force.LINMAS]
    mine = [p for p in linmas if p.desa_code == desa]
    assert counts(groups[0]) == {vacancy.HOME: len(linmas) - len(mine), vacancy.ABSENT: len(mine)}
    assert vacancy.text(groups[0], "id")[1] == "Minta Linmas tambahan dari desa ini melalui PPS atau kepala desa."


def why_list(page: str) -> list[str]:
    found = re.search(r'<ul id="vote-short-why">(.*?)</ul>', page, re.S)
    assert found, "no reasons listed"
    return [html_lib.unescape(re.sub(r"<[^>]+>", " ", li)) for li in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1))]


def test_the_plan_page_says_why_to_the_planner_and_to_the_kapolsek(db):
    operation = import_scenario(short_of_polri(), "pendek.xlsx")
    scenario = scenario_for(operation)
    made = plan(scenario)
    saved = save_plan(operation, made, scenario, get_user_model().objects.get(username="planner"))
    page = client_for("planner").get(f"/plans/{saved.pk}/").content.decode()
    url = f"/plans/{saved.pk}/empty-why/?which=vote"
    assert f'hx-get="{url}"' in page
    planner = why_list(client_for("planner").get(url).content.decode())
    total = sum(u.count for u in made.unfilled if u.slot == "POLRI")
    assert any(line.startswith(f"{total} tempat Polri kosong di pos pemungutan suara") for line in planner)
    mine = sum(
        u.count
        for u in made.unfilled
        if u.slot == "POLRI" and next(p for p in made.posts if p.id == u.post).kecamatan_code == SECTOR
    )
    assert 0 < mine < total
    lines = why_list(client_for("sector").get(url).content.decode())
    assert lines[0].startswith(f"{mine} tempat Polri kosong di pos pemungutan suara")


def test_siaga_plan_prints_why_the_posts_stay_empty(tmp_path: Path):
    book = tmp_path / "pendek.xlsx"
    write_scenario(short_of_polri(), book)
    result = CliRunner().invoke(cli.app, ["plan", str(book), "--out", str(tmp_path / "p.json"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "tempat Polri kosong di pos pemungutan suara" in text
    assert f"{AWAY} berhalangan/absen" in text and "Tambah Polri (BKO) dari satuan atas." in text


def test_the_plan_page_says_the_vote_is_optimal_among_those_at_the_apel_only(db):
    """A re-plan after the apel that took only those present leaves places empty that others
    could fill: "optimal" is said of those present."""
    scenario = demo.pasuruan_kota()
    operation = import_scenario(scenario, "demo.xlsx")
    scenario = scenario_for(operation)
    base = plan(scenario)
    absent = sorted(a.person for a in base.assignments if a.slot == "POLRI")[:40]
    planner = get_user_model().objects.get(username="planner")
    only_present = save_plan(operation, replan(scenario, base, absent, newcomers=False), scenario, planner)
    anyone = save_plan(operation, replan(scenario, base, absent), scenario, planner)
    said = client_for("planner").get(f"/plans/{only_present.pk}/").content.decode()
    assert '<span id="optimal-among">di antara yang hadir di apel</span>' in said
    assert 'id="optimal-among"' not in client_for("planner").get(f"/plans/{anyone.pk}/").content.decode()
