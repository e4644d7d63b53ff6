"""What a user typed survives an ended session on the forms a script sends and on pages htmx
refreshes, as on the console's own forms (tests/browser/test_typed_kept_after_login.py): the
Posko's forms in the incident list htmx refreshes, the Kapolres's area status on the board, the
apel's NRP box. The server answers that the session ended (401, or the login page); the page
keeps what was typed and goes to the login page; after signing in the same page opens with the
values back and the note to check and send again (siaga/static/siaga/typed-kept.js). The phone's
report is kept by its own queue and sent after the login, once: it is not put back in the form."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LOGINS, _guarded_page, login, serve_demo

NOTE = "Isian ini Anda ketik sebelum sesi berakhir dan belum disimpan"
PLAN = 1  # Pilkades 2022, published, with its Posko pages
PHONE = {"width": 390, "height": 844}
WAIT = 20_000


@pytest.fixture(scope="module")
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    """A console of this module's own: its tests report incidents and record seized goods."""
    with serve_demo(tmp_path_factory.mktemp("typed_kept_more")) as url:
        yield url


@pytest.fixture
def tab(browser: Any, own_console: str) -> Iterator[Any]:
    page, outside = _guarded_page(browser, own_console)
    yield page
    page.context.close()
    assert outside == []


@pytest.fixture
def phone(browser: Any, own_console: str) -> Iterator[Any]:
    """The Kapolsek's phone, 390 px wide, on the phone page."""
    page, outside = _guarded_page(browser, own_console)
    page.set_viewport_size(PHONE)
    login(page, "kapolsek")
    page.goto(f"/plans/{PLAN}/phone/")
    yield page
    page.context.close()
    assert outside == []


def session_ends(page: Any) -> None:
    page.context.clear_cookies(name="sessionid")


def sign_in_here(page: Any, username: str) -> None:
    """Signs in on the login page a script sent the browser to (it says what was not saved)."""
    page.wait_for_url(re.compile(r"/login/\?next=.*&sent=1"), timeout=WAIT)
    expect(page.locator("#login-returning")).to_contain_text("belum tersimpan")
    page.fill("#id_username", username)
    page.fill("#id_password", LOGINS[username])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def report(phone: Any, what: str) -> None:
    """The Kapolsek reports an incident from his phone, sent at once."""
    phone.select_option("#incident-kind", "bentrok")
    phone.fill("#incident-description", what)
    phone.click("#incident-form button[type=submit]")
    expect(phone.locator("#queue-count")).to_have_text("0", timeout=WAIT)
    expect(phone.locator("#log li").first).to_contain_text("terkirim")


def test_a_report_written_on_the_phone_after_the_session_ended_goes_once_after_login(phone, tab):
    what = f"sesi habis di ponsel {uuid.uuid4().hex[:8]}"
    session_ends(phone)
    phone.select_option("#incident-severity", "2")
    phone.fill("#incident-description", what)
    phone.click("#incident-form button[type=submit]")
    expect(phone.locator("#net")).to_contain_text("sesi berakhir", timeout=WAIT)
    expect(phone.locator("#queue-count")).to_have_text("1")  # kept in the phone's queue, not lost

    phone.locator("#relogin").click()
    phone.fill("#id_username", "kapolsek")
    phone.fill("#id_password", LOGINS["kapolsek"])
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/plans/{PLAN}/phone/"))
    expect(phone.locator("#queue-count")).to_have_text("0", timeout=WAIT)  # sent by the queue itself
    expect(phone.locator("#log li").first).to_contain_text("terkirim")
    expect(phone.locator("#incident-description")).to_have_value("")  # not put back: it would go twice
    expect(phone.locator(".typed-kept")).to_have_count(0)

    login(tab, "kapolres")
    tab.goto(f"/plans/{PLAN}/incidents/")
    expect(tab.locator("article.incident", has_text=what)).to_have_count(1)


def test_the_kapolres_seized_goods_in_the_refreshed_incident_list_come_back_after_login(phone, tab):
    what = f"surat suara dibawa lari {uuid.uuid4().hex[:8]}"
    report(phone, what)
    login(tab, "kapolres")
    tab.goto(f"/plans/{PLAN}/incidents/")
    card = tab.locator("#incidents article.incident", has_text=what)  # the list htmx refreshes
    card.locator("details.seize-form summary").click()
    form = card.locator("details.seize-form form")
    typed = {"item": "Kotak suara TPS 003", "quantity": "1 buah", "from_whom": "Sdr. Wahyu", "kept_at": "Polsek"}
    for name, value in typed.items():
        form.locator(f"[name={name}]").fill(value)
    session_ends(tab)
    form.get_by_role("button", name="Simpan").click()  # sent by posko.js: the API answers 401
    sign_in_here(tab, "kapolres")

    assert tab.url.endswith(f"/plans/{PLAN}/incidents/")
    expect(card.locator("details.seize-form")).to_have_attribute("open", "")
    for name, value in typed.items():
        expect(form.locator(f"[name={name}]")).to_have_value(value)
    note = card.locator("details.seize-form .typed-kept")
    expect(note).to_contain_text(NOTE)
    expect(tab.locator(".typed-kept")).to_have_count(1)  # at the form it is about, only

    form.get_by_role("button", name="Simpan").click()  # sent again, in a session: saved
    expect(card.locator("table.seized")).to_contain_text("Kotak suara TPS 003", timeout=WAIT)
    expect(tab.locator(".typed-kept")).to_have_count(0)
    tab.reload()
    expect(tab.locator(".typed-kept")).to_have_count(0)
    expect(card.locator("details.seize-form [name=item]")).to_have_value("")


def still(page: Any) -> None:
    """The page's clock stands still from here: its parts are not refreshed (a refresh that
    found the session ended would go to the login page before the form is sent)."""
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)


def test_the_kapolres_area_status_sent_without_a_session_comes_back(tab):
    login(tab, "kapolres")
    tab.clock.install()
    tab.goto(f"/plans/{PLAN}/board/")
    still(tab)
    area = tab.locator("#area-form")
    area.locator("summary").click()
    code = area.locator("select[name=code] option").nth(1).get_attribute("value")
    status = area.locator("select[name=status] option").last.get_attribute("value")
    area.locator("select[name=code]").select_option(code)
    area.locator("select[name=status]").select_option(status)
    area.locator("input[name=note]").fill("Massa berkumpul di balai desa")
    session_ends(tab)
    with tab.expect_response(lambda r: r.request.method == "POST" and "/areas/" in r.url) as sent:
        area.locator("button[type=submit]").click()  # sent by posko.js
    assert sent.value.status == 401
    sign_in_here(tab, "kapolres")

    assert tab.url.endswith(f"/plans/{PLAN}/board/")
    expect(area).to_have_attribute("open", "")
    expect(area.locator("select[name=code]")).to_have_value(str(code))
    expect(area.locator("select[name=status]")).to_have_value(str(status))
    expect(area.locator("input[name=note]")).to_have_value("Massa berkumpul di balai desa")
    expect(area.locator(".typed-kept")).to_contain_text(NOTE)


def test_a_note_typed_on_the_board_survives_the_refresh_that_finds_the_session_ended(tab):
    """Nothing sent: the board's own refresh answers 401 and the page goes to the login page;
    what was typed into its form comes back after it."""
    login(tab, "kapolres")
    tab.goto(f"/plans/{PLAN}/board/")
    area = tab.locator("#area-form")
    area.locator("summary").click()
    area.locator("input[name=note]").fill("Belum dikirim: jalan desa ditutup warga")
    session_ends(tab)  # the board refreshes itself every few seconds
    sign_in_here(tab, "kapolres")

    assert tab.url.endswith(f"/plans/{PLAN}/board/")
    expect(area.locator("input[name=note]")).to_have_value("Belum dikirim: jalan desa ditutup warga")
    expect(area.locator(".typed-kept")).to_contain_text(NOTE)


def test_the_planners_nrp_at_the_apel_comes_back_and_is_recorded_once_sent_again(tab):
    login(tab, "perencana")
    tab.clock.install()
    tab.goto(f"/plans/{PLAN}/apel/")
    still(tab)
    nrp = str(tab.locator("#roster .tick-button").first.get_attribute("data-nrp"))
    tab.fill("#nrp", nrp)
    session_ends(tab)
    with tab.expect_response(lambda r: r.request.method == "POST" and "/checkin" in r.url) as sent:
        tab.click("#nrp-submit")  # sent by apel.js: answered with the login page
    assert sent.value.status == 302 and "/login/" in str(sent.value.headers.get("location"))
    sign_in_here(tab, "perencana")

    assert re.search(rf"/plans/{PLAN}/apel/", tab.url)
    expect(tab.locator("#nrp")).to_have_value(nrp)
    expect(tab.locator("#nrp-form").locator("xpath=preceding-sibling::p[1]")).to_contain_text(NOTE)

    tab.click("#nrp-submit")
    expect(tab.locator("#scan-result")).to_have_class(re.compile("ok"), timeout=WAIT)
    expect(tab.locator(f'#roster tr[data-code="{nrp}"]')).to_have_class(re.compile("present"))
    expect(tab.locator(".typed-kept")).to_have_count(0)
