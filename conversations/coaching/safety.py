"""A conservative keyword screen for messages that suggest a risk of self-harm.

This is not a diagnosis and cannot judge risk: it only spots clear, common phrasings so the
bot can pause coaching and point to people who can help. It errs towards flagging (a kind
check-in costs little), while skipping everyday figures of speech such as "this killed my
motivation" or "I'm dying to know".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

HELPLINES_FILE = "helplines.toml"


class CrisisSignal(StrEnum):
    """Whether a message contains a clear self-harm or suicide signal."""

    NONE = "none"
    CRISIS = "crisis"


# Patterns run on normalised text: lower case, apostrophes removed ("don't" -> "dont"),
# anything else that is not a letter or digit turned into a space, spaces collapsed.
_CRISIS_PATTERNS: tuple[str, ...] = (
    # "I want to die", "wanna die", "ready to die" (not "die of embarrassment"; not "going
    # to die", which is mostly hyperbole: "I thought I was going to die in that interview")
    r"\b(want|wanna|wanted|wanting|ready|planning|deserve) (to )?die\b"
    r"(?! of (embarrassment|laughter|boredom|cringe))",
    r"\bwish (i|id) (was|were|had) (dead|died|never been born)\b",
    r"\bkill(ing)? my ?self\b",
    r"\b(end|ending|take|taking) my (own )?life\b",
    r"\bend(ing)? it all\b",
    r"(?<!career )(?<!professional )(?<!social )\bsuicid(e|al)\b",
    r"\bself ?harm(ing)?\b",
    r"\b(hurt|hurting|harm|harming) my ?self\b",
    r"\bno (reason|point) (to|in) (live|living|going on)\b",
    r"\bnothing (left )?to live for\b",
    r"\bbetter off (dead|without me)\b",
    r"\b(dont|do not|no longer) want to (live|exist|be alive)\b",
    r"\b(dont|do not) want to be (here|around) (any ?more|any longer)\b",
    r"\b(dont|do not) want to wake up\b",
)
_CRISIS = re.compile("|".join(f"(?:{p})" for p in _CRISIS_PATTERNS))
_APOSTROPHES = "'’‘ʼ`´"


def normalise(text: str) -> str:
    """Lower-case `text`, drop apostrophes and reduce everything else to words and spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    for mark in _APOSTROPHES:
        folded = folded.replace(mark, "")
    words = "".join(ch if ch.isalnum() else " " for ch in folded)
    return " ".join(words.split())


def detect_crisis(text: str) -> CrisisSignal:
    """CRISIS if `text` contains a clear self-harm or suicide phrase, else NONE."""
    return CrisisSignal.CRISIS if _CRISIS.search(normalise(text)) else CrisisSignal.NONE


@dataclass(frozen=True)
class Helpline:
    """A help line; `country` is None for the international directory."""

    name: str
    country: str | None
    phone: str | None
    text: str | None
    url: str | None


_COUNTRY_ALIASES = {"UK": "GB"}


@lru_cache(maxsize=1)
def _directory() -> tuple[Helpline, dict[str, Helpline]]:
    raw = resources.files("conversations.coaching").joinpath(HELPLINES_FILE).read_text("utf-8")
    data = tomllib.loads(raw)
    directory = _helpline(data["directory"], None)
    countries = {
        code.upper(): _helpline(entry, code.upper()) for code, entry in data["countries"].items()
    }
    return directory, countries


def _helpline(entry: dict[str, Any], country: str | None) -> Helpline:
    def optional(key: str) -> str | None:
        value = entry.get(key)
        return None if value is None else str(value)

    return Helpline(
        name=str(entry["name"]),
        country=country,
        phone=optional("phone"),
        text=optional("text"),
        url=optional("url"),
    )


def helplines_for(countries: Sequence[str]) -> list[Helpline]:
    """The international directory, then lines for `countries` (ISO codes) in order.

    Codes are case-insensitive ("uk" is read as GB); unknown codes and repeats are skipped.
    """
    directory, known = _directory()
    result = [directory]
    seen: set[str] = set()
    for code in countries:
        key = code.strip().upper()
        key = _COUNTRY_ALIASES.get(key, key)
        if key in known and key not in seen:
            seen.add(key)
            result.append(known[key])
    return result
