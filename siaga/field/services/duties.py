"""What the phone page reads beyond the board: posts and TPS by the names people read (the
Sprin's names, `ploting.post_names`; never a post id or a TPS code), and the person's roster
with his next duty (the roster card's lines: `schedule.of_person`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from siaga.core.data import duties as duty_data
from siaga.core.documents import schedule
from siaga.core.documents.ploting import post_names
from siaga.operations.models import Tps
from siaga.operations.services import scenario_for
from siaga.plans.models import Plan
from siaga.plans.names import operation_post_labels, post_labels, reader_lang  # noqa: F401  (the field reads them here too)
from siaga.plans.store import core_plan


@dataclass(frozen=True)
class DutyRow:
    """One duty of a person's roster as the phone lists it; `state` is done, now or next (the
    first duty not over yet) or empty (a later one)."""

    name: str
    place: str
    window: str  # "H-1 Sel 22/03 07:00 s.d. H Rab 23/03 17:00"
    stage: str
    state: str
    # when and where, for a page that sums a roster's hours or narrows it to one kecamatan
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    kecamatan_code: str = ""


@dataclass(frozen=True)
class PhoneNames:
    posts: dict[str, str]  # post id -> "Pos TPS 1-3 Desa Semare"
    duties: list[DutyRow]  # the person's roster, in order of time

    @property
    def next(self) -> DutyRow | None:
        return next((d for d in self.duties if d.state in ("now", "next")), None)


def phone_names(plan: Plan, person_code: str, now: dt.datetime) -> PhoneNames:
    """The plan's post names and the roster of `person_code` (none when blank) at `now` (the
    operation's local time without a zone, as the roster is written)."""
    scenario = scenario_for(plan.operation)
    core = core_plan(plan)
    lang = reader_lang()
    names = post_names(scenario, core.posts, lang)
    lines = schedule.of_person(schedule.build(scenario, core, lang)).get(person_code, []) if person_code else []
    return PhoneNames(names, duty_rows(lines, scenario.operation.election_date, now, lang))


def duty_rows(
    lines: list[tuple[schedule.StageBlock, schedule.DutyLine]], election: dt.date, now: dt.datetime, lang: str
) -> list[DutyRow]:
    """A person's duties (`schedule.of_person`) as the phone lists them at `now`, in `lang`."""
    rows: list[DutyRow] = []
    coming = True
    for block, line in lines:
        state = "done" if line.duty.end <= now else "now" if line.duty.start <= now else ""
        if state != "done" and coming:
            state, coming = state or "next", False
        window = schedule.window(election, line.duty.start, line.duty.end, lang=lang)
        name = duty_data.duty_name(line.name, lang)
        d = line.duty
        stage = schedule.stage_of(block, line)
        rows.append(DutyRow(name, line.place, window, stage, state, d.start, d.end, d.kecamatan_code))
    return rows


def tps_places(plan: Plan, codes: list[str]) -> dict[str, dict[str, Any]]:
    """TPS code -> its name as people read it ("TPS 3 Semare") and a geo: link to it, which the
    phone's own map app opens without a network call of ours."""
    fields = ("code", "number", "desa_code", "lat", "lon")  # tuples: a planner's page names every TPS
    rows = list(Tps.objects.filter(operation_id=plan.operation_id, code__in=codes).order_by().values_list(*fields))
    places = {row[2] for row in rows}  # their desa only, not the operation's every region
    desa = dict(plan.operation.regions.filter(code__in=places).order_by().values_list("code", "name"))
    return {
        code: {
            "name": f"TPS {number} {desa.get(desa_code, '')}".strip(),
            "geo": f"geo:{lat:.6f},{lon:.6f}?q={lat:.6f},{lon:.6f}",
        }
        for code, number, desa_code, lat, lon in rows
    }
