"""The posts of a plan version as a list staff can sort, search, filter, page and export
(the shared mechanism, siaga/web/listing.py): each post by the name the Sprin gives it, its
kind, place, category and strength (needed, placed, empty). Counts only, no names of people:
the roster itself stays on the plan page and the orders, behind their own permission."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.accounts.scope import Scope
from siaga.audit.log import record
from siaga.core.data.model import Category, Level
from siaga.operations.labels import CATEGORY_LABELS, POST_KIND_LABELS, label
from siaga.plans.models import PlanAssignment, PlanTps, PlanUnfilled
from siaga.plans.names import post_labels
from siaga.plans.views import plan_for
from siaga.web.listing import Column, Filter, Listing


def _per_post(model: Any, total: Any) -> Coalesce:
    """A count per post as a subquery (two joins in one query would multiply each other)."""
    per_post = model.objects.filter(post=OuterRef("pk")).order_by().values("post").annotate(n=total).values("n")
    return Coalesce(Subquery(per_post, output_field=IntegerField()), 0)


POSTS = Listing(
    "pos",
    (
        Column("name", gettext_lazy("Pos"), cell=lambda p: p["name"]),
        Column("kind", gettext_lazy("Jenis"), ("kind",), cell=lambda p: label(POST_KIND_LABELS, p["kind"])),
        Column("kecamatan", gettext_lazy("Kecamatan"), ("kecamatan_code",), cell=lambda p: p["kecamatan_name"]),
        Column("desa", gettext_lazy("Desa"), ("desa_code",), cell=lambda p: p["desa_name"]),
        Column(
            "category", gettext_lazy("Kategori"), ("category",), cell=lambda p: label(CATEGORY_LABELS, p["category"])
        ),
        Column("tps", gettext_lazy("TPS"), ("tps_count",), cell=lambda p: p["tps_count"]),
        Column("needed", gettext_lazy("Dibutuhkan"), ("needed",)),
        Column("placed", gettext_lazy("Terisi"), ("placed",)),
        Column("empty", gettext_lazy("Kosong"), ("empty",)),
        Column("code", gettext_lazy("Kode pos"), ("code",), show=False),
    ),
    ("id", "code", "kind", "kecamatan_code", "desa_code", "category", "tps_count", "needed", "placed", "empty"),
    filters=(
        Filter("kind", "kind", lambda v: v if v in POST_KIND_LABELS else None),
        Filter("category", "category", lambda v: v if v in Category.__members__ else None),
        Filter("kecamatan", "kecamatan_code"),
        Filter("empty", "empty__gt", lambda v: 0 if v == "1" else None),
    ),
    default_sort="kecamatan",
)


def posts_list(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The plan's posts the user may see (a Kapolsek: his kecamatan), as a list."""
    plan = plan_for(request, pk)
    operation = plan.operation
    scope = Scope.of(request.user)
    rows = plan.posts.in_scope(scope).annotate(
        tps_count=_per_post(PlanTps, Count("id")),
        placed=_per_post(PlanAssignment, Count("id")),
        empty=_per_post(PlanUnfilled, Sum("count")),
    )
    rows = rows.annotate(needed=F("placed") + F("empty"))  # every place is filled or left empty
    typed = " ".join(request.GET.get("q", "").split())[:100]
    if typed:  # a place by its name: the desa or kecamatan whose name holds the words
        places = operation.regions.filter(name__icontains=typed).values_list("code", flat=True)
        rows = rows.filter(Q(desa_code__in=places) | Q(kecamatan_code__in=places) | Q(code__icontains=typed))
    view = POSTS.view(request, rows)
    view.chosen["q"] = typed

    def enrich(found: list[dict[str, Any]]) -> None:
        names = post_labels(plan, (p["code"] for p in found))
        codes = {c for p in found for c in (p["kecamatan_code"], p["desa_code"])}
        regions = dict(operation.regions.filter(code__in=codes).order_by().values_list("code", "name"))
        for p in found:
            p["name"] = names.get(p["code"], p["code"])
            p["kecamatan_name"] = regions.get(p["kecamatan_code"], p["kecamatan_code"])
            p["desa_name"] = regions.get(p["desa_code"], "")
            p["kind_label"] = label(POST_KIND_LABELS, p["kind"])
            p["category_label"] = label(CATEGORY_LABELS, p["category"])

    if view.export_format:
        response = view.export(enrich, f"{_('pos')}-{operation.name}-v{plan.version}")
        shown = {"format": view.export_format, "filters": view.filters_in_use(), "plan": plan.version}
        record(request, "export_list", "pos", plan.pk, operation_id=operation.pk, after=shown)
        return response
    kecamatan = operation.regions.filter(level=Level.KECAMATAN)
    if scope.kecamatan:
        kecamatan = kecamatan.filter(code=scope.kecamatan)
    context = {
        "operation": operation,
        "plan": plan,
        **view.context(enrich),
        "kinds": [(k, label(POST_KIND_LABELS, k)) for k in POST_KIND_LABELS],
        "categories": [(c.value, label(CATEGORY_LABELS, c.value)) for c in Category],
        "kecamatan_options": list(kecamatan.order_by("name").values_list("code", "name")),
    }
    return render(request, "plans/posts.html", context)
