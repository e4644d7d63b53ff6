"""Defects of a role walk through the apel, the incidents and the plan page.

- The apel's "Yang tidak hadir" card follows every check-in (it comes out of band with each
  refresh of the readiness panel) and names the first few plainly, counting all the others.
- A Kapolsek who handed an incident's command up is told who commands it now and what he may
  still do (DOCTRINE.md 12: command level and force sent are apart; his own Polsek's first
  response stays his by the operation's setting `sector_units_after_handover`, default yes);
  escalating sends nothing, so the incident is not "ditangani" until a unit is sent.
- Counted words in English agree with their number ("~1 minute", "1 row", "1 operation").
- A 24-hour window names its end's day ("15 Feb 08.00 - 16 Feb 08.00").
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from html import unescape
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from django.utils.translation import npgettext

from siaga.core.data.stages import window_text
from siaga.field.models import CheckIn, Incident
from siaga.field.views_apel import ABSENT_LISTED
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import SECTOR, publish

_keys = itertools.count()


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def post(client: Client, url: str, body: Any = None) -> Any:
    headers = {"Idempotency-Key": f"walk-{next(_keys)}"}
    return client.post(url, "" if body is None else body, content_type="application/json", headers=headers)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def panel_of(html: str) -> str:
    start = html.index('id="absent-panel"')
    return html[start : html.index("</div>", start)]


# ------------------------------------------------------------------------------- the apel


def test_the_absent_card_comes_with_every_readiness_refresh_and_counts_as_the_cards_do(as_sector, plan):
    page = as_sector.get(f"/plans/{plan.pk}/apel/").content.decode()
    first = re.findall(r'data-absentee="([^"]+)"', panel_of(page))[0]
    before = int(re.search(r'id="absent-count">(\d+)<', page).group(1))
    assert f"({before})" in panel_of(page) and "hx-swap-oob" not in panel_of(page)  # the page's own: in place

    checked = as_sector.post(
        f"/plans/{plan.pk}/apel/checkin/", {"nrp": first, "method": "nrp"}, headers={"Idempotency-Key": "walk-apel-1"}
    )
    assert checked.json()["ok"]
    fragment = as_sector.get(f"/plans/{plan.pk}/apel/readiness/").content.decode()
    panel = panel_of(fragment)
    at = fragment.index('id="absent-panel"')
    assert 'hx-swap-oob="true"' in fragment[at : at + 60]
    assert int(re.search(r'id="absent-count">(\d+)<', fragment).group(1)) == before - 1
    assert f'id="absent-names-count">({before - 1})<' in panel
    assert f'data-absentee="{first}"' not in panel


def test_the_absent_card_names_a_few_plainly_and_counts_everyone_else(as_sector, plan):
    page = as_sector.get(f"/plans/{plan.pk}/apel/").content.decode()
    panel = panel_of(page)
    count = int(re.search(r'id="absent-names-count">\((\d+)\)<', panel).group(1))
    listed = re.findall(r'data-absentee="([^"]+)"', panel)
    assert count > ABSENT_LISTED and len(listed) == ABSENT_LISTED
    more = text(re.search(r'id="absent-names-more">(.*?)</a>', panel).group(1))
    assert more == f"dan {count - ABSENT_LISTED} lainnya: lihat semua di daftar personel"
    assert "present=no" in re.search(r'href="([^"]+)" id="absent-names-more"', panel).group(1)
    style = page[page.index("#absent-names {") :]
    assert "max-height" not in style[: style.index("</style>")]  # no scroll box hiding names


def test_the_absent_card_says_all_present_once_no_one_is_missing(as_sector, plan):
    everyone = {a["person"] for a in plan_file(plan)["assignments"]}
    CheckIn.objects.bulk_create(
        CheckIn(operation_id=plan.operation_id, person_code=code, method="list", key=f"all-{code}") for code in everyone
    )
    fragment = as_sector.get(f"/plans/{plan.pk}/apel/readiness/").content.decode()
    assert 'id="absent-names-none"' in panel_of(fragment) and "(0)" in panel_of(fragment)


# --------------------------------------------------------------------------- the incidents


def tps_post(plan: Plan) -> str:
    return next(p["id"] for p in plan_file(plan)["posts"] if p["kecamatan_code"] == SECTOR and p["kind"] == "TPS")


def report(client: Client, plan: Plan) -> int:
    body = {"kind": "bentrok", "severity": 3, "post_id": tps_post(plan)}
    made = post(client, f"/api/plans/{plan.pk}/incidents", body)
    assert made.status_code == 201, made.content
    return int(made.json()["id"])


def card_of(client: Client, plan: Plan, pk: int) -> str:
    page = client.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    start = page.index(f'id="incident-{pk}"')
    return page[start : page.index("</article>", start)]


def test_escalating_sends_nothing_so_the_incident_is_not_yet_handled(as_sector, plan):
    pk = report(as_sector, plan)
    assert post(as_sector, f"/api/incidents/{pk}/escalate").status_code in (200, 201)
    incident = Incident.objects.get(pk=pk)
    assert incident.level == Incident.Level.POLRES and incident.status == Incident.Status.DILAPORKAN
    card = card_of(as_sector, plan, pk)
    assert 'data-status="dilaporkan"' in card and "belum ada" in card
    sent = post(as_sector, f"/api/incidents/{pk}/dispatch")  # his own Polsek's nearest team
    assert sent.status_code == 201 and sent.json()["unit_name"].endswith("Polsek Pohjentrek")
    assert Incident.objects.get(pk=pk).status == Incident.Status.DITANGANI


def test_after_handing_command_up_the_kapolsek_is_told_who_commands_and_what_he_may_still_do(as_sector, plan):
    pk = report(as_sector, plan)
    post(as_sector, f"/api/incidents/{pk}/escalate")
    card = card_of(as_sector, plan, pk)
    said = text(re.search(r'class="handed-up"[^>]*>(.*?)</p>', card, re.S).group(1))
    assert said.startswith("Komando kejadian ini kini di tangan ") and "(Kapolres)" in said
    assert "mengerahkan Dalmas Awal dan Patroli Polsek Anda" in said and "barang sitaan" in said
    assert "penutupan kejadian diputuskan oleh Kapolres" in said
    assert "Kerahkan Dalmas Awal Polsek Pohjentrek" in card and "Kerahkan Patroli Polsek Pohjentrek" in card
    assert "seize-form" in card and "close-form" not in card and "Eskalasi ke" not in card
    # what the page offers is what the API allows
    closing = {"disposition": "selesai_di_tempat", "note": "x", "confirmed": True}
    closed = post(as_sector, f"/api/incidents/{pk}/close", closing)
    assert closed.status_code == 403
    item = {"item": "uang tunai", "quantity": "Rp 500.000", "from_whom": "X", "kept_at": "Polsek"}
    assert post(as_sector, f"/api/incidents/{pk}/seized", item).status_code == 201
    units = as_sector.get(f"/api/incidents/{pk}/reserves").json()
    lanjut = next(u for u in units if u["kind"] == "Dalmas Lanjut")
    assert post(as_sector, f"/api/incidents/{pk}/dispatch", {"post_id": lanjut["post_id"]}).status_code == 403


def test_the_setting_keeps_a_handed_up_incidents_units_with_the_kapolres(as_sector, operation, plan):
    operation.config = {**operation.config, "sector_units_after_handover": False}
    operation.save(update_fields=["config"])
    pk = report(as_sector, plan)
    post(as_sector, f"/api/incidents/{pk}/escalate")
    card = card_of(as_sector, plan, pk)
    said = text(re.search(r'class="handed-up"[^>]*>(.*?)</p>', card, re.S).group(1))
    assert "Anda masih dapat mencatat barang sitaan serta serah terimanya." in said
    assert "Kerahkan Dalmas Awal" not in card
    assert post(as_sector, f"/api/incidents/{pk}/dispatch").status_code in (403, 409)


def test_a_kapolsek_commanding_his_incident_reads_no_handover_note(as_sector, as_commander, plan):
    pk = report(as_sector, plan)
    assert "handed-up" not in card_of(as_sector, plan, pk)
    post(as_sector, f"/api/incidents/{pk}/escalate")
    assert "handed-up" not in card_of(as_commander, plan, pk)  # the Kapolres commands it: nothing to tell him


# ------------------------------------------------------------------------- counted words


def test_minutes_rows_and_operations_agree_with_their_number_in_english():
    with translation.override("en"):
        send = "Kerahkan %(unit)s (~%(eta)s menit)"
        assert npgettext("minutes", send, send, 1) % {"unit": "Patrol", "eta": 1} == "Dispatch Patrol (~1 minute)"
        assert npgettext("minutes", send, send, 5) % {"unit": "Patrol", "eta": 5} == "Dispatch Patrol (~5 minutes)"
        one = text(render_to_string("operations/data_pagination.html", {"page": Paginator([1], 10).get_page(1)}))
        assert re.search(r"Page 1 of 1 · 1 row(?!s)", one) and "1 rows" not in one
        two = text(render_to_string("operations/data_pagination.html", {"page": Paginator([1, 2], 10).get_page(1)}))
        assert "2 rows" in two
    one = text(render_to_string("operations/data_pagination.html", {"page": Paginator([1], 10).get_page(1)}))
    assert "Halaman 1 dari 1 · 1 baris" in one


def test_every_eta_on_the_english_incidents_page_agrees_with_its_number(as_sector, plan):
    report(as_sector, plan)
    as_sector.cookies["django_language"] = "en"
    page = text(as_sector.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode())
    found = re.findall(r"~(\d+) (minutes?)\)", page) + re.findall(r"about (\d+) (minutes?)\)", page)
    assert found
    for n, word in found:
        assert int(n) >= 1 and (word == "minute") == (n == "1"), (n, word)


def test_the_polda_headline_counts_one_operation_in_the_singular():
    with translation.override("en"):
        said = npgettext(
            "headline",
            "%(r)s Polres, %(o)s operasi, %(t)s TPS",
            "%(r)s Polres, %(o)s operasi, %(t)s TPS",
            1,
        ) % {"r": 1, "o": 1, "t": 152}
    assert said == "1 Polres, 1 operation, 152 TPS"


# ------------------------------------------------------------------------------ windows


def test_a_whole_day_window_names_the_day_it_ends():
    start = dt.datetime(2024, 2, 15, 8)
    assert window_text(start, start + dt.timedelta(hours=24)) == "15 Feb 08.00 - 16 Feb 08.00"
    assert window_text(start, start + dt.timedelta(hours=12)) == "15 Feb 08.00-20.00"
    assert window_text(start + dt.timedelta(hours=12), start + dt.timedelta(hours=24)) == "15 Feb 20.00-08.00"
    assert window_text(start, start + dt.timedelta(hours=72)) == "15 Feb 08.00 - 18 Feb 08.00"


def test_the_setting_comes_from_the_workbook(db, tmp_path):
    import dataclasses

    from siaga.core.data import demo
    from siaga.core.data.scenario import read_scenario, write_scenario
    from siaga.field.services.authority import sector_keeps_units
    from siaga.operations.services import import_scenario

    scenario = demo.pasuruan_kota()
    off = dataclasses.replace(
        scenario, operation=dataclasses.replace(scenario.operation, sector_units_after_handover=False)
    )
    path = tmp_path / "off.xlsx"
    write_scenario(off, path)
    read = read_scenario(path)
    assert read.operation.sector_units_after_handover is False
    assert not sector_keeps_units(import_scenario(read, "off.xlsx"))
    assert scenario.operation.sector_units_after_handover is True  # Siaga's default: yes
