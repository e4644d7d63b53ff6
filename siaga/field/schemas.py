"""What the field accepts, one input schema for the phone API and the console's apel alike.

Text limits come from the columns that store them, so a value longer than its column is a 422
(the schema's refusal), never a database error; NUL characters are refused everywhere.
"""

from __future__ import annotations

from typing import Annotated, Literal

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


class StatusIn(Schema):
    status: PostStatus.Status
    lat: Lat | None = None
    lon: Lon | None = None


class TpsEventIn(Schema):
    kind: TpsEvent.Kind


class IncidentIn(Schema):
    kind: Kind
    severity: Annotated[int, Field(ge=1, le=3)]
    lat: Lat | None = None
    lon: Lon | None = None
    post_id: IncidentPost = ""
    tps_code: IncidentTps = ""
    description: Annotated[str, Field(max_length=4000, pattern=NO_NUL)] = ""
