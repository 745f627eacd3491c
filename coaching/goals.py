"""Retry goals: a number of things to do by a deadline, and how to describe them."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

import jinja2

from coaching.choices import match_choice
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
    GoalKind.INTERVIEW: 0.5,
}
"""About the most a person can do well in a day, next to everything else; a goal faster than
this gets a kinder suggestion (a smaller number, or more days). Interviews are slow: they wait
on other people's replies and calendars, so about one every two days is already a lot."""


def kinder_goal(kind: GoalKind, target: int, days: int) -> tuple[int, int] | None:
    """For a goal too big for its time ("10 mock interviews by tomorrow"): the number that fits
    the days, and the days the number needs; None when it fits (or is the person's own). One
    always fits, even where the pace is slower than one a day ("get 1 interview by tomorrow":
    it may be booked already)."""
    pace = PACE_PER_DAY.get(kind)
    if pace is None or days < 1:
        return None
    fits = max(1, int(pace * days))
    if target <= fits:
        return None
    return fits, math.ceil(target / pace)


# --- A goal typed in words ---------------------------------------------------------------------

TYPED_WORDS: dict[GoalKind, str] = {
    GoalKind.INTERVIEW: "land secure book line up job real next first",
}
"""Words a typed goal may use for a kind besides those of its labels ("land an interview")."""

_NUMBER = re.compile(
    r"[-+]?\d[\d.,^/\u2044eE]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"\s+(?P<marker>by|until|till|before|within|in|on)\s+(?P<rest>\S.*)$"
    r"|\s+(?P<alone>tomorrow|next week|next month|this week|end of (?:the )?month)\s*$",
    re.IGNORECASE,
)
_MARKERS = {"till": "until", "before": "by", "within": "in"}
"""Deadline words `coaching.deadlines.parse_deadline` reads another way ("by Friday")."""


@dataclass(frozen=True)
class TypedGoal:
    """A goal as typed: its kind, the number said (as said: `parse_target` judges it) and the
    deadline said (as said, for `coaching.deadlines.parse_deadline`), each None when not said."""

    kind: GoalKind
    number: str | None
    when: str | None


def read_goal(text: str, labels: Mapping[GoalKind, str]) -> TypedGoal | None:
    """The goal in words such as "apply to 8 roles", "3 mock interviews", "get 1 interview" or
    "land an interview by friday"; None when the words name none of `labels` (a kind -> the
    words of its buttons), or more than one.

    The words (numbers and a trailing deadline aside) must all be words of one kind's labels
    (or of its `TYPED_WORDS`). Where they fit several, the plainest one wins when its labels'
    words are all in the others': "an interview" is the interview, not the mock interview.
    """
    head, when = _split_when(unicodedata.normalize("NFKC", text).strip())
    found = _NUMBER.search(head)
    words = _NUMBER.sub(" ", head)
    fitting = [
        kind
        for kind, label in labels.items()
        if match_choice(words, {kind.value: f"{label} {TYPED_WORDS.get(kind, '')}"})
    ]
    plainest = [
        kind
        for kind in fitting
        if all(
            other is kind or match_choice(labels[kind], {other.value: labels[other]})
            for other in fitting
        )
    ]
    if len(plainest) != 1:
        return None
    return TypedGoal(plainest[0], found.group() if found else None, when)


def _split_when(text: str) -> tuple[str, str | None]:
    """The goal's words, and the deadline said at their end ("by friday", "in 2 weeks")."""
    found = _WHEN.search(text)
    if found is None:
        return text, None
    if found.group("alone"):
        return text[: found.start()], found.group("alone")
    marker = found.group("marker").casefold()
    return text[: found.start()], f"{_MARKERS.get(marker, marker)} {found.group('rest')}"
