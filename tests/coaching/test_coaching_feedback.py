"""Tests for coaching.feedback and its templates."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rendering import Prompts
from coaching.feedback import (
    ELLIPSIS,
    MAX_CHARS,
    FeedbackDraft,
    FeedbackRequest,
    clean_field,
    draft_feedback_request,
    question_template,
    questions_for_stage,
    shorten,
)
from coaching.model import Channel, Stage, Tone

PROMPTS = Prompts()


BASE = FeedbackRequest(
    company="Acme",
    role="Data Engineer",
    stage=Stage.TECHNICAL,
    recipient="Sam",
    channel=Channel.EMAIL,
    tone=Tone.WARM,
    personal_line="I especially enjoyed the pairing session.",
    sender_name="Alex",
)


def request(**changes: Any) -> FeedbackRequest:
    return replace(BASE, **changes)


def question(key: str) -> str:
    return PROMPTS.render_plain(question_template(key))


@pytest.mark.parametrize("stage", list(Stage))
def test_every_stage_has_one_or_two_rendered_questions(stage: Stage) -> None:
    keys = questions_for_stage(stage)
    assert 1 <= len(keys) <= 2
    assert len(set(keys)) == len(keys)
    for key in keys:
        text = question(key)
        assert text.endswith("?")
        assert "{" not in text


def test_questions_follow_the_stage() -> None:
    assert questions_for_stage(Stage.TECHNICAL)[0] == "technical_areas"
    assert "technical" in question("technical_areas").lower()
    assert questions_for_stage(Stage.APPLICATION)[0] == "application_gaps"
    assert "application" in question("application_gaps").lower()
    assert questions_for_stage(Stage.APPLICATION) != questions_for_stage(Stage.ONSITE)


def test_warm_email_has_all_parts() -> None:
    draft = draft_feedback_request(request(), PROMPTS)
    assert draft.subject is not None
    assert "Data Engineer" in draft.subject
    body = draft.body
    assert body.startswith("Hi Sam,")
    assert "Data Engineer" in body and "Acme" in body
    assert "I especially enjoyed the pairing session." in body
    for key in questions_for_stage(Stage.TECHNICAL):
        assert question(key) in body
    assert body.endswith("\nAlex")
    assert draft.full_text == f"{draft.subject}\n\n{body}"


def test_linkedin_has_no_subject() -> None:
    draft = draft_feedback_request(request(channel=Channel.LINKEDIN), PROMPTS)
    assert draft.subject is None
    assert draft.full_text == draft.body


def test_brief_asks_only_the_first_question_and_is_shorter() -> None:
    brief = draft_feedback_request(request(tone=Tone.BRIEF), PROMPTS)
    warm = draft_feedback_request(request(tone=Tone.WARM), PROMPTS)
    first, second = questions_for_stage(Stage.TECHNICAL)
    assert question(first) in brief.body
    assert question(second) not in brief.body
    assert len(brief.body) < len(warm.body)


def test_tones_differ() -> None:
    bodies = {t: draft_feedback_request(request(tone=t), PROMPTS).body for t in Tone}
    assert len(set(bodies.values())) == len(Tone)
    assert bodies[Tone.FORMAL].startswith("Dear Sam,")


def test_missing_details_read_naturally() -> None:
    bare = request(company=None, role=None, recipient=None, personal_line=None, sender_name=None)
    for tone in Tone:
        draft = draft_feedback_request(replace(bare, tone=tone), PROMPTS)
        assert "None" not in draft.full_text
        assert "the role" in draft.body or "the position" in draft.body
        assert "  " not in draft.body
        assert "\n\n\n" not in draft.body
    warm = draft_feedback_request(bare, PROMPTS)
    assert warm.body.startswith("Hi there,")


def test_application_stage_does_not_mention_an_interview() -> None:
    draft = draft_feedback_request(request(stage=Stage.APPLICATION), PROMPTS)
    assert "interview" not in draft.body.lower()
    assert "interview" in draft_feedback_request(request(), PROMPTS).body.lower()


def test_user_text_is_not_html_escaped() -> None:
    draft = draft_feedback_request(request(company="<AT&T>"), PROMPTS)
    assert "<AT&T>" in draft.body
    assert "&amp;" not in draft.full_text


def test_long_values_are_shortened_with_an_ellipsis() -> None:
    draft = draft_feedback_request(
        request(company="Acme " * 100, role="Engineer " * 60, recipient="Sam " * 125), PROMPTS
    )
    assert len(draft.full_text) < MAX_CHARS
    assert ELLIPSIS in draft.body
    assert "Acme Acme" in draft.body


def test_long_values_keep_a_readable_start_and_spare_the_personal_line() -> None:
    company = "Northwind Traders International Holdings " * 12
    line = "Your team's work on search really inspired me."
    draft = draft_feedback_request(request(company=company, personal_line=line), PROMPTS)
    assert line in draft.body
    shortened = draft.body.split(" at ", 1)[1].split(ELLIPSIS, 1)[0]
    assert company.startswith(shortened)
    assert 40 <= len(shortened) <= 60


def test_long_personal_line_is_trimmed_not_dropped() -> None:
    line = "I loved the team. " * 30
    draft = draft_feedback_request(request(personal_line=line), PROMPTS)
    assert len(draft.full_text) < MAX_CHARS
    assert "I loved the team." in draft.body
    assert line.strip() not in draft.body


def test_newlines_in_fields_are_flattened() -> None:
    draft = draft_feedback_request(request(company="Ac\nme", recipient="Sam\r\n\tLee"), PROMPTS)
    assert "Hi Sam Lee," in draft.body
    assert "Ac me" in draft.body


def test_clean_field() -> None:
    assert clean_field(None) is None
    assert clean_field("  \n\t ") is None
    assert clean_field(" a\n\nb\x00c ") == "a bc"


def test_shorten() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("hello wonderful world", 18) == "hello wonderful…"
    assert shorten("hello wonderful world", 12) == "hello wonde…"
    assert shorten("abcdefghij", 5) == "abcd…"
    assert len(shorten("x" * 500, 60)) == 60
    assert shorten("anything", 0) == ""


def test_full_text_property() -> None:
    assert FeedbackDraft(subject="S", body="B").full_text == "S\n\nB"
    assert FeedbackDraft(subject=None, body="B").full_text == "B"


_TRICKY = st.sampled_from(
    [
        "<AT&T>",
        "Ünïcödé GmbH",
        "🚀🔥 Rocket Labs 👩‍💻",
        "شركة الاختبار",
        "עברית בע״מ",
        "a\nb\r\nc",
        "{{ x }}",
        "%s",
    ]
)
_FIELD = st.one_of(
    st.none(),
    _TRICKY,
    st.text(max_size=500),
    _TRICKY.map(lambda s: (s + " ") * 80).map(lambda s: s[:500]),
)


@settings(max_examples=150, deadline=None)
@given(
    company=_FIELD,
    role=_FIELD,
    recipient=_FIELD,
    personal_line=_FIELD,
    sender_name=_FIELD,
    stage=st.sampled_from(Stage),
    channel=st.sampled_from(Channel),
    tone=st.sampled_from(Tone),
)
def test_draft_is_always_under_the_limit(
    company: str | None,
    role: str | None,
    recipient: str | None,
    personal_line: str | None,
    sender_name: str | None,
    stage: Stage,
    channel: Channel,
    tone: Tone,
) -> None:
    req = FeedbackRequest(
        company, role, stage, recipient, channel, tone, personal_line, sender_name
    )
    draft = draft_feedback_request(req, PROMPTS)
    assert len(draft.full_text) < MAX_CHARS
    assert (draft.subject is not None) == (channel is Channel.EMAIL)
    assert question(questions_for_stage(stage)[0]) in draft.body
