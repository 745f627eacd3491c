"""Reading deadlines and time zones typed by the user.

Both parsers are strict: text they do not clearly understand is rejected with a reason rather
than guessed at. Deadlines are read in English, Spanish and Russian: a Spanish or Russian
deadline is first rewritten word by word into the English one ("en dos semanas" -> "in 2
weeks", "до пятницы" -> "friday"), so every language shares the English grammar and its
refusal reasons. Time zones are read from names in any of the three languages.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.core import get_global
from dateutil.relativedelta import relativedelta

from coaching.language import ENGLISH, LANGUAGES, current_language
from coaching.numbers import number_word

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


def parse_deadline(text: str, now: datetime, tz: tzinfo, *, language: str | None = None) -> date:
    """The deadline in `text` as a calendar date in zone `tz`; raises DeadlineError.

    `language` ("en", "es", "ru"; None: the current one) is the language `text` is read in;
    Spanish and Russian read everything below in their own words, see `_GRAMMARS`, and also a
    day of the month alone: "para el 18", "el día 3", "к 18", "до 18-го", "18 числа" (the
    next 18th after today), with a weekday ("el lunes 7") or "this month" ("18 этого
    месяца"), and a weekday of next week ("в пятницу на следующей неделе"). English words
    left among them are read as English ("next friday" too): people mix.

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
    lang = _language(language)
    cleaned = _normalise(text) if lang == ENGLISH else _GRAMMARS[lang].fold(text)
    if not cleaned or len(cleaned) > _MAX_INPUT:
        raise DeadlineError("unreadable", text)
    if lang == ENGLISH:
        result = _interpret(_normalise(_english_numbers(cleaned)), today, text)
    elif (day := _GRAMMARS[lang].day_of_month(cleaned)) is not None:
        result = _day_of_month(day, today)
    else:
        english = _normalise(_GRAMMARS[lang].english(cleaned))
        result = _interpret(english, today, text) if english else None
        if result is None:
            result = _spoken_only(english, today)
    if result is None:
        raise DeadlineError("unreadable", text)
    return _check_range(result, today, text)


_WORD = re.compile(r"[\w'\u2019./-]+")
_DATE_WINDOW = 4
"""The longest run of words `date_in` tries as a date ("end of next month")."""
_PAST_MARKERS = frozenset({"ago", "since", "last"})
_SENTENCE_MAX = 300


def date_in(text: str, now: datetime, tz: tzinfo, *, language: str | None = None) -> date | None:
    """A future date said somewhere in a sentence ("I'll get to it next week", "they said
    Friday", "give me 3 days"), as `parse_deadline` reads it; None when there is none. The
    longest run of up to four words that reads as a date wins (the earliest among equals). A
    sentence about the past ("3 days ago", "last week") has none; bare numbers are never dates.
    `language` as for `parse_deadline`; Spanish and Russian try runs of up to five words
    ("к концу следующего месяца", "dentro de dos semanas").
    """
    lang = _language(language)
    if lang == ENGLISH:
        words = _WORD.findall(text.casefold())
        past = bool(_PAST_MARKERS & set(words))
    else:
        words = _WORD.findall(_GRAMMARS[lang].fold(text))
        past = _GRAMMARS[lang].said_past(words)
    if not words or len(text) > _SENTENCE_MAX or past:
        return None
    window = _DATE_WINDOW if lang == ENGLISH else _DATE_WINDOW + 1
    for size in range(min(window, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if size == 1 and run[0].isdigit():
                continue
            try:
                return parse_deadline(" ".join(run), now, tz, language=lang)
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


# --- deadlines in Spanish and Russian ----------------------------------------------------------


def _language(language: str | None) -> str:
    chosen = current_language() if language is None else language
    return chosen if chosen in LANGUAGES else ENGLISH


_NUMBER_RUN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_FINAL = "\x00"
"""Marks a word already in English (a phrase's translation), so it is not translated again."""


def _digits(words: list[str], language: str) -> list[str]:
    """`words` with each number said in words ("veintiuno", "двадцать одна") as digits."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if _number(words[i], language) is None:  # every run of number words starts with one
            out.append(words[i])
            i += 1
            continue
        for size in (3, 2, 1):
            run = words[i : i + size]
            if len(run) == size and all(_NUMBER_RUN.fullmatch(w) for w in run):
                number = _number(" ".join(run), language)
                if number is not None:
                    out.append(str(number))
                    i += size
                    break
        else:
            out.append(words[i])
            i += 1
    return out


@lru_cache(maxsize=4096)
def _number(words: str, language: str) -> int | None:
    return number_word(words, language) if _NUMBER_RUN.fullmatch(words.replace(" ", "-")) else None


def _english_numbers(cleaned: str) -> str:
    """English with its numbers in digits: "in twenty one days" -> "in 21 days"."""
    return " ".join(_digits(cleaned.split(), ENGLISH))


def _day_of_month(day: int, today: date) -> date | None:
    """The next `day` of a month after today (today itself when it is that day: "past")."""
    if day == today.day:
        return today
    first = today.replace(day=1)
    for ahead in range(3):
        month = first + relativedelta(months=ahead)
        candidate = _valid_date(month.year, month.month, day)
        if candidate is not None and candidate > today:
            return candidate
    return None


_WEEKDAY_NAMES = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_WEEKDAY_AND_DAY = re.compile(rf"^(?:({_WEEKDAY_NAMES}) )?(\d{{1,2}})( of this month)?$")
_WEEKDAY_NEXT_WEEK = re.compile(rf"^({_WEEKDAY_NAMES}) next week$|^next week ({_WEEKDAY_NAMES})$")


def _spoken_only(english: str, today: date) -> date | None:
    """What Spanish and Russian say that English does not read: a weekday and a day of the
    month ("el lunes 7", "в пятницу 18-го"), a day of this month ("el 18 de este mes"), a
    weekday of next week ("el viernes de la semana que viene": a Friday 7-13 days ahead)."""
    if match := _WEEKDAY_AND_DAY.match(english):
        weekday, day, this_month = match.groups()
        if weekday is None and this_month is None:
            return None
        result = _day_of_month(int(day), today)
        if result is None or (weekday and result.weekday() != _WEEKDAYS[weekday]):
            return None
        return result
    if match := _WEEKDAY_NEXT_WEEK.match(english):
        weekday = _WEEKDAYS[match[1] or match[2]]
        return today + timedelta(days=7 - today.weekday() + weekday)
    return None


_UNITS: Final = frozenset({"days", "weeks", "months", "fortnight"})
_YEAR_WORDS: Final = frozenset({"г", "года", "год"})
_ORDINAL_DAY = re.compile(r"^(\d{1,2})-?(?:го|ого|е|ое|му|ому)$")


@dataclass(frozen=True)
class _Grammar:
    """How one language says what the English grammar reads, word by word.

    `phrases` (runs of folded words, longest first) and `words` become English words ("" drops
    them); `leading` words (prepositions: "para", "до") are dropped only before the date; a
    number in words becomes digits; a unit right after "in" gets a 1 ("через неделю").
    """

    accents: bool
    """Whether accents are dropped when folding (Spanish: "próximo" = "proximo")."""
    phrases: dict[tuple[str, ...], str]
    words: dict[str, str]
    leading: frozenset[str]
    day_pattern: re.Pattern[str]
    past: frozenset[str]
    not_past_before: dict[str, str]
    """A past marker that is not one before this word: Spanish "pasado mañana"."""
    language: str
    first_words: dict[str, str]
    """Words read another way at the head of a date: Spanish "mar" is Tuesday in "mar 21
    feb" (as `coaching.dates.short_day` writes it), March in "21 mar"."""

    def fold(self, text: str) -> str:
        folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
        if self.accents:
            decomposed = unicodedata.normalize("NFKD", folded)
            folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        for mark in (",", "¿", "?", "¡", "!", ";", "«", "»", '"', "(", ")"):
            folded = folded.replace(mark, " ")
        return " ".join(folded.split()).rstrip(".").strip()

    def day_of_month(self, cleaned: str) -> int | None:
        match = self.day_pattern.match(cleaned)
        if match is None:
            return None
        return int(next(group for group in match.groups() if group))

    def said_past(self, words: list[str]) -> bool:
        for i, word in enumerate(words):
            if word in self.past:
                after = words[i + 1] if i + 1 < len(words) else ""
                if self.not_past_before.get(word) != after:
                    return True
        return False

    def english(self, cleaned: str) -> str:
        words = [_ORDINAL_DAY.sub(r"\1", w) for w in cleaned.split()]
        words = _digits(self._phrases(words), self.language)
        out: list[str] = []
        for i, word in enumerate(words):
            if word.startswith(_FINAL):
                out.extend(word[len(_FINAL) :].split())
                continue
            key = word.rstrip(".") if any(ch.isalpha() for ch in word) else word
            if not out and key in self.leading:
                continue
            if key in _YEAR_WORDS and out and len(out[-1]) == 4 and out[-1].isdigit():
                continue  # "18 декабря 2026 г.", "2026 года"
            english = self.words.get(key, key)
            if not out and key in self.first_words and i + 1 < len(words):
                english = self.first_words[key]
            if english in _UNITS and out and out[-1] == "in":
                out.append("1")
            if english:
                out.append(english)
        return " ".join(out)

    def _phrases(self, words: list[str]) -> list[str]:
        longest = max(len(key) for key in self.phrases)
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(longest, len(words) - i), 0, -1):
                english = self.phrases.get(tuple(words[i : i + size]))
                if english is not None:
                    out.append(_FINAL + english)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out


def _phrases(english: str, *spellings: str) -> dict[tuple[str, ...], str]:
    return {tuple(spelling.split()): english for spelling in spellings}


def _forms(english: str, spellings: str) -> dict[str, str]:
    return dict.fromkeys(spellings.split(), english)


def _spanish() -> _Grammar:
    phrases = {
        **_phrases("day after tomorrow", "pasado manana"),
        **_phrases(
            "next week",
            "la semana que viene", "semana que viene", "la proxima semana", "proxima semana",
            "la semana siguiente", "la siguiente semana",
        ),
        **_phrases(
            "next month",
            "el mes que viene", "mes que viene", "el proximo mes", "proximo mes",
            "el mes siguiente", "el siguiente mes",
        ),
        **_phrases(
            "end of next month",
            *(
                f"{end} {of} {month}"
                for end in ("fin", "final", "finales")
                for of in ("del", "de")
                for month in ("mes que viene", "proximo mes", "mes siguiente")
            ),
        ),
        **_phrases(
            "end of month",
            *(
                f"{end} {of}"
                for end in ("fin", "final", "finales")
                for of in ("de mes", "del mes", "de este mes")
            ),
        ),
        **_phrases(
            "end of year",
            *(
                f"{end} {of}"
                for end in ("fin", "final", "finales")
                for of in ("de ano", "del ano", "de este ano")
            ),
        ),
        **_phrases("in", "dentro de", "de aqui a", "de hoy en"),
        **_phrases("of this month", "de este mes", "del mes"),
        **_phrases("from today", "a partir de hoy", "desde hoy", "a partir de ahora"),
        **_phrases("2", "un par de", "par de"),
        **_phrases(
            "",
            "que viene", "a mas tardar", "como muy tarde", "no mas tarde de",
            "por la manana", "por la tarde", "por la noche",
        ),
    }  # fmt: skip
    words = {
        "hoy": "today", "manana": "tomorrow", "en": "in", "primero": "1",
        **_forms("days", "dia dias"),
        **_forms("weeks", "semana semanas"),
        **_forms("months", "mes meses"),
        **_forms("fortnight", "quincena quincenas"),
        **_forms("years", "ano anos"),
        **_forms("monday", "lunes lun"),
        **_forms("tuesday", "martes"),
        **_forms("wednesday", "miercoles mie mier"),
        **_forms("thursday", "jueves jue"),
        **_forms("friday", "viernes vie"),
        **_forms("saturday", "sabado sab"),
        **_forms("sunday", "domingo dom"),
        **_forms("january", "enero ene"),
        **_forms("february", "febrero feb"),
        **_forms("march", "marzo mar"),
        **_forms("april", "abril abr"),
        **_forms("may", "mayo may"),
        **_forms("june", "junio jun"),
        **_forms("july", "julio jul"),
        **_forms("august", "agosto ago"),
        **_forms("september", "septiembre setiembre sep sept set"),
        **_forms("october", "octubre oct"),
        **_forms("november", "noviembre nov"),
        **_forms("december", "diciembre dic"),
        **_forms("", "el la los las de del proximo proxima este esta siguiente"),
    }  # fmt: skip
    return _Grammar(
        accents=True,
        phrases=phrases,
        words=words,
        leading=frozenset({"para", "hasta", "antes", "a", "el", "la", "sobre"}),
        day_pattern=re.compile(
            r"^(?:(?:para|hasta|antes de|antes del|a mas tardar) )?"
            r"(?:el (?:dia )?|dia )(\d{1,2})$"
        ),
        past=frozenset({"hace", "ayer", "anteayer", "pasado", "pasada", "anterior"}),
        not_past_before={"pasado": "manana"},
        language="es",
        first_words={"mar": "tuesday"},
    )


def _russian() -> _Grammar:
    ends = ("в конце", "к концу", "до конца", "конец", "под конец")
    phrases = {
        **_phrases(
            "next week",
            "на следующей неделе", "следующая неделя", "на будущей неделе",
            "следующую неделю", "к следующей неделе",
        ),
        **_phrases(
            "next month",
            "в следующем месяце", "следующий месяц", "в будущем месяце", "к следующему месяцу",
        ),
        **_phrases("end of next month", *(f"{end} следующего месяца" for end in ends)),
        **_phrases(
            "end of month", *(f"{end} {m}" for end in ends for m in ("месяца", "этого месяца"))
        ),
        **_phrases("end of year", *(f"{end} {y}" for end in ends for y in ("года", "этого года"))),
        **_phrases("in", "в течение", "в пределах"),
        **_phrases("of this month", "этого месяца", "числа этого месяца"),
        **_phrases("6 months", "полгода", "пол года"),
        **_phrases("", "не позднее", "не позже", "самое позднее"),
    }  # fmt: skip
    months = {
        "january": "январь января январе янв",
        "february": "февраль февраля феврале фев февр",
        "march": "март марта марте мар",
        "april": "апрель апреля апреле апр",
        "may": "май мая мае",
        "june": "июнь июня июне июн",
        "july": "июль июля июле июл",
        "august": "август августа августе авг",
        "september": "сентябрь сентября сентябре сен сент",
        "october": "октябрь октября октябре окт",
        "november": "ноябрь ноября ноябре ноя нояб",
        "december": "декабрь декабря декабре дек",
    }
    weekdays = {
        "monday": "понедельник понедельника понедельнику понедельнике пн",
        "tuesday": "вторник вторника вторнику вторнике вт",
        "wednesday": "среда среду среды среде ср",
        "thursday": "четверг четверга четвергу четверге чт",
        "friday": "пятница пятницу пятницы пятнице пт",
        "saturday": "суббота субботу субботы субботе сб",
        "sunday": "воскресенье воскресенья воскресенью вс",
    }
    words = {
        "сегодня": "today", "завтра": "tomorrow", "послезавтра": "day after tomorrow",
        "через": "in", "спустя": "in", "за": "in", "пару": "2", "пара": "2",
        **_forms("days", "день дня дней дню сутки суток"),
        **_forms("weeks", "неделя недели недель неделю неделе"),
        **_forms("months", "месяц месяца месяцев месяцу"),
        **_forms("years", "лет"),
        **_forms(
            "",
            "следующий следующую следующей следующего следующая следующее следующем "
            "ближайший ближайшую ближайшей ближайшего ближайшая ближайшее ближайшем "
            "этот эту эта это этой этого этом числа утром днем вечером ночью",
        ),
    }  # fmt: skip
    for english, spellings in (months | weekdays).items():
        words.update(_forms(english, spellings))
    return _Grammar(
        accents=False,
        phrases=phrases,
        words=words,
        leading=frozenset({"к", "ко", "до", "в", "во", "на", "по"}),
        day_pattern=re.compile(
            r"^(?:(?:к|ко|до) )?(\d{1,2})-?(?:го|ого|е|ое|му|ому)(?: числа| числу)?$"
            r"|^(?:(?:к|ко|до) )?(\d{1,2}) (?:числа|числу)$"
            r"|^(?:к|до) (\d{1,2})$"
        ),
        past=frozenset(
            {
                "назад",
                "вчера",
                "позавчера",
                "прошлой",
                "прошлый",
                "прошлую",
                "прошлом",
                "прошлого",
                "прошлая",
                "прошлое",
            }
        ),
        not_past_before={},
        language="ru",
        first_words={},
    )


_GRAMMARS: Final = {"es": _spanish(), "ru": _russian()}


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


def parse_timezone(text: str, *, language: str | None = None) -> str:
    """A zone name for `text`; raises TimezoneError.

    Accepts an IANA name in any case ("europe/berlin"), a city that names a zone or is in a
    small alias table ("new york", "São Paulo", "sao paulo", "Bangalore"), "UTC"/"GMT", or a
    fixed offset ("UTC+2", "GMT-3", "+05:30"), returned as "UTC+05:30"-style names; a zero
    offset is "UTC". Every name returned works with `zone`.

    Cities and countries are also read as CLDR names them in Spanish and Russian ("Ciudad de
    México", "Nueva York", "Москва", "Алматы", "Россия"), with a few big cities CLDR has no
    zone for ("Barcelona", "Санкт-Петербург"); `language` (None: the current one) wins where
    the languages disagree. "МСК" is Moscow, "МСК+2" two hours east of it.
    """
    normal = unicodedata.normalize("NFKC", text).strip().casefold()
    normal = " ".join(normal.replace("\u2212", "-").replace("\u2013", "-").split())
    if not normal or len(normal) > _MAX_INPUT:
        raise TimezoneError(text)
    if normal in _UTC_WORDS:
        return "UTC"
    if match := _OFFSET.match(normal):
        return _offset_name(match, text)
    if match := _MOSCOW_OFFSET.match(normal):
        return _moscow_offset(match, text)
    key = _fold(normal)
    if key in _ALIASES:
        return _ALIASES[key]
    names, cities, legacy = _zone_index()
    typed = normal.replace(" ", "_")
    found = names.get(typed) or cities.get(key) or legacy.get(typed)
    if found is None:
        found = _place(key, _language(language))
    if found is None:
        raise TimezoneError(text)
    return found


_MOSCOW_OFFSET = re.compile(r"^(?:мск|msk)(?: ?([+-]) ?(\d{1,2}))?$")
_MOSCOW_HOURS = 3
"""Moscow time is UTC+3 all year (since 2014)."""


def _moscow_offset(match: re.Match[str], text: str) -> str:
    if match[1] is None:
        return "Europe/Moscow"
    hours = _MOSCOW_HOURS + int(match[2]) * (1 if match[1] == "+" else -1)
    if abs(hours) > _MAX_OFFSET.total_seconds() // 3600:
        raise TimezoneError(text)
    if hours == 0:
        return "UTC"
    return f"UTC{'+' if hours > 0 else '-'}{abs(hours):02d}:00"


_PLACE_PREFIXES = ("г. ", "г ", "город ", "ciudad de ")
"""Words before a place's name that are not part of it ("г. Казань"); "Ciudad de México"
is found whole first."""

# Countries with more than one zone, by the zone most of their people live in; the others
# ("США", "Brasil") are not guessed at: the person is asked for a city.
_COUNTRY_ZONES = {
    "RU": "Europe/Moscow", "KZ": "Asia/Almaty", "MX": "America/Mexico_City",
    "AR": "America/Argentina/Buenos_Aires", "ES": "Europe/Madrid", "CL": "America/Santiago",
    "EC": "America/Guayaquil", "UA": "Europe/Kyiv", "PT": "Europe/Lisbon",
    "DE": "Europe/Berlin", "UZ": "Asia/Tashkent", "CN": "Asia/Shanghai",
    "MN": "Asia/Ulaanbaatar", "CY": "Asia/Nicosia", "NZ": "Pacific/Auckland",
    "MY": "Asia/Kuala_Lumpur", "GE": "Asia/Tbilisi",
}  # fmt: skip

# Big cities that are not a zone's exemplar city in CLDR, and common short names.
_EXTRA_PLACES: dict[str, dict[str, str]] = {
    "es": {
        "barcelona": "Europe/Madrid", "valencia": "Europe/Madrid", "sevilla": "Europe/Madrid",
        "malaga": "Europe/Madrid", "bilbao": "Europe/Madrid", "zaragoza": "Europe/Madrid",
        "espana peninsular": "Europe/Madrid", "cdmx": "America/Mexico_City",
        "df": "America/Mexico_City", "guadalajara": "America/Mexico_City",
        "puebla": "America/Mexico_City", "queretaro": "America/Mexico_City",
        "medellin": "America/Bogota", "cali": "America/Bogota",
        "barranquilla": "America/Bogota", "cartagena": "America/Bogota",
        "quito": "America/Guayaquil", "arequipa": "America/Lima", "cusco": "America/Lima",
        "valparaiso": "America/Santiago", "vina del mar": "America/Santiago",
        "rosario": "America/Argentina/Cordoba", "mar del plata": "America/Argentina/Buenos_Aires",
        "santa cruz": "America/La_Paz", "santa cruz de la sierra": "America/La_Paz",
        "san francisco": "America/Los_Angeles", "miami": "America/New_York",
        "washington": "America/New_York", "houston": "America/Chicago",
        "estados unidos costa este": "America/New_York",
    },
    "ru": {
        "санкт петербург": "Europe/Moscow", "петербург": "Europe/Moscow",
        "питер": "Europe/Moscow", "спб": "Europe/Moscow", "мск": "Europe/Moscow",
        "казань": "Europe/Moscow", "нижнии новгород": "Europe/Moscow",
        "ростов на дону": "Europe/Moscow", "сочи": "Europe/Moscow",
        "краснодар": "Europe/Moscow", "воронеж": "Europe/Moscow",
        "ярославль": "Europe/Moscow", "тула": "Europe/Moscow",
        "челябинск": "Asia/Yekaterinburg", "пермь": "Asia/Yekaterinburg",
        "уфа": "Asia/Yekaterinburg", "тюмень": "Asia/Yekaterinburg",
        "хабаровск": "Asia/Vladivostok", "астана": "Asia/Almaty",
        "нур султан": "Asia/Almaty", "шымкент": "Asia/Almaty",
        "харьков": "Europe/Kyiv", "одесса": "Europe/Kyiv", "львов": "Europe/Kyiv",
        "днепр": "Europe/Kyiv", "гомель": "Europe/Minsk", "брест": "Europe/Minsk",
        "батуми": "Asia/Tbilisi", "тель авив": "Asia/Jerusalem", "хаифа": "Asia/Jerusalem",
        "лимассол": "Asia/Nicosia", "мюнхен": "Europe/Berlin",
        "франкфурт": "Europe/Berlin", "гамбург": "Europe/Berlin",
        "барселона": "Europe/Madrid", "сан франциско": "America/Los_Angeles",
        "бали": "Asia/Makassar", "пхукет": "Asia/Bangkok", "гоа": "Asia/Kolkata",
    },
}  # fmt: skip


def _place(key: str, language: str) -> str | None:
    """The zone of a city or country named in any language, `language` first."""
    order = (language, *(other for other in LANGUAGES if other != language))
    for candidate in (key, *(key[len(p) :] for p in _PLACE_PREFIXES if key.startswith(p))):
        for lang in order:
            found = _place_index(lang).get(candidate)
            if found is not None:
                return found
    return None


@lru_cache(maxsize=len(LANGUAGES))
def _place_index(language: str) -> dict[str, str]:
    """Folded city and country names in `language` (CLDR, then `_EXTRA_PLACES`) -> zone."""
    locale = Locale.parse(language)
    available = available_timezones()
    territory_zones: Mapping[str, list[str]] = get_global("territory_zones")
    places: dict[str, str] = {
        key: zone for key, zone in _EXTRA_PLACES.get(language, {}).items() if zone in available
    }
    for zones in territory_zones.values():
        for name in zones:
            city = locale.time_zones.get(name, {}).get("city")  # only where not the zone's own
            if city and name in available:
                places.setdefault(_fold(city), name)
    for code, zones in territory_zones.items():
        chosen = zones[0] if len(zones) == 1 else _COUNTRY_ZONES.get(code)
        country = locale.territories.get(code)
        if chosen in available and country:
            places.setdefault(_fold(country), chosen)
    return places


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
