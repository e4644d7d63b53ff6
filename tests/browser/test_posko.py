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

import pytest
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
    expect(theirs.locator(".held", has_text="Cadangan Brimob").first).to_be_visible(timeout=WAIT)
    offered = theirs.locator("button.dispatch").all_inner_texts()  # his own Polsek's teams, when free
    assert all("Polsek Pohjentrek" in text for text in offered), offered  # another test may hold one
    expect(theirs.locator("button.dispatch", has_text="Brimob")).to_have_count(0)
    expect(theirs.locator(".held", has_text="Cadangan Brimob").first).to_contain_text("dikerahkan oleh Kapolres")
    brimob = card.locator("button.dispatch", has_text="Cadangan Brimob").first
    team = str(brimob.get_attribute("data-unit"))
    code = json.loads(str(brimob.get_attribute("data-body")))["post_id"]
    refused = api_post(sector, f"/api/incidents/{pk}/dispatch", {"post_id": code})
    assert refused["status"] == 403 and "hanya dikerahkan oleh Kapolres" in refused["detail"], refused

    # the Kapolres takes command of it (an escalation from the Kapolsek) and sends the Brimob team, once
    card.get_by_role("button", name="Ambil alih komando dari Kapolsek").click()
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


DESK = {"width": 1366, "height": 768}  # the Posko's laptop
REFUSED = {  # the server's refusals, in the user's language
    "id": ("Gagal: Tulis catatan penutupan", "sedang bertugas di kejadian"),
    "en": ("Failed: Write a closing note", "is on duty at incident"),
}


def report_from_phone(phone: Any, what: str) -> None:
    """The post leader reports an incident from the phone; it reaches the server."""
    phone.select_option("#incident-kind", "bentrok")
    phone.select_option("#incident-severity", "2")
    phone.fill("#incident-description", what)
    phone.click("#incident-form button[type=submit]")
    expect(phone.locator("#queue-count")).to_have_text("0", timeout=WAIT)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_refusal_shows_beside_its_control_and_a_refresh_keeps_an_open_form(page, open_page, lang):
    """Two incidents on the Kapolres's Posko. He starts closing the first with a blank note: the
    server's refusal stands in that form, on screen. He sends a team from the second card that
    is already out: the refusal stands beside that card's buttons, and after the list refreshes
    (the team's button is gone) still in that card. The refresh left the first card's close form
    open, at its confirmation step, with what he had chosen and typed."""
    desk, first, second = two_reports_at_the_posko(page, open_page)
    if lang != "id":
        desk.locator("#language-form select[name=language]").select_option(lang)
        expect(desk.locator("html")).to_have_attribute("lang", lang)
    card_a = desk.locator("article.incident", has_text=first)
    card_b = desk.locator("article.incident", has_text=second)
    expect(card_b.locator("button.dispatch").first).to_be_visible(timeout=WAIT)
    pk_a = str(card_a.get_attribute("id")).split("-")[1]

    # closing the first with a note of blanks: refused by the server, the refusal in the form
    card_a.locator("details.close-form summary").click()  # while it is open the list's polls wait
    form = card_a.locator("details.close-form form")
    form.locator("select[name=disposition]").select_option("selesai_di_tempat")
    form.locator("textarea[name=note]").fill("   ")
    form.locator(".ask").click()
    form.locator(".confirm-step button[data-confirm=yes]").click()
    said_in_form = form.locator("p.action-error")
    expect(said_in_form).to_contain_text(REFUSED[lang][0], timeout=WAIT)
    expect(said_in_form).to_have_attribute("role", "alert")
    expect(said_in_form).to_be_in_viewport()
    form.locator("textarea[name=note]").fill("massa bubar")

    # a team that has just gone to the first incident, sent again from the second card
    team_button = card_b.locator("button.dispatch").first
    team = str(team_button.get_attribute("data-unit"))
    code = json.loads(str(team_button.get_attribute("data-body")))["post_id"]
    taken = api_post(desk, f"/api/incidents/{pk_a}/dispatch", {"post_id": code})
    assert taken["status"] in (200, 201), taken
    team_button.click()
    said_in_card = card_b.locator("p.action-error")
    expect(said_in_card).to_contain_text(REFUSED[lang][1], timeout=WAIT)
    expect(said_in_card).to_be_in_viewport()
    expect(said_in_form).to_have_count(0)  # one refusal at a time: the newest
    # the refresh after the click: the team is out, its button gone; the refusal stays in the card
    expect(card_b.locator("button.dispatch", has_text=team)).to_have_count(0, timeout=WAIT)
    expect(card_a.locator("li.unit", has_text=team)).to_have_count(1)
    expect(said_in_card).to_contain_text(REFUSED[lang][1])
    expect(desk.locator("#action-message")).to_have_text("")

    # ... and the first card's close form is as he left it
    expect(card_a.locator("details.close-form")).to_have_attribute("open", "")
    expect(form.locator("select[name=disposition]")).to_have_value("selesai_di_tempat")
    expect(form.locator("textarea[name=note]")).to_have_value("massa bubar")
    expect(form.locator(".confirm-step")).to_be_visible()
    form.locator(".confirm-step button[data-confirm=yes]").click()
    expect(card_a).to_have_attribute("data-status", "selesai", timeout=WAIT)
    unit = card_a.locator("li.unit", has_text=team)
    unit.locator("button.step").click()  # back at its post: free again for the other tests
    expect(unit).to_have_attribute("data-step", "kembali", timeout=WAIT)


def test_the_list_refreshing_after_another_action_keeps_a_form_being_typed_in(page, open_page):
    """The Kapolres is typing a closing note on one card and escalates another: the list
    refreshes at once (the escalation shows), and the close form stays open with its disposition,
    and its note."""
    desk, first, second = two_reports_at_the_posko(page, open_page)
    card_a = desk.locator("article.incident", has_text=first)
    card_b = desk.locator("article.incident", has_text=second)
    expect(card_b).to_have_attribute("data-level", "polsek", timeout=WAIT)

    card_a.locator("details.close-form summary").click()
    form = card_a.locator("details.close-form form")
    form.locator("select[name=disposition]").select_option("selesai_di_tempat")
    note = form.locator("textarea[name=note]")
    note.fill("massa mulai bubar")

    card_b.get_by_role("button", name="Ambil alih komando dari Kapolsek").click()  # the Kapolres escalates
    expect(card_b).to_have_attribute("data-level", "polres", timeout=WAIT)  # the list was swapped
    expect(card_a.locator("details.close-form")).to_have_attribute("open", "")
    expect(form.locator("select[name=disposition]")).to_have_value("selesai_di_tempat")
    expect(note).to_have_value("massa mulai bubar")
    note.press("End")
    note.press_sequentially(", dua diamankan")  # he types on
    expect(note).to_have_value("massa mulai bubar, dua diamankan")
    form.locator(".ask").click()
    form.locator(".confirm-step button[data-confirm=yes]").click()
    expect(card_a).to_have_attribute("data-status", "selesai", timeout=WAIT)


def two_reports_at_the_posko(page: Any, open_page: Any) -> tuple[Any, str, str]:
    """The post leader reports two incidents from his phone (390 px); the Kapolres opens the
    Posko's incident list: his page and the two reports' words."""
    page.set_viewport_size({"width": 390, "height": 860})
    login(page, "kepalapos")
    page.goto(f"/plans/{PLAN}/phone/")
    first, second = f"blokade {uuid.uuid4().hex[:8]}", f"ricuh {uuid.uuid4().hex[:8]}"
    report_from_phone(page, first)
    report_from_phone(page, second)
    desk = open_page()
    desk.set_viewport_size(DESK)
    login(desk, "kapolres")
    desk.goto(f"/plans/{PLAN}/incidents/")
    return desk, first, second
