"""Sending rendered HTML: the one place parse mode and link previews are decided."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def send_html(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    message_thread_id: int | None = None,
) -> Message:
    """Send a message rendered from a template (HTML parse mode, no link preview)."""
    return await bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        link_preview_options=NO_PREVIEW,
        message_thread_id=message_thread_id,
    )


async def send_photo_html(
    bot: Bot, chat_id: int, photo: bytes, filename: str, caption: str
) -> Message:
    """Send an image (uploaded as a file) with a caption rendered from a template."""
    return await bot.send_photo(
        chat_id, InputFile(photo, filename=filename), caption=caption, parse_mode=ParseMode.HTML
    )


async def send_document_html(
    bot: Bot, chat_id: int, document: bytes, filename: str, caption: str
) -> Message:
    """Send a file under `filename` with a caption rendered from a template."""
    return await bot.send_document(
        chat_id,
        InputFile(document, filename=filename),
        caption=caption,
        parse_mode=ParseMode.HTML,
    )
