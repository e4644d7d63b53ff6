"""Escorts and the chain of custody: an escort run's departure, arrival and handover records
written from its own people's phones, the buku mutasi of a guarded place, leg marks by the
planner, the board's flag for a missing or late arrival (by a clock the test sets), and the
post-operation report. Bad input is refused with an Indonesian message naming the field, and
nothing is saved."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from siaga.accounts.models import Profile, Role
from siaga.field.models import EntryLog, EscortEvent, EscortRun, Handover
from siaga.field.services import clock
from tests.web.conftest import OTHER_SECTOR, PASSWORD, SECTOR, client_for, publish

_keys = itertools.count()
JAKARTA = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def duty_in(plan: Any, kecamatan: str, kind: str = "KAWAL") -> dict[str, Any]:
    roster = plan.extra["roster"]
    return next(d for d in roster["duties"] if d["kind"] == kind and d["kecamatan_code"] == kecamatan)


def team_of(plan: Any, duty_id: str) -> list[str]:
    return [a["person"] for a in plan.extra["roster"]["assignments"] if a["duty"] == duty_id]


def officer(name: str, person: str, role: str = Role.FIELD_OFFICER) -> Client:
    user = get_user_model().objects.create_user(name, password=PASSWORD)
    Profile.objects.create(user=user, role=role, person_code=person)
    return client_for(name)


@pytest.fixture
def run(plan: Any) -> dict[str, Any]:
    """An escort run of the sector's, with its team."""
    duty = duty_in(plan, SECTOR)
    return {**duty, "team": team_of(plan, duty["id"])}


@pytest.fixture
def as_escort(run: dict[str, Any]) -> Client:
    """A field officer on the run's team."""
    return officer("pengawal", run["team"][0])


@pytest.fixture
def guard(plan: Any) -> dict[str, Any]:
    """A balai desa guard of the sector's (a shift with people on it), with one of its people."""
    duty = next(
        d
        for d in plan.extra["roster"]["duties"]
        if d["kind"] == "BALAI_DESA" and d["kecamatan_code"] == SECTOR and team_of(plan, d["id"])
    )
    return {**duty, "person": team_of(plan, duty["id"])[0]}


@pytest.fixture
def as_guard(guard: dict[str, Any]) -> Client:
    """A field officer on that guard's shift."""
    return officer("penjaga", guard["person"])


def post(client: Client, url: str, body: Any = None, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key or f"custody-{next(_keys)}"}
    return client.post(url, {} if body is None else body, content_type="application/json", headers=headers)


def handover_body(run: dict[str, Any], **change: Any) -> dict[str, Any]:
    body = {
        "end": "tujuan",
        "leg": 0,
        "escort_code": run["team"][0],
        "other_name": "Siti Aminah",
        "other_code": "3514170101800001",
        "other_office": "Ketua PPS",
        "ballot_boxes": 6,
        "booths": 0,
        "seals": "24",
        "envelopes": 12,
        "confirmed": True,
    }
    return {**body, **change}


def url(plan: Any, run: dict[str, Any], what: str) -> str:
    return f"/api/plans/{plan.pk}/escorts/{run['id']}/{what}"


def test_it_records_departure_arrival_and_handover_from_the_escorts_own_phone(as_escort, plan, run):
    for kind in ("berangkat", "tiba"):
        response = post(as_escort, url(plan, run, "events"), {"kind": kind, "leg": 0})
        assert response.status_code == 201, response.content
    response = post(as_escort, url(plan, run, "handovers"), handover_body(run))
    assert response.status_code == 201, response.content
    row = Handover.objects.get()
    assert (row.received_by_name, row.received_by_code) == ("Siti Aminah", "3514170101800001")
    assert row.handed_by_code == run["team"][0] and row.ballot_boxes == 6 and row.seals == 24
    assert row.place == run["route"][-1] and row.kecamatan_code == SECTOR
    states = {r["duty_id"]: r for r in as_escort.get(f"/api/plans/{plan.pk}/escorts").json()}
    assert list(states) == [run["id"]]  # a field officer sees only their own run
    assert states[run["id"]]["state"] == "serah_terima"


def test_a_retry_with_the_same_key_stores_one_record(as_escort, plan, run):
    for _ in range(2):
        assert post(as_escort, url(plan, run, "events"), {"kind": "tiba"}, key="same-key").status_code == 201
        assert post(as_escort, url(plan, run, "handovers"), handover_body(run), key="same-ba").status_code == 201
    assert EscortEvent.objects.count() == 1 and Handover.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"other_name": "  "}, "Nama pihak lain wajib diisi"),
        ({"other_code": ""}, "NRP/NIP/NIK pihak lain wajib diisi"),
        ({"ballot_boxes": "enam"}, "Jumlah kotak suara harus bilangan bulat"),
        ({"seals": -1}, "Jumlah segel harus bilangan bulat"),
        ({"ballot_boxes": 0, "seals": 0, "envelopes": 0}, "isi sedikitnya satu jumlah"),
        ({"confirmed": False}, "Persetujuan"),
        ({"escort_code": "12345678"}, "Anggota pengawal harus anggota tim"),
        ({"end": "tengah"}, "Ujung ruas (awal/akhir) tidak dikenal"),
        ({"leg": 3}, "Ruas tidak dikenal"),
        ({"at": "2999-01-01T00:00:00+07:00"}, "Waktu tidak boleh di masa depan"),
        ({"at": "kemarin"}, "Waktu tidak dapat dibaca"),
        ({"other_name": "x" * 121}, "Nama pihak lain terlalu panjang"),
    ],
)
def test_a_bad_handover_is_refused_naming_the_field_and_nothing_is_saved(as_escort, plan, run, change, message):
    response = post(as_escort, url(plan, run, "handovers"), handover_body(run, **change))
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert Handover.objects.count() == 0


def test_a_bad_departure_is_refused_in_indonesian(as_escort, plan, run):
    response = post(as_escort, url(plan, run, "events"), {"kind": "mampir"})
    assert response.status_code == 422 and "Jenis (berangkat/tiba) tidak dikenal" in response.json()["detail"]
    assert EscortEvent.objects.count() == 0


def test_only_the_escorts_own_people_write_its_handover(as_planner, as_sector, as_viewer, as_commander, plan, run):
    other = duty_in(plan, OTHER_SECTOR)
    someone_else = officer("pengawal_lain", team_of(plan, other["id"])[0])
    body = handover_body(run)
    assert post(as_planner, url(plan, run, "handovers"), body).status_code == 403  # not on the team
    assert post(as_sector, url(plan, run, "handovers"), body).status_code == 403
    assert post(as_viewer, url(plan, run, "handovers"), body).status_code == 403
    assert post(as_commander, url(plan, run, "handovers"), body).status_code == 403
    assert post(someone_else, url(plan, run, "handovers"), body).status_code == 404  # not their run
    assert post(as_viewer, url(plan, run, "events"), {"kind": "berangkat"}).status_code == 403
    assert Handover.objects.count() == 0 and EscortEvent.objects.count() == 0
    # the Posko (planner, the sector's chief) may record a departure reported by radio
    assert post(as_sector, url(plan, run, "events"), {"kind": "berangkat"}).status_code == 201


def test_a_kapolsek_sees_and_writes_only_his_sectors_escorts(as_sector, plan, run):
    other = duty_in(plan, OTHER_SECTOR)
    seen = {r["duty_id"] for r in as_sector.get(f"/api/plans/{plan.pk}/escorts").json()}
    kecamatan = {d["id"]: d["kecamatan_code"] for d in plan.extra["roster"]["duties"]}
    assert run["id"] in seen and {kecamatan[d] for d in seen} == {SECTOR}
    assert post(as_sector, url(plan, other, "events"), {"kind": "berangkat"}).status_code == 404
    board = as_sector.get(f"/plans/{plan.pk}/board/?part=1").content.decode()
    assert f'data-duty="{run["id"]}"' in board and f'data-duty="{other["id"]}"' not in board


def at(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).replace(tzinfo=JAKARTA)


def test_the_board_flags_a_missing_arrival_once_the_planned_arrival_has_passed(
    as_planner, as_escort, plan, run, monkeypatch
):
    end = at(run["end"])
    board = f"/plans/{plan.pk}/board/?part=1"
    monkeypatch.setattr(clock, "now", lambda: end - dt.timedelta(minutes=30))
    before = as_planner.get(board, headers={"HX-Request": "true"})
    assert f'data-duty="{run["id"]}" data-state="belum_berangkat" data-flag=""' in before.content.decode()
    assert post(as_escort, url(plan, run, "events"), {"kind": "berangkat"}).status_code == 201

    monkeypatch.setattr(clock, "now", lambda: end + dt.timedelta(minutes=1))
    page = as_planner.get(board, headers={"HX-Request": "true", "If-None-Match": before["ETag"]})
    assert page.status_code == 200  # the flag came with the clock, not with a record
    text = page.content.decode()
    assert f'data-duty="{run["id"]}" data-state="berangkat" data-flag="missing" class="waiting"' in text
    assert "Belum tiba: jadwal tiba" in text and "sudah lewat" in text

    arrival = (end + dt.timedelta(minutes=25)).isoformat()
    monkeypatch.setattr(clock, "now", lambda: end + dt.timedelta(hours=1))
    assert post(as_escort, url(plan, run, "events"), {"kind": "tiba", "at": arrival}).status_code == 201
    text = as_planner.get(board).content.decode()
    assert f'data-duty="{run["id"]}" data-state="tiba" data-flag="late"' in text
    assert "Tiba terlambat 25 menit" in text


def test_an_arrival_on_time_raises_no_flag(as_escort, as_planner, plan, run, monkeypatch):
    end = at(run["end"])
    monkeypatch.setattr(clock, "now", lambda: end - dt.timedelta(minutes=5))
    assert post(as_escort, url(plan, run, "events"), {"kind": "tiba"}).status_code == 201
    monkeypatch.setattr(clock, "now", lambda: end + dt.timedelta(hours=2))
    text = as_planner.get(f"/plans/{plan.pk}/board/?part=1").content.decode()
    assert f'data-duty="{run["id"]}" data-state="tiba" data-flag=""' in text


def guard_url(plan: Any, place: str) -> str:
    return f"/api/plans/{plan.pk}/guards/{place}/entries"


def test_a_guard_keeps_the_buku_mutasi_with_its_key_holders(as_guard, as_viewer, plan, guard):
    as_field_officer = as_guard
    place = guard_url(plan, guard["place"])
    entry = {"kind": "masuk", "name": "Budi (PPS)", "purpose": "memeriksa segel"}
    assert post(as_field_officer, place, entry).status_code == 201
    key = {"kind": "kunci", "name": "Aiptu Slamet", "padlock": "polsek", "key_to": "Briptu Dedi"}
    assert post(as_field_officer, place, key).status_code == 201
    for bad, message in (
        ({"kind": "masuk", "name": "Budi"}, "Keperluan wajib diisi"),
        ({"kind": "kunci", "name": "Aiptu Slamet", "key_to": "Dedi"}, "Gembok tidak dikenal"),
        ({"kind": "kunci", "name": "Aiptu Slamet", "padlock": "ppk"}, "Pemegang kunci baru wajib diisi"),
        ({"kind": "", "name": "Budi"}, "Jenis catatan tidak dikenal"),
    ):
        response = post(as_field_officer, place, bad)
        assert response.status_code == 422 and message in response.json()["detail"], bad
    assert post(as_viewer, place, entry).status_code == 403
    assert EntryLog.objects.count() == 2
    page = client_for("planner").get(f"/plans/{plan.pk}/escorts/").content.decode()
    assert "memeriksa segel" in page and "gembok Polsek: Briptu Dedi" in page
    other = duty_in(plan, OTHER_SECTOR, "BALAI_DESA")
    assert post(as_field_officer, guard_url(plan, other["place"]), entry).status_code == 404


def test_a_planner_marks_legs_and_the_marks_show_on_the_board_and_escorts_page(as_planner, as_sector, plan, run):
    page = f"/plans/{plan.pk}/escorts/"
    assert as_sector.post(page, {"duty": run["id"], "mark_0": "perairan"}).status_code == 403
    response = as_planner.post(page, {"duty": run["id"], "mark_0": "perairan"})
    assert response.status_code == 302
    assert EscortRun.objects.get(duty_id=run["id"]).leg_marks == ["perairan"]
    assert "jalur perairan (Polairud)" in as_planner.get(f"/plans/{plan.pk}/board/").content.decode()
    as_planner.post(page, {"duty": run["id"], "mark_0": "terbang"})
    assert EscortRun.objects.get(duty_id=run["id"]).leg_marks == ["perairan"]  # refused, kept


def test_the_phone_shows_the_forms_of_ones_own_duties_by_name_never_by_code(as_escort, as_guard, plan, run):
    page = as_escort.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert "handover-form" in page and run["name"] in page and "entry-form" not in page
    assert 'id="assignment-none"' not in page  # an escort without a vote post is still on duty
    assert "KAWAL-" not in shown_text(page)  # the duty's code only in URLs and data attributes
    page = as_guard.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert "entry-form" in page and "handover-form" not in page
    assert "BALAI_DESA-" not in shown_text(page)


def shown_text(page: str) -> str:
    """What a reader sees: the page without its scripts and tags."""
    return re.sub(r"<[^>]*>", " ", re.sub(r"<script.*?</script>", " ", page, flags=re.S))


def test_the_manifest_is_set_by_the_team(as_escort, as_viewer, plan, run):
    body = {"ballot_boxes": 6, "booths": 6, "seals": 24, "envelopes": 12, "plates": "N 1234 AB"}
    assert post(as_viewer, url(plan, run, "manifest"), body).status_code == 403
    response = post(as_escort, url(plan, run, "manifest"), body)
    assert response.status_code == 200 and response.json()["plates"] == "N 1234 AB"
    response = post(as_escort, url(plan, run, "manifest"), {**body, "booths": "x"})
    assert response.status_code == 422 and "Jumlah bilik suara" in response.json()["detail"]
    assert EscortRun.objects.get(duty_id=run["id"]).booths == 6


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_the_report_lists_the_handover_records_and_the_buku_mutasi(as_escort, as_guard, guard, plan, run, tmp_path):
    assert post(as_escort, url(plan, run, "events"), {"kind": "tiba"}).status_code == 201
    assert post(as_escort, url(plan, run, "handovers"), handover_body(run)).status_code == 201
    entry = {"kind": "keluar", "name": "Joko Susilo", "purpose": "selesai periksa"}
    assert post(as_guard, guard_url(plan, guard["place"]), entry).status_code == 201
    response = client_for("planner").get(f"/plans/{plan.pk}/report.pdf")
    (tmp_path / "r.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Pengawalan dan berita acara serah terima" in text and "Buku mutasi tempat jaga" in text
    assert "Siti Aminah" in text and "3514170101800001" in text and "6 kotak suara" in text
    assert "Joko Susilo" in text and "serah terima selesai" in text


def test_the_buku_mutasi_rows_print_each_entry_escaped(as_guard, plan, guard):
    """The escorts page makes the buku mutasi's rows itself (issue 18): each entry's time, kind,
    who (with NRP and the new key holder) and purpose or padlock, every value escaped."""
    place = guard_url(plan, guard["place"])
    at = "2022-03-16T09:05:00+07:00"
    entry = {"kind": "masuk", "name": "<b>Budi</b>", "code": "123", "purpose": "cek & segel", "at": at}
    assert post(as_guard, place, entry).status_code == 201
    key = {"kind": "kunci", "name": "Aiptu Slamet", "padlock": "ppk", "key_to": "Briptu Dedi", "at": at}
    assert post(as_guard, place, key).status_code == 201
    page = client_for("planner").get(f"/plans/{plan.pk}/escorts/").content.decode()
    assert "<td>masuk</td><td>&lt;b&gt;Budi&lt;/b&gt; (123)</td><td>cek &amp; segel</td>" in page
    assert "<td>serah terima kunci</td><td>Aiptu Slamet → Briptu Dedi</td><td>gembok PPK</td>" in page
    assert "<tr><td>16 Mar 09.05</td>" in page and "<b>Budi</b>" not in page
