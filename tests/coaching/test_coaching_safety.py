"""Tests for conversations.coaching.safety."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations.coaching.safety import CrisisSignal, detect_crisis, helplines_for, normalise

CRISIS = [
    "I want to die",
    "i wanna die",
    "Honestly I just want to die.",
    "I'm going to kill myself",
    "sometimes I think about killing myself",
    "I want to end my life",
    "thinking about ending my life",
    "I feel suicidal",
    "I've had suicidal thoughts since Monday",
    "I don't want to be here anymore",
    "I don’t want to be here any more",
    "i dont want to be here anymore",
    "I don't want to live",
    "I've been self-harming again",
    "self harm",
    "I want to hurt myself",
    "there's no reason to live",
    "I have nothing to live for",
    "they'd be better off without me",
    "everyone would be better off without me",
    "I'd be better off dead",
    "I just want to end it all",
    "I wish I was dead",
]
NOT_CRISIS = [
    "this rejection killed my motivation",
    "I'm dying to know why",
    "the interview killed me lol",
    "I'm going to kill it at the next interview",
    "I could die of embarrassment",
    "the deadline is friday",
    "time to execute the plan",
    "that answer was career suicide",
    "I felt dead tired after the onsite",
    "I want to be here for my family",
    "I don't want to be here, at this company, forever",
    "I'll cut myself some slack",
    "I'm dying to hear back",
    "I thought I was going to die in that interview",
    "",
]


@pytest.mark.parametrize("text", CRISIS)
def test_flags_crisis_phrases(text: str) -> None:
    assert detect_crisis(text) is CrisisSignal.CRISIS


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ignores_figures_of_speech(text: str) -> None:
    assert detect_crisis(text) is CrisisSignal.NONE


def test_normalise() -> None:
    assert normalise("  I DON’T\n want…  to ") == "i dont want to"
    assert normalise("self-harm!") == "self harm"


def _mangle(text: str, data: st.DataObject) -> str:
    """Random case per character and random runs of whitespace between words."""
    words = text.split(" ")
    spaced = words[0]
    for word in words[1:]:
        spaced += data.draw(st.sampled_from([" ", "  ", "\n", " \t "])) + word
    flips = data.draw(st.lists(st.booleans(), min_size=len(spaced), max_size=len(spaced)))
    return "".join(c.upper() if flip else c.lower() for c, flip in zip(spaced, flips, strict=True))


_NEUTRAL = st.text(alphabet=st.characters(blacklist_categories=("L", "M", "Cs")), max_size=20)


@given(data=st.data(), phrase=st.sampled_from(CRISIS), before=_NEUTRAL, after=_NEUTRAL)
def test_crisis_survives_case_spacing_and_surroundings(
    data: st.DataObject, phrase: str, before: str, after: str
) -> None:
    text = f"{before} {_mangle(phrase, data)} {after}"
    assert detect_crisis(text) is CrisisSignal.CRISIS


@given(data=st.data(), phrase=st.sampled_from([t for t in NOT_CRISIS if t]))
def test_figures_of_speech_stay_clear_in_any_case(data: st.DataObject, phrase: str) -> None:
    assert detect_crisis(_mangle(phrase, data)) is CrisisSignal.NONE


@given(st.text(max_size=200))
def test_detect_crisis_never_raises(text: str) -> None:
    assert detect_crisis(text) in set(CrisisSignal)


def test_helplines_directory_first_then_countries_in_order() -> None:
    lines = helplines_for(["DE", "xx", "us", "DE", "uk"])
    assert lines[0].country is None
    assert lines[0].name == "Find A Helpline"
    assert lines[0].url == "https://findahelpline.com"
    assert [h.country for h in lines[1:]] == ["DE", "US", "GB"]
    assert lines[1].phone == "0800 111 0 111"
    assert lines[2].phone == "988" and lines[2].text == "988"
    assert lines[3].name == "Samaritans" and lines[3].phone == "116 123"


def test_helplines_without_countries_is_just_the_directory() -> None:
    assert [h.name for h in helplines_for([])] == ["Find A Helpline"]


@pytest.mark.parametrize(
    ("code", "phone"),
    [("US", "988"), ("CA", "988"), ("GB", "116 123"), ("IE", "116 123"), ("DE", "0800 111 0 111"),
     ("FR", "3114"), ("AU", "13 11 14"), ("IN", "14416"), ("NZ", "1737")],
)  # fmt: skip
def test_known_countries(code: str, phone: str) -> None:
    (line,) = helplines_for([code])[1:]
    assert line.country == code
    assert line.phone == phone
    assert line.url is None or line.url.startswith("https://")
