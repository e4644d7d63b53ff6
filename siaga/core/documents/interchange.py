"""The rows of the files for Polri's systems (SOT, EWS) that come from a plan: every person on
every duty, and every TPS with the post that secures it (docs/interchange.md). The formats,
the incidents and the coordinates read back are `siaga.core.data.interchange`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from siaga.core.data import interchange as ic
from siaga.core.data.model import Plan, Scenario
from siaga.core.documents import schedule
from siaga.core.documents.ploting import numbers_text, post_names, printed_id, unit_label


def personnel_rows(
    scenario: Scenario, plan: Plan, tz: dt.tzinfo, kecamatan: str = "", phones: bool = True
) -> list[dict[str, Any]]:
    """One row per assignment of `plan` (checked against `scenario`): every person on every
    duty of every stage (`schedule.build`: the vote's posts named as the Sprin names them, the
    roster's duties), in order of time. `kecamatan`: only the duties of that kecamatan (a sector
    chief's file). `phones`: the phone column filled (only for a reader who may see phones).
    A Linmas member's NIK is never written (`ploting.printed_id`): `nrp` is empty."""
    regions = scenario.region_by_code()
    units = scenario.unit_by_code()
    tps_by_id = {t.id: t for t in scenario.tps}
    post_tps = {p.id: p.tps for p in plan.posts}
    rows: list[dict[str, Any]] = []
    for block in schedule.build(scenario, plan):
        for line in block.lines:
            duty = line.duty
            if kecamatan and duty.kecamatan_code != kecamatan:
                continue
            tps = sorted((tps_by_id[t] for t in post_tps.get(duty.id, ()) if t in tps_by_id), key=ic.tps_order)
            desa = regions.get(duty.desa_code)
            for person, _slot in line.people:
                home = regions.get(person.desa_code)
                rows.append(
                    {
                        "nrp": "" if printed_id(person.force, person.id) == "-" else person.id,
                        "nama": person.name,
                        "pangkat": person.rank,
                        "unsur": person.force.value,
                        "satuan": unit_label(units.get(person.unit_code), person, home.name if home else ""),
                        "pos": line.name,
                        "tahap": block.stage.name,
                        "mulai": ic.local_time(duty.start, tz),
                        "selesai": ic.local_time(duty.end, tz),
                        "shift": duty.shift,
                        "ketua_pos": line.ketua is not None and line.ketua.id == person.id,
                        "kode_kecamatan": duty.kecamatan_code,
                        "kecamatan": ic.name_of(regions, duty.kecamatan_code),
                        "kode_desa": duty.desa_code,
                        "desa": desa.name if desa else "",
                        "kode_tps": [t.id for t in tps],
                        "kode_tps_kpu": [ic.kpu_tps_code(t) for t in tps],
                        "no_tps": numbers_text(t.number for t in tps),
                        "lintang": round(duty.lat, ic.DECIMALS),
                        "bujur": round(duty.lon, ic.DECIMALS),
                        "no_hp": person.phone if phones else "",
                    }
                )
    return rows


def tps_rows(
    scenario: Scenario, plan: Plan | None = None, categories: Mapping[str, str] | None = None, kecamatan: str = ""
) -> list[dict[str, Any]]:
    """One row per TPS (of `kecamatan` when given) with its point, its category (the plan's,
    else `categories`, else the scenario's) and the post that secures it in `plan`. The file
    `read_coordinates` takes back."""
    regions = scenario.region_by_code()
    names = post_names(scenario, plan.posts) if plan is not None else {}
    post_of = {t: p.id for p in (plan.posts if plan is not None else ()) for t in p.tps}
    chosen = dict(categories or {}) | ({k: c.value for k, c in plan.tps_categories.items()} if plan else {})
    rows = []
    for t in sorted(scenario.tps, key=lambda t: (ic.parent_of(regions, t.desa_code), *ic.tps_order(t))):
        kec = ic.parent_of(regions, t.desa_code)
        if kecamatan and kec != kecamatan:
            continue
        category = chosen.get(t.id) or (t.category.value if t.category else "")
        rows.append(
            {
                "kode_tps": t.id,
                "kode_tps_kpu": ic.kpu_tps_code(t),
                "no_tps": t.number,
                "kode_kecamatan": kec,
                "kecamatan": ic.name_of(regions, kec),
                "kode_desa": t.desa_code,
                "desa": ic.name_of(regions, t.desa_code),
                "alamat": t.address,
                "dpt": t.voters,
                "kategori": category,
                "pos": names.get(post_of.get(t.id, ""), ""),
                "lintang": round(t.lat, ic.DECIMALS),
                "bujur": round(t.lon, ic.DECIMALS),
            }
        )
    return rows
