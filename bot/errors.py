"""The one error handler: log first, then tell the user something kind, never a traceback.

Three kinds of failure, told apart here (docs/reliability.md), and one reason to stop (a second
process polling the same token: Telegram answers 409 Conflict):

* the database is unavailable (read-only, full, locked): a warning, and the user is told to try
  again in a minute (`errors/unavailable`); nothing of the failed step was written;
* Telegram could not take a message (it kept timing out or answering 5xx after the retries in
  `bot.messages`, the user blocked the bot, the chat is gone): a warning, and no apology, since
  it could not be delivered either; the step's answers are saved and /resume asks again;
* anything else is a bug: logged with its traceback as an error, and `errors/oops`.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter, TelegramError

from bot.messages import is_transient, query_expired, send_html
from bot.services import CoachContext
from bot.storage import StorageUnavailable

_LOGGER = logging.getLogger(__name__)

# BadRequest descriptions that mean the chat is gone, not that we sent nonsense (a button
# press too old to answer is the same kind: `query_expired`).
_GONE = ("chat not found", "user not found")


def undeliverable(error: BaseException) -> bool:
    """Whether `error` says Telegram could not take a message (not a bug of ours)."""
    if isinstance(error, Forbidden | RetryAfter):
        return True
    if isinstance(error, BadRequest):
        return query_expired(error) or any(gone in error.message.lower() for gone in _GONE)
    return isinstance(error, TelegramError) and is_transient(error)


async def on_error(update: object, context: CoachContext) -> None:
    """Log the exception, then apologise to the user if there is one to apologise to."""
    error = context.error
    # What was being done: an update's handling, or a job (a check-in run, a heartbeat).
    doing = (
        f"while handling update {update.update_id}" if isinstance(update, Update) else "in a job"
    )
    if isinstance(error, Conflict) and update is None:
        # Another process polls with this token: retrying would only fight it for updates.
        _LOGGER.error("Stopping: another process is polling with this token (%s)", error.message)
        context.services.polling_conflict = True
        context.application.stop_running()
        return
    if isinstance(error, StorageUnavailable):
        _LOGGER.warning("Storage unavailable %s: %s", doing, error)
        template = "errors/unavailable"
        updater = context.services.updater
        if isinstance(update, Update) and updater is not None and not updater.defer(update):
            return  # told already; it is handled again once the database works
    elif error is not None and undeliverable(error):
        _LOGGER.warning(
            "Telegram did not take a message %s: %s: %s",
            doing,
            type(error).__name__,
            error,
        )
        return
    else:
        _LOGGER.error(
            "Unhandled %s %s",
            type(error).__name__,
            doing,
            exc_info=error,
        )
        template = "errors/oops"
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except TelegramError as exc:  # answered already, before the failure
            _LOGGER.debug("Could not answer the button press: %s", exc)
    try:
        await send_html(
            context.bot, update.effective_chat.id, context.services.prompts.render(template)
        )
    except (Forbidden, BadRequest) as exc:
        _LOGGER.info("Could not tell chat about the error: %s", exc.message)
    except TelegramError as exc:
        _LOGGER.warning("Could not tell chat about the error: %s", exc)
