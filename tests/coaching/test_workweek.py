"""Business days in the person's own week: the weekend of their time zone's country (CLDR through
Babel), the business-day count, the follow-up rules that use it, and the catch-up's spacing."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.kinds import Facts, Kind, days_due
from coaching.times import (
    SAT_SUN,
    QuietHours,
    add_business_days,
    spaced_slots,
    territory_of_zone,
    weekend_of_territory,
    weekend_of_zone,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.mark.parametrize(
    ("zone", "weekend"),
    [
        ("Asia/Jerusalem", {FRI, SAT}),
        ("Asia/Tel_Aviv", {FRI, SAT}),  # an old name, read as Asia/Jerusalem
        ("Asia/Riyadh", {FRI, SAT}),  # CLDR: Saudi Arabia
        ("Asia/Dubai", {SAT, SUN}),  # CLDR: the UAE moved to Saturday-Sunday in 2022
        ("Asia/Tehran", {FRI}),
        ("Asia/Kolkata", {SUN}),
        ("Europe/Berlin", {SAT, SUN}),
        ("Europe/London", {SAT, SUN}),
        ("America/New_York", {SAT, SUN}),
        ("US/Eastern", {SAT, SUN}),
        ("America/Sao_Paulo", {SAT, SUN}),
        ("UTC", {SAT, SUN}),  # no country: Saturday-Sunday
        ("Etc/UTC", {SAT, SUN}),
        ("Mars/Olympus", {SAT, SUN}),
        (None, {SAT, SUN}),
    ],
)
def test_a_zone_has_its_countrys_weekend(zone: str | None, weekend: set[int]) -> None:
    assert weekend_of_zone(zone) == frozenset(weekend)


def test_zones_map_to_their_countries() -> None:
    assert territory_of_zone("Asia/Jerusalem") == "IL"
    assert territory_of_zone("Asia/Dubai") == "AE"
    assert territory_of_zone("Europe/Berlin") == "DE"
    assert territory_of_zone("Etc/UTC") is None
    assert territory_of_zone("Nowhere/Special") is None
    assert weekend_of_territory("XQ") == SAT_SUN  # not a country CLDR knows


def test_every_zone_has_a_weekend_with_business_days() -> None:
    for name in available_timezones():
        weekend = weekend_of_zone(name)
        assert 1 <= len(weekend) <= 2, name
        assert weekend <= set(range(7)), name


def test_five_business_days_in_jerusalem_skip_friday_and_saturday() -> None:
    jerusalem = weekend_of_zone("Asia/Jerusalem")
    # Wednesday: Thu, Sun, Mon, Tue, Wed (in a Saturday-Sunday week also the next Wednesday).
    assert add_business_days(date(2026, 12, 2), 5, jerusalem) == date(2026, 12, 9)
    # Friday is their weekend: Sun, Mon, Tue, Wed, Thu.
    assert add_business_days(date(2026, 12, 4), 5, jerusalem) == date(2026, 12, 10)
    assert add_business_days(date(2026, 12, 4), 5) == date(2026, 12, 11)  # Mon-Fri week
    # Thursday + 1: Sunday in Jerusalem, Friday in Berlin.
    assert add_business_days(date(2026, 12, 3), 1, jerusalem) == date(2026, 12, 6)
    assert add_business_days(date(2026, 12, 3), 1, weekend_of_zone("Europe/Berlin")) == date(
        2026, 12, 4
    )


def test_a_week_without_business_days_is_refused() -> None:
    with pytest.raises(ValueError):
        add_business_days(date(2026, 12, 2), 1, frozenset(range(7)))
    with pytest.raises(ValueError):
        add_business_days(date(2026, 12, 2), -1)


weekends = st.sampled_from(
    [
        SAT_SUN,
        frozenset({FRI, SAT}),
        frozenset({THU, FRI}),
        frozenset({FRI}),
        frozenset({SUN}),
    ]
)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=1, max_value=40),
    weekends,
)
def test_the_result_is_a_business_day_exactly_n_business_days_later(
    start: date, count: int, weekend: frozenset[int]
) -> None:
    result = add_business_days(start, count, weekend)
    assert result.weekday() not in weekend
    between = [start + timedelta(days=n) for n in range(1, (result - start).days + 1)]
    assert sum(1 for day in between if day.weekday() not in weekend) == count
    # and no sooner: the day before holds one business day fewer
    assert sum(1 for day in between[:-1] if day.weekday() not in weekend) == count - 1


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), weekends)
def test_zero_business_days_is_the_same_day(start: date, weekend: frozenset[int]) -> None:
    assert add_business_days(start, 0, weekend) == start


def test_the_feedback_follow_ups_count_the_persons_business_days() -> None:
    jerusalem = weekend_of_zone("Asia/Jerusalem")
    friday = date(2026, 12, 4)
    facts = Facts(today=friday, feedback_sent_on=friday, weekend=jerusalem)
    assert days_due(Kind.FEEDBACK, facts) == [date(2026, 12, 10)]  # Thursday
    assert days_due(Kind.FEEDBACK, Facts(today=friday, feedback_sent_on=friday)) == [
        date(2026, 12, 11)  # the default week: next Friday
    ]
    # "Not yet" on a Wednesday: three business days, Thu, Sun, Mon.
    wednesday = date(2026, 12, 2)
    assert days_due(Kind.FEEDBACK_AGAIN, Facts(today=wednesday, weekend=jerusalem)) == [
        date(2026, 12, 7)
    ]
    assert days_due(Kind.FEEDBACK_AGAIN, Facts(today=date(2026, 12, 3), weekend=jerusalem)) == [
        date(2026, 12, 8)  # Thursday: Sun, Mon, Tue (in Berlin: Fri, Mon, Tue too)
    ]


BERLIN = ZoneInfo("Europe/Berlin")


def test_a_backlog_is_spaced_an_hour_apart_out_of_quiet_hours() -> None:
    quiet = QuietHours(22, 8)
    morning = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert [
        s.astimezone(BERLIN).hour
        for s in spaced_slots(morning, 3, timedelta(hours=1), BERLIN, quiet)
    ] == [9, 10, 11]
    evening = datetime(2026, 12, 5, 19, 30, tzinfo=UTC)  # 20:30 in Berlin
    slots = spaced_slots(evening, 3, timedelta(hours=1), BERLIN, quiet)
    shown = [(s.astimezone(BERLIN).day, s.astimezone(BERLIN).strftime("%H:%M")) for s in slots]
    # 20:30 and 21:30 fit the evening; the third waits for the end of the quiet hours.
    assert shown == [(5, "20:30"), (5, "21:30"), (6, "08:00")]
    night = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)  # midnight in Berlin: all in the morning
    slots = spaced_slots(night, 2, timedelta(hours=1), BERLIN, quiet)
    assert [s.astimezone(BERLIN).strftime("%d %H:%M") for s in slots] == ["06 08:00", "06 09:00"]


@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1)),
    st.integers(min_value=1, max_value=8),
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=23),
)
def test_spaced_slots_are_never_in_quiet_hours_and_at_least_the_gap_apart(
    start: datetime, count: int, quiet_start: int, quiet_end: int
) -> None:
    quiet = QuietHours(quiet_start, quiet_end)
    gap = timedelta(hours=1)
    slots = spaced_slots(start.replace(tzinfo=UTC), count, gap, BERLIN, quiet)
    assert len(slots) == count
    for slot in slots:
        local = slot.astimezone(BERLIN)
        # a local hour skipped by the spring-forward change lands just after the gap
        assert not quiet.contains(local.time()) or local.hour == quiet.end + 1
    for earlier, later in itertools.pairwise(slots):
        assert later - earlier >= gap
