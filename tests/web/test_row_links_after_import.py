"""A person's, a unit's and a desa's page is addressed by its row's id, and every new data
version writes the rows anew: a link printed before it (a bookmark, a list or a form opened
before the import) still leads to the row of the same code, a form sent from before is not
saved blind, a row gone says so in words, and a sector chief learns nothing of a row outside
his kecamatan (the same for TPS: tests/web/test_tps_links_after_import.py)."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from siaga.core.data.model import Force
from siaga.operations.models import FormerRow, Person, Region, Unit
from siaga.operations.row_links import row_of_link
from siaga.operations.services import import_scenario, remove_row, scenario_for
from tests.web.conftest import OTHER_SECTOR, SECTOR

ROOT = Path(__file__).resolve().parents[2]


def reimport(operation: Any, person: str = "", desa: str = "") -> None:
    """The operation's data imported again as its next version, without the person of code
    `person` and without the desa `desa` (its TPS and its Linmas with it)."""
    s = scenario_for(operation)
    s = dataclasses.replace(
        s,
        regions=tuple(r for r in s.regions if r.code != desa),
        tps=tuple(t for t in s.tps if t.desa_code != desa),
        personnel=tuple(p for p in s.personnel if p.id != person and not (desa and p.desa_code == desa)),
    )
    import_scenario(s, "revisi.xlsx")


def polri(operation: Any, kecamatan: str = SECTOR) -> Person:
    rows = Person.objects.filter(operation=operation, force=Force.POLRI, kecamatan_code=kecamatan)
    return rows.order_by("code").first()


def village(operation: Any, kecamatan: str) -> Region:
    return Region.objects.filter(operation=operation, kecamatan_code=kecamatan, level="DESA").order_by("code").first()


def person_form(person: Person, **changes: Any) -> dict[str, Any]:
    values = {"rank": person.rank, "phone": person.phone, "available": "ya" if person.available else "tidak"}
    return values | {"unit_code": person.unit_code, "edit_version": person.edit_version} | changes


def test_it_leads_an_old_person_link_to_the_same_person_after_a_new_data_version(as_planner, operation):
    person = polri(operation)
    old = f"/ops/{operation.pk}/personnel/{person.pk}/edit/"
    assert as_planner.get(old).status_code == 200
    reimport(operation)
    now = Person.objects.get(operation=operation, code=person.code)
    assert now.pk != person.pk  # the rows were written anew

    answer = as_planner.get(old)
    assert answer.status_code == 302 and answer["Location"] == f"/ops/{operation.pk}/personnel/{now.pk}/edit/"
    opened = as_planner.get(old, follow=True)
    assert opened.status_code == 200 and person.name in opened.content.decode()
    assert "sudah diperbarui" not in opened.content.decode()  # a link followed, not a form sent: no warning


def test_it_does_not_save_a_person_form_opened_before_the_import_blind(as_planner, operation):
    person = polri(operation)
    reimport(operation)
    now = Person.objects.get(operation=operation, code=person.code)
    sent = person_form(person, phone="081277770000")
    answer = as_planner.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", sent, follow=True)
    assert answer.redirect_chain == [(f"/ops/{operation.pk}/personnel/{now.pk}/edit/", 302)]
    html = answer.content.decode()
    assert f"Data personel {now} sudah diperbarui sejak halaman ini dibuka" in html
    assert 'id="edit-form"' in html  # the fresh form, to check and save again
    after = Person.objects.get(pk=now.pk)
    assert (after.phone, after.edit_version) == (now.phone, now.edit_version)  # nothing saved


def test_it_leads_an_old_unit_link_and_form_to_the_same_unit(as_planner, operation):
    unit = Unit.objects.filter(operation=operation, kecamatan_code=SECTOR).order_by("code").first()
    reimport(operation)
    now = Unit.objects.get(operation=operation, code=unit.code)
    old = f"/ops/{operation.pk}/units/{unit.pk}/edit/"
    assert as_planner.get(old)["Location"] == f"/ops/{operation.pk}/units/{now.pk}/edit/"

    sent = {"name": "Polsek Lain", "kind": unit.kind, "kecamatan_code": unit.kecamatan_code, "lat": unit.lat}
    answer = as_planner.post(old, sent | {"lon": unit.lon, "edit_version": unit.edit_version}, follow=True)
    assert answer.redirect_chain == [(f"/ops/{operation.pk}/units/{now.pk}/edit/", 302)]
    assert "sudah diperbarui sejak halaman ini dibuka" in answer.content.decode()
    assert Unit.objects.get(pk=now.pk).name == unit.name


def test_it_leads_an_old_desa_link_to_the_same_desa(as_planner, operation):
    desa = village(operation, SECTOR)
    reimport(operation)
    now = Region.objects.get(operation=operation, code=desa.code)
    answer = as_planner.get(f"/ops/{operation.pk}/desa/{desa.pk}/", follow=True)
    assert answer.redirect_chain == [(f"/ops/{operation.pk}/desa/{now.pk}/", 302)]
    assert answer.status_code == 200 and desa.name in answer.content.decode()


def test_it_removes_nothing_with_a_remove_button_pressed_on_an_earlier_version(as_planner, operation):
    person = Person.objects.filter(operation=operation, force=Force.POLRI).order_by("-code").first()
    reimport(operation)
    now = Person.objects.get(operation=operation, code=person.code)
    answer = as_planner.post(f"/ops/{operation.pk}/person/{person.pk}/remove/", follow=True)
    assert answer.redirect_chain == [(f"/ops/{operation.pk}/personnel/{now.pk}/edit/", 302)]
    assert "sudah diperbarui sejak halaman ini dibuka" in answer.content.decode()
    assert Person.objects.filter(pk=now.pk).exists()


def test_it_says_in_words_a_person_gone_in_a_new_data_version(as_planner, operation):
    gone = polri(operation, OTHER_SECTOR)
    reimport(operation, person=gone.code)
    assert not Person.objects.filter(operation=operation, code=gone.code).exists()

    answer = as_planner.get(f"/ops/{operation.pk}/personnel/{gone.pk}/edit/")
    html = answer.content.decode()
    assert answer.status_code == 404 and "Personel tidak ditemukan" in html
    assert f"Personel dengan NRP/NIK {gone.code} tidak ada lagi dalam data operasi ini" in html
    assert f'href="/ops/{operation.pk}/personnel/"' in html  # the way back to the list
    removing = as_planner.post(f"/ops/{operation.pk}/person/{gone.pk}/remove/")
    assert removing.status_code == 404 and "Personel tidak ditemukan" in removing.content.decode()


def test_it_says_a_removed_unit_is_gone(as_planner, operation):
    unit = Unit.objects.create(operation=operation, code="POLSEK-UJI", name="Polsek Uji", kind="POLSEK", lat=0, lon=0)
    old = unit.pk
    assert remove_row(unit) == ""
    answer = as_planner.get(f"/ops/{operation.pk}/units/{old}/edit/")
    html = answer.content.decode()
    assert answer.status_code == 404 and "Satuan tidak ditemukan" in html and "Satuan POLSEK-UJI tidak ada lagi" in html
    assert f'href="/ops/{operation.pk}/units/"' in html


def test_it_says_a_desa_gone_and_an_id_never_seen_in_words(as_planner, operation):
    gone = village(operation, OTHER_SECTOR)
    reimport(operation, desa=gone.code)
    html = as_planner.get(f"/ops/{operation.pk}/desa/{gone.pk}/").content.decode()
    assert "Desa tidak ditemukan" in html and f"Desa {gone.code} tidak ada lagi" in html
    assert f'href="/ops/{operation.pk}/regions/"' in html
    never = as_planner.get(f"/ops/{operation.pk}/desa/999999999/")
    assert never.status_code == 404 and "Tautan ini menunjuk desa yang tidak ada" in never.content.decode()


def test_it_keeps_a_sector_chief_to_his_kecamatan_after_a_reimport(as_sector, operation):
    mine = village(operation, SECTOR)
    gone, kept = Region.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR, level="DESA")[:2]
    reimport(operation, desa=gone.code)
    reimport(operation)  # two versions on: an id of the first still finds its desa
    mine_now = Region.objects.get(operation=operation, code=mine.code)
    kept_now = Region.objects.get(operation=operation, code=kept.code)
    assert (
        as_sector.get(f"/ops/{operation.pk}/desa/{mine.pk}/")["Location"] == f"/ops/{operation.pk}/desa/{mine_now.pk}/"
    )

    # another sector's desa, gone, still there by an old id, and by its id now: one answer, naming nothing
    answers = set()
    for outside, region in ((gone.pk, gone), (kept.pk, kept), (kept_now.pk, kept)):
        answer = as_sector.get(f"/ops/{operation.pk}/desa/{outside}/")
        html = answer.content.decode()
        assert answer.status_code == 404 and not answer.has_header("Location")
        assert region.code not in html and region.name not in html
        answers.add(main(html))
    assert len(answers) == 1 and "di luar wilayah yang boleh Anda lihat" in answers.pop()


def main(html: str) -> str:
    """The page's own part (the header carries a fresh CSRF token on every page)."""
    return html[html.index("<main>") : html.index("</main>")]


def as_user(name: str, method: str = "get") -> Any:
    request = getattr(RequestFactory(), method)("/")
    request.user = get_user_model().objects.get(username=name)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_it_leads_a_sector_chief_to_no_person_outside_his_kecamatan(db, operation):
    """A sector chief may not edit people (403 before any row is looked for); the link itself
    still keeps him to his kecamatan, should a page of his ever link a person by id."""
    mine = polri(operation)
    gone, kept = Person.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR).order_by("code")[:2]
    reimport(operation, person=gone.code)
    mine_now = Person.objects.get(operation=operation, code=mine.code)
    found = row_of_link(as_user("sector"), operation, Person, mine.pk, "person_edit")
    assert found["Location"] == f"/ops/{operation.pk}/personnel/{mine_now.pk}/edit/"
    for outside in (gone, kept):
        answer = row_of_link(as_user("sector", "post"), operation, Person, outside.pk, "person_edit")
        html = answer.content.decode()
        assert answer.status_code == 404 and not answer.has_header("Location")
        assert outside.code not in html and "di luar wilayah yang boleh Anda lihat" in html
    seen = row_of_link(as_user("planner"), operation, Person, gone.pk, "person_edit")
    assert seen.status_code == 404 and gone.code in seen.content.decode()


def test_it_remembers_each_kind_by_its_own_ids(db, operation):
    counts = {kind: FormerRow.objects.filter(operation=operation, kind=kind).count() for kind in FormerRow.Kind}
    reimport(operation)
    grown = {kind: FormerRow.objects.filter(operation=operation, kind=kind).count() - counts[kind] for kind in counts}
    assert grown == {
        FormerRow.Kind.TPS: operation.tps_set.count(),
        FormerRow.Kind.PERSON: operation.personnel.count(),
        FormerRow.Kind.UNIT: operation.units.count(),
        FormerRow.Kind.REGION: operation.regions.count(),
    }


def test_the_migration_keeps_the_former_tps_ids_kept_before_it(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"SIAGA_SQLITE": str(database)}  # SQLite

    def migrate(target: str) -> None:
        manage = [sys.executable, str(ROOT / "manage.py"), "migrate", "operations", target, "-v0"]
        subprocess.run(manage, cwd=ROOT, env=env, check=True)

    migrate("0012")
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO operations_operation (id, name, election_date, pattern, config, source_name, imported_at,"
            " archived, polda, polres_code, polres_name)"
            " VALUES (1, 'Pilkades', '2022-10-30', 'P', '{}', '', '2022-10-01 00:00:00', 0, '', '', '')"
        )
        db.execute(
            "INSERT INTO operations_formertps (operation_id, former_id, code, kecamatan_code)"
            " VALUES (1, 41, '35.14.17.2001-001', '35.14.17')"
        )
    migrate("0013")
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT operation_id, kind, former_id, code, kecamatan_code FROM operations_formerrow")
        assert rows.fetchall() == [(1, "tps", 41, "35.14.17.2001-001", "35.14.17")]
