"""Writing check-ins into the schedule: what is due when, for whom, in their own time zone."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bot.clock import Clock
from bot.scheduling.kinds import FEEDBACK_KINDS, Kind
from bot.scheduling.times import (
    QuietHours,
    add_business_days,
    due_time,
    goal_checkin_days,
    local_date,
)
from bot.storage.checkins import CheckIn, CheckinRepository, NewCheckIn
from bot.storage.debriefs import DebriefRepository, GoalRecord
from bot.storage.users import User, UserRepository
from conversations.coaching.deadlines import TimezoneError, zone

_LOGGER = logging.getLogger(__name__)

FEEDBACK_FOLLOW_UP_BUSINESS_DAYS = 5
FEEDBACK_SECOND_FOLLOW_UP_BUSINESS_DAYS = 3
MOOD_CHECK_AFTER_DAYS = 3
LOW_MOOD = 2


@dataclass(frozen=True)
class Profile:
    """A user's check-in preferences, resolved (zone object, quiet hours)."""

    user_id: int
    zone_name: str
    tz: tzinfo
    hour: int
    quiet: QuietHours
    paused_until: datetime | None
    enabled: bool


class CheckinPlanner:
    """Computes and stores due times; every due time comes from a local date plus local hour."""

    def __init__(
        self,
        users: UserRepository,
        debriefs: DebriefRepository,
        checkins: CheckinRepository,
        clock: Clock,
        default_timezone: str,
    ) -> None:
        self._users = users
        self._debriefs = debriefs
        self._checkins = checkins
        self._clock = clock
        self._default_timezone = default_timezone

    def profile_of(self, user: User) -> Profile:
        """The user's preferences, falling back to the default zone for an unknown one."""
        name = user.timezone or self._default_timezone
        try:
            tz = zone(name)
        except TimezoneError:
            _LOGGER.warning("User %s has an unusable time zone; using the default", user.id)
            name = self._default_timezone
            tz = zone(name)
        return Profile(
            user_id=user.id,
            zone_name=name,
            tz=tz,
            hour=user.checkin_hour,
            quiet=QuietHours(user.quiet_start, user.quiet_end),
            paused_until=user.paused_until,
            enabled=user.checkins_enabled,
        )

    async def profile(self, user_id: int) -> Profile | None:
        """The preferences of a known user."""
        user = await self._users.get(user_id)
        return self.profile_of(user) if user else None

    def today(self, profile: Profile) -> date:
        """The user's local date now."""
        return local_date(self._clock.now(), profile.tz)

    def due(self, profile: Profile, day: date) -> datetime:
        """When a check-in belonging to local `day` goes out for this user."""
        return due_time(
            day, profile.hour, profile.tz, profile.quiet, self._clock.now(), profile.paused_until
        )

    def _new(
        self,
        profile: Profile,
        kind: Kind,
        day: date,
        goal_id: int | None = None,
        rejection_id: int | None = None,
    ) -> NewCheckIn:
        return NewCheckIn(
            user_id=profile.user_id,
            chat_id=profile.user_id,
            kind=kind.value,
            due_at=self.due(profile, day),
            local_date=day,
            goal_id=goal_id,
            rejection_id=rejection_id,
        )

    # Scheduling ------------------------------------------------------------------------

    async def on_plan_completed(self, rejection_id: int) -> None:
        """Schedule everything a finished debrief asks to follow up on."""
        rejection = await self._debriefs.get(rejection_id)
        if rejection is None:
            return
        profile = await self.profile(rejection.user_id)
        if profile is None or not profile.enabled:
            return
        # The debrief may have set the time zone: earlier plans follow it too.
        await self.reschedule_user(profile.user_id)
        today = self.today(profile)
        items: list[NewCheckIn] = []
        goal = await self._debriefs.goal_for(rejection_id)
        if goal is not None and goal.status == "active":
            await self._checkins.cancel_pending_for_goal(goal.id)
            items += self._goal_plan(profile, goal, today)
        items += await self._feedback_follow_up(profile, rejection_id)
        pick = await self._debriefs.resource_pick(rejection_id)
        if (
            pick is not None
            and pick.planned_for is not None
            and pick.takeaway is None
            and not await self._checkins.has_any(rejection_id, [Kind.RESOURCE])
        ):
            day = max(pick.planned_for + timedelta(days=1), today)
            items.append(self._new(profile, Kind.RESOURCE, day, rejection_id=rejection_id))
        if (
            rejection.mood is not None
            and rejection.mood <= LOW_MOOD
            and not await self._checkins.has_any(rejection_id, [Kind.MOOD])
        ):
            day = today + timedelta(days=MOOD_CHECK_AFTER_DAYS)
            items.append(self._new(profile, Kind.MOOD, day, rejection_id=rejection_id))
        await self._checkins.add(items)
        _LOGGER.info("Scheduled %d check-ins for debrief %s", len(items), rejection_id)

    async def on_feedback_sent(self, rejection_id: int) -> None:
        """Schedule "did they reply?" for a feedback request just marked sent (idempotent)."""
        rejection = await self._debriefs.get(rejection_id)
        if rejection is None:
            return
        profile = await self.profile(rejection.user_id)
        if profile is None or not profile.enabled:
            return
        await self._checkins.add(await self._feedback_follow_up(profile, rejection_id))

    async def _feedback_follow_up(self, profile: Profile, rejection_id: int) -> list[NewCheckIn]:
        feedback = await self._debriefs.feedback(rejection_id)
        if feedback is None or feedback.status != "sent" or feedback.sent_at is None:
            return []
        if await self._checkins.has_any(rejection_id, FEEDBACK_KINDS):
            return []
        sent_on = local_date(feedback.sent_at, profile.tz)
        day = add_business_days(sent_on, FEEDBACK_FOLLOW_UP_BUSINESS_DAYS)
        return [self._new(profile, Kind.FEEDBACK, day, rejection_id=rejection_id)]

    def _goal_plan(self, profile: Profile, goal: GoalRecord, start: date) -> list[NewCheckIn]:
        if goal.deadline is None:
            return []
        today = self.today(profile)
        return [
            self._new(profile, Kind(kind.value), day, goal.id, goal.rejection_id)
            for day, kind in goal_checkin_days(start, goal.deadline)
            if day > today
        ]

    async def schedule_goal(self, goal: GoalRecord, start: date | None = None) -> date | None:
        """(Re)plan a goal's check-ins from `start` (default today); returns the first day."""
        profile = await self.profile(goal.user_id)
        if profile is None:
            return None
        await self._checkins.cancel_pending_for_goal(goal.id)
        if not profile.enabled:
            return None
        items = self._goal_plan(profile, goal, start or self.today(profile))
        await self._checkins.add(items)
        return items[0].local_date if items else None

    async def snooze(self, checkin: CheckIn, days: int) -> datetime | None:
        """Ask the same check-in again `days` local days from today; returns when."""
        if checkin.user_id is None:
            return None
        profile = await self.profile(checkin.user_id)
        if profile is None:
            return None
        item = self._new(
            profile,
            Kind(checkin.kind),
            self.today(profile) + timedelta(days=days),
            checkin.goal_id,
            checkin.rejection_id,
        )
        await self._checkins.add([item])
        return item.due_at

    async def feedback_again(self, checkin: CheckIn) -> date | None:
        """The one more "did they reply?", three business days from today; returns its day."""
        if checkin.user_id is None or checkin.rejection_id is None:
            return None
        profile = await self.profile(checkin.user_id)
        if profile is None:
            return None
        day = add_business_days(self.today(profile), FEEDBACK_SECOND_FOLLOW_UP_BUSINESS_DAYS)
        item = self._new(profile, Kind.FEEDBACK_AGAIN, day, rejection_id=checkin.rejection_id)
        await self._checkins.add([item])
        return day

    # Changes of preferences ------------------------------------------------------------

    async def reschedule_user(self, user_id: int) -> int:
        """Recompute every pending check-in's due time from its local date (after a change of
        zone, hour, quiet hours or pause); returns how many moved."""
        profile = await self.profile(user_id)
        if profile is None:
            return 0
        moves = [
            (c.id, self.due(profile, c.local_date or local_date(c.due_at, profile.tz)))
            for c in await self._checkins.pending_for_user(user_id)
        ]
        await self._checkins.move(moves)
        return len(moves)

    async def restore_user(self, user_id: int) -> int:
        """Plan the future check-ins of the user's active goals again (after they unblocked us
        or resumed check-ins); returns how many were scheduled."""
        profile = await self.profile(user_id)
        if profile is None or not profile.enabled:
            return 0
        items: list[NewCheckIn] = []
        for goal, created in await self._checkins.active_goals(user_id):
            await self._checkins.cancel_pending_for_goal(goal.id)
            items += self._goal_plan(profile, goal, local_date(created, profile.tz))
        await self._checkins.add(items)
        return len(items)
