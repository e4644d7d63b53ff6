"""Apel check-ins against a real console on loopback (gunicorn, 2 worker processes of 4
threads, one per core as a server would run it; the durability test uses runserver): a burst
from 16 keep-alive clients with 10% retries of keys already sent, then the rows counted in the
database: 0 lost (every acknowledged key stored), 0 duplicated (one row per key).

1,000 check-ins on SQLite (target: within 60 s) and 10,000 on PostgreSQL when it answers at
postgres://postgres@127.0.0.1:5432 (a fresh database, dropped afterwards). Reports p50/p99
latency (target p99 < 1 s) and throughput. `Console` is also what the durability test uses.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from bench import Result

ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD = "perencana", "siaga-ops-2022"  # the demo's planner
PG_URL = os.environ.get("SIAGA_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Console:
    """A console with the demo loaded, in `work` (SQLite) or in `database_url`'s database."""

    work: Path
    database_url: str = ""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    workers: int = 0  # 0: Django's runserver (one process); N: gunicorn with N worker processes

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SIAGA_") and k != "DATABASE_URL"}
        env.update(
            SIAGA_SQLITE=str(self.work / "siaga.sqlite3"),
            SIAGA_MEDIA_ROOT=str(self.work / "media"),
            SIAGA_CARD_KEY_FILE=str(self.work / "card-key"),
            SIAGA_DEBUG="0",
            SIAGA_LOG_LEVEL="ERROR",
            DJANGO_SETTINGS_MODULE="siaga.web.settings",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args], env=self.env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        return done.stdout

    def load(self) -> tuple[int, list[str]]:
        """Migrate, load the demo; the plan's id and the people on it."""
        self.work.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--verbosity", "0")
        self.manage("demo")
        code = (
            "import json; from siaga.plans.models import Plan; p = Plan.objects.order_by('pk').first(); "
            "print(json.dumps([p.pk, sorted(set(p.assignments.values_list('person_code', flat=True)))]))"
        )
        plan, people = json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])
        return int(plan), list(people)

    def start(self) -> None:
        command = [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{self.port}", "--noreload"]
        if self.workers:
            gunicorn = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--threads", "4"]
            command = [*gunicorn, "--bind", f"127.0.0.1:{self.port}", "siaga.web.wsgi:application"]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(self.work / "server.log").open("a"),
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the console did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown of any kind."""
        process, self.process = self.process, None  # taken first: a second caller finds none
        if process is not None:
            process.send_signal(signal.SIGKILL)
            process.wait()

    def login(self) -> dict[str, str]:
        """Headers of a logged-in planner session (cookie and CSRF token)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", "/login/")
        page = conn.getresponse()
        body = page.read().decode()
        csrf = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert csrf and token, "no CSRF token on the login page"
        form = f"username={USER}&password={PASSWORD}&csrfmiddlewaretoken={token.group(1)}"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf.group(1)}"}
        conn.request("POST", "/login/", form, headers)
        done = conn.getresponse()
        done.read()
        session = re.search(r"sessionid=([^;]+)", ", ".join(done.headers.get_all("Set-Cookie") or []))
        assert session, f"login refused ({done.status})"
        conn.close()
        return {
            "Cookie": f"csrftoken={csrf.group(1)}; sessionid={session.group(1)}",
            "X-CSRFToken": csrf.group(1),
            "Content-Type": "application/json",
        }

    def checkin_keys(self) -> list[str]:
        """Every stored check-in's key (duplicates included, if there ever were any)."""
        sql = "SELECT key FROM field_checkin"
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return [row[0] for row in conn.execute(sql)]
        with sqlite3.connect(self.work / "siaga.sqlite3") as conn:
            return [row[0] for row in conn.execute(sql)]


@dataclass
class Burst:
    acknowledged: set[str] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def burst(
    console: Console,
    plan: int,
    people: list[str],
    count: int,
    *,
    clients: int = 16,
    retries: float = 0.1,
    seconds: float = 120.0,
    seed: int = 1,
    prefix: str = "b",
    after: tuple[int, Callable[[], None]] | None = None,
) -> Burst:
    """`count` check-ins with distinct keys, plus `retries` x count repeats of keys already
    sent, from `clients` threads each on one keep-alive connection; stops at `seconds`.
    `after=(n, action)` runs `action` once, on its own thread, when n check-ins have been
    acknowledged (the durability test kills the server there, never during the login)."""
    headers = console.login()
    fired = threading.Event()
    rng = random.Random(seed)
    sends = [(f"{prefix}-{i}", people[i % len(people)]) for i in range(count)]
    for _ in range(int(count * retries)):
        i = rng.randrange(count)
        sends.insert(min(len(sends), i + rng.randrange(1, 50)), sends[i])
    out = Burst()
    local = threading.local()
    deadline = time.monotonic() + seconds
    path = f"/api/plans/{plan}/checkins"

    def send(item: tuple[str, str]) -> None:
        if time.monotonic() > deadline:
            return
        key, nrp = item
        start = time.perf_counter()
        try:
            conn = getattr(local, "conn", None) or http.client.HTTPConnection("127.0.0.1", console.port, timeout=30)
            local.conn = conn
            conn.request("POST", path, json.dumps({"nrp": nrp}), {**headers, "Idempotency-Key": key})
            response = conn.getresponse()
            response.read()
            ok = 200 <= response.status < 300
        except OSError:
            local.conn = None
            ok = False
        with out.lock:
            if ok:
                out.acknowledged.add(key)
                out.latencies.append(time.perf_counter() - start)
                if after is not None and len(out.acknowledged) >= after[0] and not fired.is_set():
                    fired.set()
                    threading.Thread(target=after[1]).start()
            else:
                out.errors += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(send, sends))
    out.seconds = time.perf_counter() - start
    return out


def _fresh_postgres(name: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception:  # no PostgreSQL here: that half is skipped
        return None
    return urlunparse(urlparse(PG_URL)._replace(path=f"/{name}"))


def _drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(console: Console, count: int, label: str) -> Iterator[Result]:
    plan, people = console.load()
    console.start()
    try:
        done = burst(console, plan, people, count, seconds=120)
    finally:
        console.kill()
    keys = console.checkin_keys()
    stored = set(keys)
    lat = sorted(done.latencies) or [0.0]
    p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
    yield Result(f"{label}: {count:,} check-ins, wall time", done.seconds, "s", 60.0, "16 clients, 10% retries")
    yield Result(f"{label}: throughput", len(lat) / max(done.seconds, 1e-9), "req/s", None, "acknowledged requests")
    yield Result(f"{label}: p50 latency", statistics.median(lat) * 1000, "ms")
    yield Result(f"{label}: p99 latency", p99 * 1000, "ms", 1000.0)
    yield Result(f"{label}: lost (acknowledged, not stored)", len(done.acknowledged - stored), "rows", 0)
    yield Result(f"{label}: duplicated", len(keys) - len(stored), "rows", 0)
    yield Result(f"{label}: not stored (never acknowledged)", count - len(stored), "rows", 0, f"errors {done.errors}")


def run(work: Path) -> list[Result]:
    results = list(measure(Console(work / "sqlite", workers=2), 1_000, "SQLite"))
    name = f"siaga_bench_checkins_{os.getpid()}"
    url = _fresh_postgres(name)
    if url is not None:
        try:
            results += list(measure(Console(work / "pg", database_url=url, workers=2), 10_000, "PostgreSQL"))
        finally:
            _drop_postgres(name)
    return results


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for r in run(Path(tmp)):
            print(f"{r.name:55} {r.value:10.1f} {r.unit:6} {'' if r.ok is None else ('ok' if r.ok else 'FAIL')}")
