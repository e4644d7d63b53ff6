"""The phone without signal, in a real browser: the service worker keeps the phone page and its
assets, so a reload offline still shows the post and the queue; a report and its photo made
offline wait in IndexedDB through reloads and a closed tab, and are stored once each when the
network comes back. Also: the phone, apel and board pages fit a 390 px phone, and the post
leader's status buttons and "Laporkan kejadian" are on the first screen.

Chromium does not apply `set_offline` to a service worker's own fetches, so `offline()` also
aborts every request the worker makes: the network-first page must come from its cache."""

from __future__ import annotations

import io
import json
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _guarded_page, login

PLAN = 1
WAIT = 15_000
PHONE = {"width": 390, "height": 844}


def _no_worker_network(route: Any) -> None:
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def offline(context: Any, on: bool) -> None:
    if on:
        context.set_offline(True)
        context.route("**/*", _no_worker_network)
    else:
        context.unroute("**/*", _no_worker_network)
        context.set_offline(False)


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def kept(page: Any) -> None:
    """Wait until the service worker controls the page and keeps a copy of it."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=WAIT)
    page.wait_for_function(
        "() => caches.open('siaga-pages').then(c => c.match(location.href, {ignoreVary: true})).then(r => !!r)",
        timeout=WAIT,
    )


@pytest.mark.on_both_databases
def test_the_phone_reloads_offline_and_sends_a_queued_report_and_photo_once(page, console_shell):
    page.set_viewport_size(PHONE)
    login(page, "kapolsek")
    page.goto(f"/plans/{PLAN}/phone/")
    expect(page.locator("#queue-count")).to_have_text("0")
    post_name = page.locator("#post option:checked").inner_text()
    kept(page)

    offline(page.context, True)
    page.reload()
    expect(page.locator("#post option:checked")).to_have_text(post_name)  # the post, from the kept copy
    expect(page.locator("#queue-count")).to_have_text("0")
    expect(page.locator("#net")).to_have_class("offline")

    what = f"luring-foto {uuid.uuid4().hex[:8]}"
    page.select_option("#incident-severity", "2")
    page.fill("#incident-description", what)
    page.set_input_files("#incident-photo", {"name": "kejadian.jpg", "mimeType": "image/jpeg", "buffer": jpeg()})
    page.click("#incident-form button[type=submit]")
    expect(page.locator("#queue-count")).to_have_text("1")
    expect(page.locator("#queue-list li")).to_contain_text("Foto kejadian")  # the photo waits with it

    page.reload()  # offline again: still queued, the photo a Blob in IndexedDB
    expect(page.locator("#queue-count")).to_have_text("1")
    expect(page.locator("#queue-jump")).to_be_visible()
    stored = page.evaluate("SiagaQueue.all().then(q => q.map(i => [i.kind, i.photo instanceof Blob, i.photo.size]))")
    assert stored[0][:2] == ["incident", True] and stored[0][2] > 1_000, stored

    context = page.context
    page.close()  # the tab is gone; a new one, still offline, finds the queue
    tab = context.new_page()
    tab.set_viewport_size(PHONE)
    tab.goto(f"/plans/{PLAN}/phone/")
    expect(tab.locator("#queue-count")).to_have_text("1")
    expect(tab.locator("#queue-list li")).to_contain_text("Kejadian")

    keys: dict[str, list[str]] = {"incident": [], "photo": []}
    tab.on(
        "request",
        lambda r: (
            keys["photo" if r.url.endswith("/photo") else "incident"].append(r.headers.get("idempotency-key", ""))
            if r.method == "POST" and "/api/" in r.url
            else None
        ),
    )
    offline(context, False)
    expect(tab.locator("#queue-count")).to_have_text("0", timeout=WAIT)
    expect(tab.locator("#log")).to_contain_text("Foto kejadian", timeout=WAIT)
    expect(tab.locator("#log")).not_to_contain_text("ditolak")
    assert len(keys["incident"]) == 1 and len(keys["photo"]) == 1, keys

    found = json.loads(
        console_shell(
            "import json\n"
            "from siaga.field.models import Incident\n"
            f"rows = Incident.objects.filter(description={what!r})\n"
            "print(json.dumps([[bool(i.photo), i.actions.filter(action='photo').count()] for i in rows]))"
        )
    )
    assert found == [[True, 1]], found  # one report, with one photo


def test_the_status_buttons_and_the_report_button_are_on_the_first_screen(page):
    page.set_viewport_size(PHONE)
    login(page, "kepalapos")
    page.goto(f"/plans/{PLAN}/phone/")
    for selector in ("#status-buttons button >> nth=-1", "#report-jump"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] + box["height"] <= PHONE["height"], (selector, box)
    expect(page.locator("#assignment .assignment-crew a[href^='tel:']").first).to_be_visible()
    expect(page.locator("#assignment a[href^='geo:']").first).to_be_visible()
    expect(page.locator("#first")).not_to_contain_text("TPS-")  # names, never post ids
    page.click("#report-jump")
    expect(page.locator("#incident-kind")).to_be_focused()


def test_the_phone_keeps_its_network_line_in_sight_and_its_links_big_enough_to_tap(page):
    """At 390 px: the online/offline line stays on screen down at the report's button, the
    empty queue shows no "not yet sent" link and no send button, and the phone numbers, the
    folded sections, the language picker and the way out are at least 44 px high (a thumb,
    not a mouse)."""
    page.set_viewport_size(PHONE)
    login(page, "kepalapos")
    page.goto(f"/plans/{PLAN}/phone/")
    expect(page.locator("#queue-jump")).to_be_hidden()
    expect(page.locator("#queue-retry")).to_be_hidden()
    page.locator("#incident-form button[type=submit]").scroll_into_view_if_needed()
    net = page.locator("#net").bounding_box()
    assert net and net["y"] >= 0 and net["y"] + net["height"] <= PHONE["height"], net
    small = page.evaluate(
        """() => [...document.querySelectorAll(
               "#phone a[href^='tel:'], #phone summary, .session select, .session button")]
             .map((e) => [e.textContent.trim().slice(0, 30), Math.round(e.getBoundingClientRect().height)])
             .filter(([, h]) => h < 44)"""
    )
    assert small == [], small


@pytest.mark.parametrize(
    ("who", "paths"),
    [
        ("kepalapos", ["/plans/1/phone/"]),
        ("kapolsek", ["/plans/1/phone/", "/plans/1/apel/", "/plans/1/board/"]),
        ("kapolres", ["/plans/1/phone/", "/plans/1/apel/", "/plans/1/board/"]),
        ("perencana", ["/plans/1/apel/", "/plans/1/board/"]),
    ],
)
def test_the_phone_apel_and_board_pages_fit_390_px(browser: Any, console: str, who: str, paths: list[str]) -> None:
    page, outside = _guarded_page(browser, console)
    page.set_viewport_size(PHONE)
    login(page, who)
    wide = {}
    for path in paths:
        page.goto(path)
        page.locator("h1").first.wait_for()
        width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        if width > PHONE["width"]:
            wide[path] = width
    page.context.close()
    assert wide == {}, f"pages wider than the phone: {wide}"
    assert outside == [], "requests left the machine"


def test_my_reports_show_a_report_as_soon_as_it_is_sent_online_or_from_the_queue(page):
    """The post leader's "Laporan kejadian saya" shows his report as soon as the server has it:
    sent at once, and sent from the queue when the signal comes back (the reading made on coming
    back online, before the queue was sent, is not the last word). The page's clock stands
    still: no timer re-reads the list; only the sending does."""
    page.set_viewport_size(PHONE)
    login(page, "kepalapos")
    page.clock.install()
    page.goto(f"/plans/{PLAN}/phone/")
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)  # from here, no timer fires
    mine = page.locator("#report-status li[data-incident]")

    for from_queue in (False, True):
        before = mine.evaluate_all("items => items.map(i => i.dataset.incident)")
        if from_queue:
            offline(page.context, True)
        page.select_option("#incident-severity", "1")
        page.fill("#incident-description", f"laporan {uuid.uuid4().hex[:8]}")
        page.click("#incident-form button[type=submit]")
        if from_queue:
            expect(page.locator("#queue-count")).to_have_text("1")
            offline(page.context, False)
        expect(page.locator("#queue-count")).to_have_text("0", timeout=WAIT)
        if before:  # the newest of his reports is this one
            known = re.compile(f"^({'|'.join(before)})$")
            expect(mine.first).not_to_have_attribute("data-incident", known, timeout=WAIT)
        else:
            expect(mine).to_have_count(1, timeout=WAIT)
        expect(mine.first.locator(".report-state")).not_to_be_empty()


def test_a_report_made_after_the_session_ended_waits_and_goes_once_he_signs_in_again(page, console_shell):
    """The session ends (signed out elsewhere, or expired): the report is not lost nor refused,
    the phone says why it waits and offers to sign in; signed in again, it is sent."""
    page.set_viewport_size(PHONE)
    login(page, "kepalapos")
    page.goto(f"/plans/{PLAN}/phone/")
    expect(page.locator("#relogin")).to_be_hidden()
    page.context.clear_cookies()  # the session is gone
    what = f"sesi-habis {uuid.uuid4().hex[:8]}"
    page.fill("#incident-description", what)
    page.click("#incident-form button[type=submit]")
    expect(page.locator("#net")).to_contain_text("sesi berakhir", timeout=WAIT)
    expect(page.locator("#queue-count")).to_have_text("1")
    page.locator("#relogin").click()
    expect(page.locator("#login-kept")).to_contain_text("tetap di antrean")  # not "your form was lost"
    expect(page.locator("#login-returning")).to_have_count(0)
    page.fill("#id_username", "kepalapos")
    page.fill("#id_password", "siaga-pos-2022")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/plans/{PLAN}/phone/"))
    expect(page.locator("#queue-count")).to_have_text("0", timeout=WAIT)
    expect(page.locator("#log li").first).to_contain_text("terkirim")
    count = f"from siaga.field.models import Incident; print(Incident.objects.filter(description={what!r}).count())"
    assert console_shell(count).strip() == "1"
