"""Every answer of the console carries the Content-Security-Policy that forbids inline script
(siaga/web/csp.py): HTML pages, the login page, the JSON API, GeoJSON, file downloads, the
service worker, and the 302, 400, 403 and 404 answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from siaga.web.csp import policy, tile_origin
from tests.web.conftest import publish

pytestmark = pytest.mark.django_db


def directives(response: Any) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    assert header, f"{response.status_code} {response.get('Content-Type')}: no Content-Security-Policy"
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_strict(response: Any) -> None:
    d = directives(response)
    assert d["script-src"] == ["'self'"], d  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert d["default-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"]
    assert d["frame-ancestors"] == ["'none'"]
    assert d["base-uri"] == ["'self'"]
    assert d["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_every_kind_of_answer_carries_the_policy(as_planner, as_viewer, as_sector, operation, plan):
    anonymous = Client()
    publish(plan)
    answers = {
        "login page": anonymous.get(reverse("login")),
        "redirect to the login": anonymous.get(reverse("dashboard")),
        "html page": as_planner.get(reverse("dashboard_for", args=[operation.pk])),
        "plan page": as_planner.get(reverse("plan_detail", args=[plan.pk])),
        "json api": as_planner.get(f"/api/plans/{plan.pk}/readiness"),
        "json api geojson": as_planner.get(f"/api/plans/{plan.pk}/incidents.geojson"),
        "json api refusal": as_viewer.post(f"/api/plans/{plan.pk}/incidents", {}, content_type="application/json"),
        "geojson": as_planner.get(reverse("geo_tps", args=[operation.pk])),
        "plan json": as_planner.get(reverse("plan_json", args=[plan.pk])),
        "xlsx download": as_planner.get(reverse("export", args=[operation.pk])),
        "template download": as_planner.get(reverse("template_download")),
        "service worker": as_planner.get(reverse("service_worker")),
        "404": as_planner.get("/tidak-ada/"),
        "404 of another sector": as_sector.get(reverse("tps_detail", args=[operation.pk, 10**9])),
        "403": as_viewer.get(reverse("import")),
        "400": as_planner.get(reverse("dashboard"), CONTENT_LENGTH="abc"),
    }
    statuses = {name: r.status_code for name, r in answers.items()}
    assert statuses["login page"] == 200 and statuses["html page"] == 200 and statuses["json api"] == 200
    assert statuses["xlsx download"] == 200 and statuses["service worker"] == 200
    assert statuses["404"] == 404 and statuses["403"] == 403 and statuses["400"] == 400
    assert statuses["redirect to the login"] == 302
    assert answers["xlsx download"]["Content-Type"].startswith("application/vnd.openxmlformats")
    for name, response in answers.items():
        try:
            assert_strict(response)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None


def test_a_page_has_no_inline_script_or_handler_the_policy_would_block(as_planner, operation, plan):
    """The policy is only a wall if the pages work under it: no <script> without src (JSON data
    blocks aside), no on...= attribute, no javascript: link."""
    import re

    pages = [
        reverse("dashboard_for", args=[operation.pk]),
        reverse("plan_detail", args=[plan.pk]),
        reverse("tps_list", args=[operation.pk]),
        reverse("versions", args=[operation.pk]),
        reverse("map", args=[operation.pk]),
        reverse("field_phone", args=[plan.pk]),
    ]
    for url in pages:
        html = as_planner.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), (url, re.search(r"<[^>]+\son[a-z]+\s*=", html))
        assert "javascript:" not in html.lower(), url
        assert "hx-on" not in html, url


def test_a_configured_tile_server_may_serve_pictures_and_nothing_else():
    assert tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://*.tile.openstreetmap.org"
    assert tile_origin("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png") == "http://10.0.0.5:8080"
    assert tile_origin("") == "" and tile_origin("javascript:alert(1)") == ""
    with override_settings(SIAGA_TILE_URL="https://tiles.example.id/{z}/{x}/{y}.png"):
        header = policy()
    parsed = dict((p.split()[0], p.split()[1:]) for p in header.split(";"))
    assert "https://tiles.example.id" in parsed["img-src"]
    assert parsed["script-src"] == ["'self'"] and parsed["connect-src"] == ["'self'"]
