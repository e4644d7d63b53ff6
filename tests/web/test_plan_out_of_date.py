"""A version whose operation's data changed since it was made (`siaga.plans.changes`): its page
says what changed and what to do, its re-plan form holds the data's changes, and its orders
not yet printed are refused at once, with no job left behind; what was printed stays."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.urls import reverse

from siaga.core.check import check_plan
from siaga.jobs.models import OrdersFile
from siaga.operations.models import Person, Tps
from siaga.operations.services import scenario_for
from siaga.plans import changes
from siaga.plans.models import Plan, PlanJob
from siaga.plans.store import core_plan
from tests.web.conftest import client_for, publish


@pytest.fixture
def published(plan: Plan, settings: Any, tmp_path: Any) -> Plan:
    settings.SIAGA_CARD_KEY_FILE = str(tmp_path / "card-key")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SIAGA_JOBS_INLINE = True
    return publish(plan)


def kurang_rawan(plan: Plan, n: int = 1) -> list[Tps]:
    codes = plan.tps_rows.filter(category="KURANG_RAWAN").order_by("tps_code").values_list("tps_code", flat=True)
    return list(Tps.objects.filter(operation_id=plan.operation_id, code__in=list(codes[:n])).order_by("code"))


def set_sangat_rawan(client: Any, tps: Tps) -> None:
    """The planner sets the TPS's category by hand, as on its page."""
    url = reverse("tps_override", args=[tps.operation_id, tps.pk])
    answer = client.post(url, {"category": "SANGAT_RAWAN", "source": "intel", "reason": "Laporan intelijen"})
    assert answer.status_code == 302, answer.content.decode()[:500]
    tps.refresh_from_db()
    assert tps.effective_category == "SANGAT_RAWAN"


def sent(form: str) -> list[tuple[str, str]]:
    """What the re-plan form sends as it stands: its fields' values, a select's chosen option."""
    fields = [(n, v) for n, v in re.findall(r'<input type="(?:text|hidden)" name="(\w+)"[^>]*?value="([^"]*)"', form)]
    for name, body in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        fields.append((name, chosen.group(1) if chosen else ""))
    fields += re.findall(r'<textarea name="(\w+)"[^>]*>\n?(.*?)</textarea>', form, re.S)
    return [(n, html.unescape(v)) for n, v in fields if n != "csrfmiddlewaretoken"]


def sent_data(form: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in sent(form):
        data.setdefault(name, []).append(value)
    return data


def notice(page: str) -> str:
    found = re.search(r'<div class="warning" id="data-changed".*?</div>', page, re.S)
    if found is None:
        return ""
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))))
    return re.sub(r" ([.,;:)])", r"\1", text)


def test_a_plan_page_says_which_category_changed_in_the_data_and_what_to_do(as_planner, published):
    url = reverse("plan_detail", args=[published.pk])
    page = as_planner.get(url).content.decode()
    assert notice(page) == "" and "Pemeriksa independen: rencana sah<" in page
    (tps,) = kurang_rawan(published)
    set_sangat_rawan(as_planner, tps)

    page = as_planner.get(url).content.decode()
    said = notice(page)
    assert f"Data operasi berubah sejak versi ini disusun: kategori TPS {tps.code} berubah dari Kurang rawan" in said
    assert "menjadi Sangat rawan." in said
    assert "Susun ulang rencana dengan perubahan ini" in said and "susun rencana baru dari data terbaru" in said
    assert 'id="data-changed-replan" href="#replan-form"' in page
    assert "Pemeriksa independen: rencana sah<" not in page and "tidak lagi pada data sekarang" in page
    # the orders buttons say they are not printed rather than offer links that would fail
    assert 'id="orders-refused"' in page and reverse("plan_orders", args=[published.pk, "sprin.pdf"]) not in page
    # the re-plan form holds the change, shown before it is sent
    form = page.split('id="replan-form"', 1)[1].split("</form>", 1)[0]
    assert ("change_tps", tps.code) in sent(form) and ("change_category", "SANGAT_RAWAN") in sent(form)
    assert 'id="replan-from-data"' in form
    published.refresh_from_db()
    assert published.status == Plan.Status.PUBLISHED  # the version itself is as it was


def test_many_changes_are_counted_and_listed_for_the_polres_only(as_planner, as_sector, published):
    changed = kurang_rawan(published, 3)
    Tps.objects.filter(pk__in=[t.pk for t in changed]).update(category="RAWAN", effective_category="RAWAN")
    on_post = published.assignments.order_by("person_code").values_list("person_code", flat=True).first()
    Person.objects.filter(operation_id=published.operation_id, code=on_post).update(available=False)
    url = reverse("plan_detail", args=[published.pk])

    said = notice(as_planner.get(url).content.decode())
    assert "kategori 3 TPS berubah; 1 personel yang bertugas kini tertanda tidak siap." in said
    for t in changed:
        assert f"Kategori TPS {t.code} (TPS " in said and ": Kurang rawan → Rawan" in said
    page = as_planner.get(url).content.decode()
    form = html.unescape(page.split('id="replan-form"', 1)[1].split("</form>", 1)[0])
    assert all(("change_tps", t.code) in sent(form) for t in changed) and ("absent_pick", on_post) in sent(form)
    assert [v for k, v in sent(form) if k == "change_category"].count("RAWAN") == 3
    # a sector chief reads the count and whom to ask, not the Polres's list
    sector = notice(as_sector.get(url).content.decode())
    assert "kategori 3 TPS berubah" in sector and changed[0].code not in sector
    assert "Perencana Polres menyusun ulang rencana" in sector


def test_a_sector_chief_is_not_told_the_code_of_a_single_tps_changed(as_planner, as_sector, published):
    (tps,) = kurang_rawan(published)
    set_sangat_rawan(as_planner, tps)
    said = notice(as_sector.get(reverse("plan_detail", args=[published.pk])).content.decode())
    assert "kategori 1 TPS berubah" in said and tps.code not in said


def test_the_commander_is_told_what_to_ask_and_what_he_signed_stays(as_commander, published):
    url = reverse("plan_detail", args=[published.pk])
    sprin = as_commander.get(reverse("plan_orders", args=[published.pk, "sprin.pdf"]))
    assert sprin.status_code == 200 and sprin.getvalue().startswith(b"%PDF")
    (tps,) = kurang_rawan(published)
    set_sangat_rawan(client_for("planner"), tps)

    page = as_commander.get(url).content.decode()
    said = notice(page)
    assert f"kategori TPS {tps.code} berubah dari Kurang rawan menjadi Sangat rawan" in said
    assert "Minta perencana menyusun ulang rencana dengan perubahan ini" in said
    assert "Versi ini tetap seperti disetujui dan tidak diubah" in said
    assert "Surat perintah yang sudah dicetak tetap dapat diunduh" in said
    assert 'id="data-changed-replan"' not in page and 'id="replan-form"' not in page
    # the Sprin he signed is still his to read, as it was printed
    again = as_commander.get(reverse("plan_orders", args=[published.pk, "sprin.pdf"]))
    assert again.status_code == 200 and again.getvalue().startswith(b"%PDF")
    assert PlanJob.objects.filter(kind="orders", status=PlanJob.Status.FAILED).count() == 0


@pytest.mark.parametrize("htmx", [False, True])
def test_orders_of_a_changed_version_are_refused_at_once_and_no_job_is_made(as_planner, published, htmx):
    (tps,) = kurang_rawan(published)
    set_sangat_rawan(as_planner, tps)
    headers = {"HX-Request": "true"} if htmx else {}
    for name in ("sprin.pdf", "kartu.pdf"):
        answer = as_planner.get(reverse("plan_orders", args=[published.pk, name]), headers=headers)
        target = reverse("plan_detail", args=[published.pk])
        assert (answer.headers.get("HX-Redirect") if htmx else answer.headers["Location"]) == target
    page = html.unescape(as_planner.get(target).content.decode())
    refused = "Surat perintah tidak dicetak: data operasi berubah sejak versi ini disusun"
    assert f"{refused} (kategori TPS {tps.code} berubah dari Kurang rawan menjadi Sangat rawan)." in page
    assert "Susun ulang rencana dengan perubahan ini" in page
    assert not PlanJob.objects.filter(kind="orders").exists() and not OrdersFile.objects.exists()


def test_a_replan_from_the_filled_form_takes_the_change_and_keeps_the_published_version(as_planner, published):
    (tps,) = kurang_rawan(published)
    set_sangat_rawan(as_planner, tps)
    page = html.unescape(as_planner.get(reverse("plan_detail", args=[published.pk])).content.decode())
    form = page.split('id="replan-form"', 1)[1].split("</form>", 1)[0]
    answer = as_planner.post(reverse("plan_replan", args=[published.pk]), sent_data(form))
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]

    new = Plan.objects.filter(operation_id=published.operation_id).latest("version")
    assert new.pk != published.pk and new.status == Plan.Status.DRAFT
    assert new.tps_rows.get(tps_code=tps.code).category == "SANGAT_RAWAN"
    assert not changes.since(new) and check_plan(scenario_for(new.operation), core_plan(new)) == []
    assert notice(as_planner.get(reverse("plan_detail", args=[new.pk])).content.decode()) == ""
    published.refresh_from_db()
    assert published.status == Plan.Status.PUBLISHED and published.tps_rows.get(tps_code=tps.code).category == (
        "KURANG_RAWAN"
    )


def test_the_change_found_is_what_the_orders_check_refuses(published):
    """`changes.since` finds no change exactly when the checker the orders run passes."""
    assert not changes.since(published) and check_plan(scenario_for(published.operation), core_plan(published)) == []
    (tps,) = kurang_rawan(published)
    Tps.objects.filter(pk=tps.pk).update(category="KHUSUS", effective_category="KHUSUS")
    found = changes.since(published)
    assert [(c.code, c.before, c.after) for c in found.categories] == [(tps.code, "KURANG_RAWAN", "KHUSUS")]
    assert found.replan_takes and not (found.not_ready or found.gone or found.tps_added or found.tps_removed)
    refused = check_plan(scenario_for(published.operation), core_plan(published))
    assert any(v.rule == "category" and tps.code in v.message for v in refused)


def test_a_replans_own_category_is_not_a_change_of_the_data(as_planner, published):
    (tps,) = kurang_rawan(published)
    as_planner.post(reverse("plan_replan", args=[published.pk]), {"categories": f"{tps.code}=SANGAT_RAWAN"})
    new = Plan.objects.filter(operation_id=published.operation_id).latest("version")
    assert new.tps_rows.get(tps_code=tps.code).category == "SANGAT_RAWAN"
    assert Tps.objects.get(pk=tps.pk).effective_category == "KURANG_RAWAN"
    assert not changes.since(new) and check_plan(scenario_for(new.operation), core_plan(new)) == []


def test_the_notice_reads_in_english(as_planner, published):
    (tps,) = kurang_rawan(published)
    set_sangat_rawan(as_planner, tps)
    as_planner.cookies["django_language"] = "en"
    said = notice(as_planner.get(reverse("plan_detail", args=[published.pk])).content.decode())
    assert f"The operation's data changed since this version was made: the category of TPS {tps.code}" in said
    assert "changed from Less vulnerable to Highly vulnerable" in said and "berubah" not in said


def test_a_tps_gone_from_the_data_asks_for_a_new_plan_not_a_replan(as_planner, published):
    (tps,) = kurang_rawan(published)
    Tps.objects.filter(pk=tps.pk).delete()
    found = changes.since(published)
    assert found.tps_removed == 1 and not found.replan_takes
    assert any(v.rule == "category" for v in check_plan(scenario_for(published.operation), core_plan(published)))
    page = as_planner.get(reverse("plan_detail", args=[published.pk])).content.decode()
    said = notice(page)
    assert (
        "1 TPS tidak ada lagi di data." in said and "Susun rencana baru dari data terbaru, setujui, lalu cetak." in said
    )
    assert 'id="data-changed-replan"' not in page and 'id="replan-from-data"' not in page
