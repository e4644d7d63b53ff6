"""The checker's rules about TNI and Linmas in their real roles (docs/scenario.md 2.10).

Under a Pemilu or Pilkada preset the TNI keep away from the TPS in standby groups that move on
Polri's request (DOCTRINE.md section 9), and the Linmas at a TPS are the ones the PPS decree
names. Derived here from the scenario alone, never from the planner:

- `tni_standby`: no soldier on a TPS post; one STANDBY post per kecamatan with TPS in each
  Polres, at the kecamatan's Koramil (its point for the operation), else the kecamatan's
  point, else the middle of its TPS; of the kecamatan's highest category; of
  `tni_standby_size` soldiers, or when that is 0 the Polres's soldiers who can serve
  (available, not command or staff, not pinned off posts) beyond the balai desa guards,
  shared by the weight of the kecamatan's TPS categories, largest remainders first, ties to
  the smaller kecamatan code; no STANDBY post under any other pattern.
- `linmas_roster`: when the decrees are given under a KPU pattern, every Linmas on a post is
  one the decree names, at the post of the TPS it names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from operator import attrgetter

import numpy as np

from siaga.core.check import jurisdiction
from siaga.core.check.facts import SLOT_CODE, WEIGHT, Facts, column
from siaga.core.check.messages import M, category, slots
from siaga.core.check.rules import RANK, rule
from siaga.core.data import pins
from siaga.core.data.model import Person, UnitKind
from siaga.core.data.patterns import LINMAS_KPU, TNI_STANDBY, linmas_mode, tni_mode
from siaga.core.data.positions import is_command
from siaga.core.data.text import Message, gettext_noop

RANKED = sorted(RANK, key=RANK.__getitem__)
WEIGHT_BY_RANK = np.array([WEIGHT[c] for c in RANKED], dtype=np.float64)
TNI = SLOT_CODE["TNI"]
POINT_TOLERANCE_DEG = 1e-6


def _can_serve(p: Person) -> bool:
    pin = pins.parse(p.pinned_post)
    return p.available and not is_command(p.position) and not (pin and pin.kind in (pins.STAFF, pins.NOT_DEPLOYED))


def _shares(total: int, weight: Mapping[str, int]) -> dict[str, int]:
    whole = sum(weight.values())
    if not whole:
        return dict.fromkeys(weight, 0)
    share = {k: total * w // whole for k, w in weight.items()}
    for k in sorted(weight, key=lambda k: (-(total * weight[k] % whole), k))[: total - sum(share.values())]:
        share[k] += 1
    return share


@rule("tni_standby")
def _tni_standby(f: Facts) -> Iterator[Message]:
    """In arrays over TPS, people and assignments: a national plan has millions of each."""
    posts = f.posts_of("STANDBY")
    if tni_mode(f.op.pattern) != TNI_STANDBY:
        for p in posts:
            yield M(
                gettext_noop("pos siaga TNI %(post)s: pola %(pattern)s menempatkan TNI di TPS, bukan siaga"),
                post=p.id,
                pattern=f.op.pattern,
            )
        return
    d, plan_posts = f.duties, f.plan.posts
    is_tps = np.fromiter(map("TPS".__eq__, map(attrgetter("kind"), plan_posts)), dtype=bool, count=len(plan_posts))
    at_tps = d.known & (d.slot == TNI) & is_tps[np.where(d.known, d.post, 0)]
    for n in np.flatnonzero(at_tps).tolist():
        a = f.plan.assignments[n]
        yield M(
            gettext_noop(
                "%(person)s (TNI) berjaga di pos TPS %(post)s; pada pola %(pattern)s TNI bersiaga di pos siaga"
            ),
            person=a.person,
            post=a.post,
            pattern=f.op.pattern,
        )
    expected, highest, middle = _expected(f)
    koramil: dict[str, tuple[float, float]] = {}
    for u in f.scenario.units:
        at = jurisdiction.point(u)
        if u.kind == UnitKind.KORAMIL and at is not None:
            koramil.setdefault(u.kecamatan_code, at)
    seen = Counter(p.kecamatan_code for p in posts)
    for kecamatan in expected:
        if seen[kecamatan] != 1:
            yield M(
                gettext_noop("kecamatan %(kecamatan)s punya %(n)s pos siaga TNI, seharusnya 1"),
                kecamatan=kecamatan,
                n=seen[kecamatan],
            )
    for p in posts:
        k = p.kecamatan_code
        if k not in expected:
            yield M(
                gettext_noop(
                    "pos siaga TNI %(post)s: kecamatan %(kecamatan)s tidak punya TPS atau prajurit untuk dibagi"
                ),
                post=p.id,
                kecamatan=k,
            )
            continue
        if {s: n for s, n in p.required.items() if n} != {"TNI": expected[k]}:
            yield M(
                gettext_noop("pos siaga TNI %(post)s meminta %(got)s, seharusnya %(n)s TNI"),
                post=p.id,
                got=slots(p.required),
                n=expected[k],
            )
        if p.category.value != highest[k]:
            yield M(
                gettext_noop(
                    "pos siaga TNI %(post)s berkategori %(category)s, kategori tertinggi kecamatannya %(highest)s"
                ),
                post=p.id,
                category=category(p.category),
                highest=category(highest[k]),
            )
        region = f.regions.get(k)
        if k in koramil:
            lat, lon = koramil[k]
        elif region is not None and region.lat is not None and region.lon is not None:
            lat, lon = region.lat, region.lon
        else:
            lat, lon = middle[k]
        if abs(p.lat - lat) > POINT_TOLERANCE_DEG or abs(p.lon - lon) > POINT_TOLERANCE_DEG:
            yield M(
                gettext_noop("pos siaga TNI %(post)s tidak berada di Koramil kecamatan (atau titik kecamatan)"),
                post=p.id,
            )


def _expected(f: Facts) -> tuple[dict[str, int], dict[str, str], dict[str, tuple[float, float]]]:
    """By kecamatan with TPS: the soldiers its standby post must require (none listed for a
    share of 0), its highest category, and the middle of its TPS."""
    regions = f.scenario.regions
    parent = column(regions, "parent_code", np.int64, f.codes)  # region k is code k
    kecamatan = parent[f.tps_desa]
    size = max(len(f.codes), 1)
    rank = np.fromiter((RANK[c.value] for c in f.categories), dtype=np.int64, count=len(f.categories))
    weight = np.bincount(kecamatan, WEIGHT_BY_RANK[rank], minlength=size)
    count = np.bincount(kecamatan, minlength=size)
    top = np.full(size, -1)
    np.maximum.at(top, kecamatan, rank)
    lat = np.bincount(kecamatan, f.tps_lat, minlength=size)
    lon = np.bincount(kecamatan, f.tps_lon, minlength=size)
    code_of = {k: c for c, k in f.codes.items()}
    used = np.flatnonzero(count).tolist()
    where = f.jurisdiction
    desa_polres = [where.polres[0] if where.single else where.of_region.get(r.code, "") for r in regions]
    polres_of = {k: desa_polres[k] for k in used}  # a kecamatan's Polres is its own region's
    desa_count = Counter(desa_polres[k] for k in np.unique(f.tps_desa).tolist())
    people = f.people
    tni = np.flatnonzero((people.slot == TNI) & people.available).tolist()
    persons = f.scenario.personnel
    names = list(where.polres)
    soldiers = Counter(names[people.polres[k]] if people.polres[k] >= 0 else "" for k in tni if _can_serve(persons[k]))
    expected: dict[str, int] = {}
    for polres in dict.fromkeys(polres_of.values()):
        mine = {code_of[k]: int(weight[k]) for k in used if polres_of[k] == polres}
        size_each = f.op.tni_standby_size
        spare = max(0, soldiers[polres] - f.op.village_guard_tni * desa_count[polres])
        sizes = dict.fromkeys(mine, size_each) if size_each else _shares(spare, mine)
        expected.update({k: n for k, n in sizes.items() if n > 0})
    highest = {code_of[k]: RANKED[int(top[k])] for k in used}
    middle = {code_of[k]: (round(lat[k] / count[k], 6), round(lon[k] / count[k], 6)) for k in used}
    return expected, highest, middle


@rule("linmas_roster")
def _linmas_roster(f: Facts) -> Iterator[Message]:
    if linmas_mode(f.op.pattern) != LINMAS_KPU:
        return
    persons = f.scenario.personnel
    # the people's slot column picks the Linmas without comparing two million forces in Python
    linmas = {persons[k].id: persons[k] for k in np.flatnonzero(f.people.slot == SLOT_CODE["LINMAS"]).tolist()}
    if not any(p.tps_id for p in linmas.values()):
        return
    for a in f.plan.assignments:
        person = linmas.get(a.person)
        if person is None:
            continue
        post = f.posts.get(a.post)
        if not person.tps_id:
            yield M(
                gettext_noop("Linmas %(person)s berjaga di %(post)s tetapi tidak disebut SK PPS mana pun"),
                person=a.person,
                post=a.post,
            )
        elif post is not None and person.tps_id not in post.tps:
            yield M(
                gettext_noop("Linmas %(person)s berjaga di %(post)s; SK PPS menetapkannya di TPS %(tps)s"),
                person=a.person,
                post=a.post,
                tps=person.tps_id,
            )
