"""The Posko's words: incident kinds (with the election offences among them), severities,
command levels, the kinds of unit sent, each unit's status clock, closing dispositions and
area statuses, each with its label in the user's language. Stored values never reach a page:
a page shows the label.

An incident's kind is the phone's free text (an old phone's queue may still send an old kind,
or a word of its own): `kind_of` maps the old kinds onto the taxonomy and keeps any other
word as it was typed (shown as typed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from siaga.core.data import stages
from siaga.field.models import AreaStatus, Dispatch, Incident
from siaga.operations.models import Operation
from siaga.operations.services import core_operation

KINDS: dict[str, Any] = {
    "gangguan kamtibmas": _("gangguan kamtibmas"),
    "unjuk rasa": _("unjuk rasa"),
    "bentrok": _("bentrok"),
    "politik uang": _("politik uang"),
    "intimidasi": _("intimidasi"),
    "kerusakan logistik": _("kerusakan logistik"),
    "bencana": _("bencana"),
    "kecelakaan": _("kecelakaan"),
    "lainnya": _("lainnya"),
}
OLD_KINDS = {
    "keributan": "gangguan kamtibmas",
    "kericuhan": "gangguan kamtibmas",
    "gangguan logistik": "kerusakan logistik",
    "kerusakan kotak suara": "kerusakan logistik",
}
# Election offences. In a Pemilu (UU 7/2017) or a Pilkada (UU 10/2016) Polri does not close them
# alone: they go to Bawaslu and the Gakkumdu within 7 days of being known (DOCTRINE.md 12). A
# Pilkades (Permendagri 112/2014) has no Bawaslu or Gakkumdu: Polri itself takes the crime
# (KUHP, Reskrim) and the village committee the dispute. Which way an operation goes is its
# setting `offence_route`; blank follows its election kind (`offence_route`).
OFFENCES = frozenset({"politik uang", "intimidasi"})
REFERRAL_DAYS = 7
GAKKUMDU, POLRI = "gakkumdu", "polri"  # the two ways an election offence goes
ROUTES = (GAKKUMDU, POLRI)
ROUTE_SETTING = "offence_route"
# how an offence not yet passed on may close, by way
OFFENCE_CLOSINGS: dict[str, tuple[str, ...]] = {
    GAKKUMDU: (Incident.Disposition.GAKKUMDU,),
    POLRI: (Incident.Disposition.RESKRIM, Incident.Disposition.PANITIA),
}

SEVERITIES: dict[int, Any] = {1: _("ringan"), 2: _("serius"), 3: _("berat")}
SEVERE = 3

COMMAND: dict[str, Any] = {
    Incident.Level.POLSEK: _("Kapolsek"),
    Incident.Level.POLRES: _("Kapolres"),
    Incident.Level.POLDA: _("Kapolda"),
}
STATUS: dict[str, Any] = {
    Incident.Status.DILAPORKAN: _("dilaporkan"),
    Incident.Status.DITANGANI: _("ditangani"),
    Incident.Status.SELESAI: _("selesai"),
}
DISPOSITIONS: dict[str, Any] = {
    Incident.Disposition.SELESAI_DI_TEMPAT: _("selesai di tempat"),
    Incident.Disposition.GAKKUMDU: _("diserahkan ke Gakkumdu/Bawaslu"),
    Incident.Disposition.RESKRIM: _("diserahkan ke Reskrim"),
    Incident.Disposition.PANITIA: _("diserahkan ke panitia pemilihan"),
    Incident.Disposition.LAINNYA: _("lainnya"),
}
# the closings each way offers: Bawaslu/Gakkumdu only where they have authority, the village
# committee only in a Pilkades
ROUTE_DISPOSITIONS: dict[str, tuple[str, ...]] = {
    GAKKUMDU: tuple(d for d in DISPOSITIONS if d != Incident.Disposition.PANITIA),
    POLRI: tuple(d for d in DISPOSITIONS if d != Incident.Disposition.GAKKUMDU),
}

# The doctrinal ladder of force (Perkap 16/2006): green Dalmas Awal, yellow Dalmas Lanjut, red
# lintas ganti to Brimob PHH; patrols beside it; TNI on request.
DALMAS_AWAL, DALMAS_LANJUT, BRIMOB_PHH, PATROLI, TNI = "dalmas_awal", "dalmas_lanjut", "brimob_phh", "patroli", "tni"
UNIT_KINDS: dict[str, Any] = {
    DALMAS_AWAL: _("Dalmas Awal"),
    DALMAS_LANJUT: _("Dalmas Lanjut"),
    BRIMOB_PHH: _("Brimob PHH"),
    PATROLI: _("Patroli"),
    TNI: _("Siaga TNI (atas permintaan)"),
}
STEPS: dict[str, Any] = {
    Dispatch.Step.DIKERAHKAN: _("dikerahkan"),
    Dispatch.Step.DALAM_PERJALANAN: _("dalam perjalanan"),
    Dispatch.Step.TIBA: _("tiba"),
    Dispatch.Step.SELESAI: _("selesai"),
    Dispatch.Step.KEMBALI: _("kembali"),
}
# A unit still on its way when its incident is closed: called back, never arrived (its status
# clock ends at `selesai` at the closing time with no `tiba`; `incidents.recalled`).
RECALLED = "ditarik"
RECALLED_LABEL = _("ditarik sebelum tiba")
STEP_TIME: dict[str, str] = {  # the column that keeps when a unit reached each step
    Dispatch.Step.DIKERAHKAN: "at",
    Dispatch.Step.DALAM_PERJALANAN: "departed_at",
    Dispatch.Step.TIBA: "arrived_at",
    Dispatch.Step.SELESAI: "done_at",
    Dispatch.Step.KEMBALI: "returned_at",
}
AREA: dict[str, Any] = {
    AreaStatus.Color.HIJAU: _("hijau"),
    AreaStatus.Color.KUNING: _("kuning"),
    AreaStatus.Color.MERAH: _("merah"),
}
ACTIONS: dict[str, Any] = {
    "escalate": _("komando dinaikkan"),
    "close": _("ditutup"),
    "photo": _("foto dilampirkan"),
    "dispatch": _("satuan dikerahkan"),
    "unit": _("status satuan"),
    "refer": _("diteruskan ke Bawaslu/Gakkumdu"),
    "seize": _("barang disita"),
    "custody": _("barang sitaan berpindah tangan"),
}


def kind_of(kind: str) -> str:
    """The taxonomy's kind for a reported kind (an old kind mapped; another word kept)."""
    word = " ".join(kind.split()).lower()
    return OLD_KINDS.get(word, word if word in KINDS else kind.strip())


def kind_label(kind: str) -> Any:
    return KINDS.get(kind, kind)


def is_offence(incident: Incident) -> bool:
    return incident.kind in OFFENCES


def offence_route(operation: Operation) -> str:
    """How the operation's election offences go: GAKKUMDU (to Bawaslu and the Gakkumdu within 7
    days) or POLRI (a Pilkades: Reskrim or the village committee, no Bawaslu deadline). The
    operation's setting `offence_route` when it names one, else its election kind's."""
    chosen = str((operation.config or {}).get(ROUTE_SETTING) or "").strip().lower()
    if chosen in ROUTES:
        return chosen
    return POLRI if stages.election_of(core_operation(operation)) == "PILKADES" else GAKKUMDU


def needs_referral(incident: Incident, route: str) -> bool:
    """An election offence that must be passed to Bawaslu/Gakkumdu (not in a Pilkades)."""
    return route == GAKKUMDU and is_offence(incident)


def closings(incident: Incident, route: str) -> tuple[str, ...]:
    """The dispositions `incident` may close with now: an offence not yet passed on only as
    handed to Bawaslu/Gakkumdu (or, in a Pilkades, to Reskrim or the village committee)."""
    if is_offence(incident) and incident.referred_at is None:
        return OFFENCE_CLOSINGS[route]
    return ROUTE_DISPOSITIONS[route]


def referral_due(incident: Incident) -> dt.datetime:
    """The last moment to pass an election offence to Bawaslu/Gakkumdu: 7 days after the report."""
    return incident.reported_at + dt.timedelta(days=REFERRAL_DAYS)
