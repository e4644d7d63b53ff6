"""The JSON API for phones (django-ninja; the schema at /api/openapi.json; the Swagger UI page at
/api/docs only with SIAGA_DEBUG=1, as it loads its script from a CDN).

Session authentication, with Django's CSRF check on writes (the phone page is served by the
console, so it sends the same session cookie and the CSRF header). Every write needs an
`Idempotency-Key` header; a retry with the same key answers with the stored record, and the
same key with another request is a 409 (siaga/field/idempotency.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, File, Header, NinjaAPI, Path, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from siaga.accounts.models import Role
from siaga.accounts.roles import ALLOWED, role_of
from siaga.accounts.scope import operations_for
from siaga.field import services
from siaga.field.idempotency import KeyedRouter
from siaga.field.models import KEY_LENGTH, CheckIn, Dispatch, Incident
from siaga.field.schemas import (
    AreaIn,
    CheckInIn,
    CloseIn,
    CustodyIn,
    DelegationIn,
    DutyCode,
    EntryIn,
    EscortEventIn,
    HandoverIn,
    IncidentIn,
    ManifestIn,
    NoteIn,
    PostCode,
    SeizeIn,
    StatusIn,
    StepIn,
    TpsCode,
    TpsEventIn,
)
from siaga.field.services import taxonomy as words
from siaga.plans.models import Plan

# The roles that may make some write of this API (each write checks its own rule after): all
# but the viewer, who is refused before his key or input is read (idempotency.KeyedRouter).
API_WRITERS = services.FIELD_WRITERS | ALLOWED["posko"] | ALLOWED["command"] | {Role.POLDA}

api = NinjaAPI(
    title="Siaga field API",
    version="1",
    urls_namespace="field_api",
    auth=django_auth,
    docs_url="/docs" if settings.DEBUG else None,  # Swagger UI comes from a CDN: nothing leaves a user's machine
    default_router=KeyedRouter(API_WRITERS),  # every write's Idempotency-Key bound to its request (409 on another)
)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Code = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[^\x00]*$")]
Key = Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=KEY_LENGTH, pattern=r"^[!-~]+$")]


class Error(Schema):
    detail: str


@api.exception_handler(services.FieldError)
def field_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=422)


@api.exception_handler(services.NoCurrentPlan)
def no_current_plan(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(services.Busy)
def busy(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(services.KeyConflict)
def key_conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
    detail = _("Kunci Idempotency-Key ini sudah dipakai untuk catatan lain.")
    return api.create_response(request, {"detail": detail}, status=409)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A refusal says why (`services.Refused`); any other, that the role may not do it."""
    detail = str(exc) if isinstance(exc, services.Refused) else _("Peran Anda tidak berwenang melakukan tindakan ini.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(services.NotVisible)
@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    detail = _("Data ini tidak ditemukan atau di luar wilayah Anda.")
    return api.create_response(request, {"detail": detail}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "not logged in"}, status=401)


# What is wrong with one field, by pydantic's error type, in the reader's words (pydantic says
# it in English); the `type` and `loc` of each error stay as they are, for programs.
INVALID_WORDS = {
    "missing": gettext_noop("wajib diisi"),
    "string_too_short": gettext_noop("terlalu pendek"),
    "string_too_long": gettext_noop("terlalu panjang"),
    "too_long": gettext_noop("terlalu panjang"),
    "string_pattern_mismatch": gettext_noop("bentuknya tidak sah"),
    "int_parsing": gettext_noop("harus berupa angka"),
    "int_type": gettext_noop("harus berupa angka"),
    "float_parsing": gettext_noop("harus berupa angka"),
    "greater_than_equal": gettext_noop("di luar batas yang diizinkan"),
    "less_than_equal": gettext_noop("di luar batas yang diizinkan"),
    "literal_error": gettext_noop("bukan pilihan yang sah"),
    "enum": gettext_noop("bukan pilihan yang sah"),
    "datetime_parsing": gettext_noop("bukan tanggal dan jam yang sah"),
    "bool_parsing": gettext_noop("harus ya atau tidak"),
}


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """400 without a sound Idempotency-Key (said so), else 422. `detail` is read by people (the
    phone's log, the incident page); `errors` by programs, each `msg` in the reader's words too."""
    missing_key = any("Idempotency-Key" in [str(p) for p in e.get("loc", ())] for e in exc.errors)
    errors = [{**e, "msg": _(INVALID_WORDS.get(str(e.get("type")), gettext_noop("tidak sah")))} for e in exc.errors]
    detail = _("Kunci idempotensi tidak ada atau tidak sah.") if missing_key else _("Isian tidak sah.")
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400 if missing_key else 422)


def _plan(pk: int, user: Any) -> Plan:
    """The current (published) plan of the operation of plan `pk`: the field writes and reads
    there, whichever version the phone last loaded (409 before any version is published)."""
    if not role_of(user):
        raise PermissionDenied("view")
    plan = Plan.objects.select_related("operation").filter(pk=pk, operation__in=operations_for(user)).first()
    if plan is None:
        raise Http404
    return services.current(plan)


WRITE = {400: Any, 401: Error, 403: Error, 404: Error, 409: Error, 422: Any}
READ = {200: Any, 401: Error, 403: Error, 404: Error, 422: Any}


# -- apel --------------------------------------------------------------------------------------


class CheckInOut(Schema):
    id: int
    person_code: str
    method: str
    at: datetime
    version: int  # the current plan version the check-in was checked against
    note: str = ""  # e.g. "Kartu dari versi 1; pos sekarang (versi 2): ..."


@api.post("/plans/{plan_id}/checkins", response={201: CheckInOut, **WRITE})
def post_checkin(request: HttpRequest, plan_id: Id, body: CheckInIn, idempotency_key: Key) -> Any:
    plan = _plan(plan_id, request.user)
    row, _ = services.check_in(
        plan,
        request.user,
        idempotency_key,
        token=body.token,
        nrp=body.nrp,
        method=body.method,
        apel=body.apel,
        request=request,
    )
    note = services.card_note(plan, body.token) if body.token else ""
    out = {"id": row.pk, "person_code": row.person_code, "method": row.method, "at": row.at}
    return Status(201, {**out, "version": plan.version, "note": note})


class Count(Schema):
    code: str
    name: str
    present: int
    expected: int


class Readiness(Schema):
    present: int
    expected: int
    units: list[Count]
    forces: list[Count]


@api.get("/plans/{plan_id}/readiness", response={200: Readiness, **READ})
def get_readiness(request: HttpRequest, plan_id: Id, apel: str = "") -> Any:
    """Present and expected at one apel (`apel`, a key of the apel page's links; none: the apel
    before the pergeseran)."""
    plan = _plan(plan_id, request.user)
    if apel:
        services.apel_of(plan.operation, apel)
    return services.readiness(plan, request.user, apel)


class ReplanIn(Schema):
    absent: list[Code] | None = None


class ReplanOut(Schema):
    job: int | None
    absent: list[str]


@api.post("/plans/{plan_id}/absentees/replan", response={201: ReplanOut, **WRITE})
def post_replan(request: HttpRequest, plan_id: Id, body: ReplanIn, idempotency_key: Key) -> Any:
    plan = _plan(plan_id, request.user)
    row, _ = services.replan_absentees(plan, request.user, idempotency_key, body.absent, request)
    return Status(201, {"job": row.job_id, "absent": row.absent})


# -- pergeseran --------------------------------------------------------------------------------


class StatusOut(Schema):
    id: int
    post_id: str
    status: str
    at: datetime
    lat: float | None
    lon: float | None
    distance_km: float | None
    flagged: bool


@api.post("/plans/{plan_id}/posts/{post_id}/status", response={201: StatusOut, **WRITE})
def post_status(request: HttpRequest, plan_id: Id, post_id: PostCode, body: StatusIn, idempotency_key: Key) -> Any:
    plan = _plan(plan_id, request.user)
    row, _ = services.set_post_status(
        plan, post_id, body.status, request.user, idempotency_key, body.lat, body.lon, request, at=body.at
    )
    return Status(201, row)


class BoardPost(Schema):
    post_id: str
    kind: str
    status: str
    at: datetime | None


@api.get("/plans/{plan_id}/board", response={200: dict[str, list[BoardPost]], **READ})
def get_board(request: HttpRequest, plan_id: Id) -> Any:
    return services.board(_plan(plan_id, request.user), request.user)


# -- election day ------------------------------------------------------------------------------


class TpsEventOut(Schema):
    id: int
    tps_code: str
    kind: str
    at: datetime


@api.post("/plans/{plan_id}/tps/{tps_code}/events", response={201: TpsEventOut, **WRITE})
def post_tps_event(request: HttpRequest, plan_id: Id, tps_code: TpsCode, body: TpsEventIn, idempotency_key: Key) -> Any:
    plan = _plan(plan_id, request.user)
    row, _ = services.tps_event(plan, tps_code, body.kind, request.user, idempotency_key, request, at=body.at)
    return Status(201, row)


class IncidentOut(Schema):
    id: int
    kind: str
    severity: int
    lat: float | None
    lon: float | None
    post_id: str
    tps_code: str
    duty_id: str  # a roster duty's (an escort, a guard): then no post_id
    leg: str  # the escort's leg, its index in the duty's route ("0": the first); "" for none
    kecamatan_code: str
    description: str
    status: str
    level: str  # who commands: polsek (Kapolsek), polres (Kapolres), polda (Kapolda)
    command: str  # the same, as shown
    reported_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    disposition: str
    referred_at: datetime | None

    @staticmethod
    def resolve_closed_by(obj: Incident) -> str | None:
        return obj.closed_by.get_username() if obj.closed_by else None

    @staticmethod
    def resolve_command(obj: Incident) -> str:
        return str(words.COMMAND.get(obj.level, obj.level))


@api.post("/plans/{plan_id}/incidents", response={201: IncidentOut, **WRITE})
def post_incident(request: HttpRequest, plan_id: Id, body: IncidentIn, idempotency_key: Key) -> Any:
    plan = _plan(plan_id, request.user)
    row, _ = services.report_incident(plan, request.user, idempotency_key, body.dict(), request)
    return Status(201, row)


@api.post("/incidents/{incident_id}/escalate", response={200: IncidentOut, **WRITE})
def post_escalate(request: HttpRequest, incident_id: Id, idempotency_key: Key, body: NoteIn | None = None) -> Any:
    """Command one step up: Kapolsek -> Kapolres -> Kapolda."""
    incident = services.incident_for(incident_id, request.user)
    services.escalate(incident, request.user, idempotency_key, request, note=body.note if body else "")
    return Status(200, incident)


@api.post("/incidents/{incident_id}/close", response={200: IncidentOut, **WRITE})
def post_close(request: HttpRequest, incident_id: Id, idempotency_key: Key, body: CloseIn | None = None) -> Any:
    """Close with a `disposition` (selesai_di_tempat, gakkumdu, reskrim, panitia, lainnya: gakkumdu
    not in a Pilkades, panitia only there), a `note` and `confirmed: true`; an election offence
    closes only once passed to Bawaslu/Gakkumdu (a Pilkades's: as handed to reskrim or panitia)."""
    incident = services.incident_for(incident_id, request.user)
    given = body or CloseIn()
    services.close(
        incident, request.user, idempotency_key, request, given.disposition, given.note, given.confirmed is True
    )
    return Status(200, incident)


@api.post("/incidents/{incident_id}/refer", response={200: IncidentOut, **WRITE})
def post_refer(request: HttpRequest, incident_id: Id, body: NoteIn, idempotency_key: Key) -> Any:
    """The election offence passed to Bawaslu and the Gakkumdu (`note`: the letter, to whom)."""
    incident = services.incident_for(incident_id, request.user)
    services.refer(incident, request.user, idempotency_key, body.note, request)
    return Status(200, incident)


class Reserve(Schema):
    post_id: str  # the unit's code
    name: str
    kind: str
    road_km: float
    eta_minutes: float
    busy: bool
    may_dispatch: bool
    refusal: str | None


@api.get("/incidents/{incident_id}/reserves", response={200: list[Reserve], **READ})
def get_reserves(request: HttpRequest, incident_id: Id) -> Any:
    """Every unit by travel time to the incident, free ones first; whether the caller may send it."""
    rows = services.reserves(services.incident_for(incident_id, request.user), request.user)
    return [{**r, "may_dispatch": r["refusal"] is None} for r in rows]


class DispatchIn(Schema):
    post_id: Annotated[str, Field(max_length=80, pattern=r"^[^\x00]*$")] | None = None


class DispatchOut(Schema):
    id: int
    incident_id: int
    post_id: str
    unit_name: str
    eta_minutes: float
    status: str
    at: datetime


@api.post("/incidents/{incident_id}/dispatch", response={201: DispatchOut, **WRITE})
def post_dispatch(request: HttpRequest, incident_id: Id, idempotency_key: Key, body: DispatchIn | None = None) -> Any:
    """Send a unit (`post_id`, the unit's code; none: the nearest free one the caller may send).
    A unit that is out is a 409."""
    incident = services.incident_for(incident_id, request.user)
    row: Dispatch
    row, _ = services.dispatch(incident, request.user, idempotency_key, body.post_id if body else None, request)
    return Status(201, row)


@api.post("/dispatches/{dispatch_id}/status", response={200: DispatchOut, **WRITE})
def post_unit_status(request: HttpRequest, dispatch_id: Id, body: StepIn, idempotency_key: Key) -> Any:
    """The unit's next step: dalam_perjalanan, tiba, selesai, kembali."""
    row = services.dispatch_for(dispatch_id, request.user)
    services.advance(row, request.user, idempotency_key, body.status, request, body.note)
    return Status(200, row)


class SeizedOut(Schema):
    id: int
    incident_id: int
    item: str
    quantity: str
    from_whom: str
    kept_at: str
    at: datetime


@api.post("/incidents/{incident_id}/seized", response={201: SeizedOut, **WRITE})
def post_seized(request: HttpRequest, incident_id: Id, body: SeizeIn, idempotency_key: Key) -> Any:
    """A seized good into the incident's ledger."""
    incident = services.incident_for(incident_id, request.user)
    row, _ = services.seize(incident, request.user, idempotency_key, body.dict(), request)
    return Status(201, row)


class CustodyOut(Schema):
    id: int
    item_id: int
    holder: str
    kept_at: str
    at: datetime


@api.post("/seized/{item_id}/custody", response={201: CustodyOut, **WRITE})
def post_custody(request: HttpRequest, item_id: Id, body: CustodyIn, idempotency_key: Key) -> Any:
    """The seized good passes to another holder (its chain of custody)."""
    row, _ = services.hand_over(item_id, request.user, idempotency_key, body.dict(), request)
    return Status(201, row)


class AreaOut(Schema):
    region_code: str
    status: str
    at: datetime


@api.post("/plans/{plan_id}/areas/{code}", response={201: AreaOut, **WRITE})
def post_area(request: HttpRequest, plan_id: Id, code: PostCode, body: AreaIn, idempotency_key: Key) -> Any:
    """A desa's or kecamatan's status (hijau, kuning, merah), set by the Kapolres."""
    plan = _plan(plan_id, request.user)
    row, _ = services.set_area(plan, code, body.status, request.user, idempotency_key, body.note, request)
    return Status(201, row)


@api.post("/plans/{plan_id}/delegations", response={200: dict[str, bool], **WRITE})
def post_delegation(request: HttpRequest, plan_id: Id, body: DelegationIn, idempotency_key: Key) -> Any:
    """The Kapolres grants (or takes back) a Kabag Ops the dispatch of Brimob and BKO reserves."""
    plan = _plan(plan_id, request.user)
    services.delegate(plan.operation_id, request.user, body.user, body.granted)
    return Status(200, {"granted": body.granted})


# -- incident photos and the live map ----------------------------------------------------------


class PhotoOut(Schema):
    id: int
    photo: bool
    url: str


@api.post("/incidents/{incident_id}/photo", response={201: PhotoOut, **WRITE})
def post_photo(request: HttpRequest, incident_id: Id, idempotency_key: Key, photo: File[UploadedFile]) -> Any:
    """The incident's photo (multipart field `photo`, JPEG or PNG, at most 5 MB)."""
    incident = services.incident_for(incident_id, request.user)
    services.attach_photo(incident, request.user, idempotency_key, photo, request)
    return Status(201, {"id": incident.pk, "photo": bool(incident.photo), "url": request.path})


@api.get("/incidents/{incident_id}/photo", response={200: Any, **READ})
def get_photo(request: HttpRequest, incident_id: Id) -> Any:
    """The incident's photo, to whoever may see the incident."""
    handle, content_type = services.photo_of(services.incident_for(incident_id, request.user))
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@api.get("/plans/{plan_id}/incidents.geojson", response={200: Any, **READ})
def get_incidents_geojson(request: HttpRequest, plan_id: Id) -> Any:
    """The plan's open incidents the caller may see, as GeoJSON points (for the live map)."""
    return services.incidents_geojson(_plan(plan_id, request.user), request.user)


# -- escorts and the buku mutasi (services.custody) ----------------------------------------------


class EscortEventOut(Schema):
    id: int
    duty_id: str
    leg: int
    kind: str
    at: datetime


@api.post("/plans/{plan_id}/escorts/{duty_id}/events", response={201: EscortEventOut, **WRITE})
def post_escort_event(
    request: HttpRequest, plan_id: Id, duty_id: DutyCode, body: EscortEventIn, idempotency_key: Key
) -> Any:
    """The escort run's departure from a leg's start or arrival at its end (`kind` berangkat or
    tiba, `leg` from 0, `at` the phone's time)."""
    plan = _plan(plan_id, request.user)
    row, _ = services.escort_event(plan, duty_id, body.dict(), request.user, idempotency_key, request)
    return Status(201, row)


class ManifestOut(Schema):
    duty_id: str
    ballot_boxes: int
    booths: int
    seals: int
    envelopes: int
    plates: str


@api.post("/plans/{plan_id}/escorts/{duty_id}/manifest", response={200: ManifestOut, **WRITE})
def post_manifest(request: HttpRequest, plan_id: Id, duty_id: DutyCode, body: ManifestIn, idempotency_key: Key) -> Any:
    """What the run carries (replaces the manifest; sending it again changes nothing)."""
    plan = _plan(plan_id, request.user)
    return Status(200, services.set_manifest(plan, duty_id, body.dict(), request.user, request))


class HandoverOut(Schema):
    id: int
    duty_id: str
    leg: int
    end: str
    place: str
    handed_by_name: str
    handed_by_code: str
    received_by_name: str
    received_by_code: str
    ballot_boxes: int
    booths: int
    seals: int
    envelopes: int
    at: datetime


@api.post("/plans/{plan_id}/escorts/{duty_id}/handovers", response={201: HandoverOut, **WRITE})
def post_handover(request: HttpRequest, plan_id: Id, duty_id: DutyCode, body: HandoverIn, idempotency_key: Key) -> Any:
    """A berita acara serah terima at one end of one leg, by a member of the escort's team."""
    plan = _plan(plan_id, request.user)
    row, _ = services.record_handover(plan, duty_id, body.dict(), request.user, idempotency_key, request)
    return Status(201, row)


class EntryOut(Schema):
    id: int
    place: str
    kind: str
    name: str
    padlock: str
    key_to: str
    at: datetime


@api.post("/plans/{plan_id}/guards/{place}/entries", response={201: EntryOut, **WRITE})
def post_entry(request: HttpRequest, plan_id: Id, place: DutyCode, body: EntryIn, idempotency_key: Key) -> Any:
    """One line of a guarded place's buku mutasi (`kind` masuk, keluar or kunci)."""
    plan = _plan(plan_id, request.user)
    row, _ = services.log_entry(plan, place, body.dict(), request.user, idempotency_key, request)
    return Status(201, row)


class EscortState(Schema):
    duty_id: str
    name: str
    start: datetime
    end: datetime
    state: str
    flag: str
    departed: datetime | None
    arrived: datetime | None


@api.get("/plans/{plan_id}/escorts", response={**READ, 200: list[EscortState]})
def get_escorts(request: HttpRequest, plan_id: Id) -> Any:
    """Every escort run the caller may see with its state and flag (missing or late arrival)."""
    rows = services.escort_rows(_plan(plan_id, request.user), request.user)
    return [{**r, "duty_id": r["id"]} for r in rows]


__all__ = ["api", "CheckIn"]
