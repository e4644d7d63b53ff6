"""The offline vector base map (roads, rivers, settlements): one PMTiles file the operator made
for the Polres area and named in `SIAGA_BASEMAP_PMTILES` (docs/map.md), served to the users who
may view the map, in the byte ranges the map's PMTiles reader asks for (HTTP Range).

Only that file is ever served: the URL carries no name or path, so nothing else on the disk
can be reached through it. Without the setting the answer is 404 and the map draws no base map.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.views.decorators.http import require_safe

from siaga.accounts.roles import require

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def basemap_path() -> Path | None:
    """The configured base map file, if the setting names one that exists."""
    name = getattr(settings, "SIAGA_BASEMAP_PMTILES", "")
    if not name:
        return None
    path = Path(name)
    return path if path.is_file() else None


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) byte of a single `bytes=` range within a file of `size` bytes; None
    when the header asks for no range this answer can give (several ranges, bad syntax)."""
    found = RANGE.match(header.strip())
    if not found or found.group(1) == found.group(2) == "":
        return None
    start, end = found.group(1), found.group(2)
    if start == "":  # the last N bytes
        first, last = max(size - int(end), 0), size - 1
    else:
        first = int(start)
        last = min(int(end), size - 1) if end else size - 1
    if first > last or first >= size:
        return (size, size)  # unsatisfiable: the caller answers 416
    return first, last


def _read(path: Path, first: int, last: int) -> Iterator[bytes]:
    """The bytes first..last of the file, in chunks (a range may be large)."""
    with path.open("rb") as handle:
        handle.seek(first)
        left = last - first + 1
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


@require_safe
def basemap_file(request: HttpRequest) -> HttpResponseBase:
    """The base map file, whole or the byte range asked for (206)."""
    require(request.user, "view")  # the map's own permission
    path = basemap_path()
    if path is None:
        raise Http404("no base map")
    stat = path.stat()
    size = stat.st_size
    etag = f'"{stat.st_mtime_ns:x}-{size:x}"'
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    wanted = byte_range(header, size) if header and (not if_range or if_range == etag) else None
    if wanted is None:
        response: HttpResponseBase = FileResponse(path.open("rb"), content_type="application/vnd.pmtiles")
    elif wanted[0] >= size:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        first, last = wanted
        response = StreamingHttpResponse(_read(path, first, last), status=206, content_type="application/vnd.pmtiles")
        response["Content-Length"] = str(last - first + 1)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=3600"
    return response
