"""Concurrent update processing: each chat's updates strictly in order, and every chat its turn."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram import Bot, Message, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

from bot.clock import Clock
from bot.messages import send_html
from bot.observability import Metrics
from bot.services import SERVICES_KEY
from coaching.safety import CrisisSignal, detect_crisis

_LOGGER = logging.getLogger(__name__)

# python-telegram-bot takes a slot of its own semaphore *before* handing an update over, so with
# the real limit there, one chat's queued updates could hold every slot while they wait for their
# chat. Its semaphore gets this (never reached) size; the real limit is taken after the chat's turn.
UNBOUNDED = 2**20

_GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})


class HasBotData(Protocol):
    """What the processor needs of the Application: its bot and its `bot_data` (the services)."""

    @property
    def bot(self) -> Bot: ...

    @property
    def bot_data(self) -> Any: ...


@dataclass(eq=False)
class _Chat:
    """One chat with updates in the processor; forgotten as soon as it has none."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    taken: int = 0  # its updates being handled or waiting for their turn
    dropped: int = 0  # dropped over the backlog cap in this burst
    warned: bool = False  # the slow-down notice went out in this burst


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Different chats are handled concurrently and fairly; one chat's updates run one at a time,
    in arrival order; a flooding chat is capped and repeated group commands are throttled.

    **Order and fairness.** Each update first waits for the earlier updates of its own chat (or,
    for updates without a chat, of its own user), and only then for one of
    `max_concurrent_updates` slots (default 256). Updates are started in the order they were
    fetched and asyncio locks are first-come first-served, so per-chat order is the arrival order;
    and as a chat holds at most one slot, a chat with a thousand queued updates delays another
    chat by at most one of its updates, never by its whole queue. (python-telegram-bot's own
    semaphore, taken before the update reaches this processor, is sized `UNBOUNDED` so it never
    waits.) Chats with nothing queued are forgotten: memory follows the chats active right now.

    **Backlog cap.** A chat may have `max_backlog` updates (default 50) in the processor: the one
    being handled and those waiting. Messages, edits and button presses beyond that are dropped,
    never silently: the chat gets one notice per burst (`prompts/common/slow_down.html`; a burst
    ends when the chat has caught up), and a dropped button press is still answered (no text) so
    its spinner stops. Other updates (membership changes, poll answers) are never dropped.

    **Repeated group commands.** In a group or supergroup, the same command (`/help`,
    `/help@bot`) is handled at most `group_command_limit` times (default 3) in any
    `group_command_window` (default 60 s) of the application's clock; the ones beyond are dropped
    without a reply (a group's replies are limited to 20 a minute, which they would otherwise
    use up). Commands in `member_commands` (`/join`, `/leave`, `/win`) act for the member who
    sends them, so they count per member rather than per chat.

    **Never dropped: crisis language.** Before any update is dropped, its text or caption is
    screened (`detect_crisis`); one that shows a crisis signal is handled, in order, like any
    other update.

    Dropping needs the application (for the clock, the prompts and the bot): give it with
    `attach(application)` or the `application` argument. Until then nothing is dropped; the
    order and fairness above hold either way.

    **Measured.** With the application attached, each update handled is counted in its
    services' metrics, with the seconds from reaching this processor (its chat's turn and a
    slot included) to its handlers finishing; each dropped update is counted as dropped.

    **Done.** `on_handled(update)`, if given, is awaited once the processor is done with an
    update: handled (its handlers returned or failed; the slot and the chat's turn are already
    passed on) or dropped. Not for an update cancelled before it was handled (a shutdown).
    """

    def __init__(
        self,
        max_concurrent_updates: int = 256,
        *,
        max_backlog: int = 50,
        group_command_limit: int = 3,
        group_command_window: timedelta = timedelta(seconds=60),
        member_commands: Iterable[str] = ("join", "leave", "win"),
        application: HasBotData | None = None,
        on_handled: Callable[[object], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(UNBOUNDED)
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be a positive integer")
        if max_backlog < 1 or group_command_limit < 1:
            raise ValueError("max_backlog and group_command_limit must be positive integers")
        self.limit = max_concurrent_updates
        self.max_backlog = max_backlog
        self.group_command_limit = group_command_limit
        self.group_command_window = group_command_window
        self.member_commands = frozenset(c.lower() for c in member_commands)
        self.application = application
        self.on_handled = on_handled
        self.dropped = 0  # updates dropped since start (over the cap or throttled)
        self.running = 0  # updates holding one of the `limit` slots right now
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._chats: dict[int, _Chat] = {}
        # (chat, command, member or None) -> when the command was last handled, oldest first.
        self._commands: dict[tuple[int, str, int | None], deque[datetime]] = {}
        self._swept: datetime | None = None

    @staticmethod
    def attach(application: Any) -> None:
        """Give `application`'s processor, if it is a PerChatUpdateProcessor, its application
        (call once the application is built and its services are in `bot_data`)."""
        processor = application.update_processor
        if isinstance(processor, PerChatUpdateProcessor):
            processor.application = application

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers after the earlier updates of the same chat, in a free slot,
        or drop it (see the class docstring); then report it to `on_handled`."""
        cancelled = False
        started = time.perf_counter()
        try:
            await self._process(update, coroutine, started)
        except asyncio.CancelledError:
            cancelled = True  # a shutdown: an update not handled is not reported
            raise
        finally:
            if self.on_handled is not None and not cancelled:
                try:
                    await self.on_handled(update)
                except Exception:
                    _LOGGER.exception("on_handled failed for an update")

    async def _process(self, update: object, coroutine: Awaitable[Any], started: float) -> None:
        key = _ordering_key(update)
        if key is None:
            await self._run(coroutine)
            self._measure(started)
            return
        assert isinstance(update, Update)
        chat = self._chats.get(key)
        command = self._throttle_key(update, key)
        if command is not None and self._throttled(command) and not _in_crisis(update):
            _close(coroutine)
            self._count_dropped()
            return
        if (
            chat is not None
            and chat.taken >= self.max_backlog
            and self.application is not None
            and _droppable(update)
            and not _in_crisis(update)
        ):
            _close(coroutine)
            self._count_dropped()
            chat.dropped += 1
            await self._drop(update, chat)
            return
        if command is not None:
            self._commands.setdefault(command, deque()).append(self._now())
        if chat is None:
            chat = self._chats[key] = _Chat()
        chat.taken += 1
        try:
            await self._run(coroutine, chat.lock)
            self._measure(started)
        finally:
            chat.taken -= 1
            if chat.taken == 0:
                del self._chats[key]
                if chat.dropped:
                    _LOGGER.info("Chat %s caught up; %d updates were dropped", key, chat.dropped)
                self._sweep()

    async def _run(self, coroutine: Awaitable[Any], turn: asyncio.Lock | None = None) -> None:
        """Await the handlers once it is the chat's `turn` and a slot is free."""
        started = False
        try:
            async with turn or contextlib.nullcontext(), self._slots:
                started = True
                self.running += 1
                try:
                    await coroutine
                finally:
                    self.running -= 1
        finally:
            if not started:  # cancelled while waiting (shutdown): never awaited, so close it
                _close(coroutine)

    def _measure(self, started: float) -> None:
        """Count one update handled (its handlers returned; their errors are theirs)."""
        metrics = self._metrics()
        if metrics is not None:
            metrics.update_handled(time.perf_counter() - started)

    def _count_dropped(self) -> None:
        self.dropped += 1
        metrics = self._metrics()
        if metrics is not None:
            metrics.update_dropped()

    def _metrics(self) -> Metrics | None:
        if self.application is None:
            return None
        metrics = getattr(self.application.bot_data[SERVICES_KEY], "metrics", None)
        return metrics if isinstance(metrics, Metrics) else None

    # ------------------------------------------------------------------ over the backlog cap

    async def _drop(self, update: Update, chat: _Chat) -> None:
        application = self.application
        assert application is not None
        bot = application.bot
        query = update.callback_query
        if query is not None:
            try:  # best effort: stop the button's spinner
                await bot.answer_callback_query(query.id)
            except TelegramError as exc:
                _LOGGER.debug("A dropped button press was not answered: %s", exc)
        if chat.warned or update.effective_chat is None:
            return
        chat.warned = True
        chat_id = update.effective_chat.id
        _LOGGER.info(
            "Chat %s has %d updates queued; dropping the rest until it catches up",
            chat_id,
            chat.taken,
        )
        text = application.bot_data[SERVICES_KEY].prompts.render("common/slow_down")
        message = update.effective_message
        thread = message.message_thread_id if message and message.is_topic_message else None
        try:
            await send_html(bot, chat_id, text, message_thread_id=thread)
        except TelegramError as exc:
            _LOGGER.info("The slow-down notice to chat %s was not sent: %s", chat_id, exc)

    # ------------------------------------------------------------------ group command throttle

    def _throttle_key(self, update: Update, key: int) -> tuple[int, str, int | None] | None:
        if self.application is None:
            return None
        message = update.message or update.edited_message
        if message is None or message.chat.type not in _GROUPS:
            return None
        command = _command(message)
        if command is None:
            return None
        member = None
        if command in self.member_commands:
            member = message.from_user.id if message.from_user is not None else 0
        return key, command, member

    def _throttled(self, command: tuple[int, str, int | None]) -> bool:
        times = self._commands.get(command)
        if times is None:
            return False
        since = self._now() - self.group_command_window
        while times and times[0] <= since:
            times.popleft()
        if not times:
            del self._commands[command]
            return False
        return len(times) >= self.group_command_limit

    def _sweep(self) -> None:
        """Forget commands last handled a whole window ago (at most once a window)."""
        if not self._commands:
            return
        now = self._now()
        if self._swept is not None and now - self._swept < self.group_command_window:
            return
        self._swept = now
        since = now - self.group_command_window
        for command in [c for c, times in self._commands.items() if times[-1] <= since]:
            del self._commands[command]

    def _now(self) -> datetime:
        assert self.application is not None
        clock: Clock = self.application.bot_data[SERVICES_KEY].clock
        return clock.now()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _ordering_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


def _droppable(update: Update) -> bool:
    """What a person sends; membership changes and poll answers are always handled."""
    return (
        update.message is not None
        or update.edited_message is not None
        or update.callback_query is not None
    )


def _in_crisis(update: Update) -> bool:
    message = update.message or update.edited_message
    if message is None:
        return False
    text = message.text or message.caption
    return text is not None and detect_crisis(text) is not CrisisSignal.NONE


def _command(message: Message) -> str | None:
    """`help` for `/help`, `/Help@comeback_bot` or `/help now`; None if not a command."""
    text = message.text
    if not text or not text.startswith("/") or not message.entities:
        return None
    first = message.entities[0]
    if first.type != MessageEntityType.BOT_COMMAND or first.offset != 0:
        return None
    return text[1 : first.length].split("@", 1)[0].lower()


def _close(coroutine: Awaitable[Any]) -> None:
    """A dropped update's handlers never run; close the coroutine so it is not left unawaited."""
    if inspect.iscoroutine(coroutine):
        coroutine.close()
