"""The console's pages at a phone's 390 px: a Kapolsek or a planner reading the dashboard, the
plan page with its pins and the diff never has to scroll the page sideways; a wide table
scrolls inside itself."""

from __future__ import annotations

from typing import Any

import pytest

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
