"""The planner's tools on the plan page, as walked in a browser: a refused pin, PSU,
reinforcement or hand edit shows each message beside its field with what was typed kept, and
changes nothing; the hand edit's refusals name posts and forces as a person reads them; a pin
names its post; a refused Bawaslu list counts its problems in the reader's grammar."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from siaga.core.data import demo
from siaga.operations.models import Operation
from siaga.operations.services import import_scenario
from siaga.plans.models import Plan, PlanJob
from siaga.plans.names import post_labels
from tests.web.conftest import client_for


def html_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def section(html: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]* id="{element_id}".*?</\1>', html, re.S)
    assert found, element_id
    return found.group(0)


def beside(html: str) -> list[str]:
    """The messages shown beside fields (Django's error lists), as text."""
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return [text.strip() for found in lists for text in re.findall(r"<li>(.*?)</li>", found, re.S)]


def said(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def full_polri_place(plan: Plan) -> tuple[str, str]:
    """A TPS post whose Polri places are all filled, and a Polri of the plan placed elsewhere."""
    empty = set(plan.unfilled.filter(slot="POLRI").values_list("post__code", flat=True))
    rows = plan.assignments.filter(slot="POLRI", post__kind="TPS").exclude(post__code__in=empty)
    target = rows.order_by("post__code").first()
    assert target is not None
    other = rows.exclude(post__code=target.post.code).order_by("person_code").first()
    assert other is not None
    return target.post.code, other.person_code


# ------------------------------------------------------------------ refusals beside their fields


def test_it_shows_a_refused_pin_beside_its_field_with_what_was_typed(as_planner: Client, operation, plan):
    data = {"pin-person": "99999999", "pin-choice": "POS", "pin-post": "", "pin-reason": "Dekat rumah"}
    response = as_planner.post(f"/plans/{plan.pk}/pin/", data, follow=True)
    pins = section(html_of(response), "pins")
    assert "Personel 99999999 tidak ada dalam operasi ini." in beside(pins)
    assert 'value="99999999"' in pins and 'value="Dekat rumah"' in pins
    assert not operation.personnel.exclude(pinned_post="").exists()
    again = html_of(as_planner.get(f"/plans/{plan.pk}/"))  # shown once: the next visit is a clean form
    assert beside(section(again, "pins")) == [] and 'value="99999999"' not in again


def test_it_says_a_pinned_post_not_in_this_version_beside_the_post_field(as_planner: Client, operation, plan):
    person = plan.assignments.order_by("person_code").first().person_code
    data = {"pin-person": person, "pin-choice": "POS", "pin-post": "NOT-A-POST", "pin-reason": "Dekat rumah"}
    html = html_of(as_planner.post(f"/plans/{plan.pk}/pin/", data, follow=True))
    field = re.search(r'<input type="text" name="pin-post".*?</div>', html, re.S)
    assert field and "Pos NOT-A-POST tidak ada dalam versi ini." in beside(field.group(0))
    assert 'value="NOT-A-POST"' in field.group(0)
    assert operation.personnel.get(code=person).pinned_post == ""


def test_it_shows_a_refused_psu_in_its_open_box_with_the_polling_day_in_words(as_planner: Client, operation, plan):
    stages = operation.config.get("stages")
    data = {"name": "PSU", "date": "2000-01-01", "start": "07:00", "end": "17:00", "tps": "X-1"}
    response = as_planner.post(f"/plans/{plan.pk}/psu/", data, follow=True)
    box = section(html_of(response), "psu")
    assert re.search(r'<details class="confirm" id="psu" open>', box)
    day = date_format(operation.election_date, "j F Y")
    assert f"PSU diadakan sesudah hari pemungutan ({day})." in beside(box)
    assert "TPS X-1 tidak ada dalam operasi ini (lihat daftar TPS)." in beside(box)
    assert "X-1</textarea>" in box
    operation.refresh_from_db()
    assert operation.config.get("stages") == stages and not PlanJob.objects.filter(operation=operation).exists()


def test_it_shows_a_refused_reinforcement_in_its_open_box(as_planner: Client, operation, plan):
    assert 'id="reinforce"' in html_of(as_planner.get(f"/plans/{plan.pk}/"))  # the demo plan has the advice
    config = dict(operation.config)
    response = as_planner.post(f"/plans/{plan.pk}/reinforce/", {"per_post": "50"}, follow=True)
    box = section(html_of(response), "reinforce")
    assert re.search(r'<details class="confirm" id="reinforce" open>', box) and 'value="50"' in box
    assert any("20" in message for message in beside(box))
    operation.refresh_from_db()
    assert operation.config == config and not PlanJob.objects.filter(operation=operation).exists()


def test_it_refuses_a_post_not_in_this_version_beside_the_post_field(as_planner: Client, operation, plan):
    person = plan.assignments.order_by("person_code").first().person_code
    data = {"person": person, "post": "VILLAGE-99.99.99.9999", "slot": "POLRI"}
    response = as_planner.post(f"/plans/{plan.pk}/reassign/", data, follow=True)
    form = section(html_of(response), "reassign-form")
    assert beside(form) == ["Pos VILLAGE-99.99.99.9999 tidak ada dalam versi ini."]  # not also "fill in the post"
    assert f'value="{person}"' in form and '<option value="POLRI" selected>' in form
    assert operation.plans.count() == 1


def test_it_names_the_post_and_the_force_of_a_full_slot(as_planner: Client, operation, plan):
    post, person = full_polri_place(plan)
    name = post_labels(plan, [post], "id")[post]
    response = as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": person, "post": post}, follow=True)
    told = f"Perubahan ditolak: slot Polri di {name} sudah penuh"
    assert told in said(response)
    assert told in beside(section(html_of(response), "reassign-form"))
    assert post not in said(response) and "POLRI" not in said(response)
    assert operation.plans.count() == 1


def test_it_keeps_a_refused_form_from_the_planner_who_may_not_plan(operation, plan):
    viewer = client_for("viewer")
    refused = viewer.post(f"/plans/{plan.pk}/pin/", {"pin-person": "1", "pin-reason": "x"})
    assert refused.status_code == 403
    html = html_of(viewer.get(f"/plans/{plan.pk}/"))
    assert 'id="pin-form"' not in html and 'id="reassign-form"' not in html and beside(html) == []


# ------------------------------------------------------------------ names where codes were


def test_it_names_a_pinned_post_as_a_person_reads_it(as_planner: Client, operation, plan):
    row = plan.assignments.filter(slot="POLRI", post__kind="TPS").order_by("person_code").first()
    name = post_labels(plan, [row.post.code], "id")[row.post.code]
    data = {"pin-person": row.person_code, "pin-choice": "POS", "pin-post": "", "pin-reason": "Dekat rumah"}
    response = as_planner.post(f"/plans/{plan.pk}/pin/", data, follow=True)
    assert f", {name}. Perencanaan berikutnya" in said(response)
    pin_row = section(html_of(response), f"pin-{row.person_code}")
    assert name in pin_row and row.post.code not in pin_row and "balai desa" not in pin_row


# ------------------------------------------------------------------ Bawaslu list, English


@pytest.fixture
def pemilu(db: Any) -> Operation:
    """The demo's Pemilu 2024 operation, whose catalogue has the Bawaslu TPS indicators."""
    return import_scenario(demo.pasuruan_kota_pemilu(), "pemilu.xlsx")


@pytest.mark.parametrize(("rows", "counted"), [(1, "(1 problem)"), (2, "(2 problems)")])
def test_it_counts_the_problems_of_a_refused_bawaslu_list_in_english(as_planner: Client, pemilu, rows, counted):
    operation = pemilu
    as_planner.post("/i18n/setlang/", {"language": "en"})
    tps = list(operation.tps_set.order_by("code").values_list("code", flat=True)[:rows])
    text = "kode_tps,violence_history\n" + "".join(f"{code},7\n" for code in tps)  # 7: not a 0/1 flag
    upload = SimpleUploadedFile("bawaslu.csv", text.encode(), content_type="text/csv")
    response = as_planner.post(f"/plans/ops/{operation.pk}/bawaslu/", {"file": upload}, follow=True)
    with translation.override("en"):
        headline = said(response)
    assert f"Bawaslu TPS-rawan list bawaslu.csv refused {counted}; nothing was changed." in headline, headline
    assert Operation.objects.get(pk=operation.pk).config == operation.config


def test_it_words_the_strength_and_psu_tools_in_english(as_planner: Client, plan):
    as_planner.post("/i18n/setlang/", {"language": "en"})
    html = html_of(as_planner.get(f"/plans/{plan.pk}/"))
    tools = section(html, "strength") + section(html, "psu")
    assert "Reinforce highly vulnerable TPS" in tools and "strongest pattern (highly vulnerable)" in tools
    assert "sangat rawan" not in tools and " pola" not in tools
    assert '<label for="id_end">Ends</label>' in tools


def test_it_names_the_person_slot_and_author_of_a_hand_edit_and_its_conflict(as_planner: Client, operation, plan):
    row = plan.assignments.filter(slot="POLRI", post__kind="TPS").order_by("person_code").first()
    person = operation.personnel.get(code=row.person_code)
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": person.code, "idle": "on"})
    newer = operation.plans.order_by("-version").first()
    assert newer.version == plan.version + 1
    data = {"person": person.code, "post": row.post.code, "slot": "POLRI"}
    conflict = as_planner.post(f"/plans/{plan.pk}/reassign/", data)  # made on the older version
    assert conflict.status_code == 409
    html = conflict.content.decode()
    theirs, yours = section(html, "conflict-values"), re.search(r'<td class="yours">(.*?)</td>', html, re.S)
    assert f"Ubah manual: {person}" in theirs and f": {person.code} ·" not in theirs
    assert "Planner" in theirs and "· planner ·" not in theirs  # the author's name, not the login
    assert yours and yours.group(1).endswith("(Polri)")


def test_it_says_a_post_has_no_such_slot_rather_than_that_the_force_cannot_fill_it(as_planner: Client, operation, plan):
    brimob = operation.personnel.filter(force="BRIMOB", position="").order_by("code").first()
    with_brimob = set(plan.assignments.filter(slot="BRIMOB").values_list("post__code", flat=True))
    with_brimob |= set(plan.unfilled.filter(slot="BRIMOB").values_list("post__code", flat=True))
    post = plan.posts.filter(kind="TPS").exclude(code__in=with_brimob).order_by("code").first()
    assert brimob is not None and post is not None
    data = {"person": brimob.code, "post": post.code}
    response = as_planner.post(f"/plans/{plan.pk}/reassign/", data, follow=True)
    name = post_labels(plan, [post.code], "id")[post.code]
    told = f"Perubahan ditolak: {name} tidak memiliki slot Brimob: pilih pos atau slot lain."
    assert told in said(response) and "tidak dapat mengisi" not in said(response)
    assert operation.plans.count() == 1


def test_it_says_above_the_pin_list_why_an_unpin_was_refused(as_planner: Client, operation, plan):
    person = operation.personnel.filter(pinned_post="").order_by("code").first()
    response = as_planner.post(f"/plans/{plan.pk}/unpin/", {"person": person.code}, follow=True)
    assert response.redirect_chain[-1][0] == f"/plans/{plan.pk}/#pins"
    told = re.search(r'<ul class="errorlist" id="unpin-errors">(.*?)</ul>', section(html_of(response), "pins"), re.S)
    assert told and f"{person} tidak dipin." in told.group(1)
    assert said(response) == f"{person} tidak dipin."  # on top once, without a field's label
