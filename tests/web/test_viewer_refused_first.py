"""A viewer (pengamat) who sends a write he may not make reads, first and in his own language,
that his role may not: never of idempotency keys or of fields, on the apel page and on every
write of the field API. An allowed user without a key is told of the key, in words too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from siaga.field.api import api
from siaga.field.models import CheckIn, IdempotencyKey
from siaga.plans.models import Plan
from tests.web.conftest import publish
from tests.web.test_field_apel import people_in
from tests.web.test_i18n import in_english


@pytest.fixture(autouse=True)
def _current(plan: Plan) -> Plan:
    return publish(plan)


def api_writes(plan: Plan) -> list[str]:
    """Every POST path of the field API, its parameters filled (the plan's id, else 1)."""
    paths = api.get_openapi_schema(path_prefix="/api")["paths"]
    return sorted(
        re.sub(r"\{plan_id\}", str(plan.pk), re.sub(r"\{(?!plan_id)[^}]+\}", "1", path))
        for path, methods in paths.items()
        if "post" in methods
    )


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# -- the apel page -----------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "bad key with spaces"}])
def test_a_viewer_checking_in_is_refused_for_his_role_not_for_the_key(as_viewer, plan, headers):
    url = f"/plans/{plan.pk}/apel/checkin/"
    response = as_viewer.post(url, {"nrp": people_in(plan)[0]}, headers={**headers, "Accept": "application/json"})
    assert response.status_code == 403
    assert response.json()["error"] == "Peran Anda hanya dapat melihat apel."
    english = in_english(as_viewer).post(url, {"nrp": "x"}, headers={**headers, "Accept": "application/json"})
    assert english.status_code == 403 and english.json()["error"] == "Your role can only view the roll call."
    assert not CheckIn.objects.exists()


def test_a_viewer_sending_the_forms_reads_his_role_first(as_viewer, plan):
    """Without a script: the check-in and the whole unit's, without a key or a confirmation."""
    checkin = as_viewer.post(f"/plans/{plan.pk}/apel/checkin/", {"nrp": people_in(plan)[0]}, follow=True)
    unit = as_viewer.post(f"/plans/{plan.pk}/apel/checkin/unit/", {"unit": "nothing"}, follow=True)
    for response in (checkin, unit):
        said = messages_of(response)
        assert said == "Peran Anda hanya dapat melihat apel.", said
    assert not CheckIn.objects.exists()


def test_the_planner_without_a_key_is_told_of_the_key(as_planner, plan):
    response = as_planner.post(
        f"/plans/{plan.pk}/apel/checkin/", {"nrp": people_in(plan)[0]}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Kunci idempotensi tidak ada atau tidak sah."


# -- the field API -----------------------------------------------------------------------------


def test_every_write_of_the_api_refuses_a_viewer_before_his_key_or_his_input(as_viewer, plan):
    writes = api_writes(plan)
    assert len(writes) >= 15 and f"/api/plans/{plan.pk}/checkins" in writes
    for url in writes:
        for headers in ({}, {"Idempotency-Key": "viewer-1"}):
            response = as_viewer.post(url, "{}", content_type="application/json", headers=headers)
            assert response.status_code == 403, (url, headers, response.content)
            assert response.json() == {"detail": "Peran Anda tidak berwenang melakukan tindakan ini."}, url
    assert not IdempotencyKey.objects.exists()


def test_the_api_refuses_a_viewer_in_english_when_he_reads_english(as_viewer, plan):
    client = in_english(as_viewer)
    response = client.post(f"/api/plans/{plan.pk}/incidents", "{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role is not authorised to do this."


@pytest.mark.parametrize(
    "language, key_said, required",
    [
        ("id", "Kunci idempotensi tidak ada atau tidak sah.", "wajib diisi"),
        ("en", "The idempotency key is missing or invalid.", "is required"),
    ],
)
def test_an_allowed_user_without_a_key_reads_of_the_key_in_his_language(as_planner, plan, language, key_said, required):
    client: Client = in_english(as_planner) if language == "en" else as_planner
    response = client.post(
        f"/api/plans/{plan.pk}/checkins", {"nrp": people_in(plan)[0]}, content_type="application/json"
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["detail"] == key_said
    assert [e["msg"] for e in answer["errors"]] == [required]
    assert answer["errors"][0]["loc"] == ["header", "Idempotency-Key"]  # for programs, as before
    assert "Field required" not in response.content.decode()
    assert not CheckIn.objects.exists()


def test_an_invalid_field_is_named_in_words_not_in_pydantics_english(as_planner, plan):
    body = {"kind": "bentrok", "severity": "tinggi"}
    response = as_planner.post(
        f"/api/plans/{plan.pk}/incidents", body, content_type="application/json", headers={"Idempotency-Key": "i-1"}
    )
    assert response.status_code == 422
    answer = response.json()
    assert answer["detail"] == "Isian tidak sah."
    assert {e["msg"] for e in answer["errors"]} <= {"harus berupa angka", "wajib diisi", "tidak sah"}
    assert "severity" in str([e["loc"] for e in answer["errors"]])


def test_signed_out_the_api_says_so_in_words(plan):
    response = Client().post(f"/api/plans/{plan.pk}/checkins", "{}", content_type="application/json")
    assert response.status_code == 401 and "masuk lagi" in response.json()["detail"]
