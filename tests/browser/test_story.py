"""The console's main story, walked in a real browser by the people who use it.

The planner (perencana) imports the demo workbook and is refused a broken one; sets a TPS's
category by hand; runs a plan and watches its progress; opens the map. The commander
(kapolres) approves the planner's plan, which the planner cannot do. The sector chief
(kapolsek) sees only Pohjentrek. Anyone can switch the console to English and back.

Each test stands alone, so any split over xdist workers (each with its own console) works:
the tests after the import work on the demo operation that `manage.py demo` loaded (the
oldest one), not on whatever an earlier test imported. One thing is handed on: the commander
approves the plan the plan test made when both ran in the same worker; otherwise the
approval test has the planner make one first, the same way.

Screenshots go to $SIAGA_SCREENSHOTS when set (else the test's tmp_path) and must not be
blank.
"""

from __future__ import annotations

import dataclasses
import gettext
import os
import re
import struct
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from siaga.core.data import demo
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from tests.browser.conftest import ROOT, login

STORY: dict[str, str] = {}  # what one test leaves for a later one in the same worker
# The story's steps build on each other (the category set by hand is signed off before the
# approval): they run in order on one worker (`make test` runs with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("story")
DASHBOARD = re.compile(r"/ops/(\d+)/$")
PLAN_PAGE = re.compile(r"/plans/(\d+)/$")
JOB_PAGE = re.compile(r"/plans/jobs/\d+/$")
SECTOR, OTHER_SECTOR = "35.14.17", "35.14.22"
CATALOGUE = ROOT / "siaga" / "locale" / "en" / "LC_MESSAGES" / "django.mo"

# Counts the TPS circles Leaflet puts on the map. The map draws them on one <canvas>
# (preferCanvas), so they are not elements one could count; this wraps Leaflet's
# CircleMarker.onAdd/onRemove as soon as leaflet.js sets window.L.
COUNT_TPS_MARKERS = """
(() => {
  let leaflet;
  window.__tpsOnMap = new Set();
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      const proto = value && value.CircleMarker && value.CircleMarker.prototype;
      if (!proto || proto.__counted) return;
      const add = proto.onAdd, remove = proto.onRemove;
      const code = (layer) => layer.feature && layer.feature.properties && layer.feature.properties.code;
      proto.onAdd = function (map) {
        if (code(this)) window.__tpsOnMap.add(code(this));
        return add.call(this, map);
      };
      proto.onRemove = function (map) {
        if (code(this)) window.__tpsOnMap.delete(code(this));
        return remove.call(this, map);
      };
      proto.__counted = true;
    },
  });
})();
"""

# Pixels of the map's canvas in the TPS category colours (siaga.operations.views_risk.COLOURS).
COLOURED_PIXELS = """
(colours) => {
  const canvas = document.querySelector("#map canvas");
  if (!canvas || !canvas.width) return 0;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const wanted = colours.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 200) continue;
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    if (wanted.some(([R, G, B]) => Math.abs(r - R) + Math.abs(g - G) + Math.abs(b - B) < 30)) n++;
  }
  return n;
}
"""
CATEGORY_COLOURS = ["#2e8b57", "#d4a017", "#c0392b", "#8e44ad"]


# ---------------------------------------------------------------- helpers


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SIAGA_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page: Any, folder: Path, name: str) -> Path:
    """A screenshot of the window, which must show something: a blank page is a few KB of PNG
    whose pixels are all alike."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    size = path.stat().st_size
    assert size > 20_000, f"{path} looks blank ({size} bytes)"
    assert _varied(path), f"{path} looks blank (its pixels hardly differ)"
    return path


def _varied(png: Path) -> bool:
    """Whether an image has content: with Pillow, its grey levels spread and it has many
    colours; without, its inflated image data holds many different byte values."""
    try:
        from PIL import Image, ImageStat
    except ImportError:
        return _distinct_bytes(png) > 64
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        spread = ImageStat.Stat(rgb.convert("L")).stddev[0]
        colours = rgb.getcolors(maxcolors=1 << 24) or []
    return spread > 10 and len(colours) > 50


def _distinct_bytes(png: Path) -> int:
    """How many different byte values the image data holds (the IDAT chunks, inflated; a
    one-colour image has a handful)."""
    data, at, idat = png.read_bytes(), 8, b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    return len(set(zlib.decompress(idat)))


def operations_shown(page: Any) -> tuple[int, set[int]]:
    """On a dashboard: this operation's id, and the ids of every operation it links to."""
    page.wait_for_url(DASHBOARD)
    current = int(DASHBOARD.search(page.url)[1])
    hrefs = page.eval_on_selector_all("a[href^='/ops/']", "links => links.map(a => a.getAttribute('href'))")
    return current, {current} | {int(m[1]) for h in hrefs if (m := re.fullmatch(r"/ops/(\d+)/", h))}


TPS_LINKS = "#tps tbody td:not(.check) > a[href*='/tps/']:not([href$='edit/'])"  # each row's TPS code


def demo_operation_of(shown: set[int]) -> int:
    return min(shown)


def demo_operation(page: Any) -> int:
    """The operation `manage.py demo` loaded: the oldest one (imports only ever add newer ones)."""
    page.goto("/")
    return min(operations_shown(page)[1])


def broken_demo() -> Any:
    """The demo with one TPS at latitude 99 and another TPS given its neighbour's id."""
    scenario = demo.pasuruan_kota()
    tps = list(scenario.tps)
    tps[5] = dataclasses.replace(tps[5], lat=99.0)
    tps[10] = dataclasses.replace(tps[10], id=tps[9].id)
    return dataclasses.replace(scenario, tps=tuple(tps))


def run_plan(page: Any, operation: int) -> str:
    """The planner presses "Susun rencana", sees the progress page, and is sent on to the new
    plan by the page itself (htmx polls the job). Gives the plan's URL."""
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.headers.get("hx-request") else None)
    page.goto(f"/plans/ops/{operation}/")
    expect(page.locator("#start-plan")).to_have_text("Susun rencana")
    page.click("#start-plan")
    page.wait_for_url(JOB_PAGE)
    expect(page.locator("#job progress")).to_be_visible()
    expect(page.locator("#job-message")).to_be_visible()
    # no click, no reload: the page polls the job and moves on by itself when it is done
    page.wait_for_url(PLAN_PAGE, timeout=60_000)
    assert any("/plans/jobs/" in url for url in polls), "the progress page did not poll"
    expect(page.locator("#verdict")).to_contain_text("rencana sah")
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bgood\b"))
    return urlparse(page.url).path


def english_for(text: str) -> str | None:
    """The English of a console string, if the compiled catalogue has it."""
    if not CATALOGUE.exists():
        return None
    with CATALOGUE.open("rb") as f:
        english = gettext.GNUTranslations(f).gettext(text)
    return english if english != text else None


# ---------------------------------------------------------------- 1, 2: import


def test_the_planner_imports_the_demo_workbook(page: Any, tmp_path: Path, shots: Path) -> None:
    workbook = tmp_path / "demo.xlsx"
    write_scenario(demo.pasuruan_kota(), workbook)
    login(page, "perencana")
    _, before = operations_shown(page)

    page.click("nav.menu a[href='/import/']")
    page.wait_for_url("**/import/")
    page.set_input_files("#upload-form input[type=file]", workbook)
    page.click("#upload-form button")
    expect(page.locator("#count-tps")).to_have_text("152")
    expect(page.locator("#count-persons")).to_have_text("950")
    expect(page.locator("#count-kecamatan")).to_have_text("7")
    expect(page.locator("#problems")).to_have_count(0)

    page.click("#confirm-form button")
    new, after = operations_shown(page)  # the demo's own operation again: a re-import is a new data version
    assert new == demo_operation_of(before) and after == before, "a re-import made a twin operation"
    expect(page.locator("#headline")).to_have_text("950 personel gabungan, 7 kecamatan, 21 desa, 152 TPS")
    expect(page.locator("ul.messages li.success")).to_contain_text("152 TPS, 950 personel")
    shoot(page, shots, "1-dashboard")


def test_a_broken_workbook_shows_every_problem_and_imports_nothing(page: Any, tmp_path: Path) -> None:
    workbook = tmp_path / "broken.xlsx"
    write_scenario(broken_demo(), workbook)
    with pytest.raises(ScenarioError) as refused:
        read_scenario(workbook)
    problems = refused.value.problems
    assert [(p.sheet, p.row, p.code) for p in problems] == [("tps", 7, "outside_indonesia"), ("tps", 12, "duplicate")]
    login(page, "perencana")
    latest, before = operations_shown(page)

    page.goto("/import/")
    page.set_input_files("#upload-form input[type=file]", workbook)
    page.click("#upload-form button")
    expect(page.locator("#problem-count")).to_contain_text("Ditemukan 2 masalah")
    items = page.locator("#problems li")
    expect(items).to_have_count(2)
    for item, problem, message in zip(items.all(), problems, refused.value.messages("id"), strict=True):
        text = item.inner_text()
        assert text == message
        for where in (f"'{problem.sheet}'", f"baris {problem.row}", f"'{problem.column}'", f"'{problem.value}'"):
            assert where in text, (where, text)
    expect(page.locator("#confirm-form")).to_have_count(0)

    page.goto("/")
    assert operations_shown(page) == (latest, before), "a refused workbook made an operation"


# ---------------------------------------------------------------- 3: a category set by hand


def test_the_planner_overrides_a_tps_category_with_a_reason(page: Any, shots: Path) -> None:
    login(page, "perencana")
    op = demo_operation(page)
    page.goto(f"/ops/{op}/vulnerability/")
    expect(page.locator("#tps-table tr.tps-row")).to_have_count(152)
    shoot(page, shots, "2-vulnerability")

    row = page.locator("#tps-table tr.tps-row[data-category='KURANG_RAWAN']").first
    code = row.get_attribute("data-tps")
    row.locator("td.code a").click()
    page.wait_for_url(re.compile(rf"/ops/{op}/tps/\d+/$"))
    tps_url = page.url
    expect(page.locator("h1")).to_contain_text(f"TPS {code}")
    expect(page.locator("#category")).to_have_class(re.compile(r"\bKURANG_RAWAN\b"))

    # a category without a reason is refused, and nothing changes
    page.select_option("#id_category", "SANGAT_RAWAN")
    page.fill("#id_reason", "")
    page.click("#override-form button")
    expect(page.locator("#override-form .errorlist")).to_contain_text("Alasan wajib diisi")
    expect(page.locator("#category")).to_have_class(re.compile(r"\bKURANG_RAWAN\b"))
    expect(page.locator("#source-kind")).to_have_text("Skor model")  # where the category comes from (issue 17)

    reason = "Laporan intelijen: rencana pengerahan massa pendukung calon (uji peramban)"
    page.select_option("#id_category", "SANGAT_RAWAN")
    page.fill("#id_reason", reason)
    page.click("#override-form button")
    page.wait_for_url(tps_url)
    expect(page.locator("ul.messages li.success")).to_contain_text("Sangat rawan")
    expect(page.locator("#category")).to_have_class(re.compile(r"\bSANGAT_RAWAN\b"))
    expect(page.locator("#category")).to_have_text("Sangat rawan")
    expect(page.locator("#model-category")).to_have_class(re.compile(r"\bKURANG_RAWAN\b"))
    expect(page.locator("#source")).to_contain_text(reason)
    expect(page.locator("#source")).to_contain_text("Wawan Suryadi")  # the officer by name, not his login
    shoot(page, shots, "3-tps")

    page.goto(f"/ops/{op}/vulnerability/")
    overridden = page.locator(f"#tps-table tr.tps-row[data-tps='{code}']")
    expect(overridden).to_have_attribute("data-category", "SANGAT_RAWAN")
    expect(overridden.locator(".source-reason")).to_have_text(reason)
    expect(page.locator(f"#override-table tr[data-tps='{code}']")).to_contain_text(reason)


# ---------------------------------------------------------------- 4: a plan, computed in the background


def test_the_planner_runs_a_plan_and_is_taken_to_it(page: Any, shots: Path) -> None:
    login(page, "perencana")
    op = demo_operation(page)
    plan = run_plan(page, op)
    expect(page.locator("#plan-status")).to_have_text("konsep")
    expect(page.locator("#unfilled")).to_be_visible()
    expect(page.locator("#approve")).to_have_count(0)  # a planner approves nothing
    shoot(page, shots, "5-plan-planner")
    STORY["plan"] = plan


# ---------------------------------------------------------------- 5: the map


def test_the_map_draws_every_tps_without_leaving_the_machine(page: Any, console: str, shots: Path) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.add_init_script(COUNT_TPS_MARKERS)
    login(page, "perencana")
    op = demo_operation(page)
    with page.expect_response(re.compile(r"/geo/tps\.geojson")) as answer:
        page.goto(f"/ops/{op}/map/")
    assert answer.value.status == 200
    assert len(answer.value.json()["features"]) == 152
    page.wait_for_function("() => window.__tpsOnMap && window.__tpsOnMap.size >= 152")
    drawn = page.evaluate("window.__tpsOnMap.size")
    assert drawn > 100
    # the TPS in one canvas of the overlay pane (the region boundaries draw in their own pane below)
    expect(page.locator("#map .leaflet-overlay-pane canvas")).to_have_count(1)
    page.wait_for_function(f"() => ({COLOURED_PIXELS})({CATEGORY_COLOURS!r}) > 2000")  # the circles, painted
    # region names: on their boundaries (the demo's), else at their points
    names = page.locator("#map .leaflet-tooltip.boundary-label, #map .leaflet-marker-icon.map-place")
    expect(names.first).to_be_attached()
    expect(page.locator("#map-status")).to_have_text("")  # no "failed to load"
    shoot(page, shots, "4-map")
    assert all(url.startswith(console) for url in requests), [u for u in requests if not u.startswith(console)]


# ---------------------------------------------------------------- 6: approval


def test_the_commander_approves_the_plan_its_planner_cannot(page: Any, open_page: Any, console: str) -> None:
    login(page, "perencana")
    plan = STORY.get("plan") or run_plan(page, demo_operation(page))
    page.goto(plan)
    expect(page.locator("#plan-status")).to_have_text("konsep")
    expect(page.locator("#approve")).to_have_count(0)
    token = page.locator("#language-form input[name=csrfmiddlewaretoken]").input_value()
    refused = page.request.post(
        f"{plan}approve/",
        form={"csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token, "Referer": console + plan},
        max_redirects=0,
    )
    assert refused.status == 403
    assert "Anda tidak berwenang" in refused.text(), "refused for the role, not for the token"
    page.reload()
    expect(page.locator("#plan-status")).to_have_text("konsep")

    commander = open_page()
    login(commander, "kapolres")
    commander.goto(plan)
    expect(commander.locator("#plan-status")).to_have_text("konsep")
    commander.click("#signoff-open")  # a category changed by hand: its sign-off comes first (issue 17)
    commander.click("#signoff-confirm")
    expect(commander.locator("#signoff-line")).to_be_visible()
    commander.click("#approve")
    commander.click("#approve-confirm")  # approval asks for confirmation
    commander.wait_for_url(f"**{plan}")
    expect(commander.locator("#plan-status")).to_have_text("disetujui")
    expect(commander.locator("#plan-status")).to_have_class(re.compile(r"\bstatus-approved\b"))
    expect(commander.locator("#approved-by")).to_contain_text("Kapolres")
    expect(commander.locator("#approve")).to_have_count(0)
    expect(commander.locator("#publish")).to_be_visible()

    page.reload()
    expect(page.locator("#plan-status")).to_have_text("disetujui")


# ---------------------------------------------------------------- 7: a sector chief's view


def test_the_sector_chief_sees_only_their_kecamatan(page: Any, open_page: Any, shots: Path) -> None:
    planner = open_page()
    login(planner, "perencana")
    op = demo_operation(planner)
    planner.goto(f"/ops/{op}/tps/?kecamatan={OTHER_SECTOR}")
    elsewhere = planner.locator(TPS_LINKS).first
    expect(elsewhere).to_contain_text(f"{OTHER_SECTOR}.")
    elsewhere_url = elsewhere.get_attribute("href")

    login(page, "kapolsek")
    page.goto(f"/ops/{op}/")
    expect(page.locator("#headline")).to_contain_text("1 kecamatan, ")
    expect(page.locator("#headline")).to_have_text(
        re.compile(r"^1 kecamatan, 3 desa, 22 TPS; \d+ personel berkedudukan di wilayah ini$")
    )

    page.goto(f"/ops/{op}/tps/")
    codes: list[str] = []
    while True:
        codes += page.locator(TPS_LINKS).all_inner_texts()
        following = page.locator(".pagination a[rel=next]")
        if not following.count():
            break
        following.click()
    assert len(codes) == 22
    assert all(code.startswith(f"{SECTOR}.") for code in codes), codes
    expect(page.locator("#row-count")).to_have_text("22")

    refused = page.goto(elsewhere_url)
    assert refused is not None and refused.status == 404
    expect(page.locator("h1")).to_have_text("TPS tidak ditemukan")  # as for a TPS no data holds: nothing said
    expect(page.locator("body")).not_to_contain_text(OTHER_SECTOR)

    page.goto(f"/plans/ops/{op}/")
    page.locator("#versions tbody tr a").last.click()  # the demo's first plan is always there
    page.wait_for_url(PLAN_PAGE)
    expect(page.locator("#verdict")).to_be_visible()
    kecamatan = page.locator("h3.kecamatan")
    expect(kecamatan.first).to_be_visible()
    assert all(SECTOR in text for text in kecamatan.all_inner_texts()), kecamatan.all_inner_texts()
    shoot(page, shots, "6-plan-sector-chief")


# ---------------------------------------------------------------- 8: languages


def test_the_language_switch_turns_the_console_english_and_back(page: Any) -> None:
    login(page, "perencana")
    menu = page.locator("nav.menu")
    select = page.locator("#language-form select[name=language]")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(menu).to_contain_text("Dasbor")
    here = page.url

    select.select_option("en")  # the select submits its form by itself
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == here, "the switch should come back to the same page"
    expect(select).to_have_value("en")
    assert select.locator("option:checked").inner_text() == "English"
    dashboard = english_for("Dasbor")
    if dashboard is not None:
        expect(menu).to_contain_text(dashboard)
        expect(menu).not_to_contain_text("Dasbor")

    select.select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(select).to_have_value("id")
    assert select.locator("option:checked").inner_text() == "Bahasa Indonesia"
    expect(menu).to_contain_text("Dasbor")
