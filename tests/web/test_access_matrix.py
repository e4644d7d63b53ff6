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

from siaga.accounts.models import Profile, Role
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
WRITERS = {"admin", "planner", "sector"}  # the apel's roll call (siaga.field.services.WRITERS)
ADMINS = {"admin"}  # the accounts (siaga.accounts.views_accounts)


def tps(operation: Any, kecamatan: str) -> Tps:
    return Tps.objects.filter(operation=operation, kecamatan_code=kecamatan).first()


def person(operation: Any, kecamatan: str) -> Person:
    return Person.objects.filter(operation=operation, kecamatan_code=kecamatan, force="LINMAS").first()


def desa(operation: Any, kecamatan: str) -> Region:
    return Region.objects.filter(operation=operation, kecamatan_code=kecamatan, level="DESA").first()


def account_pk() -> int:
    """An account the admin may change: the viewer's."""
    return Profile.objects.get(user__username="viewer").user_id


def own_code() -> str:
    """The field officer's own NRP (the post leader the personas bind him to)."""
    return Profile.objects.get(user__username="field_officer").person_code


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
    ("own-sector person page", lambda o, p, j: reverse("plan_person", args=[p.pk, person(o, SECTOR).code]), EVERYONE),
    (
        "other-sector person page",
        lambda o, p, j: reverse("plan_person", args=[p.pk, person(o, OTHER_SECTOR).code]),
        NOT_SECTOR,
    ),
    ("own person page", lambda o, p, j: reverse("plan_person", args=[p.pk, own_code()]), ALL),
    ("accounts", lambda o, p, j: reverse("account_list"), ADMINS),
    ("make account", lambda o, p, j: reverse("account_add"), ADMINS),
    ("edit account", lambda o, p, j: reverse("account_edit", args=[account_pk()]), ADMINS),
]

# (name, URL, form data, who may POST it). Posts that would change data are sent with data
# the server must refuse on permission before it looks at the data.
ACTIONS: list[tuple[str, Callable[..., str], dict[str, str], set[str]]] = [
    ("start plan", lambda o, p: reverse("plan_start", args=[o.pk]), {}, PLANNERS),
    ("categories to data", lambda o, p: reverse("plan_categories_to_data", args=[o.pk]), {}, PLANNERS),
    (
        "override",
        lambda o, p: reverse("tps_override", args=[o.pk, tps(o, SECTOR).pk]),
        {"category": "RAWAN", "reason": "uji akses"},
        EXPORTERS,  # a planner enters the intelligence estimate; the Kapolres decides (issue 17)
    ),
    ("sign off", lambda o, p: reverse("plan_signoff", args=[p.pk]), {"confirm": "yes", "officer": "x"}, COMMANDERS),
    ("bawaslu list", lambda o, p: reverse("bawaslu_import", args=[o.pk]), {}, PLANNERS),
    ("bawaslu confirm", lambda o, p: reverse("bawaslu_confirm", args=[o.pk]), {"token": "x"}, PLANNERS),
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
    ("undo check-in", lambda o, p: reverse("apel_checkin_undo", args=[p.pk]), {"nrp": "x", "confirm": "yes"}, WRITERS),
    ("escort step", lambda o, p: reverse("field_escort_step", args=[p.pk]), {"duty": "x", "kind": "tiba"}, WRITERS),
    ("buku mutasi", lambda o, p: reverse("field_guard_entry", args=[p.pk]), {"place": "x", "kind": "masuk"}, WRITERS),
    ("manifest", lambda o, p: reverse("field_escort_manifest", args=[p.pk]), {"duty": "x", "seals": "1"}, WRITERS),
    ("make account", lambda o, p: reverse("account_add"), {"username": "x", "role": "admin"}, ADMINS),
    ("edit account", lambda o, p: reverse("account_edit", args=[account_pk()]), {"role": "admin"}, ADMINS),
    ("new password", lambda o, p: reverse("account_password", args=[account_pk()]), {"password1": "x"}, ADMINS),
    ("deactivate", lambda o, p: reverse("account_active", args=[account_pk()]), {"active": "0"}, ADMINS),
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


# ---------------------------------------------------------------- personal data (UU PDP 27/2022)

# The files that carry the roster (names, NRP, phone numbers, signed QR cards): the orders of a
# plan and the konsep Sprin for the whole Polres or, for a sector chief, their kecamatan's;
# the plan file, the data export and the list exports for the whole Polres only.
ORDERS_TAKERS = EXPORTERS | {"sector"}
FILES: list[tuple[str, Callable[..., str], set[str]]] = [
    ("sprin pdf", lambda o, p: reverse("plan_orders", args=[p.pk, "sprin.pdf"]), ORDERS_TAKERS),
    ("ploting workbook", lambda o, p: reverse("plan_orders", args=[p.pk, "ploting.xlsx"]), ORDERS_TAKERS),
    ("cards", lambda o, p: reverse("plan_orders", args=[p.pk, "kartu.pdf"]), ORDERS_TAKERS),
    ("plan json", lambda o, p: reverse("plan_json", args=[p.pk]), EXPORTERS),
    ("data export", lambda o, p: reverse("export", args=[o.pk]), EXPORTERS),
    ("personnel xlsx", lambda o, p: reverse("personnel_list", args=[o.pk]) + "?export=xlsx", EXPORTERS),
    ("personnel csv", lambda o, p: reverse("personnel_list", args=[o.pk]) + "?export=csv", EXPORTERS),
    ("tps csv", lambda o, p: reverse("tps_list", args=[o.pk]) + "?export=csv", EXPORTERS),
]


def test_only_the_roles_that_may_take_the_roster_away_download_it(operation, plan, settings, tmp_path):
    # The orders of an approved plan: an allowed role gets the file or the job that makes it
    # (200 or a redirect to the job); a viewer and a field officer get 403, nothing rendered.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    type(plan).objects.filter(pk=plan.pk).update(status=type(plan).Status.APPROVED)
    unexpected = []
    for name, url_of, who in FILES:
        url = url_of(operation, plan)
        for role in ROLES:
            response = client_for(role).get(url)
            allowed = response.status_code == 200 or (
                response.status_code == 302 and "/jobs/" in response.headers.get("Location", "")
            )
            if allowed != (role in who):
                where = response.headers.get("Location", "")
                unexpected.append(f"{role} GET {name} ({url}): {response.status_code} {where}")
            if role not in who and response.status_code not in (403, 404):
                unexpected.append(f"{role} GET {name}: refused with {response.status_code}, expected 403/404")
    assert unexpected == []
    assert not PlanJob.objects.filter(kind="orders", created_by__username__in=["viewer", "field_officer"]).exists()


def test_a_viewer_cannot_read_the_konsep_sprin_of_a_draft(operation, plan, monkeypatch):
    from siaga.plans import services

    monkeypatch.setattr(services, "konsep_sprin", lambda plan, kecamatan, request=None: b"%PDF-1.4 konsep")
    url = reverse("plan_konsep", args=[plan.pk])
    got = {role: client_for(role).get(url).status_code for role in ROLES}
    assert got == {role: 200 if role in ORDERS_TAKERS else 403 for role in ROLES}


def test_the_operations_report_is_a_file_for_those_who_may_take_the_roster(operation, plan, monkeypatch):
    # The report names who handed over and received ballot boxes (name and NRP): a file.
    from siaga.field import views_day

    publish(plan)
    monkeypatch.setattr(views_day.pdf, "compose", lambda html, **_: type("R", (), {"data": b"%PDF-1.4 laporan"})())
    url = reverse("field_report", args=[plan.pk])
    got = {role: client_for(role).get(url).status_code for role in ROLES}
    assert got == {role: 200 if role in ORDERS_TAKERS else 403 for role in ROLES}


def roster_reads(username: str) -> int:
    from siaga.audit.models import AuditEntry

    return AuditEntry.objects.filter(username=username, action="read_roster").count()


def test_the_apel_page_read_by_a_commander_writes_an_audit_entry(operation, plan):
    from siaga.audit.models import AuditEntry

    publish(plan)
    before = roster_reads("commander")
    assert client_for("commander").get(reverse("apel", args=[plan.pk])).status_code == 200
    assert roster_reads("commander") == before + 1
    read = AuditEntry.objects.filter(username="commander", action="read_roster").latest("id")
    assert (read.object_type, read.object_id, read.operation_id) == ("apel", str(plan.pk), operation.pk)


def test_every_roster_page_read_outside_the_roster_keepers_is_audited(operation, plan):
    # Who keeps the roster (admin, planner) reads it as their work; everyone else's read of
    # names and NRP is an entry; a field officer sees only their own post's people.
    publish(plan)
    pages = {
        "plan detail": reverse("plan_detail", args=[plan.pk]),
        "plan diff": reverse("plan_diff", args=[plan.pk, plan.pk]),
        "apel readiness": reverse("apel_readiness", args=[plan.pk]),  # before the page: see below
        "apel": reverse("apel", args=[plan.pk]),
        "personnel list": reverse("personnel_list", args=[operation.pk]),
    }
    audited = {"commander", "sector", "viewer"}
    unexpected = []
    for role in sorted(EVERYONE):
        client = client_for(role)
        for name, url in pages.items():
            before = roster_reads(role)
            assert client.get(url).status_code == 200, (role, name)
            if (roster_reads(role) > before) != (role in audited):
                unexpected.append(f"{role} {name}: {roster_reads(role) - before} entries")
    assert unexpected == []
    # the readiness part is polled every two seconds: one entry per reader per quarter hour
    client, before = client_for("viewer"), roster_reads("viewer")
    for _ in range(3):
        client.get(pages["apel readiness"])
    assert roster_reads("viewer") == before
    before = roster_reads("field_officer")
    assert client_for("field_officer").get(reverse("field_phone", args=[plan.pk])).status_code == 200
    assert roster_reads("field_officer") == before  # their own post


def test_exports_of_personal_data_are_audited_for_every_role_that_may_take_them(operation, plan):
    from siaga.audit.models import AuditEntry

    urls = {
        "export_plan": reverse("plan_json", args=[plan.pk]),
        "export": reverse("export", args=[operation.pk]),
        "export_list": reverse("personnel_list", args=[operation.pk]) + "?export=csv",
    }
    for role in sorted(EXPORTERS):
        client = client_for(role)
        for action, url in urls.items():
            before = AuditEntry.objects.filter(username=role, action=action).count()
            response = client.get(url)
            assert response.status_code == 200, (role, action)
            b"".join(response.streaming_content) if response.streaming else response.content
            assert AuditEntry.objects.filter(username=role, action=action).count() == before + 1, (role, action)


# ---------------------------------------------------------------- a Polda database (issue 18)
#
# Two Polres of one Polda in one database: the demo's Polres Pasuruan Kota (the session's
# operation) and a second Polres with its own operation, plan, incident and job. Each Polres's
# people see nothing of the other's (404, as for no object at all), the Polda sees both, read-only.

OTHER_POLRES = ("POLRES-PASURUAN", "Polres Pasuruan")
POLDA_PEOPLE = {
    # name: (role, Polres code, Polda, kecamatan)
    "paskot_planner": (Role.PLANNER, "POLRES-PASKOT", "", ""),
    "paskot_commander": (Role.COMMANDER, "POLRES-PASKOT", "", ""),
    "pasuruan_commander": (Role.COMMANDER, OTHER_POLRES[0], "", ""),
    "pasuruan_sector": (Role.SECTOR_CHIEF, OTHER_POLRES[0], "", SECTOR),
    "polda_jatim": (Role.POLDA, "", "JAWA TIMUR", ""),
    "polda_bali": (Role.POLDA, "", "BALI", ""),
}


def other_polres_scenario() -> Any:
    """The demo's scenario as another Polres's: its own Polres unit, operation name and NRP/NIK."""
    from dataclasses import replace

    from siaga.core.data import demo

    scenario = demo.pasuruan_kota()
    code, name = OTHER_POLRES

    def unit(value: str) -> str:
        return code if value == "POLRES-PASKOT" else value

    units = tuple(
        replace(
            u, code=unit(u.code), name=name if u.code == "POLRES-PASKOT" else u.name, parent_code=unit(u.parent_code)
        )
        for u in scenario.units
    )
    other_number = str.maketrans("0123456789", "9876543210")  # another NRP/NIK of the same length
    people = tuple(replace(p, id=p.id.translate(other_number), unit_code=unit(p.unit_code)) for p in scenario.personnel)
    operation = replace(scenario.operation, name="Pam Pilkades 2022 Polres Pasuruan")
    return replace(scenario, units=units, personnel=people, operation=operation)


@pytest.fixture
def two_polres(operation: Any, plan: Any, settings: Any) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from siaga.accounts.models import Profile
    from siaga.core.planning.engine import plan_all
    from siaga.field.models import Incident
    from siaga.operations.services import import_scenario, scenario_for
    from siaga.plans.store import save_plan

    settings.SIAGA_POLDA_DATABASE = True  # a Polda's server
    publish(plan)
    other = import_scenario(other_polres_scenario(), "pasuruan.xlsx")
    scenario = scenario_for(other)
    author = get_user_model().objects.get(username="planner")
    other_plan = publish(save_plan(other, plan_all(scenario), scenario, author, note="Polres Pasuruan"))
    found = {"mine": (operation, plan), "other": (other, other_plan)}
    for key, (op, pl) in found.items():
        incident = Incident.objects.create(
            operation=op, kind="bentrok", severity=2, kecamatan_code=SECTOR, key=f"polda-{key}"
        )
        job = PlanJob.objects.create(operation=op, status=PlanJob.Status.DONE, progress=100, plan=pl)
        found[key] = (op, pl, incident, job)
    for name, (role, polres, polda, kecamatan) in POLDA_PEOPLE.items():
        user = get_user_model().objects.create_user(name, password="polda-uji-2024")
        Profile.objects.create(user=user, role=role, polres_code=polres, polda=polda, kecamatan_code=kecamatan)
    return found


def polda_client(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password="polda-uji-2024"), name
    return client


def _operation_urls(op: Any, pl: Any, incident: Any, job: Any) -> list[tuple[str, str]]:
    """Every page and API read of one operation: the console's pages, its data and the API."""
    from tests.web import pages

    global_pages = {"login", "dashboard", "import", "audit_list", "polda_dashboard"}
    global_pages |= {"account_list", "account_add", "account_edit"}  # the admin's, of no operation
    found = [(name, url) for name, url in pages.urls(op, pl) if name not in global_pages]
    found += [
        ("job", reverse("job_status", args=[job.pk])),
        ("plan json", reverse("plan_json", args=[pl.pk])),
        ("export", reverse("export", args=[op.pk])),
        ("tps geojson", reverse("geo_tps", args=[op.pk])),
        ("posts geojson", reverse("geo_posts", args=[op.pk]) + f"?plan={pl.pk}"),
        ("api readiness", f"/api/plans/{pl.pk}/readiness"),
        ("api board", f"/api/plans/{pl.pk}/board"),
        ("api incidents", f"/api/plans/{pl.pk}/incidents.geojson"),
        ("api reserves", f"/api/incidents/{incident.pk}/reserves"),
    ]
    return found


def test_a_polres_user_sees_nothing_of_another_polres_in_one_polda_database(two_polres):
    mine, other = two_polres["mine"], two_polres["other"]
    leaks, refused_own = [], []
    for name, theirs, own in (
        ("paskot_planner", other, mine),
        ("paskot_commander", other, mine),
        ("pasuruan_commander", mine, other),
        ("pasuruan_sector", mine, other),
    ):
        client = polda_client(name)
        for page, url in _operation_urls(*theirs):
            answer = client.get(url)
            if answer.status_code != 404:
                leaks.append((name, page, url, answer.status_code))
        for page, url in _operation_urls(*own):
            if name.endswith("sector") and page in ("tps_detail", "desa_detail"):
                continue  # the first TPS and desa lie in another kecamatan: 404 for a sector chief
            if client.get(url).status_code == 404:
                refused_own.append((name, page, url))
        op, pl, incident, _job = theirs
        for url in (
            reverse("plan_start", args=[op.pk]),
            reverse("plan_approve", args=[pl.pk]),
            reverse("tps_override", args=[op.pk, tps(op, SECTOR).pk]),
        ):
            answer = client.post(url, {"confirm": "yes", "category": "RAWAN", "reason": "uji"})
            if answer.status_code not in (403, 404):
                leaks.append((name, "POST", url, answer.status_code))
        answer = client.post(
            f"/api/incidents/{incident.pk}/escalate",
            {},
            content_type="application/json",
            headers={"Idempotency-Key": "x1"},
        )
        if answer.status_code not in (403, 404):
            leaks.append((name, "escalate", incident.pk, answer.status_code))
        # the menu and the home page lead to their own operation only
        home = client.get("/")
        assert home.status_code == 302 and home["Location"] == reverse("dashboard_for", args=[own[0].pk]), name
        polda_answer = client.get(reverse("polda_dashboard"))
        if name.endswith("sector"):  # its rows are whole Polres: not a sector chief's page
            assert polda_answer.status_code == 403, name
            continue
        polda_page = polda_answer.content.decode()
        assert own[0].name in polda_page and theirs[0].name not in polda_page, name
    assert leaks == []
    assert refused_own == []


def test_the_polda_reads_every_polres_of_its_polda_and_decides_nothing(two_polres):
    mine, other = two_polres["mine"], two_polres["other"]
    client = polda_client("polda_jatim")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("polda_dashboard")
    page = client.get(reverse("polda_dashboard")).content.decode()
    for op, pl, _incident, _job in (mine, other):
        assert reverse("dashboard_for", args=[op.pk]) in page  # drill-down to each Polres
        assert reverse("plan_detail", args=[pl.pk]) in page
    assert "Polres Pasuruan Kota" in page and ">Polres Pasuruan<" in page
    for op, pl, _incident, _job in (mine, other):
        assert client.get(reverse("dashboard_for", args=[op.pk])).status_code == 200
        assert client.get(reverse("plan_detail", args=[pl.pk])).status_code == 200
        assert client.post(reverse("plan_start", args=[op.pk])).status_code == 403
        assert client.post(reverse("plan_approve", args=[pl.pk]), {"confirm": "yes"}).status_code == 403
        assert client.get(reverse("export", args=[op.pk])).status_code == 403  # the roster stays with the Polres
    # a Polda of another province sees none of them
    bali = polda_client("polda_bali")
    assert "Polres Pasuruan" not in bali.get(reverse("polda_dashboard")).content.decode()
    for op, pl, _incident, _job in (mine, other):
        assert bali.get(reverse("dashboard_for", args=[op.pk])).status_code == 404
        assert bali.get(reverse("plan_detail", args=[pl.pk])).status_code == 404


def test_an_account_with_no_polres_opens_nothing_in_a_polda_database_but_the_admin_all(two_polres, settings):
    mine, other = two_polres["mine"], two_polres["other"]
    viewer = client_for("viewer")  # a Polres account whose Polres the admin forgot to set
    home = viewer.get("/")
    assert home.status_code == 200 and "belum ditetapkan ke satu Polres" in home.content.decode()
    for op, pl, _incident, _job in (mine, other):
        assert viewer.get(reverse("dashboard_for", args=[op.pk])).status_code == 404
        assert viewer.get(reverse("plan_detail", args=[pl.pk])).status_code == 404
    admin = client_for("admin")
    for op, pl, _incident, _job in (mine, other):
        assert admin.get(reverse("dashboard_for", args=[op.pk])).status_code == 200
        assert admin.get(reverse("plan_detail", args=[pl.pk])).status_code == 200
    # on a laptop or a Polres's own server, an account with no Polres sees every operation
    settings.SIAGA_POLDA_DATABASE = False
    for op, _pl, _incident, _job in (mine, other):
        assert viewer.get(reverse("dashboard_for", args=[op.pk])).status_code == 200


def test_a_polres_imports_only_its_own_workbooks_and_reads_only_its_own_audit(two_polres, tmp_path):
    from siaga.audit.models import AuditEntry
    from siaga.core.data.scenario import write_scenario
    from siaga.operations.models import Operation

    book = tmp_path / "pasuruan.xlsx"
    write_scenario(other_polres_scenario(), book)
    before = Operation.objects.count()
    client = polda_client("paskot_planner")
    with book.open("rb") as handle:
        answer = client.post(reverse("import"), {"file": handle})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Polres Pasuruan" in text and "Tidak ada yang diimpor" in text
    assert Operation.objects.count() == before
    mine, other = two_polres["mine"], two_polres["other"]
    # an import's job before it has an operation: its progress page is its starter's only
    from django.contrib.auth import get_user_model

    starter = get_user_model().objects.get(username="paskot_planner")
    job = PlanJob.objects.create(operation=None, kind="import", params={"name": "baru.xlsx"}, created_by=starter)
    assert client.get(reverse("job_status", args=[job.pk])).status_code == 200
    assert polda_client("pasuruan_commander").get(reverse("job_status", args=[job.pk])).status_code == 404
    AuditEntry.objects.create(action="approve_plan", object_type="plan", object_id="1", operation_id=mine[0].pk)
    AuditEntry.objects.create(action="approve_plan", object_type="plan", object_id="2", operation_id=other[0].pk)
    audit = polda_client("pasuruan_commander").get(reverse("audit_list")).content.decode()
    assert other[0].name in audit and mine[0].name not in audit
