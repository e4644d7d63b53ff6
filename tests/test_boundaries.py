"""Region boundaries from GeoJSON (siaga.core.data.boundaries): the shipped Pasuruan file read
and matched to the demo's regions by Kemendagri code; a broken file refused with a message
naming each broken feature (its place in the file and its code); a code the scenario does not
have is a warning, and a region without a boundary is listed."""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

import pytest

from siaga.core.data import demo
from siaga.core.data.boundaries import (
    normalise_code,
    outer_rings,
    outline,
    read_boundaries,
    read_shipped,
    shipped_path,
)
from siaga.core.data.problems import ScenarioError

SQUARE = [[112.86, -7.67], [112.87, -7.67], [112.87, -7.66], [112.86, -7.66], [112.86, -7.67]]


def regions() -> dict[str, str]:
    return {r.code: r.level.value for r in demo.pasuruan_kota().regions}


def feature(code: Any, coordinates: Any = None, kind: str = "Polygon", key: str = "code") -> dict[str, Any]:
    geometry = {"type": kind, "coordinates": [SQUARE] if coordinates is None else coordinates}
    return {"type": "Feature", "properties": {key: code, "name": "Uji"}, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def refused(data: Any, lang: str = "id") -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        read_boundaries(data, regions())
    return caught.value.messages(lang)


def test_the_shipped_file_matches_every_region_of_both_demos():
    """All 21 desa, 7 kecamatan and the kabupaten of the demo have their real outline; the other
    400 features of Kabupaten and Kota Pasuruan are skipped with a warning each."""
    assert shipped_path().stat().st_size < 1_000_000  # 670 KB, 5 decimals already: shipped as it is
    assert (shipped_path().parent / "LICENSE-wilayah-boundaries.txt").read_text().startswith("MIT License")
    for scenario in (demo.pasuruan_kota(), demo.pasuruan_kota_pemilu()):
        wanted = {r.code: r.level.value for r in scenario.regions}
        found = read_shipped(wanted)
        desa = [r.code for r in scenario.regions if r.level.value in ("DESA", "KELURAHAN")]
        assert len(desa) == 21
        assert dict(found.counts) == {"KABUPATEN": 1, "KECAMATAN": 7, "DESA": 21}
        assert found.missing == ()
        assert found.skipped == len(found.warnings) == 429 - 29
        assert {b.code for b in found.boundaries} == set(wanted)
        for b in found.boundaries:
            assert b.geometry["type"] == "MultiPolygon"
            assert -8.1 < b.lat < -7.5 and 112.5 < b.lon < 113.2
        assert "kode 35.75" in found.warnings[0].message()


def test_the_jurisdiction_outline_is_the_outer_edge_of_the_kecamatan():
    """The shipped kecamatan polygons are coarser than its desa: the demo's kecamatan are drawn
    as the outer edge of their desa (all of them in the file), and the jurisdiction as the
    outer edge of its 7 kecamatan, one ring without the slivers between neighbours."""
    found = read_shipped(regions())
    as_filed = read_boundaries(shipped_path(), regions())
    filed = {b.code: b for b in as_filed.boundaries}
    kecamatan = [b for b in found.boundaries if b.level == "KECAMATAN"]
    for b in kecamatan:
        assert b.geometry != filed[b.code].geometry and (b.lat, b.lon) == (filed[b.code].lat, filed[b.code].lon)
        assert all(ring[0] == ring[-1] and len(ring) >= 4 for p in b.geometry["coordinates"] for ring in p)
        assert len(b.geometry["coordinates"]) <= 2
    desa = [b for b in found.boundaries if b.level == "DESA"]
    assert all(b.geometry == filed[b.code].geometry for b in desa)
    (jurisdiction,) = outer_rings([b.geometry for b in kecamatan])
    edges = sum(len(r) - 1 for b in kecamatan for p in b.geometry["coordinates"] for r in p)
    assert 0 < len(jurisdiction) - 1 < edges  # the borders the kecamatan share are not part of it
    one = outline([filed["35.14.17"].geometry])
    assert sum(len(line) - 1 for line in one) == sum(
        len(r) - 1 for p in filed["35.14.17"].geometry["coordinates"] for r in p
    )


@pytest.mark.parametrize(
    "given, dotted",
    [
        ("35.14.17.2001", "35.14.17.2001"),
        ("3514172001", "35.14.17.2001"),
        (3514172001, "35.14.17.2001"),
        (" 351417 ", "35.14.17"),
        ("35.14", "35.14"),
        ("3514-17", ""),
        ("", ""),
        (None, ""),
        ("35141720011", ""),
    ],
)
def test_codes_dotted_or_undotted_are_read_dotted(given, dotted):
    assert normalise_code(given) == dotted


def test_an_undotted_code_under_another_property_name_matches():
    found = read_boundaries(collection(feature("3514172001", key="KODE")), regions())
    assert [b.code for b in found.boundaries] == ["35.14.17.2001"]
    assert found.boundaries[0].level == "DESA"
    assert "35.14.17" in found.missing  # the regions without a boundary are listed


def test_a_broken_polygon_and_an_unknown_code_each_name_their_feature():
    open_ring = [SQUARE[:-1] + [[112.865, -7.665]]]
    messages = refused(collection(feature("35.14.17.2001", open_ring), feature("35.99.01.2001")))
    assert messages == [
        "Fitur ke-1 (kode 35.14.17.2001): poligon 1, cincin 1 tidak tertutup"
        " (titik terakhir harus sama dengan titik pertama)"
    ]
    # the unknown code alone is a warning, the feature skipped
    found = read_boundaries(collection(feature("35.14.17.2001"), feature("35.99.01.2001")), regions())
    assert [w.message() for w in found.warnings] == [
        "Fitur ke-2 (kode 35.99.01.2001): kode ini tidak ada di wilayah operasi; fitur dilewati"
    ]
    assert found.skipped == 1 and len(found.boundaries) == 1


def test_every_kind_of_broken_feature_is_named():
    flipped = [[[lat, lon] for lon, lat in SQUARE]]
    line = [[SQUARE[0], SQUARE[1], SQUARE[0], SQUARE[0]]]
    broken = collection(
        feature("35.14.17.2001", [SQUARE[:3]]),  # 3 points
        feature("35.14.17.2002", flipped),  # [lat, lon]
        feature("35.14.17.2003", [[SQUARE[0], ["x", -7.6], *SQUARE[2:]]]),
        feature("35.14.17.2004", kind="Point", coordinates=[112.9, -7.6]),
        feature(""),
        {"type": "Feature", "properties": {"code": "35.14.17.2006"}, "geometry": None},
        feature("35.14.17.2007", line),  # no area
        feature("35.14.17.2001"),  # the first code again
        "not a feature",
        feature("35.14.17.2008", [[[112.86, -7.67], [float("nan"), -7.67], *SQUARE[2:]]]),
    )
    messages = refused(broken)
    assert messages == [
        "Fitur ke-1 (kode 35.14.17.2001): poligon 1, cincin 1 hanya 3 titik; paling sedikit 4"
        " (titik pertama diulang di akhir)",
        "Fitur ke-2 (kode 35.14.17.2002): poligon 1, cincin 1, titik ke-1 [-7.67, 112.86] di luar Indonesia;"
        " GeoJSON menulis [bujur, lintang]",
        "Fitur ke-3 (kode 35.14.17.2003): poligon 1, cincin 1, titik ke-2 bukan koordinat [bujur, lintang]"
        " berupa angka",
        "Fitur ke-4 (kode 35.14.17.2004): geometri harus Polygon atau MultiPolygon, bukan Point",
        "Fitur ke-5 tidak memiliki kode wilayah Kemendagri yang sah (properti code atau kode, mis. 35.14.17.2001)",
        "Fitur ke-6 (kode 35.14.17.2006): geometri harus Polygon atau MultiPolygon, bukan -",
        "Fitur ke-7 (kode 35.14.17.2007): poligon 1 tidak memiliki luas (titiknya segaris)",
        "Fitur ke-8 (kode 35.14.17.2001): kode ini sudah dipakai fitur ke-1",
        "Fitur ke-9 bukan GeoJSON Feature",
        "Fitur ke-10 (kode 35.14.17.2008): poligon 1, cincin 1, titik ke-2 bukan koordinat [bujur, lintang]"
        " berupa angka",
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"type": "Feature", "properties": {}, "geometry": None},
        {"type": "FeatureCollection"},
        b"[1, 2]",
        b'{"type": "GeometryCollection", "geometries": []}',
    ],
)
def test_anything_but_a_feature_collection_is_refused(data):
    assert refused(data) == [
        'Berkas batas wilayah harus GeoJSON FeatureCollection ("type": "FeatureCollection" dengan daftar "features")'
    ]


def test_a_file_that_is_no_json_or_matches_nothing_is_refused():
    (message,) = refused(b"\xff\xfe not json")
    assert message.startswith("Berkas batas wilayah bukan JSON yang sah")
    (message,) = refused(b'{"type": "FeatureCollection", "features": [], "x": NaN}')
    assert message.startswith("Berkas batas wilayah bukan JSON yang sah")
    assert refused(collection(feature("35.99.01.2001"))) == [
        "Tidak satu pun dari 1 fitur berkas batas wilayah cocok dengan kode wilayah operasi"
    ]


def test_the_shipped_file_with_one_ring_broken_is_refused():
    data = json.loads(shipped_path().read_text())
    broken = deepcopy(data)
    index = next(i for i, f in enumerate(broken["features"]) if f["properties"]["code"] == "35.14.17.2001")
    broken["features"][index]["geometry"]["coordinates"][0][0].pop()
    (message,) = refused(broken)
    assert message.startswith(f"Fitur ke-{index + 1} (kode 35.14.17.2001): poligon 1, cincin 1 tidak tertutup")
