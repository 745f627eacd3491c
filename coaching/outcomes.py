"""What happened next: the person applied again, got an interview, or got an offer.

Recording an outcome is where the coaching learns that it worked. Each kind moves the person's
open goals on in its own way (`goal_changes`), pure so the tests read the rule directly:

* applied again: one more on an open goal that counts applications (done when it reaches its
  number); a goal of getting interviews is left alone (an application is not an interview);
* an interview: one more on an open goal that counts interviews (done when it reaches its
  number); an open goal that counts applications has done its job, and ends as done with the
  number reached (the interview is what the applications were for);
* an offer: every open goal ends as done with the number reached.

Goals of other kinds (mock interviews, practice problems, a course) go on after an application
or an interview: they are the preparation for what comes next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from coaching.model import Gap, GoalKind


class Outcome(StrEnum):
    """What the person records (the value is `outcomes.kind`)."""

    APPLIED = "applied"
    INTERVIEW = "interview"
    OFFER = "offer"


@dataclass(frozen=True)
class OpenGoal:
    """An active goal as the rule reads it."""

    id: int
    kind: str
    target: int | None
    progress: int


@dataclass(frozen=True)
class GoalChange:
    """What an outcome does to one open goal: its new count, and whether it is now done."""

    goal_id: int
    progress: int
    done: bool


_COUNTS: dict[str, Outcome] = {
    GoalKind.APPLY: Outcome.APPLIED,
    GoalKind.INTERVIEW: Outcome.INTERVIEW,
}
"""The outcome each counting goal kind counts: applications sent, interviews got."""
_ENDS: dict[Outcome, frozenset[str]] = {
    Outcome.INTERVIEW: frozenset({GoalKind.APPLY}),
}
"""The goal kinds an outcome ends as done, the number as reached (an offer ends them all)."""


def goal_changes(outcome: Outcome, goals: Iterable[OpenGoal]) -> list[GoalChange]:
    """How `outcome` moves the open `goals` on (goals it leaves alone are not listed)."""
    changes: list[GoalChange] = []
    for goal in goals:
        if outcome is Outcome.OFFER or goal.kind in _ENDS.get(outcome, ()):
            changes.append(GoalChange(goal.id, goal.progress, done=True))
        elif _COUNTS.get(goal.kind) is outcome:
            progress = goal.progress + 1
            done = goal.target is not None and progress >= goal.target
            changes.append(GoalChange(goal.id, progress, done))
    return changes


PREP_POINTS = ("technical", "theory", "credentials", "stories", "portfolio", "questions")
"""The preparation points the day-before check-in can make (texts: prompts/checkin)."""
_PREP_FOR_GAP = {
    Gap.TECHNICAL: "technical",
    Gap.THEORY: "theory",
    Gap.CREDENTIALS: "credentials",
    Gap.INTERVIEWING: "stories",
    Gap.PORTFOLIO: "portfolio",
}
PREP_MOST = 3


def prep_points(gaps: Iterable[str]) -> tuple[str, ...]:
    """What to prepare the day before an interview, from the gaps the person named in their
    debrief (in the order they named them), then their stories and their own questions, at
    most three points."""
    points: list[str] = []
    for name in gaps:
        point = _PREP_FOR_GAP.get(Gap(name)) if name in Gap.__members__.values() else None
        if point is not None and point not in points:
            points.append(point)
    for always in ("stories", "questions"):
        if always not in points:
            points.append(always)
    return tuple(points[:PREP_MOST])
