"""Tests for coaching.replies: actions from a hirer's feedback."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coaching.replies import MAX_ACTION_LENGTH, feedback_actions

FALLBACK = "Turn this feedback into one practice task."


def test_actionable_sentences_are_kept_in_order() -> None:
    text = (
        "Thanks for your time. We were impressed by your communication. "
        "However, you lacked depth in distributed systems! "
        "We'd suggest more practice with system design interviews.\n"
        "Good luck with your search."
    )
    assert feedback_actions(text, FALLBACK) == [
        "However, you lacked depth in distributed systems!",
        "We'd suggest more practice with system design interviews.",
    ]


def test_at_most_three_and_no_repeats() -> None:
    text = "\n".join(
        [
            "- Improve your SQL.",
            "- Improve your SQL.",
            "- Practise whiteboard coding.",
            "- Gain more cloud experience.",
            "- Strengthen your testing habits.",
        ]
    )
    assert feedback_actions(text, FALLBACK) == [
        "Improve your SQL.",
        "Practise whiteboard coding.",
        "Gain more cloud experience.",
    ]


def test_nothing_actionable_gives_the_fallback() -> None:
    assert feedback_actions("Thanks, we went with another candidate.", FALLBACK) == [FALLBACK]
    assert feedback_actions("", FALLBACK) == [FALLBACK]


def test_moreover_is_not_more() -> None:
    assert feedback_actions("Moreover, the team liked you a lot.", FALLBACK) == [FALLBACK]


def test_long_sentences_are_shortened() -> None:
    text = "You should practise " + "really " * 60 + "hard problems."
    (action,) = feedback_actions(text, FALLBACK)
    assert len(action) <= MAX_ACTION_LENGTH
    assert action.endswith("…")


@given(st.text(max_size=2000))
def test_property_one_to_three_short_nonempty_actions(text: str) -> None:
    actions = feedback_actions(text, FALLBACK)
    assert 1 <= len(actions) <= 3
    assert all(a.strip() and len(a) <= MAX_ACTION_LENGTH for a in actions)
    assert len({a.casefold() for a in actions}) == len(actions)
