"""Lost updates (issue 15 item 3): two planners editing the same TPS, person, unit or plan
version. The second save made on what the first has since changed gets a conflict page with
both values, nothing of theirs is lost, and they may re-apply knowingly. Plan versions are
numbered under a real lock: simultaneous hand edits give versions or clear conflicts, never
a 500, on SQLite (one writer at a time, waiting its turn) and on PostgreSQL (a row lock)."""

from __future__ import annotations

import html
import re
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection, connections
from django.test import Client

from siaga.audit.models import AuditEntry
from siaga.core.data.model import Force
from siaga.operations.models import Operation, Person, Tps, Unit
from siaga.plans.models import Plan
from siaga.plans.store import plan_file
from tests.web.conftest import client_for

VERSION = re.compile(r'name="edit_version" value="(\d+)"')
CONFLICT = "Data ini telah diubah oleh"


@pytest.fixture(autouse=True)
def inline_jobs(settings: Any) -> None:
    settings.SIAGA_JOBS_INLINE = True


@pytest.fixture
def as_planner2(db: Any) -> Client:
    return client_for("planner2")


def opened(client: Client, url: str) -> int:
    """The version an edit form was opened on (its hidden field)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = VERSION.search(response.content.decode())
    assert found, "the edit form carries no version"
    return int(found.group(1))


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def cells(page: str, css: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(rf'<td class="{css}">(.*?)</td>', page, re.S)]


# ---------------------------------------------------------------- a TPS, a person, a unit


def tps_form(tps: Tps, version: int, **changes: Any) -> dict[str, Any]:
    values = {f: getattr(tps, f) for f in ("number", "voters", "lat", "lon", "address")}
    return values | {"edit_version": version} | changes


def test_the_second_tps_edit_gets_a_conflict_with_both_values_and_the_first_is_kept(as_planner, as_planner2, operation):
    tps = operation.tps_set.order_by("id").first()
    url = f"/ops/{operation.pk}/tps/{tps.pk}/edit/"
    mine, theirs = opened(as_planner, url), opened(as_planner2, url)
    assert mine == theirs
    first = as_planner.post(url, tps_form(tps, mine, voters=311, address="Balai RW 2"))
    assert first.status_code == 302
    second = as_planner2.post(url, tps_form(tps, theirs, voters=422))
    assert second.status_code == 409
    page = text(second)
    assert CONFLICT in page and "Planner (planner)" in page and "sejak Anda membukanya" in page
    assert "Isian Anda belum disimpan" in page
    assert "311" in cells(page, "theirs") and "422" in cells(page, "yours")
    assert "Balai RW 2" in cells(page, "theirs")
    tps.refresh_from_db()
    assert (tps.voters, tps.address, tps.edited_by) == (311, "Balai RW 2", "planner")  # the first edit kept
    assert AuditEntry.objects.filter(object_type="tps", object_id=tps.code, action="edit").count() == 1

    # re-applied from the conflict page: it names the version saved meanwhile, and is saved
    again = int(VERSION.search(page).group(1))
    assert again == tps.edit_version
    third = as_planner2.post(url, tps_form(tps, again, voters=422))
    assert third.status_code == 302
    tps.refresh_from_db()
    assert (tps.voters, tps.address, tps.edited_by) == (422, "Balai RW 2", "planner2")


def test_a_stale_tps_form_is_refused_even_when_it_changes_other_fields(as_planner, as_planner2, operation):
    """The stale form still shows the old DPT: saved, it would silently put it back."""
    tps = operation.tps_set.order_by("id")[1]
    url = f"/ops/{operation.pk}/tps/{tps.pk}/edit/"
    seen = opened(as_planner2, url)
    assert as_planner.post(url, tps_form(tps, opened(as_planner, url), voters=tps.voters + 50)).status_code == 302
    stale = as_planner2.post(url, tps_form(tps, seen, address="Jl. Baru 1"))  # the old DPT rides along
    assert stale.status_code == 409
    changed = Tps.objects.get(pk=tps.pk)
    assert changed.voters == tps.voters + 50 and changed.address == tps.address


def test_a_post_naming_no_version_is_saved_as_before(as_planner, operation):
    """Scripts and old pages without the hidden field: not checked, still saved."""
    tps = operation.tps_set.order_by("id")[2]
    values = {f: getattr(tps, f) for f in ("number", "voters", "lat", "lon", "address")}
    done = as_planner.post(f"/ops/{operation.pk}/tps/{tps.pk}/edit/", values | {"voters": 99})
    assert done.status_code == 302
    tps.refresh_from_db()
    assert tps.voters == 99 and tps.edit_version == 1


def person_form(person: Person, version: int, **changes: Any) -> dict[str, Any]:
    values = {"rank": person.rank, "phone": person.phone, "available": "ya" if person.available else "tidak"}
    values |= {"position": person.position}  # as the page sends it: a Kapolres's position left out is taken away
    values |= {"unit_code": person.unit_code} if person.force != Force.LINMAS else {"desa_code": person.desa_code}
    return values | {"edit_version": version} | changes


def test_the_second_person_edit_gets_a_conflict_and_the_first_is_kept(as_planner, as_planner2, operation):
    person = operation.personnel.filter(force=Force.POLRI).order_by("id").first()
    url = f"/ops/{operation.pk}/personnel/{person.pk}/edit/"
    mine, theirs = opened(as_planner, url), opened(as_planner2, url)
    assert as_planner.post(url, person_form(person, mine, phone="081200000001")).status_code == 302
    second = as_planner2.post(url, person_form(person, theirs, phone="081299999999", available="tidak"))
    assert second.status_code == 409
    page = text(second)
    assert CONFLICT in page and "Planner (planner)" in page
    assert "081200000001" in cells(page, "theirs") and "081299999999" in cells(page, "yours")
    assert "ya" in cells(page, "theirs") and "tidak" in cells(page, "yours")
    person.refresh_from_db()
    assert (person.phone, person.available) == ("081200000001", True)
    again = int(VERSION.search(page).group(1))
    assert as_planner2.post(url, person_form(person, again, phone="081299999999")).status_code == 302
    person.refresh_from_db()
    assert person.phone == "081299999999" and person.edited_by == "planner2"


def test_a_pin_or_a_bulk_change_makes_an_open_person_form_stale(as_planner, as_planner2, operation):
    person = operation.personnel.filter(force=Force.POLRI).order_by("id")[1]
    url = f"/ops/{operation.pk}/personnel/{person.pk}/edit/"
    seen = opened(as_planner2, url)
    bulk = {"ids": [person.pk], "available": "tidak"}
    assert as_planner.post(f"/ops/{operation.pk}/personnel/bulk/", bulk).status_code == 302
    stale = as_planner2.post(url, person_form(person, seen, phone="081200000002"))  # would make them ready again
    assert stale.status_code == 409
    assert Person.objects.get(pk=person.pk).available is False


def test_the_second_unit_edit_gets_a_conflict(as_planner, as_planner2, operation):
    unit = operation.units.order_by("id").first()
    url = f"/ops/{operation.pk}/units/{unit.pk}/edit/"
    mine, theirs = opened(as_planner, url), opened(as_planner2, url)
    values = {"name": unit.name, "kind": unit.kind, "kecamatan_code": unit.kecamatan_code, "lat": unit.lat}
    values |= {"lon": unit.lon}
    assert as_planner.post(url, values | {"name": "Polsek Satu", "edit_version": mine}).status_code == 302
    second = as_planner2.post(url, values | {"name": "Polsek Dua", "edit_version": theirs})
    assert second.status_code == 409
    page = text(second)
    assert "Polsek Satu" in cells(page, "theirs") and "Polsek Dua" in cells(page, "yours")
    assert Unit.objects.get(pk=unit.pk).name == "Polsek Satu"


def test_a_database_busy_past_its_wait_keeps_the_typed_values_and_says_so(as_planner, operation, monkeypatch):
    """SQLite's busy timeout ran out (another write held the lock longer): no 500, nothing
    saved, the form again with what was typed, and a message to save again."""
    from django.db import OperationalError

    from siaga.operations import services

    def locked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "edit_tps", locked)
    tps = operation.tps_set.order_by("id")[3]
    url = f"/ops/{operation.pk}/tps/{tps.pk}/edit/"
    busy = as_planner.post(url, tps_form(tps, opened(as_planner, url), voters=777))
    assert busy.status_code == 503
    page = text(busy)
    assert "Basis data sedang sibuk" in page and 'value="777"' in page
    assert Tps.objects.get(pk=tps.pk).voters == tps.voters


def test_a_hand_edit_on_a_busy_database_is_refused_with_a_message(as_planner, operation, plan, monkeypatch):
    from django.db import OperationalError

    from siaga.plans import services

    def locked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "reassign", locked)
    done = as_planner.post(f"/plans/{plan.pk}/reassign/", {"person": polri_on_posts(plan, 1)[0], "idle": "on"})
    assert done.status_code == 302 and done.headers["Location"] == f"/plans/{plan.pk}/"
    assert "Basis data sedang sibuk" in text(as_planner.get(done.headers["Location"]))
    assert operation.plans.count() == 1


# ---------------------------------------------------------------- hand edits of one plan version


def polri_on_posts(plan: Plan, n: int) -> list[str]:
    kinds = {p["id"]: p["kind"] for p in plan_file(plan)["posts"]}
    found = [a["person"] for a in plan_file(plan)["assignments"] if a["slot"] == "POLRI" and kinds[a["post"]] == "TPS"]
    return found[:n]


def placed(plan: Plan) -> set[str]:
    return set(plan.assignments.values_list("person_code", flat=True))


def test_two_hand_edits_of_one_version_the_second_gets_a_conflict_and_the_first_is_kept(
    as_planner, as_planner2, operation, plan
):
    one, two = polri_on_posts(plan, 2)
    url = f"/plans/{plan.pk}/reassign/"
    assert as_planner.post(url, {"person": one, "idle": "on"}).status_code == 302
    first = operation.plans.order_by("-version").first()
    assert first.version == plan.version + 1 and one not in placed(first)

    second = as_planner2.post(url, {"person": two, "idle": "on"})  # made on the version before
    assert second.status_code == 409
    page = text(second)
    assert f"versi {first.version} dibuat oleh Planner (planner) pada" in page
    assert f"sejak Anda membuka versi {plan.version}" in page
    assert "Perubahan Anda belum disimpan" in page and f"/plans/{plan.pk}/diff/{first.pk}/" in page
    assert operation.plans.count() == 2  # nothing saved, no fork

    # applied on the newest version from the conflict page: both edits are in the result
    reapply = r'<form method="post" action="(/plans/\d+/reassign/)"[^>]*id="reapply-newest">(.*?)</form>'
    form = re.search(reapply, page, re.S)
    assert form and form.group(1) == f"/plans/{first.pk}/reassign/"
    carried = dict(re.findall(r'<input type="hidden" name="(person|idle|post|slot)" value="([^"]*)"', form.group(2)))
    assert carried["person"] == two
    assert as_planner2.post(form.group(1), carried).status_code == 302
    newest = operation.plans.order_by("-version").first()
    assert newest.version == first.version + 1 and newest.parent_id == first.pk
    assert one not in placed(newest) and two not in placed(newest)


def test_an_older_version_may_be_edited_knowingly(as_planner, operation, plan):
    one, two = polri_on_posts(plan, 2)
    url = f"/plans/{plan.pk}/reassign/"
    as_planner.post(url, {"person": one, "idle": "on"})
    newest = operation.plans.order_by("-version").first()
    assert as_planner.post(url, {"person": two, "idle": "on"}).status_code == 409
    done = as_planner.post(url, {"person": two, "idle": "on", "seen": newest.version})
    assert done.status_code == 302
    forked = operation.plans.order_by("-version").first()
    assert forked.parent_id == plan.pk and forked.version == newest.version + 1 and one in placed(forked)


# ---------------------------------------------------------------- simultaneous hand edits, threads

N = 10


@pytest.fixture
def shared_db(threads_copy: Path | None, db: Any) -> Any:
    """The session's database (the demo operation and its plan) as committed, which every
    thread reads and writes on its own connection; the test's own transaction (main thread)
    only reads. Not `django_db(transaction=True)`: its flush would empty the database the other
    tests share. What the threads commit is removed afterwards, by a thread of its own (or was
    written to a file copy, on SQLite)."""
    settings_dict = connections.settings["default"]
    name = settings_dict["NAME"]
    copy = threads_copy
    operation = Operation.objects.get(name__startswith="Pam Pilkades")
    before = set(Plan.objects.filter(operation=operation).values_list("pk", flat=True))
    if copy is not None:
        settings_dict["NAME"] = str(copy)
    try:
        yield operation
    finally:
        settings_dict["NAME"] = name
        if copy is None:

            def remove() -> None:
                try:
                    Plan.objects.filter(operation=operation).exclude(pk__in=before).delete()
                finally:
                    connections.close_all()

            cleaner = threading.Thread(target=remove)
            cleaner.start()
            cleaner.join(timeout=120)


def _in_threads(work: Any) -> list[Any]:
    """Run work(i) for i < N in N threads started together, each on its own connection."""
    start, results = threading.Barrier(N), [None] * N

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except Exception as exc:  # counted, never raised in the thread
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


def _committed_versions(operation: Operation, above: int) -> list[int]:
    """The versions the threads committed, read as they read (the main thread's connection
    may be another database: SQLite's in-memory one)."""
    found: list[int] = []

    def read() -> None:
        try:
            found.extend(Plan.objects.filter(operation=operation, version__gt=above).values_list("version", flat=True))
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(timeout=60)
    return sorted(found)


def test_ten_simultaneous_reassigns_give_versions_or_conflicts_never_a_500(shared_db):
    operation = shared_db

    def reassign(i: int) -> int:
        close_old_connections()
        plan = Plan.objects.filter(operation=operation).order_by("-version").first()
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username="planner" if i % 2 else "planner2"))
        person = polri_on_posts(plan, N)[i]
        return client.post(f"/plans/{plan.pk}/reassign/", {"person": person, "idle": "on"}).status_code

    base = Plan.objects.filter(operation=operation).order_by("-version").first().version
    codes = _in_threads(reassign)
    assert not [c for c in codes if not isinstance(c, int)], codes  # no exception in any thread
    counts = Counter(codes)
    made = _committed_versions(operation, base)
    assert 500 not in counts and set(counts) <= {302, 409}, counts
    assert counts[302] == len(made) >= 1 and counts[302] + counts[409] == N
    assert sorted(made) == list(range(base + 1, base + 1 + len(made)))  # numbered without a gap or a twin
    print(f"\n{connection.vendor}: {N} simultaneous reassigns: {counts[302]} versions, {counts[409]} conflicts")


def test_ten_versions_saved_at_once_get_ten_numbers(shared_db):
    """The numbering itself: ten versions stored at once (as ten planning jobs finishing
    together would) get ten consecutive numbers, none refused."""
    from siaga.operations.services import scenario_for
    from siaga.plans.store import core_plan, save_plan

    operation = shared_db
    plan = Plan.objects.filter(operation=operation).order_by("version").first()
    scenario, result = scenario_for(operation), core_plan(plan)
    base = Plan.objects.filter(operation=operation).order_by("-version").first().version

    def save(i: int) -> int:
        return save_plan(operation, result, scenario, None, plan, f"thread {i}").version

    numbers = _in_threads(save)
    assert not [n for n in numbers if not isinstance(n, int)], numbers
    assert sorted(numbers) == list(range(base + 1, base + 1 + N))
