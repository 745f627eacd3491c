"""The SQLite connection: pragmas, numbered forward-only migrations, transactions."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, TypeAlias

import aiosqlite

from bot.private_files import create_private, make_private
from bot.storage.sqlite_connection import SqliteConnection

_LOGGER = logging.getLogger(__name__)
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StorageUnavailable(RuntimeError):
    """The database cannot be read or written right now (read-only file, full disk, locked)."""


class DatabaseRefused(RuntimeError):
    """The database cannot be used as configured (unreachable, refused, too old, too new)."""


class Row(Protocol):
    """A result row: by column name or position (`sqlite3.Row`, `postgres.PgRow`)."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def keys(self) -> list[str]: ...


TxConnection: TypeAlias = Any
"""What `SqlStore.transaction()` yields: `SqliteConnection`, or `postgres.PgConnection`."""


class SqlStore(Protocol):
    """What the repositories need of a database, on either backend.

    `transaction()` yields a connection with aiosqlite's calls (`execute`, `executemany`,
    `execute_fetchall`); statements are written in SQLite's parameter styles and the SQL both
    backends speak (bot/storage/postgres.py translates), and `dialect` picks the few that must
    differ.
    """

    dialect: str
    path: str

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    def transaction(self) -> AbstractAsyncContextManager[Any]: ...

    async def fetch_all(self, sql: str, params: Any = ()) -> list[Any]: ...

    async def fetch_one(self, sql: str, params: Any = ()) -> Any | None: ...

    async def execute(self, sql: str, params: Any = ()) -> int: ...

    async def execute_returning(self, sql: str, params: Any = ()) -> list[Any]: ...


# SQLite result codes (primary, low byte) that mean "not now", not "a bug": the file or folder
# turned read-only, the disk is full, an I/O error, still locked after the busy timeout, or the
# file cannot be opened. Everything else (a constraint, a syntax error) stays what it is.
_UNAVAILABLE_CODES = frozenset(
    {
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_CANTOPEN,
    }
)
_UNAVAILABLE_MESSAGES = (
    "readonly database",
    "database or disk is full",
    "disk i/o error",
    "database is locked",
    "unable to open database file",
)


def unavailable(error: BaseException) -> StorageUnavailable | None:
    """The StorageUnavailable that `error` means, or None if it is not a storage fault."""
    if isinstance(error, StorageUnavailable):
        return error
    if not isinstance(error, sqlite3.OperationalError):
        return None
    code = getattr(error, "sqlite_errorcode", None)
    message = str(error)
    if (isinstance(code, int) and code & 0xFF in _UNAVAILABLE_CODES) or any(
        known in message.lower() for known in _UNAVAILABLE_MESSAGES
    ):
        return StorageUnavailable(message)
    return None


@contextmanager
def _storage_faults() -> Iterator[None]:
    """Turn SQLite's "not now" errors into StorageUnavailable (the one place this happens)."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        mapped = unavailable(exc)
        if mapped is None:
            raise
        raise mapped from exc


def migration_files(package: str = "bot.storage.migrations") -> list[tuple[int, str, str]]:
    """The numbered migrations shipped in `package` (SQLite's by default), in order:
    (version, name, sql)."""
    found = []
    for entry in resources.files(package).iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    check_versions([version for version, _, _ in found])
    return found


def check_versions(versions: list[int]) -> None:
    """Migrations are numbered 1..n without gaps."""
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")


def newer_schema(current: int, known: int) -> DatabaseRefused:
    """The refusal of a database migrated by a newer release than this one."""
    return DatabaseRefused(
        f"the database is at schema version {current}, newer than this Comeback knows"
        f" ({known}): upgrade Comeback, or point it at the database it made"
    )


class Database:
    """One SQLite connection, opened lazily and migrated on first use.

    Opening and migrating run on aiosqlite's thread (a migration of a big file can take long);
    every statement after that runs on the event loop's own thread (`SqliteConnection`: a hop to
    another thread cost ten times the statement, benchmarks/README.md). The connection is in
    autocommit mode; `transaction()` issues BEGIN IMMEDIATE/COMMIT and serialises writers of
    this process with an asyncio lock, so two handlers never interleave half-finished writes.

    Storage faults (read-only file, full disk, I/O error, locked past the busy timeout) surface
    as `StorageUnavailable` from every method here, and a failed transaction is rolled back, so
    a handler that raises has written nothing of that transaction (see docs/reliability.md).
    """

    dialect = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._conn: SqliteConnection | None = None
        self._open_lock = asyncio.Lock()
        self._write_lock = asyncio.Lock()

    async def connection(self) -> SqliteConnection:
        """The open, migrated connection."""
        if self._conn is None:
            async with self._open_lock:
                if self._conn is None:
                    with _storage_faults():
                        self._conn = await self._open()
        return self._conn

    async def open(self) -> None:
        """Open and migrate the database now rather than on first use (at start-up)."""
        await self.connection()

    async def _open(self) -> SqliteConnection:
        self._make_private(before_open=True)
        if self.path != ":memory:":  # a second connection to ":memory:" is another database
            await self._migrate_on_a_thread()
        conn = SqliteConnection(
            sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        )
        try:
            await _prepare(conn, wal=False)
            if self.path == ":memory:":
                await _migrate(conn)
        except BaseException:
            await conn.close()
            raise
        self._make_private(before_open=False)
        return conn

    async def _migrate_on_a_thread(self) -> None:
        pending = aiosqlite.connect(self.path, isolation_level=None)
        try:
            conn = await pending
        except BaseException:
            # aiosqlite stops its worker thread on a failed connect without waiting for it; a
            # thread still running when the event loop closes dies with "Event loop is closed".
            worker = getattr(pending, "_thread", None)
            if worker is not None:
                await asyncio.to_thread(worker.join, 1.0)
            raise
        try:
            await _prepare(conn, wal=True)
            await _migrate(conn)
        finally:
            await conn.close()

    def _make_private(self, *, before_open: bool) -> None:
        """The database holds people's words: 0600 whatever the umask. Before opening, the file
        is created 0600 (SQLite would follow the umask) or an older one tightened; SQLite gives
        the -wal, -shm and -journal files it creates the database file's mode, so after opening
        only sidecars left by an earlier run can still need it. Best effort: a file we may not
        chmod (another owner, a read-only disk) is logged, and SQLite reports what matters."""
        if self.path == ":memory:" or self.path.startswith("file:"):
            return
        path = Path(self.path)
        names = ("",) if before_open else ("-wal", "-shm", "-journal")
        for suffix in names:
            target = path.with_name(path.name + suffix)
            try:
                if not (before_open and create_private(target)):
                    make_private(target)
            except FileNotFoundError:
                pass  # no such folder: connecting says so
            except OSError as exc:
                _LOGGER.warning("Could not make %s private (mode 0600): %s", target, exc)

    async def close(self) -> None:
        """Close the connection (a later call reopens it)."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteConnection]:
        """A write transaction: everything inside commits together or not at all."""
        conn = await self.connection()
        async with self._write_lock:
            with _storage_faults():
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    await conn.execute("COMMIT")
                except BaseException:
                    await _rollback(conn)
                    raise

    async def fetch_all(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> list[sqlite3.Row]:
        """Rows of a read query (`params` a sequence, or a mapping for named parameters)."""
        conn = self._conn or await self.connection()
        with _storage_faults():
            return conn.raw.execute(sql, _bound(params)).fetchall()

    async def fetch_one(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> sqlite3.Row | None:
        """The first row of a read query (one of a single row: by key, LIMIT 1...), or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> int:
        """One write statement in its own transaction; returns the number of rows it changed.

        The connection is in autocommit mode, so a lone statement is its own transaction (no
        BEGIN/COMMIT); the write lock keeps it out of another handler's open one.
        """
        conn = self._conn or await self.connection()
        async with self._write_lock:
            with _storage_faults():
                return int(conn.raw.execute(sql, _bound(params)).rowcount)

    async def execute_returning(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> list[sqlite3.Row]:
        """One write statement with a RETURNING clause, in its own transaction; its rows."""
        conn = self._conn or await self.connection()
        async with self._write_lock:
            with _storage_faults():
                return conn.raw.execute(sql, _bound(params)).fetchall()


def _bound(params: Iterable[Any] | Mapping[str, Any]) -> Any:
    return params if isinstance(params, Mapping) else tuple(params)


async def _rollback(conn: SqliteConnection) -> None:
    """Undo the open transaction, if SQLite has not already (it does on a full disk)."""
    if not conn.in_transaction:
        return
    try:
        await conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        _LOGGER.warning("Rollback failed: %s", exc)


async def _prepare(conn: aiosqlite.Connection | SqliteConnection, *, wal: bool) -> None:
    """A connection's settings (WAL is the file's, set once when it is opened to migrate)."""
    conn.row_factory = sqlite3.Row
    await conn.execute("PRAGMA busy_timeout = 5000")
    if wal:
        await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("PRAGMA foreign_keys = ON")


async def _migrate(conn: aiosqlite.Connection | SqliteConnection) -> None:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    async with conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") as cur:
        row = await cur.fetchone()
    current = int(row[0]) if row else 0
    files = migration_files()
    if current > len(files):
        raise newer_schema(current, len(files))
    for version, name, sql in files:
        if version <= current:
            continue
        _LOGGER.info("Applying database migration %s", name)
        # The script opens the transaction and leaves it open, so the schema change and its
        # record commit together: a crash leaves the old or the new version, never half.
        await conn.executescript("BEGIN IMMEDIATE;\n" + sql)
        try:
            await conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise


async def schema_version(db: SqlStore) -> int:
    """The highest migration applied."""
    row = await db.fetch_one("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
    return int(row["v"]) if row else 0
