"""Re-importing a workbook of the same operation updates it as a new data version with a diff;
operations are renamed and archived (archived ones leave the default lists)."""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from siaga.audit.models import AuditEntry
from siaga.core.data import demo
from siaga.core.data.scenario import write_scenario
from siaga.operations.models import DataVersion, Operation, Tps
from siaga.operations.services import import_scenario
from tests.web.conftest import client_for


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_JOBS_INLINE = True
    return settings.MEDIA_ROOT


def one_tps_changed(voters: int = 999) -> Any:
    """The demo with its first TPS's voter count changed and its last TPS gone."""
    scenario = demo.pasuruan_kota()
    first = dataclasses.replace(scenario.tps[0], voters=voters)
    return dataclasses.replace(scenario, tps=(first, *scenario.tps[1:-1]))


def test_a_reimport_updates_the_same_operation_as_a_new_data_version(operation):
    scenario = one_tps_changed()
    before = Operation.objects.count()
    again = import_scenario(scenario, "revisi.xlsx")
    assert again.pk == operation.pk and Operation.objects.count() == before
    assert again.tps_set.count() == 151 and again.tps_set.get(code=scenario.tps[0].id).voters == 999
    version = again.data_versions.first()
    assert version.number == 2 and version.source_name == "revisi.xlsx"
    assert version.diff["tps"]["changed"] == [{"code": scenario.tps[0].id, "fields": ["voters"]}]
    assert version.diff["tps"]["removed"] == [demo.pasuruan_kota().tps[-1].id]
    assert version.diff["tps"]["added"] == [] and version.diff["personnel"]["changed"] == []
    assert AuditEntry.objects.filter(action="reimport", operation_id=operation.pk).exists()


def test_an_unchanged_reimport_is_a_version_with_an_empty_diff(operation):
    import_scenario(demo.pasuruan_kota(), "sama.xlsx")
    diff = operation.data_versions.first().diff
    assert not any(codes for part in diff.values() for codes in part.values())


def test_a_reimport_that_fails_midway_leaves_the_old_rows(operation):
    people = demo.pasuruan_kota().personnel
    broken = dataclasses.replace(one_tps_changed(), personnel=(*people, people[0]))  # a duplicate NRP
    with pytest.raises(Exception):  # noqa: B017 - whichever IntegrityError the database raises
        import_scenario(broken, "rusak.xlsx")
    assert operation.tps_set.count() == 152 and DataVersion.objects.filter(operation=operation).count() == 1


def test_the_preview_names_the_changed_tps_and_the_confirmation_updates(as_planner, operation, tmp_path):
    path = tmp_path / "revisi.xlsx"
    scenario = one_tps_changed()
    write_scenario(scenario, path)
    preview = as_planner.post("/import/", {"file": SimpleUploadedFile("revisi.xlsx", path.read_bytes())})
    page = html.unescape(preview.content.decode())
    changed = Tps.objects.get(operation=operation, code=scenario.tps[0].id)
    desa = operation.regions.get(code=changed.desa_code).name
    assert 'id="diff"' in page and f"TPS {changed.number} {desa}" in page
    assert "versi data 2" in page and "Perbarui operasi ini" in page
    token = __import__("re").search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    as_planner.post("/import/confirm/", {"token": token})
    assert Tps.objects.get(pk__isnull=False, operation=operation, code=changed.code).voters == 999
    versions = html.unescape(as_planner.get(f"/ops/{operation.pk}/versions/").content.decode())
    assert f"TPS {changed.number} {desa}" in versions and "revisi.xlsx" in versions


def test_it_renames_an_operation_audited(as_planner, operation):
    as_planner.post(f"/ops/{operation.pk}/rename/", {"name": "Pam Pilkades 2022 (revisi)"})
    operation.refresh_from_db()
    assert operation.name == "Pam Pilkades 2022 (revisi)"
    entry = AuditEntry.objects.get(action="rename")
    assert entry.after == {"name": "Pam Pilkades 2022 (revisi)"}


def test_it_refuses_a_blank_name(as_planner, operation):
    page = as_planner.post(f"/ops/{operation.pk}/rename/", {"name": "  "}, follow=True)
    assert "Nama operasi: wajib diisi" in page.content.decode()
    assert Operation.objects.get(pk=operation.pk).name == operation.name


def test_an_archived_operation_leaves_the_lists_and_a_reimport_makes_a_new_one(as_planner, operation):
    as_planner.post(f"/ops/{operation.pk}/archive/", {"archived": "1"})
    assert Operation.objects.get(pk=operation.pk).archived
    fresh = import_scenario(demo.pasuruan_kota(), "baru.xlsx")
    assert fresh.pk != operation.pk
    dashboard = as_planner.get(f"/ops/{fresh.pk}/").content.decode()
    assert f'href="/ops/{operation.pk}/"' not in dashboard
    assert as_planner.get("/").headers["Location"] == f"/ops/{fresh.pk}/"


@pytest.mark.parametrize("name", ["viewer", "commander", "sector"])
def test_it_refuses_rename_and_archive_to_everyone_but_planners(name, operation):
    client = client_for(name)
    assert client.post(f"/ops/{operation.pk}/rename/", {"name": "x"}).status_code == 403
    assert client.post(f"/ops/{operation.pk}/archive/", {"archived": "1"}).status_code == 403
    assert not Operation.objects.get(pk=operation.pk).archived
