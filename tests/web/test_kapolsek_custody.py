"""The Kapolsek records his own part of the chain of custody on the escorts page (DOCTRINE.md
11): the departures and arrivals of his kecamatan's escort runs as radioed in, the buku mutasi
of its guarded places, and the handover of his Polsek's padlock key (the PPK's and the
Panwascam's are recorded by the guards). Nothing of another kecamatan; everything audited; a
commander or viewer reads only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from siaga.audit.models import AuditEntry
from siaga.field.models import EntryLog, EscortEvent
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def duty_in(plan: Any, kecamatan: str, kind: str) -> dict[str, Any]:
    people = {a["duty"] for a in plan.extra["roster"]["assignments"]}
    return next(
        d
        for d in plan.extra["roster"]["duties"]
        if d["kind"] == kind and d["kecamatan_code"] == kecamatan and d["id"] in people
    )


def step(client: Client, plan: Any, duty: str, kind: str = "berangkat", key: str = "") -> Any:
    data = {"duty": duty, "kind": kind, "leg": "0", "at": "", "key": key or f"{duty}-{kind}"}
    return client.post(f"/plans/{plan.pk}/escorts/step/", data)


def entry(client: Client, plan: Any, place: str, fields: dict[str, str] | None = None, follow: bool = False) -> Any:
    data = {"place": place, "kind": "masuk", "name": "Ketua PPK", "purpose": "cek logistik", "key": ""} | (fields or {})
    return client.post(f"/plans/{plan.pk}/escorts/entry/", data, follow=follow)


def test_the_kapolsek_records_his_sectors_escort_departure_and_arrival(as_sector, plan):
    run = duty_in(plan, SECTOR, "KAWAL")
    assert step(as_sector, plan, run["id"], "berangkat").status_code == 302
    assert step(as_sector, plan, run["id"], "tiba").status_code == 302
    events = EscortEvent.objects.filter(operation_id=plan.operation_id, duty_id=run["id"])
    assert sorted(events.values_list("kind", flat=True)) == ["berangkat", "tiba"]
    audited = AuditEntry.objects.filter(action="escort_event", object_id=run["id"], username="sector")
    assert audited.count() == 2
    page = as_sector.get(f"/plans/{plan.pk}/escorts/").content.decode()
    assert "serah terima selesai" not in page and 'data-state="tiba"' in page


def test_a_second_press_of_the_same_form_records_once(as_sector, plan):
    run = duty_in(plan, SECTOR, "KAWAL")
    for _ in range(2):
        step(as_sector, plan, run["id"], "berangkat", key="same-form")
    assert EscortEvent.objects.filter(operation_id=plan.operation_id, duty_id=run["id"]).count() == 1


def test_the_kapolsek_records_nothing_of_another_kecamatan(as_sector, plan):
    run = duty_in(plan, OTHER_SECTOR, "KAWAL")
    place = duty_in(plan, OTHER_SECTOR, "BALAI_DESA")["place"]
    assert step(as_sector, plan, run["id"]).status_code == 404
    assert entry(as_sector, plan, place).status_code == 404
    assert not EscortEvent.objects.filter(duty_id=run["id"]).exists()
    assert not EntryLog.objects.filter(place=place).exists()


def test_the_kapolsek_passes_on_his_polsek_padlock_key_only(as_sector, plan):
    place = duty_in(plan, SECTOR, "BALAI_DESA")["place"]
    key = {"kind": "kunci", "name": "Kapolsek", "key_to": "Bripka Jaga", "padlock": "polsek", "key": "k1"}
    assert entry(as_sector, plan, place, key).status_code == 302
    refused = entry(as_sector, plan, place, key | {"padlock": "ppk", "key": "k2"}, follow=True)
    assert "gembok Polsek saja" in refused.content.decode()
    rows = EntryLog.objects.filter(place=place)
    assert list(rows.values_list("padlock", "key_to")) == [("polsek", "Bripka Jaga")]
    assert AuditEntry.objects.filter(action="entry_log", object_id=place, username="sector").count() == 1
    page = as_sector.get(f"/plans/{plan.pk}/escorts/").content.decode()
    assert "gembok Polsek: Bripka Jaga" in page
    form = page[page.index('class="custody-form key-form"') :]
    form = form[: form.index("</details>")]
    assert 'value="polsek"' in form and 'value="ppk"' not in form and 'value="panwascam"' not in form


def test_the_kapolsek_writes_the_buku_mutasi_of_his_sectors_place(as_sector, plan):
    place = duty_in(plan, SECTOR, "BALAI_DESA")["place"]
    assert entry(as_sector, plan, place, {"key": "v1"}).status_code == 302
    assert EntryLog.objects.filter(place=place, kind="masuk", name="Ketua PPK", by__username="sector").count() == 1
    missing = entry(as_sector, plan, place, {"purpose": "", "key": "v2"}, follow=True).content.decode()
    assert "Keperluan wajib diisi." in missing
    assert EntryLog.objects.filter(place=place).count() == 1


def test_the_planner_may_record_any_padlock(as_planner, plan):
    place = duty_in(plan, OTHER_SECTOR, "BALAI_DESA")["place"]
    key = {"kind": "kunci", "name": "Ketua PPK", "key_to": "Sekretaris PPK", "padlock": "ppk", "key": "p1"}
    assert entry(as_planner, plan, place, key).status_code == 302
    assert EntryLog.objects.filter(place=place, padlock="ppk").count() == 1


def test_a_commander_and_a_viewer_read_without_forms(as_commander, as_viewer, plan):
    run = duty_in(plan, SECTOR, "KAWAL")
    for client in (as_commander, as_viewer):
        page = client.get(f"/plans/{plan.pk}/escorts/").content.decode()
        assert "/escorts/step/" not in page and "/escorts/entry/" not in page
        assert step(client, plan, run["id"]).status_code == 403
    assert not EscortEvent.objects.filter(duty_id=run["id"]).exists()


def test_the_kapolsek_sees_the_forms_of_his_sector(as_sector, plan):
    page = as_sector.get(f"/plans/{plan.pk}/escorts/").content.decode()
    assert f'action="/plans/{plan.pk}/escorts/step/"' in page
    assert f'action="/plans/{plan.pk}/escorts/entry/"' in page
