"""Category provenance and sign-off (issue 17 item 4), and the Bawaslu list landing in the
console (item 3): a plan's Sprin is approved only once a named officer (Kasat Intelkam or
Kapolres) signed off its TPS categories; every category says where it came from, who set it
and when; a category change after sign-off voids it and shows on the plan diff; a Bawaslu
TPS-rawan list is previewed, then lands as a new data version with a re-plan that moves few."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from siaga.audit.models import AuditEntry
from siaga.core.data.listfile import kpu_code
from siaga.operations.models import Operation, Tps
from siaga.plans import services
from siaga.plans.models import CategorySignoff, CategorySource, Plan

CONFIRM = {"confirm": "yes"}


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.SIAGA_JOBS_INLINE = True


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def messages_after(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def officer(operation: Operation, position: str) -> Any:
    return next(p for p in services.signers(operation) if p.position == position)


def test_approval_waits_for_the_signoff_of_the_categories(as_commander, operation, plan):
    services.void_signoffs(plan, "uji")
    html = page(as_commander, f"/plans/{plan.pk}/")
    assert 'id="approve-why"' in html and 'id="approve"' not in html and 'id="signoff-open"' in html
    refused = as_commander.post(f"/plans/{plan.pk}/approve/", CONFIRM, follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and "belum disahkan oleh Kasat Intelkam atau Kapolres" in messages_after(
        refused
    )

    intel = officer(operation, "Kasat Intelkam")
    signed = as_commander.post(f"/plans/{plan.pk}/signoff/", {**CONFIRM, "officer": intel.code}, follow=True)
    assert intel.name in messages_after(signed)
    plan.refresh_from_db()
    line = plan.extra["category_signoff"]
    assert (line["name"], line["rank"], line["nrp"], line["position"]) == (
        intel.name,
        intel.rank,
        intel.code,
        "Kasat Intelkam",
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*", line["signed_at"])
    entry = AuditEntry.objects.filter(action="category_signoff", object_id=str(plan.pk)).order_by("-id").first()
    assert entry.username == "commander" and entry.after["name"] == intel.name
    assert 'id="signoff-line"' in page(as_commander, f"/plans/{plan.pk}/")

    as_commander.post(f"/plans/{plan.pk}/approve/", CONFIRM)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_only_the_commander_signs_off_and_only_a_kapolres_or_kasat_intelkam(as_planner, as_commander, operation, plan):
    services.void_signoffs(plan, "uji")
    anyone = operation.personnel.exclude(position__in=["Kapolres", "Kasat Intelkam"]).first()
    assert as_planner.post(f"/plans/{plan.pk}/signoff/", {**CONFIRM, "officer": anyone.code}).status_code == 403
    refused = as_commander.post(f"/plans/{plan.pk}/signoff/", {**CONFIRM, "officer": anyone.code}, follow=True)
    assert "Kapolres atau Kasat Intelkam" in messages_after(refused)
    assert services.valid_signoff(plan) is None and "category_signoff" not in Plan.objects.get(pk=plan.pk).extra


def test_a_category_decision_records_its_source_and_voids_the_signoff(as_commander, as_planner, operation, plan):
    assert services.valid_signoff(plan) is not None
    tps = Tps.objects.filter(operation=operation, category="", effective_category="KURANG_RAWAN").first()
    html = page(as_commander, f"/ops/{operation.pk}/tps/{tps.pk}/")
    assert 'id="source-kind">Skor model<' in html and 'name="source"' in html
    data = {"category": "SANGAT_RAWAN", "source": "decision", "reason": "Info intelijen: massa dua calon bentrok"}
    get_user_model().objects.filter(username="commander").update(first_name="AKBP Mustofa", last_name="Nugroho")
    as_commander.post(f"/ops/{operation.pk}/tps/{tps.pk}/override/", data)
    tps.refresh_from_db()
    assert tps.effective_category == "SANGAT_RAWAN"
    source = CategorySource.objects.get(operation=operation, tps_code=tps.code)
    named = "AKBP Mustofa Nugroho (commander)"  # the officer's name, not only the login
    assert (source.source, source.set_by_name, source.category) == ("decision", named, "SANGAT_RAWAN")
    html = page(as_commander, f"/ops/{operation.pk}/tps/{tps.pk}/")
    shown = "ditetapkan oleh AKBP Mustofa Nugroho,"  # on the page: his name and rank, never the login
    assert 'id="source-kind">Keputusan Kapolres<' in html and shown in html and data["reason"] in html
    assert AuditEntry.objects.filter(action="set_category", object_id=tps.code, username="commander").exists()
    # The plan's categories are no longer the operation's: its sign-off is void
    assert services.valid_signoff(plan) is None
    assert CategorySignoff.objects.get(plan=plan).void_reason
    assert "category_signoff" not in Plan.objects.get(pk=plan.pk).extra
    assert AuditEntry.objects.filter(action="void_signoff", object_id=str(plan.pk)).exists()

    # The re-plan with the new category: the diff shows it, and asks for a new sign-off
    as_planner.post(f"/plans/{plan.pk}/replan/", {"change_tps": [tps.code], "change_category": ["SANGAT_RAWAN"]})
    new = operation.plans.order_by("-version").first()
    assert new.pk != plan.pk and services.valid_signoff(new) is None
    diff = page(as_commander, f"/plans/{plan.pk}/diff/{new.pk}/")
    table = diff.split('id="categories"')[1].split("</table>")[0]
    assert "Kurang rawan" in table and "Sangat rawan" in table
    assert 'id="categories-signoff"' in diff and "perlu disahkan lagi" in diff
    assert 'id="approve-why"' in page(as_commander, f"/plans/{new.pk}/")


def test_a_signoff_carries_to_a_version_with_the_same_categories(as_planner, operation, plan):
    signoff = services.valid_signoff(plan)
    assert signoff is not None
    person = plan.assignments.order_by("id").first().person_code
    as_planner.post(f"/plans/{plan.pk}/replan/", {"absent_pick": [person]})
    new = operation.plans.order_by("-version").first()
    assert new.pk != plan.pk and services.valid_signoff(new) == signoff
    assert new.extra["category_signoff"]["name"] == signoff.name


def write_list(path: Path, rows: list[list[object]]) -> SimpleUploadedFile:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(
            [["kode_tps", "violence_history", "Riwayat penolakan penyelenggaraan pemungutan suara"], *rows]
        )
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")


def test_a_bawaslu_list_is_previewed_then_lands_with_a_replan(as_planner, operation, plan, tmp_path):
    operation.config = {**operation.config, "catalogue": "pilkada-2024"}
    operation.save(update_fields=["config"])
    services.publish(services.approve(plan, _commander()), _commander())
    quiet = list(Tps.objects.filter(operation=operation, category="", effective_category="KURANG_RAWAN")[:3])
    rows = [[kpu_code(t.desa_code, t.number), 1, 1] for t in quiet[:2]] + [[quiet[2].code, 1, 0]]
    versions = operation.data_versions.count()

    bad = write_list(tmp_path / "rawan-salah.csv", [[quiet[0].code, 1, "ya"]])
    refused = as_planner.post(f"/plans/ops/{operation.pk}/bawaslu/", {"file": bad}, follow=True)
    assert "baris 2, kolom 'Riwayat penolakan penyelenggaraan pemungutan suara', nilai 'ya'" in messages_after(refused)
    assert operation.data_versions.count() == versions

    response = as_planner.post(f"/plans/ops/{operation.pk}/bawaslu/", {"file": write_list(tmp_path / "r.csv", rows)})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="bawaslu-changes"' in html
    table = html.split('id="bawaslu-changes"')[1].split("</table>")[0]
    assert table.count("<tr>") == 4 and all(f"TPS {t.number} " in table for t in quiet)  # a head and 3 TPS
    scores = {t.code: t.score for t in quiet}
    moved = int(re.search(r'id="bawaslu-moved">[^0-9]*\d+[^0-9]+(\d+) personel', html).group(1))
    assert operation.data_versions.count() == versions  # a preview stores nothing
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)

    as_planner.post(f"/plans/ops/{operation.pk}/bawaslu/confirm/", {"token": token})
    assert operation.data_versions.count() == versions + 1
    new = operation.plans.order_by("-version").first()
    assert new.parent_id == plan.pk and new.extra["replan"]["moved"] == moved
    categories = dict(new.tps_rows.values_list("tps_code", "category"))
    now = {t.code: t for t in Tps.objects.filter(operation=operation, code__in=scores)}
    assert [round(now[t.code].score - scores[t.code], 2) for t in quiet] == [40, 40, 25]  # re-scored
    assert all(categories[c] == now[c].effective_category != "KURANG_RAWAN" for c in scores)
    assert services.valid_signoff(new) is None  # the categories changed: a new sign-off is needed
    published = Plan.objects.get(pk=plan.pk)  # the version in force keeps the sign-off it was approved on
    assert services.valid_signoff(published) is not None and "category_signoff" in published.extra
    sources = dict(CategorySource.objects.filter(operation=operation).values_list("tps_code", "source"))
    assert {sources[t.code] for t in quiet} == {"bawaslu"}
    assert AuditEntry.objects.get(action="bawaslu_import").after["moved"] == moved
    again = as_planner.post(f"/plans/ops/{operation.pk}/bawaslu/confirm/", {"token": token}, follow=True)
    assert "sudah dipakai" in messages_after(again)


def _commander() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="commander")
