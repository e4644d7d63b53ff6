"""The re-plan ("Susun ulang") form as a planner reads it (issue of the perencana's walk):

- filled from the data's changes, each person not ready is among the chosen absentees by name
  and NRP, each category change a row of the TPS table with its category in words; beyond the
  rows the page lists, the paste box, in words as its example writes them, and read back;
- a version a newer published one replaced points to that version instead of a re-plan;
- a refused re-plan comes back as it was sent, the paste box open, the message naming the line;
- the stage table's headers are capitalised, and the English page calls the balai desa guard
  by one name (the plan file's names are as they were: only their display is translated).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from siaga.operations.models import Person, Tps
from siaga.plans import changes
from siaga.plans.models import Plan, PlanJob
from siaga.plans.store import plan_file
from tests.web.conftest import publish
from tests.web.test_plan_out_of_date import sent, sent_data


@pytest.fixture
def published(plan: Plan, settings: Any, tmp_path: Any) -> Plan:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SIAGA_JOBS_INLINE = True
    return publish(plan)


def form_of(client: Any, plan: Plan) -> str:
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    return page.split('id="replan-form"', 1)[1].split("</form>", 1)[0]


def change(plan: Plan, n: int, category: str = "SANGAT_RAWAN") -> list[str]:
    """`n` TPS of the version that are not `category` take it in the data."""
    codes = list(plan.tps_rows.exclude(category=category).order_by("tps_code").values_list("tps_code", flat=True)[:n])
    Tps.objects.filter(operation_id=plan.operation_id, code__in=codes).update(
        category=category, effective_category=category
    )
    return codes


def not_ready(plan: Plan) -> Person:
    code = plan.assignments.filter(slot="POLRI").order_by("person_code").values_list("person_code", flat=True)[0]
    Person.objects.filter(operation_id=plan.operation_id, code=code).update(available=False)
    return Person.objects.get(operation_id=plan.operation_id, code=code)


def text(part: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", part))).strip()


def test_the_filled_form_names_the_person_and_says_the_category_in_words(as_planner, published):
    (code,) = change(published, 1)
    person = not_ready(published)
    form = form_of(as_planner, published)
    fields = sent(form)
    assert ("absent_pick", person.code) in fields and ("change_tps", code) in fields
    assert ("change_category", "SANGAT_RAWAN") in fields
    chosen = text(re.search(r'<ul class="picked" id="absent-picked".*?</ul>', form, re.S).group(0))
    assert f"{person.name} ({person.code})" in chosen
    row = re.search(rf'value="{re.escape(code)}">\s*<select.*?</select>', form, re.S).group(0)
    assert '<option value="SANGAT_RAWAN" selected>Sangat rawan</option>' in row
    # nothing hides in the paste boxes: they stay empty and closed
    assert dict(sent(form))["absent"] == "" and dict(sent(form))["categories"] == ""
    assert '<details class="fallback" id="replan-paste">' in form
    # the notice before the filled fields says to check the list below it
    assert form.index('id="replan-from-data"') < form.index('id="absent-picked"')

    answer = as_planner.post(reverse("plan_replan", args=[published.pk]), sent_data(form))
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    new = Plan.objects.filter(operation_id=published.operation_id).latest("version")
    assert new.extra["replan"]["absent"] == [person.code]
    assert new.tps_rows.get(tps_code=code).category == "SANGAT_RAWAN" and not changes.since(new)


def test_the_form_reads_in_english(as_planner, published):
    change(published, 1)
    person = not_ready(published)
    as_planner.cookies["django_language"] = "en"
    form = form_of(as_planner, published)
    assert '<option value="SANGAT_RAWAN" selected>Highly vulnerable</option>' in form
    assert f"{person.name} ({person.code})" in text(form) and "Filled in from the operation" in text(form)


def test_more_changes_than_the_rows_go_to_the_paste_box_in_words_and_are_read_back(as_planner, published):
    codes = change(published, changes.SHOWN + 1)
    form = form_of(as_planner, published)
    pasted = dict(sent(form))["categories"]
    assert pasted.splitlines() == [f"{code}=Sangat rawan" for code in codes]
    assert "=SANGAT_RAWAN" not in form and '<details class="fallback" id="replan-paste" open>' in form
    assert [v for k, v in sent(form) if k == "change_tps"] == [""] * 3  # the rows are left to the reader

    answer = as_planner.post(reverse("plan_replan", args=[published.pk]), sent_data(form))
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    new = Plan.objects.filter(operation_id=published.operation_id).latest("version")
    assert all(new.tps_rows.get(tps_code=c).category == "SANGAT_RAWAN" for c in codes) and not changes.since(new)


@pytest.mark.parametrize("word", ["Sangat rawan", "sangat  RAWAN", "SANGAT_RAWAN", "Highly vulnerable"])
def test_the_paste_box_reads_the_category_in_words_or_as_a_code(as_planner, published, word):
    code = published.tps_rows.exclude(category="SANGAT_RAWAN").order_by("tps_code").first().tps_code
    as_planner.cookies["django_language"] = "en" if word == "Highly vulnerable" else "id"
    answer = as_planner.post(reverse("plan_replan", args=[published.pk]), {"categories": f"{code}={word}"})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    new = Plan.objects.filter(operation_id=published.operation_id).latest("version")
    assert new.tps_rows.get(tps_code=code).category == "SANGAT_RAWAN"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_version_a_newer_published_one_replaced_points_to_it(as_planner, published, lang):
    change(published, 1)
    as_planner.post(reverse("plan_replan", args=[published.pk]), {"absent": not_ready(published).code})
    newer = publish(Plan.objects.filter(operation_id=published.operation_id).latest("version"))
    published.refresh_from_db()
    assert published.status == Plan.Status.SUPERSEDED and newer.version == published.version + 1
    as_planner.cookies["django_language"] = lang
    page = as_planner.get(reverse("plan_detail", args=[published.pk])).content.decode()
    box = text(re.search(r'<div class="panel" id="plan-replaced".*?</div>', page, re.S).group(0))
    if lang == "id":
        assert f"Versi ini sudah diganti: versi {newer.version} diterbitkan pada" in box
        assert f"Buka versi {newer.version}" in box
    else:
        assert f"This version was replaced: version {newer.version} was published on" in box
        assert f"Open version {newer.version}" in box
    assert f'href="{reverse("plan_detail", args=[newer.pk])}"' in page
    # no invitation to re-plan the old version with the data's changes
    assert 'id="data-changed"' not in page and 'id="data-changed-replan"' not in page
    assert 'id="replan-from-data"' not in page and 'id="replan-replaced"' in page
    assert [v for k, v in sent(form_of(as_planner, published)) if k != "change_category" and v] == []
    # the newest published version itself says nothing of the kind
    assert 'id="plan-replaced"' not in as_planner.get(reverse("plan_detail", args=[newer.pk])).content.decode()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_refused_replan_comes_back_as_sent_with_the_line_to_fix(as_planner, published, lang):
    as_planner.cookies["django_language"] = lang
    person = published.assignments.order_by("person_code").values_list("person_code", flat=True)[0]
    tps = published.tps_rows.order_by("tps_code").values_list("tps_code", flat=True)[0]
    typed_absent = f"{person}\n99999999"
    typed_categories = f"{tps}=Rawan\n{tps}=SUPER"
    answer = as_planner.post(
        reverse("plan_replan", args=[published.pk]),
        {
            "absent": typed_absent,
            "categories": typed_categories,
            "absent_pick": [person],
            "change_tps": [tps, ""],
            "change_category": ["KHUSUS", ""],
        },
    )
    assert answer.headers["Location"] == reverse("plan_detail", args=[published.pk]) + "#replan-form"
    assert not PlanJob.objects.filter(operation=published.operation).exists()
    form = form_of(as_planner, published)
    fields = sent(form)
    assert ("absent", typed_absent) in fields and ("categories", typed_categories) in fields
    assert ("absent_pick", person) in fields and ("change_tps", tps) in fields
    assert ("change_category", "KHUSUS") in fields
    assert '<details class="fallback" id="replan-paste" open>' in form
    said = text(form)
    if lang == "id":
        assert "baris 2: NRP/NIK tidak dikenal: 99999999" in said and "baris 2: kategori SUPER tidak dikenal" in said
    else:
        assert "line 2: unknown NRP/NIK: 99999999" in said and "line 2: unknown category SUPER" in said
    # once: the next visit shows the form empty again
    assert dict(sent(form_of(as_planner, published)))["absent"] == ""


@pytest.mark.parametrize(
    ("lang", "heads"),
    [("id", ["Tugas", "Tempat", "Terisi", "Kosong"]), ("en", ["Duties", "Places", "Filled", "Empty"])],
)
def test_the_stage_table_headers_are_capitalised(as_planner, plan, lang, heads):
    as_planner.cookies["django_language"] = lang
    page = as_planner.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    table = re.search(r'<table id="duty-stages">.*?</thead>', page, re.S)
    assert table, "the Pilkades plan has duties beyond the vote"
    assert re.findall(r'<th class="num">(.*?)</th>', table.group(0)) == heads


def test_the_english_page_calls_the_balai_desa_guard_one_name(as_planner, plan):
    as_planner.cookies["django_language"] = "en"
    said = text(as_planner.get(reverse("plan_detail", args=[plan.pk])).content.decode())
    assert "village hall guard" in said and "balai desa" not in said.casefold()
    # the plan file keeps the names as made, in Indonesian
    roster = json.dumps(plan_file(plan)["roster"])
    assert "Jaga balai desa" in roster and "Village hall" not in roster


def test_a_name_left_in_the_search_field_is_refused_there_not_as_a_pasted_line(as_planner, published):
    answer = as_planner.post(
        reverse("plan_replan", args=[published.pk]), {"absent_pick": ["Heri Wibowo"], "absent": "", "categories": ""}
    )
    assert answer.status_code == 302 and not PlanJob.objects.filter(operation=published.operation).exists()
    form = form_of(as_planner, published)
    said = text(form)
    assert "Tidak dikenal: Heri Wibowo. Ketik nama atau NRP, lalu pilih dari saran." in said
    assert not re.search(r"baris \d", said)  # no pasted line is blamed
    assert ("absent_pick", "Heri Wibowo") in sent(form)
    assert '<details class="fallback" id="replan-paste">' in form  # the paste box stays closed: nothing there
