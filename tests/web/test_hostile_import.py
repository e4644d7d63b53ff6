"""Issue 15 item 4 on the console: every file of the hostile corpus (tests/hostile_corpus.py) the
reader accepts imports through the import page as the planner, on SQLite and on PostgreSQL,
without a 500; the broken zips that crashed the import before are refused with the
"unreadable file" page; and the text limits of the reader are the database columns' own."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from siaga.core.data import cells
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import OPERATION, PERSONNEL, REGIONS, TPS, UNITS, read_scenario
from siaga.operations import models
from siaga.operations.services import import_scenario
from siaga.plans.models import PlanJob
from tests.hostile_corpus import ACCEPTING_KINDS, build

# Reader column -> the model field that stores it.
STORED = [
    (OPERATION, models.Operation, {"name": "name", "pattern": "pattern"}),
    (
        REGIONS,
        models.Region,
        {"code": "code", "name": "name", "parent_code": "parent_code", "polres_code": "polres_code"},
    ),
    (TPS, models.Tps, {"id": "code", "desa_code": "desa_code", "address": "address"}),
    (
        UNITS,
        models.Unit,
        {
            "code": "code",
            "name": "name",
            "kecamatan_code": "kecamatan_code",
            "parent_code": "parent_code",
            "bko_to": "bko_to",
        },
    ),
    (
        PERSONNEL,
        models.Person,
        {
            "id": "code",
            "name": "name",
            "rank": "rank",
            "unit_code": "unit_code",
            "desa_code": "desa_code",
            "phone": "phone",
            "position": "position",
            "tps_id": "tps_code",
            "pinned_post": "pinned_post",
            "pin_reason": "pin_reason",
        },
    ),
]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_JOBS_INLINE = True
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path, Any]]:
    """The accepted files of the corpus, one per distinct scenario (most accepted files read
    into the demo itself: a removed theme, a renamed properties part), in corpus order."""
    folder = tmp_path_factory.mktemp("corpus")
    kinds = list(ACCEPTING_KINDS)  # the other kinds have no accepted file (tests/test_hostile_files.py)
    seen: set[str] = set()
    out = []
    for kind, path in build(folder, kinds):
        try:
            scenario = read_scenario(path)
        except ScenarioError:
            continue
        key = hashlib.sha256(repr(scenario).encode()).hexdigest()
        if key not in seen:
            seen.add(key)
            out.append((kind, path, scenario))
    return out


def test_the_readers_text_limits_are_the_database_columns(db: Any) -> None:
    for spec, model, fields in STORED:
        readers = {c.name: c.read for c in spec.columns}
        for column, field in fields.items():
            reader = readers[column]
            assert isinstance(reader, cells.Text), (spec.name, column)
            assert reader.max_length == model._meta.get_field(field).max_length, (spec.name, column)


def test_every_accepted_hostile_file_imports_through_the_console_without_a_500(accepted, as_planner):
    assert len(accepted) >= 10
    for kind, path, scenario in accepted:
        if path.is_dir():  # a CSV folder is not uploaded: the worker's own import
            import_scenario(scenario, path.name)
            continue
        preview = as_planner.post("/import/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
        assert preview.status_code == 200, (kind, path.name, preview.status_code)
        token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.content.decode())
        assert token, (kind, path.name)
        done = as_planner.post("/import/confirm/", {"token": token[1]})
        assert done.status_code == 302, (kind, path.name, done.status_code)
        job = PlanJob.objects.filter(kind="import").latest("pk")
        assert job.status == PlanJob.Status.DONE, (kind, path.name, job.status, job.message)
        stored = job.operation
        assert stored is not None and stored.tps_set.count() == len(scenario.tps), (kind, path.name)


def test_the_broken_zips_are_refused_on_the_import_page_not_a_500(as_planner, tmp_path):
    """A zip whose directory points outside the file gave an OSError and a 500."""
    for _, path in build(tmp_path / "corpus", ["zip-structure", "truncation"]):
        response = as_planner.post("/import/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
        assert response.status_code in (200, 400), (path.name, response.status_code)
