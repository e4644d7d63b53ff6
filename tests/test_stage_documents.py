"""Documents per stage (issue 12 item 5): the time-phased annex of the Sprin, the Sprin and the
Renpam of one stage, the roster on the cards; read back as text from real PDFs."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from siaga.cli import app
from siaga.core.data import demo
from siaga.core.data.model import StageKind
from siaga.core.data.planfile import write_plan
from siaga.core.data.scenario import write_scenario
from siaga.core.documents import cards, orders, ploting, renpam, schedule, sprin
from siaga.core.planning.plan import plan

KEY = b"s" * 32
# What a duty of each stage is called (data/duties.py, ploting.post_names).
OTHER_STAGES = ("Pengawalan logistik", "Jaga gudang", "Patroli masa tenang", "Pengamanan kantor KPU", "Pos TPS")


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


@pytest.fixture(scope="module")
def scenario():
    return demo.pasuruan_kota_pemilu()


@pytest.fixture(scope="module")
def made(scenario):
    return plan(scenario)


@pytest.fixture(scope="module")
def blocks(scenario, made):
    return schedule.build(scenario, made)


@pytest.fixture(scope="module")
def whole(scenario, made, tmp_path_factory):
    return orders.write(scenario, made, tmp_path_factory.mktemp("whole"), KEY)


@pytest.fixture(scope="module")
def rekap(scenario, made, tmp_path_factory):
    return orders.write(scenario, made, tmp_path_factory.mktemp("rekap"), KEY, stage="REKAP_PPK")


def test_it_lists_every_stage_in_the_time_phased_annex_of_the_whole_operation(whole, blocks):
    text = pdf_text(whole.directory / orders.SPRIN)
    annex = text[text.index("RENCANA WAKTU PENGAMANAN PER TAHAP") :]
    assert len(blocks) == 9
    for b in blocks:
        assert f"Tahap {b.number}: {b.stage.name}" in annex, b.stage.name
    assert "Pengamanan rekapitulasi PPK Grati, ring 1 tertutup, shift 1" in annex
    totals = [sum(len(b.lines) for b in blocks), *(sum(b.total(k) for b in blocks) for k in ("required", "filled"))]
    short = sum(b.total("short") for b in blocks)
    assert short > 0 and " ".join(f"{n:,}".replace(",", ".") for n in [*totals, short]) in annex


def test_it_says_what_runs_during_a_stage_without_duties_of_its_own(whole, blocks):
    text = pdf_text(whole.directory / orders.SPRIN)
    apel = next(b for b in blocks if b.stage.kind == StageKind.APEL_PERGESERAN)
    assert not apel.lines
    assert "berlangsung bersamaan" in text and "pos Pergeseran dan pengamanan TPS (tahap 6)" in text


def test_the_renpam_of_a_stage_names_its_duties_and_no_other_stages(rekap):
    assert rekap.stage is not None and rekap.stage.stage.kind == StageKind.REKAP_PPK
    text = pdf_text(rekap.directory / orders.RENPAM)
    for part in ("I. SITUASI", "II. TUJUAN", "III. KEKUATAN", "IV. DAFTAR POS", "V. CARA BERTINDAK",
                 "VI. KENDALI OPERASI", "VII. LOGISTIK"):  # fmt: skip
        assert part in text, part
    assert "TAHAP 8: REKAPITULASI DI PPK" in text
    assert "Pengamanan rekapitulasi PPK Nguling, ring 1 tertutup, shift 1" in text and "ring 1 tertutup" in text
    assert not [name for name in OTHER_STAGES if name in text]
    assert "Padal (perwira pengendali) Kecamatan Nguling" in text


def test_the_renpam_of_an_escort_stage_counts_one_vehicle_per_run(scenario, made, blocks, tmp_path):
    stage = schedule.find(blocks, "distribusi")
    runs = sum(1 for x in stage.lines if x.duty.route)
    path = tmp_path / "renpam.pdf"
    path.write_bytes(renpam.renpam_pdf(scenario, made, stage, blocks=blocks).data)
    text = pdf_text(path)
    assert runs > 0 and f"Kendaraan pengawalan: {runs} unit" in text
    assert "tiga gembok" in text and "Pengamanan rekapitulasi" not in text


def test_the_sprin_of_a_stage_beyond_the_vote_names_its_people_instead_of_the_ploting(rekap, blocks):
    text = pdf_text(rekap.directory / orders.SPRIN)
    stage = schedule.find(blocks, "8")
    assert "Tahap 8: Rekapitulasi di PPK" in text and "DAFTAR PERSONEL TAHAP REKAPITULASI DI PPK" in text
    assert "DAFTAR PLOTING PERSONEL POLRI" not in text
    assert "melaksanakan pengamanan tahap Rekapitulasi di PPK" in text
    someone = stage.lines[0].people[0][0]
    assert someone.name in text and someone.id in text


def test_a_card_of_someone_with_four_duties_lists_all_four_in_time_order(scenario, made, tmp_path):
    deck = cards.build(scenario, made, ploting.build(scenario, made), KEY)
    card = next(c for c in deck if len(c.roster) == 4)
    duties = schedule.of_person(schedule.build(scenario, made))[card.nrp]
    starts = [line.duty.start for _, line in duties]
    assert starts == sorted(starts) and len(starts) == 4
    path = tmp_path / "kartu.pdf"
    rendered = cards.cards_pdf([card], "Uji")
    path.write_bytes(rendered.data)
    assert rendered.pages == 1
    text = pdf_text(path)
    assert "JADWAL TUGAS" in text and card.name in text
    at = [text.index(f"{n}. {r.window}") for n, r in enumerate(card.roster, start=1)]
    assert at == sorted(at)
    for r in card.roster:
        assert r.name in text and r.leader in text
    assert {r.stage for r in card.roster} == {schedule.stage_of(b, line) for b, line in duties}


def test_a_card_of_someone_with_one_duty_has_no_roster_card(scenario, made):
    deck = cards.build(scenario, made, ploting.build(scenario, made), KEY)
    single = next(c for c in deck if len(c.roster) == 1)
    assert cards.roster_parts(single) == [] and single.window.startswith("H-")
    ten = cards.RosterLine("w", "s", "n", "p", "l", "-")
    many = dataclasses.replace(single, roster=(ten,) * 9)
    assert [len(p) for p in cards.roster_parts(many)] == [4, 4, 1]


@pytest.mark.parametrize(
    "key, expected",
    [
        ("1", "Kampanye"),
        ("8", "Rekapitulasi di PPK"),
        ("rekapitulasi di kpu", "Rekapitulasi di KPU"),
        ("MASA_TENANG", "Masa tenang"),
        ("  masa   tenang ", "Masa tenang"),
        ("pergeseran pasukan ke", "Pergeseran pasukan ke TPS dan pengamanan logistik"),
    ],
)
def test_it_finds_a_stage_by_number_name_kind_or_a_word_only_it_has(blocks, key, expected):
    assert schedule.find(blocks, key).stage.name == expected


@pytest.mark.parametrize("key", ["0", "10", "rekapitulasi", "pasukan", "PSU"])
def test_it_refuses_a_stage_it_cannot_tell(blocks, key):
    with pytest.raises(schedule.StageError, match="Rekapitulasi di PPK"):
        schedule.find(blocks, key)


def test_it_writes_a_stage_s_sprin_and_renpam_from_the_command_line(scenario, made, tmp_path):
    write_scenario(scenario, tmp_path / "pemilu.xlsx")
    write_plan(made, tmp_path / "plan.json")
    base = ["orders", str(tmp_path / "pemilu.xlsx"), str(tmp_path / "plan.json"), "--key-file", str(tmp_path / "k")]
    done = CliRunner().invoke(app, [*base, "--out", str(tmp_path / "o"), "--tahap", "masa tenang"])
    assert done.exit_code == 0, done.output
    assert "3. Masa tenang" in done.output and orders.RENPAM in done.output
    assert "Patroli masa tenang" in pdf_text(tmp_path / "o" / orders.RENPAM)
    refused = CliRunner().invoke(app, [*base, "--out", str(tmp_path / "x"), "--stage", "99"])
    assert refused.exit_code == 1 and "Tahap tidak dikenal" in refused.output
    assert not (tmp_path / "x").exists()


def test_a_plan_without_a_roster_still_prints_its_vote_stage(scenario, made, tmp_path):
    bare = type(made)(**{**made.__dict__, "extra": {k: v for k, v in made.extra.items() if k != "roster"}})
    found = schedule.build(scenario, bare)
    vote = next(b for b in found if b.stage.kind == StageKind.PEMUNGUTAN)
    assert vote.lines and all(x.vote for x in vote.lines)
    assert sum(len(b.lines) for b in found) == len(vote.lines)
    rendered = sprin.sprin_pdf(scenario, ploting.build(scenario, bare), stages=found)
    path = tmp_path / "sprin.pdf"
    path.write_bytes(rendered.data)
    assert "RENCANA WAKTU PENGAMANAN PER TAHAP" in pdf_text(path)


def test_someone_with_duties_beyond_the_vote_only_gets_his_roster_card_without_a_qr(tmp_path):
    scenario = demo.pasuruan_kota_pemilu()
    made = plan(scenario)
    deck = cards.build(scenario, made, ploting.build(scenario, made), KEY)
    at_vote = {a.person for a in made.assignments}
    alone = [c for c in deck if c.roster_only]
    assert alone and not {c.nrp for c in alone} & at_vote
    assert all(c.token == "" and c.roster for c in alone)
    rendered = cards.cards_pdf(alone[:2], made.operation)
    path = tmp_path / "alone.pdf"
    path.write_bytes(rendered.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "JADWAL TUGAS" in text and "KARTU PENUGASAN" not in text
    assert alone[0].name in text and alone[0].roster[0].name.split(",")[0] in text
