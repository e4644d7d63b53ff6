"""TPS against their desa's outline in the console: with the shipped boundaries stored, the demo's
TPS all lie inside and the TPS list names none; a TPS moved outside is named on the TPS list
(to the planner, and to the sector chief of its kecamatan only), and an import of a workbook
with a TPS outside warns, naming it, and goes on."""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from siaga.core.data import demo
from siaga.core.data.boundaries import read_shipped
from siaga.core.data.scenario import write_scenario
from siaga.operations.boundaries import store_boundaries
from tests.web.conftest import SECTOR, client_for

MOVED = f"{SECTOR}.2005-01"  # a TPS of Logowok, in the sector chief's kecamatan
FAR = (-7.60, 112.95)  # in the sea north of Kraton: kilometres outside Logowok


@pytest.fixture
def outlined(operation: Any) -> Any:
    regions = dict(operation.regions.values_list("code", "level"))
    store_boundaries(operation, read_shipped(regions), "pasuruan-boundaries.geojson")
    return operation


def outside_section(response: Any) -> str:
    found = re.search(r'<section id="tps-outside">(.*?)</section>', response.content.decode(), re.S)
    return html.unescape(found.group(1)) if found else ""


def test_the_demo_tps_list_names_no_tps_outside_its_desa(as_planner, outlined):
    page = as_planner.get(reverse("tps_list", args=[outlined.pk]))
    assert page.status_code == 200 and outside_section(page) == ""


def test_a_tps_moved_outside_its_desa_is_named_on_the_tps_list(as_planner, as_sector, outlined):
    outlined.tps_set.filter(code=MOVED).update(lat=FAR[0], lon=FAR[1])
    tps = outlined.tps_set.get(code=MOVED)
    section = outside_section(as_planner.get(reverse("tps_list", args=[outlined.pk])))
    assert "1 TPS di luar batas desanya" in section and "100 m" in section
    assert MOVED in section and "Logowok" in section
    assert reverse("tps_detail", args=[outlined.pk, tps.pk]) in section
    km = float(re.search(r'<td class="num">([0-9.,]+)</td>', section).group(1).replace(",", "."))
    assert 5 < km < 15
    assert MOVED in outside_section(as_sector.get(reverse("tps_list", args=[outlined.pk])))  # his kecamatan
    assert outside_section(client_for("other_sector").get(reverse("tps_list", args=[outlined.pk]))) == ""  # not his


def test_a_smaller_allowance_names_more_and_a_larger_one_fewer(as_planner, outlined, settings):
    outlined.tps_set.filter(code=MOVED).update(lat=FAR[0], lon=FAR[1])
    settings.SIAGA_TPS_OUTSIDE_M = 50_000
    assert outside_section(as_planner.get(reverse("tps_list", args=[outlined.pk]))) == ""


def test_an_import_with_a_tps_outside_its_desa_warns_naming_it(as_planner, outlined, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the upload is kept there for the confirm
    scenario = demo.pasuruan_kota()
    tps = tuple(dataclasses.replace(t, lat=FAR[0], lon=FAR[1]) if t.id == MOVED else t for t in scenario.tps)
    path = tmp_path / "demo.xlsx"
    write_scenario(dataclasses.replace(scenario, tps=tps), path)
    preview = as_planner.post("/import/", {"file": SimpleUploadedFile("demo.xlsx", path.read_bytes())})
    assert preview.status_code == 200
    page = html.unescape(preview.content.decode())
    warnings = re.findall(r'<li class="warning">(.*?)</li>', page, re.S)
    assert len(warnings) == 1 and MOVED in warnings[0] and "Logowok" in warnings[0]
    assert "di luar batas desa" in warnings[0] and 'name="token"' in page  # a warning: the import may go on


def test_past_the_limit_the_list_asks_for_a_kecamatan_and_judges_the_filtered_tps(as_planner, outlined, monkeypatch):
    from siaga.operations import views_data

    outlined.tps_set.filter(code=MOVED).update(lat=FAR[0], lon=FAR[1])
    monkeypatch.setattr(views_data, "OUTSIDE_MAX_TPS", 100)
    whole = as_planner.get(reverse("tps_list", args=[outlined.pk]))
    assert outside_section(whole) == "" and 'id="tps-outside-many"' in whole.content.decode()
    assert "152 TPS terlalu banyak" in html.unescape(whole.content.decode())
    sector = as_planner.get(reverse("tps_list", args=[outlined.pk]), {"kecamatan": SECTOR})
    assert MOVED in outside_section(sector) and 'id="tps-outside-many"' not in sector.content.decode()


def test_an_import_with_road_times_says_the_console_keeps_them(as_planner, tmp_path, settings):
    from siaga.core.data.model import TravelTime

    settings.MEDIA_ROOT = tmp_path / "media"
    scenario = demo.pasuruan_kota()
    rows = (TravelTime("POLSEK-21", "35.14.21.2005-01", 12.0),)
    path = tmp_path / "jalan.xlsx"
    write_scenario(dataclasses.replace(scenario, travel_times=rows), path)
    preview = as_planner.post("/import/", {"file": SimpleUploadedFile("jalan.xlsx", path.read_bytes())})
    page = html.unescape(preview.content.decode())
    assert preview.status_code == 200 and 'name="token"' in page
    assert "waktu tempuh (1 baris) sah dan ikut disimpan" in page  # tests/web/test_travel_console.py plans with it
