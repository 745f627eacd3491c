"""What one trip to aiosqlite's thread costs, next to the same statement run directly.

    python -m benchmarks.trips [--count 20000]

Prints the CPU time (this process, all threads) per `execute_fetchall` of a one-row primary
key lookup through aiosqlite, and per the same lookup through `sqlite3` on the calling thread.
The difference is the hand-off: queueing the call, waking the worker thread, and waking the
event loop again with the result (`call_soon_threadsafe`). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import sys
import tempfile
from pathlib import Path

import aiosqlite

QUERY = "SELECT * FROM users WHERE id = ?"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def through_aiosqlite(path: Path, count: int) -> float:
    """CPU seconds per trip."""
    async with aiosqlite.connect(path) as conn:
        started = _cpu()
        for _ in range(count):
            await conn.execute_fetchall(QUERY, (1,))
        return (_cpu() - started) / count


def direct(path: Path, count: int) -> float:
    """CPU seconds per statement on the calling thread."""
    conn = sqlite3.connect(path)
    try:
        started = _cpu()
        for _ in range(count):
            conn.execute(QUERY, (1,)).fetchall()
        return (_cpu() - started) / count
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.trips")
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trips.sqlite3"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, first_name TEXT)")
            conn.execute("INSERT INTO users VALUES (1, 'Ada')")
        trip = asyncio.run(through_aiosqlite(path, args.count))
        plain = direct(path, args.count)
    print(f"aiosqlite trip: {trip * 1e6:.1f} µs CPU; the statement alone: {plain * 1e6:.1f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
