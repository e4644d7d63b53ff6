"""The units the Posko can send to an incident, by kind (DOCTRINE.md 12):

- each Polsek (a POLSEK unit of the scenario, at its station) has a Dalmas Awal team and a
  patrol, sent by its Kapolsek (only in his kecamatan) or by the Polres;
- the Polres (its POLRES unit) has the Dalmas Lanjut, sent by the Polres;
- the plan's reserve posts (RESERVE) are Brimob PHH or BKO reserves: sent only by the Kapolres
  (or whom he delegates) and, on an incident handed up to the Kapolda, by the Kapolda too
  (`authority.to_dispatch`), each by the plan's name of it (the Sprin's, `ploting.reserve_name`);
- the Kodim's standby group (KODIM) is TNI help on request: asked for by the Kapolres.

A unit is named by a code (never shown; a reserve keeps its post id, as the old API had it) and
shown by its name. A unit is busy from its dispatch until it is back (`kembali`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_noop

from siaga.core.data import geo
from siaga.core.data.model import Operation as CoreOperation
from siaga.core.documents.ploting import reserve_name
from siaga.field.models import Dispatch, Incident
from siaga.field.services import taxonomy as words
from siaga.field.services.common import posts_of
from siaga.operations.models import Operation, Unit
from siaga.plans.store import current_plan


@dataclass(frozen=True)
class Team:
    code: str
    kind: str  # taxonomy.UNIT_KINDS
    name: str
    kecamatan_code: str  # "" for a Polres, Brimob or TNI unit
    lat: float
    lon: float
    reserved: bool  # Brimob or a BKO reserve: the Kapolres (or his delegate) only
    message: tuple[str, Mapping[str, object]] = ("", {})  # `name`'s msgid and values

    def shown(self) -> str:
        """The name in the reader's language ("Patrol, Polsek Kraton"); `name` is the
        Indonesian one a dispatch and the audit keep."""
        msgid, values = self.message
        return gettext(msgid) % values if msgid else self.name


# A team's name by its kind: the Indonesian is what a dispatch keeps (`Dispatch.unit_name`).
NAMES = {
    "dalmas_awal": gettext_noop("Dalmas Awal Polsek %(where)s"),
    "patroli": gettext_noop("Patroli Polsek %(where)s"),
    "dalmas_lanjut": gettext_noop("Dalmas Lanjut %(unit)s"),
    "tni": gettext_noop("Siaga TNI %(unit)s"),
}


def _team(
    code: str, kind: str, name: str, values: Mapping[str, object], kecamatan: str, lat: float, lon: float, held: bool
) -> Team:
    """A team named by `NAMES[name]` (else the msgid `name`) with `values`; `held`: sent by the
    Kapolres only."""
    msgid = NAMES.get(name, name)
    return Team(code, kind, msgid % values, kecamatan, lat, lon, held, message=(msgid, dict(values)))


def _region_names(operation: Operation) -> dict[str, str]:
    return dict(operation.regions.order_by().values_list("code", "name"))


def _reserve_kind(required: dict[str, Any]) -> str:
    return words.BRIMOB_PHH if "BRIMOB" in required or not required else words.DALMAS_LANJUT


def teams(operation: Operation) -> dict[str, Team]:
    """Every unit of the operation that can be sent, by code."""
    names = _region_names(operation)
    out: dict[str, Team] = {}
    for unit in Unit.objects.filter(operation=operation).order_by("code"):
        if unit.kind == "POLSEK" and unit.kecamatan_code:
            where = names.get(unit.kecamatan_code, unit.name)
            for kind, label in ((words.DALMAS_AWAL, "dalmas_awal"), (words.PATROLI, "patroli")):
                code = f"{kind.upper()}:{unit.code}"
                at = (unit.kecamatan_code, unit.lat, unit.lon, False)
                out[code] = _team(code, kind, label, {"where": where}, *at)
        elif unit.kind == "POLRES" and not unit.bko_to:
            code = f"DALMAS_LANJUT:{unit.code}"
            at = ("", unit.lat, unit.lon, False)
            out[code] = _team(code, words.DALMAS_LANJUT, "dalmas_lanjut", {"unit": unit.name}, *at)
        elif unit.kind == "KODIM":
            code = f"TNI:{unit.code}"
            out[code] = _team(code, words.TNI, "tni", {"unit": unit.name}, "", unit.lat, unit.lon, True)
    plan = current_plan(operation.pk)
    if plan is not None:  # a reserve by the plan's name of it, the Sprin's (`ploting.reserve_name`)
        unit_names = dict(Unit.objects.filter(operation=operation).order_by().values_list("code", "name"))
        for post in (p for p in posts_of(plan).values() if p.get("kind") == "RESERVE"):
            required = dict(post.get("required") or {})
            kecamatan = names.get(str(post.get("kecamatan_code", "")), "")
            where = f"Kecamatan {kecamatan}" if kecamatan else ""
            msgid, values = reserve_name(str(post["id"]), required, unit_names, where)
            code = str(post["id"])
            at = ("", float(post["lat"]), float(post["lon"]), True)
            out[code] = _team(code, _reserve_kind(required), msgid, values, *at)
    return out


def travel(operation: Operation) -> tuple[float, float]:
    """The operation's road factor and speed (the core's defaults when not set)."""
    defaults = {f.name: f.default for f in dataclasses.fields(CoreOperation)}
    config = operation.config or {}
    return (
        float(config.get("road_factor", defaults["road_factor"])),
        float(config.get("speed_kmh", defaults["speed_kmh"])),
    )


def busy(operation_id: int) -> dict[str, Dispatch]:
    """The units out now (dispatched and not back), by code."""
    rows = Dispatch.objects.filter(operation_id=operation_id).exclude(status=Dispatch.Step.KEMBALI)
    return {row.post_id: row for row in rows}


def ranked(incident: Incident) -> list[dict[str, Any]]:
    """Every unit by road distance and travel time to the incident (as the core's geo counts
    them), the free ones first: each with its team, road km, ETA in minutes and whether it is
    out (and on which incident)."""
    if incident.lat is None or incident.lon is None:
        return []
    road, speed = travel(incident.operation)
    out_now = busy(incident.operation_id)
    rows = []
    for team in teams(incident.operation).values():
        km = geo.road_km(incident.lat, incident.lon, team.lat, team.lon, road)
        row = out_now.get(team.code)
        rows.append(
            {
                "team": team,
                "post_id": team.code,
                "road_km": round(km, 2),
                "eta_minutes": round(geo.travel_minutes(km, speed), 1),
                "busy": row is not None,
                "busy_on": row.incident_id if row is not None else None,
            }
        )
    return sorted(rows, key=lambda r: (r["busy"], r["eta_minutes"], r["post_id"]))
