"""The Polda dashboard as its Karoops reads it: the shortfall beyond the TPS that the plan page
shows, a layout that holds on a phone, and a pack named by the time the page shows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from siaga.field import polda
from siaga.plans.models import Plan, PlanJob
from tests.web.conftest import publish

EMPTY_BEYOND = [
    {"duty": "KAWAL-35.14.21.2001-202203231700", "slot": "POLRI", "count": 2},
    {"duty": "BALAI_DESA-35.14.16.2022-202203231900", "slot": "LINMAS", "count": 3},
]


def with_empty_duties(plan: Any, unfilled: list[dict[str, Any]] | None) -> Any:
    """The published `plan` with its roster leaving these places empty (None: no roster at all)."""
    extra = dict(plan.extra)
    if unfilled is None:
        extra.pop("roster", None)
    else:
        extra["roster"] = {**extra.get("roster", {}), "unfilled": unfilled}
    Plan.objects.filter(pk=plan.pk).update(extra=extra)
    return publish(plan)


def test_it_counts_the_places_left_empty_beyond_the_tps(plan, operation, as_admin):
    with_empty_duties(plan, EMPTY_BEYOND)
    (row,) = [r for r in polda.rows([operation])]
    assert row.duty_empty == 5 and row.empty == 0
    assert polda.totals(polda.rows([operation]))["duty_empty"] == 5
    page = as_admin.get(reverse("polda_dashboard")).content.decode()
    card = re.search(r'id="polda-duty-empty"><div class="big bad">([^<]*)<', page)
    assert card is not None and card.group(1) == "5"
    assert '<span class="bad">5</span>' in page  # the Polres's row, in red


def test_it_counts_nothing_beyond_the_tps_for_a_plan_without_a_roster(plan, operation):
    with_empty_duties(plan, None)
    (row,) = polda.rows([operation])
    assert row.plan == plan.pk and row.duty_empty == 0


def test_its_strength_columns_come_before_the_categories_and_the_totals_wrap(plan, as_admin):
    publish(plan)
    page = as_admin.get(reverse("polda_dashboard")).content.decode()
    head = page[page.index('id="polres-table"') : page.index("</thead>")]
    assert head.index("Ditempatkan / dibutuhkan") < head.index('class="badge')  # seen first on a phone
    assert '<table id="polda-categories"' not in page  # a table's cells do not wrap at 390 px
    assert 'id="polda-categories" class="list-tools"' in page


def test_it_names_the_pack_by_the_time_the_page_shows(as_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "pack.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    admin = get_user_model().objects.get(username="admin")
    job = PlanJob.objects.create(
        kind="polda", status=PlanJob.Status.DONE, created_by=admin, params={"file": "orders/pack.zip"}
    )
    PlanJob.objects.filter(pk=job.pk).update(created_at=dt.datetime(2024, 2, 14, 1, 30, tzinfo=dt.UTC))
    answer = as_admin.get(reverse("polda_orders_file", args=[job.pk]))
    assert answer.status_code == 200
    assert 'filename="surat-perintah-polda-20240214-0830.zip"' in answer["Content-Disposition"]  # WIB


def test_its_readiness_counts_only_the_people_on_the_published_plan(plan, operation):
    from siaga.field.models import CheckIn

    publish(plan)
    on_plan = plan.assignments.values_list("person_code", flat=True).first()
    for key, (code, apel) in enumerate(((on_plan, ""), ("NRP-TAKEN-OFF-THE-PLAN", ""), (on_plan, "sore"))):
        # the second was on an earlier version; the third is at another apel
        CheckIn.objects.create(operation=operation, person_code=code, apel=apel, method="nrp", key=f"k{key}")
    (row,) = polda.rows([operation])
    assert row.present == 1 and row.placed == plan.summary["assigned"]
    assert polda.totals(polda.rows([operation]))["present"] == 1


def test_each_polres_row_leads_to_its_apel_and_its_incidents(plan, as_admin):
    publish(plan)
    page = as_admin.get(reverse("polda_dashboard")).content.decode()
    assert f'href="{reverse("apel", args=[plan.pk])}"' in page
    assert f'href="{reverse("field_incidents", args=[plan.pk])}"' in page


def test_a_polres_account_sees_its_own_polres_named_not_all_polres(operation, client):
    from siaga.accounts.models import Profile
    from siaga.accounts.roles import Role

    second = type(operation).objects.get(pk=operation.pk)
    second.pk, second.name = None, "Pam Pemilu 2024 Polres Pasuruan Kota"  # two operations, one Polres
    second.save()
    user = get_user_model().objects.create_user("paskot_kabagops", password="uji-polres-2024")
    Profile.objects.create(user=user, role=Role.PLANNER, polres_code=operation.polres_code)
    client.force_login(user)
    page = client.get(reverse("polda_dashboard")).content.decode()
    title = re.search(r"<h1>([^<]*)</h1>", page)
    assert operation.polres_code and title is not None
    assert title.group(1) == operation.polres_name


def test_its_finished_job_says_one_folder_per_operation(as_admin):
    admin = get_user_model().objects.get(username="admin")
    job = PlanJob.objects.create(kind="polda", status=PlanJob.Status.DONE, progress=100, created_by=admin)
    page = as_admin.get(reverse("job_status", args=[job.pk])).content.decode()
    assert "Satu folder per operasi Polres" in page  # a Polres with two operations has two folders
