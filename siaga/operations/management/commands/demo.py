"""`manage.py demo`: the Pasuruan Kota 2022 demo, planned, with one login per role.

Its logins have published passwords (and one is `admin`), so it refuses to run where it could
open a real installation: with `SIAGA_PRODUCTION=1`, or on a database that already holds an
operation other than the demo's, unless `--force` or `SIAGA_ALLOW_DEMO=1` says it is meant."""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_noop

from siaga.accounts.models import Profile, Role
from siaga.core.data import demo, positions, ranks
from siaga.core.data.boundaries import read_shipped
from siaga.operations.boundaries import store_boundaries
from siaga.operations.models import Operation, Person
from siaga.operations.services import import_scenario, scenario_for
from siaga.plans.lines import said
from siaga.plans.models import Plan
from siaga.plans.services import approve, publish, sign_off, signers
from siaga.plans.store import plan_rows, save_plan

DEMO_USERS = [
    # username, password, role, kecamatan, full name
    ("admin", "siaga-admin-2022", Role.ADMIN, "", "Admin Sistem"),
    ("perencana", "siaga-ops-2022", Role.PLANNER, "", "Kabag Ops"),  # each named after their person (below)
    ("kapolres", "siaga-pimpinan-2022", Role.COMMANDER, "", "Kapolres"),
    ("kapolsek", "siaga-sektor-2022", Role.SECTOR_CHIEF, "35.14.17", "Kapolsek Pohjentrek"),
    ("pengamat", "siaga-lihat-2022", Role.VIEWER, "", "Pengamat"),
    ("polda", "siaga-polda-2022", Role.POLDA, "", "Karoops Polda"),  # reads every Polres of Polda Jawa Timur
]
DEMO_POLDA = "JAWA TIMUR"  # siaga.core.data.owner: the demo's Polres is in Jawa Timur
# The field officer: the leader of a TPS post in this kecamatan of the demo plan (by NRP).
POST_LEADER = ("kepalapos", "siaga-pos-2022", "35.14.17")


def post_leader(plan: Plan, kecamatan: str) -> Person | None:
    """The ketua pos (`siaga.core.data.ranks.ketua_pos`, as the Sprin and the phone page name
    it) of the first TPS post of the kecamatan that has a ranked person."""
    rows = plan_rows(plan)
    members: dict[str, list[str]] = defaultdict(list)
    for a in rows["assignments"]:
        members[str(a["post"])].append(str(a["person"]))
    people = {p.code: p for p in Person.objects.filter(operation_id=plan.operation_id)}
    for post in sorted(rows["posts"], key=lambda p: str(p["id"])):
        if post.get("kind") != "TPS" or post.get("kecamatan_code") != kecamatan:
            continue
        head = ranks.ketua_pos(people[c] for c in members[str(post["id"])] if c in people)
        if head is not None:
            return head
    return None


class Command(BaseCommand):
    help = (
        "Muat skenario contoh Polres Pasuruan Kota 2022, susun rencananya, dan buat pengguna contoh. "
        "Ditolak pada server produksi atau basis data yang berisi operasi sungguhan, kecuali dengan --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="jalankan juga di produksi / pada data sungguhan (membuat akun contoh dengan kata sandi umum)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scenario = demo.pasuruan_kota()
        pemilu = demo.pasuruan_kota_pemilu()
        self._guard(options["force"], {scenario.operation.name, pemilu.operation.name})
        # Each command login is the person in that position: who approves the plan (the Kapolres)
        # signs the Sprin, and the planner and the Kapolsek are the Kaops and the Padal the
        # organisation annex names.
        held = {
            Role.COMMANDER: positions.holder(scenario, positions.PENANGGUNG_JAWAB),
            Role.PLANNER: positions.holder(scenario, positions.KAOPS),
        }
        padal = positions.padal_by_kecamatan(scenario)
        users = {}
        for name, password, role, kecamatan, full in DEMO_USERS:
            person = padal.get(kecamatan) if role == Role.SECTOR_CHIEF else held.get(role)
            shown = f"{person.rank} {person.name} ({full})" if person else full
            users[name] = self._user(name, password, role, kecamatan, shown)
            Profile.objects.filter(user__username=name).update(person_code=person.id if person else "")
        # The first customer's operation first (operation and plan 1), then the second demo: a
        # Pemilu for the same Polres (logistics escorts, warehouse shifts, PPK recapitulation).
        operation = self._operation(scenario, "demo-pasuruan-kota.xlsx", users)
        self._operation(pemilu, "demo-pasuruan-kota-pemilu-2024.xlsx", users)
        first = Plan.objects.filter(operation=operation).order_by("version").first()
        name, password, kecamatan = POST_LEADER
        leader = post_leader(first, kecamatan) if first else None
        self._user(name, password, Role.FIELD_OFFICER, "", str(leader) if leader else "Kepala Pos")
        Profile.objects.filter(user__username=name).update(person_code=leader.code if leader else "")
        self.stdout.write("\nPengguna contoh (nama pengguna / kata sandi / peran):")
        for name, password, role, kecamatan, _ in DEMO_USERS:
            where = f", kecamatan {kecamatan}" if kecamatan else ""
            self.stdout.write(f"  {name:<10} {password:<22} {Role(role).label}{where}")
        name, password, _kecamatan = POST_LEADER
        who = f", NRP {leader.code} ({leader})" if leader else ""
        self.stdout.write(f"  {name:<10} {password:<22} {Role.FIELD_OFFICER.label}{who}")

    def _guard(self, force: bool, demo_operations: set[str]) -> None:
        """Refuse on a production server or a real installation unless told it is meant."""
        if force or os.environ.get("SIAGA_ALLOW_DEMO", "").lower() in ("1", "true", "yes", "on"):
            return
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "Data contoh tidak dimuat: ini server produksi (SIAGA_PRODUCTION). Akun contohnya memakai kata "
                "sandi yang tercetak di dokumentasi. Bila memang dimaksud: manage.py demo --force.\n"
                "Demo not loaded: this is a production server; its logins have published passwords. "
                "If you mean it: manage.py demo --force."
            )
        real = Operation.objects.exclude(name__in=demo_operations).order_by("pk").first()
        if real is not None:
            raise CommandError(
                f"Data contoh tidak dimuat: basis data ini berisi operasi sungguhan ({real.name}). Akun contohnya "
                "memakai kata sandi yang tercetak di dokumentasi. Bila memang dimaksud: manage.py demo --force.\n"
                "Demo not loaded: this database holds a real operation; the demo's logins have published "
                "passwords. If you mean it: manage.py demo --force."
            )

    def _operation(self, scenario: Any, source: str, users: dict[str, Any]) -> Operation:
        """The demo operation, imported and planned once; the Kapolres approves and publishes its
        first plan, so the field works on it."""
        operation = Operation.objects.filter(name=scenario.operation.name).first()
        if operation is None:
            operation = import_scenario(scenario, source)
            self.stdout.write(f"Skenario contoh dimuat: {operation.name}")
        if not operation.boundaries.exists():  # the real outlines of the demo's regions (its points stay)
            found = read_shipped(dict(operation.regions.values_list("code", "level")))
            count = store_boundaries(operation, found, "pasuruan-boundaries.geojson")
            self.stdout.write(f"Batas wilayah contoh dimuat: {count} wilayah")
        if not Plan.objects.filter(operation=operation).exists():
            from siaga.core.planning.engine import plan_all

            stored = scenario_for(operation)
            plan = save_plan(
                operation, plan_all(stored), stored, users["perencana"], note=said(gettext_noop("Rencana awal (demo)"))
            )
            self.stdout.write(
                f"Rencana versi {plan.version} disusun: {plan.summary['assigned']:.0f} personel ditugaskan"
            )
            if not plan.violations:
                officers = signers(operation)  # the Kapolres signs off the categories first
                if officers:
                    sign_off(plan, officers[0].code, users["kapolres"])
                publish(approve(plan, users["kapolres"]), users["kapolres"])
                self.stdout.write(f"Rencana versi {plan.version} disetujui dan diterbitkan oleh kapolres")
        return operation

    def _user(self, username: str, password: str, role: str, kecamatan: str, full_name: str) -> Any:
        user, _ = get_user_model().objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name, user.is_active = first, last, True
        user.set_password(password)
        user.save()
        polda = DEMO_POLDA if role == Role.POLDA else ""
        Profile.objects.update_or_create(
            user=user, defaults={"role": role, "kecamatan_code": kecamatan, "polda": polda}
        )
        return user
