"""Patterns across a user's rejections, in plain data: where they cluster, what keeps coming up.

A pure function over plain data (no storage, no Telegram): `find_patterns(journey, today)`.
Each pattern carries the numbers its sentence needs and points to one next step: a resource
from the catalog (`resource_id`) or a piece of advice (`advice`, a key the template words).

Also the honest counts /progress shows: where each goal stands (`GoalFact.state`: done,
partly done, in progress, past its deadline, closed; replaced goals are left out), the goals
by state (`tally_goals`), and the momentum headline (`momentum`: applications, interviews,
offers, goals done, feedback asked for, mood) with the one kind word it earns (`praise`), said
only for what happened.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from coaching.model import Gap, GoalKind, Stage
from coaching.outcomes import Outcome

# Patterns are shown once there are this many debriefs: fewer are anecdotes, not patterns.
MIN_DEBRIEFS = 3
# A stage "clusters" when at least this many rejections, and at least half of them, came there.
MIN_CLUSTER = 2
# Gaps named this often across debriefs are worth working on; at most this many are named.
MIN_GAP_COUNT = 2
MAX_GAPS = 2

# The catalog resource (coaching/resources.toml) each stage and gap points to.
STAGE_RESOURCES: dict[Stage, str] = {
    Stage.APPLICATION: "job_ad_self_review",
    Stage.PHONE_SCREEN: "star_story_bank",
    Stage.TECHNICAL: "timed_practice_problem",
    Stage.ONSITE: "mock_interview_with_a_friend",
    Stage.OFFER: "rejection_resume",
}
# Per gap, in order of preference: the second is offered when the first is already suggested.
GAP_RESOURCES: dict[Gap, tuple[str, str]] = {
    Gap.TECHNICAL: ("timed_practice_problem", "cracking_the_coding_interview"),
    Gap.THEORY: ("explain_it_simply", "system_design_interview"),
    Gap.CREDENTIALS: ("job_ad_self_review", "so_good_they_cant_ignore_you"),
    Gap.INTERVIEWING: ("star_story_bank", "mock_interview_with_a_friend"),
    Gap.PORTFOLIO: ("one_case_study", "show_your_work"),
    Gap.UNSURE: ("best_possible_self", "designing_your_life"),
}
SMALLER_GOALS_RESOURCE = "atomic_habits"


class FeedbackOutcome(StrEnum):
    """What became of a debrief's request for feedback."""

    NOT_SENT = "not_sent"
    SENT = "sent"
    REPLIED = "replied"


class GoalStatus(StrEnum):
    """A goal's stored status (`goals.status`; drafts are never read)."""

    ACTIVE = "active"
    DONE = "done"
    ABANDONED = "abandoned"
    REPLACED = "replaced"


class GoalState(StrEnum):
    """Where a goal stands, as the person reads it, in the order /progress lists them."""

    DONE = "done"
    PARTLY_DONE = "partly_done"
    IN_PROGRESS = "in_progress"
    PAST_DEADLINE = "past_deadline"  # still active: waiting for the person's word, never "missed"
    CLOSED = "closed"  # closed by the person
    REPLACED = "replaced"  # replaced by a smaller or new goal: left out of counts and lists


@dataclass(frozen=True)
class DebriefFact:
    """One logged rejection, reduced to what patterns need."""

    rejected_on: date
    stage: Stage | None
    gaps: tuple[Gap, ...]
    feedback: FeedbackOutcome
    feedback_on: date | None = None  # the local day the request went out, if known


@dataclass(frozen=True)
class GoalFact:
    """One retry goal that was set (drafts never count).

    `progress` is the latest count the person gave, even while the goal is active; `target`
    is None for a custom goal; `ended_on` is the local day it was done, closed or replaced.
    """

    set_on: date
    deadline: date | None
    status: GoalStatus
    progress: int = 0
    target: int | None = None
    kind: GoalKind | None = None
    custom_text: str | None = None
    ended_on: date | None = None
    goal_id: int | None = None

    def state(self, today: date) -> GoalState:
        """Done, partly done, in progress, past its deadline, closed or replaced."""
        if self.status is GoalStatus.DONE:
            partly = self.target is not None and self.progress < self.target
            return GoalState.PARTLY_DONE if partly else GoalState.DONE
        if self.status is GoalStatus.ABANDONED:
            return GoalState.CLOSED
        if self.status is GoalStatus.REPLACED:
            return GoalState.REPLACED
        if self.deadline is not None and self.deadline < today:
            return GoalState.PAST_DEADLINE
        return GoalState.IN_PROGRESS

    @property
    def fraction(self) -> float:
        """How much of the goal is done, 0.0-1.0: progress of target; a custom goal is 1.0
        once done and 0.0 before (it has no count)."""
        if self.target is None:
            return 1.0 if self.status is GoalStatus.DONE else 0.0
        if self.status is GoalStatus.DONE and self.progress >= self.target:
            return 1.0
        return max(0.0, min(1.0, self.progress / self.target))

    @property
    def counts_applications(self) -> bool:
        """An 'apply' goal whose count is applications sent (a replaced one's count is left to
        the goal that replaced it)."""
        return self.kind is GoalKind.APPLY and self.status is not GoalStatus.REPLACED


@dataclass(frozen=True)
class OutcomeFact:
    """What happened next: an application, an interview or an offer, on a local day."""

    kind: Outcome
    on: date
    goal_id: int | None = None


@dataclass(frozen=True)
class MoodPoint:
    """A mood score given at a debrief or a check-in."""

    at: datetime
    score: int
    source: str  # 'debrief' | 'checkin'


@dataclass(frozen=True)
class Journey:
    """Everything the progress view draws and reads patterns from, oldest first."""

    debriefs: tuple[DebriefFact, ...] = ()
    moods: tuple[MoodPoint, ...] = ()
    goals: tuple[GoalFact, ...] = ()
    outcomes: tuple[OutcomeFact, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing logged yet."""
        return not (self.debriefs or self.moods or self.goals or self.outcomes)

    def shown_goals(self) -> tuple[GoalFact, ...]:
        """The goals /progress shows and counts: all but the replaced ones, oldest first."""
        return tuple(
            g
            for g in sorted(self.goals, key=lambda g: g.set_on)
            if g.status is not GoalStatus.REPLACED
        )


@dataclass(frozen=True)
class GoalTally:
    """Goals by state (replaced ones left out), the partly done ones' counts, and the run of
    done goals: how many decided goals in a row, newest back, were done."""

    set: int
    done: int
    partly: tuple[tuple[int, int], ...]  # (progress, target) of each partly done goal
    in_progress: int
    past_deadline: int
    closed: int
    streak: int

    @property
    def decided(self) -> int:
        """Goals that ended: done, partly done or closed."""
        return self.done + len(self.partly) + self.closed


def tally_goals(goals: tuple[GoalFact, ...], today: date) -> GoalTally:
    """Count goals by state. The streak counts done goals, newest back, until a partly done or
    closed one; open goals (in progress, past their deadline) neither break nor extend it."""
    shown = Journey(goals=goals).shown_goals()
    states = [g.state(today) for g in shown]
    streak = 0
    for state in reversed(states):
        if state in (GoalState.IN_PROGRESS, GoalState.PAST_DEADLINE):
            continue
        if state is not GoalState.DONE:
            break
        streak += 1
    return GoalTally(
        set=len(shown),
        done=states.count(GoalState.DONE),
        partly=tuple(
            (g.progress, g.target or 0)
            for g, s in zip(shown, states, strict=True)
            if s is GoalState.PARTLY_DONE
        ),
        in_progress=states.count(GoalState.IN_PROGRESS),
        past_deadline=states.count(GoalState.PAST_DEADLINE),
        closed=states.count(GoalState.CLOSED),
        streak=streak,
    )


# --- Momentum: what the person did, for the headline ------------------------------------------

# The headline covers the last MOMENTUM_DAYS days, today included.
MOMENTUM_DAYS = 30


class Praise(StrEnum):
    """What a kind word may be said for, strongest first: only ever for what happened."""

    OFFER = "offer"
    INTERVIEW = "interview"
    GOAL_DONE = "goal_done"
    APPLIED = "applied"
    GOAL_PARTLY = "goal_partly"
    FEEDBACK_ASKED = "feedback_asked"
    MOOD_UP = "mood_up"


@dataclass(frozen=True)
class Momentum:
    """What the person did in a stretch of days: applications sent, interviews got, offers,
    goals done and partly done, feedback requests sent, and their mood at its start and end."""

    applications: int = 0
    interviews: int = 0
    offers: int = 0
    goals_done: int = 0
    goals_partly: int = 0
    feedback_asked: int = 0
    mood_from: int | None = None
    mood_to: int | None = None

    @property
    def mood_up(self) -> bool:
        """The mood rose over the stretch."""
        return (
            self.mood_from is not None
            and self.mood_to is not None
            and self.mood_to > self.mood_from
        )

    @property
    def anything(self) -> bool:
        """Something happened worth telling."""
        return bool(
            self.applications
            or self.interviews
            or self.offers
            or self.goals_done
            or self.goals_partly
            or self.feedback_asked
            or self.mood_up
        )

    @property
    def praise(self) -> Praise | None:
        """The one thing to say a kind word for (the strongest), or None when nothing happened."""
        happened = {
            Praise.OFFER: self.offers,
            Praise.INTERVIEW: self.interviews,
            Praise.GOAL_DONE: self.goals_done,
            Praise.APPLIED: self.applications,
            Praise.GOAL_PARTLY: self.goals_partly,
            Praise.FEEDBACK_ASKED: self.feedback_asked,
            Praise.MOOD_UP: self.mood_up,
        }
        return next((p for p in Praise if happened[p]), None)


def applications_sent(journey: Journey, since: date | None = None) -> int:
    """Applications sent (from `since` on, when given), never counted twice.

    Two records say "I applied": `outcomes` rows of kind 'applied' and the count of an 'apply'
    goal. An apply goal counts max(its count, the 'applied' rows linked to it), on the day it
    was set or ended (so in a window only when one of those is inside it); every other
    'applied' row counts once, on its own day.
    """

    applied = [o for o in journey.outcomes if o.kind is Outcome.APPLIED]
    total = 0
    counted: set[int] = set()
    for goal in journey.goals:
        if not goal.counts_applications:
            continue
        if _within(goal.set_on, since) or _within(goal.ended_on, since):
            linked = sum(
                1 for o in applied if goal.goal_id is not None and o.goal_id == goal.goal_id
            )
            total += max(goal.progress, linked)
            if goal.goal_id is not None:
                counted.add(goal.goal_id)
    total += sum(1 for o in applied if o.goal_id not in counted and _within(o.on, since))
    return total


def _within(day: date | None, since: date | None) -> bool:
    """On or after `since` (any day, an unknown one included, when `since` is None)."""
    return since is None or (day is not None and day >= since)


def momentum(journey: Journey, today: date, days: int | None = MOMENTUM_DAYS) -> Momentum:
    """What happened in the last `days` days up to `today` (the whole journey for None)."""
    since = None if days is None else today - timedelta(days=days - 1)
    ended = [g for g in journey.goals if g.status is GoalStatus.DONE and _within(g.ended_on, since)]
    states = [g.state(today) for g in ended]
    moods = [m for m in journey.moods if _within(m.at.date(), since)]
    outcomes = Counter(o.kind for o in journey.outcomes if _within(o.on, since))
    return Momentum(
        applications=applications_sent(journey, since),
        interviews=outcomes[Outcome.INTERVIEW],
        offers=outcomes[Outcome.OFFER],
        goals_done=states.count(GoalState.DONE),
        goals_partly=states.count(GoalState.PARTLY_DONE),
        feedback_asked=sum(
            1
            for d in journey.debriefs
            if d.feedback is not FeedbackOutcome.NOT_SENT and _within(d.feedback_on, since)
        ),
        mood_from=moods[0].score if len(moods) > 1 else None,
        mood_to=moods[-1].score if len(moods) > 1 else None,
    )


class PatternKind(StrEnum):
    """The kinds of pattern, in the order they are shown."""

    STAGE_CLUSTER = "stage_cluster"
    TOP_GAPS = "top_gaps"
    FEEDBACK = "feedback"
    GOAL_STREAK = "goal_streak"


@dataclass(frozen=True)
class Pattern:
    """One pattern and its one next step.

    The numbers mean, per kind: STAGE_CLUSTER `count` of `total` rejections (those with a
    stage) came at `stage`; TOP_GAPS `gaps` were each named `gap_counts` times in `total`
    debriefs; FEEDBACK `count` requests sent, `replies` answered, `total` debriefs;
    GOAL_STREAK `count` goals done of `total` set (replaced ones left out), `streak` done in
    a row, `goals` the whole tally.
    """

    kind: PatternKind
    count: int = 0
    total: int = 0
    stage: Stage | None = None
    gaps: tuple[Gap, ...] = ()
    gap_counts: tuple[int, ...] = ()
    replies: int = 0
    streak: int = 0
    goals: GoalTally | None = None
    resource_id: str | None = None
    advice: str | None = None


def find_patterns(journey: Journey, today: date) -> list[Pattern]:
    """The patterns worth telling once there are MIN_DEBRIEFS debriefs, in PatternKind order."""
    if len(journey.debriefs) < MIN_DEBRIEFS:
        return []
    cluster = _stage_cluster(journey.debriefs)
    taken = {cluster.resource_id} if cluster is not None else set()
    found = [
        cluster,
        _top_gaps(journey.debriefs, taken),
        _feedback(journey.debriefs),
        _goal_streak(journey.goals, today),
    ]
    return [p for p in found if p is not None]


def _stage_cluster(debriefs: tuple[DebriefFact, ...]) -> Pattern | None:
    stages = Counter(d.stage for d in debriefs if d.stage is not None)
    total = sum(stages.values())
    if not stages:
        return None
    ranked = stages.most_common()
    stage, count = ranked[0]
    tie = len(ranked) > 1 and ranked[1][1] == count
    if tie or count < MIN_CLUSTER or count * 2 < total:
        return None
    return Pattern(
        PatternKind.STAGE_CLUSTER,
        count=count,
        total=total,
        stage=stage,
        resource_id=STAGE_RESOURCES[stage],
    )


def _top_gaps(debriefs: tuple[DebriefFact, ...], taken: set[str | None]) -> Pattern | None:
    counts = Counter(gap for d in debriefs for gap in set(d.gaps))
    # Most often first; ties in the order of the Gap enum, so the result is stable.
    order = list(Gap)
    ranked = sorted(
        ((g, n) for g, n in counts.items() if n >= MIN_GAP_COUNT),
        key=lambda item: (-item[1], order.index(item[0])),
    )[:MAX_GAPS]
    if not ranked:
        return None
    return Pattern(
        PatternKind.TOP_GAPS,
        total=len(debriefs),
        gaps=tuple(g for g, _ in ranked),
        gap_counts=tuple(n for _, n in ranked),
        resource_id=next(r for r in GAP_RESOURCES[ranked[0][0]] if r not in taken),
    )


def _feedback(debriefs: tuple[DebriefFact, ...]) -> Pattern:
    sent = sum(1 for d in debriefs if d.feedback is not FeedbackOutcome.NOT_SENT)
    replies = sum(1 for d in debriefs if d.feedback is FeedbackOutcome.REPLIED)
    if sent == 0:
        advice = "ask_next_time"
    elif replies < sent:
        advice = "follow_up"
    else:
        advice = "use_replies"
    return Pattern(
        PatternKind.FEEDBACK, count=sent, replies=replies, total=len(debriefs), advice=advice
    )


def _goal_streak(goals: tuple[GoalFact, ...], today: date) -> Pattern | None:
    tally = tally_goals(goals, today)
    if tally.set == 0:
        return None
    if tally.streak > 1:
        advice, resource_id = "raise_the_bar", None
    elif tally.streak == 1:
        advice, resource_id = "build_on_it", None
    elif tally.decided > 0:
        # The latest goal that ended was partly done or closed: a smaller next one.
        advice, resource_id = "go_smaller", SMALLER_GOALS_RESOURCE
    elif tally.past_deadline > 0:
        advice, resource_id = "tell_me", None
    else:
        advice, resource_id = "keep_going", None
    return Pattern(
        PatternKind.GOAL_STREAK,
        count=tally.done,
        total=tally.set,
        streak=tally.streak,
        goals=tally,
        advice=advice,
        resource_id=resource_id,
    )
