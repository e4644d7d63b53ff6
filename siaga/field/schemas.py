"""What the field accepts, one input schema for the phone API and the console's apel alike.

Text limits come from the columns that store them, so a value longer than its column is a 422
(the schema's refusal), never a database error; NUL characters are refused everywhere.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db import models
from ninja import Field, Schema

from siaga.field.models import CheckIn, Incident, PostStatus, TpsEvent

NO_NUL = r"^[^\x00]*$"
TOKEN_LENGTH = 2000  # a card's signed token: far longer than any genuine one


def length(model: type[models.Model], name: str) -> int | None:
    """The length of the column that stores `model.name`."""
    return getattr(model._meta.get_field(name), "max_length", None)


PostCode = Annotated[str, Field(min_length=1, max_length=length(PostStatus, "post_id"), pattern=NO_NUL)]
TpsCode = Annotated[str, Field(min_length=1, max_length=length(TpsEvent, "tps_code"), pattern=NO_NUL)]
PersonCode = Annotated[str, Field(max_length=length(CheckIn, "person_code"), pattern=NO_NUL)]
Kind = Annotated[str, Field(min_length=1, max_length=length(Incident, "kind"), pattern=NO_NUL)]
IncidentPost = Annotated[str, Field(max_length=length(Incident, "post_id"), pattern=NO_NUL)]
IncidentTps = Annotated[str, Field(max_length=length(Incident, "tps_code"), pattern=NO_NUL)]
Lat = Annotated[float, Field(ge=-90, le=90)]
Lon = Annotated[float, Field(ge=-180, le=180)]


class CheckInIn(Schema):
    token: Annotated[str, Field(max_length=TOKEN_LENGTH, pattern=NO_NUL)] = ""
    nrp: PersonCode = ""
    method: Literal["", "nrp", "list"] = ""
    apel: Annotated[str, Field(max_length=length(CheckIn, "apel"), pattern=NO_NUL)] = ""  # "": before the pergeseran


# When the phone made a report (its queue's stamp, ISO 8601): read by `clock.reported`, which
# never refuses it (an unreadable or future stamp is taken as now), so any short text is taken.
MadeAt = Annotated[str, Field(max_length=40, pattern=NO_NUL)]


class StatusIn(Schema):
    status: PostStatus.Status
    lat: Lat | None = None
    lon: Lon | None = None
    at: MadeAt = ""


class TpsEventIn(Schema):
    kind: TpsEvent.Kind
    at: MadeAt = ""


class IncidentIn(Schema):
    kind: Kind
    severity: Annotated[int, Field(ge=1, le=3)]
    lat: Lat | None = None
    lon: Lon | None = None
    post_id: IncidentPost = ""
    tps_code: IncidentTps = ""
    duty_id: Annotated[str, Field(max_length=120, pattern=NO_NUL)] = ""  # a roster duty's place (escort, guard)
    leg: Annotated[int, Field(ge=0, le=99)] | None = None  # the escort's leg it happened on
    description: Annotated[str, Field(max_length=4000, pattern=NO_NUL)] = ""
    at: MadeAt = ""


# Escorts and the buku mutasi: the service checks every field itself and names the one it
# refuses in Indonesian (`services.custody`), so these take any JSON value.
DutyCode = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[^\x00/]*$")]


class EscortEventIn(Schema):
    kind: Any = None  # berangkat, tiba
    leg: Any = 0
    at: Any = None  # ISO time the phone recorded it; none: now


class ManifestIn(Schema):
    ballot_boxes: Any = None
    booths: Any = None
    seals: Any = None
    envelopes: Any = None
    plates: Any = None


class HandoverIn(Schema):
    leg: Any = 0
    end: Any = None  # asal (the leg's start), tujuan (its end)
    escort_code: Any = None
    other_name: Any = None
    other_code: Any = None
    other_office: Any = None
    ballot_boxes: Any = None
    booths: Any = None
    seals: Any = None
    envelopes: Any = None
    note: Any = None
    confirmed: Any = None
    at: Any = None


class EntryIn(Schema):
    kind: Any = None  # masuk, keluar, kunci
    name: Any = None
    code: Any = None
    purpose: Any = None
    padlock: Any = None
    key_to: Any = None
    at: Any = None


# The Posko's writes: free text is checked by the service, which names the field it refuses.
Note = Annotated[str, Field(max_length=4000, pattern=NO_NUL)]


class NoteIn(Schema):
    note: Note = ""


class CloseIn(Schema):
    disposition: Annotated[str, Field(max_length=20)] = ""
    note: Note = ""
    confirmed: Any = None


class StepIn(Schema):
    status: Annotated[str, Field(max_length=20)]
    note: Note = ""


class SeizeIn(Schema):
    item: Any = None
    quantity: Any = None
    from_whom: Any = None
    kept_at: Any = None


class CustodyIn(Schema):
    holder: Any = None
    kept_at: Any = None
    note: Any = None


class AreaIn(Schema):
    status: Annotated[str, Field(max_length=8)]
    note: Note = ""


class DelegationIn(Schema):
    user: Annotated[int, Field(ge=1, le=2**31 - 1)]
    granted: bool = True
