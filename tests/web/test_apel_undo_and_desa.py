"""The apel's roll call after a walk: a check-in recorded by mistake can be taken back, and a
desa's Linmas (who have no unit) are counted and checked in together, like a unit."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from siaga.audit.models import AuditEntry
from siaga.field.models import CheckIn
from siaga.field.services.apel import absentees
from siaga.operations.models import Person, Region
from tests.web.conftest import SECTOR, client_for, publish
from tests.web.test_field_apel import people_in, present


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def _undo(client: Any, plan: Any, code: str, confirm: str = "yes") -> Any:
    return client.post(reverse("apel_checkin_undo", args=[plan.pk]), {"nrp": code, "confirm": confirm}, follow=True)


def test_a_mistaken_check_in_is_taken_back_and_the_person_is_absent_again(as_planner, plan):
    code = people_in(plan)[0]
    present(plan, [code])
    page = as_planner.get(reverse("apel", args=[plan.pk]) + f"?q={code}").content.decode()
    assert 'class="undo-checkin"' in page  # offered beside "✓ hadir"
    assert code not in absentees(plan, _admin())
    unconfirmed = _undo(as_planner, plan, code, confirm="")
    assert "konfirmasi dulu" in html.unescape(unconfirmed.content.decode())
    assert CheckIn.objects.filter(person_code=code).exists()
    answer = html.unescape(_undo(as_planner, plan, code).content.decode())
    name = Person.objects.get(operation_id=plan.operation_id, code=code).name
    assert f"{name} kembali tercatat belum hadir." in answer
    assert not CheckIn.objects.filter(person_code=code).exists()
    assert code in absentees(plan, _admin())  # a re-plan from this apel takes him out again
    entry = AuditEntry.objects.get(action="check_in_undone")
    assert (entry.object_type, entry.object_id, entry.operation_id) == ("person", code, plan.operation_id)
    again = html.unescape(_undo(as_planner, plan, code).content.decode())
    assert (
        f"{name} memang belum tercatat hadir." in again
        and AuditEntry.objects.filter(action="check_in_undone").count() == 1
    )


def _admin() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


def test_a_sector_chief_takes_back_only_his_sectors_check_ins(as_sector, plan):
    mine = people_in(plan, SECTOR)[0]
    other = next(c for c in people_in(plan) if c not in set(people_in(plan, SECTOR)))
    present(plan, [mine, other])
    refused = html.unescape(_undo(as_sector, plan, other).content.decode())
    assert CheckIn.objects.filter(person_code=other).exists() and "kembali tercatat" not in refused
    _undo(as_sector, plan, mine)
    assert not CheckIn.objects.filter(person_code=mine).exists()


def test_the_commander_and_the_viewer_cannot_take_back_a_check_in(plan):
    code = people_in(plan)[0]
    present(plan, [code])
    for role in ("commander", "viewer"):
        assert (
            client_for(role)
            .post(reverse("apel_checkin_undo", args=[plan.pk]), {"nrp": code, "confirm": "yes"})
            .status_code
            == 403
        )
        assert (
            'class="undo-checkin"'
            not in client_for(role).get(reverse("apel", args=[plan.pk]) + f"?q={code}").content.decode()
        )
    assert CheckIn.objects.filter(person_code=code).exists()


def test_a_desas_linmas_are_one_group_with_hadir_semua(as_planner, plan):
    on_plan = set(people_in(plan))
    linmas = Person.objects.filter(operation_id=plan.operation_id, unit_code="", code__in=on_plan)
    desa = linmas.order_by("desa_code").values_list("desa_code", flat=True).first()
    group = sorted(linmas.filter(desa_code=desa).values_list("code", flat=True))
    name = Region.objects.get(operation_id=plan.operation_id, code=desa).name
    panel = html.unescape(as_planner.get(reverse("apel_readiness", args=[plan.pk])).content.decode())
    assert f'data-unit="desa:{desa}"><td>Linmas Desa {name}</td>' in panel
    assert "(tanpa satuan)" not in panel
    answer = as_planner.post(
        reverse("apel_checkin_unit", args=[plan.pk]),
        {"unit": f"desa:{desa}", "key": "desa-1", "confirm": "yes"},
        follow=True,
    )
    assert f"Linmas Desa {name}: {len(group)} personel dicatat hadir." in html.unescape(answer.content.decode())
    assert sorted(CheckIn.objects.values_list("person_code", flat=True)) == group  # that desa's, no one else
    entry = AuditEntry.objects.get(action="check_in_unit")
    assert (entry.object_type, entry.object_id) == ("region", desa)
    assert name in html.unescape(client_for("commander").get("/audit/").content.decode())


def test_a_unit_of_another_sector_is_refused_not_called_complete(as_sector, plan):
    outside = (
        Person.objects.filter(operation_id=plan.operation_id, code__in=people_in(plan))
        .exclude(code__in=people_in(plan, SECTOR))
        .exclude(unit_code="")
        .values_list("unit_code", flat=True)
    )
    unit = next(u for u in outside if not Person.objects.filter(unit_code=u, code__in=people_in(plan, SECTOR)).exists())
    answer = as_sector.post(
        reverse("apel_checkin_unit", args=[plan.pk]), {"unit": unit, "key": "other-1", "confirm": "yes"}, follow=True
    )
    text = html.unescape(answer.content.decode())
    assert "Tidak ada personel satuan ini dalam rencana di wilayah Anda" in text and "sudah tercatat hadir" not in text
    assert not CheckIn.objects.exists()


def test_a_refused_sarpras_count_names_the_unit_the_equipment_and_the_box_and_keeps_what_was_typed(as_planner, plan):
    from siaga.field.models import EquipmentItem
    from siaga.operations.models import Unit

    unit = Unit.objects.filter(operation_id=plan.operation_id).order_by("code").first()
    label = dict(EquipmentItem.Kind.choices)["ht"]
    typed = {"unit": unit.code, "required_ht": "12", "present_ht": "sebelas", "required_p3k": "3"}
    answer = as_planner.post(reverse("sarpras", args=[plan.pk]), typed)
    text = html.unescape(answer.content.decode())
    assert answer.status_code == 400 and not EquipmentItem.objects.exists()
    assert (
        f"Sarpras {unit.name}, {label} tersedia: 'sebelas' bukan jumlah; isi bilangan bulat 0 sampai 100.000." in text
    )
    assert 'name="required_ht" value="12"' in text and 'name="present_ht" value="sebelas"' in text
    assert 'name="required_p3k" value="3"' in text  # every box of the unit as typed, not only the wrong one
    negative = as_planner.post(reverse("sarpras", args=[plan.pk]), {"unit": unit.code, "required_p3k": "-2"})
    assert negative.status_code == 400 and "'-2' bukan jumlah" in html.unescape(negative.content.decode())
    saved = as_planner.post(
        reverse("sarpras", args=[plan.pk]), {"unit": unit.code, "required_p3k": "2", "present_p3k": ""}
    )
    assert saved.status_code == 302 and EquipmentItem.objects.get(unit_code=unit.code, kind="p3k").required == 2
