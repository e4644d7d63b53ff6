"""Two browser tabs on one TPS and on one plan version (issue 15 item 3): the tab that saves
second sees the conflict page (who changed it, when, both values), nothing of the first is
lost, and its own edit is applied knowingly from that page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _guarded_page, login, serve_demo

NEW_PLAN = re.compile(r"/plans/(\d+)/$")


@pytest.fixture
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    """A console of this test alone: it edits a TPS and makes plan versions."""
    with serve_demo(tmp_path_factory.mktemp("conflict")) as url:
        yield url


@pytest.mark.on_both_databases
def test_the_second_tab_gets_a_conflict_and_applies_its_edit_knowingly(browser: Any, own_console: str) -> None:
    first, outside_first = _guarded_page(browser, own_console)
    second, outside_second = _guarded_page(browser, own_console)
    for tab in (first, second):
        login(tab, "perencana")
        tab.goto("/ops/1/tps/1/edit/")

    first.fill("#id_voters", "321")
    first.click("#edit-form button")
    first.wait_for_url(lambda url: "/edit/" not in url)

    second.fill("#id_voters", "432")
    second.click("#edit-form button")
    expect(second.locator("#conflict")).to_contain_text("Data ini telah diubah oleh")
    expect(second.locator("#conflict")).to_contain_text("(perencana) pada")
    expect(second.locator("#conflict")).to_contain_text("sejak Anda membukanya")
    expect(second.locator("#conflict-values tr.differs td.theirs")).to_contain_text("321")
    expect(second.locator("#conflict-values tr.differs td.yours")).to_contain_text("432")
    first.goto("/ops/1/tps/1/edit/")
    expect(first.locator("#id_voters")).to_have_value("321")  # the first edit kept

    second.click("#reapply-form button")
    second.wait_for_url(lambda url: "/edit/" not in url)
    first.goto("/ops/1/tps/1/edit/")
    expect(first.locator("#id_voters")).to_have_value("432")

    # two hand edits of plan version 1
    for tab in (first, second):
        tab.goto("/plans/1/")
    desa = first.locator("details.desa").first
    desa.locator("summary").click()
    codes = desa.locator("table.posts td li code").all_inner_texts()[:2]
    assert len(codes) == 2, codes
    for tab, code in ((first, codes[0]), (second, codes[1])):
        tab.fill("#id_person", code)
        tab.check("#id_idle")
        tab.click("#reassign-submit")
        if tab is first:  # saved before the second tab sends its edit, made on version 1 too
            first.wait_for_url(lambda url: NEW_PLAN.search(url) is not None and not url.endswith("/plans/1/"))
    made_first = NEW_PLAN.search(first.url).group(1)
    expect(second.locator("#conflict")).to_contain_text("versi 2 dibuat oleh")
    expect(second.locator("#conflict")).to_contain_text("(perencana) pada")
    expect(second.locator("#conflict")).to_contain_text("sejak Anda membuka versi 1")
    second.click("#reapply-newest button")
    second.wait_for_url(lambda url: NEW_PLAN.search(url) is not None and not url.endswith(f"/plans/{made_first}/"))
    made_second = NEW_PLAN.search(second.url).group(1)
    expect(second.locator("h1").first).to_contain_text("3")
    second.goto(f"/plans/{made_first}/diff/{made_second}/")
    expect(second.locator("#moved")).to_contain_text(codes[1])
    second.goto(f"/plans/1/diff/{made_second}/")
    expect(second.locator("#moved")).to_contain_text(codes[0])  # the first edit is in the newest version
    for tab in (first, second):
        tab.context.close()
    assert outside_first == [] and outside_second == []
