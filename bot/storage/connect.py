"""The database DATABASE_URL names: SQLite (the embedded default) or PostgreSQL."""

from __future__ import annotations

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
