"""Find what holds an event loop up: a watchdog thread that samples every thread's stack
while the loop has not run its heartbeat for longer than a threshold.

    BENCH_STALLS=DIR python -m benchmarks --size full

With BENCH_STALLS set, the bot under test (`benchmarks.botproc`) and the load generator each
write `DIR/stalls-<name>-<pid>.jsonl`: one line per stall, with its start (time.time()), how
long the loop was held, and the distinct stacks seen meanwhile, most frequent first. A stall
the watchdog sees is one no update could be handled in; comparing the stall times with the
slow updates tells whether the time went to the loop, the database thread or the wire.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

TICK = 0.005  # seconds between heartbeats (and between watchdog looks)
THRESHOLD = 0.020  # a loop silent for longer than this is stalled
DEPTH = 30  # innermost frames kept per stack


class StallWatch:
    """Samples the stacks of every thread while the watched loop misses its heartbeat."""

    def __init__(self, out: Path, threshold: float = THRESHOLD) -> None:
        self._out = out
        self._threshold = threshold
        self._last = time.perf_counter()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self.stall_samples = 0  # samples taken while the loop was stalled, so far
        self._thread = threading.Thread(target=self._watch, name="stall-watch", daemon=True)
        # BENCH_STALLS_TIMELINE=1: also every thread's innermost frames at every tick.
        self._timeline = (
            out.with_suffix(".timeline").open("a", encoding="utf-8")
            if os.environ.get("BENCH_STALLS_TIMELINE")
            else None
        )

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Beat on `loop` and watch it from a thread."""
        self._loop = loop
        self._loop_thread = threading.get_ident()
        loop.call_soon_threadsafe(self._beat)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; a stall still going on is reported up to now."""
        self._stop.set()
        self._thread.join(timeout=1)

    def _beat(self) -> None:
        self._last = time.perf_counter()
        if self._loop is not None and not self._stop.is_set():
            self._loop.call_later(TICK, self._beat)

    def _watch(self) -> None:
        stacks: Counter[str] = Counter()
        started_wall = 0.0
        stalled_since = 0.0
        with self._out.open("a", encoding="utf-8") as out:
            while not self._stop.wait(TICK):
                if self._timeline is not None:
                    now = round(time.time(), 4)
                    self._timeline.write(json.dumps([now, self._sample(8)]) + "\n")
                last = self._last
                lag = time.perf_counter() - last
                if lag > self._threshold:
                    if not stacks:
                        stalled_since = last
                        started_wall = time.time() - lag
                    stacks.update(self._sample())
                    self.stall_samples += 1
                elif stacks:
                    _report(out, started_wall, last - stalled_since, stacks)
                    stacks.clear()
            if stacks:  # still stalled when the watch stopped
                _report(out, started_wall, time.perf_counter() - stalled_since, stacks)
        if self._timeline is not None:
            self._timeline.close()

    def _sample(self, depth: int = DEPTH) -> list[str]:
        names = {t.ident: t.name for t in threading.enumerate()}
        seen = []
        for ident, frame in sys._current_frames().items():
            if ident == threading.get_ident():
                continue
            where: list[str] = []
            current: FrameType | None = frame
            while current is not None and len(where) < depth:
                code = current.f_code
                where.append(f"{Path(code.co_filename).name}:{current.f_lineno} {code.co_name}")
                current = current.f_back
            label = "LOOP" if ident == self._loop_thread else names.get(ident, str(ident))
            seen.append(f"[{label}] {' < '.join(where)}")
        return seen


def _report(out: TextIO, started_wall: float, held: float, stacks: Counter[str]) -> None:
    record: dict[str, Any] = {
        "start": round(started_wall, 4),
        "held_ms": round(held * 1000, 1),
        "samples": sum(stacks.values()),
        "stacks": [{"n": n, "stack": s} for s, n in stacks.most_common(6)],
    }
    out.write(json.dumps(record) + "\n")
    out.flush()


def watch_from_env(name: str, loop: asyncio.AbstractEventLoop) -> StallWatch | None:
    """Start a watch on `loop` when BENCH_STALLS names a folder."""
    folder = os.environ.get("BENCH_STALLS")
    if not folder:
        return None
    watch = StallWatch(Path(folder) / f"stalls-{name}-{os.getpid()}.jsonl")
    watch.start(loop)
    return watch


def watch_application(application: Any, name: str) -> None:
    """With BENCH_STALLS set: start a watch on the application's loop as it starts."""
    if not os.environ.get("BENCH_STALLS"):
        return
    before = application.post_init

    async def post_init(app: Any) -> None:
        watch_from_env(name, asyncio.get_running_loop())
        if before is not None:
            await before(app)

    application.post_init = post_init
