"""A small offline base map made by the tests themselves (never downloaded, never committed): a
road, a river and a settlement over Pasuruan, as Mapbox Vector Tiles (protobuf, encoded here) in
a PMTiles v3 archive (header and directory as the spec describes,
github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md), in the Protomaps basemap's layer names
(`earth`, `landcover`, `landuse`, `water`, `roads`, `buildings`) so the vendored
protomaps-leaflet draws it as it would draw an extract of a real Protomaps build.
"""

from __future__ import annotations

import gzip
import json
import math
import struct
from pathlib import Path

EXTENT = 4096
ZOOMS = range(6, 15)
# lon, lat
LAND = [(112.40, -8.10), (113.30, -8.10), (113.30, -7.40), (112.40, -7.40)]
SETTLEMENT = [(112.880, -7.660), (112.930, -7.660), (112.930, -7.620), (112.880, -7.620)]
RIVER = [(112.860, -7.700), (112.872, -7.670), (112.892, -7.645), (112.905, -7.620), (112.915, -7.600)]
RIVER_WIDTH = 0.004  # degrees: a wide river is a polygon in the water layer at every zoom
ROAD = [(112.700, -7.700), (112.800, -7.670), (112.900, -7.640), (113.000, -7.640), (113.080, -7.700)]
BBOX = (112.65, -7.75, 113.10, -7.55)  # west, south, east, north: where tiles are made


# ---------------------------------------------------------------- protobuf, the few parts needed
def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number: int, wire: int) -> bytes:
    return varint((number << 3) | wire)


def length_delimited(number: int, payload: bytes) -> bytes:
    return field(number, 2) + varint(len(payload)) + payload


def packed(number: int, values: list[int]) -> bytes:
    return length_delimited(number, b"".join(varint(v) for v in values))


def zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 31)


# ---------------------------------------------------------------- Mapbox Vector Tile
def tile_xy(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Web Mercator position in tiles of zoom z."""
    n = 2**z
    x = (lon + 180.0) / 360.0 * n
    rad = math.radians(lat)
    y = (1.0 - math.log(math.tan(rad) + 1.0 / math.cos(rad)) / math.pi) / 2.0 * n
    return x, y


def local(points: list[tuple[float, float]], z: int, x: int, y: int) -> list[tuple[int, int]]:
    out = []
    for lon, lat in points:
        tx, ty = tile_xy(lon, lat, z)
        out.append((round((tx - x) * EXTENT), round((ty - y) * EXTENT)))
    return out


def geometry(points: list[tuple[int, int]], polygon: bool) -> list[int]:
    """MoveTo, LineTo (and ClosePath for a polygon) with zigzag deltas."""
    if polygon:
        area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1], strict=True))
        if area < 0:  # an outer ring turns clockwise on screen (y down): positive area
            points = points[::-1]
    cx = cy = 0
    out = [(1 & 7) | (1 << 3)]
    for i, (px, py) in enumerate(points):
        if i == 1:
            out.append((2 & 7) | ((len(points) - 1) << 3))
        out += [zigzag(px - cx), zigzag(py - cy)]
        cx, cy = px, py
    if polygon:
        out.append((7 & 7) | (1 << 3))
    return out


def layer(name: str, features: list[tuple[dict[str, str], list[tuple[int, int]], bool]]) -> bytes:
    keys: list[str] = []
    values: list[str] = []
    body = b""
    for number, (props, points, polygon) in enumerate(features, start=1):
        tags = []
        for k, v in props.items():
            if k not in keys:
                keys.append(k)
            if v not in values:
                values.append(v)
            tags += [keys.index(k), values.index(v)]
        feature = field(1, 0) + varint(number) + packed(2, tags)
        feature += field(3, 0) + varint(3 if polygon else 2) + packed(4, geometry(points, polygon))
        body += length_delimited(2, feature)
    for k in keys:
        body += length_delimited(3, k.encode())
    for v in values:
        body += length_delimited(4, length_delimited(1, v.encode()))
    head = field(15, 0) + varint(2) + length_delimited(1, name.encode())
    return length_delimited(3, head + body + field(5, 0) + varint(EXTENT))


def river_polygon() -> list[tuple[float, float]]:
    """The river line widened to a band (left bank up, right bank down)."""
    half = RIVER_WIDTH / 2
    return [(lon - half, lat) for lon, lat in RIVER] + [(lon + half, lat) for lon, lat in reversed(RIVER)]


def vector_tile(z: int, x: int, y: int) -> bytes:
    def at(points: list[tuple[float, float]]) -> list[tuple[int, int]]:
        return local(points, z, x, y)

    return b"".join(
        [
            layer("earth", [({"kind": "earth"}, at(LAND), True)]),
            layer("landcover", [({"kind": "urban_area"}, at(SETTLEMENT), True)]),
            layer("buildings", [({"kind": "building"}, at(SETTLEMENT), True)]),
            layer("water", [({"kind": "river"}, at(river_polygon()), True), ({"kind": "river"}, at(RIVER), False)]),
            layer("roads", [({"kind": "major_road"}, at(ROAD), False)]),
        ]
    )


# ---------------------------------------------------------------- PMTiles v3
def rotate(n: int, x: int, y: int, rx: int, ry: int) -> tuple[int, int]:
    if ry == 0:
        if rx != 0:
            x, y = n - 1 - x, n - 1 - y
        x, y = y, x
    return x, y


def tile_id(z: int, x: int, y: int) -> int:
    """The tile's number on the Hilbert curves of all zooms (the spec's TileID)."""
    acc = ((1 << (z * 2)) - 1) // 3
    a = z - 1
    while a >= 0:
        s = 1 << a
        rx, ry = s & x, s & y
        acc += ((3 * rx) ^ ry) << a
        x, y = rotate(s, x, y, rx, ry)
        a -= 1
    return acc


def directory(entries: list[tuple[int, int, int]]) -> bytes:
    """(tile id, offset, length) sorted by tile id, each a run of one tile."""
    out = varint(len(entries))
    last = 0
    for tid, _, _ in entries:
        out += varint(tid - last)
        last = tid
    out += b"".join(varint(1) for _ in entries)
    out += b"".join(varint(length) for _, _, length in entries)
    previous_end = -1
    for _, offset, length in entries:
        out += varint(0 if offset == previous_end else offset + 1)
        previous_end = offset + length
    return out


def e7(value: float) -> int:
    return round(value * 10_000_000)


def write_basemap(path: Path) -> Path:
    """The test's base map file at `path`: zooms 6 to 14 over BBOX."""
    tiles: dict[int, bytes] = {}
    west, south, east, north = BBOX
    for z in ZOOMS:
        x0, y0 = (int(v) for v in tile_xy(west, north, z))
        x1, y1 = (int(v) for v in tile_xy(east, south, z))
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                tiles[tile_id(z, x, y)] = vector_tile(z, x, y)
    entries = []
    data = b""
    for tid in sorted(tiles):
        entries.append((tid, len(data), len(tiles[tid])))
        data += tiles[tid]
    root = gzip.compress(directory(entries), mtime=0)
    metadata = json.dumps({"name": "uji Pasuruan", "vector_layers": []}).encode()
    root_offset = 127
    metadata_offset = root_offset + len(root)
    data_offset = metadata_offset + len(metadata)
    assert root_offset + len(root) <= 16384, "the root directory must lie in the first 16 KiB"
    header = b"PMTiles" + bytes([3])
    header += struct.pack(
        "<QQQQQQQQQQQ",
        root_offset,
        len(root),
        metadata_offset,
        len(metadata),
        data_offset,  # no leaf directories
        0,
        data_offset,
        len(data),
        len(tiles),
        len(entries),
        len(tiles),
    )
    header += bytes([1, 2, 1, 1, ZOOMS.start, ZOOMS.stop - 1])  # clustered, gzip directory, plain MVT
    header += struct.pack("<iiii", e7(west), e7(south), e7(east), e7(north))
    header += bytes([10]) + struct.pack("<ii", e7(112.9), e7(-7.645))
    assert len(header) == 127
    path.write_bytes(header + root + metadata + data)
    return path
