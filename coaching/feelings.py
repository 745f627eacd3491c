"""Hearing the first words: what feeling a message carries, so the reply can reflect it in one
short line before any question ("ugh. I DIDN'T GET THE JOB AGAIN 😤" is frustration, not a
request for the menu).

A small lexicon, not a model: it only has to tell the few feelings the reply can name apart,
and it says nothing when unsure (the reply then simply offers the debrief). Crisis language is
not its business; the safety screen (coaching.safety) sees every message first.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Feeling(StrEnum):
    """What the reply reflects (each has a line in prompts/debrief/offer.html)."""

    FRUSTRATED = "frustrated"
    SAD = "sad"
    TIRED = "tired"
    NEWS = "news"
    """Rejection news with no feeling named: "I didn't get the job"."""


_WORD = re.compile(r"[a-z']+")
_LEXICON: dict[Feeling, frozenset[str]] = {
    Feeling.FRUSTRATED: frozenset(
        [
            "ugh",
            "argh",
            "grr",
            "angry",
            "annoyed",
            "annoying",
            "frustrated",
            "frustrating",
            "furious",
            "pissed",
            "mad",
            "unfair",
            "ridiculous",
            "seriously",
            "wtf",
            "fed",
        ]
    ),
    Feeling.SAD: frozenset(
        [
            "sad",
            "gutted",
            "crushed",
            "devastated",
            "heartbroken",
            "hurt",
            "hurts",
            "upset",
            "down",
            "miserable",
            "crying",
            "cried",
            "disappointed",
            "disappointing",
            "awful",
            "terrible",
        ]
    ),
    Feeling.TIRED: frozenset(["tired", "exhausted", "drained", "burnt", "burned", "worn"]),
}
_EMOJI: dict[Feeling, frozenset[str]] = {
    Feeling.FRUSTRATED: frozenset("😤😠😡🤬🙄"),
    Feeling.SAD: frozenset("😢😭😞😔💔🥺☹🙁😿"),
    Feeling.TIRED: frozenset("😩😫🥱😮‍💨"),
}
_NEWS = (
    re.compile(r"\b(didn'?t|did not|don'?t|not) (get|got|land|make)\b"),
    re.compile(r"\brejected\b|\brejection\b|\bturned (me )?down\b|\bsaid no\b|\bno offer\b"),
    re.compile(r"\b(they|it) went with (someone|another)\b|\bnot moving forward\b"),
)
_AGAIN = re.compile(r"\b(again|another one|yet another)\b")
_SHOUTING_LETTERS = 8


def feeling_in(text: str) -> Feeling | None:
    """The feeling a message carries, or None when it names none (and is not rejection news).

    Frustration wins over sadness when both are there (the reply to "ugh, gutted" is about the
    frustration); shouting (many capital letters, mostly capitals) or "again" on rejection news
    reads as frustration."""
    folded = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    lower = folded.casefold()
    words = set(_WORD.findall(lower))
    found = [
        feeling
        for feeling in (Feeling.FRUSTRATED, Feeling.SAD, Feeling.TIRED)
        if words & _LEXICON[feeling] or any(e in folded for e in _EMOJI[feeling])
    ]
    if found:
        return found[0]
    news = any(pattern.search(lower) for pattern in _NEWS)
    letters = [c for c in folded if c.isalpha()]
    shouting = len(letters) >= _SHOUTING_LETTERS and sum(c.isupper() for c in letters) > 0.7 * len(
        letters
    )
    if news and (shouting or _AGAIN.search(lower)):
        return Feeling.FRUSTRATED
    if news:
        return Feeling.NEWS
    return None
