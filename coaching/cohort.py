"""Group coaching, as plain functions: themes, win text, and the weekly digest's consent rules.

The digest is assembled here from plain data, so what may appear in a group is decided in one
tested place: only members who chose to share (by name or anonymously) are counted; their wins
appear with a first name only when they chose "by name" and posted the win by name; members who
only receive the check-ins contribute nothing. Nothing here ever sees a debrief's answers: the
counts arrive as numbers.

The digest also fits in one Telegram message by design, whatever people wrote: every win, name
and title shown is capped, and `fit_digest` keeps only as many wins (newest first) as keep the
rendered message within `DIGEST_BUDGET`; the rest are counted ("…and 5 more wins").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from coaching.feedback import shorten

THEMES: tuple[str, ...] = ("win_lesson_step", "momentum", "energy")
"""The weekly check-in prompts; each is the template `prompts/group/theme_<name>.html`."""

DEFAULT_THEME = THEMES[0]
WIN_MAX_CHARS = 280
"""The longest win /win accepts, and the longest one the digest shows (older rows are cut)."""
NAME_MAX_CHARS = 64
"""Telegram's limit of a first name; a longer stored one is cut in the digest."""
GROUP_TITLE_MAX_CHARS = 128
"""Telegram's limit of a group title; a longer stored one is cut in group posts."""
DIGEST_MAX_WINS = 12
"""At most this many wins are listed, so the digest stays readable; the rest are counted."""
DIGEST_BUDGET = 3800
"""The digest's longest visible length, in UTF-16 units as Telegram counts them: 296 under
Telegram's 4,096, a margin for what a template edit adds. One win always fits: the fixed text,
a capped title and one capped win are far below it."""


class Sharing(StrEnum):
    """What a member agreed to with /join (`memberships.sharing`)."""

    NAMED = "named"
    ANONYMOUS = "anonymous"
    RECEIVE_ONLY = "receive_only"

    @property
    def shares(self) -> bool:
        """Whether this member's wins and counts may appear in the group at all."""
        return self is not Sharing.RECEIVE_ONLY


def theme_or_default(name: str | None) -> str:
    """A known theme name (an unknown or missing one falls back to the default)."""
    return name if name in THEMES else DEFAULT_THEME


def clean_win(text: str | None) -> str | None:
    """The win as it will be stored and shown: trimmed, inner whitespace runs kept single;
    None when empty."""
    if text is None:
        return None
    cleaned = " ".join(text.split())
    return cleaned or None


def win_too_long(text: str) -> bool:
    """Whether a (cleaned) win is over the limit."""
    return len(text) > WIN_MAX_CHARS


def shown_title(title: str) -> str:
    """A group's title as group posts show it (cut to `GROUP_TITLE_MAX_CHARS`)."""
    return shorten(title, GROUP_TITLE_MAX_CHARS)


def posts_anonymously(member: Sharing, group_allows_anonymous: bool) -> bool | None:
    """How a member's win is shared: True anonymously, False by name, None not at all.

    A member who chose anonymity in a group that no longer allows anonymous wins is never named
    instead: their win is refused.
    """
    if member is Sharing.NAMED:
        return False
    if member is Sharing.ANONYMOUS:
        return True if group_allows_anonymous else None
    return None


@dataclass(frozen=True)
class MemberWeek:
    """One member's week, as counts only (never words)."""

    user_id: int
    first_name: str
    sharing: Sharing
    checked_in: bool
    feedback_sent: int = 0
    goals_met: int = 0
    mock_interviews: int = 0


@dataclass(frozen=True)
class WinRecord:
    """A win a member posted in the group."""

    user_id: int
    text: str
    anonymous: bool
    created_at: datetime


@dataclass(frozen=True)
class DigestWin:
    """A win as the digest shows it: a first name, or None for "a member"."""

    name: str | None
    text: str


@dataclass(frozen=True)
class Digest:
    """What a group's weekly digest says: counts, the wins shown (newest first), and how many
    more wins the week had than are shown."""

    members: int
    checked_in: int
    feedback_sent: int
    goals_met: int
    mock_interviews: int
    wins: tuple[DigestWin, ...]
    more_wins: int

    @property
    def quiet(self) -> bool:
        """Nothing happened that the cohort agreed to share."""
        return not (
            self.checked_in
            or self.feedback_sent
            or self.goals_met
            or self.mock_interviews
            or self.wins
        )


def assemble_digest(
    members: Sequence[MemberWeek],
    wins: Sequence[WinRecord],
    max_wins: int = DIGEST_MAX_WINS,
) -> Digest | None:
    """The digest of a week; None when no member agreed to share anything.

    Members who only receive check-ins are left out of every count, and their wins (if any
    were stored before they changed their mind) are left out too. A win is named only when
    the member shares by name and posted it by name. The newest `max_wins` wins are shown,
    newest first (two posted at the same moment: the later one in `wins` first), each cut to
    `WIN_MAX_CHARS` and its name to `NAME_MAX_CHARS`; `fit_digest` then fits them in a message.
    """
    sharing = {m.user_id: m for m in members if m.sharing.shares}
    if not sharing:
        return None
    newest_first = sorted(enumerate(wins), key=lambda p: (p[1].created_at, p[0]), reverse=True)
    shown: list[DigestWin] = []
    for _, win in newest_first:
        member = sharing.get(win.user_id)
        if member is None:
            continue
        named = member.sharing is Sharing.NAMED and not win.anonymous
        name = shorten(member.first_name, NAME_MAX_CHARS) if named else None
        shown.append(DigestWin(name, shorten(win.text, WIN_MAX_CHARS)))
    kept = shown[:max_wins] if max_wins > 0 else []
    week = list(sharing.values())
    return Digest(
        members=len(week),
        checked_in=sum(1 for m in week if m.checked_in),
        feedback_sent=sum(m.feedback_sent for m in week),
        goals_met=sum(m.goals_met for m in week),
        mock_interviews=sum(m.mock_interviews for m in week),
        wins=tuple(kept),
        more_wins=len(shown) - len(kept),
    )


def fit_digest(
    digest: Digest, measure: Callable[[Digest], int], budget: int = DIGEST_BUDGET
) -> Digest:
    """The digest with as many of its wins (newest first) as keep `measure` within `budget`.

    `measure` gives the visible length of the digest as it would be posted (the rendered
    template, counted as Telegram counts). Wins that do not fit are dropped from the end (the
    oldest) and counted in `more_wins`. At least one win stays when there is any: capped as
    `assemble_digest` caps it, one win always fits the budget.
    """
    wins = digest.wins
    if not wins or measure(digest) <= budget:
        return digest
    total = len(wins) + digest.more_wins

    def keeping(count: int) -> Digest:
        return replace(digest, wins=wins[:count], more_wins=total - count)

    # With a "more" line in every candidate, each win kept adds a line: the length grows with
    # the count, so the longest prefix that fits is found by bisection.
    best, low, high = 1, 2, len(wins) - 1
    while low <= high:
        middle = (low + high) // 2
        if measure(keeping(middle)) <= budget:
            best, low = middle, middle + 1
        else:
            high = middle - 1
    return keeping(best)
