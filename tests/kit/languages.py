"""Telling English left in a Spanish or Russian text (issue 21: no English left).

A word counts when it is English and not also a word of the other language: "the", "you",
"please" are; "a", "no", "me", "plan", "son" are not (they are Spanish words too). Names the
bot shows as they are (Comeback, Telegram, TED, LinkedIn) and the commands (/cancel) are not
words of the text.
"""

from __future__ import annotations

import html
import re

ENGLISH_ONLY = frozenset({
    "the", "and", "you", "your", "yours", "which", "please", "with", "what", "when", "where",
    "this", "that", "these", "those", "have", "has", "will", "would", "should", "could",
    "about", "from", "they", "them", "their", "there", "here", "were", "been", "being", "just",
    "like", "only", "also", "into", "over", "after", "before", "because", "today", "tomorrow",
    "yesterday", "week", "weeks", "step", "steps", "goal", "goals", "done", "skip", "back",
    "next", "check", "again", "answer", "button", "buttons", "message", "feel", "feeling",
    "interview", "interviews", "job", "jobs", "role", "roles", "help", "time", "day", "days",
    "how", "why", "who", "our", "we", "us", "it", "its", "is", "are", "was", "do", "does",
    "did", "not", "can", "any", "some", "more", "most", "much", "many", "every", "each", "all",
    "other", "than", "then", "later", "now", "soon", "still", "yet", "maybe", "sorry",
    "thanks", "thank", "okay", "yes", "let", "lets", "got", "get", "going", "rejection",
    "rejected", "apply", "applied", "practice", "mock", "offer", "hirer", "recruiter",
    "company", "team",
})  # fmt: skip
_TAG = re.compile(r"<[^>]+>")
_COMMAND = re.compile(r"/[a-z_]+")
_URL = re.compile(r"https?://\S+|\b[\w.-]+\.(?:com|org|net|io|me)\b\S*")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def english_words(text: str) -> list[str]:
    """The English-only words in `text` (HTML tags, links and /commands left out)."""
    plain = html.unescape(_TAG.sub(" ", text))
    plain = _COMMAND.sub(" ", _URL.sub(" ", plain))
    return [w for w in _WORD.findall(plain) if w.lower() in ENGLISH_ONLY]
