"""The offline vector base map: the console serves the operator's PMTiles file (and only it) to
the users who may view the map, in byte ranges; without the setting nothing changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from siaga.operations.views_basemap import byte_range
from tests.web.basemap_file import write_basemap

URL = "/map/basemap.pmtiles"


@pytest.fixture
def basemap(tmp_path: Path, settings: Any) -> bytes:
    path = write_basemap(tmp_path / "pasuruan.pmtiles")
    settings.SIAGA_BASEMAP_PMTILES = str(path)
    return path.read_bytes()


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_url_is_fixed() -> None:
    assert reverse("basemap_file") == URL


def test_a_range_answers_206_with_those_bytes(as_planner: Client, basemap: bytes) -> None:
    response = as_planner.get(URL, headers={"Range": "bytes=0-126"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-126/{len(basemap)}"
    assert response["Accept-Ranges"] == "bytes"
    got = body(response)
    assert got == basemap[:127] and got.startswith(b"PMTiles\x03")
    # a range in the middle, one open to the end, the last bytes
    assert body(as_planner.get(URL, headers={"Range": "bytes=1000-1999"})) == basemap[1000:2000]
    assert body(as_planner.get(URL, headers={"Range": f"bytes={len(basemap) - 10}-"})) == basemap[-10:]
    assert body(as_planner.get(URL, headers={"Range": "bytes=-5"})) == basemap[-5:]
    # past the end: clipped to the file
    tail = as_planner.get(URL, headers={"Range": f"bytes={len(basemap) - 3}-{len(basemap) + 500}"})
    assert tail.status_code == 206 and body(tail) == basemap[-3:]


def test_without_a_range_the_whole_file(as_commander: Client, basemap: bytes) -> None:
    response = as_commander.get(URL)
    assert response.status_code == 200
    assert body(response) == basemap
    assert response["Accept-Ranges"] == "bytes"


def test_a_range_past_the_end_is_refused(as_planner: Client, basemap: bytes) -> None:
    response = as_planner.get(URL, headers={"Range": f"bytes={len(basemap) + 10}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(basemap)}"


def test_a_stale_if_range_gets_the_whole_file(as_planner: Client, basemap: bytes) -> None:
    etag = as_planner.get(URL, headers={"Range": "bytes=0-0"})["ETag"]
    same = as_planner.get(URL, headers={"Range": "bytes=0-0", "If-Range": etag})
    assert same.status_code == 206
    other = as_planner.get(URL, headers={"Range": "bytes=0-0", "If-Range": '"old"'})
    assert other.status_code == 200 and body(other) == basemap


def test_ranges_are_read_carefully() -> None:
    assert byte_range("bytes=0-9", 100) == (0, 9)
    assert byte_range("bytes=90-", 100) == (90, 99)
    assert byte_range("bytes=-200", 100) == (0, 99)
    assert byte_range("bytes=0-9,20-29", 100) is None  # several ranges: the whole file instead
    assert byte_range("bytes=-", 100) is None
    assert byte_range("items=0-9", 100) is None
    assert byte_range("bytes=9-0", 100) == (100, 100)  # unsatisfiable


def test_no_setting_no_file(as_planner: Client, settings: Any) -> None:
    settings.SIAGA_BASEMAP_PMTILES = ""
    assert as_planner.get(URL).status_code == 404


def test_a_missing_file_is_404(as_planner: Client, settings: Any, tmp_path: Path) -> None:
    settings.SIAGA_BASEMAP_PMTILES = str(tmp_path / "gone.pmtiles")
    assert as_planner.get(URL).status_code == 404
    settings.SIAGA_BASEMAP_PMTILES = str(tmp_path)  # a folder is no file either
    assert as_planner.get(URL).status_code == 404


def test_nothing_else_is_reachable(as_planner: Client, basemap: bytes) -> None:
    for path in (URL + "/../../../etc/passwd", "/map/..%2f..%2fetc%2fpasswd", "/map/basemap.pmtiles%00.txt"):
        response = as_planner.get(path)
        assert response.status_code == 404, path


def test_not_logged_in_goes_to_the_login(db: Any, basemap: bytes) -> None:
    response = Client().get(URL, headers={"Range": "bytes=0-99"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_field_officer_may_not_read_it(as_field_officer: Client, basemap: bytes) -> None:
    assert as_field_officer.get(URL, headers={"Range": "bytes=0-99"}).status_code == 403


def test_a_sector_chief_and_a_viewer_may(as_sector: Client, as_viewer: Client, basemap: bytes) -> None:
    for client in (as_sector, as_viewer):
        assert client.get(URL, headers={"Range": "bytes=0-6"}).status_code == 206


def test_the_map_page_loads_the_plugin_only_with_the_setting(
    as_planner: Client, operation: Any, settings: Any, tmp_path: Path
) -> None:
    page = reverse("map", args=[operation.pk])
    settings.SIAGA_BASEMAP_PMTILES = ""
    html = as_planner.get(page).content.decode()
    assert "protomaps-leaflet" not in html and "data-basemap" not in html
    assert "Peta dasar (jalan, sungai, permukiman)" not in html
    settings.SIAGA_BASEMAP_PMTILES = str(write_basemap(tmp_path / "area.pmtiles"))
    html = as_planner.get(page).content.decode()
    assert "protomaps-leaflet-5.1.0/protomaps-leaflet.js" in html
    assert f'data-basemap="{URL}"' in html
    assert 'data-layer="basemap"' in html and "Peta dasar (jalan, sungai, permukiman)" in html
