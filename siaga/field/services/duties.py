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
    election = scenario.operation.election_date
    rows: list[DutyRow] = []
    coming = True
    lines = schedule.of_person(schedule.build(scenario, core, lang)).get(person_code, []) if person_code else []
    for block, line in lines:
        state = "done" if line.duty.end <= now else "now" if line.duty.start <= now else ""
        if state != "done" and coming:
            state, coming = state or "next", False
        window = schedule.window(election, line.duty.start, line.duty.end, lang=lang)
        name = duty_data.duty_name(line.name, lang)
        d = line.duty
        rows.append(DutyRow(name, line.place, window, block.stage.name, state, d.start, d.end, d.kecamatan_code))
    return PhoneNames(names, rows)


def tps_places(plan: Plan, codes: list[str]) -> dict[str, dict[str, Any]]:
    """TPS code -> its name as people read it ("TPS 3 Semare") and a geo: link to it, which the
    phone's own map app opens without a network call of ours."""
    desa = dict(plan.operation.regions.order_by().values_list("code", "name"))
    rows = Tps.objects.filter(operation_id=plan.operation_id, code__in=codes).order_by()
    return {
        t.code: {
            "name": f"TPS {t.number} {desa.get(t.desa_code, '')}".strip(),
            "geo": f"geo:{t.lat:.6f},{t.lon:.6f}?q={t.lat:.6f},{t.lon:.6f}",
        }
        for t in rows
    }
