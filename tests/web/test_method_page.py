"""A form's address opened by typing it (GET where only POST is taken) answers 405 with a page
in the reader's language that says what to do; the API keeps its own answers."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import client_for


def test_a_buttons_address_opened_directly_says_so_in_the_readers_language(plan: Any) -> None:
    sector = client_for("sector")
    answer = sector.get(f"/plans/{plan.pk}/approve/")
    assert answer.status_code == 405 and "POST" in answer.headers["Allow"]
    page = answer.content.decode()
    assert "Alamat ini dijalankan dengan tombol, bukan dibuka langsung" in page and "Tidak ada yang berubah" in page
    assert 'href="/logout/"' in page or "Keluar" in page  # the console's page, with its top bar
    sector.cookies["django_language"] = "en"
    page = sector.get(f"/plans/{plan.pk}/approve/").content.decode()
    assert "This address is run by a button, not opened directly" in page


def test_the_api_keeps_its_own_answer(plan: Any) -> None:
    answer = client_for("planner").delete(f"/api/plans/{plan.pk}/readiness")
    assert answer.status_code == 405 and "tombol" not in answer.content.decode()
