"""After signing in, the page asked for when it is one; a mistyped or stale address (a signed-out
user opening /accounts/login/, an old bookmark) leads to the dashboard, not to "page not found"."""

from __future__ import annotations

from django.test import Client

from tests.web.conftest import PASSWORD


def signed_in_from(path: str, client: Client | None = None) -> str:
    client = client or Client()
    asked = client.get(path)
    assert asked.status_code == 302 and asked.headers["Location"].startswith("/login/?next=")
    login_url = asked.headers["Location"]
    done = client.post(login_url, {"username": "planner", "password": PASSWORD})
    assert done.status_code == 302, done.content[:300]
    return done.headers["Location"]


def test_it_goes_to_the_page_asked_for(db, operation):
    assert signed_in_from(f"/ops/{operation.pk}/tps/") == f"/ops/{operation.pk}/tps/"


def test_an_address_that_is_no_page_leads_to_the_dashboard(db, operation):
    for stale in ("/accounts/login/", "/tidak-ada/halaman/"):
        client = Client()
        landed = signed_in_from(stale, client)
        assert landed == "/", (stale, landed)
        assert client.get(landed, follow=True).status_code == 200
