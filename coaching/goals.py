"""Retry goals: a number of things to do by a deadline, and how to describe them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

import jinja2

from coaching.model import GoalKind
from coaching.swot import HasDirectory, load_texts

TARGET_MIN = 1
TARGET_MAX = 100

TargetReason = Literal["not_a_number", "too_small", "too_big"]

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_INTEGER = re.compile(r"^[+-]?[0-9]{1,12}$", re.ASCII)

_ENV = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)


@lru_cache(maxsize=64)
def _template(source: str) -> jinja2.Template:
    """A text of actions.toml, compiled once (compiling costs far more than rendering)."""
    return _ENV.from_string(source)


class TargetError(ValueError):
    """A target that is not a usable count; `reason` is "not_a_number", "too_small" or "too_big"."""

    def __init__(self, reason: TargetReason, text: str) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason: TargetReason = reason
        self.text = text


@dataclass(frozen=True)
class RetryGoal:
    """What to do before trying again: `target` things of `kind`, or `custom_text`, by a date."""

    kind: GoalKind
    target: int | None
    custom_text: str | None
    deadline: date

    def __post_init__(self) -> None:
        if self.kind is GoalKind.CUSTOM:
            if not self.custom_text:
                raise ValueError("a custom goal needs custom_text")
        elif self.target is None or not TARGET_MIN <= self.target <= TARGET_MAX:
            raise ValueError(f"target must be {TARGET_MIN}-{TARGET_MAX}, got {self.target!r}")


def parse_target(text: str) -> int:
    """A goal count from digits ("5", " 12 ") or a word one..ten; raises TargetError."""
    cleaned = unicodedata.normalize("NFKC", text).strip().casefold()
    if cleaned in _WORDS:
        value = _WORDS[cleaned]
    elif _INTEGER.match(cleaned):
        value = int(cleaned)
    else:
        raise TargetError("not_a_number", text)
    if value < TARGET_MIN:
        raise TargetError("too_small", text)
    if value > TARGET_MAX:
        raise TargetError("too_big", text)
    return value


def smaller_goal(goal: RetryGoal) -> RetryGoal:
    """The same goal with roughly half the target (at least 1); custom goals are unchanged."""
    if goal.target is None:
        return goal
    return RetryGoal(
        kind=goal.kind,
        target=max(TARGET_MIN, goal.target // 2),
        custom_text=goal.custom_text,
        deadline=goal.deadline,
    )


def format_deadline(deadline: date, prompts: HasDirectory) -> str:
    """The deadline in the short style of [goal].date in actions.toml, e.g. "Fri 15 May"."""
    texts = load_texts(prompts)["goal"]
    return _template(texts["date"]).render(
        weekday=texts["weekdays"][deadline.weekday()],
        day=deadline.day,
        month=texts["months"][deadline.month - 1],
        year=deadline.year,
    )


def describe_goal(goal: RetryGoal, prompts: HasDirectory) -> str:
    """The goal as one plain-text line from [goal] in actions.toml, e.g. "Apply to 5 roles by …"."""
    template = load_texts(prompts)["goal"][goal.kind.value]
    return (
        _template(template)
        .render(
            target=goal.target,
            text=goal.custom_text,
            deadline=format_deadline(goal.deadline, prompts),
        )
        .strip()
    )


PACE_PER_DAY: dict[GoalKind, float] = {
    GoalKind.APPLY: 2.0,
    GoalKind.MOCK_INTERVIEWS: 1.0,
    GoalKind.PRACTICE_PROBLEMS: 5.0,
    GoalKind.COURSE_MODULE: 1.0,
}
"""About the most a person can do well in a day, next to everything else; a goal faster than
this gets a kinder suggestion (a smaller number, or more days)."""


def kinder_goal(kind: GoalKind, target: int, days: int) -> tuple[int, int] | None:
    """For a goal too big for its time ("10 mock interviews by tomorrow"): the number that fits
    the days, and the days the number needs; None when it fits (or is the person's own)."""
    pace = PACE_PER_DAY.get(kind)
    if pace is None or days < 1 or target <= pace * days:
        return None
    return max(1, int(pace * days)), -(-target // int(pace))
