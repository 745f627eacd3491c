"""Dates written in the person's language, from CLDR's month and weekday names (Babel).

"Friday 18 December", "viernes 18 de diciembre", "пятница, 18 декабря". The patterns are
ours (CLDR's own skeletons put the month first in English, "Fri, Dec 18"); the names are
CLDR's, so no month or weekday name is written in the prompts.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from babel.dates import format_date

from coaching.language import ENGLISH, LANGUAGES, current_language

_LONG: Final = {"en": "EEEE d MMMM", "es": "EEEE d 'de' MMMM", "ru": "EEEE, d MMMM"}
_LONG_YEAR: Final = {
    "en": "EEEE d MMMM y",
    "es": "EEEE d 'de' MMMM 'de' y",
    "ru": "EEEE, d MMMM y 'г.'",
}
_SHORT: Final = {"en": "EEE d MMM", "es": "EEE d MMM", "ru": "EEE, d MMM"}
_SHORT_YEAR: Final = {"en": "EEE d MMM y", "es": "EEE d MMM y", "ru": "EEE, d MMM y 'г.'"}
_AXIS: Final = "d MMM"
_DAY_MONTH: Final = {"en": "d MMMM", "es": "d 'de' MMMM", "ru": "d MMMM"}
_FULL: Final = {"en": "d MMMM y", "es": "d 'de' MMMM 'de' y", "ru": "d MMMM y 'г.'"}


def _language(language: str | None) -> str:
    chosen = current_language() if language is None else language
    return chosen if chosen in LANGUAGES else ENGLISH


def _with_year(day: date, today: date | None) -> bool:
    return today is not None and day.year != today.year


def long_day(day: date, language: str | None = None, *, today: date | None = None) -> str:
    """ "Friday 18 December", "viernes 18 de diciembre", "пятница, 18 декабря"; with the year
    when `today` is given and in another year. None for `language` means the current one."""
    lang = _language(language)
    pattern = (_LONG_YEAR if _with_year(day, today) else _LONG)[lang]
    return format_date(day, pattern, locale=lang)


def short_day(day: date, language: str | None = None, *, today: date | None = None) -> str:
    """ "Fri 18 Dec", "vie 18 dic", "пт, 18 дек."; with the year as `long_day` has it."""
    lang = _language(language)
    pattern = (_SHORT_YEAR if _with_year(day, today) else _SHORT)[lang]
    return format_date(day, pattern, locale=lang)


def axis_day(day: date, language: str | None = None) -> str:
    """A chart axis tick: "18 Dec", "18 dic", "18 дек."."""
    return format_date(day, _AXIS, locale=_language(language))


def day_month(day: date, language: str | None = None) -> str:
    """The date without its weekday: "18 December", "18 de diciembre", "18 декабря", for a
    sentence whose preposition governs it (Russian "до 18 декабря", "к 18 декабря")."""
    lang = _language(language)
    return format_date(day, _DAY_MONTH[lang], locale=lang)


def full_day(day: date, language: str | None = None) -> str:
    """ "5 June 2027", "5 de junio de 2027", "5 июня 2027 г.": a day with its year, as the plan
    writes a date to come back to."""
    lang = _language(language)
    return format_date(day, _FULL[lang], locale=lang)
