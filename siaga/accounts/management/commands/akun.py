"""`manage.py akun USER --peran ROLE [--polres CODE] [--polda NAME] [--kecamatan CODE] [--nrp NRP]`:
make an account or change its role and what it sees (docs/security.md). A new account's
password is read from standard input (`--password-stdin`) or asked twice at the terminal, and
must pass the password rules. Every change is audited (`account_set`)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from siaga.accounts.models import Profile, Role
from siaga.audit.log import record
from siaga.core.data.owner import POLDA

ROLES = {role.value: role for role in Role}


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
        polda = options["polda"]
        if polda is not None:
            polda = " ".join(polda.split()).upper()
            if polda and polda not in set(POLDA.values()):
                known = ", ".join(sorted(set(POLDA.values())))
                raise CommandError(f"--polda {polda!r}: Polda tidak dikenal / unknown Polda. Pilih / choose: {known}")
        if role == Role.POLDA and not polda:
            raise CommandError("--peran polda: --polda wajib diisi / the Polda role needs --polda")
        if role == Role.SECTOR_CHIEF and not options["kecamatan"]:
            raise CommandError("--peran sector_chief: --kecamatan wajib diisi / a sector chief needs --kecamatan")
        if role == Role.FIELD_OFFICER and not options["nrp"]:
            raise CommandError("--peran field_officer: --nrp wajib diisi / a field officer needs --nrp")
        users = get_user_model()
        user = users.objects.filter(username=options["username"]).first()
        password = "" if user is not None else self._password(options)
        with transaction.atomic():
            if user is None:
                user = users(username=options["username"])
                try:
                    password_validation.validate_password(password, user)
                except ValidationError as exc:
                    raise CommandError("; ".join(exc.messages)) from None
                user.set_password(password)
            if options["nama"]:
                user.first_name, _, user.last_name = options["nama"].partition(" ")
            user.save()
            profile, _ = Profile.objects.get_or_create(user=user)
            profile.role = role
            for field, given in (
                ("polres_code", options["polres"]),
                ("polda", polda),
                ("kecamatan_code", options["kecamatan"]),
                ("person_code", options["nrp"]),
            ):
                if given is not None:
                    setattr(profile, field, given.strip())
            profile.save()
            after = {"role": role.value, "polres": profile.polres_code, "polda": profile.polda}
            after |= {"kecamatan": profile.kecamatan_code, "nrp": profile.person_code}
            record(None, "account_set", "user", user.get_username(), after=after)
        sees = profile.polda and f"Polda {profile.polda}" or profile.polres_code or "semua operasi / every operation"
        self.stdout.write(f"{user.get_username()}: {role.label} · {sees}")

    def _password(self, options: dict[str, Any]) -> str:
        if options["password_stdin"]:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Kata sandi / password: ")
        if first != getpass.getpass("Ulangi / again: "):
            raise CommandError("kata sandi tidak sama / the passwords differ")
        return first
