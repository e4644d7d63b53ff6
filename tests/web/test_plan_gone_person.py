"""A version may name someone the operation's data no longer has (a Linmas a PPS decree
replaced after the plan was made): the plan page shows him by his code and says so, not "?"."""

from __future__ import annotations

import html
from typing import Any

from siaga.core.data import linmas
from siaga.operations.models import Person
from tests.web.conftest import client_for


def test_a_person_gone_from_the_data_is_shown_by_code_and_said_so(operation: Any, plan: Any) -> None:
    code, post = plan.assignments.filter(slot="LINMAS").values_list("person_code", "post__code").first()
    Person.objects.filter(operation=operation, code=code).delete()
    client = client_for("planner")
    page = client.get(f"/plans/{plan.pk}/", {"post": post}).content.decode()
    masked = linmas.masked(code)  # a Linmas's NIK, shown masked
    assert f'(tidak ada lagi di data operasi) <code data-code="{code}">{masked}</code>' in page
    assert "<li> ? <code>" not in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/plans/{plan.pk}/", {"post": post}).content.decode()
    gone = html.escape("(no longer in the operation's data)")
    assert f'{gone} <code data-code="{code}">{masked}</code>' in page
