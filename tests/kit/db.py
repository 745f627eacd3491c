"""Reading a SQLite database file straight, by a connection of the test's own."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows read straight from the database file, by a connection of the test's own."""
    with sqlite3.connect(path) as conn:
        return list(conn.execute(sql, params))


def table_names(path: Path) -> list[str]:
    """Every table of the database file (SQLite's own excepted)."""
    with sqlite3.connect(path) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
