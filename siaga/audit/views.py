"""The audit log page: admin and commander only, newest first, filtered by date range,
operation, user and action, paginated, and exported (CSV or XLSX) as filtered."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.accounts.roles import require
from siaga.accounts.scope import operations_for
from siaga.audit import reading
from siaga.audit.log import record
from siaga.audit.models import AuditEntry
from siaga.core.data.workbook import write_tables
from siaga.operations.models import Operation

PAGE_SIZE = 50
EXPORT_MOST = 50_000  # rows in one export; a narrower filter gives the rest
FORMULA_START = ("=", "+", "-", "@")


def audit_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit")
    chosen, entries = _filtered(request)
    wanted = request.GET.get("format", "")
    if wanted in ("csv", "xlsx"):
        return _export(request, entries, wanted)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    visible = _visible(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "lines": reading.lines(list(page.object_list)),
        "chosen": chosen,
        "query": query.urlencode(),
        "actions": reading.action_choices(visible.order_by().values_list("action", flat=True).distinct()),
        "users": _user_choices(set(visible.order_by().values_list("username", flat=True).distinct()) - {""}),
        "operations": operations_for(request.user).order_by("-pk").values_list("pk", "name"),
    }
    return render(request, "audit/list.html", context)


def _user_choices(usernames: set[str]) -> list[tuple[str, str]]:
    """The user filter's options, by name as the table names them, with the user name that
    tells two people of one name apart ("Pengamat (pengamat)")."""
    names = {u.get_username(): u.get_full_name() for u in get_user_model().objects.filter(username__in=usernames)}
    shown = [(u, f"{names[u]} ({u})" if names.get(u) else reading.who_of(u)) for u in usernames]
    return sorted(shown, key=lambda pair: pair[1].lower())


def _filtered(request: HttpRequest) -> tuple[dict[str, str], QuerySet[AuditEntry]]:
    """The filters as asked (a bad date is ignored) and the entries they leave."""
    chosen = {k: request.GET.get(k, "").strip()[:150] for k in ("from", "to", "operation", "user", "action")}
    entries = _visible(request.user)
    start, end = _date(chosen["from"]), _date(chosen["to"])
    if start is not None:
        entries = entries.filter(at__gte=_moment(start))
    if end is not None:
        entries = entries.filter(at__lt=_moment(end + dt.timedelta(days=1)))
    if chosen["operation"].isdigit():
        entries = entries.filter(operation_id=int(chosen["operation"]))
    if chosen["user"]:
        entries = entries.filter(username=chosen["user"])
    if chosen["action"]:
        entries = entries.filter(action=chosen["action"])
    return chosen, entries


def _visible(user: Any) -> QuerySet[AuditEntry]:
    """Every entry, or for an account that sees some operations only (a Polres's commander in a
    Polda database), those operations' entries and his own: another Polres's people and
    actions stay out of sight."""
    entries = AuditEntry.objects.all()
    if operations_for(user).count() != Operation.objects.count():
        entries = entries.filter(
            Q(operation_id__in=operations_for(user).values("pk")) | Q(operation_id__isnull=True, user_id=user.pk)
        )
    return entries


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _moment(day: dt.date) -> dt.datetime:
    midnight = dt.datetime.combine(day, dt.time())
    return timezone.make_aware(midnight) if timezone.is_aware(timezone.now()) else midnight


HEADER = (
    gettext_lazy("Waktu"),
    gettext_lazy("Pengguna"),
    gettext_lazy("Alamat"),
    gettext_lazy("Tindakan"),
    gettext_lazy("Data"),
    gettext_lazy("Sebelum"),
    gettext_lazy("Sesudah"),
)


def _rows(entries: QuerySet[AuditEntry]) -> list[list[Any]]:
    found = reading.lines(list(entries[:EXPORT_MOST]))

    def text(pairs: list[tuple[str, str]]) -> str:
        return "; ".join(f"{k}: {v}" if k else v for k, v in pairs)

    return [
        [
            timezone.localtime(line.entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            line.who,
            line.entry.ip or "",
            line.action,
            line.record,
            text(line.before),
            text(line.after),
        ]
        for line in found
    ]


def _safe(value: Any) -> Any:
    """A cell a spreadsheet must not run as a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _export(request: HttpRequest, entries: QuerySet[AuditEntry], wanted: str) -> HttpResponse:
    """The filtered entries as a file, in the reader's words; the export itself is audited."""
    header = [str(h) for h in HEADER]
    header[0] = f"{header[0]} ({timezone.localtime().tzname()})"  # the times' zone, as the page shows it
    rows = [[_safe(v) for v in row] for row in _rows(entries)]
    record(request, "export_audit", "audit", "", after={"rows": len(rows), "format": wanted})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if wanted == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel reads it as UTF-8
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "audit.xlsx"
            write_tables(path, [(_("Jejak audit"), header, rows)])
            data = path.read_bytes()
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="jejak-audit-{stamp}.{wanted}"'
    return response
