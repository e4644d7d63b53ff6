"""A sector chief's dashboard counts the people based in his kecamatan (its units, the Linmas
of its desa), not those the plan deploys there: it says so, and leads to the plan for those."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import client_for


def test_the_sector_chief_reads_whom_the_personnel_figure_counts(operation, plan):
    page = client_for("sector").get(reverse("dashboard_for", args=[operation.pk])).content.decode()
    headline = page.split('id="headline">')[1].split("</p>")[0]
    assert "personel berkedudukan di wilayah ini" in headline and "gabungan" not in headline
    note = page.split('id="by-force-scope"')[1].split("</p>")[0]
    assert "Yang ditugaskan di wilayah ini" in note
    assert reverse("plan_detail", args=[plan.pk]) in note


def test_the_polres_staff_read_the_joint_personnel(operation, plan):
    page = client_for("planner").get(reverse("dashboard_for", args=[operation.pk])).content.decode()
    headline = page.split('id="headline">')[1].split("</p>")[0]
    assert "personel gabungan" in headline
    assert 'id="by-force-scope"' not in page


def test_in_english_the_sector_chief_reads_it_in_english(operation, plan):
    client = client_for("sector")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard_for", args=[operation.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "personnel based in this area" in page
