"""The languages the bot speaks, and which one the current update or check-in is in.

A person's language comes from Telegram's `language_code` at first contact (es*, ru* → Spanish,
Russian; anything else English) and changes with /language; a group has its own, set by an
admin. The language of what is being rendered is a context variable, set once in front of
every update (bot/ordering.py) and for every check-in and group post as it is composed, so the
renderer, the coaching texts and the parsers all follow it without each handler passing it on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Final

from babel import Locale

ENGLISH: Final = "en"
LANGUAGES: Final = ("en", "es", "ru")
"""Every language the bot speaks, English (the fallback) first."""

_CURRENT: ContextVar[str] = ContextVar("comeback_language", default=ENGLISH)


def language_for(code: str | None) -> str:
    """The bot's language for a Telegram `language_code` ("es-MX" → "es", "pt" → "en")."""
    if not code:
        return ENGLISH
    head = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return head if head in LANGUAGES else ENGLISH


def current_language() -> str:
    """The language of what is being rendered or read now."""
    return _CURRENT.get()


def set_language(language: str) -> None:
    """Make `language` current for the rest of this task (one update, one check-in)."""
    _CURRENT.set(language if language in LANGUAGES else ENGLISH)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Make `language` current inside the block, then restore the one before."""
    token = _CURRENT.set(language if language in LANGUAGES else ENGLISH)
    try:
        yield
    finally:
        _CURRENT.reset(token)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def plural(count: int | float, one: str, other: str = "", few: str = "", many: str = "") -> str:
    """The form of a word for `count` by CLDR's plural rules in the current language.

    English and Spanish use `one` and `other`; Russian `one` (1, 21, 101), `few` (2-4, 22-24)
    and `many` (5-20, 25-30...). A form not given falls back to `many`, `other`, `few`, then
    `one`: `plural(n, one="роль", few="роли", many="ролей")`.
    """
    category = _locale(current_language()).plural_form(count)
    forms = {"one": one, "few": few, "many": many, "other": other}
    chosen = forms.get(category, "")
    return chosen or many or other or few or one
