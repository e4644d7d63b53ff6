"""Issue 17 items 2 and 6 on the console: a planner uploads the PPS Linmas decree on the
coordination page, the preview says whom it replaces, the confirm stores a new data version and
the leftover rows; the coordination list (by desa, NIK masked) is the planner's and, narrowed to
his kecamatan, the Kapolsek's, as a page and a workbook; a viewer is refused. A Kemendagri
region list uploaded on the regions page becomes the operation's regions; a bad one changes
nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from siaga.audit.models import AuditEntry
from siaga.core.data import demo
from siaga.field.models import LinmasLeftover
from siaga.operations.models import Person, Region
from tests.test_kemendagri import OTHER_PROVINCES, pasuruan_rows, write_csv
from tests.test_linmas import DUPLICATE_NIK, LOGOWOK, SUSUKAN, nik, write_decree
from tests.web.conftest import SECTOR, client_for


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_file(client: Any, url: str, path: Path) -> Any:
    with path.open("rb") as f:
        return client.post(url, {"file": SimpleUploadedFile(path.name, f.read())})


def texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def import_decree(client: Any, operation: Any, path: Path) -> Any:
    preview = post_file(client, reverse("linmas_preview", args=[operation.pk]), path)
    assert preview.status_code == 200, texts(preview)
    token = preview.context["token"]
    return preview, client.post(reverse("linmas_confirm", args=[operation.pk]), {"token": token})


def test_a_planner_previews_and_imports_the_decree_as_a_new_data_version(operation, tmp_path):
    planner = client_for("planner")
    earlier = Person.objects.filter(operation=operation, force="LINMAS", desa_code__in=[LOGOWOK, SUSUKAN]).count()
    versions = operation.data_versions.count()
    preview = post_file(planner, reverse("linmas_preview", args=[operation.pk]), write_decree(tmp_path / "sk-pps.csv"))
    page = preview.content.decode()
    assert preview.context["replaced_desa"] == earlier and preview.context["linmas"] == 16
    assert f"SK ini menggantikan {earlier} Linmas sebelumnya" in page
    assert "3514172005009" in page and "••••0001" in page and DUPLICATE_NIK not in page
    assert operation.data_versions.count() == versions  # the preview changes nothing
    done = planner.post(reverse("linmas_confirm", args=[operation.pk]), {"token": preview.context["token"]})
    assert done.status_code == 302 and done.url == reverse("linmas_coordination", args=[operation.pk])
    assert any("16 Linmas untuk 9 TPS" in m for m in texts(done)), texts(done)
    assert operation.data_versions.count() == versions + 1
    tied = Person.objects.filter(operation=operation, force="LINMAS").exclude(tps_code="")
    assert tied.count() == 16 and tied.get(code=nik(90)).tps_code == f"{SUSUKAN}-01"
    assert not Person.objects.filter(operation=operation, force="LINMAS", desa_code=LOGOWOK, tps_code="").exists()
    leftovers = LinmasLeftover.objects.filter(operation=operation).order_by("row")
    assert [(r.kind, r.row, r.nik_masked) for r in leftovers] == [
        ("UNKNOWN_TPS", 18, "••••0091"),
        ("DUPLICATE", 19, "••••0001"),
    ]


def test_the_coordination_list_by_desa_for_the_planner_and_the_kapolsek_only_his_kecamatan(operation, tmp_path):
    import_decree(client_for("planner"), operation, write_decree(tmp_path / "sk-pps.csv"))
    page = client_for("planner").get(reverse("linmas_coordination", args=[operation.pk]))
    groups = page.context["groups"]
    kecamatan = {g.code.rpartition(".")[0] for g, _lines in groups}
    assert len(kecamatan) == 7  # every kecamatan has TPS without a decree
    logowok = next(lines for g, lines in groups if g.code == LOGOWOK)
    assert [(line["kind"], line["tps"]) for line in logowok] == [
        ("TPS kurang Linmas", f"{LOGOWOK}-08"),
        ("TPS tidak dikenal", "3514172005009"),
        ("NIK ganda", f"{LOGOWOK}-02"),
    ]
    html = page.content.decode()
    assert "SK menyebut 1 Linmas; pola meminta 2" in html and DUPLICATE_NIK not in html
    assert nik(91) not in html and "••••0091" in html
    sector = client_for("sector").get(reverse("linmas_coordination", args=[operation.pk]))
    assert sector.status_code == 200
    assert {g.code.rpartition(".")[0] for g, _lines in sector.context["groups"]} == {SECTOR}
    book = client_for("sector").get(reverse("linmas_coordination", args=[operation.pk]) + "?export=xlsx")
    assert book.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(book.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kecamatan", "Kode desa", "Desa/kelurahan")
    assert {r[1].rpartition(".")[0] for r in rows[1:]} == {SECTOR}
    assert any(r[4] == "3514172005009" and r[7] == "••••0091" for r in rows[1:])
    assert not any(DUPLICATE_NIK in str(cell) for r in rows for cell in r)
    assert client_for("viewer").get(reverse("linmas_coordination", args=[operation.pk])).status_code == 403
    reads = AuditEntry.objects.filter(action="read_roster", object_type="linmas_coordination")
    assert reads.filter(user__username="sector").count() == 2 and not reads.filter(user__username="planner").exists()


def test_a_decree_with_a_problem_is_refused_whole(operation, tmp_path):
    versions = operation.data_versions.count()
    bad = write_decree(tmp_path / "sk.csv", [[1, "A", nik(1), "balai desa", "", ""]])
    response = post_file(client_for("planner"), reverse("linmas_preview", args=[operation.pk]), bad)
    said = texts(response)
    assert response.status_code == 302 and any("ditolak (1 masalah)" in m for m in said), said
    assert any("'sk.csv', baris 2, kolom 'TPS', nilai 'balai desa'" in m for m in said), said
    assert operation.data_versions.count() == versions


def test_only_a_planner_may_upload_a_decree(operation, tmp_path):
    path = write_decree(tmp_path / "sk-pps.csv")
    for who in ("sector", "viewer"):
        assert post_file(client_for(who), reverse("linmas_preview", args=[operation.pk]), path).status_code == 403
    assert (
        client_for("planner").post(reverse("linmas_confirm", args=[operation.pk]), {"token": "0" * 32}).status_code
        == 302
    )


def test_a_planner_imports_a_kemendagri_list_as_the_operations_regions(operation, tmp_path):
    versions = operation.data_versions.count()
    path = write_csv(tmp_path / "wilayah-kemendagri.csv", pasuruan_rows() + OTHER_PROVINCES)
    response = post_file(client_for("planner"), reverse("kemendagri_import", args=[operation.pk]), path)
    said = texts(response)
    assert any("wilayah-kemendagri.csv diimpor" in m and "5 provinsi dibaca" in m for m in said), said
    assert operation.data_versions.count() == versions + 1
    adat = Region.objects.get(operation=operation, code="51.01.01.3001")
    assert adat.level == "DESA" and adat.lat is None and adat.name == "Desa Adat Lelateng"
    assert Region.objects.get(operation=operation, code="73.10.08").name == "Ma'rang"
    kept = Region.objects.get(operation=operation, code=LOGOWOK)
    assert kept.lat is not None and kept.kecamatan_code == "35.14.17"
    regions = client_for("planner").get(reverse("regions_list", args=[operation.pk]) + "?q=Pitusunggu")
    assert "Pitusunggu (Pulau)" in regions.content.decode()


def test_a_kemendagri_list_with_a_problem_changes_nothing(operation, tmp_path):
    before = Region.objects.filter(operation=operation).count()
    path = write_csv(tmp_path / "wilayah.csv", [*pasuruan_rows(), ("35.14.99.2001", "Yatim")])
    response = post_file(client_for("planner"), reverse("kemendagri_import", args=[operation.pk]), path)
    said = texts(response)
    assert any("induknya, kecamatan 35.14.99, tidak ada di daftar" in m for m in said), said
    assert Region.objects.filter(operation=operation).count() == before
    viewer = post_file(client_for("viewer"), reverse("kemendagri_import", args=[operation.pk]), path)
    assert viewer.status_code == 403
    assert demo.pasuruan_kota().operation.name == operation.name
