"""What a planner's walk through the import found: the preview names who and what changed in
words, an identical file offers no update, a file that is no workbook is named as the file, and
a category from the import file is told the same way in the vulnerability table and in the
override report (the file, its data version, the importer by name and rank, never a login)."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from siaga.core.data import demo
from siaga.core.data.model import Category
from siaga.core.data.scenario import write_scenario
from siaga.operations.services import import_scenario
from tests.web.conftest import client_for

SUGENG = "72036646"  # IPTU Sugeng Hidayat of the demo
REASON = "Laporan Babinkamtibmas: sengketa batas dusun memanas"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_JOBS_INLINE = True
    return settings.MEDIA_ROOT


def changed_demo(phones: int = 0) -> Any:
    """The demo with IPTU Sugeng Hidayat not ready, `phones` other people with a new phone, and
    its second TPS set Rawan by hand with a reason."""
    scenario = demo.pasuruan_kota()
    people = list(scenario.personnel)
    for i, p in enumerate(people):
        if p.id == SUGENG:
            people[i] = dataclasses.replace(p, available=False)
    others = [i for i, p in enumerate(people) if p.id != SUGENG][:phones]
    for n, i in enumerate(others):
        people[i] = dataclasses.replace(people[i], phone=f"0812000000{n:02d}")
    tps = list(scenario.tps)
    tps[1] = dataclasses.replace(tps[1], category=Category.RAWAN, category_reason=REASON)
    return dataclasses.replace(scenario, personnel=tuple(people), tps=tuple(tps))


def preview(client: Any, scenario: Any, tmp_path: Path, name: str = "revisi.xlsx") -> str:
    path = tmp_path / name
    write_scenario(scenario, path)
    answer = client.post("/import/", {"file": SimpleUploadedFile(name, path.read_bytes())})
    return html.unescape(answer.content.decode())


def english(client: Any) -> Any:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_it_names_who_changed_and_what_in_words(as_planner, operation, tmp_path):
    page = preview(as_planner, changed_demo(), tmp_path)
    assert "Personel: 0 baru, 0 dihapus, 1 berubah" in page
    assert re.search(
        r"IPTU Sugeng Hidayat</strong> <span class=\"muted\">\(72036646\)</span>: kesiapan: siap → tidak siap", page
    )
    tps = demo.pasuruan_kota().tps[1]
    assert (
        f"({tps.id})</span>: kategori ditetapkan Rawan (sebelumnya mengikuti hasil model), dengan alasan «{REASON}»"
        in page
    )
    assert "kategori ditetapkan, alasan" not in page  # column names, not words


def test_it_names_a_few_changed_people_then_counts_the_rest(as_planner, operation, tmp_path):
    page = preview(as_planner, changed_demo(phones=7), tmp_path)
    assert "Personel: 0 baru, 0 dihapus, 8 berubah" in page
    assert len(re.findall(r'<li class="person-changed">', page)) == 5
    assert "dan 3 lainnya" in page and "nomor HP: " in page


def test_it_says_the_changes_in_english(as_planner, operation, tmp_path):
    page = preview(english(as_planner), changed_demo(), tmp_path)
    assert "IPTU Sugeng Hidayat" in page and "readiness: ready → not ready" in page
    assert f"category set to Vulnerable (until now the model's), because «{REASON}»" in page
    assert "kesiapan" not in page


@pytest.mark.parametrize(
    ("lang", "said", "button", "anyway"),
    [
        ("id", "mengimpornya tidak mengubah apa pun", "Perbarui operasi ini", "(tidak ada yang berubah)"),
        ("en", "importing it would change nothing", "Update this operation", "(nothing changes)"),
    ],
)
def test_an_identical_file_offers_no_update(as_planner, operation, tmp_path, lang, said, button, anyway):
    client = english(as_planner) if lang == "en" else as_planner
    page = preview(client, demo.pasuruan_kota(), tmp_path, "sama.xlsx")
    assert 'id="nothing-to-update"' in page and said in page
    assert button not in page  # no update offered; recording the same data again says it changes nothing
    assert re.search(rf'<button class="secondary" id="record-anyway">[^<]*{re.escape(anyway)}</button>', page)
    assert f'href="/ops/{operation.pk}/"' in page


def test_a_changed_file_still_offers_the_update(as_planner, operation, tmp_path):
    page = preview(as_planner, changed_demo(), tmp_path)
    assert 'id="confirm-form"' in page and "Perbarui operasi ini (versi data 2)" in page
    assert 'id="nothing-to-update"' not in page


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("id", "Berkas 'bad.xlsx' bukan berkas Excel .xlsx yang sah. Yang diterima: buku kerja Excel .xlsx"),
        ("en", "File 'bad.xlsx' is not a valid Excel .xlsx file. Accepted: an Excel .xlsx workbook"),
    ],
)
def test_a_file_that_is_no_workbook_is_named_as_the_file(as_planner, operation, lang, said):
    client = english(as_planner) if lang == "en" else as_planner
    answer = client.post("/import/", {"file": SimpleUploadedFile("bad.xlsx", b"not an excel file\n")})
    page = html.unescape(answer.content.decode())
    assert answer.status_code == 400 and said in page
    assert "nilai 'bad.xlsx'" not in page and "value 'bad.xlsx'" not in page


def source_cells(page: str) -> dict[str, list[str]]:
    """The source cell of each TPS, in the table and in the override report."""
    cells: dict[str, list[str]] = {}
    for code, row in re.findall(r'<tr class="(?:tps|override)-row" data-tps="([^"]+)".*?>(.*?)</tr>', page, re.S):
        cell = re.search(r'<td class="source"[^>]*>(.*?)</td>', row, re.S)
        assert cell, code
        cells.setdefault(code, []).append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell.group(1))).strip())
    return cells


def test_a_category_from_the_file_is_told_the_same_in_the_table_and_the_report(operation):
    planner = get_user_model().objects.get(username="planner")
    planner.first_name, planner.last_name = "KOMPOL Wawan", "Suryadi (Kabag Ops)"
    planner.save()
    import_scenario(changed_demo(), "revisi.xlsx", user=planner)
    page = html.unescape(
        client_for("planner").get(f"/ops/{operation.pk}/vulnerability/?source=override").content.decode()
    )
    cells = source_cells(page)
    second = demo.pasuruan_kota().tps[1].id
    table, report = cells[second]
    source = "Berkas impor revisi.xlsx (versi data 2)"
    assert table.startswith(source) and REASON in table and report.startswith(source)
    for cell in (table, report):
        assert "diimpor oleh KOMPOL Wawan Suryadi (Kabag Ops)" in cell and "(planner)" not in cell
        assert "Perkiraan intelijen" not in cell


def test_a_category_set_by_hand_names_the_officer_not_his_login(as_commander, operation):
    commander = get_user_model().objects.get(username="commander")
    commander.first_name, commander.last_name = "AKBP Mustofa", "Nugroho"
    commander.save()
    tps = operation.tps_set.filter(category="").first()
    data = {"category": "SANGAT_RAWAN", "source": "decision", "reason": "Keputusan rapat"}
    as_commander.post(f"/ops/{operation.pk}/tps/{tps.pk}/override/", data)
    page = html.unescape(as_commander.get(f"/ops/{operation.pk}/vulnerability/?source=override").content.decode())
    for cell in source_cells(page)[tps.code]:
        assert cell.startswith("Keputusan Kapolres") and "ditetapkan oleh AKBP Mustofa Nugroho" in cell
        assert "commander" not in cell
    detail = html.unescape(as_commander.get(f"/ops/{operation.pk}/tps/{tps.pk}/").content.decode())
    assert "ditetapkan oleh AKBP Mustofa Nugroho," in detail


def test_many_changed_tps_are_named_a_few_then_counted(as_planner, operation, tmp_path):
    scenario = demo.pasuruan_kota()
    tps = [dataclasses.replace(t, voters=t.voters + 1) if i < 12 else t for i, t in enumerate(scenario.tps)]
    page = preview(as_planner, dataclasses.replace(scenario, tps=tuple(tps)), tmp_path)
    assert len(re.findall(r'<li class="tps-changed">', page)) == 10
    assert "dan 2 TPS lain berubah" in page and "jumlah pemilih (DPT): " in page
