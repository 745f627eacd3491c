"""Long polling that loses nothing to a crash: every fetched batch is stored before it is
acknowledged, and every stored update is handled, after a restart if need be.

python-telegram-bot's Updater acknowledges a batch (the next getUpdates offset) before the batch
is handled, so a process killed in between loses what it had fetched. `InboxUpdater` is an
Updater whose polling loop commits each batch to the inbox (bot/storage/inbox.py) and only then
asks for more; the application's update processor removes an update's row once it was handled
(`InboxUpdater.handled`). At start the rows left over are handed to the application first, in
order. Telegram is asked from the stored watermark on, so it never hands back an update that
was already stored, and nothing is handled twice because of a redelivery.

An update the safety screen flags is stored without its words; handed over again after a
restart it carries `SCREENED_KEY` instead, which the screen in front of the flows honours.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Updater

from bot.storage.database import StorageUnavailable
from bot.storage.inbox import Incoming, Stored
from bot.storage.interfaces import InboxRepository
from coaching.safety import CrisisSignal, detect_crisis

_LOGGER = logging.getLogger(__name__)

# Where a restored update says the screen flagged it (its words were not stored).
SCREENED_KEY = "comeback_screened"
MAX_BACKOFF_SECONDS = 30.0
RETRY_DEFERRED_SECONDS = 1.0


def words_of(update: Update) -> str | None:
    """The text or caption a person sent in this update, if any."""
    message = update.message or update.edited_message
    if message is None:
        return None
    return message.text if message.text is not None else message.caption


def screened_signal(update: Update) -> CrisisSignal | None:
    """What the screen said of a restored update whose words were left out, or None."""
    value = update.api_kwargs.get(SCREENED_KEY)
    known = {signal.value for signal in CrisisSignal}
    return CrisisSignal(value) if isinstance(value, str) and value in known else None


def incoming(update: Update) -> Incoming:
    """The inbox row of a fetched update: the words left out when the screen flags them."""
    user = update.effective_user
    payload = update.to_dict()
    words = words_of(update)
    signal = detect_crisis(words) if words else CrisisSignal.NONE
    if signal is CrisisSignal.NONE:
        return Incoming(update.update_id, user.id if user else None, payload)
    for kind in ("message", "edited_message"):
        message = payload.get(kind)
        if isinstance(message, dict):
            for field in ("text", "caption", "entities", "caption_entities"):
                message.pop(field, None)
    return Incoming(update.update_id, user.id if user else None, payload, signal.value)


class InboxUpdater(Updater):
    """An Updater whose long polling stores each batch before acknowledging it."""

    def __init__(
        self, bot: Bot, update_queue: asyncio.Queue[object], inbox: InboxRepository
    ) -> None:
        super().__init__(bot, update_queue)
        self.inbox = inbox
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
        left = await self.inbox.unfinished()
        if left:
            _LOGGER.info("Handling %d updates stored before the last stop", len(left))
        for stored in left:
            await self._queue(self._revive(stored))
        offset = await self.inbox.resume_offset()
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

    async def start_webhook(self, *args: Any, **kwargs: Any) -> asyncio.Queue[object]:
        """Not supported: Comeback long-polls (see the several-workers issue for webhooks)."""
        raise NotImplementedError("InboxUpdater only long-polls")

    async def stop(self) -> None:
        """Stop polling; what was fetched is stored already, so nothing needs confirming."""
        if not self._polling:
            raise RuntimeError("This Updater is not running!")
        self._polling = False
        for task in (self._task, self._retries):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._retries = None

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
            await self.inbox.done(update_id)
        except StorageUnavailable as exc:
            # Cleared by the retry loop once the database works; a crash before that hands it
            # over again at the restart, and the flows' redelivery guards apply nothing twice.
            _LOGGER.warning("Could not clear update %s from the inbox: %s", update_id, exc)
            self._uncleared.add(update_id)

    def defer(self, update: Update) -> bool:
        """Handling `update` met a storage fault: handle it again once the database works.
        True the first time for this update (the person is told once, not at every retry)."""
        self._failed.add(update.update_id)
        if update.update_id in self._told:
            return False
        self._told.add(update.update_id)
        return True

    async def _retry_deferred(self) -> None:
        while True:
            await asyncio.sleep(RETRY_DEFERRED_SECONDS)
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
                await self.inbox.done(update_id)
            except StorageUnavailable:
                break
            self._uncleared.discard(update_id)
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
        for attempt in range(retries + 1):
            try:
                await self.bot.delete_webhook(drop_pending_updates=drop_pending_updates)
                return
            except InvalidToken:
                raise
            except NetworkError as exc:
                if attempt == retries:
                    raise
                _LOGGER.warning("Bot API not reachable at start (%s); trying again", exc)
                await asyncio.sleep(min(MAX_BACKOFF_SECONDS, 2.0**attempt))

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
            if not updates:
                if poll_interval:
                    await asyncio.sleep(poll_interval)
                continue
            fresh = [u for u in updates if u.update_id not in self._seen]
            try:
                await self.inbox.store([incoming(u) for u in [*self._held.values(), *fresh]])
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
