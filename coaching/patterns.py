"""Patterns across a user's rejections, in plain data: where they cluster, what keeps coming up.

A pure function over plain data (no storage, no Telegram): `find_patterns(journey, today)`.
Each pattern carries the numbers its sentence needs and points to one next step: a resource
from the catalog (`resource_id`) or a piece of advice (`advice`, a key the template words).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from coaching.model import Gap, Stage

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


class GoalOutcome(StrEnum):
    """Where a retry goal stands."""

    OPEN = "open"
    MET = "met"
    MISSED = "missed"


@dataclass(frozen=True)
class DebriefFact:
    """One logged rejection, reduced to what patterns need."""

    rejected_on: date
    stage: Stage | None
    gaps: tuple[Gap, ...]
    feedback: FeedbackOutcome


@dataclass(frozen=True)
class GoalFact:
    """One retry goal that was set (drafts never count)."""

    set_on: date
    deadline: date | None
    done: bool
    abandoned: bool = False

    def outcome(self, today: date) -> GoalOutcome:
        """Met, missed (given up, or its deadline passed), or still open."""
        if self.done:
            return GoalOutcome.MET
        if self.abandoned or (self.deadline is not None and self.deadline < today):
            return GoalOutcome.MISSED
        return GoalOutcome.OPEN


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

    @property
    def empty(self) -> bool:
        """Nothing logged yet."""
        return not (self.debriefs or self.moods or self.goals)


@dataclass(frozen=True)
class GoalTally:
    """Goals set, met, missed and the current run of met goals."""

    set: int
    met: int
    missed: int
    streak: int


def tally_goals(goals: tuple[GoalFact, ...], today: date) -> GoalTally:
    """Count goals by outcome; the streak is how many decided goals in a row, newest back,
    were met (open goals neither break nor extend it)."""
    ordered = sorted(goals, key=lambda g: g.set_on)
    outcomes = [g.outcome(today) for g in ordered]
    streak = 0
    for outcome in reversed(outcomes):
        if outcome is GoalOutcome.OPEN:
            continue
        if outcome is GoalOutcome.MISSED:
            break
        streak += 1
    return GoalTally(
        set=len(outcomes),
        met=outcomes.count(GoalOutcome.MET),
        missed=outcomes.count(GoalOutcome.MISSED),
        streak=streak,
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
    GOAL_STREAK `count` goals met of `total` set, `streak` met in a row, `missed` missed.
    """

    kind: PatternKind
    count: int = 0
    total: int = 0
    stage: Stage | None = None
    gaps: tuple[Gap, ...] = ()
    gap_counts: tuple[int, ...] = ()
    replies: int = 0
    streak: int = 0
    missed: int = 0
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
    if not goals:
        return None
    tally = tally_goals(goals, today)
    if tally.streak > 0:
        advice, resource_id = "raise_the_bar", None
    elif tally.missed > 0:
        advice, resource_id = "go_smaller", SMALLER_GOALS_RESOURCE
    else:
        advice, resource_id = "keep_going", None
    return Pattern(
        PatternKind.GOAL_STREAK,
        count=tally.met,
        total=tally.set,
        streak=tally.streak,
        missed=tally.missed,
        advice=advice,
        resource_id=resource_id,
    )
