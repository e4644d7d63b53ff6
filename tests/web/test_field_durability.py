"""Killing the server (SIGKILL) in the middle of a burst of check-ins loses no acknowledged
write and duplicates none: counted in the database after a restart."""

from __future__ import annotations

from collections import Counter

from bench.bench_checkins import Console, burst


def test_it_loses_no_acknowledged_checkin_when_killed_mid_burst(tmp_path):
    console = Console(tmp_path)
    plan, people = console.load()
    console.start()
    process = console.process
    assert process is not None
    # SIGKILL once 100 check-ins are acknowledged: mid-burst on a fast or a slow machine alike.
    done = burst(console, plan, people, 2_000, clients=8, seconds=60, prefix="kill", after=(100, console.kill))
    process.wait(timeout=60)  # the kill has happened (a burst of fewer acknowledgements fails here)
    console.kill()
    assert done.acknowledged, "nothing was acknowledged before the kill"
    assert done.errors, "the kill came after the burst"
    console.start()  # a restarted server opens the same database (recovers its WAL)
    try:
        keys = console.checkin_keys()
    finally:
        console.kill()
    assert done.acknowledged <= set(keys)
    assert not [k for k, n in Counter(keys).items() if n > 1]
