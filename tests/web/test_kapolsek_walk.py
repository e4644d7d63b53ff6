"""What the sector chief's walk through the console found (Kapolsek of kecamatan 35.14.17,
Indonesian at 1366 px, English at 390 px): a Pemilu's desa page told him a desa is one
Pilkades contest; the data versions named other kecamatan's TPS and counted the whole Polres's
people (their changes squeezed to a word a line on a phone); a post of many TPS pushed the plan
page's Polri, TNI and Linmas off the screen; saving his Polsek's sarpras named it by its code;
a map popup gave a post's strength by force codes (POLRI, LINMAS)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.messages import get_messages
from django.urls import reverse

from siaga.operations.models import DataVersion, Person, Region, Tps, Unit
from tests.web.conftest import OTHER_SECTOR, SECTOR, client_for, publish
from tests.web.test_map import MAP_JS, map_config

PILKADES_WORDS = "Dalam Pilkades satu desa adalah satu kontestasi"
CONTEST_LINK = "sebagai satu kontestasi"


def _pemilu(operation: Any) -> None:
    operation.config = {**operation.config, "catalogue": "pemilu-2024"}
    operation.save(update_fields=["config"])


def _own_tps(operation: Any) -> Tps:
    return operation.tps_set.filter(kecamatan_code=SECTOR).order_by("code").first()


def _desa_of(operation: Any, tps: Tps) -> Region:
    return operation.regions.get(code=tps.desa_code)


def test_it_calls_a_desa_one_contest_in_a_pilkades(operation):
    sector, tps = client_for("sector"), _own_tps(operation)
    desa = _desa_of(operation, tps)
    assert PILKADES_WORDS in sector.get(reverse("desa_detail", args=[operation.pk, desa.pk])).content.decode()
    assert CONTEST_LINK in sector.get(reverse("tps_detail", args=[operation.pk, tps.pk])).content.decode()


def test_it_does_not_call_a_pemilu_desa_a_pilkades_contest(operation):
    _pemilu(operation)
    sector, tps = client_for("sector"), _own_tps(operation)
    desa = _desa_of(operation, tps)
    page = sector.get(reverse("desa_detail", args=[operation.pk, desa.pk])).content.decode()
    assert "Pilkades" not in page and "Kategori desa adalah kategori tertinggi di antara TPS-nya." in page
    page = sector.get(reverse("tps_detail", args=[operation.pk, tps.pk])).content.decode()
    assert CONTEST_LINK not in page and f"Lihat semua TPS desa {desa.name}" in page


def test_it_says_so_in_english_too(operation):
    _pemilu(operation)
    sector, tps = client_for("sector"), _own_tps(operation)
    sector.cookies["django_language"] = "en"
    desa = _desa_of(operation, tps)
    page = sector.get(reverse("desa_detail", args=[operation.pk, desa.pk])).content.decode()
    assert "The desa's category is the highest among its TPS." in page and "Pilkades" not in page
    page = sector.get(reverse("tps_detail", args=[operation.pk, tps.pk])).content.decode()
    assert f"See every TPS of desa {desa.name}" in page


def _version_touching_two_kecamatan(operation: Any) -> tuple[Tps, Tps]:
    """A re-import (as stored) that changed a TPS in each of two kecamatan, removed one TPS in
    each and added one person in each."""
    own = _own_tps(operation)
    other = operation.tps_set.filter(kecamatan_code=OTHER_SECTOR).order_by("code").first()
    own_person = Person.objects.filter(operation=operation, kecamatan_code=SECTOR).order_by("code").first()
    other_person = Person.objects.filter(operation=operation, kecamatan_code=OTHER_SECTOR).order_by("code").first()
    diff = {
        "tps": {
            "added": [],
            "removed": [f"{SECTOR}.2999-01", f"{OTHER_SECTOR}.2999-01"],
            "changed": [{"code": own.code, "fields": ["voters"]}, {"code": other.code, "fields": ["voters"]}],
        },
        "personnel": {"added": [own_person.code, other_person.code], "removed": ["GONE-1", "GONE-2"], "changed": []},
        "units": {"added": [], "removed": []},
    }
    number = operation.data_versions.count() + 1
    DataVersion.objects.create(operation=operation, number=number, source_name="ulang.xlsx", diff=diff)
    return own, other


def _changes_cell(page: str) -> str:
    return re.search(r'<table id="versions">.*?</table>', page, re.S).group(0)


def test_the_versions_page_shows_the_sector_chief_only_his_kecamatan(operation):
    own, other = _version_touching_two_kecamatan(operation)
    page = _changes_cell(client_for("sector").get(reverse("versions", args=[operation.pk])).content.decode())
    assert own.code in page and f"{SECTOR}.2999-01" in page
    assert other.code not in page and OTHER_SECTOR not in page
    assert "Personel di kecamatan Anda: 1 baru, 0 berubah" in page and "Personel:" not in page  # no removed count


def test_the_versions_page_shows_the_planner_the_whole_polres(operation):
    own, other = _version_touching_two_kecamatan(operation)
    page = _changes_cell(client_for("planner").get(reverse("versions", args=[operation.pk])).content.decode())
    assert own.code in page and other.code in page and f"{OTHER_SECTOR}.2999-01" in page
    assert "Personel: 2 baru, 2 dihapus, 0 berubah" in page


def test_the_plan_page_lets_a_post_of_many_tps_wrap(plan):
    page = client_for("sector").get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'class="tps-list"' in page
    styles = " ".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    assert not re.search(r"td\.tps-list[^{}]*\{[^}]*nowrap", styles)


def test_the_versions_page_keeps_its_changes_readable_on_a_phone(operation):
    _version_touching_two_kecamatan(operation)
    page = client_for("sector").get(reverse("versions", args=[operation.pk])).content.decode()
    assert '<td class="changes">' in page
    assert re.search(r"#versions td\.changes \{ min-width:\s*\d", page)  # not squeezed to a word a line


def test_saving_his_sarpras_names_his_unit_not_its_code(plan):
    publish(plan)
    unit = Unit.objects.get(operation_id=plan.operation_id, kecamatan_code=SECTOR, kind="POLSEK")
    data = {"unit": unit.code, "required_ht": "4", "present_ht": "3"}
    answer = client_for("sector").post(reverse("sarpras", args=[plan.pk]), data, follow=True)
    said = [str(m) for m in get_messages(answer.wsgi_request)]
    assert said == [f"Sarpras {unit.name} disimpan."] and unit.code not in said[0]


def test_the_map_names_each_force_of_a_posts_strength(operation):
    html = client_for("sector").get(reverse("map", args=[operation.pk])).content.decode()
    forces = map_config(html)["words"]["forces"]
    assert forces["POLRI"] == "Polri" and forces["LINMAS"] == "Linmas" and forces["SATPOL_PP"] == "Satpol PP"
    staffing = re.search(r"function staffing\(p\) \{.*?\n  \}", MAP_JS.read_text(encoding="utf-8"), re.S).group(0)
    assert "words.forces[slot]" in staffing  # the popup's "(Polri 2/2, Linmas 14/14)", not POLRI and LINMAS
