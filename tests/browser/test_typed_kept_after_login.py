"""Nothing that a user typed is lost when his session ends: a console form sent without a
session goes to the login page (which says it was not saved); after signing in he is back on
the page with what he typed in the same fields and a note at the form to check and send again
(siaga/static/siaga/typed-kept.js). Any other load of the page (the form saved, a fresh visit,
another user signing in, a draft hours old) shows the page as the server has it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LOGINS, _guarded_page, login, serve_demo

NOTE = "Isian ini Anda ketik sebelum sesi berakhir dan belum disimpan"
PLAN = 1  # Pilkades 2022, published: the Kapolsek counts his sarpras
WITHDRAWN = 2  # Pemilu 2024's plan: the Kapolres withdraws it with a reason (PLAN stays published)


@pytest.fixture(scope="module")
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    """A console of this module's own: its tests save people and withdraw a plan."""
    with serve_demo(tmp_path_factory.mktemp("typed_kept")) as url:
        yield url


@pytest.fixture
def tab(browser: Any, own_console: str) -> Iterator[Any]:
    page, outside = _guarded_page(browser, own_console)
    yield page
    page.context.close()
    assert outside == []


def session_ends(page: Any) -> None:
    page.context.clear_cookies(name="sessionid")


def sign_in_here(page: Any, username: str, password: str = "") -> None:
    """Signs in on the login page the browser is on (after an unsaved send)."""
    expect(page.locator("#login-returning")).to_contain_text("belum tersimpan")
    page.fill("#id_username", username)
    page.fill("#id_password", password or LOGINS[username])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def first_person_edit(page: Any) -> str:
    page.goto("/ops/1/personnel/")
    return str(page.locator("a[href$='/edit/']").first.get_attribute("href"))


def test_a_persons_edit_comes_back_after_login_and_not_after_it_is_saved(tab):
    login(tab, "perencana")
    edit = first_person_edit(tab)
    tab.goto(edit)
    rank = tab.input_value("#id_rank")
    available = "tidak" if tab.input_value("#id_available") == "ya" else "ya"
    tab.fill("#id_position", "Kanit jaga malam TPS 004")
    tab.select_option("#id_available", available)
    session_ends(tab)
    tab.click("#edit-form button")
    tab.wait_for_url(f"**/login/?next={edit}&sent=1")
    sign_in_here(tab, "perencana")

    assert tab.url.endswith(edit)
    expect(tab.locator("#id_position")).to_have_value("Kanit jaga malam TPS 004")
    expect(tab.locator("#id_available")).to_have_value(available)
    expect(tab.locator("#id_rank")).to_have_value(rank)  # not touched: as saved
    note = tab.locator(".typed-kept")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(NOTE)
    expect(tab.locator(".typed-kept + #edit-form")).to_have_count(1)  # at the form it is about

    tab.reload()  # any other load of the page: the server's values, no note
    expect(tab.locator(".typed-kept")).to_have_count(0)
    expect(tab.locator("#id_position")).not_to_have_value("Kanit jaga malam TPS 004")

    tab.fill("#id_position", "Kanit jaga malam TPS 004")
    tab.click("#edit-form button")
    expect(tab.locator(".messages .success")).to_contain_text("disimpan")
    tab.goto(edit)
    expect(tab.locator("#id_position")).to_have_value("Kanit jaga malam TPS 004")  # saved, shown by the server
    expect(tab.locator(".typed-kept")).to_have_count(0)
    assert tab.evaluate("sessionStorage.getItem('siaga-typed-kept')") is None


def test_the_ticks_and_the_choice_of_a_bulk_form_come_back(tab):
    login(tab, "perencana")
    tab.goto("/ops/1/personnel/")
    boxes = tab.locator("#bulk input[name=ids]")
    ticked = [boxes.nth(1).get_attribute("value"), boxes.nth(3).get_attribute("value")]
    boxes.nth(1).check()
    boxes.nth(3).check()
    tab.select_option("#bulk select[name=available]", "tidak")
    session_ends(tab)
    tab.click("#bulk-available")
    sign_in_here(tab, "perencana")

    assert tab.url.endswith("/ops/1/personnel/")
    checked = tab.locator("#bulk input[name=ids]:checked").evaluate_all("bs => bs.map(b => b.value)")
    assert sorted(checked) == sorted(ticked)
    expect(tab.locator("#bulk select[name=available]")).to_have_value("tidak")
    expect(tab.locator(".typed-kept")).to_contain_text(NOTE)

    tab.click("#bulk-available")  # sent again, in a session: saved
    expect(tab.locator(".messages .success")).to_be_visible()
    expect(tab.locator(".typed-kept")).to_have_count(0)
    tab.reload()
    expect(tab.locator(".typed-kept")).to_have_count(0)
    expect(tab.locator("#bulk input[name=ids]:checked")).to_have_count(0)


def test_the_kapolres_reason_comes_back_in_its_opened_box_and_goes_once_sent(tab):
    login(tab, "kapolres")
    tab.goto(f"/plans/{WITHDRAWN}/")
    tab.click("#withdraw")
    tab.fill("#withdraw-reason", "Koreksi jumlah personel di Kec. Pohjentrek")
    session_ends(tab)
    tab.click("#withdraw-confirm")
    sign_in_here(tab, "kapolres")

    assert tab.url.endswith(f"/plans/{WITHDRAWN}/")
    expect(tab.locator("#withdraw-box")).to_have_attribute("open", "")  # the closed box is opened for him
    expect(tab.locator("#withdraw-reason")).to_have_value("Koreksi jumlah personel di Kec. Pohjentrek")
    expect(tab.locator("#withdraw-box .typed-kept")).to_contain_text(NOTE)

    tab.click("#withdraw-confirm")
    expect(tab.locator(".messages .success")).to_be_visible()
    expect(tab.locator(".typed-kept")).to_have_count(0)
    tab.reload()
    expect(tab.locator(".typed-kept")).to_have_count(0)
    reasons = tab.locator("#withdraw-reason")
    if reasons.count():  # withdrawn from publication, it may be withdrawn again: an empty reason
        expect(reasons).to_have_value("")


def test_another_user_signing_in_on_that_tab_does_not_get_them(tab):
    login(tab, "perencana")
    tab.goto("/ops/1/personnel/")
    tab.locator("#bulk input[name=ids]").first.check()
    session_ends(tab)
    tab.click("#bulk-available")
    sign_in_here(tab, "admin", "siaga-admin-2022")

    assert tab.url.endswith("/ops/1/personnel/")
    expect(tab.locator("#bulk input[name=ids]")).not_to_have_count(0)
    expect(tab.locator("#bulk input[name=ids]:checked")).to_have_count(0)
    expect(tab.locator(".typed-kept")).to_have_count(0)


def test_values_kept_for_hours_are_dropped(tab):
    login(tab, "perencana")
    edit = first_person_edit(tab)
    tab.goto(edit)
    tab.fill("#id_position", "Ketikan kemarin")
    session_ends(tab)
    tab.click("#edit-form button")
    tab.wait_for_url("**/login/**")
    tab.evaluate(  # the send was four hours ago (he left the login page open)
        """() => {
            const state = JSON.parse(sessionStorage.getItem('siaga-typed-kept'));
            for (const d of Object.values(state.drafts)) d.at -= 4 * 3600 * 1000;
            sessionStorage.setItem('siaga-typed-kept', JSON.stringify(state));
        }"""
    )
    sign_in_here(tab, "perencana")

    assert tab.url.endswith(edit)
    expect(tab.locator("#id_position")).not_to_have_value("Ketikan kemarin")
    expect(tab.locator(".typed-kept")).to_have_count(0)


def test_a_sarpras_count_of_the_kapolsek_comes_back_in_its_row(tab):
    login(tab, "kapolsek")
    tab.goto(f"/plans/{PLAN}/sarpras/")
    row = tab.locator("#sarpras tbody tr").filter(has=tab.locator("form[method=post]")).first
    form = row.locator("form[method=post]")
    count = row.locator("input[name^=present_]").first  # outside its form, tied by form=
    typed = str(int(count.input_value() or "0") + 3)
    count.fill(typed)
    session_ends(tab)
    form.locator("button").click()
    sign_in_here(tab, "kapolsek")

    assert tab.url.endswith(f"/plans/{PLAN}/sarpras/")
    expect(count).to_have_value(typed)
    expect(row.locator(".typed-kept")).to_contain_text(NOTE)
    expect(tab.locator(".typed-kept")).to_have_count(1)  # only at the row that was sent

    form.locator("button").click()
    expect(tab.locator(".messages .success")).to_contain_text("disimpan")
    expect(count).to_have_value(typed)  # as saved
    tab.reload()
    expect(tab.locator(".typed-kept")).to_have_count(0)
