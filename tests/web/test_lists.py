"""The data lists (siaga.web.listing): sorted by a header, searched, filtered, paged in the
database and exported as XLSX or CSV of the filtered view, scoped for a sector chief and
refused to those who may not export; the roster's posts; bulk actions; rows added, edited and
removed by hand with the importer's validation."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

import openpyxl
import pytest
from django.test import Client

from siaga.audit.models import AuditEntry
from siaga.operations.models import Person, Region, Tps, Unit
from tests.web.conftest import OTHER_SECTOR, SECTOR, client_for, publish

LISTS = ["tps", "personnel", "units", "regions"]


def body(response: Any) -> str:
    return response.content.decode()


def first_cells(response: Any, table: str) -> list[str]:
    """The text of each row's first data cell (after a checkbox, if any)."""
    tbody = re.search(rf'<table id="{table}">.*?<tbody>(.*?)</tbody>', body(response), re.S).group(1)
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S):
        cells = [c for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) if 'type="checkbox"' not in c]
        if cells:
            out.append(re.sub(r"<[^>]+>", "", cells[0]).strip())
    return out


def exported(response: Any) -> list[list[Any]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


# ---------------------------------------------------------------- sort, search, filter, page


def test_it_sorts_the_roster_by_a_header_both_ways(as_planner, operation):
    url = f"/ops/{operation.pk}/personnel/"
    page = body(as_planner.get(url))
    assert 'data-sort="name"' in page
    people = Person.objects.filter(operation=operation)
    up = first_cells(as_planner.get(url, {"sort": "code"}), "personnel")
    down = first_cells(as_planner.get(url, {"sort": "-code"}), "personnel")
    assert up == list(people.order_by("code", "id").values_list("code", flat=True)[:50])
    assert down == list(people.order_by("-code", "-id").values_list("code", flat=True)[:50])
    assert 'aria-sort="descending"' in body(as_planner.get(url, {"sort": "-code"}))


def test_it_ignores_a_sort_it_does_not_know(as_planner, operation):
    page = as_planner.get(f"/ops/{operation.pk}/tps/", {"sort": "password"})
    expected = Tps.objects.filter(operation=operation).order_by("kecamatan_code", "desa_code", "number", "code")
    assert page.status_code == 200 and first_cells(page, "tps")[:3] == list(expected.values_list("code", flat=True)[:3])


@pytest.mark.parametrize("name", LISTS)
def test_every_list_sorts_searches_and_pages(as_planner, operation, name):
    url = f"/ops/{operation.pk}/{name}/"
    first = as_planner.get(url, {"sort": "-code"})
    assert first.status_code == 200 and 'class="pagination"' in body(first)
    codes = first_cells(first, name)
    assert codes == sorted(codes, reverse=True) and len(codes) <= 50
    found = first_cells(as_planner.get(url, {"q": codes[0]}), name)
    assert codes[0] in found


def test_it_sorts_the_tps_by_voters_and_pages_the_sorted_rows(as_planner, operation):
    url = f"/ops/{operation.pk}/tps/"
    second = first_cells(as_planner.get(url, {"sort": "-voters", "page": 2}), "tps")
    expected = Tps.objects.filter(operation=operation).order_by("-voters", "-id").values_list("code", flat=True)
    assert second == list(expected[50:100])


def test_it_filters_units_and_regions_by_kecamatan(as_planner, operation):
    units = first_cells(as_planner.get(f"/ops/{operation.pk}/units/", {"kecamatan": SECTOR}), "units")
    assert set(units) == set(
        Unit.objects.filter(operation=operation, kecamatan_code=SECTOR).values_list("code", flat=True)
    )
    regions = first_cells(as_planner.get(f"/ops/{operation.pk}/regions/", {"kecamatan": SECTOR}), "regions")
    assert len(regions) == 4 and all(code.startswith(SECTOR) for code in regions)


def test_it_shows_labels_not_codes_in_the_filters_and_rows(as_planner, operation):
    page = body(as_planner.get(f"/ops/{operation.pk}/personnel/", {"force": "SATPOL_PP"}))
    assert ">Satpol PP<" in page and ">SATPOL_PP<" not in page


def test_the_roster_shows_each_persons_post_in_the_current_plan_by_name(as_planner, operation, plan):
    publish(plan)
    code = plan.assignments.filter(post__kind="TPS").values_list("person_code", flat=True).first()
    page = as_planner.get(f"/ops/{operation.pk}/personnel/", {"q": code})
    post = re.search(r'<td class="post">(.*?)</td>', body(page)).group(1)
    assert post.startswith("Pos TPS ") and "TPS-" not in post and code not in post


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_exports_the_filtered_sorted_roster(as_planner, operation, fmt):
    response = as_planner.get(f"/ops/{operation.pk}/personnel/", {"force": "TNI", "sort": "-name", "export": fmt})
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    header, *rows = exported(response)
    assert header[:3] == ["NRP/NIK", "Nama", "Pangkat"] and "Pos (rencana berlaku)" in header
    tni = Person.objects.filter(operation=operation, force="TNI").order_by("-name", "-id")
    assert [str(r[0]) for r in rows] == list(tni.values_list("code", flat=True))
    assert {r[header.index("Unsur")] for r in rows} == {"TNI"}
    assert AuditEntry.objects.filter(action="export_list", object_type="personel", username="planner").exists()


@pytest.mark.parametrize("name", LISTS)
def test_every_list_exports_every_filtered_row_not_just_a_page(as_planner, operation, name):
    response = as_planner.get(f"/ops/{operation.pk}/{name}/", {"export": "csv"})
    header, *rows = exported(response)
    model = {"tps": Tps, "personnel": Person, "units": Unit, "regions": Region}[name]
    assert len(rows) == model.objects.filter(operation=operation).count()


def test_it_quotes_formula_like_text_in_the_export(as_planner, operation):
    person = Person.objects.filter(operation=operation).first()
    Person.objects.filter(pk=person.pk).update(position='=HYPERLINK("http://x","y")', phone="+62811")
    query = {"q": person.code}
    csv_rows = exported(as_planner.get(f"/ops/{operation.pk}/personnel/", query | {"export": "csv"}))
    assert csv_rows[1][csv_rows[0].index("Jabatan")].startswith("'=")
    xlsx = as_planner.get(f"/ops/{operation.pk}/personnel/", query | {"export": "xlsx"})
    content = b"".join(xlsx.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    cell = book.worksheets[0].cell(row=2, column=csv_rows[0].index("Jabatan") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=")


def test_a_sector_chief_exports_only_their_kecamatan(operation):
    sector = client_for("sector")
    response = sector.get(f"/ops/{operation.pk}/tps/", {"export": "csv"})
    assert response.status_code == 403  # a sector chief may not export at all (roles.ALLOWED)


def test_the_commander_exports_and_a_sector_filter_holds(as_commander, operation):
    _header, *rows = exported(
        as_commander.get(f"/ops/{operation.pk}/tps/", {"kecamatan": OTHER_SECTOR, "export": "csv"})
    )
    assert len(rows) == Tps.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR).count()
    assert all(r[0].startswith(OTHER_SECTOR) for r in rows)


@pytest.mark.parametrize("name", ["viewer", "sector"])
def test_it_refuses_exports_to_those_who_may_not_export(name, operation):
    client = client_for(name)
    for page in LISTS:
        assert client.get(f"/ops/{operation.pk}/{page}/", {"export": "xlsx"}).status_code == 403
        assert 'id="export-xlsx"' not in body(client.get(f"/ops/{operation.pk}/{page}/"))


def test_a_sector_chief_sees_only_their_kecamatan_in_every_list(as_sector, operation):
    for page in ("tps", "personnel", "units"):
        shown = body(as_sector.get(f"/ops/{operation.pk}/{page}/", {"kecamatan": OTHER_SECTOR}))
        assert 'id="row-count">0<' in shown


# ---------------------------------------------------------------- bulk actions


def test_it_marks_many_people_not_ready_at_once_audited(as_planner, operation):
    people = list(Person.objects.filter(operation=operation, force="POLRI").order_by("id")[:5])
    response = as_planner.post(
        f"/ops/{operation.pk}/personnel/bulk/",
        {"ids": [p.pk for p in people], "available": "tidak", "next": f"/ops/{operation.pk}/personnel/?force=POLRI"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?force=POLRI")
    assert not Person.objects.filter(pk__in=[p.pk for p in people], available=True).exists()
    entry = AuditEntry.objects.get(action="bulk_availability")
    assert sorted(entry.after["persons"]) == sorted(p.code for p in people) and entry.after["available"] is False


def test_bulk_availability_leaves_another_sectors_people_alone(as_sector, operation):
    other = Person.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR).first()
    response = as_sector.post(f"/ops/{operation.pk}/personnel/bulk/", {"ids": [other.pk], "available": "tidak"})
    assert response.status_code == 403
    assert Person.objects.get(pk=other.pk).available


def test_it_sets_the_category_of_a_selection_of_tps_with_a_reason(as_planner, operation):
    tps = list(Tps.objects.filter(operation=operation, kecamatan_code=SECTOR).order_by("id")[:3])
    url = f"/ops/{operation.pk}/tps/bulk/"
    refused = as_planner.post(url, {"ids": [t.pk for t in tps], "category": "SANGAT_RAWAN", "reason": ""}, follow=True)
    assert "Alasan wajib diisi" in body(refused)
    assert not Tps.objects.filter(pk__in=[t.pk for t in tps], category="SANGAT_RAWAN").exists()
    as_planner.post(url, {"ids": [t.pk for t in tps], "category": "SANGAT_RAWAN", "reason": "Sengketa batas desa"})
    changed = Tps.objects.filter(pk__in=[t.pk for t in tps])
    assert set(changed.values_list("effective_category", "category_reason")) == {
        ("SANGAT_RAWAN", "Sengketa batas desa")
    }
    entry = AuditEntry.objects.get(action="bulk_category")
    assert set(entry.before) == {t.code for t in tps} and entry.after["category"] == "SANGAT_RAWAN"


def test_bulk_actions_are_refused_to_a_viewer(as_viewer, operation):
    person = Person.objects.filter(operation=operation).first()
    assert (
        as_viewer.post(f"/ops/{operation.pk}/personnel/bulk/", {"ids": [person.pk], "available": "tidak"}).status_code
        == 403
    )
    assert as_viewer.post(f"/ops/{operation.pk}/tps/bulk/", {"ids": [1], "category": ""}).status_code == 403


# ---------------------------------------------------------------- add, edit, remove


def new_person(operation: Any, **changes: str) -> dict[str, str]:
    unit = Unit.objects.filter(operation=operation, kecamatan_code=SECTOR).first()
    data = {"code": "99887766", "name": "Budi Santoso", "rank": "BRIPDA", "force": "POLRI", "unit_code": unit.code}
    return data | {"desa_code": "", "phone": "081234567890", "position": ""} | changes


def test_it_adds_a_person_with_the_importers_validation(as_planner, operation):
    response = as_planner.post(f"/ops/{operation.pk}/personnel/add/", new_person(operation))
    assert response.status_code == 302
    person = Person.objects.get(operation=operation, code="99887766")
    assert person.kecamatan_code == SECTOR and person.force == "POLRI" and person.available
    assert AuditEntry.objects.filter(action="add", object_type="person", object_id="99887766").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Nama: wajib diisi"),
        ({"unit_code": ""}, "wajib memiliki satuan"),
        ({"unit_code": "TIDAK-ADA"}, "TIDAK-ADA"),
        ({"force": "LINMAS", "desa_code": ""}, "LINMAS wajib memiliki desa"),
        ({"code": "__taken__"}, "sudah dipakai"),
    ],
)
def test_it_refuses_a_bad_new_person_naming_the_field_and_saves_nothing(as_planner, operation, changes, message):
    if changes.get("code") == "__taken__":
        changes = {"code": Person.objects.filter(operation=operation).first().code}
    before = Person.objects.count()
    response = as_planner.post(f"/ops/{operation.pk}/personnel/add/", new_person(operation, **changes))
    assert response.status_code == 400 and message.lower() in html.unescape(body(response)).lower()
    assert Person.objects.count() == before and not AuditEntry.objects.filter(action="add").exists()


def test_it_adds_a_tps_scored_and_refuses_a_latitude_outside_indonesia(as_planner, operation):
    desa = Region.objects.filter(operation=operation, level="DESA", kecamatan_code=SECTOR).first()
    data = {"code": f"{desa.code}-TPS-99", "desa_code": desa.code, "number": "99", "voters": "250"}
    data |= {"lat": "-7.65", "lon": "112.9", "address": "Balai desa"}
    bad = as_planner.post(f"/ops/{operation.pk}/tps/add/", data | {"lat": "45"})
    assert bad.status_code == 400 and "Lintang" in body(bad)
    assert not Tps.objects.filter(code=data["code"]).exists()
    assert as_planner.post(f"/ops/{operation.pk}/tps/add/", data).status_code == 302
    tps = Tps.objects.get(operation=operation, code=data["code"])
    assert tps.kecamatan_code == SECTOR and tps.effective_category


def test_it_adds_edits_and_removes_a_unit(as_planner, operation):
    kecamatan = Region.objects.filter(operation=operation, level="KECAMATAN").first()
    data = {"code": "SAT-BARU", "name": "Satgas Baru", "kind": "SAMAPTA", "kecamatan_code": kecamatan.code}
    data |= {"lat": "-7.64", "lon": "112.91"}
    assert as_planner.post(f"/ops/{operation.pk}/units/add/", data).status_code == 302
    unit = Unit.objects.get(operation=operation, code="SAT-BARU")
    bad = as_planner.post(f"/ops/{operation.pk}/units/{unit.pk}/edit/", data | {"kind": "PASUKAN"})
    assert bad.status_code == 400 and "Jenis" in body(bad)
    as_planner.post(f"/ops/{operation.pk}/units/{unit.pk}/edit/", data | {"name": "Satgas Samapta"})
    assert Unit.objects.get(pk=unit.pk).name == "Satgas Samapta"
    assert as_planner.post(f"/ops/{operation.pk}/unit/{unit.pk}/remove/").status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert AuditEntry.objects.filter(action="remove", object_type="unit", object_id="SAT-BARU").exists()


def test_it_refuses_to_remove_a_unit_with_members(as_planner, operation):
    unit = Unit.objects.get(operation=operation, code="POLRES-PASKOT")
    page = as_planner.post(f"/ops/{operation.pk}/unit/{unit.pk}/remove/", follow=True)
    assert "masih beranggota" in body(page) and Unit.objects.filter(pk=unit.pk).exists()


def test_it_refuses_to_remove_a_person_on_a_published_plan_and_says_deactivate(as_planner, operation, plan):
    publish(plan)
    code = plan.assignments.values_list("person_code", flat=True).first()
    person = Person.objects.get(operation=operation, code=code)
    page = as_planner.post(f"/ops/{operation.pk}/person/{person.pk}/remove/", follow=True)
    assert "Tandai tidak siap" in body(page) and Person.objects.filter(pk=person.pk).exists()
    assert not AuditEntry.objects.filter(action="remove").exists()


def test_it_removes_a_person_on_no_live_plan(as_planner, operation):
    person = Person.objects.filter(operation=operation, force="SATPOL_PP").first()
    response = as_planner.post(f"/ops/{operation.pk}/person/{person.pk}/remove/")
    assert response.status_code == 302 and not Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("name", ["viewer", "commander", "sector"])
def test_it_refuses_adds_and_removals_to_everyone_but_planners(name, operation):
    client: Client = client_for(name)
    person = Person.objects.filter(operation=operation, kecamatan_code=SECTOR).first()
    assert client.post(f"/ops/{operation.pk}/personnel/add/", new_person(operation)).status_code == 403
    assert client.post(f"/ops/{operation.pk}/person/{person.pk}/remove/").status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


# ---------------------------------------------------------------- the vulnerability table


def vulnerability_codes(response: Any) -> list[str]:
    return re.findall(r'<tr class="tps-row" data-tps="([^"]+)"', body(response))


def test_the_vulnerability_table_sorts_by_score_and_searches(as_planner, operation):
    url = f"/ops/{operation.pk}/vulnerability/"
    by_score = vulnerability_codes(as_planner.get(url, {"sort": "-score"}))
    expected = Tps.objects.filter(operation=operation).order_by("-score", "-id").values_list("code", flat=True)
    assert by_score == list(expected) and 'class="group-kec"' not in body(as_planner.get(url, {"sort": "-score"}))
    one = Tps.objects.filter(operation=operation).last()
    assert vulnerability_codes(as_planner.get(url, {"q": one.code})) == [one.code]


def test_the_vulnerability_table_exports_the_filtered_rows_with_reasons(as_commander, operation):
    query = {"kecamatan": OTHER_SECTOR, "export": "xlsx"}
    header, *rows = exported(as_commander.get(f"/ops/{operation.pk}/vulnerability/", query))
    assert header[:3] == ["TPS", "Desa/kelurahan", "Kecamatan"] and "Alasan utama" in header
    assert len(rows) == Tps.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR).count()
    assert {r[header.index("Kategori berlaku")] for r in rows} <= {"Kurang rawan", "Rawan", "Sangat rawan", "Khusus"}


def test_the_vulnerability_table_scores_only_its_page(as_planner):
    from siaga.core.data.generator import generate
    from siaga.operations.services import import_scenario
    from siaga.operations.views_risk import VULNERABILITY_PAGE

    big = import_scenario(generate(VULNERABILITY_PAGE + 100, seed=7, indicators=True), "besar.xlsx")
    url = f"/ops/{big.pk}/vulnerability/"
    assert len(vulnerability_codes(as_planner.get(url))) == VULNERABILITY_PAGE
    assert len(vulnerability_codes(as_planner.get(url, {"page": 2}))) == 100


def test_a_sector_chief_sees_and_sorts_only_their_tps_in_the_vulnerability_table(as_sector, operation):
    codes = vulnerability_codes(as_sector.get(f"/ops/{operation.pk}/vulnerability/", {"sort": "voters"}))
    assert len(codes) == 22 and all(c.startswith(SECTOR + ".") for c in codes)
    assert as_sector.get(f"/ops/{operation.pk}/vulnerability/", {"export": "csv"}).status_code == 403


# -- the posts of a plan version -----------------------------------------------------------------


def test_the_posts_list_sorts_filters_searches_and_exports(as_planner, plan):
    url = f"/plans/{plan.pk}/posts/"
    listed = as_planner.get(url)
    assert listed.status_code == 200
    assert f'<span id="row-count">{plan.posts.count()}</span>' in body(listed)
    category = plan.posts.order_by("category").values_list("category", flat=True).last()
    chosen = as_planner.get(url + f"?sort=-needed&category={category}")
    rows = re.findall(r'<tr data-post="([^"]+)">', body(chosen))
    assert rows and set(rows) <= set(plan.posts.filter(category=category).values_list("code", flat=True))
    needed = {p.code: sum(p.required.values()) for p in plan.posts.all()}
    assert [needed[c] for c in rows] == sorted((needed[c] for c in rows), reverse=True)
    assert "TPS-" not in re.sub(r'data-post="[^"]+"|href="[^"]+"', "", body(chosen))  # posts by their names
    kecamatan = set(Region.objects.filter(operation=plan.operation, level="KECAMATAN").values_list("name", flat=True))
    desa = next(
        r
        for r in Region.objects.filter(operation=plan.operation, code__in=plan.posts.values("desa_code"))
        if not any(r.name.lower() in k.lower() for k in kecamatan)
    )
    found = as_planner.get(url + f"?q={desa.name}")
    assert set(re.findall(r'<tr data-post="([^"]+)">', body(found))) == set(
        plan.posts.filter(desa_code=desa.code).values_list("code", flat=True)
    )
    empty = as_planner.get(url + "?empty=1")
    assert (
        len(re.findall(r'<tr data-post="', body(empty))) == plan.posts.filter(unfilled__isnull=False).distinct().count()
    )
    sheet = exported(as_planner.get(url + f"?category={category}&export=xlsx"))
    assert len(sheet) - 1 == plan.posts.filter(category=category).count()
    assert all(str(row[0]).startswith(("Pos", "Jaga", "Tim", "Cadangan", "Siaga", "Patroli")) for row in sheet[1:])


def test_a_kapolsek_lists_only_his_posts_and_a_viewer_cannot_export_them(as_sector, as_viewer, plan):
    url = f"/plans/{plan.pk}/posts/"
    mine = set(plan.posts.filter(kecamatan_code=SECTOR).values_list("code", flat=True))
    shown = set(re.findall(r'<tr data-post="([^"]+)">', body(as_sector.get(url + "?sort=kind"))))
    assert shown and shown <= mine
    assert as_viewer.get(url).status_code == 200
    assert as_viewer.get(url + "?export=csv").status_code == 403


# -- the incident register ---------------------------------------------------------------------


def _report(client: Client, plan: Any, kecamatan: str, severity: int, text: str) -> None:
    post = plan.posts.filter(kind="TPS", kecamatan_code=kecamatan).order_by("pk").first()
    answer = client.post(
        f"/api/plans/{plan.pk}/incidents",
        {"kind": "bentrok", "severity": severity, "post_id": post.code, "description": text},
        content_type="application/json",
        headers={"Idempotency-Key": f"register-{kecamatan}-{severity}"},
    )
    assert answer.status_code == 201, answer.content


def test_the_incident_register_sorts_filters_scopes_and_exports(as_planner, as_sector, plan):
    publish(plan)
    _report(as_planner, plan, SECTOR, 3, "Dua kelompok saling dorong")
    _report(as_planner, plan, OTHER_SECTOR, 1, "Spanduk dirusak")
    url = f"/plans/{plan.pk}/incidents/register/"
    page = body(as_planner.get(url + "?sort=severity"))
    assert page.index("Spanduk dirusak") < page.index("Dua kelompok saling dorong")
    assert "TPS-" not in re.sub(r'data-[a-z]+="[^"]+"|href="[^"]+"', "", page)  # posts by their names
    grave = body(as_planner.get(url + "?severity=3"))
    assert "Dua kelompok" in grave and "Spanduk" not in grave
    assert "Dua kelompok" in body(as_planner.get(url + "?q=saling"))
    mine = body(as_sector.get(url))
    assert "Dua kelompok" in mine and "Spanduk" not in mine
    sheet = exported(as_planner.get(url + "?export=csv&sort=-severity"))
    assert [row[-2] for row in sheet[1:]] == ["Dua kelompok saling dorong", "Spanduk dirusak"]
    assert AuditEntry.objects.filter(action="export_list", object_type="kejadian").exists()
