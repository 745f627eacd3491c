"""Every hot-path query is answered from an index, never by scanning a large table.

The statements are not copied here: the repositories run for real against a migrated database
(no ANALYZE, like the bot's own files), SQLite's trace hook records exactly what they send, and
each statement is then explained with EXPLAIN QUERY PLAN. A new query on the hot path that
would read a whole table (`SCAN check_ins`, `SCAN u`...) fails this test by name.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.scheduling.dispatcher import LEASE
from bot.scheduling.planner import CheckinPlanner
from bot.storage import Database, SqlDebriefRepository, SqlUserRepository
from bot.storage.checkins import NewCheckIn, SqlCheckinRepository
from bot.storage.conversation_states import SqlConversationStateRepository
from coaching.kinds import Kind

pytestmark = pytest.mark.sqlite_only("SQLite's query planner (EXPLAIN QUERY PLAN, trace hook)")

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
USERS = 200

# Tables that stay small whatever the number of users: a scan of these is fine.
SMALL_TABLES = frozenset({"schema_migrations", "sqlite_master"})
_SCAN = re.compile(r"^SCAN (\w+)")


class Recorder:
    """The statements the repositories send, through sqlite3's trace hook."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, statement: str) -> None:
        head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if head in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"):
            self.statements.append(statement)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database with some users, debriefs and check-ins."""
    database = Database(tmp_path / "plans.sqlite3")
    await database.connection()
    clock = FakeClock(NOW)
    users = SqlUserRepository(database, clock)
    debriefs = SqlDebriefRepository(database, clock)
    checkins = SqlCheckinRepository(database, clock)
    for user_id in range(1, USERS + 1):
        await users.ensure(user_id, f"User{user_id}", "en")
        rejection = await debriefs.start(user_id, "company", date(2026, 11, 27))
        await checkins.add(
            [
                NewCheckIn(user_id, user_id, kind, NOW + timedelta(days=n), date(2026, 11, 28),
                           rejection_id=rejection.id)
                for n, kind in enumerate((Kind.MOOD, Kind.RESOURCE, Kind.FEEDBACK), start=-1)
            ]
        )  # fmt: skip
        if user_id % 2 == 0:  # a finished plan: half with goal check-ins, half without
            goal = await debriefs.save_goal(
                user_id, rejection.id, kind="apply", target=3, deadline=date(2026, 12, 7),
                status="active",
            )  # fmt: skip
            await debriefs.set_status(rejection.id, "completed")
            if user_id % 4 == 0:
                await checkins.add(
                    [NewCheckIn(user_id, user_id, Kind.GOAL_MID, NOW + timedelta(days=5),
                                date(2026, 12, 2), goal.id, rejection.id)]
                )  # fmt: skip
    yield database
    await database.close()


async def hot_path(database: Database) -> dict[str, Callable[[], Awaitable[object]]]:
    """Each hot-path operation, by name, as the bot calls it."""
    clock = FakeClock(NOW)
    users = SqlUserRepository(database, clock)
    debriefs = SqlDebriefRepository(database, clock)
    checkins = SqlCheckinRepository(database, clock)
    states = SqlConversationStateRepository(database)
    planner = CheckinPlanner(users, debriefs, checkins, clock, "UTC")
    plan = [NewCheckIn(9, 9, Kind.MOOD, NOW + timedelta(days=3), date(2026, 11, 30), None, 9)]

    async def claim_and_record() -> None:
        claimed = await checkins.claim_due(NOW, 50, tuple(Kind))
        assert claimed, "nothing was due: the claim query was not exercised"
        for item in claimed[:3]:
            await checkins.mark_sent(item.checkin, 1, Kind(item.checkin.kind).family)

    async def repair() -> None:
        assert await planner.repair_plans(NOW), "no plan to repair: the repair was not exercised"

    return {
        "dispatcher claim + record": claim_and_record,
        "expired claims, every run": lambda: checkins.release_stale_claims(
            NOW - LEASE, tuple(Kind)
        ),
        "lease renewal": lambda: checkins.renew_claims([7, 8, 9], NOW, NOW),
        "plan repair, every run": repair,
        "catch-up backlog, every run": lambda: checkins.backlog(
            NOW, NOW - timedelta(minutes=15), tuple(Kind), ("mood",), date(2026, 11, 27)
        ),
        "stopped check-ins (resume)": lambda: checkins.stopped(7),
        "finishing a debrief": lambda: checkins.complete_plan(9, None, plan),
        "plan check-ins where missing": lambda: checkins.add_missing(plan),
        "user lookup": lambda: users.get(7),
        "user upsert (first contact)": lambda: users.ensure(7, "Seven", "en"),
        "in-progress debrief lookup": lambda: debriefs.in_progress(7),
        "debrief step update": lambda: debriefs.update(7, step="role"),
        "debrief by id": lambda: debriefs.get(7),
        "feedback request": lambda: debriefs.feedback(7),
        "resource pick": lambda: debriefs.resource_pick(7),
        "goal of a debrief": lambda: debriefs.goal_for(7),
        "conversation states of a chat": lambda: states.states_of((7, 7)),
        "conversation state upsert": lambda: states.save("debrief", (7, 7), '"role"'),
        "conversation state delete": lambda: states.forget("debrief", (7, 7)),
        "check-ins by user": lambda: checkins.pending_for_user(7),
        "next check-in of a user": lambda: checkins.next_pending(7),
        "check-in by id": lambda: checkins.get(7),
        "check-in answer": lambda: checkins.answer(7, "done"),
        "check-in focus": lambda: checkins.focus(7),
    }


def full_scans(conn: sqlite3.Connection, statement: str) -> list[str]:
    """The full scans of large tables in a statement's plan."""
    found = []
    aliases = {
        alias: table
        for table, alias in re.findall(r"\b(?:FROM|JOIN)\s+(\w+)\s+(?:AS\s+)?(\w+)", statement)
    }
    for row in conn.execute("EXPLAIN QUERY PLAN " + statement):
        detail = str(row[3])
        match = _SCAN.match(detail)
        if match is None or "VIRTUAL TABLE" in detail or detail.startswith("SCAN CONSTANT"):
            continue
        table = aliases.get(match.group(1), match.group(1))
        if table not in SMALL_TABLES:
            found.append(f"{detail} (table {table})")
    return found


async def test_every_hot_path_query_uses_an_index(db: Database) -> None:
    conn = await db.connection()
    operations = await hot_path(db)
    recorded: dict[str, list[str]] = {}
    for name, operation in operations.items():
        recorder = Recorder()
        await conn.set_trace_callback(recorder)
        try:
            await operation()
        finally:
            await conn.set_trace_callback(None)  # type: ignore[arg-type]  # None turns it off
        assert recorder.statements, f"{name}: no statement recorded"
        recorded[name] = recorder.statements
    explain = sqlite3.connect(db.path)
    try:
        problems = {
            name: scans
            for name, statements in recorded.items()
            for statement in statements
            if (scans := full_scans(explain, statement))
        }
    finally:
        explain.close()
    assert problems == {}, f"hot-path queries that scan a whole table: {problems}"


def test_a_full_scan_is_caught() -> None:
    """The check itself: an unindexed lookup is reported, through its alias too."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE check_ins (id INTEGER PRIMARY KEY, user_id INTEGER, kind TEXT)")
    conn.execute("CREATE INDEX by_user ON check_ins(user_id)")
    assert full_scans(conn, "SELECT * FROM check_ins WHERE user_id = 5") == []
    assert full_scans(conn, "SELECT * FROM check_ins AS c WHERE c.kind = 'mood'") == [
        "SCAN c (table check_ins)"
    ]
