"""Tests for coaching.times: local hours across DST, quiet hours, business days, plans."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.kinds import OVERDUE_REMINDER_DAYS, Kind, goal_checkin_days
from coaching.times import (
    QuietHours,
    add_business_days,
    at_local_hour,
    due_time,
    first_slot_after,
    outside_quiet,
    preferred_slot,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
ZONES = [BERLIN, NEW_YORK, SYDNEY, ZoneInfo("Asia/Kolkata"), ZoneInfo("UTC")]
DEFAULT_QUIET = QuietHours(22, 8)


def test_local_hour_keeps_the_wall_clock_across_the_us_dst_end() -> None:
    before = at_local_hour(date(2026, 10, 31), 18, NEW_YORK)
    after = at_local_hour(date(2026, 11, 1), 18, NEW_YORK)
    assert before == datetime(2026, 10, 31, 22, 0, tzinfo=UTC)  # EDT, UTC-4
    assert after == datetime(2026, 11, 1, 23, 0, tzinfo=UTC)  # EST, UTC-5
    assert after - before == timedelta(hours=25)


def test_local_hour_keeps_the_wall_clock_across_the_eu_dst_start() -> None:
    before = at_local_hour(date(2027, 3, 27), 18, BERLIN)
    after = at_local_hour(date(2027, 3, 28), 18, BERLIN)
    assert before == datetime(2027, 3, 27, 17, 0, tzinfo=UTC)
    assert after == datetime(2027, 3, 28, 16, 0, tzinfo=UTC)


def test_an_hour_skipped_by_spring_forward_lands_just_after_the_gap() -> None:
    moment = at_local_hour(date(2027, 3, 28), 2, BERLIN)
    assert moment.astimezone(BERLIN).time() == time(3, 0)


def test_an_hour_that_happens_twice_is_the_first() -> None:
    moment = at_local_hour(date(2026, 11, 1), 1, NEW_YORK)
    assert moment == datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 01:00 EDT


def test_quiet_hours_wrap_midnight() -> None:
    quiet = QuietHours(22, 8)
    assert quiet.contains(time(22, 0))
    assert quiet.contains(time(3, 30))
    assert quiet.contains(time(7, 59))
    assert not quiet.contains(time(8, 0))
    assert not quiet.contains(time(21, 59))


def test_quiet_hours_within_one_day_and_none() -> None:
    assert QuietHours(13, 15).contains(time(14, 0))
    assert not QuietHours(13, 15).contains(time(15, 0))
    assert not QuietHours(0, 0).contains(time(3, 0))
    with pytest.raises(ValueError):
        QuietHours(24, 8)


def test_late_evening_moves_to_the_next_morning() -> None:
    late = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert outside_quiet(late, BERLIN, DEFAULT_QUIET) == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)


def test_early_morning_moves_to_the_same_morning() -> None:
    early = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)  # 06:00 in Berlin
    assert outside_quiet(early, BERLIN, DEFAULT_QUIET) == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)


def test_preferred_hour_inside_quiet_hours_moves_to_their_end() -> None:
    slot = preferred_slot(date(2026, 12, 2), 23, BERLIN, DEFAULT_QUIET)
    assert slot.astimezone(BERLIN) == datetime(2026, 12, 3, 8, 0, tzinfo=BERLIN)


def test_first_slot_after_takes_tomorrow_when_today_has_passed() -> None:
    evening = datetime(2026, 12, 2, 19, 0, tzinfo=UTC)  # 20:00 Berlin, after 18:00
    slot = first_slot_after(evening, 18, BERLIN, DEFAULT_QUIET)
    assert slot.astimezone(BERLIN) == datetime(2026, 12, 3, 18, 0, tzinfo=BERLIN)


def test_due_time_respects_a_pause_and_the_past() -> None:
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    paused = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    due = due_time(date(2026, 12, 3), 18, BERLIN, DEFAULT_QUIET, now, paused)
    assert due.astimezone(BERLIN) == datetime(2026, 12, 5, 18, 0, tzinfo=BERLIN)
    late = datetime(2026, 12, 3, 21, 30, tzinfo=UTC)  # 22:30 Berlin: quiet
    due = due_time(date(2026, 12, 3), 18, BERLIN, DEFAULT_QUIET, late)
    assert due.astimezone(BERLIN) == datetime(2026, 12, 4, 8, 0, tzinfo=BERLIN)


def test_business_days_skip_the_weekend() -> None:
    friday = date(2026, 11, 27)
    assert add_business_days(friday, 5) == date(2026, 12, 4)
    assert add_business_days(date(2026, 11, 28), 5) == date(2026, 12, 4)  # from a Saturday
    assert add_business_days(date(2026, 11, 30), 3) == date(2026, 12, 3)
    assert add_business_days(friday, 0) == friday


def test_goal_plan_for_one_week_has_midpoint_and_deadline() -> None:
    plan = goal_checkin_days(date(2026, 11, 27), date(2026, 12, 4))
    assert plan == [
        (date(2026, 11, 30), Kind.GOAL_MID),
        (date(2026, 12, 4), Kind.GOAL_DEADLINE),
        (date(2026, 12, 7), Kind.GOAL_OVERDUE),
        (date(2026, 12, 14), Kind.GOAL_OVERDUE),
    ]


def test_goal_plan_for_a_month_adds_weekly_check_ins() -> None:
    plan = goal_checkin_days(date(2026, 11, 27), date(2026, 12, 27))
    assert plan == [
        (date(2026, 12, 4), Kind.GOAL_WEEKLY),
        (date(2026, 12, 12), Kind.GOAL_MID),
        (date(2026, 12, 18), Kind.GOAL_WEEKLY),
        (date(2026, 12, 27), Kind.GOAL_DEADLINE),
        (date(2026, 12, 30), Kind.GOAL_OVERDUE),
        (date(2027, 1, 6), Kind.GOAL_OVERDUE),
    ]


def test_goal_plan_for_tomorrow_is_just_the_deadline() -> None:
    plan = goal_checkin_days(date(2026, 11, 27), date(2026, 11, 28))
    assert plan == [
        (date(2026, 11, 28), Kind.GOAL_DEADLINE),
        (date(2026, 12, 1), Kind.GOAL_OVERDUE),
        (date(2026, 12, 8), Kind.GOAL_OVERDUE),
    ]
    assert goal_checkin_days(date(2026, 11, 27), date(2026, 11, 27)) == []


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
hours = st.integers(min_value=0, max_value=23)
zones = st.sampled_from(ZONES)
quiets = st.builds(QuietHours, hours, hours)


@given(days, hours, zones)
def test_property_local_hour_is_that_hour_or_just_after_a_gap(
    day: date, hour: int, tz: ZoneInfo
) -> None:
    local = at_local_hour(day, hour, tz).astimezone(tz)
    assert local.date() == day
    assert local.minute == 0
    assert local.hour == hour or (local.hour - hour) % 24 == 1


@given(days, hours, zones)
def test_property_consecutive_days_stay_at_the_same_local_hour(
    day: date, hour: int, tz: ZoneInfo
) -> None:
    first = at_local_hour(day, hour, tz).astimezone(tz)
    second = at_local_hour(day + timedelta(days=1), hour, tz).astimezone(tz)
    if first.hour == hour and second.hour == hour:
        assert (second.date() - first.date()).days == 1
        assert (second - first) in {timedelta(hours=h) for h in (23, 24, 25)}


@given(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)), zones, quiets
)
def test_property_outside_quiet_is_never_quiet_and_never_earlier(
    naive: datetime, tz: ZoneInfo, quiet: QuietHours
) -> None:
    moment = naive.replace(tzinfo=UTC)
    moved = outside_quiet(moment, tz, quiet)
    assert moved >= moment
    assert not quiet.contains(moved.astimezone(tz).time())
    assert moved - moment <= timedelta(hours=25)
    if not quiet.contains(moment.astimezone(tz).time()):
        assert moved == moment


@given(days, hours, zones, quiets, st.integers(min_value=-3, max_value=3))
def test_property_due_time_is_allowed_and_not_in_the_past(
    day: date, hour: int, tz: ZoneInfo, quiet: QuietHours, offset: int
) -> None:
    now = at_local_hour(day + timedelta(days=offset), 12, tz)
    due = due_time(day, hour, tz, quiet, now)
    assert due >= now
    assert not quiet.contains(due.astimezone(tz).time())


@given(days, st.integers(min_value=0, max_value=40))
def test_property_business_days_land_on_a_weekday(day: date, count: int) -> None:
    result = add_business_days(day, count)
    if count:
        assert result.weekday() < 5
    weekdays = sum(
        1 for n in range(1, (result - day).days + 1) if (day + timedelta(days=n)).weekday() < 5
    )
    assert weekdays == count


@given(days, st.integers(min_value=1, max_value=365))
def test_property_goal_plan_is_ordered_and_ends_on_the_deadline(start: date, span: int) -> None:
    deadline = start + timedelta(days=span)
    plan = goal_checkin_days(start, deadline)
    dates = [d for d, _ in plan]
    assert dates == sorted(set(dates))
    reminders = [(deadline + timedelta(days=n), Kind.GOAL_OVERDUE) for n in OVERDUE_REMINDER_DAYS]
    assert plan[-len(reminders) - 1 :] == [(deadline, Kind.GOAL_DEADLINE), *reminders]
    plan = plan[: -len(reminders)]
    dates = [d for d, _ in plan]
    assert all(start < d <= deadline for d in dates)
    kinds = [k for _, k in plan]
    assert kinds.count(Kind.GOAL_MID) == (1 if span >= 2 else 0)
    if span <= 14:
        assert Kind.GOAL_WEEKLY not in kinds
    checkpoints = [start, *dates]
    assert all((b - a).days <= 7 + 2 * 2 for a, b in itertools.pairwise(checkpoints))
