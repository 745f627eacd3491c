"""The rate limiter: Telegram's overall and per-group limits as sliding windows, and
single-attempt sends, on python-telegram-bot's public `BaseRateLimiter`.

Every request to a chat waits for room in the overall window (about 30 messages a second), and
every request to a group also for the group's (20 a minute). On a 429 the request sleeps for the
time Telegram asked and retries (up to `max_retries`), holding back every other request
meanwhile. That is right for replies to a user who is waiting. The check-in dispatcher wants the
429 itself instead: the database is its queue, so it puts the check-in back with a new due time
and moves on. It passes `rate_limit_args=SINGLE_ATTEMPT` to get that.

Windows rather than leaky buckets (aiolimiter, which AIORateLimiter uses): a leaky bucket lets a
whole period's worth through after a quiet spell and then the steady rate, so one second could
see about 60 messages at "30 per second" (measured: benchmarks/README.md). Telegram counts per
second.

Several workers (webhook mode) share Telegram's limits by a fair share: `set_share(n)` gives
this process 1/n of every limit, and the heartbeat (bot/storage/workers.py) keeps n the number
of workers alive. Shares are rounded down, so n workers together never exceed the limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, Protocol

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

_LOGGER = logging.getLogger(__name__)
JSONDict = dict[str, Any]

SINGLE_ATTEMPT = -1
"""`rate_limit_args` value: throttle as usual, but raise RetryAfter instead of retrying."""


# The window is kept this much longer than the period: a request reaches Telegram a moment
# after it leaves the limiter, and that moment varies.
WINDOW_MARGIN = 0.05


class RetryAfterCounter(Protocol):
    """Counts Telegram's 429 answers (bot.observability.Metrics)."""

    def retry_after(self) -> None: ...


def shared(limit: tuple[int, float], workers: int) -> tuple[int, float]:
    """One worker's share of `limit` (max_rate, time_period) among `workers`: the rate divided
    and rounded down; below one per period, one per a longer period instead."""
    rate, period = limit
    if workers <= 1:
        return rate, period
    if rate >= workers:
        return rate // workers, period
    return 1, period * workers / rate


class LimiterTime(Protocol):
    """The limiter's seconds: real ones, or a benchmark's moved clock (benchmarks/peak.py)."""

    def now(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` on that clock."""
        ...


class RealTime:
    """`time.monotonic` and `asyncio.sleep`: what the bot runs on."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


REAL_TIME = RealTime()


class WindowLimiter:
    """At most `max_rate` acquisitions in any `time_period` seconds (a sliding window), first
    come first served."""

    def __init__(
        self, max_rate: float, time_period: float = 60, *, clock: LimiterTime = REAL_TIME
    ) -> None:
        self.max_rate = max_rate
        self.time_period = time_period
        self._clock = clock
        self._window = time_period * (1 + WINDOW_MARGIN)
        self._starts: deque[float] = deque()
        self._turn = asyncio.Lock()

    def resize(self, max_rate: float, time_period: float) -> None:
        """Change the limit; what was taken in the window so far still counts."""
        self.max_rate = max_rate
        self.time_period = time_period
        self._window = time_period * (1 + WINDOW_MARGIN)

    def _forget(self, now: float) -> None:
        while self._starts and self._starts[0] <= now - self._window:
            self._starts.popleft()

    def has_capacity(self, amount: float = 1) -> bool:
        """Whether `amount` acquisitions would go through now."""
        self._forget(self._clock.now())
        return len(self._starts) + amount <= self.max_rate

    async def acquire(self, amount: float = 1) -> None:
        """Wait until the window has room, then take it."""
        async with self._turn:
            while True:
                now = self._clock.now()
                self._forget(now)
                if len(self._starts) + amount <= self.max_rate:
                    break
                await self._clock.sleep(self._starts[0] + self._window - now)
            self._starts.extend([self._clock.now()] * max(1, round(amount)))


class CoachRateLimiter(BaseRateLimiter[int]):
    """Overall and per-group sliding windows; retries on 429, or single attempts (see the
    module docstring)."""

    # Telegram's documented limits: ~30 messages a second overall, 20 a minute per group; up
    # to 1,000 a second for messages sent with allow_paid_broadcast (charged in Stars).
    OVERALL = (30, 1.0)
    PAID_OVERALL = (1000, 1.0)
    PER_GROUP = (20, 60.0)
    GROUPS_KEPT = 512  # beyond this, groups quiet for a whole window are forgotten

    def __init__(
        self,
        max_retries: int = 0,
        *,
        metrics: RetryAfterCounter | None = None,
        clock: LimiterTime = REAL_TIME,
    ) -> None:
        self.max_retries = max_retries
        self.metrics = metrics
        self.clock = clock
        self.share = 1  # how many workers share Telegram's limits (set_share)
        self.overall = WindowLimiter(*self.OVERALL, clock=clock)
        self.paid_overall = WindowLimiter(*self.PAID_OVERALL, clock=clock)
        self._groups: dict[int | str, WindowLimiter] = {}
        self._retry_after = asyncio.Event()
        self._retry_after.set()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    def set_share(self, workers: int) -> None:
        """Take 1/`workers` of every limit (overall, paid, each group's): this process's fair
        share while `workers` processes send for the same bot. `set_share(1)`: the whole."""
        workers = max(1, workers)
        if workers == self.share:
            return
        _LOGGER.info("Sending at 1/%d of Telegram's limits (%d workers alive)", workers, workers)
        self.share = workers
        self.overall.resize(*shared(self.OVERALL, workers))
        self.paid_overall.resize(*shared(self.PAID_OVERALL, workers))
        group = shared(self.PER_GROUP, workers)
        for limiter in self._groups.values():
            limiter.resize(*group)

    def group_limiter(self, group_id: int | str) -> WindowLimiter:
        """The window of one group (created on first use)."""
        limiter = self._groups.get(group_id)
        if limiter is None:
            if len(self._groups) > self.GROUPS_KEPT:
                for key, idle in list(self._groups.items()):
                    if idle.has_capacity(idle.max_rate):
                        del self._groups[key]
            limiter = WindowLimiter(*shared(self.PER_GROUP, self.share), clock=self.clock)
            self._groups[group_id] = limiter
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Throttle a request; retry it on 429, or with SINGLE_ATTEMPT raise the 429."""
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        group = (
            chat_id
            if isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)
            else None
        )
        retries = 0 if rate_limit_args == SINGLE_ATTEMPT else self.max_retries
        for attempt in range(retries + 1):
            try:
                paid = bool(data.get("allow_paid_broadcast"))
                async with self._slots(chat_id is not None, group, paid):
                    await self._retry_after.wait()
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if self.metrics is not None:
                    self.metrics.retry_after()
                if attempt == retries:
                    raise
                pause = exc.retry_after
                seconds = pause if isinstance(pause, int | float) else pause.total_seconds()
                _LOGGER.info("Telegram asked to wait %.1f s (%s); retrying", seconds, endpoint)
                self._retry_after.clear()
                try:
                    await self.clock.sleep(seconds + 0.1)
                finally:
                    self._retry_after.set()
        raise AssertionError("unreachable")  # the loop returns or raises

    @contextlib.asynccontextmanager
    async def _slots(
        self, to_chat: bool, group: int | str | None, paid: bool
    ) -> AsyncIterator[None]:
        if group is not None:
            await self.group_limiter(group).acquire()
        if to_chat:
            await (self.paid_overall if paid else self.overall).acquire()
        yield


def checkins_per_second(paid_broadcast: bool) -> float:
    """How many private check-ins a second Telegram lets the bot send, all workers together:
    what a backlog clears at (docs/checkins.md, "Peak hours")."""
    rate, period = CoachRateLimiter.PAID_OVERALL if paid_broadcast else CoachRateLimiter.OVERALL
    return rate / period
