"""Every list of the console is paged by the database: page 1 holds the page size, page 2 the
rest, the filters are kept by the page links, a sector chief's pages hold only his rows, and
the page's summaries count every row, not the page's."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from siaga.accounts.roles import scoped
from siaga.accounts.scope import Scope
from siaga.field.models import Incident
from siaga.operations import views_risk
from siaga.plans import pages
from siaga.web import listing
from tests.web.conftest import OTHER_SECTOR, SECTOR, publish

NEXT = re.compile(r'href="([^"]*page=2[^"]*)"')


def listed(response: Any) -> list[str]:
    return [row["code"] for row in response.context["page"].object_list]


def by_id(response: Any) -> list[str]:
    return [str(row["id"]) for row in response.context["page"].object_list]


def tree(response: Any) -> list[str]:
    return tree_rows(response.context["page"])


@dataclass(frozen=True)
class Listed:
    url: Callable[[Any, Any], str]
    rows: Callable[[Any], list[str]]  # the codes of a page's rows, in order
    whole: Callable[[Any, Any, Any], QuerySet[Any, Any]]  # (operation, plan, user) -> what the user may see
    filter: str = ""  # a ?param= of the page, and the field it narrows
    field: str = ""
    key: str = "code"  # what names a row

    def keys(self, rows: QuerySet[Any, Any]) -> set[str]:
        return {str(k) for k in rows.values_list(self.key, flat=True)}


LISTS = {
    "tps_list": Listed(
        lambda o, p: f"/ops/{o.pk}/tps/",
        listed,
        lambda o, p, u: scoped(o.tps_set.all(), u),
        "category",
        "effective_category",
    ),
    "personnel_list": Listed(
        lambda o, p: f"/ops/{o.pk}/personnel/", listed, lambda o, p, u: scoped(o.personnel.all(), u), "force", "force"
    ),
    "units_list": Listed(
        lambda o, p: f"/ops/{o.pk}/units/", listed, lambda o, p, u: scoped(o.units.all(), u), "kind", "kind"
    ),
    "regions_list": Listed(
        lambda o, p: f"/ops/{o.pk}/regions/", listed, lambda o, p, u: scoped(o.regions.all(), u), "level", "level"
    ),
    "vulnerability": Listed(
        lambda o, p: f"/ops/{o.pk}/vulnerability/",
        listed,
        lambda o, p, u: scoped(o.tps_set.all(), u),
        "category",
        "effective_category",
    ),
    "plan_posts": Listed(
        lambda o, p: f"/plans/{p.pk}/posts/", listed, lambda o, p, u: p.posts.in_scope(Scope.of(u)), "kind", "kind"
    ),
    "plan_detail": Listed(lambda o, p: f"/plans/{p.pk}/", tree, lambda o, p, u: p.posts.in_scope(Scope.of(u))),
    "incident_register": Listed(
        lambda o, p: f"/plans/{p.pk}/incidents/register/",
        by_id,
        lambda o, p, u: Incident.objects.filter(operation=o).in_scope(Scope.of(u)),
        "status",
        "status",
        key="id",
    ),
}


@pytest.fixture(autouse=True)
def incidents(request: Any, operation: Any, plan: Any) -> None:
    """For the incident register: the plan is the current one and has incidents in two sectors."""
    if "incident_register" not in request.node.name:
        return
    publish(plan)
    statuses = ["dilaporkan", "ditangani", "selesai"]
    Incident.objects.bulk_create(
        Incident(
            operation=operation,
            kind="kericuhan",
            severity=1 + i % 3,
            kecamatan_code=SECTOR if i % 2 else OTHER_SECTOR,
            status=statuses[i % 3],
            description=f"kejadian {i}",
            key=f"uji-halaman-{i}",
        )
        for i in range(16)
    )


@pytest.fixture
def page_size(monkeypatch: Any) -> Callable[[int], None]:
    """Set every list's page size at once."""

    def set_to(size: int) -> None:
        monkeypatch.setattr(listing, "PAGE_SIZE", size)
        monkeypatch.setattr(views_risk, "VULNERABILITY_PAGE", size)
        monkeypatch.setattr(pages, "TREE_PAGE", size)

    return set_to


def two_pages(count: int) -> int:
    """A page size that leaves a few rows for page 2."""
    assert count >= 2
    return count - max(1, count // 4)


def walk(client: Any, url: str, rows: Callable[[Any], list[str]]) -> tuple[list[str], list[str], Any]:
    first = client.get(url)
    assert first.status_code == 200
    link = NEXT.search(first.content.decode())
    assert link, "no link to page 2"
    second = client.get(url.split("?")[0] + html.unescape(link[1]))
    assert second.status_code == 200
    return rows(first), rows(second), second


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


@pytest.mark.parametrize("name", LISTS)
def test_page_one_holds_the_page_size_and_page_two_the_rest(name, as_planner, operation, plan, page_size):
    case = LISTS[name]
    everything = case.keys(case.whole(operation, plan, user("planner")))
    size = two_pages(len(everything))
    page_size(size)
    one, two, _ = walk(as_planner, case.url(operation, plan), case.rows)
    assert len(one) == size and len(two) == len(everything) - size
    assert not set(one) & set(two) and set(one) | set(two) == everything


@pytest.mark.parametrize("name", [n for n, c in LISTS.items() if c.filter])
def test_the_page_links_keep_the_filters(name, as_planner, operation, plan, page_size):
    case = LISTS[name]
    rows = case.whole(operation, plan, user("planner"))
    value, count = Counter(rows.values_list(case.field, flat=True)).most_common(1)[0]
    chosen = case.keys(rows.filter(**{case.field: value}))
    assert len(chosen) == count < rows.count()
    page_size(two_pages(count))
    url = f"{case.url(operation, plan)}?{case.filter}={value}"
    one, two, second = walk(as_planner, url, case.rows)
    assert f"{case.filter}={value}" in second.request["QUERY_STRING"]
    assert set(one) | set(two) == chosen and len(one) + len(two) == count


@pytest.mark.parametrize("name", LISTS)
def test_a_sector_chiefs_pages_hold_only_his_rows(name, as_sector, operation, plan, page_size):
    case = LISTS[name]
    everything = case.keys(case.whole(operation, plan, user("planner")))
    his = case.keys(case.whole(operation, plan, user("sector")))
    assert his and his < everything
    page_size(two_pages(len(his)))
    one, two, _ = walk(as_sector, case.url(operation, plan), case.rows)
    assert set(one) | set(two) == his and len(one) + len(two) == len(his)


# ---------------------------------------------------------------- summaries count every row


def test_the_vulnerability_counts_are_of_every_tps_not_the_page(as_planner, operation, page_size):
    page_size(10)
    response = as_planner.get(f"/ops/{operation.pk}/vulnerability/?page=2")
    by_category = Counter(operation.tps_set.values_list("effective_category", flat=True))
    assert {code: n for code, _label, n in response.context["counts"] if n} == dict(by_category)
    assert response.context["shown"] == response.context["total"] == 152
    assert len(response.context["page"].object_list) == 10


def test_the_plan_pages_figures_are_of_every_post_not_the_page(as_planner, as_sector, plan, page_size):
    page_size(10)
    whole = as_planner.get(f"/plans/{plan.pk}/?page=2").context["page"]
    assert whole["figures"]["posts"] == 176 and whole["figures"]["tps"] == 152
    assert whole["figures"]["assigned"] == plan.assignments.count() == 630
    assert whole["headline"]["tps"] == 152 and len(tree_rows(whole)) == 10
    sector = as_sector.get(f"/plans/{plan.pk}/?page=2").context["page"]
    assert sector["figures"]["posts"] == plan.posts.filter(kecamatan_code=SECTOR).count()
    assert sector["figures"]["assigned"] == plan.assignments.filter(post__kecamatan_code=SECTOR).count()


def tree_rows(page: dict[str, Any]) -> list[str]:
    """The post ids of the tree's rows, as the page prints them."""
    rows = (desa["rows"] for kec in page["tree"] for desa in kec["desa"])
    return [html.unescape(code) for part in rows for code in re.findall(r'<tr id="([^"]*)"', part)]


def test_the_override_report_shows_a_page_and_counts_them_all(as_planner, operation, monkeypatch):
    second = operation.tps_set.filter(category="").order_by("pk")[:1].get()
    operation.tps_set.filter(pk=second.pk).update(category="RAWAN", category_reason="laporan intelijen")
    total = operation.tps_set.exclude(category="").count()
    assert total == 2
    monkeypatch.setattr(views_risk, "OVERRIDES_SHOWN", 1)
    response = as_planner.get(f"/ops/{operation.pk}/vulnerability/")
    assert len(response.context["overrides"]) == 1 and response.context["overrides_total"] == total
    assert 'id="override-more"' in response.content.decode()


def test_a_link_to_one_post_opens_the_plan_page_that_holds_it(as_planner, plan, page_size):
    page_size(10)
    first = tree(as_planner.get(f"/plans/{plan.pk}/"))
    last = plan.posts.order_by("-kecamatan_code", "-desa_code", "-id").values_list("code", flat=True)[0]
    assert last not in first
    response = as_planner.get(f"/plans/{plan.pk}/", {"post": last})
    assert last in tree(response) and response.context["page"]["tree_page"].number > 1
    assert tree(as_planner.get(f"/plans/{plan.pk}/", {"post": "TIDAK-ADA"})) == first
