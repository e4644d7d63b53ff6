"""An incident reported from a roster duty (an escort run, a guard) keeps the duty and the leg
in fields of their own (`Incident.duty_id`, `Incident.leg`), not in `post_id` and the text; the
Posko, the register, the field report and the incident file name it by the duty and its leg;
it stays visible to whom saw it before; migration 0014 moves the rows kept the old way."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model

from siaga.core.data import duties as duty_data
from siaga.field import services
from siaga.field.models import Incident
from siaga.plans.models import Plan
from tests.web.conftest import SECTOR, client_for, publish
from tests.web.test_field_api import post
from tests.web.test_phone_pemilu_duties import code

ROOT = Path(__file__).resolve().parents[2]
move = importlib.import_module("siaga.field.migrations.0014_incident_duty_leg")


def _escort_in(plan: Any, kecamatan: str) -> dict[str, Any]:
    return next(
        d
        for d in plan.extra["roster"]["duties"]
        if d["kind"] == "KAWAL" and d["kecamatan_code"] == kecamatan and len(d["route"]) >= 2
    )


@pytest.fixture
def escort(plan: Any) -> dict[str, Any]:
    """An escort run of two legs in the sector, with the field officer on it, in the published
    plan."""
    plan = publish(plan)
    duty = _escort_in(plan, SECTOR)
    duty["route"] = [*duty["route"][:2], "Polsek Pohjentrek"]
    plan.extra["roster"]["assignments"].append({"person": code(), "duty": duty["id"], "slot": "POLRI", "cost_km": 0})
    Plan.objects.filter(pk=plan.pk).update(extra=plan.extra)
    return duty


def _report(plan: Any, escort: dict[str, Any], client: Any = None, **more: Any) -> Any:
    body = {"kind": "gangguan kamtibmas", "severity": 2, "duty_id": escort["id"], "leg": 0, "description": "ban pecah"}
    response = post(client or client_for("field_officer"), f"/api/plans/{plan.pk}/incidents", body | more)
    assert response.status_code == 201, response.content
    return response.json()


def _said(escort: dict[str, Any], word: str = "Ruas") -> str:
    return f"{word} 1 ({escort['route'][0]} → {escort['route'][1]})"


def test_the_report_keeps_the_duty_and_its_leg_in_their_fields_and_the_api_says_them(plan, escort):
    made = _report(plan, escort)
    incident = Incident.objects.get(pk=made["id"])
    assert (incident.duty_id, incident.leg, incident.post_id) == (escort["id"], "0", "")
    assert incident.description == "ban pecah"
    assert (made["duty_id"], made["leg"], made["post_id"], made["description"]) == (escort["id"], "0", "", "ban pecah")
    no_leg = _report(plan, escort, leg=None, description="")
    assert (no_leg["leg"], no_leg["description"]) == ("", "")
    beyond = _report(plan, escort, leg=len(escort["route"]) - 1)  # a leg the route does not have
    assert beyond["leg"] == "" and beyond["description"] == "ban pecah"


def test_the_posko_names_it_by_the_duty_and_the_leg_in_the_readers_language(plan, escort):
    _report(plan, escort)
    name = duty_data.duty_name(escort["name"], "id")
    for who in ("planner", "commander", "sector"):
        page = client_for(who).get(f"/plans/{plan.pk}/incidents/").content.decode()
        assert f"{name} · {_said(escort)}" in page.replace("&amp;", "&"), who
    english = client_for("commander")
    english.cookies["django_language"] = "en"
    page = english.get(f"/plans/{plan.pk}/incidents/").content.decode().replace("&amp;", "&")
    assert f"{duty_data.duty_name(escort['name'], 'en')} · {_said(escort, 'Leg')}" in page
    assert "Ruas 1" not in page


def test_a_one_leg_escort_is_named_by_its_duty_and_the_legs_number(plan, escort):
    escort["route"] = escort["route"][:2]
    Plan.objects.filter(pk=plan.pk).update(extra=plan.extra)
    made = _report(plan, escort)
    assert made["leg"] == "0"
    page = client_for("commander").get(f"/plans/{plan.pk}/incidents/").content.decode().replace("&amp;", "&")
    assert f"{duty_data.duty_name(escort['name'], 'id')} · Ruas 1 ·\n" in page and _said(escort) not in page


def test_the_register_the_report_and_the_incident_file_name_the_duty(plan, escort):
    made = _report(plan, escort)
    name = duty_data.duty_name(escort["name"], "id")
    commander = client_for("commander")
    register = commander.get(f"/plans/{plan.pk}/incidents/register/").content.decode().replace("&amp;", "&")
    assert f"{name} · {_said(escort)}" in register
    as_commander = get_user_model().objects.get(username="commander")
    report = services.report_data(publish(plan), as_commander)["incidents"]  # the report PDF's rows
    assert next(r["place"] for r in report if r["incident"].pk == made["id"]) == f"{name} · {_said(escort)}"
    assert commander.get(f"/plans/{plan.pk}/report.pdf").status_code == 200
    exported = commander.get(f"/ops/{plan.operation_id}/interchange/kejadian.csv")
    assert exported.status_code == 200, exported.content[:300]
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"), newline="")))
    row = next(r for r in rows if int(r["no_kejadian"]) == made["id"])
    assert row["pos"] == f"{name} · {_said(escort)}" and row["uraian"] == "ban pecah"


def test_it_stays_visible_to_whom_saw_it_and_to_no_one_else(plan, escort):
    made = _report(plan, escort)
    for who in ("planner", "commander", "sector"):
        cards = client_for(who).get(f"/plans/{plan.pk}/incidents/").content.decode()
        assert f'id="incident-{made["id"]}"' in cards, who
    reporter = get_user_model().objects.get(username="field_officer")  # his own report, on his phone
    assert services.incident_for(made["id"], reporter).duty_id == escort["id"]
    assert made["id"] in {i.pk for i in services.visible_incidents(publish(plan), reporter)}
    other = client_for("other_sector").get(f"/plans/{plan.pk}/incidents/").content.decode()
    assert f'id="incident-{made["id"]}"' not in other
    assert post(client_for("other_sector"), f"/api/incidents/{made['id']}/escalate").status_code == 404
    assert post(client_for("sector"), f"/api/incidents/{made['id']}/escalate").status_code == 200


# -- the rows kept the old way ----------------------------------------------------------------


def _old_rows(plan: Any, escort: dict[str, Any]) -> dict[str, Incident]:
    """Incidents as report_incident kept them before 0014: the duty's id cut to 80 characters in
    post_id, the leg's words before the text (in the reporter's language)."""
    who = get_user_model().objects.get(username="field_officer")
    vote_post = plan.posts.values_list("code", flat=True).first()
    guard = next(d for d in plan.extra["roster"]["duties"] if d["kind"] not in ("KAWAL", *move.VOTE_KINDS))
    base = {"operation_id": plan.operation_id, "kind": "lainnya", "severity": 1, "reported_by": who}
    rows = {
        "id": Incident(post_id=escort["id"][:80], description=f"{_said(escort)}: ban pecah"),
        "en": Incident(post_id=escort["id"][:80], description=f"{_said(escort, 'Leg')}: flat tyre"),
        "alone": Incident(post_id=escort["id"][:80], description=_said(escort)),
        "plain": Incident(post_id=escort["id"][:80], description="Ruas jalan macet"),
        "guard": Incident(post_id=guard["id"][:80], description="Ruas 1 (x → y): not an escort"),
        "gone": Incident(post_id="KAWAL-99.99.99-202402090600", description="Ruas 2 (A (lama) → B): hilang"),
        "vote": Incident(post_id=vote_post, description="Ruas 1 (a → b): di pos"),
    }
    for n, row in enumerate(rows.values()):
        for k, v in base.items():
            setattr(row, k, v)
        row.key = f"old-{n}"
        row.save()
    return rows


def test_the_data_migration_moves_the_old_rows_on_this_database(plan, escort):
    rows = _old_rows(plan, escort)
    move.to_fields(django_apps, None)
    got = {k: Incident.objects.get(pk=r.pk) for k, r in rows.items()}
    seen = {k: (r.post_id, r.duty_id, r.leg, r.description) for k, r in got.items()}
    assert seen["id"] == ("", escort["id"], "0", "ban pecah")
    assert seen["en"] == ("", escort["id"], "0", "flat tyre")
    assert seen["alone"] == ("", escort["id"], "0", "")
    assert seen["plain"] == ("", escort["id"], "", "Ruas jalan macet")
    assert seen["guard"][0] == "" and seen["guard"][2:] == ("", "Ruas 1 (x → y): not an escort")
    assert seen["gone"] == ("", "KAWAL-99.99.99-202402090600", "1", "hilang")  # its plan is gone: by the words
    assert seen["vote"] == (rows["vote"].post_id, "", "", "Ruas 1 (a → b): di pos")  # a vote post's: untouched
    move.to_fields(django_apps, None)  # twice: nothing more moved
    assert {k: (r.post_id, r.duty_id, r.leg, r.description) for k, r in got.items()} == seen
    move.to_text(django_apps, None)  # and back
    assert Incident.objects.get(pk=rows["id"].pk).description == f"{_said(escort)}: ban pecah"
    assert Incident.objects.get(pk=rows["alone"].pk).post_id == escort["id"][:80]


def test_a_cut_duty_id_is_found_whole():
    by_kept, _routes = _kept([{"id": "KAWAL-" + "x" * 90, "kind": "KAWAL", "route": ["A", "B"]}])
    assert by_kept[("KAWAL-" + "x" * 90)[:80]] == "KAWAL-" + "x" * 90
    twins, _routes = _kept([{"id": "KAWAL-" + "x" * 90 + a, "kind": "KAWAL", "route": ["A", "B"]} for a in ("1", "2")])
    assert twins[("KAWAL-" + "x" * 90)[:80]] == ("KAWAL-" + "x" * 90)[:80]  # which of two: not known


def _kept(duties: list[dict[str, Any]]) -> Any:
    """`_duties` over one plan whose roster has `duties` (a stand-in for the historical model)."""
    extras = [{"roster": {"duties": duties}}]
    rows = SimpleNamespace(values_list=lambda *_a, **_k: SimpleNamespace(iterator=lambda: iter(extras)))
    return move._duties(SimpleNamespace(objects=SimpleNamespace(filter=lambda **_k: rows)), 1)


def test_migrating_an_old_database_moves_its_rows_and_back(tmp_path):
    """On a SQLite file migrated to 0013: an old-style escort incident is moved by 0014 and
    put back by going back to 0013."""
    database = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"SIAGA_SQLITE": str(database)}

    def migrate(*target: str) -> None:
        manage = [sys.executable, str(ROOT / "manage.py"), "migrate", *target, "-v0"]
        subprocess.run(manage, cwd=ROOT, env=env, check=True)

    migrate()
    migrate("field", "0013")
    route = ["Gudang KPU", "PPK Kraton"]
    duty = "KAWAL-35.14.16-202402090600"
    extra = json.dumps({"roster": {"duties": [{"id": duty, "kind": "KAWAL", "route": route}]}}, ensure_ascii=False)
    with sqlite3.connect(database) as db:
        _insert(db, "operations_operation", id=1, name="Pemilu", config="{}")
        _insert(db, "auth_user", id=1, username="kepalapos", password="!")
        _insert(db, "plans_plan", id=1, operation_id=1, version=1, status="published", extra=extra)
        for pk, (post_id, text) in enumerate(
            [(duty, "Ruas 1 (Gudang KPU → PPK Kraton): ban pecah"), ("TPS-35.14.16.2022-1", "ricuh")], 1
        ):
            _insert(
                db,
                "field_incident",
                id=pk,
                operation_id=1,
                kind="lainnya",
                severity=1,
                post_id=post_id,
                description=text,
                reported_by_id=1,
                key=f"k{pk}",
                status="dilaporkan",
                level="polsek",
            )
    migrate("field", "0014")
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT id, post_id, duty_id, leg, description FROM field_incident ORDER BY id").fetchall()
    assert rows == [(1, "", duty, "0", "ban pecah"), (2, "TPS-35.14.16.2022-1", "", "", "ricuh")]
    migrate("field", "0013")
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT id, post_id, description FROM field_incident ORDER BY id").fetchall()
    assert rows == [(1, duty, "Ruas 1 (Gudang KPU → PPK Kraton): ban pecah"), (2, "TPS-35.14.16.2022-1", "ricuh")]


def _insert(db: sqlite3.Connection, table: str, **values: Any) -> None:
    """A row with `values`, every other NOT NULL column without a default given an empty value."""
    (schema,) = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    for _cid, name, kind, notnull, default, _pk in db.execute(f"PRAGMA table_info({table})").fetchall():
        if name in values or not notnull or default is not None or name == "id":
            continue
        kind = kind.lower()
        empty: Any = 0 if ("int" in kind or "bool" in kind or "real" in kind or "decimal" in kind) else ""
        values[name] = "2024-02-14 00:00:00" if ("datetime" in kind or kind == "date") else empty
        if f'JSON_VALID("{name}")' in schema:
            values[name] = "{}"
    columns = ", ".join(values)
    db.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(values))})", list(values.values()))


@pytest.mark.parametrize("word", ["Ruas", "Leg"])
def test_the_leg_words_come_off_in_either_language(word):
    routes = {("A", "B", "C")}
    assert move._leg_off(f"{word} 2 (B → C): teks", routes) == ("1", "teks")
    assert move._leg_off(f"{word} 2 (B → C)", routes) == ("1", "")
    assert move._leg_off(f"{word}s 2 (B → C): teks", routes) == ("", f"{word}s 2 (B → C): teks")
