"""Pins from the plan page (issue 11 item 4), the strength advice (item 8) and the Linmas
coordination list for the KPU/PPS (item 5), on the demo operation. A pin is written on the
person's row and kept by every later plan and re-plan; the plan page and the diff report
whether it held. Only the roles that edit plans may pin or accept the advice."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from siaga.audit.models import AuditEntry
from siaga.operations.models import Operation, Person
from siaga.plans.models import Plan, PlanJob
from siaga.plans.names import post_labels
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, client_for


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.SIAGA_JOBS_INLINE = True


def latest(operation: Operation) -> Plan:
    return operation.plans.order_by("-version").first()


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def section(html: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]* id="{element_id}".*?</\1>', html, re.S)
    assert found, element_id
    return found.group(0)


def on_tps_posts(plan: Plan, slot: str = "POLRI") -> list[dict[str, Any]]:
    kinds = {p["id"]: p["kind"] for p in plan_file(plan)["posts"]}
    return [a for a in plan_file(plan)["assignments"] if a["slot"] == slot and kinds[a["post"]] == "TPS"]


def idle_polri(operation: Operation, plan: Plan) -> Person:
    """A Polri of the field strength (no position) with no post in `plan`."""
    placed = set(plan.assignments.values_list("person_code", flat=True))
    people = operation.personnel.filter(force="POLRI", position="", available=True).exclude(code__in=placed)
    return people.order_by("code").first()


def pin(client: Client, plan: Plan, person: str, choice: str, reason: str = "Keputusan Kabag Ops", post: str = ""):
    data = {"pin-person": person, "pin-choice": choice, "pin-reason": reason, "pin-post": post}
    return client.post(f"/plans/{plan.pk}/pin/", data, follow=True)


def said(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def pin_line(plan: Plan, person: str) -> dict[str, Any]:
    return next(line for line in plan.extra.get("pins", []) if line["person"] == person)


# ---------------------------------------------------------------- pinning from the plan page


def test_it_pins_a_person_not_deployed_and_the_absentee_replan_keeps_it(as_planner, operation, plan):
    kept_off, absent = (a["person"] for a in on_tps_posts(plan)[:2])
    response = pin(as_planner, plan, kept_off, "TIDAK", "Sakit, surat dokter")
    assert response.redirect_chain[-1][0] == f"/plans/{plan.pk}/#pins"
    assert "Perencanaan berikutnya dan setiap susun ulang mempertahankannya" in said(response)
    person = operation.personnel.get(code=kept_off)
    assert (person.pinned_post, person.pin_reason) == ("TIDAK", "Sakit, surat dokter")
    entry = AuditEntry.objects.get(action="pin", object_id=kept_off, username="planner")
    assert entry.before["pinned_post"] == "" and entry.after == {
        "pinned_post": "TIDAK",
        "pin_reason": "Sakit, surat dokter",
    }
    listed = section(page(as_planner, f"/plans/{plan.pk}/"), "pin-list")
    assert person.name in listed and "tidak diturunkan" in listed and "berlaku pada perencanaan" in listed

    as_planner.post(f"/plans/{plan.pk}/replan/", {"absent": absent, "categories": ""})
    new = latest(operation)
    assert new.version == plan.version + 1 and new.violations == []
    assert kept_off not in {a["person"] for a in plan_file(new)["assignments"]}
    line = pin_line(new, kept_off)
    assert (line["kind"], line["held"], line["reason"]) == ("NOT_DEPLOYED", True, "Sakit, surat dokter")
    listed = section(page(as_planner, f"/plans/{new.pk}/"), "pin-list")
    assert person.name in listed and person.rank in listed and "Sakit, surat dokter" in listed
    assert "tidak diturunkan" in listed and ">berlaku<" in listed


def test_it_pins_to_the_current_post_and_to_a_named_post_and_a_new_plan_keeps_both(as_planner, operation, plan):
    stays = on_tps_posts(plan)[0]
    newcomer = idle_polri(operation, plan)
    target = on_tps_posts(plan)[-1]["post"]
    assert "Pin disimpan" in said(pin(as_planner, plan, stays["person"], "POS", "Paham medan"))
    assert "Pin disimpan" in said(pin(as_planner, plan, newcomer.code, "POS", "Permintaan Kapolres", post=target))
    assert operation.personnel.get(code=stays["person"]).pinned_post == stays["post"]

    as_planner.post(f"/plans/ops/{operation.pk}/start/")
    new = latest(operation)
    where = {a["person"]: a["post"] for a in plan_file(new)["assignments"]}
    assert where[stays["person"]] == stays["post"] and where[newcomer.code] == target
    assert pin_line(new, newcomer.code)["held"] and pin_line(new, newcomer.code)["post"] == target
    listed = section(page(as_planner, f"/plans/{new.pk}/"), "pin-list")
    assert f"berlaku di {post_labels(new, [target], 'id')[target]}" in listed and newcomer.name in listed


def test_it_reports_a_pin_that_can_no_longer_hold(as_planner, operation, plan):
    person = on_tps_posts(plan)[0]
    pin(as_planner, plan, person["person"], "POS", "Paham medan")
    as_planner.post(f"/plans/{plan.pk}/replan/", {"absent": person["person"], "categories": ""})
    new = latest(operation)
    line = pin_line(new, person["person"])
    assert (line["held"], line["problem"]) == (False, "absent")
    listed = section(page(as_planner, f"/plans/{new.pk}/"), "pin-list")
    assert "tidak berlaku: berhalangan/absen" in listed


def test_it_unpins_for_the_next_plan(as_planner, operation, plan):
    person = on_tps_posts(plan)[0]["person"]
    pin(as_planner, plan, person, "STAF", "Staf Posko")
    response = as_planner.post(f"/plans/{plan.pk}/unpin/", {"person": person}, follow=True)
    assert "dilepas" in said(response)
    assert operation.personnel.filter(code=person, pinned_post="", pin_reason="").exists()
    assert AuditEntry.objects.filter(action="unpin", object_id=person, username="planner").exists()
    assert 'id="no-pins"' in page(as_planner, f"/plans/{plan.pk}/")


@pytest.mark.parametrize(
    ("choice", "reason", "post", "told"),
    [
        ("TIDAK", "  ", "", "Alasan"),
        ("POS", "Paham medan", "TPS-TIDAK-ADA", "Pos TPS-TIDAK-ADA tidak ada dalam versi ini"),
        ("SEMBARANG", "Paham medan", "", "Keputusan"),
    ],
)
def test_it_refuses_a_pin_it_cannot_read(as_planner, operation, plan, choice, reason, post, told):
    person = on_tps_posts(plan)[0]["person"]
    response = pin(as_planner, plan, person, choice, reason, post)
    assert told in said(response)
    assert operation.personnel.get(code=person).pinned_post == ""


def test_it_refuses_pinning_to_the_current_post_someone_without_one(as_planner, operation, plan):
    idle = idle_polri(operation, plan)
    response = pin(as_planner, plan, idle.code, "POS", "Paham medan")
    assert "tidak bertugas di pos mana pun pada versi ini" in said(response)
    assert operation.personnel.get(code=idle.code).pinned_post == ""


def test_it_refuses_a_linmas_pinned_outside_their_desa(as_planner, operation, plan):
    desa_of = {p["id"]: p["desa_code"] for p in plan_file(plan)["posts"]}
    linmas = on_tps_posts(plan, "LINMAS")[0]
    elsewhere = next(p for p, desa in desa_of.items() if desa and desa != desa_of[linmas["post"]])
    response = pin(as_planner, plan, linmas["person"], "POS", "Paham medan", post=elsewhere)
    assert "Linmas hanya bertugas di desanya sendiri" in said(response)


def test_it_refuses_to_pin_a_kapolsek_to_a_post_and_says_why(as_planner, operation, plan):
    kapolsek = operation.personnel.filter(position__startswith="Kapolsek").first()
    target = on_tps_posts(plan)[0]["post"]
    response = pin(as_planner, plan, kapolsek.code, "POS", "Paham medan", post=target)
    assert "komando/staf operasi dan tidak ditempatkan di pos" in said(response)
    assert operation.personnel.get(code=kapolsek.code).pinned_post == ""
    assert "Pin disimpan" in said(pin(as_planner, plan, kapolsek.code, "STAF", "Padal kecamatan"))


@pytest.mark.parametrize("persona", ["sector", "field_officer", "commander", "viewer"])
def test_it_refuses_pins_to_those_who_do_not_edit_plans(persona, operation, plan):
    person = on_tps_posts(plan)[0]["person"]
    client = client_for(persona)
    for url, data in (
        (f"/plans/{plan.pk}/pin/", {"pin-person": person, "pin-choice": "STAF", "pin-reason": "x"}),
        (f"/plans/{plan.pk}/unpin/", {"person": person}),
    ):
        refused = client.post(url, data)
        assert refused.status_code == 403
        assert "Anda tidak berwenang melakukan ini" in refused.content.decode()
    assert operation.personnel.get(code=person).pinned_post == ""
    assert not AuditEntry.objects.filter(action__in=("pin", "unpin")).exists()


def test_it_hides_the_pin_buttons_from_a_sector_chief_but_shows_their_pins(as_planner, as_sector, operation, plan):
    kecamatan = {p["id"]: p["kecamatan_code"] for p in plan_file(plan)["posts"]}
    mine = next(a for a in on_tps_posts(plan) if kecamatan[a["post"]] == SECTOR)
    theirs = next(a for a in on_tps_posts(plan) if kecamatan[a["post"]] == OTHER_SECTOR)
    pin(as_planner, plan, mine["person"], "POS", "Paham medan")
    pin(as_planner, plan, theirs["person"], "POS", "Paham medan")
    html = page(as_sector, f"/plans/{plan.pk}/")
    assert 'id="pin-form"' not in html and "Lepas pin" not in html and "/pin/" not in html
    listed = section(html, "pin-list")
    assert mine["person"] in listed and theirs["person"] not in listed


def test_it_shows_a_pps_roster_line_as_sk_pps(as_planner, operation, plan):
    linmas = on_tps_posts(plan, "LINMAS")[0]
    tps = next(p["tps"][0] for p in plan_file(plan)["posts"] if p["id"] == linmas["post"])
    roster = [
        {"person": linmas["person"], "pin": tps, "kind": "ROSTER", "reason": "", "held": True, "post": linmas["post"]}
    ]
    Plan.objects.filter(pk=plan.pk).update(extra={**plan.extra, "pins": roster})
    listed = section(page(as_planner, f"/plans/{plan.pk}/"), "pps-roster")
    assert f"SK PPS: TPS {tps}" in listed and "1 berlaku, 0 tidak berlaku" in listed


# ---------------------------------------------------------------- the diff


def test_it_shows_pins_added_and_stopped_in_the_diff(as_planner, operation, plan):
    staff, stays = (a["person"] for a in on_tps_posts(plan)[:2])
    pin(as_planner, plan, staff, "STAF", "Staf Posko")
    pin(as_planner, plan, stays, "POS", "Paham medan")
    as_planner.post(f"/plans/{plan.pk}/replan/", {"absent": on_tps_posts(plan)[5]["person"], "categories": ""})
    second = latest(operation)
    added = section(page(as_planner, f"/plans/{plan.pk}/diff/{second.pk}/"), "pins-added")
    assert staff in added and "staf (tidak di pos)" in added and stays in added and "tanpa pin" in added

    as_planner.post(f"/plans/{second.pk}/replan/", {"absent": stays, "categories": ""})
    third = latest(operation)
    html = page(as_planner, f"/plans/{second.pk}/diff/{third.pk}/")
    stopped = section(html, "pins-stopped")
    assert stays in stopped and "tidak berlaku: berhalangan/absen" in stopped and staff not in stopped
    assert 'id="pins-added"' not in html

    as_planner.post(f"/plans/{third.pk}/unpin/", {"person": staff})
    as_planner.post(f"/plans/{third.pk}/replan/", {"absent": on_tps_posts(plan)[6]["person"], "categories": ""})
    removed = section(page(as_planner, f"/plans/{third.pk}/diff/{latest(operation).pk}/"), "pins-removed")
    assert staff in removed


# ---------------------------------------------------------------- strength advice


STRENGTH = {
    "idle": {"POLRI": 106, "TNI": 40, "LINMAS": 174, "BRIMOB": 0},
    "uniform": True,
    "reinforce_sangat_rawan": 2,
    "sangat_rawan_posts": 12,
    "stronger_pattern": "pemilu-2024",
}


def advised(plan: Plan, **changes: Any) -> Plan:
    Plan.objects.filter(pk=plan.pk).update(extra={**plan.extra, "strength": {**STRENGTH, **changes}})
    plan.refresh_from_db()
    return plan


def test_it_says_when_the_pattern_ignores_vulnerability_while_polri_stay_idle(as_planner, plan):
    advised(plan)
    html = section(page(as_planner, f"/plans/{plan.pk}/"), "strength")
    assert (
        "Pola memberi kekuatan yang sama untuk semua kategori, sementara 106 Polri tidak ditempatkan di pos"
        " pemungutan suara (mereka dapat memegang tugas tahapan lain)" in html
    )
    assert "Perkuat TPS sangat rawan: +2 Polri per pos" in html and "pemilu-2024" in html
    assert "(12 pos)" in html and "24 Polri" in html


def test_it_gives_no_advice_when_the_pattern_tells_categories_apart(as_planner, plan):
    advised(plan, uniform=False)
    assert 'id="strength"' not in page(as_planner, f"/plans/{plan.pk}/")


def test_it_reinforces_sangat_rawan_posts_and_plans_again(as_planner, operation, plan):
    advised(plan)
    response = as_planner.post(f"/plans/{plan.pk}/reinforce/", {"per_post": "2"})
    job = PlanJob.objects.get(operation=operation, kind="plan")
    assert response.headers["Location"] == f"/plans/jobs/{job.pk}/"
    assert job.params == {"reinforce_sangat_rawan": 2} and job.status == PlanJob.Status.DONE
    operation.refresh_from_db()
    assert operation.config["reinforce_sangat_rawan"] == 2
    entry = AuditEntry.objects.get(action="edit", object_type="operation", username="planner")
    assert entry.before == {"reinforce_sangat_rawan": 0} and entry.after == {"reinforce_sangat_rawan": 2}
    new = latest(operation)
    assert new.version == plan.version + 1 and new.note == "Perencanaan: +2 Polri per pos TPS sangat rawan"


@pytest.mark.parametrize("persona", ["sector", "commander", "viewer"])
def test_it_refuses_the_reinforcement_to_those_who_do_not_plan(persona, operation, plan):
    advised(plan)
    client = client_for(persona)
    html = page(client, f"/plans/{plan.pk}/")
    assert 'id="reinforce-confirm"' not in html and "/reinforce/" not in html
    refused = client.post(f"/plans/{plan.pk}/reinforce/", {"per_post": "2"})
    assert refused.status_code == 403 and "Anda tidak berwenang melakukan ini" in refused.content.decode()
    operation.refresh_from_db()
    assert operation.config.get("reinforce_sangat_rawan", 0) == 0
    assert not PlanJob.objects.filter(operation=operation).exists()


def test_it_refuses_a_reinforcement_out_of_bounds(as_planner, operation, plan):
    advised(plan)
    response = as_planner.post(f"/plans/{plan.pk}/reinforce/", {"per_post": "0"}, follow=True)
    assert "Tambahan Polri per pos" in said(response)
    assert not PlanJob.objects.filter(operation=operation).exists()


# ---------------------------------------------------------------- Linmas coordination (KPU/PPS)


def coordination(plan: Plan) -> tuple[Plan, dict[str, Any]]:
    post = next(p for p in plan_file(plan)["posts"] if p["kind"] == "TPS" and p["kecamatan_code"] == SECTOR)
    line = {"post": post["id"], "desa_code": post["desa_code"], "tps": post["tps"], "needed": 2, "named": 1}
    Plan.objects.filter(pk=plan.pk).update(extra={**plan.extra, "linmas_coordination": [line]})
    plan.refresh_from_db()
    return plan, post


def test_it_lists_the_linmas_the_pps_decree_lacks_apart_from_the_shortfall(as_planner, operation, plan):
    plan, post = coordination(plan)
    html = page(as_planner, f"/plans/{plan.pk}/")
    listed = section(html, "linmas-coordination")
    desa = operation.regions.get(code=post["desa_code"]).name
    assert "Koordinasi KPU/PPS: Linmas TPS yang belum lengkap" in listed
    assert desa in listed and post["tps"][0] in listed and "bukan kekurangan personel Polres" in listed
    assert 'id="shortfall"' not in html  # the demo's Polres has no shortfall


def test_it_shows_a_sector_chief_only_their_coordination_lines(as_sector, plan):
    plan, _ = coordination(plan)
    assert 'id="linmas-coordination"' in page(as_sector, f"/plans/{plan.pk}/")
    assert 'id="linmas-coordination"' not in page(client_for("other_sector"), f"/plans/{plan.pk}/")


def test_it_leaves_missing_pps_linmas_out_of_the_polres_shortfall(as_planner, plan):
    plan, post = coordination(plan)
    row = plan.posts.get(code=post["id"])
    plan.unfilled.create(post=row, slot="LINMAS", count=1)
    html = page(as_planner, f"/plans/{plan.pk}/")
    assert 'id="shortfall"' not in html and 'id="linmas-coordination"' in html


def test_it_offers_the_planners_own_advice_and_the_new_plan_is_stronger(as_planner, operation, plan):
    advice = plan.extra["strength"]  # the demo's pattern gives every category 1 Polri per TPS
    per_post, idle = advice["reinforce_sangat_rawan"], advice["idle"]["POLRI"]
    html = section(page(as_planner, f"/plans/{plan.pk}/"), "strength")
    assert f"sementara {idle} Polri tidak ditempatkan di pos pemungutan suara" in html
    assert f"Perkuat TPS sangat rawan: +{per_post} Polri per pos" in html

    as_planner.post(f"/plans/{plan.pk}/reinforce/", {"per_post": str(per_post)})
    new = latest(operation)

    def polri_on_reinforced_posts(version: Plan) -> tuple[int, int]:
        posts = [
            p for p in plan_file(version)["posts"] if p["kind"] == "TPS" and p["category"] in ("SANGAT_RAWAN", "KHUSUS")
        ]
        return len(posts), sum(p["required"].get("POLRI", 0) for p in posts)

    count, before = polri_on_reinforced_posts(plan)
    assert count == advice["sangat_rawan_posts"]
    assert polri_on_reinforced_posts(new) == (count, before + per_post * count)
    assert new.violations == [] and new.summary["idle"] < plan.summary["idle"]


def test_it_names_a_balai_desa_pin_by_its_desa(as_planner, operation, plan):
    guard = next(a for a in plan_file(plan)["assignments"] if a["post"].startswith("VILLAGE-") and a["slot"] == "POLRI")
    response = pin(as_planner, plan, guard["person"], "POS", "Jaga balai desa")
    desa = operation.regions.get(code=guard["post"].removeprefix("VILLAGE-")).name
    assert f"balai desa {desa}" in said(response)
    assert f"balai desa {desa}" in section(page(as_planner, f"/plans/{plan.pk}/"), "pin-list")


def test_it_shows_the_pin_on_the_personnel_list(as_planner, operation, plan):
    person = on_tps_posts(plan)[0]["person"]
    pin(as_planner, plan, person, "STAF", "Staf Posko")
    html = page(as_planner, f"/ops/{operation.pk}/personnel/?q={person}")
    assert 'title="Staf Posko">pin: staf (tidak di pos) (Staf Posko)</span>' in html


def test_it_lists_the_real_planners_coordination_list_under_a_pemilu_preset(as_planner, db):
    """The demo under the pemilu-2024 preset, with a PPS decree naming one Linmas at each TPS of
    one desa: the planner puts the TNI on standby posts and reports every TPS short of its
    two decree Linmas to the KPU/PPS, not in the Polres's shortfall."""
    from dataclasses import replace

    from siaga.core.data import demo
    from siaga.core.planning.engine import plan_all
    from siaga.operations.services import import_scenario, scenario_for
    from siaga.plans.store import save_plan

    scenario = demo.pasuruan_kota()
    desa = scenario.tps[0].desa_code
    tps_of_desa = [t.id for t in scenario.tps if t.desa_code == desa]
    linmas = [p for p in scenario.personnel if p.force.value == "LINMAS" and p.desa_code == desa]
    named = {p.id: t for p, t in zip(linmas, tps_of_desa, strict=False)}
    people = tuple(replace(p, tps_id=named[p.id]) if p.id in named else p for p in scenario.personnel)
    scenario = replace(scenario, operation=replace(scenario.operation, name="Pemilu uji", pattern="pemilu-2024"))
    operation = import_scenario(replace(scenario, personnel=people), "pemilu.xlsx")
    stored = scenario_for(operation)
    plan = save_plan(operation, plan_all(stored), stored, None)
    assert plan.extra["linmas_coordination"]

    html = page(as_planner, f"/plans/{plan.pk}/")
    listed = section(html, "linmas-coordination")
    assert tps_of_desa[0] in listed and operation.regions.get(code=desa).name in listed
    assert "pos siaga TNI" in html
    shortfall = section(html, "shortfall") if 'id="shortfall"' in html else ""
    assert "LINMAS" not in shortfall
