"""Vulnerability (analisa kerawanan) and the map: the TPS table with its reasons, one TPS or one
desa explained, a category set by hand, and the TPS and the posts of a plan as GeoJSON.

Every page scores the TPS through the core once (services.vulnerability_of); the GeoJSON
endpoints read the scores stored on the rows, so the map stays cheap."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from siaga.accounts.roles import can, scoped
from siaga.accounts.scope import Scope as AccessScope
from siaga.accounts.scope import hide_notes
from siaga.audit.log import record
from siaga.audit.models import AuditEntry
from siaga.core.data.indicators import PILKADES, VARIABLES, VERSIONS, Scope, catalog, catalogue, version_of
from siaga.core.data.model import VILLAGE_LEVELS, Category, Level
from siaga.core.planning import risk
from siaga.operations import services, viewport
from siaga.operations.labels import CATEGORY_LABELS, FORCE_LABELS
from siaga.operations.models import Operation, Region, Tps
from siaga.operations.row_links import row_of_link
from siaga.operations.views import operation_for
from siaga.operations.views_basemap import basemap_path
from siaga.plans import services as plan_services
from siaga.plans.models import CategorySource, Plan
from siaga.plans.store import current_plan
from siaga.plans.views_bawaslu import BawasluForm
from siaga.web.listing import Column, Filter, Listing

COLOURS = {"KURANG_RAWAN": "#2e8b57", "RAWAN": "#d4a017", "SANGAT_RAWAN": "#c0392b", "KHUSUS": "#8e44ad"}
SOURCE_LABELS = {"model": gettext_lazy("Model"), "override": gettext_lazy("Penetapan manual")}
VILLAGE = [lv.value for lv in VILLAGE_LEVELS]
KECAMATAN_ORDER = ("kecamatan_code", "desa_code", "number", "code")


class OverrideForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Kategori"),
        choices=[("", gettext_lazy("(hasil model)")), *CATEGORY_LABELS.items()],
        required=False,
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Dasar penetapan"),
        choices=[
            (CategorySource.Source.INTEL.value, CategorySource.Source.INTEL.label),
            (CategorySource.Source.DECISION.value, CategorySource.Source.DECISION.label),
        ],
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("category") and not data.get("reason"):
            self.add_error("reason", _("Alasan wajib diisi bila kategori ditetapkan secara manual."))
        return data


def lang_of(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "id") == "en" else "id"


def is_pilkades(operation: Operation) -> bool:
    """Whether the operation scores a Pilkades, where one desa is one contest (the pages say so
    only then; in a Pemilu or Pilkada a desa is a place, its TPS the contests' polling points)."""
    return version_of(str(operation.config.get("catalogue", "")), operation.pattern) == PILKADES


def tps_url(operation: Operation) -> Callable[[int], str]:
    """The tps_detail URL of any TPS pk, reversed once: reverse() takes about 0.2 ms, which
    thousands of rows cannot afford."""
    head, _, tail = reverse("tps_detail", args=[operation.pk, 987654321]).partition("987654321")
    return lambda pk: f"{head}{pk}{tail}"


# ---------------------------------------------------------------- the vulnerability table


VULNERABILITY_PAGE = 500  # a Polres's TPS in one page; a Polda's in pages
PLACES_SHOWN = 3000  # desa names the map's page carries; more: kecamatan names only
OVERRIDES_SHOWN = 200  # the override report's rows on the page; all of them: the table, source=override


VULNERABILITY = Listing(
    "kerawanan",
    (
        Column("code", gettext_lazy("TPS"), ("code",)),
        Column("desa", gettext_lazy("Desa/kelurahan"), cell=lambda r: r["desa_name"], show=False),
        Column("kecamatan", gettext_lazy("Kecamatan"), KECAMATAN_ORDER, cell=lambda r: r["kecamatan_name"], show=False),
        Column("voters", gettext_lazy("DPT"), ("voters",)),
        Column("score", gettext_lazy("Skor"), ("score",)),
        Column("model_category", gettext_lazy("Kategori model"), ("model_category",), cell=lambda r: r["model_label"]),
        Column("category", gettext_lazy("Kategori berlaku"), ("effective_category",), cell=lambda r: r["label"]),
        Column("source", gettext_lazy("Sumber"), ("category",), cell=lambda r: _source_text(r)),
        Column("top", gettext_lazy("Alasan utama"), cell=lambda r: "; ".join(r["top"])),
    ),
    ("pk", "id", "code", "desa_code", "kecamatan_code", "voters"),
    search=("code", "address"),
    filters=(
        Filter("kecamatan", "kecamatan_code"),
        Filter("source", "category", lambda v: "" if v == "model" else None),  # "override": excluded below
        Filter("category", "effective_category", lambda v: v if v in CATEGORY_LABELS else None),
    ),
    default_sort="kecamatan",
)


def _source_text(row: dict[str, Any]) -> str:
    given = row.get("provenance")
    if given:
        return f"{given['label']}: {given['reason']}" if given["reason"] else str(given["label"])
    if row["source"] == "override":
        return f"{SOURCE_LABELS['override']}: {row['reason']}"
    return str(SOURCE_LABELS["model"])


def may_decide(user: Any) -> bool:
    """Who sets a TPS's category by decision: a planner (the Kabag Ops's staff, entering the
    intelligence estimate) or the commander (the Kapolres's decision)."""
    return can(user, "override") or can(user, "approve")


def provenance(operation: Operation, assessments: dict[str, risk.Assessment]) -> dict[str, dict[str, Any]]:
    """Each TPS's category source, who set it and when: the one home of how a category's source
    is told (the table, the override report, the TPS page). Its newest record where that record
    still holds its category in force; else a category set by hand on the TPS page (who, when);
    else a category from the data file: the file in force, named with its data version, and
    who imported it; else the model's score. A person by name and rank, never a login name."""
    kept = plan_services.provenance(operation, assessments)
    by_hand = _set_by(operation, {c for c, a in assessments.items() if a.source == "override"})
    version = operation.data_versions.select_related("imported_by").order_by("-number").first()
    importer = getattr(version, "imported_by", None) or operation.imported_by
    imported_at = version.imported_at if version is not None else operation.imported_at
    if version is not None:
        file_label = _("Berkas impor %(file)s (versi data %(v)s)") % {
            "file": version.source_name or operation.source_name,
            "v": version.number,
        }
    else:
        file_label = _("Berkas impor %(file)s") % {"file": operation.source_name}
    people = _people_named(
        {row["by_id"] for row in kept.values() if row.get("by_id")}, {h["username"] for h in by_hand.values()}
    )
    labels = dict(CategorySource.Source.choices)
    out: dict[str, dict[str, Any]] = {}
    for code, a in assessments.items():
        row = kept.get(code)
        if row is not None and row["category"] == a.category.value:
            out[code] = row | {"by": people.get(row.get("by_id"), row["by"])}
        elif a.source == "override" and code in by_hand:
            hand = by_hand[code]
            who = people.get(hand["username"], hand["username"])
            out[code] = {"label": labels["intel"], "reason": a.reason, "by": who, "at": hand["at"], "source": "intel"}
        elif a.source == "override":
            who = _person_name(importer)
            out[code] = {"label": file_label, "reason": a.reason, "by": who, "at": imported_at, "source": "import"}
        else:
            out[code] = {"label": labels["model"], "reason": "", "by": "", "at": imported_at, "source": "model"}
    return out


def _person_name(user: Any) -> str:
    """A colleague as a page names him: his name and rank as on his account (the login name
    only for an account with no name)."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _people_named(ids: set[int], usernames: set[str]) -> dict[Any, str]:
    """The names of these accounts, by id and by login name."""
    if not ids and not usernames:
        return {}
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    found = get_user_model().objects.filter(Q(pk__in=ids) | Q(username__in=usernames))
    return {key: _person_name(u) for u in found for key in (u.pk, u.get_username())}


def vulnerability(request: HttpRequest, op_id: int) -> HttpResponseBase:
    """Every TPS (of the user's scope) with its category and the top reasons, filtered,
    searched, sorted and paged in the database; only the page's TPS are scored for reasons."""
    operation = operation_for(request, op_id)
    rows = scoped(operation.tps_set.all(), request.user)
    if request.GET.get("source") == "override":
        rows = rows.exclude(category="")
    view = VULNERABILITY.view(request, rows)
    lang, detail = lang_of(request), tps_url(operation)

    def enrich(chunk: list[dict[str, Any]]) -> None:
        v = services.vulnerability_of(operation, pk__in=[r["pk"] for r in chunk])
        codes = {c for r in chunk for c in (r["desa_code"], r["kecamatan_code"])}
        names = dict(operation.regions.filter(code__in=codes).values_list("code", "name"))
        given = provenance(operation, v.assessments)
        for i, r in enumerate(chunk):
            a = v.assessments[r["code"]]
            chunk[i] = _row(
                r["pk"], r["code"], r["desa_code"], r["kecamatan_code"], r["voters"], a, lang, detail(r["pk"])
            )
            chunk[i] |= {
                "desa_name": names.get(r["desa_code"], ""),
                "kecamatan_name": names.get(r["kecamatan_code"], ""),
                "provenance": given.get(r["code"]),
            }

    if view.export_format:
        response = view.export(enrich, f"{_('kerawanan')}-{operation.name}")
        shown = {"format": view.export_format, "filters": view.filters_in_use()}
        record(request, "export_list", "kerawanan", "", operation_id=operation.pk, after=shown)
        return response
    page = Paginator(view.rows, VULNERABILITY_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    enrich(page.object_list)
    others = request.GET.copy()
    others.pop("category", None)
    counted = VULNERABILITY.view(request, rows, others).rows  # the cards count every category
    by_category = dict(
        counted.order_by()
        .values_list("effective_category")
        .annotate(n=Count("id"))
        .values_list("effective_category", "n")
    )
    scope_rows = scoped(operation.tps_set.all(), request.user)
    kecamatan_codes = list(scope_rows.order_by("kecamatan_code").values_list("kecamatan_code", flat=True).distinct())
    names = dict(operation.regions.filter(code__in=kecamatan_codes).values_list("code", "name"))
    names |= {r["desa"]: r["desa_name"] for r in page} | {r["kecamatan"]: r["kecamatan_name"] for r in page}
    desa_pk = dict(operation.regions.filter(code__in={r["desa"] for r in page}).values_list("code", "pk"))
    overridden_all = scope_rows.exclude(category="").order_by(*KECAMATAN_ORDER)
    overridden = list(
        overridden_all.values_list("pk", "code", "desa_code", "kecamatan_code", "voters")[:OVERRIDES_SHOWN]
    )
    chosen = {k: request.GET.get(k, "") for k in ("kecamatan", "category", "source", "q")}
    v_over = services.vulnerability_of(operation, pk__in=[o[0] for o in overridden])
    over_rows = [_row(pk, c, d, k, n, v_over.assessments[c], lang, detail(pk)) for pk, c, d, k, n in overridden]
    region_names = dict(
        operation.regions.filter(code__in={x for r in over_rows for x in (r["desa"], r["kecamatan"])}).values_list(
            "code", "name"
        )
    )
    grouped = view.sort in ("", VULNERABILITY.default_sort)
    context = {
        "operation": operation,
        "page": page,
        "groups": _grouped(page.object_list, names, desa_pk, grouped),
        "grouped": grouped,
        "headers": view.headers(),
        "export_urls": view.export_urls(),
        "sort": view.sort,
        "shown": page.paginator.count,
        "total": scope_rows.count(),
        "counts": [(c, CATEGORY_LABELS[c], by_category.get(c, 0)) for c in CATEGORY_LABELS],
        "chosen": chosen,
        "kecamatan_options": [(k, names.get(k, k)) for k in kecamatan_codes],
        "category_options": list(CATEGORY_LABELS.items()),
        "source_options": list(SOURCE_LABELS.items()),
        "overrides": _with_names(over_rows, region_names, provenance(operation, v_over.assessments)),
        "overrides_total": overridden_all.count() if len(overridden) == OVERRIDES_SHOWN else len(overridden),
        "thresholds": (v_over.model.rawan, v_over.model.sangat_rawan),
        "catalogue": _catalogue_of(operation, lang),
        "bawaslu_form": BawasluForm() if can(request.user, "import") and not operation.archived else None,
        "tiles": bool(settings.SIAGA_TILE_URL),
        "map_config": _map_config(
            request, operation, small=True, query={k: chosen[k] for k in ("kecamatan", "category", "source")}
        ),
    }
    return render(request, "operations/risk_vulnerability.html", context)


def _catalogue_of(operation: Operation, lang: str) -> dict[str, Any]:
    """The operation's indicator catalogue: its name, and its TPS indicators by variable."""
    from siaga.core.data.text import _ as core_text

    version = version_of(str(operation.config.get("catalogue", "")), operation.pattern)
    indicators = catalogue(version)
    variables: dict[str, list[dict[str, Any]]] = {}
    for ind in indicators.values():
        variables.setdefault(ind.variable, []).append(
            {"key": ind.key, "label": ind.label(lang), "listed": ind.listed, "weight": ind.weight}
        )
    return {
        "name": core_text(VERSIONS[version], lang),
        "size": len(indicators),
        "variables": [
            {"name": core_text(VARIABLES.get(name, name), lang), "indicators": rows} for name, rows in variables.items()
        ],
        "unlisted": sum(not ind.listed for ind in indicators.values()),
        "tps": any(ind.scope == Scope.TPS for ind in indicators.values()),
    }


def _row(
    pk: int, code: str, desa: str, kecamatan: str, voters: int, a: risk.Assessment, lang: str, url: str
) -> dict[str, Any]:
    return {
        "pk": pk,
        "code": code,
        "desa": desa,
        "kecamatan": kecamatan,
        "voters": voters,
        "score": a.score,
        "model_category": a.model_category.value,
        "model_label": CATEGORY_LABELS[a.model_category.value],
        "category": a.category.value,
        "label": CATEGORY_LABELS[a.category.value],
        "source": a.source,
        "reason": a.reason,
        "top": [_reason(c, lang) for c in a.contributions if c.points > 0][:3],
        "url": url,
    }


def _reason(c: risk.Contribution, lang: str) -> str:
    """One main reason, its points written as the TPS page writes them (+0,40 in Indonesian)."""
    return f"{c.label(lang)}: {'+' if c.points > 0 else ''}{floatformat(c.points, -2)}"


def _matches(row: dict[str, Any], chosen: dict[str, str], *keys: str) -> bool:
    return all(not chosen[k] or row[k] == chosen[k] for k in keys)


def _grouped(
    rows: list[dict[str, Any]], names: dict[str, str], desa_pk: dict[str, int], grouped: bool = True
) -> list[dict[str, Any]]:
    """Rows (in kecamatan, desa, number order) as kecamatan > desa > TPS; sorted otherwise,
    one group of them all."""
    if not grouped:
        return [{"code": "", "name": "", "desa": [{"code": "", "name": "", "pk": None, "rows": rows}]}]
    return [
        {
            "code": kec,
            "name": names.get(kec, kec),
            "desa": [
                {"code": desa, "name": names.get(desa, desa), "pk": desa_pk.get(desa), "rows": list(tps)}
                for desa, tps in groupby(in_kec, key=lambda r: r["desa"])
            ],
        }
        for kec, in_kec in groupby(rows, key=lambda r: r["kecamatan"])
    ]


def _with_names(
    rows: list[dict[str, Any]], names: dict[str, str], given: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Rows of the override report: desa and kecamatan by name, and where the category came
    from (`provenance`, as the table says it)."""
    return [
        r
        | {
            "desa_name": names.get(r["desa"]),
            "kecamatan_name": names.get(r["kecamatan"]),
            "provenance": given.get(r["code"]),
        }
        for r in rows
    ]


def _set_by(operation: Operation, codes: set[str]) -> dict[str, dict[str, Any]]:
    """Who last set each of these TPS's category by hand, and when (none: from the import)."""
    out: dict[str, dict[str, Any]] = {}
    entries = AuditEntry.objects.filter(
        operation_id=operation.pk, action="override_category", object_type="tps", object_id__in=codes
    ).values_list("object_id", "username", "at")
    for code, username, at in entries:  # newest first
        out.setdefault(code, {"username": username, "at": at})
    return out


# ---------------------------------------------------------------- one TPS, one desa


def tps_detail(request: HttpRequest, op_id: int, pk: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    tps = row_of_link(request, operation, Tps, pk, "tps_detail")
    if not isinstance(tps, Tps):
        return tps
    source = CategorySource.Source.DECISION if can(request.user, "approve") else CategorySource.Source.INTEL
    form = OverrideForm(initial={"category": tps.category, "reason": tps.category_reason, "source": source.value})
    return _tps_page(request, operation, tps, form)


@require_POST
def tps_override(request: HttpRequest, op_id: int, pk: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    if not may_decide(request.user):
        raise PermissionDenied("override")
    tps = row_of_link(request, operation, Tps, pk, "tps_detail")
    if not isinstance(tps, Tps):
        return tps
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _tps_page(request, operation, tps, form, status=400)
    category = form.cleaned_data["category"]
    reason = form.cleaned_data["reason"] if category else ""
    source = form.cleaned_data["source"] or (  # not chosen: by who enters it
        CategorySource.Source.DECISION if can(request.user, "approve") else CategorySource.Source.INTEL
    )
    if (category, reason) == (tps.category, tps.category_reason):
        messages.info(request, _("Tidak ada perubahan."))
        return redirect("tps_detail", operation.pk, tps.pk)
    try:
        tps = plan_services.set_category(tps, category, reason, source, request.user, request)
    except plan_services.PlanError as exc:
        messages.error(request, str(exc))
        return redirect("tps_detail", operation.pk, tps.pk)
    if category:
        text = _("Kategori TPS %(tps)s ditetapkan %(category)s.")
    else:
        text = _("Kategori TPS %(tps)s kembali ke hasil model: %(category)s.")
    label = CATEGORY_LABELS[tps.effective_category]
    messages.success(request, text % {"tps": tps.code, "category": label})
    messages.info(request, _("Rencana yang sudah ada tidak berubah; susun ulang rencana untuk memakai kategori ini."))
    return redirect("tps_detail", operation.pk, tps.pk)


def _tps_page(
    request: HttpRequest, operation: Operation, tps: Tps, form: OverrideForm, status: int = 200
) -> HttpResponse:
    v = services.vulnerability_of(operation, pk=tps.pk)
    a = v.assessments[tps.code]
    lang, indicators = lang_of(request), catalog()
    explanation = [_line(c, lang) for c in a.contributions]
    regions = {r.code: r for r in operation.regions.filter(code__in=[tps.desa_code, tps.kecamatan_code])}
    context = {
        "operation": operation,
        "tps": tps,
        "a": a,
        "label": CATEGORY_LABELS[a.category.value],
        "model_label": CATEGORY_LABELS[a.model_category.value],
        "explanation": explanation,
        "desa_factors": [line for line in explanation if line["scope"] == Scope.DESA.value],
        "special": bool(tps.indicators.get(risk.SPECIAL_LOCATION)),
        "unscored": [
            (indicators[k].label(lang), value)
            for k, value in tps.indicators.items()
            if value and k in indicators and not v.model.weights.get(k)
        ],
        "desa": regions.get(tps.desa_code),
        "kecamatan": regions.get(tps.kecamatan_code),
        "thresholds": (v.model.rawan, v.model.sangat_rawan),
        "form": form,
        "provenance": provenance(operation, {tps.code: a})[tps.code],
        "may_decide": may_decide(request.user),
        "pilkades": is_pilkades(operation),
    }
    return render(request, "operations/risk_tps.html", context, status=status)


def _line(c: risk.Contribution, lang: str) -> dict[str, Any]:
    """One line of an explanation: label in the user's language, scope, value and points."""
    ind = catalog().get(c.indicator)
    return {
        "label": c.label(lang),
        "scope": ind.scope.value if ind else "",
        "type": ind.type.value if ind else "",
        "value": c.value,
        "maximum": ind.maximum if ind else None,
        "points": c.points,
    }


def desa_detail(request: HttpRequest, op_id: int, pk: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    desa = row_of_link(request, operation, Region, pk, "desa_detail")
    if not isinstance(desa, Region):
        return desa
    v = services.vulnerability_of(operation, desa_code=desa.code)
    view = risk.desa_view(v.scenario, desa.code, v.assessments, v.model)
    lang, indicators = lang_of(request), catalog()
    stored = {
        code: (tps_pk, voters)
        for code, tps_pk, voters in operation.tps_set.filter(desa_code=desa.code).values_list("code", "pk", "voters")
    }
    detail, rows = tps_url(operation), []
    for a in view.tps:
        tps_pk, voters = stored[a.tps]
        rows.append(_row(tps_pk, a.tps, desa.code, desa.kecamatan_code, voters, a, lang, detail(tps_pk)))
    scored = {c.indicator for c in view.factors}
    context = {
        "operation": operation,
        "desa": desa,
        "kecamatan": operation.regions.filter(code=desa.kecamatan_code, level=Level.KECAMATAN.value).first(),
        "category": view.category.value,
        "label": CATEGORY_LABELS[view.category.value],
        "factors": [_line(c, lang) for c in view.factors],
        "factor_total": round(sum(c.points for c in view.factors), 2),
        "unscored": [
            (indicators[k].label(lang), value)
            for k, value in desa.indicators.items()
            if k in indicators and k not in scored and value
        ],
        "rows": rows,
        "pilkades": is_pilkades(operation),
    }
    return render(request, "operations/risk_desa.html", context)


# ---------------------------------------------------------------- the map and its GeoJSON


def map_view(request: HttpRequest, op_id: int) -> HttpResponse:
    operation = operation_for(request, op_id)
    plan = plan_of(request, operation)
    tps = scoped(operation.tps_set.all(), request.user)
    kecamatan_codes = list(tps.order_by("kecamatan_code").values_list("kecamatan_code", flat=True).distinct())
    names = dict(operation.regions.filter(code__in=kecamatan_codes).values_list("code", "name"))
    query = {k: request.GET.get(k, "") for k in ("kecamatan", "category")}
    context = {
        "operation": operation,
        "plan": plan,
        "plans": hide_notes(operation.plans.all()[:20], request.user),  # notes name people
        "chosen": query,
        "kecamatan_options": [(k, names.get(k, k)) for k in kecamatan_codes],
        "category_options": list(CATEGORY_LABELS.items()),
        "reach_km": services.reserve_reach_km(operation),
        "tiles": bool(settings.SIAGA_TILE_URL),
        "basemap": basemap_path() is not None,  # the operator's offline base map (views_basemap)
        "basemap_attribution": settings.SIAGA_BASEMAP_ATTRIBUTION,
        "boundaries": operation.boundaries.exists(),
        "sector": not AccessScope.of(request.user).whole,  # the outline is his kecamatan's, not the Polres's
        "map_config": _map_config(request, operation, small=False, query=query, plan=plan),
    }
    return render(request, "operations/map.html", context)


def _map_config(
    request: HttpRequest, operation: Operation, small: bool, query: dict[str, str], plan: Plan | None = None
) -> dict[str, Any]:
    """What map.js needs: where the GeoJSON is, the filters, the tile layer (if any) and the
    words it shows, in the user's language."""
    places = scoped(operation.regions.filter(level__in=[*VILLAGE, Level.KECAMATAN.value]), request.user).exclude(
        lat=None
    )
    if places.filter(level__in=VILLAGE).count() > PLACES_SHOWN:  # a Polda's desa: their outlines name them
        places = places.filter(level=Level.KECAMATAN.value)
    return {
        "small": small,
        "tps_url": reverse("geo_tps", args=[operation.pk]),
        "posts_url": reverse("geo_posts", args=[operation.pk]),
        "api_url": reverse("field_api:api-root"),
        "refresh_seconds": 10,
        "plan": plan.pk if plan else None,
        "query": query,
        "tile_url": settings.SIAGA_TILE_URL,
        "tile_attribution": settings.SIAGA_TILE_ATTRIBUTION,
        "colours": COLOURS,
        "places": [
            {"name": name, "lat": lat, "lon": lon, "kecamatan": level == Level.KECAMATAN.value}
            for name, lat, lon, level in places.values_list("name", "lat", "lon", "level")
        ],
        "words": {
            "categories": {k: str(v) for k, v in CATEGORY_LABELS.items()},
            "forces": {k: str(v) for k, v in FORCE_LABELS.items()},  # a post's strength by force, named
            "kinds": {
                "TPS": _("Pos TPS"),
                "VILLAGE": _("Pos desa"),
                "STANDBY": _("Pos siaga TNI"),
                "RESERVE": _("Tim cadangan"),
            },
            "desa": _("Desa"),
            "kecamatan": _("Kecamatan"),
            "score": _("Skor"),
            "voters": _("DPT"),
            "details": _("Rincian TPS"),
            "tps": _("TPS"),
            "posts": _("Pos"),
            "reserve_reach": _("Jangkauan tim cadangan"),
            "places": _("Nama wilayah"),
            "required": _("Kebutuhan"),
            "assigned": _("Ditugaskan"),
            "unfilled": _("Kosong"),
            "reach": _("Jangkauan (km)"),
            "none": _("Tidak ada TPS untuk saringan ini."),
            "failed": _("Data peta gagal dimuat."),
            "status": _("Status pergeseran"),
            "statuses": {},  # sent with the posts by the field (siaga.field.views_map)
            "open_incidents": _("Kejadian terbuka"),
            "incident": _("Kejadian"),
            "severity": _("Tingkat"),
            "tps_number": _("TPS %(number)s"),
            "leader": _("Ketua pos"),
            "strength": _("Terisi / dibutuhkan"),
            "post_page": _("Pos di rencana"),
            "incident_page": _("Buka di daftar kejadian"),
            "escort": _("Pengawalan"),
            "escorts": _("Pengawalan"),
            "route": _("Rute"),
            "window": _("Waktu"),
            "escort_page": _("Buka di halaman pengawalan"),
            "call": _("Telepon %(name)s"),
            "cluster": _("%(count)s TPS"),
            "zoom_tps": _("TPS dihitung per wilayah: perbesar peta untuk melihat tiap TPS."),
            "zoom_posts": _("Perbesar peta untuk melihat pos."),
        },
    }


def geo_tps(request: HttpRequest, op_id: int) -> HttpResponse:
    """The TPS the user sees in the map's view (`?bbox=`, `?zoom=`; siaga.operations.viewport):
    one by one (at most `TPS_CAP`, `truncated` beyond), or counted per kecamatan or desa when
    a zoomed-out view holds too many. `total`: the TPS in view; `clusters`: the level, or ""."""
    operation = operation_for(request, op_id)
    category, error = category_param(request.GET)
    if error:
        return error
    box, zoom, error = view_params(request.GET)
    if error:
        return error
    tps = _filter_tps(scoped(operation.tps_set.all(), request.user), request.GET, category)
    if box is not None:
        tps = tps.filter(box.lookups())
    total = tps.count()
    level = viewport.cluster_level(total, zoom)
    if level:
        groups = viewport.clusters(tps, level)
        names = dict(operation.regions.filter(code__in=[g["code"] for g in groups]).values_list("code", "name"))
        features = [
            feature(g["lat"], g["lon"], {"cluster": True, "level": level, "name": names.get(g["code"], g["code"])} | g)
            for g in groups
        ]
        return JsonResponse({"type": "FeatureCollection", "features": features, "total": total, "clusters": level})
    rows = list(
        tps.order_by("id").values_list(
            "pk",
            "code",
            "number",
            "desa_code",
            "kecamatan_code",
            "lat",
            "lon",
            "effective_category",
            "model_category",
            "category",
            "score",
            "voters",
        )[: viewport.TPS_CAP]
    )
    codes = {c for row in rows for c in (row[3], row[4])}
    names = dict(operation.regions.filter(code__in=codes).values_list("code", "name"))
    detail = tps_url(operation)
    features = [
        feature(
            lat,
            lon,
            {
                "code": code,
                "number": number,
                "desa": names.get(desa, desa),
                "kecamatan": names.get(kec, kec),
                "category": effective,
                "model_category": model,
                "source": "override" if manual else "model",
                "score": score,
                "voters": voters,
                "url": detail(pk),
            },
        )
        for pk, code, number, desa, kec, lat, lon, effective, model, manual, score, voters in rows
    ]
    body = {"type": "FeatureCollection", "features": features, "total": total, "clusters": ""}
    return JsonResponse(body | {"truncated": total > len(features)})


def view_params(params: QueryDict) -> tuple[viewport.Box | None, int, HttpResponse | None]:
    """The map's view (bbox, zoom), or the 400 answer to a view it would never send."""
    try:
        return viewport.box_of(params), viewport.zoom_of(params), None
    except viewport.BadView as exc:
        message = _("Tampilan peta tidak sah: %(view)s") % {"view": str(exc)}
        return None, 0, JsonResponse({"error": message}, status=400)


def _filter_tps(tps: QuerySet[Tps], params: QueryDict, category: str) -> QuerySet[Tps]:
    if params.get("kecamatan"):
        tps = tps.filter(kecamatan_code=params["kecamatan"])
    if category:
        tps = tps.filter(effective_category=category)
    if params.get("source") == "override":
        tps = tps.exclude(category="")
    elif params.get("source") == "model":
        tps = tps.filter(category="")
    return tps


def plan_of(request: HttpRequest, operation: Operation) -> Plan | None:
    """The plan named by ?plan= (it must be this operation's, else 404), else the current
    (published) one, else the latest."""
    pk = request.GET.get("plan", "")
    if not pk:
        return current_plan(operation) or operation.plans.first()
    if not pk.isdigit():
        raise Http404
    try:
        return operation.plans.get(pk=int(pk))
    except Plan.DoesNotExist:
        raise Http404 from None


def category_param(params: QueryDict) -> tuple[str, HttpResponse | None]:
    category = params.get("category", "")
    if category and category not in Category.__members__:
        message = _("Kategori tidak dikenal: %(category)s") % {"category": category}
        return category, JsonResponse({"error": message}, status=400)
    return category, None


def feature(lat: float, lon: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}
