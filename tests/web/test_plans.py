"""Plan pages: planning in the background, the plan with its checker verdict and who stands
where, hand edits, re-planning, approval and publication, versions compared, the plan file.
Each persona gets what their role allows and is refused the rest."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from siaga.audit.models import AuditEntry
from siaga.operations.models import Operation
from siaga.plans.models import Plan, PlanJob
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, client_for, copy_plan

CONFIRM = {"confirm": "yes"}  # the confirmation box's field; without it a decision is refused
POST_ROW = re.compile(r'<tr id="((?:TPS|VILLAGE|RESERVE|STANDBY|PATROL)-[^"]+)"')


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.SIAGA_JOBS_INLINE = True


def latest(operation: Operation) -> Plan:
    return operation.plans.order_by("-version").first()


def assigned(plan: Plan, slot: str, kind: str = "TPS") -> list[dict[str, Any]]:
    kinds = {p["id"]: p["kind"] for p in plan_file(plan)["posts"]}
    return [a for a in plan_file(plan)["assignments"] if a["slot"] == slot and kinds[a["post"]] == kind]


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def messages_after(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# ---------------------------------------------------------------- planning


def test_it_plans_in_the_background_and_opens_the_new_version(as_planner, operation, plan):
    started = as_planner.post(f"/plans/ops/{operation.pk}/start/")
    job = PlanJob.objects.get(operation=operation)
    assert started.status_code == 302 and started.headers["Location"] == f"/plans/jobs/{job.pk}/"
    status = page(as_planner, started.headers["Location"])
    assert "Selesai" in status and 'value="100"' in status
    new = latest(operation)
    assert new.version == plan.version + 1 and new.author.username == "planner"
    polled = as_planner.get(f"/plans/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert polled.headers["HX-Redirect"] == f"/plans/{new.pk}/"
    assert "Pemeriksa independen: rencana sah" in page(as_planner, f"/plans/{new.pk}/")


def test_it_polls_a_running_job_with_a_fragment(as_planner, operation):
    job = PlanJob.objects.create(operation=operation, status=PlanJob.Status.RUNNING, progress=40, message="Polres 1/2")
    fragment = as_planner.get(f"/plans/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment and "Polres 1/2" in fragment
    assert "<html" not in fragment and "HX-Redirect" not in as_planner.get(f"/plans/jobs/{job.pk}/").headers


def test_it_refuses_a_viewer_starting_a_plan(as_viewer, operation):
    assert as_viewer.post(f"/plans/ops/{operation.pk}/start/").status_code == 403
    assert not PlanJob.objects.filter(operation=operation).exists()
    assert "start-plan" not in page(as_viewer, f"/plans/ops/{operation.pk}/")


def test_it_lists_the_versions_with_their_figures(as_planner, operation, plan):
    html = page(as_planner, f"/plans/ops/{operation.pk}/")
    assert 'id="plan-1"' in html and "start-plan" in html and "demo" in html and "sah" in html


# ---------------------------------------------------------------- the plan page


def test_it_shows_the_planner_every_post_of_the_demo(as_planner, plan):
    html = page(as_planner, f"/plans/{plan.pk}/")
    shown = POST_ROW.findall(html)
    assert len(shown) == 176 and set(shown) == {p["id"] for p in plan_file(plan)["posts"]}
    assert "reassign-form" in html and "replan-form" in html and 'id="approve"' not in html


def test_it_shows_a_sector_chief_only_their_kecamatan(as_sector, plan):
    html = page(as_sector, f"/plans/{plan.pk}/")
    mine = {p["id"] for p in plan_file(plan)["posts"] if p["kecamatan_code"] == SECTOR}
    theirs = [p["id"] for p in plan_file(plan)["posts"] if p["kecamatan_code"] == OTHER_SECTOR]
    assert set(POST_ROW.findall(html)) == mine and theirs
    assert not [post for post in theirs if post in html]
    assert "reassign-form" not in html and "download" not in html


def test_it_names_the_people_at_each_post(as_commander, operation, plan):
    first = plan_file(plan)["assignments"][0]
    person = operation.personnel.get(code=first["person"])
    html = page(as_commander, f"/plans/{plan.pk}/")
    assert f"{person.name} <code>{person.code}</code>" in html
    assert AuditEntry.objects.filter(action="read_roster", object_id=str(plan.pk), username="commander").exists()


# ---------------------------------------------------------------- hand edits


def test_it_reassigns_by_hand_into_a_new_checked_version(as_planner, operation, plan):
    person = assigned(plan, "POLRI")[0]["person"]
    response = as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": person, "idle": "on"}, follow=True)
    new = latest(operation)
    assert new.version == plan.version + 1 and new.parent_id == plan.pk and new.status == Plan.Status.DRAFT
    assert response.redirect_chain[-1][0] == f"/plans/{new.pk}/"
    assert new.summary["objective"] != plan.summary["objective"] and new.summary["unfilled"] == 1
    assert new.violations == [] and person not in {a["person"] for a in plan_file(new)["assignments"]}
    assert AuditEntry.objects.filter(action="reassign", object_id=str(new.pk), username="planner").exists()
    assert f"Versi {new.version} dibuat" in messages_after(response)


def test_it_moves_a_person_into_an_empty_slot(as_planner, operation, plan):
    moved, vacated = assigned(plan, "POLRI")[:2]
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": vacated["person"], "idle": "on"})
    emptied = latest(operation)
    as_planner.post(f"/plans/{emptied.pk}/reassign/", {"person": moved["person"], "post": vacated["post"]})
    new = latest(operation)
    assert {"person": moved["person"], "post": vacated["post"], "slot": "POLRI"}.items() <= next(
        a for a in plan_file(new)["assignments"] if a["person"] == moved["person"]
    ).items()
    assert new.violations == []


def test_it_headlines_the_plan_in_bag_ops_terms_and_folds_the_optimisers_figures(as_planner, plan):
    html = page(as_planner, f"/plans/{plan.pk}/")
    assert 'id="tps-covered">152<' in html and "TPS terjaga sesuai pola" in html
    assert "Polri ditempatkan / dibutuhkan" in html and 'id="distance"' in html
    technical = re.search(r'<details class="technical" id="technical">(.*?)</details>', html, re.S).group(1)
    assert "pos pemungutan suara terbukti optimal" in technical and 'id="objective"' in technical


def test_it_says_how_far_from_optimal_a_hand_edited_plan_may_be(as_planner, operation, plan):
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": assigned(plan, "POLRI")[0]["person"], "idle": "on"})
    html = page(as_planner, f"/plans/{latest(operation).pk}/")
    said = re.search(r'id="optimality">(.*?)</span>', html).group(1)
    assert said.startswith("pos pemungutan suara paling jauh ") and " km dari optimal" in said
    assert re.search(r"slot kosong di pos · (Kurang rawan|Rawan|Sangat rawan|Khusus) 1(<| · )", html)


def test_it_offers_the_nearest_idle_people_for_an_empty_slot(as_planner, operation, plan):
    vacated = assigned(plan, "POLRI")[0]
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": vacated["person"], "idle": "on"})
    emptied = latest(operation)
    html = page(as_planner, f"/plans/{emptied.pk}/")
    assert "siapa bisa mengisi slot ini" in html and "/candidates/?post=" in html
    url = f"/plans/{emptied.pk}/candidates/?post={vacated['post']}&slot=POLRI"
    fragment = page(as_planner, url)
    offered = re.findall(r'data-person="([^"]+)"', fragment)
    busy = {a["person"] for a in plan_file(emptied)["assignments"]}
    assert offered and not set(offered) & busy and vacated["person"] in offered
    km = [float(x.replace(",", ".")) for x in re.findall(r"· ([\d.,]+) km</small>", fragment)]
    assert km == sorted(km)
    as_planner.post(f"/plans/{emptied.pk}/reassign/", {"person": offered[0], "post": vacated["post"], "slot": "POLRI"})
    assert latest(operation).summary["unfilled"] == 0


def test_it_refuses_the_candidates_to_a_commander(as_commander, plan):
    assert as_commander.get(f"/plans/{plan.pk}/candidates/?post=x&slot=POLRI").status_code == 403
    assert as_commander.get(f"/plans/{plan.pk}/people/?q=ab").status_code == 403


def test_it_suggests_people_by_name_or_nrp(as_planner, operation, plan):
    person = operation.personnel.get(code=assigned(plan, "POLRI")[0]["person"])
    found = as_planner.get(f"/plans/{plan.pk}/people/?q={person.name[:6]}").json()["people"]
    assert person.code in [p["value"] for p in found]
    label = next(p["label"] for p in found if p["value"] == person.code)
    assert person.name in label and "TPS" in label and "35." not in label  # its post by name, not code
    assert as_planner.get(f"/plans/{plan.pk}/people/?q={person.code[:5]}").json()["people"]


def test_it_reassigns_a_person_named_to_a_post_named(as_planner, operation, plan):
    from siaga.plans.pages import post_name_list

    names = post_name_list(plan)
    polri = assigned(plan, "POLRI")
    vacated = polri[0]
    moved, name = next(
        (a, n)
        for a in polri[1:]
        for n in [operation.personnel.get(code=a["person"]).name]
        if operation.personnel.filter(name__iexact=n).count() == 1
    )
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": vacated["person"], "idle": "on"})
    emptied = latest(operation)
    response = as_planner.post(
        f"/plans/{emptied.pk}/reassign/", {"person": name, "post": names[vacated["post"]]}, follow=True
    )
    new = latest(operation)
    assert new.pk != emptied.pk and names[vacated["post"]] in messages_after(response)
    assert next(a for a in plan_file(new)["assignments"] if a["person"] == moved["person"])["post"] == vacated["post"]


def test_it_replans_with_absentees_and_categories_picked_from_lists(as_planner, operation, plan):
    html = page(as_planner, f"/plans/{plan.pk}/")
    assert 'name="absent_pick"' in html and 'name="change_tps"' in html and ">Sangat rawan<" in html
    absent = assigned(plan, "POLRI")[0]["person"]
    tps = next(t for t, c in plan_file(plan)["tps_categories"].items() if c == "KURANG_RAWAN")
    # a TPS code as typed (spaces around it) or picked; a category without its TPS is skipped
    data = {"absent_pick": [absent, ""], "change_tps": [f" {tps} ", ""], "change_category": ["SANGAT_RAWAN", "RAWAN"]}
    as_planner.post(f"/plans/{plan.pk}/replan/", data)
    new = latest(operation)
    assert plan_file(new)["replan"]["absent"] == [absent] and plan_file(new)["tps_categories"][tps] == "SANGAT_RAWAN"


def test_it_keeps_the_replan_form_light(as_planner, operation, plan):
    """The absentees are searched, not listed; the TPS are one datalist the three fields share."""
    html = page(as_planner, f"/plans/{plan.pk}/")
    form = re.search(r'<form[^>]*id="replan-form".*?</form>', html, re.S)[0]
    search = re.search(r'<input[^>]*id="absent-pick"[^>]*>', form)[0]
    assert 'name="absent_pick"' in search and f'data-search="/plans/{plan.pk}/people/?placed=1"' in search
    assert "<optgroup" not in form  # no option per person placed
    assert len(re.findall(r'<input[^>]*name="change_tps"[^>]*list="tps-codes"', form)) == 3
    assert form.count('<datalist id="tps-codes">') == 1
    assert form.count('<option value="35.') == operation.tps_set.count()
    tps = operation.tps_set.order_by("desa_code", "number").first()
    desa = operation.regions.get(code=tps.desa_code).name
    assert f'<option value="{tps.code}">TPS {tps.number:02d} {desa}</option>' in form


def test_it_suggests_only_placed_people_as_absentees(as_planner, operation, plan):
    placed = set(plan.assignments.values_list("person_code", flat=True))
    idle = operation.personnel.exclude(code__in=placed).order_by("code").first()
    assert idle is not None  # the demo keeps people in reserve
    url = f"/plans/{plan.pk}/people/?q={idle.code}"
    assert idle.code in [p["value"] for p in as_planner.get(url).json()["people"]]  # the reassign field: everyone
    assert as_planner.get(url + "&placed=1").json()["people"] == []
    someone = operation.personnel.get(code=assigned(plan, "POLRI")[0]["person"])
    found = as_planner.get(f"/plans/{plan.pk}/people/?q={someone.name[:6]}&placed=1").json()["people"]
    assert someone.code in [p["value"] for p in found] and {p["value"] for p in found} <= placed


def test_it_refuses_a_typed_tps_that_does_not_exist_and_changes_nothing(as_planner, operation, plan):
    absent = assigned(plan, "POLRI")[0]["person"]
    data = {"absent_pick": [absent], "change_tps": ["35.99.TPS-TIDAK-ADA"], "change_category": ["SANGAT_RAWAN"]}
    response = as_planner.post(f"/plans/{plan.pk}/replan/", data, follow=True)
    assert response.redirect_chain[-1][0] == f"/plans/{plan.pk}/#replan-form"  # back to the form, as it was sent
    said = messages_after(response)
    assert "Perubahan kategori TPS: TPS 35.99.TPS-TIDAK-ADA tidak ada dalam operasi ini" in said
    assert operation.plans.count() == 1 and not PlanJob.objects.filter(operation=operation).exists()


def test_it_refuses_a_linmas_in_another_desa(as_planner, operation, plan):
    desa_of = {p["id"]: p["desa_code"] for p in plan_file(plan)["posts"]}
    linmas = assigned(plan, "LINMAS")[0]
    elsewhere = next(
        p["id"]
        for p in plan_file(plan)["posts"]
        if p["required"].get("LINMAS") and p["desa_code"] != desa_of[linmas["post"]]
    )
    response = as_planner.post(
        f"/plans/{plan.pk}/reassign/", {"person": linmas["person"], "post": elsewhere, "slot": "LINMAS"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/plans/{plan.pk}/"
    assert "Linmas hanya bertugas di desanya sendiri" in messages_after(response)
    assert operation.plans.count() == 1


def test_it_refuses_an_unknown_person(as_planner, operation, plan):
    response = as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": "00000000", "idle": "on"}, follow=True)
    assert "00000000 tidak ada" in messages_after(response) and operation.plans.count() == 1


def test_it_refuses_hand_edits_to_a_commander(as_commander, operation, plan):
    person = assigned(plan, "POLRI")[0]["person"]
    assert as_commander.post(f"/plans/{plan.pk}/reassign/", {"person": person, "idle": "on"}).status_code == 403
    assert operation.plans.count() == 1


# ---------------------------------------------------------------- approval and publication


def test_it_lets_the_commander_approve_the_planners_plan(as_commander, plan):
    assert 'id="approve"' in page(as_commander, f"/plans/{plan.pk}/")
    as_commander.post(f"/plans/{plan.pk}/approve/", CONFIRM)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED and plan.approved_by.username == "commander"
    assert AuditEntry.objects.filter(action="approved", object_id=str(plan.pk), username="commander").exists()
    assert 'id="approved-by"' in page(as_commander, f"/plans/{plan.pk}/")


def test_it_refuses_approval_to_planners(as_planner, plan):
    assert as_planner.post(f"/plans/{plan.pk}/approve/", CONFIRM).status_code == 403  # their own plan
    refused = client_for("planner2").post(f"/plans/{plan.pk}/approve/", CONFIRM)
    assert refused.status_code == 403  # no approve permission
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.approved_by is None


def test_it_refuses_an_admin_approving_their_own_plan(as_admin, operation):
    as_admin.post(f"/plans/ops/{operation.pk}/start/")
    own = latest(operation)
    assert own.author.username == "admin"
    response = as_admin.post(f"/plans/{own.pk}/approve/", CONFIRM, follow=True)
    own.refresh_from_db()
    assert own.status == Plan.Status.DRAFT and "pembuatnya sendiri" in messages_after(response)


def test_it_publishes_only_after_approval(as_commander, plan):
    refused = as_commander.post(f"/plans/{plan.pk}/publish/", CONFIRM, follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and "sudah disetujui" in messages_after(refused)
    as_commander.post(f"/plans/{plan.pk}/approve/", CONFIRM)
    as_commander.post(f"/plans/{plan.pk}/publish/", CONFIRM)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED and plan.published_at is not None


def test_it_refuses_approving_a_plan_that_breaks_the_rules(as_commander, plan):
    Plan.objects.filter(pk=plan.pk).update(violations=["[capacity] pos penuh"])
    response = as_commander.post(f"/plans/{plan.pk}/approve/", CONFIRM, follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and "melanggar aturan" in messages_after(response)


def test_it_refuses_approval_and_publication_without_the_confirmation(as_commander, plan):
    html = page(as_commander, f"/plans/{plan.pk}/")
    assert 'id="approve-box"' in html and 'name="confirm" value="yes"' in html
    refused = as_commander.post(f"/plans/{plan.pk}/approve/", follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and "konfirmasi" in messages_after(refused)
    as_commander.post(f"/plans/{plan.pk}/approve/", CONFIRM)
    refused = as_commander.post(f"/plans/{plan.pk}/publish/", follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED and "konfirmasi" in messages_after(refused)


def test_it_lets_the_commander_withdraw_an_approval_with_a_reason(as_commander, plan):
    as_commander.post(f"/plans/{plan.pk}/approve/", CONFIRM)
    assert 'id="withdraw"' in page(as_commander, f"/plans/{plan.pk}/")
    no_reason = as_commander.post(f"/plans/{plan.pk}/withdraw/", {**CONFIRM, "reason": " "}, follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED and "alasan" in messages_after(no_reason)
    as_commander.post(f"/plans/{plan.pk}/withdraw/", {**CONFIRM, "reason": "pola belum final"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.approved_by is None
    entry = AuditEntry.objects.get(action="withdraw_approval", object_id=str(plan.pk))
    assert entry.after == {"status": "draft", "reason": "pola belum final"} and entry.username == "commander"


def test_it_refuses_withdrawal_to_the_planner(as_planner, as_commander, plan):
    as_commander.post(f"/plans/{plan.pk}/approve/", CONFIRM)
    assert 'id="withdraw"' not in page(as_planner, f"/plans/{plan.pk}/")
    assert as_planner.post(f"/plans/{plan.pk}/withdraw/", {**CONFIRM, "reason": "x"}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_withdrawing_a_publication_makes_the_replaced_version_current_again(as_planner, as_commander, plan):
    for step in ("approve", "publish"):
        as_commander.post(f"/plans/{plan.pk}/{step}/", CONFIRM)
    person = assigned(plan, "POLRI")[0]["person"]
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": person, "idle": "on"})
    second = latest(plan.operation)
    for step in ("approve", "publish"):
        as_commander.post(f"/plans/{second.pk}/{step}/", CONFIRM)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUPERSEDED
    html = page(as_commander, f"/plans/{second.pk}/")
    assert "Tarik penerbitan" in html and f"versi {plan.version} yang digantikannya" in html
    as_commander.post(f"/plans/{second.pk}/withdraw/", {**CONFIRM, "reason": "salah pos"})
    plan.refresh_from_db()
    second.refresh_from_db()
    assert (second.status, plan.status) == (Plan.Status.APPROVED, Plan.Status.PUBLISHED)
    assert AuditEntry.objects.filter(action="republish", object_id=str(plan.pk)).exists()


# ---------------------------------------------------------------- re-planning


def test_it_replans_without_the_absent(as_planner, operation, plan):
    absent = sorted(a["person"] for a in assigned(plan, "POLRI")[:3])
    response = as_planner.post(f"/plans/{plan.pk}/replan/", {"absent": "\n".join(absent), "categories": ""})
    job = PlanJob.objects.get(operation=operation, kind="replan")
    assert response.headers["Location"] == f"/plans/jobs/{job.pk}/" and job.status == PlanJob.Status.DONE
    new = latest(operation)
    assert new.parent_id == plan.pk and plan_file(new)["replan"]["absent"] == absent
    assert not set(absent) & {a["person"] for a in plan_file(new)["assignments"]}
    assert new.violations == []

    # the plan page and the diff page count the same people
    info = plan_file(new)["replan"]
    said = re.search(r'id="replan-info">(.*?)</div>', page(as_planner, f"/plans/{new.pk}/"), re.S).group(1)
    assert "3 personel berhalangan (3 baru pada versi ini)" in said and f"{info['left']} keluar dari pos" in said
    diff = page(as_planner, f"/plans/{plan.pk}/diff/{new.pk}/")
    assert f"{info['moved'] + info['left']} personel berubah tempat" in diff


def test_it_replans_after_a_category_change(as_planner, operation, plan):
    tps = next(t for t, c in plan_file(plan)["tps_categories"].items() if c == "KURANG_RAWAN")
    as_planner.post(f"/plans/{plan.pk}/replan/", {"absent": "", "categories": f"{tps} = sangat rawan"})
    new = latest(operation)
    assert plan_file(new)["tps_categories"][tps] == "SANGAT_RAWAN" and new.violations == []

    # the diff says the post changed category: not one post removed and one of the same name
    # added, nor people "moved" from a post to itself
    diff = page(as_planner, f"/plans/{plan.pk}/diff/{new.pk}/")
    changed = re.search(r'<ul id="posts-recategorised">(.*?)</ul>', diff, re.S)
    assert changed and "Kurang rawan → Sangat rawan" in changed.group(1), diff[-3000:]
    name = re.search(r"<li>(.*?): Kurang rawan", changed.group(1)).group(1)
    for listed in ("posts-added", "posts-removed"):
        found = re.search(rf'<ul id="{listed}">(.*?)</ul>', diff, re.S)
        assert not found or f"<li>{name}</li>" not in found.group(1)
    # on the plan page the rebuilt post stands among its desa's TPS posts, by its first TPS
    rebuilt = next(p for p in plan_file(new)["posts"] if tps in p["tps"])
    html = page(as_planner, f"/plans/{new.pk}/?post={rebuilt['id']}")
    first = {p["id"]: min(p["tps"]) for p in plan_file(new)["posts"] if p["kind"] == "TPS"}
    desa = {p["id"] for p in plan_file(new)["posts"] if p["desa_code"] == rebuilt["desa_code"]}
    shown = [code for code in re.findall(r'<tr id="([^"]+)">', html) if code in desa and code in first]
    assert rebuilt["id"] in shown and len(shown) > 1
    assert [first[c] for c in shown] == sorted(first[c] for c in shown)
    moved = re.search(r'<table id="moved">(.*?)</table>', diff, re.S)
    for row in re.findall(r"<tr>(.*?)</tr>", moved.group(1) if moved else "", re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        if len(cells) == 5:
            assert cells[3] != cells[4], row  # nobody moves from a post to the same post


@pytest.mark.parametrize(
    ("absent", "categories", "said"),
    [
        ("99999999", "", "NRP/NIK tidak dikenal: 99999999"),
        ("", "35.99.99.9999-01=RAWAN", "TPS 35.99.99.9999-01 tidak ada"),
        ("", "{tps}=GAWAT", "kategori GAWAT tidak dikenal"),
        ("", "", "Tidak ada perubahan"),
    ],
)
def test_it_refuses_a_replan_it_cannot_read(as_planner, operation, plan, absent, categories, said):
    tps = next(iter(plan_file(plan)["tps_categories"]))
    data = {"absent": absent, "categories": categories.format(tps=tps)}
    response = as_planner.post(f"/plans/{plan.pk}/replan/", data, follow=True)
    assert said in messages_after(response)
    assert not PlanJob.objects.filter(operation=operation).exists() and operation.plans.count() == 1


# ---------------------------------------------------------------- comparing, the file, other operations


def test_it_shows_who_moved_between_versions(as_planner, operation, plan):
    person = assigned(plan, "POLRI")[0]
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": person["person"], "idle": "on"})
    new = latest(operation)
    picked = as_planner.get(f"/plans/ops/{operation.pk}/", {"old": plan.pk, "new": new.pk})
    assert picked.headers["Location"] == f"/plans/{plan.pk}/diff/{new.pk}/"
    html = page(as_planner, picked.headers["Location"])
    name = operation.personnel.get(code=person["person"]).name
    row = re.search(r'<table id="moved">.*?</table>', html, re.S).group(0)
    from siaga.plans.names import post_labels

    post_name = post_labels(plan, [person["post"]])[person["post"]]
    assert name in row and person["person"] in row and post_name in row and "tanpa pos" in row
    assert person["post"] not in row  # the post by the name the Sprin gives it, not its code
    assert row.count("<tr>") == 2  # the header and the one person moved


def test_it_downloads_the_plan_file_but_not_to_a_sector_chief(as_planner, as_sector, plan):
    response = as_planner.get(f"/plans/{plan.pk}/plan.json")
    assert response.headers["Content-Disposition"] == f'attachment; filename="plan-v{plan.version}.json"'
    data = json.loads(response.content)
    assert data["format"] == "siaga-plan/1" and len(data["posts"]) == 176
    assert as_sector.get(f"/plans/{plan.pk}/plan.json").status_code == 403


def test_it_keeps_another_operations_plan_out_of_reach(as_planner, operation, plan):
    other = Operation.objects.create(name="Operasi lain", election_date=operation.election_date, pattern="x")
    foreign = copy_plan(plan, other)
    assert as_planner.get(f"/plans/{plan.pk}/diff/{foreign.pk}/").status_code == 404
    assert as_planner.get(f"/plans/{foreign.pk}/diff/{plan.pk}/").status_code == 404
    assert as_planner.get(f"/plans/ops/{operation.pk}/", {"old": plan.pk, "new": foreign.pk}).status_code == 404
    assert as_planner.get("/plans/999999/").status_code == 404


def test_it_sends_anonymous_pollers_away(db, plan):
    assert Client().get(f"/plans/{plan.pk}/").status_code == 302
    job = PlanJob.objects.create(operation=plan.operation)
    assert Client().get(f"/plans/jobs/{job.pk}/", headers={"HX-Request": "true"}).status_code == 401


def test_it_builds_the_plan_page_without_a_query_per_row(as_planner, plan, django_assert_max_num_queries):
    as_planner.get(f"/plans/{plan.pk}/")  # the posts' names are worked out once per version
    # session, user, profile, plan; the tree's page (count, page, its posts and their 3
    # tables, their names: 5, their people and units, regions); the figures, headline and
    # shortfall by 4 GROUP BY queries whatever the plan's size; the re-plan's pick lists
    # (placed people with their units, desa, TPS), the version a withdrawal restores and the
    # categories' sign-off
    with django_assert_max_num_queries(32):
        as_planner.get(f"/plans/{plan.pk}/")


def test_it_shows_a_sector_chief_only_the_moves_in_their_kecamatan(as_planner, as_sector, operation, plan):
    kecamatan = {p["id"]: p["kecamatan_code"] for p in plan_file(plan)["posts"]}
    person = next(a for a in assigned(plan, "POLRI") if kecamatan[a["post"]] == OTHER_SECTOR)
    as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": person["person"], "idle": "on"})
    url = f"/plans/{plan.pk}/diff/{latest(operation).pk}/"
    assert person["person"] in page(as_planner, url)
    html = page(as_sector, url)
    assert person["person"] not in html and "0 personel berubah tempat" in html


def test_it_does_not_start_a_second_job_while_one_runs(as_planner, operation):
    running = PlanJob.objects.create(operation=operation, status=PlanJob.Status.RUNNING)
    response = as_planner.post(f"/plans/ops/{operation.pk}/start/")
    assert response.headers["Location"] == f"/plans/jobs/{running.pk}/"
    assert PlanJob.objects.filter(operation=operation).count() == 1


def test_it_says_when_a_job_failed_without_showing_the_viewer_its_insides(as_viewer, operation):
    job = PlanJob.objects.create(
        operation=operation, status=PlanJob.Status.FAILED, progress=100, message="Gagal: rusak\nTraceback ..."
    )
    html = page(as_viewer, f"/plans/jobs/{job.pk}/")
    assert "Perencanaan gagal" in html and "Gagal: rusak" in html and "Traceback" not in html
    assert "hx-trigger" not in html
