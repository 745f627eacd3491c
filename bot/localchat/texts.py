"""The terminal chat's own lines (prompts/localchat.toml and its es/ru copies), in its language.

The chat's language is `comeback chat --language`, else the environment's locale; the bot's
messages follow each person's language stored in its database, as on Telegram.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from babel.dates import format_datetime

from bot.rendering import Prompts
from coaching.language import ENGLISH, LANGUAGES, language_for, speaking

_PROMPTS = Prompts()
# The moment after `:wait`: English keeps the ISO date it always showed.
_MOMENT: Final = {
    "en": "EEE y-MM-dd HH:mm",
    "es": "EEE d MMM y, HH:mm",
    "ru": "EEE, d MMM y, HH:mm",
}
# POSIX order: LC_ALL overrides LC_MESSAGES, which overrides LANG.
_LOCALE_VARIABLES: Final = ("LC_ALL", "LC_MESSAGES", "LANG")


def text(language: str, key: str, /, **values: Any) -> str:
    """The line `localchat.<key>` in `language`, e.g. `text("es", "note.no_reply")`."""
    with speaking(language):
        return _PROMPTS.label(f"localchat.{key}", **values)


def environment_language(environ: Mapping[str, str]) -> str:
    """The chat's language from the locale: "es_ES.UTF-8" → es, "ru_RU.UTF-8" → ru, else en."""
    for name in _LOCALE_VARIABLES:
        value = environ.get(name, "").strip()
        if value:
            return language_for(value)
    return ENGLISH


def describe_duration(delta: timedelta, language: str = ENGLISH) -> str:
    """A short human form, two units at most: '8 days', '2 hours 30 minutes', '2 horas y 30
    minutos', '2 часа 30 минут'."""
    seconds = int(delta.total_seconds())
    parts = []
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")):
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(text(language, f"duration.{unit}", n=amount))
    if not parts:
        return text(language, "duration.second", n=0)
    if len(parts) == 1:
        return parts[0]
    return text(language, "duration.pair", first=parts[0], second=parts[1])


def describe_moment(moment: datetime, language: str = ENGLISH) -> str:
    """The bot's clock in UTC, weekday and month in `language`: 'Fri 2026-12-04 10:00'."""
    chosen = language if language in LANGUAGES else ENGLISH
    return format_datetime(moment, _MOMENT[chosen], tzinfo=UTC, locale=chosen)
