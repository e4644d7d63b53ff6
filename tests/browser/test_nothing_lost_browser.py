"""A session that ends while a refreshed page is open (the live board on the Posko's screen)
does not leave the page frozen on stale figures: its next refresh answers 401 and the page
goes to the login page, which says what happened and returns to the board after login."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import LOGINS, login

PLAN = 1


def test_the_live_board_goes_to_the_login_page_when_the_session_ends(page):
    login(page, "kapolres")
    page.goto(f"/plans/{PLAN}/live/")
    expect(page.locator("#live")).to_be_visible()
    page.context.clear_cookies(name="sessionid")  # the shift's session ended
    page.wait_for_url(f"**/login/?next=/plans/{PLAN}/live/", timeout=15_000)
    expect(page.locator("#login-returning")).to_contain_text("Sesi Anda sudah berakhir")
    page.fill("#id_username", "kapolres")
    page.fill("#id_password", LOGINS["kapolres"])
    page.click("button[type=submit]")
    page.wait_for_url(f"**/plans/{PLAN}/live/")
