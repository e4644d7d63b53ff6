"""`manage.py worker`: the job runner that `make demo` starts beside the web server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from siaga.jobs import queue
from siaga.jobs.sweep import sweep


class Command(BaseCommand):
    help = "Menjalankan pekerja antrean (rencana, susun ulang, surat perintah) dan penyapu proses macet."

    def handle(self, *args: Any, **options: Any) -> None:
        # Jobs that a dead worker left behind are picked up as soon as a worker starts.
        sweep()
        cluster: Any = queue.start_cluster()  # SIGTERM and SIGINT stop it (Django-Q2's handlers)
        self.stdout.write(f"Pekerja Siaga berjalan (pid {cluster.pid}).")
        while cluster.sentinel is not None and cluster.sentinel.is_alive():
            cluster.sentinel.join(timeout=settings.SIAGA_JOB_SWEEP_SECONDS)
            if cluster.sentinel.is_alive():
                sweep()
