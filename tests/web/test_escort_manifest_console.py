"""The escort manifest (ballot boxes, booths, seals, envelopes, plates: DOCTRINE.md 11) recorded
and corrected on the console's escorts page by whoever may write the run (custody.py, "Who
writes": the planner, the admin, the Kapolsek of its kecamatan), through the same service as
the phone (custody.set_manifest) and audited as from it; bad input refused naming the box in
the reader's language with everything typed back in the form; a commander or viewer reads the
manifest and is refused a POST by role."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from siaga.audit.models import AuditEntry
from siaga.field.models import EscortRun
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish
from tests.web.test_kapolsek_custody import duty_in

FULL = {"ballot_boxes": "12", "booths": "12", "seals": "48", "envelopes": "36", "plates": "N 1234 AB"}


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def manifest(client: Client, plan: Any, duty: str, fields: dict[str, str] | None = None) -> Any:
    return client.post(f"/plans/{plan.pk}/escorts/manifest/", {"duty": duty, **FULL, **(fields or {})})


def form_of(page: str, duty: str) -> str:
    """The manifest form of one run on the escorts page."""
    card = page[page.index(f'id="run-{duty}"') :]
    form = card[card.index('class="custody-form manifest-form"') :]
    return form[: form.index("</details>")]


def stored(plan: Any, duty: str) -> EscortRun | None:
    return EscortRun.objects.filter(operation_id=plan.operation_id, duty_id=duty).first()


def test_the_planner_records_a_runs_manifest_and_corrects_it(as_planner, plan):
    run = duty_in(plan, OTHER_SECTOR, "KAWAL")["id"]
    response = manifest(as_planner, plan, run)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#run-{run}")
    saved = stored(plan, run)
    assert saved and (saved.ballot_boxes, saved.seals, saved.plates) == (12, 48, "N 1234 AB")
    page = as_planner.get(f"/plans/{plan.pk}/escorts/").content.decode()
    assert "12 kotak suara, 12 bilik, 48 segel, 36 sampul" in page
    form = form_of(page, run)
    assert 'value="48"' in form and 'value="N 1234 AB"' in form and "Ubah muatan" in form  # ready to correct
    assert manifest(as_planner, plan, run, {"seals": "50", "plates": "N 1234 AB, N 77 XY"}).status_code == 302
    saved = stored(plan, run)
    assert saved and (saved.seals, saved.plates, saved.ballot_boxes) == (50, "N 1234 AB, N 77 XY", 12)
    audited = AuditEntry.objects.filter(action="escort_manifest", object_id=run, username="planner")
    assert audited.count() == 2


def test_the_kapolsek_records_his_sectors_manifest_and_nothing_of_another(as_sector, plan):
    mine = duty_in(plan, SECTOR, "KAWAL")["id"]
    other = duty_in(plan, OTHER_SECTOR, "KAWAL")["id"]
    page = as_sector.get(f"/plans/{plan.pk}/escorts/").content.decode()
    assert f'action="/plans/{plan.pk}/escorts/manifest/#run-' in page
    assert manifest(as_sector, plan, mine).status_code == 302
    assert stored(plan, mine) is not None
    assert AuditEntry.objects.filter(action="escort_manifest", object_id=mine, username="sector").count() == 1
    assert manifest(as_sector, plan, other).status_code == 404
    assert stored(plan, other) is None


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"booths": "abc"}, "Jumlah bilik suara harus bilangan bulat 0 sampai 100000."),
        ({"seals": "-3"}, "Jumlah segel harus bilangan bulat 0 sampai 100000."),
        ({"envelopes": "100001"}, "Jumlah sampul formulir harus bilangan bulat 0 sampai 100000."),
        ({"plates": "N 1" * 80}, "Nomor polisi kendaraan terlalu panjang (paling banyak 200 karakter)."),
    ],
)
def test_bad_input_is_refused_naming_the_box_with_everything_typed_kept(as_planner, plan, fields, named):
    run = duty_in(plan, SECTOR, "KAWAL")["id"]
    typed = {"ballot_boxes": "7", "plates": "W 9 ZZ"} | fields
    response = manifest(as_planner, plan, run, typed)
    assert response.status_code == 400
    form = form_of(response.content.decode(), run)
    assert named in form and "Muatan belum disimpan" in form
    assert "<details" not in form and form.startswith('class="custody-form manifest-form" open')
    for name, value in (FULL | typed).items():
        assert f'name="{name}" value="{value}"' in form, name
    assert stored(plan, run) is None
    assert not AuditEntry.objects.filter(action="escort_manifest", object_id=run).exists()


def test_a_refusal_keeps_the_manifest_saved_before(as_planner, plan):
    run = duty_in(plan, SECTOR, "KAWAL")["id"]
    manifest(as_planner, plan, run)
    assert manifest(as_planner, plan, run, {"seals": "banyak"}).status_code == 400
    saved = stored(plan, run)
    assert saved and saved.seals == 48


def test_the_refusal_is_in_english_for_an_english_reader(as_sector, plan):
    as_sector.cookies["django_language"] = "en"
    run = duty_in(plan, SECTOR, "KAWAL")["id"]
    response = manifest(as_sector, plan, run, {"booths": "dua"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), run)
    assert "Cargo not saved: Number of voting booths must be a whole number from 0 to 100000." in form
    assert "bilik" not in form.lower() and "Muatan" not in form and 'value="dua"' in form


def test_a_commander_a_viewer_and_a_field_officer_are_refused_by_role(
    as_commander, as_viewer, as_field_officer, as_planner, plan
):
    run = duty_in(plan, SECTOR, "KAWAL")["id"]
    manifest(as_planner, plan, run)
    for client in (as_commander, as_viewer):
        page = client.get(f"/plans/{plan.pk}/escorts/").content.decode()
        assert "12 kotak suara, 12 bilik, 48 segel, 36 sampul" in page  # read
        assert "/escorts/manifest/" not in page and "manifest-form" not in page
    for client in (as_commander, as_viewer, as_field_officer):
        assert manifest(client, plan, run, {"seals": "1"}).status_code == 403
    saved = stored(plan, run)
    assert saved and saved.seals == 48
    assert AuditEntry.objects.filter(action="escort_manifest", object_id=run).count() == 1


def test_the_address_of_a_refused_form_opened_again_is_the_escorts_page(as_planner, plan):
    """After a refusal the page is at the form's address: switching the language there, or
    opening it again, lands on the escorts page (never a 405)."""
    response = as_planner.get(f"/plans/{plan.pk}/escorts/manifest/")
    assert response.status_code == 302 and response.headers["Location"] == f"/plans/{plan.pk}/escorts/"
