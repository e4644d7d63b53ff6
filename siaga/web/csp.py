"""The Content-Security-Policy of every response: the second wall behind escaping.

No inline script, no inline event handler, no `eval` (htmx is told not to use it, see the
`htmx-config` meta of base.html), no plug-in, no framing, nothing loaded from another host:
scripts, styles, pictures, fetches and the phone's service worker come from the console
itself. Inline *styles* stay allowed (`style` attributes in the templates, Leaflet's positions).
Map tiles are the one exception: when the operator configures `SIAGA_TILE_URL`, its origin may
serve pictures.

The header is set here, outermost in MIDDLEWARE, so every answer carries it: pages, the JSON
API, downloads, the service worker, errors (403, 404, 400) and the login page. A view that sets
its own policy keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def tile_origin(url: str) -> str:
    """The origin a Leaflet tile URL template loads from, as a CSP source: `{s}` (the
    sub-domain letters) becomes a wildcard; "" when there is no usable URL."""
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "tiles-subdomain"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname
    if "tiles-subdomain" in host:
        host = host.replace("tiles-subdomain", "*", 1)
        if not host.startswith("*."):  # "{s}tile.example.org": only a leading label can be wild
            host = "*." + host.split(".", 1)[-1]
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def policy() -> str:
    """The policy, from the settings of this process."""
    images = ["'self'", "data:", "blob:"]
    tiles = tile_origin(getattr(settings, "SIAGA_TILE_URL", ""))
    if tiles:
        images.append(tiles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "img-src": images,
        "style-src": ["'self'", "'unsafe-inline'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response.headers:
            response.headers[HEADER] = policy()  # a few string joins; follows the settings
        return response
