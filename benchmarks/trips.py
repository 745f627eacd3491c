"""What one trip to aiosqlite's thread costs, next to the same statement run directly.

    python -m benchmarks.trips [--count 20000] [--postgres]

Prints the CPU time (this process, all threads) per `execute_fetchall` of a one-row primary
key lookup through aiosqlite, and per the same lookup through `sqlite3` on the calling thread.
The difference is the hand-off: queueing the call, waking the worker thread, and waking the
event loop again with the result (`call_soon_threadsafe`). See benchmarks/README.md.

`--postgres` also measures the same lookup through the bot's own PostgreSQL storage
(`PostgresDatabase.fetch_all`: a pooled connection, client-side binding, one network round trip)
on a fresh database of the server of `BENCH_POSTGRES_URL`: CPU in this process, CPU of the
server's backend, and wall time, per statement.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from benchmarks.common import POSTGRES, fresh_db, server_cpu_between
from benchmarks.seed import FIRST_USER, seed
from bot.storage.postgres import PostgresDatabase

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


async def through_postgres(count: int) -> tuple[float, float | None, float]:
    """Per statement through the bot's PostgreSQL storage: CPU seconds here, CPU seconds of the
    server's backend (None if not on this machine), wall seconds."""
    with tempfile.TemporaryDirectory() as folder, fresh_db(POSTGRES, Path(folder), "t") as db:
        await seed(db.target, 1, datetime.now(UTC), due="later")
        store = PostgresDatabase(str(db.target), pool_size=1)
        try:
            await store.fetch_all(QUERY, (FIRST_USER,))
            server = db.server_cpu()
            started, began = _cpu(), time.perf_counter()
            for _ in range(count):
                await store.fetch_all(QUERY, (FIRST_USER,))
            cpu, wall = _cpu() - started, time.perf_counter() - began
            on_server = server_cpu_between(server, db.server_cpu())
        finally:
            await store.close()
    return cpu / count, None if on_server is None else on_server / count, wall / count


def main() -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.trips")
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--postgres", action="store_true", help="also through PostgreSQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trips.sqlite3"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, first_name TEXT)")
            conn.execute("INSERT INTO users VALUES (1, 'Ada')")
        trip = asyncio.run(through_aiosqlite(path, args.count))
        plain = direct(path, args.count)
    print(f"aiosqlite trip: {trip * 1e6:.1f} µs CPU; the statement alone: {plain * 1e6:.1f} µs")
    if args.postgres:
        here, there, wall = asyncio.run(through_postgres(args.count))
        server = "?" if there is None else f"{there * 1e6:.1f}"
        print(
            f"PostgreSQL statement: {here * 1e6:.1f} µs CPU here, {server} µs in the server,"
            f" {wall * 1e6:.1f} µs wall"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
