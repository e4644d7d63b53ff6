"""The chain of custody in a real browser at 390 px: the leader of an escort run records the
departure, the arrival and the berita acara serah terima with its counts from the phone page;
the post leader `kepalapos`, who guards the PPK warehouse (a balai desa in the Pilkades),
writes its buku mutasi; the Kapolres's board shows the run as handed over and flags another
run whose planned arrival has passed with no arrival (the demo's operations are past, so every
run not arrived is late by now); the post-operation report lists the handover record and the
entry.

The demo gives no login to an escort member: the test links one to the leader of an escort run
in Pohjentrek, as an admin would."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import LOGINS, login
from tests.browser.test_field_day import shot

WAIT = 15_000
ESCORT = ("pengawal", "siaga-kawal-2022")
LINK = """
import json
from django.contrib.auth import get_user_model
from siaga.accounts.models import Profile, Role
from siaga.core.data import ranks
from siaga.operations.models import Person
from siaga.plans.models import Plan
# the published plan where the post leader `kepalapos` guards a warehouse (the Pemilu), else
# any place (the Pilkades: a balai desa through the night)
guard = get_user_model().objects.get(username="kepalapos").profile.person_code
def guards(plan, kinds):
    roster = plan.extra.get("roster") or {"duties": [], "assignments": []}
    duty = {d["id"]: d["kind"] for d in roster["duties"]}
    return any(a["person"] == guard and duty.get(a["duty"]) in kinds for a in roster["assignments"])
published = list(Plan.objects.filter(status=Plan.Status.PUBLISHED).order_by("pk"))
plan = next((p for p in published if guards(p, {"GUDANG_PPK", "GUDANG_KPU"})), None)
plan = plan or next(p for p in published if guards(p, {"GUDANG_PPK", "GUDANG_KPU", "PPK", "BALAI_DESA"}))
roster = plan.extra["roster"]
runs = [d for d in roster["duties"] if d["kind"] == "KAWAL" and d["kecamatan_code"] == "35.14.17"]
run = runs[0]
team = [a["person"] for a in roster["assignments"] if a["duty"] == run["id"]]
head = ranks.ketua_pos(Person.objects.filter(operation_id=plan.operation_id, code__in=team))
user, _ = get_user_model().objects.get_or_create(username="%s")
user.set_password("%s")
user.save()
Profile.objects.update_or_create(user=user, defaults={"role": Role.FIELD_OFFICER, "person_code": head.code})
others = [d["id"] for d in runs[1:]]
print(json.dumps({"plan": plan.pk, "id": run["id"], "name": run["name"], "leader": head.code, "others": others}))
"""


def test_an_escort_hands_over_from_the_phone_and_the_board_flags_a_missing_arrival(
    console_shell, page, open_page, tmp_path
):
    run = json.loads(console_shell(LINK % ESCORT))
    plan = run["plan"]
    LOGINS.setdefault(ESCORT[0], ESCORT[1])
    page.set_viewport_size({"width": 390, "height": 860})
    login(page, ESCORT[0])
    page.goto(f"/plans/{plan}/phone/")
    page.evaluate("localStorage.clear()")
    page.reload()
    escort = page.locator(f'section.escort[data-duty="{run["id"]}"]')
    expect(escort.locator("h2")).to_contain_text(run["name"])  # its name, never its code
    expect(escort.locator("h2")).not_to_contain_text("KAWAL-")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    escort.locator('button[data-body*="berangkat"]').first.click()
    expect(page.locator("#log li").first).to_contain_text("berangkat — terkirim", timeout=WAIT)
    page.context.set_offline(True)  # the arrival is made where the network is not: queued, then sent
    escort.locator('button[data-body*="tiba"]').last.click()
    expect(page.locator("#queue-count")).to_have_text("1")
    page.context.set_offline(False)
    expect(page.locator("#log li").first).to_contain_text("tiba — terkirim", timeout=WAIT)
    expect(escort.locator(".escort-state")).to_have_text("tiba")
    expect(escort.locator("span.flag")).to_be_hidden()  # arrived: no longer flagged on the phone

    other = f"Siti {uuid.uuid4().hex[:6]}"
    form = escort.locator("form.handover-form")
    form.locator('select[name="escort_code"]').select_option(run["leader"])
    form.locator('input[name="other_name"]').fill(other)
    form.locator('input[name="other_code"]').fill("3514170101800001")
    form.locator('input[name="other_office"]').fill("Ketua PPS")
    form.locator('input[name="ballot_boxes"]').fill("6")
    form.locator('input[name="seals"]').fill("24")
    form.locator('input[name="envelopes"]').fill("12")
    form.locator('input[name="confirmed"]').check()
    form.get_by_role("button", name="Simpan berita acara").click()
    expect(page.locator("#log li").first).to_contain_text("berita acara serah terima — terkirim", timeout=WAIT)
    expect(page.locator("#queue-count")).to_have_text("0")
    shot(page, tmp_path, "field-escort-phone.png")

    guard = open_page()
    guard.set_viewport_size({"width": 390, "height": 860})
    login(guard, "kepalapos")
    guard.goto(f"/plans/{plan}/phone/")
    book = guard.locator("section.guard").first
    visitor = f"Budi {uuid.uuid4().hex[:6]}"
    book.locator('select[name="kind"]').select_option("masuk")
    book.locator('input[name="name"]').fill(visitor)
    book.locator('input[name="purpose"]').fill("memeriksa segel kotak suara")
    book.get_by_role("button", name="Catat di buku mutasi").click()
    expect(guard.locator("#log li").first).to_contain_text("buku mutasi — terkirim", timeout=WAIT)

    board = open_page()
    login(board, "kapolres")
    board.goto(f"/plans/{plan}/board/")
    done = board.locator(f'#escorts tr[data-duty="{run["id"]}"]')
    expect(done).to_have_attribute("data-state", "serah_terima", timeout=WAIT)
    expect(done).to_contain_text("serah terima selesai")
    missing = board.locator(f'#escorts tr[data-duty="{run["others"][0]}"]')
    expect(missing).to_have_attribute("data-flag", "missing")
    expect(missing).to_have_class("waiting")
    expect(missing.locator(".escort-flag")).to_contain_text("Belum tiba")
    expect(board.locator("#escorts-missing")).to_contain_text("belum tiba lewat jadwal")
    shot(board, tmp_path, "field-escort-board.png")

    report = board.request.get(f"/plans/{plan}/report.pdf")
    assert report.ok and report.headers["content-type"] == "application/pdf"
    (tmp_path / "report.pdf").write_bytes(report.body())
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert other in text and "3514170101800001" in text and "6 kotak suara" in text
    assert visitor in text and "memeriksa segel" in text
    if os.environ.get("SIAGA_SCREENSHOTS"):
        (Path(os.environ["SIAGA_SCREENSHOTS"]) / "field-escort-report.pdf").write_bytes(report.body())
