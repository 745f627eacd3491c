"""Shared plumbing of the coaching conversations: who is talking, replying, button data."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError

from bot.messages import send_html
from bot.services import CoachContext, Services
from bot.storage import User
from coaching.model import GoalKind
from conversations.routing import Handler, StoredConversation

_LOGGER = logging.getLogger(__name__)

# Callback data is "<prefix>:<owner id>:<step code>:<value>", at most 64 bytes. The owner id
# (a rejection, goal or check-in id) lets a handler tell a current button from a stale or forged
# one without trusting anything else in the data.
SEPARATOR = ":"


class Prefix(StrEnum):
    """Every flow's callback-data prefix, declared once (`<prefix>:<owner>:<step>:<value>`);
    the owner is what a press is checked against."""

    DEBRIEF = "d"  # owner: the rejection
    CHECKIN = "c"  # owner: the check-in
    SETTINGS = "s"  # owner: the user
    PRIVACY = "p"  # owner: the user (/delete's confirmation)
    HISTORY = "h"  # owner: the rejection (/history)
    CARE = "care"  # owner: the wellbeing check-in, or 0
    GROUP_SETTINGS = "g"  # owner: the group chat
    JOIN = "j"  # owner: the user (consent to share in a group)
    DRAFT = "fd"  # owner: the rejection (/plan's unsent feedback request)
    OUTCOME = "o"  # owner: the user (/outcome)
    LANGUAGE = "l"  # owner: the user (/language)


# chat_data key: the last few messages whose buttons a press took away (see is_double_tap).
_CLEARED = "cleared_buttons"
_CLEARED_KEPT = 8


def persisted_conversation(
    name: str,
    *,
    entry_points: list[Handler],
    states: dict[object, list[Handler]],
    fallbacks: list[Handler],
    allow_reentry: bool = False,
) -> StoredConversation:
    """A conversation keyed per chat and person, its state stored under `name`."""
    return StoredConversation(name, entry_points, states, fallbacks, allow_reentry)


def callback(prefix: str, owner: int, step: str, value: str = "") -> str:
    """Build callback data; raises if Telegram would refuse it (over 64 bytes)."""
    data = SEPARATOR.join((prefix, str(owner), step, value))
    if len(data.encode("utf-8")) > 64:
        raise ValueError(f"callback data over 64 bytes: {data!r}")
    return data


@dataclass(frozen=True)
class ButtonPress:
    """Parsed callback data."""

    prefix: str
    owner: int
    step: str
    value: str


def parse_callback(data: str | None) -> ButtonPress | None:
    """Parse callback data built by `callback`, or None if it is not ours."""
    if not data:
        return None
    parts = data.split(SEPARATOR, 3)
    if len(parts) != 4 or not parts[1].lstrip("-").isdigit():
        return None
    return ButtonPress(parts[0], int(parts[1]), parts[2], parts[3])


_KEPT_CONTROLS = frozenset("\n\t")


def readable(text: str) -> str:
    """User text as the flows should see it: control characters (NUL and the like) removed,
    and "" when nothing visible is left (only spaces and invisible format characters such as
    zero-width spaces or direction marks), so such a message counts as empty. Visible text is
    kept as typed, right-to-left marks and emoji joiners included."""
    cleaned = "".join(c for c in text if c in _KEPT_CONTROLS or unicodedata.category(c) != "Cc")
    if all(c.isspace() or unicodedata.category(c) == "Cf" for c in cleaned):
        return ""
    return cleaned


@dataclass
class Chat:
    """One incoming update seen from the coaching side: the person, the chat, the services."""

    update: Update
    context: CoachContext

    @property
    def services(self) -> Services:
        """The application's services."""
        return self.context.services

    @property
    def user_id(self) -> int:
        """The Telegram id of the person talking."""
        assert self.update.effective_user is not None
        return self.update.effective_user.id

    @property
    def chat_id(self) -> int:
        """Where to answer."""
        assert self.update.effective_chat is not None
        return self.update.effective_chat.id

    @property
    def text(self) -> str | None:
        """The message text, if this update is a text message (see `readable`)."""
        message = self.update.effective_message
        if self.update.callback_query is not None or message is None:
            return None
        return readable(message.text) if message.text is not None else None

    async def ensure_user(self) -> User:
        """Create or refresh the user's row (and mark them active: they are writing to us)."""
        tg_user = self.update.effective_user
        assert tg_user is not None
        return await self.services.users.ensure(
            tg_user.id, tg_user.first_name or "", tg_user.language_code
        )

    def render(self, template: str, /, **values: object) -> str:
        """Render a message template."""
        return self.services.prompts.render(template, **values)

    def label(self, key: str, /, **values: object) -> str:
        """Render a button label."""
        return self.services.prompts.label(key, **values)

    def goal_words(self) -> dict[GoalKind, str]:
        """The words of each counted goal kind's buttons, for reading a goal typed in words
        (coaching.goals.read_goal): "Apply to N roles Apply to 0 roles"..."""
        return {
            kind: " ".join(
                (self.label(f"goal.{kind.value}"), self.label(f"goal.pick_{kind.value}", number=0))
            )
            for kind in GoalKind
            if kind is not GoalKind.CUSTOM
        }

    async def say(
        self, template: str, /, markup: InlineKeyboardMarkup | None = None, **values: object
    ) -> Message:
        """Send a rendered template to this chat."""
        return await send_html(
            self.context.bot, self.chat_id, self.render(template, **values), markup
        )

    async def acknowledge(self, notice: str | None = None, keep_buttons: bool = False) -> None:
        """Answer the button press and, unless told otherwise, take the buttons away."""
        query = self.update.callback_query
        if query is None:
            return
        try:
            await query.answer(notice)
        except TelegramError as exc:
            # Only the spinner on the button is left; the step itself must still happen.
            _LOGGER.warning("Could not answer a button press: %s", exc)
        if keep_buttons or query.message is None:
            return
        await self._remember_cleared(query.message.message_id)
        try:
            await query.edit_message_reply_markup(None)
        except BadRequest as exc:
            # Pressed twice, or the message is too old to edit: nothing left to remove.
            _LOGGER.debug("Could not remove buttons: %s", exc.message)
        except TelegramError as exc:
            _LOGGER.warning("Could not remove buttons: %s", exc)

    async def _remember_cleared(self, message_id: int) -> None:
        update_id = self.update.update_id
        chat_data = self.context.chat_data
        if chat_data is not None:
            cleared: list[tuple[int, int]] = chat_data.setdefault(_CLEARED, [])
            cleared.append((message_id, update_id))
            del cleared[:-_CLEARED_KEPT]
        await self.services.buttons.remember(self.chat_id, message_id, self.user_id, update_id)

    async def is_double_tap(self) -> bool:
        """Whether this press is on a message whose buttons an earlier press already took away.

        A double tap sends two presses before the first one's reply arrives; the first acts,
        and this one must neither act nor ask the next question again (a short notice on the
        button is enough). Remembered in memory and in the database, so a double tap split by
        a restart is recognised too.
        """
        query = self.update.callback_query
        if query is None or query.message is None:
            return False
        message_id, update_id = query.message.message_id, self.update.update_id
        chat_data = self.context.chat_data
        remembered = chat_data.get(_CLEARED, ()) if chat_data is not None else ()
        if any(m == message_id and u != update_id for m, u in remembered):
            return True
        return await self.services.buttons.were_cleared(self.chat_id, message_id, update_id)

    async def edit_buttons(self, markup: InlineKeyboardMarkup) -> None:
        """Replace the keyboard of the message whose button was pressed."""
        query = self.update.callback_query
        if query is None:
            return
        try:
            await query.edit_message_reply_markup(markup)
        except BadRequest as exc:
            if "not modified" not in exc.message:
                raise
