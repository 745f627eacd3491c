"""Webhook delivery: while a webhook is set, POST every pending update to it, as Telegram does.

``setWebhook`` (:mod:`standin.methods.updates`) starts a delivery task on the running event
loop.  It POSTs each pending update as JSON (``Content-Type: application/json`` and, when a
secret was set, ``X-Telegram-Bot-Api-Secret-Token``), oldest update first, with up to
``max_connections`` requests in flight and without holding a chat's next update back
(ordering within a chat is the bot's job).  Only an HTTP 2xx answer delivers an update; any
other status, a refused or reset connection or no answer within ``api.webhook_timeout``
leaves it pending, to be retried after a backoff (``api.webhook_retry_delay`` doubling up
to ``api.webhook_max_retry_delay``) and noted in ``getWebhookInfo``'s ``last_error_*``.

``api.webhook_targets`` stands in for a load balancer in front of several workers: each
attempt goes to the next URL of that list (so a retry after a refused connection reaches
another worker) instead of the registered URL.  ``api.webhook_deliveries`` records every
attempt; ``acknowledged``/``wait_acknowledged`` tell when an update was delivered.
``stop_webhooks`` (called by ``StandinServer.stop``) ends the delivery task.
"""

# The waiting helpers take a `timeout` argument on purpose (test-facing API).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING

from standin.records import JSON, WebhookDelivery
from standin.waiting import Waiting

if TYPE_CHECKING:
    import aiohttp

__all__ = ["SECRET_HEADER", "Webhooks"]

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class Webhooks(Waiting):
    """Delivering updates to the webhook, and the helpers tests wait on."""

    def acknowledged(self, update_id: int) -> bool:
        """Whether the webhook acknowledged (HTTP 2xx) this update."""
        return update_id in self._acknowledged

    async def wait_acknowledged(self, update_id: int, timeout: float = 10.0) -> None:
        def describe() -> str:
            attempts = self._attempts(update_id)
            return f"update {update_id} not acknowledged within {timeout}s: {attempts}"

        await self._wait_until(lambda: update_id in self._acknowledged, timeout, describe)

    def deliveries(self, update_id: int) -> list[WebhookDelivery]:
        """The delivery attempts of one update, oldest first."""
        return [d for d in self.webhook_deliveries if d.update_id == update_id]

    @property
    def webhook_in_flight(self) -> int:
        """How many deliveries are waiting for the webhook's answer now."""
        return len(self._webhook_in_flight)

    async def stop_webhooks(self) -> None:
        """End the delivery task (in-flight requests are cancelled and stay pending)."""
        task, self._webhook_task = self._webhook_task, None
        if task is None or task.done():
            return
        if task.get_loop() is not asyncio.get_running_loop():
            return  # started on a loop that is gone or not ours: nothing to wait for here
        task.cancel()
        await asyncio.wait([task])

    def _attempts(self, update_id: int) -> str:
        attempts = self.deliveries(update_id)
        if attempts:
            last = attempts[-1]
            outcome = f"HTTP {last.status}" if last.status is not None else last.error
            return f"{len(attempts)} delivery attempts, the last to {last.target}: {outcome}"
        if update_id in self._dropped:
            return "it was dropped (drop_pending_updates or not in allowed_updates)"
        if not self.webhook_url:
            return "no webhook is set"
        return "never sent to the webhook yet"

    def _ensure_webhook_delivery(self) -> None:
        loop = asyncio.get_running_loop()
        task = self._webhook_task
        if task is None or task.done() or task.get_loop() is not loop:
            self._webhook_task = loop.create_task(
                self._deliver_webhooks(), name="standin-webhook-delivery"
            )

    def _next_webhook_target(self) -> str:
        targets = self.webhook_targets
        if not targets:
            return self.webhook_url
        target = targets[self._webhook_turn % len(targets)]
        self._webhook_turn += 1
        return target

    async def _deliver_webhooks(self) -> None:
        import aiohttp  # the 'standin' extra; a plain install never sets a webhook

        loop = asyncio.get_running_loop()
        tasks: set[asyncio.Task[None]] = set()
        session = aiohttp.ClientSession()
        try:
            while self.webhook_url or tasks:
                next_retry: float | None = None
                if self.webhook_url:
                    self._drop_disallowed()
                    now = loop.time()
                    for update in list(self._pending):
                        if len(self._webhook_in_flight) >= self.webhook_max_connections:
                            break
                        update_id = update["update_id"]
                        if update_id in self._webhook_in_flight:
                            continue
                        due = self._webhook_retry_at.get(update_id, 0.0)
                        if due > now:
                            next_retry = due if next_retry is None else min(next_retry, due)
                            continue
                        self._webhook_in_flight.add(update_id)
                        task = loop.create_task(self._post_update(session, update))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
                await self._wait_change(None if next_retry is None else next_retry - loop.time())
        finally:
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks)
            self._webhook_in_flight.clear()
            await session.close()

    async def _wait_change(self, timeout: float | None) -> None:
        event = asyncio.Event()
        self._waiters.add(event)
        try:
            # not asyncio.wait_for: on 3.11 it swallows a cancel that comes with the event
            async with asyncio.timeout(timeout):
                await event.wait()
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(event)

    async def _post_update(self, session: aiohttp.ClientSession, update: JSON) -> None:
        import aiohttp

        update_id = update["update_id"]
        target = self._next_webhook_target()
        headers = {"Content-Type": "application/json"}
        if self.webhook_secret:
            headers[SECRET_HEADER] = self.webhook_secret
        body = json.dumps(update, ensure_ascii=False).encode("utf-8")
        self._delivered.add(update_id)
        status: int | None = None
        reason = ""
        error: str | None = None
        try:
            async with session.post(
                target,
                data=body,
                headers=headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
            ) as response:
                status, reason = response.status, response.reason or ""
                await response.read()
        except TimeoutError:
            error = "Read timeout expired"
        except aiohttp.ClientConnectorError:
            error = "Connection refused"
        except aiohttp.ServerDisconnectedError:
            error = "Connection reset by peer"
        except aiohttp.ClientError as exc:
            error = f"Connection failed: {exc}"
        finally:
            self._webhook_in_flight.discard(update_id)
        attempt = WebhookDelivery(target, update_id, status, error, self.now())
        self.webhook_deliveries.append(attempt)
        if attempt.ok:
            self._acknowledged.add(update_id)
            self._pending = [u for u in self._pending if u["update_id"] != update_id]
            self._webhook_attempts.pop(update_id, None)
            self._webhook_retry_at.pop(update_id, None)
        else:
            failures = self._webhook_attempts.get(update_id, 0) + 1
            self._webhook_attempts[update_id] = failures
            delay = min(
                self.webhook_retry_delay * 2 ** (failures - 1), self.webhook_max_retry_delay
            )
            self._webhook_retry_at[update_id] = asyncio.get_running_loop().time() + delay
            message = error or f"Wrong response from the webhook: {status} {reason}".rstrip()
            self.webhook_last_error_date = int(self.now())
            self.webhook_last_error_message = message
            logger.info(
                "webhook delivery of update %s to %s failed (%s); retrying in %.1fs",
                update_id,
                target,
                message,
                delay,
            )
        self._notify()
