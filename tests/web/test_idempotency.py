"""An Idempotency-Key is bound to its request: the same request again finds its record; the key
with another payload, another endpoint or another sender is a 409 with a message, and nothing
is silently dropped (issue 15 item 7: the second person was silently not checked in)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from siaga.field.models import CheckIn, IdempotencyKey, Incident
from tests.web.conftest import SECTOR, publish
from tests.web.test_field_api import people_in, post, post_in


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    return publish(plan)


def test_a_key_reused_for_another_person_is_a_409_and_the_first_check_in_stands(as_planner, plan):
    first, second = people_in(plan)[:2]
    url = f"/api/plans/{plan.pk}/checkins"
    assert post(as_planner, url, {"nrp": first}, key="apel-1").status_code == 201
    reused = post(as_planner, url, {"nrp": second}, key="apel-1")
    assert reused.status_code == 409
    assert "isi yang berbeda" in reused.json()["detail"]
    assert list(CheckIn.objects.values_list("person_code", flat=True)) == [first]
    # the second person, sent again under a new key, is checked in
    assert post(as_planner, url, {"nrp": second}, key="apel-2").status_code == 201
    assert CheckIn.objects.count() == 2


def test_the_same_request_again_is_answered_with_its_record_whatever_the_json_spacing(as_planner, plan):
    nrp = people_in(plan)[0]
    url = f"/api/plans/{plan.pk}/checkins"
    body = {"nrp": nrp, "method": "nrp"}
    first = post(as_planner, url, body, key="retry")
    spaced = json.dumps(dict(reversed(list(body.items()))), indent=2)  # same data, other bytes
    again = as_planner.post(url, spaced, content_type="application/json", headers={"Idempotency-Key": "retry"})
    assert first.status_code == again.status_code == 201, again.content
    assert first.json()["id"] == again.json()["id"] and CheckIn.objects.count() == 1


def test_a_key_reused_on_another_endpoint_is_a_409(as_planner, plan):
    nrp = people_in(plan)[0]
    assert post(as_planner, f"/api/plans/{plan.pk}/checkins", {"nrp": nrp}, key="k-x").status_code == 201
    body = {"kind": "keributan", "severity": 2, "post_id": post_in(plan, SECTOR)["id"]}
    assert post(as_planner, f"/api/plans/{plan.pk}/incidents", body, key="k-x").status_code == 409
    assert not Incident.objects.exists()


def test_another_users_key_is_a_409(as_planner, as_admin, plan):
    nrp = people_in(plan)[0]
    url = f"/api/plans/{plan.pk}/checkins"
    assert post(as_planner, url, {"nrp": nrp}, key="mine").status_code == 201
    refused = post(as_admin, url, {"nrp": nrp}, key="mine")
    assert refused.status_code == 409 and "catatan lain" in refused.json()["detail"]


def test_a_refused_write_leaves_its_key_free_for_the_corrected_request(as_planner, plan):
    url = f"/api/plans/{plan.pk}/checkins"
    assert post(as_planner, url, {"nrp": "00000000"}, key="fix-me").status_code == 422  # not in the plan
    assert not IdempotencyKey.objects.filter(key="fix-me").exists()
    assert post(as_planner, url, {"nrp": people_in(plan)[0]}, key="fix-me").status_code == 201


def test_an_upload_is_compared_by_its_content_not_its_multipart_boundary(as_sector, plan, settings, tmp_path):
    from tests.web.test_field_photo import JPEG, PNG

    settings.MEDIA_ROOT = tmp_path
    body = {"kind": "kericuhan", "severity": 2, "post_id": post_in(plan, SECTOR)["id"]}
    incident = post(as_sector, f"/api/plans/{plan.pk}/incidents", body).json()["id"]

    def upload(data: bytes, boundary: str, name: str = "foto.jpg") -> Any:
        from django.test.client import encode_multipart

        photo = SimpleUploadedFile(name, data, content_type="image/jpeg")
        return as_sector.post(
            f"/api/incidents/{incident}/photo",
            encode_multipart(boundary, {"photo": photo}),
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"Idempotency-Key": "foto-1"},
        )

    assert upload(JPEG, "AaB03x").status_code == 201
    assert upload(JPEG, "ZzY98w").status_code == 201  # the phone's retry: a new boundary, the same photo
    assert upload(PNG, "ZzY98w", "foto.png").status_code == 409  # another photo under the key


def test_keys_are_bound_on_every_write_the_api_serves():
    """Every POST operation behind the console's URLs runs through the binding (as served: ninja
    serves copies of the operations it declares)."""
    import inspect

    from django.urls import URLPattern, URLResolver, get_resolver

    def patterns(resolver: Any) -> Any:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from patterns(entry)
            elif isinstance(entry, URLPattern):
                yield entry

    writes = []
    for pattern in patterns(get_resolver()):
        callback = pattern.callback
        closure = inspect.isfunction(callback) and callback.__closure__
        view = inspect.getclosurevars(callback).nonlocals.get("self") if closure else None
        for op in getattr(view, "operations", []):
            if "POST" in op.methods:
                writes.append((str(pattern.pattern), op.run.__name__))
    assert len(writes) >= 15
    assert [path for path, run in writes if run != "run_keyed"] == []


def test_without_a_session_the_api_still_answers_401(plan):
    response = Client().post(
        f"/api/plans/{plan.pk}/checkins",
        {"nrp": "1"},
        content_type="application/json",
        headers={"Idempotency-Key": "x"},
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "Sesi Anda sudah berakhir: masuk lagi. Tidak ada yang berubah."  # shown to him
