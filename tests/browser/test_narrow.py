"""The console's pages at a phone's 390 px: a Kapolsek or a planner reading the dashboard, the
plan page with its pins and the diff never has to scroll the page sideways; a wide table
scrolls inside itself."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _guarded_page, login

PAGES = ["/ops/1/", "/plans/1/", "/plans/1/diff/1/", "/plans/1/apel/"]


@pytest.mark.parametrize("who", ["perencana", "kapolsek"])
def test_no_console_page_scrolls_sideways_at_390_px(browser: Any, console: str, who: str) -> None:
    page, outside = _guarded_page(browser, console)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, who)
    wide = {}
    for path in PAGES:
        page.goto(path)
        page.locator("h1").first.wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    page.context.close()
    assert wide == {}, f"pages wider than the phone: {wide}"
    assert outside == [], "requests left the machine"


def test_the_top_bar_stays_on_one_line_on_a_laptop_in_english(browser: Any, console: str) -> None:
    """The Kapolres's bar in English (the longest role label): his name shortens, the bar does
    not wrap onto a second line, and "Log out" stays whole."""
    page, outside = _guarded_page(browser, console)
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, "kapolres")
    page.goto("/plans/1/")
    page.locator("#language-form select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("h1").first.wait_for()
    bar = page.locator(".topbar").bounding_box()
    out = page.locator(".session button.link").bounding_box()
    page.context.close()
    assert bar and bar["height"] < 60, bar
    assert out and out["height"] < 30, out  # one line of text
    assert outside == [], "requests left the machine"
