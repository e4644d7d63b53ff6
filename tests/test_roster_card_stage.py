"""A roster card prints each duty's stage on the duty's first line; a stage whose name does not
fit there is printed by its kind in a word or two ("Pemungutan suara"), not cut ("Pemungutan dan…")."""

from __future__ import annotations

import subprocess
from pathlib import Path

from siaga.core.data import demo
from siaga.core.documents import cards, ploting
from siaga.core.planning.plan import plan

KEY = b"k" * 32


def test_a_long_stage_name_prints_as_its_kind_not_cut(tmp_path: Path) -> None:
    scenario = demo.pasuruan_kota_pemilu()
    made = plan(scenario)
    deck = cards.build(scenario, made, ploting.build(scenario, made), KEY)
    with_roster = [c for c in deck if cards.roster_parts(c)]
    assert with_roster
    long = [line for c in with_roster for line in c.roster if line.stage_short and len(line.stage) > 28]
    assert long  # the Pemilu's "Pemungutan dan penghitungan suara" and its kin
    path = tmp_path / "kartu.pdf"
    path.write_bytes(cards.cards_pdf(with_roster[:16], scenario.operation.name).data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "\u2026" not in "".join(line for line in text.splitlines() if line.startswith(("Pemungutan", "Distribusi")))
    assert any(short in text for short in set(cards.STAGE_SHORT.values()))
