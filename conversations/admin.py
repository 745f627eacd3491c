"""Operator commands in the chat, for ADMIN_USER_IDS only: /stats (aggregate counts).

The handler only matches an admin's private chat; anyone else's /stats falls through to the
unknown-command answer every other unknown command gets, so its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import operator
from bot.scheduling.ratelimit import checkins_per_second
from bot.services import CoachContext
from conversations.flow import Chat


async def on_stats(update: Update, context: CoachContext) -> None:
    """/stats: how much the bot is used, as counts only (the same as `comeback stats`)."""
    services = context.services
    rate = checkins_per_second(services.settings.paid_broadcast)
    outcome = await operator.stats(services.stats, services.clock.now(), rate)
    await Chat(update, context).say("admin/stats", counts=outcome.data)


def handlers(admin_ids: Iterable[int]) -> list[BaseHandler[Update, CoachContext, object]]:
    """The admin commands; none at all when no admin is configured."""
    admins = tuple(admin_ids)
    if not admins:
        return []
    only_admins = filters.ChatType.PRIVATE & filters.User(user_id=admins)
    return [CommandHandler("stats", on_stats, filters=only_admins)]
