"""The dispatcher and the check-in repository at scale, with a stand-in for the bot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.clock import FakeClock, to_db
from bot.scheduling.dispatcher import Dispatcher, Outgoing
from bot.scheduling.ratelimit import SINGLE_ATTEMPT, CoachRateLimiter
from bot.storage.checkins import CheckIn, NewCheckIn, SqlCheckinRepository
from bot.storage.database import SqlStore
from coaching.kinds import Kind
from tests.kit.db import DbTarget, write

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@dataclass
class _Sent:
    message_id: int


class StubBot:
    """Records sends with the event loop's time."""

    rate_limiter = None  # like a bot built without one (the terminal chat)

    def __init__(self) -> None:
        self.sent: list[tuple[int, float]] = []

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> _Sent:
        assert kwargs["rate_limit_args"] is None  # python-telegram-bot refuses it here
        self.sent.append((chat_id, asyncio.get_running_loop().time()))
        return _Sent(len(self.sent))


async def compose(checkin: CheckIn, folded: int) -> Outgoing:
    return Outgoing(f"check-in {checkin.id} ({folded} folded)")


def seed(target: DbTarget, users: int, per_user: int, due_per_user: int) -> None:
    """`users` users with `per_user` pending check-ins each; the first `due_per_user` are due."""
    stamp = to_db(NOW)

    def due(n: int) -> str:
        if n < due_per_user:
            return to_db(NOW - timedelta(minutes=due_per_user - n))
        return to_db(NOW + timedelta(hours=n))

    write(
        target,
        "INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)",
        *[(u, stamp, stamp) for u in range(1, users + 1)],
    )
    write(
        target,
        "INSERT INTO check_ins (user_id, chat_id, kind, due_at, local_date, created_at,"
        " updated_at) VALUES (?, ?, 'mood', ?, '2026-11-27', ?, ?)",
        *[(u, u, due(n), stamp, stamp) for u in range(1, users + 1) for n in range(per_user)],
    )


@pytest.fixture
async def db(store: SqlStore) -> AsyncIterator[SqlStore]:
    """A migrated database, on each backend."""
    yield store


async def test_100k_pending_start_in_seconds_and_send_one_per_user(
    db: SqlStore, db_path: DbTarget
) -> None:
    seed(db_path, users=1000, per_user=100, due_per_user=2)
    clock = FakeClock(NOW)
    bot = StubBot()
    dispatcher = Dispatcher(
        SqlCheckinRepository(db, clock),
        bot,
        clock,
        compose,
        interval_seconds=30,  # type: ignore[arg-type]
    )
    started = time.perf_counter()
    sent = await dispatcher.settle()
    elapsed = time.perf_counter() - started
    assert sent == 1000
    assert sorted(chat for chat, _ in bot.sent) == list(range(1, 1001))
    assert elapsed < 15, elapsed
    counts = dict(await db.fetch_all("SELECT status, COUNT(*) FROM check_ins GROUP BY status"))
    assert counts == {"sent": 1000, "superseded": 1000, "pending": 98_000}
    started = time.perf_counter()
    assert await dispatcher.settle() == 0  # nothing else due: a run over 98k pending rows
    assert time.perf_counter() - started < 0.5


@pytest.mark.sqlite_only("SQLite's query planner (EXPLAIN QUERY PLAN); tests/test_query_plans.py")
async def test_hot_queries_use_indexes(db: SqlStore) -> None:
    plans = {
        "due": "SELECT id FROM check_ins WHERE status = 'pending' AND due_at <= ? ORDER BY due_at",
        "user": "SELECT 1 FROM check_ins WHERE user_id = ? AND status = 'pending' AND due_at <= ?",
        "goal": "SELECT 1 FROM check_ins WHERE goal_id = ? AND status = 'pending'",
        "debrief": "SELECT 1 FROM check_ins WHERE rejection_id = ? AND kind = ?",
        "stale": "SELECT 1 FROM check_ins WHERE status = 'claimed' AND claimed_at < ?",
    }
    for name, sql in plans.items():
        rows = await db.fetch_all(f"EXPLAIN QUERY PLAN {sql}", ("x",) * sql.count("?"))
        detail = " ".join(str(r["detail"]) for r in rows)
        assert "USING" in detail and "INDEX" in detail, (name, detail)


async def test_claims_fold_older_due_check_ins_and_skip_paused_users(db: SqlStore) -> None:
    clock = FakeClock(NOW)
    repo = SqlCheckinRepository(db, clock)
    stamp = to_db(NOW)
    await db.execute(
        "INSERT INTO users (id, created_at, updated_at, paused_until) VALUES"
        " (1, ?, ?, NULL), (2, ?, ?, ?)",
        (stamp, stamp, stamp, stamp, to_db(NOW + timedelta(days=1))),
    )
    day = date(2026, 11, 27)
    await repo.add(
        [
            NewCheckIn(1, 1, Kind.MOOD, NOW - timedelta(days=2), day),
            NewCheckIn(1, 1, Kind.RESOURCE, NOW - timedelta(days=1), day),
            NewCheckIn(1, 1, Kind.FEEDBACK, NOW + timedelta(days=1), day),
            NewCheckIn(2, 2, Kind.MOOD, NOW - timedelta(days=1), day),
        ]
    )
    claimed = await repo.claim_due(NOW, 10, list(Kind))
    # Mood is another subject: not folded away but deferred to the same time the next day.
    assert [(c.checkin.user_id, c.checkin.kind, c.folded) for c in claimed] == [(1, "resource", 0)]
    deferred = await db.fetch_all("SELECT status, due_at FROM check_ins WHERE kind = 'mood'")
    assert sorted((r["status"], r["due_at"]) for r in deferred) == [
        ("pending", to_db(NOW - timedelta(days=1))),  # user 2 is paused: untouched
        ("pending", to_db(NOW + timedelta(days=1))),
    ]
    assert await repo.claim_due(NOW, 10, list(Kind)) == []  # claimed rows are not claimed again
    assert await repo.release_stale_claims(NOW) == 0  # a fresh claim stays
    assert await repo.release_stale_claims(NOW + timedelta(seconds=1)) == 1


async def test_one_chat_never_gets_two_dispatcher_messages_within_the_gap(db: SqlStore) -> None:
    clock = FakeClock(NOW)
    repo = SqlCheckinRepository(db, clock)
    stamp = to_db(NOW)
    await db.execute(
        "INSERT INTO users (id, created_at, updated_at) VALUES (1, ?, ?)", (stamp, stamp)
    )
    day = date(2026, 11, 27)
    await repo.add(
        [
            NewCheckIn(1, 1, Kind.MOOD, NOW, day),
            NewCheckIn(1, 1, Kind.MOOD, NOW + timedelta(hours=1), day),
        ]
    )
    bot = StubBot()
    dispatcher = Dispatcher(
        repo,
        bot,
        clock,
        compose,
        interval_seconds=30,
        per_chat_gap_seconds=0.3,  # type: ignore[arg-type]
    )
    assert await dispatcher.settle() == 1
    clock.set(NOW + timedelta(hours=1))
    assert await dispatcher.settle() == 1
    (_, first), (_, second) = bot.sent
    assert second - first >= 0.3


async def test_single_attempt_requests_raise_retry_after_at_once() -> None:
    limiter = CoachRateLimiter(max_retries=3)
    await limiter.initialize()
    calls = 0

    async def flooded(*args: object, **kwargs: object) -> bool:
        nonlocal calls
        calls += 1
        raise RetryAfter(timedelta(seconds=30))

    started = time.perf_counter()
    with pytest.raises(RetryAfter):
        await limiter.process_request(
            flooded, (), {}, "sendMessage", {"chat_id": 1}, SINGLE_ATTEMPT
        )
    assert calls == 1
    assert time.perf_counter() - started < 1
    await limiter.shutdown()
