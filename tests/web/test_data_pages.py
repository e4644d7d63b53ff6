"""The data pages: import through upload, preview and confirm; the template and the export;
the TPS, region, unit and personnel lists (scoped, filtered, paged, a fixed number of
queries); hand edits validated like the importer; the roster reads the audit log keeps."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from siaga.audit.models import AuditEntry
from siaga.core.data import demo
from siaga.core.data.generator import generate
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import read_scenario, write_scenario
from siaga.operations.models import DataVersion, Operation, Person, Region, Tps, Unit
from siaga.operations.services import import_scenario, scenario_for
from siaga.plans.models import PlanJob
from tests.web.conftest import OTHER_SECTOR, SECTOR, client_for


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT / "uploads"


@pytest.fixture(scope="module")
def demo_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    write_scenario(demo.pasuruan_kota(), path)
    return path


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def upload(client: Client, path: Path, name: str | None = None) -> Any:
    data = SimpleUploadedFile(name or path.name, path.read_bytes())
    return client.post("/import/", {"file": data})


def token_of(response: Any) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def rows(response: Any, table: str) -> list[str]:
    body = re.search(rf'<table id="{table}">.*?<tbody>(.*?)</tbody>', response.content.decode(), re.S).group(1)
    return [r for r in re.findall(r"<tr>(.*?)</tr>", body, re.S) if "colspan" not in r]


def tps_codes(response: Any) -> list[str]:
    return re.findall(r'<td><a href="/ops/\d+/tps/\d+/">([^<]+)</a></td>', response.content.decode())


# ---------------------------------------------------------------- import


def test_it_imports_the_demo_workbook_through_the_pages(as_planner, demo_xlsx, media, settings):
    settings.SIAGA_JOBS_INLINE = True  # the import job runs in the request here (a worker runs it in the console)
    form = as_planner.get("/import/")
    assert form.status_code == 200 and 'href="/template.xlsx"' in form.content.decode()
    before = Operation.objects.count()

    preview = upload(as_planner, demo_xlsx, "operasi-paskot.xlsx")
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'id="count-tps">152<' in page and 'id="count-persons">950<' in page
    assert 'id="count-kecamatan">7<' in page and 'id="count-desa">21<' in page
    assert '<td>Linmas</td><td class="num">420</td>' in page and "SATPOL_PP" not in page  # words, not codes
    assert Operation.objects.count() == before  # a preview imports nothing

    confirmed = as_planner.post("/import/confirm/", {"token": token_of(preview)})
    job = PlanJob.objects.get(kind="import")
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == f"/plans/jobs/{job.pk}/"
    done = as_planner.get(confirmed.headers["Location"])  # the job page: done, on to the operation
    new = Operation.objects.get(source_name="operasi-paskot.xlsx", imported_by__username="planner")
    assert PlanJob.objects.get(pk=job.pk).operation_id == new.pk
    assert done.status_code == 302 and done.headers["Location"] == f"/ops/{new.pk}/"
    assert Operation.objects.count() == before  # the demo's name: that operation, a new data version
    assert list(new.data_versions.values_list("number", flat=True)) == [2, 1]
    assert new.tps_set.count() == 152 and new.personnel.count() == 950
    assert AuditEntry.objects.filter(action="reimport", operation_id=new.pk, username="planner").exists()
    assert list(media.iterdir()) == []  # the upload is gone once imported
    assert "152 TPS, 950 personel" in text(as_planner.get(done.headers["Location"]))


def test_it_imports_an_upload_once_however_often_it_is_confirmed(as_planner, demo_xlsx, settings):
    settings.SIAGA_JOBS_INLINE = True
    token = token_of(upload(as_planner, demo_xlsx))
    before = Operation.objects.count()
    as_planner.post("/import/confirm/", {"token": token})
    again = as_planner.post("/import/confirm/", {"token": token}, follow=True)
    assert Operation.objects.count() == before and DataVersion.objects.count() == 2
    assert "Unggahan tidak ditemukan atau sudah diimpor" in text(again)


def broken_workbook(path: Path) -> Path:
    """The demo with a TPS at latitude 99 and a TPS id used twice."""
    scenario = demo.pasuruan_kota()
    tps = list(scenario.tps)
    tps[3] = dataclasses.replace(tps[3], lat=99.0)
    tps[7] = dataclasses.replace(tps[7], id=tps[6].id)
    write_scenario(dataclasses.replace(scenario, tps=tuple(tps)), path)
    return path


@pytest.mark.parametrize("language", ["id", "en"])
def test_it_lists_every_problem_of_a_broken_workbook_and_imports_nothing(as_planner, tmp_path, media, language):
    path = broken_workbook(tmp_path / "rusak.xlsx")
    with pytest.raises(ScenarioError) as expected:
        read_scenario(path)
    as_planner.post("/i18n/setlang/", {"language": language, "next": "/"})
    before = Operation.objects.count()

    page = upload(as_planner, path)

    assert page.status_code == 400
    shown = re.findall(r"<li>(.*?)</li>", text(page).split('id="problems"')[1].split("</ol>")[0])
    assert shown == expected.value.messages(language)  # the CLI's messages, every one, in order
    assert any("99" in m and ("di luar Indonesia" if language == "id" else "outside Indonesia") in m for m in shown)
    assert any(("sudah dipakai di baris" if language == "id" else "already used in row") in m for m in shown)
    assert Operation.objects.count() == before
    assert 'name="token"' not in page.content.decode() and list(media.iterdir()) == []


def test_it_refuses_a_pdf_renamed_xlsx_with_the_readers_message(as_planner, tmp_path):
    fake = tmp_path / "skenario.xlsx"
    fake.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n")
    before = Operation.objects.count()
    page = upload(as_planner, fake)
    assert page.status_code == 400
    assert "bukan berkas Excel .xlsx yang sah" in text(page)
    assert Operation.objects.count() == before


def test_it_refuses_a_file_that_is_not_named_as_a_workbook(as_planner, tmp_path):
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    page = upload(as_planner, pdf)
    assert page.status_code == 400 and "Pilih berkas Excel .xlsx" in text(page)


def test_it_names_an_old_xls_file(as_planner, tmp_path):
    old = tmp_path / "lama.xls"
    old.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512)
    assert "format Excel lama (.xls)" in text(upload(as_planner, old))


def test_it_refuses_an_upload_over_the_size_limit(as_planner, settings, tmp_path, media):
    settings.SIAGA_MAX_UPLOAD_BYTES = 1000
    big = tmp_path / "besar.xlsx"
    big.write_bytes(b"PK" + b"\0" * 5000)
    page = upload(as_planner, big)
    assert page.status_code == 400 and "Berkas terlalu besar" in text(page)
    assert not media.exists() or list(media.iterdir()) == []


def test_it_refuses_an_upload_declared_too_large_before_reading_it(as_planner, settings):
    settings.SIAGA_MAX_UPLOAD_BYTES = 1000
    page = as_planner.post("/import/", {"file": SimpleUploadedFile("a.xlsx", b"PK" + b"\0" * 200_000)})
    assert page.status_code == 413 and "Berkas terlalu besar" in text(page)


@pytest.mark.parametrize("name", ["viewer", "commander", "sector"])
def test_it_refuses_the_import_to_everyone_but_planners(name, demo_xlsx, operation):
    client = client_for(name)
    before = Operation.objects.count()
    assert client.get("/import/").status_code == 403
    assert upload(client, demo_xlsx).status_code == 403
    assert client.post("/import/confirm/", {"token": "0" * 32}).status_code == 403
    assert Operation.objects.count() == before


@pytest.mark.parametrize("token", ["../../../etc/passwd", "0" * 31 + "G", "0" * 32, "A" * 32])
def test_it_refuses_a_token_this_session_did_not_upload(as_planner, token):
    before = Operation.objects.count()
    page = as_planner.post("/import/confirm/", {"token": token}, follow=True)
    assert "Unggahan tidak ditemukan" in text(page) and Operation.objects.count() == before


def test_it_keeps_one_planners_upload_from_another(as_planner, demo_xlsx):
    token = token_of(upload(as_planner, demo_xlsx))
    before = Operation.objects.count()
    client_for("planner2").post("/import/confirm/", {"token": token})
    assert Operation.objects.count() == before


def test_it_only_confirms_by_post(as_planner):
    assert as_planner.get("/import/confirm/").status_code == 405


# ---------------------------------------------------------------- template and export


def test_it_serves_the_template_as_a_workbook_to_any_user(as_viewer):
    response = as_viewer.get("/template.xlsx")
    assert response.status_code == 200
    assert 'filename="templat-skenario-siaga.xlsx"' in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {"operasi", "wilayah", "tps", "satuan", "personel", "petunjuk"} <= set(book.sheetnames)


def test_it_exports_an_operation_that_imports_back_unchanged(as_planner, operation, tmp_path, settings):
    settings.SIAGA_JOBS_INLINE = True
    response = as_planner.get(f"/ops/{operation.pk}/export.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    exported = tmp_path / "ekspor.xlsx"
    exported.write_bytes(b"".join(response.streaming_content))
    assert read_scenario(exported) == scenario_for(operation)
    assert AuditEntry.objects.filter(action="export", operation_id=operation.pk, username="planner").exists()

    as_planner.post("/import/confirm/", {"token": token_of(upload(as_planner, exported))})
    again = Operation.objects.filter(source_name="ekspor.xlsx").get()
    assert scenario_for(again) == scenario_for(operation)


@pytest.mark.parametrize("name", ["viewer", "sector"])
def test_it_refuses_the_export_to_viewers_and_sector_chiefs(name, operation):
    assert client_for(name).get(f"/ops/{operation.pk}/export.xlsx").status_code == 403


# ---------------------------------------------------------------- lists


def test_it_shows_a_sector_chief_only_their_kecamatans_tps(as_sector, operation):
    page = as_sector.get(f"/ops/{operation.pk}/tps/")
    codes = tps_codes(page)
    assert len(codes) == 22 and all(c.startswith(SECTOR + ".") for c in codes)
    assert OTHER_SECTOR not in page.content.decode()  # not in the rows, not in the filters


def test_it_hides_another_sectors_tps_from_a_sector_chief_by_id(as_sector, operation):
    other = Tps.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR).first()
    assert as_sector.get(f"/ops/{operation.pk}/tps/{other.pk}/edit/").status_code in (403, 404)
    assert as_sector.get(f"/ops/{operation.pk}/tps/{other.pk}/").status_code in (403, 404)
    person = Person.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR).first()
    assert as_sector.get(f"/ops/{operation.pk}/personnel/{person.pk}/edit/").status_code in (403, 404)


def test_it_pages_the_tps_fifty_at_a_time_in_kecamatan_desa_number_order(as_planner, operation):
    first = as_planner.get(f"/ops/{operation.pk}/tps/")
    last = as_planner.get(f"/ops/{operation.pk}/tps/?page=4")
    assert len(tps_codes(first)) == 50 and len(tps_codes(last)) == 2
    everything = [c for n in range(1, 5) for c in tps_codes(as_planner.get(f"/ops/{operation.pk}/tps/?page={n}"))]
    expected = Tps.objects.filter(operation=operation).order_by("kecamatan_code", "desa_code", "number")
    assert everything == list(expected.values_list("code", flat=True))


def test_it_filters_the_tps_by_kecamatan_desa_category_and_search(as_planner, operation):
    url = f"/ops/{operation.pk}/tps/"
    assert len(tps_codes(as_planner.get(url, {"kecamatan": OTHER_SECTOR}))) == 21
    desa = Tps.objects.filter(operation=operation).values_list("desa_code", flat=True).first()
    assert set(tps_codes(as_planner.get(url, {"desa": desa}))) == set(
        Tps.objects.filter(operation=operation, desa_code=desa).values_list("code", flat=True)
    )
    rawan = as_planner.get(url, {"category": "RAWAN"})
    assert set(re.findall(r'<span class="badge (\w+)">', rawan.content.decode())) == {"RAWAN"}
    assert len(tps_codes(rawan)) == min(50, operation.tps_set.filter(effective_category="RAWAN").count())
    one = Tps.objects.filter(operation=operation).last()
    assert tps_codes(as_planner.get(url, {"q": one.code})) == [one.code]


def test_it_marks_a_category_set_by_hand(as_planner, operation):
    tps = Tps.objects.filter(operation=operation).first()
    Tps.objects.filter(pk=tps.pk).update(category="KHUSUS", category_reason="Lapas")
    page = as_planner.get(f"/ops/{operation.pk}/tps/", {"q": tps.code}).content.decode()
    assert "Ditetapkan manual: Lapas" in page


def test_it_renders_the_tps_list_in_a_fixed_number_of_queries(as_planner, operation):
    url = f"/ops/{operation.pk}/tps/"
    code = Tps.objects.filter(operation=operation).first().code
    as_planner.get(url)  # session and caches warm
    with CaptureQueriesContext(connection) as fifty:
        as_planner.get(url)
    with CaptureQueriesContext(connection) as one:
        as_planner.get(url, {"q": code})
    assert len(fifty) == len(one) <= 10


@pytest.mark.parametrize(("page", "extra"), [("regions", 0), ("units", 0), ("personnel", 4)])
def test_it_renders_the_other_lists_in_a_fixed_number_of_queries(as_commander, operation, page, extra):
    # the roster's extra: each person's post in the current plan (assignments, their TPS, numbers, places)
    url = f"/ops/{operation.pk}/{page}/"
    as_commander.get(url)
    with CaptureQueriesContext(connection) as many:
        as_commander.get(url)
    with CaptureQueriesContext(connection) as few:
        as_commander.get(url, {"q": "zzz-tidak-ada"})
    assert len(many) <= len(few) + 3 + extra <= 16 + extra  # + the lookups a page of no rows skips


def test_it_renders_two_thousand_tps_well_under_half_a_second(as_planner):
    big = import_scenario(generate(2000, seed=5, indicators=True), "besar.xlsx")
    url = f"/ops/{big.pk}/tps/"
    as_planner.get(url)
    timings = []
    for page in (1, 20, 40):
        start = time.perf_counter()
        response = as_planner.get(url, {"page": page})
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200 and len(tps_codes(response)) == 50
    assert min(timings) < 0.25 and max(timings) < 0.5


def test_it_shows_a_sector_chief_their_kecamatan_and_its_desa(as_sector, operation):
    page = as_sector.get(f"/ops/{operation.pk}/regions/")
    listed = rows(page, "regions")
    assert len(listed) == 4 and "Pohjentrek" in listed[0]
    assert all(SECTOR in r for r in listed) and OTHER_SECTOR not in page.content.decode()


def test_it_filters_the_regions_by_level_and_search_and_shows_desa_indicators(as_planner, operation):
    url = f"/ops/{operation.pk}/regions/"
    assert len(rows(as_planner.get(url, {"level": "DESA"}), "regions")) == 21
    assert len(rows(as_planner.get(url, {"level": "KECAMATAN"}), "regions")) == 7
    found = rows(as_planner.get(url, {"q": "Semare"}), "regions")
    assert len(found) == 1 and "Kraton" in found[0]  # its parent kecamatan
    assert "<strong>4</strong>" in found[0]  # candidates = 4 in the demo
    assert len(rows(as_planner.get(url, {"q": "35.14.22"}), "regions")) == 1 + 3


def test_it_counts_each_units_members(as_planner, operation):
    listed = rows(as_planner.get(f"/ops/{operation.pk}/units/"), "units")
    assert len(listed) == Unit.objects.filter(operation=operation).count()
    polres = next(r for r in listed if "POLRES-PASKOT" in r)
    members = Person.objects.filter(operation=operation, unit_code="POLRES-PASKOT").count()
    assert f">{members}</a>" in polres


def test_it_shows_a_sector_chief_only_their_sectors_units(as_sector, operation):
    listed = rows(as_sector.get(f"/ops/{operation.pk}/units/"), "units")
    expected = Unit.objects.filter(operation=operation, kecamatan_code=SECTOR).count()
    assert len(listed) == expected >= 1 and all("Pohjentrek" in r for r in listed)


def test_it_filters_the_roster_by_force_unit_kecamatan_availability_and_search(as_planner, operation):
    url = f"/ops/{operation.pk}/personnel/"
    count = re.compile(r'id="row-count">([\d.,]+)<')

    def total(**query: str) -> int:
        return int(re.sub(r"\D", "", count.search(as_planner.get(url, query).content.decode()).group(1)))

    people = Person.objects.filter(operation=operation)
    assert total() == 950 and total(force="LINMAS") == 420
    assert total(unit="POLRES-PASKOT") == people.filter(unit_code="POLRES-PASKOT").count()
    assert total(kecamatan=SECTOR) == people.filter(kecamatan_code=SECTOR).count()
    people.filter(pk=people.first().pk).update(available=False)
    assert total(available="0") == 1 and total(available="1") == 949
    someone = people.last()
    assert total(q=someone.code) == 1 and total(q=someone.name.upper()) >= 1


def test_it_shows_a_sector_chief_only_their_sectors_people(as_sector, operation):
    page = as_sector.get(f"/ops/{operation.pk}/personnel/")
    expected = Person.objects.filter(operation=operation, kecamatan_code=SECTOR)
    assert f'id="row-count">{expected.count()}<' in page.content.decode()
    assert len(rows(page, "personnel")) == min(50, expected.count())


def test_it_writes_a_commanders_read_of_the_roster_to_the_audit_log(as_commander, operation):
    as_commander.get(f"/ops/{operation.pk}/personnel/", {"force": "TNI"})
    entry = AuditEntry.objects.get(action="read_roster", username="commander")
    assert entry.operation_id == operation.pk and entry.after["filters"] == {"force": "TNI"}
    assert len(entry.after["persons"]) == 50 and entry.after["total"] == 100


def test_it_writes_a_sector_chiefs_read_of_the_roster_too(as_sector, operation):
    as_sector.get(f"/ops/{operation.pk}/personnel/")
    assert AuditEntry.objects.filter(action="read_roster", username="sector").count() == 1


def test_it_does_not_log_the_planners_own_roster(as_planner, operation):
    as_planner.get(f"/ops/{operation.pk}/personnel/")
    assert not AuditEntry.objects.filter(action="read_roster").exists()


# ---------------------------------------------------------------- edits


def tps_in(operation: Any, kecamatan: str = SECTOR) -> Tps:
    return Tps.objects.filter(operation=operation, kecamatan_code=kecamatan).order_by("code").first()


def tps_form(tps: Tps, **changes: object) -> dict[str, object]:
    return {
        "number": tps.number,
        "voters": tps.voters,
        "lat": tps.lat,
        "lon": tps.lon,
        "address": tps.address,
    } | changes


def test_it_saves_a_valid_tps_edit_with_its_before_and_after(as_planner, operation):
    tps = tps_in(operation)
    old_voters = tps.voters
    done = as_planner.post(
        f"/ops/{operation.pk}/tps/{tps.pk}/edit/",
        tps_form(tps, voters=old_voters + 7, lat="-7,6512", address="Balai Desa"),
    )
    assert done.status_code == 302 and done.headers["Location"].startswith(f"/ops/{operation.pk}/tps/?desa=")
    tps.refresh_from_db()
    assert (tps.voters, tps.lat, tps.address) == (old_voters + 7, -7.6512, "Balai Desa")
    entry = AuditEntry.objects.get(action="edit", object_type="tps", object_id=tps.code)
    assert entry.before["voters"] == old_voters and entry.after["voters"] == old_voters + 7
    assert entry.after["lat"] == -7.6512 and "number" not in entry.after  # only what changed
    assert "disimpan" in text(as_planner.get(done.headers["Location"]))


def test_it_refuses_a_latitude_outside_indonesia_and_changes_nothing(as_planner, operation):
    tps = tps_in(operation)
    page = as_planner.post(f"/ops/{operation.pk}/tps/{tps.pk}/edit/", tps_form(tps, lat="99", voters=1))
    assert page.status_code == 400
    error = re.search(r'id="error-lat">(.*?)</span>', text(page)).group(1)
    assert error == "Lintang, nilai '99': koordinat di luar Indonesia (lintang -11 s.d. 6, bujur 95 s.d. 141)"
    unchanged = Tps.objects.get(pk=tps.pk)
    assert (unchanged.lat, unchanged.voters) == (tps.lat, tps.voters)
    assert not AuditEntry.objects.filter(action="edit").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "0", "tidak boleh kurang dari 1"),
        ("voters", "-5", "tidak boleh kurang dari 0"),
        ("voters", "12,5", "harus berupa bilangan bulat"),
        ("lon", "", "wajib diisi"),
        ("lon", "barat", "harus berupa angka"),
    ],
)
def test_it_refuses_what_the_importer_refuses(as_planner, operation, field, value, message):
    tps = tps_in(operation)
    page = as_planner.post(f"/ops/{operation.pk}/tps/{tps.pk}/edit/", tps_form(tps, **{field: value}))
    assert page.status_code == 400 and message in re.search(rf'id="error-{field}">(.*?)<', text(page)).group(1)
    assert Tps.objects.filter(pk=tps.pk, **{field: getattr(tps, field)}).exists()


def test_it_speaks_the_importers_english_when_asked(as_planner, operation):
    as_planner.post("/i18n/setlang/", {"language": "en", "next": "/"})
    tps = tps_in(operation)
    page = as_planner.post(f"/ops/{operation.pk}/tps/{tps.pk}/edit/", tps_form(tps, lon="200"))
    assert "Longitude, value '200': coordinate outside Indonesia" in text(page)  # the field as labelled


@pytest.mark.parametrize("name", ["viewer", "sector", "commander"])
def test_it_refuses_edits_to_everyone_but_planners(name, operation):
    client = client_for(name)
    tps = tps_in(operation)
    person = Person.objects.filter(operation=operation, kecamatan_code=SECTOR).first()
    assert client.get(f"/ops/{operation.pk}/tps/{tps.pk}/edit/").status_code == 403
    assert client.post(f"/ops/{operation.pk}/tps/{tps.pk}/edit/", tps_form(tps, voters=1)).status_code == 403
    assert client.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", {"rank": "X"}).status_code == 403
    assert Tps.objects.get(pk=tps.pk).voters == tps.voters
    assert Person.objects.get(pk=person.pk).rank == person.rank


def test_it_answers_404_for_a_tps_of_another_operation(as_planner, operation):
    assert as_planner.get(f"/ops/{operation.pk}/tps/999999/edit/").status_code == 404


def person_form(person: Person, **changes: object) -> dict[str, object]:
    base = {"rank": person.rank, "phone": person.phone, "available": "ya" if person.available else "tidak"}
    base |= {"position": person.position}  # as the page sends it: a Kapolres's position left out is taken away
    base |= {"unit_code": person.unit_code} if person.force != "LINMAS" else {"desa_code": person.desa_code}
    return base | changes


def test_it_moves_a_person_to_another_unit_and_sector(as_planner, operation):
    person = Person.objects.filter(operation=operation, unit_code="POLRES-PASKOT").first()
    polsek = Unit.objects.get(operation=operation, kind="POLSEK", kecamatan_code=OTHER_SECTOR)
    done = as_planner.post(
        f"/ops/{operation.pk}/personnel/{person.pk}/edit/",
        person_form(person, unit_code=polsek.code, available="tidak", phone="0811000111"),
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert (person.unit_code, person.kecamatan_code, person.available) == (polsek.code, OTHER_SECTOR, False)
    entry = AuditEntry.objects.get(action="edit", object_type="person", object_id=person.code)
    assert entry.before["unit_code"] == "POLRES-PASKOT" and entry.after["kecamatan_code"] == OTHER_SECTOR


def test_it_refuses_an_unknown_unit_with_the_importers_message(as_planner, operation):
    person = Person.objects.filter(operation=operation, force="POLRI").first()
    page = as_planner.post(
        f"/ops/{operation.pk}/personnel/{person.pk}/edit/", person_form(person, unit_code="POLSEK-ATLANTIS")
    )
    assert page.status_code == 400
    assert "Satuan, nilai 'POLSEK-ATLANTIS': tidak ada di antara satuan operasi ini" in text(page)
    assert Person.objects.get(pk=person.pk).unit_code == person.unit_code


def test_it_refuses_a_yes_no_it_cannot_read(as_planner, operation):
    person = Person.objects.filter(operation=operation, force="TNI").first()
    page = as_planner.post(f"/ops/{operation.pk}/personnel/{person.pk}/edit/", person_form(person, available="mungkin"))
    assert page.status_code == 400 and "harus ya atau tidak" in text(page)


def test_it_moves_a_linmas_member_only_to_a_desa(as_planner, operation):
    member = Person.objects.filter(operation=operation, force="LINMAS", kecamatan_code=SECTOR).first()
    url = f"/ops/{operation.pk}/personnel/{member.pk}/edit/"
    form = as_planner.get(url).content.decode()
    assert 'name="desa_code"' in form and 'name="unit_code"' not in form

    refused = as_planner.post(url, person_form(member, desa_code=OTHER_SECTOR))
    assert refused.status_code == 400
    assert "wilayah ini bertingkat KECAMATAN, seharusnya DESA/KELURAHAN" in text(refused)
    assert "anggota LINMAS wajib memiliki desa" in text(as_planner.post(url, person_form(member, desa_code="")))
    assert Person.objects.get(pk=member.pk).desa_code == member.desa_code

    desa = Region.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR, level="DESA").first()
    assert as_planner.post(url, person_form(member, desa_code=desa.code)).status_code == 302
    member.refresh_from_db()
    assert (member.desa_code, member.kecamatan_code) == (desa.code, OTHER_SECTOR)


def test_it_writes_nothing_when_nothing_changed(as_planner, operation):
    tps = tps_in(operation)
    done = as_planner.post(f"/ops/{operation.pk}/tps/{tps.pk}/edit/", tps_form(tps), follow=True)
    assert "tidak ada perubahan" in text(done)
    assert not AuditEntry.objects.filter(action="edit").exists()


def test_an_import_is_a_job_the_worker_runs_and_the_request_only_queues(as_planner, demo_xlsx, settings):
    settings.SIAGA_JOBS_INLINE = False  # queued for a worker that this test does not run
    before = Operation.objects.count()
    confirmed = as_planner.post("/import/confirm/", {"token": token_of(upload(as_planner, demo_xlsx))})
    job = PlanJob.objects.get(kind="import")
    assert confirmed.headers["Location"] == f"/plans/jobs/{job.pk}/"
    assert job.status == PlanJob.Status.QUEUED and Operation.objects.count() == before
    page = as_planner.get(confirmed.headers["Location"])
    assert page.status_code == 200 and "Impor data operasi" in page.content.decode()
    # another's import, before it has an operation, looks like no job at all
    assert client_for("sector").get(confirmed.headers["Location"]).status_code == 404
    assert client_for("planner2").get(confirmed.headers["Location"]).status_code == 404
