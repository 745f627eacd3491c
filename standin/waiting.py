"""Waiting without sleeping: every request and change wakes the waiters up to re-check.

The Application reports each update it has fully handled with ``api.mark_processed`` (wired
by :class:`standin.request.StandinUpdateProcessor`); ``wait_processed``, ``wait_idle`` and
``wait_for`` wait on that or on any condition, with a timeout that says what was missing.
In webhook mode an update the webhook acknowledged (HTTP 2xx) counts as processed too (a
bot in another process can't report more), unless the Application reports what it handled
(``report_processed``/``StandinUpdateProcessor`` set ``api.webhook_ack_means_processed``
to False; see :mod:`standin.webhooks`).
"""

# The waiting helpers take a `timeout` argument on purpose (test-facing API).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from standin.world import World

__all__ = ["Waiting"]

T = TypeVar("T")


class Waiting(World):
    """``mark_processed`` and the ``wait_*`` helpers."""

    def mark_processed(self, update_id: int) -> None:
        """Called by the Application once an update has been fully handled."""
        self._processed.add(update_id)
        self._notify()

    def is_processed(self, update_id: int) -> bool:
        return update_id in self._processed or (
            self.webhook_ack_means_processed and update_id in self._acknowledged
        )

    async def wait_processed(self, update_id: int, timeout: float = 10.0) -> None:
        def describe() -> str:
            if update_id in self._dropped:
                where = "it was dropped (drop_pending_updates or not in allowed_updates)"
            elif self.webhook_url or update_id in self._acknowledged:
                where = (
                    "the webhook acknowledged it but it was never reported processed"
                    if update_id in self._acknowledged
                    else "the webhook has not acknowledged it"
                )
            elif update_id in self._delivered:
                where = (
                    "it was fetched with getUpdates but never reported processed (is "
                    "StandinUpdateProcessor / api.mark_processed wired into the Application?)"
                )
            else:
                where = "the bot never fetched it with getUpdates (is the Application polling?)"
            return f"update {update_id} not processed within {timeout}s: {where}"

        await self._wait_until(lambda: self.is_processed(update_id), timeout, describe)

    async def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until every queued update has been processed (or dropped, never to be)."""

        def idle() -> bool:
            return all(
                self.is_processed(u["update_id"]) or u["update_id"] in self._dropped
                for u in self.updates
            )

        await self._wait_until(idle, timeout, lambda: f"updates still unprocessed after {timeout}s")

    async def wait_for(
        self, predicate: Callable[[], T], timeout: float = 10.0, message: str | None = None
    ) -> T:
        """Wait until ``predicate()`` is truthy (re-checked after every request/change)."""

        def describe() -> str:
            last = self.requests[-1].method if self.requests else "none"
            return (
                f"{message or 'condition'} not met within {timeout}s "
                f"({len(self.requests)} requests so far, last: {last})"
            )

        return await self._wait_until(predicate, timeout, describe)

    async def _wait_until(
        self, predicate: Callable[[], T], timeout: float, describe: Callable[[], str]
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(describe())
            event = asyncio.Event()
            self._waiters.add(event)
            try:
                # not asyncio.wait_for: on 3.11 it swallows a cancel that comes with the event
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(event)
