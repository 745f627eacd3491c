"""Moving an install from SQLite to PostgreSQL (`comeback migrate-data`).

Both databases are first migrated to this release's schema (the same version on both, by the
numbering both backends share). Then every table is copied, parents before children, with
PostgreSQL's COPY, in ONE transaction on the target: a failure anywhere leaves the target as it
was. Before that transaction commits, each table is verified: its row count, and a checksum
over its rows in primary-key order with each value in one canonical text form, computed on the
source as it is read and on the target as it now reads back. A difference rolls it all back.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bot.storage.postgres import conninfo
from bot.storage.privacy import PG_FOREIGN_KEYS, PG_TABLES, parents_first

NOT_COPIED = frozenset({"schema_migrations"})
"""Each side keeps its own record of the migrations it ran (checked equal instead)."""

_PG_COLUMNS = (
    "SELECT column_name, data_type FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position"
)
_PG_PRIMARY_KEY = (
    "SELECT a.attname FROM pg_index AS i"
    " JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
    " WHERE i.indrelid = %s::regclass AND i.indisprimary"
    " ORDER BY array_position(i.indkey::int2[], a.attnum)"
)


class TransferRefused(RuntimeError):
    """The move cannot be made as asked (the target is not empty, the versions differ)."""


class TransferMismatch(RuntimeError):
    """What was written differs from what was read; nothing was kept."""


@dataclass(frozen=True)
class TableCopy:
    """One table moved: its rows and the checksum both sides agree on."""

    name: str
    rows: int
    checksum: str


def canonical(value: object) -> str:
    """One text form per value, the same whichever database it was read from."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return str(value)


class RowDigest:
    """A running SHA-256 over rows in order, each value in its canonical form."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.rows = 0

    def add(self, row: Sequence[object]) -> None:
        """Take one more row."""
        self._hash.update("\x1f".join(canonical(v) for v in row).encode("utf-8") + b"\x1e")
        self.rows += 1

    def hexdigest(self) -> str:
        """The checksum so far."""
        return self._hash.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _parents_first(tables: Iterable[str], keys: Iterable[tuple[str, str]]) -> list[str]:
    waiting: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in keys:
        if child in waiting and parent in waiting and parent != child:
            waiting[child].add(parent)
    return parents_first(waiting)


def _version(rows: Iterable[Sequence[Any]]) -> int:
    return max((int(r[0]) for r in rows), default=0)


def copy_sqlite_to_postgres(source: Path, target_url: str) -> list[TableCopy]:
    """Copy every row of the SQLite file into the (migrated, empty) PostgreSQL database, verify
    it, and commit; the tables copied. Both must already be at the same schema version."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        with psycopg.connect(conninfo(target_url)) as dst:
            copied = _copy(src, dst)
            dst.commit()
            # Statistics now, not when autovacuum first comes round: until then PostgreSQL's
            # planner guesses, and may walk the wrong index of a table it just received.
            dst.autocommit = True
            dst.execute("ANALYZE")
            return copied
    finally:
        src.close()


def _copy(src: sqlite3.Connection, dst: psycopg.Connection[Any]) -> list[TableCopy]:
    source_version = _version(src.execute("SELECT version FROM schema_migrations"))
    target_version = _version(dst.execute("SELECT version FROM schema_migrations").fetchall())
    if source_version != target_version:
        raise TransferRefused(
            f"the source is at schema version {source_version}, the target at {target_version}"
        )
    tables = [str(r[0]) for r in dst.execute(PG_TABLES).fetchall() if r[0] not in NOT_COPIED]
    source_tables = {
        str(r[0])
        for r in src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    } - NOT_COPIED
    if source_tables != set(tables):
        only_sqlite = sorted(source_tables - set(tables))
        only_postgres = sorted(set(tables) - source_tables)
        raise TransferRefused(
            f"the two schemas hold different tables: only in SQLite {only_sqlite},"
            f" only in PostgreSQL {only_postgres}"
        )
    for table in tables:
        if dst.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1").fetchone() is not None:
            raise TransferRefused(
                f"the target already holds rows (table {table}): migrate-data fills an empty"
                " database only"
            )
    keys = [(str(r[0]), str(r[2])) for r in dst.execute(PG_FOREIGN_KEYS).fetchall()]
    copied = []
    for table in _parents_first(tables, keys):
        copied.append(_copy_table(src, dst, table))
    return copied


def _copy_table(src: sqlite3.Connection, dst: psycopg.Connection[Any], table: str) -> TableCopy:
    described = dst.execute(_PG_COLUMNS, (table,)).fetchall()
    names = [str(r[0]) for r in described]
    text_columns = {str(r[0]) for r in described if r[1] == "text"}
    key = [str(r[0]) for r in dst.execute(_PG_PRIMARY_KEY, (table,)).fetchall()] or names
    column_list = ", ".join(_quote(n) for n in names)
    # SQLite orders text by its bytes; PostgreSQL's "C" collation does the same.
    src_order = ", ".join(_quote(k) for k in key)
    dst_order = ", ".join(_quote(k) + (' COLLATE "C"' if k in text_columns else "") for k in key)
    read = RowDigest()
    with dst.cursor().copy(f"COPY {_quote(table)} ({column_list}) FROM STDIN") as copy:
        for row in src.execute(f"SELECT {column_list} FROM {_quote(table)} ORDER BY {src_order}"):
            read.add(row)
            copy.write_row(row)
    if "id" in names and "id" in key:
        dst.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1),"
            f" MAX(id) IS NOT NULL) FROM {_quote(table)}",
            (table,),
        )
    written = RowDigest()
    for row in dst.execute(f"SELECT {column_list} FROM {_quote(table)} ORDER BY {dst_order}"):
        written.add(row)
    if (written.rows, written.hexdigest()) != (read.rows, read.hexdigest()):
        raise TransferMismatch(
            f"table {table}: read {read.rows} rows ({read.hexdigest()[:12]}), wrote"
            f" {written.rows} ({written.hexdigest()[:12]}); nothing was kept"
        )
    return TableCopy(table, read.rows, read.hexdigest())
