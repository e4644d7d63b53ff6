"""The stale-job sweep: a running job whose worker stopped beating is resumed or failed.

The worker command runs it when it starts and every `SIAGA_JOB_SWEEP_SECONDS` after. A job
is stale when its lease's last beat (or, without a lease, its creation) is older than
`SIAGA_JOB_STALE_SECONDS`. A stale job with attempts left goes back on the queue (it runs
again from the start: a job stores its result in one transaction at its end, so a dead
attempt leaves nothing behind); one that has used `SIAGA_JOB_ATTEMPTS` attempts is failed,
with a message that says so. No job stays "running" forever.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from siaga.jobs import queue
from siaga.jobs.models import Lease
from siaga.plans.lines import tell
from siaga.plans.models import PlanJob

STOPPED = gettext_noop(
    "Gagal: pekerja berhenti di tengah proses (%(attempts)s dari %(limit)s percobaan); tidak ada hasil yang"
    " disimpan. Silakan mulai lagi."
)
RESUMED = gettext_noop("Dilanjutkan: pekerja sebelumnya berhenti; percobaan %(attempt)s dari %(limit)s")


def sweep(now: datetime | None = None) -> dict[str, list[int]]:
    """Resume or fail every stale running job; gives the ids of each."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.SIAGA_JOB_STALE_SECONDS)
    stale = PlanJob.objects.filter(status=PlanJob.Status.RUNNING).filter(
        Q(lease__beat_at__lt=cutoff) | Q(lease__isnull=True, created_at__lt=cutoff)
    )
    done: dict[str, list[int]] = {"resumed": [], "failed": []}
    for job_id in stale.values_list("pk", flat=True):
        outcome = _settle(job_id, cutoff, now)
        if outcome:
            done[outcome].append(job_id)
    return done


def _settle(job_id: int, cutoff: datetime, now: datetime) -> str | None:
    with transaction.atomic():
        job = PlanJob.objects.select_for_update().filter(pk=job_id, status=PlanJob.Status.RUNNING).first()
        lease = Lease.objects.filter(job_id=job_id).first()
        if job is None or (lease is not None and lease.beat_at is not None and lease.beat_at >= cutoff):
            return None  # it ended, or beat again, while we looked
        attempts = lease.attempts if lease is not None else 0
        limit = settings.SIAGA_JOB_ATTEMPTS
        if attempts >= limit:
            job.finished_at = now
            job.save(update_fields=["finished_at"])
            tell(job, PlanJob.Status.FAILED, 100, STOPPED, attempts=attempts, limit=limit)
            return "failed"
        tell(job, PlanJob.Status.QUEUED, job.progress, RESUMED, attempt=attempts + 1, limit=limit)
        transaction.on_commit(lambda: queue.enqueue(job_id))
        return "resumed"
