"""Jobs run on the queue's worker, not in the web process: a plan started in the console
finishes when the web server is killed mid-job; a job whose worker is killed is resumed by the
next worker (or failed with a message), never left "running"; the sweep's rules one by one.

The live tests run a real console (runserver) and a real worker (`manage.py worker`) on their
own database (a SQLite file, or a fresh PostgreSQL database when DATABASE_URL is set), on a
generated scenario large enough that "mid-job" is a real moment, and read the job's row from
that database directly.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
import requests
from django.utils import timezone
from django_q.models import OrmQ

from siaga.jobs.models import Lease
from siaga.jobs.sweep import sweep
from siaga.plans.models import PlanJob

ROOT = Path(__file__).resolve().parents[2]
TPS = 6000  # a plan job of several seconds on this machine: long enough to be killed midway
PASSWORD = "uji-pekerja-2024"
DEADLINE = 600  # seconds before a wait gives up (a hung test, not a timed assertion)
HTTP_TIMEOUT = 120  # likewise, for one request
LOAD = f"""
from django.contrib.auth import get_user_model
from siaga.accounts.models import Profile, Role
from siaga.core.data import generator
from siaga.operations.services import import_scenario
operation = import_scenario(generator.generate({TPS}, seed=3), "generated.xlsx")
user = get_user_model().objects.create_user("perencana", password="{PASSWORD}")
Profile.objects.create(user=user, role=Role.PLANNER)
print(operation.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _postgres(url: str, name: str, create: bool) -> str:
    import psycopg

    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


@dataclass
class Console:
    """A console's database, web server and workers, each a process of its own."""

    work: Path
    env: dict[str, str]
    operation: int = 0
    port: int = 0
    server: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def manage(self, *args: str) -> str:
        command = [sys.executable, str(ROOT / "manage.py"), *args]
        return subprocess.run(command, env=self.env, cwd=ROOT, check=True, capture_output=True, text=True).stdout

    def start_server(self) -> None:
        self.port = _free_port()
        command = [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{self.port}", "--noreload"]
        log = (self.work / "server.log").open("a")
        self.server = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        wait_for(lambda: _answers(self.port), "the web server to answer")

    def kill_server(self) -> None:
        assert self.server is not None
        self.server.send_signal(signal.SIGKILL)
        self.server.wait()

    def start_worker(self) -> subprocess.Popen[bytes]:
        """A worker in its own session, so that killing its group kills the cluster's every process."""
        command = [sys.executable, str(ROOT / "manage.py"), "worker"]
        log = (self.work / "worker.log").open("a")
        worker = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
        self.workers.append(worker)
        return worker

    def stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        """SIGTERM to the worker command, as `make demo` stops it: it stops the cluster's processes."""
        worker.terminate()
        assert worker.wait(timeout=60) == 0

    def kill_worker(self, worker: subprocess.Popen[bytes]) -> None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    def session(self) -> requests.Session:
        web = requests.Session()
        web.get(self.url("/login/"), timeout=HTTP_TIMEOUT)
        form = {"username": "perencana", "password": PASSWORD, "csrfmiddlewaretoken": web.cookies["csrftoken"]}
        answer = web.post(self.url("/login/"), data=form, allow_redirects=False, timeout=HTTP_TIMEOUT)
        assert answer.status_code == 302
        return web

    def start_plan(self, web: requests.Session) -> int:
        """Press "Susun rencana": the console's real endpoint; gives the job's id."""
        headers = {"X-CSRFToken": web.cookies["csrftoken"]}
        start = self.url(f"/plans/ops/{self.operation}/start/")
        response = web.post(start, headers=headers, allow_redirects=False, timeout=HTTP_TIMEOUT)
        found = re.fullmatch(r"/plans/jobs/(\d+)/", response.headers.get("Location", ""))
        assert response.status_code == 302 and found, response.text[:500]
        return int(found.group(1))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def row(self, query: str, *params: Any) -> tuple[Any, ...]:
        """One row of the console's database (read directly: the web server may be dead)."""
        if "DATABASE_URL" in self.env:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                found = conn.execute(query, params).fetchone()
        else:
            with sqlite3.connect(self.env["SIAGA_SQLITE"]) as conn:
                found = conn.execute(query.replace("%s", "?"), params).fetchone()
        assert found is not None, query
        return tuple(found)

    def job(self, job_id: int) -> tuple[str, int, str, int | None]:
        """The job's status, progress, message and plan."""
        status, progress, message, plan = self.row(
            "SELECT status, progress, message, plan_id FROM plans_planjob WHERE id = %s", job_id
        )
        return str(status), int(progress), str(message), plan

    def wait_ended(self, job_id: int) -> tuple[str, int, str, int | None]:
        wait_for(lambda: self.job(job_id)[0] in ("done", "failed"), f"job {job_id} to end")
        return self.job(job_id)

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def wait_for(condition: Any, what: str) -> None:
    give_up = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < give_up, f"gave up waiting for {what}"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def console(tmp_path_factory: Any) -> Iterator[Console]:
    work = tmp_path_factory.mktemp("jobs")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIAGA_") and k != "DATABASE_URL"}
    env.update(
        SIAGA_SQLITE=str(work / "siaga.sqlite3"),
        SIAGA_MEDIA_ROOT=str(work / "media"),
        SIAGA_CARD_KEY_FILE=str(work / "card-key"),
        SIAGA_LOG_LEVEL="INFO",
        SIAGA_JOB_WORKERS="1",
        # the plan job plans its 4 Polres on a pool of 2 processes: a daemonic Django-Q worker
        # could not start one ("daemonic processes are not allowed to have children")
        SIAGA_PLAN_WORKERS="2",
        SIAGA_JOB_HEARTBEAT_SECONDS="1",
        SIAGA_JOB_STALE_SECONDS="4",  # a dead worker is noticed after 4 s without a beat
        SIAGA_JOB_SWEEP_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    pg_name = f"siaga_jobs_{os.getpid()}"
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = _postgres(os.environ["DATABASE_URL"], pg_name, create=True)
    live = Console(work, env)
    try:
        live.manage("migrate", "--verbosity", "0")
        live.operation = int(live.manage("shell", "-c", LOAD).split()[-1])
        live.start_server()
        yield live
    finally:
        live.stop()
        if os.environ.get("DATABASE_URL"):
            _postgres(os.environ["DATABASE_URL"], pg_name, create=False)


def test_it_finishes_a_plan_when_the_web_server_is_killed_mid_job(console: Console) -> None:
    worker = console.start_worker()
    job_id = console.start_plan(console.session())
    console.kill_server()  # SIGKILL: the web process dies at once, with the job unfinished
    status, *_ = console.job(job_id)
    assert status in ("queued", "running")
    status, progress, message, plan = console.wait_ended(job_id)
    assert (status, progress) == ("done", 100), message
    (version,) = console.row("SELECT version FROM plans_plan WHERE id = %s", plan)
    assert message == f"Rencana versi {version} selesai"
    console.start_server()  # the web process restarted shows the finished job
    page = console.session().get(console.url(f"/plans/jobs/{job_id}/"), timeout=HTTP_TIMEOUT)
    assert f"Buka rencana versi {version}" in page.text
    console.stop_worker(worker)


def test_it_resumes_a_plan_whose_worker_was_killed_mid_job(console: Console) -> None:
    worker = console.start_worker()
    (plans_before,) = console.row("SELECT COUNT(*) FROM plans_plan WHERE operation_id = %s", console.operation)
    job_id = console.start_plan(console.session())
    wait_for(lambda: planning(console.job(job_id)), "the worker to be planning")
    console.kill_worker(worker)  # SIGKILL to the cluster's every process, in the middle of the plan
    status, progress, _, plan = console.job(job_id)
    assert status == "running" and progress < 100 and plan is None  # what the dead worker left
    console.start_worker()
    status, progress, message, plan = console.wait_ended(job_id)
    assert (status, progress) == ("done", 100) and plan is not None, message
    attempts, beat = console.row("SELECT attempts, beat_at FROM jobs_lease WHERE job_id = %s", job_id)
    assert attempts == 2 and beat is not None  # resumed once, by the second worker
    (plans_after,) = console.row("SELECT COUNT(*) FROM plans_plan WHERE operation_id = %s", console.operation)
    assert plans_after == plans_before + 1  # the dead attempt stored nothing


def test_it_stops_when_systemd_sends_sigterm_to_its_whole_group(console: Console) -> None:
    """systemd's default stop (KillMode=control-group) signals every process of the worker at
    once; the cluster's sentinel dies of it, and the worker must still end, and end soon."""
    log = console.work / "worker.log"
    started = log.read_text().count("berjalan") if log.exists() else 0
    worker = console.start_worker()
    wait_for(lambda: log.read_text().count("berjalan") > started, "this worker to start")
    os.killpg(worker.pid, signal.SIGTERM)
    assert worker.wait(timeout=30) == 0


def planning(job: tuple[str, int, str, int | None]) -> bool:
    """Whether the worker is past reading the operation (or the job has ended: too fast a job
    then fails the test's next assertion instead of hanging)."""
    status, progress, *_ = job
    return (status == "running" and progress >= 20) or status in ("done", "failed")


# ---------------------------------------------------------------- the sweep, rule by rule


def stale_job(operation: Any, attempts: int, seconds_ago: int) -> PlanJob:
    job = PlanJob.objects.create(operation=operation, status=PlanJob.Status.RUNNING, progress=40)
    Lease.objects.create(job=job, attempts=attempts, beat_at=timezone.now() - timedelta(seconds=seconds_ago))
    return job


def test_it_queues_again_a_job_whose_worker_stopped_beating(operation, settings, django_capture_on_commit_callbacks):
    settings.SIAGA_JOB_STALE_SECONDS, settings.SIAGA_JOB_ATTEMPTS = 60, 3
    job = stale_job(operation, attempts=1, seconds_ago=61)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep() == {"resumed": [job.pk], "failed": []}
    job.refresh_from_db()
    assert job.status == PlanJob.Status.QUEUED and "percobaan 2 dari 3" in job.message
    assert [q.task["args"] for q in OrmQ.objects.all()] == [(job.pk,)]  # a new message for the worker


def test_it_fails_with_a_message_a_job_whose_worker_died_every_time(operation, settings):
    settings.SIAGA_JOB_STALE_SECONDS, settings.SIAGA_JOB_ATTEMPTS = 60, 3
    job = stale_job(operation, attempts=3, seconds_ago=61)
    assert sweep() == {"resumed": [], "failed": [job.pk]}
    job.refresh_from_db()
    assert job.status == PlanJob.Status.FAILED and job.finished_at is not None
    assert job.message.startswith("Gagal: pekerja berhenti di tengah proses (3 dari 3 percobaan)")


def test_it_leaves_a_job_that_still_beats(operation, settings):
    settings.SIAGA_JOB_STALE_SECONDS = 60
    job = stale_job(operation, attempts=1, seconds_ago=59)
    assert sweep() == {"resumed": [], "failed": []}
    job.refresh_from_db()
    assert job.status == PlanJob.Status.RUNNING


def test_it_runs_a_job_delivered_twice_once(operation, settings, tmp_path):
    from siaga.jobs.runner import run

    settings.SIAGA_JOBS_INLINE = False
    job = PlanJob.objects.create(operation=operation)
    run(job.pk, beat=False)
    run(job.pk, beat=False)  # the same message again (the broker's lease ran out)
    job.refresh_from_db()
    assert job.status == PlanJob.Status.DONE and job.lease.attempts == 1
    assert operation.plans.count() == 2  # the demo's plan and this one
