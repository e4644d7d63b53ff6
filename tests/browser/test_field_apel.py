"""The apel gelar pasukan in a real browser: the planner, as marshal, checks people in by the
card's QR code (the test signs a genuine token with the console's card key and feeds the
decoded text to the function the camera scanner calls), by NRP and by a tick on the list; the
readiness updates without a reload; a tampered card is refused; the one absentee left becomes a
re-plan that shows who moves where."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from siaga.core.data import linmas
from siaga.core.data.planfile import digest, from_json
from siaga.core.documents import tokens
from tests.browser.conftest import login
from tests.browser.test_story import PLAN_PAGE, demo_operation, shoot

CHECK_IN_ALL = """
async (codes) => {
  for (let at = 0; at < codes.length; at += 25) {
    await Promise.all(codes.slice(at, at + 25).map((code) => window.siagaApel.checkInNrp(code, "list")));
  }
}
"""


def open_apel(page: Any) -> int:
    op = demo_operation(page)
    page.goto(f"/plans/ops/{op}/")
    page.locator("#versions tbody tr a").last.click()  # the demo's first plan
    page.wait_for_url(PLAN_PAGE)
    plan = int(PLAN_PAGE.search(page.url)[1])
    page.goto(f"/plans/{plan}/apel/")
    return plan


def present(page: Any) -> int:
    return int(page.locator("#present-count").inner_text())


def test_a_marshal_checks_in_by_qr_and_nrp_and_replans_the_absentee(page: Any, card_key: bytes, tmp_path: Path) -> None:
    login(page, "perencana")
    plan = open_apel(page)
    rows = page.locator("#roster tbody tr")
    codes = rows.evaluate_all("rows => rows.filter(r => !r.classList.contains('present')).map(r => r.dataset.code)")
    assert len(codes) > 10
    before = present(page)
    key = card_key

    # a card's QR code (its plan version and post as the printed card has them): the decoded
    # text goes to the same function the camera scanner calls
    printed = from_json(page.request.get(f"/plans/{plan}/plan.json").json())
    version, post_of = digest(printed), {a.person: a.post for a in printed.assignments}
    token = tokens.sign({"nrp": codes[0], "plan": version, "post": post_of[codes[0]]}, key)
    page.evaluate("token => window.siagaApel.checkInToken(token)", token)
    expect(page.locator("#scan-result")).to_contain_text(linmas.shown(codes[0], ""))
    expect(page.locator(f'#roster tr[data-code="{codes[0]}"]')).to_have_class("present")
    expect(page.locator("#present-count")).to_have_text(str(before + 1))  # no reload

    # a tampered card is refused with a message
    forged = tokens.sign({"nrp": codes[1], "plan": version, "post": post_of[codes[1]]}, key).partition(".")[0]
    page.evaluate("token => window.siagaApel.checkInToken(token)", forged + "." + token.partition(".")[2])
    expect(page.locator("#scan-result")).to_have_class("scan-result bad")
    expect(page.locator("#scan-result")).to_contain_text("tanda tangan")

    # the NRP typed, and a tick on the list
    page.fill("#nrp", codes[1])
    page.click("#nrp-submit")
    expect(page.locator("#scan-result")).to_contain_text(linmas.shown(codes[1], ""))
    page.locator(f'#roster tr[data-code="{codes[2]}"] .tick-button').click()
    expect(page.locator(f'#roster tr[data-code="{codes[2]}"]')).to_have_class("present")
    expect(page.locator("#present-count")).to_have_text(str(before + 3))
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, Path(os.environ.get("SIAGA_SCREENSHOTS") or tmp_path), "apel")

    # everyone else but one arrives (the roll call is paged: the rest from the plan file);
    # that one becomes a re-plan
    absentee = codes[-1]
    others = sorted(post_of.keys() - {absentee, *codes[:3]})
    assert len(others) > len(codes)  # more people than the roll call's first page
    page.evaluate(CHECK_IN_ALL, others)
    expect(page.locator("#absent-count")).to_have_text("1", timeout=10_000)
    expect(page.locator(f'#absentees [data-absent="{absentee}"]')).to_be_visible()
    page.click("#replan-absent")
    page.click("#replan-absent-confirm")  # a confirmation first
    page.wait_for_url(f"**/plans/{plan}/apel/replan/?r=*")
    expect(page.locator("#replan-done")).to_be_visible(timeout=60_000)
    shown = linmas.shown(absentee, "")  # a Linmas's NIK is shown masked
    expect(page.locator("#moves")).to_contain_text(shown)
    page.click("#open-diff")
    page.wait_for_url(f"**/plans/{plan}/diff/*/")
    expect(page.locator("body")).to_contain_text(shown)


def test_the_roll_call_pages_and_filters_by_unit_and_attendance(page: Any) -> None:
    """The Kabag Ops narrows the roll call to one unit, then to who is present, and pages on
    through everyone; the filter form works without script."""
    login(page, "perencana")
    open_apel(page)
    option = page.locator('#roll-unit option:not([value=""]):not([value="-"])').first  # a unit, not "no unit"
    unit, name = option.get_attribute("value"), option.inner_text().rsplit(" · ", 1)[0]
    page.select_option("#roll-unit", unit)
    page.locator("#roll-filter button").click()
    page.wait_for_url("**/apel/?*unit=*")
    expect(page.locator("#roll-unit")).to_have_value(unit)
    units = page.locator("#roster tbody tr[data-code] td:nth-child(3)").all_inner_texts()
    assert 0 < len(units) <= 100 and set(units) == {name}
    page.select_option("#roll-present", "yes")
    page.locator("#roll-filter button").click()
    page.wait_for_url("**/apel/?*present=yes*")
    rows = page.locator("#roster tbody tr[data-code]")
    assert rows.count() == page.locator("#roster tbody tr.present").count()
    page.locator("#roll-clear").click()
    expect(page.locator("#roster tbody tr[data-code]")).to_have_count(100)
    page.locator('.pagination a[rel="next"]').first.click()
    expect(page.locator(".pagination").first).to_contain_text("Halaman 2")


def test_the_absentee_list_stays_as_the_reader_left_it_while_the_panel_refreshes(page: Any) -> None:
    """The readiness panel is fetched anew every 2 s; the list of who is missing stays open (or
    closed) as the marshal left it, so its link to the roll call can be clicked."""
    login(page, "perencana")
    open_apel(page)
    was = page.locator("#absentees").evaluate("d => d.open")
    page.locator("#absentees > summary").click()
    assert page.locator("#absentees").evaluate("d => d.open") is not was
    page.evaluate("() => { window.swaps = 0; document.addEventListener('htmx:afterSwap', () => window.swaps++); }")
    page.wait_for_function("() => window.swaps >= 2", timeout=30_000)
    assert page.locator("#absentees").evaluate("d => d.open") is not was


def test_a_viewer_of_the_apel_cannot_check_in(page: Any) -> None:
    login(page, "kapolres")
    open_apel(page)
    expect(page.locator("#read-only")).to_be_visible()
    expect(page.locator("#nrp-form")).to_have_count(0)
    expect(page.locator("#readiness")).to_be_visible()


def test_a_kapolsek_checks_in_a_whole_unit_of_his_sector_after_confirming(page: Any, tmp_path: Path) -> None:
    """The commander of a formed-up unit reports it complete: one click and a confirmation
    record everyone of it in the kapolsek's kecamatan; the readiness shows it without more."""
    login(page, "kapolsek")
    # an apel where a unit of his sector is still to be recorded (other tests check people in too)
    for plan in (2, 1):
        page.goto(f"/plans/{plan}/apel/")
        if page.locator("#ready-units form.unit-checkin").count():
            break
    form = page.locator("#ready-units form.unit-checkin").first
    expect(form).to_be_visible()
    unit = form.locator("input[name=unit]").get_attribute("value")
    row = page.locator(f'#ready-units tr[data-unit="{unit}"]')
    expected = int(row.locator("td.num").nth(1).inner_text())
    said: list[str] = []

    def answer(dialog: Any) -> None:
        said.append(dialog.message)
        dialog.dismiss() if len(said) == 1 else dialog.accept()

    page.on("dialog", answer)
    form.locator("button").click()  # the first time the clerk thinks again
    page.wait_for_timeout(300)
    assert int(row.locator("td.present").inner_text()) < expected and len(said) == 1
    form.locator("button").click()
    page.wait_for_load_state()
    expect(page.locator("ul.messages")).to_contain_text("personel dicatat hadir")
    row = page.locator(f'#ready-units tr[data-unit="{unit}"]')
    expect(row.locator("td.present")).to_have_text(str(expected))
    expect(row.locator("form.unit-checkin")).to_have_count(0)
    assert "berbaris lengkap" in said[0]
    shoot(page, Path(os.environ.get("SIAGA_SHOTS", tmp_path)), "apel-unit-checkin")


UNIT_COUNTS = "os => os.map(o => [o.value, ...o.textContent.match(/^(.*) · (\\d+)\\/(\\d+)$/).slice(1)])"
FORGET_UNIT = """
from siaga.field.models import CheckIn
from siaga.operations.models import Person
CheckIn.objects.filter(person_code__in=Person.objects.filter(unit_code=%r).values("code")).delete()
"""


@pytest.mark.parametrize("username", ["perencana", "kapolsek"])
def test_the_unit_filter_counts_follow_a_tick_without_a_reload(
    page: Any, username: str, console_shell: Callable[[str], str]
) -> None:
    """The satuan filter shows present/expected per unit ("Sat Samapta · 3/40"); a tick on the
    list moves that unit's count at once, as the readiness panel does, with no reload."""
    login(page, username)
    open_apel(page)
    options = page.locator('#roll-unit option:not([value=""]):not([value="-"])')  # units, not "no unit"
    counts = options.evaluate_all(UNIT_COUNTS)
    if all(c[2] == c[3] for c in counts):  # other tests checked everyone in: one unit arrives anew
        console_shell(FORGET_UNIT % counts[0][0])
        page.reload()
        counts = options.evaluate_all(UNIT_COUNTS)
    unit, name, before, expected = next(c for c in counts if int(c[2]) < int(c[3]))
    page.goto(page.url.split("?")[0] + f"?unit={unit}&present=no#roll-call")
    page.evaluate("window.notReloaded = true")
    page.locator("#roster .tick-button").first.click()
    option = page.locator(f'#roll-unit option[value="{unit}"]')
    expect(option).to_have_text(f"{name} · {int(before) + 1}/{expected}")
    expect(page.locator(f'#ready-units tr[data-unit="{unit}"] td.present')).to_have_text(str(int(before) + 1))
    assert page.evaluate("window.notReloaded") is True
