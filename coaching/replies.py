"""Turning a hirer's pasted feedback into a few concrete plan actions."""

from __future__ import annotations

import re
import unicodedata

MAX_ACTIONS = 3
MAX_ACTION_LENGTH = 200
MIN_SENTENCE_LENGTH = 12

# Words that mark a sentence as advice or a gap worth acting on.
_ACTIONABLE = re.compile(
    r"\b(improv\w*|practi[cs]\w*|strengthen\w*|lack\w*|more|experience\w*|develop\w*|"
    r"deepen\w*|deeper|better|work(?:ing)? on|focus\w*|gain\w*|build\w*|learn\w*|"
    r"recommend\w*|suggest\w*|consider\w*|familiar\w*|exposure|weak\w*|gaps?|missing|"
    r"brush up|should|could)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|\s*[•·]\s*|(?:^|\n)\s*[-*]\s+")


def feedback_actions(text: str, fallback: str) -> list[str]:
    """One to three action lines from pasted feedback.

    Sentences (or bullet lines) that mention improving, practising, strengthening, a lack,
    "more", experience and the like are kept, in their order, without repeats, each cut to
    MAX_ACTION_LENGTH characters. When none qualifies, the single `fallback` action is returned.
    """
    found: list[str] = []
    seen: set[str] = set()
    for sentence in _sentences(text):
        if len(sentence) < MIN_SENTENCE_LENGTH or not _ACTIONABLE.search(sentence):
            continue
        key = sentence.casefold()
        if key in seen:
            continue
        seen.add(key)
        found.append(_shorten(sentence))
        if len(found) == MAX_ACTIONS:
            break
    return found or [_shorten(" ".join(fallback.split()))]


def _sentences(text: str) -> list[str]:
    normal = unicodedata.normalize("NFKC", text).replace("\r", "\n")
    parts = (" ".join(p.split()) for p in _SENTENCE_END.split(normal))
    return [p.strip(" -*\"'“”") for p in parts if p and p.strip(" -*\"'“”")]


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_ACTION_LENGTH:
        return sentence
    cut = sentence[: MAX_ACTION_LENGTH - 1].rsplit(" ", 1)[0]
    return f"{cut}…"
