"""The map pages of the orders (maps.py): a Polres page and one page per kecamatan, read back
from the PDF with pdftotext: the kecamatan names, and on each kecamatan's map the TPS numbers
of its posts as the annex numbers them; drawn with no network; points only without boundaries;
the same pages on A3 after a cover as the briefing pack of a Tactical Floor Game."""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo, generator
from siaga.core.data.boundaries import read_shipped, shipped_path
from siaga.core.data.model import Category
from siaga.core.data.planfile import write_plan
from siaga.core.data.scenario import write_scenario
from siaga.core.documents import maps, orders, ploting
from siaga.core.planning.plan import plan

SECTOR = "35.14.17"  # Pohjentrek
X, Y, W, H = maps.FRAME
# The map's frame as pdftotext measures (from the page's top), without the scale bar at its foot.
MAP_BOX = (X, maps.PAGE[1] - Y - H, X + W, maps.PAGE[1] - Y - 24)


@pytest.fixture(scope="module")
def scenario():
    return demo.pasuruan_kota()


@pytest.fixture(scope="module")
def demo_plan(scenario):
    return plan(scenario)


@pytest.fixture(scope="module")
def outlines(scenario):
    return read_shipped({r.code: r.level for r in scenario.regions}).boundaries


@pytest.fixture(scope="module")
def annex(scenario, demo_plan):
    return ploting.build(scenario, demo_plan)


@pytest.fixture(scope="module")
def peta(scenario, demo_plan, outlines, tmp_path_factory):
    path = tmp_path_factory.mktemp("maps") / "peta.pdf"
    path.write_bytes(maps.map_pages_pdf(scenario, demo_plan, outlines))
    return path


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def page_size(path: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", "-f", "2", "-l", "2", str(path)], capture_output=True, text=True, check=True)
    found = re.search(r"Page\s+2 size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    return float(found.group(1)), float(found.group(2))


def text(path: Path, page: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def map_words(path: Path, page: int) -> list[str]:
    """The words drawn on the map of a page (inside its frame, above the scale bar)."""
    done = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', done.stdout
    )
    left, top, right, bottom = MAP_BOX
    return [w for x0, y0, x1, y1, w in found if float(x0) >= left and float(x1) <= right and top <= float(y0) <= bottom]


def tps_posts(block: ploting.KecamatanBlock) -> list[ploting.PostBlock]:
    return [p for d in block.desa for p in d.posts if p.post.kind == "TPS"]


def test_it_draws_a_polres_page_and_one_page_per_kecamatan(peta, annex, scenario):
    kecamatan = [k for k in annex.kecamatan if k.code]
    assert len(kecamatan) == 7
    assert page_count(peta) == 1 + len(kecamatan)
    overview = text(peta, 1)
    assert "PETA PENGAMANAN WILAYAH HUKUM POLRES PASURUAN KOTA" in overview
    assert scenario.operation.name in overview
    for k in kecamatan:
        assert k.name.upper() in overview  # every kecamatan named on the Polres map
    for page, k in enumerate(kecamatan, start=2):
        assert f"PETA PENGAMANAN KECAMATAN {k.name.upper()}" in text(peta, page)


def test_the_polres_page_shows_the_reserves_headquarters_legend_and_scale(peta, demo_plan):
    overview = text(peta, 1)
    reserves = [p for p in demo_plan.posts if p.kind == "RESERVE"]
    assert reserves and "Cadangan Brimob di Koramil Grati (tim 1)" in overview
    for i in range(1, len(reserves) + 1):
        assert f"C{i}" in map_words(peta, 1)  # each team marked on the map, named in the list
    for word in ("Keterangan", "TPS Sangat rawan", "Mapolres", "Tim cadangan", "Batas wilayah hukum", "km", "U"):
        assert word in overview
    assert "Polres Pasuruan Kota" in map_words(peta, 1) or "Pasuruan" in map_words(peta, 1)


def test_each_kecamatan_map_labels_its_posts_with_the_annex_tps_numbers(peta, annex):
    for page, k in enumerate([k for k in annex.kecamatan if k.code], start=2):
        on_map = map_words(peta, page)
        listed = text(peta, page)
        posts = tps_posts(k)
        assert posts
        for p in posts:
            assert p.name in listed  # the post as the annex names it: "Pos TPS 3 Desa Tidu"
        expected = sorted(ploting.numbers_text(n for n in p.rows[0].tps_numbers) for p in posts if p.rows)
        drawn = sorted(w for w in on_map if re.fullmatch(r"\d+", w))
        assert drawn == expected, k.name  # one label per post, its TPS number, nothing else
        for d in k.desa:
            if d.code:
                assert d.name in " ".join(on_map)  # the desa named on its map


def test_the_numbers_on_the_map_are_the_tps_numbers_of_that_kecamatan_only(peta, annex, scenario):
    pohjentrek = next(i for i, k in enumerate([k for k in annex.kecamatan if k.code], start=2) if k.code == SECTOR)
    page = text(peta, pohjentrek)
    others = [p.name for k in annex.kecamatan if k.code not in ("", SECTOR) for p in tps_posts(k)]
    assert not [name for name in others if name in page]


def test_it_draws_without_any_network(scenario, demo_plan, outlines, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a map page tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    data = maps.map_pages_pdf(scenario, demo_plan, outlines)
    assert data.startswith(b"%PDF") and b"http" not in data.replace(b"http://ns.adobe.com", b"")


def test_a_scenario_without_boundaries_still_gets_its_pages_with_a_note(scenario, demo_plan, annex, tmp_path):
    path = tmp_path / "peta.pdf"
    path.write_bytes(maps.map_pages_pdf(scenario, demo_plan))
    kecamatan = [k for k in annex.kecamatan if k.code]
    assert page_count(path) == 1 + len(kecamatan)
    for page in range(1, page_count(path) + 1):
        assert "Tanpa batas wilayah" in text(path, page)
    second = text(path, 2)
    assert all(p.name in second for p in tps_posts(kecamatan[0]))


def test_a_sector_chiefs_orders_hold_the_map_of_their_kecamatan_only(scenario, demo_plan, outlines, tmp_path):
    path = tmp_path / "peta.pdf"
    path.write_bytes(maps.map_pages_pdf(scenario, demo_plan, outlines, kecamatan_code=SECTOR))
    assert page_count(path) == 1
    page = text(path, 1)
    assert "KECAMATAN POHJENTREK" in page and "WILAYAH HUKUM" not in page


def test_the_briefing_pack_is_a_cover_then_the_same_maps_on_a3(scenario, demo_plan, outlines, peta, tmp_path):
    path = tmp_path / "paket.pdf"
    path.write_bytes(maps.briefing_pdf(scenario, demo_plan, outlines))
    assert page_count(path) == page_count(peta) + 1
    width, height = page_size(path)
    assert (round(width), round(height)) == (1191, 842)  # A3 landscape
    cover = text(path, 1)
    assert "TACTICAL FLOOR GAME" in cover and scenario.operation.name in cover
    assert "950 personel, 7 kecamatan, 21 desa, 152 TPS" in cover
    assert "8. PETA PENGAMANAN KECAMATAN REJOSO" in cover
    for page in range(2, page_count(path) + 1):
        assert sorted(text(path, page).split()) == sorted(text(peta, page - 1).split())  # the same pages, larger


def test_a_category_is_told_by_its_shape_not_only_its_colour():
    assert len({maps.SHAPE[c] for c in Category}) == len(Category)
    filled = {c: maps.FILL[c] is not None for c in Category}
    assert filled[Category.KURANG_RAWAN] is False and filled[Category.KHUSUS] is True


def test_a_long_list_of_posts_continues_on_the_next_page(tmp_path):
    scenario = generator.generate(700, seed=3)
    result = plan(scenario)
    path = tmp_path / "peta.pdf"
    path.write_bytes(maps.map_pages_pdf(scenario, result))
    annex = ploting.build(scenario, result)
    whole = " ".join(text(path, page) for page in range(1, page_count(path) + 1))
    assert "lanjutan" in whole and page_count(path) > 1 + sum(1 for k in annex.kecamatan if k.code)
    for k in annex.kecamatan:
        for p in tps_posts(k):
            assert p.name in whole


def test_the_orders_hold_the_maps_and_refuse_a_broken_boundary_file(scenario, demo_plan, tmp_path):
    write_scenario(scenario, tmp_path / "demo.xlsx")
    write_plan(demo_plan, tmp_path / "plan.json")
    run = CliRunner().invoke
    key = ["--key-file", str(tmp_path / "key")]
    broken = tmp_path / "broken.geojson"
    ring = [[112.8, -7.6], [112.9, -7.6], [112.9, -7.7]]  # not closed, three points
    feature = {
        "type": "Feature",
        "properties": {"code": SECTOR},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    broken.write_text('{"type": "FeatureCollection", "features": [' + str(feature).replace("'", '"') + "]}")
    args = [str(tmp_path / "demo.xlsx"), str(tmp_path / "plan.json")]
    refused = run(app, ["orders", *args, "--out", str(tmp_path / "no"), *key, "--boundaries", str(broken)])
    assert refused.exit_code == 1 and "Fitur ke-1" in refused.output and not (tmp_path / "no").exists()
    (tmp_path / "demo.geojson").write_bytes(shipped_path().read_bytes())  # beside the workbook: taken
    done = run(app, ["orders", *args, "--out", str(tmp_path / "out"), *key, "--konsep"])
    assert done.exit_code == 0, done.output
    assert "peta.pdf" in done.output and "paket-briefing.pdf" in done.output
    out = tmp_path / "out"
    assert page_count(out / orders.MAPS) == 8 and page_count(out / orders.BRIEFING) == 9
    assert "Tanpa batas wilayah" not in text(out / orders.MAPS, 2)
    raw = ["pdftotext", "-raw", "-f", "3", "-l", "3", str(out / orders.MAPS), "-"]  # -raw: the diagonal word too
    assert "KONSEP" in subprocess.run(raw, capture_output=True, text=True, check=True).stdout


def test_the_briefing_covers_legend_lists_only_what_the_maps_hold(scenario, demo_plan, outlines, tmp_path):
    """A Pemilu has no balai desa guard (the boxes go to the PPS and the PPK): its cover's legend
    does not list one; the Pilkades's does."""
    pilkades = tmp_path / "pilkades.pdf"
    pilkades.write_bytes(maps.briefing_pdf(scenario, demo_plan, outlines))
    assert "Jaga balai desa" in text(pilkades, 1)
    pemilu_scenario = demo.pasuruan_kota_pemilu()
    pemilu = tmp_path / "pemilu.pdf"
    pemilu.write_bytes(maps.briefing_pdf(pemilu_scenario, plan(pemilu_scenario), outlines))
    cover = text(pemilu, 1)
    assert "TACTICAL FLOOR GAME" in cover and "Jaga balai desa" not in cover
