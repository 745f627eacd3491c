"""Who administers a group, asked of Telegram (getChatAdministrators) and cached briefly."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.clock import Clock

_LOGGER = logging.getLogger(__name__)

ADMIN_CACHE_TTL = timedelta(minutes=5)
ADMIN_RECHECK_AFTER = timedelta(seconds=30)
ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})


@dataclass(frozen=True)
class _Entry:
    admins: frozenset[int]
    fetched_at: datetime


class AdminCache:
    """A group's administrators, fetched once per `ttl` per group (a press storm in the settings
    costs one request). An unreadable list (the bot was removed) means nobody, and is not
    cached.

    Someone missing from a list older than `recheck_after` makes one fresh read: an admin
    promoted a minute ago (who may have just opened the settings anonymously, as the group)
    is not refused for the rest of the `ttl`, and a non-admin pressing again and again still
    costs at most one request per `recheck_after`. Anonymous admins are listed under their own
    account (`is_anonymous`), so their presses count as an admin's."""

    def __init__(
        self,
        clock: Clock,
        ttl: timedelta = ADMIN_CACHE_TTL,
        recheck_after: timedelta = ADMIN_RECHECK_AFTER,
    ) -> None:
        self._clock = clock
        self._ttl = ttl
        self._recheck_after = recheck_after
        self._entries: dict[int, _Entry] = {}

    async def admins(self, bot: Bot, chat_id: int) -> frozenset[int]:
        """The user ids of the group's creator and administrators."""
        entry = self._entries.get(chat_id)
        if entry is not None and self._clock.now() - entry.fetched_at < self._ttl:
            return entry.admins
        return await self._fetch(bot, chat_id)

    async def _fetch(self, bot: Bot, chat_id: int) -> frozenset[int]:
        now = self._clock.now()
        try:
            members = await bot.get_chat_administrators(chat_id)
        except TelegramError as exc:
            _LOGGER.info("Could not read the administrators of chat %s: %s", chat_id, exc)
            return frozenset()
        admins = frozenset(m.user.id for m in members if m.status in ADMIN_STATUSES)
        self._entries[chat_id] = _Entry(admins, now)
        return admins

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        """Whether the user administers the group (a list over `recheck_after` old that lacks
        them is read again first)."""
        if user_id in await self.admins(bot, chat_id):
            return True
        entry = self._entries.get(chat_id)
        if entry is None or self._clock.now() - entry.fetched_at < self._recheck_after:
            return False
        return user_id in await self._fetch(bot, chat_id)

    def forget(self, chat_id: int) -> None:
        """Drop a group's cached list (the bot was removed or promoted, the group migrated)."""
        self._entries.pop(chat_id, None)
