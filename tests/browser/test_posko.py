"""The Posko in a real browser (issue 13): a post leader reports a severe incident with a photo
from the phone; the Kapolres's incident page alerts; the Kapolsek sees no Brimob button and the
API refuses him in Indonesian; the Kapolres escalates and sends a Brimob team, which cannot be
sent twice; the reporter's phone shows help on its way with its ETA; the team's clock runs to
"kembali"; closing asks for a disposition and a confirmation. Plan 1 (the Pilkades)."""

from __future__ import annotations

import base64
import json
import re
import uuid
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import login

PLAN = 1
WAIT = 20_000
# a 2x2 PNG the phone can draw and shrink to a JPEG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDK+mmyAAAAABJRU5ErkJggg=="
)


def api_post(page: Any, url: str, body: Any) -> dict[str, Any]:
    """A write from the page's session (status and detail of the answer)."""
    return dict(
        page.evaluate(
            """async ([url, body]) => {
                const csrf = document.getElementById("incidents").dataset.csrf;
                const r = await fetch(url, {method: "POST", credentials: "same-origin",
                    headers: {"Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID(),
                              "X-CSRFToken": csrf},
                    body: JSON.stringify(body)});
                return {status: r.status, detail: (await r.json()).detail};
            }""",
            [url, body],
        )
    )


def test_the_posko_works_a_severe_incident_from_report_to_close(page, open_page):
    desk = open_page()
    login(desk, "kapolres")
    desk.goto(f"/plans/{PLAN}/incidents/")

    # the post leader reports from the phone, with a photo
    page.set_viewport_size({"width": 390, "height": 860})
    login(page, "kepalapos")
    page.goto(f"/plans/{PLAN}/phone/")
    what = f"bentrok {uuid.uuid4().hex[:8]}"
    page.select_option("#incident-kind", "bentrok")
    page.select_option("#incident-severity", "3")
    page.fill("#incident-description", what)
    page.set_input_files("#incident-photo", files=[{"name": "foto.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("#incident-form button[type=submit]")
    expect(page.locator("#queue-count")).to_have_text("0", timeout=WAIT)

    card = desk.locator("article.incident", has_text=what)
    expect(card).to_have_attribute("data-status", "dilaporkan", timeout=WAIT)
    expect(card.locator(".photo img")).to_have_count(1, timeout=WAIT)  # the photo was accepted
    expect(desk.locator("#severe-alert")).to_be_visible(timeout=WAIT)  # the alert on a severe incident
    expect(desk).to_have_title(re.compile("Kejadian berat baru"), timeout=WAIT)
    desk.click("#severe-alert-ok")
    pk = card.get_attribute("id").split("-")[1]

    # the Kapolsek: no Brimob button, and the API refuses him in Indonesian
    sector = open_page()
    login(sector, "kapolsek")
    sector.goto(f"/plans/{PLAN}/incidents/")
    theirs = sector.locator(f"#incident-{pk}")
    expect(theirs.locator(".held", has_text="Brimob PHH").first).to_be_visible(timeout=WAIT)
    offered = theirs.locator("button.dispatch").all_inner_texts()  # his own Polsek's teams, when free
    assert all("Polsek Pohjentrek" in text for text in offered), offered  # another test may hold one
    expect(theirs.locator("button.dispatch", has_text="Brimob")).to_have_count(0)
    expect(theirs.locator(".held", has_text="Brimob PHH").first).to_contain_text("dikerahkan oleh Kapolres")
    brimob = card.locator("button.dispatch", has_text="Brimob PHH").first
    team = str(brimob.get_attribute("data-unit"))
    code = json.loads(str(brimob.get_attribute("data-body")))["post_id"]
    refused = api_post(sector, f"/api/incidents/{pk}/dispatch", {"post_id": code})
    assert refused["status"] == 403 and "hanya dikerahkan oleh Kapolres" in refused["detail"], refused

    # the Kapolres escalates and sends the Brimob team, once
    card.get_by_role("button", name="Eskalasi ke Kapolres").click()
    expect(card).to_have_attribute("data-level", "polres", timeout=WAIT)
    expect(card.locator(".commander")).to_contain_text("Kapolres")
    card.locator("button.dispatch", has_text=team).click()
    unit = card.locator("li.unit", has_text=team)
    expect(unit).to_have_attribute("data-step", "dikerahkan", timeout=WAIT)
    expect(card.locator(".forces")).to_have_text("Brimob PHH")
    expect(card.locator("button.dispatch", has_text=team)).to_have_count(0)
    again = api_post(desk, f"/api/incidents/{pk}/dispatch", {"post_id": code})
    assert again["status"] == 409 and "sedang bertugas" in again["detail"], again

    # the reporter's phone: help on its way, about N minutes
    page.reload()
    expect(page.locator("#report-status")).to_contain_text(
        re.compile(r"bantuan dalam perjalanan, tiba sekitar \d+ menit"), timeout=WAIT
    )

    # the team's clock runs to "kembali"
    for step, label in (
        ("dalam_perjalanan", "dalam perjalanan"),
        ("tiba", "tiba"),
        ("selesai", "selesai"),
        ("kembali", "kembali"),
    ):
        unit.get_by_role("button", name=f"Tandai {label}").click()
        expect(unit).to_have_attribute("data-step", step, timeout=WAIT)
    expect(unit.locator(".times")).to_contain_text("kembali")

    # closing asks for a disposition, a note and a confirmation
    card.locator("details.close-form summary").click()
    form = card.locator("details.close-form form")
    form.locator(".ask").click()
    expect(form.locator(".confirm-step")).to_be_hidden()  # nothing chosen yet: the browser asks
    form.locator("select[name=disposition]").select_option("selesai_di_tempat")
    form.locator("textarea[name=note]").fill("massa dibubarkan, dua orang diamankan")
    form.locator(".ask").click()
    expect(form.locator(".confirm-step")).to_be_visible()
    expect(card).to_have_attribute("data-status", "ditangani")
    form.get_by_role("button", name="Ya, tutup kejadian").click()
    expect(card).to_have_attribute("data-status", "selesai", timeout=WAIT)
    expect(card.locator(".closed-by")).to_contain_text("selesai di tempat")
    expect(card.locator("ol.log")).to_contain_text("ditutup")
