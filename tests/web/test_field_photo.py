"""Incident photos: uploaded once per Idempotency-Key, JPEG/PNG only (by magic bytes), at most
5 MB, stored under MEDIA_ROOT/incidents/ and served only to those who may see the incident."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from siaga.field.models import Incident, IncidentAction
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    """The field works on the operation's published plan."""
    return publish(plan)


_keys = itertools.count()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def report(client: Client, plan: Plan, kecamatan: str = SECTOR) -> int:
    post = next(p for p in plan_file(plan)["posts"] if p["kecamatan_code"] == kecamatan and p["kind"] == "TPS")
    body = {"kind": "kericuhan", "severity": 2, "post_id": post["id"]}
    headers = {"Idempotency-Key": f"photo-incident-{next(_keys)}"}
    response = client.post(f"/api/plans/{plan.pk}/incidents", body, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def upload(client: Client, incident: int, data: bytes, name: str = "foto.jpg", key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key or f"photo-{next(_keys)}"}
    photo = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(f"/api/incidents/{incident}/photo", {"photo": photo}, headers=headers)


def stored(media: Path) -> list[Path]:
    return sorted((media / "incidents").glob("*")) if (media / "incidents").exists() else []


def test_it_stores_a_photo_and_serves_it_back(as_sector, plan, media):
    incident = report(as_sector, plan)
    response = upload(as_sector, incident, JPEG)
    assert response.status_code == 201, response.content
    files = stored(media)
    assert len(files) == 1 and files[0].suffix == ".jpg" and files[0].read_bytes() == JPEG
    assert Incident.objects.get(pk=incident).photo.name == f"incidents/{files[0].name}"
    got = as_sector.get(f"/api/incidents/{incident}/photo")
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    assert b"".join(got.streaming_content) == JPEG
    page = as_sector.get(f"/plans/{plan.pk}/incidents/").content.decode()
    assert f'src="/api/incidents/{incident}/photo"' in page


def test_a_png_is_stored_as_png(as_planner, plan, media):
    incident = report(as_planner, plan)
    assert upload(as_planner, incident, PNG, name="x.jpg").status_code == 201
    assert [f.suffix for f in stored(media)] == [".png"]
    assert as_planner.get(f"/api/incidents/{incident}/photo")["Content-Type"] == "image/png"


def test_a_retry_with_the_same_key_stores_one_photo(as_planner, plan, media):
    incident = report(as_planner, plan)
    first = upload(as_planner, incident, JPEG, key="photo-retry")
    second = upload(as_planner, incident, JPEG, key="photo-retry")
    assert first.status_code == second.status_code == 201
    assert len(stored(media)) == 1
    assert IncidentAction.objects.filter(key="photo-retry", action="photo").count() == 1


def test_it_needs_an_idempotency_key(as_planner, plan):
    incident = report(as_planner, plan)
    photo = SimpleUploadedFile("foto.jpg", JPEG, content_type="image/jpeg")
    assert as_planner.post(f"/api/incidents/{incident}/photo", {"photo": photo}).status_code == 400


def test_it_refuses_what_is_not_a_jpeg_or_png(as_planner, plan, media):
    incident = report(as_planner, plan)
    for data in (b"GIF89a" + b"\x00" * 100, b"<svg xmlns='http://www.w3.org/2000/svg'/>", b""):
        response = upload(as_planner, incident, data, name="foto.jpg")
        assert response.status_code == 422, response.content
    assert stored(media) == [] and not Incident.objects.get(pk=incident).photo


def test_it_refuses_a_photo_over_5_mb(as_planner, plan, media):
    incident = report(as_planner, plan)
    response = upload(as_planner, incident, JPEG + b"\x00" * (5 * 1024 * 1024))
    assert response.status_code == 422
    assert stored(media) == []


def test_another_sectors_incident_photo_is_a_404(as_sector, as_planner, plan):
    theirs = report(as_planner, plan, kecamatan=OTHER_SECTOR)
    assert upload(as_planner, theirs, JPEG).status_code == 201
    assert upload(as_sector, theirs, JPEG).status_code == 404
    assert as_sector.get(f"/api/incidents/{theirs}/photo").status_code == 404
    assert as_planner.get(f"/api/incidents/{theirs}/photo").status_code == 200


def test_a_viewer_sees_the_photo_but_may_not_upload(as_viewer, as_planner, plan, media):
    incident = report(as_planner, plan)
    assert upload(as_viewer, incident, JPEG).status_code == 403
    assert stored(media) == []
    assert as_viewer.get(f"/api/incidents/{incident}/photo").status_code == 404  # none yet
    assert upload(as_planner, incident, JPEG).status_code == 201
    assert as_viewer.get(f"/api/incidents/{incident}/photo").status_code == 200


def test_anonymous_callers_get_nothing(plan, as_planner):
    incident = report(as_planner, plan)
    assert upload(as_planner, incident, JPEG).status_code == 201
    assert Client().get(f"/api/incidents/{incident}/photo").status_code == 401
