"""/privacy (what is stored and why), /export (all of it as a file) and /delete (erase it all).

/delete asks first, with owner-checked buttons. Erasing removes every row about the user (see
bot.storage.privacy), cancels their check-ins (the rows are gone), and ends every
conversation they are in, in memory too, so the next message starts fresh.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot.keyboards import keyboard
from bot.messages import send_document_html
from bot.services import CoachContext
from bot.storage.debriefs import SAFETY_EVENT_DAYS
from bot.storage.privacy import TRANSIENT, export_json, row_count
from coaching.deadlines import TimezoneError, zone
from conversations.flow import Chat, Prefix, callback, parse_callback

_LOGGER = logging.getLogger(__name__)

PREFIX = Prefix.PRIVACY
DELETE_STEP = "del"
CONFIRM = "yes"
KEEP = "no"


async def _has_data(chat: Chat) -> bool:
    """Whether anything at all is stored about the user."""
    found = await chat.services.privacy.export(chat.user_id, chat.services.clock.now())
    return row_count(found) > 0


async def on_privacy(update: Update, context: CoachContext) -> None:
    """/privacy: what is stored, why, for how long, and who can see it."""
    await Chat(update, context).say("privacy/info", safety_days=SAFETY_EVENT_DAYS)


async def on_export(update: Update, context: CoachContext) -> None:
    """/export: everything stored about the user, as a JSON file."""
    chat = Chat(update, context)
    services = chat.services
    now = services.clock.now()
    found = await services.privacy.export(chat.user_id, now)
    rows = row_count(found)
    if rows == 0:
        await chat.say("privacy/nothing_stored")
        return
    user = await services.users.get(chat.user_id)
    try:
        tz = zone((user.timezone if user else None) or services.settings.default_timezone)
    except TimezoneError:
        tz = zone("UTC")
    day = now.astimezone(tz).date()
    tables = sum(1 for table_rows in found["tables"].values() if table_rows)
    caption = chat.render("privacy/export_caption", day=day, rows=rows, tables=tables)
    await send_document_html(
        context.bot,
        chat.chat_id,
        export_json(found),
        f"comeback-export-{day.isoformat()}.json",
        caption,
    )
    _LOGGER.info("Sent user %s their export: %d rows", chat.user_id, rows)


def _delete_data(chat: Chat, value: str) -> str:
    return callback(PREFIX, chat.user_id, DELETE_STEP, value)


async def on_delete(update: Update, context: CoachContext) -> None:
    """/delete: ask for confirmation (erase or keep) before erasing anything."""
    chat = Chat(update, context)
    if not await _has_data(chat):
        await chat.say("privacy/nothing_stored")
        return
    running = await chat.services.debriefs.in_progress(chat.user_id) is not None
    await chat.say(
        "privacy/confirm_delete",
        running=running,
        markup=keyboard(
            [(chat.label("privacy.delete_yes"), _delete_data(chat, CONFIRM))],
            [(chat.label("privacy.delete_no"), _delete_data(chat, KEEP))],
        ),
    )


async def on_delete_button(update: Update, context: CoachContext) -> None:
    """The /delete confirmation: erase everything, or keep it; only the asker's press counts."""
    chat = Chat(update, context)
    press = parse_callback(update.callback_query.data if update.callback_query else None)
    valid = press is not None and press.step == DELETE_STEP and press.value in (CONFIRM, KEEP)
    if press is None or not valid or press.owner != chat.user_id:
        _LOGGER.info("Refused a delete button pressed by user %s", chat.user_id)
        await chat.acknowledge(chat.label("common.stale"), keep_buttons=True)
        return
    await chat.acknowledge()
    if press.value == KEEP:
        await chat.say("privacy/delete_cancelled")
        return
    # Conversation states are rows like any other: erasing them ends every conversation.
    erased = await chat.services.privacy.delete(chat.user_id)
    ended = erased.get("conversation_states", 0)
    context.application.drop_user_data(chat.user_id)
    context.application.drop_chat_data(chat.chat_id)
    rows = sum(n for table, n in erased.items() if table not in TRANSIENT)
    _LOGGER.info(
        "Erased user %s at their request: %d rows, %d conversations ended",
        chat.user_id,
        rows,
        ended,
    )
    await chat.say("privacy/deleted", rows=rows)


def handlers() -> list[BaseHandler[Update, CoachContext, object]]:
    """The /privacy, /export and /delete commands and the delete confirmation buttons."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("privacy", on_privacy),
        CommandHandler("export", on_export, filters=private),
        CommandHandler("delete", on_delete, filters=private),
        CallbackQueryHandler(on_delete_button, pattern=rf"^{PREFIX}:"),
    ]
