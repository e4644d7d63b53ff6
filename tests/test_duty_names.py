"""A duty's name in the reader's language (`duties.duty_name`): Siaga's own words of every
preset rule, ring and campaign event translated, the places' and events' names kept, a shift
kept; Indonesian (the orders' language) and the workbook's own names unchanged."""

from __future__ import annotations

import pytest

from siaga.core.data import demo, duties, generator
from siaga.core.planning.plan import plan as make_plan
from siaga.core.planning.roster import of_plan

INDONESIAN_WORDS = ("Jaga ", "Pengamanan", "Pengawalan", "Piket", "kotak suara", " ke ", "tertutup", "luar")


@pytest.fixture(scope="module")
def pemilu_names() -> list[str]:
    scenario = demo.pasuruan_kota_pemilu()
    roster = of_plan(make_plan(scenario))
    assert roster is not None
    return sorted({d.name for d in roster.duties} | {f"{d.name}, shift {d.shift}" for d in roster.duties if d.shift})


def test_every_preset_duty_of_a_pemilu_reads_in_english(pemilu_names: list[str]) -> None:
    assert len(pemilu_names) > 20
    for name in pemilu_names:
        english = duties.duty_name(name, "en")
        assert english != name and not any(w in english for w in INDONESIAN_WORDS), (name, english)
        assert duties.duty_name(name, "id") == name


def test_it_keeps_places_rings_and_shifts() -> None:
    assert duties.duty_name("Pengawalan kotak suara PPS Semare ke PPK Kraton", "en") == (
        "Ballot box escort, PPS Semare to PPK Kraton"
    )
    assert duties.duty_name("Pengamanan rekapitulasi PPK Grati, ring 1 tertutup, shift 2", "en") == (
        "PPK Grati recapitulation security, ring 1, closed area, shift 2"
    )
    event = "Pengamanan Kampanye akbar Paslon 1, ring 2, pintu masuk dan pemeriksaan badan"
    assert duties.duty_name(event, "en") == "Security of Kampanye akbar Paslon 1, ring 2, entrance and body search"
    assert duties.duty_name("Pengamanan rute Kampanye akbar (Kec. Grati)", "en") == (
        "Route security Kampanye akbar (Kec. Grati)"
    )


def test_the_workbooks_own_names_stay_as_written() -> None:
    for name in ("Jaga posko desa Semare", "Apel siaga malam", "Pengawalan VIP"):
        assert duties.duty_name(name, "en") == name


def test_a_generated_operations_duties_read_in_english_too() -> None:
    scenario = generator.generate(300, seed=3, indicators=True)
    roster = of_plan(make_plan(scenario))
    assert roster is not None and roster.duties
    for d in roster.duties:
        assert not any(w in duties.duty_name(d.name, "en") for w in INDONESIAN_WORDS), d.name


def test_a_workbook_name_that_begins_as_an_event_stays_as_written() -> None:
    assert duties.duty_name("Pengamanan gereja Santo Yosef", "en") == "Pengamanan gereja Santo Yosef"
