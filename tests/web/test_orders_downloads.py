"""The console hands out the orders of an approved plan, scoped to what the user may see."""

import io
import subprocess

import openpyxl
import pytest
from django.urls import reverse

from siaga.audit.models import AuditEntry
from siaga.plans.models import Plan
from tests.web.conftest import SECTOR


@pytest.fixture
def approved(plan, settings, tmp_path):
    settings.SIAGA_CARD_KEY_FILE = str(tmp_path / "card-key")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    return plan


def test_it_gives_the_commander_the_sprin_with_every_tps(as_commander, approved, tmp_path):
    response = as_commander.get(reverse("plan_orders", args=[approved.pk, "sprin.pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    (tmp_path / "sprin.pdf").write_bytes(response.content)
    pdftotext = ["pdftotext", "-layout", str(tmp_path / "sprin.pdf"), "-"]
    text = subprocess.run(pdftotext, capture_output=True, text=True, check=True).stdout
    assert "950 personel, 7 kecamatan, 21 desa, 152 TPS" in text
    assert AuditEntry.objects.filter(action="download_orders", object_id=str(approved.pk)).exists()


def test_it_gives_a_sector_chief_the_ploting_of_their_kecamatan_only(as_sector, approved):
    response = as_sector.get(reverse("plan_orders", args=[approved.pk, "ploting.xlsx"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 2 and "Pohjentrek" in book.sheetnames[1]
    assert SECTOR in response["Content-Disposition"]


def test_it_prints_no_orders_from_a_draft(as_commander, plan):
    response = as_commander.get(reverse("plan_orders", args=[plan.pk, "kartu.pdf"]), follow=True)
    assert b"%PDF" not in response.content[:10]
    assert "sudah disetujui" in response.content.decode()


def test_it_knows_only_the_three_orders(as_commander, approved):
    assert as_commander.get(reverse("plan_orders", args=[approved.pk, "rahasia.txt"])).status_code == 404
