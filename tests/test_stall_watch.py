"""The benchmarks' stall watch reports a blocked event loop with what blocked it."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from benchmarks.stalls import StallWatch

SEEN = 5  # samples the watch must take of the blocked loop


def block_the_loop_until_seen(watch: StallWatch) -> None:
    """Hold the event loop (no await) until the watch has sampled it SEEN times."""
    give_up = time.monotonic() + 30  # a broken watch fails the test instead of hanging it
    while watch.stall_samples < SEEN and time.monotonic() < give_up:
        pass


async def test_a_blocked_loop_is_reported_with_the_blocking_stack(tmp_path: Path) -> None:
    out = tmp_path / "stalls.jsonl"
    watch = StallWatch(out, threshold=0.030)
    watch.start(asyncio.get_running_loop())
    block_the_loop_until_seen(watch)
    watch.stop()

    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1, records
    stall = records[0]
    assert stall["samples"] >= SEEN
    assert stall["held_ms"] >= 30
    loop_stacks = [s["stack"] for s in stall["stacks"] if s["stack"].startswith("[LOOP]")]
    assert loop_stacks and all("block_the_loop_until_seen" in s for s in loop_stacks)
    assert abs(stall["start"] - time.time()) < 5
