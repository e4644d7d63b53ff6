"""The communications plan (issue 13 item 4): an HT channel and callsign for every post and
Polsek, a relay or runner and check-in hours for a post without signal, and its annex in the
Sprin."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import replace

import pytest

from siaga.core.data import demo, geo
from siaga.core.documents import orders
from siaga.core.planning import comms
from siaga.core.planning.plan import plan as make_plan


@pytest.fixture(scope="module")
def paskot():
    scenario = demo.pasuruan_kota()
    return scenario, make_plan(scenario)


def test_every_post_and_polsek_has_a_channel_and_a_callsign_of_its_own(paskot):
    scenario, plan = paskot
    lines = comms.plan(scenario, plan.posts)
    assert Counter(x.post for x in lines) == Counter(["POSKO", *[p.id for p in plan.posts]]) + Counter(
        x.post for x in lines if x.kind == "POLSEK"
    )
    assert len({x.callsign for x in lines}) == len(lines)
    by_kecamatan = {}
    for x in lines:
        if x.kind in ("POSKO", "RESERVE"):
            assert x.channel == comms.COMMAND_CHANNEL
        else:
            assert by_kecamatan.setdefault(x.kecamatan_code, x.channel) == x.channel  # one channel per kecamatan
    assert len(set(by_kecamatan.values())) == len(by_kecamatan)
    assert comms.COMMAND_CHANNEL not in by_kecamatan.values()


def test_a_post_without_signal_reports_by_relay_to_a_near_post_with_signal_or_by_runner(paskot):
    scenario, plan = paskot
    lines = comms.plan(scenario, plan.posts)
    dark = [x for x in lines if not x.signal]
    dark_tps = {t for p in plan.posts for t in p.tps if t in demo.NO_SIGNAL_TPS}
    assert dark and {t for p in plan.posts if p.id in {x.post for x in dark} for t in p.tps} >= dark_tps
    posts = {p.id: p for p in plan.posts}
    by_callsign = {x.callsign: x for x in lines}
    for x in dark:
        assert x.check_in == comms.CHECK_IN
        relay = by_callsign[x.link.split(":")[1].split(",")[0].strip()]
        assert relay.signal and relay.kecamatan_code == x.kecamatan_code
        a, b = posts[x.post], posts[relay.post]
        assert geo.road_km(a.lat, a.lon, b.lat, b.lon, scenario.operation.road_factor) <= comms.RELAY_KM
    kraton_dark = replace(
        scenario,
        tps=tuple(
            replace(t, indicators={**t.indicators, "no_internet": 1}) if t.desa_code.startswith("35.14.16.") else t
            for t in scenario.tps
        ),
    )
    tps_posts = [p for p in plan.posts if p.kind == "TPS"]  # a balai desa guard counts as having signal
    alone = [x for x in comms.plan(kraton_dark, tps_posts) if not x.signal and x.kecamatan_code == "35.14.16"]
    assert alone and all(x.link == "kurir ke Polsek Kraton" for x in alone)  # no post of its channel has signal


def test_a_petikan_gives_its_kecamatan_the_same_lines_as_the_whole_plan(paskot):
    scenario, plan = paskot
    whole = {x.post: x for x in comms.plan(scenario, plan.posts)}
    sector = [p for p in plan.posts if p.kecamatan_code == "35.14.16"]
    for x in comms.plan(scenario, sector):
        assert whole[x.post] == x


def test_the_sprin_carries_the_comms_annex(tmp_path, paskot):
    scenario, plan = paskot
    orders.write(scenario, plan, tmp_path, key=b"k" * 32)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "sprin.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "RENCANA KOMUNIKASI" in text and "KRATON 14" in text
    # a Kraton post without signal reports through a near Kraton post (which one: the geography's)
    assert re.search(r"relay: KRATON \d\d, \d+(,\d+)? km", text)
    assert "07.00, 10.00, 13.00, 16.00" in text  # as the orders write time
