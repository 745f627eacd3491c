"""Groups in the database: registration, weekly posts and their queue, migration, members."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.scheduling.group_planner import GroupPlanner
from bot.storage import SqlDebriefRepository, SqlUserRepository
from bot.storage.checkins import SqlCheckinRepository
from bot.storage.database import SqlStore
from bot.storage.groups import SqlGroupCheckinQueue, SqlGroupRepository
from coaching.cohort import Sharing
from coaching.kinds import GROUP_KINDS, USER_KINDS, Kind
from tests.kit.db import DbTarget, rows

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # a Friday
OLD, NEW = -4001, -1004001


@pytest.fixture
async def db(store: SqlStore) -> AsyncIterator[SqlStore]:
    """A migrated database, on each backend."""
    yield store


async def test_a_group_gets_one_check_in_and_one_digest_planned(
    db: SqlStore, db_path: DbTarget
) -> None:
    clock = FakeClock(NOW)
    groups = SqlGroupRepository(db, clock)
    planner = GroupPlanner(groups, clock, "Europe/Berlin")
    group, created = await groups.register(OLD, "Cohort", "group")
    assert created and group.active and group.checkin_weekday == 0 and group.checkin_hour == 10
    assert (await groups.register(OLD, "Cohort renamed", "group"))[1] is False
    await planner.ensure(OLD)
    await planner.ensure(OLD)  # idempotent
    assert rows(db_path, "SELECT kind, local_date, due_at FROM check_ins ORDER BY kind") == [
        ("group_checkin", "2026-11-30", "2026-11-30T09:00:00+00:00"),  # Monday 10:00 Berlin
        ("group_digest", "2026-11-29", "2026-11-29T09:00:00+00:00"),  # the Sunday before
    ]
    assert await planner.next_checkin(OLD) == datetime(2026, 11, 30, 9, tzinfo=UTC)
    await groups.update(OLD, digest_enabled=False, checkin_weekday=2)
    await planner.replan(OLD)
    assert rows(db_path, "SELECT kind, local_date FROM check_ins WHERE status = 'pending'") == [
        ("group_checkin", "2026-12-02")
    ]
    assert await groups.missing_posts() == []
    await groups.update(OLD, digest_enabled=True)
    assert await groups.missing_posts() == [OLD]


async def test_claiming_a_post_schedules_next_weeks_and_skips_stopped_groups(
    db: SqlStore,
    db_path: DbTarget,
) -> None:
    clock = FakeClock(NOW)
    groups = SqlGroupRepository(db, clock)
    planner = GroupPlanner(groups, clock, "UTC")
    queue = SqlGroupCheckinQueue(db, clock, "UTC")
    for chat in (OLD, -4002):
        await groups.register(chat, "G", "group")
        await planner.ensure(chat)
    await groups.set_active(-4002, False)
    monday = datetime(2026, 11, 30, 10, tzinfo=UTC)
    # The private check-ins' claim never takes group posts, and the other way round.
    users_claim = await SqlCheckinRepository(db, clock).claim_due(monday, 10, list(USER_KINDS))
    assert users_claim == []
    # Both posts are due: one per group per run, the older (the digest) first.
    claimed = await queue.claim_due(monday, 10, list(Kind))
    assert [(c.checkin.chat_id, c.checkin.kind) for c in claimed] == [(OLD, "group_digest")]
    claimed += await queue.claim_due(monday, 10, list(GROUP_KINDS))
    assert [c.checkin.kind for c in claimed] == ["group_digest", "group_checkin"]
    assert await queue.claim_due(monday, 10, list(GROUP_KINDS)) == []
    assert rows(
        db_path,
        "SELECT kind, local_date FROM check_ins WHERE chat_id = ? AND status = 'pending'"
        " ORDER BY kind",
        OLD,
    ) == [("group_checkin", "2026-12-07"), ("group_digest", "2026-12-06")]
    # A retried post (flood control) does not schedule its successor twice.
    post = next(c.checkin for c in claimed if c.checkin.kind == "group_checkin")
    await queue.retry_at(post.id, monday, "RetryAfter 1s")
    await queue.claim_due(monday + timedelta(seconds=1), 10, list(GROUP_KINDS))
    pending = "SELECT COUNT(*) FROM check_ins WHERE chat_id = ? AND status = 'pending'"
    assert rows(db_path, pending, OLD) == [(2,)]
    assert rows(db_path, pending, -4002) == [(2,)]  # stopped, not claimed, still planned


async def test_migration_moves_settings_members_wins_posts_and_debrief_sources(
    db: SqlStore,
    db_path: DbTarget,
) -> None:
    clock = FakeClock(NOW)
    groups = SqlGroupRepository(db, clock)
    planner = GroupPlanner(groups, clock, "UTC")
    users = SqlUserRepository(db, clock)
    debriefs = SqlDebriefRepository(db, clock)
    await groups.register(OLD, "Cohort", "group")
    await groups.update(OLD, checkin_hour=18, theme="energy", settings_message_id=7)
    await planner.ensure(OLD)
    for uid in (1, 2):
        await users.ensure(uid, f"U{uid}", "en")
    await groups.join(OLD, 1, Sharing.NAMED)
    await groups.join(OLD, 2, Sharing.RECEIVE_ONLY)
    await groups.add_win(OLD, 1, "A win", anonymous=False)
    rejection = await debriefs.start(1, "company", NOW.date())
    await db.execute("UPDATE rejections SET source_chat_id = ? WHERE id = ?", (OLD, rejection.id))

    assert await groups.migrate(OLD, NEW)
    assert not await groups.migrate(OLD, NEW)  # Telegram tells both chats: the second is a no-op
    assert await groups.get(OLD) is None
    moved = await groups.get(NEW)
    assert moved is not None and moved.kind == "supergroup"
    assert (moved.checkin_hour, moved.theme, moved.settings_message_id) == (18, "energy", None)
    assert rows(db_path, "SELECT chat_id, user_id, sharing FROM memberships ORDER BY user_id") == [
        (NEW, 1, "named"),
        (NEW, 2, "receive_only"),
    ]
    assert rows(db_path, "SELECT chat_id FROM wins") == [(NEW,)]
    assert rows(db_path, "SELECT DISTINCT chat_id FROM check_ins WHERE status = 'pending'") == [
        (NEW,)
    ]
    assert rows(db_path, "SELECT source_chat_id FROM rejections") == [(NEW,)]


async def test_migration_into_a_supergroup_already_registered_merges(
    db: SqlStore, db_path: DbTarget
) -> None:
    clock = FakeClock(NOW)
    groups = SqlGroupRepository(db, clock)
    planner = GroupPlanner(groups, clock, "UTC")
    await SqlUserRepository(db, clock).ensure(1, "U1", "en")
    await groups.register(OLD, "Cohort", "group")
    await groups.update(OLD, checkin_weekday=3, with_poll=True)
    await groups.join(OLD, 1, Sharing.ANONYMOUS)
    await planner.ensure(OLD)
    await groups.register(NEW, "Cohort", "supergroup")  # someone used a command there first
    await planner.ensure(NEW)
    assert await groups.migrate(OLD, NEW)
    merged = await groups.get(NEW)
    assert merged is not None and (merged.checkin_weekday, merged.with_poll) == (3, True)
    assert rows(db_path, "SELECT chat_id, sharing FROM memberships") == [(NEW, "anonymous")]
    assert rows(
        db_path, "SELECT kind, local_date FROM check_ins WHERE status = 'pending' ORDER BY kind"
    ) == [("group_checkin", "2026-12-03"), ("group_digest", "2026-12-02")]


async def test_leaving_removes_the_membership_and_the_wins_shared_there(
    db: SqlStore, db_path: DbTarget
) -> None:
    clock = FakeClock(NOW)
    groups = SqlGroupRepository(db, clock)
    await SqlUserRepository(db, clock).ensure(1, "U1", "en")
    await groups.register(OLD, "Cohort", "group")
    await groups.join(OLD, 1, Sharing.NAMED)
    await groups.add_win(OLD, 1, "A win", anonymous=False)
    assert len(await groups.wins_between(OLD, NOW - timedelta(days=1), NOW + timedelta(1))) == 1
    assert await groups.leave(OLD, 1)
    assert not await groups.leave(OLD, 1)
    assert await groups.membership(OLD, 1) is None
    assert rows(db_path, "SELECT COUNT(*) FROM wins") == [(0,)]
