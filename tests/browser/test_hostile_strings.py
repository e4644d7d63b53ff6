"""Stored XSS, tried as an outsider with a workbook would: the demo scenario with script in
every text a workbook carries (TPS codes and addresses, kecamatan and desa names, unit and
person names, the operation's name and note, the file's name), written as a workbook, read and
validated by the importer's reader, imported and planned; an incident whose kind and description
are script, reported through the API. Then every page of the console, for every role, in
chromium, with the map's and the vulnerability page's tooltips and popups opened.

Three walls, each checked on every page:
- escaping: no element the payloads would make (an `<img src=x>`, an `on...` attribute, an
  `<iframe srcdoc>`, a `javascript:` link) is in the document;
- no script of theirs runs: no dialog opens (`alert`), `window.__xss` stays unset;
- the Content-Security-Policy: the console shows no violation of it (an inline script or
  handler this test finds was missed by siaga/static/siaga/console.js), and no page error.

Every URL pattern of the console is either opened here, or is a download, JSON or a POST-only
action (those are fetched, and must not answer an HTML page, so a new page cannot be missed).
The console is its own (not the shared demo console): the hostile operation is its only one."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from tests.browser import conftest as browser_conftest

# One worker builds the hostile console and runs every role on it (`make test` runs with
# `--dist loadgroup`): split between two workers, each would build its own.
pytestmark = pytest.mark.xdist_group("hostile-console")
ROOT = Path(__file__).resolve().parents[2]
SECTOR = "35.14.17"  # the demo Kapolsek's kecamatan (Pohjentrek)

# Each payload, if it ran, would open a dialog or set window.__xss. None has a "/" where it is
# used as a code (TPS codes go into URL paths).
CODE_PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "'-alert(3)-'",
    "{{7*7}}${7*7}",
    "javascript:alert(4)",
    "<details open ontoggle=window.__xss=5>",
]
TEXT_PAYLOADS = [
    *CODE_PAYLOADS,
    "</script><script>alert(6)</script>",
    '<a href="javascript:alert(7)">klik</a>',
    '<iframe srcdoc="<script>parent.alert(8)</script>"></iframe>',
    "';window.__xss=9;'",
    '";window.__xss=10;"',
    "</textarea><img src=x onerror=alert(11)>",
    "<style>*{display:none}</style><b onmouseover=alert(12)>",
]
LOGINS = {
    "admin": "siaga-admin-2022",
    "perencana": "siaga-ops-2022",
    "kapolres": "siaga-pimpinan-2022",
    "kapolsek": "siaga-sektor-2022",
    "pengamat": "siaga-lihat-2022",
    "kepalapos": "siaga-pos-2022",
}

# What the payloads would leave in the document if any text reached HTML unescaped.
INJECTED = """() => {
  const found = [];
  const made = "img[src='x'], svg, iframe, b[onmouseover], details[ontoggle]";
  for (const node of document.querySelectorAll(made + ", script:not([src]):not([type='application/json'])")) {
    if (node.closest(".leaflet-control-attribution")) continue;
    if (node.tagName === "svg" && !node.hasAttribute("onload")) continue; // Leaflet's own vector layer
    found.push(node.outerHTML.slice(0, 120));
  }
  for (const node of document.querySelectorAll("*")) {
    for (const attr of node.attributes) {
      const link = /^(href|src|action|formaction)$/i.test(attr.name);
      if (/^on/i.test(attr.name) || (link && /^\\s*javascript:/i.test(attr.value))) {
        found.push(node.tagName + " " + attr.name + "=" + attr.value.slice(0, 80));
      }
    }
  }
  return found;
}"""


def _payload(i: int, payloads: list[str] = TEXT_PAYLOADS) -> str:
    return payloads[i % len(payloads)]


def hostile_scenario() -> Any:
    """The demo with script in every text field a workbook gives; codes of regions, units and
    people stay (scopes and ranks hang on them), TPS codes change (and every reference to them)."""
    from siaga.core.data import demo

    s = demo.pasuruan_kota()
    codes = {t.id: f"{t.id}{_payload(i, CODE_PAYLOADS)}" for i, t in enumerate(s.tps)}
    tps = tuple(
        dataclasses.replace(t, id=codes[t.id], address=f"{_payload(i)} {t.address}"[:250]) for i, t in enumerate(s.tps)
    )
    regions = tuple(
        dataclasses.replace(r, name=f"{r.name} {_payload(i)}"[:120]) if r.code.startswith("35.14.") else r
        for i, r in enumerate(s.regions)
    )
    units = tuple(dataclasses.replace(u, name=f"{u.name} {_payload(i)}"[:120]) for i, u in enumerate(s.units))
    people = tuple(
        dataclasses.replace(p, name=f"{p.name} {_payload(i)}"[:120], tps_id=codes.get(p.tps_id, p.tps_id))
        for i, p in enumerate(s.personnel)
    )
    stages = tuple(dataclasses.replace(st, tps=tuple(codes.get(c, c) for c in st.tps)) for st in s.stages)
    operation = dataclasses.replace(
        s.operation,
        name="Pilkades <script>alert(20)</script> '\"><img src=x onerror=alert(21)>",
        note="<img src=x onerror=alert(22)> {{7*7}}",
    )
    return dataclasses.replace(
        s, operation=operation, tps=tps, regions=regions, units=units, personnel=people, stages=stages
    )


def build(workbook: str) -> None:
    """In the console's `manage.py shell`: the hostile workbook written, read back by the
    importer's reader (its validation), imported, planned twice (a published plan and a draft
    beside it), and the demo's logins, one of them with a hostile name. Prints the ids."""
    from django.contrib.auth import get_user_model

    from siaga.accounts.models import Profile, Role
    from siaga.core.data.scenario import read_scenario, write_scenario
    from siaga.core.planning.engine import plan_all
    from siaga.operations.management.commands.demo import DEMO_USERS, POST_LEADER, Command, post_leader
    from siaga.operations.models import Person, Region, Tps, Unit
    from siaga.operations.services import import_scenario, scenario_for
    from siaga.plans.models import PlanJob
    from siaga.plans.services import approve, publish, sign_off, signers
    from siaga.plans.store import save_plan

    write_scenario(hostile_scenario(), workbook)
    scenario = read_scenario(workbook)  # refuses an invalid workbook: the payloads all pass as data
    operation = import_scenario(scenario, "<img src=x onerror=alert(23)>.xlsx")
    command = Command()
    users = {name: command._user(name, pw, role, kec, full) for name, pw, role, kec, full in DEMO_USERS}
    users["kapolres"].first_name = "<img src=x onerror=alert(24)>"
    users["kapolres"].save()
    stored = scenario_for(operation)
    result = plan_all(stored)
    plan = save_plan(operation, result, stored, users["perencana"], note="<script>alert(25)</script>")
    sign_off(plan, signers(operation)[0].code, users["kapolres"])  # a name with script, in the sign-off line
    publish(approve(plan, users["kapolres"]), users["kapolres"])
    draft = save_plan(operation, result, stored, users["perencana"], parent=plan, note='"><svg onload=alert(26)>')
    name, password, _kec = POST_LEADER
    leader = post_leader(plan, SECTOR)
    assert leader is not None
    command._user(name, password, Role.FIELD_OFFICER, "", str(leader))

    Profile.objects.filter(user__username=name).update(person_code=leader.code)
    in_sector = {"operation": operation, "kecamatan_code": SECTOR}
    tps = Tps.objects.filter(**in_sector).order_by("id").first()
    ids = {
        "op": operation.pk,
        "plan": plan.pk,
        "draft": draft.pk,
        "tps": tps.pk if tps else 0,
        "tps_code": tps.code if tps else "",
        "desa": Region.objects.filter(operation=operation, level="DESA", kecamatan_code=SECTOR).first().pk,  # type: ignore[union-attr]
        "unit": Unit.objects.filter(operation=operation).order_by("id").first().pk,  # type: ignore[union-attr]
        "person": Person.objects.filter(**in_sector).order_by("id").first().pk,  # type: ignore[union-attr]
        "leader": leader.code,
        "job": PlanJob.objects.order_by("id").values_list("id", flat=True).first() or 0,
        "kapolres_user": users["kapolres"].pk,  # a name with script, on the admin's account page
    }
    print("IDS " + json.dumps(ids))
    assert get_user_model().objects.filter(username="kepalapos").exists()


@contextmanager
def serve_hostile(work: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """A console holding the hostile operation only, served from `work`, with its job worker
    (as conftest.serve_demo, with `build` in place of `manage.py demo`); its URL and the ids."""
    pg_name = f"siaga_hostile_{os.getpid()}"
    env = browser_conftest.console_env(work, pg_name)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(manage + ["migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True, capture_output=True)
    code = f"from tests.browser.test_hostile_strings import build; build({str(work / 'hostile.xlsx')!r})"
    built = subprocess.run(
        manage + ["shell", "--no-imports", "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr[-3000:]
    ids = json.loads(next(line[4:] for line in built.stdout.splitlines() if line.startswith("IDS ")))
    port = browser_conftest._free_port()
    log = (work / "server.log").open("w")
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        browser_conftest.wait_until_served(port, server)
        yield f"http://127.0.0.1:{port}", ids
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        if os.environ.get("DATABASE_URL"):
            with suppress(Exception):
                browser_conftest._drop_postgres(os.environ["DATABASE_URL"], pg_name)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: Any, browser: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    with serve_hostile(tmp_path_factory.mktemp("hostile")) as served:
        console, ids = served
        context = browser.new_context(base_url=console)
        try:
            page = context.new_page()
            login(page, "perencana")
            report_incident(page, ids)
        finally:
            context.close()
        yield served


def pages(ids: dict[str, Any]) -> dict[str, str]:
    """The console's HTML pages by URL name, with the hostile operation's ids."""
    from django.urls import reverse

    op, plan = ids["op"], ids["plan"]
    by_op = ["dashboard_for", "regions_list", "tps_list", "units_list", "personnel_list", "versions"]
    by_op += ["vulnerability", "map", "plan_list", "person_add", "tps_add", "unit_add", "boundaries_import"]
    by_op += ["interchange"]
    by_op += ["linmas_coordination"]
    by_plan = ["apel", "apel_readiness", "sarpras", "field_board", "field_phone", "field_report_status"]
    by_plan += ["field_incidents", "field_live", "field_escorts", "plan_simulate", "plan_posts", "incident_register"]
    by_plan += ["plan_empty_why"]
    names = {name for name, _route in url_names()}  # a page not (yet) in this console is left out
    found = {name: reverse(name, args=[op]) for name in by_op if name in names}
    found.update({name: reverse(name, args=[plan]) for name in by_plan if name in names})
    found.update(
        {
            "dashboard": reverse("dashboard"),
            "import": reverse("import"),
            "audit_list": reverse("audit_list"),
            "polda_dashboard": reverse("polda_dashboard"),
            "account_list": reverse("account_list"),
            "account_add": reverse("account_add"),
            "account_edit": reverse("account_edit", args=[ids["kapolres_user"]]),
            "plan_detail": reverse("plan_detail", args=[plan]),
            "plan_detail draft": reverse("plan_detail", args=[ids["draft"]]),
            "plan_diff": reverse("plan_diff", args=[ids["draft"], plan]),
            "tps_detail": reverse("tps_detail", args=[op, ids["tps"]]),
            "tps_edit": reverse("tps_edit", args=[op, ids["tps"]]),
            "desa_detail": reverse("desa_detail", args=[op, ids["desa"]]),
            "unit_edit": reverse("unit_edit", args=[op, ids["unit"]]),
            "person_edit": reverse("person_edit", args=[op, ids["person"]]),
            "plan_person": reverse("plan_person", args=[plan, ids["leader"]]),
            "plan_candidates": reverse("plan_candidates", args=[plan]) + "?post=x&slot=POLRI",
            "api-root": "/api/",
            "job_status": reverse("job_status", args=[ids["job"]]),
        }
    )
    return found


# Downloads: not pages, and not fetched here (each renders a file).
DOWNLOADS = {"template_download", "export", "plan_json", "plan_orders", "plan_konsep", "field_report"}
DOWNLOADS |= {"interchange_file", "polda_orders_file"}
# JSON, the service worker and POST-only actions: fetched by the admin, and must not answer HTML.
NOT_PAGES = DOWNLOADS | {
    "set_language", "login", "logout", "import_confirm", "geo_tps", "geo_posts", "operation_rename",
    "operation_archive", "plan_start", "plan_reassign", "plan_approve", "plan_publish", "plan_withdraw",
    "plan_people", "plan_replan", "plan_pin", "plan_unpin", "service_worker", "apel_checkin", "apel_checkin_unit",
    "apel_replan", "personnel_bulk", "tps_bulk", "tps_override", "row_remove", "plan_psu", "plan_reinforce",
    "kpu_tps_import", "geo_boundaries",
}  # fmt: skip
NOT_PAGES |= {"coordinates_preview", "coordinates_confirm", "polda_orders_start"}
NOT_PAGES |= {"kemendagri_import", "linmas_preview", "linmas_confirm"}
NOT_PAGES |= {"plan_signoff", "bawaslu_import", "bawaslu_confirm"}
NOT_PAGES |= {"plan_categories_to_data", "apel_checkin_undo"}
NOT_PAGES |= {"basemap_file"}
NOT_PAGES |= {"field_escort_step", "field_guard_entry"}
NOT_PAGES |= {"field_escort_manifest"}
NOT_PAGES |= {"account_password", "account_active"}


def fill(route: str, ids: dict[str, Any]) -> str:
    """A route of NOT_PAGES with the hostile operation's ids in its parameters."""
    import re

    pk = ids["plan"] if route.startswith("plans/") else ids["tps"]
    values = {"op_id": ids["op"], "pk": pk, "other": ids["draft"], "kind": "tps", "name": "sprin.pdf"}
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def url_names() -> list[tuple[str, str]]:
    from django.urls import URLResolver, get_resolver

    def walk(patterns: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) != "api/":  # the JSON API: its endpoints are not pages
                    yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield str(p.name), prefix + str(p.pattern)

    return list(walk(get_resolver().url_patterns))


def test_every_url_is_a_page_here_or_not_a_page(hostile: Any) -> None:
    console, ids = hostile
    listed = {name.split(" ")[0] for name in pages(ids)}
    missing = [(name, route) for name, route in url_names() if name not in listed and name not in NOT_PAGES]
    assert missing == [], f"new URL patterns: open them in this test or list them in NOT_PAGES: {missing}"


class Watch:
    """What the hooks saw on one page: dialogs, CSP violations and page errors."""

    def __init__(self, page: Any) -> None:
        self.seen: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.seen.append(f"page error: {error}"))

    def _dialog(self, dialog: Any) -> None:
        self.seen.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.seen.append(f"CSP: {text[:300]}")


def login(page: Any, user: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", LOGINS[user])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def report_incident(page: Any, ids: dict[str, Any]) -> None:
    """An incident at a hostile TPS of the sector, its kind and description script."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    body = {
        "kind": "<img src=x onerror=alert(30)>",
        "severity": 3,
        "tps_code": ids["tps_code"],
        "description": '"><script>alert(31)</script><img src=x onerror=alert(32)>',
    }
    answer = page.request.post(
        f"/api/plans/{ids['plan']}/incidents",
        data=body,
        headers={"X-CSRFToken": csrf, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.ok, answer.text()


OPEN_MAP = """async () => {
  const m = window.siagaMap;
  if (!m || !m.leaflet) return 0;
  let opened = 0;
  for (const layer of [m.tpsLayer, m.postLayer, m.incidentLayer]) {
    if (!layer) continue;
    layer.getLayers().slice(0, 40).forEach((l) => { // 40 of each: every payload many times over
      if (l.getTooltip && l.getTooltip()) { l.openTooltip(); opened++; }
      if (l.getPopup && l.getPopup()) { l.getPopup().options.autoPan = false; l.openPopup(); opened++; }
    });
  }
  return opened;
}"""


def wait_js(page: Any, function: str, timeout: float = 20.0) -> None:
    """Until `function` answers true in the page (page.evaluate: not wait_for_function, whose
    polling evaluates a string in the page, which the CSP forbids)."""
    end = time.monotonic() + timeout
    while not page.evaluate(function):
        assert time.monotonic() < end, f"timed out waiting for {function}"
        time.sleep(0.1)


def exercise_map(page: Any) -> int:
    """The map's TPS drawn, one hovered and clicked with the mouse, then every tooltip and popup
    of every layer opened in turn."""
    wait_js(
        page, "() => !!(window.siagaMap && window.siagaMap.tpsLayer && window.siagaMap.tpsLayer.getLayers().length)"
    )
    page.wait_for_timeout(600)  # the view fitted to the data
    hovered = False
    for i in range(5):  # a TPS not under a post's square: its tooltip shows on hover
        point = page.evaluate(
            """(i) => { const m = window.siagaMap, l = m.tpsLayer.getLayers()[i];
                       const p = m.leaflet.latLngToContainerPoint(l.getLatLng());
                       const r = m.leaflet.getContainer().getBoundingClientRect();
                       return [r.left + p.x, r.top + p.y]; }""",
            i,
        )
        page.mouse.move(point[0], point[1])
        with suppress(Exception):
            page.wait_for_selector(".leaflet-tooltip", timeout=1_000)
            page.mouse.click(point[0], point[1])
            page.wait_for_selector(".leaflet-popup", timeout=2_000)
            hovered = True
            break
    assert hovered, "no TPS of the map showed its tooltip and popup under the mouse"
    started = time.monotonic()
    opened = int(page.evaluate(OPEN_MAP))
    if os.environ.get("HOSTILE_TIMES"):
        print(f"  {opened} tooltips and popups opened in {time.monotonic() - started:.2f}s")
    return opened


def visit(page: Any, watch: Watch, name: str, url: str, user: str, seen_map: list[int]) -> list[str]:
    from playwright.sync_api import Error

    before = len(watch.seen)
    try:
        answer = page.goto(url, wait_until="load")
    except Error as error:  # a download, or an error answer with no body
        return [f"{user} {name} {url}: not a page ({str(error).splitlines()[0]}); list it in NOT_PAGES"]
    status = answer.status if answer else 0
    problems: list[str] = []
    if status >= 500:
        problems.append(f"HTTP {status}")
    if name in ("map", "vulnerability") and status == 200 and page.locator("#map").count():
        seen_map.append(exercise_map(page))
    if name.startswith("plan_detail") and status == 200:
        summaries = page.locator("details.fill-slot summary")
        if summaries.count():
            summaries.first.click()  # the htmx part: who could fill the slot
            page.wait_for_timeout(500)
        page.locator("[data-open-all]").first.click() if page.locator("[data-open-all]").count() else None
    page.wait_for_timeout(50)  # what the page's scripts do at once (htmx parts, fetches)
    problems += [f"injected: {html}" for html in page.evaluate(INJECTED)]
    if page.evaluate("window.__xss !== undefined"):
        problems.append(f"window.__xss = {page.evaluate('window.__xss')}")
    problems += watch.seen[before:]
    return [f"{user} {name} {url} ({status}): {p}" for p in problems]


@pytest.mark.parametrize("user", list(LOGINS))
def test_no_hostile_string_runs_on_any_page(browser: Any, hostile: Any, user: str) -> None:
    console, ids = hostile
    context = browser.new_context(base_url=console, viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    context.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith((console, "data:", "blob:")) else None
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch = Watch(page)
    try:
        login(page, user)
        problems: list[str] = []
        seen_map: list[int] = []
        for name, url in pages(ids).items():
            started = time.monotonic()
            problems += visit(page, watch, name, url, user, seen_map)
            if os.environ.get("HOSTILE_TIMES"):
                print(f"{user} {name} {time.monotonic() - started:.2f}s")
        started = time.monotonic()
        for name, route in url_names() if user == "admin" else []:  # admin may open them all
            if name in NOT_PAGES and name not in DOWNLOADS:
                answer = page.request.get(fill(route, ids), max_redirects=0)
                if answer.status == 200 and answer.headers.get("content-type", "").startswith("text/html"):
                    problems.append(f"{user} {name}: answers an HTML page; open it in this test")
        if os.environ.get("HOSTILE_TIMES"):
            print(f"not pages {time.monotonic() - started:.2f}s")
        assert problems == [], "\n".join(problems)
        if user != "kepalapos":
            assert seen_map and all(n > 0 for n in seen_map), (
                f"the map's tooltips and popups were not opened: {seen_map}"
            )
        assert outside == [], f"requests left the machine: {outside}"
    finally:
        context.close()
