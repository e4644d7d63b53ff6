"""The lists in a real browser (issue 14 items 4 and 5): the planner sorts and filters the
roster and downloads it as a workbook that holds exactly the filtered rows; re-importing the
demo workbook with one TPS changed updates the same operation as a new data version whose
diff names the TPS."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from siaga.core.data import demo
from siaga.core.data.scenario import write_scenario
from tests.browser.conftest import CONSOLE_ENVS, ROOT, _guarded_page, login, serve_demo


def shell(console: str, code: str) -> str:
    manage = [sys.executable, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", code]
    env = CONSOLE_ENVS[console]
    return subprocess.run(manage, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


DEMO_OPERATION = (
    "from siaga.operations.models import Operation; "
    f"print(Operation.objects.get(name={demo.pasuruan_kota().operation.name!r}).pk)"
)


def demo_operation(console: str) -> int:
    return int(shell(console, DEMO_OPERATION))


def test_a_planner_sorts_filters_and_exports_the_roster(browser: Any, console: str, console_shell: Any) -> None:
    page, outside = _guarded_page(browser, console)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "perencana")
    op = int(console_shell(DEMO_OPERATION).strip())
    page.goto(f"/ops/{op}/personnel/")
    page.select_option("select[name=force]", "TNI")
    page.click("#filters button")
    page.wait_for_url(re.compile(r"force=TNI"))
    page.click("a.sort[data-sort=name]")
    page.wait_for_url(re.compile(r"sort=name"))
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Nama")
    page.click("a.sort[data-sort=name]")  # again: the other way
    page.wait_for_url(re.compile(r"sort=-name"))
    total = int(re.sub(r"\D", "", page.locator("#row-count").inner_text()))
    shown = page.locator("#personnel tbody tr td:nth-child(3)").all_inner_texts()
    assert shown == sorted(shown, key=str.casefold, reverse=True) or shown == sorted(shown, reverse=True)

    with page.expect_download() as download:
        page.click("#export-xlsx")
    data = Path(download.value.path()).read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    header, *rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert download.value.suggested_filename.endswith(".xlsx")
    assert len(rows) == total == 100  # the demo's TNI, every page of them
    assert {r[header.index("Unsur")] for r in rows} == {"TNI"}
    names = [r[header.index("Nama")] for r in rows]
    assert names[: len(shown)] == shown
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the roster scrolls sideways at 1366 px ({width})"
    page.context.close()
    assert outside == []


@pytest.fixture
def own_console(tmp_path_factory: Any) -> Iterator[str]:
    """A console of this test alone: the re-import replaces the demo's rows."""
    with serve_demo(tmp_path_factory.mktemp("reimport")) as url:
        yield url


def test_reimporting_the_demo_with_one_changed_tps_updates_the_same_operation(
    browser: Any, own_console: str, tmp_path: Path
) -> None:
    scenario = demo.pasuruan_kota()
    changed = dataclasses.replace(scenario.tps[5], voters=scenario.tps[5].voters + 77)
    tps = list(scenario.tps)
    tps[5] = changed
    path = tmp_path / "demo-revisi.xlsx"
    write_scenario(dataclasses.replace(scenario, tps=tuple(tps)), path)
    op = demo_operation(own_console)
    label = shell(
        own_console,
        "from siaga.operations.models import Tps, Region; "
        f"t = Tps.objects.get(operation_id={op}, code={changed.id!r}); "
        f"print(f'TPS {{t.number}} {{Region.objects.get(operation_id={op}, code=t.desa_code).name}}')",
    )

    page, outside = _guarded_page(browser, own_console)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "perencana")
    page.goto("/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("#upload-form button")
    expect(page.locator("#diff")).to_contain_text(label)
    expect(page.locator("#diff")).to_contain_text("versi data 2")
    page.click("#confirm-form button")
    page.wait_for_url(re.compile(rf"/ops/{op}/$"), timeout=120_000)  # the job done: the same operation

    page.goto(f"/ops/{op}/versions/")
    first = page.locator("#versions tbody tr").first
    expect(first).to_contain_text("demo-revisi.xlsx")
    expect(first.locator(".tps-changed")).to_contain_text(label)
    expect(first.locator(".tps-changed")).to_contain_text("DPT")
    count = "from siaga.operations.models import Operation; "
    count += f"print(Operation.objects.filter(name={scenario.operation.name!r}).count())"
    assert shell(own_console, count) == "1"
    page.context.close()
    assert outside == []
