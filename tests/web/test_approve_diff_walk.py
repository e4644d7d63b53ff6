"""A commander's and a planner's walk through a re-plan made after an apel (issue: role walk,
approve/diff): the approval's and the sign-off's confirmation boxes name the empty places (by
category, the vulnerable posts by name, beyond the TPS) and the moves against the version
replaced; the version list explains its objective value; the version comparison explains a
jump of the objective (empty places' cost) and counts no move where only a post's category
changed; a Linmas's NIK is masked there."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from siaga.core.data import linmas
from siaga.core.data.model import Category
from siaga.core.planning import engine
from siaga.operations.services import scenario_for
from siaga.plans import compare
from siaga.plans.models import Plan, PlanAssignment, PlanPost
from siaga.plans.services import carry_signoff, sign_off, signers
from siaga.plans.store import core_plan, save_plan
from tests.web.conftest import client_for

KRATON = "35.14.16"


def replanned(parent: Plan, absent: list[str], categories: dict[str, str], newcomers: bool = True) -> Plan:
    """A re-plan of `parent` as the job makes it (services.run_job), by the planner."""
    operation = parent.operation
    scenario = scenario_for(operation)
    changes = {k: Category(v) for k, v in categories.items()}
    result = engine.replan_all(scenario, core_plan(parent), absent, changes, newcomers=newcomers)
    planner = get_user_model().objects.get(username="planner")
    saved = save_plan(operation, result, scenario, planner, parent, "Susun ulang")
    carry_signoff(saved, parent)
    return saved


def text(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def part(element_id: str, html: str) -> str:
    found = re.search(rf'id="{element_id}"(.*?)</(?:div|p|details|li)>', html, re.S)
    assert found is not None, element_id
    return text(found.group(1))


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def versions(plan: Plan) -> tuple[Plan, Plan, Plan]:
    """v1 (the demo's), v2: one Polri and one Linmas absent and a Kurang rawan TPS of a post
    holding Linmas made Rawan (its post made anew under the same name), v3: the apel's
    re-plan of v2 with 20 Polri of Polsek Kraton's kecamatan absent (only those at the apel)."""
    polri = PlanAssignment.objects.filter(plan=plan, slot="POLRI", post__kind="TPS").order_by("id").first()
    post = (
        PlanPost.objects.filter(plan=plan, kind="TPS", category="KURANG_RAWAN", assignments__slot="LINMAS")
        .exclude(assignments__person_code=polri.person_code)
        .order_by("id")
        .first()
    )
    linmas = PlanAssignment.objects.filter(plan=plan, slot="LINMAS").exclude(post=post).order_by("id").first()
    tps = plan.tps_rows.filter(post=post).order_by("id").first().tps_code
    v2 = replanned(plan, [polri.person_code, linmas.person_code], {tps: "RAWAN"})
    kraton = (
        PlanAssignment.objects.filter(plan=v2, slot="POLRI", post__kecamatan_code=KRATON)
        .order_by("person_code")
        .values_list("person_code", flat=True)
    )
    v3 = replanned(v2, list(kraton[:20]), {}, newcomers=False)
    assert v3.summary["unfilled"] > 0  # the apel's absentees leave places empty
    return plan, v2, v3


def test_the_approval_box_names_the_empty_places_and_the_moves(versions):
    _v1, v2, v3 = versions
    commander = get_user_model().objects.get(username="commander")
    sign_off(v3, signers(v3.operation)[0].code, commander)
    html = page(client_for("commander"), f"/plans/{v3.pk}/")
    box = re.search(r'id="approve-box"(.*?)</details>', html, re.S)
    assert box is not None
    said = text(box.group(1))
    assert "Setujui rencana versi 3?" in said
    assert f"{v3.summary['unfilled']} slot kosong di pos pemungutan suara" in said
    named = compare.empty_posts(v3)
    for post in named["posts"]:  # the vulnerable posts left short, by name, with what they hold
        slot = post["slots"][0]
        assert post["name"] in said and f"{slot['filled']}/{slot['needed']}" in said
    if named["more"]:
        assert f"dan {named['more']} lainnya" in said
    moves = compare.moves(v3)
    assert moves is not None
    assert (
        f"Dibanding versi 2 yang digantikannya: {moves['moved']} personel pindah atau mengisi pos, "
        f"{moves['left']} keluar dari pos, {moves['kept']} tetap di tempatnya." in said
    )
    assert f"/plans/{v2.pk}/diff/{v3.pk}/" in box.group(1)
    duties = v3.extra.get("roster")
    if duties:
        assert "di luar TPS" in said
    # in English, the same box in English words
    english = client_for("commander")
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    said_en = text(re.search(r'id="approve-box"(.*?)</details>', page(english, f"/plans/{v3.pk}/"), re.S).group(1))
    assert "Before you decide, check" in said_en and "Against version 2, which it replaces" in said_en
    assert "Sebelum memutuskan" not in said_en


def test_the_sign_off_box_names_them_too(versions):
    _v1, v2, _v3 = versions
    html = page(client_for("commander"), f"/plans/{v2.pk}/")
    assert 'id="signoff-decision"' in html  # v2's categories changed: not signed, the box asks
    said = part("signoff-decision", html)
    assert "Sebelum memutuskan, periksa" in said
    # the planner may not approve: no decision box for him
    assert 'id="signoff-decision"' not in page(client_for("planner"), f"/plans/{v2.pk}/")


def test_a_post_renamed_by_its_category_is_no_move(versions):
    v1, v2, _v3 = versions
    moves = compare.moves(v2)
    assert moves is not None and moves["relabelled"] > 0  # the Linmas of the TPS made Rawan stayed
    planner_said = v2.extra["replan"]
    assert planner_said["moved"] == moves["moved"] + moves["relabelled"]  # the plan file keeps its own count
    assert planner_said["kept"] == moves["kept"] - moves["relabelled"]
    html = page(client_for("commander"), f"/plans/{v2.pk}/")
    assert f"{moves['moved']} personel pindah atau mengisi pos" in part("replan-info", html)

    diff = page(client_for("commander"), f"/plans/{v1.pk}/diff/{v2.pk}/")
    heading = re.search(r"<h2>(\d+) personel berubah tempat</h2>", diff)
    assert heading is not None
    rows = re.findall(r"<tr><td>[^<]*</td><td><code>", diff.split('id="moved"')[1].split("</table>")[0])
    assert int(heading.group(1)) == len(rows) == moves["moved"] + moves["left"]
    assert f"{moves['relabelled']} personel tetap di pos dan slotnya" in part("moved-relabelled", diff)


def test_the_comparison_masks_a_linmas_nik(versions):
    v1, v2, _v3 = versions
    diff = page(client_for("commander"), f"/plans/{v1.pk}/diff/{v2.pk}/")
    niks = set(PlanAssignment.objects.filter(plan=v1, slot="LINMAS").values_list("person_code", flat=True))
    assert not [nik for nik in niks if nik in diff]
    gone = next(nik for nik in v2.extra["replan"]["absent"] if nik in niks)
    assert f"<code>••••{gone[-4:]}</code>" in diff  # the absent Linmas's row, his NIK masked
    assert linmas.shown("3514160807789854", "") == "••••9854"  # no longer in the data
    assert linmas.shown("70089075", "POLRI") == "70089075"


def test_the_comparison_explains_a_jump_of_the_objective(versions):
    v1, _v2, v3 = versions
    for plan in versions:  # the parts make the whole objective
        parts = compare.objective_parts(plan)
        made = parts["vote_km"] + parts["vote_penalty"] + parts["duty_penalty"] + parts["duty_km"]
        assert made == pytest.approx(parts["whole_objective"], abs=0.01)
    diff = page(client_for("commander"), f"/plans/{v1.pk}/diff/{v3.pk}/")
    cause = part("objective-cause", diff)
    empty = v3.summary["unfilled"]
    assert f"terutama karena slot kosong di pos pemungutan suara: 0 menjadi {empty}" in cause
    assert "10.000 untuk setiap tempat kosong" in part("objective-why", diff)
    assert 'id="part-duty_penalty"' in diff and 'id="part-vote_penalty"' in diff
    # a sector chief reads his kecamatan's figures: no Polres objective to explain
    assert 'id="objective-why"' not in page(client_for("sector"), f"/plans/{v1.pk}/diff/{v3.pk}/")


def test_the_version_list_says_what_its_objective_holds(versions, operation):
    _v1, _v2, v3 = versions
    html = page(client_for("planner"), f"/plans/ops/{operation.pk}/")
    assert "jarak tempuh (km) ditambah 10.000 untuk setiap slot kosong" in part("objective-legend", html)
    row = re.search(rf'<tr id="plan-{v3.version}">(.*?)</tr>', html, re.S)
    assert row is not None
    penalty = v3.summary["objective"] - v3.summary["cost_km"]
    assert f"termasuk {round(penalty):,}".replace(",", ".") + " untuk slot kosong" in text(row.group(1))
    assert 'id="objective-legend"' not in page(client_for("sector"), f"/plans/ops/{operation.pk}/")
