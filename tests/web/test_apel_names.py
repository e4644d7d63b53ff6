"""The apel and the post leader's phone page named one way everywhere, and the apel's card of
who is absent naming them to the Kapolsek.

DOCTRINE.md 1, 5 and 10: the apel gelar pasukan opens an operation and the apel pergeseran comes
before the move to the posts; in the Pilkades reference both were held on H-1, so its preset
holds them as one apel, "Apel gelar pasukan dan pergeseran". The button opens the apel before
the pergeseran and names it as its page does."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from siaga.core.data import linmas
from siaga.field.models import CheckIn
from siaga.operations.models import Person, Unit
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def text_of(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def apel_button(client: Client, plan: Plan) -> str:
    return text_of(client.get(f"/plans/{plan.pk}/").content.decode(), r'id="apel-link"[^>]*>(.*?)</a>')


def apel_page(client: Client, plan: Plan) -> tuple[str, str]:
    page = client.get(f"/plans/{plan.pk}/apel/").content.decode()
    return text_of(page, r"<title>(.*?)</title>"), text_of(page, r"<h1>(.*?)</h1>")


def test_the_button_names_the_apel_its_page_shows(as_sector, plan):
    button = apel_button(as_sector, plan)
    title, heading = apel_page(as_sector, plan)
    assert button == "Apel gelar pasukan dan pergeseran"  # the Pilkades preset: both on H-1
    assert title.startswith(button) and heading.startswith(button)


def test_a_pemilu_names_its_apel_before_the_move_the_apel_pergeseran(as_sector, operation, plan):
    operation.name, operation.pattern = "Operasi Mantap Brata Pemilu 2024", "pemilu-2024"
    operation.config = {**operation.config, "stages": []}  # the Pemilu preset's stages
    operation.save(update_fields=["name", "pattern", "config"])
    button = apel_button(as_sector, plan)
    title, heading = apel_page(as_sector, plan)
    assert button == "Apel pergeseran pasukan"
    assert title.startswith(button) and heading.startswith(button)
    sarpras = as_sector.get(f"/plans/{plan.pk}/sarpras/").content.decode()
    assert "Apel pergeseran pasukan</a>" in sarpras and "Apel gelar pasukan" not in sarpras


def test_the_post_leaders_phone_page_has_one_name(as_planner, plan):
    for url in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/board/", f"/plans/{plan.pk}/escorts/"):
        page = as_planner.get(url).content.decode()
        assert "Ponsel kepala pos" in page, url
        assert "Halaman HP" not in page and "Halaman ponsel" not in page and "halaman ponsel" not in page, url


def _absentees(plan: Plan, absent_here: int, absent_there: int) -> tuple[list[str], list[str]]:
    """Everyone on the plan checked in but the first few of each sector; those, by sector."""
    posts = {p["id"]: p["kecamatan_code"] for p in plan_file(plan)["posts"]}
    by_sector: dict[str, list[str]] = {SECTOR: [], OTHER_SECTOR: []}
    everyone = []
    for a in plan_file(plan)["assignments"]:
        everyone.append(a["person"])
        by_sector.setdefault(posts[a["post"]], []).append(a["person"])
    here, there = by_sector[SECTOR][:absent_here], by_sector[OTHER_SECTOR][:absent_there]
    CheckIn.objects.bulk_create(
        CheckIn(operation_id=plan.operation_id, person_code=code, method="list", key=f"names-{code}")
        for code in sorted(set(everyone) - set(here) - set(there))
    )
    return here, there


def test_the_kapolsek_sees_who_of_his_sector_is_absent_by_name_rank_and_unit(as_sector, plan):
    here, there = _absentees(plan, 3, 2)
    page = as_sector.get(f"/plans/{plan.pk}/apel/").content.decode()
    card = page[page.index('id="replan"') : page.index("</section>", page.index('id="replan"'))]
    assert "Susun ulang dilakukan oleh perencana atau admin." in card
    shown = re.findall(r'data-absentee="([^"]+)"', card)
    assert sorted(shown) == sorted(here)
    for code in here:
        person = Person.objects.get(operation_id=plan.operation_id, code=code)
        row = text_of(card, rf'data-absentee="{re.escape(code)}">(.*?)</li>')
        assert person.name in row and linmas.shown(code, person.force) in row  # a Linmas's NIK masked
        if person.rank:
            assert row.startswith(f"{person.rank} {person.name}")
        unit = Unit.objects.filter(operation_id=plan.operation_id, code=person.unit_code).first()
        if unit is not None:
            assert unit.name in row
        assert f'href="/plans/{plan.pk}/person/{code}/"' in card
    assert not [code for code in there if f'"{code}"' in card]
    assert text_of(card, r'id="absent-names-count">(.*?)</span>') == "(3)"


def test_the_card_says_so_when_no_one_is_absent(as_sector, plan):
    _absentees(plan, 0, 2)
    page = as_sector.get(f"/plans/{plan.pk}/apel/").content.decode()
    card = page[page.index('id="replan"') : page.index("</section>", page.index('id="replan"'))]
    assert 'id="absent-names-none"' in card and "data-absentee" not in card
