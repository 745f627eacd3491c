"""The PostgreSQL connection: a pool, the same migrations runner, the same repository SQL.

The repositories are written once, in the SQL both backends speak, with SQLite's parameter
styles (`?`, `?N`, `:name`). `translate` turns a statement into psycopg's form once (cached):

* placeholders become psycopg's named ones (`%(_1)s`, `%(name)s`), and a literal `%` is doubled;
* `x IN (SELECT value FROM json_each(P))` (a list passed as a JSON array) becomes `x = ANY(P)`,
  and P is passed as a list, so ids stay integers and kinds stay text;
* `x IS P` (SQLite's null-safe equality) becomes `x IS NOT DISTINCT FROM P`;
* `json_group_object(` (SQLite's JSON object aggregate) becomes `json_object_agg(` (which
  gives NULL rather than `{}` over no rows).

What cannot be said portably (date arithmetic, introspection, the claim's row locks) is
written per dialect where it is used (`SqlStore.dialect`).

psycopg 3 rather than asyncpg: its client-side binding (`AsyncClientCursor`) types parameters
the way SQLite does, from the value and the column, so one statement serves both backends
without a cast per parameter; psycopg_pool sizes the pool; both are maintained by the same
project as psycopg2, the most used PostgreSQL driver for Python. See docs/deploy.md.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Generator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import AsyncClientCursor, AsyncConnection
from psycopg.adapt import Dumper, Loader
from psycopg.rows import RowMaker
from psycopg_pool import AsyncConnectionPool

from bot.config import display_url
from bot.storage.database import (
    DatabaseRefused,
    StorageUnavailable,
    migration_files,
    newer_schema,
)

_LOGGER = logging.getLogger(__name__)

MIN_SERVER_VERSION = 140000
"""PostgreSQL 14 is the oldest supported server (`server_version_num`)."""
_MIGRATION_LOCK = 7_012_026
"""The advisory lock key that makes one worker at a time migrate a database."""


# --- Rows -----------------------------------------------------------------------------------


class PgRow(tuple[Any, ...]):
    """A result row read like `sqlite3.Row`: by position or by column name; `keys()`."""

    _names: tuple[str, ...]
    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._names)


@functools.lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[PgRow]:
    index = {name: i for i, name in enumerate(names)}
    return type("PgRow", (PgRow,), {"_names": names, "_index": index, "__slots__": ()})


def _pg_row(cursor: Any) -> RowMaker[PgRow]:
    # The result's field names straight from libpq: `cursor.description` would build a Column
    # object per column, per statement (a third of a lookup's CPU here).
    result = cursor.pgresult
    if result is None or not result.nfields:
        return PgRow
    names = tuple(result.fname(i).decode() for i in range(result.nfields))
    return _row_class(names)


# --- Values ---------------------------------------------------------------------------------


class _BoolAsInteger(Dumper):
    """Flags are INTEGER 0/1 columns on both backends (SQLite has no boolean)."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"

    def quote(self, obj: Any) -> bytes:
        return self.dump(obj)


class _NumericAsNumber(Loader):
    """SUM and AVG give `numeric`; SQLite gives an int or a float, and so does this."""

    def load(self, data: Any) -> Any:
        text = bytes(data).decode()
        value = Decimal(text)
        return int(value) if value == value.to_integral_value() else float(value)


async def _configure(conn: AsyncConnection[Any]) -> None:
    conn.adapters.register_dumper(bool, _BoolAsInteger)
    conn.adapters.register_loader("numeric", _NumericAsNumber)


# --- Statements -----------------------------------------------------------------------------

_LITERAL = re.compile(r"('(?:[^']|'')*')")
_BARE = re.compile(r"\?(?!\d)")
_IN_JSON = re.compile(
    r"\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*(\?\d+|:[A-Za-z_]\w*)\s*\)\s*\)",
    re.IGNORECASE,
)
_JSON_OBJECT_AGG = re.compile(r"\bjson_group_object\(", re.IGNORECASE)
_IS_PARAM = re.compile(r"\bIS\s+(\?\d+|:[A-Za-z_]\w*)", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\?(\d+)|(?<!:):([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Translated:
    """A statement in psycopg's form and how to pass its parameters."""

    sql: str
    positional: bool
    arrays: frozenset[str]


@functools.lru_cache(maxsize=2048)
def translate(sql: str) -> Translated:
    """`sql` (SQLite's parameter styles, portable SQL) as psycopg runs it on PostgreSQL."""
    parts = _LITERAL.split(sql)
    counter = 0

    def number(_: re.Match[str]) -> str:
        nonlocal counter
        counter += 1
        return f"?{counter}"

    for i in range(0, len(parts), 2):
        parts[i] = _BARE.sub(number, parts[i])
    arrays: set[str] = set()
    positional = False

    def key(token: str) -> str:
        nonlocal positional
        if token.startswith("?"):
            positional = True
            return "_" + token[1:]
        return token[1:]

    def array(match: re.Match[str]) -> str:
        arrays.add(key(match.group(1)))
        return f"= ANY({match.group(1)})"

    def placeholder(match: re.Match[str]) -> str:
        return f"%({key(match.group(0))})s"

    out = []
    for i, part in enumerate(parts):
        part = part.replace("%", "%%")
        if i % 2 == 0:
            part = _IN_JSON.sub(array, part)
            part = _IS_PARAM.sub(lambda m: f"IS NOT DISTINCT FROM {m.group(1)}", part)
            part = _JSON_OBJECT_AGG.sub("json_object_agg(", part)
            part = _PLACEHOLDER.sub(placeholder, part)
        out.append(part)
    return Translated("".join(out), positional, frozenset(arrays))


def bind(translated: Translated, params: Sequence[Any] | Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of a translated statement, by the names it uses."""
    if isinstance(params, Mapping):
        values = dict(params)
    else:
        values = {f"_{i}": value for i, value in enumerate(params, start=1)}
    for name in translated.arrays:
        value = values.get(name)
        if isinstance(value, str):
            values[name] = json.loads(value)
    return values


def _is_params(params: Any) -> bool:
    return isinstance(params, Mapping) or (
        isinstance(params, Sequence) and not isinstance(params, str)
    )


# --- Cursors and connections ----------------------------------------------------------------


class PgCursor:
    """What a statement gave back, read like an aiosqlite cursor."""

    def __init__(self, rows: list[PgRow], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    @property
    def lastrowid(self) -> int:
        raise TypeError("PostgreSQL has no lastrowid: use INSERT ... RETURNING id")

    async def fetchone(self) -> PgRow | None:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[PgRow]:
        return list(self._rows)


class _Pending:
    """A statement that can be awaited or used as `async with` (as aiosqlite's can)."""

    def __init__(self, run: Awaitable[PgCursor]) -> None:
        self._run = run

    def __await__(self) -> Generator[Any, None, PgCursor]:
        return self._run.__await__()

    async def __aenter__(self) -> PgCursor:
        return await self._run

    async def __aexit__(self, *exc: object) -> None:
        return None


class PgConnection:
    """One pooled connection inside a transaction, with the calls the repositories make."""

    def __init__(self, conn: AsyncConnection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Any = ()) -> _Pending:
        return _Pending(self._execute(sql, params))

    async def _execute(self, sql: str, params: Any) -> PgCursor:
        translated = translate(sql)
        async with _faults():
            cursor = self._conn.cursor(row_factory=_pg_row)
            # Always a mapping, even an empty one: with None psycopg would leave the doubled
            # `%` of a statement without parameters as it is.
            await cursor.execute(translated.sql, bind(translated, params or ()))
            result = cursor.pgresult
            rows = await cursor.fetchall() if result is not None and result.nfields else []
            return PgCursor(rows, cursor.rowcount)

    async def executemany(self, sql: str, seq: Iterable[Any]) -> PgCursor:
        translated = translate(sql)
        total = 0
        async with _faults():
            cursor = self._conn.cursor()
            for params in seq:
                await cursor.execute(translated.sql, bind(translated, params))
                total += max(cursor.rowcount, 0)
        return PgCursor([], total)

    async def execute_fetchall(self, sql: str, params: Any = ()) -> list[PgRow]:
        cursor = await self._execute(sql, params)
        return await cursor.fetchall()


@asynccontextmanager
async def _faults() -> AsyncIterator[None]:
    """PostgreSQL's "not now" errors (server gone, connection lost, disk full) as
    StorageUnavailable, the same as SQLite's."""
    try:
        yield
    except psycopg.OperationalError as exc:
        raise StorageUnavailable(_first_line(exc)) from exc


# --- The database ---------------------------------------------------------------------------


def conninfo(url: str) -> str:
    """The libpq connection string of a `postgresql://` (or `postgres://`) URL."""
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://") :]
    return url


def pg_migration_files() -> list[tuple[int, str, str]]:
    """PostgreSQL's migrations, numbered as SQLite's (the same schema at the same version)."""
    return migration_files("bot.storage.migrations.postgresql")


class PostgresDatabase:
    """A psycopg connection pool, opened and migrated on first use.

    Every transaction takes its own pooled connection, so handlers of different chats write at
    once (PostgreSQL's row locks, not a process lock, keep them apart); a statement outside a
    transaction commits on its own (autocommit). Storage faults surface as StorageUnavailable,
    as on SQLite.
    """

    dialect = "postgresql"

    def __init__(self, url: str, *, pool_size: int = 5) -> None:
        self.url = url
        self.path = display_url(url)
        self._pool_size = max(1, pool_size)
        self._pool: AsyncConnectionPool[AsyncConnection[Any]] | None = None
        self._open_lock = asyncio.Lock()

    async def _ready(self) -> AsyncConnectionPool[AsyncConnection[Any]]:
        if self._pool is None:
            async with self._open_lock:
                if self._pool is None:
                    self._pool = await self._open()
        return self._pool

    async def open(self) -> None:
        """Connect and migrate now rather than on first use (at start-up)."""
        await self._ready()

    async def _open(self) -> AsyncConnectionPool[AsyncConnection[Any]]:
        info = conninfo(self.url)
        try:
            first = await AsyncConnection.connect(info, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as exc:
            raise DatabaseRefused(_first_line(exc)) from exc
        try:
            await _configure(first)
            version = first.info.server_version
            if version < MIN_SERVER_VERSION:
                raise DatabaseRefused(
                    f"PostgreSQL {_version_text(version)} is too old: Comeback needs 14 or newer"
                )
            await _migrate(first)
        finally:
            await first.close()
        pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
            info,
            min_size=1,
            max_size=self._pool_size,
            kwargs={"autocommit": True, "cursor_factory": AsyncClientCursor},
            configure=_configure,
            open=False,
            name="comeback",
        )
        await pool.open(wait=True, timeout=10)
        return pool

    async def close(self) -> None:
        """Close the pool (a later call reopens it)."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgConnection]:
        """A write transaction: everything inside commits together or not at all."""
        pool = await self._ready()
        async with _faults(), pool.connection() as conn, conn.transaction():
            yield PgConnection(conn)

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[PgRow]:
        """Rows of a read query."""
        pool = await self._ready()
        async with _faults(), pool.connection() as conn:
            return await PgConnection(conn).execute_fetchall(sql, _params(params))

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> PgRow | None:
        """The first row of a read query, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write statement on its own; returns the number of rows it changed."""
        pool = await self._ready()
        async with _faults(), pool.connection() as conn:
            cursor = await PgConnection(conn).execute(sql, _params(params))
            return int(cursor.rowcount)

    async def execute_returning(self, sql: str, params: Iterable[Any] = ()) -> list[PgRow]:
        """One write statement with a RETURNING clause, on its own; its rows."""
        return await self.fetch_all(sql, params)


def _params(params: Iterable[Any]) -> Any:
    return params if _is_params(params) else tuple(params)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _version_text(version: int) -> str:
    return f"{version // 10000}.{version % 10000}"


async def _migrate(conn: AsyncConnection[Any]) -> None:
    """Apply what is missing, one migration per transaction, one worker at a time."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    files = pg_migration_files()
    for version, name, sql in files:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            cursor = await conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            row = await cursor.fetchone()
            current = int(row[0]) if row else 0
            if current > len(files):
                raise newer_schema(current, len(files))
            if version <= current:
                continue
            _LOGGER.info("Applying database migration %s (PostgreSQL)", name)
            await conn.execute(sql.encode())
            await conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (%s, %s, %s)",
                (version, name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
