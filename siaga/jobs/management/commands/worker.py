"""`manage.py worker`: the job runner that `make demo` starts beside the web server."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connections

from siaga.jobs import queue
from siaga.jobs.sweep import sweep

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Menjalankan pekerja antrean (rencana, susun ulang, surat perintah) dan penyapu proses macet."

    def handle(self, *args: Any, **options: Any) -> None:
        # Jobs that a dead worker left behind are picked up as soon as a worker starts.
        _sweep()
        # The cluster's processes are forked from this one: they must not inherit its database
        # connection (a child closing it would close the parent's PostgreSQL session too).
        connections.close_all()
        cluster: Any = queue.start_cluster()  # SIGTERM and SIGINT stop it (Django-Q2's handlers)
        self.stdout.write(f"Pekerja Siaga berjalan (pid {cluster.pid}).")
        while cluster.sentinel is not None and cluster.sentinel.is_alive():
            cluster.sentinel.join(timeout=settings.SIAGA_JOB_SWEEP_SECONDS)
            if cluster.sentinel.is_alive():
                _sweep()


def _sweep() -> None:
    """One sweep; a database that is briefly away skips it, and the worker goes on."""
    close_old_connections()
    try:
        sweep()
    except DatabaseError:
        log.exception("sweep skipped: database error")
        connections.close_all()
