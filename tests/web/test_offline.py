"""Nothing leaves the machine: no page, and no script or style sheet a page loads, names
another host (unless a tile server is configured)."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from tests.web.test_access_matrix import PAGES

URL = re.compile(rb"(?:https?:)?//([a-zA-Z0-9.-]+\.[a-zA-Z]{2,}|localhost|\d+\.\d+\.\d+\.\d+)")
NAMESPACES = {b"www.w3.org"}  # XML namespaces in SVG: names, never fetched
ASSET = re.compile(r'(?:src|href)="(/static/[^"?#]+)')
CSS_COMMENT = re.compile(rb"/\*.*?\*/", re.S)


def foreign_hosts(text: bytes) -> set[bytes]:
    return {host for host in URL.findall(CSS_COMMENT.sub(b"", text)) if host not in NAMESPACES}


def test_it_names_no_other_host_in_any_page_or_asset(as_planner, operation, plan):
    from siaga.plans.models import PlanJob

    job = PlanJob.objects.create(operation=operation, status=PlanJob.Status.DONE, plan=plan)
    assets: set[str] = set()
    for name, url_of, _ in PAGES:
        response = as_planner.get(url_of(operation, plan, job))
        if response.status_code != 200 or response.get("Content-Type", "").startswith("application/vnd"):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert not foreign_hosts(body), name
        assets |= set(ASSET.findall(body.decode(errors="replace")))
    assert any(a.endswith("leaflet.js") for a in assets) and any(a.endswith("htmx.min.js") for a in assets)
    for asset in sorted(assets):
        path = finders.find(asset.removeprefix("/static/"))
        assert path, asset
        assert not foreign_hosts(Path(path).read_bytes()), asset
