"""`manage.py akun USER --peran ROLE [--polres CODE] [--polda NAME] [--kecamatan CODE] [--nrp NRP]`:
make an account or change its role and what it sees (docs/security.md), through the one service
the console's account pages use too (siaga/accounts/accounts.py): a sector chief's kecamatan
must be a kecamatan of some operation, a field officer's NRP/NIK one of some operation's
personnel, the Polda one Siaga knows. A new account's password is read from standard input
(`--password-stdin`) or asked twice at the terminal, and must pass the password rules. Every
change is audited (`account_set`)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from siaga.accounts.accounts import AccountRefused, find_user, save_account
from siaga.accounts.models import Role

ROLES = {role.value: role for role in Role}
# the service's field: the option that gives it
OPTIONS = {
    "username": "USER",
    "name": "--nama",
    "role": "--peran",
    "polres": "--polres",
    "polda": "--polda",
    "kecamatan": "--kecamatan",
    "nrp": "--nrp",
    "password": "kata sandi",
}


class Command(BaseCommand):
    help = (
        "Buat akun atau ubah peran dan wilayahnya / make an account or change its role and what it sees. "
        f"Peran / roles: {', '.join(ROLES)}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--peran", "--role", dest="role", required=True, choices=sorted(ROLES))
        parser.add_argument("--polres", default=None, help="kode satuan Polres (mis. POLRES-PASKOT); '' mengosongkan")
        parser.add_argument("--polda", default=None, help="nama Polda seperti di surat (mis. 'JAWA TIMUR')")
        parser.add_argument("--kecamatan", default=None, help="kode kecamatan kepala sektor (mis. 35.14.17)")
        parser.add_argument("--nrp", default=None, help="NRP/NIK kepala pos / petugas lapangan")
        parser.add_argument("--nama", default=None, help="nama lengkap")
        parser.add_argument("--password-stdin", action="store_true", help="baca kata sandi akun baru dari stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        role = ROLES[options["role"]]
        exists = find_user(options["username"]) is not None
        password = None if exists else self._password(options)
        try:
            saved = save_account(
                options["username"],
                role=role,
                name=options["nama"],
                polres=options["polres"],
                polda=options["polda"],
                kecamatan=options["kecamatan"],
                nrp=options["nrp"],
                password=password,
            )
        except AccountRefused as refused:
            raise CommandError(
                "\n".join(f"{OPTIONS.get(field, field)}: {' '.join(said)}" for field, said in refused.errors.items())
            ) from None
        profile = saved.profile
        sees = profile.polda and f"Polda {profile.polda}" or profile.polres_code or "semua operasi / every operation"
        where = profile.kecamatan_code or profile.person_code
        self.stdout.write(f"{saved.user.get_username()}: {role.label} · {sees}" + (f" · {where}" if where else ""))

    def _password(self, options: dict[str, Any]) -> str:
        if options["password_stdin"]:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Kata sandi / password: ")
        if first != getpass.getpass("Ulangi / again: "):
            raise CommandError("kata sandi tidak sama / the passwords differ")
        return first
