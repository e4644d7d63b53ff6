"""The phone page for a post leader without signal: the service worker that keeps it (served at
the root, with its precache manifest), posts and TPS by name with a way there and numbers to
call, and the person's next duty from his roster."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tests.web.conftest import own_post, publish

CODE = re.compile(r"TPS-\d|RESERVE-|VILLAGE-|SANGAT_RAWAN|KURANG_RAWAN")


@pytest.fixture(autouse=True)
def published(plan: Any) -> Any:
    """The field works on the operation's published plan."""
    return publish(plan)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: no tags, attributes or scripts."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_it_serves_the_service_worker_from_the_root_with_its_precache(as_field_officer):
    response = as_field_officer.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    for needle in ("/static/siaga/phone.js", "/static/siaga/queue.js", "/static/siaga/siaga.css", "workbox-core"):
        assert needle in body, needle
    assert "sw.js" not in body.split(";\n", 1)[0].split('"precache"')[1].split('"pages"')[0]  # never itself
    assert r"^/plans/\\d+/phone/$" in body


def test_the_phone_names_posts_and_tps_and_links_a_way_there_and_a_call(as_field_officer, plan):
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert f'value="{own_post(plan)}"' in html  # the script still sends the post's id
    text = visible_text(html)
    assert not CODE.search(text), CODE.search(text)
    assert "Pos TPS" in text
    assert re.search(r'href="geo:-?\d+\.\d+,-?\d+\.\d+', html)
    assert re.search(r'href="tel:\d+', html)
    assert 'src="/static/siaga/queue.js"' in html and 'data-sw="/sw.js"' in html


def test_the_phone_shows_the_persons_next_duty_and_his_roster(as_field_officer, plan, monkeypatch):
    on_the_move = timezone.make_aware(dt.datetime(2022, 3, 21, 12, 0))  # H-2: nothing started yet
    monkeypatch.setattr("siaga.field.services.clock.now", lambda: on_the_move)
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    found = re.search(r'id="next-duty"><strong>Tugas berikutnya:</strong> ([^<]+)</p>', html)
    assert found, "no next duty"
    name, window, place = found.group(1).split(", ")[:3]
    assert name.startswith("Pos TPS") and window.startswith("H-1 ") and place.startswith("Desa ")
    assert 'id="roster"' in html and "Tugas saya" in html


def test_a_duty_under_way_is_the_current_one_and_none_after_the_last(as_field_officer, plan, monkeypatch):
    voting = timezone.make_aware(dt.datetime(2022, 3, 23, 10, 0))
    monkeypatch.setattr("siaga.field.services.clock.now", lambda: voting)
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert "Tugas sekarang:" in html
    later = timezone.make_aware(dt.datetime(2023, 1, 1))
    monkeypatch.setattr("siaga.field.services.clock.now", lambda: later)
    html = as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode()
    assert 'id="next-duty"' not in html and 'class="duty-done"' in html
