"""/language: the language the bot speaks with a person: English, Español or Русский.

It starts as their Telegram app's language (coaching.language) and changes only here. One
message with a button per language; the press is checked against its owner, saved, and the
answer is already in the new language. In a group the group's language is an admin's choice, in
/group_settings (conversations.group).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.keyboards import column
from bot.services import CoachContext
from coaching.language import LANGUAGES, current_language, set_language
from conversations.flow import Chat, Prefix, callback, parse_callback

_LOGGER = logging.getLogger(__name__)

PREFIX = Prefix.LANGUAGE
STEP = "set"


def choices(
    chat: Chat, owner: int, prefix: Prefix = PREFIX, step: str = STEP
) -> list[tuple[str, str]]:
    """One button per language, in its own name; the current one marked."""
    current = current_language()
    return [
        (
            chat.label(
                "language.current" if code == current else "language.other",
                name=chat.label(f"language.{code}"),
            ),
            callback(prefix, owner, step, code),
        )
        for code in LANGUAGES
    ]


async def on_language(update: Update, context: CoachContext) -> None:
    """/language in a private chat: the three languages as buttons."""
    chat = Chat(update, context)
    await chat.say("language/choose", markup=column(choices(chat, chat.user_id)))


async def on_language_in_group(update: Update, context: CoachContext) -> None:
    """/language in a group: a group's language is set in /group_settings."""
    await Chat(update, context).say("language/in_group")


async def on_language_button(update: Update, context: CoachContext) -> None:
    """A language pressed: saved for the person, and the reply already in it."""
    chat = Chat(update, context)
    press = parse_callback(update.callback_query.data if update.callback_query else None)
    if (
        press is None
        or press.step != STEP
        or press.value not in LANGUAGES
        or press.owner != chat.user_id
    ):
        _LOGGER.info("Refused a language button pressed by user %s", chat.user_id)
        await chat.acknowledge(chat.label("common.stale"), keep_buttons=True)
        return
    await chat.acknowledge()
    await chat.ensure_user()
    await chat.services.users.update(chat.user_id, locale=press.value)
    set_language(press.value)
    await chat.say("language/changed")


def handlers() -> list[BaseHandler[Update, CoachContext, object]]:
    """/language and its buttons; they work mid-conversation too."""
    return [
        CommandHandler("language", on_language, filters=filters.ChatType.PRIVATE),
        CommandHandler("language", on_language_in_group, filters=filters.ChatType.GROUPS),
        CallbackQueryHandler(on_language_button, pattern=rf"^{PREFIX}:"),
    ]
