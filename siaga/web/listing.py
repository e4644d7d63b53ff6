"""One mechanism for every data list of the console: sort by a column (`?sort=name`,
`?sort=-name`), search one text box (`?q=`), filter by chosen columns, page in the database,
and export the filtered, sorted view as XLSX or CSV (`?export=xlsx`, `?export=csv`).

A view declares a `Listing` (its columns, search fields and filters), hands it the scoped
queryset, and gets back a `View` to render, or an export response. Queries stay bounded:
a page is one `values()` query plus the view's lookups; an export walks the rows in chunks
of `CHUNK`, so 100,000 rows never sit in memory at once.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import Promise
from django.utils.text import slugify

from siaga.accounts.roles import can
from siaga.core.data.workbook import write_tables

PAGE_SIZE = 50
CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, Any]
Enrich = Callable[[list[Row]], None]


@dataclass(frozen=True)
class Column:
    """One column: its key (in the row dicts and in `?sort=`), its header, the database fields
    it sorts by (none: not sortable) and, for exports, how a row gives its cell."""

    key: str
    label: Any
    order: tuple[str, ...] = ()
    cell: Callable[[Row], Any] | None = None
    export: bool = True  # a column of the exported file
    show: bool = True  # a column of the page's table

    def value(self, row: Row) -> Any:
        value = self.cell(row) if self.cell else row.get(self.key, "")
        return str(value) if isinstance(value, Promise) else value  # a label in the reader's language


def keep(value: str) -> Any:
    return value


@dataclass(frozen=True)
class Filter:
    """A `?param=` narrowing the rows by `lookup`; `convert` turns the text into the value to
    match, or None to ignore a value it does not know."""

    param: str
    lookup: str
    convert: Callable[[str], Any] = keep


@dataclass(frozen=True)
class Listing:
    name: str  # the export's file name and sheet
    columns: tuple[Column, ...]
    fields: tuple[str, ...]  # the values() read for each row
    search: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    default_sort: str = ""

    def view(self, request: HttpRequest, rows: QuerySet[Any, Any], params: QueryDict | None = None) -> View:
        """The rows (already scoped) narrowed, searched and sorted as the request (or `params`) asks."""
        params = request.GET if params is None else params
        chosen = {f.param: _text(params, f.param) for f in self.filters} | {"q": _text(params, "q")}
        for f in self.filters:
            value = f.convert(chosen[f.param]) if chosen[f.param] else None
            if value is not None:
                rows = rows.filter(**{f.lookup: value})
        if chosen["q"] and self.search:
            words = Q()
            for name in self.search:
                words |= Q(**{f"{name}__icontains": chosen["q"]})
            rows = rows.filter(words)
        sort = _text(params, "sort") or self.default_sort
        column = self._sortable().get(sort.lstrip("-")) or self._sortable().get(self.default_sort.lstrip("-"))
        if column is None:
            sort, order = "", ["id"]
        else:
            sort = sort if sort.lstrip("-") == column.key else self.default_sort
            sign = "-" if sort.startswith("-") else ""
            order = [f"{sign}{name}" for name in column.order] + [f"{sign}id"]
        return View(self, request, rows.order_by(*order).values(*self.fields), chosen, sort)

    def _sortable(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns if c.order}


@dataclass
class View:
    listing: Listing
    request: HttpRequest
    rows: QuerySet[Any, Any]
    chosen: dict[str, str]
    sort: str
    _page: Page[Any] | None = field(default=None, repr=False)

    @property
    def export_format(self) -> str:
        wanted = self.request.GET.get("export", "")
        return wanted if wanted in ("xlsx", "csv") else ""

    def page(self, enrich: Enrich | None = None) -> Page[Any]:
        """This request's page of rows (a list of dicts, enriched once)."""
        if self._page is None:
            page = Paginator(self.rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
            page.object_list = list(page.object_list)
            if enrich:
                enrich(page.object_list)
            self._page = page
        return self._page

    def headers(self) -> list[dict[str, Any]]:
        """The table's header cells: each sortable one links to its sort (twice: reversed)."""
        out = []
        for c in self.listing.columns:
            if not c.show:
                continue
            head: dict[str, Any] = {"key": c.key, "label": c.label, "url": "", "state": ""}
            if c.order:
                state = "asc" if self.sort == c.key else "desc" if self.sort == f"-{c.key}" else ""
                head["state"] = state
                head["url"] = self.url(sort=f"-{c.key}" if state == "asc" else c.key, page=None)
            out.append(head)
        return out

    def url(self, **changes: str | None) -> str:
        query: QueryDict = self.request.GET.copy()
        for name, value in changes.items():
            query.pop(name, None)
            if value is not None:
                query[name] = value
        if "export" not in changes:
            query.pop("export", None)
        return f"?{query.urlencode()}"

    def export_urls(self) -> dict[str, str]:
        return {fmt: self.url(export=fmt, page=None) for fmt in ("xlsx", "csv")}

    def context(self, enrich: Enrich | None = None) -> dict[str, Any]:
        return {
            "page": self.page(enrich),
            "chosen": self.chosen,
            "headers": self.headers(),
            "export_urls": self.export_urls(),
            "sort": self.sort,
        }

    def export(self, enrich: Enrich | None = None, title: str = "") -> HttpResponseBase:
        """The whole filtered, sorted view as a file; only for those who may export."""
        if not can(self.request.user, "export"):
            raise PermissionDenied("export")
        columns = [c for c in self.listing.columns if c.export]
        header = [str(c.label) for c in columns]
        stem = slugify(title or self.listing.name) or "daftar"
        cells = (tuple(c.value(row) for c in columns) for row in self.iterate(enrich))
        if self.export_format == "csv":
            response = StreamingHttpResponse(_csv_lines(header, cells), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
            return response
        folder = Path(tempfile.mkdtemp(prefix="siaga-list-"))
        try:
            path = folder / f"{stem}.xlsx"
            write_tables(path, [(self.listing.name[:31], header, cells)])
            handle = path.open("rb")  # stays readable once its folder is removed
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return FileResponse(handle, as_attachment=True, filename=f"{stem}.xlsx", content_type=XLSX)

    def iterate(self, enrich: Enrich | None = None) -> Iterator[Row]:
        """Every row of the view, read and enriched `CHUNK` at a time."""
        source = self.rows.iterator(chunk_size=CHUNK)
        while chunk := list(islice(source, CHUNK)):
            if enrich:
                enrich(chunk)
            yield from chunk

    def filters_in_use(self) -> dict[str, str]:
        asked = _text(self.request.GET, "sort")
        return {k: v for k, v in self.chosen.items() if v} | ({"sort": self.sort} if asked else {})


def _text(params: QueryDict, name: str) -> str:
    return params.get(name, "").strip()[:100]


def safe_text(value: Any) -> Any:
    """A cell as a spreadsheet must not run it: text that starts like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def _csv_lines(header: list[str], rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([safe_text(v) for v in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
