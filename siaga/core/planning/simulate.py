"""The election-day stress test: many simulated days of incidents against a plan's responders.

Each run draws the day's incidents from the vulnerability model, dispatches the responders of
the plan by the operation's policy and measures how long each incident waits for help. The
same seed gives the same draws, whatever the plan: two plans of one scenario are compared on
the same incidents.

**Incidents.** Each TPS has incidents at a rate per election day by its category (the model's
category in force: the scenario's override, else its score against the operation's weights,
or the calibrated weights when given), scaled by its score: `rate x (0.5 + score / 100)`. Their
hour follows a profile over the day from 06:00 (the opening, voting, the count, the night).
Severity (ringan, sedang, berat) is drawn by category. These numbers are Siaga's defaults
(`Settings`): DOCTRINE.md gives none; 2019 and 2024 records are counts, not rates.

**Dispatch** (DOCTRINE.md 12, Perkap 16/2006): a ringan incident is handled by the post at the
TPS (no dispatch). A sedang one gets Dalmas Awal, the kecamatan's Polsek team (one per Polsek
at its point), else the nearest reserve team; a berat one gets a reserve team (Brimob PHH,
lintas ganti), the plan's RESERVE posts. Among the teams it may send, the Posko sends the one
that reaches the TPS first (a free team by road time; a busy one when it is free again). A team
is busy for the road there, its time on the scene by severity and the road back.

**Report.** Response time (from the report to the team's arrival, in minutes): median, p90 and
worst, overall, by kecamatan and by category; incidents that waited for a busy team; the share
of the day all reserve teams were busy at once (saturated); the TPS whose worst case is longest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from siaga.core.data import geo
from siaga.core.data.model import Category, Plan, Scenario, UnitKind
from siaga.core.planning.risk import RiskModel, assess

RINGAN, SEDANG, BERAT = 0, 1, 2
SEVERITY = ("ringan", "sedang", "berat")


@dataclass(frozen=True)
class Settings:
    """Siaga's defaults for the stress test (none is doctrine)."""

    rate: Mapping[Category, float] = field(
        default_factory=lambda: {
            Category.KURANG_RAWAN: 0.004,
            Category.RAWAN: 0.012,
            Category.SANGAT_RAWAN: 0.04,
            Category.KHUSUS: 0.04,
        }
    )  # incidents per TPS per election day
    # chance of sedang and berat by category (the rest is ringan)
    severity: Mapping[Category, tuple[float, float]] = field(
        default_factory=lambda: {
            Category.KURANG_RAWAN: (0.3, 0.05),
            Category.RAWAN: (0.4, 0.1),
            Category.SANGAT_RAWAN: (0.45, 0.2),
            Category.KHUSUS: (0.45, 0.2),
        }
    )
    # relative weight of each hour from 06:00: the opening, voting, the count, the night
    profile: tuple[float, ...] = (
        2,
        2,
        1.5,
        1,
        1,
        1,
        1,
        1.2,
        1.5,
        1.5,
        1.5,
        1.5,
        1.5,
        1.2,
        1,
        0.6,
        0.4,
        0.3,
        0.3,
        0.3,
        0.3,
        0.4,
        0.6,
        1,
    )
    on_scene_minutes: tuple[float, float, float] = (0.0, 45.0, 120.0)
    polsek_teams: int = 1


@dataclass(frozen=True)
class Stats:
    count: int
    median: float
    p90: float
    worst: float

    @classmethod
    def of(cls, minutes: np.ndarray) -> Stats:
        if not len(minutes):
            return cls(0, 0.0, 0.0, 0.0)
        return cls(
            int(len(minutes)),
            round(float(np.median(minutes)), 1),
            round(float(np.percentile(minutes, 90)), 1),
            round(float(minutes.max()), 1),
        )


@dataclass(frozen=True)
class Report:
    runs: int
    seed: int
    incidents: int  # all drawn, ringan included
    dispatched: int
    overall: Stats
    by_kecamatan: dict[str, Stats]
    by_category: dict[str, Stats]
    by_severity: dict[str, Stats]
    waited: int  # dispatches that waited for a busy team
    saturated_share: float  # of the simulated time, all reserve teams busy at once
    worst_tps: list[tuple[str, float]]  # (TPS, its worst response in minutes), longest first
    teams: dict[str, int]  # responders by kind

    def to_json(self) -> dict[str, Any]:
        def stats(s: Stats) -> dict[str, float]:
            return {"count": s.count, "median": s.median, "p90": s.p90, "worst": s.worst}

        return {
            "format": "siaga-simulation/1",
            "runs": self.runs,
            "seed": self.seed,
            "incidents": self.incidents,
            "dispatched": self.dispatched,
            "response_minutes": stats(self.overall),
            "by_kecamatan": {k: stats(v) for k, v in self.by_kecamatan.items()},
            "by_category": {k: stats(v) for k, v in self.by_category.items()},
            "by_severity": {k: stats(v) for k, v in self.by_severity.items()},
            "waited": self.waited,
            "saturated_share": self.saturated_share,
            "worst_tps": [{"tps": t, "minutes": m} for t, m in self.worst_tps],
            "teams": self.teams,
        }


@dataclass(frozen=True)
class Draws:
    """The incidents of every run, independent of any plan: per incident its run, TPS index,
    minute of the day (from 06:00) and severity."""

    run: np.ndarray
    tps: np.ndarray
    minute: np.ndarray
    severity: np.ndarray
    runs: int
    seed: int


def draw(
    scenario: Scenario, runs: int, seed: int, model: RiskModel | None = None, settings: Settings | None = None
) -> Draws:
    """`runs` days of incidents at the scenario's TPS; the same seed gives the same days."""
    settings = settings or Settings()
    found = assess(scenario, model)
    rates = np.array(
        [settings.rate[found[t.id].category] * (0.5 + found[t.id].score / 100) for t in scenario.tps], dtype=float
    )
    rng = np.random.default_rng(seed)
    counts = rng.poisson(np.tile(rates, runs))
    which = np.repeat(np.arange(len(rates) * runs), counts)
    run, tps = which // max(len(rates), 1), which % max(len(rates), 1)
    profile = np.array(settings.profile, dtype=float)
    hour = rng.choice(len(profile), size=len(which), p=profile / profile.sum())
    minute = hour * 60 + rng.uniform(0, 60, size=len(which))
    chances = np.array([settings.severity[found[t.id].category] for t in scenario.tps], dtype=float)
    roll = rng.uniform(size=len(which))
    sedang, berat = chances[tps, 0], chances[tps, 1]
    severity = np.where(roll < berat, BERAT, np.where(roll < berat + sedang, SEDANG, RINGAN))
    order = np.lexsort((minute, run))
    return Draws(run[order], tps[order], minute[order], severity[order], runs, seed)


@dataclass(frozen=True)
class _Teams:
    lat: np.ndarray
    lon: np.ndarray
    reserve: np.ndarray  # bool: a reserve team (Brimob PHH); else a Polsek team
    kecamatan: np.ndarray  # a Polsek team's kecamatan


def _teams(scenario: Scenario, plan: Plan, settings: Settings) -> _Teams:
    rows: list[tuple[float, float, bool, str]] = []
    for u in sorted(scenario.units, key=lambda u: u.code):
        if u.kind == UnitKind.POLSEK and u.lat is not None and u.lon is not None:
            lat, lon = (u.assembly_lat, u.assembly_lon) if u.assembly_lat is not None else (u.lat, u.lon)
            rows += [(float(lat), float(lon), False, u.kecamatan_code)] * settings.polsek_teams  # type: ignore[arg-type]
    rows += [(p.lat, p.lon, True, "") for p in plan.posts if p.kind == "RESERVE"]
    return _Teams(
        np.array([r[0] for r in rows], dtype=float),
        np.array([r[1] for r in rows], dtype=float),
        np.array([r[2] for r in rows], dtype=bool),
        np.array([r[3] for r in rows], dtype=object),
    )


def simulate(
    scenario: Scenario,
    plan: Plan,
    runs: int = 100,
    seed: int = 1,
    model: RiskModel | None = None,
    settings: Settings | None = None,
    draws: Draws | None = None,
) -> Report:
    """The plan's responders against `runs` simulated days (or the `draws` given)."""
    settings = settings or Settings()
    draws = draws or draw(scenario, runs, seed, model, settings)
    op = scenario.operation
    teams = _teams(scenario, plan, settings)
    tps_lat = np.array([t.lat for t in scenario.tps], dtype=float)
    tps_lon = np.array([t.lon for t in scenario.tps], dtype=float)
    regions = scenario.region_by_code()
    tps_kec = np.array([regions[t.desa_code].parent_code if t.desa_code in regions else "" for t in scenario.tps])
    road = geo.distance_matrix_km(tps_lat, tps_lon, teams.lat, teams.lon) * op.road_factor
    travel = road / op.speed_kmh * 60  # minutes from each team's base to each TPS
    own = tps_kec[:, None] == teams.kecamatan[None, :]
    scene = np.array(settings.on_scene_minutes)
    need = draws.severity > RINGAN
    idx = np.flatnonzero(need)
    response = np.zeros(len(idx))
    waited = 0
    busy_all = 0.0
    n_reserve = int(teams.reserve.sum())
    free_at = np.zeros(len(teams.lat))
    current = -1
    spans: list[tuple[float, float]] = []  # each reserve team's busy spans in the current run
    for j, k in enumerate(idx.tolist()):
        run, t, minute, sev = int(draws.run[k]), int(draws.tps[k]), float(draws.minute[k]), int(draws.severity[k])
        if run != current:
            busy_all += _saturated(spans, n_reserve)
            spans = []
            free_at[:] = 0.0
            current = run
        if sev == SEDANG:
            allowed = own[t] & ~teams.reserve
            if not allowed.any() or (free_at[allowed] > minute).all():
                allowed = allowed | teams.reserve if teams.reserve.any() else allowed
        else:
            allowed = teams.reserve if teams.reserve.any() else ~teams.reserve
        if not allowed.any():
            allowed = np.ones(len(free_at), dtype=bool)
        if not len(free_at):
            response[j] = np.inf
            continue
        arrive = np.maximum(free_at, minute) + travel[t]
        arrive = np.where(allowed, arrive, np.inf)
        team = int(np.argmin(arrive))
        start = max(free_at[team], minute)
        if start > minute:
            waited += 1
        response[j] = arrive[team] - minute
        free_at[team] = arrive[team] + scene[sev] + travel[t, team]
        if teams.reserve[team]:
            spans.append((start, free_at[team]))
    busy_all += _saturated(spans, n_reserve)
    tps_of = draws.tps[idx]
    ids = [t.id for t in scenario.tps]
    found = assess(scenario, model)
    category = np.array([found[i].category.value for i in ids])
    worst: dict[int, float] = defaultdict(float)
    for t, m in zip(tps_of.tolist(), response.tolist(), strict=True):
        worst[t] = max(worst[t], m)
    longest = sorted(worst.items(), key=lambda x: (-x[1], ids[x[0]]))[:10]
    return Report(
        runs=draws.runs,
        seed=draws.seed,
        incidents=int(len(draws.run)),
        dispatched=int(len(idx)),
        overall=Stats.of(response),
        by_kecamatan={k: Stats.of(response[tps_kec[tps_of] == k]) for k in sorted(set(tps_kec[tps_of].tolist()))},
        by_category={c.value: Stats.of(response[category[tps_of] == c.value]) for c in Category},
        by_severity={SEVERITY[s]: Stats.of(response[draws.severity[idx] == s]) for s in (SEDANG, BERAT)},
        waited=waited,
        saturated_share=round(busy_all / (draws.runs * 24 * 60), 4) if draws.runs else 0.0,
        worst_tps=[(ids[t], round(m, 1)) for t, m in longest],
        teams={"polsek": int((~teams.reserve).sum()), "reserve": n_reserve},
    )


def _saturated(spans: list[tuple[float, float]], teams: int) -> float:
    """Minutes of the day (06:00 + 24 h) during which all `teams` were busy at once."""
    if not teams or len(spans) < teams:
        return 0.0
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    busy, last, total = 0, 0.0, 0.0
    for at, step in events:
        at = min(at, 24 * 60.0)
        if busy >= teams:
            total += at - last
        busy += step
        last = at
    return total


def compare(
    scenario: Scenario, plans: list[Plan], runs: int = 100, seed: int = 1, model: RiskModel | None = None
) -> list[Report]:
    """The plans on the same simulated days."""
    draws = draw(scenario, runs, seed, model)
    return [simulate(scenario, p, draws=draws, model=model) for p in plans]
