"""The communications plan (rencana komunikasi, DOCTRINE.md 12): each post's and unit's HT
channel and callsign, and for a post without signal, a relay or a runner and a check-in
schedule.

- **Channels.** The Posko and the command net talk on channel 1; each kecamatan's posts, its
  Polsek and its Padal share a channel of their own, 2, 3, ... in the order of the kecamatan
  codes, wrapping round the `CHANNELS` a set of radios holds; reserve teams and the Polres's
  units stay on the command channel.
- **Callsigns.** A post is called by its kecamatan and its number within it, in the order of
  the post ids ("POHJENTREK 07");
  a Polsek by its kecamatan ("POHJENTREK"), the Posko "POSKO", a reserve team "CADANGAN 1".
- **No signal.** A TPS with the `no_internet` indicator has no phone signal: the post of such a
  TPS reports through the nearest post of its kecamatan (its channel) with signal within
  `RELAY_KM` of road (a relay: its radio or a walk), else by a runner (kurir) to its Polsek;
  it checks in at fixed hours (`CHECK_IN`). A sector's lines are the same in the whole plan
  and in its petikan.

All numbers are Siaga's defaults, not doctrine (DOCTRINE.md gives practice, not figures).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from siaga.core.data import geo
from siaga.core.data.model import Post, Scenario, Unit, UnitKind
from siaga.core.data.text import number

CHANNELS = 16
COMMAND_CHANNEL = 1
RELAY_KM = 3.0
CHECK_IN = ("07.00", "10.00", "13.00", "16.00", "sesudah penghitungan")  # as the orders write time
NO_SIGNAL = "no_internet"


@dataclass(frozen=True, slots=True)
class Line:
    """One post's or unit's line of the comms plan."""

    post: str  # the post id, or the unit code
    kind: str  # TPS, VILLAGE, STANDBY, RESERVE, PATROL, POLSEK, POSKO
    kecamatan_code: str
    channel: int
    callsign: str
    signal: bool
    link: str = ""  # for a post without signal: "relay: <callsign>" or "kurir ke <Polsek>"
    check_in: tuple[str, ...] = ()


def plan(scenario: Scenario, posts: Iterable[Post]) -> list[Line]:
    """The comms plan of the posts: the Posko; each kecamatan's Polsek and posts (by id);
    the reserve teams."""
    regions = scenario.region_by_code()
    posts = sorted(posts, key=lambda p: (p.kind == "RESERVE", p.kecamatan_code, p.id))
    desa = {t.desa_code for t in scenario.tps}
    kecamatan = sorted(
        {regions[d].parent_code for d in desa if d in regions} | {p.kecamatan_code for p in posts if p.kecamatan_code}
    )
    channel = {k: 2 + i % (CHANNELS - 1) for i, k in enumerate(kecamatan)}
    name = {k: (regions[k].name if k in regions else k).upper() for k in kecamatan}
    no_signal = {t.id for t in scenario.tps if t.indicators.get(NO_SIGNAL, 0) >= 1}
    lines = [Line("POSKO", "POSKO", "", COMMAND_CHANNEL, "POSKO", True)]
    polsek: dict[str, Unit] = {}
    seen = {p.kecamatan_code for p in posts}
    for u in sorted(scenario.units, key=lambda u: u.code):
        if u.kind == UnitKind.POLSEK and u.kecamatan_code in channel and u.kecamatan_code in seen:
            polsek.setdefault(u.kecamatan_code, u)
            lines.append(
                Line(u.code, "POLSEK", u.kecamatan_code, channel[u.kecamatan_code], name[u.kecamatan_code], True)
            )
    counter: dict[str, int] = {}
    reserve = 0
    signal = np.array([not (set(p.tps) & no_signal) for p in posts], dtype=bool)
    lat = np.array([p.lat for p in posts], dtype=float)
    lon = np.array([p.lon for p in posts], dtype=float)
    callsigns: list[str] = []
    for p in posts:
        if p.kind == "RESERVE" or not p.kecamatan_code:
            reserve += 1
            callsigns.append(f"CADANGAN {reserve}")
        else:
            counter[p.kecamatan_code] = counter.get(p.kecamatan_code, 0) + 1
            callsigns.append(f"{name[p.kecamatan_code]} {counter[p.kecamatan_code]:02d}")
    for i, p in enumerate(posts):
        ch = channel.get(p.kecamatan_code, COMMAND_CHANNEL) if p.kind != "RESERVE" else COMMAND_CHANNEL
        if signal[i]:
            lines.append(Line(p.id, p.kind, p.kecamatan_code, ch, callsigns[i], True))
            continue
        km = geo.haversine_km_array(np.full(len(posts), p.lat), np.full(len(posts), p.lon), lat, lon)
        same = np.array([q.kecamatan_code == p.kecamatan_code for q in posts], dtype=bool)
        km = np.where(signal & same, km * scenario.operation.road_factor, np.inf)
        nearest = int(np.argmin(km)) if len(km) else -1
        if nearest >= 0 and km[nearest] <= RELAY_KM:
            link = f"relay: {callsigns[nearest]}, {number(float(km[nearest]), decimals=1)} km"
        else:
            unit = polsek.get(p.kecamatan_code)
            link = f"kurir ke {unit.name}" if unit is not None else "kurir ke Posko"
        lines.append(Line(p.id, p.kind, p.kecamatan_code, ch, callsigns[i], False, link, CHECK_IN))
    order = {k: i for i, k in enumerate(kecamatan)}

    def place(line: Line) -> tuple[int, int, int]:
        if line.kind == "POSKO":
            return (0, 0, 0)
        if line.kind == "RESERVE" or not line.kecamatan_code:
            return (2, 0, 0)
        return (1, order.get(line.kecamatan_code, 0), 0 if line.kind == "POLSEK" else 1)

    return sorted(lines, key=place)  # stable: each group keeps the order of its callsigns
