"""A day said inside a sentence ("I'll get to it next week"), for typed check-in answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.deadlines import MAX_DAYS_AHEAD, date_in
from coaching.language import speaking

NOW = datetime(2026, 11, 30, 17, tzinfo=UTC)  # Monday evening in Berlin
BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 30)

LABELLED = [
    ("I'll get to it next week", date(2026, 12, 7)),
    ("they said Friday", date(2026, 12, 4)),
    ("give me 3 days", date(2026, 12, 3)),
    ("not yet, maybe by 10 Dec?", date(2026, 12, 10)),
    ("tomorrow!", date(2026, 12, 1)),
    ("in two weeks", date(2026, 12, 14)),
    ("next week sounds better", date(2026, 12, 7)),
    ("need more time, say by 15 Dec", date(2026, 12, 15)),
    ("end of next month probably", date(2026, 12, 31)),
    ("done 3 days ago", None),
    ("last week I did 1", None),
    ("I applied to 4 so far", None),
    ("I did 2 today", None),
    ("banana", None),
    ("", None),
    ("4", None),
]


@pytest.mark.parametrize(("text", "expected"), LABELLED)
def test_a_day_in_a_sentence(text: str, expected: date | None) -> None:
    assert date_in(text, NOW, BERLIN) == expected


@given(st.text(max_size=400))
def test_never_raises_and_only_finds_days_ahead(text: str) -> None:
    found = date_in(text, NOW, BERLIN)
    assert found is None or TODAY < found <= TODAY + timedelta(days=MAX_DAYS_AHEAD)


LABELLED_ES = [
    ("lo hago la semana que viene", date(2026, 12, 7)),
    ("me dijeron que el viernes", date(2026, 12, 4)),
    ("dame 3 días", date(2026, 12, 3)),
    ("todavía no, ¿quizás para el 10 de diciembre?", date(2026, 12, 10)),
    ("¡mañana!", date(2026, 12, 1)),
    ("en dos semanas", date(2026, 12, 14)),
    ("pasado mañana sin falta", date(2026, 12, 2)),
    ("creo que a fin del mes que viene", date(2026, 12, 31)),
    ("hice 3 hace 3 días", None),
    ("la semana pasada hice 1", None),
    ("llevo 4 postulaciones", None),
    ("hoy hice 2", None),
    ("plátano", None),
]
LABELLED_RU = [
    ("займусь на следующей неделе", date(2026, 12, 7)),
    ("сказали, что в пятницу", date(2026, 12, 4)),
    ("дай мне 3 дня", date(2026, 12, 3)),
    ("пока нет, может к 10 декабря?", date(2026, 12, 10)),
    ("завтра!", date(2026, 12, 1)),
    ("через две недели", date(2026, 12, 14)),
    ("думаю, к концу следующего месяца", date(2026, 12, 31)),
    ("сделал 3 дня назад", None),
    ("на прошлой неделе сделал 1", None),
    ("откликнулся на 4 вакансии", None),
    ("сегодня сделал 2", None),
    ("у меня 5 собеседований", None),
    ("банан", None),
]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("es", *case) for case in LABELLED_ES] + [("ru", *case) for case in LABELLED_RU],
)
def test_a_day_in_a_spanish_or_russian_sentence(
    language: str, text: str, expected: date | None
) -> None:
    assert date_in(text, NOW, BERLIN, language=language) == expected


def test_the_current_language_reads_the_sentence() -> None:
    with speaking("ru"):
        assert date_in("в пятницу", NOW, BERLIN) == date(2026, 12, 4)
        assert date_in("next friday", NOW, BERLIN) == date(2026, 12, 4)  # English is read too
    assert date_in("в пятницу", NOW, BERLIN) is None


@settings(deadline=None)  # the first call builds the language's tables
@given(st.text(max_size=400), st.sampled_from(["es", "ru"]))
def test_never_raises_in_any_language(text: str, language: str) -> None:
    found = date_in(text, NOW, BERLIN, language=language)
    assert found is None or TODAY < found <= TODAY + timedelta(days=MAX_DAYS_AHEAD)
