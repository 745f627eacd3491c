"""Tests for coaching.feedback and its templates."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rendering import Prompts
from coaching.feedback import (
    ELLIPSIS,
    MAX_CHARS,
    QUESTION_KEYS,
    STATUS_QUESTION,
    SUBJECT_MAX,
    FeedbackDraft,
    FeedbackRequest,
    clean_field,
    draft_feedback_request,
    question_for,
    question_template,
    shorten,
)
from coaching.model import Channel, Stage, Tone
from conversations.debrief_steps import NAME_LIMIT

FEEDBACK_PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "feedback"
# Words of a question that invites a comparison with another candidate, or a debate of the
# decision, instead of something the person can work on.
COMPARING = re.compile(
    r"other candidate|decision|decided|chosen|chose|compar|instead|better fit|stronger|"
    r"factor|selected|hired|why not|why did",
    re.IGNORECASE,
)

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


def questions_in(body: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!:])\s+", body) if s.endswith("?")]


def test_every_question_template_is_listed_and_none_invites_comparison() -> None:
    on_disk = {p.stem.removeprefix("question_") for p in FEEDBACK_PROMPTS.glob("question_*.html")}
    assert on_disk == set(QUESTION_KEYS)
    for key in QUESTION_KEYS:
        text = question(key)
        assert text.endswith("?") and text.count("?") == 1, key
        assert "{" not in text
        assert not COMPARING.search(text), (key, text)


@pytest.mark.parametrize("stage", list(Stage))
def test_each_stage_asks_the_one_thing_to_work_on(stage: Stage) -> None:
    key = question_for(stage)
    assert key in QUESTION_KEYS and key != STATUS_QUESTION
    text = question(key).lower()
    assert "one" in text and ("work on" in text or "improve" in text)
    assert question_for(stage, ghosted=True) == STATUS_QUESTION


def test_questions_follow_the_stage() -> None:
    assert "technical" in question(question_for(Stage.TECHNICAL)).lower()
    assert "application" in question(question_for(Stage.APPLICATION)).lower()
    assert "screening" in question(question_for(Stage.PHONE_SCREEN)).lower()
    assert question_for(Stage.APPLICATION) != question_for(Stage.ONSITE)


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("tone", list(Tone))
@pytest.mark.parametrize("ghosted", [False, True])
def test_every_draft_asks_exactly_one_question_and_compares_with_nobody(
    stage: Stage, tone: Tone, ghosted: bool
) -> None:
    draft = draft_feedback_request(request(stage=stage, tone=tone, ghosted=ghosted), PROMPTS)
    assert questions_in(draft.body) == [question(question_for(stage, ghosted=ghosted))]
    assert draft.body.count("?") == 1
    assert not COMPARING.search(draft.full_text), draft.full_text
    assert "\n- " not in draft.body  # no list of questions


@pytest.mark.parametrize("tone", list(Tone))
@pytest.mark.parametrize("stage", list(Stage))
def test_ghosted_asks_where_things_stand_and_speaks_of_no_outcome(tone: Tone, stage: Stage) -> None:
    draft = draft_feedback_request(request(tone=tone, stage=stage, ghosted=True), PROMPTS)
    text = draft.full_text.lower()
    assert "where my application stands" in text
    for word in (
        "outcome",
        "disappointed",
        "sorry",
        "feedback",
        "rejection",
        "letting me know",
        "not to be going further",
    ):
        assert word not in text, (word, draft.full_text)  # fmt: skip
    assert draft.subject is not None and draft.subject.startswith("Following up")
    feedback = draft_feedback_request(request(tone=tone, stage=stage), PROMPTS)
    assert "where my application stands" not in feedback.full_text


@pytest.mark.parametrize("ghosted", [False, True])
@pytest.mark.parametrize(
    "role",
    [None, "QA", "Data Engineer", "Senior Staff Machine Learning Platform Engineer", "R" * 500],
)
@pytest.mark.parametrize("company", [None, "Acme", "Northwind Traders International " * 20])
def test_subject_is_at_most_50_characters_besides_the_company(
    ghosted: bool, role: str | None, company: str | None
) -> None:
    draft = draft_feedback_request(request(role=role, company=company, ghosted=ghosted), PROMPTS)
    assert draft.subject is not None
    assert len(draft.subject) <= SUBJECT_MAX + len(company or "")
    shown = draft.subject.split(" – ", 1)
    if company is not None:
        assert len(shown) == 2 and company.startswith(shown[1].removesuffix(ELLIPSIS))
    assert len(shown[0]) + len(" – ") * (len(shown) - 1) <= SUBJECT_MAX
    assert "\n" not in draft.subject


def test_subject_names_the_role_when_it_fits_and_leaves_it_out_when_not() -> None:
    assert draft_feedback_request(request(), PROMPTS).subject == (
        "Thanks, and one question: Data Engineer – Acme"
    )
    long_role = "Senior Staff Machine Learning Platform Engineer"
    subject = draft_feedback_request(request(role=long_role), PROMPTS).subject
    assert subject == "Thanks, and one question – Acme"
    assert draft_feedback_request(request(ghosted=True), PROMPTS).subject == (
        "Following up: Data Engineer – Acme"
    )


def test_subject_with_the_longest_company_the_debrief_takes() -> None:
    company = "C" * NAME_LIMIT
    for ghosted in (False, True):
        subject = draft_feedback_request(request(company=company, ghosted=ghosted), PROMPTS).subject
        assert subject is not None
        assert len(subject) <= SUBJECT_MAX + len(company)
        assert len(subject) <= SUBJECT_MAX + 60  # the company itself is cut to 60


def test_signed_with_the_given_name_or_with_none() -> None:
    for tone in Tone:
        signed = draft_feedback_request(request(tone=tone, sender_name="Alex Morgan"), PROMPTS)
        assert signed.body.endswith(",\nAlex Morgan")
        unsigned = draft_feedback_request(request(tone=tone, sender_name=None), PROMPTS)
        assert unsigned.body.endswith(",")


def test_warm_email_has_all_parts() -> None:
    draft = draft_feedback_request(request(), PROMPTS)
    assert draft.subject is not None
    assert "Data Engineer" in draft.subject
    body = draft.body
    assert body.startswith("Hi Sam,")
    assert "Data Engineer" in body and "Acme" in body
    assert "I especially enjoyed the pairing session." in body
    assert question(question_for(Stage.TECHNICAL)) in body
    assert body.endswith("\nAlex")
    assert draft.full_text == f"{draft.subject}\n\n{body}"


def test_linkedin_has_no_subject() -> None:
    draft = draft_feedback_request(request(channel=Channel.LINKEDIN), PROMPTS)
    assert draft.subject is None
    assert draft.full_text == draft.body


def test_brief_asks_the_same_answerable_question_and_is_shorter() -> None:
    brief = draft_feedback_request(request(tone=Tone.BRIEF), PROMPTS)
    warm = draft_feedback_request(request(tone=Tone.WARM), PROMPTS)
    assert question(question_for(Stage.TECHNICAL)) in brief.body
    assert question(question_for(Stage.TECHNICAL)) in warm.body
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
    ghosted=st.booleans(),
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
    ghosted: bool,
) -> None:
    req = FeedbackRequest(
        company, role, stage, recipient, channel, tone, personal_line, sender_name, ghosted
    )
    draft = draft_feedback_request(req, PROMPTS)
    assert len(draft.full_text) < MAX_CHARS
    assert (draft.subject is not None) == (channel is Channel.EMAIL)
    if draft.subject is not None:
        assert len(draft.subject) <= SUBJECT_MAX + len(clean_field(company) or "")
    assert question(question_for(stage, ghosted=ghosted)) in draft.body
