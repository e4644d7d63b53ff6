"""A pattern reads as its title on the console ("Pilkades 2022 Polres Pasuruan Kota"), not its
code; the code stays in the hover title for whoever writes it in the workbook."""

from __future__ import annotations

from typing import Any

from siaga.core.data import patterns
from tests.web.conftest import client_for


def test_every_preset_and_the_workbooks_own_pattern_has_a_title() -> None:
    for code in patterns.PRESETS:
        assert patterns.title(code) and patterns.title(code) != code
    assert patterns.title(patterns.CUSTOM, "en") == "own pattern (the patterns sheet)"
    assert patterns.title(patterns.CUSTOM) == "pola sendiri (lembar pola)"


def test_the_dashboard_and_plan_pages_show_the_patterns_title(operation: Any, plan: Any) -> None:
    title = patterns.title(operation.pattern)
    client = client_for("planner")
    for url in (f"/ops/{operation.pk}/", f"/plans/ops/{operation.pk}/", f"/plans/{plan.pk}/"):
        page = client.get(url).content.decode()
        assert f'<span title="{operation.pattern}">{title}</span>' in page, url
        assert f": {operation.pattern}<" not in page and f"pola {operation.pattern}<" not in page, url
