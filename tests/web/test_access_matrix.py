"""Every role against every page and endpoint, including other sectors' objects by id.

The table says who may; every other role must be refused (403, or 404 for another sector's
object, which must look like no object at all). The test counts unexpected allows and
unexpected refusals and expects zero of each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from siaga.operations.models import Person, Region, Tps
from siaga.plans.models import PlanJob
from tests.web.conftest import OTHER_SECTOR, SECTOR, client_for, publish

ROLES = ["admin", "planner", "commander", "sector", "viewer", "field_officer"]
ALL = set(ROLES)
EVERYONE = ALL - {"field_officer"}  # who views the console; a field officer only their phone page
PLANNERS = {"admin", "planner"}
COMMANDERS = {"admin", "commander"}
EXPORTERS = {"admin", "planner", "commander"}
NOT_SECTOR = EVERYONE - {"sector"}


def tps(operation: Any, kecamatan: str) -> Tps:
    return Tps.objects.filter(operation=operation, kecamatan_code=kecamatan).first()


def person(operation: Any, kecamatan: str) -> Person:
    return Person.objects.filter(operation=operation, kecamatan_code=kecamatan, force="LINMAS").first()


def desa(operation: Any, kecamatan: str) -> Region:
    return Region.objects.filter(operation=operation, kecamatan_code=kecamatan, level="DESA").first()


# (name, how to build the URL from (operation, plan, job), who may GET it)
PAGES: list[tuple[str, Callable[..., str], set[str]]] = [
    ("dashboard", lambda o, p, j: reverse("dashboard_for", args=[o.pk]), EVERYONE),
    ("tps list", lambda o, p, j: reverse("tps_list", args=[o.pk]), EVERYONE),
    ("personnel list", lambda o, p, j: reverse("personnel_list", args=[o.pk]), EVERYONE),
    ("units list", lambda o, p, j: reverse("units_list", args=[o.pk]), EVERYONE),
    ("regions list", lambda o, p, j: reverse("regions_list", args=[o.pk]), EVERYONE),
    ("vulnerability", lambda o, p, j: reverse("vulnerability", args=[o.pk]), EVERYONE),
    ("map", lambda o, p, j: reverse("map", args=[o.pk]), EVERYONE),
    ("tps geojson", lambda o, p, j: reverse("geo_tps", args=[o.pk]), EVERYONE),
    ("posts geojson", lambda o, p, j: reverse("geo_posts", args=[o.pk]) + f"?plan={p.pk}", EVERYONE),
    ("own-sector tps", lambda o, p, j: reverse("tps_detail", args=[o.pk, tps(o, SECTOR).pk]), EVERYONE),
    ("other-sector tps", lambda o, p, j: reverse("tps_detail", args=[o.pk, tps(o, OTHER_SECTOR).pk]), NOT_SECTOR),
    ("own-sector desa", lambda o, p, j: reverse("desa_detail", args=[o.pk, desa(o, SECTOR).pk]), EVERYONE),
    ("other-sector desa", lambda o, p, j: reverse("desa_detail", args=[o.pk, desa(o, OTHER_SECTOR).pk]), NOT_SECTOR),
    ("own-sector tps edit", lambda o, p, j: reverse("tps_edit", args=[o.pk, tps(o, SECTOR).pk]), PLANNERS),
    ("other-sector tps edit", lambda o, p, j: reverse("tps_edit", args=[o.pk, tps(o, OTHER_SECTOR).pk]), PLANNERS),
    ("own-sector person edit", lambda o, p, j: reverse("person_edit", args=[o.pk, person(o, SECTOR).pk]), PLANNERS),
    (
        "other-sector person edit",
        lambda o, p, j: reverse("person_edit", args=[o.pk, person(o, OTHER_SECTOR).pk]),
        PLANNERS,
    ),
    ("import", lambda o, p, j: reverse("import"), PLANNERS),
    ("template", lambda o, p, j: reverse("template_download"), EVERYONE),
    ("export", lambda o, p, j: reverse("export", args=[o.pk]), EXPORTERS),
    ("audit", lambda o, p, j: reverse("audit_list"), COMMANDERS),
    ("plan list", lambda o, p, j: reverse("plan_list", args=[o.pk]), EVERYONE),
    ("plan detail", lambda o, p, j: reverse("plan_detail", args=[p.pk]), EVERYONE),
    ("plan json", lambda o, p, j: reverse("plan_json", args=[p.pk]), EXPORTERS),
    ("plan diff", lambda o, p, j: reverse("plan_diff", args=[p.pk, p.pk]), EVERYONE),
    ("job status", lambda o, p, j: reverse("job_status", args=[j.pk]), EVERYONE),
    ("phone page", lambda o, p, j: reverse("field_phone", args=[p.pk]), ALL),
    ("apel", lambda o, p, j: reverse("apel", args=[p.pk]), EVERYONE),
    ("pergeseran board", lambda o, p, j: reverse("field_board", args=[p.pk]), EVERYONE),
    ("incidents", lambda o, p, j: reverse("field_incidents", args=[p.pk]), EVERYONE),
    ("live dashboard", lambda o, p, j: reverse("field_live", args=[p.pk]), EVERYONE),
    ("sarpras", lambda o, p, j: reverse("sarpras", args=[p.pk]), EVERYONE),
]

# (name, URL, form data, who may POST it). Posts that would change data are sent with data
# the server must refuse on permission before it looks at the data.
ACTIONS: list[tuple[str, Callable[..., str], dict[str, str], set[str]]] = [
    ("start plan", lambda o, p: reverse("plan_start", args=[o.pk]), {}, PLANNERS),
    (
        "override",
        lambda o, p: reverse("tps_override", args=[o.pk, tps(o, SECTOR).pk]),
        {"category": "RAWAN", "reason": "uji akses"},
        PLANNERS,
    ),
    ("approve", lambda o, p: reverse("plan_approve", args=[p.pk]), {"confirm": "yes"}, COMMANDERS),
    ("publish", lambda o, p: reverse("plan_publish", args=[p.pk]), {"confirm": "yes"}, COMMANDERS),
    ("withdraw", lambda o, p: reverse("plan_withdraw", args=[p.pk]), {"confirm": "yes", "reason": "uji"}, COMMANDERS),
    (
        "pin",
        lambda o, p: reverse("plan_pin", args=[p.pk]),
        {"pin-person": "x", "pin-choice": "STAF", "pin-reason": "uji akses"},
        PLANNERS,
    ),
    ("unpin", lambda o, p: reverse("plan_unpin", args=[p.pk]), {"person": "x"}, PLANNERS),
    ("reinforce", lambda o, p: reverse("plan_reinforce", args=[p.pk]), {"per_post": "1"}, PLANNERS),
]


@pytest.fixture
def job(operation: Any, plan: Any) -> PlanJob:
    return PlanJob.objects.create(operation=operation, status=PlanJob.Status.DONE, progress=100, plan=plan)


def test_it_allows_each_role_exactly_the_pages_of_the_table(operation, plan, job):
    publish(plan)  # the field pages work on the current (published) plan
    unexpected = []
    clients = {role: client_for(role) for role in ROLES}
    for name, url_of, who in PAGES:
        url = url_of(operation, plan, job)
        for role, client in clients.items():
            status = client.get(url).status_code
            if (status == 200) != (role in who):
                unexpected.append(f"{role} GET {name} ({url}): {status}")
            if role not in who and status not in (403, 404):
                unexpected.append(f"{role} GET {name}: refused with {status}, expected 403/404")
    assert unexpected == []


def test_it_sends_anonymous_visitors_to_the_login_page_for_every_page(operation, plan, job):
    for name, url_of, _ in PAGES:
        response = Client().get(url_of(operation, plan, job))
        assert response.status_code in (302, 401), name
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login/"), name


def test_it_refuses_actions_to_roles_without_the_right(operation, plan, settings):
    settings.SIAGA_JOBS_INLINE = True
    unexpected = []
    for name, url_of, data, who in ACTIONS:
        for role in sorted(ALL - who):
            status = client_for(role).post(url_of(operation, plan), data).status_code
            if status not in (403, 404):
                unexpected.append(f"{role} POST {name}: {status}")
    assert unexpected == []


def test_it_never_shows_a_sector_chief_another_sectors_tps_in_any_list(operation):
    client = client_for("sector")
    foreign = list(Tps.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR).values_list("code", flat=True))
    for url in (
        reverse("tps_list", args=[operation.pk]) + "?page=1",
        reverse("vulnerability", args=[operation.pk]),
        reverse("geo_tps", args=[operation.pk]),
    ):
        body = client.get(url).content.decode()
        assert not [code for code in foreign if code in body], url
