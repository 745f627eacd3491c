"""The language of an update: the group's in a group, else the person's (coaching.language).

Set in front of every handler (bot.app's first handler group), so that everything rendered or
read for the update, the safety screen's replies included, is in that language.
"""

from __future__ import annotations

import logging

from telegram import Chat, Update

from bot.services import CoachContext, Services
from bot.storage.database import StorageUnavailable
from bot.storage.update_record import read_once_per_update
from coaching.language import ENGLISH, language_for, set_language

_LOGGER = logging.getLogger(__name__)
_GROUPS = frozenset({Chat.GROUP, Chat.SUPERGROUP})


async def language_of(services: Services, update: Update) -> str:
    """The group's language in a group, the person's elsewhere; from Telegram's language_code
    for someone (or a group) the bot does not know yet, or when the database cannot answer."""
    chat = update.effective_chat
    user = update.effective_user
    told = language_for(user.language_code) if user is not None else ENGLISH
    try:
        if chat is not None and chat.type in _GROUPS:
            return await services.groups.language_of(chat.id) or told
        if user is not None:
            return await services.users.locale_of(user.id) or told
    except StorageUnavailable as exc:
        _LOGGER.warning("Could not read the language for update %s: %s", update.update_id, exc)
    return told


async def speak_their_language(update: object, context: CoachContext) -> None:
    """Make the update's language current for all its handlers (and start the update's one
    read of the person's row and conversation states: its language comes from that row)."""
    if isinstance(update, Update):
        chat, user = update.effective_chat, update.effective_user
        read_once_per_update((chat.id, user.id) if chat is not None and user is not None else None)
        set_language(await language_of(context.services, update))
