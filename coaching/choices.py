"""A typed word for a button: "technical" for "💻 Technical test or assignment", "by email" for
"✉️ Email". A step asked with buttons accepts the words of one of them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_WORD = re.compile(r"[^\W_]+")
_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "im",
        "i'm",
        "it",
        "its",
        "it's",
        "was",
        "were",
        "is",
        "my",
        "me",
        "by",
        "via",
        "on",
        "at",
        "in",
        "of",
        "to",
        "got",
        "get",
        "they",
        "them",
        "just",
        "think",
        "probably",
        "maybe",
        "stage",
        "round",
        "please",
    ]
)


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    return {_singular(w) for w in _WORD.findall(folded)} - _FILLER


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def match_choice(text: str, options: Mapping[str, str]) -> str | None:
    """The option (value -> its button label) that `text` names, or None when it names none or
    more than one. It names an option when every word it says (fillers aside) is a word of the
    option's label or value."""
    said = _words(text)
    if not said:
        return None
    named = [value for value, label in options.items() if said <= _words(f"{value} {label}")]
    return named[0] if len(named) == 1 else None
