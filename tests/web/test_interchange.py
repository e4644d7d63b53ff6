"""The files for Polri's systems (SOT, EWS) from the console, and TPS coordinates back in
(issue 17 item 5): every assigned person of the published plan and every incident, the
sector chief's file narrowed to his kecamatan, a viewer refused, each download audited; the
coordinates round-trip through a preview and refuse bad rows by name."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from siaga.audit.models import AuditEntry
from siaga.core.data import interchange as ic
from siaga.core.planning import roster
from siaga.field.models import Incident
from siaga.field.services import incidents
from siaga.operations.models import Tps
from siaga.plans.store import core_plan, plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish


@pytest.fixture(autouse=True)
def _current(plan: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return publish(plan)


def url(operation: Any, name: str = "") -> str:
    return f"/ops/{operation.pk}/interchange/{name}"


def read_csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_json(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def make_incidents(plan: Any) -> list[Incident]:
    """Three incidents through the field's own services: one escalated, one closed, one in
    another sector."""
    user = get_user_model()
    planner, commander = user.objects.get(username="planner"), user.objects.get(username="commander")
    posts = plan_file(plan)["posts"]
    made = []
    for n, kecamatan in enumerate((SECTOR, SECTOR, OTHER_SECTOR)):
        post = next(p for p in posts if p["kecamatan_code"] == kecamatan and p["kind"] == "TPS")
        fields = {"kind": "politik uang" if n == 1 else "bentrok", "severity": 3 - n, "post_id": post["id"]}
        row, _ = incidents.report_incident(plan, planner, f"ix-report-{n}", fields | {"tps_code": post["tps"][0]})
        made.append(row)
    incidents.escalate(made[0], commander, "ix-escalate")
    incidents.close(made[2], planner, "ix-close", disposition="selesai_di_tempat", note="Bubar", confirmed=True)
    return made


def test_it_exports_every_assigned_person_of_the_published_plan(as_planner, operation, plan):
    core = core_plan(plan)
    duties = roster.of_plan(core)
    expected = len(core.assignments) + (len(duties.assignments) if duties else 0)
    rows = read_csv(as_planner.get(url(operation, "personel.csv")))
    assert len(rows) == expected
    assert list(rows[0]) == list(ic.PERSONNEL_COLUMNS)
    on_posts = {a.person for a in core.assignments}
    linmas = {r["nama"] for r in rows if r["unsur"] == "LINMAS"}
    written = {r["nrp"] for r in rows}
    assert {p for p in on_posts if p not in written} <= _linmas_codes(operation)  # a NIK is never written
    assert linmas and all(r["nrp"] == "" for r in rows if r["unsur"] == "LINMAS")
    tps_rows = [r for r in rows if r["kode_tps"]]
    assert tps_rows and all(len(c) == 13 and c.isdigit() for r in tps_rows for c in r["kode_tps_kpu"].split(";"))
    assert all(r["mulai"].endswith("+07:00") for r in rows)
    assert sum(r["ketua_pos"] == "1" for r in rows) > 0 and any(r["no_hp"] for r in rows)
    data = read_json(as_planner.get(url(operation, "personel.json")))
    assert data["format"] == ic.FORMAT and data["plan_version"] == plan.version
    assert len(data["rows"]) == expected and data["time_zone"] == "Asia/Jakarta"
    entry = AuditEntry.objects.filter(action="export_plan", object_id=str(plan.pk)).latest("at")
    assert entry.after["file"] == "personel.json" and entry.after["rows"] == expected


def _linmas_codes(operation: Any) -> set[str]:
    return set(operation.personnel.filter(force="LINMAS").values_list("code", flat=True))


def test_it_exports_every_incident_with_its_times(as_commander, operation, plan):
    made = make_incidents(plan)
    rows = read_csv(as_commander.get(url(operation, "kejadian.csv")))
    assert sorted(int(r["no_kejadian"]) for r in rows) == sorted(i.pk for i in made)
    by_id = {int(r["no_kejadian"]): r for r in rows}
    assert by_id[made[0].pk]["waktu_eskalasi"] and by_id[made[0].pk]["komando"] == "Kapolres"
    assert by_id[made[2].pk]["waktu_selesai"] and by_id[made[2].pk]["status"] == "selesai"
    assert by_id[made[1].pk]["jenis"] == "politik uang" and by_id[made[1].pk]["tingkat_uraian"] == "serius"
    assert all(r["kecamatan"] and r["desa"] and r["lintang"] and r["pelapor"] for r in rows)
    data = read_json(as_commander.get(url(operation, "kejadian.json")))
    assert {r["no_kejadian"] for r in data["rows"]} == {i.pk for i in made}
    assert AuditEntry.objects.filter(action="export", object_type="interchange", after__file="kejadian.json").exists()


def test_the_sector_chief_gets_only_his_sector(as_sector, operation, plan):
    made = make_incidents(plan)
    people = read_csv(as_sector.get(url(operation, "personel.csv")))
    assert people and {r["kode_kecamatan"] for r in people} == {SECTOR}
    assert len(people) < len(core_plan(plan).assignments)
    found = read_csv(as_sector.get(url(operation, "kejadian.csv")))
    assert sorted(int(r["no_kejadian"]) for r in found) == sorted(i.pk for i in made[:2])
    page = as_sector.get(url(operation))
    assert "Pohjentrek" in page.content.decode() and b"coordinates-form" not in page.content
    tps = read_csv(as_sector.get(url(operation, "tps.csv")))
    assert len(tps) == Tps.objects.filter(operation=operation, kecamatan_code=SECTOR).count()


def test_a_role_that_may_not_export_is_refused(as_viewer, as_field_officer, operation):
    for name in ("personel.csv", "kejadian.json", "tps.csv"):
        assert as_viewer.get(url(operation, name)).status_code == 403
        assert as_field_officer.get(url(operation, name)).status_code == 403
    page = as_viewer.get(url(operation))
    assert page.status_code == 200 and b'id="no-export"' in page.content and b"personel.csv" not in page.content


def test_the_coordinates_round_trip_through_a_preview(as_planner, operation):
    rows = read_csv(as_planner.get(url(operation, "tps.csv")))
    assert len(rows) == Tps.objects.filter(operation=operation).count()
    moved_code = rows[0]["kode_tps"]
    rows[0]["lintang"] = f"{float(rows[0]['lintang']) + 0.001:.6f}"
    upload = _csv_upload(rows)
    preview = as_planner.post(url(operation, "coordinates/"), {"file": upload})
    assert preview.status_code == 200
    assert b'id="coordinates-preview"' in preview.content and moved_code.encode() in preview.content
    # a point reads "lintang; bujur": in Indonesian the comma is the decimal sign
    assert re.search(r"<td>-?\d+,\d{6}; \d+,\d{6}</td>", preview.content.decode())
    token = preview.context["token"]
    assert preview.context["moved_count"] == 1
    assert Tps.objects.get(operation=operation, code=moved_code).lat == pytest.approx(float(rows[0]["lintang"]) - 0.001)
    versions = operation.data_versions.count()
    done = as_planner.post(url(operation, "coordinates/confirm/"), {"token": token})
    assert done.status_code == 302
    assert operation.data_versions.count() == versions + 1
    assert Tps.objects.get(operation=operation, code=moved_code).lat == pytest.approx(float(rows[0]["lintang"]))
    again = read_csv(as_planner.get(url(operation, "tps.csv")))
    assert again[0]["lintang"] == rows[0]["lintang"]
    assert as_planner.post(url(operation, "coordinates/confirm/"), {"token": token}).status_code == 302  # used once
    assert operation.data_versions.count() == versions + 1


def test_bad_coordinates_are_refused_by_row_and_nothing_changes(as_planner, operation):
    rows = read_csv(as_planner.get(url(operation, "tps.csv")))[:4]
    rows[1]["lintang"], rows[1]["bujur"] = rows[1]["bujur"], rows[1]["lintang"]  # swapped
    rows[2]["kode_tps"], rows[2]["kode_tps_kpu"] = "99.99.99.9999-01", ""
    rows[3]["bujur"] = "1.07"  # Kota Tangerang's published slip
    before = list(Tps.objects.filter(operation=operation).order_by("code").values_list("lat", "lon"))
    response = as_planner.post(url(operation, "coordinates/"), {"file": _csv_upload(rows)})
    assert response.status_code == 400
    text = " ".join(response.context["refused"])
    assert "'tps.csv', baris 3, kolom 'lintang'" in text and "tertukar" in text
    assert "baris 4, kolom 'kode_tps'" in text and "99.99.99.9999-01" in text
    assert "baris 5, kolom 'bujur'" in text and "di luar Indonesia" in text
    assert list(Tps.objects.filter(operation=operation).order_by("code").values_list("lat", "lon")) == before


def test_only_a_planner_imports_coordinates(as_commander, operation):
    upload = SimpleUploadedFile("tps.csv", b"kode_tps,lintang,bujur\r\n", content_type="text/csv")
    assert as_commander.post(url(operation, "coordinates/"), {"file": upload}).status_code == 403


def _csv_upload(rows: list[dict[str, str]]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("tps.csv", ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv")


def test_a_point_moved_outside_its_desa_is_warned_before_it_is_saved(as_planner, operation):
    """The preview names the TPS whose new point lies outside its desa's stored outline."""
    from siaga.core.data.boundaries import read_shipped
    from siaga.operations.boundaries import store_boundaries

    regions = dict(operation.regions.values_list("code", "level"))
    store_boundaries(operation, read_shipped(regions), "pasuruan-boundaries.geojson")
    rows = read_csv(as_planner.get(url(operation, "tps.csv")))
    row = next(r for r in rows if r["kode_tps"].startswith("35.14.17.2005-"))  # a TPS of Logowok
    inside = as_planner.post(url(operation, "coordinates/"), {"file": _csv_upload(rows)})
    assert b'id="coordinates-outside"' not in inside.content  # the demo's points lie inside
    row["lintang"], row["bujur"] = "-7.640000", "112.900000"  # kilometres north of Logowok
    preview = as_planner.post(url(operation, "coordinates/"), {"file": _csv_upload(rows)})
    shown = html.unescape(preview.content.decode())
    assert preview.status_code == 200 and 'id="coordinates-outside"' in shown
    warned = shown.split('id="coordinates-outside"')[1].split("</div>")[0]
    assert row["kode_tps"] in warned and "Logowok" in warned
