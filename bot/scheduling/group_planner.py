"""Writing a group's weekly check-in and digest into the schedule (`check_ins`, user_id NULL).

Each active group has at most one pending post of each kind. It is planned when the group is
registered, replanned when its settings change or it comes back, and the week after is
scheduled when a post is claimed (`GroupCheckinQueue`). At start, `repair` plans any group that
lacks one (a crash at the wrong moment, a database from before group coaching).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, tzinfo

from bot.clock import Clock
from bot.storage.groups import Group, GroupPost, group_zone, post_weekday, wanted_kinds
from bot.storage.interfaces import GroupRepository
from coaching.kinds import GROUP_KINDS, Kind
from coaching.weekly import weekly_slot

_LOGGER = logging.getLogger(__name__)


class GroupPlanner:
    """Computes and stores the due times of group posts, in the group's own time zone."""

    def __init__(self, groups: GroupRepository, clock: Clock, default_timezone: str) -> None:
        self._groups = groups
        self._clock = clock
        self._default_timezone = default_timezone

    def zone(self, group: Group) -> tzinfo:
        """The group's time zone, resolved."""
        return group_zone(group, self._default_timezone)

    def slot(self, group: Group, kind: Kind) -> tuple[date, datetime]:
        """The next slot of a post of `kind` from now: (local date, UTC)."""
        weekday = post_weekday(kind, group.checkin_weekday)
        return weekly_slot(self._clock.now(), weekday, group.checkin_hour, self.zone(group))

    async def ensure(self, chat_id: int) -> None:
        """Give an active group the weekly posts it lacks (idempotent)."""
        group = await self._groups.get(chat_id)
        if group is None or not group.active:
            return
        posts = []
        for kind in wanted_kinds(group):
            day, due = self.slot(group, kind)
            posts.append(GroupPost(chat_id, kind, day, due))
        await self._groups.schedule(posts)
        unwanted = [k for k in GROUP_KINDS if k not in wanted_kinds(group)]
        if unwanted:
            await self._groups.cancel_pending(chat_id, unwanted)

    async def replan(self, chat_id: int) -> None:
        """Plan the group's posts afresh (its day, hour, zone or digest setting changed, or it
        is back after being removed or muted)."""
        await self._groups.cancel_pending(chat_id)
        await self.ensure(chat_id)

    async def repair(self) -> int:
        """Plan every active group that lacks a post; returns how many groups were planned."""
        missing = await self._groups.missing_posts()
        for chat_id in missing:
            await self.ensure(chat_id)
        if missing:
            _LOGGER.info("Planned the weekly posts of %d groups", len(missing))
        return len(missing)

    async def next_checkin(self, chat_id: int) -> datetime | None:
        """When the group's next check-in goes out, if one is planned."""
        for post in await self._groups.pending_posts(chat_id):
            if post.kind == Kind.GROUP_CHECKIN:
                return post.due_at
        return None
