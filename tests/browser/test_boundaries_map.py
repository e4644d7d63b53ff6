"""The map's base layer in a real browser: the demo's kecamatan and desa outlines (loaded by
`manage.py demo` from the shipped Pasuruan boundaries) drawn below the TPS, kecamatan names
when zoomed out and desa names when zoomed in, and a Kapolsek's map opened on his kecamatan."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import login

OPERATION = 1
WAIT = 20_000


def test_the_boundaries_are_the_base_layer_with_names_by_zoom(page, open_page):
    login(page, "perencana")
    page.goto(f"/ops/{OPERATION}/map/")
    page.wait_for_function("() => window.siagaMap && window.siagaMap.boundaries > 0", timeout=WAIT)
    page.wait_for_function("() => window.siagaMap.tpsLayer.getLayers().length > 0", timeout=WAIT)
    # 7 kecamatan, 21 desa and the jurisdiction's outline, in their own pane under the TPS
    assert page.evaluate("() => window.siagaMap.boundaryLayer.getLayers().length") == 29
    assert page.evaluate("() => window.siagaMap.boundaries") == 28
    below = "() => +getComputedStyle(document.querySelector('.leaflet-boundaries-pane')).zIndex"
    above = "() => +getComputedStyle(document.querySelector('.leaflet-overlay-pane')).zIndex"
    assert page.evaluate(below) < page.evaluate(above)
    assert page.locator(".leaflet-boundaries-pane canvas").count() == 1
    kecamatan = page.locator(".boundary-label.kecamatan")
    desa = page.locator(".boundary-label.desa")
    expect(kecamatan.filter(has_text="Pohjentrek")).to_be_visible()
    expect(kecamatan).to_have_count(7)
    assert desa.count() == 21 and not desa.first.is_visible()
    page.screenshot(path="/tmp/siaga-boundaries-planner.png")
    whole = page.evaluate("() => window.siagaMap.leaflet.getZoom()")

    page.evaluate("() => { window.siagaMap.leaflet.setZoom(14, { animate: false }); }")
    page.wait_for_function("() => document.getElementById('map').classList.contains('show-desa')", timeout=WAIT)
    expect(desa.filter(has_text="Logowok")).to_be_visible()
    assert not kecamatan.first.is_visible()

    sector = open_page()
    login(sector, "kapolsek")
    sector.goto(f"/ops/{OPERATION}/map/")
    sector.wait_for_function("() => window.siagaMap && window.siagaMap.boundaries > 0", timeout=WAIT)
    # his kecamatan and its desa only; the view fitted to his kecamatan's outline
    assert sector.evaluate("() => window.siagaMap.boundaries") == 4  # Pohjentrek and its 3 demo desa
    sector.wait_for_function(  # fitted: closer than the whole Polres, and his kecamatan in view
        f"() => window.siagaMap.leaflet.getZoom() > {whole}"
        " && window.siagaMap.leaflet.getBounds().contains(window.siagaMap.boundaryLayer.getBounds())",
        timeout=WAIT,
    )
    own = sector.evaluate("() => window.siagaMap.leaflet.getZoom()")
    assert own > whole  # closer than the whole Polres
    sector.screenshot(path="/tmp/siaga-boundaries-kapolsek.png")
