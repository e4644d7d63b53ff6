"""The offline vector base map in a real browser: with SIAGA_BASEMAP_PMTILES naming a PMTiles file
the test made (a road, a river and a settlement over Pasuruan), the map draws it under the
boundaries, from the console's own byte ranges, and no request leaves 127.0.0.1; without the
setting no base map is asked for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import _guarded_page, login, serve_demo
from tests.web.basemap_file import write_basemap

OPERATION = 1
WAIT = 30_000
SHOTS = Path("/tmp/shots/basemap")
WATER = (0x80, 0xDE, 0xEA)  # the light flavour's water
EARTH = (0xE2, 0xDF, 0xDA)  # and its land

PIXELS = """() => {
  const count = {water: 0, earth: 0, other: 0, tiles: 0};
  for (const canvas of document.querySelectorAll('.leaflet-basemap-pane canvas')) {
    if (!canvas.width || !canvas.height) continue;
    count.tiles += 1;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < data.length; i += 16) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      const near = (c) => Math.abs(r - c[0]) + Math.abs(g - c[1]) + Math.abs(b - c[2]) < 12;
      if (near(WATER)) count.water += 1; else if (near(EARTH)) count.earth += 1; else if (data[i + 3]) count.other += 1;
    }
  }
  return count;
}""".replace("WATER", str(list(WATER))).replace("EARTH", str(list(EARTH)))


@pytest.fixture(scope="module")
def basemap_console(tmp_path_factory: Any) -> Iterator[str]:
    """A console with the demo loaded and SIAGA_BASEMAP_PMTILES set to the test's own file."""
    work = tmp_path_factory.mktemp("basemap")
    with serve_demo(work, {"SIAGA_BASEMAP_PMTILES": str(write_basemap(work / "pasuruan.pmtiles"))}) as url:
        yield url


def _basemap_requests(page: Any) -> list[tuple[str, str, int]]:
    seen: list[tuple[str, str, int]] = []
    page.on(
        "response",
        lambda r: seen.append((r.url, r.request.headers.get("range", ""), r.status)) if ".pmtiles" in r.url else None,
    )
    return seen


def test_the_base_map_is_drawn_offline_under_the_boundaries(browser: Any, basemap_console: str) -> None:
    page, outside = _guarded_page(browser, basemap_console)
    page.set_viewport_size({"width": 1366, "height": 900})
    seen = _basemap_requests(page)
    errors: list[str] = []  # a Content-Security-Policy refusal (a worker, a blob, eval) shows here
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        login(page, "perencana")
        page.goto(f"/ops/{OPERATION}/map/")
        page.wait_for_function("() => window.siagaMap && window.siagaMap.boundaries > 0", timeout=WAIT)
        page.wait_for_function("() => window.siagaMap.basemapLayer !== null", timeout=WAIT)
        # the TPS view of Pasuruan, then until the tiles are painted with the test's river and land
        page.wait_for_function(
            "() => document.querySelectorAll('.leaflet-basemap-pane canvas').length > 0", timeout=WAIT
        )
        page.wait_for_function(
            PIXELS.replace("return count;", "return count.water > 0 && count.earth > 0;"), timeout=WAIT
        )
        counts = page.evaluate(PIXELS)
        assert counts["tiles"] > 0 and counts["water"] > 20 and counts["earth"] > 1000, counts
        # below the boundaries (which stay above it), above nothing else of ours
        z = "(name) => +getComputedStyle(document.querySelector('.leaflet-' + name + '-pane')).zIndex"
        assert page.evaluate(f"() => ({z})('basemap')") < page.evaluate(f"() => ({z})('boundaries')")
        # read in byte ranges, answered 206 by the console
        assert seen and all(url.startswith(basemap_console) for url, _, _ in seen)
        assert any(rng.startswith("bytes=") and status == 206 for _, rng, status in seen), seen
        assert errors == [], errors
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "map-basemap-1366.png"))

        # the switch in the layer panel takes it away and brings it back
        switch = page.locator("#map-legend input[data-layer=basemap]")
        assert switch.is_checked()
        switch.uncheck()
        page.wait_for_function("() => document.querySelectorAll('.leaflet-basemap-pane canvas').length === 0")
        switch.check()
        page.wait_for_function("() => document.querySelectorAll('.leaflet-basemap-pane canvas').length > 0")
    finally:
        page.context.close()
    assert outside == [], f"requests left the machine: {outside}"


def test_without_the_setting_no_base_map_is_asked_for(page: Any) -> None:
    seen = _basemap_requests(page)
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if "protomaps" in r.url else None)
    login(page, "perencana")
    page.goto(f"/ops/{OPERATION}/map/")
    page.wait_for_function("() => window.siagaMap && window.siagaMap.boundaries > 0", timeout=WAIT)
    page.wait_for_function("() => window.siagaMap.tpsLayer.getLayers().length > 0", timeout=WAIT)
    assert page.evaluate("() => window.siagaMap.basemapLayer") is None
    assert page.locator(".leaflet-basemap-pane").count() == 0
    assert page.locator("#map-legend input[data-layer=basemap]").count() == 0
    assert seen == [] and scripts == []
