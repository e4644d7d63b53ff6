"""A real console for the browser tests: its own database (SQLite, or a fresh PostgreSQL
database when DATABASE_URL is set), loaded with `manage.py demo`, served by `runserver` on a
free loopback port, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CARD_KEYS: dict[str, Path] = {}  # console URL -> the key file that signs its cards' QR codes
CONSOLE_ENVS: dict[str, dict[str, str]] = {}  # console URL -> the environment its manage.py runs in
LOGINS = {
    "perencana": "siaga-ops-2022",
    "kapolres": "siaga-pimpinan-2022",
    "kapolsek": "siaga-sektor-2022",
    "kepalapos": "siaga-pos-2022",  # the field officer: the leader of a TPS post in Pohjentrek
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fresh_postgres(url: str, name: str) -> str:
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parts._replace(path=f"/{name}"))


def _drop_postgres(url: str, name: str) -> None:
    import psycopg

    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def console_env(work: Path, pg_name: str) -> dict[str, str]:
    """The environment of a console served from `work`: its own SQLite file, media and card
    key there (or a fresh PostgreSQL database `pg_name` when the run is on PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIAGA_")}
    env.update(
        SIAGA_SQLITE=str(work / "siaga.sqlite3"),
        SIAGA_MEDIA_ROOT=str(work / "media"),
        SIAGA_CARD_KEY_FILE=str(work / "card-key"),
        SIAGA_DEBUG="0",
        SIAGA_LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = _fresh_postgres(os.environ["DATABASE_URL"], pg_name)
    return env


def wait_until_served(port: int, server: subprocess.Popen[Any], seconds: float = 90.0) -> None:
    """Wait for a console started on `port` to answer (a loaded CI machine can take a minute);
    fail with its exit code if it stopped instead."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the console stopped with exit code {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"no console answered on port {port} within {seconds:.0f} s")


@contextmanager
def serve_demo(work: Path, settings: dict[str, str] | None = None) -> Iterator[str]:
    """A console with the demo loaded (`manage.py demo`), served from `work` with these extra
    settings (environment variables); its base URL."""
    pg_name = f"siaga_browser_{os.getpid()}_{work.name}"
    env = console_env(work, pg_name) | (settings or {})
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--verbosity", "0"], ["demo"]):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    log = (work / "server.log").open("w")
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    # the job runner beside it, as `make demo` starts it (plans and re-plans run there)
    worker = subprocess.Popen(
        manage + ["worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
    )
    try:
        wait_until_served(port, server)
        CARD_KEYS[f"http://127.0.0.1:{port}"] = work / "card-key"
        CONSOLE_ENVS[f"http://127.0.0.1:{port}"] = env
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        worker.terminate()  # the worker stops its cluster's processes itself
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        with suppress(ProcessLookupError):  # nothing of its process group outlives the console
            os.killpg(worker.pid, signal.SIGKILL)
        log.close()
        if os.environ.get("DATABASE_URL"):
            _drop_postgres(os.environ["DATABASE_URL"], pg_name)


@pytest.fixture(scope="session")
def console(tmp_path_factory: Any) -> Iterator[str]:
    """The base URL of a running console with the demo loaded, shared by the session's tests."""
    with serve_demo(tmp_path_factory.mktemp("console")) as url:
        yield url


@pytest.fixture
def card_key(console: str) -> bytes:
    """The key that signs the QR codes of the console's assignment cards."""
    from siaga.core.documents import tokens

    return tokens.key_file(CARD_KEYS[console])


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


def _guarded_page(browser: Any, console: str) -> tuple[Any, list[str]]:
    """A page in a fresh browser context (no cookies) on the console, and the list that
    collects every request it makes to another host."""
    context = browser.new_context(base_url=console, viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    context.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith((console, "data:", "blob:")) else None
    )
    return context.new_page(), outside


@pytest.fixture
def page(browser: Any, console: str) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the console; fails the test on any request to
    another host."""
    tab, outside = _guarded_page(browser, console)
    yield tab
    tab.context.close()
    assert outside == [], f"requests left the machine: {outside}"


@pytest.fixture
def open_page(browser: Any, console: str) -> Iterator[Callable[[], Any]]:
    """More pages, each in its own fresh context (another user beside `page`), with the same
    guard: the test fails if any of them sends a request to another host."""
    opened: list[tuple[Any, list[str]]] = []

    def open_one() -> Any:
        opened.append(_guarded_page(browser, console))
        return opened[-1][0]

    yield open_one
    for tab, _ in opened:
        tab.context.close()
    outside = [url for _, urls in opened for url in urls]
    assert outside == [], f"requests left the machine: {outside}"


def login(page: Any, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", LOGINS[username])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def console_shell(console: str) -> Callable[[str], str]:
    """Runs Python code in `manage.py shell` against the console's own database (e.g. to link a
    login to a person the demo gives none) and answers its standard output."""
    env = CONSOLE_ENVS[console]

    def run(code: str) -> str:
        manage = [sys.executable, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", code]
        return subprocess.run(manage, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout

    return run
