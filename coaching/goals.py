"""Retry goals: a number of things to do by a deadline, and how to describe them."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Literal

import jinja2

from coaching.choices import match_choice
from coaching.dates import day_month, long_day
from coaching.deadlines import DeadlineError, parse_deadline
from coaching.language import ENGLISH, LANGUAGES, current_language, plural
from coaching.model import GoalKind
from coaching.numbers import number_word
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
_ENV.globals["plural"] = plural


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


def parse_target(text: str, *, language: str | None = None) -> int:
    """A goal count from digits ("5", " 12 ") or words: English one..ten, Spanish and Russian
    any number to a hundred ("doce", "veintiuno", "двенадцать"); raises TargetError.
    `language` None is the current one."""
    lang = _language(language)
    cleaned = unicodedata.normalize("NFKC", text).strip().casefold()
    spoken = None if lang == ENGLISH else number_word(cleaned, lang)
    if lang == ENGLISH and cleaned in _WORDS:
        value = _WORDS[cleaned]
    elif _INTEGER.match(cleaned):
        value = int(cleaned)
    elif spoken is not None:
        value = spoken
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


def format_deadline(
    deadline: date, *, language: str | None = None, today: date | None = None
) -> str:
    """The deadline as goals and check-ins say it: "Friday 15 May", "viernes 15 de mayo",
    "пятница, 15 мая" (`coaching.dates.long_day`), with the year when `today` is given and
    in another year."""
    return long_day(deadline, language, today=today)


def describe_goal(goal: RetryGoal, prompts: HasDirectory) -> str:
    """The goal as one plain-text line from [goal] in actions.toml, e.g. "Apply to 5 roles by …"."""
    template = load_texts(prompts)["goal"][goal.kind.value]
    return (
        _template(template)
        .render(
            target=goal.target,
            text=goal.custom_text,
            deadline=format_deadline(goal.deadline),
            deadline_day=day_month(goal.deadline),
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

TYPED_WORDS_IN: dict[str, dict[GoalKind, str]] = {
    "en": TYPED_WORDS,
    "es": {
        GoalKind.INTERVIEW: "conseguir lograr obtener tener agendar cerrar real siguiente "
        "primera trabajo empleo de",
    },
    "ru": {
        GoalKind.INTERVIEW: "получить назначить найти попасть пройти настоящее реальное "
        "следующее первое работу на",
    },
}
"""`TYPED_WORDS` per language."""

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


def read_goal(
    text: str, labels: Mapping[GoalKind, str], *, language: str | None = None
) -> TypedGoal | None:
    """The goal in words such as "apply to 8 roles", "3 mock interviews", "get 1 interview" or
    "land an interview by friday"; None when the words name none of `labels` (a kind -> the
    words of its buttons), or more than one.

    The words (numbers and a trailing deadline aside) must all be words of one kind's labels
    (or of its `TYPED_WORDS`). Where they fit several, the plainest one wins when its labels'
    words are all in the others': "an interview" is the interview, not the mock interview.

    In Spanish and Russian (`language`; None: the current one, the language of `labels`):
    "postularme a 5 puestos para el viernes", "5 собеседований за две недели"; the deadline
    is the longest run of last words that `coaching.deadlines.parse_deadline` reads, and
    words match with other endings ("собеседований" / "собеседование").
    """
    lang = _language(language)
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if lang == ENGLISH:
        head, when = _split_when(cleaned)
        found = _NUMBER.search(head)
        number = found.group() if found else None
        words = _NUMBER.sub(" ", head)
    else:
        head, when = _split_spoken_when(cleaned, lang)
        number, words = _spoken_number(head, lang)
    typed = TYPED_WORDS_IN.get(lang, {})
    fitting = [
        kind
        for kind, label in labels.items()
        if match_choice(words, {kind.value: f"{label} {typed.get(kind, '')}"}, language=lang)
    ]
    plainest = [
        kind
        for kind in fitting
        if all(
            other is kind
            or match_choice(
                _without(labels[kind], typed.get(kind, "")),
                {other.value: labels[other]},
                language=lang,
            )
            for other in fitting
        )
    ]
    if len(plainest) != 1:
        return None
    return TypedGoal(plainest[0], number, when)


def _without(label: str, typed: str) -> str:
    """A kind's label without its typed words: the verb ("Conseguir N entrevistas", "Попасть
    на N собеседований") does not make a kind less plain, as "Get" is a filler in English."""
    verbs = set(typed.casefold().split())
    return " ".join(word for word in label.split() if word.casefold() not in verbs)


def _language(language: str | None) -> str:
    chosen = current_language() if language is None else language
    return chosen if chosen in LANGUAGES else ENGLISH


_ANY_DAY = datetime(2026, 1, 5, 12, tzinfo=UTC)
"""Whether words are a deadline does not depend on the day; their reading is done later."""
_SIGNED = re.compile(r"^[-+]?\d[\d.,^/\u2044eE]*$")
_ARTICLES = frozenset({"un", "una"})
"""Spanish "una entrevista": an article, as English "an interview" (no number said)."""


def _split_spoken_when(text: str, language: str) -> tuple[str, str | None]:
    """The goal's words, and the longest run of last words that is a deadline (a day too
    near or too far is still one: the deadline step says why it cannot be used)."""
    words = text.split()
    for start in range(1, len(words)):
        said = " ".join(words[start:])
        try:
            parse_deadline(said, _ANY_DAY, UTC, language=language)
        except DeadlineError as error:
            if error.reason == "unreadable":
                continue
        return " ".join(words[:start]), said
    return text, None


def _spoken_number(head: str, language: str) -> tuple[str | None, str]:
    """The first number said (as said: digits, or up to three words) and the other words."""
    words = head.split()
    for start, word in enumerate(words):
        if _SIGNED.match(word):
            return word, " ".join(words[:start] + words[start + 1 :])
        if word.casefold() in _ARTICLES:
            continue
        for size in (3, 2, 1):
            run = " ".join(words[start : start + size])
            if start + size <= len(words) and number_word(run, language) is not None:
                return run, " ".join(words[:start] + words[start + size :])
    return None, head


def _split_when(text: str) -> tuple[str, str | None]:
    """The goal's words, and the deadline said at their end ("by friday", "in 2 weeks")."""
    found = _WHEN.search(text)
    if found is None:
        return text, None
    if found.group("alone"):
        return text[: found.start()], found.group("alone")
    marker = found.group("marker").casefold()
    return text[: found.start()], f"{_MARKERS.get(marker, marker)} {found.group('rest')}"
