"""What an outcome does to the open goals, and the interview prep drawn from a debrief's gaps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coaching.model import Gap, GoalKind
from coaching.outcomes import (
    PREP_MOST,
    PREP_POINTS,
    GoalChange,
    OpenGoal,
    Outcome,
    goal_changes,
    prep_points,
)

APPLY = OpenGoal(1, GoalKind.APPLY, 3, 1)
MOCKS = OpenGoal(2, GoalKind.MOCK_INTERVIEWS, 2, 0)
CUSTOM = OpenGoal(3, GoalKind.CUSTOM, None, 0)


def test_applying_again_counts_on_the_application_goal_only() -> None:
    assert goal_changes(Outcome.APPLIED, [APPLY, MOCKS, CUSTOM]) == [GoalChange(1, 2, False)]


def test_the_last_application_of_the_goal_makes_it_done() -> None:
    almost = OpenGoal(1, GoalKind.APPLY, 3, 2)
    assert goal_changes(Outcome.APPLIED, [almost]) == [GoalChange(1, 3, True)]


def test_an_interview_ends_the_application_goal_and_keeps_the_preparation() -> None:
    assert goal_changes(Outcome.INTERVIEW, [APPLY, MOCKS]) == [GoalChange(1, 1, True)]


def test_an_offer_ends_every_open_goal_with_the_number_reached() -> None:
    assert goal_changes(Outcome.OFFER, [APPLY, MOCKS, CUSTOM]) == [
        GoalChange(1, 1, True),
        GoalChange(2, 0, True),
        GoalChange(3, 0, True),
    ]


def test_nothing_open_changes_nothing() -> None:
    assert all(goal_changes(outcome, []) == [] for outcome in Outcome)


def test_prep_follows_the_gaps_in_the_order_named_then_stories_and_questions() -> None:
    assert prep_points([Gap.INTERVIEWING, Gap.TECHNICAL]) == ("stories", "technical", "questions")
    assert prep_points([Gap.PORTFOLIO]) == ("portfolio", "stories", "questions")
    assert prep_points([]) == ("stories", "questions")
    assert prep_points([Gap.UNSURE, "retired-gap"]) == ("stories", "questions")


@given(st.lists(st.sampled_from([*Gap, "x"])))
def test_prep_is_at_most_three_known_points_without_repeats(gaps: list[str]) -> None:
    points = prep_points(gaps)
    assert 2 <= len(points) <= PREP_MOST
    assert len(set(points)) == len(points)
    assert set(points) <= set(PREP_POINTS)
