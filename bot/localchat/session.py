"""One local chat: the real Application talking to the in-process Bot API stand-in.

Everything here runs on the bot's event loop. `LocalChat.handle` takes one line the person
typed: `:` lines are local commands, a letter shown as [a], [b], ... presses that button of the
bot's latest message, anything else (digits and any other lone letter included) is sent as a
Telegram message. The bot's answers are printed once the Application reports the update
processed; messages it sends on its own (check-ins) are printed as they arrive.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from bot.app import ALLOWED_UPDATES, build_application, stop_running
from bot.clock import OffsetClock
from bot.config import Settings
from bot.localchat.state import STATE_FILE, LocalState, files_dir, user_id_for
from bot.localchat.terminal import (
    CYAN,
    Screen,
    block,
    key_index,
    letter_buttons,
    paint,
    render_entities,
)
from bot.localchat.texts import describe_duration, describe_moment, text
from bot.private_files import private_dir, write_private
from bot.scheduling.dispatcher import PER_CHAT_GAP_SECONDS
from bot.services import SERVICES_KEY, CoachApplication, Services
from bot.storage.privacy import row_count
from coaching.language import ENGLISH
from conversations.flow import parse_callback
from conversations.privacy import CONFIRM, DELETE_STEP
from conversations.privacy import PREFIX as PRIVACY_PREFIX
from standin import FakeBotApi, FakeChat, FakeUser, SentMessage, StandinRequest
from standin.request import report_processed

_LOGGER = logging.getLogger(__name__)

LOCAL_TOKEN = "1000000001:LocalComebackChatTokenNeverSentAnywhere"
LOCAL_BASE_URL = "http://comeback.localhost/bot"
BOT_USERNAME = "comeback_local_bot"
GROUP_ID = -4000000042
PROCESS_TIMEOUT = 30.0
SETTLE_QUIET = 0.3
MAX_DISPATCH_RUNS = 20
SETTLE_LIMIT = 20.0
MAX_WAIT = timedelta(days=366)

_DURATION = re.compile(r"(\d+)\s*(w|d|h|m|s)")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_NAME = re.compile(r"^[\w][\w .'-]{0,31}$")


def parse_duration(text: str) -> timedelta | None:
    """'3d', '2h', '30m', '1w', '1d12h' as a timedelta; None if it is not a duration."""
    compact = text.strip().lower().replace(" ", "")
    if not compact or _DURATION.sub("", compact):
        return None
    total = timedelta(0)
    try:
        for amount, unit in _DURATION.findall(compact):
            total += timedelta(**{_UNITS[unit]: int(amount)})
    except OverflowError:
        return None
    return total if total > timedelta(0) else None


def wait_reaching(ahead: timedelta) -> str:
    """The shortest `:wait` argument of two units at most that reaches `ahead`: 1d14h, 3h20m."""
    minutes = -(-int(ahead.total_seconds()) // 60)  # rounded up
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        hours += 1 if minutes else 0
        days, hours = (days + 1, 0) if hours == 24 else (days, hours)
        return f"{days}d{hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h{minutes}m" if minutes else f"{hours}h"
    return f"{max(minutes, 1)}m"


@dataclass
class _Shown:
    text: str
    buttons: list[list[str]]


@dataclass
class LocalChat:
    """The local session: the stand-in, the Application, the person at the keyboard."""

    settings: Settings
    db: Path
    screen: Screen
    name: str
    state: LocalState = field(default_factory=LocalState)
    # The chat's own lines, and the Telegram language_code of the local users it creates (a
    # user the bot already knows keeps the language stored with them).
    language: str = ENGLISH
    api: FakeBotApi = field(init=False)
    clock: OffsetClock = field(init=False)
    app: CoachApplication | None = field(default=None, init=False)
    user: FakeUser = field(init=False)
    in_group: bool = field(default=False, init=False)
    _first_name: str = field(default="", init=False)
    _pending: list[SentMessage] = field(default_factory=list, init=False)
    _shown: dict[tuple[int, int], _Shown] = field(default_factory=dict, init=False)
    _busy: int = field(default=0, init=False)
    _flush_scheduled: bool = field(default=False, init=False)
    _violations_seen: int = field(default=0, init=False)
    _activated: set[int] = field(default_factory=set, init=False)
    # Users whose data the bot erased at their request (/delete, confirmed) since the runner
    # last looked: it clears the input history, which may hold their words.
    erased: list[int] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.clock = OffsetClock(timedelta(seconds=self.state.clock_offset_seconds))
        self.api = FakeBotApi(
            LOCAL_TOKEN, bot_username=BOT_USERNAME, now=lambda: self.clock.now().timestamp()
        )
        self.api.subscribe(self._on_event)
        self._first_name = self.name
        self.user = self._local_user(self.name)

    # ------------------------------------------------------------------ lifecycle

    @property
    def files(self) -> Path:
        """Where photos and documents the bot sends are saved."""
        return files_dir(self.db)

    @property
    def prompt(self) -> str:
        """What the person types after: 'you> ', or with who and where when that changed."""
        tags = []
        if self.user.first_name != self._first_name:
            tags.append(self.user.first_name)
        if self.in_group:
            tags.append(self._text("prompt.in_group"))
        you = self._text("prompt.you")
        return f"{you} ({', '.join(tags)})> " if tags else f"{you}> "

    def _text(self, key: str, /, **values: Any) -> str:
        return text(self.language, key, **values)

    def _note(self, key: str, /, **values: Any) -> None:
        self.screen.note(self._text(key, **values))

    async def start(self) -> None:
        """Start the Application polling the stand-in, then pick up an unfinished debrief."""
        counters = {int(k): v for k, v in self.state.message_ids.items()}
        self.api.continue_message_ids(counters)
        for name, user_id in self.state.users.items():
            self.api.open_private_chat(self._known_user(user_id, name))
        if self.state.group_joined:
            self._group()
        app = build_application(
            self.settings,
            clock=self.clock,
            request=StandinRequest(self.api),
            get_updates_request=StandinRequest(self.api),
        )
        # Every update is reported handled, whichever group stopped it (the safety screen's
        # crisis reply stops the handling early): what `_act` waits for.
        report_processed(app, self.api)
        self.app = app
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        # Update ids continue from the last session's, as Telegram's do: the bot polls from its
        # stored offset, and a debrief remembers the update that last moved it.
        watermark = await app.bot_data[SERVICES_KEY].inbox.watermark()
        if watermark is not None:
            self.api.continue_update_ids(watermark + 1)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=10, allowed_updates=ALLOWED_UPDATES
        )
        await self._activate(self.user)

    async def stop(self) -> None:
        """Stop like the Telegram bot does on SIGTERM: finish, save state, close."""
        app, self.app = self.app, None
        if app is not None:
            await stop_running(app)
        self.api.close()
        self._flush()
        self.save()

    def save(self) -> None:
        """Write the session file (clock offset, users, message numbering)."""
        self.state.user = self.user.first_name
        self.state.clock_offset_seconds = self.clock.offset.total_seconds()
        self.state.message_ids = {str(k): v for k, v in self.api.message_id_counters().items()}
        self.state.save(self.files / STATE_FILE)

    @property
    def services(self) -> Services:
        """The running Application's services."""
        assert self.app is not None
        services: Services = self.app.bot_data[SERVICES_KEY]
        return services

    # ------------------------------------------------------------------ input

    async def handle(self, line: str) -> bool:
        """React to one typed line; False when the person wants to leave."""
        text = line.strip()
        if not text:
            return True
        try:
            if text.startswith(":"):
                return await self._local_command(text)
            buttons = self._buttons()
            index = key_index(text)
            if index is not None and index < len(buttons):
                message, button = buttons[index]
                await self._press(message, button)
            else:
                await self._send_text(text)
        except Exception as exc:
            _LOGGER.exception("The local chat failed on %r", text)
            self._note("note.error", error=type(exc).__name__)
        finally:
            self.save()
            self._report_violations()
        return True

    async def _send_text(self, text: str) -> None:
        await self._act(lambda: self.user.send_text(text, chat=self._chat_ref()))

    async def _local_command(self, text: str) -> bool:
        command, _, rest = text[1:].partition(" ")
        command, rest = command.lower(), rest.strip()
        if command in ("quit", "q", "exit"):
            return False
        simple: dict[str, Callable[[str], Awaitable[None]]] = {
            "help": self._help,
            "wait": self._wait,
            "photo": self._photo,
            "sticker": self._sticker,
            "as": self._switch_user,
            "group": self._toggle_group,
            "private": self._private,
            "press": self._press_label,
            "say": self._say,
            "vote": self._vote,
        }
        action = simple.get(command)
        if action is None:
            self._note("note.unknown_command", command=command)
        else:
            await action(rest)
        return True

    async def _help(self, rest: str) -> None:
        self.screen.write(self._text("help"))

    async def _say(self, rest: str) -> None:
        if not rest:
            self._note("note.say_usage")
            return
        await self._send_text(rest)

    async def _photo(self, rest: str) -> None:
        await self._act(lambda: self.user.send_photo(caption=rest or None, chat=self._chat_ref()))

    async def _sticker(self, rest: str) -> None:
        await self._act(lambda: self.user.send_sticker(rest or "👍", chat=self._chat_ref()))

    async def _vote(self, rest: str) -> None:
        polls = [m for m in self.api.chat_messages(self._chat_id()) if m.poll is not None]
        if not polls or not rest.isdigit():
            self._note("note.vote_usage")
            return
        poll = polls[-1]
        assert poll.poll is not None
        index = int(rest) - 1
        if not 0 <= index < len(poll.poll["options"]):
            self._note("note.vote_range", count=len(poll.poll["options"]))
            return
        await self._act(lambda: self.user.vote(poll.message_id, [index], chat=self._chat_ref()))

    async def _press_label(self, rest: str) -> None:
        """Press by label on the newest message having it: exact, else its start, else a part."""
        if rest:
            for message in reversed(self.api.chat_messages(self._chat_id())):
                button = _match_label([b for row in message.inline_keyboard for b in row], rest)
                if button is not None:
                    await self._press(message, button)
                    return
        labels = ", ".join(str(b[1].get("text")) for b in self._buttons())
        self._note(
            "note.press_no_match", wanted=rest, labels=labels or self._text("note.no_buttons")
        )

    async def _wait(self, rest: str) -> None:
        delta = parse_duration(rest)
        if delta is None or delta > MAX_WAIT:
            self._note("note.wait_usage")
            return
        start = len(self.api.events)
        self._busy += 1
        try:
            self.clock.advance(delta)
            moment = self.clock.now()
            self._note(
                "note.waited",
                duration=describe_duration(delta, self.language),
                moment=describe_moment(moment, self.language),
            )
            await self._settle()
        finally:
            self._busy -= 1
        if len(self.api.events) == start:
            await self._nothing_arrived()
        self._flush()

    async def _nothing_arrived(self) -> None:
        """Say so, and when this person's next check-in is due (it may wait for the end of
        their quiet hours): a `:wait` that gets there."""
        upcoming = await self.services.checkins.next_pending(self.user.id)
        if upcoming is None or upcoming.due_at <= self.clock.now():
            self._note("note.nothing_arrived")
            return
        ahead = upcoming.due_at - self.clock.now()
        wait = wait_reaching(ahead)
        self._note(
            "note.nothing_arrived_next",
            moment=describe_moment(upcoming.due_at, self.language),
            duration=describe_duration(parse_duration(wait) or ahead, self.language),
            wait=wait,
        )

    async def _switch_user(self, rest: str) -> None:
        name = " ".join(rest.split())
        if not _NAME.match(name):
            self._note("note.as_usage")
            return
        self.user = self._local_user(name)
        if self.in_group:
            self._group().add_member(self.user)
        if self.in_group:
            self._note("note.now_user_group", name=name, id=self.user.id, group=self._title)
        else:
            self._note("note.now_user_private", name=name, id=self.user.id)
        await self._activate(self.user)

    async def _toggle_group(self, rest: str) -> None:
        if self.in_group:
            await self._private(rest)
            return
        group = self._group()
        group.add_member(self.user)
        self.in_group = True
        members = ", ".join(self.api.user(uid).first_name for uid in sorted(group.members))
        self._note("note.in_group", group=self._title, members=members)
        if not self.state.group_joined:
            self.state.group_joined = True
            await self._act(lambda: self._bot_joins(group))

    async def _private(self, rest: str) -> None:
        if self.in_group:
            self.in_group = False
            self._note("note.back_private")
        else:
            self._note("note.already_private")

    # ------------------------------------------------------------------ users and chats

    def _local_user(self, name: str) -> FakeUser:
        return self._known_user(user_id_for(name), name)

    def _known_user(self, user_id: int, name: str) -> FakeUser:
        return self.api.private_user(user_id, first_name=name, language_code=self.language)

    @property
    def _title(self) -> str:
        """The local group's title, in the chat's language."""
        return self._text("group_title")

    def _group(self) -> FakeChat:
        """The local group chat (created in the stand-in on first use in this run)."""
        try:
            return self.api.chat(GROUP_ID)
        except KeyError:
            known = {**self.state.users, self.user.first_name: self.user.id}
            members = [self._known_user(uid, n) for n, uid in known.items()]
            return self.api.group(GROUP_ID, self._title, members=members, admins=members[:1])

    def _chat_id(self) -> int:
        return GROUP_ID if self.in_group else self.user.id

    def _chat_ref(self) -> FakeChat | None:
        return self._group() if self.in_group else None

    async def _bot_joins(self, group: FakeChat) -> int:
        """Telegram's two updates when someone adds the bot to a group."""
        bot = {
            "id": self.api.bot_id,
            "is_bot": True,
            "first_name": self.api.bot_first_name,
            "username": self.api.bot_username,
        }
        self.api.queue_update(
            "my_chat_member",
            {
                "chat": group.to_dict(),
                "from": self.user.to_dict(),
                "date": int(self.api.now()),
                "old_chat_member": {"status": "left", "user": bot},
                "new_chat_member": {"status": "member", "user": bot},
            },
        )
        return self.api.user_message(self.user, group, {"new_chat_members": [bot]})

    async def _activate(self, user: FakeUser) -> None:
        """The first time a user is at the keyboard this run: resume their unfinished debrief."""
        if user.id in self._activated:
            return
        self._activated.add(user.id)
        if await self.services.debriefs.in_progress(user.id) is None:
            return
        self._note("note.resuming", name=user.first_name)
        self.screen.write(f"{self.prompt}/resume")
        await self._act(lambda: user.send_text("/resume"))

    # ------------------------------------------------------------------ buttons

    def _buttons(self) -> list[tuple[SentMessage, dict[str, Any]]]:
        """The buttons of the bot's latest message here, in lettered order (none: every letter
        is text)."""
        messages = self.api.chat_messages(self._chat_id())
        if not messages:
            return []
        latest = messages[-1]
        return [(latest, button) for row in latest.inline_keyboard for button in row]

    async def _press(self, message: SentMessage, button: dict[str, Any]) -> None:
        if "callback_data" in button:
            data = str(button["callback_data"])
            erasing = _confirms_erasure(data, self.user.id)
            before = await self._rows_stored(self.user) if erasing else 0
            await self._act(
                lambda: self.user.press_data(data, message.message_id, chat=message.chat_id)
            )
            if erasing:
                after = await self._rows_stored(self.user)
                if after == 0 or after < before:  # the bot erased them (a stale press does not)
                    self.erased.append(self.user.id)
            return
        url = str(button.get("url") or "")
        start = self._deep_link(url)
        if start is None:
            if url:
                self._note("note.link_outside_url", url=url)
            else:
                self._note("note.link_outside")
            return
        self.in_group = False
        self._note("note.opening_private")
        command = f"/start {start}" if start else "/start"
        self.screen.write(f"{self.prompt}{command}")
        await self._send_text(command)

    async def _rows_stored(self, user: FakeUser) -> int:
        """How many rows the bot's database holds about `user` (what /delete erases)."""
        found = await self.services.privacy.export(user.id, self.clock.now())
        return row_count(found)

    def _deep_link(self, url: str) -> str | None:
        """The start parameter of a t.me link to this bot ('' without one), else None."""
        parsed = urlparse(url)
        if parsed.netloc.lower() not in ("t.me", "telegram.me"):
            return None
        if parsed.path.strip("/").lower() != self.api.bot_username.lower():
            return None
        return parse_qs(parsed.query).get("start", [""])[0]

    # ------------------------------------------------------------------ waiting for the bot

    async def _act(self, action: Callable[[], Awaitable[int]]) -> None:
        """Queue one update as the person, wait until the bot has handled it, show the result."""
        self._busy += 1
        self.state.users[self.user.first_name] = self.user.id
        events = len(self.api.events)
        try:
            update_id = await action()
            try:
                await self.api.wait_processed(update_id, timeout=PROCESS_TIMEOUT)
            except TimeoutError:
                self._note("note.timeout", seconds=f"{PROCESS_TIMEOUT:.0f}")
            answer = self.api.answer_for(update_id)
            if answer is not None and answer.text:
                kind = self._text("bot.alert" if answer.show_alert else "bot.popup")
                prefix = f"{self._text('bot.bot')} ({kind})> "
                self.screen.write(paint(prefix, CYAN, self.screen.color) + answer.text)
            elif len(self.api.events) == events:
                self._note("note.no_reply")
        finally:
            self._busy -= 1
        self._flush()

    async def _settle(self) -> None:
        """After a clock jump: send everything that fell due, then wait until the bot is quiet.

        Over the days skipped, the dispatcher's regular runs (one message per person each)
        would have sent every due check-in, so it runs here until a run sends nothing.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_LIMIT
        dispatcher = self.services.dispatcher
        quiet = SETTLE_QUIET
        if dispatcher is not None:
            # The jump woke the dispatcher's own job too; when that run is the one sending, ours
            # returns 0 at once, so the quiet period must outlast its pause between two messages.
            quiet += PER_CHAT_GAP_SECONDS
            try:
                for _ in range(MAX_DISPATCH_RUNS):
                    if not await dispatcher.run() or loop.time() > deadline:
                        break
            except Exception:
                _LOGGER.exception("The check-in dispatcher failed after :wait")
        while loop.time() < deadline:
            seen = len(self.api.requests)
            try:
                await self.api.wait_for(partial(self._requests_beyond, seen), timeout=quiet)
            except TimeoutError:
                try:
                    await self.api.wait_idle(timeout=max(deadline - loop.time(), 0.1))
                except TimeoutError:
                    return
                if len(self.api.requests) == seen:
                    return

    def _requests_beyond(self, count: int) -> bool:
        return len(self.api.requests) > count

    # ------------------------------------------------------------------ showing the bot

    def _on_event(self, snapshot: SentMessage) -> None:
        self._pending.append(snapshot)
        if not self._busy and not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        events, self._pending = self._pending, []
        order: list[tuple[int, int]] = []
        latest: dict[tuple[int, int], SentMessage] = {}
        first: dict[tuple[int, int], str] = {}
        for event in events:
            key = (event.chat_id, event.message_id)
            if key not in latest:
                order.append(key)
                first[key] = event.event
            latest[key] = event
        for key in order:
            self._show(latest[key], sent_now=first[key] == "sent")

    def _show(self, message: SentMessage, *, sent_now: bool) -> None:
        key = (message.chat_id, message.message_id)
        before = self._shown.get(key)
        if message.event == "deleted":
            self._shown.pop(key, None)
            if before is not None:
                self._note("note.deleted", text=_first_line(before.text))
            return
        now = _Shown(message.plain_text, message.buttons)
        self._shown[key] = now
        if not sent_now and before is not None:
            if before == now:
                return
            if before.text == now.text and not now.buttons:
                return  # the buttons went away after a press: nothing new to read
        self.screen.write(self._format(message, updated=not sent_now) + "\n")

    def _format(self, message: SentMessage, *, updated: bool) -> str:
        where = self._where(message.chat_id)
        edited = f" ({self._text('bot.updated')})" if updated else ""
        prefix = f"{self._text('bot.bot')}{where}{edited}> "
        body = render_entities(message.plain_text, message.entities, color=self.screen.color)
        media = self._save_media(message) if not updated else None
        if media:
            body = f"{media}\n{body}" if body else media
        extra: list[str] = []
        if message.poll is not None:
            options = [f"({i}) {o.get('text')}" for i, o in enumerate(message.poll["options"], 1)]
            body = self._text("bot.poll", question=message.poll.get("question"))
            extra.append("  ".join(options) + "   (:vote N)")
        labels = [
            [str(b.get("text")) + (" ↗" if "url" in b else "") for b in row]
            for row in message.inline_keyboard
        ]
        extra += letter_buttons(labels)
        return block(paint(prefix, CYAN, self.screen.color), body, extra, width=len(prefix))

    def _where(self, chat_id: int) -> str:
        if chat_id == self._chat_id():
            return ""
        if chat_id == GROUP_ID:
            return f" [{self._text('bot.in_group')}]"
        try:
            return f" [{self._text('bot.to_user', name=self.api.user(chat_id).first_name)}]"
        except KeyError:
            return f" [{self._text('bot.other_chat', id=chat_id)}]"

    def _save_media(self, message: SentMessage) -> str | None:
        """Save a photo or document the bot sent; the line that says where."""
        if message.photo is not None:
            suffix = ".png" if message.photo.startswith(b"\x89PNG") else ".jpg"
            path = self._media_path(message, f"photo{suffix}")
            write_private(path, message.photo)
            return self._text("bot.photo_saved", path=_display(path))
        if message.document is not None:
            name = re.sub(r"[^\w.-]+", "_", message.filename or "document") or "document"
            path = self._media_path(message, name)
            write_private(path, message.document)
            return self._text(
                "bot.document_saved", name=message.filename or name, path=_display(path)
            )
        return None

    def _media_path(self, message: SentMessage, name: str) -> Path:
        private_dir(self.files)
        chat = "group" if message.chat_id == GROUP_ID else str(message.chat_id)
        return self.files / f"{chat}-{message.message_id:04d}-{name}"

    def _report_violations(self) -> None:
        for problem in self.api.violations[self._violations_seen :]:
            self._note("note.refused", problem=problem)
        self._violations_seen = len(self.api.violations)


def _match_label(buttons: list[dict[str, Any]], wanted: str) -> dict[str, Any] | None:
    """The one button whose label is `wanted`, or starts with it, or contains it (any case)."""
    key = wanted.casefold()
    tests = (
        lambda label: label == wanted,
        lambda label: label.casefold().startswith(key),
        lambda label: key in label.casefold(),
    )
    for test in tests:
        found = [b for b in buttons if test(str(b.get("text", "")))]
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


def _confirms_erasure(data: str, user_id: int) -> bool:
    """Whether `data` is the "yes, erase everything" button of `user_id`'s /delete."""
    press = parse_callback(data)
    return (
        press is not None
        and press.prefix == PRIVACY_PREFIX
        and press.step == DELETE_STEP
        and press.value == CONFIRM
        and press.owner == user_id
    )


def _first_line(text: str) -> str:
    line = text.split("\n", 1)[0]
    return line if len(line) <= 60 else line[:57] + "..."


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
