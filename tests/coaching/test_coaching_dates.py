"""Tests for coaching.dates: dates in each language from CLDR."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coaching.dates import axis_day, long_day, short_day
from coaching.goals import RetryGoal, describe_goal, format_deadline
from coaching.language import speaking
from coaching.model import GoalKind

DAY = date(2026, 12, 18)  # a Friday
NEXT_YEAR = date(2027, 1, 4)  # a Monday
TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("language", "long", "short", "axis"),
    [
        ("en", "Friday 18 December", "Fri 18 Dec", "18 Dec"),
        ("es", "viernes 18 de diciembre", "vie 18 dic", "18 dic"),
        ("ru", "пятница, 18 декабря", "пт, 18 дек.", "18 дек."),
    ],
)
def test_each_language_has_its_own_names_and_order(
    language: str, long: str, short: str, axis: str
) -> None:
    assert long_day(DAY, language=language) == long
    assert short_day(DAY, language=language) == short
    assert axis_day(DAY, language=language) == axis


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("en", "Monday 4 January 2027", "Mon 4 Jan 2027"),
        ("es", "lunes 4 de enero de 2027", "lun 4 ene 2027"),
        ("ru", "понедельник, 4 января 2027 г.", "пн, 4 янв. 2027 г."),
    ],
)
def test_the_year_is_said_only_when_it_is_not_this_one(
    language: str, long: str, short: str
) -> None:
    assert long_day(NEXT_YEAR, language=language, today=TODAY) == long
    assert short_day(NEXT_YEAR, language=language, today=TODAY) == short
    assert "2026" not in long_day(DAY, language=language, today=TODAY)
    assert "2027" not in long_day(NEXT_YEAR, language=language)


def test_russian_months_are_in_the_genitive_in_every_month() -> None:
    said = [long_day(date(2026, month, 1), language="ru") for month in range(1, 13)]
    assert [s.split()[-1] for s in said] == [
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ]  # fmt: skip


def test_the_current_language_is_the_default() -> None:
    with speaking("es"):
        assert long_day(DAY) == "viernes 18 de diciembre"
        assert format_deadline(DAY) == "viernes 18 de diciembre"
    with speaking("ru"):
        assert axis_day(DAY) == "18 дек."
    assert short_day(DAY) == "Fri 18 Dec"


class _Prompts:
    def __init__(self, directory: Path) -> None:
        self.directory = directory


def test_translated_goal_texts_get_the_date_and_plural_in_their_language(tmp_path: Path) -> None:
    (tmp_path / "actions.toml").write_text(
        '[goal]\napply = "Apply to {{ target }} roles by {{ deadline }}"\n', encoding="utf-8"
    )
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "actions.toml").write_text(
        "[goal]\n"
        "apply = \"Откликнуться на {{ target }} {{ plural(target, one='вакансию', "
        "few='вакансии', many='вакансий') }} до {{ deadline_day }}\"\n",
        encoding="utf-8",
    )
    prompts = _Prompts(tmp_path)
    with speaking("ru"):
        five = describe_goal(RetryGoal(GoalKind.APPLY, 5, None, DAY), prompts)
        two = describe_goal(RetryGoal(GoalKind.APPLY, 2, None, DAY), prompts)
    assert five == "Откликнуться на 5 вакансий до 18 декабря"
    assert two.startswith("Откликнуться на 2 вакансии")
