"""A day said inside a sentence ("I'll get to it next week"), for typed check-in answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.deadlines import MAX_DAYS_AHEAD, date_in

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
