"""The plan pages' words agree with each other and name what they are about: the optimiser's
figures of the vote's posts apart from those of the whole operation (the vote's posts and the
other stages' duties), on the plan page, the version comparison and the audit alike; the
strength advice says "no post at the vote", as the CLI does; the audit reads in the user's
words, not the code's; the English header has no Indonesian word."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from siaga.audit.log import record
from siaga.core.planning.posts import UNFILLED_KM
from siaga.plans import pages
from siaga.plans.models import Plan
from tests.web.conftest import client_for
from tests.web.raw_words import findings

# ---------------------------------------------------------------- the figures in words


def proof(objective: float, bound: float, whole: tuple[float, float] | None = None) -> dict[str, Any]:
    roster = {"objective": whole[0], "lower_bound": whole[1]} if whole else None
    return pages.optimality({"objective": objective, "lower_bound": bound}, roster)


@pytest.mark.parametrize(
    ("vote", "whole", "vote_optimal", "whole_optimal", "empty_places"),
    [
        ((1750.66, 1750.66), (284_562.9, 283_797.6), True, False, 0),  # the demo's: 765 km, no place
        ((401_722.3, 401_721.8), (684_614.9, 483_856.5), False, False, 20),  # the apel's re-plan: 20 places
        ((1000.0, 1000.0), (1000.0 + 14_000, 1000.0), True, False, 0),  # 1.4 places: not "almost all" places
        ((81_000.0, 1000.0), (81_765.0, 1000.0), False, False, 0),  # a hand edit's gap is the vote's own
        ((1000.0, 1000.0), (1000.3, 1000.0), True, True, 0),
    ],
)
def test_it_proves_each_part_apart_and_counts_the_empty_places_of_a_gap(
    vote, whole, vote_optimal, whole_optimal, empty_places
):
    said = proof(vote[0], vote[1], whole)
    assert said["known"] and said["vote"]["optimal"] is vote_optimal and said["whole"]["optimal"] is whole_optimal
    assert said["whole"]["empty_places"] == empty_places
    assert said["whole"]["gap_km"] == pytest.approx(whole[0] - whole[1])


def test_it_says_a_vote_gap_of_whole_weighted_places_is_empty_places_and_knows_nothing_without_figures():
    assert proof(81_000.0, 1000.0)["vote"]["mostly_empty"] and not proof(1500.0, 1000.0)["vote"]["mostly_empty"]
    assert proof(1000.0, 1000.0)["whole"] is None
    assert pages.optimality({}) == {"known": False}


# ---------------------------------------------------------------- the plan page and the comparison


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def part(pattern: str, html: str) -> str:
    """The first group of `pattern` in `html` (the page must hold it)."""
    found = re.search(pattern, html, re.S)
    assert found is not None, pattern
    return found.group(1)


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def technical(html: str) -> dict[str, str]:
    """The plan page's optimiser figures: label -> value as shown."""
    block = part(r'<details class="technical" id="technical">(.*?)</details>', html)
    return {text(dt): text(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", block)}


def compared(html: str, column: int) -> dict[str, str]:
    """The comparison's figures: label -> the value of one version (1 the old, 2 the new)."""
    table = part(r'<table id="figures".*?<tbody>(.*?)</tbody>', html)
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)]
    return {text(cells[0]): text(cells[column]) for cells in rows}


@pytest.fixture
def edited(as_planner: Client, operation: Any, plan: Plan) -> Plan:
    """A second version: one Polri of a TPS post made idle by hand."""
    person = next(a.person_code for a in plan.assignments.filter(slot="POLRI", post__kind="TPS").order_by("id"))
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": person, "idle": "on"})
    return operation.plans.order_by("-version").first()


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.SIAGA_JOBS_INLINE = True


def test_the_plan_page_names_what_is_optimal_and_never_calls_the_whole_plan_optimal(as_commander, plan):
    html = page(as_commander, f"/plans/{plan.pk}/")
    said = text(part(r'<span id="optimality">(.*?)</span>', html))
    assert said.startswith("pos pemungutan suara terbukti optimal; seluruh operasi paling jauh ")
    assert "rencana ini terbukti optimal" not in html
    figures = technical(html)
    assert list(figures) == [
        "nilai tujuan pos pemungutan suara",
        "batas bawah terbukti pos pemungutan suara",
        "selisih pos pemungutan suara",
        "nilai tujuan seluruh operasi",
        "batas bawah terbukti seluruh operasi",
        "selisih seluruh operasi",
    ]
    gap = text(part(r'<p class="help" id="duty-gap">(.*?)</p>', html))
    bound = figures["batas bawah terbukti seluruh operasi"]
    whole = "Seluruh operasi (pos pemungutan suara dan tugas tahapan lain)"
    assert f"{whole}: selisih terhadap batas bawah terbukti ({bound})" in gap
    assert figures["selisih seluruh operasi"].removesuffix(" km") in gap


def test_the_comparison_shows_the_plan_pages_figures_by_the_same_names(as_commander, plan, edited):
    html = page(as_commander, f"/plans/{plan.pk}/diff/{edited.pk}/")
    for version, column in ((plan, 1), (edited, 2)):
        on_plan_page = technical(page(as_commander, f"/plans/{version.pk}/"))
        in_comparison = compared(html, column)
        for label in pages.FIGURE_WORDS.values():
            assert in_comparison[str(label)] == on_plan_page[str(label)], (version.version, label)
    assert "nilai tujuan" not in compared(html, 1)  # no figure left unnamed


def test_a_gap_of_empty_places_is_said_in_places_with_a_link_to_why(as_commander, plan):
    roster = plan.extra["roster"]
    Plan.objects.filter(pk=plan.pk).update(
        extra={**plan.extra, "roster": {**roster, "lower_bound": roster["objective"] - 20 * UNFILLED_KM - 12.3}}
    )
    html = page(as_commander, f"/plans/{plan.pk}/")
    said = "Selisih seluruh operasi hampir seluruhnya 20 tempat kosong yang dihitung 10.000 km per tempat"
    for where in ("whole-gap-empty", "duty-gap-empty"):
        sentence = part(rf'id="{where}">(.*?)</(?:p|span)>', html)
        assert said in text(sentence) and "batas bawah menganggap setiap personel bebas" in sentence
        assert 'href="#duty-short-why"' in sentence


def test_the_english_plan_page_speaks_english_of_the_pattern_and_the_parts(plan):
    client = client_for("commander")
    client.cookies["django_language"] = "en"
    html = page(client, f"/plans/{plan.pk}/")
    facts = text(part(r'<dl class="facts">(.*?)</dl>', html))
    assert " · pattern " in facts and " pola " not in facts
    said = text(part(r'<span id="optimality">(.*?)</span>', html))
    assert said.startswith("the vote's posts proven optimal; whole operation at most ")
    assert list(technical(html))[:2] == ["objective value, the vote's posts", "proven lower bound, the vote's posts"]


# ---------------------------------------------------------------- the strength advice, console and CLI


def test_the_advice_says_no_post_at_the_vote_as_the_cli_does(as_commander, plan):
    from siaga.cli import ADVICE

    strength = {"idle": {"POLRI": 86}, "uniform": True, "reinforce_sangat_rawan": 2, "sangat_rawan_posts": 12}
    Plan.objects.filter(pk=plan.pk).update(extra={**plan.extra, "strength": strength})
    html = text(part(r'<p id="strength-text">(.*?)</p>', page(as_commander, f"/plans/{plan.pk}/")))
    words = "Polri tidak ditempatkan di pos pemungutan suara (mereka dapat memegang tugas tahapan lain)."
    assert f"sementara 86 {words}" in html and words in ADVICE[0]
    assert "tidak mendapat tugas" not in html


# ---------------------------------------------------------------- the audit in the user's words


def audit(client: Client, action: str) -> str:
    return page(client, f"/audit/?action={action}")


def test_the_audit_names_a_desas_linmas_and_a_unit_not_their_codes(as_commander, operation, plan):
    from siaga.field.services.apel import DESA_GROUP, check_in_unit

    assert DESA_GROUP == "desa:"  # the audit's reading knows the apel's roll-call group by this prefix
    planner = get_user_model().objects.get(username="planner")
    linmas = plan.operation.personnel.filter(force="LINMAS", code__in=plan.assignments.values("person_code"))
    desa = linmas.order_by("code").values_list("desa_code", flat=True).first()
    unit_code, unit = plan.operation.units.filter(
        code__in=plan.operation.personnel.filter(code__in=plan.assignments.values("person_code")).values("unit_code")
    ).values_list("code", "name")[0]
    check_in_unit(plan, planner, DESA_GROUP + desa, "words-agree-1")
    check_in_unit(plan, planner, unit_code, "words-agree-2")
    name = operation.regions.get(code=desa).name
    html = audit(as_commander, "check_in_unit")
    shown = text(html)
    assert f"Satuan hadir di apel Linmas Desa {name}" in shown  # the record: the desa's Linmas, not the desa
    assert f"satuan Linmas Desa {name}" in shown and f"satuan {unit}" in shown
    assert DESA_GROUP not in shown and f" {unit_code} " not in f" {shown} "
    assert findings(html, "id") == []


def test_the_audit_names_settings_figures_and_times_as_the_console_does(as_commander, operation, plan):
    started = {"plan": plan.pk, "newcomers": False}
    record(None, "start_replan", "plan_job", "1", operation_id=operation.pk, after=started)
    record(None, "replan_done", "plan", str(plan.pk), operation_id=operation.pk, after={"summary": plan.summary})
    after = {"name": "Mustofa", "signed_at": "2024-02-13T01:35:56.806709+00:00"}
    record(None, "category_signoff", "plan", str(plan.pk), operation_id=operation.pk, after=after)
    shown = text(audit(as_commander, "start_replan"))
    assert "mengisi dari luar apel tidak" in shown and "newcomers" not in shown
    done = text(audit(as_commander, "replan_done"))
    assert "nilai tujuan pos pemungutan suara" in done and "batas bawah terbukti pos pemungutan suara" in done
    signed = text(audit(as_commander, "category_signoff"))
    assert "disahkan pada 13 Feb 2024 08:35" in signed and "2024-02-13T" not in signed


def test_the_audit_names_an_apel_by_its_stage(as_commander, operation, plan):
    from siaga.field.services.apel import apels
    from siaga.operations.services import operation_stages

    stages = [
        {"name": s.name, "kind": s.kind.value, "start": s.start.isoformat(), "end": s.end.isoformat()}
        for s in operation_stages(operation)[0]
    ]
    first = min(s["start"] for s in stages)
    gelar = {"name": "Apel gelar pasukan Polres", "kind": "APEL_GELAR", "start": first, "end": first}
    operation.config = {**operation.config, "stages": [*stages, gelar]}
    operation.save(update_fields=["config"])
    key = next(a.key for a in apels(operation) if a.key)
    person = plan.assignments.order_by("id").values_list("person_code", flat=True)[0]
    record(None, "check_in", "person", person, operation_id=operation.pk, after={"person": person, "apel": key})
    shown = text(audit(as_commander, "check_in"))
    assert "apel Apel gelar pasukan Polres" in shown and key not in shown
