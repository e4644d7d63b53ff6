"""The incident register: every incident of the operation the user may see, as a list staff
can sort, search, filter, page and export (siaga/web/listing.py), beside the Posko's live
board of cards (views_day.incidents). The description is a report's own words; no reporter's
name or phone is listed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from siaga.accounts.scope import Scope
from siaga.audit.log import record
from siaga.core.data.model import Level
from siaga.field.models import Incident
from siaga.field.services import taxonomy as words
from siaga.field.services.duties import tps_places
from siaga.field.services.incidents import duty_labels
from siaga.field.views_common import on_current_plan
from siaga.plans.models import Plan
from siaga.plans.names import operation_post_labels
from siaga.web.listing import Column, Filter, Listing


def _severity(text: str) -> int | None:
    return int(text) if text in ("1", "2", "3") else None


INCIDENTS = Listing(
    "kejadian",
    (
        Column("id", "#", ("id",), cell=lambda i: i["id"]),  # the number the cards, the phone and the report use
        Column("reported_at", gettext_lazy("Dilaporkan"), ("reported_at",), cell=lambda i: i["when"]),
        Column("kind", gettext_lazy("Jenis"), ("kind",), cell=lambda i: i["kind_label"]),
        Column("severity", gettext_lazy("Tingkat"), ("severity",), cell=lambda i: i["severity_label"]),
        Column("status", gettext_lazy("Status"), ("status",), cell=lambda i: i["status_label"]),
        Column("level", gettext_lazy("Komando"), ("level",), cell=lambda i: i["level_label"]),
        Column("kecamatan", gettext_lazy("Kecamatan"), ("kecamatan_code",), cell=lambda i: i["kecamatan_name"]),
        Column("post", pgettext_lazy("column header", "Pos"), cell=lambda i: i["post_name"]),
        Column("tps", gettext_lazy("TPS"), ("tps_code",), cell=lambda i: i["tps_name"]),
        Column("description", gettext_lazy("Uraian"), cell=lambda i: i["description"]),
        Column("closed_at", gettext_lazy("Selesai"), ("closed_at",), cell=lambda i: i["closed"]),
    ),
    (
        "id",
        "reported_at",
        "kind",
        "severity",
        "status",
        "level",
        "kecamatan_code",
        "post_id",
        "duty_id",
        "leg",
        "tps_code",
        "description",
        "closed_at",
    ),
    search=("description", "kind", "tps_code"),
    filters=(
        Filter("status", "status", lambda v: v if v in Incident.Status.values else None),
        Filter("severity", "severity", _severity),
        Filter("kecamatan", "kecamatan_code"),
    ),
    default_sort="-reported_at",
)


def register(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The incident register of the operation's current plan (`on_current_plan`)."""
    return _register(request, pk)


@on_current_plan
def _register(request: HttpRequest, plan: Plan) -> Any:
    operation = plan.operation
    scope = Scope.of(request.user)
    view = INCIDENTS.view(request, Incident.objects.filter(operation=operation).in_scope(scope))
    regions = dict(operation.regions.order_by().values_list("code", "name"))
    stamp = "j M Y H.i"

    def enrich(found: list[dict[str, Any]]) -> None:
        posts = operation_post_labels(operation.pk, (i["post_id"] for i in found))
        tps = tps_places(plan, [i["tps_code"] for i in found if i["tps_code"]])
        duties = duty_labels(plan, [(i["duty_id"], i["leg"]) for i in found])  # a roster duty's
        for i in found:
            i["kind_label"] = str(words.kind_label(i["kind"]))
            i["severity_label"] = str(words.SEVERITIES.get(i["severity"], i["severity"]))
            i["status_label"] = str(words.STATUS.get(i["status"], i["status"]))
            i["level_label"] = str(words.COMMAND.get(i["level"], i["level"]))
            i["kecamatan_name"] = regions.get(i["kecamatan_code"], i["kecamatan_code"])
            i["post_name"] = duties.get((i["duty_id"], i["leg"])) or posts.get(i["post_id"], i["post_id"])
            i["tps_name"] = tps[i["tps_code"]]["name"] if i["tps_code"] in tps else i["tps_code"]
            i["when"] = _local(i["reported_at"], stamp)
            i["closed"] = _local(i["closed_at"], stamp) if i["closed_at"] else ""

    if view.export_format:
        response = view.export(enrich, f"{_('kejadian')}-{operation.name}")
        shown = {"format": view.export_format, "filters": view.filters_in_use()}
        record(request, "export_list", "kejadian", "", operation_id=operation.pk, after=shown)
        return response
    kecamatan = operation.regions.filter(level=Level.KECAMATAN)
    if scope.kecamatan:
        kecamatan = kecamatan.filter(code=scope.kecamatan)
    context = {
        "operation": operation,
        "plan": plan,
        **view.context(enrich),
        "statuses": [(k, str(v)) for k, v in words.STATUS.items()],
        "severities": [(str(k), str(v)) for k, v in words.SEVERITIES.items()],
        "kecamatan_options": list(kecamatan.order_by("name").values_list("code", "name")),
    }
    return render(request, "field/incident_register.html", context)


def _local(moment: Any, stamp: str) -> str:
    """A moment as the reader writes it (month names in their language)."""
    return date_format(timezone.localtime(moment), stamp)
