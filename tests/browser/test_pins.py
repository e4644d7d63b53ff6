"""A planner pins a person from the plan page (issue 11 item 4), in a real browser at a
laptop's 1366 px: a click on a name in the posts table fills the pin form, the pin is saved
with its reason and listed as taking effect at the next plan; the Kapolsek sees no pin form."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _guarded_page, login, serve_demo

SHOT = Path(os.environ.get("SIAGA_PINS_SCREENSHOT", "/tmp/pins.png"))


@pytest.fixture
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    """A console of this test alone: a pin changes the person's row for every later plan."""
    with serve_demo(tmp_path_factory.mktemp("pins")) as url:
        yield url


def test_a_planner_pins_a_person_from_the_plan_page(browser: Any, own_console: str) -> None:
    planner, outside = _guarded_page(browser, own_console)
    planner.set_viewport_size({"width": 1366, "height": 900})
    login(planner, "perencana")
    planner.goto("/plans/1/")
    expect(planner.locator("#pin-form")).to_be_visible()

    desa = planner.locator("details.desa").first
    desa.locator("summary").click()  # a page of many posts shows its desa closed
    person = desa.locator("table.posts td li").first
    code = person.locator("code").inner_text()
    person.click()
    expect(planner.locator("#id_pin-person")).to_have_value(code)
    planner.check("input[name='pin-choice'][value='POS']")
    planner.fill("#id_pin-reason", "Paham medan desa ini")
    planner.click("#pin-save")

    planner.wait_for_url("**/plans/1/#pins")
    expect(planner.locator(".messages li.success")).to_contain_text("Pin disimpan")
    row = planner.locator(f"#pin-{code}")
    expect(row).to_contain_text("Paham medan desa ini")
    expect(row).to_contain_text("berlaku pada perencanaan atau susun ulang berikutnya")
    expect(row.locator("button")).to_have_text("Lepas pin")
    planner.locator("#pins").scroll_into_view_if_needed()
    planner.screenshot(path=str(SHOT))
    width = planner.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the plan page scrolls sideways at 1366 px ({width})"

    chief, chief_outside = _guarded_page(browser, own_console)
    login(chief, "kapolsek")
    chief.goto("/plans/1/")
    expect(chief.locator("h1")).to_be_visible()
    expect(chief.locator("#pin-form")).to_have_count(0)
    chief.context.close()
    planner.context.close()
    assert outside == [] and chief_outside == [], "requests left the machine"
