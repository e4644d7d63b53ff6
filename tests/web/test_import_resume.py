"""An import killed right after its commit is not lost, and the same file uploaded again does
not store the operation twice (issue 15 item 7).

The import job stores the operation and ends the job in one transaction (`_run_import`), so a
worker killed right after that commit leaves a finished job pointing to its operation; neither
the stale-job sweep nor a second delivery of the job's message runs it again. A re-upload of the
very same file (SHA-256) whose data the operation still holds unchanged points to that
operation: no new data version, no second operation."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from siaga.core.data import demo
from siaga.core.data.scenario import write_scenario
from siaga.jobs import runner
from siaga.jobs.sweep import sweep
from siaga.operations.models import DataVersion, Operation, Tps
from siaga.plans import services
from siaga.plans.models import PlanJob
from tests.web.test_data_pages import text, token_of, upload


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_JOBS_INLINE = True
    return settings.MEDIA_ROOT / "uploads"


@pytest.fixture(scope="module")
def demo_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    write_scenario(demo.pasuruan_kota(), path)
    return path


class Killed(BaseException):
    """The worker's death (SIGKILL) right after the import's commit: nothing after it runs."""


def import_job(path: Path, tmp_path: Path, user: Any) -> PlanJob:
    claimed = tmp_path / f"claimed-{PlanJob.objects.count()}.importing.xlsx"
    shutil.copy(path, claimed)
    return services.start_import(claimed, path.name, user)


def test_a_worker_killed_right_after_the_commit_leaves_a_finished_import(
    demo_xlsx, tmp_path, monkeypatch, settings, django_user_model
):
    settings.SIAGA_JOBS_INLINE = False
    monkeypatch.setattr("siaga.jobs.queue.enqueue", lambda job_id: "")  # no broker: run it by hand
    planner = django_user_model.objects.get(username="planner")
    job = import_job(demo_xlsx, tmp_path, planner)
    versions = DataVersion.objects.count()

    def die(self: Path, missing_ok: bool = False) -> None:
        raise Killed

    monkeypatch.setattr(Path, "unlink", die)  # the first thing after the commit
    with pytest.raises(Killed):
        runner.run(job.pk, beat=False)
    monkeypatch.undo()
    job.refresh_from_db()
    assert job.status == PlanJob.Status.DONE and job.operation is not None  # not "failed", not lost
    assert DataVersion.objects.count() == versions + 1
    assert sweep(now=job.finished_at + timedelta(hours=1)) == {"resumed": [], "failed": []}
    runner.run(job.pk, beat=False)  # the broker delivers the message again: claimed by nobody
    assert DataVersion.objects.count() == versions + 1


def test_the_same_file_uploaded_again_points_to_its_operation(as_planner, demo_xlsx, media):
    as_planner.post("/import/confirm/", {"token": token_of(upload(as_planner, demo_xlsx))})
    operations, versions = Operation.objects.count(), DataVersion.objects.count()
    first = PlanJob.objects.filter(kind="import").latest("pk")

    again = as_planner.post("/import/confirm/", {"token": token_of(upload(as_planner, demo_xlsx))})
    job = PlanJob.objects.filter(kind="import").latest("pk")
    assert job.pk != first.pk and job.status == PlanJob.Status.DONE
    assert job.operation_id == first.operation_id and job.params["unchanged"] is True
    assert (Operation.objects.count(), DataVersion.objects.count()) == (operations, versions)
    page = as_planner.get(again.headers["Location"], follow=True)
    assert page.redirect_chain[-1][0] == f"/ops/{first.operation_id}/"
    assert list(media.iterdir()) == []  # the upload is gone all the same
    assert "Berkas yang sama sudah diimpor" in job.message
    shown = text(page)
    assert (
        "Berkas yang sama sudah diimpor" in shown and "diimpor: 0 TPS" not in shown
    )  # what happened, not "0 imported"


def test_the_same_file_after_a_hand_edit_is_imported_again(as_planner, demo_xlsx):
    as_planner.post("/import/confirm/", {"token": token_of(upload(as_planner, demo_xlsx))})
    first = PlanJob.objects.filter(kind="import").latest("pk")
    tps = Tps.objects.filter(operation_id=first.operation_id).order_by("pk").first()
    Tps.objects.filter(pk=tps.pk).update(voters=tps.voters + 1)  # a planner's edit the file would take back
    versions = DataVersion.objects.count()
    as_planner.post("/import/confirm/", {"token": token_of(upload(as_planner, demo_xlsx))})
    job = PlanJob.objects.filter(kind="import").latest("pk")
    assert job.status == PlanJob.Status.DONE and not job.params.get("unchanged")
    assert DataVersion.objects.count() == versions + 1
    assert Tps.objects.get(operation_id=first.operation_id, code=tps.code).voters == tps.voters
