"""The check-in dispatcher: claims due check-ins from the database and sends them.

The database is the queue and the source of truth; APScheduler (PTB's JobQueue) only wakes
the dispatcher: one repeating job, one immediate run at start, and one whenever the clock is
moved by hand (tests, the terminal chat's `:wait`). There is no scheduler job per check-in,
so any number of pending check-ins costs nothing until they are due, and memory is bounded by
the batch size. See docs/checkins.md for the policy.

Claims are leases (LEASE): every run first takes back claims whose lease ran out (a crash
between claim and record), so a crash strands a check-in for one lease at most. While a batch
is being sent its leases are renewed, and a send starts only under a claim that is still this
dispatcher's with at least SEND_MARGIN of its lease left, so a slow but live send is never taken
back and sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ExtBot, JobQueue
from telegram.warnings import PTBDeprecationWarning

from bot.clock import Clock
from bot.messages import NO_PREVIEW
from bot.scheduling.ratelimit import SINGLE_ATTEMPT, CoachRateLimiter
from bot.storage.checkins import CheckIn, Claimed
from bot.storage.database import StorageUnavailable
from bot.storage.interfaces import CheckinRepository
from coaching.kinds import Kind

_LOGGER = logging.getLogger(__name__)

BATCH_SIZE = 500
CONCURRENCY = 8
MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=2)
"""How long a claim holds without renewal: far longer than one send (HTTP timeouts of 5 s
each way, the rate limiter's wait) and its record; a claim older than this is taken back."""
RENEW_AFTER = timedelta(seconds=30)
"""While a batch is being sent, its leases are renewed once they are this old (checked this
often in real time, and whenever the clock is moved)."""
SEND_MARGIN = timedelta(minutes=1)
"""A send starts only with this much of its lease left; otherwise the lease is renewed first."""
PER_CHAT_GAP_SECONDS = 1.0
BACKOFF_BASE = timedelta(minutes=1)
JOB_NAME = "checkin-dispatch"


@dataclass(frozen=True)
class Outgoing:
    """A check-in message, rendered."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    thread_id: int | None = None
    """The forum topic to post in (group posts)."""
    follow_up: Callable[[Message], Awaitable[None]] | None = None
    """Sent right after the message is recorded (a group check-in's poll); best effort."""


@dataclass(frozen=True)
class Later:
    """Not now: the check-in is due again at `until` (the person's quiet hours end then)."""

    until: datetime
    reason: str


Compose = Callable[[CheckIn, int], Awaitable[Outgoing | Later | None]]
"""Renders a claimed check-in (with how many older ones were folded in); None when there is
nothing left to ask (the goal is done, the feedback arrived...); Later when it must wait."""

Refused = Callable[[CheckIn, TelegramError], Awaitable[None]]
"""Told when Telegram refuses a post to a group (no user: removed, muted, gone, migrated)."""


class SendCounter(Protocol):
    """Counts check-ins sent and failed, by kind: "private" or "group" (bot.observability)."""

    def checkin_sent(self, kind: str = "private") -> None: ...

    def checkin_failed(self, kind: str = "private") -> None: ...


def backoff(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: 1, 2, 4, 8 minutes..."""
    factor: int = 2 ** max(0, attempts - 1)
    return BACKOFF_BASE * factor


def retry_after_seconds(error: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whether PTB gives an int or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: object = error.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if isinstance(value, int | float) else 1.0


class _Lease:
    """The claims of one batch: held under the stamp `held` (their claimed_at) until recorded."""

    def __init__(
        self, checkins: CheckinRepository, clock: Clock, ids: Iterable[int], held: datetime
    ) -> None:
        self._checkins = checkins
        self._clock = clock
        self.open = set(ids)  # claimed by this batch, outcome not recorded yet
        self.lost: set[int] = set()  # taken back by another dispatcher: not ours to send
        self.held = held
        self._lock = asyncio.Lock()

    async def renew_if_older(self, age: timedelta) -> None:
        """Renew the open claims' lease if it is `age` old or more (one statement)."""
        async with self._lock:
            now = self._clock.now()
            if not self.open or now - self.held < age:
                return
            kept = await self._checkins.renew_claims(self.open, self.held, now)
            lost = self.open - kept
            if lost:
                _LOGGER.warning("Lost the claim of check-ins %s: not sending them", sorted(lost))
            self.lost |= lost
            self.open = kept
            self.held = now

    async def holds(self, checkin_id: int) -> bool:
        """Whether the claim is still ours, with at least SEND_MARGIN of its lease left."""
        if checkin_id in self.open:
            await self.renew_if_older(LEASE - SEND_MARGIN)
        return checkin_id in self.open

    def done(self, checkin_id: int) -> None:
        """The claim's outcome is recorded (or left to the next run): no more renewals."""
        self.open.discard(checkin_id)


class Dispatcher:
    """Sends due check-ins: claim in batches, at most one message per user per run."""

    def __init__(
        self,
        checkins: CheckinRepository,
        bot: ExtBot[Any],
        clock: Clock,
        compose: Compose,
        *,
        interval_seconds: float,
        kinds: Iterable[str] = tuple(Kind),
        batch_size: int = BATCH_SIZE,
        concurrency: int = CONCURRENCY,
        per_chat_gap_seconds: float = PER_CHAT_GAP_SECONDS,
        on_group_refused: Refused | None = None,
        paid_broadcast: bool = False,
        metrics: SendCounter | None = None,
    ) -> None:
        self._checkins = checkins
        self._bot = bot
        self._clock = clock
        self._compose = compose
        self._interval = interval_seconds
        self._kinds = tuple(kinds)
        self._batch_size = batch_size
        self._concurrency = concurrency
        self._gap = per_chat_gap_seconds
        self._job_queue: JobQueue[Any] | None = None
        self._lock = asyncio.Lock()
        self._requested = False
        self._stopped = False
        self._hold_until: datetime | None = None
        self._last_sent: dict[int, float] = {}
        # Check-in id -> its chat, and an event set once its outcome is recorded.
        self._delivering: dict[int, tuple[int, asyncio.Event]] = {}
        self._on_group_refused = on_group_refused
        # Private check-ins as Telegram's paid broadcasts (PAID_BROADCAST; docs/checkins.md).
        self._paid_broadcast = paid_broadcast
        # Sent, but the database could not record it (a storage fault): recorded next run.
        self._unrecorded: list[tuple[CheckIn, int]] = []
        self._tick = asyncio.Event()  # set on wake-ups (the clock moved): renew leases now
        self.metrics = metrics

    # Life cycle -------------------------------------------------------------------------

    async def start(self, job_queue: JobQueue[Any]) -> None:
        """Schedule the wake-ups, with one run right now (which also takes back the claims a
        crash left behind once their lease is over, and repairs unplanned plans)."""
        self._job_queue = job_queue
        job_queue.run_repeating(
            self._job,
            interval=self._interval,
            first=self._interval,
            name=JOB_NAME,
            job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._clock.on_jump(self.wake)
        self.wake()

    def wake(self) -> None:
        """Ask for a run as soon as possible (the clock moved, or the bot just started)."""
        self._tick.set()
        if self._stopped or self._job_queue is None:
            return
        self._job_queue.run_once(
            self._job, when=0, name=f"{JOB_NAME}-now", job_kwargs={"misfire_grace_time": None}
        )

    async def stop(self) -> None:
        """Finish the run in progress and refuse new ones."""
        self._stopped = True
        async with self._lock:
            pass

    async def _job(self, context: object) -> None:
        """The JobQueue callback."""
        await self.run()

    # Running ----------------------------------------------------------------------------

    async def run(self) -> int:
        """Send everything due now; wake-ups during a run make it go round once more.

        Returns how many check-ins this call sent (0 if another run in this process was
        already going: that one picks the request up).
        """
        self._requested = True
        if self._lock.locked():
            return 0
        async with self._lock:
            return await self._drain()

    async def settle(self) -> int:
        """Wait for the run in progress, then run again; returns how many this call sent.

        For callers that must know a run has finished after moving the clock (tests, the
        terminal chat): unlike `run`, it never returns while another run is still going.
        """
        self._requested = True
        async with self._lock:
            return await self._drain()

    async def _drain(self) -> int:
        """Run until no wake-up arrived during the last run (the lock is held)."""
        sent = 0
        while self._requested and not self._stopped:
            self._requested = False
            sent += await self._run_once()
        return sent

    async def _run_once(self) -> int:
        now = self._clock.now()
        self._hold_until = None
        sent = 0
        await self._record_unrecorded()
        released = await self._checkins.release_stale_claims(now - LEASE, self._kinds)
        if released:
            _LOGGER.warning("Took back %d check-in claims whose lease ran out (a crash)", released)
        await self._repair(now)
        while not self._stopped:
            self._forget_old_sends()
            now = self._clock.now()  # a batch's lease starts when it is claimed
            batch = await self._checkins.claim_due(now, self._batch_size, self._kinds)
            if not batch:
                break
            sent += await self._send_batch(batch, now)
            if self._hold_until is not None or len(batch) < self._batch_size:
                break
        if sent:
            _LOGGER.info("Sent %d check-ins", sent)
        return sent

    async def _repair(self, now: datetime) -> None:
        """The repository's repairs (plans whose check-ins were never written). A storage fault
        fails the run like any other; a bug is logged and the due check-ins still go out."""
        try:
            await self._checkins.repair(now)
        except StorageUnavailable:
            raise
        except Exception:
            _LOGGER.exception("Repairing plans failed; sending what is due anyway")

    async def recorded(self, checkin_id: int) -> None:
        """Wait until a check-in being sent right now has its outcome recorded.

        Its message is on the user's screen a moment before it is marked 'sent'; a button
        pressed in that moment must see it sent, not expired.
        """
        delivering = self._delivering.get(checkin_id)
        if delivering is not None:
            await delivering[1].wait()

    async def recorded_to(self, chat_id: int) -> None:
        """Wait until every check-in being sent to `chat_id` right now has its outcome recorded
        (words typed in answer to one the moment it arrived must find it sent)."""
        for chat, done in list(self._delivering.values()):
            if chat == chat_id:
                await done.wait()

    async def _send_batch(self, batch: list[Claimed], claimed_at: datetime) -> int:
        limit = asyncio.Semaphore(self._concurrency)
        lease = _Lease(self._checkins, self._clock, [c.checkin.id for c in batch], claimed_at)

        async def deliver(claimed: Claimed) -> bool:
            async with limit:
                done = asyncio.Event()
                self._delivering[claimed.checkin.id] = (claimed.checkin.chat_id, done)
                try:
                    return await self._deliver(claimed, lease)
                except StorageUnavailable as exc:
                    # Before the send: nothing went out; the claim is taken back after its lease.
                    _LOGGER.warning("Check-in %s not sent: %s", claimed.checkin.id, exc)
                    return False
                finally:
                    lease.done(claimed.checkin.id)
                    del self._delivering[claimed.checkin.id]
                    done.set()

        keeper = asyncio.create_task(self._keep_leases(lease))
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(deliver(c)) for c in batch]
        finally:
            # Not cancelled: a renewal in the middle of its transaction finishes first.
            lease.open.clear()
            self._tick.set()
            await keeper
        return sum(1 for t in tasks if t.result())

    async def _keep_leases(self, lease: _Lease) -> None:
        """Renew the batch's leases while it is being sent: every RENEW_AFTER of real time,
        and whenever the clock is moved (a test's, the terminal chat's)."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._tick.wait(), RENEW_AFTER.total_seconds())
            self._tick.clear()
            if not lease.open:
                return
            try:
                await lease.renew_if_older(RENEW_AFTER)
            except StorageUnavailable as exc:
                _LOGGER.warning("Could not renew the check-in claims: %s", exc)

    async def _deliver(self, claimed: Claimed, lease: _Lease) -> bool:
        checkin = claimed.checkin
        if checkin.id in lease.lost:
            return False  # taken back while it waited: another dispatcher has it now
        if self._hold_until is not None:
            await self._checkins.retry_at(checkin.id, self._hold_until, "held: flood control")
            return False
        outgoing = await self._compose(checkin, claimed.folded)
        if outgoing is None:
            await self._checkins.finish(checkin.id, "cancelled", "nothing left to ask")
            return False
        if isinstance(outgoing, Later):
            await self._checkins.retry_at(checkin.id, outgoing.until, outgoing.reason)
            return False
        await self._keep_chat_pace(checkin.chat_id)
        if not await lease.holds(checkin.id):
            return False
        # Through the bot's rate limiter when it has ours (a plain bot sends directly, and
        # python-telegram-bot refuses rate_limit_args without a limiter).
        single = isinstance(self._bot.rate_limiter, CoachRateLimiter)
        try:
            message = await self._bot.send_message(
                checkin.chat_id,
                outgoing.text,
                parse_mode=ParseMode.HTML,
                reply_markup=outgoing.markup,
                link_preview_options=NO_PREVIEW,
                message_thread_id=outgoing.thread_id,
                allow_paid_broadcast=(
                    True if self._paid_broadcast and checkin.user_id is not None else None
                ),
                rate_limit_args=SINGLE_ATTEMPT if single else None,
            )
        except RetryAfter as exc:
            await self._flood_control(checkin, retry_after_seconds(exc))
            return False
        except ChatMigrated as exc:  # a group became a supergroup: due again, at its new id
            await self._checkins.retry_at(checkin.id, self._clock.now(), exc.message)
            await self._group_refused(checkin, exc)
            return False
        except Forbidden as exc:
            await self._unreachable(checkin, exc.message)
            self._count_failed(checkin)
            await self._group_refused(checkin, exc)
            return False
        except BadRequest as exc:
            # Not transient (chat gone, text refused): retrying would fail the same way.
            await self._checkins.finish(checkin.id, "failed", exc.message, checkin.attempts + 1)
            self._count_failed(checkin)
            _LOGGER.warning("Check-in %s refused by Telegram: %s", checkin.id, exc.message)
            await self._group_refused(checkin, exc)
            return False
        except NetworkError as exc:  # TimedOut included
            await self._network_error(checkin, exc)
            return False
        self._last_sent[checkin.chat_id] = asyncio.get_running_loop().time()
        if self.metrics is not None:
            self.metrics.checkin_sent(_kind(checkin))
        try:
            await self._checkins.mark_sent(checkin, message.message_id, Kind(checkin.kind).family)
        except StorageUnavailable as exc:
            # Telegram has it; left claimed, it would go out again once its lease ran out.
            self._unrecorded.append((checkin, message.message_id))
            _LOGGER.warning("Check-in %s sent, recorded when storage is back: %s", checkin.id, exc)
        if outgoing.follow_up is not None:
            try:
                await outgoing.follow_up(message)
            except TelegramError as exc:
                _LOGGER.warning("Follow-up of check-in %s not sent: %s", checkin.id, exc)
        return True

    async def _record_unrecorded(self) -> None:
        """Record sends the database missed; raises StorageUnavailable while it still fails."""
        while self._unrecorded:
            checkin, message_id = self._unrecorded[0]
            await self._checkins.mark_sent(checkin, message_id, Kind(checkin.kind).family)
            self._unrecorded.pop(0)

    async def _group_refused(self, checkin: CheckIn, error: TelegramError) -> None:
        if checkin.user_id is None and self._on_group_refused is not None:
            await self._on_group_refused(checkin, error)

    async def _flood_control(self, checkin: CheckIn, seconds: float) -> None:
        due = self._clock.now() + timedelta(seconds=seconds)
        self._hold_until = max(self._hold_until or due, due)
        await self._checkins.retry_at(checkin.id, due, f"RetryAfter {seconds:g}s")
        _LOGGER.warning("Flood control: check-in %s retries in %g s", checkin.id, seconds)

    async def _unreachable(self, checkin: CheckIn, reason: str) -> None:
        if checkin.user_id is None:
            await self._checkins.finish(checkin.id, "failed", reason)
            return
        cancelled = await self._checkins.deactivate_user(checkin.user_id, checkin.id, reason)
        _LOGGER.info(
            "User %s cannot be reached (%s); cancelled %d more check-ins",
            checkin.user_id,
            reason,
            cancelled,
        )

    async def _network_error(self, checkin: CheckIn, exc: NetworkError) -> None:
        attempts = checkin.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            await self._checkins.finish(checkin.id, "failed", str(exc), attempts)
            self._count_failed(checkin)
            _LOGGER.warning("Check-in %s failed after %d attempts: %s", checkin.id, attempts, exc)
            return
        due = self._clock.now() + backoff(attempts)
        await self._checkins.retry_at(checkin.id, due, str(exc), attempts)
        _LOGGER.info("Check-in %s: %s; attempt %d, retrying later", checkin.id, exc, attempts)

    def _count_failed(self, checkin: CheckIn) -> None:
        if self.metrics is not None:
            self.metrics.checkin_failed(_kind(checkin))

    async def _keep_chat_pace(self, chat_id: int) -> None:
        """Never more than one dispatcher message per second to one chat."""
        last = self._last_sent.get(chat_id)
        if last is None:
            return
        wait = last + self._gap - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)

    def _forget_old_sends(self) -> None:
        horizon = asyncio.get_running_loop().time() - self._gap
        for chat_id in [c for c, t in self._last_sent.items() if t < horizon]:
            del self._last_sent[chat_id]


def _kind(checkin: CheckIn) -> str:
    """/metrics' label: a person's check-in, or a group's post (no user)."""
    return "group" if checkin.user_id is None else "private"
