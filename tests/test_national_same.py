"""A faster national plan is the same plan (issue 18 item 1): the plan files of the Pasuruan
demos and of generated 2,000- and 10,000-TPS scenarios (planned as `siaga plan` plans them,
Polres by Polres and merged) are, byte for byte, the ones written before the planner was made
faster."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from siaga.core.data import demo, generator, planfile
from siaga.core.data.model import Plan, Scenario
from siaga.core.planning.engine import plan_all

# sha256 (first 20 hex digits) of the plan file as `planfile.write_plan` writes it, recorded with
# the planner of commit b327027 (before issue 18 item 1's profile-driven work); the three regional
# elections' recorded again with that planner and the escort of the boxes from each PPK back to
# the KPU warehouse (duties.RULES, added later), which the planner of today gives alike; the
# Pemilu demo's once more with its facts in the Pemilu catalogue's words (demo.PEMILU_FACTS);
# the three once more with the masa tenang's patrol round the clock and its catch-in-the-act team.
BEFORE = {
    "demo": "9e9f3e7d7f2f887c60f6",
    "demo-pemilu": "17ef111ec7c1d7c82e2e",
    "tps-2000": "22ebeb343020453bb442",
    "tps-10000": "2cf8492414f2d0641113",
}

SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "demo": demo.pasuruan_kota,
    "demo-pemilu": demo.pasuruan_kota_pemilu,
    "tps-2000": lambda: generator.generate(2000, seed=1, indicators=True),
    "tps-10000": lambda: generator.generate(10000, seed=1, indicators=True),
}


def file_digest(made: Plan) -> str:
    """The digest of the bytes `planfile.write_plan` writes."""
    text = json.dumps(planfile.to_json(made), ensure_ascii=False, indent=1)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_it_writes_the_plan_file_it_wrote_before(name: str) -> None:
    made = plan_all(SCENARIOS[name](), workers=1)
    assert file_digest(made) == BEFORE[name]


# Values a plan's `extra` may hold that json writes in its own ways: empty and nested
# containers, tuples, keys that are not strings, NaN and infinities, escapes and braces in
# strings, lists of dicts of scalars (written many at once) beside other dicts.
ODD = {
    "empty": [[], {}, [[]], {"x": {}}, ()],
    "keys": {1: 2, 1.5: "é", None: True, False: float("nan")},
    "numbers": [float("inf"), -float("inf"), 1e-7, 1e22, -0.0, 10**20, True, None],
    "text": ['\x00\n"\\ü}\x00{', "}", "{", "\u2028"],
    "dicts": [{"a": "}", "b": 1.25}, {"c": "{"}, {"d": None, 2: False}],
    "mixed": [{"a": 1}, {}, {"b": [1, (2, 3)]}, 4],
    "tuples": ({"k": (1, 2)},),
}


def test_it_writes_the_plan_file_as_json_dump_writes_it(tmp_path: Path) -> None:
    made = plan_all(demo.pasuruan_kota(), workers=1)
    made = replace(made, extra={**made.extra, "odd": ODD})
    planfile.write_plan(made, tmp_path / "plan.json")
    expected = json.dumps(planfile.to_json(made), ensure_ascii=False, indent=1)
    assert (tmp_path / "plan.json").read_bytes() == expected.encode("utf-8")


def test_it_refuses_what_json_refuses(tmp_path: Path) -> None:
    made = plan_all(demo.pasuruan_kota(), workers=1)
    with pytest.raises(TypeError):
        planfile.write_plan(replace(made, extra={**made.extra, "odd": [{"a": object()}]}), tmp_path / "plan.json")


if __name__ == "__main__":  # print the digests, to record them
    for key, make in SCENARIOS.items():
        print(key, file_digest(plan_all(make(), workers=1)))
