"""The rate limiter: python-telegram-bot's AIORateLimiter, plus single-attempt sends.

AIORateLimiter keeps the bot under Telegram's overall (~30 messages/s) and per-group
(20/minute) limits, and on a 429 it sleeps and retries, holding back every other request.
That is right for replies to a user who is waiting. The check-in dispatcher wants the 429
itself instead: the database is its queue, so it puts the check-in back with a new due time
and moves on. It passes `rate_limit_args=SINGLE_ATTEMPT` to get that.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

SINGLE_ATTEMPT = -1
"""`rate_limit_args` value: throttle as usual, but raise RetryAfter instead of retrying."""


class _Deferred(Exception):
    """Carries a RetryAfter past AIORateLimiter's retry loop."""

    def __init__(self, error: RetryAfter) -> None:
        super().__init__(str(error))
        self.error = error


class CoachRateLimiter(AIORateLimiter):
    """AIORateLimiter that also supports single-attempt requests (see module docstring)."""

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
