"""What a user runs is not a debug server: DEBUG off in every mode (laptop included) with a
friendly 500 page and no traceback, static files still served (WhiteNoise), no Swagger UI from a
CDN, and a DATABASE_URL's options kept (dj-database-url) (issue 15 item 7)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from siaga.web.settings import database


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("rahasia-internal: a secret in the traceback")


urlpatterns = [path("boom/", boom)]


def settings_of(*names: str, **env: str) -> list[str]:
    """The settings' values as a fresh process with only `env` (no SIAGA_*, no DATABASE_URL) sees them."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SIAGA_") and k != "DATABASE_URL"}
    code = "from django.conf import settings; " + "; ".join(f"print(repr(settings.{n}))" for n in names)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        capture_output=True,
        text=True,
        env=environment | env,
        check=True,
    )
    return done.stdout.strip().splitlines()[-len(names) :]


def test_debug_is_off_on_a_laptop_and_on_a_server_unless_a_developer_asks():
    assert settings_of("DEBUG", "ALLOWED_HOSTS") == ["False", "['127.0.0.1', 'localhost']"]  # `make demo`
    assert settings_of("DEBUG", SIAGA_PRODUCTION="1", SIAGA_SECRET_KEY="k" * 60, SIAGA_ALLOWED_HOSTS="x") == ["False"]
    assert settings_of("DEBUG", SIAGA_DEBUG="1") == ["True"]


@pytest.mark.urls("tests.web.test_settings_prod")
def test_a_server_error_shows_the_friendly_page_in_indonesian_then_english_and_no_traceback(db, settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Maaf, terjadi kesalahan pada server" in html and "the server ran into an error" in html
    assert html.index("Maaf") < html.index("Sorry")
    assert "rahasia-internal" not in html and "Traceback" not in html and "RuntimeError" not in html


def test_static_files_are_served_with_debug_off(db, settings):
    assert settings.DEBUG is False
    response = Client().get("/static/siaga/siaga.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_the_swagger_ui_page_is_off_but_the_schema_stays(as_viewer):
    assert as_viewer.get("/api/docs").status_code == 404
    assert as_viewer.get("/api/openapi.json").status_code == 200


def test_a_database_url_keeps_its_options():
    db = database("postgres://siaga:rahasia%21@db.polri.example:5432/siaga?sslmode=require&sslrootcert=/etc/ca.pem")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["USER"], db["PASSWORD"], db["NAME"]) == (
        "db.polri.example",
        "5432",
        "siaga",
        "rahasia!",
        "siaga",
    )
    assert db["OPTIONS"] == {"sslmode": "require", "sslrootcert": "/etc/ca.pem"}
    assert db["CONN_MAX_AGE"] == 60
