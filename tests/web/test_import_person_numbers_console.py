"""The console's import page refuses a workbook whose NRP, Linmas NIK or phone is not one, with
the importer's own messages (naming sheet, row, column and value), and changes nothing."""

from __future__ import annotations

import html
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from siaga.core.data import demo
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.operations.models import Operation, Person


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT / "uploads"


def spoiled_demo(path: Path) -> Path:
    """The demo workbook with a 7-digit NRP, a 15-digit Linmas NIK and a phone "08-abc"."""
    write_scenario(demo.pasuruan_kota(), path)
    book = openpyxl.load_workbook(path)
    sheet = book["personel"]
    head = [c.value for c in sheet[1]]
    nrp, force, phone = (head.index(name) for name in ("nrp", "unsur", "no_hp"))
    rows = list(sheet.iter_rows(min_row=2))
    polri = next(r for r in rows if r[force].value == "POLRI")
    linmas = next(r for r in rows if r[force].value == "LINMAS")
    polri[nrp].value = "1234567"
    linmas[nrp].value = str(linmas[nrp].value)[:15]
    rows[2][phone].value = "08-abc"
    book.save(path)
    return path


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_import_page_refuses_bad_person_numbers_with_the_importers_words(as_planner, tmp_path, media, language):
    path = spoiled_demo(tmp_path / "personel-rusak.xlsx")
    with pytest.raises(ScenarioError) as expected:
        read_scenario(path)
    assert {p.code for p in expected.value.problems} == {"nrp_lost_zero", "nik_digits", "not_phone"}
    as_planner.post("/i18n/setlang/", {"language": language, "next": "/"})
    operations, persons = Operation.objects.count(), Person.objects.count()

    page = as_planner.post("/import/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})

    assert page.status_code == 400
    body = html.unescape(page.content.decode())
    shown = re.findall(r"<li>(.*?)</li>", body.split('id="problems"')[1].split("</ol>")[0])
    assert shown == expected.value.messages(language)
    if language == "id":
        assert any(m.startswith("Lembar 'personel', baris ") and "kolom 'nrp', nilai '1234567'" in m for m in shown)
        assert any("nilai '08-abc': No. HP hanya angka" in m for m in shown)
        assert any("NIK Linmas harus 16 angka" in m for m in shown)
    else:
        assert any("A Polri NRP has 8 digits; 1234567 was written (7 digits)" in m for m in shown)
    assert (Operation.objects.count(), Person.objects.count()) == (operations, persons)
    assert 'name="token"' not in body and list(media.iterdir()) == []
