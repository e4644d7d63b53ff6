"""The operation dashboard: the press release's figures, scoped to what the user may see."""

import re

from django.test import Client

from tests.web.conftest import client_for, publish


def headline(html: str) -> str:
    return re.search(r'id="headline">(.*?)<', html).group(1)


def test_it_gives_the_seed_figures_to_the_planner(as_planner, operation):
    page = as_planner.get(f"/ops/{operation.pk}/")
    assert page.status_code == 200
    assert headline(page.content.decode()) == "950 personel gabungan, 7 kecamatan, 21 desa, 152 TPS"


def test_it_gives_a_sector_chief_their_kecamatan_only(as_sector, operation):
    html = as_sector.get(f"/ops/{operation.pk}/").content.decode()
    assert headline(html).startswith("1 kecamatan, 3 desa, 22 TPS; ")  # and the people based there
    assert headline(html).endswith(" personel berkedudukan di wilayah ini")
    assert "Pohjentrek" in html


def test_it_sends_anonymous_visitors_to_the_login_page(db, operation):
    page = Client().get(f"/ops/{operation.pk}/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login/")


def test_it_speaks_english_when_asked(as_planner, operation):
    as_planner.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = as_planner.get(f"/ops/{operation.pk}/").content.decode()
    assert 'lang="en"' in html


def test_it_refuses_the_audit_log_to_a_planner_and_shows_it_to_the_commander(as_planner, as_commander):
    assert as_planner.get("/audit/").status_code == 403
    page = as_commander.get("/audit/")
    assert page.status_code == 200 and "import" in page.content.decode()


def test_it_throttles_repeated_failed_logins(db):
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "viewer", "password": "salah"})
    locked = client.post("/login/", {"username": "viewer", "password": "uji-siaga-2022"})
    assert locked.status_code == 429 and "Terlalu banyak percobaan" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_ends_the_sessions_of_a_disabled_user(db):
    viewer = client_for("viewer")
    assert viewer.get("/").status_code == 302  # to the dashboard
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="viewer")
    user.is_active = False
    user.save()
    assert viewer.get("/").headers["Location"].startswith("/login/")


def test_it_opens_in_indonesian_whatever_the_browser_prefers(as_planner, operation):
    html = as_planner.get(f"/ops/{operation.pk}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in html and "Pemungutan suara" in html


def test_it_explains_a_refusal_in_the_console_and_its_language(as_viewer, settings):
    settings.DEBUG = False
    page = as_viewer.get("/audit/")
    assert page.status_code == 403 and "Anda tidak berwenang" in page.content.decode()
    missing = as_viewer.get("/ops/999999/")
    assert missing.status_code == 404 and "tidak ditemukan" in missing.content.decode()


def test_it_shows_the_equipment_readiness_of_the_current_plan(as_planner, operation, plan):
    from siaga.field.models import EquipmentItem

    assert 'id="sarpras-card"' not in as_planner.get(f"/ops/{operation.pk}/").content.decode()  # nothing published
    publish(plan)
    assert 'id="sarpras-card"' not in as_planner.get(f"/ops/{operation.pk}/").content.decode()  # nothing counted
    unit = operation.units.first()
    EquipmentItem.objects.create(operation=operation, unit_code=unit.code, kind="ht", required=4, present=3)
    html = as_planner.get(f"/ops/{operation.pk}/").content.decode()
    assert 'id="sarpras-card"' in html and "kesiapan sarpras" in html and "75,0%" in html  # Indonesian decimals
    assert f'href="/plans/{plan.pk}/sarpras/"' in html


def stage_rows(html: str) -> list[str]:
    table = re.search(r'<table id="stages">(.*?)</table>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]]


def test_it_shows_a_sector_chief_the_operation_in_time(as_sector, operation):
    html = as_sector.get(f"/ops/{operation.pk}/").content.decode()
    rows = stage_rows(html)
    assert [r.split("|")[1] for r in rows] == [
        "Apel gelar pasukan dan pergeseran",
        "Pergeseran pasukan ke pos dan pengamanan logistik",
        "Pemungutan dan penghitungan suara",
        "Pengawalan kotak suara dan penjagaan balai desa",
        "Penetapan calon kepala desa terpilih",
    ]
    assert "H-1 · Sel 22 Mar 2022 07.00" in rows[0] and "H · Rab 23 Mar 2022 17.00" in rows[2]
    assert "Tahapan bawaan" not in html  # the demo's workbook writes its stages out


def test_an_operation_without_a_stages_sheet_shows_its_preset_and_says_so(as_planner, operation):
    operation.config = {**operation.config, "stages": [], "pergeseran_day": 3}
    operation.save(update_fields=["config"])
    html = as_planner.get(f"/ops/{operation.pk}/").content.decode()
    assert "H-3" in stage_rows(html)[0] and "Tahapan bawaan" in html
