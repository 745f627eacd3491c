"""Writing check-ins into the schedule: what is due when, for whom, in their own time zone."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo

from bot.clock import Clock
from bot.storage.checkins import TOO_LATE, CheckIn, NewCheckIn, Unplanned
from bot.storage.debriefs import GoalRecord, Rejection
from bot.storage.interfaces import CheckinRepository, DebriefRepository, UserRepository
from bot.storage.users import User
from coaching.deadlines import TimezoneError, zone
from coaching.kinds import FEEDBACK_KINDS, GOAL_KINDS, USER_KINDS, Facts, Kind, days_due, plan_days
from coaching.language import ENGLISH
from coaching.times import (
    SAT_SUN,
    QuietHours,
    Weekend,
    due_time,
    first_slot_after,
    local_date,
    outside_quiet,
    preferred_slot,
    spaced_slots,
    weekend_of_zone,
)

_LOGGER = logging.getLogger(__name__)

# The repair of plans whose check-ins were never written (see `CheckinPlanner.repair_plans`).
REPAIR_WINDOW = timedelta(days=30)
"""How far back a full pass looks: plans completed longer ago are left alone."""
REPAIR_FULL_PASS_EVERY = timedelta(hours=1)
"""A full pass at start-up and then this often; the runs in between look only at plans
completed since the previous run (with REPAIR_OVERLAP), so their cost does not grow with the
number of plans."""
REPAIR_OVERLAP = timedelta(minutes=10)
REPAIR_PAGE = 100

# The catch-up after downtime or a pause (see `CheckinPlanner.catch_up`, docs/checkins.md).
CATCH_UP_GAP = timedelta(hours=1)
"""A person's overdue check-ins on other subjects follow the first one this far apart."""
LATE_AFTER = timedelta(minutes=15)
"""A check-in still unsent this long after its due time is overdue (the bot was down)."""
ARRIVAL_LEEWAY = timedelta(seconds=5)
"""A check-in is composed a moment before it reaches the person: the rate limiter's window
(about a second in a busy hour) and the trip lie between. Its words are about when it arrives:
one that would arrive within this of their quiet hours waits for their end instead, and one
that would arrive LATE_AFTER late says so (measured: benchmarks/peak.py)."""
MOOD_LATE_LIMIT_DAYS = 2
"""A mood check more than this many days after its day is dropped rather than sent: asking
"how are you feeling?" about a hard day a week ago helps nobody."""


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
    weekend: Weekend = SAT_SUN
    """The weekend of the country of their zone (business days skip it)."""
    language: str = ENGLISH
    """The language the bot speaks with them (coaching.language)."""


@dataclass(frozen=True)
class Timing:
    """When a check-in goes out, against when it was meant to and what it follows up on."""

    late_days: int
    """Local days after the day it was planned for (0: on time)."""
    due_on: date | None
    """The local day it was planned for."""
    days_since: int | None
    """Local days since what it follows up on: the request sent (feedback), the debrief
    (mood), the resource's planned day; None for the others or when unknown."""
    late_minutes: int = 0
    """Minutes after its due time, when it goes out on its planned day but LATE_AFTER or more
    behind (a busy hour: more were due at once than Telegram's rate lets out); else 0."""
    quiet_until: datetime | None = None
    """Set when now, or the moment the message would reach them (ARRIVAL_LEEWAY), is in the
    person's quiet hours: when they end. It waits until then (a backlog never lands a check-in
    in someone's night)."""
    language: str = ENGLISH
    """The person's language: what the check-in is written in."""


class CheckinPlanner:
    """Computes and stores due times; every due time comes from a local date plus local hour.

    Which local days each kind is due on is its planning rule (coaching.kinds.RULES); the
    planner gathers the facts the rules read, and turns days into rows.
    """

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
        self._full_pass_at: datetime | None = None  # the repair's last full pass
        self._repaired_through: datetime | None = None  # and its last run
        checkins.add_repair(self.repair_plans)
        checkins.add_repair(self.catch_up)

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
            weekend=weekend_of_zone(name),
            language=user.locale,
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

    def due_again(self, profile: Profile, checkin: CheckIn) -> datetime:
        """A pending check-in's due time recomputed from its local date (the preferences
        changed). One whose slot has passed but that waits for a later time (the catch-up spread
        it, a Resume put it at the next slot) keeps that time, out of the quiet hours, rather
        than becoming due at once."""
        day = checkin.local_date or local_date(checkin.due_at, profile.tz)
        due = self.due(profile, day)
        now = self._clock.now()
        slot = preferred_slot(day, profile.hour, profile.tz, profile.quiet)
        paused = profile.paused_until is not None and profile.paused_until > now
        if slot < now and not paused and checkin.due_at > now:
            return outside_quiet(checkin.due_at, profile.tz, profile.quiet)
        return due

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

    def _items(
        self,
        profile: Profile,
        plan: Sequence[tuple[date, Kind]],
        goal: GoalRecord | None = None,
        rejection_id: int | None = None,
    ) -> list[NewCheckIn]:
        """The rows of planned days: a goal's check-ins name the goal (and its debrief), the
        others the debrief."""
        return [
            self._new(profile, kind, day, goal.id, goal.rejection_id)
            if kind.is_goal and goal is not None
            else self._new(profile, kind, day, rejection_id=rejection_id)
            for day, kind in plan
        ]

    # Scheduling ------------------------------------------------------------------------

    async def complete_plan(self, rejection_id: int, update_id: int | None = None) -> int:
        """Finish a debrief: its goal active, the debrief completed (by `update_id`) and
        everything it asks to follow up on scheduled, all in one transaction; returns how many
        check-ins.

        A storage fault leaves the debrief at its last step with nothing of this written, so
        the answer handled again (retried by the bot, or sent again) finishes it, once.
        """
        rejection = await self._debriefs.get(rejection_id)
        if rejection is None:
            return 0
        goal = await self._debriefs.goal_for(rejection_id)
        if goal is not None and goal.status == "draft":
            goal = replace(goal, status="active")  # as the transaction will leave it
        items: list[NewCheckIn] = []
        moves: list[tuple[int, datetime]] = []
        profile = await self.profile(rejection.user_id)
        if profile is not None and profile.enabled:
            items = await self._plan(profile, rejection, goal, self.today(profile))
            moves = await self._moves(profile)
        added = await self._checkins.complete_plan(
            rejection_id, goal.id if goal is not None else None, items, moves, update_id
        )
        _LOGGER.info("Debrief %s completed; scheduled %d check-ins", rejection_id, added)
        return added

    async def on_plan_completed(self, rejection_id: int) -> None:
        """Schedule what a completed debrief asks to follow up on, on the subjects that have
        no check-ins yet (idempotent: after `complete_plan` there is nothing left to do)."""
        rejection = await self._debriefs.get(rejection_id)
        if rejection is None or rejection.status != "completed":
            return
        profile = await self.profile(rejection.user_id)
        if profile is None or not profile.enabled:
            return
        # The debrief may have set the time zone: earlier plans follow it too.
        added = await self._schedule_missing(profile, rejection, await self._moves(profile))
        if added:
            _LOGGER.info("Scheduled %d check-ins for debrief %s", added, rejection_id)

    async def repair_plans(self, now: datetime) -> int:
        """Schedule the check-ins of completed plans that never got them; returns how many.

        Called by every dispatcher run before it claims (registered with the repository).
        Before finishing a debrief was one transaction, a storage fault while its check-ins
        were written left it completed with an active goal and no goal check-ins, and nothing
        ever retried. Looks at plans completed in the last REPAIR_WINDOW at start-up and every
        REPAIR_FULL_PASS_EVERY, and otherwise at those completed since the previous run. Leaves
        alone people who stopped their check-ins, are held after a crisis reply, or blocked the
        bot, and goals that are done or closed (see CheckinRepository.unplanned_plans).
        """
        last_full, last = self._full_pass_at, self._repaired_through
        # A clock moved back (by hand, or NTP) makes the next pass a full one too.
        full = last_full is None or not timedelta(0) <= now - last_full < REPAIR_FULL_PASS_EVERY
        since = now - REPAIR_WINDOW
        if not full and last is not None:
            since = max(since, last - REPAIR_OVERLAP)
        # Goals whose deadline is still ahead somewhere (no local date is a day behind UTC's
        # yesterday); the planner drops the days already past in the person's own zone.
        deadline_after = now.date() - timedelta(days=1)
        added = 0
        after: Unplanned | None = None
        while True:
            page = await self._checkins.unplanned_plans(since, deadline_after, after, REPAIR_PAGE)
            for plan in page:
                added += await self._repair_one(plan.rejection_id)
            if len(page) < REPAIR_PAGE:
                break
            after = page[-1]
        if full:
            self._full_pass_at = now
        self._repaired_through = now
        if added:
            _LOGGER.warning("Repaired plans: scheduled %d check-ins that were missing", added)
        return added

    async def _repair_one(self, rejection_id: int) -> int:
        rejection = await self._debriefs.get(rejection_id)
        if rejection is None or rejection.status != "completed":
            return 0
        profile = await self.profile(rejection.user_id)
        if profile is None or not profile.enabled:
            return 0
        return await self._schedule_missing(profile, rejection)

    async def _schedule_missing(
        self,
        profile: Profile,
        rejection: Rejection,
        moves: Sequence[tuple[int, datetime]] = (),
    ) -> int:
        """The plan of a completed debrief, from the day it was completed, where missing (and
        pending check-ins moved to new due times, when given)."""
        completed = rejection.completed_at or self._clock.now()
        start = local_date(completed, profile.tz)
        goal = await self._debriefs.goal_for(rejection.id)
        items = await self._plan(profile, rejection, goal, start)
        return await self._checkins.add_missing(items, moves)

    async def _plan(
        self, profile: Profile, rejection: Rejection, goal: GoalRecord | None, start: date
    ) -> list[NewCheckIn]:
        """Everything a debrief completed on local day `start` asks to follow up on, from
        today on. Subjects that already have check-ins are left out when it is written
        (CheckinRepository.complete_plan/add_missing)."""
        today = self.today(profile)
        feedback_sent_on = await self._feedback_sent_on(profile, rejection.id)
        pick = await self._debriefs.resource_pick(rejection.id)
        facts = Facts(
            today=today,
            start=start,
            deadline=goal.deadline if goal is not None and goal.status == "active" else None,
            feedback_sent_on=feedback_sent_on,
            resource_planned_for=(
                pick.planned_for if pick is not None and pick.takeaway is None else None
            ),
            mood=rejection.mood,
            weekend=profile.weekend,
            draft_made_on=start if await self._draft_unsent(rejection.id) else None,
        )
        return self._items(profile, plan_days(facts), goal, rejection.id)

    async def _draft_unsent(self, rejection_id: int) -> bool:
        """Whether the debrief's feedback request was drafted and is not sent yet."""
        feedback = await self._debriefs.feedback(rejection_id)
        return feedback is not None and feedback.status == "drafted"

    async def _moves(self, profile: Profile) -> list[tuple[int, datetime]]:
        """New due times of the user's pending check-ins whose due time changed (the debrief
        may have set the time zone: earlier plans follow it too)."""
        moves = []
        for checkin in await self._checkins.pending_for_user(profile.user_id):
            due = self.due_again(profile, checkin)
            if due != checkin.due_at:
                moves.append((checkin.id, due))
        return moves

    async def on_feedback_sent(self, rejection_id: int) -> None:
        """Schedule "did they reply?" for a feedback request just marked sent (idempotent)."""
        rejection = await self._debriefs.get(rejection_id)
        if rejection is None:
            return
        profile = await self.profile(rejection.user_id)
        if profile is None or not profile.enabled:
            return
        # Added only if the request has no such check-in yet (CheckinRepository.add_missing).
        sent_on = await self._feedback_sent_on(profile, rejection_id)
        facts = Facts(self.today(profile), feedback_sent_on=sent_on, weekend=profile.weekend)
        plan = plan_days(facts, [Kind.FEEDBACK])
        await self._checkins.add_missing(self._items(profile, plan, rejection_id=rejection_id))

    async def _feedback_sent_on(self, profile: Profile, rejection_id: int) -> date | None:
        """The local day the debrief's feedback request was sent, while no reply is recorded."""
        feedback = await self._debriefs.feedback(rejection_id)
        if feedback is None or feedback.status != "sent" or feedback.sent_at is None:
            return None
        return local_date(feedback.sent_at, profile.tz)

    def _goal_plan(self, profile: Profile, goal: GoalRecord, start: date) -> list[NewCheckIn]:
        """The goal's check-ins from tomorrow on, for a goal set on local day `start`."""
        facts = Facts(self.today(profile), start=start, deadline=goal.deadline)
        return self._items(profile, plan_days(facts, GOAL_KINDS), goal)

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

    async def schedule_wellbeing_check(self, user_id: int) -> datetime | None:
        """The one gentle check the day after a crisis reply, at their hour, out of quiet hours.

        It replaces an earlier one still pending, and it is not held back by a pause of the
        check-ins (a pause is about coaching; this is about the person).
        """
        profile = await self.profile(user_id)
        if profile is None:
            return None
        await self._checkins.cancel_pending_of_kind(user_id, Kind.WELLBEING.value)
        (day,) = days_due(Kind.WELLBEING, Facts(self.today(profile)))
        due = due_time(day, profile.hour, profile.tz, profile.quiet, self._clock.now(), None)
        await self._checkins.add(
            [NewCheckIn(user_id, user_id, Kind.WELLBEING.value, due, local_date(due, profile.tz))]
        )
        return due

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
        facts = Facts(self.today(profile), weekend=profile.weekend)
        (day,) = days_due(Kind.FEEDBACK_AGAIN, facts)
        item = self._new(profile, Kind.FEEDBACK_AGAIN, day, rejection_id=checkin.rejection_id)
        await self._checkins.add([item])
        return day

    async def schedule_interview_prep(self, user_id: int, interview_on: date) -> date | None:
        """The preparation check-in the day before a recorded interview (it replaces one
        pending for an earlier record); returns its day, or None when that day has passed or
        check-ins are off. It draws on the newest completed debrief's gaps."""
        profile = await self.profile(user_id)
        if profile is None:
            return None
        await self._checkins.cancel_pending_of_kind(user_id, Kind.INTERVIEW_PREP.value)
        days = days_due(Kind.INTERVIEW_PREP, Facts(self.today(profile), interview_on=interview_on))
        if not days or not profile.enabled:
            return None
        latest = await self._debriefs.latest_completed(user_id)
        item = self._new(
            profile, Kind.INTERVIEW_PREP, days[0], rejection_id=latest.id if latest else None
        )
        await self._checkins.add([item])
        return days[0]

    # Changes of preferences ------------------------------------------------------------

    async def reschedule_user(self, user_id: int) -> int:
        """Recompute every pending check-in's due time from its local date (after a change of
        zone, hour, quiet hours or pause); returns how many moved."""
        profile = await self.profile(user_id)
        if profile is None:
            return 0
        moves = [
            (c.id, self.due_again(profile, c))
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

    async def resume_user(self, user_id: int) -> int:
        """After "Resume": bring back what "Stop all check-ins" cancelled that still makes
        sense, and plan the active goals' check-ins again; returns how many are pending again.

        Each subject's latest stopped check-in comes back (a feedback request still without a
        reply, a resource without its takeaway, a mood check, an active goal's deadline (or
        later) check-in that passed in the meantime) at its own slot, or at the next slot when
        that has passed; a mood check more than MOOD_LATE_LIMIT_DAYS late, a settled subject,
        and any other kind whose day has passed stay cancelled. The goals' check-ins ahead are
        planned again from their plans, as after an unblock (`restore_user`).
        """
        profile = await self.profile(user_id)
        if profile is None or not profile.enabled:
            return 0
        now, today = self._clock.now(), self.today(profile)
        items: list[NewCheckIn] = []
        deadlines: dict[int, date | None] = {}  # the active goals'
        for goal, created in await self._checkins.active_goals(user_id):
            await self._checkins.cancel_pending_for_goal(goal.id)
            items += self._goal_plan(profile, goal, local_date(created, profile.tz))
            deadlines[goal.id] = goal.deadline
        latest: dict[tuple[object, ...], tuple[CheckIn, date]] = {}
        for checkin in await self._checkins.stopped(user_id):  # oldest first: the last wins
            day = checkin.local_date or local_date(checkin.due_at, profile.tz)
            if Kind(checkin.kind).is_goal and (checkin.goal_id not in deadlines or day > today):
                continue  # a goal done or closed since; its days ahead are planned again
            latest[_subject_key(checkin)] = (checkin, day)
        revive: list[tuple[int, datetime]] = []
        for checkin, day in latest.values():
            deadline = deadlines.get(checkin.goal_id or 0)
            if await self._worth_resuming(checkin, day, today, deadline):
                slot = preferred_slot(day, profile.hour, profile.tz, profile.quiet)
                if slot < now:
                    slot = first_slot_after(now, profile.hour, profile.tz, profile.quiet)
                revive.append((checkin.id, slot))
        revived = await self._checkins.resume(user_id, revive)
        await self._checkins.add(items)
        _LOGGER.info("User %s resumed: %d check-ins back, %d planned", user_id, revived, len(items))
        return revived + len(items)

    async def _worth_resuming(
        self, checkin: CheckIn, day: date, today: date, deadline: date | None = None
    ) -> bool:
        """Whether a check-in Stop cancelled still makes sense (nothing answered comes back).
        For a goal, the latest one whose day passed: only at or after its `deadline`."""
        kind = Kind(checkin.kind)
        rejection_id = checkin.rejection_id or 0
        if kind.is_goal:  # a passed midpoint or weekly: the goal's next check-in is coming
            return deadline is not None and deadline <= day <= today
        if kind in FEEDBACK_KINDS:
            feedback = await self._debriefs.feedback(rejection_id)
            return feedback is not None and feedback.status == "sent"
        if kind is Kind.RESOURCE:
            pick = await self._debriefs.resource_pick(rejection_id)
            return pick is not None and pick.takeaway is None
        if kind is Kind.MOOD:
            late = (today - day).days > MOOD_LATE_LIMIT_DAYS
            return not late and await self._debriefs.get(rejection_id) is not None
        return day >= today  # any other kind only while its day is still ahead

    # The catch-up ----------------------------------------------------------------------

    async def catch_up(self, now: datetime) -> int:
        """Spread each person's overdue check-ins over the day; returns 0 (nothing new).

        Called by every dispatcher run before it claims (registered with the repository). For
        the people with more than one check-in due, or one overdue by LATE_AFTER (the bot was
        down, a pause ended): a mood check more than MOOD_LATE_LIMIT_DAYS late is dropped;
        the subject the claim would take first (the newest, a goal's at equal times) stays due
        now; each other subject follows CATCH_UP_GAP after the one before, never in their quiet
        hours (what the evening cannot hold goes out when they end, the next morning), so
        everything overdue arrives within a day, one message per subject (older ones on the
        subject are folded into it).
        """
        stale_before = now.date() - timedelta(days=MOOD_LATE_LIMIT_DAYS - 1)
        backlog = await self._checkins.backlog(
            now, now - LATE_AFTER, [k.value for k in USER_KINDS], [Kind.MOOD.value], stale_before
        )
        moves: list[tuple[int, datetime]] = []
        drops: list[int] = []
        for user_id, rows in itertools.groupby(backlog, key=lambda c: c.user_id):
            profile = await self.profile(user_id) if user_id is not None else None
            if profile is not None:
                user_moves, user_drops = self._spread(profile, list(rows), now)
                moves += user_moves
                drops += user_drops
        if drops:
            await self._checkins.cancel(drops, TOO_LATE)
            _LOGGER.info("Dropped %d mood checks that were too late to help", len(drops))
        if moves:
            await self._checkins.move(moves)
            _LOGGER.info("Spread %d overdue check-ins over the day", len(moves))
        return 0

    def _spread(
        self, profile: Profile, rows: list[CheckIn], now: datetime
    ) -> tuple[list[tuple[int, datetime]], list[int]]:
        """One person's backlog: (new due times, check-ins to drop)."""
        today = local_date(now, profile.tz)
        drops = [
            c.id
            for c in rows
            if c.kind == Kind.MOOD.value
            and (today - (c.local_date or today)).days > MOOD_LATE_LIMIT_DAYS
        ]
        subjects: dict[tuple[object, ...], list[CheckIn]] = {}
        for checkin in rows:
            if checkin.id not in drops:
                subjects.setdefault(_subject_key(checkin), []).append(checkin)
        # The claim's order: the newest due first, a goal's at equal times, then the newest row.
        order = sorted(
            subjects.values(),
            key=lambda group: max((c.due_at, Kind(c.kind).is_goal, c.id) for c in group),
            reverse=True,
        )
        # The first goes now (it is due; as the claim takes it); the others out of quiet hours.
        later = spaced_slots(
            now + CATCH_UP_GAP, len(order) - 1, CATCH_UP_GAP, profile.tz, profile.quiet
        )
        moves = [
            (c.id, slot)
            for group, slot in zip(order[1:], later, strict=True)
            for c in group
            if c.due_at != slot
        ]
        return moves, drops

    # Wording -----------------------------------------------------------------------------

    async def timing(self, checkin: CheckIn) -> Timing:
        """How late a check-in goes out and how long ago its subject began, in the person's
        local days (what its message may truthfully say: "It's been 9 days since ...")."""
        profile = await self.profile(checkin.user_id) if checkin.user_id is not None else None
        tz = profile.tz if profile is not None else zone(self._default_timezone)
        today = local_date(self._clock.now(), tz)
        planned = checkin.local_date
        if planned is not None and profile is not None:
            # Its slot that day may be the next morning (quiet hours): that is on time.
            slot = preferred_slot(planned, profile.hour, tz, profile.quiet)
            planned = local_date(slot, tz)
        late = max(0, (today - planned).days) if planned is not None else 0
        began = await self._began_on(checkin, tz)
        now = self._clock.now()
        behind = now + ARRIVAL_LEEWAY - checkin.due_at
        late_minutes = int(behind.total_seconds() // 60) if not late and behind >= LATE_AFTER else 0
        quiet_until = None
        if profile is not None:
            # Quiet now, or by the time the message reaches them: it waits for the end.
            for moment in (now, now + ARRIVAL_LEEWAY):
                allowed = outside_quiet(moment, tz, profile.quiet)
                if allowed > moment:
                    quiet_until = allowed
                    break
        return Timing(
            late,
            planned,
            (today - began).days if began is not None else None,
            late_minutes,
            quiet_until,
            profile.language if profile is not None else ENGLISH,
        )

    async def _began_on(self, checkin: CheckIn, tz: tzinfo) -> date | None:
        """The local day what a check-in follows up on began (see Timing.days_since)."""
        kind = Kind(checkin.kind)
        rejection_id = checkin.rejection_id or 0
        if kind in FEEDBACK_KINDS:
            feedback = await self._debriefs.feedback(rejection_id)
            sent = feedback.sent_at if feedback is not None else None
            return local_date(sent, tz) if sent is not None else None
        if kind is Kind.MOOD:
            rejection = await self._debriefs.get(rejection_id)
            done = rejection.completed_at if rejection is not None else None
            return local_date(done, tz) if done is not None else None
        if kind is Kind.RESOURCE:
            pick = await self._debriefs.resource_pick(rejection_id)
            return pick.planned_for if pick is not None else None
        return None


def _subject_key(checkin: CheckIn) -> tuple[object, ...]:
    """What a check-in asks about: its kind's family, its goal and its debrief (the same key
    as the claim's folding)."""
    return (Kind(checkin.kind).family, checkin.goal_id, checkin.rejection_id)
