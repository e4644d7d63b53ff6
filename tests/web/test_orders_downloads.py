"""The console hands out the orders of an approved plan, scoped to what the user may see:
rendered once per plan version and kecamatan by a job, stored, then served as files."""

import io
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django_q.models import OrmQ

from siaga.audit.models import AuditEntry
from siaga.jobs.models import OrdersFile
from siaga.jobs.runner import run
from siaga.plans.models import Plan, PlanJob
from siaga.plans.services import start_job
from tests.web.conftest import OTHER_SECTOR, SECTOR


@pytest.fixture
def approved(plan, settings, tmp_path):
    settings.SIAGA_CARD_KEY_FILE = str(tmp_path / "card-key")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SIAGA_JOBS_INLINE = True  # the orders job runs in the request: the download answers at once
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    return plan


def test_it_gives_the_commander_the_sprin_with_every_tps(as_commander, approved, tmp_path):
    response = as_commander.get(reverse("plan_orders", args=[approved.pk, "sprin.pdf"]))
    data = response.getvalue()  # a file response: its stream reads once
    assert response.status_code == 200 and data.startswith(b"%PDF")
    (tmp_path / "sprin.pdf").write_bytes(data)
    pdftotext = ["pdftotext", "-layout", str(tmp_path / "sprin.pdf"), "-"]
    text = subprocess.run(pdftotext, capture_output=True, text=True, check=True).stdout
    assert "950 personel, 7 kecamatan, 21 desa, 152 TPS" in text
    assert AuditEntry.objects.filter(action="download_orders", object_id=str(approved.pk)).exists()


def test_it_gives_a_sector_chief_the_ploting_of_their_kecamatan_only(as_sector, approved):
    response = as_sector.get(reverse("plan_orders", args=[approved.pk, "ploting.xlsx"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    assert len(book.sheetnames) == 2 and "Pohjentrek" in book.sheetnames[1]
    assert SECTOR in response["Content-Disposition"]


def test_it_prints_no_orders_from_a_draft(as_commander, plan, settings, tmp_path):
    settings.SIAGA_JOBS_INLINE = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    response = as_commander.get(reverse("plan_orders", args=[plan.pk, "kartu.pdf"]), follow=True)
    assert b"%PDF" not in response.content[:10]
    assert "sudah disetujui" in response.content.decode()
    assert not OrdersFile.objects.filter(plan=plan).exists() and not PlanJob.objects.filter(kind="orders").exists()
    assert not (tmp_path / "media").exists()


def test_it_knows_only_the_three_orders(as_commander, approved):
    assert as_commander.get(reverse("plan_orders", args=[approved.pk, "rahasia.txt"])).status_code == 404


def test_it_renders_the_orders_once_for_two_downloads(as_commander, approved):
    url = reverse("plan_orders", args=[approved.pk, "kartu.pdf"])
    first = as_commander.get(url).getvalue()
    stored = {row.name: (row.pk, row.created_at, Path(row.file.path).stat().st_mtime_ns) for row in rows(approved)}
    second = as_commander.get(url).getvalue()
    assert first == second and first.startswith(b"%PDF")
    assert {
        row.name: (row.pk, row.created_at, Path(row.file.path).stat().st_mtime_ns) for row in rows(approved)
    } == stored
    assert sorted(stored) == ["kartu.pdf", "paket-briefing.pdf", "peta.pdf", "ploting.xlsx", "sprin.pdf"]
    assert PlanJob.objects.filter(kind="orders", plan=approved).count() == 1  # one render, five files
    downloads = AuditEntry.objects.filter(action="download_orders", object_id=str(approved.pk))
    assert downloads.count() == 2 and AuditEntry.objects.filter(action="start_orders").count() == 1


def test_it_keeps_a_sector_chiefs_orders_apart_from_the_whole_polres(as_commander, as_sector, approved):
    as_sector.get(reverse("plan_orders", args=[approved.pk, "sprin.pdf"]))
    assert {row.kecamatan_code for row in rows(approved)} == {SECTOR}
    as_commander.get(reverse("plan_orders", args=[approved.pk, "sprin.pdf"]))
    assert {row.kecamatan_code for row in rows(approved)} == {SECTOR, ""}
    assert rows(approved).count() == 10


def test_it_shows_the_progress_of_the_orders_job_then_the_links(as_commander, approved, settings):
    settings.SIAGA_JOBS_INLINE = False  # queued for a worker that this test does not run
    url = reverse("plan_orders", args=[approved.pk, "sprin.pdf"])
    html = as_commander.get(url, headers={"HX-Request": "true"}).content.decode()
    job = PlanJob.objects.get(kind="orders", plan=approved)
    assert job.status == PlanJob.Status.QUEUED and OrmQ.objects.count() == 1
    assert f'hx-get="/plans/jobs/{job.pk}/"' in html and "<progress" in html
    assert as_commander.get(url).headers["Location"] == f"/plans/jobs/{job.pk}/"  # no JavaScript: the job's page
    assert PlanJob.objects.filter(kind="orders").count() == 1  # a second click joins the job
    run(job.pk, beat=False)  # what the worker does with the message
    html = as_commander.get(f"/plans/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "orders-ready" in html and "hx-trigger" not in html and url in html


def test_it_shows_the_stored_orders_as_links_on_the_plan_page(as_commander, approved):
    assert "orders-ready" not in as_commander.get(f"/plans/{approved.pk}/").content.decode()
    as_commander.get(reverse("plan_orders", args=[approved.pk, "ploting.xlsx"]))
    assert "orders-ready" in as_commander.get(f"/plans/{approved.pk}/").content.decode()


def test_it_refuses_another_sectors_orders_job(as_sector, approved, settings):
    settings.SIAGA_JOBS_INLINE = False
    job = start_job(approved.operation, None, "orders", {"plan": approved.pk, "kecamatan": OTHER_SECTOR}, plan=approved)
    assert as_sector.get(f"/plans/jobs/{job.pk}/", headers={"HX-Request": "true"}).status_code == 404


def rows(plan):
    return OrdersFile.objects.filter(plan=plan).order_by("name", "kecamatan_code")


def made(plan):
    """Each stored file's row, creation time and file modification time."""
    return {row.name: (row.pk, row.created_at, Path(row.file.path).stat().st_mtime_ns) for row in rows(plan)}


def _text(data: bytes, tmp_path: Path, name: str = "konsep.pdf") -> list[str]:
    """The PDF's text, page by page (raw: the diagonal watermark reads as a word)."""
    (tmp_path / name).write_bytes(data)
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / name), "-"], capture_output=True, text=True).stdout
    return ["".join(page.split()) for page in text.split("\f")[:-1]]  # the letters of KONSEP stand apart


def test_the_commander_reads_a_draft_as_konsep_before_approving(as_commander, plan, tmp_path):
    response = as_commander.get(reverse("plan_konsep", args=[plan.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "konsep" in response["Content-Disposition"]
    pages = _text(response.content, tmp_path)
    assert len(pages) > 3 and all("KONSEP" in page for page in pages)
    assert AuditEntry.objects.filter(action="preview_orders", object_id=str(plan.pk)).exists()
    assert not OrdersFile.objects.filter(plan=plan).exists()  # a konsep is never stored as the orders


def test_a_sector_chief_reads_the_konsep_petikan_of_their_kecamatan(as_sector, plan, tmp_path):
    response = as_sector.get(reverse("plan_konsep", args=[plan.pk]))
    pages = _text(response.content, tmp_path)
    assert "PETIKANSURATPERINTAH" in pages[0] and all("KONSEP" in page for page in pages)


def test_an_approved_plan_has_no_konsep_and_a_field_officer_none_at_all(as_commander, as_field_officer, approved):
    response = as_commander.get(reverse("plan_konsep", args=[approved.pk]), follow=True)
    assert not response.content.startswith(b"%PDF") and "Konsep hanya untuk rencana" in response.content.decode()
    assert as_field_officer.get(reverse("plan_konsep", args=[approved.pk])).status_code in (403, 404)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_says_why_orders_are_not_printed_when_the_data_changed_since_the_plan(as_commander, approved, lang):
    """A TPS's category changed while the orders job was queued (a download asked after the
    change is refused at once: tests/web/test_plan_out_of_date.py): the job's orders are refused
    with the reason and what to do, in the reader's language, and nothing is stored."""
    from siaga.operations.models import Tps
    from siaga.plans.services import orders_job

    tps = Tps.objects.filter(operation=approved.operation, effective_category="KURANG_RAWAN").first()
    Tps.objects.filter(pk=tps.pk).update(category="SANGAT_RAWAN", effective_category="SANGAT_RAWAN")
    as_commander.cookies["django_language"] = lang
    orders_job(approved, None, "")  # asked before the change, run after it (inline here)
    job = PlanJob.objects.get(kind="orders", plan=approved)
    assert job.status == PlanJob.Status.FAILED
    # the panel polls the job: its answer, once failed, says why
    shown = as_commander.get(reverse("job_status", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    said = {
        "id": "Susun ulang rencana dari data terbaru, setujui, lalu cetak.",
        "en": "Plan again from the current data, approve, then print.",
    }[lang]
    assert 'id="orders-message"' in shown and said in shown, shown
    assert not OrdersFile.objects.filter(plan=approved).exists()
