"""The database DATABASE_URL names: SQLite (the embedded default) or PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings, database_path, is_postgres
from bot.storage.database import Database, SqlStore
from bot.storage.postgres import PostgresDatabase


def open_database(url: str, *, pool_size: int = 5) -> SqlStore:
    """The database of `url`, not yet connected (it opens and migrates on first use)."""
    if is_postgres(url):
        return PostgresDatabase(url, pool_size=pool_size)
    return Database(database_path(url))


def settings_database(settings: Settings) -> SqlStore:
    """The database the settings name."""
    return open_database(settings.database_url, pool_size=settings.database_pool_size)


async def check_database(settings: Settings) -> None:
    """Open (and migrate) the database once and close it: a database that cannot be used
    raises DatabaseRefused before anything else starts."""
    db = settings_database(settings)
    try:
        await db.open()
    finally:
        await db.close()


class SecondWorker(Exception):
    """Another Comeback process already runs on this SQLite database."""


def hold_sqlite_database(settings: Settings) -> object | None:
    """On SQLite, hold an exclusive lock beside the database file for as long as the process
    runs (the kernel drops it when the process dies, even by SIGKILL): a second process on the
    same file is refused at start, since several workers need PostgreSQL. Returns what keeps
    the lock (None on PostgreSQL, or where there is no file lock)."""
    if is_postgres(settings.database_url):
        return None
    path = database_path(settings.database_url)
    if not isinstance(path, Path):
        return None
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no second-process check
        return None
    lock_path = path.with_name(path.name + ".worker-lock")
    handle = lock_path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise SecondWorker(
            f"another Comeback process is running on {path}; several workers need PostgreSQL"
            " (DATABASE_URL=postgresql://..., see docs/deploy.md)"
        ) from None
    return handle
