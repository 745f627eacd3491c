"""The benchmarks' stall watch reports a blocked event loop with what blocked it, and nothing
while the loop keeps turning."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from benchmarks.stalls import StallWatch


def block_the_loop_for(seconds: float) -> None:
    time.sleep(seconds)


async def test_a_blocked_loop_is_reported_with_the_blocking_stack(tmp_path: Path) -> None:
    out = tmp_path / "stalls.jsonl"
    watch = StallWatch(out, threshold=0.030)
    watch.start(asyncio.get_running_loop())
    await asyncio.sleep(0.1)  # turning freely: nothing to report
    block_the_loop_for(0.15)
    await asyncio.sleep(0.1)
    watch.stop()

    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1, records
    stall = records[0]
    assert 100 <= stall["held_ms"] <= 1000
    loop_stacks = [s["stack"] for s in stall["stacks"] if s["stack"].startswith("[LOOP]")]
    assert loop_stacks and all("block_the_loop_for" in s for s in loop_stacks)
    assert abs(stall["start"] - time.time()) < 5
