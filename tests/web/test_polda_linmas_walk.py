"""Walk D in a real browser (the Polda's dashboard and orders pack, the PPS Linmas decree, the
Kapolsek's map at 390 px), and what it found: a TPS written as the operation writes its ids but
which the operation lacks was refused as badly written instead of listed for the PPS; a NIK
mistyped (17 digits) was taken silently as a number within the TPS; a Linmas of another desa was
named by desa codes only, and a decree moving a known Linmas to another desa said nothing; an
escort's route stayed Indonesian on an English map; on a phone a popup opened near the map's
top lay under the zoom and legend buttons (its close button unreachable); the map file's title
was "Keterangan" (its legend's word)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from siaga.core.data import demo
from siaga.core.data.duties import route_leg
from siaga.core.data.linmas import Decree, moved
from siaga.core.data.model import Force, Person
from siaga.core.documents import maps
from siaga.core.planning.plan import plan as make_plan
from siaga.field.models import LinmasLeftover
from siaga.operations.models import Person as PersonRow
from tests.web.conftest import SECTOR, client_for

HEADER = ["No", "Nama", "NIK", "TPS", "Kode desa", "No HP"]
SUSUKAN = "35.14.17.2001"  # TPS 01-07
LOGOWOK = "35.14.17.2005"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def nik(n: int) -> str:
    return f"351417010199{n:04d}"


def decree(path: Path, extra: list[list[object]] | None = None) -> Path:
    """A PPS decree for Susukan Rejo as a real workbook: two Linmas at each of its TPS 01-03."""
    book = Workbook()
    sheet = book.active
    sheet.title = "SK Linmas"
    sheet.append(HEADER)
    row = 0
    for number in range(1, 4):
        for _ in range(2):
            row += 1
            sheet.append([row, f"Linmas Susukan {row}", nik(row), f"{SUSUKAN}-{number:02d}", "", "081200000000"])
    for line in extra or []:
        sheet.append(line)
    book.save(path)
    return path


def preview(client: Any, operation: Any, path: Path) -> Any:
    with path.open("rb") as f:
        upload = SimpleUploadedFile(path.name, f.read())
    return client.post(reverse("linmas_preview", args=[operation.pk]), {"file": upload})


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# ---------------------------------------------------------------- the PPS Linmas decree


def test_it_lists_a_tps_written_as_an_operation_id_it_lacks_for_the_pps_not_as_badly_written(operation, tmp_path):
    planner = client_for("planner")
    path = decree(tmp_path / "sk.xlsx", [[7, "Linmas Hantu", nik(7), f"{SUSUKAN}-09", "", ""]])
    shown = preview(planner, operation, path)
    assert shown.status_code == 200, messages_of(shown)
    assert [(line["row"], line["tps"]) for line in shown.context["leftovers"]] == [(8, "3514172001009")]
    done = planner.post(reverse("linmas_confirm", args=[operation.pk]), {"token": shown.context["token"]})
    assert done.status_code == 302
    assert list(LinmasLeftover.objects.filter(operation=operation).values_list("kind", "row")) == [("UNKNOWN_TPS", 8)]


def test_it_refuses_a_mistyped_nik_naming_its_row_and_changes_nothing(operation, tmp_path):
    planner = client_for("planner")
    versions, people = operation.data_versions.count(), PersonRow.objects.filter(operation=operation).count()
    path = decree(tmp_path / "sk.xlsx", [[7, "Linmas Salah Ketik", nik(7) + "2", f"{SUSUKAN}-04", "", ""]])
    refused = preview(planner, operation, path)
    assert refused.status_code == 302
    said = messages_of(refused)
    assert any("ditolak (1 masalah); tidak ada yang diubah" in m for m in said), said
    assert any("baris 8, kolom 'NIK'" in m and "NIK harus 16 angka, tertulis 17 angka" in m for m in said), said
    assert operation.data_versions.count() == versions
    assert PersonRow.objects.filter(operation=operation).count() == people


def test_a_short_number_within_the_tps_is_still_taken(operation, tmp_path):
    path = decree(tmp_path / "sk.xlsx", [[7, "Linmas Bernomor", "3", f"{SUSUKAN}-04", "", ""]])
    shown = preview(client_for("planner"), operation, path)
    assert shown.status_code == 200 and shown.context["linmas"] == 7


def test_a_linmas_of_another_desa_is_refused_naming_both_desa_by_name(operation, tmp_path):
    path = decree(tmp_path / "sk.xlsx", [[7, "Linmas Logowok", nik(7), f"{SUSUKAN}-04", LOGOWOK, ""]])
    said = messages_of(preview(client_for("planner"), operation, path))
    assert any(f"TPS ini di desa Susukan Rejo ({SUSUKAN}), bukan di desa Logowok ({LOGOWOK})" in m for m in said), said
    said = messages_of(preview(english(client_for("planner")), operation, path))
    assert any(f"this TPS is in desa Susukan Rejo ({SUSUKAN}), not in desa Logowok ({LOGOWOK})" in m for m in said)


def test_the_preview_names_a_known_linmas_the_decree_moves_to_another_desa(operation, tmp_path):
    known = PersonRow.objects.filter(operation=operation, force="LINMAS", desa_code=LOGOWOK).order_by("code").first()
    path = decree(tmp_path / "sk.xlsx", [[7, known.name, known.code, f"{SUSUKAN}-04", "", ""]])
    shown = preview(client_for("planner"), operation, path)
    page = shown.content.decode()
    assert shown.status_code == 200
    assert f"{known.name} (NIK ••••{known.code[-4:]}) tercatat Linmas desa Logowok" in page
    assert "menetapkannya di TPS 4 desa Susukan Rejo" in page and known.code not in page  # the TPS as the PPS writes it
    page = preview(english(client_for("planner")), operation, path).content.decode()
    assert "is on record as a Linmas of desa Logowok" in page and "tercatat" not in page
    quiet = preview(client_for("planner"), operation, decree(tmp_path / "own.xlsx")).content.decode()
    assert 'id="moved"' not in quiet  # a decree of the desa's own Linmas says nothing of it


def test_moved_pairs_only_people_of_another_desa() -> None:
    before = Person("3514170101990001", "A", force=Force.LINMAS, desa_code=LOGOWOK)
    same = Person("3514170101990002", "B", force=Force.LINMAS, desa_code=SUSUKAN)
    pool = Person("3514170101990003", "C", force=Force.LINMAS, desa_code="")
    after = [replace_desa(p, SUSUKAN) for p in (before, same, pool)]
    found = moved([before, same, pool], Decree(after, set(), set(), [], []))
    assert [(b.id, a.desa_code) for b, a in found] == [(before.id, SUSUKAN)]


def replace_desa(person: Person, desa: str) -> Person:
    return Person(person.id, person.name, force=Force.LINMAS, desa_code=desa, tps_id=f"{desa}-01")


# ---------------------------------------------------------------- the Kapolsek's map


@pytest.mark.parametrize(
    ("leg", "lang", "shown"),
    [
        ("Gudang KPU", "en", "KPU warehouse"),
        ("Balai desa Susukan Rejo", "en", "Village hall Susukan Rejo"),
        ("PPK Pohjentrek", "en", "PPK Pohjentrek"),
        ("TPS", "en", "TPS"),
        ("Pasar Baru", "en", "Pasar Baru"),
        ("Balai desa Susukan Rejo", "id", "Balai desa Susukan Rejo"),
    ],
)
def test_an_escort_routes_places_are_in_the_readers_language(leg: str, lang: str, shown: str) -> None:
    assert route_leg(leg, lang) == shown


def test_the_kapolseks_english_map_names_his_escort_routes_in_english(plan):
    answer = english(client_for("sector")).get(reverse("geo_posts", args=[plan.operation_id]), {"plan": plan.pk})
    escorts = answer.json()["escorts"]
    assert escorts and {e["properties"]["kecamatan_code"] for e in escorts} == {SECTOR}
    legs = [leg for e in escorts for leg in e["properties"]["route"]]
    assert any(leg.startswith("Village hall ") for leg in legs), legs
    assert not [leg for leg in legs if leg.startswith(("Balai desa", "Gudang"))], legs


def test_the_map_file_is_titled_a_map_not_its_legend(tmp_path) -> None:
    scenario = demo.pasuruan_kota()
    made = make_plan(scenario)
    for lang, title in (("id", "Peta pengamanan: "), ("en", "Security map: ")):
        path = tmp_path / f"peta-{lang}.pdf"
        path.write_bytes(maps.map_pages_pdf(scenario, made, kecamatan_code=SECTOR, lang=lang))
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Title:\s+(.*)$", info, re.M).group(1) == title + scenario.operation.name
