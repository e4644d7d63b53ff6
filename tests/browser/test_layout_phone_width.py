"""What a Kapolsek must read and press on a 390 px phone stands on the screen, not past its
right edge: the whole top menu, the field board's status and "⚠ Belum tiba" flags, the apel's
"%" and "Hadir semua"; and at a laptop's 1366 px the planner's sarpras table keeps its
"Simpan" buttons in sight and names each unit by its name. Each control's box is measured."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import _guarded_page, login, serve_demo

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 800}

# every element of `sel` whose box is empty or not wholly within [0, width]: its text and box
OUTSIDE = """([sel, width]) => [...document.querySelectorAll(sel)]
  .map(e => [e.textContent.trim().slice(0, 40), e.getBoundingClientRect()])
  .filter(([, r]) => r.width === 0 || r.left < -0.5 || r.right > width + 0.5)
  .map(([t, r]) => `${t} [${Math.round(r.left)}, ${Math.round(r.right)}]`)"""


@pytest.fixture(scope="module")
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    """A console of this module alone: the measures need the demo as loaded (every escort late,
    nobody checked in at the apel, so each unit row has its "Hadir semua")."""
    with serve_demo(tmp_path_factory.mktemp("layout")) as url:
        yield url


@pytest.fixture
def as_user(browser: Any, own_console: str) -> Iterator[Any]:
    """Opens a page of the console logged in as a demo user at a viewport size."""
    opened: list[tuple[Any, list[str]]] = []

    def open_as(who: str, size: dict[str, int]) -> Any:
        page, outside = _guarded_page(browser, own_console)
        opened.append((page, outside))
        page.set_viewport_size(size)
        login(page, who)
        return page

    yield open_as
    for page, _ in opened:
        page.context.close()
    assert [url for _, urls in opened for url in urls] == [], "requests left the machine"


def outside(page: Any, selector: str, width: int) -> list[str]:
    found: list[str] = page.evaluate(OUTSIDE, [selector, width])
    return found


def page_width(page: Any) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


@pytest.mark.parametrize("who", ["kapolsek", "perencana"])
def test_the_whole_top_menu_is_on_the_phone_screen(as_user: Any, who: str) -> None:
    """The menu stopped at "Kera…": Peta and Rencana were past the right edge, reached only by
    scrolling the bar sideways with nothing to say so. Now it wraps: each link in sight."""
    page = as_user(who, PHONE)
    page.goto("/ops/1/")
    links = page.locator("nav.menu a")
    names = links.all_inner_texts()
    assert {"Dasbor", "Kerawanan", "Peta", "Rencana"} <= set(names), names
    assert outside(page, "nav.menu a", 390) == []
    assert page.evaluate("(m => m.scrollWidth <= m.clientWidth)(document.querySelector('nav.menu'))")
    assert page_width(page) <= 390


def test_the_field_board_shows_status_and_late_flags_on_the_phone(as_user: Any) -> None:
    """The Status and "⚠ Belum tiba…" columns were off-screen: each post's and escort's row now
    stands in the screen's width, its status and flag beside its name."""
    page = as_user("kapolsek", PHONE)
    page.goto("/plans/1/board/")
    page.locator("#board section[data-kecamatan] tbody tr").first.wait_for()
    flags = page.locator("#escorts td.escort-flag .flag")
    assert flags.count() > 0, "the demo's escorts are all late"
    assert "Belum tiba" in flags.first.inner_text()
    assert page.locator("#board .st").count() > 0
    for selector in ("#board .st", "#escorts td.escort-flag", "#board th", "#board td:first-child"):
        assert outside(page, selector, 390) == [], selector
    assert page_width(page) <= 390


def test_the_apel_keeps_its_percent_and_hadir_semua_on_the_phone(as_user: Any) -> None:
    """The "Hadir semua" buttons were cut and the % column hidden: the meters give way to their
    figures, and the buttons stand in the screen's width."""
    page = as_user("kapolsek", PHONE)
    page.goto("/plans/1/apel/")
    buttons = page.locator("#ready-units form.unit-checkin button")
    buttons.first.wait_for()
    assert buttons.count() == page.locator("#ready-units tr[data-unit]").count()  # nobody checked in yet
    for table in ("#ready-units", "#ready-forces"):
        figures = page.locator(f"{table} td.pct .pct-figure")
        assert figures.count() > 0
        assert all(figures.nth(i).is_visible() for i in range(figures.count())), table
        assert figures.first.inner_text().endswith("%")
        assert outside(page, f"{table} td.pct .pct-figure", 390) == [], table
    assert outside(page, "#ready-units form.unit-checkin button", 390) == []
    assert page_width(page) <= 390


def test_the_sarpras_table_fits_a_laptop_and_names_its_units(as_user: Any) -> None:
    """At 1366 px the table was 1418 px wide, "Simpan" past the edge; each unit showed its code
    ("KORAMIL-17") under its name."""
    page = as_user("perencana", LAPTOP)
    page.goto("/plans/1/sarpras/")
    saves = page.locator("#sarpras button")
    saves.first.wait_for()
    assert saves.count() == page.locator("#sarpras tbody tr[data-unit]").count()
    assert outside(page, "#sarpras button", 1366) == []
    assert page_width(page) <= 1366
    first = page.locator("#sarpras tr[data-unit='KORAMIL-17'] td").first
    assert first.inner_text().strip() == "Koramil Pohjentrek"
    assert "KORAMIL-17" not in page.locator("#sarpras tbody").inner_text()
