"""Whether a person can be reached: one who blocks the bot loses their pending check-ins, one who
comes back (writes again, or unblocks it) gets their goals' check-ins planned again.

Runs in a handler group of its own, before the conversations (bot.app).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, TypeHandler

from bot.services import CoachContext

_LOGGER = logging.getLogger(__name__)


async def on_presence(update: Update, context: CoachContext) -> None:
    """Before anything else: a user who had blocked the bot and writes again gets their check-ins
    back; one who blocks it loses the pending ones."""
    member = update.my_chat_member
    user = update.effective_user
    if user is None or update.effective_chat is None or update.effective_chat.type != "private":
        return
    services = context.services
    if member is not None and member.new_chat_member.status == "kicked":
        await services.users.set_active(user.id, False)
        cancelled = await services.checkins.cancel_pending_for_user(user.id)
        _LOGGER.info("User %s blocked the bot; cancelled %d check-ins", user.id, cancelled)
        return
    known = await services.users.get(user.id)
    if known is None or known.active:
        return
    await services.users.set_active(user.id, True)
    restored = await services.planner.restore_user(user.id)
    _LOGGER.info("User %s is back; rescheduled %d goal check-ins", user.id, restored)


def presence_handler() -> BaseHandler[Update, CoachContext, None]:
    """The handler of `on_presence`, for a group that runs before the conversations."""
    return TypeHandler(Update, on_presence)
