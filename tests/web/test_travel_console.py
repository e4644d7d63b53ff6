"""Road times in the console (docs/scenario.md 1.4.10, 2.14): a workbook's `travel_times` sheet is
stored with the operation's data, a plan made in the console measures reserve reach by road and
its page says so; a re-import without the sheet drops them and the next plan says the estimate."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from siaga.core.data import demo
from siaga.core.data.model import Scenario, TravelTime
from siaga.core.data.scenario import write_scenario
from siaga.operations.models import Operation
from siaga.operations.models import TravelTime as TravelRow
from siaga.operations.services import scenario_for
from siaga.plans.store import plan_file

NAME = "Uji Jalan Pasuruan Kota"


@pytest.fixture(autouse=True)
def inline(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_JOBS_INLINE = True


def with_roads(scenario: Scenario) -> Scenario:
    """The demo under another name, with slow roads from every unit to its first three TPS."""
    op = dataclasses.replace(scenario.operation, name=NAME)
    rows = tuple(TravelTime(u.code, t.id, 95.0) for u in scenario.units for t in scenario.tps[:3])
    return dataclasses.replace(scenario, operation=op, travel_times=rows)


def imported(client: Client, scenario: Scenario, path: Path) -> tuple[Operation, str]:
    """Import `scenario` through the console's preview and confirmation; the preview's text."""
    write_scenario(scenario, path)
    preview = client.post("/import/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    page = html.unescape(preview.content.decode())
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page)
    assert preview.status_code == 200 and token, page[:2000]
    assert client.post("/import/confirm/", {"token": token.group(1)}).status_code == 302
    return Operation.objects.get(name=NAME, archived=False), page


def planned(client: Client, operation: Operation) -> tuple[dict[str, Any], str]:
    """Plan in the console; the stored plan file and the plan page's text."""
    assert client.post(f"/plans/ops/{operation.pk}/start/").status_code == 302
    plan = operation.plans.order_by("-version").first()
    assert plan is not None
    response = client.get(f"/plans/{plan.pk}/")
    assert response.status_code == 200
    return plan_file(plan), html.unescape(response.content.decode())


def travel_sentence(page: str) -> str:
    found = re.search(r'<p class="muted" id="travel-measure">(.*?)</p>', page, re.S)
    assert found, "the plan page says how reach was measured"
    return found.group(1)


def test_a_console_plan_uses_the_road_times_of_the_imported_workbook(as_planner, tmp_path):
    scenario = with_roads(demo.pasuruan_kota())
    operation, preview = imported(as_planner, scenario, tmp_path / "jalan.xlsx")
    assert "konsol belum menyimpannya" not in preview
    assert f"waktu tempuh ({len(scenario.travel_times)} baris) sah dan ikut disimpan" in preview
    stored = TravelRow.objects.filter(operation=operation)
    assert stored.count() == len(scenario.travel_times) == 3 * len(scenario.units)
    assert scenario_for(operation).travel_times == scenario.travel_times  # read back in order

    data, page = planned(as_planner, operation)
    assert data["travel"] == {"by_road": True, "road_times": len(scenario.travel_times)}
    sentence = travel_sentence(page)
    assert "memakai waktu tempuh jalan" in sentence and f"{len(scenario.travel_times)} baris" in sentence
    # 95 minutes by road: the three TPS are out of every reserve's reach, whatever the straight line says
    covered, total = data["summary"]["reserve_covered_weight"], data["summary"]["reserve_total_weight"]
    assert covered < total
    assert "Pemeriksa independen: rencana sah" in page  # the checker measured the same way

    again = dataclasses.replace(scenario, travel_times=())
    operation, _ = imported(as_planner, again, tmp_path / "tanpa-jalan.xlsx")
    assert not TravelRow.objects.filter(operation=operation).exists()
    data, page = planned(as_planner, operation)
    assert data["travel"] == {"by_road": False, "road_times": 0}
    assert data["summary"]["reserve_covered_weight"] == data["summary"]["reserve_total_weight"] > covered
    assert "garis lurus" in travel_sentence(page)
