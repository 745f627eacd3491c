"""SQL statements and trips to the database thread per update (issue 22, target 2).

    python -m benchmarks.statements [--people 2] [--json PATH]

Walks the conversation benchmark's scripts (benchmarks/scenario.py: the full and the short
debrief, alternately) through the real Application (`build_application`) on a SQLite file,
against the fake Telegram over loopback HTTP, one person at a time, and counts what reaches
SQLite while they do:

* statements, through SQLite's trace hook (BEGIN and COMMIT included);
* trips, every hand-off to aiosqlite's worker thread (a cursor's fetch or close is one too).
  Since round 4 statements run on the event loop's own thread once the file is open
  (bot/storage/sqlite_connection.py), so a walk should make none;
* the CPU time SQLite takes for them where they run (thread CPU time around each statement
  and the reading of its rows), interleaved with the rest of the bot's work as in real use. A
  statement costs several times more there than in a tight loop of the same statement (its
  code and data are no longer in the CPU's caches), which is why this is measured in place.

Counts are the same on any machine; the time is this machine's. One person at a time is the
worst case for the inbox (one update in each getUpdates batch);
with many people at once a batch's insert is shared by its updates. The check-in dispatcher's
own statements during the walk (the plan schedules check-ins) are counted too, as they are
part of what the walk costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from benchmarks.common import TOKEN, BenchApi, in_process_settings, polling
from benchmarks.scenario import VARIANTS, Step
from bot.app import build_application
from bot.clock import FakeClock
from bot.services import SERVICES_KEY, Services
from bot.storage.database import Database
from standin import FakeUser
from standin.http import StandinServer
from standin.request import report_processed

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
TARGET_STATEMENTS = 4
TARGET_TRIPS = 2


@dataclass
class Counted:
    """What the walks sent to SQLite."""

    updates: int = 0
    statements: int = 0
    trips: int = 0
    sql_cpu_s: float = 0.0
    kinds: Counter[str] = field(default_factory=Counter)

    def report(self) -> dict[str, Any]:
        per = max(self.updates, 1)
        return {
            "updates": self.updates,
            "statements": self.statements,
            "trips": self.trips,
            "statements_per_update": round(self.statements / per, 2),
            "trips_per_update": round(self.trips / per, 2),
            "sql_cpu_us_per_update": round(self.sql_cpu_s / per * 1e6, 1),
            "target_statements_per_update": TARGET_STATEMENTS,
            "target_trips_per_update": TARGET_TRIPS,
            "statements_by_kind_per_update": {
                kind: round(n / per, 2) for kind, n in self.kinds.most_common()
            },
        }


def kind_of(statement: str) -> str:
    """A statement's verb and table ("SELECT users", "BEGIN"), for the breakdown."""
    words = statement.replace("(", " ").split()
    if not words:
        return "?"
    verb = words[0].upper()
    upper = [w.upper() for w in words]
    for marker in ("FROM", "INTO", "UPDATE"):
        if marker in upper[1:] or (marker == "UPDATE" and verb == "UPDATE"):
            at = 0 if verb == "UPDATE" and marker == "UPDATE" else upper.index(marker, 1)
            if at + 1 < len(words):
                return f"{verb} {words[at + 1]}"
    return verb


_ENTRY = "_execute"  # aiosqlite.Connection's one hand-off to its thread: every call goes there


class TripCounter:
    """Counts aiosqlite's hand-offs to its thread, while on."""

    def __init__(self) -> None:
        self.count = 0
        self._original: Callable[..., Awaitable[Any]] | None = None

    def __enter__(self) -> TripCounter:
        original: Callable[..., Awaitable[Any]] = getattr(aiosqlite.Connection, _ENTRY)
        self._original = original

        async def counted(conn: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await original(conn, fn, *args, **kwargs)

        setattr(aiosqlite.Connection, _ENTRY, counted)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(aiosqlite.Connection, _ENTRY, self._original)


class _ReadCursor:
    """A statement's rows, read while timed."""

    def __init__(self, cursor: sqlite3.Cursor, rows: list[Any]) -> None:
        self.rowcount = cursor.rowcount
        self.lastrowid = cursor.lastrowid
        self._rows = rows

    def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    def close(self) -> None:
        self._rows = []


class TimedConnection:
    """The bot's `sqlite3` connection, adding up the thread CPU time of each statement run on
    it and of reading its rows (everything else passes through)."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw
        self.cpu_s = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)

    def execute(self, sql: str, params: Any = ()) -> _ReadCursor:
        start = time.thread_time()
        cursor = self.raw.execute(sql, params)
        read = _ReadCursor(cursor, cursor.fetchall())
        self.cpu_s += time.thread_time() - start
        return read

    def executemany(self, sql: str, seq: Any) -> sqlite3.Cursor:
        start = time.thread_time()
        cursor = self.raw.executemany(sql, seq)
        self.cpu_s += time.thread_time() - start
        return cursor


async def _act(user: FakeUser, step: Step) -> None:
    action, value, expected = step
    if action == "command":
        await user.command(value)
    elif action == "say":
        await user.say(value)
    else:
        await user.press_and_wait(value)
    seen = " ".join(m.plain_text for m in user.api.chat_messages(user)[-3:])
    if expected not in seen:
        raise AssertionError(f"after {value!r}: expected {expected!r}, saw {seen[-300:]!r}")


async def measure(people: int = 2, workdir: Path | None = None) -> Counted:
    """Walk `people` debriefs (the scripts alternate) and count statements and trips."""
    with tempfile.TemporaryDirectory(prefix="comeback-statements-") as scratch:
        folder = workdir or Path(scratch)
        clock = FakeClock(START)
        api = BenchApi(TOKEN, now=lambda: clock.now().timestamp())
        server = StandinServer(api)
        await server.start()
        settings = in_process_settings(server.base_url, folder / "statements.sqlite3")
        app = build_application(settings, clock=clock, rate_limit=False)
        report_processed(app, api)
        counted = Counted()
        try:
            async with polling(app):
                services: Services = app.bot_data[SERVICES_KEY]
                assert isinstance(services.db, Database)
                conn = await services.db.connection()
                statements: list[str] = []
                await conn.set_trace_callback(statements.append)
                timed = TimedConnection(conn.raw)
                conn.raw = timed  # type: ignore[assignment]
                try:
                    with TripCounter() as trips:
                        for index in range(people):
                            user = api.private_user(50_000 + index, first_name="Ann")
                            for step in VARIANTS[index % len(VARIANTS)]:
                                await _act(user, step)
                                counted.updates += 1
                        await conn.set_trace_callback(None)
                        counted.trips = trips.count
                finally:
                    conn.raw = timed.raw
                counted.sql_cpu_s = timed.cpu_s
            counted.statements = len(statements)
            counted.kinds.update(kind_of(s) for s in statements)
            assert api.violations == [], api.violations
        finally:
            await server.stop()
            api.close()
        return counted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.statements")
    parser.add_argument("--people", type=int, default=2, help="debriefs walked (default 2)")
    parser.add_argument("--json", type=Path, help="also write the counts here")
    args = parser.parse_args(argv)
    report = asyncio.run(measure(args.people)).report()
    print(
        f"{report['updates']} updates: {report['statements_per_update']} statements and"
        f" {report['trips_per_update']} trips to the database thread per update"
        f" (target: at most {TARGET_STATEMENTS} and {TARGET_TRIPS});"
        f" {report['sql_cpu_us_per_update']} µs of CPU in SQLite per update"
    )
    for kind, per in report["statements_by_kind_per_update"].items():
        print(f"  {per:6.2f}  {kind}")
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
