"""Issue 17 item 1 on the console: a planner uploads a KPU TPS list on the TPS list page; the
operation gets the KPU's TPS as a new data version with a diff, and the warnings show; a list
with an unknown desa is refused whole (nothing changes); a viewer may not upload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from siaga.operations.models import Tps
from tests.test_kpu import write_kpu_csv, write_kpu_xlsx
from tests.web.conftest import client_for


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client: Any, operation: Any, path: Path) -> Any:
    with path.open("rb") as f:
        file = SimpleUploadedFile(path.name, f.read())
    return client.post(reverse("kpu_tps_import", args=[operation.pk]), {"file": file})


def texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_tps_page_offers_the_upload_to_a_planner_only(operation):
    page = client_for("planner").get(reverse("tps_list", args=[operation.pk])).content.decode()
    assert 'id="kpu-import"' in page and reverse("kpu_tps_import", args=[operation.pk]) in page
    page = client_for("viewer").get(reverse("tps_list", args=[operation.pk])).content.decode()
    assert 'id="kpu-import"' not in page


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_planner_imports_a_kpu_list_as_a_new_data_version(operation, tmp_path, kind):
    writer = write_kpu_csv if kind == "csv" else write_kpu_xlsx
    path = writer(tmp_path / f"dpt-paskot.{kind}", unknown=False)
    versions = operation.data_versions.count()
    response = upload(client_for("planner"), operation, path)
    assert response.status_code == 302 and response.url == reverse("tps_list", args=[operation.pk])
    said = texts(response)
    assert any("155 TPS (3 TPS lokasi khusus)" in m for m in said), said
    warnings = [m for m in said if "diisi titik desa" in m]
    assert len(warnings) == 2 and f"'dpt-paskot.{kind}'" in warnings[0] and "3514162022002" in warnings[0]
    assert operation.data_versions.count() == versions + 1
    version = operation.data_versions.first()
    assert version.source_name == f"dpt-paskot.{kind}"
    assert sorted(version.diff["tps"]["added"]) == ["3514172005901", "3514172005902", "3514172005903"]
    assert Tps.objects.filter(operation=operation).count() == 155
    special = Tps.objects.get(operation=operation, code="3514172005901")
    assert special.category == "KHUSUS" and special.category_reason == "TPS lokasi khusus"
    assert special.effective_category == "KHUSUS"


def test_a_list_with_an_unknown_desa_changes_nothing(operation, tmp_path):
    before = list(Tps.objects.filter(operation=operation).order_by("code").values_list("code", "voters", "lat"))
    versions = operation.data_versions.count()
    response = upload(client_for("planner"), operation, write_kpu_csv(tmp_path / "kpu.csv"))
    said = texts(response)
    assert any("ditolak (1 masalah); tidak ada yang diubah" in m for m in said), said
    assert any("'kpu.csv', baris 157, kolom 'kode_desa'" in m and "35.14.99.2001" in m for m in said), said
    assert operation.data_versions.count() == versions
    after = list(Tps.objects.filter(operation=operation).order_by("code").values_list("code", "voters", "lat"))
    assert after == before


def test_a_viewer_may_not_upload(operation, tmp_path):
    versions = operation.data_versions.count()
    response = upload(client_for("viewer"), operation, write_kpu_csv(tmp_path / "kpu.csv", unknown=False))
    assert response.status_code == 403
    assert operation.data_versions.count() == versions


def test_a_file_that_is_no_list_is_refused(operation, tmp_path):
    path = tmp_path / "kpu.pdf"
    path.write_bytes(b"%PDF-1.4")
    response = upload(client_for("planner"), operation, path)
    assert any(".csv atau .xlsx" in m for m in texts(response))
