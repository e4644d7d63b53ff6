"""The day's pages: the pergeseran board (scoped, refreshed by htmx), the phone page, the
incident workflow driven through the API and shown on the incident page and live dashboard,
and the post-operation report as a PDF."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client

from siaga.field.models import CheckIn, Incident, PostStatus
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    """The field works on the operation's published plan."""
    return publish(plan)


_keys = itertools.count()


def post(client: Client, url: str, body: Any = None, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key or f"day-{next(_keys)}"}
    return client.post(url, "" if body is None else body, content_type="application/json", headers=headers)


def post_in(plan: Plan, kecamatan: str, kind: str = "TPS") -> dict[str, Any]:
    return next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == kecamatan and p["kind"] == kind)


def set_status(client: Client, plan: Plan, post_id: str, status: str, **where: float) -> Any:
    response = post(client, f"/api/plans/{plan.pk}/posts/{post_id}/status", {"status": status, **where})
    assert response.status_code == 201, response.content
    return response.json()


def test_the_board_shows_every_post_with_the_ones_not_in_place_marked(as_planner, plan):
    mine, other = post_in(plan, SECTOR), post_in(plan, OTHER_SECTOR)
    set_status(as_planner, plan, mine["id"], "siaga")
    set_status(as_planner, plan, other["id"], "berangkat")
    page = as_planner.get(f"/plans/{plan.pk}/board/").content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert f'data-post="{mine["id"]}" data-status="siaga" class="in-place"' in page
    assert f'data-post="{other["id"]}" data-status="berangkat" class="waiting"' in page
    part = as_planner.get(f"/plans/{plan.pk}/board/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part and f'data-post="{mine["id"]}"' in part


def test_a_sector_chief_sees_only_their_kecamatan(as_sector, plan):
    page = as_sector.get(f"/plans/{plan.pk}/board/").content.decode()
    assert f'data-kecamatan="{SECTOR}"' in page
    assert f'data-kecamatan="{OTHER_SECTOR}"' not in page
    assert f'data-post="{post_in(plan, OTHER_SECTOR)["id"]}"' not in page
    phone = as_sector.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert f'value="{post_in(plan, SECTOR)["id"]}"' in phone
    assert f'value="{post_in(plan, OTHER_SECTOR)["id"]}"' not in phone


def test_the_pages_need_a_login(plan):
    for page in ("board/", "phone/", "incidents/", "live/", "report.pdf"):
        response = Client().get(f"/plans/{plan.pk}/{page}")
        assert response.status_code in (302, 403), page


def test_the_phone_page_carries_what_its_script_needs(as_sector, plan):
    page = as_sector.get(f"/plans/{plan.pk}/phone/").content.decode()
    for needle in (
        'id="queue-count"',
        'id="status-buttons"',
        'data-status="koordinasi"',
        "siaga/phone.js",
        "tps-by-post",
    ):
        assert needle in page


def test_an_incident_is_reported_escalated_dispatched_and_closed(as_planner, as_commander, as_viewer, plan):
    tps = str(post_in(plan, SECTOR)["tps"][0])
    response = post(
        as_planner, f"/api/plans/{plan.pk}/incidents", {"kind": "keributan", "severity": 3, "tps_code": tps}
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["kind"] == "gangguan kamtibmas"  # the old kind, on the taxonomy
    page = as_commander.get(f"/plans/{plan.pk}/incidents/").content.decode()
    assert f'id="incident-{pk}" data-status="dilaporkan" data-level="polsek"' in page
    assert f"/api/incidents/{pk}/escalate" in page and f"/api/incidents/{pk}/dispatch" in page
    assert "Saran satuan tercepat" in page and "Ambil alih komando dari Kapolsek" in page  # the Kapolres's own
    assert "Eskalasi ke Kapolres" in as_planner.get(f"/plans/{plan.pk}/incidents/").content.decode()
    assert "Ambil alih komando" not in as_planner.get(f"/plans/{plan.pk}/incidents/").content.decode()
    assert "data-action" not in as_viewer.get(f"/plans/{plan.pk}/incidents/").content.decode()  # reads only

    assert post(as_commander, f"/api/incidents/{pk}/escalate").status_code == 200
    suggested = as_commander.get(f"/api/incidents/{pk}/reserves").json()[0]
    assert post(as_commander, f"/api/incidents/{pk}/dispatch", {"post_id": suggested["post_id"]}).status_code == 201
    live = as_planner.get(f"/plans/{plan.pk}/live/?part=1").content.decode()
    assert 'id="live-open">1<' in live
    assert post(as_commander, f"/api/incidents/{pk}/close").status_code == 422  # no disposition
    body = {"disposition": "selesai_di_tempat", "note": "massa bubar", "confirmed": True}
    assert post(as_commander, f"/api/incidents/{pk}/close", body).status_code == 200

    page = as_planner.get(f"/plans/{plan.pk}/incidents/?part=1").content.decode()
    assert f'id="incident-{pk}" data-status="selesai" data-level="polres"' in page
    assert f"<strong>{suggested['name']}</strong>" in page and "massa bubar" in page
    assert "oleh Commander" in page
    assert 'id="live-closed">1<' in as_planner.get(f"/plans/{plan.pk}/live/?part=1").content.decode()
    assert Incident.objects.get(pk=pk).closed_by.username == "commander"


def test_a_sector_chief_does_not_see_another_kecamatans_incident(as_planner, as_sector, plan):
    tps = str(post_in(plan, OTHER_SECTOR)["tps"][0])
    body = {"kind": "intimidasi", "severity": 1, "tps_code": tps, "description": "di Lekok"}
    assert post(as_planner, f"/api/plans/{plan.pk}/incidents", body).status_code == 201
    assert "di Lekok" in as_planner.get(f"/plans/{plan.pk}/incidents/").content.decode()
    assert "di Lekok" not in as_sector.get(f"/plans/{plan.pk}/incidents/").content.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_the_report_is_a_pdf_with_attendance_incidents_and_coverage(as_planner, plan, tmp_path):
    people = [a["person"] for a in plan_file(plan)["assignments"]][:3]
    for nrp in people:
        assert post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp}).status_code == 201
    mine = post_in(plan, SECTOR)
    set_status(as_planner, plan, mine["id"], "siaga")
    body = {"kind": "politik uang", "severity": 2, "post_id": mine["id"], "description": "amplop di TPS"}
    pk = post(as_planner, f"/api/plans/{plan.pk}/incidents", body).json()["id"]
    assert post(as_planner, f"/api/incidents/{pk}/dispatch").status_code == 201
    body = {"disposition": "reskrim", "note": "diserahkan ke Reskrim", "confirmed": True}  # a Pilkades
    assert post(as_planner, f"/api/incidents/{pk}/close", body).status_code == 200

    response = as_planner.get(f"/plans/{plan.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    expected = len({a["person"] for a in plan_file(plan)["assignments"]})
    assert CheckIn.objects.count() == 3
    assert f"Hadir 3 dari {expected}" in text
    assert "politik" in text and "amplop" in text  # the table wraps them
    assert "Kejadian dan waktu tanggap" in text and "Lini masa pergeseran pasukan" in text
    covered = len({str(t) for t in mine["tps"]})
    assert f"TPS tercakup {covered} dari" in text
    assert "Halaman 1 dari" in text


def test_a_live_part_is_answered_304_until_the_field_changes(as_planner, plan):
    url = f"/plans/{plan.pk}/board/?part=1"
    first = as_planner.get(url, headers={"HX-Request": "true"})
    assert first.status_code == 200 and first["ETag"]
    same = as_planner.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]})
    assert same.status_code == 304 and same.content == b""
    post_code = plan.posts.first().code
    PostStatus.objects.create(
        operation=plan.operation, post_id=post_code, status=PostStatus.Status.BERANGKAT, key="etag-test"
    )
    changed = as_planner.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_the_board_lists_the_posts_with_records_that_the_current_version_dropped(as_planner, as_sector, plan):
    kept = plan.posts.filter(kecamatan_code=SECTOR).first()
    for code, kecamatan in (("TPS-HILANG-1", SECTOR), ("TPS-HILANG-2", OTHER_SECTOR), (kept.code, SECTOR)):
        PostStatus.objects.create(
            operation=plan.operation, post_id=code, kecamatan_code=kecamatan, status="tiba", key=f"drop-{code}"
        )
    body = as_planner.get(f"/plans/{plan.pk}/board/?part=1").content.decode()
    dropped = body[body.index('id="dropped-posts"') : body.index("</section>", body.index('id="dropped-posts"'))]
    assert 'data-post="TPS-HILANG-1"' in dropped and 'data-post="TPS-HILANG-2"' in dropped
    assert f'data-post="{kept.code}"' not in dropped
    mine = as_sector.get(f"/plans/{plan.pk}/board/?part=1").content.decode()
    assert "TPS-HILANG-1" in mine and "TPS-HILANG-2" not in mine  # a sector chief: their kecamatan's only


def test_the_phone_shows_the_operation_timetable_with_what_comes_next(as_field_officer, plan):
    import datetime as dt

    from siaga.field.services import timetable

    rows = timetable(plan, dt.datetime(2022, 3, 22, 10, 0))  # H-1, the troops on their way to the posts
    states = [(r["stage"].name, r["h"], r["state"]) for r in rows]
    assert states[:3] == [
        ("Apel gelar pasukan dan pergeseran", "H-1", "done"),
        ("Pergeseran pasukan ke pos dan pengamanan logistik", "H-1", "now"),
        ("Pemungutan dan penghitungan suara", "H", "next"),
    ]
    assert [r["state"] for r in rows[3:]] == ["", ""]
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert 'id="timetable"' in html and "Pemungutan dan penghitungan suara · H · Rab 23 Mar 07.00" in html


def test_the_board_row_shows_the_status_its_times_and_a_far_check_in(as_planner, plan):
    """The board makes its rows itself (issue 18): the post's status, the times each status
    was reached, and the flag of a check-in far from the post."""
    mine = post_in(plan, SECTOR)
    set_status(as_planner, plan, mine["id"], "berangkat")
    set_status(as_planner, plan, mine["id"], "tiba", lat=mine["lat"] + 0.1, lon=mine["lon"])  # ~11 km away
    PostStatus.objects.filter(post_id=mine["id"], status="berangkat").update(at="2022-03-16T06:30:00+07:00")
    PostStatus.objects.filter(post_id=mine["id"], status="tiba").update(at="2022-03-16T07:45:09+07:00")
    page = as_planner.get(f"/plans/{plan.pk}/board/?part=1").content.decode()
    row = page[page.index(f'data-post="{mine["id"]}"') :].split("</tr>")[0]
    assert 'data-status="tiba" class="in-place"' in row
    assert '<span class="st st-tiba">tiba</span> <span class="flag" title="lebih dari 1 km dari pos">⚠ ' in row
    assert "<td>07:45:09</td>" in row and '<td class="times">berangkat 06:30 · tiba 07:45</td>' in row


def test_the_phone_in_english_names_one_post_and_one_incident(as_field_officer, plan):
    """The assignment's "Pos" is the officer's one post, and a queued report is "Incident: …",
    not the menu words "Posts" and "Incidents"."""
    as_field_officer.cookies["django_language"] = "en"
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    assignment = html[html.index('id="assignment"') : html.index("</section>", html.index('id="assignment"'))]
    assert "<dt>Post</dt>" in assignment and "<dt>Posts</dt>" not in assignment
    words = html[html.index('id="phone-text"') : html.index("</script>", html.index('id="phone-text"'))]
    assert '"incident": "Incident"' in words


def test_the_phone_lists_what_was_sent_right_under_the_report_button(as_field_officer, plan):
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    form_ends = html.index("</form>", html.index('id="incident-form"'))
    assert html.index('id="sent"') > form_ends
    between = html[form_ends : html.index('<section id="sent"')]
    assert "<section" not in between and 'id="roster"' not in between and 'id="timetable"' not in between


def test_the_live_dashboard_names_the_polres_reserves_row(as_commander, plan):
    """The posts of no kecamatan (the Polres's reserves) are a named row, as on the board."""
    assert any(not p["kecamatan_code"] for p in plan_file(plan)["posts"])
    html = as_commander.get(f"/plans/{plan.pk}/live/?part=1").content.decode()
    row = html[html.index('<tr data-kecamatan="">') :]
    assert row[: row.index("</tr>")].startswith('<tr data-kecamatan=""><td>Tingkat Polres (tanpa kecamatan)</td>')


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_the_report_is_numbered_in_its_readers_language(as_planner, plan, tmp_path):
    response = as_planner.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    (tmp_path / "r.pdf").write_bytes(as_planner.get(f"/plans/{plan.pk}/report.pdf").content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Page 1 of" in text and "Halaman 1 dari" not in text
