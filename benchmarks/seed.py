"""Seeding a database with many users, straight through SQL, in one transaction.

Every user has what a finished debrief leaves behind: the rejection (completed), an active goal,
a feedback request marked sent, a resource pick; and check-ins on them. The schema comes from
the bot's own migrations (`SqlStore.open()`), so the rows are exactly what the bot reads. The
target is a SQLite file or a PostgreSQL URL (the same statements, translated as the bot's are).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bot.clock import to_db
from bot.config import is_postgres
from bot.storage.connect import open_database
from bot.storage.postgres import bind, conninfo, translate

FIRST_USER = 1_000_000
# The kinds a fan-out rotates through: one of each subject, so composing covers every path.
FANOUT_KINDS = ("goal_mid", "feedback", "resource", "mood")
# What a user at rest has pending: the goal's midpoint and deadline, and the feedback follow-up.
AT_REST_KINDS = ("goal_mid", "goal_deadline", "feedback")


def _url(target: Path | str) -> str:
    return str(target) if is_postgres(str(target)) else f"sqlite:///{target}"


async def migrate(target: Path | str) -> None:
    """Create the schema with the bot's migrations."""
    db = open_database(_url(target))
    try:
        await db.open()
    finally:
        await db.close()


class _Writer:
    """One transaction of many inserts on either backend."""

    def __init__(self, target: Path | str) -> None:
        self._pg: psycopg.Connection[Any] | None = None
        self._sqlite: sqlite3.Connection | None = None
        if is_postgres(str(target)):
            self._pg = psycopg.connect(conninfo(str(target)))
        else:
            self._sqlite = sqlite3.connect(target, isolation_level=None)
            self._sqlite.execute("BEGIN IMMEDIATE")

    def executemany(self, sql: str, rows: Iterable[tuple[object, ...]]) -> None:
        if self._sqlite is not None:
            self._sqlite.executemany(sql, rows)
            return
        assert self._pg is not None
        translated = translate(sql)
        with self._pg.cursor() as cur:
            cur.executemany(translated.sql, [bind(translated, row) for row in rows])

    def ids_given(self, *tables: str) -> None:
        """Rows were inserted with explicit ids: PostgreSQL's sequences move past them."""
        if self._pg is None:
            return
        with self._pg.cursor() as cur:
            for table in tables:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE(MAX(id), 1)) FROM {table}"
                )

    def commit(self) -> None:
        if self._sqlite is not None:
            self._sqlite.execute("COMMIT")
            return
        assert self._pg is not None
        self._pg.commit()

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._pg is not None:
            self._pg.close()


DEFAULT_QUIET_HOURS = (22, 8)  # the schema's default (migration 0001)
NO_QUIET_HOURS = (0, 0)  # start == end: none (coaching.times.QuietHours)


async def seed(
    path: Path | str,
    users: int,
    now: datetime,
    *,
    due: str,
    in_conversation: float = 0.0,
    quiet: tuple[int, int] = DEFAULT_QUIET_HOURS,
) -> list[int]:
    """Seed `users` users; returns their ids.

    due="now": one check-in each, all due in the current minute (the fan-out);
    due="later": three pending check-ins each, due in the coming weeks (at rest).
    `in_conversation` is the share of users stopped in the middle of a new debrief (a
    conversation state and an in-progress rejection). `quiet` is everyone's quiet hours (start,
    end); a bot on the real clock that must send now, whatever the hour it runs at, needs
    `NO_QUIET_HOURS`, or from 22:00 UTC its check-ins wait for the morning.
    """
    await migrate(path)
    stamp = to_db(now)
    today = now.date().isoformat()
    minute = to_db(now.replace(second=0, microsecond=0))
    ids = list(range(FIRST_USER, FIRST_USER + users))
    conn = _Writer(path)
    try:
        conn.executemany(
            "INSERT INTO users (id, first_name, language, timezone, quiet_start, quiet_end,"
            " created_at, updated_at) VALUES (?, ?, 'en', 'UTC', ?, ?, ?, ?)",
            ((u, f"User{u}", *quiet, stamp, stamp) for u in ids),
        )
        # Rejection, goal, feedback request and resource pick n belong to user n (ids 1..N).
        conn.executemany(
            "INSERT INTO rejections (id, user_id, company, role, stage, how_heard, rejected_on,"
            " mood, went_well, lesson, gaps, strength, status, step, created_at, updated_at,"
            " completed_at) VALUES (?, ?, 'Umbrella', 'QA', 'onsite', 'call', ?, 2,"
            " 'Rapport with the panel', 'Prepare system design stories', '[\"theory\"]',"
            " 'persistence', 'completed', 'goal_deadline', ?, ?, ?)",
            ((n, u, today, stamp, stamp, stamp) for n, u in enumerate(ids, start=1)),
        )
        deadline = (now + timedelta(days=14)).date().isoformat()
        conn.executemany(
            "INSERT INTO goals (id, user_id, rejection_id, kind, target, deadline, status,"
            " created_at, updated_at) VALUES (?, ?, ?, 'practice_problems', 12, ?, 'active', ?, ?)",
            ((n, u, n, deadline, stamp, stamp) for n, u in enumerate(ids, start=1)),
        )
        conn.ids_given("rejections", "goals")
        conn.executemany(
            "INSERT INTO feedback_requests (rejection_id, status, recipient, channel, tone,"
            " sent_at, created_at, updated_at) VALUES (?, 'sent', 'Sam', 'email', 'formal', ?,"
            " ?, ?)",
            ((n, stamp, stamp, stamp) for n in range(1, users + 1)),
        )
        conn.executemany(
            "INSERT INTO resource_picks (rejection_id, resource_id, title, planned_for,"
            " created_at) VALUES (?, 'grit', 'Grit', ?, ?)",
            ((n, today, stamp) for n in range(1, users + 1)),
        )
        if due == "now":
            rows = (
                (u, u, FANOUT_KINDS[n % 4], n, n, minute, today, stamp, stamp)
                for n, u in enumerate(ids, start=1)
            )
        else:
            rows = (
                (
                    u,
                    u,
                    kind,
                    n,
                    n,
                    to_db(now + timedelta(days=3 + 4 * k)),
                    (now + timedelta(days=3 + 4 * k)).date().isoformat(),
                    stamp,
                    stamp,
                )
                for n, u in enumerate(ids, start=1)
                for k, kind in enumerate(AT_REST_KINDS)
            )
        conn.executemany(
            "INSERT INTO check_ins (user_id, chat_id, kind, goal_id, rejection_id, due_at,"
            " local_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        talking = ids[: int(users * in_conversation)]
        conn.executemany(
            "INSERT INTO rejections (user_id, company, rejected_on, status, step, created_at,"
            " updated_at) VALUES (?, 'Initech', ?, 'in_progress', 'role', ?, ?)",
            ((u, today, stamp, stamp) for u in talking),
        )
        conn.executemany(
            "INSERT INTO conversation_states (name, key, state) VALUES ('debrief', ?, '\"role\"')",
            ((f"[{u}, {u}]",) for u in talking),
        )
        conn.commit()  # no ANALYZE: the bot's own databases never run it either
    finally:
        conn.close()
    return ids
