"""Every page of the console, for every role, in Indonesian and in English, shows the reader's
words: no raw enum value (`KURANG_RAWAN`, `SATPOL_PP`), no plan post code
(`VILLAGE-35.14.16.2007`, `RESERVE-KORAMIL-18-1`), no Python leftover (`None`, `{'a': 1}`)
and no word of the other language from a list (tests/web/raw_words.py).

The pages are those of `manage.py demo` (the Pilkades and the Pemilu, each with its published
plan), with a second plan version (so the diff has moves), a finished planning job and an open
incident, so that the parts that show only then are read too. Names from the data and the
orders (a desa, a person, a post as the Sprin names it, a plan's note) are the same in every
language and are not counted as words of the other language.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from siaga.operations.models import Operation
from siaga.plans.models import Plan, PlanJob
from tests.web import pages, raw_words
from tests.web.conftest import publish

LOGINS = {
    "admin": "siaga-admin-2022",
    "perencana": "siaga-ops-2022",
    "kapolres": "siaga-pimpinan-2022",
    "kapolsek": "siaga-sektor-2022",
    "pengamat": "siaga-lihat-2022",
    "kepalapos": "siaga-pos-2022",
    "polda": "siaga-polda-2022",
}
READ = (200, 403, 404)  # a refusal is a page its reader reads too


def test_every_console_page_is_listed_as_a_page_or_not():
    assert pages.unlisted() == set()


def _seed(planner: Client) -> None:
    """What a running operation has beyond the demo: a job, a second version, an incident."""
    from siaga.plans import services as plan_services

    for operation in Operation.objects.exclude(plans__status=Plan.Status.PUBLISHED):
        publish(operation.plans.order_by("version").first())  # the test database's own Pilkades
    for plan in Plan.objects.filter(status=Plan.Status.PUBLISHED):
        PlanJob.objects.create(operation=plan.operation, kind="plan", plan=plan, status="done", progress=100)
        moved = plan.assignments.order_by("pk").first()
        plan_services.reassign(plan, moved.person_code, None, None, planner_user())
        post = plan.posts.filter(kind="TPS").order_by("pk").first()
        answer = planner.post(
            f"/api/plans/{plan.pk}/incidents",
            {"kind": "bentrok", "severity": 3, "post_id": post.code, "description": "Dua kelompok saling dorong"},
            content_type="application/json",
            headers={"Idempotency-Key": f"raw-words-{plan.pk}"},
        )
        assert answer.status_code == 201, answer.content


def planner_user() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="perencana")


@pytest.mark.django_db
def test_no_page_shows_the_codes_words_to_any_role():
    """One demo, read in Indonesian and then in English (one load of the demo for both)."""
    call_command("demo", stdout=io.StringIO())
    planner = Client()
    assert planner.login(username="perencana", password=LOGINS["perencana"])
    _seed(planner)
    found: list[str] = []
    for lang in ("id", "en"):
        read, shown = _read_every_page(lang)
        assert read > 300, lang  # every role read the pages it may, and the refusals of the others
        found += shown
    assert not found, f"{len(found)} findings, the first:\n" + "\n".join(sorted(set(found))[:40])


def _read_every_page(lang: str) -> tuple[int, list[str]]:
    """How many pages were read in `lang`, and what they showed that they should not."""
    found: list[str] = []
    read = 0
    # a page outside one operation (the audit log) names the posts and people of every operation
    names: set[str] = set()
    for operation in Operation.objects.order_by("pk"):
        plan = operation.plans.filter(status=Plan.Status.PUBLISHED).get()
        names |= pages.data_names(operation, plan) | set(operation.plans.values_list("note", flat=True))
    for login, password in LOGINS.items():
        client = Client()
        client.cookies["django_language"] = lang
        assert client.login(username=login, password=password), login
        for operation in Operation.objects.order_by("pk"):
            plan = operation.plans.filter(status=Plan.Status.PUBLISHED).get()
            for name, url in pages.urls(operation, plan):
                response = client.get(url)
                assert response.status_code in READ + (302,), (login, url, response.status_code)
                if response.status_code not in READ or "html" not in response.get("Content-Type", ""):
                    continue
                read += 1
                shown = raw_words.findings(response.content.decode(), lang, names)
                found += [f"{lang} {login} {name} {url}: {f}" for f in shown]
    return read, found
