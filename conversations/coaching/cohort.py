"""Group coaching, as plain functions: themes, win text, and the weekly digest's consent rules.

The digest is assembled here from plain data, so what may appear in a group is decided in one
tested place: only members who chose to share (by name or anonymously) are counted; their wins
appear with a first name only when they chose "by name" and posted the win by name; members who
only receive the check-ins contribute nothing. Nothing here ever sees a debrief's answers: the
counts arrive as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

THEMES: tuple[str, ...] = ("win_lesson_step", "momentum", "energy")
"""The weekly check-in prompts; each is the template `prompts/group/theme_<name>.html`."""

DEFAULT_THEME = THEMES[0]
WIN_MAX_CHARS = 280
DIGEST_MAX_WINS = 12


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
    """What a group's weekly digest says."""

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
    the member shares by name and posted it by name. The newest `max_wins` wins are shown, in
    the order they were posted.
    """
    sharing = {m.user_id: m for m in members if m.sharing.shares}
    if not sharing:
        return None
    shown: list[DigestWin] = []
    for win in sorted(wins, key=lambda w: w.created_at):
        member = sharing.get(win.user_id)
        if member is None:
            continue
        named = member.sharing is Sharing.NAMED and not win.anonymous
        shown.append(DigestWin(member.first_name if named else None, win.text))
    kept = shown[-max_wins:] if max_wins > 0 else []
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
