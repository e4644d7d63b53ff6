"""The phone API, fuzzed from its own OpenAPI schema (schemathesis), logged in as the planner:
whatever arrives, the answer is never a server error."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from tests.web.conftest import client_for, publish


@pytest.fixture(autouse=True)
def _current(plan: Any) -> Any:
    """The field works on the operation's published plan."""
    return publish(plan)


EXAMPLES = 15


def test_it_never_answers_the_fuzzer_with_a_server_error(plan, settings):
    settings.SIAGA_JOBS_INLINE = True  # no planning thread outliving the test
    client = client_for("planner")
    schema = schemathesis.openapi.from_dict(client.get("/api/openapi.json").json())
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @given(case=strategy)
            @hypothesis_settings(
                max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
            )
            def call(case: Any) -> None:
                path = case.formatted_path.replace("{plan_id}", str(plan.pk))
                headers = {k: str(v) for k, v in (case.headers or {}).items() if k.lower() != "content-type"}
                body = "" if case.body is None or type(case.body).__name__ == "NotSet" else case.body
                data = body if isinstance(body, str | bytes) else json.dumps(body)
                response = client.generic(
                    case.method.upper(),
                    path,
                    data=data,
                    content_type="application/json",
                    headers=headers,
                    QUERY_STRING=urlencode(case.query or {}, doseq=True),  # percent-encoded, as a client sends it
                )
                if response.status_code >= 500:
                    failures.append(f"{case.method} {path} {body!r} {headers} -> {response.status_code}")

            call()
    assert not failures, failures[:5]


def test_a_content_length_that_is_not_a_number_is_refused_not_a_server_error(plan):
    client = client_for("planner")
    response = client.generic(
        "POST",
        "/api/incidents/1/escalate",
        data="{}",
        content_type="application/json",
        headers={"Content-Length": "bu3XB"},
    )
    assert response.status_code == 400 and "Content-Length" in response.content.decode()
