"""The task queue: the only module that touches Django-Q2.

A job is one message on Django-Q2's ORM broker (a row of the database, so it is sent in the
same transaction as the job row and survives a restart of the web process). The broker
leases a message to one worker for `Q_CLUSTER["retry"]` seconds and delivers it again when
the worker dies before acknowledging it; our own heartbeat and sweep (`siaga.jobs.sweep`)
notice a dead worker sooner, so the lease only backs them up.
"""

from __future__ import annotations

from django.conf import settings

TASK = "siaga.jobs.runner.run"


def submit(job_id: int) -> None:
    """Run the job: inline, here and now, when `SIAGA_JOBS_INLINE` is set (tests that expect an
    immediate result), else as a message for the worker."""
    if settings.SIAGA_JOBS_INLINE:
        from siaga.jobs.runner import run

        run(job_id, beat=False)  # no heartbeat thread: it would need a second connection
        return
    enqueue(job_id)


def enqueue(job_id: int) -> str:
    """Put a message for the job on the queue; gives the queue's task id."""
    from django_q.tasks import async_task

    return str(async_task(TASK, job_id, task_name=f"job-{job_id}", group="siaga"))


def start_cluster() -> object:
    """Start Django-Q2's cluster (a sentinel process guarding the worker processes) and give it;
    the caller waits on `cluster.sentinel` and stops it with `cluster.stop()`."""
    from django_q.cluster import Cluster

    cluster = Cluster()
    cluster.start()
    return cluster
