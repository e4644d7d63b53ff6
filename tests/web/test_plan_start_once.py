"""A plan is started once: pressing "Susun rencana" twice (a double click, two tabs, two
planners) while a plan of the operation is queued or running starts no second job; the one who
pressed is told who is making it and since when, and is taken to its progress. The same holds
for the other buttons that start a plan (re-plan, PSU, the strength advice) and for the orders
of a plan version. Under a real row lock: simultaneous presses on their own connections start
one job, on SQLite and on PostgreSQL."""

from __future__ import annotations

import html
import threading
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connections
from django.test import Client
from django.urls import reverse
from django_q.models import OrmQ

from siaga.audit.models import AuditEntry
from siaga.jobs import queue
from siaga.operations.models import Operation
from siaga.plans.models import Plan, PlanJob
from tests.web.conftest import client_for

ALREADY = "Rencana untuk operasi ini sedang disusun oleh"


@pytest.fixture(autouse=True)
def queued_jobs(settings: Any) -> None:
    settings.SIAGA_JOBS_INLINE = False  # the job waits for a worker this test does not run


@pytest.fixture
def as_planner2(db: Any) -> Client:
    return client_for("planner2")


def shown(client: Client, response: Any) -> str:
    """The page the response sends the browser to, with its messages."""
    assert response.status_code == 302, response.status_code
    return html.unescape(client.get(response.headers["Location"]).content.decode())


def jobs(operation: Operation) -> list[PlanJob]:
    return list(PlanJob.objects.filter(operation=operation, kind__in=("plan", "replan")))


def test_a_double_click_on_plan_start_starts_one_plan(as_planner, operation):
    url = reverse("plan_start", args=[operation.pk])
    first, second = as_planner.post(url), as_planner.post(url)
    [job] = jobs(operation)
    assert first.headers["Location"] == second.headers["Location"] == f"/plans/jobs/{job.pk}/"
    assert OrmQ.objects.count() == 1  # one message for the worker
    assert AuditEntry.objects.filter(action="start_plan", object_id=str(job.pk)).count() == 1
    assert AuditEntry.objects.filter(action="start_plan").count() == 1
    page = shown(as_planner, second)
    assert f"{ALREADY} Anda sejak" in page and "Rencana kedua tidak dimulai; ini kemajuannya." in page


def test_a_second_planner_is_told_who_started_it_and_since_when(as_planner, as_planner2, operation):
    as_planner.post(reverse("plan_start", args=[operation.pk]))
    [job] = jobs(operation)
    PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.Status.RUNNING)  # the worker has it now
    second = as_planner2.post(reverse("plan_start", args=[operation.pk]))
    assert second.headers["Location"] == f"/plans/jobs/{job.pk}/"
    page = shown(as_planner2, second)
    assert f"{ALREADY} Planner (planner) sejak" in page
    assert len(jobs(operation)) == 1


def test_it_names_no_one_for_a_job_without_its_starter(as_planner, operation):
    job = PlanJob.objects.create(operation=operation, created_by=None)
    page = shown(as_planner, as_planner.post(reverse("plan_start", args=[operation.pk])))
    assert f"{ALREADY} perencana lain sejak" in page and len(jobs(operation)) == 1 and jobs(operation)[0] == job


def test_it_starts_again_once_the_plan_is_done(as_planner, operation):
    url = reverse("plan_start", args=[operation.pk])
    as_planner.post(url)
    PlanJob.objects.filter(operation=operation).update(status=PlanJob.Status.DONE)
    as_planner.post(url)
    assert len(jobs(operation)) == 2


def test_a_replan_while_a_plan_is_queued_is_not_started(as_planner, as_planner2, operation, plan):
    as_planner.post(reverse("plan_start", args=[operation.pk]))
    absent = plan.assignments.values_list("person_code", flat=True).first()
    refused = as_planner2.post(reverse("plan_replan", args=[plan.pk]), {"absent": absent})
    page = shown(as_planner2, refused)
    assert f"{ALREADY} Planner (planner)" in page and "Susun ulang Anda belum dijalankan." in page
    assert [j.kind for j in jobs(operation)] == ["plan"]


def test_a_psu_while_a_plan_is_queued_adds_no_stage(as_planner, operation, plan):
    as_planner.post(reverse("plan_start", args=[operation.pk]))
    stages_before = dict(operation.config).get("stages")
    tps = list(operation.tps_set.order_by("code").values_list("code", flat=True)[:2])
    data = {"name": "PSU Kraton", "date": "2022-03-30", "start": "07:00", "end": "17:00", "tps": "\n".join(tps)}
    page = shown(as_planner, as_planner.post(reverse("plan_psu", args=[plan.pk]), data))
    assert ALREADY in page and "PSU belum ditambahkan." in page
    operation.refresh_from_db()
    assert dict(operation.config).get("stages") == stages_before  # rolled back with the refusal
    assert not AuditEntry.objects.filter(action="add_psu").exists()
    assert [j.kind for j in jobs(operation)] == ["plan"]


def test_the_strength_advice_while_a_plan_is_queued_changes_nothing(as_planner, operation, plan):
    as_planner.post(reverse("plan_start", args=[operation.pk]))
    before = dict(operation.config).get("reinforce_sangat_rawan")
    page = shown(as_planner, as_planner.post(reverse("plan_reinforce", args=[plan.pk]), {"per_post": 2}))
    assert ALREADY in page and "Pengaturan kekuatan belum disimpan" in page
    operation.refresh_from_db()
    assert dict(operation.config).get("reinforce_sangat_rawan") == before
    assert len(jobs(operation)) == 1


def test_the_viewer_still_may_not_start_a_plan(as_viewer, operation):
    assert as_viewer.post(reverse("plan_start", args=[operation.pk])).status_code == 403
    assert jobs(operation) == []


# ---------------------------------------------------------------- simultaneous presses, threads

N = 8


def _in_thread(work: Any) -> Any:
    """work() on a connection of its own (the threads' database: committed rows)."""
    found: list[Any] = []

    def run() -> None:
        try:
            found.append(work())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    return found[0] if found else None


@pytest.fixture
def shared_db(threads_copy: Path | None, db: Any, monkeypatch: Any) -> Any:
    """The session's database as committed, which each thread writes on its own connection
    (on SQLite a file copy, thrown away); on PostgreSQL the jobs the threads commit are removed
    afterwards. The queue's messages are counted, not sent."""
    settings_dict = connections.settings["default"]
    name = settings_dict["NAME"]
    operation = Operation.objects.get(name__startswith="Pam Pilkades")
    sent: list[int] = []
    monkeypatch.setattr(queue, "enqueue", lambda job_id: sent.append(job_id) or str(job_id))
    if threads_copy is not None:
        settings_dict["NAME"] = str(threads_copy)
    before = set(_in_thread(lambda: list(PlanJob.objects.values_list("pk", flat=True))) or [])
    try:
        yield operation, sent
    finally:
        if threads_copy is None:
            _in_thread(lambda: PlanJob.objects.exclude(pk__in=before).delete())
        settings_dict["NAME"] = name


def test_simultaneous_presses_start_one_plan(shared_db):
    operation, sent = shared_db
    users = [get_user_model().objects.get(username=name) for name in ("planner", "planner2")]
    start, codes = threading.Barrier(N), [None] * N

    def press(i: int) -> None:
        try:
            close_old_connections()
            client = Client(raise_request_exception=False)
            client.force_login(users[i % 2])
            start.wait()
            answer = client.post(reverse("plan_start", args=[operation.pk]))
            codes[i] = (answer.status_code, answer.headers.get("Location"))
        except Exception as exc:  # reported below, never raised in the thread
            codes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    made = _in_thread(lambda: list(PlanJob.objects.filter(operation=operation).values_list("pk", flat=True)))
    assert len(made) == 1, (made, codes)
    assert codes == [(302, f"/plans/jobs/{made[0]}/")] * N
    assert sent == made  # one message for the worker


def test_simultaneous_orders_downloads_start_one_orders_job(shared_db):
    operation, sent = shared_db
    plan = Plan.objects.filter(operation=operation).order_by("version").first()
    _in_thread(lambda: Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED))
    commander = get_user_model().objects.get(username="commander")
    start, codes = threading.Barrier(N), [None] * N

    def download(i: int) -> None:
        try:
            close_old_connections()
            client = Client(raise_request_exception=False)
            client.force_login(commander)
            start.wait()
            answer = client.get(reverse("plan_orders", args=[plan.pk, "sprin.pdf"]))
            codes[i] = (answer.status_code, answer.headers.get("Location"))
        except Exception as exc:
            codes[i] = exc
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=download, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        made = _in_thread(lambda: list(PlanJob.objects.filter(kind="orders", plan=plan).values_list("pk", flat=True)))
    finally:
        _in_thread(lambda: Plan.objects.filter(pk=plan.pk).update(status=plan.status))
    assert len(made) == 1, (made, codes)
    assert codes == [(302, f"/plans/jobs/{made[0]}/")] * N
    assert sent == made
