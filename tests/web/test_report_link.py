"""The post-operation report's link is shown to exactly the readers who may download it: a
link that answers "forbidden" is a dead end (the Polda's officer and the viewer saw one)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from siaga.accounts.models import Profile, Role
from tests.web.conftest import PASSWORD, client_for, publish


@pytest.fixture
def polda_user(db, operation):
    user = get_user_model().objects.create_user("polda-officer", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.POLDA, polda=operation.polda or "JAWA TIMUR")
    if not operation.polda:
        type(operation).objects.filter(pk=operation.pk).update(polda="JAWA TIMUR")
    return user


@pytest.mark.parametrize("name", ["planner", "commander", "sector", "viewer", "polda-officer"])
def test_the_report_link_is_shown_only_to_who_may_download_it(name, plan, polda_user):
    publish(plan)
    client = client_for(name)
    allowed = client.get(f"/plans/{plan.pk}/report.pdf").status_code
    assert allowed in (200, 403), (name, allowed)
    for page in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/board/"):
        html = client.get(page, follow=True).content.decode()
        shown = f'href="/plans/{plan.pk}/report.pdf"' in html
        assert shown == (allowed == 200), (name, page, allowed)
