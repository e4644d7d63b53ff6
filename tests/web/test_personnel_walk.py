"""The planner's walk of the personnel screens: a person's NRP/NIK, rank and phone typed by
hand are held to their shape (a Linmas NIK of 16 digits, a Polri NRP of 8, a rank on the
ladder, a phone of digits), the position (jabatan) can be changed, the list says in words why
command and staff have no post and what a pin decides, and the search finds a position."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from siaga.operations.models import Person
from tests.web.conftest import SECTOR


def in_english(client: Client) -> Client:
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return client


def edit_values(person: Person, **changes: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        "rank": person.rank,
        "position": person.position,
        "phone": person.phone,
        "available": "ya" if person.available else "tidak",
        "edit_version": person.edit_version,
    }
    values |= {"desa_code": person.desa_code} if person.force == "LINMAS" else {"unit_code": person.unit_code}
    return values | changes


def field_error(html: str, name: str) -> str:
    found = re.search(rf'id="error-{name}">(.*?)</span>', html, re.S)
    return found.group(1) if found else ""


def a_polri(operation: Any) -> Person:
    return operation.personnel.filter(force="POLRI", position="").order_by("code").first()


def new_person(**values: str) -> dict[str, str]:
    base = {"name": "Uji Coba", "force": "POLRI", "unit_code": "POLSEK-17", "rank": "BRIPDA", "phone": "081234567890"}
    return base | values


# ---------------------------------------------------------------- the edit form


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"phone": "0812abc"}, "phone", "No. HP hanya angka"),
        ({"phone": "0812"}, "phone", "8 sampai 15 angka"),
        ({"rank": "JENDERAL BESAR XYZ"}, "rank", "Pangkat JENDERAL BESAR XYZ tidak dikenal"),
    ],
)
def test_it_refuses_a_bad_phone_or_rank_in_words_and_keeps_the_person(as_planner, operation, changes, field, words):
    person = a_polri(operation)
    response = as_planner.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", edit_values(person, **changes))
    assert response.status_code == 400
    assert words in field_error(response.content.decode(), field)
    kept = Person.objects.get(pk=person.pk)
    assert (kept.phone, kept.rank) == (person.phone, person.rank)


def test_it_saves_a_good_phone_a_known_rank_in_capitals_and_a_new_position(as_planner, operation):
    person = a_polri(operation)
    values = edit_values(person, phone="+62 812-3456-7890", rank="aiptu", position="Kasi Humas")
    response = as_planner.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", values)
    assert response.status_code == 302
    saved = Person.objects.get(pk=person.pk)
    assert (saved.phone, saved.rank, saved.position) == ("+62 812-3456-7890", "AIPTU", "Kasi Humas")


def test_the_edit_form_offers_the_position_and_says_command_is_never_on_a_tps_post(as_planner, operation):
    person = a_polri(operation)
    html = as_planner.get(f"/ops/{operation.pk}/personnel/{person.pk}/edit/").content.decode()
    assert 'name="position"' in html and "tidak pernah ditempatkan di pos TPS" in html
    assert '<datalist id="ranks-rank">' in html and '<option value="BRIPKA">' in html


def test_an_old_odd_phone_left_as_it_was_does_not_block_another_change(as_planner, operation):
    person = a_polri(operation)
    Person.objects.filter(pk=person.pk).update(phone="ext. 12")  # as an old workbook brought it
    person.refresh_from_db()
    response = as_planner.post(
        f"/ops/{operation.pk}/personnel/{person.pk}/edit/", edit_values(person, available="tidak")
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).available is False


# ---------------------------------------------------------------- a new person


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        (new_person(code="1234"), "code", "NRP Polri harus 8 angka; tertulis 1234."),
        (new_person(code="123456789"), "code", "NRP Polri harus 8 angka"),
        (
            new_person(code="351417000000001", force="LINMAS", unit_code="", desa_code=f"{SECTOR}.2001", rank=""),
            "code",
            "NIK Linmas harus 16 angka",
        ),
        (new_person(code="99999991", rank="XYZ"), "rank", "Pangkat XYZ tidak dikenal"),
        (new_person(code="99999992", phone="08ab12345"), "phone", "No. HP hanya angka"),
    ],
)
def test_a_new_person_is_held_to_the_shape_of_the_number(as_planner, operation, values, field, words):
    before = operation.personnel.count()
    response = as_planner.post(f"/ops/{operation.pk}/personnel/add/", values)
    assert response.status_code == 400
    assert words in field_error(response.content.decode(), field)
    assert operation.personnel.count() == before


def test_a_new_linmas_with_a_16_digit_nik_is_added(as_planner, operation):
    values = new_person(code="3514170101900001", force="LINMAS", unit_code="", desa_code=f"{SECTOR}.2001", rank="")
    response = as_planner.post(f"/ops/{operation.pk}/personnel/add/", values)
    assert response.status_code == 302
    assert operation.personnel.filter(code="3514170101900001", force="LINMAS").exists()


def test_the_refusals_speak_english_on_english_pages(as_planner, operation):
    in_english(as_planner)
    response = as_planner.post(f"/ops/{operation.pk}/personnel/add/", new_person(code="12", phone="08ab12345"))
    html = response.content.decode()
    assert "A Polri NRP has 8 digits; 12 was written." in field_error(html, "code")
    assert "A mobile number is digits only" in field_error(html, "phone")


# ---------------------------------------------------------------- the list


def test_the_list_says_why_command_has_no_post_and_finds_a_position(as_planner, operation):
    html = as_planner.get(f"/ops/{operation.pk}/personnel/?q=Kapolres").content.decode()
    row = re.search(r"<tr>(?:(?!</tr>).)*<td>Kapolres</td>.*?</tr>", html, re.S)
    assert row is not None, "a search by position finds the Kapolres"
    assert "komando/staf: tidak ditempatkan di pos TPS" in row.group(0)


def test_the_list_names_a_pin_in_words_not_its_code(as_planner, operation):
    person = a_polri(operation)
    Person.objects.filter(pk=person.pk).update(pinned_post="STAF", pin_reason="operator radio Posko")
    html = as_planner.get(f"/ops/{operation.pk}/personnel/?q={person.code}").content.decode()
    assert "pin: staf (tidak di pos) (operator radio Posko)" in html
    assert ": STAF<" not in html


def test_the_list_names_a_desa_pin_as_its_balai_desa(as_planner, operation):
    person = a_polri(operation)
    Person.objects.filter(pk=person.pk).update(pinned_post=f"{SECTOR}.2001", pin_reason="dekat rumah")
    html = as_planner.get(f"/ops/{operation.pk}/personnel/?q={person.code}").content.decode()
    assert "pin: balai desa Susukan Rejo" in html


def test_the_plan_pages_people_search_says_the_kapolres_is_command_not_merely_without_post(as_planner, plan):
    people = as_planner.get(f"/plans/{plan.pk}/people/", {"q": "Mustofa"}).json()["people"]
    kapolres = next(p for p in people if "AKBP" in p["label"])
    assert kapolres["label"].endswith("Kapolres: komando/staf, tidak ditempatkan di pos")


def test_the_edit_form_names_the_unit_field_in_the_singular_in_english(as_planner, operation):
    in_english(as_planner)
    person = a_polri(operation)
    html = as_planner.get(f"/ops/{operation.pk}/personnel/{person.pk}/edit/").content.decode()
    assert 'for="id_unit_code">Unit</label>' in html


def test_the_unit_choice_reads_by_name_and_by_code_only_where_names_are_shared(as_planner, operation):
    from siaga.operations.forms import named

    assert named([("POLSEK-17", "Polsek Pohjentrek"), ("KODIM-0819", "Kodim 0819")]) == [
        ("POLSEK-17", "Polsek Pohjentrek"),
        ("KODIM-0819", "Kodim 0819"),
    ]
    assert named([("A", "Polsek X"), ("B", "Polsek X")]) == [("A", "Polsek X (A)"), ("B", "Polsek X (B)")]
    person = operation.personnel.exclude(unit_code="").first()
    answer = as_planner.get(f"/ops/{operation.pk}/personnel/{person.pk}/edit/")
    unit = operation.units.get(code=person.unit_code)
    page = answer.content.decode()
    assert answer.status_code == 200 and f'value="{unit.code}" selected>{unit.name}</option>' in page
    assert f"({person.unit_code})</option>" not in page
