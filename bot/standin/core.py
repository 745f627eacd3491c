"""In-memory Telegram Bot API server logic ("stand-in"), independent of any transport.

``FakeBotApi.call(method, params, files)`` answers one Bot API request the way Telegram
would: it validates the request against the official spec first (a violation answers 400
and is recorded in ``api.violations``), then applies it to the in-memory state and returns
``(http_status, envelope)``.  Transports: :mod:`bot.standin.http` (aiohttp, real loopback
HTTP) and :mod:`bot.standin.request` (a PTB ``BaseRequest`` calling ``call`` in-process).

Tests act as users through :class:`FakeUser` (``send_text``, ``send_command``, ``press``,
``say``/``command``/``press_and_wait`` ...) and read what users see with
``api.chat_messages(chat_id)``/``api.last_message(chat_id)``.  They wait without sleeping:
the Application reports each finished update with ``api.mark_processed(update_id)`` (use
:class:`bot.standin.request.StandinUpdateProcessor`), and ``api.wait_processed`` /
``api.wait_for`` wake up on every change.

A private chat exists once its user has sent something to the bot (like on Telegram, a bot
can't initiate a conversation: sending first answers 403).
"""

# The waiting helpers take a `timeout` argument on purpose (test-facing API).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
import struct
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from bot.standin.spec import BotApiSpec, FileRef
from bot.standin.textparse import ParsedText, parse_formatted, strip_text, utf16_len

__all__ = [
    "ApiError",
    "CallbackAnswer",
    "DroppedConnection",
    "FakeBotApi",
    "FakeChat",
    "FakeUser",
    "RecordedRequest",
    "SentMessage",
    "UploadedFile",
]

T = TypeVar("T")
JSON = dict[str, Any]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_DEFAULT_ALLOWED = {
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
}
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: injected failure",
    404: "Not Found",
    409: "Conflict: injected failure",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(
        self,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def envelope(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        parameters: JSON = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        if parameters:
            body["parameters"] = parameters
        return body


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    content: bytes
    filename: str | None = None
    mime_type: str | None = None


@dataclass
class RecordedRequest:
    """One request the bot made (``params`` normalised: ints, bools, decoded JSON)."""

    method: str
    params: dict[str, Any]
    timestamp: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    status: int | None = None
    response: JSON | None = None


@dataclass
class CallbackAnswer:
    """An answerCallbackQuery call, linked to the update that carried the query."""

    callback_query_id: str
    update_id: int
    user_id: int
    text: str | None
    show_alert: bool
    url: str | None


@dataclass
class SentMessage:
    """A message the bot sent, as the chat shows it (or a snapshot of one change to it).

    ``text`` is the text (or the caption of a media message) as the bot sent it, markup
    included; ``plain_text`` is what the user reads.  ``event`` is ``"sent"``, ``"edited"``
    or ``"deleted"`` in the snapshots of ``api.events`` and of ``FakeUser.say``.
    """

    chat_id: int
    message_id: int
    method: str
    date: int
    text: str | None = None
    parse_mode: str | None = None
    plain_text: str = ""
    entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None
    edit_date: int | None = None
    photo: bytes | None = None
    document: bytes | None = None
    filename: str | None = None
    file_id: str | None = None
    poll: JSON | None = None
    reply_to_message_id: int | None = None
    deleted: bool = False
    event: str = "sent"
    is_caption: bool = False
    message_thread_id: int | None = None

    @property
    def caption(self) -> str | None:
        return self.text if self.is_caption else None

    @property
    def inline_keyboard(self) -> list[list[JSON]]:
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard")
        return rows if isinstance(rows, list) else []

    @property
    def buttons(self) -> list[list[str]]:
        """Labels of the inline keyboard, row by row."""
        return [[str(b.get("text")) for b in row] for row in self.inline_keyboard]

    @property
    def callback_data(self) -> list[list[str | None]]:
        """callback_data of the inline keyboard buttons, row by row (None for other kinds)."""
        return [[b.get("callback_data") for b in row] for row in self.inline_keyboard]

    @property
    def keyboard(self) -> list[list[str]]:
        """Labels of a reply keyboard (ReplyKeyboardMarkup) sent with this message."""
        if not self.reply_markup or "keyboard" not in self.reply_markup:
            return []
        return [
            [b if isinstance(b, str) else str(b.get("text")) for b in row]
            for row in self.reply_markup["keyboard"]
        ]

    def button(self, label: str) -> JSON:
        """The inline button with exactly this label (AssertionError if absent)."""
        for row in self.inline_keyboard:
            for b in row:
                if b.get("text") == label:
                    return b
        raise AssertionError(
            f"message {self.message_id} has no button {label!r}; buttons: {self.buttons}"
        )

    def __str__(self) -> str:
        body = self.plain_text
        if self.photo is not None:
            body = f"[photo {len(self.photo)} bytes] {body}"
        if self.document is not None:
            body = f"[document {self.filename}] {body}"
        if self.poll is not None:
            body = f"[poll] {self.poll.get('question')}"
        keys = f" {self.buttons}" if self.buttons else ""
        return f"#{self.message_id} {body.strip()}{keys}"


@dataclass
class FakeChat:
    """A chat the stand-in knows: private (id == user id), group or supergroup."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    owner_id: int | None = None
    bot_member: bool = True
    bot_admin: bool = False
    bot_can_send: bool = True  # False: the bot is restricted ("muted") in the group
    is_forum: bool = False
    topics: dict[int, str] = field(default_factory=dict)  # thread id -> name
    migrated_to: int | None = None  # a group upgraded to this supergroup id

    def to_dict(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.is_forum:
            data["is_forum"] = True
        return data

    def add_member(self, user: FakeUser | int, admin: bool = False) -> None:
        user_id = user if isinstance(user, int) else user.id
        self.members.add(user_id)
        if admin:
            self.admins.add(user_id)


ChatRef = FakeChat | int | None


class FakeUser:
    """A Telegram user that tests act as."""

    def __init__(
        self,
        api: FakeBotApi,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> None:
        self.api = api
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, first_name={self.first_name!r})"

    def to_dict(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None:
            data["language_code"] = self.language_code
        return data

    @property
    def chat_id(self) -> int:
        """Id of this user's private chat with the bot."""
        return self.id

    # ------------------------------------------------------------ actions (queue updates)

    async def send_text(
        self,
        text: str,
        chat: ChatRef = None,
        reply_to: int | None = None,
        thread: int | None = None,
    ) -> int:
        """Send a text message (in forum topic ``thread``); commands get bot_command entities."""
        fields: JSON = {"text": text}
        entities = _detect_commands(text)
        if entities:
            fields["entities"] = entities
        return self.api.user_message(self, chat, fields, reply_to=reply_to, thread=thread)

    async def send_command(
        self,
        command: str,
        *args: str,
        chat: ChatRef = None,
        mention_bot: bool = False,
        thread: int | None = None,
    ) -> int:
        """Send ``/command arg1 arg2`` (``mention_bot`` appends ``@bot_username``)."""
        name = command if command.startswith("/") else f"/{command}"
        if mention_bot:
            name = f"{name}@{self.api.bot_username}"
        text = " ".join([name, *args])
        fields: JSON = {
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": utf16_len(name)}],
        }
        return self.api.user_message(self, chat, fields, thread=thread)

    async def press(self, label: str, chat: ChatRef = None) -> int:
        """Press the button labelled exactly ``label`` on the latest bot message having it."""
        message = self.api.find_button_message(label, self.api.resolve_chat_id(chat, self))
        button = message.button(label)
        if "callback_data" not in button:
            raise AssertionError(
                f"button {label!r} of message {message.message_id} is not a callback button: "
                f"{button}"
            )
        return self.api.callback_query(
            self, message.chat_id, message.message_id, str(button["callback_data"])
        )

    async def press_data(self, callback_data: str, message_id: int, chat: ChatRef = None) -> int:
        """Queue a callback query with arbitrary data for a message (forged/stale presses)."""
        chat_id = self.api.resolve_chat_id(chat, self)
        return self.api.callback_query(self, chat_id, message_id, callback_data)

    async def send_sticker(self, emoji: str = "👍", chat: ChatRef = None) -> int:
        file_id, unique = self.api.store_file(b"RIFF-sticker", "sticker.webp", "image/webp")
        sticker = {
            "file_id": file_id,
            "file_unique_id": unique,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self.api.user_message(self, chat, {"sticker": sticker})

    async def send_photo(
        self, data: bytes = b"\x89PNG fake", caption: str | None = None, chat: ChatRef = None
    ) -> int:
        file_id, unique = self.api.store_file(data, "photo.jpg", "image/jpeg")
        width, height = _image_size(data)
        fields: JSON = {
            "photo": [
                {
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "width": width,
                    "height": height,
                    "file_size": len(data),
                }
            ]
        }
        if caption is not None:
            fields["caption"] = caption
        return self.api.user_message(self, chat, fields)

    async def send_voice(
        self, data: bytes = b"OggS fake voice", duration: int = 2, chat: ChatRef = None
    ) -> int:
        file_id, unique = self.api.store_file(data, "voice.ogg", "audio/ogg")
        voice = {
            "file_id": file_id,
            "file_unique_id": unique,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(data),
        }
        return self.api.user_message(self, chat, {"voice": voice})

    async def send_document(
        self, data: bytes, filename: str = "file.txt", chat: ChatRef = None
    ) -> int:
        file_id, unique = self.api.store_file(data, filename, "application/octet-stream")
        document = {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_name": filename,
            "mime_type": "application/octet-stream",
            "file_size": len(data),
        }
        return self.api.user_message(self, chat, {"document": document})

    async def edit_message(self, message_id: int, text: str, chat: ChatRef = None) -> int:
        """Edit one of this user's messages (queues an edited_message update)."""
        return self.api.user_edit(self, self.api.resolve_chat_id(chat, self), message_id, text)

    async def vote(self, message_id: int, option_ids: Iterable[int], chat: ChatRef = None) -> int:
        """Answer a (non-anonymous) poll the bot sent (queues a poll_answer update)."""
        return self.api.poll_answer(
            self, self.api.resolve_chat_id(chat, self), message_id, list(option_ids)
        )

    # ------------------------------------------------------------ act and wait

    async def _and_wait(
        self, action: Awaitable[int], chat_id: int, timeout: float
    ) -> list[SentMessage]:
        start = len(self.api.events)
        update_id = await action
        await self.api.wait_processed(update_id, timeout=timeout)
        return [e for e in self.api.events[start:] if e.chat_id == chat_id]

    async def say(
        self, text: str, chat: ChatRef = None, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Send text, wait until the bot processed it, return its messages/edits in the chat."""
        chat_id = self.api.resolve_chat_id(chat, self)
        return await self._and_wait(self.send_text(text, chat=chat), chat_id, timeout)

    send_text_and_wait = say

    async def command(
        self,
        command: str,
        *args: str,
        chat: ChatRef = None,
        timeout: float = 10.0,
        thread: int | None = None,
    ) -> list[SentMessage]:
        """Send a command, wait until processed, return the bot's messages/edits."""
        chat_id = self.api.resolve_chat_id(chat, self)
        sending = self.send_command(command, *args, chat=chat, thread=thread)
        return await self._and_wait(sending, chat_id, timeout)

    async def press_and_wait(
        self, label: str, chat: ChatRef = None, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Press a button, wait until processed, return the bot's messages/edits."""
        chat_id = self.api.resolve_chat_id(chat, self)
        return await self._and_wait(self.press(label, chat=chat), chat_id, timeout)


@dataclass
class _Fault:
    method: str
    error_code: int | None  # None: no error answer (a delay or a dropped connection only)
    description: str
    retry_after: int | None
    count: int
    chat_id: int | str | None
    delay: float = 0.0  # seconds to wait before answering
    drop: str | None = None  # "before"/"after" applying the call: close without an answer


class DroppedConnection(Exception):
    """The server closes the connection without answering (see ``FakeBotApi.drop_next``)."""


@dataclass
class _StoredFile:
    file_id: str
    unique_id: str
    content: bytes
    filename: str | None
    mime_type: str | None
    path: str


def _detect_commands(text: str) -> list[JSON]:
    entities = []
    for match in re.finditer(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?", text):
        entities.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return entities


def _image_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 640, 480


def _markup_key(markup: JSON | None) -> str:
    if not markup or not markup.get("inline_keyboard"):
        return ""
    return json.dumps(markup, sort_keys=True)


class FakeBotApi:
    """In-memory Telegram Bot API: state, validation, fault injection and test helpers."""

    def __init__(
        self,
        token: str = "123456789:AAStandinTestTokenStandinTestToken00",
        *,
        bot_username: str = "comeback_test_bot",
        bot_first_name: str = "Comeback",
        spec: BotApiSpec | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        head = token.split(":", 1)[0]
        self.bot_id = int(head) if head.isdigit() else 123456789
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.spec = spec or BotApiSpec.default()
        self.now = now

        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        self.events: list[SentMessage] = []
        self.updates: list[JSON] = []  # every update ever queued
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.webhook_url = ""

        self._users: dict[int, FakeUser] = {}
        self._chats: dict[int, FakeChat] = {}
        self._started: set[int] = set()
        self._blocked: set[int] = set()
        self._messages: dict[int, dict[int, SentMessage]] = {}
        self._user_messages: dict[int, dict[int, JSON]] = {}
        self._next_message_id: dict[int, int] = {}
        self._pending: list[JSON] = []
        self._delivered: set[int] = set()
        self._processed: set[int] = set()
        self._allowed_updates: set[str] = set(_DEFAULT_ALLOWED)
        self._update_ids = itertools.count(1001)
        self._user_ids = itertools.count(10001)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_000_000_001)
        self._poll_ids = itertools.count(5_000_000_000_000_001)
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._queries: dict[str, tuple[int, int]] = {}  # query id -> (update_id, user_id)
        self._answered: set[str] = set()
        self._faults: list[_Fault] = []
        self._waiters: set[asyncio.Event] = set()
        self._listeners: list[Callable[[SentMessage], None]] = []
        self._poll_generation = 0
        self._release_count = 0
        self._closed = False
        self._handlers: dict[str, Callable[[JSON, dict[str, UploadedFile]], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "logOut": self._true,
            "close": self._true,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "editMessageCaption": self._edit_message_caption,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "getMyDescription": self._get_my_description,
            "getMyShortDescription": self._get_my_short_description,
            "sendChatAction": self._send_chat_action,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendPoll": self._send_poll,
            "stopPoll": self._stop_poll,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "leaveChat": self._leave_chat,
            "getFile": self._get_file,
        }

    # ================================================================ transport entry

    def check_token(self, token: str) -> bool:
        return token == self.token

    async def call(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, bytes | UploadedFile] | None = None,
    ) -> tuple[int, JSON]:
        """Answer one Bot API call: ``(http_status, {"ok": ..., ...})``."""
        uploads = {
            name: value if isinstance(value, UploadedFile) else UploadedFile(bytes(value), name)
            for name, value in (files or {}).items()
        }
        check = self.spec.check(method, params, uploads)
        record = RecordedRequest(
            method=check.method or method,
            params=check.params,
            timestamp=self.now(),
            files=uploads,
        )
        self.requests.append(record)
        self._notify()
        try:
            if check.method is None:
                self._violation(method, f"unknown Bot API method {method!r}")
                raise ApiError(404, "Not Found")
            if check.problems:
                for problem in check.problems:
                    self._violation(check.method, problem)
                raise ApiError(400, f"Bad Request: {check.problems[0]}")
            fault = self._take_fault(check.method, check.params)
            if fault is not None:
                await self._apply_fault(fault)
            handler = self._handlers.get(check.method)
            if handler is None:
                message = f"{check.method} is not implemented by the stand-in"
                self._violation(check.method, message)
                raise ApiError(400, f"Bad Request: {message}")
            result = handler(check.params, uploads)
            if asyncio.iscoroutine(result):
                result = await result
            status, body = 200, {"ok": True, "result": result}
            if fault is not None and fault.drop == "after":
                raise DroppedConnection(check.method)
        except ApiError as error:
            status, body = error.error_code, error.envelope()
        record.status, record.response = status, body
        self._notify()
        return status, body

    def file_content(self, file_path: str) -> bytes | None:
        """Bytes of a file by its ``file_path`` (as returned by getFile), None if unknown."""
        stored = self._files_by_path.get(file_path)
        return stored.content if stored else None

    # ================================================================ test set-up

    def private_user(
        self,
        user_id: int | None = None,
        first_name: str = "Alice",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> FakeUser:
        """A user who can talk to the bot in private (the same object for the same id)."""
        if user_id is not None and user_id in self._users:
            return self._users[user_id]
        uid = user_id if user_id is not None else next(self._user_ids)
        user = FakeUser(self, uid, first_name, last_name, username, language_code)
        self._users[uid] = user
        return user

    def user(self, user_id: int) -> FakeUser:
        return self._users[user_id]

    def open_private_chat(self, user: FakeUser) -> FakeChat:
        """The user started the bot before (say, before a restart): the bot may write first."""
        return self._user_chat(user, None)

    def message_id_counters(self) -> dict[int, int]:
        """The next message id of every chat, to continue the numbering after a restart."""
        return dict(self._next_message_id)

    def continue_message_ids(self, counters: Mapping[int, int]) -> None:
        """Number each chat's next messages from at least these ids, so kept ids stay unique."""
        for chat_id, next_id in counters.items():
            self._next_message_id[chat_id] = max(self._next_message_id.get(chat_id, 1), next_id)

    def continue_update_ids(self, next_id: int) -> None:
        """Number the next updates from at least `next_id`: a bot that keeps its polling offset
        (its newest update id) across restarts of this fake then still sees every update."""
        current = next(self._update_ids)
        self._update_ids = itertools.count(max(current, next_id))

    def group(
        self,
        chat_id: int,
        title: str,
        members: Iterable[FakeUser | int] = (),
        admins: Iterable[FakeUser | int] = (),
        supergroup: bool = False,
        *,
        username: str | None = None,
        bot_admin: bool = False,
        forum: bool = False,
    ) -> FakeChat:
        """A group (or supergroup, ids like -100...) with the bot in it; first admin owns it.

        ``forum=True`` makes a forum supergroup (topics: ``api.create_topic``). The bot is in the
        group without any update; ``api.add_bot_to_group`` queues the my_chat_member update
        Telegram sends when someone adds it.
        """
        if chat_id >= 0:
            raise ValueError("group chat ids are negative (supergroups look like -100xxxxxxxxxx)")
        ids = [m if isinstance(m, int) else m.id for m in members]
        admin_ids = [a if isinstance(a, int) else a.id for a in admins]
        chat = FakeChat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            username=username,
            members=set(ids) | set(admin_ids),
            admins=set(admin_ids),
            owner_id=admin_ids[0] if admin_ids else None,
            bot_admin=bot_admin,
            is_forum=forum and supergroup,
        )
        for uid in chat.members:
            if uid not in self._users:
                self.private_user(uid, first_name=f"User{uid}")
        self._chats[chat_id] = chat
        return chat

    def chat(self, chat_id: int) -> FakeChat:
        return self._chats[chat_id]

    def block(self, user_id: int) -> int:
        """The user blocks the bot; queues the my_chat_member update Telegram sends."""
        self._blocked.add(user_id)
        return self._my_chat_member(user_id, "member", "kicked")

    def unblock(self, user_id: int) -> int:
        self._blocked.discard(user_id)
        return self._my_chat_member(user_id, "kicked", "member")

    # ---------------------------------------------------------------- the bot in groups

    def add_bot_to_group(self, chat: FakeChat, by: FakeUser, admin: bool = False) -> int:
        """``by`` adds the bot to the group (as an administrator with ``admin``); queues the
        my_chat_member update."""
        old = self._bot_member_json(chat)
        chat.bot_member, chat.bot_admin, chat.bot_can_send = True, admin, True
        return self._group_my_chat_member(chat, by, old)

    def remove_bot_from_group(self, chat: FakeChat, by: FakeUser, ban: bool = False) -> int:
        """``by`` removes (``ban``: bans) the bot; sends to the group then answer 403."""
        old = self._bot_member_json(chat)
        chat.bot_member, chat.bot_admin = False, False
        new = {"status": "kicked", "user": self._bot_user(), "until_date": 0} if ban else None
        return self._group_my_chat_member(chat, by, old, new)

    def restrict_bot(self, chat: FakeChat, by: FakeUser) -> int:
        """``by`` mutes the bot (it stays a member but may not send messages)."""
        old = self._bot_member_json(chat)
        chat.bot_admin, chat.bot_can_send = False, False
        return self._group_my_chat_member(chat, by, old)

    def migrate_group(self, chat: FakeChat, new_id: int, by: FakeUser) -> FakeChat:
        """Upgrade a group to a supergroup with id ``new_id``: the members, admins and the bot
        move; sending to the old id answers 400 with ``migrate_to_chat_id``; the two service
        messages Telegram sends (``migrate_to_chat_id`` in the old chat, ``migrate_from_chat_id``
        in the new one) are queued."""
        if chat.type != "group":
            raise ValueError("only a basic group can be upgraded to a supergroup")
        if not str(new_id).startswith("-100"):
            raise ValueError("supergroup ids look like -100xxxxxxxxxx")
        new = replace(
            chat,
            id=new_id,
            type="supergroup",
            members=set(chat.members),
            admins=set(chat.admins),
            topics={},
        )
        self._chats[new_id] = new
        chat.migrated_to = new_id
        self.queue_update(
            "message",
            {
                "message_id": self._new_message_id(chat.id),
                "from": by.to_dict(),
                "chat": chat.to_dict(),
                "date": int(self.now()),
                "migrate_to_chat_id": new_id,
            },
        )
        self.queue_update(
            "message",
            {
                "message_id": self._new_message_id(new_id),
                "from": by.to_dict(),
                "chat": new.to_dict(),
                "date": int(self.now()),
                "migrate_from_chat_id": chat.id,
            },
        )
        return new

    def create_topic(self, chat: FakeChat, name: str) -> int:
        """A forum topic; returns its message_thread_id (the id of its creation message)."""
        if not chat.is_forum:
            raise ValueError(f"chat {chat.id} is not a forum")
        thread = self._new_message_id(chat.id)
        chat.topics[thread] = name
        return thread

    def _bot_member_json(self, chat: FakeChat) -> JSON:
        user = self._bot_user()
        if not chat.bot_member:
            return {"status": "left", "user": user}
        if chat.bot_admin:
            return self._admin_json(user)
        if not chat.bot_can_send:
            data: JSON = {"status": "restricted", "user": user, "until_date": 0}
            spec = self.spec.types.get("ChatMemberRestricted")
            for name, f in spec.fields.items() if spec else ():
                if f.types == ("Boolean",):
                    data[name] = name == "is_member"
            return data
        return {"status": "member", "user": user}

    def _group_my_chat_member(
        self, chat: FakeChat, by: FakeUser, old: JSON, new: JSON | None = None
    ) -> int:
        payload = {
            "chat": chat.to_dict(),
            "from": by.to_dict(),
            "date": int(self.now()),
            "old_chat_member": old,
            "new_chat_member": new or self._bot_member_json(chat),
        }
        return self.queue_update("my_chat_member", payload)

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
        chat_id: int | str | None = None,
    ) -> None:
        """Make the next ``count`` valid calls of ``method`` (to ``chat_id``) fail."""
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {retry_after or 1}"
            else:
                description = _DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
        if error_code == 429 and retry_after is None:
            retry_after = 1
        canonical = self.spec.resolve_method(method) or method
        self._faults.append(_Fault(canonical, error_code, description, retry_after, count, chat_id))

    def delay_next(
        self, method: str, seconds: float, count: int = 1, chat_id: int | str | None = None
    ) -> None:
        """Answer the next ``count`` valid calls of ``method`` (to ``chat_id``) ``seconds`` late.

        The call is applied after the wait; a client that gives up first (its read timeout)
        closes the connection, the HTTP server cancels the call, and nothing is applied.
        """
        canonical = self.spec.resolve_method(method) or method
        self._faults.append(_Fault(canonical, None, "", None, count, chat_id, delay=seconds))

    def drop_next(
        self,
        method: str,
        count: int = 1,
        chat_id: int | str | None = None,
        *,
        after: bool = False,
    ) -> None:
        """Close the connection of the next ``count`` calls of ``method`` without an answer.

        ``after=True`` applies the call first (Telegram sent the message, the answer got lost);
        otherwise nothing is applied. In-process transports raise ``DroppedConnection``.
        """
        canonical = self.spec.resolve_method(method) or method
        drop = "after" if after else "before"
        self._faults.append(_Fault(canonical, None, "", None, count, chat_id, drop=drop))

    def subscribe(self, listener: Callable[[SentMessage], None]) -> None:
        """Call ``listener`` with a snapshot each time the bot sends/edits/deletes a message."""
        self._listeners.append(listener)

    def release_pollers(self) -> None:
        """Make pending long polls (getUpdates) answer now, with whatever is queued."""
        self._release_count += 1
        self._notify()

    def close(self) -> None:
        """Release pending long polls and make future getUpdates answer without waiting."""
        self._closed = True
        self.release_pollers()

    # ================================================================ reading

    def chat_messages(self, chat_id: int | FakeChat | FakeUser) -> list[SentMessage]:
        """The bot's messages currently visible in the chat, oldest first."""
        cid = self._as_chat_id(chat_id)
        return [m for m in self._messages.get(cid, {}).values() if not m.deleted]

    def last_message(self, chat_id: int | FakeChat | FakeUser) -> SentMessage:
        messages = self.chat_messages(chat_id)
        if not messages:
            raise AssertionError(f"the bot has sent no message to chat {self._as_chat_id(chat_id)}")
        return messages[-1]

    def message(self, chat_id: int | FakeChat | FakeUser, message_id: int) -> SentMessage:
        return self._messages[self._as_chat_id(chat_id)][message_id]

    def calls(self, method: str) -> list[RecordedRequest]:
        """Recorded requests of one method."""
        canonical = self.spec.resolve_method(method) or method
        return [r for r in self.requests if r.method == canonical]

    def my_commands(
        self, scope: JSON | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        """The bot's command list for a scope (default scope) as (command, description)."""
        key = self._scope_key({"scope": scope, "language_code": language_code})
        return [(c["command"], c["description"]) for c in self.commands.get(key, [])]

    def answer_for(self, update_id: int) -> CallbackAnswer | None:
        """How the bot answered the callback query carried by ``update_id``."""
        for answer in self.callback_answers:
            if answer.update_id == update_id:
                return answer
        return None

    def unanswered_callback_queries(self) -> list[str]:
        return [q for q in self._queries if q not in self._answered]

    def assert_no_violations(self) -> None:
        if self.violations:
            raise AssertionError(
                "the bot made requests Telegram would refuse:\n  " + "\n  ".join(self.violations)
            )

    @property
    def pending_updates(self) -> list[JSON]:
        return list(self._pending)

    # ================================================================ waiting

    def mark_processed(self, update_id: int) -> None:
        """Called by the Application once an update has been fully handled."""
        self._processed.add(update_id)
        self._notify()

    def is_processed(self, update_id: int) -> bool:
        return update_id in self._processed

    async def wait_processed(self, update_id: int, timeout: float = 10.0) -> None:
        def describe() -> str:
            where = (
                "it was fetched with getUpdates but never reported processed (is "
                "StandinUpdateProcessor / api.mark_processed wired into the Application?)"
                if update_id in self._delivered
                else "the bot never fetched it with getUpdates (is the Application polling?)"
            )
            return f"update {update_id} not processed within {timeout}s: {where}"

        await self._wait_until(lambda: update_id in self._processed, timeout, describe)

    async def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until every queued update has been processed."""

        def idle() -> bool:
            return all(u["update_id"] in self._processed for u in self.updates)

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
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(event)

    def _notify(self) -> None:
        for event in list(self._waiters):
            event.set()

    # ================================================================ user-side actions

    def resolve_chat_id(self, chat: ChatRef, user: FakeUser | None = None) -> int:
        if chat is None:
            if user is None:
                raise ValueError("no chat given")
            return user.id
        return chat if isinstance(chat, int) else chat.id

    def _as_chat_id(self, chat: int | FakeChat | FakeUser) -> int:
        return chat if isinstance(chat, int) else chat.id

    def _user_chat(self, user: FakeUser, chat: ChatRef) -> FakeChat:
        chat_id = self.resolve_chat_id(chat, user)
        if chat_id == user.id:
            existing = self._chats.get(chat_id)
            if existing is None:
                existing = FakeChat(
                    id=user.id,
                    type="private",
                    username=user.username,
                    first_name=user.first_name,
                    last_name=user.last_name,
                )
                self._chats[chat_id] = existing
            self._started.add(user.id)
            return existing
        group = self._chats.get(chat_id)
        if group is None:
            raise ValueError(f"unknown chat {chat_id}: create it with api.group(...)")
        if user.id not in group.members:
            raise ValueError(f"{user} is not a member of chat {chat_id} ({group.title})")
        return group

    def _new_message_id(self, chat_id: int) -> int:
        next_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = next_id + 1
        return next_id

    def queue_update(self, kind: str, payload: JSON) -> int:
        """Queue a raw update (``kind`` like "message"); returns its update_id."""
        update_id = next(self._update_ids)
        update = {"update_id": update_id, kind: payload}
        self._pending.append(update)
        self.updates.append(update)
        self._notify()
        return update_id

    def user_message(
        self,
        user: FakeUser,
        chat: ChatRef,
        fields: JSON,
        reply_to: int | None = None,
        thread: int | None = None,
    ) -> int:
        """Queue a message from ``user`` (fields: text/entities/photo/...); returns update_id."""
        target = self._user_chat(user, chat)
        message: JSON = {
            "message_id": self._new_message_id(target.id),
            "from": user.to_dict(),
            "chat": target.to_dict(),
            "date": int(self.now()),
            **fields,
        }
        if thread is not None:
            if thread not in target.topics:
                raise ValueError(f"chat {target.id} has no topic {thread}: api.create_topic(...)")
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        if reply_to is not None:
            replied = self._message_json(target.id, reply_to, nested=True)
            if replied is not None:
                message["reply_to_message"] = replied
        self._user_messages.setdefault(target.id, {})[message["message_id"]] = message
        return self.queue_update("message", message)

    def user_edit(self, user: FakeUser, chat_id: int, message_id: int, text: str) -> int:
        stored = self._user_messages.get(chat_id, {}).get(message_id)
        if stored is None or stored["from"]["id"] != user.id:
            raise AssertionError(f"{user} has no message {message_id} in chat {chat_id}")
        stored["text"] = text
        stored["edit_date"] = int(self.now())
        entities = _detect_commands(text)
        if entities:
            stored["entities"] = entities
        else:
            stored.pop("entities", None)
        return self.queue_update("edited_message", copy.deepcopy(stored))

    def find_button_message(self, label: str, chat_id: int) -> SentMessage:
        messages = self.chat_messages(chat_id)
        for message in reversed(messages):
            if any(label == b for row in message.buttons for b in row):
                return message
        available = [f"#{m.message_id}: {m.buttons}" for m in messages if m.buttons]
        raise AssertionError(
            f"no button labelled {label!r} in chat {chat_id}; buttons available: "
            + ("; ".join(available) if available else "none")
        )

    def callback_query(self, user: FakeUser, chat_id: int, message_id: int, data: str) -> int:
        self._user_chat(user, chat_id)
        message = self._message_json(chat_id, message_id)
        if message is None:
            chat = self._chats[chat_id]
            message = {"chat": chat.to_dict(), "message_id": message_id, "date": 0}
        query_id = str(next(self._query_ids))
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": message,
            "chat_instance": str(abs(chat_id * 7919 + self.bot_id)),
            "data": data,
        }
        update_id = self.queue_update("callback_query", query)
        self._queries[query_id] = (update_id, user.id)
        return update_id

    def poll_answer(self, user: FakeUser, chat_id: int, message_id: int, options: list[int]) -> int:
        sent = self._messages.get(chat_id, {}).get(message_id)
        if sent is None or sent.poll is None:
            raise AssertionError(f"no poll #{message_id} in chat {chat_id}")
        poll = sent.poll
        for index in options:
            poll["options"][index]["voter_count"] += 1
        poll["total_voter_count"] += 1
        answer = {
            "poll_id": poll["id"],
            "user": user.to_dict(),
            "option_ids": options,
            "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in options],
        }
        return self.queue_update("poll_answer", answer)

    def _my_chat_member(self, user_id: int, old: str, new: str) -> int:
        user = self._users.get(user_id) or self.private_user(user_id)
        chat = self._chats.get(user_id) or FakeChat(
            id=user_id, type="private", first_name=user.first_name, username=user.username
        )
        bot_user = self._bot_user()

        def member(status: str) -> JSON:
            data: JSON = {"status": status, "user": bot_user}
            if status == "kicked":
                data["until_date"] = 0
            return data

        payload = {
            "chat": chat.to_dict(),
            "from": user.to_dict(),
            "date": int(self.now()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        return self.queue_update("my_chat_member", payload)

    def store_file(
        self, content: bytes, filename: str | None, mime_type: str | None
    ) -> tuple[str, str]:
        number = next(self._file_ids)
        file_id = f"StandinFile{number:06d}"
        unique = f"StandinUniq{number:06d}"
        folder = "photos" if (mime_type or "").startswith("image/") else "documents"
        suffix = (filename or "").rpartition(".")[2] if filename and "." in filename else "bin"
        stored = _StoredFile(
            file_id, unique, content, filename, mime_type, f"{folder}/file_{number}.{suffix}"
        )
        self._files[file_id] = stored
        self._files_by_path[stored.path] = stored
        return file_id, unique

    # ================================================================ internals

    def _violation(self, method: str, problem: str) -> None:
        self.violations.append(f"{method}: {problem}")

    async def _apply_fault(self, fault: _Fault) -> None:
        if fault.delay > 0:
            await asyncio.sleep(fault.delay)
        if fault.drop == "before":
            raise DroppedConnection(fault.method)
        if fault.error_code is not None:
            raise ApiError(fault.error_code, fault.description, fault.retry_after)

    def _take_fault(self, method: str, params: JSON) -> _Fault | None:
        for fault in self._faults:
            if fault.method != method:
                continue
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            fault.count -= 1
            if fault.count <= 0:
                self._faults.remove(fault)
            return fault
        return None

    def _bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _record_event(self, message: SentMessage, event: str) -> None:
        snapshot = replace(
            message,
            event=event,
            entities=list(message.entities),
            reply_markup=copy.deepcopy(message.reply_markup),
        )
        self.events.append(snapshot)
        for listener in list(self._listeners):
            listener(snapshot)

    def _chat_for_send(self, chat_ref: Any) -> FakeChat:
        chat: FakeChat | None = None
        if isinstance(chat_ref, int):
            chat = self._chats.get(chat_ref)
        elif isinstance(chat_ref, str) and chat_ref.startswith("@"):
            chat = next(
                (
                    c
                    for c in self._chats.values()
                    if c.type != "private"
                    and c.username
                    and c.username.lower() == chat_ref[1:].lower()
                ),
                None,
            )
        if chat is None:
            if isinstance(chat_ref, int) and chat_ref in self._users:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise ApiError(400, "Bad Request: chat not found")
        if chat.type == "private":
            if chat.id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat.id not in self._started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=chat.migrated_to,
            )
        elif not chat.bot_member:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        elif not chat.bot_can_send:
            raise ApiError(400, "Bad Request: not enough rights to send text messages to the chat")
        return chat

    def _chat_known(self, chat_ref: Any) -> FakeChat:
        if isinstance(chat_ref, int) and chat_ref in self._chats:
            return self._chats[chat_ref]
        if isinstance(chat_ref, str) and chat_ref.startswith("@"):
            for chat in self._chats.values():
                if chat.username and chat.username.lower() == chat_ref[1:].lower():
                    return chat
        raise ApiError(400, "Bad Request: chat not found")

    def _message_json(self, chat_id: int, message_id: int, nested: bool = False) -> JSON | None:
        sent = self._messages.get(chat_id, {}).get(message_id)
        if sent is not None and not sent.deleted:
            return self._sent_json(sent, nested=nested)
        user_message = self._user_messages.get(chat_id, {}).get(message_id)
        if user_message is not None:
            data = copy.deepcopy(user_message)
            if nested:
                data.pop("reply_to_message", None)
            return data
        return None

    def _sent_json(self, sent: SentMessage, nested: bool = False) -> JSON:
        data: JSON = {
            "message_id": sent.message_id,
            "from": self._bot_user(),
            "chat": self._chats[sent.chat_id].to_dict(),
            "date": sent.date,
        }
        if sent.edit_date is not None:
            data["edit_date"] = sent.edit_date
        if sent.message_thread_id is not None:
            data["message_thread_id"] = sent.message_thread_id
            data["is_topic_message"] = True
        if sent.reply_to_message_id is not None and not nested:
            replied = self._message_json(sent.chat_id, sent.reply_to_message_id, nested=True)
            if replied is not None:
                data["reply_to_message"] = replied
        text_key = "caption" if sent.is_caption else "text"
        if sent.text is not None and sent.plain_text:
            data[text_key] = sent.plain_text
            if sent.entities:
                data[f"{text_key}_entities" if sent.is_caption else "entities"] = sent.entities
        stored = self._files.get(sent.file_id or "")
        if sent.photo is not None and stored is not None:
            width, height = _image_size(sent.photo)
            data["photo"] = [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.unique_id,
                    "width": width,
                    "height": height,
                    "file_size": len(sent.photo),
                }
            ]
        if sent.document is not None and stored is not None:
            document: JSON = {
                "file_id": stored.file_id,
                "file_unique_id": stored.unique_id,
                "file_size": len(sent.document),
            }
            if sent.filename:
                document["file_name"] = sent.filename
            if stored.mime_type:
                document["mime_type"] = stored.mime_type
            data["document"] = document
        if sent.poll is not None:
            data["poll"] = copy.deepcopy(sent.poll)
        if sent.reply_markup and sent.reply_markup.get("inline_keyboard"):
            data["reply_markup"] = copy.deepcopy(sent.reply_markup)
        return data

    def _parse(self, text: str, parse_mode: Any, entities: Any) -> ParsedText:
        if isinstance(entities, list) and entities:
            return strip_text(ParsedText(text, list(entities)))
        mode = parse_mode if isinstance(parse_mode, str) else None
        return strip_text(parse_formatted(text, mode))

    def _new_sent(self, method: str, chat: FakeChat, params: JSON, **fields: Any) -> SentMessage:
        reply_to: int | None = None
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            target = reply.get("message_id")
            target_chat = reply.get("chat_id", chat.id)
            exists = (
                isinstance(target, int)
                and self._message_json(self._chat_known(target_chat).id, target) is not None
            )
            if not exists and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
            reply_to = target if exists and target_chat == chat.id else None
        markup = params.get("reply_markup")
        thread = params.get("message_thread_id")
        if thread is not None and (not chat.is_forum or thread not in chat.topics):
            raise ApiError(400, "Bad Request: message thread not found")
        sent = SentMessage(
            chat_id=chat.id,
            message_id=self._new_message_id(chat.id),
            method=method,
            date=int(self.now()),
            reply_markup=copy.deepcopy(markup) if isinstance(markup, dict) else None,
            reply_to_message_id=reply_to,
            message_thread_id=thread,
            **fields,
        )
        self._messages.setdefault(chat.id, {})[sent.message_id] = sent
        self._record_event(sent, "sent")
        return sent

    def _upload(
        self, value: Any, uploads: dict[str, UploadedFile], kind: str
    ) -> tuple[bytes, str, str | None]:
        """Resolve an InputFile-or-String parameter to (content, file_id, filename)."""
        if isinstance(value, FileRef):
            upload = uploads[value.name]
            mime = upload.mime_type or (
                "image/jpeg" if kind == "photo" else "application/octet-stream"
            )
            file_id, _ = self.store_file(upload.content, upload.filename, mime)
            return upload.content, file_id, upload.filename
        if isinstance(value, str):
            stored = self._files.get(value)
            if stored is not None:
                return stored.content, stored.file_id, stored.filename
            if value.startswith(("http://", "https://")):
                filename = value.rsplit("/", 1)[-1] or None
                file_id, _ = self.store_file(b"", filename, None)
                return b"", file_id, filename
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _edit_target(self, params: JSON) -> SentMessage:
        if "inline_message_id" in params:
            message = "inline messages are not implemented by the stand-in"
            self._violation("edit", message)
            raise ApiError(400, f"Bad Request: {message}")
        if "chat_id" not in params or "message_id" not in params:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        chat = self._chat_known(params["chat_id"])
        sent = self._messages.get(chat.id, {}).get(params["message_id"])
        if sent is None or sent.deleted:
            if params["message_id"] in self._user_messages.get(chat.id, {}):
                raise ApiError(400, "Bad Request: message can't be edited")
            raise ApiError(400, "Bad Request: message to edit not found")
        return sent

    def _apply_edit(self, sent: SentMessage, changes: JSON) -> JSON:
        before = (
            sent.plain_text,
            json.dumps(sent.entities, sort_keys=True),
            _markup_key(sent.reply_markup),
        )
        after = (
            changes.get("plain_text", sent.plain_text),
            json.dumps(changes.get("entities", sent.entities), sort_keys=True),
            _markup_key(changes.get("reply_markup")),
        )
        if before == after:
            raise ApiError(400, NOT_MODIFIED)
        for key, value in changes.items():
            setattr(sent, key, copy.deepcopy(value))
        sent.edit_date = int(self.now())
        self._record_event(sent, "edited")
        return self._sent_json(sent)

    # ================================================================ methods

    def _true(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        return True

    def _get_me(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSON, uploads: dict[str, UploadedFile]) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._poll_generation += 1
        generation = self._poll_generation
        released = self._release_count
        offset = params.get("offset")
        if isinstance(offset, int) and offset != 0:
            if offset > 0:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
            else:
                self._pending = self._pending[offset:]
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = set(allowed) if allowed else set(_DEFAULT_ALLOWED)
        limit = params.get("limit", 100)
        limit = min(max(limit if isinstance(limit, int) else 100, 1), 100)
        timeout = params.get("timeout", 0)
        timeout = max(timeout if isinstance(timeout, int | float) else 0, 0)

        def available() -> list[JSON]:
            self._pending = [
                u
                for u in self._pending
                if any(k in self._allowed_updates for k in u if k != "update_id")
            ]
            return self._pending[:limit]

        if timeout > 0 and not available() and not self._closed:
            with contextlib.suppress(TimeoutError):
                await self._wait_until(
                    lambda: (
                        bool(available())
                        or released != self._release_count
                        or generation != self._poll_generation
                    ),
                    float(timeout),
                    lambda: "",
                )
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
        batch = copy.deepcopy(available())
        self._delivered.update(u["update_id"] for u in batch)
        return batch

    def _delete_webhook(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _set_webhook(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        message = "setWebhook is not supported by the stand-in; use getUpdates (polling)"
        self._violation("setWebhook", message)
        raise ApiError(400, f"Bad Request: {message}")

    def _get_webhook_info(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    def _send_message(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_for_send(params["chat_id"])
        parsed = self._parse(params["text"], params.get("parse_mode"), params.get("entities"))
        sent = self._new_sent(
            "sendMessage",
            chat,
            params,
            text=params["text"],
            parse_mode=params.get("parse_mode"),
            plain_text=parsed.text,
            entities=parsed.entities,
        )
        return self._sent_json(sent)

    def _media_caption(self, params: JSON) -> JSON:
        caption = params.get("caption")
        if not isinstance(caption, str) or not caption:
            return {"is_caption": True}
        parsed = self._parse(caption, params.get("parse_mode"), params.get("caption_entities"))
        return {
            "text": caption,
            "parse_mode": params.get("parse_mode"),
            "plain_text": parsed.text,
            "entities": parsed.entities,
            "is_caption": True,
        }

    def _send_photo(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_for_send(params["chat_id"])
        content, file_id, _ = self._upload(params["photo"], uploads, "photo")
        sent = self._new_sent(
            "sendPhoto", chat, params, photo=content, file_id=file_id, **self._media_caption(params)
        )
        return self._sent_json(sent)

    def _send_document(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_for_send(params["chat_id"])
        content, file_id, filename = self._upload(params["document"], uploads, "document")
        sent = self._new_sent(
            "sendDocument",
            chat,
            params,
            document=content,
            file_id=file_id,
            filename=filename,
            **self._media_caption(params),
        )
        return self._sent_json(sent)

    def _send_poll(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_for_send(params["chat_id"])
        options = []
        for index, option in enumerate(params["options"]):
            text = option.get("text") if isinstance(option, dict) else str(option)
            options.append({"persistent_id": str(index), "text": text, "voter_count": 0})
        poll: JSON = {
            "id": str(next(self._poll_ids)),
            "question": params["question"],
            "options": options,
            "total_voter_count": 0,
            "is_closed": bool(params.get("is_closed", False)),
            "is_anonymous": bool(params.get("is_anonymous", True)),
            "type": params.get("type", "regular"),
            "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
            "allows_revoting": bool(params.get("allows_revoting", True)),
            "members_only": bool(params.get("members_only", False)),
        }
        if "correct_option_ids" in params:
            poll["correct_option_ids"] = params["correct_option_ids"]
        sent = self._new_sent("sendPoll", chat, params, poll=poll, plain_text=params["question"])
        return self._sent_json(sent)

    def _stop_poll(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_known(params["chat_id"])
        sent = self._messages.get(chat.id, {}).get(params["message_id"])
        if sent is None or sent.poll is None or sent.deleted:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        if sent.poll["is_closed"]:
            raise ApiError(400, "Bad Request: poll has already been closed")
        sent.poll["is_closed"] = True
        if "reply_markup" in params:
            sent.reply_markup = params["reply_markup"]
        self._record_event(sent, "edited")
        return copy.deepcopy(sent.poll)

    def _edit_message_text(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        sent = self._edit_target(params)
        if sent.is_caption or sent.text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        if "text" not in params:
            raise ApiError(400, "Bad Request: text must be non-empty")
        parsed = self._parse(params["text"], params.get("parse_mode"), params.get("entities"))
        return self._apply_edit(
            sent,
            {
                "text": params["text"],
                "parse_mode": params.get("parse_mode"),
                "plain_text": parsed.text,
                "entities": parsed.entities,
                "reply_markup": params.get("reply_markup"),
            },
        )

    def _edit_message_caption(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        sent = self._edit_target(params)
        if not sent.is_caption:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        changes = self._media_caption(params)
        changes.setdefault("text", None)
        changes.setdefault("plain_text", "")
        changes.setdefault("entities", [])
        changes["reply_markup"] = params.get("reply_markup")
        return self._apply_edit(sent, changes)

    def _edit_message_reply_markup(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        sent = self._edit_target(params)
        return self._apply_edit(sent, {"reply_markup": params.get("reply_markup")})

    def _delete_message(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        chat = self._chat_known(params["chat_id"])
        message_id = params["message_id"]
        sent = self._messages.get(chat.id, {}).get(message_id)
        if sent is not None and not sent.deleted:
            sent.deleted = True
            self._record_event(sent, "deleted")
            return True
        theirs = self._user_messages.get(chat.id, {})
        if message_id in theirs:
            if chat.type != "private" and not (chat.bot_admin and chat.bot_member):
                raise ApiError(400, "Bad Request: message can't be deleted")
            del theirs[message_id]
            return True
        raise ApiError(400, "Bad Request: message to delete not found")

    def _answer_callback_query(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        query_id = params["callback_query_id"]
        if query_id not in self._queries or query_id in self._answered:
            raise ApiError(400, _QUERY_INVALID)
        self._answered.add(query_id)
        update_id, user_id = self._queries[query_id]
        self.callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                update_id=update_id,
                user_id=user_id,
                text=params.get("text"),
                show_alert=bool(params.get("show_alert", False)),
                url=params.get("url"),
            )
        )
        return True

    @staticmethod
    def _scope_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _set_my_commands(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        self.commands[self._scope_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in params["commands"]
        ]
        return True

    def _get_my_commands(self, params: JSON, uploads: dict[str, UploadedFile]) -> list[JSON]:
        return copy.deepcopy(self.commands.get(self._scope_key(params), []))

    def _delete_my_commands(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def _set_my_description(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        self.descriptions[str(params.get("language_code") or "")] = params.get("description") or ""
        return True

    def _set_my_short_description(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        key = str(params.get("language_code") or "")
        self.short_descriptions[key] = params.get("short_description") or ""
        return True

    def _get_my_description(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        key = str(params.get("language_code") or "")
        return {"description": self.descriptions.get(key, self.descriptions.get("", ""))}

    def _get_my_short_description(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        key = str(params.get("language_code") or "")
        text = self.short_descriptions.get(key, self.short_descriptions.get("", ""))
        return {"short_description": text}

    def _send_chat_action(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        chat = self._chat_for_send(params["chat_id"])
        self.chat_actions.append((chat.id, params["action"]))
        return True

    def _get_chat(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_known(params["chat_id"])
        data = chat.to_dict()
        data.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": True,
                    "limited_gifts": True,
                    "unique_gifts": True,
                    "premium_subscription": True,
                    "gifts_from_channels": True,
                },
            }
        )
        return data

    def _member_json(self, chat: FakeChat, user_id: int) -> JSON:
        if user_id == self.bot_id:
            return self._bot_member_json(chat)
        known = self._users.get(user_id)
        user = known.to_dict() if known else {"id": user_id, "is_bot": False, "first_name": "?"}
        if chat.type == "private":
            if user_id != chat.id:
                raise ApiError(400, "Bad Request: user not found")
            return {"status": "member", "user": user}
        if user_id == chat.owner_id:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in chat.admins:
            return self._admin_json(user)
        if user_id in chat.members:
            return {"status": "member", "user": user}
        return {"status": "left", "user": user}

    def _admin_json(self, user: JSON) -> JSON:
        data: JSON = {"status": "administrator", "user": user}
        spec = self.spec.types.get("ChatMemberAdministrator")
        for name, f in spec.fields.items() if spec else ():
            if f.types == ("Boolean",):
                data[name] = name not in ("can_be_edited", "is_anonymous")
        return data

    def _get_chat_member(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_known(params["chat_id"])
        return self._member_json(chat, params["user_id"])

    def _get_chat_administrators(
        self, params: JSON, uploads: dict[str, UploadedFile]
    ) -> list[JSON]:
        chat = self._chat_known(params["chat_id"])
        if chat.type == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        ids = [chat.owner_id] if chat.owner_id is not None else []
        ids += sorted(a for a in chat.admins if a != chat.owner_id)
        result = [self._member_json(chat, uid) for uid in ids]
        if chat.bot_admin and chat.bot_member:
            result.append(self._member_json(chat, self.bot_id))
        return result

    def _leave_chat(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        chat = self._chat_known(params["chat_id"])
        if chat.type == "private":
            raise ApiError(400, "Bad Request: chat member status can't be changed in private chats")
        if not chat.bot_member:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        chat.bot_member = False
        return True

    def _get_file(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        stored = self._files.get(params["file_id"])
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": len(stored.content),
            "file_path": stored.path,
        }
