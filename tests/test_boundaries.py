"""Region boundaries from GeoJSON (siaga.core.data.boundaries): the shipped Pasuruan file read
and matched to the demo's regions by Kemendagri code; a broken file refused with a message
naming each broken feature (its place in the file and its code); a code the scenario does not
have is a warning, and a region without a boundary is listed."""

from __future__ import annotations

import json
import random
from copy import deepcopy
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo
from siaga.core.data.boundaries import (
    contains,
    contains_many,
    km_outside,
    normalise_code,
    outer_rings,
    outline,
    outside_warnings,
    point_inside,
    read_boundaries,
    read_shipped,
    shipped,
    shipped_path,
    tps_outside,
)
from siaga.core.data.geo import haversine_km
from siaga.core.data.problems import ScenarioError
from siaga.core.data.scenario import write_scenario

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


# ---------------------------------------------------------------- the demo on real ground


def test_the_demo_desa_and_kecamatan_points_are_the_shipped_centroids():
    filed = shipped()
    for scenario in (demo.pasuruan_kota(), demo.pasuruan_kota_pemilu()):
        placed = [r for r in scenario.regions if r.level.value in ("KECAMATAN", "DESA")]
        assert len(placed) == 28
        for r in placed:
            assert (r.lat, r.lon) == (filed[r.code].lat, filed[r.code].lon), r.code
        # the distance to the Polsek is measured between those real points
        kecamatan = {r.code: r for r in placed if r.level.value == "KECAMATAN"}
        for r in placed:
            if r.level.value == "DESA" and scenario.operation.pattern != "pemilu-2024":  # a Pemilu's facts: TPS'
                k = kecamatan[r.parent_code]
                km = haversine_km(r.lat, r.lon, k.lat, k.lon)  # type: ignore[arg-type]
                assert r.indicators["polsek_distance_km"] == round(km)


def test_every_demo_tps_lies_inside_its_desa_and_the_demo_keeps_its_figures():
    filed = shipped()
    scenario = demo.pasuruan_kota()
    assert (len(scenario.tps), len(scenario.personnel)) == (152, 950)
    for t in scenario.tps:
        assert contains(filed[t.desa_code].geometry, t.lat, t.lon), t.id
    assert tps_outside([(t.id, t.desa_code, t.lat, t.lon) for t in scenario.tps], {
        code: b.geometry for code, b in filed.items()}, outside_m=0) == []  # fmt: skip
    assert demo.pasuruan_kota() == scenario  # deterministic from the seed
    assert demo.pasuruan_kota(seed=7).tps != scenario.tps


# A square of 0.01 degrees (about 1.1 km) with a square hole in the middle.
HOLE = [[112.864, -7.666], [112.864, -7.664], [112.866, -7.664], [112.866, -7.666], [112.864, -7.666]]
HOLED = {"type": "Polygon", "coordinates": [SQUARE, HOLE]}


@pytest.mark.parametrize(
    ("lat", "lon", "inside", "km"),
    [
        (-7.668, 112.862, True, 0.0),  # inside the ring
        (-7.665, 112.865, False, 0.11),  # inside the hole: outside, 0.001 degrees from its edge
        (-7.665, 112.88, False, 1.10),  # east of the square, 0.01 degrees from its edge
        (-7.68, 112.865, False, 1.11),  # south
    ],
)
def test_a_point_is_inside_an_outline_or_so_far_outside_it(lat, lon, inside, km):
    assert contains(HOLED, lat, lon) is inside
    assert km_outside(HOLED, lat, lon) == pytest.approx(km, abs=0.01)
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE, HOLE], [[[x + 1, y] for x, y in SQUARE]]]}
    assert contains(multi, lat, lon) is inside and contains(multi, lat, lon + 1) is (km < 0.5)  # no hole there


def test_many_points_at_once_are_judged_as_one_at_a_time():
    """The vectorised test over the real outlines of the demo's desa (holes, several parts)."""
    rng = random.Random(5)
    for code in demo.DESA:
        outline = shipped()[code].geometry
        points = [(rng.uniform(-7.8, -7.58), rng.uniform(112.8, 113.1)) for _ in range(300)]
        lat, lon = np.array([p[0] for p in points]), np.array([p[1] for p in points])
        assert contains_many(outline, lat, lon).tolist() == [contains(outline, *p) for p in points], code


def test_a_point_drawn_inside_an_outline_is_inside_and_the_same_for_a_seed():
    drawn = [point_inside(HOLED, random.Random(seed)) for seed in range(50)]
    assert all(contains(HOLED, lat, lon) for lat, lon in drawn)
    assert drawn == [point_inside(HOLED, random.Random(seed)) for seed in range(50)]
    near = [point_inside(HOLED, random.Random(seed), around=(-7.661, 112.861, 0.001)) for seed in range(20)]
    assert all(-7.662 <= lat <= -7.66 and 112.86 <= lon <= 112.862 for lat, lon in near)


def test_a_tps_placed_outside_its_desa_gets_a_warning_naming_it():
    outlines = {"35.14.17.2005": {"type": "Polygon", "coordinates": [SQUARE]}}
    tps = [
        ("35.14.17.2005-01", "35.14.17.2005", -7.665, 112.865),  # inside
        ("35.14.17.2005-02", "35.14.17.2005", -7.665, 112.8705),  # 55 m outside: within the allowed 100 m
        ("35.14.17.2005-03", "35.14.17.2005", -7.665, 112.89),  # 2.2 km outside
        ("35.14.17.2005-04", "35.14.17.2005", None, None),  # no point: not judged
        ("35.14.16.2022-01", "35.14.16.2022", -7.0, 113.0),  # no outline for its desa: not judged
    ]
    found = tps_outside(tps, outlines)
    assert [(o.tps, o.desa) for o in found] == [("35.14.17.2005-03", "35.14.17.2005")]
    assert found[0].km == pytest.approx(2.2, abs=0.01)
    assert [o.tps for o in tps_outside(tps, outlines, outside_m=0)] == ["35.14.17.2005-02", "35.14.17.2005-03"]
    (warning,) = outside_warnings(found, {"35.14.17.2005": "Logowok"})
    assert warning.message() == (
        "Lembar 'tps': TPS 35.14.17.2005-03 terletak 2,20 km di luar batas desa Logowok (35.14.17.2005); "
        "periksa lintang dan bujurnya"
    )
    english = outside_warnings(found, {"35.14.17.2005": "Logowok"}, "en")[0].message("en")
    assert "35.14.17.2005-03" in english and "2.20 km" in english and "outside" in english


def test_validate_warns_of_a_tps_outside_its_desa_with_the_boundaries_beside_the_workbook(tmp_path):
    scenario = demo.pasuruan_kota()
    moved = "35.14.17.2005-03"
    tps = tuple(replace(t, lat=-7.655, lon=112.90) if t.id == moved else t for t in scenario.tps)
    write_scenario(replace(scenario, tps=tps), tmp_path / "ops.xlsx")
    plain = CliRunner().invoke(app, ["scenario", "validate", str(tmp_path / "ops.xlsx")])
    assert plain.exit_code == 0 and "luar batas desa" not in plain.output  # no boundaries: nothing to judge
    (tmp_path / "ops.geojson").write_bytes(shipped_path().read_bytes())
    beside = CliRunner().invoke(app, ["scenario", "validate", str(tmp_path / "ops.xlsx")])
    assert beside.exit_code == 0, beside.output  # a warning, not an error
    lines = [line for line in beside.output.splitlines() if "luar batas desa" in line]
    assert len(lines) == 1 and moved in lines[0] and "Logowok" in lines[0] and "Skenario sah" in beside.output
