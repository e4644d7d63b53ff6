"""The post leader's phone at 390 px (kepalapos, his escort duty in the Pemilu): an escort leg's
departure or arrival shows its "✓ time" at once, on the duty's button at the top and on the
escort's section below, as the page shows it after a reload: once the server has taken the
press, and while offline as waiting to be sent ("menunggu dikirim", as the status shown), also
through a reload without signal. The browser runs in UTC, the console in WIB: the time is the
console's, as the page writes it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, serve_demo
from tests.browser.test_offline_phone import PHONE, WAIT, kept, offline

TICK = re.compile(r"✓ \d\d\.\d\d$")
WAITING = re.compile(r"✓ \d\d\.\d\d \(menunggu dikirim\)$")


@pytest.fixture(scope="module")
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    """A console of this module's own: its escort is the one other phone tests press too."""
    with serve_demo(tmp_path_factory.mktemp("escort_tick")) as url:
        yield url


@pytest.fixture
def phone(browser: Any, own_console: str) -> Iterator[Any]:
    """His phone, 390 px wide, its clock in UTC (the console's is WIB); no request leaves."""
    context = browser.new_context(base_url=own_console, viewport=PHONE, timezone_id="UTC")
    outside: list[str] = []
    context.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith((own_console, "data:", "blob:")) else None
    )
    page = context.new_page()
    login(page, "kepalapos")
    assert page.url.endswith("/plans/2/phone/")
    yield page
    page.context.close()
    assert outside == []


def escort_buttons(page: Any, kind: str) -> tuple[Any, Any]:
    """The first leg's `kind` button of his escort: the duty's at the top, the section's below."""
    escort = page.locator("#post option[data-group='escort']").first.get_attribute("value")
    page.select_option("#post", escort)
    words = "Berangkat dari" if kind == "berangkat" else "Tiba di"
    top = page.locator(f".duty-actions[data-for='{escort}'] button", has_text=words).first
    below = page.locator("section.escort .escort-buttons button", has_text=words).first
    return top, below


def tick(button: Any) -> str:
    return str(button.locator(".tick").inner_text())


def test_a_departure_shows_its_time_once_taken_as_after_a_reload(phone, tmp_path):
    top, below = escort_buttons(phone, "berangkat")
    expect(top.locator(".tick")).to_have_count(0)
    top.click()
    expect(phone.locator("#log li").first).to_contain_text("berangkat — terkirim", timeout=WAIT)
    expect(top.locator(".tick")).to_have_text(TICK)
    expect(below.locator(".tick")).to_have_text(tick(top))
    expect(top).not_to_have_class(re.compile(r"\bpending\b"))
    shown = tick(top)
    phone.screenshot(path=str(tmp_path / "departed.png"))
    phone.reload()
    top, below = escort_buttons(phone, "berangkat")
    assert tick(top) == shown and tick(below) == shown  # what the server shows, to the minute


def test_an_arrival_offline_waits_to_be_sent_then_shows_its_time(phone, tmp_path):
    top, below = escort_buttons(phone, "tiba")
    kept(phone)
    offline(phone.context, True)
    top.click()
    expect(phone.locator("#queue-count")).to_have_text("1")
    for button in (top, below):
        expect(button.locator(".tick")).to_have_text(WAITING)
        expect(button).to_have_class(re.compile(r"\bpending\b"))
    expect(phone.locator("#current-status")).to_have_text("tiba (menunggu dikirim)")
    phone.screenshot(path=str(tmp_path / "waiting.png"))
    waiting = tick(top)

    phone.reload()  # without signal: the page from the phone's copy, the press from its queue
    top, below = escort_buttons(phone, "tiba")
    expect(phone.locator("#queue-count")).to_have_text("1")
    expect(top.locator(".tick")).to_have_text(waiting)
    expect(below.locator(".tick")).to_have_text(waiting)

    offline(phone.context, False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.locator("#queue-count")).to_have_text("0", timeout=WAIT)
    expect(phone.locator("#log li").first).to_contain_text("tiba — terkirim")
    expect(top.locator(".tick")).to_have_text(waiting.replace(" (menunggu dikirim)", ""))
    expect(below.locator(".tick")).to_have_text(waiting.replace(" (menunggu dikirim)", ""))
    expect(top).not_to_have_class(re.compile(r"\bpending\b"))
    shown = tick(top)
    phone.reload()
    top, below = escort_buttons(phone, "tiba")
    assert tick(top) == shown and tick(below) == shown
    width = phone.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= PHONE["width"]


def test_the_manifest_saved_shows_in_its_summary_at_once(phone):
    escort_buttons(phone, "berangkat")  # his escort chosen: its section shown
    details = phone.locator("section.escort details:has(form.manifest-form)").first
    summary = details.locator("summary.manifest-summary")
    summary.click()
    form = details.locator("form.manifest-form")
    for name, value in (("ballot_boxes", "12"), ("booths", "3"), ("seals", "24"), ("envelopes", "6")):
        form.locator(f"input[name='{name}']").fill(value)
    form.locator("button[type=submit]").click()
    expect(phone.locator("#log li").first).to_contain_text("terkirim", timeout=WAIT)
    said = "Muatan (manifes): 12 kotak suara, 3 bilik, 24 segel, 6 sampul"
    expect(summary).to_have_text(said)  # no reload
    phone.reload()
    escort_buttons(phone, "berangkat")
    again = phone.locator("section.escort details:has(form.manifest-form) summary.manifest-summary").first
    assert " ".join(again.inner_text().split()) == said  # as the page shows it after a reload
