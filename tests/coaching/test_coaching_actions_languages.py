"""The coaching texts (prompts/<code>/actions.toml) in each language: same tables and keys as
the English ones, goals that read as sentences with the right plural forms."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from typing import Any

import pytest

from bot.rendering import PROMPTS_DIR, Prompts
from coaching.goals import RetryGoal, describe_goal
from coaching.language import ENGLISH, LANGUAGES, speaking
from coaching.model import Gap, GoalKind, Stage
from coaching.swot import practice_actions

OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != ENGLISH]
PROMPTS = Prompts()
# Dates come from Babel (coaching.dates), not from actions.toml.
_DATE_KEYS = {"date", "weekdays", "months"}
_ENGLISH_WORDS = re.compile(
    r"\b(the|and|you|your|which|please|step|goal|by|with|for)\b", re.IGNORECASE
)


def load(language: str) -> dict[str, Any]:
    folder = PROMPTS_DIR if language == ENGLISH else PROMPTS_DIR / language
    with (folder / "actions.toml").open("rb") as fh:
        return tomllib.load(fh)


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    if isinstance(value, dict):
        return [s for key, item in value.items() if key != "stages" for s in strings(item)]
    return []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_same_tables_and_keys_as_english(language: str) -> None:
    english, ours = load(ENGLISH), load(language)
    assert set(ours) == set(english)
    assert set(ours["swot"]) == set(english["swot"])
    for table, texts in english["swot"].items():
        assert set(ours["swot"][table]) == set(texts), table
        for key, text in texts.items():
            if isinstance(text, list):
                assert len(ours["swot"][table][key]) == len(text), (table, key)
    assert set(ours["goal"]) == set(english["goal"]) - _DATE_KEYS
    assert set(ours["actions"]) == set(english["actions"])
    for gap, actions in english["actions"].items():
        translated = ours["actions"][gap]
        assert [a["key"] for a in translated] == [a["key"] for a in actions], gap
        assert [a["stages"] for a in translated] == [a["stages"] for a in actions], gap


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_english_left(language: str) -> None:
    for text in strings({k: v for k, v in load(language).items() if k != "goal"}):
        assert not _ENGLISH_WORDS.search(text), text


@pytest.mark.parametrize(
    ("language", "kind", "count", "expected"),
    [
        ("es", GoalKind.APPLY, 1, "Postularse a 1 puesto para el viernes 18 de diciembre"),
        ("es", GoalKind.APPLY, 5, "Postularse a 5 puestos para el viernes 18 de diciembre"),
        (
            "es",
            GoalKind.MOCK_INTERVIEWS,
            2,
            "Hacer 2 entrevistas de práctica para el viernes 18 de diciembre",
        ),
        ("ru", GoalKind.APPLY, 1, "Откликнуться на 1 вакансию до 18 декабря"),
        ("ru", GoalKind.APPLY, 3, "Откликнуться на 3 вакансии до 18 декабря"),
        ("ru", GoalKind.APPLY, 25, "Откликнуться на 25 вакансий до 18 декабря"),
        (
            "ru",
            GoalKind.MOCK_INTERVIEWS,
            21,
            "Пройти 21 пробное собеседование до 18 декабря",
        ),
        (
            "ru",
            GoalKind.PRACTICE_PROBLEMS,
            4,
            "Решить 4 тренировочные задачи до 18 декабря",
        ),
    ],
)
def test_goals_read_as_sentences(language: str, kind: GoalKind, count: int, expected: str) -> None:
    with speaking(language):
        assert describe_goal(RetryGoal(kind, count, None, date(2026, 12, 18)), PROMPTS) == expected


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_goal_kind_renders_for_every_plural_form(language: str) -> None:
    with speaking(language):
        for kind in GoalKind:
            for count in (1, 2, 5, 11, 21, 22):
                if kind is GoalKind.CUSTOM:
                    goal = RetryGoal(kind, None, "Terminar el portafolio", date(2026, 12, 18))
                else:
                    goal = RetryGoal(kind, count, None, date(2026, 12, 18))
                text = describe_goal(goal, PROMPTS)
                assert text and "{" not in text
                assert not _ENGLISH_WORDS.search(text.replace("Terminar el portafolio", ""))


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_practice_actions_follow_the_language(language: str) -> None:
    gaps = [Gap(g) for g in load(ENGLISH)["actions"]]
    english = practice_actions(gaps, Stage.ONSITE, PROMPTS)
    with speaking(language):
        ours = practice_actions(gaps, Stage.ONSITE, PROMPTS)
    assert [[a.key for a in acts] for acts in ours.values()] == [
        [a.key for a in acts] for acts in english.values()
    ]
    assert all(
        a.text != b.text
        for acts, theirs in zip(ours.values(), english.values(), strict=True)
        for a, b in zip(acts, theirs, strict=True)
    )
