"""Benchmarks, outside the test suite: `python -m bench [suite ...]` (see bench/__main__.py).

Each suite is a module with `run(work_dir) -> list[Result]`. Results are printed as a table
and written as JSON to bench/out/ (git-ignored), with the machine they ran on.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class Result:
    """One measured number and the target it must stay under (None: reported only)."""

    name: str
    value: float
    unit: str
    target: float | None = None
    note: str = ""

    @property
    def ok(self) -> bool | None:
        return None if self.target is None else self.value <= self.target


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """Wall seconds of one call, and what it returned."""
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def command_seconds(command: list[str], cwd: Path, times: int = 3) -> list[float]:
    """Wall seconds of each of `times` runs of a whole command (what its user waits for);
    a failing run stops the benchmark with the command's own message."""
    runs = []
    for _ in range(times):
        seconds, done = timed(subprocess.run, command, capture_output=True, text=True, cwd=cwd)
        if done.returncode != 0:
            raise RuntimeError(done.stderr or done.stdout)
        runs.append(seconds)
    return runs
