"""Reading deadlines and time zones typed by the user.

Both parsers accept English input only and are strict: text they do not clearly understand
is rejected with a reason rather than guessed at.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.relativedelta import relativedelta

DeadlineReason = Literal["unreadable", "past", "too_far"]

MAX_DAYS_AHEAD = 365
"""A deadline may be at most this many days after today."""

COMMON_ZONES: tuple[str, ...] = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
)
"""Zone names offered as buttons before asking the user to type one."""

RECENT_PAST_DAYS = 60
"""A yearless date (e.g. "10 May") this recently past is reported as "past", not next year's."""

_MAX_INPUT = 80


class DeadlineError(ValueError):
    """A deadline that could not be used; `reason` is "unreadable", "past" or "too_far"."""

    def __init__(self, reason: DeadlineReason, text: str) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason: DeadlineReason = reason
        self.text = text


class TimezoneError(ValueError):
    """Text that names no time zone we recognise."""

    def __init__(self, text: str) -> None:
        super().__init__(f"unknown time zone: {text!r}")
        self.text = text


# --- deadlines ---------------------------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_UNIT_ALIASES = {
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "fortnight": "fortnight", "fortnights": "fortnight",
    "mo": "month", "month": "month", "months": "month",
}  # fmt: skip
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip

_NUM = r"(\d{1,9}|" + "|".join(_NUMBER_WORDS) + r")"
_RELATIVE = re.compile(
    rf"^(?:in )?{_NUM} ?([a-z]+)(?: (?:from (?:now|today)|time|later))?$", re.ASCII
)
_WEEKDAY = re.compile(r"^(?:(?:next|this|coming|this coming) )?([a-z]+)$", re.ASCII)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", re.ASCII)
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?$", re.ASCII)
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ?(?:of )?([a-z]+)\.?(?: (\d{4}))?$", re.ASCII)
_MONTH_DAY = re.compile(r"^([a-z]+)\.? ?(\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?$", re.ASCII)
_PREFIXES = ("by ", "on ", "until ", "till ", "due ")


def parse_deadline(text: str, now: datetime, tz: tzinfo) -> date:
    """The deadline in `text` as a calendar date in zone `tz`; raises DeadlineError.

    Accepted (English, case-insensitive, optional leading "by"/"on"/"until"):
    - relative: "3 days", "in 10 days", "1 week", "2 weeks' time", "a fortnight", "1 month";
      "tomorrow", "day after tomorrow", "next week" (7 days), "next month";
      "end of month", "end of next month", "end of year";
    - weekdays: "friday", "fri", "this friday", "next friday" all mean the next Friday
      strictly after today (so on a Friday, a week ahead);
    - absolute: ISO "2026-12-15"; day-first numeric "15.12.2026", "15/12/2026", "15-12-26",
      "15/12"; "15 Dec", "15th of December 2026", "Dec 15", "December 15th, 2026";
      with a weekday in front ("Friday 15 May") only if it is that date's weekday.
      A date without a year is its next occurrence, unless it was at most
      RECENT_PAST_DAYS ago: then it is taken as a slip and reported as "past".
    The result must be after today and at most MAX_DAYS_AHEAD days ahead: reason "past" for
    today or earlier, "too_far" beyond that, "unreadable" for anything else, including
    impossible dates such as "31 February" (never silently clamped).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(tz).date()
    cleaned = _normalise(text)
    if not cleaned or len(cleaned) > _MAX_INPUT:
        raise DeadlineError("unreadable", text)
    result = _interpret(cleaned, today, text)
    if result is None:
        raise DeadlineError("unreadable", text)
    return _check_range(result, today, text)


_WORD = re.compile(r"[\w'\u2019./-]+")
_DATE_WINDOW = 4
"""The longest run of words `date_in` tries as a date ("end of next month")."""
_PAST_MARKERS = frozenset({"ago", "since", "last"})
_SENTENCE_MAX = 300


def date_in(text: str, now: datetime, tz: tzinfo) -> date | None:
    """A future date said somewhere in a sentence ("I'll get to it next week", "they said
    Friday", "give me 3 days"), as `parse_deadline` reads it; None when there is none. The
    longest run of up to four words that reads as a date wins (the earliest among equals). A
    sentence about the past ("3 days ago", "last week") has none; bare numbers are never dates.
    """
    words = _WORD.findall(text.casefold())
    if not words or len(text) > _SENTENCE_MAX or _PAST_MARKERS & set(words):
        return None
    for size in range(min(_DATE_WINDOW, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            if size == 1 and window[0].isdigit():
                continue
            try:
                return parse_deadline(" ".join(window), now, tz)
            except DeadlineError:
                continue
    return None


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().replace(",", " ")
    folded = folded.replace("'", "").replace("\u2019", "")  # "2 weeks' time"
    cleaned = " ".join(folded.split()).rstrip(".!")
    for prefix in _PREFIXES:
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    return cleaned.strip()


def _check_range(result: date, today: date, text: str) -> date:
    if result <= today:
        raise DeadlineError("past", text)
    if result > today + timedelta(days=MAX_DAYS_AHEAD):
        raise DeadlineError("too_far", text)
    return result


def _interpret(cleaned: str, today: date, text: str) -> date | None:
    """The date `cleaned` denotes, None if unreadable; may raise DeadlineError itself."""
    simple = _simple_phrase(cleaned, today)
    if simple is not None:
        return simple
    for parse in (_relative, _weekday, _absolute):
        result = parse(cleaned, today, text)
        if result is not None:
            return result
    return _weekday_and_date(cleaned, today, text)


def _weekday_and_date(cleaned: str, today: date, text: str) -> date | None:
    """The date in "Friday 15 May", provided the weekday agrees with it."""
    first, _, rest = cleaned.partition(" ")
    if first not in _WEEKDAYS or not rest:
        return None
    result = _absolute(rest, today, text)
    if result is None or result.weekday() != _WEEKDAYS[first]:
        return None
    return result


def _simple_phrase(cleaned: str, today: date) -> date | None:
    if cleaned in ("today", "tonight", "now"):
        return today
    if cleaned in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if cleaned in ("day after tomorrow", "the day after tomorrow"):
        return today + timedelta(days=2)
    if cleaned == "next week":
        return today + timedelta(days=7)
    if cleaned == "next month":
        return today + relativedelta(months=1)
    if cleaned in ("end of month", "end of the month", "eom"):
        return _month_end(today)
    if cleaned == "end of next month":
        return _month_end(today + relativedelta(months=1))
    if cleaned in ("end of year", "end of the year"):
        return date(today.year, 12, 31)
    return None


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _relative(cleaned: str, today: date, text: str) -> date | None:
    match = _RELATIVE.match(cleaned)
    if match is None:
        return None
    number, unit_word = match.groups()
    unit = _UNIT_ALIASES.get(unit_word)
    if unit is None:
        return None
    amount = _NUMBER_WORDS.get(number) or int(number)
    if unit == "month":
        if amount > 12 + 1:
            raise DeadlineError("too_far", text)
        return today + relativedelta(months=amount)
    days = amount * _UNIT_DAYS[unit]
    if days > MAX_DAYS_AHEAD:
        raise DeadlineError("too_far", text)
    return today + timedelta(days=days)


def _weekday(cleaned: str, today: date, text: str) -> date | None:
    match = _WEEKDAY.match(cleaned)
    if match is None or match.group(1) not in _WEEKDAYS:
        return None
    ahead = (_WEEKDAYS[match.group(1)] - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _absolute(cleaned: str, today: date, text: str) -> date | None:
    parts = _absolute_parts(cleaned)
    if parts is None:
        return None
    day, month, year = parts
    if year is None:
        return _next_occurrence(day, month, today, text)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _absolute_parts(cleaned: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) of an absolute date, without checking it exists."""
    if match := _ISO.match(cleaned):
        return int(match[3]), int(match[2]), int(match[1])
    if match := _DAY_FIRST.match(cleaned):
        return int(match[1]), int(match[2]), _full_year(match[3])
    if (match := _DAY_MONTH.match(cleaned)) and match[2] in _MONTHS:
        return int(match[1]), _MONTHS[match[2]], _full_year(match[3])
    if (match := _MONTH_DAY.match(cleaned)) and match[1] in _MONTHS:
        return int(match[2]), _MONTHS[match[1]], _full_year(match[3])
    return None


def _full_year(digits: str | None) -> int | None:
    if digits is None:
        return None
    year = int(digits)
    return 2000 + year if len(digits) == 2 else year


def _next_occurrence(day: int, month: int, today: date, text: str) -> date | None:
    try:
        date(2000, month, day)  # a leap year: rejects only impossible day/month pairs
    except ValueError:
        return None
    this_year = _valid_date(today.year, month, day)
    if this_year is not None and (
        this_year > today or (today - this_year).days <= RECENT_PAST_DAYS
    ):
        return this_year  # a recent past date is kept, to be reported as "past"
    next_year = _valid_date(today.year + 1, month, day)
    if next_year is None:
        raise DeadlineError("too_far", text)  # 29 February, next in a later leap year
    return next_year


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- time zones --------------------------------------------------------------------------

_UTC_WORDS = frozenset({"utc", "gmt", "z", "zulu", "utc0", "gmt0", "universal"})
_OFFSET = re.compile(r"^(?:utc|gmt)? ?([+-]) ?(\d{1,2})(?:[:.h]?(\d{2}))?$", re.ASCII)
_OFFSET_NAME = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$", re.ASCII)
_MAX_OFFSET = timedelta(hours=14)
_CITY_REGIONS = frozenset(
    {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
     "Pacific"}
)  # fmt: skip
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})

# Big cities (and a few unambiguous abbreviations) that are not zone names themselves.
_ALIASES = {
    "san francisco": "America/Los_Angeles", "sf": "America/Los_Angeles",
    "bay area": "America/Los_Angeles", "silicon valley": "America/Los_Angeles",
    "seattle": "America/Los_Angeles", "san diego": "America/Los_Angeles",
    "san jose": "America/Los_Angeles", "las vegas": "America/Los_Angeles",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "washington": "America/New_York", "washington dc": "America/New_York",
    "dc": "America/New_York", "nyc": "America/New_York", "boston": "America/New_York",
    "miami": "America/New_York", "atlanta": "America/New_York",
    "philadelphia": "America/New_York", "est": "America/New_York",
    "edt": "America/New_York", "eastern": "America/New_York",
    "dallas": "America/Chicago", "houston": "America/Chicago", "austin": "America/Chicago",
    "minneapolis": "America/Chicago",
    "montreal": "America/Toronto", "ottawa": "America/Toronto",
    "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
    "bombay": "Asia/Kolkata", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata", "chennai": "Asia/Kolkata", "pune": "Asia/Kolkata",
    "beijing": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "guangzhou": "Asia/Shanghai",
    "osaka": "Asia/Tokyo", "abu dhabi": "Asia/Dubai",
    "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin", "cest": "Europe/Berlin",
    "milan": "Europe/Rome", "barcelona": "Europe/Madrid", "geneva": "Europe/Zurich",
    "edinburgh": "Europe/London", "manchester": "Europe/London", "bst": "Europe/London",
    "rotterdam": "Europe/Amsterdam", "krakow": "Europe/Warsaw",
    "cape town": "Africa/Johannesburg", "aest": "Australia/Sydney",
    "uk": "Europe/London", "united kingdom": "Europe/London", "england": "Europe/London",
    "ireland": "Europe/Dublin", "germany": "Europe/Berlin", "france": "Europe/Paris",
    "spain": "Europe/Madrid", "italy": "Europe/Rome", "netherlands": "Europe/Amsterdam",
    "poland": "Europe/Warsaw", "india": "Asia/Kolkata", "japan": "Asia/Tokyo",
    "china": "Asia/Shanghai", "singapore": "Asia/Singapore",
}  # fmt: skip


def parse_timezone(text: str) -> str:
    """A zone name for `text`; raises TimezoneError.

    Accepts an IANA name in any case ("europe/berlin"), a city that names a zone or is in a
    small alias table ("new york", "São Paulo", "sao paulo", "Bangalore"), "UTC"/"GMT", or a
    fixed offset ("UTC+2", "GMT-3", "+05:30"), returned as "UTC+05:30"-style names; a zero
    offset is "UTC". Every name returned works with `zone`.
    """
    normal = unicodedata.normalize("NFKC", text).strip().casefold()
    normal = " ".join(normal.replace("\u2212", "-").replace("\u2013", "-").split())
    if not normal or len(normal) > _MAX_INPUT:
        raise TimezoneError(text)
    if normal in _UTC_WORDS:
        return "UTC"
    if match := _OFFSET.match(normal):
        return _offset_name(match, text)
    key = _fold(normal)
    if key in _ALIASES:
        return _ALIASES[key]
    names, cities, legacy = _zone_index()
    typed = normal.replace(" ", "_")
    found = names.get(typed) or cities.get(key) or legacy.get(typed)
    if found is None:
        raise TimezoneError(text)
    return found


def _offset_name(match: re.Match[str], text: str) -> str:
    sign, hours, minutes = match[1], int(match[2]), int(match[3] or 0)
    offset = timedelta(hours=hours, minutes=minutes)
    if minutes >= 60 or offset > _MAX_OFFSET:
        raise TimezoneError(text)
    if not offset:
        return "UTC"
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _fold(text: str) -> str:
    """Lower case without accents, with '_' and '-' as spaces: 'São_Paulo' -> 'sao paulo'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("_", " ").replace("-", " ").split())


@lru_cache(maxsize=1)
def _zone_index() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Casefolded lookups built once: "area/city" names, folded cities, and bare names.

    Bare names ("Singapore", "Japan", "GB") are mostly legacy links, so a city of the same
    name ("Asia/Singapore") is preferred to them.
    """
    zones = sorted(z for z in available_timezones() if z not in _NOT_ZONES)
    names = {z.casefold(): z for z in zones if "/" in z}
    legacy = {z.casefold(): z for z in zones if "/" not in z}
    cities: dict[str, str] = {}
    for name in zones:  # sorted, so the first (usually the canonical) name wins
        parts = name.split("/")
        if len(parts) > 1 and parts[0] in _CITY_REGIONS:
            cities.setdefault(_fold(parts[-1]), name)
    return names, cities, legacy


def zone(name: str) -> tzinfo:
    """The tzinfo for a name returned by `parse_timezone` (or "UTC"); raises TimezoneError."""
    if name.upper() == "UTC":
        return UTC
    if match := _OFFSET_NAME.match(name):
        offset = timedelta(hours=int(match[2]), minutes=int(match[3]))
        if offset >= timedelta(hours=24) or int(match[3]) >= 60:
            raise TimezoneError(name)
        return timezone(-offset if match[1] == "-" else offset, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise TimezoneError(name) from exc
