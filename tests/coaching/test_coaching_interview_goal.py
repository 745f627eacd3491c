"""The goal of getting the next interview (GoalKind.INTERVIEW): how the outcome records move
it on, how it reads typed, how it is worded, and the pace it is checked against."""

from __future__ import annotations

from datetime import date

import pytest

from bot.rendering import Prompts
from coaching.goals import (
    PACE_PER_DAY,
    RetryGoal,
    TypedGoal,
    describe_goal,
    kinder_goal,
    read_goal,
)
from coaching.model import GoalKind
from coaching.outcomes import GoalChange, OpenGoal, Outcome, goal_changes

PROMPTS = Prompts()
ONE = OpenGoal(1, GoalKind.INTERVIEW, 1, 0)
TWO = OpenGoal(2, GoalKind.INTERVIEW, 2, 0)
APPLY = OpenGoal(3, GoalKind.APPLY, 5, 2)
MOCKS = OpenGoal(4, GoalKind.MOCK_INTERVIEWS, 3, 1)


# --- What the outcome records do to it ---------------------------------------------------------


def test_an_interview_counts_one_on_the_interview_goal_and_ends_it_at_its_number() -> None:
    assert goal_changes(Outcome.INTERVIEW, [ONE]) == [GoalChange(1, 1, True)]
    assert goal_changes(Outcome.INTERVIEW, [TWO]) == [GoalChange(2, 1, False)]
    half = OpenGoal(2, GoalKind.INTERVIEW, 2, 1)
    assert goal_changes(Outcome.INTERVIEW, [half]) == [GoalChange(2, 2, True)]


def test_applying_again_leaves_the_interview_goal_alone() -> None:
    assert goal_changes(Outcome.APPLIED, [ONE, TWO]) == []
    assert goal_changes(Outcome.APPLIED, [ONE, APPLY]) == [GoalChange(3, 3, False)]


def test_an_offer_ends_the_interview_goal_as_done_with_the_number_reached() -> None:
    assert goal_changes(Outcome.OFFER, [TWO]) == [GoalChange(2, 0, True)]


def test_an_interview_still_ends_the_apply_goal_and_keeps_the_preparation() -> None:
    assert goal_changes(Outcome.INTERVIEW, [APPLY, ONE, MOCKS]) == [
        GoalChange(3, 2, True),
        GoalChange(1, 1, True),
    ]


def test_goal_kinds_from_storage_are_plain_strings() -> None:
    stored = OpenGoal(5, "interview", 1, 0)
    assert goal_changes(Outcome.INTERVIEW, [stored]) == [GoalChange(5, 1, True)]
    assert goal_changes(Outcome.APPLIED, [stored]) == []


# --- Typed -------------------------------------------------------------------------------------

LABELS = {
    kind: " ".join(PROMPTS.label(key, number=0) for key in (f"goal.{k}", f"goal.pick_{k}"))
    for kind in GoalKind
    if kind is not GoalKind.CUSTOM
    for k in [kind.value]
}
"""The words of each kind's buttons, as the debrief offers them to `read_goal`."""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("get 1 interview", TypedGoal(GoalKind.INTERVIEW, "1", None)),
        ("land an interview by friday", TypedGoal(GoalKind.INTERVIEW, None, "by friday")),
        ("Get two interviews", TypedGoal(GoalKind.INTERVIEW, "two", None)),
        ("an interview", TypedGoal(GoalKind.INTERVIEW, None, None)),
        ("land a job interview within 2 weeks", TypedGoal(GoalKind.INTERVIEW, None, "in 2 weeks")),
        ("get an interview before 15 Dec", TypedGoal(GoalKind.INTERVIEW, None, "by 15 Dec")),
        (
            "secure 2 interviews till next friday",
            TypedGoal(GoalKind.INTERVIEW, "2", "until next friday"),
        ),
        ("interviews tomorrow", TypedGoal(GoalKind.INTERVIEW, None, "tomorrow")),
        # The other kinds read as before; "mock" is what tells the two interviews apart.
        ("3 mock interviews", TypedGoal(GoalKind.MOCK_INTERVIEWS, "3", None)),
        ("a mock interview", TypedGoal(GoalKind.MOCK_INTERVIEWS, None, None)),
        ("apply to 8 roles", TypedGoal(GoalKind.APPLY, "8", None)),
        ("apply to 8 roles in 2 weeks", TypedGoal(GoalKind.APPLY, "8", "in 2 weeks")),
        ("solve 20 practice problems", TypedGoal(GoalKind.PRACTICE_PROBLEMS, "20", None)),
        ("apply to -3 roles", TypedGoal(GoalKind.APPLY, "-3", None)),  # parse_target refuses
    ],
)
def test_a_typed_goal_is_read(text: str, expected: TypedGoal) -> None:
    assert read_goal(text, LABELS) == expected


@pytest.mark.parametrize(
    "text", ["12", "apply to lots of roles", "by friday", "", "interview practice", "win"]
)
def test_words_that_name_no_goal_read_as_none(text: str) -> None:
    assert read_goal(text, LABELS) is None


def test_the_plain_interview_needs_the_mock_interview_goal_offered_to_win() -> None:
    only_interview = {GoalKind.INTERVIEW: LABELS[GoalKind.INTERVIEW]}
    assert read_goal("interview", only_interview) == TypedGoal(GoalKind.INTERVIEW, None, None)
    only_mocks = {GoalKind.MOCK_INTERVIEWS: LABELS[GoalKind.MOCK_INTERVIEWS]}
    assert read_goal("interview", only_mocks) == TypedGoal(GoalKind.MOCK_INTERVIEWS, None, None)


# --- Words -------------------------------------------------------------------------------------


def test_the_goal_reads_as_a_sentence_with_the_day_in_words() -> None:
    one = RetryGoal(GoalKind.INTERVIEW, 1, None, date(2026, 12, 18))
    two = RetryGoal(GoalKind.INTERVIEW, 2, None, date(2026, 12, 18))
    assert describe_goal(one, PROMPTS) == "Get 1 interview by Friday 18 December"
    assert describe_goal(two, PROMPTS) == "Get 2 interviews by Friday 18 December"


def test_its_buttons_read_get_an_interview_and_get_n_interviews() -> None:
    assert PROMPTS.label("goal.pick_interview", number=1) == "Get an interview"
    assert PROMPTS.label("goal.pick_interview", number=3) == "Get 3 interviews"
    assert PROMPTS.label("goal.interview") == "Get N interviews"


# --- Pace --------------------------------------------------------------------------------------


def test_interviews_are_slow_but_one_always_fits() -> None:
    assert PACE_PER_DAY[GoalKind.INTERVIEW] < PACE_PER_DAY[GoalKind.MOCK_INTERVIEWS]
    assert kinder_goal(GoalKind.INTERVIEW, 1, 1) is None  # it may be booked already
    assert kinder_goal(GoalKind.INTERVIEW, 2, 7) is None
    assert kinder_goal(GoalKind.INTERVIEW, 3, 1) == (1, 6)
    assert kinder_goal(GoalKind.INTERVIEW, 5, 7) == (3, 10)
