"""The planner's data walk (import, lists, hand edits, versions), in Indonesian and English:
the list import pages name no developer file, a refused list counts its problems in the
page's grammar, a new row's taken code is named by the field's own label, and a row removed
by hand shows on the versions page to those who keep the data (not to a sector chief)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from siaga.audit.models import AuditEntry
from siaga.operations.models import Region, Tps
from tests.web.conftest import SECTOR, client_for


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def in_english(client: Client) -> Client:
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return client


def said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("english", [False, True])
@pytest.mark.parametrize(
    ("url_name", "help_of"),
    [
        ("tps_list", "kpu_tps_import"),
        ("regions_list", "kemendagri_import"),
        ("interchange", "coordinates_preview"),
        ("linmas_coordination", "linmas_preview"),
    ],
)
def test_the_list_import_help_names_no_developer_file(as_planner, operation, url_name, help_of, english):
    client = in_english(as_planner) if english else as_planner
    text = page(client.get(reverse(url_name, args=[operation.pk])))
    assert reverse(help_of, args=[operation.pk]) in text  # the upload form and its help are there
    assert "docs/" not in text and ".md" not in text


def one_bad_region_list(operation: Any) -> SimpleUploadedFile:
    """The operation's own regions as a Kemendagri list, one desa in use left out: one problem."""
    rows = Region.objects.filter(operation=operation).exclude(code=in_use_desa(operation))
    lines = ["kode,nama", "35,JAWA TIMUR", *(f"{code},{name}" for code, name in rows.values_list("code", "name"))]
    return SimpleUploadedFile("wilayah.csv", ("\n".join(lines) + "\n").encode())


def in_use_desa(operation: Any) -> str:
    return str(Tps.objects.filter(operation=operation).order_by("code").first().desa_code)


@pytest.mark.parametrize(
    ("english", "headline"),
    [
        (False, "Daftar wilayah wilayah.csv ditolak (1 masalah); tidak ada yang diubah."),
        (True, "Region list wilayah.csv refused (1 problem); nothing was changed."),
    ],
)
def test_a_region_list_with_one_problem_says_one_problem(as_planner, operation, english, headline):
    client = in_english(as_planner) if english else as_planner
    versions = operation.data_versions.count()
    response = client.post(reverse("kemendagri_import", args=[operation.pk]), {"file": one_bad_region_list(operation)})
    messages = said(response)
    assert messages[0] == headline, messages
    assert len(messages) == 2 and in_use_desa(operation) in messages[1]
    assert operation.data_versions.count() == versions


ONE_UNKNOWN_DESA = b"kode_tps,dpt\n3514179999001,200\n"
AND_A_TEXT_DPT = ONE_UNKNOWN_DESA + b"3514179999002,banyak\n"


@pytest.mark.parametrize(
    ("english", "content", "headline"),
    [
        (False, ONE_UNKNOWN_DESA, "Daftar TPS KPU kpu.csv ditolak (1 masalah); tidak ada yang diubah."),
        (True, ONE_UNKNOWN_DESA, "KPU TPS list kpu.csv refused (1 problem); nothing was changed."),
        (True, AND_A_TEXT_DPT, "KPU TPS list kpu.csv refused (2 problems); nothing was changed."),
    ],
)
def test_a_refused_kpu_list_counts_its_problems_in_the_pages_grammar(as_planner, operation, english, content, headline):
    client = in_english(as_planner) if english else as_planner
    before = sorted(Tps.objects.filter(operation=operation).values_list("code", "voters"))
    response = client.post(
        reverse("kpu_tps_import", args=[operation.pk]), {"file": SimpleUploadedFile("kpu.csv", content)}
    )
    messages = said(response)
    assert messages[0] == headline, messages
    assert len(messages) == 1 + content.count(b"\n") - 1  # the headline, then one problem a row
    assert sorted(Tps.objects.filter(operation=operation).values_list("code", "voters")) == before


@pytest.mark.parametrize(
    ("english", "url_name", "expected"),
    [
        (False, "tps_add", "Kode TPS: kode ini sudah dipakai dalam operasi ini"),
        (True, "tps_add", "TPS code: this code is already used in this operation"),
        (False, "unit_add", "Kode satuan: kode ini sudah dipakai dalam operasi ini"),
        (False, "person_add", "NRP/NIK: kode ini sudah dipakai dalam operasi ini"),
    ],
)
def test_a_taken_code_is_named_by_the_fields_label(as_planner, operation, english, url_name, expected):
    client = in_english(as_planner) if english else as_planner
    taken = {
        "tps_add": Tps.objects.filter(operation=operation).first().code,
        "unit_add": operation.units.first().code,
        "person_add": operation.personnel.first().code,
    }[url_name]
    response = client.post(reverse(url_name, args=[operation.pk]), {"code": taken})
    assert response.status_code == 400
    text = page(response)
    assert expected in text
    assert "Id:" not in text and "Code:" not in text


def removable_tps(operation: Any) -> Tps:
    """A TPS of SECTOR added by hand (no plan guards it), so it may be removed."""
    desa = Region.objects.filter(operation=operation, level="DESA", kecamatan_code=SECTOR).first()
    data = {"code": f"{desa.code}-UJI-1", "desa_code": desa.code, "number": "98", "voters": "120"}
    data |= {"lat": "-7.65", "lon": "112.9", "address": "Balai RW"}
    assert client_for("planner").post(reverse("tps_add", args=[operation.pk]), data).status_code == 302
    return Tps.objects.get(operation=operation, code=data["code"])


def test_a_tps_removed_by_hand_shows_on_the_versions_page(as_planner, operation):
    tps = removable_tps(operation)
    assert as_planner.post(reverse("row_remove", args=[operation.pk, "tps", tps.pk])).status_code == 302
    assert not Tps.objects.filter(pk=tps.pk).exists()
    assert AuditEntry.objects.filter(action="remove", object_type="tps", object_id=tps.code).exists()
    text = page(as_planner.get(reverse("versions", args=[operation.pk])))
    assert 'id="hand-changes"' in text
    section = text.split('id="hand-changes"')[1]
    assert "Hapus data" in section and tps.code in section
    assert section.index("Hapus data") < section.index("Tambah data")  # newest first
    english = page(in_english(as_planner).get(reverse("versions", args=[operation.pk])))
    assert "Latest changes by hand" in english and "Perubahan manual" not in english


@pytest.mark.parametrize("name", ["viewer", "sector"])
def test_those_who_do_not_keep_the_data_see_no_hand_changes(operation, name):
    removable_tps(operation)
    text = page(client_for(name).get(reverse("versions", args=[operation.pk])))
    assert 'id="hand-changes"' not in text and "UJI-1" not in text


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        (False, "Berkas batas wilayah bukan JSON yang sah (rusak di baris 1, kolom 44)"),
        (True, "The boundary file is not valid JSON (broken at line 1, column 44)"),
    ],
)
def test_a_broken_boundary_file_says_where_in_the_readers_words(as_planner, operation, english, expected):
    client = in_english(as_planner) if english else as_planner
    stored = operation.boundaries.count()
    broken = SimpleUploadedFile("batas.geojson", b'{"type": "FeatureCollection", "features": [')
    response = client.post(reverse("boundaries_import", args=[operation.pk]), {"file": broken})
    text = page(response)
    assert response.status_code == 400 and expected in text
    assert "JSONDecodeError" not in text and "Expecting value" not in text
    assert operation.boundaries.count() == stored


def test_an_empty_multipolygon_is_refused_in_english_words_only(as_planner, operation):
    kecamatan = Region.objects.filter(operation=operation, level="KECAMATAN").first()
    feature = {"type": "Feature", "properties": {"kode": kecamatan.code}}
    feature["geometry"] = {"type": "MultiPolygon", "coordinates": []}
    content = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    client = in_english(as_planner)
    response = client.post(
        reverse("boundaries_import", args=[operation.pk]), {"file": SimpleUploadedFile("b.geojson", content)}
    )
    text = page(response)
    assert response.status_code == 400 and "polygon 1, ring 1 has only 0 points" in text
    assert "kosong" not in text


def test_a_coordinates_file_with_one_problem_says_one_problem_in_english(as_planner, operation):
    content = b"kode_tps,lintang,bujur\n35.14.99.9999-01,-7.6,112.8\n"
    client = in_english(as_planner)
    response = client.post(
        reverse("coordinates_preview", args=[operation.pk]), {"file": SimpleUploadedFile("titik.csv", content)}
    )
    text = page(response)
    assert response.status_code == 400
    assert "Coordinates file titik.csv refused (1 problem); nothing was changed." in text


def test_a_linmas_decree_with_one_problem_says_one_problem_in_english(as_planner, operation):
    tps = Tps.objects.filter(operation=operation).order_by("code").first()
    content = f"nama,nik,tps\n,1234567890123456,{tps.code}\n".encode()
    client = in_english(as_planner)
    response = client.post(
        reverse("linmas_preview", args=[operation.pk]), {"file": SimpleUploadedFile("sk.csv", content)}
    )
    messages = said(response)
    assert messages[0] == "PPS Linmas decree sk.csv refused (1 problem); nothing was changed.", messages
    assert len(messages) == 2


@pytest.mark.parametrize("english", [False, True])
def test_an_unreadable_workbook_is_named_as_the_planner_sent_it(as_planner, english):
    client = in_english(as_planner) if english else as_planner
    response = client.post(reverse("import"), {"file": SimpleUploadedFile("rusak.xlsx", b"bukan berkas Excel")})
    text = page(response)
    assert response.status_code == 400
    problems = text.split('id="problems"')[1] if 'id="problems"' in text else text
    assert "'rusak.xlsx'" in problems
    assert re.search(r"[0-9a-f]{32}\.xlsx", text) is None  # the name it was stored under stays unseen
