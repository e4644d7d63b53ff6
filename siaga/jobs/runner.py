"""Running one job: claim it, keep its heartbeat while it runs, hand it to its service.

Every delivery of a job's message comes here. Only a queued job can be claimed, and the claim
is one conditional UPDATE, so a message delivered twice (the broker's lease ran out, or the
sweep queued the job again) runs the job once.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from siaga.jobs.models import Lease
from siaga.plans.models import PlanJob


def run(job_id: int, beat: bool = True) -> None:
    """Claim the job and run it; a job already claimed, done or failed is left alone.
    (Django-Q2's worker closes stale connections around each task; inline, the caller's
    connection and transaction are used as they are.)"""
    attempt = claim(job_id)
    if attempt is None:
        return
    from siaga.plans.services import run_job

    with heartbeat(job_id, attempt, settings.SIAGA_JOB_HEARTBEAT_SECONDS if beat else 0):
        run_job(job_id)


def claim(job_id: int) -> int | None:
    """Make a queued job running under a new attempt; gives the attempt, or None when the job
    is not queued (another delivery has it, or it has ended)."""
    with transaction.atomic():
        if not PlanJob.objects.filter(pk=job_id, status=PlanJob.Status.QUEUED).update(status=PlanJob.Status.RUNNING):
            return None
        lease, _ = Lease.objects.select_for_update().get_or_create(job_id=job_id)
        lease.attempts += 1
        lease.worker = f"{socket.gethostname()}:{os.getpid()}"
        lease.beat_at = timezone.now()
        lease.save()
        return lease.attempts


def holds(job_id: int, attempt: int) -> bool:
    """Whether this attempt still owns the running job (the sweep has not given it to another);
    call it inside the transaction that stores the job's result."""
    return Lease.objects.filter(job_id=job_id, attempts=attempt, job__status=PlanJob.Status.RUNNING).exists()


@contextmanager
def heartbeat(job_id: int, attempt: int, every: float) -> Iterator[None]:
    """Beat every `every` seconds from a thread while the body runs (not at all for 0)."""
    if every <= 0:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                Lease.objects.filter(job_id=job_id, attempts=attempt).update(beat_at=timezone.now())
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
