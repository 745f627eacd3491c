"""Pure weekly-slot math for group check-ins and digests: a weekday and an hour in a zone.

Like every due time in Comeback, a slot is a *local date* plus a *local hour* read through the
zone's rules (never "last time + 7 * 24 hours" in UTC), so a Monday 10:00 check-in stays at
10:00 across daylight-saving changes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from coaching.times import at_local_hour, local_date

DAYS_PER_WEEK = 7
DIGEST_DAYS_BEFORE_CHECKIN = 1
"""The digest closes the week: it goes out the day before the check-in, at the same hour."""


def _check(weekday: int, hour: int) -> None:
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday}")
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0-23, got {hour}")


def next_weekday_on_or_after(day: date, weekday: int) -> date:
    """The first date on or after `day` that falls on `weekday` (0 = Monday)."""
    return day + timedelta(days=(weekday - day.weekday()) % DAYS_PER_WEEK)


def weekly_slot(now: datetime, weekday: int, hour: int, tz: tzinfo) -> tuple[date, datetime]:
    """The first `weekday` at `hour`:00 local that is not before `now`: (local date, UTC)."""
    _check(weekday, hour)
    day = next_weekday_on_or_after(local_date(now, tz), weekday)
    due = at_local_hour(day, hour, tz)
    if due < now:
        day += timedelta(days=DAYS_PER_WEEK)
        due = at_local_hour(day, hour, tz)
    return day, due


def following_slot(
    previous: date, weekday: int, hour: int, tz: tzinfo, now: datetime
) -> tuple[date, datetime]:
    """The slot after the one that belonged to local date `previous`.

    Normally the same weekday a week later. After downtime longer than a week the missed weeks
    are skipped (one post, not a burst): the first slot not before `now`.
    """
    _check(weekday, hour)
    day = next_weekday_on_or_after(previous + timedelta(days=1), weekday)
    due = at_local_hour(day, hour, tz)
    if due < now:
        return weekly_slot(now, weekday, hour, tz)
    return day, due


def digest_weekday(checkin_weekday: int) -> int:
    """The weekday of a group's digest: the day before its check-in."""
    return (checkin_weekday - DIGEST_DAYS_BEFORE_CHECKIN) % DAYS_PER_WEEK


def week_before(moment: datetime) -> tuple[datetime, datetime]:
    """The seven days up to `moment`: what a digest sent at `moment` reports on."""
    return moment - timedelta(days=DAYS_PER_WEEK), moment
