"""The operation's duties by stage, with who holds them: what the time-phased annex of the
Sprin, the Renpam of a stage and the cards' rosters print (docs/scenario.md 2.13).

The vote's posts are the plan's (`duties.vote_duties`), named as the Sprin names them
(ploting.post_names); the other stages' duties are the roster's (`plan.extra["roster"]`). A
plan made before rosters gives the vote's posts only. A duty's leader is its ketua pos
(`ranks.ketua_pos`) over the people on it. Times are written as the orders write them: the
day counted from the voting day (H-1, H, H+1), the weekday and the date, then the hour.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from siaga.core.data import duties as duty_data
from siaga.core.data import stages as stage_data
from siaga.core.data.model import Duty, Person, Plan, Scenario, Stage
from siaga.core.data.ranks import ketua_pos
from siaga.core.data.text import TranslatedError, gettext_noop
from siaga.core.documents.ploting import POLRES_LEVEL, SLOT_LABEL, post_names
from siaga.core.planning import roster as roster_data

DAY_SHORT = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
DAY_SHORT_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SLOT_ORDER = ("POLRI", "BRIMOB", "TNI", "LINMAS")


class StageError(TranslatedError, ValueError):
    """A stage asked for by a name or number the operation does not have."""


@dataclass(frozen=True)
class DutyLine:
    """One duty of a stage: its name and place as people read them, the people on it (with
    their slot), the ketua pos, and per slot what it asks for, what is filled and what is short."""

    duty: Duty
    name: str
    place: str
    people: tuple[tuple[Person, str], ...]
    ketua: Person | None
    required: Mapping[str, int]
    filled: Mapping[str, int]
    short: Mapping[str, int]
    vote: bool  # one of the vote's posts (the Sprin's ploting names its people)


@dataclass(frozen=True)
class StageBlock:
    number: int  # 1, 2, ... in order of start: what `--stage` takes
    stage: Stage
    lines: tuple[DutyLine, ...]

    def total(self, which: str) -> int:
        """The sum over the stage's duties of `required`, `filled` or `short`."""
        return sum(sum(getattr(line, which).values()) for line in self.lines)


def build(scenario: Scenario, plan: Plan, lang: str = "id") -> list[StageBlock]:
    """Every stage of the operation in order of start, each with its duties in order of time;
    the vote's posts named in `lang` (the orders' are Indonesian)."""
    persons = {p.id: p for p in scenario.personnel}
    names = post_names(scenario, plan.posts, lang)
    vote = duty_data.vote_duties(scenario, plan.posts)
    held: dict[str, list[tuple[Person, str]]] = defaultdict(list)
    short: dict[str, Counter[str]] = defaultdict(Counter)
    for a in plan.assignments:
        if a.person in persons:
            held[a.post].append((persons[a.person], a.slot))
    for u in plan.unfilled:
        short[u.post][u.slot] += u.count
    roster = roster_data.of_plan(plan)
    others: Sequence[Duty] = roster.duties if roster is not None else ()
    if roster is not None:
        for a in roster.assignments:
            if a.person in persons:
                held[a.post].append((persons[a.person], a.slot))
        for u in roster.unfilled:
            short[u.post][u.slot] += u.count
    places = _place_names(scenario)
    lines: dict[str, list[DutyLine]] = defaultdict(list)
    for d in sorted([*vote, *others], key=lambda d: (d.start, d.end, d.name, d.id)):
        people = tuple(sorted(held[d.id], key=lambda x: (SLOT_ORDER.index(x[1]) if x[1] in SLOT_ORDER else 9, x[0].id)))
        filled = Counter(slot for _, slot in people)
        name = names.get(d.id, d.name)
        if d.shift:
            name = f"{name}, shift {d.shift}"
        lines[d.stage].append(
            DutyLine(
                d,
                name,
                _place(d, places),
                people,
                ketua_pos(p for p, _ in people),
                dict(d.required),
                {s: filled[s] for s in d.required},
                {s: short[d.id][s] for s in d.required if short[d.id][s]},
                d.id in names,
            )
        )
    found = stage_data.of(scenario)
    blocks = [StageBlock(n, s, tuple(lines.pop(s.name, []))) for n, s in enumerate(found, start=1)]
    return blocks  # a duty of a stage no longer in the scenario is not printed: the checker refuses that plan


def stage_of(block: StageBlock, line: DutyLine) -> str:
    """What a person's duty is read under: the vote's posts' own name (`duties.VOTE_POSTS`: they
    start at the apel pergeseran, before the voting stage that holds them), else its stage's."""
    return duty_data.VOTE_POSTS if line.vote else block.stage.name


def find(blocks: Sequence[StageBlock], key: str) -> StageBlock:
    """The stage named by `key`: its number (1, 2, ...), its name or its kind (REKAP_PPK), in
    any case, or a word of its name that only one stage has. Raises StageError."""
    text = " ".join(key.split()).casefold()
    if text.isdigit() and 1 <= int(text) <= len(blocks):
        return blocks[int(text) - 1]
    for test in (
        lambda b: b.stage.name.casefold() == text,
        lambda b: b.stage.kind.value.casefold() == text,
        lambda b: text in b.stage.name.casefold(),
    ):
        hits = [b for b in blocks if test(b)]
        if len(hits) == 1:
            return hits[0]
    known = "; ".join(f"{b.number}. {b.stage.name}" for b in blocks)
    raise StageError(gettext_noop("Tahap tidak dikenal: %(key)s. Tahap: %(known)s"), key=repr(key), known=known)


def _place_names(scenario: Scenario) -> dict[str, str]:
    regions = scenario.region_by_code()
    out = {code: r.name for code, r in regions.items()}
    out[""] = POLRES_LEVEL
    return out


def _place(d: Duty, names: Mapping[str, str]) -> str:
    """Where a duty is held: an escort's legs, else its desa and kecamatan, else the Polres."""
    if d.route:
        return " - ".join(d.route)
    desa, kec = names.get(d.desa_code, ""), names.get(d.kecamatan_code, "")
    if d.desa_code and desa:
        return f"Desa {desa}, Kec. {kec}" if kec else f"Desa {desa}"
    if d.kecamatan_code and kec:
        return f"Kec. {kec}"
    return names[""]


# ---------------------------------------------------------------- how the orders write time


def clock(at: dt.datetime, lang: str = "id") -> str:
    """The time of day as a reader of `lang` writes it: "09.00" (Indonesian, as the orders write
    "pukul 09.00 WIB"), "09:00" (English)."""
    return f"{at:%H.%M}" if lang == "id" else f"{at:%H:%M}"


def moment(election: dt.date, at: dt.datetime, year: bool = False, lang: str = "id") -> str:
    """ "H-1 Sen 12/02 09.00" (with the year when asked); "H-1 Mon 12/02 09:00" in English."""
    date = f"{at:%d/%m/%Y}" if year else f"{at:%d/%m}"
    day = (DAY_SHORT if lang == "id" else DAY_SHORT_EN)[at.weekday()]
    return f"{stage_data.h_day(election, at)} {day} {date} {clock(at, lang)}"


def window(election: dt.date, start: dt.datetime, end: dt.datetime, year: bool = False, lang: str = "id") -> str:
    """ "H-5 Sen 12/02 10.00 - 18.00" within a day, else "H-1 Sen 12/02 09.00 s.d. H+1 Kam 15/02 12.00"
    ("... until ..." in English)."""
    if start.date() == end.date():
        return f"{moment(election, start, year, lang)} - {clock(end, lang)}"
    until = "s.d." if lang == "id" else "until"
    return f"{moment(election, start, year, lang)} {until} {moment(election, end, year, lang)}"


def hours(start: dt.datetime, end: dt.datetime) -> str:
    """ "8 jam", "3 hari 4 jam"."""
    total = round((end - start).total_seconds() / 3600)
    days, rest = divmod(total, 24)
    if days and total > 48:
        return f"{days} hari {rest} jam" if rest else f"{days} hari"
    return f"{total} jam"


def by_slot(counts: Mapping[str, int]) -> str:
    """ "Polri 10, Linmas 4, TNI 2"; "-" when nothing."""
    parts = [f"{SLOT_LABEL.get(s, s)} {n}" for s, n in sorted(counts.items(), key=_slot_key) if n]
    return ", ".join(parts) or "-"


def _slot_key(item: tuple[str, int]) -> int:
    return SLOT_ORDER.index(item[0]) if item[0] in SLOT_ORDER else len(SLOT_ORDER)


def of_person(blocks: Iterable[StageBlock]) -> dict[str, list[tuple[StageBlock, DutyLine]]]:
    """Each person's duties, in order of time, with their stage."""
    out: dict[str, list[tuple[StageBlock, DutyLine]]] = defaultdict(list)
    for block in blocks:
        for line in block.lines:
            for person, _ in line.people:
                out[person.id].append((block, line))
    for duties in out.values():
        duties.sort(key=lambda x: (x[1].duty.start, x[1].duty.end, x[1].duty.id))
    return out


def scoped(blocks: Iterable[StageBlock], kecamatan_code: str) -> list[StageBlock]:
    """The blocks with the duties of one kecamatan only (a petikan); all of them for ""."""
    if not kecamatan_code:
        return list(blocks)
    return [
        StageBlock(b.number, b.stage, tuple(x for x in b.lines if x.duty.kecamatan_code == kecamatan_code))
        for b in blocks
    ]


def overlapping(blocks: Sequence[StageBlock], block: StageBlock) -> str:
    """What runs during `block`'s window from the other stages, as the orders write it: "7 tugas
    tahap 3 (Masa tenang); 45 pos Pergeseran dan pengamanan TPS (tahap 6)", the vote's posts by
    their own name (`duties.VOTE_POSTS`); "" when nothing does."""
    parts = []
    for other in blocks:
        if other is block:
            continue
        during = [x for x in other.lines if x.duty.start < block.stage.end and block.stage.start < x.duty.end]
        posts = sum(1 for x in during if x.vote)
        if len(during) > posts:
            parts.append(f"{_n(len(during) - posts)} tugas tahap {other.number} ({other.stage.name})")
        if posts:
            parts.append(f"{_n(posts)} pos {duty_data.VOTE_POSTS} (tahap {other.number})")
    return "; ".join(parts)


def _n(n: int) -> str:
    return f"{n:,}".replace(",", ".")
