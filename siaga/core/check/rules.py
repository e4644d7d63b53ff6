"""The checker's rules: one small named function each, registered in `RULES` in the order
they run. Each yields one message per violation (docs/scenario.md section 2): an Indonesian
msgid and JSON parameters (`messages.py`), rendered in the reader's language when read."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from itertools import repeat
from operator import attrgetter

import numpy as np

from siaga.core.check.facts import BRIMOB, LINMAS, SLOT_CODE, SLOTS, Facts, column
from siaga.core.check.messages import M, category, force, slots
from siaga.core.data import geo
from siaga.core.data.model import Category
from siaga.core.data.text import Message, gettext_noop

UNFILLED_KM = 10_000
RANK = {c: i for i, c in enumerate(("KURANG_RAWAN", "RAWAN", "SANGAT_RAWAN", "KHUSUS"))}
CATEGORY_CODE: dict[Category | None, int] = {Category(c): i for c, i in RANK.items()}
COST_TOLERANCE_KM = 1e-5
POINT_TOLERANCE_DEG = 1e-9

Rule = Callable[[Facts], Iterator[Message]]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn

    return register


@rule("unique_post_ids")
def _unique_post_ids(f: Facts) -> Iterator[Message]:
    for post_id, n in Counter(p.id for p in f.plan.posts).items():
        if n > 1:
            yield M(gettext_noop("pos %(post)s muncul %(n)s kali"), post=post_id, n=n)


@rule("category")
def _category(f: Facts) -> Iterator[Message]:
    """Each TPS's category is its override if given, else the one its indicators score."""
    if f.plan.tps_categories.keys() != f.tps_index.keys():
        yield M(gettext_noop("tps_categories harus menyebut setiap TPS skenario tepat satu kali"))
    stated = list(map(f.plan.tps_categories.get, f.tps_ids))
    if stated == f.categories:  # the usual case, compared in C
        return
    for tps_id, got, expected in zip(f.tps_ids, stated, f.categories, strict=True):
        if got is not None and got != expected:
            yield M(
                gettext_noop("TPS %(tps)s: kategori %(got)s, seharusnya %(expected)s"),
                tps=tps_id,
                got=category(got),
                expected=category(expected),
            )


@rule("tps_in_one_post")
def _tps_in_one_post(f: Facts) -> Iterator[Message]:
    _, tps_k, ids = f.members
    seen = np.bincount(tps_k[tps_k >= 0], minlength=len(f.tps_ids))
    for k in np.flatnonzero(seen != 1).tolist():
        yield M(gettext_noop("TPS %(tps)s ada di %(n)s pos TPS, seharusnya tepat 1"), tps=f.tps_ids[k], n=seen[k])
    for tps_id in dict.fromkeys(ids[k] for k in np.flatnonzero(tps_k < 0).tolist()):
        yield M(gettext_noop("pos memuat TPS yang tidak dikenal: %(tps)s"), tps=tps_id)


@rule("post_desa_and_category")
def _post_desa_and_category(f: Facts) -> Iterator[Message]:
    """A TPS post holds TPS of one desa and one category, and says which."""
    posts = f.posts_of("TPS")
    post_k, tps_k, ids = f.members
    known = tps_k >= 0
    post_k, tps_k = post_k[known], tps_k[known]
    post_desa = column(posts, "desa_code", np.int64, f.codes)
    post_category = np.fromiter(map(CATEGORY_CODE.get, map(attrgetter("category"), posts)), np.int64, len(posts))
    stated = map(CATEGORY_CODE.get, map(f.plan.tps_categories.get, f.tps_ids), repeat(-1))
    tps_category = np.fromiter(stated, dtype=np.int64, count=len(f.tps_ids))
    other_desa = f.tps_desa[tps_k] != post_desa[post_k]
    other_category = tps_category[tps_k] != post_category[post_k]
    for n in np.flatnonzero(other_desa | other_category).tolist():
        p, t = posts[int(post_k[n])], f.scenario.tps[int(tps_k[n])]
        if other_desa[n]:
            yield M(
                gettext_noop("pos %(post)s: TPS %(tps)s ada di desa %(desa)s, bukan %(post_desa)s"),
                post=p.id,
                tps=t.id,
                desa=t.desa_code,
                post_desa=p.desa_code,
            )
        if other_category[n]:
            yield M(
                gettext_noop("pos %(post)s (%(category)s): TPS %(tps)s berkategori %(tps_category)s"),
                post=p.id,
                category=category(p.category),
                tps=t.id,
                tps_category=category(f.plan.tps_categories.get(t.id)),
            )
    parent = {r.code: r.parent_code for r in f.scenario.regions}
    for p in posts:
        if parent.get(p.desa_code) != p.kecamatan_code:
            yield M(
                gettext_noop("pos %(post)s: kecamatan %(kecamatan)s bukan kecamatan desa %(desa)s"),
                post=p.id,
                kecamatan=p.kecamatan_code,
                desa=p.desa_code,
            )


@rule("post_size")
def _post_size(f: Facts) -> Iterator[Message]:
    for p in f.posts_of("TPS"):
        limit = f.rows[p.category.value][0]
        if not 1 <= len(p.tps) <= limit:
            yield M(
                gettext_noop("pos %(post)s memuat %(n)s TPS; pola membolehkan 1 sampai %(limit)s"),
                post=p.id,
                n=len(p.tps),
                limit=limit,
            )


@rule("post_radius")
def _post_radius(f: Facts) -> Iterator[Message]:
    """The post stands at one of its TPS, and every TPS is within the radius of it (the
    patrol radius for a post of a patrol row)."""
    posts = f.posts_of("TPS")
    post_k, tps_k, _ = f.members
    post_k, tps_k = post_k[tps_k >= 0], tps_k[tps_k >= 0]
    if not len(tps_k):
        return
    post_lat = np.array([p.lat for p in posts])[post_k]
    post_lon = np.array([p.lon for p in posts])[post_k]
    tps_lat, tps_lon = f.tps_lat[tps_k], f.tps_lon[tps_k]
    at_point = (np.abs(tps_lat - post_lat) < POINT_TOLERANCE_DEG) & (np.abs(tps_lon - post_lon) < POINT_TOLERANCE_DEG)
    standing = np.bincount(post_k[at_point], minlength=len(posts))
    has_tps = np.bincount(post_k, minlength=len(posts))
    for k in np.flatnonzero((standing == 0) & (has_tps > 0)).tolist():
        yield M(gettext_noop("pos %(post)s tidak berada di lokasi salah satu TPS-nya"), post=posts[k].id)
    km = geo.haversine_km_array(post_lat, post_lon, tps_lat, tps_lon)
    radius = {c: f.op.patrol_radius_km if row[4] else f.op.max_post_radius_km for c, row in f.rows.items()}
    limit = np.array([radius.get(p.category.value, f.op.max_post_radius_km) for p in posts])[post_k]
    for n in np.flatnonzero(km > limit + 1e-9).tolist():
        post, tps = posts[int(post_k[n])], f.scenario.tps[int(tps_k[n])]
        yield M(
            gettext_noop("pos %(post)s: TPS %(tps)s berjarak %(km)s km, lebih dari %(limit)s km"),
            post=post.id,
            tps=tps.id,
            km=round(float(km[n]), 3),
            limit=float(limit[n]),
        )


@rule("post_required")
def _post_required(f: Facts) -> Iterator[Message]:
    for p in f.posts_of("TPS"):
        _, polri, tni, linmas, _ = f.rows[p.category.value]
        expected = {"POLRI": polri, "TNI": tni, "LINMAS": math.ceil(round(linmas * len(p.tps), 9))}
        got = {s: p.required.get(s, 0) for s in SLOTS}
        if got != {**expected, "BRIMOB": 0}:
            yield M(
                gettext_noop("pos %(post)s meminta %(got)s, menurut pola %(expected)s"),
                post=p.id,
                got=slots(got),
                expected=slots(expected),
            )


@rule("village_posts")
def _village_posts(f: Facts) -> Iterator[Message]:
    """With a balai desa guard, one VILLAGE post per desa with a TPS, at the desa point."""
    guard = {"POLRI": f.op.village_guard_polri, "TNI": f.op.village_guard_tni}
    posts = f.posts_of("VILLAGE")
    if not (guard["POLRI"] or guard["TNI"]):
        if posts:
            yield M(gettext_noop("%(n)s pos desa, padahal operasi tidak meminta penjagaan balai desa"), n=len(posts))
        return
    highest: dict[str, str] = {}
    for t in f.scenario.tps:
        c = f.plan.tps_categories.get(t.id, Category.KURANG_RAWAN).value
        if t.desa_code not in highest or RANK[c] > RANK[highest[t.desa_code]]:
            highest[t.desa_code] = c
    by_desa = Counter(p.desa_code for p in posts)
    for desa in highest:
        if by_desa[desa] != 1:
            yield M(gettext_noop("desa %(desa)s punya %(n)s pos desa, seharusnya 1"), desa=desa, n=by_desa[desa])
    for p in posts:
        region = f.regions.get(p.desa_code)
        if region is None or p.desa_code not in highest:
            yield M(
                gettext_noop("pos desa %(post)s untuk desa %(desa)s, yang tidak punya TPS"), post=p.id, desa=p.desa_code
            )
            continue
        if abs((region.lat or 0) - p.lat) > POINT_TOLERANCE_DEG or abs((region.lon or 0) - p.lon) > POINT_TOLERANCE_DEG:
            yield M(gettext_noop("pos desa %(post)s tidak berada di titik desa"), post=p.id)
        if p.kecamatan_code != region.parent_code:
            yield M(
                gettext_noop("pos desa %(post)s: kecamatan %(kecamatan)s bukan kecamatan desa %(desa)s"),
                post=p.id,
                kecamatan=p.kecamatan_code,
                desa=p.desa_code,
            )
        if p.category.value != highest[p.desa_code]:
            yield M(
                gettext_noop("pos desa %(post)s berkategori %(category)s, kategori tertinggi desanya %(highest)s"),
                post=p.id,
                category=category(p.category),
                highest=category(highest[p.desa_code]),
            )
        got = {s: p.required.get(s, 0) for s in SLOTS}
        if got != {**guard, "LINMAS": 0, "BRIMOB": 0}:
            yield M(
                gettext_noop("pos desa %(post)s meminta %(got)s, menurut operasi %(expected)s"),
                post=p.id,
                got=slots(got),
                expected=slots(guard),
            )


@rule("reserve_posts")
def _reserve_posts(f: Facts) -> Iterator[Message]:
    """floor(available Brimob of a Polres / team size) reserve teams in each Polres, each at
    the location of a unit (of that Polres: the team belongs to the unit it stands at)."""
    size = f.op.reserve_team_size
    who = f.people
    counts = np.bincount(who.polres[who.available & (who.slot == BRIMOB)] + 1, minlength=len(f.jurisdiction.polres) + 1)
    brimob = {code: int(n) for code, n in zip(f.jurisdiction.polres, counts[1:].tolist(), strict=True)}
    posts = f.posts_of("RESERVE")
    teams = Counter(f.post_polres[p.id] for p in posts)
    for code in f.jurisdiction.polres:
        if teams[code] != brimob[code] // size:
            numbers = {"n": teams[code], "expected": brimob[code] // size, "size": size}
            if f.jurisdiction.single:
                yield M(
                    gettext_noop(
                        "%(n)s tim cadangan, seharusnya %(expected)s"
                        " (Brimob yang tersedia dibagi %(size)s, dibulatkan ke bawah)"
                    ),
                    **numbers,
                )
            else:
                yield M(
                    gettext_noop(
                        "Polres %(polres)s: %(n)s tim cadangan, seharusnya %(expected)s"
                        " (Brimob yang tersedia dibagi %(size)s, dibulatkan ke bawah)"
                    ),
                    polres=code,
                    **numbers,
                )
    for p in posts:
        if not f.units_at.get((p.lat, p.lon)) and not any(
            abs(p.lat - la) < POINT_TOLERANCE_DEG and abs(p.lon - lo) < POINT_TOLERANCE_DEG for la, lo in f.units_at
        ):
            yield M(gettext_noop("tim cadangan %(post)s tidak berada di lokasi satuan"), post=p.id)
        if {s: n for s, n in p.required.items() if n} != {"BRIMOB": size}:
            yield M(
                gettext_noop("tim cadangan %(post)s meminta %(got)s, seharusnya %(size)s Brimob"),
                post=p.id,
                got=slots(p.required),
                size=size,
            )


@rule("eligibility")
def _eligibility(f: Facts) -> Iterator[Message]:
    """The right force in each slot, Linmas only in their own desa, nobody unavailable."""
    d, who, where = f.duties, f.people, f.places
    known = d.known
    person, post = np.where(known, d.person, 0), np.where(known, d.post, 0)
    unavailable = known & ~who.available[person]
    wrong_force = known & ((d.slot < 0) | (who.slot[person] != d.slot))
    outside = known & (d.slot == LINMAS) & (who.desa[person] != where.desa[post])
    for k in np.flatnonzero(~known | unavailable | wrong_force | outside).tolist():
        a = f.plan.assignments[k]
        if not known[k]:
            yield M(
                gettext_noop("penugasan %(person)s ke %(post)s: personel atau pos tidak dikenal"),
                person=a.person,
                post=a.post,
            )
            continue
        p = f.scenario.personnel[int(d.person[k])]
        if unavailable[k]:
            yield M(
                gettext_noop("%(person)s tidak tersedia tetapi ditugaskan ke %(post)s"), person=a.person, post=a.post
            )
        if wrong_force[k]:
            yield M(
                gettext_noop("%(person)s (%(force)s) mengisi slot %(slot)s di %(post)s"),
                person=a.person,
                force=force(p.force),
                slot=force(a.slot),
                post=a.post,
            )
        if outside[k]:
            yield M(
                gettext_noop("Linmas %(person)s dari desa %(desa)s bertugas di luar desanya, di %(post)s"),
                person=a.person,
                desa=p.desa_code,
                post=a.post,
            )


@rule("own_polres")
def _own_polres(f: Facts) -> Iterator[Message]:
    """Each Polres plans its own operation: people serve at posts of their own Polres."""
    if f.jurisdiction.single:
        return
    d = f.duties
    known = d.known
    post_polres = np.where(known, f.places.polres[np.where(known, d.post, 0)], -1)
    person_polres = f.people.polres[np.where(known, d.person, 0)]
    # A post of no Polres (a team at no unit) and unknown people or posts are other rules' concern.
    crossing = known & (post_polres >= 0) & (person_polres != post_polres)
    for k in np.flatnonzero(crossing).tolist():
        a = f.plan.assignments[k]
        home = f.jurisdiction.of_person(f.scenario.personnel[int(d.person[k])]) or "-"
        yield M(
            gettext_noop("%(person)s dari Polres %(home)s bertugas di %(post)s milik Polres %(polres)s"),
            person=a.person,
            home=home,
            post=a.post,
            polres=f.post_polres[a.post],
        )


@rule("one_slot_per_person")
def _one_slot_per_person(f: Facts) -> Iterator[Message]:
    d = f.duties
    counts = np.bincount(d.person[d.person >= 0], minlength=len(f.scenario.personnel))
    for k in np.flatnonzero(counts > 1).tolist():
        yield M(gettext_noop("%(person)s mengisi %(n)s slot"), person=f.scenario.personnel[k].id, n=counts[k])
    unknown = Counter(f.plan.assignments[k].person for k in np.flatnonzero(d.person < 0).tolist())
    for person, n in unknown.items():
        if n > 1:
            yield M(gettext_noop("%(person)s mengisi %(n)s slot"), person=person, n=n)


@rule("capacity")
def _capacity(f: Facts) -> Iterator[Message]:
    over = f.filled > f.places.required
    for k, slot in zip(*np.nonzero(over), strict=True):
        post = f.plan.posts[int(k)]
        name = SLOTS[int(slot)]
        yield M(
            gettext_noop("pos %(post)s terisi %(n)s di slot %(slot)s, yang diminta %(required)s"),
            post=post.id,
            n=f.filled[k, slot],
            slot=force(name),
            required=post.required.get(name, 0),
        )
    for (post_id, slot), n in f.stray.items():
        stray_post = f.posts.get(post_id)
        limit = stray_post.required.get(slot, 0) if stray_post else 0
        if n > limit:
            yield M(
                gettext_noop("pos %(post)s terisi %(n)s di slot %(slot)s, yang diminta %(required)s"),
                post=post_id,
                n=n,
                slot=force(slot),
                required=limit,
            )


@rule("cost")
def _cost(f: Facts) -> Iterator[Message]:
    """road_factor x distance from the person's origin, plus the out-of-sector penalty."""
    d, who, where = f.duties, f.people, f.places
    k = np.flatnonzero(d.known)
    person, post = d.person[k], d.post[k]
    km = geo.haversine_km_array(who.lat[person], who.lon[person], where.lat[post], where.lon[post])
    sector = who.sector[person]
    out_of_sector = (sector >= 0) & (sector != where.kecamatan[post])
    expected = f.op.road_factor * km + np.where(out_of_sector, f.op.out_of_sector_penalty_km, 0.0)
    for n in np.flatnonzero(~(np.abs(expected - d.cost[k]) <= COST_TOLERANCE_KM)).tolist():
        a = f.plan.assignments[int(k[n])]
        yield M(
            gettext_noop("%(person)s di %(post)s: biaya %(cost)s km, seharusnya %(expected)s km"),
            person=a.person,
            post=a.post,
            cost=a.cost_km,
            expected=round(float(expected[n]), 6),
        )


def _others(f: Facts, k: int) -> Iterator[int]:
    """What post k requires of the slots outside SLOTS."""
    return (n for slot, n in f.plan.posts[k].required.items() if slot not in SLOT_CODE)


def _other_slots(f: Facts) -> Iterator[tuple[int, str, int]]:
    """(post index, slot, places left empty) for the slots a post requires outside SLOTS."""
    for k in f.places.other_slots:
        p = f.plan.posts[k]
        for slot, need in p.required.items():
            if slot not in SLOT_CODE:
                yield k, slot, max(0, need - f.stray[(p.id, slot)])


@rule("unfilled")
def _unfilled(f: Facts) -> Iterator[Message]:
    """Every place left empty is listed, with the right count, and nothing else is."""
    unfilled_count = gettext_noop("pos %(post)s %(slot)s: %(n)s kosong, rencana mencatat jumlah lain")
    listed: dict[tuple[str, str], int] = defaultdict(int)
    for u in f.plan.unfilled:
        listed[(u.post, u.slot)] += u.count
    missing = np.maximum(0, f.places.required - f.filled)
    stated = np.zeros_like(missing)
    for post_id, slot in list(listed):
        k, code = f.places.index.get(post_id), SLOT_CODE.get(slot)
        if k is not None and code is not None and slot in f.plan.posts[k].required:
            stated[k, code] = listed.pop((post_id, slot))
    for k, code in zip(*np.nonzero(stated != missing), strict=True):
        post, slot = f.plan.posts[int(k)], SLOTS[int(code)]
        if slot in post.required:
            yield M(unfilled_count, post=post.id, slot=force(slot), n=missing[k, code])
    for k, slot, n in _other_slots(f):  # slots no force fills: nobody can, all of them are empty
        post_id = f.plan.posts[k].id
        if listed.pop((post_id, slot), 0) != n:
            yield M(unfilled_count, post=post_id, slot=force(slot), n=n)
    for (post_id, slot), n in listed.items():
        if n:
            yield M(
                gettext_noop("rencana mencatat %(n)s %(slot)s kosong di %(post)s, yang tidak membutuhkannya"),
                n=n,
                slot=force(slot),
                post=post_id,
            )


@rule("summary")
def _summary(f: Facts) -> Iterator[Message]:
    s = f.plan.summary
    summary_off = gettext_noop("summary.%(key)s bernilai %(got)s, seharusnya %(expected)s")
    missing = np.maximum(0, f.places.required - f.filled)
    unfilled = int(missing.sum())
    penalty = int((f.places.weight[:, None] * missing).sum()) * UNFILLED_KM
    for k, _, n in _other_slots(f):
        unfilled += n
        penalty += int(f.places.weight[k]) * UNFILLED_KM * n
    cost = float(np.sum(f.duties.cost))  # pairwise summation: far within the tolerance below
    village = set(map(attrgetter("desa_code"), f.scenario.tps))
    expected = {
        "tps": len(f.scenario.tps),
        "desa": len(village),
        "kecamatan": len({f.regions[d].parent_code for d in village if d in f.regions}),
        "persons": len(f.scenario.personnel),
        "assigned": len(f.plan.assignments),
        "idle": len(f.scenario.personnel) - len(f.plan.assignments),
        "slots": int(f.places.required.sum()) + sum(n for k in f.places.other_slots for n in _others(f, k)),
        "unfilled": unfilled,
    }
    for key, count in expected.items():
        if s.get(key) != count:
            yield M(summary_off, key=key, got=s.get(key), expected=count)
    for key, km in (("cost_km", cost), ("objective", penalty + cost)):
        if not math.isclose(float(s.get(key, math.nan)), km, rel_tol=1e-9, abs_tol=1e-4):
            yield M(summary_off, key=key, got=s.get(key), expected=round(km, 6))
    if not float(s.get("lower_bound", math.inf)) <= float(s.get("objective", -math.inf)) + 1e-9:
        yield M(gettext_noop("summary.lower_bound di atas objective"))
    least, most, total = f.reserve_coverage
    covered = float(s.get("reserve_covered_weight", math.nan))
    if not least - 1e-6 <= covered <= most + 1e-6:
        got = s.get("reserve_covered_weight")
        if least == most:
            yield M(summary_off, key="reserve_covered_weight", got=got, expected=float(least))
        else:
            yield M(
                gettext_noop("summary.reserve_covered_weight bernilai %(got)s, seharusnya %(least)s sampai %(most)s"),
                got=got,
                least=float(least),
                most=float(most),
            )
    if not math.isclose(float(s.get("reserve_total_weight", math.nan)), total, abs_tol=1e-6):
        yield M(summary_off, key="reserve_total_weight", got=s.get("reserve_total_weight"), expected=float(total))


__all__ = ["RULES", "Rule", "rule"]
