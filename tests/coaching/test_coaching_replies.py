"""Tests for coaching.replies: practice actions and a date from a hirer's reply."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.rendering import Prompts
from coaching.replies import (
    MAX_ACTION_LENGTH,
    MAX_ACTIONS,
    MAX_REAPPLY_YEARS,
    Point,
    Reapply,
    ReapplyReason,
    Topic,
    feedback_actions,
    reapply_date,
    reply_points,
)

PROMPTS = Prompts()
TODAY = date(2026, 12, 5)
EVAL = Path(__file__).with_name("hirer_replies_eval.txt")


def labelled() -> list[tuple[str, str, str]]:
    """(topics, date and reason, reply) of every labelled reply."""
    cases = []
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            topics, when, reply = (part.strip() for part in line.split(" | ", 2))
            cases.append((topics, when, reply.replace("\\n", "\n")))
    return cases


def topics_of(points: list[Point]) -> str:
    names = [
        "sentence"
        if p.topic is None
        else f"technology:{p.detail}"
        if p.topic is Topic.TECHNOLOGY
        else p.topic.value
        for p in points
    ]
    return ",".join(names) or "-"


def date_of(found: Reapply | None) -> str:
    return "-" if found is None else f"{found.on.isoformat()} {found.reason.value}"


def test_the_labelled_replies_are_read_right() -> None:
    cases = labelled()
    assert len(cases) >= 30
    read = [
        (
            reply,
            (topics, when),
            (topics_of(reply_points(reply)), date_of(reapply_date(reply, TODAY))),
        )
        for topics, when, reply in cases
    ]
    assert [(reply, want, got) for reply, want, got in read if want != got] == []


def test_every_topic_is_labelled_at_least_once() -> None:
    seen = {t.split(":")[0] for topics, _, _ in labelled() for t in topics.split(",")}
    assert {t.value for t in Topic} - {"cv"} <= seen


def test_actions_are_short_imperatives_from_the_topics() -> None:
    text = (
        "Thanks for interviewing. You lacked depth in system design. "
        "We'd like to see more experience with cloud deployments. All the best!"
    )
    assert feedback_actions(text, PROMPTS) == [
        "Practise system design: one design problem a week, sketched and explained out loud",
        "Build hands-on practice with cloud deployments: one small project or exercise a week",
    ]


def test_a_gap_with_no_topic_is_kept_as_its_sentence() -> None:
    assert feedback_actions("The take-home needed more attention to detail.", PROMPTS) == [
        "The take-home needed more attention to detail."
    ]


def test_at_most_three_and_no_repeats() -> None:
    text = "\n".join(
        [
            "- Improve your SQL.",
            "- Improve your SQL.",
            "- Practise whiteboard algorithms.",
            "- Gain more cloud experience.",
            "- Strengthen your testing habits.",
        ]
    )
    assert topics_of(reply_points(text)) == (
        "technology:SQL,algorithms,technology:cloud deployments"
    )
    assert len(feedback_actions(text, PROMPTS)) == MAX_ACTIONS


def test_nothing_to_work_on_gives_the_fallback() -> None:
    fallback = [PROMPTS.render_plain("checkin/feedback_action")]
    assert feedback_actions("Thanks, we went with another candidate.", PROMPTS) == fallback
    assert feedback_actions("", PROMPTS) == fallback
    assert feedback_actions("Moreover, the team liked you a lot.", PROMPTS) == fallback


def test_praise_and_applying_again_are_not_actions() -> None:
    assert reply_points("We were impressed by your system design.") == []
    assert reply_points("You should definitely apply again in 6 months.") == []


def test_long_sentences_are_shortened() -> None:
    text = "You should try " + "really " * 60 + "hard problems."
    (action,) = feedback_actions(text, PROMPTS)
    assert len(action) <= MAX_ACTION_LENGTH
    assert action.endswith("…")


def test_dates_count_from_today_and_the_month_comes_round() -> None:
    assert reapply_date("Apply again after March.", date(2027, 2, 10)) == Reapply(
        date(2027, 4, 1), ReapplyReason.APPLY_AGAIN, "after March"
    )
    assert reapply_date("Apply again after March.", date(2027, 5, 10)) is not None
    assert reapply_date("Apply again after March.", date(2027, 5, 10)).on == date(2028, 4, 1)  # type: ignore[union-attr]
    assert reapply_date("Reapply in 6 months.", date(2027, 8, 31)).on == date(2028, 2, 29)  # type: ignore[union-attr]


def test_apply_again_wins_over_the_cv_on_file() -> None:
    found = reapply_date(
        "We'll keep your CV on file for a year. Do apply again in 6 months.", TODAY
    )
    assert found == Reapply(date(2027, 6, 5), ReapplyReason.APPLY_AGAIN, "in 6 months")


def test_a_number_with_no_word_about_applying_is_no_date() -> None:
    assert reapply_date("We interviewed 40 people in 3 months.", TODAY) is None
    assert reapply_date("Your answers took 10 minutes each.", TODAY) is None


@given(st.text(max_size=3000), st.dates(date(2000, 1, 1), date(2090, 12, 31)))
def test_property_reading_never_crashes_and_stays_in_bounds(text: str, today: date) -> None:
    points = reply_points(text)
    assert len(points) <= MAX_ACTIONS
    actions = feedback_actions(text, PROMPTS)
    assert 1 <= len(actions) <= MAX_ACTIONS
    assert all(a.strip() and len(a) <= MAX_ACTION_LENGTH for a in actions)
    assert len({a.casefold() for a in actions}) == len(actions)
    found = reapply_date(text, today)
    if found is not None:
        assert today < found.on <= today + timedelta(days=366 * MAX_REAPPLY_YEARS)


_PHRASES = st.sampled_from(
    [
        "apply again in", "reapply after", "we'll keep your CV on file for", "apply in",
        "re-apply", "after", "in", "next year", "after March", "in early June 2027",
        "after the summer", "next quarter", "6-12 months", "half a year", "a few weeks",
    ]
)  # fmt: skip


@given(
    st.lists(st.one_of(_PHRASES, st.integers(0, 999).map(str), st.text(max_size=12)), max_size=12),
    st.dates(date(2000, 1, 1), date(2090, 12, 31)),
)
def test_property_date_phrases_never_crash(parts: list[str], today: date) -> None:
    found = reapply_date(" ".join(parts), today)
    if found is not None:
        assert today < found.on
