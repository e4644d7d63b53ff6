"""The Posko on election day (issue 13): who may act (the Kapolres commands; a Kapolsek sends his
own Polsek's teams only; a post leader attaches photos to his own reports), units with their
status clock and never out twice, closing with a disposition, election offences referred to
Bawaslu/Gakkumdu, seized goods with their chain of custody, area statuses, the reporter's view
of help on its way, and the report's new tables."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from siaga.field.models import Dispatch, Incident
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, own_post, publish

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
CLOSE = {"disposition": "selesai_di_tempat", "note": "massa bubar", "confirmed": True}
_keys = itertools.count()


@pytest.fixture(autouse=True)
def _current(plan: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return publish(plan)


def post(client: Client, url: str, body: Any = None, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key or f"posko-{next(_keys)}"}
    return client.post(url, "" if body is None else body, content_type="application/json", headers=headers)


def tps_post(plan: Plan, kecamatan: str = SECTOR) -> dict[str, Any]:
    return next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == kecamatan and p["kind"] == "TPS")


def report(client: Client, plan: Plan, kind: str = "bentrok", severity: int = 3, kecamatan: str = SECTOR) -> int:
    body = {"kind": kind, "severity": severity, "post_id": tps_post(plan, kecamatan)["id"]}
    response = post(client, f"/api/plans/{plan.pk}/incidents", body)
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def brimob(client: Client, incident: int) -> dict[str, Any]:
    units = client.get(f"/api/incidents/{incident}/reserves").json()
    return next(u for u in units if u["kind"] == "Brimob PHH" and not u["busy"])


def test_it_lets_a_post_leader_attach_a_photo_to_his_own_report_only(as_field_officer, as_sector, plan):
    body = {"kind": "unjuk rasa", "severity": 2, "post_id": own_post(plan)}
    mine = post(as_field_officer, f"/api/plans/{plan.pk}/incidents", body).json()["id"]
    photo = SimpleUploadedFile("foto.jpg", JPEG, content_type="image/jpeg")
    headers = {"Idempotency-Key": f"photo-{next(_keys)}"}
    assert as_field_officer.post(f"/api/incidents/{mine}/photo", {"photo": photo}, headers=headers).status_code == 201
    theirs = post(as_sector, f"/api/plans/{plan.pk}/incidents", body).json()["id"]
    photo = SimpleUploadedFile("foto.jpg", JPEG, content_type="image/jpeg")
    refused = as_field_officer.post(
        f"/api/incidents/{theirs}/photo", {"photo": photo}, headers={"Idempotency-Key": "p2"}
    )
    assert refused.status_code == 403 and "laporannya sendiri" in refused.json()["detail"]


def test_it_refuses_a_kapolsek_brimob_in_indonesian_and_shows_him_no_button(as_sector, as_commander, plan):
    incident = report(as_sector, plan)
    team = brimob(as_commander, incident)
    refused = post(as_sector, f"/api/incidents/{incident}/dispatch", {"post_id": team["post_id"]})
    assert refused.status_code == 403 and "hanya dikerahkan oleh Kapolres" in refused.json()["detail"]
    page = as_sector.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert f"Kerahkan {team['name']}" not in page and "dikerahkan oleh Kapolres" in page
    assert "Kerahkan Dalmas Awal Polsek Pohjentrek" in page
    assert f"Kerahkan {team['name']}" in as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()


def test_a_kapolsek_sends_only_his_own_polseks_teams(as_sector, as_commander, plan):
    incident = report(as_sector, plan)
    units = as_sector.get(f"/api/incidents/{incident}/reserves").json()
    others = [u for u in units if u["kind"] == "Dalmas Awal" and "Pohjentrek" not in u["name"]]
    refused = post(as_sector, f"/api/incidents/{incident}/dispatch", {"post_id": others[0]["post_id"]})
    assert refused.status_code == 403 and "Polseknya sendiri" in refused.json()["detail"]
    assert post(as_sector, f"/api/incidents/{incident}/dispatch").json()["unit_name"].endswith("Polsek Pohjentrek")


def test_a_unit_out_is_never_sent_twice_and_is_not_suggested(as_commander, plan):
    first, second = report(as_commander, plan), report(as_commander, plan)
    team = brimob(as_commander, first)
    assert post(as_commander, f"/api/incidents/{first}/dispatch", {"post_id": team["post_id"]}).status_code == 201
    again = post(as_commander, f"/api/incidents/{second}/dispatch", {"post_id": team["post_id"]})
    assert again.status_code == 409 and "sedang bertugas" in again.json()["detail"]
    assert post(as_commander, f"/api/incidents/{first}/dispatch", {"post_id": team["post_id"]}).status_code == 409
    units = as_commander.get(f"/api/incidents/{second}/reserves").json()
    assert next(u for u in units if u["post_id"] == team["post_id"])["busy"]
    assert units[0]["post_id"] != team["post_id"] and not units[0]["busy"]
    page = as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert page.count(f"Kerahkan {team['name']}") == 0  # busy: offered on neither card
    assert Dispatch.objects.filter(post_id=team["post_id"]).count() == 1


def test_the_status_clock_runs_to_kembali_and_frees_the_unit(as_commander, plan):
    incident = report(as_commander, plan)
    team = brimob(as_commander, incident)
    sent = post(as_commander, f"/api/incidents/{incident}/dispatch", {"post_id": team["post_id"]}).json()
    for step in ("dalam_perjalanan", "tiba", "selesai", "kembali"):
        response = post(as_commander, f"/api/dispatches/{sent['id']}/status", {"status": step})
        assert response.status_code == 200 and response.json()["status"] == step
    row = Dispatch.objects.get(pk=sent["id"])
    assert row.departed_at <= row.arrived_at <= row.done_at <= row.returned_at
    assert post(as_commander, f"/api/dispatches/{sent['id']}/status", {"status": "tiba"}).status_code == 422
    other = report(as_commander, plan)
    assert post(as_commander, f"/api/incidents/{other}/dispatch", {"post_id": team["post_id"]}).status_code == 201
    log = as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert f"{team['name']}: kembali" in log


def test_closing_asks_for_a_disposition_a_note_and_a_confirmation(as_commander, plan):
    incident = report(as_commander, plan)
    url = f"/api/incidents/{incident}/close"
    for body in (None, {**CLOSE, "disposition": ""}, {**CLOSE, "note": " "}, {**CLOSE, "confirmed": False}):
        response = post(as_commander, url, body)
        assert response.status_code == 422 and response.json()["detail"]
    assert post(as_commander, url, CLOSE).json()["disposition"] == "selesai_di_tempat"
    page = as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert "selesai di tempat" in page and "massa bubar" in page


@pytest.fixture
def gakkumdu(operation: Any) -> None:
    """Offences go the Pemilu/Pilkada way, to Bawaslu and the Gakkumdu: the demo is a Pilkades
    (tests/web/test_offence_by_election.py covers its own way)."""
    operation.config = {**operation.config, "offence_route": "gakkumdu"}
    operation.save(update_fields=["config"])


def test_an_election_offence_goes_to_gakkumdu_with_its_7_day_clock(as_planner, plan, gakkumdu):
    incident = report(as_planner, plan, kind="politik uang", severity=2)
    page = as_planner.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert "teruskan ke Bawaslu/Gakkumdu paling lambat" in page and "sisa 7 hari" in page
    refused = post(as_planner, f"/api/incidents/{incident}/close", CLOSE)
    assert refused.status_code == 422 and "Bawaslu/Gakkumdu" in refused.json()["detail"]
    referred = post(as_planner, f"/api/incidents/{incident}/refer", {"note": "Surat B/12/III/2022 ke Gakkumdu"})
    assert referred.status_code == 200 and referred.json()["referred_at"]
    assert post(as_planner, f"/api/incidents/{incident}/close", CLOSE).status_code == 200


def test_seized_goods_keep_their_chain_of_custody(as_sector, as_viewer, plan):
    incident = report(as_sector, plan, kind="politik uang", severity=2)
    item = {"item": "amplop berisi uang", "quantity": "40 amplop", "from_whom": "Tim sukses X", "kept_at": "Polsek"}
    made = post(as_sector, f"/api/incidents/{incident}/seized", item)
    assert made.status_code == 201
    assert post(as_sector, f"/api/incidents/{incident}/seized", {**item, "item": ""}).status_code == 422
    hand = {"holder": "Sentra Gakkumdu", "kept_at": "Kantor Bawaslu", "note": "BA serah terima"}
    assert post(as_sector, f"/api/seized/{made.json()['id']}/custody", hand).status_code == 201
    assert post(as_viewer, f"/api/incidents/{incident}/seized", item).status_code == 403
    page = as_sector.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert "40 amplop" in page and "Sentra Gakkumdu" in page and "barang sitaan berpindah tangan" in page


def test_the_kapolres_sets_an_area_status_shown_on_the_board(as_commander, as_sector, plan):
    url = f"/api/plans/{plan.pk}/areas/{SECTOR}"
    refused = post(as_sector, url, {"status": "merah"})
    assert refused.status_code == 403 and "Kapolres" in refused.json()["detail"]
    assert post(as_commander, url, {"status": "ungu"}).status_code == 422
    assert post(as_commander, url, {"status": "kuning", "note": "massa dua desa"}).status_code == 201
    board = as_sector.get(f"/plans/{plan.pk}/board/").content.decode()
    assert 'class="area area-kuning"' in board and 'id="area-form"' not in board
    assert 'id="area-form"' in as_commander.get(f"/plans/{plan.pk}/board/").content.decode()


def test_the_kapolres_delegates_brimob_to_his_kabag_ops(as_commander, as_planner, plan):
    incident = report(as_planner, plan)
    team = brimob(as_commander, incident)
    assert post(as_planner, f"/api/incidents/{incident}/dispatch", {"post_id": team["post_id"]}).status_code == 403
    planner = get_user_model().objects.get(username="planner")
    assert post(as_planner, f"/api/plans/{plan.pk}/delegations", {"user": planner.pk}).status_code == 403
    assert post(as_commander, f"/api/plans/{plan.pk}/delegations", {"user": planner.pk}).status_code == 200
    assert post(as_planner, f"/api/incidents/{incident}/dispatch", {"post_id": team["post_id"]}).status_code == 201


def test_the_incident_shows_who_commands_it_apart_from_the_force_sent(as_commander, plan):
    incident = report(as_commander, plan)
    page = as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert "(Kapolsek Pohjentrek)" in page  # the Kapolsek of the incident's kecamatan, by name
    post(as_commander, f"/api/incidents/{incident}/escalate")
    post(as_commander, f"/api/incidents/{incident}/dispatch", {"post_id": brimob(as_commander, incident)["post_id"]})
    card = as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert "(Kapolres)</strong>" in card and '<span class="forces">Brimob PHH</span>' in card


def test_the_reporter_sees_help_on_its_way_with_its_eta(as_field_officer, as_commander, plan):
    body = {"kind": "bentrok", "severity": 3, "post_id": own_post(plan)}
    incident = post(as_field_officer, f"/api/plans/{plan.pk}/incidents", body).json()["id"]
    mine = as_field_officer.get(f"/plans/{plan.pk}/phone/reports/").content.decode()
    assert "laporan diterima Posko" in mine
    post(as_commander, f"/api/incidents/{incident}/dispatch", {"post_id": brimob(as_commander, incident)["post_id"]})
    mine = as_field_officer.get(f"/plans/{plan.pk}/phone/reports/").content.decode()
    assert "bantuan dalam perjalanan, tiba sekitar" in mine and " menit" in mine
    assert "bantuan dalam perjalanan" in as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()


def test_every_refusal_says_why_in_indonesian(as_viewer, as_field_officer, as_planner, plan):
    incident = report(as_planner, plan, kecamatan=OTHER_SECTOR)
    for client in (as_viewer,):
        for action in ("escalate", "dispatch", "close"):
            response = post(client, f"/api/incidents/{incident}/{action}", CLOSE if action == "close" else None)
            assert response.status_code == 403
            assert "forbidden" not in response.json()["detail"] and "Peran Anda" in response.json()["detail"]
    mine = post(
        as_field_officer, f"/api/plans/{plan.pk}/incidents", {"kind": "x", "severity": 1, "post_id": own_post(plan)}
    )
    response = post(as_field_officer, f"/api/incidents/{mine.json()['id']}/escalate")
    assert response.status_code == 403 and "Kepala pos" in response.json()["detail"]


def test_a_new_severe_incident_moves_the_pages_alert_marker(as_commander, plan):
    before = as_commander.get(f"/plans/{plan.pk}/live/?part=1").content.decode()
    incident = report(as_commander, plan, severity=3)
    report(as_commander, plan, severity=1)
    after = as_commander.get(f"/plans/{plan.pk}/live/?part=1").content.decode()
    assert f'data-latest="{incident}"' in after and f'data-latest="{incident}"' not in before
    assert "siaga/posko.js" in as_commander.get(f"/plans/{plan.pk}/incidents/").content.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_the_report_lists_logs_response_times_referrals_and_seized_goods(as_commander, plan, tmp_path, gakkumdu):
    incident = report(as_commander, plan, kind="politik uang", severity=2)
    sent = post(as_commander, f"/api/incidents/{incident}/dispatch").json()
    post(as_commander, f"/api/dispatches/{sent['id']}/status", {"status": "tiba"})
    item = {"item": "amplop", "quantity": "12", "from_whom": "Saudara Y", "kept_at": "Polsek Pohjentrek"}
    post(as_commander, f"/api/incidents/{incident}/seized", item)
    post(as_commander, f"/api/incidents/{incident}/close", {**CLOSE, "disposition": "gakkumdu"})
    assert Incident.objects.get(pk=incident).referred_at is not None
    (tmp_path / "r.pdf").write_bytes(as_commander.get(f"/plans/{plan.pk}/report.pdf").content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    for needle in ("Log tindakan per kejadian", "satuan dikerahkan", "Penerusan pelanggaran pemilu", "Saudara Y"):
        assert needle in text, needle
    from siaga.field.services import report_data

    commander = get_user_model().objects.get(username="commander")
    row = next(r for r in report_data(plan, commander)["incidents"] if r["incident"].pk == incident)
    assert row["response_minutes"] is not None  # from the report to the first arrival


def test_the_report_sets_the_stress_tests_prediction_beside_the_real_response_times(
    as_commander, as_sector, plan, tmp_path
):
    incident = report(as_commander, plan, kind="bentrok", severity=3)
    sent = post(as_commander, f"/api/incidents/{incident}/dispatch").json()
    post(as_commander, f"/api/dispatches/{sent['id']}/status", {"status": "tiba"})
    from siaga.core.planning import simulate
    from siaga.field.services import report_data
    from siaga.operations.services import scenario_for
    from siaga.plans.store import core_plan

    commander = get_user_model().objects.get(username="commander")
    rows = {r["severity"]: r for r in report_data(plan, commander)["response"]}
    expected = simulate.simulate(scenario_for(plan.operation), core_plan(plan), runs=1000, seed=1)
    assert rows["berat"]["predicted"] == expected.by_severity["berat"] and rows["berat"]["actual"].count >= 1
    (tmp_path / "r.pdf").write_bytes(as_commander.get(f"/plans/{plan.pk}/report.pdf").content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Waktu tanggap: perkiraan uji tekanan dan kenyataan" in text
    b = expected.by_severity["berat"]
    shown = f"{b.median:g} / {b.p90:g} / {b.worst:g} ({b.count})".replace(".", ",")  # Indonesian decimals
    assert shown in text
    sector = get_user_model().objects.get(username="sector")
    own = {r["severity"]: r for r in report_data(plan, sector)["response"]}
    assert own["berat"]["predicted"] == expected.by_kecamatan.get("35.14.17")


def test_an_incident_card_names_its_post_as_the_sprin_does_never_by_its_id(as_commander, plan):
    from siaga.core.documents.ploting import post_names
    from siaga.operations.services import scenario_for
    from siaga.plans.store import core_plan

    incident = report(as_commander, plan)
    code = Incident.objects.get(pk=incident).post_id
    page = as_commander.get(f"/plans/{plan.pk}/incidents/").content.decode()
    expected = post_names(scenario_for(plan.operation), core_plan(plan).posts)[code]
    card = page[page.index(f'id="incident-{incident}"') :]
    card = card[: card.index("</article>")]
    assert expected in card and code not in re.sub(r'data-[a-z-]+="[^"]*"|href="[^"]*"', "", card)


def test_an_unreferred_election_offence_offers_only_the_gakkumdu_disposition(as_planner, plan, gakkumdu):
    """Closing it any other way is refused (services.incidents.close): the form does not offer
    what would be refused; once referred, every disposition is offered."""
    incident = report(as_planner, plan, kind="politik uang", severity=2)

    def offered() -> list[str]:
        page = as_planner.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
        card = page[page.index(f'id="incident-{incident}"') :]
        select = card[card.index('name="disposition"') : card.index("</select>")]
        return re.findall(r'<option value="([^"]*)"', select)

    assert offered() == ["gakkumdu"]
    post(as_planner, f"/api/incidents/{incident}/refer", {"note": "Surat B/12/III/2022 ke Gakkumdu"})
    assert offered() == ["", "selesai_di_tempat", "gakkumdu", "reskrim", "lainnya"]


def test_the_report_names_places_posts_tps_and_levels_never_by_their_codes(
    as_field_officer, as_commander, plan, monkeypatch
):
    from types import SimpleNamespace

    from siaga.field import views_day
    from siaga.field.services.duties import tps_places

    pages: list[str] = []
    monkeypatch.setattr(views_day.pdf, "compose", lambda html, **_: pages.append(html) or SimpleNamespace(data=b"%PDF"))
    mine = own_post(plan)
    tps = next(p for p in plan_file(plan)["posts"] if p["id"] == mine)["tps"][0]
    assert post(as_field_officer, f"/api/plans/{plan.pk}/posts/{mine}/status", {"status": "tiba"}).status_code == 201
    assert post(as_field_officer, f"/api/plans/{plan.pk}/tps/{tps}/events", {"kind": "dibuka"}).status_code == 201
    body = {"kind": "bentrok", "severity": 2, "post_id": mine}
    assert post(as_field_officer, f"/api/plans/{plan.pk}/incidents", body).status_code == 201
    assert as_commander.get(f"/plans/{plan.pk}/report.pdf").status_code == 200
    html = re.sub(r"<style>.*?</style>", "", pages[0], flags=re.S)
    from siaga.plans.names import post_labels

    assert post_labels(plan, [mine])[mine] in html and mine not in html
    timeline = html[html.index(post_labels(plan, [mine])[mine], html.index("Lini masa pergeseran pasukan")) :]
    assert "Field_Officer" in timeline[: timeline.index("</tr>")]  # who reported it, by name, not login
    assert tps_places(plan, [tps])[tps]["name"] in html and f">{tps}<" not in html
    table = html[html.index('id="response-compare"') : html.index("</table>", html.index('id="response-compare"'))]
    assert "<td>serius</td>" in table and "<td>sedang</td>" not in table  # severity 2 by its name


def test_the_posko_gives_a_units_time_to_arrive_in_whole_minutes(as_commander, plan):
    report(as_commander, plan, kind="bentrok", severity=3)
    page = as_commander.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert re.search(r"\(~\d+ menit\)", page) and re.search(r"sekitar \d+ menit\)", page)
    assert not re.search(r"(~|sekitar )\d+[,.]\d+ menit", page)


def test_the_report_holds_every_area_status_the_kapolres_set(as_commander, as_sector, plan, tmp_path):
    from siaga.operations.models import Region

    url = f"/api/plans/{plan.pk}/areas/{SECTOR}"
    assert post(as_commander, url, {"status": "kuning", "note": "massa dua desa"}).status_code == 201
    assert post(as_commander, url, {"status": "hijau", "note": "massa bubar"}).status_code == 201
    (tmp_path / "r.pdf").write_bytes(as_commander.get(f"/plans/{plan.pk}/report.pdf").content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    name = Region.objects.get(operation_id=plan.operation_id, code=SECTOR).name
    assert "Status wilayah (Perkap 16/2006)" in text
    assert text.count(f"Kecamatan {name}") >= 2 and "massa dua desa" in text and "massa bubar" in text
    assert text.index("massa dua desa") < text.index("massa bubar")  # by time: the history, not only the last
