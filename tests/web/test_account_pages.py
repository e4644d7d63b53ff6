"""The admin's account pages and the one service behind them and `manage.py akun`: an account
is made, changed, given a new password, deactivated and reactivated from the console; a sector
chief's kecamatan and a field officer's NRP/NIK must exist in some operation; a refused form keeps
what was typed (not the passwords) and changes nothing; only the admin is let in."""

from __future__ import annotations

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from siaga.accounts.models import Profile, Role
from siaga.audit.models import AuditEntry
from siaga.operations.models import Person
from tests.web.conftest import client_for

KRATON = "35.14.16"
PASSWORD = "kraton-aman-2024"


def new_account(**fields: str) -> dict[str, str]:
    data = {"username": "kapolsek16", "name": "AKP Budi Santoso", "role": Role.SECTOR_CHIEF, "polres": ""}
    data |= {"polda": "", "kecamatan": KRATON, "nrp": "", "password1": PASSWORD, "password2": PASSWORD}
    return data | fields


def user(name: str) -> object:
    return get_user_model().objects.filter(username=name).first()


def test_only_the_admin_sees_the_menu_link_and_opens_the_pages(operation):
    admin = client_for("admin")
    assert 'id="nav-accounts"' in admin.get(reverse("dashboard_for", args=[operation.pk])).content.decode()
    some = get_user_model().objects.get(username="viewer")
    urls = [reverse("account_list"), reverse("account_add"), reverse("account_edit", args=[some.pk])]
    for url in urls:
        assert admin.get(url).status_code == 200, url
    for role in ("planner", "commander", "sector", "viewer", "field_officer"):
        client = client_for(role)
        page = client.get(reverse("dashboard_for", args=[operation.pk])).content.decode()
        assert 'id="nav-accounts"' not in page, role
        for url in urls:
            refused = client.get(url)
            assert refused.status_code == 403, (role, url)
            assert "Anda tidak berwenang" in refused.content.decode()
        posted = client.post(reverse("account_add"), new_account(username=f"by-{role}"))
        assert posted.status_code == 403 and user(f"by-{role}") is None


def test_a_kecamatan_in_no_operation_is_refused_naming_the_field_and_keeping_what_was_typed(operation):
    admin = client_for("admin")
    before = AuditEntry.objects.count()
    response = admin.post(reverse("account_add"), new_account(kecamatan="99.99.99"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-kecamatan"' in html and "Kecamatan 99.99.99 tidak ada di wilayah operasi" in html
    assert 'value="kapolsek16"' in html and 'value="AKP Budi Santoso"' in html and 'value="99.99.99"' in html
    assert PASSWORD not in html  # the passwords are typed again
    assert user("kapolsek16") is None and AuditEntry.objects.count() == before


def test_the_admin_makes_a_kapolsek_who_sees_his_kecamatan(operation):
    admin = client_for("admin")
    response = admin.post(reverse("account_add"), new_account(polres="POLRES-PASKOT"))
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="kapolsek16")
    assert (profile.role, profile.kecamatan_code, profile.polres_code) == (Role.SECTOR_CHIEF, KRATON, "POLRES-PASKOT")
    entry = AuditEntry.objects.get(action="account_set", object_id="kapolsek16")
    assert entry.username == "admin" and entry.after["kecamatan"] == KRATON
    listed = admin.get(reverse("account_list")).content.decode()
    assert f"Kecamatan {KRATON} · Kraton" in listed and "Polres Pasuruan Kota" in listed
    kapolsek = Client()
    assert kapolsek.login(username="kapolsek16", password=PASSWORD)
    dashboard = kapolsek.get(reverse("dashboard_for", args=[operation.pk])).content.decode()
    assert "Kraton" in dashboard


def test_a_field_officer_needs_an_nrp_of_some_operations_personnel(operation):
    admin = client_for("admin")
    data = new_account(username="pos16", role=Role.FIELD_OFFICER, kecamatan="", nrp="00000000")
    response = admin.post(reverse("account_add"), data)
    assert response.status_code == 400 and 'id="error-nrp"' in response.content.decode()
    assert user("pos16") is None
    person = Person.objects.filter(operation=operation, force="POLRI").order_by("pk").first()
    assert admin.post(reverse("account_add"), data | {"nrp": person.code}).status_code == 302
    assert Profile.objects.get(user__username="pos16").person_code == person.code
    assert f"NRP/NIK {person.code} · {person.name}" in admin.get(reverse("account_list")).content.decode()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"password2": "lain-sekali-2024"}, "password2"),
        ({"password1": "lemah", "password2": "lemah"}, "password1"),
        ({"username": "viewer"}, "username"),  # taken
        ({"username": "nama dengan spasi"}, "username"),
        ({"role": Role.POLDA, "polda": ""}, "polda"),
        ({"role": Role.SECTOR_CHIEF, "kecamatan": ""}, "kecamatan"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_made(db, fields, error):
    before = (get_user_model().objects.count(), AuditEntry.objects.count())
    response = client_for("admin").post(reverse("account_add"), new_account(**fields))
    assert response.status_code == 400
    assert f'id="error-{error}"' in response.content.decode()
    assert (get_user_model().objects.count(), AuditEntry.objects.count()) == before


def test_changing_the_role_empties_what_belonged_to_the_old_one_and_audits_both_sides(db):
    sector = get_user_model().objects.get(username="sector")
    admin = client_for("admin")
    data = {"name": "Kabag Ops Baru", "role": Role.PLANNER, "polres": "", "polda": "", "kecamatan": "35.14.17"}
    assert admin.post(reverse("account_edit", args=[sector.pk]), data | {"nrp": ""}).status_code == 302
    profile = Profile.objects.get(user=sector)
    assert (profile.role, profile.kecamatan_code) == (Role.PLANNER, "")
    entry = AuditEntry.objects.filter(action="account_set", object_id="sector").latest("id")
    assert entry.before["role"] == Role.SECTOR_CHIEF and entry.after["role"] == Role.PLANNER
    assert get_user_model().objects.get(pk=sector.pk).get_full_name() == "Kabag Ops Baru"


def test_a_refused_edit_keeps_the_typing_and_changes_nothing(db):
    sector = get_user_model().objects.get(username="sector")
    data = {"name": "Nama Baru", "role": Role.SECTOR_CHIEF, "polres": "", "polda": "", "kecamatan": "99.99.99"}
    response = client_for("admin").post(reverse("account_edit", args=[sector.pk]), data | {"nrp": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="99.99.99"' in html and 'value="Nama Baru"' in html and 'id="error-kecamatan"' in html
    assert Profile.objects.get(user=sector).kecamatan_code == "35.14.17"
    assert get_user_model().objects.get(pk=sector.pk).first_name == "Sector"


def test_the_admin_can_neither_drop_his_own_admin_role_nor_deactivate_himself(db):
    me = get_user_model().objects.get(username="admin")
    admin = client_for("admin")
    data = {"name": "Admin", "role": Role.VIEWER, "polres": "", "polda": "", "kecamatan": "", "nrp": ""}
    response = admin.post(reverse("account_edit", args=[me.pk]), data)
    assert response.status_code == 400 and "peran admin Anda sendiri" in response.content.decode()
    assert Profile.objects.get(user=me).role == Role.ADMIN
    response = admin.post(reverse("account_active", args=[me.pk]), {"active": "0"})
    assert response.status_code == 400 and "menonaktifkan akun Anda sendiri" in response.content.decode()
    assert get_user_model().objects.get(pk=me.pk).is_active


def test_deactivate_and_reactivate_an_account_audited(db):
    viewer = get_user_model().objects.get(username="viewer")
    admin = client_for("admin")
    session = client_for("viewer")
    assert admin.post(reverse("account_active", args=[viewer.pk]), {"active": "0"}).status_code == 302
    assert not get_user_model().objects.get(pk=viewer.pk).is_active
    assert session.get(reverse("dashboard")).status_code == 302  # his session ended
    assert AuditEntry.objects.filter(action="user_deactivated", object_id="viewer", username="admin").exists()
    assert "nonaktif" in admin.get(reverse("account_list")).content.decode()
    assert admin.post(reverse("account_active", args=[viewer.pk]), {"active": "1"}).status_code == 302
    assert get_user_model().objects.get(pk=viewer.pk).is_active
    assert AuditEntry.objects.filter(action="user_reactivated", object_id="viewer").exists()


def test_a_new_password_typed_twice(db):
    viewer = get_user_model().objects.get(username="viewer")
    admin = client_for("admin")
    url = reverse("account_password", args=[viewer.pk])
    response = admin.post(url, {"password1": "baru-sekali-2024", "password2": "baru-lain-2024"})
    assert response.status_code == 400 and 'id="error-password2"' in response.content.decode()
    response = admin.post(url, {"password1": "pendek", "password2": "pendek"})
    assert response.status_code == 400 and 'id="error-password1"' in response.content.decode()
    assert not AuditEntry.objects.filter(action="password_set").exists()
    assert admin.post(url, {"password1": "baru-sekali-2024", "password2": "baru-sekali-2024"}).status_code == 302
    assert Client().login(username="viewer", password="baru-sekali-2024")
    assert AuditEntry.objects.filter(action="password_set", object_id="viewer", username="admin").exists()


def test_the_list_flags_an_account_made_before_the_check_that_sees_nothing(db):
    lost = get_user_model().objects.create_user("kapolsek99", password="x-tidak-dipakai-1")
    Profile.objects.create(user=lost, role=Role.SECTOR_CHIEF, kecamatan_code="99.99.99")
    html = client_for("admin").get(reverse("account_list")).content.decode()
    assert f'id="missing-{lost.pk}"' in html


def _akun(*args: str, password: str = "") -> str:
    out = io.StringIO()
    saved, sys.stdin = sys.stdin, io.StringIO(password + "\n")
    try:
        call_command("akun", *args, stdout=out)
    finally:
        sys.stdin = saved
    return out.getvalue()


def test_the_command_refuses_what_the_console_refuses(operation):
    with pytest.raises(CommandError, match="--kecamatan.*99.99.99"):
        _akun("kapolsek99", "--peran", "sector_chief", "--kecamatan", "99.99.99", "--password-stdin", password=PASSWORD)
    with pytest.raises(CommandError, match="--nrp"):
        _akun("pos99", "--peran", "field_officer", "--nrp", "00000000", "--password-stdin", password=PASSWORD)
    assert user("kapolsek99") is None and user("pos99") is None
    said = _akun("kapolsek16", "--peran", "sector_chief", "--kecamatan", KRATON, "--password-stdin", password=PASSWORD)
    assert KRATON in said
    assert AuditEntry.objects.filter(action="account_set", object_id="kapolsek16").exists()


def test_the_admin_changing_his_own_password_stays_signed_in(db):
    me = get_user_model().objects.get(username="admin")
    admin = client_for("admin")
    url = reverse("account_password", args=[me.pk])
    assert admin.post(url, {"password1": "admin-baru-2024", "password2": "admin-baru-2024"}).status_code == 302
    assert admin.get(reverse("account_list")).status_code == 200
