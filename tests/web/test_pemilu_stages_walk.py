"""What a walk through the multi-stage Pemilu operation found: a re-import that only changes
the stages, the duty rules or the campaign events says what it changes (its preview and the
data versions once read "no change to TPS, personnel or units"), and a sector chief's version
lists (dashboard, plan list) count his kecamatan's empty slots and km, as his plan page does,
never the Polres's totals."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import floatformat

from siaga.accounts.scope import Scope
from siaga.core.data import demo
from siaga.core.data.model import DutyKind, DutyLevel, DutyRuleRow, DutyWhen, Event, StageKind
from siaga.core.data.scenario import write_scenario
from siaga.operations.services import data_diff, import_scenario, scenario_for
from siaga.plans import pages
from tests.web.conftest import client_for

RALLY = "Kampanye akbar Lapangan Grati"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_JOBS_INLINE = True
    return settings.MEDIA_ROOT


def with_rally_and_patrol(scenario: Any) -> Any:
    """The scenario with one campaign event added and the masa tenang patrol made 6 Polri."""
    start = dt.datetime(2024, 2, 3, 13)
    rally = Event(RALLY, start, start + dt.timedelta(hours=4), -7.7385, 113.0031, "35.14.20", 3000, route="A > B")
    patrol = DutyRuleRow(
        StageKind.MASA_TENANG, DutyKind.PATROLI, DutyLevel.KECAMATAN, polri=6, when=DutyWhen.NIGHTLY, hours=6
    )
    return dataclasses.replace(scenario, events=(*scenario.events, rally), duty_rules=(*scenario.duty_rules, patrol))


def test_it_names_the_stage_rule_and_event_changes_of_a_reimport(db):
    operation = import_scenario(demo.pasuruan_kota_pemilu(), "pemilu.xlsx")
    same = scenario_for(operation)
    assert data_diff(operation, same)["schedule"] == {
        "stages": [],
        "duty_rules": [],
        "events_added": [],
        "events_removed": [],
        "events_changed": [],
    }
    changed = with_rally_and_patrol(same)
    schedule = data_diff(operation, changed)["schedule"]
    assert schedule["events_added"] == [RALLY] and schedule["duty_rules"] == ["changed"]
    assert schedule["stages"] == [] and schedule["events_removed"] == []

    operation = import_scenario(changed, "pemilu-2.xlsx")
    moved = dataclasses.replace(changed.events[-1], crowd=5000)
    later = dataclasses.replace(scenario_for(operation), events=(moved,), stages=changed.stages[1:])
    schedule = data_diff(operation, later)["schedule"]
    assert schedule["events_changed"] == [RALLY] and schedule["stages"] == ["changed"]
    assert schedule["duty_rules"] == []


def test_it_shows_a_planner_the_rally_and_the_rule_in_the_preview_and_the_versions(db, tmp_path):
    operation = import_scenario(demo.pasuruan_kota_pemilu(), "pemilu.xlsx")
    path = tmp_path / "pemilu-revisi.xlsx"
    write_scenario(with_rally_and_patrol(scenario_for(operation)), path)
    planner = client_for("planner")

    preview = html.unescape(
        planner.post("/import/", {"file": SimpleUploadedFile(path.name, path.read_bytes())}).content.decode()
    )
    assert "Tidak ada perubahan TPS, personel atau satuan." not in preview
    assert f"Kegiatan kampanye baru: {RALLY}" in preview
    assert 'id="changes-rules"' in preview and "Aturan tugas per tahapan berubah" in preview
    assert 'id="changes-stages"' not in preview

    token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
    planner.post("/import/confirm/", {"token": token})
    versions = html.unescape(planner.get(f"/ops/{operation.pk}/versions/").content.decode())
    assert f"Kegiatan kampanye baru: {RALLY}" in versions


def shown(figure: float) -> str:
    return str(floatformat(figure, "1g"))  # as the version tables print it


def test_it_shows_a_sector_chief_his_kecamatan_figures_on_the_version_lists(operation, plan):
    sector = client_for("sector")
    scope = Scope.of(_user("sector"))
    mine = pages.figures(plan, scope)
    polres = plan.summary
    assert round(mine["cost_km"], 1) != round(polres["cost_km"], 1)  # the test could tell them apart

    for url in (f"/ops/{operation.pk}/", f"/plans/ops/{operation.pk}/"):
        page = sector.get(url).content.decode()
        row = re.search(rf'<tr[^>]*>\s*<td><a href="/plans/{plan.pk}/">v{plan.version}</a>.*?</tr>', page, re.S)
        assert row is not None, url
        assert shown(mine["cost_km"]) in row.group(0), url
        assert shown(polres["cost_km"]) not in row.group(0), url
    assert "Nilai tujuan" not in sector.get(f"/plans/ops/{operation.pk}/").content.decode()

    planner = client_for("planner")
    page = planner.get(f"/plans/ops/{operation.pk}/").content.decode()
    assert shown(polres["cost_km"]) in page and "Nilai tujuan" in page


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)
