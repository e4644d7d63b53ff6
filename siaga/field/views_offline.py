"""The phone's service worker (`static/siaga/sw.js`), served from the site's root so that its
scope covers the phone, apel and board pages (a script under /static/ could only control
/static/). What it precaches is written in front of it: the pages' scripts and style sheets
with a hash of each (a changed file is fetched again, an unchanged one never), the vendored
Workbox modules it loads, the pages it keeps network-first, and the sign-in and sign-out
addresses after which it forgets the pages it kept."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

WORKBOX = [f"vendor/workbox-7.4.1/workbox-{m}.prod.js" for m in ("core", "routing", "strategies", "precaching")]
VENDORED = ["vendor/htmx-2.0.4/htmx.min.js", "vendor/jsqr-1.4.0/jsQR.js"]  # base.html's and the apel's
OWN = "siaga"  # every script and style sheet of the console's own (phone, apel, board ...), sw.js aside
PAGES = ("field_phone", "apel", "field_board")


def _path(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(str(found))


def precache() -> list[dict[str, str]]:
    """The assets of the phone, apel and board pages as Workbox's precache manifest."""
    own = sorted(p for p in _path(f"{OWN}/siaga.css").parent.iterdir() if p.suffix in (".js", ".css"))
    names = [*VENDORED, *(f"{OWN}/{p.name}" for p in own if p.name != "sw.js")]
    return [
        {"url": static(name), "revision": hashlib.sha256(_path(name).read_bytes()).hexdigest()[:16]} for name in names
    ]


def _page_pattern() -> str:
    """The paths of the pages kept network-first, for any plan: ^/plans/\\d+/phone/$|..."""
    sentinel = 987654321
    return "|".join(
        "^" + re.escape(reverse(name, args=[sentinel])).replace(str(sentinel), r"\d+") + "$" for name in PAGES
    )


def config() -> dict[str, Any]:
    return {
        "workbox": [static(name) for name in WORKBOX],
        "precache": precache(),
        "pages": _page_pattern(),
        "forget": [reverse("login"), reverse("logout")],
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    body = f"self.SIAGA = {json.dumps(config())};\n" + _path(f"{OWN}/sw.js").read_text(encoding="utf-8")
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new version is picked up on the next visit
    return response
