"""Reading the bot's database straight, by a connection of the test's own (either backend).

`target` is a SQLite file's path, or a `postgresql://` URL (tests/kit/pg.py); statements are
written as the repositories write them (SQLite's `?` placeholders), and on PostgreSQL go through
the same translation the bot uses.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import psycopg
import pytest

from bot.config import database_path
from bot.storage.connect import open_database
from bot.storage.database import SqlStore
from bot.storage.postgres import bind, translate

DbTarget = Path | str


def on_postgres(target: DbTarget) -> bool:
    """Whether `target` is a PostgreSQL URL (else a SQLite file)."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def rows(target: DbTarget, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows read straight from the database, by a connection of the test's own."""
    if on_postgres(target):
        return _pg_read(str(target), sql, params)[1]
    with sqlite3.connect(target) as conn:
        return list(conn.execute(sql, params))


def _pg_read(
    url: str, sql: str, params: tuple[object, ...]
) -> tuple[list[str], list[tuple[object, ...]]]:
    """Column names and rows of one statement on PostgreSQL, translated as the bot's are."""
    translated = translate(sql)
    with psycopg.connect(url, autocommit=True) as conn:
        cur = psycopg.ClientCursor(conn)
        cur.execute(translated.sql, bind(translated, params))
        if cur.description is None:
            return [], []
        return [c.name for c in cur.description], [tuple(r) for r in cur.fetchall()]


def table_names(target: DbTarget) -> list[str]:
    """Every table of the database (the backend's own excepted)."""
    if on_postgres(target):
        return [
            str(r[0])
            for r in rows(
                target,
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                " ORDER BY table_name",
            )
        ]
    with sqlite3.connect(target) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]


def url_of(target: DbTarget) -> str:
    """DATABASE_URL of a SQLite file or a PostgreSQL URL."""
    return str(target) if on_postgres(target) else f"sqlite:///{target}"


def open_store(target: DbTarget) -> SqlStore:
    """A database of the bot's own kind on `target` (a second connection, as another process
    has), opened on first use."""
    return open_database(url_of(target))


def dict_rows(target: DbTarget, sql: str, *params: object) -> list[dict[str, object]]:
    """Rows as {column: value}, read straight from the database."""
    if on_postgres(target):
        names, found = _pg_read(str(target), sql, params)
        return [dict(zip(names, r, strict=True)) for r in found]
    with sqlite3.connect(target) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def write(target: DbTarget, sql: str, *many: tuple[object, ...]) -> None:
    """Run one statement once per parameter tuple (or once with none), in one transaction."""
    if on_postgres(target):
        translated = translate(sql)
        with psycopg.connect(str(target), autocommit=True) as conn, conn.transaction():
            cur = psycopg.ClientCursor(conn)
            if many:
                cur.executemany(translated.sql, [bind(translated, params) for params in many])
            else:
                cur.execute(translated.sql, bind(translated, ()))
        return
    with sqlite3.connect(target) as conn:
        for params in many or ((),):
            conn.execute(sql, params)


def columns(target: DbTarget, table: str) -> list[str]:
    """The table's column names, in order."""
    if on_postgres(target):
        return [
            str(r[0])
            for r in rows(
                target,
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = ?"
                " ORDER BY ordinal_position",
                table,
            )
        ]
    with sqlite3.connect(target) as conn:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def row_order(target: DbTarget) -> str:
    """The column that orders a table's rows as stored (SQLite's rowid, PostgreSQL's ctid)."""
    return "ctid" if on_postgres(target) else "rowid"


def target_of(database_url: str) -> DbTarget:
    """The target of a DATABASE_URL (`url_of` the other way round): a SQLite file's path, or
    the PostgreSQL URL itself."""
    if on_postgres(database_url):
        return database_url
    return Path(database_path(database_url))


def stored_payloads(
    monkeypatch: pytest.MonkeyPatch, inbox: object, removal: str, target: DbTarget
) -> dict[int, object]:
    """Each update's inbox payload, read as the bot stores it just before the inbox's `removal`
    (`done` when polling, `done_remembered` by webhook) takes the row away, by update id."""
    stored: dict[int, object] = {}
    remove = getattr(inbox, removal)

    async def look_then_remove(update_id: int) -> None:
        (payload,) = rows(target, "SELECT payload FROM inbox WHERE update_id = ?", update_id)[0]
        stored[update_id] = json.loads(str(payload))
        await remove(update_id)

    monkeypatch.setattr(inbox, removal, look_then_remove)
    return stored


def waiting(target: DbTarget) -> int:
    """How many updates wait in the inbox (handled rows are emptied and kept a while:
    bot.storage.inbox)."""
    return int(rows(target, "SELECT COUNT(*) FROM inbox WHERE handled = 0")[0][0])
