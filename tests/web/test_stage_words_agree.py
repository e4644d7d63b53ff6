"""One thing, one time and one name on every page and document. A tester on the Pemilu demo
found the plan page's "Tugas per tahapan" at odds with the dashboard and the Sprin: it gave the
voting stage the window of the TPS posts (from the apel pergeseran on H-1) and the escort stage
the window of its escorts alone, and the Posko called a reserve team by another name and number
than the plan. Now a stage has its own window everywhere (the operation's stages), the vote's
posts go by their own name (`duties.VOTE_POSTS`) from H-1, and a reserve team is named as the
Sprin names it (`ploting.reserve_name`)."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from siaga.core.data import demo
from siaga.core.data.duties import VOTE_POSTS
from siaga.core.data.model import StageKind
from siaga.core.data.stages import window_text
from siaga.core.documents import schedule
from siaga.core.planning.engine import plan_all
from siaga.field.services import units
from siaga.operations.services import import_scenario, operation_stages, scenario_for
from siaga.plans.models import Plan
from siaga.plans.names import post_labels
from siaga.plans.services import save_plan
from tests.web.conftest import publish

VOTE, ESCORT = "Pemungutan dan penghitungan suara", "Pengawalan kotak suara ke PPS dan PPK"


@pytest.fixture
def pemilu(db: Any, settings: Any, tmp_path: Path) -> Plan:
    """The Pemilu demo (voting Wednesday 14 February 2024, apel pergeseran on H-1), planned."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_JOBS_INLINE = True
    operation = import_scenario(demo.pasuruan_kota_pemilu(), "pemilu.xlsx")
    scenario = scenario_for(operation)
    planner = get_user_model().objects.get(username="planner")
    return save_plan(operation, plan_all(scenario), scenario, planner, note="pemilu")


def stage_rows(client: Client, plan: Plan) -> dict[str, str]:
    """The plan page's "Tugas per tahapan": row name -> its window as shown."""
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    table = re.search(r'<table id="duty-stages">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert table, "no stage table"
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        cells = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)
        ]
        rows[cells[0].split(" (")[0]] = cells[1]
    return rows


def test_the_plan_page_gives_each_stage_the_dashboards_window(pemilu, as_planner):
    rows = stage_rows(as_planner, pemilu)
    assert rows[VOTE] == "14 Feb 07.00 - 15 Feb 12.00"  # the voting stage opens on H, not H-1
    assert rows[VOTE_POSTS] == "13 Feb 07.00 - 15 Feb 12.00"  # the posts, from the apel pergeseran
    assert rows[ESCORT] == "14 Feb 13.00 - 15 Feb 18.00 (tugas 15 Feb 12.00-18.00)"  # the stage, then its escorts
    stages = {s.name: s for s in operation_stages(pemilu.operation)[0]}
    for name, shown in rows.items():
        if name != VOTE_POSTS:
            assert shown.startswith(window_text(stages[name].start, stages[name].end)), name
    dashboard = html.unescape(as_planner.get(f"/ops/{pemilu.operation_id}/").content.decode())
    assert "H · Rab 14 Feb 2024 07.00" in dashboard and "H · Rab 14 Feb 2024 13.00" in dashboard
    assert "H-1 · Sel 13 Feb 2024 07.00" in dashboard  # the apel pergeseran, where the posts' duty begins


def test_the_vote_stage_row_holds_the_posko_and_the_posts_row_the_posts(pemilu, as_planner):
    page = as_planner.get(f"/plans/{pemilu.pk}/").content.decode()
    posts = re.search(r'<tr class="vote-stage"><td>(.*?)</td>.*?<td class="num">(\d+)</td>', page, re.S)
    assert posts and posts.group(1).startswith(VOTE_POSTS) and int(posts.group(2)) == pemilu.posts.count()
    assert f"<td>{VOTE} <span" not in page  # the voting stage no longer says it holds the TPS posts


def pdf_text(data: bytes, folder: Path) -> str:
    path = folder / "sprin.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_sprins_lampiran_v_writes_the_same_windows_and_names_the_posts(pemilu, as_commander, tmp_path):
    publish(pemilu)
    response = as_commander.get(f"/plans/{pemilu.pk}/orders/sprin.pdf")
    assert response.status_code == 200, response
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    annex = " ".join(text[text.index("RENCANA WAKTU PENGAMANAN PER TAHAP") :].split())
    election = pemilu.operation.election_date
    for n, stage in enumerate(operation_stages(pemilu.operation)[0], start=1):
        assert f"Tahap {n}: {stage.name}, {schedule.window(election, stage.start, stage.end, year=True)}" in annex
    assert f"Tahap 6: {VOTE}, H Rab 14/02/2024 07.00 s.d. H+1 Kam 15/02/2024 12.00" in annex
    assert f"Tahap 7: {ESCORT}, H Rab 14/02/2024 13.00 s.d. H+1 Kam 15/02/2024 18.00" in annex
    assert f"termasuk {VOTE_POSTS} H-1 Sel 13/02/2024 07.00 s.d. H+1 Kam 15/02/2024" in annex  # the recap
    assert f"{VOTE_POSTS}: pos pemungutan suara dari apel pergeseran sampai penghitungan selesai, H-1" in annex
    apel = next(s for s in operation_stages(pemilu.operation)[0] if s.kind == StageKind.APEL_PERGESERAN)
    assert apel.start.strftime("%d/%m/%Y %H.%M") == "13/02/2024 07.00"
    assert f"pos {VOTE_POSTS} (tahap 6)" in annex and f"tugas tahap 6 ({VOTE})" not in annex


def test_a_person_on_a_post_reads_his_duty_under_the_posts_name(plan, as_planner):
    person = plan.assignments.filter(post__kind="TPS").values_list("person_code", flat=True).first()
    page = html.unescape(as_planner.get(f"/plans/{plan.pk}/person/{person}/").content.decode())
    assert f'<th colspan="4">{VOTE_POSTS}</th>' in page
    assert '<th colspan="4">Pemungutan dan penghitungan suara</th>' not in page


def test_the_posko_calls_each_reserve_team_as_the_plan_does(plan):
    publish(plan)
    teams = {code: t for code, t in units.teams(plan.operation).items() if code.startswith("RESERVE-")}
    assert len(teams) >= 2
    names = post_labels(plan, teams, "id")
    assert {code: t.name for code, t in teams.items()} == names  # the Sprin's "Cadangan Brimob di ... (tim 1)"
    assert all(not t.name.startswith("Brimob PHH tim") for t in teams.values())
    with translation.override("en"):
        assert {code: t.shown() for code, t in teams.items()} == post_labels(plan, teams, "en")


def test_the_posko_page_offers_a_reserve_by_the_plans_name(plan, as_commander):
    publish(plan)
    reserve = sorted(code for code in units.teams(plan.operation) if code.startswith("RESERVE-"))[0]
    name = post_labels(plan, [reserve], "id")[reserve]
    tps = plan.posts.filter(kind="TPS").values_list("code", flat=True).first()
    body = {"kind": "kericuhan", "severity": 3, "post_id": tps}
    made = as_commander.post(
        f"/api/plans/{plan.pk}/incidents", body, content_type="application/json", headers={"Idempotency-Key": "sw-1"}
    )
    assert made.status_code == 201, made.content
    offered = as_commander.get(f"/api/incidents/{made.json()['id']}/reserves").json()
    assert name in {u["name"] for u in offered}
    page = html.unescape(as_commander.get(f"/plans/{plan.pk}/incidents/").content.decode())
    assert name in page and "Brimob PHH tim" not in page
