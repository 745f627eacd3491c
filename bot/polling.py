"""Long polling that loses nothing to a crash: every fetched batch is stored before it is
acknowledged, and every stored update is handled, after a restart if need be.

python-telegram-bot's Updater acknowledges a batch (the next getUpdates offset) before the batch
is handled, so a process killed in between loses what it had fetched. `InboxUpdater` is an
Updater whose polling loop commits each batch to the inbox (bot/storage/inbox.py) and only then
asks for more; the application's update processor empties an update's row once it was handled
(`InboxUpdater.handled`). At start the rows not yet handled are handed to the application
first, in order. Telegram is asked from past the inbox's newest row on (the watermark), so it
never hands back an update that was already stored, and nothing is handled twice because of a
redelivery.

An update the safety screen flags is stored without its words; handed over again after a
restart it carries `SCREENED_KEY` instead, which the screen in front of the flows honours.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Updater

from bot.intake import SCREENED_KEY, incoming
from bot.storage.chat_locks import ChatLocks, LocalChatLocks
from bot.storage.database import StorageUnavailable
from bot.storage.inbox import Stored
from bot.storage.interfaces import InboxRepository
from bot.transport import FetchedUpdates

if TYPE_CHECKING:
    from aiohttp import web

_LOGGER = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0
RETRY_DEFERRED_SECONDS = 1.0
# Webhook mode: chats a worker holds at once (one update each in the application), and how often
# it looks at the inbox when nothing woke it (another worker stored an update, or was killed).
MAX_CHATS_TAKEN = 64
TAKE_POLL_SECONDS = 0.5
# Webhook mode: how many retry rounds (about a second each) between purges of the handled ids.
FORGET_HANDLED_ROUNDS = 600


class InboxUpdater(Updater):
    """An Updater whose long polling stores each batch before acknowledging it; in webhook
    mode its endpoint stores each update, and it takes them from the inbox chat by chat."""

    def __init__(
        self,
        bot: Bot,
        update_queue: asyncio.Queue[object],
        inbox: InboxRepository,
        locks: ChatLocks | None = None,
        fetched: FetchedUpdates | None = None,
    ) -> None:
        super().__init__(bot, update_queue)
        self.inbox = inbox
        # The request getUpdates goes through, when it keeps the updates as Telegram sent them.
        self._fetched = fetched
        self.locks: ChatLocks = locks if locks is not None else LocalChatLocks()
        # Webhook mode: the routes served beside the webhook (/healthz, /metrics).
        self.extra_routes: Sequence[web.RouteDef] = ()
        self._webhook = False
        self._server: web.AppRunner | None = None
        # The update each chat this worker holds is handling (the chat's lock is this worker's
        # until its row is gone), by update id; `_wake` says the inbox may have something new.
        self._holding: dict[int, int] = {}
        self._wake = asyncio.Event()
        self.handed_back: set[int] = set()
        self._polling = False
        self._task: asyncio.Task[None] | None = None
        self._retries: asyncio.Task[None] | None = None
        # Fetched while the database could not store them: not acknowledged (Telegram hands
        # them out again after a crash), stored once it can; `_seen` keeps a batch fetched
        # again meanwhile from being handled twice.
        self._held: dict[int, Update] = {}
        self._seen: set[int] = set()
        # Their handling met a storage fault (the person was told it will be taken as soon as
        # possible). `_failed` marks it while that handling still runs; once it is done the
        # update waits in `_deferred` and is handled again, in order, once the database works.
        # Never queued again while a copy is still being handled: two copies would race, and
        # the first to finish would clear the row the other still needs after a crash.
        self._failed: set[int] = set()
        self._deferred: dict[int, Update] = {}
        self._told: set[int] = set()
        # Handled, but their rows could not be removed (a storage fault): removed by the retry.
        self._uncleared: set[int] = set()
        # Queued and not yet reported handled (hand-backs aside): never queued twice.
        self._in_flight: set[int] = set()
        # Rounds of the retry of deferred updates so far, and the event the next one sets.
        self._retry_rounds = 0
        self._next_round = asyncio.Event()

    @property
    def running(self) -> bool:
        """Whether the polling loop runs."""
        return self._polling

    async def start_polling(
        self,
        poll_interval: float = 0.0,
        timeout: int | timedelta = 10,  # noqa: ASYNC109 (python-telegram-bot's parameter)
        bootstrap_retries: int = 0,
        allowed_updates: Sequence[str] | None = None,
        drop_pending_updates: bool | None = None,
        error_callback: Callable[[TelegramError], None] | None = None,
    ) -> asyncio.Queue[object]:
        """Hand over what the inbox still holds, then poll from the watermark on."""
        if self._polling:
            raise RuntimeError("This Updater is already running!")
        await self._delete_webhook(bootstrap_retries, bool(drop_pending_updates))
        self._polling = True
        # Before the stored updates are handled (bot.storage.inbox: the newest row, handled or
        # not, is the watermark).
        offset = await self.inbox.resume_offset()
        left = await self.inbox.unfinished()
        if left:
            _LOGGER.info("Handling %d updates stored before the last stop", len(left))
        for stored in left:
            await self._queue(self._revive(stored))
        self._retries = asyncio.create_task(self._retry_deferred(), name="comeback:inbox-retry")
        self._task = asyncio.create_task(
            self._poll(
                offset,
                timeout,
                poll_interval,
                list(allowed_updates) if allowed_updates is not None else None,
                error_callback,
            ),
            name="comeback:inbox-polling",
        )
        return self.update_queue

    async def start_webhook(
        self,
        listen: Any = "127.0.0.1",
        port: Any = 80,
        url_path: str = "",
        cert: Any = None,
        key: Any = None,
        bootstrap_retries: int = 0,
        webhook_url: str | None = None,
        allowed_updates: Sequence[str] | None = None,
        drop_pending_updates: bool | None = None,
        ip_address: str | None = None,
        max_connections: int = 40,
        secret_token: str | None = None,
        unix: Any = None,
    ) -> asyncio.Queue[object]:
        """Serve the webhook (bot/webhook.py), register it, and take updates from the inbox."""
        if self._polling:
            raise RuntimeError("This Updater is already running!")
        if webhook_url is None or secret_token is None:
            raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET_TOKEN")
        from bot.webhook import WebhookEndpoint, serve, webhook_app

        kinds = list(allowed_updates) if allowed_updates is not None else []
        endpoint = WebhookEndpoint(self.bot, self.inbox, secret_token, kinds, self._wake.set)
        path = "/" + url_path.strip("/")
        app = webhook_app(endpoint, path, self.extra_routes)
        self._server = await serve(app, str(listen), int(port))
        self._polling = self._webhook = True
        _LOGGER.info("Serving the webhook on %s", self.webhook_address)
        # Registering it from every worker is harmless: Telegram keeps the last, the same URL.
        await self._set_webhook(
            bootstrap_retries,
            url=webhook_url,
            secret_token=secret_token,
            allowed_updates=kinds or None,
            max_connections=max_connections,
            drop_pending_updates=drop_pending_updates,
        )
        self._retries = asyncio.create_task(self._retry_deferred(), name="comeback:inbox-retry")
        self._task = asyncio.create_task(self._take_loop(), name="comeback:inbox-take")
        return self.update_queue

    @property
    def webhook_address(self) -> str | None:
        """Where the webhook is served (host:port, the port chosen when it was 0), or None."""
        if self._server is None or not self._server.addresses:
            return None
        host, port = self._server.addresses[0][:2]
        return f"{host}:{port}"

    async def _set_webhook(self, retries: int, **kwargs: Any) -> None:
        await _at_start(lambda: self.bot.set_webhook(**kwargs), retries)

    async def _take_loop(self) -> None:
        """Take what the inbox holds, whenever the endpoint stored something, a chat's update
        was handled, or `TAKE_POLL_SECONDS` passed (another worker stored it, or was killed)."""
        while True:
            self._wake.clear()
            try:
                await self._take()
            except StorageUnavailable as exc:
                _LOGGER.warning("Could not read the inbox: %s", exc)
            except Exception:
                _LOGGER.exception("Taking updates from the inbox failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), TAKE_POLL_SECONDS)

    async def _take(self) -> None:
        """Take the oldest waiting update of each chat that no worker holds, under its lock."""
        room = MAX_CHATS_TAKEN - len(self._holding)
        if room <= 0:
            return
        for stored in await self.inbox.heads(room, list(self._holding.values())):
            chat = stored.chat_key if stored.chat_key is not None else stored.update_id
            if not await self.locks.try_lock(chat):
                continue  # another worker holds it
            # Shared locks: read the chat again under its lock, its holder may have moved on.
            head = await self.inbox.head_of(chat) if self.locks.shared else stored
            if head is None:
                await self.locks.unlock(chat)
                continue
            self._holding[head.update_id] = chat
            await self._queue(self._revive(head))

    async def _release(self, update_id: int) -> None:
        """The update's row is gone: give its chat back, and look for the chat's next one."""
        chat = self._holding.pop(update_id, None)
        if chat is None:
            return
        await self.locks.unlock(chat)
        self._wake.set()

    async def stop(self) -> None:
        """Stop polling (or serving the webhook); what arrived is stored already, so nothing
        needs confirming. The chats held are given back by `close_locks`."""
        if not self._polling:
            raise RuntimeError("This Updater is not running!")
        self._polling = False
        if self._server is not None:
            server, self._server = self._server, None
            await server.cleanup()
        for task in (self._task, self._retries):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._retries = None

    async def close_locks(self) -> None:
        """Give back every chat this worker holds: after the application finished the updates
        it had taken (post-shutdown), never before, or another worker could take a chat whose
        update is still being handled here."""
        self._holding.clear()
        await self.locks.close()

    async def handled(self, update: object) -> None:
        """The application is done with `update`: remove its row (unless it was handed back to
        be handled once more; then the second pass removes it)."""
        if not isinstance(update, Update):
            return
        update_id = update.update_id
        if update_id in self.handed_back:
            self.handed_back.discard(update_id)
            return
        self._in_flight.discard(update_id)
        if update_id in self._failed:
            self._failed.discard(update_id)
            self._deferred[update_id] = update
            return  # handled again once the database works; its row stays until then
        if self._held.pop(update_id, None) is not None:
            return  # handled although it could not be stored: nothing to remove, never store it
        self._told.discard(update_id)
        try:
            await self._done(update_id)
        except StorageUnavailable as exc:
            # Cleared by the retry loop once the database works (its chat stays held until
            # then); a crash before that hands it over again, and the flows' redelivery guards
            # apply nothing twice.
            _LOGGER.warning("Could not clear update %s from the inbox: %s", update_id, exc)
            self._uncleared.add(update_id)
            return
        await self._release(update_id)

    def defer(self, update: Update) -> bool:
        """Handling `update` met a storage fault: handle it again once the database works.
        True the first time for this update (the person is told once, not at every retry)."""
        self._failed.add(update.update_id)
        if update.update_id in self._told:
            return False
        self._told.add(update.update_id)
        return True

    async def _done(self, update_id: int) -> None:
        if self._webhook:  # Telegram may send it again: remember it was handled
            await self.inbox.done_remembered(update_id)
        else:  # polling asks from past the newest row on, so nothing comes back
            await self.inbox.done(update_id)

    async def _retry_deferred(self) -> None:
        while True:
            await asyncio.sleep(RETRY_DEFERRED_SECONDS)
            if self._webhook and self._retry_rounds % FORGET_HANDLED_ROUNDS == 0:
                with contextlib.suppress(StorageUnavailable):
                    await self.inbox.forget_handled()
            await self._requeue_deferred()
            self._retry_rounds += 1
            self._next_round.set()
            self._next_round = asyncio.Event()

    async def retry_rounds_pass(self, rounds: int) -> None:
        """Return once `rounds` more rounds of the retry of deferred updates have run (what an
        operator's check or a test waits on, instead of guessing a time)."""
        target = self._retry_rounds + rounds
        while self._retry_rounds < target:
            await self._next_round.wait()

    async def _requeue_deferred(self) -> None:
        for update_id in sorted(self._uncleared):
            try:
                await self._done(update_id)
            except StorageUnavailable:
                break
            self._uncleared.discard(update_id)
            await self._release(update_id)
        deferred, self._deferred = self._deferred, {}
        for update_id in sorted(deferred):
            await self._queue(deferred[update_id])

    async def _queue(self, update: Update) -> None:
        """Queue `update` for the application unless a copy of it is queued or running."""
        if update.update_id in self._in_flight:
            return
        self._in_flight.add(update.update_id)
        await self.update_queue.put(update)

    def hand_back(self, update: Update) -> None:
        """Mark an update that a flow queues once more for the rest of the bot."""
        self.handed_back.add(update.update_id)

    async def _delete_webhook(self, retries: int, drop_pending_updates: bool) -> None:
        await _at_start(
            lambda: self.bot.delete_webhook(drop_pending_updates=drop_pending_updates), retries
        )

    def _revive(self, stored: Stored) -> Update:
        payload = dict(stored.payload)
        if stored.screened is not None:
            payload[SCREENED_KEY] = stored.screened
        update = Update.de_json(payload, self.bot)
        assert update is not None
        return update

    async def _poll(
        self,
        offset: int | None,
        timeout: int | timedelta,  # noqa: ASYNC109 (getUpdates' long-poll timeout)
        poll_interval: float,
        allowed_updates: list[str] | None,
        error_callback: Callable[[TelegramError], None] | None,
    ) -> None:
        failures = 0
        while self._polling:
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=timeout, allowed_updates=allowed_updates
                )
            except TelegramError as exc:
                failures += 1
                if error_callback is not None:
                    error_callback(exc)
                else:
                    _LOGGER.warning("Polling for updates failed: %s", exc)
                await asyncio.sleep(min(MAX_BACKOFF_SECONDS, 0.25 * 2.0**failures))
                continue
            failures = 0
            sent = self._fetched.take() if self._fetched is not None else {}
            if not updates:
                if poll_interval:
                    await asyncio.sleep(poll_interval)
                continue
            fresh = [u for u in updates if u.update_id not in self._seen]
            try:
                await self.inbox.store(
                    [
                        *(incoming(u) for u in self._held.values()),
                        *(incoming(u, sent.get(u.update_id)) for u in fresh),
                    ]
                )
            except StorageUnavailable as exc:
                # Not acknowledged: the same batch comes back with the next call (and after a
                # crash). Handled now all the same, so the person hears that their words will
                # be taken once the database works (and they are, from `_deferred`).
                _LOGGER.warning("Could not store %d fetched updates: %s", len(fresh), exc)
                for update in fresh:
                    self._held[update.update_id] = update
                    self._seen.add(update.update_id)
                    await self._queue(update)
                await asyncio.sleep(1.0)
                continue
            self._held.clear()
            self._seen.clear()
            offset = updates[-1].update_id + 1
            await self._requeue_deferred()  # older words first: each chat stays in order
            for update in fresh:
                await self._queue(update)


async def _at_start(call: Callable[[], Awaitable[object]], retries: int) -> None:
    """A Bot API call at start, tried again with backoff while the Bot API is not reachable."""
    for attempt in range(retries + 1):
        try:
            await call()
            return
        except InvalidToken:
            raise
        except NetworkError as exc:
            if attempt == retries:
                raise
            _LOGGER.warning("Bot API not reachable at start (%s); trying again", exc)
            await asyncio.sleep(min(MAX_BACKOFF_SECONDS, 2.0**attempt))
