"""The Sprin as a Kabag Ops would sign it (issue 11, item 7), read back from the real PDF with
pdftotext: the signer and "a.n.", the Dasar, the Tembusan, the organisation by satgas, the
Polri ploting apart from the coordinated TNI, Linmas and Satpol PP, the KONSEP watermark, the
petikan, and posts named as people read them, never by their internal id."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo, positions
from siaga.core.data.model import Category, Force, Level, Person, Post, Region, Scenario, Tps, Unit, UnitKind
from siaga.core.data.planfile import write_plan
from siaga.core.data.scenario import write_scenario
from siaga.core.documents import orders, ploting, schedule, sprin
from siaga.core.planning.plan import plan

KEY = b"s" * 32
NGULING = "35.14.21"
POST_CODE = re.compile(r"\b(TPS|VILLAGE|RESERVE|STANDBY|PATROL)-")
SETTINGS = sprin.OrderSettings(polres="Polres Pasuruan Kota", number="Sprin/1/III/2022")
DAY = dt.date(2022, 3, 23)


def pdf_pages(path: Path, raw: bool = False) -> list[str]:
    """The text of every page, whitespace collapsed. `raw` keeps the content stream's order,
    which is the only one in which pdftotext gives diagonal text (the watermark) at all; its
    letters may then come one per line, so `raw` removes all whitespace."""
    done = subprocess.run(
        ["pdftotext", *(["-raw"] if raw else []), str(path), "-"], capture_output=True, text=True, check=True
    )
    return ["".join(page.split()) if raw else " ".join(page.split()) for page in done.stdout.split("\f")[:-1]]


def render(scenario: Scenario, made, tmp_path: Path, raw: bool = False, **options) -> list[str]:
    plot = ploting.build(scenario, made, options.pop("kecamatan_code", ""))
    options.setdefault("stages", schedule.scoped(schedule.build(scenario, made), plot.scope_code))
    path = tmp_path / "sprin.pdf"
    path.write_bytes(sprin.sprin_pdf(scenario, plot, **options).data)
    return pdf_pages(path, raw)


def with_operation(scenario: Scenario, **changes) -> Scenario:
    return dataclasses.replace(scenario, operation=dataclasses.replace(scenario.operation, **changes))


def section(pages: list[str], start: str, end: str | None = None) -> str:
    """The text from the page whose heading is `start` to the page before `end`."""
    text = " ".join(pages)
    first = text.index(start)
    return text[first : text.index(end, first) if end else len(text)]


@pytest.fixture(scope="module")
def scenario():
    return demo.pasuruan_kota()


@pytest.fixture(scope="module")
def made(scenario):
    return plan(scenario)


@pytest.fixture(scope="module")
def written(scenario, made, tmp_path_factory):
    return orders.write(scenario, made, tmp_path_factory.mktemp("orders"), KEY)


@pytest.fixture(scope="module")
def pages(written):
    return pdf_pages(written.directory / orders.SPRIN)


def by_position(scenario: Scenario, position: str):
    return next(p for p in scenario.personnel if p.position == position)


# ---------------------------------------------------------------- signer


def test_it_signs_on_behalf_of_the_kapolres_when_the_operation_says_so(scenario, made, tmp_path):
    wakapolres, kapolres = by_position(scenario, "Wakapolres"), by_position(scenario, "Kapolres")
    letter = " ".join(render(with_operation(scenario, sprin_on_behalf="Wakapolres"), made, tmp_path)[:2])
    assert (
        f"a.n. KEPALA KEPOLISIAN RESOR PASURUAN KOTA WAKAPOLRES {wakapolres.name} "
        f"{wakapolres.rank} NRP {wakapolres.id}" in letter
    )
    assert kapolres.name not in letter


def test_it_signs_as_the_kapolres_without_an_a_n_by_default(pages, scenario):
    kapolres = by_position(scenario, "Kapolres")
    letter = " ".join(pages[:2])
    assert f"KEPALA KEPOLISIAN RESOR PASURUAN KOTA {kapolres.name} AKBP NRP {kapolres.id}" in letter
    assert "a.n." not in " ".join(pages)


def test_it_leaves_the_name_to_write_by_hand_when_nobody_holds_the_signing_position(scenario):
    settings = sprin.resolve(sprin.OrderSettings(), with_operation(scenario, sprin_on_behalf="Kabag Sumda"))
    assert (settings.on_behalf, settings.signer_title) == ("a.n. KEPALA KEPOLISIAN RESOR PASURUAN KOTA", "KABAG SUMDA")
    assert settings.signer_name == "" and settings.signer_nrp == ""


# ---------------------------------------------------------------- Dasar


def test_it_cites_the_village_law_for_a_pilkades_and_not_for_a_pemilu(scenario):
    law = "Undang-Undang Nomor 6 Tahun 2014 tentang Desa;"
    assert law in sprin.resolve(sprin.OrderSettings(), scenario).dasar
    pemilu = with_operation(scenario, name="Ops Mantap Brata 2024", pattern="pemilu-2024")
    dasar = sprin.resolve(sprin.OrderSettings(), pemilu).dasar
    assert law not in dasar and "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum;" in dasar


def test_it_numbers_the_renops_and_prinlak_when_given(scenario, made, pages, tmp_path):
    numbered = with_operation(scenario, renops_number="R/Renops/12/III/2022", prinlak_number="Prinlak/07/III/2022")
    letter = " ".join(render(numbered, made, tmp_path)[:2])
    op = scenario.operation.name
    assert "Undang-Undang Nomor 6 Tahun 2014 tentang Desa" in letter
    assert f"Rencana Operasi (Renops) {op} Nomor: R/Renops/12/III/2022;" in letter
    assert f"Perintah Pelaksanaan Operasi (Prinlak Ops) {op} Nomor: Prinlak/07/III/2022." in letter
    plain = " ".join(pages[:2])
    assert f"Rencana Operasi (Renops) {op};" in plain and "Nomor: R/Renops" not in plain


# ---------------------------------------------------------------- Tembusan


def test_it_sends_the_usual_copies_by_default(pages):
    letter = " ".join(pages[:2])
    copies = (
        "Tembusan: 1. Kapolda Jawa Timur 2. Irwasda Polda Jawa Timur 3. Karoops Polda Jawa Timur "
        "4. Bupati Pasuruan 5. Dandim 0819/Pasuruan"
    )
    assert copies in letter


def test_it_sends_the_copies_the_operation_lists(scenario, made, tmp_path):
    listed = with_operation(scenario, tembusan="Kapolda Jawa Timur; Ketua Panitia Pilkades Kabupaten;")
    letter = " ".join(render(listed, made, tmp_path)[:2])
    assert "Tembusan: 1. Kapolda Jawa Timur 2. Ketua Panitia Pilkades Kabupaten" in letter
    assert "Dandim" not in letter and "3." not in letter.split("Tembusan:")[1]


@pytest.mark.parametrize("copies", [5, 18])
def test_it_keeps_the_tembusan_on_the_page_of_the_signature(scenario, made, tmp_path, copies):
    listed = with_operation(scenario, tembusan="; ".join(f"Pejabat nomor {n}" for n in range(1, copies + 1)))
    kapolres = by_position(scenario, "Kapolres")
    found = [page for page in render(listed, made, tmp_path) if "Tembusan:" in page]
    assert len(found) == 1
    assert kapolres.name in found[0] and f"Pejabat nomor {copies}" in found[0]
    before = found[0].split("Dikeluarkan di")[0]
    assert "saksama" in before  # the letter's last words come along: never a bare signature


# ---------------------------------------------------------------- organisation


def test_it_lists_each_kasatgas_with_name_rank_and_nrp(scenario, pages):
    annex = section(pages, "SUSUNAN ORGANISASI OPERASI", "LAMPIRAN II")
    chiefs = positions.kasatgas(scenario)
    assert [s.name for s, _ in chiefs] == ["Preemtif", "Preventif", "Kamseltibcarlantas", "Gakkum", "Humas", "Banops"]
    expected = {
        "Preemtif": "Kasat Binmas",
        "Preventif": "Kasat Samapta",
        "Kamseltibcarlantas": "Kasat Lantas",
        "Gakkum": "Kasat Reskrim",
        "Humas": "Kasi Humas",
        "Banops": "Kabag Log",
    }
    for satgas, person in chiefs:
        assert person is not None and person.position == expected[satgas.name]
        assert f"Kasatgas {satgas.name} {person.name} {person.rank} {person.id} {person.position}" in annex
    assert "Pam TPS (Satgas Preventif)" in annex
    assert annex.index("Kasatgas Preventif") < annex.index("Pam TPS") < annex.index("Kasatgas Kamseltibcarlantas")
    for office in (positions.PENANGGUNG_JAWAB, positions.WAKIL, positions.KAOPS):
        assert positions.ROLE_LABEL[office] in annex
    staff = [p for p in scenario.personnel if p.position == "Staf Posko"]
    assert staff and all(f"Staf {p.name} {p.rank} {p.id} Staf Posko" in annex for p in staff)


def test_it_says_belum_ditunjuk_for_a_satgas_nobody_leads(scenario, made, tmp_path):
    humas = by_position(scenario, "Kasi Humas")
    nobody = dataclasses.replace(
        scenario, personnel=tuple(dataclasses.replace(p, position="") if p == humas else p for p in scenario.personnel)
    )
    annex = section(render(nobody, made, tmp_path), "SUSUNAN ORGANISASI OPERASI", "LAMPIRAN II")
    assert "Kasatgas Humas belum ditunjuk" in annex


@pytest.mark.parametrize(
    "held, expected",
    [
        (["Kasat Binmas", "Kasat Intelkam"], {"Preemtif": "Kasat Binmas"}),
        (["Kasat Intelkam"], {"Preemtif": "Kasat Intelkam"}),  # the next in the default mapping
        (["Kasat Reskrim", "Kasatgas Gakkum"], {"Gakkum": "Kasatgas Gakkum"}),  # named for it: wins
        (["KASAT SABHARA", "Kasi Log"], {"Preventif": "KASAT SABHARA", "Banops": "Kasi Log"}),
        (["Kasat Narkoba"], {}),  # leads no satgas: staff
    ],
)
def test_it_fills_the_kasatgas_from_positions(held, expected):
    people = tuple(Person(str(n), f"P{n}", "AKP", "R", Force.POLRI, position=p) for n, p in enumerate(held))
    scenario = Scenario(demo.pasuruan_kota().operation, (), (), (Unit("R", "Polres X", UnitKind.POLRES),), people)
    found = {s.name: p.position for s, p in positions.kasatgas(scenario) if p is not None}
    assert found == expected


# ---------------------------------------------------------------- Polri and the coordinated forces


def test_it_keeps_tni_and_linmas_out_of_the_polri_ploting_and_lists_them_for_coordination(scenario, made, pages):
    polri = section(pages, "DAFTAR PLOTING PERSONEL POLRI", "DAFTAR UNSUR YANG DIKOORDINASIKAN")
    coordinated = section(pages, "DAFTAR UNSUR YANG DIKOORDINASIKAN")
    persons = {p.id: p for p in scenario.personnel}
    on_posts = [persons[a.person] for a in made.assignments]
    commanded_names = {p.name for p in scenario.personnel if p.force in (Force.POLRI, Force.BRIMOB)}
    others = [p for p in on_posts if p.force in (Force.TNI, Force.LINMAS) and p.name not in commanded_names]
    assert {p.force for p in others} == {Force.TNI, Force.LINMAS}
    assert [p.name for p in others if p.name in polri] == []
    assert [p.name for p in others if p.name not in coordinated] == []
    assert "Linmas Desa" not in polri and "Linmas Desa Semare" in coordinated and "Koramil Kraton" in coordinated
    assert all(p.id in polri for p in on_posts if p.force in (Force.POLRI, Force.BRIMOB))
    assert "JUMLAH PERSONEL POLRI PADA POS: 284 (Polri 194, Brimob 90)" in polri
    assert "Jumlah: TNI 42, Linmas 304; seluruhnya 346 orang." in coordinated
    assert "tidak berada di bawah komando Surat Perintah ini" in coordinated


def test_it_counts_instead_of_naming_when_a_post_has_very_many_of_one_force(scenario, made):
    post = next(p for p in made.posts if p.kind == "TPS")
    linmas = [p for p in scenario.personnel if p.force == Force.LINMAS][: sprin.NAMES_UP_TO + 1]
    crowded = dataclasses.replace(
        made,
        assignments=(
            *(a for a in made.assignments if a.person not in {p.id for p in linmas}),
            *(dataclasses.replace(made.assignments[0], person=p.id, post=post.id, slot="LINMAS") for p in linmas),
        ),
    )
    rows = [
        r.cells
        for b in sprin.coordination_blocks(ploting.build(scenario, crowded), sprin.Annex("III", SETTINGS, DAY, False))
        if isinstance(b, sprin.pdf.Table)
        for r in b.rows
        if isinstance(r, sprin.pdf.Cells)
    ]
    assert f"{sprin.NAMES_UP_TO + 1} orang (daftar nama pada satuan)" in [cells[5] for cells in rows]


# ---------------------------------------------------------------- KONSEP and petikan


def test_it_marks_every_page_of_a_draft_konsep(scenario, made, written, tmp_path):
    draft = render(scenario, made, tmp_path, raw=True, draft=True)
    final = pdf_pages(written.directory / orders.SPRIN, raw=True)
    assert len(draft) == len(final) > 3
    assert [n for n, page in enumerate(draft, start=1) if sprin.KONSEP not in page] == []
    assert [n for n, page in enumerate(final, start=1) if sprin.KONSEP in page] == []


def test_it_marks_a_sector_extract_as_a_petikan(scenario, made, pages, tmp_path):
    extract = render(scenario, made, tmp_path, kecamatan_code=NGULING)
    assert "PETIKAN SURAT PERINTAH" in extract[0]
    text = " ".join(extract)
    for number in ("I", "II", "III"):
        assert f"PETIKAN LAMPIRAN {number} SURAT PERINTAH KAPOLRES PASURUAN KOTA" in text
    assert "PETIKAN DAFTAR PLOTING PERSONEL POLRI KECAMATAN NGULING" in text
    assert "PETIKAN" not in " ".join(pages)


def test_it_writes_a_konsep_from_the_command_line(scenario, made, tmp_path):
    write_scenario(scenario, tmp_path / "demo.xlsx")
    write_plan(made, tmp_path / "plan.json")
    result = CliRunner().invoke(
        app,
        [str(a) for a in ("orders", tmp_path / "demo.xlsx", tmp_path / "plan.json", "--out", tmp_path / "o",
                          "--key-file", tmp_path / "key", "--konsep", "--kecamatan", NGULING)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    extract = pdf_pages(tmp_path / "o" / orders.SPRIN, raw=True)
    assert extract and all(sprin.KONSEP in page for page in extract)
    assert "PETIKANSURATPERINTAH" in extract[0]


# ---------------------------------------------------------------- posts by name, never by id


def test_it_prints_no_internal_post_code_in_any_document(written, made):
    assert {POST_CODE.match(p.id).group(1) for p in made.posts} >= {"TPS", "VILLAGE", "RESERVE"}
    for name in (orders.SPRIN, orders.CARDS):
        found = [page for page in pdf_pages(written.directory / name) if POST_CODE.search(page)]
        assert found == [], name
    book = load_workbook(written.directory / orders.WORKBOOK)
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert [c for c in cells if POST_CODE.search(c)] == []


def test_it_names_every_post_of_the_demo_once(scenario, made, pages):
    names = ploting.post_names(scenario, made.posts)
    assert len(set(names.values())) == len(made.posts)
    text = " ".join(pages)
    assert [n for n in names.values() if n not in text] == []
    assert "Pos TPS 1 Desa Semare" in names.values() and "Jaga balai desa Semare" in names.values()


REGIONS = (
    Region("35.14.16", "Kraton", Level.KECAMATAN, "35.14"),
    Region("35.14.16.2007", "Semare", Level.DESA, "35.14.16"),
    Region("35.75.01.1001", "Bugul Kidul", Level.KELURAHAN, "35.75.01"),
)
UNITS = (Unit("POLSEK-21", "Polsek Nguling", UnitKind.POLSEK, "35.14.21"),)
TPS_ROWS = tuple(Tps(f"35.14.16.2007-{n:02d}", "35.14.16.2007", n, 300, 0, 0) for n in range(1, 10))


def _post(post_id: str, kind: str, tps: tuple[int, ...] = (), desa: str = "35.14.16.2007", **required: int) -> Post:
    ids = tuple(f"35.14.16.2007-{n:02d}" for n in tps)
    return Post(post_id, kind, ids, desa, "35.14.16", 0, 0, Category.RAWAN, required)


@pytest.mark.parametrize(
    "post, expected",
    [
        (_post("TPS-35.14.16.2007-1", "TPS", (1, 2, 3)), "Pos TPS 1-3 Desa Semare"),
        (_post("TPS-35.14.16.2007-2", "TPS", (4,)), "Pos TPS 4 Desa Semare"),
        (_post("TPS-35.14.16.2007-3", "TPS", (5, 6, 8)), "Pos TPS 5, 6, 8 Desa Semare"),
        (_post("PATROL-35.14.16.2007-1", "TPS", (1, 2, 3, 4, 5, 7)), "Patroli Desa Semare (TPS 1-5, 7)"),
        (_post("VILLAGE-35.14.16.2007", "VILLAGE"), "Jaga balai desa Semare"),
        (_post("VILLAGE-35.75.01.1001", "VILLAGE", desa="35.75.01.1001"), "Jaga kantor kelurahan Bugul Kidul"),
        (_post("RESERVE-POLSEK-21-1", "RESERVE", desa="", BRIMOB=30), "Cadangan Brimob di Polsek Nguling (tim 1)"),
        (_post("STANDBY-35.14.16", "STANDBY", desa="", TNI=12), "Siaga TNI Kecamatan Kraton"),
    ],
)
def test_it_names_a_post_as_people_read_it(post, expected):
    scenario = Scenario(demo.pasuruan_kota().operation, REGIONS, TPS_ROWS, UNITS, ())
    assert ploting.post_names(scenario, [post]) == {post.id: expected}


def test_it_tells_apart_two_posts_that_would_share_a_name():
    scenario = Scenario(demo.pasuruan_kota().operation, REGIONS, TPS_ROWS, UNITS, ())
    two = [_post("STANDBY-35.14.16-b", "STANDBY", desa=""), _post("STANDBY-35.14.16-a", "STANDBY", desa="")]
    assert ploting.post_names(scenario, two) == {
        "STANDBY-35.14.16-a": "Siaga TNI Kecamatan Kraton (1)",
        "STANDBY-35.14.16-b": "Siaga TNI Kecamatan Kraton (2)",
    }


def test_it_names_patrol_and_standby_posts_and_coordinates_the_standby_tni(scenario, tmp_path):
    pemilu = with_operation(scenario, name="Ops Mantap Brata 2024", pattern="pemilu-2024-jakbar")
    made = plan(pemilu)
    kinds = {POST_CODE.match(p.id).group(1) for p in made.posts}
    assert {"PATROL", "STANDBY"} <= kinds
    done = orders.write(pemilu, made, tmp_path, KEY)
    pages = pdf_pages(done.directory / orders.SPRIN)
    assert [page for page in pages if POST_CODE.search(page)] == []
    assert [page for page in pdf_pages(done.directory / orders.CARDS) if POST_CODE.search(page)] == []
    polri = section(pages, "DAFTAR PLOTING PERSONEL POLRI", "DAFTAR UNSUR YANG DIKOORDINASIKAN")
    coordinated = section(pages, "DAFTAR UNSUR YANG DIKOORDINASIKAN")
    assert "Patroli Desa Jeruk (TPS" in polri and "Siaga TNI Kecamatan Kraton" not in polri
    assert "Siaga TNI Kecamatan Kraton" in coordinated
    assert "Undang-Undang Nomor 6 Tahun 2014" not in " ".join(pages[:2])


def test_it_closes_every_kecamatan_of_the_polri_ploting_with_its_own_total(pages):
    polri = section(pages, "DAFTAR PLOTING PERSONEL POLRI", "DAFTAR UNSUR YANG DIKOORDINASIKAN")
    for kecamatan in ("Kraton", "Pohjentrek", "Gondangwetan", "Grati", "Nguling", "Lekok", "Rejoso"):
        assert f"Jumlah Kecamatan {kecamatan}: " in polri, kecamatan
    assert "Jumlah Cadangan" not in polri


def test_a_reinforced_post_says_its_real_strength_and_the_head_names_sprin_once(scenario, tmp_path):
    from dataclasses import replace as with_

    from siaga.core.planning import plan as planner

    stronger = with_(scenario, operation=with_(scenario.operation, reinforce_sangat_rawan=2))
    made = planner.plan(stronger)
    plot = ploting.build(stronger, made)
    blocks = [b for k in plot.kecamatan for d in k.desa for b in d.posts]
    pola = {r.pola for b in blocks if b.category == "Sangat rawan" and b.post.kind == "TPS" for r in b.rows}
    assert pola == {"3 Polri + 2 Linmas per TPS (diperkuat +2 Polri)"}
    reserve = {b.category for b in blocks if b.post.kind == "RESERVE"}
    assert reserve == {"-"}
    pages = render(stronger, made, tmp_path)
    assert "Sprin Sprin" not in " ".join(pages)


def test_the_annex_never_cuts_a_kecamatan_or_desa_name():
    """Gondangwetan is wider than the Kecamatan column's usual 52 points: the column takes the
    room from the pattern's column (whose words wrap at spaces); the table keeps its width, and
    a table whose names fit keeps the usual columns."""
    from siaga.core.documents import pdf

    pola = "2 Polri + 2 TNI per balai desa"

    def row(kecamatan: str, desa: str) -> pdf.Cells:
        cells = ["1", "Andik", "BRIPKA", "1", "Polsek", "Pos TPS", kecamatan, desa, "1", "Rawan"]
        return pdf.Cells((*cells, pola, "-", "-"))

    usual = sprin.PLOTING_COLUMNS
    assert sprin._fitted(usual, [row("Kraton", "Bayeman")]) == usual
    fitted = sprin._fitted(usual, [row("Gondangwetan", "Sumberrejoagung"), row("Kraton", "Bayeman")])
    width = {c.title: c.width for c in fitted}
    for word, title in (("Gondangwetan", "Kecamatan"), ("Sumberrejoagung", "Desa")):
        assert width[title] >= pdf.text_width(word, sprin.PLOTING_SIZE) + 2 * pdf.PAD, title
    longest = max(pdf.text_width(w, sprin.PLOTING_SIZE) for w in pola.split(" "))
    assert width["Pola"] >= longest + 2 * pdf.PAD and width["Pola"] < 100
    assert sum(width.values()) == pytest.approx(sum(c.width for c in usual))
