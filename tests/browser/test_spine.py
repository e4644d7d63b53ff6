"""The operation's record survives a re-plan (issue 10), in a real browser on a console of its
own: on v1 the marshal checks people in at the apel, the post leader moves his post and
reports an incident from his phone; the absentees become a re-plan (v2, a draft) that the
post leader's phone never shows; the Kapolres approves and publishes v2; the apel page, the
board and the live dashboard of v2 show the same check-ins, statuses and incidents, and the
phone shows v2 with its version number."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _guarded_page, login, serve_demo

WAIT = 30_000
CHECK_IN = """
async (codes) => {
  for (let at = 0; at < codes.length; at += 25) {
    await Promise.all(codes.slice(at, at + 25).map((code) => window.siagaApel.checkInNrp(code, "list")));
  }
}
"""


@pytest.fixture
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    """A console of this test alone: it publishes a second version, which the shared console's
    tests must not see."""
    with serve_demo(tmp_path_factory.mktemp("spine")) as url:
        yield url


def roll_call(page: Any, url: str) -> list[str]:
    """Everyone on the apel's roll call, page after page (it shows 100 a page)."""
    codes: list[str] = []
    number = 1
    while True:
        page.goto(f"{url}?page={number}")
        expect(page.locator("h1")).to_be_visible()
        codes += page.locator("#roster tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")
        if page.locator("a[rel=next]").count() == 0:
            return codes
        number += 1


def shot(page: Any, name: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)
    assert (folder / name).stat().st_size > 5_000


@pytest.mark.on_both_databases
def test_field_records_carry_over_to_the_newly_published_version(
    browser: Any, own_console: str, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("SIAGA_SCREENSHOTS") or tmp_path)
    marshal, outside = _guarded_page(browser, own_console)
    login(marshal, "perencana")
    codes = roll_call(marshal, "/plans/1/apel/")
    present = codes[:-3]  # all but three, who become the re-plan's absentees
    marshal.evaluate(CHECK_IN, present)
    expect(marshal.locator("#present-count")).to_have_text(str(len(present)), timeout=WAIT)

    phone, _ = _guarded_page(browser, own_console)
    phone.set_viewport_size({"width": 390, "height": 860})
    login(phone, "kepalapos")
    phone.goto("/plans/1/phone/")
    expect(phone.locator("#plan-version")).to_have_attribute("data-version", "1")
    post = str(phone.locator("#post").input_value())
    phone.click('#status-buttons button[data-status="berangkat"]')
    expect(phone.locator("#current-status")).to_have_text("berangkat", timeout=WAIT)
    what = f"uji {uuid.uuid4().hex[:8]}"
    phone.select_option("#incident-kind", "gangguan kamtibmas")
    phone.select_option("#incident-severity", "2")
    phone.fill("#incident-description", what)
    phone.click("#incident-form button[type=submit]")
    expect(phone.locator("#log li").first).to_contain_text("terkirim", timeout=WAIT)

    # the absentees (everyone not checked in) become v2, a draft
    marshal.goto("/plans/1/apel/")
    marshal.click("#replan-absent")
    marshal.click("#replan-absent-confirm")  # a confirmation first
    expect(marshal.locator("#replan-done")).to_be_visible(timeout=120_000)
    marshal.locator("#replan-done ~ p a", has_text="Buka rencana").click()
    marshal.wait_for_url(re.compile(r"/plans/(\d+)/$"))
    v2 = int(re.search(r"/plans/(\d+)/$", marshal.url)[1])  # type: ignore[index]
    assert v2 != 1

    # a draft never reaches the phone: it still shows v1
    phone.goto(f"/plans/{v2}/phone/")
    expect(phone.locator("#plan-version")).to_have_attribute("data-version", "1")

    commander, _ = _guarded_page(browser, own_console)
    login(commander, "kapolres")
    commander.goto(f"/plans/{v2}/")
    commander.click("#approve")
    commander.click("#approve-confirm")
    expect(commander.locator("#plan-status")).to_have_text("disetujui")
    commander.click("#publish")
    commander.click("#publish-confirm")
    expect(commander.locator("#plan-status")).to_have_text("diterbitkan")

    # v2: the same check-ins, statuses and incidents
    marshal.goto(f"/plans/{v2}/apel/")
    expect(marshal.locator("#present-count")).to_have_text(str(len(present)))
    shot(marshal, "spine-apel-v2.png", shots)
    commander.goto(f"/plans/{v2}/board/")
    row = commander.locator(f'[data-post="{post}"]').first
    expect(row).to_be_visible()
    expect(commander.locator("body")).to_contain_text("berangkat")
    shot(commander, "spine-board-v2.png", shots)
    commander.goto(f"/plans/{v2}/live/")
    expect(commander.locator("#live-open")).to_have_text("1")
    expect(commander.locator("#live-present")).to_contain_text(str(len(present)))
    commander.goto(f"/plans/{v2}/incidents/")
    expect(commander.locator("article.incident", has_text=what)).to_be_visible()

    # the phone follows the published version, even from v1's address
    phone.goto("/plans/1/phone/")
    phone.wait_for_url(f"**/plans/{v2}/phone/")
    expect(phone.locator("#plan-version")).to_have_attribute("data-version", str(2))
    shot(phone, "spine-phone-v2.png", shots)
    assert outside == []
