"""Claims are leases: taken back once they run out, renewed while a send is alive, and never
sent by a dispatcher that lost them. Two dispatchers on one database (a SQLite file, or a
PostgreSQL schema), each with its own connection, stand for two processes; the fake clock is
moved, never slept on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.clock import FakeClock, to_db
from bot.scheduling.dispatcher import LEASE, RENEW_AFTER, SEND_MARGIN, Dispatcher, Outgoing
from bot.storage.checkins import CheckIn, NewCheckIn, SqlCheckinRepository
from coaching.kinds import GROUP_KINDS, Kind
from tests.kit.db import DbTarget, open_store

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@dataclass
class _Sent:
    message_id: int


class Telegram:
    """What both dispatchers send to: records every send; `gate` holds them (a slow send)."""

    rate_limiter = None

    def __init__(self) -> None:
        self.sent: list[tuple[str, int]] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.entered = asyncio.Event()

    def bot(self, name: str) -> Any:
        telegram = self

        class Bot:
            rate_limiter = None

            async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> _Sent:
                telegram.entered.set()
                await telegram.gate.wait()
                telegram.sent.append((name, chat_id))
                return _Sent(len(telegram.sent))

        return Bot()


@pytest.fixture
async def path(db_path: DbTarget) -> AsyncIterator[DbTarget]:
    """A migrated database (either backend) with one user and one check-in due at NOW."""
    db = open_store(db_path)
    stamp = to_db(NOW)
    await db.execute(
        "INSERT INTO users (id, created_at, updated_at) VALUES (1, ?, ?)", (stamp, stamp)
    )
    await SqlCheckinRepository(db, FakeClock(NOW)).add(
        [NewCheckIn(1, 1, Kind.MOOD, NOW, date(2026, 11, 27))]
    )
    await db.close()
    yield db_path


class Process:
    """A dispatcher with its own connection to the database (another process, as far as the
    database is concerned)."""

    def __init__(
        self, path: DbTarget, clock: FakeClock, telegram: Telegram, name: str, compose: Any = None
    ) -> None:
        self.db = open_store(path)
        self.checkins = SqlCheckinRepository(self.db, clock)

        async def plain(checkin: CheckIn, folded: int) -> Outgoing:
            return Outgoing(f"check-in {checkin.id}")

        self.dispatcher = Dispatcher(
            self.checkins,
            telegram.bot(name),
            clock,
            compose or plain,
            interval_seconds=30,
        )


async def status(path: DbTarget) -> list[tuple[str, str | None]]:
    db = open_store(path)
    try:
        return [
            (r[0], r[1]) for r in await db.fetch_all("SELECT status, claimed_at FROM check_ins")
        ]
    finally:
        await db.close()


async def test_a_claim_is_taken_back_once_its_lease_is_over_and_not_before(path: DbTarget) -> None:
    db = open_store(path)
    repo = SqlCheckinRepository(db, FakeClock(NOW))
    (claimed,) = await repo.claim_due(NOW, 10, list(Kind))
    # The dispatcher passes now - LEASE: a claim taken at NOW is free from NOW + LEASE + 1 s.
    assert await repo.release_stale_claims(NOW) == 0
    assert await repo.release_stale_claims(NOW + timedelta(seconds=1), GROUP_KINDS) == 0
    assert await repo.release_stale_claims(NOW + timedelta(seconds=1), [Kind.MOOD]) == 1
    assert await status(path) == [("pending", None)]
    assert claimed.checkin.kind == "mood"
    await db.close()


async def test_renewing_a_lease_keeps_the_claim_and_tells_a_lost_one(path: DbTarget) -> None:
    db = open_store(path)
    repo = SqlCheckinRepository(db, FakeClock(NOW))
    (claimed,) = await repo.claim_due(NOW, 10, list(Kind))
    cid = claimed.checkin.id
    later = NOW + timedelta(minutes=1)
    assert await repo.renew_claims([cid], NOW, later) == {cid}
    assert await status(path) == [("claimed", to_db(later))]
    assert await repo.release_stale_claims(later - LEASE + timedelta(seconds=1)) == 0
    # Held under another stamp: someone else's claim now.
    assert await repo.renew_claims([cid], NOW, later + timedelta(minutes=1)) == set()
    assert await status(path) == [("claimed", to_db(later))]
    await db.close()


async def test_every_run_takes_back_expired_claims_not_only_the_first(path: DbTarget) -> None:
    """A crash left a claim; the dispatcher of the restarted bot sends it once the lease is
    over, on whichever run that is."""
    clock = FakeClock(NOW)
    telegram = Telegram()
    crashed = Process(path, clock, telegram, "crashed")
    await crashed.checkins.claim_due(NOW, 10, list(Kind))  # then it died
    await crashed.db.close()
    restarted = Process(path, clock, telegram, "restarted")
    clock.set(NOW + timedelta(seconds=30))
    assert await restarted.dispatcher.settle() == 0  # the first run: the lease holds
    clock.set(NOW + LEASE)
    assert await restarted.dispatcher.settle() == 0
    clock.set(NOW + LEASE + timedelta(seconds=1))
    assert await restarted.dispatcher.settle() == 1
    assert telegram.sent == [("restarted", 1)]
    await restarted.db.close()


async def test_a_live_slow_send_renews_its_lease_and_a_second_process_sends_nothing(
    path: DbTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(NOW)
    telegram = Telegram()
    telegram.gate.clear()  # Telegram is slow to answer
    alive = Process(path, clock, telegram, "alive")
    clock.on_jump(alive.dispatcher.wake)  # what start() does: moving the clock wakes it
    renewals: asyncio.Queue[set[int]] = asyncio.Queue()
    renew = alive.checkins.renew_claims

    async def renewing(*args: Any, **kwargs: Any) -> set[int]:
        kept = await renew(*args, **kwargs)
        renewals.put_nowait(kept)
        return kept

    monkeypatch.setattr(alive.checkins, "renew_claims", renewing)
    run = asyncio.create_task(alive.dispatcher.settle())
    await asyncio.wait_for(telegram.entered.wait(), 10)
    for _ in range(10):  # five minutes, in steps shorter than the lease
        clock.advance(RENEW_AFTER)
        assert await asyncio.wait_for(renewals.get(), 10) == {1}
    other = Process(path, clock, telegram, "other")
    assert await other.dispatcher.settle() == 0  # nothing expired: nothing taken back
    telegram.gate.set()
    assert await run == 1
    assert await other.dispatcher.settle() == 0
    assert telegram.sent == [("alive", 1)]
    assert await status(path) == [("sent", None)]
    await asyncio.gather(alive.db.close(), other.db.close())


async def test_a_frozen_dispatcher_that_lost_its_claim_does_not_send_it(path: DbTarget) -> None:
    """A process stopped (not dead) longer than the lease: another one took the check-in back
    and sent it; when the first wakes up it finds the claim no longer its own."""
    clock = FakeClock(NOW)
    telegram = Telegram()
    thaw = asyncio.Event()
    composing = asyncio.Event()

    async def frozen(checkin: CheckIn, folded: int) -> Outgoing:
        composing.set()
        await thaw.wait()  # no heartbeat either: nothing moves this process
        return Outgoing(f"check-in {checkin.id}")

    stuck = Process(path, clock, telegram, "stuck", compose=frozen)
    run = asyncio.create_task(stuck.dispatcher.settle())
    await asyncio.wait_for(composing.wait(), 10)
    clock.set(NOW + LEASE + timedelta(seconds=1))
    other = Process(path, clock, telegram, "other")
    assert await other.dispatcher.settle() == 1
    thaw.set()
    assert await run == 0
    assert telegram.sent == [("other", 1)]
    assert await status(path) == [("sent", None)]
    await asyncio.gather(stuck.db.close(), other.db.close())


async def test_a_send_late_in_its_lease_renews_it_first(path: DbTarget) -> None:
    """A check-in that waited (behind slow sends, or a slow render) until less than SEND_MARGIN
    of its lease was left renews it before it goes out, so no one can take it back meanwhile."""
    clock = FakeClock(NOW)
    telegram = Telegram()
    go_on = asyncio.Event()
    composing = asyncio.Event()

    async def slow(checkin: CheckIn, folded: int) -> Outgoing:
        composing.set()
        await go_on.wait()
        return Outgoing(f"check-in {checkin.id}")

    late = Process(path, clock, telegram, "late", compose=slow)
    run = asyncio.create_task(late.dispatcher.settle())
    await asyncio.wait_for(composing.wait(), 10)
    moment = NOW + LEASE - SEND_MARGIN + timedelta(seconds=1)
    clock.set(moment)  # not registered on the clock: only the check before the send renews
    telegram.gate.clear()
    go_on.set()
    await asyncio.wait_for(telegram.entered.wait(), 10)
    assert await status(path) == [("claimed", to_db(moment))]
    telegram.gate.set()
    assert await run == 1
    await late.db.close()
