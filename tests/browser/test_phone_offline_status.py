"""The post leader's phone at 390 px, as kepalapos walks it: signing in lands on the Pemilu
(his escort and warehouse duties there end last) with a link to the Pilkades; an escort's
departure and an incident on its leg go from the duty; offline, the status shown follows the
last press still queued; "Terkirim" says when each press was made; a distance reads as
Indonesian writes numbers; a photo that is not one is refused in his language and he attaches
another to his report afterwards."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import _guarded_page, login
from tests.browser.test_offline_phone import PHONE, WAIT, jpeg, offline

FAR = {"latitude": -7.60, "longitude": 112.85}  # some km from any post of Pohjentrek


def phone_page(browser: Any, console: str, **context: Any) -> tuple[Any, list[str]]:
    page, outside = _guarded_page(browser, console)
    page.set_viewport_size(PHONE)
    if context.get("geolocation"):
        page.context.grant_permissions(["geolocation"])
        page.context.set_geolocation(context["geolocation"])
    login(page, "kepalapos")
    return page, outside


def test_he_lands_on_the_pemilu_and_works_his_escort_from_the_phone(browser, console, tmp_path):
    page, outside = phone_page(browser, console)
    assert page.url.endswith("/plans/2/phone/")  # his Pemilu duties end after his Pilkades post
    expect(page.locator("#elsewhere a[href='/plans/1/phone/']")).to_be_visible()
    escort = page.locator("#post option[data-group='escort']").first.get_attribute("value")
    page.select_option("#post", escort)
    assert page.locator("#status-buttons").is_hidden() and page.locator("#tps-section").is_hidden()
    actions = page.locator(f".duty-actions[data-for='{escort}']")
    actions.locator("button", has_text="Berangkat dari").click()
    expect(page.locator("#log li").first).to_contain_text("berangkat — terkirim", timeout=WAIT)
    expect(page.locator("#current-status")).to_have_text("berangkat")
    page.fill("#incident-description", "Ban kendaraan pengawal pecah")
    expect(page.locator("#incident-leg option").first).to_contain_text("Ruas 1")
    page.click("#incident-form button[type=submit]")
    expect(page.locator("#log li").first).to_contain_text("Ruas 1", timeout=WAIT)
    expect(page.locator("#log li").first).to_contain_text("terkirim")
    expect(page.locator("#report-status li[data-incident]").first).to_be_visible(timeout=WAIT)
    page.screenshot(path=str(tmp_path / "escort.png"), full_page=True)
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    page.context.close()
    assert width <= PHONE["width"] and outside == []


def test_offline_the_status_follows_the_last_press_and_sent_says_when_each_was_made(browser, console):
    page, outside = phone_page(browser, console, geolocation=FAR)
    page.clock.install()
    page.goto("/plans/1/phone/")
    post = page.locator("#post option[data-status]").first.get_attribute("value")
    page.select_option("#post", post)
    offline(page.context, True)
    page.locator("#status-buttons button[data-status='tiba']").click()
    expect(page.locator("#queue-count")).to_have_text("1", timeout=WAIT)
    page.clock.run_for(4000)
    page.locator("#status-buttons button[data-status='siaga']").click()
    expect(page.locator("#queue-count")).to_have_text("2", timeout=WAIT)
    expect(page.locator("#current-status")).to_have_text("siaga (menunggu dikirim)")
    made = page.locator("#queue-list li").all_inner_texts()
    page.clock.run_for(10_000)
    offline(page.context, False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-count")).to_have_text("0", timeout=WAIT)
    expect(page.locator("#current-status")).to_have_text("siaga")
    sent = page.locator("#log li").all_inner_texts()[::-1]  # newest first on the page
    page.context.close()
    assert [line.split(" · ")[0] for line in sent] == [line.split(" · ")[0] for line in made]
    assert len({line.split(" · ")[0] for line in sent}) == 2  # made 4 s apart, sent together
    far = re.search(r"lebih dari 1 km dari pos: ([\d.,]+) km", " ".join(sent))
    assert far and "," in far.group(1) and "." not in far.group(1), sent  # 5,482, never 5.482
    assert outside == []


def test_a_file_that_is_no_photo_is_refused_in_his_language_and_he_attaches_one_afterwards(browser, console, tmp_path):
    page, outside = phone_page(browser, console)
    page.goto("/plans/1/phone/")
    page.select_option("#post", page.locator("#post option[data-status]").first.get_attribute("value"))
    note = tmp_path / "catatan.txt"
    note.write_text("bukan foto")
    page.set_input_files("#incident-photo", str(note))
    page.click("#incident-form button[type=submit]")
    refusal = page.locator("#log li", has_text="Foto harus JPEG atau PNG.")
    expect(refusal).to_be_visible(timeout=WAIT)
    assert "photo" not in refusal.inner_text().lower().replace("foto", "")
    expect(page.locator("#log li", has_text="Kejadian").first).to_contain_text("terkirim", timeout=WAIT)
    reports = page.locator("#report-status li[data-incident]")
    expect(reports.first.locator("button.attach-photo")).to_be_visible(timeout=WAIT)
    # his newest report: earlier tests of the session may have left reports of his too
    number = str(max(int(n) for n in reports.evaluate_all("items => items.map(i => i.dataset.incident)")))
    report = page.locator(f"#report-status li[data-incident='{number}']")
    expect(report.locator("button.attach-photo")).to_be_visible(timeout=WAIT)
    picture = tmp_path / "foto.jpg"
    picture.write_bytes(jpeg())
    with page.expect_file_chooser() as chooser:
        report.locator("button.attach-photo").click()
    chooser.value.set_files(str(picture))
    expect(page.locator("#log li").first).to_contain_text(f"#{number} — terkirim", timeout=WAIT)
    expect(page.locator(f"#report-status li[data-incident='{number}'] .report-photo")).to_be_visible(timeout=WAIT)
    page.context.close()
    assert outside == []
