"""Personal data (UU PDP 27/2022) in what Siaga writes and shows: formula-like text stays text
in every workbook and list export, a Linmas member's NIK is never printed, and a plan's note
(which may name anyone by NRP) is not shown below the whole Polres."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from siaga.core.data.model import Force
from siaga.core.data.workbook import write_tables
from siaga.core.documents import cards, orders, ploting
from siaga.operations.models import Person
from siaga.operations.services import scenario_for
from siaga.plans.store import core_plan
from tests.web.conftest import client_for

HOSTILE = ['=HYPERLINK("http://x","klik")', "+62812", "-1+1", "@SUM(A1)", "\tcmd"]  # (a CR reads back as LF)


def test_every_formula_like_cell_of_a_written_workbook_is_quote_prefixed_text(tmp_path):
    path = tmp_path / "t.xlsx"
    write_tables(path, [("s", ["nama", "angka"], [[text, -7.5] for text in HOSTILE] + [["biasa", 3]])])
    rows = list(openpyxl.load_workbook(path)["s"].iter_rows(min_row=2))
    assert [r[0].value for r in rows] == [*HOSTILE, "biasa"]  # read back unchanged
    assert all(r[0].data_type == "s" and r[0].quotePrefix for r in rows[: len(HOSTILE)])
    assert not rows[-1][0].quotePrefix and rows[0][1].value == -7.5 and not rows[0][1].quotePrefix


@pytest.fixture
def hostile_people(operation):
    people = list(Person.objects.filter(operation=operation, force="POLRI").order_by("code")[: len(HOSTILE)])
    for person, name in zip(people, HOSTILE, strict=True):
        Person.objects.filter(pk=person.pk).update(name=name)
    return people


def test_the_data_export_and_the_list_exports_keep_formulas_as_text(operation, hostile_people):
    planner = client_for("planner")
    for url in (
        reverse("export", args=[operation.pk]),
        reverse("personnel_list", args=[operation.pk]) + "?export=xlsx",
    ):
        response = planner.get(url)
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = {c.value: c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value in HOSTILE}
        assert set(cells) == set(HOSTILE), url
        assert all(c.data_type == "s" and c.quotePrefix for c in cells.values()), url
    response = planner.get(reverse("personnel_list", args=[operation.pk]) + "?export=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    names = {row[1] for row in csv.reader(io.StringIO(text))}
    assert {"'" + name for name in HOSTILE} <= names and not set(HOSTILE) & names


@pytest.fixture
def printed(operation, plan):
    scenario = scenario_for(operation)
    core = core_plan(plan)
    return scenario, core, ploting.build(scenario, core)


def test_the_ploting_workbook_never_prints_a_linmas_nik(printed):
    scenario, _, plot = printed
    niks = {p.id for p in scenario.personnel if p.force == Force.LINMAS}
    linmas = [r for r in plot.rows() if r.force == Force.LINMAS]
    assert linmas and {r.nrp for r in linmas} <= niks  # the NIK stays inside: the QR, the apel
    cells = {str(v) for _, tables in orders.workbook_sheets(plot) for t in tables for row in t.rows for v in row}
    assert not niks & cells
    polri = next(r for r in plot.rows() if r.force == Force.POLRI)
    assert polri.nrp in cells  # an NRP is printed: the duty needs it


def test_a_linmas_card_prints_the_name_but_not_the_nik(printed, tmp_path):
    scenario, core, plot = printed
    deck = [c for c in cards.build(scenario, core, plot, b"k" * 32) if c.id_label == "NIK"][:8]
    assert deck
    path = Path(tmp_path / "kartu.pdf")
    path.write_bytes(cards.cards_pdf(deck, "uji").data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert deck[0].name in text
    found = {c.nrp: text[max(0, text.find(c.nrp) - 80) : text.find(c.nrp) + 20] for c in deck if c.nrp in text}
    assert found == {}


def test_a_plan_note_naming_people_is_not_shown_to_a_sector_chief(operation, plan):
    type(plan).objects.filter(pk=plan.pk).update(note="ganti 78040123 Budi Santoso")
    url = reverse("map", args=[operation.pk])
    assert "78040123" in client_for("commander").get(url).content.decode()
    for role in ("sector", "field_officer"):
        response = client_for(role).get(url)
        assert "78040123" not in response.content.decode(), role
    for page in (reverse("plan_list", args=[operation.pk]), reverse("plan_detail", args=[plan.pk])):
        assert "78040123" not in client_for("sector").get(page).content.decode(), page


def test_the_access_report_of_a_person_lists_who_read_or_exported_their_roster(operation, plan):
    import json

    from django.core.management import call_command

    from siaga.plans.models import PlanAssignment

    code = PlanAssignment.objects.filter(plan=plan, slot="POLRI").values_list("person_code", flat=True).first()
    client_for("commander").get(reverse("plan_detail", args=[plan.pk]))  # read: audited
    client_for("viewer").get(reverse("personnel_list", args=[operation.pk]) + f"?q={code}")  # the list page
    client_for("planner").get(reverse("plan_json", args=[plan.pk]))  # an export
    client_for("planner").get(reverse("plan_detail", args=[plan.pk]))  # the keeper's own read: no entry
    out = io.StringIO()
    call_command("roster_access", code, "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["username"], r["action"], r["object_type"]) for r in rows] == [
        ("commander", "read_roster", "plan"),
        ("viewer", "read_roster", "personnel"),
        ("planner", "export_plan", "plan"),
    ]
    out = io.StringIO()
    call_command("roster_access", "00000000", stdout=out)  # nobody of the operation
    assert out.getvalue().strip() == "0 entries"
