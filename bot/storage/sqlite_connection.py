"""SQLite's connection, called on the event loop's own thread (issue 22).

A statement of the hot path takes about 4 µs. Handing it to aiosqlite's worker thread, and waking
the event loop again with its result, cost 35-64 µs of CPU per statement (`python -m
benchmarks.trips`), most of what the bot spent on storage. The bot is alone on its SQLite file (a
second process is refused at start, docs/deploy.md), in WAL mode, so no other writer holds the
file's lock and readers never wait: statements run where they are called. What can take long,
opening and migrating a file, still runs on aiosqlite's thread (bot.storage.database).

`SqliteConnection` offers the calls of aiosqlite's connection that the repositories and tests make
(`execute` awaited or used as `async with`, `executemany`, `execute_fetchall`, `executescript`,
`set_trace_callback`), so code written against either runs on this one unchanged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Generator, Iterable
from typing import Any


class SqliteCursor:
    """What a statement gave back, read like aiosqlite's cursor."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class _Statement:
    """A statement that can be awaited or used as `async with` (as aiosqlite's can); it runs
    when it is awaited or entered, not when it is written."""

    def __init__(self, conn: sqlite3.Connection, sql: str, params: Any) -> None:
        self._conn = conn
        self._sql = sql
        self._params = params

    def _run(self) -> SqliteCursor:
        return SqliteCursor(self._conn.execute(self._sql, self._params))

    def __await__(self) -> Generator[Any, None, SqliteCursor]:
        return self.__aenter__().__await__()

    async def __aenter__(self) -> SqliteCursor:
        return self._run()

    async def __aexit__(self, *exc: object) -> None:
        return None


class SqliteConnection:
    """One `sqlite3` connection in autocommit mode, used from the event loop's thread."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    @property
    def row_factory(self) -> Any:
        return self.raw.row_factory

    @row_factory.setter
    def row_factory(self, factory: Any) -> None:
        self.raw.row_factory = factory

    def execute(self, sql: str, params: Any = ()) -> _Statement:
        return _Statement(self.raw, sql, params)

    async def executemany(self, sql: str, seq: Iterable[Any]) -> SqliteCursor:
        return SqliteCursor(self.raw.executemany(sql, seq))

    async def execute_fetchall(self, sql: str, params: Any = ()) -> list[Any]:
        return self.raw.execute(sql, params).fetchall()

    async def executescript(self, script: str) -> SqliteCursor:
        return SqliteCursor(self.raw.executescript(script))

    async def set_trace_callback(self, callback: Callable[[str], object] | None) -> None:
        self.raw.set_trace_callback(callback)

    async def close(self) -> None:
        self.raw.close()
