"""A TPS page is addressed by its row's id, and every new data version (a re-import, a KPU TPS
list, a Bawaslu TPS-rawan list) writes the TPS rows anew: a link printed before it (a bookmark,
the vulnerability list or the map opened before the import, a form) still leads to the TPS of
the same code, a TPS gone says so in words, and a sector chief learns nothing of a TPS outside
his kecamatan."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from siaga.operations.models import Tps
from siaga.operations.services import import_scenario, remove_row, scenario_for
from tests.web.conftest import OTHER_SECTOR, SECTOR


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_JOBS_INLINE = True
    return settings.MEDIA_ROOT


def bawaslu_list(path: Path, codes: list[str]) -> SimpleUploadedFile:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(
            [["kode_tps", "violence_history", "Riwayat penolakan penyelenggaraan pemungutan suara"]]
            + [[code, 1, 0] for code in codes]
        )
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")


def reimport_without(operation: Any, gone: str = "") -> None:
    """The operation's data imported again as its next version (the TPS `gone` left out)."""
    scenario = scenario_for(operation)
    kept = tuple(t for t in scenario.tps if t.id != gone)
    import_scenario(dataclasses.replace(scenario, tps=kept), "revisi.xlsx")


def first_tps(operation: Any, kecamatan: str) -> Tps:
    return Tps.objects.filter(operation=operation, kecamatan_code=kecamatan).order_by("code").first()


def test_it_leads_an_old_tps_link_to_the_same_tps_after_a_bawaslu_list(as_planner, operation, tmp_path):
    operation.config = {**operation.config, "catalogue": "pilkada-2024"}
    operation.save(update_fields=["config"])
    page = as_planner.get(f"/ops/{operation.pk}/vulnerability/")  # the vulnerability list, opened before
    links = re.findall(rf'href="(/ops/{operation.pk}/tps/\d+/)"', page.content.decode())
    assert len(links) > 100
    old = links[0]
    tps = Tps.objects.get(pk=int(old.rstrip("/").rpartition("/")[2]))
    assert as_planner.get(old).status_code == 200

    preview = as_planner.post(
        f"/plans/ops/{operation.pk}/bawaslu/", {"file": bawaslu_list(tmp_path / "r.csv", [tps.code])}
    )
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.content.decode()).group(1)
    as_planner.post(f"/plans/ops/{operation.pk}/bawaslu/confirm/", {"token": token})
    now = Tps.objects.get(operation=operation, code=tps.code)
    assert now.pk != tps.pk  # the list landed as a new data version, its rows written anew

    for link in links:  # every link of the list read before still opens its TPS
        assert as_planner.get(link).status_code == 302, link
    answer = as_planner.get(old)
    assert answer.status_code == 302 and answer["Location"] == f"/ops/{operation.pk}/tps/{now.pk}/"
    opened = as_planner.get(old, follow=True)
    assert opened.status_code == 200 and f"TPS {tps.code}" in opened.content.decode()
    edit = as_planner.get(f"/ops/{operation.pk}/tps/{tps.pk}/edit/")
    assert edit.status_code == 302 and edit["Location"] == f"/ops/{operation.pk}/tps/{now.pk}/edit/"


def test_it_says_in_words_a_tps_gone_in_a_new_data_version(as_planner, operation):
    gone, kept = Tps.objects.filter(operation=operation).order_by("code")[:2]
    reimport_without(operation, gone.code)
    assert not Tps.objects.filter(operation=operation, code=gone.code).exists()

    answer = as_planner.get(f"/ops/{operation.pk}/tps/{gone.pk}/")
    html = answer.content.decode()
    assert answer.status_code == 404 and "TPS tidak ditemukan" in html
    assert f"TPS {gone.code} tidak ada lagi dalam data operasi ini" in html
    assert f'href="/ops/{operation.pk}/tps/"' in html  # the way to the TPS list
    now = Tps.objects.get(operation=operation, code=kept.code)
    assert as_planner.get(f"/ops/{operation.pk}/tps/{kept.pk}/")["Location"] == f"/ops/{operation.pk}/tps/{now.pk}/"


def test_it_does_not_save_a_category_form_opened_before_the_import_blind(as_planner, operation):
    tps = first_tps(operation, SECTOR)
    reimport_without(operation)
    now = Tps.objects.get(operation=operation, code=tps.code)
    sent = {"category": "SANGAT_RAWAN", "source": "intel", "reason": "laporan intel"}
    answer = as_planner.post(f"/ops/{operation.pk}/tps/{tps.pk}/override/", sent, follow=True)
    assert answer.redirect_chain == [(f"/ops/{operation.pk}/tps/{now.pk}/", 302)]
    assert "sudah diperbarui sejak halaman ini dibuka" in answer.content.decode()
    assert Tps.objects.get(pk=now.pk).category == now.category  # nothing saved blind


def test_it_says_a_removed_tps_is_gone(as_planner, operation):
    tps = Tps.objects.filter(operation=operation).order_by("-code").first()
    old = tps.pk
    assert remove_row(tps) == ""
    answer = as_planner.get(f"/ops/{operation.pk}/tps/{old}/")
    assert answer.status_code == 404 and f"TPS {tps.code} tidak ada lagi" in answer.content.decode()


def test_it_keeps_a_sector_chief_to_his_kecamatan_after_a_reimport(as_sector, operation):
    mine = first_tps(operation, SECTOR)
    gone, kept = Tps.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR).order_by("code")[:2]
    reimport_without(operation, gone=gone.code)
    reimport_without(operation)  # two versions on: an id of the first still finds its TPS
    mine_now = Tps.objects.get(operation=operation, code=mine.code)
    kept_now = Tps.objects.get(operation=operation, code=kept.code)
    assert as_sector.get(f"/ops/{operation.pk}/tps/{mine.pk}/")["Location"] == f"/ops/{operation.pk}/tps/{mine_now.pk}/"

    # another sector's TPS, gone, still there by an old id, and by its id now: one answer, naming nothing
    for outside, code in ((gone.pk, gone.code), (kept.pk, kept.code), (kept_now.pk, kept.code)):
        for page in ("", "edit/"):
            answer = as_sector.get(f"/ops/{operation.pk}/tps/{outside}/{page}")
            html = answer.content.decode()
            assert answer.status_code in (403, 404) and not answer.has_header("Location")
            assert code not in html and (outside == kept_now.pk or f"/tps/{kept_now.pk}/" not in html)
        html = as_sector.get(f"/ops/{operation.pk}/tps/{outside}/").content.decode()
        assert "TPS tidak ditemukan" in html and "di luar wilayah yang boleh Anda lihat" in html
