"""Everything stored about one person: found by reading the schema, exported, or erased.

Which tables hold personal data is not a hand-kept list: the schema is read at run time. A
table is personal when it is `users`, has a `user_id` column, or has a foreign key to a
personal table (`feedback_requests.rejection_id` -> `rejections`, `check_ins.goal_id` ->
`goals`...), followed as far as it goes. Tables that name a user only inside a key are listed
in KEYED; tables that hold nothing about any one person are listed, with the reason, in
NOT_PERSONAL. A table that is none of these makes export and deletion refuse to run
(UnclassifiedTables), so a table added later is never silently left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import to_db
from bot.storage.database import SqlStore, TxConnection
from bot.storage.update_record import forget_person

EXPORT_FORMAT = "comeback-export"
EXPORT_VERSION = 1
USERS = "users"
USER_COLUMN = "user_id"

# Tables with nothing about any one person, and why (shown in every export).
NOT_PERSONAL: Mapping[str, str] = {
    "schema_migrations": "which database migrations have run",
    "groups": "a group's own settings; who is a member is in memberships",
    "workers": "the bot's worker processes and their heartbeats (docs/deploy.md)",
    "inbox_handled": "ids of the updates handled in the last day (webhook mode), nothing more",
}

# Tables that name a user inside a key: a SQL condition on the table's rows, `:uid` the user,
# per dialect. conversation_states.key is a JSON array of the chat and user ids of a
# conversation.
KEYED_BY: Mapping[str, Mapping[str, str]] = {
    "sqlite": {
        "conversation_states": "EXISTS (SELECT 1 FROM json_each(conversation_states.key)"
        " WHERE json_each.value = :uid)",
    },
    "postgresql": {
        "conversation_states": "EXISTS (SELECT 1 FROM"
        " json_array_elements_text(conversation_states.key::json) AS k(value)"
        " WHERE k.value = CAST(:uid AS TEXT))",
    },
}
KEYED = KEYED_BY["sqlite"]

# How a row is named within one transaction (to find every row first, then erase them).
_ROW_ID = {"sqlite": "rowid", "postgresql": "ctid"}

# PostgreSQL's catalogue: the tables of the current schema, their columns, primary keys and
# foreign keys (one row per column of a key).
PG_TABLES = (
    "SELECT table_name FROM information_schema.tables"
    " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
)
_PG_COLUMNS = (
    "SELECT c.relname AS table_name, a.attname AS name,"
    " COALESCE(array_position(i.indkey::int2[], a.attnum), 0) AS pk"
    " FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid"
    " LEFT JOIN pg_index AS i ON i.indrelid = c.oid AND i.indisprimary"
    " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
    " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum"
)
PG_FOREIGN_KEYS = (
    "SELECT c.relname AS table_name, a.attname AS from_column, p.relname AS parent,"
    " pa.attname AS to_column"
    " FROM pg_constraint AS k"
    " JOIN pg_class AS c ON c.oid = k.conrelid JOIN pg_class AS p ON p.oid = k.confrelid"
    " CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS pair(child, referenced)"
    " JOIN pg_attribute AS a ON a.attrelid = k.conrelid AND a.attnum = pair.child"
    " JOIN pg_attribute AS pa ON pa.attrelid = k.confrelid AND pa.attnum = pair.referenced"
    " WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace"
    " ORDER BY c.relname, k.conname"
)


class UnclassifiedTables(RuntimeError):
    """Tables that are neither personal (by the schema), keyed, nor listed as not personal."""

    def __init__(self, tables: Sequence[str]) -> None:
        super().__init__(
            "tables neither reachable from users nor listed in bot.storage.privacy"
            f" NOT_PERSONAL/KEYED: {', '.join(tables)}"
        )
        self.tables = tuple(tables)


@dataclass(frozen=True)
class PersonalTable:
    """A table holding rows about a user, and the SQL condition (`:uid`) that finds them."""

    name: str
    condition: str
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Classification:
    """Every table of the schema, sorted out."""

    personal: tuple[PersonalTable, ...]  # parents before children; users first
    not_personal: tuple[str, ...]
    unclassified: tuple[str, ...]

    def deletion_order(self) -> list[PersonalTable]:
        """Children before the rows they reference, users last."""
        return list(reversed(self.personal))


@dataclass(frozen=True)
class _ForeignKey:
    column: str
    parent: str
    parent_column: str


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[_ForeignKey, ...]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def _read_schema(conn: TxConnection, dialect: str) -> dict[str, _Table]:
    if dialect == "postgresql":
        return await _read_pg_schema(conn)
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    ) as cur:
        names = [row[0] for row in await cur.fetchall()]
    tables: dict[str, _Table] = {}
    for name in names:
        async with conn.execute(f"PRAGMA table_info({_quote(name)})") as cur:
            info = list(await cur.fetchall())
        columns = tuple(str(r["name"]) for r in info)
        primary = tuple(str(r["name"]) for r in sorted(info, key=lambda r: r["pk"]) if r["pk"])
        async with conn.execute(f"PRAGMA foreign_key_list({_quote(name)})") as cur:
            keys = list(await cur.fetchall())
        tables[name] = _Table(
            name,
            columns,
            primary,
            tuple(_ForeignKey(str(k["from"]), str(k["table"]), k["to"] or "") for k in keys),
        )
    # A foreign key written `REFERENCES parent` points at the parent's primary key.
    for table in tables.values():
        resolved = []
        for key in table.foreign_keys:
            parent = tables.get(key.parent)
            column = key.parent_column or (parent.primary_key[0] if parent else "rowid")
            resolved.append(_ForeignKey(key.column, key.parent, column))
        tables[table.name] = _Table(table.name, table.columns, table.primary_key, tuple(resolved))
    return tables


async def _read_pg_schema(conn: TxConnection) -> dict[str, _Table]:
    names = [str(r[0]) for r in await conn.execute_fetchall(PG_TABLES)]
    columns: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    for r in await conn.execute_fetchall(_PG_COLUMNS):
        columns.setdefault(str(r["table_name"]), []).append((str(r["name"]), int(r["pk"])))
    keys: dict[str, list[_ForeignKey]] = {name: [] for name in names}
    for r in await conn.execute_fetchall(PG_FOREIGN_KEYS):
        keys.setdefault(str(r["table_name"]), []).append(
            _ForeignKey(str(r["from_column"]), str(r["parent"]), str(r["to_column"]))
        )
    return {
        name: _Table(
            name,
            tuple(column for column, _ in columns[name]),
            tuple(column for column, pk in sorted(columns[name], key=lambda c: c[1]) if pk),
            tuple(keys[name]),
        )
        for name in names
    }


def classify(tables: Mapping[str, _Table], keyed: Mapping[str, str] = KEYED) -> Classification:
    """Sort the schema's tables into personal (with their conditions), not personal, unknown."""
    if USERS not in tables:
        raise RuntimeError("the schema has no users table")
    reachable = {USERS}
    changed = True
    while changed:
        changed = False
        for table in tables.values():
            if table.name in reachable or table.name in NOT_PERSONAL or table.name in keyed:
                continue
            if USER_COLUMN in table.columns or any(
                k.parent in reachable for k in table.foreign_keys
            ):
                reachable.add(table.name)
                changed = True
    order = _parents_first(tables, reachable)
    conditions: dict[str, str] = {USERS: "id = :uid"}
    personal = [PersonalTable(USERS, conditions[USERS])]
    for name in order:
        if name == USERS:
            continue
        table = tables[name]
        parts: list[str] = []
        parents: list[str] = []
        if USER_COLUMN in table.columns:
            parts.append(f"{_quote(USER_COLUMN)} = :uid")
        for key in table.foreign_keys:
            if key.parent == USERS:
                part = f"{_quote(key.column)} = :uid"
            elif key.parent in conditions and key.parent != name:
                part = (
                    f"{_quote(key.column)} IN (SELECT {_quote(key.parent_column)}"
                    f" FROM {_quote(key.parent)} WHERE {conditions[key.parent]})"
                )
                parents.append(key.parent)
            else:
                continue
            if part not in parts:
                parts.append(part)
        conditions[name] = "(" + " OR ".join(parts) + ")"
        personal.append(PersonalTable(name, conditions[name], tuple(parents)))
    for name in sorted(keyed):
        if name in tables:
            personal.append(PersonalTable(name, keyed[name]))
    unclassified = sorted(
        name
        for name in tables
        if name not in reachable and name not in NOT_PERSONAL and name not in keyed
    )
    return Classification(
        personal=tuple(personal),
        not_personal=tuple(sorted(n for n in tables if n in NOT_PERSONAL)),
        unclassified=tuple(unclassified),
    )


def _parents_first(tables: Mapping[str, _Table], personal: set[str]) -> list[str]:
    """Personal tables with every personal parent before its children (cycles: name order)."""
    return parents_first(
        {
            name: {k.parent for k in tables[name].foreign_keys if k.parent in personal} - {name}
            for name in personal
        }
    )


def parents_first(waiting: dict[str, set[str]]) -> list[str]:
    """Table names, each after the parents it waits for (a cycle is broken in name order);
    `waiting` (name -> its parents among the names) is used up."""
    order: list[str] = []
    while waiting:
        ready = sorted(n for n, parents in waiting.items() if not parents)
        if not ready:  # a cycle: break it deterministically
            ready = [min(waiting)]
        for name in ready:
            del waiting[name]
            order.append(name)
        for parents in waiting.values():
            parents.difference_update(ready)
    return order


async def classify_schema(conn: TxConnection, dialect: str = "sqlite") -> Classification:
    """Read the live schema and classify it."""
    return classify(await _read_schema(conn, dialect), KEYED_BY[dialect])


def _json_value(value: object) -> object:
    if isinstance(value, bytes):
        return value.hex()
    return value


async def _rows(conn: TxConnection, table: PersonalTable, uid: int, dialect: str) -> list[Any]:
    async with conn.execute(
        f"SELECT * FROM {_quote(table.name)} WHERE {table.condition} ORDER BY {_ROW_ID[dialect]}",
        {"uid": uid},
    ) as cur:
        return list(await cur.fetchall())


async def export_user(db: SqlStore, user_id: int, now: datetime) -> dict[str, Any]:
    """Every row about the user, table by table, as one JSON-ready document."""
    async with db.transaction() as conn:
        found = await classify_schema(conn, db.dialect)
        if found.unclassified:
            raise UnclassifiedTables(found.unclassified)
        tables: dict[str, list[dict[str, object]]] = {}
        for table in found.personal:
            rows = await _rows(conn, table, user_id, db.dialect)
            tables[table.name] = [{k: _json_value(v) for k, v in dict(r).items()} for r in rows]
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "user_id": user_id,
        "exported_at": to_db(now),
        "tables": tables,
        "not_exported": {name: NOT_PERSONAL[name] for name in found.not_personal},
    }


# Personal tables of bookkeeping rather than anything the person told us: updates still being
# handled (the /export request itself is one) and the last few messages whose buttons a press
# took away. Exported and erased like the rest, but not counted as something stored.
TRANSIENT = frozenset({"inbox", "cleared_buttons"})


def row_count(export: Mapping[str, Any]) -> int:
    """How many rows an export holds (updates still being handled not counted)."""
    tables: Mapping[str, list[object]] = export["tables"]
    return sum(len(rows) for name, rows in tables.items() if name not in TRANSIENT)


async def delete_user(db: SqlStore, user_id: int) -> dict[str, int]:
    """Erase every row about the user in one transaction; rows erased per table (non-zero)."""
    row_id = _ROW_ID[db.dialect]
    async with db.transaction() as conn:
        found = await classify_schema(conn, db.dialect)
        if found.unclassified:
            raise UnclassifiedTables(found.unclassified)
        # Find every row first (a child's condition reads its parents), then erase children
        # before their parents.
        doomed: dict[str, list[object]] = {}
        for table in found.personal:
            async with conn.execute(
                f"SELECT {row_id} FROM {_quote(table.name)} WHERE {table.condition}",
                {"uid": user_id},
            ) as cur:
                doomed[table.name] = [r[0] for r in await cur.fetchall()]
        for table in found.deletion_order():
            ids = doomed[table.name]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                await conn.execute(
                    f"DELETE FROM {_quote(table.name)} WHERE {row_id} IN ({marks})", chunk
                )
    return {name: len(ids) for name, ids in doomed.items() if ids}


class SqlPrivacyRepository:
    """`export_user` and `delete_user` over one database (SQLite or PostgreSQL)."""

    def __init__(self, db: SqlStore) -> None:
        self._db = db

    async def export(self, user_id: int, now: datetime) -> dict[str, Any]:
        """Every row about the user, table by table, as one JSON-ready document."""
        return await export_user(self._db, user_id, now)

    async def delete(self, user_id: int) -> dict[str, int]:
        """Erase every row about the user in one transaction; rows erased per table (non-zero)."""
        try:
            return await delete_user(self._db, user_id)
        finally:
            forget_person(user_id)


def export_json(export: Mapping[str, Any]) -> bytes:
    """The export as an indented UTF-8 JSON document."""
    return (json.dumps(export, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
