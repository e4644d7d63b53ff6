"""The ploting: the annex of a Sprin, who stands where, as plain data.

`build(scenario, plan)` groups every assigned person by kecamatan > desa > post with the
column set of DOCTRINE.md section 5 (No, Nama, Pangkat, NRP, Satuan asal, Tugas, Kecamatan,
Desa, TPS, Kategori, Pola, Ketua pos, Padal, No. HP); the Sprin, the workbook and the cards are
drawn from it. A post's senior Polri or Brimob member is its *ketua pos* (the Sprin commands
them, not the TNI beside them; a post without Polri takes its senior member); the *Padal*
(perwira pengendali) is the officer controlling the kecamatan, its Kapolsek
(`positions.padal_by_kecamatan`), never the lone member of a TPS post (DOCTRINE.md section
9). Counting, decided here once:

- the headline counts the whole joint force of the scenario, as the seed's press release did
  ("950 personel, 7 kecamatan, 21 desa, 152 TPS"); the persons assigned to a post are shown
  beside it, and those not on a post (operation staff, on standby at the Mapolres, absent);
- a ploting scoped to one kecamatan (a sector chief's orders) holds the posts of that
  kecamatan only, and its headline counts the persons on those posts;
- reserve teams belong to the kecamatan they are staged in; a team staged at the Polres or
  another kecamatan-less unit is listed under "Tingkat Polres", after the kecamatan;
- every unfilled slot is listed, so a gap is never mistaken for a plan.

No document shows a post's internal id (`TPS-35.14.16.2007-1`, `RESERVE-KORAMIL-18-1`):
`post_names` gives every post the name a person reads ("Pos TPS 1-3 Desa Semare", "Cadangan
Brimob di Polsek Nguling (tim 1)"); the id stays inside the QR token only.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from siaga.core.data import labels, positions
from siaga.core.data.model import (
    Category,
    Force,
    Level,
    PatternRow,
    Person,
    Plan,
    Post,
    Region,
    Scenario,
    Unit,
    UnitKind,
)
from siaga.core.data.patterns import CUSTOM, PRESETS, rows_by_category
from siaga.core.data.patterns import title as title_of_pattern
from siaga.core.data.ranks import ketua_pos, seniority
from siaga.core.data.text import TranslatedError, _, gettext_noop

COLUMNS = (
    "No",
    "Nama",
    "Pangkat",
    "NRP/NIK",
    "Satuan asal",
    "Tugas",
    "Kecamatan",
    "Desa",
    "TPS",
    "Kategori",
    "Pola",
    "Ketua pos",
    "Padal",
    "No. HP",
)
TASK = {
    "TPS": gettext_noop("Pos TPS"),
    "PATROL": gettext_noop("Patroli TPS"),
    "VILLAGE": gettext_noop("Jaga balai desa"),
    "RESERVE": gettext_noop("Cadangan (Brimob)"),
    "STANDBY": gettext_noop("Siaga TNI"),
}
PATROL_PREFIX = "PATROL-"  # a patrol post is a TPS post covering many TPS (planning/posts.py)
# The orders are written in Indonesian: the words of siaga/core/data/labels.py as they are.
CATEGORY_LABEL = {c: labels.CATEGORY[c] for c in Category}
SLOT_LABEL = {s: labels.FORCE[s] for s in ("POLRI", "TNI", "LINMAS", "BRIMOB")}
FORCES = (Force.POLRI, Force.BRIMOB, Force.TNI, Force.LINMAS, Force.SATPOL_PP)
FORCE_LABEL = {f: labels.FORCE[f] for f in FORCES}
COMMANDED = frozenset({Force.POLRI, Force.BRIMOB})  # under the Kapolres's Sprin
COORDINATED = (Force.TNI, Force.LINMAS, Force.SATPOL_PP)  # coordinated with, not commanded
POLRES_LEVEL = "Tingkat Polres"
GROUP_LABEL = {"RESERVE": "Cadangan", "STANDBY": "Siaga TNI"}  # posts of a kecamatan, not of a desa
POST_ORDER = {"TPS": 0, "VILLAGE": 1, "STANDBY": 2, "RESERVE": 3}


UNPRINTED_IDS = frozenset({Force.LINMAS})  # a Linmas member's NIK: the KTP number (UU PDP 27/2022)


def printed_id(force: Force, code: str) -> str:
    """What a printed order (ploting, annex, card) shows of a person's identifier: the NRP/NIP;
    never a Linmas member's NIK, which is their KTP number and not needed to do the duty (data
    minimisation, UU PDP 27/2022). The NIK stays inside the card's signed QR for the apel."""
    return "-" if force in UNPRINTED_IDS else code


@dataclass(frozen=True)
class Row:
    """One person on the ploting."""

    no: int
    name: str
    rank: str
    nrp: str
    unit: str  # Satuan asal, with "(BKO)" for a seconded unit
    task: str
    kecamatan: str
    desa: str
    tps_ids: tuple[str, ...]
    tps_numbers: tuple[int, ...]
    category: str
    pola: str
    ketua: str  # "RANK Name" of the post's senior member (ketua pos), or "-"
    padal: str  # "RANK Name" of the kecamatan's controlling officer (its Kapolsek), or "-"
    phone: str
    force: Force
    post_id: str  # internal: the QR token and the console's links, never printed
    post_name: str  # what a person reads (post_names)
    slot: str
    is_ketua: bool

    @property
    def printed_id(self) -> str:
        """The identifier a printed order shows (`printed_id`)."""
        return printed_id(self.force, self.nrp)

    @property
    def tps(self) -> str:
        return ", ".join(self.tps_ids) or "-"

    @property
    def tps_short(self) -> str:
        return ", ".join(str(n) for n in self.tps_numbers) or "-"

    def cells(self) -> tuple[object, ...]:
        """The row in COLUMNS order, TPS by id."""
        return (
            self.no,
            self.name,
            self.rank,
            self.printed_id,
            self.unit,
            self.task,
            self.kecamatan,
            self.desa,
            self.tps,
            self.category,
            self.pola,
            self.ketua,
            self.padal,
            self.phone,
        )


@dataclass(frozen=True)
class Gap:
    """Places of one slot of one post that nobody fills."""

    kecamatan: str
    desa: str
    post_id: str
    task: str
    slot: str
    count: int
    post_name: str = ""

    @property
    def commanded(self) -> bool:
        """A Polri or Brimob slot: the Sprin's own; the others are coordinated."""
        return self.slot in (SLOT_LABEL["POLRI"], SLOT_LABEL["BRIMOB"])


@dataclass(frozen=True)
class PostBlock:
    post: Post
    name: str  # post_names
    task: str
    tps_ids: tuple[str, ...]
    category: str
    ketua: Person | None  # the post's senior Polri/Brimob member, else its senior member
    padal: Person | None  # the kecamatan's controlling officer
    rows: tuple[Row, ...]
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class DesaBlock:
    code: str  # "" for the reserve teams of a kecamatan
    name: str
    tps: int
    posts: tuple[PostBlock, ...]

    @property
    def persons(self) -> int:
        return sum(len(p.rows) for p in self.posts)


@dataclass(frozen=True)
class KecamatanBlock:
    code: str  # "" for the Polres level (reserve teams staged outside any kecamatan)
    name: str
    desa: tuple[DesaBlock, ...]
    padal: Person | None = None  # the kecamatan's controlling officer (its Kapolsek)

    @property
    def persons(self) -> int:
        return sum(d.persons for d in self.desa)

    @property
    def tps(self) -> int:
        return sum(d.tps for d in self.desa)

    def rows(self) -> Iterator[Row]:
        return (r for d in self.desa for p in d.posts for r in p.rows)

    def force_counts(self) -> Counter[Force]:
        return Counter(r.force for r in self.rows())

    def unfilled(self) -> int:
        return sum(g.count for d in self.desa for p in d.posts for g in p.gaps)


@dataclass(frozen=True)
class Ploting:
    operation: str
    pattern: str
    scope_code: str  # "" for the whole operation
    scope_name: str
    persons: int  # the headline's count (see the module docstring)
    assigned: int
    not_on_post: int  # of the whole force; 0 when scoped
    kecamatan_count: int
    desa_count: int
    tps_count: int
    kecamatan: tuple[KecamatanBlock, ...]
    gaps: tuple[Gap, ...]

    @property
    def pattern_title(self) -> str:
        """The pattern as the orders name it: a preset's title, never its code."""
        return title_of_pattern(self.pattern)

    def headline(self) -> str:
        """The grand total in the seed's words: "950 personel, 7 kecamatan, 21 desa, 152 TPS"."""
        return (
            f"{_number(self.persons)} personel, {_number(self.kecamatan_count)} kecamatan, "
            f"{_number(self.desa_count)} desa, {_number(self.tps_count)} TPS"
        )

    def assigned_line(self) -> str:
        text = f"Ditugaskan pada pos: {_number(self.assigned)} personel"
        if not self.scope_code:
            text += f"; tidak pada pos (staf operasi, siaga di markas, berhalangan): {_number(self.not_on_post)}"
        return text

    @property
    def unfilled(self) -> int:
        return sum(g.count for g in self.gaps)

    def rows(self) -> Iterator[Row]:
        return (r for k in self.kecamatan for r in k.rows())

    def recap(self) -> list[tuple[str, int, int, dict[Force, int], int, int]]:
        """Force by kecamatan: (name, desa, TPS, persons by force, total, unfilled slots), then
        the total line."""
        lines = []
        for k in self.kecamatan:
            counts = k.force_counts()
            desa = sum(1 for d in k.desa if d.code)
            lines.append((k.name, desa, k.tps, {f: counts[f] for f in FORCES}, k.persons, k.unfilled()))
        total = {f: sum(line[3][f] for line in lines) for f in FORCES}
        lines.append(("Jumlah", self.desa_count, self.tps_count, total, self.assigned, self.unfilled))
        return lines


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def describe(row: PatternRow) -> str:
    """A pattern row as the press writes it: "1 Polri + 2 Linmas per TPS"."""
    armed = [f"{n} {force}" for n, force in ((row.polri_per_post, "Polri"), (row.tni_per_post, "TNI")) if n]
    linmas = [f"{row.linmas_per_tps:g} Linmas"] if row.linmas_per_tps else []
    if row.tps_per_post == 1:
        return " + ".join(armed + linmas) + " per TPS" if armed or linmas else "-"
    parts = [" + ".join(armed) + f" per {row.tps_per_post} TPS"] if armed else []
    return ", ".join(parts + [f"{text} per TPS" for text in linmas]) or "-"


def unit_label(unit: Unit | None, person: Person, desa_name: str) -> str:
    """Satuan asal: the unit's name; a Brimob unit is seconded, marked (BKO) unless its name says so."""
    if unit is None:
        if person.force == Force.LINMAS:
            return f"Linmas Desa {desa_name}" if desa_name else "Linmas"
        return person.unit_code or "-"
    if unit.kind == UnitKind.BRIMOB and "BKO" not in unit.name.upper():
        return f"{unit.name} (BKO)"
    return unit.name


def person_label(person: Person | None) -> str:
    if person is None:
        return "-"
    return f"{person.rank} {person.name}".strip()


def numbers_text(numbers: Iterable[int]) -> str:
    """TPS numbers as a person writes them: "1-3, 5, 7-9"."""
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def task_of(post: Post, lang: str = "id") -> str:
    """The duty of a post's members: "Pos TPS", "Patroli TPS", "Jaga balai desa", ..."""
    if post.kind == "TPS" and post.id.startswith(PATROL_PREFIX):
        return _(TASK["PATROL"], lang)
    return _(TASK[post.kind], lang) if post.kind in TASK else post.kind.title()


def _village(region: Region | None, code: str) -> str:
    if region is None:
        return f"Desa {code}" if code else ""
    return f"{'Kelurahan' if region.level == Level.KELURAHAN else 'Desa'} {region.name}"


def post_names(scenario: Scenario, posts: Iterable[Post], lang: str = "id") -> dict[str, str]:
    """The name a person reads for each post, by post id; no document prints a post's id.

    "Pos TPS 1-3 Desa Semare", "Patroli Desa Jeruk (TPS 1-16)", "Jaga balai desa Semare",
    "Cadangan Brimob di Polsek Nguling (tim 1)", "Siaga TNI Kecamatan Kraton". Two posts that
    would share a name are told apart by a number: "... (2)". Deterministic: the same posts give
    the same names, whatever their order. In `lang` (the orders are Indonesian; a page is in its
    reader's language): the words, not the places' and units' names."""
    number = {t.id: t.number for t in scenario.tps}
    return names_of_posts(scenario.region_by_code(), scenario.unit_by_code(), number, posts, lang)


def names_of_posts(
    regions: Mapping[str, Region],
    units: Mapping[str, Unit],
    number: Mapping[str, int],
    posts: Iterable[Post],
    lang: str = "id",
) -> dict[str, str]:
    """`post_names` from the parts it reads: the regions and units by code, each TPS's number
    (for a caller that holds only the posts it shows, not the whole scenario)."""
    names: dict[str, str] = {}
    unit_names = {code: unit.name for code, unit in units.items()}
    for post in sorted(posts, key=lambda p: p.id):
        desa = _village(regions.get(post.desa_code), post.desa_code)
        kecamatan = regions.get(post.kecamatan_code)
        where = desa or (f"Kecamatan {kecamatan.name}" if kecamatan else "")
        tps = numbers_text(number[t] for t in post.tps if t in number)
        if post.kind == "TPS" and post.id.startswith(PATROL_PREFIX):
            if tps:
                name = _("Patroli %(where)s (TPS %(tps)s)", lang, where=where, tps=tps)
            else:
                name = _("Patroli %(where)s", lang, where=where)
        elif post.kind == "TPS":
            name = _("Pos TPS %(tps)s %(where)s", lang, tps=tps or "-", where=where)
        elif post.kind == "VILLAGE":
            region = regions.get(post.desa_code)
            place = region.name if region else post.desa_code
            if region is not None and region.level == Level.KELURAHAN:
                name = _("Jaga kantor kelurahan %(place)s", lang, place=place)
            else:
                name = _("Jaga balai desa %(place)s", lang, place=place)
        elif post.kind == "RESERVE":
            msgid, values = reserve_name(post.id, post.required, unit_names, where)
            name = _(msgid, lang, **values)
        elif post.kind == "STANDBY":
            name = _("Siaga TNI %(where)s", lang, where=where)
        else:
            name = f"{task_of(post, lang)} {where}"
        names[post.id] = " ".join(name.split())
    seen: Counter[str] = Counter(names.values())
    count: Counter[str] = Counter()
    for post_id, name in names.items():
        if seen[name] > 1:
            count[name] += 1
            names[post_id] = f"{name} ({count[name]})"
    return names


def reserve_name(
    post_id: str, required: Mapping[str, int], unit_names: Mapping[str, str], where: str = ""
) -> tuple[str, dict[str, str]]:
    """A reserve post's name as a msgid and its values, the one name of the team in the Sprin,
    on the plan's pages and at the Posko: "Cadangan Brimob di Koramil Gondangwetan (tim 1)", the
    unit it stands by at (else `where`) and its number there, from its id (RESERVE-<unit>-<n>)."""
    code, _sep, team = post_id.removeprefix("RESERVE-").rpartition("-")
    at = unit_names.get(code) or where or code
    if set(required) == {"BRIMOB"}:
        return gettext_noop("Cadangan Brimob di %(at)s (tim %(team)s)"), {"at": at, "team": team}
    return gettext_noop("Cadangan di %(at)s (tim %(team)s)"), {"at": at, "team": team}


class PlotingError(TranslatedError, ValueError):
    """A kecamatan or person the scenario does not have."""


def build(scenario: Scenario, plan: Plan, kecamatan_code: str = "") -> Ploting:
    """The ploting of `plan` (checked against `scenario` beforehand), whole or one kecamatan."""
    regions = scenario.region_by_code()
    if kecamatan_code and kecamatan_code not in regions:
        raise PlotingError(gettext_noop("kecamatan '%(code)s' tidak ada di skenario"), code=kecamatan_code)
    persons = {p.id: p for p in scenario.personnel}
    units = scenario.unit_by_code()
    tps_by_id = {t.id: t for t in scenario.tps}
    rows_by_cat = _pattern_rows(scenario, plan.pattern)
    members: dict[str, list[tuple[Person, str]]] = defaultdict(list)
    for a in plan.assignments:
        if a.person not in persons:
            raise PlotingError(gettext_noop("personel '%(nrp)s' tidak ada di skenario"), nrp=a.person)
        members[a.post].append((persons[a.person], a.slot))
    unfilled: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for u in plan.unfilled:
        unfilled[u.post].append((u.slot, u.count))

    def name(code: str) -> str:
        region = regions.get(code)
        return region.name if region else code

    in_scope = [p for p in plan.posts if not kecamatan_code or p.kecamatan_code == kecamatan_code]
    by_place: dict[str, dict[str, list[Post]]] = defaultdict(lambda: defaultdict(list))
    for post in in_scope:
        by_place[post.kecamatan_code][post.desa_code if post.kind not in GROUP_LABEL else ""].append(post)
    scope_tps = [t for t in scenario.tps if not kecamatan_code or _parent(regions, t.desa_code) == kecamatan_code]
    tps_per_desa = Counter(t.desa_code for t in scope_tps)
    padal_of = positions.padal_by_kecamatan(scenario)
    names = post_names(scenario, plan.posts)  # of the whole plan: a petikan names a post as the whole does

    counter = itertools.count(1)
    kecamatan_blocks = []
    for kec in sorted(by_place, key=lambda c: (c == "", c)):
        kec_name = name(kec) if kec else POLRES_LEVEL
        desa_blocks = []
        for desa in sorted(by_place[kec], key=lambda c: (c == "", c)):
            posts = sorted(
                by_place[kec][desa], key=lambda p: (POST_ORDER.get(p.kind, 3), _first_tps(p, tps_by_id), p.id)
            )
            blocks = [
                _post_block(post, names[post.id], members[post.id], unfilled[post.id], kec_name,
                            name(desa) if desa else "-", tps_by_id, rows_by_cat, units, regions, counter,
                            padal_of.get(kec))
                for post in posts
            ]  # fmt: skip
            desa_blocks.append(
                DesaBlock(desa, name(desa) if desa else group_name(posts), tps_per_desa[desa], tuple(blocks))
            )
        kecamatan_blocks.append(KecamatanBlock(kec, kec_name, tuple(desa_blocks), padal_of.get(kec)))
    gaps = tuple(g for k in kecamatan_blocks for d in k.desa for p in d.posts for g in p.gaps)
    assigned = sum(k.persons for k in kecamatan_blocks)
    total = assigned if kecamatan_code else len(scenario.personnel)
    return Ploting(
        operation=plan.operation,
        pattern=plan.pattern,
        scope_code=kecamatan_code,
        scope_name=name(kecamatan_code) if kecamatan_code else "",
        persons=total,
        assigned=assigned,
        not_on_post=0 if kecamatan_code else len(scenario.personnel) - assigned,
        kecamatan_count=len({_parent(regions, t.desa_code) for t in scope_tps}),
        desa_count=len(tps_per_desa),
        tps_count=len(scope_tps),
        kecamatan=tuple(kecamatan_blocks),
        gaps=gaps,
    )


def group_name(posts: Iterable[Post]) -> str:
    """The name of a kecamatan's posts that belong to no desa: "Cadangan", "Siaga TNI dan Cadangan"."""
    kinds = sorted({p.kind for p in posts}, key=lambda k: POST_ORDER.get(k, len(POST_ORDER)))
    return " dan ".join(GROUP_LABEL.get(k, k.title()) for k in kinds)


def _parent(regions: Mapping[str, object], code: str) -> str:
    region = regions.get(code)
    return getattr(region, "parent_code", "") if region is not None else ""


def _first_tps(post: Post, tps_by_id: Mapping[str, object]) -> int:
    numbers = [getattr(tps_by_id.get(t), "number", 0) for t in post.tps]
    return min(numbers, default=0)


def _pattern_rows(scenario: Scenario, pattern: str) -> dict[Category, PatternRow]:
    if pattern == CUSTOM or pattern not in PRESETS:
        return rows_by_category(tuple(scenario.patterns))
    return rows_by_category(PRESETS[pattern].rows)


def _pola(post: Post, rows_by_cat: Mapping[Category, PatternRow]) -> str:
    if post.kind == "RESERVE":
        return f"Tim cadangan {sum(post.required.values())} Brimob"
    if post.kind == "VILLAGE":
        parts = [f"{n} {SLOT_LABEL.get(s, s)}" for s, n in post.required.items() if n]
        return " + ".join(parts) + " per balai desa"
    if post.kind == "STANDBY":
        return f"Siaga {sum(post.required.values())} TNI, bergerak atas permintaan Polri"
    row = rows_by_cat.get(post.category)
    if row is None:
        return "-"
    polri = post.required.get("POLRI", row.polri_per_post)
    if polri != row.polri_per_post:  # the operation reinforces this category (reinforce_sangat_rawan)
        stronger = describe(dataclasses.replace(row, polri_per_post=polri))
        return f"{stronger} (diperkuat +{polri - row.polri_per_post} Polri)"
    return describe(row)


def _post_block(
    post: Post,
    post_name: str,
    members: list[tuple[Person, str]],
    unfilled: list[tuple[str, int]],
    kecamatan: str,
    desa: str,
    tps_by_id: Mapping[str, object],
    rows_by_cat: Mapping[Category, PatternRow],
    units: Mapping[str, Unit],
    regions: Mapping[str, object],
    counter: Iterator[int],
    padal: Person | None,
) -> PostBlock:
    task = task_of(post)
    # A reserve team or a standby group serves many TPS: the category of its post is only the
    # highest it reaches, which reads as if the team itself were "sangat rawan".
    category = "-" if post.kind in ("RESERVE", "STANDBY") else CATEGORY_LABEL[post.category]
    pola = _pola(post, rows_by_cat)
    ketua = ketua_pos(p for p, _ in members)
    tps_ids = tuple(sorted(post.tps, key=lambda t: (getattr(tps_by_id.get(t), "number", 0), t)))
    numbers = tuple(getattr(tps_by_id.get(t), "number", 0) for t in tps_ids)
    rows = []
    for person, slot in sorted(members, key=lambda m: seniority(m[0])):
        home = regions.get(person.desa_code)
        rows.append(
            Row(
                no=next(counter),
                name=person.name,
                rank=person.rank,
                nrp=person.id,
                unit=unit_label(units.get(person.unit_code), person, getattr(home, "name", "")),
                task=task,
                kecamatan=kecamatan,
                desa=desa,
                tps_ids=tps_ids,
                tps_numbers=numbers,
                category=category,
                pola=pola,
                ketua=person_label(ketua),
                padal=person_label(padal),
                phone=person.phone,
                force=person.force,
                post_id=post.id,
                post_name=post_name,
                slot=slot,
                is_ketua=ketua is not None and person.id == ketua.id,
            )
        )
    gaps = tuple(Gap(kecamatan, desa, post.id, task, SLOT_LABEL.get(s, s), n, post_name) for s, n in unfilled if n > 0)
    return PostBlock(post, post_name, task, tps_ids, category, ketua, padal, tuple(rows), gaps)
