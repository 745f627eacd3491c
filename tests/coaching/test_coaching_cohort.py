"""Group coaching rules as plain functions: consent in the digest, anonymity, wins, themes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from conversations.coaching.cohort import (
    DEFAULT_THEME,
    THEMES,
    WIN_MAX_CHARS,
    DigestWin,
    MemberWeek,
    Sharing,
    WinRecord,
    assemble_digest,
    clean_win,
    posts_anonymously,
    theme_or_default,
    win_too_long,
)

T0 = datetime(2026, 11, 23, 12, tzinfo=UTC)


def member(uid: int, sharing: Sharing, **counts: int) -> MemberWeek:
    checked_in = bool(counts.pop("checked_in", 0))
    return MemberWeek(uid, f"Name{uid}", sharing, checked_in, **counts)


def win(uid: int, text: str, anonymous: bool = False, minutes: int = 0) -> WinRecord:
    return WinRecord(uid, text, anonymous, T0 + timedelta(minutes=minutes))


def test_only_sharing_members_count_and_only_named_wins_carry_a_name() -> None:
    members = [
        member(1, Sharing.NAMED, checked_in=1, feedback_sent=2, goals_met=1, mock_interviews=3),
        member(2, Sharing.ANONYMOUS, checked_in=1, goals_met=1),
        member(3, Sharing.RECEIVE_ONLY, checked_in=1, feedback_sent=5, goals_met=4),
    ]
    wins = [
        win(1, "Second interview at Initrode", minutes=1),
        win(2, "Finished my portfolio", anonymous=True, minutes=2),
        win(3, "Receive-only member's old win", minutes=3),
        win(1, "Posted anonymously by a named member", anonymous=True, minutes=4),
        win(9, "Someone who left", minutes=5),
    ]
    digest = assemble_digest(members, wins)
    assert digest is not None
    assert (digest.members, digest.checked_in) == (2, 2)
    assert (digest.feedback_sent, digest.goals_met, digest.mock_interviews) == (2, 2, 3)
    assert digest.wins == (
        DigestWin("Name1", "Second interview at Initrode"),
        DigestWin(None, "Finished my portfolio"),
        DigestWin(None, "Posted anonymously by a named member"),
    )
    assert not digest.quiet and digest.more_wins == 0


def test_an_anonymous_member_is_never_named_even_for_a_win_posted_by_name() -> None:
    digest = assemble_digest([member(2, Sharing.ANONYMOUS)], [win(2, "x", anonymous=False)])
    assert digest is not None and digest.wins == (DigestWin(None, "x"),)


def test_nobody_sharing_means_no_digest_and_nothing_happening_is_a_quiet_week() -> None:
    assert assemble_digest([member(3, Sharing.RECEIVE_ONLY, checked_in=1)], [win(3, "x")]) is None
    assert assemble_digest([], []) is None
    quiet = assemble_digest([member(1, Sharing.NAMED)], [])
    assert quiet is not None and quiet.quiet


def test_the_newest_wins_are_kept_in_posting_order() -> None:
    wins = [win(1, f"win {n}", minutes=n) for n in range(12, 0, -1)]
    digest = assemble_digest([member(1, Sharing.NAMED)], wins, max_wins=3)
    assert digest is not None
    assert [w.text for w in digest.wins] == ["win 10", "win 11", "win 12"]
    assert digest.more_wins == 9


def test_how_a_win_is_shared() -> None:
    assert posts_anonymously(Sharing.NAMED, True) is False
    assert posts_anonymously(Sharing.NAMED, False) is False
    assert posts_anonymously(Sharing.ANONYMOUS, True) is True
    assert posts_anonymously(Sharing.ANONYMOUS, False) is None  # never named instead
    assert posts_anonymously(Sharing.RECEIVE_ONLY, True) is None


def test_win_text_and_themes() -> None:
    assert clean_win("  got   the\nsecond round ") == "got the second round"
    assert clean_win("   ") is None and clean_win(None) is None
    assert not win_too_long("x" * WIN_MAX_CHARS) and win_too_long("x" * (WIN_MAX_CHARS + 1))
    assert theme_or_default("energy") == "energy"
    assert theme_or_default("nonsense") == DEFAULT_THEME == theme_or_default(None)
    assert len(THEMES) == 3


@given(
    sharing=st.lists(st.sampled_from(list(Sharing)), min_size=1, max_size=6),
    posted=st.lists(st.tuples(st.integers(0, 5), st.booleans()), max_size=20),
)
def test_receive_only_members_never_appear(
    sharing: list[Sharing], posted: list[tuple[int, bool]]
) -> None:
    members = [member(i, s, checked_in=1, goals_met=1) for i, s in enumerate(sharing)]
    wins = [win(uid, f"secret of {uid}", anonymous, n) for n, (uid, anonymous) in enumerate(posted)]
    digest = assemble_digest(members, wins, max_wins=100)
    sharers = {m.user_id for m in members if m.sharing.shares}
    if not sharers:
        assert digest is None
        return
    assert digest is not None
    assert digest.members == digest.goals_met == len(sharers)
    shown = {w.text for w in digest.wins}
    assert shown == {f"secret of {uid}" for uid, _ in posted if uid in sharers}
    named = {w.name for w in digest.wins if w.name is not None}
    assert named <= {m.first_name for m in members if m.sharing is Sharing.NAMED}
