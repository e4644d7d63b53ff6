"""The one atomic file writer: the old file or the new one, never half, never a stray temp file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siaga.core.data import demo
from siaga.core.data.files import atomic_write, atomic_write_text, write_bytes
from siaga.core.data.model import Plan
from siaga.core.data.planfile import read_plan, write_plan
from siaga.core.data.scenario import write_scenario
from siaga.core.data.template import write as write_template


class Boom(Exception):
    pass


def test_it_replaces_the_file_on_success(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    with atomic_write(target) as f:
        f.write(b"new ")
        f.write(b"bytes")
    assert target.read_bytes() == b"new bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin"]


def test_it_creates_missing_folders(tmp_path: Path) -> None:
    target = tmp_path / "x" / "y" / "a.bin"
    write_bytes(target, b"data")
    assert target.read_bytes() == b"data"


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_a_failing_writer_leaves_the_old_file_and_no_temp_file(tmp_path: Path, error: type[BaseException]) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    with pytest.raises(error), atomic_write(target) as f:
        f.write(b"half of the new")
        raise error
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin"]


def test_a_failing_first_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    with pytest.raises(Boom), atomic_write(target):
        raise Boom
    assert list(tmp_path.iterdir()) == []


def test_the_temp_file_sits_hidden_in_the_target_folder(tmp_path: Path) -> None:
    # Same folder: a rename across file systems would not be atomic.
    target = tmp_path / "a.bin"
    with atomic_write(target) as f:
        seen = [p.name for p in tmp_path.iterdir()]
        f.write(b"x")
    assert len(seen) == 1 and seen[0].startswith(".a.bin.") and seen[0].endswith(".tmp")


def test_text_is_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    with atomic_write_text(target) as f:
        f.write("Kecamatan Purworejo · TPS 001\nDPT 250\r\n")
    assert target.read_bytes() == "Kecamatan Purworejo · TPS 001\nDPT 250\r\n".encode()


def test_a_failing_text_writer_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(Boom), atomic_write_text(target) as f:
        f.write("new")
        raise Boom
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


# ---------------------------------------------------------------- the writers that use it


def test_a_plan_file_that_cannot_be_serialised_leaves_the_old_plan(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text('{"old": true}', encoding="utf-8")
    broken = Plan(
        operation="x",
        pattern="p",
        tps_categories={},
        posts=(),
        assignments=(),
        unfilled=(),
        summary={},
        extra={"not json": object()},
    )
    with pytest.raises(TypeError):
        write_plan(broken, target)
    assert json.loads(target.read_text(encoding="utf-8")) == {"old": True}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_a_plan_file_round_trips(tmp_path: Path) -> None:
    plan = Plan(
        operation="Pam Pilkades",
        pattern="p",
        tps_categories={},
        posts=(),
        assignments=(),
        unfilled=(),
        summary={"posts": 0},
    )
    write_plan(plan, tmp_path / "plan.json")
    assert read_plan(tmp_path / "plan.json").summary == {"posts": 0}


def test_scenario_and_template_workbooks_leave_only_themselves(tmp_path: Path) -> None:
    write_scenario(demo.pasuruan_kota(), tmp_path / "demo.xlsx")
    write_template(tmp_path / "template.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.xlsx", "template.xlsx"]
    assert (tmp_path / "demo.xlsx").read_bytes()[:2] == b"PK"
