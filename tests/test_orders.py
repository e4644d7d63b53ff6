"""Orders (issue 6): the Sprin and its lampiran, the ploting workbook and the assignment cards,
read back as a user would: PDF turned into text and pixels, the workbook reopened, QR decoded."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import zxingcpp
from openpyxl import load_workbook
from PIL import Image
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo, positions, ranks
from siaga.core.data.model import Category, Force, Person, Unit, UnitKind
from siaga.core.data.patterns import PRESETS
from siaga.core.data.planfile import digest, read_plan, write_plan
from siaga.core.data.ranks import leader
from siaga.core.data.scenario import write_scenario
from siaga.core.data.workbook import write_report
from siaga.core.documents import cards, orders, pdf, ploting, sprin, tokens
from siaga.core.planning.plan import plan

KEY = b"k" * 32
HEADLINE = "950 personel, 7 kecamatan, 21 desa, 152 TPS"
NGULING = "35.14.21"

# DOCTRINE.md section 5, low to high, and the TNI ranks of the demo at their Polri equivalents.
POLRI_LADDER = [
    "BHARADA", "BHARATU", "BHARAKA", "BRIPDA", "BRIPTU", "BRIGPOL", "BRIPKA", "AIPDA", "AIPTU",
    "IPDA", "IPTU", "AKP", "KOMPOL", "AKBP", "KOMBES",
]  # fmt: skip
TNI_EQUIVALENT = {
    "PRADA": "BHARADA", "PRATU": "BHARATU", "PRAKA": "BHARAKA", "KOPDA": "BHARAKA", "SERDA": "BRIPDA",
    "SERTU": "BRIPTU", "SERKA": "BRIGPOL", "SERMA": "BRIPKA", "PELDA": "AIPDA", "PELTU": "AIPTU",
    "LETDA": "IPDA", "LETTU": "IPTU", "KAPTEN": "AKP", "MAYOR": "KOMPOL", "LETKOL": "AKBP",
}  # fmt: skip

runner = CliRunner()


def siaga(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    done = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def page_image(path: Path, page: int, dpi: int, out: Path) -> Image.Image:
    prefix = out / f"{path.stem}-{page}-{dpi}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile", str(path), str(prefix)],
        check=True,
    )
    return Image.open(f"{prefix}.png").convert("L")


@pytest.fixture(scope="module")
def scenario():
    return demo.pasuruan_kota()


@pytest.fixture(scope="module")
def demo_plan(scenario):
    return plan(scenario)


@pytest.fixture(scope="module")
def written(scenario, demo_plan, tmp_path_factory):
    return orders.write(scenario, demo_plan, tmp_path_factory.mktemp("orders"), KEY)


@pytest.fixture(scope="module")
def annex(written):
    return pdf_text(written.directory / orders.SPRIN)


# ---------------------------------------------------------------- the Sprin and its lampiran


def test_it_lists_every_assigned_person_and_every_tps_in_the_annex(scenario, demo_plan, annex):
    persons = {p.id: p for p in scenario.personnel}
    assert len(demo_plan.assignments) == 630
    commanded = [a.person for a in demo_plan.assignments if persons[a.person].force in (Force.POLRI, Force.BRIMOB)]
    missing = [nrp for nrp in commanded if nrp not in annex]  # the coordinated forces are listed by name
    missing += [persons[a.person].name for a in demo_plan.assignments if persons[a.person].name not in annex]
    names = ploting.post_names(scenario, demo_plan.posts)
    text = " ".join(annex.split())
    missing += [names[p.id] for p in demo_plan.posts if names[p.id] not in text]
    covered = {t for p in demo_plan.posts for t in p.tps}
    assert missing == [] and covered == {t.id for t in scenario.tps}


def test_it_writes_the_grand_total_in_the_seeds_words(annex):
    assert HEADLINE in annex
    assert "Ditugaskan pada pos: 630 personel" in annex


def test_it_writes_the_letter_of_the_kapolres(scenario, written):
    letter = " ".join(pdf_text(written.directory / orders.SPRIN, 1, 2).split())
    kapolres = next(p for p in scenario.personnel if p.position == "Kapolres")
    assert kapolres.rank == "AKBP"
    for words in (
        "KEPOLISIAN NEGARA REPUBLIK INDONESIA",
        "DAERAH JAWA TIMUR",
        "RESOR PASURUAN KOTA",
        "SURAT PERINTAH",
        "/III/OPS.1.3./2022",
        "Pertimbangan",
        "Nomor 112 Tahun 2014",
        "Nomor 72 Tahun 2020",
        "Undang-Undang Nomor 2 Tahun 2002",
        "Kepada : Personel sebagaimana tersebut dalam lampiran Surat Perintah ini.",
        "Rabu, tanggal 23 Maret 2022",
        "Dikeluarkan di : Pasuruan",
        "KEPALA KEPOLISIAN RESOR PASURUAN KOTA",
        kapolres.name,
        f"AKBP NRP {kapolres.id}",
        "Halaman 1 dari",
    ):
        assert words in letter, words


def test_it_renders_page_one_as_something_to_read(written, tmp_path):
    image = page_image(written.directory / orders.SPRIN, 1, 50, tmp_path)
    histogram = image.histogram()
    dark = sum(histogram[:128]) / sum(histogram)
    assert image.getextrema()[0] < 64
    assert 0.01 < dark < 0.5


def test_it_lists_the_recap_of_force_by_kecamatan(annex):
    text = " ".join(annex.split())
    assert "Rekapitulasi kekuatan gabungan per kecamatan" in text
    for kecamatan in ("Kraton", "Pohjentrek", "Gondangwetan", "Grati", "Nguling", "Lekok", "Rejoso"):
        assert f"KECAMATAN {kecamatan.upper()}" in text


def test_it_makes_the_highest_polri_rank_the_ketua_pos_of_every_post(demo_plan, scenario):
    level = {rank: i for i, rank in enumerate(POLRI_LADDER)} | {
        tni: POLRI_LADDER.index(polri) for tni, polri in TNI_EQUIVALENT.items()
    }
    persons = {p.id: p for p in scenario.personnel}
    members: dict[str, list[Person]] = {}
    for a in demo_plan.assignments:
        members.setdefault(a.post, []).append(persons[a.person])
    plot = ploting.build(scenario, demo_plan)
    checked = 0
    for block in (b for k in plot.kecamatan for d in k.desa for b in d.posts):
        ranked = [p for p in members[block.post.id] if p.rank]
        polri = [p for p in ranked if p.force in (Force.POLRI, Force.BRIMOB)]
        ranked = polri or ranked  # the Sprin commands the Polri: a TNI sergeant does not lead their post
        assert block.ketua is not None
        assert level[block.ketua.rank] == max(level[p.rank] for p in ranked)
        assert all(r.ketua == f"{block.ketua.rank} {block.ketua.name}" for r in block.rows)
        checked += 1
    assert checked == len(demo_plan.posts)


def test_it_makes_the_kapolsek_the_padal_never_a_post_member(demo_plan, scenario):
    plot = ploting.build(scenario, demo_plan)
    kapolsek = {o.kecamatan_code: o.person for o in positions.organisation(scenario) if o.role == positions.PADAL}
    assert len(kapolsek) == 7
    on_posts = {a.person for a in demo_plan.assignments}
    for k in plot.kecamatan:
        for block in (b for d in k.desa for b in d.posts):
            if not k.code:  # a reserve team staged at the Polres: no kecamatan, no Padal
                assert block.padal is None
                continue
            assert block.padal == k.padal == kapolsek[k.code]
            assert block.padal.id not in on_posts
            assert all(r.padal == ploting.person_label(kapolsek[k.code]) for r in block.rows)


def test_it_signs_the_sprin_by_the_kapolres_position_not_the_highest_rank(scenario, demo_plan, tmp_path):
    # A Kombes seconded to the operation outranks the Kapolres: the Kapolres still signs.
    kombes = dataclasses.replace(scenario.personnel[1], id="60010001", name="Kombes Tamu", rank="KOMBES", position="")
    outranked = dataclasses.replace(scenario, personnel=(*scenario.personnel, kombes))
    done = orders.write(outranked, plan(outranked), tmp_path, KEY)
    letter = " ".join(pdf_text(done.directory / orders.SPRIN, 1, 2).split())
    kapolres = next(p for p in scenario.personnel if p.position == "Kapolres")
    assert f"{kapolres.name} AKBP NRP {kapolres.id}" in letter
    assert "Kombes Tamu" not in letter


def test_it_lists_the_organisation_in_its_own_annex(scenario, written):
    annex = " ".join(pdf_text(written.directory / orders.SPRIN, 2, 4).split())
    assert "SUSUNAN ORGANISASI OPERASI" in annex
    by_position = {p.position: p for p in scenario.personnel if p.position}
    for role, position in (
        ("Penanggung jawab", "Kapolres"),
        ("Wakil penanggung jawab", "Wakapolres"),
        ("Kepala operasi (Kaops)", "Kabag Ops"),
    ):
        p = by_position[position]
        assert f"{role} {p.name} {p.rank} {p.id} {position}" in annex
    for kecamatan in ("Kraton", "Pohjentrek", "Gondangwetan", "Grati", "Nguling", "Lekok", "Rejoso"):
        p = by_position[f"Kapolsek {kecamatan}"]
        assert f"Padal (perwira pengendali) Kecamatan {kecamatan} {p.name} {p.rank} {p.id}" in annex


@pytest.mark.parametrize(
    "people, expected",
    [
        ([("A", "BRIPKA", Force.POLRI), ("B", "AIPDA", Force.POLRI)], "B"),
        ([("A", "Aiptu", Force.POLRI), ("B", "BRIPKA", Force.POLRI)], "A"),  # case does not matter
        ([("A", "SERKA", Force.TNI), ("B", "BRIPDA", Force.POLRI)], "A"),  # Serka is above Bripda
        ([("A", "Kombes Pol.", Force.POLRI), ("B", "AKBP", Force.POLRI)], "A"),
        ([("A", "KAPTEN", Force.TNI), ("B", "AKP", Force.POLRI)], "B"),  # equal: the police lead
        ([("Budi", "BRIPTU", Force.POLRI), ("Agus", "BRIPTU", Force.POLRI)], "Agus"),  # then by name
        ([("A", "BHARADA", Force.BRIMOB), ("B", "", Force.LINMAS)], "A"),
        ([("A", "", Force.LINMAS), ("B", "II/a", Force.SATPOL_PP)], None),  # no rank on the ladder
    ],
)
def test_it_picks_the_leader_by_rank(people, expected):
    persons = [Person(f"id-{name}", name, rank, force=force) for name, rank, force in people]
    found = leader(persons)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize(
    "people, expected",
    [
        ([("A", "SERKA", Force.TNI), ("B", "BRIPDA", Force.POLRI)], "B"),  # the Sprin commands the Polri
        ([("A", "PELDA", Force.TNI), ("B", "BHARADA", Force.BRIMOB), ("C", "", Force.LINMAS)], "B"),
        ([("A", "SERDA", Force.TNI), ("C", "", Force.LINMAS)], "A"),  # no Polri: the senior member
        ([("C", "", Force.LINMAS)], None),
    ],
)
def test_the_ketua_pos_is_the_senior_polri_else_the_senior_member(people, expected):
    persons = [Person(f"id-{name}", name, rank, force=force) for name, rank, force in people]
    found = ranks.ketua_pos(persons)
    assert (found.name if found else None) == expected


def test_it_lists_unfilled_slots_so_a_gap_is_never_mistaken_for_a_plan(scenario, tmp_path):
    kept = {p.id for p in scenario.personnel if p.force == Force.POLRI}
    kept = set(sorted(kept)[:150])
    short = dataclasses.replace(
        scenario, personnel=tuple(p for p in scenario.personnel if p.force != Force.POLRI or p.id in kept)
    )
    thin = plan(short)
    assert thin.unfilled
    done = orders.write(short, thin, tmp_path, KEY)
    text = " ".join(pdf_text(tmp_path / orders.SPRIN).split())
    missing = sum(u.count for u in thin.unfilled)
    assert f"PERHATIAN: {missing} slot belum terisi" in text
    names = ploting.post_names(short, thin.posts)
    assert all(names[u.post] in text for u in thin.unfilled)
    assert text.count("BELUM TERISI:") == len(thin.unfilled)
    summary = load_workbook(tmp_path / orders.WORKBOOK)["Ringkasan"]
    values = [row for row in summary.iter_rows(values_only=True)]
    assert ("Slot kosong", missing) in [row[:2] for row in values]
    assert {names[u.post] for u in thin.unfilled} <= {row[2] for row in values}
    assert done.ploting.unfilled == missing


# ---------------------------------------------------------------- the workbook


def test_it_writes_a_sheet_per_kecamatan_with_a_row_per_person(scenario, demo_plan, written):
    book = load_workbook(written.directory / orders.WORKBOOK)
    names = {r.code: r.name for r in scenario.regions} | {"": "Tingkat Polres"}  # a reserve at the Kodim
    kecamatan_of_post = {p.id: p.kecamatan_code for p in demo_plan.posts}
    expected = Counter(names[kecamatan_of_post[a.post]] for a in demo_plan.assignments)
    ordered = sorted(set(kecamatan_of_post.values()), key=lambda c: (c == "", c))  # the Polres level last
    assert book.sheetnames == ["Ringkasan", *(names[c] for c in ordered)]
    for name, count in expected.items():
        sheet = book[name]
        assert sheet.max_row == count + 1, name
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:Q{count + 1}"  # 17 columns: "Ketua pos" and "Padal"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        assert [c.value for c in sheet[1]][:4] == ["No", "Nama", "Pangkat", "NRP/NIK"]
    summary = [row for row in book["Ringkasan"].iter_rows(values_only=True)]
    assert ("Jumlah", HEADLINE) in [row[:2] for row in summary]
    total = next(row for row in summary if row[0] == "Jumlah" and isinstance(row[1], int))
    assert total[:10] == ("Jumlah", 21, 152, 194, 90, 42, 304, 0, 630, 0)


def test_it_keeps_formula_like_names_as_text(scenario, demo_plan, tmp_path):
    hostile = ['=HYPERLINK("x")', "+62812", "-1+1", "@SUM(A1)", "\tcmd", "=1+1"]
    assigned = [a.person for a in demo_plan.assignments[: len(hostile)]]
    renamed = dict(zip(assigned, hostile, strict=True))
    people = tuple(dataclasses.replace(p, name=renamed.get(p.id, p.name)) for p in scenario.personnel)
    plot = ploting.build(dataclasses.replace(scenario, personnel=people), demo_plan)
    path = tmp_path / "ploting.xlsx"
    write_report(path, orders.workbook_sheets(plot))
    cells = {c.value: c for row in load_workbook(path)["Kraton"].iter_rows(min_row=2) for c in row[1:2]}
    for name in hostile:
        assert name in cells, name
        assert cells[name].data_type == "s"


# ---------------------------------------------------------------- the cards


def test_it_prints_eight_cards_to_a_page(written, scenario, demo_plan):
    deck = cards.build(scenario, demo_plan, written.ploting, KEY)
    alone = [c for c in deck if c.roster_only]  # duties beyond the vote only: roster cards alone
    assert written.cards == 630 + len(alone) and alone
    rosters = sum(len(cards.roster_parts(c)) for c in deck)  # a roster card after whoever holds two duties
    assert rosters == sum(1 for c in deck if len(c.roster) > 1 or c.roster_only) > 0
    assert written.card_pages == math.ceil((630 + rosters) / 8)
    assert f"Halaman 1 dari {written.card_pages}" in pdf_text(written.directory / orders.CARDS, 1, 1)


def test_it_decodes_every_qr_of_a_card_page_to_a_token_that_verifies(written, scenario, demo_plan, tmp_path):
    image = page_image(written.directory / orders.CARDS, 1, 150, tmp_path)
    found = zxingcpp.read_barcodes(image)
    deck = cards.build(scenario, demo_plan, written.ploting, KEY)
    cells = [c for c in deck for c in [c] * (1 + len(cards.roster_parts(c)))][:8]  # a roster card has no QR
    assert len(found) == len(set(cells)) > 0
    expected = {(c.nrp, c.post_id) for c in cells}
    payloads = [tokens.verify(code.text, KEY) for code in found]
    assert {(p["nrp"], p["post"]) for p in payloads} == expected
    assert {p["plan"] for p in payloads} == {digest(demo_plan)}
    token = found[0].text
    altered = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    with pytest.raises(tokens.BadToken):
        tokens.verify(altered, KEY)


def test_it_names_the_padal_and_the_reserve_on_every_card(scenario, demo_plan):
    plot = ploting.build(scenario, demo_plan)
    deck = [c for c in cards.build(scenario, demo_plan, plot, KEY) if not c.roster_only]
    assert len(deck) == 630
    assert all(c.leader != "-" and c.leader_phone != "-" for c in deck)
    on_tps = [c for c in deck if c.task == "Pos TPS"]
    assert on_tps and all(c.padal != "-" and c.padal != c.leader for c in on_tps)  # the Kapolsek, not a member
    assert all(c.reserve != "-" and c.reserve_phone != "-" for c in deck)
    reserve_leaders = {c.reserve for c in deck if c.task.startswith("Cadangan")}
    assert {c.reserve for c in deck} <= reserve_leaders


# ---------------------------------------------------------------- scope and refusal


def test_it_scopes_a_sector_chiefs_orders_to_their_kecamatan(scenario, demo_plan):
    plot = ploting.build(scenario, demo_plan, NGULING)
    in_nguling = {p.id for p in demo_plan.posts if p.kecamatan_code == NGULING}
    rows = list(plot.rows())
    assert {r.kecamatan for r in rows} == {"Nguling"}
    assert len(rows) == sum(1 for a in demo_plan.assignments if a.post in in_nguling)
    assert plot.headline() == f"{len(rows)} personel, 1 kecamatan, 3 desa, 22 TPS"


@pytest.fixture(scope="module")
def files(scenario, demo_plan, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    write_scenario(scenario, folder / "demo.xlsx")
    write_plan(demo_plan, folder / "plan.json")
    return folder


def test_it_writes_a_sector_chiefs_orders_from_the_command_line(files):
    out = files / "nguling"
    result = siaga("orders", files / "demo.xlsx", files / "plan.json", "--out", out, "--kecamatan", NGULING,
                   "--key-file", files / "key")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Kunci kartu baru dibuat" in result.output and "halaman" in result.output
    text = pdf_text(out / orders.SPRIN)
    assert "KECAMATAN NGULING" in text and "Sanganom" in text
    assert not any(other in text for other in ("Semare", "Logowok", "Plososari", "Kraton:"))
    assert load_workbook(out / orders.WORKBOOK).sheetnames == ["Ringkasan", "Nguling"]
    info = subprocess.run(["pdfinfo", str(out / orders.CARDS)], capture_output=True, text=True, check=True).stdout
    plan_ = read_plan(files / "plan.json")
    scenario_ = demo.pasuruan_kota()
    deck = cards.build(scenario_, plan_, ploting.build(scenario_, plan_, NGULING), KEY)
    front = [c for c in deck if not c.roster_only]  # 78 cards; their roster cards, and those of the
    cells = len(front) + sum(len(cards.roster_parts(c)) for c in deck)  # sector's people beyond the vote
    assert len(front) == 78 and re.search(rf"^Pages:\s+{math.ceil(cells / 8)}$", info, re.MULTILINE)


def test_it_refuses_to_print_orders_from_an_invalid_plan(files):
    data = json.loads((files / "plan.json").read_text())
    linmas = next(a for a in data["assignments"] if a["slot"] == "LINMAS")
    other = next(p for p in data["posts"] if p["kind"] == "TPS" and p["desa_code"] != linmas["post"][4:17])
    linmas["post"] = other["id"]  # a Linmas sent out of their own desa
    (files / "bad.json").write_text(json.dumps(data))
    out = files / "bad"
    result = siaga("orders", files / "demo.xlsx", files / "bad.json", "--out", out, "--key-file", files / "key")
    assert result.exit_code == 1
    assert "perintah tidak dicetak" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_it_refuses_an_unknown_kecamatan(files):
    result = siaga("orders", files / "demo.xlsx", files / "plan.json", "--out", files / "x", "--kecamatan", "99.99",
                   "--key-file", files / "key")  # fmt: skip
    assert result.exit_code == 1
    assert "99.99" in result.output


def test_it_prints_every_text_of_the_letter_as_written(scenario, tmp_path):
    settings = sprin.OrderSettings(pertimbangan=("<script>alert(1)</script> & co (a) \\ b",), signer_name="<b>Budi</b>")
    plot = ploting.build(scenario, plan(scenario))
    path = tmp_path / "sprin.pdf"
    path.write_bytes(sprin.sprin_pdf(scenario, plot, settings).data)
    letter = " ".join(pdf_text(path, 1, 2).split())
    assert "<script>alert(1)</script> & co (a) \\ b" in letter
    assert "<b>Budi</b>" in letter


UNICODE_NAMES = ("Ṣāliḥ Nguyễn", "Gülşen Çağlayan")


def test_it_prints_names_outside_latin_1_in_the_letter_the_annex_and_the_cards(scenario, demo_plan, tmp_path):
    kapolres = next(p for p in scenario.personnel if p.position == "Kapolres")
    on_post = next(r for r in ploting.build(scenario, demo_plan).rows() if r.force == Force.POLRI)
    names = {kapolres.id: UNICODE_NAMES[0], on_post.nrp: UNICODE_NAMES[1]}
    renamed = dataclasses.replace(
        scenario, personnel=tuple(dataclasses.replace(p, name=names.get(p.id, p.name)) for p in scenario.personnel)
    )
    done = orders.write(renamed, demo_plan, tmp_path, KEY)
    letter = " ".join(pdf_text(done.directory / orders.SPRIN, 1, 2).split())
    annex = " ".join(pdf_text(done.directory / orders.SPRIN, 3).split())
    deck = " ".join(pdf_text(done.directory / orders.CARDS).split())
    assert UNICODE_NAMES[0] in letter
    assert UNICODE_NAMES[0] in annex and UNICODE_NAMES[1] in annex  # the organisation, the ploting
    assert UNICODE_NAMES[1] in deck
    for name in (orders.SPRIN, orders.CARDS):
        fonts = subprocess.run(["pdffonts", str(done.directory / name)], capture_output=True, text=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:]]
        assert rows and all("DejaVuSans" in row[0] and row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts


def test_it_prints_more_characters_than_one_font_subset_holds(tmp_path):
    alphabet = "".join(chr(c) for c in [*range(0x100, 0x180), *range(0x410, 0x450), *range(0x1EA0, 0x1EFA)])
    page = pdf.Page()
    lines = [alphabet[i : i + 60] for i in range(0, len(alphabet), 60)]
    for n, line in enumerate(lines):
        page.text(40, 60 + 14 * n, f"({line}) \\", 9, bold=n % 2 == 1)
    path = tmp_path / "many.pdf"
    path.write_bytes(pdf.pages_pdf([page]).data)
    assert len(set(alphabet)) > 256
    text = pdf_text(path).splitlines()
    for line in lines:
        assert f"({line}) \\" in text


def test_the_annex_names_who_signed_off_the_tps_categories(scenario, demo_plan, tmp_path):
    signoff = {
        "name": "Budi Wibowo",
        "rank": "AKP",
        "nrp": "72118235",
        "position": "Kasat Intelkam",
        "signed_at": "2022-03-20T02:30:00+00:00",
    }
    signed = dataclasses.replace(demo_plan, extra={**demo_plan.extra, orders.SIGNOFF: signoff})
    text = " ".join(pdf_text(orders.write(scenario, signed, tmp_path / "a", KEY).directory / orders.SPRIN).split())
    line = (
        "Kategori kerawanan TPS disahkan oleh Kasat Intelkam Budi Wibowo, AKP NRP 72118235, "
        "20 Maret 2022 pukul 09.30 WIB"
    )
    assert text.count(line) == 1
    title = text.index("DAFTAR PLOTING PERSONEL POLRI")
    assert title < text.index(line) < text.index("950 personel", title)
    unsigned = pdf_text(orders.write(scenario, demo_plan, tmp_path / "b", KEY).directory / orders.SPRIN)
    assert "disahkan oleh" not in unsigned


@pytest.mark.parametrize(
    "preset, category, expected",
    [
        ("pilkades-paskot-2022", Category.RAWAN, "1 Polri + 2 Linmas per TPS"),
        ("pemilu-2024", Category.KURANG_RAWAN, "2 Polri per 8 TPS, 2 Linmas per TPS"),
        ("pemilu-2019", Category.KURANG_RAWAN, "2 Polri per 4 TPS, 1.5 Linmas per TPS"),
        ("pilkades-demak-2022", Category.SANGAT_RAWAN, "5 Polri + 2 TNI + 40 Linmas per TPS"),
    ],
)
def test_it_writes_the_pola_as_the_press_does(preset, category, expected):
    row = next(r for r in PRESETS[preset].rows if r.category == category)
    assert ploting.describe(row) == expected


@pytest.mark.parametrize(
    "unit, expected",
    [
        (Unit("B", "Sat Brimob Polda Jatim (BKO)", UnitKind.BRIMOB), "Sat Brimob Polda Jatim (BKO)"),
        (Unit("B", "Sat Brimob Polda Jatim", UnitKind.BRIMOB), "Sat Brimob Polda Jatim (BKO)"),
        (Unit("P", "Polsek Kraton", UnitKind.POLSEK), "Polsek Kraton"),
        (None, "Linmas Desa Jeruk"),
    ],
)
def test_it_shows_where_a_person_comes_from_and_marks_the_bko(unit, expected):
    person = Person("1", "Budi", force=Force.LINMAS if unit is None else Force.POLRI)
    assert ploting.unit_label(unit, person, "Jeruk") == expected


def test_it_lays_out_a_plain_html_report_with_its_headings_and_tables(tmp_path):
    html = (
        "<html><head><title>x</title><style>h1 { color: red }</style></head><body><h1>Laporan pasca operasi</h1>"
        "<p>Operasi &amp; versi 3</p><table><thead><tr><th>Satuan</th><th class='num'>Hadir</th></tr></thead>"
        "<tbody><tr><td>Polsek Gülşen</td><td class='num'>12</td></tr><tr><td colspan='2'>Tidak ada.</td></tr>"
        "</tbody></table></body></html>"
    )
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.compose(html).data)
    text = pdf_text(path)
    for words in (
        "Laporan pasca operasi",
        "Operasi & versi 3",
        "Satuan",
        "Polsek Gülşen",
        "Tidak ada.",
        "Halaman 1 dari 1",
    ):
        assert words in text, words
    assert "color" not in text and "x\n" not in text


def test_orders_that_fail_halfway_leave_the_folder_as_it_was(files, monkeypatch, tmp_path):
    """The five files are made in a folder of their own, then moved in: a failure after the
    Sprin (here the cards) leaves the last run's files as they were, and no new one beside them."""
    scenario = demo.pasuruan_kota()
    made = read_plan(files / "plan.json")
    out = tmp_path / "perintah"
    orders.write(scenario, made, out, KEY)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert orders.SPRIN in before and orders.CARDS in before

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cards, "cards_pdf", broken)
    with pytest.raises(OSError):
        orders.write(scenario, made, out, KEY, draft=True)  # a draft: its Sprin would differ
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing new, nothing half, no staging left
