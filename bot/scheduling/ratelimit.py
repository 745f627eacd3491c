"""The rate limiter: python-telegram-bot's AIORateLimiter, plus single-attempt sends.

AIORateLimiter keeps the bot under Telegram's overall (~30 messages/s) and per-group
(20/minute) limits, and on a 429 it sleeps and retries, holding back every other request.
That is right for replies to a user who is waiting. The check-in dispatcher wants the 429
itself instead: the database is its queue, so it puts the check-in back with a new due time
and moves on. It passes `rate_limit_args=SINGLE_ATTEMPT` to get that.

AIORateLimiter's limiters (aiolimiter) are leaky buckets: after a quiet spell they let a whole
period's worth through at once, then the steady rate, so one second could see about 60
messages at "30 per second" (measured: benchmarks/README.md). Telegram counts per second, so
the overall and per-group limits here are sliding windows (`WindowLimiter`).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

SINGLE_ATTEMPT = -1
"""`rate_limit_args` value: throttle as usual, but raise RetryAfter instead of retrying."""


# The window is kept this much longer than the period: a request reaches Telegram a moment
# after it leaves the limiter, and that moment varies.
WINDOW_MARGIN = 0.05


class WindowLimiter(AsyncLimiter):
    """At most `max_rate` acquisitions in any `time_period` (a sliding window), first come first
    served; an AsyncLimiter (leaky bucket) in every other respect python-telegram-bot uses."""

    def __init__(self, max_rate: float, time_period: float = 60) -> None:
        super().__init__(max_rate, time_period)
        self._window = time_period * (1 + WINDOW_MARGIN)
        self._starts: deque[float] = deque()
        self._turn = asyncio.Lock()

    def _forget(self, now: float) -> None:
        while self._starts and self._starts[0] <= now - self._window:
            self._starts.popleft()

    def has_capacity(self, amount: float = 1) -> bool:
        """Whether `amount` acquisitions would go through now."""
        self._forget(time.monotonic())
        return len(self._starts) + amount <= self.max_rate

    async def acquire(self, amount: float = 1) -> None:
        """Wait until the window has room, then take it."""
        async with self._turn:
            while True:
                now = time.monotonic()
                self._forget(now)
                if len(self._starts) + amount <= self.max_rate:
                    break
                await asyncio.sleep(self._starts[0] + self._window - now)
            self._starts.extend([time.monotonic()] * max(1, round(amount)))


class _Deferred(Exception):
    """Carries a RetryAfter past AIORateLimiter's retry loop."""

    def __init__(self, error: RetryAfter) -> None:
        super().__init__(str(error))
        self.error = error


class CoachRateLimiter(AIORateLimiter):
    """AIORateLimiter with sliding windows, and single-attempt requests (see module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._base_limiter is not None:
            self._base_limiter = WindowLimiter(
                self._base_limiter.max_rate, self._base_limiter.time_period
            )

    def _get_group_limiter(self, group_id: str | int | bool) -> AsyncLimiter:
        limiter = self._group_limiters.get(group_id)
        if limiter is None:
            if len(self._group_limiters) > 512:  # forget groups quiet for a whole window
                for key, idle in list(self._group_limiters.items()):
                    if idle.has_capacity(idle.max_rate):
                        del self._group_limiters[key]
            limiter = WindowLimiter(self._group_max_rate, self._group_time_period)
            self._group_limiters[group_id] = limiter
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
        """Throttle a request; with SINGLE_ATTEMPT a 429 is raised rather than retried."""
        if rate_limit_args != SINGLE_ATTEMPT:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        async def once(*call_args: Any, **call_kwargs: Any) -> bool | JSONDict | list[JSONDict]:
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter as exc:
                raise _Deferred(exc) from None

        try:
            return await super().process_request(once, args, kwargs, endpoint, data, None)
        except _Deferred as deferred:
            raise deferred.error from None
