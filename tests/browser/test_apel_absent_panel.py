"""The apel's "Yang tidak hadir" card on a phone, live: a Kapolsek types an NRP and the card
drops the person and counts as the readiness cards do, without a reload; offline, the check-in
is not recorded and neither the cards nor the list change (the page says it failed)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import login

PLAN = 2  # Pemilu 2024, published: the Kapolsek of Pohjentrek holds its apel for his kecamatan
LISTED = 10  # views_apel.ABSENT_LISTED
WAIT = 15_000


def counts(page: Any) -> tuple[int, int]:
    card = int(page.locator("#absent-count").inner_text())
    panel = int(re.sub(r"\D", "", page.locator("#absent-names-count").inner_text()))
    return card, panel


def test_the_absent_card_follows_a_check_in_and_an_offline_one_changes_nothing(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    login(page, "kapolsek")
    page.goto(f"/plans/{PLAN}/apel/")
    card, panel = counts(page)
    assert card == panel and card > LISTED + 1
    names = page.locator("#absent-names li")
    expect(names).to_have_count(LISTED)
    expect(page.locator("#absent-names-more")).to_have_text(
        f"dan {card - LISTED} lainnya: lihat semua di daftar personel"
    )
    first = names.first.get_attribute("data-absentee")

    page.fill("#nrp", first)
    page.click("#nrp-submit")
    expect(page.locator("#scan-result")).to_contain_text(first, timeout=WAIT)
    expect(page.locator("#absent-count")).to_have_text(str(card - 1), timeout=WAIT)
    expect(page.locator("#absent-names-count")).to_have_text(f"({card - 1})", timeout=WAIT)
    expect(page.locator(f'#absent-names li[data-absentee="{first}"]')).to_have_count(0)
    expect(names).to_have_count(LISTED)  # the next absentee moves up
    expect(page.locator("#absent-names-more")).to_have_text(
        f"dan {card - 1 - LISTED} lainnya: lihat semua di daftar personel"
    )

    second = names.first.get_attribute("data-absentee")
    page.context.set_offline(True)
    page.fill("#nrp", second)
    page.click("#nrp-submit")
    expect(page.locator("#scan-result")).to_have_class("scan-result bad", timeout=WAIT)
    assert counts(page) == (card - 1, card - 1)
    expect(page.locator(f'#absent-names li[data-absentee="{second}"]')).to_have_count(1)
    page.context.set_offline(False)
    page.reload()
    assert counts(page) == (card - 1, card - 1)  # nothing was recorded while offline
    expect(page.locator(f'#absent-names li[data-absentee="{second}"]')).to_have_count(1)
