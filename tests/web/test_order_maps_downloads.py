"""The console hands out the maps of the orders (peta.pdf) and the briefing pack of a Tactical
Floor Game (paket-briefing.pdf) with the other orders, drawn over the operation's stored
boundaries, to those who may download orders; a viewer gets neither link nor file."""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from siaga.core.data.boundaries import read_shipped
from siaga.operations.boundaries import store_boundaries
from siaga.plans.models import Plan


@pytest.fixture
def approved(plan, settings, tmp_path):
    settings.SIAGA_CARD_KEY_FILE = str(tmp_path / "card-key")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SIAGA_JOBS_INLINE = True
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    operation = plan.operation
    store_boundaries(operation, read_shipped(dict(operation.regions.values_list("code", "level"))), "test")
    return plan


def pdf(data: bytes, tmp_path: Path, name: str) -> tuple[int, str]:
    path = tmp_path / name
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1)), " ".join(text.split())


def test_the_commander_downloads_the_maps_drawn_over_the_boundaries(as_commander, approved, tmp_path):
    page = as_commander.get(f"/plans/{approved.pk}/").content.decode()
    maps_url = reverse("plan_orders", args=[approved.pk, "peta.pdf"])
    assert maps_url in page and "Peta (PDF)" in page
    response = as_commander.get(maps_url)
    assert response.status_code == 200 and f"peta-v{approved.version}.pdf" in response["Content-Disposition"]
    pages, text = pdf(response.getvalue(), tmp_path, "peta.pdf")
    assert pages == 8 and "KECAMATAN POHJENTREK" in text and "Pos TPS 1 Desa Tidu" in text
    assert "Tanpa batas wilayah" not in text  # the stored boundaries were drawn
    pack = as_commander.get(reverse("plan_orders", args=[approved.pk, "paket-briefing.pdf"]))
    assert pack.status_code == 200
    pages, text = pdf(pack.getvalue(), tmp_path, "paket.pdf")
    assert pages == 9 and "TACTICAL FLOOR GAME" in text


def test_a_sector_chief_gets_the_map_of_their_kecamatan_only(as_sector, approved, tmp_path):
    response = as_sector.get(reverse("plan_orders", args=[approved.pk, "peta.pdf"]))
    assert response.status_code == 200
    pages, text = pdf(response.getvalue(), tmp_path, "peta.pdf")
    assert pages == 1 and "KECAMATAN POHJENTREK" in text and "WILAYAH HUKUM" not in text


def test_a_viewer_is_offered_no_maps_and_refused_them(as_viewer, approved):
    page = as_viewer.get(f"/plans/{approved.pk}/")
    assert page.status_code == 200 and "peta.pdf" not in page.content.decode()
    for name in ("peta.pdf", "paket-briefing.pdf"):
        assert as_viewer.get(reverse("plan_orders", args=[approved.pk, name])).status_code == 403
