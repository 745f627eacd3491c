"""Hearing the first words (coaching.feelings) and typed words for buttons (coaching.choices)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.choices import match_choice
from coaching.feelings import Feeling, feeling_in

FEELINGS = [
    ("ugh. I DIDN'T GET THE JOB AGAIN 😤", Feeling.FRUSTRATED),
    ("rejected again", Feeling.FRUSTRATED),
    ("I DIDN'T GET IT", Feeling.FRUSTRATED),
    ("this is so unfair", Feeling.FRUSTRATED),
    ("so gutted right now", Feeling.SAD),
    ("they turned me down 😢", Feeling.SAD),
    ("honestly just exhausted", Feeling.TIRED),
    ("I didn't get the job", Feeling.NEWS),
    ("I got rejected", Feeling.NEWS),
    ("they went with someone else", Feeling.NEWS),
    ("hello", None),
    ("what is this bot", None),
    ("done", None),
    ("I GOT AN OFFER", None),
]


@pytest.mark.parametrize(("text", "expected"), FEELINGS)
def test_the_feeling_a_first_message_carries(text: str, expected: Feeling | None) -> None:
    assert feeling_in(text) == expected


STAGES = {
    "application": "📄 CV / application screen",
    "phone_screen": "📞 Recruiter or phone screen",
    "technical": "💻 Technical test or assignment",
    "onsite": "🏢 Onsite / final rounds",
    "offer": "🤝 Offer stage",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("technical", "technical"),
        ("the final round", "onsite"),
        ("Phone", "phone_screen"),
        ("cv", "application"),
        ("offer stage", "offer"),
        ("screen", None),  # two buttons say it
        ("banana", None),
        ("the", None),
    ],
)
def test_typed_words_name_one_button(text: str, expected: str | None) -> None:
    assert match_choice(text, STAGES) == expected


@given(st.text(max_size=300))
def test_neither_reader_ever_raises(text: str) -> None:
    feeling_in(text)
    assert match_choice(text, STAGES) in (None, *STAGES)
