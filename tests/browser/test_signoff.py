"""The sign-off of a plan's categories in a real browser, on a console of its own (it makes
versions the shared console's tests must not see): a planner re-plans the published plan with
one absentee picked from the search and one TPS made sangat rawan, so the draft's categories
are no longer the ones signed; the
Kapolres cannot approve that draft's Sprin (the button says why, and a posted approval is
refused) until he signs off its categories in the name of the Kasat Intelkam; then he
approves it, and the Sprin's annex, downloaded, names the officer."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _guarded_page, login, serve_demo

WAIT = 90_000


@pytest.fixture(scope="module")
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    with serve_demo(tmp_path_factory.mktemp("signoff")) as url:
        yield url


def pick_absentees(page: Any) -> None:
    """Two people on posts found by surname in the absentee search, the second removed again:
    one is sent. Keys only: Enter adds the suggestion typed, Enter on × removes it."""
    field = page.locator("#absent-pick")
    names = page.locator("table.posts li").evaluate_all(
        "ls => ls.slice(0, 2).map(li => li.firstChild.textContent.trim())"
    )
    for name in names:
        field.press_sequentially(name.split()[-1])
        options = page.locator("#absent-list option")
        expect(options.filter(has_text=name).first).to_be_attached(timeout=WAIT)
        labels = options.evaluate_all("os => os.map(o => [o.value, o.label])")
        assert all("tanpa pos" not in label for _, label in labels)  # only the people the plan places
        field.fill(next(v for v, label in labels if label.startswith(name + " · ")))
        field.press("Enter")  # adds, does not send the form
        expect(field).to_have_value("")
    picked = page.locator("#absent-picked li")
    expect(picked).to_have_count(2)
    expect(picked.first).to_contain_text(names[0])
    picked.nth(1).get_by_role("button").press("Enter")
    expect(picked).to_have_count(1)
    expect(page.locator("#absent-picked input[name=absent_pick]")).to_have_count(1)
    expect(field).to_be_focused()


def test_the_sprin_waits_for_the_signoff_and_its_annex_names_the_officer(
    browser: Any, own_console: str, tmp_path: Path
) -> None:
    # The planner makes a draft whose categories changed: one TPS sangat rawan
    page, outside = _guarded_page(browser, own_console)
    login(page, "perencana")
    page.goto("/plans/1/")
    pick_absentees(page)
    # the TPS typed by its code, as picking it from the one shared suggestion list does
    tps = page.locator("#tps-codes option").nth(1)
    tps_label = tps.inner_text()
    page.locator("#category-picks input[name=change_tps]").first.fill(tps.get_attribute("value") or "")
    page.locator("#category-picks select[name=change_category]").first.select_option("SANGAT_RAWAN")
    page.click("#replan-submit")
    page.wait_for_url(lambda url: re.search(r"/plans/(?!1/)\d+/$", url) is not None, timeout=WAIT)
    draft = re.search(r"(/plans/\d+/)$", page.url)[1]  # type: ignore[index]
    expect(page.locator("#plan-status")).to_have_text("konsep")
    expect(page.locator("#replan-info")).to_contain_text("1 personel berhalangan")
    page.context.close()

    # The Kapolres: the diff shows the category change; approval is refused until sign-off
    page, more = _guarded_page(browser, own_console)
    outside += more
    login(page, "kapolres")
    page.goto(draft)
    expect(page.locator("#signoff-missing")).to_be_visible()
    expect(page.locator("#approve")).to_have_count(0)
    expect(page.locator("#approve-why")).to_contain_text("belum disahkan oleh Kasat Intelkam atau Kapolres")
    page.click("text=lihat perubahan")
    number, desa = re.match(r"TPS 0*(\d+) ([^·]+)", tps_label).groups()  # type: ignore[union-attr]
    expect(page.locator("#categories")).to_contain_text(f"TPS {number} {desa.strip()}")
    expect(page.locator("#categories")).to_contain_text("Sangat rawan")
    expect(page.locator("#categories-signoff")).to_contain_text("perlu disahkan lagi")
    page.goto(draft)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    posted = page.request.post(
        f"{draft}approve/",
        form={"confirm": "yes"},
        headers={"X-CSRFToken": token, "Referer": own_console + draft},
        max_redirects=0,
    )
    assert posted.status == 302  # back to the plan, with the refusal
    page.goto(draft)
    expect(page.locator(".messages li.error")).to_contain_text("belum disahkan")
    expect(page.locator("#plan-status")).to_have_text("konsep")

    # The sign-off in the Kasat Intelkam's name
    page.click("#signoff-open")
    officer = page.locator("#signoff-officer option", has_text="Kasat Intelkam").first
    officer_text = officer.inner_text()
    page.select_option("#signoff-officer", officer.get_attribute("value"))
    page.click("#signoff-confirm")
    expect(page.locator("#signoff-line")).to_contain_text("Kasat Intelkam")
    name = re.search(r"Kasat Intelkam: \S+ (.+) \(NRP", officer_text)[1]  # type: ignore[index]
    expect(page.locator("#signoff-line")).to_contain_text(name)

    # Now the approval goes through, and the annex names the officer
    page.click("#approve")
    page.click("#approve-confirm")
    expect(page.locator("#plan-status")).to_have_text("disetujui")
    page.locator("#orders a", has_text="Sprin").click()
    expect(page.locator("#orders-ready")).to_be_visible(timeout=WAIT)
    with page.expect_download(timeout=WAIT) as download:
        page.locator("#orders a", has_text="Sprin").click()
    pdf = tmp_path / "sprin.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert f"Kategori kerawanan TPS disahkan oleh Kasat Intelkam {name}," in flat, "no sign-off line in the annex"
    page.context.close()
    assert outside == []
