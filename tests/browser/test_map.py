"""The map people read, in a real browser: its panel (legend and layer switches) folds away,
is remembered and never lies over the map on a wide screen; the layers switch; the popups name
the post leader with a phone link and link the console's TPS and post pages; the names of the
base layer never overlap; a Kapolsek's map opens on his sector; on a phone the map takes the
full width with the panel folded. The `page` fixture fails any test that sends a request to
another host."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import login

OPERATION = 1
WAIT = 20_000

READY = (
    "() => window.siagaMap && window.siagaMap.tpsLayer.getLayers().length > 0"
    " && Object.keys(window.siagaMap.posts).length > 0 && window.siagaMap.fitted"
)
RECT = (
    "(s) => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"
)
OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('#map .boundary-label')]
    .filter((n) => getComputedStyle(n).visibility !== 'hidden')
    .map((n) => n.getBoundingClientRect()).filter((r) => r.width && r.height);
  let clashes = 0;
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    if (a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top) clashes += 1;
  }));
  return [boxes.length, clashes];
}"""


def open_map(page: Any, user: str) -> None:
    login(page, user)
    page.goto(f"/ops/{OPERATION}/map/")
    page.wait_for_function(READY, timeout=WAIT)


def apart(a: list[float], b: list[float]) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_the_legend_folds_away_is_remembered_and_never_covers_the_map(page):
    page.set_viewport_size({"width": 1366, "height": 800})
    open_map(page, "perencana")
    panel, toggle, legend = page.locator("#map-panel"), page.locator("#map-panel-toggle"), page.locator("#map-legend")
    expect(legend).to_be_visible()  # open at first on a wide screen
    assert apart(page.evaluate(RECT, "#map"), page.evaluate(RECT, "#map-legend"))  # beside the map, not on it
    assert "Tanpa peta dasar" not in page.content()  # the boundaries are the base map
    width = page.evaluate(RECT, "#map")[2]

    toggle.click()
    expect(legend).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.wait_for_function(f"() => document.getElementById('map').getBoundingClientRect().right > {width}")
    page.reload()
    page.wait_for_function(READY, timeout=WAIT)
    expect(panel).to_have_class("map-panel folded")  # remembered
    expect(legend).to_be_hidden()
    toggle.click()
    expect(legend).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def test_the_layers_switch(page):
    open_map(page, "perencana")
    count = "() => window.siagaMap.tpsLayer.getLayers().length"
    severe = (
        "() => window.siagaMap.tpsLayer.getLayers()"
        ".filter((l) => l.feature.properties.category === 'SANGAT_RAWAN').length"
    )
    total, shown_severe = page.evaluate(count), page.evaluate(severe)
    assert shown_severe > 0
    page.locator("#map-legend input[data-layer=tps][value=SANGAT_RAWAN]").uncheck()
    assert page.evaluate(count) == total - shown_severe and page.evaluate(severe) == 0
    page.locator("#map-legend input[data-layer=tps][value=SANGAT_RAWAN]").check()
    assert page.evaluate(count) == total
    on_map = "(name) => window.siagaMap.leaflet.hasLayer(window.siagaMap[name])"
    for layer, name in (("reach", "reachLayer"), ("posts", "postLayer"), ("boundaries", "boundaryLayer")):
        assert page.evaluate(on_map, name)
        page.locator(f"#map-legend input[data-layer={layer}]").uncheck()
        assert not page.evaluate(on_map, name), layer
        page.locator(f"#map-legend input[data-layer={layer}]").check()
        assert page.evaluate(on_map, name), layer
    # the reserves' reach is context: a thin, faint dashed line, not a filled disc
    style = page.evaluate(
        "() => { const c = window.siagaMap.reachLayer.getLayers()[0].options;"
        " return [c.weight, c.opacity, c.fillOpacity, c.dashArray]; }"
    )
    assert style[0] <= 1 and style[1] <= 0.5 and style[2] <= 0.05 and style[3]


def test_a_tps_popup_names_the_post_leader_with_his_phone_and_links_the_pages(page):
    open_map(page, "perencana")
    post = page.evaluate(
        "() => Object.values(window.siagaMap.posts).find((p) => p.kind === 'TPS' && p.leader && p.leader.phone)"
    )
    assert post["name"] and post["leader"]["name"]
    page.evaluate(
        """(code) => { window.siagaMap.tpsLayer.getLayers()
             .find((l) => l.feature.properties.code === code).openPopup(); }""",
        post["tps"][0],
    )
    popup = page.locator(".leaflet-popup")
    expect(popup).to_contain_text(post["name"])
    expect(popup).to_contain_text(post["leader"]["name"])
    tel = popup.locator("a[href^='tel:']")
    expect(tel).to_have_text(post["leader"]["phone"])
    digits = "".join(c for c in post["leader"]["phone"] if c.isdigit() or c == "+")
    expect(tel).to_have_attribute("href", f"tel:{digits}")
    tps_link = popup.locator(f"a[href^='/ops/{OPERATION}/tps/']")
    post_link = popup.locator(f"a[href$='#{post['id']}']")
    expect(tps_link).to_have_count(1)
    expect(post_link).to_have_count(1)
    for link in (tps_link, post_link):  # the console's own pages, open to this user
        assert page.request.get(link.get_attribute("href")).status == 200

    # a reserve team's square: its own popup, with its leader and the post page
    page.keyboard.press("Escape")
    page.evaluate(
        """() => { window.siagaMap.postLayer.getLayers()
             .find((l) => l.options.icon.options.className.includes('kind-RESERVE')).openPopup(); }"""
    )
    expect(page.locator(".leaflet-popup a[href^='tel:']")).to_have_count(1)
    expect(page.locator(".leaflet-popup a[href*='/plans/']")).to_have_count(1)


def test_the_names_never_overlap(page):
    open_map(page, "perencana")
    for zoom in (None, 10, 12, 13, 14):  # at 10 the kecamatan names crowd: some are hidden
        if zoom is not None:
            page.evaluate(f"() => {{ window.siagaMap.leaflet.setZoom({zoom}, {{ animate: false }}); }}")
            page.wait_for_timeout(300)
            page.evaluate("() => window.siagaMap.declutter()")
        shown, clashes = page.evaluate(OVERLAPS)
        assert shown > 0 and clashes == 0, (zoom, shown, clashes)


def test_a_kapolsek_map_opens_on_his_sector(page):
    open_map(page, "kapolsek")
    page.wait_for_function(
        "() => window.siagaMap.leaflet.getBounds().contains(window.siagaMap.boundaryLayer.getBounds())",
        timeout=WAIT,
    )
    # his kecamatan fills the view: the view's centre within it, the view no more than his
    # sector and a margin (not the whole Polres)
    inside = page.evaluate(
        """() => { const m = window.siagaMap.leaflet, own = window.siagaMap.boundaryLayer.getBounds();
                   return [own.contains(m.getCenter()), own.pad(1.5).contains(m.getBounds())]; }"""
    )
    assert inside == [True, True]
    codes = page.evaluate("() => window.siagaMap.tpsLayer.getLayers().map((l) => l.feature.properties.kecamatan)")
    assert set(codes) == {"Pohjentrek"}


def test_on_a_phone_the_map_is_full_width_with_the_panel_folded(page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, "kapolsek")
    legend, toggle = page.locator("#map-legend"), page.locator("#map-panel-toggle")
    expect(legend).to_be_hidden()
    left, _, right, _ = page.evaluate(RECT, "#map")
    assert left <= 0.5 and right >= 389.5  # edge to edge
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390  # never sideways
    for control in ("#map-panel-toggle", ".leaflet-control-zoom-in"):
        box = page.evaluate(RECT, control)
        assert box[0] >= 0 and box[2] <= 390 and box[3] - box[1] >= 28, control  # on screen, big enough
    toggle.click()
    expect(legend).to_be_visible()
    box = page.evaluate(RECT, "#map-panel")
    assert box[0] >= 0 and box[2] <= 390
    page.locator("#map-legend input[data-layer=reach]").uncheck()
    assert not page.evaluate("() => window.siagaMap.leaflet.hasLayer(window.siagaMap.reachLayer)")
    toggle.click()
    expect(legend).to_be_hidden()


def test_on_a_phone_a_popup_near_the_maps_top_clears_the_zoom_and_legend_buttons(page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, "kapolsek")
    # the northern-most TPS brought to the map's very top edge, then its popup opened
    page.evaluate(
        """() => { const m = window.siagaMap.leaflet;
             const top = window.siagaMap.tpsLayer.getLayers()
               .reduce((a, b) => (a.getLatLng().lat > b.getLatLng().lat ? a : b));
             m.panBy([0, m.latLngToContainerPoint(top.getLatLng()).y - 4], { animate: false });
             top.openPopup(); }"""
    )
    page.wait_for_timeout(600)  # the popup's own pan
    popup = page.locator(".leaflet-popup").bounding_box()
    for control in ("#map-panel-toggle", ".leaflet-control-zoom"):
        box = page.locator(control).bounding_box()
        assert popup["y"] >= box["y"] + box["height"], control
    page.locator(".leaflet-popup-close-button").click(timeout=3000)  # not covered: the click reaches it
    expect(page.locator(".leaflet-popup")).to_have_count(0)
