"""Why the roster's places stay empty (siaga/core/planning/vacancy.py): on the Pemilu demo the
PPK recapitulation's ring 2 wants TNI on 15 Feb while every TNI who may hold a post is on the
vote's posts until the count ends (12.00) and then rests 8 hours and travels. The plan page
says so, counted, with what the planner can do; a Kapolsek reads only his kecamatan's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_lib
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from siaga.core.data import demo, positions
from siaga.core.data import duties as duty_data
from siaga.core.data.model import Force
from siaga.core.planning import roster as duty_roster
from siaga.core.planning import vacancy
from siaga.core.planning.engine import plan_all
from siaga.operations.services import import_scenario, scenario_for
from siaga.plans.services import save_plan
from tests.web.conftest import SECTOR, client_for

RECAP_DAY = dt.datetime(2024, 2, 15, 8)
NIGHT = dt.datetime(2024, 2, 15, 20)


@pytest.fixture(scope="module")
def pemilu() -> tuple[Any, Any, duty_roster.Roster]:
    scenario = demo.pasuruan_kota_pemilu()
    plan = plan_all(scenario)
    r = duty_roster.of_plan(plan)
    assert r is not None
    return scenario, plan, r


def tni_group(groups: list[vacancy.EmptyPlaces], start: dt.datetime) -> vacancy.EmptyPlaces:
    found = [g for g in groups if g.slot == "TNI" and g.start == start]
    assert len(found) == 1, [(g.slot, g.start) for g in groups]
    return found[0]


def counts(g: vacancy.EmptyPlaces) -> dict[str, int]:
    return {c.kind: c.count for c in g.causes}


def test_it_counts_every_tni_once_by_what_keeps_him_off_the_recapitulation(pemilu):
    scenario, plan, r = pemilu
    g = tni_group(vacancy.explain(scenario, plan, r), RECAP_DAY)
    tni = [p for p in scenario.personnel if p.force == Force.TNI]
    at_vote = {a.person for a in plan.assignments} & {p.id for p in tni}
    command = [p for p in tni if positions.is_command(p.position)]
    by_id = {d.id: d for d in r.duties}
    assert g.count == sum(u.count for u in r.unfilled if u.slot == "TNI" and by_id[u.post].start == RECAP_DAY)
    assert g.force == len(tni) == sum(counts(g).values())
    assert counts(g) == {vacancy.VOTE: len(at_vote), vacancy.COMMAND: len(command)}
    assert g.main is not None and g.main.kind == vacancy.VOTE and g.main.until == r.vote_end
    # the earliest start: the vote's end, the rest and the road, on the hour
    assert g.earliest is not None and r.vote_end + dt.timedelta(hours=r.settings["min_rest_hours"]) < g.earliest


def test_it_says_the_tni_rest_when_the_night_shift_starts_before_rest_and_road_end(pemilu):
    scenario, plan, r = pemilu
    g = tni_group(vacancy.explain(scenario, plan, r), NIGHT)
    assert g.main is not None and g.main.kind == vacancy.VOTE_REST
    why, todo = vacancy.text(g)
    assert "92 beristirahat setelah pos pemungutan suara selesai 15 Feb 12.00 (istirahat 8 jam dan perjalanan)" in why
    assert why.startswith("14 tempat TNI kosong 15 Feb 20.00-08.00 pada 7 tugas (")
    assert todo == "Tambah TNI (BKO) atau geser awal tugas ini ke 15 Feb 21.00 atau sesudahnya."


@pytest.mark.parametrize(
    ("start", "settings", "main", "todo"),
    [
        (RECAP_DAY, {}, vacancy.COMMAND, "Susun ulang rencana."),  # nobody on the vote: all free but the command
        (RECAP_DAY, {"max_total_hours": 1.0}, vacancy.HOURS, "naikkan batas jam tugas operasi (sekarang 1 jam)"),
        (RECAP_DAY, {"max_duty_hours": 6.0}, vacancy.LONG, "Pecah tugas ini menjadi giliran paling lama 6 jam"),
        (NIGHT, {}, vacancy.DUTY_REST, "Susun ulang rencana."),  # the 16 Feb day shift's holders rest before it
    ],
)
def test_it_names_the_rule_that_keeps_them_off(pemilu, start, settings, main, todo):
    scenario, plan, r = pemilu
    no_vote = dataclasses.replace(plan, assignments=())
    limits = dataclasses.replace(r, settings={**r.settings, **settings})
    g = tni_group(vacancy.explain(scenario, no_vote, limits), start)
    assert vacancy.VOTE not in counts(g) and vacancy.VOTE_REST not in counts(g)
    assert (g.main.kind if g.main else None) == main
    assert todo in vacancy.text(g)[1]
    assert sum(counts(g).values()) == g.force


def test_it_speaks_english_too(pemilu):
    scenario, plan, r = pemilu
    why, todo = vacancy.text(tni_group(vacancy.explain(scenario, plan, r), RECAP_DAY), "en")
    assert why.startswith("14 TNI places empty 15 Feb 08.00-20.00 at 7 duties (")
    assert "of 100 TNI, 92 are still on the vote's posts until the count ends, 15 Feb 12.00" in why
    assert todo == "Add TNI (BKO) or move the start of this duty to 15 Feb 21.00 or later."


def test_a_kapolsek_reads_only_his_kecamatan(pemilu):
    scenario, plan, r = pemilu
    groups = vacancy.explain(scenario, plan, r, [SECTOR])
    assert [g.count for g in groups] == [2, 2]
    assert {d.kecamatan_code for g in groups for d in g.duties} == {SECTOR}


def why_list(page: str) -> list[str]:
    found = re.search(r'<ul id="duty-short-why">(.*?)</ul>', page, re.S)
    assert found, "no reasons listed"
    return [html_lib.unescape(re.sub(r"<[^>]+>", " ", li)) for li in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1))]


def test_the_plan_page_says_why_to_the_planner_and_to_the_kapolsek(db):
    operation = import_scenario(demo.pasuruan_kota_pemilu(), "pemilu.xlsx")
    scenario = scenario_for(operation)
    plan = save_plan(operation, plan_all(scenario), scenario, get_user_model().objects.get(username="planner"))
    page = client_for("planner").get(f"/plans/{plan.pk}/").content.decode()
    url = f"/plans/{plan.pk}/empty-why/"
    assert f'hx-get="{url}"' in page  # the page loads the reasons after itself

    planner = why_list(client_for("planner").get(url).content.decode())
    assert len(planner) == 2
    assert "14 tempat TNI kosong 15 Feb 08.00-20.00 pada 7 tugas" in planner[0]
    assert (
        "dari 100 TNI, 92 masih bertugas di pos pemungutan suara sampai penghitungan selesai 15 Feb 12.00"
        in (planner[0])
    )
    assert "8 jabatan komando/staf, tidak diturunkan ke pos" in planner[0]
    assert "Tambah TNI (BKO) atau geser awal tugas ini ke 15 Feb 21.00 atau sesudahnya." in planner[0]

    sector = why_list(client_for("sector").get(url).content.decode())
    assert len(sector) == 2
    assert all("2 tempat TNI kosong" in line and "PPK Pohjentrek" in line for line in sector)
    assert not any("Grati" in line for line in sector)

    english = client_for("sector")
    assert english.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    lines = why_list(english.get(url).content.decode())
    assert "2 TNI places empty 15 Feb 08.00-20.00 at PPK Pohjentrek recapitulation security" in lines[0]
    assert "are still on the vote's posts until the count ends" in lines[0]


def test_it_counts_as_resting_those_whose_next_shift_starts_too_soon(pemilu):
    """Without the vote, the night shift of 15 Feb (to 08.00) is kept only from those who hold
    the 16 Feb day shift (from 08.00: no rest between); the others are free."""
    scenario, plan, r = pemilu
    g = tni_group(vacancy.explain(scenario, dataclasses.replace(plan, assignments=()), r), NIGHT)
    start = {d.id: d.start for d in r.duties}
    next_day = {a.person for a in r.assignments if a.slot == "TNI" and start[a.post] == NIGHT + dt.timedelta(hours=12)}
    assert next_day and counts(g)[vacancy.DUTY_REST] == len(next_day)
    assert counts(g)[vacancy.FREE] == g.force - len(next_day) - counts(g)[vacancy.COMMAND]


def test_it_says_they_rest_before_the_vote_when_the_duty_ends_too_close_to_its_start(pemilu):
    """The masa tenang patrol of the evening before the apel pergeseran ends at 00.00; the
    vote's posts start at that apel a few hours later: those on them must rest first, before
    the vote, not "after it ends"."""
    scenario, plan, r = pemilu
    vote_start = duty_data.vote_window(scenario)[0]
    patrols = [d for d in r.duties if d.kind == "PATROLI" and d.shift and d.end <= vote_start]
    evening = max(patrols, key=lambda d: d.end)
    assert evening.end <= vote_start < evening.end + dt.timedelta(hours=scenario.operation.min_rest_hours)
    short = dataclasses.replace(r, unfilled=(duty_roster.Unfilled(evening.id, "POLRI", 2),))
    g = next(g for g in vacancy.explain(scenario, plan, short) if g.slot == "POLRI")
    ahead = next(c for c in g.causes if c.kind == vacancy.VOTE_AHEAD)
    on_vote = {a.person for a in plan.assignments if a.slot == "POLRI"}
    assert 0 < ahead.count <= len(on_vote) and ahead.until == vote_start
    assert vacancy.VOTE_REST not in counts(g)  # the vote ends days later: nobody rests after it
    why, todo = vacancy.text(g, "id")
    assert "sebelum pos pemungutan suara mulai" in why and "setelah pos pemungutan suara selesai" not in why
