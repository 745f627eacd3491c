"""Skip updates Telegram hands out a second time after the bot was killed.

python-telegram-bot confirms updates to Telegram with its next getUpdates call, not when they
are handled. A bot killed between fetching a batch and asking again gets the same batch after
its restart; an answer already handled would be handled again, as the answer to whatever the
person was asked next. Before anything else handles an update, its fingerprint (an HMAC of
the update as Telegram sent it, keyed with the bot token) is recorded; one that was recorded
already is skipped. Recording
comes first, so a kill after it makes a redelivered update count as lost (the person got no
reply and writes again, as with any update lost in a kill), never as handled twice.
See docs/reliability.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.clock import to_db
from bot.services import CoachContext
from bot.storage.database import Database, StorageUnavailable

_LOGGER = logging.getLogger(__name__)

GROUP = -20  # before every other handler group
KEEP = timedelta(days=1)  # Telegram keeps unconfirmed updates for 24 hours
PRUNE_EVERY = 500  # recorded updates between two clean-ups of old fingerprints
_KEY = "handled_updates"
_HANDED_BACK = "handed_back_updates"


def fingerprint(update: Update, key: str) -> str:
    """The same for two deliveries of one update, different for any two updates; keyed, so
    that without the token it tells nothing about what was sent."""
    body = json.dumps(update.to_dict(), sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(key.encode(), body.encode("utf-8"), hashlib.sha256).hexdigest()


class HandledUpdates:
    """The fingerprints of recently handled updates."""

    def __init__(self, db: Database, key: str) -> None:
        self._db = db
        self._key = key
        self._recorded = 0

    async def first_time(self, update: Update, now: datetime) -> bool:
        """Record the update; False if it was recorded before (a redelivery)."""
        self._recorded += 1
        if self._recorded % PRUNE_EVERY == 1:
            await self._db.execute(
                "DELETE FROM handled_updates WHERE handled_at < ?", (to_db(now - KEEP),)
            )
        # One statement, one trip to the database thread: this runs for every update.
        inserted = await self._db.execute_returning(
            "INSERT INTO handled_updates (fingerprint, handled_at) VALUES (?, ?)"
            " ON CONFLICT (fingerprint) DO NOTHING RETURNING fingerprint",
            (fingerprint(update, self._key), to_db(now)),
        )
        return bool(inserted)


async def skip_redelivered(update: Update, context: CoachContext) -> None:
    """Stop an update that was handled before a restart; let every other one through."""
    if update.effective_user is None:
        return  # nobody to answer twice (and conversations.guard ignores these)
    handed_back: set[int] = context.bot_data.setdefault(_HANDED_BACK, set())
    if update.update_id in handed_back:
        handed_back.discard(update.update_id)
        return
    services = context.services
    handled = context.bot_data.get(_KEY)
    if not isinstance(handled, HandledUpdates):
        handled = context.bot_data[_KEY] = HandledUpdates(services.db, context.bot.token)
    try:
        first = await handled.first_time(update, services.clock.now())
    except StorageUnavailable:
        return  # the handlers will meet the same fault and say so; nothing to dedupe against
    if not first:
        _LOGGER.info("Skipped update %s: handled before a restart", update.update_id)
        raise ApplicationHandlerStop


async def hand_back(update: Update, context: CoachContext) -> None:
    """Queue an update once more, for the rest of the bot to answer after a flow stepped aside;
    the guard lets this second pass through."""
    context.bot_data.setdefault(_HANDED_BACK, set()).add(update.update_id)
    await context.application.update_queue.put(update)


def handler() -> TypeHandler[Update, CoachContext, None]:
    """The guard, for handler group `GROUP`."""
    return TypeHandler(Update, skip_redelivered)
