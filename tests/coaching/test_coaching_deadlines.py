"""Tests for coaching.deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.dates import long_day, short_day
from coaching.deadlines import (
    COMMON_ZONES,
    MAX_DAYS_AHEAD,
    DeadlineError,
    TimezoneError,
    parse_deadline,
    parse_timezone,
    zone,
)
from coaching.language import speaking

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 5, 13, 10, 0, tzinfo=UTC)  # a Wednesday
TODAY = date(2026, 5, 13)


def parse(text: str, now: datetime = NOW) -> date:
    return parse_deadline(text, now, BERLIN)


def reason(text: str, now: datetime = NOW) -> str:
    with pytest.raises(DeadlineError) as info:
        parse(text, now)
    return info.value.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 week", date(2026, 5, 20)),
        ("2 weeks", date(2026, 5, 27)),
        ("2weeks", date(2026, 5, 27)),
        ("a fortnight", date(2026, 5, 27)),
        ("1 month", date(2026, 6, 13)),
        ("in 10 days", date(2026, 5, 23)),
        ("3 days", date(2026, 5, 16)),
        ("in three days", date(2026, 5, 16)),
        ("a week from now", date(2026, 5, 20)),
        ("tomorrow", date(2026, 5, 14)),
        ("Tomorrow!", date(2026, 5, 14)),
        ("day after tomorrow", date(2026, 5, 15)),
        ("next week", date(2026, 5, 20)),
        ("friday", date(2026, 5, 15)),
        ("Fri", date(2026, 5, 15)),
        ("by Friday", date(2026, 5, 15)),
        ("next Friday", date(2026, 5, 15)),
        ("this friday", date(2026, 5, 15)),
        ("wednesday", date(2026, 5, 20)),  # today is Wednesday: the next one
        ("monday", date(2026, 5, 18)),
        ("end of month", date(2026, 5, 31)),
        ("end of the month", date(2026, 5, 31)),
        ("end of next month", date(2026, 6, 30)),
        ("2026-12-15", date(2026, 12, 15)),
        ("15 Dec", date(2026, 12, 15)),
        ("Dec 15", date(2026, 12, 15)),
        ("15th of December", date(2026, 12, 15)),
        ("15 December 2026", date(2026, 12, 15)),
        ("December 15th, 2026", date(2026, 12, 15)),
        ("15.12.2026", date(2026, 12, 15)),
        ("15/12/2026", date(2026, 12, 15)),
        ("15-12-26", date(2026, 12, 15)),
        ("15/12", date(2026, 12, 15)),
        ("1/6", date(2026, 6, 1)),  # day-first: 1 June
        ("3 Jan", date(2027, 1, 3)),  # long past this year: next year's
        ("  on   1   June  ", date(2026, 6, 1)),
        ("in 2 weeks' time", date(2026, 5, 27)),
        ("Friday 15 May", date(2026, 5, 15)),
        ("fri, 15.05.2026", date(2026, 5, 15)),
        ("2027-05-13", TODAY + timedelta(days=MAX_DAYS_AHEAD)),
    ],
)
def test_accepts(text: str, expected: date) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "a", "soon", "31 February", "2026-02-30", "31/04/2026", "12/31/2026", "13/13/2026",
     "friday week", "fridays", "Monday 15 May", "in -3 days", "1.5 weeks", "next year",
     "15 Smarch", "0000-01-01", "x" * 500],
)  # fmt: skip
def test_unreadable(text: str) -> None:
    assert reason(text) == "unreadable"


@pytest.mark.parametrize(
    "text", ["today", "0 days", "2026-05-13", "2026-05-01", "10 May", "13 May", "1.1.2020"]
)
def test_past(text: str) -> None:
    assert reason(text) == "past"


@pytest.mark.parametrize(
    "text", ["2027-05-14", "in 400 days", "60 weeks", "13 months", "1.1.2099", "in 999999999 days"]
)
def test_too_far(text: str) -> None:
    assert reason(text) == "too_far"


def test_leap_day() -> None:
    assert reason("29 Feb") == "too_far"  # next one is 2028
    assert parse("29 Feb", datetime(2027, 3, 10, tzinfo=UTC)) == date(2028, 2, 29)
    assert reason("29.02.2027") == "unreadable"


def test_today_is_local_to_the_users_zone() -> None:
    late = datetime(2026, 5, 13, 23, 30, tzinfo=UTC)  # already Thursday in Berlin
    assert parse_deadline("tomorrow", late, BERLIN) == date(2026, 5, 15)
    assert parse_deadline("tomorrow", late, ZoneInfo("America/Los_Angeles")) == date(2026, 5, 14)
    assert parse_deadline("thursday", late, BERLIN) == date(2026, 5, 21)


def test_next_weekday_on_that_weekday_is_a_week_ahead() -> None:
    friday = datetime(2026, 5, 15, 9, tzinfo=UTC)
    assert parse("next friday", friday) == date(2026, 5, 22)
    assert parse("friday", friday) == date(2026, 5, 22)


def test_end_of_month_on_its_last_day_is_past() -> None:
    assert reason("end of month", datetime(2026, 5, 31, 9, tzinfo=UTC)) == "past"


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError) as info:
        parse_deadline("tomorrow", datetime(2026, 5, 13), BERLIN)
    assert not isinstance(info.value, DeadlineError)


_NOWS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
_ZONES = st.sampled_from([*COMMON_ZONES, "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
_PHRASES = st.sampled_from(
    ["tomorrow", "friday", "next monday", "end of month", "3 Jan", "15 Dec", "2 weeks", "1 month",
     "29 feb", "31 dec", "1/1", "in 365 days", "12 months"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=40), _PHRASES), now=_NOWS, zone_name=_ZONES)
def test_parse_deadline_properties(text: str, now: datetime, zone_name: str) -> None:
    tz = zone(zone_name)
    today = now.astimezone(tz).date()
    try:
        result = parse_deadline(text, now, tz)
    except DeadlineError as exc:
        assert exc.reason in {"unreadable", "past", "too_far"}
    else:
        assert today < result <= today + timedelta(days=MAX_DAYS_AHEAD)


@given(days=st.integers(1, MAX_DAYS_AHEAD), now=_NOWS)
def test_in_n_days(days: int, now: datetime) -> None:
    assert parse_deadline(f"in {days} days", now, UTC) == now.date() + timedelta(days=days)


@given(offset=st.integers(1, MAX_DAYS_AHEAD), now=_NOWS)
def test_absolute_formats_round_trip(offset: int, now: datetime) -> None:
    target = now.date() + timedelta(days=offset)
    for text in (target.isoformat(), target.strftime("%d.%m.%Y"), target.strftime("%d/%m/%Y"),
                 f"{target.day} {target.strftime('%B')} {target.year}"):  # fmt: skip
        assert parse_deadline(text, now, UTC) == target


# --- deadlines in Spanish and Russian (the labelled sets: test_deadlines_eval.py) ----------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "el próximo viernes", date(2026, 5, 15)),
        ("es", "en dos semanas", date(2026, 5, 27)),
        ("es", "dentro de un mes", date(2026, 6, 13)),
        ("es", "fin de mes", date(2026, 5, 31)),
        ("es", "para el 18", date(2026, 5, 18)),
        ("es", "el 10", date(2026, 6, 10)),
        ("es", "18 de mayo", date(2026, 5, 18)),
        ("ru", "через две недели", date(2026, 5, 27)),
        ("ru", "до пятницы", date(2026, 5, 15)),
        ("ru", "к концу месяца", date(2026, 5, 31)),
        ("ru", "18 мая", date(2026, 5, 18)),
        ("ru", "к 10-му", date(2026, 6, 10)),
        ("en", "in twenty one days", date(2026, 6, 3)),
        ("en", "in three weeks", date(2026, 6, 3)),
    ],
)
def test_each_language_reads_its_own_words(language: str, text: str, expected: date) -> None:
    assert parse_deadline(text, NOW, BERLIN, language=language) == expected


@pytest.mark.parametrize(
    ("language", "text", "why"),
    [
        ("es", "hoy", "past"),
        ("es", "el 13", "past"),
        ("es", "en 400 días", "too_far"),
        ("es", "31 de febrero", "unreadable"),
        ("es", "cuando pueda", "unreadable"),
        ("ru", "сегодня", "past"),
        ("ru", "через 400 дней", "too_far"),
        ("ru", "31 февраля", "unreadable"),
        ("ru", "когда-нибудь", "unreadable"),
    ],
)
def test_refusal_reasons_are_the_same_in_every_language(language: str, text: str, why: str) -> None:
    with pytest.raises(DeadlineError) as info:
        parse_deadline(text, NOW, BERLIN, language=language)
    assert info.value.reason == why


def test_the_current_language_is_the_default() -> None:
    with speaking("es"):
        assert parse("mañana") == date(2026, 5, 14)
    with speaking("ru"):
        assert parse("завтра") == date(2026, 5, 14)
    assert reason("mañana") == "unreadable"


@settings(max_examples=200, deadline=None)
@given(
    offset=st.integers(1, MAX_DAYS_AHEAD - 1),
    now=_NOWS,
    language=st.sampled_from(["en", "es", "ru"]),
)
def test_our_own_dates_read_back(offset: int, now: datetime, language: str) -> None:
    """As the bot writes them, with the year when it is not this one."""
    target = now.date() + timedelta(days=offset)
    for said in (
        long_day(target, language, today=now.date()),
        short_day(target, language, today=now.date()),
    ):
        assert parse_deadline(said, now, UTC, language=language) == target, said


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40), now=_NOWS, language=st.sampled_from(["es", "ru"]))
def test_parse_deadline_only_raises_deadline_errors(
    text: str, now: datetime, language: str
) -> None:
    try:
        result = parse_deadline(text, now, UTC, language=language)
    except DeadlineError as exc:
        assert exc.reason in {"unreadable", "past", "too_far"}
    else:
        assert now.date() < result <= now.date() + timedelta(days=MAX_DAYS_AHEAD)


# --- time zones --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  AMERICA/NEW_YORK ", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Port-au-Prince", "America/Port-au-Prince"),
        ("Kolkata", "Asia/Kolkata"),
        ("San Francisco", "America/Los_Angeles"),
        ("Bangalore", "Asia/Kolkata"),
        ("mumbai", "Asia/Kolkata"),
        ("Delhi", "Asia/Kolkata"),
        ("Beijing", "Asia/Shanghai"),
        ("Washington", "America/New_York"),
        ("Munich", "Europe/Berlin"),
        ("singapore", "Asia/Singapore"),
        ("Japan", "Asia/Tokyo"),
        ("Cuba", "Cuba"),
        ("EST", "America/New_York"),
        ("UTC+2", "UTC+02:00"),
        ("GMT-3", "UTC-03:00"),
        ("utc −3", "UTC-03:00"),
        ("+05:30", "UTC+05:30"),
        ("+0530", "UTC+05:30"),
        ("UTC+5:45", "UTC+05:45"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("UTC+0", "UTC"),
        ("utc+14", "UTC+14:00"),
    ],
)
def test_parse_timezone(text: str, name: str) -> None:
    assert parse_timezone(text) == name


@pytest.mark.parametrize(
    "text",
    ["", "  ", "foo", "Mars/Olympus", "UTC+15", "+25", "UTC+5:75", "localtime", "../etc/passwd"],
)
def test_parse_timezone_rejects(text: str) -> None:
    with pytest.raises(TimezoneError):
        parse_timezone(text)


def test_zone() -> None:
    assert zone("UTC") is UTC
    assert zone("UTC+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
    assert zone("UTC-03:00").utcoffset(None) == timedelta(hours=-3)
    berlin = zone("Europe/Berlin")
    assert datetime(2026, 7, 1, tzinfo=berlin).utcoffset() == timedelta(hours=2)
    for bad in ("Nowhere/Nope", "", "UTC+99:00"):
        with pytest.raises(TimezoneError):
            zone(bad)


def test_common_zones() -> None:
    assert 6 <= len(COMMON_ZONES) <= 10
    assert len(set(COMMON_ZONES)) == len(COMMON_ZONES)
    for name in COMMON_ZONES:
        assert parse_timezone(name) == name
        assert isinstance(zone(name), ZoneInfo)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_timezone_only_raises_timezone_error(text: str) -> None:
    try:
        name = parse_timezone(text)
    except TimezoneError:
        return
    assert zone(name).utcoffset(datetime(2026, 1, 1)) is not None


@given(hours=st.integers(-14, 14), minutes=st.sampled_from([0, 15, 30, 45]))
def test_offsets_round_trip(hours: int, minutes: int) -> None:
    if abs(hours) == 14 and minutes:
        return
    sign = "-" if hours < 0 else "+"
    offset = timedelta(hours=abs(hours), minutes=minutes)
    name = parse_timezone(f"UTC{sign}{abs(hours)}:{minutes:02d}")
    expected = timezone(-offset if sign == "-" else offset)
    assert zone(name).utcoffset(None) == expected.utcoffset(None)


# --- time zones named in Spanish and Russian ------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("es", "Ciudad de México", "America/Mexico_City"),
        ("es", "ciudad de mexico", "America/Mexico_City"),
        ("es", "CDMX", "America/Mexico_City"),
        ("es", "Madrid", "Europe/Madrid"),
        ("es", "Barcelona", "Europe/Madrid"),
        ("es", "Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("es", "Bogotá", "America/Bogota"),
        ("es", "Medellín", "America/Bogota"),
        ("es", "Nueva York", "America/New_York"),
        ("es", "Londres", "Europe/London"),
        ("es", "Moscú", "Europe/Moscow"),
        ("es", "Lima", "America/Lima"),
        ("es", "España", "Europe/Madrid"),
        ("es", "Colombia", "America/Bogota"),
        ("es", "México", "America/Mexico_City"),
        ("es", "Perú", "America/Lima"),
        ("ru", "Москва", "Europe/Moscow"),
        ("ru", "москва", "Europe/Moscow"),
        ("ru", "МСК", "Europe/Moscow"),
        ("ru", "мск+2", "UTC+05:00"),
        ("ru", "МСК-1", "UTC+02:00"),
        ("ru", "Санкт-Петербург", "Europe/Moscow"),
        ("ru", "Питер", "Europe/Moscow"),
        ("ru", "г. Казань", "Europe/Moscow"),
        ("ru", "Алматы", "Asia/Almaty"),
        ("ru", "Астана", "Asia/Almaty"),
        ("ru", "Минск", "Europe/Minsk"),
        ("ru", "Киев", "Europe/Kyiv"),
        ("ru", "Екатеринбург", "Asia/Yekaterinburg"),
        ("ru", "Новосибирск", "Asia/Novosibirsk"),
        ("ru", "Ташкент", "Asia/Tashkent"),
        ("ru", "Ереван", "Asia/Yerevan"),
        ("ru", "Берлин", "Europe/Berlin"),
        ("ru", "Нью-Йорк", "America/New_York"),
        ("ru", "Россия", "Europe/Moscow"),
        ("ru", "Казахстан", "Asia/Almaty"),
        ("ru", "Беларусь", "Europe/Minsk"),
        ("ru", "Грузия", "Asia/Tbilisi"),
        ("en", "Москва", "Europe/Moscow"),  # a place is read in any language
        ("ru", "Berlin", "Europe/Berlin"),
        ("ru", "UTC+3", "UTC+03:00"),
    ],
)
def test_places_in_each_language(language: str, text: str, name: str) -> None:
    assert parse_timezone(text, language=language) == name
    assert zone(name).utcoffset(datetime(2026, 1, 1)) is not None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "США"),
        ("es", "Estados Unidos"),
        ("ru", "где-то"),
        ("es", "mi casa"),
        ("ru", "мск+20"),
    ],
)
def test_places_that_are_not_one_zone_are_refused(language: str, text: str) -> None:
    with pytest.raises(TimezoneError):
        parse_timezone(text, language=language)


def test_where_languages_disagree_the_persons_wins() -> None:
    with speaking("es"):
        spanish = parse_timezone("Santiago")
    assert spanish == "America/Santiago"


@settings(deadline=None)  # the first call builds the language's tables
@given(st.text(max_size=40), st.sampled_from(["es", "ru"]))
def test_parse_timezone_only_raises_timezone_error_in_any_language(
    text: str, language: str
) -> None:
    try:
        name = parse_timezone(text, language=language)
    except TimezoneError:
        return
    assert zone(name).utcoffset(datetime(2026, 1, 1)) is not None
