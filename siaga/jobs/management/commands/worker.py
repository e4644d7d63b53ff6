"""`manage.py worker`: the job runner that `make demo` starts beside the web server."""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connections

from siaga.jobs import queue
from siaga.jobs.sweep import sweep

log = logging.getLogger(__name__)


GRACE_SECONDS = 20  # how long a stopping cluster may take before its sentinel is killed


class Command(BaseCommand):
    help = "Menjalankan pekerja antrean (rencana, susun ulang, surat perintah) dan penyapu proses macet."

    def handle(self, *args: Any, **options: Any) -> None:
        # Jobs that a dead worker left behind are picked up as soon as a worker starts.
        _sweep()
        # The cluster's processes are forked from this one: they must not inherit its database
        # connection (a child closing it would close the parent's PostgreSQL session too).
        connections.close_all()
        cluster: Any = queue.start_cluster()
        # Our own SIGTERM and SIGINT handlers in place of Django-Q2's: its handler sets the
        # cluster's stop event, which blocks for ever when the sentinel sleeping on it is
        # already dead (systemd's default stop sends SIGTERM to every process of the group,
        # and the sentinel dies of it at once). The loop below stops the cluster, bounded.
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        self.stdout.write(f"Pekerja Siaga berjalan (pid {cluster.pid}).")
        next_sweep = time.monotonic() + settings.SIAGA_JOB_SWEEP_SECONDS
        while not stopping.is_set() and cluster.sentinel is not None and cluster.sentinel.is_alive():
            cluster.sentinel.join(timeout=1)
            if time.monotonic() >= next_sweep and cluster.sentinel.is_alive():
                _sweep()
                next_sweep = time.monotonic() + settings.SIAGA_JOB_SWEEP_SECONDS
        _stop(cluster)


def _stop(cluster: Any) -> None:
    """Ask a live sentinel to stop its workers and wait a while; kill it when it will not."""
    sentinel = cluster.sentinel
    if sentinel is None or not sentinel.is_alive():
        return
    threading.Thread(target=cluster.stop_event.set, daemon=True).start()  # may block on a dead sleeper
    sentinel.join(timeout=GRACE_SECONDS)
    if sentinel.is_alive():
        log.warning("the job cluster did not stop within %s s: killed", GRACE_SECONDS)
        sentinel.kill()
        sentinel.join(timeout=5)


def _sweep() -> None:
    """One sweep; a database that is briefly away skips it, and the worker goes on."""
    close_old_connections()
    try:
        sweep()
    except DatabaseError:
        log.exception("sweep skipped: database error")
        connections.close_all()
