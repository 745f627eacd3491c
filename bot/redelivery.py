"""Handing an update back to the rest of the bot after a flow stepped aside.

A flow that finds an update is not for it after all (a command while a check-in or the settings
wait for words) ends itself and queues the update once more, so the rest of the bot answers it
as usual. The inbox (bot/polling.py) then keeps the update's row until that second pass is done.
"""

from __future__ import annotations

from telegram import Update

from bot.services import CoachContext


async def hand_back(update: Update, context: CoachContext) -> None:
    """Queue an update once more, for the rest of the bot to answer after a flow stepped aside."""
    updater = context.services.updater
    if updater is not None:
        updater.hand_back(update)
    await context.application.update_queue.put(update)
