"""Tests for coaching.goals."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rendering import Prompts
from coaching.goals import (
    PACE_PER_DAY,
    TARGET_MAX,
    TARGET_MIN,
    RetryGoal,
    TargetError,
    describe_goal,
    format_deadline,
    kinder_goal,
    parse_target,
    smaller_goal,
)
from coaching.model import GoalKind

PROMPTS = Prompts()
FRIDAY = date(2026, 5, 15)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5),
        (" 12 ", 12),
        ("1", 1),
        ("100", 100),
        ("five", 5),
        ("Ten", 10),
        ("+3", 3),
        ("007", 7),
    ],
)
def test_parse_target_accepts(text: str, value: int) -> None:
    assert parse_target(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not_a_number"),
        ("many", "not_a_number"),
        ("3.5", "not_a_number"),
        ("5 roles", "not_a_number"),
        ("eleven", "not_a_number"),
        ("0", "too_small"),
        ("-4", "too_small"),
        ("101", "too_big"),
        ("999999999999", "too_big"),
    ],
)
def test_parse_target_rejects(text: str, reason: str) -> None:
    with pytest.raises(TargetError) as info:
        parse_target(text)
    assert info.value.reason == reason


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_parse_target_integers(n: int) -> None:
    if TARGET_MIN <= n <= TARGET_MAX:
        assert parse_target(f" {n}\n") == n
    else:
        with pytest.raises(TargetError) as info:
            parse_target(str(n))
        assert info.value.reason == ("too_small" if n < TARGET_MIN else "too_big")


@given(st.text(max_size=40))
def test_parse_target_only_raises_target_error(text: str) -> None:
    try:
        value = parse_target(text)
    except TargetError as exc:
        assert exc.reason in {"not_a_number", "too_small", "too_big"}
    else:
        assert TARGET_MIN <= value <= TARGET_MAX


def test_retry_goal_validates() -> None:
    with pytest.raises(ValueError):
        RetryGoal(GoalKind.APPLY, None, None, FRIDAY)
    with pytest.raises(ValueError):
        RetryGoal(GoalKind.APPLY, 0, None, FRIDAY)
    with pytest.raises(ValueError):
        RetryGoal(GoalKind.CUSTOM, None, "", FRIDAY)
    assert RetryGoal(GoalKind.CUSTOM, None, "Finish my site", FRIDAY).custom_text


@pytest.mark.parametrize(
    ("target", "smaller"), [(10, 5), (5, 2), (3, 1), (2, 1), (1, 1), (100, 50)]
)
def test_smaller_goal_halves(target: int, smaller: int) -> None:
    goal = RetryGoal(GoalKind.MOCK_INTERVIEWS, target, None, FRIDAY)
    assert smaller_goal(goal) == RetryGoal(GoalKind.MOCK_INTERVIEWS, smaller, None, FRIDAY)


@given(st.integers(min_value=2, max_value=TARGET_MAX))
def test_smaller_goal_is_smaller(target: int) -> None:
    smaller = smaller_goal(RetryGoal(GoalKind.APPLY, target, None, FRIDAY)).target
    assert smaller is not None
    assert TARGET_MIN <= smaller < target


def test_smaller_custom_goal_keeps_text_and_deadline() -> None:
    goal = RetryGoal(GoalKind.CUSTOM, None, "Rewrite my CV", FRIDAY)
    assert smaller_goal(goal) == goal


def test_format_deadline() -> None:
    assert format_deadline(FRIDAY) == "Friday 15 May"
    assert format_deadline(date(2027, 1, 4)) == "Monday 4 January"


def test_describe_goal_numbers_and_plurals() -> None:
    five = describe_goal(RetryGoal(GoalKind.APPLY, 5, None, FRIDAY), PROMPTS)
    one = describe_goal(RetryGoal(GoalKind.APPLY, 1, None, FRIDAY), PROMPTS)
    assert five == "Apply to 5 roles by Friday 15 May"
    assert one == "Apply to 1 role by Friday 15 May"


@pytest.mark.parametrize("kind", [k for k in GoalKind if k is not GoalKind.CUSTOM])
def test_describe_every_counted_kind(kind: GoalKind) -> None:
    text = describe_goal(RetryGoal(kind, 7, None, FRIDAY), PROMPTS)
    assert "7" in text and "15 May" in text
    assert "{" not in text


def test_describe_custom_goal_uses_the_text_unescaped() -> None:
    text = describe_goal(RetryGoal(GoalKind.CUSTOM, None, "Call R&D <team>", FRIDAY), PROMPTS)
    assert text.startswith("Call R&D <team>")
    assert text.endswith("Friday 15 May")


def test_a_goal_too_big_for_its_time_gets_a_number_that_fits_and_the_days_it_needs() -> None:
    assert kinder_goal(GoalKind.MOCK_INTERVIEWS, 10, 1) == (1, 10)
    assert kinder_goal(GoalKind.APPLY, 30, 7) == (14, 15)
    assert kinder_goal(GoalKind.APPLY, 5, 7) is None  # fits
    assert kinder_goal(GoalKind.PRACTICE_PROBLEMS, 10, 2) is None
    assert kinder_goal(GoalKind.CUSTOM, 100, 1) is None  # their own words: not second-guessed


@given(st.sampled_from(list(PACE_PER_DAY)), st.integers(1, 100), st.integers(1, 365))
def test_a_kinder_goal_always_fits_its_time(kind: GoalKind, target: int, days: int) -> None:
    kinder = kinder_goal(kind, target, days)
    if kinder is None:  # one always fits, even at a pace slower than one a day
        assert target <= max(1, PACE_PER_DAY[kind] * days)
    else:
        fits, needs = kinder
        assert 1 <= fits < target and needs > days
        assert kinder_goal(kind, fits, days) is None or fits == 1
        assert kinder_goal(kind, target, needs) is None
