"""The kinds of check-in, one registry: which exist, when each is due, what its buttons answer.

`RULES` has one `KindRule` per `Kind`: what writes it into the schedule, its planning rule (the
local days it is due on, read from `Facts`) and its answer buttons (value and label key). This
is the pure half; the Telegram half, how each kind's message is composed and what each answer
does, is the registry in conversations/checkin_kinds.py, keyed by the same kinds. See
docs/checkins.md, "How to add a check-in kind".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from coaching.times import SAT_SUN, Weekend, add_business_days

WEEKLY_AFTER_DAYS = 14
"""Goals spanning more than this many days also get a weekly check-in."""
WEEKLY_CLEARANCE_DAYS = 2
"""A weekly check-in this close to the midpoint or the deadline is left out (no back-to-back)."""
FEEDBACK_FOLLOW_UP_BUSINESS_DAYS = 5
""""Did they reply?" this many business days after the feedback request was sent."""
FEEDBACK_SECOND_FOLLOW_UP_BUSINESS_DAYS = 3
"""The one more "did they reply?" this many business days after "not yet"."""
MOOD_CHECK_AFTER_DAYS = 3
LOW_MOOD = 2
"""A debrief ending with this mood or lower gets a mood check MOOD_CHECK_AFTER_DAYS later."""
WELLBEING_AFTER_DAYS = 1
DRAFT_REMINDER_AFTER_DAYS = 1
"""A feedback request drafted but not sent is brought up again this many days later."""
"""The gentle check after a crisis reply comes this many days later."""
OVERDUE_REMINDER_DAYS = (3, 10)
"""A goal still open after its deadline is asked about again these many days after it (new
date, smaller goal, or close it), then left to the person: /progress shows it as past its
deadline, waiting for their word."""
INTERVIEW_PREP_DAYS_BEFORE = 1
"""The preparation check-in comes this many days before a recorded interview."""


class Kind(StrEnum):
    """What a check-in asks about (the value is `check_ins.kind`)."""

    GOAL_MID = "goal_mid"
    GOAL_WEEKLY = "goal_weekly"
    GOAL_DEADLINE = "goal_deadline"
    # A goal past its deadline and still open: new date, smaller goal, or close it.
    GOAL_OVERDUE = "goal_overdue"
    FEEDBACK = "feedback"
    FEEDBACK_AGAIN = "feedback_again"
    # The feedback request drafted in the debrief and still not sent, the day after.
    FEEDBACK_DRAFT = "feedback_draft"
    # The day the hirer's reply said to apply again ("in 6 months", "after March").
    REAPPLY = "reapply"
    RESOURCE = "resource"
    MOOD = "mood"
    # The day before an interview the person recorded (/outcome).
    INTERVIEW_PREP = "interview_prep"
    # The one gentle "How are you today?" the day after a crisis reply (sent while coaching is
    # held; see conversations.crisis).
    WELLBEING = "wellbeing"
    # A group's weekly check-in post and its weekly digest (user_id NULL, chat_id the group).
    GROUP_CHECKIN = "group_checkin"
    GROUP_DIGEST = "group_digest"

    @property
    def family(self) -> tuple[Kind, ...]:
        """The kinds asking about the same subject: a newer one replaces an unanswered older one."""
        for family in FAMILIES:
            if self in family:
                return family
        raise AssertionError(self)  # every kind is in a family

    @property
    def is_goal(self) -> bool:
        """A check-in on a goal's progress."""
        return self in GOAL_KINDS

    @property
    def is_group(self) -> bool:
        """A post to a group rather than a message to one person."""
        return self in GROUP_KINDS


GOAL_KINDS = (Kind.GOAL_MID, Kind.GOAL_WEEKLY, Kind.GOAL_DEADLINE, Kind.GOAL_OVERDUE)
FEEDBACK_KINDS = (Kind.FEEDBACK, Kind.FEEDBACK_AGAIN)
GROUP_KINDS = (Kind.GROUP_CHECKIN, Kind.GROUP_DIGEST)
USER_KINDS = tuple(k for k in Kind if k not in GROUP_KINDS)
FAMILIES: tuple[tuple[Kind, ...], ...] = (
    GOAL_KINDS,
    FEEDBACK_KINDS,
    (Kind.RESOURCE,),
    (Kind.MOOD,),
    (Kind.FEEDBACK_DRAFT,),
    (Kind.REAPPLY,),
    (Kind.INTERVIEW_PREP,),
    (Kind.WELLBEING,),
    (Kind.GROUP_CHECKIN,),
    (Kind.GROUP_DIGEST,),
)


# --- The registry -----------------------------------------------------------------------------


class Origin(StrEnum):
    """What writes a check-in of a kind into the schedule."""

    PLAN = "plan"
    """A completed debrief's plan (bot.scheduling.planner, with the repair of lost plans), and
    the facts it follows as they become known: a goal set or changed, a feedback request sent."""
    ANSWER = "answer"
    """An answer to another check-in."""
    CRISIS = "crisis"
    """A crisis reply (conversations.crisis), even while check-ins are paused."""
    GROUP = "group"
    """A group's weekly posts (bot.scheduling.group_planner; the slot: coaching.weekly)."""


@dataclass(frozen=True)
class Facts:
    """What the planning rules read: the person's local dates, and what a plan follows up on
    (None: nothing to follow up on)."""

    today: date
    start: date | None = None
    """The local day the plan started: the debrief was completed, the goal set."""
    deadline: date | None = None
    """The deadline of the goal followed up on."""
    feedback_sent_on: date | None = None
    """The local day a feedback request was sent, while no reply is recorded."""
    resource_planned_for: date | None = None
    """The day a resource was planned for, while its takeaway is not given."""
    mood: int | None = None
    """The mood the debrief ended with (1-5)."""
    draft_made_on: date | None = None
    """The local day a feedback request was drafted, while it is not sent."""
    reapply_on: date | None = None
    """The local day the hirer's reply said to apply again from."""
    weekend: Weekend = SAT_SUN
    """The person's weekend (the country of their time zone): business days skip it."""
    interview_on: date | None = None
    """The local day of an interview the person recorded."""


DueRule = Callable[[Facts], list[date]]
"""The local days a kind is due on (at the person's hour, out of quiet hours: the planner)."""


@dataclass(frozen=True)
class Answer:
    """One answer button of a check-in message."""

    value: str
    """Its callback value (`c:<id>:a:<value>`), and the key of the action that handles it."""
    label: str
    """Its label key in prompts/labels.toml."""


Buttons = tuple[tuple[Answer, ...], ...]
"""Answer buttons, row by row."""


@dataclass(frozen=True)
class KindRule:
    """One kind of check-in, apart from Telegram."""

    origin: Origin
    due: DueRule | None
    """When it is due (None: a group's weekly slot, computed by the group planner)."""
    buttons: Buttons = ()
    """The message's answer buttons (none: its buttons are made and answered elsewhere)."""

    @property
    def answers(self) -> frozenset[str]:
        """The values its answer buttons carry; any other is refused as expired."""
        return frozenset(answer.value for row in self.buttons for answer in row)


def goal_checkin_days(start: date, deadline: date) -> list[tuple[date, Kind]]:
    """The local days to check in on a goal set on `start` and due on `deadline`, in order.

    One at the midpoint (when there is a day strictly between), one on the deadline, and for a
    goal spanning more than two weeks one every seven days from the start, except where that
    would fall within two days of the midpoint or the deadline; then the reminders for a goal
    still open after its deadline (answering it, or changing the deadline, cancels them).
    """
    span = (deadline - start).days
    if span <= 0:
        return []
    plan: dict[date, Kind] = {deadline: Kind.GOAL_DEADLINE}
    for after in OVERDUE_REMINDER_DAYS:
        plan[deadline + timedelta(days=after)] = Kind.GOAL_OVERDUE
    midpoint = start + timedelta(days=span // 2) if span >= 2 else None
    if midpoint is not None:
        plan[midpoint] = Kind.GOAL_MID
    if span > WEEKLY_AFTER_DAYS:
        anchors = [d for d in (midpoint, deadline) if d is not None]
        week = 1
        while (day := start + timedelta(days=7 * week)) < deadline:
            if all(abs((day - a).days) > WEEKLY_CLEARANCE_DAYS for a in anchors):
                plan[day] = Kind.GOAL_WEEKLY
            week += 1
    return sorted(plan.items())


def _goal_days(kind: Kind) -> DueRule:
    """The days of the goal's plan that are `kind`, from tomorrow on."""

    def days(facts: Facts) -> list[date]:
        if facts.start is None or facts.deadline is None:
            return []
        plan = goal_checkin_days(facts.start, facts.deadline)
        return [day for day, planned in plan if planned is kind and day > facts.today]

    return days


def _feedback_days(facts: Facts) -> list[date]:
    """Some business days (of the person's week) after the feedback request was sent."""
    if facts.feedback_sent_on is None:
        return []
    return [
        add_business_days(facts.feedback_sent_on, FEEDBACK_FOLLOW_UP_BUSINESS_DAYS, facts.weekend)
    ]


def _feedback_again_days(facts: Facts) -> list[date]:
    """Some business days (of the person's week) after "not yet"."""
    return [add_business_days(facts.today, FEEDBACK_SECOND_FOLLOW_UP_BUSINESS_DAYS, facts.weekend)]


def _resource_days(facts: Facts) -> list[date]:
    """The day after the resource was planned for (today if that is past)."""
    if facts.resource_planned_for is None:
        return []
    return [max(facts.resource_planned_for + timedelta(days=1), facts.today)]


def _mood_days(facts: Facts) -> list[date]:
    """Some days after a debrief that ended low; never late (it would not help anyone)."""
    if facts.start is None or facts.mood is None or facts.mood > LOW_MOOD:
        return []
    day = facts.start + timedelta(days=MOOD_CHECK_AFTER_DAYS)
    return [day] if day >= facts.today else []


def _interview_prep_days(facts: Facts) -> list[date]:
    """The day before the interview; none when that day has passed."""
    if facts.interview_on is None:
        return []
    day = facts.interview_on - timedelta(days=INTERVIEW_PREP_DAYS_BEFORE)
    return [day] if day >= facts.today else []


def _draft_days(facts: Facts) -> list[date]:
    """The day after the feedback request was drafted (never late: it would nag)."""
    if facts.draft_made_on is None:
        return []
    day = facts.draft_made_on + timedelta(days=DRAFT_REMINDER_AFTER_DAYS)
    return [day] if day >= facts.today else []


def _reapply_days(facts: Facts) -> list[date]:
    """The day the hirer said to apply again from (today if that is past)."""
    if facts.reapply_on is None:
        return []
    return [max(facts.reapply_on, facts.today)]


def _wellbeing_days(facts: Facts) -> list[date]:
    """The day after the crisis reply."""
    return [facts.today + timedelta(days=WELLBEING_AFTER_DAYS)]


_GOAL_DONE = (Answer("done", "checkin.done"), Answer("partly", "checkin.partly"))
_NEWS = Answer("news", "checkin.news")
"""Good news to record (applied again, an interview, an offer), on every goal check-in."""
GOAL_BUTTONS: Buttons = (
    _GOAL_DONE,
    (Answer("notyet", "checkin.not_yet"), Answer("snooze", "checkin.snooze")),
    (Answer("change", "checkin.change"), _NEWS),
)
DEADLINE_CHOICES: Buttons = (
    (Answer("date", "checkin.new_date"), Answer("smaller", "checkin.smaller_goal")),
    (Answer("close", "checkin.close_goal"),),
)
"""A goal at or past its deadline and not done: a new date, a smaller goal, or close it."""
OVERDUE_BUTTONS: Buttons = (_GOAL_DONE, DEADLINE_CHOICES[0], (DEADLINE_CHOICES[1][0], _NEWS))
FEEDBACK_REPLIED = (Answer("yes", "checkin.replied"),)
FEEDBACK_NO_REPLY = (Answer("noreply", "checkin.no_reply"),)

RULES: dict[Kind, KindRule] = {
    Kind.GOAL_MID: KindRule(Origin.PLAN, _goal_days(Kind.GOAL_MID), GOAL_BUTTONS),
    Kind.GOAL_WEEKLY: KindRule(Origin.PLAN, _goal_days(Kind.GOAL_WEEKLY), GOAL_BUTTONS),
    Kind.GOAL_DEADLINE: KindRule(Origin.PLAN, _goal_days(Kind.GOAL_DEADLINE), GOAL_BUTTONS),
    Kind.GOAL_OVERDUE: KindRule(Origin.PLAN, _goal_days(Kind.GOAL_OVERDUE), OVERDUE_BUTTONS),
    Kind.FEEDBACK: KindRule(
        Origin.PLAN,
        _feedback_days,
        (FEEDBACK_REPLIED, (Answer("notyet", "checkin.not_yet_reply"),), FEEDBACK_NO_REPLY),
    ),
    # Asked once only: no "not yet" this time.
    Kind.FEEDBACK_AGAIN: KindRule(
        Origin.ANSWER, _feedback_again_days, (FEEDBACK_REPLIED, FEEDBACK_NO_REPLY)
    ),
    Kind.RESOURCE: KindRule(
        Origin.PLAN,
        _resource_days,
        ((Answer("share", "checkin.share"),), (Answer("skip", "checkin.skip_resource"),)),
    ),
    Kind.MOOD: KindRule(
        Origin.PLAN, _mood_days, (tuple(Answer(str(n), f"mood.m{n}") for n in range(1, 6)),)
    ),
    Kind.INTERVIEW_PREP: KindRule(
        Origin.ANSWER,
        _interview_prep_days,
        ((Answer("ready", "checkin.ready"), Answer("nervous", "checkin.nervous")),),
    ),
    Kind.FEEDBACK_DRAFT: KindRule(
        Origin.PLAN,
        _draft_days,
        ((Answer("sent", "feedback.sent"),), (Answer("drop", "draft.drop"),)),
    ),
    Kind.REAPPLY: KindRule(
        Origin.ANSWER,
        _reapply_days,
        (
            (Answer("ready", "reapply.ready"),),
            (Answer("later", "reapply.later"),),
            (Answer("no", "reapply.no"),),
        ),
    ),
    # Its buttons are conversations.crisis's, and answered there.
    Kind.WELLBEING: KindRule(Origin.CRISIS, _wellbeing_days),
    # Posts with a link and a poll, no answer buttons (conversations.group).
    Kind.GROUP_CHECKIN: KindRule(Origin.GROUP, None),
    Kind.GROUP_DIGEST: KindRule(Origin.GROUP, None),
}

_SUBJECT_ORDER = {kind: index for index, family in enumerate(FAMILIES) for kind in family}


def days_due(kind: Kind, facts: Facts) -> list[date]:
    """The local days a check-in of `kind` is due on, from what is known."""
    due = RULES[kind].due
    return due(facts) if due is not None else []


def plan_days(facts: Facts, kinds: Iterable[Kind] | None = None) -> list[tuple[date, Kind]]:
    """The check-ins a plan asks for (of `kinds`, default all): every plan kind's days, by
    subject in the order of FAMILIES (a goal's first) and each subject's by day."""
    wanted = set(Kind if kinds is None else kinds)
    found = [
        (day, kind)
        for kind, rule in RULES.items()
        if kind in wanted and rule.origin is Origin.PLAN
        for day in days_due(kind, facts)
    ]
    return sorted(found, key=lambda item: (_SUBJECT_ORDER[item[1]], item[0]))
