"""The stand-in's data: what the bot sent, what it asked, the chats, errors and uploads.

Plain records shared by every part of :class:`standin.core.FakeBotApi`; the users tests act
as (:class:`standin.people.FakeUser`) live with the rest of what people do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from standin.people import FakeUser

__all__ = [
    "JSON",
    "ApiError",
    "CallbackAnswer",
    "ChatRef",
    "DroppedConnection",
    "FakeChat",
    "RecordedRequest",
    "SentMessage",
    "StoredFile",
    "UploadedFile",
    "WebhookDelivery",
]

JSON = dict[str, Any]


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
class WebhookDelivery:
    """One attempt to POST an update to the webhook: the answer's ``status`` or the ``error``."""

    target: str
    update_id: int
    status: int | None
    error: str | None
    timestamp: float

    @property
    def ok(self) -> bool:
        """Whether the attempt was acknowledged (HTTP 2xx), which delivers the update."""
        return self.status is not None and 200 <= self.status < 300


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


class DroppedConnection(Exception):
    """The server closes the connection without answering (see ``FakeBotApi.drop_next``)."""


@dataclass
class StoredFile:
    file_id: str
    unique_id: str
    content: bytes
    filename: str | None
    mime_type: str | None
    path: str
