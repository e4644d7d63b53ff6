"""The hostile corpus of issue 15 (tests/hostile_corpus.py: 305 files made from the demo), each
file read by `read_scenario` in a process of its own, forked from one that has Siaga loaded.

Targets (issue 15): no file above 10 s or 1 GB. Reported: the slowest file's seconds and the
largest peak resident memory of a reading process (the forked child's maximum RSS, the loaded
interpreter it starts from included, so an upper bound), then the files refused, unreadable
and accepted. The tests assert the same corpus structurally (no traceback, no hostile value,
refusal before allocation); times are measured here only.
"""

from __future__ import annotations

import collections
import json
import os
import time
from pathlib import Path

from bench import Result

SECONDS_TARGET = 10.0
MEMORY_TARGET_MB = 1024.0


def run(work: Path) -> list[Result]:
    from tests.hostile_corpus import build

    corpus = build(work / "corpus")
    import siaga.core.data.scenario  # noqa: F401 - loaded once, before the forks

    rows = [(kind, path, *_read_in_child(path)) for kind, path in corpus]
    slowest = max(rows, key=lambda r: r[3])
    largest = max(rows, key=lambda r: r[4])
    outcomes = collections.Counter(r[2] for r in rows)
    by_kind = collections.defaultdict(collections.Counter)
    for kind, _, outcome, _, _ in rows:
        by_kind[kind][outcome] += 1
    (work.parent / "hostile-by-kind.json").write_text(json.dumps(by_kind, indent=2), encoding="utf-8")
    # Not hostile but the worst the limits let through: one stray cell at CV50000 (5 million cells).
    from tests.hostile_corpus import SHEETS, add_rows, rewrite

    inside = rewrite(
        work / "corpus" / "demo.xlsx",
        work / "inside-the-limits.xlsx",
        {SHEETS["tps"]: add_rows(b'<row r="50000"><c r="CV50000" t="n"><v>1</v></c></row>')},
    )
    _, inside_seconds, inside_mb = _read_in_child(inside)
    return [
        Result("slowest file", slowest[3], "s", SECONDS_TARGET, f"{slowest[0]} {slowest[1].name}"),
        Result("largest peak memory", largest[4], "MB", MEMORY_TARGET_MB, f"{largest[0]} {largest[1].name}"),
        Result("files", len(rows), "files"),
        Result("refused (problems named)", outcomes["refused"], "files"),
        Result("unreadable (refused whole)", outcomes["unreadable"], "files"),
        Result("accepted", outcomes["accepted"], "files"),
        Result("tracebacks", outcomes["traceback"], "files", 0),
        Result("largest sheet the limits allow: seconds", inside_seconds, "s", SECONDS_TARGET, "5,000,000 cells"),
        Result("largest sheet the limits allow: peak memory", inside_mb, "MB", MEMORY_TARGET_MB, "5,000,000 cells"),
    ]


def _read_in_child(path: Path) -> tuple[str, float, float]:
    """Read `path` in a forked child: its outcome, seconds and peak RSS (MB)."""
    read_end, write_end = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: read, say how it went, leave without cleanup
        os.close(read_end)
        outcome = "traceback"
        try:
            from siaga.core.data.problems import ScenarioError, UnreadableFile
            from siaga.core.data.scenario import read_scenario

            try:
                read_scenario(path)
                outcome = "accepted"
            except UnreadableFile:
                outcome = "unreadable"
            except ScenarioError:
                outcome = "refused"
        except BaseException:  # noqa: BLE001 - any other exception is the traceback counted
            outcome = "traceback"
        os.write(write_end, outcome.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        outcome = f.read().decode() or "traceback"
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        outcome = "traceback"
    return outcome, seconds, usage.ru_maxrss / 1024  # KiB on Linux
