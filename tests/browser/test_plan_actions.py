"""The plan page's hand edits and decisions in a real browser, on a console of its own (they
make versions the shared console's tests must not see): a planner finds a person by name in
the suggestion list and makes them idle, then fills the empty slot from "siapa bisa mengisi
slot ini"; the Kapolres approves that version behind a confirmation and withdraws the
approval with a reason, which the audit log shows in words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _guarded_page, login, serve_demo

WAIT = 60_000


@pytest.fixture(scope="module")
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    with serve_demo(tmp_path_factory.mktemp("plan-actions")) as url:
        yield url


def new_version(page: Any, before: str) -> str:
    page.wait_for_url(lambda url: re.search(r"/plans/\d+/$", url) is not None and not url.endswith(before))
    return re.search(r"(/plans/\d+/)$", page.url)[1]  # type: ignore[index]


def test_reassign_by_name_then_approve_and_withdraw_the_approval(browser: Any, own_console: str) -> None:
    """One story on one console: the planner's draft is the one the Kapolres decides on."""
    draft = reassign_by_name_with_a_suggestion_list(browser, own_console)
    withdraw_an_approval(browser, own_console, draft)


def reassign_by_name_with_a_suggestion_list(browser: Any, own_console: str) -> str:
    """The planner makes a person idle and fills the slot again; the draft's address."""
    page, outside = _guarded_page(browser, own_console)
    login(page, "perencana")
    page.goto("/plans/1/")
    rank_and_name = page.locator("table.posts li").first.evaluate("li => li.firstChild.textContent")
    typed = rank_and_name.split()[-1]  # the last word of the name, as a planner would type it
    page.fill("#id_person", typed)
    options = page.locator("#people-list option")
    expect(options.first).to_be_attached(timeout=WAIT)
    labels = options.evaluate_all("os => os.map(o => [o.value, o.label])")
    # the suggestion of the person on the post (another with the same surname may come first)
    value = next(v for v, label in labels if label.startswith(rank_and_name.strip() + " · "))
    assert not re.search(r"TPS-|VILLAGE-|RESERVE-", " ".join(label for _, label in labels))  # no post codes
    page.fill("#id_person", value)  # what choosing the suggestion puts in the field
    page.check("#id_idle")
    page.click("#reassign-submit")
    emptied = new_version(page, "/plans/1/")
    expect(page.locator(".messages li.success")).to_contain_text("cadangan")
    expect(page.locator("#unfilled")).to_have_text("1")

    # the empty slot offers the nearest idle people; one click fills it
    box = page.locator("details.fill-slot").first
    box.locator("summary").click()
    expect(box.locator(".candidate-list li").first).to_be_visible(timeout=WAIT)
    box.locator(".candidate-list li button").first.click()
    filled = new_version(page, emptied)
    expect(page.locator("#unfilled")).to_have_text("0")
    expect(page.locator("#plan-status")).to_have_text("konsep")
    page.context.close()
    assert outside == []
    return filled


def withdraw_an_approval(browser: Any, own_console: str, draft: str) -> None:
    """The Kapolres approves the draft behind a confirmation and withdraws it with a reason."""
    page, outside = _guarded_page(browser, own_console)
    login(page, "kapolres")
    page.goto(draft)
    page.click("#approve")
    expect(page.locator("#approve-box .confirm-body")).to_be_visible()
    page.click("#approve-confirm")
    expect(page.locator("#plan-status")).to_have_text("disetujui")
    page.click("#withdraw")
    page.fill("#withdraw-reason", "pos TPS perlu ditinjau ulang")
    page.click("#withdraw-confirm")
    expect(page.locator("#plan-status")).to_have_text("konsep")
    expect(page.locator(".messages li.success")).to_contain_text("Persetujuan")
    expect(page.locator("#approve")).to_be_visible()

    page.goto("/audit/?action=withdraw_approval")
    row = page.locator("#audit tbody tr").first
    expect(row).to_contain_text("Tarik persetujuan")
    expect(row).to_contain_text("pos TPS perlu ditinjau ulang")
    expect(row).to_contain_text(re.compile(r"Rencana v\d+"))
    page.context.close()
    assert outside == []
