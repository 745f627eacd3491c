"""Sending rendered HTML: the one place parse mode, link previews and reply retries are decided."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable

from telegram import Bot, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
MESSAGE_LIMIT = 4096  # what Telegram accepts, counted in UTF-16 units after HTML parsing
_TAG = re.compile(r"<[^>]*>")

# A reply that fails for a passing reason (Telegram answers 5xx, the connection drops before the
# request went out) is tried again after these pauses, then given up: the error is raised and
# the error handler logs it as a warning (the step's answers are already saved, and the user's
# next message or /resume asks the question again). A reply whose answer timed out may have been
# delivered (the Bot API has no idempotency key, so replies are at-least-once), so a timeout is
# retried at most once: a rare double is preferred to a lost reply, a stream of doubles is not.
# 429 is the rate limiter's business, and 400/403 are not passing, so neither is retried here.
# See docs/reliability.md.
RETRY_PAUSES: tuple[float, ...] = (0.5, 1.5)
TIMEOUT_RETRIES = 1

_LOGGER = logging.getLogger(__name__)


def is_transient(error: TelegramError) -> bool:
    """A network-level failure worth retrying (BadRequest is a NetworkError subclass in PTB)."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


# How Telegram words its refusal to answer a button press it no longer waits for.
_QUERY_EXPIRED = ("query is too old", "query id is invalid")


def query_expired(error: TelegramError) -> bool:
    """Whether Telegram refused to answer a button press because it waited too long (a few
    seconds: the bot was away when it was pressed, and handles it after a restart)."""
    if not isinstance(error, BadRequest):
        return False
    message = error.message.lower()
    return any(said in message for said in _QUERY_EXPIRED)


async def _with_retries(chat_id: int, send: Callable[[], Awaitable[Message]]) -> Message:
    timeouts = 0
    for pause in RETRY_PAUSES:
        try:
            return await send()
        except TelegramError as exc:
            if not is_transient(exc):
                raise
            if isinstance(exc, TimedOut):
                timeouts += 1
                if timeouts > TIMEOUT_RETRIES:
                    raise
            _LOGGER.info("Reply to chat %s failed (%s); retrying in %g s", chat_id, exc, pause)
        await asyncio.sleep(pause)
    return await send()


async def send_html(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    message_thread_id: int | None = None,
) -> Message:
    """Send a message rendered from a template (HTML parse mode, no link preview)."""
    return await _with_retries(
        chat_id,
        lambda: bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
            message_thread_id=message_thread_id,
        ),
    )


def visible_length(text: str) -> int:
    """How long Telegram counts an HTML message: its text without tags, in UTF-16 units."""
    return len(html.unescape(_TAG.sub("", text)).encode("utf-16-le")) // 2


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut a long HTML message at line breaks into parts Telegram accepts.

    Our templates open and close their tags on one line, so every part stays valid HTML. Each
    line is bounded by the input limits (the longest answer is 2,000 characters), so one line
    never exceeds the limit on its own.
    """
    if visible_length(text) <= limit:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        length = visible_length(line) + 1
        if current and size + length > limit:
            parts.append("\n".join(current).strip())
            current, size = [], 0
        current.append(line)
        size += length
    parts.append("\n".join(current).strip())
    return [part for part in parts if part]


async def send_long_html(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Send a message that may be longer than Telegram allows (a plan full of long answers) in
    as many parts as it takes; the buttons go with the last part."""
    parts = split_html(text)
    for part in parts[:-1]:
        await send_html(bot, chat_id, part)
    return await send_html(bot, chat_id, parts[-1], markup)


async def send_photo_html(
    bot: Bot, chat_id: int, photo: bytes, filename: str, caption: str
) -> Message:
    """Send an image (uploaded as a file) with a caption rendered from a template."""
    return await _send_file(bot.send_photo, chat_id, photo, filename, caption)


async def send_document_html(
    bot: Bot, chat_id: int, document: bytes, filename: str, caption: str
) -> Message:
    """Send a file under `filename` with a caption rendered from a template."""
    return await _send_file(bot.send_document, chat_id, document, filename, caption)


async def _send_file(
    send: Callable[..., Awaitable[Message]],
    chat_id: int,
    content: bytes,
    filename: str,
    caption: str,
) -> Message:
    return await _with_retries(
        chat_id,
        lambda: send(
            chat_id,
            InputFile(content, filename=filename),
            caption=caption,
            parse_mode=ParseMode.HTML,
        ),
    )


async def edit_html(
    bot: Bot,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Replace a message's text (HTML parse mode, no link preview) and its buttons; an edit
    that changes nothing is not an error."""
    try:
        await bot.edit_message_text(
            text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise
