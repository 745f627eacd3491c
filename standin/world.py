"""The stand-in's world: the bot, its chats, users, messages, files and the update queue.

:class:`World` holds all the in-memory state of :class:`standin.core.FakeBotApi` (each area
adds its behaviour as a mixin over it) and what every area shares: resolving and checking
chats, numbering messages, queueing updates, rendering messages as Bot API JSON, recording
what the bot sends (``api.events``) and reading it back (``api.chat_messages``).  Any change
wakes up the waiters (``_notify``, see :mod:`standin.waiting`).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from standin.records import (
    JSON,
    ApiError,
    CallbackAnswer,
    ChatRef,
    FakeChat,
    RecordedRequest,
    SentMessage,
    StoredFile,
    WebhookDelivery,
)
from standin.spec import BotApiSpec

if TYPE_CHECKING:
    from standin.faults import Fault
    from standin.people import FakeUser

__all__ = ["DEFAULT_ALLOWED_UPDATES", "World", "image_size"]

DEFAULT_ALLOWED_UPDATES = {
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


def image_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 640, 480


class World:
    """The state of the fake Bot API and the helpers every area of it shares."""

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
        # Telegram refuses to answer a press that waited more than a few seconds (the bot was
        # away): "query is too old". Off (None) unless a test sets it, in seconds of `now`.
        self.callback_answer_window: float | None = None
        self.chat_actions: list[tuple[int, str]] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_max_connections = 40
        # A load balancer in front of several workers: when set, each delivery attempt goes to
        # the next of these URLs instead of webhook_url.
        self.webhook_targets: list[str] | None = None
        self.webhook_timeout = 10.0  # seconds until an unanswered delivery counts as failed
        self.webhook_retry_delay = 0.5  # first backoff after a failed delivery, doubling ...
        self.webhook_max_retry_delay = 4.0  # ... up to this
        # In webhook mode, wait_processed/wait_idle/FakeUser.say count an acknowledged (2xx)
        # update as processed (a bot in another process can't report more); wiring
        # mark_processed into an Application (standin.request) turns this off.
        self.webhook_ack_means_processed = True
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.webhook_last_error_date: int | None = None
        self.webhook_last_error_message: str | None = None

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
        self._acknowledged: set[int] = set()
        self._dropped: set[int] = set()  # never to be delivered: dropped or not allowed
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_attempts: dict[int, int] = {}
        self._webhook_retry_at: dict[int, float] = {}  # loop time before which not to retry
        self._webhook_in_flight: set[int] = set()
        self._webhook_turn = 0
        self._allowed_updates: set[str] = set(DEFAULT_ALLOWED_UPDATES)
        self._update_ids = itertools.count(1001)
        self._user_ids = itertools.count(10001)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_000_000_001)
        self._poll_ids = itertools.count(5_000_000_000_000_001)
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._queries: dict[str, tuple[int, int]] = {}  # query id -> (update_id, user_id)
        self._pressed_at: dict[str, float] = {}  # query id -> `now` of the press
        self._answered: set[str] = set()
        self._faults: list[Fault] = []
        self._waiters: set[asyncio.Event] = set()
        self._listeners: list[Callable[[SentMessage], None]] = []
        self._poll_generation = 0
        self._release_count = 0
        self._closed = False

    def check_token(self, token: str) -> bool:
        return token == self.token

    def file_content(self, file_path: str) -> bytes | None:
        """Bytes of a file by its ``file_path`` (as returned by getFile), None if unknown."""
        stored = self._files_by_path.get(file_path)
        return stored.content if stored else None

    def store_file(
        self, content: bytes, filename: str | None, mime_type: str | None
    ) -> tuple[str, str]:
        number = next(self._file_ids)
        file_id = f"StandinFile{number:06d}"
        unique = f"StandinUniq{number:06d}"
        folder = "photos" if (mime_type or "").startswith("image/") else "documents"
        suffix = (filename or "").rpartition(".")[2] if filename and "." in filename else "bin"
        stored = StoredFile(
            file_id, unique, content, filename, mime_type, f"{folder}/file_{number}.{suffix}"
        )
        self._files[file_id] = stored
        self._files_by_path[stored.path] = stored
        return file_id, unique

    def chat(self, chat_id: int) -> FakeChat:
        return self._chats[chat_id]

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

    def message_id_counters(self) -> dict[int, int]:
        """The next message id of every chat, to continue the numbering after a restart."""
        return dict(self._next_message_id)

    def continue_message_ids(self, counters: Mapping[int, int]) -> None:
        """Number each chat's next messages from at least these ids, so kept ids stay unique."""
        for chat_id, next_id in counters.items():
            self._next_message_id[chat_id] = max(self._next_message_id.get(chat_id, 1), next_id)

    def queue_update(self, kind: str, payload: JSON) -> int:
        """Queue a raw update (``kind`` like "message"); returns its update_id."""
        update_id = next(self._update_ids)
        update = {"update_id": update_id, kind: payload}
        self._pending.append(update)
        self.updates.append(update)
        self._notify()
        return update_id

    def _drop_disallowed(self) -> None:
        """Forget pending updates of kinds the bot did not ask for (allowed_updates)."""
        kept = []
        for update in self._pending:
            if any(k in self._allowed_updates for k in update if k != "update_id"):
                kept.append(update)
            else:
                self._dropped.add(update["update_id"])
        self._pending = kept

    def _drop_pending(self) -> None:
        """drop_pending_updates: forget every pending update."""
        self._dropped.update(u["update_id"] for u in self._pending)
        self._pending.clear()

    def continue_update_ids(self, next_id: int) -> None:
        """Number the next updates from at least `next_id`: a bot that keeps its polling offset
        (its newest update id) across restarts of this fake then still sees every update."""
        current = next(self._update_ids)
        self._update_ids = itertools.count(max(current, next_id))

    def _notify(self) -> None:
        for event in list(self._waiters):
            event.set()

    def subscribe(self, listener: Callable[[SentMessage], None]) -> None:
        """Call ``listener`` with a snapshot each time the bot sends/edits/deletes a message."""
        self._listeners.append(listener)

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

    def _violation(self, method: str, problem: str) -> None:
        self.violations.append(f"{method}: {problem}")

    def _bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

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
            width, height = image_size(sent.photo)
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

    def assert_no_violations(self) -> None:
        if self.violations:
            raise AssertionError(
                "the bot made requests Telegram would refuse:\n  " + "\n  ".join(self.violations)
            )

    @property
    def pending_updates(self) -> list[JSON]:
        return list(self._pending)
