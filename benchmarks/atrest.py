"""Benchmark 3: scale at rest. Many users, three pending check-ins each, nothing due.

The real entry point (`python -m bot`, rate limiter on, as in production) starts against a
seeded database (benchmarks/seed.py) and the fake Bot API. Measured:

* start-to-ready: from creating the process to its first getUpdates (imports, migrations,
  persisted conversations loaded, stale claims released, menu published);
* resident memory once settled (2 s after ready: the dispatcher's start-up run is over), and
  its growth from the small database to the large one.

A share of the users (IN_CONVERSATION) is stopped in the middle of a new debrief, so the
persisted conversation states python-telegram-bot loads at start grow with the user count too.
"""

# A load generator: waiting helpers take timeouts, poll, and touch files between phases.

from __future__ import annotations

import asyncio
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import MB, SQLITE, BenchApi, BenchDb, BotProcess, bot_env, fresh_db
from benchmarks.seed import AT_REST_KINDS, seed
from standin.http import StandinServer

IN_CONVERSATION = 0.1
SETTLE = 2.0


async def start_once(workdir: Path, db: BenchDb, name: str) -> dict[str, float]:
    """Start `python -m bot` once; time to the first getUpdates, memory once settled."""
    api = BenchApi(lean=True)
    server = StandinServer(api)
    await server.start()
    process = BotProcess(
        ["-m", "bot"], bot_env(server.base_url, db), workdir, workdir / f"{name}.log"
    )
    try:
        process.start()
        ready = await api.wait_first_poll(60)
        await asyncio.sleep(SETTLE)
        usage = process.usage()
    finally:
        code = await process.stop()
        await server.stop()
        api.close()
    if code not in (0, -15):
        raise RuntimeError(f"python -m bot exited with {code}: {process.log_tail()}")
    return {
        "start_to_ready_s": ready - process.started,
        "rss_mb": usage.rss / MB,
        "peak_rss_mb": usage.peak_rss / MB,
    }


async def measure(workdir: Path, users: int, starts: int, backend: str = SQLITE) -> dict[str, Any]:
    """Seed `users` users in a fresh database of `backend`, start the bot `starts` times;
    medians."""
    name = f"atrest-{users}" if backend == SQLITE else f"atrest-{users}-{backend}"
    with fresh_db(backend, workdir, name) as db:
        await seed(
            db.target, users, datetime.now(UTC), due="later", in_conversation=IN_CONVERSATION
        )
        runs = [await start_once(workdir, db, f"{name}-{n}") for n in range(starts)]
        size = db.size_mb()
    return {
        "backend": backend,
        "users": users,
        "pending_checkins": users * len(AT_REST_KINDS),
        "conversations_in_progress": int(users * IN_CONVERSATION),
        "database_mb": round(size, 1),
        "start_to_ready_s": round(statistics.median(r["start_to_ready_s"] for r in runs), 3),
        "start_to_ready_s_all": [round(r["start_to_ready_s"], 3) for r in runs],
        "rss_mb": round(statistics.median(r["rss_mb"] for r in runs), 1),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
    }


async def run(size: str, workdir: Path, backends: tuple[str, ...] = (SQLITE,)) -> dict[str, Any]:
    """The small and the large database, side by side, on each backend."""
    small_users, large_users, starts = {
        "full": (1_000, 1_000_000, 3),  # issue 22: a million people at rest
        "medium": (1_000, 100_000, 3),
    }.get(size, (100, 1_000, 1))
    found: dict[str, Any] = {"backends": list(backends)}
    for backend in backends:
        small = await measure(workdir, small_users, starts, backend)
        large = await measure(workdir, large_users, starts, backend)
        found[backend] = {
            "small": small,
            "large": large,
            "rss_growth_mb": round(large["rss_mb"] - small["rss_mb"], 1),
        }
    return found
