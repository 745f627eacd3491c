"""The one error handler: log first, then tell the user something kind, never a traceback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.messages import send_html
from bot.services import CoachContext
from bot.storage import StorageUnavailable

_LOGGER = logging.getLogger(__name__)


async def on_error(update: object, context: CoachContext) -> None:
    """Log the exception, then apologise to the user if there is one to apologise to."""
    error = context.error
    _LOGGER.error(
        "Unhandled %s while handling update %s",
        type(error).__name__,
        update.update_id if isinstance(update, Update) else None,
        exc_info=error,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    template = "errors/unavailable" if isinstance(error, StorageUnavailable) else "errors/oops"
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await send_html(
            context.bot, update.effective_chat.id, context.services.prompts.render(template)
        )
    except (Forbidden, BadRequest) as exc:
        _LOGGER.info("Could not tell chat about the error: %s", exc.message)
    except TelegramError as exc:
        _LOGGER.warning("Could not tell chat about the error: %s", exc)
