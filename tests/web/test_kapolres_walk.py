"""What the Kapolres's walk through the console found (Indonesian at 1366 px, English at 390 px,
the Pilkades and the Pemilu demo): the approve, publish and withdraw boxes fell apart (the
plan page's `.actions form` made their yellow box inline); clicking an order button after the
orders were made pasted the PDF's bytes into the page; the Sprin's annex named the pattern by
its code, a Pemilu's Sprin told the troops to coordinate with "KPPS, KPPS" and to guard a balai
desa it does not have; the roster card cut "not for apel attendance" off its foot; a unit sent
to an incident read "dikerahkan dikerahkan", TNI was "dispatched" rather than asked for; setting
an area status said nothing; the audit log named a sent unit by its post id, an incident's
severity by its number and kind in Indonesian on the English page, and broke (500) on a page
holding a plan job started without a plan id."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from siaga.audit.models import AuditEntry
from siaga.core.data import demo, patterns
from siaga.core.documents import cards, pdf, sprin
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import SECTOR, publish

CSS = Path(__file__).resolve().parents[2] / "siaga" / "static" / "siaga" / "siaga.css"
POSKO_JS = CSS.parent / "posko.js"
_keys = itertools.count()


@pytest.fixture
def approved(plan: Any, settings: Any, tmp_path: Any) -> Any:
    settings.SIAGA_CARD_KEY_FILE = str(tmp_path / "card-key")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SIAGA_JOBS_INLINE = True
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    plan.refresh_from_db()
    return plan


def _post(client: Client, url: str, body: Any = None) -> Any:
    headers = {"Idempotency-Key": f"kapolres-walk-{next(_keys)}"}
    return client.post(url, "" if body is None else body, content_type="application/json", headers=headers)


def _incident(client: Client, plan: Plan) -> int:
    post = next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == SECTOR and p["kind"] == "TPS")
    response = _post(
        client, f"/api/plans/{plan.pk}/incidents", {"kind": "bentrok", "severity": 3, "post_id": post["id"]}
    )
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def _brimob(client: Client, incident: int) -> dict[str, Any]:
    units = client.get(f"/api/incidents/{incident}/reserves").json()
    return next(u for u in units if u["kind"] == "Brimob PHH" and not u["busy"])


# ---------------------------------------------------------------- the plan page's decisions


def test_the_confirmation_box_stays_a_box_inside_the_actions_row():
    rule = re.search(r"details\.confirm \.confirm-body \{([^}]*)\}", CSS.read_text())
    assert rule and "display:block" in rule.group(1).replace(" ", "")


def test_an_order_button_clicked_after_the_orders_were_made_fetches_the_file(as_commander, approved):
    url = reverse("plan_orders", args=[approved.pk, "sprin.pdf"])
    made = as_commander.get(url, headers={"HX-Request": "true"})  # made at once (inline), not pasted
    assert made.status_code == 200 and made["HX-Redirect"] == url and not made.content.startswith(b"%PDF")
    downloads = AuditEntry.objects.filter(action="download_orders").count()
    stale = as_commander.get(url, headers={"HX-Request": "true"})  # a page drawn before they were stored
    assert stale["HX-Redirect"] == url and not stale.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="download_orders").count() == downloads  # nothing was served
    served = as_commander.get(url)
    assert served.getvalue().startswith(b"%PDF")


def test_a_refused_order_button_sends_the_page_to_the_plan_and_its_message(as_commander, plan):
    response = as_commander.get(reverse("plan_orders", args=[plan.pk, "sprin.pdf"]), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("plan_detail", args=[plan.pk])
    page = as_commander.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Surat perintah hanya dicetak dari rencana yang sudah disetujui." in page


# ---------------------------------------------------------------- the orders


def test_the_sprin_names_the_pattern_by_its_title(as_commander, approved, tmp_path):
    data = as_commander.get(reverse("plan_orders", args=[approved.pk, "sprin.pdf"])).getvalue()
    (tmp_path / "sprin.pdf").write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "sprin.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    title = patterns.title(approved.operation.pattern)
    assert f"Pola pengamanan: {title}." in " ".join(text.split())
    assert approved.operation.pattern not in text


def test_a_pemilu_sprin_coordinates_with_the_pps_and_guards_no_balai_desa():
    scenario = demo.pasuruan_kota_pemilu()
    settings = sprin.resolve(sprin.OrderSettings(), scenario)
    posts = settings.untuk[1]
    assert "berkoordinasi dengan PPS, KPPS, kepala desa" in posts and "KPPS, KPPS" not in posts
    assert "(pos TPS dan cadangan)" in posts and "balai desa" not in posts
    annex = sprin.Annex("I", settings, scenario.operation.election_date, False)
    organisation = sprin.organisation_blocks(scenario, annex)
    words = " ".join(b.text for b in organisation if isinstance(b, pdf.Paragraph))
    assert "pada pos TPS maupun tim cadangan." in words and "balai desa" not in words


def test_a_pilkades_sprin_keeps_its_committee_and_balai_desa_guard():
    posts = sprin.resolve(sprin.OrderSettings(), demo.pasuruan_kota()).untuk[1]
    assert "(pos TPS, jaga balai desa dan cadangan)" in posts
    assert "berkoordinasi dengan panitia pemilihan, KPPS, kepala desa" in posts


@pytest.mark.parametrize("note", [cards.CARD_NOTE, cards.ROSTER_NOTE])
def test_the_foot_of_a_card_is_printed_whole(note):
    width = cards._cell()[0] - 2 * cards.PAD
    assert cards._lines(note, width, cards.NOTE_SIZE, most=1) == [note]


# ---------------------------------------------------------------- election day


def test_a_unit_sent_reads_its_step_once_and_tni_is_asked_for(as_commander, plan):
    publish(plan)
    incident = _incident(as_commander, plan)
    page = as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert "Minta bantuan Siaga TNI" in page and "Kerahkan Siaga TNI" not in page
    assert (
        _post(
            as_commander, f"/api/incidents/{incident}/dispatch", {"post_id": _brimob(as_commander, incident)["post_id"]}
        ).status_code
        == 201
    )
    html = as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    unit = re.search(r'<li class="unit".*?</li>', html, re.S)
    assert unit, html
    line = " ".join(re.sub(r"<[^>]+>", " ", unit.group(0)).split())
    assert re.match(r"Cadangan Brimob di .+ \(tim \d+\) — dikerahkan \d\d:\d\d · perkiraan tiba \d\d:\d\d", line), line


def test_the_tni_request_is_english_in_english(as_commander, plan):
    publish(plan)
    _incident(as_commander, plan)
    as_commander.cookies["django_language"] = "en"
    page = as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert "Request TNI standby, " in page and "Minta bantuan" not in page and "Siaga TNI" not in page


def test_the_area_form_says_what_it_set(as_commander, plan):
    publish(plan)
    page = as_commander.get(f"/plans/{plan.pk}/board/").content.decode()
    assert 'data-done="Status wilayah ditetapkan:"' in page
    assert "form.dataset.done" in POSKO_JS.read_text()


# ---------------------------------------------------------------- the audit log


def test_the_audit_names_the_unit_sent_and_the_incident_in_words(as_commander, plan):
    publish(plan)
    incident = _incident(as_commander, plan)
    team = _brimob(as_commander, incident)
    _post(as_commander, f"/api/incidents/{incident}/dispatch", {"post_id": team["post_id"]})
    sent = AuditEntry.objects.get(action="dispatch", object_id=str(incident))
    assert sent.after["unit"] == team["name"]
    page = as_commander.get("/audit/?action=dispatch").content.decode()
    assert team["name"] in page and team["post_id"] not in page and "eta minutes" not in page
    assert "perkiraan tiba (menit)" in page
    reported = as_commander.get("/audit/?action=report_incident").content.decode()
    assert "berat" in reported and ">severity<" not in reported
    as_commander.cookies["django_language"] = "en"
    reported = as_commander.get("/audit/?action=report_incident").content.decode()
    assert "clash" in reported and "severe" in reported and "bentrok" not in reported


def test_the_audit_reads_a_plan_started_without_a_plan_id(as_commander, operation):
    AuditEntry.objects.create(
        action="start_plan", object_type="plan_job", object_id="1", operation_id=operation.pk, after={}
    )
    assert as_commander.get("/audit/").status_code == 200
