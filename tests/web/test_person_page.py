"""The person page (`plan_person`): one person in one plan version, as the planner asks about
him on the phone, and who may see whom (the whole Polres anyone, a sector chief his sector's
people and duties only, a post leader himself; anyone else is a 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from siaga.accounts.models import Profile
from siaga.audit.models import AuditEntry
from siaga.core.data import duties as duty_data
from siaga.core.documents import schedule
from siaga.field.services import clock, duties, why_no_duty
from siaga.field.services import person as person_rules
from siaga.field.services.duties import DutyRow
from siaga.operations.models import Person, Unit
from siaga.operations.services import scenario_for
from siaga.plans.store import core_plan
from tests.web.conftest import OTHER_SECTOR, SECTOR, client_for


def rosters(plan: Any) -> dict[str, list[Any]]:
    """Each person's duties (the schedule's lines), in order of time."""
    blocks = schedule.build(scenario_for(plan.operation), core_plan(plan), "id")
    return {code: [line for _block, line in lines] for code, lines in schedule.of_person(blocks).items()}


def url(plan: Any, code: str) -> str:
    return reverse("plan_person", args=[plan.pk, code])


def two_duties(plan: Any, kecamatan: str | None = None) -> tuple[str, list[Any]]:
    """A Polri who holds two duties (in `kecamatan` when named)."""
    polri = set(Person.objects.filter(operation=plan.operation, force="POLRI").values_list("code", flat=True))
    for code, lines in sorted(rosters(plan).items()):
        if code in polri and len(lines) >= 2 and (kecamatan is None or lines[0].duty.kecamatan_code == kecamatan):
            return code, lines
    raise AssertionError("no Polri with two duties")


def without_duty(plan: Any) -> Person:
    held = set(rosters(plan))
    found = Person.objects.filter(operation=plan.operation, position="", pinned_post="", available=True)
    return next(p for p in found.order_by("code") if p.code not in held)


# ---------------------------------------------------------------- what the planner reads


def test_it_shows_the_person_and_every_duty_in_order_of_time(as_planner, plan):
    code, lines = two_duties(plan)
    person = Person.objects.get(operation=plan.operation, code=code)
    html = as_planner.get(url(plan, code)).content.decode()
    assert person.name in html and code in html
    if person.phone:
        assert f'href="tel:{person.phone}"' in html
    unit = Unit.objects.get(operation=plan.operation, code=person.unit_code)
    assert f"<dd>{unit.name}</dd>" in html and f"<dd>{unit.code}</dd>" not in html  # the unit by its name
    names = [duty_data.duty_name(line.name, "id") for line in lines]
    places = [html.index(name) for name in names]
    assert places == sorted(places)  # in order of time
    assert reverse("person_edit", args=[plan.operation_id, person.pk]) in html  # "Ubah data personel"
    assert 'id="person-hours"' in html and "minimum operasi 8 jam" in html


def test_it_marks_the_duty_done_and_the_next_at_the_operations_time(as_planner, plan, monkeypatch):
    code, lines = two_duties(plan)
    monkeypatch.setattr(clock, "now", lambda: clock.local(lines[0].duty.end))
    html = as_planner.get(url(plan, code)).content.decode()
    states = [s for s in ("done", "now", "next") if f'data-state="{s}"' in html]
    assert states[0] == "done" and ("now" in states or "next" in states)
    first = html.index('data-state="done"')
    assert first < html.index('data-state="now"' if "now" in states else 'data-state="next"')


def test_it_says_why_a_person_holds_no_duty(as_planner, plan):
    person = without_duty(plan)
    html = as_planner.get(url(plan, person.code)).content.decode()
    assert 'id="no-duty"' in html and "Tidak dibutuhkan" in html
    assert 'id="duties"' not in html


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"available": False, "pin_reason": "sakit"}, "Tidak siap: tidak diturunkan. (sakit)"),
        ({"position": "Kasat Intelkam"}, "jabatan komando/staf"),
        ({"pinned_post": "STAF"}, "Dipin sebagai staf"),
        ({"pinned_post": "TIDAK", "pin_reason": "cuti"}, "Dipin tidak diturunkan. (cuti)"),
        ({}, "Tidak dibutuhkan"),
    ],
)
def test_each_reason_for_no_duty_is_said_in_words(plan, change, words):
    person = without_duty(plan)
    for field, value in change.items():
        setattr(person, field, value)
    assert words in why_no_duty(plan, person)


def test_a_person_the_re_plan_took_out_for_the_apel_is_said_absent(plan):
    person = without_duty(plan)
    plan.extra = {**(plan.extra or {}), "replan": {"absent": [person.code]}}
    assert "Tidak hadir saat apel" in why_no_duty(plan, person)


def test_it_reads_the_shortest_rest_between_two_duties():
    at = dt.datetime(2024, 2, 14, 8)

    def row(start: int, end: int) -> DutyRow:
        return DutyRow("x", "y", "w", "s", "", at + dt.timedelta(hours=start), at + dt.timedelta(hours=end))

    assert person_rules.shortest_rest([row(0, 8)]) is None
    assert person_rules.shortest_rest([row(20, 24), row(0, 8), row(14, 18)]) == 2.0


def test_the_search_box_opens_the_person_whose_nrp_was_picked(as_planner, plan):
    code, _lines = two_duties(plan)
    other = without_duty(plan)
    response = as_planner.get(url(plan, code) + f"?nrp={other.code}")
    assert response.status_code == 302 and response.headers["Location"] == url(plan, other.code)
    html = as_planner.get(url(plan, code)).content.decode()
    assert f'data-search="{reverse("plan_people", args=[plan.pk])}"' in html


def test_the_page_is_read_only(as_planner, plan):
    code, _lines = two_duties(plan)
    assert as_planner.post(url(plan, code)).status_code == 405


# ---------------------------------------------------------------- who sees whom


def test_the_whole_polres_sees_anyone_and_a_viewers_read_is_audited(plan):
    code, _lines = two_duties(plan, OTHER_SECTOR)
    for role in ("admin", "planner", "commander", "viewer"):
        assert client_for(role).get(url(plan, code)).status_code == 200, role
    entry = AuditEntry.objects.filter(action="read_roster", object_type="person", object_id=code)
    assert entry.exists()
    html = client_for("viewer").get(url(plan, code)).content.decode()
    assert "Ubah data personel" not in html and 'id="person-search"' not in html


def test_a_sector_chief_sees_his_sectors_people_and_no_one_else(plan):
    client = client_for("sector")
    own, _lines = two_duties(plan, SECTOR)
    foreign, _lines = two_duties(plan, OTHER_SECTOR)
    assert client.get(url(plan, own)).status_code == 200
    assert client.get(url(plan, foreign)).status_code == 404  # not 403: no sign he exists
    assert client.get(url(plan, "00000000")).status_code == 404


def test_a_sector_chief_sees_a_polres_person_by_his_duty_there_and_only_that_duty(plan, monkeypatch):
    polres = [
        (code, lines)
        for code, lines in rosters(plan).items()
        if {line.duty.kecamatan_code for line in lines} == {SECTOR}
        and Person.objects.filter(operation=plan.operation, code=code).exclude(kecamatan_code=SECTOR).exists()
    ]
    code, lines = polres[0]
    assert client_for("sector").get(url(plan, code)).status_code == 200
    assert client_for("other_sector").get(url(plan, code)).status_code == 404

    # the same person with one more duty in another kecamatan: counted, not shown
    real = person_rules.phone_names

    def more(plan: Any, person_code: str, now: dt.datetime) -> Any:
        found = real(plan, person_code, now)
        start = dt.datetime(2022, 3, 30, 8)
        away = DutyRow("Jaga jauh", "Kec. Lain", "H+7", "Rekap", "", start, start + dt.timedelta(hours=4), OTHER_SECTOR)
        return duties.PhoneNames(found.posts, [*found.duties, away])

    monkeypatch.setattr(person_rules, "phone_names", more)
    html = client_for("sector").get(url(plan, code)).content.decode()
    assert "Jaga jauh" not in html and 'id="duties-elsewhere"' in html
    assert "Tugas lain di luar wilayah Anda: 1" in html
    assert "Jaga jauh" in client_for("planner").get(url(plan, code)).content.decode()


def test_a_post_leader_sees_only_his_own_page(plan):
    client = client_for("field_officer")
    own = Profile.objects.get(user__username="field_officer").person_code
    other, _lines = two_duties(plan, SECTOR)
    assert other != own
    html = client.get(url(plan, own)).content.decode()
    assert own in html and reverse("field_phone", args=[plan.pk]) in html
    assert client.get(url(plan, other)).status_code == 404


# ---------------------------------------------------------------- where it is reached from


def test_the_personnel_list_and_the_apel_link_each_name_to_the_page(as_planner, plan):
    from tests.web.conftest import publish

    publish(plan)
    listing = as_planner.get(reverse("personnel_list", args=[plan.operation_id])).content.decode()
    assert f"/plans/{plan.pk}/person/" in listing
    apel = as_planner.get(reverse("apel", args=[plan.pk])).content.decode()
    assert f"/plans/{plan.pk}/person/" in apel
