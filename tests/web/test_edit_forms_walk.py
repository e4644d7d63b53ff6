"""The role walk of the data edit forms (planner, 1366 px): the Kapolres's command position
and rank taken away only when confirmed; a rename refused for a name too long (saying so,
the typed name kept); every field named by its label on the form, in Indonesian and English,
too-long included, while the importer keeps naming sheet, row and column."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from siaga.audit.models import AuditEntry
from siaga.core.data.problems import Problem
from siaga.operations.models import Operation, Person, Region, Tps, Unit
from tests.web.conftest import SECTOR


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def errors(response: Any) -> dict[str, str]:
    return dict(re.findall(r'id="error-([a-z_]+)">(.*?)</span>', text(response), re.S))


def english(client: Any) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def kapolres(operation: Operation) -> Person:
    return Person.objects.get(operation=operation, position__iexact="Kapolres")


def cleared(person: Person, **more: str) -> dict[str, str]:
    """The edit form with every box emptied, as the walk sent it."""
    data = {"rank": "", "position": "", "phone": "", "available": "ya", "unit_code": person.unit_code}
    return data | {"edit_version": str(person.edit_version)} | more


# ---------------------------------------------------------------- 1. the Kapolres cleared


def test_clearing_the_kapolres_is_refused_until_confirmed(as_planner, operation):
    person = kapolres(operation)
    rank, position = person.rank, person.position
    url = f"/ops/{operation.pk}/personnel/{person.pk}/edit/"
    page = as_planner.post(url, cleared(person))
    assert page.status_code == 400
    found = errors(page)
    assert found["position"].startswith("Jabatan: ") and "jabatan komando/staf Kapolres" in found["position"]
    assert "pos TPS" in found["position"]
    assert found["rank"].startswith(f"Pangkat: pangkat {rank} dihapus")
    assert 'id="loss-warning"' in page.content.decode() and 'name="confirm_loss"' in page.content.decode()
    person.refresh_from_db()
    assert (person.rank, person.position) == (rank, position)
    assert not AuditEntry.objects.filter(action="edit", object_type="person").exists()

    done = as_planner.post(url, cleared(person, confirm_loss="1"))
    assert done.status_code == 302
    person.refresh_from_db()
    assert (person.rank, person.position) == ("", "")
    entry = AuditEntry.objects.get(action="edit", object_type="person", object_id=person.code)
    assert entry.before["position"] == position


def test_a_confirmation_ticked_is_kept_when_another_field_is_wrong(as_planner, operation):
    person = kapolres(operation)
    page = as_planner.post(
        f"/ops/{operation.pk}/personnel/{person.pk}/edit/", cleared(person, confirm_loss="1", phone="abc")
    )
    assert page.status_code == 400 and set(errors(page)) == {"phone"}
    assert re.search(r'id="id_confirm_loss" checked', page.content.decode())
    assert Person.objects.get(pk=person.pk).position == person.position


def test_another_command_position_or_a_kept_rank_needs_no_confirmation(as_planner, operation):
    person = kapolres(operation)
    data = cleared(person, rank=person.rank, position="Wakapolres", phone=person.phone)
    assert as_planner.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", data).status_code == 302
    assert Person.objects.get(pk=person.pk).position == "Wakapolres"


def test_field_strength_cleared_needs_no_confirmation(as_planner, operation):
    person = Person.objects.filter(operation=operation, force="POLRI", position="").exclude(rank="").first()
    data = cleared(person, rank=person.rank, phone="")
    assert as_planner.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", data).status_code == 302


def test_the_warning_in_english(as_planner, operation):
    english(as_planner)
    person = kapolres(operation)
    page = as_planner.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", cleared(person))
    found = errors(page)
    assert found["position"].startswith("Position: ") and "command/staff position Kapolres" in found["position"]
    assert found["rank"].startswith("Rank: rank ")
    assert "I understand; save this change anyway." in text(page)


# ---------------------------------------------------------------- 2. renaming the operation


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("A" * 300, "Nama operasi: terlalu panjang (300 karakter); paling banyak 200 karakter"),
        ("   ", "Nama operasi: wajib diisi"),
        ("- / -", "Nama operasi: harus memuat paling sedikit satu huruf atau angka."),
    ],
)
def test_a_refused_rename_says_why_and_keeps_the_typed_name(as_planner, operation, typed, message):
    name = operation.name
    page = as_planner.post(f"/ops/{operation.pk}/rename/", {"name": typed})
    assert page.status_code == 400
    assert errors(page)["name"] == message
    assert re.search(r'<input name="name" id="id_name" value="([^"]*)"', text(page)).group(1) == typed
    assert "Nama operasi belum diganti" in text(page)
    assert Operation.objects.get(pk=operation.pk).name == name


def test_a_rename_too_long_in_english(as_planner, operation):
    english(as_planner)
    page = as_planner.post(f"/ops/{operation.pk}/rename/", {"name": "B" * 201})
    assert errors(page)["name"] == "Operation name: too long (201 characters); at most 200 characters"


def test_a_name_taken_keeps_the_typed_name(as_planner, operation):
    other = Operation.objects.create(
        name="Operasi Lain", polres_code=operation.polres_code, election_date=operation.election_date
    )
    page = as_planner.post(f"/ops/{operation.pk}/rename/", {"name": other.name})
    assert page.status_code == 400 and errors(page)["name"].startswith("Nama operasi ini sudah dipakai")
    assert 'value="Operasi Lain"' in page.content.decode()


@pytest.mark.parametrize("name", ["-1", "<script>alert(1)</script>"])
def test_odd_names_with_a_letter_or_digit_are_taken_and_escaped(as_planner, operation, name):
    done = as_planner.post(f"/ops/{operation.pk}/rename/", {"name": name})
    assert done.status_code == 302
    assert Operation.objects.get(pk=operation.pk).name == name
    page = as_planner.get(f"/ops/{operation.pk}/versions/")
    assert "<script>alert(1)</script>" not in page.content.decode()


# ---------------------------------------------------------------- 3. fields named by their labels


def test_a_new_tps_names_its_fields_by_their_labels(as_planner, operation):
    page = as_planner.post(f"/ops/{operation.pk}/tps/add/", {"lat": "99", "address": "x" * 300})
    assert page.status_code == 400
    found = errors(page)
    assert found["code"] == "Kode TPS: wajib diisi"
    assert found["desa_code"] == "Desa/kelurahan: wajib diisi"
    assert found["lat"] == "Lintang, nilai '99': koordinat di luar Indonesia (lintang -11 s.d. 6, bujur 95 s.d. 141)"
    assert found["lon"] == "Bujur: wajib diisi"
    assert found["address"] == "Alamat: terlalu panjang (300 karakter); paling banyak 255 karakter"
    assert "Kolom" not in text(page) and "Pastikan nilai ini" not in text(page)
    assert 'maxlength="' not in page.content.decode()  # the box takes it all, the message says how long


def test_a_new_tps_in_english(as_planner, operation):
    english(as_planner)
    page = as_planner.post(f"/ops/{operation.pk}/tps/add/", {"lon": "barat", "address": "x" * 300})
    found = errors(page)
    assert found["code"] == "TPS code: is required"
    assert found["lon"] == "Longitude, value 'barat': must be a number"
    assert found["address"] == "Address: too long (300 characters); at most 255 characters"
    assert "Column" not in text(page) and "Ensure this value" not in text(page)


def test_a_tps_edit_names_its_fields(as_planner, operation):
    tps = Tps.objects.filter(operation=operation).first()
    data = {"number": "0", "voters": "", "lat": str(tps.lat), "lon": str(tps.lon), "address": "y" * 256}
    found = errors(as_planner.post(f"/ops/{operation.pk}/tps/{tps.pk}/edit/", data))
    assert found == {
        "number": "Nomor TPS, nilai '0': tidak boleh kurang dari 1",
        "voters": "DPT (pemilih): wajib diisi",
        "address": "Alamat: terlalu panjang (256 karakter); paling banyak 255 karakter",
    }


def test_a_new_person_names_its_fields(as_planner, operation):
    data = {"code": "", "name": "N" * 130, "rank": "R" * 31, "force": "POLRI", "unit_code": "", "phone": "x" * 31}
    found = errors(as_planner.post(f"/ops/{operation.pk}/personnel/add/", data))
    assert found["code"] == "NRP/NIK: wajib diisi"
    assert found["name"] == "Nama: terlalu panjang (130 karakter); paling banyak 120 karakter"
    assert found["rank"] == "Pangkat: terlalu panjang (31 karakter); paling banyak 30 karakter"
    assert found["phone"] == "No. HP: terlalu panjang (31 karakter); paling banyak 30 karakter"
    assert found["unit_code"] == "Satuan (selain Linmas): personel POLRI wajib memiliki satuan (asal berangkat)"
    linmas = errors(as_planner.post(f"/ops/{operation.pk}/personnel/add/", data | {"force": "LINMAS"}))
    assert linmas["desa_code"] == "Desa/kelurahan (Linmas): anggota LINMAS wajib memiliki desa (desanya sendiri)"


def test_a_new_person_in_english(as_planner, operation):
    english(as_planner)
    data = {"code": "12", "name": "", "force": "POLRI", "unit_code": "", "phone": "abc"}
    found = errors(as_planner.post(f"/ops/{operation.pk}/personnel/add/", data))
    assert found["name"] == "Name: is required"
    assert found["code"].startswith("A Polri NRP has 8 digits")
    assert found["phone"].startswith("A mobile number is digits only")
    assert found["unit_code"] == "Unit (except Linmas): POLRI personnel need a unit (where they start from)"
    assert "unit_code" not in "".join(found.values()) and "nrp" not in "".join(found.values())


def test_a_person_edit_names_an_unknown_unit_by_the_field(as_planner, operation):
    person = Person.objects.filter(operation=operation, force="POLRI").first()
    data = {"rank": person.rank, "position": person.position, "phone": person.phone, "available": "ya"}
    found = errors(as_planner.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", data | {"unit_code": "X-1"}))
    assert found["unit_code"] == "Satuan, nilai 'X-1': tidak ada di antara satuan operasi ini"


def test_a_unit_names_its_fields(as_planner, operation):
    kecamatan = Region.objects.filter(operation=operation, code=SECTOR).first()
    data = {"code": "K" * 61, "name": "", "kind": "POLSEK", "kecamatan_code": kecamatan.code, "lat": "", "lon": "x"}
    found = errors(as_planner.post(f"/ops/{operation.pk}/units/add/", data))
    assert found == {
        "code": "Kode satuan: terlalu panjang (61 karakter); paling banyak 60 karakter",
        "name": "Nama: wajib diisi",
        "lat": "Lintang: wajib diisi",
        "lon": "Bujur, nilai 'x': harus berupa angka",
    }
    unit = Unit.objects.filter(operation=operation).first()
    edit = data | {"name": "U" * 121, "lat": str(unit.lat), "lon": str(unit.lon), "kind": unit.kind}
    found = errors(as_planner.post(f"/ops/{operation.pk}/units/{unit.pk}/edit/", edit))
    assert found == {"name": "Nama: terlalu panjang (121 karakter); paling banyak 120 karakter"}


def test_the_importer_still_names_sheet_row_and_column():
    problem = Problem("required", sheet="tps", row=3, column="id")
    assert problem.message("id") == "Lembar 'tps', baris 3, kolom 'id': wajib diisi"
    assert (
        Problem("needs_unit", sheet="personel", row=2, column="satuan", params={"force": "POLRI"})
        .message("id")
        .endswith("personel POLRI wajib memiliki kode satuan (asal berangkat)")
    )
