"""The live map in a real browser: a post's pergeseran status changed through the API and an
incident reported show on the open map by themselves (it refreshes every 10 s), without a
reload and without moving the view.

The demo plan is the first plan of the console's database (`manage.py demo`)."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import login

PLAN = 1
OPERATION = 1
WAIT = 25_000  # two refresh periods


def api_post(page: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(path, data=body, headers={"X-CSRFToken": csrf, "Idempotency-Key": str(uuid.uuid4())})
    assert response.ok, response.text()
    return dict(response.json())


def test_the_map_follows_a_post_and_an_incident_without_reload(page):
    login(page, "perencana")
    page.goto(f"/ops/{OPERATION}/map/?plan={PLAN}")
    page.wait_for_function("() => window.siagaMap && Object.keys(window.siagaMap.posts).length > 0", timeout=WAIT)
    page.evaluate("window.__sameDocument = true")
    post = page.evaluate("Object.values(window.siagaMap.posts).find((p) => p.kind === 'TPS' && !p.in_place).id")
    waiting = page.locator(".post-square.not-in-place")
    before = waiting.count()
    assert before > 0
    page.wait_for_timeout(1_000)  # the first fit of the view is done
    view = page.evaluate("JSON.stringify(window.siagaMap.view())")

    api_post(page, f"/api/plans/{PLAN}/posts/{post}/status", {"status": "siaga"})
    incident = api_post(page, f"/api/plans/{PLAN}/incidents", {"kind": "kericuhan", "severity": 3, "post_id": post})

    page.wait_for_function(
        f"() => window.siagaMap.posts[{post!r}] && window.siagaMap.posts[{post!r}].status === 'siaga'", timeout=WAIT
    )
    page.wait_for_function(f"() => window.siagaMap.incidents.some((i) => i.id === {incident['id']})", timeout=WAIT)
    assert page.evaluate("window.__sameDocument") is True  # no reload
    assert page.evaluate(f"window.siagaMap.posts[{post!r}].open_incidents") >= 1
    expect(waiting).to_have_count(before - 1)
    expect(page.locator(".map-incident").first).to_be_visible()
    assert page.evaluate("window.siagaMap.refreshes") >= 1
    assert page.evaluate("JSON.stringify(window.siagaMap.view())") == view  # the view was not reset
