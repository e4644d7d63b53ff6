"""The apel and sarpras pages: check-in from the page (NRP, list, card token) with idempotency
keys, readiness, the absentee re-plan, who may write, a sector chief's kecamatan, and the
equipment checklist."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from siaga.core.documents import tokens
from siaga.field.models import AbsenteeReplan, CheckIn, EquipmentItem
from siaga.field.views_apel import ABSENT_SHOWN, ROLL_PAGE
from siaga.operations.models import Person, Region, Unit
from siaga.plans.models import Plan, PlanJob
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    """The field works on the operation's published plan."""
    return publish(plan)


_keys = itertools.count()


def people_in(plan: Plan, kecamatan: str | None = None) -> list[str]:
    posts = {p["id"]: p for p in plan_file(plan)["posts"]}
    return [
        a["person"]
        for a in plan_file(plan)["assignments"]
        if kecamatan is None or posts[a["post"]]["kecamatan_code"] == kecamatan
    ]


def present(plan: Plan, codes: list[str]) -> None:
    """Setup for the re-plan's tests: these people checked in at the apel before the
    pergeseran, by list (how a check-in is made is tested above, one by one)."""
    CheckIn.objects.bulk_create(
        CheckIn(operation_id=plan.operation_id, person_code=code, method="list", key=f"setup-{code}") for code in codes
    )


def check_in(client: Client, plan: Plan, key: str | None = None, **fields: str) -> Any:
    key = key or f"page-{next(_keys)}"
    return client.post(
        f"/plans/{plan.pk}/apel/checkin/", fields, headers={"Idempotency-Key": key, "Accept": "application/json"}
    )


@pytest.fixture
def card_key(settings: Any, tmp_path: Path) -> bytes:
    settings.SIAGA_CARD_KEY_FILE = str(tmp_path / "card-key")
    return tokens.key_file(tmp_path / "card-key")


def test_the_apel_page_shows_the_scanner_the_roster_and_readiness(as_planner, plan):
    page = as_planner.get(f"/plans/{plan.pk}/apel/")
    assert page.status_code == 200
    html = page.content.decode()
    for part in ('id="scan"', 'id="nrp-form"', 'id="roster"', 'id="readiness"', "jsQR.js", "apel.js", "replan-absent"):
        assert part in html, part
    assert html.count("tick-button") == min(len(people_in(plan)), ROLL_PAGE)  # one page of the roll call


def test_a_check_in_by_nrp_retried_with_the_same_key_stores_one_record(as_planner, plan):
    nrp = people_in(plan)[0]
    first = check_in(as_planner, plan, key="same-key", nrp=nrp)
    again = check_in(as_planner, plan, key="same-key", nrp=nrp)
    assert first.status_code == again.status_code == 200
    assert first.json()["created"] is True and again.json()["created"] is False
    assert CheckIn.objects.filter(person_code=nrp).count() == 1
    assert CheckIn.objects.get().method == "nrp"


def test_a_tick_on_the_list_is_a_list_check_in(as_planner, plan):
    assert check_in(as_planner, plan, nrp=people_in(plan)[1], method="list").json()["ok"]
    assert CheckIn.objects.get().method == "list"


def test_the_form_without_script_checks_in_and_says_so(as_planner, plan):
    nrp = people_in(plan)[0]
    response = as_planner.post(f"/plans/{plan.pk}/apel/checkin/", {"nrp": nrp, "key": "form-key"}, follow=True)
    assert nrp in response.content.decode()
    as_planner.post(f"/plans/{plan.pk}/apel/checkin/", {"nrp": nrp, "key": "form-key"})
    assert CheckIn.objects.count() == 1


def test_a_genuine_card_token_checks_in(as_planner, plan, card_key):
    nrp = people_in(plan)[0]
    post_code = plan.assignments.get(person_code=nrp).post.code
    answer = check_in(
        as_planner, plan, token=tokens.sign({"nrp": nrp, "plan": plan.digest, "post": post_code}, card_key)
    )
    assert answer.status_code == 200 and answer.json()["person_code"] == nrp
    assert CheckIn.objects.get().method == "qr"


def test_a_tampered_token_is_refused_with_a_message(as_planner, plan, card_key):
    people = people_in(plan)
    token = tokens.sign({"nrp": people[0], "plan": "x", "post": "p"}, card_key)
    other = tokens.sign({"nrp": people[1], "plan": "x", "post": "p"}, card_key)
    tampered = other.partition(".")[0] + "." + token.partition(".")[2]
    answer = check_in(as_planner, plan, token=tampered)
    assert answer.status_code == 422
    assert "tanda tangan" in answer.json()["error"]
    assert not CheckIn.objects.exists()


def test_a_check_in_needs_a_key(as_planner, plan):
    answer = as_planner.post(
        f"/plans/{plan.pk}/apel/checkin/", {"nrp": people_in(plan)[0]}, HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 400
    assert not CheckIn.objects.exists()


def test_readiness_counts_present_and_expected_per_unit_and_force(as_planner, plan):
    people = people_in(plan)
    for nrp in people[:3]:
        check_in(as_planner, plan, nrp=nrp)
    html = as_planner.get(f"/plans/{plan.pk}/apel/readiness/").content.decode()
    assert '<span id="present-count">3</span>' in html
    assert f'<span id="expected-count">{len(people)}</span>' in html
    assert f'id="absent-count">{len(people) - 3}<' in html
    assert 'id="ready-units"' in html and 'id="ready-forces"' in html


def test_a_sector_chief_checks_in_only_their_kecamatan_and_sees_only_it(as_sector, plan):
    mine, theirs = people_in(plan, SECTOR), people_in(plan, OTHER_SECTOR)
    assert check_in(as_sector, plan, nrp=mine[0]).status_code == 200
    refused = check_in(as_sector, plan, nrp=theirs[0])
    assert refused.status_code == 404 and refused.json()["error"]
    assert list(CheckIn.objects.values_list("person_code", flat=True)) == [mine[0]]
    html = as_sector.get(f"/plans/{plan.pk}/apel/").content.decode()
    assert f'data-code="{theirs[0]}"' not in html
    assert f'<span id="expected-count">{len(mine)}</span>' in html
    assert f'data-code="{mine[1]}"' in as_sector.get(f"/plans/{plan.pk}/apel/?q={mine[1]}").content.decode()
    assert f'data-code="{theirs[1]}"' not in as_sector.get(f"/plans/{plan.pk}/apel/?q={theirs[1]}").content.decode()
    assert "replan-absent" not in html  # re-planning is the planner's


@pytest.mark.parametrize("persona", ["as_viewer", "as_commander"])
def test_readers_see_the_page_but_cannot_write(request, persona, plan):
    client = request.getfixturevalue(persona)
    html = client.get(f"/plans/{plan.pk}/apel/").content.decode()
    assert 'id="read-only"' in html and 'id="nrp-form"' not in html and "tick-button" not in html
    assert check_in(client, plan, nrp=people_in(plan)[0]).status_code == 403
    assert client.post(f"/plans/{plan.pk}/apel/replan/", {"key": "r"}).status_code == 403
    assert client.post(f"/plans/{plan.pk}/sarpras/", {"unit": "x"}).status_code == 403
    assert not CheckIn.objects.exists() and not AbsenteeReplan.objects.exists()


def test_anonymous_is_sent_to_login(plan):
    assert Client().get(f"/plans/{plan.pk}/apel/").status_code in (302, 403)


def test_absentees_become_a_replan_that_shows_who_moves_where(as_planner, plan, settings):
    settings.SIAGA_JOBS_INLINE = True
    people = people_in(plan)
    present(plan, people[1:])
    response = as_planner.post(f"/plans/{plan.pk}/apel/replan/", {"key": "replan-1", "confirm": "yes"})
    assert response.status_code == 302
    again = as_planner.post(f"/plans/{plan.pk}/apel/replan/", {"key": "replan-1", "confirm": "yes"})
    assert again["Location"] == response["Location"]
    row = AbsenteeReplan.objects.get()
    assert row.absent == [people[0]]
    job = PlanJob.objects.get(pk=row.job_id)
    assert job.status == PlanJob.Status.DONE, job.message
    html = as_planner.get(response["Location"]).content.decode()
    assert f"/plans/{plan.pk}/diff/{job.plan_id}/" in html
    assert people[0] in html  # the absentee leaves their post


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_absentee_replan_before_the_apel_starts_is_refused_with_a_message(as_planner, plan, monkeypatch):
    import datetime as dt

    from siaga.field.services import apel as apel_rules

    present(plan, people_in(plan))
    start = apel_rules.apel_of(plan.operation, "").start
    assert start is not None
    monkeypatch.setattr(apel_rules, "_now", lambda: start - dt.timedelta(hours=2))
    html = as_planner.get(f"/plans/{plan.pk}/apel/").content.decode()
    assert 'id="replan-refused"' in html and "belum dimulai" in html
    response = as_planner.post(f"/plans/{plan.pk}/apel/replan/", {"key": "early", "confirm": "yes"}, follow=True)
    assert "belum dimulai" in messages_of(response)
    assert not AbsenteeReplan.objects.exists() and not PlanJob.objects.filter(kind="replan").exists()


def test_the_absentee_replan_is_refused_while_too_few_are_checked_in(as_planner, plan):
    response = as_planner.post(f"/plans/{plan.pk}/apel/replan/", {"key": "few", "confirm": "yes"}, follow=True)
    expected = len(people_in(plan))
    said = messages_of(response)
    assert f"Baru 0 dari {expected} personel" in said and "50%" in said
    assert not AbsenteeReplan.objects.exists()


def test_the_share_checked_in_is_an_operation_setting(as_planner, operation, plan, settings):
    settings.SIAGA_JOBS_INLINE = True
    operation.config = {**operation.config, "replan_min_present_pct": 0}
    operation.save(update_fields=["config"])
    response = as_planner.post(f"/plans/{plan.pk}/apel/replan/", {"key": "none-yet", "confirm": "yes"})
    assert response.status_code == 302 and AbsenteeReplan.objects.filter(key="none-yet").exists()


def test_the_phone_api_refuses_the_absentee_replan_as_the_page_does(as_planner, plan):
    """The rule lives in the service: the API cannot start what the page refuses."""
    response = as_planner.post(
        f"/api/plans/{plan.pk}/absentees/replan",
        "{}",
        content_type="application/json",
        headers={"Idempotency-Key": "api-too-few"},
    )
    assert response.status_code == 422, response.content
    assert f"Baru 0 dari {len(people_in(plan))} personel" in response.json()["detail"]
    assert not AbsenteeReplan.objects.exists() and not PlanJob.objects.filter(kind="replan").exists()


def _unit_of(plan: Plan, kecamatan: str) -> tuple[str, list[str]]:
    """A unit with people on the plan in `kecamatan`, and those people."""
    from siaga.operations.models import Person

    codes = people_in(plan, kecamatan)
    unit = Person.objects.filter(operation_id=plan.operation_id, code__in=codes).values_list("unit_code", flat=True)
    chosen = sorted(set(unit) - {""})[0]
    on_plan = set(people_in(plan))
    members = Person.objects.filter(operation_id=plan.operation_id, unit_code=chosen, code__in=on_plan)
    return chosen, sorted(members.values_list("code", flat=True))


def test_a_whole_unit_checks_in_at_once_after_confirming(as_planner, plan):
    unit, members = _unit_of(plan, SECTOR)
    check_in(as_planner, plan, nrp=members[0])  # one of them already scanned his card
    html = as_planner.get(f"/plans/{plan.pk}/apel/").content.decode()
    assert f'<input type="hidden" name="unit" value="{unit}">' in html and "data-confirm-message" in html
    url = f"/plans/{plan.pk}/apel/checkin/unit/"
    unconfirmed = as_planner.post(url, {"unit": unit, "key": "u1"}, follow=True)
    assert "konfirmasi" in messages_of(unconfirmed) and CheckIn.objects.count() == 1
    response = as_planner.post(url, {"unit": unit, "key": "u1", "confirm": "yes"}, follow=True)
    assert f"{len(members) - 1} personel dicatat hadir" in messages_of(response)
    present = set(CheckIn.objects.values_list("person_code", flat=True))
    assert present == set(members)
    assert set(CheckIn.objects.exclude(person_code=members[0]).values_list("method", flat=True)) == {"list"}
    again = as_planner.post(url, {"unit": unit, "key": "u1", "confirm": "yes"}, follow=True)
    assert "sudah tercatat hadir" in messages_of(again) and CheckIn.objects.count() == len(members)
    from siaga.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="check_in_unit")
    assert entry.object_id == unit and entry.after["people"] == len(members) - 1


def test_a_sector_chief_checks_in_a_unit_only_within_his_kecamatan(as_sector, plan):
    unit, members = _unit_of(plan, OTHER_SECTOR)
    mine = set(people_in(plan, SECTOR))
    as_sector.post(f"/plans/{plan.pk}/apel/checkin/unit/", {"unit": unit, "key": "u2", "confirm": "yes"})
    assert set(CheckIn.objects.values_list("person_code", flat=True)) <= mine


@pytest.mark.parametrize("persona", ["as_viewer", "as_commander"])
def test_readers_cannot_check_in_a_unit(request, persona, plan):
    unit, _members = _unit_of(plan, SECTOR)
    client = request.getfixturevalue(persona)
    client.post(f"/plans/{plan.pk}/apel/checkin/unit/", {"unit": unit, "key": "u3", "confirm": "yes"})
    assert not CheckIn.objects.exists()
    assert "apel_checkin_unit" not in client.get(f"/plans/{plan.pk}/apel/").content.decode()


def test_the_absentee_replan_asks_for_confirmation(as_planner, plan):
    present(plan, people_in(plan))
    html = as_planner.get(f"/plans/{plan.pk}/apel/").content.decode()
    assert 'id="replan-box"' in html and 'name="confirm" value="yes"' in html and "replan-refused" not in html
    response = as_planner.post(f"/plans/{plan.pk}/apel/replan/", {"key": "stray"}, follow=True)
    assert "konfirmasi" in messages_of(response) and not AbsenteeReplan.objects.exists()


def test_sarpras_is_edited_by_the_planner_and_gives_readiness(as_planner, plan):
    unit = Unit.objects.filter(operation_id=plan.operation_id).order_by("code").first()
    data = {
        "unit": unit.code,
        "required_kendaraan": "4",
        "present_kendaraan": "3",
        "required_ht": "10",
        "present_ht": "12",
    }
    assert as_planner.post(f"/plans/{plan.pk}/sarpras/", data).status_code == 302
    items = {e.kind: (e.required, e.present) for e in EquipmentItem.objects.filter(unit_code=unit.code)}
    assert items["kendaraan"] == (4, 3) and items["ht"] == (10, 12)
    html = as_planner.get(f"/plans/{plan.pk}/sarpras/").content.decode()
    assert 'id="sarpras-overall">93%' in html  # (3 + 10) / 14: more than required counts as required
    assert 'id="sarpras-pct">93%' in as_planner.get(f"/plans/{plan.pk}/apel/").content.decode()


def test_sarpras_refuses_bad_counts(as_planner, plan):
    unit = Unit.objects.filter(operation_id=plan.operation_id).first()
    as_planner.post(f"/plans/{plan.pk}/sarpras/", {"unit": unit.code, "required_ht": "-1"})
    as_planner.post(f"/plans/{plan.pk}/sarpras/", {"unit": unit.code, "required_ht": "x"})
    assert not EquipmentItem.objects.exists()


def test_a_sector_chief_edits_only_units_of_their_kecamatan(as_sector, plan):
    units = Unit.objects.filter(operation_id=plan.operation_id)
    mine = units.filter(kecamatan_code=SECTOR).first()
    theirs = units.exclude(kecamatan_code=SECTOR).first()
    assert mine is not None and theirs is not None
    html = as_sector.get(f"/plans/{plan.pk}/sarpras/").content.decode()
    assert f'id="unit-{mine.code}"' in html and f'id="unit-{theirs.code}"' not in html
    assert as_sector.post(f"/plans/{plan.pk}/sarpras/", {"unit": mine.code, "required_p3k": "2"}).status_code == 302
    assert as_sector.post(f"/plans/{plan.pk}/sarpras/", {"unit": theirs.code, "required_p3k": "2"}).status_code == 404
    assert list(EquipmentItem.objects.filter(required__gt=0).values_list("unit_code", flat=True)) == [mine.code]


def test_the_apel_form_shares_the_phone_schema_and_refuses_an_nrp_longer_than_its_column(as_planner, plan):
    answer = check_in(as_planner, plan, nrp="7" * 41)
    assert answer.status_code == 422 and answer.json()["error"]
    assert not CheckIn.objects.exists()


# -- several apels, each with its own roll call (issue 12, item 1) --------------------------------


@pytest.fixture
def two_apels(plan: Plan) -> tuple[str, str]:
    """The operation holds an apel kesiapan on H-7 before the apel pergeseran on H-1."""
    operation = plan.operation
    operation.config = {
        **operation.config,
        "stages": [
            {"name": "Apel kesiapan", "kind": "APEL_KESIAPAN", "start": "2022-03-16T08:00", "end": "2022-03-16T10:00"},
            {
                "name": "Apel pergeseran",
                "kind": "APEL_PERGESERAN",
                "start": "2022-03-22T07:00",
                "end": "2022-03-22T09:00",
            },
        ],
    }
    operation.save(update_fields=["config"])
    return "APEL_KESIAPAN-202203160800", ""


def check_in_at(client: Client, plan: Plan, apel: str, nrp: str, key: str) -> Any:
    return client.post(
        f"/plans/{plan.pk}/apel/checkin/?apel={apel}",
        {"nrp": nrp},
        headers={"Idempotency-Key": key, "Accept": "application/json"},
    )


def test_each_apel_of_the_operation_keeps_its_own_roll_call(as_planner, plan, two_apels):
    kesiapan, pergeseran = two_apels
    people = people_in(plan)
    page = as_planner.get(f"/plans/{plan.pk}/apel/?apel={kesiapan}").content.decode()
    assert 'id="apels"' in page and "Apel kesiapan" in page and "Apel pergeseran" in page
    assert "replan-absent" not in page and "hanya dicatat" in page  # re-plans follow the apel before the pergeseran
    first = check_in_at(as_planner, plan, kesiapan, people[0], "k-1")
    assert first.status_code == 200 and first.json()["created"]
    again = check_in_at(as_planner, plan, kesiapan, people[0], "k-2")
    assert again.status_code == 200 and not again.json()["created"]  # once per apel
    assert check_in_at(as_planner, plan, pergeseran, people[0], "p-1").json()["created"]  # and again at the next
    assert check_in_at(as_planner, plan, kesiapan, people[1], "k-3").json()["created"]
    counts = {
        apel: as_planner.get(f"/plans/{plan.pk}/apel/readiness/?apel={apel}").content.decode()
        for apel in (kesiapan, pergeseran)
    }
    assert '<span id="present-count">2</span>' in counts[kesiapan]
    assert '<span id="present-count">1</span>' in counts[pergeseran]
    assert sorted(CheckIn.objects.values_list("apel", "person_code")) == sorted(
        [(kesiapan, people[0]), (kesiapan, people[1]), ("", people[0])]
    )
    pergeseran_page = as_planner.get(f"/plans/{plan.pk}/apel/").content.decode()
    assert "replan-absent" in pergeseran_page


def test_an_apel_the_operation_does_not_hold_is_not_found(as_planner, plan, two_apels):
    assert as_planner.get(f"/plans/{plan.pk}/apel/?apel=APEL_GELAR-202201010800").status_code == 404
    refused = check_in_at(as_planner, plan, "APEL_GELAR-202201010800", people_in(plan)[0], "x-1")
    assert refused.status_code == 404 and not CheckIn.objects.exists()


def test_a_key_used_for_one_person_cannot_check_in_another_from_the_page(as_planner, plan):
    """The page's check-in binds its key to the request, as the phone API does."""
    first, second = people_in(plan)[:2]
    assert check_in(as_planner, plan, key="same-key", nrp=first).status_code == 200
    again = check_in(as_planner, plan, key="same-key", nrp=second)
    assert again.status_code == 409 and "kunci baru" in again.json()["error"]
    assert list(CheckIn.objects.values_list("person_code", flat=True)) == [first]
    assert check_in(as_planner, plan, key="same-key", nrp=first).status_code == 200  # a true retry


# -- the roll call: paged, filtered and counted in the database (issue 18) ----------------------


def roll(client: Client, plan: Plan, query: str = "") -> list[str]:
    """The NRP/NIK on every page of the roll call with these filters, page after page."""
    codes: list[str] = []
    for number in itertools.count(1):
        html = client.get(f"/plans/{plan.pk}/apel/?{query}&page={number}").content.decode()
        codes += re.findall(r'<tr data-code="([^"]+)"', html)
        if 'rel="next"' not in html:
            return codes


def test_the_roll_call_is_paged_and_the_pages_hold_everyone_once(as_planner, plan):
    people = people_in(plan)
    assert len(people) > ROLL_PAGE  # the demo's 630 people: several pages
    first = as_planner.get(f"/plans/{plan.pk}/apel/").content.decode()
    assert first.count("<tr data-code=") == ROLL_PAGE and 'rel="next"' in first
    second = as_planner.get(f"/plans/{plan.pk}/apel/?page=2").content.decode()
    assert not set(re.findall(r'<tr data-code="([^"]+)"', first)) & set(re.findall(r'<tr data-code="([^"]+)"', second))
    everyone = roll(as_planner, plan)
    assert sorted(everyone) == sorted(people)  # every page together: each person once


def test_the_roll_call_filters_one_unit_and_counts_it_per_unit(as_planner, plan):
    unit, members = _unit_of(plan, SECTOR)
    check_in(as_planner, plan, nrp=members[0])
    html = as_planner.get(f"/plans/{plan.pk}/apel/?unit={unit}").content.decode()
    name = Unit.objects.get(operation_id=plan.operation_id, code=unit).name
    assert f'<option value="{unit}" selected>{name} · 1/{len(members)}</option>' in html  # GROUP BY counts
    assert sorted(roll(as_planner, plan, f"unit={unit}")) == members
    assert len(members) < len(people_in(plan))


def test_the_roll_call_shows_the_absent_or_the_present_only(as_planner, plan):
    people = people_in(plan)
    for nrp in people[:3]:
        check_in(as_planner, plan, nrp=nrp)
    assert sorted(roll(as_planner, plan, "present=yes")) == sorted(people[:3])
    absent = roll(as_planner, plan, "present=no")
    assert sorted(absent) == sorted(people[3:])
    html = as_planner.get(f"/plans/{plan.pk}/apel/?present=no").content.decode()
    assert f'<span id="row-count">{len(people) - 3:,}</span>'.replace(",", ".") in html


def test_the_roll_call_finds_a_person_by_name_or_nrp(as_planner, plan):
    person = Person.objects.get(operation_id=plan.operation_id, code=people_in(plan)[5])
    by_nrp = roll(as_planner, plan, f"q={person.code}")
    assert by_nrp == [person.code]
    by_name = roll(as_planner, plan, f"q={person.name.split()[-1].lower()}")
    assert person.code in by_name and len(by_name) < len(people_in(plan))
    assert roll(as_planner, plan, "q=tidak-ada-orang-ini") == []


def test_a_sector_chiefs_roll_call_holds_only_his_kecamatan_on_every_page(as_sector, plan):
    assert sorted(roll(as_sector, plan)) == sorted(people_in(plan, SECTOR))
    unit, _members = _unit_of(plan, OTHER_SECTOR)
    assert set(roll(as_sector, plan, f"unit={unit}")) <= set(people_in(plan, SECTOR))


def test_a_field_officer_is_refused_the_roll_call_as_before(as_field_officer, plan):
    for url in ("", "?page=2", "?present=no", "readiness/"):
        assert as_field_officer.get(f"/plans/{plan.pk}/apel/{url}").status_code == 403


def test_the_readiness_panel_names_the_first_absentees_and_counts_the_rest(as_planner, plan):
    people = people_in(plan)
    check_in(as_planner, plan, nrp=people[0])
    html = as_planner.get(f"/plans/{plan.pk}/apel/readiness/").content.decode()
    assert f'id="absent-count">{len(people) - 1}<' in html
    assert html.count("data-absent=") == ABSENT_SHOWN
    rest = len(people) - 1 - ABSENT_SHOWN
    assert f'<span id="absent-more">dan {rest} lainnya</span>' in html
    assert f'href="/plans/{plan.pk}/apel/?present=no#roll-call"' in html
    assert f'data-absent="{people[0]}"' not in html


def test_the_roll_call_filters_the_linmas_of_one_desa(as_planner, plan):
    """The Linmas belong to no unit: each desa's are one group of the roll call (`?unit=desa:`
    and the desa's code), and only they; none is left for "(tanpa satuan)"."""
    on_plan = set(people_in(plan))
    linmas = Person.objects.filter(operation_id=plan.operation_id, unit_code="", code__in=on_plan)
    desa = linmas.order_by("desa_code").values_list("desa_code", flat=True).first()
    expected = sorted(linmas.filter(desa_code=desa).values_list("code", flat=True))
    assert 0 < len(expected) < linmas.count()
    name = Region.objects.get(operation_id=plan.operation_id, code=desa).name
    html = as_planner.get(f"/plans/{plan.pk}/apel/?unit=desa:{desa}").content.decode()
    assert f'<option value="desa:{desa}" selected>Linmas Desa {name} · 0/{len(expected)}</option>' in html
    assert "(tanpa satuan)" not in html
    assert sorted(roll(as_planner, plan, f"unit=desa:{desa}")) == expected
