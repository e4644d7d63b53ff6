"""Every page of the console a person reads, as URLs for one operation and its plan.

`PAGES` names each HTML page by its URL name; `NOT_PAGES` names every other URL (a write, a
file, data for a script) so that a new page cannot be left out: `unlisted()` is every URL
name that is in neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from siaga.field.models import Incident
from siaga.operations.models import Person, Region, Tps, Unit
from siaga.plans.models import PlanJob


def _first(model: Any, **where: Any) -> Any:
    return model.objects.filter(**where).order_by("pk").first()


def _person(o: Any) -> Any:
    """A person of the sector chiefs' kecamatan (Pohjentrek), whom they may see too."""
    return _first(Person, operation=o, kecamatan_code="35.14.17") or _first(Person, operation=o)


def _incident(o: Any, p: Any) -> str:
    return reverse("field_incidents", args=[p.pk])


# (URL name, its URL from (operation, plan), or None when the page is not for this operation)
PAGES: list[tuple[str, Callable[[Any, Any], str | None]]] = [
    ("login", lambda o, p: reverse("login")),
    ("dashboard", lambda o, p: reverse("dashboard")),
    ("dashboard_for", lambda o, p: reverse("dashboard_for", args=[o.pk])),
    ("import", lambda o, p: reverse("import")),
    ("regions_list", lambda o, p: reverse("regions_list", args=[o.pk])),
    ("boundaries_import", lambda o, p: reverse("boundaries_import", args=[o.pk])),
    ("linmas_coordination", lambda o, p: reverse("linmas_coordination", args=[o.pk])),
    ("tps_list", lambda o, p: reverse("tps_list", args=[o.pk])),
    ("tps_edit", lambda o, p: reverse("tps_edit", args=[o.pk, _first(Tps, operation=o).pk])),
    ("tps_add", lambda o, p: reverse("tps_add", args=[o.pk])),
    ("units_list", lambda o, p: reverse("units_list", args=[o.pk])),
    ("unit_add", lambda o, p: reverse("unit_add", args=[o.pk])),
    ("unit_edit", lambda o, p: reverse("unit_edit", args=[o.pk, _first(Unit, operation=o).pk])),
    ("personnel_list", lambda o, p: reverse("personnel_list", args=[o.pk])),
    ("person_add", lambda o, p: reverse("person_add", args=[o.pk])),
    ("person_edit", lambda o, p: reverse("person_edit", args=[o.pk, _first(Person, operation=o).pk])),
    ("versions", lambda o, p: reverse("versions", args=[o.pk])),
    ("vulnerability", lambda o, p: reverse("vulnerability", args=[o.pk])),
    ("tps_detail", lambda o, p: reverse("tps_detail", args=[o.pk, _first(Tps, operation=o).pk])),
    (
        "desa_detail",
        lambda o, p: reverse("desa_detail", args=[o.pk, _first(Region, operation=o, level="DESA").pk]),
    ),
    ("map", lambda o, p: reverse("map", args=[o.pk])),
    ("plan_list", lambda o, p: reverse("plan_list", args=[o.pk])),
    ("job_status", lambda o, p: _job(o)),
    ("plan_detail", lambda o, p: reverse("plan_detail", args=[p.pk])),
    ("plan_simulate", lambda o, p: reverse("plan_simulate", args=[p.pk])),
    ("plan_posts", lambda o, p: reverse("plan_posts", args=[p.pk])),
    ("plan_empty_why", lambda o, p: reverse("plan_empty_why", args=[p.pk])),
    ("plan_diff", lambda o, p: _diff(p)),
    ("plan_candidates", lambda o, p: _candidates(p)),
    ("audit_list", lambda o, p: reverse("audit_list")),
    ("polda_dashboard", lambda o, p: reverse("polda_dashboard")),
    ("apel", lambda o, p: reverse("apel", args=[p.pk])),
    ("apel_readiness", lambda o, p: reverse("apel_readiness", args=[p.pk])),
    ("sarpras", lambda o, p: reverse("sarpras", args=[p.pk])),
    ("plan_person", lambda o, p: reverse("plan_person", args=[p.pk, _person(o).code])),
    ("field_board", lambda o, p: reverse("field_board", args=[p.pk])),
    ("field_phone", lambda o, p: reverse("field_phone", args=[p.pk])),
    ("field_report_status", lambda o, p: reverse("field_report_status", args=[p.pk])),
    ("field_incidents", _incident),
    ("incident_register", lambda o, p: reverse("incident_register", args=[p.pk])),
    ("field_live", lambda o, p: reverse("field_live", args=[p.pk])),
    ("field_escorts", lambda o, p: reverse("field_escorts", args=[p.pk])),
    ("interchange", lambda o, p: reverse("interchange", args=[o.pk])),
    ("account_list", lambda o, p: reverse("account_list")),
    ("account_add", lambda o, p: reverse("account_add")),
    ("account_edit", lambda o, p: reverse("account_edit", args=[_first(get_user_model()).pk])),
]

# Writes (POST), files, JSON for scripts and the API: not pages a person reads as HTML.
NOT_PAGES = {
    "set_language",
    "field_escort_step",  # a run's departure/arrival (POST), offered on field_escorts
    "field_guard_entry",  # a buku mutasi line (POST), offered on field_escorts
    "field_escort_manifest",  # a run's manifest (POST), offered on field_escorts
    "logout",
    "import_confirm",  # the import's second step, shown by `import` after an upload
    "template_download",
    "export",
    "personnel_bulk",
    "tps_bulk",
    "kpu_tps_import",  # the KPU TPS list's upload (POST), offered on tps_list
    "kemendagri_import",  # the Kemendagri region list's upload (POST), offered on regions_list
    "linmas_preview",  # the Linmas decree's upload (POST), offered on linmas_coordination
    "linmas_confirm",
    "row_remove",
    "operation_rename",
    "operation_archive",
    "tps_override",
    "geo_tps",
    "geo_posts",
    "geo_boundaries",
    "basemap_file",  # the operator's base map file (PMTiles), read in byte ranges by the map
    "plan_start",
    "plan_categories_to_data",  # a write (POST), offered on plan_list
    "plan_json",
    "plan_orders",
    "plan_konsep",
    "plan_reassign",
    "plan_approve",
    "plan_signoff",  # the categories' sign-off (POST), offered on plan_detail
    "bawaslu_import",  # the Bawaslu TPS-rawan list's upload and preview (POST), offered on vulnerability
    "bawaslu_confirm",
    "plan_publish",
    "plan_withdraw",
    "plan_people",
    "plan_replan",
    "plan_pin",
    "plan_unpin",
    "plan_reinforce",
    "plan_psu",
    "apel_checkin",
    "apel_replan",
    "field_report",
    "service_worker",
    "apel_checkin_unit",
    "apel_checkin_undo",
    "interchange_file",  # the SOT/EWS files (CSV, JSON), offered on interchange
    "coordinates_preview",  # the TPS coordinates upload (POST): its preview is the interchange page
    "coordinates_confirm",
    "polda_orders_start",  # the Polda's orders pack (POST), offered on polda_dashboard
    "polda_orders_file",  # the pack itself (ZIP)
    "account_password",  # a new password (POST), offered on account_edit
    "account_active",  # deactivate or reactivate (POST), offered on account_edit
}


def _diff(plan: Any) -> str:
    """The plan against another version of its operation (itself when it has none)."""
    other = plan.operation.plans.exclude(pk=plan.pk).order_by("-version").first() or plan
    return reverse("plan_diff", args=[plan.pk, other.pk])


def _job(operation: Any) -> str | None:
    job = _first(PlanJob, operation=operation)
    return None if job is None else reverse("job_status", args=[job.pk])


def _candidates(plan: Any) -> str | None:
    empty = plan.unfilled.select_related("post").order_by("pk").first()
    if empty is None:
        return None
    return reverse("plan_candidates", args=[plan.pk]) + f"?post={empty.post.code}&slot={empty.slot}"


def _names(resolver: URLResolver, api: bool) -> Iterator[str]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            yield from _names(item, api or str(item.pattern).startswith("api/"))
        elif isinstance(item, URLPattern) and item.name and not api:
            yield item.name


def unlisted() -> set[str]:
    """URL names of the console that are neither a listed page nor a listed non-page."""
    return set(_names(get_resolver(), False)) - {name for name, _ in PAGES} - NOT_PAGES


def urls(operation: Any, plan: Any) -> list[tuple[str, str]]:
    return [(name, url) for name, build in PAGES if (url := build(operation, plan)) is not None]


__all__ = ["Incident", "NOT_PAGES", "PAGES", "unlisted", "urls"]


def data_names(operation: Any, plan: Any) -> set[str]:
    """Names from the data and the orders that a page shows as they are, in any language: the
    operation, regions, units, people, TPS addresses, the posts and duties as the Sprin names
    them (the printed order and the screen must match) and the stages the workbook named."""
    from siaga.operations.services import operation_stages
    from siaga.plans.names import post_labels

    names = {operation.name}
    names |= set(Region.objects.filter(operation=operation).values_list("name", flat=True))
    names |= set(Unit.objects.filter(operation=operation).values_list("name", flat=True))
    names |= set(Person.objects.filter(operation=operation).values_list("name", flat=True))
    names |= set(Person.objects.filter(operation=operation).values_list("position", flat=True))
    names |= set(Tps.objects.filter(operation=operation).values_list("address", flat=True))
    names |= set(post_labels(plan, plan.posts.values_list("code", flat=True)).values())
    roster = (plan.extra or {}).get("roster") or {}
    names |= {str(d.get("name", "")) for d in roster.get("duties", [])}
    for duty in roster.get("duties", []):
        names |= {str(leg) for leg in duty.get("route", [])}
    stages, written = operation_stages(operation)
    if written:
        names |= {s.name for s in stages}
    return {n for n in names if n}
