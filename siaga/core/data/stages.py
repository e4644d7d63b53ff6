"""The operation in time: its stages (tahapan), from the scenario's `stages` sheet or a preset.

An operation runs in stages with date-time windows (DOCTRINE.md section 10): for a Pemilu or a
Pilkada the campaign, the quiet days, the escort of the logistics about H-5, the apel
pergeseran and the move to the posts, voting and counting, the escort of the boxes, the PPK and
KPU recapitulation; for a Pilkades the apel and the move on H-n, voting and counting, the escort
of the boxes to the balai desa and the decision (penetapan). Stages may overlap.

A scenario that names its stages (the `stages` [`tahapan`] sheet) is taken as written. One that
does not gets its election kind's preset, laid around the voting day and the operation's
`pergeseran_day` (H-1, H-2, H-3...). What is sourced is said beside each window; the rest is
Siaga's default (docs/scenario.md 2.12), which a `stages` sheet overrides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from siaga.core.data.model import Operation, Scenario, Stage, StageKind
from siaga.core.data.patterns import PRESETS
from siaga.core.data.text import gettext_noop

K = StageKind


@dataclass(frozen=True, slots=True)
class Window:
    """A preset stage: its kind and name, from day `start_day` at `start_time` to day
    `end_day` at `end_time`, days counted from the voting day (H); "P" stands for the
    operation's pergeseran day (H - pergeseran_day)."""

    kind: StageKind
    name: str
    start_day: int | str
    start_time: str
    end_day: int | str
    end_time: str
    source: str = "Siaga's default"


# Voting and counting, the same in every election.
VOTE = Window(
    K.PEMUNGUTAN,
    gettext_noop("Pemungutan dan penghitungan suara"),
    0,
    "07:00",
    1,
    "12:00",
    "voting 07:00-13:00; the count may run to 12:00 on H+1 (MK 20/PUU-XVII/2019)",
)

PILKADES: tuple[Window, ...] = (
    Window(
        K.APEL_PERGESERAN,
        gettext_noop("Apel gelar pasukan dan pergeseran"),
        "P",
        "07:00",
        "P",
        "09:00",
        "DOCTRINE.md 5: H-1",
    ),
    Window(K.PERGESERAN, gettext_noop("Pergeseran pasukan ke pos dan pengamanan logistik"), "P", "09:00", 0, "07:00"),
    Window(
        K.PEMUNGUTAN,
        gettext_noop("Pemungutan dan penghitungan suara"),
        0,
        "07:00",
        0,
        "17:00",
        "Siaga's default: one ballot, counted on the day",
    ),
    Window(
        K.PENGAWALAN,
        gettext_noop("Pengawalan kotak suara dan penjagaan balai desa"),
        0,
        "17:00",
        1,
        "08:00",
        "Siaga's default: the boxes go to the balai desa and are guarded there through the night",
    ),
    Window(
        K.PENETAPAN,
        gettext_noop("Penetapan calon kepala desa terpilih"),
        1,
        "08:00",
        7,
        "16:00",
        "Permendagri 112/2014: the committee reports to the BPD within 7 days",
    ),
)

_VOTE_AND_AFTER: tuple[Window, ...] = (
    Window(
        K.MASA_TENANG,
        gettext_noop("Masa tenang"),
        -3,
        "00:00",
        0,
        "00:00",
        "Pilkada 2024: 24-26 November, vote 27 November",
    ),
    Window(
        K.DISTRIBUSI_LOGISTIK,
        gettext_noop("Distribusi dan pengawalan logistik"),
        -5,
        "06:00",
        -2,
        "18:00",
        "about H-5 (DOCTRINE 11)",
    ),
    Window(
        K.APEL_PERGESERAN,
        gettext_noop("Apel pergeseran pasukan"),
        "P",
        "07:00",
        "P",
        "09:00",
        "H-1 to H-3 (DOCTRINE 10)",
    ),
    Window(K.PERGESERAN, gettext_noop("Pergeseran pasukan ke TPS dan pengamanan logistik"), "P", "09:00", 0, "07:00"),
    VOTE,
    Window(K.PENGAWALAN, gettext_noop("Pengawalan kotak suara ke PPS dan PPK"), 0, "13:00", 1, "18:00"),
    Window(K.REKAP_PPK, gettext_noop("Rekapitulasi di PPK"), 1, "08:00", 4, "08:00"),
)

PEMILU: tuple[Window, ...] = (
    Window(
        K.KAMPANYE,
        gettext_noop("Kampanye"),
        -78,
        "00:00",
        -3,
        "00:00",
        "Pemilu 2024: 28 November 2023 - 10 February 2024",
    ),
    *_VOTE_AND_AFTER,
    Window(
        K.REKAP_KPU,
        gettext_noop("Rekapitulasi di KPU"),
        4,
        "08:00",
        35,
        "16:00",
        "Pemilu 2024: results set on 20 March (H+35)",
    ),
)

PILKADA: tuple[Window, ...] = (
    Window(K.KAMPANYE, gettext_noop("Kampanye"), -63, "00:00", -3, "00:00", "Pilkada 2024: 25 September - 23 November"),
    *_VOTE_AND_AFTER,
    Window(
        K.REKAP_KPU, gettext_noop("Rekapitulasi di KPU"), 4, "08:00", 19, "16:00", "Pilkada 2024: to 16 December (H+19)"
    ),
)

PRESET_WINDOWS = {"PILKADES": PILKADES, "PEMILU": PEMILU, "PILKADA": PILKADA}


def election_of(operation: Operation) -> str:
    """PILKADES, PILKADA or PEMILU: the operation's name says it first, then its preset."""
    words = f"{operation.name} {operation.pattern}".lower()
    for kind in ("PILKADES", "PILKADA", "PEMILU"):
        if kind.lower() in words:
            return kind
    preset = PRESETS.get(operation.pattern)
    return preset.election if preset else "PEMILU"


def _at(operation: Operation, day: int | str, time: str) -> dt.datetime:
    offset = -operation.pergeseran_day if day == "P" else int(day)
    date = operation.election_date + dt.timedelta(days=offset)
    return dt.datetime.combine(date, dt.time.fromisoformat(time))


def preset(operation: Operation) -> tuple[Stage, ...]:
    """The stages of the operation's election kind, laid around its voting day."""
    return tuple(
        Stage(w.name, w.kind, _at(operation, w.start_day, w.start_time), _at(operation, w.end_day, w.end_time))
        for w in PRESET_WINDOWS[election_of(operation)]
    )


def of(scenario: Scenario) -> tuple[Stage, ...]:
    """The scenario's stages as written, else its preset's; in order of start."""
    return of_operation(scenario.operation, scenario.stages)


def of_operation(operation: Operation, written: tuple[Stage, ...]) -> tuple[Stage, ...]:
    """The stages as written, else the operation's preset; in order of start."""
    return tuple(sorted(written or preset(operation), key=lambda s: (s.start, s.end)))


def first(scenario: Scenario, kind: StageKind) -> Stage | None:
    return next((s for s in of(scenario) if s.kind == kind), None)


def h_day(election: dt.date, moment: dt.datetime | dt.date) -> str:
    """A day as the orders write it, counted from the voting day: H-1, H, H+1."""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    n = (day - election).days
    return "H" if n == 0 else f"H{n:+d}"


MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def day_text(moment: dt.datetime) -> str:
    return f"{moment.day} {MONTHS_SHORT[moment.month - 1]}"


def window_text(start: dt.datetime, end: dt.datetime) -> str:
    """A duty's window as the orders write it: "15 Feb 19.00-07.00" when it is shorter than a
    day (the end the next morning reads as such), else with the end's day: "15 Feb 08.00 - 16 Feb
    08.00" (a whole day: "08.00-08.00" would read as no time at all), "15 Feb 08.00 - 18 Feb 08.00"."""
    if end - start < dt.timedelta(days=1):
        return f"{day_text(start)} {start:%H.%M}-{end:%H.%M}"
    return f"{day_text(start)} {start:%H.%M} - {day_text(end)} {end:%H.%M}"


def as_records(stages: tuple[Stage, ...]) -> list[dict[str, Any]]:
    """Stages as JSON-ready records (ISO date-times), e.g. for the console's operation."""
    return [
        {"name": s.name, "kind": s.kind.value, "start": s.start.isoformat(), "end": s.end.isoformat()}
        | ({"tps": list(s.tps)} if s.tps else {})
        for s in stages
    ]


def from_records(records: list[dict[str, Any]]) -> tuple[Stage, ...]:
    return tuple(
        Stage(
            r["name"],
            StageKind(r["kind"]),
            dt.datetime.fromisoformat(r["start"]),
            dt.datetime.fromisoformat(r["end"]),
            tuple(r.get("tps", ())),
        )
        for r in records
    )
