"""Benchmarks, outside the test suite: `python -m bench [suite ...]` (see bench/__main__.py).

Each suite is a module with `run(work_dir) -> list[Result]`. Results are printed as a table
and written as JSON to bench/out/ (git-ignored), with the machine they ran on.
"""

from __future__ import annotations

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
