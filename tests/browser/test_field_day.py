"""Election day in a real browser: a post leader (the field officer `kepalapos`, who sees only
their own post) moves their post through the pergeseran from the phone page while the
commander's board shows each step without a reload; an incident is reported from the phone, escalated,
dispatched and closed (with a disposition) on the incident page while the live dashboard follows; a write made
offline is queued, shown, and sent once back online, a lost answer retried with the same key
storing one record.

The demo plan is the first plan of the console's database (`manage.py demo`)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import login

PLAN = 1
WAIT = 15_000


def shot(page: Any, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("SIAGA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)
    assert (folder / name).stat().st_size > 5_000


def phone_of(page: Any, user: str = "kapolsek") -> str:
    """The phone page of `user`, narrow, on their first post; that post's id."""
    page.set_viewport_size({"width": 390, "height": 860})
    login(page, user)
    page.goto(f"/plans/{PLAN}/phone/")
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.locator("#queue-count")).to_have_text("0")
    return str(page.locator("#post").input_value())


def test_a_post_leader_moves_the_post_and_the_board_follows(page, open_page, tmp_path):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": -7.2, "longitude": 112.5})  # far from Pasuruan
    post = phone_of(page, "kepalapos")
    expect(page.locator(f'#assignment dl[data-post="{post}"]')).to_have_count(1)  # their own assignment
    expect(page.locator("#assignment")).not_to_contain_text(post)  # named, never by its id
    expect(page.locator("#post option")).to_have_count(1)  # and only their own post
    board = open_page()
    login(board, "kapolres")
    board.goto(f"/plans/{PLAN}/board/")
    board.evaluate("window.__sameDocument = true")
    row = board.locator(f'tr[data-post="{post}"]')
    expect(row).to_have_attribute("data-status", "belum_berangkat")
    expect(row).to_have_class("waiting")

    for status in ("berangkat", "tiba", "koordinasi", "siaga"):
        page.click(f'#status-buttons button[data-status="{status}"]')
        expect(page.locator("#log li").first).to_contain_text("terkirim", timeout=WAIT)
        expect(row).to_have_attribute("data-status", status, timeout=WAIT)
    expect(row).to_have_class("in-place")
    expect(row).to_contain_text("km")  # the check-in was more than 1 km from the post: flagged
    expect(page.locator("#current-status")).to_have_text("siaga")
    assert board.evaluate("window.__sameDocument") is True  # no reload
    shot(page, tmp_path, "field-phone.png")
    shot(board, tmp_path, "field-board.png")


def test_an_incident_is_reported_escalated_dispatched_and_closed(page, open_page):
    phone_of(page)
    tps_post = page.locator("#post option").evaluate_all("options => options.map(o => o.value)")
    page.select_option("#post", next(code for code in tps_post if code.startswith("TPS-")))  # a post with TPS
    live = open_page()
    login(live, "kapolres")
    live.goto(f"/plans/{PLAN}/live/")
    live.evaluate("window.__sameDocument = true")
    before = int(live.locator("#live-open").inner_text())

    what = f"uji {uuid.uuid4().hex[:8]}"
    page.select_option("#incident-kind", "gangguan kamtibmas")
    page.select_option("#incident-severity", "3")
    page.select_option("#incident-tps", index=1)
    page.fill("#incident-description", what)
    page.click("#incident-form button[type=submit]")
    expect(page.locator("#log li").first).to_contain_text("terkirim", timeout=WAIT)
    expect(live.locator("#live-open")).to_have_text(str(before + 1), timeout=WAIT)

    desk = open_page()
    login(desk, "perencana")
    desk.goto(f"/plans/{PLAN}/incidents/")
    card = desk.locator("article.incident", has_text=what)
    expect(card).to_have_attribute("data-status", "dilaporkan")
    expect(card.locator(".suggested")).to_contain_text("Saran satuan tercepat")
    card.get_by_role("button", name="Eskalasi ke Kapolres").click()  # command passes up (Perkap 16/2006)
    expect(card).to_have_attribute("data-level", "polres", timeout=WAIT)
    expect(card).to_have_attribute("data-status", "dilaporkan")  # command passed up; nothing sent yet
    card.locator("button.dispatch", has_text="Dalmas").first.click()  # the Kabag Ops sends no Brimob himself
    expect(card.locator("li.unit")).to_have_attribute("data-step", "dikerahkan", timeout=WAIT)
    expect(card).to_have_attribute("data-status", "ditangani")
    card.locator("details.close-form summary").click()
    card.locator("select[name=disposition]").select_option("selesai_di_tempat")
    card.locator("textarea[name=note]").fill("selesai di tempat")
    card.locator("details.close-form .ask").click()
    card.get_by_role("button", name="Ya, tutup kejadian").click()
    expect(card).to_have_attribute("data-status", "selesai", timeout=WAIT)
    expect(card.locator(".closed-by")).to_contain_text("oleh")
    expect(live.locator("#live-open")).to_have_text(str(before), timeout=WAIT)
    assert live.evaluate("window.__sameDocument") is True


def test_the_phone_queues_a_write_while_offline_and_sends_it_once(page, open_page):
    phone_of(page)
    what = f"luring {uuid.uuid4().hex[:8]}"
    page.context.set_offline(True)
    page.select_option("#incident-severity", "1")
    page.fill("#incident-description", what)
    page.click("#incident-form button[type=submit]")
    expect(page.locator("#queue-count")).to_have_text("1")
    expect(page.locator("#queue-list li")).to_contain_text("Kejadian")
    expect(page.locator("#net")).to_have_class("offline")
    page.wait_for_timeout(6_000)  # the retry timer runs while offline: still queued
    expect(page.locator("#queue-count")).to_have_text("1")

    attempts: list[str] = []

    def lose_the_first_answer(route: Any) -> None:
        attempts.append(route.request.headers.get("idempotency-key", ""))
        if len(attempts) == 1:
            route.fetch()  # the server stores it ...
            route.abort()  # ... but the phone never hears back
        else:
            route.continue_()

    page.route("**/api/plans/*/incidents", lose_the_first_answer)
    page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0", timeout=WAIT)
    expect(page.locator("#log li").first).to_contain_text("terkirim")
    assert len(attempts) >= 2 and len(set(attempts)) == 1, attempts  # the same key each time

    desk = open_page()
    login(desk, "perencana")
    desk.goto(f"/plans/{PLAN}/incidents/")
    expect(desk.locator("article.incident", has_text=what)).to_have_count(1)
