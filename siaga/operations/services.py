"""The only bridge between the database and the planning core for operations: a scenario
in, a scenario out, and the vulnerability kept up to date. Writes that touch several tables
run in one transaction."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from siaga.audit.log import record
from siaga.core.data import duties, owner, stages
from siaga.core.data.model import (
    VILLAGE_LEVELS,
    Category,
    Force,
    Level,
    Scenario,
    Stage,
    StageKind,
    UnitKind,
)
from siaga.core.data.model import (
    Operation as CoreOperation,
)
from siaga.core.data.model import (
    PatternRow as CorePatternRow,
)
from siaga.core.data.model import (
    Person as CorePerson,
)
from siaga.core.data.model import (
    Region as CoreRegion,
)
from siaga.core.data.model import (
    Tps as CoreTps,
)
from siaga.core.data.model import (
    TravelTime as CoreTravelTime,
)
from siaga.core.data.model import (
    Unit as CoreUnit,
)
from siaga.core.planning import risk
from siaga.operations.bulk import BATCH, insert_rows
from siaga.operations.labels import stage_name
from siaga.operations.models import DataVersion, FormerRow, Operation, PatternRow, Person, Region, Tps, TravelTime, Unit

OPERATION_SETTINGS = [
    f.name for f in dataclasses.fields(CoreOperation) if f.name not in ("name", "election_date", "pattern")
]


@transaction.atomic
def import_scenario(scenario: Scenario, source_name: str = "", request: Any = None, user: Any = None) -> Operation:
    """Store a validated scenario, whole (or nothing, on any error): as a new operation, or,
    when a not archived operation has the scenario's name, as that operation's next data
    version (its rows replaced; a `DataVersion` keeps the diff). Plans keep what they were
    made from; a new plan reads the new rows.

    Every TPS is scored (`risk.assess`) before its row goes in, so the rows are written once.
    Rows keep the scenario's order (ids ascending). On PostgreSQL the large tables (regions,
    TPS, personnel) are loaded with COPY inside the same transaction; elsewhere with a prepared
    INSERT (`bulk.insert_rows`). Both give the same rows (tests/web/test_import_copy.py).
    """
    op = scenario.operation
    user = user if user is not None else getattr(request, "user", None)  # a job passes its user
    importer = user if getattr(user, "is_authenticated", False) else None
    fields = {
        "election_date": op.election_date,
        "pattern": op.pattern,
        "config": {k: getattr(op, k) for k in OPERATION_SETTINGS}
        | {"weights": dict(op.weights), "stages": stages.as_records(scenario.stages)}
        | duties.as_records(scenario),
        "source_name": source_name,
        "imported_by": importer,
    }
    whose = owner.of(scenario)
    fields |= {"polres_code": whose.polres_code, "polres_name": whose.polres_name, "polda": whose.polda}
    operation = (
        Operation.objects.select_for_update()
        .filter(name=op.name, polres_code=whose.polres_code, archived=False)
        .first()
    )
    diff: dict[str, Any] = {}
    if operation is None:
        operation = Operation.objects.create(name=op.name, **fields)
    else:
        diff = data_diff(operation, scenario)
        for linked in FORMER_KIND:  # the rows are written anew: old links find them by code
            keep_former_ids(linked._default_manager.filter(operation=operation))
        for model in (Region, Tps, Unit, Person, PatternRow, TravelTime):
            model.objects.filter(operation=operation).delete()
        for name, value in fields.items():
            setattr(operation, name, value)
        operation.save(update_fields=list(fields))
    kecamatan = _kecamatan_of(scenario.regions)
    assessments = risk.assess(scenario)
    insert_rows(
        Region,
        (
            {
                "operation_id": operation.pk,
                "code": r.code,
                "name": r.name,
                "level": r.level.value,
                "parent_code": r.parent_code,
                "kecamatan_code": kecamatan.get(r.code, ""),
                "lat": r.lat,
                "lon": r.lon,
                "indicators": dict(r.indicators),
                "polres_code": r.polres_code,
            }
            for r in scenario.regions
        ),
    )
    insert_rows(
        Tps,
        (
            {
                "operation_id": operation.pk,
                "code": t.id,
                "desa_code": t.desa_code,
                "kecamatan_code": kecamatan.get(t.desa_code, ""),
                "number": t.number,
                "voters": t.voters,
                "lat": t.lat,
                "lon": t.lon,
                "address": t.address,
                "category": t.category.value if t.category else "",
                "category_reason": t.category_reason,
                "indicators": dict(t.indicators),
                "score": assessments[t.id].score,
                "model_category": assessments[t.id].model_category.value,
                "effective_category": assessments[t.id].category.value,
            }
            for t in scenario.tps
        ),
    )
    Unit.objects.bulk_create(
        [
            Unit(
                operation=operation,
                code=u.code,
                name=u.name,
                kind=u.kind.value,
                kecamatan_code=u.kecamatan_code,
                lat=u.lat or 0.0,  # the validator requires a unit's location
                lon=u.lon or 0.0,
                parent_code=u.parent_code,
                bko_to=u.bko_to,
                assembly_lat=u.assembly_lat,
                assembly_lon=u.assembly_lon,
            )
            for u in scenario.units
        ],
        batch_size=BATCH,
    )
    unit_kecamatan = {u.code: u.kecamatan_code for u in scenario.units}
    insert_rows(
        Person,
        (
            {
                "operation_id": operation.pk,
                "code": p.id,
                "name": p.name,
                "rank": p.rank,
                "unit_code": p.unit_code,
                "force": p.force.value,
                "desa_code": p.desa_code,
                "kecamatan_code": kecamatan.get(p.desa_code, "")
                if p.force == Force.LINMAS
                else unit_kecamatan.get(p.unit_code, ""),
                "phone": p.phone,
                "available": p.available,
                "position": p.position,
                "tps_code": p.tps_id,
                "pinned_post": p.pinned_post,
                "pin_reason": p.pin_reason,
            }
            for p in scenario.personnel
        ),
    )
    PatternRow.objects.bulk_create(
        [
            PatternRow(
                operation=operation,
                category=r.category.value,
                tps_per_post=r.tps_per_post,
                polri_per_post=r.polri_per_post,
                tni_per_post=r.tni_per_post,
                linmas_per_tps=r.linmas_per_tps,
                patrol=r.patrol,
            )
            for r in scenario.patterns
        ]
    )
    TravelTime.objects.bulk_create(  # the road times: reserve reach by road in a console plan
        [
            TravelTime(operation=operation, origin=t.origin, destination=t.destination, minutes=t.minutes)
            for t in scenario.travel_times
        ],
        batch_size=BATCH,
    )
    counts = {"tps": len(scenario.tps), "personnel": len(scenario.personnel), "regions": len(scenario.regions)}
    last = operation.data_versions.aggregate(n=models.Max("number"))["n"] or (1 if diff else 0)
    version = DataVersion.objects.create(
        operation=operation, number=last + 1, source_name=source_name, imported_by=importer, counts=counts, diff=diff
    )
    record(
        request,
        "reimport" if diff else "import",
        "operation",
        str(operation.pk),
        operation_id=operation.pk,
        after=counts | {"file": source_name, "version": version.number} | _diff_summary(diff),
        user=user,
    )
    return operation


FORMER_KIND: dict[type[models.Model], str] = {
    Tps: FormerRow.Kind.TPS,
    Person: FormerRow.Kind.PERSON,
    Unit: FormerRow.Kind.UNIT,
    Region: FormerRow.Kind.REGION,
}


def keep_former_ids(rows: models.QuerySet[Any]) -> None:
    """Remember the ids of these TPS, person, unit or region rows, about to be deleted (a new
    data version writes every row anew; a removed row), so that a link saved with one finds
    its row by code (`former_row`)."""
    kind = FORMER_KIND[rows.model]
    insert_rows(
        FormerRow,
        (
            {"operation_id": op_id, "kind": kind, "former_id": pk, "code": code, "kecamatan_code": kecamatan}
            for pk, op_id, code, kecamatan in rows.order_by().values_list(
                "pk", "operation_id", "code", "kecamatan_code"
            )
        ),
    )


def former_row(operation: Operation, kind: str, pk: int) -> FormerRow | None:
    """The row of this kind an id of an earlier data version named (its code and kecamatan), if it did."""
    return operation.former_rows.filter(kind=kind, former_id=pk).first()


TPS_COMPARED = ("desa_code", "number", "voters", "lat", "lon", "address", "category", "category_reason", "indicators")
PERSON_COMPARED = ("name", "rank", "unit_code", "force", "desa_code", "phone", "available", "position", "tps_code")
PERSON_FIELD_OF = {"tps_code": "tps_id"}


def another_polres(scenario: Scenario, user: Any) -> str:
    """Why this account may not import this workbook ("" when it may): an account of one Polres
    imports that Polres's workbooks only (siaga.accounts.scope.operations_for)."""
    from django.utils.translation import gettext as _

    mine = str(getattr(getattr(user, "profile", None), "polres_code", "") or "").strip()
    theirs = owner.of(scenario)
    if not mine or theirs.polres_code == mine:
        return ""
    return _(
        "Berkas ini untuk %(theirs)s (satuan %(code)s di lembar satuan), sedangkan akun Anda untuk Polres %(mine)s. "
        "Tidak ada yang diimpor: periksa lembar satuan berkas, atau minta admin menetapkan Polres akun Anda."
    ) % {"theirs": theirs.polres_name or _("beberapa Polres"), "code": theirs.polres_code or "-", "mine": mine}


def existing_operation(scenario: Scenario) -> Operation | None:
    """The operation a workbook updates: the one of its operation name and its Polres that is
    not archived (None: it makes a new one). Two Polres may name their operations alike."""
    polres = owner.of(scenario).polres_code
    return Operation.objects.filter(name=scenario.operation.name, polres_code=polres, archived=False).first()


def data_diff(operation: Operation, scenario: Scenario, values: bool = False) -> dict[str, Any]:
    """What importing `scenario` would change in `operation`: TPS and people added, removed
    and changed (by code, with the changed fields), the units added and removed, and what
    changes in the stages, duty rules and campaign events (`_schedule_diff`). With `values`
    (the import preview; a data version keeps codes and fields only): each change's old and
    new values, and each person's rank and name (`names`)."""
    old_tps = {row["code"]: row for row in operation.tps_set.values("code", *TPS_COMPARED)}
    new_tps = {
        t.id: {
            "desa_code": t.desa_code,
            "number": t.number,
            "voters": t.voters,
            "lat": t.lat,
            "lon": t.lon,
            "address": t.address,
            "category": t.category.value if t.category else "",
            "category_reason": t.category_reason,
            "indicators": dict(t.indicators),
        }
        for t in scenario.tps
    }
    old_people = {row["code"]: row for row in operation.personnel.values("code", *PERSON_COMPARED)}
    new_people = {
        p.id: {f: _plain(getattr(p, PERSON_FIELD_OF.get(f, f))) for f in PERSON_COMPARED} for p in scenario.personnel
    }
    old_units = set(operation.units.values_list("code", flat=True))
    new_units = {u.code for u in scenario.units}
    diff = {
        "tps": _compare(old_tps, new_tps, values),
        "personnel": _compare(old_people, new_people, values),
        "units": {"added": sorted(new_units - old_units), "removed": sorted(old_units - new_units)},
        "schedule": _schedule_diff(operation.config, scenario),
    }
    if values and any(diff["personnel"].values()):
        people = diff["personnel"]
        named = set(people["added"]) | set(people["removed"]) | {c["code"] for c in people["changed"]}
        rows = new_people | {c: r for c, r in old_people.items() if c not in new_people}
        people["names"] = {c: " ".join(x for x in (rows[c]["rank"], rows[c]["name"]) if x) for c in sorted(named)}
    return diff


def _schedule_diff(config: dict[str, Any], scenario: Scenario) -> dict[str, list[str]]:
    """What the workbook's `tahapan`, `aturan_tugas` and `kegiatan` sheets change in the
    operation's settings: the stages and the duty rules (each changed or not, as a whole) and
    the campaign events by name (added, removed, changed). Compared as stored (JSON)."""
    new = json.loads(json.dumps({"stages": stages.as_records(scenario.stages)} | duties.as_records(scenario)))
    old_events = {str(e.get("name", "")): e for e in config.get("events", [])}
    new_events = {str(e.get("name", "")): e for e in new["events"]}
    return {
        "stages": ["changed"] if config.get("stages", []) != new["stages"] else [],
        "duty_rules": ["changed"] if config.get("duty_rules", []) != new["duty_rules"] else [],
        "events_added": sorted(new_events.keys() - old_events.keys()),
        "events_removed": sorted(old_events.keys() - new_events.keys()),
        "events_changed": sorted(n for n in old_events.keys() & new_events.keys() if old_events[n] != new_events[n]),
    }


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Force) else value


def _compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], values: bool = False) -> dict[str, Any]:
    changed: list[dict[str, Any]] = []
    for code in sorted(old.keys() & new.keys()):
        fields = [f for f, v in new[code].items() if old[code].get(f) != v]
        if fields and values:  # a moved point: both its coordinates
            shown = fields + [f for f in ("lat", "lon") if f not in fields and {"lat", "lon"} & set(fields)]
            before, after = ({f: row.get(f) for f in shown} for row in (old[code], new[code]))
            changed.append({"code": code, "fields": fields, "old": before, "new": after})
        elif fields:
            changed.append({"code": code, "fields": fields})
    return {"added": sorted(new.keys() - old.keys()), "removed": sorted(old.keys() - new.keys()), "changed": changed}


def _diff_summary(diff: dict[str, Any]) -> dict[str, Any]:
    if not diff:
        return {}
    return {
        f"{table}_{kind}": len(diff[table][kind])
        for table in ("tps", "personnel")
        for kind in ("added", "removed", "changed")
    }


def diff_is_empty(diff: dict[str, Any]) -> bool:
    return not any(codes for part in diff.values() for codes in part.values())


def other_changes(operation: Operation, scenario: Scenario) -> list[str]:
    """What else importing `scenario` would rewrite in `operation` that `data_diff` does not
    show, in words (msgids): the operation's settings, regions, units' details, the pattern
    sheet, road times, people pinned to a post. Empty with `diff_is_empty`: the file changes nothing."""
    op = scenario.operation
    config = {k: getattr(op, k) for k in OPERATION_SETTINGS} | {"weights": dict(op.weights)}
    config |= {"stages": stages.as_records(scenario.stages)} | duties.as_records(scenario)
    stored = json.loads(json.dumps(config, default=str))
    settings_same = (op.election_date, op.pattern) == (operation.election_date, operation.pattern) and all(
        json.loads(json.dumps(operation.config.get(k), default=str)) == v for k, v in stored.items()
    )
    regions = {(r.code, r.name, r.level.value, r.parent_code, r.lat, r.lon, r.polres_code) for r in scenario.regions}
    region_fields = ("code", "name", "level", "parent_code", "lat", "lon", "polres_code")
    region_indicators = {r.code: dict(r.indicators) for r in scenario.regions}
    unit_fields = ("code", "name", "kind", "kecamatan_code", "parent_code", "bko_to", "assembly_lat", "assembly_lon")
    units = {
        (u.code, u.name, u.kind.value, u.kecamatan_code, u.parent_code, u.bko_to, u.assembly_lat, u.assembly_lon)
        for u in scenario.units
    }
    pattern_fields = ("category", "tps_per_post", "polri_per_post", "tni_per_post", "linmas_per_tps", "patrol")
    patterns = sorted(
        (r.category.value, r.tps_per_post, r.polri_per_post, r.tni_per_post, r.linmas_per_tps, r.patrol)
        for r in scenario.patterns
    )
    travel = {(t.origin, t.destination, t.minutes) for t in scenario.travel_times}
    pins = {(p.id, p.pinned_post, p.pin_reason) for p in scenario.personnel if p.pinned_post or p.pin_reason}
    pinned = operation.personnel.exclude(pinned_post="", pin_reason="")
    travel_fields = ("origin", "destination", "minutes")
    checks = (
        (gettext_noop("pengaturan operasi"), settings_same),
        (
            gettext_noop("wilayah"),
            set(operation.regions.values_list(*region_fields)) == regions
            and dict(operation.regions.values_list("code", "indicators")) == region_indicators,
        ),
        (gettext_noop("rincian satuan"), set(operation.units.values_list(*unit_fields)) == units),
        (gettext_noop("lembar pola"), sorted(operation.pattern_rows.values_list(*pattern_fields)) == patterns),
        (gettext_noop("waktu tempuh"), set(operation.travel_times.values_list(*travel_fields)) == travel),
        (gettext_noop("pos tetap personel"), set(pinned.values_list("code", "pinned_post", "pin_reason")) == pins),
    )
    return [words for words, same in checks if not same]


def _kecamatan_of(regions: tuple[CoreRegion, ...]) -> dict[str, str]:
    """Region code -> its kecamatan's code (a kecamatan is its own)."""
    out = {}
    for r in regions:
        if r.level == Level.KECAMATAN:
            out[r.code] = r.code
        elif r.level in VILLAGE_LEVELS:
            out[r.code] = r.parent_code
    return out


def scenario_for(operation: Operation) -> Scenario:
    """The operation as the core sees it."""
    core_op = core_operation(operation)
    # Rows read as tuples in the order of the core's fields: a model instance per row would
    # be most of the time (a console plan or re-plan reads every row of the operation).
    region_rows = operation.regions.order_by("id").values_list(
        "code", "name", "level", "parent_code", "lat", "lon", "indicators", "polres_code"
    )
    regions = tuple(
        CoreRegion(code, name, Level(level), parent, lat, lon, indicators, polres)
        for code, name, level, parent, lat, lon, indicators, polres in region_rows
    )
    tps_rows = operation.tps_set.order_by("id").values_list(
        "code", "desa_code", "number", "voters", "lat", "lon", "address", "category", "category_reason", "indicators"
    )
    tps = tuple(
        CoreTps(code, desa, number, voters, lat, lon, address, Category(category) if category else None, why, ind)
        for code, desa, number, voters, lat, lon, address, category, why, ind in tps_rows
    )
    unit_rows = operation.units.order_by("id").values_list(
        "code", "name", "kind", "kecamatan_code", "lat", "lon", "parent_code", "bko_to", "assembly_lat", "assembly_lon"
    )
    units = tuple(
        CoreUnit(code, name, UnitKind(kind), kec, lat, lon, parent, bko, a_lat, a_lon)
        for code, name, kind, kec, lat, lon, parent, bko, a_lat, a_lon in unit_rows
    )
    person_rows = operation.personnel.order_by("id").values_list(
        "code",
        "name",
        "rank",
        "unit_code",
        "force",
        "desa_code",
        "phone",
        "available",
        "position",
        "tps_code",
        "pinned_post",
        "pin_reason",
    )
    forces = {f.value: f for f in Force}
    people = tuple(
        CorePerson(code, name, rank, unit, forces[force], desa, phone, available, position, tps_code, pin, why)
        for code, name, rank, unit, force, desa, phone, available, position, tps_code, pin, why in person_rows
    )
    patterns = tuple(
        CorePatternRow(
            Category(r.category), r.tps_per_post, r.polri_per_post, r.tni_per_post, r.linmas_per_tps, r.patrol
        )
        for r in operation.pattern_rows.all()
    )
    rules, events = duties.from_records(operation.config)
    written = stages.from_records(operation.config.get("stages", []))
    times = tuple(CoreTravelTime(t.origin, t.destination, t.minutes) for t in operation.travel_times.order_by("id"))
    return Scenario(core_op, regions, tps, units, people, patterns, written, rules, events, times)


def core_operation(operation: Operation) -> CoreOperation:
    """The operation's settings as the core's operation sheet."""
    s = operation.config
    return CoreOperation(
        name=operation.name,
        election_date=operation.election_date,
        pattern=operation.pattern,
        **{k: s[k] for k in OPERATION_SETTINGS if k in s},
    )


def operation_stages(operation: Operation) -> tuple[tuple[Stage, ...], bool]:
    """The operation's stages in order, and whether they are its election kind's preset (no
    `stages` sheet was imported); read from the settings alone, without the operation's rows."""
    written = stages.from_records(operation.config.get("stages", []))
    return stages.of_operation(core_operation(operation), written), not written


PERGESERAN_APEL = gettext_noop("Apel pergeseran pasukan")  # the name when no stage gives one


def pergeseran_apel_name(operation: Operation) -> str:
    """The apel before the move to the posts, as the operation's stages name it, in the reader's
    language: the first APEL_PERGESERAN stage ("Apel pergeseran pasukan"; the Pilkades preset
    holds the apel gelar pasukan with it on H-1, DOCTRINE.md 1 and 5: "Apel gelar pasukan dan
    pergeseran"). The apel gelar pasukan that opens an operation (DOCTRINE.md 10) is an
    APEL_GELAR stage of its own, with its own roll call."""
    stage = next((s for s in operation_stages(operation)[0] if s.kind == StageKind.APEL_PERGESERAN), None)
    return stage_name(stage.name) if stage else gettext(PERGESERAN_APEL)


def refresh_vulnerability(operation: Operation, scenario: Scenario | None = None) -> dict[str, risk.Assessment]:
    """Score every TPS again and store score and categories on its row."""
    scenario = scenario or scenario_for(operation)
    assessments = risk.assess(scenario)
    rows = list(operation.tps_set.all())
    for row in rows:
        a = assessments[row.code]
        row.score, row.model_category, row.effective_category = a.score, a.model_category.value, a.category.value
    Tps.objects.bulk_update(rows, ["score", "model_category", "effective_category"], batch_size=2000)
    return assessments


@transaction.atomic
def override_category(tps: Tps, category: str, reason: str, request: Any = None) -> Tps:
    """Set (or with category "" clear) a TPS's category by hand, with its reason, audited."""
    before = {"category": tps.category, "reason": tps.category_reason, "effective": tps.effective_category}
    tps.category, tps.category_reason = category, reason if category else ""
    _save_edit(tps, {"category": tps.category, "category_reason": tps.category_reason}, None, request)
    refresh_vulnerability(tps.operation)
    tps.refresh_from_db()
    after = {"category": tps.category, "reason": tps.category_reason, "effective": tps.effective_category}
    record(request, "override_category", "tps", tps.code, operation_id=tps.operation_id, before=before, after=after)
    return tps


def export_scenario(operation: Operation, path: Path) -> None:
    from siaga.core.data.scenario import write_scenario

    write_scenario(scenario_for(operation), path)


# ---------------------------------------------------------------- vulnerability pages and the map


@dataclasses.dataclass(frozen=True)
class Vulnerability:
    """An operation's scenario, its risk model and every TPS's assessment (by TPS code),
    computed once for a page."""

    scenario: Scenario
    model: risk.RiskModel
    assessments: dict[str, risk.Assessment]


def vulnerability_of(operation: Operation, **tps_filter: Any) -> Vulnerability:
    """The operation's TPS (those matching `tps_filter`, default all) scored and explained by
    the core with the operation sheet's weights. Unlike scenario_for it reads only what scoring
    needs (the regions and those TPS, no people or units): 2,000 TPS take about 30 ms."""
    core_op = core_operation(operation)
    regions = tuple(
        CoreRegion(code, name, Level(level), parent, lat, lon, indicators)
        for code, name, level, parent, lat, lon, indicators in operation.regions.order_by("id").values_list(
            "code", "name", "level", "parent_code", "lat", "lon", "indicators"
        )
    )
    rows = operation.tps_set.filter(**tps_filter).order_by("id")
    core_tps = tuple(
        CoreTps(code, desa, number, voters, lat, lon, address, Category(cat) if cat else None, reason, indicators)
        for code, desa, number, voters, lat, lon, address, cat, reason, indicators in rows.values_list(
            "code",
            "desa_code",
            "number",
            "voters",
            "lat",
            "lon",
            "address",
            "category",
            "category_reason",
            "indicators",
        )
    )
    scenario = Scenario(core_op, regions, core_tps, (), ())
    model = risk.operation_model(core_op)
    return Vulnerability(scenario, model, risk.assess(scenario, model))


def reserve_reach_km(operation: Operation) -> float:
    """How far (straight line) a reserve team gets within the response time, as the planner
    counts it: speed x minutes / 60 / road factor."""
    defaults = {f.name: f.default for f in dataclasses.fields(CoreOperation)}
    speed, minutes, road = (
        float(operation.config.get(k, defaults[k])) for k in ("speed_kmh", "response_minutes", "road_factor")
    )
    return speed * minutes / 60 / road


def post_staffing(plan_data: dict[str, Any]) -> dict[str, dict[str, int]]:
    """People assigned to each post of a `siaga-plan/1` plan, by slot (POLRI, TNI, ...)."""
    out: dict[str, dict[str, int]] = {}
    for a in plan_data.get("assignments", []):
        slots = out.setdefault(a["post"], {})
        slots[a["slot"]] = slots.get(a["slot"], 0) + 1
    return out


# ---------------------------------------------------------------- edits by hand

TPS_EDITABLE = frozenset({"number", "voters", "lat", "lon", "address"})
PERSON_EDITABLE = frozenset({"rank", "position", "phone", "available", "unit_code", "desa_code"})
# What the vulnerability score reads from a TPS row; the hand edits above leave it alone.
RISK_INPUTS = frozenset({"desa_code", "category", "category_reason", "indicators"})


@transaction.atomic
def edit_tps(tps: Tps, changes: dict[str, Any], request: Any = None) -> list[str]:
    """Set some of a TPS's fields to values already validated (siaga.operations.forms),
    audited with before and after. Returns the fields that changed; none: nothing written."""
    changes = dict(changes)
    seen = changes.pop(VERSION_FIELD, None)
    changed = _apply(tps, changes, TPS_EDITABLE)
    if not changed:
        return []
    before, after = changed
    _save_edit(tps, after, seen, request)
    if RISK_INPUTS & set(after):
        refresh_vulnerability(tps.operation)
    record(request, "edit", "tps", tps.code, operation_id=tps.operation_id, before=before, after=after)
    return list(after)


@transaction.atomic
def edit_person(person: Person, changes: dict[str, Any], request: Any = None) -> list[str]:
    """Like edit_tps for one person. A new unit (or, for LINMAS, a new desa) moves the person
    to that unit's (desa's) kecamatan, which decides which sector chief sees them."""
    changes = dict(changes)
    seen = changes.pop(VERSION_FIELD, None)
    if "unit_code" in changes and changes["unit_code"] != person.unit_code:
        unit = Unit.objects.get(operation_id=person.operation_id, code=changes["unit_code"])
        changes["kecamatan_code"] = unit.kecamatan_code
    if "desa_code" in changes and changes["desa_code"] != person.desa_code and person.force == Force.LINMAS:
        desa = Region.objects.get(operation_id=person.operation_id, code=changes["desa_code"])
        changes["kecamatan_code"] = desa.kecamatan_code
    changed = _apply(person, changes, PERSON_EDITABLE | {"kecamatan_code"})
    if not changed:
        return []
    before, after = changed
    _save_edit(person, after, seen, request)
    record(request, "edit", "person", person.code, operation_id=person.operation_id, before=before, after=after)
    return list(after)


@transaction.atomic
def pin_person(person: Person, pinned_post: str, reason: str, request: Any = None) -> bool:
    """Pin a person (`pinned_post`: STAF, TIDAK, a post id, a TPS id or a desa code; see
    siaga.core.data.pins) with its reason, or with "" unpin them; audited as "pin" or "unpin"
    with before and after. Every later plan, re-plan and absentee re-plan reads it from this
    row. Returns whether anything changed."""
    pinned_post, reason = pinned_post.strip(), reason.strip() if pinned_post.strip() else ""
    before = {"pinned_post": person.pinned_post, "pin_reason": person.pin_reason}
    after = {"pinned_post": pinned_post, "pin_reason": reason}
    if before == after:
        return False
    person.pinned_post, person.pin_reason = pinned_post, reason
    _save_edit(person, after, None, request)
    action = "pin" if pinned_post else "unpin"
    record(request, action, "person", person.code, operation_id=person.operation_id, before=before, after=after)
    return True


VERSION_FIELD = "edit_version"  # the version an edit form was opened on (siaga.operations.forms)


class EditConflict(Exception):
    """An edit made on a version of a row that another save has since replaced: nothing was
    written. `current` is the row as it is now (its `edited_by` and `edited_at` say who and when)."""

    def __init__(self, current: Any, seen: int):
        super().__init__(f"{type(current).__name__} {current.pk}: opened at version {seen}, now {current.edit_version}")
        self.current, self.seen = current, seen


def database_busy(exc: Exception) -> bool:
    """Whether a database error says another write held the lock longer than this one waited
    (SQLite: "database is locked" after its busy timeout; PostgreSQL: a lock or statement
    timeout, when one is configured): nothing was written, and the same save may be tried again."""
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text or "lock timeout" in text


def busy_message() -> str:
    from django.utils.translation import gettext as _

    return _("Basis data sedang sibuk menyimpan perubahan lain; belum ada yang disimpan. Coba simpan lagi.")


def _edit_stamp(request: Any) -> dict[str, Any]:
    """The columns every console save sets besides its own: the version one up, who, when."""
    user = getattr(request, "user", None)
    name = str(user.get_username()) if user is not None and user.is_authenticated else ""
    return {VERSION_FIELD: models.F(VERSION_FIELD) + 1, "edited_by": name, "edited_at": timezone.now()}


def _save_edit(row: Any, after: dict[str, Any], seen: int | None, request: Any) -> None:
    """Write `after` to the row in one `UPDATE ... WHERE pk = ? AND edit_version = ?` (the
    version the edit form was opened on; None: a save that names no version, e.g. a pin),
    raising `EditConflict` (nothing written) when another save came first."""
    model = type(row)
    rows = model._default_manager.filter(pk=row.pk)
    if seen is not None:
        rows = rows.filter(**{VERSION_FIELD: seen})
    if rows.update(**after, **_edit_stamp(request)) != 1:
        current = model._default_manager.filter(pk=row.pk).first()
        if current is None:  # removed meanwhile
            raise model.DoesNotExist(f"{model.__name__} {row.pk}")
        raise EditConflict(current, seen if seen is not None else current.edit_version)
    row.refresh_from_db(fields=[VERSION_FIELD, "edited_by", "edited_at"])


def _apply(row: Any, changes: dict[str, Any], editable: frozenset[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Set the fields that differ; (before, after) of those, or None when nothing differs."""
    unknown = set(changes) - editable
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = {f: getattr(row, f) for f, v in changes.items() if getattr(row, f) != v}
    if not before:
        return None
    after = {f: changes[f] for f in before}
    for f, v in after.items():
        setattr(row, f, v)
    return before, after


# ---------------------------------------------------------------- the roster's posts, bulk actions


def post_names(plan: Any, person_codes: list[str]) -> dict[str, str]:
    """Person code -> the name of their post in `plan`, as the Sprin names it and in the
    page's language (`plans.names.post_labels`), for these people only."""
    from siaga.plans.models import PlanAssignment
    from siaga.plans.names import post_labels

    rows = list(
        PlanAssignment.objects.filter(plan=plan, person_code__in=person_codes).values_list("person_code", "post__code")
    )
    names = post_labels(plan, {post for _, post in rows})
    return {person: names.get(post, "") for person, post in rows}


@transaction.atomic
def set_availability(people: models.QuerySet[Person], available: bool, request: Any = None) -> int:
    """Mark these people ready (or not), audited as one entry naming them. Returns how many
    changed (those already so are left alone)."""
    changing = people.exclude(available=available)
    codes = list(changing.values_list("code", flat=True))
    if not codes:
        return 0
    operation_id = int(changing.values_list("operation_id", flat=True).first() or 0)
    Person.objects.filter(operation_id=operation_id, code__in=codes).update(available=available, **_edit_stamp(request))
    before = {"available": not available, "persons": codes}
    record(
        request,
        "bulk_availability",
        "personnel",
        "",
        operation_id=operation_id,
        before=before,
        after={"available": available, "persons": codes},
    )
    return len(codes)


@transaction.atomic
def set_categories(
    operation: Operation, tps_list: models.QuerySet[Tps], category: str, reason: str, request: Any = None
) -> int:
    """Set (or with "" clear) the category of these TPS by hand with one reason, scored again
    once, audited as one entry with each TPS's category before and after."""
    reason = reason if category else ""
    before = {code: cat for code, cat in tps_list.values_list("code", "effective_category")}
    changed = tps_list.exclude(category=category, category_reason=reason)
    codes = list(changed.values_list("code", flat=True))
    if not codes:
        return 0
    Tps.objects.filter(operation=operation, code__in=codes).update(
        category=category, category_reason=reason, **_edit_stamp(request)
    )
    refresh_vulnerability(operation)
    after = dict(Tps.objects.filter(operation=operation, code__in=codes).values_list("code", "effective_category"))
    record(
        request,
        "bulk_category",
        "tps",
        "",
        operation_id=operation.pk,
        before={c: before[c] for c in codes},
        after={"category": category, "reason": reason, "effective": after},
    )
    return len(codes)


# ---------------------------------------------------------------- add and remove rows


@transaction.atomic
def add_row(model: type[models.Model], operation: Operation, values: dict[str, Any], request: Any = None) -> Any:
    """A new person, TPS or unit with values already validated (siaga.operations.forms), audited."""
    row = model(operation=operation, **values)
    row.save()
    if isinstance(row, Tps):
        refresh_vulnerability(operation)
        row.refresh_from_db()
    kind = model._meta.model_name
    record(request, "add", str(kind), values.get("code", ""), operation_id=operation.pk, after=_jsonable(values))
    return row


def dependents(row: Person | Tps | Unit) -> str:
    """Why this row may not be removed ("" if it may): what still depends on it, in words."""
    from django.utils.translation import gettext as _

    from siaga.plans.models import Plan, PlanAssignment, PlanTps

    live = [Plan.Status.APPROVED, Plan.Status.PUBLISHED]
    in_live_plan = PlanAssignment.objects.filter(plan__operation_id=row.operation_id, plan__status__in=live)
    if isinstance(row, Person) and in_live_plan.filter(person_code=row.code).exists():
        return _(
            "%(name)s ditugaskan dalam rencana yang disetujui atau diterbitkan. Tandai tidak siap, jangan dihapus."
        ) % {"name": row}
    if isinstance(row, Tps):
        if PlanTps.objects.filter(
            plan__operation_id=row.operation_id, plan__status__in=live, tps_code=row.code
        ).exists():
            return _("TPS %(tps)s dijaga dalam rencana yang disetujui atau diterbitkan; susun rencana baru dulu.") % {
                "tps": row.code
            }
        if Person.objects.filter(operation_id=row.operation_id, tps_code=row.code).exists():
            return _("Anggota Linmas masih ditetapkan pada TPS %(tps)s (SK PPS); pindahkan mereka dulu.") % {
                "tps": row.code
            }
    if isinstance(row, Unit):
        members = Person.objects.filter(operation_id=row.operation_id, unit_code=row.code).count()
        if members:
            return _("Satuan %(unit)s masih beranggota %(n)s personel; pindahkan mereka dulu.") % {
                "unit": row.name,
                "n": members,
            }
        if Unit.objects.filter(operation_id=row.operation_id, parent_code=row.code).exists():
            return _("Satuan %(unit)s masih menjadi induk satuan lain.") % {"unit": row.name}
    return ""


@transaction.atomic
def remove_row(row: Person | Tps | Unit, request: Any = None) -> str:
    """Remove the row, audited, unless something depends on it; returns the refusal ("" when removed)."""
    refusal = dependents(row)
    if refusal:
        return refusal
    kind = row._meta.model_name
    before = _jsonable(
        {
            f.attname: getattr(row, f.attname)
            for f in row._meta.concrete_fields
            if f.attname not in ("id", "operation_id", VERSION_FIELD, "edited_by", "edited_at")
        }
    )
    operation = row.operation
    keep_former_ids(type(row)._default_manager.filter(pk=row.pk))
    row.delete()
    if isinstance(row, Tps):
        refresh_vulnerability(operation)
    record(request, "remove", str(kind), row.code, operation_id=operation.pk, before=before)
    return ""


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.value if hasattr(v, "value") else v for k, v in values.items()}


@transaction.atomic
def rename_operation(operation: Operation, name: str, request: Any = None) -> None:
    before = operation.name
    operation.name = name
    operation.save(update_fields=["name"])
    record(
        request,
        "rename",
        "operation",
        operation.pk,
        operation_id=operation.pk,
        before={"name": before},
        after={"name": name},
    )


@transaction.atomic
def archive_operation(operation: Operation, archived: bool, request: Any = None) -> None:
    operation.archived = archived
    operation.save(update_fields=["archived"])
    record(request, "archive" if archived else "unarchive", "operation", operation.pk, operation_id=operation.pk)


UNIT_EDITABLE = frozenset({"name", "kind", "kecamatan_code", "lat", "lon"})


@transaction.atomic
def edit_unit(unit: Unit, changes: dict[str, Any], request: Any = None) -> list[str]:
    """Like edit_tps for a unit; a new kecamatan moves its (non-Linmas) members with it."""
    changes = dict(changes)
    seen = changes.pop(VERSION_FIELD, None)
    changed = _apply(unit, changes, UNIT_EDITABLE)
    if not changed:
        return []
    before, after = changed
    _save_edit(unit, after, seen, request)
    if "kecamatan_code" in after:
        members = Person.objects.filter(operation_id=unit.operation_id, unit_code=unit.code)
        members.exclude(force=Force.LINMAS).update(kecamatan_code=unit.kecamatan_code)
    record(request, "edit", "unit", unit.code, operation_id=unit.operation_id, before=before, after=after)
    return list(after)
