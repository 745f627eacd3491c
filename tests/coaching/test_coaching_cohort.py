"""Group coaching rules as plain functions: consent in the digest, anonymity, wins, themes,
and a digest that fits one Telegram message whatever members wrote."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.messages import MESSAGE_LIMIT, visible_length
from bot.rendering import Prompts
from coaching.cohort import (
    DEFAULT_THEME,
    DIGEST_BUDGET,
    DIGEST_MAX_WINS,
    GROUP_TITLE_MAX_CHARS,
    NAME_MAX_CHARS,
    THEMES,
    WIN_MAX_CHARS,
    Digest,
    DigestWin,
    MemberWeek,
    Sharing,
    WinRecord,
    assemble_digest,
    clean_win,
    fit_digest,
    posts_anonymously,
    shown_title,
    theme_or_default,
    win_too_long,
)

T0 = datetime(2026, 11, 23, 12, tzinfo=UTC)
PROMPTS = Prompts()
WIDE = "😀"  # one character, two UTF-16 units: the longest text per character Telegram counts


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
        DigestWin(None, "Posted anonymously by a named member"),
        DigestWin(None, "Finished my portfolio"),
        DigestWin("Name1", "Second interview at Initrode"),
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


def test_the_newest_wins_are_kept_newest_first() -> None:
    wins = [win(1, f"win {n}", minutes=n) for n in range(12, 0, -1)]
    digest = assemble_digest([member(1, Sharing.NAMED)], wins, max_wins=3)
    assert digest is not None
    assert [w.text for w in digest.wins] == ["win 12", "win 11", "win 10"]
    assert digest.more_wins == 9
    # Posted in the same second: the one stored later is the newer.
    same = assemble_digest([member(1, Sharing.NAMED)], [win(1, "first"), win(1, "second")])
    assert same is not None and [w.text for w in same.wins] == ["second", "first"]


def test_a_long_stored_win_and_name_are_cut_with_an_ellipsis() -> None:
    """/win refuses over WIN_MAX_CHARS; a longer row (older data) is still cut in the digest."""
    long_member = MemberWeek(1, "N" * 100, Sharing.NAMED, checked_in=True)
    digest = assemble_digest([long_member], [win(1, "word " * 100)])
    assert digest is not None
    (shown,) = digest.wins
    assert len(shown.text) <= WIN_MAX_CHARS and shown.text.endswith("…")
    assert shown.name is not None and len(shown.name) == NAME_MAX_CHARS
    assert shown.name.endswith("…")
    assert shown_title("T" * 300) == "T" * (GROUP_TITLE_MAX_CHARS - 1) + "…"
    assert shown_title("Job club") == "Job club"


def render_digest(title: str, digest: Digest) -> str:
    """The digest as the group dispatcher posts it."""
    return PROMPTS.render("group/digest", title=shown_title(title), digest=digest)


def fitted(title: str, digest: Digest) -> Digest:
    return fit_digest(digest, lambda d: visible_length(render_digest(title, d)))


def test_twelve_of_the_longest_wins_are_cut_to_what_fits_with_a_count_of_the_rest() -> None:
    members = [MemberWeek(1, WIDE * NAME_MAX_CHARS, Sharing.NAMED, checked_in=True)]
    wins = [win(1, f"{n} " + WIDE * (WIN_MAX_CHARS - 3), minutes=n) for n in range(15)]
    digest = assemble_digest(members, wins)
    assert digest is not None and len(digest.wins) == DIGEST_MAX_WINS
    title = WIDE * GROUP_TITLE_MAX_CHARS
    assert visible_length(render_digest(title, digest)) > MESSAGE_LIMIT  # what used to fail
    shown = fitted(title, digest)
    text = render_digest(title, shown)
    assert 1 <= len(shown.wins) < DIGEST_MAX_WINS
    assert visible_length(text) <= DIGEST_BUDGET
    assert shown.wins[0].text.startswith("14 ")  # the newest first
    assert f"…and {15 - len(shown.wins)} more wins." in text
    one_more = replace(
        shown, wins=digest.wins[: len(shown.wins) + 1], more_wins=shown.more_wins - 1
    )
    assert visible_length(render_digest(title, one_more)) > DIGEST_BUDGET


def test_one_more_win_is_said_in_the_singular() -> None:
    digest = assemble_digest([member(1, Sharing.NAMED)], [win(1, "a"), win(1, "b")], max_wins=1)
    assert digest is not None
    assert "…and 1 more win." in render_digest("Job club", fitted("Job club", digest))


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


# Any text at all, with the characters that count double in UTF-16 and the ones HTML escapes
# made likely.
ANY_TEXT = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from('😀🎉&<>"\n')),
    max_size=900,
)


@settings(max_examples=60, deadline=None)
@given(
    title=ANY_TEXT,
    people=st.lists(st.tuples(ANY_TEXT, st.sampled_from(list(Sharing))), min_size=1, max_size=4),
    posted=st.lists(
        st.tuples(st.integers(0, 3), st.booleans(), ANY_TEXT, st.integers(0, 10_000)), max_size=40
    ),
    max_wins=st.sampled_from([DIGEST_MAX_WINS, 1000]),
)
def test_the_digest_always_fits_one_message_and_shows_a_win_when_there_is_one(
    title: str,
    people: list[tuple[str, Sharing]],
    posted: list[tuple[int, bool, str, int]],
    max_wins: int,
) -> None:
    members = [MemberWeek(i, name, s, checked_in=True) for i, (name, s) in enumerate(people)]
    wins = [win(uid, text, anonymous, minutes) for uid, anonymous, text, minutes in posted]
    digest = assemble_digest(members, wins, max_wins=max_wins)
    if digest is None:
        assert not any(s.shares for _, s in people)
        return
    shown = fitted(title, digest)
    length = visible_length(render_digest(title, shown))
    assert length <= DIGEST_BUDGET < MESSAGE_LIMIT
    sharers = {m.user_id for m in members if m.sharing.shares}
    eligible = sum(1 for uid, _, _, _ in posted if uid in sharers)
    assert len(shown.wins) + shown.more_wins == eligible
    assert (len(shown.wins) >= 1) == (eligible >= 1)
    assert shown.wins == digest.wins[: len(shown.wins)]  # the newest, newest first
    if len(shown.wins) < len(digest.wins):  # cut by the budget: one more would not have fit
        count = len(shown.wins) + 1
        more = replace(digest, wins=digest.wins[:count], more_wins=eligible - count)
        assert visible_length(render_digest(title, more)) > DIGEST_BUDGET
