"""The weekly slot math of group check-ins and digests (pure, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.weekly import (
    digest_weekday,
    following_slot,
    next_weekday_on_or_after,
    week_before,
    weekly_slot,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def at(day: date, hour: int, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=tz)


def test_the_first_slot_is_later_today_or_the_next_such_weekday() -> None:
    friday_nine = at(date(2026, 11, 27), 9, BERLIN)
    assert weekly_slot(friday_nine, 4, 10, BERLIN) == (
        date(2026, 11, 27),
        at(date(2026, 11, 27), 10, BERLIN).astimezone(UTC),
    )
    assert weekly_slot(friday_nine, 4, 8, BERLIN)[0] == date(2026, 12, 4)  # 08:00 has passed
    assert weekly_slot(friday_nine, 0, 10, BERLIN)[0] == date(2026, 11, 30)  # next Monday
    exact = at(date(2026, 11, 27), 10, BERLIN)
    assert weekly_slot(exact, 4, 10, BERLIN)[0] == date(2026, 11, 27)  # due now counts


def test_a_week_later_keeps_the_local_hour_across_dst() -> None:
    # Monday 10:00 in Berlin: CET (UTC+1) before 29 March 2027, CEST (UTC+2) after.
    day, due = following_slot(date(2027, 3, 22), 0, 10, BERLIN, at(date(2027, 3, 22), 10, BERLIN))
    assert day == date(2027, 3, 29)
    assert due == datetime(2027, 3, 29, 8, tzinfo=UTC)
    before = weekly_slot(at(date(2027, 3, 22), 9, BERLIN), 0, 10, BERLIN)[1]
    assert before == datetime(2027, 3, 22, 9, tzinfo=UTC)
    assert due - before == timedelta(days=7, hours=-1)


def test_downtime_skips_the_missed_weeks() -> None:
    now = at(date(2026, 12, 23), 12, NEW_YORK)  # three weeks after the last post (30 Nov)
    day, due = following_slot(date(2026, 11, 30), 0, 10, NEW_YORK, now)
    assert day == date(2026, 12, 28) and due > now


def test_a_changed_weekday_takes_effect_from_the_next_such_day() -> None:
    sent_monday = date(2026, 11, 30)
    now = at(sent_monday, 10, BERLIN)
    assert following_slot(sent_monday, 2, 10, BERLIN, now)[0] == date(2026, 12, 2)  # Wednesday


def test_the_digest_closes_the_week_the_day_before_the_check_in() -> None:
    assert digest_weekday(0) == 6 and digest_weekday(3) == 2
    until = datetime(2026, 11, 29, 9, tzinfo=UTC)
    assert week_before(until) == (until - timedelta(days=7), until)


def test_refuses_impossible_slots() -> None:
    with pytest.raises(ValueError):
        weekly_slot(datetime(2026, 1, 1, tzinfo=UTC), 7, 10, BERLIN)
    with pytest.raises(ValueError):
        weekly_slot(datetime(2026, 1, 1, tzinfo=UTC), 1, 24, BERLIN)


@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    zone=st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]),
)
def test_slots_fall_on_the_weekday_at_the_hour_within_a_week(
    start: datetime, weekday: int, hour: int, zone: str
) -> None:
    tz = ZoneInfo(zone)
    now = start.replace(tzinfo=UTC)
    day, due = weekly_slot(now, weekday, hour, tz)
    assert day.weekday() == weekday
    assert now <= due < now + timedelta(days=7, hours=2)
    assert next_weekday_on_or_after(day, weekday) == day
    following, later = following_slot(day, weekday, hour, tz, due)
    assert following == day + timedelta(days=7) and later > due
